//! What the browser loads besides pages: the stylesheet, the scripts, the session engine
//! (WebAssembly), the icons and the web app manifest, embedded in the binary; and the service
//! worker that keeps them, with the pages a session needs, on the device for offline use.

use crate::WebError;
use axum::extract::Path;
use axum::http::header;
use axum::response::IntoResponse;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;

/// Every asset: its name under `/assets/`, its type, its bytes.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.css", "text/css; charset=utf-8", include_bytes!("../assets/app.css")),
    ("records.js", "text/javascript; charset=utf-8", include_bytes!("../assets/records.js")),
    ("engine.js", "text/javascript; charset=utf-8", include_bytes!("../assets/engine.js")),
    ("engine.wasm", "application/wasm", include_bytes!("../assets/engine.wasm")),
    ("player.js", "text/javascript; charset=utf-8", include_bytes!("../assets/player.js")),
    ("offline.js", "text/javascript; charset=utf-8", include_bytes!("../assets/offline.js")),
    ("readings.js", "text/javascript; charset=utf-8", include_bytes!("../assets/readings.js")),
    ("inclinometer.js", "text/javascript; charset=utf-8", include_bytes!("../assets/inclinometer.js")),
    ("pose.js", "text/javascript; charset=utf-8", include_bytes!("../assets/pose.js")),
    ("clip.js", "text/javascript; charset=utf-8", include_bytes!("../assets/clip.js")),
    ("camera.js", "text/javascript; charset=utf-8", include_bytes!("../assets/camera.js")),
    ("coach.js", "text/javascript; charset=utf-8", include_bytes!("../assets/coach.js")),
    ("account.js", "text/javascript; charset=utf-8", include_bytes!("../assets/account.js")),
    ("onboarding.js", "text/javascript; charset=utf-8", include_bytes!("../assets/onboarding.js")),
    ("icon.svg", "image/svg+xml", include_bytes!("../assets/icons/icon.svg")),
    ("icon-180.png", "image/png", include_bytes!("../assets/icons/icon-180.png")),
    ("icon-192.png", "image/png", include_bytes!("../assets/icons/icon-192.png")),
    ("icon-512.png", "image/png", include_bytes!("../assets/icons/icon-512.png")),
    ("manifest.webmanifest", "application/manifest+json", include_bytes!("../assets/manifest.webmanifest")),
];

/// The pose model the page runs on the device (scripts/vendor-pose-web: MediaPipe tasks-vision
/// 0.10.35 and BlazePose GHUM full, Apache-2.0), served by hipcoach so no frame and no request
/// leaves for another host. Not in the service worker's shell: 21 MB is fetched only by someone
/// who opens a camera page, and their browser keeps it (the names carry the version).
const POSE: &[(&str, &str, &[u8])] = &[
    ("vision_bundle.mjs", "text/javascript; charset=utf-8", include_bytes!("../../vendor/pose/vision_bundle.mjs")),
    (
        "vision_wasm_internal.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../vendor/pose/vision_wasm_internal.js"),
    ),
    ("vision_wasm_internal.wasm", "application/wasm", include_bytes!("../../vendor/pose/vision_wasm_internal.wasm")),
    (
        "pose_landmarker_full.task",
        "application/octet-stream",
        include_bytes!("../../vendor/pose/pose_landmarker_full.task"),
    ),
];

/// The folder the pose files are served from: their version in the path, so a year's cache is safe.
pub const POSE_PATH: &str = "/assets/pose-0.10.35";

/// The service worker's source; `{{VERSION}}` and `{{SHELL}}` are filled in once.
const SERVICE_WORKER: &str = include_str!("../assets/sw.js");

/// A name for this build's assets: when any of them changes, the service worker's bytes change,
/// the browser installs the new one, and it replaces everything it kept in one step.
static VERSION: LazyLock<String> = LazyLock::new(|| {
    let mut hash = Sha256::new();
    for (name, _, body) in ASSETS {
        hash.update(name.as_bytes());
        hash.update(body);
    }
    hash.finalize().iter().take(8).map(|byte| format!("{byte:02x}")).collect()
});

static WORKER: LazyLock<String> = LazyLock::new(|| {
    let shell: Vec<String> = ASSETS.iter().map(|(name, _, _)| format!("/assets/{name}")).collect();
    let shell = serde_json::to_string(&shell).unwrap_or_else(|_| "[]".to_owned());
    SERVICE_WORKER.replace("{{VERSION}}", &VERSION).replace("{{SHELL}}", &shell)
});

pub async fn serve(Path(name): Path<String>) -> Result<impl IntoResponse, WebError> {
    file(ASSETS, &name, "public, max-age=3600")
}

pub async fn pose(Path(name): Path<String>) -> Result<impl IntoResponse, WebError> {
    file(POSE, &name, "public, max-age=31536000, immutable")
}

/// The file called `name` in `table`, with its type and how long a browser may keep it.
fn file(
    table: &[(&str, &'static str, &'static [u8])],
    name: &str,
    cache: &'static str,
) -> Result<impl IntoResponse + use<>, WebError> {
    let (_, kind, body) = table
        .iter()
        .find(|(file, _, _)| *file == name)
        .ok_or_else(|| WebError::NotFound(format!("no file called {name} here")))?;
    Ok(([(header::CONTENT_TYPE, *kind), (header::CACHE_CONTROL, cache)], *body))
}

/// The service worker, at the root so that it may serve every page; never cached by the
/// browser's HTTP cache, so an update is seen on the next visit.
pub async fn service_worker() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "no-cache")], WORKER.as_str())
}
