//! Your profile: goal, sessions a week, minutes, what is at hand, and the exercises you like,
//! dislike or swapped. A short page of its own; the safety questions have theirs.

use crate::auth::{SignedIn, Visitor};
use crate::form::{FieldErrors, Fields, chosen, described_by, field_error, shown_again, value};
use crate::layout::{Section, csrf_field, page as layout};
use crate::routes::onboarding::problems;
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use hipcoach_core::catalog::{Equipment, ExerciseId, Goal};
use hipcoach_core::spelling;
use hipcoach_core::units::{SessionMinutes, SessionsPerWeek};
use hipcoach_workflows::profile::{ProfileChanges, update_profile};
use hipcoach_workflows::program::Program;
use hipcoach_workflows::wording::capitalised;
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::BTreeSet;

/// Goal, time and what is at hand, as chosen on a form.
pub struct BasicsForm {
    pub goal: Goal,
    pub sessions: SessionsPerWeek,
    pub minutes: SessionMinutes,
    pub equipment: BTreeSet<Equipment>,
    pub floor: bool,
    pub chair: bool,
}

impl BasicsForm {
    /// Parses every field, putting each problem under its field; `None` when there was one.
    pub fn parse(fields: &Fields, errors: &mut FieldErrors) -> Option<BasicsForm> {
        let goal = value(fields, "goal").and_then(|g| Goal::ALL.iter().copied().find(|goal| spelling(goal) == g));
        if goal.is_none() {
            errors.insert("goal".into(), "Please choose a goal.".into());
        }
        let sessions = whole_number(fields, "sessions", errors, |n| SessionsPerWeek::new(n).ok(), SESSIONS);
        let minutes = whole_number(fields, "minutes", errors, |n| SessionMinutes::new(n).ok(), MINUTES);
        let mut equipment = BTreeSet::new();
        for (_, item) in fields.iter().filter(|(k, _)| k == "equipment") {
            match Equipment::ALL.iter().find(|e| spelling(*e) == *item) {
                Some(item) => {
                    equipment.insert(*item);
                }
                None => {
                    errors.insert("equipment".into(), "Please tick only the equipment listed.".into());
                }
            }
        }
        Some(BasicsForm {
            goal: goal?,
            sessions: sessions?,
            minutes: minutes?,
            equipment,
            // A floor and a chair are assumed unless the person says no.
            floor: value(fields, "floor") != Some("no"),
            chair: value(fields, "chair") != Some("no"),
        })
        .filter(|_| errors.is_empty())
    }
}

/// The bounds of sessions a week and minutes per session, from their types.
const SESSIONS: (u16, u16) = (SessionsPerWeek::MIN, SessionsPerWeek::MAX);
const MINUTES: (u16, u16) = (SessionMinutes::MIN, SessionMinutes::MAX);

/// A whole number in range; the message says the range and never repeats what was typed.
fn whole_number<T>(
    fields: &Fields,
    name: &str,
    errors: &mut FieldErrors,
    make: impl Fn(i64) -> Option<T>,
    (min, max): (u16, u16),
) -> Option<T> {
    let parsed = value(fields, name).and_then(|text| text.trim().parse::<i64>().ok()).and_then(make);
    if parsed.is_none() {
        errors.insert(name.to_owned(), format!("Please give a whole number from {min} to {max}."));
    }
    parsed
}

/// The profile's fields that can hold a problem, in the order the form shows them, with what
/// each is called where problems are listed.
pub const FIELDS: [(&str, &str); 4] = [
    ("goal", "Your goal:"),
    ("sessions", "Sessions a week:"),
    ("minutes", "Minutes per session:"),
    ("equipment", "Equipment:"),
];

/// What a profile field is called where problems are listed.
pub fn field_label(name: &str) -> Option<&'static str> {
    FIELDS.iter().find(|(field, _)| *field == name).map(|(_, label)| *label)
}

/// The stored goal, time and equipment as form fields.
pub fn stored_basics(program: &Program) -> Fields {
    let mut fields = Fields::new();
    if let Some(profile) = &program.profile {
        fields.push(("goal".into(), spelling(&profile.goal)));
        fields.push(("sessions".into(), profile.sessions_per_week.get().to_string()));
        fields.push(("minutes".into(), profile.minutes_per_session.get().to_string()));
        for item in &profile.equipment {
            fields.push(("equipment".into(), spelling(item)));
        }
        let yes_no = |yes: bool| if yes { "yes" } else { "no" }.to_owned();
        fields.push(("floor".into(), yes_no(profile.gets_down_to_floor)));
        fields.push(("chair".into(), yes_no(profile.has_chair)));
    }
    fields
}

/// The goal, time and equipment fields, one fieldset per question.
pub fn basics_fields(fields: &Fields, errors: &FieldErrors) -> Markup {
    let checked = |name: &str, v: &str| chosen(fields, name, v);
    let number = |name: &str, label: &str, (min, max): (u16, u16), default: &str| {
        let typed = shown_again(fields, name).unwrap_or(default);
        html! {
            div.field #{ "field-" (name) } {
                label for=(name) { (label) " (" (min) " to " (max) ")" }
                input #(name) type="number" name=(name) min=(min) max=(max) inputmode="numeric" value=(typed)
                    aria-describedby=[described_by(errors, name)];
                (field_error(errors, name))
            }
        }
    };
    html! {
        fieldset #field-goal aria-describedby=[described_by(errors, "goal")] {
            legend { "What are you after?" }
            @for goal in Goal::ALL {
                @let key = spelling(goal);
                label.choice { input type="radio" name="goal" value=(key) checked[checked("goal", &key)]; " " (capitalised(goal.label())) }
            }
            (field_error(errors, "goal"))
        }
        (number("sessions", "Sessions a week", SESSIONS, "3"))
        (number("minutes", "Minutes per session", MINUTES, "15"))
        fieldset {
            legend { "Can you get down to the floor and back up on your own?" }
            label.choice { input type="radio" name="floor" value="yes" checked[!checked("floor", "no")]; " Yes" }
            label.choice { input type="radio" name="floor" value="no" checked[checked("floor", "no")]; " No, floor exercises are not for me" }
        }
        fieldset {
            legend { "Is there a steady chair without wheels you can use?" }
            label.choice { input type="radio" name="chair" value="yes" checked[!checked("chair", "no")]; " Yes" }
            label.choice { input type="radio" name="chair" value="no" checked[checked("chair", "no")]; " No" }
        }
        fieldset #field-equipment aria-describedby=[described_by(errors, "equipment")] {
            legend { "Anything else at hand? (Optional: a floor and a chair are all you need.)" }
            @for item in Equipment::ALL.iter().filter(|e| **e != Equipment::Chair) {
                @let key = spelling(item);
                label.choice {
                    input type="checkbox" name="equipment" value=(key) checked[checked("equipment", &key)];
                    " " (capitalised(&item.to_string())) @if *item == Equipment::Mat { " (for comfort on the floor)" }
                }
            }
            (field_error(errors, "equipment"))
        }
    }
}

/// `GET /profile`.
pub async fn page(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    RawQuery(query): RawQuery,
) -> Result<Response, WebError> {
    let program = Program::load(&state.store, user.id).await?;
    if program.profile.is_none() {
        return Ok(Redirect::to("/start").into_response());
    }
    let saved = query.as_deref() == Some("saved");
    Ok(form(&state, &visitor, &program, &stored_basics(&program), &FieldErrors::new(), saved).into_response())
}

/// `POST /profile`: the new goal, time and equipment, and any preference to forget.
pub async fn submit(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    let mut errors = FieldErrors::new();
    let Some(basics) = BasicsForm::parse(&fields, &mut errors) else {
        let program = Program::load(&state.store, user.id).await?;
        let html = form(&state, &visitor, &program, &fields, &errors, false);
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    };
    let equipment: Vec<String> = basics.equipment.iter().map(spelling).collect();
    let changes = ProfileChanges {
        goal: Some(spelling(&basics.goal)),
        sessions: Some(i64::from(basics.sessions.get())),
        minutes: Some(i64::from(basics.minutes.get())),
        equipment: Some(if equipment.is_empty() { "none".to_owned() } else { equipment.join(",") }),
        floor: Some(if basics.floor { "yes" } else { "no" }.to_owned()),
        chair: Some(if basics.chair { "yes" } else { "no" }.to_owned()),
        forget: fields.iter().filter(|(k, _)| k == "forget").map(|(_, v)| v.clone()).collect(),
        ..ProfileChanges::default()
    };
    update_profile(&state.store, &state.catalog, user.id, state.today(), &changes).await?;
    Ok(Redirect::to("/profile?saved").into_response())
}

/// A choice made on an exercise's page.
#[derive(Debug, Deserialize)]
pub struct PreferenceForm {
    /// The exercise.
    exercise: String,
    /// like, dislike, swap or forget.
    choice: String,
    /// With swap: the exercise to do instead.
    #[serde(default)]
    instead: String,
}

/// `POST /profile/preference`: favour, never schedule, swap or forget one exercise, from its page.
pub async fn preference(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    Form(form): Form<PreferenceForm>,
) -> Result<Response, WebError> {
    let exercise = state.catalog.get(&form.exercise).ok_or_else(|| {
        WebError::Invalid("That exercise is not in the library; choose one from the Exercises page.".into())
    })?;
    let id = exercise.id.to_string();
    let mut changes = ProfileChanges::default();
    match form.choice.as_str() {
        "like" => changes.like.push(id.clone()),
        "dislike" => changes.dislike.push(id.clone()),
        "swap" => {
            let instead =
                state.catalog.get(&form.instead).filter(|other| other.id != exercise.id).ok_or_else(|| {
                    WebError::Invalid(
                        "Choose another exercise to do instead, from the list under “Swap it for”.".into(),
                    )
                })?;
            changes.swap.push(format!("{id}={}", instead.id));
        }
        "forget" => changes.forget.push(id.clone()),
        _ => return Err(WebError::Invalid("Choose favour, never schedule, swap or forget.".into())),
    }
    update_profile(&state.store, &state.catalog, user.id, state.today(), &changes).await?;
    Ok(Redirect::to(&format!("/exercises/{id}?saved")).into_response())
}

fn form(
    state: &AppState,
    visitor: &Visitor,
    program: &Program,
    fields: &Fields,
    errors: &FieldErrors,
    saved: bool,
) -> Html<String> {
    let name = |id: &ExerciseId| state.catalog.name_of(id);
    let preferences = program.profile.as_ref().map(|p| p.preferences.clone()).unwrap_or_default();
    let has_preferences =
        !(preferences.liked.is_empty() && preferences.disliked.is_empty() && preferences.swapped.is_empty());
    let forget = |id: &ExerciseId| {
        html! { label.choice { input type="checkbox" name="forget" value=(id); " Forget this" span.sr-only { ": " (name(id)) } } }
    };
    layout(
        "Your profile",
        Section::Start,
        visitor,
        html! {
            h1 { "Your profile" }
            p.lead { "Your plan is built from these. Change them whenever you like; the plan follows at once." }
            @if saved { p.notice role="status" { "Saved. Today's plan follows your new profile." } }
            (problems(errors))
            form method="post" action="/profile" novalidate {
                (csrf_field(visitor))
                (basics_fields(fields, errors))
                fieldset {
                    legend { "Exercises you favour, avoid or swapped" }
                    @if has_preferences {
                        ul.preferences {
                            @for id in &preferences.liked { li { "Favoured: " a href={ "/exercises/" (id) } { (name(id)) } " " (forget(id)) } }
                            @for id in &preferences.disliked { li { "Never scheduled: " a href={ "/exercises/" (id) } { (name(id)) } " " (forget(id)) } }
                            @for (from, to) in &preferences.swapped {
                                li { a href={ "/exercises/" (from) } { (name(from)) } " is swapped for " a href={ "/exercises/" (to) } { (name(to)) } " " (forget(from)) }
                            }
                        }
                    } @else {
                        p.muted { "None yet." }
                    }
                    p.muted { "Favour, avoid or swap an exercise from its page in the " a href="/exercises" { "exercise library" } "." }
                }
                button.primary type="submit" { "Save my profile" }
            }
            section {
                h2 { "Safety questions" }
                p { "Has something about your health changed? " a href="/safety" { "Answer the safety questions again" } "." }
            }
        },
    )
}
