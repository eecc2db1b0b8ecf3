//! Handing a conversation to a person: what a handed-off conversation still accepts, and when
//! the advisor offers a person by itself (the customer got stuck repeatedly).

use serde::{Deserialize, Serialize};

use super::step::{InputError, MAX_TEXT_CHARS};
use super::{Action, Input, Notice, Outcome, State, text};
use crate::questions::Advisor;

/// Where a conversation stands with a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffState {
    /// The customer asked for a person: until `back` or `restart`, other inputs are refused.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub handed_off: bool,
    /// Inputs that led into a dead end, so far (kept by `back` and `restart`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub dead_ends: u32,
    /// "Not this one", so far (kept by `back` and `restart`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub exclusions: u32,
}

impl HandoffState {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

fn is_zero(count: &u32) -> bool {
    *count == 0
}

/// The input as the step should see it: a text asking for a person becomes the handoff action;
/// while the conversation is handed off, only `back`, `restart` and `handoff` are taken.
pub(super) fn screen(advisor: &Advisor, state: &State, input: Input) -> Result<Input, InputError> {
    let input = match input {
        Input::Text(words)
            if advisor.handoff.is_some()
                && words.trim().chars().count() <= MAX_TEXT_CHARS
                && text::asks_for_person(advisor, &state.locale, &words) =>
        {
            Input::Action(Action::Handoff)
        }
        other => other,
    };
    let allowed = matches!(
        input,
        Input::Action(Action::Back | Action::Restart | Action::Handoff)
    );
    if state.handoff.handed_off && !allowed {
        return Err(InputError::HandedOff);
    }
    Ok(input)
}

/// Counts dead ends and exclusions of an applied input and, the first time either reaches the
/// advisor's `offer_after`, adds the offer of a person to the notices.
pub(super) fn count(advisor: &Advisor, before: &State, was_dead_end: bool, outcome: &mut Outcome) {
    let Some(handoff) = &advisor.handoff else {
        return;
    };
    if outcome.state == *before || outcome.state.handoff.handed_off {
        return;
    }
    let counts = &mut outcome.state.handoff;
    if outcome.evaluation.is_dead_end() && !was_dead_end {
        counts.dead_ends += 1;
    }
    if outcome
        .notices
        .iter()
        .any(|n| matches!(n, Notice::Excluded { .. }))
    {
        counts.exclusions += 1;
    }
    let reached = |was: u32, now: u32| was < handoff.offer_after && now >= handoff.offer_after;
    if reached(before.handoff.dead_ends, counts.dead_ends)
        || reached(before.handoff.exclusions, counts.exclusions)
    {
        outcome.notices.push(Notice::HandoffOffered);
    }
}
