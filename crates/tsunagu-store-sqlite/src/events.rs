//! [`EventStore`] on SQLite, and the event and sign-up changes of a commit. SQLite's one writer
//! makes each sign-up's count of the seats read the seats written before it.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use time::{Date, OffsetDateTime};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::event::{Event, EventId, Signup, SignupId};
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{decode_attendee, decode_event, decode_signup_status, encode_event};
use tsunagu_store::{EventStore, StoreError, StoreResult};

use crate::consents::date;
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

const EVENT_COLUMNS: &str = "e.id, e.prefecture, e.organiser_id, e.body, e.written_by, e.version, e.updated_at";
const SIGNUP_COLUMNS: &str =
    "s.id, s.prefecture, s.event_id, s.attendee, s.attendee_name, s.agency_id, s.signed_up_by, s.signed_up_at,
    s.status, s.position, s.promoted_at, s.cancelled_at, s.attended, s.version";
/// How many columns [`SIGNUP_COLUMNS`] reads.
const SIGNUP_WIDTH: usize = 14;

fn event_at(r: &Row<'_>, at: usize) -> rusqlite::Result<Event> {
    Ok(Event {
        id: EventId(parse_uuid(&r.get::<_, String>(at)?)?),
        prefecture: r.get(at + 1)?,
        organiser: AgencyId(parse_uuid(&r.get::<_, String>(at + 2)?)?),
        fields: decode_event(&r.get::<_, String>(at + 3)?).map_err(conv)?,
        written_by: AccountId(parse_uuid(&r.get::<_, String>(at + 4)?)?),
        version: r.get(at + 5)?,
        updated_at: parse_timestamp(&r.get::<_, String>(at + 6)?)?,
    })
}

fn signup_at(r: &Row<'_>) -> rusqlite::Result<Signup> {
    let optional_time = |i: usize| -> rusqlite::Result<Option<OffsetDateTime>> {
        r.get::<_, Option<String>>(i)?.as_deref().map(parse_timestamp).transpose()
    };
    Ok(Signup {
        id: SignupId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        event: EventId(parse_uuid(&r.get::<_, String>(2)?)?),
        attendee: decode_attendee(&r.get::<_, String>(3)?).map_err(conv)?,
        attendee_name: r.get(4)?,
        agency: r.get::<_, Option<String>>(5)?.as_deref().map(parse_uuid).transpose()?.map(AgencyId),
        signed_up_by: AccountId(parse_uuid(&r.get::<_, String>(6)?)?),
        signed_up_at: parse_timestamp(&r.get::<_, String>(7)?)?,
        status: decode_signup_status(&r.get::<_, String>(8)?).map_err(conv)?,
        position: r.get(9)?,
        promoted_at: optional_time(10)?,
        cancelled_at: optional_time(11)?,
        attended: r.get(12)?,
        version: r.get(13)?,
    })
}

fn signup_and_event(r: &Row<'_>) -> rusqlite::Result<(Signup, Event)> {
    Ok((signup_at(r)?, event_at(r, SIGNUP_WIDTH)?))
}

/// The seats confirmed of an event.
fn confirmed(c: &rusqlite::Connection, event: &str) -> StoreResult<i64> {
    c.prepare_cached("SELECT count(*) FROM event_signups WHERE event_id = ?1 AND status = 'confirmed'")
        .and_then(|mut s| s.query_row([event], |r| r.get(0)))
        .map_err(db_err)
}

/// Gives the event's free seats to the first in line, promoted at `at`.
fn fill_seats(c: &rusqlite::Connection, event: &str, at: OffsetDateTime) -> StoreResult<()> {
    c.prepare_cached(
        "UPDATE event_signups SET status = 'confirmed', promoted_at = ?2, version = version + 1
         WHERE id IN (
             SELECT id FROM event_signups WHERE event_id = ?1 AND status = 'waitlisted' ORDER BY position
             LIMIT max(0, (SELECT capacity FROM events WHERE id = ?1)
                 - (SELECT count(*) FROM event_signups WHERE event_id = ?1 AND status = 'confirmed')))",
    )
    .and_then(|mut s| s.execute(params![event, timestamp(at)]))
    .map_err(db_err)?;
    Ok(())
}

/// Adds the event, or replaces it if the stored one is still at version `expected` and its
/// capacity holds the seats confirmed; seats it adds go to the first in line.
pub(crate) fn save_event_in(c: &rusqlite::Connection, e: &Event, expected: Option<i64>) -> StoreResult<()> {
    let id = e.id.0.to_string();
    let body = encode_event(&e.fields)?;
    let f = &e.fields;
    let series = f.series.map(|s| s.code());
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO events (id, prefecture, organiser_id, kind, series, starts_on, ends_on, capacity, body,
                    written_by, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    e.prefecture,
                    e.organiser.0.to_string(),
                    f.kind.code(),
                    series,
                    date(f.starts_on),
                    date(f.ends_on),
                    f.capacity,
                    body,
                    e.written_by.0.to_string(),
                    e.version,
                    timestamp(e.updated_at),
                ])
            })
            .map_err(db_err)?,
        Some(expected) => {
            let taken = confirmed(c, &id)?;
            if i64::from(f.capacity) < taken {
                return Err(StoreError::Conflict { current: taken });
            }
            c.prepare_cached(
                "UPDATE events SET kind = ?2, series = ?3, starts_on = ?4, ends_on = ?5, capacity = ?6, body = ?7,
                    written_by = ?8, version = ?9, updated_at = ?10
                 WHERE id = ?1 AND version = ?11",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    f.kind.code(),
                    series,
                    date(f.starts_on),
                    date(f.ends_on),
                    f.capacity,
                    body,
                    e.written_by.0.to_string(),
                    e.version,
                    timestamp(e.updated_at),
                    expected,
                ])
            })
            .map_err(db_err)?
        }
    };
    if written != 1 {
        return Err(versioned_refusal(c, "events", "event", &id, expected));
    }
    fill_seats(c, &id, e.updated_at)
}

/// Writes a sign-up at the event's next position, confirmed while a seat is free and no one waits.
pub(crate) fn sign_up_in(c: &rusqlite::Connection, s: &Signup) -> StoreResult<()> {
    let event = s.event.0.to_string();
    // A second sign-up of the attendee meets the unique index of those not cancelled (Duplicate).
    let key = s.attendee.key();
    let (person, account) = match s.attendee {
        tsunagu_domain::event::Attendee::Person(p) => (Some(p.0.to_string()), None),
        tsunagu_domain::event::Attendee::Account(a) => (None, Some(a.0.to_string())),
    };
    let written = c
        .prepare_cached(
            "INSERT INTO event_signups (id, prefecture, event_id, attendee, attendee_name, person_id, account_id,
                agency_id, signed_up_by, signed_up_at, status, position, attended, version)
             SELECT ?1, ?2, e.id, ?3, ?11, ?4, ?5, ?6, ?7, ?8,
                 CASE WHEN (SELECT count(*) FROM event_signups WHERE event_id = e.id AND status = 'confirmed')
                         < e.capacity
                      AND NOT EXISTS (SELECT 1 FROM event_signups WHERE event_id = e.id AND status = 'waitlisted')
                 THEN 'confirmed' ELSE 'waitlisted' END,
                 (SELECT coalesce(max(position), 0) + 1 FROM event_signups WHERE event_id = e.id),
                 0, ?9
             FROM events e WHERE e.id = ?10",
        )
        .and_then(|mut st| {
            st.execute(params![
                s.id.0.to_string(),
                s.prefecture,
                key,
                person,
                account,
                s.agency.map(|a| a.0.to_string()),
                s.signed_up_by.0.to_string(),
                timestamp(s.signed_up_at),
                s.version,
                event,
                s.attendee_name,
            ])
        })
        .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Cancels a sign-up of the event unless it is cancelled already; a seat freed goes to the first
/// in line.
pub(crate) fn cancel_signup_in(
    c: &rusqlite::Connection,
    event: EventId,
    id: SignupId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let (event, id) = (event.0.to_string(), id.0.to_string());
    let exists = c
        .prepare_cached("SELECT 1 FROM event_signups WHERE id = ?1 AND event_id = ?2")
        .and_then(|mut s| s.query_row(params![id, event], |_| Ok(())).optional())
        .map_err(db_err)?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    c.prepare_cached(
        "UPDATE event_signups SET status = 'cancelled', cancelled_at = ?3, version = version + 1
         WHERE id = ?1 AND event_id = ?2 AND status <> 'cancelled'",
    )
    .and_then(|mut s| s.execute(params![id, event, timestamp(at)]))
    .map_err(db_err)?;
    fill_seats(c, &event, at)
}

/// Marks who attended a session of the event: the confirmed sign-ups in `present`, and no other.
pub(crate) fn record_attendance_in(
    c: &rusqlite::Connection,
    event: EventId,
    session: u8,
    present: &[SignupId],
) -> StoreResult<()> {
    if session >= 32 {
        return Err(StoreError::NotFound);
    }
    let ids = serde_json::to_string(&present.iter().map(|s| s.0.to_string()).collect::<Vec<_>>())
        .map_err(StoreError::backend)?;
    let bit = 1_i64 << session;
    c.prepare_cached(
        "UPDATE event_signups
         SET attended = CASE WHEN id IN (SELECT value FROM json_each(?2)) THEN attended | ?3 ELSE attended & ~?3 END,
             version = version + 1
         WHERE event_id = ?1 AND status = 'confirmed'",
    )
    .and_then(|mut s| s.execute(params![event.0.to_string(), ids, bit]))
    .map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl EventStore for SqliteStore {
    async fn event(&self, id: EventId) -> StoreResult<Option<Event>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = ?1"))?
                .query_row([id.0.to_string()], |r| event_at(r, 0))
                .optional()
        })
        .await
    }

    async fn events_from(&self, from: Date, limit: u32) -> StoreResult<Vec<Event>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM events e WHERE e.ends_on >= ?1 ORDER BY e.starts_on, e.id LIMIT ?2"
            ))?
            .query_map(params![date(from), limit], |r| event_at(r, 0))?
            .collect()
        })
        .await
    }

    async fn events_of_agency(&self, agency: AgencyId, limit: u32) -> StoreResult<Vec<Event>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {EVENT_COLUMNS} FROM events e WHERE e.organiser_id = ?1
                 ORDER BY e.starts_on DESC, e.id LIMIT ?2"
            ))?
            .query_map(params![agency.0.to_string(), limit], |r| event_at(r, 0))?
            .collect()
        })
        .await
    }

    async fn every_event(&self) -> StoreResult<Vec<Event>> {
        self.query(|c| {
            c.prepare(&format!("SELECT {EVENT_COLUMNS} FROM events e"))?.query_map([], |r| event_at(r, 0))?.collect()
        })
        .await
    }

    async fn signup(&self, id: SignupId) -> StoreResult<Option<Signup>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {SIGNUP_COLUMNS} FROM event_signups s WHERE s.id = ?1"))?
                .query_row([id.0.to_string()], signup_at)
                .optional()
        })
        .await
    }

    async fn signups_of_event(&self, event: EventId) -> StoreResult<Vec<Signup>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {SIGNUP_COLUMNS} FROM event_signups s WHERE s.event_id = ?1 ORDER BY s.position"
            ))?
            .query_map([event.0.to_string()], signup_at)?
            .collect()
        })
        .await
    }

    async fn signups_of_account(&self, account: AccountId) -> StoreResult<Vec<(Signup, Event)>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {SIGNUP_COLUMNS}, {EVENT_COLUMNS} FROM event_signups s JOIN events e ON e.id = s.event_id
                 WHERE s.id IN (SELECT id FROM event_signups WHERE account_id = ?1
                                UNION SELECT id FROM event_signups WHERE signed_up_by = ?1)
                 ORDER BY s.signed_up_at DESC, s.id"
            ))?
            .query_map([account.0.to_string()], signup_and_event)?
            .collect()
        })
        .await
    }

    async fn signups_of_person(&self, person: PersonId) -> StoreResult<Vec<(Signup, Event)>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {SIGNUP_COLUMNS}, {EVENT_COLUMNS} FROM event_signups s JOIN events e ON e.id = s.event_id
                 WHERE s.person_id = ?1 ORDER BY s.signed_up_at DESC, s.id"
            ))?
            .query_map([person.0.to_string()], signup_and_event)?
            .collect()
        })
        .await
    }

    async fn place_in_line(&self, id: SignupId) -> StoreResult<Option<i64>> {
        self.query(move |c| {
            c.prepare_cached(
                "SELECT count(*) FROM event_signups s JOIN event_signups w ON w.event_id = s.event_id
                 WHERE s.id = ?1 AND s.status = 'waitlisted' AND w.status = 'waitlisted' AND w.position <= s.position",
            )?
            .query_row([id.0.to_string()], |r| r.get::<_, i64>(0))
            .map(|n| (n > 0).then_some(n))
        })
        .await
    }

    async fn event_attendees(&self) -> StoreResult<Vec<(EventId, i64)>> {
        self.query(|c| {
            c.prepare(
                "SELECT event_id, count(*) FROM event_signups WHERE status = 'confirmed' AND attended <> 0
                 GROUP BY event_id",
            )?
            .query_map([], |r| Ok((EventId(parse_uuid(&r.get::<_, String>(0)?)?), r.get(1)?)))?
            .collect()
        })
        .await
    }
}
