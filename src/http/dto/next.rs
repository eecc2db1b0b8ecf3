//! The wire form of the next step proposed after the shortlist (`ReplyDto::next_step`).

use serde::Serialize;
use utoipa::ToSchema;

use super::{InputDto, PriceDto};
use crate::questions::NextKind;
use crate::render::{NextStepView, ProductCard};

/// One next step after the shortlist (matching products, a page, a person or another advisor),
/// chosen by the advisor's rules. Clients report `id` back when the customer accepts or
/// declines it; a step reported either way is not proposed again.
#[derive(Debug, Serialize, ToSchema)]
pub struct NextStepDto {
    /// The step's id in the advisor's file.
    pub id: String,
    pub kind: NextStepKind,
    /// The proposal, plain text as written in the advisor's file.
    pub text: String,
    /// Why the customer sees it, from their own answers and context only; escaped like the
    /// messages' texts (`format: html`).
    pub why: String,
    /// `link`: the page to open (`https:`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub url: Option<String>,
    /// `products`: the products proposed (never ones on the shortlist).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(required = false)]
    pub products: Vec<NextProductDto>,
    /// `advisor`: the advisor to start (`POST /v1/conversations` with this `advisor`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub advisor: Option<String>,
    /// `handoff`: post this back as the turn's `input` to accept.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(required = false, nullable = false)]
    pub input: Option<InputDto>,
}

/// What accepting a next step does.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NextStepKind {
    /// Shows `products`.
    Products,
    /// Opens `url`.
    Link,
    /// Hands the conversation to a person (`input`).
    Handoff,
    /// Starts the advisor `advisor`.
    Advisor,
}

/// A product proposed by a next step.
#[derive(Debug, Serialize, ToSchema)]
pub struct NextProductDto {
    pub id: String,
    pub title: String,
    #[schema(required = true)]
    pub price: Option<PriceDto>,
    #[schema(required = true)]
    pub image_url: Option<String>,
    #[schema(required = true)]
    pub url: Option<String>,
}

impl NextStepDto {
    pub fn from_view(view: NextStepView) -> Self {
        Self {
            id: view.id,
            kind: match view.kind {
                NextKind::Products => NextStepKind::Products,
                NextKind::Link => NextStepKind::Link,
                NextKind::Handoff => NextStepKind::Handoff,
                NextKind::Advisor => NextStepKind::Advisor,
            },
            text: view.text,
            why: view.why,
            url: view.url,
            products: view.products.into_iter().map(product).collect(),
            advisor: view.advisor,
            input: view.action.as_ref().map(InputDto::from_action),
        }
    }
}

fn product(card: ProductCard) -> NextProductDto {
    NextProductDto {
        id: card.id.to_string(),
        title: card.title,
        price: card.price.map(|amount| PriceDto {
            amount,
            currency: card.currency,
        }),
        image_url: card.image_url,
        url: card.url,
    }
}
