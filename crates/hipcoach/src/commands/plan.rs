//! `hipcoach plan`: this week's sessions, what was left out and why, and the latest changes.
//!
//! The plan is rebuilt from the stored screening, profile, measurements and progression state
//! every time, so it always reflects the latest of them; nothing is written.

use super::{emit, print_json};
use crate::calendar;
use crate::cli::{PlanArgs, StorageArgs};
use crate::coaching::Program;
use crate::storage::{block_on, local_user, open};
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_core::program::{Block, Change, PlannedExercise, SideSelection, WeekPlan, dose_words};
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
            emit(&render(&plan, &program.document.changes, today))?;
        }
        Ok(ExitCode::SUCCESS)
    })
}

/// The plan as text for the terminal.
pub fn render(plan: &WeekPlan, changes: &[Change], today: NaiveDate) -> String {
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
        for item in &session.items {
            text.push_str(&format!(
                "  {:<10} {:<40} {:<34} {}\n",
                block_words(item.block),
                item.name,
                dose_words(&item.dose),
                sides_words(item)
            ));
        }
    }
    if !plan.notes.is_empty() {
        text.push_str("\nWhy it looks like this:\n");
        for note in &plan.notes {
            text.push_str(&format!("  - {note}\n"));
        }
    }
    if !plan.excluded.is_empty() {
        text.push_str("\nLeft out:\n");
        for exclusion in &plan.excluded {
            text.push_str(&format!("  - {}: {}\n", exclusion.exercise, calendar::dated(&exclusion.text)));
        }
    }
    if !changes.is_empty() {
        text.push_str("\nLatest changes:\n");
        for change in changes {
            text.push_str(&format!("  - {}\n", calendar::dated(&change.sentence)));
        }
    }
    text.push_str("\nRun today's session with `hipcoach session`.\n");
    text
}

fn minutes(seconds: u32) -> u32 {
    seconds.div_ceil(60)
}

pub fn block_words(block: Block) -> &'static str {
    match block {
        Block::WarmUp => "warm-up",
        Block::Mobility => "mobility",
        Block::Strength => "strength",
        Block::CoolDown => "cool-down",
    }
}

/// "each side", "each side, +1 set on the left", "both together", "right side only".
pub fn sides_words(item: &PlannedExercise) -> String {
    let mut words = match item.sides {
        SideSelection::Together => "both sides together".to_owned(),
        SideSelection::EachSide => "each side".to_owned(),
        SideSelection::OneSide(side) => format!("{side} side only"),
    };
    if let Some(side) = item.extra_set {
        words.push_str(&format!(", +1 set on the {side}"));
    }
    words
}
