//! The description's unit tests: the problem codes and the route list against the code.

use std::collections::BTreeSet;

use utoipa::PartialSchema;

use super::*;
use crate::dialogue::InputError;
use crate::http::ApiError;

/// The codes listed in the schema's description: exactly what `ApiError::code()` can return.
/// They are an open set, so `code` is a plain string, never an enum.
#[test]
fn every_code_is_listed_in_the_open_code_schema() {
    let schema = serde_json::to_value(ProblemCode::schema()).expect("schema serializes");
    assert_eq!(schema["type"], "string");
    assert!(schema.get("enum").is_none(), "a closed enum: {schema}");
    let description = schema["description"].as_str().expect("a description");
    let listed: BTreeSet<&str> = description
        .split("Known codes: ")
        .nth(1)
        .expect("the known codes")
        .trim_end_matches('.')
        .split(", ")
        .map(|code| code.trim_matches('`'))
        .collect();
    // Every arm of `code()`, read from error.rs, so a new variant cannot be forgotten.
    let source = include_str!("../error.rs");
    let body = source
        .split("pub fn code(&self)")
        .nth(1)
        .and_then(|rest| rest.split("fn title(").next())
        .expect("`code()` is in this file");
    let returned: BTreeSet<&str> = body
        .split("=> \"")
        .skip(1)
        .filter_map(|arm| arm.split('"').next())
        .collect();
    assert_eq!(returned, listed);
    assert_eq!(CODES.iter().copied().collect::<BTreeSet<_>>(), listed);
    for error in [
        ApiError::AdvisorNotFound("x".into()),
        ApiError::ConversationNotFound,
        ApiError::NotFound,
        ApiError::MethodNotAllowed,
        ApiError::MalformedJson("x".into()),
        ApiError::InvalidRequest("x".into()),
        ApiError::UnsupportedMediaType,
        ApiError::PayloadTooLarge(1),
        ApiError::Input(InputError::NoValues),
        ApiError::Input(InputError::TextLength),
        ApiError::Overloaded,
        ApiError::AdvisorGone,
        ApiError::RateLimited { retry_after: 1 },
        ApiError::TooManyConversations { retry_after: 1 },
        ApiError::Unauthorized,
        ApiError::Forbidden,
        ApiError::ReloadRejected(Vec::new()),
        ApiError::ShuttingDown,
        ApiError::StoreUnavailable,
        ApiError::IdempotencyKeyReused,
        ApiError::Internal(anyhow::anyhow!("x")),
        ApiError::TurnConflict {
            expected: 1,
            current: 2,
            reply: None,
        },
        ApiError::UnsupportedLocale {
            requested: "xx".into(),
            supported: "en".into(),
        },
    ] {
        assert!(
            listed.contains(error.code()),
            "{} is not listed",
            error.code()
        );
    }
}

/// `route_list` is the route table of `routes()`: the same paths (read from `mod.rs`), every
/// listed method reaches a handler, every other method answers 405.
#[actix_web::test]
async fn route_list_is_the_route_table() {
    use actix_web::test::{TestRequest, call_service, init_service};
    // `routes()` of mod.rs and of the files it configures in: `docs.rs` (`web::resource("…")`)
    // and `web.rs` (a list of `("/path", &ASSET)`).
    let mut in_table = BTreeSet::new();
    for (source, marker) in [
        (include_str!("../mod.rs"), "web::resource(\""),
        (include_str!("../docs.rs"), "web::resource(\""),
        (include_str!("../web.rs"), "(\"/"),
    ] {
        let table = source
            .split("pub fn routes(")
            .nth(1)
            .and_then(|rest| rest.split("\n}\n").next())
            .expect("a `routes()`");
        for rest in table.split(marker).skip(1) {
            let path = rest.split('"').next().unwrap_or_default();
            in_table.insert(if marker.ends_with('/') {
                format!("/{path}")
            } else {
                path.to_string()
            });
        }
    }
    let listed: BTreeSet<String> = super::super::route_list()
        .iter()
        .map(|route| route.1.to_string())
        .collect();
    assert_eq!(
        in_table, listed,
        "`route_list()` in http/mod.rs must name every route of `routes()`"
    );
    let app = init_service(actix_web::App::new().configure(super::super::routes)).await;
    for path in listed {
        let uri = path
            .replace("{id}", "0123456789abcdef0123456789abcdef")
            .replace("{asset}", "swagger-ui.css");
        for method in ["GET", "POST", "PUT", "PATCH", "DELETE"] {
            let request = TestRequest::default()
                .method(method.parse().expect("a method"))
                .uri(&uri)
                .to_request();
            let status = call_service(&app, request).await.status().as_u16();
            let routed = super::super::route_list().contains(&(method, path.as_str()));
            assert_eq!(status == 405, !routed, "{method} {path}: {status}");
            assert_ne!(status, 404, "{method} {path}");
        }
    }
}
