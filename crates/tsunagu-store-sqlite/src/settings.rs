//! [`SettingsStore`] on SQLite, and an account's password and register changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, params};
use tsunagu_domain::account::AccountId;
use tsunagu_store::{SettingsStore, StoreError, StoreResult};

use crate::directory::{parse_timestamp, timestamp};
use crate::{SqliteStore, db_err};

/// Replaces the account's password hash.
pub(crate) fn set_password_in(c: &rusqlite::Connection, account: AccountId, hash: &str) -> StoreResult<()> {
    let written = c
        .prepare_cached("UPDATE accounts SET password_hash = ?2 WHERE id = ?1")
        .and_then(|mut s| s.execute(params![account.0.to_string(), hash]))
        .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Sets the register of the account's own pages.
pub(crate) fn set_register_in(c: &rusqlite::Connection, account: AccountId, register: &str) -> StoreResult<()> {
    c.prepare_cached(
        "INSERT INTO account_settings (account_id, register) VALUES (?1, ?2)
         ON CONFLICT (account_id) DO UPDATE SET register = excluded.register",
    )
    .and_then(|mut s| s.execute(params![account.0.to_string(), register]))
    .map_err(db_err)?;
    Ok(())
}

/// Sets the account's calendar feed (replacing any earlier one), or stops it.
pub(crate) fn set_calendar_feed_in(
    c: &rusqlite::Connection,
    account: AccountId,
    key_hash: Option<&str>,
    at: time::OffsetDateTime,
) -> StoreResult<()> {
    let id = account.0.to_string();
    match key_hash {
        Some(hash) => c
            .prepare_cached(
                "INSERT INTO calendar_feeds (account_id, key_hash, created_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account_id) DO UPDATE SET key_hash = excluded.key_hash, created_at = excluded.created_at",
            )
            .and_then(|mut s| s.execute(params![id, hash, timestamp(at)])),
        None => c
            .prepare_cached("DELETE FROM calendar_feeds WHERE account_id = ?1")
            .and_then(|mut s| s.execute(params![id])),
    }
    .map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl SettingsStore for SqliteStore {
    async fn register_of(&self, account: AccountId) -> StoreResult<Option<String>> {
        self.query(move |c| {
            c.prepare_cached("SELECT register FROM account_settings WHERE account_id = ?1")?
                .query_row([account.0.to_string()], |r| r.get(0))
                .optional()
        })
        .await
    }

    async fn calendar_feed_of(&self, account: AccountId) -> StoreResult<Option<time::OffsetDateTime>> {
        self.query(move |c| {
            c.prepare_cached("SELECT created_at FROM calendar_feeds WHERE account_id = ?1")?
                .query_row([account.0.to_string()], |r| parse_timestamp(&r.get::<_, String>(0)?))
                .optional()
        })
        .await
    }

    async fn login_of_calendar_feed(&self, key_hash: &str) -> StoreResult<Option<String>> {
        let key_hash = key_hash.to_owned();
        self.query(move |c| {
            c.prepare_cached(
                "SELECT a.login FROM calendar_feeds f JOIN accounts a ON a.id = f.account_id WHERE f.key_hash = ?1",
            )?
            .query_row([key_hash], |r| r.get(0))
            .optional()
        })
        .await
    }
}
