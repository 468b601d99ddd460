//! [`QuotaStore`] on SQLite, and the roster changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::quota::Roster;
use tsunagu_store::codec::{decode_quota_roster, encode_quota_roster};
use tsunagu_store::{QuotaStore, StoreResult};

use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal_by};

fn roster_at(r: &Row<'_>) -> rusqlite::Result<Roster> {
    Ok(Roster {
        employer: EmployerId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        fields: decode_quota_roster(&r.get::<_, String>(2)?).map_err(conv)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(3)?)?),
        version: r.get(4)?,
        updated_at: parse_timestamp(&r.get::<_, String>(5)?)?,
    })
}

/// Adds the roster (a second for the same employer is a duplicate), or replaces it if the stored
/// one is still at version `expected`.
pub(crate) fn save_roster_in(c: &rusqlite::Connection, k: &Roster, expected: Option<i64>) -> StoreResult<()> {
    let id = k.employer.0.to_string();
    let body = encode_quota_roster(&k.fields)?;
    let by = k.recorded_by.0.to_string();
    let at = timestamp(k.updated_at);
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO quota_rosters (employer_id, prefecture, body, recorded_by, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .and_then(|mut s| s.execute(params![id, k.prefecture, body, by, k.version, at])),
        Some(expected) => c
            .prepare_cached(
                "UPDATE quota_rosters SET body = ?2, recorded_by = ?3, version = ?4, updated_at = ?5
                 WHERE employer_id = ?1 AND version = ?6",
            )
            .and_then(|mut s| s.execute(params![id, body, by, k.version, at, expected])),
    }
    .map_err(db_err)?;
    if written == 1 {
        Ok(())
    } else {
        Err(versioned_refusal_by(c, "quota_rosters", "employer_id", "quota roster", &id, expected))
    }
}

#[async_trait]
impl QuotaStore for SqliteStore {
    async fn quota_roster(&self, employer: EmployerId) -> StoreResult<Option<Roster>> {
        self.query(move |c| {
            c.prepare_cached(
                "SELECT employer_id, prefecture, body, recorded_by, version, updated_at FROM quota_rosters
                 WHERE employer_id = ?1",
            )?
            .query_row([employer.0.to_string()], roster_at)
            .optional()
        })
        .await
    }
}
