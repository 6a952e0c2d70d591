//! A one-page A4 progress report and exercise handout, to print or hand to a physio.
//!
//! Written with `pdf-writer` (pure Rust, no fonts to ship): the text uses the standard
//! Helvetica that every PDF reader has, in WinAnsi encoding so "°", "±" and "×" print. The
//! page holds the latest readings with their ±, a trend chart drawn with lines (the 30–45°
//! reference band shaded, one line per side), this week's exercises with dose and sides, and
//! the disclaimer. Text that would not fit is cut, never spilled onto a second page.

use crate::calendar;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_core::measure::TestPosition;
use hipcoach_core::program::{ScreeningOutcome, WeekPlan, dose_words};
use hipcoach_core::units::Side;
use hipcoach_store::Measurement;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str};
use std::collections::BTreeSet;

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 50.0;
const BOTTOM: f32 = 60.0;

/// What goes on the page.
pub struct Report<'a> {
    /// Whose report.
    pub user: &'a str,
    /// The day it is printed.
    pub today: NaiveDate,
    /// Every measurement, oldest first.
    pub measurements: &'a [Measurement],
    /// Trend sentences, one per line.
    pub trend: &'a str,
    /// This week's plan, or why there is none.
    pub plan: Result<&'a WeekPlan, String>,
    /// For exercise summaries.
    pub catalog: &'a Catalog,
}

/// Lays text and lines out from the top of the page down.
struct Page {
    content: Content,
    y: f32,
}

impl Page {
    fn text(&mut self, x: f32, size: f32, bold: bool, text: &str) {
        self.content.begin_text();
        self.content.set_font(Name(if bold { b"F2" } else { b"F1" }), size);
        self.content.next_line(x, self.y);
        self.content.show(Str(&winansi(text)));
        self.content.end_text();
    }

    /// A paragraph wrapped to the page width; stops at the bottom margin.
    fn paragraph(&mut self, size: f32, bold: bool, text: &str) {
        // Helvetica averages about half an em per character.
        let columns = ((WIDTH - 2.0 * MARGIN) / (size * 0.5)) as usize;
        for line in textwrap::wrap(text, columns.max(20)) {
            if self.y < BOTTOM {
                return;
            }
            self.text(MARGIN, size, bold, &line);
            self.y -= size * 1.3;
        }
    }

    fn gap(&mut self, points: f32) {
        self.y -= points;
    }
}

/// The PDF file's bytes.
pub fn render(report: &Report<'_>) -> Vec<u8> {
    let mut page = Page { content: Content::new(), y: HEIGHT - MARGIN };
    page.paragraph(18.0, true, &format!("Hip progress report: {}", report.user));
    page.paragraph(10.0, false, &format!("Printed {} by hipcoach.", calendar::words(report.today)));
    page.gap(8.0);

    page.paragraph(13.0, true, "Hip internal rotation");
    let latest = latest_lines(report.measurements);
    if latest.is_empty() {
        page.paragraph(10.0, false, "No measurements yet (hipcoach measure add ...).");
    }
    for line in latest {
        page.paragraph(10.0, false, &line);
    }
    for line in report.trend.lines() {
        page.paragraph(9.0, false, line.trim());
    }
    page.gap(6.0);
    chart(&mut page, report.measurements);
    page.gap(10.0);

    page.paragraph(13.0, true, "This week's exercises");
    match &report.plan {
        Ok(plan) => handout(&mut page, plan, report.catalog),
        Err(why) => page.paragraph(10.0, false, why),
    }
    page.y = BOTTOM - 20.0;
    page.text(MARGIN, 8.0, false, ScreeningOutcome::DISCLAIMER);
    finish(page.content)
}

fn latest_lines(measurements: &[Measurement]) -> Vec<String> {
    let mut lines = Vec::new();
    for position in [TestPosition::Seated, TestPosition::Prone] {
        for side in Side::BOTH {
            let latest = measurements
                .iter()
                .filter(|m| m.position == position && m.side == side)
                .max_by_key(|m| (m.day, m.recorded_at_ms));
            if let Some(m) = latest {
                let reading = crate::measuring::reading_of(m);
                lines.push(format!(
                    "{}: {} ({})",
                    calendar::words(m.day),
                    reading,
                    hipcoach_core::measure::IrClass::of(reading.angle())
                ));
            }
        }
    }
    lines
}

/// Degrees against date for the test with the most readings; the reference band shaded.
fn chart(page: &mut Page, measurements: &[Measurement]) {
    let seated = measurements.iter().filter(|m| m.position == TestPosition::Seated).count();
    let position = if seated * 2 >= measurements.len() { TestPosition::Seated } else { TestPosition::Prone };
    let points: Vec<&Measurement> = measurements.iter().filter(|m| m.position == position).collect();
    let (left, width, height) = (MARGIN + 30.0, WIDTH - 2.0 * MARGIN - 40.0, 150.0);
    let bottom = page.y - height;
    let (Some(first), Some(last)) = (points.iter().map(|m| m.day).min(), points.iter().map(|m| m.day).max()) else {
        return;
    };
    let span = (last - first).num_days().max(1) as f32;
    let max_degrees = 60.0_f32.max(points.iter().map(|m| m.degrees as f32).fold(0.0, f32::max) + 5.0);
    let x_of = |day: NaiveDate| left + width * ((day - first).num_days() as f32 / span);
    let y_of = |degrees: f32| bottom + height * (degrees.clamp(0.0, max_degrees) / max_degrees);

    let c = &mut page.content;
    c.save_state();
    c.set_fill_rgb(0.88, 0.94, 0.88);
    c.rect(left, y_of(30.0), width, y_of(45.0) - y_of(30.0));
    c.fill_nonzero();
    c.set_stroke_rgb(0.0, 0.0, 0.0);
    c.set_line_width(0.8);
    c.move_to(left, bottom + height);
    c.line_to(left, bottom);
    c.line_to(left + width, bottom);
    c.stroke();
    for (side, (r, g, b), dash) in [(Side::Left, (0.1, 0.3, 0.8), false), (Side::Right, (0.8, 0.3, 0.1), true)] {
        let mine: Vec<&&Measurement> = points.iter().filter(|m| m.side == side).collect();
        if mine.is_empty() {
            continue;
        }
        c.set_stroke_rgb(r, g, b);
        c.set_line_width(1.6);
        if dash {
            c.set_dash_pattern([4.0, 2.0], 0.0);
        } else {
            c.set_dash_pattern([], 0.0);
        }
        for (i, m) in mine.iter().enumerate() {
            let (x, y) = (x_of(m.day), y_of(m.degrees as f32));
            if i == 0 {
                c.move_to(x, y);
            } else {
                c.line_to(x, y);
            }
        }
        if mine.len() == 1 {
            let (x, y) = (x_of(mine[0].day), y_of(mine[0].degrees as f32));
            c.line_to(x + 3.0, y);
        }
        c.stroke();
    }
    c.restore_state();
    let saved = page.y;
    for degrees in [0.0, 30.0, 45.0, max_degrees.round()] {
        page.y = y_of(degrees) - 3.0;
        page.text(MARGIN, 7.0, false, &format!("{degrees:.0}°"));
    }
    page.y = bottom - 12.0;
    page.text(left, 7.0, false, &calendar::words(first));
    page.text(left + width - 60.0, 7.0, false, &calendar::words(last));
    page.text(
        left + 120.0,
        7.0,
        false,
        &format!("{position} test: left solid (blue), right dashed (red); shaded: 30–45° usual range"),
    );
    page.y = saved - height - 24.0;
}

fn handout(page: &mut Page, plan: &WeekPlan, catalog: &Catalog) {
    page.paragraph(
        10.0,
        false,
        &format!("{} sessions a week, up to {} min each.", plan.sessions.len(), plan.budget_seconds / 60),
    );
    let mut seen = BTreeSet::new();
    for item in plan.sessions.iter().flat_map(|s| &s.items) {
        if !seen.insert(item.exercise.clone()) {
            continue;
        }
        page.gap(3.0);
        page.paragraph(
            10.5,
            true,
            &format!("{}: {}, {}", item.name, dose_words(&item.dose), crate::wording::sides_words(item)),
        );
        if let Some(exercise) = catalog.get(item.exercise.as_str()) {
            page.paragraph(9.0, false, &exercise.summary);
        }
    }
}

fn finish(content: Content) -> Vec<u8> {
    let (catalog_id, tree_id, page_id, regular_id, bold_id, content_id) =
        (Ref::new(1), Ref::new(2), Ref::new(3), Ref::new(4), Ref::new(5), Ref::new(6));
    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id).pages(tree_id);
    pdf.pages(tree_id).kids([page_id]).count(1);
    let mut page = pdf.page(page_id);
    page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
    page.parent(tree_id);
    page.contents(content_id);
    page.resources().fonts().pair(Name(b"F1"), regular_id).pair(Name(b"F2"), bold_id);
    page.finish();
    pdf.type1_font(regular_id).base_font(Name(b"Helvetica")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold_id).base_font(Name(b"Helvetica-Bold")).encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.stream(content_id, &content.finish());
    pdf.finish()
}

/// Text in the Windows-1252 ("WinAnsi") encoding of the standard fonts; what it lacks becomes
/// a close ASCII spelling.
fn winansi(text: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            ' '..='~' => out.push(c as u8),
            '\u{a0}'..='\u{ff}' => out.push(c as u32 as u8),
            '–' => out.push(0x96),
            '—' => out.push(0x97),
            '‘' => out.push(0x91),
            '’' => out.push(0x92),
            '“' => out.push(0x93),
            '”' => out.push(0x94),
            '•' => out.push(0x95),
            '…' => out.push(0x85),
            '→' => out.extend_from_slice(b"->"),
            _ => out.push(b'?'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use hipcoach_core::measure::{Method, Rater};

    #[test]
    fn special_characters_use_the_fonts_encoding() {
        assert_eq!(winansi("35° ±6° 2 × 30 s – ok → next"), b"35\xb0 \xb16\xb0 2 \xd7 30 s \x96 ok -> next".to_vec());
    }

    #[test]
    fn a_report_is_a_one_page_pdf() {
        let m = |day: u32, side: Side, degrees: f64| Measurement {
            day: NaiveDate::from_ymd_opt(2025, 3, day).unwrap(),
            side,
            position: TestPosition::Seated,
            method: Method::Goniometer,
            degrees,
            uncertainty: 6.0,
            rater: Rater::Same,
            measured_by: None,
            hard_end_feel: false,
            recorded_at_ms: 0,
        };
        let measurements = [m(1, Side::Left, 22.0), m(1, Side::Right, 35.0), m(20, Side::Left, 29.0)];
        let bytes = render(&Report {
            user: "me",
            today: NaiveDate::from_ymd_opt(2025, 3, 21).unwrap(),
            measurements: &measurements,
            trend: "left: 22° → 29°",
            plan: Err("No plan yet.".into()),
            catalog: Catalog::builtin(),
        });
        assert!(bytes.starts_with(b"%PDF-"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/Count 1"));
        assert_eq!(
            text.matches("/Type /Page\n").count()
                + text.matches("/Type /Page ").count()
                + text.matches("/Type /Page/").count(),
            1,
            "{text}"
        );
    }
}
