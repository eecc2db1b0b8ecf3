//! `GET /metrics`: exact counts after a real conversation, route labels that are patterns (never
//! ids or unknown paths), the admin guard, and the store decorator counting backend failures.

use std::sync::Arc;
use std::time::Duration;

use actix_web::{App, test, web};
use advisor::dialogue::State;
use advisor::http::{AppState, Metrics, ObservedStore};
use advisor::ids::ConversationId;
use advisor::session::{MemoryStore, SessionStore, StoreError, Swept};
use async_trait::async_trait;

use crate::helpers::{TestApp, shop, without_rate_limit};

const TURNS: &str = "/v1/conversations/{id}/turns";

/// The routes of the table, and "unmatched": every value a `route` label may take.
const ROUTES: [&str; 10] = [
    "/v1/advisors",
    "/v1/conversations",
    "/v1/conversations/{id}",
    TURNS,
    "/admin/status",
    "/admin/reload",
    "/livez",
    "/readyz",
    "/metrics",
    "unmatched",
];

/// Plays a jackets conversation to its shortlist and returns its id and the number of turns.
async fn conversation_to_shortlist(app: &TestApp) -> (String, u64) {
    let mut reply = app.start("jackets", "en").await;
    let id = reply["conversation_id"].as_str().expect("id").to_string();
    let mut turns = 0;
    while reply["state"] == "awaiting_input" {
        reply = app.answer_first(&reply).await;
        turns += 1;
        assert!(turns < 20, "never ends: {reply}");
    }
    assert_eq!(reply["state"], "completed", "{reply}");
    (id, turns)
}

/// `GET /metrics` with an optional bearer token: status, content type and body.
async fn scrape(app: &TestApp, token: Option<&str>) -> (u16, String, String) {
    let mut request = app.client.get(format!("{}/metrics", app.base));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("GET /metrics");
    let status = response.status().as_u16();
    let content_type = crate::helpers::content_type(&response);
    (status, content_type, response.text().await.expect("body"))
}

/// The value of one series (name with its labels, exactly as exposed).
fn value(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.strip_prefix(' '))
        .map(|value| value.parse().expect("a number"))
}

fn requests(route: &str, method: &str, status: u16) -> String {
    format!(r#"advisor_http_requests_total{{route="{route}",method="{method}",status="{status}"}}"#)
}

#[tokio::test]
async fn a_conversation_is_counted_by_route_pattern_with_exact_values() {
    let app = TestApp::spawn().await;
    let (id, turns) = conversation_to_shortlist(&app).await;
    for path in ["/nope/1", "/nope/2", "/v1/conversations/x/y/z"] {
        assert_eq!(app.get(path).await.0, 404, "{path}");
    }
    let (status, report) = app.post("/admin/reload", &serde_json::json!({})).await;
    assert_eq!(status, 200, "{report}");
    let (_, ready) = app.get("/readyz").await;
    let (status, content_type, text) = scrape(&app, None).await;
    assert_eq!(status, 200, "{text}");
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "{content_type}"
    );

    let started = r#"advisor_conversations_started_total{advisor="jackets"}"#;
    assert_eq!(value(&text, started), Some(1.0), "{text}");
    let starts = requests("/v1/conversations", "POST", 201);
    assert_eq!(value(&text, &starts), Some(1.0), "{text}");
    let answered = requests(TURNS, "POST", 200);
    assert_eq!(value(&text, &answered), Some(turns as f64), "{text}");
    // Three unknown paths are one series, whatever the path.
    let unknown = requests("unmatched", "GET", 404);
    assert_eq!(value(&text, &unknown), Some(3.0), "{text}");
    assert!(!text.contains("nope") && !text.contains(&id), "{text}");

    let histogram = "advisor_http_request_duration_seconds";
    let label = format!(r#"route="{TURNS}""#);
    let count = value(&text, &format!("{histogram}_count{{{label}}}"));
    assert_eq!(count, Some(turns as f64), "{text}");
    let all = value(
        &text,
        &format!(r#"{histogram}_bucket{{{label},le="+Inf"}}"#),
    );
    assert_eq!(all, Some(turns as f64), "{text}");
    let fastest = value(
        &text,
        &format!(r#"{histogram}_bucket{{{label},le="0.0005"}}"#),
    );
    assert!(fastest.is_some_and(|fast| fast <= turns as f64), "{text}");
    let sum = value(&text, &format!("{histogram}_sum{{{label}}}"));
    assert!(sum.is_some_and(|sum| sum > 0.0), "{text}");

    for route in text.lines().filter_map(|line| {
        let start = line.find("route=\"")? + "route=\"".len();
        line[start..].split('"').next()
    }) {
        assert!(ROUTES.contains(&route), "`{route}` is not a route pattern");
    }
    let errors = r#"advisor_store_errors_total{operation="save"}"#;
    assert_eq!(value(&text, errors), Some(0.0), "{text}");
    let reloads = r#"advisor_reloads_total{result="unchanged"}"#;
    assert_eq!(value(&text, reloads), Some(1.0), "{text}");
    let version = ready["version"].as_str().expect("version");
    let info = format!(r#"advisor_shop_info{{version="{version}"}}"#);
    assert_eq!(value(&text, &info), Some(1.0), "{text}");
}

#[tokio::test]
async fn turns_and_completions_are_counted_by_advisor() {
    let app = TestApp::spawn().await;
    let (_, turns) = conversation_to_shortlist(&app).await;
    let (_, _, text) = scrape(&app, None).await;
    let applied = r#"advisor_turns_total{advisor="jackets",result="applied"}"#;
    assert_eq!(value(&text, applied), Some(turns as f64), "{text}");
    let completed = r#"advisor_conversations_completed_total{advisor="jackets"}"#;
    assert_eq!(value(&text, completed), Some(1.0), "{text}");
}

#[tokio::test]
async fn with_an_admin_token_metrics_need_it() {
    let mut settings = without_rate_limit();
    settings.admin.token = "s3cret".into();
    let app = TestApp::spawn_with(settings).await;
    let (status, content_type, text) = scrape(&app, None).await;
    assert_eq!(status, 401, "{text}");
    assert_eq!(content_type, "application/problem+json");
    assert!(text.contains(r#""code":"unauthorized""#), "{text}");
    assert_eq!(scrape(&app, Some("wrong")).await.0, 401);
    let (status, _, text) = scrape(&app, Some("s3cret")).await;
    assert_eq!(status, 200, "{text}");
    assert!(
        text.contains("# TYPE advisor_http_requests_total counter"),
        "{text}"
    );
    // Regression: the scheme is case-insensitive; `bearer` was refused.
    let lower = app
        .client
        .get(format!("{}/metrics", app.base))
        .header("authorization", "bearer s3cret")
        .send()
        .await
        .expect("GET");
    assert_eq!(lower.status(), 200);
}

#[actix_web::test]
async fn without_a_token_metrics_answer_this_machine_only() {
    let settings = without_rate_limit();
    let state = AppState {
        shops: Arc::new(advisor::http::live_shop(shop(), &settings)),
        store: Arc::new(MemoryStore::new(Duration::from_secs(60), 10)),
        admin_token: String::new(),
        proxies: advisor::http::TrustedProxies::parse(&["127.0.0.1".into()]).expect("proxies"),
        limits: settings.limits.clone(),
        recorder: advisor::analytics::Recorder::disabled(),
    };
    let app = test::init_service(
        App::new()
            .app_data(web::Data::new(state))
            .app_data(web::Data::new(Metrics::new()))
            .configure(advisor::http::routes),
    )
    .await;
    for (peer, expected) in [("203.0.113.7:4000", 403), ("127.0.0.1:4000", 200)] {
        let request = test::TestRequest::get()
            .uri("/metrics")
            .peer_addr(peer.parse().expect("address"))
            .to_request();
        let response = test::call_service(&app, request).await;
        assert_eq!(response.status().as_u16(), expected, "from {peer}");
    }
    // Regression: behind a proxy on this machine, any internet client got in. The client the
    // proxy names is not on this machine.
    let forwarded = test::TestRequest::get()
        .uri("/metrics")
        .peer_addr("127.0.0.1:4000".parse().expect("address"))
        .insert_header(("x-forwarded-for", "203.0.113.5"))
        .to_request();
    assert_eq!(test::call_service(&app, forwarded).await.status(), 403);
    // A client cannot claim to be on this machine through an untrusted hop either.
    let forged = test::TestRequest::get()
        .uri("/metrics")
        .peer_addr("203.0.113.7:4000".parse().expect("address"))
        .insert_header(("x-forwarded-for", "127.0.0.1"))
        .to_request();
    assert_eq!(test::call_service(&app, forged).await.status(), 403);
}

/// A store whose disk is gone: loads fail, saves conflict, deletes find nothing.
struct BrokenStore;

#[async_trait]
impl SessionStore for BrokenStore {
    async fn create(&self, _: &ConversationId, _: &State) -> Result<(), StoreError> {
        Err(StoreError::Full)
    }
    async fn load(&self, _: &ConversationId) -> Result<State, StoreError> {
        Err(StoreError::Backend("disk gone".into()))
    }
    async fn save(&self, _: &ConversationId, _: &State, _: u32) -> Result<(), StoreError> {
        Err(StoreError::Conflict { current: 3 })
    }
    async fn delete(&self, _: &ConversationId) -> Result<bool, StoreError> {
        Ok(false)
    }
    async fn put_new(
        &self,
        _: &str,
        _: &[u8],
        _: std::time::Duration,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        Err(StoreError::Backend("disk gone".into()))
    }
    async fn put(&self, _: &str, _: &[u8], _: std::time::Duration) -> Result<(), StoreError> {
        Err(StoreError::Backend("disk gone".into()))
    }
    async fn remove(&self, _: &str) -> Result<(), StoreError> {
        Ok(())
    }
    async fn scan(&self, _: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        Ok(Vec::new())
    }
    async fn sweep(&self) -> Swept {
        Swept::default()
    }
}

#[tokio::test]
async fn the_store_decorator_counts_backend_failures_only() {
    let metrics = Arc::new(Metrics::new());
    let store = ObservedStore::new(Arc::new(BrokenStore), Arc::clone(&metrics));
    let id = ConversationId::generate();
    for _ in 0..2 {
        let loaded = store.load(&id).await;
        assert_eq!(loaded.err(), Some(StoreError::Backend("disk gone".into())));
    }
    assert_eq!(store.delete(&id).await, Ok(false));
    let text = metrics.encode().expect("encodes");
    let errors = |operation: &str| {
        value(
            &text,
            &format!(r#"advisor_store_errors_total{{operation="{operation}"}}"#),
        )
    };
    assert_eq!(errors("load"), Some(2.0), "{text}");
    assert_eq!(errors("delete"), Some(0.0), "{text}");
    assert_eq!(errors("save"), Some(0.0), "{text}");
    let timed = r#"advisor_store_operation_duration_seconds_count{operation="load"}"#;
    assert_eq!(value(&text, timed), Some(2.0), "{text}");
}
