//! `hipcoach checkin --morning PAIN [--stiffer] | --before PAIN`: pain outside the player.
//!
//! The morning check is stored against the last session before today and reviewed at once
//! (`hipcoach_workflows::checkin`, the same path the web takes), so the answer shows its effect.

use super::{pain_score, session::print_changes};
use crate::cli::{CheckinArgs, StorageArgs};
use crate::storage::{block_on, local_user, open};
use anyhow::bail;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_store::Moment;
use hipcoach_workflows::calendar;
use hipcoach_workflows::checkin::{Checkin, record_checkin};
use std::process::ExitCode;

pub fn run(storage: &StorageArgs, catalog: Catalog, today: NaiveDate, args: CheckinArgs) -> anyhow::Result<ExitCode> {
    let (moment, pain) = match (args.morning, args.before) {
        (Some(pain), None) => (Moment::NextMorning, pain_score(pain, "--morning")?),
        (None, Some(pain)) => (Moment::Before, pain_score(pain, "--before")?),
        _ => bail!("give one of --morning PAIN or --before PAIN"),
    };
    block_on(async {
        let store = open(storage, catalog.clone()).await?;
        let user = local_user(&store, storage).await?;
        let checkin = Checkin { moment, pain, stiffer: args.stiffer };
        let checked = record_checkin(&store, &catalog, user.id, today, checkin).await?;
        if let Some(earlier) = checked.replaced {
            println!("This takes over from the earlier answer for that day ({earlier}); both are kept.");
        }
        match moment {
            Moment::NextMorning => {
                println!("Saved your morning check for the session on {}.", calendar::words(checked.day));
                if let Some(changes) = &checked.changes {
                    print_changes(changes);
                }
            }
            _ => println!("Saved: hip pain {pain} before today's session."),
        }
        Ok(ExitCode::SUCCESS)
    })
}
