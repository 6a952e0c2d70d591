//! An account export file as `hipcoach import` reads it: parse errors, never a panic.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<hipcoach_store::AccountExport>(data);
});
