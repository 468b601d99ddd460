//! [`AssessmentStore`] on SQLite, and the assessment sheet changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::assessment::{Assessment, AssessmentId};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{decode_assessment, encode_assessment};
use tsunagu_store::{AssessmentStore, StoreResult};

use crate::consents::date;
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

const COLUMNS: &str = "t.id, t.prefecture, t.person_id, t.agency_id, t.body, t.recorded_by, t.version, t.updated_at";

fn assessment_at(r: &Row<'_>) -> rusqlite::Result<Assessment> {
    Ok(Assessment {
        id: AssessmentId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        fields: decode_assessment(&r.get::<_, String>(4)?).map_err(conv)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(5)?)?),
        version: r.get(6)?,
        updated_at: parse_timestamp(&r.get::<_, String>(7)?)?,
    })
}

/// Adds the sheet, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_assessment_in(c: &rusqlite::Connection, k: &Assessment, expected: Option<i64>) -> StoreResult<()> {
    let id = k.id.0.to_string();
    let body = encode_assessment(&k.fields)?;
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO assessment_sheets (id, prefecture, person_id, agency_id, started_on, body, recorded_by, version,
                    updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    k.prefecture,
                    k.person.0.to_string(),
                    k.agency.0.to_string(),
                    date(k.fields.started_on),
                    body,
                    k.recorded_by.0.to_string(),
                    k.version,
                    timestamp(k.updated_at),
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE assessment_sheets SET started_on = ?2, body = ?3, recorded_by = ?4, version = ?5, updated_at = ?6
                 WHERE id = ?1 AND version = ?7",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    date(k.fields.started_on),
                    body,
                    k.recorded_by.0.to_string(),
                    k.version,
                    timestamp(k.updated_at),
                    expected,
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 {
        Ok(())
    } else {
        Err(versioned_refusal(c, "assessment_sheets", "assessment sheet", &id, expected))
    }
}

#[async_trait]
impl AssessmentStore for SqliteStore {
    async fn assessment(&self, id: AssessmentId) -> StoreResult<Option<Assessment>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {COLUMNS} FROM assessment_sheets t WHERE t.id = ?1"))?
                .query_row([id.0.to_string()], assessment_at)
                .optional()
        })
        .await
    }

    async fn assessments_of_person(&self, person: PersonId) -> StoreResult<Vec<Assessment>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM assessment_sheets t WHERE t.person_id = ?1 ORDER BY t.started_on DESC, t.id"
            ))?
            .query_map([person.0.to_string()], assessment_at)?
            .collect()
        })
        .await
    }
}
