//! The geometry of one frame: the shin's angle in the pelvis's own frame, and the cues for a
//! poor view.
//!
//! The shin (knee→ankle) angle is taken from the perpendicular to the hip line rather than from
//! the image's vertical. That is "angle from true vertical minus the tilt of the hip line": a
//! camera roll or a pelvic hike tilts shin and hips together (1:1) and so cancels. Feet are not
//! used (tibial torsion). Camera yaw is read from the sideways offset of the knees from the hips:
//! with the thighs aimed at the lens the knees sit in line with the hips, and a turned camera sees
//! the thighs sideways. A model's depth is not used for it: on rendered people BlazePose's hip
//! depth implied a yaw of 17° with the camera square and 74° with it turned 35°, while the
//! knees' offsets read 0–2° and 36°.

use super::TestPosition;
use crate::units::Side;

/// A keypoint in pixels (depth on the x scale, when known).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Px {
    pub x: f64,
    pub y: f64,
    pub z: Option<f64>,
}

/// The hip line: its direction, its pixel length and its tilt.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Pelvis {
    /// Unit vector from the right hip to the left hip.
    e: (f64, f64),
    /// Unit vector perpendicular to it, pointing down the image.
    n: (f64, f64),
    /// Hip-to-hip distance, px.
    pub width: f64,
    /// Tilt of the hip line from the image horizontal, degrees (positive: left hip lower in the
    /// image when the left hip is on the image's right).
    pub tilt_deg: f64,
}

impl Pelvis {
    /// The hip line from the two hips; `None` when they coincide.
    pub fn new(left: Px, right: Px) -> Option<Pelvis> {
        let (dx, dy) = (left.x - right.x, left.y - right.y);
        let width = dx.hypot(dy);
        if width.is_nan() || width <= 1e-6 {
            return None;
        }
        let e = (dx / width, dy / width);
        let n = if e.0 >= 0.0 { (-e.1, e.0) } else { (e.1, -e.0) };
        let tilt_deg = (e.1 * e.0.signum()).atan2(e.0.abs()).to_degrees();
        Some(Pelvis { e, n, width, tilt_deg })
    }

    /// The same hip line turned to `tilt_deg`: the pelvis hardly moves during a trial, so a
    /// smoothed tilt corrects the shin angle without adding the hips' frame-to-frame jitter.
    pub fn with_tilt(self, tilt_deg: f64) -> Pelvis {
        let (sin, cos) = tilt_deg.to_radians().sin_cos();
        let e = if self.e.0 >= 0.0 { (cos, sin) } else { (-cos, -sin) };
        let n = if e.0 >= 0.0 { (-e.1, e.0) } else { (e.1, -e.0) };
        Pelvis { e, n, tilt_deg, ..self }
    }
}

/// One leg's measurements in the pelvis frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Leg {
    /// Shin angle from the pelvis's vertical, degrees, positive when the foot is outward.
    pub angle_deg: f64,
    /// Shin length in the image, px.
    pub shank: f64,
    /// Knee's offset from its hip along the hip line, px, positive toward the person's left.
    pub knee_offset: f64,
    /// Knee angle in 3D (between thigh and shin), degrees, when all three points have depth.
    pub knee_deg: Option<f64>,
}

impl Leg {
    pub fn new(pelvis: &Pelvis, side: Side, position: TestPosition, hip: Px, knee: Px, ankle: Px) -> Option<Leg> {
        let s = (ankle.x - knee.x, ankle.y - knee.y);
        let shank = s.0.hypot(s.1);
        if shank.is_nan() || shank <= 1e-6 {
            return None;
        }
        let along = s.0 * pelvis.e.0 + s.1 * pelvis.e.1;
        let down = s.0 * pelvis.n.0 + s.1 * pelvis.n.1;
        let outward = match side {
            Side::Left => along,
            Side::Right => -along,
        };
        // Seated the shin hangs down from the knee; prone it points up at the ceiling.
        let vertical = match position {
            TestPosition::Seated => down,
            TestPosition::Prone => -down,
        };
        let angle_deg = outward.atan2(vertical).to_degrees();
        let knee_offset = (knee.x - hip.x) * pelvis.e.0 + (knee.y - hip.y) * pelvis.e.1;
        let knee_deg = match (hip.z, knee.z, ankle.z) {
            (Some(hz), Some(kz), Some(az)) => {
                let u = (hip.x - knee.x, hip.y - knee.y, hz - kz);
                let v = (ankle.x - knee.x, ankle.y - knee.y, az - kz);
                let nu = (u.0 * u.0 + u.1 * u.1 + u.2 * u.2).sqrt();
                let nv = (v.0 * v.0 + v.1 * v.1 + v.2 * v.2).sqrt();
                let cos = (u.0 * v.0 + u.1 * v.1 + u.2 * v.2) / (nu * nv);
                cos.is_finite().then(|| cos.clamp(-1.0, 1.0).acos().to_degrees())
            }
            _ => None,
        };
        Some(Leg { angle_deg, shank, knee_offset, knee_deg })
    }
}

/// Yaw from the knees' common sideways offset (both legs when both are seen), degrees. The
/// thigh is taken as long as the shin, which holds to about 10 % in adults.
pub(crate) fn yaw_from_thighs(legs: [Option<&Leg>; 2]) -> Option<f64> {
    let (mut offset, mut shank, mut n) = (0.0, 0.0, 0.0);
    for leg in legs.into_iter().flatten() {
        offset += leg.knee_offset;
        shank += leg.shank;
        n += 1.0;
    }
    (n > 0.0).then(|| (offset / shank).clamp(-1.0, 1.0).asin().abs().to_degrees())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn px(x: f64, y: f64) -> Px {
        Px { x, y, z: None }
    }

    #[test]
    fn foot_outward_is_positive_on_both_sides_and_in_a_mirrored_image() {
        for mirror in [1.0, -1.0] {
            let pelvis = Pelvis::new(px(60.0 * mirror, 0.0), px(-60.0 * mirror, 0.0)).unwrap();
            for (side, hip_x) in [(Side::Left, 60.0 * mirror), (Side::Right, -60.0 * mirror)] {
                let out = hip_x.signum();
                let knee = px(hip_x, 10.0);
                let ankle = px(hip_x + out * 100.0 * 30f64.to_radians().sin(), 10.0 + 100.0 * 30f64.to_radians().cos());
                let leg = Leg::new(&pelvis, side, TestPosition::Seated, px(hip_x, 0.0), knee, ankle).unwrap();
                assert!((leg.angle_deg - 30.0).abs() < 1e-9, "{side} mirror {mirror}: {}", leg.angle_deg);
            }
        }
    }

    #[test]
    fn rolling_the_whole_picture_changes_nothing() {
        let rot = |p: Px, r: f64| px(p.x * r.cos() - p.y * r.sin(), p.x * r.sin() + p.y * r.cos());
        let (hl, hr, k, a) = (px(60.0, 0.0), px(-60.0, 0.0), px(60.0, 5.0), px(110.0, 90.0));
        let base = Leg::new(&Pelvis::new(hl, hr).unwrap(), Side::Left, TestPosition::Seated, hl, k, a).unwrap();
        let r = 7f64.to_radians();
        let pelvis = Pelvis::new(rot(hl, r), rot(hr, r)).unwrap();
        assert!((pelvis.tilt_deg - 7.0).abs() < 1e-9);
        let rolled = Leg::new(&pelvis, Side::Left, TestPosition::Seated, rot(hl, r), rot(k, r), rot(a, r)).unwrap();
        assert!((rolled.angle_deg - base.angle_deg).abs() < 1e-9);
    }

    #[test]
    fn a_pelvis_turned_to_its_own_tilt_is_unchanged() {
        for (l, r) in [(px(60.0, 4.0), px(-60.0, -3.0)), (px(-60.0, 4.0), px(60.0, -3.0))] {
            let p = Pelvis::new(l, r).unwrap();
            let q = p.with_tilt(p.tilt_deg);
            assert!((p.e.0 - q.e.0).abs() < 1e-12 && (p.e.1 - q.e.1).abs() < 1e-12);
            assert!((p.n.0 - q.n.0).abs() < 1e-12 && (p.n.1 - q.n.1).abs() < 1e-12);
        }
    }

    #[test]
    fn prone_shin_points_up() {
        let pelvis = Pelvis::new(px(-60.0, 0.0), px(60.0, 0.0)).unwrap(); // seen from the feet
        let leg = Leg::new(&pelvis, Side::Left, TestPosition::Prone, px(-60.0, 0.0), px(-60.0, 0.0), px(-110.0, -86.6))
            .unwrap();
        assert!((leg.angle_deg - 30.0).abs() < 0.1);
    }
}
