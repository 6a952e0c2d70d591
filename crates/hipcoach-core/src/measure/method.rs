//! How a hip rotation was measured, and what that says about how far to trust it.
//!
//! Each method has a minimal detectable change (MDC): a change smaller than it may be
//! measurement noise, so it is never called progress. The figures are the conservative ends of
//! the published ranges (see `shared/clinical.md`, "Measuring hip IR"). A reading's ± is the
//! single-reading 95 % band, MDC/√2, rounded up to whole degrees.

use super::Degrees;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The instrument behind a reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// A digital inclinometer.
    Inclinometer,
    /// A phone strapped to the shin, reading gravity: a smartphone clinometer, whose published
    /// agreement is wider than a digital inclinometer's, so its own (conservative) MDC applies.
    #[serde(rename = "phone")]
    Phone,
    /// A manual goniometer, read by a person.
    Goniometer,
    /// Keypoints from a camera: not yet validated against a goniometer, so an estimate.
    /// (Profiles stored before the measurement types were unified spell it `camera`.)
    #[serde(alias = "camera")]
    CameraEstimate,
}

/// Whether two readings being compared were taken by the same person (goniometry only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Rater {
    /// The same person measured both times.
    Same,
    /// Different people measured: goniometer agreement halves.
    Different,
}

impl Method {
    /// Every method, for tables.
    pub const ALL: [Method; 4] = [Method::Inclinometer, Method::Phone, Method::Goniometer, Method::CameraEstimate];

    /// Whether side-to-side differences from this method are trustworthy enough to change the
    /// dose. Only goniometer and inclinometer readings are: a camera estimate is ±10°.
    pub fn trusted_for_asymmetry_dosing(self) -> bool {
        // clinical.md: goniometer or inclinometer only; a phone on the shin is not yet checked
        // against a goniometer, so its differences do not change the dose.
        matches!(self, Method::Goniometer | Method::Inclinometer)
    }

    /// The smallest change (or side-to-side difference) this method can call real.
    pub fn minimal_detectable_change(self, rater: Rater) -> Degrees {
        match (self, rater) {
            (Method::Inclinometer, _) => Degrees::of(6.0),
            (Method::Phone, _) => Degrees::of(10.0),
            (Method::Goniometer, Rater::Same) => Degrees::of(8.0),
            (Method::Goniometer, Rater::Different) => Degrees::of(16.0),
            (Method::CameraEstimate, _) => Degrees::of(14.0),
        }
    }

    /// The ± shown beside one reading: about MDC/√2, whole degrees. The camera's ±10° is the
    /// figure the app must show until its own validation passes.
    pub fn uncertainty(self) -> Degrees {
        match self {
            Method::Inclinometer => Degrees::of(4.0),
            Method::Phone => Degrees::of(7.0),
            Method::Goniometer => Degrees::of(6.0),
            Method::CameraEstimate => Degrees::of(10.0),
        }
    }

    /// The MDC when two readings by possibly different methods are compared: the larger, since
    /// the noisier instrument decides what can be told apart.
    pub fn mdc_between(a: Method, b: Method, rater: Rater) -> Degrees {
        let (x, y) = (a.minimal_detectable_change(rater), b.minimal_detectable_change(rater));
        if x.get() >= y.get() { x } else { y }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Method::Inclinometer => "inclinometer",
            Method::Phone => "phone on the shin",
            Method::Goniometer => "goniometer",
            Method::CameraEstimate => "camera estimate",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[test]
    fn profiles_stored_with_the_old_camera_spelling_still_read() {
        let method: Method = serde_json::from_str(r#""camera""#).expect("alias");
        assert_eq!(method, Method::CameraEstimate);
        assert_eq!(serde_json::to_string(&method).expect("json"), r#""camera-estimate""#);
        assert!(!method.trusted_for_asymmetry_dosing());
        assert!(
            Method::Goniometer.trusted_for_asymmetry_dosing() && Method::Inclinometer.trusted_for_asymmetry_dosing()
        );
    }

    #[rstest]
    #[case(Method::Inclinometer, Rater::Same, 6.0)]
    #[case(Method::Phone, Rater::Same, 10.0)]
    #[case(Method::Goniometer, Rater::Same, 8.0)]
    #[case(Method::Goniometer, Rater::Different, 16.0)]
    #[case(Method::CameraEstimate, Rater::Same, 14.0)]
    fn mdc_matches_the_clinical_table(#[case] method: Method, #[case] rater: Rater, #[case] mdc: f64) {
        assert_eq!(method.minimal_detectable_change(rater).get(), mdc);
    }

    #[test]
    fn comparing_methods_uses_the_noisier_one() {
        assert_eq!(Method::mdc_between(Method::Inclinometer, Method::CameraEstimate, Rater::Same).get(), 14.0);
    }

    #[test]
    fn uncertainty_is_about_mdc_over_root_two() {
        for m in Method::ALL {
            let expected = m.minimal_detectable_change(Rater::Same).get() / 2f64.sqrt();
            assert!((m.uncertainty().get() - expected).abs() < 1.0, "{m}");
        }
    }
}
