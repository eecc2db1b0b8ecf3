//! Conversations as plain values and the pure step function that moves them on.
//!
//! A conversation's state is the advisor, its version, the locale, and the ordered answers. The
//! step function takes a state and an input and returns the next state and what to show. No IO,
//! no clock, no randomness: the catalogue it reads is an immutable in-memory index.

mod evaluate;
mod step;

use serde::{Deserialize, Serialize};

pub use evaluate::{Ask, Evaluation, OfferedOption, evaluate};
pub use step::{InputError, StepError, start, step};

use crate::ids::{AdvisorId, Locale, OptionId, QuestionId};

/// Everything the advisor remembers about one conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub advisor: AdvisorId,
    /// The advisor file's version the conversation started on.
    pub advisor_version: String,
    pub locale: Locale,
    /// Only when the client sent it; used to greet the customer and nothing else.
    pub customer_name: Option<String>,
    /// Number of accepted inputs so far.
    pub turn: u32,
    /// The answers in the order they were given.
    pub answers: Vec<AnswerEvent>,
}

/// One answer: the chosen options of one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnswerEvent {
    pub question: QuestionId,
    pub values: Vec<OptionId>,
}

/// What the customer did.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The ids as the client sent them; the step checks them against what is on offer.
    Answer {
        question: String,
        values: Vec<String>,
    },
    Action(Action),
}

/// Navigation the customer can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Undo the last answer.
    Back,
    /// Forget every answer and start over.
    Restart,
}

/// Something worth telling the customer about the last input, beyond the new question.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// The chosen options together leave no product; nothing was changed.
    NoMatch {
        question: usize,
        options: Vec<usize>,
    },
    /// The last answer (to this question) was undone.
    WentBack { question: usize },
    /// All answers were forgotten.
    Restarted,
}

/// The result of a step: the state to keep and what to show.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub state: State,
    pub evaluation: Evaluation,
    pub notice: Option<Notice>,
}

impl State {
    /// Whether the customer can undo something.
    pub fn can_go_back(&self) -> bool {
        !self.answers.is_empty()
    }

    /// The actions on offer in this state.
    pub fn actions(&self) -> Vec<Action> {
        if self.can_go_back() {
            vec![Action::Back, Action::Restart]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests;
