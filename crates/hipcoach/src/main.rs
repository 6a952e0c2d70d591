//! `hipcoach`: the one binary. Parses arguments and settings, loads the catalog, and hands work
//! to the command modules, which call `hipcoach-workflows` (the same functions the web app
//! calls) or start the web app (`hipcoach serve`) and the terminal player. `anyhow` errors stop
//! here and are printed for a person.
//!
//! # Layout
//! - `cli`: the flags and commands (clap); `commands/`: one file per command.
//! - `player/`: the guided session in the terminal (full screen, or plain lines when piped).
//! - `storage`: opening the database the flags name.

#![forbid(unsafe_code)]

mod cli;
mod commands;
mod player;
mod storage;
mod tls;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
