//! Where the pose models and ONNX Runtime live, and the check that they are the expected files.
//!
//! They are not part of the source tree: `scripts/setup-pose` converts MediaPipe's BlazePose
//! (TFLite, from PyPI) to ONNX, byte for byte reproducibly, and copies ONNX Runtime's library from
//! its PyPI wheel beside them. Each model's SHA-256 is fixed here, so a damaged download or a
//! different conversion is refused instead of silently changing every measurement.

use crate::error::PoseError;
use ort::environment::Environment;
use ort::session::Session;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The person detector.
pub const DETECTOR: Model =
    Model { file: "pose_detection.onnx", sha256: "30067bda0b1dd05511452736f1aea730ceb0c094784e3e46ee32bf7627e8dbea" };
/// The full landmark model.
pub const LANDMARKS: Model = Model {
    file: "pose_landmark_full.onnx",
    sha256: "7567397f4964a9526a8e2f950f3e2729a430c7a37133b8345708b43b4940117f",
};
/// ONNX Runtime's shared library, as the PyPI wheel `onnxruntime==1.32.0` ships it.
pub const RUNTIME_LIBRARY: &str = "libonnxruntime.so.1.32.0";

/// One model file and its expected checksum.
#[derive(Debug, Clone, Copy)]
pub struct Model {
    /// File name inside the pose folder.
    pub file: &'static str,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: &'static str,
}

/// A folder holding both models and the runtime, checked.
#[derive(Clone)]
pub struct PoseModels {
    dir: PathBuf,
    environment: Environment,
}

/// ONNX Runtime's environment: one per process, whichever folder first loaded the library.
static ENVIRONMENT: OnceLock<Result<Environment, String>> = OnceLock::new();

impl PoseModels {
    /// Checks that `dir` holds the runtime and both models, the models with their expected
    /// checksums (the runtime is checked by ONNX Runtime's own version check when it loads), and
    /// loads the runtime.
    pub fn open(dir: &Path) -> Result<Self, PoseError> {
        for name in [RUNTIME_LIBRARY, DETECTOR.file, LANDMARKS.file] {
            let path = dir.join(name);
            if !path.is_file() {
                return Err(PoseError::NotInstalled { missing: path });
            }
        }
        for model in [DETECTOR, LANDMARKS] {
            let path = dir.join(model.file);
            let bytes = std::fs::read(&path).map_err(|_| PoseError::NotInstalled { missing: path.clone() })?;
            let digest = Sha256::digest(&bytes);
            let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
            if hex != model.sha256 {
                return Err(PoseError::WrongModel { file: path });
            }
        }
        let library = dir.join(RUNTIME_LIBRARY);
        let environment = ENVIRONMENT
            .get_or_init(|| {
                let builder = ort::init_from(&library).map_err(|error| error.to_string())?;
                builder.with_name("hipcoach").build().map_err(|error| error.to_string())
            })
            .clone()
            .map_err(|error| PoseError::Runtime(format!("ONNX Runtime could not be loaded: {error}")))?;
        Ok(Self { dir: dir.to_path_buf(), environment })
    }

    /// A session for one model on `threads` threads, none of them spinning while idle (two
    /// spinning pools on two cores ran twice as slowly as one thread).
    pub(crate) fn session(&self, model: Model, threads: usize) -> Result<Session, PoseError> {
        Ok(Session::builder(&self.environment)?
            .with_intra_threads(threads.max(1))?
            .with_intra_op_spinning(false)?
            .with_inter_op_spinning(false)?
            .commit_from_file(self.dir.join(model.file))?)
    }
}
