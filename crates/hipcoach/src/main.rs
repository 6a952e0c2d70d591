//! `hipcoach`: the command-line edge of the coach. Parses arguments, loads the catalog and hands
//! work to the command modules; `anyhow` errors stop here and are printed for a person.

#![forbid(unsafe_code)]

mod calendar;
mod catalog_dir;
mod cli;
mod coaching;
mod commands;
mod exports;
mod measuring;
mod player;
mod storage;
mod web;
mod words;

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
