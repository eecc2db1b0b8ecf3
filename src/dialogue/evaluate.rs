//! From a state to what the customer sees: the candidates left, the next question with live
//! counts, or the shortlist.

use super::State;
use crate::catalog::{Catalog, Condition, IndexError, Product};
use crate::questions::{Advisor, Combine, Effect};
use crate::ranking::{self, Preference, Recommendation};

/// What a state means now.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// Ordinals of the products meeting every hard condition, ascending.
    pub candidates: Vec<u32>,
    /// The answers that apply, as (question index, option indexes), in answer order.
    pub answered: Vec<(usize, Vec<usize>)>,
    /// The question to ask next, or `None` when it is time to recommend.
    pub next: Option<Ask>,
    /// The ranked shortlist, when nothing more is asked.
    pub shortlist: Vec<Recommendation>,
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
}

/// Evaluates a state against the advisor and the catalogue.
pub fn evaluate(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
) -> Result<Evaluation, IndexError> {
    let mut hard = vec![advisor.scope.clone()];
    let mut preferences = Vec::new();
    let mut answered: Vec<(usize, Vec<usize>)> = Vec::new();
    for event in &state.answers {
        let Some((index, question)) = advisor.question(&event.question) else {
            continue;
        };
        if answered.iter().any(|(q, _)| *q == index) || !ask_if_holds(advisor, index, &answered) {
            continue;
        }
        let options: Vec<usize> = event
            .values
            .iter()
            .filter_map(|value| question.option(value).map(|(i, _)| i))
            .collect();
        let effects: Vec<&Effect> = options
            .iter()
            .map(|o| &question.options[*o].effect)
            .collect();
        match question.combine {
            Combine::All => hard.extend(effects.iter().filter_map(|e| e.hard.clone())),
            Combine::Any if effects.iter().all(|e| e.hard.is_some()) => {
                hard.push(Condition::Any(
                    effects.iter().filter_map(|e| e.hard.clone()).collect(),
                ));
            }
            Combine::Any => {}
        }
        for (option, effect) in options.iter().zip(&effects) {
            if let Some((condition, weight)) = &effect.soft {
                preferences.push(Preference {
                    condition: condition.clone(),
                    weight: *weight,
                    source: (index, *option),
                });
            }
        }
        answered.push((index, options));
    }
    let candidates = catalog.search(&Condition::All(hard))?;
    let products: Vec<&Product> = candidates
        .iter()
        .filter_map(|o| catalog.product(*o))
        .collect();
    let enough_asked = advisor
        .stop
        .max_questions
        .is_some_and(|max| answered.len() >= max);
    let next = if candidates.len() <= advisor.stop.max_candidates || enough_asked {
        None
    } else {
        next_question(advisor, &products, &answered)
    };
    let shortlist = if next.is_none() {
        let sources: Vec<(usize, usize)> = answered
            .iter()
            .flat_map(|(q, options)| options.iter().map(move |o| (*q, *o)))
            .collect();
        ranking::rank(advisor, &candidates, &products, &preferences, &sources)
    } else {
        Vec::new()
    };
    Ok(Evaluation {
        candidates,
        answered,
        next,
        shortlist,
    })
}

/// The first question in editor order that may be asked and splits the candidates.
fn next_question(
    advisor: &Advisor,
    products: &[&Product],
    answered: &[(usize, Vec<usize>)],
) -> Option<Ask> {
    let total = products.len();
    advisor
        .questions
        .iter()
        .enumerate()
        .find_map(|(index, question)| {
            if answered.iter().any(|(q, _)| *q == index) || !ask_if_holds(advisor, index, answered)
            {
                return None;
            }
            let options: Vec<OfferedOption> = question
                .options
                .iter()
                .enumerate()
                .map(|(option, answer)| OfferedOption {
                    option,
                    count: if answer.effect.is_no_preference() {
                        total
                    } else {
                        products.iter().filter(|p| answer.effect.matches(p)).count()
                    },
                })
                .filter(|offered| offered.count > 0)
                .collect();
            let splits = options.iter().any(|offered| {
                !question.options[offered.option].effect.is_no_preference() && offered.count < total
            });
            splits.then_some(Ask {
                question: index,
                options,
            })
        })
}

fn ask_if_holds(advisor: &Advisor, question: usize, answered: &[(usize, Vec<usize>)]) -> bool {
    let Some(rule) = &advisor.questions[question].ask_if else {
        return true;
    };
    answered
        .iter()
        .any(|(q, options)| *q == rule.question && options.iter().any(|o| rule.options.contains(o)))
}
