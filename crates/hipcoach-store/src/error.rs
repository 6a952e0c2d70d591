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
    /// The database URL is not one hipcoach can use.
    #[error("{0}")]
    Config(String),
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        Self::Invalid(message.into())
    }
}
