//! Properties that hold for random profiles, screening answers and session histories:
//! - a pain flag (amber or red during, or a worse next morning) never raises that exercise's dose;
//! - an exercise that screening, equipment, goal or dislikes rule out is never scheduled;
//! - no session is estimated over its time budget;
//! - both sides get equal work, except the stiffer side's one extra set when asymmetry dosing is
//!   on, and a side on hold after red pain.

use super::*;
use crate::catalog::Laterality;
use crate::units::Side;
use proptest::prelude::*;
use proptest::sample::subsequence;
use std::collections::BTreeMap;

fn goal() -> impl Strategy<Value = Goal> {
    prop::sample::select(Goal::ALL.to_vec())
}

fn ir_reading() -> impl Strategy<Value = Option<IrReading>> {
    let method = prop::sample::select(vec![Method::Goniometer, Method::Inclinometer, Method::CameraEstimate]);
    let position = prop::sample::select(vec![TestPosition::Seated, TestPosition::Prone]);
    prop::option::of((5i64..60, method, position, any::<bool>(), prop::bool::weighted(0.1)).prop_map(
        |(degrees, method, position, free, hard)| IrReading {
            degrees: WholeDegrees::new(degrees).unwrap(),
            method,
            position,
            end_range_pain_free: free,
            hard_end_feel: hard,
            rater: Rater::Same,
        },
    ))
}

fn profiles() -> impl Strategy<Value = Profile> {
    let ids: Vec<ExerciseId> = catalog().exercises().map(|e| e.id.clone()).collect();
    (
        goal(),
        1i64..=7,
        5i64..=90,
        subsequence(Equipment::ALL.to_vec(), 0..=Equipment::ALL.len()),
        prop::sample::select(vec![AgeBand::From18To49, AgeBand::From50To64, AgeBand::From65]),
        (ir_reading(), ir_reading()),
        subsequence(ids.clone(), 0..4),
        (subsequence(ids, 0..3), any::<bool>(), any::<bool>()),
    )
        .prop_map(
            |(goal, sessions, minutes, equipment, age_band, (left, right), disliked, (liked, floor, chair))| Profile {
                goal,
                sessions_per_week: SessionsPerWeek::new(sessions).unwrap(),
                minutes_per_session: SessionMinutes::new(minutes).unwrap(),
                equipment: equipment.into_iter().collect(),
                age_band,
                range_of_motion: IrBySide { left, right },
                preferences: Preferences {
                    liked: liked.into_iter().collect(),
                    disliked: disliked.into_iter().collect(),
                    swapped: BTreeMap::new(),
                },
                gets_down_to_floor: floor,
                has_chair: chair,
            },
        )
}

fn answers() -> impl Strategy<Value = Answers> {
    let approach = prop::sample::select(vec![
        ReplacementApproach::Posterior,
        ReplacementApproach::Anterior,
        ReplacementApproach::Lateral,
        ReplacementApproach::Unknown,
    ]);
    let surgery = prop_oneof![
        3 => Just(HipSurgery::None),
        2 => (any::<bool>(), approach, 0u32..60, any::<bool>()).prop_map(|(resurfacing, approach, weeks, cleared)| {
            HipSurgery::Replacement(HipReplacement {
                resurfacing,
                approach,
                weeks_since_surgery: weeks,
                surgeon_cleared: cleared,
                looks_shortened_or_turned: false,
            })
        }),
    ];
    let trimester = prop::sample::select(vec![Trimester::First, Trimester::Second, Trimester::Third]);
    let pregnancy = prop::option::weighted(0.3, (trimester, prop::bool::weighted(0.9)))
        .prop_map(|p| p.map(|(trimester, carer_ok)| Pregnancy { trimester, carer_ok }));
    (surgery, pregnancy, any::<bool>(), prop::bool::weighted(0.05)).prop_map(
        |(hip_surgery, pregnancy, heart, fever)| Answers {
            hip_surgery,
            pregnancy,
            heart_or_blood_pressure: heart,
            fever_or_hot_joint: fever,
            ..Answers::default()
        },
    )
}

/// How one exercise went, drawn at random.
#[derive(Debug, Clone)]
struct Outcome {
    during: i64,
    quality: Option<PainQuality>,
    side: Option<Side>,
    exertion: Option<Exertion>,
    completed: bool,
}

fn outcome() -> impl Strategy<Value = Outcome> {
    let quality = prop::option::weighted(
        0.1,
        prop::sample::select(vec![
            PainQuality::Sharp,
            PainQuality::Pinching,
            PainQuality::Catching,
            PainQuality::Locking,
            PainQuality::Tingling,
        ]),
    );
    let exertion =
        prop::option::of(prop::sample::select(vec![Exertion::TooEasy, Exertion::JustRight, Exertion::TooHard]));
    let during = prop_oneof![3 => 0i64..=2, 1 => 0i64..=10];
    (during, quality, prop::option::of(prop::sample::select(Side::BOTH.to_vec())), exertion, prop::bool::weighted(0.85))
        .prop_map(|(during, quality, side, exertion, completed)| Outcome { during, quality, side, exertion, completed })
}

/// One session of a history: the gap since the last one, the baseline, the morning and how
/// each exercise went.
#[derive(Debug, Clone)]
struct Visit {
    gap: u32,
    baseline: i64,
    morning: Option<(i64, bool)>,
    outcomes: Vec<Outcome>,
}

fn visits() -> impl Strategy<Value = Vec<Visit>> {
    let visit = (
        1u32..=4,
        0i64..=4,
        prop::option::weighted(0.8, (prop_oneof![3 => 0i64..=3, 1 => 0i64..=10], prop::bool::weighted(0.1))),
        prop::collection::vec(outcome(), 8),
    )
        .prop_map(|(gap, baseline, morning, outcomes)| Visit { gap, baseline, morning, outcomes });
    prop::collection::vec(visit, 1..24)
}

/// Checks every plan invariant; returns a description of the first one broken.
fn check_plan(
    profile: &Profile,
    screening: &ScreeningOutcome,
    state: &ProgressionState,
    plan: &WeekPlan,
) -> Result<(), String> {
    let eligibility = Eligibility::new(catalog(), profile, screening);
    if plan.sessions.len() != usize::from(profile.sessions_per_week.get()) {
        return Err("wrong number of sessions".into());
    }
    // Sides on hold: after red pain, or (at 50 and over) measured under 15° and waiting for a review.
    let older = profile.age_band != AgeBand::From18To49;
    let low =
        |s: Side| profile.range_of_motion.side(s).is_some_and(|r| r.hard_end_feel || (older && r.degrees.get() < 15));
    let frozen: Vec<Side> = Side::BOTH.into_iter().filter(|s| state.is_frozen(*s) || low(*s)).collect();
    for session in &plan.sessions {
        if session.estimated_seconds > plan.budget_seconds {
            return Err(format!(
                "session {} takes {} s of {} s",
                session.number, session.estimated_seconds, plan.budget_seconds
            ));
        }
        let total: u32 = session.items.iter().map(|i| i.estimated_seconds).sum();
        if total != session.estimated_seconds {
            return Err("session estimate is not the sum of its items".into());
        }
        for item in &session.items {
            let exercise = exercise(item.exercise.as_str());
            if let Some(restriction) = screening.restrictions().blocking(exercise) {
                return Err(format!("{} scheduled despite: {}", item.exercise, restriction.because));
            }
            if eligibility.check(exercise).is_err() || eligibility.is_disliked(&exercise.id) {
                return Err(format!("{} scheduled but not allowed", item.exercise));
            }
            let (left, right) = (item.work_seconds_on(Side::Left), item.work_seconds_on(Side::Right));
            let inward =
                exercise.contraindication_tags.contains(&crate::catalog::ContraindicationTag::InternalRotation);
            match (item.sides, item.extra_set) {
                (SideSelection::OneSide(side), None) if !(inward && frozen == [side.other()]) => {
                    return Err(format!("{} works one side without a side on hold", item.exercise));
                }
                (SideSelection::OneSide(_), None) => {}
                (_, Some(side)) => {
                    let stiffer = plan.asymmetry == Some(side) && profile.range_of_motion.stiffer_side() == Some(side);
                    let one_more = item.sets_on(side) == item.sets_on(side.other()) + 1;
                    if !(stiffer && inward && one_more && exercise.laterality == Laterality::Unilateral) {
                        return Err(format!("{} has an extra set it should not", item.exercise));
                    }
                }
                (_, None) if left != right => {
                    return Err(format!("{} is uneven: {left} s vs {right} s", item.exercise));
                }
                _ => {}
            }
            if !frozen.is_empty() && inward && item.sides == SideSelection::EachSide {
                return Err(format!("{} works a side that is on hold", item.exercise));
            }
        }
    }
    // Whoever may do an inward-turning drill gets one in every session.
    let entries = family_entries(&eligibility);
    let active = |e: &crate::catalog::Exercise| {
        state.prescription(&eligibility.family_root(&e.id)).is_none_or(|p| p.is_active())
    };
    // With one side on hold, a one-sided drill still works the other side.
    let workable = |e: &crate::catalog::Exercise| {
        frozen.is_empty() || (frozen.len() == 1 && e.laterality == crate::catalog::Laterality::Unilateral)
    };
    let ir_open = entries.iter().any(|e| is_inward(e) && eligibility.allows(e) && active(e) && workable(e));
    if let Some(session) =
        plan.sessions.iter().find(|s| ir_open && !s.items.iter().any(|i| is_inward(exercise(i.exercise.as_str()))))
    {
        return Err(format!("session {} has no inward-turning drill although one is allowed", session.number));
    }
    // Strength and band work never on two days in a row (sessions spread over the week).
    let days = session_weekdays(plan.sessions.len());
    let strong: Vec<u8> = plan
        .sessions
        .iter()
        .zip(days)
        .filter(|(s, _)| s.items.iter().any(|i| crate::program::is_strength_work(exercise(i.exercise.as_str()))))
        .map(|(_, day)| *day)
        .collect();
    if strong.windows(2).any(|w| w[1] < w[0] + 2) || strong.len() > 3 {
        return Err(format!("strength or band work on weekdays {strong:?}"));
    }
    Ok(())
}

fn is_inward(exercise: &crate::catalog::Exercise) -> bool {
    exercise.contraindication_tags.contains(&crate::catalog::ContraindicationTag::InternalRotation)
}

/// Each family's easiest version for the person's goal: where a fresh plan must start.
fn family_entries<'a>(eligibility: &Eligibility<'a>) -> Vec<&'a crate::catalog::Exercise> {
    let roots: std::collections::BTreeSet<ExerciseId> =
        catalog().exercises().map(|e| eligibility.family_root(&e.id)).collect();
    roots.iter().filter_map(|root| eligibility.family(root).into_iter().find(|e| eligibility.suits_goal(e))).collect()
}

/// A fresh plan schedules no harder version: every item is its family's easiest version for
/// the goal, or the stand-in for one the person disliked.
fn starts_easiest(profile: &Profile, screening: &ScreeningOutcome, plan: &WeekPlan) -> Result<(), String> {
    let eligibility = Eligibility::new(catalog(), profile, screening);
    let entries = family_entries(&eligibility);
    for item in plan.sessions.iter().flat_map(|s| &s.items) {
        let entry = entries.iter().find(|e| eligibility.family_root(&e.id) == item.family);
        // A stand-in the person chose (or the catalog offers) for a disliked first version.
        let stand_in = entry.is_some_and(|e| eligibility.is_disliked(&e.id)) || eligibility.is_liked(&item.exercise);
        if entry.is_some_and(|e| e.id != item.exercise) && !stand_in {
            return Err(format!("{} is scheduled before its easier version", item.exercise));
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn plans_fit_the_budget_schedule_only_allowed_exercises_and_treat_sides_equally(
        profile in profiles(),
        answers in answers(),
    ) {
        let screening = screen(&answers);
        let state = ProgressionState::new();
        match WeekPlan::generate(catalog(), &profile, &screening, &state) {
            Ok(plan) => {
                prop_assert!(screening.verdict().allows_plan());
                if let Err(broken) = check_plan(&profile, &screening, &state, &plan).and_then(|()| starts_easiest(&profile, &screening, &plan)) {
                    return Err(TestCaseError::fail(broken));
                }
                // Every catalog exercise that cannot be scheduled is listed with a reason.
                let eligibility = Eligibility::new(catalog(), &profile, &screening);
                for exercise in catalog().exercises() {
                    if eligibility.check(exercise).is_err() {
                        prop_assert!(plan.excluded.iter().any(|e| e.exercise == exercise.id && !e.text.is_empty()));
                    }
                }
            }
            Err(PlanError::ScreeningBlocks { verdict }) => {
                prop_assert!(!verdict.allows_plan());
            }
            Err(PlanError::NothingSuitable | PlanError::NotEnoughTime { .. }) => {
                prop_assert!(screening.verdict().allows_plan());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn a_pain_flag_never_raises_the_dose_and_plans_stay_safe_through_any_history(
        profile in profiles(),
        answers in answers(),
        visits in visits(),
    ) {
        let screening = screen(&answers);
        let eligibility = Eligibility::new(catalog(), &profile, &screening);
        let mut state = ProgressionState::new();
        let mut records: Vec<SessionRecord> = Vec::new();
        let mut today = 0u32;
        for (index, visit) in visits.iter().enumerate() {
            let Ok(plan) = WeekPlan::generate(catalog(), &profile, &screening, &state) else { break };
            if let Err(broken) = check_plan(&profile, &screening, &state, &plan) {
                return Err(TestCaseError::fail(broken));
            }
            today += visit.gap;
            let session = &plan.sessions[index % plan.sessions.len()];
            let baseline = pain(visit.baseline);
            let morning = visit.morning.map(|(p, stiffer)| MorningCheck { pain: pain(p), stiffer_than_usual: stiffer });
            let morning_worse = morning.is_some_and(|m| m.is_worse_than(baseline));
            let mut flagged: Vec<(ExerciseId, (usize, u8, u16, u16))> = Vec::new();
            let mut exercises = Vec::new();
            for (item, went) in session.items.iter().zip(visit.outcomes.iter().cycle()) {
                let check = PainCheck {
                    during: pain(went.during),
                    qualities: went.quality.into_iter().collect(),
                    side: went.side,
                };
                let before = state.prescription(&item.family).map_or_else(
                    || Prescription::load(&eligibility, &item.exercise, &item.dose),
                    |p| Prescription::load(&eligibility, &p.exercise, &p.dose),
                );
                if check.light() != TrafficLight::Green || morning_worse {
                    flagged.push((item.family.clone(), before));
                }
                let mut record = ExerciseRecord::full(exercise(item.exercise.as_str()), item.dose, check);
                record.exertion = went.exertion;
                if !went.completed {
                    record.sets.pop();
                }
                exercises.push(record);
            }
            records.push(SessionRecord { day: day(today), baseline, exercises, next_morning: morning });
            today += 1;
            let result = progress(catalog(), &profile, &screening, &state, &records, day(today));
            state = result.state;
            for (family, before) in flagged {
                if let Some(after) = state.prescription(&family).filter(|p| p.is_active()) {
                    let after = Prescription::load(&eligibility, &after.exercise, &after.dose);
                    prop_assert!(after <= before, "{family} rose from {before:?} to {after:?} after a pain flag on day {}", today - 1);
                }
            }
            for change in &result.changes {
                prop_assert!(!change.sentence.is_empty() && change.sentence.ends_with('.'), "{}", change.sentence);
            }
        }
    }
}
