//! Getting started, and the safety questions answered again later. Every problem is reported
//! at once: listed in words at the top, each linked to its question, and again beside it. A
//! page shown again keeps everything the person chose.

use crate::auth::{SignedIn, Visitor};
use crate::form::{FieldErrors, Fields, chosen, described_by, field_error, shown_again, value};
use crate::layout::{Section, csrf_field, page as layout};
use crate::routes::profile::{self, BasicsForm};
use crate::{AppState, WebError};
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use hipcoach_core::program::{
    Answers, QuestionId, QuestionKind, Response as Reply, ScreeningOutcome, Verdict, questions,
};
use hipcoach_workflows::program::Program;
use hipcoach_workflows::screening::{Onboarding, record_onboarding, record_screening};
use hipcoach_workflows::wording::verdict_words;
use maud::{Markup, html};
use std::collections::BTreeMap;

/// The stored screening answers as form fields, so they can be answered again.
fn stored_answers(program: &Program) -> Fields {
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
    fields
}

/// `GET /start`: the first visit's form. Someone already set up edits their answers and their
/// profile on their own, shorter pages.
pub async fn page(State(state): State<AppState>, SignedIn { user, visitor }: SignedIn) -> Result<Response, WebError> {
    let program = Program::load(&state.store, user.id).await?;
    if program.screening.is_some() && program.profile.is_some() {
        return Ok(Redirect::to("/profile").into_response());
    }
    let mut fields = stored_answers(&program);
    fields.extend(profile::stored_basics(&program));
    Ok(start_form(&visitor, &fields, &FieldErrors::new()).into_response())
}

/// `POST /start`: the safety answers with the goal and time.
pub async fn submit(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    let mut errors = FieldErrors::new();
    let screening = parse_screening(&state, &fields, &mut errors);
    let basics = BasicsForm::parse(&fields, &mut errors);
    let (Some((responses, answers)), Some(basics)) = (screening, basics) else {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, start_form(&visitor, &fields, &errors)).into_response());
    };
    let onboarding = Onboarding {
        responses,
        answers,
        goal: basics.goal,
        sessions_per_week: basics.sessions,
        minutes_per_session: basics.minutes,
        equipment: basics.equipment,
        gets_down_to_floor: basics.floor,
        has_chair: basics.chair,
    };
    let outcome = record_onboarding(&state.store, user.id, state.today(), onboarding).await?;
    Ok(after_screening(&visitor, &outcome))
}

/// `GET /safety`: the safety questions alone, with the answers given last time.
pub async fn safety_page(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
) -> Result<Response, WebError> {
    let program = Program::load(&state.store, user.id).await?;
    if program.profile.is_none() {
        return Ok(Redirect::to("/start").into_response());
    }
    Ok(safety_form(&visitor, &stored_answers(&program), &FieldErrors::new()).into_response())
}

/// `POST /safety`: stores the new answers; the plan follows them at once.
pub async fn safety_submit(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
    Form(fields): Form<Fields>,
) -> Result<Response, WebError> {
    let mut errors = FieldErrors::new();
    let Some((responses, answers)) = parse_screening(&state, &fields, &mut errors) else {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, safety_form(&visitor, &fields, &errors)).into_response());
    };
    let outcome = record_screening(&state.store, user.id, state.today(), responses, answers).await?;
    Ok(after_screening(&visitor, &outcome))
}

/// Clear to start: on to Today. Otherwise the verdict and its reasons, in full.
fn after_screening(visitor: &Visitor, outcome: &ScreeningOutcome) -> Response {
    if matches!(outcome.verdict(), Verdict::ClearToStart | Verdict::StartWithCautions) {
        return Redirect::to("/").into_response();
    }
    layout(
        "Screening result",
        Section::Start,
        visitor,
        html! {
            h1 { "Screening result" }
            section.verdict.stop {
                h2 { (verdict_words(outcome.verdict())) }
                ul { @for reason in outcome.reasons() { li { (reason.text) } } }
            }
            p { (ScreeningOutcome::DISCLAIMER) }
            p { a href="/safety" { "Change my answers" } }
        },
    )
    .into_response()
}

/// The safety answers, parsed; every problem goes into `errors`, under its question.
fn parse_screening(
    state: &AppState,
    fields: &Fields,
    errors: &mut FieldErrors,
) -> Option<(BTreeMap<QuestionId, Reply>, Answers)> {
    let mut responses = BTreeMap::new();
    for question in questions() {
        let Some(text) = value(fields, question.id.as_str()).filter(|t| !t.is_empty()) else { continue };
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
    let day = hipcoach_workflows::calendar::day_of(state.today());
    match Answers::from_responses(day, &responses) {
        Ok(answers) if errors.is_empty() => Some((responses, answers)),
        Ok(_) => None,
        Err(problems) => {
            for problem in problems {
                // A number that did not parse already has its message.
                errors.entry(problem.question().as_str().to_owned()).or_insert_with(|| problem.reason());
            }
            None
        }
    }
}

/// What a field is called in the list of problems: the question itself, or the profile field.
fn field_name(name: &str) -> String {
    questions()
        .into_iter()
        .find(|q| q.id.as_str() == name)
        .map(|q| q.text)
        .or_else(|| profile::field_label(name).map(str::to_owned))
        .unwrap_or_else(|| name.to_owned())
}

/// The problems in the order their fields appear: the questions, then the profile fields.
fn in_form_order(errors: &FieldErrors) -> Vec<(&String, &String)> {
    let questions = questions();
    let position = |name: &str| {
        let profile = profile::FIELDS.iter().position(|(field, _)| *field == name);
        questions.iter().position(|q| q.id.as_str() == name).or(profile.map(|p| p + questions.len()))
    };
    let mut ordered: Vec<(&String, &String)> = errors.iter().collect();
    ordered.sort_by_key(|(name, _)| position(name).unwrap_or(usize::MAX));
    ordered
}

/// Every problem at once, at the top: in words, each linked to its question.
pub(crate) fn problems(errors: &FieldErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.problems role="alert" tabindex="-1" autofocus #problems {
                h2 {
                    @if errors.len() == 1 { "One answer needs a look; nothing was saved yet." }
                    @else { (errors.len()) " answers need a look; nothing was saved yet." }
                }
                ul {
                    @for (name, reason) in in_form_order(errors) {
                        li { a href={ "#field-" (name) } { (field_name(name)) } " " (reason) }
                    }
                }
            }
        }
    }
}

/// One fieldset per question, its legend the question, so a screen reader reads the question
/// with each answer.
fn question_fieldsets(fields: &Fields, errors: &FieldErrors) -> Markup {
    let checked = |name: &str, v: &str| chosen(fields, name, v);
    html! {
        @for q in questions() {
            @let id = q.id.as_str();
            fieldset.question #{ "field-" (id) } aria-describedby=[described_by(errors, id)]
                data-shown-if=[q.shown_if.as_ref().map(|c| c.question.as_str())]
                data-shown-for=[q.shown_if.as_ref().map(|c| c.any_of.join(" "))] {
                legend #{ "legend-" (id) } {
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
                    QuestionKind::Number { min, max, unit } => {
                        label.number {
                            input type="number" name=(id) min=(min) max=(max) inputmode="numeric"
                                aria-labelledby={ "legend-" (id) " unit-" (id) } value=[shown_again(fields, id)];
                            " " span #{ "unit-" (id) } { (unit) }
                        }
                    }
                }
                (field_error(errors, id))
            }
        }
    }
}

fn start_form(visitor: &Visitor, fields: &Fields, errors: &FieldErrors) -> Html<String> {
    layout(
        "Get started",
        Section::Start,
        visitor,
        html! {
            h1 { "Get started" }
            p.lead { "Some safety questions, then your goal and time. It takes about five minutes." }
            (problems(errors))
            form.questions method="post" action="/start" novalidate {
                (csrf_field(visitor))
                h2 { "Safety questions" }
                p.muted { "Written for hipcoach in the spirit of the PAR-Q+; the official PAR-Q+ form is a fuller check." }
                (question_fieldsets(fields, errors))
                h2 { "Your goal and time" }
                (profile::basics_fields(fields, errors))
                p.muted { (ScreeningOutcome::DISCLAIMER) }
                button.primary type="submit" { "Save and see my plan" }
            }
            script src="/assets/onboarding.js" defer {}
        },
    )
}

fn safety_form(visitor: &Visitor, fields: &Fields, errors: &FieldErrors) -> Html<String> {
    layout(
        "Safety questions",
        Section::Start,
        visitor,
        html! {
            h1 { "Safety questions" }
            p.lead { "Answer again whenever something about your health changes; your plan follows the new answers at once." }
            (problems(errors))
            form.questions method="post" action="/safety" novalidate {
                (csrf_field(visitor))
                p.muted { "Written for hipcoach in the spirit of the PAR-Q+; the official PAR-Q+ form is a fuller check." }
                (question_fieldsets(fields, errors))
                p.muted { (ScreeningOutcome::DISCLAIMER) }
                button.primary type="submit" { "Save my answers" }
            }
            p { a href="/profile" { "Your goal, time and equipment" } }
            script src="/assets/onboarding.js" defer {}
        },
    )
}
