//! The program engine: who the user is, whether they may start, what they do this week, and how
//! each exercise moves up or down from one week to the next.
//!
//! Everything here is a pure function of its arguments. Days arrive as [`Day`](crate::units::Day)
//! numbers chosen by the caller; nothing reads a clock, a file or the network, so every safety
//! rule is a plain function that the tests drive through tables and random histories.
//!
//! The flow a front end follows:
//! 1. render [`questions()`] and collect [`Answers`];
//! 2. [`screen`] them into a [`ScreeningOutcome`]: no plan is made unless it says the user may
//!    start, and its [`Restrictions`] remove every exercise the answers rule out;
//! 3. [`WeekPlan::generate`] builds the week from the [`Catalog`](crate::catalog::Catalog), the
//!    [`Profile`] and the [`ProgressionState`];
//! 4. after sessions, [`progress`] reads the [`SessionRecord`]s and returns the next state and a
//!    [`Change`] per decision, each with one plain sentence saying why.
//!
//! Between 3 and 4 sits the player: [`PlannedExercise::session_item`] hands it the prescribed
//! dose and sides, and [`SessionRecord::from_played`] turns what it recorded back into a record.
//!
//! Clinical rules come from `shared/clinical.md` (which wins over issue text): traffic-light pain
//! monitoring, the 2-for-2 rule, one change per exercise per week, next-morning checks.

mod eligibility;
mod explanation;
mod pain;
mod plan;
mod playback;
mod prescription;
mod profile;
mod progression;
mod questions;
mod record;
mod screening;

pub use eligibility::{Eligibility, Exclusion, ExclusionReason};
pub use explanation::{Change, ChangeKind, days_words, dose_words};
pub use pain::{MorningCheck, PainCheck, PainQuality, StretchFeeling, TrafficLight};
pub use plan::{
    Block, PlanError, PlannedExercise, PlannedSession, SideSelection, WeekPlan, is_strength_work, session_weekdays,
};
pub use prescription::{Prescription, PrescriptionStatus, Step};
pub use profile::{AgeBand, IrBySide, IrReading, Preferences, Profile};
pub use progression::{Progress, ProgressionState, progress};
pub use questions::{Choice, Question, QuestionId, QuestionKind, ShownIf, questions};
pub use record::{ExerciseRecord, Exertion, SessionRecord, SetRecord};
pub use screening::{
    AgeAnswer, Answers, AnswersError, HipReplacement, HipSurgery, Pregnancy, Reason, ReplacementApproach, Response,
    Restricted, Restriction, Restrictions, ScreeningOutcome, Trimester, Verdict, screen,
};

#[cfg(test)]
mod tests;
