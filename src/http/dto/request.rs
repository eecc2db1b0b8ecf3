//! The request bodies of the conversation routes.

use serde::Deserialize;
use utoipa::ToSchema;

use super::InputDto;

/// `POST /v1/conversations`: which advisor to talk to, in which language, for whom.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    /// The advisor's id, as listed by `GET /v1/advisors`.
    pub advisor: String,
    /// A locale the advisor speaks (e.g. `en`); without it, the best of `Accept-Language`, else
    /// the advisor's default.
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub customer: Option<Customer>,
    /// The customer's situation (season, weather, when); shapes questions and ranking through
    /// the advisor's context rules.
    #[serde(default)]
    pub context: Option<super::ContextDto>,
    /// `true`: the customer asked not to be counted; no analytics events are recorded for this
    /// conversation (also when the request carries `Sec-GPC: 1` or `DNT: 1`).
    #[serde(default)]
    pub opt_out: bool,
    /// A client-chosen id for this start (1 to 64 visible ASCII characters, e.g. a UUID). A
    /// retry with the same id from the same client gets the conversation the first one started
    /// (`Idempotent-Replayed: true`) instead of a second one; the same id with another body is
    /// refused (422 `idempotency_key_reused`).
    #[serde(default)]
    pub client_message_id: Option<String>,
}

/// Who the advisor talks to; forgotten with the conversation.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    /// How the replies greet the customer: at most 80 characters, no control characters.
    #[serde(default)]
    pub name: Option<String>,
}

/// The longest customer name accepted, in characters.
const MAX_NAME_CHARS: usize = 80;

impl Customer {
    /// The name to greet with: trimmed, `None` when empty or not sent.
    pub fn checked_name(customer: Option<Customer>) -> Result<Option<String>, String> {
        let Some(raw) = customer.and_then(|c| c.name) else {
            return Ok(None);
        };
        let name = raw.trim();
        if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
            return Err(format!(
                "`customer.name` must be at most {MAX_NAME_CHARS} characters without control characters"
            ));
        }
        Ok((!name.is_empty()).then(|| name.to_string()))
    }
}

/// `POST /v1/conversations/{id}/turns`: one input of the customer.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TurnRequest {
    pub input: InputDto,
    /// When set, the turn is refused with 409 unless the conversation is at this turn.
    #[serde(default)]
    pub expected_turn: Option<u32>,
    /// A client-chosen id for this message (1 to 64 visible ASCII characters, e.g. a UUID).
    /// A retry with the same id applies nothing twice and gets the reply the first one got.
    #[serde(default)]
    pub client_message_id: Option<String>,
    /// The customer's situation now; its fields replace the ones sent before.
    #[serde(default)]
    pub context: Option<super::ContextDto>,
}

/// The longest `client_message_id` accepted.
pub const MAX_MESSAGE_ID_CHARS: usize = 64;

/// A start's or a turn's `client_message_id`, checked.
pub fn checked_message_id(id: Option<&str>) -> Result<Option<&str>, String> {
    let Some(id) = id else {
        return Ok(None);
    };
    if id.is_empty() || id.len() > MAX_MESSAGE_ID_CHARS || !id.bytes().all(|b| b.is_ascii_graphic())
    {
        return Err(format!(
            "`client_message_id` must be 1 to {MAX_MESSAGE_ID_CHARS} visible ASCII characters"
        ));
    }
    Ok(Some(id))
}

impl TurnRequest {
    /// The client's message id, checked.
    pub fn message_id(&self) -> Result<Option<&str>, String> {
        checked_message_id(self.client_message_id.as_deref())
    }

    /// How many values an answer carries (0 for other inputs).
    pub fn value_count(&self) -> usize {
        match &self.input {
            InputDto::Answer { values, .. } => values.len(),
            InputDto::Action {
                drop: Some(drop), ..
            } => drop.len(),
            _ => 0,
        }
    }
}
