//! Accounts.

use crate::model::{Revision, User, UserId, now_ms};
use crate::{Store, StoreError};
use sqlx::Row;
use sqlx::any::AnyRow;

/// Checks a login name: 1–64 visible characters after trimming.
pub fn parse_user_name(name: &str) -> Result<String, StoreError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 64 || name.chars().any(char::is_control) {
        return Err(StoreError::invalid("a user name needs 1 to 64 visible characters"));
    }
    Ok(name.to_owned())
}

/// The account in a row with the users table's columns (by name).
pub(crate) fn user(row: &AnyRow) -> Result<User, sqlx::Error> {
    Ok(User {
        id: UserId(row.try_get("id")?),
        name: row.try_get("name")?,
        password_hash: row.try_get("password_hash")?,
        created_at_ms: row.try_get("created_at_ms")?,
        revision: Revision(row.try_get("revision")?),
    })
}

impl Store {
    /// Creates an account; the name must be free.
    pub async fn create_user(&self, name: &str, password_hash: Option<&str>) -> Result<User, StoreError> {
        let name = parse_user_name(name)?;
        let mut tx = self.begin_write().await?;
        let user = insert_user(&mut tx, &name, password_hash, now_ms()).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// The account with this name.
    pub async fn user_by_name(&self, name: &str) -> Result<User, StoreError> {
        let row = sqlx::query("SELECT id, name, password_hash, created_at_ms, revision FROM users WHERE name = $1")
            .bind(name.trim())
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(user).transpose()?.ok_or(StoreError::NotFound("user"))
    }

    /// The account with this id.
    pub async fn user(&self, id: UserId) -> Result<User, StoreError> {
        let row = sqlx::query("SELECT id, name, password_hash, created_at_ms, revision FROM users WHERE id = $1")
            .bind(id.0)
            .fetch_optional(&self.reader)
            .await?;
        row.as_ref().map(user).transpose()?.ok_or(StoreError::NotFound("user"))
    }

    /// Deletes the account and everything stored for it (every table refers to the user with
    /// `ON DELETE CASCADE`), in one write.
    pub async fn delete_user(&self, id: UserId) -> Result<(), StoreError> {
        let mut write = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM users WHERE id = $1").bind(id.0).execute(&mut *write).await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        write.commit().await
    }

    /// Changes the password hash and ends every login of the account but `keep` (the one
    /// that asked, by its token hash), in one write: a stolen login dies with the old password.
    pub async fn change_password(&self, id: UserId, password_hash: &str, keep: Option<&str>) -> Result<(), StoreError> {
        let mut write = self.begin_write().await?;
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
            .bind(password_hash)
            .bind(id.0)
            .execute(&mut *write)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("user"));
        }
        sqlx::query("DELETE FROM login_sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(id.0)
            .bind(keep.unwrap_or_default())
            .execute(&mut *write)
            .await?;
        write.commit().await
    }

    /// The account with this name, created without a password if it does not exist yet: the
    /// single user of a personal machine.
    pub async fn local_user(&self, name: &str) -> Result<User, StoreError> {
        match self.user_by_name(name).await {
            Err(StoreError::NotFound(_)) => match self.create_user(name, None).await {
                Err(StoreError::Conflict(_)) => self.user_by_name(name).await,
                other => other,
            },
            other => other,
        }
    }
}

pub(crate) async fn insert_user(
    tx: &mut crate::write::Write,
    name: &str,
    password_hash: Option<&str>,
    created_at_ms: i64,
) -> Result<User, StoreError> {
    let taken = sqlx::query("SELECT id FROM users WHERE name = $1").bind(name).fetch_optional(&mut **tx).await?;
    if taken.is_some() {
        return Err(StoreError::Conflict(format!("the user name `{name}` is taken; choose another")));
    }
    let row = sqlx::query(
        "INSERT INTO users (name, password_hash, created_at_ms) VALUES ($1, $2, $3) RETURNING id, name, password_hash, created_at_ms, revision",
    )
    .bind(name)
    .bind(password_hash)
    .bind(created_at_ms)
    .fetch_one(&mut **tx)
    .await?;
    Ok(user(&row)?)
}
