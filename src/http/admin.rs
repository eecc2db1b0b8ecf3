//! The operators' endpoints: `GET /admin/status` (served version, older versions still in use,
//! the last reload with its problems) and `POST /admin/reload`. Guarded by the bearer token of
//! `admin.token`, or, without one, open to this machine only.

use actix_web::http::header::AUTHORIZATION;
use actix_web::{HttpRequest, HttpResponse, web};

use super::error::ApiError;
use super::routes::AppState;
use crate::shop::{ReloadOutcome, Trigger};

/// The served version, older versions still in use and the last reload.
#[utoipa::path(get, path = "/admin/status", tag = "operations", operation_id = "get_admin_status",
    security(("admin_token" = []), ()),
    responses(
    (status = 200, description = "The status.", body = Object),
    (status = 401, response = super::openapi::Unauthorized),
    (status = 403, response = super::openapi::Forbidden),
))]
pub async fn status(
    app: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    authorize(&app, &request)?;
    Ok(HttpResponse::Ok().json(app.shops.status()))
}

/// Reloads now and answers when done: 200 with the report when applied or unchanged, 422 with
/// every problem when the files have errors (the running version keeps serving).
#[utoipa::path(post, path = "/admin/reload", tag = "operations", operation_id = "reload_files",
    security(("admin_token" = []), ()),
    responses(
    (status = 200, description = "The reload report (`applied` or `unchanged`).", body = Object),
    (status = 401, response = super::openapi::Unauthorized),
    (status = 403, response = super::openapi::Forbidden),
    (status = 422, response = super::openapi::Unprocessable),
))]
pub async fn reload(
    app: web::Data<AppState>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    authorize(&app, &request)?;
    let report = app.shops.reload(Trigger::Admin).await;
    match report.result {
        ReloadOutcome::Rejected => Err(ApiError::ReloadRejected(report.problems)),
        ReloadOutcome::Applied | ReloadOutcome::Unchanged => Ok(HttpResponse::Ok().json(report)),
    }
}

/// The admin check, shared with `/metrics`: the bearer token when one is set, else loopback only.
pub(super) fn authorize(app: &AppState, request: &HttpRequest) -> Result<(), ApiError> {
    if app.admin_token.is_empty() {
        // The real client, not a proxy on this machine in front of it.
        let peer = request.peer_addr().map(|peer| peer.ip());
        let local = app
            .proxies
            .client(peer, request.headers())
            .is_some_and(|client| client.is_loopback());
        return if local {
            Ok(())
        } else {
            Err(ApiError::Forbidden)
        };
    }
    let sent = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            // The scheme is case-insensitive (RFC 9110): "bearer" is "Bearer".
            let (scheme, token) = value.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
        })
        .unwrap_or_default();
    if same(sent.as_bytes(), app.admin_token.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::Unauthorized)
    }
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0_u8, |diff, (x, y)| diff | (x ^ y)) == 0
}
