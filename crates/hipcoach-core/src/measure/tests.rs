//! The analysis against synthetic ground truth, and its behaviour on garbage input.

use super::synthetic::{Aids, Camera, Motion, Noise, Posture, Scenario};
use super::*;
use crate::units::Side;
use proptest::prelude::*;

/// Every set inside the valid envelope: yaw within ±15°, realistic noise or none, both layouts,
/// both sides, with roll (known), pelvic hike and hip adduction mixed in.
fn valid_envelope() -> Vec<(String, Scenario, Aids)> {
    let mut sets = Vec::new();
    let base = Scenario::default();
    let mut seed = 100;
    for yaw in [0.0, 5.0, -5.0, 10.0, -10.0, 15.0, -15.0] {
        for noise in [Noise::NONE, Noise::REALISTIC] {
            for layout in [Layout::BlazePose33, Layout::Coco17] {
                for side in Side::BOTH {
                    for (variant, posture, roll, aids) in [
                        ("plain", Posture::default(), 0.0, Aids::default()),
                        ("roll 5° known", Posture::default(), 5.0, Aids { known_roll: true, calibrate: false }),
                        ("roll -4° calibrated", Posture::default(), -4.0, Aids { known_roll: false, calibrate: true }),
                        ("hike 1°", Posture { pelvic_hike_deg: 1.0, ..Posture::default() }, 0.0, Aids::default()),
                        (
                            "adduction 5°",
                            Posture { hip_adduction_deg: [5.0, 5.0], ..Posture::default() },
                            0.0,
                            Aids::default(),
                        ),
                    ] {
                        seed += 1;
                        let s = Scenario {
                            layout,
                            camera: Camera { yaw_deg: yaw, roll_deg: roll, ..base.camera },
                            posture,
                            noise,
                            motion: Motion { side, reps: 4, ..base.motion },
                            seed,
                            ..base
                        };
                        sets.push((format!("yaw {yaw} {layout:?} {side} {variant} σ{}", noise.sigma_px), s, aids));
                    }
                }
            }
        }
    }
    for side in Side::BOTH {
        for yaw in [0.0, 10.0] {
            seed += 1;
            let prone = Scenario {
                position: TestPosition::Prone,
                camera: Camera { height: 0.85, yaw_deg: yaw, ..base.camera },
                motion: Motion { side, reps: 4, ..base.motion },
                seed,
                ..base
            };
            sets.push((format!("prone {side} yaw {yaw}"), prone, Aids::default()));
        }
    }
    sets
}

#[test]
fn angle_error_is_within_three_degrees_and_reps_exact_inside_the_valid_envelope() {
    let sets = valid_envelope();
    let mut exact = 0;
    for (name, scenario, aids) in &sets {
        let e = scenario.evaluate(*aids);
        let mae = e.mean_abs_error.unwrap_or(f64::INFINITY);
        assert!(mae <= 3.0, "{name}: MAE {mae:.2}°");
        assert!(e.measured >= 0.8, "{name}: only {:.0} % measured ({:?})", e.measured * 100.0, e.main_reason);
        if e.reps_counted == e.reps_true {
            exact += 1;
        } else {
            eprintln!("{name}: counted {} of {}", e.reps_counted, e.reps_true);
        }
    }
    let share = exact as f64 / sets.len() as f64;
    assert!(share >= 0.99, "reps exact in {exact} of {} sets", sets.len());
}

/// Without depth the knee angle shows only as a slightly shorter shin (a 60° knee is flagged in
/// about half the frames, see docs/accuracy.md), so that case is not asserted here; with depth,
/// only a knee far from 90° is refused on the depth's word.
#[test]
fn poor_views_are_flagged_not_measured() {
    let base = Scenario::default();
    let cases = [
        (
            "yaw 30°",
            Scenario { camera: Camera { yaw_deg: 30.0, ..base.camera }, ..base },
            Aids::default(),
            "CameraTurned",
        ),
        (
            "yaw -40° COCO",
            Scenario { layout: Layout::Coco17, camera: Camera { yaw_deg: -40.0, ..base.camera }, ..base },
            Aids::default(),
            "CameraTurned",
        ),
        (
            "hike 6°",
            Scenario { posture: Posture { pelvic_hike_deg: 6.0, ..base.posture }, ..base },
            Aids::default(),
            "PelvisTilted",
        ),
        (
            "hike -6° after calibration",
            Scenario { posture: Posture { pelvic_hike_deg: -6.0, ..base.posture }, ..base },
            Aids { calibrate: true, known_roll: false },
            "PelvisTilted",
        ),
        (
            "camera roll 8° unknown",
            Scenario { camera: Camera { roll_deg: 8.0, ..base.camera }, ..base },
            Aids::default(),
            "PelvisTilted",
        ),
        (
            "knee nearly straight (flexed 30°) with depth",
            Scenario { posture: Posture { knee_flexion_deg: 30.0, ..base.posture }, ..base },
            Aids::default(),
            "KneeNotAtRightAngle",
        ),
        (
            "adduction 20° after calibration",
            Scenario { posture: Posture { hip_adduction_deg: [20.0, 0.0], ..base.posture }, ..base },
            Aids { calibrate: true, known_roll: false },
            "ThighMoved",
        ),
    ];
    for (name, scenario, aids, reason) in cases {
        let e = scenario.evaluate(aids);
        assert!(e.measured < 0.05, "{name}: {:.0} % of frames measured", e.measured * 100.0);
        assert_eq!(e.main_reason.as_deref(), Some(reason), "{name}");
    }
}

/// What a real pose model's depth looks like: on rendered people BlazePose's hip depth implied a
/// camera turned 17–29° when it was square and its 3D knee angle read 58–116° at 93–95°. Such
/// depth must not refuse a valid trial.
#[test]
fn a_pose_models_unreliable_depth_does_not_refuse_a_valid_trial() {
    let scenario =
        Scenario { motion: Motion { side: Side::Right, reps: 3, ..Motion::default() }, ..Scenario::default() };
    let (mut recording, _) = scenario.recording();
    for frame in &mut recording.frames {
        for (i, point) in frame.points.iter_mut().enumerate() {
            // Depth three times too deep, and the right side's 0.1 (a quarter of the hip width) nearer.
            let skew = if i % 2 == 0 { 0.1 } else { 0.0 };
            point.z = point.z.map(|z| 3.0 * z - skew);
        }
    }
    let options = ClipOptions { position: TestPosition::Seated, side: Some(Side::Right), calibrate_ms: Some(1_000) };
    let report = analyse_clip(&recording, options);
    let right = report.main().expect("a side");
    assert!(
        right.measured * 10 >= recording.frames.len() * 9,
        "{} of {} measured: {:?}",
        right.measured,
        recording.frames.len(),
        right.refused
    );
    assert_eq!(right.reps.len(), 3);
}

/// During the turn a real model's shin looks shorter (0.7–0.94 of neutral on rendered people)
/// with the knee still at 90°: the knee check must not refuse the end of the range for it.
#[test]
fn a_shin_that_shortens_during_the_turn_is_still_measured() {
    let scenario =
        Scenario { motion: Motion { side: Side::Left, reps: 3, ..Motion::default() }, ..Scenario::default() };
    let (mut recording, _) = scenario.recording();
    let (knee, ankle) = (
        Layout::BlazePose33.index(Landmark { joint: Joint::Knee, side: Side::Left }),
        Layout::BlazePose33.index(Landmark { joint: Joint::Ankle, side: Side::Left }),
    );
    let neutral = recording.frames[0].points[ankle].x - recording.frames[0].points[knee].x;
    for frame in &mut recording.frames {
        let (k, a) = (frame.points[knee], frame.points[ankle]);
        // Shorter the further the foot is out: 0.8 of its length at 30°.
        let turned = ((a.x - k.x) - neutral).abs() / (a.y - k.y).abs().max(1e-3);
        let factor = 1.0 - 0.2 * (turned / 0.58).min(1.0);
        frame.points[ankle].x = k.x + (a.x - k.x) * factor;
        frame.points[ankle].y = k.y + (a.y - k.y) * factor;
        for point in &mut frame.points {
            point.z = None;
        }
    }
    let options = ClipOptions { position: TestPosition::Seated, side: Some(Side::Left), calibrate_ms: Some(1_000) };
    let report = analyse_clip(&recording, options);
    let left = report.main().expect("a side");
    assert!(
        left.measured * 10 >= recording.frames.len() * 9,
        "{} of {} measured: {:?}",
        left.measured,
        recording.frames.len(),
        left.refused
    );
    assert_eq!(left.reps.len(), 3);
}

#[test]
fn calibration_removes_a_constant_set_up_offset() {
    // Knee at 80° with the thigh turned 15°: a constant bias a neutral calibration takes out.
    let base = Scenario::default();
    let s = Scenario {
        camera: Camera { yaw_deg: 15.0, ..base.camera },
        posture: Posture { knee_flexion_deg: 82.0, thigh_slope_deg: 10.0, ..base.posture },
        ..base
    };
    let calibrated = s.evaluate(Aids { calibrate: true, known_roll: false });
    assert!(calibrated.mean_abs_error.unwrap() <= 2.0, "{calibrated:?}");
}

#[test]
fn a_camera_reading_reports_the_estimate_uncertainty() {
    let s = Scenario { noise: Noise::NONE, ..Scenario::default() };
    let set = s.generate();
    let mut a = Analyzer::new(s.analysis_config(Aids::default()));
    let r = a.analyze(&set.frames[0].frame(s.layout));
    let left = r.left.unwrap();
    assert!(left.uncertainty.get() >= 10.0);
    assert!(left.confidence > 0.8);
}

#[test]
fn a_frame_going_back_in_time_is_refused() {
    let s = Scenario::default();
    let set = s.generate();
    let mut a = Analyzer::new(s.analysis_config(Aids::default()));
    a.analyze(&set.frames[5].frame(s.layout));
    assert_eq!(a.analyze(&set.frames[4].frame(s.layout)).left, Err(CannotMeasure::TimeWentBack));
}

fn any_coordinate() -> impl Strategy<Value = f32> {
    prop_oneof![
        4 => -0.2f32..1.2,
        1 => Just(f32::NAN),
        1 => Just(f32::INFINITY),
        1 => Just(f32::NEG_INFINITY),
        1 => proptest::num::f32::ANY,
    ]
}

fn any_keypoint() -> impl Strategy<Value = Keypoint> {
    (any_coordinate(), any_coordinate(), proptest::option::of(any_coordinate()), any_coordinate())
        .prop_map(|(x, y, z, visibility)| Keypoint { x, y, z, visibility })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn garbage_keypoints_never_panic_and_numbers_are_finite(
        frames in proptest::collection::vec((proptest::collection::vec(any_keypoint(), 0..40), -5i64..200), 1..20),
        coco in any::<bool>(),
        prone in any::<bool>(),
    ) {
        let layout = if coco { Layout::Coco17 } else { Layout::BlazePose33 };
        let position = if prone { TestPosition::Prone } else { TestPosition::Seated };
        let mut analyzer = Analyzer::new(AnalysisConfig::new(position, ImageSize::new(640.0, 480.0).unwrap()));
        let mut t = 0;
        for (points, dt) in &frames {
            t += dt;
            let result = analyzer.analyze(&Frame { t_ms: t, layout, points });
            for side in Side::BOTH {
                match result.side(side) {
                    Ok(a) => {
                        prop_assert!(a.angle.get().is_finite() && a.raw.get().is_finite());
                        prop_assert!((0.0..=1.0).contains(&a.confidence));
                        prop_assert!(a.uncertainty.get() >= 10.0);
                    }
                    Err(reason) => prop_assert!(!reason.to_string().is_empty()),
                }
            }
        }
    }

    #[test]
    fn a_nan_leg_point_in_a_good_frame_is_reported_by_name(which in 0usize..4, side_left in any::<bool>()) {
        let s = Scenario { noise: Noise::NONE, ..Scenario::default() };
        let mut frame = s.generate().frames.swap_remove(0);
        let side = if side_left { Side::Left } else { Side::Right };
        let joint = [Joint::Hip, Joint::Knee, Joint::Ankle, Joint::Knee][which];
        let landmark = Landmark { joint, side };
        frame.points[s.layout.index(landmark)].x = f32::NAN;
        let mut a = Analyzer::new(s.analysis_config(Aids::default()));
        let result = a.analyze(&frame.frame(s.layout));
        prop_assert_eq!(result.side(side), &Err(CannotMeasure::Missing(landmark)));
    }
}
