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

    /// Treat this date (YYYY-MM-DD) as today, e.g. to enter a check-in late. Default: the local date.
    #[arg(long, global = true, env = "HIPCOACH_TODAY", value_name = "DATE")]
    pub today: Option<chrono::NaiveDate>,

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
    /// Check the SQLite database for damage, reading every page (the server's start-up runs a quicker check).
    Check,
    /// Run the web app: open http://127.0.0.1:8080 and do today's session with a phone on the floor.
    Serve(ServeArgs),
    /// Answer the safety questions before starting (again after a year or when something changes).
    Screening(ScreeningArgs),
    /// Set or show your goal, time, equipment and exercise preferences.
    #[command(subcommand)]
    Profile(ProfileCommand),
    /// Show this week's plan: sessions, exercises with dose and sides, what was left out and why.
    Plan(PlanArgs),
    /// Record hip pain outside a session: before one, or the morning after (it steers progression).
    Checkin(CheckinArgs),
    /// Record and follow hip internal-rotation measurements.
    #[command(subcommand)]
    Measure(MeasureCommand),
    /// Analyse a recording of the seated or prone IR test, or of a set of reps, from a keypoint
    /// file: each side's angle with its ±, reps, holds at end range, form flags, and why any
    /// frame could not be measured. The keypoint file's shape is in the README.
    Analyze(AnalyzeArgs),
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
    /// With --what ical: the time each session starts, HH:MM in this computer's time zone.
    #[arg(long, value_name = "HH:MM", default_value = "18:00", value_parser = parse_time_of_day)]
    pub at: chrono::NaiveTime,
}

/// A time of day typed as HH:MM.
fn parse_time_of_day(text: &str) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(text.trim(), "%H:%M")
        .map_err(|_| format!("give the time as hours and minutes, e.g. 07:30 or 18:00, not {text:?}"))
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The recording: a video (any format ffmpeg reads), or a keypoint file (JSON,
    /// `hipcoach-keypoints` version 1).
    pub file: PathBuf,
    /// Which test the recording shows.
    #[arg(long, value_enum, default_value = "seated")]
    pub test: TestChoice,
    /// The side to report first; auto finds the one that turned most.
    #[arg(long, value_enum, default_value = "auto")]
    pub side: SideChoice,
    /// Calibrate on the recording's opening still second (shins hanging straight), or not.
    #[arg(long, value_enum, default_value = "first-second")]
    pub calibration: CalibrationChoice,
    /// Print JSON instead of text.
    #[arg(long, conflicts_with = "csv")]
    pub json: bool,
    /// Print each frame's angles (or the reason a side was not measured) as CSV.
    #[arg(long)]
    pub csv: bool,
    /// Also draw the angle over time to this SVG file (not measured stretches shaded).
    #[arg(long, value_name = "FILE.svg")]
    pub plot: Option<PathBuf>,
    /// Store the first side's estimate in your records as a camera reading (it needs three reps:
    /// three turns, each back to the start).
    #[arg(long)]
    pub save: bool,
    /// For a video: also write the keypoints the pose model found to this keypoint file.
    #[arg(long, value_name = "FILE.json")]
    pub keypoints: Option<PathBuf>,
    /// For a video: the folder scripts/setup-pose filled (default: pose in the data folder).
    #[arg(long, env = "HIPCOACH_POSE_DIR", value_name = "DIR")]
    pub pose_dir: Option<PathBuf>,
}

/// The test a recording shows.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum TestChoice {
    /// Sitting, hips and knees at 90°, facing the camera.
    Seated,
    /// Lying face down, knees bent to 90°, camera at the feet.
    Prone,
}

/// Which side to report first.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum SideChoice {
    /// The side that turned most.
    Auto,
    /// The left hip.
    Left,
    /// The right hip.
    Right,
}

/// Whether to calibrate on the opening still second.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum CalibrationChoice {
    /// The first second: sitting still, shins hanging straight.
    FirstSecond,
    /// No calibration: the first frames stand in for the start position.
    None,
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
    /// Measurements as a FHIR R4 Bundle of Observations, for health records.
    Fhir,
    /// This week's sessions, each on its day, as a calendar to import (iCalendar, .ics).
    Ical,
    /// A printable one-page progress report and exercise handout.
    Pdf,
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
    /// Exercises to do, in order (id, name or another name); repeat the flag for more. Without
    /// it, today's session from your plan runs and progression reviews it afterwards.
    #[arg(long = "exercise", short = 'e', value_name = "ID")]
    pub exercises: Vec<String>,
    /// Hip pain right now, 0-10, before starting (asked when not given and not checked in today).
    #[arg(long, value_name = "PAIN")]
    pub pain_before: Option<i64>,
    /// For tests: cap every timed step at this many milliseconds.
    #[arg(long, hide = true, value_name = "MS")]
    pub step_ms: Option<u64>,
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

#[derive(Debug, Args)]
pub struct ScreeningArgs {
    /// Read the answers from a JSON file instead of asking: {"age-band": "18-49", "chest-pain": false, ...}.
    /// Print the questions and their ids with --questions.
    #[arg(long, value_name = "FILE.json")]
    pub answers: Option<PathBuf>,
    /// Print the questions (ids, kinds, options) as JSON and stop.
    #[arg(long, conflicts_with = "answers")]
    pub questions: bool,
}

#[derive(Debug, Subcommand)]
pub enum ProfileCommand {
    /// Set your profile; values not given keep what was set before.
    Set(Box<ProfileSetArgs>),
    /// Show your profile.
    Show {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub struct ProfileSetArgs {
    /// What you are after: general, athlete or recovering.
    #[arg(long, value_name = "GOAL")]
    pub goal: Option<String>,
    /// Sessions a week, 1-7.
    #[arg(long, value_name = "N")]
    pub sessions: Option<i64>,
    /// Minutes per session at most, 5-90.
    #[arg(long, value_name = "N")]
    pub minutes: Option<i64>,
    /// What you have at hand beyond a floor and a chair, comma-separated: mat (for comfort),
    /// high-seat, band, weight, wall (or none).
    #[arg(long, value_name = "LIST")]
    pub equipment: Option<String>,
    /// Can you get down to the floor and back up on your own? yes (assumed) or no.
    #[arg(long, value_name = "YES|NO")]
    pub floor: Option<String>,
    /// Is there a steady chair without wheels you can use? yes (assumed) or no.
    #[arg(long, value_name = "YES|NO")]
    pub chair: Option<String>,
    /// Age band: 18-49, 50-64 or 65-plus (default: from your screening answers).
    #[arg(long, value_name = "BAND")]
    pub age_band: Option<String>,
    /// An exercise to favour when time is short; repeat for more.
    #[arg(long, value_name = "ID")]
    pub like: Vec<String>,
    /// An exercise never to schedule; repeat for more.
    #[arg(long, value_name = "ID")]
    pub dislike: Vec<String>,
    /// Replace one exercise by another wherever it would appear: ID=OTHER; repeat for more.
    #[arg(long, value_name = "ID=OTHER")]
    pub swap: Vec<String>,
    /// Forget what was said about one exercise (a like, a dislike, a swap); repeat for more.
    #[arg(long, value_name = "ID")]
    pub forget: Vec<String>,
    /// Forget earlier likes, dislikes and swaps before applying these.
    #[arg(long)]
    pub clear_preferences: bool,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("moment").required(true).args(["morning", "before"])))]
pub struct CheckinArgs {
    /// Hip pain (0-10) on getting up the morning after your last session.
    #[arg(long, value_name = "PAIN")]
    pub morning: Option<i64>,
    /// With --morning: the hip is stiffer than usual.
    #[arg(long, requires = "morning")]
    pub stiffer: bool,
    /// Hip pain (0-10) now, before today's session.
    #[arg(long, value_name = "PAIN")]
    pub before: Option<i64>,
}

#[derive(Debug, Subcommand)]
pub enum MeasureCommand {
    /// Record one side's three trials; the median is kept, with the method's ±.
    Add(MeasureAddArgs),
    /// Every measurement, as a table (whole degrees with their ±).
    List,
    /// Per side and test: first against latest, change per week, and whether it is a real change.
    Trend,
    /// How to do the test: set-up, movement, what spoils a trial.
    Protocol {
        /// seated or prone.
        #[arg(value_name = "POSITION")]
        position: String,
    },
}

#[derive(Debug, Args)]
pub struct MeasureAddArgs {
    /// left or right.
    #[arg(long, value_name = "SIDE")]
    pub side: String,
    /// seated or prone (different tests, never compared).
    #[arg(long, value_name = "POSITION")]
    pub position: String,
    /// goniometer, inclinometer or camera-estimate.
    #[arg(long, value_name = "METHOD")]
    pub method: String,
    /// The three trials in degrees, comma-separated: 34,36,35.
    #[arg(long, value_name = "A,B,C")]
    pub trials: String,
    /// Whether the same person measured as last time: same or different (default same).
    #[arg(long, value_name = "RATER", default_value = "same")]
    pub rater: String,
    /// Who measured, when not you (e.g. "physio").
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// The end of the turn felt hard and blocked, like a bony stop: that side's end-range work
    /// then waits for a clinician.
    #[arg(long)]
    pub hard_end_feel: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. Keep 127.0.0.1 unless HTTPS is on (--tls, or a proxy in front): the
    /// camera and the wake lock need a secure context, which plain HTTP on a LAN address is not.
    #[arg(long, env = "HIPCOACH_BIND", default_value = "127.0.0.1:8080")]
    pub bind: std::net::SocketAddr,
    /// Serve HTTPS, so a phone on the network can use its camera: with a certificate made once
    /// for this computer and kept in the data folder (browsers warn about it), or with --cert and
    /// --key. For example: hipcoach serve --tls --bind 0.0.0.0:8443
    #[arg(long, env = "HIPCOACH_TLS")]
    pub tls: bool,
    /// With --tls: your own certificate chain (PEM) instead of the self-made one.
    #[arg(long, value_name = "FILE.pem", requires = "key")]
    pub cert: Option<PathBuf>,
    /// With --cert: its private key (PEM).
    #[arg(long, value_name = "FILE.pem", requires = "cert")]
    pub key: Option<PathBuf>,
    /// Skip sign-up: every visitor acts as the `--user` account (shared with the CLI). For a
    /// personal machine only, with the server bound to 127.0.0.1.
    #[arg(long, env = "HIPCOACH_SINGLE_USER")]
    pub single_user: bool,
    /// A reverse proxy in front appends the client's address to X-Forwarded-For: log-in limits
    /// then count per client instead of per proxy. Only with a proxy that sets the header.
    #[arg(long, env = "HIPCOACH_BEHIND_PROXY")]
    pub behind_proxy: bool,
    /// Cap every timed step of the player at this many milliseconds (demos and end-to-end tests).
    #[arg(long, hide = true)]
    pub quick_step_ms: Option<u64>,
}
