//! [`AssessmentStore`] on PostgreSQL, and the assessment sheet changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::assessment::{Assessment, AssessmentId};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{decode_assessment, encode_assessment};
use tsunagu_store::{AssessmentStore, StoreResult};

use crate::{PostgresStore, db_err, execute, query, query_opt, versioned_refusal};

const COLUMNS: &str = "t.id, t.prefecture, t.person_id, t.agency_id, t.body, t.recorded_by, t.version, t.updated_at";

fn assessment_at(r: &Row) -> StoreResult<Assessment> {
    let body: &str = r.try_get(4).map_err(db_err)?;
    Ok(Assessment {
        id: AssessmentId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        agency: AgencyId(r.try_get(3).map_err(db_err)?),
        fields: decode_assessment(body)?,
        recorded_by: AccountId(r.try_get(5).map_err(db_err)?),
        version: r.try_get(6).map_err(db_err)?,
        updated_at: r.try_get(7).map_err(db_err)?,
    })
}

/// Adds the sheet, or replaces it if the stored one is still at version `expected`.
pub(crate) async fn save_assessment_in(
    c: &impl GenericClient,
    k: &Assessment,
    expected: Option<i64>,
) -> StoreResult<()> {
    let body = encode_assessment(&k.fields)?;
    let written =
        match expected {
            None => execute(
                c,
                "INSERT INTO assessment_sheets (id, prefecture, person_id, agency_id, started_on, body, recorded_by, version,
                    updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (id) DO NOTHING",
                &[
                    &k.id.0,
                    &k.prefecture,
                    &k.person.0,
                    &k.agency.0,
                    &k.fields.started_on,
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
                    "UPDATE assessment_sheets SET started_on = $3, body = $4, recorded_by = $5, version = $6, updated_at = $7
                 WHERE id = $1 AND prefecture = $2 AND version = $8",
                    &[
                        &k.id.0,
                        &k.prefecture,
                        &k.fields.started_on,
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
    Err(versioned_refusal(c, "assessment_sheets", "assessment sheet", &k.id.0, &k.prefecture, expected).await)
}

#[async_trait]
impl AssessmentStore for PostgresStore {
    async fn assessment(&self, id: AssessmentId) -> StoreResult<Option<Assessment>> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM assessment_sheets t WHERE t.id = $1 AND t.prefecture = $2");
        query_opt(&client, &sql, &[&id.0, &&*self.prefecture]).await?.map(|r| assessment_at(&r)).transpose()
    }

    async fn assessments_of_person(&self, person: PersonId) -> StoreResult<Vec<Assessment>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM assessment_sheets t WHERE t.person_id = $1 AND t.prefecture = $2
             ORDER BY t.started_on DESC, t.id"
        );
        query(&client, &sql, &[&person.0, &&*self.prefecture]).await?.iter().map(assessment_at).collect()
    }
}
