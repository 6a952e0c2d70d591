//! The analysers on what a real pose model saw: the keypoints BlazePose (full) found in the
//! rendered clips of tests/clips (written by `hipcoach analyze CLIP --keypoints`), so these run
//! without the model. A recorded clip and the live camera must both measure the square view
//! within their ± of the truth, and both refuse the camera turned 35°.

use hipcoach_core::measure::{ClipOptions, LiveStage, LiveTest, Recording, TestPosition, analyse_clip};
use hipcoach_core::units::Side;
/// The clips' keypoint files, built in (the core does no IO, not even in its tests).
const SQUARE: &str = include_str!("../../../tests/clips/seated-right-ir.keypoints.json");
const TURNED_35: &str = include_str!("../../../tests/clips/seated-right-ir-yaw35.keypoints.json");

fn clip(text: &str) -> Recording {
    Recording::from_json(text).expect("a valid keypoint file")
}

/// The true peak of the right hip: 30° in both clips (tests/clips/*.truth.csv).
const TRUE_PEAK: f64 = 30.0;

#[test]
fn a_recorded_clip_is_measured_within_its_plus_minus() {
    let recording = clip(SQUARE);
    let report = analyse_clip(&recording, ClipOptions::seated());
    let right = report.main().expect("a side");
    assert_eq!(right.side, Side::Right);
    assert_eq!(right.reps.len(), 3);
    let estimate = right.estimate.as_ref().expect("an estimate");
    assert!((estimate.angle.get() - TRUE_PEAK).abs() <= estimate.uncertainty.get(), "{estimate:?}");
    assert_eq!(right.measured, recording.frames.len(), "{:?}", right.refused);
}

#[test]
fn the_live_camera_calibrates_takes_three_trials_and_lands_within_its_plus_minus() {
    let recording = clip(SQUARE);
    let mut test = LiveTest::new(TestPosition::Seated, Side::Right, recording.image, recording.layout);
    let screens: Vec<_> = recording.frames.iter().map(|f| test.frame(f.t_ms, &f.points, None)).collect();
    assert!(test.is_done(), "{:?}", screens.last());
    let estimate = screens.last().and_then(|s| s.estimate.clone()).expect("an estimate");
    assert_eq!(estimate.trials_degrees.len(), 3);
    assert!((estimate.degrees as f64 - TRUE_PEAK).abs() <= estimate.plus_minus_degrees as f64, "{estimate:?}");
}

#[test]
fn a_camera_turned_35_degrees_is_refused_by_both() {
    let recording = clip(TURNED_35);
    let report = analyse_clip(&recording, ClipOptions::seated());
    assert!(report.sides.iter().all(|s| s.estimate.is_none() && s.measured == 0));
    let mut test = LiveTest::new(TestPosition::Seated, Side::Right, recording.image, recording.layout);
    let screens: Vec<_> = recording.frames.iter().map(|f| test.frame(f.t_ms, &f.points, None)).collect();
    assert!(screens.iter().all(|s| s.stage == LiveStage::SettingUp));
    let fix = screens.last().and_then(|s| s.fix.clone()).expect("a reason");
    assert!(fix.contains("place it straight in front of the thighs"), "{fix}");
}
