//! The customer's situation sent by the client: context rules answer questions (and say so),
//! move products in the ranking with a reason the customer can read, and bad context is refused
//! without changing the conversation.

use serde_json::{Value, json};

use crate::helpers::{TestApp, products, texts};

async fn start_with(app: &TestApp, context: Value) -> Value {
    let (status, reply) = app
        .post(
            "/v1/conversations",
            &json!({"advisor": "jackets", "locale": "en", "context": context}),
        )
        .await;
    assert_eq!(status, 201, "{reply}");
    reply
}

fn answered(reply: &Value, question: &str) -> Option<Vec<String>> {
    reply["answers"].as_array()?.iter().find_map(|a| {
        (a["question_id"] == question).then(|| {
            a["values"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
    })
}

/// Answers with the first option until the shortlist, checking `season` is never asked.
async fn to_shortlist(app: &TestApp, mut reply: Value) -> Value {
    for _ in 0..10 {
        if reply["state"] == "completed" {
            return reply;
        }
        assert_ne!(reply["input"]["question_id"], "season", "{reply}");
        reply = app.answer_first(&reply).await;
    }
    panic!("no shortlist: {reply}");
}

#[tokio::test]
async fn a_trip_today_with_a_warm_forecast_answers_the_season_question_and_says_so() {
    let app = TestApp::spawn().await;
    let reply = start_with(
        &app,
        json!({"when": "today", "weather": "sunny", "temperature_c": 28}),
    )
    .await;
    assert_eq!(
        answered(&reply, "season"),
        Some(vec!["mild".to_string()]),
        "{reply}"
    );
    let messages = texts(&reply);
    assert!(
        !messages[0].contains("heading out") && messages[1].contains("heading out"),
        "the greeting comes first, then what the context settled: {messages:?}"
    );
    let said = messages.join(" ");
    assert!(said.contains("heading out today"), "{said}");
    assert!(said.contains("change this any time"), "{said}");
    let shortlist = to_shortlist(&app, reply).await;
    let reasons: Vec<String> = products(&shortlist)
        .iter()
        .flat_map(|p| p["reasons"].as_array().cloned().unwrap_or_default())
        .filter_map(|r| r.as_str().map(str::to_string))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|r| r == "light enough for a warm, sunny day"),
        "the sunny rule explains itself: {reasons:?}"
    );
}

/// Skips every question until the shortlist: only the context shapes the ranking.
async fn skip_to_shortlist(app: &TestApp, mut reply: Value) -> Value {
    for _ in 0..10 {
        if reply["state"] == "completed" {
            return reply;
        }
        let (status, next) = app
            .turn(&reply, json!({"type": "action", "name": "skip"}))
            .await;
        assert_eq!(status, 200, "{next}");
        reply = next;
    }
    panic!("no shortlist: {reply}");
}

#[tokio::test]
async fn sunshine_does_not_lead_with_rain_jackets_but_rain_does() {
    let app = TestApp::spawn().await;
    let first = |reply: &Value| products(reply)[0]["reasons"].clone();
    let rain = skip_to_shortlist(&app, start_with(&app, json!({"weather": "rain"})).await).await;
    assert!(
        first(&rain)
            .to_string()
            .contains("made for the rain in your forecast"),
        "{}",
        first(&rain)
    );
    let sun = skip_to_shortlist(
        &app,
        start_with(&app, json!({"weather": "sunny", "temperature_c": 25})).await,
    )
    .await;
    assert!(!first(&sun).to_string().contains("rain"), "{}", first(&sun));
    assert_ne!(products(&sun)[0]["id"], products(&rain)[0]["id"]);
}

#[tokio::test]
async fn context_sent_with_a_turn_applies_from_that_turn() {
    let app = TestApp::spawn().await;
    let reply = app.start("jackets", "en").await;
    assert_eq!(answered(&reply, "season"), None);
    let question = reply["input"]["question_id"]
        .as_str()
        .expect("question")
        .to_string();
    let value = reply["input"]["options"][0]["value"]
        .as_str()
        .expect("option")
        .to_string();
    let id = reply["conversation_id"].as_str().expect("id");
    let (status, next) = app
        .post(
            &format!("/v1/conversations/{id}/turns"),
            &json!({
                "input": {"type": "answer", "question_id": question, "values": [value]},
                "context": {"when": "today", "temperature_c": 2}
            }),
        )
        .await;
    assert_eq!(status, 200, "{next}");
    assert_eq!(
        answered(&next, "season"),
        Some(vec!["winter".to_string()]),
        "{next}"
    );
}

#[tokio::test]
async fn bad_context_is_refused_and_the_conversation_is_unchanged() {
    let app = TestApp::spawn().await;
    let (status, problem) = app
        .post(
            "/v1/conversations",
            &json!({"advisor": "jackets", "context": {"temperature_c": 400}}),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["code"], "invalid_request");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("temperature_c")
    );
    let reply = app.start("jackets", "en").await;
    let id = reply["conversation_id"].as_str().expect("id");
    let question = reply["input"]["question_id"].clone();
    let value = reply["input"]["options"][0]["value"].clone();
    let (status, problem) = app
        .post(
            &format!("/v1/conversations/{id}/turns"),
            &json!({
                "input": {"type": "answer", "question_id": question, "values": [value]},
                "context": {"country": "Narnia"}
            }),
        )
        .await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("country")
    );
    let (_, now) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(now["turn"], reply["turn"]);
    assert_eq!(now["answers"], reply["answers"]);
}
