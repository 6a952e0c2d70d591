//! Where an IR result sits against the clinical flags.
//!
//! Below 20° is limited; below 15° is a strong flag (with hip pain, one of the ACR criteria for
//! hip osteoarthritis, so the app suggests a review); 30–45° is the reference band, where
//! end-range work stops progressing and maintains.

use super::Degrees;
use serde::{Deserialize, Serialize};
use std::fmt;

/// The band an IR result falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum IrClass {
    /// Under 15°: suggest a clinician's review, especially with hip pain or at 50+.
    StrongFlag,
    /// 15° to under 20°: limited.
    Limited,
    /// 20° to under 30°: below the reference band.
    BelowReference,
    /// 30° to 45°: the reference band; maintain.
    Reference,
    /// Over 45°: more than needed; no end-range progression.
    AboveReference,
}

impl IrClass {
    /// The band for an angle.
    pub fn of(angle: Degrees) -> IrClass {
        match angle.get() {
            a if a < 15.0 => IrClass::StrongFlag,
            a if a < 20.0 => IrClass::Limited,
            a if a < 30.0 => IrClass::BelowReference,
            a if a <= 45.0 => IrClass::Reference,
            _ => IrClass::AboveReference,
        }
    }

    /// Whether end-range IR work should stop progressing and only maintain.
    pub fn maintain_only(self) -> bool {
        matches!(self, IrClass::Reference | IrClass::AboveReference)
    }
}

impl fmt::Display for IrClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IrClass::StrongFlag => "well below normal: worth a clinician's review",
            IrClass::Limited => "limited",
            IrClass::BelowReference => "below the usual range",
            IrClass::Reference => "within the usual range",
            IrClass::AboveReference => "above the usual range",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(10.0, IrClass::StrongFlag)]
    #[case(14.9, IrClass::StrongFlag)]
    #[case(15.0, IrClass::Limited)]
    #[case(19.9, IrClass::Limited)]
    #[case(20.0, IrClass::BelowReference)]
    #[case(30.0, IrClass::Reference)]
    #[case(45.0, IrClass::Reference)]
    #[case(50.0, IrClass::AboveReference)]
    fn bands_follow_the_clinical_flags(#[case] angle: f64, #[case] class: IrClass) {
        assert_eq!(IrClass::of(Degrees::new(angle).unwrap()), class);
    }
}
