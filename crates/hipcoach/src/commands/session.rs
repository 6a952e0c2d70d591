//! `hipcoach session`: today's planned session in the terminal, stored and reviewed afterwards.
//!
//! Without `-e`, the session is the next one of this week's plan (the week's sessions run in
//! order, one after another), at the prescribed dose and sides. Before starting it asks for hip
//! pain right now (the baseline the next-morning check is compared with). Afterwards the record
//! is stored, progression reviews it, and the changes are printed with their reasons.
//!
//! With `-e ID` it runs those exercises at their catalog dose, as a one-off: the record is
//! stored but not reviewed, since no plan prescribed it.

use super::pain_score;
use crate::cli::{SessionArgs, StorageArgs};
use crate::storage::{block_on, local_user, open};
use anyhow::bail;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_core::program;
use hipcoach_core::session::{Pace, SessionRecord};
use hipcoach_core::units::PainScore;
use hipcoach_store::{Store, UserId};
use hipcoach_workflows::calendar;
use hipcoach_workflows::checkin::{Checkin, baseline_of, record_checkin};
use hipcoach_workflows::program::Program;
use hipcoach_workflows::session::{PlayedSession, Review, finish};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

pub fn run(storage: &StorageArgs, catalog: Catalog, today: NaiveDate, args: SessionArgs) -> anyhow::Result<ExitCode> {
    if let Some(path) = args.save.as_deref().filter(|p| p.exists()) {
        bail!("{} exists already; choose a new file name for --save", path.display());
    }
    // `--quick` is a walk-through to try the player: not training, so nothing is stored or reviewed.
    let walk_through = args.quick && args.step_ms.is_none();
    let pace = match (args.step_ms, args.quick) {
        (Some(ms), _) => Pace::capped(ms),
        (None, true) => Pace::capped(1_000),
        (None, false) => Pace::default(),
    };
    if !args.exercises.is_empty() {
        let ids = args
            .exercises
            .iter()
            .map(|name| super::exercises::find(&catalog, name).map(|e| e.id.to_string()))
            .collect::<anyhow::Result<Vec<_>>>()?;
        return block_on(async {
            let store = open(storage, catalog.clone()).await?;
            let user = local_user(&store, storage).await?;
            let items = Program::load(&store, user.id).await?.one_off_items(&catalog, &ids, today)?;
            let Some(record) = crate::player::run(items, pace)? else { return Ok(ExitCode::SUCCESS) };
            save_file(args.save.as_deref(), &record)?;
            if walk_through {
                println!("{WALK_THROUGH}");
                return Ok(ExitCode::SUCCESS);
            }
            if !record.exercises.is_empty() {
                let played = PlayedSession { key: key(), record, planned: false, pain_before: None, done_on: None };
                finish(&store, &catalog, user.id, today, played).await?;
            }
            println!("Saved. One-off sessions are not reviewed for progression; `hipcoach session` runs your plan.");
            Ok(ExitCode::SUCCESS)
        });
    }
    block_on(async {
        let store = open(storage, catalog.clone()).await?;
        let user = local_user(&store, storage).await?;
        let program = Program::load(&store, user.id).await?;
        let plan = program.plan(&catalog, today)?;
        let (next, items) = program.next_session_items(&plan, &catalog, today)?;
        let total = plan.sessions.len();
        if next.week_done {
            println!("All {total} planned sessions of this week are done; this one is extra.");
        }
        for why in &next.adjustments {
            println!("{why}");
        }
        let baseline = baseline(&store, &catalog, user.id, today, args.pain_before).await?;
        if program::TrafficLight::of(baseline) == program::TrafficLight::Red && rest_today(baseline)? {
            println!(
                "Resting today is the better choice. Your pain before the session is saved; if pain like this keeps up, please see a doctor or physiotherapist."
            );
            return Ok(ExitCode::SUCCESS);
        }
        println!("Session {} of {total} this week.", next.session.number);
        let Some(record) = crate::player::run(items, pace)? else { return Ok(ExitCode::SUCCESS) };
        save_file(args.save.as_deref(), &record)?;
        if walk_through {
            println!("{WALK_THROUGH}");
            return Ok(ExitCode::SUCCESS);
        }
        let review = if record.exercises.is_empty() {
            Review::NothingToReview
        } else {
            let played = PlayedSession { key: key(), record, planned: true, pain_before: None, done_on: None };
            finish(&store, &catalog, user.id, today, played).await?.review
        };
        match review {
            Review::Reviewed(changes) => {
                print_changes(&changes);
                println!("Tomorrow morning, tell me how the hip feels: `hipcoach checkin --morning PAIN [--stiffer]`.");
            }
            Review::OneOff | Review::AlreadyStored | Review::NothingToReview => {
                println!("Nothing to review for progression (no exercise had its pain check answered).");
            }
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// What `--quick` says at the end.
const WALK_THROUGH: &str =
    "That was a quick walk-through, so it is not stored and your plan is unchanged; run `hipcoach session` to train.";

/// A key no other session of this user has: the time and the process.
fn key() -> String {
    format!("cli-{}-{}", chrono::Utc::now().timestamp_millis(), std::process::id())
}

/// Prints the decisions of a review, each with its reason.
pub fn print_changes(changes: &[program::Change]) {
    if changes.is_empty() {
        println!("No changes to your plan: everything stays as it is for now.");
        return;
    }
    println!("Changes to your plan:");
    for change in changes {
        println!("  - {}", calendar::dated(&change.sentence));
    }
}

/// Hip pain before starting: the flag, today's before check-in, or asked now. Stored as a
/// before check-in so the web app and exports see it too.
async fn baseline(
    store: &Store,
    catalog: &Catalog,
    user: UserId,
    today: NaiveDate,
    given: Option<i64>,
) -> anyhow::Result<PainScore> {
    let score = match given {
        Some(value) => pain_score(value, "--pain-before")?,
        None => match baseline_of(store, user, today).await? {
            Some(before) => return Ok(before),
            None => ask_baseline()?,
        },
    };
    record_checkin(store, catalog, user, today, Checkin::before(score)).await?;
    Ok(score)
}

/// With red pain before a session, resting is the default: only a typed "n" goes on.
fn rest_today(baseline: PainScore) -> anyhow::Result<bool> {
    print!("Your hip hurts a lot right now ({baseline}). Rest today instead? [Y/n] ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(!matches!(line.trim().to_lowercase().as_str(), "n" | "no"))
}

fn ask_baseline() -> anyhow::Result<PainScore> {
    loop {
        print!("Before you start: hip pain right now, 0-10 (0 = none)? ");
        std::io::stdout().flush()?;
        let mut line = String::new();
        if std::io::stdin().read_line(&mut line)? == 0 {
            bail!("no answer to the pain question; give it with --pain-before N");
        }
        match line.trim().parse::<i64>().ok().map(|n| pain_score(n, "hip pain")) {
            Some(Ok(score)) => return Ok(score),
            _ => println!("`{}` is not a pain score: type a whole number from 0 to 10", line.trim()),
        }
    }
}

fn save_file(path: Option<&Path>, record: &SessionRecord) -> anyhow::Result<()> {
    let Some(path) = path else { return Ok(()) };
    super::account::write_new_file(path, serde_json::to_string_pretty(record)?.as_bytes())
}
