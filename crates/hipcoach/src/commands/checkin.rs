//! `hipcoach checkin --morning PAIN [--stiffer] | --before PAIN`: pain outside the player.
//!
//! The next-morning check decides whether yesterday's dose was tolerated: pain 2 or more points
//! above that day's baseline, or a stiffer hip, drops the session's exercises one level; a green
//! morning lets stretches step up. It is stored against the day of the last session before
//! today, and progression runs at once so the answer shows its effect.

use crate::calendar;
use crate::cli::{CheckinArgs, StorageArgs};
use crate::coaching::{Program, pain_score};
use crate::storage::{block_on, local_user, open};
use anyhow::bail;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_store::{Moment, PainCheckin};
use std::process::ExitCode;

pub fn run(storage: &StorageArgs, catalog: Catalog, today: NaiveDate, args: CheckinArgs) -> anyhow::Result<ExitCode> {
    let (moment, score) = match (args.morning, args.before) {
        (Some(pain), None) => (Moment::NextMorning, pain_score(pain, "--morning")?),
        (None, Some(pain)) => (Moment::Before, pain_score(pain, "--before")?),
        _ => bail!("give one of --morning PAIN or --before PAIN"),
    };
    block_on(async {
        let store = open(storage, catalog.clone()).await?;
        let user = local_user(&store, storage).await?;
        let day = match moment {
            Moment::NextMorning => {
                let sessions = store.sessions(user.id).await?;
                let Some(last) = sessions.iter().map(|s| s.day).filter(|d| *d < today).max() else {
                    bail!(
                        "there is no session before today to check on; the morning check is for the morning after a session"
                    );
                };
                last
            }
            _ => today,
        };
        let checkin =
            PainCheckin { day, moment, exercise: None, score, sharp: false, stiffer: args.stiffer, recorded_at_ms: 0 };
        store.add_pain_checkin(user.id, &checkin).await?;
        match moment {
            Moment::NextMorning => {
                println!("Saved your morning check for the session on {}.", calendar::words(day));
                let mut program = Program::load(&store, user.id).await?;
                if program.document.history.iter().any(|r| calendar::date_of(r.day) == day) {
                    let changes = program.review(&store, user.id, &catalog, today).await?;
                    super::session::print_changes(&changes);
                }
            }
            _ => println!("Saved: hip pain {} before today's session.", score),
        }
        Ok(ExitCode::SUCCESS)
    })
}
