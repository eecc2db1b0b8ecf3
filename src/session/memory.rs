//! The in-memory store: a map with expiry, for a single instance and for tests.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use async_trait::async_trait;

use super::{SessionStore, StoreError, Swept};
use crate::dialogue::State;
use crate::ids::ConversationId;

pub struct MemoryStore {
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<ConversationId, Entry>>,
    /// Side records: key → (value, expiry).
    records: Mutex<HashMap<String, (Vec<u8>, Instant)>>,
}

struct Entry {
    state: State,
    expires: Instant,
}

impl MemoryStore {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            ttl,
            capacity,
            entries: Mutex::new(HashMap::new()),
            records: Mutex::new(HashMap::new()),
        }
    }

    fn records(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Vec<u8>, Instant)>> {
        self.records
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<ConversationId, Entry>> {
        // A panic while holding the lock cannot leave a half-written entry (inserts are single
        // calls), so the data is still consistent.
        self.entries
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[async_trait]
impl SessionStore for MemoryStore {
    async fn create(&self, id: &ConversationId, state: &State) -> Result<(), StoreError> {
        let now = Instant::now();
        let mut entries = self.entries();
        if entries.len() >= self.capacity {
            entries.retain(|_, entry| entry.expires > now);
            if entries.len() >= self.capacity {
                return Err(StoreError::Full);
            }
        }
        entries.insert(
            id.clone(),
            Entry {
                state: state.clone(),
                expires: now + self.ttl,
            },
        );
        Ok(())
    }

    async fn load(&self, id: &ConversationId) -> Result<State, StoreError> {
        let now = Instant::now();
        let mut entries = self.entries();
        match entries.get_mut(id) {
            Some(entry) if entry.expires > now => {
                entry.expires = now + self.ttl;
                Ok(entry.state.clone())
            }
            _ => Err(StoreError::NotFound),
        }
    }

    async fn save(
        &self,
        id: &ConversationId,
        state: &State,
        expected_turn: u32,
    ) -> Result<(), StoreError> {
        let now = Instant::now();
        let mut entries = self.entries();
        let entry = entries
            .get_mut(id)
            .filter(|entry| entry.expires > now)
            .ok_or(StoreError::NotFound)?;
        if entry.state.turn != expected_turn {
            return Err(StoreError::Conflict {
                current: entry.state.turn,
            });
        }
        entry.state = state.clone();
        entry.expires = now + self.ttl;
        Ok(())
    }

    async fn delete(&self, id: &ConversationId) -> Result<bool, StoreError> {
        Ok(self.entries().remove(id).is_some())
    }

    async fn put_new(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let now = Instant::now();
        let mut records = self.records();
        if let Some((known, expires)) = records.get(key)
            && *expires > now
        {
            return Ok(Some(known.clone()));
        }
        records.insert(key.to_string(), (value.to_vec(), now + ttl));
        Ok(None)
    }

    async fn put(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), StoreError> {
        self.records()
            .insert(key.to_string(), (value.to_vec(), Instant::now() + ttl));
        Ok(())
    }

    async fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.records().remove(key);
        Ok(())
    }

    async fn scan(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let now = Instant::now();
        Ok(self
            .records()
            .iter()
            .filter(|(key, (_, expires))| key.starts_with(prefix) && *expires > now)
            .map(|(key, (value, _))| (key.clone(), value.clone()))
            .collect())
    }

    async fn sweep(&self) -> Swept {
        let now = Instant::now();
        self.records().retain(|_, (_, expires)| *expires > now);
        let mut swept = Swept::default();
        self.entries().retain(|_, entry| {
            let keep = entry.expires > now;
            if !keep {
                swept.count(entry.state.completed);
            }
            keep
        });
        swept
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::sample_state as state;

    #[tokio::test]
    async fn refuses_stale_writes_and_keeps_the_newer_state() {
        crate::session::refuses_stale_writes(&MemoryStore::new(Duration::from_secs(60), 10)).await;
    }

    #[tokio::test]
    async fn forgets_idle_conversations() {
        let store = MemoryStore::new(Duration::ZERO, 10);
        let id = ConversationId::generate();
        store.create(&id, &state(0)).await.expect("create");
        let mut done = state(3);
        done.completed = true;
        let finished = ConversationId::generate();
        store.create(&finished, &done).await.expect("create");
        assert_eq!(store.load(&id).await, Err(StoreError::NotFound));
        assert_eq!(
            store.sweep().await,
            Swept {
                expired: 2,
                abandoned: 1
            }
        );
        assert_eq!(store.sweep().await, Swept::default());
    }

    #[tokio::test]
    async fn keeps_side_records() {
        crate::session::keeps_side_records(&MemoryStore::new(Duration::from_secs(60), 10)).await;
    }

    #[tokio::test]
    async fn refuses_new_conversations_when_full() {
        let store = MemoryStore::new(Duration::from_secs(60), 1);
        crate::session::refuses_new_conversations_when_full(&store).await;
    }
}
