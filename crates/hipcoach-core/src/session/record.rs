//! What was actually done, set by set and side by side: stored, and fed back into progression.

use super::script::Working;
use crate::catalog::ExerciseId;
use crate::units::PainScore;
use serde::{Deserialize, Serialize};

/// How a set ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum SetOutcome {
    /// Done as prescribed.
    Completed,
    /// Skipped by the user, possibly part-way.
    Skipped,
    /// Ended by a sharp-pain stop during this set.
    StoppedForPain,
    /// Not started because the exercise or the session was stopped.
    Cancelled,
    /// Not started: end-range rotation on this side rests after sharp pain.
    Frozen,
}

/// One set on one side (or both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SetRecord {
    /// Set number, from 1.
    pub set: u16,
    /// Which side worked.
    pub working: Working,
    /// How it ended.
    pub outcome: SetOutcome,
    /// Reps finished, per side (reps only).
    pub reps_done: Option<u16>,
    /// Seconds held (holds only).
    pub hold_seconds_done: Option<u16>,
}

/// The answer to the pain check after an exercise. Hip pain only: the stretch feeling is expected
/// and is asked about separately, so it never blocks progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "score", rename_all = "kebab-case")]
pub enum PainAnswer {
    /// A 0–10 rating.
    Score(PainScore),
    /// Sharp pain: a red light whatever the number.
    Sharp,
    /// A pinching pain, often at the front of the hip: red.
    Pinching,
    /// The hip catching or locking: red, and twice means seeing a clinician.
    CatchingOrLocking,
    /// Tingling or numbness: red.
    TinglingOrNumbness,
    /// The check was skipped.
    NotAnswered,
}

impl PainAnswer {
    /// The answers that mean "stop this exercise for today": every kind of red pain, and a
    /// score over 5.
    pub fn is_red(self) -> bool {
        match self {
            PainAnswer::Score(score) => score.get() > RED_ABOVE,
            PainAnswer::Sharp
            | PainAnswer::Pinching
            | PainAnswer::CatchingOrLocking
            | PainAnswer::TinglingOrNumbness => true,
            PainAnswer::NotAnswered => false,
        }
    }

    /// The red answers besides a score, in the order a front end offers them.
    pub const RED_SIGNS: [PainAnswer; 4] =
        [PainAnswer::Sharp, PainAnswer::Pinching, PainAnswer::CatchingOrLocking, PainAnswer::TinglingOrNumbness];

    /// How a front end labels a red sign.
    pub fn label(self) -> &'static str {
        match self {
            PainAnswer::Sharp => "sharp pain",
            PainAnswer::Pinching => "pinching pain",
            PainAnswer::CatchingOrLocking => "the hip catching or locking",
            PainAnswer::TinglingOrNumbness => "tingling or numbness",
            PainAnswer::Score(_) => "a pain score",
            PainAnswer::NotAnswered => "no answer",
        }
    }
}

/// Pain scores above this are red (clinical.md: >5 is high risk).
const RED_ABOVE: u16 = 5;

/// One exercise of the session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExerciseRecord {
    /// Which exercise.
    pub exercise: ExerciseId,
    /// Every set the plan asked for, in order, each with what happened.
    pub sets: Vec<SetRecord>,
    /// Hip pain reported after it.
    pub pain: PainAnswer,
}

impl ExerciseRecord {
    /// Whether every set was completed.
    pub fn completed(&self) -> bool {
        self.sets.iter().all(|s| s.outcome == SetOutcome::Completed)
    }
}

/// A whole session as done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRecord {
    /// One record per exercise of the plan, in order.
    pub exercises: Vec<ExerciseRecord>,
    /// Whether the user ended the session before its end.
    pub ended_early: bool,
    /// Time spent in the session, pauses excluded, in milliseconds.
    pub active_ms: u64,
}

/// Totals for the finish screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Summary {
    /// Sets completed.
    pub sets_completed: u32,
    /// Sets planned.
    pub sets_planned: u32,
    /// Exercises with every set completed.
    pub exercises_completed: u32,
    /// Exercises stopped for red pain: a red sign or a score over 5.
    pub red_pain_stops: u32,
    /// Of those, the ones stopped for a red sign (sharp, pinching, catching or locking, tingling),
    /// which a chart marks apart from scores.
    pub red_sign_stops: u32,
    /// Highest hip pain reported, if any was.
    pub worst_pain: Option<PainScore>,
    /// Minutes of work, rounded.
    pub minutes: u32,
}

impl SessionRecord {
    /// Totals for the finish screen.
    pub fn summary(&self) -> Summary {
        let sets = self.exercises.iter().flat_map(|e| &e.sets);
        Summary {
            sets_completed: sets.clone().filter(|s| s.outcome == SetOutcome::Completed).count() as u32,
            sets_planned: sets.clone().count() as u32,
            exercises_completed: self.exercises.iter().filter(|e| e.completed()).count() as u32,
            red_pain_stops: self.exercises.iter().filter(|e| e.pain.is_red()).count() as u32,
            red_sign_stops: self
                .exercises
                .iter()
                .filter(|e| e.pain.is_red() && !matches!(e.pain, PainAnswer::Score(_)))
                .count() as u32,
            worst_pain: self
                .exercises
                .iter()
                .filter_map(|e| match e.pain {
                    PainAnswer::Score(score) => Some(score),
                    _ => None,
                })
                .max(),
            minutes: ((self.active_ms + 30_000) / 60_000) as u32,
        }
    }
}
