//! The web app: `hipcoach serve`. Server-rendered pages (maud, escaped by default) with a
//! little JavaScript for the session player, a JSON API, and no state of its own beyond the
//! store, so several instances can share one PostgreSQL database.
//!
//! It lives in the binary crate because it shares the coaching workflows (`coaching.rs`:
//! load a program, record a session, review progression) with the CLI; those move to a library
//! crate when a second front end needs them outside this binary.
//!
//! # Layout
//! - `error`: the one mapping from errors to HTTP responses.
//! - `layout`: the page shell; `diagram`: SVG figures of the starting positions; `ir_chart`:
//!   hip rotation over time; `form`: what every HTML form shares (kept fields, errors, CSRF field).
//! - `routes/`: one file per page or API area.
//! - `assets/`: CSS, the player and the phone-inclinometer scripts, embedded in the binary.

mod diagram;
mod error;
mod form;
mod ir_chart;
mod layout;
mod routes;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use hipcoach_core::catalog::Catalog;
use hipcoach_store::Store;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;

pub use error::WebError;

/// How the server behaves, decided once at start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The one local user every request acts for: a personal machine needs no sign-up.
    pub user: String,
    /// Caps every timed step of the player at this many milliseconds (demos and end-to-end
    /// tests walk the real player quickly); `None` in normal use.
    pub quick_step_ms: Option<u64>,
    /// "Today", when tests pin it.
    pub today: Option<chrono::NaiveDate>,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Store,
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) settings: Arc<Settings>,
}

impl AppState {
    pub(crate) fn today(&self) -> chrono::NaiveDate {
        crate::calendar::today(self.settings.today)
    }

    pub(crate) async fn user(&self) -> Result<hipcoach_store::User, WebError> {
        Ok(self.store.local_user(&self.settings.user).await?)
    }
}

/// The whole app as a router, for `serve` and for tests.
pub fn router(store: Store, catalog: Catalog, settings: Settings) -> Router {
    let state = AppState { store, catalog: Arc::new(catalog), settings: Arc::new(settings) };
    routes::router()
        .with_state(state)
        .layer(axum::middleware::from_fn(same_origin_writes))
        .layer(axum::middleware::map_response(security_headers))
}

/// Refuses writes that another site's page sends to this server (cross-site request forgery):
/// browsers label them with `Sec-Fetch-Site: cross-site` or a foreign `Origin`. Together with
/// JSON-only API writes (a form on another site cannot send JSON without a CORS preflight,
/// which this server never grants) this protects the single-user server on 127.0.0.1.
async fn same_origin_writes(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::{Method, StatusCode};
    use axum::response::IntoResponse;
    let write = !matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let headers = request.headers();
    let cross_site = headers.get("sec-fetch-site").is_some_and(|v| v == "cross-site");
    let foreign_origin = match (headers.get(header::ORIGIN), headers.get(header::HOST)) {
        (Some(origin), Some(host)) => {
            let origin = origin.to_str().unwrap_or("");
            let host = host.to_str().unwrap_or("");
            origin != "null" && origin.split_once("://").map(|(_, rest)| rest) != Some(host)
        }
        _ => false,
    };
    if write && (cross_site || foreign_origin) {
        return (
            StatusCode::FORBIDDEN,
            axum::Json(serde_json::json!({ "error": "requests from other sites may not change your data" })),
        )
            .into_response();
    }
    next.run(request).await
}

/// Serves on an already bound listener until `shutdown` resolves, then finishes the requests
/// in flight. Tests bind `127.0.0.1:0`; `main` binds the configured address.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}
