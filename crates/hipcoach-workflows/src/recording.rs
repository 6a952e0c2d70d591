//! What a recording's analysis says: about a side, in the words every output uses (the text
//! summary, the plot's key and description, the refusal to save), and frame by frame as CSV.

use crate::error::{Result, WorkflowError};
use hipcoach_core::measure::{ClipReport, SideReport};
use hipcoach_core::units::Side;

/// Past this (the 95th centile of its angles) a side that made no complete rep still turned.
const TURNED_DEG: f64 = 8.0;

/// "estimate 37° ±12°", or why there is none: never measured (with the main reason), turned
/// without coming back, or did not turn enough.
pub fn outcome(side: &SideReport) -> String {
    if let Some(estimate) = &side.estimate {
        return format!("estimate {:.0}° ±{:.0}°", estimate.angle.get(), estimate.uncertainty.get());
    }
    if side.measured == 0 {
        let why = side.refused.first().map_or_else(String::new, |(reason, _)| format!(": {reason}"));
        return format!("not measured in any frame{why}");
    }
    match side.furthest {
        Some(furthest) if furthest.get() >= TURNED_DEG => format!(
            "turned to about {:.0}° but never came back to the start, so there is no complete rep to measure",
            furthest.get()
        ),
        _ => "did not turn enough to measure".to_owned(),
    }
}

/// One row per frame: each side's angle and ± in whole degrees, or the reason it was not
/// measured.
pub fn frames_csv(report: &ClipReport) -> Result<String> {
    let fault = |error: csv::Error| WorkflowError::Internal(format!("could not write the CSV: {error}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record([
            "t_ms",
            "left_deg",
            "left_plus_minus_deg",
            "left_not_measured",
            "right_deg",
            "right_plus_minus_deg",
            "right_not_measured",
        ])
        .map_err(fault)?;
    for frame in &report.frames {
        let mut row = vec![frame.t_ms.to_string()];
        for side in Side::BOTH {
            match frame.side(side) {
                Ok(a) => {
                    row.extend([format!("{:.0}", a.angle.get()), format!("{:.0}", a.uncertainty.get()), String::new()])
                }
                Err(reason) => row.extend([String::new(), String::new(), reason.to_string()]),
            }
        }
        writer.write_record(&row).map_err(fault)?;
    }
    let bytes = writer.into_inner().map_err(|error| fault(error.into_error().into()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
