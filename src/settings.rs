//! Typed settings: defaults in code, an optional TOML file, then `ADVISOR__SECTION__KEY`
//! environment overrides. The defaults run the demo shop with no configuration at all.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::shop::{Paths, ReloadSettings};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub server: ServerSettings,
    pub paths: Paths,
    pub sessions: SessionSettings,
    pub reload: ReloadSettings,
    pub limits: LimitSettings,
    pub admin: AdminSettings,
    pub log: LogSettings,
    pub handoff: HandoffSettings,
    pub analytics: AnalyticsSettings,
}

/// Anonymous analytics events (docs/operations.md, "Analytics and privacy").
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AnalyticsSettings {
    /// Record events; `false` writes nothing (the report still reads what is there).
    pub enabled: bool,
    /// Where events go and the report reads them: `files` (JSON Lines per day and instance in
    /// `dir`) or `redis` (one Redis Stream on `[sessions] redis_url`, key `{key_prefix}events`,
    /// shared by every instance behind a load balancer).
    pub store: EventStore,
    /// With `store = "redis"`: the server and the stream key, from `[sessions]` (resolved by
    /// `Settings::load`).
    #[serde(skip)]
    pub redis: Option<RedisStream>,
    /// The folder of the event files, created when missing; several instances may share it.
    /// Unset: `events/` in `[sessions] data_dir`.
    pub dir: Option<PathBuf>,
    /// This instance's name in its file names (`[A-Za-z0-9_-]`, anything else becomes `_`).
    /// Empty: the `HOSTNAME` environment variable (else `local`) and the process id, so
    /// instances sharing the folder never share a file. Each file is locked while written;
    /// a second writer of one name takes the next free `-2`, `-3` name.
    pub instance: String,
    /// Event files of days older than this are deleted (at start and once a day).
    pub retention_days: u32,
    /// The report shows a free-text word or a dead-end combination only when at least this
    /// many conversations had it.
    pub min_conversations: u32,
    /// A conversation without a shortlist or handoff whose last event is older than this counts
    /// as abandoned; a newer one as active.
    pub abandon_after_minutes: u32,
}

impl Default for AnalyticsSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            store: EventStore::Files,
            redis: None,
            dir: None,
            instance: String::new(),
            retention_days: 90,
            min_conversations: 3,
            abandon_after_minutes: 30,
        }
    }
}

/// Where analytics events are kept.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStore {
    #[default]
    Files,
    Redis,
}

/// A Redis Stream of events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisStream {
    pub url: String,
    pub key: String,
}

impl AnalyticsSettings {
    /// The folder of the event files: `dir`, or `data/events` when it was never resolved.
    pub fn events_dir(&self) -> PathBuf {
        self.dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("data").join("events"))
    }
}

/// The webhook told about every conversation handed to a person.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct HandoffSettings {
    /// Where handoffs are POSTed (`http` or `https`); empty: no webhook (the customer still gets
    /// the advisor's contact).
    pub webhook_url: String,
    /// Key of the HMAC-SHA256 signature (`X-Advisor-Signature`); required with a URL.
    pub secret: String,
    /// Attempts per handoff, retried on connection errors, timeouts, 5xx and 429.
    pub attempts: u32,
    /// Time limit of one attempt.
    pub timeout_seconds: u64,
    /// The wait after the first failed attempt; it doubles per attempt (less up to half of it,
    /// at random).
    pub first_retry_ms: u64,
}

impl Default for HandoffSettings {
    fn default() -> Self {
        Self {
            webhook_url: String::new(),
            secret: String::new(),
            attempts: 6,
            timeout_seconds: 10,
            first_retry_ms: 2000,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitSettings {
    /// Requests per second one client address may make on average; 0 turns the limit off.
    /// Health checks (`/livez`, `/readyz`) and `/metrics` are never limited.
    pub requests_per_second: u32,
    /// Requests a client may make at once before the rate applies.
    pub burst: u32,
    /// New conversations one client address may start per hour; 0 turns the limit off.
    pub conversations_per_hour: u32,
    /// New conversations a client may start at once before the hourly rate applies.
    pub conversations_burst: u32,
    /// Most values one input may carry (the options of an answer, the wishes of a `relax`).
    pub max_answer_values: usize,
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            requests_per_second: 20,
            burst: 40,
            conversations_per_hour: 120,
            conversations_burst: 20,
            max_answer_values: 32,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AdminSettings {
    /// Bearer token for `/admin/*`. Empty: the admin endpoints answer only clients on this
    /// machine (loopback addresses).
    pub token: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct ServerSettings {
    /// Address to listen on; port 0 picks a free port (the chosen address is logged).
    pub addr: String,
    /// Worker threads; 0 means one per CPU core.
    pub workers: usize,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Web origins allowed to call the API from a browser (CORS), e.g. `https://shop.example`.
    pub cors_origins: Vec<String>,
    /// On `SIGTERM` or Ctrl-C, `/readyz` answers 503 for this many seconds while the server
    /// still serves, so load balancers stop sending traffic before it stops accepting; then
    /// in-flight requests get up to 10 s to finish and the conversation store is closed. A
    /// second signal skips the rest of the wait.
    pub drain_seconds: u64,
    /// The reverse proxies in front of the server, as addresses or ranges (`10.0.0.0/8`).
    /// Only when the connecting peer is one of them is the client taken from the rightmost
    /// `X-Forwarded-For` (or `Forwarded: for=`) entry that is not a trusted proxy. Empty: the
    /// peer is always the client.
    pub trusted_proxies: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SessionSettings {
    /// Idle conversations are forgotten after this many seconds.
    pub ttl_seconds: u64,
    /// At most this many conversations are kept; new ones are refused with 503 beyond it.
    pub max_conversations: usize,
    /// Where conversations are kept: `durable` (a database file in `data_dir`, surviving
    /// crashes and restarts), `redis` (a Redis server at `redis_url`, shared by several
    /// instances) or `memory` (forgotten on restart).
    pub store: StoreKind,
    /// The folder of the durable store's database file, created when missing.
    pub data_dir: PathBuf,
    /// The Redis server of the `redis` store, `redis://[user:password@]host:port/db`
    /// (`rediss://` is not supported). A malformed URL stops startup; an unreachable server
    /// does not, conversation requests fail with 500 until it answers.
    pub redis_url: String,
    /// Prefix of every key the `redis` store writes, so several shops can share one server.
    pub key_prefix: String,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum StoreKind {
    /// In this process only: a restart forgets every conversation.
    Memory,
    /// One `redb` database file; every change is on disk before the reply is sent.
    #[default]
    Durable,
    /// A Redis server shared by every instance behind a load balancer.
    Redis,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LogSettings {
    /// `text` for people, `json` for log collectors.
    pub format: LogFormat,
    /// A tracing filter such as `info` or `advisor=debug,info`; `RUST_LOG` wins when set.
    pub level: String,
    /// Log each request's client address and user agent (off: personal data stays out of the
    /// logs; conversations are always named by a short tag, never by their id).
    pub client_details: bool,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

impl Default for ServerSettings {
    fn default() -> Self {
        Self {
            addr: "127.0.0.1:8080".into(),
            workers: 0,
            max_body_bytes: 16 * 1024,
            cors_origins: Vec::new(),
            drain_seconds: 2,
            trusted_proxies: Vec::new(),
        }
    }
}

impl Default for SessionSettings {
    fn default() -> Self {
        Self {
            ttl_seconds: 2 * 60 * 60,
            max_conversations: 100_000,
            store: StoreKind::Durable,
            data_dir: PathBuf::from("data"),
            redis_url: "redis://127.0.0.1:6379/".into(),
            key_prefix: "advisor:".into(),
        }
    }
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            format: LogFormat::Text,
            level: "info".into(),
            client_details: false,
        }
    }
}

impl Settings {
    /// Defaults, then the TOML file (if given), then `ADVISOR__…` environment variables.
    pub fn load(file: Option<&Path>) -> Result<Self, config::ConfigError> {
        let mut builder =
            config::Config::builder().add_source(config::Config::try_from(&Settings::default())?);
        if let Some(file) = file {
            builder = builder.add_source(
                config::File::from(file)
                    .format(config::FileFormat::Toml)
                    .required(true),
            );
        }
        builder
            .add_source(
                config::Environment::with_prefix("ADVISOR")
                    .prefix_separator("__")
                    .separator("__")
                    .try_parsing(true),
            )
            .build()?
            .try_deserialize()
            .map(Settings::resolved)
    }

    /// Fills the defaults that depend on other sections.
    fn resolved(mut self) -> Self {
        if self.analytics.dir.is_none() {
            self.analytics.dir = Some(self.sessions.data_dir.join("events"));
        }
        self.analytics.redis = Some(RedisStream {
            url: self.sessions.redis_url.clone(),
            key: format!("{}events", self.sessions.key_prefix),
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_run_the_demo_on_localhost_8080() {
        let settings = Settings::load(None).expect("defaults load");
        assert_eq!(settings.server.addr, "127.0.0.1:8080");
        assert_eq!(settings.paths.catalog, Path::new("catalog"));
        assert_eq!(settings.analytics.events_dir(), Path::new("data/events"));
    }

    #[test]
    fn unknown_keys_in_the_file_are_refused() {
        let file =
            std::env::temp_dir().join(format!("advisor-settings-{}.toml", std::process::id()));
        std::fs::write(&file, "[server]\nadress = \"0.0.0.0:80\"\n").expect("write");
        let error = Settings::load(Some(&file)).expect_err("typo refused");
        assert!(error.to_string().contains("adress"), "{error}");
        std::fs::remove_file(&file).ok();
    }
}
