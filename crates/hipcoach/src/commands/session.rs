//! `hipcoach session`: a guided session in the terminal.

use crate::cli::SessionArgs;
use anyhow::Context;
use hipcoach_core::session::{Pace, SessionItem};
use std::path::Path;
use std::process::ExitCode;

/// A balanced short session for someone without a plan yet: activation, end-range rotation,
/// strength, then a stretch to finish.
const STARTER: &[&str] =
    &["seated-hip-internal-rotation", "clamshell", "prone-hip-internal-rotation", "box-squat", "figure-four-stretch"];

pub fn run(catalog_dir: Option<&Path>, args: SessionArgs) -> anyhow::Result<ExitCode> {
    let catalog = crate::catalog_dir::load(catalog_dir)?;
    let names: Vec<&str> =
        if args.exercises.is_empty() { STARTER.to_vec() } else { args.exercises.iter().map(String::as_str).collect() };
    let items = names
        .iter()
        .map(|name| super::exercises::find(&catalog, name).map(SessionItem::from_exercise))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let pace =
        if args.quick { Pace { get_ready_ms: 1_000, switch_ms: 1_000, cap_ms: Some(1_000) } } else { Pace::default() };
    let Some(record) = crate::player::run(items, pace)? else { return Ok(ExitCode::SUCCESS) };
    if let Some(path) = &args.save {
        let json = serde_json::to_string_pretty(&record)?;
        let partial = path.with_extension("partial");
        std::fs::write(&partial, json).with_context(|| format!("cannot write {}", partial.display()))?;
        std::fs::rename(&partial, path).with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(ExitCode::SUCCESS)
}
