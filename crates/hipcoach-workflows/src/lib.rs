//! The use cases both front ends call: the command line (`hipcoach …`) and the web app
//! (`hipcoach serve`). A workflow takes a [`Store`](hipcoach_store::Store), the catalog and
//! today's date, does one thing a person asked for, and returns domain values or a
//! [`WorkflowError`]. Nothing here knows about HTTP, flags or terminals, so the two front ends
//! cannot drift apart: finishing a session, checking in and recording a measurement are one
//! function each, and tests drive them directly with a real store.
//!
//! # Layout
//! - [`program`]: a person's stored program (screening, profile, progression document), this
//!   week's plan and the review after a session.
//! - [`profile`]: changing goal, time, equipment, age band and preferences.
//! - [`screening`]: storing the safety answers and the profile the onboarding form sends.
//! - [`session`]: the player's items, replaying the page's log, and finishing a session.
//! - [`checkin`]: pain before a session and the morning after.
//! - [`measuring`]: hip-rotation readings in, progress per test and side out.
//! - [`instructions`]: an exercise's full instructions as wrapped text.
//! - [`exports`]: the account JSON, CSV, FHIR, iCalendar and PDF files.
//! - [`figure`]: the stick figure of each starting position, for the page and the handout.
//! - [`catalog_folder`]: the person's own exercise files layered over the built-in catalog.
//! - [`calendar`]: dates at the edge, the core's day numbers inside.
//! - [`wording`]: phrases both front ends show (verdicts, sides, blocks).
//! - [`error`]: [`WorkflowError`], which the web maps to status codes in one place.

#![forbid(unsafe_code)]

pub mod adherence;
pub mod calendar;
pub mod catalog_folder;
pub mod checkin;
pub mod clip_plot;
pub mod corrections;
pub mod error;
pub mod exports;
pub mod figure;
pub mod instructions;
pub mod measuring;
pub mod profile;
pub mod program;
pub mod recording;
pub mod screening;
pub mod session;
pub mod wording;

pub use error::WorkflowError;
