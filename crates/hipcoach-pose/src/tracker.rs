//! Following one person through a video with MediaPipe's scheme: the detector finds them once,
//! then each frame's crop comes from the previous frame's landmarks, and the detector runs again
//! only when the landmark model stops seeing a person in its crop. Unlike MediaPipe's video mode,
//! the landmarks are not smoothed here: the analyser smooths the angle it takes from them, so
//! the page (tasks-vision, smoothed) and this path can differ by a little frame to frame.

use crate::detector::Detector;
use crate::error::PoseError;
use crate::image::RgbImage;
use crate::landmarks::Landmarker;
use crate::models::PoseModels;
use crate::region::Region;
use hipcoach_core::measure::Keypoint;

/// Below this presence score the crop has lost the person.
const MIN_PRESENCE: f32 = 0.5;

/// The detector and landmark model, and where the person was last seen.
pub struct PoseTracker {
    detector: Detector,
    landmarker: Landmarker,
    region: Option<Region>,
    last_crop: Option<Region>,
    detections: usize,
}

impl PoseTracker {
    /// Loads both models, each running on `threads` threads.
    pub fn new(models: &PoseModels, threads: usize) -> Result<Self, PoseError> {
        Ok(Self {
            detector: Detector::new(models, threads)?,
            landmarker: Landmarker::new(models, threads)?,
            region: None,
            last_crop: None,
            detections: 0,
        })
    }

    /// The person's 33 landmarks in this frame, or `None` when no person is found.
    pub fn track(&mut self, image: &RgbImage) -> Result<Option<Vec<Keypoint>>, PoseError> {
        self.last_crop = None;
        if let Some(region) = self.region.take() {
            if let Some(body) = self.landmarks(image, &region)? {
                return Ok(Some(body));
            }
        }
        // Lost (or never found): look over the whole frame, and try this very frame again.
        self.detections += 1;
        match self.detector.detect(image)? {
            Some(found) => self.landmarks(image, &found.region()),
            None => Ok(None),
        }
    }

    /// The crop the landmarks of the last frame came from, if a person was found in it.
    pub fn last_crop(&self) -> Option<Region> {
        self.last_crop
    }

    /// How many times the detector has run: once, plus once for each time the person was lost.
    pub fn detections(&self) -> usize {
        self.detections
    }

    fn landmarks(&mut self, image: &RgbImage, region: &Region) -> Result<Option<Vec<Keypoint>>, PoseError> {
        if !region.is_usable(image) {
            return Ok(None);
        }
        let seen = self.landmarker.run(image, region)?;
        if seen.presence < MIN_PRESENCE {
            return Ok(None);
        }
        self.last_crop = Some(*region);
        self.region = seen.next.is_usable(image).then_some(seen.next);
        Ok(Some(seen.body))
    }
}
