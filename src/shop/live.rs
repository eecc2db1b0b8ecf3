//! The shop being served, swapped atomically when the editor files change.
//!
//! A reload loads and checks the new files off to the side (on the blocking pool). Only a clean
//! load replaces the current shop; a load with errors leaves it serving and keeps the problems
//! for the admin endpoint. Conversations stay on the version they started on: older versions are
//! kept while conversations still use them (forgotten after the conversation idle time, and at
//! most `keep_versions` of them), sharing the loaded catalogue while its files are unchanged.
//! A conversation whose version is gone is [`Pinned::moved`] to the current one, which the
//! dialogue does explicitly (`dialogue::migrate`).

use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwap;
use serde::{Deserialize, Serialize};

use super::{Paths, Shop};
use crate::diagnostics::{Diagnostics, Group};

/// How the served files are kept current.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ReloadSettings {
    /// Reload when a file under the catalogue, question or template folder changes.
    pub watch: bool,
    /// Quiet time after the last change before reloading, so a save of many files loads once.
    pub debounce_ms: u64,
    /// At most this many older versions are kept for the conversations that started on them
    /// (each is kept while conversations use it; versions with the same catalogue files share
    /// one loaded catalogue, so an older version costs its questions and templates).
    pub keep_versions: usize,
}

impl Default for ReloadSettings {
    fn default() -> Self {
        Self {
            watch: true,
            debounce_ms: 500,
            keep_versions: 16,
        }
    }
}

/// What asked for a reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trigger {
    /// A file changed.
    Watch,
    /// The process got `SIGHUP`.
    Signal,
    /// `POST /admin/reload`.
    Admin,
}

/// How a reload ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The new version serves new conversations.
    Applied,
    /// The files are the ones already served.
    Unchanged,
    /// The files have errors; the running version keeps serving.
    Rejected,
}

/// The last reload, for the admin endpoint and the logs.
#[derive(Debug, Clone, Serialize)]
pub struct ReloadReport {
    pub trigger: Trigger,
    pub result: Outcome,
    /// The version serving new conversations after the reload.
    pub version: String,
    /// Seconds since the Unix epoch when the reload finished.
    pub finished_at: u64,
    pub duration_ms: u64,
    pub errors: usize,
    pub warnings: usize,
    /// Every problem found, errors and warnings, alike ones grouped with their lines.
    pub problems: Vec<Group>,
}

/// The served shop and the older versions still in use.
pub struct LiveShop {
    paths: Paths,
    settings: ReloadSettings,
    /// Conversations idle longer than this have expired, and so may the versions they used.
    idle: Duration,
    current: ArcSwap<Shop>,
    loaded_at: Mutex<u64>,
    older: Mutex<Vec<Retained>>,
    last: Mutex<Option<ReloadReport>>,
    /// One reload at a time; a trigger during a reload waits and then loads again.
    reloading: tokio::sync::Mutex<()>,
    /// Told of every finished reload (the server's metrics).
    observer: OnceLock<ReloadObserver>,
}

/// The version a conversation is served on.
pub struct Pinned {
    pub shop: Arc<Shop>,
    /// The conversation's own version is no longer kept (or never was, on this instance): `shop`
    /// is the current version, and the conversation must be carried over to it.
    pub moved: bool,
}

/// Called with the report of every finished reload.
pub type ReloadObserver = Box<dyn Fn(&ReloadReport) + Send + Sync>;

struct Retained {
    shop: Arc<Shop>,
    last_used: Instant,
}

/// The state of the served versions, for the admin endpoint.
#[derive(Debug, Serialize)]
pub struct Status {
    pub version: String,
    pub loaded_at: u64,
    pub products: usize,
    pub advisors: Vec<String>,
    /// Older versions still serving the conversations that started on them.
    pub older_versions: Vec<String>,
    pub last_reload: Option<ReloadReport>,
}

impl LiveShop {
    pub fn new(shop: Arc<Shop>, paths: Paths, settings: ReloadSettings, idle: Duration) -> Self {
        Self {
            paths,
            settings,
            idle,
            current: ArcSwap::new(shop),
            loaded_at: Mutex::new(unix_now()),
            older: Mutex::new(Vec::new()),
            last: Mutex::new(None),
            reloading: tokio::sync::Mutex::new(()),
            observer: OnceLock::new(),
        }
    }

    /// Sets the one observer of finished reloads; `false` (and nothing changes) if one is set.
    pub fn observe_reloads(&self, observer: ReloadObserver) -> bool {
        self.observer.set(observer).is_ok()
    }

    pub fn settings(&self) -> &ReloadSettings {
        &self.settings
    }

    pub fn paths(&self) -> &Paths {
        &self.paths
    }

    /// The version new conversations start on.
    pub fn current(&self) -> Arc<Shop> {
        self.current.load_full()
    }

    /// The version a conversation started on, or the current one (`moved`) when it is no longer
    /// kept.
    pub fn pinned(&self, version: &str) -> Pinned {
        let current = self.current.load_full();
        if current.version == version || version.is_empty() {
            return Pinned {
                shop: current,
                moved: false,
            };
        }
        let mut older = lock(&self.older);
        match older.iter_mut().find(|r| r.shop.version == version) {
            Some(retained) => {
                retained.last_used = Instant::now();
                Pinned {
                    shop: Arc::clone(&retained.shop),
                    moved: false,
                }
            }
            None => Pinned {
                shop: current,
                moved: true,
            },
        }
    }

    /// Loads the files again and swaps them in when they are clean and different.
    pub async fn reload(&self, trigger: Trigger) -> ReloadReport {
        let _one_at_a_time = self.reloading.lock().await;
        let started = Instant::now();
        let paths = self.paths.clone();
        let served = self.current.load_full();
        let current_version = served.version.clone();
        let loaded = tokio::task::spawn_blocking(move || {
            if super::version_of(&paths).as_ref() == Some(&served.version) {
                return None;
            }
            Some(Shop::load_after(&paths, Some(&served)))
        })
        .await;
        let (result, problems) = match loaded {
            Ok(None) => (Outcome::Unchanged, Diagnostics::default()),
            Ok(Some((None, problems))) => (Outcome::Rejected, problems),
            Ok(Some((Some(shop), problems))) if shop.version == current_version => {
                (Outcome::Unchanged, problems)
            }
            Ok(Some((Some(shop), problems))) => {
                self.swap(Arc::new(shop));
                (Outcome::Applied, problems)
            }
            Err(error) => {
                let mut problems = Diagnostics::default();
                problems.push(crate::diagnostics::Diagnostic::error(
                    &self.paths.catalog,
                    format!("loading the files failed: {error}"),
                ));
                (Outcome::Rejected, problems)
            }
        };
        let report = ReloadReport {
            trigger,
            result,
            version: self.current.load().version.clone(),
            finished_at: unix_now(),
            duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            errors: problems.error_count(),
            warnings: problems.warning_count(),
            problems: problems.grouped(),
        };
        log(&report);
        if let Some(observer) = self.observer.get() {
            observer(&report);
        }
        *lock(&self.last) = Some(report.clone());
        report
    }

    /// Forgets older versions no conversation has used for the conversation idle time.
    pub fn forget_idle(&self) -> usize {
        let mut older = lock(&self.older);
        let before = older.len();
        older.retain(|r| r.last_used.elapsed() < self.idle);
        before - older.len()
    }

    pub fn status(&self) -> Status {
        let current = self.current.load_full();
        Status {
            version: current.version.clone(),
            loaded_at: *lock(&self.loaded_at),
            products: current.catalog.len(),
            advisors: current
                .advisors
                .iter()
                .map(|a| a.id.as_str().to_string())
                .collect(),
            older_versions: lock(&self.older)
                .iter()
                .map(|r| r.shop.version.clone())
                .collect(),
            last_reload: lock(&self.last).clone(),
        }
    }

    fn swap(&self, shop: Arc<Shop>) {
        let previous = self.current.swap(shop);
        *lock(&self.loaded_at) = unix_now();
        if self.settings.keep_versions == 0 {
            return;
        }
        let mut older = lock(&self.older);
        older.retain(|r| r.shop.version != self.current.load().version);
        older.push(Retained {
            shop: previous,
            last_used: Instant::now(),
        });
        if older.len() > self.settings.keep_versions {
            let dropped = older.remove(0);
            tracing::warn!(
                version = %dropped.shop.version,
                "more versions than `reload.keep_versions`: conversations on the oldest move to the current one, and their next reply names what no longer exists"
            );
        }
    }
}

fn log(report: &ReloadReport) {
    match report.result {
        Outcome::Applied => tracing::info!(
            trigger = ?report.trigger,
            version = %report.version,
            duration_ms = report.duration_ms,
            warnings = report.warnings,
            "editor files reloaded: new conversations use the new version"
        ),
        Outcome::Unchanged => tracing::info!(trigger = ?report.trigger, "editor files unchanged"),
        Outcome::Rejected => {
            tracing::error!(
                trigger = ?report.trigger,
                errors = report.errors,
                "editor files have errors: the running version keeps serving (see GET /admin/status or `advisor check`)"
            );
            for group in &report.problems {
                let problem = &group.first;
                tracing::error!(file = %problem.file.display(), line = problem.line, lines = group.count, "{}", problem.message);
            }
        }
    }
}

/// A poisoned lock only means another thread panicked while holding it; the data (a list of
/// versions, a report) is still consistent, so serving goes on.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
