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
pub use image::RgbImage;
pub use landmarks::{Landmarker, Landmarks};
pub use models::{DETECTOR, LANDMARKS, Model, PoseModels, RUNTIME_LIBRARY};
pub use region::{Point, Region};
pub use tracker::PoseTracker;
pub use video::{MAX_SIDE, VideoInfo, VideoReader, probe};

use hipcoach_core::measure::{ImageSize, Keypoint, Layout, MAX_FRAMES, MAX_T_MS, RecordedFrame, Recording};
use std::path::Path;

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

/// Reads every frame of `path` and tracks the person through it, reporting progress after each
/// frame.
pub fn keypoints_from_video(
    path: &Path,
    tracker: &mut PoseTracker,
    mut progress: impl FnMut(Progress),
) -> Result<VideoKeypoints, PoseError> {
    let mut reader = VideoReader::open(path)?;
    let info = reader.info();
    let image = ImageSize::new(info.width as f64, info.height as f64)
        .map_err(|_| PoseError::Video(format!("{} has frames of no size", path.display())))?;
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
            return Err(PoseError::Video(format!(
                "{} is longer than hipcoach analyses at once ({} frames, or a day); cut it into shorter clips",
                path.display(),
                MAX_FRAMES
            )));
        }
        let points = match tracker.track(&picture)? {
            Some(points) => points,
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
