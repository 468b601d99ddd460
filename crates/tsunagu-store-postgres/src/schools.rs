//! [`SchoolStore`] on PostgreSQL, and the enrolment change of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::placement::Placement;
use tsunagu_domain::program::FiscalYear;
use tsunagu_domain::school::{Department, Enrolment, EnrolmentFields};
use tsunagu_store::{SchoolStore, StoreError, StoreResult};

use crate::{PostgresStore, db_err, execute, query, query_opt};

const COLUMNS: &str = "e.person_id, e.prefecture, e.school_id, e.department, e.entered_year, e.graduated_on, e.recorded_by, e.version, e.updated_at";

fn enrolment_at(r: &Row, at: usize) -> StoreResult<Enrolment> {
    let department: &str = r.try_get(at + 3).map_err(db_err)?;
    let department = Department::parse(department)
        .ok_or_else(|| StoreError::Backend(format!("unknown department {department}").into()))?;
    Ok(Enrolment {
        person: PersonId(r.try_get(at).map_err(db_err)?),
        prefecture: r.try_get(at + 1).map_err(db_err)?,
        school: AgencyId(r.try_get(at + 2).map_err(db_err)?),
        fields: EnrolmentFields {
            department,
            entered: FiscalYear(r.try_get(at + 4).map_err(db_err)?),
            graduated_on: r.try_get(at + 5).map_err(db_err)?,
        },
        recorded_by: AccountId(r.try_get(at + 6).map_err(db_err)?),
        version: r.try_get(at + 7).map_err(db_err)?,
        updated_at: r.try_get(at + 8).map_err(db_err)?,
    })
}

/// Adds the enrolment, or replaces it if the stored one is still at version `expected`.
pub(crate) async fn save_enrolment_in(c: &impl GenericClient, e: &Enrolment, expected: Option<i64>) -> StoreResult<()> {
    let f = &e.fields;
    let written = match expected {
        None => {
            execute(
                c,
                "INSERT INTO enrolments (person_id, prefecture, school_id, department, entered_year, graduated_on,
                    recorded_by, version, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (person_id) DO NOTHING",
                &[
                    &e.person.0,
                    &e.prefecture,
                    &e.school.0,
                    &f.department.code(),
                    &f.entered.0,
                    &f.graduated_on,
                    &e.recorded_by.0,
                    &e.version,
                    &e.updated_at,
                ],
            )
            .await?
        }
        Some(expected) => {
            execute(
                c,
                "UPDATE enrolments SET school_id = $3, department = $4, entered_year = $5, graduated_on = $6,
                    recorded_by = $7, version = $8, updated_at = $9
                 WHERE person_id = $1 AND prefecture = $2 AND version = $10",
                &[
                    &e.person.0,
                    &e.prefecture,
                    &e.school.0,
                    &f.department.code(),
                    &f.entered.0,
                    &f.graduated_on,
                    &e.recorded_by.0,
                    &e.version,
                    &e.updated_at,
                    &expected,
                ],
            )
            .await?
        }
    };
    if written == 1 {
        return Ok(());
    }
    Err(crate::versioned_refusal_by(c, "enrolments", "person_id", "enrolment", &e.person.0, &e.prefecture, expected)
        .await)
}

#[async_trait]
impl SchoolStore for PostgresStore {
    async fn enrolment(&self, person: PersonId) -> StoreResult<Option<Enrolment>> {
        let client = self.client().await?;
        let sql = format!("SELECT {COLUMNS} FROM enrolments e WHERE e.person_id = $1 AND e.prefecture = $2");
        query_opt(&client, &sql, &[&person.0, &&*self.prefecture]).await?.map(|r| enrolment_at(&r, 0)).transpose()
    }

    async fn students_of(&self, school: AgencyId) -> StoreResult<Vec<(Enrolment, String, String, i64)>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {COLUMNS}, p.name, p.name_kana,
                (SELECT count(*) FROM bookings b WHERE b.person_id = e.person_id AND b.prefecture = $2
                    AND (b.outcome IS NULL OR b.outcome <> 'withdrawn'))
             FROM enrolments e JOIN persons p ON p.id = e.person_id
             WHERE e.school_id = $1 AND e.prefecture = $2 AND p.prefecture = $2
             ORDER BY e.department, e.entered_year DESC, p.name_kana, p.id"
        );
        query(&client, &sql, &[&school.0, &&*self.prefecture])
            .await?
            .iter()
            .map(|r| {
                Ok((
                    enrolment_at(r, 0)?,
                    r.try_get(9).map_err(db_err)?,
                    r.try_get(10).map_err(db_err)?,
                    r.try_get(11).map_err(db_err)?,
                ))
            })
            .collect()
    }

    async fn graduates(&self) -> StoreResult<Vec<(Enrolment, Vec<Placement>)>> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM enrolments e WHERE e.graduated_on IS NOT NULL AND e.prefecture = $1
             ORDER BY e.person_id"
        );
        let mut out: Vec<(Enrolment, Vec<Placement>)> = query(&client, &sql, &[&&*self.prefecture])
            .await?
            .iter()
            .map(|r| Ok((enrolment_at(r, 0)?, Vec::new())))
            .collect::<StoreResult<_>>()?;
        let sql = format!(
            "SELECT {} FROM placements WHERE prefecture = $1 AND person_id IN
                (SELECT person_id FROM enrolments WHERE graduated_on IS NOT NULL AND prefecture = $1)",
            crate::placements::COLUMNS
        );
        for row in query(&client, &sql, &[&&*self.prefecture]).await? {
            let job = crate::placements::placement_from_row(&row)?;
            if let Ok(i) = out.binary_search_by(|(e, _)| e.person.0.cmp(&job.person.0)) {
                out[i].1.push(job);
            }
        }
        Ok(out)
    }
}
