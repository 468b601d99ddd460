//! [`AccountStore`] on SQLite.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use time::OffsetDateTime;
use tsunagu_domain::account::{Account, AccountId, ApiToken, ApiTokenId};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{decode_roles, decode_scopes, encode_roles, encode_scopes, micros};
use tsunagu_store::{AccountStore, Session, StoreError, StoreResult};

use crate::SqliteStore;
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};

const ACCOUNT_COLUMNS: &str = "a.id, a.login, a.display_name, a.agency_id, a.roles, a.password_hash, a.disabled, a.sessions_valid_after, \
     a.person_id, a.employer_id";

/// Reads an account from the first ten columns.
fn account_from_row(r: &Row<'_>) -> rusqlite::Result<Account> {
    let agency: Option<String> = r.get(3)?;
    Ok(Account {
        id: AccountId(parse_uuid(&r.get::<_, String>(0)?)?),
        login: r.get(1)?,
        display_name: r.get(2)?,
        agency: agency.as_deref().map(parse_uuid).transpose()?.map(AgencyId),
        roles: decode_roles(&r.get::<_, String>(4)?).map_err(conv)?,
        password_hash: r.get(5)?,
        disabled: r.get(6)?,
        sessions_valid_after: parse_timestamp(&r.get::<_, String>(7)?)?,
        person: r.get::<_, Option<String>>(8)?.as_deref().map(parse_uuid).transpose()?.map(PersonId),
        employer: r.get::<_, Option<String>>(9)?.as_deref().map(parse_uuid).transpose()?.map(EmployerId),
    })
}

#[async_trait]
impl AccountStore for SqliteStore {
    async fn insert_account(&self, account: &Account) -> StoreResult<()> {
        let a = account.clone();
        self.query(move |c| {
            c.execute(
                "INSERT INTO accounts (id, login, display_name, agency_id, roles, password_hash, disabled,
                    sessions_valid_after, person_id, employer_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![
                    a.id.0.to_string(),
                    a.login,
                    a.display_name,
                    a.agency.map(|g| g.0.to_string()),
                    encode_roles(&a.roles),
                    a.password_hash,
                    a.disabled,
                    timestamp(a.sessions_valid_after),
                    a.person.map(|p| p.0.to_string()),
                    a.employer.map(|e| e.0.to_string()),
                ],
            )
            .map(|_| ())
        })
        .await
    }

    async fn account_by_login(&self, login: &str) -> StoreResult<Option<Account>> {
        let login = login.to_owned();
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.login = ?1"))?
                .query_row([login], account_from_row)
                .optional()
        })
        .await
    }

    async fn count_accounts(&self) -> StoreResult<u64> {
        self.query(|c| c.query_row("SELECT count(*) FROM accounts", [], |r| r.get::<_, i64>(0)).map(|n| n as u64)).await
    }

    async fn void_sessions(&self, account: AccountId, at: OffsetDateTime) -> StoreResult<()> {
        self.query(move |c| {
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE accounts SET sessions_valid_after = ?2 WHERE id = ?1",
                params![account.0.to_string(), timestamp(at)],
            )?;
            tx.execute("DELETE FROM sessions WHERE account_id = ?1", [account.0.to_string()])?;
            tx.commit()
        })
        .await
    }

    async fn insert_session(&self, session: &Session) -> StoreResult<()> {
        let s = session.clone();
        self.query(move |c| {
            c.execute(
                "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    s.token_hash,
                    s.account.0.to_string(),
                    s.csrf_token,
                    timestamp(s.created_at),
                    timestamp(s.expires_at)
                ],
            )
            .map(|_| ())
        })
        .await
    }

    async fn session(&self, token_hash: &str) -> StoreResult<Option<(Session, Account)>> {
        let token_hash = token_hash.to_owned();
        self.lookup(move |c| {
            c.prepare_cached(&format!(
                "SELECT {ACCOUNT_COLUMNS}, s.token_hash, s.csrf_token, s.created_at, s.expires_at,
                   (SELECT count(*) FROM notices n WHERE n.agency_id = a.agency_id AND n.read_at IS NULL)
                 FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.token_hash = ?1"
            ))?
            .query_row([token_hash], |r| {
                let account = account_from_row(r)?;
                let session = Session {
                    token_hash: r.get(10)?,
                    account: account.id,
                    csrf_token: r.get(11)?,
                    created_at: parse_timestamp(&r.get::<_, String>(12)?)?,
                    expires_at: parse_timestamp(&r.get::<_, String>(13)?)?,
                    unread_notices: r.get::<_, i64>(14)?.max(0) as u64,
                };
                Ok((session, account))
            })
            .optional()
        })
        .await
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        let token_hash = token_hash.to_owned();
        self.query(move |c| c.execute("DELETE FROM sessions WHERE token_hash = ?1", [token_hash]).map(|_| ())).await
    }

    async fn record_failed_login(&self, keys: &[String], at: OffsetDateTime) -> StoreResult<()> {
        let keys = keys.to_vec();
        self.query(move |c| {
            let tx = c.transaction()?;
            for key in &keys {
                tx.execute(
                    "INSERT INTO failed_logins (throttle_key, at_micros) VALUES (?1, ?2)",
                    params![key, micros(at)],
                )?;
            }
            tx.commit()
        })
        .await
    }

    async fn failed_logins_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<u64> {
        let key = key.to_owned();
        self.query(move |c| {
            c.prepare_cached("SELECT count(*) FROM failed_logins WHERE throttle_key = ?1 AND at_micros >= ?2")?
                .query_row(params![key, micros(since)], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
        })
        .await
    }

    async fn clear_failed_logins(&self, key: &str) -> StoreResult<()> {
        let key = key.to_owned();
        self.query(move |c| c.execute("DELETE FROM failed_logins WHERE throttle_key = ?1", [key]).map(|_| ())).await
    }

    async fn insert_api_token(&self, token: &ApiToken) -> StoreResult<()> {
        let t = token.clone();
        self.query(move |c| {
            c.execute(
                "INSERT INTO api_tokens (id, account_id, name, token_hash, scopes, created_at, revoked_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    t.id.0.to_string(),
                    t.account.0.to_string(),
                    t.name,
                    t.token_hash,
                    encode_scopes(&t.scopes),
                    timestamp(t.created_at),
                    t.revoked_at.map(timestamp),
                ],
            )
            .map(|_| ())
        })
        .await
    }

    async fn api_token(&self, token_hash: &str) -> StoreResult<Option<(ApiToken, Account)>> {
        let token_hash = token_hash.to_owned();
        self.lookup(move |c| {
            c.prepare_cached(&format!(
                "SELECT {ACCOUNT_COLUMNS}, {TOKEN_COLUMNS} FROM api_tokens t JOIN accounts a ON a.id = t.account_id
                 WHERE t.token_hash = ?1"
            ))?
            .query_row([token_hash], |r| Ok((token_from_row(r, 10)?, account_from_row(r)?)))
            .optional()
        })
        .await
    }

    async fn api_tokens_of(&self, account: AccountId) -> StoreResult<Vec<ApiToken>> {
        self.query(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.account_id = ?1 ORDER BY t.created_at DESC, t.id"
            ))?;
            let rows = stmt.query_map([account.0.to_string()], |r| token_from_row(r, 0))?;
            rows.collect()
        })
        .await
    }

    async fn revoke_api_token(&self, account: AccountId, id: ApiTokenId, at: OffsetDateTime) -> StoreResult<()> {
        let n = self
            .query(move |c| {
                c.execute(
                    "UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, ?3) WHERE id = ?1 AND account_id = ?2",
                    params![id.0.to_string(), account.0.to_string(), timestamp(at)],
                )
            })
            .await?;
        if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
    }
}

const TOKEN_COLUMNS: &str = "t.id, t.account_id, t.name, t.token_hash, t.scopes, t.created_at, t.revoked_at";

/// Reads a token from seven columns starting at `at`.
fn token_from_row(r: &Row<'_>, at: usize) -> rusqlite::Result<ApiToken> {
    let revoked: Option<String> = r.get(at + 6)?;
    Ok(ApiToken {
        id: ApiTokenId(parse_uuid(&r.get::<_, String>(at)?)?),
        account: AccountId(parse_uuid(&r.get::<_, String>(at + 1)?)?),
        name: r.get(at + 2)?,
        token_hash: r.get(at + 3)?,
        scopes: decode_scopes(&r.get::<_, String>(at + 4)?).map_err(conv)?,
        created_at: parse_timestamp(&r.get::<_, String>(at + 5)?)?,
        revoked_at: revoked.as_deref().map(parse_timestamp).transpose()?,
    })
}
