//! A user's exercise file: any bytes give a catalog or a list of problems, never a panic.
#![no_main]
use hipcoach_core::catalog::Catalog;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Err(error) = Catalog::builtin().extended_with([("fuzz.toml", text)]) {
            assert!(!error.problems.is_empty());
        }
    }
});
