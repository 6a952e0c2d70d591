//! Reading a folder of the person's own exercise files, the one place the catalog touches the
//! file system. Both front ends load `--catalog DIR` through it (the web server serves the
//! layered catalog), and `hipcoach catalog check` reports every problem it finds at once.

use crate::error::{Result, WorkflowError};
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
    pub fn read(dir: &Path) -> Result<Self> {
        let unreadable_folder = |error: std::io::Error| {
            WorkflowError::invalid("folder", format!("cannot read the catalog folder {}: {error}", dir.display()))
        };
        let entries = std::fs::read_dir(dir).map_err(unreadable_folder)?;
        let mut paths = Vec::new();
        for entry in entries {
            let path = entry.map_err(unreadable_folder)?.path();
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

/// The catalog every command and the server use: built-in, plus the person's folder when one is
/// given. Every problem in the folder at once, as the checker reports them.
pub fn load(dir: Option<&Path>) -> Result<Catalog> {
    let builtin = Catalog::builtin();
    match dir {
        None => Ok(builtin.clone()),
        Some(dir) => CatalogDir::read(dir)?
            .layer_over(builtin)
            .map_err(|error| WorkflowError::invalid("catalog", error.to_string())),
    }
}
