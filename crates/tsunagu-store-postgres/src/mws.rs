//! [`MwsStore`] on PostgreSQL, and the work-sample result changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::mws::{MwsResult, MwsResultId};
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{decode_mws_result, encode_mws_result};
use tsunagu_store::{MwsStore, StoreResult};

use crate::{PostgresStore, db_err, execute, query, query_opt, versioned_refusal};

const COLUMNS: &str = "t.id, t.prefecture, t.person_id, t.agency_id, t.body, t.recorded_by, t.version, t.updated_at";

fn result_at(r: &Row) -> StoreResult<MwsResult> {
    let body: &str = r.try_get(4).map_err(db_err)?;
    Ok(MwsResult {
        id: MwsResultId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        agency: AgencyId(r.try_get(3).map_err(db_err)?),
        fields: decode_mws_result(body)?,
        recorded_by: AccountId(r.try_get(5).map_err(db_err)?),
        version: r.try_get(6).map_err(db_err)?,
        updated_at: r.try_get(7).map_err(db_err)?,
    })
}

/// Adds the result, or replaces it if the stored one is still at version `expected`.
pub(crate) async fn save_mws_result_in(
    c: &impl GenericClient,
    k: &MwsResult,
    expected: Option<i64>,
) -> StoreResult<()> {
    let body = encode_mws_result(&k.fields)?;
    let written =
        match expected {
            None => execute(
                c,
                "INSERT INTO mws_results (id, prefecture, person_id, agency_id, done_on, body, recorded_by, version,
                    updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
                &[
                    &k.id.0,
                    &k.prefecture,
                    &k.person.0,
                    &k.agency.0,
                    &k.fields.done_on,
                    &body,
                    &k.recorded_by.0,
                    &k.version,
                    &k.updated_at,
                ],
            )
            .await?,
            Some(expected) => {
                execute(
                    c,
                    "UPDATE mws_results SET done_on = $3, body = $4, recorded_by = $5, version = $6, updated_at = $7
                 WHERE id = $1 AND prefecture = $2 AND version = $8",
                    &[
                        &k.id.0,
                        &k.prefecture,
                        &k.fields.done_on,
                        &body,
                        &k.recorded_by.0,
                        &k.version,
                        &k.updated_at,
                        &expected,
                    ],
                )
                .await?
            }
        };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "mws_results", "work sample result", &k.id.0, &k.prefecture, expected).await)
}

#[async_trait]
impl MwsStore for PostgresStore {
    async fn mws_result(&self, id: MwsResultId) -> StoreResult<Option<MwsResult>> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM mws_results t WHERE t.id = $1 AND t.prefecture = $2");
        query_opt(&client, &sql, &[&id.0, &&*self.prefecture]).await?.map(|r| result_at(&r)).transpose()
    }

    async fn mws_results_of_person(&self, person: PersonId) -> StoreResult<Vec<MwsResult>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM mws_results t WHERE t.person_id = $1 AND t.prefecture = $2
             ORDER BY t.done_on DESC, t.id"
        );
        query(&client, &sql, &[&person.0, &&*self.prefecture]).await?.iter().map(result_at).collect()
    }
}
