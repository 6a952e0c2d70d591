//! A consistent copy of the database while the server runs.

use crate::store::Backend;
use crate::{Store, StoreError};
use std::path::Path;

impl Store {
    /// Writes a consistent copy of the SQLite database to `path` (which must not exist), using
    /// `VACUUM INTO`: it reads one snapshot, so writers carry on meanwhile. PostgreSQL has its own
    /// tools for this.
    pub async fn backup(&self, path: &Path) -> Result<(), StoreError> {
        if self.backend == Backend::Postgres {
            return Err(StoreError::Config(
                "backups of a PostgreSQL database are made with pg_dump (or your provider's snapshots)".into(),
            ));
        }
        if path.exists() {
            return Err(StoreError::invalid(format!("{} exists already; choose a new file name", path.display())));
        }
        let target = path.to_str().ok_or_else(|| StoreError::invalid("the backup path must be valid UTF-8"))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(&self.reader).await?;
        Ok(())
    }
}
