//! `hipcoach profile set | show`: goal, time, equipment, age band and exercise preferences.
//!
//! `set` starts from the stored profile, so `--minutes 20` changes only the minutes. Every value
//! is checked before anything is written (`hipcoach_workflows::profile`): a bad one stops the
//! command with the flag, the reason and the accepted values, and the stored profile stays as
//! it was.

use super::{as_flag, emit, print_json};
use crate::cli::{ProfileCommand, ProfileSetArgs, StorageArgs};
use crate::storage::{block_on, local_user, open};
use chrono::NaiveDate;
use hipcoach_core::catalog::{Catalog, ExerciseId};
use hipcoach_core::program::Profile;
use hipcoach_workflows::profile::{ProfileChanges, age_band_words, update_profile};
use hipcoach_workflows::program::Program;
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
        match command {
            ProfileCommand::Show { json } => {
                let profile = Program::load(&store, user.id).await?.profile()?;
                if json {
                    print_json(&profile)?;
                } else {
                    emit(&describe(&catalog, &profile))?;
                }
            }
            ProfileCommand::Set(args) => {
                let profile =
                    update_profile(&store, &catalog, user.id, today, &changes(args)).await.map_err(as_flag)?;
                emit(&format!("Saved.\n{}", describe(&catalog, &profile)))?;
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The flags as the changes they ask for.
fn changes(args: Box<ProfileSetArgs>) -> ProfileChanges {
    let args = *args;
    ProfileChanges {
        goal: args.goal,
        sessions: args.sessions,
        minutes: args.minutes,
        equipment: args.equipment,
        floor: args.floor,
        chair: args.chair,
        age_band: args.age_band,
        like: args.like,
        dislike: args.dislike,
        swap: args.swap,
        forget: args.forget,
        clear_preferences: args.clear_preferences,
    }
}

fn describe(catalog: &Catalog, profile: &Profile) -> String {
    let name = |id: &ExerciseId| catalog.name_of(id);
    let names = |ids: &BTreeSet<ExerciseId>| {
        if ids.is_empty() { "none".to_owned() } else { ids.iter().map(name).collect::<Vec<_>>().join(", ") }
    };
    let equipment: Vec<&str> = profile.equipment.iter().map(|e| e.label()).collect();
    let mut text = format!(
        "Goal: {}\nSessions: {} a week, up to {} minutes each\nFloor work: {}\nChair: {}\nEquipment: {}\nAge band: {}\nLiked: {}\nLeft out: {}\n",
        profile.goal,
        profile.sessions_per_week.get(),
        profile.minutes_per_session.get(),
        if profile.gets_down_to_floor { "yes" } else { "no (you said getting down to the floor is not for you)" },
        if profile.has_chair { "yes" } else { "no steady chair at hand" },
        if equipment.is_empty() { "none".to_owned() } else { equipment.join(", ") },
        age_band_words(profile.age_band),
        names(&profile.preferences.liked),
        names(&profile.preferences.disliked),
    );
    for (from, to) in &profile.preferences.swapped {
        text.push_str(&format!("Swapped: {} → {}\n", name(from), name(to)));
    }
    text
}
