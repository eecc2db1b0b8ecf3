//! The Redis conversation store on a real, private `redis-server` (see `src/session/redis/test_server.rs`; run
//! the tests with `bash scripts/test.sh`, which installs it): the store contract, two instances
//! of the binary sharing one server, and the server going away and coming back.

use std::path::Path;
use std::process::Child;
use std::time::Duration;

use advisor::dialogue::State;
use advisor::ids::ConversationId;
use advisor::session::{RedisStore, SessionStore, StoreError, Swept};
use serde_json::{Value, json};

use crate::helpers::{TestApp, products};
use advisor::session::test_server::RedisServer;

const HOUR: Duration = Duration::from_secs(3600);

fn state(turn: u32, completed: bool) -> State {
    serde_json::from_value(json!({
        "advisor": "jackets",
        "advisor_version": "v",
        "locale": "en",
        "turn": turn,
        "events": [],
        "completed": completed,
    }))
    .expect("a valid state")
}

fn store(server: &RedisServer, ttl: Duration, capacity: usize) -> RedisStore {
    RedisStore::open(&server.url(), "advisor-test:", ttl, capacity).expect("valid url")
}

#[tokio::test]
async fn keeps_saves_refuses_stale_writes_and_deletes() {
    let server = RedisServer::start();
    let store = store(&server, HOUR, 10);
    let id = ConversationId::generate();
    assert_eq!(store.load(&id).await, Err(StoreError::NotFound));
    store.create(&id, &state(0, false)).await.expect("create");
    assert_eq!(store.load(&id).await, Ok(state(0, false)));
    store.save(&id, &state(1, false), 0).await.expect("save");
    assert_eq!(
        store.save(&id, &state(1, false), 0).await,
        Err(StoreError::Conflict { current: 1 })
    );
    assert_eq!(store.load(&id).await, Ok(state(1, false)));
    assert_eq!(store.delete(&id).await, Ok(true));
    assert_eq!(store.delete(&id).await, Ok(false));
    assert_eq!(store.load(&id).await, Err(StoreError::NotFound));
    assert_eq!(
        store.save(&id, &state(2, false), 1).await,
        Err(StoreError::NotFound)
    );
}

#[tokio::test]
async fn expired_conversations_are_not_found_and_counted_once_across_instances() {
    let server = RedisServer::start();
    let (one, two) = (
        store(&server, Duration::ZERO, 10),
        store(&server, Duration::ZERO, 10),
    );
    let ids: Vec<ConversationId> = (0..6).map(|_| ConversationId::generate()).collect();
    for (n, id) in ids.iter().enumerate() {
        one.create(id, &state(2, n % 3 == 0)).await.expect("create");
    }
    assert_eq!(one.load(&ids[0]).await, Err(StoreError::NotFound));
    assert_eq!(
        two.save(&ids[1], &state(3, false), 2).await,
        Err(StoreError::NotFound)
    );
    let (a, b) = tokio::join!(one.sweep(), two.sweep());
    assert_eq!(
        (a.expired + b.expired, a.abandoned + b.abandoned),
        (6, 4),
        "each expired conversation is counted by one instance: {a:?} {b:?}"
    );
    assert_eq!(one.sweep().await, Swept::default());
}

#[tokio::test]
async fn refuses_new_conversations_when_full_but_not_for_expired_ones() {
    let server = RedisServer::start();
    let full = store(&server, HOUR, 1);
    full.create(&ConversationId::generate(), &state(0, false))
        .await
        .expect("first");
    assert_eq!(
        full.create(&ConversationId::generate(), &state(0, false))
            .await,
        Err(StoreError::Full)
    );
    let server = RedisServer::start();
    let idle = store(&server, Duration::ZERO, 1);
    for _ in 0..3 {
        idle.create(&ConversationId::generate(), &state(0, false))
            .await
            .expect("expired conversations leave room");
    }
}

#[tokio::test]
async fn of_two_instances_racing_on_one_turn_exactly_one_wins() {
    let server = RedisServer::start();
    let (one, two) = (store(&server, HOUR, 10), store(&server, HOUR, 10));
    let id = ConversationId::generate();
    one.create(&id, &state(0, false)).await.expect("create");
    for turn in 0..20 {
        let next = state(turn + 1, false);
        let (a, b) = tokio::join!(one.save(&id, &next, turn), two.save(&id, &next, turn));
        let conflict = Err(StoreError::Conflict { current: turn + 1 });
        assert!(
            (a.is_ok() && b == conflict) || (b.is_ok() && a == conflict),
            "{a:?} {b:?}"
        );
    }
    assert_eq!(two.load(&id).await.map(|s| s.turn), Ok(20));
}

/// `advisor serve` on the shipped files with the Redis store, killed when dropped.
struct Instance {
    child: Child,
    app: TestApp,
}

impl Instance {
    fn start(redis: &RedisServer) -> Self {
        Self::start_in(redis, Path::new(env!("CARGO_MANIFEST_DIR")))
    }

    /// An instance serving the editor files under `dir`.
    fn start_in(redis: &RedisServer, dir: &Path) -> Self {
        Self::start_with(redis, dir, &[])
    }

    /// An instance serving the files under `dir`, with more settings from `env`.
    fn start_with(redis: &RedisServer, dir: &Path, env: &[(&str, &str)]) -> Self {
        let url = redis.url();
        let mut settings = vec![
            ("ADVISOR__SESSIONS__STORE", "redis"),
            ("ADVISOR__SESSIONS__REDIS_URL", url.as_str()),
            ("ADVISOR__LIMITS__REQUESTS_PER_SECOND", "0"),
            ("ADVISOR__LIMITS__CONVERSATIONS_PER_HOUR", "0"),
        ];
        settings.extend_from_slice(env);
        let (child, app) = crate::helpers::serve_binary(dir, &settings);
        Self { child, app }
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn id_of(reply: &Value) -> &str {
    reply["conversation_id"].as_str().expect("conversation id")
}

/// The question ids of the reply's answers, in order.
fn answered(reply: &Value) -> Vec<String> {
    reply["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .filter_map(|a| a["question_id"].as_str().map(str::to_string))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_conversations_and_refuse_a_racing_turn() {
    let redis = RedisServer::start();
    let (a, b) = (Instance::start(&redis), Instance::start(&redis));
    let mut reply = a.app.start("jackets", "en").await;
    let mut asked = Vec::new();
    // Alternately on B and A; the first answer races on both.
    for n in 0.. {
        let Some(question) = reply["input"]["question_id"].as_str().map(str::to_string) else {
            break;
        };
        assert!(n < 20, "no shortlist after 20 answers: {reply}");
        asked.push(question.clone());
        if n == 0 {
            reply = race(&a.app, &b.app, &reply).await;
            continue;
        }
        let on = if n % 2 == 0 { &a.app } else { &b.app };
        reply = on.answer_last(&reply).await;
        assert_eq!(answered(&reply), asked, "no answer lost or reordered");
    }
    assert!(!products(&reply).is_empty(), "a shortlist: {reply}");
    let path = format!("/v1/conversations/{}", id_of(&reply));
    let (on_a, on_b) = (a.app.get(&path).await, b.app.get(&path).await);
    assert_eq!(on_a.0, 200, "{}", on_a.1);
    assert_eq!(on_a, on_b, "both instances serve the same conversation");
    assert_eq!(on_a.1["answers"], reply["answers"]);
}

/// A rolling deploy: the new instance has other files (an option renamed) than the old one. A
/// conversation started on the new one and answered on the old one moves to the old files, and
/// the reply names the answer that does not exist there; nothing else is lost, and going on on
/// the new instance loses nothing more.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_with_other_files_moves_a_conversation_explicitly() {
    let redis = RedisServer::start();
    let dir = crate::helpers::shipped_copy("redis-rolling");
    crate::helpers::rename_option(&dir, "men", "gentlemen");
    let (old, new) = (Instance::start(&redis), Instance::start_in(&redis, &dir));
    let mut reply = new.app.start("jackets", "en").await;
    let (status, next) = new
        .app
        .turn(&reply, json!({"type": "text", "text": "for a man"}))
        .await;
    assert_eq!(status, 200, "{next}");
    reply = next;
    let mut asked = answered(&reply);
    assert!(asked.contains(&"who".to_string()), "{reply}");

    let question = reply["input"]["question_id"]
        .as_str()
        .expect("a question")
        .to_string();
    reply = old.app.answer_last(&reply).await;
    let said = crate::helpers::texts(&reply).join(" ");
    assert!(said.contains("was updated"), "the move is said: {said}");
    assert!(
        said.contains("Who is the jacket for?"),
        "and what went: {said}"
    );
    asked.retain(|q| q != "who");
    asked.push(question);
    assert_eq!(
        answered(&reply),
        asked,
        "every other answer is kept, in order"
    );

    reply = new.app.answer_last(&reply).await;
    let said = crate::helpers::texts(&reply).join(" ");
    assert!(
        !said.contains("was updated"),
        "nothing more is lost: {said}"
    );
    assert!(answered(&reply).starts_with(&asked), "{reply}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Two instances behind a load balancer record into one Redis Stream, and `advisor report`
/// reads every conversation of both from it; nothing is written to event files.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_one_event_stream_that_the_report_reads() {
    let redis = RedisServer::start();
    let dir = crate::helpers::shipped_copy("redis-events");
    let events = [("ADVISOR__ANALYTICS__STORE", "redis")];
    let (a, b) = (
        Instance::start_with(&redis, &dir, &events),
        Instance::start_with(&redis, &dir, &events),
    );
    for n in 0..5 {
        let on = if n % 2 == 0 { &a.app } else { &b.app };
        let mut reply = on.start("jackets", "en").await;
        // Alternate instances within a conversation too.
        for turn in 0..20 {
            if !reply["input"]["question_id"].is_string() {
                break;
            }
            let on = if turn % 2 == 0 { &b.app } else { &a.app };
            reply = on.answer_last(&reply).await;
        }
        assert!(!products(&reply).is_empty(), "a shortlist: {reply}");
    }
    // The writers append once a second.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    drop((a, b));
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_advisor"))
        .args(["report", "--format", "json"])
        .current_dir(&dir)
        .env("ADVISOR__SESSIONS__REDIS_URL", redis.url())
        .env("ADVISOR__ANALYTICS__STORE", "redis")
        .output()
        .expect("advisor report runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_slice(&output.stdout).expect("a JSON report");
    let jackets = report["advisors"]
        .as_array()
        .and_then(|advisors| advisors.iter().find(|a| a["advisor"] == "jackets"))
        .unwrap_or_else(|| panic!("jackets reported: {report}"));
    assert_eq!(jackets["figures"]["funnel"]["started"], 5, "{report}");
    assert_eq!(jackets["figures"]["funnel"]["completed"], 5, "{report}");
    assert_eq!(report["files"]["malformed"], 0);
    assert!(
        !dir.join("data/events").exists(),
        "no event files when the events go to redis"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Sends the last option of the asked question to both instances at once with the same
/// `expected_turn`: one applies it, the other refuses it with 409. Returns the applied reply.
async fn race(a: &TestApp, b: &TestApp, reply: &Value) -> Value {
    let body = json!({"expected_turn": reply["turn"], "input": last_option(reply)});
    let path = format!("/v1/conversations/{}/turns", id_of(reply));
    let (first, second) = tokio::join!(a.post(&path, &body), b.post(&path, &body));
    let mut outcomes = [first, second];
    outcomes.sort_by_key(|(status, _)| *status);
    let [(won, applied), (lost, problem)] = outcomes;
    assert_eq!((won, lost), (200, 409), "{applied} {problem}");
    assert_eq!(problem["code"], "turn_conflict");
    assert_eq!(applied["turn"], reply["turn"].as_u64().expect("turn") + 1);
    applied
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_going_away_is_a_503_with_retry_after_and_the_service_recovers_when_it_is_back() {
    let mut redis = RedisServer::start();
    let instance = Instance::start(&redis);
    let app = &instance.app;
    let reply = app.start("jackets", "en").await;
    let reply = app.answer_last(&reply).await;
    redis.stop();
    let path = format!("/v1/conversations/{}", id_of(&reply));
    // Regression: an outage answered `500 internal` without `Retry-After`, while `/readyz`
    // already said `503 store_unavailable`.
    let (status, problem) = within(app.get(&path)).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (503, Some("store_unavailable")),
        "{problem}"
    );
    let (status, problem) = within(app.turn(&reply, last_option(&reply))).await;
    assert_eq!(status, 503, "{problem}");
    let (status, problem) = within(app.post(
        "/v1/conversations",
        &json!({"advisor": "jackets", "locale": "en"}),
    ))
    .await;
    assert_eq!(status, 503, "{problem}");
    let response = within(app.client.get(format!("{}{path}", app.base)).send())
        .await
        .expect("GET");
    assert_eq!(response.headers()["retry-after"], "5");

    redis.restart();
    // The connection comes back within a few attempts; the restarted server is empty.
    let mut started = None;
    for _ in 0..50 {
        let (status, reply) = within(app.post(
            "/v1/conversations",
            &json!({"advisor": "jackets", "locale": "en"}),
        ))
        .await;
        if status == 201 {
            started = Some(reply);
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let started = started.expect("new conversations start again once Redis is back");
    let next = app.answer_last(&started).await;
    assert_eq!(next["turn"], 1);
    let (status, _) = app.get(&path).await;
    assert_eq!(status, 404, "the restarted server kept nothing");
}

/// The input answering the asked question with its last option.
fn last_option(reply: &Value) -> Value {
    let input = &reply["input"];
    let value = input["options"]
        .as_array()
        .and_then(|options| options.last())
        .map(|option| option["value"].clone())
        .expect("an option");
    json!({"type": "answer", "question_id": input["question_id"], "values": [value]})
}

/// The answer, or a failure when the API hangs instead of answering.
async fn within<T>(call: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(15), call)
        .await
        .expect("the API answers instead of hanging")
}
