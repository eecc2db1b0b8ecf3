//! The next steps an advisor proposes after the shortlist (`next_steps:` in a question file):
//! the checked model and its cross-checks. Answers and options must exist, facets and values
//! must be in the catalogue (with "did you mean"), texts must exist in every locale, a link must
//! be `https:`, a handoff needs the advisor's `handoff:` contact and another advisor its file.
//!
//! Choosing among the steps is `dialogue/next.rs`; nothing here looks at a conversation.

use std::collections::BTreeMap;

use super::checker::Checker;
use super::raw_next::{RawNextStep, RawWhen};
use super::{AskIf, ContextRule, Question, Text};
use crate::catalog::{Condition, NumberRef};
use crate::diagnostics::known_list;
use crate::ids::{AdvisorId, OptionId};
use crate::yaml::Spanned;

pub use super::raw_next::NextKind;

const MAX_PRIORITY: i64 = 100;

/// One step the advisor may propose after the shortlist.
#[derive(Debug, Clone)]
pub struct NextStep {
    /// The id clients report back when the customer accepts or declines the step.
    pub id: String,
    /// The shop's priority; the relevance weights that match are added to it.
    pub priority: f64,
    pub when: Eligibility,
    pub relevance: Vec<Relevance>,
    /// The proposal.
    pub text: Text,
    /// Why the customer sees it; `None`: the matched answers say it (`next_step.hbs`).
    pub why: Option<Text>,
    pub action: NextAction,
}

/// When a step may be proposed; every condition set must hold.
#[derive(Debug, Clone, Default)]
pub struct Eligibility {
    /// One of these options was chosen, for each question.
    pub answers: Vec<AskIf>,
    /// The first shortlisted product meets this.
    pub shortlist: Option<Condition>,
    /// The first shortlisted product costs at least this.
    pub min_price: Option<f64>,
    /// The client's context says the cart is worth at least this.
    pub cart_value_min: Option<f64>,
    /// These context rules are in effect.
    pub context: Vec<String>,
}

/// More weight when these answers were given.
#[derive(Debug, Clone)]
pub struct Relevance {
    pub answers: Vec<AskIf>,
    pub weight: f64,
}

/// What accepting a step does.
#[derive(Debug, Clone)]
pub enum NextAction {
    /// Up to `show` listed products meeting `filter` and the hard wishes of the `follow`
    /// questions' answers, highest `sort_by` first, ties by product id.
    Products {
        filter: Condition,
        follow: Vec<usize>,
        show: usize,
        sort_by: Option<NumberRef>,
    },
    /// A page of the shop.
    Link { url: String },
    /// The advisor's handoff to a person.
    Handoff,
    /// Another advisor.
    Advisor { advisor: AdvisorId },
}

impl NextAction {
    pub fn kind(&self) -> NextKind {
        match self {
            NextAction::Products { .. } => NextKind::Products,
            NextAction::Link { .. } => NextKind::Link,
            NextAction::Handoff => NextKind::Handoff,
            NextAction::Advisor { .. } => NextKind::Advisor,
        }
    }
}

impl Checker<'_> {
    /// The checked next steps; `has_handoff`: the advisor has a `handoff:` contact.
    pub(super) fn next_steps(
        &mut self,
        raw: &[RawNextStep],
        questions: &[Question],
        has_handoff: bool,
        rules: &[ContextRule],
    ) -> Vec<NextStep> {
        let mut steps: Vec<NextStep> = Vec::new();
        for raw_step in raw {
            let Some(id) = self.slug(&raw_step.id, OptionId::parse) else {
                continue;
            };
            if steps.iter().any(|s| s.id == id.as_str()) {
                self.error(
                    &raw_step.id,
                    format!("next step id `{id}` is used twice"),
                    Some("next step ids must be unique in a file"),
                );
            }
            let priority = raw_step.priority.as_ref().map_or(1, |p| {
                if !(0..=MAX_PRIORITY).contains(&p.value) {
                    self.error(
                        p,
                        format!("`priority` must be a whole number from 0 to {MAX_PRIORITY}"),
                        None,
                    );
                }
                p.value
            });
            let when = self.eligibility(&raw_step.when, questions, rules);
            let relevance = raw_step
                .relevance
                .iter()
                .map(|r| Relevance {
                    answers: self.answer_matches(&r.answers, questions),
                    weight: r.weight.as_ref().map_or(1.0, |w| {
                        if !(w.value > 0.0 && w.value <= 100.0) {
                            self.error(w, "`weight` must be above 0 and at most 100".into(), None);
                        }
                        w.value
                    }),
                })
                .collect();
            let text = self.text(&raw_step.text, "the next step's text");
            let why = raw_step
                .why
                .as_ref()
                .map(|why| self.text(why, "the next step's `why`"));
            let Some(action) = self.next_action(raw_step, questions, has_handoff) else {
                continue;
            };
            steps.push(NextStep {
                id: id.to_string(),
                priority: priority as f64,
                when,
                relevance,
                text,
                why,
                action,
            });
        }
        steps
    }

    fn eligibility(
        &mut self,
        raw: &RawWhen,
        questions: &[Question],
        rules: &[ContextRule],
    ) -> Eligibility {
        let answers = raw
            .answers
            .as_ref()
            .map(|a| self.answer_matches(a, questions))
            .unwrap_or_default();
        let shortlist = raw
            .shortlist
            .as_ref()
            .map(|s| Condition::All(self.facet_conditions(s)));
        let mut amount = |raw: &Option<Spanned<f64>>, name: &str| {
            raw.as_ref().map(|a| {
                if !(a.value.is_finite() && a.value >= 0.0) {
                    self.error(a, format!("`{name}` must be a number of 0 or more"), None);
                }
                a.value
            })
        };
        let min_price = amount(&raw.min_price, "min_price");
        let cart_value_min = amount(&raw.cart_value_min, "cart_value_min");
        let context = raw
            .context
            .iter()
            .filter(|id| {
                let known = rules.iter().any(|r| r.id == id.value);
                if !known {
                    let hint = format!(
                        "context rules of this advisor: {}",
                        known_list(rules.iter().map(|r| r.id.as_str()))
                    );
                    self.error(*id, format!("no context rule `{}`", id.value), Some(&hint));
                }
                known
            })
            .map(|id| id.value.clone())
            .collect();
        Eligibility {
            answers,
            shortlist,
            min_price,
            cart_value_min,
            context,
        }
    }

    /// `{question: [option, …]}` as question and option indexes, each name checked.
    fn answer_matches(
        &mut self,
        raw: &Spanned<BTreeMap<String, Vec<Spanned<String>>>>,
        questions: &[Question],
    ) -> Vec<AskIf> {
        let mut matches = Vec::new();
        for (name, values) in &raw.value {
            let named = Spanned::new(name.clone(), raw.referenced, raw.defined);
            let Some(index) = self.question_index(&named, questions) else {
                continue;
            };
            let question = &questions[index];
            if values.is_empty() {
                self.error(raw, format!("`{name}` lists no options"), None);
            }
            let options: Vec<usize> = values
                .iter()
                .filter_map(|value| self.option_index(question, value))
                .collect();
            matches.push(AskIf {
                question: index,
                options,
            });
        }
        matches
    }
}
