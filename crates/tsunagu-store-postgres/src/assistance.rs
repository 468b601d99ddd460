//! [`AssistanceStore`] on PostgreSQL, and the assistance changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::assistance::{Assistance, AssistanceId};
use tsunagu_domain::directory::AgencyId;
use tsunagu_store::codec::{decode_assistance, encode_assistance};
use tsunagu_store::{AssistanceStore, StoreResult};

use crate::{PostgresStore, db_err, execute, query, query_opt, versioned_refusal};

const COLUMNS: &str = "a.id, a.prefecture, a.office_id, a.body, a.recorded_by, a.version, a.updated_at";

fn record_at(r: &Row) -> StoreResult<Assistance> {
    Ok(Assistance {
        id: AssistanceId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        office: AgencyId(r.try_get(2).map_err(db_err)?),
        fields: decode_assistance(r.try_get(3).map_err(db_err)?)?,
        recorded_by: AccountId(r.try_get(4).map_err(db_err)?),
        version: r.try_get(5).map_err(db_err)?,
        updated_at: r.try_get(6).map_err(db_err)?,
    })
}

/// Adds the record, or replaces it if the stored one is still at version `expected`.
pub(crate) async fn save_assistance_in(
    c: &impl GenericClient,
    a: &Assistance,
    expected: Option<i64>,
) -> StoreResult<()> {
    let body = encode_assistance(&a.fields)?;
    let f = &a.fields;
    let written = match expected {
        None => {
            execute(
                c,
                "INSERT INTO assistance_records (id, prefecture, office_id, helped_id, given_on, body, recorded_by,
                    version, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
                &[
                    &a.id.0,
                    &a.prefecture,
                    &a.office.0,
                    &f.helped.0,
                    &f.given_on,
                    &body,
                    &a.recorded_by.0,
                    &a.version,
                    &a.updated_at,
                ],
            )
            .await?
        }
        Some(expected) => {
            execute(
                c,
                "UPDATE assistance_records SET helped_id = $3, given_on = $4, body = $5, recorded_by = $6,
                    version = $7, updated_at = $8
                 WHERE id = $1 AND prefecture = $2 AND version = $9",
                &[
                    &a.id.0,
                    &a.prefecture,
                    &f.helped.0,
                    &f.given_on,
                    &body,
                    &a.recorded_by.0,
                    &a.version,
                    &a.updated_at,
                    &expected,
                ],
            )
            .await?
        }
    };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "assistance_records", "assistance", &a.id.0, &a.prefecture, expected).await)
}

#[async_trait]
impl AssistanceStore for PostgresStore {
    async fn assistance(&self, id: AssistanceId) -> StoreResult<Option<Assistance>> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM assistance_records a WHERE a.id = $1 AND a.prefecture = $2");
        query_opt(&client, &sql, &[&id.0, &&*self.prefecture]).await?.map(|r| record_at(&r)).transpose()
    }

    async fn assistance_of_office(&self, office: AgencyId, limit: u32) -> StoreResult<Vec<Assistance>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM assistance_records a WHERE a.prefecture = $1 AND a.office_id = $2
             ORDER BY a.given_on DESC, a.id DESC LIMIT $3"
        );
        query(&client, &sql, &[&&*self.prefecture, &office.0, &i64::from(limit)]).await?.iter().map(record_at).collect()
    }

    async fn every_assistance(&self) -> StoreResult<Vec<Assistance>> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM assistance_records a WHERE a.prefecture = $1");
        query(&client, &sql, &[&&*self.prefecture]).await?.iter().map(record_at).collect()
    }
}
