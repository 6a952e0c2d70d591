//! A whole recording analysed at once: what `hipcoach analyze` reports for a clip of the seated
//! or prone IR test, or of a set of reps.
//!
//! Two passes over the frames. The first calibrates on the opening still second (when asked)
//! and runs the [`Analyzer`] on every frame, keeping each side's angle or the reason it could
//! not be measured. The second, knowing how far each side turned, counts reps, finds holds at end
//! range and raises form flags with thresholds scaled to that range. The estimate of a side is
//! the median of its reps' peaks (the last three, as in the manual test) with an honest ±; a
//! side that never came back from a turn has no estimate, only how far it turned.

use super::{
    AnalysisConfig, Analyzer, Calibration, CalibrationError, CannotMeasure, Degrees, FormFlag, FormLimits, FormMonitor,
    FrameAnalysis, Hold, HoldTracker, Recording, Rep, RepCounter, RepThresholds, TestPosition,
};
use crate::units::Side;

/// How to analyse a clip.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClipOptions {
    /// Which test is filmed.
    pub position: TestPosition,
    /// The side to report; `None` finds the one that turned most.
    pub side: Option<Side>,
    /// Calibrate on the frames of this many opening milliseconds (the person sitting still,
    /// shins hanging straight); `None` uses no calibration.
    pub calibrate_ms: Option<i64>,
}

impl ClipOptions {
    /// The seated test, either side, calibrated on the opening second.
    pub fn seated() -> Self {
        Self { position: TestPosition::Seated, side: None, calibrate_ms: Some(1_000) }
    }
}

/// The least a side must turn (between the 5th and 95th centiles of its angles) to be said to
/// have moved; below it, keypoint jitter.
const MOVED_DEG: f64 = 8.0;
/// How close to the furthest angle a still leg counts as holding at end range.
const HOLD_TOLERANCE_DEG: f64 = 5.0;
/// The trials an estimate takes, as in the manual test.
const TRIALS: usize = 3;

/// What one side did over the clip.
#[derive(Debug, Clone, PartialEq)]
pub struct SideReport {
    /// Which side.
    pub side: Side,
    /// Frames that gave this side an angle.
    pub measured: usize,
    /// Why the others did not, most frequent first: the reason in words and how many frames.
    pub refused: Vec<(String, usize)>,
    /// Completed reps, in order.
    pub reps: Vec<Rep>,
    /// Holds at end range.
    pub holds: Vec<Hold>,
    /// Form flags with the time they were raised, ms.
    pub flags: Vec<(i64, FormFlag)>,
    /// How far it turned: the 95th centile of its angles, when it was measured at all.
    pub furthest: Option<Degrees>,
    /// The side's estimate, when it turned out and back at least once.
    pub estimate: Option<Estimate>,
}

/// A camera estimate of a side's IR.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    /// The median of the trials.
    pub angle: Degrees,
    /// The widest ± the analyser gave at the trials' peaks.
    pub uncertainty: Degrees,
    /// The trials' peaks, in order.
    pub trials: Vec<Degrees>,
}

/// The whole clip.
#[derive(Debug, Clone, PartialEq)]
pub struct ClipReport {
    /// The calibration used, or why the opening second could not give one (the clip is then
    /// analysed without); `None` when none was asked for.
    pub calibration: Option<Result<Calibration, CalibrationError>>,
    /// Every frame's result for both sides.
    pub frames: Vec<FrameAnalysis>,
    /// The side asked for, or the one that turned most, first; the other after it.
    pub sides: Vec<SideReport>,
}

impl ClipReport {
    /// The report of the side asked for (or found).
    pub fn main(&self) -> Option<&SideReport> {
        self.sides.first()
    }
}

/// Analyses a recording.
pub fn analyse_clip(recording: &Recording, options: ClipOptions) -> ClipReport {
    let config = AnalysisConfig::new(options.position, recording.image);
    let calibration = options.calibrate_ms.map(|ms| {
        let start = recording.frames.first().map_or(0, |f| f.t_ms);
        let still: Vec<_> =
            recording.frames.iter().take_while(|f| f.t_ms - start <= ms).map(|f| f.frame(recording.layout)).collect();
        Calibration::from_frames(&config, &still)
    });
    let mut analyzer = match &calibration {
        Some(Ok(calibration)) => Analyzer::with_calibration(config, *calibration),
        _ => Analyzer::new(config),
    };
    let frames: Vec<FrameAnalysis> =
        recording.frames.iter().map(|f| analyzer.analyze(&f.frame(recording.layout))).collect();
    // How far each side turned: the spread of its angles between the 5th and 95th centiles, so
    // a few outlying frames of a still leg do not make it look as if it moved.
    let range = |side: Side| {
        let mut angles: Vec<f64> =
            frames.iter().filter_map(|f| f.side(side).as_ref().ok().map(|a| a.angle.get())).collect();
        angles.sort_by(f64::total_cmp);
        let centile = |q: f64| angles.get((angles.len().saturating_sub(1) as f64 * q).round() as usize).copied();
        Some((centile(0.05)?, centile(0.95)?, *angles.last()?))
    };
    let turned = |side: Side| range(side).map_or(0.0, |(lo, hi, _)| hi - lo);
    let main = options.side.unwrap_or(if turned(Side::Right) > turned(Side::Left) { Side::Right } else { Side::Left });
    let sides = [main, main.other()].into_iter().map(|side| side_report(&frames, side, range(side))).collect();
    ClipReport { calibration, frames, sides }
}

/// `range`: the side's 5th and 95th centiles and its furthest angle.
fn side_report(frames: &[FrameAnalysis], side: Side, range: Option<(f64, f64, f64)>) -> SideReport {
    // The 95th centile, not the single furthest frame: one outlier must not set the thresholds.
    let furthest = range.map_or(0.0, |(_, p95, _)| p95);
    let moved = range.is_some_and(|(lo, hi, _)| hi - lo >= MOVED_DEG);
    let end_range = Degrees::of_clamped(furthest);
    let mut counter = RepCounter::new(RepThresholds::for_end_range(end_range));
    let mut holds = HoldTracker::new(end_range, Degrees::of(HOLD_TOLERANCE_DEG));
    let mut form = FormMonitor::new(FormLimits::for_end_range(end_range));
    let mut report = SideReport {
        side,
        measured: 0,
        refused: Vec::new(),
        reps: Vec::new(),
        holds: Vec::new(),
        flags: Vec::new(),
        furthest: range.map(|_| end_range),
        estimate: None,
    };
    let mut refusals: Vec<(CannotMeasure, usize)> = Vec::new();
    for frame in frames {
        let angle = frame.side(side).as_ref().ok().map(|a| a.angle);
        if let Some(hold) = holds.update(frame.t_ms, angle) {
            report.holds.push(hold);
        }
        match frame.side(side) {
            Ok(a) => {
                report.measured += 1;
                if moved {
                    report.reps.extend(counter.update(frame.t_ms, a.angle));
                    report.flags.extend(form.update(frame.t_ms, a.angle).into_iter().map(|flag| (frame.t_ms, flag)));
                }
            }
            Err(reason) => match refusals.iter_mut().find(|(r, _)| same_kind(r, reason)) {
                Some((_, count)) => *count += 1,
                None => refusals.push((*reason, 1)),
            },
        }
    }
    report.holds.extend(holds.current());
    refusals.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    report.refused = refusals.into_iter().map(|(reason, count)| (reason.to_string(), count)).collect();
    if moved && !report.reps.is_empty() {
        report.estimate = Some(estimate(frames, side, &report.reps));
    }
    report
}

/// The last three reps' peaks, each with the ± the analyser gave at it.
fn estimate(frames: &[FrameAnalysis], side: Side, reps: &[Rep]) -> Estimate {
    let peaks: Vec<(Degrees, f64)> = reps
        .iter()
        .rev()
        .take(TRIALS)
        .rev()
        .map(|r| {
            let at_peak = frames.iter().find(|f| f.t_ms >= r.peak_ms).and_then(|f| f.side(side).as_ref().ok());
            (r.peak, at_peak.map_or(0.0, |a| a.uncertainty.get()))
        })
        .collect();
    estimate_of(&peaks)
}

/// The median of the trials' peaks (the mean of two), with the widest of: the ± the analyser
/// gave at them, the camera's own ±, and half the spread of the peaks (trials that disagree
/// cannot give a narrower answer than their disagreement), rounded up to a whole degree so no
/// display rounds it down. Shared by recorded clips and the live camera.
pub(crate) fn estimate_of(peaks: &[(Degrees, f64)]) -> Estimate {
    let mut sorted: Vec<f64> = peaks.iter().map(|(a, _)| a.get()).collect();
    sorted.sort_by(f64::total_cmp);
    let middle = match sorted.as_slice() {
        [a, b] => (a + b) / 2.0,
        _ => sorted.get(sorted.len() / 2).copied().unwrap_or(0.0),
    };
    let spread = sorted.last().zip(sorted.first()).map_or(0.0, |(hi, lo)| (hi - lo) / 2.0);
    let analyser = peaks.iter().map(|(_, pm)| *pm).fold(0.0, f64::max);
    let camera = super::Method::CameraEstimate.uncertainty().get();
    Estimate {
        angle: Degrees::of_clamped(middle),
        uncertainty: Degrees::of_clamped(analyser.max(camera).max(spread).ceil()),
        trials: peaks.iter().map(|(a, _)| *a).collect(),
    }
}

/// Two refusals of the same kind (their numbers may differ).
fn same_kind(a: &CannotMeasure, b: &CannotMeasure) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::Layout;
    use crate::measure::synthetic::{Noise, Scenario};

    fn recording(scenario: &Scenario) -> (Recording, u32, f64) {
        let (recording, set) = scenario.recording();
        let peak = set.frames.iter().map(|f| f.truth[scenario.motion.side as usize]).fold(0.0, f64::max);
        (recording, set.reps, peak)
    }

    #[test]
    fn a_clip_of_reps_gives_the_side_that_turned_its_reps_and_an_estimate_within_its_range() {
        for (layout, side) in [(Layout::BlazePose33, Side::Left), (Layout::Coco17, Side::Right)] {
            let mut scenario = Scenario { layout, noise: Noise::REALISTIC, ..Scenario::default() };
            scenario.motion.side = side;
            let (clip, reps, peak) = recording(&scenario);
            let report = analyse_clip(&clip, ClipOptions::seated());
            assert!(matches!(report.calibration, Some(Ok(_))), "{:?}", report.calibration);
            let main = report.main().unwrap();
            assert_eq!(main.side, side, "the side that turned is found");
            assert_eq!(main.reps.len() as u32, reps);
            let estimate = main.estimate.as_ref().unwrap();
            assert!((estimate.angle.get() - peak).abs() <= estimate.uncertainty.get(), "{estimate:?} vs {peak}");
            assert_eq!(estimate.trials.len(), reps.min(3) as usize);
            assert!(report.sides[1].estimate.is_none(), "the still side has no estimate");
        }
    }

    #[test]
    fn trials_that_disagree_widen_the_plus_minus_and_two_trials_give_their_mean() {
        let rep = |peak: f64| Rep { started_ms: 0, peak_ms: 0, ended_ms: 0, peak: Degrees::of(peak) };
        let wide = estimate(&[], Side::Left, &[rep(20.0), rep(35.0), rep(50.0)]);
        assert_eq!((wide.angle.get(), wide.uncertainty.get()), (35.0, 15.0), "half the spread, not the camera's 10");
        let close = estimate(&[], Side::Left, &[rep(34.0), rep(36.0), rep(35.0)]);
        assert_eq!(close.uncertainty.get(), 10.0, "never narrower than the camera's own ±");
        assert_eq!(estimate(&[], Side::Left, &[rep(30.0), rep(34.0)]).angle.get(), 32.0);
        let last_three = estimate(&[], Side::Left, &[rep(10.0), rep(30.0), rep(31.0), rep(32.0)]);
        assert_eq!(last_three.trials.len(), 3, "the last three, as in the manual test");
    }

    #[test]
    fn a_camera_turned_far_is_refused_with_its_reason_not_measured() {
        let mut scenario = Scenario::default();
        scenario.camera.yaw_deg = 40.0;
        let (clip, _, _) = recording(&scenario);
        let report = analyse_clip(&clip, ClipOptions { side: Some(Side::Left), ..ClipOptions::seated() });
        let main = report.main().unwrap();
        assert!(main.estimate.is_none());
        assert!(main.refused.first().is_some_and(|(reason, _)| reason.contains("camera")), "{:?}", main.refused);
    }
}
