//! History: past sessions and hip pain over time, with a chart drawn on the server as SVG.

use crate::web::auth::SignedIn;
use crate::web::layout::{Section, page as layout};
use crate::web::{AppState, WebError};
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Html;
use hipcoach_store::StoredSession;
use maud::{Markup, PreEscaped, html};

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
                    (pain_chart(&sessions))
                    figcaption { "Highest hip pain reported in each session (0–10). Green is 0–2, amber 3–5, red above 5." }
                }
                table {
                    thead { tr { th { "Day" } th { "Exercises" } th { "Sets done" } th { "Highest pain" } } }
                    tbody {
                        @for s in sessions.iter().rev() {
                            tr {
                                td { (s.day.format("%a %-d %b %Y")) }
                                td { (s.record.exercises.iter().map(|e| e.exercise.to_string()).collect::<Vec<_>>().join(", ")) }
                                @let summary = s.record.summary();
                                td { (summary.sets_completed) " of " (summary.sets_planned) }
                                td { (worst(s).map_or("—".to_owned(), |(p, sharp)| if sharp { "sharp".to_owned() } else { format!("{p}/10") })) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

pub async fn list_json(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
) -> Result<Json<Vec<StoredSession>>, WebError> {
    Ok(Json(state.store.sessions(user.id).await?))
}

pub async fn show_json(
    State(state): State<AppState>,
    SignedIn { user, .. }: SignedIn,
    Path(id): Path<i64>,
) -> Result<Json<StoredSession>, WebError> {
    Ok(Json(state.store.session(user.id, id).await?))
}

/// The highest pain of the session, and whether any was sharp (charted at the top of the scale).
fn worst(session: &StoredSession) -> Option<(u16, bool)> {
    let summary = session.record.summary();
    if summary.sharp_pain_stops > 0 { Some((10, true)) } else { summary.worst_pain.map(|pain| (pain.get(), false)) }
}

/// Pain per session as dots on a 0–10 scale with the traffic-light bands behind them.
fn pain_chart(sessions: &[StoredSession]) -> Markup {
    let (width, height, left, top) = (640.0, 220.0, 36.0, 10.0);
    let plot_w = width - left - 10.0;
    let plot_h = height - top - 30.0;
    let y = |pain: f64| top + plot_h * (1.0 - pain / 10.0);
    let n = sessions.len().max(2) as f64 - 1.0;
    let x = |i: usize| left + plot_w * (i as f64 / n);
    let mut svg = format!(
        r#"<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="Hip pain per session"><title>Hip pain per session</title>"#
    );
    for (from, to, class) in [(0.0, 2.0, "band-green"), (2.0, 5.0, "band-amber"), (5.0, 10.0, "band-red")] {
        svg.push_str(&format!(
            r#"<rect class="{class}" x="{left}" y="{:.1}" width="{plot_w}" height="{:.1}"/>"#,
            y(to),
            y(from) - y(to)
        ));
    }
    for tick in [0, 2, 5, 10] {
        svg.push_str(&format!(
            r#"<text class="axis" x="{:.1}" y="{:.1}">{tick}</text>"#,
            left - 8.0,
            y(f64::from(tick)) + 4.0
        ));
    }
    let points: Vec<(f64, f64, bool)> = sessions
        .iter()
        .enumerate()
        .filter_map(|(i, s)| worst(s).map(|(p, sharp)| (x(i), y(f64::from(p)), sharp)))
        .collect();
    if points.len() > 1 {
        let path: Vec<String> = points.iter().map(|(px, py, _)| format!("{px:.1},{py:.1}")).collect();
        svg.push_str(&format!(r#"<polyline class="line" points="{}"/>"#, path.join(" ")));
    }
    for (px, py, sharp) in &points {
        let class = if *sharp { "dot sharp" } else { "dot" };
        svg.push_str(&format!(r#"<circle class="{class}" cx="{px:.1}" cy="{py:.1}" r="5"/>"#));
    }
    if let (Some(first), Some(last)) = (sessions.first(), sessions.last()) {
        svg.push_str(&format!(
            r#"<text class="axis" x="{left}" y="{}">{}</text>"#,
            height - 8.0,
            first.day.format("%-d %b")
        ));
        svg.push_str(&format!(
            r#"<text class="axis end" x="{}" y="{}">{}</text>"#,
            width - 10.0,
            height - 8.0,
            last.day.format("%-d %b")
        ));
    }
    svg.push_str("</svg>");
    html! { (PreEscaped(svg)) }
}
