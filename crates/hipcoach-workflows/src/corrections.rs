//! Correcting the record: a reading entered wrong is corrected or deleted, a session logged by
//! mistake is deleted. Each change keeps the record as it was in the store's trail (the account
//! export carries it).
//!
//! A deleted session also leaves progression's history, so the next review no longer counts
//! it; a change the plan already made from it stands (the review that made it had its reasons
//! at the time) and is undone, if at all, by the usual rules.

use crate::calendar;
use crate::error::{Result, WorkflowError};
use crate::measuring::TRIAL_RANGE;
use crate::program::{Program, save};
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_core::units::Side;
use hipcoach_store::{DocumentKind, Measurement, Store, StoredSession, UserId};

/// A reading's day may go back at most this far: older is a typing slip.
const OLDEST_CORRECTION_DAYS: i64 = 3653;

/// What a person may correct in a reading: when, which hip, the angle and the end feel. The
/// test, the tool and its ± stay as measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadingCorrection {
    /// The day measured.
    pub day: NaiveDate,
    /// Which hip.
    pub side: Side,
    /// The new angle, in whole degrees; `None` keeps the reading's own (a reading from a
    /// phone or a camera may hold a fraction that a whole-degree form would round away).
    pub degrees: Option<i64>,
    /// Whether the end of the turn felt hard and blocked.
    pub hard_end_feel: bool,
}

/// Corrects reading `id`; returns it as stored now.
pub async fn correct_reading(
    store: &Store,
    user: UserId,
    today: NaiveDate,
    id: i64,
    correction: ReadingCorrection,
) -> Result<Measurement> {
    if correction.day > today {
        return Err(WorkflowError::invalid("day", "the day measured cannot be after today; check the date"));
    }
    if today.signed_duration_since(correction.day).num_days() > OLDEST_CORRECTION_DAYS {
        return Err(WorkflowError::invalid("day", "that day is more than ten years ago; check the date"));
    }
    if correction.degrees.is_some_and(|d| !TRIAL_RANGE.contains(&(d as f64))) {
        let (low, high) = (TRIAL_RANGE.start(), TRIAL_RANGE.end());
        return Err(WorkflowError::invalid(
            "degrees",
            format!("give the angle in whole degrees, from {low} to {high}"),
        ));
    }
    let before = store.measurement(user, id).await?;
    let corrected = Measurement {
        day: correction.day,
        side: correction.side,
        degrees: correction.degrees.map_or(before.degrees, |d| d as f64),
        hard_end_feel: correction.hard_end_feel,
        ..before
    };
    Ok(store.correct_measurement(user, id, &corrected).await?)
}

/// Deletes reading `id`; returns what it was.
pub async fn delete_reading(store: &Store, user: UserId, id: i64) -> Result<Measurement> {
    Ok(store.delete_measurement(user, id).await?)
}

/// Deletes session `id` and, when no other session was done that day, takes the day out of
/// progression's history and reviews the plan again. Returns what was deleted.
pub async fn delete_session(
    store: &Store,
    catalog: &Catalog,
    user: UserId,
    today: NaiveDate,
    id: i64,
) -> Result<StoredSession> {
    let deleted = store.delete_session(user, id).await?;
    if store.session_count_on(user, deleted.day).await? > 0 {
        return Ok(deleted);
    }
    let mut program = Program::load(store, user).await?;
    let day = calendar::day_of(deleted.day);
    let before = program.document.history.len();
    program.document.history.retain(|r| r.day != day);
    if program.document.history.len() == before {
        return Ok(deleted);
    }
    if program.screening.is_some() && program.profile.is_some() {
        program.review(store, user, catalog, today).await?;
    } else {
        save(store, user, DocumentKind::Plan, today, &program.document).await?;
    }
    Ok(deleted)
}
