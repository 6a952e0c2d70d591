//! Opening the database: SQLite (the default, a file) or PostgreSQL, chosen by URL.
//!
//! Both engines run the same queries (numbered `$1` parameters work in both) through sqlx's
//! `Any` driver, so there is one implementation to test; only the migrations differ, because
//! the column types do.
//!
//! SQLite is opened in WAL mode with `synchronous = FULL`: a transaction is on disk when its
//! commit returns, so an acknowledged write survives the process being killed and a power cut.
//! All SQLite writes go through a pool of one connection (one writer at a time, which is all
//! SQLite allows anyway), so writers queue instead of failing with "database is locked";
//! reads use their own pool and run alongside.

use crate::error::{StoreError, Unavailable};
use hipcoach_core::catalog::Catalog;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyConnection, AnyPool, Connection, Executor};
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("migrations/postgres");

/// Which engine is behind the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// The database, ready to use. Cheap to clone; clones share the pools.
#[derive(Clone)]
pub struct Store {
    pub(crate) writer: AnyPool,
    pub(crate) reader: AnyPool,
    pub(crate) backend: Backend,
    pub(crate) catalog: Arc<Catalog>,
    /// Set once any read or write found the database damaged: from then on writes are refused
    /// (reads go on, so people can still see and export what is there) until a restart (for
    /// SQLite, the quick check at start-up then says what to do).
    pub(crate) damaged: Arc<AtomicBool>,
    /// Session records and readings waiting to share the next commit.
    pub(crate) group: Arc<crate::group_commit::GroupCommit>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("backend", &self.backend).finish_non_exhaustive()
    }
}

/// The URL of the default database file inside `data_dir`.
pub fn sqlite_url(path: &Path) -> String {
    format!("sqlite://{}?mode=rwc", path.display())
}

impl Store {
    /// Connects, creating the SQLite file if needed, and brings the schema up to date.
    /// `catalog` is what exercise ids are checked against before anything is written.
    pub async fn connect(url: &str, catalog: Arc<Catalog>) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::Config(format!(
                "`{}` is not a database URL hipcoach understands: use sqlite://PATH or postgres://USER@HOST/DB",
                redact(url)
            )));
        };
        let options = AnyConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("cannot read the database URL {}: {e}", redact(url))))?;
        let place = Place::of(url, backend);
        // One connection first, outside any pool: a file that is not a database, a folder that
        // cannot be written or a server that refuses says so at once, instead of a pool
        // retrying it until its timeout and reporting only "pool timed out".
        let mut first = AnyConnection::connect_with(&options).await.map_err(|e| place.cannot_open(&e))?;
        match backend {
            Backend::Sqlite => {
                first.execute(SQLITE_PRAGMAS).await.map_err(|e| place.cannot_open(&e))?;
                let verdict: String = sqlx::query_scalar("PRAGMA quick_check(1)")
                    .fetch_one(&mut first)
                    .await
                    .map_err(|e| place.cannot_open(&e))?;
                if verdict != "ok" {
                    return Err(place.damaged(&verdict));
                }
                SQLITE_MIGRATIONS.run(&mut first).await.map_err(|e| place.cannot_migrate(e))?;
            }
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&mut first).await.map_err(|e| place.cannot_migrate(e))?,
        }
        first.close().await.map_err(|e| place.cannot_open(&e))?;
        let store = match backend {
            Backend::Sqlite => {
                let writer = sqlite_pool(1).connect_with(options.clone()).await?;
                let reader = sqlite_pool(8).connect_with(options).await?;
                Store { writer, reader, backend, catalog, damaged: Arc::default(), group: Arc::default() }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(ACQUIRE_TIMEOUT)
                    .connect_with(options)
                    .await?;
                Store {
                    writer: pool.clone(),
                    reader: pool,
                    backend,
                    catalog,
                    damaged: Arc::default(),
                    group: Arc::default(),
                }
            }
        };
        Ok(store)
    }

    /// Which engine this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The catalog exercise ids are checked against.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Runs SQLite's `integrity_check` (PostgreSQL checks itself); `Ok` means the file is sound.
    pub async fn integrity_check(&self) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            return Ok(());
        }
        let mut connection = self.reader.acquire().await?;
        let problems = integrity_problems(&mut connection).await?;
        if problems.is_empty() {
            Ok(())
        } else {
            Err(StoreError::Conflict(format!("integrity check failed: {}", problems.join("; "))))
        }
    }

    /// Reads every page of the SQLite file at `path` — read-only, without opening it as a
    /// store, so a damaged file can be examined — and returns what is wrong (nothing: the file
    /// is sound).
    pub async fn check_file(path: &Path) -> Result<Vec<String>, StoreError> {
        sqlx::any::install_default_drivers();
        let place = Place(path.display().to_string());
        let url = format!("sqlite://{}?mode=ro", path.display());
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Config(format!("cannot read the database URL {url}: {e}")))?;
        let mut connection = AnyConnection::connect_with(&options).await.map_err(|e| place.cannot_open(&e))?;
        let problems = match integrity_problems(&mut connection).await {
            Ok(problems) => problems,
            Err(StoreError::Unavailable(Unavailable::Damaged)) => {
                vec!["it is not a SQLite database, or its first pages are too damaged to check".to_owned()]
            }
            Err(other) => return Err(other),
        };
        connection.close().await?;
        Ok(problems)
    }

    /// Records that the database was found damaged (by an error a caller received): writes are
    /// refused from now on, so nothing more is added to a file that needs restoring.
    pub fn note_damage(&self) {
        if !self.damaged.swap(true, Ordering::Relaxed) {
            tracing::error!("the database is damaged: writes are refused until it is restored and hipcoach restarted");
        }
    }

    /// Closes the pools, waiting for writes in flight.
    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

/// Every SQLite connection's settings: write-ahead log, a commit is on disk when it returns,
/// foreign keys checked, and a writer from another process waited for (up to 5 s).
const SQLITE_PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;";

/// How long a request waits for a connection before it is told the server is busy.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// SQLite's full check, every problem a line; none when the file is sound.
async fn integrity_problems(connection: &mut AnyConnection) -> Result<Vec<String>, StoreError> {
    let lines: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(connection).await?;
    Ok(lines.into_iter().filter(|line| line != "ok").collect())
}

/// A pool of SQLite connections. Not pinged before each use (sqlx's default, a round trip to
/// the connection's thread that a profile found in every query): a connection to a local
/// file does not go stale, and one that failed is thrown away rather than returned.
fn sqlite_pool(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new().max_connections(max).acquire_timeout(ACQUIRE_TIMEOUT).after_connect(|connection, _| {
        Box::pin(async move {
            connection.execute(SQLITE_PRAGMAS).await?;
            Ok(())
        })
    })
}

/// Where the database is, for messages: the SQLite file's path, or the server's URL without
/// its password.
struct Place(String);

impl Place {
    fn of(url: &str, backend: Backend) -> Place {
        match backend {
            Backend::Sqlite => {
                let path = url.trim_start_matches("sqlite:").trim_start_matches("//");
                Place(path.split('?').next().unwrap_or(path).to_owned())
            }
            Backend::Postgres => Place(format!("the PostgreSQL database {}", redact(url))),
        }
    }

    /// Why the database could not be opened, and what to do about it.
    fn cannot_open(&self, error: &sqlx::Error) -> StoreError {
        let place = &self.0;
        let advice = match crate::error::unavailable(error) {
            Some(Unavailable::Damaged) => format!(
                "{place} is not a hipcoach database, or it is damaged; move it aside and restore your latest \
                 backup, or choose another data folder with --data-dir"
            ),
            Some(Unavailable::ReadOnly) => format!(
                "{place} cannot be written to: hipcoach needs to write to the file and to its folder (its \
                 journal sits beside it); fix the permissions, or choose another data folder with --data-dir"
            ),
            Some(Unavailable::DiskFull) => format!("the disk holding {place} is full; free some space and start again"),
            Some(Unavailable::Busy) => {
                format!("{place} is locked by another program for too long; stop it, or wait, and start again")
            }
            None if error.as_database_error().and_then(|e| e.code()).as_deref() == Some("14") => format!(
                "cannot create or open {place}: check that its folder exists and that this user may write to it, \
                 or choose another data folder with --data-dir"
            ),
            None => format!("cannot open {place}: {error}"),
        };
        StoreError::CannotOpen(advice)
    }

    fn damaged(&self, verdict: &str) -> StoreError {
        StoreError::CannotOpen(format!(
            "{} is damaged (SQLite's quick check found: {}); restore your latest backup, or run hipcoach check for \
             the full list of problems",
            self.0,
            verdict.lines().next().unwrap_or(verdict)
        ))
    }

    fn cannot_migrate(&self, error: sqlx::migrate::MigrateError) -> StoreError {
        use sqlx::migrate::MigrateError;
        match error {
            MigrateError::VersionMissing(version) | MigrateError::VersionTooNew(version, _) => {
                StoreError::CannotOpen(format!(
                    "{} was last used by a newer version of hipcoach (it has database change {version}, which this \
                     version does not know); run that newer version, or restore a backup made with this one",
                    self.0
                ))
            }
            MigrateError::Execute(error) | MigrateError::ExecuteMigration(error, _) => self.cannot_open(&error),
            other => StoreError::CannotOpen(format!("cannot bring {} up to date: {other}", self.0)),
        }
    }
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://coach:s3cret@db/hip"), "postgres://coach:***@db/hip");
        assert_eq!(redact("postgres://coach@db/hip"), "postgres://coach@db/hip");
        assert_eq!(redact("sqlite:///tmp/a.db"), "sqlite:///tmp/a.db");
    }
}
