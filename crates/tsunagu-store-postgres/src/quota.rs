//! [`QuotaStore`] on PostgreSQL, and the roster changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::quota::Roster;
use tsunagu_store::codec::{decode_quota_roster, encode_quota_roster};
use tsunagu_store::{QuotaStore, StoreResult};

use crate::{PostgresStore, db_err, execute, query_opt, versioned_refusal_by};

fn roster_at(r: &Row) -> StoreResult<Roster> {
    let body: &str = r.try_get(2).map_err(db_err)?;
    Ok(Roster {
        employer: EmployerId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        fields: decode_quota_roster(body)?,
        recorded_by: AccountId(r.try_get(3).map_err(db_err)?),
        version: r.try_get(4).map_err(db_err)?,
        updated_at: r.try_get(5).map_err(db_err)?,
    })
}

/// Adds the roster (a second for the same employer is a duplicate), or replaces it if the stored
/// one is still at version `expected`.
pub(crate) async fn save_roster_in(c: &impl GenericClient, k: &Roster, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_quota_roster(&k.fields)?;
    let written = match expected {
        None => {
            execute(
                c,
                "INSERT INTO quota_rosters (employer_id, prefecture, body, recorded_by, version, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)",
                &[&k.employer.0, &k.prefecture, &body, &k.recorded_by.0, &k.version, &k.updated_at],
            )
            .await?
        }
        Some(expected) => {
            execute(
                c,
                "UPDATE quota_rosters SET body = $3, recorded_by = $4, version = $5, updated_at = $6
                 WHERE employer_id = $1 AND prefecture = $2 AND version = $7",
                &[&k.employer.0, &k.prefecture, &body, &k.recorded_by.0, &k.version, &k.updated_at, &expected],
            )
            .await?
        }
    };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal_by(c, "quota_rosters", "employer_id", "quota roster", &k.employer.0, &k.prefecture, expected)
        .await)
}

#[async_trait]
impl QuotaStore for PostgresStore {
    async fn quota_roster(&self, employer: EmployerId) -> StoreResult<Option<Roster>> {
        let client = self.client().await?;
        let sql = "SELECT employer_id, prefecture, body, recorded_by, version, updated_at FROM quota_rosters
                   WHERE employer_id = $1";
        query_opt(&client, sql, &[&employer.0]).await?.map(|r| roster_at(&r)).transpose()
    }
}
