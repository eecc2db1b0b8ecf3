//! The step function: state + input → next state + what to show, or a refusal that leaves the
//! state untouched.

use super::actions::act;
use super::{
    Action, Delivered, Entry, Evaluation, Event, Input, Notice, Outcome, State, evaluate, handoff,
    text,
};
use crate::catalog::{Catalog, IndexError};
use crate::ids::{Locale, OptionId, QuestionId};
use crate::questions::{Advisor, Kind};

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
    /// The conversation is with a person now; only `back`, `restart` and `handoff` are taken.
    #[error(
        "the conversation was handed to a person; send `back` or `restart` to continue with the advisor"
    )]
    HandedOff,
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
        shop_version: String::new(),
        locale,
        customer_name,
        turn: 0,
        events: Vec::new(),
        changing: None,
        clarifying: None,
        history: Vec::new(),
        completed: false,
        delivered: Delivered::default(),
        handoff: Default::default(),
        context: Default::default(),
        feedback: Default::default(),
        variant: None,
        opt_out: false,
        said: Vec::new(),
    };
    let evaluation = evaluate(advisor, catalog, &state)?;
    Ok(Outcome {
        state,
        evaluation,
        notices: Vec::new(),
        proposals: Default::default(),
        before: None,
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
    let input = handoff::screen(advisor, state, input)?;
    let was_dead_end = current.is_dead_end();
    // "back" restores the history; "restart" starts a fresh one.
    let fresh = matches!(input, Input::Action(Action::Back | Action::Restart));
    let mut outcome = match input {
        Input::Answer { question, values } => {
            answer(advisor, catalog, state, &current, &question, &values)
        }
        Input::Text(text) => text::understand(advisor, catalog, state, current.clone(), &text),
        Input::Action(action) => act(advisor, catalog, state, &current, action),
    }?;
    if !fresh && outcome.state != *state {
        outcome.state.remember(state);
    }
    if !fresh {
        handoff::count(advisor, state, was_dead_end, &mut outcome);
    }
    outcome.before = Some(current);
    Ok(outcome)
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
    let existing = state.events.iter_mut().find(|entry| match &entry.event {
        Event::Answer { question: q, .. } | Event::Skip { question: q } => q == question,
        Event::Amount { question: q, .. } => q.as_ref() == Some(question),
        _ => false,
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
    if state
        .clarifying
        .as_ref()
        .is_some_and(|c| &c.question == question)
    {
        state.clarifying = None;
    }
}

pub(super) fn record(state: &mut State, event: Event) {
    state.events.push(Entry {
        turn: state.turn,
        event,
    });
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
                proposals: Default::default(),
                before: None,
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
