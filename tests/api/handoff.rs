//! Handing a conversation to a person: the reply, the refusals afterwards, the offer after
//! repeated dead ends, and the signed webhook, received by a tiny HTTP server in the test.

use std::path::Path;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use advisor::settings::Settings;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{TestApp, action_names, shipped_copy, texts, without_rate_limit};

const SECRET: &str = "test-secret";

/// One request the receiver got: its headers (lower-case names) and body.
#[derive(Debug, Clone)]
struct Received {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A webhook receiver on a free port answering with `statuses` in turn (then 200).
async fn receiver(statuses: &[u16]) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let url = format!(
        "http://{}/hooks/handoff",
        listener.local_addr().expect("addr")
    );
    let received = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&received);
    let statuses = statuses.to_vec();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let mut stream = BufReader::new(stream);
            let mut headers = Vec::new();
            loop {
                let mut line = String::new();
                if stream.read_line(&mut line).await.unwrap_or(0) == 0 || line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    headers.push((name.trim().to_lowercase(), value.trim().to_string()));
                }
            }
            let length = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let mut body = vec![0; length];
            let _ = stream.read_exact(&mut body).await;
            let status = {
                let mut log = log.lock().expect("lock");
                log.push(Received { headers, body });
                statuses.get(log.len() - 1).copied().unwrap_or(200)
            };
            let answer =
                format!("HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
            let _ = stream.get_mut().write_all(answer.as_bytes()).await;
        }
    });
    (url, received)
}

fn with_webhook(url: &str, first_retry_ms: u64) -> Settings {
    let mut settings = without_rate_limit();
    settings.handoff.webhook_url = url.into();
    settings.handoff.secret = SECRET.into();
    settings.handoff.first_retry_ms = first_retry_ms;
    settings
}

async fn wait_for(received: &Mutex<Vec<Received>>, count: usize) -> Vec<Received> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let now = received.lock().expect("lock").clone();
        if now.len() >= count || Instant::now() > deadline {
            return now;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

const HANDOFF: fn() -> Value = || json!({"type": "action", "name": "handoff"});

#[tokio::test]
async fn a_handoff_sends_the_signed_conversation_to_the_webhook_once() {
    let (url, received) = receiver(&[]).await;
    let app = TestApp::spawn_with(with_webhook(&url, 50)).await;
    let (_, reply) = app
        .post(
            "/v1/conversations",
            &json!({"advisor": "jackets", "locale": "en", "customer": {"name": "Ada"}}),
        )
        .await;
    let (_, reply) = app
        .turn(
            &reply,
            json!({"type": "answer", "question_id": "protection", "values": ["wind"]}),
        )
        .await;
    let (_, reply) = app
        .turn(
            &reply,
            json!({"type": "text", "text": "a jacket with a hood"}),
        )
        .await;
    assert!(
        action_names(&reply).contains(&"handoff".to_string()),
        "{reply}"
    );
    let (status, handed) = app.turn(&reply, HANDOFF()).await;
    assert_eq!(status, 200, "{handed}");
    assert_eq!(handed["state"], "handed_off");
    assert!(handed["input"].is_null());
    let said = texts(&handed).join(" ");
    assert!(
        said.contains("+1 555 0100") && said.contains("help@luma.example.com"),
        "{said}"
    );
    assert_eq!(action_names(&handed), ["back", "restart"]);

    let delivered = wait_for(&received, 1).await;
    assert_eq!(delivered.len(), 1);
    let request = &delivered[0];
    let timestamp: u64 = request
        .header("x-advisor-timestamp")
        .parse()
        .expect("timestamp");
    assert_eq!(
        request.header("x-advisor-signature"),
        advisor::handoff::signature(SECRET.as_bytes(), timestamp, &request.body)
    );
    let id = handed["conversation_id"].as_str().expect("id");
    assert_eq!(request.header("x-advisor-delivery"), format!("{id}-3"));
    let payload: Value = serde_json::from_slice(&request.body).expect("JSON body");
    assert_eq!(payload["event"], "conversation.handed_off");
    assert_eq!(payload["conversation_id"], id);
    assert_eq!(
        payload["advisor"],
        json!({"id": "jackets", "title": "Find your jacket"})
    );
    assert_eq!(
        (
            payload["locale"].as_str(),
            payload["customer_name"].as_str()
        ),
        (Some("en"), Some("Ada"))
    );
    assert_eq!(
        payload["answers"][0],
        json!({"question_id": "protection",
               "question": "What should it protect you from? Pick all that apply.",
               "values": ["wind"], "labels": ["Wind"]})
    );
    let candidates = &payload["candidates"];
    assert_eq!(candidates["count"], handed["candidate_count"]);
    let top = candidates["top"].as_array().expect("top");
    assert!(!top.is_empty() && top.len() <= 5, "{candidates}");
    assert!(top.iter().all(|p| p["id"].is_string()
        && p["title"].is_string()
        && p["price"].is_number()
        && p["url"].is_string()));
    let transcript = payload["transcript"].as_array().expect("transcript");
    assert_eq!(transcript[0]["kind"], "answer");
    assert_eq!(transcript[0]["said"], "Wind");
    assert!(
        transcript
            .iter()
            .any(|l| l["kind"] == "text" && l["said"] == "hood"),
        "{transcript:?}"
    );

    // Asking again answers the same and sends nothing.
    let (status, again) = app.turn(&handed, HANDOFF()).await;
    assert_eq!((status, &again["turn"]), (200, &handed["turn"]));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(received.lock().expect("lock").len(), 1);
    let metrics = app
        .client
        .get(format!("{}/metrics", app.base))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(
        metrics.contains("advisor_conversations_handed_off_total{advisor=\"jackets\"} 1"),
        "{metrics}"
    );
}

#[tokio::test]
async fn a_failing_receiver_gets_retries_while_the_reply_comes_at_once() {
    let (url, received) = receiver(&[500, 500, 200]).await;
    let app = TestApp::spawn_with(with_webhook(&url, 400)).await;
    let reply = app.start("jackets", "en").await;
    let (status, handed) = app.turn(&reply, HANDOFF()).await;
    assert_eq!(
        (status, handed["state"].as_str()),
        (200, Some("handed_off"))
    );
    // The third attempt comes at least 200 + 400 ms after the first.
    assert!(
        received.lock().expect("lock").len() < 3,
        "the reply waited for the retries"
    );
    let delivered = wait_for(&received, 3).await;
    assert_eq!(delivered.len(), 3);
    assert!(delivered.iter().all(|r| r.body == delivered[0].body));
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        received.lock().expect("lock").len(),
        3,
        "no attempt after the 200"
    );
}

#[tokio::test]
async fn customers_ask_for_a_person_in_english_and_german() {
    let app = TestApp::spawn().await;
    for (locale, text, expected) in [
        ("en", "I want to talk to someone", "person from our team"),
        (
            "de",
            "Ich möchte mit einem Mitarbeiter sprechen",
            "aus unserem Team",
        ),
    ] {
        let reply = app.start("jackets", locale).await;
        let (status, handed) = app
            .turn(&reply, json!({"type": "text", "text": text}))
            .await;
        assert_eq!(status, 200, "{handed}");
        assert_eq!(handed["state"], "handed_off", "{text}");
        assert!(texts(&handed).join(" ").contains(expected), "{handed}");
    }
}

#[tokio::test]
async fn the_second_dead_end_offers_a_person() {
    let app = TestApp::spawn().await;
    let reply = app.start("jackets", "en").await;
    let rain_and_cold =
        json!({"type": "answer", "question_id": "protection", "values": ["rain", "cold"]});
    let (_, first) = app.turn(&reply, rain_and_cold.clone()).await;
    assert_eq!(first["dead_end"], true);
    let offer = "Would you like to talk to a person";
    assert!(!texts(&first).join(" ").contains(offer));
    let (_, back) = app
        .turn(&first, json!({"type": "action", "name": "back"}))
        .await;
    let (_, second) = app.turn(&back, rain_and_cold).await;
    assert_eq!(second["dead_end"], true);
    assert!(
        texts(&second).last().is_some_and(|t| t.contains(offer)),
        "{second}"
    );
    let handoff = second["actions"]
        .as_array()
        .and_then(|actions| actions.iter().find(|a| a["name"] == "handoff"))
        .expect("the handoff is on offer");
    assert_eq!(handoff["label"], "Talk to a person");
    assert_eq!(handoff["input"], HANDOFF());
}

#[tokio::test]
async fn a_handed_off_conversation_refuses_answers_until_restart() {
    let app = TestApp::spawn().await;
    let reply = app.start("jackets", "en").await;
    let (_, handed) = app.turn(&reply, HANDOFF()).await;
    let id = handed["conversation_id"].as_str().expect("id");
    let answer = json!({"type": "answer", "question_id": "protection", "values": ["wind"]});
    let (status, problem) = app.turn(&handed, answer).await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (422, Some("handed_off")),
        "{problem}"
    );
    let (_, now) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(
        (&now["turn"], &now["state"]),
        (&handed["turn"], &handed["state"])
    );
    assert_eq!(texts(&now), texts(&handed), "GET shows the contact again");
    let (status, restarted) = app
        .turn(&now, json!({"type": "action", "name": "restart"}))
        .await;
    assert_eq!(
        (status, restarted["state"].as_str()),
        (200, Some("awaiting_input"))
    );
    assert_eq!(restarted["input"]["question_id"], "protection");
    assert!(action_names(&restarted).contains(&"handoff".to_string()));
}

#[test]
fn check_reports_a_contact_link_a_widget_may_not_open() {
    let dir = shipped_copy("handoff-url");
    let file = dir.join("questions/jackets.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    let broken = text.replacen(
        "url: https://luma.example.com/contact",
        "url: javascript:alert(1)",
        1,
    );
    assert_ne!(text, broken);
    std::fs::write(&file, broken).expect("write");
    let line = std::fs::read_to_string(&file)
        .expect("read")
        .lines()
        .position(|l| l.contains("javascript:"))
        .expect("line")
        + 1;
    let output = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .arg("check")
        .current_dir(&dir)
        .env_remove("ADVISOR__PATHS__QUESTIONS")
        .output()
        .expect("advisor runs");
    let out = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(1), "{out}");
    let at = format!(
        "{}:{line}:",
        Path::new("questions").join("jackets.yaml").display()
    );
    assert!(out.contains(&at), "{out}");
    assert!(
        out.contains("is not a contact link") && out.contains("`https://`, `mailto:` or `tel:`"),
        "{out}"
    );
}

/// The binary on the durable store in `dir`, its webhook at `url`.
fn serve_with_webhook(dir: &Path, url: &str) -> (std::process::Child, TestApp) {
    crate::helpers::serve_binary(
        dir,
        &[
            ("ADVISOR__HANDOFF__WEBHOOK_URL", url),
            ("ADVISOR__HANDOFF__SECRET", SECRET),
            ("ADVISOR__HANDOFF__FIRST_RETRY_MS", "3000"),
            ("ADVISOR__HANDOFF__TIMEOUT_SECONDS", "2"),
            ("ADVISOR__SERVER__DRAIN_SECONDS", "0"),
            ("ADVISOR__LIMITS__REQUESTS_PER_SECOND", "0"),
            ("ADVISOR__LIMITS__CONVERSATIONS_PER_HOUR", "0"),
        ],
    )
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_handoff_still_being_retried_at_shutdown_is_delivered_after_the_restart() {
    let (url, received) = receiver(&[500]).await;
    let dir = shipped_copy("handoff-outbox");
    let (mut child, app) = serve_with_webhook(&dir, &url);
    let reply = app.start("jackets", "en").await;
    let (status, _) = app.turn(&reply, HANDOFF()).await;
    assert_eq!(status, 200);
    // The first attempt fails; the next one is 1.5 to 3 s away when the server is stopped.
    assert_eq!(wait_for(&received, 1).await.len(), 1);
    let stopped = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(stopped.success());
    let exited = child.wait().expect("the server exits");
    assert!(exited.success(), "{exited:?}");
    assert_eq!(
        received.lock().expect("lock").len(),
        1,
        "no retry before the stop"
    );

    let (mut child, _app) = serve_with_webhook(&dir, &url);
    let delivered = wait_for(&received, 2).await;
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(delivered.len(), 2, "the restarted server sent it again");
    let [first, again] = [&delivered[0], &delivered[1]];
    assert_eq!(again.body, first.body, "the same handoff");
    assert_eq!(
        again.header("x-advisor-delivery"),
        first.header("x-advisor-delivery"),
        "with the same delivery id, so the receiver can drop repeats"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(
        received.lock().expect("lock").len(),
        2,
        "and only once more"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
