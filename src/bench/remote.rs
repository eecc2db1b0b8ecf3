//! `advisor load`: whole conversations against an advisor already running on this machine, as
//! many customers at once, reporting throughput, latency and every failed request. It only
//! talks to loopback addresses: it is for measuring your own deployment, not anyone else's.

use std::fmt::{self, Write};
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

use anyhow::Context;

use super::load::{self, LoadOptions, LoadResult};

/// What to load and how hard.
#[derive(Debug, Clone, clap::Args)]
pub struct RemoteOptions {
    /// The running advisor, e.g. http://127.0.0.1:8080 (loopback addresses only).
    #[arg(default_value = "http://127.0.0.1:8080")]
    pub url: String,
    /// Talk to this advisor (repeatable; default: every advisor the server lists).
    #[arg(long = "advisor", value_name = "ID")]
    pub advisors: Vec<String>,
    /// Concurrent keep-alive connections, each one customer after another.
    #[arg(long, default_value_t = 64)]
    pub connections: usize,
    /// Measured seconds (after one second of warm-up).
    #[arg(long, default_value_t = 60.0, value_parser = seconds)]
    pub seconds: f64,
    /// Seed of the simulated customers' answers.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// A positive number of seconds up to an hour.
fn seconds(raw: &str) -> Result<f64, String> {
    let seconds: f64 = raw
        .parse()
        .map_err(|_| format!("`{raw}` is not a number"))?;
    if seconds > 0.0 && seconds <= 3600.0 {
        Ok(seconds)
    } else {
        Err("give between 0 and 3600 seconds".into())
    }
}

/// What a load measured.
#[derive(Debug, Clone)]
pub struct RemoteReport {
    pub addr: SocketAddr,
    pub advisors: Vec<String>,
    pub connections: usize,
    pub result: LoadResult,
}

impl RemoteReport {
    /// No request failed.
    pub fn clean(&self) -> bool {
        self.result.errors == 0 && self.result.requests > 0
    }
}

/// The loopback address of `url`, or why it is refused.
pub fn loopback_addr(url: &str) -> anyhow::Result<SocketAddr> {
    let rest = url
        .strip_prefix("http://")
        .unwrap_or(url)
        .trim_end_matches('/');
    if rest.contains('/') || url.starts_with("https://") {
        anyhow::bail!("give the advisor's address as http://host:port, without a path: `{url}`");
    }
    let addr = rest
        .to_socket_addrs()
        .with_context(|| format!("`{url}` is not a host:port address"))?
        .next()
        .with_context(|| format!("`{url}` resolves to no address"))?;
    if !addr.ip().is_loopback() {
        anyhow::bail!(
            "`{url}` is not on this machine: `advisor load` only loads loopback addresses \
             (127.0.0.1, ::1, localhost)"
        );
    }
    Ok(addr)
}

/// Runs the load and returns what it measured.
pub fn run(options: &RemoteOptions) -> anyhow::Result<RemoteReport> {
    let addr = loopback_addr(&options.url)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    runtime.block_on(async {
        let advisors = if options.advisors.is_empty() {
            load::advisor_ids(addr)
                .await
                .map_err(|error| anyhow::anyhow!("asking {addr} for its advisors: {error}"))?
        } else {
            options.advisors.clone()
        };
        if advisors.is_empty() {
            anyhow::bail!("the advisor at {addr} serves no advisors");
        }
        let load_options = LoadOptions {
            connections: options.connections.max(1),
            duration: Duration::from_secs_f64(options.seconds),
            warmup: Duration::from_secs(1),
            seed: options.seed,
        };
        let result = load::conversations_load(addr, &advisors, &load_options).await;
        Ok(RemoteReport {
            addr,
            advisors,
            connections: load_options.connections,
            result,
        })
    })
}

impl fmt::Display for RemoteReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let result = &self.result;
        let ms = |p: f64| result.percentile(p) / 1000.0;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "advisor load on {}: {} connections for {:.0} s, conversations with {}",
            self.addr,
            self.connections,
            result.seconds,
            self.advisors.join(", ")
        );
        let _ = writeln!(
            out,
            "requests: {} ({:.0}/s); conversations completed: {} ({:.1}/s); failed requests: {}",
            result.requests,
            result.throughput(),
            result.conversations_completed,
            result.conversations_completed as f64 / result.seconds.max(f64::EPSILON),
            result.errors
        );
        let max = result.latencies_us.last().map_or(0.0, |&us| f64::from(us));
        let _ = writeln!(
            out,
            "latency ms: p50 {:.2}, p90 {:.2}, p99 {:.2}, p99.9 {:.2}, max {:.2}",
            ms(50.0),
            ms(90.0),
            ms(99.0),
            ms(99.9),
            max / 1000.0
        );
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_loopback_addresses_are_loaded() {
        let local = loopback_addr("http://127.0.0.1:8080").expect("loopback");
        assert_eq!(local.port(), 8080);
        assert!(loopback_addr("localhost:9000").is_ok());
        assert!(loopback_addr("http://[::1]:80/").is_ok());
        assert!(loopback_addr("http://10.1.2.3:8080").is_err());
        assert!(loopback_addr("https://127.0.0.1:8080").is_err());
        assert!(loopback_addr("http://127.0.0.1:8080/v1").is_err());
    }
}
