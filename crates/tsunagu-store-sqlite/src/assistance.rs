//! [`AssistanceStore`] on SQLite, and the assistance changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::assistance::{Assistance, AssistanceId};
use tsunagu_domain::directory::AgencyId;
use tsunagu_store::codec::{decode_assistance, encode_assistance};
use tsunagu_store::{AssistanceStore, StoreResult};

use crate::consents::date;
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

const COLUMNS: &str = "a.id, a.prefecture, a.office_id, a.body, a.recorded_by, a.version, a.updated_at";

fn record_at(r: &Row<'_>) -> rusqlite::Result<Assistance> {
    Ok(Assistance {
        id: AssistanceId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        office: AgencyId(parse_uuid(&r.get::<_, String>(2)?)?),
        fields: decode_assistance(&r.get::<_, String>(3)?).map_err(conv)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(4)?)?),
        version: r.get(5)?,
        updated_at: parse_timestamp(&r.get::<_, String>(6)?)?,
    })
}

/// Adds the record, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_assistance_in(c: &rusqlite::Connection, a: &Assistance, expected: Option<i64>) -> StoreResult<()> {
    let id = a.id.0.to_string();
    let body = encode_assistance(&a.fields)?;
    let (helped, given_on) = (a.fields.helped.0.to_string(), date(a.fields.given_on));
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO assistance_records (id, prefecture, office_id, helped_id, given_on, body, recorded_by,
                    version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    a.prefecture,
                    a.office.0.to_string(),
                    helped,
                    given_on,
                    body,
                    a.recorded_by.0.to_string(),
                    a.version,
                    timestamp(a.updated_at),
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE assistance_records SET helped_id = ?2, given_on = ?3, body = ?4, recorded_by = ?5,
                    version = ?6, updated_at = ?7
                 WHERE id = ?1 AND version = ?8",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    helped,
                    given_on,
                    body,
                    a.recorded_by.0.to_string(),
                    a.version,
                    timestamp(a.updated_at),
                    expected,
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(versioned_refusal(c, "assistance_records", "assistance", &id, expected)) }
}

#[async_trait]
impl AssistanceStore for SqliteStore {
    async fn assistance(&self, id: AssistanceId) -> StoreResult<Option<Assistance>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {COLUMNS} FROM assistance_records a WHERE a.id = ?1"))?
                .query_row([id.0.to_string()], record_at)
                .optional()
        })
        .await
    }

    async fn assistance_of_office(&self, office: AgencyId, limit: u32) -> StoreResult<Vec<Assistance>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM assistance_records a WHERE a.office_id = ?1
                 ORDER BY a.given_on DESC, a.id DESC LIMIT ?2"
            ))?
            .query_map(params![office.0.to_string(), limit], record_at)?
            .collect()
        })
        .await
    }

    async fn every_assistance(&self) -> StoreResult<Vec<Assistance>> {
        self.query(|c| {
            c.prepare(&format!("SELECT {COLUMNS} FROM assistance_records a"))?.query_map([], record_at)?.collect()
        })
        .await
    }
}
