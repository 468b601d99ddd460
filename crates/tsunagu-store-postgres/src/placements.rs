//! Placements on PostgreSQL: the placement change of a commit and the reads of a person's
//! placements and an employer's hires.

use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::placement::{Placement, PlacementId};
use tsunagu_store::StoreResult;
use tsunagu_store::codec::{decode_placement, encode_placement};

use crate::{db_err, execute, query, versioned_refusal};

pub(crate) const COLUMNS: &str =
    "id, prefecture, person_id, agency_id, body, recorded_by, version, created_at, updated_at";

pub(crate) fn placement_from_row(r: &Row) -> StoreResult<Placement> {
    let (fields, end) = decode_placement(r.try_get(4).map_err(db_err)?)?;
    Ok(Placement {
        id: PlacementId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        agency: AgencyId(r.try_get(3).map_err(db_err)?),
        fields,
        end,
        recorded_by: AccountId(r.try_get(5).map_err(db_err)?),
        version: r.try_get(6).map_err(db_err)?,
        created_at: r.try_get(7).map_err(db_err)?,
        updated_at: r.try_get(8).map_err(db_err)?,
    })
}

/// Adds the placement, or replaces it if the stored one is still at version `expected`.
pub(crate) async fn save_placement_in(c: &impl GenericClient, p: &Placement, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_placement(p)?;
    let ended_on = p.end.as_ref().map(|e| e.ended_on);
    let written = match expected {
        None => {
            execute(
                c,
                "INSERT INTO placements (id, prefecture, person_id, agency_id, employer_id, opening_id, starts_on,
                    ended_on, body, recorded_by, version, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING",
                &[
                    &p.id.0,
                    &p.prefecture,
                    &p.person.0,
                    &p.agency.0,
                    &p.fields.employer.0,
                    &p.fields.opening.map(|o| o.0),
                    &p.fields.starts_on,
                    &ended_on,
                    &body,
                    &p.recorded_by.0,
                    &p.version,
                    &p.created_at,
                    &p.updated_at,
                ],
            )
            .await?
        }
        Some(expected) => {
            execute(
                c,
                "UPDATE placements SET ended_on = $2, body = $3, version = $4, updated_at = $5
                 WHERE id = $1 AND prefecture = $6 AND version = $7",
                &[&p.id.0, &ended_on, &body, &p.version, &p.updated_at, &p.prefecture, &expected],
            )
            .await?
        }
    };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "placements", "placement", &p.id.0, &p.prefecture, expected).await)
}

/// A person's placements, latest start first.
pub(crate) async fn placements_in(
    c: &impl GenericClient,
    prefecture: &str,
    person: PersonId,
) -> StoreResult<Vec<Placement>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM placements WHERE person_id = $1 AND prefecture = $2
         ORDER BY starts_on DESC, created_at DESC"
    );
    query(c, &sql, &[&person.0, &prefecture]).await?.iter().map(placement_from_row).collect()
}

/// The placements at an employer, latest start first.
pub(crate) async fn placements_at_in(
    c: &impl GenericClient,
    prefecture: &str,
    employer: EmployerId,
) -> StoreResult<Vec<Placement>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM placements WHERE employer_id = $1 AND prefecture = $2
         ORDER BY starts_on DESC, created_at DESC"
    );
    query(c, &sql, &[&employer.0, &prefecture]).await?.iter().map(placement_from_row).collect()
}
