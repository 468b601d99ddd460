//! [`EmployerStore`] on SQLite, and the employer changes of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, ToSql, params, params_from_iter};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::{Employer, EmployerFields, EmployerId, EmployerLink};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::{CorporateNumber, LocalGovCode};
use tsunagu_store::codec::{decode_contacts, decode_industry, decode_lg_code, encode_contacts};
use tsunagu_store::{
    ConsentedPerson, EmployerListing, EmployerPage, EmployerQuery, EmployerStore, StoreError, StoreResult,
};

use crate::consents::{CONSENT_COLUMNS, consent_from_row, date, parse_date};
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

const EMPLOYER_COLUMNS: &str = "id, prefecture, corporate_number, name, name_kana, industry, regular_workers, \
     special_subsidiary, accepts_interns, municipality_code, address, contacts, version, updated_at";

/// Adds an employer (a taken 法人番号 or id is [`StoreError::Duplicate`]).
pub(crate) fn insert_employer_in(c: &rusqlite::Connection, e: &Employer) -> StoreResult<()> {
    let f = &e.fields;
    c.prepare_cached(&format!(
        "INSERT INTO employers ({EMPLOYER_COLUMNS}, search_key)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
    ))
    .and_then(|mut s| {
        s.execute(params![
            e.id.0.to_string(),
            e.prefecture,
            f.corporate_number.as_str(),
            f.name,
            f.name_kana,
            f.industry.to_string(),
            f.regular_workers,
            f.special_subsidiary,
            f.accepts_interns,
            f.municipality.as_ref().map(LocalGovCode::as_str),
            f.address,
            encode_contacts(f).map_err(conv)?,
            e.version,
            timestamp(e.updated_at),
            f.search_key(),
        ])
    })
    .map_err(db_err)?;
    Ok(())
}

/// Adds the employer, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_employer_in(c: &rusqlite::Connection, e: &Employer, expected: Option<i64>) -> StoreResult<()> {
    let Some(expected) = expected else { return insert_employer_in(c, e) };
    let f = &e.fields;
    let id = e.id.0.to_string();
    let written = c
        .prepare_cached(
            "UPDATE employers SET corporate_number = ?2, name = ?3, name_kana = ?4, industry = ?5,
                regular_workers = ?6, special_subsidiary = ?7, accepts_interns = ?8, municipality_code = ?9,
                address = ?10, contacts = ?11, version = ?12, updated_at = ?13, search_key = ?14
             WHERE id = ?1 AND version = ?15",
        )
        .and_then(|mut s| {
            s.execute(params![
                id,
                f.corporate_number.as_str(),
                f.name,
                f.name_kana,
                f.industry.to_string(),
                f.regular_workers,
                f.special_subsidiary,
                f.accepts_interns,
                f.municipality.as_ref().map(LocalGovCode::as_str),
                f.address,
                encode_contacts(f).map_err(conv)?,
                e.version,
                timestamp(e.updated_at),
                f.search_key(),
                expected,
            ])
        })
        .map_err(db_err)?;
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "employers", "employer", &id, Some(expected)))
}

/// Records (or, with no link, removes) an agency developing or supporting an employer.
pub(crate) fn link_employer_in(
    c: &rusqlite::Connection,
    employer: EmployerId,
    agency: AgencyId,
    link: Option<&EmployerLink>,
) -> StoreResult<()> {
    let known: bool = c
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM employers WHERE id = ?1)")
        .and_then(|mut s| s.query_row([employer.0.to_string()], |r| r.get(0)))
        .map_err(db_err)?;
    if !known {
        return Err(StoreError::NotFound);
    }
    match link {
        Some(link) => c
            .prepare_cached(
                "INSERT INTO employer_agencies (employer_id, agency_id, since, recorded_by) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (employer_id, agency_id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    employer.0.to_string(),
                    agency.0.to_string(),
                    date(link.since),
                    link.recorded_by.0.to_string()
                ])
            }),
        None => c
            .prepare_cached("DELETE FROM employer_agencies WHERE employer_id = ?1 AND agency_id = ?2")
            .and_then(|mut s| s.execute(params![employer.0.to_string(), agency.0.to_string()])),
    }
    .map_err(db_err)?;
    Ok(())
}

/// Links an account to its person and employer.
pub(crate) fn link_account_in(
    c: &rusqlite::Connection,
    account: AccountId,
    person: Option<PersonId>,
    employer: Option<EmployerId>,
) -> StoreResult<()> {
    let written = c
        .prepare_cached("UPDATE accounts SET person_id = ?2, employer_id = ?3 WHERE id = ?1")
        .and_then(|mut s| {
            s.execute(params![
                account.0.to_string(),
                person.map(|p| p.0.to_string()),
                employer.map(|e| e.0.to_string())
            ])
        })
        .map_err(db_err)?;
    if written == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

fn employer_from_row(r: &Row<'_>) -> rusqlite::Result<Employer> {
    let municipality: Option<String> = r.get(9)?;
    let (hiring_contact, workplace_contact) = decode_contacts(&r.get::<_, String>(11)?).map_err(conv)?;
    Ok(Employer {
        id: EmployerId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        fields: EmployerFields {
            corporate_number: CorporateNumber::parse(&r.get::<_, String>(2)?)
                .map_err(|e| conv(StoreError::backend(e)))?,
            name: r.get(3)?,
            name_kana: r.get(4)?,
            industry: decode_industry(&r.get::<_, String>(5)?).map_err(conv)?,
            regular_workers: r.get(6)?,
            special_subsidiary: r.get(7)?,
            accepts_interns: r.get(8)?,
            municipality: municipality.as_deref().map(decode_lg_code).transpose().map_err(conv)?,
            address: r.get(10)?,
            hiring_contact,
            workplace_contact,
        },
        version: r.get(12)?,
        updated_at: parse_timestamp(&r.get::<_, String>(13)?)?,
    })
}

/// The WHERE clause and its parameters for `q`.
fn conditions(q: &EmployerQuery) -> (String, Vec<Box<dyn ToSql + Send>>) {
    let mut clauses = Vec::new();
    let mut values: Vec<Box<dyn ToSql + Send>> = Vec::new();
    if !q.text.is_empty() {
        values.push(Box::new(q.text.clone()));
        clauses.push(format!("instr(search_key, ?{}) > 0", values.len()));
    }
    if let Some(industry) = q.industry {
        values.push(Box::new(industry.to_string()));
        clauses.push(format!("industry = ?{}", values.len()));
    }
    if let Some(m) = &q.municipality {
        values.push(Box::new(m.as_str().to_owned()));
        clauses.push(format!("municipality_code = ?{}", values.len()));
    }
    if let Some(agency) = q.linked_to {
        values.push(Box::new(agency.0.to_string()));
        clauses.push(format!("id IN (SELECT employer_id FROM employer_agencies WHERE agency_id = ?{})", values.len()));
    }
    if q.accepts_interns {
        clauses.push("accepts_interns = 1".into());
    }
    if q.special_subsidiary {
        clauses.push("special_subsidiary = 1".into());
    }
    let clause = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    (clause, values)
}

#[async_trait]
impl EmployerStore for SqliteStore {
    async fn employer(&self, id: EmployerId) -> StoreResult<Option<(Employer, Vec<EmployerLink>)>> {
        self.query(move |c| {
            let tx = c.transaction()?;
            let employer = tx
                .prepare_cached(&format!("SELECT {EMPLOYER_COLUMNS} FROM employers WHERE id = ?1"))?
                .query_row([id.0.to_string()], employer_from_row)
                .optional()?;
            let Some(employer) = employer else { return Ok(None) };
            let links = tx
                .prepare_cached(
                    "SELECT agency_id, since, recorded_by FROM employer_agencies WHERE employer_id = ?1
                     ORDER BY since, agency_id",
                )?
                .query_map([id.0.to_string()], |r| link_at(r, 0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some((employer, links)))
        })
        .await
    }

    async fn search_employers(&self, query: &EmployerQuery) -> StoreResult<EmployerPage> {
        let query = query.clone();
        self.query(move |c| {
            let (clause, mut values) = conditions(&query);
            let tx = c.transaction()?;
            let total: i64 = tx
                .prepare(&format!("SELECT count(*) FROM employers {clause}"))?
                .query_row(params_from_iter(values.iter()), |r| r.get(0))?;
            values.push(Box::new(i64::from(query.limit)));
            values.push(Box::new(i64::from(query.offset)));
            let n = values.len();
            let rows = tx
                .prepare(&format!(
                    "SELECT id, corporate_number, name, name_kana, industry, regular_workers, special_subsidiary,
                        accepts_interns, municipality_code
                     FROM employers {clause} ORDER BY name_kana, id LIMIT ?{} OFFSET ?{n}",
                    n - 1
                ))?
                .query_map(params_from_iter(values.iter()), |r| {
                    let municipality: Option<String> = r.get(8)?;
                    Ok(EmployerListing {
                        id: EmployerId(parse_uuid(&r.get::<_, String>(0)?)?),
                        corporate_number: r.get(1)?,
                        name: r.get(2)?,
                        name_kana: r.get(3)?,
                        industry: decode_industry(&r.get::<_, String>(4)?).map_err(conv)?,
                        regular_workers: r.get(5)?,
                        special_subsidiary: r.get(6)?,
                        accepts_interns: r.get(7)?,
                        municipality: municipality.as_deref().map(decode_lg_code).transpose().map_err(conv)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(EmployerPage { total: total as u64, rows })
        })
        .await
    }

    async fn consents_naming_employer(&self, employer: EmployerId, limit: u32) -> StoreResult<Vec<ConsentedPerson>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT k.*, p.name, p.name_kana
                 FROM (SELECT {CONSENT_COLUMNS} FROM consents
                       WHERE recipient_kind = 'employer' AND recipient_id = ?1 AND revoked_at IS NULL) k
                 JOIN persons p ON p.id = k.person_id
                 ORDER BY p.name_kana, p.id, k.recorded_at, k.id LIMIT ?2"
            ))?
            .query_map(params![employer.0.to_string(), limit], |r| {
                Ok(ConsentedPerson { consent: consent_from_row(r)?, name: r.get(14)?, name_kana: r.get(15)? })
            })?
            .collect()
        })
        .await
    }

    async fn employer_links(&self) -> StoreResult<Vec<(EmployerId, EmployerLink)>> {
        self.query(|c| {
            c.prepare("SELECT agency_id, since, recorded_by, employer_id FROM employer_agencies")?
                .query_map([], |r| Ok((EmployerId(parse_uuid(&r.get::<_, String>(3)?)?), link_at(r, 0)?)))?
                .collect()
        })
        .await
    }
}

/// An employer's link to an agency from the columns agency_id, since, recorded_by at `at`.
fn link_at(r: &Row<'_>, at: usize) -> rusqlite::Result<EmployerLink> {
    Ok(EmployerLink {
        agency: AgencyId(parse_uuid(&r.get::<_, String>(at)?)?),
        since: parse_date(&r.get::<_, String>(at + 1)?)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(at + 2)?)?),
    })
}
