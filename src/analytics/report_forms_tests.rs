//! Drop-off, the k-anonymity threshold, the A/B comparison, the JSON, text and HTML forms
//! (escaping included) and reading a folder, on the fixtures of `report_tests.rs`.

use super::report_tests::*;
use super::*;

#[test]
fn drop_off_names_the_question_on_offer_at_the_last_event() {
    let report = build(&jackets(), NOW, &settings());
    let rows = &report.advisors[0].figures.drop_off;
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].question.as_deref(), Some("where"));
    assert_eq!((rows[0].asked, rows[0].abandoned), (7, 2));
    assert_eq!(rows[0].share, Some(2.0 / 7.0));
    assert_eq!((rows[1].question.as_deref(), rows[1].abandoned), (None, 1));
    assert_eq!(rows[1].share, None);
}

#[test]
fn words_and_dead_ends_show_only_from_min_conversations_on() {
    let report = build(&jackets(), NOW, &settings());
    let no_match = &report.advisors[0].figures.no_match;
    let count = |value: &str, conversations| Count {
        value: value.into(),
        conversations,
    };
    assert_eq!(
        no_match.dead_ends,
        [count("protection=cold, where=studio", 3)]
    );
    assert_eq!(
        no_match.words,
        [count("goretex", 3)],
        "hiking: 2 conversations; e-mail never"
    );
    let lenient = AnalyticsSettings {
        min_conversations: 1,
        ..settings()
    };
    let report = build(&jackets(), NOW, &lenient);
    let no_match = &report.advisors[0].figures.no_match;
    assert_eq!(no_match.dead_ends.len(), 2);
    assert_eq!(no_match.words, [count("goretex", 3), count("hiking", 2)]);
}

#[test]
fn each_question_shows_how_often_it_is_answered_or_skipped_and_how_much_it_narrows() {
    let mut events = Vec::new();
    for (c, keep_who, skip_where) in [("q1", 90, false), ("q2", 50, true), ("q3", 10, false)] {
        let mut who = turn(
            c,
            NOW - 50,
            "answer",
            &[("who", "women")],
            "question",
            Some("where"),
        );
        if let EventKind::Turn { before, after, .. } = &mut who.kind {
            (*before, *after) = (100, keep_who);
        }
        events.extend([started(c, NOW - 60), who]);
        if skip_where {
            let mut skip = turn(c, NOW - 40, "skip", &[], "shortlist", None);
            if let EventKind::Turn { question, .. } = &mut skip.kind {
                *question = Some("where".into());
            }
            events.extend([skip, shortlist(c, NOW - 40, 1, None)]);
        }
    }
    let report = build(&events, NOW, &settings());
    let rows = &report.advisors[0].figures.questions;
    let names: Vec<&str> = rows.iter().map(|q| q.question.as_str()).collect();
    assert_eq!(names, ["where", "who"], "most asked first, ties by name");
    let who = &rows[1];
    assert_eq!((who.asked, who.answered, who.skipped), (3, 3, 0));
    assert_eq!(
        who.kept,
        Some(0.5),
        "the median of 90 %, 50 % and 10 % kept"
    );
    assert_eq!(who.completion_rate, Some(1.0 / 3.0));
    let place = &rows[0];
    assert_eq!((place.asked, place.answered, place.skipped), (3, 0, 1));
    assert_eq!((place.answer_rate, place.kept), (Some(0.0), None));
    let text = to_text(&report);
    assert!(text.contains("candidates kept (median)"), "{text}");
    assert!(text.contains("50.0 %"), "{text}");
    let html = to_html(&report);
    assert!(html.contains("What each question does"), "{html}");
    assert!(
        html.contains("Share of candidates an answer removes"),
        "{html}"
    );
}

/// Newcombe's example as an experiment: completion 48/80 on `a`, 56/70 on `b`.
fn experiment_events() -> Vec<Event> {
    let mut events = Vec::new();
    for (variant, started_n, completed_n, carted_n) in [("a", 80, 48, 10), ("b", 70, 56, 12)] {
        for index in 0..started_n {
            let c = format!("{variant}{index}");
            let mut group = vec![started(&c, NOW - 7200)];
            if index < completed_n {
                group.push(shortlist(&c, NOW - 7100, 3, None));
            }
            if index < carted_n {
                group.push(feedback(&c, NOW - 7000, Feedback::AddedToCart, None));
            }
            for mut event in group {
                event.variant = Some(variant.into());
                event.version = format!("v-{variant}");
                events.push(event);
            }
        }
    }
    events
}

#[test]
fn an_ab_test_reports_wilson_and_newcombe_intervals_with_a_verdict() {
    let report = build(&experiment_events(), NOW, &settings());
    let advisor = &report.advisors[0];
    assert_eq!(advisor.versions, ["v-a", "v-b"]);
    assert_eq!(advisor.variants.len(), 2);
    assert_eq!(advisor.variants[1].figures.funnel.completed, 56);
    let experiment = advisor.experiment.as_ref().expect("two variants");
    assert_eq!(
        (experiment.baseline.as_str(), experiment.challenger.as_str()),
        ("a", "b")
    );
    let a = experiment.arms[0].completion.expect("started");
    assert!((a.estimate - 0.6).abs() < 1e-9);
    let completion = experiment.completion.as_ref().expect("both started");
    assert!((completion.difference.low - 0.0524).abs() < 5e-4);
    assert!((completion.difference.high - 0.3339).abs() < 5e-4);
    assert_eq!(
        completion.verdict,
        "b completes more often (95 % CI of the difference excludes 0)"
    );
    let cart = experiment.add_to_cart.as_ref().expect("both started");
    assert_eq!(cart.verdict, "no clear difference yet");
}

#[test]
fn rates_without_a_denominator_are_null_in_json() {
    let report = build(&[started("c1", NOW)], NOW, &settings());
    let json = serde_json::to_value(&report).expect("serializes");
    let figures = &json["advisors"][0]["figures"];
    assert_eq!(figures["engagement"]["click_rate"], serde_json::Value::Null);
    assert_eq!(
        figures["questions_to_shortlist"]["mean"],
        serde_json::Value::Null
    );
    assert_eq!(figures["funnel"]["active"], 1);
    assert!(build(&[], NOW, &settings()).is_empty());
}

#[test]
fn text_and_html_show_the_figures_and_html_escapes_everything() {
    let report = build(&jackets(), NOW, &settings());
    let text = to_text(&report);
    assert!(text.contains("== jackets (versions: v1) =="), "{text}");
    assert!(
        text.contains("8 started, 3 completed (37.5 %), 3 abandoned, 1 active, 1 handed off"),
        "{text}"
    );
    let row = |cells: &[&str]| {
        text.lines()
            .any(|line| line.split_whitespace().eq(cells.iter().copied()))
    };
    assert!(row(&["where", "7", "2", "28.6", "%"]), "{text}");
    assert!(row(&["who", "women", "4", "57.1", "%"]), "{text}");
    let mut events = jackets();
    for event in &mut events {
        event.advisor = "<script>alert(1)</script>".into();
    }
    let html = to_html(&build(&events, NOW, &settings()));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("<script"), "no script at all");
    assert!(html.contains("<title>Advisor report</title>") && html.contains("aria-label="));
    assert!(html.contains("<td>goretex</td>"));
}

#[test]
fn produce_reads_the_folder_skipping_bad_lines_and_filters() {
    let dir = std::env::temp_dir().join(format!("advisor-analytics-report-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let lines: Vec<String> = jackets()
        .iter()
        .map(|e| serde_json::to_string(e).expect("json"))
        .collect();
    let (first, second) = lines.split_at(lines.len() / 2);
    std::fs::write(
        dir.join("events-2023-11-14-web-1.jsonl"),
        first.join("\n") + "\n{oops\n",
    )
    .expect("write");
    std::fs::write(dir.join("events-2023-11-14-web-2.jsonl"), second.join("\n")).expect("write");
    let settings = AnalyticsSettings {
        dir: Some(dir.clone()),
        ..settings()
    };
    let report = produce(&settings, &Query::default(), NOW).expect("reads");
    assert_eq!((report.files.files, report.files.malformed), (2, 1));
    assert_eq!(report.advisors[0].figures.funnel.started, 8);
    let recent = Query {
        since_days: Some(0),
        advisor: None,
    };
    let report = produce(
        &settings,
        &Query {
            since_days: Some(1),
            ..recent
        },
        NOW,
    )
    .expect("reads");
    assert_eq!(report.advisors[0].figures.funnel.started, 8);
    let other = Query {
        advisor: Some("gear".into()),
        ..Query::default()
    };
    assert!(produce(&settings, &other, NOW).expect("reads").is_empty());
    std::fs::remove_dir_all(&dir).ok();
}
