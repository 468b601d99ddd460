//! [`PersonStore`] on SQLite.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
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

use crate::consents::{CONSENT_COLUMNS, consent_from_row, date, parse_date};
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err};

const PERSON_COLUMNS: &str = "id, prefecture, name, name_kana, birth_date, phone, email, address, categories, \
     certificates, accommodations, health_notes, preferred_hours, preferred_area, registered_by, version, created_at, \
     updated_at, emergency_contact, emergency_phone";

fn person_from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: PersonId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        fields: PersonFields {
            name: r.get(2)?,
            name_kana: r.get(3)?,
            birth_date: parse_date(&r.get::<_, String>(4)?)?,
            phone: r.get(5)?,
            email: r.get(6)?,
            address: r.get(7)?,
            categories: decode_disabilities(&r.get::<_, String>(8)?).map_err(conv)?,
            certificates: decode_certificates(&r.get::<_, String>(9)?).map_err(conv)?,
            accommodations: r.get(10)?,
            health_notes: r.get(11)?,
            preferred_hours: r.get(12)?,
            preferred_area: r.get(13)?,
            emergency_contact: r.get(18)?,
            emergency_phone: r.get(19)?,
        },
        registered_by: AgencyId(parse_uuid(&r.get::<_, String>(14)?)?),
        version: r.get(15)?,
        created_at: parse_timestamp(&r.get::<_, String>(16)?)?,
        updated_at: parse_timestamp(&r.get::<_, String>(17)?)?,
    })
}

fn case_from_row(r: &Row<'_>) -> rusqlite::Result<CaseRecord> {
    let closed: Option<String> = r.get(5)?;
    Ok(CaseRecord {
        id: parse_uuid(&r.get::<_, String>(0)?)?,
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        agency: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        opened_on: parse_date(&r.get::<_, String>(4)?)?,
        closed_on: closed.as_deref().map(parse_date).transpose()?,
        opened_by: AccountId(parse_uuid(&r.get::<_, String>(6)?)?),
    })
}

pub(crate) fn insert_registration(tx: &rusqlite::Connection, reg: &Registration) -> StoreResult<()> {
    let p = &reg.person;
    let f = &p.fields;
    // The check and the insert are one statement, in the one writer's transaction: no
    // registration written since can have been missed.
    let refuse = matches!(reg.duplicates, Duplicates::Refuse);
    let key = duplicate_key(&f.name_kana, f.birth_date);
    let inserted = tx
        .prepare_cached(&format!(
            "INSERT INTO persons ({PERSON_COLUMNS}, duplicate_key)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21
             WHERE NOT ?22 OR NOT EXISTS (SELECT 1 FROM persons WHERE duplicate_key = ?21)"
        ))
        .map_err(db_err)?
        .execute(params![
            p.id.0.to_string(),
            p.prefecture,
            f.name,
            f.name_kana,
            date(f.birth_date),
            f.phone,
            f.email,
            f.address,
            encode_disabilities(&f.categories),
            encode_certificates(&f.certificates),
            f.accommodations,
            f.health_notes,
            f.preferred_hours,
            f.preferred_area,
            p.registered_by.0.to_string(),
            p.version,
            timestamp(p.created_at),
            timestamp(p.updated_at),
            f.emergency_contact,
            f.emergency_phone,
            key,
            refuse,
        ])
        .map_err(db_err)?;
    if inserted == 0 {
        return Err(StoreError::Duplicate { what: "person" });
    }
    insert_registered(tx, reg, &key).map_err(db_err)
}

/// The rest of a registration once the person is written: consents, case, links.
fn insert_registered(tx: &rusqlite::Connection, reg: &Registration, key: &str) -> rusqlite::Result<()> {
    let p = &reg.person;
    let f = &p.fields;
    for consent in &reg.consents {
        crate::consents::insert_consent_in(tx, consent)?;
    }
    let c = &reg.case;
    tx.prepare_cached(
        "INSERT INTO cases (id, prefecture, person_id, agency_id, opened_on, closed_on, opened_by, name_kana, name,
            birth_date) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        c.id.to_string(),
        c.prefecture,
        c.person.0.to_string(),
        c.agency.0.to_string(),
        date(c.opened_on),
        c.closed_on.map(date),
        c.opened_by.0.to_string(),
        f.name_kana,
        f.name,
        date(f.birth_date),
    ])?;
    match &reg.duplicates {
        Duplicates::Refuse => {}
        Duplicates::LinkAll => {
            tx.prepare_cached(
                "INSERT OR IGNORE INTO person_links (person_id, other_id)
                 SELECT ?1, id FROM persons WHERE duplicate_key = ?2 AND id <> ?1
                 UNION ALL SELECT id, ?1 FROM persons WHERE duplicate_key = ?2 AND id <> ?1",
            )?
            .execute(params![p.id.0.to_string(), key])?;
        }
        Duplicates::Link(others) => {
            let mut link =
                tx.prepare_cached("INSERT OR IGNORE INTO person_links (person_id, other_id) VALUES (?1, ?2)")?;
            for other in others {
                link.execute(params![p.id.0.to_string(), other.0.to_string()])?;
                link.execute(params![other.0.to_string(), p.id.0.to_string()])?;
            }
        }
    }
    Ok(())
}

/// The persons with an open case at `agency`, by reading then id, `limit` from `offset`.
fn caseload_in(
    c: &rusqlite::Connection,
    agency: &str,
    offset: u32,
    limit: u32,
) -> rusqlite::Result<Vec<CaseloadEntry>> {
    caseload_query_in(c, agency, &CaseloadQuery::default(), offset, limit)
}

/// The columns of an agency's open cases a caseload page reads (all in `cases_caseload`).
const CASELOAD_SOURCE_COLUMNS: &str = "person_id, agency_id, name, name_kana, birth_date, opened_on, stage, \
     last_contact_on, next_action, next_action_on";

/// What a caseload query reads for `q`: the agency's open cases (`c`), as `FROM {source} c WHERE
/// {conditions}`, with the parameters, which follow the agency's (`?1`).
///
/// A reading's first kana are looked up as two ranges of the caseload index (hiragana and
/// katakana), joined by `UNION ALL`: SQLite reads an `OR` of two ranges by walking every open case
/// of the agency, where each range alone is a seek.
fn caseload_filter(q: &CaseloadQuery) -> (String, String, Vec<rusqlite::types::Value>) {
    use rusqlite::types::Value;
    let mut source = "cases".to_owned();
    let mut sql = "c.agency_id = ?1 AND c.closed_on IS NULL".to_owned();
    let mut values: Vec<Value> = Vec::new();
    let param = |values: &mut Vec<Value>, v: Value| {
        values.push(v);
        format!("?{}", values.len() + 1)
    };
    match &q.text {
        Some(NameSearch::ReadingStarts { hiragana, katakana }) => {
            let mut range = |from: &str| {
                let (a, b) = (
                    param(&mut values, Value::Text(from.to_owned())),
                    param(&mut values, Value::Text(after_prefix(from))),
                );
                format!(
                    "SELECT {CASELOAD_SOURCE_COLUMNS} FROM cases INDEXED BY cases_caseload
                     WHERE agency_id = ?1 AND closed_on IS NULL AND name_kana >= {a} AND name_kana < {b}"
                )
            };
            let (h, k) = (range(hiragana), range(katakana));
            // The ranges are disjoint: no case is read twice.
            source = format!("({h} UNION ALL {k})");
            sql = "1".to_owned();
        }
        Some(NameSearch::Anywhere { name, hiragana, katakana }) => {
            let (n, h, k) = (
                param(&mut values, Value::Text(name.clone())),
                param(&mut values, Value::Text(hiragana.clone())),
                param(&mut values, Value::Text(katakana.clone())),
            );
            sql +=
                &format!(" AND (instr(c.name, {n}) > 0 OR instr(c.name_kana, {h}) > 0 OR instr(c.name_kana, {k}) > 0)");
        }
        None => {}
    }
    match q.stage {
        Some(Some(stage)) => sql += &format!(" AND c.stage = {}", param(&mut values, Value::Text(stage.code().into()))),
        Some(None) => sql += " AND c.stage IS NULL",
        None => {}
    }
    if let Some(by) = q.due_by {
        let d = param(&mut values, Value::Text(date(by)));
        sql += &format!(
            " AND (c.next_action_on <= {d}
               OR EXISTS (SELECT 1 FROM follow_ups f WHERE f.person_id = c.person_id AND f.agency_id = c.agency_id
                          AND f.done_on IS NULL AND f.due_on <= {d})
               OR EXISTS (SELECT 1 FROM support_plans p WHERE p.person_id = c.person_id AND p.agency_id = c.agency_id
                          AND p.review_on IS NOT NULL AND p.review_on <= {d}))"
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

fn caseload_query_in(
    c: &rusqlite::Connection,
    agency: &str,
    q: &CaseloadQuery,
    offset: u32,
    limit: u32,
) -> rusqlite::Result<Vec<CaseloadEntry>> {
    let (source, filter, mut values) = caseload_filter(q);
    let n = values.len();
    let mut stmt = c.prepare_cached(&format!(
        "SELECT c.person_id, c.name, c.name_kana, c.birth_date, c.opened_on, c.stage, c.last_contact_on,
                c.next_action, c.next_action_on
         FROM {source} c WHERE {filter}
         ORDER BY {} LIMIT ?{} OFFSET ?{}",
        caseload_order(q.sort),
        n + 2,
        n + 3
    ))?;
    values.insert(0, rusqlite::types::Value::Text(agency.to_owned()));
    values.push(i64::from(limit).into());
    values.push(i64::from(offset).into());
    let rows = stmt.query_map(rusqlite::params_from_iter(values), |r| {
        Ok(CaseloadEntry {
            person: PersonId(parse_uuid(&r.get::<_, String>(0)?)?),
            name: r.get(1)?,
            name_kana: r.get(2)?,
            birth_date: parse_date(&r.get::<_, String>(3)?)?,
            opened_on: parse_date(&r.get::<_, String>(4)?)?,
            stage: r.get::<_, Option<String>>(5)?.as_deref().map(crate::journey::parse_stage).transpose()?,
            last_contact_on: r.get::<_, Option<String>>(6)?.as_deref().map(parse_date).transpose()?,
            next_action: match r.get::<_, Option<String>>(7)? {
                Some(action) => Some((action, r.get::<_, Option<String>>(8)?.as_deref().map(parse_date).transpose()?)),
                None => None,
            },
        })
    })?;
    rows.collect()
}

/// How many of an agency's open cases `q` lists: the kept count when it lists them all.
fn caseload_size_in(c: &rusqlite::Connection, agency: &str, q: &CaseloadQuery) -> rusqlite::Result<i64> {
    if q.is_unfiltered() {
        return c
            .prepare_cached("SELECT COALESCE((SELECT open_cases FROM caseload_sizes WHERE agency_id = ?1), 0)")?
            .query_row([agency], |r| r.get(0));
    }
    let (source, filter, mut values) = caseload_filter(q);
    values.insert(0, rusqlite::types::Value::Text(agency.to_owned()));
    c.prepare_cached(&format!("SELECT count(*) FROM {source} c WHERE {filter}"))?
        .query_row(rusqlite::params_from_iter(values), |r| r.get(0))
}

/// Replaces a person's fields through `tx` if still at `p.version - 1`, else
/// [`StoreError::Conflict`]; the copies of the name on cases, follow-ups and plans move with them.
pub(crate) fn update_person_in(tx: &rusqlite::Connection, p: &Person) -> StoreResult<()> {
    let current: Option<i64> = tx
        .query_row("SELECT version FROM persons WHERE id = ?1", [p.id.0.to_string()], |r| r.get(0))
        .optional()
        .map_err(db_err)?;
    match current {
        None => return Err(StoreError::NotFound),
        Some(v) if v != p.version - 1 => return Err(StoreError::Conflict { current: v }),
        Some(_) => {}
    }
    let f = &p.fields;
    tx.execute(
        "UPDATE persons SET name = ?2, name_kana = ?3, birth_date = ?4, phone = ?5, email = ?6, address = ?7,
            categories = ?8, certificates = ?9, accommodations = ?10, health_notes = ?11,
            preferred_hours = ?12, preferred_area = ?13, duplicate_key = ?14, version = ?15, updated_at = ?16,
            emergency_contact = ?17, emergency_phone = ?18
         WHERE id = ?1",
        params![
            p.id.0.to_string(),
            f.name,
            f.name_kana,
            date(f.birth_date),
            f.phone,
            f.email,
            f.address,
            encode_disabilities(&f.categories),
            encode_certificates(&f.certificates),
            f.accommodations,
            f.health_notes,
            f.preferred_hours,
            f.preferred_area,
            duplicate_key(&f.name_kana, f.birth_date),
            p.version,
            timestamp(p.updated_at),
            f.emergency_contact,
            f.emergency_phone,
        ],
    )
    .map_err(db_err)?;
    tx.execute(
        "UPDATE cases SET name_kana = ?2, name = ?3, birth_date = ?4 WHERE person_id = ?1",
        params![p.id.0.to_string(), f.name_kana, f.name, date(f.birth_date)],
    )
    .map_err(db_err)?;
    for table in ["follow_ups", "support_plans"] {
        tx.execute(
            &format!("UPDATE {table} SET person_name = ?2 WHERE person_id = ?1"),
            params![p.id.0.to_string(), f.name],
        )
        .map_err(db_err)?;
    }
    Ok(())
}

/// Writes an emergency override granted, through `c`.
pub(crate) fn insert_emergency_access_in(c: &rusqlite::Connection, g: &EmergencyAccess) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO emergency_access (id, prefecture, account_id, person_id, reason, granted_at, until)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        g.id.to_string(),
        g.prefecture,
        g.account.0.to_string(),
        g.person.0.to_string(),
        g.reason,
        timestamp(g.granted_at.to_offset(time::UtcOffset::UTC)),
        timestamp(g.until.to_offset(time::UtcOffset::UTC)),
    ])
    .map(|_| ())
}

#[async_trait]
impl PersonStore for SqliteStore {
    async fn emergency_access(
        &self,
        account: AccountId,
        person: PersonId,
        at: time::OffsetDateTime,
    ) -> StoreResult<Option<EmergencyAccess>> {
        self.query(move |c| {
            // Its times are written as RFC 3339 in UTC, so text order is time order.
            const QUERY: &str = "SELECT id, prefecture, account_id, person_id, reason, granted_at, until
                 FROM emergency_access WHERE account_id = ?1 AND person_id = ?2 AND until > ?3 AND granted_at <= ?3
                 ORDER BY until DESC LIMIT 1";
            let at = timestamp(at.to_offset(time::UtcOffset::UTC));
            c.prepare_cached(QUERY)?
                .query_row(params![account.0.to_string(), person.0.to_string(), at], |r| {
                    Ok(EmergencyAccess {
                        id: parse_uuid(&r.get::<_, String>(0)?)?,
                        prefecture: r.get(1)?,
                        account: AccountId(parse_uuid(&r.get::<_, String>(2)?)?),
                        person: PersonId(parse_uuid(&r.get::<_, String>(3)?)?),
                        reason: r.get(4)?,
                        granted_at: parse_timestamp(&r.get::<_, String>(5)?)?,
                        until: parse_timestamp(&r.get::<_, String>(6)?)?,
                    })
                })
                .optional()
        })
        .await
    }

    async fn person_file(&self, id: PersonId) -> StoreResult<Option<PersonFile>> {
        self.lookup(move |c| {
            let tx = c.transaction()?;
            let key = id.0.to_string();
            let Some((person, stage)) = tx
                .prepare_cached(&format!("SELECT {PERSON_COLUMNS}, stage FROM persons WHERE id = ?1"))?
                .query_row([&key], |r| {
                    let stage =
                        r.get::<_, Option<String>>(20)?.as_deref().map(crate::journey::parse_stage).transpose()?;
                    Ok((person_from_row(r)?, stage))
                })
                .optional()?
            else {
                return Ok(None);
            };
            let cases = tx
                .prepare_cached(
                    "SELECT id, prefecture, person_id, agency_id, opened_on, closed_on, opened_by FROM cases
                     WHERE person_id = ?1 ORDER BY opened_on, id",
                )?
                .query_map([&key], case_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let consents = tx
                .prepare_cached(&format!(
                    "SELECT {CONSENT_COLUMNS} FROM consents WHERE person_id = ?1 ORDER BY recorded_at, id"
                ))?
                .query_map([&key], consent_from_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let links = tx
                .prepare_cached("SELECT other_id FROM person_links WHERE person_id = ?1 ORDER BY other_id")?
                .query_map([&key], |r| Ok(PersonId(parse_uuid(&r.get::<_, String>(0)?)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(Some(PersonFile { person, cases, consents, links, stage }))
        })
        .await
    }

    async fn persons_with_duplicate_keys(&self, keys: &[String]) -> StoreResult<Vec<DuplicateMatch>> {
        let mut keys = keys.to_vec();
        keys.sort();
        keys.dedup();
        self.query(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT p.id, c.agency_id FROM persons p
                 LEFT JOIN cases c ON c.person_id = p.id AND c.closed_on IS NULL
                 WHERE p.duplicate_key = ?1 ORDER BY p.id, c.agency_id",
            )?;
            let mut out: Vec<DuplicateMatch> = Vec::new();
            for key in keys {
                let mut rows = stmt.query([&key])?;
                while let Some(r) = rows.next()? {
                    let person = PersonId(parse_uuid(&r.get::<_, String>(0)?)?);
                    let agency = r.get::<_, Option<String>>(1)?.as_deref().map(parse_uuid).transpose()?.map(AgencyId);
                    match out.last_mut() {
                        Some(m) if m.person == person && m.key == key => m.open_at.extend(agency),
                        _ => {
                            out.push(DuplicateMatch { key: key.clone(), person, open_at: agency.into_iter().collect() })
                        }
                    }
                }
            }
            Ok(out)
        })
        .await
    }

    async fn caseload(&self, agency: AgencyId, offset: u32, limit: u32) -> StoreResult<Vec<CaseloadEntry>> {
        self.query(move |c| caseload_in(c, &agency.0.to_string(), offset, limit)).await
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
        let query = query.clone();
        self.query(move |c| {
            // One read transaction: one snapshot, and one check of the page cache against the log.
            let tx = c.transaction()?;
            let a = agency.0.to_string();
            let total = caseload_size_in(&tx, &a, &query)?;
            let page = CaseloadPage {
                entries: caseload_query_in(&tx, &a, &query, offset, limit)?,
                total: total.max(0) as u64,
                due: crate::journey::due_actions_in(&tx, &a, due_by, due_limit)?,
                follow_ups: crate::journey::due_follow_ups_in(&tx, &a, due_by, due_limit)?,
                plan_reviews: crate::journey::due_plan_reviews_in(&tx, &a, due_by, due_limit)?,
            };
            tx.commit()?;
            Ok(page)
        })
        .await
    }
}
