//! `hipcoach export | import | backup`: moving and keeping records.

use crate::cli::{ExportArgs, ExportKind, ImportArgs, StorageArgs};
use crate::coaching::Program;
use crate::exports::{fhir, ical, pdf};
use crate::storage::{block_on, local_user, open};
use anyhow::Context;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_store::{AccountExport, measurements_csv, sessions_csv};
use std::path::Path;
use std::process::ExitCode;

pub fn export(storage: &StorageArgs, catalog: Catalog, today: NaiveDate, args: ExportArgs) -> anyhow::Result<ExitCode> {
    block_on(async {
        let store = open(storage, catalog.clone()).await?;
        let user = local_user(&store, storage).await?;
        let bytes = match args.what {
            ExportKind::Account => {
                (serde_json::to_string_pretty(&store.export_account(user.id).await?)? + "\n").into_bytes()
            }
            ExportKind::SessionsCsv => sessions_csv(&store.sessions(user.id).await?)?.into_bytes(),
            ExportKind::MeasurementsCsv => measurements_csv(&store.measurements(user.id).await?)?.into_bytes(),
            ExportKind::Fhir => {
                let bundle = fhir::bundle(&store.measurements(user.id).await?, &user.name);
                (serde_json::to_string_pretty(&bundle)? + "\n").into_bytes()
            }
            ExportKind::Ical => {
                let plan = Program::load(&store, user.id).await?.plan(&catalog, today)?;
                ical::calendar(&plan, today, chrono::Utc::now().naive_utc(), &user.name).into_bytes()
            }
            ExportKind::Pdf => {
                let program = Program::load(&store, user.id).await?;
                let plan = program.plan(&catalog, today).map_err(|e| format!("No plan: {e}"));
                let trend = super::measure::trend_text(&program.measurements);
                pdf::render(&pdf::Report {
                    user: &user.name,
                    today,
                    measurements: &program.measurements,
                    trend: &trend,
                    plan: plan.as_ref().map_err(Clone::clone),
                    catalog: &catalog,
                })
            }
        };
        write_new_file(&args.path, &bytes)?;
        println!("Wrote {} for {} to {}.", what(args.what), user.name, args.path.display());
        Ok(ExitCode::SUCCESS)
    })
}

pub fn import(storage: &StorageArgs, catalog: Catalog, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.path).with_context(|| format!("cannot read {}", args.path.display()))?;
    let export: AccountExport = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a hipcoach account export", args.path.display()))?;
    block_on(async {
        let store = open(storage, catalog).await?;
        store.import_account(&export, args.rename.as_deref()).await?;
        println!(
            "Imported {} ({} sessions, {} measurements).",
            args.rename.as_deref().unwrap_or(&export.user.name),
            export.sessions.len(),
            export.measurements.len()
        );
        Ok(ExitCode::SUCCESS)
    })
}

pub fn backup(storage: &StorageArgs, catalog: Catalog, path: &Path) -> anyhow::Result<ExitCode> {
    block_on(async {
        let store = open(storage, catalog).await?;
        store.backup(path).await?;
        println!("Backed up the database to {}.", path.display());
        Ok(ExitCode::SUCCESS)
    })
}

fn what(kind: ExportKind) -> &'static str {
    match kind {
        ExportKind::Account => "the account",
        ExportKind::SessionsCsv => "sessions (one row per set)",
        ExportKind::MeasurementsCsv => "measurements",
        ExportKind::Fhir => "measurements as FHIR R4 Observations",
        ExportKind::Ical => "the weekly schedule as a calendar",
        ExportKind::Pdf => "a progress report and exercise handout",
    }
}

/// Writes `text` to a file that must not exist yet, fully, before it appears under its name.
pub(crate) fn write_new_file(path: &Path, text: &[u8]) -> anyhow::Result<()> {
    if path.exists() {
        anyhow::bail!("{} exists already; choose a new file name", path.display());
    }
    let partial = path.with_extension("partial");
    std::fs::write(&partial, text).with_context(|| format!("cannot write {}", partial.display()))?;
    std::fs::rename(&partial, path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Writes sessions until killed, acknowledging each only after its commit returned.
pub fn write_load(storage: &StorageArgs, prefix: &str) -> anyhow::Result<ExitCode> {
    use hipcoach_core::session::{Engine, Pace, SessionItem};
    use std::io::Write;
    let catalog = Catalog::builtin().clone();
    let item = SessionItem::from_exercise(catalog.get("clamshell").context("clamshell is built in")?);
    let mut engine = Engine::new(vec![item], Pace::default());
    let mut effects = engine.handle(0, hipcoach_core::session::Command::Start);
    effects.extend(engine.handle(1_000, hipcoach_core::session::Command::EndSession));
    let record = effects
        .into_iter()
        .find_map(|e| match e {
            hipcoach_core::session::Effect::Finished(record) => Some(record),
            _ => None,
        })
        .context("an ended session has a record")?;
    block_on(async {
        let store = open(storage, catalog).await?;
        let user = local_user(&store, storage).await?;
        let today = chrono::Local::now().date_naive();
        let mut out = std::io::stdout().lock();
        for n in 0u64.. {
            let key = format!("{prefix}-{n}");
            store.record_session(user.id, today, &key, &record).await?;
            writeln!(out, "ack {key}")?;
            out.flush()?;
        }
        Ok(ExitCode::SUCCESS)
    })
}
