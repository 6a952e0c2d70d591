//! Correcting the record from the page: a reading corrected or deleted, a session deleted.
//! Deleting needs a tick that says so (no script needed); every change is kept in the
//! account's record of changes, which the account download includes.

use crate::auth::{SignedIn, Visitor};
use crate::form::{FieldErrors, Fields, chosen, described_by, field_error, shown_again, value};
use crate::layout::{Section, csrf_field, page as layout};
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use hipcoach_core::units::Side;
use hipcoach_store::Measurement;
use hipcoach_workflows::calendar;
use hipcoach_workflows::corrections::{ReadingCorrection, correct_reading, delete_reading, delete_session};
use hipcoach_workflows::error::WorkflowError;
use hipcoach_workflows::measuring;
use maud::html;

/// The box that must be ticked before anything is deleted.
const SURE: &str = "sure";

/// `GET /measure/{id}`: the reading, to correct or delete.
pub async fn reading_page(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    Path(id): Path<i64>,
) -> Result<Html<String>, WebError> {
    let reading = state.store.measurement(user.id, id).await?;
    let fields: Fields = vec![
        ("day".into(), reading.day.to_string()),
        ("side".into(), hipcoach_core::spelling(&reading.side)),
        ("degrees".into(), format!("{:.0}", reading.degrees)),
        ("hard-end-feel".into(), if reading.hard_end_feel { "yes" } else { "no" }.into()),
    ];
    Ok(reading_form(&visitor, id, &reading, &fields, &FieldErrors::new()))
}

/// `POST /measure/{id}`: the corrected reading.
pub async fn reading_submit(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    let reading = state.store.measurement(user.id, id).await?;
    let mut errors = FieldErrors::new();
    let day = value(&fields, "day").and_then(|d| d.parse().ok());
    if day.is_none() {
        errors.insert("day".into(), "Please give the day it was measured.".into());
    }
    let side = match value(&fields, "side") {
        Some("left") => Some(Side::Left),
        Some("right") => Some(Side::Right),
        _ => {
            errors.insert("side".into(), "Please choose the left or the right hip.".into());
            None
        }
    };
    // The range any trial of the test may read.
    let (low, high) = (measuring::TRIAL_RANGE.start(), measuring::TRIAL_RANGE.end());
    let degrees = value(&fields, "degrees")
        .and_then(|d| d.trim().parse::<i64>().ok())
        .filter(|d| measuring::TRIAL_RANGE.contains(&(*d as f64)));
    if degrees.is_none() {
        errors.insert("degrees".into(), format!("Please give the angle in whole degrees, from {low} to {high}."));
    }
    if let (Some(day), Some(side), Some(degrees)) = (day, side, degrees) {
        let hard_end_feel = value(&fields, "hard-end-feel") == Some("yes");
        // The angle as shown, unchanged, keeps the reading's own value (it may hold a fraction).
        let shown = format!("{:.0}", reading.degrees).parse::<i64>().ok();
        let degrees = (Some(degrees) != shown).then_some(degrees);
        let correction = ReadingCorrection { day, side, degrees, hard_end_feel };
        match correct_reading(&state.store, user.id, state.today(), id, correction).await {
            Ok(_) => return Ok(Redirect::to("/measure?corrected#readings").into_response()),
            Err(WorkflowError::Invalid { field, reason }) => {
                errors.insert(field, capitalised_sentence(&reason));
            }
            Err(other) => return Err(other.into()),
        }
    }
    let html = reading_form(&visitor, id, &reading, &fields, &errors);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

/// `POST /measure/{id}/delete`.
pub async fn reading_delete(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Redirect, WebError> {
    sure(&fields, "reading")?;
    delete_reading(&state.store, user.id, id).await?;
    Ok(Redirect::to("/measure?deleted#readings"))
}

/// `POST /history/{id}/delete`.
pub async fn session_delete(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    Path(id): Path<i64>,
    Form(fields): Form<Fields>,
) -> Result<Redirect, WebError> {
    sure(&fields, "session")?;
    delete_session(&state.store, &state.catalog, user.id, state.today(), id).await?;
    Ok(Redirect::to("/history?deleted"))
}

/// The delete form: a box to tick and a red button; used on a reading's and a session's page.
pub fn delete_form(visitor: &Visitor, action: &str, what: &str, consequence: &str) -> maud::Markup {
    html! {
        section.danger aria-labelledby="delete-title" {
            h2 #delete-title { "Delete this " (what) }
            p { (consequence) }
            form method="post" action=(action) {
                (csrf_field(visitor))
                label.choice { input type="checkbox" name=(SURE) value="yes" required; " Yes, delete this " (what) }
                button.danger type="submit" { "Delete" }
            }
        }
    }
}

fn sure(fields: &Fields, what: &str) -> Result<(), WebError> {
    if value(fields, SURE) == Some("yes") {
        return Ok(());
    }
    Err(WebError::Invalid(format!("Nothing was deleted: tick “Yes, delete this {what}” first, then press Delete.")))
}

fn capitalised_sentence(reason: &str) -> String {
    let mut sentence = hipcoach_workflows::wording::capitalised(reason);
    if !sentence.ends_with('.') {
        sentence.push('.');
    }
    sentence
}

fn reading_form(
    visitor: &Visitor,
    id: i64,
    reading: &Measurement,
    fields: &Fields,
    errors: &FieldErrors,
) -> Html<String> {
    let checked = |name: &str, v: &str| chosen(fields, name, v);
    let shown = measuring::reading_of(reading);
    let typed = |name: &str| shown_again(fields, name).unwrap_or("");
    layout(
        "Correct a reading",
        Section::Measure,
        visitor,
        html! {
            p { a href="/measure#readings" { "← Hip rotation" } }
            h1 { "Correct a reading" }
            p.lead {
                (hipcoach_workflows::wording::capitalised(&reading.side.to_string())) " hip, " (reading.position) " test, "
                (shown.range) ", by " (reading.method) " on " (calendar::words(reading.day)) "."
            }
            (crate::routes::onboarding::problems(errors))
            form method="post" action={ "/measure/" (id) } novalidate {
                (csrf_field(visitor))
                div.field #field-day {
                    label for="day" { "Day measured" }
                    input #day type="date" name="day" value=(typed("day")) aria-describedby=[described_by(errors, "day")];
                    (field_error(errors, "day"))
                }
                fieldset #field-side aria-describedby=[described_by(errors, "side")] {
                    legend { "Which hip?" }
                    label.choice { input type="radio" name="side" value="left" checked[checked("side", "left")]; " Left" }
                    label.choice { input type="radio" name="side" value="right" checked[checked("side", "right")]; " Right" }
                    (field_error(errors, "side"))
                }
                div.field #field-degrees {
                    label for="degrees" { "Inward turn, whole degrees" }
                    input #degrees type="number" name="degrees" min=(measuring::TRIAL_RANGE.start()) max=(measuring::TRIAL_RANGE.end())
                        inputmode="numeric" value=(typed("degrees"))
                        aria-describedby=[described_by(errors, "degrees")];
                    (field_error(errors, "degrees"))
                }
                label.choice { input type="checkbox" name="hard-end-feel" value="yes" checked[checked("hard-end-feel", "yes")]; " The end of the turn felt hard and blocked" }
                p.muted { "The test, the tool and its ± stay as measured; the old values are kept in your account's record of changes." }
                button.primary type="submit" { "Save the correction" }
            }
            (delete_form(visitor, &format!("/measure/{id}/delete"), "reading", "It leaves the chart and the trend at once; it stays in your account's record of changes."))
        },
    )
}
