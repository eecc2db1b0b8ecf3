//! The embeddable chat widget (`/widget.js`, `/widget.css`) and the demo shop page (`/`, with
//! `/demo.js` and `/demo.css`), compiled into the binary from `web/`, so `advisor serve` shows
//! the product working with nothing else installed. Static files only: the page lists the
//! advisors from `GET /v1/advisors` at runtime, so nothing here knows a shop or an advisor.
//!
//! The API's security headers (`guard::security_headers`) forbid everything; these answers set
//! their own `Content-Security-Policy` and `Cache-Control`, which `DefaultHeaders` leaves alone.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

/// What the demo page may load: its own scripts, styles and API, and product images from any
/// https host (the shipped catalogue's images are on a public host).
pub const PAGE_POLICY: &str = "default-src 'self'; img-src 'self' https: data:; \
     style-src 'self'; script-src 'self'; connect-src 'self'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// The page is checked again on every visit (its ETag makes that cheap); the widget's files may
/// be used for five minutes, so an embedding shop's visitors pick up a new version soon.
const PAGE_CACHE: &str = "no-cache";
const ASSET_CACHE: &str = "public, max-age=300";

/// One file of `web/`, with what its answer carries.
struct Asset {
    body: &'static str,
    content_type: &'static str,
    cache: &'static str,
    /// A fingerprint of `body`, computed at compile time.
    hash: u64,
}

impl Asset {
    const fn new(body: &'static str, content_type: &'static str, cache: &'static str) -> Self {
        Self {
            body,
            content_type,
            cache,
            hash: fnv1a(body.as_bytes()),
        }
    }
}

static DEMO_HTML: Asset = Asset::new(
    include_str!("../../web/demo.html"),
    "text/html; charset=utf-8",
    PAGE_CACHE,
);
static DEMO_JS: Asset = Asset::new(
    include_str!("../../web/demo.js"),
    "text/javascript; charset=utf-8",
    PAGE_CACHE,
);
static DEMO_CSS: Asset = Asset::new(
    include_str!("../../web/demo.css"),
    "text/css; charset=utf-8",
    PAGE_CACHE,
);
static WIDGET_JS: Asset = Asset::new(
    include_str!("../../web/widget.js"),
    "text/javascript; charset=utf-8",
    ASSET_CACHE,
);
static WIDGET_CSS: Asset = Asset::new(
    include_str!("../../web/widget.css"),
    "text/css; charset=utf-8",
    ASSET_CACHE,
);

/// The routes of the page and the widget, for the route table in `http/mod.rs`. Other methods
/// get the API's `405 method_not_allowed`.
pub fn routes(config: &mut web::ServiceConfig) {
    let files: [(&str, &'static Asset); 5] = [
        ("/", &DEMO_HTML),
        ("/demo.js", &DEMO_JS),
        ("/demo.css", &DEMO_CSS),
        ("/widget.js", &WIDGET_JS),
        ("/widget.css", &WIDGET_CSS),
    ];
    for (path, asset) in files {
        config.service(
            web::resource(path)
                .route(
                    web::get()
                        .to(move |request: HttpRequest| async move { serve(&request, asset) }),
                )
                .default_service(web::route().to(super::routes::method_not_allowed)),
        );
    }
}

/// The file, or `304 Not Modified` when the client already has this version.
fn serve(request: &HttpRequest, asset: &Asset) -> HttpResponse {
    let etag = format!("\"{:016x}\"", asset.hash);
    let not_modified = matches(request, &etag);
    let mut response = if not_modified {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::ETAG, etag.as_str()))
        .insert_header((header::CACHE_CONTROL, asset.cache))
        .insert_header((header::CONTENT_SECURITY_POLICY, PAGE_POLICY));
    if not_modified {
        return response.finish();
    }
    response
        .insert_header((header::CONTENT_TYPE, asset.content_type))
        .body(asset.body)
}

/// Whether `If-None-Match` names this version (weak comparison, as RFC 9110 asks for it).
fn matches(request: &HttpRequest, etag: &str) -> bool {
    request
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim())
        .any(|tag| tag == "*" || tag.trim_start_matches("W/") == etag)
}

/// FNV-1a, 64 bits: a stable fingerprint of a file's bytes, at compile time.
const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        hash ^= bytes[i] as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_changes_with_the_file() {
        assert_ne!(fnv1a(b"widget v1"), fnv1a(b"widget v2"));
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
    }
}
