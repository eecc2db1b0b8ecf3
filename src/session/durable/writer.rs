//! Group commit: one thread owns every write to the database. Writes that arrive while a commit
//! is on its way to the disk wait, and then all go into the next transaction together, with one
//! sync for all of them. Each write still runs on its own, in arrival order, with its checks
//! inside the transaction, and its caller hears back only after that transaction is committed:
//! an acknowledged turn is on disk exactly as with one transaction per write, but under load
//! the disk syncs once per batch instead of once per turn.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use redb::Database;
use tokio::sync::oneshot;

use super::{CONVERSATIONS, RECORDS, Record, SideRecord, backend};
use crate::session::StoreError;

/// The conversations table inside a write transaction.
pub(super) type Table<'t> = redb::Table<'t, &'static str, Record>;

/// The side records table inside a write transaction.
pub(super) type RecordsTable<'t> = redb::Table<'t, &'static str, SideRecord>;

/// The tables a write works on.
pub(super) struct Tables<'t> {
    pub conversations: Table<'t>,
    pub records: RecordsTable<'t>,
}

/// Writes committed together at most (a bound on one transaction's size and latency).
const MAX_BATCH: usize = 512;

/// The handle to the writer thread.
pub(super) struct Writer {
    jobs: Mutex<Option<Sender<Box<dyn Job>>>>,
    thread: Mutex<Option<JoinHandle<()>>>,
    /// Transactions committed so far.
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// Starts the writer thread on `db`.
    pub(super) fn spawn(db: Arc<Database>) -> std::io::Result<Self> {
        let (sender, receiver) = channel();
        let commits = Arc::new(AtomicU64::new(0));
        let counted = Arc::clone(&commits);
        let thread = std::thread::Builder::new()
            .name("conversation-writer".into())
            .spawn(move || write_batches(&db, &receiver, &counted))?;
        Ok(Self {
            jobs: Mutex::new(Some(sender)),
            thread: Mutex::new(Some(thread)),
            commits,
        })
    }

    /// Runs `work` in the next transaction and returns its result once that transaction is
    /// committed. A refusal (not found, conflict, full) is committed with the rest of the batch;
    /// a database failure aborts the batch and every write in it gets the error.
    pub(super) async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&mut Tables<'_>) -> Result<T, StoreError> + Send + 'static,
    ) -> Result<T, StoreError> {
        let (reply, result) = oneshot::channel();
        let job: Box<dyn Job> = Box::new(Pending { work, reply });
        let sent = lock(&self.jobs).as_ref().map(|jobs| jobs.send(job).is_ok());
        if sent != Some(true) {
            return Err(StoreError::Backend(
                "the conversation store is closed".into(),
            ));
        }
        result
            .await
            .map_err(|_| StoreError::Backend("the conversation store's writer stopped".into()))?
    }

    /// Transactions committed so far (each one sync of the disk).
    pub(super) fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    /// Refuses new writes, lets the thread commit the ones already queued and waits for it.
    /// Blocking: call it on the blocking pool.
    pub(super) fn close(&self) {
        drop(lock(&self.jobs).take());
        if let Some(thread) = lock(&self.thread).take()
            && thread.join().is_err()
        {
            tracing::error!("the conversation writer thread panicked");
        }
    }
}

impl Drop for Writer {
    /// Waits for the writes already queued, so the database file is free when the store is gone
    /// (those writes are short: nothing new can be queued once the store is dropped).
    fn drop(&mut self) {
        self.close();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Only `Option::take` and `as_ref` run under these locks: nothing can be left half done.
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The thread: a blocking wait for the first write, then every write already waiting, in one
/// transaction.
fn write_batches(db: &Database, jobs: &Receiver<Box<dyn Job>>, commits: &AtomicU64) {
    while let Ok(first) = jobs.recv() {
        let mut batch = vec![first];
        batch.extend(jobs.try_iter().take(MAX_BATCH - 1));
        commit(db, batch);
        commits.fetch_add(1, Ordering::Relaxed);
    }
}

/// Runs a batch in one write transaction and tells every caller how it ended.
fn commit(db: &Database, batch: Vec<Box<dyn Job>>) {
    let transaction = match db.begin_write() {
        Ok(transaction) => transaction,
        Err(error) => {
            let error = backend(error);
            batch.into_iter().for_each(|job| job.fail(&error));
            return;
        }
    };
    let ran = catch_unwind(AssertUnwindSafe(|| {
        let mut tables = Tables {
            conversations: transaction.open_table(CONVERSATIONS).map_err(backend)?,
            records: transaction.open_table(RECORDS).map_err(backend)?,
        };
        Ok::<_, StoreError>(batch.into_iter().map(|job| job.run(&mut tables)).collect())
    }));
    let done: Vec<Box<dyn Done>> = match ran {
        Ok(Ok(done)) => done,
        // The jobs (and their callers' channels) are gone: their callers hear "writer stopped".
        Ok(Err(error)) => {
            tracing::error!(%error, "opening the store's tables failed");
            return;
        }
        Err(_) => {
            tracing::error!("a conversation write panicked; its batch was not committed");
            return;
        }
    };
    let failure = if let Some(error) = done.iter().find_map(|d| d.database_failure()) {
        // Dropping the transaction aborts it: nothing of this batch was written.
        drop(transaction);
        Some(error)
    } else {
        transaction.commit().err().map(backend)
    };
    for done in done {
        done.finish(failure.as_ref());
    }
}

/// A write waiting for its transaction.
trait Job: Send {
    fn run(self: Box<Self>, tables: &mut Tables<'_>) -> Box<dyn Done>;
    fn fail(self: Box<Self>, error: &StoreError);
}

/// A write that ran, waiting for the commit.
trait Done: Send {
    /// The database failed during this write: the batch must not be committed.
    fn database_failure(&self) -> Option<StoreError>;
    fn finish(self: Box<Self>, failure: Option<&StoreError>);
}

struct Pending<T, W> {
    work: W,
    reply: oneshot::Sender<Result<T, StoreError>>,
}

struct Ran<T> {
    result: Result<T, StoreError>,
    reply: oneshot::Sender<Result<T, StoreError>>,
}

impl<T, W> Job for Pending<T, W>
where
    T: Send + 'static,
    W: FnOnce(&mut Tables<'_>) -> Result<T, StoreError> + Send,
{
    fn run(self: Box<Self>, tables: &mut Tables<'_>) -> Box<dyn Done> {
        let result = (self.work)(tables);
        Box::new(Ran {
            result,
            reply: self.reply,
        })
    }

    fn fail(self: Box<Self>, error: &StoreError) {
        // The caller may have gone (its request was cancelled): nobody to tell.
        let _ = self.reply.send(Err(error.clone()));
    }
}

impl<T: Send + 'static> Done for Ran<T> {
    fn database_failure(&self) -> Option<StoreError> {
        match &self.result {
            Err(error @ StoreError::Backend(_)) => Some(error.clone()),
            _ => None,
        }
    }

    fn finish(self: Box<Self>, failure: Option<&StoreError>) {
        let result = match failure {
            Some(error) => Err(error.clone()),
            None => self.result,
        };
        let _ = self.reply.send(result);
    }
}
