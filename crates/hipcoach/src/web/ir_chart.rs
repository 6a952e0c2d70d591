//! Hip internal rotation over time as an SVG chart drawn on the server: one test position per
//! chart (seated and prone are different tests), both sides as series that differ in colour
//! *and* in marker and line (so they read in grey too), each reading with its ± as an error bar,
//! and the reference band behind them.

use hipcoach_core::measure::{NormalRange, TestPosition};
use hipcoach_core::units::Side;
use hipcoach_store::Measurement;
use maud::{Markup, PreEscaped, html};
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
fn marker(side: Side, x: f64, y: f64) -> String {
    match side {
        Side::Left => format!(r#"<circle class="marker" cx="{x:.1}" cy="{y:.1}" r="5.5"/>"#),
        Side::Right => {
            format!(r#"<rect class="marker" x="{:.1}" y="{:.1}" width="10" height="10"/>"#, x - 5.0, y - 5.0)
        }
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

    let title = format!("{} hip internal rotation over time", crate::words::capitalised(&position.to_string()));
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
                crate::words::capitalised(&side.to_string()),
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

    let mut svg = format!(
        r#"<svg class="chart ir-chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{title_id}" aria-describedby="{title_id}-desc"><title id="{title_id}">{}</title><desc id="{title_id}-desc">{}</desc>"#,
        escaped(&title),
        escaped(&desc)
    );
    // The reference band and the grid.
    let (band_top, band_bottom) = (y(normal.reference_high.get()), y(normal.reference_low.get()));
    let _ = write!(
        svg,
        r#"<rect class="band-normal" x="{LEFT}" y="{band_top:.1}" width="{plot_w}" height="{:.1}"/><text class="band-label" x="{:.1}" y="{:.1}">usual range {}–{}</text>"#,
        band_bottom - band_top,
        LEFT + plot_w - 6.0,
        band_top + 14.0,
        normal.reference_low,
        normal.reference_high
    );
    let mut tick = y_min;
    while tick <= y_max + 1e-9 {
        let ty = y(tick);
        let _ = write!(
            svg,
            r#"<line class="grid" x1="{LEFT}" x2="{:.1}" y1="{ty:.1}" y2="{ty:.1}"/><text class="axis" x="{:.1}" y="{:.1}">{}°</text>"#,
            LEFT + plot_w,
            LEFT - 6.0,
            ty + 4.0,
            tick.round()
        );
        tick += 10.0;
    }
    // Dates: first and last (one label when all share a day).
    match (first_day, last_day) {
        (Some(first), Some(last)) if first != last => {
            let _ = write!(
                svg,
                r#"<text class="axis start" x="{:.1}" y="{:.1}">{}</text><text class="axis end" x="{:.1}" y="{:.1}">{}</text>"#,
                x(first) - 10.0,
                HEIGHT - 10.0,
                first.format("%-d %b %Y"),
                x(last) + 10.0,
                HEIGHT - 10.0,
                last.format("%-d %b %Y")
            );
        }
        (Some(day), _) => {
            let _ = write!(
                svg,
                r#"<text class="axis middle" x="{:.1}" y="{:.1}">{}</text>"#,
                x(day),
                HEIGHT - 10.0,
                day.format("%-d %b %Y")
            );
        }
        _ => {}
    }
    // The two series: both sides on one day sit a little apart so their bars do not overlap.
    for side in Side::BOTH {
        let nudge = match side {
            Side::Left => -4.0,
            Side::Right => 4.0,
        };
        let mine: Vec<&&Measurement> = readings.iter().filter(|m| m.side == side).collect();
        if mine.is_empty() {
            continue;
        }
        let _ = write!(svg, r#"<g class="{}">"#, series(side));
        if mine.len() > 1 {
            let points: Vec<String> =
                mine.iter().map(|m| format!("{:.1},{:.1}", x(m.day) + nudge, y(m.degrees))).collect();
            let _ = write!(svg, r#"<polyline class="line" points="{}"/>"#, points.join(" "));
        }
        for m in &mine {
            let (px, py) = (x(m.day) + nudge, y(m.degrees));
            let (top, bottom) = (y(m.degrees + m.uncertainty), y(m.degrees - m.uncertainty));
            let label = format!(
                "{} {}: {}° ±{}° ({})",
                crate::words::capitalised(&side.to_string()),
                m.day.format("%-d %b %Y"),
                m.degrees.round(),
                m.uncertainty.round(),
                m.method
            );
            let _ = write!(
                svg,
                r#"<g class="reading"><title>{}</title><line class="error-bar" x1="{px:.1}" x2="{px:.1}" y1="{top:.1}" y2="{bottom:.1}"/><line class="error-bar" x1="{:.1}" x2="{:.1}" y1="{top:.1}" y2="{top:.1}"/><line class="error-bar" x1="{:.1}" x2="{:.1}" y1="{bottom:.1}" y2="{bottom:.1}"/>{}</g>"#,
                escaped(&label),
                px - 4.0,
                px + 4.0,
                px - 4.0,
                px + 4.0,
                marker(side, px, py)
            );
        }
        svg.push_str("</g>");
    }
    // The legend, above the plot.
    let _ = write!(
        svg,
        r#"<g class="legend" aria-hidden="true"><g class="series-left"><line class="line" x1="{LEFT}" x2="{:.1}" y1="16" y2="16"/>{}</g><text x="{:.1}" y="20">Left</text><g class="series-right"><line class="line" x1="{:.1}" x2="{:.1}" y1="16" y2="16"/>{}</g><text x="{:.1}" y="20">Right</text><rect class="band-normal" x="{:.1}" y="9" width="26" height="14"/><text x="{:.1}" y="20">Usual range</text></g>"#,
        LEFT + 30.0,
        marker(Side::Left, LEFT + 15.0, 16.0),
        LEFT + 38.0,
        LEFT + 100.0,
        LEFT + 130.0,
        marker(Side::Right, LEFT + 115.0, 16.0),
        LEFT + 138.0,
        LEFT + 200.0,
        LEFT + 232.0
    );
    svg.push_str("</svg>");
    html! { (PreEscaped(svg)) }
}

/// Text made safe inside SVG markup.
fn escaped(text: &str) -> String {
    html! { (text) }.into_string()
}
