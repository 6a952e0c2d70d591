//! One exercise as the session engine needs it: the dose to walk and the words to say.

use crate::catalog::{ContraindicationTag, Effort, Exercise, ExerciseId, Laterality, Phase, Position};
use crate::measure::TestPosition;
use crate::units::{RestSeconds, SetCount, Side};
use serde::{Deserialize, Serialize};

/// How the sets are spread over the sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Sides {
    /// Each side in turn; the counts differ only when the plan gives the stiffer side more.
    EachSide {
        /// Sets on the left.
        left: SetCount,
        /// Sets on the right.
        right: SetCount,
    },
    /// Both sides at once.
    Together {
        /// Sets.
        sets: SetCount,
    },
    /// Sides take turns each rep; reps are counted per side.
    Alternating {
        /// Sets.
        sets: SetCount,
    },
    /// One side only: the plan put inward turning on the other side on hold after pain.
    OneSide {
        /// The side that works.
        side: Side,
        /// Sets on it.
        sets: SetCount,
    },
}

/// An exercise with today's prescription, ready to be walked through.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionItem {
    /// Which exercise.
    pub exercise: ExerciseId,
    /// Its name, for display.
    pub name: String,
    /// Hold or reps with tempo.
    pub effort: Effort,
    /// Sets per side.
    pub sides: Sides,
    /// Rest between sets.
    pub rest: RestSeconds,
    /// The first step, read out while getting ready.
    pub setup: String,
    /// Breathing cue per phase.
    pub breathing: Vec<(Phase, String)>,
    /// Form cues and mistake fixes, repeated one at a time during the work.
    pub reminders: Vec<String>,
    /// End-range internal-rotation work: frozen on a side after sharp pain there.
    pub end_range_rotation: bool,
    /// The camera test position this exercise is done in, when the camera coach can watch it:
    /// one leg turning inward, seated or lying face down, as the camera measurement sees it.
    #[serde(default)]
    pub camera: Option<TestPosition>,
}

impl SessionItem {
    /// The exercise at its default dose.
    pub fn from_exercise(exercise: &Exercise) -> Self {
        let sets = exercise.dose.sets;
        let sides = match exercise.laterality {
            Laterality::Unilateral => Sides::EachSide { left: sets, right: sets },
            Laterality::Bilateral => Sides::Together { sets },
            Laterality::Alternating => Sides::Alternating { sets },
        };
        let tags = &exercise.contraindication_tags;
        Self {
            exercise: exercise.id.clone(),
            name: exercise.name.clone(),
            effort: exercise.dose.effort,
            sides,
            rest: exercise.dose.rest,
            setup: exercise.steps.first().cloned().unwrap_or_default(),
            breathing: exercise.breathing.iter().map(|b| (b.phase, b.cue.clone())).collect(),
            reminders: exercise
                .form_cues
                .iter()
                .cloned()
                .chain(exercise.mistakes.iter().map(|m| m.fix.clone()))
                .collect(),
            // Every inward-turning drill, as the planner and progression count them, so a side
            // rested after red pain rests for all of them.
            end_range_rotation: tags.contains(&ContraindicationTag::InternalRotation),
            camera: match exercise.position {
                _ if !tags.contains(&ContraindicationTag::InternalRotation)
                    || exercise.laterality != Laterality::Unilateral =>
                {
                    None
                }
                Position::SeatedChair | Position::SeatedHigh => Some(TestPosition::Seated),
                Position::LyingFaceDown => Some(TestPosition::Prone),
                _ => None,
            },
        }
    }

    /// The same exercise with a different effort and sets (from the plan's progression).
    pub fn with_dose(mut self, effort: Effort, sides: Sides) -> Self {
        self.effort = effort;
        self.sides = sides;
        self
    }

    /// The breathing cue for a phase.
    pub fn breathing_cue(&self, phase: Phase) -> Option<&str> {
        self.breathing.iter().find(|(p, _)| *p == phase).map(|(_, cue)| cue.as_str())
    }
}
