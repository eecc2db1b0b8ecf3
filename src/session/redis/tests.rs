//! The Redis store against a private `redis-server`: what the shared contract
//! (`tests/api/redis.rs`) cannot see from outside, the keys and their expiries.

use ::redis::AsyncCommands;

use super::*;
use crate::session::sample_state as state;

use super::test_server::RedisServer;

const HOUR: Duration = Duration::from_secs(3600);

fn store(server: &RedisServer, ttl: Duration) -> RedisStore {
    RedisStore::open(&server.url(), "test:", ttl, 10).expect("valid url")
}

async fn raw(server: &RedisServer) -> ::redis::aio::MultiplexedConnection {
    Client::open(server.url())
        .expect("url")
        .get_multiplexed_async_connection()
        .await
        .expect("connects")
}

fn unix_now() -> i64 {
    let elapsed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970");
    i64::try_from(elapsed.as_secs()).expect("fits")
}

#[tokio::test]
async fn refuses_stale_writes_and_keeps_the_newer_state() {
    let server = RedisServer::start();
    crate::session::refuses_stale_writes(&store(&server, HOUR)).await;
}

#[tokio::test]
async fn the_hash_outlives_the_expiry_set_score_by_the_grace_period() {
    let server = RedisServer::start();
    let store = store(&server, HOUR);
    let id = ConversationId::generate();
    store.create(&id, &state(0)).await.expect("create");
    let mut redis = raw(&server).await;
    let key = format!("test:conv:{id}");
    let ttl: i64 = redis.ttl(&key).await.expect("TTL");
    assert!((3600 + 600 - 5..=3600 + 600).contains(&ttl), "{ttl}");
    let score: f64 = redis
        .zscore("test:expiry", id.as_str())
        .await
        .expect("ZSCORE");
    assert!((score as i64 - unix_now() - 3600).abs() <= 5, "{score}");
    let turn: String = redis.hget(&key, "turn").await.expect("HGET");
    assert_eq!(turn, "0");
}

#[tokio::test]
async fn a_past_score_is_not_found_while_the_hash_still_exists_and_is_swept_once() {
    let server = RedisServer::start();
    let store = store(&server, HOUR);
    let id = ConversationId::generate();
    let mut done = state(2);
    done.completed = true;
    store.create(&id, &done).await.expect("create");
    let mut redis = raw(&server).await;
    let () = redis
        .zadd("test:expiry", id.as_str(), unix_now() - 1)
        .await
        .expect("ZADD");
    assert_eq!(store.load(&id).await, Err(StoreError::NotFound));
    assert_eq!(
        store.save(&id, &state(3), 2).await,
        Err(StoreError::NotFound)
    );
    let exists: bool = redis
        .exists(format!("test:conv:{id}"))
        .await
        .expect("EXISTS");
    assert!(
        exists,
        "a load or save leaves the expired conversation to the sweep"
    );
    assert_eq!(
        store.sweep().await,
        Swept {
            expired: 1,
            abandoned: 0
        }
    );
    assert_eq!(store.sweep().await, Swept::default());
    let exists: bool = redis
        .exists(format!("test:conv:{id}"))
        .await
        .expect("EXISTS");
    assert!(!exists, "the sweep deletes the hash");
}

#[tokio::test]
async fn a_conversation_redis_already_dropped_is_counted_as_abandoned() {
    let server = RedisServer::start();
    let store = store(&server, Duration::ZERO);
    let id = ConversationId::generate();
    let mut done = state(2);
    done.completed = true;
    store.create(&id, &done).await.expect("create");
    let mut redis = raw(&server).await;
    let () = redis.del(format!("test:conv:{id}")).await.expect("DEL");
    assert_eq!(
        store.sweep().await,
        Swept {
            expired: 1,
            abandoned: 1
        }
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_backend_error() {
    let server = RedisServer::start();
    let url = server.url();
    drop(server);
    let store = RedisStore::open(&url, "test:", HOUR, 10).expect("valid url");
    let started = std::time::Instant::now();
    match store.load(&ConversationId::generate()).await {
        Err(StoreError::Backend(message)) => assert!(message.contains("redis"), "{message}"),
        other => panic!("expected a backend error, got {other:?}"),
    }
    assert!(started.elapsed() <= CALL_TIMEOUT, "{:?}", started.elapsed());
    assert_eq!(store.sweep().await, Swept::default());
}

#[test]
fn a_malformed_url_is_refused() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let _inside = runtime.enter();
    let Err(StoreError::Backend(message)) = RedisStore::open("http://nowhere", "p:", HOUR, 1)
    else {
        panic!("a malformed url is refused");
    };
    assert!(message.contains("redis"), "{message}");
}

#[tokio::test]
async fn keeps_side_records_beside_the_conversations() {
    let server = RedisServer::start();
    crate::session::keeps_side_records(&store(&server, HOUR)).await;
}
