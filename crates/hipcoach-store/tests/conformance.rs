//! One suite, run against both engines: every story below runs on a fresh SQLite file and on a
//! fresh database in a real PostgreSQL server (started by `scripts/test`).

#![allow(clippy::unwrap_used)] // Test code: a panic is the failure message.

use chrono::NaiveDate;
use hipcoach_core::catalog::{Catalog, ExerciseId};
use hipcoach_core::measure::{Method, Rater, TestPosition};
use hipcoach_core::session::{ExerciseRecord, PainAnswer, SessionRecord, SetOutcome, SetRecord, Working};
use hipcoach_core::units::{PainScore, Side};
use hipcoach_store::*;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh database of each kind. Keeps the SQLite folder alive while the store is used.
struct Fresh {
    store: Store,
    _dir: Option<tempfile::TempDir>,
}

async fn sqlite() -> Fresh {
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite_url(&dir.path().join("test.db"));
    Fresh { store: Store::connect(&url, catalog()).await.unwrap(), _dir: Some(dir) }
}

/// A new database on the test server, or `None` when no server was given (allowed only when
/// `HIPCOACH_REQUIRE_POSTGRES` is unset, i.e. a quick local `cargo test`).
async fn postgres() -> Option<Fresh> {
    let Ok(admin) = std::env::var("HIPCOACH_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var_os("HIPCOACH_REQUIRE_POSTGRES").is_none(),
            "HIPCOACH_REQUIRE_POSTGRES is set but HIPCOACH_TEST_POSTGRES_URL is not: scripts/test starts the server"
        );
        eprintln!("no PostgreSQL server given (HIPCOACH_TEST_POSTGRES_URL); PostgreSQL half skipped");
        return None;
    };
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let name = format!("hipcoach_test_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed));
    sqlx::any::install_default_drivers();
    let mut connection = <sqlx::AnyConnection as sqlx::Connection>::connect(&admin).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}")).execute(&mut connection).await.unwrap();
    let url = format!("{}/{name}", admin.rsplit_once('/').unwrap().0);
    Some(Fresh { store: Store::connect(&url, catalog()).await.unwrap(), _dir: None })
}

fn catalog() -> Arc<Catalog> {
    Arc::new(Catalog::builtin().clone())
}

macro_rules! on_both_engines {
    ($($story:ident),+ $(,)?) => {
        mod sqlite_engine {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $story() {
                    super::$story(super::sqlite().await.store).await;
                }
            )+
        }
        mod postgres_engine {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $story() {
                    if let Some(fresh) = super::postgres().await {
                        super::$story(fresh.store).await;
                    }
                }
            )+
        }
    };
}

on_both_engines!(
    a_session_is_stored_set_by_set_and_read_back_unchanged,
    sending_the_same_session_twice_stores_it_once,
    nobody_reads_another_users_records,
    bad_data_is_refused_before_it_reaches_the_database,
    pain_checkins_measurements_documents_and_preferences_round_trip,
    export_then_import_into_an_empty_database_then_export_is_identical,
    many_writers_at_once_never_see_a_locked_database,
    writes_sharing_a_commit_each_get_their_own_answer,
    user_names_are_unique,
    a_login_finds_its_own_user_until_it_ends_or_expires,
    the_revision_moves_with_every_document_and_measurement_of_its_user_only,
    a_long_history_is_read_in_pages_each_whole,
    deleting_an_account_leaves_nothing_of_it_and_nobody_elses_is_touched,
    a_new_password_ends_every_other_login,
    a_calendar_address_finds_its_owner_until_it_is_replaced_or_turned_off,
    a_correction_changes_the_record_in_one_write_and_keeps_what_was_there,
    a_reading_kept_on_a_device_is_stored_once_however_often_it_is_sent,
);

fn id(text: &str) -> ExerciseId {
    ExerciseId::parse(text).unwrap()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn record() -> SessionRecord {
    let set = |set, working, outcome, reps: Option<u16>, hold: Option<u16>| SetRecord {
        set,
        working,
        outcome,
        reps_done: reps,
        hold_seconds_done: hold,
    };
    SessionRecord {
        exercises: vec![
            ExerciseRecord {
                exercise: id("figure-four-stretch"),
                sets: vec![
                    set(1, Working::Side(Side::Left), SetOutcome::Completed, None, Some(30)),
                    set(1, Working::Side(Side::Right), SetOutcome::Completed, None, Some(30)),
                    set(2, Working::Side(Side::Right), SetOutcome::Skipped, None, Some(12)),
                    set(2, Working::Side(Side::Left), SetOutcome::Cancelled, None, None),
                ],
                pain: PainAnswer::Score(PainScore::new(2).unwrap()),
            },
            ExerciseRecord {
                exercise: id("hip-90-90-switch"),
                sets: vec![set(1, Working::Alternating, SetOutcome::StoppedForPain, Some(3), None)],
                pain: PainAnswer::Sharp,
            },
            ExerciseRecord {
                exercise: id("box-squat"),
                sets: vec![set(1, Working::Both, SetOutcome::Cancelled, None, None)],
                pain: PainAnswer::NotAnswered,
            },
        ],
        ended_early: true,
        active_ms: 183_250,
    }
}

fn measurement(side: Side, degrees: f64) -> Measurement {
    Measurement {
        day: day("2026-11-20"),
        side,
        position: TestPosition::Seated,
        method: Method::Goniometer,
        rater: Rater::Same,
        degrees,
        uncertainty: 6.0,
        measured_by: Some("physio".into()),
        hard_end_feel: false,
        recorded_at_ms: 0,
        client_key: None,
    }
}

async fn a_session_is_stored_set_by_set_and_read_back_unchanged(store: Store) {
    let user = store.create_user("ana", Some("hash")).await.unwrap();
    let (session_id, created) = store.record_session(user.id, day("2026-11-24"), "k1", &record()).await.unwrap();
    assert!(created);
    let stored = store.session(user.id, session_id).await.unwrap();
    assert_eq!(stored.record, record());
    assert_eq!(stored.day, day("2026-11-24"));
    assert_eq!(store.sessions(user.id).await.unwrap(), vec![stored]);
    store.integrity_check().await.unwrap();
}

async fn sending_the_same_session_twice_stores_it_once(store: Store) {
    let user = store.create_user("ben", None).await.unwrap();
    let first = store.record_session(user.id, day("2026-11-24"), "same-key", &record()).await.unwrap();
    let second = store.record_session(user.id, day("2026-11-24"), "same-key", &record()).await.unwrap();
    assert_eq!((first.0, first.1, second.0, second.1), (first.0, true, first.0, false));
    assert_eq!(store.sessions(user.id).await.unwrap().len(), 1);
}

async fn nobody_reads_another_users_records(store: Store) {
    let ana = store.create_user("ana", None).await.unwrap();
    let ben = store.create_user("ben", None).await.unwrap();
    let (session, _) = store.record_session(ana.id, day("2026-11-24"), "k", &record()).await.unwrap();
    store.add_measurement(ana.id, &measurement(Side::Left, 31.0)).await.unwrap();
    assert!(matches!(store.session(ben.id, session).await, Err(StoreError::NotFound(_))));
    assert!(store.sessions(ben.id).await.unwrap().is_empty());
    assert!(store.measurements(ben.id).await.unwrap().is_empty());
    // The same client key in another account is another session.
    assert!(store.record_session(ben.id, day("2026-11-24"), "k", &record()).await.unwrap().1);
}

async fn bad_data_is_refused_before_it_reaches_the_database(store: Store) {
    let user = store.create_user("cat", None).await.unwrap();
    let mut unknown = record();
    unknown.exercises[0].exercise = id("jumping-jacks");
    let error = store.record_session(user.id, day("2026-11-24"), "k", &unknown).await.unwrap_err();
    assert!(matches!(&error, StoreError::Invalid(m) if m.contains("`jumping-jacks` is not an exercise")), "{error}");

    let mut twice = record();
    let duplicate = twice.exercises[0].sets[0];
    twice.exercises[0].sets.push(duplicate);
    let error = store.record_session(user.id, day("2026-11-24"), "k2", &twice).await.unwrap_err();
    assert!(matches!(&error, StoreError::Invalid(m) if m.contains("twice")), "{error}");

    for (degrees, uncertainty) in [(120.0, 6.0), (f64::NAN, 6.0), (30.0, 0.0), (30.0, -4.0)] {
        let mut m = measurement(Side::Left, degrees);
        m.uncertainty = uncertainty;
        assert!(
            matches!(store.add_measurement(user.id, &m).await, Err(StoreError::Invalid(_))),
            "{degrees} ±{uncertainty}"
        );
    }
    // A pain of 11 cannot even be built: the type refuses it with a reason.
    assert_eq!(PainScore::new(11).unwrap_err().to_string(), "11 is out of range: pain must be between 0 and 10/10");
    // Nothing of the refused writes is there, and the earlier data is intact.
    assert!(store.sessions(user.id).await.unwrap().is_empty());
    assert!(store.measurements(user.id).await.unwrap().is_empty());
}

async fn pain_checkins_measurements_documents_and_preferences_round_trip(store: Store) {
    let user = store.create_user("dee", None).await.unwrap();
    let checkin = PainCheckin {
        day: day("2026-11-25"),
        moment: Moment::NextMorning,
        exercise: Some(id("prone-hip-internal-rotation")),
        score: PainScore::new(3).unwrap(),
        sharp: false,
        stiffer: true,
        recorded_at_ms: 0,
    };
    store.add_pain_checkin(user.id, &checkin).await.unwrap();
    let stored = store.pain_checkins(user.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(PainCheckin { recorded_at_ms: 0, ..stored[0].clone() }, checkin);

    store.add_measurement(user.id, &measurement(Side::Right, 28.5)).await.unwrap();
    let m = &store.measurements(user.id).await.unwrap()[0];
    assert_eq!((m.side, m.degrees, m.uncertainty, m.rater), (Side::Right, 28.5, 6.0, Rater::Same));
    assert!(!m.hard_end_feel);
    let hard = Measurement { hard_end_feel: true, ..measurement(Side::Left, 30.0) };
    store.add_measurement(user.id, &hard).await.unwrap();
    assert!(store.measurements(user.id).await.unwrap()[1].hard_end_feel, "a hard end feel is kept");

    // Every red sign reads back as it was stored.
    let mut red = record();
    red.exercises[0].pain = PainAnswer::CatchingOrLocking;
    let (red_id, _) = store.record_session(user.id, day("2026-11-25"), "red", &red).await.unwrap();
    assert_eq!(store.session(user.id, red_id).await.unwrap().record.exercises[0].pain, PainAnswer::CatchingOrLocking);

    assert!(store.latest_document(user.id, DocumentKind::Profile).await.unwrap().is_none());
    store
        .save_document(user.id, DocumentKind::Profile, day("2026-11-01"), &serde_json::json!({"goal": "general"}))
        .await
        .unwrap();
    store
        .save_document(user.id, DocumentKind::Profile, day("2026-11-02"), &serde_json::json!({"goal": "athlete"}))
        .await
        .unwrap();
    let latest = store.latest_document(user.id, DocumentKind::Profile).await.unwrap().unwrap();
    assert_eq!(latest.body["goal"], "athlete");
    assert_eq!(store.documents(user.id).await.unwrap().len(), 2, "older versions are kept");

    let mut preference = Preference {
        exercise: id("clamshell"),
        rating: Rating::Disliked,
        swapped_for: Some(id("standing-side-hip-abduction")),
        updated_at_ms: 0,
    };
    store.set_preference(user.id, &preference).await.unwrap();
    preference.rating = Rating::Liked;
    preference.swapped_for = None;
    store.set_preference(user.id, &preference).await.unwrap();
    let stored = store.preferences(user.id).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].rating, stored[0].swapped_for.clone()), (Rating::Liked, None));
    let selfish = Preference { swapped_for: Some(id("clamshell")), ..preference };
    assert!(matches!(store.set_preference(user.id, &selfish).await, Err(StoreError::Invalid(_))));
}

async fn export_then_import_into_an_empty_database_then_export_is_identical(store: Store) {
    let user = store.create_user("eve", Some("$argon2id$v=19$stub")).await.unwrap();
    store.record_session(user.id, day("2026-11-20"), "a", &record()).await.unwrap();
    store.record_session(user.id, day("2026-11-22"), "b", &record()).await.unwrap();
    store.add_measurement(user.id, &measurement(Side::Left, 33.0)).await.unwrap();
    store.add_measurement(user.id, &measurement(Side::Right, 41.0)).await.unwrap();
    let (wrong, _, _) = store.add_measurement(user.id, &measurement(Side::Right, 4.0)).await.unwrap();
    store.delete_measurement(user.id, wrong).await.unwrap();
    store
        .add_pain_checkin(
            user.id,
            &PainCheckin {
                day: day("2026-11-21"),
                moment: Moment::NextMorning,
                exercise: None,
                score: PainScore::new(1).unwrap(),
                sharp: false,
                stiffer: false,
                recorded_at_ms: 0,
            },
        )
        .await
        .unwrap();
    store
        .save_document(user.id, DocumentKind::Screening, day("2026-11-19"), &serde_json::json!({"verdict": "clear"}))
        .await
        .unwrap();
    store
        .set_preference(
            user.id,
            &Preference { exercise: id("box-squat"), rating: Rating::Liked, swapped_for: None, updated_at_ms: 0 },
        )
        .await
        .unwrap();
    let first = serde_json::to_string_pretty(&store.export_account(user.id).await.unwrap()).unwrap();
    assert!(first.contains(r#""corrections": ["#) && first.contains(r#""action": "deleted""#), "the trail is exported");

    let empty = sqlite().await;
    let parsed: AccountExport = serde_json::from_str(&first).unwrap();
    let imported = empty.store.import_account(&parsed, None).await.unwrap();
    let second = serde_json::to_string_pretty(&empty.store.export_account(imported).await.unwrap()).unwrap();
    assert_eq!(first, second);

    // Importing again under the same name is refused, and nothing half-imported is left behind.
    assert!(matches!(empty.store.import_account(&parsed, None).await, Err(StoreError::Conflict(_))));
    let csv = sessions_csv(&store.sessions(user.id).await.unwrap()).unwrap();
    assert!(csv.starts_with("day,session,exercise,set,side,outcome,reps,hold_seconds,hip_pain,red_sign\n"), "{csv}");
    assert!(csv.contains("2026-11-20,a,hip-90-90-switch,1,alternating,stopped-for-pain,3,,,sharp"), "{csv}");
    assert!(csv.contains(",completed,,30,2,\n"), "a score is a number with no red sign: {csv}");
    let csv = measurements_csv(&store.measurements(user.id).await.unwrap()).unwrap();
    assert!(csv.contains("2026-11-20,left,seated,goniometer,33,6,physio"), "{csv}");
}

async fn many_writers_at_once_never_see_a_locked_database(store: Store) {
    let user = store.create_user("fay", None).await.unwrap();
    let mut tasks = Vec::new();
    for writer in 0..32 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for n in 0..10 {
                store.record_session(user.id, day("2026-11-24"), &format!("w{writer}-{n}"), &record()).await?;
                store.sessions(user.id).await?;
            }
            Ok::<_, StoreError>(())
        }));
    }
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(store.sessions(user.id).await.unwrap().len(), 320);
    store.integrity_check().await.unwrap();
}

/// Writes sent at once share commits (group commit), and each still gets its own answer: a
/// session listing a set twice is refused alone, a key sent twice by two writers at once is
/// stored once and both get its id, and the others are stored.
async fn writes_sharing_a_commit_each_get_their_own_answer(store: Store) {
    let user = store.create_user("gil", None).await.unwrap().id;
    let mut twice = record();
    let repeated = twice.exercises[0].sets[0];
    twice.exercises[0].sets.push(repeated);
    let tasks: Vec<_> = (0..24)
        .map(|n| {
            let store = store.clone();
            let (key, record) = match n {
                5 => ("bad".to_owned(), twice.clone()),
                23 => ("g0".to_owned(), record()),
                n => (format!("g{n}"), record()),
            };
            tokio::spawn(async move { store.record_session(user, day("2026-11-24"), &key, &record).await })
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    assert!(matches!(&answers[5], Err(StoreError::Invalid(m)) if m.contains("twice")), "{:?}", answers[5]);
    let (a, b) = (answers[0].as_ref().unwrap(), answers[23].as_ref().unwrap());
    assert_eq!(a.0, b.0, "both sends of one key get the one session's id");
    assert!(a.1 ^ b.1, "exactly one of them stored it");
    assert!(answers.iter().enumerate().all(|(n, a)| n == 5 || a.is_ok()));
    let mut keys: Vec<String> = store.sessions(user).await.unwrap().into_iter().map(|s| s.client_key).collect();
    keys.sort();
    let mut expected: Vec<String> = (0..23).filter(|&n| n != 5).map(|n| format!("g{n}")).collect();
    expected.sort();
    assert_eq!(keys, expected);
    store.integrity_check().await.unwrap();
}

async fn user_names_are_unique(store: Store) {
    store.create_user("gus", None).await.unwrap();
    assert!(matches!(store.create_user(" gus ", None).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.create_user("", None).await, Err(StoreError::Invalid(_))));
    assert_eq!(store.local_user("gus").await.unwrap().name, "gus");
    assert_eq!(store.local_user("new").await.unwrap().name, "new");
}

async fn a_login_finds_its_own_user_until_it_ends_or_expires(store: Store) {
    let ana = store.create_user("ana", Some("hash")).await.unwrap();
    let bo = store.create_user("bo", Some("hash")).await.unwrap();
    let far = chrono::Utc::now().timestamp_millis() + 60_000;
    let (a, b, old) = ("a".repeat(64), "b".repeat(64), "c".repeat(64));
    store.create_login_session(ana.id, &a, far).await.unwrap();
    store.create_login_session(bo.id, &b, far).await.unwrap();
    assert_eq!(store.login_session_user(&a).await.unwrap().id, ana.id);
    assert_eq!(store.login_session_user(&b).await.unwrap().id, bo.id);
    assert!(matches!(store.create_login_session(bo.id, &a, far).await, Err(StoreError::Conflict(_))));
    assert!(matches!(store.create_login_session(bo.id, "short", far).await, Err(StoreError::Invalid(_))));
    store.delete_login_session(&a).await.unwrap();
    assert!(matches!(store.login_session_user(&a).await, Err(StoreError::NotFound(_))));
    store.create_login_session(ana.id, &old, 1).await.unwrap();
    assert!(matches!(store.login_session_user(&old).await, Err(StoreError::NotFound(_))), "expired");
    assert_eq!(store.delete_login_sessions_of(bo.id).await.unwrap(), 1);
    assert!(store.login_session_user(&b).await.is_err());
}

async fn the_revision_moves_with_every_document_and_measurement_of_its_user_only(store: Store) {
    let ana = store.create_user("ana", None).await.unwrap();
    let bo = store.create_user("bo", None).await.unwrap();
    let empty = store.revision(ana.id).await.unwrap();
    assert_eq!(store.revision(ana.id).await.unwrap(), empty, "reading does not move it");
    let body = serde_json::json!({"goal": "general"});
    store.save_document(ana.id, DocumentKind::Profile, day("2026-11-01"), &body).await.unwrap();
    let after_document = store.revision(ana.id).await.unwrap();
    assert_ne!(after_document, empty);
    store.add_measurement(ana.id, &measurement(Side::Left, 30.0)).await.unwrap();
    let after_measurement = store.revision(ana.id).await.unwrap();
    assert_ne!(after_measurement, after_document);
    store.save_document(bo.id, DocumentKind::Profile, day("2026-11-01"), &body).await.unwrap();
    assert_eq!(store.revision(ana.id).await.unwrap(), after_measurement, "bo's writes do not move ana's revision");
    // The login's own row carries the same revision, so a request needs no second query.
    let token = "a".repeat(64);
    store.create_login_session(ana.id, &token, i64::MAX).await.unwrap();
    assert_eq!(store.login_session_user(&token).await.unwrap().revision, after_measurement);
    assert_eq!(store.user(ana.id).await.unwrap().revision, after_measurement);
    let (id, _) = store.stored_measurements(ana.id).await.unwrap()[0].clone();
    store.delete_measurement(ana.id, id).await.unwrap();
    assert_ne!(store.login_session_user(&token).await.unwrap().revision, after_measurement, "a deletion moves it too");
}

async fn deleting_an_account_leaves_nothing_of_it_and_nobody_elses_is_touched(store: Store) {
    let ana = store.create_user("ana", Some("hash")).await.unwrap();
    let bo = store.create_user("bo", None).await.unwrap();
    let far = chrono::Utc::now().timestamp_millis() + 60_000;
    for user in [ana.id, bo.id] {
        store.record_session(user, day("2026-11-02"), "k1", &record()).await.unwrap();
        store.add_measurement(user, &measurement(Side::Left, 30.0)).await.unwrap();
        let body = serde_json::json!({"goal": "general"});
        store.save_document(user, DocumentKind::Profile, day("2026-11-01"), &body).await.unwrap();
        let checkin = PainCheckin {
            day: day("2026-11-02"),
            moment: Moment::Before,
            exercise: None,
            score: PainScore::new(2).unwrap(),
            sharp: false,
            stiffer: false,
            recorded_at_ms: 0,
        };
        store.add_pain_checkin(user, &checkin).await.unwrap();
    }
    store.create_login_session(ana.id, &"a".repeat(64), far).await.unwrap();
    store.set_calendar_feed(ana.id, &"f".repeat(64), chrono::NaiveTime::MIN, 60).await.unwrap();
    let bo_before = store.export_account(bo.id).await.unwrap();

    store.delete_user(ana.id).await.unwrap();
    assert!(matches!(store.user(ana.id).await, Err(StoreError::NotFound(_))));
    assert!(store.sessions(ana.id).await.unwrap().is_empty());
    assert!(store.measurements(ana.id).await.unwrap().is_empty());
    assert!(store.documents(ana.id).await.unwrap().is_empty());
    assert!(store.pain_checkins(ana.id).await.unwrap().is_empty());
    assert!(store.login_session_user(&"a".repeat(64)).await.is_err(), "its logins end");
    assert!(store.calendar_feed_by_token(&"f".repeat(64)).await.is_err(), "its calendar address ends");
    assert!(matches!(store.delete_user(ana.id).await, Err(StoreError::NotFound(_))));
    assert_eq!(store.export_account(bo.id).await.unwrap(), bo_before, "nothing of bo's changed");
    // The name is free again.
    store.create_user("ana", None).await.unwrap();
}

async fn a_new_password_ends_every_other_login(store: Store) {
    let ana = store.create_user("ana", Some("old")).await.unwrap();
    let bo = store.create_user("bo", Some("hash")).await.unwrap();
    let far = chrono::Utc::now().timestamp_millis() + 60_000;
    let (phone, laptop, bos) = ("p".repeat(64), "l".repeat(64), "b".repeat(64));
    store.create_login_session(ana.id, &phone, far).await.unwrap();
    store.create_login_session(ana.id, &laptop, far).await.unwrap();
    store.create_login_session(bo.id, &bos, far).await.unwrap();
    store.change_password(ana.id, "new", Some(&laptop)).await.unwrap();
    assert_eq!(store.user(ana.id).await.unwrap().password_hash.as_deref(), Some("new"));
    assert_eq!(store.login_session_user(&laptop).await.unwrap().id, ana.id, "the browser that changed it stays");
    assert!(store.login_session_user(&phone).await.is_err(), "every other login ends");
    assert_eq!(store.login_session_user(&bos).await.unwrap().id, bo.id, "nobody else's");
}

async fn a_calendar_address_finds_its_owner_until_it_is_replaced_or_turned_off(store: Store) {
    let ana = store.create_user("ana", None).await.unwrap();
    let at = chrono::NaiveTime::from_hms_opt(7, 30, 0).unwrap();
    assert_eq!(store.calendar_feed(ana.id).await.unwrap(), None);
    let feed = store.set_calendar_feed(ana.id, &"1".repeat(64), at, -300).await.unwrap();
    assert_eq!(store.calendar_feed(ana.id).await.unwrap(), Some(feed.clone()));
    let (owner, found) = store.calendar_feed_by_token(&"1".repeat(64)).await.unwrap();
    assert_eq!((owner.id, found), (ana.id, feed));
    store.set_calendar_feed(ana.id, &"2".repeat(64), at, 60).await.unwrap();
    assert!(store.calendar_feed_by_token(&"1".repeat(64)).await.is_err(), "a new address ends the old");
    assert_eq!(store.calendar_feed_by_token(&"2".repeat(64)).await.unwrap().1.utc_offset_min, 60);
    assert!(matches!(store.set_calendar_feed(ana.id, "short", at, 0).await, Err(StoreError::Invalid(_))));
    assert!(matches!(store.set_calendar_feed(ana.id, &"3".repeat(64), at, 900).await, Err(StoreError::Invalid(_))));
    store.delete_calendar_feed(ana.id).await.unwrap();
    assert!(store.calendar_feed_by_token(&"2".repeat(64)).await.is_err());
    assert_eq!(store.calendar_feed(ana.id).await.unwrap(), None);
}

#[tokio::test]
async fn a_backup_is_a_consistent_copy_that_opens_on_its_own() {
    let fresh = sqlite().await;
    let user = fresh.store.create_user("hal", None).await.unwrap();
    fresh.store.record_session(user.id, day("2026-11-24"), "k", &record()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("copy.db");
    fresh.store.backup(&path).await.unwrap();
    assert!(matches!(fresh.store.backup(&path).await, Err(StoreError::Invalid(_))), "never overwrites");
    let copy = Store::connect(&sqlite_url(&path), catalog()).await.unwrap();
    copy.integrity_check().await.unwrap();
    let copied = copy.user_by_name("hal").await.unwrap();
    assert_eq!(copy.sessions(copied.id).await.unwrap()[0].record, record());
}

#[tokio::test]
async fn a_database_url_of_another_kind_is_refused_with_the_accepted_forms() {
    let error = Store::connect("mysql://x@y/z", catalog()).await.unwrap_err();
    assert!(error.to_string().contains("use sqlite://PATH or postgres://USER@HOST/DB"), "{error}");
}

async fn a_long_history_is_read_in_pages_each_whole(store: Store) {
    let ana = store.create_user("ana", None).await.unwrap();
    let bo = store.create_user("bo", None).await.unwrap();
    for n in 0..7 {
        store.record_session(ana.id, day("2026-11-20"), &format!("ana-{n}"), &record()).await.unwrap();
        store.record_session(bo.id, day("2026-11-20"), &format!("bo-{n}"), &record()).await.unwrap();
    }
    assert_eq!(store.session_count(ana.id).await.unwrap(), 7);
    let keys = |page: &[StoredSession]| page.iter().map(|s| s.client_key.clone()).collect::<Vec<_>>();
    let latest = store.recent_sessions(ana.id, None, 3).await.unwrap();
    assert_eq!(keys(&latest), ["ana-4", "ana-5", "ana-6"], "the latest three, oldest first");
    let before = store.recent_sessions(ana.id, Some(latest[0].id), 3).await.unwrap();
    assert_eq!(keys(&before), ["ana-1", "ana-2", "ana-3"]);
    let first = store.recent_sessions(ana.id, Some(before[0].id), 3).await.unwrap();
    assert_eq!(keys(&first), ["ana-0"]);
    // Every page carries whole records, the same as reading one session or all of them.
    let all = store.sessions(ana.id).await.unwrap();
    assert_eq!(all.len(), 7);
    assert!(all.iter().all(|s| s.record == record()));
    assert_eq!(store.session(ana.id, latest[2].id).await.unwrap(), latest[2]);
    assert!(matches!(store.session(bo.id, latest[2].id).await, Err(StoreError::NotFound(_))));
}

async fn a_reading_kept_on_a_device_is_stored_once_however_often_it_is_sent(store: Store) {
    let user = store.create_user("eve", None).await.unwrap();
    let other = store.create_user("fay", None).await.unwrap();
    let kept = Measurement { client_key: Some("m-1".into()), ..measurement(Side::Left, 30.0) };
    // Sent from two tabs at once, then again after a lost answer: one row.
    let (a, b) = tokio::join!(store.add_measurement(user.id, &kept), store.add_measurement(user.id, &kept));
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.0, b.0, "both answers name the one stored reading");
    assert!(a.2 != b.2, "one stored it, the other found it");
    let (again, stored, created) = store.add_measurement(user.id, &kept).await.unwrap();
    assert_eq!((again, created), (a.0, false));
    assert_eq!(stored.client_key.as_deref(), Some("m-1"));
    assert_eq!(store.measurements(user.id).await.unwrap().len(), 1);
    // Keys belong to their user; readings without a key are never merged.
    assert!(store.add_measurement(other.id, &kept).await.unwrap().2);
    let plain = measurement(Side::Left, 30.0);
    assert!(store.add_measurement(user.id, &plain).await.unwrap().2);
    assert!(store.add_measurement(user.id, &plain).await.unwrap().2);
    assert_eq!(store.measurements(user.id).await.unwrap().len(), 3);
    // Deleted: its key is remembered, so a late resend can be turned away.
    assert!(!store.measurement_was_deleted(user.id, "m-1").await.unwrap());
    store.delete_measurement(user.id, a.0).await.unwrap();
    assert!(store.measurement_was_deleted(user.id, "m-1").await.unwrap());
    assert!(!store.measurement_was_deleted(other.id, "m-1").await.unwrap());
}

async fn a_correction_changes_the_record_in_one_write_and_keeps_what_was_there(store: Store) {
    let user = store.create_user("cid", None).await.unwrap();
    let other = store.create_user("dot", None).await.unwrap();
    let (reading, stored, _) = store.add_measurement(user.id, &measurement(Side::Left, 12.0)).await.unwrap();
    let revision = store.revision(user.id).await.unwrap();

    // Corrected: the new value is read back, the old one is in the trail, the revision moves.
    let corrected = Measurement { degrees: 21.0, side: Side::Right, ..stored.clone() };
    assert!(store.correct_measurement(other.id, reading, &corrected).await.is_err(), "nobody corrects another's");
    let now = store.correct_measurement(user.id, reading, &corrected).await.unwrap();
    assert_eq!(store.measurement(user.id, reading).await.unwrap(), now);
    assert_eq!((now.degrees, now.side, now.recorded_at_ms), (21.0, Side::Right, stored.recorded_at_ms));
    assert_ne!(store.revision(user.id).await.unwrap(), revision, "plans built on the old reading are rebuilt");
    let trail = store.corrections(user.id).await.unwrap();
    assert_eq!(trail.len(), 1);
    assert_eq!((trail[0].record, trail[0].action), (CorrectedRecord::Measurement, CorrectionAction::Edited));
    assert_eq!(trail[0].before["degrees"], 12.0);
    assert_eq!(trail[0].after.as_ref().unwrap()["degrees"], 21.0);
    let absurd = Measurement { degrees: 400.0, ..stored.clone() };
    assert!(matches!(store.correct_measurement(user.id, reading, &absurd).await, Err(StoreError::Invalid(_))));

    // Deleted: gone from the readings, kept in the trail; a second delete finds nothing.
    store.delete_measurement(user.id, reading).await.unwrap();
    assert!(store.measurements(user.id).await.unwrap().is_empty());
    assert!(matches!(store.delete_measurement(user.id, reading).await, Err(StoreError::NotFound(_))));

    // A session: its exercises and sets go with it; its key is free again.
    let (session, _) = store.record_session(user.id, day("2026-11-24"), "k", &record()).await.unwrap();
    assert!(matches!(store.delete_session(other.id, session).await, Err(StoreError::NotFound(_))));
    let deleted = store.delete_session(user.id, session).await.unwrap();
    assert_eq!(deleted.record, record());
    assert!(store.sessions(user.id).await.unwrap().is_empty());
    assert_eq!(store.session_count_on(user.id, day("2026-11-24")).await.unwrap(), 0);
    assert_eq!(store.session_sent_before(user.id, "k").await.unwrap(), SentBefore::Deleted, "its key is remembered");
    assert_eq!(store.session_sent_before(other.id, "k").await.unwrap(), SentBefore::Never);
    assert_eq!(store.session_days(user.id, day("2026-11-01")).await.unwrap(), Vec::<NaiveDate>::new());
    let (again, created) = store.record_session(user.id, day("2026-11-24"), "k2", &record()).await.unwrap();
    assert!(created && again != session);
    store.record_session(user.id, day("2026-11-24"), "k3", &record()).await.unwrap();
    assert_eq!(store.session_days(user.id, day("2026-11-01")).await.unwrap(), vec![day("2026-11-24")], "one day, once");
    for (key, on) in [("k4", "2026-10-30"), ("k5", "2026-11-30"), ("k6", "2026-11-02"), ("k7", "2026-11-30")] {
        store.record_session(user.id, day(on), key, &record()).await.unwrap();
    }
    store.record_session(other.id, day("2026-11-10"), "k", &record()).await.unwrap();
    assert_eq!(
        store.session_days(user.id, day("2026-11-01")).await.unwrap(),
        vec![day("2026-11-02"), day("2026-11-24"), day("2026-11-30")],
        "each day of the window once, in order, nobody else's"
    );
    let trail = store.corrections(user.id).await.unwrap();
    assert_eq!(trail.len(), 3);
    assert_eq!((trail[2].record, trail[2].action), (CorrectedRecord::Session, CorrectionAction::Deleted));
    assert!(store.corrections(other.id).await.unwrap().is_empty());
    store.integrity_check().await.unwrap();
}
