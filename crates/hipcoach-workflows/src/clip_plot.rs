//! A recording's angle over time as an SVG figure: each side's line, the stretches where a side
//! could not be measured shaded (with the reason in the figure's description), each rep's peak
//! marked and each estimate drawn as a band of its ±. What `hipcoach analyze --plot` writes.

use hipcoach_core::measure::{ClipReport, SideReport};
use hipcoach_core::units::Side;
use std::fmt::Write as _;

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 50.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 20.0;
const BOTTOM: f64 = 40.0;

fn colour(side: Side) -> &'static str {
    match side {
        Side::Left => "#1f6f5c",
        Side::Right => "#a05a00",
    }
}

/// The figure, with a title and a description for screen readers.
pub fn clip_plot(title: &str, report: &ClipReport) -> String {
    let (start, end) = match (report.frames.first(), report.frames.last()) {
        (Some(first), Some(last)) => (first.t_ms, last.t_ms.max(first.t_ms + 1)),
        _ => (0, 1),
    };
    let angles = report.frames.iter().flat_map(|f| Side::BOTH.map(|s| f.side(s).as_ref().ok().map(|a| a.angle.get())));
    let bands = report.sides.iter().filter_map(|s| s.estimate.as_ref()).flat_map(|e| {
        let (a, u) = (e.angle.get(), e.uncertainty.get());
        [Some(a - u), Some(a + u)]
    });
    let (low, high) = angles.chain(bands).flatten().fold((-10.0f64, 40.0f64), |(lo, hi), a| (lo.min(a), hi.max(a)));
    let (low, high) = ((low / 10.0).floor() * 10.0, (high / 10.0).ceil() * 10.0);
    let x = |t: i64| LEFT + (t - start) as f64 / (end - start) as f64 * (WIDTH - LEFT - RIGHT);
    let y = |a: f64| TOP + (high - a) / (high - low) * (HEIGHT - TOP - BOTTOM);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t d" font-family="sans-serif" font-size="12"><title id="t">{}</title><desc id="d">{}</desc><rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>"##,
        escape(title),
        escape(&description(report))
    );
    // Grid every 10°, seconds along the bottom.
    let mut degrees = low;
    while degrees <= high {
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end">{degrees:.0}°</text>"##,
            WIDTH - RIGHT,
            LEFT - 6.0,
            y(degrees) + 4.0,
            y = y(degrees)
        );
        degrees += 10.0;
    }
    let seconds = (end - start) / 1000;
    let step = usize::try_from(seconds / 10).unwrap_or(0).max(1);
    for s in (0..=seconds).step_by(step) {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{s} s</text>"#,
            x(start + s * 1000),
            HEIGHT - BOTTOM + 18.0
        );
    }
    for side in &report.sides {
        let c = colour(side.side);
        // Stretches this side was not measured: shaded in its colour, faintly.
        let mut refused_from = None;
        for frame in &report.frames {
            match (frame.side(side.side).is_err(), refused_from) {
                (true, None) => refused_from = Some(frame.t_ms),
                (false, Some(from)) => {
                    shade(&mut svg, x(from), x(frame.t_ms), c);
                    refused_from = None;
                }
                _ => {}
            }
        }
        if let Some(from) = refused_from {
            shade(&mut svg, x(from), x(end), c);
        }
        if let Some(estimate) = &side.estimate {
            let (a, u) = (estimate.angle.get(), estimate.uncertainty.get());
            let _ = write!(
                svg,
                r#"<rect x="{LEFT}" width="{:.1}" y="{:.1}" height="{:.1}" fill="{c}" opacity="0.12"/>"#,
                WIDTH - LEFT - RIGHT,
                y(a + u),
                y(a - u) - y(a + u)
            );
        }
        // The line, broken where the side was not measured.
        let mut path = String::new();
        let mut pen_down = false;
        for frame in &report.frames {
            match frame.side(side.side) {
                Ok(angle) => {
                    let _ = write!(
                        path,
                        "{}{:.1},{:.1} ",
                        if pen_down { "L" } else { "M" },
                        x(frame.t_ms),
                        y(angle.angle.get())
                    );
                    pen_down = true;
                }
                Err(_) => pen_down = false,
            }
        }
        let _ = write!(svg, r#"<path d="{path}" fill="none" stroke="{c}" stroke-width="1.5"/>"#);
        for rep in &side.reps {
            let _ =
                write!(svg, r#"<circle cx="{:.1}" cy="{:.1}" r="3.5" fill="{c}"/>"#, x(rep.peak_ms), y(rep.peak.get()));
        }
    }
    // A key, so the colours need no legend elsewhere.
    for (i, side) in report.sides.iter().enumerate() {
        let label = match &side.estimate {
            Some(e) => {
                format!("{} hip: estimate {:.0}° ±{:.0}°", side.side.label(), e.angle.get(), e.uncertainty.get())
            }
            None => format!("{} hip: did not turn enough to measure", side.side.label()),
        };
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{}" fill="{}">■ {}</text>"#,
            LEFT + 8.0 + i as f64 * 330.0,
            TOP + 12.0,
            colour(side.side),
            escape(&crate::wording::capitalised(&label))
        );
    }
    let _ = write!(
        svg,
        r##"<text x="{}" y="{}" text-anchor="end" fill="#555">shaded: not measured · dots: each rep's peak · band: the estimate's ±</text></svg>"##,
        WIDTH - RIGHT,
        HEIGHT - 6.0
    );
    svg
}

fn shade(svg: &mut String, from: f64, to: f64, colour: &str) {
    let _ = write!(
        svg,
        r#"<rect x="{from:.1}" width="{:.1}" y="{TOP}" height="{}" fill="{colour}" opacity="0.08"/>"#,
        (to - from).max(1.0),
        HEIGHT - TOP - BOTTOM
    );
}

/// What the figure shows, in words.
fn description(report: &ClipReport) -> String {
    report.sides.iter().map(side_words).collect::<Vec<_>>().join(" ")
}

fn side_words(side: &SideReport) -> String {
    let reps = match side.reps.len() {
        0 => String::new(),
        1 => " from 1 rep".to_owned(),
        n => format!(" from {n} reps"),
    };
    let estimate = format!("{}{reps}", side.outcome());
    let refused = side
        .refused
        .first()
        .map_or_else(String::new, |(reason, n)| format!("; not measured in {n} frames mostly because {reason}"));
    format!(
        "{} hip: {estimate}, measured in {} frames{refused}.",
        crate::wording::capitalised(side.side.label()),
        side.measured
    )
}

/// Text for XML: the five special characters escaped, control characters (a file name may hold
/// any) dropped.
fn escape(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
