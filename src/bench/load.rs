//! The load side of `advisor bench`: keep-alive connections on loopback, each sending requests
//! back to back until a deadline while every request's latency is recorded. Conversation load
//! walks whole conversations as customers do; echo load posts a turn-sized body to the bare echo
//! endpoint for comparison. It only measures: judging the numbers is the caller's business.

mod client;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use serde_json::json;
use tokio::time::{Instant, timeout_at};

use client::{ClientError, Connection};

/// How hard and how long to load the server.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    /// Concurrent keep-alive connections, one task each (at least one).
    pub connections: usize,
    /// How long requests are recorded, after the warm-up.
    pub duration: Duration,
    /// How long requests are sent but not recorded, so the server settles first.
    pub warmup: Duration,
    /// Connection `i` draws its answers from a generator seeded with `seed + i`.
    pub seed: u64,
}

/// What one load run measured. A request is recorded when it started after the warm-up and
/// finished before the deadline; one still in flight at the deadline is dropped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadResult {
    /// Successful timed requests, each with one entry in `latencies_us`.
    pub requests: u64,
    /// Failed requests (connection error, unexpected status, unreadable body), including a
    /// failed `DELETE` although successful ones are not counted.
    pub errors: u64,
    /// Length of the recorded window in seconds.
    pub seconds: f64,
    /// Latency of every successful timed request in microseconds, sorted ascending.
    pub latencies_us: Vec<u32>,
    /// Conversations that reached the shortlist (or stopped asking) inside the window.
    pub conversations_completed: u64,
}

impl LoadResult {
    /// Successful timed requests per second.
    pub fn throughput(&self) -> f64 {
        if self.seconds > 0.0 {
            self.requests as f64 / self.seconds
        } else {
            0.0
        }
    }

    /// The `p`th percentile latency (`p` from 0 to 100, nearest rank) in microseconds, 0 when
    /// nothing was recorded. Relies on `latencies_us` being sorted, as the load functions leave it.
    pub fn percentile(&self, p: f64) -> f64 {
        let n = self.latencies_us.len();
        let rank = (p.clamp(0.0, 100.0) / 100.0 * n as f64).ceil() as usize;
        let sample = self.latencies_us.get(rank.max(1) - 1);
        sample.map_or(0.0, |&us| f64::from(us))
    }
}

/// Every connection posts a turn-sized JSON body to `POST /echo` and reads the echo, back to back.
pub async fn echo_load(addr: SocketAddr, options: &LoadOptions) -> LoadResult {
    run(addr, options, &[]).await
}

/// Every connection runs `advisor` conversations in English back to back: start (expects 201),
/// answer each question with an option drawn in proportion to its product count (one or two for
/// multiple choice) until the reply stops awaiting input (200 per turn), then delete it (204).
/// Starts and turns are timed; the `DELETE` is neither timed nor counted as a request. A failed
/// request abandons its conversation; one still asking after 20 answers is deleted, not counted.
pub async fn conversation_load(
    addr: SocketAddr,
    advisor: &str,
    options: &LoadOptions,
) -> LoadResult {
    run(addr, options, &[Arc::from(advisor)]).await
}

/// Conversation load over several advisors: connection `i` talks to advisor `i` modulo their
/// number.
pub async fn conversations_load(
    addr: SocketAddr,
    advisors: &[String],
    options: &LoadOptions,
) -> LoadResult {
    let advisors: Vec<Arc<str>> = advisors.iter().map(|a| Arc::from(a.as_str())).collect();
    run(addr, options, &advisors).await
}

/// The advisor ids a running server offers (`GET /v1/advisors`).
pub async fn advisor_ids(addr: SocketAddr) -> Result<Vec<String>, String> {
    #[derive(Deserialize)]
    struct Advisors {
        advisors: Vec<Listed>,
    }
    #[derive(Deserialize)]
    struct Listed {
        id: String,
    }
    let response = Connection::new(addr)
        .send("GET", "/v1/advisors", b"")
        .await
        .map_err(|error| LoadError::from(error).to_string())?;
    if response.status != 200 {
        return Err(format!("GET /v1/advisors answered {}", response.status));
    }
    let listed: Advisors = serde_json::from_slice(&response.body)
        .map_err(|error| format!("GET /v1/advisors: {error}"))?;
    Ok(listed.advisors.into_iter().map(|a| a.id).collect())
}

/// The body echo load sends: a typical answer turn.
const ECHO_BODY: &[u8] =
    br#"{"input":{"type":"answer","question_id":"budget","values":["under_30"]},"expected_turn":1,"client_message_id":"t1"}"#;
/// Answers after which a conversation that still asks is given up.
const MAX_TURNS: usize = 20;

/// Runs one task per connection (echo load without an advisor) and merges what they recorded.
async fn run(addr: SocketAddr, options: &LoadOptions, advisors: &[Arc<str>]) -> LoadResult {
    let from = Instant::now() + options.warmup;
    let tasks: Vec<_> = (0..options.connections.max(1) as u64)
        .map(|i| {
            let worker = Worker::new(addr, from, from + options.duration);
            let rng = ChaCha8Rng::seed_from_u64(options.seed.wrapping_add(i));
            let advisor =
                (!advisors.is_empty()).then(|| Arc::clone(&advisors[i as usize % advisors.len()]));
            tokio::spawn(worker.drive(advisor, rng))
        })
        .collect();
    let mut total = LoadResult::default();
    for task in tasks {
        // A panic in a connection task is a bug here: pass it on rather than hide it.
        let tally = task
            .await
            .unwrap_or_else(|error| std::panic::resume_unwind(error.into_panic()));
        total.requests += tally.requests;
        total.errors += tally.errors;
        total.latencies_us.extend(tally.latencies_us);
        total.conversations_completed += tally.conversations_completed;
    }
    total.latencies_us.sort_unstable();
    total.seconds = options.duration.as_secs_f64();
    total
}

/// Why a request gave its caller no reply.
enum Halt {
    /// The deadline passed: the connection stops.
    Deadline,
    /// The request failed (and was counted if inside the window).
    Failed,
}

/// One connection: its client, recording window and tally.
struct Worker {
    connection: Connection,
    from: Instant,
    until: Instant,
    tally: LoadResult,
}

/// The part of a conversation reply that is read.
#[derive(Deserialize)]
struct Reply {
    conversation_id: String,
    turn: u32,
    state: String,
    input: Option<Question>,
}

#[derive(Deserialize)]
struct Question {
    question_id: String,
    kind: String,
    options: Vec<Choice>,
}

#[derive(Deserialize)]
struct Choice {
    value: String,
    count: u64,
    /// Never combined with another option.
    #[serde(default)]
    no_preference: bool,
}

impl Worker {
    fn new(addr: SocketAddr, from: Instant, until: Instant) -> Self {
        let (connection, tally) = (Connection::new(addr), LoadResult::default());
        Self {
            connection,
            from,
            until,
            tally,
        }
    }

    /// Sends requests back to back until the deadline: whole conversations, or echoes.
    async fn drive(mut self, advisor: Option<Arc<str>>, mut rng: ChaCha8Rng) -> LoadResult {
        let start = advisor.map(|a| json!({ "advisor": &*a, "locale": "en" }).to_string());
        loop {
            let done = match &start {
                Some(start) => self.conversation(start.as_bytes(), &mut rng).await,
                None => self
                    .call::<IgnoredAny>("POST", "/echo", ECHO_BODY, 200, true)
                    .await
                    .map(drop),
            };
            match done {
                Err(Halt::Deadline) => return self.tally,
                // Failures are counted; pausing keeps a refusing server from being hammered.
                Err(Halt::Failed) => tokio::time::sleep(Duration::from_millis(1)).await,
                Ok(()) => {}
            }
        }
    }

    /// One conversation from start to shortlist, then deleted.
    async fn conversation(&mut self, start: &[u8], rng: &mut ChaCha8Rng) -> Result<(), Halt> {
        let mut reply: Reply = self
            .call("POST", "/v1/conversations", start, 201, true)
            .await?;
        let path = format!("/v1/conversations/{}", reply.conversation_id);
        let turns = format!("{path}/turns");
        for answered in 0..=MAX_TURNS {
            let asking = reply
                .input
                .as_ref()
                .filter(|_| reply.state == "awaiting_input");
            let Some(body) = asking.and_then(|question| answer(question, reply.turn, rng)) else {
                let now = Instant::now();
                if self.from <= now && now <= self.until {
                    self.tally.conversations_completed += 1;
                }
                break;
            };
            if answered == MAX_TURNS {
                break;
            }
            reply = self.call("POST", &turns, &body, 200, true).await?;
        }
        self.call::<()>("DELETE", &path, b"", 204, false).await
    }

    /// Sends one request, checks its status and decodes its JSON body (an empty body reads as
    /// `null`). Inside the window a success is recorded if `timed`, a failure always.
    async fn call<T: DeserializeOwned>(
        &mut self,
        method: &str,
        path: &str,
        body: &[u8],
        expect: u16,
        timed: bool,
    ) -> Result<T, Halt> {
        let start = Instant::now();
        let sent = timeout_at(self.until, self.connection.send(method, path, body)).await;
        let decoded = sent.map_err(|_| Halt::Deadline)?.map_err(LoadError::from);
        let decoded = decoded.and_then(|response| {
            if response.status != expect {
                return Err(LoadError::Status {
                    got: response.status,
                    expect,
                });
            }
            let body: &[u8] = if response.body.is_empty() {
                b"null"
            } else {
                &response.body
            };
            Ok(serde_json::from_slice(body)?)
        });
        let end = Instant::now();
        let recorded = self.from <= start && end <= self.until;
        match decoded {
            Ok(value) if recorded && timed => {
                let micros = u32::try_from((end - start).as_micros()).unwrap_or(u32::MAX);
                self.tally.latencies_us.push(micros);
                self.tally.requests += 1;
                Ok(value)
            }
            Ok(value) => Ok(value),
            Err(error) => {
                self.tally.errors += u64::from(recorded);
                tracing::debug!(%error, method, path, "bench request failed");
                Err(Halt::Failed)
            }
        }
    }
}

/// The turn body answering `question`, or `None` when it offers nothing to pick.
fn answer(question: &Question, turn: u32, rng: &mut ChaCha8Rng) -> Option<Vec<u8>> {
    let options = &question.options;
    let first = pick(options, None, rng)
        .or_else(|| (!options.is_empty()).then(|| rng.random_range(0..options.len())))?;
    let mut values = vec![options[first].value.as_str()];
    if question.kind == "multiple" && !options[first].no_preference && rng.random_bool(0.5) {
        values.extend(pick(options, Some(first), rng).map(|i| options[i].value.as_str()));
    }
    let input = json!({ "type": "answer", "question_id": question.question_id, "values": values });
    // As a mobile client does: a message id per turn, so a resent request is safe.
    let body =
        json!({ "input": input, "expected_turn": turn, "client_message_id": format!("t{turn}") });
    Some(body.to_string().into_bytes())
}

/// An option index drawn in proportion to its product count (customers pick popular answers);
/// a second pick (`except` the first) is never the first nor a "no preference" option. `None`
/// when no allowed option has any products.
fn pick(options: &[Choice], except: Option<usize>, rng: &mut ChaCha8Rng) -> Option<usize> {
    let weight = |i: usize| {
        if Some(i) == except || (except.is_some() && options[i].no_preference) {
            0
        } else {
            options[i].count
        }
    };
    let total: u64 = (0..options.len()).map(weight).sum();
    let mut ticket = (total > 0).then(|| rng.random_range(0..total))?;
    (0..options.len()).find(|&i| {
        let found = ticket < weight(i);
        ticket = ticket.saturating_sub(weight(i));
        found
    })
}

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
enum LoadError {
    /// No response: the connection or the HTTP framing failed.
    #[error(transparent)]
    Client(#[from] ClientError),
    /// The server answered with another status than the one expected.
    #[error("status {got}, expected {expect}")]
    Status { got: u16, expect: u16 },
    /// The body is not the JSON expected.
    #[error("unreadable body: {0}")]
    Json(#[from] serde_json::Error),
}

#[cfg(test)]
mod tests;
