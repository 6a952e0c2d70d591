//! Who is asking: passwords, login cookies and CSRF tokens.
//!
//! - Passwords are hashed with Argon2id on the threads of `hashing`, so a login never stalls
//!   other requests and a flood of them neither piles up memory nor waits without end.
//! - A login is a random 256-bit token in an `HttpOnly`, `SameSite=Lax` cookie (`Secure` behind
//!   HTTPS); the database keeps only its SHA-256, so a copy of the database logs nobody in.
//! - Every write carries a CSRF token derived from a cookie secret that the page cannot read: the
//!   login token once logged in, or a separate random cookie before (sign-up and log-in forms, and
//!   single-user mode). Forms send it as `_csrf`, scripts as the `x-csrf-token` header.

use super::{Access, AppState, WebError};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::body::Body;
use axum::extract::{FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hipcoach_store::{StoreError, User};
use sha2::{Digest, Sha256};

/// The login cookie.
pub const SESSION_COOKIE: &str = "hc_session";
/// The CSRF secret of a visitor who is not logged in.
const CSRF_COOKIE: &str = "hc_csrf";
/// The header scripts send the CSRF token in.
const CSRF_HEADER: &str = "x-csrf-token";
/// The form field forms send the CSRF token in.
pub const CSRF_FIELD: &str = "_csrf";
/// Largest form body read while looking for its CSRF token.
const FORM_LIMIT: usize = 256 * 1024;
/// How long a login lasts: 30 days, in seconds.
pub const LOGIN_SECONDS: i64 = 30 * 24 * 60 * 60;

/// A fresh random token, 64 hex characters.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// What is wrong with a new password, in words, or `None` when it will do.
pub fn password_problem(password: &str) -> Option<&'static str> {
    match password.chars().count() {
        0..8 => Some("Choose a password of at least 8 characters."),
        257.. => Some("Choose a password of at most 256 characters."),
        _ => None,
    }
}

/// The SHA-256 of a token, hex: what the database keeps.
pub fn token_hash(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

/// The CSRF token that goes with a cookie secret.
fn csrf_for(secret: &str) -> String {
    format!("{:x}", Sha256::new().chain_update(b"hipcoach-csrf\0").chain_update(secret.as_bytes()).finalize())
}

/// Compares without stopping at the first difference, so timing says nothing about the token.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A cookie's value from the request headers.
fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
        .filter(|value| !value.is_empty() && value.len() <= 128)
}

/// The cookie that marks a browser as one that has logged into an account before.
pub const DEVICE_COOKIE: &str = "hc_device";
/// How long a browser stays known: a year, in seconds.
pub const DEVICE_SECONDS: i64 = 365 * 24 * 60 * 60;

/// What a known browser carries for `user`: derived from the account's password hash, which
/// only the server (and the account's own export) holds, so a stranger cannot make it; it needs
/// no table, holds on every instance, and ends with a password change. It only lifts the
/// per-name limit, never the per-address ones. `None` for an account without a
/// password.
pub fn device_proof(user: &User) -> Option<String> {
    let hash = user.password_hash.as_deref()?;
    let digest =
        Sha256::new().chain_update(b"hipcoach-device\0").chain_update(user.name.as_bytes()).chain_update(b"\0");
    Some(format!("{:x}", digest.chain_update(hash.as_bytes()).finalize()))
}

/// Whether this browser has logged into `user` before.
pub fn known_device(headers: &HeaderMap, user: &User) -> bool {
    matches!((cookie(headers, DEVICE_COOKIE), device_proof(user)), (Some(sent), Some(proof)) if same(sent, &proof))
}

/// The login token in the request, if any.
pub fn login_token(headers: &HeaderMap) -> Option<&str> {
    cookie(headers, SESSION_COOKIE)
}

/// A `Set-Cookie` value; `max_age_s` 0 deletes the cookie. `Secure` when a proxy in front says
/// the visitor came over HTTPS.
pub fn set_cookie(headers: &HeaderMap, name: &str, value: &str, max_age_s: i64) -> HeaderValue {
    let https = headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let secure = if https { "; Secure" } else { "" };
    HeaderValue::from_str(&format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}"))
        .unwrap_or_else(|_| HeaderValue::from_static("hc_invalid=; Max-Age=0"))
}

/// Who is asking, as every page needs it: the account if logged in, and the CSRF token to put
/// in forms.
#[derive(Debug, Clone)]
pub struct Visitor {
    /// The account, when logged in (always, in single-user mode).
    pub user: Option<User>,
    /// The token forms and scripts send back with writes.
    pub csrf: String,
    /// Whether this server has accounts at all (not in single-user mode).
    pub accounts: bool,
}

/// A logged-in visitor. Pages without one are sent to log in; API calls get 401.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The account.
    pub user: User,
    /// The visitor it came from, for the page shell.
    pub visitor: Visitor,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if let Some(visitor) = parts.extensions.get::<Visitor>() {
            return Ok(visitor.clone());
        }
        let csrf = parts.extensions.get::<CsrfToken>().map(|t| t.0.clone()).unwrap_or_default();
        let (user, accounts) = match &state.settings.access {
            Access::SingleUser(name) => (Some(state.store.local_user(name).await?), false),
            Access::Accounts => {
                let user = match login_token(&parts.headers) {
                    None => None,
                    Some(token) => match state.store.login_session_user(&token_hash(token)).await {
                        Ok(user) => Some(user),
                        Err(StoreError::NotFound(_)) => None,
                        Err(other) => return Err(other.into()),
                    },
                };
                (user, true)
            }
        };
        let visitor = Visitor { user, csrf, accounts };
        parts.extensions.insert(visitor.clone());
        Ok(visitor)
    }
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        match visitor.user.clone() {
            Some(user) => Ok(SignedIn { user, visitor }),
            None if parts.uri.path().starts_with("/api/") => Err(WebError::LoginRequired(None)),
            None => {
                let back = parts.uri.path_and_query().map_or("/", |p| p.as_str());
                Err(WebError::LoginRequired(Some(back.to_owned())))
            }
        }
    }
}

/// The CSRF token of this request, put in the request's extensions by [`csrf`].
#[derive(Debug, Clone)]
struct CsrfToken(String);

/// Checks the CSRF token of every write and hands pages the token to embed. Once logged in,
/// only the token of the login counts (a planted pre-login cookie cannot forge writes); before,
/// a visitor without any cookie gets a fresh secret with the page, so their first form can be
/// checked too.
pub async fn csrf(request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    let secret = login_token(&parts.headers).or_else(|| cookie(&parts.headers, CSRF_COOKIE)).map(str::to_owned);
    let new_secret = secret.is_none().then(new_token);
    let token = csrf_for(secret.as_deref().or(new_secret.as_deref()).unwrap_or_default());
    let mut body = body;
    if !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        let given;
        (given, body) = match submitted_token(&parts, body).await {
            Ok(submitted) => submitted,
            Err(error) => return error.into_response(),
        };
        // A visitor with no secret yet cannot have a valid token.
        let expected = secret.as_deref().map(csrf_for);
        if !expected.zip(given).is_some_and(|(expected, given)| same(&expected, &given)) {
            tracing::warn!(path = parts.uri.path(), "write refused: missing or wrong CSRF token");
            return WebError::Csrf.into_response();
        }
    }
    parts.extensions.insert(CsrfToken(token));
    // The cookie is made now, while the request's headers are at hand (for `Secure`).
    let new_cookie = new_secret.map(|secret| set_cookie(&parts.headers, CSRF_COOKIE, &secret, 60 * 60 * 24 * 365));
    let mut response = next.run(Request::from_parts(parts, body)).await;
    // Only pages carry a new secret: never a response a shared cache may keep (assets).
    let is_page = response.headers().get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if let Some(cookie) = new_cookie.filter(|_| is_page) {
        response.headers_mut().append(header::SET_COOKIE, cookie);
    }
    response
}

/// The token a write carries: the `x-csrf-token` header, or a form's `_csrf` field (the body is
/// read for it and handed back for the handler).
async fn submitted_token(parts: &Parts, body: Body) -> Result<(Option<String>, Body), WebError> {
    if let Some(header) = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).filter(|v| !v.is_empty()) {
        return Ok((Some(header.to_owned()), body));
    }
    let is_form = parts
        .headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((None, body));
    }
    let bytes = axum::body::to_bytes(body, FORM_LIMIT).await.map_err(|_| WebError::TooLarge)?;
    let field = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .ok()
        .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == CSRF_FIELD).map(|(_, v)| v));
    Ok((field, Body::from(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (new_token(), new_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 64);
        assert_eq!(token_hash(&a).len(), 64);
        assert_ne!(token_hash(&a), a);
        assert_ne!(csrf_for(&a), csrf_for(&b));
        assert_ne!(csrf_for(&a), token_hash(&a), "the CSRF token does not reveal the login hash");
    }

    #[test]
    fn cookies_are_read_by_exact_name() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("hc_session_x=1; hc_session=abc; other=2"));
        assert_eq!(login_token(&headers), Some("abc"));
        assert_eq!(cookie(&headers, CSRF_COOKIE), None);
    }

    #[test]
    fn comparison_needs_every_character() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
