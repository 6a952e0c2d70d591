//! Every file hipcoach writes for a person or another program: the whole account as JSON (which
//! [`import_account`] reads back), CSV for spreadsheets, FHIR for health records, iCalendar for
//! calendars and a PDF to print. The formats themselves are pure functions from stored data to
//! bytes (`fhir`, `ical`, `pdf`), so tests check the output itself; [`export`] gathers the data.

pub mod fhir;
pub mod ical;
pub mod pdf;

use crate::error::{Result, WorkflowError};
use crate::program::Program;
use chrono::{NaiveDate, NaiveDateTime, TimeZone};
use hipcoach_core::catalog::Catalog;
use hipcoach_store::{AccountExport, Store, User, measurements_csv, sessions_csv};

/// What to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Everything, as JSON that [`import_account`] reads back.
    Account,
    /// One row per set, for spreadsheets.
    SessionsCsv,
    /// One row per range-of-motion measurement, for spreadsheets.
    MeasurementsCsv,
    /// Measurements as a FHIR R4 Bundle of Observations, for health records.
    Fhir,
    /// This week's sessions as a weekly repeating calendar (iCalendar, .ics).
    Ical,
    /// A printable progress report and a handout page for each of this week's sessions.
    Pdf,
}

impl Format {
    /// What the file holds, for "Wrote … to FILE".
    pub fn contents(self) -> &'static str {
        match self {
            Format::Account => "the account",
            Format::SessionsCsv => "sessions (one row per set)",
            Format::MeasurementsCsv => "measurements",
            Format::Fhir => "measurements and pain ratings as FHIR R4 Observations",
            Format::Ical => "this week's sessions as a calendar",
            Format::Pdf => "a progress report and a page for each session",
        }
    }
}

/// The file's bytes. `today` dates the report and picks the calendar's week; `now` stamps the
/// calendar's events (UTC); `session_time` is when, and in which time zone (the person's own:
/// the command line passes the computer's), the calendar puts each session.
pub async fn export<Tz: TimeZone>(
    store: &Store,
    catalog: &Catalog,
    user: &User,
    today: NaiveDate,
    now: NaiveDateTime,
    format: Format,
    session_time: &ical::SessionTime<Tz>,
) -> Result<Vec<u8>> {
    let json = |value: serde_json::Result<String>| {
        value
            .map(|text| (text + "\n").into_bytes())
            .map_err(|error| WorkflowError::Internal(format!("cannot write the file: {error}")))
    };
    Ok(match format {
        Format::Account => json(serde_json::to_string_pretty(&store.export_account(user.id).await?))?,
        Format::SessionsCsv => sessions_csv(&store.sessions(user.id).await?).map_err(spreadsheet_fault)?.into_bytes(),
        Format::MeasurementsCsv => {
            measurements_csv(&store.measurements(user.id).await?).map_err(spreadsheet_fault)?.into_bytes()
        }
        Format::Fhir => {
            let measurements = store.measurements(user.id).await?;
            let checkins = store.pain_checkins(user.id).await?;
            let sessions = store.sessions(user.id).await?;
            let exercise_pain: Vec<fhir::ExercisePain<'_>> = sessions
                .iter()
                .flat_map(|session| {
                    session.record.exercises.iter().enumerate().map(move |(position, done)| fhir::ExercisePain {
                        day: session.day,
                        session_key: &session.client_key,
                        position,
                        exercise: catalog.get(done.exercise.as_str()).map_or(done.exercise.as_str(), |e| &e.name),
                        answer: done.pain,
                    })
                })
                .collect();
            json(serde_json::to_string_pretty(&fhir::bundle(&measurements, &checkins, &exercise_pain, &user.name)))?
        }
        Format::Ical => {
            let plan = Program::load(store, user.id).await?.plan(catalog, today)?;
            ical::calendar(&plan, today, session_time, now, &user.name).into_bytes()
        }
        Format::Pdf => {
            let program = Program::load(store, user.id).await?;
            let plan = program.plan(catalog, today).map_err(|error| no_plan_words(&program, today, &error));
            pdf::render(&pdf::Report {
                user: &user.name,
                today,
                measurements: &program.measurements,
                plan: plan.as_ref().map_err(Clone::clone),
                catalog,
            })
        }
    })
}

/// Why there is no plan, in the handout's words: what to do next, no command names.
fn no_plan_words(program: &Program, today: NaiveDate, error: &WorkflowError) -> String {
    let Some(screening) = program.screening.as_ref().filter(|_| program.profile.is_some()) else {
        return "There is no plan yet: answer the safety questions and set your goal and time (Profile in the web \
                app) to get one."
            .to_owned();
    };
    if program.screening_is_due(today) {
        return "Your safety answers are over a year old. Answer them again (Profile in the web app) so the plan \
                still suits you."
            .to_owned();
    }
    let outcome = &screening.outcome;
    if !outcome.verdict().allows_plan() {
        let reasons: Vec<&str> = outcome.reasons().iter().map(|r| r.text.as_str()).collect();
        return format!(
            "Screening says {}, so there is no exercise plan for now. {}",
            crate::wording::verdict_words(outcome.verdict()),
            reasons.join(" ")
        );
    }
    crate::wording::capitalised(&error.to_string().replace('`', ""))
}

fn spreadsheet_fault(error: csv::Error) -> WorkflowError {
    WorkflowError::Internal(format!("cannot write the spreadsheet: {error}"))
}

/// What an account import brought in.
#[derive(Debug, Clone)]
pub struct Imported {
    /// The user name it was stored under.
    pub name: String,
    /// Sessions brought in.
    pub sessions: usize,
    /// Measurements brought in.
    pub measurements: usize,
}

/// Reads an account export (the JSON [`export`] writes) into the store, under `rename` when
/// given; nothing is stored when the file is not a hipcoach account export.
pub async fn import_account(store: &Store, text: &str, rename: Option<&str>) -> Result<Imported> {
    let export: AccountExport = serde_json::from_str(text)
        .map_err(|error| WorkflowError::invalid("file", format!("not a hipcoach account export ({error})")))?;
    store.import_account(&export, rename).await?;
    Ok(Imported {
        name: rename.unwrap_or(&export.user.name).to_owned(),
        sessions: export.sessions.len(),
        measurements: export.measurements.len(),
    })
}
