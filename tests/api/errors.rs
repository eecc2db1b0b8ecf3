//! Every error case answers with problem+json and a stable code, and leaves the conversation as
//! it was.

use serde_json::{Value, json};

use crate::helpers::TestApp;

async fn unchanged_after(app: &TestApp, reply: &Value, input: Value, status: u16, code: &str) {
    let id = reply["conversation_id"].as_str().expect("id");
    let (before_status, before) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(before_status, 200);
    let (got_status, problem) = app.turn(reply, input).await;
    assert_eq!(
        (got_status, problem["code"].as_str()),
        (status, Some(code)),
        "{problem}"
    );
    assert_eq!(problem["status"], status);
    assert!(
        problem["title"].is_string()
            && problem["detail"].is_string()
            && problem["type"].is_string()
    );
    let (_, after) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(before, after, "a refused input changes nothing");
}

#[tokio::test]
async fn unknown_advisor_is_404() {
    let app = TestApp::spawn().await;
    let (status, problem) = app
        .post("/v1/conversations", &json!({"advisor": "boats"}))
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (404, Some("advisor_not_found"))
    );
}

#[tokio::test]
async fn unknown_or_malformed_conversation_ids_are_404() {
    let app = TestApp::spawn().await;
    for id in [
        "0123456789abcdef0123456789abcdef",
        "not-an-id",
        "..%2F..%2Fetc",
    ] {
        let (status, problem) = app.get(&format!("/v1/conversations/{id}")).await;
        assert_eq!(
            (status, problem["code"].as_str()),
            (404, Some("conversation_not_found")),
            "{id}"
        );
        let (status, _) = app
            .post(
                &format!("/v1/conversations/{id}/turns"),
                &json!({"input": {"type": "action", "name": "back"}}),
            )
            .await;
        assert_eq!(status, 404);
        assert_eq!(app.delete(&format!("/v1/conversations/{id}")).await.0, 404);
    }
}

#[tokio::test]
async fn malformed_json_is_400_and_wrong_shapes_are_422() {
    let app = TestApp::spawn().await;
    let reply = app.start("jackets", "en").await;
    let id = reply["conversation_id"].as_str().expect("id");
    let path = format!("/v1/conversations/{id}/turns");
    let (status, problem) = app
        .post_raw(&path, "application/json", "{\"input\": ")
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (400, Some("malformed_json"))
    );
    let (status, problem) = app
        .post_raw(
            &path,
            "application/json",
            "{\"input\": {\"type\": \"dance\"}}",
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (422, Some("invalid_request"))
    );
    let (status, problem) = app.post_raw(&path, "text/plain", "hello").await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (415, Some("unsupported_media_type"))
    );
    let huge = format!(
        "{{\"input\": {{\"type\": \"answer\", \"question_id\": \"who\", \"values\": [\"{}\"]}}}}",
        "x".repeat(100_000)
    );
    let (status, problem) = app.post_raw(&path, "application/json", &huge).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (413, Some("payload_too_large"))
    );
    let (_, after) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(after["turn"], 0);
}

#[tokio::test]
async fn answers_to_questions_not_asked_are_422_and_change_nothing() {
    let app = TestApp::spawn().await;
    let reply = app.start("jackets", "en").await;
    let input = json!({"type": "answer", "question_id": "season", "values": ["winter"]});
    unchanged_after(&app, &reply, input, 422, "question_not_asked").await;
    let input = json!({"type": "answer", "question_id": "Who?! <script>", "values": ["women"]});
    unchanged_after(&app, &reply, input, 422, "question_not_asked").await;
}

#[tokio::test]
async fn options_not_offered_are_422_and_change_nothing() {
    let app = TestApp::spawn().await;
    let reply = app.start("gear", "en").await;
    assert_eq!(reply["input"]["question_id"], "need", "{reply}");
    let cases = [
        (json!(["free"]), "option_not_offered"),
        (json!([]), "no_values"),
        (json!(["bag", "fitness"]), "single_choice"),
        (json!(["x".repeat(500)]), "option_not_offered"),
    ];
    for (values, code) in cases {
        let input = json!({"type": "answer", "question_id": "need", "values": values});
        unchanged_after(&app, &reply, input, 422, code).await;
    }
}

#[tokio::test]
async fn an_option_that_would_leave_nothing_is_not_offered_and_refused() {
    let app = TestApp::spawn().await;
    let shop = crate::helpers::shop();
    for advisor in &shop.advisors {
        let mut reply = app.start(advisor.id.as_str(), "en").await;
        while let Some(question_id) = reply["input"]["question_id"].as_str().map(str::to_string) {
            let offered: Vec<&str> = reply["input"]["options"]
                .as_array()
                .expect("options")
                .iter()
                .filter_map(|o| o["value"].as_str())
                .collect();
            let question = advisor
                .questions
                .iter()
                .find(|q| q.id.as_str() == question_id)
                .expect("question");
            if let Some(missing) = question
                .options
                .iter()
                .find(|o| !offered.contains(&o.id.as_str()))
            {
                let input = json!({"type": "answer", "question_id": question_id, "values": [missing.id.as_str()]});
                unchanged_after(&app, &reply, input, 422, "option_not_offered").await;
                return;
            }
            reply = app.answer_first(&reply).await;
        }
    }
    panic!("no advisor ever leaves out an option");
}

#[tokio::test]
async fn multiple_choice_refuses_the_same_option_twice() {
    let app = TestApp::spawn().await;
    let reply = app.start("jackets", "en").await;
    let reply = app.answer_until(&reply, "protection").await;
    assert_eq!(reply["input"]["kind"], "multiple");
    let input = json!({"type": "answer", "question_id": "protection", "values": ["wind", "wind"]});
    unchanged_after(&app, &reply, input, 422, "duplicate_value").await;
}

#[tokio::test]
async fn back_at_the_start_is_not_available() {
    let app = TestApp::spawn().await;
    let reply = app.start("jackets", "en").await;
    unchanged_after(
        &app,
        &reply,
        json!({"type": "action", "name": "back"}),
        422,
        "action_not_available",
    )
    .await;
}

#[tokio::test]
async fn product_actions_before_a_shortlist_name_themselves() {
    // Regression: `exclude` and `similar` before a shortlist said "`critique` is not available".
    let app = TestApp::spawn().await;
    let reply = app.start("jackets", "en").await;
    let id = reply["conversation_id"].as_str().expect("id");
    for action in ["exclude", "similar"] {
        let body = json!({"input": {"type": "action", "name": action, "product_id": "MJ01"}});
        let (status, problem) = app
            .post(&format!("/v1/conversations/{id}/turns"), &body)
            .await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["code"], "action_not_available");
        let detail = problem["detail"].as_str().expect("detail");
        assert!(detail.contains(&format!("`{action}`")), "{detail}");
    }
}

#[tokio::test]
async fn a_stale_expected_turn_is_409() {
    let app = TestApp::spawn().await;
    let reply = app.start("jackets", "en").await;
    let id = reply["conversation_id"].as_str().expect("id");
    let body = json!({"expected_turn": 5, "input": {"type": "answer", "question_id": "protection", "values": ["wind"]}});
    let (status, problem) = app
        .post(&format!("/v1/conversations/{id}/turns"), &body)
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (409, Some("turn_conflict"))
    );
    let body = json!({"expected_turn": 0, "input": {"type": "answer", "question_id": "protection", "values": ["wind"]}});
    assert_eq!(
        app.post(&format!("/v1/conversations/{id}/turns"), &body)
            .await
            .0,
        200
    );
}

#[tokio::test]
async fn unsupported_locales_and_bad_names_are_422() {
    let app = TestApp::spawn().await;
    let (status, problem) = app
        .post(
            "/v1/conversations",
            &json!({"advisor": "jackets", "locale": "fr"}),
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (422, Some("unsupported_locale"))
    );
    let name = "A".repeat(500);
    let (status, problem) = app
        .post(
            "/v1/conversations",
            &json!({"advisor": "jackets", "customer": {"name": name}}),
        )
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (422, Some("invalid_request"))
    );
}

#[tokio::test]
async fn unknown_paths_and_methods_are_problems_too() {
    let app = TestApp::spawn().await;
    let (status, problem) = app.get("/v2/nothing").await;
    assert_eq!((status, problem["code"].as_str()), (404, Some("not_found")));
    let (status, problem) = app.delete("/v1/advisors").await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (405, Some("method_not_allowed"))
    );
    // Regression: a 405 had no `Allow`.
    let response = app
        .client
        .put(format!(
            "{}/v1/conversations/0123456789abcdef0123456789abcdef",
            app.base
        ))
        .send()
        .await
        .expect("PUT");
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "GET, DELETE");
}

#[tokio::test]
async fn a_full_store_refuses_new_conversations_with_503() {
    let mut settings = crate::helpers::without_rate_limit();
    settings.sessions.max_conversations = 1;
    let app = TestApp::spawn_with(settings).await;
    app.start("jackets", "en").await;
    let (status, problem) = app
        .post("/v1/conversations", &json!({"advisor": "jackets"}))
        .await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (503, Some("overloaded"))
    );
}
