//! [`PreferenceStore`] on SQLite, and the job-search conditions' change of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::preferences::{JobPreferences, PreferenceFields};
use tsunagu_store::{PreferenceStore, StoreError, StoreResult};

use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err};

const COLUMNS: &str = "person_id, prefecture, areas, needs, note, recorded_by, version, updated_at";

fn preferences_at(r: &Row<'_>) -> rusqlite::Result<JobPreferences> {
    let person = PersonId(parse_uuid(&r.get::<_, String>(0)?)?);
    let (areas, needs): (String, String) = (r.get(2)?, r.get(3)?);
    let fields = PreferenceFields::from_stored(&areas, &needs, r.get(4)?)
        .ok_or_else(|| conv(StoreError::Backend(format!("unreadable job preferences of {}", person.0).into())))?;
    Ok(JobPreferences {
        person,
        prefecture: r.get(1)?,
        fields,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(5)?)?),
        version: r.get(6)?,
        updated_at: parse_timestamp(&r.get::<_, String>(7)?)?,
    })
}

/// Adds the conditions, or replaces them if the stored ones are still at version `expected`.
pub(crate) fn save_preferences_in(
    c: &rusqlite::Connection,
    p: &JobPreferences,
    expected: Option<i64>,
) -> StoreResult<()> {
    let person = p.person.0.to_string();
    let (areas, needs) = (p.fields.stored_areas(), p.fields.stored_needs());
    let (by, at) = (p.recorded_by.0.to_string(), timestamp(p.updated_at));
    let written = match expected {
        None => c
            .prepare_cached(&format!(
                "INSERT INTO job_preferences ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
                 ON CONFLICT (person_id) DO NOTHING"
            ))
            .and_then(|mut s| s.execute(params![person, p.prefecture, areas, needs, p.fields.note, by, p.version, at])),
        Some(expected) => c
            .prepare_cached(
                "UPDATE job_preferences SET areas = ?2, needs = ?3, note = ?4, recorded_by = ?5, version = ?6,
                    updated_at = ?7
                 WHERE person_id = ?1 AND version = ?8",
            )
            .and_then(|mut s| s.execute(params![person, areas, needs, p.fields.note, by, p.version, at, expected])),
    }
    .map_err(db_err)?;
    if written == 1 {
        return Ok(());
    }
    Err(crate::versioned_refusal_by(c, "job_preferences", "person_id", "job preferences", &person, expected))
}

#[async_trait]
impl PreferenceStore for SqliteStore {
    async fn preferences(&self, person: PersonId) -> StoreResult<Option<JobPreferences>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {COLUMNS} FROM job_preferences WHERE person_id = ?1"))?
                .query_row([person.0.to_string()], preferences_at)
                .optional()
        })
        .await
    }

    async fn preferences_of(&self, persons: &[PersonId]) -> StoreResult<Vec<JobPreferences>> {
        let persons = persons.to_vec();
        self.query(move |c| {
            let mut read = c.prepare_cached(&format!("SELECT {COLUMNS} FROM job_preferences WHERE person_id = ?1"))?;
            let mut out = Vec::new();
            for person in persons {
                out.extend(read.query_row([person.0.to_string()], preferences_at).optional()?);
            }
            Ok(out)
        })
        .await
    }
}
