//! A recording's analysis frame by frame as CSV (the words for each side are the core's
//! [`SideReport::outcome`](hipcoach_core::measure::SideReport::outcome)).

use crate::error::{Result, WorkflowError};
use hipcoach_core::measure::ClipReport;
use hipcoach_core::units::Side;

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
