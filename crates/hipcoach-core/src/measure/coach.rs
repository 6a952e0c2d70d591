//! The camera as a coach during a guided set: it watches the working leg and tells the session
//! engine what it saw — a whole rep, the leg at or away from the end of the range, a rule of the
//! movement broken — as [`CameraEvent`]s, the same way a tap tells it "skip". The engine decides
//! what those mean for the set (reps end when the camera sees them, a hold's clock runs only at
//! end range, the cue to say); this only watches.
//!
//! It calibrates once on a still neutral second, as the live measurement does, then follows the
//! side and task the engine's screen names ([`CameraWatch`]). When it cannot see the legs for a
//! few seconds it says so ([`CameraEvent::Off`]) and the timer paces the set again, so a person
//! who walks out of the picture is never left waiting on a camera.

use super::live::{BROKEN_MS, EXPECTED_END_RANGE, breaks_the_test};
use super::{
    AnalysisConfig, Analyzer, CannotMeasure, Frame, ImageSize, Keypoint, Layout, NeutralFinder, RepCounter,
    RepThresholds, TestPosition,
};
use crate::units::Side;
use serde::{Deserialize, Serialize};

/// How long the legs may go unmeasured before the camera stops pacing the set, ms.
const LOST_MS: i64 = 3_000;
/// The most frames of one turn kept to time its pause at end range (a minute at 30 frames a
/// second; a longer turn keeps its first minute).
const MAX_TURN_FRAMES: usize = 1_800;

/// What the camera does in the step under way.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum CameraTask {
    /// Count the reps of a set.
    Reps,
    /// Time a hold at the end of the range.
    Hold,
}

/// What the camera should watch now, as the session's screen names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CameraWatch {
    /// The test position the exercise is done in.
    pub position: TestPosition,
    /// The working leg.
    pub side: Side,
    /// Reps or a hold.
    pub task: CameraTask,
}

/// A rule of the movement the camera saw broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum FormFault {
    /// The pelvis tilted: a sitting bone (or, lying, a hip) lifting to fake more turn.
    PelvisHiking,
    /// The knee moved sideways: the thigh turning instead of the shin.
    KneeDrifting,
}

/// What the camera saw, for the session engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum CameraEvent {
    /// Calibrated and seeing the legs: sets follow the camera.
    On,
    /// Switched off, or the legs out of sight for a few seconds: the timer paces sets again.
    Off,
    /// One whole rep, out and back.
    Rep {
        /// From leaving the start to coming back, ms.
        ms: u32,
        /// How long the leg stayed near its furthest point, ms.
        held_ms: u32,
    },
    /// The leg reached the end of the range.
    AtEndRange,
    /// The leg left the end of the range.
    LeftEndRange,
    /// A rule of the movement broken for a third of a second during a watched set (said at
    /// most once every five seconds).
    Fault {
        /// Which.
        fault: FormFault,
    },
}

/// What the page shows beside the camera after a frame.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoachScreen {
    /// What the camera saw in this frame, in order, for the session engine.
    pub events: Vec<CameraEvent>,
    /// The camera's state in a sentence.
    pub say: String,
    /// What to fix when this frame could not be measured.
    pub fix: Option<String>,
    /// The working hip's angle in this frame, whole degrees, when measured.
    pub degrees: Option<i64>,
    /// Whether the camera is calibrated and seeing the legs (the set follows it).
    pub watching: bool,
}

/// A broken rule said at most this often, ms: about once a rep is coaching, more is nagging.
const FAULT_EVERY_MS: i64 = 5_000;

/// The turn under way.
#[derive(Debug, Clone, Default)]
struct Turn {
    /// Its measured frames: time and angle.
    frames: Vec<(i64, f64)>,
}

impl Turn {
    /// How long the leg stayed near the turn's furthest point: from the first to the last frame
    /// within 15 % (at least 3°) of it.
    fn held_ms(&self) -> u32 {
        let peak = self.frames.iter().map(|f| f.1).fold(f64::MIN, f64::max);
        let near = peak - (0.15 * peak).max(3.0);
        let mut close = self.frames.iter().filter(|f| f.1 >= near).map(|f| f.0);
        let first = close.next();
        let last = close.next_back().or(first);
        u32::try_from(last.zip(first).map_or(0, |(l, f)| l - f)).unwrap_or(0)
    }
}

/// Watches one person through a guided session.
#[derive(Debug, Clone)]
pub struct CameraCoach {
    config: AnalysisConfig,
    layout: Layout,
    finder: NeutralFinder,
    analyzer: Option<Analyzer>,
    watch: Option<CameraWatch>,
    counter: RepCounter,
    turn: Turn,
    at_end: bool,
    on: bool,
    /// The last frame in which the legs were seen (measured, or seen breaking a rule).
    last_seen_ms: Option<i64>,
    /// Since when every frame has broken a rule of the movement.
    breaking_since_ms: Option<i64>,
    /// When a fault was last said.
    last_fault_ms: Option<i64>,
    last_t_ms: Option<i64>,
}

fn new_counter() -> RepCounter {
    RepCounter::new(RepThresholds::for_end_range(EXPECTED_END_RANGE))
}

impl CameraCoach {
    /// A coach for exercises in `position`, from frames of `image`'s size in `layout`; it
    /// calibrates on the first still neutral second it sees.
    pub fn new(position: TestPosition, image: ImageSize, layout: Layout) -> Self {
        let config = AnalysisConfig::new(position, image);
        Self {
            config,
            layout,
            finder: NeutralFinder::new(config, layout),
            analyzer: None,
            watch: None,
            counter: new_counter(),
            turn: Turn::default(),
            at_end: false,
            on: false,
            last_seen_ms: None,
            breaking_since_ms: None,
            last_fault_ms: None,
            last_t_ms: None,
        }
    }

    /// The test position it watches.
    pub fn position(&self) -> TestPosition {
        self.config.position
    }

    /// The size of the pictures it reads.
    pub fn image(&self) -> ImageSize {
        self.config.image
    }

    /// The next frame's keypoints (frames in time order) and the picture's mean brightness (0 to
    /// 1, when the page measured it) while the screen asks it to `watch` (nothing between sets).
    pub fn frame(
        &mut self,
        t_ms: i64,
        points: &[Keypoint],
        brightness: Option<f64>,
        watch: Option<CameraWatch>,
    ) -> CoachScreen {
        let mut screen =
            CoachScreen { events: Vec::new(), say: String::new(), fix: None, degrees: None, watching: false };
        if self.last_t_ms.is_some_and(|last| t_ms <= last) {
            screen.fix = Some(CannotMeasure::TimeWentBack.to_string());
            screen.watching = self.on;
            return screen;
        }
        self.last_t_ms = Some(t_ms);
        let frame = Frame { t_ms, layout: self.layout, points };
        let Some(analyzer) = &mut self.analyzer else {
            match self.finder.frame(&frame, brightness) {
                Ok(Some(calibration)) => {
                    self.analyzer = Some(Analyzer::with_calibration(self.config, calibration));
                    self.on = true;
                    self.last_seen_ms = Some(t_ms);
                    screen.events.push(CameraEvent::On);
                    screen.say = "Camera ready: it counts your reps and times your holds.".into();
                    screen.watching = true;
                }
                Ok(None) if self.finder.is_gathering() => screen.say = "Hold still…".into(),
                Ok(None) => screen.say = set_up(self.config.position).into(),
                Err(reason) => {
                    screen.say = set_up(self.config.position).into();
                    screen.fix = Some(reason);
                }
            }
            return screen;
        };
        if watch != self.watch {
            // A new set, side or task: its count starts at nothing.
            self.watch = watch;
            self.counter = new_counter();
            self.turn = Turn::default();
            if std::mem::take(&mut self.at_end) {
                screen.events.push(CameraEvent::LeftEndRange);
            }
        }
        let seen = analyzer.analyze(&frame);
        let Some(watch) = watch else {
            screen.say = "Camera ready for the next inward-turning set.".into();
            screen.watching = self.on;
            return screen;
        };
        match seen.side(watch.side) {
            Ok(angle) => {
                self.last_seen_ms = Some(t_ms);
                self.breaking_since_ms = None;
                if !self.on {
                    self.on = true;
                    screen.events.push(CameraEvent::On);
                }
                let a = angle.angle.get();
                screen.degrees = Some(a.round() as i64);
                let rep = self.counter.update(t_ms, angle.angle);
                if self.counter.is_out() && self.turn.frames.len() < MAX_TURN_FRAMES {
                    self.turn.frames.push((t_ms, a));
                }
                if let Some(rep) = rep {
                    let ms = u32::try_from(rep.ended_ms - rep.started_ms).unwrap_or(u32::MAX);
                    screen.events.push(CameraEvent::Rep { ms, held_ms: self.turn.held_ms() });
                    self.turn = Turn::default();
                }
                if watch.task == CameraTask::Hold && self.counter.is_out() != self.at_end {
                    self.at_end = self.counter.is_out();
                    screen.events.push(if self.at_end { CameraEvent::AtEndRange } else { CameraEvent::LeftEndRange });
                }
            }
            Err(reason) => {
                if breaks_the_test(reason) {
                    // The legs are in view, doing something the movement does not allow.
                    self.last_seen_ms = Some(t_ms);
                    let since = *self.breaking_since_ms.get_or_insert(t_ms);
                    let fault = match reason {
                        CannotMeasure::PelvisTilted { .. } => Some(FormFault::PelvisHiking),
                        CannotMeasure::ThighMoved { .. } => Some(FormFault::KneeDrifting),
                        _ => None,
                    };
                    let due = self.last_fault_ms.is_none_or(|said| t_ms - said >= FAULT_EVERY_MS);
                    if let Some(fault) = fault.filter(|_| t_ms - since >= BROKEN_MS && due) {
                        self.last_fault_ms = Some(t_ms);
                        screen.events.push(CameraEvent::Fault { fault });
                    }
                } else {
                    self.breaking_since_ms = None;
                }
                if self.on && self.last_seen_ms.is_some_and(|seen| t_ms - seen >= LOST_MS) {
                    self.on = false;
                    if std::mem::take(&mut self.at_end) {
                        screen.events.push(CameraEvent::LeftEndRange);
                    }
                    screen.events.push(CameraEvent::Off);
                }
                screen.fix = Some(reason.to_string());
            }
        }
        screen.watching = self.on;
        screen.say = match (self.on, watch.task) {
            (false, _) => "The camera cannot see the leg well enough: the timer paces the set until it can.".into(),
            (true, CameraTask::Reps) => {
                format!("Watching your {} leg: {} reps seen.", watch.side, self.counter.count())
            }
            (true, CameraTask::Hold) if self.at_end => format!("Watching your {} leg: holding.", watch.side),
            (true, CameraTask::Hold) => format!("Watching your {} leg: turn in to start the hold.", watch.side),
        };
        screen
    }
}

/// How to give the camera its neutral, per position.
fn set_up(position: TestPosition) -> &'static str {
    match position {
        TestPosition::Seated => {
            "To set the camera up, sit facing it with both legs in view, hips and knees bent to a right angle, and \
             let the shins hang straight down for a second."
        }
        TestPosition::Prone => {
            "To set the camera up, lie face down with both legs in view and both knees bent to a right angle, shins \
             straight up, and hold still for a second."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::synthetic::{Motion, Posture, Scenario};
    use crate::measure::{Keypoint, Recording};

    fn watch(side: Side, task: CameraTask) -> Option<CameraWatch> {
        Some(CameraWatch { position: TestPosition::Seated, side, task })
    }

    /// Every event of a synthetic set watched from its first frame.
    fn events(scenario: Scenario, watching: Option<CameraWatch>) -> Vec<CameraEvent> {
        let (recording, _) = scenario.recording();
        let mut coach = CameraCoach::new(TestPosition::Seated, recording.image, recording.layout);
        recording.frames.iter().flat_map(|f| coach.frame(f.t_ms, &f.points, None, watching).events).collect()
    }

    fn set(side: Side, reps: u32) -> Scenario {
        Scenario { motion: Motion { side, reps, ..Motion::default() }, ..Scenario::default() }
    }

    #[test]
    fn calibrates_then_sees_every_rep_with_its_time_and_its_pause() {
        let seen = events(set(Side::Right, 5), watch(Side::Right, CameraTask::Reps));
        assert_eq!(seen.first(), Some(&CameraEvent::On), "{seen:?}");
        let reps: Vec<(u32, u32)> = seen
            .iter()
            .filter_map(|e| if let CameraEvent::Rep { ms, held_ms } = e { Some((*ms, *held_ms)) } else { None })
            .collect();
        assert_eq!(reps.len(), 5, "{seen:?}");
        // 2 s out, 1 s held, 2 s back: the rep reads about 5 s, the pause about 1 s or a bit more.
        for (ms, held_ms) in reps {
            assert!((3_800..=5_600).contains(&ms), "{ms}");
            assert!((700..=2_200).contains(&held_ms), "{held_ms}");
        }
        assert!(!seen.contains(&CameraEvent::Off));
    }

    #[test]
    fn the_other_leg_turning_is_not_counted() {
        let seen = events(set(Side::Right, 3), watch(Side::Left, CameraTask::Reps));
        assert!(!seen.iter().any(|e| matches!(e, CameraEvent::Rep { .. })), "{seen:?}");
    }

    #[test]
    fn a_hold_is_reported_at_and_away_from_end_range() {
        let seen = events(set(Side::Left, 2), watch(Side::Left, CameraTask::Hold));
        let moves: Vec<&CameraEvent> =
            seen.iter().filter(|e| matches!(e, CameraEvent::AtEndRange | CameraEvent::LeftEndRange)).collect();
        assert_eq!(
            moves,
            [
                &CameraEvent::AtEndRange,
                &CameraEvent::LeftEndRange,
                &CameraEvent::AtEndRange,
                &CameraEvent::LeftEndRange
            ]
        );
    }

    #[test]
    fn a_pelvis_hiking_at_end_range_is_reported_once_per_turn() {
        // The same three turns, the hip hiking 6° whenever the shin is past 12°.
        let level = set(Side::Left, 3);
        let hiking = Scenario { posture: Posture { pelvic_hike_deg: 6.0, ..Posture::default() }, ..level };
        let ((level, truth), (hiking, _)) = (level.recording(), hiking.recording());
        let mut coach = CameraCoach::new(TestPosition::Seated, level.image, level.layout);
        let mut seen = Vec::new();
        for ((flat, hiked), truth) in level.frames.iter().zip(&hiking.frames).zip(&truth.frames) {
            let frame = if truth.truth[Side::Left as usize] > 12.0 { hiked } else { flat };
            seen.extend(coach.frame(frame.t_ms, &frame.points, None, watch(Side::Left, CameraTask::Reps)).events);
        }
        let hikes = seen.iter().filter(|e| **e == CameraEvent::Fault { fault: FormFault::PelvisHiking }).count();
        assert_eq!(hikes, 3, "{seen:?}");
        assert!(!seen.contains(&CameraEvent::Off), "a hiking pelvis is seen, not lost: {seen:?}");
    }

    #[test]
    fn losing_sight_of_the_legs_hands_the_set_back_to_the_timer_and_seeing_them_again_takes_it_back() {
        let (recording, _) = set(Side::Right, 1).recording();
        let mut coach = CameraCoach::new(TestPosition::Seated, recording.image, recording.layout);
        let watching = watch(Side::Right, CameraTask::Reps);
        let mut seen = Vec::new();
        for f in recording.frames.iter().take(45) {
            seen.extend(coach.frame(f.t_ms, &f.points, None, watching).events);
        }
        assert_eq!(seen, [CameraEvent::On]);
        let nobody = vec![Keypoint { x: 0.0, y: 0.0, z: None, visibility: 0.0 }; 33];
        let last = recording.frames[44].t_ms;
        let gone: Vec<CoachScreen> = (1..=100).map(|i| coach.frame(last + i * 33, &nobody, None, watching)).collect();
        assert!(gone.iter().all(|s| s.fix.is_some()));
        let off_at = gone.iter().position(|s| s.events.contains(&CameraEvent::Off)).expect("off");
        assert!((88..=92).contains(&off_at), "after about 3 s: {off_at}");
        assert!(!gone.last().is_some_and(|s| s.watching));
        let back = recording.frames[0].points.clone();
        let again = coach.frame(last + 101 * 33, &back, None, watching);
        assert_eq!(again.events, [CameraEvent::On]);
    }

    #[test]
    fn the_same_frames_from_a_keypoint_file_give_the_same_events() {
        // The page sends each frame as the keypoint file holds it: the same events either way.
        let (recording, _) = set(Side::Right, 2).recording();
        let parsed = Recording::from_json(&recording.to_json()).expect("reads back");
        let run = |r: &Recording| {
            let mut coach = CameraCoach::new(TestPosition::Seated, r.image, r.layout);
            r.frames
                .iter()
                .flat_map(|f| coach.frame(f.t_ms, &f.points, None, watch(Side::Right, CameraTask::Reps)).events)
                .collect::<Vec<_>>()
        };
        assert_eq!(run(&recording), run(&parsed));
    }
}
