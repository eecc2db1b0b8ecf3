//! The handlers: each loads what it needs, calls the dialogue, saves, and renders the reply.

use std::sync::Arc;

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};

use super::TurnResult;
use super::dto::{AdvisorDto, Customer, ReplyDto, StartRequest, TurnRequest};
use super::error::ApiError;
use super::locale::choose_locale;
use super::openapi as doc;
pub(super) use super::opening::{Opening, begin, opted_out};
use crate::dialogue::{self, Outcome, State};
use crate::ids::ConversationId;
use crate::perf::{self, Phase};
use crate::questions::Advisor;
use crate::render;
use crate::session::{SessionStore, StoreError};
use crate::shop::{LiveShop, Shop};

/// What every handler can reach.
pub struct AppState {
    /// The served editor files; a conversation keeps the version it started on.
    pub shops: Arc<LiveShop>,
    pub store: Arc<dyn SessionStore>,
    /// Empty: admin endpoints answer loopback clients only.
    pub admin_token: String,
    pub limits: crate::settings::LimitSettings,
    /// Where the anonymous analytics events go.
    pub recorder: crate::analytics::Recorder,
}

/// The advisors with id, title, locales and version.
#[utoipa::path(get, path = "/v1/advisors", tag = "conversations", responses(
    (status = 200, description = "The served advisors.", body = doc::AdvisorList),
))]
pub async fn advisors(app: web::Data<AppState>) -> HttpResponse {
    let list: Vec<AdvisorDto> = app
        .shops
        .current()
        .advisors
        .iter()
        .filter(|advisor| advisor.experiment.is_none())
        .map(AdvisorDto::from_advisor)
        .collect();
    HttpResponse::Ok().json(serde_json::json!({ "advisors": list }))
}

/// Starts a conversation and answers its first reply.
#[utoipa::path(post, path = "/v1/conversations", tag = "conversations", request_body = StartRequest,
    params(("Accept-Language" = Option<String>, Header, description = "Used when the body names no `locale`.")),
    responses(
        (status = 201, description = "Started.", body = ReplyDto,
            headers(("Location" = String, description = "The conversation's URL."))),
        (status = 400, response = doc::BadRequest),
        (status = 404, response = doc::NotFound),
        (status = 413, response = doc::PayloadTooLarge),
        (status = 415, response = doc::UnsupportedMediaType),
        (status = 422, response = doc::Unprocessable),
        (status = 503, response = doc::Unavailable),
))]
pub async fn start(
    app: web::Data<AppState>,
    metrics: web::Data<super::Metrics>,
    request: HttpRequest,
    body: web::Json<StartRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    perf::request();
    let shop = app.shops.current();
    let advisor = shop
        .entry(&body.advisor)
        .ok_or_else(|| ApiError::AdvisorNotFound(body.advisor.chars().take(64).collect()))?;
    let locale = choose_locale(advisor, body.locale.as_deref(), &request)?;
    let opening = Opening {
        locale,
        name: Customer::checked_name(body.customer).map_err(ApiError::InvalidRequest)?,
        context: body
            .context
            .map(|c| c.checked())
            .transpose()
            .map_err(ApiError::InvalidRequest)?,
        opt_out: body.opt_out || opted_out(&request),
    };
    let id = ConversationId::generate();
    let sent = begin(&app, &metrics, &shop, advisor, opening, &id).await?;
    let mut created = HttpResponse::Created();
    created.insert_header((LOCATION, format!("/v1/conversations/{id}")));
    Ok(json(created, sent))
}

/// The reply as JSON text (timed as serialization).
pub(super) fn serialize(reply: &ReplyDto) -> Result<String, ApiError> {
    perf::time(Phase::Serialize, || serde_json::to_string(reply))
        .map_err(|e| ApiError::Internal(e.into()))
}

fn json(mut builder: actix_web::HttpResponseBuilder, body: String) -> HttpResponse {
    builder.content_type("application/json").body(body)
}

/// Marks the answer to a retried message.
const REPLAYED: &str = "idempotent-replayed";

/// Applies one input of the customer and answers the next reply.
#[utoipa::path(post, path = "/v1/conversations/{id}/turns", tag = "conversations",
    request_body = TurnRequest, params(("id" = String, Path, description = "The conversation id.")),
    responses(
        (status = 200, description = "The next reply.", body = ReplyDto, headers(("Idempotent-Replayed" = String,
            description = "`true` when this answers a retried `client_message_id`."))),
        (status = 400, response = doc::BadRequest),
        (status = 404, response = doc::NotFound),
        (status = 409, response = doc::Conflict),
        (status = 410, response = doc::Gone),
        (status = 413, response = doc::PayloadTooLarge),
        (status = 415, response = doc::UnsupportedMediaType),
        (status = 422, response = doc::Unprocessable),
))]
pub async fn turn(
    app: web::Data<AppState>,
    metrics: web::Data<super::Metrics>,
    handoffs: web::Data<crate::handoff::Handoffs>,
    path: web::Path<String>,
    body: web::Json<TurnRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = conversation_id(&path)?;
    let sent = apply_turn(&app, &metrics, &handoffs, &id, body.into_inner()).await?;
    let mut builder = HttpResponse::Ok();
    if sent.replayed {
        builder.insert_header((REPLAYED, "true"));
    }
    Ok(json(builder, sent.body))
}

/// A reply as sent: its JSON, and whether it answers a message applied before.
pub(super) struct Sent {
    pub body: String,
    pub replayed: bool,
}

/// Applies one input to a stored conversation: the turn route, and other channels.
pub(super) async fn apply_turn(
    app: &AppState,
    metrics: &super::Metrics,
    handoffs: &crate::handoff::Handoffs,
    id: &ConversationId,
    body: TurnRequest,
) -> Result<Sent, ApiError> {
    let message = body.message_id().map_err(ApiError::InvalidRequest)?;
    let max_values = app.limits.max_answer_values;
    if body.value_count() > max_values {
        return Err(ApiError::InvalidRequest(format!(
            "an input carries at most {max_values} values"
        )));
    }
    perf::request();
    let started = perf::now();
    let state = app.store.load(id).await?;
    perf::since(Phase::SessionLoad, started);
    let shop = app.shops.pinned(&state.shop_version);
    let advisor = advisor_of(&shop, &state)?;
    if let Some(message) = message
        && state.delivered.contains(message)
    {
        metrics.turn(advisor, TurnResult::Replayed);
        return replayed(&shop, advisor, id, &state, message);
    }
    if let Some(expected) = body
        .expected_turn
        .filter(|expected| *expected != state.turn)
    {
        metrics.turn(advisor, TurnResult::Conflict);
        return Err(conflict(&shop, advisor, id, &state, expected));
    }
    let message = message.map(str::to_string);
    let refused = |error| {
        metrics.turn(advisor, TurnResult::Refused);
        error
    };
    let input = body
        .input
        .into_input()
        .map_err(|error| refused(ApiError::InvalidRequest(error)))?;
    let context = body
        .context
        .map(|c| c.checked())
        .transpose()
        .map_err(|error| refused(ApiError::InvalidRequest(error)))?;
    let mut outcome = perf::time(Phase::Dialogue, || {
        let Some(context) = &context else {
            return dialogue::step(advisor, &shop.catalog, &state, input.clone());
        };
        let (situated, mut notices) = dialogue::apply_context(advisor, &state, context);
        let mut stepped = dialogue::step(advisor, &shop.catalog, &situated, input.clone())?;
        notices.append(&mut stepped.notices);
        stepped.notices = notices;
        Ok(stepped)
    })
    .map_err(|error| refused(error.into()))?;
    outcome.state.completed |= outcome.evaluation.is_complete();
    let replied = reply(&shop, advisor, id, &outcome)?;
    let next_step = replied.next_step.as_ref().map(|step| step.id.clone());
    let sent = serialize(&replied)?;
    // An input that changes nothing (text that was not understood) is not stored: applying it
    // again changes nothing either.
    if outcome.state != state {
        if let Some(message) = &message {
            outcome
                .state
                .delivered
                .record(message.clone(), sent.clone());
        }
        let started = perf::now();
        let saved = app.store.save(id, &outcome.state, state.turn).await;
        perf::since(Phase::SessionSave, started);
        if let Err(StoreError::Conflict { .. }) = saved {
            // Another turn won: this very message (a retry racing its original), or another.
            let now = app.store.load(id).await?;
            let shop = app.shops.pinned(&now.shop_version);
            let advisor = advisor_of(&shop, &now)?;
            if let Some(message) = message.as_deref()
                && now.delivered.contains(message)
            {
                metrics.turn(advisor, TurnResult::Replayed);
                return replayed(&shop, advisor, id, &now, message);
            }
            metrics.turn(advisor, TurnResult::Conflict);
            return Err(conflict(&shop, advisor, id, &now, state.turn));
        }
        saved?;
        if outcome.state.completed && !state.completed {
            metrics.conversation_completed(advisor);
        }
        if outcome.state.handoff.handed_off && !state.handoff.handed_off {
            metrics.conversation_handed_off(advisor);
            handoffs.handed_off(advisor, &shop.catalog, id, &outcome);
            tracing::info!(conversation = %id, "conversation handed off");
        }
    }
    super::events::turned(
        &app.recorder,
        &shop.catalog,
        id,
        advisor,
        &state,
        &input,
        &super::events::Shown {
            outcome: &outcome,
            next_step: next_step.as_deref(),
        },
    );
    metrics.turn(advisor, TurnResult::Applied);
    tracing::info!(conversation = %id, turn = outcome.state.turn, completed = outcome.evaluation.is_complete(), "turn");
    Ok(Sent {
        body: sent,
        replayed: false,
    })
}

/// The answer to a message already applied: the very reply sent for it when it was the last
/// one, else the conversation as it is now. Marked with `Idempotent-Replayed: true`.
fn replayed(
    shop: &Shop,
    advisor: &Advisor,
    id: &ConversationId,
    state: &State,
    message: &str,
) -> Result<Sent, ApiError> {
    let body = match state.delivered.reply_to(message) {
        Some(sent) => sent.to_string(),
        None => serialize(&current_reply(shop, advisor, id, state.clone())?)?,
    };
    tracing::info!(conversation = %id, turn = state.turn, "retried message answered again");
    Ok(Sent {
        body,
        replayed: true,
    })
}

/// A `409 turn_conflict` carrying the conversation's current reply, so the client can show it
/// without another request.
fn conflict(
    shop: &Shop,
    advisor: &Advisor,
    id: &ConversationId,
    state: &State,
    expected: u32,
) -> ApiError {
    ApiError::TurnConflict {
        expected,
        current: state.turn,
        reply: current_reply(shop, advisor, id, state.clone())
            .ok()
            .map(Box::new),
    }
}

/// The stored conversation's reply as JSON, as `GET /v1/conversations/{id}` shows it.
pub(super) async fn current_json(app: &AppState, id: &ConversationId) -> Result<String, ApiError> {
    let state = app.store.load(id).await?;
    let shop = app.shops.pinned(&state.shop_version);
    let advisor = advisor_of(&shop, &state)?;
    serialize(&current_reply(&shop, advisor, id, state)?)
}

/// The reply for a stored state, as `GET /v1/conversations/{id}` shows it.
fn current_reply(
    shop: &Shop,
    advisor: &Advisor,
    id: &ConversationId,
    state: State,
) -> Result<ReplyDto, ApiError> {
    let evaluation = dialogue::evaluate(advisor, &shop.catalog, &state)
        .map_err(|e| ApiError::Internal(e.into()))?;
    let outcome = Outcome {
        state,
        evaluation,
        notices: Vec::new(),
    };
    reply(shop, advisor, id, &outcome)
}

/// The conversation's current reply again.
#[utoipa::path(get, path = "/v1/conversations/{id}", tag = "conversations",
    params(("id" = String, Path, description = "The conversation id.")),
    responses(
        (status = 200, description = "The current reply.", body = ReplyDto),
        (status = 404, response = doc::NotFound),
        (status = 410, response = doc::Gone),
))]
pub async fn current(
    app: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = conversation_id(&path)?;
    Ok(json(HttpResponse::Ok(), current_json(&app, &id).await?))
}

/// Forgets the conversation, its answers and the name in it.
#[utoipa::path(delete, path = "/v1/conversations/{id}", tag = "conversations",
    params(("id" = String, Path, description = "The conversation id.")),
    responses(
        (status = 204, description = "Deleted."),
        (status = 404, response = doc::NotFound),
))]
pub async fn delete(
    app: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = conversation_id(&path)?;
    if app.store.delete(&id).await? {
        tracing::info!(conversation = %id, "conversation deleted");
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::ConversationNotFound)
    }
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/livez", tag = "operations", responses(
    (status = 200, description = "Alive.", body = doc::Alive),
))]
pub async fn livez() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "alive" }))
}

pub async fn readyz(app: web::Data<AppState>) -> HttpResponse {
    let shop = app.shops.current();
    HttpResponse::Ok().json(serde_json::json!({
        "status": "ready",
        "version": shop.version,
        "products": shop.catalog.len(),
        "advisors": shop.advisors.len(),
    }))
}

pub async fn not_found() -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::NotFound)
}

pub async fn method_not_allowed() -> HttpResponse {
    actix_web::ResponseError::error_response(&ApiError::MethodNotAllowed)
}

pub(super) fn reply(
    shop: &Shop,
    advisor: &Advisor,
    id: &ConversationId,
    outcome: &Outcome,
) -> Result<ReplyDto, ApiError> {
    perf::time(Phase::Render, || {
        let reply = render::compose(advisor, &shop.catalog, &shop.renderer, outcome)
            .map_err(|e| ApiError::Internal(e.into()))?;
        Ok(ReplyDto::new(id, advisor, reply))
    })
}

fn conversation_id(raw: &str) -> Result<ConversationId, ApiError> {
    ConversationId::parse(raw).map_err(|_| ApiError::ConversationNotFound)
}

fn advisor_of<'a>(shop: &'a Shop, state: &State) -> Result<&'a Advisor, ApiError> {
    shop.advisor(state.advisor.as_str())
        .ok_or(ApiError::AdvisorGone)
}
