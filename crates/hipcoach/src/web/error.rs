//! The one place errors become HTTP responses: bad input is a 4xx with a message a person can
//! act on; only a fault of ours is a 500, and its details go to the log, not the page.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use hipcoach_store::StoreError;

/// Why a request failed.
#[derive(Debug, thiserror::Error)]
pub enum WebError {
    /// The thing asked for does not exist (or is someone else's).
    #[error("{0}")]
    NotFound(String),
    /// The request was understood but its content is wrong; the message says how to fix it.
    #[error("{0}")]
    Invalid(String),
    /// A step is missing first (e.g. screening before a plan).
    #[error("{0}")]
    Conflict(String),
    /// This needs a logged-in account; pages name the page to come back to after logging in.
    #[error("please log in first")]
    LoginRequired(Option<String>),
    /// A write without the CSRF token of this visitor: another site's form, or a stale page.
    #[error("this form has expired or came from another site; reload the page and try again")]
    Csrf,
    /// Too many failed logins lately; try again in this many minutes.
    #[error("too many failed logins; wait {0} minutes and try again")]
    TooManyAttempts(u64),
    /// Our fault.
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl From<StoreError> for WebError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound(what) => WebError::NotFound(format!("{what} not found")),
            StoreError::Invalid(message) => WebError::Invalid(message),
            StoreError::Conflict(message) => WebError::Conflict(message),
            other => WebError::Internal(other.into()),
        }
    }
}

impl From<anyhow::Error> for WebError {
    /// Workflow errors from the coaching layer are about missing steps or bad values, phrased
    /// for people; database faults inside them stay internal.
    fn from(error: anyhow::Error) -> Self {
        match error.downcast::<StoreError>() {
            Ok(store) => store.into(),
            Err(other) => WebError::Conflict(format!("{other:#}")),
        }
    }
}

impl From<axum::extract::rejection::JsonRejection> for WebError {
    /// A JSON body that does not parse or does not fit the endpoint's shape; the extractor's
    /// message names the field and what was expected.
    fn from(rejection: axum::extract::rejection::JsonRejection) -> Self {
        WebError::Invalid(format!("{}; see /api/openapi.json for the expected body", rejection.body_text()))
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
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::LoginRequired(_) => StatusCode::UNAUTHORIZED,
            WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            WebError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = (status, Json(serde_json::json!({ "error": self.to_string() }))).into_response();
        if let WebError::TooManyAttempts(minutes) = self {
            response.headers_mut().insert(axum::http::header::RETRY_AFTER, (minutes * 60).into());
        }
        response
    }
}

/// A local path as a query value.
fn url_escape(path: &str) -> String {
    serde_urlencoded::to_string([("", path)]).map(|s| s[1..].to_owned()).unwrap_or_default()
}
