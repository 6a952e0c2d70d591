//! Phrases both front ends show, so the terminal, the pages and the files say the same thing.

use hipcoach_core::catalog::Catalog;
use hipcoach_core::program::{Block, ExclusionReason, PlannedExercise, SideSelection, Verdict, WeekPlan};
use hipcoach_core::session::{PainAnswer, SetOutcome, SetRecord, Working};

/// The text with its first letter in upper case ("seated hip IR" → "Seated hip IR").
pub fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The screening verdict as advice.
pub fn verdict_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::ClearToStart => "you are clear to start, gently",
        Verdict::StartWithCautions => "you may start, with the cautions below",
        Verdict::SeeClinicianFirst => "please see a doctor or physiotherapist before starting",
        Verdict::UrgentCare => "please stop and get medical care today",
    }
}

/// The part of the session an exercise belongs to.
pub fn block_words(block: Block) -> &'static str {
    match block {
        Block::WarmUp => "warm-up",
        Block::Mobility => "mobility",
        Block::Strength => "strength",
        Block::CoolDown => "cool-down",
    }
}

/// "each side", "each side, +1 set on the left", "both together", "right side only".
pub fn sides_words(item: &PlannedExercise) -> String {
    let mut words = match item.sides {
        SideSelection::Together => "both sides together".to_owned(),
        SideSelection::EachSide => "each side".to_owned(),
        SideSelection::OneSide(side) => format!("{side} side only"),
    };
    if let Some(side) = item.extra_set {
        words.push_str(&format!(", +1 set on the {side}"));
    }
    words
}

/// What the plan leaves out, by the names people know the exercises by, each with its reason.
/// Exercises that only need more equipment are not repeated here: the plan's note on what more
/// equipment would add names them once.
pub fn left_out<'a>(plan: &'a WeekPlan, catalog: &Catalog) -> Vec<(String, &'a str)> {
    plan.excluded
        .iter()
        .filter(|e| e.reason != ExclusionReason::MissingEquipment)
        .map(|e| (catalog.name_of(&e.exercise), e.text.as_str()))
        .collect()
}

/// Seconds as the whole minutes a person plans with, rounded up.
pub fn minutes(seconds: u32) -> u32 {
    seconds.div_ceil(60)
}

/// Something a person typed, quoted back to them in a message: at most 40 characters, so a
/// long or hostile value never floods the answer.
pub fn quoted(typed: &str) -> String {
    const LONGEST: usize = 40;
    let mut chars = typed.chars();
    let short: String = chars.by_ref().take(LONGEST).collect();
    if chars.next().is_some() { format!("“{short}…”") } else { format!("“{short}”") }
}

/// One set as done, in words: "Set 2, left side: done, 10 reps", "Set 1: skipped after 12 s".
pub fn set_words(set: &SetRecord) -> String {
    let side = match set.working {
        Working::Side(side) => format!(", {side} side"),
        Working::Both => String::new(),
        Working::Alternating => ", sides taking turns".to_owned(),
    };
    let outcome = match set.outcome {
        SetOutcome::Completed => "done",
        SetOutcome::Skipped => "skipped",
        SetOutcome::StoppedForPain => "stopped for pain",
        SetOutcome::Cancelled => "not started (the exercise or session had stopped)",
        SetOutcome::Frozen => "not started (this side rests after sharp pain)",
    };
    let amount = match (set.reps_done, set.hold_seconds_done) {
        (Some(1), _) => ", 1 rep".to_owned(),
        (Some(reps), _) if reps > 0 => format!(", {reps} reps"),
        (_, Some(seconds)) if seconds > 0 => format!(", held {seconds} s"),
        _ => String::new(),
    };
    format!("Set {}{side}: {outcome}{amount}", set.set)
}

/// The answer to a pain check, as a person reads it back.
pub fn pain_words(answer: PainAnswer) -> String {
    match answer {
        PainAnswer::Score(score) => format!("hip pain {score}"),
        PainAnswer::NotAnswered => "pain check skipped".to_owned(),
        red => format!("{}: stopped", capitalised(red.label())),
    }
}
