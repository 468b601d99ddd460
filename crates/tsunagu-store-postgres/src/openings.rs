//! [`OpeningStore`] on PostgreSQL, and the opening change of a commit.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tokio_postgres::types::ToSql;
use tsunagu_domain::LocalGovCode;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::opening::{Accommodation, Opening, OpeningId, bits, category_bit};
use tsunagu_store::codec::{decode_opening, encode_opening};
use tsunagu_store::{OpeningPage, OpeningQuery, OpeningStore, StoreResult};

use crate::{PostgresStore, db_err, execute, query, query_opt, read_snapshot, versioned_refusal};

/// Adds the opening, or replaces it if the stored one is still at version `expected`.
pub(crate) async fn save_opening_in(c: &impl GenericClient, o: &Opening, expected: Option<i64>) -> StoreResult<()> {
    let body = encode_opening(o)?;
    let f = &o.fields;
    let (hours_min, hours_max) = (i16::from(f.hours_min), i16::from(f.hours_max));
    let categories = bits(&f.categories, category_bit);
    let accommodations = bits(&f.accommodations, Accommodation::bit);
    let municipality = f.municipality.as_ref().map(LocalGovCode::as_str);
    let written =
        match expected {
            None => execute(
                c,
                "INSERT INTO openings (id, prefecture, employer_id, status, hours_min, hours_max, municipality_code,
                    categories, accommodations, published_on, body, version, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (id) DO NOTHING",
                &[
                    &o.id.0,
                    &o.prefecture,
                    &o.employer.0,
                    &o.status.code(),
                    &hours_min,
                    &hours_max,
                    &municipality,
                    &categories,
                    &accommodations,
                    &o.published_on,
                    &body,
                    &o.version,
                    &o.updated_at,
                ],
            )
            .await?,
            Some(expected) => {
                execute(
                    c,
                    "UPDATE openings SET status = $2, hours_min = $3, hours_max = $4, municipality_code = $5,
                    categories = $6, accommodations = $7, published_on = $8, body = $9, version = $10,
                    updated_at = $11
                 WHERE id = $1 AND prefecture = $12 AND version = $13",
                    &[
                        &o.id.0,
                        &o.status.code(),
                        &hours_min,
                        &hours_max,
                        &municipality,
                        &categories,
                        &accommodations,
                        &o.published_on,
                        &body,
                        &o.version,
                        &o.updated_at,
                        &o.prefecture,
                        &expected,
                    ],
                )
                .await?
            }
        };
    if written == 1 {
        execute(c, "UPDATE openings_revision SET value = value + 1 WHERE id = 1", &[]).await?;
        return Ok(());
    }
    Err(versioned_refusal(c, "openings", "opening", &o.id.0, &o.prefecture, expected).await)
}

#[async_trait]
impl OpeningStore for PostgresStore {
    async fn opening(&self, id: OpeningId) -> StoreResult<Option<Opening>> {
        let client = self.client().await?;
        let row = query_opt(
            &client,
            "SELECT body FROM openings WHERE id = $1 AND prefecture = $2",
            &[&id.0, &&*self.prefecture],
        )
        .await?;
        row.map(|r| decode_opening(r.get(0))).transpose()
    }

    async fn openings_of(&self, employer: EmployerId) -> StoreResult<Vec<Opening>> {
        let client = self.client().await?;
        let rows = query(
            &client,
            "SELECT body FROM openings WHERE employer_id = $1 AND prefecture = $2 ORDER BY updated_at DESC, id",
            &[&employer.0, &&*self.prefecture],
        )
        .await?;
        rows.iter().map(|r| decode_opening(r.get(0))).collect()
    }

    async fn openings_revision(&self) -> StoreResult<i64> {
        let client = self.client().await?;
        let row = query_opt(&client, "SELECT value FROM openings_revision WHERE id = 1", &[]).await?;
        row.map_or(Ok(0), |r| r.try_get(0).map_err(db_err))
    }

    async fn every_published_opening(&self) -> StoreResult<Vec<(Opening, String)>> {
        let client = self.client().await?;
        let rows = query(
            &client,
            "SELECT o.body, e.name FROM openings o JOIN employers e ON e.id = o.employer_id
             WHERE o.prefecture = $1 AND o.status = 'published'",
            &[&&*self.prefecture],
        )
        .await?;
        rows.iter()
            .map(|r| Ok((decode_opening(r.try_get(0).map_err(db_err)?)?, r.try_get(1).map_err(db_err)?)))
            .collect()
    }

    async fn published_openings(&self, q: &OpeningQuery) -> StoreResult<OpeningPage> {
        let mut values: Vec<Box<dyn ToSql + Sync + Send>> = vec![Box::new(self.prefecture.to_string())];
        let mut clauses = vec!["o.prefecture = $1".to_owned(), "o.status = 'published'".to_owned()];
        if let Some(m) = &q.municipality {
            values.push(Box::new(m.as_str().to_owned()));
            clauses.push(format!("o.municipality_code = ${}", values.len()));
        }
        if let Some(category) = q.category {
            values.push(Box::new(category_bit(category)));
            clauses.push(format!("(o.categories = 0 OR (o.categories & ${}) <> 0)", values.len()));
        }
        if let Some(hours) = q.hours {
            values.push(Box::new(i16::from(hours)));
            clauses.push(format!("o.hours_min <= ${0} AND o.hours_max >= ${0}", values.len()));
        }
        if !q.accommodations.is_empty() {
            values.push(Box::new(bits(&q.accommodations, Accommodation::bit)));
            clauses.push(format!("(o.accommodations & ${0}) = ${0}", values.len()));
        }
        let clause = clauses.join(" AND ");
        let mut client = self.client().await?;
        let tx = read_snapshot(&mut client).await?;
        let params: Vec<&(dyn ToSql + Sync)> = values.iter().map(|v| &**v as &(dyn ToSql + Sync)).collect();
        let total: i64 = tx
            .query_one(&format!("SELECT count(*) FROM openings o WHERE {clause}"), &params)
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
                    "SELECT o.body, e.name FROM openings o JOIN employers e ON e.id = o.employer_id
                     WHERE {clause} ORDER BY o.published_on DESC, o.id LIMIT ${} OFFSET ${n}",
                    n - 1
                ),
                &params,
            )
            .await
            .map_err(db_err)?;
        let rows = rows
            .iter()
            .map(|r| Ok((decode_opening(r.try_get(0).map_err(db_err)?)?, r.try_get(1).map_err(db_err)?)))
            .collect::<StoreResult<Vec<_>>>()?;
        tx.commit().await.map_err(db_err)?;
        Ok(OpeningPage { total: total as u64, rows })
    }
}
