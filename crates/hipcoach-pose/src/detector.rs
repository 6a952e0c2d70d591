//! Finding the person in a whole frame: BlazePose's detector, decoded as MediaPipe decodes it.
//!
//! The frame is letterboxed into the detector's 224×224 square (zeros around it, values −1 to 1).
//! Each of the 2,254 anchors guesses a box and four keypoints; the first two keypoints (hip
//! centre, and a point that fixes the body's size and direction) place the landmark model's crop.
//! Overlapping guesses are blended, weighted by their scores, as MediaPipe's weighted
//! non-maximum suppression does; only the best person is kept, since a test films one.

use crate::anchors::{self, INPUT};
use crate::error::PoseError;
use crate::image::{Border, RgbImage};
use crate::models::{DETECTOR, PoseModels};
use crate::region::{Point, Region};
use crate::sigmoid;
use ort::session::Session;
use ort::value::TensorRef;

/// The least score (after the sigmoid) a guess needs.
const MIN_SCORE: f32 = 0.5;
/// Guesses overlapping the best by more than this (intersection over union) are blended into it.
const BLEND_OVERLAP: f32 = 0.3;
/// Values per anchor: box centre x, y, width, height, then four keypoints' x, y.
const VALUES: usize = 12;

/// A person found in a frame, in the frame's pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Detection {
    /// How sure the detector is, 0–1.
    pub score: f32,
    /// The middle of the hips.
    pub hip_centre: Point,
    /// The point that sets the body's size and direction.
    pub alignment: Point,
}

impl Detection {
    /// The crop the landmark model looks at.
    pub fn region(&self) -> Region {
        Region::aligned(self.hip_centre, self.alignment)
    }
}

/// One anchor's decoded guess, in the letterboxed square's 0–1 coordinates.
#[derive(Debug, Clone, Copy)]
struct Guess {
    score: f32,
    /// Left, top, right, bottom.
    bounds: [f32; 4],
    hip_centre: (f32, f32),
    alignment: (f32, f32),
}

/// The detector, with its input buffer.
pub struct Detector {
    session: Session,
    anchors: Vec<(f32, f32)>,
    input: Vec<f32>,
}

impl Detector {
    /// Loads the detector model.
    pub fn new(models: &PoseModels, threads: usize) -> Result<Self, PoseError> {
        Ok(Self {
            session: models.session(DETECTOR, threads)?,
            anchors: anchors::centres(),
            input: vec![0.0; INPUT * INPUT * 3],
        })
    }

    /// The best person in the frame, if the detector is sure enough of one.
    pub fn detect(&mut self, image: &RgbImage) -> Result<Option<Detection>, PoseError> {
        let (width, height) = (image.width() as f32, image.height() as f32);
        let letterbox =
            Region { centre: Point { x: width / 2.0, y: height / 2.0 }, size: width.max(height), rotation: 0.0 };
        letterbox.crop(image, INPUT, (-1.0, 1.0), Border::Black, &mut self.input);
        let input = TensorRef::from_array_view(([1usize, INPUT, INPUT, 3], self.input.as_slice()))?;
        let outputs = self.session.run(ort::inputs![input])?;
        let (_, boxes) = outputs["Identity"].try_extract_tensor::<f32>()?;
        let (_, scores) = outputs["Identity_1"].try_extract_tensor::<f32>()?;
        if boxes.len() != self.anchors.len() * VALUES || scores.len() != self.anchors.len() {
            return Err(PoseError::Runtime("the detector's outputs have an unexpected shape".to_owned()));
        }
        let guesses = decode(&self.anchors, boxes, scores);
        Ok(blend_best(&guesses).map(|best| {
            let to_image = |(u, v): (f32, f32)| letterbox.to_image(u, v);
            Detection { score: best.score, hip_centre: to_image(best.hip_centre), alignment: to_image(best.alignment) }
        }))
    }
}

/// Every guess scoring at least [`MIN_SCORE`].
fn decode(anchors: &[(f32, f32)], boxes: &[f32], scores: &[f32]) -> Vec<Guess> {
    let scale = INPUT as f32;
    anchors
        .iter()
        .zip(boxes.chunks_exact(VALUES))
        .zip(scores)
        .filter_map(|((&(ax, ay), raw), &score)| {
            let score = sigmoid(score.clamp(-100.0, 100.0));
            (score >= MIN_SCORE).then(|| {
                let (cx, cy) = (raw[0] / scale + ax, raw[1] / scale + ay);
                let (w, h) = (raw[2] / scale, raw[3] / scale);
                let point = |k: usize| (raw[4 + 2 * k] / scale + ax, raw[5 + 2 * k] / scale + ay);
                Guess {
                    score,
                    bounds: [cx - w / 2.0, cy - h / 2.0, cx + w / 2.0, cy + h / 2.0],
                    hip_centre: point(0),
                    alignment: point(1),
                }
            })
        })
        .collect()
}

fn overlap(a: &[f32; 4], b: &[f32; 4]) -> f32 {
    let w = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let h = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    let intersection = w * h;
    let union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - intersection;
    if union > 0.0 { intersection / union } else { 0.0 }
}

/// The best guess, its points averaged with every guess overlapping it, weighted by score.
fn blend_best(guesses: &[Guess]) -> Option<Guess> {
    let best = guesses.iter().max_by(|a, b| a.score.total_cmp(&b.score))?;
    let group: Vec<&Guess> = guesses.iter().filter(|g| overlap(&g.bounds, &best.bounds) > BLEND_OVERLAP).collect();
    let total: f32 = group.iter().map(|g| g.score).sum();
    let mean = |pick: fn(&Guess) -> (f32, f32)| {
        let (x, y) = group.iter().fold((0.0, 0.0), |(x, y), g| (x + pick(g).0 * g.score, y + pick(g).1 * g.score));
        (x / total, y / total)
    };
    Some(Guess { hip_centre: mean(|g| g.hip_centre), alignment: mean(|g| g.alignment), ..*best })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(anchor: usize, dx: f32, score: f32, boxes: &mut [f32], scores: &mut [f32]) {
        let r = &mut boxes[anchor * VALUES..][..VALUES];
        r.copy_from_slice(&[dx, 0.0, 44.8, 44.8, dx, 0.0, dx, -22.4, 0.0, 0.0, 0.0, 0.0]);
        scores[anchor] = score;
    }

    #[test]
    fn decodes_offsets_from_the_anchor_and_blends_overlapping_guesses_by_score() {
        let anchors = anchors::centres();
        let mut boxes = vec![0.0; anchors.len() * VALUES];
        let mut scores = vec![-10.0; anchors.len()];
        // Two guesses on the same anchor cell, 2.24 px apart at the input's scale (0.01).
        raw(0, 0.0, 3.0, &mut boxes, &mut scores);
        raw(1, 2.24, 3.0, &mut boxes, &mut scores);
        // One far away, weaker, not overlapping.
        raw(2253, 0.0, 1.0, &mut boxes, &mut scores);
        let guesses = decode(&anchors, &boxes, &scores);
        assert_eq!(guesses.len(), 3, "scores below 0.5 after the sigmoid are dropped");
        let best = blend_best(&guesses).unwrap();
        let (ax, ay) = anchors[0];
        assert!((best.hip_centre.0 - (ax + 0.005)).abs() < 1e-6, "{best:?}");
        assert!((best.hip_centre.1 - ay).abs() < 1e-6);
        assert!((best.alignment.1 - (ay - 0.1)).abs() < 1e-6);
        assert!((best.score - sigmoid(3.0)).abs() < 1e-6);
    }

    #[test]
    fn no_guess_no_person() {
        assert!(blend_best(&[]).is_none());
        let anchors = anchors::centres();
        assert!(decode(&anchors, &vec![0.0; anchors.len() * VALUES], &vec![-1.0; anchors.len()]).is_empty());
    }

    #[test]
    fn overlap_is_intersection_over_union() {
        assert_eq!(overlap(&[0.0, 0.0, 1.0, 1.0], &[0.0, 0.0, 1.0, 1.0]), 1.0);
        assert_eq!(overlap(&[0.0, 0.0, 1.0, 1.0], &[2.0, 2.0, 3.0, 3.0]), 0.0);
        assert!((overlap(&[0.0, 0.0, 2.0, 1.0], &[1.0, 0.0, 3.0, 1.0]) - 1.0 / 3.0).abs() < 1e-6);
    }
}
