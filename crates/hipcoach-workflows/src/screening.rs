//! Storing the safety answers, and with them the goal and time the onboarding form asks for.
//!
//! The answers are kept as given (so they can be shown and edited again) beside the parsed
//! [`Answers`] and the [`ScreeningOutcome`]; every version is kept. The lowest of the latest
//! measured readings goes into the screening, since at 50 and over a very stiff hip suggests a
//! review first.

use crate::error::Result;
use crate::program::{Program, StoredScreening, range_of_motion, save};
use chrono::NaiveDate;
use hipcoach_core::catalog::{Equipment, Goal};
use hipcoach_core::program::{
    AgeAnswer, Answers, IrBySide, Preferences, Profile, QuestionId, Response, ScreeningOutcome, screen,
};
use hipcoach_core::units::{SessionMinutes, SessionsPerWeek};
use hipcoach_store::{DocumentKind, Store, UserId};
use std::collections::{BTreeMap, BTreeSet};

/// Screens the answers and stores them with the outcome.
pub async fn record_screening(
    store: &Store,
    user: UserId,
    today: NaiveDate,
    responses: BTreeMap<QuestionId, Response>,
    mut answers: Answers,
) -> Result<ScreeningOutcome> {
    let program = Program::load(store, user).await?;
    let rom = range_of_motion(&program.measurements, true);
    answers.lowest_measured_ir = [rom.left, rom.right].into_iter().flatten().map(|r| r.degrees).min();
    let outcome = screen(&answers);
    let stored = StoredScreening { responses, answers, outcome: outcome.clone() };
    save(store, user, DocumentKind::Screening, today, &stored).await?;
    Ok(outcome)
}

/// Getting started: the safety answers and the goal, time and equipment, all parsed.
#[derive(Debug, Clone)]
pub struct Onboarding {
    /// The answers as given.
    pub responses: BTreeMap<QuestionId, Response>,
    /// The answers, parsed.
    pub answers: Answers,
    /// What the person wants.
    pub goal: Goal,
    /// Sessions a week.
    pub sessions_per_week: SessionsPerWeek,
    /// Minutes per session.
    pub minutes_per_session: SessionMinutes,
    /// What they have at hand.
    pub equipment: BTreeSet<Equipment>,
}

/// Stores the screening and, for an adult, the profile (keeping the preferences and measured
/// range already stored). Returns the screening outcome.
pub async fn record_onboarding(
    store: &Store,
    user: UserId,
    today: NaiveDate,
    onboarding: Onboarding,
) -> Result<ScreeningOutcome> {
    let age_band = match onboarding.answers.age {
        AgeAnswer::Adult(band) => Some(band),
        AgeAnswer::Under18 => None,
    };
    let outcome = record_screening(store, user, today, onboarding.responses, onboarding.answers).await?;
    if let Some(age_band) = age_band {
        let old = Program::load(store, user).await?.profile;
        let profile = Profile {
            goal: onboarding.goal,
            sessions_per_week: onboarding.sessions_per_week,
            minutes_per_session: onboarding.minutes_per_session,
            equipment: onboarding.equipment,
            age_band,
            range_of_motion: old.as_ref().map(|p| p.range_of_motion).unwrap_or_else(IrBySide::default),
            preferences: old.map(|p| p.preferences).unwrap_or_else(Preferences::default),
        };
        save(store, user, DocumentKind::Profile, today, &profile).await?;
    }
    Ok(outcome)
}
