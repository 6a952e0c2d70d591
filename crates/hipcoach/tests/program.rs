//! The program commands run for real against a fresh database per test: screening, profile,
//! plan, the planned session with its review, check-ins, measurements and the exports.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A user with an empty database of their own, living on a fixed date.
struct Account {
    dir: tempfile::TempDir,
    today: String,
}

impl Account {
    fn new() -> Self {
        Self { dir: tempfile::tempdir().expect("temp dir"), today: "2025-03-03".to_owned() }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_with_input(args, "")
    }

    fn run_with_input(&self, args: &[&str], input: &str) -> Output {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hipcoach"))
            .args(args)
            .env("HIPCOACH_DATA_DIR", self.dir.path())
            .env("HIPCOACH_TODAY", &self.today)
            // Central European Time with its summer rule, spelled out (POSIX) so that no time-zone
            // database is needed: calendar times are checked across a real offset.
            .env("TZ", "CET-1CEST,M3.5.0,M10.5.0/3")
            .env_remove("HIPCOACH_CATALOG")
            .env_remove("HIPCOACH_DATABASE_URL")
            .env_remove("HIPCOACH_USER")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the hipcoach binary runs");
        // A command that stops early (a bad flag) may not read its input: that is not a failure here.
        let _ = child.stdin.take().expect("stdin").write_all(input.as_bytes());
        child.wait_with_output().expect("it finishes")
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(output.status.success(), "{args:?} failed: {}{}", stdout(&output), stderr(&output));
        stdout(&output)
    }

    fn answers(&self, overrides: serde_json::Value) -> PathBuf {
        let mut answers = clear_answers();
        for (key, value) in overrides.as_object().expect("an object") {
            answers[key] = value.clone();
        }
        let path = self.path(&format!("answers-{}.json", rand_suffix()));
        std::fs::write(&path, answers.to_string()).expect("write answers");
        path
    }

    /// Clear screening and a profile without a band.
    fn ready(&self) {
        let answers = self.answers(serde_json::json!({}));
        self.ok(&["screening", "--answers", answers.to_str().expect("utf-8")]);
        self.ok(&[
            "profile",
            "set",
            "--goal",
            "general",
            "--sessions",
            "3",
            "--minutes",
            "20",
            "--equipment",
            "mat,chair",
        ]);
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// An adult of 18-49 answering no to every question.
fn clear_answers() -> serde_json::Value {
    let questions = Command::new(env!("CARGO_BIN_EXE_hipcoach"))
        .args(["screening", "--questions"])
        .output()
        .expect("the hipcoach binary runs");
    let questions: serde_json::Value = serde_json::from_slice(&questions.stdout).expect("questions as JSON");
    let mut answers = serde_json::Map::new();
    for question in questions.as_array().expect("a list") {
        if question["shown_if"].is_object() {
            continue;
        }
        let value = match question["kind"]["type"].as_str() {
            Some("yes-no") => serde_json::json!(false),
            _ => serde_json::json!(question["kind"]["choices"][if question["id"] == "age-band" { 1 } else { 0 }]["id"]),
        };
        answers.insert(question["id"].as_str().expect("an id").to_owned(), value);
    }
    serde_json::Value::Object(answers)
}

#[test]
fn a_clear_screening_is_stored_and_says_so_with_the_disclaimer() {
    let account = Account::new();
    let answers = account.answers(serde_json::json!({}));
    let text = account.ok(&["screening", "--answers", answers.to_str().expect("utf-8")]);
    assert!(text.contains("clear to start"), "{text}");
    assert!(text.contains("not medical advice"), "{text}");
}

#[test]
fn screening_in_the_terminal_asks_again_after_a_bad_answer() {
    let account = Account::new();
    // Age band: "maybe" is refused, then 2 (18 to 49); then "no" to every yes/no question and
    // the first option (none) for hip surgery; follow-ups do not apply, so they are not asked.
    let mut lines = vec!["maybe".to_owned(), "2".to_owned()];
    let list = Command::new(env!("CARGO_BIN_EXE_hipcoach")).args(["screening", "--questions"]).output().expect("runs");
    let list: serde_json::Value = serde_json::from_slice(&list.stdout).expect("JSON");
    for question in list.as_array().expect("a list").iter().skip(1) {
        if !question["shown_if"].is_object() {
            lines.push(if question["kind"]["type"] == "yes-no" { "n".into() } else { "1".into() });
        }
    }
    let output = account.run_with_input(&["screening"], &(lines.join("\n") + "\n"));
    assert!(output.status.success(), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("`maybe` is not one of the options"), "{text}");
    assert!(!text.contains("Which way did the surgeon go in?"), "{text}");
    assert!(text.contains("clear to start"), "{text}");
}

#[test]
fn an_urgent_finding_blocks_the_plan_with_its_reason() {
    let account = Account::new();
    let answers = account.answers(serde_json::json!({"cannot-bear-weight": true}));
    let text = account.ok(&["screening", "--answers", answers.to_str().expect("utf-8")]);
    assert!(text.contains("get medical care today"), "{text}");
    account.ok(&["profile", "set", "--goal", "general", "--sessions", "3", "--minutes", "20", "--equipment", "mat"]);
    let output = account.run(&["plan"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("so there is no plan"), "{}", stderr(&output));
    assert!(stderr(&output).contains("weight"), "the reason is given: {}", stderr(&output));
}

#[test]
fn stopping_the_screening_half_way_saves_nothing() {
    let account = Account::new();
    let output = account.run_with_input(&["screening"], "2\nn\n");
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("nothing was saved"), "{}", stderr(&output));
    assert!(stderr(&account.run(&["plan"])).contains("no screening yet"));
}

#[test]
fn bad_profile_values_are_refused_and_the_saved_profile_is_kept() {
    let account = Account::new();
    account.ready();
    let output = account.run(&["profile", "set", "--sessions", "9"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("--sessions"), "{}", stderr(&output));
    let output = account.run(&["profile", "set", "--goal", "yoga"]);
    assert!(stderr(&output).contains("`yoga` is not one of: general, athlete, recovering"), "{}", stderr(&output));
    let output = account.run(&["profile", "set", "--equipment", "mat,trampoline"]);
    assert!(stderr(&output).contains("`trampoline` is not one of"), "{}", stderr(&output));
    let output = account.run(&["profile", "set", "--dislike", "clamshel"]);
    assert!(stderr(&output).contains("did you mean `clamshell`"), "{}", stderr(&output));
    let output = account.run(&["profile", "set", "--swap", "clamshell"]);
    assert!(stderr(&output).contains("ID=OTHER"), "{}", stderr(&output));
    let shown = account.ok(&["profile", "show"]);
    assert!(shown.contains("Sessions: 3 a week, up to 20 minutes each"), "{shown}");
    assert!(shown.contains("Goal: general mobility"), "{shown}");
}

#[test]
fn the_plan_lists_sessions_doses_sides_and_why_things_were_left_out() {
    let account = Account::new();
    account.ready();
    for (side, trials) in [("left", "20,21,19"), ("right", "36,35,37")] {
        account.ok(&[
            "measure",
            "add",
            "--side",
            side,
            "--position",
            "seated",
            "--method",
            "goniometer",
            "--trials",
            trials,
        ]);
    }
    let text = account.ok(&["plan"]);
    assert!(text.contains("Session 1") && text.contains("Session 3"), "{text}");
    assert!(text.contains("each side"), "{text}");
    assert!(text.contains("+1 set on the left"), "the stiffer side gets more: {text}");
    let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flowing.contains("you could add") && flowing.contains("Banded seated hip internal rotation"), "{text}");
    assert!(!text.contains("banded-seated-hip-internal-rotation"), "names, never ids: {text}");
    let json: serde_json::Value = serde_json::from_str(&account.ok(&["plan", "--json"])).expect("JSON");
    assert_eq!(json["plan"]["sessions"].as_array().map(Vec::len), Some(3));
    assert_eq!(json["plan"]["asymmetry"], "left");
}

#[test]
fn high_pain_before_a_session_rests_by_default_and_red_pain_during_it_asks_before_going_on() {
    let account = Account::new();
    account.ready();
    let output = account.run_with_input(&["session", "--pain-before", "8", "--step-ms", "5"], "\n");
    let text = stdout(&output);
    assert!(output.status.success(), "{text}{}", stderr(&output));
    assert!(text.contains("Rest today instead?") && text.contains("Resting today"), "{text}");
    assert!(!text.contains("Pain check after"), "no session was played: {text}");

    // Going on anyway, then a red score (7) on the first exercise: asked, and "e" ends there.
    let output = account.run_with_input(&["session", "--pain-before", "7", "--step-ms", "5"], "n\n7\ne\n");
    let text = stdout(&output);
    assert!(output.status.success(), "{text}{}", stderr(&output));
    assert!(text.contains("That is red pain (7/10)") || text.contains("That is red pain"), "{text}");
    assert!(text.contains("[g/e]"), "{text}");
    assert_eq!(text.matches("Pain check after").count(), 1, "nothing after the red answer ran: {text}");
}

#[test]
fn a_planned_session_is_stored_and_reviewed_and_the_morning_check_feeds_progression() {
    let mut account = Account::new();
    account.ready();
    let pain_answers = "0\n".repeat(20);
    let output = account.run_with_input(&["session", "--pain-before", "0", "--step-ms", "5"], &pain_answers);
    let text = stdout(&output);
    assert!(output.status.success(), "{text}{}", stderr(&output));
    assert!(text.contains("Session 1 of 3 this week."), "{text}");
    assert!(text.contains("Pain check after"), "{text}");
    assert!(text.contains("Changes to your plan") || text.contains("No changes"), "{text}");

    let sessions = account.path("sessions.csv");
    account.ok(&["export", "--what", "sessions-csv", sessions.to_str().expect("utf-8")]);
    assert!(std::fs::read_to_string(&sessions).expect("csv").lines().count() > 2);

    account.today = "2025-03-04".to_owned();
    let text = account.ok(&["checkin", "--morning", "5", "--stiffer"]);
    assert!(text.contains("Saved your morning check for the session on Mon 3 Mar 2025"), "{text}");
    assert!(
        text.contains("drops") || text.contains("easier") || text.contains("paused"),
        "a worse morning steps down: {text}"
    );
    let json: serde_json::Value = serde_json::from_str(&account.ok(&["plan", "--json"])).expect("JSON");
    assert!(!json["changes"].as_array().expect("changes").is_empty());
    let text = account.ok(&["plan"]);
    assert!(text.contains("Latest changes:"), "{text}");
}

#[test]
fn a_morning_check_without_a_session_before_it_is_refused() {
    let account = Account::new();
    account.ready();
    let output = account.run(&["checkin", "--morning", "2"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("no session before today"), "{}", stderr(&output));
    let output = account.run(&["checkin", "--before", "11"]);
    assert!(stderr(&output).contains("from 0 (none) to 10"), "{}", stderr(&output));
}

#[test]
fn measurements_are_listed_in_whole_degrees_and_trends_respect_the_mdc() {
    let mut account = Account::new();
    account.ok(&[
        "measure",
        "add",
        "--side",
        "left",
        "--position",
        "seated",
        "--method",
        "goniometer",
        "--trials",
        "20.2,22.4,21",
    ]);
    account.today = "2025-03-31".to_owned();
    account.ok(&[
        "measure",
        "add",
        "--side",
        "left",
        "--position",
        "seated",
        "--method",
        "goniometer",
        "--trials",
        "31,30,32",
    ]);
    account.ok(&[
        "measure",
        "add",
        "--side",
        "left",
        "--position",
        "prone",
        "--method",
        "camera-estimate",
        "--trials",
        "30,31,29",
    ]);
    let list = account.ok(&["measure", "list"]);
    assert!(list.contains("21° ±6°"), "{list}");
    assert!(list.contains("30° ±10° (estimate)"), "{list}");
    assert!(!list.contains("22.4") && !list.contains("21.0"), "never more precise than whole degrees: {list}");
    let trend = account.ok(&["measure", "trend"]);
    assert!(trend.contains("left: 21° → 31°"), "{trend}");
    assert!(trend.contains("a real improvement"), "10° beats the goniometer's 8°: {trend}");
    let output = account.run(&[
        "measure",
        "add",
        "--side",
        "up",
        "--position",
        "seated",
        "--method",
        "goniometer",
        "--trials",
        "1,2,3",
    ]);
    assert!(stderr(&output).contains("“up” is not one of: left, right"), "{}", stderr(&output));
    let output = account.run(&[
        "measure",
        "add",
        "--side",
        "left",
        "--position",
        "seated",
        "--method",
        "goniometer",
        "--trials",
        "30,31",
    ]);
    assert!(stderr(&output).contains("take 3"), "{}", stderr(&output));
    assert!(account.ok(&["measure", "protocol", "seated"]).contains("foot swing outward"));
}

#[test]
fn fhir_export_is_an_r4_bundle_of_a_patient_and_observations() {
    let account = Account::new();
    account.ok(&[
        "measure",
        "add",
        "--side",
        "right",
        "--position",
        "seated",
        "--method",
        "inclinometer",
        "--trials",
        "33,34,35",
    ]);
    let path = account.path("hip.fhir.json");
    account.ok(&["export", "--what", "fhir", path.to_str().expect("utf-8")]);
    let bundle: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
    assert_eq!(bundle["resourceType"], "Bundle");
    assert_eq!(bundle["type"], "collection");
    assert_eq!(bundle["entry"][0]["resource"]["resourceType"], "Patient");
    let observation = &bundle["entry"][1]["resource"];
    assert_eq!(observation["resourceType"], "Observation");
    assert_eq!(observation["subject"]["reference"], bundle["entry"][0]["fullUrl"]);
    assert_eq!(observation["status"], "final");
    assert_eq!(observation["code"]["text"], "Hip internal rotation range of motion");
    assert_eq!(observation["bodySite"]["text"], "Right hip");
    assert_eq!(observation["valueQuantity"]["value"], 34);
    assert_eq!(observation["valueQuantity"]["code"], "deg");
    assert_eq!(observation["effectiveDateTime"], "2025-03-03");
    assert!(observation["note"][0]["text"].as_str().expect("note").contains("±4°"));
}

#[test]
fn ical_export_puts_this_weeks_sessions_on_their_days_at_the_chosen_time() {
    let account = Account::new();
    account.ready();
    let path = account.path("plan.ics");
    account.ok(&["export", "--what", "ical", "--at", "07:30", path.to_str().expect("utf-8")]);
    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.split_inclusive('\n').all(|line| line.ends_with("\r\n")), "CRLF everywhere");
    assert!(text.split("\r\n").all(|line| line.len() <= 75), "folded");
    let unfolded = text.replace("\r\n ", "");
    let lines: Vec<&str> = unfolded.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines.first(), Some(&"BEGIN:VCALENDAR"));
    assert_eq!(lines.last(), Some(&"END:VCALENDAR"));
    assert!(lines.contains(&"VERSION:2.0"));
    assert_eq!(lines.iter().filter(|l| **l == "BEGIN:VEVENT").count(), 3);
    assert!(!lines.iter().any(|l| l.starts_with("RRULE")), "nothing repeats: next week's dose may differ");
    // 07:30 Central European winter time (UTC+1) is 06:30 UTC.
    let starts: Vec<&str> = lines.iter().filter_map(|l| l.strip_prefix("DTSTART:")).collect();
    assert_eq!(starts, ["20250303T063000Z", "20250305T063000Z", "20250307T063000Z"]);
    assert!(lines.iter().any(|l| l.starts_with("DESCRIPTION:Session 1 of 3") && l.contains("\\n- ")));
    // Exported again, the events keep their identities: importing twice updates, never doubles.
    let again = account.path("again.ics");
    account.ok(&["export", "--what", "ical", "--at", "07:30", again.to_str().expect("utf-8")]);
    let uids = |text: &str| text.lines().filter(|l| l.starts_with("UID:")).map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(uids(&std::fs::read_to_string(&again).expect("read")), uids(&text));
    let refused =
        account.run(&["export", "--what", "ical", "--at", "7pm", account.path("x.ics").to_str().expect("utf-8")]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("hours and minutes"));
}

#[test]
fn pdf_export_is_a_report_and_a_tagged_handout_with_a_page_per_session() {
    let account = Account::new();
    account.ready();
    account.ok(&[
        "measure",
        "add",
        "--side",
        "left",
        "--position",
        "seated",
        "--method",
        "goniometer",
        "--trials",
        "25,26,27",
    ]);
    let path: PathBuf = account.path("report.pdf");
    account.ok(&["export", "--what", "pdf", path.to_str().expect("utf-8")]);
    let bytes = std::fs::read(&path).expect("read");
    assert!(bytes.starts_with(b"%PDF-"));
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type/Page").count() - text.matches("/Type/Pages").count();
    assert!(pages >= 4, "page 1 and at least a page for each of the 3 sessions: {pages}");
    assert!(text.contains("/StructTreeRoot") && text.contains("/FontFile2"), "tagged, with the font embedded");
    assert!(exists_and_not_overwritten(&account, &path));
}

fn exists_and_not_overwritten(account: &Account, path: &Path) -> bool {
    let output = account.run(&["export", "--what", "pdf", path.to_str().expect("utf-8")]);
    output.status.code() == Some(1) && stderr(&output).contains("exists already")
}

#[test]
fn help_is_available_for_every_program_command() {
    let account = Account::new();
    for args in [
        &["screening", "--help"][..],
        &["profile", "set", "--help"],
        &["profile", "show", "--help"],
        &["plan", "--help"],
        &["checkin", "--help"],
        &["measure", "add", "--help"],
        &["measure", "list", "--help"],
        &["measure", "trend", "--help"],
        &["measure", "protocol", "--help"],
        &["export", "--help"],
    ] {
        assert!(account.ok(args).contains("Usage"), "{args:?}");
    }
}
