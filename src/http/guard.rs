//! What stands in front of every route: security headers, CORS for the allow-listed web
//! origins, and rate limits per client address (GCRA, `governor`): requests, and new
//! conversations, each answering `429` with `Retry-After`. Health checks and `/metrics` are
//! never limited, so a load balancer or a scraper always gets its answer.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_cors::Cors;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{Error, ResponseError, web};
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::client::TrustedProxies;
use super::error::ApiError;
use crate::settings::LimitSettings;

/// Requests per client address.
pub type Limiter = DefaultKeyedRateLimiter<IpAddr>;

/// What the rate limits need at request time.
pub struct RateLimit {
    /// Requests of any kind.
    requests: Option<Limiter>,
    /// New conversations (`POST /v1/conversations`).
    conversations: Option<Limiter>,
    proxies: TrustedProxies,
}

/// The rate limits of the settings, or `None` when both are 0 (off).
pub fn rate_limit(settings: &LimitSettings, proxies: TrustedProxies) -> Option<Arc<RateLimit>> {
    let requests = NonZeroU32::new(settings.requests_per_second).map(|per_second| {
        let burst = NonZeroU32::new(settings.burst).unwrap_or(per_second);
        RateLimiter::dashmap(Quota::per_second(per_second).allow_burst(burst))
    });
    let conversations = NonZeroU32::new(settings.conversations_per_hour).map(|per_hour| {
        let burst = NonZeroU32::new(settings.conversations_burst).unwrap_or(per_hour);
        RateLimiter::dashmap(Quota::per_hour(per_hour).allow_burst(burst))
    });
    (requests.is_some() || conversations.is_some()).then(|| {
        Arc::new(RateLimit {
            requests,
            conversations,
            proxies,
        })
    })
}

impl RateLimit {
    /// Forgets addresses whose quota is full again, so the tables do not grow without bound.
    pub fn forget_idle(&self) {
        for limiter in [&self.requests, &self.conversations].into_iter().flatten() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// The error for a request over one of its client's quotas.
    fn refuse(&self, request: &ServiceRequest) -> Option<ApiError> {
        let peer = request.peer_addr().map(|peer| peer.ip());
        let client = self.proxies.client(peer, request.headers())?;
        let retry_after = |not_until: governor::NotUntil<_>| {
            not_until
                .wait_time_from(DefaultClock::default().now())
                .as_secs()
                + 1
        };
        if let Some(requests) = &self.requests
            && let Err(not_until) = requests.check_key(&client)
        {
            return Some(ApiError::RateLimited {
                retry_after: retry_after(not_until),
            });
        }
        let starts = request.method() == Method::POST && request.path() == "/v1/conversations";
        if let (true, Some(conversations)) = (starts, &self.conversations)
            && let Err(not_until) = conversations.check_key(&client)
        {
            return Some(ApiError::TooManyConversations {
                retry_after: retry_after(not_until),
            });
        }
        None
    }
}

/// Headers every answer carries: the API serves JSON only, never to be framed, sniffed or cached.
pub fn security_headers() -> DefaultHeaders {
    DefaultHeaders::new()
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "no-referrer"))
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; frame-ancestors 'none'",
        ))
        .add((header::CACHE_CONTROL, "no-store"))
}

/// CORS for the allow-listed origins; requests from other origins get no CORS headers (the
/// browser then refuses them) rather than an error.
pub fn cors(origins: &[String]) -> Cors {
    origins
        .iter()
        .fold(Cors::default(), |cors, origin| cors.allowed_origin(origin))
        .allowed_methods(["GET", "POST", "DELETE"])
        .allowed_headers([
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::AUTHORIZATION,
        ])
        .expose_headers([
            header::LOCATION,
            header::RETRY_AFTER,
            header::HeaderName::from_static("idempotent-replayed"),
        ])
        .block_on_origin_mismatch(false)
        .max_age(3600)
}

/// Why an allow-listed origin is not usable: an origin is `scheme://host[:port]`, nothing more.
pub fn origin_problem(origin: &str) -> Option<String> {
    let Some((scheme, rest)) = origin.split_once("://") else {
        return Some(format!(
            "`{origin}` is not an origin such as `https://shop.example`"
        ));
    };
    if !matches!(scheme, "http" | "https") {
        return Some(format!("`{origin}`: the scheme must be http or https"));
    }
    if rest.is_empty() || rest.contains(['/', '*', '?', '#', ' ']) {
        return Some(format!(
            "`{origin}`: an origin has no path, wildcard or query (e.g. `https://shop.example`)"
        ));
    }
    None
}

/// The middleware: counts the request against its client's quota, or answers 429.
pub async fn limit(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let health = matches!(request.path(), "/livez" | "/readyz" | "/metrics");
    let limit = request.app_data::<web::Data<RateLimit>>().cloned();
    if let (false, Some(limit)) = (health, limit)
        && let Some(error) = limit.refuse(&request)
    {
        return Ok(request
            .into_response(error.error_response())
            .map_into_right_body());
    }
    next.call(request)
        .await
        .map(ServiceResponse::map_into_left_body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_scheme_host_and_port_only() {
        assert_eq!(origin_problem("https://shop.example"), None);
        assert_eq!(origin_problem("http://localhost:3000"), None);
        assert!(origin_problem("*").is_some());
        assert!(origin_problem("https://shop.example/").is_some());
        assert!(origin_problem("ftp://shop.example").is_some());
        assert!(origin_problem("shop.example").is_some());
    }
}
