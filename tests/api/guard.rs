//! What stands in front of every route: the per-address rate limit, security headers and CORS,
//! against the real server.

use crate::helpers::{TestApp, without_rate_limit};

#[tokio::test]
async fn a_client_over_its_rate_gets_429_with_retry_after_and_health_checks_still_answer() {
    let mut settings = advisor::settings::Settings::default();
    settings.limits.requests_per_second = 1;
    settings.limits.burst = 3;
    let app = TestApp::spawn_with(settings).await;
    let mut statuses = Vec::new();
    let mut refused = None;
    for _ in 0..6 {
        let response = app
            .client
            .get(format!("{}/v1/advisors", app.base))
            .send()
            .await
            .expect("GET");
        statuses.push(response.status().as_u16());
        if response.status() == 429 {
            refused = Some(response);
        }
    }
    assert_eq!(
        &statuses[..3],
        &[200, 200, 200],
        "the burst is served: {statuses:?}"
    );
    assert!(
        statuses[3..].contains(&429),
        "then the rate applies: {statuses:?}"
    );
    let refused = refused.expect("a refused request");
    let retry_after: u64 = refused.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=2).contains(&retry_after), "{retry_after}");
    assert_eq!(
        refused.headers()["content-type"],
        "application/problem+json"
    );
    let problem: serde_json::Value = refused.json().await.expect("JSON");
    assert_eq!(problem["code"], "rate_limited");
    let (status, _) = app.get("/livez").await;
    assert_eq!(status, 200, "health checks are never limited");
    let (status, _) = app.get("/readyz").await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn behind_a_trusted_proxy_a_client_rotating_its_own_forwarded_for_is_still_one_client() {
    // Regression: the leftmost X-Forwarded-For entry, which the client writes, was its
    // address: rotating it gave unlimited requests and new conversations.
    let mut settings = advisor::settings::Settings::default();
    settings.limits.requests_per_second = 1;
    settings.limits.burst = 3;
    settings.server.trusted_proxies = vec!["127.0.0.1".into()];
    let app = TestApp::spawn_with(settings).await;
    let mut statuses = Vec::new();
    for n in 0..6 {
        // What a proxy appends to what the client sent: the client's own address last.
        let chain = format!("203.0.113.{n}, 198.51.100.7");
        let response = app
            .client
            .get(format!("{}/v1/advisors", app.base))
            .header("x-forwarded-for", chain)
            .send()
            .await
            .expect("GET");
        statuses.push(response.status().as_u16());
    }
    assert!(statuses[3..].contains(&429), "{statuses:?}");
    // Another client behind the same proxy has its own quota.
    let (status, _) = {
        let response = app
            .client
            .get(format!("{}/v1/advisors", app.base))
            .header("x-forwarded-for", "198.51.100.8")
            .send()
            .await
            .expect("GET");
        (response.status().as_u16(), ())
    };
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_malformed_trusted_proxy_stops_startup() {
    let mut settings = advisor::settings::Settings::default();
    settings.server.addr = "127.0.0.1:0".into();
    settings.server.trusted_proxies = vec!["proxy.local".into()];
    let error = advisor::http::start(crate::helpers::shop(), &settings)
        .err()
        .expect("refused");
    assert!(error.to_string().contains("trusted_proxies"), "{error}");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = TestApp::spawn().await;
    for path in ["/v1/advisors", "/v1/conversations/nope"] {
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("GET");
        let headers = response.headers();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
        assert_eq!(headers["cache-control"], "no-store", "{path}");
        assert!(headers.contains_key("content-security-policy"), "{path}");
    }
}

#[tokio::test]
async fn only_allow_listed_origins_get_cors_headers() {
    let mut settings = without_rate_limit();
    settings.server.cors_origins = vec!["https://shop.example".into()];
    let app = TestApp::spawn_with(settings).await;
    let allowed = app
        .client
        .get(format!("{}/v1/advisors", app.base))
        .header("origin", "https://shop.example")
        .send()
        .await
        .expect("GET");
    assert_eq!(allowed.status(), 200);
    assert_eq!(
        allowed.headers()["access-control-allow-origin"],
        "https://shop.example"
    );
    let preflight = app
        .client
        .request(
            reqwest::Method::OPTIONS,
            format!("{}/v1/conversations", app.base),
        )
        .header("origin", "https://shop.example")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .expect("OPTIONS");
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let methods = preflight.headers()["access-control-allow-methods"]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(methods.contains("POST"), "{methods}");
    let other = app
        .client
        .get(format!("{}/v1/advisors", app.base))
        .header("origin", "https://elsewhere.example")
        .send()
        .await
        .expect("GET");
    assert_eq!(other.status(), 200);
    assert!(
        !other.headers().contains_key("access-control-allow-origin"),
        "another origin gets no CORS headers, so a browser refuses the answer"
    );
}

#[tokio::test]
async fn a_malformed_origin_in_the_settings_stops_startup() {
    let mut settings = without_rate_limit();
    settings.server.addr = "127.0.0.1:0".into();
    settings.server.cors_origins = vec!["https://shop.example/path".into()];
    let error = advisor::http::start(crate::helpers::shop(), &settings)
        .err()
        .expect("refused");
    assert!(error.to_string().contains("cors_origins"), "{error}");
}
