//! The HTTP API: routes, wire types and error mapping. The only module that knows actix and
//! JSON; everything else is called with domain types.

mod dto;
mod error;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

pub use error::ApiError;
pub use routes::AppState;

use crate::session::{MemoryStore, SessionStore};
use crate::settings::Settings;
use crate::shop::Shop;

const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Serves until the process is asked to stop (Ctrl-C or SIGTERM finish in-flight requests).
pub async fn serve(shop: Shop, settings: Settings) -> anyhow::Result<()> {
    let (server, addrs) = start(Arc::new(shop), &settings)?;
    for addr in &addrs {
        tracing::info!(%addr, "advisor listening on http://{addr}");
    }
    server.await.context("serving HTTP")
}

/// Binds the server and returns it unstarted-but-bound with the addresses it listens on.
/// Must be called inside a tokio runtime (the sweeper is spawned on it).
pub fn start(shop: Arc<Shop>, settings: &Settings) -> anyhow::Result<(Server, Vec<SocketAddr>)> {
    let store: Arc<dyn SessionStore> = Arc::new(MemoryStore::new(
        Duration::from_secs(settings.sessions.ttl_seconds),
        settings.sessions.max_conversations,
    ));
    let sweeper = Arc::clone(&store);
    tokio::spawn(async move {
        let mut ticks = tokio::time::interval(SWEEP_EVERY);
        loop {
            ticks.tick().await;
            let removed = sweeper.sweep().await;
            if removed > 0 {
                tracing::info!(removed, "expired conversations forgotten");
            }
        }
    });
    let state = web::Data::new(AppState { shop, store });
    let limit = settings.server.max_body_bytes;
    let mut server = HttpServer::new(move || {
        App::new()
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
