//! `hipcoach plan`: this week's sessions, what was left out and why, and the latest changes.
//!
//! The plan is rebuilt from the stored screening, profile, measurements and progression state
//! every time, so it always reflects the latest of them; nothing is written.

use super::{emit, print_json};
use crate::cli::{PlanArgs, StorageArgs};
use crate::storage::{block_on, local_user, open};
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_core::program::{Change, WeekPlan, dose_words};
use hipcoach_workflows::calendar;
use hipcoach_workflows::program::Program;
use hipcoach_workflows::wording::{block_words, left_out, minutes, sides_words};
use std::process::ExitCode;

pub fn run(storage: &StorageArgs, catalog: Catalog, today: NaiveDate, args: PlanArgs) -> anyhow::Result<ExitCode> {
    block_on(async {
        let store = open(storage, catalog.clone()).await?;
        let user = local_user(&store, storage).await?;
        let program = Program::load(&store, user.id).await?;
        let plan = program.plan(&catalog, today)?;
        if args.json {
            print_json(&serde_json::json!({
                "week_start": calendar::week_start(today),
                "plan": plan,
                "changes": program.document.changes,
            }))?;
        } else {
            emit(&render(&plan, &catalog, &program.document.changes, today))?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The plan as text for the terminal.
pub fn render(plan: &WeekPlan, catalog: &Catalog, changes: &[Change], today: NaiveDate) -> String {
    let mut text = format!(
        "Your plan for the week of {}: {} session{} of up to {} min.\n",
        calendar::words(calendar::week_start(today)),
        plan.sessions.len(),
        if plan.sessions.len() == 1 { "" } else { "s" },
        plan.budget_seconds / 60
    );
    for session in &plan.sessions {
        text.push_str(&format!(
            "\nSession {} (about {} of {} min)\n",
            session.number,
            minutes(session.estimated_seconds),
            plan.budget_seconds / 60
        ));
        // Two lines an exercise, so the plan fits 80 columns whatever the names.
        for item in &session.items {
            text.push_str(&format!("  {:<10} {}\n", block_words(item.block), item.name));
            text.push_str(&format!("  {:<10} {} · {}\n", "", dose_words(&item.dose), sides_words(item)));
        }
    }
    if !plan.notes.is_empty() {
        text.push_str("\nWhy it looks like this:\n");
        for note in &plan.notes {
            text.push_str(&bullet(note));
        }
    }
    let left_out = left_out(plan, catalog);
    if !left_out.is_empty() {
        text.push_str("\nLeft out:\n");
        for (name, why) in left_out {
            text.push_str(&bullet(&format!("{name}: {}", calendar::dated(why))));
        }
    }
    if !changes.is_empty() {
        text.push_str("\nLatest changes:\n");
        for change in changes {
            text.push_str(&bullet(&calendar::dated(&change.sentence)));
        }
    }
    text.push_str("\nRun today's session with `hipcoach session`.\n");
    text
}

/// A sentence as a bullet wrapped to the terminal (80 columns when piped).
fn bullet(sentence: &str) -> String {
    let options = textwrap::Options::new(super::text_width()).initial_indent("  - ").subsequent_indent("    ");
    format!("{}\n", textwrap::fill(sentence, options))
}
