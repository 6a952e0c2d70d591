//! Which exercises this person may do, and how exercises relate as easier and harder versions.
//!
//! One place answers "may this exercise be scheduled?" for both the plan and the progression
//! engine, so a progression can never step onto an exercise the plan would refuse: it must suit
//! the goal, use only equipment at hand, pass every screening restriction and not be disliked.

use super::profile::Profile;
use super::screening::{Restrictions, ScreeningOutcome};
use crate::catalog::{Catalog, Equipment, Exercise, ExerciseId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// Why an exercise is left out of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ExclusionReason {
    /// Screening rules it out.
    Restricted,
    /// It needs equipment the user does not have.
    MissingEquipment,
    /// It is done on the floor or needs a chair, and the person said that is not possible.
    NoFloorOrChair,
    /// It is not part of the user's goal program.
    OtherGoal,
    /// The user asked not to do it.
    Disliked,
    /// Progression paused it after pain.
    Paused,
    /// A harder version whose easier one is left out: it is reached only by progressing.
    EasierVersionFirst,
}

/// An exercise left out of the plan, with the reason in plain words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Exclusion {
    /// The exercise left out.
    pub exercise: ExerciseId,
    /// Why, as a category.
    pub reason: ExclusionReason,
    /// Why, in a sentence.
    pub text: String,
}

/// The rules that decide whether an exercise may be scheduled for this person.
#[derive(Debug, Clone, Copy)]
pub struct Eligibility<'a> {
    catalog: &'a Catalog,
    profile: &'a Profile,
    restrictions: &'a Restrictions,
}

/// Link chains are short; this bounds every walk along them even if a catalog were odd.
const MAX_HOPS: usize = 16;

impl<'a> Eligibility<'a> {
    /// The rules for this person.
    pub fn new(catalog: &'a Catalog, profile: &'a Profile, screening: &'a ScreeningOutcome) -> Self {
        Eligibility { catalog, profile, restrictions: screening.restrictions() }
    }

    /// The catalog the rules read.
    pub fn catalog(&self) -> &'a Catalog {
        self.catalog
    }

    /// The screening restrictions in force.
    pub fn restrictions(&self) -> &'a Restrictions {
        self.restrictions
    }

    /// Whether the user disliked the exercise or swapped it for another.
    pub fn is_disliked(&self, id: &ExerciseId) -> bool {
        let preferences = &self.profile.preferences;
        preferences.disliked.contains(id) || preferences.swapped.contains_key(id)
    }

    /// Whether the user liked the exercise or chose it in a swap.
    pub fn is_liked(&self, id: &ExerciseId) -> bool {
        let preferences = &self.profile.preferences;
        preferences.liked.contains(id) || preferences.swapped.values().any(|to| to == id)
    }

    /// Checks safety, goal and equipment (not preferences). A safety restriction is reported
    /// before anything else, because it is the reason the user most needs to know.
    pub fn check(&self, exercise: &Exercise) -> Result<(), Exclusion> {
        let exclude = |reason, text: String| Exclusion { exercise: exercise.id.clone(), reason, text };
        if let Some(restriction) = self.restrictions.blocking(exercise) {
            return Err(exclude(ExclusionReason::Restricted, format!("Left out because {}.", restriction.because)));
        }
        if !self.suits_goal(exercise) {
            return Err(exclude(
                ExclusionReason::OtherGoal,
                format!("Not part of the {} program.", self.profile.goal.label()),
            ));
        }
        if exercise.equipment.contains(&Equipment::Mat) && !self.profile.gets_down_to_floor {
            return Err(exclude(
                ExclusionReason::NoFloorOrChair,
                "Done on the floor, and you said getting down to the floor is not for you.".to_owned(),
            ));
        }
        if exercise.equipment.contains(&Equipment::Chair) && !self.profile.can_use(Equipment::Chair) {
            return Err(exclude(
                ExclusionReason::NoFloorOrChair,
                "Needs a steady chair, and you said you have none at hand.".to_owned(),
            ));
        }
        let missing: BTreeSet<Equipment> =
            exercise.equipment.iter().copied().filter(|e| !self.profile.can_use(*e)).collect();
        if !missing.is_empty() {
            let names: Vec<String> = missing.iter().map(|e| format!("a {}", e.label())).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            return Err(exclude(
                ExclusionReason::MissingEquipment,
                format!("Needs {}, which you have not listed.", join_words(&names)),
            ));
        }
        Ok(())
    }

    /// Whether the exercise belongs to the person's goal program.
    pub fn suits_goal(&self, exercise: &Exercise) -> bool {
        exercise.goals.contains(&self.profile.goal)
    }

    /// Whether the person can use this equipment (a floor and a chair are assumed).
    pub fn can_use(&self, equipment: Equipment) -> bool {
        self.profile.can_use(equipment)
    }

    /// Whether the exercise may be scheduled: safe, suitable and not disliked.
    pub fn allows(&self, exercise: &Exercise) -> bool {
        self.check(exercise).is_ok() && !self.is_disliked(&exercise.id)
    }

    /// The easiest version in the exercise's family: follow the first regression link to the end.
    /// Progressions are stored per family under this id, so it never changes as the user moves
    /// up and down.
    pub fn family_root(&self, id: &ExerciseId) -> ExerciseId {
        self.catalog.family_root(id)
    }

    /// How many regression steps lie below the exercise: a harder variant has a higher depth.
    pub fn depth(&self, id: &ExerciseId) -> usize {
        let mut depth = 0;
        let mut current = self.catalog.get(id.as_str());
        while let Some(easier) = current.and_then(|e| e.links.regressions.first()) {
            depth += 1;
            if depth >= MAX_HOPS {
                break;
            }
            current = self.catalog.get(easier.as_str());
        }
        depth
    }

    /// The family from its root upward, following the first progression link.
    pub fn family(&self, root: &ExerciseId) -> Vec<&'a Exercise> {
        let mut members = Vec::new();
        let mut current = self.catalog.get(root.as_str());
        while let Some(exercise) = current {
            if members.iter().any(|m: &&Exercise| m.id == exercise.id) || members.len() >= MAX_HOPS {
                break;
            }
            members.push(exercise);
            current = exercise.links.progressions.first().and_then(|id| self.catalog.get(id.as_str()));
        }
        members
    }

    /// The next harder version the user may do, skipping versions they may not.
    pub fn harder(&self, exercise: &Exercise) -> Option<&'a Exercise> {
        self.walk(exercise, |e| e.links.progressions.first())
    }

    /// The next easier version the user may do, skipping versions they may not.
    pub fn easier(&self, exercise: &Exercise) -> Option<&'a Exercise> {
        self.walk(exercise, |e| e.links.regressions.first())
    }

    fn walk(&self, from: &Exercise, next: impl Fn(&Exercise) -> Option<&ExerciseId>) -> Option<&'a Exercise> {
        let mut current = next(from).and_then(|id| self.catalog.get(id.as_str()));
        for _ in 0..MAX_HOPS {
            let exercise = current?;
            if self.allows(exercise) {
                return Some(exercise);
            }
            current = next(exercise).and_then(|id| self.catalog.get(id.as_str()));
        }
        None
    }

    /// What takes the place of a disliked exercise: the user's own swap if allowed, else the
    /// first catalog alternative that is allowed.
    pub fn replacement(&self, exercise: &Exercise) -> Option<&'a Exercise> {
        let swapped = self.profile.preferences.swapped.get(&exercise.id);
        swapped
            .into_iter()
            .chain(exercise.links.alternatives.iter())
            .filter_map(|id| self.catalog.get(id.as_str()))
            .find(|alternative| self.allows(alternative))
    }
}

/// "a, b and c".
pub(crate) fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}
