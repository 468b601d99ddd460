//! [`CoachingStore`] on SQLite, and the coaching changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use time::Date;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::coaching::{
    Coach, CoachDay, CoachDayId, CoachFields, CoachId, CoachTotals, DAY_MINUTES_MAX, Dispatch, DispatchId,
};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{
    decode_activities, decode_coach_kind, decode_dispatch, encode_activities, encode_coach_ids, encode_dispatch,
};
use tsunagu_store::{CoachingStore, StoreError, StoreResult};

use crate::consents::{date, parse_date};
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

const COACH_COLUMNS: &str = "id, agency_id, account_id, name, kind, active_from, active_until, version, updated_at";
const DISPATCH_COLUMNS: &str =
    "d.id, d.prefecture, d.person_id, d.agency_id, d.body, d.recorded_by, d.version, d.updated_at";
const DAY_COLUMNS: &str = "c.id, c.prefecture, c.dispatch_id, c.person_id, c.coach_id, c.on_date, c.minutes, c.activities, \
    c.note, c.recorded_by, c.recorded_at";

/// Every coach (of agency ?1, when given) with the dispatches, days and minutes they worked from
/// ?2 to ?3. The floor benchmark runs the same statement.
pub const COACH_TOTALS: &str = "SELECT c.id, c.agency_id, c.account_id, c.name, c.kind, c.active_from, c.active_until,
        c.version, c.updated_at,
        count(DISTINCT d.dispatch_id), count(DISTINCT d.on_date), coalesce(sum(d.minutes), 0)
     FROM coaches c LEFT JOIN coach_days d ON d.coach_id = c.id AND d.on_date >= ?2 AND d.on_date <= ?3
     WHERE ?1 IS NULL OR c.agency_id = ?1
     GROUP BY c.id ORDER BY c.name, c.id";

fn coach_at(r: &Row<'_>) -> rusqlite::Result<Coach> {
    Ok(Coach {
        id: CoachId(parse_uuid(&r.get::<_, String>(0)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(1)?)?),
        account: r.get::<_, Option<String>>(2)?.as_deref().map(parse_uuid).transpose()?.map(AccountId),
        fields: CoachFields {
            name: r.get(3)?,
            kind: decode_coach_kind(&r.get::<_, String>(4)?).map_err(conv)?,
            active_from: parse_date(&r.get::<_, String>(5)?)?,
            active_until: r.get::<_, Option<String>>(6)?.as_deref().map(parse_date).transpose()?,
        },
        version: r.get(7)?,
        updated_at: parse_timestamp(&r.get::<_, String>(8)?)?,
    })
}

fn dispatch_at(r: &Row<'_>) -> rusqlite::Result<Dispatch> {
    Ok(Dispatch {
        id: DispatchId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        fields: decode_dispatch(&r.get::<_, String>(4)?).map_err(conv)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(5)?)?),
        version: r.get(6)?,
        updated_at: parse_timestamp(&r.get::<_, String>(7)?)?,
    })
}

fn day_at(r: &Row<'_>) -> rusqlite::Result<CoachDay> {
    Ok(CoachDay {
        id: CoachDayId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        dispatch: DispatchId(parse_uuid(&r.get::<_, String>(2)?)?),
        person: PersonId(parse_uuid(&r.get::<_, String>(3)?)?),
        coach: CoachId(parse_uuid(&r.get::<_, String>(4)?)?),
        on: parse_date(&r.get::<_, String>(5)?)?,
        minutes: r.get(6)?,
        activities: decode_activities(&r.get::<_, String>(7)?).map_err(conv)?,
        note: r.get(8)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(9)?)?),
        recorded_at: parse_timestamp(&r.get::<_, String>(10)?)?,
    })
}

/// Adds the coach, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_coach_in(c: &rusqlite::Connection, coach: &Coach, expected: Option<i64>) -> StoreResult<()> {
    let id = coach.id.0.to_string();
    let f = &coach.fields;
    let values = params![
        id,
        coach.agency.0.to_string(),
        coach.account.map(|a| a.0.to_string()),
        f.name,
        f.kind.code(),
        date(f.active_from),
        f.active_until.map(date),
        coach.version,
        timestamp(coach.updated_at),
    ];
    let written = match expected {
        None => c
            .prepare_cached(&format!(
                "INSERT INTO coaches ({COACH_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (id) DO NOTHING"
            ))
            .and_then(|mut s| s.execute(values)),
        Some(expected) => c
            .prepare_cached(
                "UPDATE coaches SET agency_id = ?2, account_id = ?3, name = ?4, kind = ?5, active_from = ?6,
                    active_until = ?7, version = ?8, updated_at = ?9
                 WHERE id = ?1 AND version = ?10",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    coach.agency.0.to_string(),
                    coach.account.map(|a| a.0.to_string()),
                    f.name,
                    f.kind.code(),
                    date(f.active_from),
                    f.active_until.map(date),
                    coach.version,
                    timestamp(coach.updated_at),
                    expected,
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(versioned_refusal(c, "coaches", "coach", &id, expected)) }
}

/// Adds the dispatch, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_dispatch_in(c: &rusqlite::Connection, d: &Dispatch, expected: Option<i64>) -> StoreResult<()> {
    let id = d.id.0.to_string();
    let body = encode_dispatch(&d.fields)?;
    let coaches = encode_coach_ids(&d.fields.coaches);
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO dispatches (id, prefecture, person_id, agency_id, employer_id, coaches, starts_on, last_day,
                    body, recorded_by, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    d.prefecture,
                    d.person.0.to_string(),
                    d.agency.0.to_string(),
                    d.fields.employer.0.to_string(),
                    coaches,
                    date(d.fields.starts_on),
                    date(d.last_day()),
                    body,
                    d.recorded_by.0.to_string(),
                    d.version,
                    timestamp(d.updated_at),
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE dispatches SET employer_id = ?2, coaches = ?3, starts_on = ?4, last_day = ?5, body = ?6,
                    recorded_by = ?7, version = ?8, updated_at = ?9
                 WHERE id = ?1 AND version = ?10",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    d.fields.employer.0.to_string(),
                    coaches,
                    date(d.fields.starts_on),
                    date(d.last_day()),
                    body,
                    d.recorded_by.0.to_string(),
                    d.version,
                    timestamp(d.updated_at),
                    expected,
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(versioned_refusal(c, "dispatches", "dispatch", &id, expected)) }
}

/// Logs a day: one per coach, dispatch and day, and the coach's minutes that day within the
/// limit (SQLite writes one transaction at a time, so the sum read is the sum written).
pub(crate) fn log_day_in(c: &rusqlite::Connection, d: &CoachDay) -> StoreResult<()> {
    let coach = d.coach.0.to_string();
    let logged: i64 = c
        .prepare_cached("SELECT coalesce(sum(minutes), 0) FROM coach_days WHERE coach_id = ?1 AND on_date = ?2")
        .and_then(|mut s| s.query_row([&coach, &date(d.on)], |r| r.get(0)))
        .map_err(db_err)?;
    if logged + i64::from(d.minutes) > i64::from(DAY_MINUTES_MAX) {
        return Err(StoreError::Conflict { current: logged });
    }
    let written = c
        .prepare_cached(
            "INSERT INTO coach_days (id, prefecture, dispatch_id, person_id, coach_id, on_date, minutes, activities, note,
                recorded_by, recorded_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT DO NOTHING",
        )
        .and_then(|mut s| {
            s.execute(params![
                d.id.0.to_string(),
                d.prefecture,
                d.dispatch.0.to_string(),
                d.person.0.to_string(),
                coach,
                date(d.on),
                d.minutes,
                encode_activities(&d.activities),
                d.note,
                d.recorded_by.0.to_string(),
                timestamp(d.recorded_at),
            ])
        })
        .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(StoreError::Duplicate { what: "coach day" }) }
}

/// Removes a day of the person's.
pub(crate) fn remove_day_in(c: &rusqlite::Connection, person: PersonId, id: CoachDayId) -> StoreResult<()> {
    let removed = c
        .prepare_cached("DELETE FROM coach_days WHERE id = ?1 AND person_id = ?2")
        .and_then(|mut s| s.execute([id.0.to_string(), person.0.to_string()]))
        .map_err(db_err)?;
    if removed == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

#[async_trait]
impl CoachingStore for SqliteStore {
    async fn coach(&self, id: CoachId) -> StoreResult<Option<Coach>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {COACH_COLUMNS} FROM coaches WHERE id = ?1"))?
                .query_row([id.0.to_string()], coach_at)
                .optional()
        })
        .await
    }

    async fn coaches_of(&self, agency: AgencyId) -> StoreResult<Vec<Coach>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {COACH_COLUMNS} FROM coaches WHERE agency_id = ?1 ORDER BY name, id"))?
                .query_map([agency.0.to_string()], coach_at)?
                .collect()
        })
        .await
    }

    async fn every_coach(&self) -> StoreResult<Vec<Coach>> {
        self.query(|c| c.prepare(&format!("SELECT {COACH_COLUMNS} FROM coaches"))?.query_map([], coach_at)?.collect())
            .await
    }

    async fn dispatch(&self, id: DispatchId) -> StoreResult<Option<Dispatch>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {DISPATCH_COLUMNS} FROM dispatches d WHERE d.id = ?1"))?
                .query_row([id.0.to_string()], dispatch_at)
                .optional()
        })
        .await
    }

    async fn dispatches_of_person(&self, person: PersonId) -> StoreResult<Vec<Dispatch>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {DISPATCH_COLUMNS} FROM dispatches d WHERE d.person_id = ?1 ORDER BY d.starts_on DESC, d.id"
            ))?
            .query_map([person.0.to_string()], dispatch_at)?
            .collect()
        })
        .await
    }

    async fn dispatches_of_agency(&self, agency: AgencyId, since: Date) -> StoreResult<Vec<(Dispatch, String)>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {DISPATCH_COLUMNS}, p.name FROM dispatches d JOIN persons p ON p.id = d.person_id
                 WHERE d.agency_id = ?1 AND d.last_day >= ?2 ORDER BY d.starts_on, d.id"
            ))?
            .query_map([agency.0.to_string(), date(since)], |r| Ok((dispatch_at(r)?, r.get(8)?)))?
            .collect()
        })
        .await
    }

    async fn days_of_dispatch(&self, id: DispatchId) -> StoreResult<Vec<CoachDay>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {DAY_COLUMNS} FROM coach_days c WHERE c.dispatch_id = ?1 ORDER BY c.on_date DESC, c.coach_id"
            ))?
            .query_map([id.0.to_string()], day_at)?
            .collect()
        })
        .await
    }

    async fn days_of_coaches(&self, coaches: &[CoachId], from: Date, to: Date) -> StoreResult<Vec<(CoachDay, String)>> {
        let coaches = coaches.to_vec();
        self.query(move |c| {
            let mut read = c.prepare_cached(&format!(
                "SELECT {DAY_COLUMNS}, p.name FROM coach_days c JOIN persons p ON p.id = c.person_id
                 WHERE c.coach_id = ?1 AND c.on_date >= ?2 AND c.on_date <= ?3"
            ))?;
            let mut out = Vec::new();
            for coach in coaches {
                for row in
                    read.query_map([coach.0.to_string(), date(from), date(to)], |r| Ok((day_at(r)?, r.get(11)?)))?
                {
                    out.push(row?);
                }
            }
            out.sort_by_key(|(a, _)| (a.on, a.coach));
            Ok(out)
        })
        .await
    }

    async fn coach_totals(
        &self,
        agency: Option<AgencyId>,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<(Coach, CoachTotals)>> {
        self.query(move |c| {
            c.prepare_cached(COACH_TOTALS)?
                .query_map([agency.map(|a| a.0.to_string()), Some(date(from)), Some(date(to))], |r| {
                    Ok((
                        coach_at(r)?,
                        CoachTotals {
                            cases: r.get::<_, i64>(9)? as usize,
                            days: r.get::<_, i64>(10)? as usize,
                            minutes: r.get::<_, i64>(11)? as u32,
                        },
                    ))
                })?
                .collect()
        })
        .await
    }

    async fn every_coach_day(&self) -> StoreResult<Vec<CoachDay>> {
        self.query(|c| c.prepare(&format!("SELECT {DAY_COLUMNS} FROM coach_days c"))?.query_map([], day_at)?.collect())
            .await
    }
}
