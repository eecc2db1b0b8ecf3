//! Serves the API description (`GET /openapi.json`) and Swagger UI on it (`GET /docs`), from
//! files vendored in `web/swagger/` and compiled in: nothing is fetched at build or run time, and
//! the page loads only same-origin assets. It must not serve anything else.

use actix_web::http::header::{CACHE_CONTROL, CONTENT_SECURITY_POLICY};
use actix_web::{HttpResponse, web};

use super::error::ApiError;

/// What Swagger UI needs: its own script and styles (it sets inline styles), `data:` images and
/// requests to this server. The API's own policy allows nothing.
pub const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                          img-src 'self' data:; connect-src 'self'; base-uri 'none'; \
                          form-action 'none'; frame-ancestors 'none'";

/// The files below `/docs/`: name, content type, bytes.
const ASSETS: [(&str, &str, &[u8]); 3] = [
    (
        "swagger-ui-bundle.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../web/swagger/swagger-ui-bundle.js"),
    ),
    (
        "swagger-ui.css",
        "text/css; charset=utf-8",
        include_bytes!("../../web/swagger/swagger-ui.css"),
    ),
    (
        "swagger-initializer.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../web/swagger/swagger-initializer.js"),
    ),
];

/// The routes of the description and Swagger UI, for the route table in `http/mod.rs`.
pub fn routes(config: &mut web::ServiceConfig) {
    let other = || web::route().to(super::routes::method_not_allowed);
    config
        .service(
            web::resource("/openapi.json")
                .route(web::get().to(openapi_json))
                .default_service(other()),
        )
        .service(
            web::resource("/docs")
                .route(web::get().to(page))
                .default_service(other()),
        )
        .service(
            web::resource("/docs/{asset}")
                .route(web::get().to(asset))
                .default_service(other()),
        );
}

/// The names in `ASSETS`, for the description of `/docs/{asset}`.
#[derive(utoipa::ToSchema)]
#[expect(dead_code, reason = "describes the path, never built")]
pub(super) enum AssetName {
    #[schema(rename = "swagger-ui-bundle.js")]
    Bundle,
    #[schema(rename = "swagger-ui.css")]
    Styles,
    #[schema(rename = "swagger-initializer.js")]
    Initializer,
}

/// The API description, OpenAPI 3.1.
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "documentation",
    operation_id = "get_openapi",
    responses((status = 200, description = "The OpenAPI document.", body = Object))
)]
pub async fn openapi_json() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(super::openapi::json())
}

/// Swagger UI on `/openapi.json`.
#[utoipa::path(
    get,
    path = "/docs",
    tag = "documentation",
    operation_id = "get_docs_page",
    responses((status = 200, description = "The Swagger UI page.", body = String, content_type = "text/html"))
)]
pub async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((CONTENT_SECURITY_POLICY, POLICY))
        .body(&include_bytes!("../../web/swagger/index.html")[..])
}

/// The script and styles of the Swagger UI page.
#[utoipa::path(
    get,
    path = "/docs/{asset}",
    tag = "documentation",
    operation_id = "get_docs_asset",
    params(("asset" = AssetName, Path, description = "One of the page's files.")),
    responses(
        (status = 200, description = "The file.",
            content((String = "text/javascript"), (String = "text/css"))),
        (status = 404, response = super::openapi::NotFound),
    )
)]
pub async fn asset(name: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let (_, content_type, bytes) = ASSETS
        .iter()
        .find(|(file, ..)| *file == name.as_str())
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(*content_type)
        .insert_header((CONTENT_SECURITY_POLICY, POLICY))
        .insert_header((CACHE_CONTROL, "public, max-age=3600"))
        .body(*bytes))
}
