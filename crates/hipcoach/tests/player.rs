//! The terminal player in a real pseudo-terminal (tmux, 80×24), driven by key presses.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// A tmux server of our own, killed when the test ends.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(command: &str) -> Self {
        let socket = format!("hipcoach-test-{}-{}", std::process::id(), rand_suffix());
        let status = Command::new("tmux")
            .args(["-L", &socket, "new-session", "-d", "-x", "80", "-y", "24", "-s", "player", command])
            .env("TERM", "xterm-256color")
            .status()
            .expect("tmux runs (scripts/test installs it)");
        assert!(status.success(), "tmux could not start the player");
        Self { socket }
    }

    fn screen(&self) -> String {
        let output = Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "player"])
            .output()
            .expect("tmux capture-pane");
        String::from_utf8_lossy(&output.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let status = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "player"])
            .args(keys)
            .status()
            .expect("tmux send-keys");
        assert!(status.success());
    }

    /// Waits until the screen shows `text`; returns the screen.
    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(Instant::now() < deadline, "the screen never showed {text:?}; it shows:\n{screen}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos())
}

fn player(args: &str, save: &Path) -> Tmux {
    let binary = env!("CARGO_BIN_EXE_hipcoach");
    // `sleep` keeps the pane open so the last screen can be read.
    // One-off sessions are stored too: keep them in the test's own database.
    let data = save.parent().expect("a folder").display();
    Tmux::start(&format!(
        "HIPCOACH_DATA_DIR={data} {binary} session --quick --save {} {args}; sleep 30",
        save.display()
    ))
}

fn record(path: &Path) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !path.exists() {
        assert!(Instant::now() < deadline, "no session record was saved");
        std::thread::sleep(Duration::from_millis(50));
    }
    serde_json::from_str(&std::fs::read_to_string(path).expect("read record")).expect("valid JSON")
}

#[test]
fn a_short_session_runs_in_an_80_by_24_terminal_with_pause_and_a_pain_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let save = dir.path().join("record.json");
    let tmux = player("-e figure-four-stretch", &save);

    let screen = tmux.wait_for("HOLD · LEFT side");
    assert!(screen.contains("exercise 1 of 1 · Figure-four stretch"), "{screen}");
    assert!(screen.contains("█"), "a big countdown: {screen}");
    assert!(screen.contains("x SHARP PAIN: stop now"), "the stop key is always on screen: {screen}");
    assert!(screen.contains("Breathe:"), "{screen}");
    assert!(screen.lines().all(|line| line.chars().count() <= 80));

    tmux.keys(&["Space"]);
    tmux.wait_for("PAUSED");
    tmux.keys(&["Space"]);
    let screen = tmux.wait_for("PAIN CHECK");
    assert!(screen.contains("The stretch feeling does not count"), "{screen}");
    tmux.keys(&["1", "2", "Enter"]);
    tmux.wait_for("is not a pain score");
    tmux.keys(&["3", "Enter"]);
    tmux.wait_for("SESSION COMPLETE");
    tmux.keys(&["Enter"]);

    let record = record(&save);
    let exercise = &record["exercises"][0];
    assert_eq!(exercise["exercise"], "figure-four-stretch");
    assert_eq!(exercise["pain"], serde_json::json!({"type": "score", "score": 3}));
    let sets = exercise["sets"].as_array().expect("sets");
    assert_eq!(sets.len(), 4);
    assert!(sets.iter().all(|s| s["outcome"] == "completed"), "{sets:?}");
}

#[test]
fn skip_and_the_sharp_pain_key_are_recorded() {
    let dir = tempfile::tempdir().expect("temp dir");
    let save = dir.path().join("record.json");
    let tmux = player("-e prone-hip-internal-rotation -e figure-four-stretch", &save);

    tmux.wait_for("REP 1 of 10 · LEFT side");
    tmux.keys(&["s"]);
    tmux.wait_for("SWITCH SIDES");
    tmux.wait_for("REP 1 of 10 · RIGHT side");
    tmux.keys(&["x"]);
    let screen = tmux.wait_for("STOPPED FOR PAIN");
    assert!(screen.contains("Sharp pain means stop") && screen.contains("Press g to go on"), "{screen}");
    std::thread::sleep(std::time::Duration::from_millis(1_500));
    assert!(tmux.wait_for("STOPPED FOR PAIN").contains("end the session"), "nothing starts by itself");
    tmux.keys(&["g"]);
    tmux.wait_for("exercise 2 of 2");
    tmux.keys(&["q"]);
    tmux.wait_for("SESSION ENDED EARLY");
    tmux.keys(&["Enter"]);

    let record = record(&save);
    assert_eq!(record["ended_early"], true);
    let prone = &record["exercises"][0];
    assert_eq!(prone["pain"], serde_json::json!({"type": "sharp"}));
    assert_eq!(prone["sets"][0]["outcome"], "skipped");
    assert_eq!(prone["sets"][1]["outcome"], "stopped-for-pain");
    assert_eq!(record["exercises"][1]["sets"][0]["outcome"], "cancelled");
}

#[test]
fn a_form_tip_belongs_to_its_exercise_and_the_footer_offers_only_keys_that_work() {
    let dir = tempfile::tempdir().expect("temp dir");
    let save = dir.path().join("record.json");
    let tmux = player("-e clamshell -e box-squat", &save);

    let screen = tmux.wait_for("Tip: ");
    assert!(screen.contains("exercise 1 of 2 · Clamshell"), "{screen}");
    // Skip the rest of the clamshell's sets to reach its pain check.
    for _ in 0..20 {
        if tmux.screen().contains("PAIN CHECK") {
            break;
        }
        tmux.keys(&["s"]);
        std::thread::sleep(Duration::from_millis(300));
    }
    let screen = tmux.wait_for("PAIN CHECK");
    assert!(screen.contains("Enter alone skips") && !screen.contains("s skip"), "{screen}");
    tmux.keys(&["1", "Enter"]);
    let screen = tmux.wait_for("exercise 2 of 2 · Box squat");
    assert!(!screen.contains("Heels stay together"), "the clamshell's tip is gone: {screen}");
    tmux.keys(&["q"]);
    tmux.wait_for("SESSION ENDED EARLY");
    tmux.keys(&["Enter"]);
    assert_eq!(record(&save)["ended_early"], true);
}
