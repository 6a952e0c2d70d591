//! `hipcoach exercises [show ID]`: the library, as a table or one exercise in full.

use super::{emit, print_json, text_width};
use crate::cli::{ExercisesArgs, ExercisesCommand};
use comfy_table::{ColumnConstraint, ContentArrangement, Table, TableComponent, presets::UTF8_HORIZONTAL_ONLY};
use hipcoach_core::catalog::{Catalog, Exercise, ExerciseId, Goal, Kind, Laterality};
use hipcoach_workflows::profile::{find_exercise, vocabulary};
use std::fmt::Write as _;
use std::path::Path;
use std::process::ExitCode;

pub fn run(catalog_dir: Option<&Path>, args: ExercisesArgs) -> anyhow::Result<ExitCode> {
    let catalog = crate::catalog_dir::load(catalog_dir)?;
    match args.command {
        Some(ExercisesCommand::Show { id, json }) => {
            let exercise = find(&catalog, &id)?;
            if json {
                print_json(exercise)?;
            } else {
                emit(&render(&catalog, exercise, text_width()))?;
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

fn per_side(laterality: Laterality) -> &'static str {
    match laterality {
        Laterality::Bilateral => "",
        Laterality::Unilateral | Laterality::Alternating => " per side",
    }
}

/// The full instructions, wrapped to `width` columns.
pub(crate) fn render(catalog: &Catalog, e: &Exercise, width: usize) -> String {
    let mut out = String::new();
    let para = |out: &mut String, hang: &str, text: &str| {
        let options = textwrap::Options::new(width).subsequent_indent(hang);
        let _ = writeln!(out, "{}", textwrap::fill(text, options));
    };
    let heading = |out: &mut String, title: &str| {
        let _ = writeln!(out, "\n{title}\n{}", "─".repeat(title.chars().count()));
    };
    let list = |out: &mut String, marker: &str, items: &[String]| {
        let hanging = " ".repeat(marker.chars().count());
        for item in items {
            let options = textwrap::Options::new(width).initial_indent(marker).subsequent_indent(&hanging);
            let _ = writeln!(out, "{}", textwrap::fill(item, options));
        }
    };

    let _ = writeln!(out, "{}  [{}]", e.name.to_uppercase(), e.id);
    if !e.aliases.is_empty() {
        para(&mut out, "", &format!("Also called: {}", e.aliases.join(", ")));
    }
    let equipment: Vec<&str> = e.equipment.iter().map(|x| x.label()).collect();
    para(
        &mut out,
        "",
        &format!(
            "{} · {} · {} · needs {}",
            e.kind,
            e.position,
            e.laterality,
            if equipment.is_empty() { "nothing".to_owned() } else { equipment.join(", ") }
        ),
    );
    para(&mut out, "", &format!("Dose: {}{}, rest {} between sets", e.dose, per_side(e.laterality), e.dose.rest));
    let _ = writeln!(out);
    para(&mut out, "", &e.summary);

    heading(&mut out, "Why it helps");
    para(&mut out, "", &e.why);
    para(&mut out, "", &format!("Trains: {}. Muscles: {}.", e.motion, e.muscles.join(", ")));

    heading(&mut out, "Steps");
    let steps: Vec<String> = e.steps.iter().enumerate().map(|(i, s)| format!("{:>2}. {s}", i + 1)).collect();
    for step in &steps {
        let options = textwrap::Options::new(width).subsequent_indent("    ");
        let _ = writeln!(out, "{}", textwrap::fill(step, options));
    }

    heading(&mut out, "Breathing");
    for cue in &e.breathing {
        para(&mut out, "       ", &format!("{:<6} {}", format!("{}:", cue.phase.label()), cue.cue));
    }

    heading(&mut out, "Form cues");
    list(&mut out, "  • ", &e.form_cues);

    heading(&mut out, "Common mistakes");
    for mistake in &e.mistakes {
        list(&mut out, "  ✗ ", std::slice::from_ref(&mistake.mistake));
        list(&mut out, "    → ", std::slice::from_ref(&mistake.fix));
    }

    heading(&mut out, "Precautions");
    list(&mut out, "  ! ", &e.precautions);
    list(&mut out, "  ! ", &["Stop at once on sharp, pinching or catching pain, or tingling or numbness. A gentle stretch is fine; pain is not.".to_owned()]);

    heading(&mut out, "Related");
    let names = |ids: &[ExerciseId]| -> String {
        ids.iter()
            .map(|id| catalog.get(id.as_str()).map_or_else(|| id.to_string(), |x| format!("{} [{id}]", x.name)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (label, ids) in
        [("Easier", &e.links.regressions), ("Harder", &e.links.progressions), ("Alternatives", &e.links.alternatives)]
    {
        if !ids.is_empty() {
            para(&mut out, "  ", &format!("{label}: {}", names(ids)));
        }
    }
    let goals: Vec<&str> = e.goals.iter().map(|g| g.label()).collect();
    para(&mut out, "", &format!("Suits: {}", goals.join(", ")));
    if !e.contraindication_tags.is_empty() {
        let tags: Vec<&str> = e.contraindication_tags.iter().map(|t| t.label()).collect();
        para(&mut out, "", &format!("Screening checks it for: {}", tags.join(", ")));
    }
    let source = match &e.source_note {
        Some(note) => format!("Source: {}. {note}", e.source),
        None => format!("Source: {}.", e.source),
    };
    para(&mut out, "", &source);
    out
}
