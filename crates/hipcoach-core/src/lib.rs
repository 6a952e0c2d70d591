//! The hipcoach domain, with no IO: everything here is a pure function of its inputs, so it can
//! be tested densely and reused by every front end (CLI, web, terminal player).
//!
//! # Layout
//! - [`units`]: bounded quantities (hold seconds, reps, sets) that cannot be out of range.
//! - [`side`]: left and right.
//! - [`catalog`]: exercises as data files, their checked types, and catalog-wide checks.
//! - [`session`]: the guided-session state machine, driven by an injected clock.

#![forbid(unsafe_code)]

pub mod catalog;
pub mod session;
pub mod side;
pub mod units;
