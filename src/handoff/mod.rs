//! Handing a conversation to a person: the webhook that tells the shop's team, with what the
//! customer said so far. The dialogue decides *when* a conversation is handed off
//! (`dialogue/handoff.rs`) and `render/` what the customer reads; this module only builds the
//! payload (`payload.rs`, pure) and delivers it in the background (`webhook.rs`). It never
//! blocks or fails a reply, and it logs conversation ids, never what the customer said.

mod payload;
mod webhook;

use std::sync::Arc;

pub use payload::{Line, Payload, transcript};
pub use webhook::{
    DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, Webhook, WebhookError, backoff, signature,
};

use crate::catalog::Catalog;
use crate::dialogue::Outcome;
use crate::ids::ConversationId;
use crate::questions::Advisor;
use crate::settings::HandoffSettings;

/// The handoff sender the HTTP handlers share.
#[derive(Debug)]
pub struct Handoffs {
    webhook: Option<Arc<Webhook>>,
    /// The runtime deliveries run on (the server's), whatever worker handled the turn.
    runtime: tokio::runtime::Handle,
}

impl Handoffs {
    /// The sender for these settings. Must be called inside a tokio runtime.
    pub fn new(settings: &HandoffSettings) -> Result<Self, WebhookError> {
        Ok(Self {
            webhook: Webhook::new(settings)?.map(Arc::new),
            runtime: tokio::runtime::Handle::current(),
        })
    }

    /// Sends the handoff of this outcome to the webhook, if one is configured, in the
    /// background. Returns at once.
    pub fn handed_off(
        &self,
        advisor: &Advisor,
        catalog: &Catalog,
        id: &ConversationId,
        outcome: &Outcome,
    ) {
        let Some(webhook) = &self.webhook else {
            return;
        };
        let payload = Payload::new(advisor, catalog, id, &outcome.state, &outcome.evaluation);
        let body = match serde_json::to_vec(&payload) {
            Ok(body) => body,
            Err(error) => {
                tracing::error!(conversation = %id.tag(), %error, "handoff payload not serialised");
                return;
            }
        };
        let delivery = format!("{id}-{}", outcome.state.turn);
        let webhook = Arc::clone(webhook);
        let id = id.clone();
        self.runtime.spawn(async move {
            webhook.deliver(&id, &delivery, body).await;
        });
    }
}
