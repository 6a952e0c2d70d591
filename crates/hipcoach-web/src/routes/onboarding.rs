//! Getting started: the screening questions and the profile on one form. A validation error
//! re-renders the form with everything the person typed and the message next to the field.

use crate::auth::{SignedIn, Visitor};
use crate::form::{FieldErrors, Fields, described_by, field_error, value};
use crate::layout::{Section, csrf_field, page as layout};
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use hipcoach_core::catalog::{Equipment, Goal};
use hipcoach_core::program::{Answers, QuestionKind, Response as Reply, ScreeningOutcome, Verdict, questions};
use hipcoach_core::units::{SessionMinutes, SessionsPerWeek};
use hipcoach_store::User;
use hipcoach_workflows::screening::{Onboarding, record_onboarding};
use hipcoach_workflows::wording::{capitalised, verdict_words};
use maud::{Markup, html};
use std::collections::{BTreeMap, BTreeSet};

/// The stored screening and profile as form fields, so the form can be edited later.
async fn stored_fields(state: &AppState, user: &User) -> Result<Fields, WebError> {
    let program = hipcoach_workflows::program::Program::load(&state.store, user.id).await?;
    let mut fields = Fields::new();
    if let Some(screening) = &program.screening {
        for (id, reply) in &screening.responses {
            let text = match reply {
                Reply::YesNo(true) => "yes".to_owned(),
                Reply::YesNo(false) => "no".to_owned(),
                Reply::Number(n) => n.to_string(),
                Reply::Choice(choice) => choice.clone(),
            };
            fields.push((id.as_str().to_owned(), text));
        }
    }
    if let Some(profile) = &program.profile {
        fields.push(("goal".into(), hipcoach_core::spelling(&profile.goal)));
        fields.push(("sessions".into(), profile.sessions_per_week.get().to_string()));
        fields.push(("minutes".into(), profile.minutes_per_session.get().to_string()));
        for item in &profile.equipment {
            fields.push(("equipment".into(), hipcoach_core::spelling(item)));
        }
        let yes_no = |yes: bool| if yes { "yes" } else { "no" }.to_owned();
        fields.push(("floor".into(), yes_no(profile.gets_down_to_floor)));
        fields.push(("chair".into(), yes_no(profile.has_chair)));
    }
    Ok(fields)
}

pub async fn page(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
) -> Result<Html<String>, WebError> {
    let fields = stored_fields(&state, &user).await?;
    Ok(form(&visitor, &fields, &FieldErrors::new(), None))
}

pub async fn submit(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    let today = state.today();
    let mut errors = FieldErrors::new();
    let mut responses = BTreeMap::new();
    for question in questions() {
        let Some(text) = value(&fields, question.id.as_str()).filter(|t| !t.is_empty()) else { continue };
        let reply = match &question.kind {
            QuestionKind::YesNo => Reply::YesNo(text == "yes"),
            QuestionKind::Choice { .. } => Reply::Choice(text.to_owned()),
            QuestionKind::Number { min, max, unit } => match text.trim().parse() {
                Ok(n) => Reply::Number(n),
                Err(_) => {
                    let reason = format!("Please give a whole number from {min} to {max} {unit}.");
                    errors.insert(question.id.as_str().to_owned(), reason);
                    continue;
                }
            },
        };
        responses.insert(question.id, reply);
    }
    let answers = match Answers::from_responses(hipcoach_workflows::calendar::day_of(today), &responses) {
        Ok(answers) => Some(answers),
        Err(problems) => {
            for problem in problems {
                // A number that did not parse already has its message.
                errors.entry(problem.question().as_str().to_owned()).or_insert_with(|| problem.reason());
            }
            None
        }
    };
    let sessions =
        number_field(&fields, "sessions", &mut errors, |n| SessionsPerWeek::new(n).map_err(|e| e.to_string()));
    let minutes = number_field(&fields, "minutes", &mut errors, |n| SessionMinutes::new(n).map_err(|e| e.to_string()));
    let goal: Option<Goal> = match value(&fields, "goal").map(|g| serde_json::from_value(g.into())) {
        Some(Ok(goal)) => Some(goal),
        _ => {
            errors.insert("goal".into(), "choose a goal".into());
            None
        }
    };
    let mut equipment = BTreeSet::new();
    for (_, item) in fields.iter().filter(|(k, _)| k == "equipment") {
        match serde_json::from_value::<Equipment>(item.as_str().into()) {
            Ok(item) => {
                equipment.insert(item);
            }
            Err(_) => {
                errors.insert("equipment".into(), format!("`{item}` is not equipment hipcoach knows"));
            }
        }
    }
    let (Some(answers), Some(sessions), Some(minutes), Some(goal), true) =
        (answers, sessions, minutes, goal, errors.is_empty())
    else {
        let banner = match errors.len() {
            1 => "Please check the answer marked below; nothing was saved yet.".to_owned(),
            n => format!("Please check the {n} answers marked below; nothing was saved yet."),
        };
        let html = form(&visitor, &fields, &errors, Some(&banner));
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, html).into_response());
    };
    let onboarding = Onboarding {
        responses,
        answers,
        goal,
        sessions_per_week: sessions,
        minutes_per_session: minutes,
        equipment,
        // A floor and a chair are assumed unless the person says no.
        gets_down_to_floor: value(&fields, "floor") != Some("no"),
        has_chair: value(&fields, "chair") != Some("no"),
    };
    let outcome = record_onboarding(&state.store, user.id, today, onboarding).await?;
    if matches!(outcome.verdict(), Verdict::ClearToStart | Verdict::StartWithCautions) {
        return Ok(Redirect::to("/").into_response());
    }
    Ok(layout(
        "Screening result",
        Section::Start,
        &visitor,
        html! {
            h1 { "Screening result" }
            section.verdict.stop {
                h2 { (verdict_words(outcome.verdict())) }
                ul { @for reason in outcome.reasons() { li { (reason.text) } } }
            }
            p { (ScreeningOutcome::DISCLAIMER) }
            p { a href="/start" { "Change my answers" } }
        },
    )
    .into_response())
}

fn number_field<T>(
    fields: &Fields,
    name: &str,
    errors: &mut FieldErrors,
    parse: impl Fn(i64) -> Result<T, String>,
) -> Option<T> {
    let text = value(fields, name).unwrap_or("").trim();
    match text.parse::<i64>() {
        Ok(n) => parse(n).map_err(|e| errors.insert(name.to_owned(), e)).ok(),
        Err(_) => {
            errors.insert(name.to_owned(), format!("`{text}` is not a whole number"));
            None
        }
    }
}

/// The question id an answers error names (its first back-quoted word).
fn form(visitor: &Visitor, fields: &Fields, errors: &FieldErrors, banner: Option<&str>) -> Html<String> {
    let error = |name: &str| -> Markup { field_error(errors, name) };
    let checked = |name: &str, v: &str| fields.iter().any(|(k, x)| k == name && x == v);
    layout(
        "Get started",
        Section::Start,
        visitor,
        html! {
            h1 { "Get started" }
            p.lead { "A few safety questions, then your goal and time. It takes about two minutes." }
            @if let Some(banner) = banner { p.error role="alert" { (banner) } }
            form method="post" action="/start" novalidate {
                (csrf_field(visitor))
                fieldset {
                    legend { "Safety questions" }
                    p.muted { "Written for hipcoach in the spirit of the PAR-Q+; the official PAR-Q+ form is a fuller check." }
                    @for q in questions() {
                        @let id = q.id.as_str();
                        div.question aria-describedby=[described_by(errors, id)]
                            data-shown-if=[q.shown_if.as_ref().map(|c| c.question.as_str())]
                            data-shown-for=[q.shown_if.as_ref().map(|c| c.any_of.join(" "))] {
                            p.q {
                                (q.text)
                                @if let Some(shown) = &q.shown_if { span.muted.only-if { " (only if you answered " (shown.any_of.join(" or ")) " above)" } }
                            }
                            @if let Some(help) = &q.help { p.muted { (help) } }
                            @match &q.kind {
                                QuestionKind::YesNo => {
                                    label.choice { input type="radio" name=(id) value="yes" checked[checked(id, "yes")]; " Yes" }
                                    label.choice { input type="radio" name=(id) value="no" checked[checked(id, "no")]; " No" }
                                }
                                QuestionKind::Choice { choices } => {
                                    @for c in choices {
                                        label.choice { input type="radio" name=(id) value=(c.id) checked[checked(id, &c.id)]; " " (c.label) }
                                    }
                                }
                                QuestionKind::Number { min, max, .. } => {
                                    input type="number" name=(id) min=(min) max=(max) value=[value(fields, id)];
                                }
                            }
                            (error(id))
                        }
                    }
                }
                fieldset {
                    legend { "Your goal and time" }
                    @for goal in Goal::ALL {
                        @let key = hipcoach_core::spelling(goal);
                        label.choice { input type="radio" name="goal" value=(key) checked[checked("goal", &key)]; " " (capitalised(goal.label())) }
                    }
                    (error("goal"))
                    label { "Sessions a week " input type="number" name="sessions" min="1" max="7" value=(value(fields, "sessions").unwrap_or("3")); }
                    (error("sessions"))
                    label { "Minutes per session " input type="number" name="minutes" min="5" max="90" value=(value(fields, "minutes").unwrap_or("15")); }
                    (error("minutes"))
                    fieldset.plain {
                        legend { "Can you get down to the floor and back up on your own?" }
                        label.choice { input type="radio" name="floor" value="yes" checked[!checked("floor", "no")]; " Yes" }
                        label.choice { input type="radio" name="floor" value="no" checked[checked("floor", "no")]; " No, floor exercises are not for me" }
                    }
                    fieldset.plain {
                        legend { "Is there a steady chair without wheels you can use?" }
                        label.choice { input type="radio" name="chair" value="yes" checked[!checked("chair", "no")]; " Yes" }
                        label.choice { input type="radio" name="chair" value="no" checked[checked("chair", "no")]; " No" }
                    }
                    p { "Anything else at hand? (Optional: a floor and a chair are all you need.)" }
                    @for item in Equipment::ALL.iter().filter(|e| **e != Equipment::Chair) {
                        @let key = hipcoach_core::spelling(item);
                        label.choice {
                            input type="checkbox" name="equipment" value=(key) checked[checked("equipment", &key)];
                            " " (item) @if *item == Equipment::Mat { " (for comfort on the floor)" }
                        }
                    }
                    (error("equipment"))
                }
                p.muted { (ScreeningOutcome::DISCLAIMER) }
                button.primary type="submit" { "Save and see my plan" }
            }
            script src="/assets/onboarding.js" defer {}
        },
    )
}
