//! Any text given to `hipcoach analyze` as a keypoint file: refused with a reason that names the
//! frame and field, or read and analysed whole — never a panic, and every estimate it gives is
//! finite with a ± of at least the camera's own.
#![no_main]
use hipcoach_core::measure::{ClipOptions, Recording, TestPosition, analyse_clip};
use hipcoach_core::units::Side;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Recording::from_json(text) {
        Err(error) => assert!(!error.to_string().is_empty()),
        Ok(recording) => {
            // A round trip reads back the same recording.
            assert_eq!(Recording::from_json(&recording.to_json()).as_ref(), Ok(&recording));
            for (position, side, calibrate_ms) in
                [(TestPosition::Seated, None, Some(1_000)), (TestPosition::Prone, Some(Side::Right), None)]
            {
                let report = analyse_clip(&recording, ClipOptions { position, side, calibrate_ms });
                assert_eq!(report.frames.len(), recording.frames.len());
                for side in &report.sides {
                    if let Some(estimate) = &side.estimate {
                        assert!(estimate.angle.get().is_finite() && estimate.uncertainty.get() >= 10.0);
                        assert!(!estimate.trials.is_empty() && estimate.trials.len() <= 3);
                    }
                }
            }
        }
    }
});
