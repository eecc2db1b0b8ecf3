//! The durable store: one `redb` database file, so conversations survive a crash or a restart.
//!
//! Every change is committed (redb's default durability: on disk) before the reply is sent, and
//! the turn check of `save` happens inside its transaction, so two concurrent saves cannot both
//! win. Writes go through one writer thread that commits the writes waiting at the same moment
//! together (`writer.rs`, group commit); reads run on tokio's blocking pool. States are stored as
//! JSON beside their expiry and turn; the store never looks further inside. Side records (start
//! keys, the handoff outbox) live in a second table of the same file, with their expiry.

mod recent;
mod writer;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use arc_swap::ArcSwapOption;
use async_trait::async_trait;
use redb::{Database, ReadableTable, ReadableTableMetadata, Table, TableDefinition};

use super::{SessionStore, StoreError, Swept, decode, to_json};
use crate::dialogue::State;
use crate::ids::ConversationId;
use recent::Recent;
use writer::{RecordsTable, Writer};

/// The database file's name inside the data directory.
pub const FILE_NAME: &str = "conversations.redb";

pub struct DurableStore {
    /// `None` once closed.
    db: ArcSwapOption<Database>,
    writer: Arc<Writer>,
    /// The states saved last, for loads without reading the file.
    recent: Recent,
    ttl: Duration,
    capacity: usize,
}

/// Conversation id → (expiry in unix seconds, turn, state as JSON).
type Record = (u64, u32, &'static [u8]);

const CONVERSATIONS: TableDefinition<&str, Record> = TableDefinition::new("conversations");

/// Side record key → (expiry in unix seconds, value).
type SideRecord = (u64, &'static [u8]);

const RECORDS: TableDefinition<&str, SideRecord> = TableDefinition::new("records");

impl DurableStore {
    /// Opens the database in `dir` (the folder must exist), creating the file and its table when
    /// they do not exist yet.
    pub fn open(dir: &Path, ttl: Duration, capacity: usize) -> Result<Self, StoreError> {
        let db = Arc::new(Database::create(dir.join(FILE_NAME)).map_err(backend)?);
        write(&db, |_| Ok(()))?;
        let writer = Writer::spawn(Arc::clone(&db))
            .map_err(|error| StoreError::Backend(format!("starting the writer: {error}")))?;
        Ok(Self {
            db: ArcSwapOption::new(Some(db)),
            writer: Arc::new(writer),
            recent: Recent::default(),
            ttl,
            capacity,
        })
    }

    /// Runs `work` in the writer's next transaction; returns once it is committed.
    async fn transaction<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Table<'_, &'static str, Record>) -> Result<T, StoreError>
        + Send
        + 'static,
    ) -> Result<T, StoreError> {
        self.writer
            .run(move |tables| work(&mut tables.conversations))
            .await
    }

    /// Runs `work` on the side records in the writer's next transaction.
    async fn records_transaction<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut RecordsTable<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        self.writer
            .run(move |tables| work(&mut tables.records))
            .await
    }

    /// The open database, or `Backend` once the store is closed.
    fn database(&self) -> Result<Arc<Database>, StoreError> {
        self.db
            .load_full()
            .ok_or_else(|| StoreError::Backend("the store is closed".into()))
    }

    fn expiry(&self) -> u64 {
        now().saturating_add(self.ttl.as_secs())
    }
}

#[async_trait]
impl SessionStore for DurableStore {
    async fn create(&self, id: &ConversationId, state: &State) -> Result<(), StoreError> {
        let json = to_json(state)?;
        let (id, turn, expires, capacity) =
            (id.to_string(), state.turn, self.expiry(), self.capacity);
        self.recent.forget(&id);
        let key = id.clone();
        self.transaction(move |table| {
            if table.len().map_err(backend)? >= capacity as u64 {
                remove_expired(table, now())?;
                if table.len().map_err(backend)? >= capacity as u64 {
                    return Err(StoreError::Full);
                }
            }
            table
                .insert(id.as_str(), (expires, turn, json.as_slice()))
                .map_err(backend)?;
            Ok(())
        })
        .await?;
        self.recent.put(&key, state, expires);
        Ok(())
    }

    async fn load(&self, id: &ConversationId) -> Result<State, StoreError> {
        let (id, expires) = (id.to_string(), self.expiry());
        // Most loads find an entry refreshed moments ago (by the last turn's save): read it
        // without a write transaction and its sync. Only an entry refreshed longer ago than a
        // tenth of the idle time gets its expiry pushed back.
        let fresh_since = expires.saturating_sub(self.ttl.as_secs() / 10);
        let db = self.database()?;
        if let Some(state) = self.recent.get(&id, fresh_since, now()) {
            return Ok(state);
        }
        // A read transaction on pages redb and the operating system keep cached takes
        // microseconds: cheaper in place than a trip to the blocking pool.
        let recent = read_fresh(&db, &id, fresh_since)?;
        if let Some(json) = recent {
            return decode(&json);
        }
        let key = id.clone();
        let loaded = self
            .transaction(move |table| {
                // An expired entry stays for the sweep, which counts it.
                let Some((false, turn, json)) = get(table, &id)? else {
                    return Ok(None);
                };
                table
                    .insert(id.as_str(), (expires, turn, json.as_slice()))
                    .map_err(backend)?;
                Ok(Some(json))
            })
            .await?;
        let state = decode(&loaded.ok_or(StoreError::NotFound)?)?;
        self.recent.put(&key, &state, expires);
        Ok(state)
    }

    async fn save(
        &self,
        id: &ConversationId,
        state: &State,
        expected_turn: u32,
    ) -> Result<(), StoreError> {
        let json = to_json(state)?;
        let (id, turn, expires) = (id.to_string(), state.turn, self.expiry());
        let key = id.clone();
        let saved = self
            .transaction(move |table| match get(table, &id)? {
                None | Some((true, _, _)) => Err(StoreError::NotFound),
                Some((false, current, _)) if current != expected_turn => {
                    Err(StoreError::Conflict { current })
                }
                Some(_) => {
                    table
                        .insert(id.as_str(), (expires, turn, json.as_slice()))
                        .map_err(backend)?;
                    Ok(())
                }
            })
            .await;
        match &saved {
            Ok(()) => self.recent.put(&key, state, expires),
            // The file holds something else than what is remembered.
            Err(_) => self.recent.forget(&key),
        }
        saved
    }

    async fn delete(&self, id: &ConversationId) -> Result<bool, StoreError> {
        let id = id.to_string();
        self.recent.forget(&id);
        self.transaction(move |table| Ok(table.remove(id.as_str()).map_err(backend)?.is_some()))
            .await
    }

    async fn put_new(
        &self,
        key: &str,
        value: &[u8],
        ttl: Duration,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let (key, value, expires) = (key.to_string(), value.to_vec(), expiry_after(ttl));
        self.records_transaction(move |table| {
            if let Some(guard) = table.get(key.as_str()).map_err(backend)? {
                let (known_expires, known) = guard.value();
                if known_expires > now() {
                    return Ok(Some(known.to_vec()));
                }
            }
            table
                .insert(key.as_str(), (expires, value.as_slice()))
                .map_err(backend)?;
            Ok(None)
        })
        .await
    }

    async fn put(&self, key: &str, value: &[u8], ttl: Duration) -> Result<(), StoreError> {
        let (key, value, expires) = (key.to_string(), value.to_vec(), expiry_after(ttl));
        self.records_transaction(move |table| {
            table
                .insert(key.as_str(), (expires, value.as_slice()))
                .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn remove(&self, key: &str) -> Result<(), StoreError> {
        let key = key.to_string();
        self.records_transaction(move |table| {
            table.remove(key.as_str()).map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn scan(&self, prefix: &str) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let (db, prefix) = (self.database()?, prefix.to_string());
        tokio::task::spawn_blocking(move || {
            let transaction = db.begin_read().map_err(backend)?;
            let table = transaction.open_table(RECORDS).map_err(backend)?;
            let now = now();
            let mut found = Vec::new();
            for entry in table.range(prefix.as_str()..).map_err(backend)? {
                let (key, value) = entry.map_err(backend)?;
                let key = key.value();
                if !key.starts_with(&prefix) {
                    break;
                }
                let (expires, value) = value.value();
                if expires > now {
                    found.push((key.to_string(), value.to_vec()));
                }
            }
            Ok(found)
        })
        .await
        .map_err(|error| StoreError::Backend(format!("store task failed: {error}")))?
    }

    async fn sweep(&self) -> Swept {
        self.recent.forget_expired(now());
        let records = self
            .records_transaction(|table| {
                let now = now();
                table
                    .retain(|_, (expires, _)| expires > now)
                    .map_err(backend)
            })
            .await;
        if let Err(error) = records {
            tracing::error!(%error, "sweeping expired side records failed");
        }
        match self.transaction(|table| remove_expired(table, now())).await {
            Ok(swept) => swept,
            Err(error) => {
                tracing::error!(%error, "sweeping expired conversations failed");
                Swept::default()
            }
        }
    }

    /// A read transaction on the table.
    async fn ping(&self) -> Result<(), StoreError> {
        let db = self.database()?;
        tokio::task::spawn_blocking(move || {
            let transaction = db.begin_read().map_err(backend)?;
            transaction.open_table(CONVERSATIONS).map_err(backend)?;
            Ok(())
        })
        .await
        .map_err(|error| StoreError::Backend(format!("store task failed: {error}")))?
    }

    /// Lets the writer commit the writes already queued (also one whose request was cut off at
    /// the shutdown timeout) and stop, then drops the database, which records its allocator
    /// state so the next start needs no repair.
    async fn close(&self) {
        let Some(db) = self.db.swap(None) else {
            return;
        };
        let writer = Arc::clone(&self.writer);
        let closed = tokio::task::spawn_blocking(move || {
            writer.close();
            let mut db = db;
            // A read that started before the swap still holds the database for a moment.
            for _ in 0..100 {
                match Arc::try_unwrap(db) {
                    Ok(db) => {
                        drop(db);
                        return Ok(());
                    }
                    Err(shared) => db = shared,
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(StoreError::Backend(
                "still in use after 2 s; it closes with its last user".into(),
            ))
        })
        .await;
        match closed {
            Ok(Ok(())) => tracing::info!(
                commits = self.writer.commits(),
                "conversation database closed"
            ),
            Ok(Err(error)) => tracing::warn!(%error, "closing the conversation database"),
            Err(error) => tracing::warn!(%error, "closing the conversation database"),
        }
    }
}

/// Runs `work` in a write transaction, committed unless the database itself failed. Refusals
/// (not found, conflict, full) commit too: they may have removed an expired entry.
fn write<T>(
    db: &Database,
    work: impl FnOnce(&mut Table<'_, &'static str, Record>) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let transaction = db.begin_write().map_err(backend)?;
    let result = {
        transaction.open_table(RECORDS).map_err(backend)?;
        let mut table = transaction.open_table(CONVERSATIONS).map_err(backend)?;
        work(&mut table)
    };
    match result {
        // Dropping the transaction aborts it.
        Err(StoreError::Backend(cause)) => Err(StoreError::Backend(cause)),
        result => {
            transaction.commit().map_err(backend)?;
            result
        }
    }
}

/// The entry's (expired?, turn, JSON), if there is one.
fn get(
    table: &Table<'_, &'static str, Record>,
    id: &str,
) -> Result<Option<(bool, u32, Vec<u8>)>, StoreError> {
    let Some(guard) = table.get(id).map_err(backend)? else {
        return Ok(None);
    };
    let (expires, turn, json) = guard.value();
    Ok(Some((expires <= now(), turn, json.to_vec())))
}

fn remove_expired(
    table: &mut Table<'_, &'static str, Record>,
    now: u64,
) -> Result<Swept, StoreError> {
    let mut swept = Swept::default();
    table
        .retain(|_, (expires, _, json)| {
            let keep = expires > now;
            if !keep {
                swept.count_json(json);
            }
            keep
        })
        .map_err(backend)?;
    Ok(swept)
}

/// The entry's JSON when its expiry is at least `fresh_since` (it was refreshed recently), in a
/// read transaction; `None` when it is missing, expired or due for a refresh.
fn read_fresh(db: &Database, id: &str, fresh_since: u64) -> Result<Option<Vec<u8>>, StoreError> {
    let transaction = db.begin_read().map_err(backend)?;
    let table = transaction.open_table(CONVERSATIONS).map_err(backend)?;
    let Some(guard) = table.get(id).map_err(backend)? else {
        return Ok(None);
    };
    let (expires, _, json) = guard.value();
    Ok((expires >= fresh_since && expires > now()).then(|| json.to_vec()))
}

fn backend(error: impl Into<redb::Error>) -> StoreError {
    StoreError::Backend(error.into().to_string())
}

/// The expiry, in unix seconds, of a record kept for `ttl`.
fn expiry_after(ttl: Duration) -> u64 {
    now().saturating_add(ttl.as_secs())
}

/// Unix seconds; a clock before 1970 counts as 1970.
fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

#[cfg(test)]
mod tests;
