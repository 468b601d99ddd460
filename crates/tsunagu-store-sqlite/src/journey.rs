//! [`JourneyStore`] on SQLite.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::journey::{FollowUp, StageChange, SupportRecord};
use tsunagu_domain::journey::{Stage, SupportFields, SupportKind};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::plan::{Outcome, PlanFields, ReviewFields};
use tsunagu_domain::plan::{PlanReview, SupportPlan};
use tsunagu_store::codec::{decode_days, encode_days};
use tsunagu_store::{DueAction, Journey, JourneyStore, StoreError, StoreResult};

use crate::consents::{date, parse_date};
use crate::directory::{parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err};

fn corrupt(what: &str, value: &str) -> rusqlite::Error {
    crate::directory::conv(StoreError::Backend(format!("unreadable stored {what}: {value:?}").into()))
}

pub(crate) fn parse_stage(raw: &str) -> rusqlite::Result<Stage> {
    Stage::parse(raw).ok_or_else(|| corrupt("stage", raw))
}

fn stage_from_row(r: &Row<'_>) -> rusqlite::Result<StageChange> {
    Ok(StageChange {
        id: parse_uuid(&r.get::<_, String>(0)?)?,
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        stage: parse_stage(&r.get::<_, String>(3)?)?,
        on: parse_date(&r.get::<_, String>(4)?)?,
        agency: AgencyId(parse_uuid(&r.get::<_, String>(5)?)?),
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(6)?)?),
        recorded_at: parse_timestamp(&r.get::<_, String>(7)?)?,
        reason: r.get(8)?,
    })
}

const FOLLOW_UP_COLUMNS: &str =
    "id, prefecture, person_id, agency_id, placed_on, due_on, done_on, done_by, note, closed_on";

fn follow_up_from_row(r: &Row<'_>) -> rusqlite::Result<FollowUp> {
    let done_on: Option<String> = r.get(6)?;
    let done_by: Option<String> = r.get(7)?;
    Ok(FollowUp {
        id: parse_uuid(&r.get::<_, String>(0)?)?,
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        placed_on: parse_date(&r.get::<_, String>(4)?)?,
        due_on: parse_date(&r.get::<_, String>(5)?)?,
        done: match (done_on, done_by) {
            (Some(on), Some(by)) => Some((parse_date(&on)?, AccountId(parse_uuid(&by)?))),
            _ => None,
        },
        note: r.get(8)?,
        closed_on: r.get::<_, Option<String>>(9)?.as_deref().map(parse_date).transpose()?,
    })
}

/// Inserts follow-ups with `c`.
pub(crate) fn insert_follow_ups_in(c: &rusqlite::Connection, follow_ups: &[FollowUp]) -> rusqlite::Result<()> {
    let mut insert = c.prepare_cached(
        "INSERT INTO follow_ups (id, prefecture, person_id, agency_id, placed_on, due_on, done_on, done_by, note,
             closed_on, person_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, (SELECT name FROM persons WHERE id = ?3))",
    )?;
    for f in follow_ups {
        insert.execute(params![
            f.id.to_string(),
            f.prefecture,
            f.person.0.to_string(),
            f.agency.0.to_string(),
            date(f.placed_on),
            date(f.due_on),
            f.done.map(|(on, _)| date(on)),
            f.done.map(|(_, by)| by.0.to_string()),
            f.note,
            f.closed_on.map(date),
        ])?;
    }
    Ok(())
}

/// The next actions of an agency's open cases due by `until`, earliest first.
pub(crate) fn due_actions_in(
    c: &rusqlite::Connection,
    agency: &str,
    until: time::Date,
    limit: u32,
) -> rusqlite::Result<Vec<DueAction>> {
    c.prepare_cached(
        "SELECT person_id, name, next_action, next_action_on FROM cases
         WHERE agency_id = ?1 AND closed_on IS NULL AND next_action_on IS NOT NULL AND next_action_on <= ?2
         ORDER BY next_action_on LIMIT ?3",
    )?
    .query_map(params![agency, date(until), limit], |r| {
        Ok(DueAction {
            person: PersonId(parse_uuid(&r.get::<_, String>(0)?)?),
            name: r.get(1)?,
            action: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
            due_on: parse_date(&r.get::<_, String>(3)?)?,
        })
    })?
    .collect()
}

/// An agency's open follow-ups due by `until`, earliest first, with the person's name: read from
/// the covering index alone (an open follow-up's `done_on` and `done_by` are NULL).
pub(crate) fn due_follow_ups_in(
    c: &rusqlite::Connection,
    agency: &str,
    until: time::Date,
    limit: u32,
) -> rusqlite::Result<Vec<(FollowUp, String)>> {
    c.prepare_cached(
        "SELECT id, prefecture, person_id, agency_id, placed_on, due_on, NULL, NULL, NULL, NULL, person_name
         FROM follow_ups
         WHERE agency_id = ?1 AND done_on IS NULL AND closed_on IS NULL AND due_on <= ?2 ORDER BY due_on LIMIT ?3",
    )?
    .query_map(params![agency, date(until), limit], |r| Ok((follow_up_from_row(r)?, r.get(10)?)))?
    .collect()
}

/// An agency's open plans whose review falls due by `until`, earliest first, with the person's
/// name.
pub(crate) fn due_plan_reviews_in(
    c: &rusqlite::Connection,
    agency: &str,
    until: time::Date,
    limit: u32,
) -> rusqlite::Result<Vec<(SupportPlan, String)>> {
    c.prepare_cached(&format!(
        "SELECT {PLAN_COLUMNS}, person_name FROM support_plans
         WHERE agency_id = ?1 AND review_on IS NOT NULL AND review_on <= ?2 ORDER BY review_on LIMIT ?3"
    ))?
    .query_map(params![agency, date(until), limit], |r| Ok((plan_from_row(r)?, r.get(12)?)))?
    .collect()
}

const SUPPORT_COLUMNS: &str = "id, prefecture, person_id, agency_id, staff_id, staff_name, kind, on_date, minutes, \
     note, next_action, next_action_on, recorded_at";

fn support_from_row(r: &Row<'_>) -> rusqlite::Result<SupportRecord> {
    let kind: String = r.get(6)?;
    let next_on: Option<String> = r.get(11)?;
    Ok(SupportRecord {
        id: parse_uuid(&r.get::<_, String>(0)?)?,
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        staff: AccountId(parse_uuid(&r.get::<_, String>(4)?)?),
        staff_name: r.get(5)?,
        fields: SupportFields {
            kind: SupportKind::parse(&kind).ok_or_else(|| corrupt("support kind", &kind))?,
            date: parse_date(&r.get::<_, String>(7)?)?,
            minutes: r.get(8)?,
            note: r.get(9)?,
            next_action: r.get(10)?,
            next_action_on: next_on.as_deref().map(parse_date).transpose()?,
        },
        recorded_at: parse_timestamp(&r.get::<_, String>(12)?)?,
    })
}

/// Inserts support records with `c` (a connection or a transaction).
/// A person's plans with their reviews, newest first, with `c`.
pub(crate) fn plans_in(c: &rusqlite::Connection, person: PersonId) -> rusqlite::Result<Vec<SupportPlan>> {
    let key = person.0.to_string();
    let mut plans: Vec<SupportPlan> = c
        .prepare_cached(&format!(
            "SELECT {PLAN_COLUMNS} FROM support_plans WHERE person_id = ?1 ORDER BY created_at DESC, id"
        ))?
        .query_map([&key], plan_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    let reviews = c
        .prepare_cached(
            "SELECT r.id, r.plan_id, r.reviewed_on, r.note, r.outcome, r.next_review_on, r.reviewed_by, r.reviewed_at
             FROM plan_reviews r JOIN support_plans p ON p.id = r.plan_id
             WHERE p.person_id = ?1 ORDER BY r.reviewed_at, r.id",
        )?
        .query_map([&key], review_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (plan_id, review) in reviews {
        if let Some(plan) = plans.iter_mut().find(|p| p.id == plan_id) {
            plan.reviews.push(review);
        }
    }
    Ok(plans)
}

/// A person's follow-ups, by due date, with `c`.
pub(crate) fn follow_ups_in(c: &rusqlite::Connection, person: PersonId) -> rusqlite::Result<Vec<FollowUp>> {
    c.prepare_cached(&format!("SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups WHERE person_id = ?1 ORDER BY due_on, id"))?
        .query_map([person.0.to_string()], follow_up_from_row)?
        .collect()
}

/// Every stage change of a person, oldest first, with `c`.
pub(crate) fn stages_in(c: &rusqlite::Connection, person: PersonId) -> rusqlite::Result<Vec<StageChange>> {
    c.prepare_cached(
        "SELECT id, prefecture, person_id, stage, on_date, agency_id, recorded_by, recorded_at, reason
         FROM stage_changes WHERE person_id = ?1 ORDER BY recorded_at, id",
    )?
    .query_map([person.0.to_string()], stage_from_row)?
    .collect()
}

/// A person's support records, newest first, at most `limit`, with `c`.
pub(crate) fn support_records_in(
    c: &rusqlite::Connection,
    person: PersonId,
    limit: u32,
) -> rusqlite::Result<Vec<SupportRecord>> {
    c.prepare_cached(&format!(
        "SELECT {SUPPORT_COLUMNS} FROM support_records WHERE person_id = ?1
         ORDER BY on_date DESC, recorded_at DESC LIMIT ?2"
    ))?
    .query_map(params![person.0.to_string(), limit], support_from_row)?
    .collect()
}

pub(crate) fn insert_support_in(c: &rusqlite::Connection, records: &[SupportRecord]) -> rusqlite::Result<()> {
    let mut stmt = c.prepare_cached(&format!(
        "INSERT INTO support_records ({SUPPORT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    ))?;
    let mut case = c.prepare_cached(
        "UPDATE cases SET last_contact_on = ?3, next_action = ?4, next_action_on = ?5
         WHERE person_id = ?1 AND agency_id = ?2 AND closed_on IS NULL
           AND (last_contact_on IS NULL OR last_contact_on <= ?3)",
    )?;
    for s in records {
        let f = &s.fields;
        case.execute(params![
            s.person.0.to_string(),
            s.agency.0.to_string(),
            date(f.date),
            f.next_action,
            f.next_action_on.map(date)
        ])?;
        stmt.execute(params![
            s.id.to_string(),
            s.prefecture,
            s.person.0.to_string(),
            s.agency.0.to_string(),
            s.staff.0.to_string(),
            s.staff_name,
            f.kind.code(),
            date(f.date),
            f.minutes,
            f.note,
            f.next_action,
            f.next_action_on.map(date),
            timestamp(s.recorded_at),
        ])?;
    }
    Ok(())
}

/// Inserts a stage change and moves the person's current stage, with `c`.
pub(crate) fn insert_stage_in(c: &rusqlite::Connection, s: &StageChange) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO stage_changes (id, prefecture, person_id, stage, on_date, agency_id, recorded_by, recorded_at,
            reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        s.id.to_string(),
        s.prefecture,
        s.person.0.to_string(),
        s.stage.code(),
        date(s.on),
        s.agency.0.to_string(),
        s.recorded_by.0.to_string(),
        timestamp(s.recorded_at),
        s.reason,
    ])?;
    c.prepare_cached("UPDATE persons SET stage = ?2 WHERE id = ?1")?
        .execute(params![s.person.0.to_string(), s.stage.code()])?;
    c.prepare_cached("UPDATE cases SET stage = ?2 WHERE person_id = ?1")?
        .execute(params![s.person.0.to_string(), s.stage.code()])?;
    Ok(())
}

/// Inserts a support plan through `c`.
pub(crate) fn insert_plan_in(c: &rusqlite::Connection, p: &SupportPlan) -> rusqlite::Result<()> {
    c.prepare_cached(&format!(
        "INSERT INTO support_plans ({PLAN_COLUMNS}, person_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, (SELECT name FROM persons WHERE id = ?3))"
    ))?
    .execute(params![
        p.id.to_string(),
        p.prefecture,
        p.person.0.to_string(),
        p.agency.0.to_string(),
        p.fields.goal,
        p.fields.actions,
        p.fields.owner,
        date(p.fields.review_on),
        p.review_on.map(date),
        p.outcome.map(Outcome::code),
        p.created_by.0.to_string(),
        timestamp(p.created_at),
    ])
    .map(|_| ())
}

/// Records a review of plan `plan` of `person` through `c` and moves the plan's next review (or
/// ends it); `NotFound` if the plan is not the person's or has ended.
pub(crate) fn add_plan_review_in(
    c: &rusqlite::Connection,
    person: PersonId,
    plan: uuid::Uuid,
    review: &PlanReview,
) -> StoreResult<()> {
    let f = &review.fields;
    let moved = c
        .prepare_cached(
            "UPDATE support_plans SET review_on = ?3, outcome = ?4
             WHERE id = ?1 AND person_id = ?2 AND outcome IS NULL",
        )
        .and_then(|mut s| {
            s.execute(params![
                plan.to_string(),
                person.0.to_string(),
                f.next_review_on.map(date),
                (!f.outcome.keeps_plan_open()).then(|| f.outcome.code()),
            ])
        })
        .map_err(db_err)?;
    if moved == 0 {
        return Err(StoreError::NotFound);
    }
    c.prepare_cached(
        "INSERT INTO plan_reviews (id, plan_id, reviewed_on, note, outcome, next_review_on, reviewed_by,
            reviewed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut s| {
        s.execute(params![
            review.id.to_string(),
            plan.to_string(),
            date(review.reviewed_on),
            f.note,
            f.outcome.code(),
            f.next_review_on.map(date),
            review.reviewed_by.0.to_string(),
            timestamp(review.reviewed_at),
        ])
    })
    .map_err(db_err)?;
    Ok(())
}

/// Records a stage change through `c` if the journey still stands at `expected`, else
/// [`StoreError::Conflict`] (`NotFound` without the person).
pub(crate) fn change_stage_in(
    c: &rusqlite::Connection,
    change: &StageChange,
    expected: Option<Stage>,
) -> StoreResult<()> {
    let current: Option<Option<String>> = c
        .prepare_cached("SELECT stage FROM persons WHERE id = ?1")
        .and_then(|mut s| s.query_row([change.person.0.to_string()], |r| r.get(0)).optional())
        .map_err(db_err)?;
    let Some(current) = current else { return Err(StoreError::NotFound) };
    if current.as_deref() != expected.map(Stage::code) {
        return Err(StoreError::Conflict { current: 0 });
    }
    insert_stage_in(c, change).map_err(db_err)
}

/// Marks a follow-up of `person` done through `c`; `NotFound` if there is none open.
pub(crate) fn complete_follow_up_in(
    c: &rusqlite::Connection,
    person: PersonId,
    id: uuid::Uuid,
    on: time::Date,
    by: AccountId,
    note: Option<&str>,
) -> StoreResult<()> {
    let n = c
        .prepare_cached(
            "UPDATE follow_ups SET done_on = ?3, done_by = ?4, note = ?5
             WHERE id = ?1 AND person_id = ?2 AND done_on IS NULL AND closed_on IS NULL",
        )
        .and_then(|mut s| s.execute(params![id.to_string(), person.0.to_string(), date(on), by.0.to_string(), note]))
        .map_err(db_err)?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Opens a done follow-up again through `c` (its date, doer and note cleared).
pub(crate) fn reopen_follow_up_in(c: &rusqlite::Connection, person: PersonId, id: uuid::Uuid) -> StoreResult<()> {
    let n = c
        .prepare_cached(
            "UPDATE follow_ups SET done_on = NULL, done_by = NULL, note = NULL
             WHERE id = ?1 AND person_id = ?2 AND done_on IS NOT NULL",
        )
        .and_then(|mut s| s.execute(params![id.to_string(), person.0.to_string()]))
        .map_err(db_err)?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Closes every follow-up of `person` still open through `c`, on `on`.
pub(crate) fn close_follow_ups_in(c: &rusqlite::Connection, person: PersonId, on: time::Date) -> StoreResult<()> {
    c.prepare_cached(
        "UPDATE follow_ups SET closed_on = ?2 WHERE person_id = ?1 AND done_on IS NULL AND closed_on IS NULL",
    )
    .and_then(|mut s| s.execute(params![person.0.to_string(), date(on)]))
    .map(|_| ())
    .map_err(db_err)
}

#[async_trait]
impl JourneyStore for SqliteStore {
    async fn plans_of(&self, person: PersonId) -> StoreResult<Vec<SupportPlan>> {
        self.query(move |c| plans_in(c, person)).await
    }

    async fn follow_ups_of(&self, person: PersonId) -> StoreResult<Vec<FollowUp>> {
        self.query(move |c| follow_ups_in(c, person)).await
    }

    async fn follow_up_days(&self, agency: AgencyId) -> StoreResult<Option<Vec<u16>>> {
        let raw: Option<String> = self
            .query(move |c| {
                c.prepare_cached("SELECT follow_up_days FROM agency_settings WHERE agency_id = ?1")?
                    .query_row([agency.0.to_string()], |r| r.get(0))
                    .optional()
            })
            .await?;
        raw.map(|r| decode_days(&r)).transpose()
    }

    async fn set_follow_up_days(&self, agency: AgencyId, days: &[u16]) -> StoreResult<()> {
        let encoded = encode_days(days);
        self.query(move |c| {
            c.prepare_cached(
                "INSERT INTO agency_settings (agency_id, follow_up_days) VALUES (?1, ?2)
                 ON CONFLICT (agency_id) DO UPDATE SET follow_up_days = excluded.follow_up_days",
            )?
            .execute(params![agency.0.to_string(), encoded])
            .map(|_| ())
        })
        .await
    }

    async fn journey_of(&self, person: PersonId, limit: u32) -> StoreResult<Journey> {
        // One read transaction, one trip to the blocking pool: one snapshot, and SQLite checks
        // the log for other connections' writes once instead of four times.
        self.query(move |c| {
            let tx = c.transaction()?;
            let journey = Journey {
                stages: stages_in(&tx, person)?,
                records: support_records_in(&tx, person, limit)?,
                follow_ups: follow_ups_in(&tx, person)?,
                plans: plans_in(&tx, person)?,
                placements: crate::placements::placements_in(&tx, person)?,
            };
            tx.commit()?;
            Ok(journey)
        })
        .await
    }

    async fn stages_of(&self, person: PersonId) -> StoreResult<Vec<StageChange>> {
        self.query(move |c| stages_in(c, person)).await
    }

    async fn support_records_of(&self, person: PersonId, limit: u32) -> StoreResult<Vec<SupportRecord>> {
        self.query(move |c| support_records_in(c, person, limit)).await
    }

    async fn placements_of(&self, person: PersonId) -> StoreResult<Vec<tsunagu_domain::placement::Placement>> {
        self.query(move |c| crate::placements::placements_in(c, person)).await
    }

    async fn placements_at(
        &self,
        employer: tsunagu_domain::employer::EmployerId,
    ) -> StoreResult<Vec<tsunagu_domain::placement::Placement>> {
        self.query(move |c| crate::placements::placements_at_in(c, employer)).await
    }
}

const PLAN_COLUMNS: &str = "id, prefecture, person_id, agency_id, goal, actions, owner, first_review_on, review_on, outcome, created_by, \
     created_at";

fn plan_from_row(r: &Row<'_>) -> rusqlite::Result<SupportPlan> {
    let review_on: Option<String> = r.get(8)?;
    let outcome: Option<String> = r.get(9)?;
    Ok(SupportPlan {
        id: parse_uuid(&r.get::<_, String>(0)?)?,
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        fields: PlanFields {
            goal: r.get(4)?,
            actions: r.get(5)?,
            owner: r.get(6)?,
            review_on: parse_date(&r.get::<_, String>(7)?)?,
        },
        review_on: review_on.as_deref().map(parse_date).transpose()?,
        outcome: outcome.as_deref().map(|o| Outcome::parse(o).ok_or_else(|| corrupt("outcome", o))).transpose()?,
        created_by: AccountId(parse_uuid(&r.get::<_, String>(10)?)?),
        created_at: parse_timestamp(&r.get::<_, String>(11)?)?,
        reviews: Vec::new(),
    })
}

fn review_from_row(r: &Row<'_>) -> rusqlite::Result<(uuid::Uuid, PlanReview)> {
    let outcome: String = r.get(4)?;
    let next: Option<String> = r.get(5)?;
    Ok((
        parse_uuid(&r.get::<_, String>(1)?)?,
        PlanReview {
            id: parse_uuid(&r.get::<_, String>(0)?)?,
            reviewed_on: parse_date(&r.get::<_, String>(2)?)?,
            fields: ReviewFields {
                note: r.get(3)?,
                outcome: Outcome::parse(&outcome).ok_or_else(|| corrupt("outcome", &outcome))?,
                next_review_on: next.as_deref().map(parse_date).transpose()?,
            },
            reviewed_by: AccountId(parse_uuid(&r.get::<_, String>(6)?)?),
            reviewed_at: parse_timestamp(&r.get::<_, String>(7)?)?,
        },
    ))
}
