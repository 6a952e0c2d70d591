//! Progression stories over weeks of records: the typical climb, and every way it is held back.

use super::*;
use crate::catalog::BandLevel;
use crate::program::prescription::{step_down, step_up};
use crate::units::Side;
use rstest::rstest;

/// A user working through sessions, with `progress` run the day after each one.
struct Story {
    profile: Profile,
    screening: ScreeningOutcome,
    state: ProgressionState,
    records: Vec<SessionRecord>,
    changes: Vec<Change>,
}

/// How one session went.
#[derive(Clone)]
struct Went {
    pain: PainCheck,
    exertion: Option<Exertion>,
    baseline: PainScore,
    morning: Option<MorningCheck>,
    completed: bool,
}

impl Went {
    fn easy() -> Went {
        Went {
            pain: PainCheck::score(pain(1)),
            exertion: Some(Exertion::TooEasy),
            baseline: pain(1),
            morning: Some(MorningCheck { pain: pain(1), stiffer_than_usual: false }),
            completed: true,
        }
    }

    fn with_pain(mut self, check: PainCheck) -> Went {
        self.pain = check;
        self
    }

    fn with_morning(mut self, morning: Option<MorningCheck>) -> Went {
        self.morning = morning;
        self
    }
}

fn sharp(side: Option<Side>) -> PainCheck {
    PainCheck { during: pain(3), qualities: [PainQuality::Sharp].into(), side }
}

impl Story {
    fn new(profile: Profile) -> Story {
        Story::screened(profile, clear())
    }

    fn screened(profile: Profile, screening: ScreeningOutcome) -> Story {
        Story { profile, screening, state: ProgressionState::new(), records: Vec::new(), changes: Vec::new() }
    }

    fn eligibility(&self) -> Eligibility<'_> {
        Eligibility::new(catalog(), &self.profile, &self.screening)
    }

    /// The version and dose the family is prescribed now.
    fn current(&self, family: &str) -> (ExerciseId, Dose) {
        match self.state.prescription(&id(family)) {
            Some(p) => (p.exercise.clone(), p.dose),
            None => {
                let entry = self.eligibility().family(&id(family)).into_iter().find(|e| self.eligibility().allows(e));
                let entry = entry.unwrap();
                (entry.id.clone(), entry.dose)
            }
        }
    }

    fn now(&self, family: &str) -> String {
        let (exercise, dose) = self.current(family);
        format!("{exercise} {}", words(&dose))
    }

    /// One session of these families on `on`, then `progress` the next day.
    fn session(&mut self, on: u32, families: &[&str], went: &Went) -> Vec<Change> {
        let exercises = families
            .iter()
            .filter(|f| self.state.prescription(&id(f)).is_none_or(Prescription::is_active))
            .map(|family| {
                let (exercise_id, dose) = self.current(family);
                let mut record = ExerciseRecord::full(exercise(exercise_id.as_str()), dose, went.pain.clone());
                record.exertion = went.exertion;
                if !went.completed {
                    record.sets.pop();
                }
                record
            })
            .collect();
        self.records.push(SessionRecord {
            day: day(on),
            baseline: went.baseline,
            exercises,
            next_morning: went.morning,
        });
        self.progress(on + 1)
    }

    fn progress(&mut self, today: u32) -> Vec<Change> {
        let result = progress(catalog(), &self.profile, &self.screening, &self.state, &self.records, day(today));
        self.state = result.state;
        self.changes.extend(result.changes.iter().cloned());
        result.changes
    }

    /// Sessions on days 1, 3 and 5 of each week for `weeks` weeks, all easy and pain-free.
    fn easy_weeks(&mut self, weeks: u32, families: &[&str]) {
        for week in 0..weeks {
            for offset in [1, 3, 5] {
                self.session(7 * week + offset, families, &Went::easy());
            }
        }
    }

    fn sentences(&self) -> Vec<&str> {
        self.changes.iter().map(|c| c.sentence.as_str()).collect()
    }
}

const SEATED_IR: &str = "seated-hip-internal-rotation";
const FIGURE_FOUR: &str = "figure-four-stretch";

#[rstest]
// The 2-for-2 rule with one change a week: reps 10 → 12 → 15, sets 2 → 3, then the harder
// version at its starting dose, and up again.
#[case(0, "seated-hip-internal-rotation 2 × 10 reps")]
#[case(1, "seated-hip-internal-rotation 2 × 12 reps")]
#[case(2, "seated-hip-internal-rotation 2 × 15 reps")]
#[case(3, "seated-hip-internal-rotation 3 × 15 reps")]
#[case(4, "seated-hip-internal-rotation-foot-free 2 × 10 reps")]
#[case(5, "seated-hip-internal-rotation-foot-free 2 × 12 reps")]
#[case(6, "seated-hip-internal-rotation-foot-free 2 × 15 reps")]
#[case(7, "seated-hip-internal-rotation-foot-free 3 × 15 reps")]
#[case(8, "banded-seated-hip-internal-rotation 2 × 10 reps with a light band")]
fn a_typical_user_climbs_one_rung_a_week_over_eight_weeks(#[case] weeks: u32, #[case] expected: &str) {
    let mut story = Story::new(profile());
    story.easy_weeks(weeks, &[SEATED_IR]);
    assert_eq!(story.now(SEATED_IR), expected, "{:#?}", story.sentences());
}

#[rstest]
// Under 65: 30 s holds, repeats 2 → 3 → 4, then maintained.
#[case(AgeBand::From18To49, 1, "figure-four-stretch 3 × 30 s")]
#[case(AgeBand::From18To49, 2, "figure-four-stretch 4 × 30 s")]
#[case(AgeBand::From18To49, 8, "figure-four-stretch 4 × 30 s")]
// 65 and over: holds 30 → 45 → 60 s, two repeats.
#[case(AgeBand::From65, 1, "figure-four-stretch 2 × 45 s")]
#[case(AgeBand::From65, 2, "figure-four-stretch 2 × 60 s")]
#[case(AgeBand::From65, 8, "figure-four-stretch 2 × 60 s")]
fn stretches_add_repeats_under_65_and_longer_holds_from_65(
    #[case] age: AgeBand,
    #[case] weeks: u32,
    #[case] expected: &str,
) {
    let mut older = profile();
    older.age_band = age;
    let mut story = Story::new(older);
    story.easy_weeks(weeks, &[FIGURE_FOUR]);
    assert_eq!(story.now(FIGURE_FOUR), expected);
}

#[test]
fn every_step_up_is_explained_with_the_evidence_and_the_weekly_limit_is_explained_too() {
    let mut story = Story::new(profile());
    story.easy_weeks(2, &[SEATED_IR]);
    let sentences = story.sentences();
    assert!(sentences.contains(
        &"Seated hip internal rotation goes up to 2 × 12 reps: you beat the target without pain in two sessions in a row (day 1 and day 3)."
    ), "{sentences:#?}");
    assert!(sentences.contains(
        &"Seated hip internal rotation stays at 2 × 12 reps for now: we change one thing a week at most, and the last change was on day 4."
    ), "{sentences:#?}");
}

#[test]
fn a_stretch_only_goes_up_when_the_next_morning_stays_green() {
    let mut story = Story::new(profile());
    let no_morning = Went::easy().with_morning(None);
    story.session(1, &[FIGURE_FOUR], &no_morning);
    story.session(3, &[FIGURE_FOUR], &no_morning);
    story.session(5, &[FIGURE_FOUR], &no_morning);
    assert_eq!(story.now(FIGURE_FOUR), "figure-four-stretch 2 × 30 s");
    // Reps work does not wait for the morning check.
    let mut reps = Story::new(profile());
    reps.session(1, &[SEATED_IR], &no_morning);
    reps.session(3, &[SEATED_IR], &no_morning);
    assert_eq!(reps.now(SEATED_IR), "seated-hip-internal-rotation 2 × 12 reps");
}

#[test]
fn a_strong_stretch_feeling_is_not_pain_and_does_not_hold_progress_back() {
    let mut story = Story::new(profile());
    for on in [1, 3] {
        let (exercise_id, dose) = story.current(FIGURE_FOUR);
        let mut record = ExerciseRecord::full(exercise(exercise_id.as_str()), dose, PainCheck::none());
        record.stretch_feeling = Some(StretchFeeling::Strong);
        story.records.push(SessionRecord {
            day: day(on),
            baseline: pain(0),
            exercises: vec![record],
            next_morning: Some(MorningCheck { pain: pain(0), stiffer_than_usual: false }),
        });
        story.progress(on + 1);
    }
    assert_eq!(story.now(FIGURE_FOUR), "figure-four-stretch 3 × 30 s");
}

#[test]
fn amber_pain_holds_the_dose_and_says_why() {
    let mut story = Story::new(profile());
    story.session(10, &[FIGURE_FOUR], &Went::easy());
    let changes = story.session(12, &[FIGURE_FOUR], &Went::easy().with_pain(PainCheck::score(pain(4))));
    assert_eq!(story.now(FIGURE_FOUR), "figure-four-stretch 2 × 30 s");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].kind, ChangeKind::Kept);
    assert_eq!(
        changes[0].sentence,
        "Figure-four stretch stays at 2 × 30 s: hip pain was 4/10 on day 12, so it does not go up until the pain is back to 2 or less."
    );
}

#[test]
fn sharp_pain_steps_back_at_once_and_puts_that_sides_inward_turning_on_hold() {
    let mut story = Story::new(profile());
    story.easy_weeks(2, &[SEATED_IR, "windshield-wipers"]);
    assert_eq!(story.now(SEATED_IR), "seated-hip-internal-rotation 2 × 15 reps");
    // Day 15: sharp pain in the left hip, only days after the last step up.
    let changes = story.session(15, &[SEATED_IR], &Went::easy().with_pain(sharp(Some(Side::Left))));
    assert_eq!(story.now(SEATED_IR), "seated-hip-internal-rotation 1 × 15 reps");
    let sentences: Vec<&str> = changes.iter().map(|c| c.sentence.as_str()).collect();
    assert_eq!(
        sentences,
        [
            "Turning the left hip inward at the end of its range is on hold until your next comfortable check: you reported sharp pain during Seated hip internal rotation on day 15.",
            "Seated hip internal rotation drops to 1 × 15 reps: you reported sharp pain on day 15.",
        ]
    );
    assert!(story.state.is_frozen(Side::Left) && !story.state.is_frozen(Side::Right));

    // The plan now works only the right side, and leaves out drills that turn both hips.
    let plan = WeekPlan::generate(catalog(), &story.profile, &story.screening, &story.state).unwrap();
    for item in plan.sessions.iter().flat_map(|s| &s.items) {
        let inward = exercise(item.exercise.as_str())
            .contraindication_tags
            .contains(&crate::catalog::ContraindicationTag::InternalRotation);
        if inward {
            assert_eq!(item.sides, SideSelection::OneSide(Side::Right), "{}", item.exercise);
        }
        assert_ne!(item.exercise.as_str(), "windshield-wipers");
    }
    assert_eq!(plan.asymmetry, None);

    // A comfortable check before the next session lifts the hold; nothing goes up for a week.
    let changes = story.session(17, &["clamshell"], &Went::easy());
    assert!(!story.state.is_frozen(Side::Left));
    assert!(changes.iter().any(|c| c.kind == ChangeKind::SideUnfrozen(Side::Left)));
    assert_eq!(story.now(SEATED_IR), "seated-hip-internal-rotation 1 × 15 reps");
}

#[test]
fn red_pain_from_the_score_alone_or_an_unknown_side_freezes_both_sides() {
    let mut story = Story::new(profile());
    let changes =
        story.session(3, &["prone-hip-internal-rotation"], &Went::easy().with_pain(PainCheck::score(pain(7))));
    assert!(story.state.is_frozen(Side::Left) && story.state.is_frozen(Side::Right));
    assert!(
        changes
            .iter()
            .any(|c| c.sentence
                == "Prone hip internal rotation drops to 1 × 10 reps: you reported pain of 7/10 on day 3.")
    );
    assert_eq!(
        WeekPlan::generate(catalog(), &story.profile, &story.screening, &story.state)
            .unwrap()
            .scheduled()
            .into_iter()
            .filter(|e| exercise(e.as_str())
                .contraindication_tags
                .contains(&crate::catalog::ContraindicationTag::InternalRotation))
            .count(),
        0
    );
}

#[test]
fn red_pain_on_a_non_rotation_exercise_steps_it_back_without_a_hold() {
    let mut story = Story::new(profile());
    story.session(3, &["clamshell"], &Went::easy().with_pain(sharp(None)));
    assert_eq!(story.now("clamshell"), "clamshell 1 × 10 reps");
    assert!(!story.state.is_frozen(Side::Left));
}

#[test]
fn a_worse_next_morning_drops_one_level_and_two_in_a_row_pause_with_advice() {
    let mut story = Story::new(profile());
    let worse = Went::easy().with_morning(Some(MorningCheck { pain: pain(4), stiffer_than_usual: false }));
    let changes = story.session(5, &["clamshell"], &worse);
    assert_eq!(story.now("clamshell"), "clamshell 1 × 10 reps");
    assert_eq!(
        changes[0].sentence,
        "Clamshell drops to 1 × 10 reps: the morning after day 5 your hip was at 4/10 against 1/10 before the session."
    );
    let changes = story.session(7, &["clamshell"], &worse);
    assert_eq!(changes[0].kind, ChangeKind::Paused { see_clinician: true });
    assert_eq!(
        changes[0].sentence,
        "Clamshell is paused: your hip was worse the morning after two sessions in a row (day 5 and day 7). Please see a physiotherapist or doctor before starting it again."
    );
    let plan = WeekPlan::generate(catalog(), &story.profile, &story.screening, &story.state).unwrap();
    assert!(!plan.scheduled().contains(&id("clamshell")));
    let exclusion = plan.excluded.iter().find(|e| e.exercise.as_str() == "clamshell").unwrap();
    assert_eq!(exclusion.reason, ExclusionReason::Paused);
    assert!(exclusion.text.contains("physiotherapist"));
    // Resuming after the clinician's OK brings it back.
    let change = story.state.resume(catalog(), &id("clamshell"), day(30)).unwrap();
    assert_eq!(change.kind, ChangeKind::Resumed);
    let plan = WeekPlan::generate(catalog(), &story.profile, &story.screening, &story.state).unwrap();
    assert!(plan.excluded.iter().all(|e| e.exercise.as_str() != "clamshell"));
}

#[test]
fn stiffness_the_next_morning_counts_as_worse() {
    let mut story = Story::new(profile());
    let stiff = Went::easy().with_morning(Some(MorningCheck { pain: pain(1), stiffer_than_usual: true }));
    let changes = story.session(5, &[FIGURE_FOUR], &stiff);
    assert_eq!(story.now(FIGURE_FOUR), "figure-four-stretch 1 × 30 s");
    assert!(changes[0].sentence.ends_with("your hip was stiffer than usual."), "{}", changes[0].sentence);
}

#[test]
fn a_good_morning_resets_the_count_of_worse_mornings() {
    let mut story = Story::new(profile());
    let worse = Went::easy().with_morning(Some(MorningCheck { pain: pain(4), stiffer_than_usual: false }));
    story.session(1, &["clamshell"], &worse);
    story.session(3, &["clamshell"], &Went::easy());
    story.session(5, &["clamshell"], &worse);
    assert!(story.state.prescription(&id("clamshell")).unwrap().is_active());
}

#[test]
fn the_hip_catching_twice_pauses_the_exercise_and_advises_a_clinician() {
    let mut story = Story::new(profile());
    let catching = PainCheck { during: pain(2), qualities: [PainQuality::Catching].into(), side: Some(Side::Right) };
    story.session(1, &["hip-90-90-switch"], &Went::easy().with_pain(catching.clone()));
    let changes = story.session(8, &["hip-90-90-switch"], &Went::easy().with_pain(catching));
    let paused = changes.iter().find(|c| matches!(c.kind, ChangeKind::Paused { .. })).unwrap();
    assert_eq!(
        paused.sentence,
        "90/90 hip switch is paused: your hip caught or locked on day 1 and day 8. Please have it checked by a physiotherapist or doctor before doing it again."
    );
}

#[test]
fn the_hip_catching_in_two_different_exercises_sends_the_person_to_a_clinician_even_at_the_bottom_of_a_ladder() {
    let mut story = Story::new(profile());
    let catching = PainCheck { during: pain(1), qualities: [PainQuality::Catching].into(), side: None };
    story.session(1, &["hip-90-90-switch"], &Went::easy().with_pain(catching.clone()));
    // The clamshell has no easier version: the second catch still advises a clinician.
    let changes = story.session(3, &["clamshell"], &Went::easy().with_pain(catching));
    let paused = changes.iter().find(|c| matches!(c.kind, ChangeKind::Paused { see_clinician: true })).unwrap();
    assert!(
        paused.sentence.starts_with("Clamshell is paused: your hip caught or locked on day 1 and day 3."),
        "{}",
        paused.sentence
    );
}

#[test]
fn pain_rising_two_points_week_on_week_pauses_the_exercise() {
    let mut story = Story::new(profile());
    let ache = |n| Went::easy().with_pain(PainCheck::score(pain(n))).with_morning(None);
    story.session(1, &["clamshell"], &ache(1));
    story.session(3, &["clamshell"], &ache(1));
    let changes = story.session(9, &["clamshell"], &ache(2));
    assert!(changes.is_empty(), "one point worse is within the noise: {changes:#?}");
    let changes = story.session(10, &["clamshell"], &ache(5));
    let paused = changes.iter().find(|c| matches!(c.kind, ChangeKind::Paused { .. })).unwrap();
    assert_eq!(
        paused.sentence,
        "Clamshell is paused: pain during it rose from about 1/10 last week to 4/10 this week. Please see a physiotherapist or doctor before starting it again."
    );
}

#[test]
fn work_that_was_too_hard_twice_steps_back() {
    let mut story = Story::new(profile());
    let hard = Went { completed: false, exertion: Some(Exertion::TooHard), ..Went::easy() };
    story.session(1, &["clamshell"], &hard);
    let changes = story.session(3, &["clamshell"], &hard);
    assert_eq!(story.now("clamshell"), "clamshell 1 × 10 reps");
    assert_eq!(changes[0].sentence, "Clamshell drops to 1 × 10 reps: it was hard to finish on day 1 and day 3.");
}

#[test]
fn end_range_rotation_is_maintained_once_inside_the_reference_band() {
    let mut mobile = profile();
    mobile.range_of_motion =
        IrBySide { left: Some(reading(34, Method::CameraEstimate)), right: Some(reading(38, Method::Goniometer)) };
    let mut story = Story::new(mobile);
    story.easy_weeks(2, &[SEATED_IR, "banded-seated-hip-abduction"]);
    assert_eq!(story.now(SEATED_IR), "seated-hip-internal-rotation 2 × 10 reps");
    assert!(story.sentences().iter().any(|s| s.contains("within the usual 30–45° range")));
    // Work that is not end-range rotation still climbs.
    assert_eq!(story.now("banded-seated-hip-abduction"), "banded-seated-hip-abduction 2 × 15 reps with a light band");
}

#[test]
fn pregnancy_keeps_end_range_work_where_it_is() {
    let pregnant = screen(&Answers {
        pregnancy: Some(Pregnancy { trimester: Trimester::First, carer_ok: true }),
        ..Answers::default()
    });
    let mut story = Story::screened(profile(), pregnant);
    story.easy_weeks(2, &[SEATED_IR, "clamshell"]);
    assert_eq!(story.now(SEATED_IR), "seated-hip-internal-rotation 2 × 10 reps");
    assert_eq!(story.now("clamshell"), "clamshell 2 × 15 reps");
}

#[test]
fn a_harder_version_the_user_may_not_do_is_skipped_and_the_family_stays_at_its_top() {
    let mut no_high_seat = profile();
    no_high_seat.equipment.remove(&Equipment::HighSeat);
    let mut story = Story::new(no_high_seat);
    story.easy_weeks(8, &[SEATED_IR]);
    assert_eq!(story.now(SEATED_IR), "seated-hip-internal-rotation 3 × 15 reps");
}

#[test]
fn reviewing_the_same_records_again_changes_nothing() {
    let mut story = Story::new(profile());
    story.easy_weeks(1, &[SEATED_IR]);
    story.session(10, &[SEATED_IR], &Went::easy().with_pain(sharp(Some(Side::Right))));
    let before = story.state.clone();
    let again = story.progress(11);
    assert_eq!(story.state, before);
    assert!(again.iter().all(|c| c.kind == ChangeKind::Kept), "{again:#?}");
}

#[test]
fn progression_state_round_trips_through_json() {
    let mut story = Story::new(profile());
    story.easy_weeks(2, &[SEATED_IR, FIGURE_FOUR]);
    story.session(15, &[SEATED_IR], &Went::easy().with_pain(sharp(Some(Side::Left))));
    let json = serde_json::to_string(&story.state).unwrap();
    assert_eq!(serde_json::from_str::<ProgressionState>(&json).unwrap(), story.state);
    let json = serde_json::to_string(&story.records).unwrap();
    assert_eq!(serde_json::from_str::<Vec<SessionRecord>>(&json).unwrap(), story.records);
}

#[test]
fn the_band_ladder_goes_reps_then_sets_then_band_back_to_ten_reps() {
    let profile = profile();
    let screening = clear();
    let eligibility = Eligibility::new(catalog(), &profile, &screening);
    let banded = exercise("banded-seated-hip-internal-rotation");
    let mut dose = banded.dose;
    let mut path = Vec::new();
    while let Some((_, next_id, next)) = step_up(&eligibility, banded, dose, AgeBand::From18To49) {
        assert_eq!(next_id, banded.id);
        dose = next;
        path.push(words(&dose));
    }
    assert_eq!(
        path,
        [
            "2 × 12 reps with a light band",
            "2 × 15 reps with a light band",
            "3 × 15 reps with a light band",
            "3 × 10 reps with a medium band",
            "3 × 12 reps with a medium band",
            "3 × 15 reps with a medium band",
            "3 × 10 reps with a heavy band",
            "3 × 12 reps with a heavy band",
            "3 × 15 reps with a heavy band",
        ]
    );
    assert_eq!(dose.band, Some(BandLevel::Heavy));
}

#[rstest]
#[case("seated-hip-internal-rotation-foot-free", 3, 15, "seated-hip-internal-rotation-foot-free 2 × 15 reps")]
#[case("seated-hip-internal-rotation-foot-free", 1, 12, "seated-hip-internal-rotation-foot-free 1 × 10 reps")]
#[case("seated-hip-internal-rotation-foot-free", 1, 6, "seated-hip-internal-rotation 1 × 10 reps")]
#[case("hip-90-90-switch", 1, 6, "windshield-wipers 1 × 10 reps")]
#[case("clamshell", 1, 6, "none")]
fn stepping_down_removes_a_set_then_reps_then_falls_back_to_the_easier_version(
    #[case] start: &str,
    #[case] sets: i64,
    #[case] reps: i64,
    #[case] expected: &str,
) {
    use crate::catalog::Effort;
    use crate::units::{RepCount, SetCount};
    let profile = profile();
    let screening = clear();
    let eligibility = Eligibility::new(catalog(), &profile, &screening);
    let from = exercise(start);
    let Effort::Reps { tempo, .. } = from.dose.effort else { panic!("reps exercise") };
    let dose = Dose {
        effort: Effort::Reps { count: RepCount::new(reps).unwrap(), tempo },
        sets: SetCount::new(sets).unwrap(),
        ..from.dose
    };
    let got = step_down(&eligibility, from, dose).map_or("none".to_owned(), |(_, id, d)| format!("{id} {}", words(&d)));
    assert_eq!(got, expected);
}

#[test]
fn red_pain_in_a_second_session_the_same_day_is_reviewed_once_and_never_steps_anything_up() {
    let mut story = Story::new(profile());
    // A comfortable first session on day 3 is reviewed the same day…
    story.session(3, &[SEATED_IR], &Went::easy().with_morning(None));
    let before = story.now("clamshell");
    // …then a second session that day joins its record, with sharp pain in the clamshell.
    let (clamshell, dose) = story.current("clamshell");
    let red = ExerciseRecord::full(exercise(clamshell.as_str()), dose, sharp(None));
    story.records.last_mut().unwrap().exercises.push(red);
    let changes = story.progress(3);
    assert!(changes.iter().any(|c| c.kind != ChangeKind::Kept), "the red pain is reviewed: {changes:?}");
    assert_ne!(story.now("clamshell"), before, "and the clamshell steps back");
    let after = story.now("clamshell");
    // Looked at again, the day changes nothing more.
    assert!(story.progress(3).is_empty());
    assert_eq!(story.now("clamshell"), after);
    assert_eq!(story.now(SEATED_IR), "seated-hip-internal-rotation 2 × 10 reps", "nothing stepped up");
}
