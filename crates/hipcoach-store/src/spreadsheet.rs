//! CSV for spreadsheets: one row per set, and one row per measurement.

use crate::model::{Measurement, StoredSession};
use crate::sessions::working_key;
use hipcoach_core::session::PainAnswer;
use hipcoach_core::spelling;

/// One row per set: `day, session, exercise, set, side, outcome, reps, hold_seconds, hip_pain,
/// red_sign`. Hip pain is a number column only (0–10, empty when not asked or when a red sign
/// stopped the exercise); the red sign, when there was one, is its own column, so a spreadsheet
/// can average the numbers.
pub fn sessions_csv(sessions: &[StoredSession]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record([
        "day",
        "session",
        "exercise",
        "set",
        "side",
        "outcome",
        "reps",
        "hold_seconds",
        "hip_pain",
        "red_sign",
    ])?;
    for session in sessions {
        for exercise in &session.record.exercises {
            let (pain, red_sign) = match exercise.pain {
                PainAnswer::Score(score) => (score.get().to_string(), ""),
                PainAnswer::Sharp => (String::new(), "sharp"),
                PainAnswer::Pinching => (String::new(), "pinching"),
                PainAnswer::CatchingOrLocking => (String::new(), "catching-or-locking"),
                PainAnswer::TinglingOrNumbness => (String::new(), "tingling-or-numbness"),
                PainAnswer::NotAnswered => (String::new(), ""),
            };
            for set in &exercise.sets {
                writer.write_record([
                    session.day.to_string(),
                    session.client_key.clone(),
                    exercise.exercise.to_string(),
                    set.set.to_string(),
                    working_key(set.working).to_owned(),
                    spelling(&set.outcome),
                    set.reps_done.map(|r| r.to_string()).unwrap_or_default(),
                    set.hold_seconds_done.map(|h| h.to_string()).unwrap_or_default(),
                    pain.clone(),
                    red_sign.to_owned(),
                ])?;
            }
        }
    }
    finish(writer)
}

/// One row per measurement, degrees rounded to what the method can tell; `measured_by` is
/// "you" when the person measured themselves, as the app says.
pub fn measurements_csv(measurements: &[Measurement]) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["day", "side", "position", "method", "degrees", "plus_minus_degrees", "measured_by"])?;
    for m in measurements {
        writer.write_record([
            m.day.to_string(),
            spelling(&m.side),
            spelling(&m.position),
            spelling(&m.method),
            format!("{:.0}", m.degrees),
            format!("{:.0}", m.uncertainty),
            m.measured_by_words().to_owned(),
        ])?;
    }
    finish(writer)
}

fn finish(writer: csv::Writer<Vec<u8>>) -> Result<String, csv::Error> {
    let bytes = writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
