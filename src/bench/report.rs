//! The bench's report: medians over the rounds, the ratios with their targets, and where a turn
//! spends its time.

use std::fmt::{self, Write};
use std::time::Duration;

use super::Round;
use super::load::LoadResult;
use super::raw::Raw;
use crate::perf::Phase;
use crate::settings::StoreKind;

/// Everything one bench measured.
#[derive(Debug, Clone)]
pub struct Summary {
    pub products: usize,
    pub seed: u64,
    pub seconds: f64,
    pub connections: usize,
    /// The store compared with memory (`Memory`: none).
    pub store: StoreKind,
    pub startup: Duration,
    /// Resident memory in bytes before loading, after loading, and at the peak.
    pub rss_before: Option<u64>,
    pub rss: Option<u64>,
    pub peak: Option<u64>,
    pub raw: Raw,
    pub rounds: Vec<Round>,
}

/// Resident memory and its peak, in bytes (Linux; `None` elsewhere).
pub fn memory() -> (Option<u64>, Option<u64>) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map(|kb| kb * 1024)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    match values.len() {
        0 => 0.0,
        n if n % 2 == 1 => values[n / 2],
        n => (values[n / 2 - 1] + values[n / 2]) / 2.0,
    }
}

/// One measured quantity: its median over the rounds.
struct Load {
    throughput: f64,
    p50: f64,
    p99: f64,
    errors: u64,
}

fn load(rounds: &[Round], pick: impl Fn(&Round) -> &LoadResult) -> Load {
    Load {
        throughput: median(rounds.iter().map(|r| pick(r).throughput()).collect()),
        p50: median(rounds.iter().map(|r| pick(r).percentile(50.0)).collect()),
        p99: median(rounds.iter().map(|r| pick(r).percentile(99.0)).collect()),
        errors: rounds.iter().map(|r| pick(r).errors).sum(),
    }
}

/// A ratio with its target: `at_most` targets pass when the value is below the limit.
struct Target {
    name: String,
    value: f64,
    limit: f64,
    at_most: bool,
    unit: &'static str,
}

impl Target {
    fn met(&self) -> bool {
        if self.at_most {
            self.value <= self.limit
        } else {
            self.value >= self.limit
        }
    }
}

impl Summary {
    /// The compared store's name and its concurrent turns, when one was measured.
    fn compared_store(&self) -> Option<(&'static str, Load)> {
        let rounds: Vec<Round> = self
            .rounds
            .iter()
            .filter(|r| r.turns_store.is_some())
            .cloned()
            .collect();
        let name = match self.store {
            StoreKind::Memory => return None,
            StoreKind::Durable => "durable",
            StoreKind::Redis => "redis",
        };
        (!rounds.is_empty()).then(|| {
            (
                name,
                load(&rounds, |r| r.turns_store.as_ref().unwrap_or(&r.turns_many)),
            )
        })
    }

    /// Whether every target was met.
    pub fn all_met(&self) -> bool {
        self.targets().iter().all(Target::met)
    }

    fn targets(&self) -> Vec<Target> {
        let echo_many = load(&self.rounds, |r| &r.echo_many);
        let turns_many = load(&self.rounds, |r| &r.turns_many);
        let echo_one = load(&self.rounds, |r| &r.echo_one);
        let turns_one = load(&self.rounds, |r| &r.turns_one);
        let search_one = median(
            self.rounds
                .iter()
                .map(|r| r.phases_one[Phase::Search as usize] / 1000.0)
                .collect(),
        );
        let large = self.products >= 1_000_000;
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::INFINITY };
        let mut targets = vec![
            Target {
                name: format!("turn / echo throughput, {} connections", self.connections),
                value: 100.0 * ratio(turns_many.throughput, echo_many.throughput),
                limit: if large { 2.0 } else { 8.0 },
                at_most: false,
                unit: "%",
            },
            Target {
                name: "turn p50 / echo p50, 1 connection".into(),
                value: ratio(turns_one.p50, echo_one.p50),
                limit: 3.0,
                at_most: true,
                unit: "×",
            },
            Target {
                name: "turn p99 / echo p99, 1 connection".into(),
                value: ratio(turns_one.p99, echo_one.p99),
                limit: 6.0,
                at_most: true,
                unit: "×",
            },
            Target {
                name: "search phase / raw tantivy, per turn".into(),
                value: ratio(search_one, self.raw.mean_us),
                limit: 1.2,
                at_most: true,
                unit: "×",
            },
            Target {
                name: "turn p99 / p50, 1 connection".into(),
                value: ratio(turns_one.p99, turns_one.p50),
                limit: 3.0,
                at_most: true,
                unit: "×",
            },
            Target {
                name: format!("turn p99 / p50, {} connections", self.connections),
                value: ratio(turns_many.p99, turns_many.p50),
                limit: 3.0,
                at_most: true,
                unit: "×",
            },
            Target {
                name: "startup (load + index)".into(),
                value: self.startup.as_secs_f64(),
                limit: if large { 8.0 } else { 1.0 },
                at_most: true,
                unit: "s",
            },
        ];
        if let Some(rss) = self.rss.filter(|_| large) {
            targets.push(Target {
                name: "resident memory after startup".into(),
                value: rss as f64 / 1e6,
                limit: 300.0,
                at_most: true,
                unit: "MB",
            });
        }
        let store = self.compared_store();
        if let Some((name, store)) = &store {
            targets.push(Target {
                name: format!("{name} store: throughput cost vs memory"),
                value: 100.0 * (1.0 - ratio(store.throughput, turns_many.throughput)),
                limit: 10.0,
                at_most: true,
                unit: "%",
            });
        }
        let errors = echo_many.errors
            + turns_many.errors
            + echo_one.errors
            + turns_one.errors
            + store.map_or(0, |(_, store)| store.errors);
        targets.push(Target {
            name: "failed requests".into(),
            value: errors as f64,
            limit: 0.0,
            at_most: true,
            unit: "",
        });
        targets
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let mb = |b: Option<u64>| b.map_or("n/a".into(), |b| format!("{:.0} MB", b as f64 / 1e6));
        let _ = writeln!(
            out,
            "advisor bench: {} products (seed {}), median of {} alternating rounds of {} s per run\n",
            self.products,
            self.seed,
            self.rounds.len(),
            self.seconds
        );
        let _ = writeln!(
            out,
            "startup (load + index): {:.2} s; resident memory: {} before, {} after startup, {} peak",
            self.startup.as_secs_f64(),
            mb(self.rss_before),
            mb(self.rss),
            mb(self.peak)
        );
        let _ = writeln!(
            out,
            "raw tantivy work per turn (filters, top-{}, facet counts): {:.1} µs mean, {:.1} µs p50 over {} turns\n",
            5, self.raw.mean_us, self.raw.p50_us, self.raw.turns
        );
        let _ = writeln!(
            out,
            "{:<28} {:>12} {:>10} {:>10} {:>7}",
            "run", "requests/s", "p50 µs", "p99 µs", "errors"
        );
        let many = self.connections;
        let mut runs: Vec<(String, Load)> = vec![
            (
                format!("echo, {many} connections"),
                load(&self.rounds, |r| &r.echo_many),
            ),
            (
                format!("turns, {many} connections"),
                load(&self.rounds, |r| &r.turns_many),
            ),
            (
                "echo, 1 connection".into(),
                load(&self.rounds, |r| &r.echo_one),
            ),
            (
                "turns, 1 connection".into(),
                load(&self.rounds, |r| &r.turns_one),
            ),
        ];
        if let Some((name, store)) = self.compared_store() {
            runs.insert(2, (format!("turns, {many}, {name} store"), store));
        }
        for (name, run) in &runs {
            let _ = writeln!(
                out,
                "{name:<28} {:>12.0} {:>10.0} {:>10.0} {:>7}",
                run.throughput, run.p50, run.p99, run.errors
            );
        }
        let _ = writeln!(out, "\n{:<44} {:>10} {:>10}", "ratio", "measured", "target");
        for target in self.targets() {
            let _ = writeln!(
                out,
                "{:<44} {:>9.2}{:<1} {:>3}{:>6}{:<2} {}",
                target.name,
                target.value,
                target.unit,
                if target.at_most { "≤" } else { "≥" },
                target.limit,
                target.unit,
                if target.met() { "ok" } else { "MISSED" }
            );
        }
        let _ = writeln!(
            out,
            "\n{:<20} {:>18} {:>18}",
            "phase of a turn",
            "µs, 1 connection",
            format!("µs, {many} connections")
        );
        for (index, phase) in Phase::ALL.iter().enumerate() {
            let one = median(
                self.rounds
                    .iter()
                    .map(|r| r.phases_one[index] / 1000.0)
                    .collect(),
            );
            let all = median(
                self.rounds
                    .iter()
                    .map(|r| r.phases_many[index] / 1000.0)
                    .collect(),
            );
            let _ = writeln!(out, "{:<20} {one:>18.1} {all:>18.1}", phase.name());
        }
        f.write_str(&out)
    }
}
