//! The engine walked with a fake clock: exact cues and timings, controls, pain stops, records.

use super::*;
use crate::catalog::{Catalog, Effort, ExerciseId, Phase, Tempo};
use crate::measure::{CameraEvent, CameraTask, CameraWatch, FormFault, TestPosition};
use crate::units::{
    HoldSeconds, MovePhaseSeconds, PainScore, PausePhaseSeconds, RepCount, RestSeconds, SetCount, Side,
};

fn id(text: &str) -> ExerciseId {
    ExerciseId::parse(text).unwrap()
}

/// A 10 s hold, 2 sets each side, 5 s rest.
fn stretch() -> SessionItem {
    SessionItem {
        exercise: id("test-stretch"),
        name: "Test stretch".into(),
        effort: Effort::Hold { seconds: HoldSeconds::new(10).unwrap() },
        sides: Sides::EachSide { left: SetCount::new(2).unwrap(), right: SetCount::new(2).unwrap() },
        rest: RestSeconds::new(5).unwrap(),
        setup: "Sit tall.".into(),
        breathing: vec![(Phase::Hold, "Breathe slowly.".into())],
        reminders: vec!["Keep the back long.".into(), "No bouncing.".into()],
        end_range_rotation: false,
        camera: None,
    }
}

/// 4 reps, tempo 1-1-1, one set, both sides together.
fn drill(end_range: bool) -> SessionItem {
    SessionItem {
        exercise: id("test-drill"),
        name: "Test drill".into(),
        effort: Effort::Reps {
            count: RepCount::new(4).unwrap(),
            tempo: Tempo {
                out: MovePhaseSeconds::new(1).unwrap(),
                hold: PausePhaseSeconds::new(1).unwrap(),
                back: MovePhaseSeconds::new(1).unwrap(),
            },
        },
        sides: Sides::Together { sets: SetCount::new(1).unwrap() },
        rest: RestSeconds::new(0).unwrap(),
        setup: "Lie down.".into(),
        breathing: vec![(Phase::Out, "In.".into()), (Phase::Hold, "Easy.".into()), (Phase::Back, "Out.".into())],
        reminders: vec!["Slowly.".into()],
        end_range_rotation: end_range,
        camera: None,
    }
}

const PACE: Pace = Pace { get_ready_ms: 3_000, switch_ms: 2_000, cap_ms: None };

/// A short, readable line per effect, so a transcript can be compared whole.
fn line(at: Millis, effect: &Effect) -> String {
    let what = match effect {
        Effect::Show(text) => format!("show {text}"),
        Effect::Beep(kind) => format!("beep {kind:?}"),
        Effect::Speak(text) => format!("say {text}"),
        Effect::Remind(text) => format!("remind {text}"),
        Effect::AskPain { exercise, .. } => format!("ask-pain {exercise}"),
        Effect::StoppedForPain { exercise, .. } => format!("stopped {exercise}"),
        Effect::AskGoOn { exercise, .. } => format!("ask-go-on {exercise}"),
        Effect::Finished(record) => format!("finished early={} active={}ms", record.ended_early, record.active_ms),
    };
    format!("{:>6} {what}", at)
}

/// Drives the engine: `script` maps a time to a command; ticks every 100 ms otherwise.
struct Driver {
    engine: Engine,
    now: Millis,
    transcript: Vec<String>,
    record: Option<SessionRecord>,
}

impl Driver {
    fn new(items: Vec<SessionItem>) -> Self {
        let mut driver = Self { engine: Engine::new(items, PACE), now: 0, transcript: Vec::new(), record: None };
        driver.send(Command::Start);
        driver
    }

    fn send(&mut self, command: Command) {
        for effect in self.engine.handle(self.now, command) {
            self.transcript.push(line(self.now, &effect));
            if let Effect::Finished(record) = effect {
                self.record = Some(record);
            }
        }
    }

    /// Ticks every 100 ms until `until`.
    fn run_until(&mut self, until: Millis) {
        while self.now < until {
            self.now = (self.now + 100).min(until);
            self.send(Command::Tick);
        }
    }

    /// Runs until the engine waits for a pain answer, then gives it.
    fn answer_when_asked(&mut self, answer: PainAnswer) {
        while self.engine.state() == RunState::Running {
            self.now += 100;
            self.send(Command::Tick);
        }
        assert_eq!(self.engine.state(), RunState::AwaitingPain, "{:#?}", self.transcript);
        self.send(Command::AnswerPain(answer));
    }

    fn lines(&self, needle: &str) -> Vec<&str> {
        self.transcript.iter().filter(|l| l.contains(needle)).map(String::as_str).collect()
    }
}

fn score(value: i64) -> PainAnswer {
    PainAnswer::Score(PainScore::new(value).unwrap())
}

#[test]
fn a_whole_session_emits_the_exact_cues_at_the_exact_times() {
    let mut driver = Driver::new(vec![stretch(), drill(false)]);
    driver.answer_when_asked(score(1));
    driver.answer_when_asked(score(0));
    let expected = [
        "     0 show Get ready: Test stretch. Sit tall.",
        "     0 say Next: Test stretch. Sit tall.",
        "  3000 beep Start",
        "  3000 show Hold, left side — set 1. Breathe slowly.",
        "  3000 say Hold, left side. Breathe slowly.",
        "  8000 beep Halfway",
        "  8000 remind Keep the back long.",
        " 10000 beep LastThree",
        " 11000 beep LastThree",
        " 12000 beep LastThree",
        " 13000 beep End",
        " 13000 show Switch sides: right side next",
        " 13000 say Switch sides. Right side next.",
        " 15000 beep Start",
        " 15000 show Hold, right side — set 1. Breathe slowly.",
        " 15000 say Hold, right side. Breathe slowly.",
        " 20000 beep Halfway",
        " 20000 remind No bouncing.",
        " 22000 beep LastThree",
        " 23000 beep LastThree",
        " 24000 beep LastThree",
        " 25000 beep End",
        " 25000 show Rest 5 s",
        " 25000 say Rest.",
        " 27000 beep LastThree",
        " 28000 beep LastThree",
        " 29000 beep LastThree",
        " 30000 beep Start",
        " 30000 show Hold, right side — set 2. Breathe slowly.",
        " 30000 say Hold, right side.",
    ];
    assert_eq!(&driver.transcript[..expected.len()], &expected[..], "{:#?}", driver.transcript);

    // Set 2 on the left after a switch, then the pain check at 52 s.
    assert!(driver.transcript.contains(&" 40000 show Switch sides: left side next".to_owned()));
    assert!(driver.transcript.contains(&" 42000 show Hold, left side — set 2. Breathe slowly.".to_owned()));
    assert_eq!(driver.lines("ask-pain"), [" 52000 ask-pain test-stretch", " 67000 ask-pain test-drill"]);

    // The drill: 4 reps of out-hold-back at 1 s each, counted aloud, a reminder at rep 3.
    let drill: Vec<&str> =
        driver.transcript.iter().filter(|l| l.contains("Rep ") || l.contains(" say ")).map(String::as_str).collect();
    assert!(drill.contains(&" 55000 show Rep 1 of 4 — out: In."), "{drill:#?}");
    assert!(drill.contains(&" 55000 say Set 1. In."), "{drill:#?}");
    assert!(drill.contains(&" 56000 show Rep 1 of 4 — hold: Easy."), "{drill:#?}");
    assert!(drill.contains(&" 57000 show Rep 1 of 4 — back: Out."), "{drill:#?}");
    assert!(drill.contains(&" 58000 say 2"), "{drill:#?}");
    assert!(driver.transcript.contains(&" 61000 remind Slowly.".to_owned()));
    assert_eq!(driver.lines("beep End").last(), Some(&" 67000 beep End"));
    assert_eq!(driver.transcript.last().map(String::as_str), Some(" 67000 finished early=false active=67000ms"));
    let record = driver.record.expect("finished");
    assert!(!record.ended_early);
    assert!(record.exercises.iter().all(ExerciseRecord::completed));
    assert_eq!(record.exercises[0].pain, score(1));
}

#[test]
fn pause_freezes_the_clock_and_resume_carries_on_where_it_stopped() {
    let mut driver = Driver::new(vec![stretch()]);
    driver.run_until(5_000);
    driver.send(Command::Pause);
    let before = driver.transcript.len();
    driver.run_until(15_000);
    assert_eq!(driver.transcript.len(), before, "nothing happens while paused: {:#?}", driver.transcript);
    assert_eq!(driver.engine.view(15_000).remaining_ms, 8_000);
    driver.send(Command::Resume);
    driver.run_until(30_000);
    // The first hold started at 3 s and had 8 s left at the pause: it ends 10 s later than planned.
    assert_eq!(driver.lines("Halfway")[0], " 18000 beep Halfway");
    assert_eq!(driver.lines("beep End")[0], " 23000 beep End");
    driver.answer_when_asked(score(0));
    let record = driver.record.expect("finished");
    assert_eq!(record.active_ms, driver.engine.planned_ms());
}

#[test]
fn skip_records_the_part_done_and_moves_to_the_next_step_at_once() {
    let mut driver = Driver::new(vec![stretch()]);
    driver.run_until(6_000);
    driver.send(Command::Skip);
    assert_eq!(driver.transcript.last().map(String::as_str), Some("  6000 say Switch sides. Right side next."));
    driver.answer_when_asked(score(2));
    let sets = &driver.record.expect("finished").exercises[0].sets;
    assert_eq!(sets[0].outcome, SetOutcome::Skipped);
    assert_eq!(sets[0].hold_seconds_done, Some(3));
    assert!(sets[1..].iter().all(|s| s.outcome == SetOutcome::Completed));
}

#[test]
fn skip_during_the_pain_check_leaves_it_unanswered() {
    let mut driver = Driver::new(vec![drill(false)]);
    while driver.engine.state() == RunState::Running {
        driver.now += 100;
        driver.send(Command::Tick);
    }
    driver.send(Command::Skip);
    assert_eq!(driver.record.expect("finished").exercises[0].pain, PainAnswer::NotAnswered);
}

#[test]
fn back_restarts_the_current_step_or_returns_to_the_previous_one_near_its_start() {
    let mut driver = Driver::new(vec![stretch()]);
    driver.run_until(9_000);
    driver.send(Command::Back);
    assert_eq!(driver.transcript.last().map(String::as_str), Some("  9000 say Hold, left side. Breathe slowly."));
    assert_eq!(driver.engine.view(9_000).remaining_ms, 10_000);
    driver.run_until(10_000);
    driver.send(Command::Back);
    assert_eq!(driver.transcript.last().map(String::as_str), Some(" 10000 say Next: Test stretch. Sit tall."));
    // Back from the next exercise's start does not reopen the one already rated.
    driver.answer_when_asked(score(0));
    let mut driver = Driver::new(vec![drill(false), drill(false)]);
    driver.answer_when_asked(score(0));
    driver.send(Command::Back);
    assert_eq!(driver.engine.view(driver.now).exercise_number, (2, 2));
}

#[test]
fn back_in_a_set_of_reps_repeats_one_rep_not_the_whole_set() {
    let mut driver = Driver::new(vec![drill(false)]);
    let rep_of = |driver: &Driver| match driver.engine.view(driver.now).step.map(|s| s.kind) {
        Some(StepKind::Rep { rep, set, .. }) => Some((set, rep)),
        _ => None,
    };
    // Into the third rep of the first set, then well into it.
    while rep_of(&driver) != Some((1, 3)) {
        driver.now += 50;
        driver.send(Command::Tick);
    }
    driver.now += 2_500;
    driver.send(Command::Tick);
    let before = rep_of(&driver);
    driver.send(Command::Back);
    assert_eq!(rep_of(&driver), before, "back restarts the rep under way");
    assert_eq!(rep_of(&driver), Some((1, 3)));
    // Right at its start, back goes one rep further back, not to the first rep of the set.
    driver.send(Command::Back);
    assert_eq!(rep_of(&driver), Some((1, 2)));
}

#[test]
fn sharp_pain_mid_hold_stops_the_exercise_records_why_and_freezes_end_range_rotation_on_that_side() {
    let mut rotation = stretch();
    rotation.exercise = id("rotation-hold");
    rotation.end_range_rotation = true;
    let mut second = rotation.clone();
    second.exercise = id("rotation-again");
    let mut driver = Driver::new(vec![rotation, drill(false), second]);
    driver.run_until(7_500);
    driver.send(Command::SharpPain);
    assert!(driver.lines("stopped rotation-hold").len() == 1, "{:#?}", driver.transcript);
    // Nothing starts by itself: the person chooses to end here or go on without it.
    assert_eq!(driver.lines("ask-go-on rotation-hold").len(), 1, "{:#?}", driver.transcript);
    assert_eq!(driver.engine.state(), RunState::AwaitingChoice);
    driver.run_until(20_000);
    assert!(driver.lines("Next: Test drill").is_empty(), "{:#?}", driver.transcript);
    driver.send(Command::GoOn);
    assert!(driver.transcript.iter().any(|l| l.contains("20000 say Next: Test drill")), "{:#?}", driver.transcript);
    driver.answer_when_asked(score(0));
    // The second end-range rotation exercise works the right side only.
    driver.answer_when_asked(score(0));
    let record = driver.record.expect("finished");
    let first = &record.exercises[0];
    assert_eq!(first.pain, PainAnswer::Sharp);
    assert_eq!(first.sets[0].outcome, SetOutcome::StoppedForPain);
    assert_eq!(first.sets[0].hold_seconds_done, Some(4));
    assert!(first.sets[1..].iter().all(|s| s.outcome == SetOutcome::Cancelled));
    assert!(record.exercises[1].completed());
    let again = &record.exercises[2].sets;
    for set in again {
        let expected =
            if set.working == Working::Side(Side::Left) { SetOutcome::Frozen } else { SetOutcome::Completed };
        assert_eq!(set.outcome, expected, "{set:?}");
    }
}

#[test]
fn red_pain_by_score_stops_like_sharp_pain_and_rests_end_range_rotation_for_the_day() {
    let mut rotation = drill(true);
    rotation.exercise = id("rotation-again");
    let mut driver = Driver::new(vec![drill(true), stretch(), rotation]);
    driver.answer_when_asked(score(6));
    assert_eq!(driver.engine.state(), RunState::AwaitingChoice, "{:#?}", driver.transcript);
    assert!(driver.transcript.iter().any(|l| l.contains("stopped test-drill")), "{:#?}", driver.transcript);
    driver.send(Command::GoOn);
    driver.answer_when_asked(score(1));
    driver.run_until(driver.now + 60_000);
    let record = driver.record.expect("finished");
    assert_eq!(record.exercises[0].pain, score(6));
    assert!(record.exercises[1].completed(), "the stretch goes on");
    assert!(record.exercises[2].sets.iter().all(|s| s.outcome == SetOutcome::Frozen), "no end-range rotation today");
}

#[test]
fn amber_pain_carries_on_with_a_word_about_tomorrow_morning() {
    let mut driver = Driver::new(vec![drill(false), stretch()]);
    driver.answer_when_asked(score(4));
    assert_eq!(driver.engine.state(), RunState::Running);
    assert_eq!(driver.lines("Amber").len(), 1, "{:#?}", driver.transcript);
}

#[test]
fn catching_ends_the_session_when_asked_and_says_to_see_a_clinician_if_it_happens_again() {
    let mut driver = Driver::new(vec![drill(false), stretch()]);
    driver.answer_when_asked(PainAnswer::CatchingOrLocking);
    assert!(driver.lines("see a clinician").len() == 1, "{:#?}", driver.transcript);
    driver.send(Command::EndSession);
    let record = driver.record.expect("ended");
    assert!(record.ended_early);
    assert_eq!(record.exercises[0].pain, PainAnswer::CatchingOrLocking);
    assert!(record.exercises[1].sets.iter().all(|s| s.outcome == SetOutcome::Cancelled));
}

#[test]
fn red_pain_on_the_last_exercise_simply_ends_the_session() {
    let mut driver = Driver::new(vec![drill(false)]);
    driver.answer_when_asked(PainAnswer::Pinching);
    assert!(driver.record.is_some(), "nothing left to go on with: {:#?}", driver.transcript);
}

#[test]
fn sharp_pain_works_even_while_paused() {
    let mut driver = Driver::new(vec![drill(true)]);
    driver.run_until(4_000);
    driver.send(Command::Pause);
    driver.run_until(6_000);
    driver.send(Command::SharpPain);
    let record = driver.record.expect("the only exercise was stopped, so the session ends");
    assert_eq!(record.exercises[0].pain, PainAnswer::Sharp);
    assert_eq!(record.exercises[0].sets[0].outcome, SetOutcome::StoppedForPain);
    assert_eq!(record.exercises[0].sets[0].reps_done, Some(0));
    assert_eq!(record.active_ms, 4_000);
}

#[test]
fn late_and_irregular_ticks_never_shift_the_schedule() {
    let mut engine = Engine::new(vec![stretch(), drill(false)], PACE);
    engine.handle(0, Command::Start);
    let mut now = 0;
    let mut ends = Vec::new();
    let mut step = 0u64;
    while engine.state() != RunState::Finished {
        step += 1;
        now += 700 + (step * 7919) % 2300; // 0.7–3 s, irregular
        for effect in engine.handle(now, Command::Tick) {
            if effect == Effect::Beep(BeepKind::End) {
                ends.push(now);
            }
        }
        if engine.state() == RunState::AwaitingPain {
            engine.handle(now, Command::AnswerPain(score(0)));
        }
    }
    // Each set's end was noticed at most one tick late, never earlier than planned.
    let planned = [13_000, 25_000, 40_000, 52_000];
    for (seen, planned) in ends.iter().zip(planned) {
        assert!(*seen >= planned && *seen < planned + 3_000, "{ends:?}");
    }
}

#[test]
fn ending_the_session_keeps_what_was_done() {
    let mut driver = Driver::new(vec![stretch(), drill(false)]);
    driver.run_until(20_000);
    driver.send(Command::EndSession);
    let record = driver.record.expect("finished");
    assert!(record.ended_early);
    assert_eq!(record.exercises[0].sets[0].outcome, SetOutcome::Completed);
    assert_eq!(record.exercises[0].sets[1].outcome, SetOutcome::Cancelled);
    assert_eq!(record.summary().sets_completed, 1);
    assert_eq!(record.active_ms, 20_000);
}

#[test]
fn the_stiffer_side_gets_its_extra_set_and_the_other_side_is_untouched() {
    let mut item = stretch();
    item.sides = Sides::EachSide { left: SetCount::new(2).unwrap(), right: SetCount::new(3).unwrap() };
    let engine = Engine::new(vec![item], PACE);
    let holds = |side| {
        engine
            .steps()
            .iter()
            .filter(|s| matches!(s.kind, StepKind::Hold { working, .. } if working == Working::Side(side)))
            .count()
    };
    assert_eq!((holds(Side::Left), holds(Side::Right)), (2, 3));
}

#[test]
fn the_view_shows_progress_remaining_time_and_the_breathing_cue() {
    let mut driver = Driver::new(vec![stretch()]);
    driver.run_until(8_000);
    let view = driver.engine.view(8_000);
    assert_eq!(view.remaining_ms, 5_000);
    assert_eq!(view.breathing, Some("Breathe slowly."));
    assert_eq!(view.exercise_number, (1, 1));
    let planned = driver.engine.planned_ms() as f64;
    assert!((view.progress - 8_000.0 / planned).abs() < 1e-9);
}

#[test]
fn every_built_in_exercise_runs_to_the_end_at_its_default_dose() {
    let items: Vec<SessionItem> = Catalog::builtin().exercises().map(SessionItem::from_exercise).collect();
    let count = items.len();
    let mut engine = Engine::new(items, Pace::default());
    engine.handle(0, Command::Start);
    let mut now = 0;
    let mut record = None;
    while record.is_none() {
        now = engine.next_wake().unwrap_or(now);
        for effect in engine.handle(now, Command::Tick) {
            if let Effect::Finished(r) = effect {
                record = Some(r);
            }
        }
        if engine.state() == RunState::AwaitingPain {
            for effect in engine.handle(now, Command::AnswerPain(score(1))) {
                if let Effect::Finished(r) = effect {
                    record = Some(r);
                }
            }
        }
    }
    let record = record.expect("finished");
    assert_eq!(record.exercises.len(), count);
    assert!(record.exercises.iter().all(ExerciseRecord::completed));
    assert_eq!(record.active_ms, engine.planned_ms());
}

/// The drill done one side at a time, as the camera coach can watch it (seated).
fn watched_drill() -> SessionItem {
    SessionItem {
        sides: Sides::OneSide { side: Side::Right, sets: SetCount::new(1).unwrap() },
        camera: Some(TestPosition::Seated),
        ..drill(true)
    }
}

/// The stretch on one side, watched (a prone hold).
fn watched_hold() -> SessionItem {
    SessionItem {
        sides: Sides::OneSide { side: Side::Left, sets: SetCount::new(1).unwrap() },
        camera: Some(TestPosition::Prone),
        ..stretch()
    }
}

fn camera(event: CameraEvent) -> Command {
    Command::Camera(event)
}

const REP_SEEN: CameraEvent = CameraEvent::Rep { ms: 3_000, held_ms: 1_000 };

mod camera_coach {
    use super::*;

    #[test]
    fn with_the_camera_on_a_rep_ends_when_the_camera_sees_it_and_the_set_counts_what_it_saw() {
        let mut driver = Driver::new(vec![watched_drill()]);
        driver.send(camera(CameraEvent::On));
        // Get ready 3 s, then rep 1: out, hold, back of 1 s each; its time is up at 6 s.
        driver.run_until(9_000);
        let view = driver.engine.view(driver.now);
        assert!(view.waiting_for_camera, "the rep waits for the camera");
        assert!(matches!(view.step.map(|s| s.kind), Some(StepKind::Rep { rep: 1, .. })));
        assert_eq!(driver.engine.next_wake(), None, "nothing is timed while the rep waits");
        assert_eq!(
            view.camera,
            Some(CameraWatch { position: TestPosition::Seated, side: Side::Right, task: CameraTask::Reps })
        );
        assert_eq!(driver.lines("remind Bring the foot back").len(), 1, "said once");
        driver.send(camera(REP_SEEN));
        assert!(matches!(driver.engine.view(driver.now).step.map(|s| s.kind), Some(StepKind::Rep { rep: 2, .. })));
        assert_eq!(driver.lines("9000 say 2").len(), 1, "the next rep is counted out as it starts");
        // The next reps come quicker than the tempo: each still counts.
        for _ in 0..3 {
            driver.now += 2_000;
            driver.send(camera(REP_SEEN));
        }
        driver.answer_when_asked(score(0));
        let record = driver.record.clone().expect("finished after the only exercise");
        let set = &record.exercises[0].sets[0];
        assert_eq!((set.outcome, set.reps_done), (SetOutcome::Completed, Some(4)), "{set:?}");
    }

    #[test]
    fn a_rep_faster_than_the_tempo_or_without_a_pause_gets_the_cue() {
        let mut driver = Driver::new(vec![watched_drill()]);
        driver.send(camera(CameraEvent::On));
        driver.run_until(4_000);
        driver.send(camera(CameraEvent::Rep { ms: 1_200, held_ms: 0 }));
        assert_eq!(driver.lines("remind Slower: about 1 seconds out, a pause of 1, and 1 seconds back.").len(), 1);
        driver.now += 3_000;
        driver.send(camera(CameraEvent::Rep { ms: 3_000, held_ms: 200 }));
        assert_eq!(driver.lines("say Pause a moment at the end").len(), 1);
        driver.now += 3_000;
        driver.send(camera(REP_SEEN));
        let camera_cues =
            driver.lines("remind").into_iter().filter(|l| l.contains("Slower") || l.contains("Pause")).count();
        assert_eq!(camera_cues, 2, "a rep at the tempo needs no cue: {:#?}", driver.transcript);
    }

    #[test]
    fn switching_the_camera_off_while_a_rep_waits_ends_it_now_without_rushing_the_next() {
        let mut driver = Driver::new(vec![watched_drill()]);
        driver.send(camera(CameraEvent::On));
        driver.run_until(20_000);
        driver.send(camera(CameraEvent::Off));
        let view = driver.engine.view(driver.now);
        assert!(!view.waiting_for_camera && !view.camera_on);
        assert!(matches!(view.step.map(|s| s.kind), Some(StepKind::Rep { rep: 2, phase: Phase::Out, .. })));
        assert_eq!(view.remaining_ms, 1_000, "rep 2 starts now, on the timer");
        assert_eq!(driver.engine.next_wake(), Some(21_000));
    }

    #[test]
    fn a_watched_hold_times_only_the_seconds_at_end_range() {
        let mut driver = Driver::new(vec![watched_hold()]);
        driver.send(camera(CameraEvent::On));
        driver.run_until(5_000);
        // The hold began at 3 s but the leg is not there yet: its clock waits.
        let view = driver.engine.view(driver.now);
        assert!(view.waiting_for_camera);
        assert_eq!(view.remaining_ms, 10_000);
        driver.send(camera(CameraEvent::AtEndRange));
        driver.run_until(9_000);
        assert_eq!(driver.engine.view(driver.now).remaining_ms, 6_000);
        driver.send(camera(CameraEvent::LeftEndRange));
        assert_eq!(driver.lines("say Turn back in").len(), 1);
        driver.run_until(30_000);
        assert_eq!(driver.engine.view(driver.now).remaining_ms, 6_000, "the clock waited");
        driver.send(camera(CameraEvent::AtEndRange));
        driver.run_until(36_000);
        let record = {
            driver.answer_when_asked(score(0));
            driver.record.clone().expect("finished")
        };
        let set = &record.exercises[0].sets[0];
        assert_eq!((set.outcome, set.hold_seconds_done), (SetOutcome::Completed, Some(10)));
        assert!(driver.lines("36000 beep End").len() == 1, "{:#?}", driver.transcript);
    }

    #[test]
    fn a_pause_while_a_hold_waits_for_the_camera_adds_no_seconds() {
        let mut driver = Driver::new(vec![watched_hold()]);
        driver.send(camera(CameraEvent::On));
        driver.run_until(5_000);
        driver.send(Command::Pause);
        driver.run_until(8_000);
        driver.send(camera(CameraEvent::AtEndRange));
        driver.run_until(9_000);
        driver.send(Command::Resume);
        assert_eq!(driver.engine.view(driver.now).remaining_ms, 10_000, "the clock starts now, at end range");
        driver.run_until(12_000);
        assert_eq!(driver.engine.view(driver.now).remaining_ms, 7_000);
    }

    #[test]
    fn form_faults_are_said_during_a_watched_set_only() {
        let mut driver = Driver::new(vec![watched_drill()]);
        driver.send(camera(CameraEvent::On));
        driver.send(camera(CameraEvent::Fault { fault: FormFault::KneeDrifting }));
        assert!(driver.lines("remind").is_empty(), "getting ready is not a set");
        driver.run_until(3_500);
        driver.send(camera(CameraEvent::Fault { fault: FormFault::PelvisHiking }));
        assert_eq!(driver.lines("say Keep both sitting bones down on the seat").len(), 1);
    }

    /// A desk worker's seated set with the phone on the floor: the keypoints of five slow turns
    /// go through the camera coach into the engine, which counts exactly the five it saw.
    #[test]
    fn five_turns_seen_by_the_camera_are_the_five_reps_of_the_set() {
        use crate::measure::CameraCoach;
        use crate::measure::synthetic::{Motion, Scenario};
        let scenario = Scenario {
            motion: Motion { side: Side::Right, reps: 5, rest_s: 1.5, ..Motion::default() },
            ..Scenario::default()
        };
        let (recording, _) = scenario.recording();
        let tempo = Tempo {
            out: MovePhaseSeconds::new(2).unwrap(),
            hold: PausePhaseSeconds::new(1).unwrap(),
            back: MovePhaseSeconds::new(2).unwrap(),
        };
        let item = SessionItem { effort: Effort::Reps { count: RepCount::new(5).unwrap(), tempo }, ..watched_drill() };
        let mut engine = Engine::new(vec![item], Pace { get_ready_ms: 1_200, ..PACE });
        let mut coach = CameraCoach::new(TestPosition::Seated, recording.image, recording.layout);
        engine.handle(0, Command::Start);
        let mut cues = Vec::new();
        for frame in &recording.frames {
            let at = frame.t_ms as u64;
            engine.handle(at, Command::Tick);
            let watch = engine.view(at).camera;
            for event in coach.frame(frame.t_ms, &frame.points, None, watch).events {
                cues.extend(engine.handle(at, Command::Camera(event)));
            }
        }
        assert_eq!(engine.state(), RunState::AwaitingPain, "the set ended on the fifth turn seen");
        let camera_cue = |e: &Effect| matches!(e, Effect::Remind(words) if words != "Slowly.");
        assert!(!cues.iter().any(camera_cue), "turns at the tempo need no cue: {cues:?}");
        let record = engine.handle(recording.frames.last().unwrap().t_ms as u64, Command::EndSession);
        let Some(Effect::Finished(record)) = record.last() else { panic!("{record:?}") };
        assert_eq!(record.exercises[0].sets[0].reps_done, Some(5));
    }

    #[test]
    fn the_camera_watches_the_one_legged_inward_turning_drills_it_can_see_and_nothing_else() {
        let catalog = Catalog::builtin();
        let mut watched: Vec<(&str, Option<TestPosition>)> = catalog
            .exercises()
            .map(|e| (e.id.as_str(), SessionItem::from_exercise(e).camera))
            .filter(|(_, camera)| camera.is_some())
            .collect();
        watched.sort();
        assert_eq!(
            watched,
            [
                ("banded-seated-hip-internal-rotation", Some(TestPosition::Seated)),
                ("prone-hip-internal-rotation", Some(TestPosition::Prone)),
                ("seated-hip-internal-rotation", Some(TestPosition::Seated)),
                ("seated-hip-internal-rotation-foot-free", Some(TestPosition::Seated)),
            ]
        );
    }

    #[test]
    fn camera_events_change_nothing_for_an_exercise_it_cannot_watch() {
        let mut plain = Driver::new(vec![drill(false)]);
        let mut watched = Driver::new(vec![drill(false)]);
        watched.send(camera(CameraEvent::On));
        for at in (0..40_000).step_by(700) {
            plain.run_until(at);
            watched.run_until(at);
            watched.send(camera(REP_SEEN));
            watched.send(camera(CameraEvent::Fault { fault: FormFault::PelvisHiking }));
        }
        let watched_view = View { camera_on: false, ..watched.engine.view(40_000) };
        assert_eq!(plain.engine.view(40_000), watched_view);
        assert!(watched.lines("remind Keep").is_empty());
    }
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn command() -> impl Strategy<Value = Command> {
        prop_oneof![
            6 => Just(Command::Tick),
            1 => Just(Command::Pause),
            1 => Just(Command::Resume),
            1 => Just(Command::Skip),
            1 => Just(Command::Back),
            1 => Just(Command::SharpPain),
            2 => (0i64..=10).prop_map(|v| Command::AnswerPain(score(v))),
            1 => Just(Command::AnswerPain(PainAnswer::Sharp)),
            1 => Just(Command::AnswerPain(PainAnswer::CatchingOrLocking)),
            2 => Just(Command::GoOn),
            1 => Just(camera(CameraEvent::On)),
            1 => Just(camera(CameraEvent::Off)),
            1 => Just(camera(CameraEvent::AtEndRange)),
            1 => Just(camera(CameraEvent::LeftEndRange)),
            2 => (0u32..8_000, 0u32..3_000).prop_map(|(ms, held_ms)| camera(CameraEvent::Rep { ms, held_ms })),
            1 => Just(camera(CameraEvent::Fault { fault: FormFault::PelvisHiking })),
        ]
    }

    proptest! {
        #[test]
        fn any_sequence_of_commands_keeps_the_record_whole_and_honest(
            commands in proptest::collection::vec((0u64..5_000, command()), 1..200),
        ) {
            let items = vec![stretch(), drill(true), drill(false), watched_drill(), watched_hold()];
            let mut engine = Engine::new(items.clone(), PACE);
            let planned: Vec<usize> = (0..items.len()).map(|i| engine_sets(&engine, i)).collect();
            let mut now = 0;
            engine.handle(now, Command::Start);
            let mut record = None;
            for (gap, command) in commands.into_iter().chain(std::iter::once((0, Command::EndSession))) {
                now += gap;
                let view = engine.view(now);
                prop_assert!((0.0..=1.0).contains(&view.progress));
                let answering_red = engine.state() == RunState::AwaitingPain
                    && matches!(command, Command::AnswerPain(answer) if answer.is_red());
                let effects = engine.handle(now, command);
                // After red pain nothing runs until the person chooses (or the session is over).
                if answering_red || (command == Command::SharpPain && record.is_none()) {
                    prop_assert!(engine.state() != RunState::Running, "{command:?} left the engine running");
                }
                for effect in effects {
                    if let Effect::Finished(r) = effect {
                        prop_assert!(record.is_none(), "finished twice");
                        record = Some(r);
                    }
                }
            }
            let record = record.expect("EndSession always finishes");
            prop_assert!(record.active_ms <= now);
            for ((exercise, planned), item) in record.exercises.iter().zip(planned).zip(&items) {
                prop_assert_eq!(exercise.sets.len(), planned);
                // Whatever the camera said, no set holds more than its dose.
                for set in &exercise.sets {
                    match item.effort {
                        Effort::Reps { count, .. } => prop_assert!(set.reps_done.unwrap_or(0) <= count.get(), "{:?}", set),
                        Effort::Hold { seconds } => {
                            prop_assert!(set.hold_seconds_done.unwrap_or(0) <= seconds.get(), "{:?}", set)
                        }
                    }
                }
                let stopped = exercise.sets.iter().any(|s| s.outcome == SetOutcome::StoppedForPain);
                if stopped {
                    prop_assert_eq!(exercise.pain, PainAnswer::Sharp);
                }
                // After red pain, no later set of that exercise ran.
                if exercise.pain.is_red() {
                    let after = exercise.sets.iter().skip_while(|s| s.outcome != SetOutcome::StoppedForPain).skip(1);
                    for set in after {
                        prop_assert!(!matches!(set.outcome, SetOutcome::Completed), "{:?}", exercise);
                    }
                }
            }
        }
    }

    fn engine_sets(engine: &Engine, item: usize) -> usize {
        let mut sets: Vec<(u16, Working)> = Vec::new();
        for step in engine.steps().iter().filter(|s| s.item == item) {
            if let StepKind::Hold { set, working } | StepKind::Rep { set, working, .. } = step.kind {
                if !sets.contains(&(set, working)) {
                    sets.push((set, working));
                }
            }
        }
        sets.len()
    }
}
