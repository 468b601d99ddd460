//! [`TrialStore`] on PostgreSQL, and the trial changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use time::Date;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::trial::{Trial, TrialId, TrialWeek};
use tsunagu_store::codec::{decode_trial, encode_trial};
use tsunagu_store::{StoreError, StoreResult, TrialStore};

use crate::{PostgresStore, db_err, execute, query, query_opt, versioned_refusal};

const TRIAL_COLUMNS: &str =
    "t.id, t.prefecture, t.person_id, t.agency_id, t.body, t.recorded_by, t.version, t.updated_at";
const WEEK_COLUMNS: &str = "w.trial_id, w.prefecture, w.person_id, w.week_of, w.minutes, w.recorded_by, w.recorded_at";

fn trial_at(r: &Row) -> StoreResult<Trial> {
    let body: &str = r.try_get(4).map_err(db_err)?;
    Ok(Trial {
        id: TrialId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        agency: AgencyId(r.try_get(3).map_err(db_err)?),
        fields: decode_trial(body)?,
        recorded_by: AccountId(r.try_get(5).map_err(db_err)?),
        version: r.try_get(6).map_err(db_err)?,
        updated_at: r.try_get(7).map_err(db_err)?,
    })
}

fn week_at(r: &Row) -> StoreResult<TrialWeek> {
    let minutes: i16 = r.try_get(4).map_err(db_err)?;
    Ok(TrialWeek {
        trial: TrialId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        week_of: r.try_get(3).map_err(db_err)?,
        minutes: u16::try_from(minutes).map_err(|_| StoreError::Backend(format!("minutes {minutes}").into()))?,
        recorded_by: AccountId(r.try_get(5).map_err(db_err)?),
        recorded_at: r.try_get(6).map_err(db_err)?,
    })
}

/// Adds the trial, or replaces it if the stored one is still at version `expected`.
pub(crate) async fn save_trial_in(c: &impl GenericClient, t: &Trial, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_trial(&t.fields)?;
    let grants = i16::try_from(t.fields.grants.len()).map_err(|_| StoreError::Backend("too many grants".into()))?;
    let (course, last_day) = (t.fields.course.code(), t.last_day());
    let written = match expected {
        None => {
            execute(
                c,
                "INSERT INTO trials (id, prefecture, person_id, agency_id, employer_id, course, starts_on, last_day,
                    grants, body, recorded_by, version, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING",
                &[
                    &t.id.0,
                    &t.prefecture,
                    &t.person.0,
                    &t.agency.0,
                    &t.fields.employer.0,
                    &course,
                    &t.fields.starts_on,
                    &last_day,
                    &grants,
                    &body,
                    &t.recorded_by.0,
                    &t.version,
                    &t.updated_at,
                ],
            )
            .await?
        }
        Some(expected) => execute(
            c,
            "UPDATE trials SET employer_id = $3, course = $4, starts_on = $5, last_day = $6, grants = $7, body = $8,
                    recorded_by = $9, version = $10, updated_at = $11
                 WHERE id = $1 AND prefecture = $2 AND version = $12",
            &[
                &t.id.0,
                &t.prefecture,
                &t.fields.employer.0,
                &course,
                &t.fields.starts_on,
                &last_day,
                &grants,
                &body,
                &t.recorded_by.0,
                &t.version,
                &t.updated_at,
                &expected,
            ],
        )
        .await?,
    };
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "trials", "trial", &t.id.0, &t.prefecture, expected).await)
}

/// Logs a week's hours, replacing those logged before for the week. The trial must be the
/// person's.
pub(crate) async fn log_week_in(c: &impl GenericClient, w: &TrialWeek) -> StoreResult<()> {
    let theirs = query_opt(
        c,
        "SELECT 1 FROM trials WHERE id = $1 AND person_id = $2 AND prefecture = $3",
        &[&w.trial.0, &w.person.0, &w.prefecture],
    )
    .await?;
    if theirs.is_none() {
        return Err(StoreError::NotFound);
    }
    let minutes = i16::try_from(w.minutes).map_err(|_| StoreError::Backend("minutes out of range".into()))?;
    execute(
        c,
        "INSERT INTO trial_weeks (trial_id, prefecture, person_id, week_of, minutes, recorded_by, recorded_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (trial_id, week_of) DO UPDATE SET minutes = excluded.minutes,
            recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
        &[&w.trial.0, &w.prefecture, &w.person.0, &w.week_of, &minutes, &w.recorded_by.0, &w.recorded_at],
    )
    .await?;
    Ok(())
}

/// Removes a week of the person's trial.
pub(crate) async fn remove_week_in(
    c: &impl GenericClient,
    prefecture: &str,
    person: PersonId,
    trial: TrialId,
    monday: Date,
) -> StoreResult<()> {
    let removed = execute(
        c,
        "DELETE FROM trial_weeks WHERE trial_id = $1 AND week_of = $2 AND person_id = $3 AND prefecture = $4",
        &[&trial.0, &monday, &person.0, &prefecture],
    )
    .await?;
    if removed == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

#[async_trait]
impl TrialStore for PostgresStore {
    async fn trial(&self, id: TrialId) -> StoreResult<Option<Trial>> {
        let client = self.client().await?;
        let sql = format!("SELECT {TRIAL_COLUMNS} FROM trials t WHERE t.id = $1 AND t.prefecture = $2");
        query_opt(&client, &sql, &[&id.0, &&*self.prefecture]).await?.map(|r| trial_at(&r)).transpose()
    }

    async fn trials_of_person(&self, person: PersonId) -> StoreResult<Vec<Trial>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {TRIAL_COLUMNS} FROM trials t WHERE t.person_id = $1 AND t.prefecture = $2
             ORDER BY t.starts_on DESC, t.id"
        );
        query(&client, &sql, &[&person.0, &&*self.prefecture]).await?.iter().map(trial_at).collect()
    }

    async fn trials_of_agency(&self, agency: AgencyId, since: Date) -> StoreResult<Vec<(Trial, String)>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {TRIAL_COLUMNS}, p.name FROM trials t JOIN persons p ON p.id = t.person_id
             WHERE t.agency_id = $1 AND t.last_day >= $2 AND t.prefecture = $3 AND p.prefecture = $3
             ORDER BY t.starts_on, t.id"
        );
        query(&client, &sql, &[&agency.0, &since, &&*self.prefecture])
            .await?
            .iter()
            .map(|r| Ok((trial_at(r)?, r.try_get(8).map_err(db_err)?)))
            .collect()
    }

    async fn weeks_of_trials(&self, trials: &[TrialId]) -> StoreResult<Vec<TrialWeek>> {
        let client = self.client().await?;
        let ids: Vec<uuid::Uuid> = trials.iter().map(|t| t.0).collect();
        let sql = format!(
            "SELECT {WEEK_COLUMNS} FROM trial_weeks w WHERE w.trial_id = ANY($1) AND w.prefecture = $2
             ORDER BY w.trial_id, w.week_of"
        );
        query(&client, &sql, &[&ids, &&*self.prefecture]).await?.iter().map(week_at).collect()
    }

    async fn granted_trials(&self) -> StoreResult<Vec<Trial>> {
        let client = self.client().await?;
        let sql = format!("SELECT {TRIAL_COLUMNS} FROM trials t WHERE t.grants > 0 AND t.prefecture = $1");
        query(&client, &sql, &[&&*self.prefecture]).await?.iter().map(trial_at).collect()
    }
}
