//! Wire types: what clients send and receive. Converted from and to domain types here and only
//! here.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::dialogue::{Action, Input};
use crate::ids::ConversationId;
use crate::questions::{Advisor, Kind};
use crate::render::{ActionView, Message, Reply};

mod context;
mod next;
mod request;

pub use context::ContextDto;
pub use next::NextStepDto;
pub use request::{Customer, StartRequest, TurnRequest, checked_message_id};

/// What the customer did. Replies carry ready-made `input` objects for every action on offer.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum InputDto {
    /// Options of the question on offer (several for `kind: multiple`).
    #[schema(title = "AnswerInput")]
    Answer {
        question_id: String,
        values: Vec<String>,
    },
    /// Free text, up to 500 characters, mapped to options and product searches.
    #[schema(title = "TextInput")]
    Text { text: String },
    /// One of the actions a reply offers; `question_id`, `drop`, `critique` and `product_id` as
    /// the action needs them.
    #[schema(title = "ActionInput")]
    Action {
        name: ActionName,
        /// `change`: the question to ask again.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(nullable = false)]
        question_id: Option<String>,
        /// `relax`: the keys of the wishes to drop, as the offered repair names them.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(nullable = false)]
        drop: Option<Vec<String>>,
        /// `critique`: the critique's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(nullable = false)]
        critique: Option<String>,
        /// `critique` (optional), `similar` and `exclude`: the product.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(nullable = false)]
        product_id: Option<String>,
    },
}

/// The actions a customer can take besides answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActionName {
    Back,
    Restart,
    Skip,
    Change,
    Relax,
    Critique,
    Similar,
    Exclude,
    Handoff,
}

impl InputDto {
    /// The domain input, or which field an action is missing.
    pub fn into_input(self) -> Result<Input, String> {
        let required = |value: Option<String>, field: &str, name: &str| {
            value.ok_or_else(|| format!("the action `{name}` needs `{field}`"))
        };
        Ok(match self {
            InputDto::Answer {
                question_id,
                values,
            } => Input::Answer {
                question: question_id,
                values,
            },
            InputDto::Text { text } => Input::Text(text),
            InputDto::Action {
                name,
                question_id,
                drop,
                critique,
                product_id,
            } => Input::Action(match name {
                ActionName::Back => Action::Back,
                ActionName::Restart => Action::Restart,
                ActionName::Skip => Action::Skip,
                ActionName::Change => Action::Change {
                    question: required(question_id, "question_id", "change")?,
                },
                ActionName::Relax => Action::Relax {
                    drop: drop.ok_or("the action `relax` needs `drop`")?,
                },
                ActionName::Critique => Action::Critique {
                    critique: required(critique, "critique", "critique")?,
                    product: product_id,
                },
                ActionName::Similar => Action::Similar {
                    product: required(product_id, "product_id", "similar")?,
                },
                ActionName::Exclude => Action::Exclude {
                    product: required(product_id, "product_id", "exclude")?,
                },
                ActionName::Handoff => Action::Handoff,
            }),
        })
    }

    /// The wire form of an action on offer.
    pub fn from_action(action: &Action) -> Self {
        let (name, question_id, drop, critique, product_id) = match action {
            Action::Back => (ActionName::Back, None, None, None, None),
            Action::Restart => (ActionName::Restart, None, None, None, None),
            Action::Skip => (ActionName::Skip, None, None, None, None),
            Action::Change { question } => {
                (ActionName::Change, Some(question.clone()), None, None, None)
            }
            Action::Relax { drop } => (ActionName::Relax, None, Some(drop.clone()), None, None),
            Action::Critique { critique, product } => (
                ActionName::Critique,
                None,
                None,
                Some(critique.clone()),
                product.clone(),
            ),
            Action::Similar { product } => {
                (ActionName::Similar, None, None, None, Some(product.clone()))
            }
            Action::Exclude { product } => {
                (ActionName::Exclude, None, None, None, Some(product.clone()))
            }
            Action::Handoff => (ActionName::Handoff, None, None, None, None),
        };
        InputDto::Action {
            name,
            question_id,
            drop,
            critique,
            product_id,
        }
    }
}

/// `GET /v1/advisors` item.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdvisorDto {
    pub id: String,
    /// The title in the advisor's default locale.
    pub title: String,
    /// The title per locale.
    pub titles: std::collections::BTreeMap<String, String>,
    pub locales: Vec<String>,
    /// The fingerprint of the advisor's question file.
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
#[derive(Debug, Serialize, ToSchema)]
pub struct ReplyDto {
    pub conversation_id: String,
    pub advisor: String,
    pub advisor_version: String,
    /// How many inputs were applied; `expected_turn` refers to it.
    pub turn: u32,
    #[schema(value_type = super::openapi::ReplyState)]
    pub state: &'static str,
    /// Nothing fits every wish; `actions` offer repairs and close alternatives are shown.
    pub dead_end: bool,
    pub locale: String,
    pub candidate_count: usize,
    pub messages: Vec<MessageDto>,
    /// The question on offer, or `null` when none is asked.
    #[schema(required = true)]
    pub input: Option<InputRequestDto>,
    pub actions: Vec<ActionDto>,
    /// What applies so far; each can be changed.
    pub answers: Vec<AnswerDto>,
    /// After the shortlist: the one next step the advisor proposes, when one applies.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub next_step: Option<NextStepDto>,
}

/// What the advisor says: escaped text (safe as HTML) or product cards.
#[derive(Debug, Serialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MessageDto {
    /// A paragraph the advisor says.
    #[schema(title = "TextMessage")]
    Text {
        #[schema(value_type = super::openapi::TextFormat)]
        format: &'static str,
        text: String,
    },
    /// Product cards: the shortlist, or close alternatives at a dead end.
    #[schema(title = "ProductsMessage")]
    Products { items: Vec<ProductDto> },
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProductDto {
    pub id: String,
    pub title: String,
    /// `null` when the catalogue has no price for it.
    #[schema(required = true)]
    pub price: Option<PriceDto>,
    #[schema(required = true)]
    pub image_url: Option<String>,
    #[schema(required = true)]
    pub url: Option<String>,
    /// The customer's wishes this product meets.
    pub reasons: Vec<String>,
    /// The wishes a close alternative misses (empty for a full match).
    pub misses: Vec<String>,
    pub actions: Vec<ActionDto>,
    /// Products that go well with this one (shortlist only; absent when there are none).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    #[schema(required = false)]
    pub goes_well_with: Vec<PairedProductDto>,
}

/// A product shown beside a recommended one, with why.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairedProductDto {
    pub id: String,
    pub title: String,
    /// `null` when the catalogue has no price for it.
    #[schema(required = true)]
    pub price: Option<PriceDto>,
    #[schema(required = true)]
    pub image_url: Option<String>,
    #[schema(required = true)]
    pub url: Option<String>,
    /// Why it is shown, e.g. "Often bought together with Chaz Kangeroo Hoodie" (HTML-escaped).
    pub why: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PriceDto {
    pub amount: f64,
    pub currency: String,
}

/// The question on offer with its options and live counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct InputRequestDto {
    pub question_id: String,
    #[schema(value_type = super::openapi::QuestionKind)]
    pub kind: Kind,
    pub options: Vec<OptionDto>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OptionDto {
    /// Post this back in an answer's `values`.
    pub value: String,
    pub label: String,
    /// How many products answering this leaves.
    pub count: usize,
    /// Present (and true) on a "no preference" option, which is never combined with others.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    #[schema(required = false)]
    pub no_preference: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActionDto {
    pub name: ActionName,
    pub label: String,
    /// How many products the action leaves, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub count: Option<usize>,
    /// Post this back as the turn's `input`.
    pub input: InputDto,
}

impl ActionDto {
    fn from_view(view: ActionView) -> Self {
        let input = InputDto::from_action(&view.action);
        let name = match &input {
            InputDto::Action { name, .. } => *name,
            _ => ActionName::Back,
        };
        Self {
            name,
            label: view.label,
            count: view.count,
            input,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AnswerDto {
    pub question_id: String,
    pub question: String,
    pub values: Vec<String>,
    pub labels: Vec<String>,
}

impl ReplyDto {
    pub fn new(id: &ConversationId, advisor: &Advisor, reply: Reply) -> Self {
        Self {
            conversation_id: id.to_string(),
            advisor: advisor.base_id().to_string(),
            advisor_version: advisor.version.clone(),
            turn: reply.turn,
            state: if reply.handed_off {
                "handed_off"
            } else if reply.completed {
                "completed"
            } else {
                "awaiting_input"
            },
            dead_end: reply.dead_end,
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
                                misses: card.misses,
                                actions: card
                                    .actions
                                    .into_iter()
                                    .map(ActionDto::from_view)
                                    .collect(),
                                goes_well_with: card
                                    .goes_well_with
                                    .into_iter()
                                    .map(|paired| PairedProductDto {
                                        id: paired.id.to_string(),
                                        title: paired.title,
                                        price: paired.price.map(|amount| PriceDto {
                                            amount,
                                            currency: paired.currency,
                                        }),
                                        image_url: paired.image_url,
                                        url: paired.url,
                                        why: paired.why,
                                    })
                                    .collect(),
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
                        no_preference: o.no_preference,
                    })
                    .collect(),
            }),
            actions: reply
                .actions
                .into_iter()
                .map(ActionDto::from_view)
                .collect(),
            answers: reply
                .answers
                .into_iter()
                .map(|answer| AnswerDto {
                    question_id: answer.question_id.to_string(),
                    question: answer.question,
                    values: answer.values.iter().map(ToString::to_string).collect(),
                    labels: answer.labels,
                })
                .collect(),
            next_step: reply.next_step.map(NextStepDto::from_view),
        }
    }
}
