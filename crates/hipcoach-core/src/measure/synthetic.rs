//! Ground truth: keypoint sequences from a kinematic leg model with a known hip rotation.
//!
//! No licence-clean video of these tests exists, so the analysis is checked against a rigid
//! model: pelvis, two hips, femurs and tibias, seated (hip and knee at 90°) or prone, rotating one
//! hip by a known angle over time, seen through a pinhole camera at a chosen distance, height,
//! yaw and roll, with pelvic hike, hip adduction, thigh slope, knee angle, Gaussian pixel noise,
//! dropped frames, hidden keypoints and outliers. A small seeded PRNG keeps every set
//! reproducible without adding dependencies.
//!
//! World axes: x to the camera's right at zero yaw, y up, z toward the camera.

use super::{Keypoint, Layout, TestPosition};
use crate::units::Side;
use serde::{Deserialize, Serialize};

/// SplitMix64: tiny, seedable, and good enough for test noise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller).
    pub fn gaussian(&mut self) -> f64 {
        let u1 = self.uniform().max(1e-300);
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}

/// Body measurements, metres.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Body {
    /// Distance between the hip keypoints.
    pub hip_width: f64,
    /// Hip to knee.
    pub thigh: f64,
    /// Knee to ankle.
    pub shank: f64,
    /// Height of the hip joints above the floor (seated on a high seat, or on a plinth prone).
    pub hip_height: f64,
    /// Distance between the shoulders.
    pub shoulder_width: f64,
}

impl Default for Body {
    fn default() -> Self {
        Self { hip_width: 0.22, thigh: 0.43, shank: 0.42, hip_height: 0.62, shoulder_width: 0.38 }
    }
}

/// The camera, placed around the knees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Camera {
    /// Horizontal distance from the knees, metres.
    pub distance: f64,
    /// Height of the lens above the floor, metres.
    pub height: f64,
    /// Turned around the person: 0 is straight along the thighs.
    pub yaw_deg: f64,
    /// Rotated about its own axis (not level).
    pub roll_deg: f64,
    /// Focal length, pixels.
    pub focal_px: f64,
    /// Image width, pixels.
    pub width_px: f64,
    /// Image height, pixels.
    pub height_px: f64,
}

impl Default for Camera {
    fn default() -> Self {
        Self {
            distance: 2.0,
            height: 0.5,
            yaw_deg: 0.0,
            roll_deg: 0.0,
            focal_px: 560.0,
            width_px: 640.0,
            height_px: 480.0,
        }
    }
}

/// Deviations from the textbook position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Posture {
    /// Pelvis tilted in the frontal plane, left hip up, degrees.
    pub pelvic_hike_deg: f64,
    /// Hip adduction (knee toward the midline), per side [left, right], degrees.
    pub hip_adduction_deg: [f64; 2],
    /// Knee flexion, degrees (90 in the test position).
    pub knee_flexion_deg: f64,
    /// Thigh sloping down from hip to knee, degrees.
    pub thigh_slope_deg: f64,
}

impl Default for Posture {
    fn default() -> Self {
        Self { pelvic_hike_deg: 0.0, hip_adduction_deg: [0.0; 2], knee_flexion_deg: 90.0, thigh_slope_deg: 0.0 }
    }
}

/// Imperfections of the keypoints.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Noise {
    /// Gaussian noise on each coordinate, pixels.
    pub sigma_px: f64,
    /// Chance a frame never arrives.
    pub dropped_frame: f64,
    /// Chance a leg keypoint is reported hidden (low visibility) in a frame.
    pub hidden: f64,
    /// Chance a leg keypoint is thrown far off in a frame.
    pub outlier: f64,
    /// How far an outlier is thrown, pixels.
    pub outlier_px: f64,
}

impl Noise {
    /// Perfect keypoints.
    pub const NONE: Noise = Noise { sigma_px: 0.0, dropped_frame: 0.0, hidden: 0.0, outlier: 0.0, outlier_px: 0.0 };

    /// What a good pose model gives on a clear 640×480 view.
    pub const REALISTIC: Noise =
        Noise { sigma_px: 1.5, dropped_frame: 0.03, hidden: 0.01, outlier: 0.005, outlier_px: 40.0 };

    /// A poor model or poor light.
    pub const HEAVY: Noise =
        Noise { sigma_px: 3.0, dropped_frame: 0.08, hidden: 0.03, outlier: 0.02, outlier_px: 60.0 };
}

/// The movement: reps of one hip, each out, hold, back, rest.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Motion {
    /// The leg that moves; the other stays at neutral.
    pub side: Side,
    /// Repetitions.
    pub reps: u32,
    /// Typical peak rotation, degrees; each rep varies by up to ±3°.
    pub peak_deg: f64,
    /// Seconds to go out.
    pub out_s: f64,
    /// Seconds held at the end.
    pub hold_s: f64,
    /// Seconds to come back.
    pub back_s: f64,
    /// Seconds at neutral before each rep.
    pub rest_s: f64,
}

impl Default for Motion {
    fn default() -> Self {
        Self { side: Side::Left, reps: 5, peak_deg: 35.0, out_s: 2.0, hold_s: 1.0, back_s: 2.0, rest_s: 1.0 }
    }
}

/// Everything that defines one synthetic set.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scenario {
    /// Which test.
    pub position: TestPosition,
    /// Which keypoint layout to emit.
    pub layout: Layout,
    /// The person.
    pub body: Body,
    /// The camera.
    pub camera: Camera,
    /// The posture.
    pub posture: Posture,
    /// The keypoint noise.
    pub noise: Noise,
    /// The movement.
    pub motion: Motion,
    /// Frames per second.
    pub fps: f64,
    /// Seed for all randomness.
    pub seed: u64,
}

impl Default for Scenario {
    fn default() -> Self {
        Self {
            position: TestPosition::Seated,
            layout: Layout::BlazePose33,
            body: Body::default(),
            camera: Camera::default(),
            posture: Posture::default(),
            noise: Noise::REALISTIC,
            motion: Motion::default(),
            fps: 30.0,
            seed: 1,
        }
    }
}

/// One frame with its truth.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticFrame {
    /// Capture time, ms.
    pub t_ms: i64,
    /// The keypoints, in the scenario's layout.
    pub points: Vec<Keypoint>,
    /// True hip IR, [left, right], degrees.
    pub truth: [f64; 2],
}

/// A generated set.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticSet {
    /// The frames that arrived.
    pub frames: Vec<SyntheticFrame>,
    /// Reps performed.
    pub reps: u32,
}

type V3 = [f64; 3];

fn add(a: V3, b: V3) -> V3 {
    [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
}
fn sub(a: V3, b: V3) -> V3 {
    [a[0] - b[0], a[1] - b[1], a[2] - b[2]]
}
fn scale(a: V3, k: f64) -> V3 {
    [a[0] * k, a[1] * k, a[2] * k]
}
fn dot(a: V3, b: V3) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}
fn cross(a: V3, b: V3) -> V3 {
    [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]
}
fn unit(a: V3) -> V3 {
    scale(a, 1.0 / dot(a, a).sqrt())
}
/// Rodrigues: `v` turned by `angle` radians about unit `axis`.
fn rotate(v: V3, axis: V3, angle: f64) -> V3 {
    let (s, c) = angle.sin_cos();
    add(add(scale(v, c), scale(cross(axis, v), s)), scale(axis, dot(axis, v) * (1.0 - c)))
}

/// The 3D joints of one instant: [shoulder, hip, knee, ankle] × [left, right].
fn skeleton(s: &Scenario, ir_deg: [f64; 2]) -> [[V3; 2]; 4] {
    let b = s.body;
    // Femur direction, the shin's reference direction at 90°, and the person's left, per test.
    let (femur, shin_ref, left, up_body): (V3, V3, V3, V3) = match s.position {
        TestPosition::Seated => ([0.0, 0.0, 1.0], [0.0, -1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]),
        // Face down, head away from the camera: the person's left is the camera's left.
        TestPosition::Prone => ([0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 0.0, -1.0]),
    };
    let centre = [0.0, b.hip_height, 0.0];
    let hike = s.posture.pelvic_hike_deg.to_radians() * left[0];
    let tilt = |p: V3| add(centre, rotate(sub(p, centre), [0.0, 0.0, 1.0], hike));
    let mut out = [[[0.0; 3]; 2]; 4];
    for (i, side) in [Side::Left, Side::Right].into_iter().enumerate() {
        let outward = if side == Side::Left { left } else { scale(left, -1.0) };
        let hip = add(centre, scale(outward, b.hip_width / 2.0));
        let shoulder = add(add(centre, scale(outward, b.shoulder_width / 2.0)), scale(up_body, 0.5));
        let add_rad = s.posture.hip_adduction_deg[i].to_radians();
        let mut f = add(scale(femur, add_rad.cos()), scale(outward, -add_rad.sin()));
        f = unit(add(f, scale(shin_ref, s.posture.thigh_slope_deg.to_radians().tan())));
        let knee = add(hip, scale(f, b.thigh));
        let d0 = unit(sub(shin_ref, scale(f, dot(shin_ref, f))));
        let interior = (180.0 - s.posture.knee_flexion_deg).to_radians();
        let shin0 = add(scale(f, -interior.cos()), scale(d0, interior.sin()));
        let direction = dot(cross(f, d0), outward).signum();
        let shin = rotate(shin0, f, direction * ir_deg[i].to_radians());
        let ankle = add(knee, scale(shin, b.shank));
        out[0][i] = tilt(shoulder);
        out[1][i] = tilt(hip);
        out[2][i] = tilt(knee);
        out[3][i] = tilt(ankle);
    }
    out
}

/// Camera pose: position and its right, down and forward axes.
fn camera_axes(s: &Scenario) -> (V3, V3, V3, V3) {
    let c = s.camera;
    let knee_z = s.body.thigh;
    let aim = [0.0, s.body.hip_height - 0.5 * s.body.shank, knee_z];
    let yaw = c.yaw_deg.to_radians();
    let pos = [knee_z * 0.0 + c.distance * yaw.sin(), c.height, knee_z + c.distance * yaw.cos()];
    let forward = unit(sub(aim, pos));
    let right = unit(cross(forward, [0.0, 1.0, 0.0]));
    let down = cross(forward, right);
    let roll = c.roll_deg.to_radians();
    let right_r = add(scale(right, roll.cos()), scale(down, roll.sin()));
    let down_r = add(scale(right, -roll.sin()), scale(down, roll.cos()));
    (pos, right_r, down_r, forward)
}

impl Scenario {
    /// True hip IR of the moving side at `t` seconds, for rep `k` peaks drawn from `peaks`.
    fn ir_at(&self, t: f64, peaks: &[f64]) -> f64 {
        let m = self.motion;
        let cycle = m.rest_s + m.out_s + m.hold_s + m.back_s;
        let k = (t / cycle).floor();
        let Some(&peak) = peaks.get(k as usize) else { return 0.0 };
        let u = t - k * cycle;
        let ease = |x: f64| 0.5 - 0.5 * (std::f64::consts::PI * x.clamp(0.0, 1.0)).cos();
        if u < m.rest_s {
            0.0
        } else if u < m.rest_s + m.out_s {
            peak * ease((u - m.rest_s) / m.out_s)
        } else if u < m.rest_s + m.out_s + m.hold_s {
            peak
        } else {
            peak * (1.0 - ease((u - m.rest_s - m.out_s - m.hold_s) / m.back_s))
        }
    }

    /// Keypoints of one instant, with noise drawn from `rng`.
    fn keypoints(&self, ir: [f64; 2], rng: &mut Rng, noisy: bool) -> Vec<Keypoint> {
        let joints = skeleton(self, ir);
        let (pos, right, down, forward) = camera_axes(self);
        let c = self.camera;
        let hip_mid = scale(add(joints[1][0], joints[1][1]), 0.5);
        let hip_depth = dot(sub(hip_mid, pos), forward);
        let n = self.noise;
        let project = |p: V3, rng: &mut Rng| -> Keypoint {
            let v = sub(p, pos);
            let depth = dot(v, forward);
            let mut u = c.width_px / 2.0 + c.focal_px * dot(v, right) / depth;
            let mut w = c.height_px / 2.0 + c.focal_px * dot(v, down) / depth;
            let mut visibility = 0.9 + 0.1 * rng.uniform();
            if noisy {
                u += n.sigma_px * rng.gaussian();
                w += n.sigma_px * rng.gaussian();
                if rng.uniform() < n.outlier {
                    let a = 2.0 * std::f64::consts::PI * rng.uniform();
                    u += n.outlier_px * a.cos();
                    w += n.outlier_px * a.sin();
                }
                if rng.uniform() < n.hidden {
                    visibility = 0.2 * rng.uniform();
                }
            }
            // Model depth is noisier than x and y: twice the pixel noise.
            let z_noise = if noisy { 2.0 * n.sigma_px * rng.gaussian() } else { 0.0 };
            let z = ((depth - hip_depth) * c.focal_px / hip_depth + z_noise) / c.width_px;
            Keypoint {
                x: (u / c.width_px) as f32,
                y: (w / c.height_px) as f32,
                z: Some(z as f32),
                visibility: visibility as f32,
            }
        };
        let filler = project(hip_mid, &mut Rng::new(0));
        let mut points = vec![filler; self.layout.len()];
        for (j, joint) in
            [super::Joint::Shoulder, super::Joint::Hip, super::Joint::Knee, super::Joint::Ankle].into_iter().enumerate()
        {
            for (i, side) in [Side::Left, Side::Right].into_iter().enumerate() {
                let idx = self.layout.index(super::Landmark { joint, side });
                if let Some(slot) = points.get_mut(idx) {
                    *slot = project(joints[j][i], rng);
                }
            }
        }
        if self.layout == Layout::Coco17 {
            for p in &mut points {
                p.z = None;
            }
        }
        points
    }

    /// The set of reps, as the frames that arrived.
    pub fn generate(&self) -> SyntheticSet {
        let mut rng = Rng::new(self.seed);
        let m = self.motion;
        let peaks: Vec<f64> = (0..m.reps).map(|_| m.peak_deg + 3.0 * (2.0 * rng.uniform() - 1.0)).collect();
        let cycle = m.rest_s + m.out_s + m.hold_s + m.back_s;
        let total = cycle * f64::from(m.reps) + m.rest_s;
        let count = (total * self.fps).ceil() as usize;
        let mut frames = Vec::with_capacity(count);
        for i in 0..count {
            let t = i as f64 / self.fps;
            let angle = self.ir_at(t, &peaks);
            let truth = if m.side == Side::Left { [angle, 0.0] } else { [0.0, angle] };
            let points = self.keypoints(truth, &mut rng, true);
            if rng.uniform() < self.noise.dropped_frame {
                continue;
            }
            frames.push(SyntheticFrame { t_ms: (t * 1000.0).round() as i64, points, truth });
        }
        SyntheticSet { frames, reps: m.reps }
    }

    /// `count` frames at neutral (both shins hanging straight), for a calibration; with the
    /// scenario's pixel noise but no dropouts or outliers.
    pub fn neutral_frames(&self, count: usize) -> Vec<SyntheticFrame> {
        let mut rng = Rng::new(self.seed ^ 0xA5A5_A5A5);
        let quiet = Scenario { noise: Noise { sigma_px: self.noise.sigma_px, ..Noise::NONE }, ..*self };
        (0..count)
            .map(|i| SyntheticFrame {
                t_ms: (i as f64 * 1000.0 / self.fps).round() as i64,
                points: quiet.keypoints([0.0; 2], &mut rng, true),
                truth: [0.0; 2],
            })
            .collect()
    }

    /// The scenario as a camera would record it, for the whole-clip path (`hipcoach analyze`):
    /// a still second at neutral to calibrate on, then the set; with the set, for its truth.
    pub fn recording(&self) -> (super::Recording, SyntheticSet) {
        let neutral = self.neutral_frames(self.fps.round() as usize);
        let set = self.generate();
        let shift = neutral.last().map_or(0, |f| f.t_ms) + (1000.0 / self.fps).round() as i64;
        let frames = neutral
            .iter()
            .map(|f| super::RecordedFrame { t_ms: f.t_ms, points: f.points.clone() })
            .chain(set.frames.iter().map(|f| super::RecordedFrame { t_ms: f.t_ms + shift, points: f.points.clone() }))
            .collect();
        let image = super::ImageSize::new(self.camera.width_px, self.camera.height_px).unwrap_or(super::ImageSize::VGA);
        (super::Recording { layout: self.layout, image, frames }, set)
    }
}

impl SyntheticFrame {
    /// The frame as the analyser takes it.
    pub fn frame(&self, layout: Layout) -> super::Frame<'_> {
        super::Frame { t_ms: self.t_ms, layout, points: &self.points }
    }
}

/// How the analysis did on one synthetic set.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// Mean absolute error of the smoothed angle against truth over measured frames of the
    /// moving side, degrees; `None` when nothing was measured.
    pub mean_abs_error: Option<f64>,
    /// Largest absolute error, degrees.
    pub max_abs_error: f64,
    /// Share of the moving side's frames that gave a number (0–1).
    pub measured: f64,
    /// Reps the counter found.
    pub reps_counted: u32,
    /// Reps performed.
    pub reps_true: u32,
    /// The most frequent reason for "cannot measure", if any.
    pub main_reason: Option<String>,
}

/// Whether to give the analyser a neutral calibration and the camera's roll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Aids {
    /// Calibrate first from 30 neutral frames in the textbook posture (same camera and body).
    pub calibrate: bool,
    /// Tell the analyser the camera's roll (as a phone's gravity sensor would).
    pub known_roll: bool,
}

impl Scenario {
    /// The analyser's settings for this scenario.
    pub fn analysis_config(&self, aids: Aids) -> super::AnalysisConfig {
        // A non-positive image size is a test author's slip; fall back to VGA rather than panic.
        let image = super::ImageSize::new(self.camera.width_px, self.camera.height_px).unwrap_or(super::ImageSize::VGA);
        let mut config = super::AnalysisConfig::new(self.position, image);
        if aids.known_roll {
            // A level line appears turned against the camera's roll.
            config.horizon_tilt = super::Degrees::new(-self.camera.roll_deg).ok();
        }
        config
    }

    /// Generates the set, runs the analyser, rep counter included, and scores it.
    pub fn evaluate(&self, aids: Aids) -> Evaluation {
        let config = self.analysis_config(aids);
        let mut analyzer = if aids.calibrate {
            // The user calibrates as instructed (textbook posture); deviations come later.
            let textbook = Scenario { posture: Posture::default(), ..*self };
            let neutral = textbook.neutral_frames(30);
            let frames: Vec<super::Frame<'_>> = neutral.iter().map(|f| f.frame(self.layout)).collect();
            match super::Calibration::from_frames(&config, &frames) {
                Ok(c) => super::Analyzer::with_calibration(config, c),
                Err(_) => super::Analyzer::new(config),
            }
        } else {
            super::Analyzer::new(config)
        };
        let set = self.generate();
        let side = self.motion.side;
        let i = side as usize;
        let mut counter = super::RepCounter::new(super::RepThresholds::for_end_range(
            super::Degrees::new(self.motion.peak_deg).unwrap_or(super::Degrees::ZERO),
        ));
        let (mut sum, mut max, mut n) = (0.0, 0.0f64, 0usize);
        let mut reasons: Vec<(String, usize)> = Vec::new();
        for f in &set.frames {
            let result = analyzer.analyze(&f.frame(self.layout));
            match result.side(side) {
                Ok(a) => {
                    let e = (a.angle.get() - f.truth[i]).abs();
                    sum += e;
                    max = max.max(e);
                    n += 1;
                    counter.update(f.t_ms, a.angle);
                }
                Err(reason) => {
                    let key = reason_kind(reason);
                    match reasons.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, c)) => *c += 1,
                        None => reasons.push((key, 1)),
                    }
                }
            }
        }
        reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
        Evaluation {
            mean_abs_error: (n > 0).then(|| sum / n as f64),
            max_abs_error: max,
            measured: if set.frames.is_empty() { 0.0 } else { n as f64 / set.frames.len() as f64 },
            reps_counted: counter.count(),
            reps_true: set.reps,
            main_reason: reasons.first().map(|r| r.0.clone()),
        }
    }
}

/// The name of a reason without its numbers, for tallies.
fn reason_kind(reason: &super::CannotMeasure) -> String {
    let debug = format!("{reason:?}");
    debug.split(['(', ' ', '{']).next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_set() {
        let s = Scenario::default();
        assert_eq!(s.generate(), s.generate());
        assert_ne!(s.generate(), Scenario { seed: 2, ..s }.generate());
    }

    #[test]
    fn gaussian_has_unit_spread() {
        let mut r = Rng::new(7);
        let xs: Vec<f64> = (0..20_000).map(|_| r.gaussian()).collect();
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64;
        assert!(mean.abs() < 0.03 && (var - 1.0).abs() < 0.05, "mean {mean} var {var}");
    }

    #[test]
    fn the_model_keeps_the_knee_at_ninety_and_the_shin_length() {
        let s = Scenario::default();
        let j = skeleton(&s, [30.0, 0.0]);
        let thigh = sub(j[1][0], j[2][0]);
        let shin = sub(j[3][0], j[2][0]);
        assert!(dot(thigh, shin).abs() < 1e-9);
        assert!((dot(shin, shin).sqrt() - s.body.shank).abs() < 1e-9);
        // The left foot moved to the person's left (+x seated).
        assert!(j[3][0][0] > j[2][0][0]);
    }
}
