//! The served API description (`/openapi.json`) matches the route table, the replies of a real
//! conversation and every documented error validate against it, and `/docs` is self-contained.

use serde_json::{Value, json};

use crate::helpers::{TestApp, without_rate_limit};

async fn spec(app: &TestApp) -> Value {
    let (status, spec) = app.get("/openapi.json").await;
    assert_eq!(status, 200);
    spec
}

/// Validates `body` against the schema the spec gives for this operation, status and media
/// type (`$ref`s resolved against the document's components).
fn check(spec: &Value, method: &str, path: &str, status: u16, body: &Value) {
    let mut response = &spec["paths"][path][method]["responses"][status.to_string()];
    if let Some(name) = response["$ref"].as_str() {
        let name = name.trim_start_matches("#/components/responses/");
        response = &spec["components"]["responses"][name];
    }
    let media = if status >= 400 {
        "application/problem+json"
    } else {
        "application/json"
    };
    let schema = response["content"][media]["schema"].clone();
    assert!(
        schema.is_object(),
        "{method} {path} documents no {status} {media}"
    );
    validate(spec, schema, body, &format!("{method} {path} {status}"));
}

fn validate(spec: &Value, schema: Value, body: &Value, what: &str) {
    let errors = errors(spec, schema, body);
    assert!(errors.is_empty(), "{what}: {errors:#?}\n{body}");
}

/// What the schema finds wrong with `body`.
fn errors(spec: &Value, schema: Value, body: &Value) -> Vec<String> {
    let mut root = json!({ "components": spec["components"] });
    if let (Some(root), Some(schema)) = (root.as_object_mut(), schema.as_object()) {
        root.extend(schema.clone());
    }
    let validator = jsonschema::validator_for(&root).expect("a valid schema");
    validator
        .iter_errors(body)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect()
}

fn collect_refs(value: &Value, refs: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                refs.push(reference.clone());
            }
            map.values().for_each(|value| collect_refs(value, refs));
        }
        Value::Array(items) => items.iter().for_each(|value| collect_refs(value, refs)),
        _ => {}
    }
}

#[tokio::test]
async fn every_route_is_described_and_nothing_else() {
    let app = TestApp::spawn().await;
    let spec = spec(&app).await;
    let mut described: Vec<(String, String)> = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in item.as_object().expect("a path item").keys() {
            described.push((method.to_uppercase(), path.clone()));
        }
    }
    let mut routes: Vec<(String, String)> = advisor::http::route_list()
        .iter()
        .map(|(method, path)| (method.to_string(), path.to_string()))
        .collect();
    described.sort();
    routes.sort();
    assert_eq!(described, routes);
    assert_eq!(spec["info"]["version"], env!("CARGO_PKG_VERSION"));
    // Regression: a path parameter's schema was referenced but missing from the components.
    let mut refs = Vec::new();
    collect_refs(&spec, &mut refs);
    for reference in refs {
        let pointer = reference.trim_start_matches('#');
        assert!(
            spec.pointer(pointer).is_some(),
            "{reference} does not resolve"
        );
    }
    let input = &spec["components"]["schemas"]["InputDto"];
    assert_eq!(input["discriminator"]["propertyName"], "type");
    assert_eq!(input["oneOf"].as_array().map(Vec::len), Some(3));
    // Regression (found by scripts/api-fuzz.sh): links name their operation as OpenAPI spells it.
    let links = &spec["paths"]["/v1/conversations"]["post"]["responses"]["201"]["links"];
    assert_eq!(links["Turn"]["operationId"], "post_turn", "{links}");
    for (method, path) in [
        ("post", "/v1/conversations/{id}/turns"),
        ("get", "/v1/conversations/{id}"),
        ("delete", "/v1/conversations/{id}"),
    ] {
        let id = spec["paths"][path][method]["operationId"]
            .as_str()
            .expect("an operation id");
        assert!(
            links
                .as_object()
                .expect("links")
                .values()
                .any(|link| link["operationId"] == id),
            "{id}"
        );
    }
}

#[tokio::test]
async fn a_real_conversation_matches_the_described_schemas() {
    let app = TestApp::spawn().await;
    let spec = spec(&app).await;
    let (status, advisors) = app.get("/v1/advisors").await;
    check(&spec, "get", "/v1/advisors", status, &advisors);
    for path in ["/livez", "/readyz"] {
        let (status, body) = app.get(path).await;
        check(&spec, "get", path, status, &body);
    }
    let (status, unknown) = app
        .post("/v1/conversations", &json!({"advisor": "no-such-advisor"}))
        .await;
    assert_eq!(status, 404);
    check(&spec, "post", "/v1/conversations", status, &unknown);
    let reply = app.start("jackets", "en").await;
    check(&spec, "post", "/v1/conversations", 201, &reply);
    let turns = "/v1/conversations/{id}/turns";
    let answered = app.answer_first(&reply).await;
    check(&spec, "post", turns, 200, &answered);
    let (status, text) = app
        .turn(
            &answered,
            json!({"type": "text", "text": "something warm and cheap"}),
        )
        .await;
    check(&spec, "post", turns, status, &text);
    let (status, back) = app
        .turn(&text, json!({"type": "action", "name": "back"}))
        .await;
    check(&spec, "post", turns, status, &back);
    let mut last = back;
    for _ in 0..10 {
        if last["state"] == "completed" {
            break;
        }
        last = app.answer_first(&last).await;
        check(&spec, "post", turns, 200, &last);
    }
    assert_eq!(last["state"], "completed", "{last}");
    assert!(last["messages"].to_string().contains("products"));
    let id = last["conversation_id"].as_str().expect("id");
    let (status, current) = app.get(&format!("/v1/conversations/{id}")).await;
    check(&spec, "get", "/v1/conversations/{id}", status, &current);
    // The schemas do refuse what is not a reply.
    let reply_schema = json!({"$ref": "#/components/schemas/ReplyDto"});
    let mut broken = current.clone();
    broken["state"] = json!("sleeping");
    assert!(!errors(&spec, reply_schema.clone(), &broken).is_empty());
    broken["messages"] = json!([{"type": "video"}]);
    assert!(errors(&spec, reply_schema, &broken).len() >= 2);
    // 409 with the current reply attached.
    let (status, conflict) = app
        .post(
            &format!("/v1/conversations/{id}/turns"),
            &json!({"input": {"type": "action", "name": "back"}, "expected_turn": 0}),
        )
        .await;
    assert_eq!(status, 409);
    assert!(conflict["current_reply"].is_object());
    check(&spec, "post", turns, status, &conflict);
    // 422: an answer to a question not asked.
    let (status, refused) = app
        .turn(
            &last,
            json!({"type": "answer", "question_id": "nope", "values": ["x"]}),
        )
        .await;
    assert_eq!(status, 422);
    check(&spec, "post", turns, status, &refused);
    let path = format!("/v1/conversations/{id}/turns");
    let (status, problem) = app.post_raw(&path, "text/plain", "hello").await;
    assert_eq!(status, 415);
    check(&spec, "post", turns, status, &problem);
    let huge = format!(
        "{{\"input\": {{\"type\": \"text\", \"text\": \"{}\"}}}}",
        "x".repeat(100_000)
    );
    let (status, problem) = app.post_raw(&path, "application/json", &huge).await;
    assert_eq!(status, 413);
    check(&spec, "post", turns, status, &problem);
    let (status, problem) = app.post_raw(&path, "application/json", "{").await;
    assert_eq!(status, 400);
    check(&spec, "post", turns, status, &problem);
    // The Rasa channel's messages (texts with buttons, product cards).
    let rasa = "/webhooks/rest/webhook";
    for message in ["/get_started", "a warm jacket for rain"] {
        let (status, messages) = app
            .post(
                &format!("{rasa}?advisor=jackets"),
                &json!({"sender": "openapi-test", "message": message}),
            )
            .await;
        assert_eq!(status, 200, "{messages}");
        check(&spec, "post", rasa, status, &messages);
    }
    let (status, deleted) = app.delete(&format!("/v1/conversations/{id}")).await;
    assert_eq!((status, deleted), (204, Value::Null));
    let (status, missing) = app.get(&format!("/v1/conversations/{id}")).await;
    assert_eq!(status, 404);
    check(&spec, "get", "/v1/conversations/{id}", status, &missing);
    // 405 has no operation of its own: its body is a `Problem`.
    let (status, problem) = app.delete("/v1/advisors").await;
    assert_eq!(status, 405);
    validate(
        &spec,
        json!({"$ref": "#/components/schemas/Problem"}),
        &problem,
        "405",
    );
}

#[tokio::test]
async fn rate_limited_answers_match_the_described_schema() {
    let mut settings = without_rate_limit();
    settings.limits.requests_per_second = 1;
    settings.limits.burst = 1;
    let app = TestApp::spawn_with(settings).await;
    let spec = spec(&app).await;
    let (status, problem) = app.get("/v1/advisors").await;
    assert_eq!(status, 429, "{problem}");
    check(&spec, "get", "/v1/advisors", status, &problem);
}

#[tokio::test]
async fn docs_load_only_same_origin_assets() {
    let app = TestApp::spawn().await;
    // Regression: `/docs/` was a 404.
    let slash = app
        .client
        .get(format!("{}/docs/", app.base))
        .send()
        .await
        .expect("GET /docs/");
    assert_eq!(slash.status(), 200);
    let response = app
        .client
        .get(format!("{}/docs", app.base))
        .send()
        .await
        .expect("GET /docs");
    assert_eq!(response.status(), 200);
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert!(header("content-type").starts_with("text/html"));
    let policy = header("content-security-policy");
    assert!(policy.contains("script-src 'self'") && policy.contains("connect-src 'self'"));
    let page = response.text().await.expect("a page");
    let mut assets = Vec::new();
    for attribute in ["src=\"", "href=\""] {
        for rest in page.split(attribute).skip(1) {
            let url = rest.split('"').next().unwrap_or_default();
            assert!(url.starts_with('/') && !url.starts_with("//"), "{url}");
            assets.push(url.to_string());
        }
    }
    assert_eq!(assets.len(), 3, "{page}");
    let spec = spec(&app).await;
    let described = &spec["components"]["schemas"]["AssetName"]["enum"];
    for asset in &assets {
        let name = asset.trim_start_matches("/docs/");
        assert!(
            described
                .as_array()
                .is_some_and(|names| names.contains(&json!(name))),
            "{asset}"
        );
    }
    for asset in assets {
        let response = app
            .client
            .get(format!("{}{asset}", app.base))
            .send()
            .await
            .expect("an asset");
        assert_eq!(response.status(), 200, "{asset}");
        assert!(!response.bytes().await.expect("bytes").is_empty());
    }
    let response = app
        .client
        .get(format!("{}/docs/swagger-initializer.js", app.base))
        .send()
        .await
        .expect("the initializer");
    let script = response.text().await.expect("text");
    assert!(script.contains("url: \"/openapi.json\""));
}
