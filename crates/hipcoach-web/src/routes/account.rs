//! Sign up, log in, log out. In single-user mode there is nothing to sign up for: these pages
//! send the visitor on to Today.

use crate::auth::{self, LOGIN_SECONDS, SESSION_COOKIE, Visitor};
use crate::form::{FieldErrors, described_by, field_error};
use crate::layout::{Section, csrf_field, page as layout};
use crate::login_limit::Attempt;
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use hipcoach_store::{StoreError, User, parse_user_name};
use maud::{Markup, html};
use serde::Deserialize;
use std::net::{IpAddr, SocketAddr};

/// Where to go after logging in.
#[derive(Debug, Default, Deserialize)]
pub struct Next {
    next: Option<String>,
    /// Set after deleting an account (sign-up page) or logging out everywhere (log-in page).
    deleted: Option<String>,
    everywhere: Option<String>,
}

impl Next {
    /// What to confirm at the top of the page, after the action that led here.
    fn notice(&self) -> Option<&'static str> {
        if self.deleted.is_some() {
            Some("Your account and everything in it have been deleted.")
        } else if self.everywhere.is_some() {
            Some("Every login to your account has ended, on every browser and phone. Log in again to go on.")
        } else {
            None
        }
    }
}

/// A path on this site only, never another site: `//evil.example` is another site, and so is
/// `/\tevil` once a browser drops the tab, so only visible ASCII without backslashes passes.
fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\') =>
        {
            path
        }
        _ => "/",
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct SignupForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: String,
    understood: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

fn field(name: &str, label: &str, kind: &str, value: &str, autocomplete: &str, errors: &FieldErrors) -> Markup {
    html! {
        label for=(name) { (label) }
        input id=(name) name=(name) type=(kind) value=(value) autocomplete=(autocomplete) required
            aria-invalid=[errors.contains_key(name).then_some("true")] aria-describedby=[described_by(errors, name)];
        (field_error(errors, name))
    }
}

fn signup_view(visitor: &Visitor, form: &SignupForm, errors: &FieldErrors, notice: Option<&str>) -> Response {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let body = html! {
        @if let Some(notice) = notice { p.notice role="status" { (notice) } }
        h1 { "Create your account" }
        p.lead { "Your plan, sessions and measurements stay on this server, visible to you alone." }
        form.narrow method="post" action="/signup" novalidate {
            (csrf_field(visitor))
            (field("name", "User name", "text", &form.name, "username", errors))
            (field("password", "Password (at least 8 characters)", "password", "", "new-password", errors))
            (field("confirm", "The same password again", "password", "", "new-password", errors))
            p.muted {
                "hipcoach gives exercise guidance, not medical advice, and cannot examine you. Stop any "
                "exercise that causes sharp pain, and ask a doctor or physiotherapist when unsure."
            }
            label.choice {
                input type="checkbox" name="understood" value="yes" checked[form.understood.is_some()]
                    aria-describedby=[described_by(errors, "understood")];
                " I understand"
            }
            (field_error(errors, "understood"))
            button.primary type="submit" { "Create account" }
        }
        p { "Already have an account? " a href="/login" { "Log in" } }
    };
    (status, layout("Create your account", Section::Account, visitor, body)).into_response()
}

fn login_view(visitor: &Visitor, form: &LoginForm, error: Option<&str>, notice: Option<&str>) -> Markup {
    html! {
        @if let Some(notice) = notice { p.notice role="status" { (notice) } }
        h1 { "Log in" }
        @if let Some(error) = error { p.error role="alert" { (error) } }
        form.narrow method="post" action="/login" {
            (csrf_field(visitor))
            input type="hidden" name="next" value=(local_path(form.next.as_deref()));
            (field("name", "User name", "text", &form.name, "username", &FieldErrors::new()))
            (field("password", "Password", "password", "", "current-password", &FieldErrors::new()))
            button.primary type="submit" { "Log in" }
        }
        p { "New here? " a.button href="/signup" { "Create an account" } }
    }
}

/// `GET /signup`.
pub async fn signup_page(visitor: Visitor, Query(after): Query<Next>) -> Response {
    if !visitor.accounts || visitor.user.is_some() {
        return Redirect::to("/").into_response();
    }
    signup_view(&visitor, &SignupForm::default(), &FieldErrors::new(), after.notice())
}

/// `POST /signup`: every problem at once, next to its field; the name typed is kept.
pub async fn signup(
    State(state): State<AppState>,
    visitor: Visitor,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<SignupForm>,
) -> Result<Response, WebError> {
    if !visitor.accounts {
        return Ok(Redirect::to("/").into_response());
    }
    let mut errors = FieldErrors::new();
    let name = match parse_user_name(&form.name) {
        Ok(name) if name.chars().all(|c| c.is_alphanumeric() || "._-@".contains(c)) => Some(name),
        Ok(_) => {
            errors.insert("name".into(), "Use letters, digits and . _ - @ only, without spaces.".into());
            None
        }
        Err(_) => {
            errors.insert("name".into(), "Choose a user name of 1 to 64 characters.".into());
            None
        }
    };
    if let Some(problem) = auth::password_problem(&form.password) {
        errors.insert("password".into(), problem.into());
    } else if form.password != form.confirm {
        errors.insert("confirm".into(), "The two passwords differ; type the same one twice.".into());
    }
    if form.understood.is_none() {
        errors.insert("understood".into(), "Please confirm you have read this.".into());
    }
    let Some(name) = name.filter(|_| errors.is_empty()) else {
        return Ok(signup_view(&visitor, &form, &errors, None));
    };
    // Five sign-ups an hour per address; asking for a taken name also costs the address a
    // log-in failure, so probing for names is no cheaper than guessing passwords.
    let address = client_address(&state, &headers, peer);
    state.login_limit.attempt(&Attempt::sign_up(address)).map_err(WebError::TooManySignUps)?;
    let hash = crate::hashing::hash(form.password.clone()).await?;
    let user = match state.store.create_user(&name, Some(&hash)).await {
        Ok(user) => user,
        Err(StoreError::Conflict(_)) => {
            state.login_limit.attempt(&Attempt::name_taken(address)).map_err(WebError::TooManySignUps)?;
            errors.insert("name".into(), "That name is taken; choose another.".into());
            return Ok(signup_view(&visitor, &form, &errors, None));
        }
        Err(other) => return Err(other.into()),
    };
    tracing::info!(user = user.id.0, "account created");
    start_login(&state, &headers, &user, "/start").await
}

/// Stores a new login and sends its cookie with a redirect.
async fn start_login(state: &AppState, headers: &HeaderMap, user: &User, to: &str) -> Result<Response, WebError> {
    let token = auth::new_token();
    let expires = chrono::Utc::now().timestamp_millis() + LOGIN_SECONDS * 1000;
    state.store.create_login_session(user.id, &auth::token_hash(&token), expires).await?;
    let cookie = auth::set_cookie(headers, SESSION_COOKIE, &token, LOGIN_SECONDS);
    let mut response = ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response();
    if let Some(proof) = auth::device_proof(user) {
        let device = auth::set_cookie(headers, auth::DEVICE_COOKIE, &proof, auth::DEVICE_SECONDS);
        response.headers_mut().append(header::SET_COOKIE, device);
    }
    Ok(response)
}

/// `GET /login`.
pub async fn login_page(visitor: Visitor, Query(next): Query<Next>) -> Response {
    if !visitor.accounts || visitor.user.is_some() {
        return Redirect::to(local_path(next.next.as_deref())).into_response();
    }
    let notice = next.notice();
    let form = LoginForm { next: next.next, ..LoginForm::default() };
    layout("Log in", Section::Account, &visitor, login_view(&visitor, &form, None, notice)).into_response()
}

/// `POST /login`, within the limits of `login_limit` (ten tries at a name from one address per
/// 15 minutes; a browser that logged in before is never held by strangers' guessing).
pub async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, WebError> {
    if !visitor.accounts {
        return Ok(Redirect::to("/").into_response());
    }
    let not_matching = || {
        let message = "That user name and password do not match. Check both and try again.";
        let page = layout("Log in", Section::Account, &visitor, login_view(&visitor, &form, Some(message), None));
        Ok((StatusCode::UNAUTHORIZED, page).into_response())
    };
    // A name no account could have is not looked up, nor counted under its own key.
    let Ok(name) = parse_user_name(&form.name) else { return not_matching() };
    let user = match state.store.user_by_name(&name).await {
        Ok(user) => Some(user),
        Err(StoreError::NotFound(_)) => None,
        Err(other) => return Err(other.into()),
    };
    let known_device = user.as_ref().is_some_and(|user| auth::known_device(&headers, user));
    let keys = Attempt::log_in(client_address(&state, &headers, peer), &name, known_device);
    state.login_limit.attempt(&keys).map_err(WebError::TooManyAttempts)?;
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let matches = crate::hashing::verify(hash, form.password.clone()).await?;
    let Some(user) = user.filter(|_| matches) else { return not_matching() };
    state.login_limit.succeeded(&keys);
    // A login this browser still carried ends here: one browser, one login.
    if let Some(old) = auth::login_token(&headers) {
        state.store.delete_login_session(&auth::token_hash(old)).await?;
    }
    tracing::info!(user = user.id.0, "logged in");
    start_login(&state, &headers, &user, local_path(form.next.as_deref())).await
}

/// Who is logging in: the connecting address, or behind a proxy the address the proxy appended
/// last to `X-Forwarded-For` (earlier entries come from the client and prove nothing).
fn client_address(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
    let forwarded = || {
        let last = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).next_back()?;
        last.rsplit(',').next()?.trim().parse().ok()
    };
    state.settings.behind_proxy.then(forwarded).flatten().unwrap_or(peer.ip())
}

/// `POST /logout`: ends this login everywhere it was stored.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, WebError> {
    if let Some(token) = auth::login_token(&headers) {
        state.store.delete_login_session(&auth::token_hash(token)).await?;
    }
    let cookie = auth::set_cookie(&headers, SESSION_COOKIE, "", 0);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(local_path(Some("/history")), "/history");
        for other in ["//evil.example", "https://evil.example", "/\\evil.example", "/\t/evil.example", "/\n", ""] {
            assert_eq!(local_path(Some(other)), "/");
        }
        assert_eq!(local_path(None), "/");
    }
}
