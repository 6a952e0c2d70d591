//! What can go wrong turning a video into keypoints, in words that say what to do.

use std::path::PathBuf;

/// Why a video could not be read for keypoints.
#[derive(Debug, thiserror::Error)]
pub enum PoseError {
    /// The pose models or ONNX Runtime are not where hipcoach looks for them.
    #[error(
        "the pose models are not installed ({} is missing). To install them once, run scripts/setup-pose {} in \
         hipcoach's source folder (it downloads ONNX Runtime and the models from PyPI)",
        missing.display(),
        missing.parent().map(|dir| dir.display().to_string()).unwrap_or_default()
    )]
    NotInstalled {
        /// The first file looked for and not found.
        missing: PathBuf,
    },
    /// A model file is there but is not the one this build was made for: damaged, or from
    /// another version.
    #[error(
        "{} is not the pose model this version of hipcoach was checked with (damaged or from another version); \
         run scripts/setup-pose again",
        file.display()
    )]
    WrongModel {
        /// The file whose checksum differs.
        file: PathBuf,
    },
    /// ONNX Runtime could not load or run a model.
    #[error("the pose model could not run: {0}")]
    Runtime(String),
    /// The ffmpeg command is not installed.
    #[error(
        "reading a video needs ffmpeg, which is not installed; install it (on Debian or Ubuntu: sudo apt install \
         ffmpeg) and try again"
    )]
    NoFfmpeg,
    /// ffmpeg cannot read the file as a video.
    #[error("{} is not a video ffmpeg can read (nor a keypoint file)", file.display())]
    NotAVideo {
        /// The file.
        file: PathBuf,
    },
    /// The file has sound or data but no picture.
    #[error("{} has no video picture in it (is it a sound recording?)", file.display())]
    NoPicture {
        /// The file.
        file: PathBuf,
    },
    /// More frames than one analysis takes.
    #[error(
        "{} is longer than hipcoach analyses at once ({frames} frames, an hour at 30 a second); cut it into \
         shorter clips",
        file.display()
    )]
    TooLong {
        /// The file.
        file: PathBuf,
        /// The most frames one analysis takes.
        frames: usize,
    },
    /// ffmpeg stopped part-way.
    #[error("ffmpeg could not decode {} to the end ({said}); the file may be damaged or cut short", file.display())]
    DecodeFailed {
        /// The file.
        file: PathBuf,
        /// ffmpeg's last words, without its internal prefixes.
        said: String,
    },
}

impl<R> From<ort::Error<R>> for PoseError {
    fn from(error: ort::Error<R>) -> Self {
        PoseError::Runtime(error.to_string())
    }
}
