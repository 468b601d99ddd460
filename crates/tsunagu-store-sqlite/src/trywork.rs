//! [`TryWorkStore`] on SQLite, and the participation changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::trywork::{Participation, ParticipationId};
use tsunagu_store::codec::{decode_participation, encode_participation};
use tsunagu_store::{StoreResult, TryWorkStore};

use crate::consents::date;
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

const COLUMNS: &str = "t.id, t.prefecture, t.person_id, t.agency_id, t.body, t.recorded_by, t.version, t.updated_at";

fn participation_at(r: &Row<'_>) -> rusqlite::Result<Participation> {
    Ok(Participation {
        id: ParticipationId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        fields: decode_participation(&r.get::<_, String>(4)?).map_err(conv)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(5)?)?),
        version: r.get(6)?,
        updated_at: parse_timestamp(&r.get::<_, String>(7)?)?,
    })
}

/// Adds the participation, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_participation_in(
    c: &rusqlite::Connection,
    p: &Participation,
    expected: Option<i64>,
) -> StoreResult<()> {
    let id = p.id.0.to_string();
    let body = encode_participation(&p.fields)?;
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO trywork_participations (id, prefecture, person_id, agency_id, course, starts_on, last_day,
                    body, recorded_by, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    p.prefecture,
                    p.person.0.to_string(),
                    p.agency.0.to_string(),
                    p.fields.course.code(),
                    date(p.fields.starts_on),
                    date(p.last_day()),
                    body,
                    p.recorded_by.0.to_string(),
                    p.version,
                    timestamp(p.updated_at),
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE trywork_participations SET course = ?2, starts_on = ?3, last_day = ?4, body = ?5,
                    recorded_by = ?6, version = ?7, updated_at = ?8
                 WHERE id = ?1 AND version = ?9",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    p.fields.course.code(),
                    date(p.fields.starts_on),
                    date(p.last_day()),
                    body,
                    p.recorded_by.0.to_string(),
                    p.version,
                    timestamp(p.updated_at),
                    expected,
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 {
        Ok(())
    } else {
        Err(versioned_refusal(c, "trywork_participations", "participation", &id, expected))
    }
}

#[async_trait]
impl TryWorkStore for SqliteStore {
    async fn participation(&self, id: ParticipationId) -> StoreResult<Option<Participation>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {COLUMNS} FROM trywork_participations t WHERE t.id = ?1"))?
                .query_row([id.0.to_string()], participation_at)
                .optional()
        })
        .await
    }

    async fn participations_of_person(&self, person: PersonId) -> StoreResult<Vec<Participation>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM trywork_participations t WHERE t.person_id = ?1 ORDER BY t.starts_on DESC, t.id"
            ))?
            .query_map([person.0.to_string()], participation_at)?
            .collect()
        })
        .await
    }

    async fn every_participation(&self) -> StoreResult<Vec<Participation>> {
        self.query(|c| {
            c.prepare(&format!("SELECT {COLUMNS} FROM trywork_participations t"))?
                .query_map([], participation_at)?
                .collect()
        })
        .await
    }
}
