//! What a recording's analysis says about a side, in the words every output uses (the text
//! summary, the plot's key and description, the refusal to save).

use hipcoach_core::measure::SideReport;

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
