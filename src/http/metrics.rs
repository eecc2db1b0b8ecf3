//! Prometheus metrics, served at `GET /metrics` in the text format (0.0.4) and guarded like the
//! admin endpoints. One `Metrics` per server, registered in its own registry (no global state, so
//! servers in one process count apart). Every label value is bounded: route patterns (never raw
//! paths), known methods, status codes, advisor ids of the shop, fixed operation and result
//! names.
//!
//! Requests are counted and timed by the `record` middleware; the conversation store by
//! `ObservedStore`, a decorator around the real store, so `session/` knows nothing of metrics.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{Error, HttpRequest, HttpResponse, web};
use async_trait::async_trait;
use prometheus_client::encoding::{EncodeLabelSet, prometheus_text};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use super::admin;
use super::error::ApiError;
use super::routes::AppState;
use crate::dialogue::State;
use crate::ids::ConversationId;
use crate::questions::Advisor;
use crate::session::{SessionStore, StoreError, Swept};
use crate::shop::{ReloadOutcome, ReloadReport};

/// How a turn ended, the `result` label of `advisor_turns_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnResult {
    /// The input was accepted and saved.
    Applied,
    /// The dialogue refused the input (4xx); the conversation is unchanged.
    Refused,
    /// Another turn was saved meanwhile (409).
    Conflict,
    /// A retried message answered from what was already applied.
    Replayed,
}

/// The server's metrics; see the module documentation and docs/operations.md ("Metrics and shutdown") for the series.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    request_seconds: Family<RouteLabels, Histogram, fn() -> Histogram>,
    turns: Family<TurnLabels, Counter>,
    started: Family<AdvisorLabels, Counter>,
    completed: Family<AdvisorLabels, Counter>,
    handed_off: Family<AdvisorLabels, Counter>,
    abandoned: Counter,
    expired: Counter,
    store_errors: Family<OperationLabels, Counter>,
    store_seconds: Family<OperationLabels, Histogram, fn() -> Histogram>,
    shop: Family<VersionLabels, Gauge>,
    reloads: Family<ResultLabels, Counter>,
}

impl Metrics {
    pub fn new() -> Self {
        let mut this = Self {
            registry: Registry::with_prefix("advisor"),
            requests: Family::default(),
            request_seconds: Family::new_with_constructor(latency_histogram),
            turns: Family::default(),
            started: Family::default(),
            completed: Family::default(),
            handed_off: Family::default(),
            abandoned: Counter::default(),
            expired: Counter::default(),
            store_errors: Family::default(),
            store_seconds: Family::new_with_constructor(latency_histogram),
            shop: Family::default(),
            reloads: Family::default(),
        };
        // name, help, metric: one line each (`register` is generic, so a macro, not a loop).
        macro_rules! register {
            ($($name:literal, $help:literal, $metric:ident;)*) => {
                $(this.registry.register($name, $help, this.$metric.clone());)*
            };
        }
        register! {
            "http_requests", "HTTP requests by route pattern, method and status", requests;
            "http_request_duration_seconds", "Time to answer, by route pattern", request_seconds;
            "turns", "Turns by advisor and result", turns;
            "conversations_started", "Conversations started, by advisor", started;
            "conversations_completed", "Conversations reaching a shortlist (once)", completed;
            "conversations_handed_off", "Conversations handed to a person", handed_off;
            "conversations_expired", "Conversations forgotten after the idle time", expired;
            "conversations_abandoned", "Expired without reaching a shortlist", abandoned;
            "store_errors", "Conversation store failures, by operation", store_errors;
            "store_operation_duration_seconds", "Store operation time", store_seconds;
            "shop_info", "Version of the editor files served to new conversations", shop;
            "reloads", "Reloads of the editor files, by result", reloads;
        }
        // Known from the start, so a dashboard shows 0 rather than no data.
        for operation in OPERATIONS {
            this.store_errors
                .get_or_create(&OperationLabels { operation })
                .inc_by(0);
        }
        this
    }

    /// Counts one turn of a conversation with this advisor.
    pub fn turn(&self, advisor: &Advisor, result: TurnResult) {
        let result = match result {
            TurnResult::Applied => "applied",
            TurnResult::Refused => "refused",
            TurnResult::Conflict => "conflict",
            TurnResult::Replayed => "replayed",
        };
        let labels = TurnLabels {
            advisor: advisor.id.as_str().to_string(),
            result,
        };
        self.turns.get_or_create(&labels).inc();
    }

    /// Counts a conversation started with this advisor.
    pub fn conversation_started(&self, advisor: &Advisor) {
        self.started
            .get_or_create(&AdvisorLabels::of(advisor))
            .inc();
    }

    /// Counts a conversation that reached its shortlist for the first time (`State::completed`
    /// was unset before the turn and is set after it).
    pub fn conversation_completed(&self, advisor: &Advisor) {
        self.completed
            .get_or_create(&AdvisorLabels::of(advisor))
            .inc();
    }

    /// Counts a conversation handed off to a person (once per handoff: asking again while
    /// handed off is not counted; after `back` or `restart`, a new handoff is).
    pub fn conversation_handed_off(&self, advisor: &Advisor) {
        self.handed_off
            .get_or_create(&AdvisorLabels::of(advisor))
            .inc();
    }

    /// Counts what a sweep of the store removed.
    pub fn swept(&self, swept: Swept) {
        self.expired.inc_by(swept.expired as u64);
        self.abandoned.inc_by(swept.abandoned as u64);
    }

    /// Marks `version` as the served version of the editor files (the others drop to absent).
    pub fn shop_version(&self, version: &str) {
        let labels = VersionLabels {
            version: version.to_string(),
        };
        if self.shop.get(&labels).is_none() {
            self.shop.clear();
            self.shop.get_or_create(&labels).set(1);
        }
    }

    /// Counts a finished reload of the editor files and follows the served version.
    pub fn reloaded(&self, report: &ReloadReport) {
        let result = match report.result {
            ReloadOutcome::Applied => "applied",
            ReloadOutcome::Unchanged => "unchanged",
            ReloadOutcome::Rejected => "rejected",
        };
        self.reloads.get_or_create(&ResultLabels { result }).inc();
        self.shop_version(&report.version);
    }

    /// The exposition, for `GET /metrics`.
    pub fn encode(&self) -> Result<String, std::fmt::Error> {
        let mut text = String::new();
        prometheus_text::encode(&mut text, &self.registry)?;
        Ok(text)
    }

    fn request(&self, route: String, method: &Method, status: StatusCode, elapsed: Duration) {
        self.request_seconds
            .get_or_create(&RouteLabels {
                route: route.clone(),
            })
            .observe(elapsed.as_secs_f64());
        let labels = RequestLabels {
            route,
            method: method_label(method),
            status: status.as_u16(),
        };
        self.requests.get_or_create(&labels).inc();
    }

    fn store_operation(&self, operation: &'static str, elapsed: Duration, failed: bool) {
        let labels = OperationLabels { operation };
        self.store_seconds
            .get_or_create(&labels)
            .observe(elapsed.as_secs_f64());
        if failed {
            self.store_errors.get_or_create(&labels).inc();
        }
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

/// `GET /metrics`: the exposition, for the admin token or, without one, for this machine.
/// Prometheus metrics in the text format 0.0.4, guarded like the admin endpoints.
#[utoipa::path(get, path = "/metrics", tag = "operations", operation_id = "get_metrics",
    security(("admin_token" = []), ()),
    responses(
    (status = 200, description = "The metrics.", body = String, content_type = "text/plain"),
    (status = 401, response = super::openapi::Unauthorized),
    (status = 403, response = super::openapi::Forbidden),
))]
pub async fn scrape(
    metrics: web::Data<Metrics>,
    app: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    admin::authorize(&app, &request)?;
    metrics.shop_version(&app.shops.current().version);
    let text = metrics
        .encode()
        .map_err(|error| ApiError::Internal(error.into()))?;
    Ok(HttpResponse::Ok()
        .content_type(prometheus_text::CONTENT_TYPE)
        .body(text))
}

/// The middleware counting and timing every request by route pattern ("unmatched" when no
/// route matches), method and status.
pub async fn record(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let metrics = request.app_data::<web::Data<Metrics>>().cloned();
    let method = request.method().clone();
    let route = request
        .match_pattern()
        .unwrap_or_else(|| UNMATCHED.to_string());
    let response = next.call(request).await;
    if let Some(metrics) = metrics {
        let status = match &response {
            Ok(response) => response.status(),
            Err(error) => error.as_response_error().status_code(),
        };
        metrics.request(route, &method, status, started.elapsed());
    }
    response
}

/// A conversation store that counts backend failures and times every operation.
pub struct ObservedStore {
    inner: Arc<dyn SessionStore>,
    metrics: Arc<Metrics>,
}

impl ObservedStore {
    pub fn new(inner: Arc<dyn SessionStore>, metrics: Arc<Metrics>) -> Self {
        Self { inner, metrics }
    }

    async fn observe<T>(
        &self,
        operation: &'static str,
        work: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let started = Instant::now();
        let result = work.await;
        let failed = matches!(result, Err(StoreError::Backend(_)));
        self.metrics
            .store_operation(operation, started.elapsed(), failed);
        result
    }
}

#[async_trait]
impl SessionStore for ObservedStore {
    async fn create(&self, id: &ConversationId, state: &State) -> Result<(), StoreError> {
        self.observe("create", self.inner.create(id, state)).await
    }

    async fn load(&self, id: &ConversationId) -> Result<State, StoreError> {
        self.observe("load", self.inner.load(id)).await
    }

    async fn save(
        &self,
        id: &ConversationId,
        state: &State,
        expected_turn: u32,
    ) -> Result<(), StoreError> {
        let save = self.inner.save(id, state, expected_turn);
        self.observe("save", save).await
    }

    async fn delete(&self, id: &ConversationId) -> Result<bool, StoreError> {
        self.observe("delete", self.inner.delete(id)).await
    }

    async fn put_new(
        &self,
        key: &str,
        value: &[u8],
        ttl: std::time::Duration,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        self.observe("put_new", self.inner.put_new(key, value, ttl))
            .await
    }

    async fn put(
        &self,
        key: &str,
        value: &[u8],
        ttl: std::time::Duration,
    ) -> Result<(), StoreError> {
        self.observe("put", self.inner.put(key, value, ttl)).await
    }

    async fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.observe("remove", self.inner.remove(key)).await
    }

    async fn scan(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        self.observe("scan", self.inner.scan(prefix)).await
    }

    /// Timed only: a store logs its own sweep failures and reports nothing swept.
    async fn sweep(&self) -> Swept {
        let sweep = async { Ok::<_, StoreError>(self.inner.sweep().await) };
        self.observe("sweep", sweep).await.unwrap_or_default()
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.observe("ping", self.inner.ping()).await
    }

    async fn close(&self) {
        self.inner.close().await;
    }
}

/// Store operations, the `operation` label.
const OPERATIONS: [&str; 10] = [
    "create", "load", "save", "delete", "put_new", "put", "remove", "scan", "sweep", "ping",
];

/// The `route` label of requests no route matches.
const UNMATCHED: &str = "unmatched";

/// Seconds, from half a millisecond (a turn on cached sets) to 2.5 s (far beyond any target).
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

fn latency_histogram() -> Histogram {
    Histogram::new(BUCKETS)
}

/// Known methods by name, anything else (extension methods are unbounded) as "other".
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::DELETE => "DELETE",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::HEAD => "HEAD",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct TurnLabels {
    advisor: String,
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AdvisorLabels {
    advisor: String,
}

impl AdvisorLabels {
    fn of(advisor: &Advisor) -> Self {
        Self {
            advisor: advisor.id.as_str().to_string(),
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    operation: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct VersionLabels {
    version: String,
}
