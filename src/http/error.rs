//! API errors as RFC 9457 `application/problem+json` with a stable `code`. Internal errors log
//! their cause chain and answer with an opaque message.

use actix_web::http::StatusCode;
use actix_web::http::header::{ContentType, HeaderValue, RETRY_AFTER, WWW_AUTHENTICATE};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;

use crate::dialogue::{InputError, StepError};
use crate::session::StoreError;

/// Every way a request can fail, each with a stable code clients may rely on.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The advisor id names no advisor.
    #[error("there is no advisor `{0}`")]
    AdvisorNotFound(String),
    /// The conversation does not exist, expired or was deleted.
    #[error("there is no conversation with this id; it may have expired or been deleted")]
    ConversationNotFound,
    /// No route matches the path.
    #[error("there is no endpoint at this path")]
    NotFound,
    /// The route exists but not with this method.
    #[error("this endpoint does not accept this method")]
    MethodNotAllowed,
    /// The body is not valid JSON.
    #[error("the body is not valid JSON: {0}")]
    MalformedJson(String),
    /// The body is JSON but not the expected shape.
    #[error("the request is not valid: {0}")]
    InvalidRequest(String),
    /// The body is not JSON at all.
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    /// The body is larger than the configured limit.
    #[error("the body is larger than {0} bytes")]
    PayloadTooLarge(usize),
    /// The locale is not one the advisor speaks.
    #[error("the advisor does not speak `{requested}`; it speaks {supported}")]
    UnsupportedLocale {
        requested: String,
        supported: String,
    },
    /// The input was refused by the dialogue; the conversation is unchanged.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A `client_message_id` already applied came back with another input: nothing applied.
    #[error(
        "`client_message_id` was already used with another request; send a new id with a new request"
    )]
    IdempotencyKeyReused,
    /// The turn was based on an older state; the current reply is attached.
    #[error("the conversation is at turn {current}, not {expected}; fetch it again and retry")]
    TurnConflict {
        expected: u32,
        current: u32,
        /// The conversation as it is now, when it could be rendered.
        reply: Option<Box<super::ReplyDto>>,
    },
    /// The store holds as many conversations as allowed.
    #[error("too many conversations are open; try again later")]
    Overloaded,
    /// The advisor this conversation started with is no longer served.
    #[error("the advisor of this conversation is no longer available; start a new conversation")]
    AdvisorGone,
    /// The client sent more requests than its rate allows.
    #[error("too many requests from this address; retry in {retry_after} s")]
    RateLimited { retry_after: u64 },
    /// The client started more conversations than its hourly quota allows.
    #[error("too many new conversations from this address; retry in {retry_after} s")]
    TooManyConversations { retry_after: u64 },
    /// An admin endpoint without the configured bearer token.
    #[error("this endpoint needs the admin token: send `Authorization: Bearer <admin.token>`")]
    Unauthorized,
    /// An admin endpoint called from another machine while no admin token is configured.
    #[error("admin endpoints answer only this machine unless `admin.token` is set")]
    Forbidden,
    /// A reload found errors in the editor files; the running version keeps serving.
    #[error("the editor files have errors (listed in `errors`); the running version keeps serving")]
    ReloadRejected(Vec<crate::diagnostics::Group>),
    /// The server is shutting down (answered by `/readyz`): send new work elsewhere.
    #[error("the server is shutting down; in-flight requests finish")]
    ShuttingDown,
    /// The conversation store does not answer (answered by `/readyz`).
    #[error("the conversation store is unreachable")]
    StoreUnavailable,
    /// A bug or failure on our side; details are in the log.
    #[error("something went wrong on our side")]
    Internal(#[source] anyhow::Error),
}

/// An RFC 9457 problem (`application/problem+json`) with a stable `code`.
#[derive(Serialize, utoipa::ToSchema)]
pub(super) struct Problem<'a> {
    /// A URI naming the kind of problem, derived from `code`.
    #[serde(rename = "type")]
    kind: String,
    /// A short summary of the status.
    title: &'a str,
    /// The HTTP status.
    status: u16,
    /// What went wrong, for people.
    detail: String,
    #[schema(value_type = super::openapi::ProblemCode)]
    code: &'a str,
    /// Each problem of a rejected reload, with file and line.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Vec<Object>, required = false)]
    errors: Option<&'a [crate::diagnostics::Group]>,
    /// With `turn_conflict`: the conversation's current reply.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = super::ReplyDto, required = false)]
    current_reply: Option<&'a super::ReplyDto>,
}

impl ApiError {
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::AdvisorNotFound(_) => "advisor_not_found",
            ApiError::ConversationNotFound => "conversation_not_found",
            ApiError::NotFound => "not_found",
            ApiError::MethodNotAllowed => "method_not_allowed",
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::InvalidRequest(_) => "invalid_request",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::PayloadTooLarge(_) => "payload_too_large",
            ApiError::UnsupportedLocale { .. } => "unsupported_locale",
            ApiError::Input(error) => match error {
                InputError::QuestionNotAsked { .. } => "question_not_asked",
                InputError::OptionNotOffered { .. } => "option_not_offered",
                InputError::NoValues => "no_values",
                InputError::SingleChoice(_) => "single_choice",
                InputError::Duplicate(_) => "duplicate_value",
                InputError::NoPreferenceCombined(_) => "no_preference_combined",
                InputError::ActionNotAvailable(_) => "action_not_available",
                InputError::NotAnswered(_) => "question_not_answered",
                InputError::NotRelaxable(_) => "not_relaxable",
                InputError::UnknownCritique(_) => "unknown_critique",
                InputError::NotShortlisted(_) => "product_not_shortlisted",
                InputError::NoValueToCompare { .. } => "no_value_to_compare",
                InputError::TextLength => "text_length",
                InputError::HandedOff => "handed_off",
            },
            ApiError::IdempotencyKeyReused => "idempotency_key_reused",
            ApiError::TurnConflict { .. } => "turn_conflict",
            ApiError::Overloaded => "overloaded",
            ApiError::AdvisorGone => "advisor_gone",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::TooManyConversations { .. } => "too_many_conversations",
            ApiError::Unauthorized => "unauthorized",
            ApiError::Forbidden => "forbidden",
            ApiError::ReloadRejected(_) => "reload_rejected",
            ApiError::ShuttingDown => "shutting_down",
            ApiError::StoreUnavailable => "store_unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    fn title(&self) -> &'static str {
        match self.status_code() {
            StatusCode::NOT_FOUND => "Not found",
            StatusCode::BAD_REQUEST => "Malformed request",
            StatusCode::UNPROCESSABLE_ENTITY => "Input not accepted",
            StatusCode::CONFLICT => "Conflict",
            StatusCode::GONE => "Gone",
            StatusCode::UNAUTHORIZED => "Unauthorized",
            StatusCode::TOO_MANY_REQUESTS => "Too many requests",
            StatusCode::FORBIDDEN => "Forbidden",
            StatusCode::PAYLOAD_TOO_LARGE => "Payload too large",
            StatusCode::UNSUPPORTED_MEDIA_TYPE => "Unsupported media type",
            StatusCode::METHOD_NOT_ALLOWED => "Method not allowed",
            StatusCode::SERVICE_UNAVAILABLE => "Service unavailable",
            _ => "Internal error",
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::AdvisorNotFound(_) | ApiError::ConversationNotFound | ApiError::NotFound => {
                StatusCode::NOT_FOUND
            }
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::MalformedJson(_) => StatusCode::BAD_REQUEST,
            ApiError::InvalidRequest(_)
            | ApiError::UnsupportedLocale { .. }
            | ApiError::Input(_)
            | ApiError::IdempotencyKeyReused
            | ApiError::ReloadRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unauthorized => StatusCode::UNAUTHORIZED,
            ApiError::RateLimited { .. } | ApiError::TooManyConversations { .. } => {
                StatusCode::TOO_MANY_REQUESTS
            }
            ApiError::Forbidden => StatusCode::FORBIDDEN,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::TurnConflict { .. } => StatusCode::CONFLICT,
            ApiError::Overloaded | ApiError::ShuttingDown | ApiError::StoreUnavailable => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::AdvisorGone => StatusCode::GONE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let status = self.status_code();
        let problem = Problem {
            kind: format!(
                "https://advisor.example/problems/{}",
                self.code().replace('_', "-")
            ),
            title: self.title(),
            status: status.as_u16(),
            detail: self.to_string(),
            code: self.code(),
            errors: match self {
                ApiError::ReloadRejected(problems) => Some(problems),
                _ => None,
            },
            current_reply: match self {
                ApiError::TurnConflict { reply, .. } => reply.as_deref(),
                _ => None,
            },
        };
        let mut response = HttpResponse::build(status);
        response.insert_header(ContentType(
            "application/problem+json".parse().unwrap_or(mime_json()),
        ));
        if let ApiError::StoreUnavailable = self {
            // A store outage is usually short (a Redis failover, a restart).
            response.insert_header((RETRY_AFTER, HeaderValue::from_static("5")));
        } else if status == StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header((RETRY_AFTER, HeaderValue::from_static("30")));
        }
        if let ApiError::RateLimited { retry_after }
        | ApiError::TooManyConversations { retry_after } = self
        {
            response.insert_header((RETRY_AFTER, retry_after.to_string()));
        }
        if status == StatusCode::UNAUTHORIZED {
            response.insert_header((WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        response.json(problem)
    }
}

fn mime_json() -> actix_web::mime::Mime {
    actix_web::mime::APPLICATION_JSON
}

impl From<StepError> for ApiError {
    fn from(error: StepError) -> Self {
        match error {
            StepError::Rejected(input) => ApiError::Input(input),
            StepError::Index(index) => ApiError::Internal(index.into()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ApiError::ConversationNotFound,
            StoreError::Full => ApiError::Overloaded,
            // Routes map conflicts themselves, knowing the turn they expected.
            StoreError::Conflict { current } => ApiError::TurnConflict {
                expected: current,
                current,
                reply: None,
            },
            // An outage: the client may retry (`Retry-After`), as `/readyz` says.
            StoreError::Backend(cause) => {
                tracing::error!(cause, "the conversation store does not answer");
                ApiError::StoreUnavailable
            }
            // Logged with its cause by `error_response`; the client sees the opaque message.
            StoreError::Corrupt(cause) => {
                ApiError::Internal(anyhow::anyhow!("conversation store: {cause}"))
            }
        }
    }
}

/// Turns actix's JSON extractor errors into our problems.
pub fn json_error(error: actix_web::error::JsonPayloadError, limit: usize) -> ApiError {
    use actix_web::error::JsonPayloadError;
    match error {
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType,
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => {
            ApiError::PayloadTooLarge(limit)
        }
        JsonPayloadError::Deserialize(error) if error.is_data() => {
            ApiError::InvalidRequest(without_type_names(&error.to_string()))
        }
        JsonPayloadError::Deserialize(error) => {
            ApiError::MalformedJson(without_type_names(&error.to_string()))
        }
        other => ApiError::MalformedJson(without_type_names(&other.to_string())),
    }
}

/// A parser's message without our Rust type names ("expected struct TurnRequest", "internally
/// tagged enum InputDto"): clients read what shape was expected, not how we spell it.
pub fn without_type_names(message: &str) -> String {
    let mut words: Vec<&str> = Vec::new();
    let mut tokens = message.split(' ').peekable();
    while let Some(word) = tokens.next() {
        let named = |next: Option<&&str>| {
            next.is_some_and(|n| n.chars().next().is_some_and(char::is_uppercase))
        };
        match word {
            "struct" | "enum" if named(tokens.peek()) => {
                tokens.next();
                words.push("a JSON object");
            }
            "internally" if tokens.peek() == Some(&"tagged") => {
                tokens.next();
                if tokens.peek() == Some(&"enum") {
                    tokens.next();
                    if named(tokens.peek()) {
                        tokens.next();
                    }
                }
                words.push("an object with a `type`");
            }
            other => words.push(other),
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::without_type_names;

    #[test]
    fn parser_messages_keep_no_rust_type_names() {
        assert_eq!(
            without_type_names("invalid type: string, expected struct TurnRequest at line 1"),
            "invalid type: string, expected a JSON object at line 1"
        );
        assert_eq!(
            without_type_names("expected internally tagged enum InputDto"),
            "expected an object with a `type`"
        );
        assert_eq!(
            without_type_names("missing field `input`"),
            "missing field `input`"
        );
    }
}
