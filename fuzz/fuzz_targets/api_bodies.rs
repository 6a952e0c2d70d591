//! Any body sent to any route that takes one, through the whole web app in-process (the real
//! router, handlers, workflows and a SQLite store): never a 5xx, never a panic, never a hang.
//! The first byte picks the route, the rest is the body.
#![no_main]
use axum::body::Body;
use axum::http::Request;
use hipcoach_core::catalog::Catalog;
use hipcoach_web::{Access, Settings};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use tower::ServiceExt;

/// Routes and the content type their bodies are sent as.
const ROUTES: &[(&str, &str)] = &[
    ("/api/sessions", "application/json"),
    ("/api/player/timeline", "application/json"),
    ("/api/checkins", "application/json"),
    ("/api/measurements", "application/json"),
    ("/api/measurements/inclinometer", "application/json"),
    ("/start", "application/x-www-form-urlencoded"),
    ("/measure", "application/x-www-form-urlencoded"),
];

/// The CSRF secret of the fuzzing visitor, and the token that goes with it.
const SECRET: &str = "fuzzing-visitor-secret";

struct App {
    runtime: tokio::runtime::Runtime,
    router: axum::Router,
    token: String,
    _dir: tempfile::TempDir,
}

static APP: LazyLock<App> = LazyLock::new(|| {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let url = hipcoach_store::sqlite_url(&dir.path().join("fuzz.db"));
    let catalog = Catalog::builtin().clone();
    let store =
        runtime.block_on(hipcoach_store::Store::connect(&url, std::sync::Arc::new(catalog.clone()))).expect("store");
    let settings = Settings {
        access: Access::SingleUser("me".into()),
        quick_step_ms: None,
        today: None,
        behind_proxy: false,
        tls: None,
        network_url: None,
    };
    let router = hipcoach_web::router(store, catalog, settings);
    let token = format!("{:x}", Sha256::new().chain_update(b"hipcoach-csrf\0").chain_update(SECRET).finalize());
    let app = App { runtime, router, token, _dir: dir };
    // Onboarded, so the planned-session routes get past "answer the screening first".
    let mut answers = String::from("age-band=18-49&hip-surgery=none&goal=general&sessions=3&minutes=15&equipment=mat");
    for id in [
        "heart-or-blood-pressure",
        "chest-pain",
        "dizzy-or-fainted",
        "other-chronic-condition",
        "prescribed-medicines",
        "bone-or-joint-problem",
        "supervised-only",
        "saddle-numbness-or-bladder",
        "both-legs",
        "cannot-bear-weight",
        "fever-or-hot-joint",
        "calf-swelling-or-breathless",
        "sudden-severe-pain",
        "night-or-rest-pain",
        "weight-loss-or-cancer",
        "long-term-steroids",
        "groin-pain-on-loading",
        "runner",
        "leg-weakness-or-numbness",
        "recent-fracture",
        "inflammatory-signs",
        "pain-turning-inward",
        "pregnant",
    ] {
        answers.push_str(&format!("&{id}=no"));
    }
    let status = app.send("/start", "application/x-www-form-urlencoded", answers.into_bytes());
    assert!(status.is_redirection(), "onboarding failed: {status}");
    app
});

impl App {
    fn send(&self, path: &str, kind: &str, body: Vec<u8>) -> axum::http::StatusCode {
        let request = Request::post(path)
            .header("host", "127.0.0.1")
            .header("cookie", format!("hc_csrf={SECRET}"))
            .header("x-csrf-token", &self.token)
            .header("content-type", kind)
            .body(Body::from(body))
            .expect("a request");
        let response = self.runtime.block_on(self.router.clone().oneshot(request)).expect("infallible");
        response.status()
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else { return };
    let (path, kind) = ROUTES[usize::from(pick) % ROUTES.len()];
    let status = APP.send(path, kind, body.to_vec());
    assert!(!status.is_server_error(), "{path}: {status} for {:?}", String::from_utf8_lossy(body));
});
