//! Every file hipcoach writes, for one small account, compared byte for byte with the files in
//! `tests/golden/`: a change to any export shows in review as a changed file. The account (a
//! screening, a profile, four readings in two tests with two methods, a session with its pain
//! check-ins and a morning check) is `golden/account.json`, made with the command line; it is
//! imported, then every format is exported on a fixed day, at a fixed time, in a fixed time zone.
//!
//! After an intended change: `UPDATE_GOLDEN=1 cargo test -p hipcoach-workflows --test golden`,
//! then look at the diff (and at the PDF's pages: `scripts/validate-exports` renders them).
//! `scripts/validate-exports` also checks each golden file with an independent validator.

use chrono::{FixedOffset, NaiveDate, NaiveTime};
use hipcoach_core::catalog::Catalog;
use hipcoach_store::{Store, sqlite_url};
use hipcoach_workflows::exports::{self, Format, ical::SessionTime};
use std::path::PathBuf;
use std::sync::Arc;

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden").join(name)
}

#[tokio::test]
async fn every_export_of_a_small_account_matches_its_golden_file() {
    let dir = tempfile::tempdir().unwrap();
    let catalog = Catalog::builtin().clone();
    let store = Store::connect(&sqlite_url(&dir.path().join("golden.db")), Arc::new(catalog.clone())).await.unwrap();
    let account = std::fs::read_to_string(golden("account.json")).unwrap();
    let imported = exports::import_account(&store, &account, None).await.unwrap();
    let user = store.user_by_name(&imported.name).await.unwrap();
    let today = NaiveDate::from_ymd_opt(2025, 3, 4).unwrap();
    let now = today.and_hms_opt(9, 30, 0).unwrap();
    // 07:30 in Central European (winter) time.
    let time =
        SessionTime { at: NaiveTime::from_hms_opt(7, 30, 0).unwrap(), zone: FixedOffset::east_opt(3600).unwrap() };

    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut changed = Vec::new();
    for (format, name) in [
        (Format::Account, "account.json"),
        (Format::SessionsCsv, "sessions.csv"),
        (Format::MeasurementsCsv, "measurements.csv"),
        (Format::Fhir, "hip.fhir.json"),
        (Format::Ical, "week.ics"),
        (Format::Pdf, "handout.pdf"),
    ] {
        let bytes = exports::export(&store, &catalog, &user, today, now, format, &time).await.unwrap();
        let path = golden(name);
        if update {
            std::fs::write(&path, &bytes).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(&bytes[..]) {
            changed.push(name);
        }
    }
    assert!(
        changed.is_empty(),
        "{changed:?} differ from tests/golden; if the change is intended, run with UPDATE_GOLDEN=1 and review the diff"
    );
}
