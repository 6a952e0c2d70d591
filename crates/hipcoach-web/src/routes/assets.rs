//! The stylesheet and the player script, embedded in the binary and cached by the browser.

use crate::WebError;
use axum::extract::Path;
use axum::http::header;
use axum::response::IntoResponse;

const ASSETS: &[(&str, &str, &str)] = &[
    ("app.css", "text/css; charset=utf-8", include_str!("../assets/app.css")),
    ("records.js", "text/javascript; charset=utf-8", include_str!("../assets/records.js")),
    ("player.js", "text/javascript; charset=utf-8", include_str!("../assets/player.js")),
    ("inclinometer.js", "text/javascript; charset=utf-8", include_str!("../assets/inclinometer.js")),
    ("account.js", "text/javascript; charset=utf-8", include_str!("../assets/account.js")),
    ("onboarding.js", "text/javascript; charset=utf-8", include_str!("../assets/onboarding.js")),
];

pub async fn serve(Path(name): Path<String>) -> Result<impl IntoResponse, WebError> {
    let (_, kind, body) = ASSETS
        .iter()
        .find(|(file, _, _)| *file == name)
        .ok_or_else(|| WebError::NotFound(format!("no asset called {name}")))?;
    Ok(([(header::CONTENT_TYPE, *kind), (header::CACHE_CONTROL, "public, max-age=3600")], *body))
}
