//! The layers every request passes through: errors in the form their reader expects, the
//! loopback-names guard of single-user mode, a deadline, and the security headers.

use crate::WebError;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// Every error in the form its reader expects: a browser asking for a page (not `/api/…`) gets
/// the message inside the site's layout, everyone else JSON `{"error": …}`, with the status and
/// headers kept. This also covers axum's own rejections (a malformed form, path or query), which
/// are plain text.
pub async fn readable(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use axum::http::{HeaderValue, header};
    let wants_page = !request.uri().path().starts_with("/api/")
        && request.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"));
    // The page is drawn after the handler, without the visitor: a login cookie is enough to
    // choose between the full menu and the public one.
    let signed_in = crate::auth::login_token(request.headers()).is_some();
    let response = next.run(request).await;
    let status = response.status();
    let kind = response.headers().get(header::CONTENT_TYPE).map(|v| v.as_bytes().to_owned()).unwrap_or_default();
    // A page that is its own error (a form shown again with its messages) stays as it is.
    let already = kind.starts_with(b"text/html") || (!wants_page && kind.starts_with(b"application/json"));
    if already || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, 64 * 1024).await.unwrap_or_default();
    let message = match serde_json::from_slice::<serde_json::Value>(&bytes) {
        Ok(json) => json["error"].as_str().unwrap_or_default().to_owned(),
        Err(_) => String::from_utf8_lossy(&bytes).into_owned(),
    };
    let message =
        if message.is_empty() { status.canonical_reason().unwrap_or("error").to_lowercase() } else { message };
    parts.headers.remove(header::CONTENT_LENGTH);
    let (kind, body) = if wants_page {
        ("text/html; charset=utf-8", crate::layout::error_page(status, &message, signed_in).0)
    } else {
        ("application/json", serde_json::json!({ "error": message }).to_string())
    };
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    Response::from_parts(parts, axum::body::Body::from(body))
}

/// In single-user mode anyone who reaches the server acts as its user, so it answers only to
/// the machine's own names: a web page that points its own domain at 127.0.0.1 (DNS
/// rebinding) arrives with its domain in `Host` and is turned away.
pub async fn loopback_names_only(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("");
    let name = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    if matches!(name, "localhost" | "127.0.0.1" | "[::1]") {
        return next.run(request).await;
    }
    WebError::Forbidden(format!(
        "this single-user server answers only to localhost, 127.0.0.1 or [::1], not `{host}`; \
         for other names run it with accounts (without --single-user)"
    ))
    .into_response()
}

/// Once any request has found the database damaged, the store refuses writes (reads go on):
/// nothing more is added to a file that needs restoring, and every write says why.
pub async fn notice_damage(
    axum::extract::State(store): axum::extract::State<hipcoach_store::Store>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    if response.extensions().get::<hipcoach_store::Unavailable>() == Some(&hipcoach_store::Unavailable::Damaged) {
        store.note_damage();
    }
    response
}

/// The places for requests being worked on; the rest wait in one queue, first come first
/// served.
///
/// Without it every accepted request started at once and competed for the cores and the
/// database's threads: under 1,000 connections a cheap public page (no database) kept winning
/// and a logged-in read (a few round trips to a database thread) waited up to seconds at its
/// 99th percentile. With one first-come queue every route waits the same; few places also
/// mean fewer threads fighting over the cores (4 per core measured best of 1 to 32).
#[derive(Clone)]
pub struct Places(std::sync::Arc<tokio::sync::Semaphore>);

impl Places {
    /// Four places per core.
    pub fn for_this_machine() -> Places {
        let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
        Places(std::sync::Arc::new(tokio::sync::Semaphore::new(4 * cores)))
    }
}

/// Takes a place once the request's body has arrived (a client trickling a body in holds
/// none; the deadline bounds the trickle) and keeps it until the answer is ready.
pub async fn in_turn(
    axum::extract::State(places): axum::extract::State<Places>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, crate::MAX_BODY).await {
        Ok(bytes) => axum::body::Body::from(bytes),
        Err(_) => return WebError::TooLarge.into_response(),
    };
    // Tokio's semaphore is fair: places are given in the order they were asked for.
    let Ok(_place) = places.0.acquire().await else { return WebError::Busy.into_response() };
    next.run(axum::extract::Request::from_parts(parts, body)).await
}

/// A whole request (its body and our work) must be answered within this.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Stops a request that runs past [`REQUEST_TIMEOUT`] (a body trickling in, a database that
/// does not answer) and says so; dropping it cancels its work, and a write cut off before its
/// commit leaves nothing behind.
pub async fn deadline(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    match tokio::time::timeout(REQUEST_TIMEOUT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => WebError::TimedOut.into_response(),
    }
}

pub async fn security_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let set = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self' 'wasm-unsafe-eval'; media-src 'self' blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
    ];
    for (name, value) in set {
        headers.insert(name, HeaderValue::from_static(value));
    }
    // Pages and API answers are personal: no shared cache may keep them. Assets set their own.
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
