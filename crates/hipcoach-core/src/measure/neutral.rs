//! Finding the neutral on a live camera: a second of stillness, both legs in a view that passes
//! the checks, both shins hanging straight. The live measurement and the camera coach both
//! calibrate on it, so both ask for the same thing in the same words.
//!
//! Setting up also checks what only matters before the first turn: enough light for the pose
//! model, and a seated test's camera not looking down on the legs from far above knee height.

use super::{AnalysisConfig, Analyzer, Calibration, Frame, Joint, Keypoint, Landmark, Layout, TestPosition};
use crate::units::Side;

/// How long the person must sit still with the view passing before calibrating, ms.
const STILL_MS: i64 = 1_000;
/// How far either shin may wander while "still", degrees.
const STILL_DEG: f64 = 3.0;
/// The darkest picture (mean brightness, 0 black to 1 white) set-up accepts: below it the pose
/// model's keypoints turn uncertain and jump.
const MIN_BRIGHTNESS: f64 = 0.12;
/// How far below the hips the knees may appear, as a share of the shin's length, before the
/// camera counts as looking down from too high. Level thighs seen from knee height read about 0
/// on exact joints and about 0.2 through BlazePose (its hip point sits high); a camera 0.9 m
/// above the knees at 1.5 m reads about 0.5 on exact joints. Generous on purpose: a camera on
/// a table (0.3 m above the knees) measured as well as one at knee height on rendered people.
const MAX_THIGH_DROP: f64 = 0.6;

/// Collects still frames until a neutral can be taken from them.
#[derive(Debug, Clone)]
pub struct NeutralFinder {
    config: AnalysisConfig,
    layout: Layout,
    analyzer: Analyzer,
    still: Vec<(i64, Vec<Keypoint>)>,
    /// Both shins' angles on the first still frame.
    first: Option<[f64; 2]>,
}

impl NeutralFinder {
    /// A finder for frames of `config`'s test and image, in `layout`.
    pub fn new(config: AnalysisConfig, layout: Layout) -> Self {
        Self { config, layout, analyzer: Analyzer::new(config), still: Vec::new(), first: None }
    }

    /// Whether a still stretch is under way: the person is in view and should keep still.
    pub fn is_gathering(&self) -> bool {
        !self.still.is_empty()
    }

    /// Feeds one frame (frames in time order) and the picture's mean `brightness` (0 black to
    /// 1 white) when the page measured it: the calibration once a still second has passed,
    /// `Ok(None)` while gathering, or what to fix when the frame fails the view checks.
    pub fn frame(&mut self, frame: &Frame<'_>, brightness: Option<f64>) -> Result<Option<Calibration>, String> {
        let seen = self.analyzer.analyze(frame);
        let checked = match (&seen.left, &seen.right) {
            _ if brightness.is_some_and(|b| b < MIN_BRIGHTNESS) => Err(
                "the picture is too dark to see the legs well: turn on a light or face a window (light from behind the \
                 camera works best)"
                    .to_owned(),
            ),
            (Ok(_), Ok(_)) if self.looks_down_from_high(frame) => {
                Err("the camera looks down on the legs from too high: lower it to about knee height".to_owned())
            }
            (Ok(left), Ok(right)) => Ok([left.angle.get(), right.angle.get()]),
            (Err(reason), _) | (_, Err(reason)) => Err(reason.to_string()),
        };
        let angles = match checked {
            Ok(angles) => angles,
            Err(reason) => {
                self.still.clear();
                self.first = None;
                return Err(reason);
            }
        };
        let moved = self.first.is_some_and(|first| first.iter().zip(angles).any(|(a, b)| (a - b).abs() > STILL_DEG));
        if moved {
            // The still second starts again from here.
            self.still.clear();
            self.first = None;
        }
        self.first.get_or_insert(angles);
        self.still.push((frame.t_ms, frame.points.to_vec()));
        let span = self.still.last().map_or(0, |l| l.0) - self.still.first().map_or(0, |f| f.0);
        if span < STILL_MS {
            return Ok(None);
        }
        let frames: Vec<Frame<'_>> =
            self.still.iter().map(|(t_ms, points)| Frame { t_ms: *t_ms, layout: self.layout, points }).collect();
        let calibration = Calibration::from_frames(&self.config, &frames);
        self.still.clear();
        self.first = None;
        calibration.map(Some).map_err(|error| error.to_string())
    }

    /// Whether a seated test's knees appear far below the hips: the camera high above knee
    /// height, looking down along the thighs (which also shortens the shins' swing).
    fn looks_down_from_high(&self, frame: &Frame<'_>) -> bool {
        if self.config.position != TestPosition::Seated {
            return false;
        }
        let (width, height) = (self.config.image.width(), self.config.image.height());
        let at = |joint, side| {
            let point = frame.points[self.layout.index(Landmark { joint, side })];
            (f64::from(point.x) * width, f64::from(point.y) * height)
        };
        let drops: Vec<f64> = Side::BOTH
            .into_iter()
            .filter_map(|side| {
                let (hip, knee, ankle) = (at(Joint::Hip, side), at(Joint::Knee, side), at(Joint::Ankle, side));
                let shin = (ankle.0 - knee.0).hypot(ankle.1 - knee.1);
                (shin > 0.0).then(|| (knee.1 - hip.1) / shin)
            })
            .collect();
        !drops.is_empty() && drops.iter().sum::<f64>() / drops.len() as f64 > MAX_THIGH_DROP
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::Recording;
    use crate::measure::synthetic::{Camera, Scenario};

    /// What set-up says over the first two still seconds of a view, at a brightness.
    fn set_up(camera: Camera, brightness: Option<f64>) -> Result<Option<Calibration>, String> {
        let (recording, _) = Scenario { camera, ..Scenario::default() }.recording();
        let config = AnalysisConfig::new(TestPosition::Seated, recording.image);
        let mut finder = NeutralFinder::new(config, recording.layout);
        let mut last = Ok(None);
        for frame in recording.frames.iter().take_while(|f| f.t_ms <= 1_000) {
            last = finder.frame(&frame.frame(recording.layout), brightness);
            if matches!(last, Ok(Some(_))) {
                break;
            }
        }
        last
    }

    #[test]
    fn a_still_second_in_a_good_view_calibrates() {
        assert!(matches!(set_up(Camera::default(), Some(0.45)), Ok(Some(_))));
        assert!(matches!(set_up(Camera::default(), None), Ok(Some(_))), "no brightness measured: no check");
    }

    #[test]
    fn a_dark_picture_says_to_add_light() {
        let said = set_up(Camera::default(), Some(0.05)).expect_err("refused");
        assert!(said.contains("too dark") && said.contains("light"), "{said}");
    }

    #[test]
    fn a_camera_high_above_the_knees_says_to_lower_it_and_a_table_top_one_is_fine() {
        let high = Camera { height: 2.0, distance: 1.5, ..Camera::default() };
        let said = set_up(high, None).expect_err("refused");
        assert!(said.contains("lower it to about knee height"), "{said}");
        let table = Camera { height: 0.8, ..Camera::default() };
        assert!(matches!(set_up(table, None), Ok(Some(_))));
        let floor = Camera { height: 0.05, ..Camera::default() };
        assert!(matches!(set_up(floor, None), Ok(Some(_))), "a phone on the floor is fine");
    }

    #[test]
    fn a_live_frame_carries_its_brightness_and_refuses_one_out_of_range() {
        let points = vec!["[0.5, 0.5, 0.9]"; 33].join(", ");
        let frame = |brightness: &str| format!(r#"{{"t_ms": 5, "keypoints": [{points}]{brightness}}}"#);
        let live = Recording::frame_from_json(&frame(r#", "brightness": 0.4"#), Layout::BlazePose33).expect("reads");
        assert_eq!(live.brightness, Some(0.4));
        assert_eq!(Recording::frame_from_json(&frame(""), Layout::BlazePose33).expect("reads").brightness, None);
        let wrong = Recording::frame_from_json(&frame(r#", "brightness": 1.5"#), Layout::BlazePose33).expect_err("no");
        assert!(wrong.to_string().contains("0 (black) to 1 (white)"), "{wrong}");
        let extra = Recording::frame_from_json(&frame(r#", "colour": 1"#), Layout::BlazePose33).expect_err("no");
        assert!(extra.to_string().contains("colour"), "{extra}");
    }
}
