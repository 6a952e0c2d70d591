//! The workflows driven directly, as the two front ends drive them, on a real SQLite store with
//! a fixed date: no HTTP, no terminal. Each story is one person's path through the program.

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure message.

mod common;

use chrono::{Days, NaiveDate};
use hipcoach_core::catalog::{Catalog, Equipment, Goal};
use hipcoach_core::measure::{Degrees, Method, Rater, TestPosition};
use hipcoach_core::program::{Answers, QuestionId, Response};
use hipcoach_core::session::timeline::{self, Logged};
use hipcoach_core::session::{Command, Pace, PainAnswer, RunState};
use hipcoach_core::session::{SessionItem, Sides};
use hipcoach_core::units::SetCount;
use hipcoach_core::units::{PainScore, SessionMinutes, SessionsPerWeek, Side};
use hipcoach_store::{Moment, Store, User, sqlite_url};
use hipcoach_workflows::checkin::{Checkin, record_checkin};
use hipcoach_workflows::exports::{self, Format};
use hipcoach_workflows::measuring::{NewMeasurement, record_measurement};
use hipcoach_workflows::program::Program;
use hipcoach_workflows::screening::{Onboarding, record_onboarding};
use hipcoach_workflows::session::{self, LoggedSession, Review};
use hipcoach_workflows::{WorkflowError, calendar};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A Tuesday.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

struct Fresh {
    store: Store,
    catalog: Catalog,
    user: User,
    _dir: tempfile::TempDir,
}

async fn fresh() -> Fresh {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::builtin().clone();
    let store = Store::connect(&sqlite_url(&dir.path().join("test.db")), Arc::new(catalog.clone())).await.unwrap();
    let user = store.local_user("ana").await.unwrap();
    Fresh { store, catalog, user, _dir: dir }
}

/// Every question that applies answered "no" (age 18–49, no surgery), with `yes` set to yes.
fn answers(yes: &[QuestionId]) -> BTreeMap<QuestionId, Response> {
    let given: Vec<(QuestionId, Response)> = yes.iter().map(|id| (*id, Response::YesNo(true))).collect();
    common::responses(&given)
}

async fn onboard(f: &Fresh, yes: &[QuestionId]) -> hipcoach_core::program::ScreeningOutcome {
    let responses = answers(yes);
    let onboarding = Onboarding {
        answers: Answers::from_responses(calendar::day_of(today()), &responses).unwrap(),
        responses,
        goal: Goal::General,
        sessions_per_week: SessionsPerWeek::new(3).unwrap(),
        minutes_per_session: SessionMinutes::new(15).unwrap(),
        equipment: BTreeSet::from([Equipment::Mat]),
        gets_down_to_floor: true,
        has_chair: true,
    };
    record_onboarding(&f.store, f.user.id, today(), onboarding).await.unwrap()
}

/// Plays the planned session as the page does: start, then answer every pain check with 1/10,
/// asking the engine each time what happens until the next answer is due.
fn played_log(f: &Fresh, program: &Program, day: NaiveDate) -> Vec<Logged> {
    let plan = program.plan(&f.catalog, day).unwrap();
    let (_, items) = program.next_session_items(&plan, &f.catalog, day).unwrap();
    let mut log = vec![Logged { at: 0, command: Command::Start }];
    for _ in 0..50 {
        let played = timeline::play_ahead(items.clone(), Pace::capped(50), &log, 0).unwrap();
        let last = played.upcoming.last().unwrap_or(&played.now);
        match last.view.state {
            RunState::AwaitingPain => log.push(Logged {
                at: last.at,
                command: Command::AnswerPain(PainAnswer::Score(PainScore::new(1).unwrap())),
            }),
            RunState::Finished => return log,
            other => panic!("the session stopped in {other:?}"),
        }
    }
    panic!("the session never finished")
}

/// This week's planned session as a phone keeps it while offline: done today, sent later.
fn kept_on_phone(key: &str, log: Vec<Logged>) -> LoggedSession {
    LoggedSession { key: key.into(), exercises: vec![], log, pain_before: None, day: Some(today()), played: None }
}

#[tokio::test]
async fn a_planned_session_is_stored_once_and_reviewed_and_the_morning_check_reviews_it_again() {
    let f = fresh().await;
    onboard(&f, &[]).await;
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let log = played_log(&f, &program, today());
    let logged = LoggedSession {
        key: "one".into(),
        exercises: vec![],
        log,
        pain_before: Some(PainScore::NONE),
        day: None,
        played: None,
    };

    let (record, finished) =
        session::finish_logged(&f.store, &f.catalog, f.user.id, today(), Pace::capped(50), logged.clone())
            .await
            .unwrap();
    assert!(finished.created && !record.exercises.is_empty());
    assert!(matches!(finished.review, Review::Reviewed(_)), "{:?}", finished.review);
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    assert_eq!(program.document.history.len(), 1, "progression keeps the reviewed session");
    let checkins = f.store.pain_checkins(f.user.id).await.unwrap();
    assert!(checkins.iter().any(|c| c.moment == Moment::Before && c.day == today()), "pain before is kept");

    // A retry with the same key stores nothing and reviews nothing.
    let (_, again) =
        session::finish_logged(&f.store, &f.catalog, f.user.id, today(), Pace::capped(50), logged).await.unwrap();
    assert_eq!((again.id, again.created, again.review), (finished.id, false, Review::AlreadyStored));
    assert_eq!(f.store.sessions(f.user.id).await.unwrap().len(), 1);

    // The next morning's check is stored against that session and reviews it at once.
    let tomorrow = today().checked_add_days(Days::new(1)).unwrap();
    let morning = Checkin { moment: Moment::NextMorning, pain: PainScore::new(1).unwrap(), stiffer: false };
    let checked = record_checkin(&f.store, &f.catalog, f.user.id, tomorrow, morning).await.unwrap();
    assert_eq!(checked.day, today());
    assert!(checked.changes.is_some(), "the morning check is reviewed");
}

#[tokio::test]
async fn a_session_played_from_an_earlier_page_is_replayed_as_played_and_a_dose_no_plan_gives_is_refused() {
    let f = fresh().await;
    onboard(&f, &[]).await;
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let plan = program.plan(&f.catalog, today()).unwrap();
    let (_, items) = program.next_session_items(&plan, &f.catalog, today()).unwrap();
    // Two phones, both offline, both play today's session from the page they kept.
    let log = played_log(&f, &program, today());
    let from_phone = |key: &str, played: &[SessionItem]| LoggedSession {
        key: key.into(),
        exercises: vec![],
        log: log.clone(),
        pain_before: None,
        day: Some(today()),
        played: Some(played.to_vec()),
    };
    let send = |logged| session::finish_logged(&f.store, &f.catalog, f.user.id, today(), Pace::capped(50), logged);
    let (_, stored) = send(from_phone("phone-a", &items)).await.unwrap();
    assert!(stored.created);
    // The same record queued twice is stored once.
    let (_, again) = send(from_phone("phone-a", &items)).await.unwrap();
    assert_eq!((again.id, again.created), (stored.id, false));
    // The server's session for today is now the next one; the second phone played the first
    // one's exercises, which this week's plan prescribes at those doses: replayed as played.
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let plan = program.plan(&f.catalog, today()).unwrap();
    let (_, now_due) = program.next_session_items(&plan, &f.catalog, today()).unwrap();
    assert_ne!(now_due, items, "the plan moved on");
    let (record, kept) = send(from_phone("phone-b", &items)).await.unwrap();
    assert!(kept.created);
    let done: Vec<_> = record.exercises.iter().map(|e| e.exercise.clone()).collect();
    assert_eq!(done, items.iter().map(|i| i.exercise.clone()).collect::<Vec<_>>(), "the exercises it was played with");
    // A dose no session of the plan gives is refused with the reason, and nothing is stored.
    let mut tampered = items.clone();
    tampered[0].sides = Sides::Together { sets: SetCount::new(5).unwrap() };
    let error = send(from_phone("phone-c", &tampered)).await.unwrap_err();
    assert!(matches!(error, hipcoach_workflows::WorkflowError::Conflict(_)), "{error:?}");
    assert!(error.to_string().contains("changed on the server"), "{error}");
    assert_eq!(f.store.sessions(f.user.id).await.unwrap().len(), 2, "nothing stored for the refused log");
}

#[tokio::test]
async fn a_session_kept_on_a_phone_arrives_later_on_its_own_day_and_its_retry_is_the_stored_copy() {
    let f = fresh().await;
    onboard(&f, &[]).await;
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let log = played_log(&f, &program, today());
    let days_later = today().checked_add_days(Days::new(2)).unwrap();
    let logged = kept_on_phone("offline", log);
    let (record, finished) =
        session::finish_logged(&f.store, &f.catalog, f.user.id, days_later, Pace::capped(50), logged.clone())
            .await
            .unwrap();
    assert!(finished.created);
    let stored = f.store.sessions(f.user.id).await.unwrap();
    assert_eq!(stored[0].day, today(), "stored on the day it was done, not the day it arrived");
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    assert_eq!(program.document.history[0].day, hipcoach_workflows::calendar::day_of(today()));

    // Sent again after the plan has moved on: the stored copy answers, nothing is replayed.
    play_planned(&f, days_later, "next").await;
    let (again, retry) =
        session::finish_logged(&f.store, &f.catalog, f.user.id, days_later, Pace::capped(50), logged.clone())
            .await
            .unwrap();
    assert_eq!((retry.id, retry.created, retry.review), (finished.id, false, Review::AlreadyStored));
    assert_eq!(again, record);

    // A day after today (a phone ahead in its time zone) is today; a date from long ago is refused.
    let ahead = LoggedSession { key: "ahead".into(), day: Some(days_later.succ_opt().unwrap()), ..logged.clone() };
    session::finish_logged(&f.store, &f.catalog, f.user.id, days_later, Pace::capped(50), ahead).await.unwrap();
    assert_eq!(f.store.sessions(f.user.id).await.unwrap().last().unwrap().day, days_later);
    let ancient = LoggedSession { key: "ancient".into(), day: NaiveDate::from_ymd_opt(2020, 1, 1), ..logged };
    let error = session::finish_logged(&f.store, &f.catalog, f.user.id, days_later, Pace::capped(50), ancient)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("check the device's date"), "{error}");
}

#[tokio::test]
async fn a_morning_check_with_no_session_before_it_is_refused_and_nothing_is_stored() {
    let f = fresh().await;
    let morning = Checkin { moment: Moment::NextMorning, pain: PainScore::NONE, stiffer: true };
    let error = record_checkin(&f.store, &f.catalog, f.user.id, today(), morning).await.unwrap_err();
    assert!(matches!(&error, WorkflowError::Conflict(m) if m.contains("no session before today")), "{error}");
    assert!(f.store.pain_checkins(f.user.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn chest_pain_at_screening_refuses_a_plan_for_safety_and_says_why() {
    let f = fresh().await;
    let outcome = onboard(&f, &[QuestionId::ChestPain]).await;
    assert!(!outcome.verdict().allows_plan());
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let error = program.plan(&f.catalog, today()).unwrap_err();
    assert!(matches!(&error, WorkflowError::RefusedForSafety(m) if m.contains("no plan")), "{error}");
    let logged =
        LoggedSession { key: "k".into(), exercises: vec![], log: vec![], pain_before: None, day: None, played: None };
    let refused = session::finish_logged(&f.store, &f.catalog, f.user.id, today(), Pace::default(), logged).await;
    assert!(matches!(refused, Err(WorkflowError::RefusedForSafety(_))), "no planned session can be stored either");
    assert!(f.store.sessions(f.user.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_one_off_session_is_stored_but_not_reviewed_and_an_unknown_exercise_is_named() {
    let f = fresh().await;
    let log = vec![Logged { at: 0, command: Command::Start }, Logged { at: 1_000, command: Command::EndSession }];
    let logged = LoggedSession {
        key: "k".into(),
        exercises: vec!["clamshell".into()],
        log,
        pain_before: None,
        day: None,
        played: None,
    };
    let (_, finished) =
        session::finish_logged(&f.store, &f.catalog, f.user.id, today(), Pace::default(), logged).await.unwrap();
    assert_eq!(finished.review, Review::OneOff);

    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let unknown = program.one_off_items(&f.catalog, &["no-such-thing".into()], today()).unwrap_err();
    assert!(
        matches!(&unknown, WorkflowError::Invalid { field, reason } if field == "exercise" && reason.contains("no-such-thing")),
        "{unknown}"
    );
}

#[tokio::test]
async fn a_measurement_is_the_median_of_three_trials_and_two_trials_are_refused_naming_the_field() {
    let f = fresh().await;
    let entry = |trials: &[f64]| NewMeasurement {
        side: Side::Left,
        position: TestPosition::Seated,
        method: Method::Goniometer,
        rater: Rater::Same,
        measured_by: None,
        trials: trials.iter().map(|t| Degrees::new(*t).unwrap()).collect(),
        hard_end_feel: false,
    };
    let (_, stored) = record_measurement(&f.store, f.user.id, today(), entry(&[34.0, 36.4, 35.0])).await.unwrap();
    assert_eq!((stored.degrees, stored.uncertainty), (35.0, 6.0));
    let error = record_measurement(&f.store, f.user.id, today(), entry(&[34.0, 36.0])).await.unwrap_err();
    assert!(matches!(&error, WorkflowError::Invalid { field, .. } if field == "trials"), "{error}");
    assert_eq!(f.store.measurements(f.user.id).await.unwrap().len(), 1, "the refused one is not stored");
}

#[tokio::test]
async fn every_export_is_written_and_the_account_export_reads_back_under_a_new_name() {
    let f = fresh().await;
    onboard(&f, &[]).await;
    let now = today().and_hms_opt(12, 0, 0).unwrap();
    for format in [Format::SessionsCsv, Format::MeasurementsCsv, Format::Fhir, Format::Ical, Format::Pdf] {
        let bytes = exports::export(&f.store, &f.catalog, &f.user, today(), now, format, &six_pm()).await.unwrap();
        assert!(!bytes.is_empty(), "{format:?} is empty");
    }
    let account =
        exports::export(&f.store, &f.catalog, &f.user, today(), now, Format::Account, &six_pm()).await.unwrap();
    let imported =
        exports::import_account(&f.store, std::str::from_utf8(&account).unwrap(), Some("ana-copy")).await.unwrap();
    assert_eq!(imported.name, "ana-copy");
    let copy = f.store.local_user("ana-copy").await.unwrap();
    let again = exports::export(&f.store, &f.catalog, &copy, today(), now, Format::Account, &six_pm()).await.unwrap();
    let strip_name = |bytes: &[u8]| String::from_utf8_lossy(bytes).replace("ana-copy", "ana");
    assert_eq!(strip_name(&again), strip_name(&account), "export → import → export round-trips");

    let garbage = exports::import_account(&f.store, "{not json", None).await.unwrap_err();
    assert!(matches!(garbage, WorkflowError::Invalid { .. }), "{garbage}");
}

#[tokio::test]
async fn at_fifty_a_very_stiff_hip_measured_before_screening_asks_for_a_review_first() {
    let f = fresh().await;
    let entry = |side, degrees: f64| NewMeasurement {
        side,
        position: TestPosition::Seated,
        method: Method::Goniometer,
        rater: Rater::Same,
        measured_by: None,
        trials: vec![Degrees::new(degrees).unwrap(); 3],
        hard_end_feel: false,
    };
    record_measurement(&f.store, f.user.id, today(), entry(Side::Left, 12.0)).await.unwrap();
    record_measurement(&f.store, f.user.id, today(), entry(Side::Right, 30.0)).await.unwrap();
    let mut responses = answers(&[]);
    responses.insert(QuestionId::AgeBand, Response::Choice("50-64".into()));
    let answers = Answers::from_responses(calendar::day_of(today()), &responses).unwrap();
    // The same path for the terminal and the web's getting-started form.
    let outcome = hipcoach_workflows::screening::record_screening(&f.store, f.user.id, today(), responses, answers)
        .await
        .unwrap();
    assert!(!outcome.verdict().allows_plan(), "{outcome:?}");
}

#[tokio::test]
async fn safety_answers_over_a_year_old_stop_the_plan_until_answered_again() {
    let f = fresh().await;
    onboard(&f, &[]).await;
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let next_year = today().checked_add_days(Days::new(400)).unwrap();
    let error = program.plan(&f.catalog, next_year).unwrap_err();
    assert!(matches!(&error, WorkflowError::RefusedForSafety(m) if m.contains("over a year old")), "{error}");
    assert!(program.plan(&f.catalog, today()).is_ok());
}

#[tokio::test]
async fn after_sharp_pain_in_an_inward_turning_drill_today_does_not_offer_it_again() {
    let f = fresh().await;
    onboard(&f, &[]).await;
    // One session a week: the next session today is the same one again.
    let one = hipcoach_workflows::profile::ProfileChanges { sessions: Some(1), ..Default::default() };
    hipcoach_workflows::profile::update_profile(&f.store, &f.catalog, f.user.id, today(), &one).await.unwrap();
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let plan = program.plan(&f.catalog, today()).unwrap();
    let (first, items) = program.next_session_items(&plan, &f.catalog, today()).unwrap();
    let drill = items.iter().position(|i| i.end_range_rotation).expect("an inward-turning drill in the session");
    let stopped = items[drill].exercise.clone();

    // Play on the engine's own clock, answer each pain check with 0, stop with sharp pain in
    // the drill's first rep, then end the session there.
    let mut engine = hipcoach_core::session::Engine::new(items, Pace::capped(50));
    let mut now = 0;
    let mut effects = engine.handle(now, Command::Start);
    let in_the_drill = |engine: &hipcoach_core::session::Engine, now| {
        let view = engine.view(now);
        view.item.is_some_and(|i| i.exercise == stopped) && view.step.is_some_and(|s| s.kind.is_work())
    };
    while !in_the_drill(&engine, now) {
        now += 10;
        let command = if engine.state() == RunState::AwaitingPain {
            Command::AnswerPain(PainAnswer::Score(PainScore::NONE))
        } else {
            Command::Tick
        };
        effects = engine.handle(now, command);
    }
    effects.extend(engine.handle(now, Command::SharpPain));
    assert_eq!(engine.state(), RunState::AwaitingChoice, "nothing starts by itself: {effects:?}");
    let record = engine
        .handle(now, Command::EndSession)
        .into_iter()
        .find_map(|e| match e {
            hipcoach_core::session::Effect::Finished(record) => Some(record),
            _ => None,
        })
        .unwrap();
    assert!(record.ended_early);
    let played =
        session::PlayedSession { key: "stopped".into(), record, planned: true, pain_before: None, done_on: None };
    let finished = session::finish(&f.store, &f.catalog, f.user.id, today(), played).await.unwrap();
    assert!(matches!(finished.review, Review::Reviewed(_)), "{:?}", finished.review);

    // The same day, the session is offered again without the stopped drill.
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let plan = program.plan(&f.catalog, today()).unwrap();
    let (next, items) = program.next_session_items(&plan, &f.catalog, today()).unwrap();
    assert_eq!(next.session.number, first.session.number);
    assert!(next.adjustments.iter().any(|a| a.contains("stopped for pain")), "{:?}", next.adjustments);
    assert!(items.iter().all(|i| i.exercise != stopped), "{stopped} is offered again today");
    assert!(!items.is_empty(), "the rest of the session is still there");
    // Tomorrow it may come back, at the dose progression left it at.
    let tomorrow = today().checked_add_days(Days::new(1)).unwrap();
    let (_, items) = program.next_session_items(&plan, &f.catalog, tomorrow).unwrap();
    assert!(items.iter().any(|i| i.exercise == stopped) || plan.excluded.iter().any(|e| e.exercise == stopped));
}

/// Plays the planned session of `day` to the end (every pain check at 1/10) and stores it.
async fn play_planned(f: &Fresh, day: NaiveDate, key: &str) {
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let log = played_log(f, &program, day);
    let logged = LoggedSession { key: key.into(), exercises: vec![], log, pain_before: None, day: None, played: None };
    session::finish_logged(&f.store, &f.catalog, f.user.id, day, Pace::capped(50), logged).await.unwrap();
}

#[tokio::test]
async fn strength_work_rests_the_day_after_a_strength_day_whatever_order_sessions_are_done_in() {
    let f = fresh().await;
    onboard(&f, &[]).await;
    let is_strength = |id: &str| {
        let e = f.catalog.get(id).unwrap();
        e.kind == hipcoach_core::catalog::Kind::Strength || e.equipment.contains(&Equipment::Band)
    };
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let plan = program.plan(&f.catalog, today()).unwrap();
    let (first, _) = program.next_session_items(&plan, &f.catalog, today()).unwrap();
    assert!(first.session.items.iter().any(|i| is_strength(i.exercise.as_str())), "session 1 has strength work");
    play_planned(&f, today(), "tuesday").await;

    // The very next day: session 2 of the plan, without its strength work, and saying why.
    let wednesday = today().checked_add_days(Days::new(1)).unwrap();
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let (next, items) = program.next_session_items(&plan, &f.catalog, wednesday).unwrap();
    assert_eq!(next.session.number, 2);
    assert!(items.iter().all(|i| !is_strength(i.exercise.as_str())), "{:?}", next.session.items);
    assert!(items.iter().any(|i| i.end_range_rotation), "mobility still runs");
    assert!(next.adjustments.iter().any(|a| a.contains("yesterday")), "{:?}", next.adjustments);
    // A day later strength is back.
    let thursday = today().checked_add_days(Days::new(2)).unwrap();
    let (next, _) = program.next_session_items(&plan, &f.catalog, thursday).unwrap();
    assert!(next.session.items.iter().any(|i| is_strength(i.exercise.as_str())), "{:?}", next.session.items);
}

#[tokio::test]
async fn a_one_off_session_is_no_way_round_the_screening() {
    let f = fresh().await;
    let mut responses = answers(&[]);
    responses.insert(QuestionId::HipSurgery, Response::Choice("replacement".into()));
    responses.insert(QuestionId::ReplacementApproach, Response::Choice("posterior".into()));
    responses.insert(QuestionId::WeeksSinceSurgery, Response::Number(30));
    responses.insert(QuestionId::SurgeonCleared, Response::YesNo(false));
    responses.insert(QuestionId::ReplacedHipLooksDifferent, Response::YesNo(false));
    let answers = Answers::from_responses(calendar::day_of(today()), &responses).unwrap();
    hipcoach_workflows::screening::record_screening(&f.store, f.user.id, today(), responses, answers).await.unwrap();
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    let refused = program.one_off_items(&f.catalog, &["windshield-wipers".into()], today()).unwrap_err();
    assert!(matches!(&refused, WorkflowError::RefusedForSafety(m) if m.contains("Windshield wipers")), "{refused}");
    assert!(program.one_off_items(&f.catalog, &["clamshell".into()], today()).is_ok());
}

fn six_pm() -> exports::ical::SessionTime<chrono::Utc> {
    exports::ical::SessionTime { at: chrono::NaiveTime::from_hms_opt(18, 0, 0).unwrap(), zone: chrono::Utc }
}

#[tokio::test]
async fn a_session_logged_by_mistake_and_deleted_leaves_the_plans_history_and_the_trail_keeps_it() {
    let f = fresh().await;
    onboard(&f, &[]).await;
    play_planned(&f, today(), "mistake").await;
    assert_eq!(Program::load(&f.store, f.user.id).await.unwrap().document.history.len(), 1);
    let id = f.store.sessions(f.user.id).await.unwrap()[0].id;
    let deleted =
        hipcoach_workflows::corrections::delete_session(&f.store, &f.catalog, f.user.id, today(), id).await.unwrap();
    assert_eq!(deleted.client_key, "mistake");
    let program = Program::load(&f.store, f.user.id).await.unwrap();
    assert!(program.document.history.is_empty(), "the next review no longer counts it");
    assert!(f.store.sessions(f.user.id).await.unwrap().is_empty());
    assert_eq!(f.store.corrections(f.user.id).await.unwrap().len(), 1);
    assert!(program.morning_check_due(today().succ_opt().unwrap()).is_none(), "no morning check for it");
}

#[tokio::test]
async fn sharp_pain_in_a_session_that_arrives_after_a_later_one_is_still_reviewed() {
    let f = fresh().await;
    onboard(&f, &[]).await;
    let tomorrow = today().checked_add_days(Days::new(1)).unwrap();
    // Tomorrow's session, from another device, is reviewed first…
    play_planned(&f, tomorrow, "other-device").await;
    // …then today's arrives the day after from a phone that was offline: sharp pain in its
    // first exercise. Its own day is past review, so it is reviewed on the day it arrives.
    let log = vec![
        Logged { at: 0, command: Command::Start },
        // Steps last 50 ms at most here: well into the first set.
        Logged { at: 300, command: Command::SharpPain },
        Logged { at: 310, command: Command::EndSession },
    ];
    let late = kept_on_phone("offline", log);
    let arrives = tomorrow.checked_add_days(Days::new(1)).unwrap();
    let (record, finished) =
        session::finish_logged(&f.store, &f.catalog, f.user.id, arrives, Pace::capped(50), late).await.unwrap();
    assert!(record.exercises.iter().any(|e| e.pain == PainAnswer::Sharp));
    let stored = f.store.sessions(f.user.id).await.unwrap();
    assert!(stored.iter().any(|s| s.client_key == "offline" && s.day == today()), "stored on the day it was done");
    let Review::Reviewed(changes) = finished.review else { panic!("not reviewed: {:?}", finished.review) };
    assert!(
        changes.iter().any(|c| !matches!(c.kind, hipcoach_core::program::ChangeKind::Kept)),
        "the sharp pain changed the plan: {changes:?}"
    );
}
