//! The hipcoach domain, with no IO: everything here is a pure function of its inputs, so it can
//! be tested densely and reused by every front end (CLI, web, terminal player).
//!
//! # Layout
//! - [`units`]: bounded quantities (hold seconds, reps, sets) that cannot be out of range.
//! - [`catalog`]: exercises as data files, their checked types, and catalog-wide checks.
//! - [`side`]: left or right, the person's own.
//! - [`measure`]: hip IR tests, readings with their ±, keypoint analysis, reps and holds,
//!   progress over time, and synthetic ground truth for all of it.

#![forbid(unsafe_code)]

pub mod catalog;
pub mod measure;
pub mod side;
pub mod units;
