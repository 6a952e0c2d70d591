//! The printed handout: a progress report, then a page for each of this week's sessions, so a
//! person can do the programme from the paper alone and a physio can read the progress at a
//! glance.
//!
//! Page 1 has the latest readings with their ±, the trend in words, a chart per test drawn like
//! the measure page's (markers, error bars, the usual range), and when to stop. Each session page
//! lists its exercises in order, each with the starting position's figure, that session's dose
//! and sides, the steps, breathing for every phase, form cues, common mistakes with their fixes
//! and precautions. The font (DejaVu Sans) is embedded, and the file is tagged PDF/UA-1, which
//! krilla checks as it writes: headings, lists and figures with text alternatives in reading
//! order, page furniture marked as such.

mod chart;
mod layout;

use crate::calendar;
use crate::figure::{self, BOX, Figure, HEAD_RADIUS};
use crate::measuring::{asymmetry_line, progress, trend_line};
use crate::wording::{block_words, capitalised, left_out, minutes, sides_words};
use chrono::{Datelike, NaiveDate};
use hipcoach_core::catalog::{Catalog, Exercise};
use hipcoach_core::measure::{IrClass, Protocol};
use hipcoach_core::program::{PlannedExercise, PlannedSession, ScreeningOutcome, WeekPlan, dose_words};
use hipcoach_core::units::Side;
use hipcoach_store::Measurement;
use krilla::tagging::ListNumbering;
use layout::{Colour, Draw, Flow, Style};

/// What goes into the handout.
pub struct Report<'a> {
    /// Whose report.
    pub user: &'a str,
    /// The day it is printed.
    pub today: NaiveDate,
    /// Every measurement, oldest first.
    pub measurements: &'a [Measurement],
    /// This week's plan, or why there is none.
    pub plan: Result<&'a WeekPlan, String>,
    /// For each exercise's instructions.
    pub catalog: &'a Catalog,
}

/// What to do on sharp pain, in the words every session page repeats.
const STOP_RULE: &str = "Stop at once on sharp, pinching or catching pain, or tingling or numbness, and do not push \
                         through it. A gentle stretch is fine; pain is not. If it does not settle within a day, or \
                         it keeps coming back, see a physiotherapist or doctor.";

/// The PDF file's bytes.
pub fn render(report: &Report<'_>) -> Vec<u8> {
    let mut flow = Flow::default();
    let title = format!("Hip programme and progress: {}", report.user);
    flow.heading(1, &title);
    flow.paragraph(
        &format!(
            "Printed on {} by hipcoach. First your hip rotation so far; then each of this week's sessions starts a \
             new page, with every exercise's steps, dose and cues.",
            calendar::words(report.today)
        ),
        Style::SMALL,
    );
    stop_rule(&mut flow);
    progress_report(&mut flow, report.measurements);
    match &report.plan {
        Ok(plan) => {
            week(&mut flow, plan, report.catalog);
            for session in &plan.sessions {
                session_pages(&mut flow, session, plan.sessions.len(), report.catalog);
            }
        }
        Err(why) => {
            flow.heading(2, "This week's exercises");
            flow.paragraph(why, Style::BODY);
        }
    }
    flow.gap(6.0);
    flow.paragraph(ScreeningOutcome::DISCLAIMER, Style::SMALL);

    let metadata = krilla::metadata::Metadata::new()
        .title(title)
        .description("Hip internal rotation progress report and exercise handout".to_owned())
        .authors(vec![report.user.to_owned()])
        .creator("hipcoach".to_owned())
        .language("en".to_owned())
        .creation_date(
            krilla::metadata::DateTime::new(report.today.year().clamp(0, 9999) as u16)
                .month(report.today.month() as u8)
                .day(report.today.day() as u8),
        );
    // A long name is shortened in the footer, which has one line.
    let user: String = if report.user.chars().count() > 32 {
        report.user.chars().take(31).chain(['…']).collect()
    } else {
        report.user.to_owned()
    };
    flow.finish(metadata, move |page, pages| format!("hipcoach · {user} · page {page} of {pages} · stop on sharp pain"))
}

fn stop_rule(flow: &mut Flow) {
    flow.paragraph(STOP_RULE, Style::STRONG.coloured(Colour::WARNING));
}

/// Latest readings, trend sentences and one chart per test.
fn progress_report(flow: &mut Flow, measurements: &[Measurement]) {
    flow.heading(2, "Hip internal rotation");
    if measurements.is_empty() {
        flow.paragraph(
            "No measurements yet. Measure both hips on the Measure page (or with the measure command) and the next \
             handout will show them here.",
            Style::BODY,
        );
        return;
    }
    for progress in progress(measurements) {
        let position = progress.position;
        let protocol = Protocol::for_position(position);
        flow.heading(3, &format!("{} test", capitalised(&position.to_string())));
        let latest: Vec<(String, String)> = progress
            .sides
            .iter()
            .filter_map(|side| side.latest.as_ref().map(|latest| (side.side, latest)))
            .map(|(side, latest)| {
                let reading = latest.reading;
                (
                    format!("{}:", capitalised(&side.to_string())),
                    format!(
                        "{} on {} by {} ({})",
                        reading.range,
                        calendar::words(latest.day),
                        reading.method,
                        IrClass::of(reading.angle())
                    ),
                )
            })
            .collect();
        flow.list(&latest, ListNumbering::None, Style::BODY);
        let mut words: Vec<String> = progress
            .sides
            .iter()
            .filter(|side| side.latest.is_some())
            .map(|side| match (&side.trend, &side.no_trend) {
                (Some(trend), _) => capitalised(&trend_line(trend)),
                (None, Some(why)) => format!("{}: {why}", capitalised(&side.side.to_string())),
                (None, None) => String::new(),
            })
            .filter(|line| !line.is_empty())
            .collect();
        words.extend(progress.asymmetry.as_ref().map(asymmetry_line));
        for line in words {
            flow.paragraph(&line, Style::BODY);
        }
        let readings: Vec<&Measurement> = measurements.iter().filter(|m| m.position == position).collect();
        flow.figure(
            &chart::description(position, &protocol.normal, &readings),
            0.0,
            chart::HEIGHT,
            chart::draw(&protocol.normal, &readings, flow.width),
        );
        flow.gap(chart::HEIGHT + 4.0);
        flow.paragraph(
            &format!(
                "Each mark is one reading (the middle of three trials); the bar is its measurement error. Adults \
                 typically reach about {} in this test.",
                protocol.normal.typical_mean
            ),
            Style::SMALL,
        );
    }
}

/// The week at a glance: how many sessions, what the plan chose and left out.
fn week(flow: &mut Flow, plan: &WeekPlan, catalog: &Catalog) {
    flow.heading(2, "This week");
    flow.paragraph(
        &format!(
            "{} sessions this week, each up to {} minutes. Leave a day between sessions where you can.",
            plan.sessions.len(),
            minutes(plan.budget_seconds)
        ),
        Style::BODY,
    );
    let sessions: Vec<(String, String)> = plan
        .sessions
        .iter()
        .map(|session| {
            let names: Vec<&str> = session.items.iter().map(|item| item.name.as_str()).collect();
            (
                format!("Session {}:", session.number),
                format!("about {} minutes: {}", minutes(session.estimated_seconds), names.join(", ")),
            )
        })
        .collect();
    flow.list(&sessions, ListNumbering::None, Style::BODY);
    for note in &plan.notes {
        flow.paragraph(note, Style::BODY);
    }
    let left_out: Vec<(String, String)> =
        left_out(plan, catalog).into_iter().map(|(name, why)| ("•".to_owned(), format!("{name}: {why}"))).collect();
    if !left_out.is_empty() {
        flow.paragraph("Left out of the plan, and why:", Style::STRONG);
        flow.list(&left_out, ListNumbering::Disc, Style::BODY);
    }
}

/// One session from a new page: every exercise in order with all it takes to do it.
fn session_pages(flow: &mut Flow, session: &PlannedSession, sessions: usize, catalog: &Catalog) {
    flow.new_page();
    flow.heading(
        2,
        &format!("Session {} of {sessions}: about {} minutes", session.number, minutes(session.estimated_seconds)),
    );
    flow.paragraph(STOP_RULE, Style::SMALL.coloured(Colour::WARNING));
    for (index, item) in session.items.iter().enumerate() {
        match catalog.get(item.exercise.as_str()) {
            Some(exercise) => exercise_block(flow, index + 1, item, exercise),
            None => {
                flow.heading(3, &format!("{}. {}", index + 1, item.name));
                flow.paragraph(&dose_line(item), Style::BODY);
            }
        }
    }
}

/// "2 × 10 reps, each side; rest 30 s between sets".
fn dose_line(item: &PlannedExercise) -> String {
    format!("{}, {}; rest {} between sets", dose_words(&item.dose), sides_words(item), item.dose.rest)
}

/// Points per unit of the figure box.
const FIGURE_SCALE: f32 = 0.75;

fn exercise_block(flow: &mut Flow, number: usize, item: &PlannedExercise, exercise: &Exercise) {
    // The figure on the left, dose and summary in a column beside it; the heading stays with them.
    let figure_w = f32::from(BOX.0) * FIGURE_SCALE;
    let figure_h = f32::from(BOX.1) * FIGURE_SCALE;
    flow.keep(figure_h + 40.0);
    flow.heading(3, &format!("{number}. {} ({})", item.name, block_words(item.block)));
    let top = flow.y;
    flow.figure(&Figure::alt_text(exercise.position), 0.0, figure_h, figure_draws(exercise));
    let (left, width) = (flow.left, flow.width);
    flow.left += figure_w + 12.0;
    flow.width -= figure_w + 12.0;
    flow.paragraph(&format!("Dose: {}.", capitalised(&dose_line(item))), Style::STRONG);
    if let Some(side) = item.extra_set {
        let other = if side == Side::Left { Side::Right } else { Side::Left };
        flow.paragraph(
            &format!(
                "Your {side} hip turns in less, so it gets {} sets and the {other} {}.",
                item.sets_on(side),
                item.sets_on(other)
            ),
            Style::BODY,
        );
    }
    flow.paragraph(&exercise.summary, Style::BODY);
    flow.paragraph(&format!("Start {}.", exercise.position), Style::SMALL);
    flow.left = left;
    flow.width = width;
    flow.y = flow.y.max(top + figure_h + 6.0);

    flow.heading(4, "Steps");
    let steps: Vec<(String, String)> =
        exercise.steps.iter().enumerate().map(|(i, step)| (format!("{}.", i + 1), step.clone())).collect();
    flow.list(&steps, ListNumbering::Decimal, Style::BODY);
    if !exercise.breathing.is_empty() {
        flow.heading(4, "Breathing");
        let breathing: Vec<(String, String)> = exercise
            .breathing
            .iter()
            .map(|cue| (format!("{}:", capitalised(cue.phase.label())), cue.cue.clone()))
            .collect();
        flow.list(&breathing, ListNumbering::None, Style::BODY);
    }
    if !exercise.form_cues.is_empty() {
        flow.heading(4, "Form cues");
        let cues: Vec<(String, String)> = exercise.form_cues.iter().map(|cue| ("•".to_owned(), cue.clone())).collect();
        flow.list(&cues, ListNumbering::Disc, Style::BODY);
    }
    if !exercise.mistakes.is_empty() {
        flow.heading(4, "Common mistakes");
        let mistakes: Vec<(String, String)> = exercise
            .mistakes
            .iter()
            .map(|m| ("•".to_owned(), format!("{} Instead: {}", sentence(&m.mistake), m.fix)))
            .collect();
        flow.list(&mistakes, ListNumbering::Disc, Style::BODY);
    }
    if !exercise.precautions.is_empty() {
        flow.heading(4, "Take care");
        let precautions: Vec<(String, String)> =
            exercise.precautions.iter().map(|p| ("!".to_owned(), p.clone())).collect();
        flow.list(&precautions, ListNumbering::None, Style::BODY);
    }
    flow.gap(6.0);
}

/// A clause as a sentence: ends with a full stop.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) { text.to_owned() } else { format!("{text}.") }
}

/// The starting position's stick figure, scaled into points.
fn figure_draws(exercise: &Exercise) -> Vec<Draw> {
    let Figure { head, limbs, props } = figure::of(exercise.position);
    let at = |x: u16, y: u16| (f32::from(x) * FIGURE_SCALE, f32::from(y) * FIGURE_SCALE);
    let mut draws = vec![Draw::Rect {
        x: 0.0,
        y: 0.0,
        w: f32::from(BOX.0) * FIGURE_SCALE,
        h: f32::from(BOX.1) * FIGURE_SCALE,
        colour: Colour(244, 246, 248),
    }];
    for (lines, width, colour) in [(props, 1.5, Colour(140, 140, 140)), (limbs, 3.0, Colour::HEADING)] {
        for [x1, y1, x2, y2] in lines {
            draws.push(Draw::Line { points: vec![at(*x1, *y1), at(*x2, *y2)], width, colour, dashed: false });
        }
    }
    let (cx, cy) = at(head.0, head.1);
    draws.push(Draw::Circle {
        centre: (cx, cy),
        radius: f32::from(HEAD_RADIUS) * FIGURE_SCALE,
        colour: Colour::HEADING,
        outline: Some(2.0),
    });
    draws
}

#[cfg(test)]
mod tests {
    use super::*;
    use hipcoach_core::measure::{Method, Rater, TestPosition};

    fn reading(day: u32, side: Side, degrees: f64) -> Measurement {
        Measurement {
            day: NaiveDate::from_ymd_opt(2025, 3, day).unwrap(),
            side,
            position: TestPosition::Seated,
            method: Method::Goniometer,
            degrees,
            uncertainty: 6.0,
            rater: Rater::Same,
            measured_by: None,
            hard_end_feel: false,
            recorded_at_ms: i64::from(day),
            client_key: None,
        }
    }

    #[test]
    fn a_report_without_a_plan_is_still_a_valid_tagged_pdf() {
        let measurements = [reading(1, Side::Left, 22.0), reading(1, Side::Right, 35.0), reading(20, Side::Left, 29.0)];
        let bytes = render(&Report {
            user: "Zoë",
            today: NaiveDate::from_ymd_opt(2025, 3, 21).unwrap(),
            measurements: &measurements,
            plan: Err("No plan yet: screening found something a clinician should see first.".into()),
            catalog: Catalog::builtin(),
        });
        assert!(bytes.starts_with(b"%PDF-1.7"));
        let text = String::from_utf8_lossy(&bytes);
        assert!(text.contains("/StructTreeRoot"), "tagged");
        assert!(text.contains("/MarkInfo"), "marked content");
        assert!(text.contains("/FontFile2"), "the font is embedded");
        assert!(text.contains("pdfuaid"), "declares PDF/UA");
    }

    #[test]
    fn a_name_in_a_script_the_font_lacks_prints_rather_than_failing() {
        let name = "田中 🙂 ".repeat(10);
        let bytes = render(&Report {
            user: &name,
            today: NaiveDate::from_ymd_opt(2025, 3, 21).unwrap(),
            measurements: &[reading(1, Side::Left, 22.0)],
            plan: Err("There is no plan yet.".into()),
            catalog: Catalog::builtin(),
        });
        assert!(bytes.starts_with(b"%PDF-"));
        assert_eq!(layout::drawable("田中 Zoë", layout::Weight::Regular), "?? Zoë");
    }

    #[test]
    fn mistakes_read_as_sentences() {
        assert_eq!(sentence("Knees drift apart"), "Knees drift apart.");
        assert_eq!(sentence("Knees drift apart."), "Knees drift apart.");
    }
}
