//! The OpenAPI 3.1 description of the API, generated from the wire types (`dto.rs`), the problem
//! body (`error.rs`) and the `#[utoipa::path]` attributes of the handlers, and served at
//! `GET /openapi.json` (`docs.rs`). It describes; it must not decide anything a handler does.
//!
//! It is written for client generators: tagged unions are `oneOf` named variants with a
//! discriminator mapping, fields always sent are required, every status an operation answers is
//! declared, and each operation has its own descriptive id.

use std::sync::OnceLock;

use serde_json::{Map, Value, json};
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{ObjectBuilder, Ref, Schema, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, RefOr};
use utoipa::{Modify, OpenApi, ToResponse, ToSchema};

use super::dto::AdvisorDto;

/// The API description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "advisor",
        description = "A guided product advisor: start a conversation with an advisor, post the \
customer's inputs as turns, and get replies with questions, live option counts, repairs and a \
varied shortlist. Errors are `application/problem+json` with a stable `code`. The conversation \
routes need no credentials (a conversation's id opens it); the operators' routes take the \
`admin_token` bearer.",
    ),
    servers((url = "/", description = "The server this description is served from.")),
    paths(
        super::routes::advisors,
        super::routes::start,
        super::routes::turn,
        super::feedback::feedback,
        super::routes::current,
        super::routes::delete,
        super::routes::livez,
        super::ready,
        super::metrics::scrape,
        super::rasa::webhook,
        super::admin::status,
        super::admin::reload,
        super::report::report_page,
        super::report::report_json,
        super::docs::openapi_json,
        super::docs::page,
        super::docs::asset,
    ),
    components(schemas(super::error::Problem, super::docs::AssetName), responses(
        BadRequest,
        Unauthorized,
        Forbidden,
        NotFound,
        Conflict,
        Gone,
        PayloadTooLarge,
        UnsupportedMediaType,
        Unprocessable,
        TooManyRequests,
        Unavailable,
        Internal,
    )),
    modifiers(&Version, &Pages, &Common, &Admin),
    tags(
        (name = "conversations", description = "Advisors and the conversations with them."),
        (name = "operations", description = "Health, readiness, metrics and reloads."),
        (name = "documentation", description = "This description and Swagger UI."),
        (name = "web", description = "The demo shop page and the embeddable chat widget."),
        (name = "channels", description = "Other chat protocols: a Rasa-compatible REST channel."),
    )
)]
pub struct ApiDoc;

/// The description as served, serialized once.
pub fn json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
        name_variants(&mut doc);
        add_links(&mut doc);
        serde_json::to_string_pretty(&doc).unwrap_or_default()
    })
}

/// Names the variants of every tagged union (`#[serde(tag = "type")]`, which utoipa writes as a
/// `oneOf` of inline objects): each variant becomes the component its `title` names (the
/// `#[schema(title)]` of the Rust variant), its `type` a `const`, and the union a `oneOf` of
/// references with a discriminator mapping each `type` to its variant. Generators then make one
/// class per variant and pick it by `type` instead of trying each in turn. A union whose variants
/// lack a title or a single `type` value is left alone (a unit test finds it).
fn name_variants(doc: &mut Value) {
    let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut named = Map::new();
    for union in schemas.values_mut() {
        let Some(variants) = union.get("oneOf").and_then(Value::as_array) else {
            continue;
        };
        let tagged: Option<Vec<(String, String)>> = variants.iter().map(tag_and_title).collect();
        let Some(tagged) = tagged else {
            continue;
        };
        let mut mapping = Map::new();
        let mut references = Vec::new();
        for (variant, (tag, title)) in variants.iter().zip(&tagged) {
            let mut variant = variant.clone();
            if let Some(fields) = variant.as_object_mut() {
                fields.remove("title");
            }
            variant["properties"]["type"] = json!({ "type": "string", "const": tag });
            let reference = format!("#/components/schemas/{title}");
            mapping.insert(tag.clone(), json!(reference));
            references.push(json!({ "$ref": reference }));
            named.insert(title.clone(), variant);
        }
        union["oneOf"] = Value::Array(references);
        union["discriminator"] = json!({ "propertyName": "type", "mapping": mapping });
    }
    schemas.extend(named);
}

/// A tagged union's variant: its one `type` value and its title.
fn tag_and_title(variant: &Value) -> Option<(String, String)> {
    let tags = variant.pointer("/properties/type/enum")?.as_array()?;
    let [tag] = tags.as_slice() else {
        return None;
    };
    Some((
        tag.as_str()?.to_string(),
        variant["title"].as_str()?.to_string(),
    ))
}

/// Links from a reply to what can follow it (clients and Schemathesis's stateful phase use
/// them): a started conversation's id, or the turn's path id, names the conversation. Written
/// as JSON because utoipa 5.5 serializes its `Link` in snake case (`operation_id`), which is
/// not OpenAPI.
fn add_links(doc: &mut Value) {
    let from = [
        (
            "/v1/conversations",
            "201",
            "$response.body#/conversation_id",
        ),
        ("/v1/conversations/{id}/turns", "200", "$request.path.id"),
    ];
    for (path, status, id) in from {
        let links = json!({
            "Turn": { "operationId": "post_turn", "parameters": { "id": id } },
            "Current": { "operationId": "get_conversation", "parameters": { "id": id } },
            "Delete": { "operationId": "delete_conversation", "parameters": { "id": id } },
        });
        if let Some(response) = doc
            .pointer_mut(&format!(
                "/paths/{}/post/responses/{status}",
                path.replace('/', "~1")
            ))
            .and_then(Value::as_object_mut)
        {
            response.insert("links".into(), links);
        }
    }
}

/// Sets the version to the crate's.
struct Version;

impl Modify for Version {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi.info.version = env!("CARGO_PKG_VERSION").to_string();
    }
}

/// The demo page and the chat widget's files (`pages.rs`), with their media types and operation ids.
const PAGES: [(&str, &str, &str); 5] = [
    ("/", "text/html", "get_demo_page"),
    ("/demo.js", "text/javascript", "get_demo_script"),
    ("/demo.css", "text/css", "get_demo_styles"),
    ("/widget.js", "text/javascript", "get_widget_script"),
    ("/widget.css", "text/css", "get_widget_styles"),
];

/// Describes the static files of `pages.rs`, so the description lists every route.
struct Pages;

impl Modify for Pages {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem};
        for (path, media, id) in PAGES {
            let text = ObjectBuilder::new().schema_type(Type::String);
            let file = ResponseBuilder::new()
                .description("The file.")
                .content(media, ContentBuilder::new().schema(Some(text)).build());
            let unchanged = ResponseBuilder::new()
                .description("Not modified: `If-None-Match` names this version.");
            let operation = OperationBuilder::new()
                .operation_id(Some(id))
                .tag("web")
                .summary(Some(format!("The file `{path}`.")))
                .response("200", file)
                .response("304", unchanged);
            openapi
                .paths
                .paths
                .insert(path.to_string(), PathItem::new(HttpMethod::Get, operation));
        }
    }
}

/// Adds what every operation can answer: 500, and 429 where the rate limits apply (not on the
/// health checks and `/metrics`, see `guard.rs`).
struct Common;

impl Modify for Common {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let unlimited = ["/livez", "/readyz", "/metrics"];
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let responses = &mut operation.responses.responses;
                if !unlimited.contains(&path.as_str()) {
                    responses.insert(
                        "429".into(),
                        Ref::from_response_name("TooManyRequests").into(),
                    );
                }
                // Every route that reads or writes conversations can meet a store outage.
                let stored =
                    path.starts_with("/v1/conversations") || path.starts_with("/webhooks/");
                if stored {
                    responses
                        .entry("503".into())
                        .or_insert_with(|| Ref::from_response_name("Unavailable").into());
                }
                responses.insert("500".into(), Ref::from_response_name("Internal").into());
            }
        }
    }
}

/// The `admin_token` security scheme the operators' routes name (`admin.rs`: the bearer
/// `admin.token`, or without one, no credentials from this machine), and no credentials by default.
struct Admin;

impl Modify for Admin {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let bearer = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "The `[admin] token` of the settings as `Authorization: Bearer <token>`. Without \
                 a configured token, the operators' routes answer requests from this machine \
                 only, with no credentials (hence the empty alternative in their `security`).",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(ADMIN_TOKEN, SecurityScheme::Http(bearer));
        // Public unless an operation says otherwise: the conversation routes need no credentials.
        openapi.security = Some(Vec::new());
    }
}

/// The name of the operators' security scheme, as the handlers' `security(...)` spell it.
const ADMIN_TOKEN: &str = "admin_token";

/// `GET /v1/advisors`.
#[expect(dead_code, reason = "describes the wire format, never built")]
#[derive(ToSchema)]
pub(super) struct AdvisorList {
    advisors: Vec<AdvisorDto>,
}

/// `GET /livez`.
#[expect(dead_code, reason = "describes the wire format, never built")]
#[derive(ToSchema)]
pub(super) struct Alive {
    status: AliveStatus,
}

/// Always `alive`.
#[expect(dead_code, reason = "describes the wire format, never built")]
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(super) enum AliveStatus {
    Alive,
}

/// `GET /readyz` when ready.
#[expect(dead_code, reason = "describes the wire format, never built")]
#[derive(ToSchema)]
pub(super) struct Ready {
    status: ReadyStatus,
    /// The fingerprint of the served editor files.
    version: String,
    products: usize,
    advisors: usize,
}

/// Always `ready`.
#[expect(dead_code, reason = "describes the wire format, never built")]
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(super) enum ReadyStatus {
    Ready,
}

/// Where a conversation is.
#[expect(dead_code, reason = "describes the wire format, never built")]
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(super) enum ReplyState {
    /// A question or repair is on offer.
    AwaitingInput,
    /// The shortlist is shown.
    Completed,
    /// The customer asked for a person; the messages give the contact. Only `back`,
    /// `restart` and `handoff` are taken until then (else `422 handed_off`).
    HandedOff,
}

/// How a text message is written: escaped text, safe as HTML.
#[expect(dead_code, reason = "describes the wire format, never built")]
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(super) enum TextFormat {
    Html,
}

/// Whether one option or several may be chosen.
#[expect(dead_code, reason = "describes the wire format, never built")]
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
pub(super) enum QuestionKind {
    Single,
    Multiple,
}

/// Every value [`ApiError::code`] returns (a test keeps the two in step).
pub(super) const CODES: &[&str] = &[
    "advisor_not_found",
    "conversation_not_found",
    "not_found",
    "method_not_allowed",
    "malformed_json",
    "invalid_request",
    "unsupported_media_type",
    "payload_too_large",
    "unsupported_locale",
    "question_not_asked",
    "option_not_offered",
    "no_values",
    "single_choice",
    "duplicate_value",
    "no_preference_combined",
    "action_not_available",
    "question_not_answered",
    "not_relaxable",
    "unknown_critique",
    "product_not_shortlisted",
    "no_value_to_compare",
    "text_length",
    "handed_off",
    "turn_conflict",
    "idempotency_key_reused",
    "overloaded",
    "advisor_gone",
    "rate_limited",
    "too_many_conversations",
    "unauthorized",
    "forbidden",
    "reload_rejected",
    "shutting_down",
    "store_unavailable",
    "internal",
];

/// The `code` of a problem in the API description: a string, and the known codes in its
/// description. Not an enum: a later version may add codes, and a client generated from this
/// description must still read them.
pub(super) struct ProblemCode;

impl utoipa::PartialSchema for ProblemCode {
    fn schema() -> RefOr<Schema> {
        let known: Vec<String> = CODES.iter().map(|code| format!("`{code}`")).collect();
        ObjectBuilder::new()
            .schema_type(Type::String)
            .description(Some(format!(
                "The stable error code clients may rely on. The set is open: a later version may \
                 add codes, so treat an unknown one by its `status`. Known codes: {}.",
                known.join(", ")
            )))
            .examples(["advisor_not_found"])
            .into()
    }
}

impl utoipa::ToSchema for ProblemCode {}

/// A string from a fixed set: the schema of a wire field its handler checks by hand against a
/// list of the code (so the list stays the one source).
pub(super) fn string_set<'a>(
    description: &str,
    values: impl IntoIterator<Item = &'a str>,
) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .enum_values(Some(values))
        .into()
}

/// Declares a problem response, referenced by the handlers' `responses(...)`, with the headers
/// it carries.
macro_rules! problem {
    ($name:ident, $description:literal) => {
        problem!($name, $description, &[]);
    };
    ($name:ident, $description:literal, $headers:expr) => {
        pub(super) struct $name;

        impl<'r> ToResponse<'r> for $name {
            fn response() -> (&'r str, RefOr<Response>) {
                (stringify!($name), problem_response($description, $headers))
            }
        }
    };
}

/// A header of a problem response: its name, type and description.
type ProblemHeader = (&'static str, Type, &'static str);

/// On 429 and 503.
const RETRY_AFTER: &[ProblemHeader] = &[(
    "Retry-After",
    Type::Integer,
    "Seconds to wait before retrying.",
)];

/// On 401.
const CHALLENGE: &[ProblemHeader] = &[(
    "WWW-Authenticate",
    Type::String,
    "`Bearer`: send the admin token.",
)];

problem!(BadRequest, "`malformed_json`: the body is not JSON.");
problem!(
    Unauthorized,
    "`unauthorized`: the admin token is missing or wrong.",
    CHALLENGE
);
problem!(
    Forbidden,
    "`forbidden`: admin endpoints answer this machine only without a token."
);
problem!(
    NotFound,
    "`advisor_not_found`, `conversation_not_found` or `not_found`."
);
problem!(
    Conflict,
    "`turn_conflict`: `expected_turn` is stale; `current_reply` is attached."
);
problem!(
    Gone,
    "`advisor_gone`: the conversation's advisor is no longer served."
);
problem!(
    PayloadTooLarge,
    "`payload_too_large`: the body is over `server.max_body_bytes`."
);
problem!(
    UnsupportedMediaType,
    "`unsupported_media_type`: send `application/json`."
);
problem!(
    Unprocessable,
    "`invalid_request`, `unsupported_locale`, `idempotency_key_reused`, or an input the dialogue refused (the \
     conversation is unchanged); `reload_rejected` with `errors` from `/admin/reload`."
);
problem!(
    TooManyRequests,
    "`rate_limited` or `too_many_conversations`: retry after `Retry-After` seconds.",
    RETRY_AFTER
);
problem!(
    Unavailable,
    "`overloaded`, `shutting_down` or `store_unavailable`: retry after `Retry-After` seconds.",
    RETRY_AFTER
);
problem!(Internal, "`internal`: a failure on our side, logged.");

fn problem_response(description: &str, headers: &[ProblemHeader]) -> RefOr<Response> {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("Problem")))
        .build();
    let mut response = ResponseBuilder::new()
        .description(description)
        .content("application/problem+json", content);
    for (name, kind, about) in headers {
        let header = HeaderBuilder::new()
            .schema(ObjectBuilder::new().schema_type(kind.clone()))
            .description(Some(*about))
            .build();
        response = response.header(*name, header);
    }
    response.build().into()
}

#[cfg(test)]
mod tests;
