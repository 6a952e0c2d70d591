//! The OpenAPI document of the JSON API, derived from the handlers' `#[utoipa::path]`
//! annotations and the request and response types themselves, so a change to a type changes
//! the document. The web tests check that each API route of the route table is listed, that
//! each names its schemas, and that real answers (and errors) match them.

use axum::http::header;
use axum::response::IntoResponse;
use std::sync::LazyLock;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "hipcoach",
        description = "Exercise guidance, not medical advice. Requests act for the account of the login cookie \
                       (set by the log-in form); every write also sends the page's CSRF token \
                       (`<meta name=\"csrf-token\">`) in the `x-csrf-token` header. Errors are JSON \
                       `{\"error\": …}` saying what went wrong and how to fix it."
    ),
    paths(
        super::library::list_json,
        super::library::show_json,
        super::today::plan_json,
        super::player::timeline,
        super::history::list_json,
        super::player::finish,
        super::history::show_json,
        super::measure::list_json,
        super::measure::add_json,
        super::measure::add_inclinometer_json,
        super::clip::add_camera_json,
        super::measure::trend_json,
        super::checkin::add_json,
        openapi,
    ),
    modifiers(&Security),
)]
struct ApiDoc;

/// The login cookie and the CSRF header.
struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("login", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("hc_session"))));
        components
            .add_security_scheme("csrf", SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::new("x-csrf-token"))));
    }
}

/// The document, built and serialised once.
static DOCUMENT: LazyLock<String> =
    LazyLock::new(|| ApiDoc::openapi().to_pretty_json().unwrap_or_else(|_| String::from("{}")));

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", security(()), tag = "api",
    responses((status = 200, body = Object, description = "The OpenAPI 3.1 document of this API")))]
pub async fn openapi() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], DOCUMENT.as_str())
}
