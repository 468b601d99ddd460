//! [`InternshipStore`] on SQLite, and the slot and booking changes of a commit. SQLite runs one
//! write transaction at a time, so the seats counted before a booking is written are still the
//! seats taken when it is.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::consent::ConsentId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::internship::{Booking, BookingId, Slot, SlotId};
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::decode_lg_code;
use tsunagu_store::codec::{decode_outcome, decode_slot, encode_outcome, encode_slot};
use tsunagu_store::{InternshipStore, StoreError, StoreResult, UpcomingSlot};

use crate::consents::date;
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

const SLOT_COLUMNS: &str =
    "s.id, s.prefecture, s.employer_id, s.agency_id, s.body, s.version, s.created_at, s.updated_at";
const BOOKING_COLUMNS: &str = "b.id, b.prefecture, b.slot_id, b.person_id, b.agency_id, b.consent_id, b.booked_by, b.booked_at, b.body, b.version";
/// The seats a slot's bookings hold: all but the withdrawn.
const SEATS_TAKEN: &str =
    "SELECT count(*) FROM bookings WHERE slot_id = ?1 AND (outcome IS NULL OR outcome <> 'withdrawn')";

fn slot_at(r: &Row<'_>, at: usize) -> rusqlite::Result<Slot> {
    Ok(Slot {
        id: SlotId(parse_uuid(&r.get::<_, String>(at)?)?),
        prefecture: r.get(at + 1)?,
        employer: EmployerId(parse_uuid(&r.get::<_, String>(at + 2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(at + 3)?)?),
        fields: decode_slot(&r.get::<_, String>(at + 4)?).map_err(conv)?,
        version: r.get(at + 5)?,
        created_at: parse_timestamp(&r.get::<_, String>(at + 6)?)?,
        updated_at: parse_timestamp(&r.get::<_, String>(at + 7)?)?,
    })
}

fn booking_at(r: &Row<'_>, at: usize) -> rusqlite::Result<Booking> {
    Ok(Booking {
        id: BookingId(parse_uuid(&r.get::<_, String>(at)?)?),
        prefecture: r.get(at + 1)?,
        slot: SlotId(parse_uuid(&r.get::<_, String>(at + 2)?)?),
        person: PersonId(parse_uuid(&r.get::<_, String>(at + 3)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(at + 4)?)?),
        consent: ConsentId(parse_uuid(&r.get::<_, String>(at + 5)?)?),
        booked_by: AccountId(parse_uuid(&r.get::<_, String>(at + 6)?)?),
        booked_at: parse_timestamp(&r.get::<_, String>(at + 7)?)?,
        outcome: decode_outcome(&r.get::<_, String>(at + 8)?).map_err(conv)?,
        version: r.get(at + 9)?,
    })
}

fn seats_taken(c: &rusqlite::Connection, slot: &str) -> StoreResult<i64> {
    c.prepare_cached(SEATS_TAKEN).and_then(|mut s| s.query_row([slot], |r| r.get(0))).map_err(db_err)
}

/// Adds the slot, or replaces it if the stored one is still at version `expected` and the new
/// capacity holds the seats taken.
pub(crate) fn save_slot_in(c: &rusqlite::Connection, s: &Slot, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_slot(&s.fields)?;
    let id = s.id.0.to_string();
    let f = &s.fields;
    // SQLite writes one transaction at a time: what this reads stays so until the write.
    let overlapping = c
        .prepare_cached(
            "SELECT 1 FROM slots WHERE employer_id = ?1 AND kind = ?2 AND id <> ?3 AND starts_on <= ?4 AND ends_on >= ?5
             LIMIT 1",
        )
        .and_then(|mut st| {
            st.query_row(
                params![s.employer.0.to_string(), f.kind.code(), id, date(f.ends_on), date(f.starts_on)],
                |_| Ok(()),
            )
            .optional()
        })
        .map_err(db_err)?;
    if overlapping.is_some() {
        return Err(StoreError::Duplicate { what: "overlapping slot" });
    }
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO slots (id, prefecture, employer_id, agency_id, kind, starts_on, ends_on, capacity, body,
                    version, created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut st| {
                st.execute(params![
                    id,
                    s.prefecture,
                    s.employer.0.to_string(),
                    s.agency.0.to_string(),
                    f.kind.code(),
                    date(f.starts_on),
                    date(f.ends_on),
                    f.capacity,
                    body,
                    s.version,
                    timestamp(s.created_at),
                    timestamp(s.updated_at),
                ])
            }),
        Some(expected) => {
            let taken = seats_taken(c, &id)?;
            if i64::from(f.capacity) < taken {
                return Err(StoreError::Conflict { current: expected });
            }
            c.prepare_cached(
                "UPDATE slots SET kind = ?2, starts_on = ?3, ends_on = ?4, capacity = ?5, body = ?6, version = ?7,
                    updated_at = ?8
                 WHERE id = ?1 AND version = ?9",
            )
            .and_then(|mut st| {
                st.execute(params![
                    id,
                    f.kind.code(),
                    date(f.starts_on),
                    date(f.ends_on),
                    f.capacity,
                    body,
                    s.version,
                    timestamp(s.updated_at),
                    expected
                ])
            })
        }
    }
    .map_err(db_err)?;
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "slots", "slot", &id, expected))
}

/// Places a person into a slot if a seat is free and they hold none in it, or writes a booking's
/// outcome on version `expected`.
pub(crate) fn save_booking_in(c: &rusqlite::Connection, b: &Booking, expected: Option<i64>) -> StoreResult<()> {
    let id = b.id.0.to_string();
    let slot = b.slot.0.to_string();
    let body = encode_outcome(&b.outcome)?;
    let outcome = b.outcome.as_ref().map(|o| o.outcome.code());
    let written = match expected {
        None => {
            let capacity: Option<i64> = c
                .prepare_cached("SELECT capacity FROM slots WHERE id = ?1")
                .and_then(|mut s| s.query_row([&slot], |r| r.get(0)).optional())
                .map_err(db_err)?;
            let Some(capacity) = capacity else { return Err(StoreError::NotFound) };
            let held: bool = c
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM bookings WHERE slot_id = ?1 AND person_id = ?2
                        AND (outcome IS NULL OR outcome <> 'withdrawn'))",
                )
                .and_then(|mut s| s.query_row([&slot, &b.person.0.to_string()], |r| r.get(0)))
                .map_err(db_err)?;
            if held {
                return Err(StoreError::Duplicate { what: "booking" });
            }
            let taken = seats_taken(c, &slot)?;
            if taken >= capacity {
                return Err(StoreError::Conflict { current: taken });
            }
            c.prepare_cached(
                "INSERT INTO bookings (id, prefecture, slot_id, person_id, agency_id, consent_id, booked_by, booked_at,
                    outcome, body, version)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    b.prefecture,
                    slot,
                    b.person.0.to_string(),
                    b.agency.0.to_string(),
                    b.consent.0.to_string(),
                    b.booked_by.0.to_string(),
                    timestamp(b.booked_at),
                    outcome,
                    body,
                    b.version,
                ])
            })
        }
        Some(expected) => c
            .prepare_cached("UPDATE bookings SET outcome = ?2, body = ?3, version = ?4 WHERE id = ?1 AND version = ?5")
            .and_then(|mut s| s.execute(params![id, outcome, body, b.version, expected])),
    }
    .map_err(db_err)?;
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "bookings", "booking", &id, expected))
}

#[async_trait]
impl InternshipStore for SqliteStore {
    async fn slot(&self, id: SlotId) -> StoreResult<Option<Slot>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {SLOT_COLUMNS} FROM slots s WHERE s.id = ?1"))?
                .query_row([id.0.to_string()], |r| slot_at(r, 0))
                .optional()
        })
        .await
    }

    async fn slots_of(&self, employer: EmployerId) -> StoreResult<Vec<Slot>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {SLOT_COLUMNS} FROM slots s WHERE s.employer_id = ?1 ORDER BY s.starts_on DESC, s.id"
            ))?
            .query_map([employer.0.to_string()], |r| slot_at(r, 0))?
            .collect()
        })
        .await
    }

    async fn bookings_of_slot(&self, slot: SlotId) -> StoreResult<Vec<Booking>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {BOOKING_COLUMNS} FROM bookings b WHERE b.slot_id = ?1 ORDER BY b.booked_at, b.id"
            ))?
            .query_map([slot.0.to_string()], |r| booking_at(r, 0))?
            .collect()
        })
        .await
    }

    async fn bookings_of_person(&self, person: PersonId) -> StoreResult<Vec<(Booking, Slot)>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {BOOKING_COLUMNS}, {SLOT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id
                 WHERE b.person_id = ?1 ORDER BY s.starts_on DESC, b.id"
            ))?
            .query_map([person.0.to_string()], |r| Ok((booking_at(r, 0)?, slot_at(r, 10)?)))?
            .collect()
        })
        .await
    }

    async fn upcoming_slots(&self, from: time::Date, limit: u32) -> StoreResult<Vec<UpcomingSlot>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {SLOT_COLUMNS},
                    (SELECT count(*) FROM bookings b WHERE b.slot_id = s.id
                        AND (b.outcome IS NULL OR b.outcome <> 'withdrawn')),
                    e.name, e.municipality_code
                 FROM slots s JOIN employers e ON e.id = s.employer_id
                 WHERE s.ends_on >= ?1 ORDER BY s.starts_on, s.id LIMIT ?2"
            ))?
            .query_map(params![date(from), limit], |r| {
                Ok(UpcomingSlot {
                    slot: slot_at(r, 0)?,
                    taken: r.get(8)?,
                    employer: r.get(9)?,
                    municipality: r
                        .get::<_, Option<String>>(10)?
                        .map(|m| decode_lg_code(&m).map_err(conv))
                        .transpose()?,
                })
            })?
            .collect()
        })
        .await
    }

    async fn booking_outcomes(&self) -> StoreResult<Vec<(Slot, Booking)>> {
        self.query(|c| {
            c.prepare(&format!(
                "SELECT {BOOKING_COLUMNS}, {SLOT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id
                 WHERE b.outcome IS NOT NULL"
            ))?
            .query_map([], |r| Ok((slot_at(r, 10)?, booking_at(r, 0)?)))?
            .collect()
        })
        .await
    }

    async fn every_slot(&self) -> StoreResult<Vec<Slot>> {
        self.query(|c| {
            c.prepare(&format!("SELECT {SLOT_COLUMNS} FROM slots s"))?.query_map([], |r| slot_at(r, 0))?.collect()
        })
        .await
    }
}
