//! Plans: fit the minutes, honour equipment, goal and preferences, dose the sides fairly.

use super::*;
use crate::catalog::{ContraindicationTag as Tag, Kind};
use crate::units::Side;
use rstest::rstest;

fn plan(profile: &Profile) -> WeekPlan {
    WeekPlan::generate(catalog(), profile, &clear(), &ProgressionState::new()).unwrap()
}

fn show(plan: &WeekPlan) -> String {
    let mut out = String::new();
    for session in &plan.sessions {
        out.push_str(&format!("session {} ({} s)\n", session.number, session.estimated_seconds));
        for item in &session.items {
            out.push_str(&format!(
                "  {:?} {} {} {:?} extra={:?} {} s\n",
                item.block,
                item.exercise,
                words(&item.dose),
                item.sides,
                item.extra_set,
                item.estimated_seconds
            ));
        }
    }
    out
}

#[test]
fn a_typical_week_runs_warm_up_mobility_strength_cool_down_within_the_minutes() {
    let plan = plan(&profile());
    assert_eq!(plan.sessions.len(), 3, "{}", show(&plan));
    for session in &plan.sessions {
        assert!(session.estimated_seconds <= plan.budget_seconds, "{}", show(&plan));
        let blocks: Vec<Block> = session.items.iter().map(|i| i.block).collect();
        assert!(blocks.is_sorted(), "{}", show(&plan));
        assert_eq!(blocks.first(), Some(&Block::WarmUp), "{}", show(&plan));
        assert!(blocks.contains(&Block::Mobility), "{}", show(&plan));
        assert!(blocks.contains(&Block::Strength), "{}", show(&plan));
        assert_eq!(blocks.last(), Some(&Block::CoolDown), "{}", show(&plan));
        let total: u32 = session.items.iter().map(|i| i.estimated_seconds).sum();
        assert_eq!(total, session.estimated_seconds);
    }
}

#[test]
fn strength_and_activation_rotate_through_the_week() {
    let plan = plan(&profile());
    let per_block = |block: Block| -> std::collections::BTreeSet<ExerciseId> {
        plan.sessions
            .iter()
            .flat_map(|s| s.items.iter())
            .filter(|i| i.block == block)
            .map(|i| i.exercise.clone())
            .collect()
    };
    assert!(per_block(Block::Strength).len() >= 2, "{}", show(&plan));
    assert!(per_block(Block::WarmUp).len() >= 2, "{}", show(&plan));
    assert!(per_block(Block::Mobility).len() >= 2, "{}", show(&plan));
}

#[test]
fn each_family_starts_at_its_easiest_suitable_version_and_catalog_dose() {
    let plan = plan(&profile());
    let scheduled = plan.scheduled();
    assert!(!scheduled.contains(&id("seated-hip-internal-rotation-foot-free")));
    assert!(!scheduled.contains(&id("banded-seated-hip-internal-rotation")));
    for item in plan.sessions.iter().flat_map(|s| &s.items) {
        let default = exercise(item.exercise.as_str()).dose;
        assert!(item.dose.sets <= default.sets && item.dose.effort == default.effort, "{}", item.exercise);
    }
}

#[test]
fn only_exercises_for_the_users_goal_and_equipment_are_scheduled() {
    let mut athlete = profile();
    athlete.goal = Goal::Athlete;
    athlete.equipment = [Equipment::Mat].into();
    athlete.has_chair = false;
    athlete.minutes_per_session = SessionMinutes::new(60).unwrap();
    let plan = plan(&athlete);
    for id in plan.scheduled() {
        let exercise = exercise(id.as_str());
        assert!(exercise.goals.contains(&Goal::Athlete), "{id}");
        assert!(exercise.equipment.iter().all(|e| *e == Equipment::Mat), "{id}");
    }
    let reason = |text: &str| plan.excluded.iter().find(|e| e.exercise.as_str() == text).map(|e| e.reason);
    assert_eq!(reason("box-squat"), Some(ExclusionReason::OtherGoal));
    assert_eq!(reason("banded-seated-hip-abduction"), Some(ExclusionReason::NoFloorOrChair));
    let text = &plan.excluded.iter().find(|e| e.exercise.as_str() == "banded-seated-hip-abduction").unwrap().text;
    assert_eq!(text, "Needs a steady chair, and you said you have none at hand.");
    // The athlete's squat family starts at the free squat, since the chair squat is not theirs.
    assert!(plan.scheduled().contains(&id("bodyweight-squat")), "{}", show(&plan));
}

#[test]
fn a_disliked_exercise_is_replaced_by_an_allowed_alternative() {
    let mut picky = profile();
    picky.preferences.disliked.insert(id("windshield-wipers"));
    let plan = plan(&picky);
    assert!(!plan.scheduled().contains(&id("windshield-wipers")));
    let exclusion = plan.excluded.iter().find(|e| e.exercise.as_str() == "windshield-wipers").unwrap();
    assert_eq!(exclusion.reason, ExclusionReason::Disliked);
    // Its stand-in is planned anyway, so nothing takes its place and no sentence says so.
    assert!(plan.scheduled().contains(&id("prone-hip-internal-rotation")), "{}", show(&plan));
    assert!(exclusion.text.contains("Prone hip internal rotation is in your plan already"), "{}", exclusion.text);
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("Windshield wipers is left out, as you asked; Prone hip internal rotation")),
        "{:?}",
        plan.notes
    );
}

#[test]
fn a_swap_for_an_exercise_not_yet_planned_takes_the_place_and_says_so() {
    let mut picky = profile();
    picky.preferences.swapped.insert(id("clamshell"), id("standing-side-hip-abduction"));
    let before = plan(&profile());
    let after = plan(&picky);
    assert!(!after.scheduled().contains(&id("clamshell")));
    let exclusion = after.excluded.iter().find(|e| e.exercise.as_str() == "clamshell").unwrap();
    let note = after.notes.iter().find(|n| n.starts_with("Clamshell")).expect("a sentence about the swap");
    if before.scheduled().contains(&id("standing-side-hip-abduction")) {
        assert!(exclusion.text.contains("in your plan already") && note.contains("in the plan already"), "{note}");
    } else {
        assert!(after.scheduled().contains(&id("standing-side-hip-abduction")), "{}", show(&after));
        assert!(exclusion.text.contains("takes its place") && note.contains("is swapped for"), "{note}");
    }
}

#[test]
fn liked_exercises_come_first_in_every_session() {
    let mut fan = profile();
    fan.preferences.liked.insert(id("clamshell"));
    let plan = plan(&fan);
    for session in &plan.sessions {
        assert!(session.items.iter().any(|i| i.exercise.as_str() == "clamshell"), "{}", show(&plan));
    }
}

#[rstest]
//     left right method                       extra set for
#[case(20, 35, Method::Goniometer, Some(Side::Left))]
#[case(38, 25, Method::Inclinometer, Some(Side::Right))]
#[case(25, 35, Method::Goniometer, None)]
#[case(20, 35, Method::CameraEstimate, None)]
fn the_stiffer_side_gets_one_extra_set_only_on_a_reliable_difference_over_10_degrees(
    #[case] left: i64,
    #[case] right: i64,
    #[case] method: Method,
    #[case] extra: Option<Side>,
) {
    let mut measured = profile();
    measured.minutes_per_session = SessionMinutes::new(40).unwrap();
    measured.range_of_motion = IrBySide { left: Some(reading(left, method)), right: Some(reading(right, method)) };
    let plan = plan(&measured);
    assert_eq!(plan.asymmetry, extra);
    let items: Vec<&PlannedExercise> = plan.sessions.iter().flat_map(|s| &s.items).collect();
    for item in &items {
        let inward = exercise(item.exercise.as_str()).contraindication_tags.contains(&Tag::InternalRotation);
        if !inward || item.sides != SideSelection::EachSide {
            assert_eq!(item.extra_set, None);
        }
    }
    assert_eq!(items.iter().any(|i| i.extra_set.is_some()), extra.is_some(), "{}", show(&plan));
    if let Some(side) = extra {
        assert!(plan.notes.iter().any(|n| n.contains(&format!("{side} side one extra set"))));
    }
}

#[test]
fn a_painful_end_range_never_earns_extra_volume() {
    let mut measured = profile();
    let mut left = reading(18, Method::Goniometer);
    left.end_range_pain_free = false;
    measured.range_of_motion = IrBySide { left: Some(left), right: Some(reading(35, Method::Goniometer)) };
    assert_eq!(plan(&measured).asymmetry, None);
}

#[rstest]
#[case(5)]
#[case(8)]
#[case(12)]
#[case(30)]
#[case(90)]
fn no_session_runs_over_its_minutes(#[case] minutes: i64) {
    let mut short = profile();
    short.minutes_per_session = SessionMinutes::new(minutes).unwrap();
    short.sessions_per_week = SessionsPerWeek::new(7).unwrap();
    let plan = plan(&short);
    for session in &plan.sessions {
        assert!(!session.items.is_empty());
        assert!(session.estimated_seconds <= u32::try_from(minutes).unwrap() * 60, "{}", show(&plan));
    }
}

#[test]
fn a_short_session_keeps_inward_turning_work_first() {
    let mut short = profile();
    short.minutes_per_session = SessionMinutes::new(5).unwrap();
    let plan = plan(&short);
    for session in &plan.sessions {
        assert!(session.items.iter().any(|i| i.block == Block::Mobility), "{}", show(&plan));
    }
}

#[test]
fn nothing_suitable_is_an_error_not_an_empty_plan() {
    let mut bare = profile();
    bare.equipment.clear();
    bare.gets_down_to_floor = false;
    bare.has_chair = false;
    let outcome = screen(&Answers {
        hip_surgery: HipSurgery::Replacement(HipReplacement {
            resurfacing: false,
            approach: ReplacementApproach::Posterior,
            weeks_since_surgery: 30,
            surgeon_cleared: false,
            looks_shortened_or_turned: false,
        }),
        ..Answers::default()
    });
    // Without floor, chair or equipment and with posterior precautions (no deep bending, so no
    // hinge either) nothing is left: an error that says so, not an empty week.
    let error = WeekPlan::generate(catalog(), &bare, &outcome, &ProgressionState::new()).unwrap_err();
    assert_eq!(error, PlanError::NothingSuitable);
    // With a chair the supported split squat and the side leg raise remain.
    bare.has_chair = true;
    let plan = WeekPlan::generate(catalog(), &bare, &outcome, &ProgressionState::new()).unwrap();
    assert!(!plan.scheduled().contains(&id("hip-hinge-drill")), "{}", show(&plan));
    assert!(plan.scheduled().contains(&id("supported-split-squat")), "{}", show(&plan));
}

#[test]
fn stretches_end_the_session_and_are_never_shortened_below_one_hold_per_side() {
    let plan = plan(&profile());
    for item in plan.sessions.iter().flat_map(|s| &s.items) {
        if exercise(item.exercise.as_str()).kind == Kind::Stretch {
            assert_eq!(item.block, Block::CoolDown);
            assert_eq!(item.sides, SideSelection::EachSide);
        }
    }
}

#[test]
fn plans_round_trip_through_json() {
    let plan = plan(&profile());
    let json = serde_json::to_string(&plan).unwrap();
    assert_eq!(serde_json::from_str::<WeekPlan>(&json).unwrap(), plan);
}

fn inward(item: &PlannedExercise) -> bool {
    exercise(item.exercise.as_str()).contraindication_tags.contains(&Tag::InternalRotation)
}

fn desk_worker() -> Profile {
    let mut person = profile();
    person.equipment.clear();
    person.minutes_per_session = SessionMinutes::new(15).unwrap();
    person
}

#[test]
fn a_desk_worker_with_nothing_ticked_gets_inward_turning_in_every_session_and_fills_the_time() {
    let plan = plan(&desk_worker());
    for session in &plan.sessions {
        assert!(session.items.iter().any(inward), "{}", show(&plan));
        assert!(session.estimated_seconds + 180 >= plan.budget_seconds, "under the 15 minutes asked:\n{}", show(&plan));
    }
    // What more equipment would add is said once, by name.
    let extra: Vec<&String> = plan.notes.iter().filter(|n| n.contains("you could add")).collect();
    assert_eq!(extra.len(), 1, "{:?}", plan.notes);
    assert!(extra[0].starts_with("With a ") && extra[0].contains("Banded seated hip abduction"), "{}", extra[0]);
    assert!(!extra[0].contains("banded-seated"), "names, never ids: {}", extra[0]);
}

#[test]
fn no_floor_and_no_chair_leave_out_what_needs_them_with_the_reason() {
    let mut person = desk_worker();
    person.gets_down_to_floor = false;
    let plan = plan(&person);
    let prone = plan.excluded.iter().find(|e| e.exercise.as_str() == "prone-hip-internal-rotation").unwrap();
    assert_eq!(prone.reason, ExclusionReason::NoFloorOrChair);
    assert!(plan.scheduled().contains(&id("seated-hip-internal-rotation")), "the chair drill remains: {}", show(&plan));
}

#[test]
fn a_blocked_easier_version_leaves_its_family_out_instead_of_starting_harder() {
    // Second trimester, carer's OK: no lying on the back, so no windshield wipers — and so no
    // 90/90 switch either, which comes after them.
    let outcome = screen(&Answers {
        pregnancy: Some(Pregnancy { trimester: Trimester::Second, carer_ok: true }),
        ..Answers::default()
    });
    let pregnant = WeekPlan::generate(catalog(), &profile(), &outcome, &ProgressionState::new()).unwrap();
    assert!(!pregnant.scheduled().contains(&id("hip-90-90-switch")), "{}", show(&pregnant));
    let switch = pregnant.excluded.iter().find(|e| e.exercise.as_str() == "hip-90-90-switch").unwrap();
    assert_eq!(switch.reason, ExclusionReason::EasierVersionFirst);
    assert!(switch.text.contains("Windshield wipers"), "{}", switch.text);

    // 65 and over without a chair: no supported split squat, so no reverse lunge.
    let mut older = profile();
    older.age_band = AgeBand::From65;
    older.has_chair = false;
    older.equipment.remove(&Equipment::Chair);
    let week = plan(&older);
    assert!(!week.scheduled().contains(&id("reverse-lunge")), "{}", show(&week));
}

#[test]
fn very_little_inward_turning_measured_at_fifty_holds_that_side_and_gives_it_no_extra_set() {
    let mut person = profile();
    person.age_band = AgeBand::From50To64;
    person.range_of_motion =
        IrBySide { left: Some(reading(12, Method::Goniometer)), right: Some(reading(30, Method::Goniometer)) };
    let week = plan(&person);
    assert_eq!(week.asymmetry, None, "{}", show(&week));
    assert!(week.notes.iter().any(|n| n.contains("left hip turns inward only 12°") && n.contains("physiotherapist")));
    for item in week.sessions.iter().flat_map(|s| &s.items).filter(|i| inward(i)) {
        assert_eq!(item.sides, SideSelection::OneSide(Side::Right), "{}", show(&week));
        assert_eq!(item.extra_set, None);
    }
    // Under 50 the same reading is simply a stiff hip that gets the extra set.
    person.age_band = AgeBand::From18To49;
    assert_eq!(plan(&person).asymmetry, Some(Side::Left));
}

#[test]
fn a_hard_blocked_end_of_the_turn_holds_that_side_at_any_age() {
    let mut person = profile();
    let mut hard = reading(35, Method::Goniometer);
    hard.hard_end_feel = true;
    person.range_of_motion = IrBySide { left: Some(reading(36, Method::Goniometer)), right: Some(hard) };
    let week = plan(&person);
    assert!(
        week.notes.iter().any(|n| n.contains("right hip stops hard") && n.contains("never pushed")),
        "{:?}",
        week.notes
    );
    for item in week.sessions.iter().flat_map(|s| &s.items).filter(|i| inward(i)) {
        assert_eq!(item.sides, SideSelection::OneSide(Side::Left), "{}", show(&week));
    }
    assert!(week.sessions.iter().all(|s| s.items.iter().any(inward)), "the other side still works: {}", show(&week));
}

#[rstest]
#[case(4, vec![true, false, true, true])]
#[case(5, vec![true, false, true, false, true])]
#[case(7, vec![true, false, true, false, true, false, false])]
fn strength_and_band_work_fall_on_at_most_three_non_consecutive_days(#[case] sessions: i64, #[case] strong: Vec<bool>) {
    let mut athlete = profile();
    athlete.goal = Goal::Athlete;
    athlete.equipment = Equipment::ALL.iter().copied().collect();
    athlete.sessions_per_week = SessionsPerWeek::new(sessions).unwrap();
    athlete.minutes_per_session = SessionMinutes::new(30).unwrap();
    let plan = plan(&athlete);
    let has_strength: Vec<bool> = plan
        .sessions
        .iter()
        .map(|s| {
            s.items.iter().any(|i| {
                i.block == Block::Strength || exercise(i.exercise.as_str()).equipment.contains(&Equipment::Band)
            })
        })
        .collect();
    assert_eq!(has_strength, strong, "{}", show(&plan));
    for session in &plan.sessions {
        assert!(session.items.iter().any(inward), "mobility every day: {}", show(&plan));
    }
}

#[test]
fn a_front_approach_replacement_before_clearance_leaves_out_stepping_the_hip_back() {
    let outcome = screen(&Answers {
        hip_surgery: HipSurgery::Replacement(HipReplacement {
            resurfacing: false,
            approach: ReplacementApproach::Anterior,
            weeks_since_surgery: 20,
            surgeon_cleared: false,
            looks_shortened_or_turned: false,
        }),
        ..Answers::default()
    });
    let plan = WeekPlan::generate(catalog(), &profile(), &outcome, &ProgressionState::new()).unwrap();
    let split = plan.excluded.iter().find(|e| e.exercise.as_str() == "supported-split-squat").unwrap();
    assert_eq!(split.reason, ExclusionReason::Restricted, "{}", split.text);
    assert!(split.text.contains("backward while turned outward"), "{}", split.text);
    // Inward turning is not what an anterior approach restricts once past 12 weeks.
    assert!(plan.sessions.iter().all(|s| s.items.iter().any(inward)), "{}", show(&plan));
}

#[test]
fn the_extra_set_needs_a_difference_beyond_what_the_measurers_can_tell_apart() {
    let mut person = profile();
    let mut right = reading(36, Method::Goniometer);
    right.rater = Rater::Different;
    // 12° apart by goniometer: real for one person (8°), not for two different people (16°).
    person.range_of_motion = IrBySide { left: Some(reading(24, Method::Goniometer)), right: Some(right) };
    assert_eq!(plan(&person).asymmetry, None);
    right.rater = Rater::Same;
    person.range_of_motion.right = Some(right);
    assert_eq!(plan(&person).asymmetry, Some(Side::Left));
    // A phone on the shin is not yet trusted to change the dose.
    let phone = |degrees| reading(degrees, Method::Phone);
    person.range_of_motion = IrBySide { left: Some(phone(20)), right: Some(phone(40)) };
    assert_eq!(plan(&person).asymmetry, None);
}
