//! Events in a Redis Stream (`[analytics] store = "redis"`): every instance behind a load
//! balancer appends to the one stream the sessions' Redis already holds, and `advisor report`
//! and `/admin/report` read it back. Each entry has one field, `e`, the event as JSON; its
//! Redis id is its time. Every append trims entries older than the retention (`MINID`), so the
//! stream keeps about `retention_days` of events.
//!
//! The writer thread (`log.rs`) appends in batches, one pipeline per flush, on a blocking
//! connection with timeouts; when Redis does not answer, the batch is kept for the next flush
//! (up to a bound; what is beyond is dropped and counted) and the connection is made again.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use redis::{Client, Connection, RedisError};

use super::files::ReadStats;
use super::{AnalyticsError, Event};
use crate::settings::RedisStream;

/// The longest a connection, a write or a read may take.
const TIMEOUT: Duration = Duration::from_secs(2);
/// Entries read per round trip.
const PAGE: usize = 10_000;
/// Events kept for the next flush while Redis does not answer.
const BACKLOG: usize = 100_000;

/// The writer's end of the stream.
pub(super) struct StreamSink {
    client: Client,
    key: String,
    retention_days: u32,
    connection: Option<Connection>,
    /// Events not yet appended, as JSON.
    pending: Vec<String>,
    /// Events dropped (the recorder's count) because the backlog was full.
    dropped: Arc<AtomicU64>,
}

impl StreamSink {
    /// A sink for `stream`; checks the URL, connects on the first flush.
    pub(super) fn open(
        stream: &RedisStream,
        retention_days: u32,
        dropped: Arc<AtomicU64>,
    ) -> Result<Self, RedisError> {
        Ok(Self {
            client: Client::open(stream.url.as_str())?,
            key: stream.key.clone(),
            retention_days,
            connection: None,
            pending: Vec::new(),
            dropped,
        })
    }

    pub(super) fn append(&mut self, event: &Event) {
        if self.pending.len() >= BACKLOG {
            self.dropped.fetch_add(1, Ordering::Relaxed);
            return;
        }
        match serde_json::to_string(event) {
            Ok(json) => self.pending.push(json),
            Err(error) => tracing::warn!(%error, "cannot write an analytics event"),
        }
    }

    /// Appends what is pending in one pipeline; keeps it when Redis does not answer.
    pub(super) fn flush(&mut self) {
        if self.pending.is_empty() {
            return;
        }
        let connection = match self.connection.take() {
            Some(connection) => connection,
            None => match connect(&self.client) {
                Ok(connection) => connection,
                Err(error) => {
                    tracing::warn!(%error, pending = self.pending.len(), "analytics: redis not reachable; events kept for the next try");
                    return;
                }
            },
        };
        let mut connection = connection;
        let oldest = oldest_kept_ms(super::unix_now(), self.retention_days);
        let mut pipeline = redis::pipe();
        for json in &self.pending {
            pipeline
                .cmd("XADD")
                .arg(&self.key)
                .arg("MINID")
                .arg("~")
                .arg(oldest)
                .arg("*")
                .arg("e")
                .arg(json)
                .ignore();
        }
        match pipeline.query::<()>(&mut connection) {
            Ok(()) => {
                self.pending.clear();
                self.connection = Some(connection);
            }
            Err(error) => {
                tracing::warn!(%error, pending = self.pending.len(), "analytics: appending to the redis stream failed; events kept for the next try");
            }
        }
    }
}

/// Every event of the stream at or after `since` (unix seconds), oldest first.
pub fn read(
    stream: &RedisStream,
    since: Option<u64>,
) -> Result<(Vec<Event>, ReadStats), AnalyticsError> {
    let failed = |error: RedisError| AnalyticsError::Redis {
        key: stream.key.clone(),
        source: error,
    };
    let client = Client::open(stream.url.as_str()).map_err(failed)?;
    let mut connection = connect(&client).map_err(failed)?;
    let mut stats = ReadStats {
        files: 1,
        ..ReadStats::default()
    };
    let mut events = Vec::new();
    let mut start = since.map_or_else(|| "-".to_string(), |since| format!("{}", since * 1000));
    loop {
        let page: Vec<(String, Vec<(String, String)>)> = redis::cmd("XRANGE")
            .arg(&stream.key)
            .arg(&start)
            .arg("+")
            .arg("COUNT")
            .arg(PAGE)
            .query(&mut connection)
            .map_err(failed)?;
        for (_, fields) in &page {
            stats.lines += 1;
            let event = fields
                .iter()
                .find(|(name, _)| name == "e")
                .and_then(|(_, json)| serde_json::from_str::<Event>(json).ok());
            match event {
                Some(event) if since.is_none_or(|since| event.at >= since) => events.push(event),
                Some(_) => {}
                None => stats.malformed += 1,
            }
        }
        let Some((last, _)) = page.last() else {
            break;
        };
        if page.len() < PAGE {
            break;
        }
        // Exclusive start after the last id read.
        start = format!("({last}");
    }
    if stats.malformed > 0 {
        stats
            .malformed_in
            .push((format!("redis stream {}", stream.key), stats.malformed));
    }
    events.sort_by_key(|event| event.at);
    Ok((events, stats))
}

fn connect(client: &Client) -> Result<Connection, RedisError> {
    let connection = client.get_connection_with_timeout(TIMEOUT)?;
    connection.set_read_timeout(Some(TIMEOUT))?;
    connection.set_write_timeout(Some(TIMEOUT))?;
    Ok(connection)
}

/// The stream id (milliseconds) before which entries are trimmed.
fn oldest_kept_ms(now: u64, retention_days: u32) -> u64 {
    now.saturating_sub(u64::from(retention_days) * 86_400)
        .saturating_mul(1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_retention_is_a_stream_id_in_milliseconds() {
        assert_eq!(oldest_kept_ms(10 * 86_400, 3), 7 * 86_400 * 1000);
        assert_eq!(oldest_kept_ms(100, 90), 0);
    }
}
