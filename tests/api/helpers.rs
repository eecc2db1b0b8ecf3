//! Starting the real server and talking to it.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use advisor::settings::{Settings, StoreKind};
use advisor::shop::Shop;
use serde_json::{Value, json};

/// The shipped editor files, loaded once for all tests.
pub fn shop() -> Arc<Shop> {
    static SHOP: OnceLock<Arc<Shop>> = OnceLock::new();
    SHOP.get_or_init(|| {
        let (shop, problems) = Shop::load(&Settings::default().paths);
        Arc::new(shop.unwrap_or_else(|| panic!("shipped files must load:\n{}", problems.render())))
    })
    .clone()
}

/// Default settings without the per-address rate limit: tests send many requests from one
/// address (the rate limit has its own tests).
pub fn without_rate_limit() -> Settings {
    let mut settings = Settings::default();
    settings.limits.requests_per_second = 0;
    settings.limits.conversations_per_hour = 0;
    settings
}

/// A running server on a free port with its own conversation store.
#[derive(Clone)]
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
}

impl TestApp {
    pub async fn spawn() -> Self {
        Self::spawn_with(without_rate_limit()).await
    }

    pub async fn spawn_with(mut settings: Settings) -> Self {
        settings.server.addr = "127.0.0.1:0".into();
        settings.server.workers = 1;
        settings.sessions.store = StoreKind::Memory;
        // Analytics only where a test gives the events a folder of its own.
        settings.analytics.enabled &= settings.analytics.dir.is_some();
        let (server, addrs): (_, Vec<SocketAddr>) =
            advisor::http::start(shop(), &settings).expect("server binds");
        tokio::spawn(server);
        Self {
            base: format!("http://{}", addrs[0]),
            client: reqwest::Client::new(),
        }
    }

    pub async fn get(&self, path: &str) -> (u16, Value) {
        let response = self
            .client
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("GET");
        decode(response).await
    }

    pub async fn delete(&self, path: &str) -> (u16, Value) {
        let response = self
            .client
            .delete(format!("{}{path}", self.base))
            .send()
            .await
            .expect("DELETE");
        decode(response).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .json(body)
            .send()
            .await
            .expect("POST");
        decode(response).await
    }

    pub async fn post_raw(&self, path: &str, content_type: &str, body: &str) -> (u16, Value) {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", content_type)
            .body(body.to_string())
            .send()
            .await
            .expect("POST");
        decode(response).await
    }

    /// Starts a conversation and returns its first reply.
    pub async fn start(&self, advisor: &str, locale: &str) -> Value {
        let (status, reply) = self
            .post(
                "/v1/conversations",
                &json!({"advisor": advisor, "locale": locale}),
            )
            .await;
        assert_eq!(status, 201, "{reply}");
        reply
    }

    pub async fn turn(&self, reply: &Value, input: Value) -> (u16, Value) {
        let id = reply["conversation_id"].as_str().expect("conversation id");
        self.post(
            &format!("/v1/conversations/{id}/turns"),
            &json!({ "input": input }),
        )
        .await
    }

    /// Starts a conversation and gives these single answers in order, returning the last reply.
    /// Questions asked in between are answered with their last option (no preference in the
    /// shipped files), since the advisor chooses the order.
    pub async fn start_and_answer(&self, advisor: &str, answers: &[(&str, &str)]) -> Value {
        let mut reply = self.start(advisor, "en").await;
        for (question, value) in answers {
            reply = self.answer_until(&reply, question).await;
            let (status, next) = self
                .turn(
                    &reply,
                    json!({"type": "answer", "question_id": question, "values": [value]}),
                )
                .await;
            assert_eq!(status, 200, "{next}");
            reply = next;
        }
        reply
    }

    /// Answers other questions with their last option until `question` is asked.
    pub async fn answer_until(&self, reply: &Value, question: &str) -> Value {
        let mut reply = reply.clone();
        for _ in 0..10 {
            if reply["input"]["question_id"] == question {
                return reply;
            }
            reply = self.answer_last(&reply).await;
        }
        panic!("`{question}` is never asked: {reply}");
    }

    /// Answers the current question with its last offered option.
    pub async fn answer_last(&self, reply: &Value) -> Value {
        self.answer_with(reply, |options| options.last()).await
    }

    /// Answers the current question with its first offered option.
    pub async fn answer_first(&self, reply: &Value) -> Value {
        self.answer_with(reply, |options| options.first()).await
    }

    async fn answer_with(&self, reply: &Value, pick: fn(&[Value]) -> Option<&Value>) -> Value {
        let input = &reply["input"];
        let question = input["question_id"].as_str().expect("a question is asked");
        let options = input["options"].as_array().expect("options");
        let value = pick(options)
            .and_then(|o| o["value"].as_str())
            .expect("an option is offered");
        let (status, next) = self
            .turn(
                reply,
                json!({"type": "answer", "question_id": question, "values": [value]}),
            )
            .await;
        assert_eq!(status, 200, "{next}");
        next
    }
}

/// The response's `Content-Type`, empty when there is none.
pub fn content_type(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

async fn decode(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    let content_type = content_type(&response);
    let text = response.text().await.expect("body");
    if status >= 400 {
        assert_eq!(
            content_type, "application/problem+json",
            "errors are problem+json: {text}"
        );
    }
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).expect("JSON body")
    };
    (status, body)
}

/// Texts of the reply's text messages.
pub fn texts(reply: &Value) -> Vec<String> {
    reply["messages"]
        .as_array()
        .map(|messages| {
            messages
                .iter()
                .filter(|m| m["type"] == "text")
                .filter_map(|m| m["text"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The products of the reply's product message.
pub fn products(reply: &Value) -> Vec<Value> {
    reply["messages"]
        .as_array()
        .and_then(|messages| messages.iter().find(|m| m["type"] == "products"))
        .and_then(|m| m["items"].as_array().cloned())
        .unwrap_or_default()
}

/// The names of the actions on offer.
pub fn action_names(reply: &Value) -> Vec<String> {
    reply["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .filter_map(|a| a["name"].as_str().map(str::to_string))
        .collect()
}

/// Copies a folder with everything in it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir").flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy");
        }
    }
}

/// A fresh copy of the shipped `catalog/`, `questions/` and `templates/` in a temporary folder
/// named after `name` (unique per test), for tests that change or break files.
pub fn shipped_copy(name: &str) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("advisor-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for folder in ["catalog", "questions", "templates"] {
        copy_dir(&root.join(folder), &dir.join(folder));
    }
    dir
}

/// Renames an option id of `questions/jackets.yaml` (nothing else in the file refers to it).
pub fn rename_option(dir: &Path, from: &str, to: &str) {
    let file = dir.join("questions/jackets.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    let line = format!("      - id: {from}\n");
    assert!(text.contains(&line), "`{from}` is an option id");
    std::fs::write(
        &file,
        text.replacen(&line, &format!("      - id: {to}\n"), 1),
    )
    .expect("write");
}

/// `advisor serve` as a separate process on a free port, run in `dir` with these environment
/// variables (file watching off, text logs), and a client for the address it logs.
pub fn serve_binary(dir: &Path, env: &[(&str, &str)]) -> (std::process::Child, TestApp) {
    let (child, app, _) = serve_binary_logged(dir, env);
    (child, app)
}

/// [`serve_binary`], and every line the server logs, as it logs them.
pub fn serve_binary_logged(
    dir: &Path,
    env: &[(&str, &str)],
) -> (
    std::process::Child,
    TestApp,
    std::sync::Arc<std::sync::Mutex<Vec<String>>>,
) {
    use std::io::BufRead;
    use std::process::{Command, Stdio};

    let mut child = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .args(["serve", "--addr", "127.0.0.1:0"])
        .current_dir(dir)
        .env("ADVISOR__RELOAD__WATCH", "false")
        .env("ADVISOR__LOG__FORMAT", "text")
        .envs(env.iter().copied())
        .env_remove("RUST_LOG")
        .stderr(Stdio::piped())
        .spawn()
        .expect("advisor serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let (found, lines) = std::sync::mpsc::channel();
    let logged = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&logged);
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            log.lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .push(line.clone());
            if let Some(start) = line.find("http://")
                && let Some(address) = line[start..].split_whitespace().next()
            {
                let _ = found.send(address.to_string());
            }
        }
    });
    let base = lines
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the server logs its address");
    let app = TestApp {
        base,
        client: reqwest::Client::new(),
    };
    (child, app, logged)
}
