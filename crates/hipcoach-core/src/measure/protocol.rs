//! The two hip internal-rotation tests as data: how to set up, what spoils a trial, and what
//! the result is compared with.
//!
//! Seated and prone IR are different tests (different hip angle, different tissues, different
//! norms), so results are never pooled across them. Each side gets three trials and the median
//! is kept: one bad trial cannot move it, and it is what the reliability figures assume.

use super::Degrees;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Trials per side; the median of these is the result.
pub const TRIALS_PER_SIDE: usize = 3;

/// A side-to-side difference above this is meaningful (within it the sides count as equal).
pub const MEANINGFUL_SIDE_DIFFERENCE: Degrees = Degrees::of(10.0);

/// Where the body is during the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum TestPosition {
    /// Sitting high with hip and knee at 90°; the thigh stays put and the foot swings outward.
    Seated,
    /// Lying face down with the knee bent to 90°; the foot falls outward.
    Prone,
}

impl fmt::Display for TestPosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            TestPosition::Seated => "seated",
            TestPosition::Prone => "prone",
        })
    }
}

/// Something that spoils a trial: the number would not be hip rotation alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Invalidator {
    /// The pelvis lifts or tilts on the tested side, adding its own angle to the reading.
    PelvisLifts,
    /// The thigh slides or turns instead of staying still.
    ThighMoves,
    /// The knee drifts inward (hip adduction), a way of faking rotation.
    KneeDriftsInward,
    /// The knee is no longer bent about 90°.
    KneeNotAtRightAngle,
    /// The trunk leans to one side.
    TrunkLeans,
}

impl Invalidator {
    /// The cue to give, in plain words.
    pub fn description(self) -> &'static str {
        match self {
            Invalidator::PelvisLifts => "one side of the pelvis rose from the surface",
            Invalidator::ThighMoves => "the thigh moved instead of staying still",
            Invalidator::KneeDriftsInward => "the knee drifted toward the other knee",
            Invalidator::KneeNotAtRightAngle => "the knee was not bent at about a right angle",
            Invalidator::TrunkLeans => "the upper body leaned to one side",
        }
    }
}

/// What healthy adults reach in one test position, for comparison only.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NormalRange {
    /// The position these figures belong to.
    pub position: TestPosition,
    /// The average reported for adults aged 20–60 (Kouyoumdjian 2012).
    pub typical_mean: Degrees,
    /// Lower end of the reference band.
    pub reference_low: Degrees,
    /// Upper end of the reference band; past it, stop progressing and maintain.
    pub reference_high: Degrees,
}

/// One test, fully described.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Protocol {
    /// Which test.
    pub position: TestPosition,
    /// A short name a physio would use.
    pub name: &'static str,
    /// Set-up steps, in order.
    pub setup: &'static [&'static str],
    /// How to do one trial.
    pub movement: &'static str,
    /// What spoils a trial.
    pub invalidators: &'static [Invalidator],
    /// Trials per side; the median is the result.
    pub trials_per_side: usize,
    /// The comparison figures.
    pub normal: NormalRange,
}

const SEATED_SETUP: &[&str] = &[
    "Sit on a high seat so the lower legs hang free, hips and knees bent to about 90°.",
    "Put a rolled towel under the far end of the thigh being tested; keep the thighs parallel.",
    "Sit tall with the weight even on both sitting bones; hold the edge of the seat if needed.",
    "Camera or phone level, at knee height, straight in front so the thighs point at it.",
    "With a goniometer: its pivot over the front of the kneecap, the fixed arm pointing straight down (vertical), \
     the moving arm along the shinbone toward the point midway between the two ankle bones.",
];

const PRONE_SETUP: &[&str] = &[
    "Lie face down on a firm surface, legs straight and together, pelvis flat.",
    "Bend the tested knee to 90° so the lower leg points at the ceiling.",
    "Camera or phone level, at the feet, looking along the body at knee height.",
    "With a goniometer: its pivot over the middle of the knee as seen from the feet, the fixed arm pointing \
     straight up (vertical), the moving arm along the shinbone toward the point midway between the ankle bones.",
];

const INVALIDATORS: &[Invalidator] = &[
    Invalidator::PelvisLifts,
    Invalidator::ThighMoves,
    Invalidator::KneeDriftsInward,
    Invalidator::KneeNotAtRightAngle,
    Invalidator::TrunkLeans,
];

impl Protocol {
    /// Seated hip IR: the shin swings outward while the thigh stays still.
    pub fn seated() -> Protocol {
        Protocol {
            position: TestPosition::Seated,
            name: "seated hip internal rotation",
            setup: SEATED_SETUP,
            movement: "Keeping the thigh still and the knee pointing ahead, let the foot swing outward as far as is \
                       comfortable. Stop at the first sign of the pelvis lifting or the body leaning, or at any pinch.",
            invalidators: INVALIDATORS,
            trials_per_side: TRIALS_PER_SIDE,
            normal: NormalRange {
                position: TestPosition::Seated,
                typical_mean: Degrees::of(37.9),
                reference_low: Degrees::of(30.0),
                reference_high: Degrees::of(45.0),
            },
        }
    }

    /// Prone hip IR: the foot falls outward from a bent knee while the pelvis stays flat.
    pub fn prone() -> Protocol {
        Protocol {
            position: TestPosition::Prone,
            name: "prone hip internal rotation",
            setup: PRONE_SETUP,
            movement: "Let the foot drop outward, away from the other leg, under its own weight. Stop when the \
                       pelvis starts to lift on that side or at any pinch.",
            invalidators: INVALIDATORS,
            trials_per_side: TRIALS_PER_SIDE,
            normal: NormalRange {
                position: TestPosition::Prone,
                typical_mean: Degrees::of(35.2),
                reference_low: Degrees::of(30.0),
                reference_high: Degrees::of(45.0),
            },
        }
    }

    /// The protocol for a position.
    pub fn for_position(position: TestPosition) -> Protocol {
        match position {
            TestPosition::Seated => Protocol::seated(),
            TestPosition::Prone => Protocol::prone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_tests_use_three_trials_and_the_same_reference_band() {
        for p in [Protocol::seated(), Protocol::prone()] {
            assert_eq!(p.trials_per_side, 3);
            assert_eq!((p.normal.reference_low.get(), p.normal.reference_high.get()), (30.0, 45.0));
            assert!(p.invalidators.contains(&Invalidator::PelvisLifts));
            assert!(!p.setup.is_empty());
        }
        assert_eq!(Protocol::for_position(TestPosition::Prone).normal.typical_mean.get(), 35.2);
    }

    #[test]
    fn seated_text_describes_internal_rotation_not_external() {
        let p = Protocol::seated();
        assert!(p.movement.contains("foot swing outward"));
        assert!(p.movement.contains("thigh still"));
    }
}
