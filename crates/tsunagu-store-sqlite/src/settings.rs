//! [`SettingsStore`] on SQLite, and an account's password and register changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, params};
use tsunagu_domain::account::AccountId;
use tsunagu_store::{SettingsStore, StoreError, StoreResult};

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
}
