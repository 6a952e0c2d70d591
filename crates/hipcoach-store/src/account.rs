//! A whole account as one JSON file, and back. Ids are left out (they are local to a
//! database), so export → import into an empty database → export gives the same file.

use crate::model::{Correction, Document, Measurement, PainCheckin, Preference, StoredSession, UserId};
use crate::{Store, StoreError};
use serde::{Deserialize, Serialize};

/// The file's `format` value, so a wrong file is refused with a clear message.
pub const ACCOUNT_FORMAT: &str = "hipcoach-account";
/// The newest format version this build writes and reads.
pub const ACCOUNT_VERSION: u32 = 2;

/// Everything stored for one person.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountExport {
    /// Always `hipcoach-account`.
    pub format: String,
    /// Format version.
    pub version: u32,
    /// The account.
    pub user: ExportedUser,
    /// Profiles, screenings and plans, oldest first.
    pub documents: Vec<Document>,
    /// Sessions, oldest first.
    pub sessions: Vec<StoredSession>,
    /// Pain check-ins, oldest first.
    pub pain_checkins: Vec<PainCheckin>,
    /// Range-of-motion measurements, oldest first.
    pub measurements: Vec<Measurement>,
    /// Exercise ratings and swaps.
    pub preferences: Vec<Preference>,
    /// Readings corrected or deleted and sessions deleted, each with the record as it was,
    /// oldest first (version 2; a version 1 file has none).
    #[serde(default)]
    pub corrections: Vec<Correction>,
}

/// The account itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExportedUser {
    /// Login name.
    pub name: String,
    /// Password hash, so the account still logs in after a move.
    pub password_hash: Option<String>,
    /// When the account was made.
    pub created_at_ms: i64,
}

impl Store {
    /// Reads everything of `user` in one consistent pass.
    pub async fn export_account(&self, user: UserId) -> Result<AccountExport, StoreError> {
        let account = self.user(user).await?;
        Ok(AccountExport {
            format: ACCOUNT_FORMAT.to_owned(),
            version: ACCOUNT_VERSION,
            user: ExportedUser {
                name: account.name,
                password_hash: account.password_hash,
                created_at_ms: account.created_at_ms,
            },
            documents: self.documents(user).await?,
            sessions: self.sessions(user).await?,
            pain_checkins: self.pain_checkins(user).await?,
            measurements: self.measurements(user).await?,
            preferences: self.preferences(user).await?,
            corrections: self.corrections(user).await?,
        })
    }

    /// Creates the account from an export, all or nothing; `rename` imports under another name.
    pub async fn import_account(&self, export: &AccountExport, rename: Option<&str>) -> Result<UserId, StoreError> {
        if export.format != ACCOUNT_FORMAT {
            return Err(StoreError::invalid(format!(
                "this is not a hipcoach account export (format `{}`, expected `{ACCOUNT_FORMAT}`)",
                export.format
            )));
        }
        if export.version > ACCOUNT_VERSION {
            return Err(StoreError::invalid(format!(
                "this export is version {}, newer than this hipcoach reads ({ACCOUNT_VERSION}); update hipcoach",
                export.version
            )));
        }
        for session in &export.sessions {
            self.check_session(&session.client_key, &session.record)?;
        }
        for measurement in &export.measurements {
            crate::measurements::check_measurement(measurement)?;
        }
        for preference in &export.preferences {
            self.check_exercise(&preference.exercise)?;
        }
        for exercise in export.pain_checkins.iter().filter_map(|c| c.exercise.as_ref()) {
            self.check_exercise(exercise)?;
        }
        let name = crate::users::parse_user_name(rename.unwrap_or(&export.user.name))?;

        let mut tx = self.begin_write().await?;
        let user =
            crate::users::insert_user(&mut tx, &name, export.user.password_hash.as_deref(), export.user.created_at_ms)
                .await?;
        for document in &export.documents {
            crate::documents::insert_document(&mut tx, user.id, document).await?;
        }
        for session in &export.sessions {
            crate::sessions::insert_session(
                &mut tx,
                user.id,
                session.day,
                &session.client_key,
                session.recorded_at_ms,
                &session.record,
            )
            .await?;
        }
        for checkin in &export.pain_checkins {
            crate::checkins::insert_checkin(&mut tx, user.id, checkin, checkin.recorded_at_ms).await?;
        }
        for measurement in &export.measurements {
            crate::measurements::insert_measurement(&mut tx, user.id, measurement, measurement.recorded_at_ms)
                .await?
                .ok_or_else(|| StoreError::invalid("the file holds two readings with the same device key"))?;
        }
        for preference in &export.preferences {
            crate::preferences::upsert_preference(&mut tx, user.id, preference, preference.updated_at_ms).await?;
        }
        for correction in &export.corrections {
            crate::corrections::insert_correction(&mut tx, user.id, correction).await?;
        }
        tx.commit().await?;
        Ok(user.id)
    }
}
