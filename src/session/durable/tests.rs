//! The durable store against a real database file in a temporary folder.

use std::path::PathBuf;

use super::*;
use crate::session::sample_state as state;

/// A fresh folder per test, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("advisor-durable-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }

    fn store(&self, ttl: Duration, capacity: usize) -> DurableStore {
        DurableStore::open(&self.0, ttl, capacity).expect("database opens")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test]
async fn a_load_pushes_the_expiry_back_only_when_it_was_refreshed_long_ago() {
    let dir = TempDir::new("refresh");
    let store = dir.store(HOUR, 10);
    let id = ConversationId::generate();
    store.create(&id, &state(0)).await.expect("create");
    let expiry = |store: &DurableStore| {
        let read = store.database().expect("open").begin_read().expect("read");
        let table = read.open_table(CONVERSATIONS).expect("table");
        let record = table.get(id.as_str()).expect("get").expect("entry");
        record.value().0
    };
    let created = expiry(&store);
    // Refreshed moments ago: the load only reads.
    assert_eq!(store.load(&id).await, Ok(state(0)));
    assert_eq!(expiry(&store), created);
    // Last refreshed half an hour ago: the load pushes the expiry back to a full hour.
    let key = id.to_string();
    write(&store.database().expect("open"), move |table| {
        let json = to_json(&state(0))?;
        table
            .insert(key.as_str(), (now() + 1800, 0, json.as_slice()))
            .map_err(backend)?;
        Ok(())
    })
    .expect("backdated");
    // Half an hour on, the state this process remembers is due for a refresh as well.
    store.recent.forget(id.as_str());
    assert_eq!(store.load(&id).await, Ok(state(0)));
    assert!(expiry(&store) >= now() + HOUR.as_secs() - 1);
}

#[tokio::test]
async fn keeps_saves_and_deletes_conversations() {
    let dir = TempDir::new("crud");
    let store = dir.store(HOUR, 10);
    let id = ConversationId::generate();
    assert_eq!(store.load(&id).await, Err(StoreError::NotFound));
    store.create(&id, &state(0)).await.expect("create");
    assert_eq!(store.load(&id).await, Ok(state(0)));
    store.save(&id, &state(1), 0).await.expect("save");
    assert_eq!(store.load(&id).await, Ok(state(1)));
    assert_eq!(store.delete(&id).await, Ok(true));
    assert_eq!(store.delete(&id).await, Ok(false));
    assert_eq!(store.load(&id).await, Err(StoreError::NotFound));
    assert_eq!(
        store.save(&id, &state(2), 1).await,
        Err(StoreError::NotFound)
    );
}

#[tokio::test]
async fn refuses_stale_writes_and_keeps_the_newer_state() {
    let dir = TempDir::new("conflict");
    crate::session::refuses_stale_writes(&dir.store(HOUR, 10)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn of_concurrent_saves_on_the_same_turn_exactly_one_wins() {
    let dir = TempDir::new("race");
    let store = Arc::new(dir.store(HOUR, 10));
    let id = ConversationId::generate();
    store.create(&id, &state(0)).await.expect("create");
    let saves: Vec<_> = (0..8)
        .map(|_| {
            let (store, id) = (Arc::clone(&store), id.clone());
            tokio::spawn(async move { store.save(&id, &state(1), 0).await })
        })
        .collect();
    let mut won = 0;
    for save in saves {
        match save.await.expect("task") {
            Ok(()) => won += 1,
            Err(error) => assert_eq!(error, StoreError::Conflict { current: 1 }),
        }
    }
    assert_eq!(won, 1);
}

#[tokio::test]
async fn forgets_idle_conversations_and_sweeps_them() {
    let dir = TempDir::new("expiry");
    let store = dir.store(Duration::ZERO, 10);
    let id = ConversationId::generate();
    store.create(&id, &state(0)).await.expect("create");
    assert_eq!(store.load(&id).await, Err(StoreError::NotFound));
    assert_eq!(
        store.save(&id, &state(1), 0).await,
        Err(StoreError::NotFound)
    );
    for turn in 0..3 {
        let mut state = state(turn);
        state.completed = turn == 2;
        store
            .create(&ConversationId::generate(), &state)
            .await
            .expect("create");
    }
    let swept = store.sweep().await;
    assert_eq!(
        swept,
        Swept {
            expired: 4,
            abandoned: 3
        },
        "the load left the first one for the sweep"
    );
    assert_eq!(store.sweep().await, Swept::default());
}

#[tokio::test]
async fn refuses_new_conversations_when_full_unless_some_expired() {
    let dir = TempDir::new("capacity");
    let store = dir.store(HOUR, 1);
    crate::session::refuses_new_conversations_when_full(&store).await;
    let other = TempDir::new("capacity-expired");
    let expiring = other.store(Duration::ZERO, 1);
    let id = ConversationId::generate();
    expiring.create(&id, &state(0)).await.expect("first");
    expiring
        .create(&ConversationId::generate(), &state(0))
        .await
        .expect("room made by dropping the expired one");
}

#[tokio::test]
async fn reopening_the_database_keeps_the_conversations() {
    let dir = TempDir::new("reopen");
    let ids: Vec<_> = (0..3).map(|_| ConversationId::generate()).collect();
    {
        let store = dir.store(HOUR, 10);
        for (turn, id) in (0..).zip(&ids) {
            store.create(id, &state(0)).await.expect("create");
            if turn > 0 {
                store.save(id, &state(turn), 0).await.expect("save");
            }
        }
    }
    let store = dir.store(HOUR, 10);
    for (turn, id) in (0..).zip(&ids) {
        assert_eq!(store.load(id).await, Ok(state(turn)));
    }
}

#[tokio::test]
async fn a_closed_store_refuses_work_and_reopens_with_everything() {
    let dir = TempDir::new("close");
    let id = ConversationId::generate();
    let store = dir.store(HOUR, 10);
    assert_eq!(store.ping().await, Ok(()));
    store.create(&id, &state(0)).await.expect("create");
    store.save(&id, &state(1), 0).await.expect("save");
    store.close().await;
    assert!(matches!(store.ping().await, Err(StoreError::Backend(_))));
    assert!(matches!(store.load(&id).await, Err(StoreError::Backend(_))));
    // Closed, the file is free while the old store value still exists.
    let reopened = dir.store(HOUR, 10);
    assert_eq!(reopened.load(&id).await, Ok(state(1)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_share_commits_and_all_reach_the_disk() {
    let dir = TempDir::new("group");
    let ids: Vec<_> = (0..200).map(|_| ConversationId::generate()).collect();
    {
        let store = Arc::new(dir.store(HOUR, 1000));
        let mut writes = tokio::task::JoinSet::new();
        for id in ids.clone() {
            let store = Arc::clone(&store);
            writes.spawn(async move {
                store.create(&id, &state(0)).await?;
                store.save(&id, &state(1), 0).await
            });
        }
        for write in writes.join_all().await {
            write.expect("every write is acknowledged");
        }
        let commits = store.writer.commits();
        assert!(commits < 400, "400 writes in {commits} commits");
    }
    let store = dir.store(HOUR, 1000);
    for id in &ids {
        assert_eq!(store.load(id).await, Ok(state(1)));
    }
}

#[tokio::test]
async fn keeps_side_records_beside_the_conversations() {
    let dir = TempDir::new("records");
    crate::session::keeps_side_records(&dir.store(HOUR, 10)).await;
}
