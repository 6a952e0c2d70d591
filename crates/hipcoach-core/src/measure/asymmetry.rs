//! Whether the two hips differ by a meaningful amount.
//!
//! Sides differ in most healthy people (symmetric in only 61 %), often for structural reasons, so
//! a difference counts only above 10° *and* above what the instruments can tell apart.

use super::{Degrees, MEANINGFUL_SIDE_DIFFERENCE, Method, Rater, Reading};
use crate::units::Side;
use serde::{Deserialize, Serialize};

/// The comparison of left and right in one test position.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Asymmetry {
    /// Left minus right.
    pub difference: Degrees,
    /// The smaller side, when the difference is meaningful.
    pub stiffer: Option<Side>,
    /// The MDC the difference had to exceed.
    pub mdc: Degrees,
}

/// Why two readings cannot be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AsymmetryError {
    /// Seated and prone are different tests.
    #[error("left and right were measured in different test positions")]
    DifferentPositions,
    /// Both readings are of the same leg.
    #[error("both readings are of the {0} side")]
    SameSide(Side),
}

impl Asymmetry {
    /// Compares a left and a right reading of the same test.
    pub fn between(left: &Reading, right: &Reading, rater: Rater) -> Result<Asymmetry, AsymmetryError> {
        if left.position != right.position {
            return Err(AsymmetryError::DifferentPositions);
        }
        if left.side == right.side {
            return Err(AsymmetryError::SameSide(left.side));
        }
        let (left, right) = if left.side == Side::Left { (left, right) } else { (right, left) };
        let diff = left.angle().get() - right.angle().get();
        let mdc = Method::mdc_between(left.method, right.method, rater);
        let meaningful = diff.abs() > MEANINGFUL_SIDE_DIFFERENCE.get() && diff.abs() >= mdc.get();
        let stiffer = meaningful.then_some(if diff < 0.0 { Side::Left } else { Side::Right });
        Ok(Asymmetry { difference: Degrees::new(diff).unwrap_or(Degrees::ZERO), stiffer, mdc })
    }

    /// Whether the sides really differ.
    pub fn is_meaningful(&self) -> bool {
        self.stiffer.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::measure::TestPosition;
    use rstest::rstest;

    #[rstest]
    #[case(Method::Inclinometer, 40.0, 29.0, Some(Side::Right))]
    #[case(Method::Inclinometer, 40.0, 30.0, None)] // exactly 10°: counted as equal
    #[case(Method::CameraEstimate, 40.0, 28.0, None)] // 12° is inside the camera's 14° MDC
    #[case(Method::CameraEstimate, 20.0, 35.0, Some(Side::Left))]
    fn difference_must_beat_ten_degrees_and_the_mdc(
        #[case] method: Method,
        #[case] left: f64,
        #[case] right: f64,
        #[case] stiffer: Option<Side>,
    ) {
        let l = Reading::single(method, Side::Left, TestPosition::Seated, Degrees::new(left).unwrap());
        let r = Reading::single(method, Side::Right, TestPosition::Seated, Degrees::new(right).unwrap());
        assert_eq!(Asymmetry::between(&l, &r, Rater::Same).unwrap().stiffer, stiffer);
        assert_eq!(Asymmetry::between(&r, &l, Rater::Same).unwrap().stiffer, stiffer);
    }

    #[test]
    fn seated_and_prone_are_not_compared() {
        let l = Reading::single(Method::Goniometer, Side::Left, TestPosition::Seated, Degrees::ZERO);
        let r = Reading::single(Method::Goniometer, Side::Right, TestPosition::Prone, Degrees::ZERO);
        assert_eq!(Asymmetry::between(&l, &r, Rater::Same), Err(AsymmetryError::DifferentPositions));
    }
}
