//! The handlers: each loads what it needs, calls the dialogue, saves, and renders the reply.

use std::sync::Arc;

use actix_web::http::header::{ACCEPT_LANGUAGE, LOCATION};
use actix_web::{HttpRequest, HttpResponse, web};

use super::dto::{AdvisorDto, ReplyDto, StartRequest, TurnRequest};
use super::error::ApiError;
use crate::dialogue::{self, Outcome, State};
use crate::ids::{ConversationId, Locale};
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
}

const MAX_NAME_CHARS: usize = 80;

pub async fn advisors(app: web::Data<AppState>) -> HttpResponse {
    let list: Vec<AdvisorDto> = app
        .shops
        .current()
        .advisors
        .iter()
        .map(AdvisorDto::from_advisor)
        .collect();
    HttpResponse::Ok().json(serde_json::json!({ "advisors": list }))
}

pub async fn start(
    app: web::Data<AppState>,
    request: HttpRequest,
    body: web::Json<StartRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    perf::request();
    let shop = app.shops.current();
    let advisor = shop
        .advisor(&body.advisor)
        .ok_or_else(|| ApiError::AdvisorNotFound(body.advisor.chars().take(64).collect()))?;
    let locale = choose_locale(advisor, body.locale.as_deref(), &request)?;
    let name = customer_name(body.customer.and_then(|c| c.name))?;
    let mut outcome = perf::time(Phase::Dialogue, || {
        dialogue::start(advisor, &shop.catalog, locale, name)
    })
    .map_err(|e| ApiError::Internal(e.into()))?;
    outcome.state.shop_version.clone_from(&shop.version);
    let id = ConversationId::generate();
    let started = perf::now();
    app.store.create(&id, &outcome.state).await?;
    perf::since(Phase::SessionSave, started);
    tracing::info!(conversation = %id, advisor = %advisor.id, "conversation started");
    let reply = reply(&shop, advisor, &id, &outcome)?;
    let mut created = HttpResponse::Created();
    created.insert_header((LOCATION, format!("/v1/conversations/{id}")));
    respond(created, &reply)
}

/// The reply as JSON (timed as serialization).
fn respond(
    mut builder: actix_web::HttpResponseBuilder,
    reply: &ReplyDto,
) -> Result<HttpResponse, ApiError> {
    let body = perf::time(Phase::Serialize, || serde_json::to_vec(reply))
        .map_err(|e| ApiError::Internal(e.into()))?;
    Ok(builder.content_type("application/json").body(body))
}

pub async fn turn(
    app: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Json<TurnRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = conversation_id(&path)?;
    perf::request();
    let started = perf::now();
    let state = app.store.load(&id).await?;
    perf::since(Phase::SessionLoad, started);
    let shop = app.shops.pinned(&state.shop_version);
    let advisor = advisor_of(&shop, &state)?;
    let body = body.into_inner();
    if let Some(expected) = body
        .expected_turn
        .filter(|expected| *expected != state.turn)
    {
        return Err(ApiError::TurnConflict {
            expected,
            current: state.turn,
        });
    }
    let input = body.input.into_input().map_err(ApiError::InvalidRequest)?;
    let outcome = perf::time(Phase::Dialogue, || {
        dialogue::step(advisor, &shop.catalog, &state, input)
    })?;
    let started = perf::now();
    if outcome.state != state {
        app.store
            .save(&id, &outcome.state, state.turn)
            .await
            .map_err(|error| match error {
                StoreError::Conflict { current } => ApiError::TurnConflict {
                    expected: state.turn,
                    current,
                },
                other => other.into(),
            })?;
    }
    perf::since(Phase::SessionSave, started);
    tracing::info!(conversation = %id, turn = outcome.state.turn, completed = outcome.evaluation.is_complete(), "turn");
    respond(HttpResponse::Ok(), &reply(&shop, advisor, &id, &outcome)?)
}

pub async fn current(
    app: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = conversation_id(&path)?;
    let state = app.store.load(&id).await?;
    let shop = app.shops.pinned(&state.shop_version);
    let advisor = advisor_of(&shop, &state)?;
    let evaluation = dialogue::evaluate(advisor, &shop.catalog, &state)
        .map_err(|e| ApiError::Internal(e.into()))?;
    let outcome = Outcome {
        state,
        evaluation,
        notices: Vec::new(),
    };
    Ok(HttpResponse::Ok().json(reply(&shop, advisor, &id, &outcome)?))
}

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

fn reply(
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

/// The body's locale if given (it must be supported), else the best of `Accept-Language`, else
/// the advisor's default.
fn choose_locale(
    advisor: &Advisor,
    requested: Option<&str>,
    request: &HttpRequest,
) -> Result<Locale, ApiError> {
    let unsupported = |requested: &str| ApiError::UnsupportedLocale {
        requested: requested.chars().take(35).collect(),
        supported: advisor
            .locales
            .iter()
            .map(|l| format!("`{l}`"))
            .collect::<Vec<_>>()
            .join(", "),
    };
    if let Some(requested) = requested {
        return Locale::parse(requested)
            .ok()
            .filter(|locale| advisor.supports(locale))
            .ok_or_else(|| unsupported(requested));
    }
    let header = request
        .headers()
        .get(ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let mut ranked: Vec<(f32, Locale)> = header
        .split(',')
        .filter_map(|part| {
            let mut pieces = part.split(';');
            let locale = Locale::parse(pieces.next()?.trim()).ok()?;
            let quality = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            Some((quality, locale))
        })
        .filter(|(_, locale)| advisor.supports(locale))
        .collect();
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(ranked
        .into_iter()
        .next()
        .map_or_else(|| advisor.default_locale().clone(), |(_, locale)| locale))
}

fn customer_name(raw: Option<String>) -> Result<Option<String>, ApiError> {
    let Some(raw) = raw else {
        return Ok(None);
    };
    let name = raw.trim();
    if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
        return Err(ApiError::InvalidRequest(format!(
            "`customer.name` must be at most {MAX_NAME_CHARS} characters without control characters"
        )));
    }
    Ok((!name.is_empty()).then(|| name.to_string()))
}
