//! Program-wide tests: screening tiers, plans, progression stories and properties.

mod plans;
mod progression_stories;
mod properties;
mod screening_tiers;

use super::*;
use crate::catalog::{Catalog, Dose, Equipment, Exercise, ExerciseId, Goal};
use crate::measure::{Method, Rater, TestPosition};
use crate::units::{Day, PainScore, SessionMinutes, SessionsPerWeek, WholeDegrees};

pub(super) fn catalog() -> &'static Catalog {
    Catalog::builtin()
}

pub(super) fn id(text: &str) -> ExerciseId {
    ExerciseId::parse(text).unwrap()
}

pub(super) fn exercise(text: &str) -> &'static Exercise {
    catalog().get(text).unwrap()
}

pub(super) fn pain(value: i64) -> PainScore {
    PainScore::new(value).unwrap()
}

pub(super) fn day(number: u32) -> Day {
    Day::new(number)
}

/// An adult with general goals, a mat, a chair, a high seat and a band, 3 × 20 minutes a week.
pub(super) fn profile() -> Profile {
    Profile {
        goal: Goal::General,
        sessions_per_week: SessionsPerWeek::new(3).unwrap(),
        minutes_per_session: SessionMinutes::new(20).unwrap(),
        equipment: [Equipment::Mat, Equipment::Chair, Equipment::HighSeat, Equipment::Band].into(),
        age_band: AgeBand::From18To49,
        range_of_motion: IrBySide::default(),
        preferences: Preferences::default(),
        gets_down_to_floor: true,
        has_chair: true,
    }
}

pub(super) fn clear() -> ScreeningOutcome {
    screen(&Answers::default())
}

pub(super) fn reading(degrees: i64, method: Method) -> IrReading {
    IrReading {
        degrees: WholeDegrees::new(degrees).unwrap(),
        method,
        position: TestPosition::Seated,
        end_range_pain_free: true,
        hard_end_feel: false,
        rater: Rater::Same,
    }
}

/// The dose a user reads, e.g. "2 × 12 reps".
pub(super) fn words(dose: &Dose) -> String {
    dose_words(dose)
}
