//! `hipcoach analyze` on keypoint files, as a person runs it: the real binary, a file on disk.

use hipcoach_core::measure::synthetic::{Noise, Scenario};
use hipcoach_core::measure::{Layout, Recording};
use hipcoach_core::units::Side;
use std::process::Command;

/// A seated clip of synthetic keypoints: a still second, then reps on `side`; with the true peak.
fn clip(layout: Layout, side: Side) -> (Recording, f64) {
    let mut scenario = Scenario { layout, noise: Noise::REALISTIC, ..Scenario::default() };
    scenario.motion.side = side;
    let (recording, set) = scenario.recording();
    (recording, set.frames.iter().map(|f| f.truth[side as usize]).fold(0.0, f64::max))
}

fn analyze(args: &[&str]) -> (bool, String, String) {
    hipcoach(&[&["analyze"], args].concat())
}

fn hipcoach(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_hipcoach")).args(args).output().expect("runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into(),
        String::from_utf8_lossy(&output.stderr).into(),
    )
}

#[test]
fn a_keypoint_file_gives_each_side_its_estimate_reps_and_reasons_as_text_json_and_csv() {
    let dir = tempfile::tempdir().expect("dir");
    let (recording, peak) = clip(Layout::BlazePose33, Side::Right);
    let path = dir.path().join("seated-right.json");
    std::fs::write(&path, recording.to_json()).expect("write");
    let file = path.to_str().expect("utf-8 path");

    let (ok, text, _) = analyze(&[file]);
    assert!(ok);
    assert!(text.contains("Right hip (turned most):"), "{text}");
    assert!(
        text.contains("checked on synthetic keypoints and rendered people"),
        "a camera reading says how it was validated"
    );
    assert!(text.contains("Calibrated on the opening still second."), "{text}");
    assert!(text.contains("Left hip:\n  Did not turn enough to measure."), "{text}");

    let (ok, json, _) = analyze(&[file, "--json"]);
    assert!(ok);
    let report: serde_json::Value = serde_json::from_str(&json).expect("json");
    let right = &report["sides"][0];
    assert_eq!(right["side"], "right");
    let degrees = right["estimate"]["degrees"].as_f64().expect("degrees");
    let plus_minus = right["estimate"]["plus_minus_degrees"].as_f64().expect("±");
    assert!((degrees - peak).abs() <= plus_minus, "{degrees} ±{plus_minus} against a true {peak:.1}");
    assert_eq!(degrees.fract(), 0.0, "whole degrees: no more precise than it is");
    assert!(right["reps"].as_array().is_some_and(|r| !r.is_empty()));

    let plot = dir.path().join("plot.svg");
    let (ok, _, _) = analyze(&[file, "--plot", plot.to_str().expect("path")]);
    assert!(ok);
    let svg = std::fs::read_to_string(&plot).expect("the plot is written");
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert!(svg.contains("<title id=\"t\">Hip internal rotation over time: seated-right.json</title>"), "{svg:.300}");
    assert!(svg.contains("Right hip: estimate"), "the figure says what it shows, in words");

    let (ok, csv, _) = analyze(&[file, "--csv", "--side", "left", "--calibration", "none"]);
    assert!(ok);
    let rows: Vec<&str> = csv.lines().collect();
    assert_eq!(rows.len(), recording.frames.len() + 1, "a header and one row per frame");
    assert!(rows[0].starts_with("t_ms,left_deg"));
}

#[test]
fn a_broken_file_is_refused_with_the_file_the_frame_the_field_and_the_reason() {
    let dir = tempfile::tempdir().expect("dir");
    let (recording, _) = clip(Layout::Coco17, Side::Left);
    let good = recording.to_json();
    let cases = [
        (
            "short.json",
            good.replacen("]]}", "]]},{\"t_ms\":1,\"keypoints\":[]}", 1),
            "frame 1, keypoints: 0 keypoints; the coco-17 layout has 17",
        ),
        (
            "odd.json",
            good.replacen("\"layout\":\"coco-17\"", "\"layout\":\"openpose\"", 1),
            "layout: \"openpose\" is not a layout",
        ),
        ("video.mp4", "\0\0\0 ftypisom".to_owned(), "is not a video ffmpeg can read (nor a keypoint file)"),
    ];
    for (name, text, expected) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write");
        let (ok, _, error) = analyze(&[path.to_str().expect("path")]);
        assert!(!ok, "{name} is refused");
        assert!(error.contains(name) && error.contains(expected), "{name}: {error}");
    }
    let (ok, _, error) = analyze(&[dir.path().join("missing.json").to_str().expect("path")]);
    assert!(!ok && error.contains("cannot read") && error.contains("missing.json"), "{error}");
}

#[test]
fn saving_stores_the_estimate_as_a_camera_reading_with_its_own_plus_minus_and_refuses_without_three_reps() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let data = data.to_str().expect("path");
    let (recording, _) = clip(Layout::BlazePose33, Side::Right);
    let path = dir.path().join("clip.json");
    std::fs::write(&path, recording.to_json()).expect("write");
    let file = path.to_str().expect("path");
    let (ok, json, said) = hipcoach(&["--data-dir", data, "analyze", file, "--save", "--json"]);
    assert!(ok, "{said}");
    assert!(said.contains("Saved: right seated IR estimate"), "{said}");
    serde_json::from_str::<serde_json::Value>(&json).expect("the JSON on standard output stays one document");
    let (ok, list, _) = hipcoach(&["--data-dir", data, "measure", "list"]);
    assert!(ok && list.contains("camera estimate"), "{list}");
    // The side that did not turn: nothing stored, and the reason.
    let (ok, _, error) = hipcoach(&["--data-dir", data, "analyze", file, "--side", "left", "--save"]);
    assert!(!ok && error.contains("nothing saved: the left hip did not turn enough to measure"), "{error}");
    // Two reps are not three trials.
    let cut = recording.frames.iter().position(|f| f.t_ms > 12_000).expect("long enough");
    let short = hipcoach_core::measure::Recording { frames: recording.frames[..cut].to_vec(), ..recording };
    std::fs::write(&path, short.to_json()).expect("write");
    let (ok, _, error) = hipcoach(&["--data-dir", data, "analyze", file, "--save"]);
    assert!(!ok && error.contains("a reading needs three trials"), "{error}");
    let (_, list, _) = hipcoach(&["--data-dir", data, "measure", "list"]);
    assert_eq!(list.matches("camera estimate").count(), 1, "only the one saved");
}

/// Videos through the pose model: rendered people whose hip rotation is known exactly
/// (tests/clips, made by scripts/render-clip; the truth is in each clip's .truth.csv).
mod video {
    use super::{analyze, hipcoach};
    use hipcoach_core::measure::Recording;
    use std::path::{Path, PathBuf};
    use std::process::Command;

    fn clip(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/clips").join(name)
    }

    /// The right hip's true rotation per frame.
    fn truth(name: &str) -> Vec<(i64, f64)> {
        let mut reader = csv::Reader::from_path(clip(name)).expect("truth file");
        reader
            .records()
            .map(|row| {
                let row = row.expect("row");
                (row[0].parse().expect("t_ms"), row[2].parse().expect("right_ir_deg"))
            })
            .collect()
    }

    /// Whether a tool is on the machine; scripts/test installs ffmpeg and the models and sets
    /// HIPCOACH_REQUIRE_POSE, so there a missing part fails instead of skipping.
    fn present(what: &str, found: bool) -> bool {
        if !found {
            assert!(
                std::env::var_os("HIPCOACH_REQUIRE_POSE").is_none(),
                "{what} is missing, and HIPCOACH_REQUIRE_POSE is set"
            );
            eprintln!("skipped: {what} is missing (scripts/test installs it)");
        }
        found
    }

    fn ffmpeg() -> bool {
        present("ffmpeg", Command::new("ffprobe").arg("-version").output().is_ok_and(|o| o.status.success()))
    }

    /// The folder scripts/setup-pose filled, from HIPCOACH_POSE_DIR.
    fn pose_dir() -> Option<String> {
        let dir =
            std::env::var("HIPCOACH_POSE_DIR").ok().filter(|d| Path::new(d).join("pose_landmark_full.onnx").is_file());
        (ffmpeg() && present("the pose models (HIPCOACH_POSE_DIR, filled by scripts/setup-pose)", dir.is_some()))
            .then(|| dir.unwrap_or_default())
    }

    fn json(args: &[&str]) -> serde_json::Value {
        let (ok, out, said) = analyze(args);
        assert!(ok, "{said}");
        serde_json::from_str(&out).expect("json")
    }

    #[test]
    fn a_rendered_seated_test_is_measured_within_its_stated_uncertainty() {
        let Some(pose) = pose_dir() else { return };
        let dir = tempfile::tempdir().expect("dir");
        let keypoints = dir.path().join("keypoints.json");
        let video = clip("seated-right-ir.mp4");
        let args = [
            video.to_str().expect("path"),
            "--pose-dir",
            &pose,
            "--json",
            "--keypoints",
            keypoints.to_str().expect("path"),
        ];
        let report = json(&args);
        let truth = truth("seated-right-ir.truth.csv");
        let peak = truth.iter().map(|t| t.1).fold(0.0, f64::max);
        assert_eq!(report["frames"], truth.len(), "every frame read, none dropped");
        assert_eq!(report["pose"]["frames_without_person"], 0, "{report}");
        let right = &report["sides"][0];
        assert_eq!(right["side"], "right", "the side that turned is found");
        assert_eq!(right["reps"].as_array().expect("reps").len(), 3, "{right}");
        let estimate = &right["estimate"];
        let (degrees, plus_minus) =
            (estimate["degrees"].as_f64().expect("degrees"), estimate["plus_minus_degrees"].as_f64().expect("±"));
        assert!((degrees - peak).abs() <= plus_minus, "estimate {degrees}° ±{plus_minus}° against a true {peak}°");

        // Frame by frame, the angle follows the truth closely, not only at the peaks.
        let (ok, csv, _) = analyze(&[&args[..3], &["--csv"]].concat());
        assert!(ok);
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let errors: Vec<f64> = reader
            .records()
            .zip(&truth)
            .filter_map(|(row, (_, true_deg))| {
                let row = row.expect("row");
                row[4].parse::<f64>().ok().map(|measured| (measured - true_deg).abs())
            })
            .collect();
        assert!(errors.len() * 10 >= truth.len() * 9, "measured in {} of {} frames", errors.len(), truth.len());
        let mean = errors.iter().sum::<f64>() / errors.len() as f64;
        assert!(mean <= 3.0, "mean error {mean:.1}° frame by frame");

        // The keypoints written are a keypoint file that reads back and analyses the same.
        let recording = Recording::from_json(&std::fs::read_to_string(&keypoints).expect("keypoints")).expect("valid");
        assert_eq!(recording.frames.len(), truth.len());
        let again = json(&[keypoints.to_str().expect("path"), "--json"]);
        assert_eq!(again["sides"][0]["estimate"]["degrees"], estimate["degrees"]);
    }

    #[test]
    fn a_camera_turned_35_degrees_is_refused_with_the_reason() {
        let Some(pose) = pose_dir() else { return };
        let video = clip("seated-right-ir-yaw35.mp4");
        let (ok, text, said) = analyze(&[video.to_str().expect("path"), "--pose-dir", &pose]);
        assert!(ok, "{said}");
        assert!(!text.contains("Estimate"), "no number from a turned camera: {text}");
        assert!(text.contains("to the side; place it straight in front of the thighs"), "{text}");
    }

    #[test]
    fn a_phone_video_stored_on_its_side_is_turned_upright_first() {
        let Some(pose) = pose_dir() else { return };
        let dir = tempfile::tempdir().expect("dir");
        // As a phone records: the pictures stored turned a quarter clockwise, the file saying to
        // turn them back (ffmpeg 5.1 writes `rotate=90` as a quarter turn counter-clockwise).
        let stored = dir.path().join("stored.mp4");
        let turned = dir.path().join("phone.mp4");
        let source = clip("seated-right-ir.mp4");
        for args in [
            vec![
                "-i",
                source.to_str().expect("path"),
                "-vf",
                "transpose=1",
                "-c:v",
                "libx264",
                "-crf",
                "18",
                stored.to_str().expect("path"),
            ],
            vec![
                "-i",
                stored.to_str().expect("path"),
                "-c",
                "copy",
                "-metadata:s:v:0",
                "rotate=90",
                turned.to_str().expect("path"),
            ],
        ] {
            assert!(Command::new("ffmpeg").args(["-v", "error"]).args(args).status().expect("ffmpeg runs").success());
        }
        let (ok, text, said) = analyze(&[turned.to_str().expect("path"), "--pose-dir", &pose]);
        assert!(ok, "{said}");
        assert!(text.contains("640 × 480 pixels"), "upright again: {text}");
        assert!(text.contains("Right hip (turned most):\n  Estimate"), "{text}");
    }

    #[test]
    fn a_variable_frame_rate_keeps_each_frames_own_time() {
        let Some(pose) = pose_dir() else { return };
        let dir = tempfile::tempdir().expect("dir");
        // Two frames kept of every four, each at its own time, as a phone's variable rate gives.
        let uneven = dir.path().join("uneven.mp4");
        let made = Command::new("ffmpeg")
            .args(["-v", "error", "-i"])
            .arg(clip("seated-right-ir.mp4"))
            .args(["-vf", "select='lt(mod(n\\,4)\\,2)'", "-vsync", "vfr", "-c:v", "libx264", "-crf", "18"])
            .arg(&uneven)
            .status()
            .expect("ffmpeg runs");
        assert!(made.success());
        let keypoints = dir.path().join("uneven.json");
        let args =
            [uneven.to_str().expect("path"), "--pose-dir", &pose, "--keypoints", keypoints.to_str().expect("path")];
        let (ok, text, said) = analyze(&args);
        assert!(ok, "{said}");
        assert!(text.contains("Right hip (turned most):\n  Estimate"), "{text}");
        let recording = Recording::from_json(&std::fs::read_to_string(&keypoints).expect("keypoints")).expect("valid");
        let times: Vec<i64> = recording.frames.iter().map(|f| f.t_ms).take(6).collect();
        assert_eq!(times, [0, 100, 400, 500, 800, 900], "the source's own times, not a steady rate");
    }

    #[test]
    fn missing_or_damaged_models_and_broken_videos_are_refused_in_plain_words() {
        if !ffmpeg() {
            return;
        }
        let dir = tempfile::tempdir().expect("dir");
        let video = clip("seated-right-ir.mp4");
        let video = video.to_str().expect("path");
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).expect("dir");
        let (ok, _, said) = analyze(&[video, "--pose-dir", empty.to_str().expect("path")]);
        assert!(
            !ok && said.contains("the pose models are not installed") && said.contains("scripts/setup-pose"),
            "{said}"
        );

        // The start of a video only, its index cut off.
        let bytes = std::fs::read(video).expect("clip");
        let head = dir.path().join("head.mp4");
        std::fs::write(&head, &bytes[..600]).expect("write");
        let (ok, _, said) = analyze(&[head.to_str().expect("path"), "--pose-dir", empty.to_str().expect("path")]);
        assert!(!ok && said.contains("head.mp4 is not a video ffmpeg can read"), "{said}");

        let Some(pose) = pose_dir() else { return };
        // Half a video: what is there is analysed, and the summary says the rest is missing.
        let half = dir.path().join("half.mp4");
        std::fs::write(&half, &bytes[..bytes.len() / 2]).expect("write");
        let (ok, text, said) = analyze(&[half.to_str().expect("path"), "--pose-dir", &pose]);
        assert!(ok, "{said}");
        assert!(text.contains("of the 145 frames the file announces could be read: it may be cut short"), "{text}");

        let Some(pose) = pose_dir() else { return };
        let damaged = dir.path().join("damaged");
        std::fs::create_dir(&damaged).expect("dir");
        for file in ["libonnxruntime.so.1.32.0", "pose_detection.onnx", "pose_landmark_full.onnx"] {
            std::fs::copy(Path::new(&pose).join(file), damaged.join(file)).expect("copy");
        }
        let model = damaged.join("pose_landmark_full.onnx");
        let mut bytes = std::fs::read(&model).expect("model");
        let middle = bytes.len() / 2;
        bytes[middle] ^= 0x40;
        std::fs::write(&model, bytes).expect("write");
        let (ok, _, said) = hipcoach(&["analyze", video, "--pose-dir", damaged.to_str().expect("path")]);
        assert!(!ok && said.contains("is not the pose model this version of hipcoach was checked with"), "{said}");
    }
}
