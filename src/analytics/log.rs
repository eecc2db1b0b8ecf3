//! The `Recorder`: the sink the routes hand events to. `record` never waits: events go through a
//! bounded channel to one writer thread, and when the channel is full the event is dropped and
//! counted. The thread appends JSON lines to the day's file of this instance (`files.rs`),
//! flushes at least every second and on `close`, and deletes files past retention at start and
//! once a day; or, with `store = "redis"`, appends to the Redis Stream (`stream.rs`) once a
//! second. It never reads events back; `report` does.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, TrySendError, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::Context;

use super::files::{day_of, file_name, instance_name, sweep};
use super::stream::StreamSink;
use super::{AnalyticsSettings, Event, unix_now as now};
use crate::settings::EventStore;

/// Events waiting for the writer before new ones are dropped.
const CAPACITY: usize = 16_384;
const FLUSH_EVERY: Duration = Duration::from_secs(1);

/// Where events go. Cheap to clone (all clones share one writer); `Send + Sync`.
#[derive(Clone)]
pub struct Recorder {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    sender: SyncSender<Message>,
    dropped: Arc<AtomicU64>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

pub(super) enum Message {
    Event(Box<Event>),
    Close,
}

impl Recorder {
    /// Creates the directory, deletes files past retention and starts the writer thread; with
    /// `enabled = false`, a disabled recorder.
    pub fn open(settings: &AnalyticsSettings) -> anyhow::Result<Recorder> {
        if !settings.enabled {
            return Ok(Recorder::disabled());
        }
        let dropped = Arc::new(AtomicU64::new(0));
        let mut sink: Box<dyn Sink> = match (settings.store, &settings.redis) {
            (EventStore::Files, _) => Box::new(Writer::open(settings)?),
            (EventStore::Redis, Some(stream)) => Box::new(
                StreamSink::open(stream, settings.retention_days, Arc::clone(&dropped))
                    .with_context(|| {
                        format!(
                            "analytics.store = \"redis\": `{}` is not usable",
                            stream.url
                        )
                    })?,
            ),
            (EventStore::Redis, None) => {
                anyhow::bail!("analytics.store = \"redis\" needs `[sessions] redis_url`")
            }
        };
        let (sender, receiver) = sync_channel(CAPACITY);
        let handle = std::thread::Builder::new()
            .name("analytics".into())
            .spawn(move || run(sink.as_mut(), &receiver))
            .context("starting the analytics writer")?;
        Ok(Recorder::with(sender, Some(handle), dropped))
    }
}

impl Writer {
    /// Creates the directory and deletes files past retention.
    fn open(settings: &AnalyticsSettings) -> anyhow::Result<Writer> {
        let dir = settings.events_dir();
        fs::create_dir_all(&dir)
            .with_context(|| format!("creating the analytics folder `{}`", dir.display()))?;
        sweep(&dir, day_of(now()), settings.retention_days)
            .context("deleting analytics files past retention")?;
        Ok(Writer {
            dir,
            instance: instance_name(&settings.instance),
            retention_days: settings.retention_days,
            files: HashMap::new(),
            swept_on: day_of(now()),
        })
    }
}

impl Recorder {
    /// A recorder that records nothing (analytics off, tests).
    pub fn disabled() -> Recorder {
        Recorder { inner: None }
    }

    /// Hands an event to the writer without waiting; drops it (counted) when the writer is
    /// behind or closed.
    pub fn record(&self, event: Event) {
        let Some(inner) = &self.inner else { return };
        match inner.sender.try_send(Message::Event(Box::new(event))) {
            Ok(()) => {}
            Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                inner.dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    /// Whether events are written at all (`analytics.enabled`).
    pub fn is_enabled(&self) -> bool {
        self.inner.is_some()
    }

    /// Events dropped so far because the writer was behind or closed.
    pub fn dropped(&self) -> u64 {
        self.inner
            .as_ref()
            .map_or(0, |inner| inner.dropped.load(Ordering::Relaxed))
    }

    /// Writes what is queued, flushes and stops the writer (at shutdown). Events recorded
    /// afterwards are dropped. Calling it again does nothing.
    pub fn close(&self) {
        let Some(inner) = &self.inner else { return };
        let handle = inner
            .writer
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(handle) = handle {
            // Waits for room: the writer is draining, and shutdown may wait that long.
            let _ = inner.sender.send(Message::Close);
            if handle.join().is_err() {
                tracing::error!("the analytics writer panicked");
            }
        }
    }

    pub(super) fn with(
        sender: SyncSender<Message>,
        writer: Option<JoinHandle<()>>,
        dropped: Arc<AtomicU64>,
    ) -> Recorder {
        Recorder {
            inner: Some(Arc::new(Inner {
                sender,
                dropped,
                writer: Mutex::new(writer),
            })),
        }
    }
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("enabled", &self.inner.is_some())
            .field("dropped", &self.dropped())
            .finish()
    }
}

/// The writer thread's state: open files by day, and the day of the last retention sweep.
struct Writer {
    dir: PathBuf,
    instance: String,
    retention_days: u32,
    files: HashMap<i64, BufWriter<File>>,
    swept_on: i64,
}

/// Where the writer thread puts events.
trait Sink: Send {
    fn append(&mut self, event: &Event);
    /// At least once a second, and at the end.
    fn flush(&mut self);
}

/// The writer thread: events as they come, a flush at least every second and at the end.
fn run(sink: &mut dyn Sink, receiver: &Receiver<Message>) {
    let mut flushed = Instant::now();
    loop {
        match receiver.recv_timeout(FLUSH_EVERY) {
            Ok(Message::Event(event)) => sink.append(&event),
            Ok(Message::Close) | Err(RecvTimeoutError::Disconnected) => break,
            Err(RecvTimeoutError::Timeout) => {}
        }
        if flushed.elapsed() >= FLUSH_EVERY {
            sink.flush();
            flushed = Instant::now();
        }
    }
    sink.flush();
}

impl Sink for StreamSink {
    fn append(&mut self, event: &Event) {
        StreamSink::append(self, event);
    }

    fn flush(&mut self) {
        StreamSink::flush(self);
    }
}

impl Sink for Writer {
    fn append(&mut self, event: &Event) {
        let day = day_of(event.at);
        let file = match self.files.entry(day) {
            std::collections::hash_map::Entry::Occupied(entry) => entry.into_mut(),
            std::collections::hash_map::Entry::Vacant(entry) => {
                match locked_file(&self.dir, day, &self.instance) {
                    Some(file) => entry.insert(BufWriter::new(file)),
                    None => return,
                }
            }
        };
        let written = serde_json::to_writer(&mut *file, event)
            .map_err(std::io::Error::from)
            .and_then(|()| file.write_all(b"\n"));
        if let Err(error) = written {
            tracing::warn!(%error, "cannot write an analytics event");
        }
    }

    /// Flushes every open file and closes those of earlier days (late events reopen them);
    /// deletes files past retention once a day.
    fn flush(&mut self) {
        for file in self.files.values_mut() {
            if let Err(error) = file.flush() {
                tracing::warn!(%error, "cannot flush the analytics file");
            }
        }
        let today = day_of(now());
        self.files.retain(|day, _| *day >= today);
        self.sweep_daily();
    }
}

impl Writer {
    fn sweep_daily(&mut self) {
        let today = day_of(now());
        if today == self.swept_on {
            return;
        }
        self.swept_on = today;
        if let Err(error) = sweep(&self.dir, today, self.retention_days) {
            tracing::warn!(error = %anyhow::Error::from(error), "cannot delete old analytics files");
        }
    }
}

/// The day's file of this instance, opened for appending and locked: another writer of the same
/// name (a shared folder, a shared `instance` setting) would interleave lines, so when the file is
/// locked the next free `…-2`, `…-3` name is taken instead.
fn locked_file(dir: &Path, day: i64, instance: &str) -> Option<File> {
    const ATTEMPTS: usize = 16;
    for attempt in 1..=ATTEMPTS {
        let name = match attempt {
            1 => instance.to_string(),
            n => format!("{instance}-{n}"),
        };
        let path = dir.join(file_name(day, &name));
        match OpenOptions::new().create(true).append(true).open(&path) {
            Ok(file) if file.try_lock().is_ok() => return Some(file),
            Ok(_) => continue,
            Err(error) => {
                tracing::warn!(path = %path.display(), %error, "cannot open the analytics file");
                return None;
            }
        }
    }
    tracing::warn!(
        instance,
        "every analytics file name of this instance is locked by another writer"
    );
    None
}
