//! Every screening tier, and the hip-replacement, pregnancy and under-18 rules.

use super::*;
use crate::catalog::{ContraindicationTag as Tag, Position};
use rstest::rstest;
use std::collections::BTreeMap;

fn with(change: impl FnOnce(&mut Answers)) -> ScreeningOutcome {
    let mut answers = Answers::default();
    change(&mut answers);
    screen(&answers)
}

#[test]
fn no_findings_is_clear_to_start_with_no_restrictions() {
    let outcome = clear();
    assert_eq!(outcome.verdict(), Verdict::ClearToStart);
    assert!(outcome.reasons().is_empty());
    assert!(outcome.restrictions().items().is_empty());
}

#[rstest]
#[case::saddle_numbness(|a: &mut Answers| a.saddle_numbness_or_bladder = true, Verdict::UrgentCare)]
#[case::both_legs(|a: &mut Answers| a.both_legs = true, Verdict::UrgentCare)]
#[case::cannot_bear_weight(|a: &mut Answers| a.cannot_bear_weight = true, Verdict::UrgentCare)]
#[case::fever(|a: &mut Answers| a.fever_or_hot_joint = true, Verdict::UrgentCare)]
#[case::clot(|a: &mut Answers| a.calf_swelling_or_breathless = true, Verdict::UrgentCare)]
#[case::sudden_severe_pain(|a: &mut Answers| a.sudden_severe_pain = true, Verdict::UrgentCare)]
#[case::chest_pain(|a: &mut Answers| a.chest_pain = true, Verdict::SeeClinicianFirst)]
#[case::chest_pain_at_rest(|a: &mut Answers| { a.chest_pain = true; a.chest_pain_at_rest = true; }, Verdict::UrgentCare)]
#[case::fainting(|a: &mut Answers| a.dizzy_or_fainted = true, Verdict::SeeClinicianFirst)]
#[case::supervised(|a: &mut Answers| a.supervised_only = true, Verdict::SeeClinicianFirst)]
#[case::night_pain_and_cancer(|a: &mut Answers| { a.night_or_rest_pain = true; a.weight_loss_or_cancer = true; }, Verdict::SeeClinicianFirst)]
#[case::steroids_and_groin_pain(|a: &mut Answers| { a.long_term_steroids = true; a.groin_pain_on_loading = true; }, Verdict::SeeClinicianFirst)]
#[case::runner_groin_pain(|a: &mut Answers| { a.runner = true; a.groin_pain_on_loading = true; }, Verdict::SeeClinicianFirst)]
#[case::runner_night_pain(|a: &mut Answers| { a.runner = true; a.night_or_rest_pain = true; }, Verdict::SeeClinicianFirst)]
#[case::leg_weakness(|a: &mut Answers| a.leg_weakness_or_numbness = true, Verdict::SeeClinicianFirst)]
#[case::recent_fracture(|a: &mut Answers| a.recent_fracture = true, Verdict::SeeClinicianFirst)]
#[case::inflammatory(|a: &mut Answers| a.inflammatory_signs = true, Verdict::SeeClinicianFirst)]
#[case::older_with_painful_ir(|a: &mut Answers| { a.age = AgeAnswer::Adult(AgeBand::From50To64); a.pain_turning_inward = true; }, Verdict::SeeClinicianFirst)]
#[case::older_with_ir_below_15(|a: &mut Answers| { a.age = AgeAnswer::Adult(AgeBand::From65); a.lowest_measured_ir = Some(WholeDegrees::new(12).unwrap()); }, Verdict::SeeClinicianFirst)]
#[case::under_18(|a: &mut Answers| a.age = AgeAnswer::Under18, Verdict::SeeClinicianFirst)]
#[case::recent_other_surgery(|a: &mut Answers| a.hip_surgery = HipSurgery::Other { weeks_since_surgery: 6 }, Verdict::SeeClinicianFirst)]
#[case::heart(|a: &mut Answers| a.heart_or_blood_pressure = true, Verdict::StartWithCautions)]
#[case::chronic(|a: &mut Answers| a.other_chronic_condition = true, Verdict::StartWithCautions)]
#[case::medicines(|a: &mut Answers| a.prescribed_medicines = true, Verdict::StartWithCautions)]
#[case::joint(|a: &mut Answers| a.bone_or_joint_problem = true, Verdict::StartWithCautions)]
#[case::night_pain_alone(|a: &mut Answers| a.night_or_rest_pain = true, Verdict::StartWithCautions)]
#[case::young_with_painful_ir(|a: &mut Answers| a.pain_turning_inward = true, Verdict::StartWithCautions)]
#[case::older_surgery(|a: &mut Answers| a.hip_surgery = HipSurgery::Other { weeks_since_surgery: 30 }, Verdict::StartWithCautions)]
#[case::young_with_ir_below_15(|a: &mut Answers| a.lowest_measured_ir = Some(WholeDegrees::new(12).unwrap()), Verdict::ClearToStart)]
fn each_finding_gives_its_tier_with_a_reason(#[case] change: fn(&mut Answers), #[case] verdict: Verdict) {
    let outcome = with(change);
    assert_eq!(outcome.verdict(), verdict);
    if verdict != Verdict::ClearToStart {
        assert!(outcome.reasons().iter().any(|r| r.verdict == verdict && r.text.len() > 20));
    }
}

#[test]
fn the_most_serious_finding_wins_and_is_listed_first() {
    let outcome = with(|a| {
        a.heart_or_blood_pressure = true;
        a.chest_pain = true;
        a.fever_or_hot_joint = true;
    });
    assert_eq!(outcome.verdict(), Verdict::UrgentCare);
    let tiers: Vec<Verdict> = outcome.reasons().iter().map(|r| r.verdict).collect();
    assert_eq!(tiers, [Verdict::UrgentCare, Verdict::SeeClinicianFirst, Verdict::StartWithCautions]);
}

#[test]
fn general_cautions_point_to_the_official_form_by_name_only() {
    let outcome = with(|a| a.heart_or_blood_pressure = true);
    assert!(outcome.reasons()[0].text.contains("official PAR-Q+ form"));
}

fn replacement(approach: ReplacementApproach, weeks: u32, cleared: bool) -> ScreeningOutcome {
    with(|a| {
        a.hip_surgery = HipSurgery::Replacement(HipReplacement {
            resurfacing: false,
            approach,
            weeks_since_surgery: weeks,
            surgeon_cleared: cleared,
            looks_shortened_or_turned: false,
        })
    })
}

#[rstest]
//     approach                        weeks cleared verdict                        IR+cross+deep  ext+ER
#[case(ReplacementApproach::Posterior, 30, false, Verdict::StartWithCautions, true, false)]
#[case(ReplacementApproach::Unknown, 30, false, Verdict::StartWithCautions, true, false)]
#[case(ReplacementApproach::Lateral, 30, false, Verdict::StartWithCautions, true, false)]
#[case(ReplacementApproach::Anterior, 30, false, Verdict::StartWithCautions, false, true)]
#[case(ReplacementApproach::Posterior, 30, true, Verdict::StartWithCautions, false, false)]
#[case(ReplacementApproach::Anterior, 30, true, Verdict::StartWithCautions, false, false)]
#[case(ReplacementApproach::Posterior, 8, false, Verdict::SeeClinicianFirst, true, false)]
#[case(ReplacementApproach::Anterior, 8, false, Verdict::SeeClinicianFirst, true, true)]
#[case(ReplacementApproach::Anterior, 8, true, Verdict::StartWithCautions, true, true)]
#[case(ReplacementApproach::Posterior, 11, true, Verdict::StartWithCautions, true, false)]
#[case(ReplacementApproach::Posterior, 12, true, Verdict::StartWithCautions, false, false)]
fn hip_replacement_precautions_follow_approach_time_and_clearance(
    #[case] approach: ReplacementApproach,
    #[case] weeks: u32,
    #[case] cleared: bool,
    #[case] verdict: Verdict,
    #[case] posterior_precautions: bool,
    #[case] anterior_precautions: bool,
) {
    let outcome = replacement(approach, weeks, cleared);
    let restrictions = outcome.restrictions();
    assert_eq!(outcome.verdict(), verdict);
    for tag in [Tag::InternalRotation, Tag::CrossedLegs, Tag::DeepFlexion] {
        assert_eq!(restrictions.blocks_movement(tag), posterior_precautions, "{tag:?}");
    }
    assert_eq!(restrictions.blocks_movement(Tag::ExtensionWithExternalRotation), anterior_precautions);
}

#[test]
fn a_replaced_hip_that_looks_shortened_is_urgent() {
    let outcome = with(|a| {
        a.hip_surgery = HipSurgery::Replacement(HipReplacement {
            resurfacing: true,
            approach: ReplacementApproach::Anterior,
            weeks_since_surgery: 100,
            surgeon_cleared: true,
            looks_shortened_or_turned: true,
        })
    });
    assert_eq!(outcome.verdict(), Verdict::UrgentCare);
    assert!(outcome.reasons()[0].text.contains("resurfaced"));
}

#[test]
fn posterior_precautions_take_every_inward_turning_and_deep_bending_exercise_out_of_the_plan() {
    let outcome = replacement(ReplacementApproach::Posterior, 40, false);
    let plan = WeekPlan::generate(catalog(), &profile(), &outcome, &ProgressionState::new()).unwrap();
    for id in plan.scheduled() {
        let tags = &exercise(id.as_str()).contraindication_tags;
        assert!(!tags.contains(&Tag::InternalRotation) && !tags.contains(&Tag::DeepFlexion), "{id}");
        assert!(!tags.contains(&Tag::CrossedLegs), "{id}");
    }
    for blocked in
        ["windshield-wipers", "hip-90-90-switch", "figure-four-stretch", "box-squat", "prone-hip-internal-rotation"]
    {
        let exclusion = plan.excluded.iter().find(|e| e.exercise.as_str() == blocked).expect(blocked);
        assert_eq!(exclusion.reason, ExclusionReason::Restricted);
        assert!(exclusion.text.contains("must not turn inward"), "{}", exclusion.text);
    }
}

#[rstest]
//     trimester           carer ok  verdict                        no lying down
#[case(Trimester::First, true, Verdict::StartWithCautions, false)]
#[case(Trimester::Second, true, Verdict::StartWithCautions, true)]
#[case(Trimester::Third, true, Verdict::StartWithCautions, true)]
#[case(Trimester::First, false, Verdict::SeeClinicianFirst, false)]
#[case(Trimester::Third, false, Verdict::SeeClinicianFirst, true)]
fn pregnancy_needs_the_carers_ok_and_no_lying_down_after_the_first_trimester(
    #[case] trimester: Trimester,
    #[case] carer_ok: bool,
    #[case] verdict: Verdict,
    #[case] no_lying_down: bool,
) {
    let outcome = with(|a| a.pregnancy = Some(Pregnancy { trimester, carer_ok }));
    assert_eq!(outcome.verdict(), verdict);
    let restrictions = outcome.restrictions();
    assert!(restrictions.gentle_range_only());
    assert_eq!(restrictions.blocks_movement(Tag::LyingOnBack), no_lying_down);
    assert_eq!(restrictions.blocks_movement(Tag::LyingFaceDown), no_lying_down);
    let lying = restrictions.items().iter().any(|r| r.blocks == Restricted::Position(Position::LyingFaceDown));
    assert_eq!(lying, no_lying_down);
    assert!(outcome.reasons().iter().any(|r| r.text.contains("contractions")));
}

#[test]
fn later_pregnancy_plans_nothing_lying_on_the_back_or_front() {
    let outcome = with(|a| a.pregnancy = Some(Pregnancy { trimester: Trimester::Second, carer_ok: true }));
    let plan = WeekPlan::generate(catalog(), &profile(), &outcome, &ProgressionState::new()).unwrap();
    for id in plan.scheduled() {
        let position = exercise(id.as_str()).position;
        assert!(position != Position::LyingOnBack && position != Position::LyingFaceDown, "{id}");
    }
    assert!(plan.excluded.iter().any(|e| e.exercise.as_str() == "prone-hip-internal-rotation"));
}

#[rstest]
#[case(Verdict::UrgentCare, |a: &mut Answers| a.fever_or_hot_joint = true)]
#[case(Verdict::SeeClinicianFirst, |a: &mut Answers| a.age = AgeAnswer::Under18)]
fn no_plan_is_made_until_a_clinician_has_seen_them(#[case] verdict: Verdict, #[case] change: fn(&mut Answers)) {
    let outcome = with(change);
    let error = WeekPlan::generate(catalog(), &profile(), &outcome, &ProgressionState::new()).unwrap_err();
    assert_eq!(error, PlanError::ScreeningBlocks { verdict });
}

#[test]
fn screening_is_due_again_after_a_year() {
    let outcome = with(|a| a.day = day(10));
    assert!(!outcome.is_due_again(day(374)));
    assert!(outcome.is_due_again(day(375)));
}

fn responses(pairs: &[(QuestionId, Response)]) -> BTreeMap<QuestionId, Response> {
    let mut all: BTreeMap<QuestionId, Response> = questions()
        .iter()
        .filter(|q| q.shown_if.is_none())
        .map(|q| {
            let answer = match q.kind {
                QuestionKind::YesNo => Response::YesNo(false),
                _ => Response::Choice(String::new()),
            };
            (q.id, answer)
        })
        .collect();
    all.insert(QuestionId::AgeBand, Response::Choice("18-49".into()));
    all.insert(QuestionId::HipSurgery, Response::Choice("none".into()));
    all.extend(pairs.iter().cloned());
    all
}

#[test]
fn form_responses_parse_into_answers_with_follow_ups() {
    use QuestionId as Q;
    let form = responses(&[
        (Q::HipSurgery, Response::Choice("replacement".into())),
        (Q::ReplacementApproach, Response::Choice("posterior".into())),
        (Q::WeeksSinceSurgery, Response::Number(20)),
        (Q::SurgeonCleared, Response::YesNo(false)),
        (Q::ReplacedHipLooksDifferent, Response::YesNo(false)),
    ]);
    let answers = Answers::from_responses(day(3), &form).unwrap();
    assert_eq!(
        answers.hip_surgery,
        HipSurgery::Replacement(HipReplacement {
            resurfacing: false,
            approach: ReplacementApproach::Posterior,
            weeks_since_surgery: 20,
            surgeon_cleared: false,
            looks_shortened_or_turned: false,
        })
    );
    assert_eq!(answers.pregnancy, None);
}

#[test]
fn form_responses_must_answer_every_follow_up_that_applies() {
    use QuestionId as Q;
    let form = responses(&[(Q::Pregnant, Response::YesNo(true)), (Q::Trimester, Response::Choice("second".into()))]);
    assert_eq!(Answers::from_responses(day(0), &form), Err(vec![AnswersError::Missing(Q::CarerOk)]));
    let form = responses(&[(Q::AgeBand, Response::Choice("ancient".into()))]);
    let problems = Answers::from_responses(day(0), &form).unwrap_err();
    assert!(matches!(problems.as_slice(), [AnswersError::UnknownChoice { .. }]), "{problems:?}");
    let form = responses(&[(Q::ChestPain, Response::Number(3))]);
    assert_eq!(Answers::from_responses(day(0), &form), Err(vec![AnswersError::WrongKind(Q::ChestPain)]));
}

#[test]
fn every_problem_is_reported_at_once_in_plain_words() {
    use QuestionId as Q;
    let mut form = responses(&[(Q::ChestPain, Response::Number(3))]);
    form.remove(&Q::AgeBand);
    form.insert(Q::HipSurgery, Response::Choice("replacement".into()));
    form.insert(Q::WeeksSinceSurgery, Response::Number(99_999));
    let problems = Answers::from_responses(day(0), &form).unwrap_err();
    let about: Vec<QuestionId> = problems.iter().map(AnswersError::question).collect();
    assert!(about.contains(&Q::AgeBand) && about.contains(&Q::ChestPain) && about.contains(&Q::WeeksSinceSurgery));
    for problem in &problems {
        let text = problem.to_string();
        assert!(!text.contains('`') && !text.contains(problem.question().as_str()), "{text}");
        assert!(!text.contains("99999"), "what was typed is not echoed: {text}");
    }
    let weeks = problems.iter().find(|p| p.question() == Q::WeeksSinceSurgery).unwrap();
    assert!(weeks.reason().contains("whole number from 0 to"), "{}", weeks.reason());
}

#[test]
fn responses_read_from_json_as_a_form_would_send_them() {
    let json = r#"{"chest-pain": true, "age-band": "65-plus", "weeks-since-surgery": 14}"#;
    let parsed: BTreeMap<QuestionId, Response> = serde_json::from_str(json).unwrap();
    assert_eq!(parsed[&QuestionId::ChestPain], Response::YesNo(true));
    assert_eq!(parsed[&QuestionId::AgeBand], Response::Choice("65-plus".into()));
    assert_eq!(parsed[&QuestionId::WeeksSinceSurgery], Response::Number(14));
}

#[test]
fn outcomes_round_trip_through_json() {
    let outcome = replacement(ReplacementApproach::Posterior, 30, false);
    let json = serde_json::to_string(&outcome).unwrap();
    assert_eq!(serde_json::from_str::<ScreeningOutcome>(&json).unwrap(), outcome);
}
