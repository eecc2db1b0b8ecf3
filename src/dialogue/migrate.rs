//! A conversation carried to another version of the editor files, when the version it started
//! on is no longer served (more reloads than are kept, a restart with changed files, or an
//! instance of a rolling deploy that has other files). Never silent: every answer that still
//! exists is kept, the rest is dropped, and the reply says which (`Notice::Updated`).

use super::step::finish;
use super::{Clarifying, Entry, Event, Notice, Outcome, Snapshot, State, StepError};
use crate::catalog::Catalog;
use crate::questions::Advisor;

/// Carries `state` over to `advisor` (of the shop version `version`): the events that refer to
/// questions, options, critiques, numbers or products the new files no longer have are
/// dropped, answers whose `ask_if` no longer holds too, and the notices say what went.
/// Nothing is dropped and no notice is given when everything still exists.
pub fn migrate(
    advisor: &Advisor,
    catalog: &Catalog,
    state: &State,
    version: &str,
) -> Result<Outcome, StepError> {
    let mut next = state.clone();
    next.shop_version = version.to_string();
    next.advisor_version.clone_from(&advisor.version);
    // They name questions and products by their place in the old files.
    next.said.clear();
    let mut lost = Lost::default();
    next.events = keep(advisor, catalog, &state.events, &mut lost);
    let mut ignored = Lost::default();
    for snapshot in &mut next.history {
        *snapshot = Snapshot {
            events: keep(advisor, catalog, &snapshot.events, &mut ignored),
            changing: snapshot
                .changing
                .take()
                .filter(|q| advisor.question(q).is_some()),
            clarifying: snapshot
                .clarifying
                .take()
                .filter(|c| still_offered(advisor, c)),
        };
    }
    if next
        .changing
        .as_ref()
        .is_some_and(|q| advisor.question(q).is_none())
    {
        next.changing = None;
    }
    if next
        .clarifying
        .as_ref()
        .is_some_and(|c| !still_offered(advisor, c))
    {
        next.clarifying = None;
    }
    next.context
        .rules
        .retain(|id| advisor.context.iter().any(|rule| &rule.id == id));
    let mut notices = Vec::new();
    if !lost.questions.is_empty() || lost.others > 0 {
        notices.push(Notice::Updated {
            questions: lost.questions,
            others: lost.others,
        });
    }
    finish(advisor, catalog, next, notices)
}

/// What a migration dropped: the questions (of the new version) whose answers went, and how
/// many other wishes referred to something the new files do not have.
#[derive(Default)]
struct Lost {
    questions: Vec<usize>,
    others: usize,
}

impl Lost {
    fn question(&mut self, index: usize) {
        if !self.questions.contains(&index) {
            self.questions.push(index);
        }
    }
}

/// The events that still refer to what the new files have, with options the new version no
/// longer has taken out of answers.
fn keep(advisor: &Advisor, catalog: &Catalog, events: &[Entry], lost: &mut Lost) -> Vec<Entry> {
    let mut kept = Vec::with_capacity(events.len());
    for entry in events {
        let event = match &entry.event {
            Event::Answer { question, values } => {
                let Some((index, asked)) = advisor.question(question) else {
                    lost.others += 1;
                    continue;
                };
                let existing: Vec<_> = values
                    .iter()
                    .filter(|value| asked.option(value).is_some())
                    .cloned()
                    .collect();
                if existing.len() != values.len() {
                    lost.question(index);
                }
                if existing.is_empty() {
                    continue;
                }
                Event::Answer {
                    question: question.clone(),
                    values: existing,
                }
            }
            // A skipped question that is gone leaves nothing to lose.
            Event::Skip { question } if advisor.question(question).is_none() => continue,
            Event::Amount {
                number,
                min,
                max,
                question,
            } => {
                if catalog.number(number).is_none() {
                    lost.others += 1;
                    continue;
                }
                Event::Amount {
                    number: number.clone(),
                    min: *min,
                    max: *max,
                    // The range still holds when its question is gone; it just answers none.
                    question: question.clone().filter(|q| advisor.question(q).is_some()),
                }
            }
            Event::Avoid { question, option } => {
                let exists = advisor
                    .question(question)
                    .is_some_and(|(_, q)| q.option(option).is_some());
                if !exists {
                    lost.others += 1;
                    continue;
                }
                entry.event.clone()
            }
            Event::Lean { critique } | Event::Critique { critique, .. }
                if advisor.critique(critique.as_str()).is_none() =>
            {
                lost.others += 1;
                continue;
            }
            Event::Similar { product } if catalog.ordinal(product).is_none() => {
                lost.others += 1;
                continue;
            }
            // A product no longer sold needs no exclusion.
            Event::Exclude { product } if catalog.ordinal(product).is_none() => continue,
            event => event.clone(),
        };
        kept.push(Entry {
            turn: entry.turn,
            event,
        });
    }
    kept
}

/// Whether the question asked back and every option named still exist.
fn still_offered(advisor: &Advisor, clarifying: &Clarifying) -> bool {
    advisor
        .question(&clarifying.question)
        .is_some_and(|(_, q)| clarifying.options.iter().all(|o| q.option(o).is_some()))
}

#[cfg(test)]
mod tests {
    use super::super::tests::Transcript;
    use super::*;
    use crate::ids::{OptionId, ProductId, QuestionId};

    fn q(raw: &str) -> QuestionId {
        QuestionId::parse(raw).expect("a question id")
    }

    fn o(raw: &str) -> OptionId {
        OptionId::parse(raw).expect("an option id")
    }

    fn entry(turn: u32, event: Event) -> Entry {
        Entry { turn, event }
    }

    #[test]
    fn a_move_keeps_what_still_exists_and_names_what_went() {
        let mut transcript = Transcript::jackets();
        transcript
            .text("for a man, hiking in the rain")
            .expect("understood");
        let advisor = transcript.advisor().clone();
        let catalog = transcript.catalog();
        let mut state = transcript.outcome.state.clone();
        let kept = state.events.clone();
        let who = advisor
            .question(&q("who"))
            .map(|(index, _)| index)
            .expect("who");
        // As if written by an earlier version: an option renamed since, a question and a
        // critique gone, a product no longer sold.
        for event in &mut state.events {
            if let Event::Answer { question, values } = &mut event.event
                && question.as_str() == "who"
            {
                *values = vec![o("gents")];
            }
        }
        let turn = state.turn;
        state.events.push(entry(
            turn,
            Event::Skip {
                question: q("colour"),
            },
        ));
        state.events.push(entry(
            turn,
            Event::Answer {
                question: q("hood"),
                values: vec![o("yes")],
            },
        ));
        state.events.push(entry(
            turn,
            Event::Lean {
                critique: o("shinier"),
            },
        ));
        state.events.push(entry(
            turn,
            Event::Exclude {
                product: ProductId::parse("no-such-product").expect("an id"),
            },
        ));
        let moved = migrate(&advisor, catalog, &state, "next").expect("migrates");
        assert_eq!(moved.state.shop_version, "next");
        assert_eq!(
            moved.notices,
            vec![Notice::Updated {
                questions: vec![who],
                others: 2
            }]
        );
        let expected: Vec<Entry> = kept
            .into_iter()
            .filter(|e| !matches!(&e.event, Event::Answer { question, .. } if question.as_str() == "who"))
            .collect();
        assert_eq!(moved.state.events, expected);
    }

    #[test]
    fn a_move_that_loses_nothing_says_nothing() {
        let mut transcript = Transcript::jackets();
        transcript
            .text("for a woman, in the city")
            .expect("understood");
        let advisor = transcript.advisor().clone();
        let state = transcript.outcome.state.clone();
        let moved = migrate(&advisor, transcript.catalog(), &state, "next").expect("migrates");
        assert!(moved.notices.is_empty(), "{:?}", moved.notices);
        assert_eq!(moved.state.events, state.events);
        assert_eq!(moved.state.history, state.history);
    }
}
