//! Graceful shutdown of the real binary: on `SIGTERM`, `/readyz` turns 503 while requests are
//! still served for `server.drain_seconds`, in-flight turns finish, the process exits 0, and
//! every conversation is there after a restart on the same data directory.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::helpers::TestApp;

/// `advisor serve` with the durable store in `data_dir` and a drain of `drain` seconds.
fn serve(data_dir: &Path, drain: &str) -> (Child, TestApp) {
    let data_dir = data_dir.to_string_lossy();
    crate::helpers::serve_binary(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            ("ADVISOR__SESSIONS__STORE", "durable"),
            ("ADVISOR__SESSIONS__DATA_DIR", &data_dir),
            ("ADVISOR__SERVER__DRAIN_SECONDS", drain),
            ("ADVISOR__LIMITS__REQUESTS_PER_SECOND", "0"),
        ],
    )
}

fn terminate(child: &Child) {
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success(), "kill -TERM failed");
}

/// The exit status, waiting at most `limit`.
fn exit_within(child: &mut Child, limit: Duration) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn data_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("advisor-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Answers on until `until` (then reads the conversation again, so requests keep arriving
/// after its shortlist); every request must succeed. Returns the id and the last turn.
async fn keep_talking(app: TestApp, mut reply: Value, until: Instant) -> (String, Value) {
    let id = reply["conversation_id"].as_str().expect("id").to_string();
    while Instant::now() < until {
        if reply["state"] == "awaiting_input" {
            // Asserts a 200.
            reply = app.answer_first(&reply).await;
        } else {
            let (status, current) = app.get(&format!("/v1/conversations/{id}")).await;
            assert_eq!(status, 200, "{current}");
            reply = current;
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    (id, reply["turn"].clone())
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_drains_finishes_in_flight_turns_and_keeps_every_conversation() {
    let dir = data_dir("shutdown");
    let (mut child, app) = serve(&dir, "3");
    assert_eq!(app.get("/readyz").await.0, 200);
    let signal_at = Instant::now() + Duration::from_millis(500);
    // Requests go on for 1.5 s of the 3 s drain: the server must still answer them all.
    let talk_until = signal_at + Duration::from_millis(1500);
    let mut talkers = Vec::new();
    for _ in 0..6 {
        let reply = app.start("jackets", "en").await;
        let client = TestApp {
            base: app.base.clone(),
            client: reqwest::Client::new(),
        };
        talkers.push(tokio::spawn(keep_talking(client, reply, talk_until)));
    }
    tokio::time::sleep_until(signal_at.into()).await;
    terminate(&child);
    let mut refused = None;
    for _ in 0..40 {
        let (status, body) = app.get("/readyz").await;
        if status == 503 {
            refused = Some(body);
            break;
        }
        assert_eq!(status, 200, "{body}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let refused = refused.expect("/readyz answers 503 during the drain");
    assert_eq!(refused["code"], "shutting_down", "{refused}");
    let mut acknowledged = Vec::new();
    for talker in talkers {
        acknowledged.push(talker.await.expect("every request succeeded"));
    }
    let status =
        tokio::task::spawn_blocking(move || exit_within(&mut child, Duration::from_secs(20)))
            .await
            .expect("waiting");
    assert!(status.success(), "exit status {status:?}");

    let (mut child, app) = serve(&dir, "0");
    for (id, turn) in &acknowledged {
        let (status, reply) = app.get(&format!("/v1/conversations/{id}")).await;
        assert_eq!(status, 200, "{id} after the restart: {reply}");
        assert_eq!(&reply["turn"], turn, "{id} after the restart");
    }
    terminate(&child);
    let status = exit_within(&mut child, Duration::from_secs(20));
    assert!(status.success(), "second exit status {status:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
