//! [`ReworkStore`] on PostgreSQL, and the return-to-work changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use time::Date;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::rework::{ReturnPlan, ReturnPlanId};
use tsunagu_store::codec::{decode_return_plan, encode_return_plan};
use tsunagu_store::{ReworkStore, StoreResult};

use crate::{PostgresStore, db_err, execute, query, query_opt, versioned_refusal};

const PLAN_COLUMNS: &str =
    "r.id, r.prefecture, r.person_id, r.agency_id, r.body, r.recorded_by, r.version, r.updated_at";

fn plan_at(r: &Row) -> StoreResult<ReturnPlan> {
    let body: &str = r.try_get(4).map_err(db_err)?;
    Ok(ReturnPlan {
        id: ReturnPlanId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        agency: AgencyId(r.try_get(3).map_err(db_err)?),
        fields: decode_return_plan(body)?,
        recorded_by: AccountId(r.try_get(5).map_err(db_err)?),
        version: r.try_get(6).map_err(db_err)?,
        updated_at: r.try_get(7).map_err(db_err)?,
    })
}

/// Adds the plan, or replaces it if the stored one is still at version `expected`.
pub(crate) async fn save_plan_in(c: &impl GenericClient, plan: &ReturnPlan, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_return_plan(&plan.fields)?;
    let f = &plan.fields;
    let last_day = plan.listed_until();
    let written = match expected {
        None => execute(
            c,
            "INSERT INTO return_plans (id, prefecture, person_id, agency_id, employer_id, starts_on, last_day, body,
                    recorded_by, version, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (id) DO NOTHING",
            &[
                &plan.id.0,
                &plan.prefecture,
                &plan.person.0,
                &plan.agency.0,
                &f.employer.0,
                &f.coordination_began_on,
                &last_day,
                &body,
                &plan.recorded_by.0,
                &plan.version,
                &plan.updated_at,
            ],
        )
        .await?,
        Some(expected) => {
            execute(
                c,
                "UPDATE return_plans SET employer_id = $3, starts_on = $4, last_day = $5, body = $6, recorded_by = $7,
                    version = $8, updated_at = $9
                 WHERE id = $1 AND prefecture = $2 AND version = $10",
                &[
                    &plan.id.0,
                    &plan.prefecture,
                    &f.employer.0,
                    &f.coordination_began_on,
                    &last_day,
                    &body,
                    &plan.recorded_by.0,
                    &plan.version,
                    &plan.updated_at,
                    &expected,
                ],
            )
            .await?
        }
    };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "return_plans", "return plan", &plan.id.0, &plan.prefecture, expected).await)
}

#[async_trait]
impl ReworkStore for PostgresStore {
    async fn return_plan(&self, id: ReturnPlanId) -> StoreResult<Option<ReturnPlan>> {
        let client = self.client().await?;
        let sql = format!("SELECT {PLAN_COLUMNS} FROM return_plans r WHERE r.id = $1 AND r.prefecture = $2");
        query_opt(&client, &sql, &[&id.0, &&*self.prefecture]).await?.map(|r| plan_at(&r)).transpose()
    }

    async fn return_plans_of_person(&self, person: PersonId) -> StoreResult<Vec<ReturnPlan>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {PLAN_COLUMNS} FROM return_plans r WHERE r.person_id = $1 AND r.prefecture = $2
             ORDER BY r.starts_on DESC, r.id"
        );
        query(&client, &sql, &[&person.0, &&*self.prefecture]).await?.iter().map(plan_at).collect()
    }

    async fn return_plans_of_agency(&self, agency: AgencyId, since: Date) -> StoreResult<Vec<(ReturnPlan, String)>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {PLAN_COLUMNS}, p.name FROM return_plans r JOIN persons p ON p.id = r.person_id
             WHERE r.agency_id = $1 AND r.last_day >= $2 AND r.prefecture = $3 AND p.prefecture = $3
             ORDER BY r.starts_on, r.id"
        );
        query(&client, &sql, &[&agency.0, &since, &&*self.prefecture])
            .await?
            .iter()
            .map(|r| Ok((plan_at(r)?, r.try_get(8).map_err(db_err)?)))
            .collect()
    }

    async fn every_return_plan(&self) -> StoreResult<Vec<ReturnPlan>> {
        let client = self.client().await?;
        let sql = format!("SELECT {PLAN_COLUMNS} FROM return_plans r WHERE r.prefecture = $1");
        query(&client, &sql, &[&&*self.prefecture]).await?.iter().map(plan_at).collect()
    }
}
