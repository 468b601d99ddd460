//! [`InternshipStore`] on PostgreSQL, and the slot and booking changes of a commit. A booking
//! and a change of capacity each lock the slot's row first, so that two transactions never both
//! count a seat as free: the second waits for the first and counts again.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::consent::ConsentId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::internship::{Booking, BookingId, Slot, SlotId};
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::decode_lg_code;
use tsunagu_store::codec::{decode_outcome, decode_slot, encode_outcome, encode_slot};
use tsunagu_store::{InternshipStore, StoreError, StoreResult, UpcomingSlot};

use crate::{PostgresStore, db_err, execute, query, query_opt, versioned_refusal};

const SLOT_COLUMNS: &str =
    "s.id, s.prefecture, s.employer_id, s.agency_id, s.body, s.version, s.created_at, s.updated_at";
const BOOKING_COLUMNS: &str = "b.id, b.prefecture, b.slot_id, b.person_id, b.agency_id, b.consent_id, b.booked_by, b.booked_at, b.body, b.version";

fn slot_at(r: &Row, at: usize) -> StoreResult<Slot> {
    Ok(Slot {
        id: SlotId(r.try_get(at).map_err(db_err)?),
        prefecture: r.try_get(at + 1).map_err(db_err)?,
        employer: EmployerId(r.try_get(at + 2).map_err(db_err)?),
        agency: AgencyId(r.try_get(at + 3).map_err(db_err)?),
        fields: decode_slot(r.try_get(at + 4).map_err(db_err)?)?,
        version: r.try_get(at + 5).map_err(db_err)?,
        created_at: r.try_get(at + 6).map_err(db_err)?,
        updated_at: r.try_get(at + 7).map_err(db_err)?,
    })
}

fn booking_at(r: &Row, at: usize) -> StoreResult<Booking> {
    Ok(Booking {
        id: BookingId(r.try_get(at).map_err(db_err)?),
        prefecture: r.try_get(at + 1).map_err(db_err)?,
        slot: SlotId(r.try_get(at + 2).map_err(db_err)?),
        person: PersonId(r.try_get(at + 3).map_err(db_err)?),
        agency: AgencyId(r.try_get(at + 4).map_err(db_err)?),
        consent: ConsentId(r.try_get(at + 5).map_err(db_err)?),
        booked_by: AccountId(r.try_get(at + 6).map_err(db_err)?),
        booked_at: r.try_get(at + 7).map_err(db_err)?,
        outcome: decode_outcome(r.try_get(at + 8).map_err(db_err)?)?,
        version: r.try_get(at + 9).map_err(db_err)?,
    })
}

/// Locks the slot's row until the transaction ends; answers its capacity and the seats taken.
async fn lock_slot(c: &impl GenericClient, slot: &uuid::Uuid, prefecture: &str) -> StoreResult<Option<(i64, i64)>> {
    let Some(row) =
        query_opt(c, "SELECT capacity FROM slots WHERE id = $1 AND prefecture = $2 FOR UPDATE", &[slot, &prefecture])
            .await?
    else {
        return Ok(None);
    };
    let capacity = i64::from(row.try_get::<_, i16>(0).map_err(db_err)?);
    let taken = query_opt(
        c,
        "SELECT count(*) FROM bookings WHERE slot_id = $1 AND prefecture = $2
         AND (outcome IS NULL OR outcome <> 'withdrawn')",
        &[slot, &prefecture],
    )
    .await?
    .map(|r| r.try_get::<_, i64>(0))
    .transpose()
    .map_err(db_err)?
    .unwrap_or(0);
    Ok(Some((capacity, taken)))
}

/// Adds the slot, or replaces it if the stored one is still at version `expected` and the new
/// capacity holds the seats taken.
pub(crate) async fn save_slot_in(c: &impl GenericClient, s: &Slot, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_slot(&s.fields)?;
    let f = &s.fields;
    // The employer's row is locked first, so that two transactions writing its slots at once
    // take turns and the second sees the first's days.
    query_opt(
        c,
        "SELECT 1 FROM employers WHERE id = $1 AND prefecture = $2 FOR UPDATE",
        &[&s.employer.0, &s.prefecture],
    )
    .await?;
    let overlapping = query_opt(
        c,
        "SELECT 1 FROM slots WHERE employer_id = $1 AND prefecture = $2 AND kind = $3 AND id <> $4
         AND starts_on <= $5 AND ends_on >= $6 LIMIT 1",
        &[&s.employer.0, &s.prefecture, &f.kind.code(), &s.id.0, &f.ends_on, &f.starts_on],
    )
    .await?;
    if overlapping.is_some() {
        return Err(StoreError::Duplicate { what: "overlapping slot" });
    }
    let capacity = f.capacity as i16;
    let written =
        match expected {
            None => execute(
                c,
                "INSERT INTO slots (id, prefecture, employer_id, agency_id, kind, starts_on, ends_on, capacity, body,
                    version, created_at, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING",
                &[
                    &s.id.0,
                    &s.prefecture,
                    &s.employer.0,
                    &s.agency.0,
                    &f.kind.code(),
                    &f.starts_on,
                    &f.ends_on,
                    &capacity,
                    &body,
                    &s.version,
                    &s.created_at,
                    &s.updated_at,
                ],
            )
            .await?,
            Some(expected) => {
                if let Some((_, taken)) = lock_slot(c, &s.id.0, &s.prefecture).await?
                    && i64::from(capacity) < taken
                {
                    return Err(StoreError::Conflict { current: expected });
                }
                execute(
                    c,
                    "UPDATE slots SET kind = $2, starts_on = $3, ends_on = $4, capacity = $5, body = $6, version = $7,
                    updated_at = $8
                 WHERE id = $1 AND prefecture = $9 AND version = $10",
                    &[
                        &s.id.0,
                        &f.kind.code(),
                        &f.starts_on,
                        &f.ends_on,
                        &capacity,
                        &body,
                        &s.version,
                        &s.updated_at,
                        &s.prefecture,
                        &expected,
                    ],
                )
                .await?
            }
        };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "slots", "slot", &s.id.0, &s.prefecture, expected).await)
}

/// Places a person into a slot if a seat is free and they hold none in it, or writes a booking's
/// outcome on version `expected`.
pub(crate) async fn save_booking_in(c: &impl GenericClient, b: &Booking, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_outcome(&b.outcome)?;
    let outcome = b.outcome.as_ref().map(|o| o.outcome.code());
    let written = match expected {
        None => {
            let Some((capacity, taken)) = lock_slot(c, &b.slot.0, &b.prefecture).await? else {
                return Err(StoreError::NotFound);
            };
            let held = query_opt(
                c,
                "SELECT 1 FROM bookings WHERE slot_id = $1 AND person_id = $2 AND prefecture = $3
                 AND (outcome IS NULL OR outcome <> 'withdrawn')",
                &[&b.slot.0, &b.person.0, &b.prefecture],
            )
            .await?;
            if held.is_some() {
                return Err(StoreError::Duplicate { what: "booking" });
            }
            if taken >= capacity {
                return Err(StoreError::Conflict { current: taken });
            }
            execute(
                c,
                "INSERT INTO bookings (id, prefecture, slot_id, person_id, agency_id, consent_id, booked_by, booked_at,
                    outcome, body, version)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING",
                &[
                    &b.id.0,
                    &b.prefecture,
                    &b.slot.0,
                    &b.person.0,
                    &b.agency.0,
                    &b.consent.0,
                    &b.booked_by.0,
                    &b.booked_at,
                    &outcome,
                    &body,
                    &b.version,
                ],
            )
            .await?
        }
        Some(expected) => {
            execute(
                c,
                "UPDATE bookings SET outcome = $2, body = $3, version = $4
                 WHERE id = $1 AND prefecture = $5 AND version = $6",
                &[&b.id.0, &outcome, &body, &b.version, &b.prefecture, &expected],
            )
            .await?
        }
    };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "bookings", "booking", &b.id.0, &b.prefecture, expected).await)
}

#[async_trait]
impl InternshipStore for PostgresStore {
    async fn slot(&self, id: SlotId) -> StoreResult<Option<Slot>> {
        let client = self.client().await?;
        let sql = format!("SELECT {SLOT_COLUMNS} FROM slots s WHERE s.id = $1 AND s.prefecture = $2");
        query_opt(&client, &sql, &[&id.0, &&*self.prefecture]).await?.map(|r| slot_at(&r, 0)).transpose()
    }

    async fn slots_of(&self, employer: EmployerId) -> StoreResult<Vec<Slot>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {SLOT_COLUMNS} FROM slots s WHERE s.employer_id = $1 AND s.prefecture = $2
             ORDER BY s.starts_on DESC, s.id"
        );
        query(&client, &sql, &[&employer.0, &&*self.prefecture]).await?.iter().map(|r| slot_at(r, 0)).collect()
    }

    async fn bookings_of_slot(&self, slot: SlotId) -> StoreResult<Vec<Booking>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {BOOKING_COLUMNS} FROM bookings b WHERE b.slot_id = $1 AND b.prefecture = $2
             ORDER BY b.booked_at, b.id"
        );
        query(&client, &sql, &[&slot.0, &&*self.prefecture]).await?.iter().map(|r| booking_at(r, 0)).collect()
    }

    async fn bookings_of_person(&self, person: PersonId) -> StoreResult<Vec<(Booking, Slot)>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {BOOKING_COLUMNS}, {SLOT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id
             WHERE b.person_id = $1 AND b.prefecture = $2 AND s.prefecture = $2 ORDER BY s.starts_on DESC, b.id"
        );
        query(&client, &sql, &[&person.0, &&*self.prefecture])
            .await?
            .iter()
            .map(|r| Ok((booking_at(r, 0)?, slot_at(r, 10)?)))
            .collect()
    }

    async fn upcoming_slots(&self, from: time::Date, limit: u32) -> StoreResult<Vec<UpcomingSlot>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {SLOT_COLUMNS},
                (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id AND b.prefecture = $1
                    AND (b.outcome IS NULL OR b.outcome <> 'withdrawn')),
                e.name, e.municipality_code
             FROM slots s JOIN employers e ON e.id = s.employer_id
             WHERE s.prefecture = $1 AND s.ends_on >= $2 ORDER BY s.starts_on, s.id LIMIT $3"
        );
        query(&client, &sql, &[&&*self.prefecture, &from, &i64::from(limit)])
            .await?
            .iter()
            .map(|r| {
                let taken: i64 = r.try_get(8).map_err(db_err)?;
                let municipality: Option<&str> = r.try_get(10).map_err(db_err)?;
                Ok(UpcomingSlot {
                    slot: slot_at(r, 0)?,
                    taken: u32::try_from(taken).unwrap_or(u32::MAX),
                    employer: r.try_get(9).map_err(db_err)?,
                    municipality: municipality.map(decode_lg_code).transpose()?,
                })
            })
            .collect()
    }

    async fn booking_outcomes(&self) -> StoreResult<Vec<(Slot, Booking)>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {BOOKING_COLUMNS}, {SLOT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id
             WHERE b.outcome IS NOT NULL AND b.prefecture = $1 AND s.prefecture = $1"
        );
        query(&client, &sql, &[&&*self.prefecture])
            .await?
            .iter()
            .map(|r| Ok((slot_at(r, 10)?, booking_at(r, 0)?)))
            .collect()
    }

    async fn every_slot(&self) -> StoreResult<Vec<Slot>> {
        let client = self.client().await?;
        let sql = format!("SELECT {SLOT_COLUMNS} FROM slots s WHERE s.prefecture = $1");
        query(&client, &sql, &[&&*self.prefecture]).await?.iter().map(|r| slot_at(r, 0)).collect()
    }
}
