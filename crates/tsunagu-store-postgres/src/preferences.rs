//! [`PreferenceStore`] on PostgreSQL, and the job-search conditions' change of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::preferences::{JobPreferences, PreferenceFields};
use tsunagu_store::{PreferenceStore, StoreError, StoreResult};

use crate::{PostgresStore, db_err, execute, query, query_opt};

const COLUMNS: &str = "person_id, prefecture, areas, needs, note, recorded_by, version, updated_at";

fn preferences_at(r: &Row) -> StoreResult<JobPreferences> {
    let person = PersonId(r.try_get(0).map_err(db_err)?);
    let (areas, needs): (&str, &str) = (r.try_get(2).map_err(db_err)?, r.try_get(3).map_err(db_err)?);
    let fields = PreferenceFields::from_stored(areas, needs, r.try_get(4).map_err(db_err)?)
        .ok_or_else(|| StoreError::Backend(format!("unreadable job preferences of {}", person.0).into()))?;
    Ok(JobPreferences {
        person,
        prefecture: r.try_get(1).map_err(db_err)?,
        fields,
        recorded_by: AccountId(r.try_get(5).map_err(db_err)?),
        version: r.try_get(6).map_err(db_err)?,
        updated_at: r.try_get(7).map_err(db_err)?,
    })
}

/// Adds the conditions, or replaces them if the stored ones are still at version `expected`.
pub(crate) async fn save_preferences_in(
    c: &impl GenericClient,
    p: &JobPreferences,
    expected: Option<i64>,
) -> StoreResult<()> {
    let (areas, needs) = (p.fields.stored_areas(), p.fields.stored_needs());
    let values: [&(dyn tokio_postgres::types::ToSql + Sync); 8] =
        [&p.person.0, &p.prefecture, &areas, &needs, &p.fields.note, &p.recorded_by.0, &p.version, &p.updated_at];
    let written = match expected {
        None => {
            let sql = format!(
                "INSERT INTO job_preferences ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (person_id) DO NOTHING"
            );
            execute(c, &sql, &values).await?
        }
        Some(expected) => {
            let mut with_version = values.to_vec();
            with_version.push(&expected);
            execute(
                c,
                "UPDATE job_preferences SET areas = $3, needs = $4, note = $5, recorded_by = $6, version = $7,
                    updated_at = $8
                 WHERE person_id = $1 AND prefecture = $2 AND version = $9",
                &with_version,
            )
            .await?
        }
    };
    if written == 1 {
        return Ok(());
    }
    Err(crate::versioned_refusal_by(
        c,
        "job_preferences",
        "person_id",
        "job preferences",
        &p.person.0,
        &p.prefecture,
        expected,
    )
    .await)
}

#[async_trait]
impl PreferenceStore for PostgresStore {
    async fn preferences(&self, person: PersonId) -> StoreResult<Option<JobPreferences>> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM job_preferences WHERE person_id = $1 AND prefecture = $2");
        query_opt(&client, &sql, &[&person.0, &&*self.prefecture]).await?.map(|r| preferences_at(&r)).transpose()
    }

    async fn preferences_of(&self, persons: &[PersonId]) -> StoreResult<Vec<JobPreferences>> {
        if persons.is_empty() {
            return Ok(Vec::new());
        }
        let client = self.client().await?;
        let ids: Vec<uuid::Uuid> = persons.iter().map(|p| p.0).collect();
        let sql = format!("SELECT {COLUMNS} FROM job_preferences WHERE person_id = ANY($1) AND prefecture = $2");
        query(&client, &sql, &[&ids, &&*self.prefecture]).await?.iter().map(preferences_at).collect()
    }
}
