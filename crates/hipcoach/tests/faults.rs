//! Faults of the machine, for real: the `hipcoach serve` binary with its data folder on a tiny
//! filesystem that fills up. Nothing may be acknowledged that is not stored, and the server
//! must carry on by itself once space returns.
//!
//! The small filesystem is a tmpfs mounted in a private mount namespace (`unshare -rm`, no root
//! needed where user namespaces are allowed); the test reaches into it through
//! `/proc/PID/root`. Where namespaces are not allowed the test says so and is skipped, unless
//! `HIPCOACH_REQUIRE_FAULTS` is set (as `scripts/test` does), when that is a failure.

mod common;

use common::*;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

/// Whether this machine lets an unprivileged process mount a tmpfs of its own.
fn namespaces_allowed() -> bool {
    let allowed = Command::new("unshare")
        .args(["-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"])
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        allowed || std::env::var_os("HIPCOACH_REQUIRE_FAULTS").is_none(),
        "HIPCOACH_REQUIRE_FAULTS is set but `unshare -rm` cannot mount a tmpfs here"
    );
    if !allowed {
        eprintln!("private mount namespaces are not allowed here; disk-full test skipped");
    }
    allowed
}

/// A session body: a short session stopped for sharp pain, with this retry key.
fn session(key: &str) -> Value {
    let log = json!([
        {"at": 0, "command": {"type": "start"}},
        {"at": 300, "command": {"type": "sharp-pain"}},
        {"at": 400, "command": {"type": "end-session"}}
    ]);
    json!({"key": key, "exercise": ["prone-hip-internal-rotation", "clamshell"], "log": log})
}

/// Posts sessions `keys`, returning those acknowledged; every answer must be a 200 or the
/// "disk is full" 507 with a message saying nothing was saved.
async fn post_sessions(app: &App, keys: impl Iterator<Item = String>, acknowledged: &mut BTreeSet<String>) -> usize {
    let mut refused = 0;
    for key in keys {
        let response = app.post_json("/api/sessions", &session(&key)).await;
        match response.status().as_u16() {
            200 => {
                acknowledged.insert(key);
            }
            507 => {
                let body: Value = response.json().await.expect("json");
                let message = body["error"].as_str().unwrap_or_default();
                assert!(message.contains("disk is full") && message.contains("nothing was saved"), "{body}");
                refused += 1;
            }
            other => panic!("session {key}: {other} {}", response.text().await.unwrap_or_default()),
        }
    }
    refused
}

#[tokio::test]
async fn a_full_disk_refuses_writes_plainly_and_nothing_acknowledged_is_lost() {
    if !namespaces_allowed() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().to_str().expect("utf-8").to_owned();
    let mut command = Command::new("unshare");
    command
        .args(["-rm", "sh", "-c", r#"mount -t tmpfs -o size=3m tmpfs "$1" && shift && exec "$@""#, "sh", &data])
        .arg(env!("CARGO_BIN_EXE_hipcoach"))
        .args(server_args(&dir));
    let server = launch(command, dir);
    // The data folder as the server sees it, inside its namespace.
    let inside = PathBuf::from(format!("/proc/{}/root{data}", server.child.id()));
    let mut app = App::visit(server).await;
    app.sign_up("ana").await;

    let mut acknowledged = BTreeSet::new();
    let refused = post_sessions(&app, (0..20).map(|n| format!("before-{n}")), &mut acknowledged).await;
    assert_eq!(refused, 0, "the disk is not full yet");

    // Fill the disk to the last byte.
    let filler = inside.join("filler");
    let mut file = std::fs::File::create(&filler).expect("filler");
    let block = vec![0u8; 64 * 1024];
    let mut size = block.len();
    while size > 0 {
        match std::io::Write::write(&mut file, &block[..size]) {
            Ok(_) => {}
            Err(_) => size /= 2,
        }
    }
    drop(file);
    let refused_while_full = post_sessions(&app, (0..60).map(|n| format!("full-{n}")), &mut acknowledged).await;
    assert!(refused_while_full > 0, "the disk never filled up: the test proves nothing");

    // Space returns; the server carries on without a restart.
    std::fs::remove_file(&filler).expect("filler removed");
    let refused = post_sessions(&app, (0..20).map(|n| format!("after-{n}")), &mut acknowledged).await;
    assert_eq!(refused, 0, "the server recovers by itself once space returns");

    let stored: Vec<Value> = app.get("/api/sessions").await.json().await.expect("json");
    let stored: BTreeSet<String> = stored.iter().map(|s| s["client_key"].as_str().expect("a key").to_owned()).collect();
    let lost: Vec<&String> = acknowledged.difference(&stored).collect();
    println!(
        "disk full: {} acknowledged, {} stored, {} lost; {refused_while_full} of 60 refused while full",
        acknowledged.len(),
        stored.len(),
        lost.len(),
    );
    assert!(lost.is_empty(), "acknowledged but not stored: {lost:?}");
    assert_eq!(stored, acknowledged, "nothing refused was stored either");
}

/// Starts `hipcoach serve` on the data folder `dir` (inside `wrapper`, a shell line ending by
/// running its arguments, when given) and returns its exit status, stderr and how long it took.
fn start_on(dir: &std::path::Path, wrapper: Option<&str>) -> (std::process::ExitStatus, String, std::time::Duration) {
    let data = dir.to_str().expect("utf-8");
    let bin = env!("CARGO_BIN_EXE_hipcoach");
    let args = ["--data-dir", data, "serve", "--bind", "127.0.0.1:0"];
    let mut command = match wrapper {
        Some(line) => {
            let mut command = Command::new("unshare");
            command.args(["-rm", "sh", "-c", line, "sh", data, bin]).args(args);
            command
        }
        None => {
            let mut command = Command::new(bin);
            command.args(args);
            command
        }
    };
    let started = std::time::Instant::now();
    let output = command.output().expect("runs");
    (output.status, String::from_utf8_lossy(&output.stderr).trim().to_owned(), started.elapsed())
}

/// A database with something in it, made by the CLI.
fn a_good_database(dir: &std::path::Path) -> Vec<u8> {
    let status = Command::new(env!("CARGO_BIN_EXE_hipcoach"))
        .args(["--data-dir", dir.to_str().expect("utf-8"), "checkin", "--before", "2"])
        .output()
        .expect("runs")
        .status;
    assert!(status.success());
    std::fs::read(dir.join("hipcoach.db")).expect("the database")
}

#[test]
fn start_up_says_what_is_wrong_with_the_database_at_once() {
    let good = tempfile::tempdir().expect("temp dir");
    let bytes = a_good_database(good.path());
    let cases: [(&str, Vec<u8>, &str); 3] = [
        (
            "garbage",
            (0..20_000u32).map(|n| (n.wrapping_mul(2_654_435_761) >> 13) as u8).collect(),
            "not a hipcoach database",
        ),
        ("truncated", bytes[..bytes.len() / 3].to_vec(), "damaged"),
        ("newer", Vec::new(), "newer version of hipcoach"),
    ];
    for (name, content, expected) in cases {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("hipcoach.db");
        if name == "newer" {
            a_good_database(dir.path());
            let status = Command::new(env!("CARGO_BIN_EXE_hipcoach"))
                .args(["--data-dir", dir.path().to_str().expect("utf-8"), "check"])
                .status()
                .expect("runs");
            assert!(status.success(), "a good database passes the full check");
            stamp_a_future_migration(&file);
        } else {
            std::fs::write(&file, content).expect("written");
        }
        let (status, stderr, took) = start_on(dir.path(), None);
        println!("{name}: {took:?}: {stderr}");
        assert!(!status.success(), "{name}: the server must not start");
        assert!(took < std::time::Duration::from_secs(1), "{name}: took {took:?}");
        assert_eq!(stderr.lines().count(), 1, "{name}: one line: {stderr}");
        assert!(stderr.contains(file.to_str().expect("utf-8")) && stderr.contains(expected), "{name}: {stderr}");
        if name != "newer" {
            let check = Command::new(env!("CARGO_BIN_EXE_hipcoach"))
                .args(["--data-dir", dir.path().to_str().expect("utf-8"), "check"])
                .output()
                .expect("runs");
            assert!(!check.status.success(), "{name}: hipcoach check finds it");
            assert!(String::from_utf8_lossy(&check.stdout).contains("is damaged"), "{name}");
        }
    }
}

/// Records a database change this version has never heard of, as a newer hipcoach would.
fn stamp_a_future_migration(file: &std::path::Path) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}", file.display());
        let mut connection = <sqlx::AnyConnection as sqlx::Connection>::connect(&url).await.expect("opens");
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the future', 1, x'00', 1)",
        )
        .execute(&mut connection)
        .await
        .expect("stamped");
    });
}

#[test]
fn start_up_in_a_read_only_folder_says_so_at_once() {
    if !namespaces_allowed() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let source = tempfile::tempdir().expect("temp dir");
    a_good_database(source.path());
    let copy = source.path().join("hipcoach.db");
    // Inside the namespace: a fresh folder holding the database, then made read-only.
    let line = format!(
        r#"mount -t tmpfs tmpfs "$1" && cp {} "$1/hipcoach.db" && mount -o remount,ro "$1" && shift && exec "$@""#,
        copy.display()
    );
    let (status, stderr, took) = start_on(dir.path(), Some(&line));
    println!("read-only: {took:?}: {stderr}");
    assert!(!status.success());
    assert!(took < std::time::Duration::from_secs(1), "took {took:?}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cannot be written to") || stderr.contains("cannot create or open"), "{stderr}");
}

/// Overwrites every page of `table` but its first with garbage, as a failing disk might.
async fn damage_table(file: &std::path::Path, table: &str) {
    let (page_size, pages) = {
        sqlx::any::install_default_drivers();
        let url = format!("sqlite://{}", file.display());
        let mut connection = <sqlx::AnyConnection as sqlx::Connection>::connect(&url).await.expect("opens");
        // Everything into the main file first, where a failing disk would damage it.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut connection).await.expect("checkpoint");
        let page_size: i64 = sqlx::query_scalar("PRAGMA page_size").fetch_one(&mut connection).await.expect("size");
        let pages: Vec<i64> = sqlx::query_scalar("SELECT pageno FROM dbstat WHERE name = $1 AND pageno > 1")
            .bind(table)
            .fetch_all(&mut connection)
            .await
            .expect("dbstat");
        (page_size, pages)
    };
    assert!(!pages.is_empty(), "{table} has pages");
    let mut bytes = std::fs::read(file).expect("the file");
    for page in pages {
        let start = usize::try_from((page - 1) * page_size).expect("offset");
        for (n, byte) in bytes[start..start + usize::try_from(page_size).expect("size")].iter_mut().enumerate() {
            *byte = (n as u8).wrapping_mul(151).wrapping_add(7);
        }
    }
    std::fs::write(file, bytes).expect("damaged");
}

#[tokio::test]
async fn a_table_damaged_while_running_refuses_writes_and_says_why() {
    let app = spawn_app().await;
    for n in 0..40 {
        assert_eq!(app.post_json("/api/sessions", &session(&format!("s{n}"))).await.status(), 200);
    }
    let file = app.server.dir.path().join("hipcoach.db");
    damage_table(&file, "session_sets").await;
    let read = app.get("/api/sessions").await;
    assert_eq!(read.status(), 503, "reading the damaged table says so");
    let body: Value = read.json().await.expect("json");
    assert!(body["error"].as_str().is_some_and(|m| m.contains("damaged")), "{body}");
    // A write elsewhere would succeed on its own pages; it is refused, with the reason.
    let write = app.post_json("/api/checkins", &json!({"moment": "before", "pain": 2})).await;
    assert_eq!(write.status(), 503);
    let body: Value = write.json().await.expect("json");
    assert!(body["error"].as_str().is_some_and(|m| m.contains("damaged") && m.contains("nothing was")), "{body}");
    // What is still readable stays readable: people can see and export their other records.
    assert_eq!(app.get("/api/measurements").await.status(), 200);
    // Started again, the server refuses in one line until the file is restored.
    let (status, stderr, _) = start_on(app.server.dir.path(), None);
    assert!(!status.success() && stderr.contains("damaged"), "{stderr}");
}
