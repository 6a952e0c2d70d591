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
    AgeAnswer, Answers, IrBySide, Preferences, Profile, Question, QuestionId, QuestionKind, Response, ScreeningOutcome,
    screen,
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
    /// What they have at hand beyond a floor and a chair.
    pub equipment: BTreeSet<Equipment>,
    /// Whether they can get down to the floor and up again.
    pub gets_down_to_floor: bool,
    /// Whether a steady chair is at hand.
    pub has_chair: bool,
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
            gets_down_to_floor: onboarding.gets_down_to_floor,
            has_chair: onboarding.has_chair,
        };
        save(store, user, DocumentKind::Profile, today, &profile).await?;
    }
    Ok(outcome)
}

/// Whether a follow-up question applies, given the answers so far (the surgical approach only
/// after a hip replacement, the trimester only in pregnancy).
pub fn applies(question: &Question, responses: &BTreeMap<QuestionId, Response>) -> bool {
    let Some(shown_if) = &question.shown_if else { return true };
    let given = match responses.get(&shown_if.question) {
        Some(Response::YesNo(true)) => "yes".to_owned(),
        Some(Response::YesNo(false)) => "no".to_owned(),
        Some(Response::Choice(choice)) => choice.clone(),
        Some(Response::Number(n)) => n.to_string(),
        None => return false,
    };
    shown_if.any_of.contains(&given)
}

/// One typed answer ("y", a choice's number or id, a whole number), or the reason it was not
/// understood.
pub fn parse_answer(kind: &QuestionKind, text: &str) -> Result<Response, String> {
    let lower = text.to_lowercase();
    match kind {
        QuestionKind::YesNo => match lower.as_str() {
            "y" | "yes" => Ok(Response::YesNo(true)),
            "n" | "no" => Ok(Response::YesNo(false)),
            _ => Err(format!("`{text}` is not an answer here: type y for yes or n for no")),
        },
        QuestionKind::Choice { choices } => {
            let by_number = lower.parse::<usize>().ok().and_then(|n| n.checked_sub(1)).and_then(|i| choices.get(i));
            let by_id = choices.iter().find(|c| c.id == lower);
            by_number
                .or(by_id)
                .map(|c| Response::Choice(c.id.clone()))
                .ok_or_else(|| format!("`{text}` is not one of the options: type a number from 1 to {}", choices.len()))
        }
        QuestionKind::Number { min, max, unit } => match lower.parse::<i64>() {
            Ok(n) if (*min..=*max).contains(&n) => Ok(Response::Number(n)),
            _ => Err(format!("`{text}` is not a whole number of {unit} from {min} to {max}")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_answers_are_asked_again_with_the_reason() {
        let yes_no = QuestionKind::YesNo;
        assert_eq!(parse_answer(&yes_no, "Y"), Ok(Response::YesNo(true)));
        assert!(parse_answer(&yes_no, "maybe").unwrap_err().contains("type y for yes or n for no"));
        let weeks = QuestionKind::Number { min: 0, max: 10, unit: "weeks".into() };
        assert!(parse_answer(&weeks, "11").unwrap_err().contains("from 0 to 10"));
    }
}
