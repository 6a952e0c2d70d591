//! The web app behind `hipcoach serve`: server-rendered pages (maud, escaped by default) with a
//! little JavaScript for the session player, a JSON API described by a generated OpenAPI
//! document, and no state of its own beyond the store, so several instances can share one
//! PostgreSQL database.
//!
//! It is an adapter: each handler parses its input into domain values (a 4xx naming the field
//! if that fails), calls one function of `hipcoach-workflows` — the same one the command line
//! calls — or, for a plain list, reads the store, and renders the result; [`WebError`]'s
//! `IntoResponse` picks the status in one place.
//!
//! # Layout
//! - `auth`: accounts, login cookies and CSRF tokens; `hashing`: the password-hashing threads;
//!   `login_limit`: slowing down password guessing.
//! - `plan_cache`: this week's plan per user, rebuilt only when something it depends on changed.
//! - `error`: the one mapping from errors to HTTP responses (`json_body`: JSON bodies refused
//!   through it); `middleware`: the layers every
//!   request passes through (errors as pages or JSON, security headers, the single-user guard).
//! - `layout`: the page shell; `diagram`: SVG figures of the starting positions; `ir_chart`:
//!   hip rotation over time; `pain_chart`: pain per session; `svg`: what the charts share;
//!   `form`: what every HTML form shares (kept fields, errors).
//! - `server`: accepting connections, with a cap, timeouts and a bounded shutdown.
//! - `routes/`: one file per page or API area; `openapi`: the API document, derived from the
//!   request and response types.
//! - `assets/`: CSS, the player and the phone-inclinometer scripts, embedded in the binary.

#![forbid(unsafe_code)]

mod auth;
mod diagram;
mod error;
mod form;
mod hashing;
mod ir_chart;
mod json_body;
mod layout;
mod login_limit;
mod middleware;
mod pain_chart;
mod plan_cache;
mod routes;
mod server;
mod svg;

use axum::Router;
use hipcoach_core::catalog::Catalog;
use hipcoach_store::Store;
use std::future::Future;
use std::sync::Arc;
use tokio::net::TcpListener;

pub use error::WebError;
pub use server::MAX_CONNECTIONS;

/// How the server behaves, decided once at start.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Accounts, or one local user.
    pub access: Access,
    /// Caps every timed step of the player at this many milliseconds (demos and end-to-end
    /// tests walk the real player quickly); `None` in normal use.
    pub quick_step_ms: Option<u64>,
    /// "Today", when tests pin it.
    pub today: Option<chrono::NaiveDate>,
    /// A reverse proxy (load balancer) sits in front and appends the client's address to
    /// `X-Forwarded-For`; without this the header is ignored, since anyone can send it.
    pub behind_proxy: bool,
    /// Serve HTTPS with this configuration (`hipcoach serve --tls`); plain HTTP without.
    pub tls: Option<Arc<tokio_rustls::rustls::ServerConfig>>,
    /// The address another device on the network opens, shown with a QR code on the connect
    /// page; `None` when the server listens on loopback only.
    pub network_url: Option<String>,
}

/// Who may use the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Sign up and log in; each account sees only its own data.
    Accounts,
    /// A personal machine: every request acts for this one local user (the CLI's `--user`), with
    /// no sign-up. Only for a server nobody else can reach.
    SingleUser(String),
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub(crate) store: Store,
    pub(crate) catalog: Arc<Catalog>,
    pub(crate) settings: Arc<Settings>,
    pub(crate) login_limit: Arc<login_limit::LoginLimit>,
    pub(crate) plans: Arc<plan_cache::PlanCache>,
    /// `GET /api/exercises`, serialised once.
    pub(crate) catalog_json: axum::body::Bytes,
}

impl AppState {
    pub(crate) fn today(&self) -> chrono::NaiveDate {
        hipcoach_workflows::calendar::today(self.settings.today)
    }

    /// The user's program and this week's plan, from the cache while nothing changed.
    pub(crate) async fn planned(&self, user: &hipcoach_store::User) -> Result<Arc<plan_cache::Planned>, WebError> {
        self.plans.get(&self.store, &self.catalog, user, self.today()).await
    }
}

/// The largest request body taken: a whole session's log is under 100 KB.
pub(crate) const MAX_BODY: usize = 256 * 1024;

/// The whole app as a router, for `serve` and for tests.
pub fn router(store: Store, catalog: Catalog, settings: Settings) -> Router {
    let exercises: Vec<_> = catalog.exercises().collect();
    let catalog_json = serde_json::to_vec(&exercises).unwrap_or_default().into();
    let state = AppState {
        catalog_json,
        store,
        catalog: Arc::new(catalog),
        settings: Arc::new(settings),
        login_limit: Arc::default(),
        plans: Arc::default(),
    };
    let single_user = matches!(state.settings.access, Access::SingleUser(_));
    let store = state.store.clone();
    let router = routes::router(middleware::Places::for_this_machine())
        .with_state(state)
        .layer(axum::middleware::from_fn_with_state(store, middleware::notice_damage))
        .fallback(|uri: axum::http::Uri| async move {
            WebError::NotFound(format!("there is no page at {}; the menu above lists them", uri.path()))
        })
        .layer(axum::middleware::from_fn(auth::csrf))
        .layer(axum::middleware::from_fn(middleware::readable));
    let router =
        if single_user { router.layer(axum::middleware::from_fn(middleware::loopback_names_only)) } else { router };
    router
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer(axum::middleware::from_fn(middleware::deadline))
        .layer(axum::middleware::map_response(middleware::security_headers))
}

/// Serves the app on an already bound listener until `shutdown` resolves, then finishes the
/// requests in flight (for a few seconds at most). Connections are capped and timed: see
/// `server`. Tests bind `127.0.0.1:0`; the binary binds the configured address.
pub async fn serve(
    settings: Settings,
    store: Store,
    catalog: Catalog,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let tls = settings.tls.clone().map(tokio_rustls::TlsAcceptor::from);
    server::run(router(store, catalog, settings), listener, tls, shutdown).await
}
