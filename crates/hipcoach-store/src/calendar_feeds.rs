//! Private calendar addresses: one per user at most, found by the SHA-256 of its secret token
//! (the token itself, like a login token, never reaches the database).

use crate::model::{CalendarFeed, Revision, User, UserId, now_ms};
use crate::{Store, StoreError};
use chrono::NaiveTime;
use sqlx::Row;

impl Store {
    /// Gives `user` a calendar address (the hash of its token), ending any address before it.
    pub async fn set_calendar_feed(
        &self,
        user: UserId,
        token_hash: &str,
        session_time: NaiveTime,
        utc_offset_min: i32,
    ) -> Result<CalendarFeed, StoreError> {
        if token_hash.len() < 32 || token_hash.len() > 128 {
            return Err(StoreError::invalid("a calendar address needs a token hash of 32 to 128 characters"));
        }
        if !(-840..=840).contains(&utc_offset_min) {
            return Err(StoreError::invalid("a time zone is between 14 hours west and 14 hours east of UTC"));
        }
        let feed = CalendarFeed { session_time, utc_offset_min, created_at_ms: now_ms() };
        let mut write = self.begin_write().await?;
        sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1").bind(user.0).execute(&mut *write).await?;
        sqlx::query(
            "INSERT INTO calendar_feeds (user_id, token_hash, session_time, utc_offset_min, created_at_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(user.0)
        .bind(token_hash)
        .bind(session_time.format("%H:%M").to_string())
        .bind(i64::from(utc_offset_min))
        .bind(feed.created_at_ms)
        .execute(&mut *write)
        .await?;
        write.commit().await?;
        Ok(feed)
    }

    /// The calendar address `user` has, if any (without its token, which only its owner holds).
    pub async fn calendar_feed(&self, user: UserId) -> Result<Option<CalendarFeed>, StoreError> {
        let row =
            sqlx::query("SELECT session_time, utc_offset_min, created_at_ms FROM calendar_feeds WHERE user_id = $1")
                .bind(user.0)
                .fetch_optional(&self.reader)
                .await?;
        row.as_ref().map(feed).transpose()
    }

    /// The user and settings behind a calendar address.
    pub async fn calendar_feed_by_token(&self, token_hash: &str) -> Result<(User, CalendarFeed), StoreError> {
        let row = sqlx::query(
            "SELECT u.id, u.name, u.password_hash, u.created_at_ms AS user_created_at_ms, u.revision, \
             f.session_time, f.utc_offset_min, f.created_at_ms FROM calendar_feeds f \
             JOIN users u ON u.id = f.user_id WHERE f.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&self.reader)
        .await?
        .ok_or(StoreError::NotFound("calendar address"))?;
        let user = User {
            id: UserId(row.try_get("id")?),
            name: row.try_get("name")?,
            password_hash: row.try_get("password_hash")?,
            created_at_ms: row.try_get("user_created_at_ms")?,
            revision: Revision(row.try_get("revision")?),
        };
        Ok((user, feed(&row)?))
    }

    /// Ends `user`'s calendar address; ending one that does not exist is not an error.
    pub async fn delete_calendar_feed(&self, user: UserId) -> Result<(), StoreError> {
        let mut write = self.begin_write().await?;
        sqlx::query("DELETE FROM calendar_feeds WHERE user_id = $1").bind(user.0).execute(&mut *write).await?;
        write.commit().await
    }
}

fn feed(row: &sqlx::any::AnyRow) -> Result<CalendarFeed, StoreError> {
    let time: String = row.try_get("session_time")?;
    let session_time = NaiveTime::parse_from_str(&time, "%H:%M")
        .map_err(|_| StoreError::Conflict(format!("stored calendar time `{time}` is not HH:MM")))?;
    let offset: i64 = row.try_get("utc_offset_min")?;
    Ok(CalendarFeed {
        session_time,
        utc_offset_min: i32::try_from(offset).unwrap_or(0),
        created_at_ms: row.try_get("created_at_ms")?,
    })
}
