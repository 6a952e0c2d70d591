//! A camera measurement as it happens: the page's live camera hands each frame's keypoints to
//! [`LiveTest::frame`] (through engine.wasm) and shows the [`LiveScreen`] that comes back. Every
//! rule of the test lives here, none in the page.
//!
//! Three stages, as the manual test runs:
//! 1. **Setting up**: each frame goes through the analyser's view checks (whole legs seen,
//!    camera square, pelvis level); a failing check is said as what to fix. Once the view passes
//!    and the person has sat still with the shins hanging straight for a second, those frames
//!    become the neutral calibration.
//! 2. **Measuring**: three turns out and back, each counted by the rep counter; a turn's peak is
//!    a trial. A turn during which the view broke a rule of the test (the pelvis hiking, the knee
//!    leaving 90°, the camera turned, the thigh moving) is not counted, and the reason is said.
//! 3. **Done**: the estimate from the three trials, with the same ± rule as a recorded clip.

use super::clip::estimate_of;
use super::{
    AnalysisConfig, Analyzer, CannotMeasure, Degrees, Estimate, Frame, ImageSize, Keypoint, Layout, NeutralFinder,
    RepCounter, RepThresholds, TestPosition,
};
use crate::units::Side;
use serde::Serialize;

/// Trials in a test.
const TRIALS: usize = 3;
/// The end range the rep counter expects: out past 10°, back under 4°, so a stiff hip's short
/// turn still counts and keypoint jitter does not.
pub(super) const EXPECTED_END_RANGE: Degrees = Degrees::of(20.0);

/// Where the test is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LiveStage {
    /// Checking the view and waiting for a still neutral second.
    SettingUp,
    /// Counting turns.
    Measuring,
    /// Three trials taken.
    Done,
}

/// What the page shows after a frame: every word is decided here.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveScreen {
    /// The stage.
    pub stage: LiveStage,
    /// The instruction now, in a sentence.
    pub say: String,
    /// What to fix when this frame could not be measured, or why the last turn was not counted.
    pub fix: Option<String>,
    /// The hip's angle in this frame, whole degrees, when measured (after calibration).
    pub degrees: Option<i64>,
    /// Its ±.
    pub plus_minus_degrees: Option<i64>,
    /// The trials taken so far, whole degrees.
    pub trials_degrees: Vec<i64>,
    /// The result, once done: "estimate 27° ±11°".
    pub result: Option<String>,
    /// The result as numbers, once done.
    pub estimate: Option<LiveEstimate>,
}

/// The finished measurement as numbers, for saving.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LiveEstimate {
    /// The median of the trials.
    pub degrees: i64,
    /// Its ±, rounded up.
    pub plus_minus_degrees: i64,
    /// The three trials.
    pub trials_degrees: Vec<i64>,
}

#[derive(Debug, Clone)]
enum Stage {
    SettingUp { finder: NeutralFinder },
    Measuring { analyzer: Analyzer, counter: RepCounter, trials: Vec<(Degrees, f64)>, turn: Turn },
    Done { estimate: Estimate },
}

/// What happened during the turn under way.
#[derive(Debug, Clone, Copy, Default)]
struct Turn {
    /// The widest ± while out (the peak's ± is at most this).
    widest: f64,
    /// Since when, while out, every frame measured or not has broken a rule of the test.
    breaking_since_ms: Option<i64>,
    /// The rule broken for long enough to void the turn.
    broken: Option<CannotMeasure>,
}

/// How long a rule must stay broken to void a turn, ms: a few frames are keypoint noise at a
/// limit, a third of a second is the person (a hike or a drifting knee lasts the whole hold).
pub(super) const BROKEN_MS: i64 = 300;

/// One side's live test.
#[derive(Debug, Clone)]
pub struct LiveTest {
    config: AnalysisConfig,
    layout: Layout,
    side: Side,
    stage: Stage,
    last_t_ms: Option<i64>,
}

/// A rule of the test itself (as opposed to a point the model did not see): a turn during which
/// one is broken does not count.
pub(super) fn breaks_the_test(reason: &CannotMeasure) -> bool {
    matches!(
        reason,
        CannotMeasure::CameraTurned { .. }
            | CannotMeasure::PelvisTilted { .. }
            | CannotMeasure::KneeNotAtRightAngle { .. }
            | CannotMeasure::ThighMoved { .. }
    )
}

fn whole(d: Degrees) -> i64 {
    d.get().round() as i64
}

impl LiveTest {
    /// A test of `side` in `position`, from frames of `image`'s size in `layout`.
    pub fn new(position: TestPosition, side: Side, image: ImageSize, layout: Layout) -> Self {
        let config = AnalysisConfig::new(position, image);
        Self {
            config,
            layout,
            side,
            stage: Stage::SettingUp { finder: NeutralFinder::new(config, layout) },
            last_t_ms: None,
        }
    }

    /// The next frame's keypoints (in the test's layout; frames must come in time order) and
    /// the picture's mean brightness, 0 to 1, when the page measured it.
    pub fn frame(&mut self, t_ms: i64, points: &[Keypoint], brightness: Option<f64>) -> LiveScreen {
        if self.last_t_ms.is_some_and(|last| t_ms <= last) {
            return self.screen(None, Some(CannotMeasure::TimeWentBack.to_string()));
        }
        self.last_t_ms = Some(t_ms);
        let frame = Frame { t_ms, layout: self.layout, points };
        let side = self.side;
        match &mut self.stage {
            Stage::SettingUp { finder } => match finder.frame(&frame, brightness) {
                Ok(Some(calibration)) => {
                    self.stage = Stage::Measuring {
                        analyzer: Analyzer::with_calibration(self.config, calibration),
                        counter: RepCounter::new(RepThresholds::for_end_range(EXPECTED_END_RANGE)),
                        trials: Vec::new(),
                        turn: Turn::default(),
                    };
                    self.screen(None, None)
                }
                Ok(None) => self.screen(None, None),
                Err(reason) => self.screen(None, Some(reason)),
            },
            Stage::Measuring { analyzer, counter, trials, turn } => {
                let seen = analyzer.analyze(&frame);
                let angle = match seen.side(side) {
                    Ok(angle) => *angle,
                    Err(reason) => {
                        if counter.is_out() && breaks_the_test(reason) {
                            let since = *turn.breaking_since_ms.get_or_insert(t_ms);
                            if t_ms - since >= BROKEN_MS {
                                turn.broken.get_or_insert(*reason);
                            }
                        }
                        let reason = reason.to_string();
                        return self.screen(None, Some(reason));
                    }
                };
                if counter.is_out() {
                    turn.widest = turn.widest.max(angle.uncertainty.get());
                    turn.breaking_since_ms = None;
                }
                let mut fix = None;
                if let Some(rep) = counter.update(t_ms, angle.angle) {
                    match turn.broken.take() {
                        Some(reason) => fix = Some(format!("That turn was not counted: {reason}. Turn again.")),
                        None => trials.push((rep.peak, turn.widest.max(angle.uncertainty.get()))),
                    }
                    *turn = Turn::default();
                    if trials.len() == TRIALS {
                        let estimate = estimate_of(trials);
                        self.stage = Stage::Done { estimate };
                    }
                }
                self.screen(Some(angle), fix)
            }
            Stage::Done { .. } => self.screen(None, None),
        }
    }

    /// Whether the three trials are in.
    pub fn is_done(&self) -> bool {
        matches!(self.stage, Stage::Done { .. })
    }

    fn screen(&self, angle: Option<super::CameraAngle>, fix: Option<String>) -> LiveScreen {
        let side = self.side.label();
        let (stage, say, trials, estimate) = match &self.stage {
            Stage::SettingUp { finder } if finder.is_gathering() => (
                LiveStage::SettingUp,
                "Hold still, both shins hanging straight down…".to_owned(),
                Vec::new(),
                None,
            ),
            Stage::SettingUp { .. } => (
                LiveStage::SettingUp,
                "Sit facing the camera, hips and knees bent to a right angle, both legs in view, and let the shins hang \
                 straight down."
                    .to_owned(),
                Vec::new(),
                None,
            ),
            Stage::Measuring { trials, counter, .. } => {
                let n = trials.len() + 1;
                let say = if counter.is_out() {
                    format!("Trial {n} of {TRIALS}: hold a moment at the end, then bring the foot back to the start.")
                } else {
                    format!(
                        "Trial {n} of {TRIALS}: turn your {side} foot out as far as it goes, keeping the knee and both \
                         sitting bones still."
                    )
                };
                (LiveStage::Measuring, say, trials.iter().map(|(d, _)| whole(*d)).collect(), None)
            }
            Stage::Done { estimate } => (
                LiveStage::Done,
                format!("Done: three turns of the {side} hip measured."),
                estimate.trials.iter().map(|d| whole(*d)).collect(),
                Some(estimate),
            ),
        };
        LiveScreen {
            stage,
            say,
            fix,
            degrees: angle.map(|a| whole(a.angle)),
            plus_minus_degrees: angle.map(|a| whole(a.uncertainty)),
            trials_degrees: trials,
            result: estimate.map(|e| format!("estimate {:.0}° ±{:.0}°", e.angle.get(), e.uncertainty.get())),
            estimate: estimate.map(|e| LiveEstimate {
                degrees: whole(e.angle),
                plus_minus_degrees: whole(e.uncertainty),
                trials_degrees: e.trials.iter().map(|d| whole(*d)).collect(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::synthetic::{Camera, Motion, Posture, Scenario};

    fn run(scenario: Scenario, side: Side) -> (LiveTest, Vec<LiveScreen>) {
        let (recording, _) = scenario.recording();
        let mut test = LiveTest::new(TestPosition::Seated, side, recording.image, recording.layout);
        let screens = recording.frames.iter().map(|f| test.frame(f.t_ms, &f.points, None)).collect();
        (test, screens)
    }

    #[test]
    fn calibrates_on_a_still_second_then_takes_three_trials_and_an_honest_estimate() {
        let scenario =
            Scenario { motion: Motion { side: Side::Right, reps: 3, ..Motion::default() }, ..Scenario::default() };
        let truth = scenario.recording().1.frames.iter().map(|f| f.truth[Side::Right as usize]).fold(0.0, f64::max);
        let (test, screens) = run(scenario, Side::Right);
        assert!(test.is_done(), "{:?}", screens.last());
        assert_eq!(screens[0].stage, LiveStage::SettingUp);
        assert!(screens.iter().any(|s| s.stage == LiveStage::Measuring && s.say.starts_with("Trial 2 of 3")));
        let last = screens.last().expect("screens");
        let estimate = last.estimate.as_ref().expect("an estimate");
        assert_eq!(estimate.trials_degrees.len(), 3);
        assert!(estimate.plus_minus_degrees >= 10, "never narrower than the camera's own ±10°");
        assert!(
            (estimate.degrees as f64 - truth).abs() <= estimate.plus_minus_degrees as f64,
            "{estimate:?} vs {truth}"
        );
        assert!(last.result.as_deref().is_some_and(|r| r.starts_with("estimate ")));
    }

    #[test]
    fn a_turned_camera_is_said_and_nothing_is_measured() {
        let scenario = Scenario { camera: Camera { yaw_deg: 35.0, ..Camera::default() }, ..Scenario::default() };
        let (test, screens) = run(scenario, Side::Right);
        assert!(!test.is_done());
        assert!(screens.iter().all(|s| s.stage == LiveStage::SettingUp && s.degrees.is_none()));
        let fix = screens.last().and_then(|s| s.fix.clone()).expect("a reason");
        assert!(fix.contains("place it straight in front of the thighs"), "{fix}");
    }

    #[test]
    fn a_turn_with_the_pelvis_hiking_is_not_counted_and_says_why() {
        // The hip hikes 6° at end range: every turn breaks the test, none is a trial.
        let scenario = Scenario {
            posture: Posture { pelvic_hike_deg: 6.0, ..Posture::default() },
            motion: Motion { side: Side::Left, reps: 3, ..Motion::default() },
            ..Scenario::default()
        };
        let (recording, _) = scenario.recording();
        let mut test = LiveTest::new(TestPosition::Seated, Side::Left, recording.image, recording.layout);
        let screens: Vec<LiveScreen> = recording.frames.iter().map(|f| test.frame(f.t_ms, &f.points, None)).collect();
        assert!(!test.is_done());
        assert!(screens.iter().all(|s| s.trials_degrees.is_empty()), "no hiked turn became a trial");
        assert!(
            screens.iter().any(|s| s.fix.as_deref().is_some_and(|f| f.contains("pelvis is tilted"))),
            "the reason is said"
        );
    }

    #[test]
    fn frames_going_back_in_time_change_nothing() {
        let scenario = Scenario::default();
        let (recording, _) = scenario.recording();
        let mut test = LiveTest::new(TestPosition::Seated, Side::Right, recording.image, recording.layout);
        let first = &recording.frames[5];
        test.frame(first.t_ms, &first.points, None);
        let again = test.frame(first.t_ms, &first.points, None);
        assert!(again.fix.as_deref().is_some_and(|f| f.contains("time")), "{again:?}");
    }
}
