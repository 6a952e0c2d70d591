//! Session records, stored set by set so spreadsheets and progression can read them.

use crate::group_commit::Job;
use crate::model::{SentBefore, StoredSession, UserId, from_key, now_ms};
use crate::{Store, StoreError};
use chrono::NaiveDate;
use hipcoach_core::catalog::ExerciseId;
use hipcoach_core::session::{ExerciseRecord, PainAnswer, SessionRecord, SetRecord, Working};
use hipcoach_core::spelling;
use hipcoach_core::units::PainScore;
use hipcoach_core::units::Side;
use sqlx::Row;
use std::collections::HashMap;

impl Store {
    /// Stores a finished session. Sending the same `client_key` again (a retry after a lost
    /// reply) returns the first copy's id instead of storing it twice; the flag says whether it
    /// was new.
    pub async fn record_session(
        &self,
        user: UserId,
        day: NaiveDate,
        client_key: &str,
        record: &SessionRecord,
    ) -> Result<(i64, bool), StoreError> {
        self.check_session(client_key, record)?;
        let (key, record, recorded_at_ms) = (client_key.to_owned(), record.clone(), now_ms());
        self.commit_with_others(|reply| Job::Session { user, day, key, recorded_at_ms, record, reply }).await
    }

    pub(crate) fn check_session(&self, client_key: &str, record: &SessionRecord) -> Result<(), StoreError> {
        if client_key.trim().is_empty() || client_key.len() > 100 {
            return Err(StoreError::invalid("a session needs a client key of 1 to 100 characters"));
        }
        if record.exercises.is_empty() {
            return Err(StoreError::invalid("a session record needs at least one exercise"));
        }
        for exercise in &record.exercises {
            self.check_exercise(&exercise.exercise)?;
        }
        Ok(())
    }

    pub(crate) fn check_exercise(&self, id: &ExerciseId) -> Result<(), StoreError> {
        if self.catalog.get(id.as_str()).is_none() {
            return Err(StoreError::invalid(format!(
                "`{id}` is not an exercise in the catalog; list them with `hipcoach exercises`"
            )));
        }
        Ok(())
    }

    /// Every session of `user`, oldest first.
    pub async fn sessions(&self, user: UserId) -> Result<Vec<StoredSession>, StoreError> {
        self.load_sessions(user, Selection::All).await
    }

    /// The `limit` latest sessions of `user` stored before the session `before` (all, without
    /// it), oldest first: the pages of a long history.
    pub async fn recent_sessions(
        &self,
        user: UserId,
        before: Option<i64>,
        limit: u32,
    ) -> Result<Vec<StoredSession>, StoreError> {
        self.load_sessions(user, Selection::Latest { before: before.unwrap_or(i64::MAX), limit }).await
    }

    /// How many sessions `user` has stored.
    pub async fn session_count(&self, user: UserId) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .fetch_one(&self.reader)
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// The days from `from` on with at least one session of `user`, oldest first: bounded by
    /// the window asked for, however long the history.
    pub async fn session_days(&self, user: UserId, from: NaiveDate) -> Result<Vec<NaiveDate>, StoreError> {
        // One index seek per day (a skip scan), not one step per session: however many
        // sessions a day holds, the window's days cost the same.
        let days: Vec<String> = sqlx::query_scalar(
            "WITH RECURSIVE days(day) AS ( \
               SELECT MIN(day) FROM sessions WHERE user_id = $1 AND day >= $2 \
               UNION ALL \
               SELECT (SELECT MIN(day) FROM sessions WHERE user_id = $1 AND day > days.day) FROM days \
               WHERE days.day IS NOT NULL \
             ) SELECT day FROM days WHERE day IS NOT NULL",
        )
        .bind(user.0)
        .bind(from.to_string())
        .fetch_all(&self.reader)
        .await?;
        days.iter().map(|d| parse_day(d)).collect()
    }

    /// The day of `user`'s first session, if any.
    pub async fn first_session_day(&self, user: UserId) -> Result<Option<NaiveDate>, StoreError> {
        let day: Option<String> = sqlx::query_scalar("SELECT MIN(day) FROM sessions WHERE user_id = $1")
            .bind(user.0)
            .fetch_one(&self.reader)
            .await?;
        day.as_deref().map(parse_day).transpose()
    }

    /// How many sessions `user` stored for `day`.
    pub async fn session_count_on(&self, user: UserId, day: NaiveDate) -> Result<u64, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions WHERE user_id = $1 AND day = $2")
            .bind(user.0)
            .bind(day.to_string())
            .fetch_one(&self.reader)
            .await?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    /// One session, only if it belongs to `user`.
    pub async fn session(&self, user: UserId, id: i64) -> Result<StoredSession, StoreError> {
        self.load_sessions(user, Selection::One(id)).await?.pop().ok_or(StoreError::NotFound("session"))
    }

    /// What became of a session key sent before, in one query: stored (a retry after a lost
    /// answer: its first copy), deleted (a phone's late retry must not bring it back), or new.
    pub async fn session_sent_before(&self, user: UserId, client_key: &str) -> Result<SentBefore, StoreError> {
        let row = sqlx::query(
            "SELECT (SELECT id FROM sessions WHERE user_id = $1 AND client_key = $2) AS stored, \
             (SELECT id FROM corrections WHERE user_id = $1 AND record = $3 AND action = 'deleted' \
              AND client_key = $2 LIMIT 1) AS deleted",
        )
        .bind(user.0)
        .bind(client_key)
        .bind(spelling(&crate::CorrectedRecord::Session))
        .fetch_one(&self.reader)
        .await?;
        let (stored, deleted): (Option<i64>, Option<i64>) = (row.try_get("stored")?, row.try_get("deleted")?);
        Ok(match (stored, deleted) {
            (Some(id), _) => match self.load_sessions(user, Selection::One(id)).await?.pop() {
                Some(session) => SentBefore::Stored(session),
                None => SentBefore::Never,
            },
            (None, Some(_)) => SentBefore::Deleted,
            (None, None) => SentBefore::Never,
        })
    }

    /// Three queries however many sessions are asked for (sessions, their exercises, their
    /// sets), put together in one pass: a long history costs time in proportion to its size.
    async fn load_sessions(&self, user: UserId, selection: Selection) -> Result<Vec<StoredSession>, StoreError> {
        let sessions = format!(
            "SELECT s.id, s.day, s.client_key, s.recorded_at_ms, s.ended_early, s.active_ms FROM sessions s \
             WHERE s.user_id = $1 AND {} ORDER BY s.day, s.id",
            selection.condition()
        );
        let sessions = selection.bind(sqlx::query(&sessions), user).fetch_all(&self.reader).await?;
        // The parts of exactly these sessions: "the latest n" asked again could be other
        // sessions by now (a session stored meanwhile), ids in between cannot.
        let selection = match selection {
            Selection::Latest { .. } => {
                let ids = sessions.iter().map(|row| row.try_get::<i64, _>("id")).collect::<Result<Vec<_>, _>>()?;
                match (ids.iter().min(), ids.iter().max()) {
                    (Some(&first), Some(&last)) => Selection::Between(first, last),
                    _ => return Ok(Vec::new()),
                }
            }
            other => other,
        };
        let which = selection.condition();
        let exercises = format!(
            "SELECT e.session_id, e.position, e.exercise_id, e.pain, e.pain_score, e.red_sign FROM session_exercises e \
             JOIN sessions s ON s.id = e.session_id WHERE s.user_id = $1 AND {which} ORDER BY e.session_id, e.position"
        );
        let exercises = selection.bind(sqlx::query(&exercises), user).fetch_all(&self.reader).await?;
        let sets = format!(
            "SELECT t.session_id, t.position, t.set_number, t.working, t.outcome, t.reps_done, t.hold_seconds_done \
             FROM session_sets t JOIN sessions s ON s.id = t.session_id WHERE s.user_id = $1 AND {which} \
             ORDER BY t.session_id, t.position, t.ordinal"
        );
        let sets = selection.bind(sqlx::query(&sets), user).fetch_all(&self.reader).await?;

        let mut sets_of: HashMap<(i64, i64), Vec<SetRecord>> = HashMap::new();
        for set in &sets {
            let key = (set.try_get("session_id")?, set.try_get("position")?);
            sets_of.entry(key).or_default().push(set_record(set)?);
        }
        let mut exercises_of: HashMap<i64, Vec<ExerciseRecord>> = HashMap::new();
        for exercise in &exercises {
            let session: i64 = exercise.try_get("session_id")?;
            let position: i64 = exercise.try_get("position")?;
            let exercise_id: String = exercise.try_get("exercise_id")?;
            exercises_of.entry(session).or_default().push(ExerciseRecord {
                exercise: ExerciseId::parse(&exercise_id).map_err(StoreError::Conflict)?,
                sets: sets_of.remove(&(session, position)).unwrap_or_default(),
                pain: pain_answer(exercise)?,
            });
        }
        sessions
            .iter()
            .map(|row| {
                let id: i64 = row.try_get("id")?;
                Ok(StoredSession {
                    id,
                    day: parse_day(&row.try_get::<String, _>("day")?)?,
                    client_key: row.try_get("client_key")?,
                    recorded_at_ms: row.try_get("recorded_at_ms")?,
                    record: SessionRecord {
                        exercises: exercises_of.remove(&id).unwrap_or_default(),
                        ended_early: row.try_get::<i64, _>("ended_early")? != 0,
                        active_ms: u64::try_from(row.try_get::<i64, _>("active_ms")?).unwrap_or(0),
                    },
                })
            })
            .collect()
    }
}

/// Which sessions to load.
#[derive(Debug, Clone, Copy)]
enum Selection {
    All,
    One(i64),
    Latest { before: i64, limit: u32 },
    Between(i64, i64),
}

impl Selection {
    /// The selection as a condition on `sessions s`, with `$2` and `$3` bound by [`Self::bind`].
    fn condition(self) -> &'static str {
        match self {
            Selection::All => "TRUE",
            Selection::One(_) => "s.id = $2",
            // A range from the oldest of the latest `limit`: the (user, id) index reads just
            // those (an `IN` list here had the planner read every session of the user).
            Selection::Latest { .. } => {
                "s.id < $2 AND s.id >= (SELECT MIN(id) FROM \
                 (SELECT id FROM sessions WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3) AS latest)"
            }
            Selection::Between(..) => "s.id BETWEEN $2 AND $3",
        }
    }

    /// Binds the parameters of the selection's condition, after the user's `$1`.
    fn bind<'q>(
        self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
        user: UserId,
    ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
        match self {
            Selection::All => query.bind(user.0),
            Selection::One(id) => query.bind(user.0).bind(id),
            Selection::Latest { before, limit } => query.bind(user.0).bind(before).bind(i64::from(limit)),
            Selection::Between(first, last) => query.bind(user.0).bind(first).bind(last),
        }
    }
}

/// A stored exercise's pain answer: every red sign is stored as `sharp` with its kind beside it.
fn pain_answer(row: &sqlx::any::AnyRow) -> Result<PainAnswer, StoreError> {
    Ok(match (row.try_get::<String, _>("pain")?.as_str(), row.try_get::<Option<i64>, _>("pain_score")?) {
        ("score", Some(score)) => {
            PainAnswer::Score(PainScore::new(score).map_err(|e| StoreError::Conflict(format!("stored pain: {e}")))?)
        }
        ("sharp", _) => match row.try_get::<Option<String>, _>("red_sign")?.as_deref() {
            Some("pinching") => PainAnswer::Pinching,
            Some("catching-or-locking") => PainAnswer::CatchingOrLocking,
            Some("tingling-or-numbness") => PainAnswer::TinglingOrNumbness,
            _ => PainAnswer::Sharp,
        },
        _ => PainAnswer::NotAnswered,
    })
}

fn set_record(row: &sqlx::any::AnyRow) -> Result<SetRecord, StoreError> {
    let count = |n: i64| n.clamp(0, i64::from(u16::MAX)) as u16;
    Ok(SetRecord {
        set: u16::try_from(row.try_get::<i64, _>("set_number")?).unwrap_or(u16::MAX),
        working: working_from_key(&row.try_get::<String, _>("working")?)?,
        outcome: from_key("outcome", &row.try_get::<String, _>("outcome")?)?,
        reps_done: row.try_get::<Option<i64>, _>("reps_done")?.map(count),
        hold_seconds_done: row.try_get::<Option<i64>, _>("hold_seconds_done")?.map(count),
    })
}

pub(crate) async fn insert_session(
    tx: &mut crate::write::Write,
    user: UserId,
    day: NaiveDate,
    client_key: &str,
    recorded_at_ms: i64,
    record: &SessionRecord,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO sessions (user_id, client_key, day, recorded_at_ms, ended_early, active_ms) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(user.0)
    .bind(client_key)
    .bind(day.to_string())
    .bind(recorded_at_ms)
    .bind(i64::from(record.ended_early))
    .bind(i64::try_from(record.active_ms).unwrap_or(i64::MAX))
    .fetch_one(&mut **tx)
    .await?;
    let id: i64 = row.try_get("id")?;
    for (position, exercise) in record.exercises.iter().enumerate() {
        // Every red sign is stored as pain = 'sharp' (what the table has always allowed), with
        // the kind beside it.
        let (pain, score, red_sign) = match exercise.pain {
            PainAnswer::Score(score) => ("score", Some(i64::from(score.get())), None),
            PainAnswer::Sharp => ("sharp", None, None),
            PainAnswer::Pinching => ("sharp", None, Some("pinching")),
            PainAnswer::CatchingOrLocking => ("sharp", None, Some("catching-or-locking")),
            PainAnswer::TinglingOrNumbness => ("sharp", None, Some("tingling-or-numbness")),
            PainAnswer::NotAnswered => ("not-answered", None, None),
        };
        sqlx::query("INSERT INTO session_exercises (session_id, position, exercise_id, pain, pain_score, red_sign) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(position as i64)
            .bind(exercise.exercise.as_str())
            .bind(pain)
            .bind(score)
            .bind(red_sign)
            .execute(&mut **tx)
            .await?;
        for (ordinal, set) in exercise.sets.iter().enumerate() {
            sqlx::query(
                "INSERT INTO session_sets (session_id, position, ordinal, set_number, working, outcome, reps_done, hold_seconds_done) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(ordinal as i64)
            .bind(i64::from(set.set))
            .bind(working_key(set.working))
            .bind(spelling(&set.outcome))
            .bind(set.reps_done.map(i64::from))
            .bind(set.hold_seconds_done.map(i64::from))
            .execute(&mut **tx)
            .await
            .map_err(|error| match error {
                sqlx::Error::Database(e) if e.is_unique_violation() => StoreError::invalid(format!(
                    "exercise {} lists set {} on the {} side twice",
                    exercise.exercise,
                    set.set,
                    working_key(set.working)
                )),
                other => other.into(),
            })?;
        }
    }
    Ok(id)
}

pub(crate) fn working_key(working: Working) -> &'static str {
    match working {
        Working::Side(Side::Left) => "left",
        Working::Side(Side::Right) => "right",
        Working::Both => "both",
        Working::Alternating => "alternating",
    }
}

fn working_from_key(text: &str) -> Result<Working, StoreError> {
    Ok(match text {
        "left" => Working::Side(Side::Left),
        "right" => Working::Side(Side::Right),
        "both" => Working::Both,
        "alternating" => Working::Alternating,
        other => return Err(StoreError::Conflict(format!("unexpected value `{other}` in column working"))),
    })
}

/// Reads a stored ISO day.
pub(crate) fn parse_day(text: &str) -> Result<NaiveDate, StoreError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Conflict(format!("stored day `{text}` is not a date")))
}
