//! Starts a client may send again (a flaky mobile network): a start carrying a
//! `client_message_id` is remembered in the store's side records, under a key made of the
//! client's address and that id, with the conversation it started and a digest of the request.
//! A retry gets that conversation back instead of a second one; the same id with another body is
//! refused. The key is a hash: neither the id nor the address is stored as sent.

use std::net::IpAddr;
use std::time::Duration;

use super::error::ApiError;
use super::routes::AppState;
use crate::ids::ConversationId;
use crate::session::StoreError;

/// How long a retry of a start finds the first one (as payment APIs keep idempotency keys).
const KEEP: Duration = Duration::from_secs(24 * 3600);

/// What the start's key says.
pub(super) enum Start {
    /// The first start with this key: it is remembered for `id`, which the caller starts now
    /// (and [`forget`]s if the start fails).
    First { key: String },
    /// A start with this key and this body started `conversation` before.
    Again { conversation: ConversationId },
}

/// Remembers the start `id` under the client's key, or finds the one remembered.
pub(super) async fn claim(
    app: &AppState,
    client: Option<IpAddr>,
    message: &str,
    digest: &str,
    id: &ConversationId,
) -> Result<Start, ApiError> {
    let key = record_key(client, message);
    let value = format!("{id} {digest}");
    let Some(known) = app.store.put_new(&key, value.as_bytes(), KEEP).await? else {
        return Ok(Start::First { key });
    };
    let known = String::from_utf8_lossy(&known);
    let (conversation, known_digest) = known.split_once(' ').unwrap_or((&known, ""));
    if known_digest != digest {
        return Err(ApiError::IdempotencyKeyReused);
    }
    let Ok(conversation) = ConversationId::parse(conversation) else {
        return Err(ApiError::Internal(anyhow::anyhow!(
            "a remembered start names no conversation"
        )));
    };
    // The first start may still be storing its conversation (a retry racing it).
    for _ in 0..40 {
        match app.store.load(&conversation).await {
            Ok(_) => return Ok(Start::Again { conversation }),
            Err(StoreError::NotFound) => tokio::time::sleep(Duration::from_millis(50)).await,
            Err(error) => return Err(error.into()),
        }
    }
    // The conversation it started is gone (deleted, expired, or its start failed): this start
    // is the first again.
    app.store.put(&key, value.as_bytes(), KEEP).await?;
    Ok(Start::First { key })
}

/// Forgets the key of a start that failed, so that a retry can start afresh.
pub(super) async fn forget(app: &AppState, key: &str) {
    if let Err(error) = app.store.remove(key).await {
        tracing::warn!(%error, "a failed start's key stays until it expires");
    }
}

/// The side record's key: a hash of the client's address and the message id.
fn record_key(client: Option<IpAddr>, message: &str) -> String {
    use sha2::{Digest, Sha256};
    let client = client
        .map(|address| address.to_string())
        .unwrap_or_default();
    let hash = Sha256::digest(format!("{client}|{message}").as_bytes());
    format!("start:{}", crate::ids::lower_hex(&hash[..16]))
}

/// A digest of what a start asks for, so that the id coming back with another body is
/// recognised.
pub(super) fn digest(parts: &impl std::fmt::Debug) -> String {
    use sha2::{Digest, Sha256};
    let hash = Sha256::digest(format!("{parts:?}").as_bytes());
    crate::ids::lower_hex(&hash[..8])
}
