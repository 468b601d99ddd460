//! [`EmployerStore`] on PostgreSQL, and the employer changes of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::{Employer, EmployerFields, EmployerId, EmployerLink};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::{CorporateNumber, LocalGovCode};
use tsunagu_store::codec::{decode_contacts, decode_industry, decode_lg_code, encode_contacts};
use tsunagu_store::{
    ConsentedPerson, EmployerListing, EmployerPage, EmployerQuery, EmployerStore, StoreError, StoreResult,
};

use crate::consents::{CONSENT_COLUMNS, consent_from_row};
use crate::{PostgresStore, db_err, execute, query, query_opt, read_snapshot, versioned_refusal};

const EMPLOYER_COLUMNS: &str = "id, prefecture, corporate_number, name, name_kana, industry, regular_workers, \
     special_subsidiary, accepts_interns, municipality_code, address, contacts, version, updated_at";

/// Adds an employer (a taken 法人番号 or id is [`StoreError::Duplicate`]).
pub(crate) async fn insert_employer_in(c: &impl GenericClient, e: &Employer) -> StoreResult<()> {
    let f = &e.fields;
    execute(
        c,
        &format!(
            "INSERT INTO employers ({EMPLOYER_COLUMNS}, search_key)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
        ),
        &[
            &e.id.0,
            &e.prefecture,
            &f.corporate_number.as_str(),
            &f.name,
            &f.name_kana,
            &f.industry.to_string(),
            &(f.regular_workers as i32),
            &f.special_subsidiary,
            &f.accepts_interns,
            &f.municipality.as_ref().map(LocalGovCode::as_str),
            &f.address,
            &encode_contacts(f)?,
            &e.version,
            &e.updated_at,
            &f.search_key(),
        ],
    )
    .await?;
    Ok(())
}

/// Adds the employer, or replaces it if the stored one is still at version `expected`.
pub(crate) async fn save_employer_in(c: &impl GenericClient, e: &Employer, expected: Option<i64>) -> StoreResult<()> {
    let Some(expected) = expected else { return insert_employer_in(c, e).await };
    let f = &e.fields;
    let written = execute(
        c,
        "UPDATE employers SET corporate_number = $2, name = $3, name_kana = $4, industry = $5,
            regular_workers = $6, special_subsidiary = $7, accepts_interns = $8, municipality_code = $9,
            address = $10, contacts = $11, version = $12, updated_at = $13, search_key = $14
         WHERE id = $1 AND prefecture = $15 AND version = $16",
        &[
            &e.id.0,
            &f.corporate_number.as_str(),
            &f.name,
            &f.name_kana,
            &f.industry.to_string(),
            &(f.regular_workers as i32),
            &f.special_subsidiary,
            &f.accepts_interns,
            &f.municipality.as_ref().map(LocalGovCode::as_str),
            &f.address,
            &encode_contacts(f)?,
            &e.version,
            &e.updated_at,
            &f.search_key(),
            &e.prefecture,
            &expected,
        ],
    )
    .await?;
    if written == 1 {
        return Ok(());
    }
    Err(versioned_refusal(c, "employers", "employer", &e.id.0, &e.prefecture, Some(expected)).await)
}

/// Records (or, with no link, removes) an agency developing or supporting an employer.
pub(crate) async fn link_employer_in(
    c: &impl GenericClient,
    employer: EmployerId,
    agency: AgencyId,
    link: Option<&EmployerLink>,
) -> StoreResult<()> {
    if query_opt(c, "SELECT 1 FROM employers WHERE id = $1", &[&employer.0]).await?.is_none() {
        return Err(StoreError::NotFound);
    }
    match link {
        Some(link) => {
            execute(
                c,
                "INSERT INTO employer_agencies (employer_id, agency_id, since, recorded_by) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (employer_id, agency_id) DO NOTHING",
                &[&employer.0, &agency.0, &link.since, &link.recorded_by.0],
            )
            .await?
        }
        None => {
            execute(
                c,
                "DELETE FROM employer_agencies WHERE employer_id = $1 AND agency_id = $2",
                &[&employer.0, &agency.0],
            )
            .await?
        }
    };
    Ok(())
}

/// Links an account to its person and employer.
pub(crate) async fn link_account_in(
    c: &impl GenericClient,
    account: AccountId,
    person: Option<PersonId>,
    employer: Option<EmployerId>,
) -> StoreResult<()> {
    let written = execute(
        c,
        "UPDATE accounts SET person_id = $2, employer_id = $3 WHERE id = $1",
        &[&account.0, &person.map(|p| p.0), &employer.map(|e| e.0)],
    )
    .await?;
    if written == 1 { Ok(()) } else { Err(StoreError::NotFound) }
}

fn employer_from_row(r: &Row) -> StoreResult<Employer> {
    let municipality: Option<&str> = r.try_get(9).map_err(db_err)?;
    let (hiring_contact, workplace_contact) = decode_contacts(r.try_get(11).map_err(db_err)?)?;
    let workers: i32 = r.try_get(6).map_err(db_err)?;
    Ok(Employer {
        id: EmployerId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        fields: EmployerFields {
            corporate_number: CorporateNumber::parse(r.try_get(2).map_err(db_err)?).map_err(StoreError::backend)?,
            name: r.try_get(3).map_err(db_err)?,
            name_kana: r.try_get(4).map_err(db_err)?,
            industry: decode_industry(r.try_get(5).map_err(db_err)?)?,
            regular_workers: u32::try_from(workers).map_err(StoreError::backend)?,
            special_subsidiary: r.try_get(7).map_err(db_err)?,
            accepts_interns: r.try_get(8).map_err(db_err)?,
            municipality: municipality.map(decode_lg_code).transpose()?,
            address: r.try_get(10).map_err(db_err)?,
            hiring_contact,
            workplace_contact,
        },
        version: r.try_get(12).map_err(db_err)?,
        updated_at: r.try_get(13).map_err(db_err)?,
    })
}

/// The WHERE clause (the store's prefecture first) and its parameters for `q`.
fn conditions(prefecture: &str, q: &EmployerQuery) -> (String, Vec<Box<dyn ToSql + Sync + Send>>) {
    let mut values: Vec<Box<dyn ToSql + Sync + Send>> = vec![Box::new(prefecture.to_owned())];
    let mut clauses = vec!["prefecture = $1".to_owned()];
    if !q.text.is_empty() {
        values.push(Box::new(q.text.clone()));
        clauses.push(format!("strpos(search_key, ${}) > 0", values.len()));
    }
    if let Some(industry) = q.industry {
        values.push(Box::new(industry.to_string()));
        clauses.push(format!("industry = ${}", values.len()));
    }
    if let Some(m) = &q.municipality {
        values.push(Box::new(m.as_str().to_owned()));
        clauses.push(format!("municipality_code = ${}", values.len()));
    }
    if let Some(agency) = q.linked_to {
        values.push(Box::new(agency.0));
        clauses.push(format!("id IN (SELECT employer_id FROM employer_agencies WHERE agency_id = ${})", values.len()));
    }
    if q.accepts_interns {
        clauses.push("accepts_interns".into());
    }
    if q.special_subsidiary {
        clauses.push("special_subsidiary".into());
    }
    (format!("WHERE {}", clauses.join(" AND ")), values)
}

#[async_trait]
impl EmployerStore for PostgresStore {
    async fn employer(&self, id: EmployerId) -> StoreResult<Option<(Employer, Vec<EmployerLink>)>> {
        let mut client = self.client().await?;
        let tx = read_snapshot(&mut client).await?;
        let row = query_opt(
            &tx,
            &format!("SELECT {EMPLOYER_COLUMNS} FROM employers WHERE id = $1 AND prefecture = $2"),
            &[&id.0, &&*self.prefecture],
        )
        .await?;
        let Some(row) = row else { return Ok(None) };
        let employer = employer_from_row(&row)?;
        let links = query(
            &tx,
            "SELECT agency_id, since, recorded_by FROM employer_agencies WHERE employer_id = $1
             ORDER BY since, agency_id",
            &[&id.0],
        )
        .await?
        .iter()
        .map(|r| link_at(r, 0))
        .collect::<StoreResult<Vec<_>>>()?;
        tx.commit().await.map_err(db_err)?;
        Ok(Some((employer, links)))
    }

    async fn search_employers(&self, q: &EmployerQuery) -> StoreResult<EmployerPage> {
        let (clause, mut values) = conditions(&self.prefecture, q);
        let mut client = self.client().await?;
        let tx = read_snapshot(&mut client).await?;
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| &**v as &(dyn ToSql + Sync)).collect();
        let total: i64 = tx
            .query_one(&format!("SELECT count(*) FROM employers {clause}"), &params)
            .await
            .and_then(|r| r.try_get(0))
            .map_err(db_err)?;
        values.push(Box::new(i64::from(q.limit)));
        values.push(Box::new(i64::from(q.offset)));
        let n = values.len();
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| &**v as &(dyn ToSql + Sync)).collect();
        let rows = tx
            .query(
                &format!(
                    "SELECT id, corporate_number, name, name_kana, industry, regular_workers, special_subsidiary,
                        accepts_interns, municipality_code
                     FROM employers {clause} ORDER BY name_kana, id LIMIT ${} OFFSET ${n}",
                    n - 1
                ),
                &params,
            )
            .await
            .map_err(db_err)?;
        let rows = rows
            .iter()
            .map(|r| {
                let municipality: Option<&str> = r.try_get(8).map_err(db_err)?;
                let workers: i32 = r.try_get(5).map_err(db_err)?;
                Ok(EmployerListing {
                    id: EmployerId(r.try_get(0).map_err(db_err)?),
                    corporate_number: r.try_get(1).map_err(db_err)?,
                    name: r.try_get(2).map_err(db_err)?,
                    name_kana: r.try_get(3).map_err(db_err)?,
                    industry: decode_industry(r.try_get(4).map_err(db_err)?)?,
                    regular_workers: u32::try_from(workers).map_err(StoreError::backend)?,
                    special_subsidiary: r.try_get(6).map_err(db_err)?,
                    accepts_interns: r.try_get(7).map_err(db_err)?,
                    municipality: municipality.map(decode_lg_code).transpose()?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        tx.commit().await.map_err(db_err)?;
        Ok(EmployerPage { total: total as u64, rows })
    }

    async fn consents_naming_employer(&self, employer: EmployerId, limit: u32) -> StoreResult<Vec<ConsentedPerson>> {
        let client = self.client().await?;
        let rows = query(
            &client,
            &format!(
                "SELECT k.*, p.name, p.name_kana
                 FROM (SELECT {CONSENT_COLUMNS} FROM consents
                       WHERE prefecture = $3 AND recipient_kind = 'employer' AND recipient_id = $1
                         AND revoked_at IS NULL) k
                 JOIN persons p ON p.id = k.person_id AND p.prefecture = $3
                 ORDER BY p.name_kana, p.id, k.recorded_at, k.id LIMIT $2"
            ),
            &[&employer.0.to_string(), &i64::from(limit), &&*self.prefecture],
        )
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ConsentedPerson {
                    consent: consent_from_row(r)?,
                    name: r.try_get(14).map_err(db_err)?,
                    name_kana: r.try_get(15).map_err(db_err)?,
                })
            })
            .collect()
    }

    async fn employer_links(&self) -> StoreResult<Vec<(EmployerId, EmployerLink)>> {
        let client = self.client().await?;
        query(
            &client,
            "SELECT l.agency_id, l.since, l.recorded_by, l.employer_id FROM employer_agencies l
             JOIN employers e ON e.id = l.employer_id WHERE e.prefecture = $1",
            &[&&*self.prefecture],
        )
        .await?
        .iter()
        .map(|r| Ok((EmployerId(r.try_get(3).map_err(db_err)?), link_at(r, 0)?)))
        .collect()
    }
}

/// An employer's link to an agency from the columns agency_id, since, recorded_by at `at`.
fn link_at(r: &Row, at: usize) -> StoreResult<EmployerLink> {
    Ok(EmployerLink {
        agency: AgencyId(r.try_get(at).map_err(db_err)?),
        since: r.try_get(at + 1).map_err(db_err)?,
        recorded_by: AccountId(r.try_get(at + 2).map_err(db_err)?),
    })
}
