//! From a state to what the customer sees: the wishes in force, the candidates left, and then
//! the next question with live counts, the shortlist with critiques, or (when nothing is left)
//! the smallest repairs and the close alternatives.

use std::sync::Arc;

use roaring::RoaringBitmap;

use super::memo::Evaluations;
use super::replay::{Wishes, critique_range, replay};
use super::{State, choose, repair};
use crate::catalog::{Catalog, Condition, IndexError, Product};
use crate::perf::{self, Phase};
use crate::questions::{Advisor, CritiqueKind};
use crate::ranking::{self, Recommendation};

/// What a state means now.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Ordinals of the products meeting every wish.
    pub candidates: Arc<RoaringBitmap>,
    /// The answers that apply, as (question index, option indexes), in answer order. A skipped
    /// question has no options.
    pub answered: Vec<(usize, Vec<usize>)>,
    /// The hard wishes in force, each of which a repair may drop.
    pub constraints: Vec<Constraint>,
    /// Indexes into `state.events` of answers that no longer apply (their `ask_if` fails).
    pub stale: Vec<usize>,
    /// The question to ask next, or `None` when it is time to recommend.
    pub next: Option<Ask>,
    /// The ranked shortlist: products meeting every wish, then close alternatives.
    pub shortlist: Vec<Recommendation>,
    /// When nothing is left: the smallest sets of wishes to drop, with what they bring back.
    pub repairs: Vec<Repair>,
    /// Critiques on offer after the shortlist, with how many products each leaves.
    pub critiques: Vec<OfferedCritique>,
    /// The product "more like this" refers to.
    pub similar_to: Option<u32>,
}

/// A hard wish and where it came from.
#[derive(Debug, Clone)]
pub struct Constraint {
    pub source: Source,
    pub condition: Condition,
}

/// Where a wish came from, so it can be explained and dropped.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Source {
    /// One chosen option of a question (`option`), or the whole answer when its options only
    /// work together (single choice, `combine: any`).
    Answer {
        question: usize,
        option: Option<usize>,
        options: Vec<usize>,
    },
    /// An amount from free text at this turn: a range on a number, answering `question`.
    Amount {
        turn: u32,
        question: Option<usize>,
        number: String,
        min: Option<f64>,
        max: Option<f64>,
    },
    /// Typed words found in filtering text fields at this turn.
    Require { turn: u32, text: String },
    /// The critique added at this turn.
    Critique { turn: u32, critique: usize },
}

/// Drop these constraints (indexes into `constraints`) and `count` products fit again.
#[derive(Debug, Clone, PartialEq)]
pub struct Repair {
    pub drop: Vec<usize>,
    pub count: usize,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OfferedCritique {
    pub critique: usize,
    pub count: usize,
}

/// A question on offer with the options worth offering.
#[derive(Debug, Clone)]
pub struct Ask {
    pub question: usize,
    pub options: Vec<OfferedOption>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OfferedOption {
    pub option: usize,
    /// How many current candidates the option leaves (or prefers, for soft options).
    pub count: usize,
}

impl Evaluation {
    pub fn is_complete(&self) -> bool {
        self.next.is_none()
    }

    /// Nothing fits every wish.
    pub fn is_dead_end(&self) -> bool {
        self.candidates.is_empty()
    }

    /// How many products meet every wish.
    pub fn candidate_count(&self) -> usize {
        self.candidates.len() as usize
    }
}

impl Source {
    /// The stable key a client sends back to drop this wish.
    pub fn key(&self, advisor: &Advisor) -> String {
        match self {
            Source::Answer {
                question, option, ..
            } => {
                let question = &advisor.questions[*question];
                match option {
                    Some(option) => format!("{}.{}", question.id, question.options[*option].id),
                    None => question.id.to_string(),
                }
            }
            Source::Amount { turn, .. } => format!("amount.{turn}"),
            Source::Require { turn, .. } => format!("text.{turn}"),

            Source::Critique { turn, .. } => format!("critique.{turn}"),
        }
    }
}

/// Evaluates a state against the advisor and the catalogue (remembered per state).
pub fn evaluate(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
) -> Result<Evaluation, IndexError> {
    let key = Evaluations::key(state);
    if let Some(found) = advisor.evaluations.get(&key) {
        return Ok((*found).clone());
    }
    let evaluation = compute(advisor, catalog, state)?;
    advisor.evaluations.put(key, Arc::new(evaluation.clone()));
    Ok(evaluation)
}

fn compute(advisor: &Advisor, catalog: &Catalog, state: &State) -> Result<Evaluation, IndexError> {
    let wishes = replay(advisor, catalog, state)?;
    let candidates = catalog.select(&wishes.condition(&[]));
    let mut evaluation = Evaluation {
        candidates: Arc::clone(&candidates),
        answered: Vec::new(),
        constraints: Vec::new(),
        stale: Vec::new(),
        next: None,
        shortlist: Vec::new(),
        repairs: Vec::new(),
        critiques: Vec::new(),
        similar_to: wishes.similar_to,
    };
    if candidates.is_empty() {
        let (repairs, alternatives) = repair::repairs(advisor, catalog, &wishes)?;
        evaluation.repairs = repairs;
        evaluation.shortlist = alternatives;
    } else {
        let changing = state
            .changing
            .as_ref()
            .and_then(|id| advisor.question(id))
            .map(|(index, _)| index);
        let clarifying = clarifying(advisor, catalog, state, &wishes, &candidates);
        evaluation.next = match changing {
            Some(question) => Some(perf::time(Phase::Choose, || {
                choose::offer(advisor, catalog, question, &candidates)
            })),
            None if clarifying.is_some() => clarifying,
            None if wishes.refining => None,
            None => perf::time(Phase::Choose, || {
                choose::next_question(advisor, catalog, &candidates, &wishes.answered)
            }),
        };
        if let Some(ask) = &mut evaluation.next {
            // What the customer said they do not want is not offered again.
            let question = ask.question;
            if ask
                .options
                .iter()
                .any(|o| !wishes.avoided.contains(&(question, o.option)))
            {
                ask.options
                    .retain(|o| !wishes.avoided.contains(&(question, o.option)));
            }
        }
        if evaluation.next.is_none() {
            let (shortlist, critiques) = perf::time(Phase::Rank, || {
                let products: Vec<Product<'_>> = candidates
                    .iter()
                    .filter_map(|o| catalog.product(o))
                    .collect();
                let shortlist = shortlist(advisor, catalog, &wishes, &products, &candidates)?;
                let critiques = critiques(advisor, catalog, &wishes, &products, &shortlist)?;
                Ok::<_, IndexError>((shortlist, critiques))
            })?;
            evaluation.shortlist = shortlist;
            evaluation.critiques = critiques;
        }
    }
    evaluation.answered = wishes.answered;
    evaluation.constraints = wishes.constraints;
    evaluation.stale = wishes.stale;
    Ok(evaluation)
}

/// The question asked back with only the options the customer named, while it is unanswered
/// and those options leave products.
fn clarifying(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    wishes: &Wishes,
    candidates: &RoaringBitmap,
) -> Option<Ask> {
    let clarifying = state.clarifying.as_ref()?;
    let (index, question) = advisor.question(&clarifying.question)?;
    if wishes.answered.iter().any(|(q, _)| *q == index) {
        return None;
    }
    let mut ask = choose::offer(advisor, catalog, index, candidates);
    ask.options.retain(|offered| {
        clarifying
            .options
            .contains(&question.options[offered.option].id)
    });
    (ask.options.len() >= 2).then_some(ask)
}

/// The products meeting every wish, ranked and varied, then close alternatives if there is room.
fn shortlist(
    advisor: &Advisor,
    catalog: &Catalog,
    wishes: &Wishes,
    products: &[Product<'_>],
    candidates: &RoaringBitmap,
) -> Result<Vec<Recommendation>, IndexError> {
    let similar = wishes.similar_to.and_then(|o| catalog.product(o));
    let mut shortlist = ranking::rank(
        advisor,
        products,
        &wishes.preferences,
        &wishes.answered,
        similar,
    );
    if shortlist.len() < advisor.shortlist_size && !wishes.constraints.is_empty() {
        let alternatives = repair::alternatives(advisor, catalog, wishes, candidates)?;
        let room = advisor.shortlist_size - shortlist.len();
        shortlist.extend(alternatives.into_iter().take(room));
    }
    Ok(shortlist)
}

/// Critiques that would leave some products, relative to the first shortlisted product.
fn critiques(
    advisor: &Advisor,
    catalog: &Catalog,
    wishes: &Wishes,
    products: &[Product<'_>],
    shortlist: &[Recommendation],
) -> Result<Vec<OfferedCritique>, IndexError> {
    let Some(reference) = shortlist.first().and_then(|r| catalog.product(r.ordinal)) else {
        return Ok(Vec::new());
    };
    let mut offered = Vec::new();
    for (index, critique) in advisor.critiques.iter().enumerate() {
        let count = match &critique.kind {
            CritiqueKind::Number { number, direction } => {
                let Some(bound) = ranking::number_of(&reference, *number) else {
                    continue;
                };
                let condition = critique_range(*number, *direction, bound);
                products.iter().filter(|p| condition.matches(p)).count()
            }
            CritiqueKind::Effect(effect) => {
                let all = Condition::All(
                    std::iter::once(wishes.condition(&[]))
                        .chain(effect.condition())
                        .collect(),
                );
                let count = catalog.select(&all).len() as usize;
                // Offered only when it changes something: not every candidate already meets it.
                if effect.hard.is_some() && count == products.len() {
                    continue;
                }
                count
            }
        };
        if count > 0 {
            offered.push(OfferedCritique {
                critique: index,
                count,
            });
        }
    }
    Ok(offered)
}
