//! Pose inference for hipcoach: a video file in, the person's BlazePose landmarks per frame out,
//! as the same [`Recording`] a keypoint file gives, so the analysis that follows is the one the
//! page and the keypoint path use.
//!
//! BlazePose (MediaPipe's detector and full landmark model, converted to ONNX by
//! `scripts/setup-pose`) runs on ONNX Runtime through `ort`, loaded at run time from the folder
//! the models are in: hipcoach builds and runs everything else without it. Frames come from the
//! `ffmpeg` command.

mod anchors;
mod detector;
mod error;
mod image;
mod landmarks;
mod models;
mod region;
mod tracker;
mod video;

pub use detector::{Detection, Detector};
pub use error::PoseError;
pub use image::{Border, RgbImage};
pub use landmarks::{Landmarker, Landmarks};
pub use models::{DETECTOR, LANDMARKS, Model, PoseModels, RUNTIME_LIBRARY};
pub use region::{Point, Region};
pub use tracker::PoseTracker;
pub use video::{MAX_SIDE, VideoInfo, VideoReader, probe};

use hipcoach_core::measure::{
    BEYOND_EDGE, ImageSize, Keypoint, Layout, MAX_DEPTH, MAX_FRAMES, MAX_T_MS, RecordedFrame, Recording,
};

/// How far through a video the analysis is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Frames read so far.
    pub frames: u64,
    /// Frames the file says it holds, when it says.
    pub expected: Option<u64>,
}

/// A video's keypoints and what it took to get them.
#[derive(Debug, Clone, PartialEq)]
pub struct VideoKeypoints {
    /// One frame per decoded frame (frames repeating an earlier time are dropped).
    pub recording: Recording,
    /// Frames in which no person was found (their keypoints are all marked not visible).
    pub without_person: usize,
    /// How many times the detector looked over a whole frame.
    pub detections: usize,
    /// The video's description.
    pub info: VideoInfo,
}

/// A logistic function: the models give visibility, presence and heatmaps as logits.
pub(crate) fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// A keypoint kept within what a keypoint file accepts (a little beyond the frame, depth within
/// bounds), so `--keypoints` always writes a file hipcoach reads back; a point that is not a
/// number becomes a hidden one.
fn within_file_bounds(point: Keypoint) -> Keypoint {
    if !(point.x.is_finite() && point.y.is_finite() && point.visibility.is_finite()) {
        return Keypoint::default();
    }
    Keypoint {
        x: point.x.clamp(-BEYOND_EDGE, 1.0 + BEYOND_EDGE),
        y: point.y.clamp(-BEYOND_EDGE, 1.0 + BEYOND_EDGE),
        z: point.z.filter(|z| z.is_finite()).map(|z| z.clamp(-MAX_DEPTH, MAX_DEPTH)),
        visibility: point.visibility.clamp(0.0, 1.0),
    }
}

/// Reads every frame `reader` decodes and tracks the person through it, reporting progress after
/// each frame. A video longer than one analysis takes is refused before any work.
pub fn keypoints_from_video(
    mut reader: VideoReader,
    tracker: &mut PoseTracker,
    mut progress: impl FnMut(Progress),
) -> Result<VideoKeypoints, PoseError> {
    let info = reader.info();
    let file = reader.file().to_path_buf();
    let too_long = || PoseError::TooLong { file: file.clone(), frames: MAX_FRAMES };
    if info.frames.is_some_and(|n| n > MAX_FRAMES as u64) {
        return Err(too_long());
    }
    let image = ImageSize::new(info.width as f64, info.height as f64)
        .map_err(|_| PoseError::NoPicture { file: file.clone() })?;
    let mut frames: Vec<RecordedFrame> = Vec::new();
    let (mut start, mut read, mut without_person) = (None, 0u64, 0usize);
    while let Some((seconds, picture)) = reader.next_frame()? {
        read += 1;
        progress(Progress { frames: read, expected: info.frames });
        let start = *start.get_or_insert(seconds);
        let t_ms = ((seconds - start) * 1000.0).round() as i64;
        if frames.last().is_some_and(|last| t_ms <= last.t_ms) {
            continue;
        }
        if t_ms > MAX_T_MS || frames.len() >= MAX_FRAMES {
            return Err(too_long());
        }
        let points = match tracker.track(&picture)? {
            Some(points) => points.into_iter().map(within_file_bounds).collect(),
            None => {
                without_person += 1;
                vec![Keypoint::default(); Layout::BlazePose33.len()]
            }
        };
        frames.push(RecordedFrame { t_ms, points });
    }
    Ok(VideoKeypoints {
        recording: Recording { layout: Layout::BlazePose33, image, frames },
        without_person,
        detections: tracker.detections(),
        info,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keypoints_are_kept_within_what_a_keypoint_file_accepts() {
        let wild = Keypoint { x: 3.0, y: -2.0, z: Some(40.0), visibility: 1.2 };
        assert_eq!(within_file_bounds(wild), Keypoint { x: 1.5, y: -0.5, z: Some(10.0), visibility: 1.0 });
        let broken = Keypoint { x: f32::NAN, y: 0.5, z: None, visibility: 0.9 };
        assert_eq!(within_file_bounds(broken), Keypoint::default());
        let fine = Keypoint { x: 0.4, y: 0.6, z: Some(-0.1), visibility: 0.8 };
        assert_eq!(within_file_bounds(fine), fine);
    }
}
