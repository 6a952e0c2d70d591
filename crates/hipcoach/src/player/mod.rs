//! The terminal player: runs a guided session on the real clock.
//!
//! A full-screen view with a big countdown when both ends of the terminal are a TTY; plain,
//! timestamped lines otherwise (logs, pipes, screen readers). Both drive the same core engine,
//! so the timings and cues are identical.

mod big_digits;
mod plain;
mod tty;

use hipcoach_core::session::{Command, Engine, Pace, PainAnswer, SessionItem, SessionRecord};
use hipcoach_core::units::PainScore;
use std::io::IsTerminal;
use std::time::Instant;

/// Runs the session; returns the record, or `None` when the user left before starting.
pub fn run(items: Vec<SessionItem>, pace: Pace) -> anyhow::Result<Option<SessionRecord>> {
    let engine = Engine::new(items, pace);
    if std::io::stdout().is_terminal() && std::io::stdin().is_terminal() {
        tty::run(engine)
    } else {
        plain::run(engine)
    }
}

/// The front end's monotonic clock, in the engine's milliseconds.
struct Clock(Instant);

impl Clock {
    fn start() -> Self {
        Self(Instant::now())
    }

    fn now(&self) -> u64 {
        u64::try_from(self.0.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// How to answer the pain check, for the prompt: every red sign has its key.
const PAIN_KEYS: &str =
    "0 to 10, or x sharp, p pinching, c catching or locking, t tingling or numbness; nothing to skip";

/// Reads a typed pain answer: a number 0–10, a red sign's key or word, nothing to skip.
fn parse_pain(text: &str) -> Result<PainAnswer, String> {
    let text = text.trim().to_lowercase();
    match text.as_str() {
        "" => Ok(PainAnswer::NotAnswered),
        "x" | "sharp" => Ok(PainAnswer::Sharp),
        "p" | "pinching" => Ok(PainAnswer::Pinching),
        "c" | "catching" | "locking" => Ok(PainAnswer::CatchingOrLocking),
        "t" | "tingling" | "numb" | "numbness" => Ok(PainAnswer::TinglingOrNumbness),
        number => number
            .parse::<i64>()
            .ok()
            .and_then(|n| PainScore::new(n).ok())
            .map(PainAnswer::Score)
            .ok_or_else(|| format!("`{text}` is not a pain score: type {PAIN_KEYS}")),
    }
}

/// After red pain: `g` (or "go on") goes on without that exercise; anything else, or no
/// answer at all, ends the session, the safe default.
fn parse_go_on(text: &str) -> Command {
    match text.trim().to_lowercase().as_str() {
        "g" | "go" | "go on" => Command::GoOn,
        _ => Command::EndSession,
    }
}

/// The question after red pain.
fn go_on_question(name: &str) -> String {
    format!("{name} is stopped for today. Press g to go on with the rest without it, or e to end the session here.")
}

/// One line for the finish screen.
fn summary_line(record: &SessionRecord) -> String {
    let s = record.summary();
    let mut line = format!(
        "Done: {} of {} sets, {} of {} exercises complete, about {} min.",
        s.sets_completed,
        s.sets_planned,
        s.exercises_completed,
        record.exercises.len(),
        s.minutes
    );
    if let Some(worst) = s.worst_pain {
        line.push_str(&format!(" Highest hip pain: {worst}."));
    }
    if s.red_pain_stops > 0 {
        line.push_str(&format!(
            " {} exercise{} stopped for pain: rest it today, and see a clinician if it comes back.",
            s.red_pain_stops,
            if s.red_pain_stops == 1 { "" } else { "s" }
        ));
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pain_answers_are_parsed_with_a_clear_error() {
        assert_eq!(parse_pain(" 3 "), Ok(PainAnswer::Score(PainScore::new(3).unwrap())));
        assert_eq!(parse_pain("X"), Ok(PainAnswer::Sharp));
        assert_eq!(parse_pain(""), Ok(PainAnswer::NotAnswered));
        assert!(parse_pain("11").unwrap_err().contains("type 0 to 10"));
        assert_eq!(parse_pain("c"), Ok(PainAnswer::CatchingOrLocking));
        assert_eq!(parse_pain("numb"), Ok(PainAnswer::TinglingOrNumbness));
        assert_eq!(parse_go_on("g"), Command::GoOn);
        assert_eq!(parse_go_on(""), Command::EndSession, "ending is the default after red pain");
        assert!(parse_pain("ouch").is_err());
    }
}
