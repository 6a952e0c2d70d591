//! Who the plan is for: goal, time, equipment, age band, measured range and preferences.
//!
//! A profile can only hold an adult age band: under-18s are turned away at screening, so no
//! plan can ever be built for them. Range readings keep their method and test position, because
//! a camera estimate and a goniometer reading deserve different trust, and seated and prone
//! internal rotation are different tests.

use crate::catalog::{Equipment, ExerciseId, Goal};
use crate::measure::{Method, Rater, TestPosition};
use crate::units::{SessionMinutes, SessionsPerWeek, Side, WholeDegrees};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// Age band. There is deliberately no under-18 band: screening refuses those users (adolescent
/// hip pain with a limp can be a slipped growth plate and needs a doctor), so a profile cannot
/// describe one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum AgeBand {
    /// 18 to 49.
    From18To49,
    /// 50 to 64: painful or very limited inward turning is worth a clinical review at this age.
    From50To64,
    /// 65 and over: stretches are progressed by longer holds (up to 60 s) instead of more repeats.
    From65,
}

/// One side's internal-rotation reading (the median of three trials).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IrReading {
    /// The angle of the shin from vertical.
    pub degrees: WholeDegrees,
    /// How it was measured.
    pub method: Method,
    /// Which test.
    pub position: TestPosition,
    /// Whether the end of the range was free of pain.
    pub end_range_pain_free: bool,
    /// Whether the end of the range felt hard and blocked (possibly bone): never pushed into.
    #[serde(default)]
    pub hard_end_feel: bool,
    /// Whether the person who measured is the one who measured before: a different person
    /// doubles a goniometer's detectable change.
    #[serde(default = "same_rater")]
    pub rater: Rater,
}

/// Readings stored before the rater was kept were taken as the same person's.
fn same_rater() -> Rater {
    Rater::Same
}

/// Internal rotation per side, if measured.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IrBySide {
    /// The left hip.
    pub left: Option<IrReading>,
    /// The right hip.
    pub right: Option<IrReading>,
}

impl IrBySide {
    /// Sides differing by more than this many degrees count as different (clinical.md).
    pub const MEANINGFUL_DIFFERENCE: u16 = 10;
    /// The low end of the 30–45° reference band: at or above it, end-range work is maintained.
    pub const REFERENCE_LOW: u16 = 30;

    /// The reading for one side.
    pub fn side(&self, side: Side) -> Option<&IrReading> {
        match side {
            Side::Left => self.left.as_ref(),
            Side::Right => self.right.as_ref(),
        }
    }

    /// The side that earns one extra set of internal-rotation work, if any: both sides measured
    /// in the same position by goniometer or inclinometer, both end ranges pain-free, and a
    /// difference over 10°. Anything less is not trusted enough, since differences are often
    /// structural and camera or guessed readings are too rough.
    pub fn stiffer_side(&self) -> Option<Side> {
        let (left, right) = (self.left?, self.right?);
        let trusted = left.method.trusted_for_asymmetry_dosing()
            && right.method.trusted_for_asymmetry_dosing()
            && left.position == right.position
            && left.end_range_pain_free
            && right.end_range_pain_free;
        let difference = left.degrees.get().abs_diff(right.degrees.get());
        let rater = if left.rater == Rater::Different || right.rater == Rater::Different {
            Rater::Different
        } else {
            Rater::Same
        };
        let beyond_noise = f64::from(difference) > Method::mdc_between(left.method, right.method, rater).get();
        if !trusted || difference <= Self::MEANINGFUL_DIFFERENCE || !beyond_noise {
            return None;
        }
        Some(if left.degrees < right.degrees { Side::Left } else { Side::Right })
    }

    /// Whether end-range internal-rotation progression should stop: every measured side is
    /// already inside the reference band, so the aim becomes keeping it. Readings of any method
    /// count here, because stopping is the cautious direction.
    pub fn within_reference_band(&self) -> bool {
        let readings: Vec<&IrReading> = Side::BOTH.iter().filter_map(|side| self.side(*side)).collect();
        !readings.is_empty() && readings.iter().all(|r| r.degrees.get() >= Self::REFERENCE_LOW)
    }
}

/// What the user likes, dislikes or has swapped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preferences {
    /// Exercises to favour when time is short.
    pub liked: BTreeSet<ExerciseId>,
    /// Exercises never to schedule; a catalog alternative takes their place.
    pub disliked: BTreeSet<ExerciseId>,
    /// Explicit swaps the user made: the key is replaced by the value wherever it would appear.
    pub swapped: BTreeMap<ExerciseId, ExerciseId>,
}

/// Everything the plan is built from, apart from screening and progression.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Profile {
    /// What the user is after.
    pub goal: Goal,
    /// How many sessions a week.
    pub sessions_per_week: SessionsPerWeek,
    /// How long each session may take, at most.
    pub minutes_per_session: SessionMinutes,
    /// What the user has at hand beyond a floor and a chair. A mat here only makes floor work
    /// comfier; it is never required.
    pub equipment: BTreeSet<Equipment>,
    /// Whether the person can get down to the floor and up again. Floor exercises need only
    /// that, and a floor is in every home, so it is assumed unless the person says otherwise.
    #[serde(default = "assumed")]
    pub gets_down_to_floor: bool,
    /// Whether a steady, ordinary chair is at hand: assumed unless the person says otherwise.
    #[serde(default = "assumed")]
    pub has_chair: bool,
    /// Age band (adults only).
    pub age_band: AgeBand,
    /// Measured internal rotation, if any.
    pub range_of_motion: IrBySide,
    /// Likes, dislikes and swaps.
    pub preferences: Preferences,
}

/// A floor and a chair are taken for granted until the person says otherwise (and profiles
/// stored before the question was asked never said).
fn assumed() -> bool {
    true
}

impl Profile {
    /// Whether the person can use this piece of equipment: the floor (the catalog's "mat") and
    /// an ordinary chair unless they said they cannot, anything else only when listed.
    pub fn can_use(&self, equipment: Equipment) -> bool {
        match equipment {
            Equipment::Mat => self.gets_down_to_floor,
            Equipment::Chair => self.has_chair || self.equipment.contains(&Equipment::Chair),
            other => self.equipment.contains(&other),
        }
    }
}
