//! The report on hand-built conversations with the `jackets` advisor (questions `who`, `where`,
//! `protection`, `season`, `budget`) and the funnel, answers, questions to a shortlist,
//! engagement and next steps; `report_forms_tests.rs` has the rest.

use super::report::*;
use super::*;
use crate::analytics::{Answered, EventKind, Feedback};

pub(super) const NOW: u64 = 1_700_000_000;
pub(super) const MINUTE: u64 = 60;

pub(super) fn event(conversation: &str, at: u64, kind: EventKind) -> Event {
    Event {
        at,
        conversation: conversation.into(),
        advisor: "jackets".into(),
        variant: None,
        version: "v1".into(),
        kind,
    }
}

pub(super) fn started(conversation: &str, at: u64) -> Event {
    let kind = EventKind::Started {
        locale: "en".into(),
        question: Some("who".into()),
        context: vec![],
    };
    event(conversation, at, kind)
}

pub(super) fn turn(
    c: &str,
    at: u64,
    input: &str,
    answers: &[(&str, &str)],
    outcome: &str,
    next: Option<&str>,
) -> Event {
    let asked = answers.first().map(|(question, _)| (*question).to_string());
    let kind = EventKind::Turn {
        turn: 1,
        input: input.into(),
        question: asked,
        answers: answers
            .iter()
            .map(|(question, option)| Answered {
                question: (*question).into(),
                options: vec![(*option).into()],
            })
            .collect(),
        before: 100,
        after: 40,
        outcome: outcome.into(),
        next_question: next.map(str::to_string),
        unmatched: vec![],
        dead_end: vec![],
    };
    event(c, at, kind)
}

pub(super) fn dead_end(c: &str, at: u64, wishes: &[&str], words: &[&str]) -> Event {
    let mut event = turn(c, at, "text", &[], "dead_end", None);
    if let EventKind::Turn {
        unmatched,
        dead_end,
        ..
    } = &mut event.kind
    {
        *unmatched = words.iter().map(|word| (*word).to_string()).collect();
        *dead_end = wishes.iter().map(|wish| (*wish).to_string()).collect();
    }
    event
}

pub(super) fn shortlist(c: &str, at: u64, questions: u32, next_step: Option<&str>) -> Event {
    let kind = EventKind::Shortlist {
        questions,
        products: vec!["jacket-17".into(), "jacket-3".into()],
        next_step: next_step.map(str::to_string),
    };
    event(c, at, kind)
}

pub(super) fn feedback(c: &str, at: u64, action: Feedback, step: Option<&str>) -> Event {
    let kind = EventKind::Feedback {
        action,
        product: Some("jacket-17".into()),
        step: step.map(str::to_string),
    };
    event(c, at, kind)
}

/// Eight conversations: three complete, two abandoned at `where`, one at a dead end, one still
/// active, one handed to a person; plus feedback of a conversation started before the window.
pub(super) fn jackets() -> Vec<Event> {
    let old = NOW - 3 * 60 * MINUTE;
    let mut events = vec![feedback("before", old, Feedback::AddedToCart, None)];
    for (c, who, place, protection) in [
        ("c1", "women", "trail", "rain"),
        ("c2", "men", "running", "wind"),
    ] {
        events.extend([
            started(c, old),
            turn(
                c,
                old + 10,
                "answer",
                &[("who", who)],
                "question",
                Some("where"),
            ),
            turn(
                c,
                old + 20,
                "answer",
                &[("where", place)],
                "question",
                Some("protection"),
            ),
            turn(
                c,
                old + 30,
                "answer",
                &[("protection", protection)],
                "shortlist",
                None,
            ),
            shortlist(c, old + 30, 3, Some("compare")),
            feedback(c, old + 40, Feedback::ProductViewed, None),
        ]);
    }
    events.extend([
        feedback("c1", old + 50, Feedback::AddedToCart, None),
        feedback("c1", old + 60, Feedback::Purchased, None),
        feedback("c1", old + 70, Feedback::NextStepAccepted, Some("compare")),
        feedback("c2", old + 70, Feedback::NextStepRejected, None),
        started("c3", old),
        turn(
            "c3",
            old + 10,
            "answer",
            &[("who", "women")],
            "question",
            Some("where"),
        ),
        turn(
            "c3",
            old + 20,
            "answer",
            &[("where", "trail")],
            "question",
            Some("protection"),
        ),
        turn(
            "c3",
            old + 30,
            "answer",
            &[("protection", "cold")],
            "question",
            Some("season"),
        ),
        turn(
            "c3",
            old + 40,
            "answer",
            &[("season", "winter")],
            "shortlist",
            None,
        ),
        shortlist("c3", old + 40, 4, None),
        shortlist("c3", old + 50, 5, None),
    ]);
    for (c, last) in [("c4", NOW - 60 * MINUTE), ("c5", NOW - 120 * MINUTE)] {
        events.extend([
            started(c, last - 30),
            turn(
                c,
                last - 20,
                "answer",
                &[("who", "any")],
                "question",
                Some("where"),
            ),
            dead_end(
                c,
                last - 10,
                &["where=studio", "protection=cold"],
                &["Goretex", "jane@example.com", "hiking"],
            ),
            turn(c, last, "back", &[], "question", Some("where")),
        ]);
    }
    events.extend([
        started("c6", NOW - 2 * MINUTE),
        turn(
            "c6",
            NOW - MINUTE,
            "answer",
            &[("who", "women")],
            "question",
            Some("where"),
        ),
        started("c7", old),
        turn("c7", old + 10, "handoff", &[], "handed_off", None),
        started("c8", old),
        turn(
            "c8",
            old + 10,
            "answer",
            &[("who", "women")],
            "question",
            Some("where"),
        ),
        dead_end(
            "c8",
            old + 20,
            &["protection=cold", "where=studio"],
            &["goretex", "jane@example.com"],
        ),
        dead_end("c8", old + 30, &["budget=under_50", "season=winter"], &[]),
    ]);
    events.sort_by_key(|event| event.at);
    events
}

pub(super) fn settings() -> AnalyticsSettings {
    AnalyticsSettings::default()
}

#[test]
fn the_funnel_tells_abandoned_from_active_and_handed_off() {
    let report = build(&jackets(), NOW, &settings());
    assert_eq!(report.advisors.len(), 1);
    let funnel = &report.advisors[0].figures.funnel;
    assert_eq!(
        (
            funnel.started,
            funnel.completed,
            funnel.abandoned,
            funnel.active,
            funnel.handed_off
        ),
        (8, 3, 3, 1, 1)
    );
    assert_eq!(funnel.completion_rate, Some(3.0 / 8.0));
}

#[test]
fn answers_questions_to_shortlist_clicks_and_next_steps() {
    let report = build(&jackets(), NOW, &settings());
    let figures = &report.advisors[0].figures;
    let who = &figures.answers[0];
    assert_eq!((who.question.as_str(), who.conversations), ("who", 7));
    let options: Vec<(&str, u64)> = who
        .options
        .iter()
        .map(|o| (o.value.as_str(), o.conversations))
        .collect();
    assert_eq!(options, [("women", 4), ("any", 2), ("men", 1)]);
    let summary = &figures.questions_to_shortlist;
    assert_eq!(summary.conversations, 3);
    assert_eq!(summary.median, Some(3.0));
    assert!(
        (summary.mean.expect("mean") - 10.0 / 3.0).abs() < 1e-9,
        "first shortlist only"
    );
    let engagement = &figures.engagement;
    assert_eq!(
        (
            engagement.clicked,
            engagement.added_to_cart,
            engagement.purchased
        ),
        (2, 1, 1)
    );
    assert_eq!(engagement.click_rate, Some(2.0 / 3.0));
    assert_eq!(engagement.add_to_cart_rate, Some(1.0 / 3.0));
    let step = &figures.next_steps[0];
    assert_eq!(
        (
            step.step.as_str(),
            step.proposed,
            step.accepted,
            step.rejected
        ),
        ("compare", 2, 1, 1)
    );
    assert_eq!(step.accepted_rate, Some(0.5));
}
