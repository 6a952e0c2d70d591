//! Today: this week's plan, the next session, and the reasons for the latest changes.

use crate::auth::SignedIn;
use crate::layout::{Section, page as layout};
use crate::{AppState, WebError};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use hipcoach_workflows::wording::{left_out, minutes, sides_words, verdict_words};
use maud::html;

pub async fn page(State(state): State<AppState>, SignedIn { user, visitor }: SignedIn) -> Result<Response, WebError> {
    let planned = state.planned(&user).await?;
    let program = &planned.program;
    if program.screening.is_none() || program.profile.is_none() {
        return Ok(Redirect::to("/start").into_response());
    }
    let today = state.today();
    let outcome = program.outcome()?;
    let plan = match &planned.plan {
        Ok(plan) => plan,
        Err(error) => {
            return Ok(layout(
                "Today",
                Section::Today,
                &visitor,
                html! {
                    h1 { "No plan yet" }
                    section.verdict.stop {
                        h2 { (verdict_words(outcome.verdict())) }
                        p { (error) }
                        ul { @for reason in outcome.reasons() { li { (reason.text) } } }
                    }
                    p { a href="/start" { "Review my answers" } }
                },
            )
            .into_response());
        }
    };
    let next = program.next_session(plan, &state.catalog, today);
    Ok(layout(
        "Today",
        Section::Today,
        &visitor,
        html! {
            h1 { "Today" }
            (crate::layout::kept_records())
            @if let Some(next) = next {
                @let session = &next.session;
                section.next {
                    @if session.items.is_empty() {
                        h2 { "Rest today" }
                        @for why in &next.adjustments { p { (why) } }
                        p { "Everything in today's session rests after today's pain. Try again tomorrow; if the pain keeps coming back, please see a doctor or physiotherapist." }
                    } @else {
                        h2 { "Session " (session.number) " of " (plan.sessions.len()) " · about " (minutes(session.estimated_seconds)) " min" }
                        @if next.week_done { p.muted { "This week's sessions are done; this one is extra." } }
                        @for why in &next.adjustments { p.muted { (why) } }
                        ol.items {
                            @for item in &session.items {
                                li { strong { (item.name) } " " span.muted { (item.dose) " · " (sides_words(item)) } }
                            }
                        }
                        a.button.primary href="/session" { "Start the session" }
                    }
                }
            }
            @if !program.document.changes.is_empty() {
                section {
                    h2 { "What changed, and why" }
                    ul { @for change in &program.document.changes { li { (hipcoach_workflows::calendar::dated(&change.sentence)) } } }
                }
            }
            section {
                h2 { "This week" }
                @for session in &plan.sessions {
                    details {
                        summary { "Session " (session.number) " · about " (minutes(session.estimated_seconds)) " min" }
                        ul { @for item in &session.items { li { (item.name) " — " (item.dose) } } }
                    }
                }
                @for note in &plan.notes { p.muted { (note) } }
                @let left_out = left_out(plan, &state.catalog);
                @if !left_out.is_empty() {
                    details {
                        summary { "Left out (" (left_out.len()) ")" }
                        ul { @for (name, why) in &left_out { li { (name) ": " (why) } } }
                    }
                }
            }
            @if !outcome.reasons().is_empty() {
                section.verdict { h2 { (verdict_words(outcome.verdict())) } ul { @for r in outcome.reasons() { li { (r.text) } } } }
            }
        },
    )
    .into_response())
}

/// This week's plan.
#[utoipa::path(get, path = "/api/plan", security(("login" = [])), tag = "plan",
    responses((status = 200, body = hipcoach_core::program::WeekPlan), crate::error::ClientError))]
pub async fn plan_json(State(state): State<AppState>, SignedIn { user, .. }: SignedIn) -> Result<Response, WebError> {
    let planned = state.planned(&user).await?;
    planned.week_plan()?;
    Ok(([(header::CONTENT_TYPE, "application/json")], planned.plan_json.clone()).into_response())
}
