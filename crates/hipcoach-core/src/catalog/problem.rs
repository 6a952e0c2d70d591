//! What is wrong with a catalog, reported all at once so an author fixes everything in one pass.

use std::fmt;

/// One thing wrong in one exercise file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// The file name, as given to the loader.
    pub file: String,
    /// The field path inside the file, e.g. `dose.tempo.out`; `(file)` when the whole file is at fault.
    pub field: String,
    /// What is wrong and how to fix it.
    pub reason: String,
}

impl Problem {
    pub(crate) fn new(file: &str, field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { file: file.to_owned(), field: field.into(), reason: reason.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}: {}", self.file, self.field, self.reason)
    }
}

/// A catalog that cannot be used, with every problem found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CatalogError {
    /// Every problem, in file order, then field order.
    pub problems: Vec<Problem>,
}

impl fmt::Display for CatalogError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.problems.len();
        write!(f, "the catalog has {count} problem{}:", if count == 1 { "" } else { "s" })?;
        for problem in &self.problems {
            write!(f, "\n  {problem}")?;
        }
        Ok(())
    }
}
