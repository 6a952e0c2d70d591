//! Hip pain per session as an SVG chart drawn on the server: the worst pain of each session on
//! the 0–10 scale over the traffic-light bands, a sharp-pain stop at the top in its own style.

use super::svg::px;
use hipcoach_store::StoredSession;
use maud::{Markup, html};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 36.0;
const TOP: f64 = 18.0;

/// The highest pain of the session, and whether any was a red sign — sharp, pinching, catching
/// or locking, tingling — charted at the top of the scale in its own style.
pub fn worst(session: &StoredSession) -> Option<(u16, bool)> {
    let summary = session.record.summary();
    if summary.red_sign_stops > 0 { Some((10, true)) } else { summary.worst_pain.map(|pain| (pain.get(), false)) }
}

/// The chart of the sessions, oldest first.
pub fn chart(sessions: &[StoredSession]) -> Markup {
    let plot_w = WIDTH - LEFT - 10.0;
    let plot_h = HEIGHT - TOP - 30.0;
    let y = |pain: f64| TOP + plot_h * (1.0 - pain / 10.0);
    let n = sessions.len().max(2) as f64 - 1.0;
    let x = |i: usize| LEFT + plot_w * (i as f64 / n);
    let points: Vec<(f64, f64, bool)> = sessions
        .iter()
        .enumerate()
        .filter_map(|(i, s)| worst(s).map(|(p, sharp)| (x(i), y(f64::from(p)), sharp)))
        .collect();
    let line: Vec<String> = points.iter().map(|(px_, py, _)| format!("{},{}", px(*px_), px(*py))).collect();
    html! {
        svg.chart viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label="Hip pain per session" {
            title { "Hip pain per session" }
            @for (from, to, class) in [(0.0, 2.0, "band-green"), (2.0, 5.0, "band-amber"), (5.0, 10.0, "band-red")] {
                rect class=(class) x=(LEFT) y=(px(y(to))) width=(plot_w) height=(px(y(from) - y(to))) {}
            }
            @for tick in [0u8, 2, 5, 10] {
                text.axis.tick x=(px(LEFT - 8.0)) y=(px(y(f64::from(tick)))) { (tick) }
            }
            @if points.len() > 1 { polyline.line points=(line.join(" ")) {} }
            @for (cx, cy, sharp) in &points {
                circle.dot.sharp[*sharp] cx=(px(*cx)) cy=(px(*cy)) r="5" {}
            }
            @match (sessions.first(), sessions.last()) {
                (Some(first), Some(last)) if sessions.len() > 1 => {
                    text.axis.start x=(LEFT) y=(HEIGHT - 8.0) { (first.day.format("%-d %b")) }
                    text.axis.end x=(WIDTH - 10.0) y=(HEIGHT - 8.0) { (last.day.format("%-d %b")) }
                }
                (Some(only), _) => { text.axis.start x=(LEFT) y=(HEIGHT - 8.0) { (only.day.format("%-d %b")) } }
                _ => {}
            }
        }
    }
}
