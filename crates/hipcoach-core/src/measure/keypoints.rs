//! Keypoints as a pose model hands them over: normalised image coordinates, an optional depth,
//! and a visibility score, in one of two layouts.
//!
//! Nothing here is trusted: coordinates may be NaN, off-screen or missing, and the analysis
//! turns each such case into a "cannot measure" reason rather than a number. Angles are taken
//! in pixels, because normalised x and y have different scales on a non-square image.

use crate::units::Side;
use serde::{Deserialize, Serialize};
use std::fmt;

/// One landmark from a pose model.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Keypoint {
    /// Horizontal position, 0 = left edge of the image, 1 = right edge.
    pub x: f32,
    /// Vertical position, 0 = top, 1 = bottom.
    pub y: f32,
    /// Depth on the same scale as `x` (smaller is nearer the camera), when the model gives one.
    pub z: Option<f32>,
    /// How sure the model is that the point is visible, 0–1.
    pub visibility: f32,
}

/// Which model's numbering the keypoints follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Layout {
    /// MediaPipe BlazePose, 33 landmarks, with depth.
    BlazePose33,
    /// COCO 17 keypoints (MoveNet and most 2D models), no depth.
    Coco17,
}

/// The joints the analysis uses. Foot points are deliberately absent: tibial torsion and foot
/// posture would bias the shank line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Joint {
    /// Shoulder.
    Shoulder,
    /// Hip joint centre.
    Hip,
    /// Knee.
    Knee,
    /// Ankle.
    Ankle,
}

/// A joint on one side: "left knee".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Landmark {
    /// Which joint.
    pub joint: Joint,
    /// Whose side (the person's).
    pub side: Side,
}

impl fmt::Display for Landmark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let joint = match self.joint {
            Joint::Shoulder => "shoulder",
            Joint::Hip => "hip",
            Joint::Knee => "knee",
            Joint::Ankle => "ankle",
        };
        write!(f, "{} {joint}", self.side)
    }
}

impl Layout {
    /// How many keypoints a frame of this layout has.
    pub fn len(self) -> usize {
        match self {
            Layout::BlazePose33 => 33,
            Layout::Coco17 => 17,
        }
    }

    /// Never empty; here for clippy's `len_without_is_empty`.
    pub fn is_empty(self) -> bool {
        false
    }

    /// Where a landmark sits in this layout. Both layouts put the person's left on odd indices.
    pub fn index(self, landmark: Landmark) -> usize {
        let left = match (self, landmark.joint) {
            (Layout::BlazePose33, Joint::Shoulder) => 11,
            (Layout::BlazePose33, Joint::Hip) => 23,
            (Layout::BlazePose33, Joint::Knee) => 25,
            (Layout::BlazePose33, Joint::Ankle) => 27,
            (Layout::Coco17, Joint::Shoulder) => 5,
            (Layout::Coco17, Joint::Hip) => 11,
            (Layout::Coco17, Joint::Knee) => 13,
            (Layout::Coco17, Joint::Ankle) => 15,
        };
        match landmark.side {
            Side::Left => left,
            Side::Right => left + 1,
        }
    }
}

/// The image the normalised coordinates refer to, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageSize {
    width: f64,
    height: f64,
}

/// Why an image size was refused.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
#[error("image size {width}×{height} is not a positive, finite size")]
pub struct BadImageSize {
    /// Width given.
    pub width: f64,
    /// Height given.
    pub height: f64,
}

impl ImageSize {
    /// 640×480, the size pose models are commonly fed.
    pub const VGA: ImageSize = ImageSize { width: 640.0, height: 480.0 };

    /// Accepts only positive, finite sizes.
    pub fn new(width: f64, height: f64) -> Result<Self, BadImageSize> {
        if width.is_finite() && height.is_finite() && width > 0.0 && height > 0.0 {
            Ok(Self { width, height })
        } else {
            Err(BadImageSize { width, height })
        }
    }

    /// Width in pixels.
    pub fn width(self) -> f64 {
        self.width
    }

    /// Height in pixels.
    pub fn height(self) -> f64 {
        self.height
    }
}

/// One video frame's keypoints, borrowed so analysing a stream allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Frame<'a> {
    /// Capture time in milliseconds from any fixed start.
    pub t_ms: i64,
    /// The numbering of `points`.
    pub layout: Layout,
    /// The keypoints, in layout order.
    pub points: &'a [Keypoint],
}
