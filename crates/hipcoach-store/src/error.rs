//! Storage errors, mapped to HTTP statuses in one place by the web adapter.

/// What went wrong when reading or writing.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist, or belongs to someone else (the two are indistinguishable on purpose).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The write clashes with existing data, e.g. a user name already taken.
    #[error("{0}")]
    Conflict(String),
    /// The data was refused before it reached the database; the message says what and how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// The database could not be opened at start; the message names it and says what to do.
    #[error("{0}")]
    CannotOpen(String),
    /// The database URL is not one hipcoach can use.
    #[error("{0}")]
    Config(String),
    /// The database cannot do its job for a reason outside the request; nothing was saved.
    #[error("{0}")]
    Unavailable(Unavailable),
    /// The database failed.
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// Migrations failed.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

/// Why the database cannot serve anyone right now. Each says, for the person who sees it, that
/// nothing was saved and what will make it work again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Unavailable {
    /// The disk (or the database's quota) is full.
    #[error("the server's disk is full, so nothing was saved; try again once its owner has freed some space")]
    DiskFull,
    /// The file is not a database, or part of it is damaged.
    #[error(
        "the server's database is damaged, so nothing was read or saved; whoever runs the server needs to restore its latest backup"
    )]
    Damaged,
    /// The file or its folder cannot be written to.
    #[error("the server's database cannot be written to (its file or folder is read-only), so nothing was saved")]
    ReadOnly,
    /// Another writer holds the database for longer than we wait, or every connection is busy.
    #[error("the server is busy, so nothing was saved; try again in a moment")]
    Busy,
}

impl From<sqlx::Error> for StoreError {
    /// Faults of the database itself (a full disk, a damaged file, a lock held too long) are
    /// told apart from our own mistakes, so people get a reason and the right status instead
    /// of "internal error".
    fn from(error: sqlx::Error) -> Self {
        match unavailable(&error) {
            Some(reason) => StoreError::Unavailable(reason),
            None => StoreError::Database(error),
        }
    }
}

/// Classifies an error by SQLite's primary result code or PostgreSQL's SQLSTATE.
pub(crate) fn unavailable(error: &sqlx::Error) -> Option<Unavailable> {
    match error {
        sqlx::Error::PoolTimedOut => Some(Unavailable::Busy),
        sqlx::Error::Database(database) => {
            let code = database.code()?;
            if database.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                // Extended result codes carry the primary code in their low byte.
                match code.parse::<i32>().ok()? & 0xff {
                    13 => Some(Unavailable::DiskFull),     // SQLITE_FULL
                    11 | 26 => Some(Unavailable::Damaged), // SQLITE_CORRUPT, SQLITE_NOTADB
                    8 => Some(Unavailable::ReadOnly),      // SQLITE_READONLY
                    5 | 6 => Some(Unavailable::Busy),      // SQLITE_BUSY, SQLITE_LOCKED
                    _ => None,
                }
            } else {
                match &*code {
                    "53100" => Some(Unavailable::DiskFull),          // disk_full
                    "XX001" | "XX002" => Some(Unavailable::Damaged), // data_corrupted, index_corrupted
                    "25006" => Some(Unavailable::ReadOnly),          // read_only_sql_transaction
                    "53300" | "55P03" => Some(Unavailable::Busy),    // too_many_connections, lock_not_available
                    _ => None,
                }
            }
        }
        _ => None,
    }
}

impl StoreError {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }

    /// The same error again, for each of the writes a failed group commit held (a database
    /// driver's error cannot be cloned: its words are kept).
    pub(crate) fn again(&self) -> StoreError {
        match self {
            Self::NotFound(what) => Self::NotFound(what),
            Self::Conflict(message) => Self::Conflict(message.clone()),
            Self::Invalid(message) => Self::Invalid(message.clone()),
            Self::CannotOpen(message) => Self::CannotOpen(message.clone()),
            Self::Config(message) => Self::Config(message.clone()),
            Self::Unavailable(reason) => Self::Unavailable(*reason),
            Self::Database(error) => Self::Database(sqlx::Error::Protocol(error.to_string())),
            Self::Migration(error) => Self::Config(error.to_string()),
        }
    }
}
