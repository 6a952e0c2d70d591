//! The command line, as clap types. Parsing only; the work is in `commands`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// A self-hosted coach for hip internal-rotation mobility and strength.
///
/// hipcoach guides hip sessions (timed holds, paced reps, breathing and form cues), keeps them
/// safe, and progresses them gradually. It gives exercise guidance, not medical advice.
#[derive(Debug, Parser)]
#[command(name = "hipcoach", version, propagate_version = true, max_term_width = 100)]
pub struct Cli {
    /// Folder of your own exercise files (one .toml per exercise) to add to or replace
    /// built-in exercises.
    #[arg(long, global = true, env = "HIPCOACH_CATALOG", value_name = "DIR")]
    pub catalog: Option<PathBuf>,

    #[command(flatten)]
    pub storage: StorageArgs,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the exercises of the program, or show one in full.
    Exercises(ExercisesArgs),
    /// Check or export exercise files.
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// Run a guided session in the terminal: countdown, cues, beeps, pain checks.
    ///
    /// Keys: space pause/resume, s skip, b back, q end, x sharp pain (stops the exercise now).
    /// When the output is not a terminal it prints plain lines and reads pain answers from stdin.
    Session(SessionArgs),
    /// Write a whole account to one JSON file (or sessions and measurements as CSV).
    Export(ExportArgs),
    /// Read an account exported with `hipcoach export` into this database.
    Import(ImportArgs),
    /// Make a consistent copy of the SQLite database, even while the server runs.
    Backup {
        /// The new file to write; it must not exist.
        path: PathBuf,
    },
    /// Writes session records as fast as it can and prints `ack KEY` after each commit; the
    /// durability test kills it at random moments. Not for everyday use.
    #[command(hide = true)]
    WriteLoad {
        /// Prefix of the client keys written.
        #[arg(long)]
        prefix: String,
    },
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The file to write.
    pub path: PathBuf,
    /// What to write: the whole account as JSON (default), or sessions / measurements as CSV.
    #[arg(long, value_enum, default_value = "account")]
    pub what: ExportKind,
}

/// What `hipcoach export` writes.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportKind {
    /// Everything, as JSON that `hipcoach import` reads back.
    Account,
    /// One row per set, for spreadsheets.
    SessionsCsv,
    /// One row per range-of-motion measurement, for spreadsheets.
    MeasurementsCsv,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The JSON file written by `hipcoach export`.
    pub path: PathBuf,
    /// Import under this user name instead of the one in the file.
    #[arg(long = "as", value_name = "NAME")]
    pub rename: Option<String>,
}

#[derive(Debug, Args)]
pub struct SessionArgs {
    /// Exercises to do, in order (id, name or another name); repeat the flag for more.
    #[arg(long = "exercise", short = 'e', value_name = "ID")]
    pub exercises: Vec<String>,
    /// Walk through quickly (every timed step capped at 1 s), to try the player out. Not training.
    #[arg(long)]
    pub quick: bool,
    /// Write the session record (what was done, set by set, and the pain answers) to this JSON file.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
}

/// Where records live and whose they are.
#[derive(Debug, Clone, Args)]
pub struct StorageArgs {
    /// Database to use: sqlite://PATH or postgres://USER@HOST/DB. Default: hipcoach.db in your
    /// data folder (created on first use).
    #[arg(long, global = true, env = "HIPCOACH_DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Folder for the default database (default: your system's data folder for hipcoach).
    #[arg(long, global = true, env = "HIPCOACH_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Whose records the command works on; created on first use, without a password, for a
    /// personal machine.
    #[arg(long, global = true, env = "HIPCOACH_USER", value_name = "NAME", default_value = "me")]
    pub user: String,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ExercisesArgs {
    #[command(subcommand)]
    pub command: Option<ExercisesCommand>,
    /// Only exercises of this kind (stretch, mobility, activation, strength).
    #[arg(long, value_name = "KIND")]
    pub kind: Option<String>,
    /// Only exercises that suit this goal (general, athlete, recovering).
    #[arg(long, value_name = "GOAL")]
    pub goal: Option<String>,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum ExercisesCommand {
    /// Show one exercise: dose, steps, breathing, cues, mistakes and precautions.
    Show {
        /// The exercise's id, name or another name for it.
        #[arg(value_name = "ID")]
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Check a folder of exercise files and report every problem at once (exit status 1 if any).
    Check {
        /// The folder holding one .toml file per exercise.
        dir: PathBuf,
        /// Check the folder on its own instead of layered over the built-in exercises.
        #[arg(long)]
        standalone: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Write the built-in exercise files to a folder, as a starting point for your own.
    Export {
        /// The folder to write into; it is created if needed. Existing files are never overwritten.
        dir: PathBuf,
    },
}
