//! What a request's log line says: the method, the route *pattern* (never the path, which holds
//! the conversation id, the key that opens a conversation), the status and the request id. The
//! client's address and user agent only when the operator turns them on (`log.client_details`).
//! Conversations are named in logs by a short tag (`ConversationId::tag`), never by their id.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::{Error, HttpMessage, web};
use tracing::Span;
use tracing_actix_web::{DefaultRootSpanBuilder, RequestId, RootSpanBuilder};

use super::routes::AppState;

/// Whether request lines carry the client's address and user agent.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClientDetails(pub bool);

/// The root span of every request (see the module comment).
pub struct RequestSpan;

impl RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &ServiceRequest) -> Span {
        let route = request
            .match_pattern()
            .unwrap_or_else(|| "unmatched".to_string());
        let request_id = request.extensions().get::<RequestId>().copied();
        let request_id = request_id.map(|id| id.to_string()).unwrap_or_default();
        let span = tracing::info_span!(
            "HTTP request",
            http.method = %request.method(),
            http.route = %route,
            http.client_ip = tracing::field::Empty,
            http.user_agent = tracing::field::Empty,
            http.status_code = tracing::field::Empty,
            otel.status_code = tracing::field::Empty,
            exception.message = tracing::field::Empty,
            exception.details = tracing::field::Empty,
            request_id = %request_id,
        );
        let details = request
            .app_data::<web::Data<ClientDetails>>()
            .is_some_and(|details| details.0);
        if details {
            let peer = request.peer_addr().map(|peer| peer.ip());
            let client = request
                .app_data::<web::Data<AppState>>()
                .and_then(|app| app.proxies.client(peer, request.headers()))
                .or(peer)
                .map(|ip| ip.to_string())
                .unwrap_or_default();
            let agent = request
                .headers()
                .get(actix_web::http::header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            span.record("http.client_ip", client.as_str());
            span.record("http.user_agent", agent);
        }
        span
    }

    fn on_request_end<B: MessageBody>(span: Span, outcome: &Result<ServiceResponse<B>, Error>) {
        DefaultRootSpanBuilder::on_request_end(span, outcome);
    }
}
