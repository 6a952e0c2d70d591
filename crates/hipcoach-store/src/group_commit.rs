//! Group commit: session records and readings sent at the same time share one transaction,
//! so one disk flush makes all of them durable instead of one flush each.
//!
//! Each write joins a queue; if no committer is running, it starts one. The committer commits
//! everything queued (up to [`MOST_AT_ONCE`] at a time); while its flush runs, the next writes
//! queue up and its next round commits them together; it stops when the queue is empty. A lone
//! write waits for nobody: there is no timer, so at low load a write costs what it did before.
//! Every write is answered only after the commit that holds it has returned, so "saved" still
//! means "on disk". The committer is a task of its own, not a request, so a request that is
//! cancelled (its client went away) never cuts short a transaction holding others' writes.
//!
//! Inside a shared transaction each write runs under its own savepoint: one refused write (a
//! set listed twice) is undone alone and told why; the others go on. A fault of the database
//! itself (a full disk, a damaged file) or a failed commit fails the whole group, and every
//! write in it is told that nothing was saved.

use crate::measurements::{COLUMNS, insert_measurement, measurement};
use crate::model::{Measurement, UserId};
use crate::sessions::insert_session;
use crate::write::Write;
use crate::{Store, StoreError, Unavailable};
use chrono::NaiveDate;
use hipcoach_core::session::SessionRecord;
use sqlx::Row;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use tokio::sync::oneshot;

/// Writes committed in one transaction, at most: bounds how long one round holds the writer
/// (reads never wait for it) and how much one failed commit sends back.
const MOST_AT_ONCE: usize = 128;

/// The writes waiting for a commit.
#[derive(Default)]
pub(crate) struct GroupCommit {
    queue: Mutex<Queue>,
    /// Transactions begun for groups so far: how the tests see that writes shared them.
    transactions: AtomicU64,
}

#[derive(Default)]
struct Queue {
    jobs: Vec<Job>,
    /// Whether a committer is running: it takes every job queued before it stops, and it
    /// stops only with the lock held and the queue empty, so no job is ever left waiting.
    committing: bool,
}

/// Where a write's answer goes once its commit has returned.
type Reply<T> = oneshot::Sender<Result<T, StoreError>>;

/// A write that can share a transaction.
pub(crate) enum Job {
    /// A finished session; a key stored before answers with the first copy's id.
    Session {
        user: UserId,
        day: NaiveDate,
        key: String,
        recorded_at_ms: i64,
        record: SessionRecord,
        reply: Reply<(i64, bool)>,
    },
    /// A reading; a device key stored before answers with the stored reading.
    Measurement { user: UserId, measurement: Measurement, reply: Reply<(i64, Measurement, bool)> },
}

/// A write that has run inside the transaction, holding its answer until the commit.
enum Ran {
    Session(Reply<(i64, bool)>, Result<(i64, bool), StoreError>),
    Measurement(Reply<(i64, Measurement, bool)>, Result<(i64, Measurement, bool), StoreError>),
}

impl Store {
    /// Queues `job` for the next commit and waits for its answer, sent once the transaction
    /// holding it is on disk (or has failed). `make` builds the job around its reply channel.
    pub(crate) async fn commit_with_others<T>(&self, make: impl FnOnce(Reply<T>) -> Job) -> Result<T, StoreError> {
        let (reply, answer) = oneshot::channel();
        let start = {
            let mut queue = lock(&self.group.queue);
            queue.jobs.push(make(reply));
            !std::mem::replace(&mut queue.committing, true)
        };
        if start {
            let store = self.clone();
            tokio::spawn(async move { store.commit_queued().await });
        }
        // The committer always answers, unless it panicked: then nothing is known to be saved.
        answer.await.unwrap_or(Err(StoreError::Unavailable(Unavailable::Busy)))
    }

    /// The committer: commits what is queued, round after round, until nothing is.
    async fn commit_queued(self) {
        let _restart = Restart(&self.group.queue);
        loop {
            let batch: Vec<Job> = {
                let mut queue = lock(&self.group.queue);
                if queue.jobs.is_empty() {
                    queue.committing = false;
                    return;
                }
                let n = queue.jobs.len().min(MOST_AT_ONCE);
                queue.jobs.drain(..n).collect()
            };
            self.commit_batch(batch).await;
        }
    }

    /// Runs `batch` in one transaction and answers each write.
    async fn commit_batch(&self, batch: Vec<Job>) {
        self.group.transactions.fetch_add(1, Ordering::Relaxed);
        let mut write = match self.begin_write().await {
            Ok(write) => write,
            Err(error) => return fail_all(Vec::new(), batch, &error),
        };
        // A lone write needs no savepoint: if it is refused, the whole transaction is undone.
        let alone = batch.len() == 1;
        let mut ran: Vec<Ran> = Vec::with_capacity(batch.len());
        let mut waiting = batch.into_iter();
        while let Some(job) = waiting.next() {
            if !alone {
                if let Err(error) = write.savepoint().await {
                    return fail_all(ran, waiting.collect(), &error);
                }
            }
            let outcome = job.run(&mut write).await;
            let finished = match outcome.error() {
                None if alone => Ok(()),
                None => write.release_savepoint().await,
                // The database itself failed: nothing in this transaction can be trusted.
                Some(StoreError::Unavailable(reason)) => Err(StoreError::Unavailable(*reason)),
                Some(_) if alone => {
                    // Undone by ending the transaction; were that to fail, the write throws
                    // its connection away, which undoes it too. Nothing was saved either way.
                    write.rollback().await.ok();
                    return outcome.answer();
                }
                Some(_) => write.rollback_to_savepoint().await,
            };
            match finished {
                Ok(()) if outcome.error().is_some() => outcome.answer(),
                Ok(()) => ran.push(outcome),
                Err(error) => {
                    ran.push(outcome);
                    return fail_all(ran, waiting.collect(), &error);
                }
            }
        }
        match write.commit().await {
            Ok(()) => ran.into_iter().for_each(Ran::answer),
            Err(error) => fail_all(ran, Vec::new(), &error),
        }
    }
}

impl Job {
    /// Runs the write's statements inside the open transaction.
    async fn run(self, write: &mut Write) -> Ran {
        match self {
            Job::Session { user, day, key, recorded_at_ms, record, reply } => {
                Ran::Session(reply, store_session(write, user, day, &key, recorded_at_ms, &record).await)
            }
            Job::Measurement { user, measurement, reply } => {
                Ran::Measurement(reply, store_measurement(write, user, measurement).await)
            }
        }
    }

    /// Tells the write it was not saved.
    fn fail(self, error: StoreError) {
        match self {
            Job::Session { reply, .. } => drop(reply.send(Err(error))),
            Job::Measurement { reply, .. } => drop(reply.send(Err(error))),
        }
    }
}

impl Ran {
    fn error(&self) -> Option<&StoreError> {
        match self {
            Ran::Session(_, result) => result.as_ref().err(),
            Ran::Measurement(_, result) => result.as_ref().err(),
        }
    }

    /// Sends the write its own result (the commit holding it has returned). A request that
    /// went away meanwhile no longer listens; what was saved stays saved.
    fn answer(self) {
        match self {
            Ran::Session(reply, result) => drop(reply.send(result)),
            Ran::Measurement(reply, result) => drop(reply.send(result)),
        }
    }

    /// Tells the write that nothing was saved after all: the group's transaction failed.
    fn fail(self, error: StoreError) {
        match self {
            Ran::Session(reply, _) => drop(reply.send(Err(error))),
            Ran::Measurement(reply, _) => drop(reply.send(Err(error))),
        }
    }
}

/// The whole group failed: every write that ran and every one still waiting hears `error`.
fn fail_all(ran: Vec<Ran>, waiting: Vec<Job>, error: &StoreError) {
    for outcome in ran {
        outcome.fail(error.again());
    }
    for job in waiting {
        job.fail(error.again());
    }
}

async fn store_session(
    write: &mut Write,
    user: UserId,
    day: NaiveDate,
    key: &str,
    recorded_at_ms: i64,
    record: &SessionRecord,
) -> Result<(i64, bool), StoreError> {
    let existing = sqlx::query("SELECT id FROM sessions WHERE user_id = $1 AND client_key = $2")
        .bind(user.0)
        .bind(key)
        .fetch_optional(&mut **write)
        .await?;
    if let Some(row) = existing {
        return Ok((row.try_get("id")?, false));
    }
    Ok((insert_session(write, user, day, key, recorded_at_ms, record).await?, true))
}

async fn store_measurement(
    write: &mut Write,
    user: UserId,
    stored: Measurement,
) -> Result<(i64, Measurement, bool), StoreError> {
    if let Some(id) = insert_measurement(write, user, &stored, stored.recorded_at_ms).await? {
        return Ok((id, stored, true));
    }
    // A key stored before (or earlier in this very group): the stored reading answers.
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM measurements WHERE user_id = $1 AND client_key = $2"))
        .bind(user.0)
        .bind(stored.client_key.clone())
        .fetch_one(&mut **write)
        .await?;
    Ok((row.try_get("id")?, measurement(&row)?, false))
}

/// The queue's lock; a panic elsewhere while holding it leaves a queue that is still sound.
fn lock(queue: &Mutex<Queue>) -> std::sync::MutexGuard<'_, Queue> {
    queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Were the committer to panic, the next write starts a new one (the writes it held are told
/// nothing was saved: their answer channels close).
struct Restart<'a>(&'a Mutex<Queue>);

impl Drop for Restart<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            lock(self.0).committing = false;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic is the failure message.

    use super::*;
    use crate::sqlite_url;
    use hipcoach_core::catalog::{Catalog, ExerciseId};
    use hipcoach_core::measure::{Method, Rater, TestPosition};
    use hipcoach_core::session::{ExerciseRecord, PainAnswer, SetOutcome, SetRecord, Working};
    use hipcoach_core::units::Side;
    use std::sync::Arc;

    fn day() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn set(side: Side) -> SetRecord {
        SetRecord {
            set: 1,
            working: Working::Side(side),
            outcome: SetOutcome::Completed,
            reps_done: None,
            hold_seconds_done: Some(30),
        }
    }

    /// A session; `twice` lists the left set two times, which the database refuses.
    fn record(twice: bool) -> SessionRecord {
        let sets = if twice { vec![set(Side::Left), set(Side::Left)] } else { vec![set(Side::Left), set(Side::Right)] };
        SessionRecord {
            exercises: vec![ExerciseRecord {
                exercise: ExerciseId::parse("figure-four-stretch").unwrap(),
                sets,
                pain: PainAnswer::NotAnswered,
            }],
            ended_early: false,
            active_ms: 60_000,
        }
    }

    fn reading(key: &str) -> Measurement {
        Measurement {
            day: day(),
            side: Side::Left,
            position: TestPosition::Seated,
            method: Method::Goniometer,
            rater: Rater::Same,
            degrees: 30.0,
            uncertainty: 8.0,
            measured_by: None,
            hard_end_feel: false,
            recorded_at_ms: 0,
            client_key: Some(key.to_owned()),
        }
    }

    async fn answers<T>(sends: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
        let mut answers = Vec::with_capacity(sends.len());
        for send in sends {
            answers.push(send.await.unwrap());
        }
        answers
    }

    async fn store(dir: &tempfile::TempDir) -> Store {
        Store::connect(&sqlite_url(&dir.path().join("group.db")), Arc::new(Catalog::builtin().clone())).await.unwrap()
    }

    /// Forty writes sent at once (on one thread, so all are queued before the committer runs):
    /// one transaction holds them all, and each gets its own answer: the refused session
    /// alone is refused, a key sent twice is stored once and both sends get its id.
    #[tokio::test]
    async fn writes_sent_at_once_share_one_transaction_and_each_gets_its_own_answer() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir).await;
        let user = store.create_user("ana", None).await.unwrap().id;
        let before = store.group.transactions.load(Ordering::Relaxed);

        let sessions: Vec<_> = (0..30)
            .map(|n| {
                let key = if n == 29 { "s0".to_owned() } else { format!("s{n}") };
                let store = store.clone();
                tokio::spawn(async move { store.record_session(user, day(), &key, &record(n == 7)).await })
            })
            .collect();
        let readings: Vec<_> = (0..10)
            .map(|n| {
                let key = if n == 9 { "r0".to_owned() } else { format!("r{n}") };
                let store = store.clone();
                tokio::spawn(async move { store.add_measurement(user, &reading(&key)).await })
            })
            .collect();
        let (sessions, readings) = (answers(sessions).await, answers(readings).await);

        assert_eq!(store.group.transactions.load(Ordering::Relaxed) - before, 1, "one transaction for all forty");
        match &sessions[7] {
            Err(StoreError::Invalid(message)) => assert!(message.contains("twice"), "{message}"),
            other => panic!("the session listing a set twice is refused alone, not {other:?}"),
        }
        assert!(sessions.iter().enumerate().all(|(n, s)| n == 7 || s.is_ok()), "{sessions:?}");
        let (first, retry) = (sessions[0].as_ref().unwrap(), sessions[29].as_ref().unwrap());
        assert_eq!((first.0, first.1, retry.1), (retry.0, true, false), "a key sent twice is one session");
        let (first, retry) = (readings[0].as_ref().unwrap(), readings[9].as_ref().unwrap());
        assert_eq!((first.0, first.2, retry.2), (retry.0, true, false), "a key sent twice is one reading");

        let stored: Vec<String> = store.sessions(user).await.unwrap().into_iter().map(|s| s.client_key).collect();
        let expected: Vec<String> = (0..29).filter(|&n| n != 7).map(|n| format!("s{n}")).collect();
        assert_eq!(stored, expected);
        assert_eq!(store.measurements(user).await.unwrap().len(), 9);
    }

    /// The disk fills up while groups of writes are committed: a group that hits it is refused
    /// as a whole (nobody in it is told "saved"), every write told "saved" is in the file, and
    /// the writer recovers by itself (its replacement connection has no page cap: space is back).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_disk_fails_the_whole_group_and_nothing_acknowledged_is_lost() {
        let dir = tempfile::tempdir().unwrap();
        let store = store(&dir).await;
        let user = store.create_user("ana", None).await.unwrap().id;
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count").fetch_one(&store.writer).await.unwrap();
        sqlx::query(&format!("PRAGMA max_page_count = {}", pages + 2)).execute(&store.writer).await.unwrap();

        let mut acknowledged = Vec::new();
        let mut refused = 0;
        for round in 0..20 {
            let sends: Vec<_> = (0..20)
                .map(|n| {
                    let (store, key) = (store.clone(), format!("s{round}-{n}"));
                    tokio::spawn(async move { (store.record_session(user, day(), &key, &record(false)).await, key) })
                })
                .collect();
            for answer in answers(sends).await {
                match answer {
                    (Ok(_), key) => acknowledged.push(key),
                    (Err(StoreError::Unavailable(Unavailable::DiskFull)), _) => refused += 1,
                    (Err(other), key) => panic!("{key}: expected a full disk, got {other}"),
                }
            }
        }
        assert!(refused >= 1, "the page cap never filled: the test proves nothing");
        assert!(acknowledged.len() > 300, "the writer did not recover after the fault: {} saved", acknowledged.len());
        let mut stored: Vec<String> = store.sessions(user).await.unwrap().into_iter().map(|s| s.client_key).collect();
        stored.sort();
        acknowledged.sort();
        assert_eq!(stored, acknowledged, "every acknowledged write, and only those, is stored");
        store.integrity_check().await.unwrap();
    }
}
