//! Range-of-motion measurements, each with its method, side, position and uncertainty.

use crate::group_commit::Job;
use crate::model::{Measurement, UserId, from_key, now_ms};
use crate::sessions::parse_day;
use crate::{Store, StoreError};
use hipcoach_core::spelling;
use sqlx::Row;

/// Refuses readings no hip produces and uncertainties that claim impossible precision.
pub fn check_measurement(measurement: &Measurement) -> Result<(), StoreError> {
    if !measurement.degrees.is_finite() || !(-20.0..=90.0).contains(&measurement.degrees) {
        return Err(StoreError::invalid(format!(
            "{} degrees is not a hip internal-rotation reading: enter an angle between -20 and 90",
            measurement.degrees
        )));
    }
    if !measurement.uncertainty.is_finite() || !(0.5..=30.0).contains(&measurement.uncertainty) {
        return Err(StoreError::invalid(format!(
            "an uncertainty of ±{} degrees is not plausible: use 0.5 to 30 (a goniometer is about ±8)",
            measurement.uncertainty
        )));
    }
    if measurement.client_key.as_ref().is_some_and(|key| key.trim().is_empty() || key.len() > 100) {
        return Err(StoreError::invalid("a reading's key from a device is 1 to 100 characters"));
    }
    if measurement.measured_by.as_ref().is_some_and(|who| who.chars().count() > 100) {
        return Err(StoreError::invalid("the name of who measured is limited to 100 characters"));
    }
    Ok(())
}

impl Store {
    /// Stores a measurement; returns its id, the row as stored (with the time it was stored),
    /// and whether it is new: a reading whose [`Measurement::client_key`] was stored before (a
    /// device sending again after a lost answer) is not stored twice, and the stored one answers.
    pub async fn add_measurement(
        &self,
        user: UserId,
        measurement: &Measurement,
    ) -> Result<(i64, Measurement, bool), StoreError> {
        check_measurement(measurement)?;
        let measurement = Measurement { recorded_at_ms: now_ms(), ..measurement.clone() };
        self.commit_with_others(|reply| Job::Measurement { user, measurement, reply }).await
    }

    /// Whether a reading with this device key was stored and then deleted, so that a late
    /// resend from the device does not bring it back.
    pub async fn measurement_was_deleted(&self, user: UserId, client_key: &str) -> Result<bool, StoreError> {
        self.deleted_with_key(user, crate::CorrectedRecord::Measurement, client_key).await
    }

    /// Every measurement of `user`, oldest first.
    pub async fn measurements(&self, user: UserId) -> Result<Vec<Measurement>, StoreError> {
        Ok(self.stored_measurements(user).await?.into_iter().map(|(_, m)| m).collect())
    }

    /// Every measurement of `user` with its id (to correct or delete it), oldest first.
    pub async fn stored_measurements(&self, user: UserId) -> Result<Vec<(i64, Measurement)>, StoreError> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM measurements WHERE user_id = $1 ORDER BY day, id"))
            .bind(user.0)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(|row| Ok((row.try_get("id")?, measurement(row)?))).collect()
    }

    /// One measurement of `user`.
    pub async fn measurement(&self, user: UserId, id: i64) -> Result<Measurement, StoreError> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM measurements WHERE user_id = $1 AND id = $2"))
            .bind(user.0)
            .bind(id)
            .fetch_optional(&self.reader)
            .await?
            .ok_or(StoreError::NotFound("measurement"))?;
        measurement(&row)
    }
}

pub(crate) const COLUMNS: &str = "id, day, side, position, method, rater, degrees, uncertainty, measured_by, hard_end_feel, recorded_at_ms, client_key";

pub(crate) fn measurement(row: &sqlx::any::AnyRow) -> Result<Measurement, StoreError> {
    Ok(Measurement {
        day: parse_day(&row.try_get::<String, _>("day")?)?,
        side: from_key("side", &row.try_get::<String, _>("side")?)?,
        position: from_key("position", &row.try_get::<String, _>("position")?)?,
        method: from_key("method", &row.try_get::<String, _>("method")?)?,
        rater: from_key("rater", &row.try_get::<String, _>("rater")?)?,
        degrees: row.try_get("degrees")?,
        uncertainty: row.try_get("uncertainty")?,
        measured_by: row.try_get("measured_by")?,
        hard_end_feel: row.try_get::<i64, _>("hard_end_feel")? != 0,
        recorded_at_ms: row.try_get("recorded_at_ms")?,
        client_key: row.try_get("client_key")?,
    })
}

/// Inserts a reading; `None` when its device key is already stored for this user.
pub(crate) async fn insert_measurement(
    tx: &mut crate::write::Write,
    user: UserId,
    m: &Measurement,
    recorded_at_ms: i64,
) -> Result<Option<i64>, StoreError> {
    let insert = sqlx::query(
        "INSERT INTO measurements (user_id, day, side, position, method, rater, degrees, uncertainty, measured_by, hard_end_feel, recorded_at_ms, client_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (user_id, client_key) WHERE client_key IS NOT NULL DO NOTHING RETURNING id",
    )
    .bind(user.0);
    let row = bind_reading(insert, m).bind(recorded_at_ms).bind(m.client_key.clone()).fetch_optional(&mut **tx).await?;
    row.map(|row| row.try_get("id")).transpose().map_err(StoreError::from)
}

/// Binds what a reading says (day through end feel, nine values in the order of
/// [`COLUMNS`] after the id) to the next placeholders: one order for storing and correcting.
pub(crate) fn bind_reading<'q>(
    query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    m: &Measurement,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(m.day.to_string())
        .bind(spelling(&m.side))
        .bind(spelling(&m.position))
        .bind(spelling(&m.method))
        .bind(spelling(&m.rater))
        .bind(m.degrees)
        .bind(m.uncertainty)
        .bind(m.measured_by.clone())
        .bind(i64::from(m.hard_end_feel))
}
