//! The floor for `advisor bench`: a bare actix-web JSON echo, about the least a JSON request can
//! cost with this framework on this machine. Set beside conversation turns, the difference is
//! our own work. It must stay bare: no middleware, no state, no logging.

use std::net::SocketAddr;

use actix_web::dev::Server;
use actix_web::{App, HttpResponse, HttpServer, web};

/// Binds `POST /echo` on `127.0.0.1` at a free port with `workers` worker threads (0: one per
/// core) and returns the server, not yet polled, with its address. Must be called inside a tokio
/// runtime; spawn or await the server, and stop it with `server.handle().stop(true)`.
pub fn start_echo(workers: usize) -> std::io::Result<(Server, SocketAddr)> {
    let mut server =
        HttpServer::new(|| App::new().route("/echo", web::post().to(echo))).shutdown_timeout(1);
    if workers > 0 {
        server = server.workers(workers);
    }
    let server = server.bind(("127.0.0.1", 0))?;
    let addr = server
        .addrs()
        .first()
        .copied()
        .ok_or_else(|| std::io::Error::other("the echo server bound no address"))?;
    Ok((server.run(), addr))
}

async fn echo(body: web::Json<serde_json::Value>) -> HttpResponse {
    HttpResponse::Ok().json(body.into_inner())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::bench::load::{LoadOptions, echo_load};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn echo_load_against_the_echo_server_records_every_request() {
        let (server, addr) = start_echo(1).expect("echo server binds");
        let handle = server.handle();
        tokio::spawn(server);
        let options = LoadOptions {
            connections: 2,
            duration: Duration::from_millis(300),
            warmup: Duration::from_millis(50),
            seed: 1,
        };
        let result = echo_load(addr, &options).await;
        handle.stop(true).await;
        assert_eq!(result.errors, 0, "{result:?}");
        assert!(result.requests > 0, "{result:?}");
        assert_eq!(result.latencies_us.len() as u64, result.requests);
        assert_eq!(result.seconds, 0.3);
        assert!(result.throughput() > 0.0);
        let (p50, p99) = (result.percentile(50.0), result.percentile(99.0));
        assert!(
            0.0 < p50 && p50 <= p99 && p99 < 300_000.0,
            "p50 {p50} µs, p99 {p99} µs"
        );
    }
}
