//! Frame-by-frame hip IR from keypoints: per side, a smoothed angle with a confidence and a ±,
//! or the reason it cannot be measured.
//!
//! The analyser is a small state machine fed one frame at a time (time arrives inside the
//! frame; nothing reads a clock), allocating nothing per frame so it is never the bottleneck of
//! a video pipeline. A neutral [`Calibration`] (thighs still, shins hanging straight) removes
//! constant offsets from the set-up and gives the 2D knee and thigh checks their reference;
//! without one, the first frames stand in for the thigh's start position.

use super::angle::{Leg, Pelvis, Px, yaw_from_thighs};
use super::{
    CannotMeasure, Degrees, Frame, ImageSize, Joint, Landmark, Method, OneEuroFilter, OneEuroParams, TestPosition,
    ViewLimits,
};
use crate::units::Side;
use serde::{Deserialize, Serialize};

/// Everything fixed for one recording.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnalysisConfig {
    /// Which test is being filmed.
    pub position: TestPosition,
    /// Pixel size of the frames, to turn normalised coordinates into pixels.
    pub image: ImageSize,
    /// What counts as a usable view.
    pub limits: ViewLimits,
    /// Smoothing.
    pub filter: OneEuroParams,
    /// How a truly level line appears in the image (the phone's own roll from its gravity
    /// sensor), when known: lets a tilted camera be told apart from a tilted pelvis.
    pub horizon_tilt: Option<Degrees>,
}

impl AnalysisConfig {
    /// Default limits and smoothing for a test filmed at `image` size.
    pub fn new(position: TestPosition, image: ImageSize) -> Self {
        Self { position, image, limits: ViewLimits::default(), filter: OneEuroParams::default(), horizon_tilt: None }
    }
}

/// A camera reading of one side in one frame.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CameraAngle {
    /// Smoothed hip IR relative to neutral, positive when the foot is outward.
    pub angle: Degrees,
    /// The same before smoothing.
    pub raw: Degrees,
    /// 0–1: keypoint visibility, lowered as the view nears its limits.
    pub confidence: f32,
    /// The ± to show: the camera's ±10°, wider when confidence is low.
    pub uncertainty: Degrees,
}

/// One frame's result for both sides.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FrameAnalysis {
    /// The frame's time, ms.
    pub t_ms: i64,
    /// The person's left leg.
    pub left: Result<CameraAngle, CannotMeasure>,
    /// The person's right leg.
    pub right: Result<CameraAngle, CannotMeasure>,
}

impl FrameAnalysis {
    /// The result for one side.
    pub fn side(&self, side: Side) -> &Result<CameraAngle, CannotMeasure> {
        match side {
            Side::Left => &self.left,
            Side::Right => &self.right,
        }
    }

    fn both(t_ms: i64, reason: CannotMeasure) -> Self {
        Self { t_ms, left: Err(reason), right: Err(reason) }
    }
}

/// The neutral position of one leg.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NeutralLeg {
    /// Shin angle at neutral, subtracted from every reading.
    pub angle: Degrees,
    /// Shin length ÷ hip width at 90° of knee flexion.
    pub shank_to_hip_width: f64,
    /// Knee's outward offset from the hip, in shin lengths.
    pub knee_outward: f64,
}

/// A neutral calibration: both shins hanging straight, thighs still, pelvis level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Calibration {
    /// The person's left leg.
    pub left: NeutralLeg,
    /// The person's right leg.
    pub right: NeutralLeg,
    /// Hip-line tilt at neutral, degrees: later tilt is measured from it.
    pub pelvis_tilt: Degrees,
}

/// Why a calibration failed.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum CalibrationError {
    /// Too few frames could be read.
    #[error("only {usable} neutral frames could be read; hold still in view for a second")]
    TooFewFrames {
        /// Frames read on both sides.
        usable: usize,
        /// The last reason a frame was refused, if any.
        last_reason: Option<CannotMeasure>,
    },
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

impl Calibration {
    /// Medians over frames of a neutral hold; needs at least 5 frames where both legs are seen.
    pub fn from_frames(config: &AnalysisConfig, frames: &[Frame<'_>]) -> Result<Calibration, CalibrationError> {
        let mut rows: Vec<[f64; 7]> = Vec::new();
        let mut last_reason = None;
        for frame in frames {
            match raw_geometry(config, frame, |tilt| tilt) {
                Ok((pelvis, [Ok(l), Ok(r)])) => rows.push([
                    l.angle_deg,
                    l.shank / pelvis.width,
                    l.knee_offset / l.shank,
                    r.angle_deg,
                    r.shank / pelvis.width,
                    -r.knee_offset / r.shank,
                    pelvis.tilt_deg,
                ]),
                Ok((_, [Err(e), _] | [_, Err(e)])) | Err(e) => last_reason = Some(e),
            }
        }
        if rows.len() < 5 {
            return Err(CalibrationError::TooFewFrames { usable: rows.len(), last_reason });
        }
        let col = |i: usize| median(&mut rows.iter().map(|r| r[i]).collect::<Vec<_>>());
        let deg = |x: f64| Degrees::new(x).unwrap_or(Degrees::ZERO);
        Ok(Calibration {
            left: NeutralLeg { angle: deg(col(0)), shank_to_hip_width: col(1), knee_outward: col(2) },
            right: NeutralLeg { angle: deg(col(3)), shank_to_hip_width: col(4), knee_outward: col(5) },
            pelvis_tilt: deg(col(6)),
        })
    }

    fn leg(&self, side: Side) -> &NeutralLeg {
        match side {
            Side::Left => &self.left,
            Side::Right => &self.right,
        }
    }
}

/// Reads one keypoint in pixels, refusing NaN, off-screen and hidden points.
fn read(config: &AnalysisConfig, frame: &Frame<'_>, landmark: Landmark) -> Result<(Px, f32), CannotMeasure> {
    let point = frame.points.get(frame.layout.index(landmark)).ok_or(CannotMeasure::Missing(landmark))?;
    if !(point.x.is_finite() && point.y.is_finite()) {
        return Err(CannotMeasure::Missing(landmark));
    }
    let m = config.limits.frame_margin;
    if !(-m..=1.0 + m).contains(&point.x) || !(-m..=1.0 + m).contains(&point.y) {
        return Err(CannotMeasure::OutOfFrame(landmark));
    }
    let visibility = if point.visibility.is_finite() { point.visibility } else { 0.0 };
    if visibility < config.limits.min_visibility {
        return Err(CannotMeasure::Hidden { landmark, visibility });
    }
    let (w, h) = (config.image.width(), config.image.height());
    let z = point.z.filter(|z| z.is_finite()).map(|z| f64::from(z) * w);
    Ok((Px { x: f64::from(point.x) * w, y: f64::from(point.y) * h, z }, visibility))
}

/// The leg geometry of one side, with the lowest visibility of its points.
#[derive(Debug, Clone, Copy, PartialEq)]
struct SeenLeg {
    leg: Leg,
    visibility: f32,
}

impl std::ops::Deref for SeenLeg {
    type Target = Leg;
    fn deref(&self) -> &Leg {
        &self.leg
    }
}

type Geometry = (Pelvis, [Result<SeenLeg, CannotMeasure>; 2]);

/// Everything geometric about a frame: the pelvis and each leg. `tilt` maps the frame's own
/// hip-line tilt to the tilt the legs are measured against (smoothed, in the analyser).
fn raw_geometry(
    config: &AnalysisConfig,
    frame: &Frame<'_>,
    tilt: impl FnOnce(f64) -> f64,
) -> Result<Geometry, CannotMeasure> {
    let expected = frame.layout.len();
    if frame.points.len() < expected {
        return Err(CannotMeasure::WrongKeypointCount { expected, found: frame.points.len() });
    }
    let at = |joint, side| Landmark { joint, side };
    let (hip_l, vis_l) = read(config, frame, at(Joint::Hip, Side::Left))?;
    let (hip_r, vis_r) = read(config, frame, at(Joint::Hip, Side::Right))?;
    let pelvis = Pelvis::new(hip_l, hip_r).ok_or(CannotMeasure::Degenerate)?;
    if pelvis.width < 0.01 * config.image.width() {
        return Err(CannotMeasure::Degenerate);
    }
    let pelvis = pelvis.with_tilt(tilt(pelvis.tilt_deg));
    let hips_vis = vis_l.min(vis_r);
    let leg = |side: Side, hip: Px| -> Result<SeenLeg, CannotMeasure> {
        let (knee, vk) = read(config, frame, at(Joint::Knee, side))?;
        let (ankle, va) = read(config, frame, at(Joint::Ankle, side))?;
        let leg = Leg::new(&pelvis, side, config.position, hip, knee, ankle).ok_or(CannotMeasure::Degenerate)?;
        if leg.shank < 0.2 * pelvis.width {
            return Err(CannotMeasure::Degenerate);
        }
        Ok(SeenLeg { leg, visibility: hips_vis.min(vk).min(va) })
    };
    Ok((pelvis, [leg(Side::Left, hip_l), leg(Side::Right, hip_r)]))
}

/// Per-side memory between frames.
#[derive(Debug, Clone, Copy, PartialEq)]
struct SideState {
    filter: OneEuroFilter,
    /// The knee angle changes slowly; single-frame depth noise must not fail the check.
    knee_filter: OneEuroFilter,
    /// The same for the shin's length against its calibrated length.
    shin_filter: OneEuroFilter,
    last_measured_ms: Option<i64>,
    rejected_in_a_row: u32,
    /// Running sum and count of the knee's outward offset, standing in for a calibration.
    knee_reference: (f64, u32),
}

/// A knee is refused on the model's depth alone only this far from 90° (see `Analyzer::side`).
const DEPTH_KNEE_TOLERANCE_DEG: f64 = 35.0;
/// The shin's foreshortening judges the knee only within this angle of neutral.
const FORESHORTENING_WITHIN_DEG: f64 = 10.0;

/// Frames averaged for the thigh's start position when there is no calibration.
const KNEE_REFERENCE_FRAMES: u32 = 10;

impl SideState {
    fn new(params: OneEuroParams, slow: OneEuroParams) -> Self {
        Self {
            filter: OneEuroFilter::new(params),
            knee_filter: OneEuroFilter::new(slow),
            shin_filter: OneEuroFilter::new(slow),
            last_measured_ms: None,
            rejected_in_a_row: 0,
            knee_reference: (0.0, 0),
        }
    }
}

/// Turns keypoint frames into per-side hip IR readings.
#[derive(Debug, Clone, PartialEq)]
pub struct Analyzer {
    config: AnalysisConfig,
    calibration: Option<Calibration>,
    tilt_filter: OneEuroFilter,
    yaw_filter: OneEuroFilter,
    last_t_ms: Option<i64>,
    sides: [SideState; 2],
}

fn deg(x: f64) -> Degrees {
    Degrees::of_clamped(x)
}

impl Analyzer {
    /// An analyser with no calibration: angles are from the pelvis's vertical.
    pub fn new(config: AnalysisConfig) -> Self {
        // The pelvis barely moves during a trial: smooth its tilt hard, or hip jitter trips the check.
        let slow = OneEuroParams { min_cutoff_hz: 0.3, beta: 0.0, derivative_cutoff_hz: 1.0 };
        Self {
            config,
            calibration: None,
            tilt_filter: OneEuroFilter::new(slow),
            yaw_filter: OneEuroFilter::new(slow),
            last_t_ms: None,
            sides: [SideState::new(config.filter, slow); 2],
        }
    }

    /// An analyser whose angles are relative to a neutral calibration.
    pub fn with_calibration(config: AnalysisConfig, calibration: Calibration) -> Self {
        Self { calibration: Some(calibration), ..Self::new(config) }
    }

    /// The settings in use.
    pub fn config(&self) -> &AnalysisConfig {
        &self.config
    }

    /// Analyses the next frame. Frames must come in time order; a frame that goes back in time
    /// is refused and changes nothing.
    pub fn analyze(&mut self, frame: &Frame<'_>) -> FrameAnalysis {
        let t = frame.t_ms;
        if self.last_t_ms.is_some_and(|last| t <= last) {
            return FrameAnalysis::both(t, CannotMeasure::TimeWentBack);
        }
        self.last_t_ms = Some(t);
        let tilt_filter = &mut self.tilt_filter;
        let (pelvis, legs) = match raw_geometry(&self.config, frame, |tilt| tilt_filter.filter(t, tilt)) {
            Ok(g) => g,
            Err(reason) => return FrameAnalysis::both(t, reason),
        };
        let limits = self.config.limits;

        // The whole view: pelvis level, camera square to the thighs.
        let reference_tilt = match (self.calibration, self.config.horizon_tilt) {
            (Some(c), _) => c.pelvis_tilt.get(),
            (None, Some(h)) => h.get(),
            (None, None) => 0.0,
        };
        let tilt = pelvis.tilt_deg - reference_tilt;
        if tilt.abs() > limits.max_pelvis_tilt.get() {
            return FrameAnalysis::both(t, CannotMeasure::PelvisTilted { tilt: deg(tilt) });
        }
        let seen = [legs[0].as_ref().ok().map(|l| &l.leg), legs[1].as_ref().ok().map(|l| &l.leg)];
        // The camera does not move during a trial: judge it on a smoothed estimate. A frame with
        // neither thigh seen says nothing about it and leaves the estimate as it was.
        let yaw = match yaw_from_thighs(seen) {
            Some(yaw) => self.yaw_filter.filter(t, yaw),
            None => self.yaw_filter.state().map_or(0.0, |(yaw, _)| yaw),
        };
        if yaw > limits.max_yaw.get() {
            return FrameAnalysis::both(t, CannotMeasure::CameraTurned { yaw: deg(yaw) });
        }
        let view_factor = (1.0 - 0.5 * (yaw / limits.max_yaw.get()).powi(2))
            * (1.0 - 0.5 * (tilt / limits.max_pelvis_tilt.get()).powi(2));
        let [left, right] = legs;
        FrameAnalysis {
            t_ms: t,
            left: left.and_then(|leg| self.side(Side::Left, t, &pelvis, &leg, view_factor)),
            right: right.and_then(|leg| self.side(Side::Right, t, &pelvis, &leg, view_factor)),
        }
    }

    fn side(
        &mut self,
        side: Side,
        t: i64,
        pelvis: &Pelvis,
        leg: &SeenLeg,
        view_factor: f64,
    ) -> Result<CameraAngle, CannotMeasure> {
        let limits = self.config.limits;
        let neutral = self.calibration.map(|c| *c.leg(side));
        let state = &mut self.sides[side as usize];

        // Knee near 90°. Two weak cues, each used only where it can be trusted:
        // - The model's depth, for a knee far from a right angle only: on rendered knees at
        //   93–95° BlazePose's 3D knee angle read 58–116°.
        // - The shin's foreshortening against its calibrated length (a shin tilted toward the
        //   camera looks shorter), only while the leg is near neutral: during the turn a real
        //   model's shin shortens to 0.7–0.94 of neutral with the knee still at 90°. The ratio is
        //   smoothed before the arccosine, which would turn symmetric noise near 1 into a bias,
        //   and cos 10° is 0.985, so only a knee 20° or more from 90° stands out from the noise.
        let near_neutral = (leg.angle_deg - neutral.map_or(0.0, |n| n.angle.get())).abs() <= FORESHORTENING_WITHIN_DEG;
        let from_depth = leg
            .knee_deg
            .map(|k| (state.knee_filter.filter(t, k), limits.max_knee_deviation.get().max(DEPTH_KNEE_TOLERANCE_DEG)));
        let from_shin = match neutral {
            Some(n) if n.shank_to_hip_width > 0.0 && near_neutral => {
                let ratio = state.shin_filter.filter(t, (leg.shank / pelvis.width) / n.shank_to_hip_width);
                Some((90.0 - ratio.min(1.0).acos().to_degrees(), limits.max_knee_deviation.get().max(20.0)))
            }
            _ => None,
        };
        let knee = from_depth.into_iter().chain(from_shin).find(|(k, limit)| (k - 90.0).abs() > *limit);
        if let Some((k, _)) = knee {
            return Err(CannotMeasure::KneeNotAtRightAngle { knee: deg(k) });
        }

        // Thigh still: the knee must stay where it started along the hip line.
        let outward = match side {
            Side::Left => leg.knee_offset,
            Side::Right => -leg.knee_offset,
        } / leg.shank;
        let reference = match neutral {
            Some(n) => Some(n.knee_outward),
            None if state.knee_reference.1 >= KNEE_REFERENCE_FRAMES => {
                Some(state.knee_reference.0 / f64::from(state.knee_reference.1))
            }
            None => None,
        };
        if let Some(reference) = reference {
            let drift = (outward - reference).clamp(-1.0, 1.0).asin().to_degrees();
            if drift.abs() > limits.max_thigh_drift.get() {
                return Err(CannotMeasure::ThighMoved { drift: deg(drift) });
            }
        }

        // The angle, with jumps faster than a leg can turn refused (up to three frames in a
        // row; after that the new place is believed and smoothing restarts).
        let raw = leg.angle_deg - neutral.map_or(0.0, |n| n.angle.get());
        if state.last_measured_ms.is_some_and(|last| t - last > limits.gap_reset_ms) {
            state.filter.reset();
        }
        if let (Some((previous, _)), Some(last)) = (state.filter.state(), state.last_measured_ms) {
            let dt = (t - last) as f64 / 1000.0;
            let jump = (raw - previous).abs();
            if jump > limits.max_speed_deg_per_s * dt + 4.0 {
                state.rejected_in_a_row += 1;
                if state.rejected_in_a_row <= 3 {
                    return Err(CannotMeasure::ImplausibleJump { jump: deg(jump) });
                }
                state.filter.reset();
            }
        }
        state.rejected_in_a_row = 0;
        state.last_measured_ms = Some(t);
        if neutral.is_none() && state.knee_reference.1 < KNEE_REFERENCE_FRAMES {
            state.knee_reference.0 += outward;
            state.knee_reference.1 += 1;
        }
        let smoothed = state.filter.filter(t, raw);
        let confidence = (f64::from(leg.visibility.clamp(0.0, 1.0)) * view_factor).clamp(0.0, 1.0);
        let base = Method::CameraEstimate.uncertainty().get();
        Ok(CameraAngle {
            angle: deg(smoothed),
            raw: deg(raw),
            confidence: confidence as f32,
            uncertainty: deg((base + 10.0 * (1.0 - confidence)).ceil()),
        })
    }
}
