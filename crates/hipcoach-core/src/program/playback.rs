//! Where the plan meets the session player, both ways.
//!
//! Out: a [`PlannedExercise`] becomes a [`SessionItem`] carrying the prescribed version, dose and
//! sides, including the stiffer side's extra set and a side left out while it is on hold.
//!
//! Back: the player's set-by-set [`session::SessionRecord`] becomes the [`SessionRecord`] the
//! progression engine reads, with the dose that was given. Two choices keep progression on the
//! safe side of missing data:
//! - an exercise whose pain check was skipped is left out of the review, because an unanswered
//!   check must neither count as green (which could step it up) nor as pain (which would drop
//!   it for nothing);
//! - an exercise of which not one set was started (the session ended first) is left out too.
//!
//! Sharp pain keeps the side it happened on when the player knows it (the set it stopped), so
//! only that side's end-range work is put on hold.

use super::pain::{PainCheck, PainQuality};
use super::plan::{PlannedExercise, SideSelection};
use super::record::{ExerciseRecord, SessionRecord, SetRecord};
use crate::catalog::{Catalog, Effort, Laterality};
use crate::session::{self, PainAnswer, SessionItem, SetOutcome, Sides, Working};
use crate::units::{Day, PainScore, SetCount, Side};
use std::collections::BTreeSet;

impl PlannedExercise {
    /// The player's item for this exercise at the planned version, dose and sides; `None` when
    /// the planned version is not in `catalog` (a plan stored before the catalog changed).
    pub fn session_item(&self, catalog: &Catalog) -> Option<SessionItem> {
        let exercise = catalog.get(self.exercise.as_str())?;
        let sets_on = |side: Side| SetCount::new(i64::from(self.sets_on(side))).unwrap_or(self.dose.sets);
        let sets = self.dose.sets;
        let sides = match (self.laterality, self.sides) {
            (_, SideSelection::OneSide(side)) => Sides::OneSide { side, sets: sets_on(side) },
            (Laterality::Alternating, _) => Sides::Alternating { sets },
            (Laterality::Bilateral, _) | (_, SideSelection::Together) => Sides::Together { sets },
            (Laterality::Unilateral, SideSelection::EachSide) => {
                Sides::EachSide { left: sets_on(Side::Left), right: sets_on(Side::Right) }
            }
        };
        let mut item = SessionItem::from_exercise(exercise).with_dose(self.dose.effort, sides);
        item.rest = self.dose.rest;
        if let Some(band) = self.dose.band {
            item.name = format!("{} ({})", item.name, band.label());
        }
        Some(item)
    }
}

impl SessionRecord {
    /// What progression reads from a played session: `planned` holds the doses that were given,
    /// `baseline` is the hip pain before starting. The next-morning check is added later, when
    /// the user gives it.
    pub fn from_played(
        day: Day,
        baseline: PainScore,
        planned: &[PlannedExercise],
        played: &session::SessionRecord,
    ) -> SessionRecord {
        let exercises = played
            .exercises
            .iter()
            .filter_map(|done| {
                let plan = planned.iter().find(|p| p.exercise == done.exercise)?;
                let started: Vec<&session::SetRecord> = done
                    .sets
                    .iter()
                    .filter(|s| !matches!(s.outcome, SetOutcome::Cancelled | SetOutcome::Frozen))
                    .collect();
                if started.is_empty() {
                    return None;
                }
                let pain = match done.pain {
                    PainAnswer::Score(score) => PainCheck::score(score),
                    red @ (PainAnswer::Sharp
                    | PainAnswer::Pinching
                    | PainAnswer::CatchingOrLocking
                    | PainAnswer::TinglingOrNumbness) => PainCheck {
                        during: PainScore::NONE,
                        qualities: BTreeSet::from([match red {
                            PainAnswer::Pinching => PainQuality::Pinching,
                            PainAnswer::CatchingOrLocking => PainQuality::Catching,
                            PainAnswer::TinglingOrNumbness => PainQuality::Tingling,
                            _ => PainQuality::Sharp,
                        }]),
                        side: stopped_side(&started),
                    },
                    PainAnswer::NotAnswered => return None,
                };
                let target = match plan.dose.effort {
                    Effort::Hold { seconds } => seconds.get(),
                    Effort::Reps { count, .. } => count.get(),
                };
                let sets = started
                    .iter()
                    .flat_map(|set| {
                        let measured = set.reps_done.or(set.hold_seconds_done);
                        let achieved = match set.outcome {
                            SetOutcome::Completed => measured.unwrap_or(target),
                            _ => measured.unwrap_or(0),
                        };
                        sides_of(set.working).into_iter().map(move |side| SetRecord { side, achieved })
                    })
                    .collect();
                Some(ExerciseRecord {
                    exercise: done.exercise.clone(),
                    dose: plan.dose,
                    sets,
                    exertion: None,
                    reps_in_reserve: None,
                    pain,
                    stretch_feeling: None,
                })
            })
            .collect();
        SessionRecord { day, baseline, exercises, next_morning: None }
    }
}

/// The sides one played set counts for; alternating reps are counted per side.
fn sides_of(working: Working) -> Vec<Option<Side>> {
    match working {
        Working::Side(side) => vec![Some(side)],
        Working::Both => vec![None],
        Working::Alternating => Side::BOTH.iter().copied().map(Some).collect(),
    }
}

/// The side of the set that was stopped for pain, when it worked one side.
fn stopped_side(sets: &[&session::SetRecord]) -> Option<Side> {
    match sets.iter().find(|s| s.outcome == SetOutcome::StoppedForPain)?.working {
        Working::Side(side) => Some(side),
        Working::Both | Working::Alternating => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::{Dose, ExerciseId};
    use crate::program::{Block, TrafficLight};
    use crate::units::RestSeconds;

    fn catalog() -> &'static Catalog {
        Catalog::builtin()
    }

    fn planned(catalog: &Catalog, id: &str, sides: SideSelection, extra_set: Option<Side>) -> PlannedExercise {
        let exercise = catalog.get(id).expect("in the catalog");
        PlannedExercise {
            family: exercise.id.clone(),
            exercise: exercise.id.clone(),
            name: exercise.name.clone(),
            block: Block::of(exercise),
            laterality: exercise.laterality,
            dose: exercise.dose,
            sides,
            extra_set,
            estimated_seconds: 60,
        }
    }

    fn played_set(set: u16, working: Working, outcome: SetOutcome, reps: Option<u16>) -> session::SetRecord {
        session::SetRecord { set, working, outcome, reps_done: reps, hold_seconds_done: None }
    }

    #[test]
    fn the_stiffer_side_gets_its_extra_set_in_the_player() {
        let catalog = catalog();
        let plan = planned(catalog, "prone-hip-internal-rotation", SideSelection::EachSide, Some(Side::Right));
        let item = plan.session_item(catalog).expect("an item");
        let base = plan.dose.sets.get();
        match item.sides {
            Sides::EachSide { left, right } => assert_eq!((left.get(), right.get()), (base, base + 1)),
            other => panic!("expected each side, got {other:?}"),
        }
        assert_eq!(item.effort, plan.dose.effort);
    }

    #[test]
    fn a_side_on_hold_is_left_out_of_the_player() {
        let catalog = catalog();
        let plan = planned(catalog, "prone-hip-internal-rotation", SideSelection::OneSide(Side::Left), None);
        let item = plan.session_item(catalog).expect("an item");
        assert!(matches!(item.sides, Sides::OneSide { side: Side::Left, .. }));
    }

    #[test]
    fn the_prescribed_dose_replaces_the_catalog_default() {
        let catalog = catalog();
        let mut plan = planned(catalog, "clamshell", SideSelection::EachSide, None);
        plan.dose = Dose { sets: SetCount::new(3).unwrap(), rest: RestSeconds::new(40).unwrap(), ..plan.dose };
        let item = plan.session_item(catalog).expect("an item");
        assert_eq!(item.rest.get(), 40);
        assert!(matches!(item.sides, Sides::EachSide { left, right } if left.get() == 3 && right.get() == 3));
    }

    #[test]
    fn completed_sets_become_progression_sets_with_the_given_dose() {
        let catalog = catalog();
        let plan = planned(catalog, "clamshell", SideSelection::EachSide, None);
        let Effort::Reps { count, .. } = plan.dose.effort else { panic!("clamshell is done in reps") };
        let played = session::SessionRecord {
            exercises: vec![session::ExerciseRecord {
                exercise: plan.exercise.clone(),
                sets: vec![
                    played_set(1, Working::Side(Side::Left), SetOutcome::Completed, Some(count.get())),
                    played_set(1, Working::Side(Side::Right), SetOutcome::Completed, None),
                ],
                pain: PainAnswer::Score(PainScore::new(1).unwrap()),
            }],
            ended_early: false,
            active_ms: 60_000,
        };
        let record = SessionRecord::from_played(Day::new(10), PainScore::NONE, std::slice::from_ref(&plan), &played);
        assert_eq!(record.day, Day::new(10));
        let exercise = &record.exercises[0];
        assert_eq!(exercise.dose, plan.dose);
        assert_eq!(exercise.pain.light(), TrafficLight::Green);
        assert_eq!(
            exercise.sets,
            vec![
                SetRecord { side: Some(Side::Left), achieved: count.get() },
                SetRecord { side: Some(Side::Right), achieved: count.get() }
            ]
        );
    }

    #[test]
    fn sharp_pain_keeps_its_side_and_skipped_checks_are_not_reviewed() {
        let catalog = catalog();
        let prone = planned(catalog, "prone-hip-internal-rotation", SideSelection::EachSide, None);
        let clam = planned(catalog, "clamshell", SideSelection::EachSide, None);
        let played = session::SessionRecord {
            exercises: vec![
                session::ExerciseRecord {
                    exercise: prone.exercise.clone(),
                    sets: vec![
                        played_set(1, Working::Side(Side::Left), SetOutcome::Completed, Some(10)),
                        played_set(1, Working::Side(Side::Right), SetOutcome::StoppedForPain, Some(3)),
                    ],
                    pain: PainAnswer::Sharp,
                },
                session::ExerciseRecord {
                    exercise: clam.exercise.clone(),
                    sets: vec![played_set(1, Working::Side(Side::Left), SetOutcome::Completed, Some(10))],
                    pain: PainAnswer::NotAnswered,
                },
            ],
            ended_early: true,
            active_ms: 1,
        };
        let record = SessionRecord::from_played(Day::new(3), PainScore::NONE, &[prone, clam], &played);
        assert_eq!(record.exercises.len(), 1);
        assert_eq!(record.exercises[0].pain.side, Some(Side::Right));
        assert_eq!(record.exercises[0].pain.light(), TrafficLight::Red);
        assert_eq!(record.exercises[0].sets[1].achieved, 3);
    }

    #[test]
    fn exercises_not_in_the_plan_or_never_started_are_left_out() {
        let catalog = catalog();
        let clam = planned(catalog, "clamshell", SideSelection::EachSide, None);
        let played = session::SessionRecord {
            exercises: vec![
                session::ExerciseRecord {
                    exercise: clam.exercise.clone(),
                    sets: vec![played_set(1, Working::Side(Side::Left), SetOutcome::Cancelled, None)],
                    pain: PainAnswer::Score(PainScore::NONE),
                },
                session::ExerciseRecord {
                    exercise: ExerciseId::parse("box-squat").unwrap(),
                    sets: vec![played_set(1, Working::Both, SetOutcome::Completed, Some(10))],
                    pain: PainAnswer::Score(PainScore::NONE),
                },
            ],
            ended_early: true,
            active_ms: 1,
        };
        assert!(SessionRecord::from_played(Day::new(3), PainScore::NONE, &[clam], &played).exercises.is_empty());
    }
}
