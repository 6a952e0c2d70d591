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

use crate::error::StoreError;
use hipcoach_core::catalog::Catalog;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Once};
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
        static DRIVERS: Once = Once::new();
        DRIVERS.call_once(sqlx::any::install_default_drivers);

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
        let store = match backend {
            Backend::Sqlite => {
                let writer = sqlite_pool(1).connect_with(options.clone()).await?;
                SQLITE_MIGRATIONS.run(&writer).await?;
                let reader = sqlite_pool(8).connect_with(options).await?;
                Store { writer, reader, backend, catalog }
            }
            Backend::Postgres => {
                let pool = AnyPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                POSTGRES_MIGRATIONS.run(&pool).await?;
                Store { writer: pool.clone(), reader: pool, backend, catalog }
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
        let verdict: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&self.reader).await?;
        if verdict == "ok" { Ok(()) } else { Err(StoreError::Conflict(format!("integrity check failed: {verdict}"))) }
    }

    /// Closes the pools, waiting for writes in flight.
    pub async fn close(&self) {
        self.writer.close().await;
        self.reader.close().await;
    }
}

fn sqlite_pool(max: u32) -> AnyPoolOptions {
    AnyPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(|connection, _| {
            Box::pin(async move {
                connection
                    .execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                    )
                    .await?;
                Ok(())
            })
        })
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
