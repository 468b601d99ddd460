//! [`TryWorkStore`] on PostgreSQL, and the participation changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::trywork::{Participation, ParticipationId};
use tsunagu_store::codec::{decode_participation, encode_participation};
use tsunagu_store::{StoreResult, TryWorkStore};

use crate::{PostgresStore, db_err, execute, query, query_opt, versioned_refusal};

const COLUMNS: &str = "t.id, t.prefecture, t.person_id, t.agency_id, t.body, t.recorded_by, t.version, t.updated_at";

fn participation_at(r: &Row) -> StoreResult<Participation> {
    let body: &str = r.try_get(4).map_err(db_err)?;
    Ok(Participation {
        id: ParticipationId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        agency: AgencyId(r.try_get(3).map_err(db_err)?),
        fields: decode_participation(body)?,
        recorded_by: AccountId(r.try_get(5).map_err(db_err)?),
        version: r.try_get(6).map_err(db_err)?,
        updated_at: r.try_get(7).map_err(db_err)?,
    })
}

/// Adds the participation, or replaces it if the stored one is still at version `expected`.
pub(crate) async fn save_participation_in(
    c: &impl GenericClient,
    p: &Participation,
    expected: Option<i64>,
) -> StoreResult<()> {
    let body = encode_participation(&p.fields)?;
    let (course, last_day) = (p.fields.course.code(), p.last_day());
    let written =
        match expected {
            None => execute(
                c,
                "INSERT INTO trywork_participations (id, prefecture, person_id, agency_id, course, starts_on, last_day,
                    body, recorded_by, version, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING",
                &[
                    &p.id.0,
                    &p.prefecture,
                    &p.person.0,
                    &p.agency.0,
                    &course,
                    &p.fields.starts_on,
                    &last_day,
                    &body,
                    &p.recorded_by.0,
                    &p.version,
                    &p.updated_at,
                ],
            )
            .await?,
            Some(expected) => {
                execute(
                    c,
                    "UPDATE trywork_participations SET course = $3, starts_on = $4, last_day = $5, body = $6,
                    recorded_by = $7, version = $8, updated_at = $9
                 WHERE id = $1 AND prefecture = $2 AND version = $10",
                    &[
                        &p.id.0,
                        &p.prefecture,
                        &course,
                        &p.fields.starts_on,
                        &last_day,
                        &body,
                        &p.recorded_by.0,
                        &p.version,
                        &p.updated_at,
                        &expected,
                    ],
                )
                .await?
            }
        };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "trywork_participations", "participation", &p.id.0, &p.prefecture, expected).await)
}

#[async_trait]
impl TryWorkStore for PostgresStore {
    async fn participation(&self, id: ParticipationId) -> StoreResult<Option<Participation>> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM trywork_participations t WHERE t.id = $1 AND t.prefecture = $2");
        query_opt(&client, &sql, &[&id.0, &&*self.prefecture]).await?.map(|r| participation_at(&r)).transpose()
    }

    async fn participations_of_person(&self, person: PersonId) -> StoreResult<Vec<Participation>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM trywork_participations t WHERE t.person_id = $1 AND t.prefecture = $2
             ORDER BY t.starts_on DESC, t.id"
        );
        query(&client, &sql, &[&person.0, &&*self.prefecture]).await?.iter().map(participation_at).collect()
    }

    async fn every_participation(&self) -> StoreResult<Vec<Participation>> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM trywork_participations t WHERE t.prefecture = $1");
        query(&client, &sql, &[&&*self.prefecture]).await?.iter().map(participation_at).collect()
    }
}
