//! The JSON body of an API request, refused the same way on every route.
//!
//! axum's own `Json` answers a missing content type with 415, a syntax error with 400 and a
//! wrong shape with 422, in plain text; routes that caught the rejection themselves answered
//! differently from those that did not. Every JSON route takes [`JsonBody`] instead, whose
//! refusals all go through [`WebError`]: the same status for the same mistake everywhere.

use crate::WebError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

/// A request body parsed as JSON into `T`.
#[derive(Debug)]
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for JsonBody<T> {
    type Rejection = WebError;

    async fn from_request(request: Request, state: &S) -> Result<Self, WebError> {
        match Json::<T>::from_request(request, state).await {
            Ok(Json(value)) => Ok(JsonBody(value)),
            Err(rejection) => Err(rejection.into()),
        }
    }
}

impl From<JsonRejection> for WebError {
    /// A body sent as something other than JSON is a 415; one that is too large, a 413; one that
    /// does not parse or does not fit the route's shape, a 422 whose message names the field.
    fn from(rejection: JsonRejection) -> Self {
        match rejection {
            JsonRejection::MissingJsonContentType(_) => WebError::NotJson,
            JsonRejection::BytesRejection(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                WebError::TooLarge
            }
            other => WebError::Invalid(format!("{}; see /api/openapi.json for the expected body", other.body_text())),
        }
    }
}
