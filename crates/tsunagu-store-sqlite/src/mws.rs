//! [`MwsStore`] on SQLite, and the work-sample result changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::mws::{MwsResult, MwsResultId};
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{decode_mws_result, encode_mws_result};
use tsunagu_store::{MwsStore, StoreResult};

use crate::consents::date;
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

const COLUMNS: &str = "t.id, t.prefecture, t.person_id, t.agency_id, t.body, t.recorded_by, t.version, t.updated_at";

fn result_at(r: &Row<'_>) -> rusqlite::Result<MwsResult> {
    Ok(MwsResult {
        id: MwsResultId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        fields: decode_mws_result(&r.get::<_, String>(4)?).map_err(conv)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(5)?)?),
        version: r.get(6)?,
        updated_at: parse_timestamp(&r.get::<_, String>(7)?)?,
    })
}

/// Adds the result, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_mws_result_in(c: &rusqlite::Connection, k: &MwsResult, expected: Option<i64>) -> StoreResult<()> {
    let id = k.id.0.to_string();
    let body = encode_mws_result(&k.fields)?;
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO mws_results (id, prefecture, person_id, agency_id, done_on, body, recorded_by, version,
                    updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    k.prefecture,
                    k.person.0.to_string(),
                    k.agency.0.to_string(),
                    date(k.fields.done_on),
                    body,
                    k.recorded_by.0.to_string(),
                    k.version,
                    timestamp(k.updated_at),
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE mws_results SET done_on = ?2, body = ?3, recorded_by = ?4, version = ?5, updated_at = ?6
                 WHERE id = ?1 AND version = ?7",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    date(k.fields.done_on),
                    body,
                    k.recorded_by.0.to_string(),
                    k.version,
                    timestamp(k.updated_at),
                    expected,
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(versioned_refusal(c, "mws_results", "work sample result", &id, expected)) }
}

#[async_trait]
impl MwsStore for SqliteStore {
    async fn mws_result(&self, id: MwsResultId) -> StoreResult<Option<MwsResult>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {COLUMNS} FROM mws_results t WHERE t.id = ?1"))?
                .query_row([id.0.to_string()], result_at)
                .optional()
        })
        .await
    }

    async fn mws_results_of_person(&self, person: PersonId) -> StoreResult<Vec<MwsResult>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM mws_results t WHERE t.person_id = ?1 ORDER BY t.done_on DESC, t.id"
            ))?
            .query_map([person.0.to_string()], result_at)?
            .collect()
        })
        .await
    }
}
