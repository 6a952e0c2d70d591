//! `hipcoach exercises [show ID]`: the library, as a table or one exercise in full.

use super::{emit, print_json, text_width};
use crate::cli::{ExercisesArgs, ExercisesCommand};
use comfy_table::{ColumnConstraint, ContentArrangement, Table, TableComponent, presets::UTF8_HORIZONTAL_ONLY};
use hipcoach_core::catalog::{Catalog, Exercise, Goal, Kind};
use hipcoach_workflows::instructions::{instructions, per_side};
use hipcoach_workflows::profile::{find_exercise, vocabulary};
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
                    table(&exercises),
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

fn table(exercises: &[&Exercise]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(UTF8_HORIZONTAL_ONLY)
        .remove_style(TableComponent::HorizontalLines)
        .remove_style(TableComponent::MiddleIntersections)
        .set_content_arrangement(if std::io::IsTerminal::is_terminal(&std::io::stdout()) {
            ContentArrangement::Dynamic
        } else {
            ContentArrangement::Disabled
        })
        .set_header(["Id", "Exercise", "Kind", "Default dose", "Needs"]);
    for exercise in exercises {
        let needs: Vec<&str> = exercise.equipment.iter().map(|e| e.label()).collect();
        table.add_row([
            exercise.id.to_string(),
            exercise.name.clone(),
            exercise.kind.to_string(),
            format!("{}{}", exercise.dose, per_side(exercise.laterality)),
            if needs.is_empty() { "nothing".to_owned() } else { needs.join(", ") },
        ]);
    }
    // Ids are what people type next, so they are never broken across lines.
    if let Some(column) = table.column_mut(0) {
        column.set_constraint(ColumnConstraint::ContentWidth);
    }
    table
}
