//! Browser login sessions, kept in the database so web servers stay stateless.
//!
//! The caller hands over only the SHA-256 hash of the random token it put in the cookie; the
//! token itself never reaches the database, so reading the table does not let anyone log in.
//! A session is valid until `expires_at_ms`; expired rows are swept when someone logs in.

use crate::model::{User, UserId, now_ms};
use crate::{Store, StoreError};

impl Store {
    /// Starts a login session for `user`, valid until `expires_at_ms`.
    pub async fn create_login_session(
        &self,
        user: UserId,
        token_hash: &str,
        expires_at_ms: i64,
    ) -> Result<(), StoreError> {
        if token_hash.len() < 32 || token_hash.len() > 128 {
            return Err(StoreError::invalid("a login session needs a token hash of 32 to 128 characters"));
        }
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM login_sessions WHERE expires_at_ms <= $1").bind(now).execute(&mut *tx).await?;
        sqlx::query(
            "INSERT INTO login_sessions (token_hash, user_id, created_at_ms, expires_at_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(now)
        .bind(expires_at_ms)
        .execute(&mut *tx)
        .await
        .map_err(|error| match error {
            sqlx::Error::Database(e) if e.is_unique_violation() => StoreError::Conflict("login session exists".into()),
            other => other.into(),
        })?;
        tx.commit().await?;
        Ok(())
    }

    /// The user of a login session that has not expired, with their plan's revision: one
    /// indexed lookup answers both questions every logged-in request asks.
    pub async fn login_session_user(&self, token_hash: &str) -> Result<User, StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.password_hash, u.created_at_ms, u.revision FROM login_sessions s \
             JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at_ms > $2",
        )
        .bind(token_hash)
        .bind(now_ms())
        .fetch_optional(&self.reader)
        .await?
        .ok_or(StoreError::NotFound("login session"))?;
        Ok(crate::users::user(&row)?)
    }

    /// Ends a login session (logging out). Ending one that does not exist is not an error.
    pub async fn delete_login_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let mut write = self.begin_write().await?;
        sqlx::query("DELETE FROM login_sessions WHERE token_hash = $1").bind(token_hash).execute(&mut *write).await?;
        write.commit().await
    }

    /// Ends every login session of `user` (after a password change, say); returns how many.
    pub async fn delete_login_sessions_of(&self, user: UserId) -> Result<u64, StoreError> {
        let mut write = self.begin_write().await?;
        let done =
            sqlx::query("DELETE FROM login_sessions WHERE user_id = $1").bind(user.0).execute(&mut *write).await?;
        write.commit().await?;
        Ok(done.rows_affected())
    }
}
