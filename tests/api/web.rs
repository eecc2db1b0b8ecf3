//! The demo shop page and the chat widget served by the binary: content types, their own
//! Content-Security-Policy (the API's forbids everything) and cache validation.

use crate::helpers::TestApp;

#[tokio::test]
async fn the_page_and_the_widget_are_served_with_their_types_and_policy() {
    let app = TestApp::spawn().await;
    for (path, content_type, needle) in [
        ("/", "text/html; charset=utf-8", "/demo.js"),
        ("/demo.js", "text/javascript; charset=utf-8", "/v1/advisors"),
        ("/demo.css", "text/css; charset=utf-8", "{"),
        (
            "/widget.js",
            "text/javascript; charset=utf-8",
            "AdvisorWidget",
        ),
        ("/widget.css", "text/css; charset=utf-8", ".aw-panel"),
    ] {
        let response = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 200, "{path}");
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], content_type, "{path}");
        let policy = headers["content-security-policy"].to_str().expect("ascii");
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "connect-src 'self'",
            "img-src 'self' https: data:",
        ] {
            assert!(policy.contains(directive), "{path}: {policy}");
        }
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_ne!(headers["cache-control"], "no-store", "{path}: cacheable");
        let etag = headers["etag"].to_str().expect("ascii").to_owned();
        let body = response.text().await.expect("body");
        assert!(body.contains(needle), "{path} is the file from web/");

        let again = app
            .client
            .get(format!("{}{path}", app.base))
            .header("if-none-match", &etag)
            .send()
            .await
            .expect("GET");
        assert_eq!(again.status(), 304, "{path}: the client's copy is current");
        assert_eq!(again.headers()["etag"], etag.as_str());
    }
}

#[tokio::test]
async fn the_api_keeps_its_own_policy_and_the_page_refuses_other_methods() {
    let app = TestApp::spawn().await;
    let api = app
        .client
        .get(format!("{}/v1/advisors", app.base))
        .send()
        .await
        .expect("GET");
    assert_eq!(
        api.headers()["content-security-policy"],
        "default-src 'none'; frame-ancestors 'none'"
    );
    assert_eq!(api.headers()["cache-control"], "no-store");
    let (status, problem) = app.post("/widget.js", &serde_json::json!({})).await;
    assert_eq!(status, 405);
    assert_eq!(problem["code"], "method_not_allowed");
}

#[tokio::test]
async fn replies_are_gzipped_for_clients_that_accept_it() {
    let app = crate::helpers::TestApp::spawn().await;
    let start = |gzip: bool| {
        let mut request = app
            .client
            .post(format!("{}/v1/conversations", app.base))
            .json(&serde_json::json!({"advisor": "jackets"}));
        if gzip {
            request = request.header("accept-encoding", "gzip");
        }
        request.send()
    };
    let zipped = start(true).await.expect("POST");
    assert_eq!(zipped.status(), 201);
    assert_eq!(zipped.headers()["content-encoding"], "gzip");
    let compressed = zipped.bytes().await.expect("body").len();
    let plain = start(false).await.expect("POST");
    assert!(plain.headers().get("content-encoding").is_none());
    let size = plain.bytes().await.expect("body").len();
    assert!(compressed < size, "{compressed} bytes gzipped vs {size}");
}
