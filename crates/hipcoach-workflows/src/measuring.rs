//! Hip-rotation measurements as both front ends take them in and report them: typed trials (or a
//! phone's gravity vectors) become one stored median, and the stored readings become progress
//! per test and side. The CLI (`hipcoach measure`) and the web app (`/measure`) only phrase it.
//!
//! Trials are checked one by one so a form can put each message next to its field; the clinical
//! rules (median of three, the method's ±, MDC, 10° side difference) stay in the core.

use crate::calendar;
use crate::error::{Result, WorkflowError};
use crate::wording::{capitalised, quoted};
use chrono::NaiveDate;
use hipcoach_core::measure::{
    Asymmetry, Change, DatedReading, Degrees, Gravity, InclinometerNeutral, Method, RangeOfMotion, Rater, Reading,
    TestPosition, Trend, TrendError, inclinometer,
};
use hipcoach_core::units::Side;
use hipcoach_store::{Measurement, Store, UserId};
use serde::{Deserialize, Serialize};

/// The angles a hip internal-rotation trial can take; anything else is a typo or another test.
pub const TRIAL_RANGE: std::ops::RangeInclusive<f64> = -20.0..=90.0;

/// A phone turn smaller than this (either way) says nothing about direction.
const DIRECTION_DEAD_BAND: f64 = 3.0;

/// `left` or `right`.
pub fn side_of(text: &str) -> Result<Side, String> {
    match text.trim().to_lowercase().as_str() {
        "left" | "l" => Ok(Side::Left),
        "right" | "r" => Ok(Side::Right),
        _ => Err(format!("{} is not one of: left, right", quoted(text))),
    }
}

/// `seated` or `prone`.
pub fn position_of(text: &str) -> Result<TestPosition, String> {
    match text.trim().to_lowercase().as_str() {
        "seated" => Ok(TestPosition::Seated),
        "prone" => Ok(TestPosition::Prone),
        _ => Err(format!("{} is not one of: seated, prone", quoted(text))),
    }
}

/// `goniometer`, `inclinometer`, `phone` or `camera-estimate`.
pub fn method_of(text: &str) -> Result<Method, String> {
    match text.trim().to_lowercase().as_str() {
        "goniometer" => Ok(Method::Goniometer),
        "inclinometer" => Ok(Method::Inclinometer),
        "phone" | "phone-inclinometer" => Ok(Method::Phone),
        "camera-estimate" | "camera" => Ok(Method::CameraEstimate),
        _ => Err(format!("{} is not one of: goniometer, inclinometer, phone, camera-estimate", quoted(text))),
    }
}

/// `same` or `different` (whether the person measuring is the one who measured last time).
pub fn rater_of(text: &str) -> Result<Rater, String> {
    match text.trim().to_lowercase().as_str() {
        "same" => Ok(Rater::Same),
        "different" => Ok(Rater::Different),
        _ => Err(format!("{} is not one of: same, different", quoted(text))),
    }
}

/// The longest "measured by" name kept (the store refuses longer ones too).
pub const MAX_MEASURED_BY: usize = 100;

/// Who measured, when not the user: trimmed, none when blank, at most [`MAX_MEASURED_BY`]
/// characters.
pub fn measured_by_of(text: Option<&str>) -> Result<Option<String>, String> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(name) if name.chars().count() > MAX_MEASURED_BY => {
            Err(format!("keep the name of who measured to {MAX_MEASURED_BY} characters"))
        }
        name => Ok(name.map(str::to_owned)),
    }
}

/// One typed trial, in degrees.
pub fn trial_of(text: &str) -> Result<Degrees, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("enter the angle of this trial in degrees, e.g. 35".to_owned());
    }
    let value: f64 =
        text.parse().map_err(|_| format!("{} is not a number of degrees; enter the angle, e.g. 35", quoted(text)))?;
    trial_angle(value)
}

/// One trial's angle, refused when no hip internal rotation reads like it.
pub fn trial_angle(value: f64) -> Result<Degrees, String> {
    if !value.is_finite() || !TRIAL_RANGE.contains(&value) {
        // An absurd number is not repeated back in full (1e308 prints as 309 digits).
        let shown =
            if value.is_finite() && value.abs() < 10_000.0 { value.to_string() } else { "That number".to_owned() };
        return Err(format!("{shown} is not a hip internal-rotation reading; enter angles from -20 to 90 degrees"));
    }
    Degrees::new(value).map_err(|e| e.to_string())
}

/// What a new measurement is made of, once every field has been parsed.
#[derive(Debug, Clone)]
pub struct NewMeasurement {
    /// Which hip.
    pub side: Side,
    /// Which test.
    pub position: TestPosition,
    /// Which instrument.
    pub method: Method,
    /// Same person as last time or not.
    pub rater: Rater,
    /// Who measured, when not the user (as [`measured_by_of`] gives it: trimmed, never blank).
    pub measured_by: Option<String>,
    /// The trials (three: the median is kept).
    pub trials: Vec<Degrees>,
    /// Whether the end of the turn felt hard and blocked, like a bony stop.
    pub hard_end_feel: bool,
}

/// A word when the trials disagree by more than the method can tell apart: one of them was
/// probably off, and taking them again gives a truer median.
pub fn trial_spread_note(entry: &NewMeasurement) -> Option<String> {
    let (low, high) = entry.trials.iter().fold((f64::MAX, f64::MIN), |(l, h), t| (l.min(t.get()), h.max(t.get())));
    let mdc = entry.method.minimal_detectable_change(entry.rater);
    (entry.trials.len() > 1 && high - low > mdc.get()).then(|| {
        format!(
            "the trials differ by {:.0}°, more than a {} can tell apart ({mdc}); if one was off, measure again",
            high - low,
            entry.method
        )
    })
}

/// Stores a new measurement: the median of its trials with the method's ±, dated `today`.
/// Returns the stored id and row.
pub async fn record_measurement(
    store: &Store,
    user: UserId,
    today: NaiveDate,
    entry: NewMeasurement,
) -> Result<(i64, Measurement)> {
    let measurement = stored_row(entry, today)?;
    let (id, stored, _) = store.add_measurement(user, &measurement).await?;
    Ok((id, stored))
}

/// A camera estimate: the three trials a recording's reps gave and the analyser's ± at their
/// peaks.
#[derive(Debug, Clone)]
pub struct CameraEstimate {
    /// Which hip.
    pub side: Side,
    /// Which test.
    pub position: TestPosition,
    /// The three reps' peaks.
    pub trials: Vec<Degrees>,
    /// The analyser's ±, kept when it is wider than the camera's own.
    pub uncertainty: Degrees,
}

/// Stores a camera estimate (`hipcoach analyze --save`, or the page's recorded-clip analysis,
/// which may have kept it on the device), with the analyser's ± when it is wider than the
/// camera's own: a reading never claims more precision than its recording gave.
pub async fn record_camera_estimate(
    store: &Store,
    user: UserId,
    today: NaiveDate,
    estimate: CameraEstimate,
    kept: Option<Kept>,
) -> Result<(i64, Measurement, bool)> {
    let entry = NewMeasurement {
        side: estimate.side,
        position: estimate.position,
        method: Method::CameraEstimate,
        rater: Rater::Same,
        measured_by: None,
        trials: estimate.trials,
        hard_end_feel: false,
    };
    record_at_least(store, user, today, entry, kept, Some(estimate.uncertainty)).await
}

/// The row for `entry` on `day`; trials that give no reading are the `trials` field refused.
fn stored_row(entry: NewMeasurement, day: NaiveDate) -> Result<Measurement> {
    entry.into_measurement(day).map_err(|reason| WorkflowError::invalid("trials", reason))
}

/// A reading a device kept while it had no connection: its key, so that sending it again
/// stores it once, and the day it was taken.
#[derive(Debug, Clone)]
pub struct Kept {
    /// The device's key for it (1 to 100 characters).
    pub key: String,
    /// The day it was taken, by the device's calendar; `None` is today.
    pub day: Option<NaiveDate>,
}

/// Stores a reading, once per device key when it was kept on a device: a resend answers with
/// the stored reading (and `false`), and a reading deleted since is not brought back.
pub async fn record_kept_measurement(
    store: &Store,
    user: UserId,
    today: NaiveDate,
    entry: NewMeasurement,
    kept: Option<Kept>,
) -> Result<(i64, Measurement, bool)> {
    record_at_least(store, user, today, entry, kept, None).await
}

/// Stores a reading, its ± widened to `at_least` when given.
async fn record_at_least(
    store: &Store,
    user: UserId,
    today: NaiveDate,
    entry: NewMeasurement,
    kept: Option<Kept>,
    at_least: Option<Degrees>,
) -> Result<(i64, Measurement, bool)> {
    let widen =
        |m: Measurement| Measurement { uncertainty: m.uncertainty.max(at_least.map_or(0.0, Degrees::get)), ..m };
    let Some(kept) = kept else {
        let measurement = widen(stored_row(entry, today)?);
        return Ok(store.add_measurement(user, &measurement).await?);
    };
    if store.measurement_was_deleted(user, &kept.key).await? {
        return Err(WorkflowError::invalid(
            "key",
            "this reading was deleted from your records, so it is not stored again",
        ));
    }
    let day = calendar::kept_day(kept.day, today, "reading")?;
    let measurement = widen(stored_row(entry, day)?);
    let measurement = Measurement { client_key: Some(kept.key), ..measurement };
    Ok(store.add_measurement(user, &measurement).await?)
}

impl NewMeasurement {
    /// The stored row: the median of the trials with the method's ±.
    pub fn into_measurement(self, day: NaiveDate) -> Result<Measurement, String> {
        let reading =
            Reading::from_trials(self.method, self.side, self.position, &self.trials).map_err(|e| e.to_string())?;
        Ok(Measurement {
            day,
            side: self.side,
            position: self.position,
            method: self.method,
            degrees: reading.angle().get(),
            uncertainty: reading.range.uncertainty.get(),
            rater: self.rater,
            measured_by: self.measured_by,
            hard_end_feel: self.hard_end_feel,
            recorded_at_ms: 0,
            client_key: None,
        })
    }
}

/// One phone-inclinometer trial: gravity at neutral (shin vertical) and at the end of the turn.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InclinometerTrial {
    /// Gravity with the shin vertical.
    pub neutral: Gravity,
    /// Gravity at the end of comfortable rotation.
    pub end: Gravity,
}

/// The rotation of each phone trial, computed by the core from the gravity vectors.
///
/// Which way is "outward" depends on the leg and on how the phone is strapped, which the page
/// cannot know; so the size of the turn is kept, and the trials must all turn the same way (a
/// trial turning the other way was a different movement). The trade-off: a hip that cannot reach
/// neutral reads as a small positive angle, within the ± anyway.
pub fn inclinometer_trials(trials: &[InclinometerTrial]) -> Result<Vec<Degrees>, String> {
    if trials.len() != 3 {
        return Err(hipcoach_core::measure::ReadingError::WrongTrialCount(trials.len()).to_string());
    }
    let mut signed = Vec::with_capacity(trials.len());
    for (i, trial) in trials.iter().enumerate() {
        let n = i + 1;
        let neutral = InclinometerNeutral::record(trial.neutral).map_err(|e| format!("trial {n}, neutral: {e}"))?;
        let range = inclinometer(trial.end, neutral).map_err(|e| format!("trial {n}, end position: {e}"))?;
        signed.push(range.angle.get());
    }
    let outward = signed.iter().any(|a| *a > DIRECTION_DEAD_BAND);
    let inward = signed.iter().any(|a| *a < -DIRECTION_DEAD_BAND);
    if outward && inward {
        return Err("the trials turned the phone in different directions; turn the foot outward each time and \
                    repeat all three"
            .to_owned());
    }
    signed.into_iter().map(|a| trial_angle(a.abs())).collect()
}

/// The stored row as a core reading (whole degrees when shown).
pub fn reading_of(m: &Measurement) -> Reading {
    Reading {
        method: m.method,
        side: m.side,
        position: m.position,
        range: RangeOfMotion::new(
            Degrees::new(m.degrees).unwrap_or(Degrees::ZERO),
            Degrees::new(m.uncertainty).unwrap_or(Degrees::ZERO),
        ),
    }
}

/// A reading and the day it was taken.
#[derive(Debug, Clone, Copy, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dated {
    /// The day measured.
    pub day: NaiveDate,
    /// The reading.
    pub reading: Reading,
}

/// One side's story in one test.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SideProgress {
    /// Which hip.
    pub side: Side,
    /// The first reading and its day.
    pub first: Option<Dated>,
    /// The latest reading and its day.
    pub latest: Option<Dated>,
    /// First against latest, when there are two readings or more.
    pub trend: Option<Trend>,
    /// Why there is no trend yet.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub no_trend: Option<String>,
}

/// Progress in one test position: both sides and how they compare.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Progress {
    /// Which test.
    pub position: TestPosition,
    /// Left, then right.
    pub sides: Vec<SideProgress>,
    /// The latest left against the latest right, when both exist.
    pub asymmetry: Option<Asymmetry>,
}

/// Per test that has readings: per side first, latest and trend; then the latest asymmetry.
/// Rater: a different person on the latest reading widens the goniometer's MDC.
pub fn progress(measurements: &[Measurement]) -> Vec<Progress> {
    let epoch = crate::calendar::EPOCH;
    let dated: Vec<DatedReading> = measurements
        .iter()
        .map(|m| DatedReading { day: m.day.signed_duration_since(epoch).num_days(), reading: reading_of(m) })
        .collect();
    let mut out = Vec::new();
    for position in [TestPosition::Seated, TestPosition::Prone] {
        let mine: Vec<&Measurement> = measurements.iter().filter(|m| m.position == position).collect();
        if mine.is_empty() {
            continue;
        }
        let latest_of =
            |side: Side| mine.iter().filter(|m| m.side == side).max_by_key(|m| (m.day, m.recorded_at_ms)).copied();
        let first_of =
            |side: Side| mine.iter().filter(|m| m.side == side).min_by_key(|m| (m.day, m.recorded_at_ms)).copied();
        let sides = Side::BOTH
            .into_iter()
            .map(|side| {
                let latest = latest_of(side);
                let rater = latest.map_or(Rater::Same, |m| m.rater);
                let (trend, no_trend) = match Trend::of(&dated, side, position, rater) {
                    Ok(trend) => (Some(trend), None),
                    Err(e @ TrendError::TooFewReadings { .. }) => (None, Some(e.to_string())),
                };
                SideProgress {
                    side,
                    first: first_of(side).map(|m| Dated { day: m.day, reading: reading_of(m) }),
                    latest: latest.map(|m| Dated { day: m.day, reading: reading_of(m) }),
                    trend,
                    no_trend,
                }
            })
            .collect();
        let asymmetry = match (latest_of(Side::Left), latest_of(Side::Right)) {
            (Some(left), Some(right)) => {
                let rater = if left.rater == Rater::Different || right.rater == Rater::Different {
                    Rater::Different
                } else {
                    Rater::Same
                };
                Asymmetry::between(&reading_of(left), &reading_of(right), rater).ok()
            }
            _ => None,
        };
        out.push(Progress { position, sides, asymmetry });
    }
    out
}

/// Per test: per side first → latest, slope, real change or not; then the latest asymmetry, as
/// sentences for the terminal and the printed report.
pub fn trend_text(measurements: &[Measurement]) -> String {
    if measurements.is_empty() {
        return "No measurements yet: add one with `hipcoach measure add ...`.\n".to_owned();
    }
    let mut text = String::new();
    for progress in progress(measurements) {
        text.push_str(&format!("{} test\n", capitalised(&progress.position.to_string())));
        for side in &progress.sides {
            match (&side.trend, &side.no_trend) {
                (Some(trend), _) => text.push_str(&format!("  {}\n", trend_line(trend))),
                (None, Some(why)) => text.push_str(&format!("  {}: {why}\n", side.side)),
                (None, None) => {}
            }
        }
        if let Some(asymmetry) = &progress.asymmetry {
            text.push_str(&format!("  {}\n", asymmetry_line(asymmetry)));
        }
    }
    text
}

/// One side's trend as a sentence: first → latest, slope and whether it is a real change.
pub fn trend_line(trend: &Trend) -> String {
    let slope = match trend.slope_per_week {
        None => "no slope yet (all on one day)".to_owned(),
        Some(s) if s.abs() < 0.5 => "less than 1° a week".to_owned(),
        Some(s) => format!("{s:+.0}° a week"),
    };
    let verdict = match trend.change {
        Change::Improved => {
            format!("a real improvement (more than the {} the method can tell apart)", trend.mdc)
        }
        Change::Worse => format!("a real loss (more than the {} the method can tell apart)", trend.mdc),
        Change::NoRealChange => format!("no real change yet (within the {} measurement noise)", trend.mdc),
    };
    format!("{}: {} → {} over {} readings, {slope}; {verdict}.", trend.side, trend.first, trend.latest, trend.readings)
}

/// The latest left against right as a sentence.
pub fn asymmetry_line(asymmetry: &Asymmetry) -> String {
    let difference = asymmetry.difference.abs();
    match asymmetry.stiffer {
        Some(side) => format!(
            "Sides: the {side} hip turns {difference} less; more than 10° and beyond the {} noise, so it is a real difference.",
            asymmetry.mdc
        ),
        None => format!(
            "Sides: {difference} apart, which counts as equal (a real difference needs over 10° and over {}).",
            asymmetry.mdc
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: f64 = 9.81;

    fn turned(deg: f64) -> Gravity {
        let t = deg.to_radians();
        Gravity { x: -G * t.sin(), y: -G * t.cos(), z: 0.0 }
    }

    fn trial(deg: f64) -> InclinometerTrial {
        InclinometerTrial { neutral: turned(0.0), end: turned(deg) }
    }

    #[test]
    fn phone_trials_keep_the_size_of_the_turn_whichever_way_the_phone_was_strapped() {
        let angles = inclinometer_trials(&[trial(35.0), trial(33.0), trial(36.0)]).unwrap();
        assert_eq!(angles.iter().map(|a| a.rounded()).collect::<Vec<_>>(), [35, 33, 36]);
        let mirrored = inclinometer_trials(&[trial(-35.0), trial(-33.0), trial(-36.0)]).unwrap();
        assert_eq!(mirrored, angles);
    }

    #[test]
    fn phone_trials_turning_different_ways_are_refused() {
        let err = inclinometer_trials(&[trial(35.0), trial(-33.0), trial(36.0)]).unwrap_err();
        assert!(err.contains("different directions"), "{err}");
        let flat = InclinometerTrial { neutral: turned(0.0), end: Gravity { x: 0.0, y: 0.0, z: 0.0 } };
        let err = inclinometer_trials(&[flat, trial(35.0), trial(36.0)]).unwrap_err();
        assert!(err.starts_with("trial 1, end position"), "{err}");
        let err = inclinometer_trials(&[trial(35.0)]).unwrap_err();
        assert!(err.contains("take 3"), "{err}");
    }

    #[test]
    fn trials_that_disagree_beyond_the_methods_noise_are_flagged() {
        let entry = |trials: &[f64]| NewMeasurement {
            side: Side::Left,
            position: TestPosition::Seated,
            method: Method::Goniometer,
            rater: Rater::Same,
            measured_by: None,
            trials: trials.iter().map(|t| Degrees::new(*t).unwrap()).collect(),
            hard_end_feel: false,
        };
        assert!(trial_spread_note(&entry(&[34.0, 36.0, 35.0])).is_none());
        let note = trial_spread_note(&entry(&[10.0, 36.0, 80.0])).unwrap();
        assert!(note.contains("differ by 70°") && note.contains("measure again"), "{note}");
    }

    #[test]
    fn a_typed_trial_must_be_a_plausible_angle() {
        assert_eq!(trial_of(" 35.5 ").unwrap().get(), 35.5);
        assert!(trial_of("abc").unwrap_err().contains("“abc” is not a number"));
        assert!(trial_of("").unwrap_err().contains("enter the angle"));
        assert!(trial_of("120").unwrap_err().contains("from -20 to 90"));
        assert!(trial_of("NaN").is_err());
    }
}
