//! Exercise ratings and swaps ("find what works for you").

use crate::model::{Preference, Rating, UserId, from_key, now_ms};
use crate::{Store, StoreError};
use hipcoach_core::catalog::ExerciseId;
use hipcoach_core::spelling;
use sqlx::Row;

impl Store {
    /// Sets (or replaces) the rating and swap for one exercise.
    pub async fn set_preference(&self, user: UserId, preference: &Preference) -> Result<(), StoreError> {
        self.check_exercise(&preference.exercise)?;
        if let Some(swap) = &preference.swapped_for {
            self.check_exercise(swap)?;
            if swap == &preference.exercise {
                return Err(StoreError::invalid("an exercise cannot be swapped for itself"));
            }
        }
        let mut tx = self.begin_write().await?;
        upsert_preference(&mut tx, user, preference, now_ms()).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every rating of `user`, by exercise id.
    pub async fn preferences(&self, user: UserId) -> Result<Vec<Preference>, StoreError> {
        let rows = sqlx::query(
            "SELECT exercise_id, rating, swapped_for, updated_at_ms FROM exercise_preferences WHERE user_id = $1 ORDER BY exercise_id",
        )
        .bind(user.0)
        .fetch_all(&self.reader)
        .await?;
        rows.iter()
            .map(|row| {
                let swapped: Option<String> = row.try_get("swapped_for")?;
                Ok(Preference {
                    exercise: ExerciseId::parse(&row.try_get::<String, _>("exercise_id")?)
                        .map_err(StoreError::Conflict)?,
                    rating: from_key::<Rating>("rating", &row.try_get::<String, _>("rating")?)?,
                    swapped_for: swapped.map(|s| ExerciseId::parse(&s)).transpose().map_err(StoreError::Conflict)?,
                    updated_at_ms: row.try_get("updated_at_ms")?,
                })
            })
            .collect()
    }
}

pub(crate) async fn upsert_preference(
    tx: &mut crate::write::Write,
    user: UserId,
    preference: &Preference,
    updated_at_ms: i64,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO exercise_preferences (user_id, exercise_id, rating, swapped_for, updated_at_ms) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (user_id, exercise_id) DO UPDATE SET rating = excluded.rating, swapped_for = excluded.swapped_for, \
         updated_at_ms = excluded.updated_at_ms",
    )
    .bind(user.0)
    .bind(preference.exercise.as_str())
    .bind(spelling(&preference.rating))
    .bind(preference.swapped_for.as_ref().map(|s| s.as_str().to_owned()))
    .bind(updated_at_ms)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
