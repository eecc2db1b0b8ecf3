//! Delivering a handoff to the configured webhook: signed with HMAC-SHA256 over the timestamp
//! and the body, sent in the background, retried with exponential backoff and jitter on
//! connection errors, timeouts, 5xx and 429. Logs carry the conversation id only.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, KeyInit, Mac};
use reqwest::StatusCode;
use sha2::Sha256;

use crate::ids::ConversationId;
use crate::settings::HandoffSettings;

/// Seconds since the Unix epoch at sending, signed together with the body.
pub const TIMESTAMP_HEADER: &str = "x-advisor-timestamp";
/// `sha256=<hex of HMAC-SHA256(secret, "{timestamp}.{body}")>`.
pub const SIGNATURE_HEADER: &str = "x-advisor-signature";
/// The same for every attempt of one handoff (`{conversation_id}-{turn}`), so a receiver can
/// drop a retry it already processed.
pub const DELIVERY_HEADER: &str = "x-advisor-delivery";

/// Why the handoff settings were refused at startup.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The URL does not parse or is not http(s).
    #[error("handoff.webhook_url `{0}` is not an http or https URL")]
    Url(String),
    /// A webhook needs a secret to sign with.
    #[error("handoff.secret is empty: the webhook's requests must be signed")]
    NoSecret,
    /// At least one attempt.
    #[error("handoff.attempts must be at least 1")]
    NoAttempts,
    /// The HTTP client could not be built.
    #[error("the webhook's HTTP client: {0}")]
    Client(#[from] reqwest::Error),
}

/// A configured webhook.
#[derive(Debug)]
pub struct Webhook {
    client: reqwest::Client,
    url: reqwest::Url,
    secret: Vec<u8>,
    attempts: u32,
    first_retry: Duration,
    timeout: Duration,
}

impl Webhook {
    /// The webhook of these settings; `None` when no URL is set.
    pub fn new(settings: &HandoffSettings) -> Result<Option<Self>, WebhookError> {
        let url = settings.webhook_url.trim();
        if url.is_empty() {
            return Ok(None);
        }
        let parsed = reqwest::Url::parse(url)
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https") && u.has_host())
            .ok_or_else(|| WebhookError::Url(url.to_string()))?;
        if settings.secret.is_empty() {
            return Err(WebhookError::NoSecret);
        }
        if settings.attempts == 0 {
            return Err(WebhookError::NoAttempts);
        }
        let timeout = Duration::from_secs(settings.timeout_seconds.max(1));
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(Some(Self {
            client,
            url: parsed,
            secret: settings.secret.as_bytes().to_vec(),
            attempts: settings.attempts,
            first_retry: Duration::from_millis(settings.first_retry_ms),
            timeout,
        }))
    }

    /// The longest one round of [`Webhook::deliver`] can take: every attempt timing out, and the
    /// longest waits between them. The outbox leases a delivery for this long.
    pub fn longest_round(&self) -> Duration {
        let waits: Duration = (1..self.attempts)
            .map(|attempt| backoff(self.first_retry, attempt, 0.0))
            .sum();
        self.timeout * self.attempts + waits
    }

    /// Sends `body` until it is accepted (2xx), refused for good (another 4xx), or the attempts
    /// are used up. Returns whether it is settled (accepted or refused for good): an unsettled
    /// delivery stays in the outbox for a later round.
    pub async fn deliver(
        &self,
        conversation: &ConversationId,
        delivery: &str,
        body: Vec<u8>,
    ) -> bool {
        for attempt in 1..=self.attempts {
            let timestamp = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let request = self
                .client
                .post(self.url.clone())
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .header(TIMESTAMP_HEADER, timestamp.to_string())
                .header(SIGNATURE_HEADER, signature(&self.secret, timestamp, &body))
                .header(DELIVERY_HEADER, delivery)
                .body(body.clone());
            let retry = match request.send().await {
                Ok(response) if response.status().is_success() => {
                    tracing::info!(conversation = %conversation.tag(), attempt, "handoff delivered to the webhook");
                    return true;
                }
                Ok(response) => {
                    let status = response.status();
                    let retry = status.is_server_error() || status == StatusCode::TOO_MANY_REQUESTS;
                    tracing::warn!(conversation = %conversation.tag(), attempt, status = status.as_u16(), retry, "the handoff webhook refused the delivery");
                    retry
                }
                Err(error) => {
                    let kind = if error.is_timeout() {
                        "timeout"
                    } else {
                        "connection"
                    };
                    tracing::warn!(conversation = %conversation.tag(), attempt, kind, "the handoff webhook could not be reached");
                    true
                }
            };
            if !retry {
                return true;
            }
            if attempt < self.attempts {
                let wait = backoff(self.first_retry, attempt, rand::random::<f64>());
                tokio::time::sleep(wait).await;
            }
        }
        tracing::error!(conversation = %conversation.tag(), attempts = self.attempts, "handoff not delivered yet: every attempt failed; the outbox tries again later");
        false
    }
}

/// `sha256=` and the hex HMAC-SHA256 of `"{timestamp}.{body}"` under `secret`.
pub fn signature(secret: &[u8], timestamp: u64, body: &[u8]) -> String {
    let mut signed = format!("{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    format!("sha256={}", hmac_hex(secret, &signed))
}

fn hmac_hex(secret: &[u8], message: &[u8]) -> String {
    // HMAC takes keys of any length, so this cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(message);
    crate::ids::lower_hex(&mac.finalize().into_bytes())
}

/// The wait after failed attempt `attempt` (1-based): `first` doubled per attempt, of which a
/// random half (`jitter` in 0..1) is dropped, so receivers are not hit by every sender at once.
pub fn backoff(first: Duration, attempt: u32, jitter: f64) -> Duration {
    let full = first.saturating_mul(1 << attempt.saturating_sub(1).min(16));
    full.mul_f64(1.0 - 0.5 * jitter.clamp(0.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_test_case_2() {
        assert_eq!(
            hmac_hex(b"Jefe", b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn the_signature_covers_timestamp_and_body() {
        let signed = signature(b"Jefe", 1_700_000_000, b"{}");
        assert_eq!(
            signed,
            format!("sha256={}", hmac_hex(b"Jefe", b"1700000000.{}"))
        );
        assert_ne!(signed, signature(b"Jefe", 1_700_000_001, b"{}"));
        assert_ne!(signed, signature(b"other", 1_700_000_000, b"{}"));
    }

    #[test]
    fn the_default_schedule_doubles_and_spans_about_a_minute() {
        let first = Duration::from_millis(HandoffSettings::default().first_retry_ms);
        let attempts = HandoffSettings::default().attempts;
        let waits: Vec<u64> = (1..attempts)
            .map(|a| backoff(first, a, 0.0).as_secs())
            .collect();
        assert_eq!(waits, [2, 4, 8, 16, 32]);
        let longest: Duration = (1..attempts).map(|a| backoff(first, a, 0.0)).sum();
        let shortest: Duration = (1..attempts).map(|a| backoff(first, a, 1.0)).sum();
        assert_eq!((longest.as_secs(), shortest.as_secs()), (62, 31));
        assert_eq!(backoff(first, 3, 0.5), Duration::from_secs(6));
    }

    #[test]
    fn a_webhook_needs_an_http_url_and_a_secret() {
        let settings = |url: &str, secret: &str| HandoffSettings {
            webhook_url: url.into(),
            secret: secret.into(),
            ..HandoffSettings::default()
        };
        assert!(matches!(Webhook::new(&settings("", "")), Ok(None)));
        assert!(matches!(
            Webhook::new(&settings("ftp://x", "s")),
            Err(WebhookError::Url(_))
        ));
        assert!(matches!(
            Webhook::new(&settings("https://x.example/h", "")),
            Err(WebhookError::NoSecret)
        ));
        assert!(matches!(
            Webhook::new(&settings("https://x.example/h", "s")),
            Ok(Some(_))
        ));
    }
}
