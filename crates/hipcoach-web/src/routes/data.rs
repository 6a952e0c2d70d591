//! Your account and data: every file hipcoach can write, to download from the browser; a private
//! calendar address for reminders; the password, logging out everywhere; and deleting the
//! account with everything in it. What the command line's `export` writes, the page offers
//! through the same workflow, so nobody needs a terminal to take their records away.

use crate::auth::{self, SESSION_COOKIE, SignedIn, Visitor};
use crate::form::{FieldErrors, described_by, field_error};
use crate::layout::{Section, csrf_field, page as layout};
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{FixedOffset, NaiveTime};
use hipcoach_store::{CalendarFeed, User};
use hipcoach_workflows::exports::{self, Format, ical::SessionTime};
use maud::{Markup, html};
use serde::Deserialize;

/// A download: the file name in the address, its format, its media type and what it is for.
struct Download {
    file: &'static str,
    format: Format,
    media_type: &'static str,
    title: &'static str,
    what: &'static str,
}

const DOWNLOADS: [Download; 6] = [
    Download {
        file: "handout.pdf",
        format: Format::Pdf,
        media_type: "application/pdf",
        title: "Progress report and handout (PDF)",
        what: "Your readings with a chart, then a page for each of this week's sessions: every exercise with its \
               figure, dose, steps, breathing, cues and precautions. Ready to print or to show a clinician.",
    },
    Download {
        file: "hip-records.fhir.json",
        format: Format::Fhir,
        media_type: "application/fhir+json",
        title: "For a clinic's health record (FHIR)",
        what: "Your hip measurements with their ± and your pain ratings, in the format health-record systems import.",
    },
    Download {
        file: "sessions.csv",
        format: Format::SessionsCsv,
        media_type: "text/csv; charset=utf-8",
        title: "Sessions, for a spreadsheet (CSV)",
        what: "One row for every set you did: day, exercise, side, reps or seconds, and hip pain.",
    },
    Download {
        file: "measurements.csv",
        format: Format::MeasurementsCsv,
        media_type: "text/csv; charset=utf-8",
        title: "Measurements, for a spreadsheet (CSV)",
        what: "One row for every hip rotation reading, with its ± and who measured.",
    },
    Download {
        file: "account.json",
        format: Format::Account,
        media_type: "application/json",
        title: "Everything, to move to another hipcoach (JSON)",
        what: "Your whole account in one file, which another hipcoach server can read back.",
    },
    Download {
        file: "week.ics",
        format: Format::Ical,
        media_type: "text/calendar; charset=utf-8",
        title: "This week's sessions, as a calendar file",
        what: "Each planned session on its day at the time you choose, repeating weekly. To have the calendar follow \
               changes to your plan, use a calendar address below instead.",
    },
];

/// When the calendar puts sessions: a time of day, and the browser's offset from UTC (filled in
/// by the page's script; UTC without it).
#[derive(Debug, Default, Deserialize)]
pub struct SessionTimeForm {
    at: Option<String>,
    offset: Option<String>,
}

impl SessionTimeForm {
    fn parse(&self) -> Result<(NaiveTime, i32), String> {
        let at = match self.at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => NaiveTime::from_hms_opt(18, 0, 0).unwrap_or(NaiveTime::MIN),
            Some(text) => NaiveTime::parse_from_str(text, "%H:%M")
                .map_err(|_| "Give the session time as hours and minutes, for example 07:30 or 18:00.".to_owned())?,
        };
        let offset = match self.offset.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => 0,
            Some(text) => text
                .parse::<i32>()
                .ok()
                .filter(|m| (-840..=840).contains(m))
                .ok_or_else(|| "The time zone did not come through; reload the page and try again.".to_owned())?,
        };
        Ok((at, offset))
    }
}

fn session_time(at: NaiveTime, offset_min: i32) -> SessionTime<FixedOffset> {
    let utc = FixedOffset::east_opt(0).expect("UTC is a valid offset");
    SessionTime { at, zone: FixedOffset::east_opt(offset_min * 60).unwrap_or(utc) }
}

/// What the page shows beyond the account: a result to confirm, or errors of one form.
#[derive(Default)]
struct Shown {
    notice: Option<&'static str>,
    /// A calendar address just made: shown once, as only its hash is kept.
    new_address: Option<String>,
    calendar_errors: FieldErrors,
    password_errors: FieldErrors,
    delete_errors: FieldErrors,
    delete_ticked: bool,
}

/// `GET /account`.
pub async fn page(State(state): State<AppState>, SignedIn { user, visitor }: SignedIn) -> Result<Response, WebError> {
    let feed = state.store.calendar_feed(user.id).await?;
    Ok(view(&visitor, &user, feed.as_ref(), &Shown::default()))
}

fn view(visitor: &Visitor, user: &User, feed: Option<&CalendarFeed>, shown: &Shown) -> Response {
    let has_errors =
        [&shown.calendar_errors, &shown.password_errors, &shown.delete_errors].iter().any(|e| !e.is_empty());
    let status = if has_errors { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let calendar_file = &DOWNLOADS[5];
    let body = html! {
        h1 { "Your account and data" }
        @if let Some(notice) = shown.notice { p.notice role="status" { (notice) } }
        p.lead { "Everything hipcoach keeps about you, to take with you or to delete. Nothing leaves this server unless you download it." }
        section aria-labelledby="downloads" {
            h2 #downloads { "Download your records" }
            ul.downloads {
                @for download in DOWNLOADS.iter().filter(|d| d.format != Format::Ical) {
                    li {
                        a.button href={ "/account/download/" (download.file) } download { (download.title) }
                        p.muted { (download.what) }
                    }
                }
                li {
                    form.inline method="get" action={ "/account/download/" (calendar_file.file) } {
                        label for="file-at" { "Session time" }
                        input #file-at name="at" type="time" value="18:00" required;
                        (offset_field())
                        button.button type="submit" { (calendar_file.title) }
                    }
                    p.muted { (calendar_file.what) }
                }
            }
        }
        section aria-labelledby="reminders" {
            h2 #reminders { "Reminders in your phone's calendar" }
            (calendar_section(visitor, feed, shown))
        }
        @if visitor.accounts {
            section aria-labelledby="password-heading" {
                h2 #password-heading { "Change your password" }
                form.narrow method="post" action="/account/password" novalidate {
                    (csrf_field(visitor))
                    (password_field("current", "Your password now", "current-password", &shown.password_errors))
                    (password_field("new", "New password (at least 8 characters)", "new-password", &shown.password_errors))
                    (password_field("confirm", "The new password again", "new-password", &shown.password_errors))
                    p.muted { "Every other browser and phone logged into your account is logged out; this one stays logged in." }
                    button.primary type="submit" { "Change password" }
                }
            }
            section aria-labelledby="everywhere" {
                h2 #everywhere { "Log out everywhere" }
                p { "Lost a phone, or logged in on a shared computer? This ends every login to your account, this browser's too." }
                form method="post" action="/account/logout-everywhere" {
                    (csrf_field(visitor))
                    button type="submit" { "Log out everywhere" }
                }
            }
        }
        section.danger aria-labelledby="delete-heading" {
            h2 #delete-heading { "Delete your account" }
            p {
                "This deletes your account, " strong { (user.name) } ", with your safety answers, profile, plan, "
                "sessions, pain ratings and measurements, at once and for good. "
                a href="#downloads" { "Download your records" } " first if you want to keep them."
            }
            form.narrow method="post" action="/account/delete" novalidate {
                (csrf_field(visitor))
                @if visitor.accounts {
                    (password_field("password", "Your password", "current-password", &shown.delete_errors))
                }
                label.choice {
                    input type="checkbox" name="understood" value="yes" checked[shown.delete_ticked]
                        aria-invalid=[shown.delete_errors.contains_key("understood").then_some("true")]
                        aria-describedby=[described_by(&shown.delete_errors, "understood")];
                    " I understand that this cannot be undone"
                }
                (field_error(&shown.delete_errors, "understood"))
                button.danger type="submit" { "Delete my account and everything in it" }
            }
        }
        script src="/assets/account.js" defer {}
    };
    (status, layout("Your account and data", Section::Data, visitor, body)).into_response()
}

/// The hidden field the page's script fills with the browser's offset from UTC, in minutes.
fn offset_field() -> Markup {
    html! { input type="hidden" name="offset" value="0" data-utc-offset; }
}

fn password_field(name: &str, label: &str, autocomplete: &str, errors: &FieldErrors) -> Markup {
    html! {
        label for=(name) { (label) }
        input id=(name) name=(name) type="password" autocomplete=(autocomplete) required
            aria-invalid=[errors.contains_key(name).then_some("true")] aria-describedby=[described_by(errors, name)];
        (field_error(errors, name))
    }
}

fn calendar_section(visitor: &Visitor, feed: Option<&CalendarFeed>, shown: &Shown) -> Markup {
    let errors = &shown.calendar_errors;
    html! {
        p {
            "A private calendar address puts each planned session in your phone's calendar, at the time you choose, "
            "with a reminder. Subscribe to it once: when your plan changes, the calendar follows."
        }
        @if let Some(address) = &shown.new_address {
            div.next role="status" {
                p { strong { "Your calendar address. Copy it now:" } " for your privacy it is shown only this once." }
                p {
                    input.address #calendar-address type="text" readonly value=(address)
                        aria-label="Your private calendar address";
                }
                p {
                    button.button type="button" data-copy="calendar-address" hidden { "Copy the address" } " "
                    span #calendar-address-copied role="status" {}
                }
                p {
                    a.button href=(address.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1)) { "Open in my calendar app" }
                }
                p.muted { "On an iPhone, the button above subscribes. On Android, open Google Calendar on the web, choose Other calendars, then From URL, and paste the address. Anyone with the address can see your planned sessions (not your records), so keep it to yourself." }
            }
        }
        @if let Some(feed) = feed {
            p {
                "An address has been active since " (hipcoach_workflows::calendar::words(
                    chrono::DateTime::from_timestamp_millis(feed.created_at_ms).map_or_else(Default::default, |t| t.date_naive())))
                ", with sessions at " (feed.session_time.format("%H:%M")) "."
            }
        }
        form.inline method="post" action="/account/calendar" novalidate {
            (csrf_field(visitor))
            label for="feed-at" { "Session time" }
            input #feed-at name="at" type="time" required
                value=(feed.map_or_else(|| "18:00".to_owned(), |f| f.session_time.format("%H:%M").to_string()))
                aria-invalid=[errors.contains_key("at").then_some("true")] aria-describedby=[described_by(errors, "at")];
            (offset_field())
            button.button type="submit" name="action" value="make" {
                @if feed.is_some() { "Make a new address (the old one stops working)" } @else { "Make my calendar address" }
            }
        }
        (field_error(errors, "at"))
        @if feed.is_some() {
            form method="post" action="/account/calendar" {
                (csrf_field(visitor))
                button.link type="submit" name="action" value="off" { "Turn the calendar address off" }
            }
        }
    }
}

/// `GET /account/download/{file}`: one export, as a file to save.
pub async fn download(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    Path(file): Path<String>,
    Query(time): Query<SessionTimeForm>,
) -> Result<Response, WebError> {
    let Some(download) = DOWNLOADS.iter().find(|d| d.file == file) else {
        return Err(WebError::NotFound(
            "there is no such download; the Your account and data page lists every file you can download".to_owned(),
        ));
    };
    let (at, offset) = time.parse().map_err(WebError::Invalid)?;
    let now = chrono::Utc::now().naive_utc();
    let bytes = exports::export(
        &state.store,
        &state.catalog,
        &user,
        state.today(),
        now,
        download.format,
        &session_time(at, offset),
    )
    .await?;
    Ok(file_response(download.media_type, &format!("attachment; filename=\"hipcoach-{}\"", download.file), bytes))
}

fn file_response(media_type: &str, disposition: &str, bytes: Vec<u8>) -> Response {
    let headers = [
        (header::CONTENT_TYPE, media_type.to_owned()),
        (header::CONTENT_DISPOSITION, disposition.to_owned()),
        (header::CACHE_CONTROL, "no-store".to_owned()),
    ];
    (headers, bytes).into_response()
}

#[derive(Debug, Default, Deserialize)]
pub struct CalendarForm {
    #[serde(default)]
    action: String,
    #[serde(flatten)]
    time: SessionTimeForm,
}

/// `POST /account/calendar`: makes a new private address (ending the old) or turns it off.
pub async fn calendar(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    headers: HeaderMap,
    Form(form): Form<CalendarForm>,
) -> Result<Response, WebError> {
    let mut shown = Shown::default();
    if form.action == "off" {
        state.store.delete_calendar_feed(user.id).await?;
        shown.notice = Some("Your calendar address is turned off. Calendars subscribed to it get no more sessions.");
        return Ok(view(&visitor, &user, None, &shown));
    }
    match form.time.parse() {
        Err(message) => {
            shown.calendar_errors.insert("at".to_owned(), message);
            let feed = state.store.calendar_feed(user.id).await?;
            Ok(view(&visitor, &user, feed.as_ref(), &shown))
        }
        Ok((at, offset)) => {
            let token = auth::new_token();
            let feed = state.store.set_calendar_feed(user.id, &auth::token_hash(&token), at, offset).await?;
            shown.new_address = Some(format!("{}/calendar/{token}.ics", site_origin(&state, &headers)));
            Ok(view(&visitor, &user, Some(&feed), &shown))
        }
    }
}

/// This site's address as the browser reached it (`https` when a proxy in front says so).
fn site_origin(state: &AppState, headers: &HeaderMap) -> String {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1:8080");
    let https = state.settings.behind_proxy
        && headers.get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

/// `GET /calendar/{token}.ics`: the planned sessions of whoever holds the address, for a
/// calendar app to fetch (no login: the secret address is the key).
pub async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, WebError> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let unknown = || {
        WebError::NotFound(
            "this calendar address is not in use (it was turned off or replaced); make a new one on the Your account \
             and data page"
                .to_owned(),
        )
    };
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(unknown());
    }
    let (user, feed) = match state.store.calendar_feed_by_token(&auth::token_hash(token)).await {
        Err(hipcoach_store::StoreError::NotFound(_)) => return Err(unknown()),
        other => other?,
    };
    let now = chrono::Utc::now().naive_utc();
    let time = session_time(feed.session_time, feed.utc_offset_min);
    let bytes = exports::export(&state.store, &state.catalog, &user, state.today(), now, Format::Ical, &time).await?;
    Ok(file_response("text/calendar; charset=utf-8", "inline; filename=\"hipcoach.ics\"", bytes))
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

/// `POST /account/password`: with the password now and a new one typed twice, the new one
/// replaces it and every other login of the account ends.
pub async fn change_password(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    headers: HeaderMap,
    Form(form): Form<PasswordForm>,
) -> Result<Response, WebError> {
    if !visitor.accounts {
        return Err(WebError::NotFound("this server has no passwords: it runs for one person".to_owned()));
    }
    let mut errors = FieldErrors::new();
    if !crate::hashing::verify(user.password_hash.clone(), form.current.clone()).await? {
        errors.insert("current".to_owned(), "That is not your password now. Nothing was changed.".to_owned());
    }
    if let Some(problem) = auth::password_problem(&form.new) {
        errors.insert("new".to_owned(), problem.to_owned());
    } else if form.new != form.confirm {
        errors.insert("confirm".to_owned(), "The two new passwords differ; type the same one twice.".to_owned());
    }
    if !errors.is_empty() {
        let feed = state.store.calendar_feed(user.id).await?;
        let shown = Shown { password_errors: errors, ..Shown::default() };
        return Ok(view(&visitor, &user, feed.as_ref(), &shown));
    }
    let hash = crate::hashing::hash(form.new).await?;
    let this_login = auth::login_token(&headers).map(auth::token_hash);
    state.store.change_password(user.id, &hash, this_login.as_deref()).await?;
    tracing::info!(user = user.id.0, "password changed");
    let user = User { password_hash: Some(hash), ..user };
    let feed = state.store.calendar_feed(user.id).await?;
    let shown = Shown {
        notice: Some("Your password is changed, and every other browser and phone is logged out."),
        ..Shown::default()
    };
    let mut response = view(&visitor, &user, feed.as_ref(), &shown);
    // The known-browser mark follows the new password, so this browser stays known.
    if let Some(proof) = auth::device_proof(&user) {
        let device = auth::set_cookie(&headers, auth::DEVICE_COOKIE, &proof, auth::DEVICE_SECONDS);
        response.headers_mut().append(header::SET_COOKIE, device);
    }
    Ok(response)
}

/// `POST /account/logout-everywhere`: every login of the account ends, this one too.
pub async fn logout_everywhere(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    if !visitor.accounts {
        return Err(WebError::NotFound("this server has no logins: it runs for one person".to_owned()));
    }
    let ended = state.store.delete_login_sessions_of(user.id).await?;
    tracing::info!(user = user.id.0, ended, "logged out everywhere");
    let cookie = auth::set_cookie(&headers, SESSION_COOKIE, "", 0);
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to("/login?everywhere")).into_response())
}

#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    password: String,
    understood: Option<String>,
}

/// `POST /account/delete`: with the password (where there are accounts) and the box ticked, the
/// account and everything in it goes, and so does this browser's login.
pub async fn delete(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    headers: HeaderMap,
    Form(form): Form<DeleteForm>,
) -> Result<Response, WebError> {
    let mut errors = FieldErrors::new();
    if visitor.accounts && !crate::hashing::verify(user.password_hash.clone(), form.password.clone()).await? {
        errors.insert("password".to_owned(), "That is not your password. Nothing was deleted.".to_owned());
    }
    if form.understood.is_none() {
        errors.insert("understood".to_owned(), "Tick the box to confirm. Nothing was deleted.".to_owned());
    }
    if !errors.is_empty() {
        let feed = state.store.calendar_feed(user.id).await?;
        let shown = Shown { delete_errors: errors, delete_ticked: form.understood.is_some(), ..Shown::default() };
        return Ok(view(&visitor, &user, feed.as_ref(), &shown));
    }
    state.store.delete_user(user.id).await?;
    state.plans.forget(user.id);
    tracing::info!(user = user.id.0, "account deleted");
    let cookie = auth::set_cookie(&headers, SESSION_COOKIE, "", 0);
    let to = if visitor.accounts { "/signup?deleted" } else { "/start" };
    Ok(([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response())
}
