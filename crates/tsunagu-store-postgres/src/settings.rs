//! [`SettingsStore`] on PostgreSQL, and an account's password and register changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tsunagu_domain::account::AccountId;
use tsunagu_store::{SettingsStore, StoreError, StoreResult};

use crate::{PostgresStore, db_err, execute};

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
}
