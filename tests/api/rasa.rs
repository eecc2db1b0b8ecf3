//! The Rasa-compatible REST channel against the real server: a Rasa widget's messages in, bot
//! messages with buttons out, whole conversations by pressing buttons.

use serde_json::{Value, json};

use crate::helpers::TestApp;

const WEBHOOK: &str = "/webhooks/rest/webhook?advisor=jackets";

/// Sends one Rasa message and returns the bot messages.
async fn say(app: &TestApp, sender: &str, message: &str) -> Vec<Value> {
    let (status, reply) = app
        .post(WEBHOOK, &json!({"sender": sender, "message": message}))
        .await;
    assert_eq!(status, 200, "{reply}");
    reply.as_array().expect("a list of messages").clone()
}

/// The buttons of the messages, in order.
fn buttons(messages: &[Value]) -> Vec<(String, String)> {
    messages
        .iter()
        .flat_map(|m| m["buttons"].as_array().cloned().unwrap_or_default())
        .map(|b| {
            let title = b["title"].as_str().expect("title").to_string();
            (title, b["payload"].as_str().expect("payload").to_string())
        })
        .collect()
}

#[tokio::test]
async fn a_rasa_widget_talks_to_the_advisor_with_buttons_to_the_shortlist() {
    let app = TestApp::spawn().await;
    let opened = say(&app, "widget-1", "/get_started").await;
    assert!(opened.iter().all(|m| m["recipient_id"] == "widget-1"));
    assert!(
        opened[0]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Hi!")),
        "{opened:?}"
    );
    let mut messages = opened;
    let mut products = Vec::new();
    for _ in 0..10 {
        products = messages
            .iter()
            .filter(|m| m["custom"]["type"] == "product")
            .cloned()
            .collect();
        if !products.is_empty() {
            break;
        }
        // The answers come first, then the actions: press the last answer (no preference).
        let answers: Vec<_> = buttons(&messages)
            .into_iter()
            .filter(|(_, payload)| payload.contains(r#""type":"answer""#))
            .collect();
        let (_, payload) = answers.last().expect("an answer button").clone();
        messages = say(&app, "widget-1", &payload).await;
    }
    assert!(!products.is_empty(), "a shortlist: {messages:?}");
    for product in &products {
        assert!(product["text"].as_str().is_some_and(|t| t.contains(" · ")));
        assert!(product["custom"]["reasons"].is_array(), "{product}");
    }
    let restarted = say(&app, "widget-1", "/restart").await;
    assert!(
        restarted[0]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Hi!")),
        "{restarted:?}"
    );
}

#[tokio::test]
async fn free_text_answers_and_senders_keep_their_own_conversations() {
    let app = TestApp::spawn().await;
    let first = say(&app, "widget-a", "a jacket for a woman against the rain").await;
    let texts: Vec<&str> = first.iter().filter_map(|m| m["text"].as_str()).collect();
    assert!(
        texts.iter().any(|t| t.contains("For a woman")),
        "understood: {texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.contains("&")),
        "plain text: {texts:?}"
    );
    let other = say(&app, "widget-b", "/get_started").await;
    assert!(
        other[0]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("Hi!"))
    );
    let again = say(&app, "widget-a", "/show").await;
    let texts: Vec<&str> = again.iter().filter_map(|m| m["text"].as_str()).collect();
    assert!(
        !texts.iter().any(|t| t.starts_with("Hi!")),
        "widget-a continues its own conversation: {texts:?}"
    );
}

#[tokio::test]
async fn a_refused_button_is_said_in_the_chat_and_bad_senders_are_refused() {
    let app = TestApp::spawn().await;
    say(&app, "widget-r", "/get_started").await;
    let wrong = r#"/{"type":"answer","question_id":"nope","values":["x"]}"#;
    let messages = say(&app, "widget-r", wrong).await;
    assert!(
        messages[0]["text"]
            .as_str()
            .is_some_and(|t| t.contains("nope")),
        "{messages:?}"
    );
    assert!(
        !buttons(&messages).is_empty(),
        "the question is offered again"
    );
    let (status, problem) = app
        .post(WEBHOOK, &json!({"sender": " ", "message": "hi"}))
        .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["code"], "invalid_request");
}
