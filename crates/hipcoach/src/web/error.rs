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
        let status = match &self {
            WebError::NotFound(_) => StatusCode::NOT_FOUND,
            WebError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Internal(error) => {
                tracing::error!(error = format!("{error:#}"), "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        (status, Json(serde_json::json!({ "error": self.to_string() }))).into_response()
    }
}
