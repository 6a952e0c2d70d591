//! An exercise's full instructions as plain text wrapped to a width: everything a person needs to
//! do it from the page alone — dose, steps, breathing per phase, form cues, common mistakes with
//! their fixes, precautions and related exercises. `hipcoach exercises show` prints it.

use hipcoach_core::catalog::{Catalog, Exercise, ExerciseId, Laterality};
use std::fmt::Write as _;

/// " per side" after a dose, for exercises worked one side at a time.
pub fn per_side(laterality: Laterality) -> &'static str {
    match laterality {
        Laterality::Bilateral => "",
        Laterality::Unilateral | Laterality::Alternating => " per side",
    }
}

/// The full instructions, wrapped to `width` columns.
pub fn instructions(catalog: &Catalog, e: &Exercise, width: usize) -> String {
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
