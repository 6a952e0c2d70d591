//! Today: what to do today (a session, or rest), the morning check after a session, the
//! reasons for the latest changes, this week's plan, and the safety advice once.

use crate::auth::SignedIn;
use crate::layout::{Section, page as layout};
use crate::routes::checkin::morning_check;
use crate::{AppState, WebError};
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use hipcoach_core::program::{PlannedSession, ScreeningOutcome, session_weekdays};
use hipcoach_workflows::program::DayInPlan;
use hipcoach_workflows::wording::{left_out, minutes, sides_words, verdict_words};
use maud::{Markup, html};

/// Changes shown under "What changed": the latest few, the rest are in the exports.
const CHANGES_SHOWN: usize = 5;

pub async fn page(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let planned = state.planned(&user).await?;
    let program = &planned.program;
    if program.screening.is_none() || program.profile.is_none() {
        return Ok(Redirect::to("/start").into_response());
    }
    let today = state.today();
    let outcome = program.outcome()?;
    let notice = match query.as_deref() {
        Some("checked-in=changed") => Some("Morning check saved. It changed your plan: see “What changed, and why”."),
        Some("checked-in") => Some("Morning check saved. Nothing in your plan needed to change."),
        Some("rested") => Some("Rest it is. Your answer is kept, and tomorrow's check compares with it."),
        _ => None,
    };
    let plan = match &planned.plan {
        Ok(plan) => plan,
        Err(_) => {
            let due = program.screening_is_due(today);
            let blocked = !outcome.verdict().allows_plan();
            return Ok(layout(
                "Today",
                Section::Today,
                &visitor,
                html! {
                    h1 { "No plan yet" }
                    @if due {
                        p { "Your safety answers are over a year old, and health can change in a year. Please answer them again so the plan still suits you." }
                        p { a.button.primary href="/safety" { "Answer the safety questions" } }
                    } @else if blocked {
                        section.verdict.stop {
                            h2 { (hipcoach_workflows::wording::capitalised(verdict_words(outcome.verdict()))) }
                            ul { @for reason in outcome.reasons() { li { (reason.text) } } }
                            p { (ScreeningOutcome::DISCLAIMER) }
                        }
                        p { a href="/safety" { "Change my safety answers" } }
                    } @else {
                        p { "Nothing in the library suits your profile as it stands: usually the minutes are too few for even one exercise, or the floor and the chair are both ruled out." }
                        p { a.button.primary href="/profile" { "Change my profile" } }
                    }
                },
            )
            .into_response());
        }
    };
    let next = program.next_session(plan, &state.catalog, today);
    let day = program.day_in_plan(plan, today);
    let changes = program.current_changes(plan, CHANGES_SHOWN);
    let weekdays: Vec<String> = session_weekdays(plan.sessions.len())
        .iter()
        .filter_map(|d| chrono::Weekday::try_from(*d).ok())
        .map(|d| weekday_name(d).to_owned())
        .collect();
    Ok(layout(
        "Today",
        Section::Today,
        &visitor,
        html! {
            h1 { "Today" }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            (crate::layout::kept_records())
            @if let Some(session_day) = program.morning_check_due(today) { (morning_check(&visitor, session_day)) }
            @if let Some(next) = next {
                @let session = &next.session;
                section.next aria-labelledby="next-title" {
                    @if session.items.is_empty() {
                        h2 #next-title { "Rest today" }
                        @for why in &next.adjustments { p { (why) } }
                        p { "Everything in today's session rests after today's pain. Try again tomorrow; if the pain keeps coming back, please see a doctor or physiotherapist." }
                    } @else {
                        @match day {
                            DayInPlan::SessionDue => {
                                h2 #next-title { "Session " (session.number) " of " (plan.sessions.len()) " · about " (minutes(session.estimated_seconds)) " min" }
                                (adjustments(&next.adjustments))
                                (items(session))
                                a.button.primary href="/session" { "Start the session" }
                            }
                            DayInPlan::DoneToday { stopped_for_pain: true } => {
                                h2 #next-title { "Stopped for pain today" }
                                p { "Rest the hip for the rest of the day; what hurt is left out until it settles, and the plan has stepped it back. Tomorrow morning, say how your hip feels." }
                                p { "If the pain is still there tomorrow, keeps coming back, or the hip catches or locks, please see a doctor or physiotherapist before going on." }
                            }
                            DayInPlan::DoneToday { stopped_for_pain: false } => {
                                h2 #next-title { "Done for today ✓" }
                                p { "Rest now: joints and muscles adapt between sessions. Tomorrow morning, say how your hip feels; it decides whether the dose goes up." }
                                (extra(session, &next.adjustments, "Do another session anyway"))
                            }
                            DayInPlan::WeekDone => {
                                h2 #next-title { "This week's sessions are done" }
                                p { "Well done. Rest is part of the program; an extra session is fine if you feel like it." }
                                (extra(session, &next.adjustments, "Do an extra session"))
                            }
                            DayInPlan::RestDay { next: next_day } => {
                                h2 #next-title { "Rest day" }
                                p { "Your plan spreads its " (plan.sessions.len()) " sessions over " (weekdays.join(", ")) ". Today is a rest day; the next session is on " (weekday_name(next_day)) "." }
                                (extra(session, &next.adjustments, "Do it today instead"))
                            }
                        }
                    }
                }
            }
            @if !changes.is_empty() {
                section aria-labelledby="changes-title" {
                    h2 #changes-title { "What changed, and why" }
                    ul.sentences { @for change in &changes { li { (change) } } }
                }
            }
            section aria-labelledby="week-title" {
                h2 #week-title { "This week" }
                @for session in &plan.sessions {
                    details {
                        summary { "Session " (session.number) " · about " (minutes(session.estimated_seconds)) " min" }
                        (items(session))
                    }
                }
                @if !plan.notes.is_empty() { ul.sentences.muted { @for note in &plan.notes { li { (note) } } } }
                @let left_out = left_out(plan, &state.catalog);
                @if !left_out.is_empty() {
                    details {
                        summary { "Left out of your plan (" (left_out.len()) ")" }
                        ul.sentences { @for (name, why) in &left_out { li { strong { (name) } ": " (why) } } }
                    }
                }
            }
            @if !outcome.reasons().is_empty() {
                section.verdict aria-labelledby="safety-title" {
                    h2 #safety-title { "Safety: " (verdict_words(outcome.verdict())) }
                    ul.sentences { @for r in outcome.reasons() { li { (r.text) } } }
                }
            }
        },
    )
    .into_response())
}

/// The exercises of a session with their doses, exactly as the player will run them.
fn items(session: &PlannedSession) -> Markup {
    html! {
        ol.items {
            @for item in &session.items {
                li { strong { (item.name) } " " span.muted { (item.dose) " · " (sides_words(item)) } }
            }
        }
    }
}

fn adjustments(adjustments: &[String]) -> Markup {
    html! { @for why in adjustments { p.muted { (why) } } }
}

/// On a day without a session due: the next session, folded away, to do anyway.
fn extra(session: &PlannedSession, why: &[String], label: &str) -> Markup {
    html! {
        details {
            summary { (label) " (about " (minutes(session.estimated_seconds)) " min)" }
            (adjustments(why))
            (items(session))
            a.button href="/session" { "Start the session" }
        }
    }
}

fn weekday_name(day: chrono::Weekday) -> &'static str {
    use chrono::Weekday::*;
    match day {
        Mon => "Monday",
        Tue => "Tuesday",
        Wed => "Wednesday",
        Thu => "Thursday",
        Fri => "Friday",
        Sat => "Saturday",
        Sun => "Sunday",
    }
}

/// This week's plan.
#[utoipa::path(get, path = "/api/plan", security(("login" = [])), tag = "plan",
    responses((status = 200, body = hipcoach_core::program::WeekPlan), crate::error::ClientError))]
pub async fn plan_json(State(state): State<AppState>, SignedIn { user, .. }: SignedIn) -> Result<Response, WebError> {
    let planned = state.planned(&user).await?;
    planned.week_plan()?;
    Ok(([(header::CONTENT_TYPE, "application/json")], planned.plan_json.clone()).into_response())
}
