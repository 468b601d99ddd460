//! [`EventStore`] on PostgreSQL, and the event and sign-up changes of a commit. A sign-up, a
//! cancellation and a change of capacity each lock the event's row first, so that two
//! transactions never both count a seat as free: the second waits for the first and counts again.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use time::{Date, OffsetDateTime};
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::event::{Attendee, Event, EventId, Signup, SignupId};
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{decode_attendee, decode_event, decode_signup_status, encode_event};
use tsunagu_store::{EventStore, StoreError, StoreResult};

use crate::{PostgresStore, db_err, execute, query, query_opt, versioned_refusal};

const EVENT_COLUMNS: &str = "e.id, e.prefecture, e.organiser_id, e.body, e.written_by, e.version, e.updated_at";
const SIGNUP_COLUMNS: &str =
    "s.id, s.prefecture, s.event_id, s.attendee, s.attendee_name, s.agency_id, s.signed_up_by, s.signed_up_at,
    s.status, s.position, s.promoted_at, s.cancelled_at, s.attended, s.version";
/// How many columns [`SIGNUP_COLUMNS`] reads.
const SIGNUP_WIDTH: usize = 14;

fn event_at(r: &Row, at: usize) -> StoreResult<Event> {
    Ok(Event {
        id: EventId(r.try_get(at).map_err(db_err)?),
        prefecture: r.try_get(at + 1).map_err(db_err)?,
        organiser: AgencyId(r.try_get(at + 2).map_err(db_err)?),
        fields: decode_event(r.try_get(at + 3).map_err(db_err)?)?,
        written_by: AccountId(r.try_get(at + 4).map_err(db_err)?),
        version: r.try_get(at + 5).map_err(db_err)?,
        updated_at: r.try_get(at + 6).map_err(db_err)?,
    })
}

fn signup_at(r: &Row) -> StoreResult<Signup> {
    Ok(Signup {
        id: SignupId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        event: EventId(r.try_get(2).map_err(db_err)?),
        attendee: decode_attendee(r.try_get(3).map_err(db_err)?)?,
        attendee_name: r.try_get(4).map_err(db_err)?,
        agency: r.try_get::<_, Option<uuid::Uuid>>(5).map_err(db_err)?.map(AgencyId),
        signed_up_by: AccountId(r.try_get(6).map_err(db_err)?),
        signed_up_at: r.try_get(7).map_err(db_err)?,
        status: decode_signup_status(r.try_get(8).map_err(db_err)?)?,
        position: r.try_get(9).map_err(db_err)?,
        promoted_at: r.try_get(10).map_err(db_err)?,
        cancelled_at: r.try_get(11).map_err(db_err)?,
        attended: r.try_get::<_, i32>(12).map_err(db_err)? as u32,
        version: r.try_get(13).map_err(db_err)?,
    })
}

fn signup_and_event(r: &Row) -> StoreResult<(Signup, Event)> {
    Ok((signup_at(r)?, event_at(r, SIGNUP_WIDTH)?))
}

/// Locks the event's row until the transaction ends; answers whether it is there.
async fn lock_event(c: &impl GenericClient, event: &uuid::Uuid, prefecture: &str) -> StoreResult<bool> {
    Ok(query_opt(c, "SELECT 1 FROM events WHERE id = $1 AND prefecture = $2 FOR UPDATE", &[event, &prefecture])
        .await?
        .is_some())
}

/// Gives the event's free seats to the first in line, promoted at `at`.
async fn fill_seats(
    c: &impl GenericClient,
    event: &uuid::Uuid,
    prefecture: &str,
    at: OffsetDateTime,
) -> StoreResult<()> {
    execute(
        c,
        "UPDATE event_signups SET status = 'confirmed', promoted_at = $3, version = version + 1
         WHERE prefecture = $2 AND id IN (
             SELECT id FROM event_signups WHERE event_id = $1 AND prefecture = $2 AND status = 'waitlisted'
             ORDER BY position
             LIMIT greatest(0, (SELECT capacity FROM events WHERE id = $1 AND prefecture = $2)
                 - (SELECT count(*) FROM event_signups WHERE event_id = $1 AND prefecture = $2
                    AND status = 'confirmed')))",
        &[event, &prefecture, &at],
    )
    .await?;
    Ok(())
}

/// Adds the event, or replaces it if the stored one is still at version `expected` and its
/// capacity holds the seats confirmed; seats it adds go to the first in line.
pub(crate) async fn save_event_in(c: &impl GenericClient, e: &Event, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_event(&e.fields)?;
    let f = &e.fields;
    let series = f.series.map(|s| s.code());
    let capacity = f.capacity as i32;
    let written =
        match expected {
            None => execute(
                c,
                "INSERT INTO events (id, prefecture, organiser_id, kind, series, starts_on, ends_on, capacity, body,
                    written_by, version, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (id) DO NOTHING",
                &[
                    &e.id.0,
                    &e.prefecture,
                    &e.organiser.0,
                    &f.kind.code(),
                    &series,
                    &f.starts_on,
                    &f.ends_on,
                    &capacity,
                    &body,
                    &e.written_by.0,
                    &e.version,
                    &e.updated_at,
                ],
            )
            .await?,
            Some(expected) => {
                if lock_event(c, &e.id.0, &e.prefecture).await? {
                    let taken: i64 = query_opt(
                        c,
                        "SELECT count(*) FROM event_signups WHERE event_id = $1 AND prefecture = $2
                     AND status = 'confirmed'",
                        &[&e.id.0, &e.prefecture],
                    )
                    .await?
                    .map(|r| r.try_get(0))
                    .transpose()
                    .map_err(db_err)?
                    .unwrap_or(0);
                    if i64::from(f.capacity) < taken {
                        return Err(StoreError::Conflict { current: taken });
                    }
                }
                execute(
                    c,
                    "UPDATE events SET kind = $3, series = $4, starts_on = $5, ends_on = $6, capacity = $7, body = $8,
                    written_by = $9, version = $10, updated_at = $11
                 WHERE id = $1 AND prefecture = $2 AND version = $12",
                    &[
                        &e.id.0,
                        &e.prefecture,
                        &f.kind.code(),
                        &series,
                        &f.starts_on,
                        &f.ends_on,
                        &capacity,
                        &body,
                        &e.written_by.0,
                        &e.version,
                        &e.updated_at,
                        &expected,
                    ],
                )
                .await?
            }
        };
    if written != 1 {
        return Err(versioned_refusal(c, "events", "event", &e.id.0, &e.prefecture, expected).await);
    }
    fill_seats(c, &e.id.0, &e.prefecture, e.updated_at).await
}

/// Writes a sign-up at the event's next position, confirmed while a seat is free and no one waits.
pub(crate) async fn sign_up_in(c: &impl GenericClient, s: &Signup) -> StoreResult<()> {
    let (person, account) = match s.attendee {
        Attendee::Person(p) => (Some(p.0), None),
        Attendee::Account(a) => (None, Some(a.0)),
    };
    // One statement, one round trip in the appender's batch: the event's row locked, the seats
    // counted and the sign-up written; a second sign-up of the attendee meets the unique index
    // of those not cancelled (Duplicate), and no row written means no such event.
    let written = execute(
        c,
        "INSERT INTO event_signups (id, prefecture, event_id, attendee, attendee_name, person_id, account_id,
            agency_id, signed_up_by, signed_up_at, status, position, attended, version)
         SELECT $1, $2, e.id, $3, $11, $4, $5, $6, $7, $8,
             CASE WHEN (SELECT count(*) FROM event_signups WHERE event_id = e.id AND prefecture = $2
                        AND status = 'confirmed') < e.capacity
                  AND NOT EXISTS (SELECT 1 FROM event_signups WHERE event_id = e.id AND prefecture = $2
                                  AND status = 'waitlisted')
             THEN 'confirmed' ELSE 'waitlisted' END,
             (SELECT coalesce(max(position), 0) + 1 FROM event_signups WHERE event_id = e.id AND prefecture = $2),
             0, $9
         FROM (SELECT id, capacity FROM events WHERE id = $10 AND prefecture = $2 FOR UPDATE) e",
        &[
            &s.id.0,
            &s.prefecture,
            &s.attendee.key(),
            &person,
            &account,
            &s.agency.map(|a| a.0),
            &s.signed_up_by.0,
            &s.signed_up_at,
            &s.version,
            &s.event.0,
            &s.attendee_name,
        ],
    )
    .await?;
    if written == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

/// Cancels a sign-up of the event unless it is cancelled already; a seat freed goes to the first
/// in line.
pub(crate) async fn cancel_signup_in(
    c: &impl GenericClient,
    prefecture: &str,
    event: EventId,
    id: SignupId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    if !lock_event(c, &event.0, prefecture).await? {
        return Err(StoreError::NotFound);
    }
    let exists = query_opt(
        c,
        "SELECT 1 FROM event_signups WHERE id = $1 AND event_id = $2 AND prefecture = $3",
        &[&id.0, &event.0, &prefecture],
    )
    .await?;
    if exists.is_none() {
        return Err(StoreError::NotFound);
    }
    execute(
        c,
        "UPDATE event_signups SET status = 'cancelled', cancelled_at = $4, version = version + 1
         WHERE id = $1 AND event_id = $2 AND prefecture = $3 AND status <> 'cancelled'",
        &[&id.0, &event.0, &prefecture, &at],
    )
    .await?;
    fill_seats(c, &event.0, prefecture, at).await
}

/// Marks who attended a session of the event: the confirmed sign-ups in `present`, and no other.
pub(crate) async fn record_attendance_in(
    c: &impl GenericClient,
    prefecture: &str,
    event: EventId,
    session: u8,
    present: &[SignupId],
) -> StoreResult<()> {
    if session >= 31 {
        return Err(StoreError::NotFound);
    }
    let ids: Vec<uuid::Uuid> = present.iter().map(|s| s.0).collect();
    let bit = 1_i32 << session;
    execute(
        c,
        "UPDATE event_signups
         SET attended = CASE WHEN id = ANY($3) THEN attended | $4 ELSE attended & ~$4 END,
             version = version + 1
         WHERE event_id = $1 AND prefecture = $2 AND status = 'confirmed'",
        &[&event.0, &prefecture, &ids, &bit],
    )
    .await?;
    Ok(())
}

#[async_trait]
impl EventStore for PostgresStore {
    async fn event(&self, id: EventId) -> StoreResult<Option<Event>> {
        let client = self.client().await?;
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = $1 AND e.prefecture = $2");
        query_opt(&client, &sql, &[&id.0, &&*self.prefecture]).await?.map(|r| event_at(&r, 0)).transpose()
    }

    async fn events_from(&self, from: Date, limit: u32) -> StoreResult<Vec<Event>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e WHERE e.prefecture = $1 AND e.ends_on >= $2
             ORDER BY e.starts_on, e.id LIMIT $3"
        );
        query(&client, &sql, &[&&*self.prefecture, &from, &i64::from(limit)])
            .await?
            .iter()
            .map(|r| event_at(r, 0))
            .collect()
    }

    async fn events_of_agency(&self, agency: AgencyId, limit: u32) -> StoreResult<Vec<Event>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e WHERE e.prefecture = $1 AND e.organiser_id = $2
             ORDER BY e.starts_on DESC, e.id LIMIT $3"
        );
        query(&client, &sql, &[&&*self.prefecture, &agency.0, &i64::from(limit)])
            .await?
            .iter()
            .map(|r| event_at(r, 0))
            .collect()
    }

    async fn every_event(&self) -> StoreResult<Vec<Event>> {
        let client = self.client().await?;
        let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.prefecture = $1");
        query(&client, &sql, &[&&*self.prefecture]).await?.iter().map(|r| event_at(r, 0)).collect()
    }

    async fn signup(&self, id: SignupId) -> StoreResult<Option<Signup>> {
        let client = self.client().await?;
        let sql = format!("SELECT {SIGNUP_COLUMNS} FROM event_signups s WHERE s.id = $1 AND s.prefecture = $2");
        query_opt(&client, &sql, &[&id.0, &&*self.prefecture]).await?.map(|r| signup_at(&r)).transpose()
    }

    async fn signups_of_event(&self, event: EventId) -> StoreResult<Vec<Signup>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {SIGNUP_COLUMNS} FROM event_signups s WHERE s.event_id = $1 AND s.prefecture = $2
             ORDER BY s.position"
        );
        query(&client, &sql, &[&event.0, &&*self.prefecture]).await?.iter().map(signup_at).collect()
    }

    async fn signups_of_account(&self, account: AccountId) -> StoreResult<Vec<(Signup, Event)>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {SIGNUP_COLUMNS}, {EVENT_COLUMNS} FROM event_signups s JOIN events e ON e.id = s.event_id
             WHERE s.prefecture = $2 AND (s.account_id = $1 OR s.signed_up_by = $1)
             ORDER BY s.signed_up_at DESC, s.id"
        );
        query(&client, &sql, &[&account.0, &&*self.prefecture]).await?.iter().map(signup_and_event).collect()
    }

    async fn signups_of_person(&self, person: PersonId) -> StoreResult<Vec<(Signup, Event)>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {SIGNUP_COLUMNS}, {EVENT_COLUMNS} FROM event_signups s JOIN events e ON e.id = s.event_id
             WHERE s.person_id = $1 AND s.prefecture = $2 ORDER BY s.signed_up_at DESC, s.id"
        );
        query(&client, &sql, &[&person.0, &&*self.prefecture]).await?.iter().map(signup_and_event).collect()
    }

    async fn place_in_line(&self, id: SignupId) -> StoreResult<Option<i64>> {
        let client = self.client().await?;
        let row = query_opt(
            &client,
            "SELECT count(*) FROM event_signups s JOIN event_signups w ON w.event_id = s.event_id
             WHERE s.id = $1 AND s.prefecture = $2 AND w.prefecture = $2 AND s.status = 'waitlisted'
             AND w.status = 'waitlisted' AND w.position <= s.position",
            &[&id.0, &&*self.prefecture],
        )
        .await?;
        let n: i64 = row.map(|r| r.try_get(0)).transpose().map_err(db_err)?.unwrap_or(0);
        Ok((n > 0).then_some(n))
    }

    async fn event_attendees(&self) -> StoreResult<Vec<(EventId, i64)>> {
        let client = self.client().await?;
        let rows = query(
            &client,
            "SELECT event_id, count(*) FROM event_signups WHERE prefecture = $1 AND status = 'confirmed'
             AND attended <> 0 GROUP BY event_id",
            &[&&*self.prefecture],
        )
        .await?;
        rows.iter().map(|r| Ok((EventId(r.try_get(0).map_err(db_err)?), r.try_get(1).map_err(db_err)?))).collect()
    }
}
