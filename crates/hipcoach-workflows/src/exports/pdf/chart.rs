//! Hip internal rotation over time for the printed report, drawn like the measure page's chart:
//! one test position per chart, the left side as circles on a solid line and the right as squares
//! on a dashed line (so it reads in black and white), each reading with its ± as an error bar, the
//! usual range shaded behind.

use super::layout::{Colour, Draw, Weight, text_width};
use crate::calendar;
use crate::measuring::reading_of;
use crate::wording::capitalised;
use chrono::NaiveDate;
use hipcoach_core::measure::{NormalRange, TestPosition};
use hipcoach_core::units::Side;
use hipcoach_store::Measurement;

/// Height of the chart in points.
pub const HEIGHT: f32 = 190.0;
const LEFT: f32 = 34.0;
const TOP: f32 = 8.0;
const BOTTOM: f32 = 34.0;
const INSET: f32 = 14.0;

const BAND: Colour = Colour(222, 237, 222);
const GRID: Colour = Colour(215, 215, 215);
const AXIS: Colour = Colour(60, 60, 60);
const LEFT_SIDE: Colour = Colour(25, 80, 170);
const RIGHT_SIDE: Colour = Colour(175, 70, 20);

fn colour(side: Side) -> Colour {
    match side {
        Side::Left => LEFT_SIDE,
        Side::Right => RIGHT_SIDE,
    }
}

/// A circle for the left side, a square for the right.
fn marker(side: Side, x: f32, y: f32) -> Draw {
    match side {
        Side::Left => Draw::Circle { centre: (x, y), radius: 3.6, colour: LEFT_SIDE, outline: None },
        Side::Right => Draw::Rect { x: x - 3.4, y: y - 3.4, w: 6.8, h: 6.8, colour: RIGHT_SIDE },
    }
}

fn label(at: (f32, f32), text: String) -> Draw {
    Draw::Text { at, size: 7.5, weight: Weight::Regular, colour: AXIS, text }
}

/// What the chart shows, for screen readers: every reading is also in the list above it.
pub fn description(position: TestPosition, normal: &NormalRange, readings: &[&Measurement]) -> String {
    let mut text = format!(
        "Chart of {position} hip internal rotation by date: left hip as circles on a solid line, right hip as squares \
         on a dashed line, each reading with its measurement error as a vertical bar; the shaded band is the usual \
         range, {} to {}.",
        normal.reference_low, normal.reference_high
    );
    for side in Side::BOTH {
        let mine: Vec<&&Measurement> = readings.iter().filter(|m| m.side == side).collect();
        if let (Some(first), Some(last)) = (mine.first(), mine.last()) {
            text.push_str(&format!(
                " {}: {} reading{}, from {} on {} to {} on {}.",
                capitalised(&side.to_string()),
                mine.len(),
                if mine.len() == 1 { "" } else { "s" },
                reading_of(first).angle(),
                calendar::words(first.day),
                reading_of(last).range,
                calendar::words(last.day),
            ));
        }
    }
    text
}

/// The chart's drawing, `width` points wide and [`HEIGHT`] tall, in figure coordinates.
/// `readings` are one position's, oldest first.
pub fn draw(normal: &NormalRange, readings: &[&Measurement], width: f32) -> Vec<Draw> {
    let plot_w = width - LEFT - 4.0;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let low = readings.iter().map(|m| m.degrees - m.uncertainty).fold(0.0, f64::min);
    let high = readings.iter().map(|m| m.degrees + m.uncertainty).fold(normal.reference_high.get() + 10.0, f64::max);
    let (y_min, y_max) = ((low / 10.0).floor() * 10.0, (high / 10.0).ceil() * 10.0);
    let y = |deg: f64| TOP + plot_h * (1.0 - ((deg - y_min) / (y_max - y_min)) as f32);
    let first = readings.iter().map(|m| m.day).min();
    let last = readings.iter().map(|m| m.day).max();
    let span = match (first, last) {
        (Some(a), Some(b)) => (b - a).num_days() as f32,
        _ => 0.0,
    };
    let x = |day: NaiveDate| match first {
        Some(first) if span > 0.0 => LEFT + INSET + (plot_w - 2.0 * INSET) * ((day - first).num_days() as f32 / span),
        _ => LEFT + plot_w / 2.0,
    };

    let mut draws = Vec::new();
    let (band_top, band_bottom) = (y(normal.reference_high.get()), y(normal.reference_low.get()));
    draws.push(Draw::Rect { x: LEFT, y: band_top, w: plot_w, h: band_bottom - band_top, colour: BAND });
    let mut tick = y_min;
    while tick <= y_max + 1e-9 {
        draws.push(Draw::Line {
            points: vec![(LEFT, y(tick)), (LEFT + plot_w, y(tick))],
            width: 0.4,
            colour: GRID,
            dashed: false,
        });
        let words = format!("{tick:.0}°");
        draws.push(label((LEFT - 4.0 - text_width(&words, 7.5, Weight::Regular), y(tick) + 2.6), words));
        tick += 10.0;
    }
    draws.push(Draw::Line {
        points: vec![(LEFT, TOP), (LEFT, TOP + plot_h), (LEFT + plot_w, TOP + plot_h)],
        width: 0.8,
        colour: AXIS,
        dashed: false,
    });
    let axis_y = TOP + plot_h + 12.0;
    match (first, last) {
        (Some(first), Some(last)) if first != last => {
            draws.push(label((x(first) - 8.0, axis_y), calendar::words(first)));
            let words = calendar::words(last);
            draws.push(label((x(last) + 8.0 - text_width(&words, 7.5, Weight::Regular), axis_y), words));
        }
        (Some(day), _) => {
            let words = calendar::words(day);
            draws.push(label((x(day) - text_width(&words, 7.5, Weight::Regular) / 2.0, axis_y), words));
        }
        _ => {}
    }

    for side in Side::BOTH {
        let mine: Vec<&&Measurement> = readings.iter().filter(|m| m.side == side).collect();
        // Both sides on one day sit a little apart so their bars do not overlap.
        let nudge = if side == Side::Left { -3.0 } else { 3.0 };
        if mine.len() > 1 {
            let points = mine.iter().map(|m| (x(m.day) + nudge, y(m.degrees))).collect();
            draws.push(Draw::Line { points, width: 1.3, colour: colour(side), dashed: side == Side::Right });
        }
        for m in &mine {
            let (cx, top, bottom) = (x(m.day) + nudge, y(m.degrees + m.uncertainty), y(m.degrees - m.uncertainty));
            let bar = |points| Draw::Line { points, width: 0.8, colour: colour(side), dashed: false };
            draws.push(bar(vec![(cx, top), (cx, bottom)]));
            draws.push(bar(vec![(cx - 3.0, top), (cx + 3.0, top)]));
            draws.push(bar(vec![(cx - 3.0, bottom), (cx + 3.0, bottom)]));
            draws.push(marker(side, cx, y(m.degrees)));
        }
    }

    // The legend, under the axis dates.
    let legend_y = TOP + plot_h + 26.0;
    let mut at = LEFT;
    for side in Side::BOTH {
        draws.push(Draw::Line {
            points: vec![(at, legend_y - 2.6), (at + 22.0, legend_y - 2.6)],
            width: 1.3,
            colour: colour(side),
            dashed: side == Side::Right,
        });
        draws.push(marker(side, at + 11.0, legend_y - 2.6));
        let words = format!("{} hip", capitalised(&side.to_string()));
        draws.push(label((at + 27.0, legend_y), words.clone()));
        at += 27.0 + text_width(&words, 7.5, Weight::Regular) + 16.0;
    }
    draws.push(Draw::Rect { x: at, y: legend_y - 7.0, w: 14.0, h: 8.0, colour: BAND });
    draws.push(label(
        (at + 19.0, legend_y),
        format!("usual range {}–{}; bars: ± measurement error", normal.reference_low, normal.reference_high),
    ));
    draws
}
