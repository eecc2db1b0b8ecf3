//! Conversations as plain values and the pure step function that moves them on.
//!
//! A conversation's state is the advisor, its version, the locale, and an ordered event log
//! (answers, skips, free-text wishes, critiques). The step function takes a state and an input
//! and returns the next state and what to show. No IO, no clock, no randomness: the catalogue it
//! reads is an immutable in-memory index.

mod actions;
mod amounts;
mod choose;
mod context;
mod evaluate;
mod handoff;
mod memo;
mod migrate;
mod next;
mod proposals;
mod repair;
mod replay;
mod respond;
mod situation;
mod step;
mod text;

use serde::{Deserialize, Serialize};

pub use choose::options_for;
pub use context::{Context, ContextState, Feedback};
pub use evaluate::{
    Ask, Constraint, Evaluation, OfferedCritique, OfferedOption, Repair, Source, evaluate,
};
pub use handoff::HandoffState;
pub use memo::Evaluations;
pub use migrate::migrate;
pub use next::{NextStepChoice, next_step};
pub use proposals::{Companions, NOT_CARRIED_STEP, Proposal, Proposals};
pub use respond::{current, open, respond};
pub use situation::{apply_context, holds};
pub use step::{InputError, MAX_TEXT_CHARS, StepError, start, step};

/// The condition the candidates of a state meet (the scope and every hard wish): what a search
/// engine alone would be asked for this state. For benchmarks and tests.
pub fn candidate_condition(
    advisor: &crate::questions::Advisor,
    catalog: &crate::catalog::Catalog,
    state: &State,
) -> Result<crate::catalog::Condition, crate::catalog::IndexError> {
    Ok(replay::replay(advisor, catalog, state)?.condition(&[]))
}

use crate::ids::{AdvisorId, Locale, OptionId, ProductId, QuestionId};

/// How many inputs "back" can undo.
const MAX_HISTORY: usize = 40;

/// Everything the advisor remembers about one conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub advisor: AdvisorId,
    /// The advisor file's version the conversation started on.
    pub advisor_version: String,
    /// The version of all editor files the conversation started on; it stays on it while the
    /// server keeps that version (set by the server, not by the dialogue).
    #[serde(default)]
    pub shop_version: String,
    pub locale: Locale,
    /// Only when the client sent it; used to greet the customer and nothing else.
    pub customer_name: Option<String>,
    /// Number of accepted inputs so far.
    pub turn: u32,
    /// What the customer said, in order. One input may add several entries (a free text
    /// answering two questions); they share its turn, and "back" undoes them together.
    pub events: Vec<Entry>,
    /// The question whose answer the customer asked to change, asked again now.
    #[serde(default)]
    pub changing: Option<QuestionId>,
    /// A single-choice question the customer named two options of in one sentence: asked back
    /// with just those until it is answered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clarifying: Option<Clarifying>,
    /// Earlier event logs, most recent last, so that "back" undoes any input exactly.
    #[serde(default)]
    pub history: Vec<Snapshot>,
    /// Whether the conversation has reached a shortlist at least once (set by the server, for
    /// its counts of completed and abandoned conversations).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub completed: bool,
    /// The client's message ids already applied, and the reply to the last one (set by the
    /// server, so that a retried request applies nothing twice).
    #[serde(default, skip_serializing_if = "Delivered::is_empty")]
    pub delivered: Delivered,
    /// Whether the customer asked for a person, and how often they got stuck so far.
    #[serde(default, skip_serializing_if = "HandoffState::is_empty")]
    pub handoff: HandoffState,
    /// What the client told about the situation, and the context rules in effect.
    #[serde(default, skip_serializing_if = "ContextState::is_empty")]
    pub context: ContextState,
    /// Next steps taken or declined, products carted (reported by the client).
    #[serde(default, skip_serializing_if = "Feedback::is_empty")]
    pub feedback: Feedback,
    /// The A/B variant (`a` or `b`) when the advisor runs an experiment (set by the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<String>,
    /// The client asked not to be counted: no analytics events for this conversation.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub opt_out: bool,
    /// What the reply to the last input that changed the conversation said about it (set by the
    /// server), so that the reply can be shown again exactly (a retry, `GET`) without keeping
    /// its text.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub said: Vec<Notice>,
}

/// Client message ids already applied to a conversation, most recent last.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivered {
    pub ids: Vec<String>,
    /// A digest of the input applied with each id (same order), so an id reused with another
    /// input is recognised; empty for conversations stored before digests were kept.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub digests: Vec<String>,
    /// The reply body sent for the last id, as conversations stored by earlier releases kept
    /// it; read, never written (the reply is rendered again from the state and `State::said`).
    #[serde(default, skip_serializing)]
    pub last_reply: Option<String>,
}

impl Delivered {
    /// How many message ids a conversation remembers.
    pub const KEEP: usize = 16;

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.iter().any(|known| known == id)
    }

    /// Whether `id` is the last message applied (its reply is the conversation's last reply).
    pub fn is_last(&self, id: &str) -> bool {
        self.ids.last().map(String::as_str) == Some(id)
    }

    /// The reply body an earlier release kept for `id`, if it was the last message applied.
    pub fn kept_reply_to(&self, id: &str) -> Option<&str> {
        self.is_last(id)
            .then_some(self.last_reply.as_deref())
            .flatten()
    }

    /// Whether `id` was applied with another input than the one of `digest` (an id recorded
    /// without a digest is taken as the same input).
    pub fn reused(&self, id: &str, digest: &str) -> bool {
        self.ids
            .iter()
            .position(|known| known == id)
            .and_then(|at| self.digests.get(at))
            .is_some_and(|known| known != digest)
    }

    /// Records `id` as applied, for the input of `digest`.
    pub fn record(&mut self, id: String, digest: String) {
        // Older states kept no digests: align them before adding.
        self.digests.resize(self.ids.len(), String::new());
        if let Some(at) = self.ids.iter().position(|known| *known == id) {
            self.ids.remove(at);
            self.digests.remove(at);
        }
        self.ids.push(id);
        self.digests.push(digest);
        if self.ids.len() > Self::KEEP {
            self.ids.remove(0);
            self.digests.remove(0);
        }
        self.last_reply = None;
    }
}

/// The part of a state that "back" restores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub events: Vec<Entry>,
    #[serde(default)]
    pub changing: Option<QuestionId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clarifying: Option<Clarifying>,
}

/// A question asked back with only the options the customer named ("Brakes or tyres?").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clarifying {
    pub question: QuestionId,
    pub options: Vec<OptionId>,
}

/// One event with the turn that added it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub turn: u32,
    #[serde(flatten)]
    pub event: Event,
}

/// Something the customer said that shapes the recommendation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Event {
    /// The chosen options of one question.
    Answer {
        question: QuestionId,
        values: Vec<OptionId>,
    },
    /// The customer declined to answer this question.
    Skip { question: QuestionId },
    /// Free-text words that matched no option but the catalogue knows: products whose texts
    /// have them rank higher.
    Wish { text: String },
    /// Free-text words a negation reached ("without a hood"): products with them rank lower.
    AvoidWords { text: String },
    /// Free-text words found in a text field the catalogue marks `filter: true` (a brand):
    /// only products having one of them stay.
    Require { text: String },
    /// An amount from free text ("under $80"): a range on a number (both ends inclusive),
    /// answering the question that asks for it, if any.
    Amount {
        number: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        question: Option<QuestionId>,
    },
    /// A negated option ("not for running"): products meeting it are left out (a filter) or
    /// rank lower (a preference).
    Avoid {
        question: QuestionId,
        option: OptionId,
    },
    /// A comparative before any shortlist ("something cheaper"): products in the critique's
    /// direction rank higher.
    Lean { critique: OptionId },
    /// A refinement after the shortlist; numeric critiques remember the bound they set.
    Critique {
        critique: OptionId,
        #[serde(default)]
        bound: Option<f64>,
    },
    /// "Not this one."
    Exclude { product: ProductId },
    /// "More like this one."
    Similar { product: ProductId },
}

/// What the customer did.
#[derive(Debug, Clone, PartialEq)]
pub enum Input {
    /// The ids as the client sent them; the step checks them against what is on offer.
    Answer {
        question: String,
        values: Vec<String>,
    },
    /// Free text, mapped to options where possible.
    Text(String),
    Action(Action),
}

/// Navigation and refinements the customer can ask for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Undo the last input.
    Back,
    /// Forget every answer and start over.
    Restart,
    /// Do not answer the question on offer.
    Skip,
    /// Ask this earlier question again; later answers that no longer apply are dropped.
    Change { question: String },
    /// Drop these wishes (constraint keys offered in a repair) to bring products back.
    Relax { drop: Vec<String> },
    /// Apply an advisor critique, relative to a shortlisted product (default: the first).
    Critique {
        critique: String,
        product: Option<String>,
    },
    /// Show products like this one.
    Similar { product: String },
    /// Never show this product again in this conversation.
    Exclude { product: String },
    /// Hand the conversation to a person (when the advisor has a contact).
    Handoff,
}

impl Action {
    /// The stable name clients send.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Back => "back",
            Action::Restart => "restart",
            Action::Skip => "skip",
            Action::Change { .. } => "change",
            Action::Relax { .. } => "relax",
            Action::Critique { .. } => "critique",
            Action::Similar { .. } => "similar",
            Action::Exclude { .. } => "exclude",
            Action::Handoff => "handoff",
        }
    }
}

/// Something worth telling the customer about the last input, beyond the new question. Kept
/// with the state (`State::said`), so the last reply can be shown again exactly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Notice {
    /// The chosen options together leave no product.
    NoMatch {
        question: usize,
        options: Vec<usize>,
    },
    /// The last input was undone; `question` is the question it answered, if any.
    WentBack { question: Option<usize> },
    /// All answers were forgotten.
    Restarted,
    /// The question was skipped.
    Skipped { question: usize },
    /// The customer is changing the answer to this question.
    Changing { question: usize },
    /// Answers to these questions no longer apply after a change and were dropped.
    Dropped { questions: Vec<usize> },
    /// The conversation moved to another version of the editor files: answers to these
    /// questions (or some of their options) and `others` further wishes no longer exist there
    /// and were dropped.
    Updated {
        questions: Vec<usize>,
        others: usize,
    },
    /// What a free text was understood as.
    Understood(Understanding),
    /// Two options of a single-choice question were named: it is asked back with just those.
    Clarify {
        question: usize,
        options: Vec<usize>,
    },
    /// The customer asked for a need the shop does not carry (index); nothing changed.
    NotCarried { need: usize },
    /// An amount is below every product in scope: the cheapest costs `cheapest`.
    BelowCheapest { number: String, cheapest: f64 },
    /// Amounts contradict each other ("under 50 and over 100"); they were not used.
    AmountConflict,
    /// Nothing in a free text could be used; nothing was changed.
    NotUnderstood,
    /// These wishes were dropped to bring products back.
    Relaxed { sources: Vec<Source> },
    /// A critique was applied.
    Critiqued { critique: usize },
    /// A product was excluded.
    Excluded { product: u32 },
    /// Products like this one are shown.
    SimilarTo { product: u32 },
    /// The conversation is handed to a person (also when it already was).
    HandedOff,
    /// The customer got stuck repeatedly: a person is offered.
    HandoffOffered,
    /// A context rule (index) answered or skipped these questions for the customer.
    ContextApplied { rule: usize, questions: Vec<usize> },
}

/// What a free text changed, for the reply.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Understanding {
    /// Answers taken: (question, options).
    pub answers: Vec<(usize, Vec<usize>)>,
    /// Ranges read from amounts.
    pub amounts: Vec<AmountRange>,
    /// Negated options: (question, option).
    pub avoided: Vec<(usize, usize)>,
    /// Negated words the catalogue knows.
    pub avoided_words: Option<String>,
    /// Critiques leaned towards before a shortlist.
    pub leaning: Vec<usize>,
    /// Words that rank products whose texts have them.
    pub wish: Option<String>,
    /// Words in filtering text fields that products must have.
    pub required: Option<String>,
    /// Words that matched neither an option nor anything in the catalogue.
    pub ignored: Vec<String>,
}

impl Understanding {
    /// Nothing usable was found (ignored words do not count).
    pub fn is_empty(&self) -> bool {
        self.answers.is_empty()
            && self.amounts.is_empty()
            && self.avoided.is_empty()
            && self.avoided_words.is_none()
            && self.leaning.is_empty()
            && self.wish.is_none()
            && self.required.is_none()
    }
}

/// A range read from an amount in free text (both ends inclusive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AmountRange {
    /// `price` or the name of a catalogue number.
    pub number: String,
    pub min: Option<f64>,
    pub max: Option<f64>,
}

/// The result of a step: the state to keep and what to show.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub state: State,
    pub evaluation: Evaluation,
    pub notices: Vec<Notice>,
    /// What the reply proposes beside its question or shortlist (filled by the entry points of
    /// `respond.rs`; empty from `start` and `step` alone).
    pub proposals: Proposals,
    /// The evaluation of the state the input was applied to (set by `step`).
    pub before: Option<Evaluation>,
}

impl State {
    /// Whether the question on offer in `evaluation` can be skipped: there is one, and it is not
    /// an answer being changed ("back" cancels a change). The reply offers "skip" exactly then.
    pub fn can_skip(&self, evaluation: &Evaluation) -> bool {
        evaluation.next.is_some() && self.changing.is_none()
    }

    /// Whether the customer can undo something (the reply offers "back" and "restart" exactly
    /// then).
    pub fn can_go_back(&self) -> bool {
        !self.events.is_empty() || self.changing.is_some() || self.handoff.handed_off
    }

    /// The state before the last input: from the history, or (when the history was cut) with
    /// every entry of the last turn removed.
    pub fn before_last_input(&self) -> Option<State> {
        let mut previous = self.clone();
        previous.clarifying = None;
        if let Some(snapshot) = previous.history.pop() {
            previous.events = snapshot.events;
            previous.changing = snapshot.changing;
            previous.clarifying = snapshot.clarifying;
        } else if previous.changing.take().is_none() {
            let last = previous.events.last()?.turn;
            previous.events.retain(|entry| entry.turn != last);
        }
        Some(previous)
    }

    /// Remembers the current events before an input changes them.
    pub(crate) fn remember(&mut self, previous: &State) {
        self.history.push(Snapshot {
            events: previous.events.clone(),
            changing: previous.changing.clone(),
            clarifying: previous.clarifying.clone(),
        });
        if self.history.len() > MAX_HISTORY {
            self.history.remove(0);
        }
    }
}

#[cfg(test)]
mod handoff_tests;
#[cfg(test)]
mod next_tests;
#[cfg(test)]
mod properties;
#[cfg(test)]
mod shortlist_properties;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod text_tests;
