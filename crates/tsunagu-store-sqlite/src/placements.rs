//! Placements on SQLite: the placement change of a commit and the reads of a person's
//! placements and an employer's hires.

use deadpool_sqlite::rusqlite::{self, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::placement::{Placement, PlacementId};
use tsunagu_store::StoreResult;
use tsunagu_store::codec::{decode_placement, encode_placement};

use crate::consents::date;
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{db_err, versioned_refusal};

pub(crate) const COLUMNS: &str =
    "id, prefecture, person_id, agency_id, body, recorded_by, version, created_at, updated_at";

pub(crate) fn placement_from_row(r: &Row<'_>) -> rusqlite::Result<Placement> {
    let (fields, end) = decode_placement(&r.get::<_, String>(4)?).map_err(conv)?;
    Ok(Placement {
        id: PlacementId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        fields,
        end,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(5)?)?),
        version: r.get(6)?,
        created_at: parse_timestamp(&r.get::<_, String>(7)?)?,
        updated_at: parse_timestamp(&r.get::<_, String>(8)?)?,
    })
}

/// Adds the placement, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_placement_in(c: &rusqlite::Connection, p: &Placement, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_placement(p)?;
    let id = p.id.0.to_string();
    let ended_on = p.end.as_ref().map(|e| date(e.ended_on));
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO placements (id, prefecture, person_id, agency_id, employer_id, opening_id, starts_on,
                    ended_on, body, recorded_by, version, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    p.prefecture,
                    p.person.0.to_string(),
                    p.agency.0.to_string(),
                    p.fields.employer.0.to_string(),
                    p.fields.opening.map(|o| o.0.to_string()),
                    date(p.fields.starts_on),
                    ended_on,
                    body,
                    p.recorded_by.0.to_string(),
                    p.version,
                    timestamp(p.created_at),
                    timestamp(p.updated_at),
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE placements SET ended_on = ?2, body = ?3, version = ?4, updated_at = ?5
                 WHERE id = ?1 AND version = ?6",
            )
            .and_then(|mut s| s.execute(params![id, ended_on, body, p.version, timestamp(p.updated_at), expected])),
    }
    .map_err(db_err)?;
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "placements", "placement", &id, expected))
}

/// A person's placements, latest start first.
pub(crate) fn placements_in(c: &rusqlite::Connection, person: PersonId) -> rusqlite::Result<Vec<Placement>> {
    c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM placements WHERE person_id = ?1 ORDER BY starts_on DESC, created_at DESC"
    ))?
    .query_map([person.0.to_string()], placement_from_row)?
    .collect()
}

/// The placements at an employer, latest start first.
pub(crate) fn placements_at_in(c: &rusqlite::Connection, employer: EmployerId) -> rusqlite::Result<Vec<Placement>> {
    c.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM placements WHERE employer_id = ?1 ORDER BY starts_on DESC, created_at DESC"
    ))?
    .query_map([employer.0.to_string()], placement_from_row)?
    .collect()
}
