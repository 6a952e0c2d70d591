//! Embeds every file of the workspace's `catalog/` folder, so the binary carries the program.

#![allow(clippy::disallowed_methods)] // The build script is the one place the core may read files.

use std::{env, fs, path::PathBuf};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = manifest.join("../../catalog");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read the catalog folder {}: {e}", dir.display()))
        .map(|entry| entry.expect("catalog entry is readable").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    files.sort();
    let mut out = String::from(
        "/// Every built-in exercise file: (file name, contents).\npub(crate) const BUILTIN_FILES: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().expect("a file has a name").to_string_lossy();
        let absolute = path.canonicalize().expect("catalog file exists");
        out.push_str(&format!("    ({name:?}, include_str!({:?})),\n", absolute.display().to_string()));
    }
    out.push_str("];\n");
    let target = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("builtin_files.rs");
    fs::write(target, out).expect("OUT_DIR is writable");
}
