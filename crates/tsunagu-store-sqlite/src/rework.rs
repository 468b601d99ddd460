//! [`ReworkStore`] on SQLite, and the return-to-work changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use time::Date;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::rework::{ReturnPlan, ReturnPlanId};
use tsunagu_store::codec::{decode_return_plan, encode_return_plan};
use tsunagu_store::{ReworkStore, StoreResult};

use crate::consents::date;
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

const PLAN_COLUMNS: &str =
    "r.id, r.prefecture, r.person_id, r.agency_id, r.body, r.recorded_by, r.version, r.updated_at";

fn plan_at(r: &Row<'_>) -> rusqlite::Result<ReturnPlan> {
    Ok(ReturnPlan {
        id: ReturnPlanId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        fields: decode_return_plan(&r.get::<_, String>(4)?).map_err(conv)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(5)?)?),
        version: r.get(6)?,
        updated_at: parse_timestamp(&r.get::<_, String>(7)?)?,
    })
}

/// Adds the plan, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_plan_in(c: &rusqlite::Connection, plan: &ReturnPlan, expected: Option<i64>) -> StoreResult<()> {
    let id = plan.id.0.to_string();
    let body = encode_return_plan(&plan.fields)?;
    let f = &plan.fields;
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO return_plans (id, prefecture, person_id, agency_id, employer_id, starts_on, last_day, body,
                    recorded_by, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    plan.prefecture,
                    plan.person.0.to_string(),
                    plan.agency.0.to_string(),
                    f.employer.0.to_string(),
                    date(f.coordination_began_on),
                    date(plan.listed_until()),
                    body,
                    plan.recorded_by.0.to_string(),
                    plan.version,
                    timestamp(plan.updated_at),
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE return_plans SET employer_id = ?2, starts_on = ?3, last_day = ?4, body = ?5, recorded_by = ?6,
                    version = ?7, updated_at = ?8
                 WHERE id = ?1 AND version = ?9",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    f.employer.0.to_string(),
                    date(f.coordination_began_on),
                    date(plan.listed_until()),
                    body,
                    plan.recorded_by.0.to_string(),
                    plan.version,
                    timestamp(plan.updated_at),
                    expected,
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(versioned_refusal(c, "return_plans", "return plan", &id, expected)) }
}

#[async_trait]
impl ReworkStore for SqliteStore {
    async fn return_plan(&self, id: ReturnPlanId) -> StoreResult<Option<ReturnPlan>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {PLAN_COLUMNS} FROM return_plans r WHERE r.id = ?1"))?
                .query_row([id.0.to_string()], plan_at)
                .optional()
        })
        .await
    }

    async fn return_plans_of_person(&self, person: PersonId) -> StoreResult<Vec<ReturnPlan>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {PLAN_COLUMNS} FROM return_plans r WHERE r.person_id = ?1 ORDER BY r.starts_on DESC, r.id"
            ))?
            .query_map([person.0.to_string()], plan_at)?
            .collect()
        })
        .await
    }

    async fn return_plans_of_agency(&self, agency: AgencyId, since: Date) -> StoreResult<Vec<(ReturnPlan, String)>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {PLAN_COLUMNS}, p.name FROM return_plans r JOIN persons p ON p.id = r.person_id
                 WHERE r.agency_id = ?1 AND r.last_day >= ?2 ORDER BY r.starts_on, r.id"
            ))?
            .query_map([agency.0.to_string(), date(since)], |r| Ok((plan_at(r)?, r.get(8)?)))?
            .collect()
        })
        .await
    }

    async fn every_return_plan(&self) -> StoreResult<Vec<ReturnPlan>> {
        self.query(|c| {
            c.prepare(&format!("SELECT {PLAN_COLUMNS} FROM return_plans r"))?.query_map([], plan_at)?.collect()
        })
        .await
    }
}
