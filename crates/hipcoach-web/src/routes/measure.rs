//! Measuring hip internal rotation: progress per test as a chart and in plain sentences, a form
//! for readings taken by hand, the phone-as-inclinometer page, and the JSON API behind them.
//!
//! The numbers come from the core through `hipcoach_workflows::measuring` (shared with `hipcoach measure`);
//! nothing is shown more precisely than whole degrees with the method's ±, and a change is called
//! real only when it reaches the minimal detectable change. The phone page sends raw gravity
//! vectors: the angle that is stored is computed here, never in the browser.

use crate::auth::{SignedIn, Visitor};
use crate::form::{FieldErrors, Fields, described_by, field_error, value};
use crate::ir_chart::chart;
use crate::json_body::JsonBody;
use crate::layout::{Section, csrf_field, page as layout};
use crate::{AppState, WebError};
use axum::Form;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use hipcoach_core::measure::{Change, Degrees, IrClass, MEANINGFUL_SIDE_DIFFERENCE, Method, Protocol, Rater};
use hipcoach_core::units::Side;
use hipcoach_store::{Measurement, StoreError};
use hipcoach_workflows::WorkflowError;
use hipcoach_workflows::measuring::{self, InclinometerTrial, NewMeasurement, Progress, SideProgress};
use maud::{Markup, html};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub async fn page(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, WebError> {
    let stored = state.store.stored_measurements(user.id).await?;
    let notice = match query.as_deref() {
        Some("corrected") => {
            Some("The reading is corrected; the old value is kept in your account's record of changes.")
        }
        Some("deleted") => Some("The reading is deleted; it is kept in your account's record of changes."),
        _ => None,
    };
    Ok(measure_page(&visitor, &stored, &Fields::new(), &FieldErrors::new(), None, notice))
}

/// The manual form: every field checked, each message beside its field, and all typed values
/// kept on a 422; a saved reading goes back to the chart (post/redirect/get).
pub async fn submit(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    let mut errors = FieldErrors::new();
    let position = check(
        &mut errors,
        "position",
        required(&fields, "position", "choose seated or prone").and_then(measuring::position_of),
    );
    let side = check(
        &mut errors,
        "side",
        required(&fields, "side", "choose the left or right hip").and_then(measuring::side_of),
    );
    let method = check(
        &mut errors,
        "method",
        required(&fields, "method", "choose how it was measured").and_then(measuring::method_of),
    );
    let rater = check(&mut errors, "rater", measuring::rater_of(value(&fields, "rater").unwrap_or("same")));
    let trials: Vec<_> = (1..=3)
        .map(|i| {
            let name = format!("trial{i}");
            check(&mut errors, &name, measuring::trial_of(value(&fields, &name).unwrap_or("")))
        })
        .collect();
    let by = check(&mut errors, "by", measuring::measured_by_of(value(&fields, "by"))).flatten();
    let trials: Option<Vec<_>> = trials.into_iter().collect();
    if let (Some(position), Some(side), Some(method), Some(rater), Some(trials), true) =
        (position, side, method, rater, trials, errors.is_empty())
    {
        let hard_end_feel = value(&fields, "hard-end-feel") == Some("yes");
        let entry = NewMeasurement { side, position, method, rater, measured_by: by, trials, hard_end_feel };
        match measuring::record_measurement(&state.store, user.id, state.today(), entry).await {
            Ok(_) => return Ok(Redirect::to("/measure#readings").into_response()),
            Err(
                WorkflowError::Invalid { reason: message, .. } | WorkflowError::Storage(StoreError::Invalid(message)),
            ) => {
                errors.insert("trials".into(), message);
            }
            Err(fault) => return Err(fault.into()),
        }
    }
    let stored = state.store.stored_measurements(user.id).await?;
    let banner = "Please check the fields marked below; nothing was saved yet.";
    let html = measure_page(&visitor, &stored, &fields, &errors, Some(banner), None);
    Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response())
}

fn check<T>(errors: &mut FieldErrors, name: &str, parsed: Result<T, String>) -> Option<T> {
    parsed.map_err(|e| errors.insert(name.to_owned(), e)).ok()
}

fn required<'a>(fields: &'a Fields, name: &str, missing: &str) -> Result<&'a str, String> {
    value(fields, name).filter(|v| !v.trim().is_empty()).ok_or_else(|| missing.to_owned())
}

pub async fn phone(SignedIn { visitor, .. }: SignedIn) -> Result<Html<String>, WebError> {
    let protocols = [Protocol::seated(), Protocol::prone()];
    Ok(layout(
        "Measure with your phone",
        Section::Measure,
        &visitor,
        html! {
            h1 { "Measure with your phone" }
            section.incl #incl data-trials=(Protocol::seated().trials_per_side) {
                ol.trial-progress #trial-progress aria-label="Trials" {
                    @for n in 1..=Protocol::seated().trials_per_side { li data-trial=(n) { "Trial " (n) } }
                }
                p.incl-step #incl-step aria-live="polite" { "Choose the hip and the test." }
                p.incl-live #incl-live hidden aria-live="off" { "" }
                p.incl-status #incl-status role="status" aria-live="polite" {}
                div #step-choose {
                    (hip_and_test_choice())
                    button.primary #incl-next type="button" { "Next" }
                }
                div #step-strap hidden {
                    p.lead { "Strap the phone flat against the front of the shin, just below the knee, with the top of the phone toward the knee. Set up as below, then press Start." }
                    @for p in &protocols {
                        details data-position=(p.position) {
                            summary { "Set-up for the " (p.name) }
                            (protocol_text(p))
                        }
                    }
                    button.primary #incl-start type="button" { "Start" }
                }
                div #step-measure hidden {
                    button #incl-record type="button" { "Record now" }
                }
                div #step-done hidden {
                    p.lead #incl-result {}
                    p { a.button.primary href="/measure" { "See your progress" } " " a href="/measure/phone" { "Measure the other hip" } }
                }
                div.no-sensor #incl-no-sensor hidden {
                    p.error { "This device has no motion sensor the browser can read (most computers do not)." }
                    p { "Open this page on a phone, or " a href="/measure#add" { "enter a measurement by hand" } "." }
                }
            }
            noscript { p.error { "The phone inclinometer needs JavaScript. " a href="/measure#add" { "Enter a measurement by hand" } " instead." } }
            p.muted { "The phone reads the pull of gravity to measure the shin's angle from vertical, three times; the middle value is kept, as a smartphone-clinometer reading (±" (Method::Phone.uncertainty()) "; a change counts as real from " (Method::Phone.minimal_detectable_change(hipcoach_core::measure::Rater::Same)) ")." }
            script src="/assets/records.js" defer {}
            script src="/assets/readings.js" defer {}
            script src="/assets/inclinometer.js" defer {}
        },
    ))
}

/// "Which hip?" and "Which test?", as the phone and camera pages ask them.
pub(super) fn hip_and_test_choice() -> Markup {
    html! {
        fieldset {
            legend { "Which hip?" }
            label.choice { input type="radio" name="side" value="left" checked; " Left" }
            label.choice { input type="radio" name="side" value="right"; " Right" }
        }
        fieldset {
            legend { "Which test?" }
            label.choice { input type="radio" name="position" value="seated" checked; " Seated" }
            label.choice { input type="radio" name="position" value="prone"; " Prone (lying face down)" }
        }
    }
}

/// One full page: the progress per test, then the form.
fn measure_page(
    visitor: &Visitor,
    stored: &[(i64, Measurement)],
    fields: &Fields,
    errors: &FieldErrors,
    banner: Option<&str>,
    notice: Option<&str>,
) -> Html<String> {
    let measurements: Vec<Measurement> = stored.iter().map(|(_, m)| m.clone()).collect();
    let progress = measuring::progress(&measurements);
    layout(
        "Hip rotation",
        Section::Measure,
        visitor,
        html! {
            h1 { "Hip rotation" }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            @if measurements.is_empty() {
                section.empty {
                    p.lead { "No measurements yet." }
                    p { "Take your first one with a phone strapped to your shin — "
                        a href="/measure/phone" { "measure with your phone" }
                        " — or with a goniometer, and enter the three trials in the form below. Measure each hip three times; the middle value is kept. Or "
                        a href="/measure/camera" { "measure with the camera" } ", or film the test and "
                        a href="/measure/clip" { "analyse the clip" } " in this browser." }
                }
            } @else {
                p { a.button href="/measure/phone" { "Measure with your phone" } " " a.button href="/measure/camera" { "Measure with the camera" } " " a.button href="/measure/clip" { "Analyse a recorded clip" } " " a.button href="#add" { "Enter a measurement" } }
                div #readings { @for p in &progress { (position_section(p, stored)) } }
            }
            (crate::layout::kept_records())
            (entry_form(visitor, fields, errors, banner))
            script src="/assets/readings.js" defer {}
        },
    )
}

fn position_section(progress: &Progress, stored: &[(i64, Measurement)]) -> Markup {
    let protocol = Protocol::for_position(progress.position);
    let shown: Vec<&(i64, Measurement)> = stored.iter().filter(|(_, m)| m.position == progress.position).collect();
    let readings: Vec<&Measurement> = shown.iter().map(|(_, m)| m).collect();
    let id = format!("chart-{}", progress.position);
    html! {
        section.progress-test {
            h2 { (hipcoach_workflows::wording::capitalised(&progress.position.to_string())) " test" }
            figure {
                (chart(progress.position, &protocol.normal, &readings, &id))
                figcaption.muted { "Each mark is one reading (the middle of three trials); the bar is its measurement error. Adults typically reach about " (protocol.normal.typical_mean) " in this test." }
            }
            ul.sentences {
                @for side in &progress.sides { li { (side_sentence(side)) } }
                li { (sides_sentence(progress)) }
            }
            // On a phone each reading is a small card (labels from `data-label`), so the table
            // never widens the page.
            table.readings {
                caption.sr-only { (hipcoach_workflows::wording::capitalised(&progress.position.to_string())) " readings" }
                thead { tr { th { "Date" } th { "Hip" } th { "IR" } th { "Method" } th { "Band" } th { "Measured by" } th { span.sr-only { "Correct" } } } }
                tbody {
                    @for (id, m) in shown.iter().rev() {
                        @let reading = measuring::reading_of(m);
                        tr {
                            td data-label="Date" { (hipcoach_workflows::calendar::words(m.day)) }
                            td data-label="Hip" { (hipcoach_workflows::wording::capitalised(&m.side.to_string())) }
                            td data-label="IR" {
                                (reading.range) @if m.method == Method::CameraEstimate { " (estimate)" }
                                @if m.hard_end_feel { br; span.muted { "hard, blocked end" } }
                            }
                            td data-label="Method" { (m.method) }
                            td data-label="Band" { (IrClass::of(reading.angle())) }
                            td data-label="Measured by" { (m.measured_by_words()) }
                            td { a href={ "/measure/" (id) } { "Correct or delete" span.sr-only { " the " (m.side) " hip reading of " (hipcoach_workflows::calendar::words(m.day)) ", " (reading.range) } } }
                        }
                    }
                }
            }
        }
    }
}

/// The latest reading of one side, and the change since the first against the MDC.
fn side_sentence(side: &SideProgress) -> String {
    let name = hipcoach_workflows::wording::capitalised(&side.side.to_string());
    let Some(latest) = &side.latest else {
        return format!("{name}: not measured in this test yet.");
    };
    let estimate = if latest.reading.method == Method::CameraEstimate { "an estimate of " } else { "" };
    let mut text = format!(
        "{name}: {estimate}{} on {} ({}), {}.",
        latest.reading.range,
        hipcoach_workflows::calendar::words(latest.day),
        latest.reading.method,
        IrClass::of(latest.reading.angle())
    );
    match (&side.trend, &side.first) {
        (Some(trend), Some(first)) => {
            let delta = (trend.latest.get() - trend.first.get()).round() as i64;
            let verdict = match trend.change {
                Change::Improved => format!("a real improvement, at least the {} measurement error", trend.mdc),
                Change::Worse => format!("a real loss, at least the {} measurement error", trend.mdc),
                Change::NoRealChange => {
                    format!("within measurement error (a real change needs {} or more)", trend.mdc)
                }
            };
            text.push_str(&format!(
                " Since the first reading ({} on {}): {delta:+}°, {verdict}.",
                trend.first,
                hipcoach_workflows::calendar::words(first.day)
            ));
        }
        _ => text.push_str(" Only one reading so far: measure again in a week or two to see a change."),
    }
    text
}

/// Left against right, with whether the difference is meaningful.
fn sides_sentence(progress: &Progress) -> String {
    let Some(asymmetry) = &progress.asymmetry else {
        let missing = progress.sides.iter().find(|s| s.latest.is_none()).map_or(Side::Right, |s| s.side);
        return format!("Measure the {missing} hip in this test too to compare the sides.");
    };
    let difference = asymmetry.difference.abs();
    match asymmetry.stiffer {
        Some(side) => format!(
            "Sides: the {side} hip turns {difference} less — a meaningful difference (over {MEANINGFUL_SIDE_DIFFERENCE} and at least the {} measurement error). Side differences are often structural: extra work for the stiffer side only makes sense when its end range is pain-free.",
            asymmetry.mdc
        ),
        None => format!(
            "Sides: {difference} apart, which counts as equal (a meaningful difference is over {MEANINGFUL_SIDE_DIFFERENCE} and at least the {} measurement error).",
            asymmetry.mdc
        ),
    }
}

fn protocol_text(protocol: &Protocol) -> Markup {
    html! {
        ol { @for step in protocol.setup { li { (step) } } }
        p { (protocol.movement) }
        p { "A trial does not count if:" }
        ul { @for i in protocol.invalidators { li { (hipcoach_workflows::wording::capitalised(i.description())) "." } } }
        p.muted { "Do " (protocol.trials_per_side) " trials per side; the middle value is kept. Usual range " (protocol.normal.reference_low) "–" (protocol.normal.reference_high) "." }
    }
}

fn entry_form(visitor: &Visitor, fields: &Fields, errors: &FieldErrors, banner: Option<&str>) -> Markup {
    let chosen = |name: &str, v: &str, default: bool| match value(fields, name) {
        Some(x) => x == v,
        None => default,
    };
    let radio = |name: &str, v: &str, label: &str, default: bool| {
        html! { label.choice { input type="radio" name=(name) value=(v) checked[chosen(name, v, default)]; " " (label) } }
    };
    html! {
        section #add {
            h2 { "Enter a measurement" }
            @if let Some(banner) = banner { p.error role="alert" { (banner) } }
            // Offline, readings.js keeps the reading on the device instead of posting it.
            form method="post" action="/measure#add" novalidate data-reading="/api/measurements" {
                (csrf_field(visitor))
                fieldset aria-describedby=[described_by(errors, "position")] {
                    legend { "Test" }
                    (radio("position", "seated", "Seated", true))
                    (radio("position", "prone", "Prone (lying face down)", false))
                    (field_error(errors, "position"))
                    @for p in [Protocol::seated(), Protocol::prone()] {
                        details {
                            summary { "How to do the " (p.name) }
                            (protocol_text(&p))
                        }
                    }
                }
                fieldset aria-describedby=[described_by(errors, "side")] {
                    legend { "Hip" }
                    (radio("side", "left", "Left", false))
                    (radio("side", "right", "Right", false))
                    (field_error(errors, "side"))
                }
                fieldset aria-describedby=[described_by(errors, "method")] {
                    legend { "Measured with" }
                    @for m in Method::ALL {
                        @let key = hipcoach_core::spelling(&m);
                        (radio("method", &key, &format!("{} (±{})", hipcoach_workflows::wording::capitalised(&m.to_string()), m.uncertainty()), m == Method::Goniometer))
                    }
                    (field_error(errors, "method"))
                }
                fieldset aria-describedby=[described_by(errors, "trials")] {
                    legend { "Three trials, in degrees" }
                    p.muted { "The middle value is kept, so one off trial does not decide the result." }
                    @for i in 1..=3 {
                        @let name = format!("trial{i}");
                        label.trial {
                            "Trial " (i) " "
                            input type="number" name=(name) step="any" inputmode="decimal" min="-20" max="90"
                                value=[value(fields, &name)] aria-describedby=[described_by(errors, &name)];
                            " °"
                        }
                        (field_error(errors, &name))
                    }
                    (field_error(errors, "trials"))
                }
                label.choice {
                    input type="checkbox" name="hard-end-feel" value="yes" checked[value(fields, "hard-end-feel") == Some("yes")];
                    " The end of the turn felt hard and blocked, like a bony stop (then that side's end-range work waits for a clinician)"
                }
                fieldset aria-describedby=[described_by(errors, "rater")] {
                    legend { "Who measured" }
                    (radio("rater", "same", "The same person as last time", true))
                    (radio("rater", "different", "A different person", false))
                    (field_error(errors, "rater"))
                    label { "Name, if not you (optional) " input type="text" name="by" maxlength="100" value=[value(fields, "by")] aria-describedby=[described_by(errors, "by")]; }
                    (field_error(errors, "by"))
                }
                button.primary type="submit" { "Save measurement" }
            }
        }
    }
}

// ---- JSON API ----

/// Stored hip internal-rotation measurements, oldest first.
#[utoipa::path(get, path = "/api/measurements", security(("login" = [])), tag = "measurements",
    responses((status = 200, body = Vec<Measurement>), crate::error::ClientError))]
pub async fn list_json(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
) -> Result<Json<Vec<Measurement>>, WebError> {
    Ok(Json(state.store.measurements(user.id).await?))
}

/// Per test and side: first, latest, and the change against the minimal detectable change; and the side-to-side difference.
#[utoipa::path(get, path = "/api/measurements/trend", security(("login" = [])), tag = "measurements",
    responses((status = 200, body = Vec<Progress>), crate::error::ClientError))]
pub async fn trend_json(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
) -> Result<Json<Vec<Progress>>, WebError> {
    Ok(Json(measuring::progress(&state.store.measurements(user.id).await?)))
}

/// A reading taken by hand.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ManualRequest {
    /// left or right.
    #[schema(example = "left")]
    side: String,
    /// seated or prone.
    #[schema(example = "seated")]
    position: String,
    /// goniometer, inclinometer or camera-estimate.
    #[schema(example = "goniometer")]
    method: String,
    /// Three trials in degrees, -20 to 90; the middle one is kept.
    #[schema(example = json!([34, 36, 35]))]
    trials: Vec<f64>,
    /// same (the person who measured last time) or different; same when left out.
    #[serde(default)]
    rater: Option<String>,
    /// Who measured, when not the account's owner (at most 100 characters).
    #[serde(default)]
    measured_by: Option<String>,
    /// The end of the turn felt hard and blocked, like a bony stop; false when left out.
    #[serde(default)]
    hard_end_feel: bool,
    /// The device's key for a reading it kept while offline: sending it again stores it once.
    #[serde(default)]
    key: Option<String>,
    /// The day it was taken, by the device's calendar, when it was kept there (ISO date); today
    /// without it. A day after today counts as today; one more than 90 days ago is refused.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    day: Option<chrono::NaiveDate>,
}

/// A phone-inclinometer reading: gravity at neutral and at end range, per trial.
#[derive(Debug, Deserialize, ToSchema)]
pub struct InclinometerRequest {
    /// left or right.
    side: String,
    /// seated or prone.
    position: String,
    /// Three trials of gravity vectors in m/s², in the phone's axes.
    trials: Vec<InclinometerTrial>,
    /// same or different; same when left out.
    #[serde(default)]
    rater: Option<String>,
    /// The device's key for a reading it kept while offline: sending it again stores it once.
    #[serde(default)]
    key: Option<String>,
    /// The day it was taken, by the device's calendar, when it was kept there (ISO date); today
    /// without it. A day after today counts as today; one more than 90 days ago is refused.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    day: Option<chrono::NaiveDate>,
}

/// What was stored, and how to say it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Saved {
    /// The stored measurement's id.
    id: i64,
    /// The stored row.
    measurement: Measurement,
    /// E.g. "left seated IR 35° ±4° (inclinometer)".
    reading: String,
    /// Where it sits against the clinical flags.
    band: String,
    /// The trials as computed (whole degrees).
    trials: Vec<i64>,
}

pub(super) fn field<T>(name: &str, parsed: Result<T, String>) -> Result<T, WebError> {
    parsed.map_err(|e| WebError::Invalid(format!("{name}: {e}")))
}

/// Each trial checked, its field named ("trials[1]") when it is refused.
pub(super) fn trials(values: &[f64]) -> Result<Vec<Degrees>, WebError> {
    values.iter().enumerate().map(|(i, t)| field(&format!("trials[{i}]"), measuring::trial_angle(*t))).collect()
}

fn rater(text: Option<&str>) -> Result<Rater, WebError> {
    field("rater", measuring::rater_of(text.unwrap_or("same")))
}

/// Stores a reading taken by hand; the median of the three trials is kept with the method's ±.
#[utoipa::path(post, path = "/api/measurements", security(("login" = [], "csrf" = [])), tag = "measurements", request_body = ManualRequest,
    responses((status = 200, body = Saved), crate::error::ClientError))]
pub async fn add_json(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    JsonBody(request): JsonBody<ManualRequest>,
) -> Result<Json<Saved>, WebError> {
    let trials = trials(&request.trials)?;
    let entry = NewMeasurement {
        side: field("side", measuring::side_of(&request.side))?,
        position: field("position", measuring::position_of(&request.position))?,
        method: field("method", measuring::method_of(&request.method))?,
        rater: rater(request.rater.as_deref())?,
        measured_by: field("measured_by", measuring::measured_by_of(request.measured_by.as_deref()))?,
        trials,
        hard_end_feel: request.hard_end_feel,
    };
    save(&state, user.id, entry, kept(request.key, request.day)).await
}

/// Stores a phone-inclinometer reading: the server computes each trial's angle from the gravity vectors.
#[utoipa::path(post, path = "/api/measurements/inclinometer", security(("login" = [], "csrf" = [])), tag = "measurements", request_body = InclinometerRequest,
    responses((status = 200, body = Saved), crate::error::ClientError))]
pub async fn add_inclinometer_json(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    JsonBody(request): JsonBody<InclinometerRequest>,
) -> Result<Json<Saved>, WebError> {
    let trials = field("trials", measuring::inclinometer_trials(&request.trials))?;
    let entry = NewMeasurement {
        side: field("side", measuring::side_of(&request.side))?,
        position: field("position", measuring::position_of(&request.position))?,
        method: Method::Phone,
        rater: rater(request.rater.as_deref())?,
        measured_by: None,
        trials,
        hard_end_feel: false,
    };
    save(&state, user.id, entry, kept(request.key, request.day)).await
}

/// A reading kept on a device, when the request names its key.
pub(super) fn kept(key: Option<String>, day: Option<chrono::NaiveDate>) -> Option<measuring::Kept> {
    key.map(|key| measuring::Kept { key, day })
}

async fn save(
    state: &AppState,
    user: hipcoach_store::UserId,
    entry: NewMeasurement,
    kept: Option<measuring::Kept>,
) -> Result<Json<Saved>, WebError> {
    let trials = entry.trials.iter().map(|t| t.rounded()).collect();
    let (id, measurement, _) =
        measuring::record_kept_measurement(&state.store, user, state.today(), entry, kept).await?;
    Ok(saved(id, measurement, trials))
}

/// The answer to a stored reading: the row, and how to say it.
pub(super) fn saved(id: i64, measurement: Measurement, trials: Vec<i64>) -> Json<Saved> {
    let reading = measuring::reading_of(&measurement);
    Json(Saved {
        id,
        reading: reading.to_string(),
        band: IrClass::of(reading.angle()).to_string(),
        measurement,
        trials,
    })
}
