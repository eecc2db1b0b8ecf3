//! Composing a reply (messages, the question on offer, actions) from a dialogue outcome.

use super::cards::{cards, push_alternatives};
use super::handoff::{handed_off_message, offer};
use super::notices::{answer_label, describe, render_notices};
use super::{
    ActionLabelView, CritiqueActionView, DeadEndView, GreetingView, NothingFoundView, QuestionView,
    RelaxActionView, RenderError, Renderer, ShortlistView, TemplateName, Voice,
};
use crate::catalog::Catalog;
use crate::dialogue::{Action, Notice, Outcome, Source};
use crate::ids::{Locale, OptionId, ProductId, QuestionId};
use crate::questions::{Advisor, Kind};
use crate::ranking::Recommendation;

/// Everything a client needs to show the conversation's current step.
#[derive(Debug, Clone)]
pub struct Reply {
    pub turn: u32,
    pub completed: bool,
    /// The customer asked for a person: the messages say how they will be helped.
    pub handed_off: bool,
    /// Nothing fits every wish: the actions offer repairs.
    pub dead_end: bool,
    pub locale: Locale,
    pub candidate_count: usize,
    pub messages: Vec<Message>,
    pub input: Option<InputView>,
    pub actions: Vec<ActionView>,
    /// The answers that apply; each can be changed.
    pub answers: Vec<AnswerView>,
    /// The step proposed after the shortlist, if one applies.
    pub next_step: Option<super::NextStepView>,
}

#[derive(Debug, Clone)]
pub enum Message {
    /// HTML-escaped text from a template.
    Text(String),
    Products(Vec<ProductCard>),
}

#[derive(Debug, Clone)]
pub struct ProductCard {
    pub id: ProductId,
    pub title: String,
    pub price: Option<f64>,
    pub currency: String,
    pub image_url: Option<String>,
    pub url: Option<String>,
    /// The customer's wishes this product meets.
    pub reasons: Vec<String>,
    /// For a close alternative: the wishes it misses.
    pub misses: Vec<String>,
    /// Refinements for this product ("more like this", "not this one").
    pub actions: Vec<ActionView>,
    /// Products that go well with this one, each saying why (shortlist only, not alternatives).
    pub goes_well_with: Vec<super::PairedCard>,
}

#[derive(Debug, Clone)]
pub struct InputView {
    pub question_id: QuestionId,
    pub kind: Kind,
    pub options: Vec<OptionView>,
}

#[derive(Debug, Clone)]
pub struct OptionView {
    pub value: OptionId,
    pub label: String,
    pub count: usize,
    /// "No preference": it cannot be combined with other options of a multiple choice.
    pub no_preference: bool,
}

/// An action on offer: what to send back, and its button label.
#[derive(Debug, Clone)]
pub struct ActionView {
    pub action: Action,
    pub label: String,
    /// How many products the action leaves, when known.
    pub count: Option<usize>,
}

/// An answer in force.
#[derive(Debug, Clone)]
pub struct AnswerView {
    pub question_id: QuestionId,
    pub question: String,
    pub values: Vec<OptionId>,
    /// The chosen options' labels; empty when the question was skipped.
    pub labels: Vec<String>,
}

/// Renders an outcome in the conversation's locale.
pub fn compose(
    advisor: &Advisor,
    catalog: &Catalog,
    renderer: &Renderer,
    outcome: &Outcome,
) -> Result<Reply, RenderError> {
    let voice = renderer.voice(advisor.address);
    let renderer = &voice;
    let state = &outcome.state;
    let evaluation = &outcome.evaluation;
    let locale = &state.locale;
    let total = evaluation.candidate_count();
    let noun = |count: usize| advisor.noun.for_count(locale, count).to_string();
    let label = |name: TemplateName| renderer.render(locale, name, &ActionLabelView {});
    let mut messages: Vec<Message> = render_notices(advisor, catalog, renderer, outcome)?
        .into_iter()
        .map(Message::Text)
        .collect();
    let handed_off = state.handoff.handed_off;
    // The greeting opens a conversation, before what the client's context settled at the start.
    let opening = outcome
        .notices
        .iter()
        .all(|n| matches!(n, crate::dialogue::Notice::ContextApplied { .. }));
    if opening && (state.events.is_empty() || state.turn == 0) && !handed_off {
        let view = GreetingView {
            advisor_title: advisor.title.get(locale).to_string(),
            customer_name: state.customer_name.clone(),
            candidate_count: total,
            noun: noun(total),
        };
        messages.insert(
            0,
            Message::Text(renderer.render(locale, TemplateName::Greeting, &view)?),
        );
    }
    let mut actions = Vec::new();
    let input = match &evaluation.next {
        _ if handed_off => {
            messages.extend(handed_off_message(advisor, renderer, outcome)?);
            None
        }
        Some(ask) => {
            let question = &advisor.questions[ask.question];
            let view = QuestionView {
                question: question.text.get(locale).to_string(),
                kind: match question.kind {
                    Kind::Single => "single",
                    Kind::Multiple => "multiple",
                },
                candidate_count: total,
                noun: noun(total),
                answered_count: evaluation.answered.len(),
            };
            messages.push(Message::Text(renderer.render(
                locale,
                TemplateName::Question,
                &view,
            )?));
            if state.can_skip(evaluation) {
                actions.push(ActionView {
                    action: Action::Skip,
                    label: label(TemplateName::ActionSkip)?,
                    count: None,
                });
            }
            Some(InputView {
                question_id: question.id.clone(),
                kind: question.kind,
                options: ask
                    .options
                    .iter()
                    .map(|offered| {
                        let option = &question.options[offered.option];
                        OptionView {
                            value: option.id.clone(),
                            label: option.label.get(locale).to_string(),
                            count: offered.count,
                            no_preference: option.effect.is_no_preference(),
                        }
                    })
                    .collect(),
            })
        }
        None if evaluation.is_dead_end() => {
            let no_match_said = outcome
                .notices
                .iter()
                .any(|n| matches!(n, Notice::NoMatch { .. }));
            if evaluation.repairs.is_empty() {
                let view = NothingFoundView { noun: noun(0) };
                messages.push(Message::Text(renderer.render(
                    locale,
                    TemplateName::NothingFound,
                    &view,
                )?));
            } else if !no_match_said {
                let view = DeadEndView {
                    wishes: evaluation
                        .constraints
                        .iter()
                        .map(|c| describe(advisor, catalog, renderer, locale, &c.source))
                        .collect::<Result<_, _>>()?,
                    noun: noun(0),
                    repair_count: evaluation.repairs.len(),
                };
                messages.push(Message::Text(renderer.render(
                    locale,
                    TemplateName::DeadEnd,
                    &view,
                )?));
            }
            for repair in &evaluation.repairs {
                let sources: Vec<_> = repair
                    .drop
                    .iter()
                    .map(|i| &evaluation.constraints[*i].source)
                    .collect();
                let view = RelaxActionView {
                    wishes: sources
                        .iter()
                        .map(|s| describe(advisor, catalog, renderer, locale, s))
                        .collect::<Result<_, _>>()?,
                    count: repair.count,
                    noun: noun(repair.count),
                };
                actions.push(ActionView {
                    action: Action::Relax {
                        drop: sources.iter().map(|s| s.key(advisor)).collect(),
                    },
                    label: renderer.render(locale, TemplateName::ActionRelax, &view)?,
                    count: Some(repair.count),
                });
            }
            push_alternatives(
                advisor,
                catalog,
                renderer,
                outcome,
                &evaluation.shortlist,
                &mut messages,
            )?;
            None
        }
        None => {
            let (full, close): (Vec<Recommendation>, Vec<Recommendation>) = evaluation
                .shortlist
                .iter()
                .cloned()
                .partition(|r| r.misses.is_empty());
            let view = ShortlistView {
                customer_name: state.customer_name.clone(),
                count: full.len(),
                candidate_count: total,
                noun: noun(full.len()),
                answers: evaluation
                    .answered
                    .iter()
                    .filter(|(q, options)| {
                        options
                            .iter()
                            .any(|o| !advisor.questions[*q].options[*o].effect.is_no_preference())
                    })
                    .map(|(q, options)| answer_label(advisor, locale, *q, options))
                    .chain(amount_texts(advisor, catalog, renderer, outcome)?)
                    .collect(),
            };
            messages.push(Message::Text(renderer.render(
                locale,
                TemplateName::Shortlist,
                &view,
            )?));
            messages.push(Message::Products(cards(
                advisor, catalog, renderer, outcome, &full,
            )?));
            push_alternatives(advisor, catalog, renderer, outcome, &close, &mut messages)?;
            for offered in &evaluation.critiques {
                let critique = &advisor.critiques[offered.critique];
                let view = CritiqueActionView {
                    critique: critique.label.get(locale).to_string(),
                    count: offered.count,
                    noun: noun(offered.count),
                };
                actions.push(ActionView {
                    action: Action::Critique {
                        critique: critique.id.to_string(),
                        product: None,
                    },
                    label: renderer.render(locale, TemplateName::ActionCritique, &view)?,
                    count: Some(offered.count),
                });
            }
            None
        }
    };
    if state.can_go_back() {
        actions.push(ActionView {
            action: Action::Back,
            label: label(TemplateName::ActionBack)?,
            count: None,
        });
        actions.push(ActionView {
            action: Action::Restart,
            label: label(TemplateName::ActionRestart)?,
            count: None,
        });
    }
    offer(advisor, renderer, outcome, &mut messages, &mut actions)?;
    let next_step = super::next::view(advisor, catalog, renderer, outcome)?;
    Ok(Reply {
        next_step,
        turn: state.turn,
        completed: evaluation.is_complete(),
        handed_off,
        dead_end: evaluation.is_dead_end() && !handed_off,
        locale: locale.clone(),
        candidate_count: total,
        messages,
        input,
        actions,
        answers: evaluation
            .answered
            .iter()
            .map(|(q, options)| {
                let question = &advisor.questions[*q];
                let mut labels: Vec<String> = options
                    .iter()
                    .map(|o| question.options[*o].label.get(locale).to_string())
                    .collect();
                if options.is_empty() {
                    labels.extend(amount_of(advisor, catalog, renderer, outcome, *q)?);
                }
                Ok(AnswerView {
                    question_id: question.id.clone(),
                    question: question.text.get(locale).to_string(),
                    values: options
                        .iter()
                        .map(|o| question.options[*o].id.clone())
                        .collect(),
                    labels,
                })
            })
            .collect::<Result<_, RenderError>>()?,
    })
}

/// The amounts in force, in the customer's words ("up to $80").
fn amount_texts(
    advisor: &Advisor,
    catalog: &Catalog,
    renderer: &Voice<'_>,
    outcome: &Outcome,
) -> Result<Vec<String>, RenderError> {
    outcome
        .evaluation
        .constraints
        .iter()
        .filter(|c| matches!(c.source, Source::Amount { .. }))
        .map(|c| describe(advisor, catalog, renderer, &outcome.state.locale, &c.source))
        .collect()
}

/// The amount that answered question `question`, if one did.
fn amount_of(
    advisor: &Advisor,
    catalog: &Catalog,
    renderer: &Voice<'_>,
    outcome: &Outcome,
    question: usize,
) -> Result<Option<String>, RenderError> {
    outcome
        .evaluation
        .constraints
        .iter()
        .find(|c| matches!(c.source, Source::Amount { question: Some(q), .. } if q == question))
        .map(|c| describe(advisor, catalog, renderer, &outcome.state.locale, &c.source))
        .transpose()
}
