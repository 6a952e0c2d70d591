//! Why a workflow did not do what was asked, in words a person can act on.
//!
//! Each front end decides how to show it: the web picks a status code (in `hipcoach-web`'s
//! `error.rs`, the one mapping), the command line prints the message and exits with 1.

use hipcoach_store::StoreError;

/// Why a workflow failed.
#[derive(Debug, thiserror::Error)]
pub enum WorkflowError {
    /// The thing asked for does not exist, or belongs to someone else (indistinguishable on purpose).
    #[error("{0}")]
    NotFound(String),
    /// A value given is not acceptable: `field` names it as the person gave it, `reason` says how to fix it.
    #[error("{field}: {reason}")]
    Invalid {
        /// The field, flag or key, as the person sees it.
        field: String,
        /// What is wrong and what would be accepted.
        reason: String,
    },
    /// The safety rules do not allow this; the reason says why and what to do instead.
    #[error("{0}")]
    RefusedForSafety(String),
    /// A step is missing first (screening before a plan), or the request clashes with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// The store failed, or refused a value it checks itself.
    #[error(transparent)]
    Storage(#[from] StoreError),
    /// A fault on our side that the person cannot fix: a stored record this version cannot
    /// read, a file that cannot be written. The message is for the log.
    #[error("{0}")]
    Internal(String),
}

impl WorkflowError {
    /// An invalid value of `field`.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), reason: reason.into() }
    }

    /// A missing step or a clash.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::Conflict(message.into())
    }
}

/// A page's session log that cannot be replayed is a value of the `log` field refused.
impl From<hipcoach_core::session::timeline::LogError> for WorkflowError {
    fn from(error: hipcoach_core::session::timeline::LogError) -> Self {
        Self::invalid("log", error.to_string())
    }
}

/// What workflows return.
pub type Result<T, E = WorkflowError> = std::result::Result<T, E>;
