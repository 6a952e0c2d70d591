//! `hipcoach export | import | backup`: moving and keeping records.

use crate::cli::{ExportArgs, ExportKind, ImportArgs, StorageArgs};
use crate::storage::{block_on, local_user, open};
use anyhow::Context;
use chrono::NaiveDate;
use hipcoach_core::catalog::Catalog;
use hipcoach_workflows::WorkflowError;
use hipcoach_workflows::exports::{self, Format};
use std::path::Path;
use std::process::ExitCode;

pub fn export(storage: &StorageArgs, catalog: Catalog, today: NaiveDate, args: ExportArgs) -> anyhow::Result<ExitCode> {
    let format = format(args.what);
    block_on(async {
        let store = open(storage, catalog.clone()).await?;
        let user = local_user(&store, storage).await?;
        let now = chrono::Utc::now().naive_utc();
        // This computer's time zone: the person's own, for a command they run themselves.
        let session_time = exports::ical::SessionTime { at: args.at, zone: chrono::Local };
        let bytes = exports::export(&store, &catalog, &user, today, now, format, &session_time).await?;
        if args.path.as_os_str() == "-" {
            // `-` is standard output, for pipes; the note goes to standard error.
            use std::io::Write;
            std::io::stdout().lock().write_all(&bytes)?;
            eprintln!("Wrote {} for {}.", format.contents(), user.name);
            return Ok(ExitCode::SUCCESS);
        }
        write_new_file(&args.path, &bytes)?;
        println!("Wrote {} for {} to {}.", format.contents(), user.name, args.path.display());
        Ok(ExitCode::SUCCESS)
    })
}

pub fn import(storage: &StorageArgs, catalog: Catalog, args: ImportArgs) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.path).with_context(|| format!("cannot read {}", args.path.display()))?;
    block_on(async {
        let store = open(storage, catalog).await?;
        let imported = exports::import_account(&store, &text, args.rename.as_deref()).await.map_err(|e| match e {
            WorkflowError::Invalid { reason, .. } => anyhow::anyhow!("{} is {reason}", args.path.display()),
            other => other.into(),
        })?;
        println!(
            "Imported {} ({} sessions, {} measurements).",
            imported.name, imported.sessions, imported.measurements
        );
        Ok(ExitCode::SUCCESS)
    })
}

pub fn backup(storage: &StorageArgs, catalog: Catalog, path: &Path) -> anyhow::Result<ExitCode> {
    // Backing up a database that is not there would create an empty one and "back it up".
    if let Some(file) = crate::storage::sqlite_file(storage).filter(|f| !f.exists()) {
        anyhow::bail!("there is no hipcoach database at {}; check --data-dir", file.display());
    }
    block_on(async {
        let store = open(storage, catalog).await?;
        store.backup(path).await?;
        println!("Backed up the database to {}.", path.display());
        Ok(ExitCode::SUCCESS)
    })
}

/// `hipcoach check`: SQLite's full integrity check, without opening the file for writing, so a
/// damaged database can be examined; exits non-zero when anything is wrong.
pub fn check(storage: &StorageArgs) -> anyhow::Result<ExitCode> {
    let Some(file) = crate::storage::sqlite_file(storage) else {
        anyhow::bail!("hipcoach check reads a SQLite file; PostgreSQL checks itself (see its amcheck extension)");
    };
    if !file.exists() {
        anyhow::bail!("there is no hipcoach database at {}; check --data-dir", file.display());
    }
    let problems = block_on(async { Ok(hipcoach_store::Store::check_file(&file).await?) })?;
    if problems.is_empty() {
        println!("{} is sound: every page was read and checked.", file.display());
        return Ok(ExitCode::SUCCESS);
    }
    let count = if problems.len() == 1 { "1 problem".to_owned() } else { format!("{} problems", problems.len()) };
    println!("{} is damaged ({count}):", file.display());
    for problem in problems.iter().take(20) {
        println!("  {problem}");
    }
    if problems.len() > 20 {
        println!("  … and {} more", problems.len() - 20);
    }
    println!("Restore your latest backup (hipcoach backup makes one) and move this file aside.");
    Ok(ExitCode::FAILURE)
}

fn format(kind: ExportKind) -> Format {
    match kind {
        ExportKind::Account => Format::Account,
        ExportKind::SessionsCsv => Format::SessionsCsv,
        ExportKind::MeasurementsCsv => Format::MeasurementsCsv,
        ExportKind::Fhir => Format::Fhir,
        ExportKind::Ical => Format::Ical,
        ExportKind::Pdf => Format::Pdf,
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
