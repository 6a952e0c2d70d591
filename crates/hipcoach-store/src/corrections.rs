//! Corrections: a reading edited or deleted, a session deleted. Each is one write that also
//! keeps the record as it was (and as it became) in `corrections`, so a change never erases
//! the trace of what was there: the account export carries the trail.

use crate::model::{
    CorrectedRecord, Correction, CorrectionAction, Measurement, StoredSession, UserId, from_key, now_ms,
};
use crate::{Store, StoreError};
use hipcoach_core::spelling;
use serde::Serialize;
use sqlx::Row;

impl Store {
    /// Replaces a reading by its corrected version (the time it was stored stays); the old
    /// one goes into the trail. Returns the reading as stored now.
    pub async fn correct_measurement(
        &self,
        user: UserId,
        id: i64,
        corrected: &Measurement,
    ) -> Result<Measurement, StoreError> {
        crate::measurements::check_measurement(corrected)?;
        let before = self.measurement(user, id).await?;
        let after = Measurement { recorded_at_ms: before.recorded_at_ms, ..corrected.clone() };
        let mut write = self.begin_write().await?;
        let update = sqlx::query(
            "UPDATE measurements SET day = $3, side = $4, position = $5, method = $6, rater = $7, degrees = $8, \
             uncertainty = $9, measured_by = $10, hard_end_feel = $11 WHERE user_id = $1 AND id = $2",
        )
        .bind(user.0)
        .bind(id);
        let done = crate::measurements::bind_reading(update, &after).execute(&mut *write).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("measurement"));
        }
        let correction =
            Correction::new(CorrectedRecord::Measurement, CorrectionAction::Edited, &before, Some(&after))?;
        insert_correction(&mut write, user, &correction).await?;
        write.commit().await?;
        Ok(after)
    }

    /// Deletes a reading, keeping it in the trail.
    pub async fn delete_measurement(&self, user: UserId, id: i64) -> Result<Measurement, StoreError> {
        let before = self.measurement(user, id).await?;
        let mut write = self.begin_write().await?;
        delete_with_trail(&mut write, user, id, CorrectedRecord::Measurement, &before).await?;
        write.commit().await?;
        Ok(before)
    }

    /// Deletes a session with its exercises and sets, keeping it in the trail with its key
    /// ([`Store::session_sent_before`]), so a phone's late retry does not bring it back.
    pub async fn delete_session(&self, user: UserId, id: i64) -> Result<StoredSession, StoreError> {
        let before = self.session(user, id).await?;
        let mut write = self.begin_write().await?;
        for statement in [
            "DELETE FROM session_sets WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1 AND id = $2)",
            "DELETE FROM session_exercises WHERE session_id IN (SELECT id FROM sessions WHERE user_id = $1 AND id = $2)",
        ] {
            sqlx::query(statement).bind(user.0).bind(id).execute(&mut *write).await?;
        }
        delete_with_trail(&mut write, user, id, CorrectedRecord::Session, &before).await?;
        write.commit().await?;
        Ok(before)
    }

    /// Whether `user` deleted a record of this kind stored under `client_key` (the trail keeps
    /// the key of every deleted record that had one).
    pub(crate) async fn deleted_with_key(
        &self,
        user: UserId,
        record: CorrectedRecord,
        client_key: &str,
    ) -> Result<bool, StoreError> {
        let found: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM corrections WHERE user_id = $1 AND record = $2 AND action = 'deleted' AND client_key = $3 LIMIT 1",
        )
        .bind(user.0)
        .bind(spelling(&record))
        .bind(client_key)
        .fetch_optional(&self.reader)
        .await?;
        Ok(found.is_some())
    }

    /// Every correction of `user`, oldest first.
    pub async fn corrections(&self, user: UserId) -> Result<Vec<Correction>, StoreError> {
        let rows = sqlx::query(
            "SELECT record, action, before, after, changed_at_ms FROM corrections WHERE user_id = $1 ORDER BY id",
        )
        .bind(user.0)
        .fetch_all(&self.reader)
        .await?;
        let json = |text: String| {
            serde_json::from_str(&text)
                .map_err(|e| StoreError::Conflict(format!("a stored correction is not JSON: {e}")))
        };
        rows.iter()
            .map(|row| {
                Ok(Correction {
                    record: from_key("record", &row.try_get::<String, _>("record")?)?,
                    action: from_key("action", &row.try_get::<String, _>("action")?)?,
                    before: json(row.try_get("before")?)?,
                    after: row.try_get::<Option<String>, _>("after")?.map(json).transpose()?,
                    changed_at_ms: row.try_get("changed_at_ms")?,
                })
            })
            .collect()
    }
}

impl Correction {
    fn new<T: Serialize>(
        record: CorrectedRecord,
        action: CorrectionAction,
        before: &T,
        after: Option<&T>,
    ) -> Result<Correction, StoreError> {
        let json = |value: &T| {
            serde_json::to_value(value).map_err(|e| StoreError::Conflict(format!("a record cannot be written: {e}")))
        };
        Ok(Correction {
            record,
            action,
            before: json(before)?,
            after: after.map(json).transpose()?,
            changed_at_ms: now_ms(),
        })
    }
}

/// Deletes row `id` of `user` (a session or a measurement) and puts `before` into the trail,
/// in the caller's write.
async fn delete_with_trail<T: Serialize>(
    write: &mut crate::write::Write,
    user: UserId,
    id: i64,
    record: CorrectedRecord,
    before: &T,
) -> Result<(), StoreError> {
    let (statement, what) = match record {
        CorrectedRecord::Session => ("DELETE FROM sessions WHERE user_id = $1 AND id = $2", "session"),
        CorrectedRecord::Measurement => ("DELETE FROM measurements WHERE user_id = $1 AND id = $2", "measurement"),
    };
    let done = sqlx::query(statement).bind(user.0).bind(id).execute(&mut **write).await?;
    if done.rows_affected() == 0 {
        return Err(StoreError::NotFound(what));
    }
    insert_correction(write, user, &Correction::new(record, CorrectionAction::Deleted, before, None)?).await
}

pub(crate) async fn insert_correction(
    write: &mut crate::write::Write,
    user: UserId,
    correction: &Correction,
) -> Result<(), StoreError> {
    // The record's device key, so that a late resend of a deleted record is known.
    let client_key = correction.before.get("client_key").and_then(|k| k.as_str()).map(str::to_owned);
    sqlx::query(
        "INSERT INTO corrections (user_id, record, action, before, after, client_key, changed_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(user.0)
    .bind(spelling(&correction.record))
    .bind(spelling(&correction.action))
    .bind(correction.before.to_string())
    .bind(correction.after.as_ref().map(|a| a.to_string()))
    .bind(client_key)
    .bind(correction.changed_at_ms)
    .execute(&mut **write)
    .await?;
    Ok(())
}
