//! The exercise library: every exercise with its figure, dose, steps, breathing, cues,
//! mistakes and precautions.

use crate::auth::Visitor;
use crate::layout::{Section, page};
use crate::{AppState, WebError, diagram};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse};
use hipcoach_core::catalog::{Exercise, Kind};
use maud::html;

pub async fn list(State(state): State<AppState>, visitor: Visitor) -> Html<String> {
    let mut exercises: Vec<&Exercise> = state.catalog.exercises().collect();
    exercises.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
    page(
        "Exercises",
        Section::Library,
        &visitor,
        html! {
            h1 { "Exercises" }
            @for kind in Kind::ALL {
                @let group: Vec<&&Exercise> = exercises.iter().filter(|e| e.kind == *kind).collect();
                @if !group.is_empty() {
                    h2 { (hipcoach_workflows::wording::capitalised(kind.label())) }
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
        },
    )
}

pub async fn show(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> Result<Html<String>, WebError> {
    let e = find(&state, &id)?;
    let link = |id: &hipcoach_core::catalog::ExerciseId| {
        let name = state.catalog.get(id.as_str()).map_or(id.to_string(), |x| x.name.clone());
        html! { a href={ "/exercises/" (id) } { (name) } }
    };
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
                    li { "Stop at once on sharp, pinching or catching pain, or tingling or numbness." }
                }
                @if !e.links.regressions.is_empty() { p { "Easier: " @for id in &e.links.regressions { (link(id)) " " } } }
                @if !e.links.progressions.is_empty() { p { "Harder: " @for id in &e.links.progressions { (link(id)) " " } } }
                @if !e.links.alternatives.is_empty() { p { "Alternatives: " @for id in &e.links.alternatives { (link(id)) " " } } }
                @if let Some(note) = &e.source_note { p.muted { (hipcoach_workflows::wording::capitalised(&e.source.to_string())) ". " (note) } }
            }
        },
    ))
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
