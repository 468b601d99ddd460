//! [`LiaisonStore`] on SQLite, and the coordinator changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::liaison::{Coordinator, CoordinatorId};
use tsunagu_store::codec::{decode_coordinator, encode_coordinator};
use tsunagu_store::{LiaisonStore, StoreResult};

use crate::consents::date;
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

const COLUMNS: &str = "l.id, l.prefecture, l.agency_id, l.body, l.recorded_by, l.version, l.updated_at";

fn coordinator_at(r: &Row<'_>) -> rusqlite::Result<Coordinator> {
    Ok(Coordinator {
        id: CoordinatorId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        agency: AgencyId(parse_uuid(&r.get::<_, String>(2)?)?),
        fields: decode_coordinator(&r.get::<_, String>(3)?).map_err(conv)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(4)?)?),
        version: r.get(5)?,
        updated_at: parse_timestamp(&r.get::<_, String>(6)?)?,
    })
}

/// Adds the coordinator, or replaces them if the stored version is still `expected`.
pub(crate) fn save_coordinator_in(c: &rusqlite::Connection, l: &Coordinator, expected: Option<i64>) -> StoreResult<()> {
    let id = l.id.0.to_string();
    let body = encode_coordinator(&l.fields)?;
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO liaison_coordinators (id, prefecture, agency_id, since, body, recorded_by, version,
                    updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    l.prefecture,
                    l.agency.0.to_string(),
                    date(l.fields.since),
                    body,
                    l.recorded_by.0.to_string(),
                    l.version,
                    timestamp(l.updated_at),
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE liaison_coordinators SET since = ?2, body = ?3, recorded_by = ?4, version = ?5, updated_at = ?6
                 WHERE id = ?1 AND version = ?7",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    date(l.fields.since),
                    body,
                    l.recorded_by.0.to_string(),
                    l.version,
                    timestamp(l.updated_at),
                    expected,
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(versioned_refusal(c, "liaison_coordinators", "coordinator", &id, expected)) }
}

#[async_trait]
impl LiaisonStore for SqliteStore {
    async fn coordinator(&self, id: CoordinatorId) -> StoreResult<Option<Coordinator>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {COLUMNS} FROM liaison_coordinators l WHERE l.id = ?1"))?
                .query_row([id.0.to_string()], coordinator_at)
                .optional()
        })
        .await
    }

    async fn coordinators_of(&self, agency: AgencyId) -> StoreResult<Vec<Coordinator>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM liaison_coordinators l WHERE l.agency_id = ?1 ORDER BY l.since DESC, l.id"
            ))?
            .query_map([agency.0.to_string()], coordinator_at)?
            .collect()
        })
        .await
    }

    async fn every_coordinator(&self) -> StoreResult<Vec<Coordinator>> {
        self.query(|c| {
            c.prepare(&format!("SELECT {COLUMNS} FROM liaison_coordinators l"))?
                .query_map([], coordinator_at)?
                .collect()
        })
        .await
    }
}
