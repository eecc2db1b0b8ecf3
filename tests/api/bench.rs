//! `advisor gen-catalog` and `advisor bench`, run as a user would, on a tiny shop and short runs:
//! the figures mean nothing at this size; the test checks that every part runs and reports.

use std::process::Command;

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("advisor-{name}-{}", std::process::id()))
}

#[test]
fn gen_catalog_writes_a_shop_that_checks_clean_and_is_deterministic() {
    let (a, b) = (temp("gen-a"), temp("gen-b"));
    for out in [&a, &b] {
        let status = Command::new(env!("CARGO_BIN_EXE_advisor"))
            .args(["gen-catalog", "--products", "3000", "--seed", "7", "--out"])
            .arg(out)
            .status()
            .expect("gen-catalog runs");
        assert!(status.success());
    }
    for file in [
        "catalog/catalog.yaml",
        "catalog/products.jsonl",
        "questions/outdoor.yaml",
    ] {
        let first = std::fs::read(a.join(file)).expect("written");
        assert_eq!(
            first,
            std::fs::read(b.join(file)).expect("written"),
            "{file}"
        );
    }
    let output = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .arg("check")
        .env("ADVISOR__PATHS__CATALOG", a.join("catalog"))
        .env("ADVISOR__PATHS__QUESTIONS", a.join("questions"))
        .output()
        .expect("check runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{report}");
    assert!(
        report.contains("3000 products, 1 advisors (outdoor): 0 error(s)"),
        "{report}"
    );
    for dir in [a, b] {
        std::fs::remove_dir_all(dir).ok();
    }
}

#[test]
fn bench_measures_every_run_and_prints_the_ratios() {
    let dir = temp("bench");
    let output = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .args([
            "bench",
            "--products",
            "2000",
            "--rounds",
            "1",
            "--seconds",
            "0.3",
        ])
        .args(["--connections", "4", "--store", "durable", "--dir"])
        .arg(&dir)
        .output()
        .expect("bench runs");
    let report = String::from_utf8_lossy(&output.stdout);
    // 0: every target met, 2: some missed (likely in a debug build); anything else failed.
    assert!(matches!(output.status.code(), Some(0 | 2)), "{report}");
    for line in [
        "echo, 4 connections",
        "turns, 4 connections",
        "turns, 1 connection",
        "turns, 4, durable store",
        "durable store: throughput cost vs memory",
        "turn / echo throughput",
        "search phase / raw tantivy",
        "startup (load + index)",
        "question choice",
        "serialization",
    ] {
        assert!(report.contains(line), "missing `{line}` in\n{report}");
    }
    let failed = report
        .lines()
        .find(|l| l.starts_with("failed requests"))
        .expect("the error count");
    assert!(failed.trim_end().ends_with("ok"), "{report}");
    let turns = report
        .lines()
        .find(|l| l.starts_with("turns, 1 connection"))
        .expect("the single-connection run");
    let requests: f64 = turns
        .split_whitespace()
        .nth(3)
        .and_then(|n| n.parse().ok())
        .expect("requests per second");
    assert!(requests > 0.0, "{report}");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn load_drives_a_running_advisor_and_reports_no_failed_request() {
    let app = crate::helpers::TestApp::spawn().await;
    let base = app.base.clone();
    let output = tokio::task::spawn_blocking(move || {
        Command::new(env!("CARGO_BIN_EXE_advisor"))
            .args(["load", &base, "--connections", "4", "--seconds", "1"])
            .output()
    })
    .await
    .expect("task")
    .expect("load runs");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{report}");
    for advisor in ["gear", "jackets", "sportswear"] {
        assert!(report.contains(advisor), "every listed advisor: {report}");
    }
    assert!(report.contains("failed requests: 0"), "{report}");
    assert!(report.contains("latency ms: p50"), "{report}");
    let refused = Command::new(env!("CARGO_BIN_EXE_advisor"))
        .args(["load", "http://192.0.2.1:8080", "--seconds", "1"])
        .output()
        .expect("load runs");
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("not on this machine"),
        "only loopback addresses are loaded"
    );
}
