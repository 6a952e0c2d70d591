//! `hipcoach exercises [show ID]`: the library, as a table or one exercise in full.

use super::{emit, print_json, text_width};
use crate::cli::{ExercisesArgs, ExercisesCommand};
use hipcoach_core::catalog::{Catalog, Equipment, Exercise, Goal, Kind};
use hipcoach_workflows::instructions::{instructions, per_side};
use hipcoach_workflows::profile::{find_exercise, vocabulary};
use hipcoach_workflows::wording::capitalised;
use std::path::Path;
use std::process::ExitCode;

pub fn run(catalog_dir: Option<&Path>, args: ExercisesArgs) -> anyhow::Result<ExitCode> {
    let catalog = super::catalog(catalog_dir)?;
    match args.command {
        Some(ExercisesCommand::Show { id, json }) => {
            let exercise = find(&catalog, &id)?;
            if json {
                print_json(exercise)?;
            } else {
                emit(&instructions(&catalog, exercise, text_width()))?;
            }
        }
        None => {
            let kind =
                args.kind.as_deref().map(|k| vocabulary(k, Kind::ALL).map_err(anyhow::Error::msg)).transpose()?;
            let goal =
                args.goal.as_deref().map(|g| vocabulary(g, Goal::ALL).map_err(anyhow::Error::msg)).transpose()?;
            let mut exercises: Vec<&Exercise> = catalog
                .exercises()
                .filter(|e| kind.is_none_or(|k| e.kind == k))
                .filter(|e| goal.is_none_or(|g| e.goals.contains(&g)))
                .collect();
            exercises.sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
            if args.json {
                print_json(&exercises)?;
            } else {
                emit(&format!(
                    "{}\n{} exercises. Show one with `hipcoach exercises show ID`.\n",
                    listing(&exercises, text_width()),
                    exercises.len()
                ))?;
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// By id, name or alias; otherwise an error that suggests the closest ids.
pub(crate) fn find<'a>(catalog: &'a Catalog, text: &str) -> anyhow::Result<&'a Exercise> {
    find_exercise(catalog, text).map_err(anyhow::Error::msg)
}

/// The library as a list that fits the terminal (80 columns when piped), grouped by kind: each
/// exercise's id (what people type next, never broken), its name, and its dose and needs on a
/// second line. A table of five columns broke words at 80 columns and ran to 169 in a pipe.
fn listing(exercises: &[&Exercise], width: usize) -> String {
    let mut out = String::new();
    let mut kind = None;
    for exercise in exercises {
        if kind != Some(exercise.kind) {
            kind = Some(exercise.kind);
            out.push_str(&format!("\n{}\n", capitalised(exercise.kind.label())));
        }
        out.push_str(&format!("  {}  {}\n", exercise.id, exercise.name));
        let needs: Vec<&str> =
            exercise.equipment.iter().map(|e| if *e == Equipment::Mat { "the floor" } else { e.label() }).collect();
        let detail = format!(
            "{}{} · needs {}",
            exercise.dose,
            per_side(exercise.laterality),
            if needs.is_empty() { "nothing".to_owned() } else { needs.join(", ") }
        );
        let options = textwrap::Options::new(width).initial_indent("      ").subsequent_indent("      ");
        out.push_str(&format!("{}\n", textwrap::fill(&detail, options)));
    }
    out
}
