//! The HTTP API: routes, wire types and error mapping. The only module that knows actix and
//! JSON; everything else is called with domain types.

mod admin;
mod dto;
mod error;
mod guard;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::middleware::{Condition, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

pub use dto::ReplyDto;
pub use error::ApiError;
pub use routes::AppState;

use crate::settings::Settings;
use crate::shop::{LiveShop, Shop};

const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Serves until the process is asked to stop (Ctrl-C or SIGTERM finish in-flight requests),
/// reloading the editor files when they change or on `SIGHUP`.
pub async fn serve(shop: Shop, settings: Settings) -> anyhow::Result<()> {
    let live = Arc::new(live_shop(Arc::new(shop), &settings));
    crate::shop::watch(Arc::clone(&live));
    let (server, addrs) = start_live(live, &settings)?;
    for addr in &addrs {
        tracing::info!(%addr, "advisor listening on http://{addr}");
    }
    server.await.context("serving HTTP")
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
/// conversations and old versions is spawned on it).
pub fn start_live(
    shops: Arc<LiveShop>,
    settings: &Settings,
) -> anyhow::Result<(Server, Vec<SocketAddr>)> {
    if let Some(problem) = settings
        .server
        .cors_origins
        .iter()
        .find_map(|origin| guard::origin_problem(origin))
    {
        anyhow::bail!("server.cors_origins: {problem}");
    }
    let rate_limit = guard::rate_limit(&settings.limits);
    // After the settings checks: a refused configuration touches no data directory.
    let store = crate::session::open(&settings.sessions)?;
    let sweeper = Arc::clone(&store);
    let versions = Arc::clone(&shops);
    let limits = rate_limit.clone();
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(SWEEP_EVERY);
        loop {
            ticks.tick().await;
            let swept = sweeper.sweep().await;
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
        store,
        admin_token: settings.admin.token.clone(),
    });
    let limit = settings.server.max_body_bytes;
    let rate_limit = rate_limit.map(web::Data::from);
    let origins = settings.server.cors_origins.clone();
    let mut server = HttpServer::new(move || {
        let app = match &rate_limit {
            Some(rate_limit) => App::new().app_data(rate_limit.clone()),
            None => App::new(),
        };
        // The last `wrap` runs first: log, answer CORS, add the headers, then count the request.
        app.wrap(from_fn(guard::limit))
            .wrap(guard::security_headers())
            .wrap(Condition::new(!origins.is_empty(), guard::cors(&origins)))
            .wrap(TracingLogger::default())
            .app_data(state.clone())
            .app_data(
                web::JsonConfig::default()
                    .limit(limit)
                    .error_handler(move |error, _| error::json_error(error, limit).into()),
            )
            .configure(routes)
    })
    .shutdown_timeout(10);
    if settings.server.workers > 0 {
        server = server.workers(settings.server.workers);
    }
    let server = server
        .bind(&settings.server.addr)
        .with_context(|| format!("binding {}", settings.server.addr))?;
    let addrs = server.addrs();
    Ok((server.run(), addrs))
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
                .route(web::get().to(readyz))
                .default_service(other()),
        )
        .default_service(web::route().to(not_found));
}
