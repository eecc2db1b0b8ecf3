//! Live reload: the real server on a copy of the shipped files, changed while conversations run.
//! A good change serves new conversations and leaves running ones on their version; a broken
//! change is refused, reported, and never interrupts anyone.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use advisor::shop::{LiveShop, Shop};
use serde_json::{Value, json};

use crate::helpers::{TestApp, rename_option, shipped_copy, texts};

const MARKER: &str = "[v2]";

async fn spawn_live(dir: &Path, watch: bool, token: &str) -> (TestApp, Arc<LiveShop>) {
    spawn_keeping(
        dir,
        watch,
        token,
        advisor::shop::ReloadSettings::default().keep_versions,
    )
    .await
}

async fn spawn_keeping(
    dir: &Path,
    watch: bool,
    token: &str,
    keep_versions: usize,
) -> (TestApp, Arc<LiveShop>) {
    let mut settings = crate::helpers::without_rate_limit();
    settings.server.addr = "127.0.0.1:0".into();
    settings.server.workers = 2;
    settings.sessions.store = advisor::settings::StoreKind::Memory;
    settings.paths.catalog = dir.join("catalog");
    settings.paths.questions = dir.join("questions");
    settings.paths.templates = dir.join("templates");
    settings.reload.watch = watch;
    settings.reload.debounce_ms = 200;
    settings.reload.keep_versions = keep_versions;
    settings.admin.token = token.into();
    let (shop, problems) = Shop::load(&settings.paths);
    let shop = shop.unwrap_or_else(|| panic!("copy loads:\n{}", problems.render()));
    let live = Arc::new(advisor::http::live_shop(Arc::new(shop), &settings));
    if watch {
        advisor::shop::watch(Arc::clone(&live));
    }
    let (server, addrs) =
        advisor::http::start_live(Arc::clone(&live), &settings).expect("server binds");
    tokio::spawn(server);
    let app = TestApp {
        base: format!("http://{}", addrs[0]),
        client: reqwest::Client::new(),
    };
    (app, live)
}

fn mark_questions(dir: &Path) {
    let file = dir.join("templates/en/question.hbs");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, format!("{MARKER} {text}")).expect("write");
}

fn marked(reply: &Value) -> bool {
    texts(reply).iter().any(|t| t.contains(MARKER))
}

/// The served version once it differs from `before`, or `before` after 10 s.
async fn version_after(app: &TestApp, before: &Value) -> Value {
    for _ in 0..100 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let version = app.get("/readyz").await.1["version"].clone();
        if version != *before {
            return version;
        }
    }
    before.clone()
}

/// Customers walking conversations to the shortlist in a loop until stopped.
struct Traffic {
    stop: Arc<AtomicBool>,
    failures: Arc<AtomicUsize>,
    tasks: Vec<tokio::task::JoinHandle<usize>>,
}

impl Traffic {
    fn start(app: &TestApp, customers: usize) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let failures = Arc::new(AtomicUsize::new(0));
        let tasks = (0..customers)
            .map(|_| customer(app, Arc::clone(&stop), Arc::clone(&failures)))
            .collect();
        Self {
            stop,
            failures,
            tasks,
        }
    }

    /// Stops and returns the turns taken and the replies that were not 2xx.
    async fn stop(self) -> (usize, usize) {
        tokio::time::sleep(Duration::from_millis(300)).await;
        self.stop.store(true, Ordering::Relaxed);
        let mut turns = 0;
        for task in self.tasks {
            turns += task.await.expect("traffic task");
        }
        (turns, self.failures.load(Ordering::Relaxed))
    }
}

fn customer(
    app: &TestApp,
    stop: Arc<AtomicBool>,
    failures: Arc<AtomicUsize>,
) -> tokio::task::JoinHandle<usize> {
    let app = TestApp {
        base: app.base.clone(),
        client: app.client.clone(),
    };
    tokio::spawn(async move {
        let mut turns = 0;
        while !stop.load(Ordering::Relaxed) {
            let (status, mut reply) = app
                .post(
                    "/v1/conversations",
                    &json!({"advisor": "jackets", "locale": "en"}),
                )
                .await;
            if status != 201 {
                failures.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            while reply["input"]["question_id"].is_string() {
                let question = reply["input"]["question_id"].clone();
                let value = reply["input"]["options"][0]["value"].clone();
                let (status, next) = app
                    .turn(
                        &reply,
                        json!({"type": "answer", "question_id": question, "values": [value]}),
                    )
                    .await;
                turns += 1;
                if status != 200 {
                    failures.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                reply = next;
            }
        }
        turns
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_good_reload_serves_new_conversations_and_running_ones_stay_on_their_version() {
    let dir = shipped_copy("reload-good");
    let (app, _live) = spawn_live(&dir, false, "").await;
    let running = app.start("jackets", "en").await;
    assert!(!marked(&running));
    let traffic = Traffic::start(&app, 4);
    tokio::time::sleep(Duration::from_millis(300)).await;

    mark_questions(&dir);
    let (status, report) = app.post("/admin/reload", &json!({})).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["result"], "applied", "{report}");
    let (_, ready) = app.get("/readyz").await;
    assert_eq!(ready["version"], report["version"]);

    let fresh = app.start("jackets", "en").await;
    assert!(
        marked(&fresh),
        "new conversations use the new templates: {fresh}"
    );
    // The conversation that started before the reload finishes on its own version.
    let mut reply = running;
    while reply["input"]["question_id"].is_string() {
        reply = app.answer_first(&reply).await;
        assert!(
            !marked(&reply),
            "a running conversation keeps its version: {reply}"
        );
    }
    assert!(!crate::helpers::products(&reply).is_empty());
    let (_, status_page) = app.get("/admin/status").await;
    assert_eq!(
        status_page["older_versions"].as_array().map(Vec::len),
        Some(1)
    );

    let (turns, failures) = traffic.stop().await;
    assert!(turns > 20, "traffic ran during the reload ({turns} turns)");
    assert_eq!(failures, 0, "no request failed around the reload");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The question ids and values of a reply's answers.
fn answer_values(reply: &Value) -> Vec<(String, Value)> {
    reply["answers"]
        .as_array()
        .expect("answers")
        .iter()
        .map(|a| {
            (
                a["question_id"].as_str().unwrap_or("").to_string(),
                a["values"].clone(),
            )
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_conversation_whose_version_is_no_longer_kept_moves_and_is_told_what_went() {
    let dir = shipped_copy("reload-moved");
    let (app, live) = spawn_keeping(&dir, false, "", 1).await;
    let mut running = app.start("jackets", "en").await;
    for _ in 0..6 {
        let before = answer_values(&running);
        if ["who", "where"]
            .iter()
            .all(|q| before.iter().any(|(a, _)| a == q))
        {
            break;
        }
        let question = running["input"]["question_id"].as_str().expect("asked");
        let value = match question {
            "who" => "men",
            "where" => "trail",
            _ => {
                running = app.answer_last(&running).await;
                continue;
            }
        };
        let (status, next) = app
            .turn(
                &running,
                json!({"type": "answer", "question_id": question, "values": [value]}),
            )
            .await;
        assert_eq!(status, 200, "{next}");
        running = next;
    }
    let before = answer_values(&running);
    assert!(before.iter().any(|(q, _)| q == "who"), "{running}");

    // The option answered is renamed, then another edit: the conversation's version is one
    // more than the one older version kept.
    rename_option(&dir, "men", "gentlemen");
    let (_, first) = app.post("/admin/reload", &json!({})).await;
    assert_eq!(first["result"], "applied", "{first}");
    mark_questions(&dir);
    let (_, second) = app.post("/admin/reload", &json!({})).await;
    assert_eq!(second["result"], "applied", "{second}");
    let older = live.status().older_versions;
    assert_eq!(
        older,
        vec![first["version"].as_str().expect("version").to_string()]
    );

    let path = format!(
        "/v1/conversations/{}",
        running["conversation_id"].as_str().expect("id")
    );
    let (status, shown) = app.get(&path).await;
    assert_eq!(status, 200, "{shown}");
    let said = texts(&shown).join(" ");
    assert!(said.contains("updated"), "the move is said: {said}");
    assert!(
        said.contains("Who is the jacket for?"),
        "the question is named: {said}"
    );

    let (status, reply) = app
        .turn(&shown, json!({"type": "text", "text": "for a man"}))
        .await;
    assert_eq!(status, 200, "{reply}");
    let said = texts(&reply).join(" ");
    assert!(
        said.contains("was updated"),
        "the reply to the next input says it too: {said}"
    );
    let after = answer_values(&reply);
    assert!(
        after
            .iter()
            .any(|(q, v)| q == "where" && v == &json!(["trail"])),
        "every answer that still exists is kept: {reply}"
    );
    assert!(
        marked(&reply) || reply["input"]["question_id"].is_null(),
        "it is on the new version: {reply}"
    );

    // Saved on the new version: `GET` shows that last reply exactly, and the next input says
    // nothing more about the move.
    let (_, again) = app.get(&path).await;
    assert_eq!(again, reply);
    let next = app.answer_first(&again).await;
    assert!(!texts(&next).join(" ").contains("updated"), "{next}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn versions_with_the_same_catalogue_files_share_one_catalogue() {
    let dir = shipped_copy("reload-shared");
    let (app, live) = spawn_live(&dir, false, "").await;
    let before = live.current();
    mark_questions(&dir);
    let (_, report) = app.post("/admin/reload", &json!({})).await;
    assert_eq!(report["result"], "applied", "{report}");
    let after = live.current();
    assert_ne!(before.version, after.version);
    assert!(
        Arc::ptr_eq(&before.catalog, &after.catalog),
        "a template edit does not load the catalogue again"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_broken_reload_is_refused_with_its_problems_and_the_running_version_keeps_serving() {
    let dir = shipped_copy("reload-broken");
    let (app, _live) = spawn_live(&dir, false, "").await;
    let (_, before) = app.get("/readyz").await;
    let traffic = Traffic::start(&app, 4);

    let file = dir.join("questions/jackets.yaml");
    let text = std::fs::read_to_string(&file).expect("read");
    std::fs::write(&file, text.replacen("climate:", "climat:", 1)).expect("write");
    let (status, problem) = app.post("/admin/reload", &json!({})).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["code"], "reload_rejected");
    let errors = problem["errors"].as_array().expect("errors listed");
    let unknown = errors
        .iter()
        .find(|e| e["message"].as_str().is_some_and(|m| m.contains("climat")))
        .unwrap_or_else(|| panic!("the misspelt facet is reported: {problem}"));
    assert!(
        unknown["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("jackets.yaml"))
    );
    assert!(unknown["line"].as_u64().is_some());

    let (_, status_page) = app.get("/admin/status").await;
    assert_eq!(status_page["last_reload"]["result"], "rejected");
    assert_eq!(status_page["version"], before["version"]);
    let (_, after) = app.get("/readyz").await;
    assert_eq!(after["version"], before["version"]);
    let reply = app.start("jackets", "en").await;
    assert!(reply["input"]["question_id"].is_string());

    let (_, failures) = traffic.stop().await;
    assert_eq!(failures, 0, "no request failed around the refused reload");
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_file_is_picked_up_by_the_watcher() {
    let dir = shipped_copy("reload-watch");
    let (app, _live) = spawn_live(&dir, true, "").await;
    let (_, before) = app.get("/readyz").await;
    mark_questions(&dir);
    let version = version_after(&app, &before["version"]).await;
    assert_ne!(
        version, before["version"],
        "the watcher reloaded within 10 s"
    );
    let (_, status_page) = app.get("/admin/status").await;
    assert_eq!(status_page["last_reload"]["trigger"], "watch");
    assert!(marked(&app.start("jackets", "en").await));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn admin_endpoints_need_the_token_when_one_is_set() {
    let dir = shipped_copy("reload-token");
    let (app, _live) = spawn_live(&dir, false, "s3cret-token").await;
    let (status, problem) = app.get("/admin/status").await;
    assert_eq!(
        (status, problem["code"].as_str()),
        (401, Some("unauthorized"))
    );
    let response = app
        .client
        .post(format!("{}/admin/reload", app.base))
        .bearer_auth("s3cret-token")
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status().as_u16(), 200);
    let body: Value = response.json().await.expect("JSON");
    assert_eq!(
        body["result"], "unchanged",
        "nothing changed on disk: {body}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[tokio::test]
async fn sighup_reloads_the_running_binary() {
    use std::process::Command;

    let dir = shipped_copy("reload-sighup");
    let (mut child, app) =
        crate::helpers::serve_binary(&dir, &[("ADVISOR__SESSIONS__STORE", "memory")]);
    let (_, before) = app.get("/readyz").await;
    mark_questions(&dir);
    let hangup = Command::new("kill")
        .args(["-HUP", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(hangup.success());
    let version = version_after(&app, &before["version"]).await;
    let _ = child.kill();
    let _ = child.wait();
    assert_ne!(version, before["version"], "SIGHUP reloaded the files");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_same_files_in_another_folder_have_the_same_version() {
    let dir = shipped_copy("reload-version");
    let paths = advisor::shop::Paths {
        catalog: dir.join("catalog"),
        questions: dir.join("questions"),
        templates: dir.join("templates"),
    };
    let shipped = crate::helpers::shop();
    let (copy, _) = Shop::load(&paths);
    assert_eq!(copy.expect("copy loads").version, shipped.version);
    assert_eq!(
        advisor::shop::version_of(&paths).as_deref(),
        Some(shipped.version.as_str()),
        "the version is known before loading, so unchanged files are not loaded again"
    );
    mark_questions(&dir);
    assert_ne!(
        advisor::shop::version_of(&paths).as_deref(),
        Some(shipped.version.as_str())
    );
    let _ = std::fs::remove_dir_all(&dir);
}
