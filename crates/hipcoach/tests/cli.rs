//! The `hipcoach` binary, run for real: listing, showing and checking exercises.

use std::path::Path;
use std::process::{Command, Output};

fn hipcoach(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hipcoach"))
        .args(args)
        .env_remove("HIPCOACH_CATALOG")
        .output()
        .expect("the hipcoach binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const EVERY_ID: &[&str] = &[
    "seated-cross-legged-hip-stretch",
    "figure-four-stretch",
    "seated-hip-internal-rotation",
    "seated-hip-internal-rotation-foot-free",
    "banded-seated-hip-internal-rotation",
    "banded-seated-hip-abduction",
    "standing-side-hip-abduction",
    "clamshell",
    "box-squat",
    "bodyweight-squat",
    "supported-split-squat",
    "reverse-lunge",
    "hip-hinge-drill",
    "romanian-deadlift",
    "hip-90-90-switch",
    "prone-hip-internal-rotation",
    "windshield-wipers",
];

#[test]
fn exercises_lists_every_exercise_of_the_program() {
    let output = hipcoach(&["exercises"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    for id in EVERY_ID {
        assert!(text.contains(id), "{id} missing from\n{text}");
    }
    assert!(text.contains("17 exercises"));
}

#[test]
fn exercises_json_is_a_full_array_for_scripts() {
    let output = hipcoach(&["exercises", "--json"]);
    let list: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let list = list.as_array().expect("an array");
    assert_eq!(list.len(), EVERY_ID.len());
    assert!(list.iter().all(|e| e["steps"].as_array().is_some_and(|s| s.len() >= 2)));
}

#[test]
fn exercises_can_be_filtered_by_kind_and_goal() {
    let text = stdout(&hipcoach(&["exercises", "--kind", "stretch"]));
    assert!(text.contains("figure-four-stretch") && !text.contains("box-squat"), "{text}");
    assert!(text.contains("2 exercises"));
    let text = stdout(&hipcoach(&["exercises", "--goal", "recovering", "--kind", "strength"]));
    assert!(text.contains("box-squat"), "{text}");
}

#[test]
fn an_unknown_filter_value_is_refused_with_the_accepted_values() {
    let output = hipcoach(&["exercises", "--kind", "yoga"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("`yoga` is not one of: stretch, mobility, activation, strength"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn show_prints_steps_breathing_cues_mistakes_and_precautions_for_every_exercise() {
    for id in EVERY_ID {
        let output = hipcoach(&["exercises", "show", id]);
        assert!(output.status.success(), "{id}: {}", stderr(&output));
        let text = stdout(&output);
        for section in ["Steps", "Breathing", "Form cues", "Common mistakes", "Precautions", "Dose:"] {
            assert!(text.contains(section), "{id} lacks {section}:\n{text}");
        }
        assert!(text.contains(" 1. "), "{id} has no numbered steps");
    }
}

#[test]
fn show_prints_the_corrected_seated_internal_rotation() {
    let text = stdout(&hipcoach(&["exercises", "show", "seated-hip-internal-rotation"]));
    assert!(text.to_lowercase().contains("inward"), "{text}");
    assert!(text.contains("breathe") || text.contains("Breathe"));
}

#[test]
fn show_finds_an_exercise_by_name_and_suggests_ids_for_a_typo() {
    let output = hipcoach(&["exercises", "show", "Clamshell"]);
    assert!(output.status.success());
    let output = hipcoach(&["exercises", "show", "clamshel"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("did you mean `clamshell`"), "{}", stderr(&output));
}

#[test]
fn show_json_has_the_dose_and_links() {
    let output = hipcoach(&["exercises", "show", "box-squat", "--json"]);
    let exercise: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(exercise["id"], "box-squat");
    assert_eq!(exercise["dose"]["effort"]["type"], "reps");
    assert_eq!(exercise["links"]["progressions"][0], "bodyweight-squat");
}

fn export_to(dir: &Path) {
    let output = hipcoach(&["catalog", "export", dir.to_str().expect("utf-8 path")]);
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn an_exported_catalog_checks_clean_on_its_own() {
    let dir = tempfile::tempdir().expect("temp dir");
    export_to(dir.path());
    let output = hipcoach(&["catalog", "check", "--standalone", dir.path().to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("17 files checked, no problems"), "{}", stdout(&output));
}

#[test]
fn export_never_overwrites_a_file_the_user_edited() {
    let dir = tempfile::tempdir().expect("temp dir");
    let edited = dir.path().join("clamshell.toml");
    std::fs::write(&edited, "my edits").expect("write");
    export_to(dir.path());
    assert_eq!(std::fs::read_to_string(&edited).expect("read"), "my edits");
}

#[test]
fn a_broken_catalog_folder_yields_every_error_in_one_report_and_exit_status_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    export_to(dir.path());
    let edit = |name: &str, from: &str, to: &str| {
        let path = dir.path().join(name);
        let text = std::fs::read_to_string(&path).expect("read");
        assert!(text.contains(from), "{name} lacks {from}");
        std::fs::write(&path, text.replacen(from, to, 1)).expect("write");
    };
    edit("figure-four-stretch.toml", "hold_seconds = 30", "hold_seconds = 0");
    edit("clamshell.toml", "reps = 10", "reps = 99");
    edit("box-squat.toml", "progressions = [\"bodyweight-squat\"]", "progressions = [\"jump-squat\"]");
    edit("reverse-lunge.toml", "[dose]", "[dose]\nspeed = \"fast\"");
    std::fs::write(dir.path().join("notes.txt"), "not an exercise").expect("write");

    let output = hipcoach(&["catalog", "check", dir.path().to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(text.contains("4 problems"), "{text}");
    assert!(text.contains("figure-four-stretch.toml: dose.hold_seconds: 0 is out of range"), "{text}");
    assert!(text.contains("clamshell.toml: dose.reps: 99 is out of range"), "{text}");
    assert!(text.contains("box-squat.toml: progressions[0]: `jump-squat` is not an exercise"), "{text}");
    assert!(text.contains("reverse-lunge.toml: dose.speed: unknown field"), "{text}");

    let output = hipcoach(&["catalog", "check", "--json", dir.path().to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(report["valid"], false);
    assert_eq!(report["problems"].as_array().map(Vec::len), Some(4));
    assert!(report["problems"][0]["field"].is_string());
}

#[test]
fn a_user_catalog_adds_exercises_to_the_library() {
    let dir = tempfile::tempdir().expect("temp dir");
    let builtin =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../catalog/clamshell.toml")).expect("read");
    let mine = builtin
        .replace("id = \"clamshell\"", "id = \"banded-clamshell\"")
        .replace("name = \"Clamshell\"", "name = \"Banded clamshell\"");
    std::fs::write(dir.path().join("banded-clamshell.toml"), mine).expect("write");
    let output = hipcoach(&["--catalog", dir.path().to_str().expect("utf-8"), "exercises"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("banded-clamshell"));
    assert!(stdout(&output).contains("18 exercises"));
}

#[test]
fn a_missing_catalog_folder_is_a_clear_error() {
    let output = hipcoach(&["catalog", "check", "/nonexistent/hipcoach-catalog"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("cannot read the catalog folder /nonexistent/hipcoach-catalog"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn help_is_available_for_every_command() {
    for args in [
        &["--help"][..],
        &["exercises", "--help"],
        &["exercises", "show", "--help"],
        &["catalog", "check", "--help"],
        &["catalog", "export", "--help"],
    ] {
        let output = hipcoach(args);
        assert!(output.status.success(), "{args:?}");
        assert!(stdout(&output).contains("Usage"), "{args:?}");
    }
}

fn with_data_dir(dir: &Path, args: &[&str]) -> Output {
    let mut all = vec!["--data-dir", dir.to_str().expect("utf-8")];
    all.extend_from_slice(args);
    hipcoach(&all)
}

#[test]
fn a_session_export_import_export_round_trip_is_identical_through_the_cli() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    // A short session in plain mode (no TTY), stored in the database.
    let save = dir.path().join("record.json");
    let output = Command::new(env!("CARGO_BIN_EXE_hipcoach"))
        .args([
            "--data-dir",
            data.to_str().expect("utf-8"),
            "session",
            "--step-ms",
            "1000",
            "-e",
            "figure-four-stretch",
        ])
        .args(["--save", save.to_str().expect("utf-8")])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", stderr(&output));
    // `--quick` is a walk-through, not training: nothing is stored.
    let output = Command::new(env!("CARGO_BIN_EXE_hipcoach"))
        .args(["--data-dir", data.to_str().expect("utf-8"), "session", "--quick", "-e", "figure-four-stretch"])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("runs");
    assert!(String::from_utf8_lossy(&output.stdout).contains("not stored"), "{}", stderr(&output));

    let first = dir.path().join("first.json");
    let output = with_data_dir(&data, &["export", first.to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let output = with_data_dir(&data, &["export", first.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1), "an existing file is never overwritten");
    assert!(stderr(&output).contains("exists already"));

    let other = dir.path().join("other");
    let output = with_data_dir(&other, &["--user", "ana", "import", first.to_str().expect("utf-8"), "--as", "ana"]);
    assert!(output.status.success(), "{}", stderr(&output));
    let second = dir.path().join("second.json");
    let output = with_data_dir(&other, &["--user", "ana", "export", second.to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}", stderr(&output));
    let read = |p: &Path| -> serde_json::Value {
        serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json")
    };
    let (mut a, b) = (read(&first), read(&second));
    assert_eq!(a["sessions"].as_array().map(Vec::len), Some(1), "{a}");
    a["user"]["name"] = "ana".into();
    assert_eq!(a, b);

    let output = with_data_dir(&other, &["import", "/nonexistent.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("cannot read /nonexistent.json"), "{}", stderr(&output));
    let backup = dir.path().join("copy.db");
    let output = with_data_dir(&data, &["backup", backup.to_str().expect("utf-8")]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(backup.exists());
}

#[test]
fn files_are_never_overwritten_a_dash_is_standard_output_and_a_missing_database_is_not_backed_up() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let taken = dir.path().join("taken.json");
    std::fs::write(&taken, "mine").expect("write");
    let output = with_data_dir(
        &data,
        &["session", "--step-ms", "5", "-e", "clamshell", "--save", taken.to_str().expect("utf-8")],
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("exists already"), "{}", stderr(&output));
    assert_eq!(std::fs::read_to_string(&taken).expect("read"), "mine", "refused before the session, file kept");

    let output = with_data_dir(&data, &["export", "--what", "measurements-csv", "-"]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).starts_with("day,"), "{}", stdout(&output));
    assert!(!Path::new("-").exists(), "no file named -");

    let typo = dir.path().join("dta");
    let output = with_data_dir(&typo, &["backup", dir.path().join("copy.db").to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no hipcoach database"), "{}", stderr(&output));
    assert!(!typo.exists(), "no empty database was made");

    let output = with_data_dir(
        &data,
        &["measure", "add", "--side", "left", "--position", "seated", "--method", "goniometer", "--trials", "10,36,80"],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("differ by 70°"), "{}", stdout(&output));

    let mut future = vec!["--today", "2999-01-01"];
    future.extend(["measure", "add", "--side", "left", "--position", "seated", "--method", "goniometer"]);
    future.extend(["--trials", "30,31,32"]);
    let output = with_data_dir(&data, &future);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("in the future"), "{}", stderr(&output));
    let output = with_data_dir(&data, &["measure", "list"]);
    assert!(!stdout(&output).contains("2999"), "nothing dated in the future was stored: {}", stdout(&output));
}
