//! The durable conversation store: the real binary killed with SIGKILL mid-conversation and
//! started again on the same data directory keeps every turn it acknowledged.

use std::path::{Path, PathBuf};
use std::process::Child;

use serde_json::{Value, json};

use crate::helpers::{TestApp, products};

/// One acknowledged reply: what the customer was told was saved.
struct Acknowledged {
    id: String,
    turn: Value,
    answers: Value,
}

impl Acknowledged {
    fn of(reply: &Value) -> Self {
        Self {
            id: reply["conversation_id"]
                .as_str()
                .expect("conversation id")
                .to_string(),
            turn: reply["turn"].clone(),
            answers: reply["answers"].clone(),
        }
    }
}

/// `advisor serve` on port 0 with the durable store in `data_dir`, and its address.
fn serve(data_dir: &Path) -> (Child, TestApp) {
    let data_dir = data_dir.to_string_lossy();
    crate::helpers::serve_binary(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &[
            ("ADVISOR__SESSIONS__STORE", "durable"),
            ("ADVISOR__SESSIONS__DATA_DIR", &data_dir),
        ],
    )
}

fn data_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("advisor-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_restarts_with_every_acknowledged_turn() {
    let dir = data_dir("durable-crash");
    let (mut child, app) = serve(&dir);
    let mut acknowledged: Vec<Acknowledged> = Vec::new();
    for conversation in 0..4 {
        let (status, mut reply) = app
            .post(
                "/v1/conversations",
                &json!({"advisor": "jackets", "locale": "en"}),
            )
            .await;
        assert_eq!(status, 201, "{reply}");
        acknowledged.push(Acknowledged::of(&reply));
        // Conversations stop at different turns (1, 2, 3, 3), none at its shortlist.
        for _ in 0..conversation.min(2) + 1 {
            let Some(question) = reply["input"]["question_id"].as_str() else {
                break;
            };
            // The last option is "no preference" in the shipped files: the advisor asks on.
            let options = reply["input"]["options"].as_array().expect("options");
            let value = options.last().expect("an option")["value"].clone();
            let (status, next) = app
                .turn(
                    &reply,
                    json!({"type": "answer", "question_id": question, "values": [value]}),
                )
                .await;
            assert_eq!(status, 200, "{next}");
            acknowledged.push(Acknowledged::of(&next));
            reply = next;
        }
    }
    child.kill().expect("SIGKILL");
    let _ = child.wait();

    let (mut child, app) = serve(&dir);
    let mut latest: Vec<&Acknowledged> = Vec::new();
    for ack in &acknowledged {
        match latest.iter_mut().find(|seen| seen.id == ack.id) {
            Some(seen) => *seen = ack,
            None => latest.push(ack),
        }
    }
    let turns: usize = acknowledged.len();
    assert_eq!(
        (latest.len(), turns),
        (4, 13),
        "every conversation took its turns"
    );
    for ack in &latest {
        let (status, reply) = app.get(&format!("/v1/conversations/{}", ack.id)).await;
        assert_eq!(status, 200, "conversation {} survives: {reply}", ack.id);
        assert_eq!(reply["turn"], ack.turn, "{reply}");
        assert_eq!(reply["answers"], ack.answers, "{reply}");
    }
    eprintln!(
        "{} conversations, {turns} acknowledged replies, all found after SIGKILL and restart",
        latest.len()
    );

    let (_, mut reply) = app
        .get(&format!("/v1/conversations/{}", latest[0].id))
        .await;
    for _ in 0..20 {
        if reply["input"]["question_id"].is_null() {
            break;
        }
        reply = app.answer_last(&reply).await;
    }
    assert!(!products(&reply).is_empty(), "a shortlist: {reply}");
    let (status, again) = app
        .get(&format!("/v1/conversations/{}", latest[0].id))
        .await;
    assert_eq!((status, &again["turn"]), (200, &reply["turn"]));

    child.kill().expect("stop");
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
