//! A Rasa-compatible REST channel, so chat widgets written for Rasa talk to the advisor
//! unchanged: `POST /webhooks/rest/webhook` with `{"sender", "message"}` answers a list of bot
//! messages `{recipient_id, text, buttons: [{title, payload}], image, custom}`.
//!
//! The sender id stands for the conversation (its id is derived from it, so every instance
//! finds the same one). Buttons carry the advisor's own inputs as payloads (`/` and the JSON of
//! an input), which the widget posts back as the message; plain text is a free-text answer;
//! `/restart` starts over and any other `/command` (a widget's greeting payload) shows where the
//! conversation is.

use actix_web::{HttpRequest, HttpResponse, web};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;

use super::dto::{InputDto, TurnRequest};
use super::error::ApiError;
use super::routes::{self, AppState};
use crate::handoff::Handoffs;
use crate::ids::ConversationId;

/// The longest sender id accepted.
const MAX_SENDER_CHARS: usize = 128;

/// A message from a Rasa widget.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RasaMessage {
    /// The widget's session id; the same sender continues the same conversation.
    pub sender: String,
    /// What the customer typed, or the payload of a button they pressed.
    pub message: String,
    /// Optional: `advisor` (an advisor id) and `locale` for a new conversation.
    #[serde(default)]
    pub metadata: Option<RasaMetadata>,
}

/// Where a new conversation starts; both optional.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct RasaMetadata {
    #[serde(default)]
    pub advisor: Option<String>,
    #[serde(default)]
    pub locale: Option<String>,
}

/// The advisor for new conversations, e.g. `?advisor=jackets` (default: the first one served).
#[derive(Debug, Deserialize)]
pub struct RasaQuery {
    #[serde(default)]
    pub advisor: Option<String>,
}

/// One bot message.
#[derive(Debug, Serialize, ToSchema)]
pub struct RasaReply {
    pub recipient_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub buttons: Vec<RasaButton>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub image: Option<String>,
    /// A product card as the advisor's API shows it (with `type: product`), or the proposed
    /// next step.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, value_type = Object)]
    pub custom: Option<Value>,
}

/// A quick reply: its label, and the message to send back when pressed.
#[derive(Debug, Serialize, ToSchema)]
pub struct RasaButton {
    pub title: String,
    pub payload: String,
}

/// What the customer's message asks for.
enum Said {
    /// `/restart`.
    Restart,
    /// Another `/command`: show the conversation as it is.
    Show,
    /// A button's input, or free text.
    Input(InputDto),
}

fn read(message: &str) -> Result<Said, ApiError> {
    let message = message.trim();
    let Some(command) = message.strip_prefix('/') else {
        return Ok(Said::Input(InputDto::Text {
            text: message.to_string(),
        }));
    };
    if command.starts_with('{') {
        return serde_json::from_str(command)
            .map(Said::Input)
            .map_err(|error| ApiError::InvalidRequest(format!("the button payload: {error}")));
    }
    Ok(if command.eq_ignore_ascii_case("restart") {
        Said::Restart
    } else {
        Said::Show
    })
}

/// The conversation id of a sender: the same on every instance, unguessable without the sender.
fn conversation_of(sender: &str) -> Result<ConversationId, ApiError> {
    let digest = Sha256::digest(format!("rasa-rest\0{sender}").as_bytes());
    ConversationId::parse(&crate::ids::lower_hex(&digest[..16]))
        .map_err(|e| ApiError::Internal(e.into()))
}

/// `POST /webhooks/rest/webhook`
#[utoipa::path(post, path = "/webhooks/rest/webhook", tag = "channels",
    operation_id = "post_rasa_message",
    request_body = RasaMessage,
    params(("advisor" = Option<String>, Query, nullable = false,
        description = "The advisor of new conversations (default: the first served).")),
    responses(
        (status = 200, description = "The bot's messages, in order.", body = Vec<RasaReply>),
        (status = 400, response = super::openapi::BadRequest),
        (status = 404, response = super::openapi::NotFound),
        (status = 409, response = super::openapi::Conflict),
        (status = 410, response = super::openapi::Gone),
        (status = 413, response = super::openapi::PayloadTooLarge),
        (status = 415, response = super::openapi::UnsupportedMediaType),
        (status = 422, response = super::openapi::Unprocessable),
))]
pub async fn webhook(
    app: web::Data<AppState>,
    metrics: web::Data<super::Metrics>,
    handoffs: web::Data<Handoffs>,
    query: web::Query<RasaQuery>,
    request: HttpRequest,
    body: web::Json<RasaMessage>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let sender = body.sender.trim();
    if sender.is_empty()
        || sender.chars().count() > MAX_SENDER_CHARS
        || sender.chars().any(char::is_control)
    {
        return Err(ApiError::InvalidRequest(format!(
            "`sender` must be 1 to {MAX_SENDER_CHARS} characters without control characters"
        )));
    }
    let id = conversation_of(sender)?;
    let said = read(&body.message)?;
    let metadata = body.metadata.unwrap_or_default();
    let wanted = query.into_inner().advisor.or(metadata.advisor);
    let start = || async {
        let shop = app.shops.current();
        let advisor = match &wanted {
            Some(wanted) => shop
                .entry(wanted)
                .ok_or_else(|| ApiError::AdvisorNotFound(wanted.chars().take(64).collect()))?,
            None => shop
                .advisors
                .iter()
                .find(|a| a.experiment.is_none())
                .ok_or_else(|| ApiError::AdvisorNotFound(String::new()))?,
        };
        let locale = super::locale::choose_locale(advisor, metadata.locale.as_deref(), &request)?;
        let opening = routes::Opening {
            locale,
            name: None,
            context: None,
            opt_out: routes::opted_out(&request),
        };
        routes::begin(&app, &metrics, &shop, advisor, opening, &id).await
    };
    // A sender without a conversation (never seen, expired or deleted) gets a new one.
    let mut notice = None;
    let sent = match said {
        Said::Restart => {
            app.store.delete(&id).await?;
            start().await?
        }
        Said::Show => match routes::current_json(&app, &id).await {
            Err(ApiError::ConversationNotFound) => start().await?,
            shown => shown?,
        },
        Said::Input(input) => {
            let turn = || TurnRequest {
                input: input.clone(),
                expected_turn: None,
                client_message_id: None,
                context: None,
            };
            let mut applied = routes::apply_turn(&app, &metrics, &handoffs, &id, turn()).await;
            if let Err(ApiError::ConversationNotFound) = applied {
                start().await?;
                applied = routes::apply_turn(&app, &metrics, &handoffs, &id, turn()).await;
            }
            match applied {
                Ok(applied) => applied.body,
                // A refusal is said in the chat, with the conversation as it is.
                Err(error @ (ApiError::Input(_) | ApiError::InvalidRequest(_))) => {
                    notice = Some(error.to_string());
                    routes::current_json(&app, &id).await?
                }
                Err(other) => return Err(other),
            }
        }
    };
    let reply: Value = serde_json::from_str(&sent).map_err(|e| ApiError::Internal(e.into()))?;
    let mut messages = Vec::new();
    if let Some(notice) = notice {
        messages.push(text(sender, notice));
    }
    messages.extend(to_rasa(sender, &reply));
    Ok(HttpResponse::Ok().json(messages))
}

fn text(recipient: &str, text: String) -> RasaReply {
    RasaReply {
        recipient_id: recipient.to_string(),
        text: Some(text),
        buttons: Vec::new(),
        image: None,
        custom: None,
    }
}

/// The advisor's reply as Rasa messages: texts (unescaped: Rasa texts are plain), a message per
/// product with its image and card, and the options and actions as buttons on the last text.
fn to_rasa(recipient: &str, reply: &Value) -> Vec<RasaReply> {
    let mut out = Vec::new();
    let mut last_text = None;
    for message in reply["messages"].as_array().into_iter().flatten() {
        match message["type"].as_str() {
            Some("text") => {
                let plain = crate::chat::decode_entities(message["text"].as_str().unwrap_or(""));
                last_text = Some(out.len());
                out.push(text(recipient, plain));
            }
            Some("products") => {
                for item in message["items"].as_array().into_iter().flatten() {
                    let title = item["title"].as_str().unwrap_or_default();
                    let price = item["price"]["amount"].as_f64().map(|amount| {
                        format!(
                            " · {amount:.2} {}",
                            item["price"]["currency"].as_str().unwrap_or_default()
                        )
                    });
                    let mut card = item.clone();
                    card["type"] = json!("product");
                    out.push(RasaReply {
                        image: item["image_url"].as_str().map(str::to_string),
                        custom: Some(card),
                        ..text(recipient, format!("{title}{}", price.unwrap_or_default()))
                    });
                }
            }
            _ => {}
        }
    }
    let next = &reply["next_step"];
    if let Some(proposal) = next["text"].as_str() {
        let why = crate::chat::decode_entities(next["why"].as_str().unwrap_or_default());
        let mut message = text(recipient, format!("{proposal} ({why})"));
        message.custom = Some(next.clone());
        if !next["input"].is_null() {
            message.buttons.push(RasaButton {
                title: proposal.to_string(),
                payload: format!("/{}", next["input"]),
            });
        }
        out.push(message);
    }
    let mut buttons = Vec::new();
    let input = &reply["input"];
    for option in input["options"].as_array().into_iter().flatten() {
        let answer = json!({"type": "answer", "question_id": input["question_id"], "values": [option["value"]]});
        let label = option["label"].as_str().unwrap_or_default();
        buttons.push(RasaButton {
            title: format!("{label} ({})", option["count"]),
            payload: format!("/{answer}"),
        });
    }
    for action in reply["actions"].as_array().into_iter().flatten() {
        buttons.push(RasaButton {
            title: crate::chat::decode_entities(action["label"].as_str().unwrap_or_default()),
            payload: format!("/{}", action["input"]),
        });
    }
    match last_text {
        Some(at) => out[at].buttons = buttons,
        None if !buttons.is_empty() => {
            let mut holder = text(recipient, String::new());
            holder.text = None;
            holder.buttons = buttons;
            out.push(holder);
        }
        None => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn senders_map_to_stable_unguessable_conversation_ids() {
        let a = conversation_of("widget-session-1").expect("id");
        assert_eq!(a, conversation_of("widget-session-1").expect("id"));
        assert_ne!(a, conversation_of("widget-session-2").expect("id"));
        assert_eq!(a.as_str().len(), 32);
    }

    #[test]
    fn payloads_are_inputs_commands_or_text() {
        assert!(matches!(read("/restart"), Ok(Said::Restart)));
        assert!(matches!(read("/get_started"), Ok(Said::Show)));
        assert!(matches!(
            read(r#"/{"type":"action","name":"back"}"#),
            Ok(Said::Input(InputDto::Action { .. }))
        ));
        assert!(matches!(
            read("a warm jacket"),
            Ok(Said::Input(InputDto::Text { .. }))
        ));
        assert!(read("/{broken").is_err());
    }
}
