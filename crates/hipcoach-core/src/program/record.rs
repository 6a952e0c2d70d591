//! What happened in a session, as the progression engine reads it.
//!
//! The session engine and storage will produce these; the progression engine only reads them.
//! A record keeps the dose that was actually given, so a decision never depends on what the
//! plan said last week, and it keeps hip pain apart from the stretch feeling.

use super::pain::{MorningCheck, PainCheck, StretchFeeling};
use crate::catalog::{Dose, Effort, Exercise, ExerciseId, Laterality};
use crate::units::{Day, PainScore, Side};
use serde::{Deserialize, Serialize};

/// How hard the exercise felt overall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Exertion {
    /// Could easily have done more.
    TooEasy,
    /// Worked, with a couple of reps left in the tank: the target.
    JustRight,
    /// Hard to finish, or could not.
    TooHard,
}

/// One set on one side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetRecord {
    /// The side worked; `None` for an exercise that works both sides together.
    pub side: Option<Side>,
    /// Reps done (per side) or seconds held.
    pub achieved: u16,
}

/// One exercise within a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExerciseRecord {
    /// The exercise done.
    pub exercise: ExerciseId,
    /// The dose that was given for it.
    pub dose: Dose,
    /// Every set done, per side.
    pub sets: Vec<SetRecord>,
    /// How hard it felt, if asked.
    pub exertion: Option<Exertion>,
    /// Reps the user felt they had left at the end of the last set, if asked.
    pub reps_in_reserve: Option<u8>,
    /// Hip pain during the exercise.
    pub pain: PainCheck,
    /// How the stretch felt, for stretches; never treated as pain.
    pub stretch_feeling: Option<StretchFeeling>,
}

impl ExerciseRecord {
    /// Reps in reserve from which a set counts as beaten by two (the 2–3 reps left that the dose
    /// aims for, plus two).
    pub const EASY_RESERVE: u8 = 4;

    /// The target of one set: reps per side or seconds held.
    pub fn target(&self) -> u16 {
        match self.dose.effort {
            Effort::Hold { seconds } => seconds.get(),
            Effort::Reps { count, .. } => count.get(),
        }
    }

    fn sides(exercise: &Exercise) -> Vec<Option<Side>> {
        match exercise.laterality {
            Laterality::Bilateral => vec![None],
            Laterality::Unilateral | Laterality::Alternating => Side::BOTH.iter().copied().map(Some).collect(),
        }
    }

    /// Whether every prescribed set was done in full on every side the exercise works.
    pub fn completed(&self, exercise: &Exercise) -> bool {
        let target = self.target();
        Self::sides(exercise).into_iter().all(|side| {
            let done = self.sets.iter().filter(|set| set.side == side && set.achieved >= target).count();
            done >= usize::from(self.dose.sets.get())
        })
    }

    /// Whether the target was beaten by two reps: the last set on every side went two past the
    /// target, or the user said it was too easy or had four or more reps left.
    pub fn beaten_by_two(&self, exercise: &Exercise) -> bool {
        if self.exertion == Some(Exertion::TooEasy) || self.reps_in_reserve.is_some_and(|r| r >= Self::EASY_RESERVE) {
            return true;
        }
        let target = self.target();
        Self::sides(exercise).into_iter().all(|side| {
            self.sets.iter().rev().find(|set| set.side == side).is_some_and(|set| set.achieved >= target + 2)
        })
    }

    /// A record of this dose done in full on every side, for tests and demos.
    pub fn full(exercise: &Exercise, dose: Dose, pain: PainCheck) -> ExerciseRecord {
        let target = match dose.effort {
            Effort::Hold { seconds } => seconds.get(),
            Effort::Reps { count, .. } => count.get(),
        };
        let sets = Self::sides(exercise)
            .into_iter()
            .flat_map(|side| (0..dose.sets.get()).map(move |_| SetRecord { side, achieved: target }))
            .collect();
        ExerciseRecord {
            exercise: exercise.id.clone(),
            dose,
            sets,
            exertion: None,
            reps_in_reserve: None,
            pain,
            stretch_feeling: None,
        }
    }
}

/// One session: the pre-session pain check, the exercises, and the next-morning check once given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRecord {
    /// The day of the session.
    pub day: Day,
    /// Hip pain before starting: the baseline the next-morning check is compared with.
    pub baseline: PainScore,
    /// The exercises done.
    pub exercises: Vec<ExerciseRecord>,
    /// The next-morning check, once answered.
    pub next_morning: Option<MorningCheck>,
}
