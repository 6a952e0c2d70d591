//! A hip-rotation result as a clinician would write it: an angle with its ±, the method, the
//! side and the test position.
//!
//! Readings never show more precision than the method has: whole degrees and a ±, and camera
//! readings are labelled as estimates. A reading is the median of the trials, so one spoiled
//! trial does not decide it.

use super::{Degrees, Method, TestPosition};
use crate::units::Side;
use serde::{Deserialize, Serialize};
use std::fmt;

/// An angle and how far either way the truth may lie.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RangeOfMotion {
    /// The measured angle.
    pub angle: Degrees,
    /// The ± around it (never negative).
    pub uncertainty: Degrees,
}

impl RangeOfMotion {
    /// An angle with a ±; the sign of `uncertainty` is dropped.
    pub fn new(angle: Degrees, uncertainty: Degrees) -> Self {
        Self { angle, uncertainty: uncertainty.abs() }
    }
}

impl fmt::Display for RangeOfMotion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ±{}", self.angle, self.uncertainty)
    }
}

/// Why trials could not be turned into a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReadingError {
    /// The protocol asks for three trials; a median of fewer hides a bad one.
    #[error("{0} trials given; take 3 and keep the median")]
    WrongTrialCount(usize),
}

/// One side's result of one test on one day.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reading {
    /// How it was measured.
    pub method: Method,
    /// Which leg.
    pub side: Side,
    /// Which test.
    pub position: TestPosition,
    /// The median angle and its ±.
    pub range: RangeOfMotion,
}

impl Reading {
    /// A reading from one value, with the method's usual ±.
    pub fn single(method: Method, side: Side, position: TestPosition, angle: Degrees) -> Self {
        Self { method, side, position, range: RangeOfMotion::new(angle, method.uncertainty()) }
    }

    /// The median of exactly three trials, with the method's usual ±.
    pub fn from_trials(
        method: Method,
        side: Side,
        position: TestPosition,
        trials: &[Degrees],
    ) -> Result<Self, ReadingError> {
        match trials {
            [a, b, c] => Ok(Self::single(method, side, position, median_of_three(*a, *b, *c))),
            other => Err(ReadingError::WrongTrialCount(other.len())),
        }
    }

    /// The angle alone.
    pub fn angle(&self) -> Degrees {
        self.range.angle
    }
}

impl fmt::Display for Reading {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let estimate = if self.method == Method::CameraEstimate { "estimate " } else { "" };
        write!(f, "{} {} IR {estimate}{} ({})", self.side, self.position, self.range, self.method)
    }
}

/// The middle of three angles.
pub fn median_of_three(a: Degrees, b: Degrees, c: Degrees) -> Degrees {
    let (a, b, c) = (a.get(), b.get(), c.get());
    let median = a.max(b).min(a.min(b).max(c));
    Degrees::new(median).unwrap_or(Degrees::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(x: f64) -> Degrees {
        Degrees::new(x).unwrap()
    }

    #[test]
    fn camera_reading_shows_whole_degrees_and_says_estimate() {
        let r = Reading::from_trials(
            Method::CameraEstimate,
            Side::Left,
            TestPosition::Seated,
            &[d(31.2), d(36.6), d(35.4)],
        )
        .unwrap();
        assert_eq!(r.to_string(), "left seated IR estimate 35° ±10° (camera estimate)");
    }

    #[test]
    fn inclinometer_reading_has_no_estimate_label() {
        let r = Reading::single(Method::Inclinometer, Side::Right, TestPosition::Prone, d(28.0));
        assert_eq!(r.to_string(), "right prone IR 28° ±4° (inclinometer)");
    }

    #[test]
    fn refuses_other_than_three_trials() {
        let err = Reading::from_trials(Method::Goniometer, Side::Left, TestPosition::Seated, &[d(1.0)]).unwrap_err();
        assert_eq!(err, ReadingError::WrongTrialCount(1));
    }

    proptest! {
        #[test]
        fn median_is_one_of_the_trials_and_between_the_others(a in -90.0..90.0f64, b in -90.0..90.0f64, c in -90.0..90.0f64) {
            let m = median_of_three(d(a), d(b), d(c)).get();
            let mut v = [a, b, c];
            v.sort_by(f64::total_cmp);
            prop_assert_eq!(m, v[1]);
        }
    }
}
