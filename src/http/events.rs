//! Analytics from the conversation routes: the anonymous events of a start and of every applied
//! turn (with a shortlist event when one is shown), and `record` for the client's reports
//! (`feedback.rs`). Nothing is recorded for a conversation whose client opted out; events carry a
//! pseudonym, never the conversation id, and no free text beyond filtered words.

use crate::analytics::{self, Answered, Event, EventKind, Recorder};
use crate::catalog::Catalog;
use crate::dialogue::{Evaluation, Event as Said, Input, Notice, Outcome, Source, State};
use crate::ids::ConversationId;
use crate::questions::Advisor;

/// Records a started conversation (its first question, the context rules in effect).
pub(super) fn started(
    recorder: &Recorder,
    catalog: &Catalog,
    id: &ConversationId,
    advisor: &Advisor,
    outcome: &Outcome,
) {
    let state = &outcome.state;
    record(
        recorder,
        id,
        advisor,
        state,
        EventKind::Started {
            locale: state.locale.to_string(),
            question: asked(advisor, &outcome.evaluation),
            context: state.context.rules.clone(),
        },
    );
    shortlist(recorder, catalog, id, advisor, outcome);
}

/// Records an applied input: what it answered, the candidates before and after, where the
/// conversation is now, and the words of a free text that matched nothing.
pub(super) fn turned(
    recorder: &Recorder,
    catalog: &Catalog,
    id: &ConversationId,
    advisor: &Advisor,
    before: &State,
    input: &Input,
    outcome: &Outcome,
) {
    if before.opt_out || !recorder.is_enabled() {
        return;
    }
    // `dialogue::respond` keeps the evaluation of the state the input was applied to.
    let Some(previous) = &outcome.before else {
        return;
    };
    let state = &outcome.state;
    let evaluation = &outcome.evaluation;
    let answers = state
        .events
        .iter()
        .filter(|entry| !before.events.contains(entry))
        .filter_map(|entry| match &entry.event {
            Said::Answer { question, values } => Some(Answered {
                question: question.to_string(),
                options: values.iter().map(ToString::to_string).collect(),
            }),
            _ => None,
        })
        .collect();
    let mut unmatched = Vec::new();
    for notice in &outcome.notices {
        match (notice, input) {
            (Notice::Understood(understood), _) => {
                unmatched.extend(understood.ignored.iter().cloned());
            }
            (Notice::NotUnderstood, Input::Text(text)) => {
                unmatched.extend(text.split_whitespace().map(str::to_lowercase));
            }
            _ => {}
        }
    }
    let outcome_name = if state.handoff.handed_off {
        "handed_off"
    } else if evaluation.is_dead_end() {
        "dead_end"
    } else if evaluation.is_complete() {
        "shortlist"
    } else {
        "question"
    };
    let dead_end = if evaluation.is_dead_end() {
        wishes(advisor, evaluation)
    } else {
        Vec::new()
    };
    record(
        recorder,
        id,
        advisor,
        state,
        EventKind::Turn {
            turn: state.turn,
            input: input_name(input).to_string(),
            question: asked(advisor, previous),
            answers,
            before: count(previous),
            after: count(evaluation),
            outcome: outcome_name.to_string(),
            next_question: asked(advisor, evaluation),
            unmatched: analytics::safe_words(&unmatched),
            dead_end,
        },
    );
    shortlist(recorder, catalog, id, advisor, outcome);
}

/// A shortlist event when the reply shows one.
fn shortlist(
    recorder: &Recorder,
    catalog: &Catalog,
    id: &ConversationId,
    advisor: &Advisor,
    outcome: &Outcome,
) {
    let evaluation = &outcome.evaluation;
    if !evaluation.is_complete() || evaluation.is_dead_end() || outcome.state.handoff.handed_off {
        return;
    }
    let questions = evaluation
        .answered
        .iter()
        .filter(|(_, options)| !options.is_empty())
        .count();
    record(
        recorder,
        id,
        advisor,
        &outcome.state,
        EventKind::Shortlist {
            questions: u32::try_from(questions).unwrap_or(u32::MAX),
            products: evaluation
                .shortlist
                .iter()
                .filter(|r| r.misses.is_empty())
                .filter_map(|r| catalog.product(r.ordinal))
                .map(|p| p.id().to_string())
                .collect(),
            next_step: outcome
                .proposals
                .next_step
                .as_ref()
                .map(|step| step.id(advisor)),
        },
    );
}

/// The wishes in force at a dead end, as `question=option` (free-text wishes as filtered
/// words, `text=word`).
fn wishes(advisor: &Advisor, evaluation: &Evaluation) -> Vec<String> {
    let mut wishes: Vec<String> = evaluation
        .constraints
        .iter()
        .flat_map(|constraint| match &constraint.source {
            Source::Answer {
                question, options, ..
            } => {
                let question = &advisor.questions[*question];
                options
                    .iter()
                    .map(|o| format!("{}={}", question.id, question.options[*o].id))
                    .collect()
            }
            Source::Amount { number, .. } => vec![format!("amount={number}")],
            Source::Require { text, .. } => {
                let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
                analytics::safe_words(&words)
                    .into_iter()
                    .map(|w| format!("text={w}"))
                    .collect()
            }

            Source::Critique { critique, .. } => {
                vec![format!("critique={}", advisor.critiques[*critique].id)]
            }
        })
        .collect();
    wishes.sort();
    wishes.dedup();
    wishes
}

fn asked(advisor: &Advisor, evaluation: &Evaluation) -> Option<String> {
    evaluation
        .next
        .as_ref()
        .map(|ask| advisor.questions[ask.question].id.to_string())
}

fn count(evaluation: &Evaluation) -> u32 {
    u32::try_from(evaluation.candidate_count()).unwrap_or(u32::MAX)
}

fn input_name(input: &Input) -> &'static str {
    match input {
        Input::Answer { .. } => "answer",
        Input::Text(_) => "text",
        Input::Action(action) => action.name(),
    }
}

/// Hands one event to the recorder, unless the conversation opted out.
pub(super) fn record(
    recorder: &Recorder,
    id: &ConversationId,
    advisor: &Advisor,
    state: &State,
    kind: EventKind,
) {
    if state.opt_out {
        return;
    }
    recorder.record(Event {
        at: analytics::unix_now(),
        conversation: analytics::pseudonym(id.as_str()),
        advisor: advisor.base_id().to_string(),
        variant: state.variant.clone(),
        version: advisor.version.clone(),
        kind,
    });
}
