//! [`PersonStore`] on PostgreSQL.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::Row;
use tokio_postgres::types::ToSql;
use tsunagu_domain::access::EmergencyAccess;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::person::{Person, PersonFields, duplicate_key};
use tsunagu_store::codec::{decode_certificates, decode_disabilities, encode_certificates, encode_disabilities};
use tsunagu_store::{
    CaseloadEntry, CaseloadPage, CaseloadQuery, CaseloadSort, DuplicateMatch, Duplicates, NameSearch, PersonFile,
    PersonStore, Registration, StoreError, StoreResult, after_prefix,
};
use uuid::Uuid;

use crate::consents::{CONSENT_COLUMNS, consent_from_row, insert_consent_in};
use crate::{PostgresStore, db_err, execute, query, query_opt};

const PERSON_COLUMNS: &str = "id, prefecture, name, name_kana, birth_date, phone, email, address, categories, \
     certificates, accommodations, health_notes, preferred_hours, preferred_area, registered_by, version, created_at, \
     updated_at, emergency_contact, emergency_phone";

fn person_from_row(r: &Row) -> StoreResult<Person> {
    let hours: Option<i32> = r.try_get(12).map_err(db_err)?;
    Ok(Person {
        id: PersonId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        fields: PersonFields {
            name: r.try_get(2).map_err(db_err)?,
            name_kana: r.try_get(3).map_err(db_err)?,
            birth_date: r.try_get(4).map_err(db_err)?,
            phone: r.try_get(5).map_err(db_err)?,
            email: r.try_get(6).map_err(db_err)?,
            address: r.try_get(7).map_err(db_err)?,
            categories: decode_disabilities(r.try_get(8).map_err(db_err)?)?,
            certificates: decode_certificates(r.try_get(9).map_err(db_err)?)?,
            accommodations: r.try_get(10).map_err(db_err)?,
            health_notes: r.try_get(11).map_err(db_err)?,
            preferred_hours: hours.and_then(|h| u8::try_from(h).ok()),
            preferred_area: r.try_get(13).map_err(db_err)?,
            emergency_contact: r.try_get(18).map_err(db_err)?,
            emergency_phone: r.try_get(19).map_err(db_err)?,
        },
        registered_by: AgencyId(r.try_get(14).map_err(db_err)?),
        version: r.try_get(15).map_err(db_err)?,
        created_at: r.try_get(16).map_err(db_err)?,
        updated_at: r.try_get(17).map_err(db_err)?,
    })
}

fn case_from_row(r: &Row) -> StoreResult<CaseRecord> {
    Ok(CaseRecord {
        id: r.try_get(0).map_err(db_err)?,
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        agency: AgencyId(r.try_get(3).map_err(db_err)?),
        opened_on: r.try_get(4).map_err(db_err)?,
        closed_on: r.try_get(5).map_err(db_err)?,
        opened_by: AccountId(r.try_get(6).map_err(db_err)?),
    })
}

pub(crate) async fn insert_registration(tx: &impl GenericClient, reg: &Registration) -> StoreResult<()> {
    let p = &reg.person;
    let f = &p.fields;
    // The check and the insert are one statement, after the audit log's lock that every batch
    // takes first: no registration written since can have been missed.
    let refuse = matches!(reg.duplicates, Duplicates::Refuse);
    let key = duplicate_key(&f.name_kana, f.birth_date);
    let inserted = execute(
        tx,
        &format!(
            "INSERT INTO persons ({PERSON_COLUMNS}, duplicate_key)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21
             WHERE NOT $22 OR NOT EXISTS (SELECT 1 FROM persons WHERE duplicate_key = $21 AND prefecture = $2)"
        ),
        &[
            &p.id.0,
            &p.prefecture,
            &f.name,
            &f.name_kana,
            &f.birth_date,
            &f.phone,
            &f.email,
            &f.address,
            &encode_disabilities(&f.categories),
            &encode_certificates(&f.certificates),
            &f.accommodations,
            &f.health_notes,
            &f.preferred_hours.map(i32::from),
            &f.preferred_area,
            &p.registered_by.0,
            &p.version,
            &p.created_at,
            &p.updated_at,
            &f.emergency_contact,
            &f.emergency_phone,
            &key,
            &refuse,
        ],
    )
    .await?;
    if inserted == 0 {
        return Err(StoreError::Duplicate { what: "person" });
    }
    for consent in &reg.consents {
        insert_consent_in(tx, consent).await?;
    }
    let c = &reg.case;
    execute(
        tx,
        "INSERT INTO cases (id, prefecture, person_id, agency_id, opened_on, closed_on, opened_by, name_kana, name,
            birth_date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        &[
            &c.id,
            &c.prefecture,
            &c.person.0,
            &c.agency.0,
            &c.opened_on,
            &c.closed_on,
            &c.opened_by.0,
            &f.name_kana,
            &f.name,
            &f.birth_date,
        ],
    )
    .await?;
    match &reg.duplicates {
        Duplicates::Refuse => {}
        Duplicates::LinkAll => {
            execute(
                tx,
                "INSERT INTO person_links (person_id, other_id, prefecture)
                 SELECT $1, id, $3 FROM persons WHERE duplicate_key = $2 AND id <> $1 AND prefecture = $3
                 UNION ALL SELECT id, $1, $3 FROM persons WHERE duplicate_key = $2 AND id <> $1 AND prefecture = $3
                 ON CONFLICT DO NOTHING",
                &[&p.id.0, &key, &p.prefecture],
            )
            .await?;
        }
        Duplicates::Link(others) => {
            for other in others {
                for (a, b) in [(p.id.0, other.0), (other.0, p.id.0)] {
                    execute(
                        tx,
                        "INSERT INTO person_links (person_id, other_id, prefecture) VALUES ($1, $2, $3)
                         ON CONFLICT DO NOTHING",
                        &[&a, &b, &p.prefecture],
                    )
                    .await?;
                }
            }
        }
    }
    Ok(())
}

/// The persons with an open case at `agency`, by reading then id, `limit` from `offset`.
async fn caseload_in(
    client: &impl GenericClient,
    prefecture: &str,
    agency: AgencyId,
    offset: u32,
    limit: u32,
) -> StoreResult<Vec<CaseloadEntry>> {
    caseload_query_in(client, prefecture, agency, &CaseloadQuery::default(), offset, limit).await
}

/// A parameter of a caseload query.
type Param = Box<dyn ToSql + Sync + Send>;

/// The columns of an agency's open cases a caseload page reads (all in `cases_caseload`).
const CASELOAD_SOURCE_COLUMNS: &str = "person_id, agency_id, prefecture, name, name_kana, birth_date, opened_on, \
     stage, last_contact_on, next_action, next_action_on";

/// What a caseload query reads for `q`: the agency's open cases (`c`), as `FROM {source} c WHERE
/// c.prefecture = $2 AND {conditions}`, with the parameters, which follow the agency's (`$1`) and
/// the prefecture (`$2`).
///
/// A reading's first kana are looked up as two ranges of the caseload index (hiragana and
/// katakana), joined by `UNION ALL`: the planner reads an `OR` of two ranges by walking every
/// open case of the agency, where each range alone is an index condition.
fn caseload_filter(q: &CaseloadQuery) -> (String, String, Vec<Param>) {
    let mut source = "cases".to_owned();
    let mut sql = "c.agency_id = $1 AND c.closed_on IS NULL".to_owned();
    let mut values: Vec<Param> = Vec::new();
    let param = |values: &mut Vec<Param>, v: Param| {
        values.push(v);
        format!("${}", values.len() + 2)
    };
    match &q.text {
        Some(NameSearch::ReadingStarts { hiragana, katakana }) => {
            let mut range = |from: &str| {
                let (a, b) =
                    (param(&mut values, Box::new(from.to_owned())), param(&mut values, Box::new(after_prefix(from))));
                format!(
                    "SELECT {CASELOAD_SOURCE_COLUMNS} FROM cases
                     WHERE agency_id = $1 AND prefecture = $2 AND closed_on IS NULL
                       AND name_kana >= {a} AND name_kana < {b}"
                )
            };
            let (h, k) = (range(hiragana), range(katakana));
            // The ranges are disjoint: no case is read twice.
            source = format!("({h} UNION ALL {k})");
            sql = "TRUE".to_owned();
        }
        Some(NameSearch::Anywhere { name, hiragana, katakana }) => {
            let (n, h, k) = (
                param(&mut values, Box::new(name.clone())),
                param(&mut values, Box::new(hiragana.clone())),
                param(&mut values, Box::new(katakana.clone())),
            );
            sql += &format!(
                " AND (strpos(c.name, {n}) > 0 OR strpos(c.name_kana, {h}) > 0 OR strpos(c.name_kana, {k}) > 0)"
            );
        }
        None => {}
    }
    match q.stage {
        Some(Some(stage)) => sql += &format!(" AND c.stage = {}", param(&mut values, Box::new(stage.code()))),
        Some(None) => sql += " AND c.stage IS NULL",
        None => {}
    }
    if let Some(by) = q.due_by {
        let d = param(&mut values, Box::new(by));
        sql += &format!(
            " AND (c.next_action_on <= {d}
               OR EXISTS (SELECT 1 FROM follow_ups f WHERE f.person_id = c.person_id AND f.prefecture = c.prefecture
                          AND f.agency_id = c.agency_id AND f.done_on IS NULL AND f.due_on <= {d})
               OR EXISTS (SELECT 1 FROM support_plans p WHERE p.person_id = c.person_id AND p.prefecture = c.prefecture
                          AND p.agency_id = c.agency_id AND p.review_on IS NOT NULL AND p.review_on <= {d}))"
        );
    }
    (source, sql, values)
}

/// The `ORDER BY` of a caseload sort.
fn caseload_order(sort: CaseloadSort) -> &'static str {
    // The stage order is the domain's, spelt out once per process.
    static BY_STAGE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let arms: String = tsunagu_domain::journey::Stage::ALL
            .iter()
            .enumerate()
            .map(|(i, s)| format!(" WHEN '{}' THEN {}", s.code(), i + 1))
            .collect();
        format!("CASE c.stage{arms} ELSE 0 END, c.name_kana, c.person_id")
    });
    match sort {
        CaseloadSort::Reading => "c.name_kana, c.person_id",
        CaseloadSort::BirthDate => "c.birth_date, c.name_kana, c.person_id",
        CaseloadSort::Stage => &BY_STAGE,
        CaseloadSort::LastContact => "c.last_contact_on DESC NULLS LAST, c.name_kana, c.person_id",
        CaseloadSort::NextAction => "c.next_action_on NULLS LAST, c.name_kana, c.person_id",
    }
}

async fn caseload_query_in(
    client: &impl GenericClient,
    prefecture: &str,
    agency: AgencyId,
    q: &CaseloadQuery,
    offset: u32,
    limit: u32,
) -> StoreResult<Vec<CaseloadEntry>> {
    let (source, filter, values) = caseload_filter(q);
    let n = values.len();
    let sql = format!(
        "SELECT c.person_id, c.name, c.name_kana, c.birth_date, c.opened_on, c.stage, c.last_contact_on,
                c.next_action, c.next_action_on
         FROM {source} c WHERE c.prefecture = $2 AND {filter}
         ORDER BY {} LIMIT ${} OFFSET ${}",
        caseload_order(q.sort),
        n + 3,
        n + 4
    );
    let (limit, offset) = (i64::from(limit), i64::from(offset));
    let mut params: Vec<&(dyn ToSql + Sync)> = vec![&agency.0, &prefecture];
    params.extend(values.iter().map(|v| &**v as &(dyn ToSql + Sync)));
    params.extend([&limit as &(dyn ToSql + Sync), &offset]);
    query(client, &sql, &params)
        .await?
        .iter()
        .map(|r| {
            Ok(CaseloadEntry {
                person: PersonId(r.try_get(0).map_err(db_err)?),
                name: r.try_get(1).map_err(db_err)?,
                name_kana: r.try_get(2).map_err(db_err)?,
                birth_date: r.try_get(3).map_err(db_err)?,
                opened_on: r.try_get(4).map_err(db_err)?,
                stage: r
                    .try_get::<_, Option<String>>(5)
                    .map_err(db_err)?
                    .as_deref()
                    .map(crate::journey::parse_stage)
                    .transpose()?,
                last_contact_on: r.try_get(6).map_err(db_err)?,
                next_action: r
                    .try_get::<_, Option<String>>(7)
                    .map_err(db_err)?
                    .map(|a| r.try_get(8).map(|on| (a, on)))
                    .transpose()
                    .map_err(db_err)?,
            })
        })
        .collect()
}

/// How many of an agency's open cases `q` lists: the kept count when it lists them all.
async fn caseload_size_in(
    client: &impl GenericClient,
    prefecture: &str,
    agency: AgencyId,
    q: &CaseloadQuery,
) -> StoreResult<i64> {
    let row = if q.is_unfiltered() {
        query_opt(
            client,
            "SELECT open_cases FROM caseload_sizes WHERE agency_id = $1 AND prefecture = $2",
            &[&agency.0, &prefecture],
        )
        .await?
    } else {
        let (source, filter, values) = caseload_filter(q);
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![&agency.0, &prefecture];
        params.extend(values.iter().map(|v| &**v as &(dyn ToSql + Sync)));
        let sql = format!("SELECT count(*) FROM {source} c WHERE c.prefecture = $2 AND {filter}");
        query_opt(client, &sql, &params).await?
    };
    Ok(row.map(|r| r.try_get(0)).transpose().map_err(db_err)?.unwrap_or(0))
}

/// Replaces a person's fields through `c` if still at `p.version - 1`, else
/// [`StoreError::Conflict`]; the copies of the name on cases, follow-ups and plans move with them.
pub(crate) async fn update_person_in(c: &impl GenericClient, p: &Person) -> StoreResult<()> {
    let current: Option<i64> = c
        .query_opt(
            "SELECT version FROM persons WHERE id = $1 AND prefecture = $2 FOR UPDATE",
            &[&p.id.0, &p.prefecture],
        )
        .await
        .map_err(db_err)?
        .map(|r| r.try_get(0))
        .transpose()
        .map_err(db_err)?;
    match current {
        None => return Err(StoreError::NotFound),
        Some(v) if v != p.version - 1 => return Err(StoreError::Conflict { current: v }),
        Some(_) => {}
    }
    let f = &p.fields;
    execute(
        c,
        "UPDATE persons SET name = $2, name_kana = $3, birth_date = $4, phone = $5, email = $6, address = $7,
            categories = $8, certificates = $9, accommodations = $10, health_notes = $11,
            preferred_hours = $12, preferred_area = $13, duplicate_key = $14, version = $15, updated_at = $16,
            emergency_contact = $18, emergency_phone = $19
         WHERE id = $1 AND prefecture = $17",
        &[
            &p.id.0,
            &f.name,
            &f.name_kana,
            &f.birth_date,
            &f.phone,
            &f.email,
            &f.address,
            &encode_disabilities(&f.categories),
            &encode_certificates(&f.certificates),
            &f.accommodations,
            &f.health_notes,
            &f.preferred_hours.map(i32::from),
            &f.preferred_area,
            &duplicate_key(&f.name_kana, f.birth_date),
            &p.version,
            &p.updated_at,
            &p.prefecture,
            &f.emergency_contact,
            &f.emergency_phone,
        ],
    )
    .await?;
    let named: [&(dyn ToSql + Sync); 3] = [&p.id.0, &f.name, &p.prefecture];
    execute(c, "UPDATE follow_ups SET person_name = $2 WHERE person_id = $1 AND prefecture = $3", &named).await?;
    execute(c, "UPDATE support_plans SET person_name = $2 WHERE person_id = $1 AND prefecture = $3", &named).await?;
    execute(
        c,
        "UPDATE cases SET name_kana = $2, name = $3, birth_date = $4 WHERE person_id = $1 AND prefecture = $5",
        &[&p.id.0, &f.name_kana, &f.name, &f.birth_date, &p.prefecture],
    )
    .await?;
    Ok(())
}

/// Writes an emergency override granted, through `c`.
pub(crate) async fn insert_emergency_access_in(c: &impl GenericClient, g: &EmergencyAccess) -> StoreResult<()> {
    execute(
        c,
        "INSERT INTO emergency_access (id, prefecture, account_id, person_id, reason, granted_at, until)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[&g.id, &g.prefecture, &g.account.0, &g.person.0, &g.reason, &g.granted_at, &g.until],
    )
    .await
    .map(|_| ())
}

#[async_trait]
impl PersonStore for PostgresStore {
    async fn emergency_access(
        &self,
        account: AccountId,
        person: PersonId,
        at: time::OffsetDateTime,
    ) -> StoreResult<Option<EmergencyAccess>> {
        let row = query_opt(
            &self.client().await?,
            "SELECT id, prefecture, account_id, person_id, reason, granted_at, until FROM emergency_access
             WHERE account_id = $1 AND person_id = $2 AND prefecture = $3 AND until > $4 AND granted_at <= $4
             ORDER BY until DESC LIMIT 1",
            &[&account.0, &person.0, &&*self.prefecture, &at],
        )
        .await?;
        row.map(|r| {
            Ok(EmergencyAccess {
                id: r.try_get(0).map_err(db_err)?,
                prefecture: r.try_get(1).map_err(db_err)?,
                account: AccountId(r.try_get(2).map_err(db_err)?),
                person: PersonId(r.try_get(3).map_err(db_err)?),
                reason: r.try_get(4).map_err(db_err)?,
                granted_at: r.try_get(5).map_err(db_err)?,
                until: r.try_get(6).map_err(db_err)?,
            })
        })
        .transpose()
    }

    async fn person_file(&self, id: PersonId) -> StoreResult<Option<PersonFile>> {
        // The four reads are pipelined: one round trip. Each sees the database as of its own
        // start, as the statements of a READ COMMITTED transaction would.
        let client = self.client().await?;
        let person_sql = format!("SELECT {PERSON_COLUMNS}, stage FROM persons WHERE id = $1 AND prefecture = $2");
        let consents_sql = format!(
            "SELECT {CONSENT_COLUMNS} FROM consents WHERE person_id = $1 AND prefecture = $2 ORDER BY recorded_at, id"
        );
        let prefecture: &str = &self.prefecture;
        let by_person: &[&(dyn ToSql + Sync)] = &[&id.0, &prefecture];
        let (row, cases, consents, links) = futures_util::try_join!(
            query_opt(&client, &person_sql, by_person),
            query(
                &client,
                "SELECT id, prefecture, person_id, agency_id, opened_on, closed_on, opened_by FROM cases
                 WHERE person_id = $1 AND prefecture = $2 ORDER BY opened_on, id",
                by_person,
            ),
            query(&client, &consents_sql, by_person),
            query(
                &client,
                "SELECT other_id FROM person_links WHERE person_id = $1 AND prefecture = $2 ORDER BY other_id",
                by_person
            ),
        )?;
        let Some(row) = row else {
            return Ok(None);
        };
        let person = person_from_row(&row)?;
        let cases = cases.iter().map(case_from_row).collect::<StoreResult<_>>()?;
        let consents = consents.iter().map(consent_from_row).collect::<StoreResult<_>>()?;
        let links =
            links.iter().map(|r| r.try_get::<_, Uuid>(0).map(PersonId).map_err(db_err)).collect::<StoreResult<_>>()?;
        let stage: Option<String> = row.try_get("stage").map_err(db_err)?;
        let stage = stage.as_deref().map(crate::journey::parse_stage).transpose()?;
        Ok(Some(PersonFile { person, cases, consents, links, stage }))
    }

    async fn persons_with_duplicate_keys(&self, keys: &[String]) -> StoreResult<Vec<DuplicateMatch>> {
        let rows = self
            .client()
            .await?
            .query(
                "SELECT p.duplicate_key, p.id, c.agency_id FROM persons p
                 LEFT JOIN cases c ON c.person_id = p.id AND c.prefecture = p.prefecture AND c.closed_on IS NULL
                 WHERE p.duplicate_key = ANY($1) AND p.prefecture = $2
                 ORDER BY p.duplicate_key COLLATE \"C\", p.id, c.agency_id",
                &[&keys, &&*self.prefecture],
            )
            .await
            .map_err(db_err)?;
        let mut out: Vec<DuplicateMatch> = Vec::new();
        for r in rows {
            let key: String = r.try_get(0).map_err(db_err)?;
            let person = PersonId(r.try_get(1).map_err(db_err)?);
            let agency = r.try_get::<_, Option<Uuid>>(2).map_err(db_err)?.map(AgencyId);
            match out.last_mut() {
                Some(m) if m.person == person && m.key == key => m.open_at.extend(agency),
                _ => out.push(DuplicateMatch { key, person, open_at: agency.into_iter().collect() }),
            }
        }
        Ok(out)
    }

    async fn caseload(&self, agency: AgencyId, offset: u32, limit: u32) -> StoreResult<Vec<CaseloadEntry>> {
        let client = self.client().await?;
        caseload_in(&client, &self.prefecture, agency, offset, limit).await
    }

    async fn caseload_page(
        &self,
        agency: AgencyId,
        query: &CaseloadQuery,
        offset: u32,
        limit: u32,
        due_by: time::Date,
        due_limit: u32,
    ) -> StoreResult<CaseloadPage> {
        // The count, the page and the three due lists are pipelined: one round trip.
        let client = self.client().await?;
        let prefecture: &str = &self.prefecture;
        let (total, entries, due, follow_ups, plan_reviews) = futures_util::try_join!(
            caseload_size_in(&client, prefecture, agency, query),
            caseload_query_in(&client, prefecture, agency, query, offset, limit),
            crate::journey::due_actions_in(&client, prefecture, agency, due_by, due_limit),
            crate::journey::due_follow_ups_in(&client, prefecture, agency, due_by, due_limit),
            crate::journey::due_plan_reviews_in(&client, prefecture, agency, due_by, due_limit),
        )?;
        let page = CaseloadPage { entries, total: total.max(0) as u64, due, follow_ups, plan_reviews };
        Ok(page)
    }
}
