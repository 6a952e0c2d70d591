//! Every file hipcoach writes for a person or another program: the whole account as JSON (which
//! [`import_account`] reads back), CSV for spreadsheets, FHIR for health records, iCalendar for
//! calendars and a PDF to print. The formats themselves are pure functions from stored data to
//! bytes (`fhir`, `ical`, `pdf`), so tests check the output itself; [`export`] gathers the data.

pub mod fhir;
pub mod ical;
pub mod pdf;

use crate::error::{Result, WorkflowError};
use crate::measuring::trend_text;
use crate::program::Program;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
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
    /// A printable one-page progress report and exercise handout.
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
            Format::Pdf => "a progress report and exercise handout",
        }
    }
}

/// The file's bytes. `today` dates the report and picks the calendar's week; `now` stamps the
/// calendar's events (UTC); `session_time` is when, in this computer's time zone, the
/// calendar puts each session.
pub async fn export(
    store: &Store,
    catalog: &Catalog,
    user: &User,
    today: NaiveDate,
    now: NaiveDateTime,
    format: Format,
    session_time: NaiveTime,
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
            json(serde_json::to_string_pretty(&fhir::bundle(&measurements, &checkins, &user.name)))?
        }
        Format::Ical => {
            let plan = Program::load(store, user.id).await?.plan(catalog, today)?;
            // This computer's time zone: the person's own, for a command they run themselves.
            let time = ical::SessionTime { at: session_time, zone: chrono::Local };
            ical::calendar(&plan, today, &time, now, &user.name).into_bytes()
        }
        Format::Pdf => {
            let program = Program::load(store, user.id).await?;
            let plan = program.plan(catalog, today).map_err(|e| format!("No plan: {e}"));
            let trend = trend_text(&program.measurements);
            pdf::render(&pdf::Report {
                user: &user.name,
                today,
                measurements: &program.measurements,
                trend: &trend,
                plan: plan.as_ref().map_err(Clone::clone),
                catalog,
            })
        }
    })
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
