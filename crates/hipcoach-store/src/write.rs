//! One write transaction, all or nothing, on a connection that is never reused in doubt.
//! (A request cut off during `COMMIT` may still have been saved: sessions carry a retry key, so
//! sending one again stores it once.)
//!
//! sqlx's own `Transaction` counts nesting levels itself. When SQLite rolls a transaction back
//! on its own (it does on "database or disk is full") and the following `ROLLBACK` then fails,
//! that count stays one too high: every later "transaction" on the connection becomes a
//! savepoint inside a transaction that never commits, so writes were answered as saved and
//! never reached the file. A [`Write`] holds its pooled connection instead and issues
//! `BEGIN`/`COMMIT` itself; unless `COMMIT` succeeds, or `ROLLBACK` does on purpose, the
//! connection is closed rather than returned (closing rolls back whatever was open), and the
//! pool opens a fresh one for the next write. So a fault costs one reconnect and the writer
//! recovers by itself once the cause (a full disk, say) has gone.

use crate::store::Backend;
use crate::{Store, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyConnection, Executor};
use std::ops::{Deref, DerefMut};

/// An open write transaction; use it as the executor of each statement (`&mut *write`), then
/// [`Write::commit`]. Dropped without committing — an error, a refusal, a request whose
/// client went away — it throws its connection away, undoing everything.
pub(crate) struct Write {
    connection: Option<PoolConnection<Any>>,
}

impl Store {
    /// Starts a write. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`), so a
    /// second process waits for its turn at the start instead of failing halfway through.
    pub(crate) async fn begin_write(&self) -> Result<Write, StoreError> {
        if self.damaged.load(std::sync::atomic::Ordering::Relaxed) {
            return Err(StoreError::Unavailable(crate::Unavailable::Damaged));
        }
        // Held by the `Write` before `BEGIN` is sent, so that a request cancelled while waiting
        // for the lock still discards the connection rather than returning it mid-transaction.
        let mut write = Write { connection: Some(self.writer.acquire().await?) };
        let begin = match self.backend {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        };
        write.execute(begin).await?;
        Ok(write)
    }
}

impl Write {
    /// Makes everything durable; only an `Ok` here may be reported as saved.
    pub(crate) async fn commit(mut self) -> Result<(), StoreError> {
        self.finish("COMMIT").await
    }

    /// Undoes everything on purpose (nothing needed writing after all), keeping the connection.
    pub(crate) async fn rollback(mut self) -> Result<(), StoreError> {
        self.finish("ROLLBACK").await
    }

    /// Marks where the next of several writes sharing this transaction starts (group commit).
    pub(crate) async fn savepoint(&mut self) -> Result<(), StoreError> {
        self.execute("SAVEPOINT one_write").await
    }

    /// Keeps what was written since [`Write::savepoint`].
    pub(crate) async fn release_savepoint(&mut self) -> Result<(), StoreError> {
        self.execute("RELEASE SAVEPOINT one_write").await
    }

    /// Undoes what was written since [`Write::savepoint`], and only that.
    pub(crate) async fn rollback_to_savepoint(&mut self) -> Result<(), StoreError> {
        self.execute("ROLLBACK TO SAVEPOINT one_write").await?;
        self.execute("RELEASE SAVEPOINT one_write").await
    }

    /// Ends the transaction with `statement`; only once it has succeeded does the connection
    /// go back to the pool (a failure, or a request cancelled meanwhile, drops it instead).
    async fn finish(&mut self, statement: &str) -> Result<(), StoreError> {
        self.execute(statement).await?;
        if let Some(connection) = self.connection.take() {
            drop(connection);
        }
        Ok(())
    }

    /// Runs one statement on the connection; on failure the connection is thrown away at once.
    async fn execute(&mut self, statement: &str) -> Result<(), StoreError> {
        let result = match self.connection.as_deref_mut() {
            Some(connection) => connection.execute(statement).await.map(drop),
            None => return Ok(()),
        };
        if let Err(error) = result {
            if let Some(connection) = self.connection.take() {
                discard(connection);
            }
            return Err(error.into());
        }
        Ok(())
    }
}

impl Deref for Write {
    type Target = AnyConnection;

    fn deref(&self) -> &AnyConnection {
        self.connection.as_deref().expect("a write is used only while open")
    }
}

impl DerefMut for Write {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        self.connection.as_deref_mut().expect("a write is used only while open")
    }
}

impl Drop for Write {
    fn drop(&mut self) {
        if let Some(connection) = self.connection.take() {
            discard(connection);
        }
    }
}

/// Takes the connection out of the pool and closes it: the database rolls back whatever it had
/// open, and the pool opens a clean replacement when it is next needed.
fn discard(connection: PoolConnection<Any>) {
    drop(connection.detach());
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // Test code: a panic is the failure message.

    use crate::{Store, StoreError, Unavailable, sqlite_url};
    use hipcoach_core::catalog::{Catalog, ExerciseId};
    use hipcoach_core::session::{ExerciseRecord, PainAnswer, SessionRecord, SetOutcome, SetRecord, Working};
    use hipcoach_core::units::Side;
    use std::sync::Arc;

    fn record() -> SessionRecord {
        SessionRecord {
            exercises: vec![ExerciseRecord {
                exercise: ExerciseId::parse("figure-four-stretch").unwrap(),
                sets: vec![SetRecord {
                    set: 1,
                    working: Working::Side(Side::Left),
                    outcome: SetOutcome::Completed,
                    reps_done: None,
                    hold_seconds_done: Some(30),
                }],
                pain: PainAnswer::NotAnswered,
            }],
            ended_early: false,
            active_ms: 60_000,
        }
    }

    /// The disk fills up mid-way (SQLite's page cap on the writer's connection stands in for
    /// the filesystem: the same "database or disk is full" error): the write that hits it is
    /// refused as a full disk, every write acknowledged before or after is in the file, and the
    /// writer recovers without a restart (its replacement connection has no cap: space is back).
    #[tokio::test]
    async fn a_full_disk_refuses_the_write_and_the_writer_recovers_by_itself() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::connect(&sqlite_url(&dir.path().join("full.db")), Arc::new(Catalog::builtin().clone()))
            .await
            .unwrap();
        let user = store.create_user("ana", None).await.unwrap().id;
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count").fetch_one(&store.writer).await.unwrap();
        sqlx::query(&format!("PRAGMA max_page_count = {}", pages + 2)).execute(&store.writer).await.unwrap();

        let mut acknowledged = Vec::new();
        let mut refused = 0;
        for n in 0..400 {
            let key = format!("s{n}");
            match store.record_session(user, day, &key, &record()).await {
                Ok(_) => acknowledged.push(key),
                Err(StoreError::Unavailable(Unavailable::DiskFull)) => refused += 1,
                Err(other) => panic!("write {n}: expected a full disk, got {other}"),
            }
        }
        assert!(refused >= 1, "the page cap never filled: the test proves nothing");
        assert!(acknowledged.len() > 300, "the writer did not recover after the fault: {} saved", acknowledged.len());
        let stored: Vec<String> = store.sessions(user).await.unwrap().into_iter().map(|s| s.client_key).collect();
        assert_eq!(stored, acknowledged, "every acknowledged write, and only those, is stored");
        store.integrity_check().await.unwrap();
    }
}
