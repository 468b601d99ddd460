//! [`OpeningStore`] on SQLite, and the opening change of a commit.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, ToSql, params, params_from_iter};
use tsunagu_domain::LocalGovCode;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::opening::{Accommodation, Opening, OpeningId, bits, category_bit};
use tsunagu_store::codec::{decode_opening, encode_opening};
use tsunagu_store::{OpeningPage, OpeningQuery, OpeningStore, StoreResult};

use crate::consents::date;
use crate::directory::{conv, timestamp};
use crate::{SqliteStore, db_err, versioned_refusal};

/// Adds the opening, or replaces it if the stored one is still at version `expected`.
pub(crate) fn save_opening_in(c: &rusqlite::Connection, o: &Opening, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_opening(o)?;
    let f = &o.fields;
    let id = o.id.0.to_string();
    let categories = bits(&f.categories, category_bit);
    let accommodations = bits(&f.accommodations, Accommodation::bit);
    let municipality = f.municipality.as_ref().map(LocalGovCode::as_str);
    let published_on = o.published_on.map(date);
    let written = match expected {
        None => c
            .prepare_cached(
                "INSERT INTO openings (id, prefecture, employer_id, status, hours_min, hours_max, municipality_code,
                    categories, accommodations, published_on, body, version, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (id) DO NOTHING",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    o.prefecture,
                    o.employer.0.to_string(),
                    o.status.code(),
                    f.hours_min,
                    f.hours_max,
                    municipality,
                    categories,
                    accommodations,
                    published_on,
                    body,
                    o.version,
                    timestamp(o.updated_at)
                ])
            }),
        Some(expected) => c
            .prepare_cached(
                "UPDATE openings SET status = ?2, hours_min = ?3, hours_max = ?4, municipality_code = ?5,
                    categories = ?6, accommodations = ?7, published_on = ?8, body = ?9, version = ?10, updated_at = ?11
                 WHERE id = ?1 AND version = ?12",
            )
            .and_then(|mut s| {
                s.execute(params![
                    id,
                    o.status.code(),
                    f.hours_min,
                    f.hours_max,
                    municipality,
                    categories,
                    accommodations,
                    published_on,
                    body,
                    o.version,
                    timestamp(o.updated_at),
                    expected
                ])
            }),
    }
    .map_err(db_err)?;
    if written == 1 {
        c.prepare_cached("UPDATE openings_revision SET value = value + 1 WHERE id = 1")
            .and_then(|mut s| s.execute([]))
            .map_err(db_err)?;
        return Ok(());
    }
    Err(versioned_refusal(c, "openings", "opening", &id, expected))
}

fn opening_from_body(body: &str) -> rusqlite::Result<Opening> {
    decode_opening(body).map_err(conv)
}

#[async_trait]
impl OpeningStore for SqliteStore {
    async fn opening(&self, id: OpeningId) -> StoreResult<Option<Opening>> {
        self.query(move |c| {
            c.prepare_cached("SELECT body FROM openings WHERE id = ?1")?
                .query_row([id.0.to_string()], |r| opening_from_body(&r.get::<_, String>(0)?))
                .optional()
        })
        .await
    }

    async fn openings_of(&self, employer: EmployerId) -> StoreResult<Vec<Opening>> {
        self.query(move |c| {
            c.prepare_cached("SELECT body FROM openings WHERE employer_id = ?1 ORDER BY updated_at DESC, id")?
                .query_map([employer.0.to_string()], |r| opening_from_body(&r.get::<_, String>(0)?))?
                .collect()
        })
        .await
    }

    async fn openings_revision(&self) -> StoreResult<i64> {
        self.lookup(|c| {
            c.prepare_cached("SELECT value FROM openings_revision WHERE id = 1")?.query_row([], |r| r.get(0))
        })
        .await
    }

    async fn every_published_opening(&self) -> StoreResult<Vec<(Opening, String)>> {
        self.query(|c| {
            c.prepare(
                "SELECT o.body, e.name FROM openings o JOIN employers e ON e.id = o.employer_id
                 WHERE o.status = 'published'",
            )?
            .query_map([], |r| Ok((opening_from_body(&r.get::<_, String>(0)?)?, r.get(1)?)))?
            .collect()
        })
        .await
    }

    async fn published_openings(&self, q: &OpeningQuery) -> StoreResult<OpeningPage> {
        let q = q.clone();
        self.query(move |c| {
            let mut clauses = vec!["o.status = 'published'".to_owned()];
            let mut values: Vec<Box<dyn ToSql + Send>> = Vec::new();
            if let Some(m) = &q.municipality {
                values.push(Box::new(m.as_str().to_owned()));
                clauses.push(format!("o.municipality_code = ?{}", values.len()));
            }
            if let Some(category) = q.category {
                values.push(Box::new(category_bit(category)));
                clauses.push(format!("(o.categories = 0 OR (o.categories & ?{}) != 0)", values.len()));
            }
            if let Some(hours) = q.hours {
                values.push(Box::new(i64::from(hours)));
                clauses.push(format!("o.hours_min <= ?{0} AND o.hours_max >= ?{0}", values.len()));
            }
            if !q.accommodations.is_empty() {
                values.push(Box::new(bits(&q.accommodations, Accommodation::bit)));
                clauses.push(format!("(o.accommodations & ?{0}) = ?{0}", values.len()));
            }
            let clause = clauses.join(" AND ");
            let tx = c.transaction()?;
            let total: i64 = tx
                .prepare(&format!("SELECT count(*) FROM openings o WHERE {clause}"))?
                .query_row(params_from_iter(values.iter()), |r| r.get(0))?;
            values.push(Box::new(i64::from(q.limit)));
            values.push(Box::new(i64::from(q.offset)));
            let n = values.len();
            let rows = tx
                .prepare(&format!(
                    "SELECT o.body, e.name FROM openings o JOIN employers e ON e.id = o.employer_id
                     WHERE {clause} ORDER BY o.published_on DESC, o.id LIMIT ?{} OFFSET ?{n}",
                    n - 1
                ))?
                .query_map(params_from_iter(values.iter()), |r| {
                    Ok((opening_from_body(&r.get::<_, String>(0)?)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(OpeningPage { total: total as u64, rows })
        })
        .await
    }
}
