//! [`PassportStore`] on SQLite, and the passport changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::passport::{Passport, PassportId};
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{decode_passport, encode_passport};
use tsunagu_store::{PassportStore, StoreResult};

use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

fn passport_at(r: &Row<'_>) -> rusqlite::Result<Passport> {
    Ok(Passport {
        id: PassportId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        fields: decode_passport(&r.get::<_, String>(3)?).map_err(conv)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(4)?)?),
        version: r.get(5)?,
        updated_at: parse_timestamp(&r.get::<_, String>(6)?)?,
    })
}

/// Adds the passport (a second for the same person is a duplicate), or replaces it if the stored
/// one is still at version `expected`.
pub(crate) fn save_passport_in(c: &rusqlite::Connection, k: &Passport, expected: Option<i64>) -> StoreResult<()> {
    let id = k.id.0.to_string();
    let body = encode_passport(&k.fields)?;
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO passports (id, prefecture, person_id, body, recorded_by, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    k.prefecture,
                    k.person.0.to_string(),
                    body,
                    k.recorded_by.0.to_string(),
                    k.version,
                    timestamp(k.updated_at),
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE passports SET body = ?2, recorded_by = ?3, version = ?4, updated_at = ?5
                 WHERE id = ?1 AND version = ?6",
            )
            .and_then(|mut s| {
                s.execute(params![id, body, k.recorded_by.0.to_string(), k.version, timestamp(k.updated_at), expected])
            }),
    }
    .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(versioned_refusal(c, "passports", "passport", &id, expected)) }
}

#[async_trait]
impl PassportStore for SqliteStore {
    async fn passport_of_person(&self, person: PersonId) -> StoreResult<Option<Passport>> {
        self.query(move |c| {
            c.prepare_cached(
                "SELECT id, prefecture, person_id, body, recorded_by, version, updated_at FROM passports
                 WHERE person_id = ?1",
            )?
            .query_row([person.0.to_string()], passport_at)
            .optional()
        })
        .await
    }
}
