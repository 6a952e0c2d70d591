//! History: past sessions and hip pain over time, with a chart drawn on the server as SVG.

use crate::auth::SignedIn;
use crate::layout::{Section, page as layout};
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use hipcoach_store::StoredSession;
use hipcoach_workflows::{adherence, calendar, wording};
use maud::html;
use serde::Deserialize;
use utoipa::IntoParams;

/// Weeks of adherence shown on the history page.
const ADHERENCE_WEEKS: usize = 8;

/// Sessions shown on the history page: the latest, so a long history costs no more than this.
const SHOWN: u32 = 100;

pub async fn page(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Html<String>, WebError> {
    let sessions = state.store.recent_sessions(user.id, None, SHOWN).await?;
    let planned = state.planned(&user).await?;
    let program = &planned.program;
    let per_week = match &planned.plan {
        Ok(plan) => plan.sessions.len(),
        Err(_) => program.profile.as_ref().map_or(0, |p| usize::from(p.sessions_per_week.get())),
    };
    let window = calendar::week_start(state.today()) - chrono::Duration::weeks(ADHERENCE_WEEKS as i64 - 1);
    let days = state.store.session_days(user.id, window).await?;
    let started = state.store.first_session_day(user.id).await?;
    let adherence = adherence::adherence(&days, started, per_week, state.today(), ADHERENCE_WEEKS);
    let total = if sessions.len() < SHOWN as usize {
        sessions.len() as u64
    } else {
        state.store.session_count(user.id).await?
    };
    Ok(layout(
        "History",
        Section::History,
        &visitor,
        html! {
            h1 { "History" }
            @if query.as_deref() == Some("deleted") { p.notice role="status" { "The session is deleted; it is kept in your account's record of changes." } }
            (crate::layout::kept_records())
            @if let Some(day) = program.morning_check_due(state.today()) { (crate::routes::checkin::morning_check(&visitor, day)) }
            @if sessions.is_empty() {
                p { "No sessions yet. " a href="/" { "Start today's session" } "." }
            } @else {
                @if !adherence.weeks.is_empty() && per_week > 0 {
                    section.adherence aria-labelledby="adherence-title" {
                        h2 #adherence-title { "Done against planned" }
                        p.lead {
                            @match adherence.streak_weeks {
                                0 => { "No streak yet: a week with every planned session done starts one." }
                                1 => { "1 week with every planned session done." }
                                n => { (n) " weeks in a row with every planned session done." }
                            }
                        }
                        ul.weeks {
                            @for week in adherence.weeks.iter().rev() {
                                li {
                                    span.week { "Week of " (calendar::words(week.starts)) }
                                    meter min="0" max=(week.planned) value=(week.done.min(week.planned)) aria-hidden="true" {}
                                    span { (week.done) " of " (week.planned) @if week.met() { " ✓" } }
                                }
                            }
                        }
                        p.muted { "Planned: " (per_week) " sessions a week, as your plan stands now." }
                    }
                }
                figure {
                    (crate::pain_chart::chart(&sessions))
                    figcaption { "Highest hip pain reported in each session (0–10). Green is 0–2, amber 3–5, red above 5." }
                }
                @if total > sessions.len() as u64 {
                    p.muted { "The latest " (sessions.len()) " of your " (total) " sessions." }
                }
                table.readings {
                    thead { tr { th { "Day" } th { "Exercises" } th { "Sets done" } th { "Highest pain" } } }
                    tbody {
                        @for s in sessions.iter().rev() {
                            tr {
                                td data-label="Day" { a href={ "/history/" (s.id) } { (s.day.format("%a %-d %b %Y")) } }
                                td data-label="Exercises" { (exercise_names(&state, s)) }
                                @let summary = s.record.summary();
                                td data-label="Sets done" { (summary.sets_completed) " of " (summary.sets_planned) }
                                td data-label="Highest pain" { (crate::pain_chart::worst(s).map_or("—".to_owned(), |(p, sharp)| if sharp { "red sign (stopped)".to_owned() } else { format!("{p}/10") })) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// `GET /history/{id}`: one session, set by set, with the pain reported after each exercise.
pub async fn detail(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let session = state.store.session(user.id, id).await?;
    let summary = session.record.summary();
    let day = calendar::words(session.day);
    Ok(layout(
        &format!("Session of {day}"),
        Section::History,
        &visitor,
        html! {
            p { a href="/history" { "← History" } }
            h1 { "Session of " (day) }
            p.lead {
                (summary.sets_completed) " of " (summary.sets_planned) " sets done · "
                (match summary.minutes { 0 => "under a minute".to_owned(), 1 => "1 minute".to_owned(), n => format!("{n} minutes") })
                " of work"
                @if session.record.ended_early { " · ended early" }
            }
            @for exercise in &session.record.exercises {
                section.exercise-record {
                    h2 { (state.catalog.name_of(&exercise.exercise)) }
                    ul { @for set in &exercise.sets { li { (wording::set_words(set)) } } }
                    p { "After it: " (wording::pain_words(exercise.pain)) "." }
                }
            }
            (crate::routes::corrections::delete_form(&visitor, &format!("/history/{id}/delete"), "session",
                "Logged by mistake? It leaves your history, the adherence count and the next plan review; a change the plan already made from it stays. It is kept in your account's record of changes."))
        },
    ))
}

/// A page of the session list.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Page {
    /// Only sessions stored before the session with this id: the next page back.
    before: Option<i64>,
    /// How many, 1 to 1,000; 100 when left out.
    limit: Option<u32>,
}

/// The most sessions one request returns.
const MAX_PAGE: u32 = 1_000;

/// Stored sessions, the latest `limit` (before `before`), oldest first. When older ones
/// exist, the `Link` header names the next page (`rel="next"`).
#[utoipa::path(get, path = "/api/sessions", security(("login" = [])), tag = "sessions", params(Page),
    responses((status = 200, body = Vec<StoredSession>), crate::error::ClientError))]
pub async fn list_json(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    Query(page): Query<Page>,
) -> Result<Response, WebError> {
    let limit = page.limit.unwrap_or(SHOWN);
    if !(1..=MAX_PAGE).contains(&limit) {
        return Err(WebError::Invalid(format!("limit: ask for 1 to {MAX_PAGE} sessions at a time")));
    }
    // One more than asked says whether an older page exists.
    let mut sessions = state.store.recent_sessions(user.id, page.before, limit + 1).await?;
    let more = sessions.len() > limit as usize;
    if more && let Some(oldest) = sessions.iter().map(|s| s.id).min() {
        sessions.retain(|s| s.id != oldest);
    }
    let oldest = sessions.iter().map(|s| s.id).min();
    let mut response = Json(&sessions).into_response();
    if let Some(oldest) = oldest.filter(|_| more) {
        let next = format!("</api/sessions?before={oldest}&limit={limit}>; rel=\"next\"");
        if let Ok(value) = axum::http::HeaderValue::from_str(&next) {
            response.headers_mut().insert(axum::http::header::LINK, value);
        }
    }
    Ok(response)
}

/// One stored session.
#[utoipa::path(get, path = "/api/sessions/{id}", security(("login" = [])), tag = "sessions",
    params(("id" = i64, Path, description = "The session's id")),
    responses((status = 200, body = StoredSession), crate::error::ClientError))]
pub async fn show_json(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<StoredSession>, WebError> {
    Ok(Json(state.store.session(user.id, id).await?))
}

/// The session's exercises by the names people know them by (the id when a custom catalog
/// no longer has one).
fn exercise_names(state: &AppState, session: &StoredSession) -> String {
    session.record.exercises.iter().map(|e| state.catalog.name_of(&e.exercise)).collect::<Vec<_>>().join(", ")
}
