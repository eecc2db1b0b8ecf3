//! `advisor bench`: how close a conversation turn comes to the bare limits of this machine, in one
//! process and one run. It generates (or reuses) a synthetic shop, measures startup and memory,
//! the raw tantivy work of the turns' queries, a bare actix JSON echo and real turns over HTTP at
//! 64 connections and at 1, alternating the runs and taking the median of the rounds, and prints
//! throughput, latency, the ratios the product promises and where a turn spends its time.

pub mod echo;
pub mod load;
mod raw;
pub mod remote;
mod report;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::perf;
use crate::settings::{Settings, StoreKind};
use crate::shop::{Paths, Shop};
use load::{LoadOptions, LoadResult};
pub use report::Summary;

/// What to measure.
#[derive(Debug, Clone)]
pub struct Options {
    pub products: usize,
    pub seed: u64,
    /// Alternating rounds of every run; the report shows the median.
    pub rounds: usize,
    /// Measured seconds per run (after a short warm-up).
    pub seconds: f64,
    /// Connections of the concurrent runs.
    pub connections: usize,
    /// Where synthetic shops are generated and kept for the next bench.
    pub dir: PathBuf,
    /// A conversation store to compare with the in-memory one: each round then also runs the
    /// concurrent turns on a second server keeping conversations there.
    pub store: StoreKind,
}

/// One round's measurements.
#[derive(Debug, Clone, Default)]
pub struct Round {
    pub echo_many: LoadResult,
    pub turns_many: LoadResult,
    pub echo_one: LoadResult,
    pub turns_one: LoadResult,
    /// Nanoseconds per phase per request during the single-connection turns.
    pub phases_one: [f64; 8],
    /// Nanoseconds per phase per request during the concurrent turns.
    pub phases_many: [f64; 8],
    /// The concurrent turns on the compared store, when one was asked for.
    pub turns_store: Option<LoadResult>,
}

/// Runs the whole bench and returns its summary (printed by the caller).
pub fn run(options: &Options, settings: &Settings) -> anyhow::Result<Summary> {
    let folder = shop_folder(options)?;
    let paths = Paths {
        catalog: folder.join("catalog"),
        questions: folder.join("questions"),
        templates: settings.paths.templates.clone(),
    };
    let rss_before = report::memory().0;
    let started = Instant::now();
    let (shop, problems) = Shop::load(&paths);
    let startup = started.elapsed();
    let Some(shop) = shop else {
        anyhow::bail!("the synthetic shop does not load:\n{}", problems.render());
    };
    let (rss, peak) = report::memory();
    let advisor = shop
        .advisors
        .first()
        .context("the synthetic shop has no advisor")?
        .id
        .to_string();
    eprintln!(
        "loaded {} products in {:.2} s; measuring the raw tantivy work…",
        shop.catalog.len(),
        startup.as_secs_f64()
    );
    let raw = raw::measure(&shop, options.seed)?;
    let shop = Arc::new(shop);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    let rounds = runtime.block_on(serve_and_load(shop, settings, &advisor, options))?;
    Ok(Summary {
        products: options.products,
        seed: options.seed,
        seconds: options.seconds,
        connections: options.connections,
        store: options.store,
        startup,
        rss_before,
        rss,
        peak,
        raw,
        rounds,
    })
}

/// The generated shop for these options, written on first use.
fn shop_folder(options: &Options) -> anyhow::Result<PathBuf> {
    let folder = options
        .dir
        .join(format!("shop-{}-{}", options.products, options.seed));
    let done = folder.join(".complete");
    if !done.exists() {
        eprintln!(
            "writing a synthetic shop of {} products to {}…",
            options.products,
            folder.display()
        );
        crate::synthetic::generate(&folder, options.products, options.seed)
            .with_context(|| format!("writing {}", folder.display()))?;
        std::fs::write(&done, b"").with_context(|| format!("writing {}", done.display()))?;
    }
    Ok(folder)
}

async fn serve_and_load(
    shop: Arc<Shop>,
    settings: &Settings,
    advisor: &str,
    options: &Options,
) -> anyhow::Result<Vec<Round>> {
    let mut settings = settings.clone();
    settings.server.addr = "127.0.0.1:0".into();
    // Conversations are deleted when they end; room for the ones in flight.
    settings.sessions.max_conversations = settings.sessions.max_conversations.max(100_000);
    // The load comes from one address: the per-address limit would measure itself.
    settings.limits.requests_per_second = 0;
    settings.limits.conversations_per_hour = 0;
    let compared = (options.store != StoreKind::Memory)
        .then(|| compared_store(&shop, &settings, options))
        .transpose()?;
    // Measured conversations are throwaway: keep them off the disk and out of the data folder.
    settings.sessions.store = StoreKind::Memory;
    // Their analytics events are written as in production, into a folder removed afterwards.
    let events = options.dir.join(format!("events-{}", std::process::id()));
    settings.analytics.dir = Some(events.clone());
    let (server, addrs) = crate::http::start(shop, &settings)?;
    let addr = *addrs.first().context("the advisor bound no address")?;
    let handle = server.handle();
    tokio::spawn(server);
    let (echo, echo_addr) = echo::start_echo(settings.server.workers)?;
    let echo_handle = echo.handle();
    tokio::spawn(echo);
    let run = |connections: usize, round: usize| LoadOptions {
        connections,
        duration: Duration::from_secs_f64(options.seconds),
        warmup: Duration::from_millis(if round == 0 { 1000 } else { 300 }),
        seed: options.seed + round as u64 * 1000,
    };
    let many = options.connections.max(1);
    let mut rounds = Vec::new();
    perf::enable(true);
    for round in 0..options.rounds.max(1) {
        eprintln!("round {} of {}…", round + 1, options.rounds.max(1));
        let echo_many = load::echo_load(echo_addr, &run(many, round)).await;
        perf::reset();
        let turns_many = load::conversation_load(addr, advisor, &run(many, round)).await;
        let phases_many = per_request();
        let turns_store = match &compared {
            Some(compared) => {
                Some(load::conversation_load(compared.addr, advisor, &run(many, round)).await)
            }
            None => None,
        };
        let echo_one = load::echo_load(echo_addr, &run(1, round)).await;
        perf::reset();
        let turns_one = load::conversation_load(addr, advisor, &run(1, round)).await;
        let phases_one = per_request();
        rounds.push(Round {
            echo_many,
            turns_many,
            echo_one,
            turns_one,
            phases_one,
            phases_many,
            turns_store,
        });
    }
    perf::enable(false);
    handle.stop(true).await;
    echo_handle.stop(true).await;
    std::fs::remove_dir_all(&events).ok();
    if let Some(compared) = compared {
        compared.handle.stop(true).await;
        if let Some(dir) = compared.data_dir {
            std::fs::remove_dir_all(&dir).ok();
        }
    }
    Ok(rounds)
}

/// A second server on the store under comparison.
struct Compared {
    addr: std::net::SocketAddr,
    handle: actix_web::dev::ServerHandle,
    /// The durable store's throwaway data folder, removed afterwards.
    data_dir: Option<PathBuf>,
}

/// Starts the server keeping conversations in `options.store` (a fresh data folder below the
/// bench folder for the durable store; the configured Redis, under its own key prefix).
fn compared_store(
    shop: &Arc<Shop>,
    settings: &Settings,
    options: &Options,
) -> anyhow::Result<Compared> {
    let mut settings = settings.clone();
    settings.sessions.store = options.store;
    let data_dir = (options.store == StoreKind::Durable).then(|| {
        options
            .dir
            .join(format!("conversations-{}", std::process::id()))
    });
    if let Some(dir) = &data_dir {
        std::fs::remove_dir_all(dir).ok();
        settings.sessions.data_dir.clone_from(dir);
    }
    let (server, addrs) = crate::http::start(Arc::clone(shop), &settings)?;
    let addr = *addrs.first().context("the advisor bound no address")?;
    let handle = server.handle();
    tokio::spawn(server);
    Ok(Compared {
        addr,
        handle,
        data_dir,
    })
}

fn per_request() -> [f64; 8] {
    let requests = perf::requests().max(1) as f64;
    perf::totals().map(|nanos| nanos as f64 / requests)
}

/// Where `bench` keeps generated shops unless told otherwise.
pub fn default_dir() -> PathBuf {
    Path::new("target").join("bench")
}
