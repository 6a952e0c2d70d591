//! Pain outside the player: before a session, and the morning after.
//!
//! The morning check decides whether yesterday's dose was tolerated (pain 2 or more points above
//! that day's baseline, or a stiffer hip, drops the session's exercises one level; a green
//! morning lets stretches step up), so it is stored against the day of the last session before
//! today and progression runs at once. Pain before a session is the baseline that check compares
//! with; the terminal asks it before playing, the page sends it with the finished session.

use crate::calendar;
use crate::error::{Result, WorkflowError};
use crate::program::Program;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_core::program::Change;
use hipcoach_core::units::PainScore;
use hipcoach_store::{Moment, PainCheckin, Store, UserId};

/// A check-in as the person gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkin {
    /// Before today's session, or the morning after the last one.
    pub moment: Moment,
    /// Hip pain, 0–10.
    pub pain: PainScore,
    /// Whether the hip feels stiffer than usual.
    pub stiffer: bool,
}

impl Checkin {
    /// Hip pain before today's session.
    pub fn before(pain: PainScore) -> Self {
        Self { moment: Moment::Before, pain, stiffer: false }
    }
}

/// What a check-in was stored against, and what it changed.
#[derive(Debug, Clone)]
pub struct CheckedIn {
    /// The session day it belongs to.
    pub day: NaiveDate,
    /// The review it led to: `None` when nothing was reviewed (a before check-in, or a morning
    /// whose session progression has not seen).
    pub changes: Option<Vec<Change>>,
    /// The earlier answer for the same day and moment that this one takes over from, if any
    /// (the latest answer counts; both are kept).
    pub replaced: Option<PainScore>,
}

/// Stores a check-in; a morning check reviews progression at once.
pub async fn record_checkin(
    store: &Store,
    catalog: &Catalog,
    user: UserId,
    today: NaiveDate,
    checkin: Checkin,
) -> Result<CheckedIn> {
    let day = match checkin.moment {
        Moment::NextMorning => {
            let sessions = store.sessions(user).await?;
            sessions.iter().map(|s| s.day).filter(|d| *d < today).max().ok_or_else(|| {
                WorkflowError::conflict(
                    "there is no session before today to check on; the morning check is for the morning after a session",
                )
            })?
        }
        _ => today,
    };
    let replaced =
        store.pain_checkins(user).await?.iter().rfind(|c| c.day == day && c.moment == checkin.moment).map(|c| c.score);
    let stored = PainCheckin {
        day,
        moment: checkin.moment,
        exercise: None,
        score: checkin.pain,
        sharp: false,
        stiffer: checkin.stiffer,
        recorded_at_ms: 0,
    };
    store.add_pain_checkin(user, &stored).await?;
    let mut changes = None;
    if checkin.moment == Moment::NextMorning {
        let mut program = Program::load(store, user).await?;
        if program.document.history.iter().any(|r| calendar::date_of(r.day) == day) {
            changes = Some(program.review(store, user, catalog, today).await?);
        }
    }
    Ok(CheckedIn { day, changes, replaced })
}

/// Today's "hip pain before the session", if one was given.
pub async fn baseline_of(store: &Store, user: UserId, today: NaiveDate) -> Result<Option<PainScore>> {
    let checkins = store.pain_checkins(user).await?;
    Ok(checkins.iter().rfind(|c| c.day == today && c.moment == Moment::Before).map(|c| c.score))
}
