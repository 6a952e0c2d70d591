//! An angle in degrees that is always a real number.
//!
//! Keypoint data arrives with NaN and infinities; once a value is `Degrees` it is finite and
//! within one turn either way, so comparisons, medians and trends never meet a NaN.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Why a number was refused as an angle.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum AngleError {
    /// NaN or infinite: a keypoint or sensor gave no real value.
    #[error("the angle is not a number")]
    NotFinite,
    /// More than a full turn either way: not a joint angle.
    #[error("{0}° is more than a full turn")]
    BeyondFullTurn(f64),
}

/// A finite angle in degrees, within ±360°.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "f64", into = "f64")]
pub struct Degrees(f64);

impl Degrees {
    /// Zero degrees.
    pub const ZERO: Degrees = Degrees(0.0);

    /// Accepts only a finite angle within ±360°.
    pub fn new(value: f64) -> Result<Self, AngleError> {
        if !value.is_finite() {
            Err(AngleError::NotFinite)
        } else if value.abs() > 360.0 {
            Err(AngleError::BeyondFullTurn(value))
        } else {
            Ok(Self(value))
        }
    }

    /// For constants written in this crate; panics at compile time when used in a `const` with a
    /// bad value, so it is never reached at run time with one.
    pub(crate) const fn of(value: f64) -> Self {
        assert!(value.is_finite() && value.abs() <= 360.0, "constant angle out of range");
        Self(value)
    }

    /// Clamped into ±360°, NaN becoming zero: for values computed from checked inputs, where
    /// the clamp only guards arithmetic edge cases.
    pub(crate) fn of_clamped(value: f64) -> Self {
        if value.is_finite() { Self(value.clamp(-360.0, 360.0)) } else { Self(0.0) }
    }

    /// The plain number.
    pub fn get(self) -> f64 {
        self.0
    }

    /// The size of the angle, without its direction.
    pub fn abs(self) -> Degrees {
        Degrees(self.0.abs())
    }

    /// Whole degrees: the most precision any method here supports.
    pub fn rounded(self) -> i64 {
        self.0.round() as i64
    }
}

impl TryFrom<f64> for Degrees {
    type Error = AngleError;
    fn try_from(value: f64) -> Result<Self, Self::Error> {
        Self::new(value)
    }
}

impl From<Degrees> for f64 {
    fn from(value: Degrees) -> f64 {
        value.0
    }
}

impl fmt::Display for Degrees {
    /// Whole degrees only: no hip-rotation measurement is better than a degree or two.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}°", self.rounded())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_nan_infinity_and_more_than_a_turn() {
        assert_eq!(Degrees::new(f64::NAN), Err(AngleError::NotFinite));
        assert_eq!(Degrees::new(f64::INFINITY), Err(AngleError::NotFinite));
        assert!(Degrees::new(400.0).is_err());
        assert_eq!(Degrees::new(-37.4).unwrap().get(), -37.4);
    }

    #[test]
    fn displays_whole_degrees() {
        assert_eq!(Degrees::new(37.6).unwrap().to_string(), "38°");
        assert_eq!(Degrees::new(-0.4).unwrap().to_string(), "0°");
    }

    #[test]
    fn deserialising_checks_the_value() {
        assert!(serde_json::from_str::<Degrees>("12.5").is_ok());
        assert!(serde_json::from_str::<Degrees>("1000").is_err());
    }
}
