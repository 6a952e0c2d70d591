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
