//! Hip internal rotation over time as an SVG chart drawn on the server: one test position per
//! chart (seated and prone are different tests), both sides as series that differ in colour
//! *and* in marker and line (so they read in grey too), each reading with its ± as an error bar,
//! and the reference band behind them.

use super::svg::px;
use hipcoach_core::measure::{NormalRange, TestPosition};
use hipcoach_core::units::Side;
use hipcoach_store::Measurement;
use maud::{Markup, html};
use std::fmt::Write;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 46.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 34.0;
/// Room inside the plot so the first and last markers are not cut by its edges.
const INSET: f64 = 18.0;

/// The marker and line style of one side.
fn series(side: Side) -> &'static str {
    match side {
        Side::Left => "series-left",
        Side::Right => "series-right",
    }
}

/// An SVG marker: a circle for the left side, a square for the right.
fn marker(side: Side, x: f64, y: f64) -> Markup {
    match side {
        Side::Left => html! { circle.marker cx=(px(x)) cy=(px(y)) r="5.5" {} },
        Side::Right => html! { rect.marker x=(px(x - 5.0)) y=(px(y - 5.0)) width="10" height="10" {} },
    }
}

/// The chart of one position's readings, with `title_id` naming it for screen readers.
pub fn chart(position: TestPosition, normal: &NormalRange, readings: &[&Measurement], title_id: &str) -> Markup {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let low = readings.iter().map(|m| m.degrees - m.uncertainty).fold(0.0, f64::min);
    let high = readings.iter().map(|m| m.degrees + m.uncertainty).fold(normal.reference_high.get() + 10.0, f64::max);
    let (y_min, y_max) = ((low / 10.0).floor() * 10.0, (high / 10.0).ceil() * 10.0);
    let y = |deg: f64| TOP + plot_h * (1.0 - (deg - y_min) / (y_max - y_min));
    let first_day = readings.iter().map(|m| m.day).min();
    let last_day = readings.iter().map(|m| m.day).max();
    let span = match (first_day, last_day) {
        (Some(a), Some(b)) => (b - a).num_days() as f64,
        _ => 0.0,
    };
    let x = |day: chrono::NaiveDate| match first_day {
        Some(first) if span > 0.0 => LEFT + INSET + (plot_w - 2.0 * INSET) * ((day - first).num_days() as f64 / span),
        _ => LEFT + plot_w / 2.0,
    };

    let title =
        format!("{} hip internal rotation over time", hipcoach_workflows::wording::capitalised(&position.to_string()));
    let mut desc = format!(
        "Degrees of internal rotation by date, left hip as circles on a solid line, right hip as squares on a \
         dashed line, each with its measurement error as a vertical bar. The shaded band is the usual range, {}–{}.",
        normal.reference_low, normal.reference_high
    );
    for side in Side::BOTH {
        let mine: Vec<&&Measurement> = readings.iter().filter(|m| m.side == side).collect();
        if let (Some(first), Some(last)) = (mine.first(), mine.last()) {
            let _ = write!(
                desc,
                " {}: {} reading{}, from {}° on {} to {}° ±{}° on {}.",
                hipcoach_workflows::wording::capitalised(&side.to_string()),
                mine.len(),
                if mine.len() == 1 { "" } else { "s" },
                first.degrees.round(),
                first.day.format("%-d %b %Y"),
                last.degrees.round(),
                last.uncertainty.round(),
                last.day.format("%-d %b %Y"),
            );
        }
    }

    let (band_top, band_bottom) = (y(normal.reference_high.get()), y(normal.reference_low.get()));
    let ticks: Vec<f64> =
        std::iter::successors(Some(y_min), |t| Some(t + 10.0)).take_while(|t| *t <= y_max + 1e-9).collect();
    let date = |day: chrono::NaiveDate| day.format("%-d %b %Y").to_string();
    let sides: Vec<(Side, f64, Vec<&&Measurement>)> = Side::BOTH
        .iter()
        .map(|&side| {
            // Both sides on one day sit a little apart so their bars do not overlap.
            let nudge = if side == Side::Left { -4.0 } else { 4.0 };
            (side, nudge, readings.iter().filter(|m| m.side == side).collect::<Vec<_>>())
        })
        .filter(|(_, _, mine)| !mine.is_empty())
        .collect();
    let legend = [(Side::Left, "Left", 0.0), (Side::Right, "Right", 100.0)];
    html! {
        svg.chart.ir-chart viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-labelledby=(title_id)
            aria-describedby={ (title_id) "-desc" } {
            title id=(title_id) { (title) }
            desc id={ (title_id) "-desc" } { (desc) }
            rect.band-normal x=(LEFT) y=(px(band_top)) width=(plot_w) height=(px(band_bottom - band_top)) {}
            text.band-label x=(px(LEFT + plot_w - 6.0)) y=(px(band_top + 14.0)) {
                "usual range " (normal.reference_low) "–" (normal.reference_high)
            }
            @for tick in &ticks {
                line.grid x1=(LEFT) x2=(px(LEFT + plot_w)) y1=(px(y(*tick))) y2=(px(y(*tick))) {}
                text.axis x=(px(LEFT - 6.0)) y=(px(y(*tick) + 4.0)) { (tick.round()) "°" }
            }
            @match (first_day, last_day) {
                (Some(first), Some(last)) if first != last => {
                    text.axis.start x=(px(x(first) - 10.0)) y=(px(HEIGHT - 10.0)) { (date(first)) }
                    text.axis.end x=(px(x(last) + 10.0)) y=(px(HEIGHT - 10.0)) { (date(last)) }
                }
                (Some(day), _) => { text.axis.middle x=(px(x(day))) y=(px(HEIGHT - 10.0)) { (date(day)) } }
                _ => {}
            }
            @for (side, nudge, mine) in &sides {
                g class=(series(*side)) {
                    @if mine.len() > 1 {
                        @let points: Vec<String> = mine.iter().map(|m| format!("{},{}", px(x(m.day) + nudge), px(y(m.degrees)))).collect();
                        polyline.line points=(points.join(" ")) {}
                    }
                    @for m in mine {
                        @let (cx, top, bottom) = (x(m.day) + nudge, y(m.degrees + m.uncertainty), y(m.degrees - m.uncertainty));
                        g.reading {
                            title {
                                (hipcoach_workflows::wording::capitalised(&side.to_string())) " " (date(m.day)) ": "
                                (m.degrees.round()) "° ±" (m.uncertainty.round()) "° (" (m.method) ")"
                            }
                            line.error-bar x1=(px(cx)) x2=(px(cx)) y1=(px(top)) y2=(px(bottom)) {}
                            @for end in [top, bottom] {
                                line.error-bar x1=(px(cx - 4.0)) x2=(px(cx + 4.0)) y1=(px(end)) y2=(px(end)) {}
                            }
                            (marker(*side, cx, y(m.degrees)))
                        }
                    }
                }
            }
            g.legend aria-hidden="true" {
                @for (side, label, shift) in legend {
                    g class=(series(side)) {
                        line.line x1=(px(LEFT + shift)) x2=(px(LEFT + shift + 30.0)) y1="16" y2="16" {}
                        (marker(side, LEFT + shift + 15.0, 16.0))
                    }
                    text x=(px(LEFT + shift + 38.0)) y="20" { (label) }
                }
                rect.band-normal x=(px(LEFT + 200.0)) y="9" width="26" height="14" {}
                text x=(px(LEFT + 232.0)) y="20" { "Usual range" }
            }
        }
    }
}
