//! Changes and the one plain sentence that explains each.
//!
//! A user who understands why the coach changed something trusts it, and one who sees why it
//! did not ("stays at 2 × 30 s: hip pain was 4/10 on day 12") is less tempted to push on alone.
//! Sentences name the exercise, the new dose and the evidence, with day labels from the records.

use super::prescription::Step;
use crate::catalog::{Dose, Effort, ExerciseId};
use crate::units::{Day, Side};
use serde::{Deserialize, Serialize};

/// What kind of change was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "detail", rename_all = "kebab-case")]
pub enum ChangeKind {
    /// One step up.
    StepUp(Step),
    /// One step down.
    StepDown(Step),
    /// Deliberately left as it was (the sentence says why).
    Kept,
    /// Taken out of the plan.
    Paused {
        /// Whether a clinician should be seen before resuming.
        see_clinician: bool,
    },
    /// A paused exercise is back in the plan.
    Resumed,
    /// End-range internal-rotation work on a side is on hold.
    SideFrozen(Side),
    /// End-range internal-rotation work on a side may start again.
    SideUnfrozen(Side),
}

/// One decision of the progression engine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// The day the decision takes effect.
    pub day: Day,
    /// The exercise family it concerns, if it concerns one.
    pub family: Option<ExerciseId>,
    /// The exercise version now prescribed, if it concerns one.
    pub exercise: Option<ExerciseId>,
    /// What kind of change.
    pub kind: ChangeKind,
    /// The dose before.
    pub before: Option<Dose>,
    /// The dose after.
    pub after: Option<Dose>,
    /// The explanation, in one sentence.
    pub sentence: String,
}

/// A dose as a user reads it: "2 × 30 s", "3 × 12 reps with a medium band".
pub fn dose_words(dose: &Dose) -> String {
    let mut words = match dose.effort {
        Effort::Hold { seconds } => format!("{} × {} s", dose.sets.get(), seconds.get()),
        Effort::Reps { count, .. } => format!("{} × {} reps", dose.sets.get(), count.get()),
    };
    if let Some(band) = dose.band {
        words.push_str(&format!(" with a {}", band.label()));
    }
    words
}

/// "day 8", "day 8 and day 10", "day 8, day 10 and day 12".
pub fn days_words(days: &[Day]) -> String {
    let labels: Vec<String> = days.iter().map(Day::to_string).collect();
    let labels: Vec<&str> = labels.iter().map(String::as_str).collect();
    super::eligibility::join_words(&labels)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{BandLevel, Tempo};
    use crate::units::{HoldSeconds, MovePhaseSeconds, PausePhaseSeconds, RepCount, RestSeconds, SetCount};

    #[test]
    fn doses_read_like_a_physio_writes_them() {
        let hold = Dose {
            effort: Effort::Hold { seconds: HoldSeconds::new(30).unwrap() },
            sets: SetCount::new(2).unwrap(),
            rest: RestSeconds::new(15).unwrap(),
            band: None,
        };
        assert_eq!(dose_words(&hold), "2 × 30 s");
        let tempo = Tempo {
            out: MovePhaseSeconds::new(2).unwrap(),
            hold: PausePhaseSeconds::new(1).unwrap(),
            back: MovePhaseSeconds::new(2).unwrap(),
        };
        let reps = Dose {
            effort: Effort::Reps { count: RepCount::new(12).unwrap(), tempo },
            sets: SetCount::new(3).unwrap(),
            rest: RestSeconds::new(45).unwrap(),
            band: Some(BandLevel::Medium),
        };
        assert_eq!(dose_words(&reps), "3 × 12 reps with a medium band");
        assert_eq!(days_words(&[Day::new(8), Day::new(10)]), "day 8 and day 10");
    }
}
