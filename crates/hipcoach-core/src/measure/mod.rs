//! Measuring hip internal rotation: the test protocols, readings with their uncertainty, the
//! keypoint analysis behind camera estimates, and progress over time.
//!
//! Everything is pure: keypoints, sensor values and dates arrive as data. The clinical figures
//! (norms, flags, minimal detectable changes, camera geometry) come from `shared/clinical.md`.
//!
//! - Tests and results: [`Protocol`], [`Method`], [`Reading`], [`IrClass`], [`Asymmetry`], [`Trend`].
//! - Instruments: [`inclinometer()`] (phone on the shin) and the keypoint [`Analyzer`].
//! - On top of the angle stream: [`RepCounter`], [`HoldTracker`], [`FormMonitor`].
//! - Ground truth for all of it: [`synthetic`].

mod analysis;
mod angle;
mod asymmetry;
mod classification;
mod clip;
mod clip_summary;
mod coach;
mod degrees;
mod form;
mod hold;
mod inclinometer;
mod keypoints;
mod live;
mod method;
mod neutral;
mod one_euro;
mod protocol;
mod reading;
mod recording;
mod rep_counter;
pub mod synthetic;
mod trend;
mod view_quality;

#[cfg(test)]
mod tests;

pub use analysis::{AnalysisConfig, Analyzer, Calibration, CalibrationError, CameraAngle, FrameAnalysis, NeutralLeg};
pub use asymmetry::{Asymmetry, AsymmetryError};
pub use classification::IrClass;
pub use clip::{ClipOptions, ClipReport, Estimate, SideReport, analyse_clip};
pub use clip_summary::{VALIDATION, clip_summary, duration_ms};
pub use coach::{CameraCoach, CameraEvent, CameraTask, CameraWatch, CoachScreen, FormFault};
pub use degrees::{AngleError, Degrees};
pub use form::{FormFlag, FormLimits, FormMonitor};
pub use hold::{Hold, HoldTracker};
pub use inclinometer::{Gravity, InclinometerError, InclinometerNeutral, inclinometer};
pub use keypoints::{BadImageSize, Frame, ImageSize, Joint, Keypoint, Landmark, Layout};
pub use live::{LiveEstimate, LiveScreen, LiveStage, LiveTest};
pub use method::{Method, Rater};
pub use neutral::NeutralFinder;
pub use one_euro::{OneEuroFilter, OneEuroParams};
pub use protocol::{Invalidator, MEANINGFUL_SIDE_DIFFERENCE, NormalRange, Protocol, TRIALS_PER_SIDE, TestPosition};
pub use reading::{RangeOfMotion, Reading, ReadingError, median_of_three};
pub use recording::{
    BEYOND_EDGE, LiveFrame, MAX_DEPTH, MAX_FRAMES, MAX_T_MS, RecordedFrame, Recording, RecordingError,
};
pub use rep_counter::{Rep, RepCounter, RepThresholds};
pub use trend::{Change, DatedReading, Trend, TrendError, least_squares_slope};
pub use view_quality::{CannotMeasure, ViewLimits};
