//! The Redis store: conversations in a Redis server shared by several instances of the
//! advisor behind a load balancer, so any instance can serve any turn.
//!
//! Keys, all starting with the configured prefix:
//! - `{prefix}conv:{id}`, a hash with the fields `turn` (decimal) and `state` (the state as
//!   JSON). Its Redis TTL is the idle time plus [`GRACE`], so Redis forgets a conversation even
//!   when no instance ever sweeps.
//! - `{prefix}expiry`, a sorted set: member the conversation id, score its expiry in unix
//!   seconds. It is the truth about expiry: a conversation whose score is past is not found,
//!   even while its hash still exists, and stays for the sweep to count.
//!
//! - `{prefix}rec:{key}`, a side record (start keys, the handoff outbox) with its Redis TTL.
//!
//! Every operation that reads and then writes is one Lua script, so it is atomic on the server:
//! the turn check of `save` (two instances racing on one conversation never both win) and the
//! sweep's taking of an expired conversation (each is counted by exactly one instance). Scripts
//! read the clock with `TIME`, the server's, so instances with skewed clocks agree on expiry.
//! The scripts touch only the keys passed to them, the whole of a conversation's data (no
//! cross-slot keys are computed inside a script).
//!
//! The capacity check of `create` counts the live members of the expiry set inside the create
//! script; it is exact for one server, but a key Redis evicted on its own (memory policy) is
//! still counted until the sweep takes its id.
//!
//! Redis unreachable, slow (a response timeout of [`RESPONSE_TIMEOUT`]) or answering an error is
//! `StoreError::Backend`; the connection manager reconnects on the next call.

mod scripts;
#[doc(hidden)]
pub mod test_server;

use std::time::Duration;

use ::redis::aio::{ConnectionManager, ConnectionManagerConfig};
use ::redis::{Client, RedisError, Script};
use async_trait::async_trait;

use super::{SessionStore, StoreError, Swept, decode, to_json};
use crate::dialogue::State;
use crate::ids::ConversationId;

/// How much longer than the idle time Redis keeps a conversation's hash, for the sweep to count
/// it first.
pub const GRACE: Duration = Duration::from_secs(10 * 60);
/// How long one Redis command may take before the call fails.
pub const RESPONSE_TIMEOUT: Duration = Duration::from_secs(2);
/// How long connecting may take, per attempt.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(1);
/// A bound on a whole store call, reconnection attempts included, so a request never hangs.
const CALL_TIMEOUT: Duration = Duration::from_secs(5);
/// Expired ids taken per sweep round trip.
const SWEEP_BATCH: usize = 200;

pub struct RedisStore {
    connection: ConnectionManager,
    prefix: String,
    ttl: Duration,
    capacity: usize,
}

impl RedisStore {
    /// A store on the Redis server at `url` (`redis://host:port/db`), keys starting with
    /// `prefix`. Checks the URL but does not connect: the first call does. Must be called inside
    /// a tokio runtime.
    pub fn open(
        url: &str,
        prefix: &str,
        ttl: Duration,
        capacity: usize,
    ) -> Result<Self, StoreError> {
        let client = Client::open(url).map_err(backend)?;
        let config = ConnectionManagerConfig::new()
            .set_response_timeout(Some(RESPONSE_TIMEOUT))
            .set_connection_timeout(Some(CONNECT_TIMEOUT))
            .set_number_of_retries(2)
            .set_max_delay(Duration::from_millis(500));
        let connection =
            ConnectionManager::new_lazy_with_config(client, config).map_err(backend)?;
        Ok(Self {
            connection,
            prefix: prefix.to_string(),
            ttl,
            capacity,
        })
    }

    fn conversation_key(&self, id: &str) -> String {
        format!("{}conv:{id}", self.prefix)
    }

    fn record_key(&self, key: &str) -> String {
        format!("{}rec:{key}", self.prefix)
    }

    fn expiry_key(&self) -> String {
        format!("{}expiry", self.prefix)
    }

    /// The idle time and the hash's TTL, in seconds, as the scripts take them.
    fn ttls(&self) -> (u64, u64) {
        let ttl = self.ttl.as_secs();
        (ttl, ttl.saturating_add(GRACE.as_secs()))
    }

    /// Runs `script` on this conversation's keys (hash, expiry set) with `args` after the id.
    async fn run<T: ::redis::FromRedisValue>(
        &self,
        script: &Script,
        id: &str,
        args: &[&[u8]],
    ) -> Result<T, StoreError> {
        let mut invocation = script.key(self.conversation_key(id));
        invocation.key(self.expiry_key()).arg(id);
        for arg in args {
            invocation.arg(*arg);
        }
        let mut connection = self.connection.clone();
        bounded(invocation.invoke_async(&mut connection)).await
    }
}

#[async_trait]
impl SessionStore for RedisStore {
    async fn create(&self, id: &ConversationId, state: &State) -> Result<(), StoreError> {
        let json = to_json(state)?;
        let (ttl, key_ttl) = self.ttls();
        let created: bool = self
            .run(
                &scripts::CREATE,
                id.as_str(),
                &[
                    state.turn.to_string().as_bytes(),
                    &json,
                    ttl.to_string().as_bytes(),
                    key_ttl.to_string().as_bytes(),
                    self.capacity.to_string().as_bytes(),
                ],
            )
            .await?;
        if created {
            Ok(())
        } else {
            Err(StoreError::Full)
        }
    }

    async fn load(&self, id: &ConversationId) -> Result<State, StoreError> {
        let (ttl, key_ttl) = self.ttls();
        let json: Option<Vec<u8>> = self
            .run(
                &scripts::LOAD,
                id.as_str(),
                &[ttl.to_string().as_bytes(), key_ttl.to_string().as_bytes()],
            )
            .await?;
        decode(&json.ok_or(StoreError::NotFound)?)
    }

    async fn save(
        &self,
        id: &ConversationId,
        state: &State,
        expected_turn: u32,
    ) -> Result<(), StoreError> {
        let json = to_json(state)?;
        let (ttl, key_ttl) = self.ttls();
        // The script answers the turn it found, and wrote only if that was the expected one.
        let found: i64 = self
            .run(
                &scripts::SAVE,
                id.as_str(),
                &[
                    expected_turn.to_string().as_bytes(),
                    state.turn.to_string().as_bytes(),
                    &json,
                    ttl.to_string().as_bytes(),
                    key_ttl.to_string().as_bytes(),
                ],
            )
            .await?;
        match u32::try_from(found) {
            Err(_) => Err(StoreError::NotFound),
            Ok(current) if current == expected_turn => Ok(()),
            Ok(current) => Err(StoreError::Conflict { current }),
        }
    }

    async fn delete(&self, id: &ConversationId) -> Result<bool, StoreError> {
        let removed: bool = self.run(&scripts::DELETE, id.as_str(), &[]).await?;
        Ok(removed)
    }

    async fn put_new(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        if ttl.is_zero() {
            // Expired as soon as written: nothing to keep (`EX 0` is an error).
            return Ok(None);
        }
        let mut connection = self.connection.clone();
        bounded(
            scripts::PUT_NEW
                .key(self.record_key(key))
                .arg(value)
                .arg(seconds(ttl))
                .invoke_async(&mut connection),
        )
        .await
    }

    async fn put(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), StoreError> {
        if ttl.is_zero() {
            return self.remove(key).await;
        }
        let mut connection = self.connection.clone();
        bounded(
            ::redis::cmd("SET")
                .arg(self.record_key(key))
                .arg(value)
                .arg("EX")
                .arg(seconds(ttl))
                .query_async::<()>(&mut connection),
        )
        .await
    }

    async fn remove(&self, key: &str) -> Result<(), StoreError> {
        let mut connection = self.connection.clone();
        bounded(
            ::redis::cmd("DEL")
                .arg(self.record_key(key))
                .query_async::<()>(&mut connection),
        )
        .await
    }

    async fn scan(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let pattern = format!("{}*", self.record_key(&glob_escaped(prefix)));
        let strip = self.record_key("").len();
        let mut connection = self.connection.clone();
        let mut cursor = 0_u64;
        let mut keys = Vec::new();
        loop {
            let (next, mut batch): (u64, Vec<String>) = bounded(
                ::redis::cmd("SCAN")
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(&pattern)
                    .arg("COUNT")
                    .arg(500)
                    .query_async(&mut connection),
            )
            .await?;
            keys.append(&mut batch);
            if next == 0 {
                break;
            }
            cursor = next;
        }
        keys.sort();
        keys.dedup();
        let mut found = Vec::with_capacity(keys.len());
        for key in keys {
            let value: Option<Vec<u8>> =
                bounded(::redis::cmd("GET").arg(&key).query_async(&mut connection)).await?;
            if let Some(value) = value {
                found.push((key[strip..].to_string(), value));
            }
        }
        Ok(found)
    }

    async fn ping(&self) -> Result<(), StoreError> {
        let mut connection = self.connection.clone();
        bounded(::redis::cmd("PING").query_async::<()>(&mut connection)).await
    }

    async fn sweep(&self) -> Swept {
        match self.sweep_all().await {
            Ok(swept) => swept,
            Err(error) => {
                tracing::error!(%error, "sweeping expired conversations failed");
                Swept::default()
            }
        }
    }
}

impl RedisStore {
    /// Takes expired conversations in batches until none is left. An id another instance took
    /// first (or a load refreshed meanwhile) comes back empty and is not counted.
    async fn sweep_all(&self) -> Result<Swept, StoreError> {
        let mut swept = Swept::default();
        loop {
            let mut connection = self.connection.clone();
            let due: Vec<String> = bounded(
                scripts::DUE
                    .key(self.expiry_key())
                    .arg(SWEEP_BATCH)
                    .invoke_async(&mut connection),
            )
            .await?;
            for id in &due {
                let taken: Option<Vec<u8>> = self.run(&scripts::TAKE, id, &[]).await?;
                if let Some(json) = taken {
                    swept.count_json(&json);
                }
            }
            if due.len() < SWEEP_BATCH {
                return Ok(swept);
            }
        }
    }
}

/// Awaits a Redis call within [`CALL_TIMEOUT`], its failure a backend error.
async fn bounded<T>(call: impl Future<Output = Result<T, RedisError>>) -> Result<T, StoreError> {
    match tokio::time::timeout(CALL_TIMEOUT, call).await {
        Ok(result) => result.map_err(backend),
        Err(_) => Err(StoreError::Backend(format!(
            "redis did not answer within {} seconds",
            CALL_TIMEOUT.as_secs()
        ))),
    }
}

/// A time to live as Redis's `EX` takes it: whole seconds, at least 1.
fn seconds(ttl: Duration) -> u64 {
    ttl.as_secs().max(1)
}

/// `raw` with the glob characters of `SCAN MATCH` escaped.
fn glob_escaped(raw: &str) -> String {
    let mut escaped = String::with_capacity(raw.len());
    for c in raw.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

fn backend(error: RedisError) -> StoreError {
    StoreError::Backend(format!("redis: {error}"))
}

#[cfg(test)]
mod tests;
