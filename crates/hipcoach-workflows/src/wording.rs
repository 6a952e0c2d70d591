//! Phrases both front ends show, so the terminal, the pages and the files say the same thing.

use hipcoach_core::program::{Block, PlannedExercise, SideSelection, Verdict};

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

/// Seconds as the whole minutes a person plans with, rounded up.
pub fn minutes(seconds: u32) -> u32 {
    seconds.div_ceil(60)
}
