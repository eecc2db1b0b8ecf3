//! The handlers: each loads what it needs, calls the dialogue, saves, and renders the reply.

use std::sync::Arc;

use actix_web::http::header::LOCATION;
use actix_web::{HttpRequest, HttpResponse, web};

use super::dto::{AdvisorDto, Customer, ReplyDto, StartRequest, TurnRequest};
use super::error::ApiError;
use super::locale::choose_locale;
use super::openapi as doc;
pub(super) use super::opening::{Opening, begin, opted_out};
use super::retried_start;
pub(super) use super::turn::apply_turn;
use crate::dialogue::{self, Outcome, State};
use crate::ids::ConversationId;
use crate::perf::{self, Phase};
use crate::questions::Advisor;
use crate::render;
use crate::session::SessionStore;
use crate::shop::{LiveShop, Shop};

/// What every handler can reach.
pub struct AppState {
    /// The served editor files; a conversation keeps the version it started on.
    pub shops: Arc<LiveShop>,
    pub store: Arc<dyn SessionStore>,
    /// Empty: admin endpoints answer loopback clients only.
    pub admin_token: String,
    /// Whose forwarding headers name the client.
    pub proxies: super::client::TrustedProxies,
    pub limits: crate::settings::LimitSettings,
    /// Where the anonymous analytics events go.
    pub recorder: crate::analytics::Recorder,
}

/// The advisors with id, title, locales and version.
#[utoipa::path(get, path = "/v1/advisors", tag = "conversations", operation_id = "list_advisors",
    responses(
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
#[utoipa::path(post, path = "/v1/conversations", tag = "conversations",
    operation_id = "start_conversation", request_body = StartRequest,
    params(("Accept-Language" = Option<String>, Header, nullable = false,
        description = "Used when the body names no `locale`.")),
    responses(
        (status = 201, description = "Started (or, for a retried `client_message_id`, the conversation the first start began, marked `Idempotent-Replayed: true`).", body = ReplyDto,
            headers(("Location" = String, description = "The conversation's URL."),
                ("Idempotent-Replayed" = String, description = "`true` when this answers a retried `client_message_id`."))),
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
    let message = super::dto::checked_message_id(body.client_message_id.as_deref())
        .map_err(ApiError::InvalidRequest)?;
    let claimed = match message {
        Some(message) => {
            let client = app
                .proxies
                .client(request.peer_addr().map(|peer| peer.ip()), request.headers());
            let digest = retried_start::digest(&(
                &advisor.id,
                &opening.locale,
                &opening.name,
                &opening.context,
                opening.opt_out,
            ));
            match retried_start::claim(&app, client, message, &digest, &id).await? {
                retried_start::Start::Again { conversation } => {
                    let sent = current_json(&app, &conversation).await?;
                    tracing::info!(conversation = %conversation.tag(), "retried start answered again");
                    let mut created = HttpResponse::Created();
                    created.insert_header((LOCATION, format!("/v1/conversations/{conversation}")));
                    created.insert_header((REPLAYED, "true"));
                    return Ok(json(created, sent));
                }
                retried_start::Start::First { key } => Some(key),
            }
        }
        None => None,
    };
    let sent = match begin(&app, &metrics, &shop, advisor, opening, &id).await {
        Ok(sent) => sent,
        Err(error) => {
            if let Some(key) = claimed {
                retried_start::forget(&app, &key).await;
            }
            return Err(error);
        }
    };
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
    operation_id = "post_turn", request_body = TurnRequest, params(("id" = String, Path, description = "The conversation id.")),
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

/// A stored conversation on the version of the editor files it is served on: its own while
/// it is kept; else the current one, to which `dialogue::migrate` carried it (its notices, which
/// say what no longer exists, go first in the next reply).
pub(super) struct Served {
    pub shop: Arc<Shop>,
    pub state: State,
    pub notices: Vec<dialogue::Notice>,
    /// The conversation was carried to another version (and so is saved with the next input).
    pub moved: bool,
}

pub(super) fn served(
    app: &AppState,
    id: &ConversationId,
    state: State,
) -> Result<Served, ApiError> {
    let pinned = app.shops.pinned(&state.shop_version);
    if !pinned.moved {
        return Ok(Served {
            shop: pinned.shop,
            state,
            notices: Vec::new(),
            moved: false,
        });
    }
    let shop = pinned.shop;
    let advisor = advisor_of(&shop, &state)?;
    let outcome = dialogue::migrate(advisor, &shop.catalog, &state, &shop.version)?;
    tracing::info!(
        conversation = %id.tag(),
        from = %state.shop_version,
        to = %shop.version,
        notices = outcome.notices.len(),
        "conversation moved to the current version of the editor files"
    );
    Ok(Served {
        shop,
        state: outcome.state,
        notices: outcome.notices,
        moved: true,
    })
}

/// The stored conversation's reply as JSON, as `GET /v1/conversations/{id}` shows it.
pub(super) async fn current_json(app: &AppState, id: &ConversationId) -> Result<String, ApiError> {
    let state = app.store.load(id).await?;
    let served = served(app, id, state)?;
    let advisor = advisor_of(&served.shop, &served.state)?;
    serialize(&current_reply(
        &served.shop,
        advisor,
        id,
        served.state,
        served.notices,
    )?)
}

/// The reply for a stored state, as `GET /v1/conversations/{id}` shows it: its last reply
/// again (what the last input did, `State::said`, and where the conversation is), after the
/// notices given (a move to another version of the files).
pub(super) fn current_reply(
    shop: &Shop,
    advisor: &Advisor,
    id: &ConversationId,
    state: State,
    notices: Vec<dialogue::Notice>,
) -> Result<ReplyDto, ApiError> {
    let outcome = perf::time(Phase::Dialogue, || {
        dialogue::current(advisor, &shop.catalog, state, notices)
    })
    .map_err(|e| ApiError::Internal(e.into()))?;
    reply(shop, advisor, id, &outcome)
}

/// The conversation's current reply again.
#[utoipa::path(get, path = "/v1/conversations/{id}", tag = "conversations",
    operation_id = "get_conversation",
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
    operation_id = "delete_conversation",
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
        tracing::info!(conversation = %id.tag(), "conversation deleted");
        Ok(HttpResponse::NoContent().finish())
    } else {
        Err(ApiError::ConversationNotFound)
    }
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/livez", tag = "operations", operation_id = "get_liveness", responses(
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

/// `405` with `Allow`: the methods the route table has for this path.
pub async fn method_not_allowed(request: actix_web::HttpRequest) -> HttpResponse {
    let mut response = actix_web::ResponseError::error_response(&ApiError::MethodNotAllowed);
    let pattern = request.match_pattern().unwrap_or_default();
    let allowed: Vec<&str> = super::route_list()
        .iter()
        .filter(|(_, path)| *path == pattern)
        .map(|(method, _)| *method)
        .collect();
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&allowed.join(", ")) {
        response
            .headers_mut()
            .insert(actix_web::http::header::ALLOW, value);
    }
    response
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

pub(super) fn advisor_of<'a>(shop: &'a Shop, state: &State) -> Result<&'a Advisor, ApiError> {
    shop.advisor(state.advisor.as_str())
        .ok_or(ApiError::AdvisorGone)
}
