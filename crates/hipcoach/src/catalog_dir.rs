//! Reading a folder of exercise files from disk, the one place the catalog touches the file system.

use hipcoach_core::catalog::{Catalog, CatalogError, Problem};
use std::path::Path;

/// What was read from a folder: the files that could be read, and problems with those that could not.
pub struct CatalogDir {
    /// (file path as shown to the user, contents).
    pub files: Vec<(String, String)>,
    /// Files that exist but cannot be used at all (unreadable, not UTF-8).
    pub unreadable: Vec<Problem>,
}

impl CatalogDir {
    /// Reads every `*.toml` file directly inside `dir`. Other files are ignored, so a folder may
    /// hold notes or pictures beside the exercises.
    pub fn read(dir: &Path) -> anyhow::Result<Self> {
        use anyhow::Context;
        let entries =
            std::fs::read_dir(dir).with_context(|| format!("cannot read the catalog folder {}", dir.display()))?;
        let mut paths = Vec::new();
        for entry in entries {
            let path = entry.with_context(|| format!("cannot list {}", dir.display()))?.path();
            if path.is_file() && path.extension().is_some_and(|ext| ext == "toml") {
                paths.push(path);
            }
        }
        paths.sort();
        let mut files = Vec::new();
        let mut unreadable = Vec::new();
        for path in paths {
            let shown = path.display().to_string();
            match std::fs::read(&path) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => files.push((shown, text)),
                    Err(_) => unreadable.push(problem(shown, "is not UTF-8 text; save it as UTF-8")),
                },
                Err(error) => unreadable.push(problem(shown, &format!("cannot be read: {error}"))),
            }
        }
        if files.is_empty() && unreadable.is_empty() {
            unreadable.push(problem(dir.display().to_string(), "holds no .toml exercise files"));
        }
        Ok(Self { files, unreadable })
    }

    /// `base` with this folder layered on top; every problem, including unreadable files, at once.
    pub fn layer_over(self, base: &Catalog) -> Result<Catalog, CatalogError> {
        let result = base.extended_with(self.files);
        match (result, self.unreadable) {
            (Ok(catalog), unreadable) if unreadable.is_empty() => Ok(catalog),
            (Ok(_), unreadable) => Err(CatalogError { problems: unreadable }),
            (Err(mut error), mut unreadable) => {
                unreadable.append(&mut error.problems);
                Err(CatalogError { problems: unreadable })
            }
        }
    }
}

fn problem(file: String, reason: &str) -> Problem {
    Problem { file, field: "(file)".to_owned(), reason: reason.to_owned() }
}

/// The catalog every command uses: built-in, plus the user's folder when one is given.
pub fn load(dir: Option<&Path>) -> anyhow::Result<Catalog> {
    let builtin = Catalog::builtin();
    match dir {
        None => Ok(builtin.clone()),
        Some(dir) => CatalogDir::read(dir)?.layer_over(builtin).map_err(|error| {
            anyhow::anyhow!("{error}\nFix these, or run `hipcoach catalog check {}` for the report.", dir.display())
        }),
    }
}
