//! [`FairStore`] on PostgreSQL.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tsunagu_domain::fair::{Fair, FairId};
use tsunagu_store::codec::{decode_fair, encode_fair};
use tsunagu_store::{FairStore, StoreResult};

use crate::{PostgresStore, db_err, execute, versioned_refusal};

/// Adds the fair, or replaces it if the stored one is still at version `expected`.
pub(crate) async fn save_fair_in(c: &impl GenericClient, fair: &Fair, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_fair(fair)?;
    let written = match expected {
        None => {
            execute(
                c,
                "INSERT INTO fairs (id, prefecture, organiser, fair_date, body, version, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
                &[
                    &fair.id.0,
                    &fair.prefecture,
                    &fair.organiser.0,
                    &fair.header.date,
                    &body,
                    &fair.version,
                    &fair.updated_at,
                ],
            )
            .await?
        }
        Some(expected) => {
            execute(
                c,
                "UPDATE fairs SET fair_date = $2, body = $3, version = $4, updated_at = $5
                 WHERE id = $1 AND prefecture = $6 AND version = $7",
                &[&fair.id.0, &fair.header.date, &body, &fair.version, &fair.updated_at, &fair.prefecture, &expected],
            )
            .await?
        }
    };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "fairs", "fair", &fair.id.0, &fair.prefecture, expected).await)
}

#[async_trait]
impl FairStore for PostgresStore {
    async fn fair(&self, id: FairId) -> StoreResult<Option<Fair>> {
        let client = self.client().await?;
        let stmt =
            client.prepare_cached("SELECT body FROM fairs WHERE id = $1 AND prefecture = $2").await.map_err(db_err)?;
        let row = client.query_opt(&stmt, &[&id.0, &&*self.prefecture]).await.map_err(db_err)?;
        row.map(|r| decode_fair(r.get(0))).transpose()
    }

    async fn fairs(&self, limit: u32) -> StoreResult<Vec<Fair>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached("SELECT body FROM fairs WHERE prefecture = $1 ORDER BY fair_date DESC, id LIMIT $2")
            .await
            .map_err(db_err)?;
        let rows = client.query(&stmt, &[&&*self.prefecture, &i64::from(limit)]).await.map_err(db_err)?;
        rows.iter().map(|r| decode_fair(r.get(0))).collect()
    }
}
