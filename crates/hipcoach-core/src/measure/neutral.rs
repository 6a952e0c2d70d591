//! Finding the neutral on a live camera: a second of stillness, both legs in a view that passes
//! the checks, both shins hanging straight. The live measurement and the camera coach both
//! calibrate on it, so both ask for the same thing in the same words.

use super::{AnalysisConfig, Analyzer, Calibration, Frame, Keypoint, Layout};

/// How long the person must sit still with the view passing before calibrating, ms.
const STILL_MS: i64 = 1_000;
/// How far either shin may wander while "still", degrees.
const STILL_DEG: f64 = 3.0;

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

    /// Feeds one frame (frames in time order): the calibration once a still second has passed,
    /// `Ok(None)` while gathering, or what to fix when the frame fails the view checks.
    pub fn frame(&mut self, frame: &Frame<'_>) -> Result<Option<Calibration>, String> {
        let seen = self.analyzer.analyze(frame);
        let angles = match (&seen.left, &seen.right) {
            (Ok(left), Ok(right)) => [left.angle.get(), right.angle.get()],
            (Err(reason), _) | (_, Err(reason)) => {
                self.still.clear();
                self.first = None;
                return Err(reason.to_string());
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
}
