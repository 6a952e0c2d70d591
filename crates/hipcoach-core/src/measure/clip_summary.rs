//! A clip's analysis in words and as one JSON document: what `hipcoach analyze` prints and what
//! the page's engine hands back, so the terminal and the page say the same thing.
//!
//! Angles are whole degrees: a camera estimate is good to several degrees, and a decimal would
//! claim more.

use super::{ClipReport, Recording, SideReport};
use crate::units::Side;
use serde_json::{Value, json};

/// How a camera estimate was validated, said wherever one is shown.
pub const VALIDATION: &str =
    "camera estimate, checked on synthetic keypoints and rendered people, not yet against a goniometer on real people";

/// Past this (the 95th centile of its angles) a side that made no complete rep still turned.
const TURNED_DEG: f64 = 8.0;

impl SideReport {
    /// "estimate 37° ±12°", or why there is none: never measured (with the main reason), turned
    /// without coming back, or did not turn enough.
    pub fn outcome(&self) -> String {
        if let Some(estimate) = &self.estimate {
            return format!("estimate {:.0}° ±{:.0}°", estimate.angle.get(), estimate.uncertainty.get());
        }
        if self.measured == 0 {
            let why = self.refused.first().map_or_else(String::new, |(reason, _)| format!(": {reason}"));
            return format!("not measured in any frame{why}");
        }
        match self.furthest {
            Some(furthest) if furthest.get() >= TURNED_DEG => format!(
                "turned to about {:.0}° but never came back to the start, so there is no complete rep to measure",
                furthest.get()
            ),
            _ => "did not turn enough to measure".to_owned(),
        }
    }
}

impl ClipReport {
    /// Whether the clip was calibrated, in a sentence.
    pub fn calibration_words(&self) -> String {
        match &self.calibration {
            Some(Ok(_)) => "Calibrated on the opening still second.".to_owned(),
            Some(Err(error)) => {
                format!("Not calibrated: {error}; the angles are measured from where the shins started.")
            }
            None => "Not calibrated (as asked): the angles are measured from where the shins started.".to_owned(),
        }
    }
}

/// From the first frame to the last, ms.
pub fn duration_ms(recording: &Recording) -> i64 {
    match (recording.frames.first(), recording.frames.last()) {
        (Some(first), Some(last)) => last.t_ms - first.t_ms,
        _ => 0,
    }
}

fn side_summary(s: &SideReport) -> Value {
    json!({
        "side": s.side,
        "measured_frames": s.measured,
        "not_measured": s.refused.iter().map(|(reason, frames)| json!({"reason": reason, "frames": frames})).collect::<Vec<_>>(),
        "reps": s.reps.iter().map(|r| json!({
            "started_ms": r.started_ms, "peak_ms": r.peak_ms, "ended_ms": r.ended_ms, "peak_degrees": r.peak.get().round(),
        })).collect::<Vec<_>>(),
        "outcome": s.outcome(),
        "holds": s.holds.iter().map(|h| json!({"start_ms": h.start_ms, "end_ms": h.end_ms})).collect::<Vec<_>>(),
        "form": s.flags.iter().map(|(t, flag)| json!({"t_ms": t, "cue": flag.cue()})).collect::<Vec<_>>(),
        "estimate": s.estimate.as_ref().map(|e| json!({
            "degrees": e.angle.get().round(),
            "plus_minus_degrees": e.uncertainty.get().round(),
            "trials_degrees": e.trials.iter().map(|t| t.get().round()).collect::<Vec<_>>(),
            "method": "camera-estimate",
            "validated": VALIDATION,
        })),
    })
}

/// The whole analysis: each side (the one asked for or that turned most first) and, frame by
/// frame, each side's angle and ± or the reason it was not measured.
pub fn clip_summary(recording: &Recording, report: &ClipReport) -> Value {
    let series: Vec<Value> = report
        .frames
        .iter()
        .map(|frame| {
            let mut row = json!({ "t_ms": frame.t_ms });
            for side in Side::BOTH {
                let key = match side {
                    Side::Left => "left",
                    Side::Right => "right",
                };
                row[key] = match frame.side(side) {
                    Ok(a) => {
                        json!({ "degrees": a.angle.get().round(), "plus_minus_degrees": a.uncertainty.get().round() })
                    }
                    Err(reason) => json!({ "not_measured": reason.to_string() }),
                };
            }
            row
        })
        .collect();
    json!({
        "frames": recording.frames.len(),
        "duration_ms": duration_ms(recording),
        "calibration": report.calibration_words(),
        "sides": report.sides.iter().map(side_summary).collect::<Vec<_>>(),
        "series": series,
    })
}
