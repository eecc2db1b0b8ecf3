//! How a conversation opens, for every channel: the A/B version it gets, the client's context
//! applied before the first reply, the opt-out, storing it, counting it and its analytics event.

use actix_web::HttpRequest;

use super::error::ApiError;
use super::routes::{AppState, reply, serialize};
use crate::dialogue;
use crate::ids::ConversationId;
use crate::perf::{self, Phase};
use crate::questions::Advisor;
use crate::shop::Shop;

/// How a conversation opens: language, the customer's name and situation if sent, opt-out.
pub(super) struct Opening {
    pub locale: crate::ids::Locale,
    pub name: Option<String>,
    pub context: Option<dialogue::Context>,
    pub opt_out: bool,
}

/// The client asked not to be tracked (`Sec-GPC: 1` or `DNT: 1`).
pub(super) fn opted_out(request: &HttpRequest) -> bool {
    ["sec-gpc", "dnt"].iter().any(|name| {
        request
            .headers()
            .get(*name)
            .is_some_and(|value| value.as_bytes() == b"1")
    })
}

/// Starts and stores a conversation under `id`: the start route, and other channels. An
/// advisor in an A/B test is replaced by its version `b` for that share of ids.
pub(super) async fn begin(
    app: &AppState,
    metrics: &super::Metrics,
    shop: &Shop,
    advisor: &Advisor,
    opening: Opening,
    id: &ConversationId,
) -> Result<String, ApiError> {
    let (advisor, variant) = match crate::questions::variant_of(&shop.advisors, &advisor.id) {
        Some((b, share)) if crate::questions::experiment_group(id.as_str(), share) == "b" => {
            (b, Some("b"))
        }
        Some(_) => (advisor, Some("a")),
        None => (advisor, None),
    };
    let mut outcome = perf::time(Phase::Dialogue, || {
        dialogue::open(
            advisor,
            &shop.catalog,
            opening.locale,
            opening.name,
            opening.context.as_ref(),
        )
    })
    .map_err(|e| ApiError::Internal(e.into()))?;
    outcome.state.variant = variant.map(str::to_string);
    outcome.state.opt_out = opening.opt_out;
    outcome.state.shop_version.clone_from(&shop.version);
    outcome.state.completed = outcome.evaluation.is_complete();
    outcome.state.said.clone_from(&outcome.notices);
    let started = perf::now();
    app.store.create(id, &outcome.state).await?;
    perf::since(Phase::SessionSave, started);
    metrics.conversation_started(advisor);
    if outcome.state.completed {
        metrics.conversation_completed(advisor);
    }
    let replied = reply(shop, advisor, id, &outcome)?;
    super::events::started(&app.recorder, &shop.catalog, id, advisor, &outcome);
    tracing::info!(conversation = %id.tag(), advisor = %advisor.id, "conversation started");
    serialize(&replied)
}
