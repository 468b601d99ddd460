//! [`FairStore`] on SQLite.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, params};
use tsunagu_domain::fair::{Fair, FairId};
use tsunagu_store::codec::{decode_fair, encode_fair};
use tsunagu_store::{FairStore, StoreResult};

use crate::directory::{conv, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

/// Adds the fair, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_fair_in(c: &rusqlite::Connection, fair: &Fair, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_fair(fair)?;
    let id = fair.id.0.to_string();
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO fairs (id, prefecture, organiser, fair_date, body, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    fair.prefecture,
                    fair.organiser.0.to_string(),
                    fair.header.date.to_string(),
                    body,
                    fair.version,
                    timestamp(fair.updated_at)
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE fairs SET fair_date = ?2, body = ?3, version = ?4, updated_at = ?5
                 WHERE id = ?1 AND version = ?6",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    fair.header.date.to_string(),
                    body,
                    fair.version,
                    timestamp(fair.updated_at),
                    expected
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "fairs", "fair", &id, expected))
}

fn fair_from_body(body: &str) -> rusqlite::Result<Fair> {
    decode_fair(body).map_err(conv)
}

#[async_trait]
impl FairStore for SqliteStore {
    async fn fair(&self, id: FairId) -> StoreResult<Option<Fair>> {
        self.query(move |c| {
            c.prepare_cached("SELECT body FROM fairs WHERE id = ?1")?
                .query_row([id.0.to_string()], |r| fair_from_body(&r.get::<_, String>(0)?))
                .optional()
        })
        .await
    }

    async fn fairs(&self, limit: u32) -> StoreResult<Vec<Fair>> {
        self.query(move |c| {
            c.prepare_cached("SELECT body FROM fairs ORDER BY fair_date DESC, id LIMIT ?1")?
                .query_map([limit], |r| fair_from_body(&r.get::<_, String>(0)?))?
                .collect()
        })
        .await
    }
}
