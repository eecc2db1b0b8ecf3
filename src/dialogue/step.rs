//! The step function: state + input → next state + what to show, or a refusal that leaves the
//! state untouched.

use super::evaluate::Source;
use super::{Action, Entry, Evaluation, Event, Input, Notice, Outcome, State, evaluate, text};
use crate::catalog::{Catalog, IndexError};
use crate::ids::{Locale, OptionId, QuestionId};
use crate::questions::{Advisor, CritiqueKind, Kind};

/// Longest free text accepted, in characters.
pub const MAX_TEXT_CHARS: usize = 500;

/// Why an input was refused. The conversation is unchanged.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    /// The conversation is not waiting for an answer to this question.
    #[error("question `{asked}` is not being asked{}", current.as_ref().map(|c| format!("; the current question is `{c}`")).unwrap_or_else(|| "; the conversation has ended with a shortlist".into()))]
    QuestionNotAsked {
        asked: String,
        current: Option<QuestionId>,
    },
    /// A value is not among the options on offer (or is not an option at all).
    #[error("`{value}` is not an option on offer for question `{question}`")]
    OptionNotOffered { question: QuestionId, value: String },
    /// An answer must choose something.
    #[error("the answer chooses no option")]
    NoValues,
    /// A single-choice question got several values.
    #[error("question `{0}` takes exactly one option")]
    SingleChoice(QuestionId),
    /// The same option was sent twice.
    #[error("option `{0}` is chosen twice")]
    Duplicate(String),
    /// "No preference" cannot be combined with real options.
    #[error("`{0}` means no preference and cannot be combined with other options")]
    NoPreferenceCombined(String),
    /// The action is not available now (e.g. back before any answer).
    #[error("the action `{0}` is not available now")]
    ActionNotAvailable(&'static str),
    /// `change` names a question that has no answer to change.
    #[error("question `{0}` has no answer to change")]
    NotAnswered(String),
    /// `relax` names a wish that is not in force.
    #[error("`{0}` is not a wish that can be dropped now")]
    NotRelaxable(String),
    /// The advisor has no such critique.
    #[error("`{0}` is not a critique of this advisor")]
    UnknownCritique(String),
    /// The product is not on the shortlist shown.
    #[error("product `{0}` is not on the shortlist")]
    NotShortlisted(String),
    /// A numeric critique needs a product with a value to compare with.
    #[error("product `{product}` has no value for critique `{critique}`")]
    NoValueToCompare { product: String, critique: String },
    /// Free text must say something and stay short.
    #[error("the text must have 1 to {MAX_TEXT_CHARS} characters")]
    TextLength,
}

/// Why a step failed.
#[derive(Debug, thiserror::Error)]
pub enum StepError {
    /// The customer's input was refused; nothing changed.
    #[error(transparent)]
    Rejected(#[from] InputError),
    /// The search index failed: a bug, not the customer's fault.
    #[error(transparent)]
    Index(#[from] IndexError),
}

/// The first state of a conversation and what it shows.
pub fn start(
    advisor: &Advisor,
    catalog: &Catalog,
    locale: Locale,
    customer_name: Option<String>,
) -> Result<Outcome, IndexError> {
    let state = State {
        advisor: advisor.id.clone(),
        advisor_version: advisor.version.clone(),
        locale,
        customer_name,
        turn: 0,
        events: Vec::new(),
        changing: None,
        history: Vec::new(),
    };
    let evaluation = evaluate(advisor, catalog, &state)?;
    Ok(Outcome {
        state,
        evaluation,
        notices: Vec::new(),
    })
}

/// Applies one input.
pub fn step(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    input: Input,
) -> Result<Outcome, StepError> {
    let current = evaluate(advisor, catalog, state)?;
    // "back" restores the history; "restart" starts a fresh one.
    let fresh = matches!(input, Input::Action(Action::Back | Action::Restart));
    let mut outcome = match input {
        Input::Answer { question, values } => {
            answer(advisor, catalog, state, &current, &question, &values)
        }
        Input::Text(text) => text::understand(advisor, catalog, state, current, &text),
        Input::Action(action) => act(advisor, catalog, state, &current, action),
    }?;
    if !fresh && outcome.state != *state {
        outcome.state.remember(state);
    }
    Ok(outcome)
}

fn act(
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
            next.history = previous.history;
            Notice::WentBack { question }
        }
        Action::Restart => {
            if !state.can_go_back() {
                return Err(not_available().into());
            }
            next.events.clear();
            next.changing = None;
            next.history.clear();
            Notice::Restarted
        }
        Action::Skip => {
            let ask = current.next.as_ref().ok_or_else(not_available)?;
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
            let reference = shortlisted(catalog, current, product.as_deref())?;
            // Relative to the first product, only critiques that leave something are offered.
            let offered = current.critiques.iter().any(|c| c.critique == index);
            if product.is_none() && !offered {
                return Err(InputError::ActionNotAvailable("critique").into());
            }
            let bound = match &found.kind {
                CritiqueKind::Number { number, .. } => Some(
                    crate::ranking::number_of(reference, *number).ok_or_else(|| {
                        InputError::NoValueToCompare {
                            product: reference.id.to_string(),
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
            let reference = shortlisted(catalog, current, Some(product))?;
            record(
                &mut next,
                Event::Similar {
                    product: reference.id.clone(),
                },
            );
            Notice::SimilarTo {
                product: reference.ordinal,
            }
        }
        Action::Exclude { product } => {
            let reference = shortlisted(catalog, current, Some(product))?;
            record(
                &mut next,
                Event::Exclude {
                    product: reference.id.clone(),
                },
            );
            Notice::Excluded {
                product: reference.ordinal,
            }
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
) -> Result<&'a crate::catalog::Product, InputError> {
    let not_shown = || InputError::NotShortlisted(clip(product.unwrap_or("")));
    if !current.is_complete() {
        return Err(InputError::ActionNotAvailable("critique"));
    }
    let found = current.shortlist.iter().find_map(|r| {
        let p = catalog.product(r.ordinal)?;
        product.is_none_or(|id| p.id.as_str() == id).then_some(p)
    });
    found.ok_or_else(not_shown)
}

fn answer(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    current: &Evaluation,
    question_id: &str,
    values: &[String],
) -> Result<Outcome, StepError> {
    let asked = current
        .next
        .as_ref()
        .filter(|ask| advisor.questions[ask.question].id.as_str() == question_id);
    let Some(ask) = asked else {
        return Err(InputError::QuestionNotAsked {
            asked: clip(question_id),
            current: current
                .next
                .as_ref()
                .map(|ask| advisor.questions[ask.question].id.clone()),
        }
        .into());
    };
    let question = &advisor.questions[ask.question];
    if values.is_empty() {
        return Err(InputError::NoValues.into());
    }
    if question.kind == Kind::Single && values.len() > 1 {
        return Err(InputError::SingleChoice(question.id.clone()).into());
    }
    let mut chosen = Vec::new();
    for value in values {
        let offered = question.options.iter().enumerate().find(|(index, option)| {
            option.id.as_str() == value && ask.options.iter().any(|o| o.option == *index)
        });
        let Some((index, option)) = offered else {
            return Err(InputError::OptionNotOffered {
                question: question.id.clone(),
                value: clip(value),
            }
            .into());
        };
        if chosen.contains(&index) {
            return Err(InputError::Duplicate(clip(value)).into());
        }
        if values.len() > 1 && option.effect.is_no_preference() {
            return Err(InputError::NoPreferenceCombined(clip(value)).into());
        }
        chosen.push(index);
    }
    let mut next = state.clone();
    next.turn += 1;
    set_answer(
        &mut next,
        &question.id,
        chosen
            .iter()
            .map(|o| question.options[*o].id.clone())
            .collect(),
    );
    let outcome = finish(advisor, catalog, next, Vec::new())?;
    let mut outcome = outcome;
    if outcome.evaluation.is_dead_end() && chosen.len() > 1 {
        outcome.notices.insert(
            0,
            Notice::NoMatch {
                question: ask.question,
                options: chosen,
            },
        );
    }
    Ok(outcome)
}

/// Records the answer to a question: in place of an earlier answer (a change), or at the end.
pub(super) fn set_answer(state: &mut State, question: &QuestionId, values: Vec<OptionId>) {
    let event = Event::Answer {
        question: question.clone(),
        values,
    };
    let existing = state.events.iter_mut().find(|entry| {
        matches!(&entry.event, Event::Answer { question: q, .. } | Event::Skip { question: q } if q == question)
    });
    match existing {
        Some(entry) => {
            entry.event = event;
            entry.turn = state.turn;
        }
        None => record(state, event),
    }
    if state.changing.as_ref() == Some(question) {
        state.changing = None;
    }
}

pub(super) fn record(state: &mut State, event: Event) {
    state.events.push(Entry {
        turn: state.turn,
        event,
    });
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
        Source::Wish { turn, .. } => state
            .events
            .retain(|e| !(e.turn == *turn && matches!(e.event, Event::Wish { .. }))),
        Source::Critique { turn, .. } => state
            .events
            .retain(|e| !(e.turn == *turn && matches!(e.event, Event::Critique { .. }))),
    }
}

/// Evaluates the new state, dropping answers that no longer apply (and saying so).
pub(super) fn finish(
    advisor: &Advisor,
    catalog: &Catalog,
    mut state: State,
    mut notices: Vec<Notice>,
) -> Result<Outcome, StepError> {
    let mut dropped = Vec::new();
    loop {
        let evaluation = evaluate(advisor, catalog, &state)?;
        if evaluation.stale.is_empty() {
            if !dropped.is_empty() {
                notices.push(Notice::Dropped { questions: dropped });
            }
            return Ok(Outcome {
                state,
                evaluation,
                notices,
            });
        }
        let mut position = 0;
        state.events.retain(|entry| {
            let stale = evaluation.stale.contains(&position);
            position += 1;
            if stale
                && let Event::Answer { question, .. } | Event::Skip { question } = &entry.event
                && let Some((index, _)) = advisor.question(question)
            {
                dropped.push(index);
            }
            !stale
        });
    }
}

/// Client-sent text in error messages, cut to a readable length.
pub(super) fn clip(raw: &str) -> String {
    raw.chars().take(64).collect()
}
