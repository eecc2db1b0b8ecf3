//! The handoff outbox: every webhook delivery is written to the conversation store before it is
//! sent, and removed once the webhook accepted it or refused it for good. A delivery still
//! pending when the process stops (or crashes) is sent again after the restart, by this
//! instance or by another one sharing the store: at least once, always with the same
//! `X-Advisor-Delivery` id, so the receiver can drop repeats.
//!
//! A sender leases a delivery while it works on it (`due` lies ahead), so other instances leave
//! it alone; a lease that runs out (its sender stopped) makes it due again. A clean shutdown
//! gives up its leases, so the next start sends them at once.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::ids::ConversationId;

/// The side records' key prefix.
pub const PREFIX: &str = "outbox:";
/// A delivery not accepted within a day is dropped (and logged as such).
pub const KEEP: Duration = Duration::from_secs(24 * 3600);

/// One pending delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub conversation: ConversationId,
    /// The `X-Advisor-Delivery` id, the same on every attempt.
    pub delivery: String,
    /// Unix seconds from which another sender may take it.
    pub due: u64,
    /// When it was first written, unix seconds (it is dropped after [`KEEP`]).
    pub since: u64,
    pub body: Vec<u8>,
}

impl Entry {
    pub fn key(&self) -> String {
        format!("{PREFIX}{}", self.delivery)
    }

    /// `"{due} {since} {conversation} {delivery}\n{body}"`.
    pub fn encode(&self) -> Vec<u8> {
        let mut bytes = format!(
            "{} {} {} {}\n",
            self.due, self.since, self.conversation, self.delivery
        )
        .into_bytes();
        bytes.extend_from_slice(&self.body);
        bytes
    }

    pub fn decode(bytes: &[u8]) -> Option<Self> {
        let split = bytes.iter().position(|b| *b == b'\n')?;
        let head = std::str::from_utf8(&bytes[..split]).ok()?;
        let mut parts = head.split(' ');
        let due = parts.next()?.parse().ok()?;
        let since = parts.next()?.parse().ok()?;
        let conversation = ConversationId::parse(parts.next()?).ok()?;
        let delivery = parts.next()?.to_string();
        Some(Self {
            conversation,
            delivery,
            due,
            since,
            body: bytes[split + 1..].to_vec(),
        })
    }

    /// How long the record is kept from now: what is left of [`KEEP`].
    pub fn keep(&self, now: u64) -> Duration {
        Duration::from_secs((self.since + KEEP.as_secs()).saturating_sub(now))
    }
}

/// Unix seconds.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_back_as_written() {
        let entry = Entry {
            conversation: ConversationId::generate(),
            delivery: "abc-3".into(),
            due: 1_700_000_100,
            since: 1_700_000_000,
            body: b"{\"a\":\n1}".to_vec(),
        };
        assert_eq!(Entry::decode(&entry.encode()), Some(entry.clone()));
        assert_eq!(entry.keep(1_700_000_000), KEEP);
        assert_eq!(entry.keep(1_800_000_000), Duration::ZERO);
        assert_eq!(Entry::decode(b"garbage"), None);
    }
}
