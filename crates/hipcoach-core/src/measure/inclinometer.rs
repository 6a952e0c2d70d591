//! A phone on the shin as an inclinometer, from the gravity vector.
//!
//! The tilt is `atan2` of gravity's two components in the phone's screen plane, relative to a
//! neutral reading taken with the shin vertical. DeviceOrientation Euler angles are not used: a
//! phone strapped upright sits near beta = 90°, where they suffer gimbal lock. A reading is
//! refused while the phone moves (|g| far from 1 g) or when the screen plane is turned too far
//! from the plane the shin swings in (little gravity left in it to measure).

use super::{Degrees, Method, RangeOfMotion};
use serde::{Deserialize, Serialize};

/// Standard gravity, m/s².
const STANDARD_GRAVITY: f64 = 9.806_65;

/// Accelerometer output in the phone's own axes (x across the screen, y along it, z out of it),
/// m/s², including gravity.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Gravity {
    /// Across the screen.
    pub x: f64,
    /// Along the screen (the phone's long axis, along the shin).
    pub y: f64,
    /// Out of the screen.
    pub z: f64,
}

/// Why the phone cannot give an angle now.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum InclinometerError {
    /// A component is NaN or infinite.
    #[error("the sensor gave no usable value")]
    NotFinite,
    /// The phone is accelerating: hold still.
    #[error("the phone is moving ({magnitude:.1} m/s² instead of about 9.8); hold still")]
    Moving {
        /// Measured magnitude.
        magnitude: f64,
    },
    /// Less than half of gravity lies in the screen plane; the phone is too far from the plane
    /// the shin swings in.
    #[error("the phone is turned too far out of the shin's plane")]
    OutOfPlane,
}

/// The neutral position, recorded with the shin vertical.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InclinometerNeutral {
    tilt: f64,
}

/// Tilt of the phone's long axis from straight down, in its screen plane, degrees (−180..180].
fn raw_tilt(g: Gravity) -> Result<f64, InclinometerError> {
    if !(g.x.is_finite() && g.y.is_finite() && g.z.is_finite()) {
        return Err(InclinometerError::NotFinite);
    }
    let magnitude = (g.x * g.x + g.y * g.y + g.z * g.z).sqrt();
    if !(0.8 * STANDARD_GRAVITY..=1.2 * STANDARD_GRAVITY).contains(&magnitude) {
        return Err(InclinometerError::Moving { magnitude });
    }
    let in_plane = (g.x * g.x + g.y * g.y).sqrt();
    if in_plane < 0.5 * magnitude {
        return Err(InclinometerError::OutOfPlane);
    }
    // With the phone upright, gravity reads (0, -g, 0); tilting the top of the phone toward +x
    // moves gravity toward -x.
    Ok((-g.x).atan2(-g.y).to_degrees())
}

impl InclinometerNeutral {
    /// Records the neutral position.
    pub fn record(g: Gravity) -> Result<Self, InclinometerError> {
        raw_tilt(g).map(|tilt| Self { tilt })
    }
}

/// The shin's rotation from neutral, with the inclinometer's ±. Positive is toward the phone's
/// +x side; which way is "outward" depends on how the phone is strapped, so the caller flips it.
pub fn inclinometer(g: Gravity, neutral: InclinometerNeutral) -> Result<RangeOfMotion, InclinometerError> {
    let mut angle = raw_tilt(g)? - neutral.tilt;
    if angle > 180.0 {
        angle -= 360.0;
    } else if angle <= -180.0 {
        angle += 360.0;
    }
    let angle = Degrees::new(angle).map_err(|_| InclinometerError::NotFinite)?;
    Ok(RangeOfMotion::new(angle, Method::Phone.uncertainty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn tilted(deg: f64, out_of_plane: f64) -> Gravity {
        let (t, p) = (deg.to_radians(), out_of_plane.to_radians());
        let g = STANDARD_GRAVITY;
        Gravity { x: -g * t.sin() * p.cos(), y: -g * t.cos() * p.cos(), z: -g * p.sin() }
    }

    #[test]
    fn reads_rotation_from_neutral() {
        let neutral = InclinometerNeutral::record(tilted(3.0, 10.0)).unwrap();
        let rom = inclinometer(tilted(38.0, 10.0), neutral).unwrap();
        assert!((rom.angle.get() - 35.0).abs() < 1e-9);
        assert_eq!(rom.uncertainty.get(), 7.0, "a phone on the shin: the smartphone clinometer's ±");
    }

    #[test]
    fn refuses_a_moving_or_flat_phone() {
        let neutral = InclinometerNeutral::record(tilted(0.0, 0.0)).unwrap();
        let moving = Gravity { x: 0.0, y: -20.0, z: 0.0 };
        assert!(matches!(inclinometer(moving, neutral), Err(InclinometerError::Moving { .. })));
        assert_eq!(inclinometer(tilted(20.0, 70.0), neutral), Err(InclinometerError::OutOfPlane));
        let nan = Gravity { x: f64::NAN, y: 0.0, z: 0.0 };
        assert_eq!(inclinometer(nan, neutral), Err(InclinometerError::NotFinite));
    }

    proptest! {
        #[test]
        fn never_panics_and_angles_stay_in_a_half_turn(x in proptest::num::f64::ANY, y in proptest::num::f64::ANY, z in proptest::num::f64::ANY, n in -170.0..170.0f64) {
            let neutral = InclinometerNeutral::record(tilted(n, 0.0)).unwrap();
            if let Ok(rom) = inclinometer(Gravity { x, y, z }, neutral) {
                prop_assert!(rom.angle.get().abs() <= 180.0);
            }
        }

        #[test]
        fn recovers_any_in_plane_tilt(deg in -80.0..80.0f64, tip in -40.0..40.0f64) {
            let neutral = InclinometerNeutral::record(tilted(0.0, tip)).unwrap();
            let rom = inclinometer(tilted(deg, tip), neutral).unwrap();
            prop_assert!((rom.angle.get() - deg).abs() < 1e-6);
        }
    }
}
