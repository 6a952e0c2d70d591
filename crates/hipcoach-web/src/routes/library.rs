//! The exercise library: every exercise with its figure, dose, steps, breathing, cues,
//! mistakes and precautions.

use crate::auth::Visitor;
use crate::layout::{Section, csrf_field, page};
use crate::{AppState, WebError, diagram};
use axum::Json;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use hipcoach_core::catalog::{Equipment, Exercise, Goal, Kind};
use hipcoach_core::program::{Eligibility, Preferences};
use hipcoach_core::spelling;
use hipcoach_workflows::program::Program;
use hipcoach_workflows::wording::capitalised;
use maud::html;
use serde::Deserialize;

/// What the library is narrowed to: words to look for, and a kind, equipment and goal.
#[derive(Debug, Default, Deserialize)]
pub struct Filter {
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    equipment: String,
    #[serde(default)]
    goal: String,
}

impl Filter {
    /// Whether the exercise matches every part of the filter (an unknown value matches nothing,
    /// which the page says).
    fn keeps(&self, e: &Exercise) -> bool {
        let words = self.q.trim().to_lowercase();
        let text = |t: &str| t.to_lowercase().contains(&words);
        (words.is_empty() || text(&e.name) || e.aliases.iter().any(|a| text(a)) || text(&e.summary) || text(&e.motion))
            && (self.kind.is_empty() || spelling(&e.kind) == self.kind)
            && (self.equipment.is_empty()
                || if self.equipment == "none" {
                    e.equipment.is_empty()
                } else {
                    e.equipment.iter().any(|x| spelling(x) == self.equipment)
                })
            && (self.goal.is_empty() || e.goals.iter().any(|g| spelling(g) == self.goal))
    }

    fn is_empty(&self) -> bool {
        self.q.trim().is_empty() && self.kind.is_empty() && self.equipment.is_empty() && self.goal.is_empty()
    }
}

/// `GET /exercises`: the library, searchable and filtered without a script (a plain GET form).
pub async fn list(State(state): State<AppState>, visitor: Visitor, Query(filter): Query<Filter>) -> Html<String> {
    let mut exercises: Vec<&Exercise> = state.catalog.exercises().filter(|e| filter.keeps(e)).collect();
    exercises.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    let option = |value: String, label: String, chosen: &str| {
        html! { option value=(value) selected[value == chosen] { (label) } }
    };
    let total = state.catalog.exercises().count();
    page(
        "Exercises",
        Section::Library,
        &visitor,
        html! {
            h1 { "Exercises" }
            form.filter method="get" action="/exercises" role="search" {
                div.field {
                    label for="q" { "Search" }
                    input #q type="search" name="q" value=(filter.q) maxlength="60" placeholder="a name or a word, e.g. rotation";
                }
                div.field {
                    label for="kind" { "Kind" }
                    select #kind name="kind" {
                        (option(String::new(), "Any kind".into(), &filter.kind))
                        @for kind in Kind::ALL { (option(spelling(kind), capitalised(kind.label()), &filter.kind)) }
                    }
                }
                div.field {
                    label for="equipment" { "Equipment" }
                    select #equipment name="equipment" {
                        (option(String::new(), "Any".into(), &filter.equipment))
                        (option("none".into(), "Nothing at all".into(), &filter.equipment))
                        @for item in Equipment::ALL.iter().filter(|x| state.catalog.exercises().any(|e| e.equipment.contains(x))) {
                            (option(spelling(item), capitalised(item.label()), &filter.equipment))
                        }
                    }
                }
                div.field {
                    label for="goal" { "Goal" }
                    select #goal name="goal" {
                        (option(String::new(), "Any goal".into(), &filter.goal))
                        @for goal in Goal::ALL { (option(spelling(goal), capitalised(goal.label()), &filter.goal)) }
                    }
                }
                button type="submit" { "Show" }
            }
            @if !filter.is_empty() {
                p role="status" {
                    @match exercises.len() {
                        0 => { "No exercise matches. " }
                        1 => { "1 of " (total) " exercises matches. " }
                        n => { (n) " of " (total) " exercises match. " }
                    }
                    a href="/exercises" { "Show them all" }
                }
            }
            @for kind in Kind::ALL {
                @let group: Vec<&&Exercise> = exercises.iter().filter(|e| e.kind == *kind).collect();
                @if !group.is_empty() {
                    h2 { (capitalised(kind.label())) }
                    ul.cards {
                        @for e in group {
                            li.card {
                                a href={ "/exercises/" (e.id) } {
                                    (diagram::position(e.position))
                                    strong { (e.name) }
                                    span.muted { (e.dose) }
                                }
                            }
                        }
                    }
                }
            }
            section #sources {
                h2 { "About the sources" }
                p { "The program draws on two published articles on hip internal rotation, checked against a clinical review; every instruction is written afresh for hipcoach. Where an exercise was corrected or added, this says how." }
                details {
                    summary { "Notes on each exercise" }
                    dl {
                        @for e in state.catalog.exercises() {
                            dt { a href={ "/exercises/" (e.id) } { (e.name) } }
                            dd { (capitalised(&e.source.to_string())) "." @if let Some(note) = &e.source_note { " " (note) } }
                        }
                    }
                }
            }
        },
    )
}

/// `GET /exercises/{id}`: everything about one exercise, and, for someone signed in, their
/// choices about it (favour, never schedule, swap for an easier or equal one).
pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, WebError> {
    let e = find(&state, &id)?;
    let link = |id: &hipcoach_core::catalog::ExerciseId| {
        html! { a href={ "/exercises/" (id) } { (state.catalog.name_of(id)) } }
    };
    let program = match &visitor.user {
        Some(user) => Some(Program::load(&state.store, user.id).await?),
        None => None,
    };
    let choices = program.as_ref().and_then(|program| {
        let profile = program.profile.as_ref()?;
        let screening = &program.screening.as_ref()?.outcome;
        // Only swaps the plan can honour: what the person's equipment and answers allow.
        let eligibility = Eligibility::new(&state.catalog, profile, screening);
        let swaps: Vec<&Exercise> = e
            .links
            .regressions
            .iter()
            .chain(&e.links.alternatives)
            .filter_map(|id| state.catalog.get(id.as_str()))
            .filter(|x| eligibility.allows(x))
            .collect();
        Some(your_choices(&state, &visitor, e, &swaps, &profile.preferences, query.as_deref() == Some("saved")))
    });
    Ok(page(
        &e.name,
        Section::Library,
        &visitor,
        html! {
            article.exercise {
                h1 { (e.name) }
                p.lead { (e.summary) }
                (diagram::position(e.position))
                p.tags {
                    span { (e.kind) } span { (e.position) } span { (e.laterality) }
                    @for item in &e.equipment { span { (item) } }
                }
                p.dose { "Dose: " strong { (e.dose) } ", rest " (e.dose.rest) " between sets" }
                h2 { "Why it helps" }
                p { (e.why) }
                p.muted { "Trains: " (e.motion) ". Muscles: " (e.muscles.join(", ")) "." }
                h2 { "Steps" }
                ol { @for step in &e.steps { li { (step) } } }
                h2 { "Breathing" }
                dl { @for cue in &e.breathing { dt { (cue.phase) } dd { (cue.cue) } } }
                h2 { "Form cues" }
                ul { @for cue in &e.form_cues { li { (cue) } } }
                h2 { "Common mistakes" }
                ul.mistakes { @for m in &e.mistakes { li { strong { (m.mistake) } " " (m.fix) } } }
                h2 { "Precautions" }
                ul.precautions {
                    @for p in &e.precautions { li { (p) } }
                    // The red signs, once: unless the exercise's own precautions already say it.
                    @if !e.precautions.iter().any(|p| p.contains("pinching or catching")) {
                        li { "Stop at once on sharp, pinching or catching pain, or tingling or numbness." }
                    }
                }
                @if !e.links.regressions.is_empty() { p { "Easier: " @for (i, id) in e.links.regressions.iter().enumerate() { @if i > 0 { ", " } (link(id)) } } }
                @if !e.links.progressions.is_empty() { p { "Harder: " @for (i, id) in e.links.progressions.iter().enumerate() { @if i > 0 { ", " } (link(id)) } } }
                @if !e.links.alternatives.is_empty() { p { "Alternatives: " @for (i, id) in e.links.alternatives.iter().enumerate() { @if i > 0 { ", " } (link(id)) } } }
                @if let Some(choices) = choices { (choices) }
                p.muted { a href="/exercises#sources" { "Where this exercise comes from" } }
            }
        },
    ))
}

/// The signed-in person's choices about one exercise. A swap offers only easier or equal
/// exercises (regressions and alternatives) that the person's equipment and answers allow:
/// nobody is moved to a harder version by a swap, and no swap is offered that the plan would
/// have to replace again.
fn your_choices(
    state: &AppState,
    visitor: &Visitor,
    e: &Exercise,
    swaps: &[&Exercise],
    prefs: &Preferences,
    saved: bool,
) -> maud::Markup {
    let now = if prefs.liked.contains(&e.id) {
        Some("You favour this exercise: it is kept when time is short.".to_owned())
    } else if prefs.disliked.contains(&e.id) {
        Some("You chose never to have this exercise scheduled.".to_owned())
    } else {
        prefs.swapped.get(&e.id).map(|to| format!("You swapped this exercise for {}.", state.catalog.name_of(to)))
    };
    // One form per choice; `fields` are whatever the choice needs before its button.
    let form = |choice: &str, fields: maud::Markup, label: &str| {
        html! {
            form.inline method="post" action="/profile/preference" {
                (csrf_field(visitor))
                input type="hidden" name="exercise" value=(e.id);
                input type="hidden" name="choice" value=(choice);
                (fields)
                button type="submit" { (label) }
            }
        }
    };
    html! {
        section.choices aria-labelledby="choices-title" {
            h2 #choices-title { "Your choices" }
            @if saved { p.notice role="status" { "Saved. Your plan follows it from now on." } }
            @if let Some(now) = &now {
                p { (now) }
                (form("forget", html! {}, "Undo this choice"))
            } @else {
                div.choice-row {
                    (form("like", html! {}, "Favour it"))
                    (form("dislike", html! {}, "Never schedule it"))
                }
                @if !swaps.is_empty() {
                    (form("swap", html! {
                        label for="instead" { "Swap it for" }
                        select #instead name="instead" {
                            @for x in swaps { option value=(x.id) { (x.name) } }
                        }
                    }, "Swap"))
                }
            }
        }
    }
}

// The whole catalog, serialised once at start: it never changes while the server runs.
/// Every exercise of the catalog.
#[utoipa::path(get, path = "/api/exercises", security(()), tag = "exercises",
    responses((status = 200, body = Vec<Exercise>), crate::error::ClientError))]
pub async fn list_json(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], state.catalog_json.clone())
}

/// One exercise, by id.
#[utoipa::path(get, path = "/api/exercises/{id}", security(()), tag = "exercises",
    params(("id" = String, Path, description = "The exercise's id, e.g. clamshell")),
    responses((status = 200, body = Exercise), crate::error::ClientError))]
pub async fn show_json(State(state): State<AppState>, Path(id): Path<String>) -> Result<Json<Exercise>, WebError> {
    Ok(Json(find(&state, &id)?.clone()))
}

fn find<'a>(state: &'a AppState, id: &str) -> Result<&'a Exercise, WebError> {
    state.catalog.get(id).ok_or_else(|| WebError::NotFound(format!("no exercise with id `{id}`")))
}
