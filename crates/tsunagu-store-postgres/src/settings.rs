//! [`SettingsStore`] on PostgreSQL, and an account's password and register changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tsunagu_domain::account::AccountId;
use tsunagu_store::{SettingsStore, StoreError, StoreResult};

use crate::{PostgresStore, db_err, execute, query_opt};

/// Replaces the account's password hash.
pub(crate) async fn set_password_in(c: &impl GenericClient, account: AccountId, hash: &str) -> StoreResult<()> {
    let written = execute(c, "UPDATE accounts SET password_hash = $2 WHERE id = $1", &[&account.0, &hash]).await?;
    if written == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Sets the register of the account's own pages.
pub(crate) async fn set_register_in(c: &impl GenericClient, account: AccountId, register: &str) -> StoreResult<()> {
    execute(
        c,
        "INSERT INTO account_settings (account_id, register) VALUES ($1, $2)
         ON CONFLICT (account_id) DO UPDATE SET register = excluded.register",
        &[&account.0, &register],
    )
    .await?;
    Ok(())
}

/// Sets the account's calendar feed (replacing any earlier one), or stops it.
pub(crate) async fn set_calendar_feed_in(
    c: &impl GenericClient,
    account: AccountId,
    key_hash: Option<&str>,
    at: time::OffsetDateTime,
) -> StoreResult<()> {
    match key_hash {
        Some(hash) => {
            execute(
                c,
                "INSERT INTO calendar_feeds (account_id, key_hash, created_at) VALUES ($1, $2, $3)
                 ON CONFLICT (account_id) DO UPDATE SET key_hash = excluded.key_hash, created_at = excluded.created_at",
                &[&account.0, &hash, &at],
            )
            .await?
        }
        None => execute(c, "DELETE FROM calendar_feeds WHERE account_id = $1", &[&account.0]).await?,
    };
    Ok(())
}

#[async_trait]
impl SettingsStore for PostgresStore {
    async fn register_of(&self, account: AccountId) -> StoreResult<Option<String>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached("SELECT register FROM account_settings WHERE account_id = $1")
            .await
            .map_err(db_err)?;
        Ok(client.query_opt(&stmt, &[&account.0]).await.map_err(db_err)?.map(|r| r.get(0)))
    }

    async fn calendar_feed_of(&self, account: AccountId) -> StoreResult<Option<time::OffsetDateTime>> {
        let client = self.client().await?;
        let row =
            query_opt(&client, "SELECT created_at FROM calendar_feeds WHERE account_id = $1", &[&account.0]).await?;
        row.map(|r| r.try_get(0).map_err(db_err)).transpose()
    }

    async fn login_of_calendar_feed(&self, key_hash: &str) -> StoreResult<Option<String>> {
        let client = self.client().await?;
        let sql = "SELECT a.login FROM calendar_feeds f JOIN accounts a ON a.id = f.account_id WHERE f.key_hash = $1";
        query_opt(&client, sql, &[&key_hash]).await?.map(|r| r.try_get(0).map_err(db_err)).transpose()
    }
}
