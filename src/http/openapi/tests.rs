//! The description's unit tests: the problem codes and the route list against the code, and
//! what client generators need from the served JSON.

use std::collections::BTreeSet;

use serde_json::{Value, json};
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
    // and `pages.rs` (a list of `("/path", &ASSET)`).
    let mut in_table = BTreeSet::new();
    for (source, marker) in [
        (include_str!("../mod.rs"), "web::resource(\""),
        (include_str!("../docs.rs"), "web::resource(\""),
        (include_str!("../pages.rs"), "(\"/"),
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

/// The served description.
fn served() -> Value {
    serde_json::from_str(json()).expect("the description is JSON")
}

/// Every operation of the description: method, path, operation.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().expect("a path item") {
            found.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    found
}

/// Regression (issue 18): the variants of the input and message unions were inline, so
/// generators made `InputDtoType0/1/2` and parsed replies by trial. Every `oneOf` of the
/// components is now a union of named variants with a discriminator mapping each `type`.
#[test]
fn tagged_unions_have_named_variants_and_a_mapping() {
    let doc = served();
    let schemas = doc["components"]["schemas"].as_object().expect("schemas");
    let mut unions = BTreeSet::new();
    for (name, schema) in schemas {
        let Some(variants) = schema["oneOf"].as_array() else {
            continue;
        };
        unions.insert(name.as_str());
        assert_eq!(schema["discriminator"]["propertyName"], "type", "{name}");
        let mapping = schema["discriminator"]["mapping"]
            .as_object()
            .expect("a mapping");
        assert_eq!(mapping.len(), variants.len(), "{name}");
        for (tag, reference) in mapping {
            let reference = reference.as_str().expect("a reference");
            assert!(
                variants.iter().any(|variant| variant["$ref"] == reference),
                "{name}: {reference}"
            );
            let variant = &schemas[reference.trim_start_matches("#/components/schemas/")];
            assert_eq!(variant["properties"]["type"]["const"], *tag, "{reference}");
            assert!(
                variant["required"]
                    .as_array()
                    .is_some_and(|required| required.contains(&json!("type"))),
                "{reference}"
            );
        }
    }
    assert_eq!(unions, BTreeSet::from(["InputDto", "MessageDto"]));
    for name in [
        "AnswerInput",
        "TextInput",
        "ActionInput",
        "TextMessage",
        "ProductsMessage",
    ] {
        assert!(schemas.contains_key(name), "{name}");
    }
}

/// Operation ids name what an operation does, once each; generators make them method names.
#[test]
fn every_operation_has_its_own_descriptive_id() {
    let doc = served();
    let mut ids = BTreeSet::new();
    for (method, path, operation) in operations(&doc) {
        let id = operation["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path} has no operationId"));
        assert!(
            id.contains('_') && id.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
            "{method} {path}: {id}"
        );
        assert!(ids.insert(id.to_string()), "{id} twice");
    }
    for id in [
        "list_advisors",
        "start_conversation",
        "post_turn",
        "get_conversation",
        "delete_conversation",
        "post_event",
    ] {
        assert!(ids.contains(id), "{id}");
    }
}

/// Regression (issue 18): the nullable `Accept-Language` let a Python client send `None`. No
/// parameter may be `null`; an optional one is simply not sent.
#[test]
fn parameters_are_never_null() {
    let doc = served();
    for (method, path, operation) in operations(&doc) {
        for parameter in operation["parameters"].as_array().into_iter().flatten() {
            let schema = parameter["schema"].to_string();
            assert!(!schema.contains("null"), "{method} {path}: {parameter}");
        }
    }
}

/// Fields always sent are required (nullable where they can be null); fields left out when
/// empty are optional and never null.
#[test]
fn replies_require_what_is_always_sent() {
    let doc = served();
    let schemas = &doc["components"]["schemas"];
    let required = |schema: &str, field: &str| {
        schemas[schema]["required"]
            .as_array()
            .is_some_and(|fields| fields.contains(&json!(field)))
    };
    assert!(required("ReplyDto", "input"));
    assert!(
        schemas["ReplyDto"]["properties"]["input"]
            .to_string()
            .contains("null")
    );
    assert!(required("ProductDto", "price") && required("ProductDto", "image_url"));
    for (schema, field) in [
        ("ReplyDto", "next_step"),
        ("ActionDto", "count"),
        ("NextStepDto", "url"),
        ("NextStepDto", "input"),
        ("Problem", "current_reply"),
        ("Problem", "errors"),
        ("RasaReply", "buttons"),
        ("RasaReply", "text"),
    ] {
        assert!(!required(schema, field), "{schema}.{field}");
        let property = schemas[schema]["properties"][field].to_string();
        assert!(!property.contains("null"), "{schema}.{field}: {property}");
    }
}

/// Relative servers, the admin bearer on the operators' routes (with the loopback alternative)
/// and on nothing else.
#[test]
fn the_operators_routes_take_the_admin_token() {
    let doc = served();
    assert_eq!(doc["servers"][0]["url"], "/");
    assert_eq!(
        doc["components"]["securitySchemes"][ADMIN_TOKEN]["scheme"],
        "bearer"
    );
    assert_eq!(doc["security"], json!([]));
    for (method, path, operation) in operations(&doc) {
        let guarded = path.starts_with("/admin/") || path == "/metrics";
        let expected = if guarded {
            json!([{ ADMIN_TOKEN: [] }, {}])
        } else {
            Value::Null
        };
        assert_eq!(operation["security"], expected, "{method} {path}");
        if guarded {
            assert!(operation["responses"]["401"].is_object(), "{path}");
        }
    }
}
