//! One input applied to a stored conversation, for the turn route and the other channels: the
//! retry and ordering checks, the dialogue step with the client's context, saving with the turn
//! check, the handoff, metrics and the analytics event. It renders through `routes::reply`.

use super::TurnResult;
use super::dto::TurnRequest;
use super::error::ApiError;
use super::routes::{AppState, Served, advisor_of, current_reply, reply, serialize, served};
use crate::dialogue::{self, State};
use crate::ids::ConversationId;
use crate::perf::{self, Phase};
use crate::questions::Advisor;
use crate::session::StoreError;
use crate::shop::Shop;

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
    let message = body
        .message_id()
        .map_err(ApiError::InvalidRequest)?
        .map(str::to_string);
    let message = message.as_deref();
    let max_values = app.limits.max_answer_values;
    if body.value_count() > max_values {
        return Err(ApiError::InvalidRequest(format!(
            "an input carries at most {max_values} values"
        )));
    }
    perf::request();
    let started = perf::now();
    let stored = app.store.load(id).await?;
    perf::since(Phase::SessionLoad, started);
    let Served {
        shop,
        state,
        notices: moved_notices,
        moved,
    } = served(app, id, stored)?;
    let advisor = advisor_of(&shop, &state)?;
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
    let digest = digest(&input, context.as_ref());
    if let Some(message) = message
        && state.delivered.contains(message)
    {
        return replay_or_refuse(metrics, &shop, advisor, id, &state, message, &digest);
    }
    if let Some(expected) = body
        .expected_turn
        .filter(|expected| *expected != state.turn)
    {
        metrics.turn(advisor, TurnResult::Conflict);
        return Err(conflict(&shop, advisor, id, &state, expected));
    }
    let message = message.map(str::to_string);
    let mut outcome = perf::time(Phase::Dialogue, || {
        dialogue::respond(
            advisor,
            &shop.catalog,
            &state,
            input.clone(),
            context.as_ref(),
        )
    })
    .map_err(|error| refused(error.into()))?;
    if !moved_notices.is_empty() {
        outcome.notices.splice(0..0, moved_notices);
    }
    outcome.state.completed |= outcome.evaluation.is_complete();
    let sent = serialize(&reply(&shop, advisor, id, &outcome)?)?;
    // An input that changes nothing (text that was not understood) is not stored: applying it
    // again changes nothing either.
    if moved || outcome.state != state {
        outcome.state.said.clone_from(&outcome.notices);
        if let Some(message) = &message {
            outcome
                .state
                .delivered
                .record(message.clone(), digest.clone());
        }
        let started = perf::now();
        let saved = app.store.save(id, &outcome.state, state.turn).await;
        perf::since(Phase::SessionSave, started);
        if let Err(StoreError::Conflict { .. }) = saved {
            // Another turn won: this very message (a retry racing its original), or another.
            let now = served(app, id, app.store.load(id).await?)?;
            let (shop, now) = (now.shop, now.state);
            let advisor = advisor_of(&shop, &now)?;
            if let Some(message) = message.as_deref()
                && now.delivered.contains(message)
            {
                return replay_or_refuse(metrics, &shop, advisor, id, &now, message, &digest);
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
            tracing::info!(conversation = %id.tag(), "conversation handed off");
        }
    }
    super::events::turned(
        &app.recorder,
        &shop.catalog,
        id,
        advisor,
        &state,
        &input,
        &outcome,
    );
    metrics.turn(advisor, TurnResult::Applied);
    tracing::info!(conversation = %id.tag(), turn = outcome.state.turn, completed = outcome.evaluation.is_complete(), "turn");
    Ok(Sent {
        body: sent,
        replayed: false,
    })
}

/// A digest of an input (and the context sent with it): what a `client_message_id` was used
/// for, so that the id coming back with another input is recognised.
fn digest(input: &dialogue::Input, context: Option<&dialogue::Context>) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(format!("{input:?}|{context:?}").as_bytes());
    crate::ids::lower_hex(&hash[..8])
}

/// A message id already applied: the same input is answered again; another input with it is
/// refused (`422 idempotency_key_reused`), and nothing is applied.
fn replay_or_refuse(
    metrics: &super::Metrics,
    shop: &Shop,
    advisor: &Advisor,
    id: &ConversationId,
    state: &State,
    message: &str,
    digest: &str,
) -> Result<Sent, ApiError> {
    if state.delivered.reused(message, digest) {
        metrics.turn(advisor, TurnResult::Refused);
        return Err(ApiError::IdempotencyKeyReused);
    }
    metrics.turn(advisor, TurnResult::Replayed);
    replayed(shop, advisor, id, state, message)
}

/// The answer to a message already applied: the conversation's last reply again, which is the
/// very reply sent for it when it was the last one applied (else the conversation as it is now).
/// Marked with `Idempotent-Replayed: true`.
fn replayed(
    shop: &Shop,
    advisor: &Advisor,
    id: &ConversationId,
    state: &State,
    message: &str,
) -> Result<Sent, ApiError> {
    let body = match state.delivered.kept_reply_to(message) {
        Some(sent) => sent.to_string(),
        None => serialize(&current_reply(
            shop,
            advisor,
            id,
            state.clone(),
            Vec::new(),
        )?)?,
    };
    tracing::info!(conversation = %id.tag(), turn = state.turn, "retried message answered again");
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
        reply: current_reply(shop, advisor, id, state.clone(), Vec::new())
            .ok()
            .map(Box::new),
    }
}
