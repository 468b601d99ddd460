//! [`LiaisonStore`] on PostgreSQL, and the coordinator changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::liaison::{Coordinator, CoordinatorId};
use tsunagu_store::codec::{decode_coordinator, encode_coordinator};
use tsunagu_store::{LiaisonStore, StoreResult};

use crate::{PostgresStore, db_err, execute, query, query_opt, versioned_refusal};

const COLUMNS: &str = "l.id, l.prefecture, l.agency_id, l.body, l.recorded_by, l.version, l.updated_at";

fn coordinator_at(r: &Row) -> StoreResult<Coordinator> {
    Ok(Coordinator {
        id: CoordinatorId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        agency: AgencyId(r.try_get(2).map_err(db_err)?),
        fields: decode_coordinator(r.try_get(3).map_err(db_err)?)?,
        recorded_by: AccountId(r.try_get(4).map_err(db_err)?),
        version: r.try_get(5).map_err(db_err)?,
        updated_at: r.try_get(6).map_err(db_err)?,
    })
}

/// Adds the coordinator, or replaces them if the stored version is still `expected`.
pub(crate) async fn save_coordinator_in(
    c: &impl GenericClient,
    l: &Coordinator,
    expected: Option<i64>,
) -> StoreResult<()> {
    let body = encode_coordinator(&l.fields)?;
    let written =
        match expected {
            None => {
                execute(
                    c,
                    "INSERT INTO liaison_coordinators (id, prefecture, agency_id, since, body, recorded_by, version,
                    updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING",
                    &[
                        &l.id.0,
                        &l.prefecture,
                        &l.agency.0,
                        &l.fields.since,
                        &body,
                        &l.recorded_by.0,
                        &l.version,
                        &l.updated_at,
                    ],
                )
                .await?
            }
            Some(expected) => execute(
                c,
                "UPDATE liaison_coordinators SET since = $3, body = $4, recorded_by = $5, version = $6, updated_at = $7
                 WHERE id = $1 AND prefecture = $2 AND version = $8",
                &[
                    &l.id.0,
                    &l.prefecture,
                    &l.fields.since,
                    &body,
                    &l.recorded_by.0,
                    &l.version,
                    &l.updated_at,
                    &expected,
                ],
            )
            .await?,
        };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "liaison_coordinators", "coordinator", &l.id.0, &l.prefecture, expected).await)
}

#[async_trait]
impl LiaisonStore for PostgresStore {
    async fn coordinator(&self, id: CoordinatorId) -> StoreResult<Option<Coordinator>> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM liaison_coordinators l WHERE l.id = $1 AND l.prefecture = $2");
        query_opt(&client, &sql, &[&id.0, &&*self.prefecture]).await?.map(|r| coordinator_at(&r)).transpose()
    }

    async fn coordinators_of(&self, agency: AgencyId) -> StoreResult<Vec<Coordinator>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM liaison_coordinators l WHERE l.prefecture = $1 AND l.agency_id = $2
             ORDER BY l.since DESC, l.id"
        );
        query(&client, &sql, &[&&*self.prefecture, &agency.0]).await?.iter().map(coordinator_at).collect()
    }

    async fn every_coordinator(&self) -> StoreResult<Vec<Coordinator>> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM liaison_coordinators l WHERE l.prefecture = $1");
        query(&client, &sql, &[&&*self.prefecture]).await?.iter().map(coordinator_at).collect()
    }
}
