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
    assert!(text.contains("validated on synthetic keypoints only"), "a camera reading says how it was validated");
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
