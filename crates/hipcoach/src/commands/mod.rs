//! One module per command.

mod account;
mod catalog;
mod exercises;
mod session;

use crate::cli::{Cli, Command};
use std::process::ExitCode;

/// Runs the parsed command; the exit code says whether it found problems.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Exercises(args) => exercises::run(cli.catalog.as_deref(), args),
        Command::Catalog(command) => catalog::run(command),
        Command::Session(args) => session::run(cli.catalog.as_deref(), args),
        Command::Export(args) => account::export(&cli.storage, crate::catalog_dir::load(cli.catalog.as_deref())?, args),
        Command::Import(args) => account::import(&cli.storage, crate::catalog_dir::load(cli.catalog.as_deref())?, args),
        Command::Backup { path } => {
            account::backup(&cli.storage, crate::catalog_dir::load(cli.catalog.as_deref())?, &path)
        }
        Command::WriteLoad { prefix } => account::write_load(&cli.storage, &prefix),
    }
}

/// The data-file spelling of a vocabulary value (`lying-face-down`), as the user types it.
pub(crate) fn key<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(key)) => key,
        _ => String::new(),
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
