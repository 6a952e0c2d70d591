//! Changing a profile: goal, time, equipment, age band and exercise preferences, each given as
//! the person typed it. Every value is checked before anything is written, so a bad one leaves
//! the stored profile as it was; the error names the field and the accepted values.

use crate::error::{Result, WorkflowError};
use crate::program::{Program, save};
use chrono::NaiveDate;
use hipcoach_core::catalog::{Catalog, Equipment, Exercise, ExerciseId, Goal};
use hipcoach_core::program::{AgeAnswer, AgeBand, IrBySide, Preferences, Profile};
use hipcoach_core::spelling;
use hipcoach_core::units::{SessionMinutes, SessionsPerWeek};
use hipcoach_store::{DocumentKind, Store, UserId};
use std::collections::BTreeSet;

/// What to change; `None` and empty lists keep what is stored.
#[derive(Debug, Clone, Default)]
pub struct ProfileChanges {
    /// general, athlete or recovering.
    pub goal: Option<String>,
    /// Sessions a week, 1–7.
    pub sessions: Option<i64>,
    /// Minutes per session at most, 5–90.
    pub minutes: Option<i64>,
    /// Comma-separated equipment, or "none".
    pub equipment: Option<String>,
    /// "yes" or "no": can get down to the floor and up again.
    pub floor: Option<String>,
    /// "yes" or "no": a steady chair is at hand.
    pub chair: Option<String>,
    /// 18-49, 50-64 or 65-plus.
    pub age_band: Option<String>,
    /// Exercises to favour when time is short.
    pub like: Vec<String>,
    /// Exercises never to schedule.
    pub dislike: Vec<String>,
    /// `ID=OTHER`: replace one exercise by another wherever it would appear.
    pub swap: Vec<String>,
    /// Exercises to forget every preference about (a like, a dislike, a swap away from it).
    pub forget: Vec<String>,
    /// Forget earlier likes, dislikes and swaps before applying these.
    pub clear_preferences: bool,
}

/// Applies the changes to the stored profile (or the starting values) and stores the result.
pub async fn update_profile(
    store: &Store,
    catalog: &Catalog,
    user: UserId,
    today: NaiveDate,
    changes: &ProfileChanges,
) -> Result<Profile> {
    let program = Program::load(store, user).await?;
    let screened_age = program.screening.as_ref().and_then(|s| match s.answers.age {
        AgeAnswer::Adult(band) => Some(band),
        AgeAnswer::Under18 => None,
    });
    let profile = apply(catalog, program.profile, screened_age, changes)?;
    save(store, user, DocumentKind::Profile, today, &profile).await?;
    Ok(profile)
}

/// The new profile: the old one (or the starting values) with the given changes.
pub fn apply(
    catalog: &Catalog,
    old: Option<Profile>,
    screened_age: Option<AgeBand>,
    changes: &ProfileChanges,
) -> Result<Profile> {
    let age_band = match &changes.age_band {
        Some(text) => age_band(text)?,
        None => old.as_ref().map(|p| p.age_band).or(screened_age).ok_or_else(|| {
            WorkflowError::invalid(
                "age-band",
                "give your age band, 18-49, 50-64 or 65-plus (or answer the screening questions first)",
            )
        })?,
    };
    let mut profile = match old {
        Some(profile) => profile,
        None => Profile {
            goal: Goal::General,
            sessions_per_week: SessionsPerWeek::new(3)
                .map_err(|e| WorkflowError::invalid("sessions", e.to_string()))?,
            minutes_per_session: SessionMinutes::new(15)
                .map_err(|e| WorkflowError::invalid("minutes", e.to_string()))?,
            equipment: BTreeSet::new(),
            age_band,
            range_of_motion: IrBySide::default(),
            preferences: Preferences::default(),
            gets_down_to_floor: true,
            has_chair: true,
        },
    };
    profile.age_band = age_band;
    if let Some(goal) = &changes.goal {
        profile.goal = vocabulary(goal, Goal::ALL).map_err(|e| WorkflowError::invalid("goal", e))?;
    }
    if let Some(sessions) = changes.sessions {
        profile.sessions_per_week =
            SessionsPerWeek::new(sessions).map_err(|e| WorkflowError::invalid("sessions", e.to_string()))?;
    }
    if let Some(minutes) = changes.minutes {
        profile.minutes_per_session =
            SessionMinutes::new(minutes).map_err(|e| WorkflowError::invalid("minutes", e.to_string()))?;
    }
    if let Some(list) = &changes.equipment {
        profile.equipment = equipment(list)?;
    }
    if let Some(answer) = &changes.floor {
        profile.gets_down_to_floor = yes_or_no(answer, "floor")?;
    }
    if let Some(answer) = &changes.chair {
        profile.has_chair = yes_or_no(answer, "chair")?;
    }
    if changes.clear_preferences {
        profile.preferences = Preferences::default();
    }
    let prefs = &mut profile.preferences;
    for text in &changes.forget {
        let id = exercise(catalog, text, "forget")?;
        prefs.liked.remove(&id);
        prefs.disliked.remove(&id);
        prefs.swapped.remove(&id);
    }
    for text in &changes.like {
        let id = exercise(catalog, text, "like")?;
        prefs.disliked.remove(&id);
        prefs.liked.insert(id);
    }
    for text in &changes.dislike {
        let id = exercise(catalog, text, "dislike")?;
        prefs.liked.remove(&id);
        prefs.disliked.insert(id);
    }
    for text in &changes.swap {
        let Some((from, to)) = text.split_once('=') else {
            return Err(WorkflowError::invalid(
                "swap",
                format!("`{text}` needs the form ID=OTHER, e.g. clamshell=standing-side-hip-abduction"),
            ));
        };
        let (from, to) = (exercise(catalog, from, "swap")?, exercise(catalog, to, "swap")?);
        if from == to {
            return Err(WorkflowError::invalid("swap", format!("`{text}`: an exercise cannot be swapped for itself")));
        }
        // Never a harder version by a swap: only an easier one or an equal alternative.
        if let Some(exercise) = catalog.get(from.as_str()) {
            let links = &exercise.links;
            if !links.regressions.contains(&to) && !links.alternatives.contains(&to) {
                let offered: Vec<String> =
                    links.regressions.iter().chain(&links.alternatives).map(|id| catalog.name_of(id)).collect();
                let reason = if offered.is_empty() {
                    format!("{} has no easier version or alternative to swap it for", exercise.name)
                } else {
                    format!(
                        "{} can be swapped only for an easier version or an alternative: {}",
                        exercise.name,
                        offered.join(", ")
                    )
                };
                return Err(WorkflowError::invalid("swap", reason));
            }
        }
        prefs.swapped.insert(from, to);
    }
    Ok(profile)
}

/// A word of a vocabulary (goal, equipment, kind), as typed, or the accepted words.
pub fn vocabulary<T: serde::de::DeserializeOwned + serde::Serialize>(text: &str, accepted: &[T]) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_lowercase())).map_err(|_| {
        let accepted: Vec<String> = accepted.iter().map(spelling).collect();
        format!("`{text}` is not one of: {}", accepted.join(", "))
    })
}

/// "yes" or "no" (also y/n, true/false), as typed.
fn yes_or_no(text: &str, field: &str) -> Result<bool> {
    match text.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" => Ok(true),
        "no" | "n" | "false" => Ok(false),
        _ => Err(WorkflowError::invalid(field, format!("`{text}` is not yes or no"))),
    }
}

/// An exercise by id, name or alias; otherwise a reason that suggests the closest ids.
pub fn find_exercise<'a>(catalog: &'a Catalog, text: &str) -> Result<&'a Exercise, String> {
    if let Some(exercise) = catalog.find(text) {
        return Ok(exercise);
    }
    let needle = text.to_lowercase();
    let mut scored: Vec<(f64, &str)> = catalog
        .exercises()
        .map(|e| {
            let by_id = strsim::jaro_winkler(&needle, e.id.as_str());
            let by_name = strsim::jaro_winkler(&needle, &e.name.to_lowercase());
            let contains = e.id.as_str().contains(&needle) || e.name.to_lowercase().contains(&needle);
            (by_id.max(by_name) + if contains { 1.0 } else { 0.0 }, e.id.as_str())
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let suggestions: Vec<&str> = scored.iter().filter(|(score, _)| *score > 0.75).take(3).map(|(_, id)| *id).collect();
    if suggestions.is_empty() {
        return Err(format!("no exercise is called `{text}`; list them with `hipcoach exercises`"));
    }
    Err(format!(
        "no exercise is called `{text}`; did you mean {}?",
        suggestions.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(" or ")
    ))
}

const AGE_BANDS: [AgeBand; 3] = [AgeBand::From18To49, AgeBand::From50To64, AgeBand::From65];

fn age_band(text: &str) -> Result<AgeBand> {
    let wanted = text.trim().to_lowercase();
    AGE_BANDS
        .into_iter()
        .find(|band| age_band_words(*band) == wanted || (wanted == "65+" && *band == AgeBand::From65))
        .ok_or_else(|| {
            WorkflowError::invalid(
                "age-band",
                format!("`{text}` is not one of: 18-49, 50-64, 65-plus (under 18 is not supported)"),
            )
        })
}

/// The age band as typed: "18-49", "50-64", "65-plus".
pub fn age_band_words(band: AgeBand) -> &'static str {
    match band {
        AgeBand::From18To49 => "18-49",
        AgeBand::From50To64 => "50-64",
        AgeBand::From65 => "65-plus",
    }
}

/// A comma-separated equipment list; "band" and "high-seat" as people type them.
fn equipment(list: &str) -> Result<BTreeSet<Equipment>> {
    let mut set = BTreeSet::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if item.eq_ignore_ascii_case("none") {
            continue;
        }
        set.insert(vocabulary(item, Equipment::ALL).map_err(|e| WorkflowError::invalid("equipment", e))?);
    }
    Ok(set)
}

fn exercise(catalog: &Catalog, text: &str, field: &str) -> Result<ExerciseId> {
    find_exercise(catalog, text.trim()).map(|e| e.id.clone()).map_err(|e| WorkflowError::invalid(field, e))
}
