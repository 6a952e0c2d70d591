//! History: past sessions and hip pain over time, with a chart drawn on the server as SVG.

use crate::auth::SignedIn;
use crate::layout::{Section, page as layout};
use crate::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Html;
use hipcoach_store::StoredSession;
use maud::html;

pub async fn page(
    State(state): State<AppState>,
    SignedIn { user, visitor }: SignedIn,
) -> Result<Html<String>, WebError> {
    let sessions = state.store.sessions(user.id).await?;
    Ok(layout(
        "History",
        Section::History,
        &visitor,
        html! {
            h1 { "History" }
            @if sessions.is_empty() {
                p { "No sessions yet. " a href="/" { "Start today's session" } "." }
            } @else {
                figure {
                    (crate::pain_chart::chart(&sessions))
                    figcaption { "Highest hip pain reported in each session (0–10). Green is 0–2, amber 3–5, red above 5." }
                }
                table {
                    thead { tr { th { "Day" } th { "Exercises" } th { "Sets done" } th { "Highest pain" } } }
                    tbody {
                        @for s in sessions.iter().rev() {
                            tr {
                                td { (s.day.format("%a %-d %b %Y")) }
                                td { (exercise_names(&state, s)) }
                                @let summary = s.record.summary();
                                td { (summary.sets_completed) " of " (summary.sets_planned) }
                                td { (crate::pain_chart::worst(s).map_or("—".to_owned(), |(p, sharp)| if sharp { "red sign (stopped)".to_owned() } else { format!("{p}/10") })) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// Stored sessions, oldest first.
#[utoipa::path(get, path = "/api/sessions", security(("login" = [])), tag = "sessions",
    responses((status = 200, body = Vec<StoredSession>), crate::error::ClientError))]
pub async fn list_json(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
) -> Result<Json<Vec<StoredSession>>, WebError> {
    Ok(Json(state.store.sessions(user.id).await?))
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
    let name = |id: &str| state.catalog.get(id).map_or_else(|| id.to_owned(), |e| e.name.clone());
    session.record.exercises.iter().map(|e| name(e.exercise.as_str())).collect::<Vec<_>>().join(", ")
}
