//! Actions: back, restart, skip, change an answer, relax wishes after a dead end, critiques and
//! product-level refinements. Each either records a new state or refuses with an `InputError`.

use super::evaluate::Source;
use super::step::{InputError, StepError, clip, finish, record};
use super::{Action, Evaluation, Event, Notice, Outcome, State};
use crate::catalog::Catalog;
use crate::questions::{Advisor, CritiqueKind};

pub(super) fn act(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    current: &Evaluation,
    action: Action,
) -> Result<Outcome, StepError> {
    let not_available = || InputError::ActionNotAvailable(action.name());
    let mut next = state.clone();
    next.turn += 1;
    let notice = match &action {
        Action::Back => {
            let previous = state.before_last_input().ok_or_else(not_available)?;
            let question = match state.events.last().map(|e| &e.event) {
                _ if state.changing.is_some() => None,
                Some(Event::Answer { question, .. } | Event::Skip { question }) => {
                    advisor.question(question).map(|(q, _)| q)
                }
                _ => None,
            };
            next.events = previous.events;
            next.changing = previous.changing;
            next.clarifying = previous.clarifying;
            next.history = previous.history;
            next.handoff.handed_off = false;
            Notice::WentBack { question }
        }
        Action::Restart => {
            if !state.can_go_back() {
                return Err(not_available().into());
            }
            next.events.clear();
            next.changing = None;
            next.clarifying = None;
            next.history.clear();
            next.handoff.handed_off = false;
            Notice::Restarted
        }
        Action::Skip => {
            let ask = current
                .next
                .as_ref()
                .filter(|_| state.can_skip(current))
                .ok_or_else(not_available)?;
            let question = advisor.questions[ask.question].id.clone();
            record(&mut next, Event::Skip { question });
            Notice::Skipped {
                question: ask.question,
            }
        }
        Action::Change { question } => {
            let index = advisor
                .questions
                .iter()
                .position(|q| q.id.as_str() == question)
                .filter(|q| current.answered.iter().any(|(a, _)| a == q))
                .ok_or_else(|| InputError::NotAnswered(clip(question)))?;
            next.changing = Some(advisor.questions[index].id.clone());
            Notice::Changing { question: index }
        }
        Action::Relax { drop } => {
            if drop.is_empty() {
                return Err(not_available().into());
            }
            let mut sources = Vec::new();
            for key in drop {
                let constraint = current
                    .constraints
                    .iter()
                    .find(|c| &c.source.key(advisor) == key)
                    .ok_or_else(|| InputError::NotRelaxable(clip(key)))?;
                sources.push(constraint.source.clone());
                remove(&mut next, advisor, &constraint.source);
            }
            Notice::Relaxed { sources }
        }
        Action::Critique { critique, product } => {
            let (index, found) = advisor
                .critique(critique)
                .ok_or_else(|| InputError::UnknownCritique(clip(critique)))?;
            let reference = shortlisted(catalog, current, product.as_deref(), action.name())?;
            // Relative to the first product, only critiques that leave something are offered.
            let offered = current.critiques.iter().any(|c| c.critique == index);
            if product.is_none() && !offered {
                return Err(InputError::ActionNotAvailable("critique").into());
            }
            let bound = match &found.kind {
                CritiqueKind::Number { number, .. } => Some(
                    crate::ranking::number_of(&reference, *number).ok_or_else(|| {
                        InputError::NoValueToCompare {
                            product: reference.id().to_string(),
                            critique: found.id.to_string(),
                        }
                    })?,
                ),
                CritiqueKind::Effect(_) => None,
            };
            record(
                &mut next,
                Event::Critique {
                    critique: found.id.clone(),
                    bound,
                },
            );
            Notice::Critiqued { critique: index }
        }
        Action::Similar { product } => {
            let reference = shortlisted(catalog, current, Some(product), action.name())?;
            record(
                &mut next,
                Event::Similar {
                    product: reference.product_id(),
                },
            );
            Notice::SimilarTo {
                product: reference.ordinal,
            }
        }
        Action::Exclude { product } => {
            let reference = shortlisted(catalog, current, Some(product), action.name())?;
            record(
                &mut next,
                Event::Exclude {
                    product: reference.product_id(),
                },
            );
            Notice::Excluded {
                product: reference.ordinal,
            }
        }
        Action::Handoff => {
            if advisor.handoff.is_none() {
                return Err(not_available().into());
            }
            if state.handoff.handed_off {
                // Asked again: the same answer, and nothing to store or send again.
                return Ok(Outcome {
                    state: state.clone(),
                    evaluation: current.clone(),
                    notices: vec![Notice::HandedOff],
                    proposals: Default::default(),
                    before: None,
                });
            }
            next.handoff.handed_off = true;
            Notice::HandedOff
        }
    };
    finish(advisor, catalog, next, vec![notice])
}

/// The product a critique refers to: the named one, which must be on the shortlist, or the
/// first shortlisted.
fn shortlisted<'a>(
    catalog: &'a Catalog,
    current: &Evaluation,
    product: Option<&str>,
    action: &'static str,
) -> Result<crate::catalog::Product<'a>, InputError> {
    let not_shown = || InputError::NotShortlisted(clip(product.unwrap_or("")));
    // Regression: `exclude` and `similar` before a shortlist said "`critique` is not available".
    if !current.is_complete() {
        return Err(InputError::ActionNotAvailable(action));
    }
    let found = current.shortlist.iter().find_map(|r| {
        let p = catalog.product(r.ordinal)?;
        product.is_none_or(|id| p.id() == id).then_some(p)
    });
    found.ok_or_else(not_shown)
}

/// Drops one wish from the log: an option from its answer (the whole answer if it was the
/// last), a free-text wish or a critique.
fn remove(state: &mut State, advisor: &Advisor, source: &Source) {
    match source {
        Source::Answer {
            question, option, ..
        } => {
            let id = &advisor.questions[*question].id;
            let drop_value = option.map(|o| advisor.questions[*question].options[o].id.clone());
            state.events.retain_mut(|entry| match &mut entry.event {
                Event::Answer { question, values } if question == id => match &drop_value {
                    Some(value) => {
                        values.retain(|v| v != value);
                        !values.is_empty()
                    }
                    None => false,
                },
                _ => true,
            });
        }
        Source::Require { turn, .. } => state
            .events
            .retain(|e| !(e.turn == *turn && matches!(e.event, Event::Require { .. }))),
        Source::Amount { turn, .. } => state
            .events
            .retain(|e| !(e.turn == *turn && matches!(e.event, Event::Amount { .. }))),

        Source::Critique { turn, .. } => state
            .events
            .retain(|e| !(e.turn == *turn && matches!(e.event, Event::Critique { .. }))),
    }
}
