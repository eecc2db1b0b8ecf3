//! The step function: state + input → next state + what to show, or a refusal that leaves the
//! state untouched.

use super::{Action, AnswerEvent, Evaluation, Input, Notice, Outcome, State, evaluate};
use crate::catalog::{Catalog, IndexError};
use crate::ids::{Locale, QuestionId};
use crate::questions::{Advisor, Kind};

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
        answers: Vec::new(),
    };
    let evaluation = evaluate(advisor, catalog, &state)?;
    Ok(Outcome {
        state,
        evaluation,
        notice: None,
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
    match input {
        Input::Answer { question, values } => {
            answer(advisor, catalog, state, current, question, values)
        }
        Input::Action(Action::Back) => {
            let mut next = state.clone();
            let undone = next
                .answers
                .pop()
                .ok_or(InputError::ActionNotAvailable("back"))?;
            next.turn += 1;
            let evaluation = evaluate(advisor, catalog, &next)?;
            let notice = advisor
                .question(&undone.question)
                .map(|(question, _)| Notice::WentBack { question });
            Ok(Outcome {
                state: next,
                evaluation,
                notice,
            })
        }
        Input::Action(Action::Restart) => {
            let mut next = state.clone();
            next.answers.clear();
            next.turn += 1;
            let evaluation = evaluate(advisor, catalog, &next)?;
            Ok(Outcome {
                state: next,
                evaluation,
                notice: Some(Notice::Restarted),
            })
        }
    }
}

fn answer(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    current: Evaluation,
    question_id: String,
    values: Vec<String>,
) -> Result<Outcome, StepError> {
    let asked = current
        .next
        .as_ref()
        .filter(|ask| advisor.questions[ask.question].id.as_str() == question_id);
    let Some(ask) = asked.cloned() else {
        return Err(InputError::QuestionNotAsked {
            asked: clip(&question_id),
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
    for value in &values {
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
    next.answers.push(AnswerEvent {
        question: question.id.clone(),
        values: chosen
            .iter()
            .map(|o| question.options[*o].id.clone())
            .collect(),
    });
    next.turn += 1;
    let evaluation = evaluate(advisor, catalog, &next)?;
    if evaluation.candidates.is_empty() {
        return Ok(Outcome {
            state: state.clone(),
            evaluation: current,
            notice: Some(Notice::NoMatch {
                question: ask.question,
                options: chosen,
            }),
        });
    }
    Ok(Outcome {
        state: next,
        evaluation,
        notice: None,
    })
}

/// Client-sent text in error messages, cut to a readable length.
fn clip(raw: &str) -> String {
    raw.chars().take(64).collect()
}
