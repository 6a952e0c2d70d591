//! The guided session: a deterministic state machine that walks a session's prescriptions.
//!
//! A front end (terminal, web page) owns the clock. It sends [`Command`]s stamped with its own
//! monotonic milliseconds and performs the [`Effect`]s that come back: show text, beep, speak,
//! ask about pain, store the finished [`SessionRecord`]. Between commands it draws
//! [`Engine::view`] and sleeps until [`Engine::next_wake`]. Because the engine never reads a
//! clock, tests drive a whole session with plain numbers.
//!
//! # Layout
//! - `item`: one exercise with today's dose, as the engine needs it.
//! - `script`: the session flattened into timed steps grouped in units (skip and back move by unit).
//! - `engine`: the state machine.
//! - `effect`: commands in, effects out.
//! - `record`: what was done, per set and side, with the pain answers.
//! - `timeline`: a log of what the person did, replayed into the screens to play; what the page
//!   (compiled to WebAssembly) and the server share.

mod effect;
mod engine;
mod item;
mod record;
mod script;
pub mod timeline;

pub use effect::{BeepKind, Command, Effect};
pub use engine::{Engine, Millis, RunState, View};
pub use item::{SessionItem, Sides};
pub use record::{ExerciseRecord, PainAnswer, SessionRecord, SetOutcome, SetRecord, Summary};
pub use script::{Pace, Step, StepKind, Working};

#[cfg(test)]
mod tests;
