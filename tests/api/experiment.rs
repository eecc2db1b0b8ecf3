//! An A/B test of two versions of an advisor file, through the real server: the split by
//! conversation id, the version `b` hidden from the advisor list, and the report per variant
//! with its intervals, as JSON and as the served page.

use serde_json::{Value, json};

use crate::analytics::{recording, shortlist};
use crate::helpers::{products, shipped_copy};

/// The shipped files plus `questions/jackets-b.yaml`: the jacket advisor with a smaller
/// shortlist, shown to half of the new jacket conversations.
fn with_variant() -> std::path::PathBuf {
    let root = shipped_copy("experiment");
    let jackets = std::fs::read_to_string(root.join("questions/jackets.yaml")).expect("jackets");
    let variant = jackets.replace("  size: 5\n", "  size: 3\n")
        + "\nexperiment:\n  variant_of: jackets\n  share: 50\n";
    std::fs::write(root.join("questions/jackets-b.yaml"), variant).expect("variant written");
    root
}

#[tokio::test]
async fn conversations_split_between_two_versions_and_the_report_compares_them() {
    let root = with_variant();
    let (app, _events) = recording("experiment", Some(&root)).await;
    let (_, listed) = app.get("/v1/advisors").await;
    let ids: Vec<&str> = listed["advisors"]
        .as_array()
        .expect("advisors")
        .iter()
        .filter_map(|a| a["id"].as_str())
        .collect();
    assert!(
        ids.contains(&"jackets") && !ids.contains(&"jackets-b"),
        "{ids:?}"
    );
    let (status, problem) = app
        .post("/v1/conversations", &json!({"advisor": "jackets-b"}))
        .await;
    assert_eq!(status, 404, "{problem}");

    let mut versions = std::collections::BTreeMap::<String, usize>::new();
    for _ in 0..24 {
        let reply = shortlist(&app, json!({"advisor": "jackets", "locale": "en"})).await;
        assert_eq!(
            reply["advisor"], "jackets",
            "clients see the advisor they started"
        );
        let shown = products(&reply).len();
        *versions
            .entry(format!("{} shows {shown}", reply["advisor_version"]))
            .or_default() += 1;
        let id = reply["conversation_id"].as_str().expect("id");
        let product = products(&reply)[0]["id"].clone();
        let (status, _) = app
            .post(
                &format!("/v1/conversations/{id}/events"),
                &json!({"type": "added_to_cart", "product_id": product}),
            )
            .await;
        assert_eq!(status, 204);
    }
    assert_eq!(versions.len(), 2, "both versions are served: {versions:?}");

    let report = report_with(&app, 24).await;
    let jackets = report["advisors"]
        .as_array()
        .expect("advisors")
        .iter()
        .find(|a| a["advisor"] == "jackets")
        .expect("jackets in the report")
        .clone();
    let arms = jackets["experiment"]["arms"]
        .as_array()
        .expect("arms")
        .clone();
    let variants: Vec<&str> = arms.iter().filter_map(|a| a["variant"].as_str()).collect();
    assert_eq!(variants, ["a", "b"]);
    let started: u64 = arms.iter().filter_map(|a| a["started"].as_u64()).sum();
    assert_eq!(started, 24);
    for arm in &arms {
        assert_eq!(arm["completed"], arm["started"], "{arm}");
        assert_eq!(arm["added_to_cart"], arm["started"], "{arm}");
        let completion = &arm["completion"];
        assert!(
            completion["low"].as_f64() <= completion["high"].as_f64(),
            "{arm}"
        );
    }
    assert!(jackets["experiment"]["completion"].is_object(), "{jackets}");

    let page = app
        .client
        .get(format!("{}/admin/report", app.base))
        .send()
        .await
        .expect("GET");
    assert_eq!(page.status(), 200);
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap_or_default()
        .to_string();
    assert!(policy.contains("default-src 'none'"), "{policy}");
    assert!(crate::helpers::content_type(&page).starts_with("text/html"));
    let html = page.text().await.expect("body");
    assert!(
        html.contains("<svg") && html.contains("jackets"),
        "charts on the page"
    );
    assert!(!html.contains("<script"), "no script on the page");
}

/// `/admin/report.json` once `started` conversations are counted (the writer flushes every
/// second).
async fn report_with(app: &crate::helpers::TestApp, started: u64) -> Value {
    for _ in 0..50 {
        let (status, report) = app.get("/admin/report.json").await;
        assert_eq!(status, 200, "{report}");
        let counted: u64 = report["advisors"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| a["figures"]["funnel"]["started"].as_u64())
            .sum();
        if counted >= started {
            return report;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the report never counted {started} conversations");
}

#[test]
fn a_test_version_of_an_unknown_advisor_is_reported_with_file_and_line() {
    let root = shipped_copy("experiment-bad");
    let jackets = std::fs::read_to_string(root.join("questions/jackets.yaml")).expect("jackets");
    let bad = jackets + "\nexperiment:\n  variant_of: jacket\n  share: 150\n";
    std::fs::write(root.join("questions/jackets-b.yaml"), bad).expect("written");
    let paths = advisor::shop::Paths {
        catalog: root.join("catalog"),
        questions: root.join("questions"),
        templates: root.join("templates"),
    };
    let (shop, problems) = advisor::shop::Shop::load(&paths);
    assert!(shop.is_none());
    let text = problems.render();
    assert!(text.contains("jackets-b.yaml"), "{text}");
    assert!(
        text.contains("no advisor `jacket` to be a version of"),
        "{text}"
    );
    assert!(text.contains("not a percent from 1 to 99"), "{text}");
    assert!(
        text.contains("jackets"),
        "the hint lists the advisors: {text}"
    );
}

#[tokio::test]
async fn the_report_needs_the_admin_token() {
    let mut settings = crate::helpers::without_rate_limit();
    settings.admin.token = "s3cret".into();
    let app = crate::helpers::TestApp::spawn_with(settings).await;
    let (status, problem) = app.get("/admin/report.json").await;
    assert_eq!(status, 401, "{problem}");
    assert!(problem["code"].is_string());
    let response = app
        .client
        .get(format!("{}/admin/report.json", app.base))
        .bearer_auth("s3cret")
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 200);
}
