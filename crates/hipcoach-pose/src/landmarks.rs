//! The 33 body landmarks inside a crop: BlazePose's full landmark model, decoded as MediaPipe
//! decodes it.
//!
//! The crop is resampled to 256×256 (values 0 to 1; beyond the frame, the edge pixels repeated,
//! as MediaPipe's image-to-tensor step does by default). The model gives 39 points (the 33 landmarks,
//! then the hip centre and alignment point that place the next frame's crop, and four more), each
//! with x, y, depth, a visibility and a presence logit, a score that a person is in the crop at
//! all, and a heatmap per point. As in MediaPipe, each point is moved to the centre of mass of its
//! heatmap nearby when the heatmap is confident there, which steadies the points frame to frame.

use crate::error::PoseError;
use crate::image::{Border, RgbImage};
use crate::models::{LANDMARKS, PoseModels};
use crate::region::{Point, Region};
use crate::sigmoid;
use hipcoach_core::measure::Keypoint;
use ort::session::Session;
use ort::value::TensorRef;

/// The landmark model's input side, in pixels.
const INPUT: usize = 256;
/// Points the model gives, and the values per point.
const POINTS: usize = 39;
const VALUES: usize = 5;
/// The body's landmarks among them.
pub const BODY: usize = 33;
/// The heatmap's side and the window searched around each point (MediaPipe's kernel of 7).
const HEATMAP: usize = 64;
const WINDOW: usize = 7;
/// A heatmap must be at least this sure somewhere in the window to move the point.
const REFINE_CONFIDENCE: f32 = 0.5;

/// What the landmark model saw in one crop.
#[derive(Debug, Clone, PartialEq)]
pub struct Landmarks {
    /// How sure the model is that a person fills the crop, 0–1.
    pub presence: f32,
    /// The 33 landmarks, in normalised image coordinates.
    pub body: Vec<Keypoint>,
    /// The crop for the next frame, from the model's own alignment points.
    pub next: Region,
}

/// The landmark model, with its input buffer.
pub struct Landmarker {
    session: Session,
    input: Vec<f32>,
}

impl Landmarker {
    /// Loads the full landmark model.
    pub fn new(models: &PoseModels, threads: usize) -> Result<Self, PoseError> {
        Ok(Self { session: models.session(LANDMARKS, threads)?, input: vec![0.0; INPUT * INPUT * 3] })
    }

    /// The landmarks inside `region` of the frame.
    pub fn run(&mut self, image: &RgbImage, region: &Region) -> Result<Landmarks, PoseError> {
        region.crop(image, INPUT, (0.0, 1.0), Border::Edge, &mut self.input);
        let input = TensorRef::from_array_view(([1usize, INPUT, INPUT, 3], self.input.as_slice()))?;
        let outputs = self.session.run(ort::inputs![input])?;
        let (_, raw) = outputs["Identity"].try_extract_tensor::<f32>()?;
        let (_, presence) = outputs["Identity_1"].try_extract_tensor::<f32>()?;
        let (_, heatmap) = outputs["Identity_3"].try_extract_tensor::<f32>()?;
        if raw.len() != POINTS * VALUES || presence.len() != 1 || heatmap.len() != HEATMAP * HEATMAP * POINTS {
            return Err(PoseError::Runtime("the landmark model's outputs have an unexpected shape".to_owned()));
        }
        Ok(decode(raw, presence[0], heatmap, region, image.width() as f32, image.height() as f32))
    }

    /// The model's raw landmark output (39 points × x, y, depth, visibility, presence, in the
    /// crop's pixels) for a crop already prepared (`256 × 256 × 3`, values 0–1): for comparing
    /// with other runtimes on identical inputs.
    pub fn infer(&mut self, crop: &[f32]) -> Result<Vec<f32>, PoseError> {
        let input = TensorRef::from_array_view(([1usize, INPUT, INPUT, 3], crop))?;
        let outputs = self.session.run(ort::inputs![input])?;
        Ok(outputs["Identity"].try_extract_tensor::<f32>()?.1.to_vec())
    }
}

/// Turns the model's outputs into image landmarks.
fn decode(raw: &[f32], presence: f32, heatmap: &[f32], region: &Region, width: f32, height: f32) -> Landmarks {
    let scale = INPUT as f32;
    let mut crop_points: Vec<(f32, f32)> = raw.chunks_exact(VALUES).map(|p| (p[0] / scale, p[1] / scale)).collect();
    for (index, point) in crop_points.iter_mut().enumerate() {
        if let Some(refined) = refine(heatmap, index, *point) {
            *point = refined;
        }
    }
    let in_image: Vec<Point> = crop_points.iter().map(|&(u, v)| region.to_image(u, v)).collect();
    let body = raw
        .chunks_exact(VALUES)
        .zip(&in_image)
        .take(BODY)
        .map(|(p, at)| Keypoint {
            x: at.x / width,
            y: at.y / height,
            // Depth comes on the crop's scale; bring it to the image's width, like x.
            z: Some(p[2] / scale * region.size / width),
            visibility: sigmoid(p[3]),
        })
        .collect();
    Landmarks { presence, body, next: Region::aligned(in_image[BODY], in_image[BODY + 1]) }
}

/// The centre of mass of point `index`'s heatmap in a window around where the model put it, when
/// the heatmap is confident there (MediaPipe's heatmap refinement, to the same rounding).
fn refine(heatmap: &[f32], index: usize, (u, v): (f32, f32)) -> Option<(f32, f32)> {
    let side = HEATMAP as isize;
    let (column, row) = ((u * HEATMAP as f32) as isize, (v * HEATMAP as f32) as isize);
    if !(0..side).contains(&column) || !(0..side).contains(&row) {
        return None;
    }
    let reach = (WINDOW / 2) as isize;
    let (mut sum, mut most, mut at_column, mut at_row) = (0.0f32, 0.0f32, 0.0f32, 0.0f32);
    for r in (row - reach).max(0)..(row + reach + 1).min(side) {
        for c in (column - reach).max(0)..(column + reach + 1).min(side) {
            let confidence = sigmoid(heatmap[(r * side + c) as usize * POINTS + index]);
            sum += confidence;
            most = most.max(confidence);
            at_column += c as f32 * confidence;
            at_row += r as f32 * confidence;
        }
    }
    (most >= REFINE_CONFIDENCE && sum > 0.0).then(|| (at_column / HEATMAP as f32 / sum, at_row / HEATMAP as f32 / sum))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn region() -> Region {
        Region { centre: Point { x: 320.0, y: 240.0 }, size: 256.0, rotation: 0.0 }
    }

    #[test]
    fn projects_points_from_the_crop_into_the_image() {
        let mut raw = vec![0.0; POINTS * VALUES];
        // Landmark 0 at the crop's centre, fully visible; the alignment points upright.
        raw[..5].copy_from_slice(&[128.0, 128.0, 12.8, 10.0, 10.0]);
        raw[BODY * VALUES..][..2].copy_from_slice(&[128.0, 128.0]);
        raw[(BODY + 1) * VALUES..][..2].copy_from_slice(&[128.0, 64.0]);
        let heatmap = vec![-20.0; HEATMAP * HEATMAP * POINTS];
        let out = decode(&raw, 0.9, &heatmap, &region(), 640.0, 480.0);
        assert_eq!(out.body.len(), BODY);
        assert!((out.body[0].x - 0.5).abs() < 1e-6 && (out.body[0].y - 0.5).abs() < 1e-6);
        assert!((out.body[0].z.unwrap() - 12.8 / 640.0).abs() < 1e-6);
        assert!(out.body[0].visibility > 0.99);
        assert_eq!(out.next.rotation, 0.0);
        assert!((out.next.size - 2.0 * 64.0 * 1.25).abs() < 1e-4);
    }

    #[test]
    fn a_confident_heatmap_moves_the_point_to_its_peak() {
        let mut heatmap = vec![-20.0; HEATMAP * HEATMAP * POINTS];
        // Point 5's heatmap is sure at cell (column 34, row 30).
        heatmap[(30 * HEATMAP + 34) * POINTS + 5] = 20.0;
        let refined = refine(&heatmap, 5, (32.0 / 64.0, 31.0 / 64.0)).unwrap();
        assert!((refined.0 - 34.0 / 64.0).abs() < 1e-4 && (refined.1 - 30.0 / 64.0).abs() < 1e-4, "{refined:?}");
        // Unsure everywhere, or outside the crop: left where the model put it.
        assert!(refine(&heatmap, 6, (0.5, 0.5)).is_none());
        assert!(refine(&heatmap, 5, (1.2, 0.5)).is_none());
    }
}
