//! Wire types: what clients send and receive. Converted from and to domain types here and only
//! here.

use serde::{Deserialize, Serialize};

use crate::dialogue::{Action, Input};
use crate::ids::ConversationId;
use crate::questions::{Advisor, Kind};
use crate::render::{Message, Reply};

/// `POST /v1/conversations`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StartRequest {
    pub advisor: String,
    #[serde(default)]
    pub locale: Option<String>,
    #[serde(default)]
    pub customer: Option<Customer>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Customer {
    #[serde(default)]
    pub name: Option<String>,
}

/// `POST /v1/conversations/{id}/turns`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TurnRequest {
    pub input: InputDto,
    /// When set, the turn is refused with 409 unless the conversation is at this turn.
    #[serde(default)]
    pub expected_turn: Option<u32>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum InputDto {
    Answer {
        question_id: String,
        values: Vec<String>,
    },
    Action {
        name: Action,
    },
}

impl InputDto {
    pub fn into_input(self) -> Input {
        match self {
            InputDto::Answer {
                question_id,
                values,
            } => Input::Answer {
                question: question_id,
                values,
            },
            InputDto::Action { name } => Input::Action(name),
        }
    }
}

/// `GET /v1/advisors` item.
#[derive(Debug, Serialize)]
pub struct AdvisorDto {
    pub id: String,
    pub title: String,
    pub titles: std::collections::BTreeMap<String, String>,
    pub locales: Vec<String>,
    pub version: String,
}

impl AdvisorDto {
    pub fn from_advisor(advisor: &Advisor) -> Self {
        Self {
            id: advisor.id.to_string(),
            title: advisor.title.get(advisor.default_locale()).to_string(),
            titles: advisor
                .title
                .0
                .iter()
                .map(|(l, t)| (l.to_string(), t.clone()))
                .collect(),
            locales: advisor.locales.iter().map(ToString::to_string).collect(),
            version: advisor.version.clone(),
        }
    }
}

/// Every conversation reply.
#[derive(Debug, Serialize)]
pub struct ReplyDto {
    pub conversation_id: String,
    pub advisor: String,
    pub advisor_version: String,
    pub turn: u32,
    pub state: &'static str,
    pub locale: String,
    pub candidate_count: usize,
    pub messages: Vec<MessageDto>,
    pub input: Option<InputRequestDto>,
    pub actions: Vec<ActionDto>,
    pub answers: Vec<AnswerDto>,
}

#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MessageDto {
    Text { format: &'static str, text: String },
    Products { items: Vec<ProductDto> },
}

#[derive(Debug, Serialize)]
pub struct ProductDto {
    pub id: String,
    pub title: String,
    pub price: Option<PriceDto>,
    pub image_url: Option<String>,
    pub url: Option<String>,
    pub reasons: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct PriceDto {
    pub amount: f64,
    pub currency: String,
}

#[derive(Debug, Serialize)]
pub struct InputRequestDto {
    pub question_id: String,
    pub kind: Kind,
    pub options: Vec<OptionDto>,
}

#[derive(Debug, Serialize)]
pub struct OptionDto {
    pub value: String,
    pub label: String,
    pub count: usize,
}

#[derive(Debug, Serialize)]
pub struct ActionDto {
    pub name: Action,
    pub label: String,
}

#[derive(Debug, Serialize)]
pub struct AnswerDto {
    pub question_id: String,
    pub values: Vec<String>,
}

impl ReplyDto {
    pub fn new(id: &ConversationId, advisor: &Advisor, reply: Reply) -> Self {
        Self {
            conversation_id: id.to_string(),
            advisor: advisor.id.to_string(),
            advisor_version: advisor.version.clone(),
            turn: reply.turn,
            state: if reply.completed {
                "completed"
            } else {
                "awaiting_input"
            },
            locale: reply.locale.to_string(),
            candidate_count: reply.candidate_count,
            messages: reply
                .messages
                .into_iter()
                .map(|message| match message {
                    Message::Text(text) => MessageDto::Text {
                        format: "html",
                        text,
                    },
                    Message::Products(cards) => MessageDto::Products {
                        items: cards
                            .into_iter()
                            .map(|card| ProductDto {
                                id: card.id.to_string(),
                                title: card.title,
                                price: card.price.map(|amount| PriceDto {
                                    amount,
                                    currency: card.currency.clone(),
                                }),
                                image_url: card.image_url,
                                url: card.url,
                                reasons: card.reasons,
                            })
                            .collect(),
                    },
                })
                .collect(),
            input: reply.input.map(|input| InputRequestDto {
                question_id: input.question_id.to_string(),
                kind: input.kind,
                options: input
                    .options
                    .into_iter()
                    .map(|o| OptionDto {
                        value: o.value.to_string(),
                        label: o.label,
                        count: o.count,
                    })
                    .collect(),
            }),
            actions: reply
                .actions
                .into_iter()
                .map(|a| ActionDto {
                    name: a.action,
                    label: a.label,
                })
                .collect(),
            answers: reply
                .answers
                .into_iter()
                .map(|(question, values)| AnswerDto {
                    question_id: question.to_string(),
                    values: values.iter().map(ToString::to_string).collect(),
                })
                .collect(),
        }
    }
}
