//! `hipcoach profile set | show`: goal, time, equipment, age band and exercise preferences.
//!
//! `set` starts from the stored profile, so `--minutes 20` changes only the minutes. Every value
//! is checked before anything is written: a bad one stops the command with the reason and the
//! accepted values, and the stored profile stays as it was.

use super::{emit, print_json};
use crate::cli::{ProfileCommand, ProfileSetArgs, StorageArgs};
use crate::coaching::{Program, save};
use crate::storage::{block_on, local_user, open};
use anyhow::{anyhow, bail};
use chrono::NaiveDate;
use hipcoach_core::catalog::{Catalog, Equipment, ExerciseId, Goal};
use hipcoach_core::program::{AgeAnswer, AgeBand, IrBySide, Preferences, Profile};
use hipcoach_core::spelling as key;
use hipcoach_core::units::{SessionMinutes, SessionsPerWeek};
use hipcoach_store::DocumentKind;
use std::collections::BTreeSet;
use std::process::ExitCode;

pub fn run(
    storage: &StorageArgs,
    catalog: Catalog,
    today: NaiveDate,
    command: ProfileCommand,
) -> anyhow::Result<ExitCode> {
    block_on(async {
        let store = open(storage, catalog.clone()).await?;
        let user = local_user(&store, storage).await?;
        let program = Program::load(&store, user.id).await?;
        match command {
            ProfileCommand::Show { json } => {
                let profile = program.profile()?;
                if json {
                    print_json(&profile)?;
                } else {
                    emit(&describe(&catalog, &profile))?;
                }
            }
            ProfileCommand::Set(args) => {
                let screened_age = program.screening.as_ref().and_then(|s| match s.answers.age {
                    AgeAnswer::Adult(band) => Some(band),
                    AgeAnswer::Under18 => None,
                });
                let profile = apply(&catalog, program.profile.clone(), screened_age, &args)?;
                save(&store, user.id, DocumentKind::Profile, today, &profile).await?;
                emit(&format!("Saved.\n{}", describe(&catalog, &profile)))?;
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The new profile: the old one (or the starting values) with the given changes.
fn apply(
    catalog: &Catalog,
    old: Option<Profile>,
    screened_age: Option<AgeBand>,
    args: &ProfileSetArgs,
) -> anyhow::Result<Profile> {
    let age_band = match &args.age_band {
        Some(text) => age_band(text)?,
        None => match old.as_ref().map(|p| p.age_band).or(screened_age) {
            Some(band) => band,
            None => bail!(
                "give your age band with --age-band 18-49, 50-64 or 65-plus (or answer `hipcoach screening` first)"
            ),
        },
    };
    let mut profile = match old {
        Some(profile) => profile,
        None => Profile {
            goal: Goal::General,
            sessions_per_week: SessionsPerWeek::new(3)?,
            minutes_per_session: SessionMinutes::new(15)?,
            equipment: BTreeSet::new(),
            age_band,
            range_of_motion: IrBySide::default(),
            preferences: Preferences::default(),
        },
    };
    profile.age_band = age_band;
    if let Some(goal) = &args.goal {
        profile.goal = word(goal, Goal::ALL, "--goal")?;
    }
    if let Some(sessions) = args.sessions {
        profile.sessions_per_week = SessionsPerWeek::new(sessions).map_err(|e| anyhow!("--sessions: {e}"))?;
    }
    if let Some(minutes) = args.minutes {
        profile.minutes_per_session = SessionMinutes::new(minutes).map_err(|e| anyhow!("--minutes: {e}"))?;
    }
    if let Some(list) = &args.equipment {
        profile.equipment = equipment(list)?;
    }
    if args.clear_preferences {
        profile.preferences = Preferences::default();
    }
    let prefs = &mut profile.preferences;
    for text in &args.like {
        let id = exercise(catalog, text, "--like")?;
        prefs.disliked.remove(&id);
        prefs.liked.insert(id);
    }
    for text in &args.dislike {
        let id = exercise(catalog, text, "--dislike")?;
        prefs.liked.remove(&id);
        prefs.disliked.insert(id);
    }
    for text in &args.swap {
        let Some((from, to)) = text.split_once('=') else {
            bail!("--swap `{text}` needs the form ID=OTHER, e.g. --swap clamshell=standing-side-hip-abduction");
        };
        let (from, to) = (exercise(catalog, from, "--swap")?, exercise(catalog, to, "--swap")?);
        if from == to {
            bail!("--swap `{text}`: an exercise cannot be swapped for itself");
        }
        prefs.swapped.insert(from, to);
    }
    Ok(profile)
}

/// A vocabulary value, with the accepted values on error.
fn word<T: serde::de::DeserializeOwned + serde::Serialize>(
    text: &str,
    accepted: &[T],
    flag: &str,
) -> anyhow::Result<T> {
    serde_json::from_value(serde_json::Value::String(text.trim().to_lowercase())).map_err(|_| {
        let accepted: Vec<String> = accepted.iter().map(key).collect();
        anyhow!("{flag}: `{text}` is not one of: {}", accepted.join(", "))
    })
}

const AGE_BANDS: [AgeBand; 3] = [AgeBand::From18To49, AgeBand::From50To64, AgeBand::From65];

fn age_band(text: &str) -> anyhow::Result<AgeBand> {
    let wanted = text.trim().to_lowercase();
    AGE_BANDS
        .into_iter()
        .find(|band| band_words(*band) == wanted || (wanted == "65+" && *band == AgeBand::From65))
        .ok_or_else(|| anyhow!("--age-band: `{text}` is not one of: 18-49, 50-64, 65-plus (under 18 is not supported)"))
}

/// A comma-separated equipment list; "band" and "high-seat" as people type them.
fn equipment(list: &str) -> anyhow::Result<BTreeSet<Equipment>> {
    let mut set = BTreeSet::new();
    for item in list.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        if item.eq_ignore_ascii_case("none") {
            continue;
        }
        set.insert(word(item, Equipment::ALL, "--equipment")?);
    }
    Ok(set)
}

fn exercise(catalog: &Catalog, text: &str, flag: &str) -> anyhow::Result<ExerciseId> {
    super::exercises::find(catalog, text.trim()).map(|e| e.id.clone()).map_err(|e| anyhow!("{flag}: {e}"))
}

fn band_words(band: AgeBand) -> &'static str {
    match band {
        AgeBand::From18To49 => "18-49",
        AgeBand::From50To64 => "50-64",
        AgeBand::From65 => "65-plus",
    }
}

fn describe(catalog: &Catalog, profile: &Profile) -> String {
    let name = |id: &ExerciseId| catalog.get(id.as_str()).map_or_else(|| id.to_string(), |e| e.name.clone());
    let names = |ids: &BTreeSet<ExerciseId>| {
        if ids.is_empty() { "none".to_owned() } else { ids.iter().map(name).collect::<Vec<_>>().join(", ") }
    };
    let equipment: Vec<&str> = profile.equipment.iter().map(|e| e.label()).collect();
    let mut text = format!(
        "Goal: {}\nSessions: {} a week, up to {} minutes each\nEquipment: {}\nAge band: {}\nLiked: {}\nLeft out: {}\n",
        profile.goal,
        profile.sessions_per_week.get(),
        profile.minutes_per_session.get(),
        if equipment.is_empty() { "none".to_owned() } else { equipment.join(", ") },
        band_words(profile.age_band),
        names(&profile.preferences.liked),
        names(&profile.preferences.disliked),
    );
    for (from, to) in &profile.preferences.swapped {
        text.push_str(&format!("Swapped: {} → {}\n", name(from), name(to)));
    }
    text
}
