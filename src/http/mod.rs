//! The HTTP API: routes, wire types and error mapping. The only module that knows actix and
//! JSON; everything else is called with domain types.

mod admin;
mod client;
mod docs;
mod dto;
mod error;
mod events;
mod feedback;
mod guard;
mod locale;
mod logging;
mod metrics;
mod openapi;
mod opening;
mod pages;
mod rasa;
mod report;
mod retried_start;
mod routes;
mod turn;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

pub use client::TrustedProxies;
pub use dto::{ContextDto, ReplyDto};
pub use error::ApiError;
pub use metrics::{Metrics, ObservedStore, TurnResult};
pub use routes::AppState;

use crate::session::SessionStore;
use crate::settings::Settings;
use crate::shop::{LiveShop, Shop};

const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Serves until the process is asked to stop, reloading the editor files when they change or on
/// `SIGHUP`. On `SIGTERM` or Ctrl-C, `/readyz` answers 503 for `server.drain_seconds` while
/// requests are still served, then the server stops accepting, in-flight requests finish (up to
/// 10 s) and the conversation store is closed.
pub async fn serve(shop: Shop, settings: Settings) -> anyhow::Result<()> {
    let live = Arc::new(live_shop(Arc::new(shop), &settings));
    crate::shop::watch(Arc::clone(&live));
    let stop = StopSignals::listen().context("listening for SIGTERM and Ctrl-C")?;
    let bound = bind(live, &settings, false)?;
    for addr in &bound.addrs {
        tracing::info!(%addr, "advisor listening on http://{addr}");
    }
    let drain = Duration::from_secs(settings.server.drain_seconds);
    tokio::spawn(drain_on_signal(
        stop,
        bound.server.handle(),
        bound.readiness,
        drain,
    ));
    let served = bound.server.await.context("serving HTTP");
    bound.handoffs.release().await;
    bound.store.close().await;
    bound.recorder.close();
    tracing::info!("stopped");
    served
}

/// The served shop for these settings, not yet watched.
pub fn live_shop(shop: Arc<Shop>, settings: &Settings) -> LiveShop {
    LiveShop::new(
        shop,
        settings.paths.clone(),
        settings.reload.clone(),
        Duration::from_secs(settings.sessions.ttl_seconds),
    )
}

/// Binds the server on a fixed shop (reloads only through `POST /admin/reload`) and returns it
/// unstarted-but-bound with the addresses it listens on. Must be called inside a tokio runtime.
pub fn start(shop: Arc<Shop>, settings: &Settings) -> anyhow::Result<(Server, Vec<SocketAddr>)> {
    start_live(Arc::new(live_shop(shop, settings)), settings)
}

/// Binds the server on a live shop. Must be called inside a tokio runtime (the sweeper of idle
/// conversations and old versions is spawned on it). actix's own signal handling stops it.
pub fn start_live(
    shops: Arc<LiveShop>,
    settings: &Settings,
) -> anyhow::Result<(Server, Vec<SocketAddr>)> {
    let bound = bind(shops, settings, true)?;
    Ok((bound.server, bound.addrs))
}

/// A bound server and what its shutdown needs.
struct Bound {
    server: Server,
    addrs: Vec<SocketAddr>,
    store: Arc<dyn SessionStore>,
    handoffs: web::Data<crate::handoff::Handoffs>,
    readiness: web::Data<Readiness>,
    recorder: crate::analytics::Recorder,
}

/// Binds the server; `actix_signals`: actix stops it on signals itself (else the caller does).
fn bind(shops: Arc<LiveShop>, settings: &Settings, actix_signals: bool) -> anyhow::Result<Bound> {
    if let Some(problem) = settings
        .server
        .cors_origins
        .iter()
        .find_map(|origin| guard::origin_problem(origin))
    {
        anyhow::bail!("server.cors_origins: {problem}");
    }
    let proxies = client::TrustedProxies::parse(&settings.server.trusted_proxies)
        .map_err(|problem| anyhow::anyhow!("server.trusted_proxies: {problem}"))?;
    let rate_limit = guard::rate_limit(&settings.limits, proxies.clone());
    let recorder = crate::analytics::Recorder::open(&settings.analytics)?;
    let analytics = web::Data::new(settings.analytics.clone());
    // After the settings checks: a refused configuration touches no data directory.
    let metrics = Arc::new(Metrics::new());
    let store: Arc<dyn SessionStore> = Arc::new(ObservedStore::new(
        crate::session::open(&settings.sessions)?,
        Arc::clone(&metrics),
    ));
    let handoffs = web::Data::new(crate::handoff::Handoffs::new(
        &settings.handoff,
        Arc::clone(&store),
    )?);
    let sweeper = Arc::clone(&store);
    let sweep_metrics = Arc::clone(&metrics);
    metrics.shop_version(&shops.current().version);
    let reload_metrics = Arc::clone(&metrics);
    // A second server on the same shop (tests) keeps the first observer; its scrapes still
    // follow the served version.
    shops.observe_reloads(Box::new(move |report| reload_metrics.reloaded(report)));
    let versions = Arc::clone(&shops);
    let limits = rate_limit.clone();
    let outbox = handoffs.clone();
    let outbox_handle = handoffs.clone();
    tokio::spawn(async move {
        // The first tick is at once: handoffs a stopped process left are sent at startup.
        let mut ticks = tokio::time::interval(SWEEP_EVERY);
        loop {
            ticks.tick().await;
            outbox.send_due().await;
            let swept = sweeper.sweep().await;
            sweep_metrics.swept(swept);
            if swept.expired > 0 {
                tracing::info!(
                    expired = swept.expired,
                    abandoned = swept.abandoned,
                    "expired conversations forgotten"
                );
            }
            if let Some(limits) = &limits {
                limits.forget_idle();
            }
            let forgotten = versions.forget_idle();
            if forgotten > 0 {
                tracing::info!(
                    forgotten,
                    "older versions no conversation uses any more dropped"
                );
            }
        }
    });
    let state = web::Data::new(AppState {
        shops,
        store: Arc::clone(&store),
        admin_token: settings.admin.token.clone(),
        proxies,
        limits: settings.limits.clone(),
        recorder: recorder.clone(),
    });
    let client_details = web::Data::new(logging::ClientDetails(settings.log.client_details));
    let limit = settings.server.max_body_bytes;
    let rate_limit = rate_limit.map(web::Data::from);
    let metrics = web::Data::from(metrics);
    let readiness = web::Data::new(Readiness::default());
    let ready = readiness.clone();
    let origins = settings.server.cors_origins.clone();
    let mut server = HttpServer::new(move || {
        let app = match &rate_limit {
            Some(rate_limit) => App::new().app_data(rate_limit.clone()),
            None => App::new(),
        };
        // The last `wrap` runs first: log, measure, answer CORS, add the headers, compress for
        // clients that accept gzip (mobile networks), then count the request against the limit.
        app.wrap(from_fn(guard::limit))
            .wrap(actix_web::middleware::Compress::default())
            .wrap(guard::security_headers())
            .wrap(Condition::new(!origins.is_empty(), guard::cors(&origins)))
            .wrap(from_fn(metrics::record))
            .wrap(TracingLogger::<logging::RequestSpan>::new())
            // "/docs/" is "/docs": a trailing slash never makes a 404.
            .wrap(actix_web::middleware::NormalizePath::trim())
            .app_data(state.clone())
            .app_data(client_details.clone())
            .app_data(metrics.clone())
            .app_data(handoffs.clone())
            .app_data(analytics.clone())
            .app_data(ready.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(limit)
                    .error_handler(move |error, _| error::json_error(error, limit).into()),
            )
            .configure(routes)
    })
    .shutdown_timeout(10);
    if !actix_signals {
        server = server.disable_signals();
    }
    if settings.server.workers > 0 {
        server = server.workers(settings.server.workers);
    }
    let server = server
        .bind(&settings.server.addr)
        .with_context(|| format!("binding {}", settings.server.addr))?;
    let addrs = server.addrs();
    Ok(Bound {
        server: server.run(),
        addrs,
        store,
        handoffs: outbox_handle,
        readiness,
        recorder,
    })
}

/// What the body of `POST /v1/conversations/{id}/turns` asks for: the customer's input and the
/// turn the client expects the conversation to be at, read through the same wire types as the
/// route. An `Err` is what the route answers with a 400.
pub fn read_turn(body: &[u8]) -> Result<(crate::dialogue::Input, Option<u32>), String> {
    let request: dto::TurnRequest = serde_json::from_slice(body)
        .map_err(|error| error::without_type_names(&error.to_string()))?;
    request.message_id()?;
    Ok((request.input.into_input()?, request.expected_turn))
}

/// The route table.
pub fn routes(config: &mut web::ServiceConfig) {
    use routes::*;
    let other = || web::route().to(method_not_allowed);
    config
        .service(
            web::resource("/v1/advisors")
                .route(web::get().to(advisors))
                .default_service(other()),
        )
        .service(
            web::resource("/v1/conversations")
                .route(web::post().to(start))
                .default_service(other()),
        )
        .service(
            web::resource("/v1/conversations/{id}")
                .route(web::get().to(current))
                .route(web::delete().to(delete))
                .default_service(other()),
        )
        .service(
            web::resource("/v1/conversations/{id}/turns")
                .route(web::post().to(turn))
                .default_service(other()),
        )
        .service(
            web::resource("/v1/conversations/{id}/events")
                .route(web::post().to(feedback::feedback))
                .default_service(other()),
        )
        .service(
            web::resource("/admin/report")
                .route(web::get().to(report::report_page))
                .default_service(other()),
        )
        .service(
            web::resource("/admin/report.json")
                .route(web::get().to(report::report_json))
                .default_service(other()),
        )
        .service(
            web::resource("/admin/status")
                .route(web::get().to(admin::status))
                .default_service(other()),
        )
        .service(
            web::resource("/admin/reload")
                .route(web::post().to(admin::reload))
                .default_service(other()),
        )
        .service(
            web::resource("/livez")
                .route(web::get().to(livez))
                .default_service(other()),
        )
        .service(
            web::resource("/readyz")
                .route(web::get().to(ready))
                .default_service(other()),
        )
        .service(
            web::resource("/metrics")
                .route(web::get().to(metrics::scrape))
                .default_service(other()),
        )
        .service(
            web::resource("/webhooks/rest/webhook")
                .route(web::post().to(rasa::webhook))
                .default_service(other()),
        )
        // The API description and Swagger UI: `/openapi.json`, `/docs`, `/docs/{asset}`.
        .configure(docs::routes)
        // The demo shop page and the chat widget: `/`, `/widget.js`, `/widget.css`, `/demo.*`.
        .configure(pages::routes)
        .default_service(web::route().to(not_found));
}

/// Every (method, path pattern) of `routes()`, for the API description's tests; a unit test in
/// `openapi/tests.rs` keeps it equal to the table.
pub fn route_list() -> &'static [(&'static str, &'static str)] {
    &[
        ("GET", "/v1/advisors"),
        ("POST", "/v1/conversations"),
        ("GET", "/v1/conversations/{id}"),
        ("DELETE", "/v1/conversations/{id}"),
        ("POST", "/v1/conversations/{id}/turns"),
        ("POST", "/v1/conversations/{id}/events"),
        ("GET", "/admin/status"),
        ("GET", "/admin/report"),
        ("GET", "/admin/report.json"),
        ("POST", "/admin/reload"),
        ("GET", "/livez"),
        ("GET", "/readyz"),
        ("GET", "/metrics"),
        ("POST", "/webhooks/rest/webhook"),
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("GET", "/docs/{asset}"),
        ("GET", "/"),
        ("GET", "/demo.js"),
        ("GET", "/demo.css"),
        ("GET", "/widget.js"),
        ("GET", "/widget.css"),
    ]
}

/// Whether the server takes new work: false from the first shutdown signal on.
#[derive(Debug, Default)]
pub struct Readiness {
    stopping: AtomicBool,
}

impl Readiness {
    fn stop(&self) {
        self.stopping.store(true, Ordering::Relaxed);
    }

    fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }
}

/// `GET /readyz`: 503 `shutting_down` from the first shutdown signal on, 503
/// `store_unavailable` when the conversation store does not answer, else the served version.
#[utoipa::path(get, path = "/readyz", tag = "operations", operation_id = "get_readiness", responses(
    (status = 200, description = "Ready: the served version of the editor files.", body = openapi::Ready),
    (status = 503, response = openapi::Unavailable),
))]
async fn ready(
    app: web::Data<AppState>,
    readiness: web::Data<Readiness>,
) -> Result<actix_web::HttpResponse, ApiError> {
    if readiness.stopping() {
        return Err(ApiError::ShuttingDown);
    }
    if let Err(error) = app.store.ping().await {
        tracing::warn!(%error, "not ready: the conversation store does not answer");
        return Err(ApiError::StoreUnavailable);
    }
    Ok(routes::readyz(app).await)
}

/// On the first signal: readiness off, wait `drain` (or a second signal), then a graceful stop.
async fn drain_on_signal(
    mut signals: StopSignals,
    server: ServerHandle,
    readiness: web::Data<Readiness>,
    drain: Duration,
) {
    signals.next().await;
    readiness.stop();
    tracing::info!(
        drain_seconds = drain.as_secs(),
        "shutting down: /readyz answers 503 while load balancers notice, then in-flight requests finish"
    );
    tokio::select! {
        () = tokio::time::sleep(drain) => {}
        () = signals.next() => tracing::info!("second signal: stopping without waiting"),
    }
    server.stop(true).await;
}

/// `SIGTERM` and `SIGINT` (Ctrl-C), listened to from startup on.
struct StopSignals {
    #[cfg(unix)]
    terminate: tokio::signal::unix::Signal,
    #[cfg(unix)]
    interrupt: tokio::signal::unix::Signal,
}

impl StopSignals {
    #[cfg(unix)]
    fn listen() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            terminate: signal(SignalKind::terminate())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    #[cfg(not(unix))]
    fn listen() -> std::io::Result<Self> {
        Ok(Self {})
    }

    #[cfg(unix)]
    async fn next(&mut self) {
        tokio::select! {
            _ = self.terminate.recv() => {}
            _ = self.interrupt.recv() => {}
        }
    }

    #[cfg(not(unix))]
    async fn next(&mut self) {
        let _ = tokio::signal::ctrl_c().await;
    }
}
