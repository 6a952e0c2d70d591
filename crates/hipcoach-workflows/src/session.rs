//! A guided session from start to stored record: what the player plays, replaying the page's
//! log through the engine, and finishing — storing the record and letting progression review it.
//!
//! The terminal plays the engine itself; the page plays it too (compiled to WebAssembly) and
//! keeps a log of what the person did, stamped with its own clock, which the server replays
//! through the same engine ([`timeline`], deterministic, so the server keeps no session
//! state). Either way the stored record is the one the engine produced, and [`finish`] is the
//! one path from a played session to the store and the review.

use crate::calendar;
use crate::checkin::{Checkin, baseline_of, record_checkin};
use crate::error::{Result, WorkflowError};
use crate::program::Program;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_core::program::{self, Change};
use hipcoach_core::session::timeline::{self, Logged};
use hipcoach_core::session::{Pace, SessionItem, SessionRecord};
use hipcoach_core::units::PainScore;
use hipcoach_store::{SentBefore, Store, UserId};

/// A session as it was played, ready to store.
#[derive(Debug, Clone)]
pub struct PlayedSession {
    /// The front end's key for it, so a retry stores it once.
    pub key: String,
    /// The engine's record.
    pub record: SessionRecord,
    /// Whether it was this week's planned session (reviewed by progression) or a one-off.
    pub planned: bool,
    /// Hip pain before starting, when the front end asked it with the session rather than
    /// storing it beforehand as a check-in.
    pub pain_before: Option<PainScore>,
    /// The day it was done, when that is before the day it is reviewed (a session kept on a
    /// device that arrives late); `None` is the review's day.
    pub done_on: Option<NaiveDate>,
}

/// What happened to a finished session.
#[derive(Debug, Clone)]
pub struct Finished {
    /// The stored session's id.
    pub id: i64,
    /// False when this key was stored before (a retry): nothing was stored or reviewed again.
    pub created: bool,
    /// What progression made of it.
    pub review: Review,
}

/// What progression made of a finished session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Review {
    /// A one-off session: no plan prescribed it, so it is not reviewed.
    OneOff,
    /// A retry of a session stored before.
    AlreadyStored,
    /// No exercise had its pain check answered, so there is nothing to judge the dose by.
    NothingToReview,
    /// The decisions, each with its sentence.
    Reviewed(Vec<Change>),
}

/// Stores a played session and, when it was this week's planned session, lets progression
/// review it against the plan it came from. The one path both front ends take.
pub async fn finish(
    store: &Store,
    catalog: &Catalog,
    user: UserId,
    today: NaiveDate,
    played: PlayedSession,
) -> Result<Finished> {
    let (id, created) =
        store.record_session(user, played.done_on.unwrap_or(today), &played.key, &played.record).await?;
    if !created {
        return Ok(Finished { id, created, review: Review::AlreadyStored });
    }
    if let Some(before) = played.pain_before {
        record_checkin(store, catalog, user, today, Checkin::before(before)).await?;
    }
    if !played.planned {
        return Ok(Finished { id, created, review: Review::OneOff });
    }
    let mut program = Program::load(store, user).await?;
    let plan = program.plan(catalog, today)?;
    let Some(next) = program.next_session(&plan, catalog, today) else {
        return Ok(Finished { id, created, review: Review::NothingToReview });
    };
    let day = calendar::day_of(today);
    let baseline = baseline_of(store, user, today).await?.unwrap_or(PainScore::NONE);
    // The session's exercises as planned: the next session's first, then the whole week's,
    // for a session that arrives late from a device that played an earlier one.
    let planned: Vec<_> =
        next.session.items.iter().chain(plan.sessions.iter().flat_map(|s| &s.items)).cloned().collect();
    let reviewed = program::SessionRecord::from_played(day, baseline, &planned, &played.record);
    if reviewed.exercises.is_empty() {
        return Ok(Finished { id, created, review: Review::NothingToReview });
    }
    // Progression reads one record per day: a second session the same day joins the first,
    // so what the first one stopped for pain still counts today.
    match program.document.history.iter_mut().find(|r| r.day == day) {
        Some(earlier) => {
            earlier.baseline = reviewed.baseline;
            for exercise in reviewed.exercises {
                earlier.exercises.retain(|e| e.exercise != exercise.exercise);
                earlier.exercises.push(exercise);
            }
        }
        None => program.document.history.push(reviewed),
    }
    let changes = program.review(store, user, catalog, today).await?;
    Ok(Finished { id, created, review: Review::Reviewed(changes) })
}

/// The page's finished session: its key, the exercises it chose (none for the planned
/// session), its log and the pain before starting.
#[derive(Debug, Clone)]
pub struct LoggedSession {
    /// The page's key, so a retry stores it once.
    pub key: String,
    /// Exercise ids of a one-off session; empty for this week's planned session.
    pub exercises: Vec<String>,
    /// What the person did.
    pub log: Vec<Logged>,
    /// Hip pain before starting, when the page asked.
    pub pain_before: Option<PainScore>,
    /// The day it was done, by the page's calendar, when it was kept on the device before it
    /// could be sent; `None` is today.
    pub day: Option<NaiveDate>,
    /// The exercises the page played, with their doses, when it says: they are what the log
    /// is replayed against when this week's plan prescribes every one of them (a phone that
    /// kept an earlier session's page while offline); anything else is refused.
    pub played: Option<Vec<SessionItem>>,
}

/// Replays the page's log through the engine and [`finish`]es the session it played. A log
/// that stops early ends the session where it stopped, keeping what was done. A key stored
/// before (a retry after a lost answer) returns the stored session without replaying: the plan
/// may have moved on since, but what was stored stands.
pub async fn finish_logged(
    store: &Store,
    catalog: &Catalog,
    user: UserId,
    today: NaiveDate,
    pace: Pace,
    session: LoggedSession,
) -> Result<(SessionRecord, Finished)> {
    let program = Program::load(store, user).await?;
    finish_logged_with(store, catalog, user, &program, today, pace, session).await
}

/// [`finish_logged`] with the user's program as the caller already has it (the web's plan
/// cache, checked against the revision read with the login, so as fresh as loading it): the
/// write path then reads nothing the read path has already read.
pub async fn finish_logged_with(
    store: &Store,
    catalog: &Catalog,
    user: UserId,
    program: &Program,
    today: NaiveDate,
    pace: Pace,
    session: LoggedSession,
) -> Result<(SessionRecord, Finished)> {
    match store.session_sent_before(user, &session.key).await? {
        SentBefore::Stored(stored) => {
            let finished = Finished { id: stored.id, created: false, review: Review::AlreadyStored };
            return Ok((stored.record, finished));
        }
        SentBefore::Deleted => {
            return Err(WorkflowError::invalid(
                "key",
                "this session was deleted from your history, so it is not stored again",
            ));
        }
        SentBefore::Never => {}
    }
    let done_on = calendar::kept_day(session.day, today, "session")?;
    let planned = session.exercises.is_empty();
    // A late session is reviewed on its own day while progression has not gone past it; once
    // a later day has been reviewed it is reviewed today, so its pain is never skipped.
    let reviewed_through = program.document.state.sessions_reviewed_through();
    let today =
        if reviewed_through.is_some_and(|through| through >= calendar::day_of(done_on)) { today } else { done_on };
    // Replayed with the exercises the page was given: the session due on the day it was done.
    let items = if planned {
        let plan = program.plan(catalog, done_on)?;
        program.next_session_items(&plan, catalog, done_on)?.1
    } else {
        program.one_off_items(catalog, &session.exercises, done_on)?
    };
    // What the camera can watch is the server's to say, and a page from before the camera
    // coach sent its exercises without it: today's items decide it before comparing.
    let played = session.played.map(|mut played| {
        for (sent, due) in played.iter_mut().zip(&items) {
            if sent.exercise == due.exercise {
                sent.camera = due.camera;
            }
        }
        played
    });
    let items = match played {
        None => items,
        Some(played) if played == items => items,
        Some(played) if planned && program.prescribes(catalog, done_on, &played)? => played,
        Some(_) => {
            return Err(WorkflowError::conflict(format!(
                "your plan for {} changed on the server while this session waited on your device, so \
                 it cannot be checked against the exercises you did; it stays on this device, where you \
                 can discard it, and your next session follows the new plan",
                calendar::words(done_on)
            )));
        }
    };
    let record = timeline::record_of(items, pace, &session.log)?
        .ok_or_else(|| WorkflowError::invalid("log", "this log never starts the session"))?;
    let played = PlayedSession {
        key: session.key,
        record: record.clone(),
        planned,
        pain_before: session.pain_before,
        done_on: Some(done_on),
    };
    Ok((record, finish(store, catalog, user, today, played).await?))
}
