//! Handing a conversation to a person: the webhook that tells the shop's team, with what the
//! customer said so far. The dialogue decides *when* a conversation is handed off
//! (`dialogue/handoff.rs`) and `render/` what the customer reads; this module only builds the
//! payload (`payload.rs`, pure) and delivers it in the background (`webhook.rs`), through an
//! outbox in the conversation store (`outbox.rs`) so that no handoff is lost to a restart. It
//! never blocks or fails a reply, and it logs conversation tags, never what the customer said.

mod outbox;
mod payload;
mod webhook;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub use payload::{Line, Payload, transcript};
pub use webhook::{
    DELIVERY_HEADER, SIGNATURE_HEADER, TIMESTAMP_HEADER, Webhook, WebhookError, backoff, signature,
};

use crate::catalog::Catalog;
use crate::dialogue::Outcome;
use crate::ids::ConversationId;
use crate::questions::Advisor;
use crate::session::SessionStore;
use crate::settings::HandoffSettings;
use outbox::Entry;

/// The handoff sender the HTTP handlers share.
pub struct Handoffs {
    webhook: Option<Arc<Webhook>>,
    /// Where pending deliveries wait (the conversation store).
    store: Arc<dyn SessionStore>,
    /// The runtime deliveries run on (the server's), whatever worker handled the turn.
    runtime: tokio::runtime::Handle,
    /// Deliveries this process is sending now, by delivery id (their leases, given up at
    /// shutdown).
    sending: Arc<Mutex<HashMap<String, Entry>>>,
}

impl std::fmt::Debug for Handoffs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Handoffs")
            .field("webhook", &self.webhook)
            .finish_non_exhaustive()
    }
}

impl Handoffs {
    /// The sender for these settings, its outbox in `store`. Must be called inside a tokio
    /// runtime.
    pub fn new(
        settings: &HandoffSettings,
        store: Arc<dyn SessionStore>,
    ) -> Result<Self, WebhookError> {
        Ok(Self {
            webhook: Webhook::new(settings)?.map(Arc::new),
            store,
            runtime: tokio::runtime::Handle::current(),
            sending: Arc::new(Mutex::new(HashMap::new())),
        })
    }

    /// Sends the deliveries of the outbox that are due (left by a stopped process, or not
    /// accepted in an earlier round), in the background. Called at startup and periodically.
    pub async fn send_due(&self) {
        let Some(webhook) = &self.webhook else {
            return;
        };
        let pending = match self.store.scan(outbox::PREFIX).await {
            Ok(pending) => pending,
            Err(error) => {
                tracing::warn!(%error, "the handoff outbox could not be read; trying again later");
                return;
            }
        };
        let now = outbox::now();
        for (_, bytes) in pending {
            let Some(entry) = Entry::decode(&bytes) else {
                continue;
            };
            if entry.due > now || lock(&self.sending).contains_key(&entry.delivery) {
                continue;
            }
            tracing::info!(conversation = %entry.conversation.tag(), "handoff from the outbox sent again");
            self.send(webhook, entry);
        }
    }

    /// Gives up the leases of the deliveries still being sent, so that the next start (of this
    /// or another instance) sends them at once. Called at shutdown, before the store closes.
    pub async fn release(&self) {
        let sending: Vec<Entry> = lock(&self.sending).drain().map(|(_, e)| e).collect();
        for mut entry in sending {
            entry.due = 0;
            let keep = entry.keep(outbox::now());
            if let Err(error) = self.store.put(&entry.key(), &entry.encode(), keep).await {
                tracing::warn!(%error, "a handoff lease stays until it runs out");
            }
        }
    }

    /// Leases `entry` (writes it with a due time after the longest round) and sends it in the
    /// background; removes it once it is settled.
    fn send(&self, webhook: &Arc<Webhook>, mut entry: Entry) {
        let webhook = Arc::clone(webhook);
        let store = Arc::clone(&self.store);
        let sending = Arc::clone(&self.sending);
        entry.due = outbox::now() + webhook.longest_round().as_secs() + 1;
        lock(&sending).insert(entry.delivery.clone(), entry.clone());
        self.runtime.spawn(async move {
            let now = outbox::now();
            let keep = entry.keep(now);
            if keep.is_zero() {
                tracing::error!(conversation = %entry.conversation.tag(), "handoff dropped: not accepted within a day");
                let _ = store.remove(&entry.key()).await;
                lock(&sending).remove(&entry.delivery);
                return;
            }
            if let Err(error) = store.put(&entry.key(), &entry.encode(), keep).await {
                // Still sent: the outbox only guards against a stop during delivery.
                tracing::warn!(conversation = %entry.conversation.tag(), %error, "handoff not written to the outbox");
            }
            let settled = webhook
                .deliver(&entry.conversation, &entry.delivery, entry.body.clone())
                .await;
            if settled && let Err(error) = store.remove(&entry.key()).await {
                tracing::warn!(conversation = %entry.conversation.tag(), %error, "a delivered handoff stays in the outbox and may be sent again");
            }
            lock(&sending).remove(&entry.delivery);
        });
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
        let entry = Entry {
            conversation: id.clone(),
            delivery: format!("{id}-{}", outcome.state.turn),
            due: 0,
            since: outbox::now(),
            body,
        };
        self.send(webhook, entry);
    }
}

/// A poisoned lock only means a delivery task panicked; the set of names is still usable.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}
