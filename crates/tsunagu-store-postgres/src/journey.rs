//! [`JourneyStore`] on PostgreSQL.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::journey::{FollowUp, StageChange, SupportRecord};
use tsunagu_domain::journey::{Stage, SupportFields, SupportKind};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::plan::{Outcome, PlanFields, ReviewFields};
use tsunagu_domain::plan::{PlanReview, SupportPlan};
use tsunagu_store::codec::{decode_days, encode_days};
use tsunagu_store::{DueAction, Journey, JourneyStore, StoreError, StoreResult};

use crate::{PostgresStore, db_err, execute, query, query_opt};

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Backend(format!("unreadable stored {what}: {value:?}").into())
}

pub(crate) fn parse_stage(raw: &str) -> StoreResult<Stage> {
    Stage::parse(raw).ok_or_else(|| corrupt("stage", raw))
}

fn stage_from_row(r: &Row) -> StoreResult<StageChange> {
    Ok(StageChange {
        id: r.try_get(0).map_err(db_err)?,
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        stage: parse_stage(r.try_get(3).map_err(db_err)?)?,
        on: r.try_get(4).map_err(db_err)?,
        agency: AgencyId(r.try_get(5).map_err(db_err)?),
        recorded_by: AccountId(r.try_get(6).map_err(db_err)?),
        recorded_at: r.try_get(7).map_err(db_err)?,
        reason: r.try_get(8).map_err(db_err)?,
    })
}

const FOLLOW_UP_COLUMNS: &str =
    "id, prefecture, person_id, agency_id, placed_on, due_on, done_on, done_by, note, closed_on";

fn follow_up_from_row(r: &Row) -> StoreResult<FollowUp> {
    let done_on: Option<time::Date> = r.try_get(6).map_err(db_err)?;
    let done_by: Option<uuid::Uuid> = r.try_get(7).map_err(db_err)?;
    Ok(FollowUp {
        id: r.try_get(0).map_err(db_err)?,
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        agency: AgencyId(r.try_get(3).map_err(db_err)?),
        placed_on: r.try_get(4).map_err(db_err)?,
        due_on: r.try_get(5).map_err(db_err)?,
        done: done_on.zip(done_by.map(AccountId)),
        note: r.try_get(8).map_err(db_err)?,
        closed_on: r.try_get(9).map_err(db_err)?,
    })
}

/// Inserts follow-ups through `c`.
pub(crate) async fn insert_follow_ups_in(c: &impl GenericClient, follow_ups: &[FollowUp]) -> StoreResult<()> {
    for f in follow_ups {
        execute(
            c,
            "INSERT INTO follow_ups (id, prefecture, person_id, agency_id, placed_on, due_on, done_on, done_by,
                note, closed_on, person_name)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
                (SELECT name FROM persons WHERE id = $3 AND prefecture = $2))",
            &[
                &f.id,
                &f.prefecture,
                &f.person.0,
                &f.agency.0,
                &f.placed_on,
                &f.due_on,
                &f.done.map(|(on, _)| on),
                &f.done.map(|(_, by)| by.0),
                &f.note,
                &f.closed_on,
            ],
        )
        .await?;
    }
    Ok(())
}

const SUPPORT_COLUMNS: &str = "id, prefecture, person_id, agency_id, staff_id, staff_name, kind, on_date, minutes, \
     note, next_action, next_action_on, recorded_at";

/// Runs one of the due lists' queries: `$1` the agency, `$2` the last day, `$3` the limit.
async fn due_rows(
    c: &impl GenericClient,
    sql: &str,
    prefecture: &str,
    agency: AgencyId,
    until: time::Date,
    limit: u32,
) -> StoreResult<Vec<Row>> {
    query(c, sql, &[&agency.0, &until, &i64::from(limit), &prefecture]).await
}

/// The next actions of an agency's open cases due by `until`, earliest first.
pub(crate) async fn due_actions_in(
    c: &impl GenericClient,
    prefecture: &str,
    agency: AgencyId,
    until: time::Date,
    limit: u32,
) -> StoreResult<Vec<DueAction>> {
    let sql = "SELECT person_id, name, next_action, next_action_on FROM cases
        WHERE agency_id = $1 AND prefecture = $4 AND closed_on IS NULL AND next_action_on IS NOT NULL
          AND next_action_on <= $2
        ORDER BY next_action_on LIMIT $3";
    due_rows(c, sql, prefecture, agency, until, limit)
        .await?
        .iter()
        .map(|r| {
            Ok(DueAction {
                person: PersonId(r.try_get(0).map_err(db_err)?),
                name: r.try_get(1).map_err(db_err)?,
                action: r.try_get::<_, Option<String>>(2).map_err(db_err)?.unwrap_or_default(),
                due_on: r.try_get(3).map_err(db_err)?,
            })
        })
        .collect()
}

/// An agency's open follow-ups due by `until`, earliest first, with the person's name: read from
/// the covering index alone (an open follow-up has no `done_on`, `done_by`, note or `closed_on`).
pub(crate) async fn due_follow_ups_in(
    c: &impl GenericClient,
    prefecture: &str,
    agency: AgencyId,
    until: time::Date,
    limit: u32,
) -> StoreResult<Vec<(FollowUp, String)>> {
    let sql = "SELECT id, prefecture, person_id, agency_id, placed_on, due_on, NULL::date, NULL::uuid, NULL::text,
            NULL::date, person_name
        FROM follow_ups WHERE agency_id = $1 AND prefecture = $4 AND done_on IS NULL AND closed_on IS NULL
            AND due_on <= $2
        ORDER BY due_on LIMIT $3";
    due_rows(c, sql, prefecture, agency, until, limit)
        .await?
        .iter()
        .map(|r| Ok((follow_up_from_row(r)?, r.try_get(10).map_err(db_err)?)))
        .collect()
}

/// An agency's open plans whose review falls due by `until`, earliest first, with the person's
/// name.
pub(crate) async fn due_plan_reviews_in(
    c: &impl GenericClient,
    prefecture: &str,
    agency: AgencyId,
    until: time::Date,
    limit: u32,
) -> StoreResult<Vec<(SupportPlan, String)>> {
    let sql = format!(
        "SELECT {PLAN_COLUMNS}, person_name FROM support_plans
         WHERE agency_id = $1 AND prefecture = $4 AND review_on IS NOT NULL AND review_on <= $2
         ORDER BY review_on LIMIT $3"
    );
    due_rows(c, &sql, prefecture, agency, until, limit)
        .await?
        .iter()
        .map(|r| Ok((plan_from_row(r)?, r.try_get(12).map_err(db_err)?)))
        .collect()
}

fn support_from_row(r: &Row) -> StoreResult<SupportRecord> {
    let kind: &str = r.try_get(6).map_err(db_err)?;
    let minutes: i32 = r.try_get(8).map_err(db_err)?;
    Ok(SupportRecord {
        id: r.try_get(0).map_err(db_err)?,
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        agency: AgencyId(r.try_get(3).map_err(db_err)?),
        staff: AccountId(r.try_get(4).map_err(db_err)?),
        staff_name: r.try_get(5).map_err(db_err)?,
        fields: SupportFields {
            kind: SupportKind::parse(kind).ok_or_else(|| corrupt("support kind", kind))?,
            date: r.try_get(7).map_err(db_err)?,
            minutes: u32::try_from(minutes).map_err(|_| corrupt("minutes", &minutes.to_string()))?,
            note: r.try_get(9).map_err(db_err)?,
            next_action: r.try_get(10).map_err(db_err)?,
            next_action_on: r.try_get(11).map_err(db_err)?,
        },
        recorded_at: r.try_get(12).map_err(db_err)?,
    })
}

/// Inserts support records through `c`.
pub(crate) async fn insert_support_in(c: &impl GenericClient, records: &[SupportRecord]) -> StoreResult<()> {
    let stmt = c
        .prepare_cached(&format!(
            "INSERT INTO support_records ({SUPPORT_COLUMNS})
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)"
        ))
        .await
        .map_err(db_err)?;
    let case = c
        .prepare_cached(
            "UPDATE cases SET last_contact_on = $3, next_action = $4, next_action_on = $5
             WHERE person_id = $1 AND agency_id = $2 AND prefecture = $6 AND closed_on IS NULL
               AND (last_contact_on IS NULL OR last_contact_on <= $3)",
        )
        .await
        .map_err(db_err)?;
    for s in records {
        let f = &s.fields;
        let minutes = i32::try_from(f.minutes).unwrap_or(i32::MAX);
        let kind = f.kind.code();
        let case_params: [&(dyn ToSql + Sync); 6] =
            [&s.person.0, &s.agency.0, &f.date, &f.next_action, &f.next_action_on, &s.prefecture];
        let record_params: [&(dyn ToSql + Sync); 13] = [
            &s.id,
            &s.prefecture,
            &s.person.0,
            &s.agency.0,
            &s.staff.0,
            &s.staff_name,
            &kind,
            &f.date,
            &minutes,
            &f.note,
            &f.next_action,
            &f.next_action_on,
            &s.recorded_at,
        ];
        // The two are independent: sent together, one round trip.
        let update = c.execute(&case, &case_params);
        let insert = c.execute(&stmt, &record_params);
        futures_util::try_join!(update, insert).map_err(db_err)?;
    }
    Ok(())
}

/// Rows a bulk statement carries at most.
const BULK_ROWS: usize = 10_000;

/// Inserts support records in bulk through `c` (demo data): one statement a chunk, then each
/// case's latest contact and next action from its latest record, as [`insert_support_in`] moves
/// them record by record.
pub(crate) async fn insert_support_bulk(c: &impl GenericClient, records: &[SupportRecord]) -> StoreResult<()> {
    for chunk in records.chunks(BULK_ROWS) {
        let column = |f: &dyn Fn(&SupportRecord) -> String| chunk.iter().map(f).collect::<Vec<String>>();
        let ids: Vec<uuid::Uuid> = chunk.iter().map(|r| r.id).collect();
        let persons: Vec<uuid::Uuid> = chunk.iter().map(|r| r.person.0).collect();
        let agencies: Vec<uuid::Uuid> = chunk.iter().map(|r| r.agency.0).collect();
        let staff: Vec<uuid::Uuid> = chunk.iter().map(|r| r.staff.0).collect();
        let dates: Vec<time::Date> = chunk.iter().map(|r| r.fields.date).collect();
        let minutes: Vec<i32> = chunk.iter().map(|r| i32::try_from(r.fields.minutes).unwrap_or(i32::MAX)).collect();
        let next: Vec<Option<String>> = chunk.iter().map(|r| r.fields.next_action.clone()).collect();
        let next_on: Vec<Option<time::Date>> = chunk.iter().map(|r| r.fields.next_action_on).collect();
        let at: Vec<time::OffsetDateTime> = chunk.iter().map(|r| r.recorded_at).collect();
        execute(
            c,
            &format!(
                "INSERT INTO support_records ({SUPPORT_COLUMNS})
                 SELECT * FROM UNNEST($1::UUID[], $2::TEXT[], $3::UUID[], $4::UUID[], $5::UUID[], $6::TEXT[],
                    $7::TEXT[], $8::DATE[], $9::INT[], $10::TEXT[], $11::TEXT[], $12::DATE[], $13::TIMESTAMPTZ[])"
            ),
            &[
                &ids,
                &column(&|r| r.prefecture.clone()),
                &persons,
                &agencies,
                &staff,
                &column(&|r| r.staff_name.clone()),
                &column(&|r| r.fields.kind.code().to_owned()),
                &dates,
                &minutes,
                &column(&|r| r.fields.note.clone()),
                &next,
                &next_on,
                &at,
            ],
        )
        .await?;
    }
    // Each case's latest record of the batch, found here rather than read back from the table
    // (which, freshly loaded and without statistics, the planner would scan whole every batch).
    let mut latest: std::collections::HashMap<(uuid::Uuid, uuid::Uuid), &SupportRecord> =
        std::collections::HashMap::new();
    for r in records {
        let key = (r.person.0, r.agency.0);
        let newer = |held: &&SupportRecord| (r.fields.date, r.recorded_at) >= (held.fields.date, held.recorded_at);
        if latest.get(&key).is_none_or(newer) {
            latest.insert(key, r);
        }
    }
    let latest: Vec<&SupportRecord> = latest.into_values().collect();
    let persons: Vec<uuid::Uuid> = latest.iter().map(|r| r.person.0).collect();
    let agencies: Vec<uuid::Uuid> = latest.iter().map(|r| r.agency.0).collect();
    let dates: Vec<time::Date> = latest.iter().map(|r| r.fields.date).collect();
    let next: Vec<Option<String>> = latest.iter().map(|r| r.fields.next_action.clone()).collect();
    let next_on: Vec<Option<time::Date>> = latest.iter().map(|r| r.fields.next_action_on).collect();
    let prefectures: Vec<&str> = latest.iter().map(|r| r.prefecture.as_str()).collect();
    execute(
        c,
        "UPDATE cases c SET last_contact_on = l.on_date, next_action = l.next_action, next_action_on = l.next_action_on
         FROM UNNEST($1::UUID[], $2::UUID[], $3::DATE[], $4::TEXT[], $5::DATE[], $6::TEXT[])
              AS l(person_id, agency_id, on_date, next_action, next_action_on, prefecture)
         WHERE c.person_id = l.person_id AND c.agency_id = l.agency_id AND c.prefecture = l.prefecture
           AND c.closed_on IS NULL AND (c.last_contact_on IS NULL OR c.last_contact_on <= l.on_date)",
        &[&persons, &agencies, &dates, &next, &next_on, &prefectures],
    )
    .await?;
    Ok(())
}

/// Inserts stage changes in bulk through `c` (demo data), then moves each person's current
/// stage (and their cases') to their last change in `changes`' order, as [`insert_stage_in`]
/// does change by change.
pub(crate) async fn insert_stages_bulk(c: &impl GenericClient, changes: &[StageChange]) -> StoreResult<()> {
    for chunk in changes.chunks(BULK_ROWS) {
        let column = |f: &dyn Fn(&StageChange) -> String| chunk.iter().map(f).collect::<Vec<String>>();
        let ids: Vec<uuid::Uuid> = chunk.iter().map(|s| s.id).collect();
        let persons: Vec<uuid::Uuid> = chunk.iter().map(|s| s.person.0).collect();
        let dates: Vec<time::Date> = chunk.iter().map(|s| s.on).collect();
        let agencies: Vec<uuid::Uuid> = chunk.iter().map(|s| s.agency.0).collect();
        let by: Vec<uuid::Uuid> = chunk.iter().map(|s| s.recorded_by.0).collect();
        let at: Vec<time::OffsetDateTime> = chunk.iter().map(|s| s.recorded_at).collect();
        execute(
            c,
            "INSERT INTO stage_changes (id, prefecture, person_id, stage, on_date, agency_id, recorded_by, recorded_at,
                reason)
             SELECT * FROM UNNEST($1::UUID[], $2::TEXT[], $3::UUID[], $4::TEXT[], $5::DATE[], $6::UUID[], $7::UUID[],
                $8::TIMESTAMPTZ[], $9::TEXT[])",
            &[
                &ids,
                &column(&|s| s.prefecture.clone()),
                &persons,
                &column(&|s| s.stage.code().to_owned()),
                &dates,
                &agencies,
                &by,
                &at,
                &column(&|s| s.reason.clone()),
            ],
        )
        .await?;
    }
    let persons: Vec<uuid::Uuid> = changes.iter().map(|s| s.person.0).collect();
    let stages: Vec<String> = changes.iter().map(|s| s.stage.code().to_owned()).collect();
    let prefectures: Vec<&str> = changes.iter().map(|s| s.prefecture.as_str()).collect();
    let last = "SELECT DISTINCT ON (person) person, stage, prefecture
                FROM UNNEST($1::UUID[], $2::TEXT[], $3::TEXT[]) WITH ORDINALITY AS s(person, stage, prefecture, ord)
                ORDER BY person, ord DESC";
    execute(
        c,
        &format!(
            "UPDATE persons p SET stage = l.stage FROM ({last}) l WHERE p.id = l.person AND p.prefecture = l.prefecture"
        ),
        &[&persons, &stages, &prefectures],
    )
    .await?;
    execute(
        c,
        &format!(
            "UPDATE cases c SET stage = l.stage FROM ({last}) l
             WHERE c.person_id = l.person AND c.prefecture = l.prefecture"
        ),
        &[&persons, &stages, &prefectures],
    )
    .await?;
    Ok(())
}

/// Inserts a stage change and moves the person's current stage, through `c`.
pub(crate) async fn insert_stage_in(c: &impl GenericClient, s: &StageChange) -> StoreResult<()> {
    execute(
        c,
        "INSERT INTO stage_changes (id, prefecture, person_id, stage, on_date, agency_id, recorded_by, recorded_at,
            reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &s.id,
            &s.prefecture,
            &s.person.0,
            &s.stage.code(),
            &s.on,
            &s.agency.0,
            &s.recorded_by.0,
            &s.recorded_at,
            &s.reason,
        ],
    )
    .await?;
    let key: [&(dyn ToSql + Sync); 3] = [&s.person.0, &s.stage.code(), &s.prefecture];
    execute(c, "UPDATE persons SET stage = $2 WHERE id = $1 AND prefecture = $3", &key).await?;
    execute(c, "UPDATE cases SET stage = $2 WHERE person_id = $1 AND prefecture = $3", &key).await?;
    Ok(())
}

/// Inserts a support plan through `c`.
pub(crate) async fn insert_plan_in(c: &impl GenericClient, p: &SupportPlan) -> StoreResult<()> {
    execute(
        c,
        &format!(
            "INSERT INTO support_plans ({PLAN_COLUMNS}, person_name)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12,
                (SELECT name FROM persons WHERE id = $3 AND prefecture = $2))"
        ),
        &[
            &p.id,
            &p.prefecture,
            &p.person.0,
            &p.agency.0,
            &p.fields.goal,
            &p.fields.actions,
            &p.fields.owner,
            &p.fields.review_on,
            &p.review_on,
            &p.outcome.map(Outcome::code),
            &p.created_by.0,
            &p.created_at,
        ],
    )
    .await?;
    Ok(())
}

/// Records a review of plan `plan` of `person` through `c` and moves the plan's next review (or
/// ends it); `NotFound` if the plan is not the person's or has ended.
pub(crate) async fn add_plan_review_in(
    c: &impl GenericClient,
    prefecture: &str,
    person: PersonId,
    plan: uuid::Uuid,
    review: &PlanReview,
) -> StoreResult<()> {
    let f = &review.fields;
    let moved = execute(
        c,
        "UPDATE support_plans SET review_on = $3, outcome = $4
             WHERE id = $1 AND person_id = $2 AND prefecture = $5 AND outcome IS NULL",
        &[&plan, &person.0, &f.next_review_on, &(!f.outcome.keeps_plan_open()).then(|| f.outcome.code()), &prefecture],
    )
    .await?;
    if moved == 0 {
        return Err(StoreError::NotFound);
    }
    execute(
        c,
        "INSERT INTO plan_reviews (id, plan_id, reviewed_on, note, outcome, next_review_on, reviewed_by, reviewed_at,
            prefecture) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &review.id,
            &plan,
            &review.reviewed_on,
            &f.note,
            &f.outcome.code(),
            &f.next_review_on,
            &review.reviewed_by.0,
            &review.reviewed_at,
            &prefecture,
        ],
    )
    .await?;
    Ok(())
}

/// Records a stage change through `c` if the journey still stands at `expected`, else
/// [`StoreError::Conflict`] (`NotFound` without the person).
pub(crate) async fn change_stage_in(
    c: &impl GenericClient,
    change: &StageChange,
    expected: Option<Stage>,
) -> StoreResult<()> {
    let row = c
        .query_opt(
            "SELECT stage FROM persons WHERE id = $1 AND prefecture = $2 FOR UPDATE",
            &[&change.person.0, &change.prefecture],
        )
        .await
        .map_err(db_err)?;
    let Some(row) = row else { return Err(StoreError::NotFound) };
    let current: Option<&str> = row.try_get(0).map_err(db_err)?;
    if current != expected.map(Stage::code) {
        return Err(StoreError::Conflict { current: 0 });
    }
    insert_stage_in(c, change).await
}

/// Marks a follow-up of `person` done through `c`; `NotFound` if there is none open.
pub(crate) async fn complete_follow_up_in(
    c: &impl GenericClient,
    prefecture: &str,
    person: PersonId,
    id: uuid::Uuid,
    on: time::Date,
    by: AccountId,
    note: Option<&str>,
) -> StoreResult<()> {
    let n = execute(
        c,
        "UPDATE follow_ups SET done_on = $3, done_by = $4, note = $6
         WHERE id = $1 AND person_id = $2 AND prefecture = $5 AND done_on IS NULL AND closed_on IS NULL",
        &[&id, &person.0, &on, &by.0, &prefecture, &note],
    )
    .await?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Opens a done follow-up again through `c` (its date, doer and note cleared).
pub(crate) async fn reopen_follow_up_in(
    c: &impl GenericClient,
    prefecture: &str,
    person: PersonId,
    id: uuid::Uuid,
) -> StoreResult<()> {
    let n = execute(
        c,
        "UPDATE follow_ups SET done_on = NULL, done_by = NULL, note = NULL
         WHERE id = $1 AND person_id = $2 AND prefecture = $3 AND done_on IS NOT NULL",
        &[&id, &person.0, &prefecture],
    )
    .await?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Closes every follow-up of `person` still open through `c`, on `on`.
pub(crate) async fn close_follow_ups_in(
    c: &impl GenericClient,
    prefecture: &str,
    person: PersonId,
    on: time::Date,
) -> StoreResult<()> {
    execute(
        c,
        "UPDATE follow_ups SET closed_on = $2
         WHERE person_id = $1 AND prefecture = $3 AND done_on IS NULL AND closed_on IS NULL",
        &[&person.0, &on, &prefecture],
    )
    .await
    .map(|_| ())
}

/// A person's plans with their reviews, newest first: the two reads pipelined.
async fn plans_in(c: &impl GenericClient, prefecture: &str, person: PersonId) -> StoreResult<Vec<SupportPlan>> {
    let plans_sql = format!(
        "SELECT {PLAN_COLUMNS} FROM support_plans WHERE person_id = $1 AND prefecture = $2 ORDER BY created_at DESC, id"
    );
    let by_person: &[&(dyn ToSql + Sync)] = &[&person.0, &prefecture];
    let (plans, rows) = futures_util::try_join!(
        query(c, &plans_sql, by_person),
        query(
            c,
            "SELECT r.id, r.plan_id, r.reviewed_on, r.note, r.outcome, r.next_review_on, r.reviewed_by, r.reviewed_at
             FROM plan_reviews r JOIN support_plans p ON p.id = r.plan_id AND p.prefecture = r.prefecture
             WHERE p.person_id = $1 AND r.prefecture = $2 ORDER BY r.reviewed_at, r.id",
            by_person,
        ),
    )?;
    let mut plans: Vec<SupportPlan> = plans.iter().map(plan_from_row).collect::<StoreResult<_>>()?;
    for r in rows {
        let plan_id: uuid::Uuid = r.try_get(1).map_err(db_err)?;
        let outcome: &str = r.try_get(4).map_err(db_err)?;
        let review = PlanReview {
            id: r.try_get(0).map_err(db_err)?,
            reviewed_on: r.try_get(2).map_err(db_err)?,
            fields: ReviewFields {
                note: r.try_get(3).map_err(db_err)?,
                outcome: Outcome::parse(outcome).ok_or_else(|| corrupt("outcome", outcome))?,
                next_review_on: r.try_get(5).map_err(db_err)?,
            },
            reviewed_by: AccountId(r.try_get(6).map_err(db_err)?),
            reviewed_at: r.try_get(7).map_err(db_err)?,
        };
        if let Some(plan) = plans.iter_mut().find(|p| p.id == plan_id) {
            plan.reviews.push(review);
        }
    }
    Ok(plans)
}

async fn follow_ups_in(c: &impl GenericClient, prefecture: &str, person: PersonId) -> StoreResult<Vec<FollowUp>> {
    let sql = format!(
        "SELECT {FOLLOW_UP_COLUMNS} FROM follow_ups WHERE person_id = $1 AND prefecture = $2 ORDER BY due_on, id"
    );
    query(c, &sql, &[&person.0, &prefecture]).await?.iter().map(follow_up_from_row).collect()
}

async fn stages_in(c: &impl GenericClient, prefecture: &str, person: PersonId) -> StoreResult<Vec<StageChange>> {
    query(
        c,
        "SELECT id, prefecture, person_id, stage, on_date, agency_id, recorded_by, recorded_at, reason
         FROM stage_changes WHERE person_id = $1 AND prefecture = $2 ORDER BY recorded_at, id",
        &[&person.0, &prefecture],
    )
    .await?
    .iter()
    .map(stage_from_row)
    .collect()
}

async fn support_records_in(
    c: &impl GenericClient,
    prefecture: &str,
    person: PersonId,
    limit: u32,
) -> StoreResult<Vec<SupportRecord>> {
    let sql = format!(
        "SELECT {SUPPORT_COLUMNS} FROM support_records WHERE person_id = $1 AND prefecture = $3
         ORDER BY on_date DESC, recorded_at DESC LIMIT $2"
    );
    query(c, &sql, &[&person.0, &i64::from(limit), &prefecture]).await?.iter().map(support_from_row).collect()
}

#[async_trait]
impl JourneyStore for PostgresStore {
    async fn journey_of(&self, person: PersonId, limit: u32) -> StoreResult<Journey> {
        // The four parts on one connection, pipelined: one round trip.
        let client = self.client().await?;
        let prefecture: &str = &self.prefecture;
        let (stages, records, follow_ups, plans, placements) = futures_util::try_join!(
            stages_in(&client, prefecture, person),
            support_records_in(&client, prefecture, person, limit),
            follow_ups_in(&client, prefecture, person),
            plans_in(&client, prefecture, person),
            crate::placements::placements_in(&client, prefecture, person),
        )?;
        Ok(Journey { stages, records, follow_ups, plans, placements })
    }

    async fn plans_of(&self, person: PersonId) -> StoreResult<Vec<SupportPlan>> {
        plans_in(&self.client().await?, &self.prefecture, person).await
    }

    async fn follow_ups_of(&self, person: PersonId) -> StoreResult<Vec<FollowUp>> {
        follow_ups_in(&self.client().await?, &self.prefecture, person).await
    }

    async fn placements_of(&self, person: PersonId) -> StoreResult<Vec<tsunagu_domain::placement::Placement>> {
        crate::placements::placements_in(&self.client().await?, &self.prefecture, person).await
    }

    async fn placements_at(
        &self,
        employer: tsunagu_domain::employer::EmployerId,
    ) -> StoreResult<Vec<tsunagu_domain::placement::Placement>> {
        crate::placements::placements_at_in(&self.client().await?, &self.prefecture, employer).await
    }

    async fn follow_up_days(&self, agency: AgencyId) -> StoreResult<Option<Vec<u16>>> {
        let row = query_opt(
            &self.client().await?,
            "SELECT follow_up_days FROM agency_settings WHERE agency_id = $1",
            &[&agency.0],
        )
        .await?;
        row.map(|r| r.try_get::<_, String>(0).map_err(db_err).and_then(|raw| decode_days(&raw))).transpose()
    }

    async fn set_follow_up_days(&self, agency: AgencyId, days: &[u16]) -> StoreResult<()> {
        self.client()
            .await?
            .execute(
                "INSERT INTO agency_settings (agency_id, follow_up_days) VALUES ($1, $2)
                 ON CONFLICT (agency_id) DO UPDATE SET follow_up_days = excluded.follow_up_days",
                &[&agency.0, &encode_days(days)],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }

    async fn stages_of(&self, person: PersonId) -> StoreResult<Vec<StageChange>> {
        stages_in(&self.client().await?, &self.prefecture, person).await
    }

    async fn support_records_of(&self, person: PersonId, limit: u32) -> StoreResult<Vec<SupportRecord>> {
        support_records_in(&self.client().await?, &self.prefecture, person, limit).await
    }
}

const PLAN_COLUMNS: &str = "id, prefecture, person_id, agency_id, goal, actions, owner, first_review_on, review_on, outcome, created_by, \
     created_at";

fn plan_from_row(r: &Row) -> StoreResult<SupportPlan> {
    let outcome: Option<&str> = r.try_get(9).map_err(db_err)?;
    Ok(SupportPlan {
        id: r.try_get(0).map_err(db_err)?,
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        agency: AgencyId(r.try_get(3).map_err(db_err)?),
        fields: PlanFields {
            goal: r.try_get(4).map_err(db_err)?,
            actions: r.try_get(5).map_err(db_err)?,
            owner: r.try_get(6).map_err(db_err)?,
            review_on: r.try_get(7).map_err(db_err)?,
        },
        review_on: r.try_get(8).map_err(db_err)?,
        outcome: outcome.map(|o| Outcome::parse(o).ok_or_else(|| corrupt("outcome", o))).transpose()?,
        created_by: AccountId(r.try_get(10).map_err(db_err)?),
        created_at: r.try_get(11).map_err(db_err)?,
        reviews: Vec::new(),
    })
}
