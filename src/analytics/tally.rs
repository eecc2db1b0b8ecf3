//! From events to conversations. Events are folded per pseudonym into a `Conversation` (what it
//! was asked and answered, how it ended, what the customer did after); only conversations whose
//! start is among the events count, so a report since a day is the cohort started since then.
//! `figures.rs` counts them.

use std::collections::{BTreeMap, BTreeSet};

use super::{Event, EventKind, Feedback, safe_words};

/// One conversation as the report sees it.
#[derive(Debug, Default)]
pub(super) struct Conversation<'a> {
    pub(super) advisor: &'a str,
    pub(super) variant: Option<&'a str>,
    pub(super) version: &'a str,
    pub(super) last_at: u64,
    /// The question on offer at the last start or turn.
    pub(super) on_offer: Option<&'a str>,
    pub(super) asked: BTreeSet<&'a str>,
    pub(super) answers: BTreeSet<(&'a str, &'a str)>,
    pub(super) skipped: BTreeSet<&'a str>,
    /// Per answer that answered one question alone: the question and the share of candidates
    /// it kept.
    pub(super) kept: Vec<(&'a str, f64)>,
    /// Questions answered at the first shortlist.
    pub(super) shortlist: Option<u32>,
    pub(super) handed_off: bool,
    pub(super) viewed: bool,
    pub(super) carted: bool,
    pub(super) purchased: bool,
    pub(super) proposed: BTreeSet<&'a str>,
    pub(super) accepted: BTreeSet<&'a str>,
    pub(super) rejected: BTreeSet<&'a str>,
    pub(super) words: BTreeSet<String>,
    pub(super) dead_ends: BTreeSet<String>,
}

impl Conversation<'_> {
    pub(super) fn completed(&self) -> bool {
        self.shortlist.is_some()
    }

    pub(super) fn added_to_cart(&self) -> bool {
        self.carted
    }

    /// Neither a shortlist nor a person, and idle for longer than `abandon_after` seconds.
    pub(super) fn abandoned(&self, now: u64, abandon_after: u64) -> bool {
        !self.completed() && !self.handed_off && self.last_at + abandon_after < now
    }
}

/// The conversations of these events, by pseudonym.
pub(super) fn conversations(events: &[Event]) -> BTreeMap<&str, Conversation<'_>> {
    let mut found = BTreeMap::new();
    for event in events {
        if let EventKind::Started { question, .. } = &event.kind {
            found
                .entry(event.conversation.as_str())
                .or_insert_with(|| Conversation {
                    advisor: &event.advisor,
                    variant: event.variant.as_deref(),
                    version: &event.version,
                    last_at: event.at,
                    on_offer: question.as_deref(),
                    asked: question.as_deref().into_iter().collect(),
                    ..Conversation::default()
                });
        }
    }
    for event in events {
        if let Some(conversation) = found.get_mut(event.conversation.as_str()) {
            conversation.last_at = conversation.last_at.max(event.at);
            apply(conversation, &event.kind);
        }
    }
    found
}

fn apply<'a>(conversation: &mut Conversation<'a>, kind: &'a EventKind) {
    match kind {
        EventKind::Started { .. } => {}
        EventKind::Turn {
            input,
            question,
            answers,
            before,
            after,
            outcome,
            next_question,
            unmatched,
            dead_end,
            ..
        } => {
            conversation.asked.extend(question.as_deref());
            conversation.asked.extend(next_question.as_deref());
            conversation.on_offer = next_question.as_deref();
            if input == "skip" {
                conversation.skipped.extend(question.as_deref());
            }
            if let ([answered], "answer" | "text", true) =
                (answers.as_slice(), input.as_str(), *before > 0)
            {
                let share = f64::from(*after) / f64::from(*before);
                conversation.kept.push((&answered.question, share.min(1.0)));
            }
            for answered in answers {
                for option in &answered.options {
                    conversation.answers.insert((&answered.question, option));
                }
            }
            conversation.handed_off |= outcome == "handed_off";
            conversation.words.extend(safe_words(unmatched));
            if outcome == "dead_end" && !dead_end.is_empty() {
                let mut wishes: Vec<&str> = dead_end.iter().map(String::as_str).collect();
                wishes.sort_unstable();
                conversation.dead_ends.insert(wishes.join(", "));
            }
        }
        EventKind::Shortlist {
            questions,
            next_step,
            ..
        } => {
            conversation.shortlist.get_or_insert(*questions);
            conversation.proposed.extend(next_step.as_deref());
        }
        EventKind::Feedback { action, step, .. } => {
            let step = step
                .as_deref()
                .or_else(|| conversation.proposed.first().copied());
            match action {
                Feedback::ProductViewed | Feedback::ProductClicked => conversation.viewed = true,
                Feedback::AddedToCart => conversation.carted = true,
                Feedback::Purchased => conversation.purchased = true,
                Feedback::HandoffUsed => conversation.handed_off = true,
                Feedback::NextStepAccepted => conversation.accepted.extend(step),
                Feedback::NextStepRejected => conversation.rejected.extend(step),
            }
        }
    }
}
