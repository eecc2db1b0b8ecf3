//! Analytics from the conversation routes: the anonymous events of a start and of every applied
//! turn (with a shortlist event when one is shown), and `POST /v1/conversations/{id}/events`,
//! where clients report what the customer did (viewed, clicked, added to cart, bought, used the
//! handoff, took or declined the next step). Nothing is recorded for a conversation whose
//! client opted out; events carry a pseudonym, never the conversation id, and no free text
//! beyond filtered words.

use actix_web::{HttpResponse, web};
use serde::Deserialize;
use utoipa::ToSchema;

use super::error::ApiError;
use super::openapi as doc;
use super::routes::AppState;
use crate::analytics::{self, Answered, Event, EventKind, Feedback, Recorder};
use crate::catalog::Catalog;
use crate::dialogue::{self, Evaluation, Event as Said, Input, Notice, Outcome, Source, State};
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

/// The prefix of the step id a need the shop does not carry suggests another advisor under.
use crate::dialogue::NOT_CARRIED_STEP;

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

/// Records a started conversation (its first question, the context rules in effect).
pub(super) fn started(
    recorder: &Recorder,
    catalog: &Catalog,
    id: &ConversationId,
    advisor: &Advisor,
    outcome: &Outcome,
) {
    let state = &outcome.state;
    record(
        recorder,
        id,
        advisor,
        state,
        EventKind::Started {
            locale: state.locale.to_string(),
            question: asked(advisor, &outcome.evaluation),
            context: state.context.rules.clone(),
        },
    );
    shortlist(recorder, catalog, id, advisor, outcome);
}

/// Records an applied input: what it answered, the candidates before and after, where the
/// conversation is now, and the words of a free text that matched nothing.
pub(super) fn turned(
    recorder: &Recorder,
    catalog: &Catalog,
    id: &ConversationId,
    advisor: &Advisor,
    before: &State,
    input: &Input,
    outcome: &Outcome,
) {
    if before.opt_out || !recorder.is_enabled() {
        return;
    }
    // The step evaluated the state before the input; evaluated again only if it did not.
    let evaluated;
    let previous = match &outcome.before {
        Some(previous) => previous,
        None => match dialogue::evaluate(advisor, catalog, before) {
            Ok(previous) => {
                evaluated = previous;
                &evaluated
            }
            Err(_) => return,
        },
    };
    let state = &outcome.state;
    let evaluation = &outcome.evaluation;
    let answers = state
        .events
        .iter()
        .filter(|entry| !before.events.contains(entry))
        .filter_map(|entry| match &entry.event {
            Said::Answer { question, values } => Some(Answered {
                question: question.to_string(),
                options: values.iter().map(ToString::to_string).collect(),
            }),
            _ => None,
        })
        .collect();
    let mut unmatched = Vec::new();
    for notice in &outcome.notices {
        match (notice, input) {
            (Notice::Understood(understood), _) => {
                unmatched.extend(understood.ignored.iter().cloned());
            }
            (Notice::NotUnderstood, Input::Text(text)) => {
                unmatched.extend(text.split_whitespace().map(str::to_lowercase));
            }
            _ => {}
        }
    }
    let outcome_name = if state.handoff.handed_off {
        "handed_off"
    } else if evaluation.is_dead_end() {
        "dead_end"
    } else if evaluation.is_complete() {
        "shortlist"
    } else {
        "question"
    };
    let dead_end = if evaluation.is_dead_end() {
        wishes(advisor, evaluation)
    } else {
        Vec::new()
    };
    record(
        recorder,
        id,
        advisor,
        state,
        EventKind::Turn {
            turn: state.turn,
            input: input_name(input).to_string(),
            question: asked(advisor, previous),
            answers,
            before: count(previous),
            after: count(evaluation),
            outcome: outcome_name.to_string(),
            next_question: asked(advisor, evaluation),
            unmatched: analytics::safe_words(&unmatched),
            dead_end,
        },
    );
    shortlist(recorder, catalog, id, advisor, outcome);
}

/// A shortlist event when the reply shows one.
fn shortlist(
    recorder: &Recorder,
    catalog: &Catalog,
    id: &ConversationId,
    advisor: &Advisor,
    outcome: &Outcome,
) {
    let evaluation = &outcome.evaluation;
    if !evaluation.is_complete() || evaluation.is_dead_end() || outcome.state.handoff.handed_off {
        return;
    }
    let questions = evaluation
        .answered
        .iter()
        .filter(|(_, options)| !options.is_empty())
        .count();
    record(
        recorder,
        id,
        advisor,
        &outcome.state,
        EventKind::Shortlist {
            questions: u32::try_from(questions).unwrap_or(u32::MAX),
            products: evaluation
                .shortlist
                .iter()
                .filter(|r| r.misses.is_empty())
                .filter_map(|r| catalog.product(r.ordinal))
                .map(|p| p.id().to_string())
                .collect(),
            next_step: outcome
                .proposals
                .next_step
                .as_ref()
                .map(|step| step.id(advisor)),
        },
    );
}

/// The wishes in force at a dead end, as `question=option` (free-text wishes as filtered
/// words, `text=word`).
fn wishes(advisor: &Advisor, evaluation: &Evaluation) -> Vec<String> {
    let mut wishes: Vec<String> = evaluation
        .constraints
        .iter()
        .flat_map(|constraint| match &constraint.source {
            Source::Answer {
                question, options, ..
            } => {
                let question = &advisor.questions[*question];
                options
                    .iter()
                    .map(|o| format!("{}={}", question.id, question.options[*o].id))
                    .collect()
            }
            Source::Amount { number, .. } => vec![format!("amount={number}")],
            Source::Require { text, .. } => {
                let words: Vec<String> = text.split_whitespace().map(str::to_lowercase).collect();
                analytics::safe_words(&words)
                    .into_iter()
                    .map(|w| format!("text={w}"))
                    .collect()
            }

            Source::Critique { critique, .. } => {
                vec![format!("critique={}", advisor.critiques[*critique].id)]
            }
        })
        .collect();
    wishes.sort();
    wishes.dedup();
    wishes
}

fn asked(advisor: &Advisor, evaluation: &Evaluation) -> Option<String> {
    evaluation
        .next
        .as_ref()
        .map(|ask| advisor.questions[ask.question].id.to_string())
}

fn count(evaluation: &Evaluation) -> u32 {
    u32::try_from(evaluation.candidate_count()).unwrap_or(u32::MAX)
}

fn input_name(input: &Input) -> &'static str {
    match input {
        Input::Answer { .. } => "answer",
        Input::Text(_) => "text",
        Input::Action(action) => action.name(),
    }
}

/// Hands one event to the recorder, unless the conversation opted out.
fn record(
    recorder: &Recorder,
    id: &ConversationId,
    advisor: &Advisor,
    state: &State,
    kind: EventKind,
) {
    if state.opt_out {
        return;
    }
    recorder.record(Event {
        at: analytics::unix_now(),
        conversation: analytics::pseudonym(id.as_str()),
        advisor: advisor.base_id().to_string(),
        variant: state.variant.clone(),
        version: advisor.version.clone(),
        kind,
    });
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
