//! [`TrialStore`] on SQLite, and the trial changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use time::Date;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::trial::{Trial, TrialId, TrialWeek};
use tsunagu_store::codec::{decode_trial, encode_trial};
use tsunagu_store::{StoreError, StoreResult, TrialStore};

use crate::consents::{date, parse_date};
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

const TRIAL_COLUMNS: &str =
    "t.id, t.prefecture, t.person_id, t.agency_id, t.body, t.recorded_by, t.version, t.updated_at";
const WEEK_COLUMNS: &str = "trial_id, prefecture, person_id, week_of, minutes, recorded_by, recorded_at";

fn trial_at(r: &Row<'_>) -> rusqlite::Result<Trial> {
    Ok(Trial {
        id: TrialId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        fields: decode_trial(&r.get::<_, String>(4)?).map_err(conv)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(5)?)?),
        version: r.get(6)?,
        updated_at: parse_timestamp(&r.get::<_, String>(7)?)?,
    })
}

fn week_at(r: &Row<'_>) -> rusqlite::Result<TrialWeek> {
    Ok(TrialWeek {
        trial: TrialId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        week_of: parse_date(&r.get::<_, String>(3)?)?,
        minutes: r.get(4)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(5)?)?),
        recorded_at: parse_timestamp(&r.get::<_, String>(6)?)?,
    })
}

/// Adds the trial, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_trial_in(c: &rusqlite::Connection, t: &Trial, expected: Option<i64>) -> StoreResult<()> {
    let id = t.id.0.to_string();
    let body = encode_trial(&t.fields)?;
    let grants = t.fields.grants.len() as i64;
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO trials (id, prefecture, person_id, agency_id, employer_id, course, starts_on, last_day,
                    grants, body, recorded_by, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    t.prefecture,
                    t.person.0.to_string(),
                    t.agency.0.to_string(),
                    t.fields.employer.0.to_string(),
                    t.fields.course.code(),
                    date(t.fields.starts_on),
                    date(t.last_day()),
                    grants,
                    body,
                    t.recorded_by.0.to_string(),
                    t.version,
                    timestamp(t.updated_at),
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE trials SET employer_id = ?2, course = ?3, starts_on = ?4, last_day = ?5, grants = ?6, body = ?7,
                    recorded_by = ?8, version = ?9, updated_at = ?10
                 WHERE id = ?1 AND version = ?11",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    t.fields.employer.0.to_string(),
                    t.fields.course.code(),
                    date(t.fields.starts_on),
                    date(t.last_day()),
                    grants,
                    body,
                    t.recorded_by.0.to_string(),
                    t.version,
                    timestamp(t.updated_at),
                    expected,
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(versioned_refusal(c, "trials", "trial", &id, expected)) }
}

/// Logs a week's hours, replacing those logged before for the week. The trial must be the
/// person's.
pub(crate) fn log_week_in(c: &rusqlite::Connection, w: &TrialWeek) -> StoreResult<()> {
    let trial = w.trial.0.to_string();
    let person = w.person.0.to_string();
    let theirs: Option<i64> = c
        .prepare_cached("SELECT 1 FROM trials WHERE id = ?1 AND person_id = ?2")
        .and_then(|mut s| s.query_row([&trial, &person], |r| r.get(0)).optional())
        .map_err(db_err)?;
    if theirs.is_none() {
        return Err(StoreError::NotFound);
    }
    c.prepare_cached(&format!(
        "INSERT INTO trial_weeks ({WEEK_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT (trial_id, week_of) DO UPDATE SET minutes = excluded.minutes,
            recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at"
    ))
    .and_then(|mut s| {
        s.execute(params![
            trial,
            w.prefecture,
            person,
            date(w.week_of),
            w.minutes,
            w.recorded_by.0.to_string(),
            timestamp(w.recorded_at),
        ])
    })
    .map_err(db_err)?;
    Ok(())
}

/// Removes a week of the person's trial.
pub(crate) fn remove_week_in(
    c: &rusqlite::Connection,
    person: PersonId,
    trial: TrialId,
    monday: Date,
) -> StoreResult<()> {
    let removed = c
        .prepare_cached("DELETE FROM trial_weeks WHERE trial_id = ?1 AND week_of = ?2 AND person_id = ?3")
        .and_then(|mut s| s.execute([trial.0.to_string(), date(monday), person.0.to_string()]))
        .map_err(db_err)?;
    if removed == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

#[async_trait]
impl TrialStore for SqliteStore {
    async fn trial(&self, id: TrialId) -> StoreResult<Option<Trial>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {TRIAL_COLUMNS} FROM trials t WHERE t.id = ?1"))?
                .query_row([id.0.to_string()], trial_at)
                .optional()
        })
        .await
    }

    async fn trials_of_person(&self, person: PersonId) -> StoreResult<Vec<Trial>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {TRIAL_COLUMNS} FROM trials t WHERE t.person_id = ?1 ORDER BY t.starts_on DESC, t.id"
            ))?
            .query_map([person.0.to_string()], trial_at)?
            .collect()
        })
        .await
    }

    async fn trials_of_agency(&self, agency: AgencyId, since: Date) -> StoreResult<Vec<(Trial, String)>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {TRIAL_COLUMNS}, p.name FROM trials t JOIN persons p ON p.id = t.person_id
                 WHERE t.agency_id = ?1 AND t.last_day >= ?2 ORDER BY t.starts_on, t.id"
            ))?
            .query_map([agency.0.to_string(), date(since)], |r| Ok((trial_at(r)?, r.get(8)?)))?
            .collect()
        })
        .await
    }

    async fn weeks_of_trials(&self, trials: &[TrialId]) -> StoreResult<Vec<TrialWeek>> {
        let trials = trials.to_vec();
        self.query(move |c| {
            let mut read = c.prepare_cached(&format!(
                "SELECT {WEEK_COLUMNS} FROM trial_weeks WHERE trial_id = ?1 ORDER BY week_of"
            ))?;
            let mut out = Vec::new();
            for trial in trials {
                for row in read.query_map([trial.0.to_string()], week_at)? {
                    out.push(row?);
                }
            }
            out.sort_by_key(|w| (w.trial, w.week_of));
            Ok(out)
        })
        .await
    }

    async fn granted_trials(&self) -> StoreResult<Vec<Trial>> {
        self.query(|c| {
            c.prepare(&format!("SELECT {TRIAL_COLUMNS} FROM trials t WHERE t.grants > 0"))?
                .query_map([], trial_at)?
                .collect()
        })
        .await
    }
}
