//! Profiles, screening answers and plans, kept as dated JSON versions: nothing is overwritten,
//! so a clinician can see what someone answered and when.

use crate::model::{Document, DocumentKind, Revision, UserId, from_key, now_ms};
use crate::sessions::parse_day;
use crate::{Store, StoreError};
use chrono::NaiveDate;
use sqlx::Row;

impl Store {
    /// Stores a new version.
    pub async fn save_document(
        &self,
        user: UserId,
        kind: DocumentKind,
        day: NaiveDate,
        body: &serde_json::Value,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await?;
        insert_document(&mut tx, user, &Document { kind, day, body: body.clone(), recorded_at_ms: now_ms() }).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The newest version of a kind, if any.
    pub async fn latest_document(&self, user: UserId, kind: DocumentKind) -> Result<Option<Document>, StoreError> {
        let row = sqlx::query(
            "SELECT kind, day, body, recorded_at_ms FROM documents WHERE user_id = $1 AND kind = $2 ORDER BY id DESC LIMIT 1",
        )
        .bind(user.0)
        .bind(kind.key())
        .fetch_optional(&self.reader)
        .await?;
        row.as_ref().map(document).transpose()
    }

    /// Every version of every kind, oldest first.
    pub async fn documents(&self, user: UserId) -> Result<Vec<Document>, StoreError> {
        let rows = sqlx::query("SELECT kind, day, body, recorded_at_ms FROM documents WHERE user_id = $1 ORDER BY id")
            .bind(user.0)
            .fetch_all(&self.reader)
            .await?;
        rows.iter().map(document).collect()
    }

    /// Where `user`'s plan inputs stand now (a fresh read, for a caller that has just written;
    /// a request's own user row already carries it).
    pub async fn revision(&self, user: UserId) -> Result<Revision, StoreError> {
        let revision: i64 = sqlx::query_scalar("SELECT revision FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&self.reader)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        Ok(Revision(revision))
    }
}

fn document(row: &sqlx::any::AnyRow) -> Result<Document, StoreError> {
    let body: String = row.try_get("body")?;
    Ok(Document {
        kind: from_key("kind", &row.try_get::<String, _>("kind")?)?,
        day: parse_day(&row.try_get::<String, _>("day")?)?,
        body: serde_json::from_str(&body)
            .map_err(|e| StoreError::Conflict(format!("stored document is not JSON: {e}")))?,
        recorded_at_ms: row.try_get("recorded_at_ms")?,
    })
}

pub(crate) async fn insert_document(
    tx: &mut crate::write::Write,
    user: UserId,
    document: &Document,
) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO documents (user_id, kind, day, body, recorded_at_ms) VALUES ($1, $2, $3, $4, $5)")
        .bind(user.0)
        .bind(document.kind.key())
        .bind(document.day.to_string())
        .bind(document.body.to_string())
        .bind(document.recorded_at_ms)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
