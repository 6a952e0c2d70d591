//! The hipcoach domain, with no IO: everything here is a pure function of its inputs, so it can
//! be tested densely and reused by every front end (CLI, web, terminal player).
//!
//! # Layout
//! - [`units`]: bounded quantities (hold seconds, reps, sets, pain, degrees) that cannot be out of
//!   range, plus [`units::Side`] and [`units::Day`].
//! - [`catalog`]: exercises as data files, their checked types, and catalog-wide checks.
//! - [`program`]: the coach's brain: screening, the user's profile, the weekly plan, and
//!   progression gated by pain, every change explained in a sentence.
//! - [`session`]: the guided-session state machine, driven by an injected clock.
//! - [`measure`]: hip IR tests, readings with their ±, keypoint analysis, reps and holds,
//!   progress over time, and synthetic ground truth for all of it.

#![forbid(unsafe_code)]

pub mod catalog;
pub mod measure;
pub mod program;
pub mod session;
mod spelling;
pub mod units;

pub use spelling::spelling;
