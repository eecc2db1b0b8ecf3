//! Analytics end to end: the events a conversation leaves (pseudonymous, nothing personal), the
//! client's feedback events and what they change, the opt-out, the report served at
//! `/admin/report.json` and `/admin/report`, and an A/B test of two versions of an advisor.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use advisor::settings::{Settings, StoreKind};
use advisor::shop::Shop;
use serde_json::{Value, json};

use crate::helpers::{TestApp, without_rate_limit};

/// A server recording events into a fresh folder, on the editor files under `root`.
pub async fn recording(name: &str, root: Option<&Path>) -> (TestApp, PathBuf) {
    let events = std::env::temp_dir().join(format!("advisor-events-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&events);
    let mut settings: Settings = without_rate_limit();
    settings.analytics.dir = Some(events.clone());
    settings.analytics.abandon_after_minutes = 0;
    settings.analytics.min_conversations = 1;
    let Some(root) = root else {
        return (TestApp::spawn_with(settings).await, events);
    };
    for (path, folder) in [
        (&mut settings.paths.catalog, "catalog"),
        (&mut settings.paths.questions, "questions"),
        (&mut settings.paths.templates, "templates"),
    ] {
        *path = root.join(folder);
    }
    let (shop, problems) = Shop::load(&settings.paths);
    let shop = shop.unwrap_or_else(|| panic!("{}", problems.render()));
    settings.server.addr = "127.0.0.1:0".into();
    settings.server.workers = 1;
    settings.sessions.store = StoreKind::Memory;
    let (server, addrs) = advisor::http::start(Arc::new(shop), &settings).expect("binds");
    tokio::spawn(server);
    let app = TestApp {
        base: format!("http://{}", addrs[0]),
        client: reqwest::Client::new(),
    };
    (app, events)
}

/// Every event line written so far (the writer flushes at least every second).
async fn events_in(dir: &Path, at_least: usize) -> Vec<Value> {
    for _ in 0..50 {
        let mut events = Vec::new();
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            events.extend(
                text.lines()
                    .filter_map(|l| serde_json::from_str::<Value>(l).ok()),
            );
        }
        if events.len() >= at_least {
            return events;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "fewer than {at_least} events were written to {}",
        dir.display()
    );
}

pub async fn shortlist(app: &TestApp, body: Value) -> Value {
    let (status, mut reply) = app.post("/v1/conversations", &body).await;
    assert_eq!(status, 201, "{reply}");
    for _ in 0..10 {
        if reply["state"] == "completed" {
            return reply;
        }
        reply = app.answer_first(&reply).await;
    }
    panic!("no shortlist: {reply}");
}

fn first_product(reply: &Value) -> String {
    crate::helpers::products(reply)[0]["id"]
        .as_str()
        .expect("a product")
        .to_string()
}

#[tokio::test]
async fn a_conversation_leaves_anonymous_events_and_feedback_is_recorded() {
    let (app, dir) = recording("events", None).await;
    let reply = shortlist(
        &app,
        json!({"advisor": "jackets", "locale": "en", "customer": {"name": "Ada Lovelace"},
               "context": {"weather": "sunny", "temperature_c": 25, "country": "DE"}}),
    )
    .await;
    let id = reply["conversation_id"].as_str().expect("id").to_string();
    let product = first_product(&reply);
    for event in ["product_viewed", "product_clicked", "added_to_cart"] {
        let (status, body) = app
            .post(
                &format!("/v1/conversations/{id}/events"),
                &json!({"type": event, "product_id": product}),
            )
            .await;
        assert_eq!(status, 204, "{event}: {body}");
    }
    let events = events_in(&dir, 6).await;
    let all = serde_json::to_string(&events).expect("json");
    assert!(!all.contains(&id), "the conversation id never appears");
    assert!(
        !all.contains("Ada") && !all.contains("\"DE\""),
        "nothing personal: {all}"
    );
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["type"].as_str()).collect();
    for kind in ["started", "turn", "shortlist", "feedback"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let started = events
        .iter()
        .find(|e| e["type"] == "started")
        .expect("started");
    assert_eq!(started["advisor"], "jackets");
    assert_eq!(started["context"], json!(["sunny_warm"]));
    let turn = events.iter().find(|e| e["type"] == "turn").expect("turn");
    assert!(turn["before"].as_u64() >= turn["after"].as_u64(), "{turn}");
    assert_eq!(turn["input"], "answer");
    assert_eq!(turn["answers"][0]["question"], turn["question"]);
}

#[tokio::test]
async fn feedback_is_checked_and_a_bad_one_changes_nothing() {
    let (app, _dir) = recording("checked", None).await;
    let reply = shortlist(&app, json!({"advisor": "jackets", "locale": "en"})).await;
    let id = reply["conversation_id"].as_str().expect("id");
    let path = format!("/v1/conversations/{id}/events");
    for (body, says) in [
        (json!({"type": "added_to_cart"}), "product_id"),
        (
            json!({"type": "added_to_cart", "product_id": "NOPE"}),
            "not in the catalogue",
        ),
        (json!({"type": "next_step_rejected"}), "step"),
        (
            json!({"type": "next_step_rejected", "step": "nope"}),
            "not a next step",
        ),
    ] {
        let (status, problem) = app.post(&path, &body).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!(problem["code"], "invalid_request");
        assert!(
            problem["detail"]
                .as_str()
                .unwrap_or_default()
                .contains(says),
            "{problem}"
        );
    }
    let (status, problem) = app.post(&path, &json!({"type": "teleported"})).await;
    assert_eq!(status, 422, "{problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains("added_to_cart")
    );
    let (status, _) = app
        .post(
            "/v1/conversations/00000000000000000000000000000000/events",
            &json!({"type": "handoff_used"}),
        )
        .await;
    assert_eq!(status, 404);
    let (_, now) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(now["turn"], reply["turn"]);
}

#[tokio::test]
async fn an_opted_out_conversation_leaves_no_event() {
    let (app, dir) = recording("opt-out", None).await;
    let reply = shortlist(&app, json!({"advisor": "jackets", "opt_out": true})).await;
    let id = reply["conversation_id"].as_str().expect("id");
    let (status, _) = app
        .post(
            &format!("/v1/conversations/{id}/events"),
            &json!({"type": "product_viewed", "product_id": first_product(&reply)}),
        )
        .await;
    assert_eq!(status, 204);
    // Sec-GPC opts out as well.
    let response = app
        .client
        .post(format!("{}/v1/conversations", app.base))
        .header("Sec-GPC", "1")
        .json(&json!({"advisor": "gear"}))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 201);
    // A counted conversation afterwards: once its events are written, the others would be too.
    app.start("sportswear", "en").await;
    let events = events_in(&dir, 1).await;
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let events = if events.len() > 1 {
        events
    } else {
        events_in(&dir, 1).await
    };
    assert!(
        events.iter().all(|e| e["advisor"] == "sportswear"),
        "{events:?}"
    );
}

fn paired_ids(reply: &Value) -> Vec<String> {
    crate::helpers::products(reply)
        .iter()
        .flat_map(|p| p["goes_well_with"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p["id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test]
async fn carted_companions_and_declined_next_steps_are_not_proposed_again() {
    let (app, _dir) = recording("feedback-effects", None).await;
    let reply = shortlist(&app, json!({"advisor": "jackets", "locale": "en"})).await;
    let id = reply["conversation_id"].as_str().expect("id");
    let paired = paired_ids(&reply);
    let companion = paired
        .first()
        .expect("a shortlisted jacket has a companion")
        .clone();
    let step = reply["next_step"]["id"]
        .as_str()
        .expect("a next step")
        .to_string();
    for body in [
        json!({"type": "added_to_cart", "product_id": companion}),
        json!({"type": "next_step_rejected", "step": step}),
    ] {
        let (status, problem) = app
            .post(&format!("/v1/conversations/{id}/events"), &body)
            .await;
        assert_eq!(status, 204, "{problem}");
    }
    let (_, now) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(now["turn"], reply["turn"], "feedback is not a turn");
    assert!(
        !paired_ids(&now).contains(&companion),
        "{companion} is in the cart already"
    );
    assert_ne!(now["next_step"]["id"], json!(step), "{}", now["next_step"]);
}
