//! Pain check-ins outside the player, the next-morning one above all.

use crate::model::{Moment, PainCheckin, UserId, from_key, now_ms};
use crate::sessions::parse_day;
use crate::{Store, StoreError};
use hipcoach_core::catalog::ExerciseId;
use hipcoach_core::spelling;
use hipcoach_core::units::PainScore;
use sqlx::Row;

impl Store {
    /// Stores a check-in; returns its id.
    pub async fn add_pain_checkin(&self, user: UserId, checkin: &PainCheckin) -> Result<i64, StoreError> {
        if let Some(exercise) = &checkin.exercise {
            self.check_exercise(exercise)?;
        }
        let mut tx = self.begin_write().await?;
        let id = insert_checkin(&mut tx, user, checkin, now_ms()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Every check-in of `user`, oldest first.
    pub async fn pain_checkins(&self, user: UserId) -> Result<Vec<PainCheckin>, StoreError> {
        let rows = sqlx::query(
            "SELECT day, moment, exercise_id, score, sharp, stiffer, recorded_at_ms FROM pain_checkins WHERE user_id = $1 ORDER BY day, id",
        )
        .bind(user.0)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let exercise: Option<String> = row.try_get("exercise_id")?;
                Ok(PainCheckin {
                    day: parse_day(&row.try_get::<String, _>("day")?)?,
                    moment: from_key::<Moment>("moment", &row.try_get::<String, _>("moment")?)?,
                    exercise: exercise.map(|e| ExerciseId::parse(&e)).transpose().map_err(StoreError::Conflict)?,
                    score: PainScore::new(row.try_get("score")?).map_err(|e| StoreError::Conflict(e.to_string()))?,
                    sharp: row.try_get::<i64, _>("sharp")? != 0,
                    stiffer: row.try_get::<i64, _>("stiffer")? != 0,
                    recorded_at_ms: row.try_get("recorded_at_ms")?,
                })
            })
            .collect()
    }
}

pub(crate) async fn insert_checkin(
    tx: &mut crate::write::Write,
    user: UserId,
    checkin: &PainCheckin,
    recorded_at_ms: i64,
) -> Result<i64, StoreError> {
    let row = sqlx::query(
        "INSERT INTO pain_checkins (user_id, day, moment, exercise_id, score, sharp, stiffer, recorded_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(user.0)
    .bind(checkin.day.to_string())
    .bind(spelling(&checkin.moment))
    .bind(checkin.exercise.as_ref().map(|e| e.as_str().to_owned()))
    .bind(i64::from(checkin.score.get()))
    .bind(i64::from(checkin.sharp))
    .bind(i64::from(checkin.stiffer))
    .bind(recorded_at_ms)
    .fetch_one(&mut **tx)
    .await?;
    Ok(row.try_get("id")?)
}
