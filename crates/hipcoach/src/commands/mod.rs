//! One module per command.

mod account;
mod analyze;
mod catalog;
mod checkin;
mod exercises;
pub(crate) mod measure;
mod plan;
mod profile;
mod screening;
mod serve;
mod session;

use crate::cli::{Cli, Command};
use std::process::ExitCode;

/// Runs the parsed command; the exit code says whether it found problems.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let today = hipcoach_workflows::calendar::today(cli.today);
    // A record dated in the future would become "the latest" in trends, handouts and exports.
    let real_today = hipcoach_workflows::calendar::today(None);
    if today > real_today {
        anyhow::bail!(
            "--today {today} is in the future (today is {real_today}); records are dated when they happened, so use today \
             or an earlier day"
        );
    }
    let catalog_dir = cli.catalog.as_deref();
    let load = || catalog(catalog_dir);
    let storage = &cli.storage;
    match cli.command {
        Command::Exercises(args) => exercises::run(catalog_dir, args),
        Command::Catalog(command) => catalog::run(command),
        Command::Session(args) => session::run(storage, load()?, today, args),
        Command::Export(args) => account::export(storage, load()?, today, args),
        Command::Import(args) => account::import(storage, load()?, args),
        Command::Backup { path } => account::backup(storage, load()?, &path),
        Command::Check => account::check(storage),
        Command::Serve(args) => serve::run(storage, load()?, cli.today, args),
        Command::Screening(args) => screening::run(storage, load()?, today, args),
        Command::Profile(command) => profile::run(storage, load()?, today, command),
        Command::Plan(args) => plan::run(storage, load()?, today, args),
        Command::Checkin(args) => checkin::run(storage, load()?, today, args),
        Command::Measure(command) => measure::run(storage, load()?, today, command),
        Command::Analyze(args) => analyze::run(storage, load, today, &args),
        Command::WriteLoad { prefix } => account::write_load(storage, &prefix),
    }
}

/// A 0–10 pain score typed on the command line.
pub(crate) fn pain_score(value: i64, what: &str) -> anyhow::Result<hipcoach_core::units::PainScore> {
    hipcoach_core::units::PainScore::new(value)
        .map_err(|_| anyhow::anyhow!("{what} must be a whole number from 0 (none) to 10 (worst); got {value}"))
}

/// A workflow's complaint about a value, named by the flag it came from ("--goal: …").
pub(crate) fn as_flag(error: hipcoach_workflows::WorkflowError) -> anyhow::Error {
    match error {
        hipcoach_workflows::WorkflowError::Invalid { field, reason } => anyhow::anyhow!("--{field}: {reason}"),
        other => other.into(),
    }
}

/// The catalog, with the person's folder layered on when `--catalog` names one; a problem in it
/// says how to get the full report.
pub(crate) fn catalog(dir: Option<&std::path::Path>) -> anyhow::Result<hipcoach_core::catalog::Catalog> {
    hipcoach_workflows::catalog_folder::load(dir).map_err(|error| match (error, dir) {
        (hipcoach_workflows::WorkflowError::Invalid { field, reason }, Some(dir)) if field == "catalog" => {
            anyhow::anyhow!("{reason}\nFix these, or run `hipcoach catalog check {}` for the report.", dir.display())
        }
        (other, _) => plainly(other),
    })
}

/// A workflow's complaint as a sentence: the reason alone, where the command makes the field plain.
pub(crate) fn plainly(error: hipcoach_workflows::WorkflowError) -> anyhow::Error {
    match error {
        hipcoach_workflows::WorkflowError::Invalid { reason, .. } => anyhow::anyhow!(reason),
        other => other.into(),
    }
}

/// Width to wrap text at: the terminal's, capped for readability; 80 when not a terminal.
pub(crate) fn text_width() -> usize {
    textwrap::termwidth().clamp(40, 100)
}

pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> anyhow::Result<()> {
    emit(&format!("{}\n", serde_json::to_string_pretty(value)?))
}

/// Writes to standard output; a closed pipe (`hipcoach exercises | head`) is not an error.
pub(crate) fn emit(text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        result => Ok(result?),
    }
}
