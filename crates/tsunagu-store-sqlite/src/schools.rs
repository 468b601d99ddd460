//! [`SchoolStore`] on SQLite, and the enrolment change of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::placement::Placement;
use tsunagu_domain::program::FiscalYear;
use tsunagu_domain::school::{Department, Enrolment, EnrolmentFields};
use tsunagu_store::{SchoolStore, StoreError, StoreResult};

use crate::consents::{date, parse_date};
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err};

const COLUMNS: &str = "e.person_id, e.prefecture, e.school_id, e.department, e.entered_year, e.graduated_on, e.recorded_by, e.version, e.updated_at";

fn enrolment_at(r: &Row<'_>, at: usize) -> rusqlite::Result<Enrolment> {
    let department: String = r.get(at + 3)?;
    let department = Department::parse(&department)
        .ok_or_else(|| conv(StoreError::Backend(format!("unknown department {department}").into())))?;
    Ok(Enrolment {
        person: PersonId(parse_uuid(&r.get::<_, String>(at)?)?),
        prefecture: r.get(at + 1)?,
        school: AgencyId(parse_uuid(&r.get::<_, String>(at + 2)?)?),
        fields: EnrolmentFields {
            department,
            entered: FiscalYear(r.get(at + 4)?),
            graduated_on: r.get::<_, Option<String>>(at + 5)?.as_deref().map(parse_date).transpose()?,
        },
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(at + 6)?)?),
        version: r.get(at + 7)?,
        updated_at: parse_timestamp(&r.get::<_, String>(at + 8)?)?,
    })
}

/// Adds the enrolment, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_enrolment_in(c: &rusqlite::Connection, e: &Enrolment, expected: Option<i64>) -> StoreResult<()> {
    let person = e.person.0.to_string();
    let f = &e.fields;
    let graduated = f.graduated_on.map(date);
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO enrolments (person_id, prefecture, school_id, department, entered_year, graduated_on,
                    recorded_by, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT (person_id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    person,
                    e.prefecture,
                    e.school.0.to_string(),
                    f.department.code(),
                    f.entered.0,
                    graduated,
                    e.recorded_by.0.to_string(),
                    e.version,
                    timestamp(e.updated_at),
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE enrolments SET school_id = ?2, department = ?3, entered_year = ?4, graduated_on = ?5,
                    recorded_by = ?6, version = ?7, updated_at = ?8
                 WHERE person_id = ?1 AND version = ?9",
            )
            .and_then(|mut s| {
                s.execute(params![
                    person,
                    e.school.0.to_string(),
                    f.department.code(),
                    f.entered.0,
                    graduated,
                    e.recorded_by.0.to_string(),
                    e.version,
                    timestamp(e.updated_at),
                    expected,
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 {
        return Ok(());
    }
    Err(crate::versioned_refusal_by(c, "enrolments", "person_id", "enrolment", &person, expected))
}

#[async_trait]
impl SchoolStore for SqliteStore {
    async fn enrolment(&self, person: PersonId) -> StoreResult<Option<Enrolment>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {COLUMNS} FROM enrolments e WHERE e.person_id = ?1"))?
                .query_row([person.0.to_string()], |r| enrolment_at(r, 0))
                .optional()
        })
        .await
    }

    async fn students_of(&self, school: AgencyId) -> StoreResult<Vec<(Enrolment, String, String, i64)>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS}, p.name, p.name_kana,
                    (SELECT count(*) FROM bookings b WHERE b.person_id = e.person_id
                        AND (b.outcome IS NULL OR b.outcome <> 'withdrawn'))
                 FROM enrolments e JOIN persons p ON p.id = e.person_id
                 WHERE e.school_id = ?1 ORDER BY e.department, e.entered_year DESC, p.name_kana, p.id"
            ))?
            .query_map([school.0.to_string()], |r| Ok((enrolment_at(r, 0)?, r.get(9)?, r.get(10)?, r.get(11)?)))?
            .collect()
        })
        .await
    }

    async fn graduates(&self) -> StoreResult<Vec<(Enrolment, Vec<Placement>)>> {
        self.query(|c| {
            let mut out: Vec<(Enrolment, Vec<Placement>)> = c
                .prepare(&format!(
                    "SELECT {COLUMNS} FROM enrolments e WHERE e.graduated_on IS NOT NULL ORDER BY e.person_id"
                ))?
                .query_map([], |r| Ok((enrolment_at(r, 0)?, Vec::new())))?
                .collect::<rusqlite::Result<_>>()?;
            let jobs = c
                .prepare(&format!(
                    "SELECT {} FROM placements WHERE person_id IN
                        (SELECT person_id FROM enrolments WHERE graduated_on IS NOT NULL)",
                    crate::placements::COLUMNS
                ))?
                .query_map([], crate::placements::placement_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for job in jobs {
                if let Ok(i) = out.binary_search_by(|(e, _)| e.person.0.to_string().cmp(&job.person.0.to_string())) {
                    out[i].1.push(job);
                }
            }
            Ok(out)
        })
        .await
    }
}
