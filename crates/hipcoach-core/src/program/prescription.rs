//! A prescription: which version of an exercise the user does now, at what dose, and the
//! ladder it climbs or steps down.
//!
//! The ladder follows clinical.md. Reps: 10 → 12 → 15, then sets 1 → 2 → 3, then the next band
//! (back to 10 reps, since neighbouring bands differ by about 25 %) or a harder version.
//! Stretches under 65: 30 s holds, repeats 2 → 3 → 4 (never longer holds); 65 and over: holds
//! 30 → 45 → 60 s. Stepping down undoes volume first (a set), then intensity.
//!
//! Every step moves the dose strictly along one order: version, then band, then sets, then reps
//! or hold. [`Prescription::load`] exposes that order so tests can prove a pain flag never
//! raises it.

use super::eligibility::Eligibility;
use super::profile::AgeBand;
use crate::catalog::{BandLevel, Dose, Effort, Exercise, ExerciseId};
use crate::units::{Day, HoldSeconds, RepCount, SetCount};
use serde::{Deserialize, Serialize};

/// Whether the prescription is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum PrescriptionStatus {
    /// Scheduled as usual.
    Active,
    /// Left out of plans until resumed.
    Paused {
        /// When it was paused.
        since: Day,
        /// Whether the user was advised to see a clinician before resuming.
        see_clinician: bool,
    },
}

/// The current prescription for one exercise family.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Prescription {
    /// The family's easiest version: the stable key this prescription is stored under.
    pub family: ExerciseId,
    /// The version done now (the family root, or a harder or easier version).
    pub exercise: ExerciseId,
    /// The dose now.
    pub dose: Dose,
    /// Whether it is in use.
    pub status: PrescriptionStatus,
    /// The day of the last change, for the one-change-a-week rule.
    pub changed_on: Option<Day>,
    /// Sessions in a row whose next-morning check came back worse, by session day.
    pub worse_morning_days: Vec<Day>,
    /// Days on which the hip caught or locked during this exercise.
    pub catch_or_lock_days: Vec<Day>,
}

/// One step along the ladder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// More reps per set.
    MoreReps,
    /// One more set (or stretch repeat).
    MoreSets,
    /// A longer hold (65 and over).
    LongerHold,
    /// The next band, back to 10 reps.
    HeavierBand,
    /// A harder version of the exercise.
    HarderVersion,
    /// One set fewer.
    FewerSets,
    /// Fewer reps per set.
    FewerReps,
    /// A shorter hold.
    ShorterHold,
    /// A lighter band.
    LighterBand,
    /// An easier version of the exercise.
    EasierVersion,
}

/// Rep targets in order; the clinical range is 10–15, the lower rungs serve exercises that
/// start below 10 (e.g. 90/90 switches at 6).
const REP_RUNGS: [u16; 5] = [6, 8, 10, 12, 15];
/// Hold lengths for 65 and over.
const HOLD_RUNGS: [u16; 3] = [30, 45, 60];
const STANDARD_HOLD: u16 = 30;
const SHORTEST_HOLD: u16 = 20;
const MAX_REP_SETS: u16 = 3;
const MAX_STRETCH_REPEATS: u16 = 4;
const REPS_AFTER_BAND_CHANGE: u16 = 10;

impl Prescription {
    /// A fresh prescription at the catalog's starting dose.
    pub fn start(family: ExerciseId, exercise: &Exercise) -> Prescription {
        Prescription {
            family,
            exercise: exercise.id.clone(),
            dose: exercise.dose,
            status: PrescriptionStatus::Active,
            changed_on: None,
            worse_morning_days: Vec::new(),
            catch_or_lock_days: Vec::new(),
        }
    }

    /// Whether it is scheduled.
    pub fn is_active(&self) -> bool {
        self.status == PrescriptionStatus::Active
    }

    /// The load of a prescription as a comparable key: (version depth, band, sets, reps or hold
    /// seconds). Every step up raises it and every step down lowers it.
    pub fn load(eligibility: &Eligibility<'_>, exercise: &ExerciseId, dose: &Dose) -> (usize, u8, u16, u16) {
        let band = dose.band.map_or(0, |b| b as u8 + 1);
        let amount = match dose.effort {
            Effort::Hold { seconds } => seconds.get(),
            Effort::Reps { count, .. } => count.get(),
        };
        (eligibility.depth(exercise), band, dose.sets.get(), amount)
    }
}

fn with_sets(dose: Dose, sets: u16) -> Option<Dose> {
    Some(Dose { sets: SetCount::new(i64::from(sets)).ok()?, ..dose })
}

fn with_amount(dose: Dose, amount: u16) -> Option<Dose> {
    let effort = match dose.effort {
        Effort::Hold { .. } => Effort::Hold { seconds: HoldSeconds::new(i64::from(amount)).ok()? },
        Effort::Reps { tempo, .. } => Effort::Reps { count: RepCount::new(i64::from(amount)).ok()?, tempo },
    };
    Some(Dose { effort, ..dose })
}

fn next_band(band: BandLevel) -> Option<BandLevel> {
    match band {
        BandLevel::Light => Some(BandLevel::Medium),
        BandLevel::Medium => Some(BandLevel::Heavy),
        BandLevel::Heavy => None,
    }
}

fn previous_band(band: BandLevel) -> Option<BandLevel> {
    match band {
        BandLevel::Light => None,
        BandLevel::Medium => Some(BandLevel::Light),
        BandLevel::Heavy => Some(BandLevel::Medium),
    }
}

/// A new exercise and dose after one step.
pub(crate) type Stepped = (Step, ExerciseId, Dose);

/// One step up the ladder, or `None` at the top (then the dose is maintained).
pub(crate) fn step_up(eligibility: &Eligibility<'_>, exercise: &Exercise, dose: Dose, age: AgeBand) -> Option<Stepped> {
    let same = |step, dose: Option<Dose>| dose.map(|d| (step, exercise.id.clone(), d));
    match dose.effort {
        Effort::Hold { seconds } => {
            let hold = seconds.get();
            if age == AgeBand::From65 {
                let next = HOLD_RUNGS.iter().copied().find(|h| *h > hold)?;
                same(Step::LongerHold, with_amount(dose, next))
            } else if hold < STANDARD_HOLD {
                same(Step::LongerHold, with_amount(dose, STANDARD_HOLD))
            } else if dose.sets.get() < MAX_STRETCH_REPEATS {
                same(Step::MoreSets, with_sets(dose, dose.sets.get() + 1))
            } else {
                None
            }
        }
        Effort::Reps { count, .. } => {
            let reps = count.get();
            if let Some(next) = REP_RUNGS.iter().copied().find(|r| *r > reps) {
                return same(Step::MoreReps, with_amount(dose, next));
            }
            if dose.sets.get() < MAX_REP_SETS {
                return same(Step::MoreSets, with_sets(dose, dose.sets.get() + 1));
            }
            if let Some(band) = dose.band.and_then(next_band) {
                let lighter_reps = with_amount(Dose { band: Some(band), ..dose }, REPS_AFTER_BAND_CHANGE);
                return same(Step::HeavierBand, lighter_reps);
            }
            let harder = eligibility.harder(exercise)?;
            Some((Step::HarderVersion, harder.id.clone(), harder.dose))
        }
    }
}

/// One step down the ladder, or `None` at the very bottom.
pub(crate) fn step_down(eligibility: &Eligibility<'_>, exercise: &Exercise, dose: Dose) -> Option<Stepped> {
    let same = |step, dose: Option<Dose>| dose.map(|d| (step, exercise.id.clone(), d));
    match dose.effort {
        Effort::Hold { seconds } => {
            let hold = seconds.get();
            if hold > STANDARD_HOLD {
                let shorter = HOLD_RUNGS.iter().rev().copied().find(|h| *h < hold).unwrap_or(STANDARD_HOLD);
                return same(Step::ShorterHold, with_amount(dose, shorter));
            }
            if dose.sets.get() > 1 {
                return same(Step::FewerSets, with_sets(dose, dose.sets.get() - 1));
            }
            if hold > SHORTEST_HOLD {
                return same(Step::ShorterHold, with_amount(dose, SHORTEST_HOLD));
            }
        }
        Effort::Reps { count, .. } => {
            if dose.sets.get() > 1 {
                return same(Step::FewerSets, with_sets(dose, dose.sets.get() - 1));
            }
            if let Some(fewer) = REP_RUNGS.iter().rev().copied().find(|r| *r < count.get()) {
                return same(Step::FewerReps, with_amount(dose, fewer));
            }
            if let Some(band) = dose.band.and_then(previous_band) {
                return same(Step::LighterBand, Some(Dose { band: Some(band), ..dose }));
            }
        }
    }
    let easier = eligibility.easier(exercise)?;
    let start = easier.dose;
    let sets = start.sets.get().min(dose.sets.get());
    Some((Step::EasierVersion, easier.id.clone(), with_sets(start, sets).unwrap_or(start)))
}
