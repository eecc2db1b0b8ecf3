//! Retries and ordering: `client_message_id` makes a retried turn safe, `expected_turn` refuses
//! a turn based on a stale state with the current reply, and the per-input and per-client limits.

use serde_json::{Value, json};

use crate::helpers::{TestApp, without_rate_limit};

/// The last offered option of the reply's question (no preference in the shipped files), as an
/// answer input: the conversation goes on.
fn an_answer(reply: &Value) -> Value {
    let input = &reply["input"];
    let options = input["options"].as_array().expect("a question is asked");
    json!({
        "type": "answer",
        "question_id": input["question_id"],
        "values": [options.last().expect("options")["value"]],
    })
}

/// Posts `body` to `path` and returns the status, the `idempotent-replayed` header and the raw
/// body.
async fn post(app: &TestApp, path: &str, body: &Value) -> (u16, Option<String>, String) {
    let response = app
        .client
        .post(format!("{}{path}", app.base))
        .json(body)
        .send()
        .await
        .expect("POST");
    let status = response.status().as_u16();
    let replayed = response
        .headers()
        .get("idempotent-replayed")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    (status, replayed, response.text().await.expect("body"))
}

/// Posts a turn body (see [`post`]).
async fn send(app: &TestApp, id: &str, body: &Value) -> (u16, Option<String>, String) {
    post(app, &format!("/v1/conversations/{id}/turns"), body).await
}

fn id_of(reply: &Value) -> String {
    reply["conversation_id"]
        .as_str()
        .expect("conversation id")
        .to_string()
}

#[tokio::test]
async fn a_retried_message_gets_the_same_reply_and_is_applied_once() {
    let app = TestApp::spawn().await;
    let start = app.start("jackets", "en").await;
    let id = id_of(&start);
    let body = json!({"client_message_id": "m-1", "input": an_answer(&start)});
    let (status, replayed, first) = send(&app, &id, &body).await;
    assert_eq!((status, replayed.as_deref()), (200, None), "{first}");
    let (status, replayed, again) = send(&app, &id, &body).await;
    assert_eq!((status, replayed.as_deref()), (200, Some("true")));
    assert_eq!(again, first, "byte for byte the reply the first one got");
    let (_, now) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(now["turn"], 1, "applied once");
    assert_eq!(now["answers"].as_array().map(Vec::len), Some(1));

    // A later message, then a late retry of the first: nothing is applied again, and the
    // client gets the conversation as it is now.
    let first: Value = serde_json::from_str(&first).expect("JSON");
    let body2 = json!({"client_message_id": "m-2", "input": an_answer(&first)});
    let (status, _, second) = send(&app, &id, &body2).await;
    assert_eq!(status, 200, "{second}");
    let (status, replayed, late) = send(&app, &id, &body).await;
    assert_eq!((status, replayed.as_deref()), (200, Some("true")));
    let late: Value = serde_json::from_str(&late).expect("JSON");
    assert_eq!(late["turn"], 2);
    let (_, now) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(now["turn"], 2);
    assert_eq!(now["answers"].as_array().map(Vec::len), Some(2));
}

#[tokio::test]
async fn a_message_id_reused_with_another_input_is_refused_and_changes_nothing() {
    // Regression: `back` sent with the id of an earlier `skip` replayed the skip's reply, and
    // the back was silently not applied.
    let app = TestApp::spawn().await;
    let start = app.start("jackets", "en").await;
    let id = id_of(&start);
    let skip = json!({"client_message_id": "m-1", "input": {"type": "action", "name": "skip"}});
    let (status, _, _) = send(&app, &id, &skip).await;
    assert_eq!(status, 200);
    let (_, before) = app.get(&format!("/v1/conversations/{id}")).await;
    let back = json!({"client_message_id": "m-1", "input": {"type": "action", "name": "back"}});
    let (status, replayed, problem) = send(&app, &id, &back).await;
    assert_eq!((status, replayed), (422, None), "{problem}");
    let problem: Value = serde_json::from_str(&problem).expect("JSON");
    assert_eq!(problem["code"], "idempotency_key_reused");
    let (_, after) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(before, after, "nothing applied");
    // The same input with its id is still a safe retry.
    let (status, replayed, _) = send(&app, &id, &skip).await;
    assert_eq!((status, replayed.as_deref()), (200, Some("true")));
}

#[tokio::test]
async fn the_same_message_sent_many_times_at_once_is_applied_exactly_once() {
    let app = TestApp::spawn().await;
    let start = app.start("sportswear", "en").await;
    let id = id_of(&start);
    let body = json!({"client_message_id": "burst", "input": an_answer(&start)});
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (app, id, body) = (app.clone(), id.clone(), body.clone());
        tasks.spawn(async move { send(&app, &id, &body).await });
    }
    let results = tasks.join_all().await;
    for (status, _, body) in &results {
        assert_eq!(*status, 200, "{body}");
    }
    assert!(
        results.windows(2).all(|pair| pair[0].2 == pair[1].2),
        "every copy gets the same reply"
    );
    let (_, now) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(now["turn"], 1, "applied once: {now}");
}

#[tokio::test]
async fn a_stale_turn_gets_409_with_the_current_reply_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let start = app.start("jackets", "en").await;
    let id = id_of(&start);
    let next = app.answer_last(&start).await;
    let stale = json!({"expected_turn": 0, "input": an_answer(&next)});
    let (status, problem) = app
        .post(&format!("/v1/conversations/{id}/turns"), &stale)
        .await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(problem["code"], "turn_conflict");
    assert_eq!(problem["current_reply"], next, "the reply as it is now");
    let (_, now) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(now, next);
}

#[tokio::test]
async fn bad_message_ids_and_too_many_values_are_refused_without_a_change() {
    let app = TestApp::spawn().await;
    let start = app.start("jackets", "en").await;
    let id = id_of(&start);
    let path = format!("/v1/conversations/{id}/turns");
    for bad in [
        json!(""),
        json!("has space"),
        json!("x".repeat(65)),
        json!("ü"),
    ] {
        let body = json!({"client_message_id": bad, "input": an_answer(&start)});
        let (status, problem) = app.post(&path, &body).await;
        assert_eq!(status, 422, "{bad}: {problem}");
        assert_eq!(problem["code"], "invalid_request");
    }
    let values: Vec<String> = (0..33).map(|i| format!("v{i}")).collect();
    let question = &start["input"]["question_id"];
    let body = json!({"input": {"type": "answer", "question_id": question, "values": values}});
    let (status, problem) = app.post(&path, &body).await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("at most 32 values")),
        "{problem}"
    );
    let (_, now) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(now, start, "nothing changed");
}

#[tokio::test]
async fn a_client_starting_too_many_conversations_gets_429_but_can_go_on_talking() {
    let mut settings = without_rate_limit();
    settings.limits.conversations_per_hour = 1;
    settings.limits.conversations_burst = 2;
    let app = TestApp::spawn_with(settings).await;
    let first = app.start("jackets", "en").await;
    app.start("jackets", "en").await;
    let response = app
        .client
        .post(format!("{}/v1/conversations", app.base))
        .json(&json!({"advisor": "jackets"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 429);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(
        (1_700..=3_601).contains(&retry_after),
        "about an hour per conversation: {retry_after}"
    );
    let problem: Value = response.json().await.expect("JSON");
    assert_eq!(problem["code"], "too_many_conversations");
    let next = app.answer_last(&first).await;
    assert_eq!(next["turn"], 1, "turns are not limited by it");
}

/// Posts a start body and returns the status, the `idempotent-replayed` header and the reply.
async fn start_with(app: &TestApp, body: &Value) -> (u16, Option<String>, Value) {
    let (status, replayed, text) = post(app, "/v1/conversations", body).await;
    (status, replayed, serde_json::from_str(&text).expect("JSON"))
}

#[tokio::test]
async fn a_retried_start_returns_the_same_conversation() {
    let app = TestApp::spawn_with(without_rate_limit()).await;
    let body = json!({"advisor": "jackets", "locale": "en", "client_message_id": "start-7f3a"});
    let (status, replayed, first) = start_with(&app, &body).await;
    assert_eq!((status, replayed), (201, None), "{first}");
    let (status, replayed, again) = start_with(&app, &body).await;
    assert_eq!(
        (status, replayed.as_deref()),
        (201, Some("true")),
        "{again}"
    );
    assert_eq!(
        id_of(&again),
        id_of(&first),
        "the retry gets the first conversation"
    );
    assert_eq!(again, first, "and its reply");

    // Answered meanwhile: a late retry shows the conversation as it is now.
    let (status, answered) = app.turn(&first, an_answer(&first)).await;
    assert_eq!(status, 200, "{answered}");
    let (_, _, late) = start_with(&app, &body).await;
    assert_eq!((id_of(&late), &late["turn"]), (id_of(&first), &json!(1)));

    // Another body with the same id is refused; a new id starts a new conversation.
    let other = json!({"advisor": "jackets", "locale": "de", "client_message_id": "start-7f3a"});
    let (status, _, problem) = start_with(&app, &other).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (422, Some("idempotency_key_reused")),
        "{problem}"
    );
    let fresh = json!({"advisor": "jackets", "locale": "en", "client_message_id": "start-8b21"});
    let (status, _, second) = start_with(&app, &fresh).await;
    assert_eq!(status, 201);
    assert_ne!(id_of(&second), id_of(&first));

    // A deleted conversation is not brought back: the retry starts a new one.
    let (status, _) = app
        .delete(&format!("/v1/conversations/{}", id_of(&second)))
        .await;
    assert_eq!(status, 204);
    let (status, replayed, third) = start_with(&app, &fresh).await;
    assert_eq!((status, replayed), (201, None), "{third}");
    assert_ne!(id_of(&third), id_of(&second));
}

#[tokio::test]
async fn a_start_id_is_checked_like_a_turn_id() {
    let app = TestApp::spawn_with(without_rate_limit()).await;
    let body = json!({"advisor": "jackets", "client_message_id": "has space"});
    let (status, _, problem) = start_with(&app, &body).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (422, Some("invalid_request")),
        "{problem}"
    );
}
