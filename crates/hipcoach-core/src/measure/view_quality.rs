//! When the camera cannot give a trustworthy hip-rotation angle, and why.
//!
//! A 2D angle from a poor view is a confident-looking wrong number, which is worse than none.
//! Each frame and side either measures or names one reason, in the order a user can fix them:
//! data first (missing, off-screen, hidden), then the set-up (camera turned, pelvis tilted,
//! knee angle), then the movement (thigh drifting, an implausible jump).
//!
//! The limits follow `shared/clinical.md` ("Camera geometry"): the reading is trusted within
//! about ±15° of camera yaw (error under 1–2°) and not at 30°; the pelvis must stay within 3°
//! of level (the conservative end of 3–5°); the knee within 80–100°.

use super::{Degrees, Landmark};
use serde::{Deserialize, Serialize};

/// Thresholds for a usable view.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ViewLimits {
    /// Lowest keypoint visibility accepted (0–1).
    pub min_visibility: f32,
    /// Largest camera yaw (thighs not aimed at the lens) accepted.
    pub max_yaw: Degrees,
    /// Largest pelvis tilt from level (or from the calibration) accepted.
    pub max_pelvis_tilt: Degrees,
    /// Largest distance of the knee from 90° accepted.
    pub max_knee_deviation: Degrees,
    /// Largest sideways drift of the knee from its start accepted (hip adduction or abduction).
    pub max_thigh_drift: Degrees,
    /// Fastest plausible shin rotation, degrees per second: faster jumps are keypoint errors.
    pub max_speed_deg_per_s: f64,
    /// How far outside the image (as a fraction of its size) a keypoint may lie.
    pub frame_margin: f32,
    /// A gap without a measurement longer than this restarts the smoothing, ms.
    pub gap_reset_ms: i64,
}

impl Default for ViewLimits {
    fn default() -> Self {
        Self {
            min_visibility: 0.5,
            max_yaw: Degrees::of(20.0),
            max_pelvis_tilt: Degrees::of(3.0),
            max_knee_deviation: Degrees::of(10.0),
            max_thigh_drift: Degrees::of(10.0),
            max_speed_deg_per_s: 200.0,
            frame_margin: 0.02,
            gap_reset_ms: 500,
        }
    }
}

/// Why there is no number for this frame and side.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum CannotMeasure {
    /// The frame has fewer keypoints than its layout needs.
    #[error("the frame has {found} keypoints; its layout needs {expected}")]
    WrongKeypointCount {
        /// Keypoints the layout has.
        expected: usize,
        /// Keypoints given.
        found: usize,
    },
    /// The frame is not later than the previous one.
    #[error("the frame's time is not after the previous frame's")]
    TimeWentBack,
    /// A keypoint has no real coordinates.
    #[error("the {0} was not found")]
    Missing(Landmark),
    /// A keypoint lies outside the image.
    #[error("the {0} is outside the picture")]
    OutOfFrame(Landmark),
    /// A keypoint is probably hidden.
    #[error("the {landmark} is hidden or unclear (visibility {visibility:.2})")]
    Hidden {
        /// Which keypoint.
        landmark: Landmark,
        /// Its visibility score.
        visibility: f32,
    },
    /// Points that should be apart coincide (e.g. both hips on one spot).
    #[error("the body is too small or side-on in the picture to measure")]
    Degenerate,
    /// The camera is not square to the thighs.
    #[error("the camera is about {yaw} to the side; place it straight in front of the thighs")]
    CameraTurned {
        /// Estimated yaw.
        yaw: Degrees,
    },
    /// The pelvis is tilted (a hip lifting, or the camera not level).
    #[error("the pelvis is tilted {tilt}; keep both sitting bones down and the camera level")]
    PelvisTilted {
        /// Estimated tilt.
        tilt: Degrees,
    },
    /// The knee is not bent at about 90°. The sentence gives no number: the estimate comes from
    /// a model's depth or a shin's foreshortening, good enough to tell a knee far from 90° but
    /// not to say by how much (a rig at 110° read 125°).
    #[error(
        "the knee does not look bent at a right angle; sit with the thighs level and the shins hanging straight down"
    )]
    KneeNotAtRightAngle {
        /// Estimated knee angle (rough).
        knee: Degrees,
    },
    /// The knee moved sideways from its starting place: the thigh is not still.
    #[error("the knee moved {drift} sideways; keep the thigh still")]
    ThighMoved {
        /// Estimated drift, positive outward, negative inward (hip adduction).
        drift: Degrees,
    },
    /// The angle jumped faster than a shin can turn: a keypoint error.
    #[error("the angle jumped {jump} between frames, faster than a leg turns")]
    ImplausibleJump {
        /// Size of the jump.
        jump: Degrees,
    },
}
