//! Where conversation state lives between requests, behind a small interface: in memory (for
//! tests and throwaway demos), durably in one embedded database file (the default) or in a
//! Redis server shared by several instances, chosen by `[sessions] store`.
//!
//! Stores keep states opaque: they never look inside beyond the turn number used to refuse
//! stale writes.

mod durable;
mod memory;
mod redis;

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use async_trait::async_trait;

pub use self::redis::RedisStore;
#[doc(hidden)]
pub use self::redis::test_server;
pub use durable::DurableStore;
pub use memory::MemoryStore;

use crate::dialogue::State;
use crate::ids::ConversationId;
use crate::settings::{SessionSettings, StoreKind};

/// Why a store operation failed.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum StoreError {
    /// No such conversation (never existed, expired or deleted).
    #[error("conversation not found")]
    NotFound,
    /// Another turn was saved since this state was loaded.
    #[error("the conversation changed meanwhile (now at turn {current})")]
    Conflict { current: u32 },
    /// The store holds as many conversations as it is allowed to.
    #[error("too many open conversations")]
    Full,
    /// The storage itself failed or does not answer (disk, database file, Redis down); the
    /// cause is in the message. Passing: clients may retry.
    #[error("the conversation store failed: {0}")]
    Backend(String),
    /// A conversation cannot be read back or written as JSON: a bug, not an outage.
    #[error("a conversation is unreadable: {0}")]
    Corrupt(String),
}

/// The store the settings ask for. A data directory that cannot be created, a database that
/// cannot be opened or a malformed Redis URL is a startup error. Must be called inside a tokio
/// runtime (the Redis store connects lazily, on its first call, from a task of that runtime).
pub fn open(settings: &SessionSettings) -> anyhow::Result<Arc<dyn SessionStore>> {
    let ttl = Duration::from_secs(settings.ttl_seconds);
    Ok(match settings.store {
        StoreKind::Memory => Arc::new(MemoryStore::new(ttl, settings.max_conversations)),
        StoreKind::Durable => {
            let dir = &settings.data_dir;
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating the data directory {}", dir.display()))?;
            let store =
                DurableStore::open(dir, ttl, settings.max_conversations).with_context(|| {
                    format!("opening the conversation database in {}", dir.display())
                })?;
            Arc::new(store)
        }
        StoreKind::Redis => {
            let url = &settings.redis_url;
            let store =
                RedisStore::open(url, &settings.key_prefix, ttl, settings.max_conversations)
                    .with_context(|| format!("sessions.redis_url `{url}` is not usable"))?;
            Arc::new(store)
        }
    })
}

#[async_trait]
pub trait SessionStore: Send + Sync {
    /// Stores a new conversation.
    async fn create(&self, id: &ConversationId, state: &State) -> Result<(), StoreError>;
    /// The conversation's state, refreshing its expiry.
    async fn load(&self, id: &ConversationId) -> Result<State, StoreError>;
    /// Replaces the state if the stored one is still at `expected_turn`.
    async fn save(
        &self,
        id: &ConversationId,
        state: &State,
        expected_turn: u32,
    ) -> Result<(), StoreError>;
    /// Forgets the conversation; `false` if there was none.
    async fn delete(&self, id: &ConversationId) -> Result<bool, StoreError>;
    /// Forgets expired conversations and says how many, and how many of them never reached a
    /// shortlist. A load or save of an expired conversation just says `NotFound` and leaves it
    /// to the sweep, so each is counted once (only a full store drops expired ones uncounted,
    /// to make room).
    async fn sweep(&self) -> Swept;
    /// Side records: small values with an expiry kept beside the conversations, under keys of
    /// the caller's (start keys, the handoff outbox). Stores `value` under `key` for `ttl`
    /// unless the key holds a live value; that value is returned instead, and nothing is
    /// written (atomic: of two racing calls, exactly one writes).
    async fn put_new(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<Option<Vec<u8>>, StoreError>;
    /// Stores `value` under `key` for `ttl`, replacing any value.
    async fn put(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), StoreError>;
    /// Forgets the record under `key` (nothing when there is none).
    async fn remove(&self, key: &str) -> Result<(), StoreError>;
    /// The live records whose key starts with `prefix`, in no particular order.
    async fn scan(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError>;
    /// Whether the store answers, for `/readyz`; a store that cannot fail needs nothing here.
    async fn ping(&self) -> Result<(), StoreError> {
        Ok(())
    }
    /// Called once when the server has stopped, after the last request: a store that keeps
    /// connections or files makes sure the last write is durable and releases them. Calls after
    /// it may fail with `StoreError::Backend`.
    async fn close(&self) {}
}

/// A stored state read back; unreadable JSON is corrupt, not an outage.
fn decode(json: &[u8]) -> Result<State, StoreError> {
    serde_json::from_slice(json).map_err(|error| StoreError::Corrupt(error.to_string()))
}

/// A state as the durable stores keep it.
fn to_json(state: &State) -> Result<Vec<u8>, StoreError> {
    serde_json::to_vec(state).map_err(|error| StoreError::Corrupt(error.to_string()))
}

/// What a sweep removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Swept {
    /// Conversations idle for longer than the time to live.
    pub expired: usize,
    /// Those of them that never reached a shortlist (`State::completed` unset).
    pub abandoned: usize,
}

impl Swept {
    /// Counts one expired conversation from its stored JSON.
    pub fn count_json(&mut self, json: &[u8]) {
        /// Only the flag; serde skips the rest of the state.
        #[derive(serde::Deserialize)]
        struct Completion {
            #[serde(default)]
            completed: bool,
        }
        self.count(serde_json::from_slice::<Completion>(json).is_ok_and(|c| c.completed));
    }

    /// Counts one expired conversation.
    pub fn count(&mut self, completed: bool) {
        self.expired += 1;
        self.abandoned += usize::from(!completed);
    }
}

/// A conversation state at `turn`, for the stores' tests.
/// What every store must do with a stale write, checked on each store's tests.
#[cfg(test)]
async fn refuses_stale_writes(store: &dyn SessionStore) {
    let id = ConversationId::generate();
    store.create(&id, &sample_state(0)).await.expect("create");
    store
        .save(&id, &sample_state(1), 0)
        .await
        .expect("first write");
    assert_eq!(
        store.save(&id, &sample_state(1), 0).await,
        Err(StoreError::Conflict { current: 1 })
    );
    assert_eq!(store.load(&id).await.map(|s| s.turn), Ok(1));
}

/// What every store must do with side records.
#[cfg(test)]
async fn keeps_side_records(store: &dyn SessionStore) {
    let hour = Duration::from_secs(3600);
    assert_eq!(store.put_new("start:a", b"one", hour).await, Ok(None));
    assert_eq!(
        store.put_new("start:a", b"two", hour).await,
        Ok(Some(b"one".to_vec())),
        "the first value stays"
    );
    store.put("outbox:1", b"x", hour).await.expect("put");
    store.put("outbox:1", b"y", hour).await.expect("put again");
    store.put("outbox:2", b"z", hour).await.expect("put");
    store
        .put("outbox:gone", b"old", Duration::ZERO)
        .await
        .expect("put");
    let mut found = store.scan("outbox:").await.expect("scan");
    found.sort();
    assert_eq!(
        found,
        vec![
            ("outbox:1".to_string(), b"y".to_vec()),
            ("outbox:2".to_string(), b"z".to_vec())
        ],
        "live records of the prefix only"
    );
    store.remove("outbox:1").await.expect("remove");
    store
        .remove("outbox:none")
        .await
        .expect("remove a missing one");
    assert_eq!(store.scan("outbox:").await.expect("scan").len(), 1);
    assert_eq!(
        store.put_new("outbox:gone", b"new", hour).await,
        Ok(None),
        "an expired record is no record"
    );
}

/// What every store must do when it holds `capacity` (1) live conversations already.
#[cfg(test)]
async fn refuses_new_conversations_when_full(store: &dyn SessionStore) {
    store
        .create(&ConversationId::generate(), &sample_state(0))
        .await
        .expect("first");
    assert_eq!(
        store
            .create(&ConversationId::generate(), &sample_state(0))
            .await,
        Err(StoreError::Full)
    );
}

#[cfg(test)]
fn sample_state(turn: u32) -> State {
    use crate::ids::{AdvisorId, Locale};
    State {
        advisor: AdvisorId::parse("jackets").expect("id"),
        advisor_version: "v".into(),
        shop_version: String::new(),
        locale: Locale::parse("en").expect("locale"),
        customer_name: Some("Ada".into()),
        turn,
        events: Vec::new(),
        changing: None,
        clarifying: None,
        history: Vec::new(),
        completed: false,
        delivered: crate::dialogue::Delivered::default(),
        handoff: Default::default(),
        context: Default::default(),
        feedback: Default::default(),
        variant: None,
        opt_out: false,
        said: Vec::new(),
    }
}
