//! Where a turn spends its time, for `advisor bench`: each phase of a turn is timed when
//! measuring is switched on, exclusively (time in a nested phase counts for that phase only, not
//! for the phase around it). Off by default; then a phase costs one relaxed atomic load.
//!
//! The only clock the dialogue and catalogue touch, and it never changes what they compute.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Instant;

/// The phases of a turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Reading the conversation from the session store.
    SessionLoad,
    /// Product sets and text searches.
    Search,
    /// Choosing the next question and counting its options.
    Choose,
    /// Ranking the shortlist and counting critiques.
    Rank,
    /// The rest of the dialogue step: replaying answers, checking the input.
    Dialogue,
    /// Handlebars templates and the reply's view models.
    Render,
    /// Turning the reply into JSON.
    Serialize,
    /// Writing the conversation to the session store.
    SessionSave,
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::SessionLoad,
        Phase::Search,
        Phase::Choose,
        Phase::Rank,
        Phase::Dialogue,
        Phase::Render,
        Phase::Serialize,
        Phase::SessionSave,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Phase::SessionLoad => "session load",
            Phase::Search => "search",
            Phase::Choose => "question choice",
            Phase::Rank => "ranking",
            Phase::Dialogue => "dialogue",
            Phase::Render => "render",
            Phase::Serialize => "serialization",
            Phase::SessionSave => "session save",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

static ENABLED: AtomicBool = AtomicBool::new(false);
static NANOS: [AtomicU64; 8] = [const { AtomicU64::new(0) }; 8];
static REQUESTS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    /// The phase running on this thread and when it (re)started.
    static CURRENT: Cell<Option<(Phase, Instant)>> = const { Cell::new(None) };
}

/// Switches measuring on or off.
pub fn enable(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// Counts one request whose phases are measured.
pub fn request() {
    if enabled() {
        REQUESTS.fetch_add(1, Ordering::Relaxed);
    }
}

/// Requests counted since the last reset.
pub fn requests() -> u64 {
    REQUESTS.load(Ordering::Relaxed)
}

/// Forgets everything measured so far.
pub fn reset() {
    REQUESTS.store(0, Ordering::Relaxed);
    for nanos in &NANOS {
        nanos.store(0, Ordering::Relaxed);
    }
}

/// Total nanoseconds per phase since the last reset, in [`Phase::ALL`] order.
pub fn totals() -> [u64; 8] {
    std::array::from_fn(|i| NANOS[i].load(Ordering::Relaxed))
}

fn charge(phase: Phase, since: Instant, now: Instant) {
    let nanos = now.duration_since(since).as_nanos() as u64;
    NANOS[phase.index()].fetch_add(nanos, Ordering::Relaxed);
}

/// Whether phases are being measured.
pub fn enabled() -> bool {
    ENABLED.load(Ordering::Relaxed)
}

/// Charges the time since `start` to `phase` (for async sections, which [`time`] cannot wrap).
pub fn since(phase: Phase, start: Option<Instant>) {
    if let Some(start) = start {
        charge(phase, start, Instant::now());
    }
}

/// A start time when measuring is on.
pub fn now() -> Option<Instant> {
    enabled().then(Instant::now)
}

/// Runs `work` as `phase`; the phase around it is paused meanwhile.
pub fn time<T>(phase: Phase, work: impl FnOnce() -> T) -> T {
    if !ENABLED.load(Ordering::Relaxed) {
        return work();
    }
    let start = Instant::now();
    let outer = CURRENT.with(|c| c.replace(Some((phase, start))));
    if let Some((outer_phase, since)) = outer {
        charge(outer_phase, since, start);
    }
    let result = work();
    let end = Instant::now();
    if let Some((inner_phase, since)) = CURRENT.with(Cell::get) {
        charge(inner_phase, since, end);
    }
    CURRENT.with(|c| c.set(outer.map(|(p, _)| (p, end))));
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_phases_are_counted_exclusively() {
        enable(true);
        reset();
        time(Phase::Dialogue, || {
            std::thread::sleep(std::time::Duration::from_millis(20));
            time(Phase::Search, || {
                std::thread::sleep(std::time::Duration::from_millis(100))
            });
        });
        enable(false);
        let totals = totals();
        let ms = |p: Phase| totals[p.index()] / 1_000_000;
        assert!((20..100).contains(&ms(Phase::Dialogue)), "{totals:?}");
        assert!(ms(Phase::Search) >= 100, "{totals:?}");
    }
}
