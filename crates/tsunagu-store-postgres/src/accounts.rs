//! [`AccountStore`] on PostgreSQL.

use async_trait::async_trait;
use time::OffsetDateTime;
use tokio_postgres::Row;
use tsunagu_domain::account::{Account, AccountId, ApiToken, ApiTokenId};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{decode_roles, decode_scopes, encode_roles, encode_scopes, micros};
use tsunagu_store::{AccountStore, Session, StoreError, StoreResult};
use uuid::Uuid;

use crate::{PostgresStore, db_err};

const ACCOUNT_COLUMNS: &str = "a.id, a.login, a.display_name, a.agency_id, a.roles, a.password_hash, a.disabled, a.sessions_valid_after, \
     a.person_id, a.employer_id";

/// Reads an account from the first ten columns.
fn account_from_row(r: &Row) -> StoreResult<Account> {
    Ok(Account {
        id: AccountId(r.try_get(0).map_err(db_err)?),
        login: r.try_get(1).map_err(db_err)?,
        display_name: r.try_get(2).map_err(db_err)?,
        agency: r.try_get::<_, Option<Uuid>>(3).map_err(db_err)?.map(AgencyId),
        roles: decode_roles(r.try_get(4).map_err(db_err)?)?,
        password_hash: r.try_get(5).map_err(db_err)?,
        disabled: r.try_get(6).map_err(db_err)?,
        sessions_valid_after: r.try_get(7).map_err(db_err)?,
        person: r.try_get::<_, Option<Uuid>>(8).map_err(db_err)?.map(PersonId),
        employer: r.try_get::<_, Option<Uuid>>(9).map_err(db_err)?.map(EmployerId),
    })
}

#[async_trait]
impl AccountStore for PostgresStore {
    async fn insert_account(&self, a: &Account) -> StoreResult<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO accounts (id, login, display_name, agency_id, roles, password_hash, disabled,
                    sessions_valid_after, person_id, employer_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[
                    &a.id.0,
                    &a.login,
                    &a.display_name,
                    &a.agency.map(|g| g.0),
                    &encode_roles(&a.roles),
                    &a.password_hash,
                    &a.disabled,
                    &a.sessions_valid_after,
                    &a.person.map(|p| p.0),
                    &a.employer.map(|e| e.0),
                ],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn account_by_login(&self, login: &str) -> StoreResult<Option<Account>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.login = $1"))
            .await
            .map_err(db_err)?;
        client.query_opt(&stmt, &[&login]).await.map_err(db_err)?.as_ref().map(account_from_row).transpose()
    }

    async fn count_accounts(&self) -> StoreResult<u64> {
        let n: i64 = self
            .client()
            .await?
            .query_one("SELECT count(*) FROM accounts", &[])
            .await
            .map_err(db_err)?
            .try_get(0)
            .map_err(db_err)?;
        Ok(n as u64)
    }

    async fn void_sessions(&self, account: AccountId, at: OffsetDateTime) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        tx.execute("UPDATE accounts SET sessions_valid_after = $2 WHERE id = $1", &[&account.0, &at])
            .await
            .map_err(db_err)?;
        tx.execute("DELETE FROM sessions WHERE account_id = $1", &[&account.0]).await.map_err(db_err)?;
        tx.commit().await.map_err(db_err)
    }

    async fn insert_session(&self, s: &Session) -> StoreResult<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at)
                 VALUES ($1, $2, $3, $4, $5)",
                &[&s.token_hash, &s.account.0, &s.csrf_token, &s.created_at, &s.expires_at],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn session(&self, token_hash: &str) -> StoreResult<Option<(Session, Account)>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {ACCOUNT_COLUMNS}, s.token_hash, s.csrf_token, s.created_at, s.expires_at,
                   (SELECT count(*) FROM notices n
                    WHERE n.agency_id = a.agency_id AND n.read_at IS NULL AND n.prefecture = $2)
                 FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = $1"
            ))
            .await
            .map_err(db_err)?;
        let Some(r) = client.query_opt(&stmt, &[&token_hash, &&*self.prefecture]).await.map_err(db_err)? else {
            return Ok(None);
        };
        let account = account_from_row(&r)?;
        let session = Session {
            token_hash: r.try_get(10).map_err(db_err)?,
            account: account.id,
            csrf_token: r.try_get(11).map_err(db_err)?,
            created_at: r.try_get(12).map_err(db_err)?,
            expires_at: r.try_get(13).map_err(db_err)?,
            unread_notices: r.try_get::<_, i64>(14).map_err(db_err)?.max(0) as u64,
        };
        Ok(Some((session, account)))
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.client()
            .await?
            .execute("DELETE FROM sessions WHERE token_hash = $1", &[&token_hash])
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn record_failed_login(&self, keys: &[String], at: OffsetDateTime) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        for key in keys {
            tx.execute("INSERT INTO failed_logins (throttle_key, at_micros) VALUES ($1, $2)", &[key, &micros(at)])
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn failed_logins_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<u64> {
        let n: i64 = self
            .client()
            .await?
            .query_one(
                "SELECT count(*) FROM failed_logins WHERE throttle_key = $1 AND at_micros >= $2",
                &[&key, &micros(since)],
            )
            .await
            .map_err(db_err)?
            .try_get(0)
            .map_err(db_err)?;
        Ok(n as u64)
    }

    async fn clear_failed_logins(&self, key: &str) -> StoreResult<()> {
        self.client()
            .await?
            .execute("DELETE FROM failed_logins WHERE throttle_key = $1", &[&key])
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn insert_api_token(&self, t: &ApiToken) -> StoreResult<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO api_tokens (id, account_id, name, token_hash, scopes, created_at, revoked_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
                &[
                    &t.id.0,
                    &t.account.0,
                    &t.name,
                    &t.token_hash,
                    &encode_scopes(&t.scopes),
                    &t.created_at,
                    &t.revoked_at,
                ],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn api_token(&self, token_hash: &str) -> StoreResult<Option<(ApiToken, Account)>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!(
                "SELECT {ACCOUNT_COLUMNS}, {TOKEN_COLUMNS} FROM api_tokens t JOIN accounts a ON a.id = t.account_id
                 WHERE t.token_hash = $1"
            ))
            .await
            .map_err(db_err)?;
        let Some(r) = client.query_opt(&stmt, &[&token_hash]).await.map_err(db_err)? else {
            return Ok(None);
        };
        Ok(Some((token_from_row(&r, 10)?, account_from_row(&r)?)))
    }

    async fn api_tokens_of(&self, account: AccountId) -> StoreResult<Vec<ApiToken>> {
        self.client()
            .await?
            .query(
                &format!(
                    "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.account_id = $1 ORDER BY t.created_at DESC, t.id"
                ),
                &[&account.0],
            )
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| token_from_row(r, 0))
            .collect()
    }

    async fn revoke_api_token(&self, account: AccountId, id: ApiTokenId, at: OffsetDateTime) -> StoreResult<()> {
        let n = self
            .client()
            .await?
            .execute(
                "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $3) WHERE id = $1 AND account_id = $2",
                &[&id.0, &account.0, &at],
            )
            .await
            .map_err(db_err)?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}

const TOKEN_COLUMNS: &str = "t.id, t.account_id, t.name, t.token_hash, t.scopes, t.created_at, t.revoked_at";

/// Reads a token from seven columns starting at `at`.
fn token_from_row(r: &Row, at: usize) -> StoreResult<ApiToken> {
    Ok(ApiToken {
        id: ApiTokenId(r.try_get(at).map_err(db_err)?),
        account: AccountId(r.try_get(at + 1).map_err(db_err)?),
        name: r.try_get(at + 2).map_err(db_err)?,
        token_hash: r.try_get(at + 3).map_err(db_err)?,
        scopes: decode_scopes(r.try_get(at + 4).map_err(db_err)?)?,
        created_at: r.try_get(at + 5).map_err(db_err)?,
        revoked_at: r.try_get(at + 6).map_err(db_err)?,
    })
}
