//! The one place errors become HTTP responses: bad input is a 4xx with a message a person can
//! act on; only a fault of ours is a 500, and its details go to the log, not the page.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hipcoach_store::{StoreError, Unavailable};
use hipcoach_workflows::WorkflowError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The thing asked for does not exist (or is someone else's).
    #[error("{0}")]
    NotFound(String),
    /// The request was understood but its content is wrong; the message says how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// The body is not JSON (by its content type) where JSON is expected.
    #[error("send the body as JSON, with the header Content-Type: application/json")]
    NotJson,
    /// The body is larger than any this route takes.
    #[error("the request is larger than this server takes; send less at once")]
    TooLarge,
    /// A step is missing first (e.g. screening before a plan).
    #[error("{0}")]
    Conflict(String),
    /// This needs a logged-in account; pages name the page to come back to after logging in.
    #[error("please log in first")]
    LoginRequired(Option<String>),
    /// Not allowed here, and why.
    #[error("{0}")]
    Forbidden(String),
    /// A write without the CSRF token of this visitor: another site's form, or a stale page.
    #[error("this form has expired or came from another site; reload the page and try again")]
    Csrf,
    /// Too many failed logins lately; try again in this many minutes.
    #[error("too many failed logins; wait {0} minutes and try again")]
    TooManyAttempts(u64),
    /// The database cannot serve anyone right now (a full disk, a damaged file, too busy);
    /// nothing was saved, and the message says so.
    #[error("{0}")]
    Unavailable(Unavailable),
    /// Too many new accounts from this address lately; try again in this many minutes.
    #[error("too many new accounts from this address lately; wait {0} minutes and try again")]
    TooManySignUps(u64),
    /// Too many requests of this kind are waiting already (password checks in a flood).
    #[error("the server is busy; try again in a moment")]
    Busy,
    /// The request ran past its deadline and was stopped.
    #[error(
        "this request took too long and was stopped; if it was saving something, check whether it arrived before sending it again"
    )]
    TimedOut,
    /// Our fault.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => WebError::NotFound(format!("{what} not found")),
            StoreError::Invalid(message) => WebError::Invalid(message),
            StoreError::Conflict(message) => WebError::Conflict(message),
            StoreError::Unavailable(reason) => WebError::Unavailable(reason),
            other => WebError::Internal(other.into()),
        }
    }
}

impl From<WorkflowError> for WebError {
    /// Workflow errors are phrased for people; a safety refusal is a conflict with what is
    /// stored (the screening), so it is a 409 like any other missing step. Storage errors inside
    /// them map as the store's own do.
    fn from(error: WorkflowError) -> Self {
        match error {
            WorkflowError::NotFound(message) => WebError::NotFound(message),
            invalid @ WorkflowError::Invalid { .. } => WebError::Invalid(invalid.to_string()),
            WorkflowError::RefusedForSafety(message) | WorkflowError::Conflict(message) => WebError::Conflict(message),
            WorkflowError::Storage(store) => store.into(),
            WorkflowError::Internal(message) => WebError::Internal(message.into()),
        }
    }
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        if let WebError::LoginRequired(Some(path)) = &self {
            let next: String = url_escape(path);
            return axum::response::Redirect::to(&format!("/login?next={next}")).into_response();
        }
        let status = match &self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::NotJson => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            WebError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::LoginRequired(_) => StatusCode::UNAUTHORIZED,
            WebError::Csrf | WebError::Forbidden(_) => StatusCode::FORBIDDEN,
            WebError::TooManyAttempts(_) | WebError::TooManySignUps(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::TimedOut | WebError::Busy => StatusCode::SERVICE_UNAVAILABLE,
            WebError::Unavailable(reason) => {
                if *reason == Unavailable::Busy {
                    tracing::warn!(%reason, "the database is busy");
                } else {
                    tracing::error!(%reason, "the database refused a request");
                }
                match reason {
                    Unavailable::DiskFull => StatusCode::INSUFFICIENT_STORAGE,
                    Unavailable::Damaged | Unavailable::ReadOnly | Unavailable::Busy => StatusCode::SERVICE_UNAVAILABLE,
                }
            }
            WebError::Internal(error) => {
                let causes: Vec<String> =
                    std::iter::successors(Some(&**error as &dyn std::error::Error), |e| e.source())
                        .map(ToString::to_string)
                        .collect();
                tracing::error!(error = causes.join(": "), "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = (status, Json(ErrorBody { error: self.to_string() })).into_response();
        if let WebError::Unavailable(reason) = self {
            // For `middleware::notice_damage`, which tells the store.
            response.extensions_mut().insert(reason);
        }
        let retry_after_seconds = match self {
            WebError::TooManyAttempts(minutes) | WebError::TooManySignUps(minutes) => Some(minutes * 60),
            WebError::Unavailable(Unavailable::Busy) | WebError::TimedOut | WebError::Busy => Some(1),
            _ => None,
        };
        if let Some(seconds) = retry_after_seconds {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

/// A local path as a query value.
fn url_escape(path: &str) -> String {
    serde_urlencoded::to_string([("", path)]).map(|s| s[1..].to_owned()).unwrap_or_default()
}

/// The body of every error answer to a script.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong and how to fix it, in words.
    pub error: String,
}

/// How an API request can fail, for the OpenAPI document: always [`ErrorBody`], with the status
/// saying which kind of mistake it was.
#[derive(utoipa::IntoResponses)]
#[expect(dead_code, reason = "it only describes the answer in the API document; WebError writes it")]
pub enum ClientError {
    /// The request's fault.
    #[response(
        status = "4XX",
        description = "Log in first (401); a write without this login's CSRF token (403); not found, or not yours \
                       (404); a step missing first, such as the screening (409); a body too large (413); a body that \
                       is not JSON (415); invalid input (422); too many attempts (429). `error` says which, and how to \
                       fix it."
    )]
    Request(#[to_schema] ErrorBody),
    /// Nothing the request could change.
    #[response(
        status = "5XX",
        description = "Nothing was saved: the database is damaged, read-only or busy, or the request ran too long \
                       (503, with Retry-After when trying again soon may work); the server's disk is full (507). \
                       `error` says which."
    )]
    Server(#[to_schema] ErrorBody),
}
