//! The analytics report for operators: `GET /admin/report` (an HTML page with charts, no script)
//! and `GET /admin/report.json` (the same figures as JSON), `?since_days=N&advisor=ID`, guarded
//! like `/admin/*` (bearer `admin.token`, or loopback only without one). The event files are
//! read on the blocking pool.
//!
//! To serve them, `http/mod.rs` needs (not done here):
//! - `mod report;`
//! - the routes `web::resource("/admin/report").route(web::get().to(report::report_page))` and
//!   `web::resource("/admin/report.json").route(web::get().to(report::report_json))`, and both
//!   paths in `route_list()` (and `report::report_page`, `report::report_json` in the OpenAPI
//!   `paths(...)` of `openapi.rs` to keep its test equal);
//! - `web::Data<AnalyticsSettings>` (`settings.analytics`, resolved by `Settings::load`) next
//!   to `web::Data<AppState>`.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::admin::authorize;
use super::error::ApiError;
use super::routes::AppState;
use crate::analytics::{self, AnalyticsSettings, Query, Report};

/// The query of both report routes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportQuery {
    /// Only conversations started in the last this many days.
    since_days: Option<u32>,
    /// Only this advisor.
    advisor: Option<String>,
}

/// The analytics report as a self-contained HTML page with charts.
#[utoipa::path(get, path = "/admin/report", tag = "operations", operation_id = "get_report_page",
    security(("admin_token" = []), ()),
    params(
        ("since_days" = Option<u32>, Query, nullable = false,
            description = "Only conversations started in the last N days."),
        ("advisor" = Option<String>, Query, nullable = false, description = "Only this advisor."),
    ),
    responses(
        (status = 200, description = "The report page.", body = String, content_type = "text/html"),
        (status = 401, response = super::openapi::Unauthorized),
        (status = 403, response = super::openapi::Forbidden),
        (status = 422, response = super::openapi::Unprocessable),
    ))]
pub async fn report_page(
    app: web::Data<AppState>,
    settings: web::Data<AnalyticsSettings>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let report = report(&app, settings, &request).await?;
    // Its own policy, which the API's default headers leave alone: the inline `<style>` only.
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header((CONTENT_SECURITY_POLICY, analytics::CONTENT_SECURITY_POLICY))
        .body(analytics::to_html(&report)))
}

/// The analytics report as JSON (the fields of `advisor report --format json`).
#[utoipa::path(get, path = "/admin/report.json", tag = "operations", operation_id = "get_report_json",
    security(("admin_token" = []), ()),
    params(
        ("since_days" = Option<u32>, Query, nullable = false,
            description = "Only conversations started in the last N days."),
        ("advisor" = Option<String>, Query, nullable = false, description = "Only this advisor."),
    ),
    responses(
        (status = 200, description = "The report.", body = Object),
        (status = 401, response = super::openapi::Unauthorized),
        (status = 403, response = super::openapi::Forbidden),
        (status = 422, response = super::openapi::Unprocessable),
    ))]
pub async fn report_json(
    app: web::Data<AppState>,
    settings: web::Data<AnalyticsSettings>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let report = report(&app, settings, &request).await?;
    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(report))
}

/// Authorizes, parses the query and builds the report off the async workers.
async fn report(
    app: &AppState,
    settings: web::Data<AnalyticsSettings>,
    request: &HttpRequest,
) -> Result<Report, ApiError> {
    authorize(app, request)?;
    let query = web::Query::<ReportQuery>::from_query(request.query_string())
        .map_err(|error| {
            ApiError::InvalidRequest(super::error::without_type_names(&error.to_string()))
        })?
        .into_inner();
    let query = Query {
        since_days: query.since_days,
        advisor: query.advisor,
    };
    let now = analytics::unix_now();
    web::block(move || analytics::produce(&settings, &query, now))
        .await
        .map_err(|error| ApiError::Internal(error.into()))?
        .map_err(|error| match error {
            // The stream's Redis is down: passing, like the conversation store.
            analytics::AnalyticsError::Redis { .. } => {
                tracing::warn!(error = %anyhow::Error::from(error), "the analytics report could not be read");
                ApiError::StoreUnavailable
            }
            error => ApiError::Internal(error.into()),
        })
}
