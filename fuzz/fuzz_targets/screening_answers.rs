//! Screening answers as a form or `--answers FILE` sends them: accepted or refused with a reason.
#![no_main]
use hipcoach_core::program::{Answers, screen};
use hipcoach_core::units::Day;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(responses) = serde_json::from_slice(data) {
        if let Ok(answers) = Answers::from_responses(Day::new(100), &responses) {
            let _ = screen(&answers);
        }
    }
});
