//! `POST /v1/conversations/{id}/events`: clients report what the customer did (viewed,
//! clicked, added to cart, bought, used the handoff, took or declined the next step). What the
//! advice needs is kept in the conversation's `Feedback`; every report becomes an anonymous
//! analytics event (`events.rs`), unless the client opted out.
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::ApiError;
use super::events::record;
use super::openapi as doc;
use super::routes::AppState;
use crate::analytics::{EventKind, Feedback};
use crate::catalog::Catalog;
use crate::dialogue;
use crate::dialogue::NOT_CARRIED_STEP;
use crate::ids::{ConversationId, ProductId};
use crate::questions::Advisor;

/// `POST /v1/conversations/{id}/events`: something the customer did.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FeedbackRequest {
    #[serde(rename = "type")]
    #[schema(value_type = FeedbackType)]
    pub action: Feedback,
    /// The product (required for the product events), as in the reply's cards.
    #[serde(default)]
    pub product_id: Option<String>,
    /// The next step's id (required for `next_step_accepted` and `next_step_rejected`).
    #[serde(default)]
    pub step: Option<String>,
}

/// Every `Feedback` a client may report, in the order the description lists them (a test keeps
/// it complete).
const FEEDBACK: [Feedback; 7] = [
    Feedback::ProductViewed,
    Feedback::ProductClicked,
    Feedback::AddedToCart,
    Feedback::Purchased,
    Feedback::HandoffUsed,
    Feedback::NextStepAccepted,
    Feedback::NextStepRejected,
];

/// The description of `FeedbackRequest.type`: the wire names of `FEEDBACK`.
pub(super) struct FeedbackType;

impl utoipa::PartialSchema for FeedbackType {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let names: Vec<String> = FEEDBACK
            .iter()
            .filter_map(|feedback| serde_json::to_value(feedback).ok())
            .filter_map(|name| name.as_str().map(str::to_string))
            .collect();
        doc::string_set(
            "What the customer did: viewed, clicked, carted or bought a product (with \
             `product_id`), used the handoff, or took or declined the next step (with `step`).",
            names.iter().map(String::as_str),
        )
    }
}

impl ToSchema for FeedbackType {}

/// Records what the customer did. Next steps taken or declined are not proposed again;
/// products carted or bought are not proposed as companions.
#[utoipa::path(post, path = "/v1/conversations/{id}/events", tag = "conversations",
    operation_id = "post_event", request_body = FeedbackRequest, params(("id" = String, Path, description = "The conversation id.")),
    responses(
        (status = 204, description = "Recorded (or, after an opt-out, only applied)."),
        (status = 400, response = doc::BadRequest),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
        (status = 410, response = doc::Gone),
        (status = 413, response = doc::PayloadTooLarge),
        (status = 415, response = doc::UnsupportedMediaType),
        (status = 422, response = doc::Unprocessable),
))]
pub async fn feedback(
    app: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<FeedbackRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = ConversationId::parse(&path).map_err(|_| ApiError::ConversationNotFound)?;
    let body = body.into_inner();
    let state = app.store.load(&id).await?;
    let shop = app.shops.pinned(&state.shop_version).shop;
    let advisor = shop
        .advisor(state.advisor.as_str())
        .ok_or(ApiError::AdvisorGone)?;
    let product = checked_product(&shop.catalog, &body)?;
    let step = checked_step(advisor, &body)?;
    let mut next = state.clone();
    let feedback = &mut next.feedback;
    match body.action {
        Feedback::NextStepAccepted => remember(&mut feedback.accepted, step.clone()),
        Feedback::NextStepRejected => remember(&mut feedback.rejected, step.clone()),
        Feedback::AddedToCart | Feedback::Purchased => {
            if let Some(product) = &product {
                remember(&mut feedback.carted, ProductId::parse(product));
            }
        }
        Feedback::ProductViewed | Feedback::ProductClicked | Feedback::HandoffUsed => {}
    }
    if next != state {
        // The turn stays: feedback is not an input, and the client's `expected_turn` holds.
        app.store
            .save(&id, &next, state.turn)
            .await
            .map_err(|error| match error {
                crate::session::StoreError::Conflict { .. } => ApiError::TurnConflict {
                    expected: state.turn,
                    current: state.turn + 1,
                    reply: None,
                },
                other => other.into(),
            })?;
    }
    record(
        &app.recorder,
        &id,
        advisor,
        &state,
        EventKind::Feedback {
            action: body.action,
            product,
            step,
        },
    );
    Ok(HttpResponse::NoContent().finish())
}

/// The product a product event names, checked against the catalogue.
fn checked_product(catalog: &Catalog, body: &FeedbackRequest) -> Result<Option<String>, ApiError> {
    let needs = matches!(
        body.action,
        Feedback::ProductViewed
            | Feedback::ProductClicked
            | Feedback::AddedToCart
            | Feedback::Purchased
    );
    match (&body.product_id, needs) {
        (None, true) => Err(ApiError::InvalidRequest(
            "this event needs `product_id`".into(),
        )),
        (Some(id), _) => match ProductId::parse(id)
            .and_then(|id| catalog.ordinal(&id))
            .and_then(|ordinal| catalog.product(ordinal))
        {
            Some(product) => Ok(Some(product.id().to_string())),
            None => Err(ApiError::InvalidRequest(format!(
                "`product_id` `{}` is not in the catalogue",
                id.chars().take(64).collect::<String>()
            ))),
        },
        (None, false) => Ok(None),
    }
}

/// The next step a step event names, checked against the advisor.
fn checked_step(advisor: &Advisor, body: &FeedbackRequest) -> Result<Option<String>, ApiError> {
    let needs = matches!(
        body.action,
        Feedback::NextStepAccepted | Feedback::NextStepRejected
    );
    match (&body.step, needs) {
        (None, true) => Err(ApiError::InvalidRequest("this event needs `step`".into())),
        (Some(step), _) => {
            let suggestion = step
                .strip_prefix(NOT_CARRIED_STEP)
                .is_some_and(|need| advisor.not_carried.iter().any(|n| n.id.as_str() == need));
            if suggestion || advisor.next_steps.iter().any(|s| s.id == *step) {
                Ok(Some(step.clone()))
            } else {
                Err(ApiError::InvalidRequest(format!(
                    "`step` `{}` is not a next step of this advisor",
                    step.chars().take(64).collect::<String>()
                )))
            }
        }
        (None, false) => Ok(None),
    }
}

fn remember<T: PartialEq>(list: &mut Vec<T>, item: Option<T>) {
    if let Some(item) = item
        && !list.contains(&item)
    {
        list.push(item);
        if list.len() > dialogue::Feedback::KEEP {
            list.remove(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The description lists every kind of feedback, read from `analytics/event.rs`, so a new
    /// variant cannot be forgotten.
    #[test]
    fn every_feedback_is_described() {
        let source = include_str!("../analytics/event.rs");
        let variants = source
            .split("pub enum Feedback {")
            .nth(1)
            .and_then(|rest| rest.split('}').next())
            .expect("`Feedback` is in event.rs");
        let declared: Vec<Feedback> = variants
            .split(',')
            .map(|variant| {
                // The name without doc comments or attributes.
                variant
                    .lines()
                    .map(str::trim)
                    .filter(|line| !line.starts_with("//") && !line.starts_with('#'))
                    .collect::<String>()
            })
            .filter(|variant| !variant.is_empty())
            .map(|variant| {
                serde_json::from_value(serde_json::json!(snake_case(&variant))).expect(&variant)
            })
            .collect();
        let schema = serde_json::to_value(<FeedbackType as utoipa::PartialSchema>::schema())
            .expect("a schema");
        let described: Vec<Feedback> = schema["enum"]
            .as_array()
            .expect("an enum")
            .iter()
            .map(|name| serde_json::from_value(name.clone()).expect("a feedback"))
            .collect();
        assert_eq!(described, declared);
    }

    fn snake_case(camel: &str) -> String {
        let mut snake = String::new();
        for c in camel.chars() {
            if c.is_uppercase() && !snake.is_empty() {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
        }
        snake
    }
}
