//! [`ProgramStore`] on PostgreSQL.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use tsunagu_domain::counts::{Count, Measure};
use tsunagu_domain::directory::{AgencyId, AgencyKind};
use tsunagu_domain::program::{
    Cell, Figure, FigureKind, FiscalYear, Indicator, Program, ProgramCode, Registry, Source,
};
use tsunagu_domain::retention::{GroupKey, Kept, Placement};
use tsunagu_store::codec::decode_disabilities;
use tsunagu_store::{JourneyRecount, ProgramStore, StoreError, StoreResult};

use crate::{PostgresStore, db_err, query};

fn bad(what: &str, value: &str) -> StoreError {
    StoreError::Backend(format!("unknown {what} {value:?} in the program registry").into())
}

fn code(raw: &str) -> StoreResult<ProgramCode> {
    ProgramCode::parse(raw).ok_or_else(|| bad("program code", raw))
}

fn small(n: i32) -> StoreResult<u8> {
    u8::try_from(n).map_err(|_| bad("viewpoint or action", &n.to_string()))
}

/// The journey's records of a prefecture counted per agency, measure, fiscal year and breakdown
/// (of fiscal year `$2` only, unless it is NULL), as the triggers of migration 0024 count them.
const RECOUNT: &str = "SELECT agency_id, measure, fiscal_year, breakdown, count(*) FROM ( \
     SELECT agency_id, CASE stage WHEN 'employed' THEN 'placements' ELSE 'separations' END AS measure, \
            fiscal_year_of(on_date) AS fiscal_year, '' AS breakdown \
       FROM stage_changes WHERE prefecture = $1 AND stage IN ('employed', 'separated') \
     UNION ALL \
     SELECT agency_id, 'support_records', fiscal_year_of(on_date), kind FROM support_records WHERE prefecture = $1 \
     UNION ALL \
     SELECT from_agency, 'referrals', fiscal_year_of((sent_at AT TIME ZONE 'Asia/Tokyo')::date), '' \
       FROM referrals WHERE prefecture = $1 \
     ) t WHERE $2::integer IS NULL OR fiscal_year = $2 GROUP BY 1, 2, 3, 4";

/// A count of a row (whose, measure, fiscal year, breakdown, value).
fn count<K>(r: &tokio_postgres::Row, by: K) -> StoreResult<Count<K>> {
    let m: String = r.try_get(1).map_err(db_err)?;
    Ok(Count {
        by,
        measure: Measure::parse(&m).ok_or_else(|| bad("measure", &m))?,
        year: FiscalYear(r.try_get(2).map_err(db_err)?),
        breakdown: r.try_get(3).map_err(db_err)?,
        value: r.try_get(4).map_err(db_err)?,
    })
}

async fn by_agency(
    c: &impl GenericClient,
    sql: &str,
    prefecture: &str,
    year: Option<i32>,
) -> StoreResult<Vec<Count<AgencyId>>> {
    query(c, sql, &[&prefecture, &year])
        .await?
        .iter()
        .map(|r| count(r, AgencyId(r.try_get(0).map_err(db_err)?)))
        .collect()
}

/// The kept counts by kind of `prefecture` (of `year` only, if given); a kind no longer known is
/// left out.
async fn kept_by_kind(
    c: &impl GenericClient,
    prefecture: &str,
    year: Option<i32>,
) -> StoreResult<Vec<Count<AgencyKind>>> {
    let rows = query(
        c,
        "SELECT agency_kind, measure, fiscal_year, breakdown, value FROM journey_counts \
         WHERE prefecture = $1 AND value <> 0 AND ($2::integer IS NULL OR fiscal_year = $2)",
        &[&prefecture, &year],
    )
    .await?;
    rows.iter().filter_map(|r| AgencyKind::parse(r.try_get(0).unwrap_or_default()).map(|kind| count(r, kind))).collect()
}

/// The prefecture's placements, their ends and whether they had workplace support: one pass over
/// the moves to employed, each end and support looked up by the person's indexes.
const PLACEMENTS: &str = "SELECT persons.categories, s.on_date, \
     (SELECT MIN(e.on_date) FROM stage_changes e WHERE e.prefecture = s.prefecture AND e.person_id = s.person_id \
        AND e.stage IN ('separated', 'welfare_transition', 'closed') AND e.on_date >= s.on_date), \
     EXISTS (SELECT 1 FROM support_records r WHERE r.prefecture = s.prefecture AND r.person_id = s.person_id \
        AND r.kind IN ('workplace_visit', 'accompaniment') AND r.on_date >= s.on_date) \
     FROM stage_changes s JOIN persons ON persons.prefecture = s.prefecture AND persons.id = s.person_id \
     WHERE s.prefecture = $1 AND s.stage = 'employed'";

async fn read_registry(c: &impl GenericClient) -> StoreResult<Registry> {
    let sql = "SELECT code, viewpoint, action, name, description, unit_price, scale, owner, implementer, repeats, \
               ended FROM programs ORDER BY position";
    let programs = query(c, sql, &[])
        .await?
        .iter()
        .map(|r| {
            let repeats: Option<String> = r.try_get(9).map_err(db_err)?;
            Ok(Program {
                code: code(r.try_get(0).map_err(db_err)?)?,
                viewpoint: small(r.try_get(1).map_err(db_err)?)?,
                action: small(r.try_get(2).map_err(db_err)?)?,
                name: r.try_get(3).map_err(db_err)?,
                description: r.try_get(4).map_err(db_err)?,
                unit_price: r.try_get(5).map_err(db_err)?,
                scale: r.try_get(6).map_err(db_err)?,
                owner: r.try_get(7).map_err(db_err)?,
                implementer: r.try_get(8).map_err(db_err)?,
                repeats: repeats.as_deref().map(code).transpose()?,
                ended: r.try_get(10).map_err(db_err)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let indicators = query(c, "SELECT code, program, name, unit, breakdown, source FROM indicators ORDER BY code", &[])
        .await?
        .iter()
        .map(|r| {
            let source: String = r.try_get(5).map_err(db_err)?;
            Ok(Indicator {
                code: r.try_get(0).map_err(db_err)?,
                program: code(r.try_get(1).map_err(db_err)?)?,
                name: r.try_get(2).map_err(db_err)?,
                unit: r.try_get(3).map_err(db_err)?,
                breakdown: r.try_get(4).map_err(db_err)?,
                source: Source::parse(&source).ok_or_else(|| bad("source", &source))?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let cells =
        query(c, "SELECT program, fiscal_year, kind, text FROM program_cells ORDER BY program, fiscal_year, kind", &[])
            .await?
            .iter()
            .map(|r| {
                let kind: String = r.try_get(2).map_err(db_err)?;
                Ok(Cell {
                    program: code(r.try_get(0).map_err(db_err)?)?,
                    year: FiscalYear(r.try_get(1).map_err(db_err)?),
                    kind: FigureKind::parse(&kind).ok_or_else(|| bad("cell kind", &kind))?,
                    text: r.try_get(3).map_err(db_err)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
    let sql = "SELECT indicator, fiscal_year, kind, breakdown, value, max_value FROM figures \
               ORDER BY indicator, fiscal_year, kind, breakdown";
    let figures = query(c, sql, &[])
        .await?
        .iter()
        .map(|r| {
            let kind: String = r.try_get(2).map_err(db_err)?;
            Ok(Figure {
                indicator: r.try_get(0).map_err(db_err)?,
                year: FiscalYear(r.try_get(1).map_err(db_err)?),
                kind: FigureKind::parse(&kind).ok_or_else(|| bad("figure kind", &kind))?,
                breakdown: r.try_get(3).map_err(db_err)?,
                value: r.try_get(4).map_err(db_err)?,
                max: r.try_get(5).map_err(db_err)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Registry { programs, indicators, cells, figures })
}

/// Writes a figure through `c`, replacing the one of the same indicator, year, kind and breakdown.
pub(crate) async fn set_figure_in(c: &impl GenericClient, f: &Figure) -> StoreResult<()> {
    crate::execute(
        c,
        "INSERT INTO figures (indicator, fiscal_year, kind, breakdown, value, max_value) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (indicator, fiscal_year, kind, breakdown) DO UPDATE SET value = excluded.value, \
         max_value = excluded.max_value",
        &[&f.indicator, &f.year.0, &f.kind.code(), &f.breakdown, &f.value, &f.max],
    )
    .await?;
    Ok(())
}

/// Writes a program's editable fields through `c`.
pub(crate) async fn update_program_in(c: &impl GenericClient, p: &Program) -> StoreResult<()> {
    let n = crate::execute(
        c,
        "UPDATE programs SET name = $2, description = $3, unit_price = $4, scale = $5, owner = $6, \
         implementer = $7, ended = $8 WHERE code = $1",
        &[&p.code.as_str(), &p.name, &p.description, &p.unit_price, &p.scale, &p.owner, &p.implementer, &p.ended],
    )
    .await?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Placements read by `sql` with `params`: categories, day, end, support.
async fn read_placements(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn tokio_postgres::types::ToSql + Sync)],
) -> StoreResult<Vec<Placement>> {
    query(c, sql, params)
        .await?
        .iter()
        .map(|r| {
            Ok(Placement {
                categories: decode_disabilities(r.try_get(0).map_err(db_err)?)?,
                placed_on: r.try_get(1).map_err(db_err)?,
                ended_on: r.try_get(2).map_err(db_err)?,
                workplace_support: r.try_get(3).map_err(db_err)?,
            })
        })
        .collect()
}

fn group(raw: &str) -> StoreResult<GroupKey> {
    GroupKey::parse(raw).ok_or_else(|| StoreError::Backend(format!("unknown retention group {raw:?}").into()))
}

/// What migration 0026's triggers keep of a prefecture's placements, as of `today`.
async fn read_kept(c: &impl GenericClient, prefecture: &str, today: time::Date) -> StoreResult<Kept> {
    let ended = query(c, "SELECT grp, days, n FROM retention_ended WHERE prefecture = $1 AND n <> 0", &[&prefecture])
        .await?
        .iter()
        .map(|r| {
            let days: i32 = r.try_get(1).map_err(db_err)?;
            Ok((group(r.try_get(0).map_err(db_err)?)?, i64::from(days), r.try_get(2).map_err(db_err)?))
        })
        .collect::<StoreResult<_>>()?;
    let held =
        query(c, "SELECT grp, placed_on, n FROM retention_held WHERE prefecture = $1 AND n <> 0", &[&prefecture])
            .await?
            .iter()
            .map(|r| {
                Ok((
                    group(r.try_get(0).map_err(db_err)?)?,
                    r.try_get(1).map_err(db_err)?,
                    r.try_get(2).map_err(db_err)?,
                ))
            })
            .collect::<StoreResult<_>>()?;
    let ending_later = read_placements(
        c,
        "SELECT categories, placed_on, ended_on, workplace_support FROM placement_spells \
         WHERE prefecture = $1 AND ended_on > $2",
        &[&prefecture, &today],
    )
    .await?;
    Ok(Kept { ended, held, ending_later })
}

#[async_trait]
impl ProgramStore for PostgresStore {
    async fn registry(&self) -> StoreResult<Registry> {
        read_registry(&self.client().await?).await
    }

    async fn retention(&self, prefecture: &str, today: time::Date) -> StoreResult<Kept> {
        let mut client = self.client().await?;
        let tx = crate::read_snapshot(&mut client).await?;
        let kept = read_kept(&tx, prefecture, today).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(kept)
    }

    async fn retention_recount(&self, prefecture: &str, today: time::Date) -> StoreResult<(Kept, Vec<Placement>)> {
        let mut client = self.client().await?;
        // One snapshot: what is kept and the records, as of one moment.
        let tx = crate::read_snapshot(&mut client).await?;
        let kept = read_kept(&tx, prefecture, today).await?;
        let placements = read_placements(&tx, PLACEMENTS, &[&prefecture]).await?;
        tx.commit().await.map_err(db_err)?;
        Ok((kept, placements))
    }

    async fn journey_counts(&self, prefecture: &str) -> StoreResult<Vec<Count<AgencyKind>>> {
        kept_by_kind(&self.client().await?, prefecture, None).await
    }

    async fn journey_recount(&self, prefecture: &str, year: Option<FiscalYear>) -> StoreResult<JourneyRecount> {
        let mut client = self.client().await?;
        // One snapshot: the counts and the records are read as of one moment.
        let tx = crate::read_snapshot(&mut client).await?;
        // Memory enough for the recount's groups (a few hundred thousand at national scale): with
        // the default 4 MB its hash aggregates spilled to disk in batches and were merged again
        // by sorting (tokyo's 3 million records).
        tx.batch_execute("SET LOCAL work_mem = '256MB'").await.map_err(db_err)?;
        let year = year.map(|y| y.0);
        let kept = "SELECT agency_id, measure, fiscal_year, breakdown, value FROM agency_journey_counts \
                    WHERE prefecture = $1 AND value <> 0 AND ($2::integer IS NULL OR fiscal_year = $2)";
        let recount = JourneyRecount {
            kept_by_agency: by_agency(&tx, kept, prefecture, year).await?,
            kept_by_kind: kept_by_kind(&tx, prefecture, year).await?,
            recounted_by_agency: by_agency(&tx, RECOUNT, prefecture, year).await?,
        };
        tx.commit().await.map_err(db_err)?;
        Ok(recount)
    }

    async fn insert_registry(&self, r: &Registry) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        // Programs first without the program they repeat, which may come later in the document.
        let insert = tx
            .prepare(
                "INSERT INTO programs (code, position, viewpoint, action, name, description, unit_price, scale, \
                 owner, implementer, repeats, ended) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, NULL, $11)",
            )
            .await
            .map_err(db_err)?;
        for (position, p) in r.programs.iter().enumerate() {
            let position = i32::try_from(position).unwrap_or(i32::MAX);
            let (viewpoint, action) = (i32::from(p.viewpoint), i32::from(p.action));
            tx.execute(
                &insert,
                &[
                    &p.code.as_str(),
                    &position,
                    &viewpoint,
                    &action,
                    &p.name,
                    &p.description,
                    &p.unit_price,
                    &p.scale,
                    &p.owner,
                    &p.implementer,
                    &p.ended,
                ],
            )
            .await
            .map_err(db_err)?;
        }
        for p in r.programs.iter().filter(|p| p.repeats.is_some()) {
            let repeats = p.repeats.as_ref().map(ProgramCode::as_str);
            tx.execute("UPDATE programs SET repeats = $2 WHERE code = $1", &[&p.code.as_str(), &repeats])
                .await
                .map_err(db_err)?;
        }
        let insert = tx
            .prepare(
                "INSERT INTO indicators (code, program, name, unit, breakdown, source) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .await
            .map_err(db_err)?;
        for i in &r.indicators {
            tx.execute(&insert, &[&i.code, &i.program.as_str(), &i.name, &i.unit, &i.breakdown, &i.source.code()])
                .await
                .map_err(db_err)?;
        }
        let insert = tx
            .prepare("INSERT INTO program_cells (program, fiscal_year, kind, text) VALUES ($1, $2, $3, $4)")
            .await
            .map_err(db_err)?;
        for cell in &r.cells {
            tx.execute(&insert, &[&cell.program.as_str(), &cell.year.0, &cell.kind.code(), &cell.text])
                .await
                .map_err(db_err)?;
        }
        let insert = tx
            .prepare(
                "INSERT INTO figures (indicator, fiscal_year, kind, breakdown, value, max_value) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .await
            .map_err(db_err)?;
        for f in &r.figures {
            tx.execute(&insert, &[&f.indicator, &f.year.0, &f.kind.code(), &f.breakdown, &f.value, &f.max])
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }
}
