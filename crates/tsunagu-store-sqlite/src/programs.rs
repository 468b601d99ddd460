//! [`ProgramStore`] on SQLite.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, Connection, params};
use tsunagu_domain::counts::{Count, Measure};
use tsunagu_domain::directory::{AgencyId, AgencyKind};
use tsunagu_domain::program::{
    Cell, Figure, FigureKind, FiscalYear, Indicator, Program, ProgramCode, Registry, Source,
};
use tsunagu_domain::retention::{GroupKey, Kept, Placement};
use tsunagu_store::codec::decode_disabilities;
use tsunagu_store::{JourneyRecount, ProgramStore, StoreError, StoreResult};

use crate::consents::parse_date;

use crate::SqliteStore;
use crate::directory::conv;

fn bad(what: &str, value: &str) -> rusqlite::Error {
    conv(StoreError::Backend(format!("unknown {what} {value:?} in the program registry").into()))
}

fn code(raw: &str) -> rusqlite::Result<ProgramCode> {
    ProgramCode::parse(raw).ok_or_else(|| bad("program code", raw))
}

/// The prefecture's placements, their ends and whether they had workplace support: one pass over
/// the moves to employed, each end and support looked up by the person's indexes.
const PLACEMENTS: &str = "SELECT persons.categories, s.on_date, \
     (SELECT MIN(e.on_date) FROM stage_changes e WHERE e.prefecture = s.prefecture AND e.person_id = s.person_id \
        AND e.stage IN ('separated', 'welfare_transition', 'closed') AND e.on_date >= s.on_date), \
     EXISTS (SELECT 1 FROM support_records r WHERE r.prefecture = s.prefecture AND r.person_id = s.person_id \
        AND r.kind IN ('workplace_visit', 'accompaniment') AND r.on_date >= s.on_date) \
     FROM stage_changes s JOIN persons ON persons.prefecture = s.prefecture AND persons.id = s.person_id \
     WHERE s.prefecture = ?1 AND s.stage = 'employed'";

/// The journey's records of a prefecture, read row by row (agency, day, breakdown; a referral's
/// day in Japan), between two days (`?2` inclusive, `?3` exclusive), each statement with its
/// measure (`None`: a stage change's, by its stage). Counted as they are read, in a hash map:
/// SQLite's GROUP BY sorts the three million rows of the tokyo demo first, which takes six
/// times as long as reading them.
const RECOUNT: [(Option<Measure>, &str); 3] = [
    (
        None,
        "SELECT agency_id, on_date, stage FROM stage_changes \
         WHERE prefecture = ?1 AND stage IN ('employed', 'separated') AND on_date >= ?2 AND on_date < ?3",
    ),
    (
        Some(Measure::SupportRecords),
        "SELECT agency_id, on_date, kind FROM support_records WHERE prefecture = ?1 AND on_date >= ?2 AND on_date < ?3",
    ),
    (
        Some(Measure::Referrals),
        "SELECT from_agency, date(sent_at, '+9 hours') AS on_date, '' FROM referrals \
         WHERE prefecture = ?1 AND on_date >= ?2 AND on_date < ?3",
    ),
];

/// The fiscal year of a day or month written `YYYY-MM…`.
fn fiscal_year_of_day(day: &str) -> Option<FiscalYear> {
    let year: i32 = day.get(..4)?.parse().ok()?;
    let m: u8 = day.get(5..7)?.parse().ok()?;
    Some(FiscalYear(if m < 4 { year - 1 } else { year }))
}

fn measure(raw: &str) -> rusqlite::Result<Measure> {
    Measure::parse(raw).ok_or_else(|| bad("measure", raw))
}

fn agency(raw: &str) -> rusqlite::Result<AgencyId> {
    uuid::Uuid::parse_str(raw).map(AgencyId).map_err(|_| bad("agency", raw))
}

/// The kept counts by kind of `prefecture` (of `year` only, if given); a kind no longer known is
/// left out.
fn kept_by_kind(
    c: &Connection,
    prefecture: &str,
    year: Option<FiscalYear>,
) -> rusqlite::Result<Vec<Count<AgencyKind>>> {
    let mut rows = c.prepare_cached(
        "SELECT agency_kind, measure, fiscal_year, breakdown, value FROM journey_counts \
         WHERE prefecture = ?1 AND value <> 0 AND (?2 IS NULL OR fiscal_year = ?2)",
    )?;
    let mut counts = Vec::new();
    let mut found = rows.query(params![prefecture, year.map(|y| y.0)])?;
    while let Some(r) = found.next()? {
        let Some(by) = AgencyKind::parse(&r.get::<_, String>(0)?) else { continue };
        counts.push(Count {
            by,
            measure: measure(&r.get::<_, String>(1)?)?,
            year: FiscalYear(r.get(2)?),
            breakdown: r.get(3)?,
            value: r.get(4)?,
        });
    }
    Ok(counts)
}

fn kept_by_agency(
    c: &Connection,
    prefecture: &str,
    year: Option<FiscalYear>,
) -> rusqlite::Result<Vec<Count<AgencyId>>> {
    c.prepare_cached(
        "SELECT agency_id, measure, fiscal_year, breakdown, value FROM agency_journey_counts \
         WHERE prefecture = ?1 AND value <> 0 AND (?2 IS NULL OR fiscal_year = ?2)",
    )?
    .query_map(params![prefecture, year.map(|y| y.0)], |r| {
        Ok(Count {
            by: agency(&r.get::<_, String>(0)?)?,
            measure: measure(&r.get::<_, String>(1)?)?,
            year: FiscalYear(r.get(2)?),
            breakdown: r.get(3)?,
            value: r.get(4)?,
        })
    })?
    .collect()
}

fn recounted_by_agency(
    c: &Connection,
    prefecture: &str,
    year: Option<FiscalYear>,
) -> rusqlite::Result<Vec<Count<AgencyId>>> {
    let (from, until) = match year {
        Some(y) => (format!("{:04}-04-01", y.0), format!("{:04}-04-01", y.0 + 1)),
        None => (String::new(), "~".to_owned()),
    };
    // Breakdowns are few (the kinds of support): each is kept once, and keys hold its index.
    let mut breakdowns: Vec<String> = Vec::new();
    let mut counts: std::collections::HashMap<(AgencyId, Measure, FiscalYear, usize), i64> = Default::default();
    for (measure, sql) in RECOUNT {
        let mut statement = c.prepare(sql)?;
        let mut rows = statement.query(params![prefecture, from, until])?;
        while let Some(r) = rows.next()? {
            let by = agency(r.get_ref(0)?.as_str()?)?;
            let day = r.get_ref(1)?.as_str()?;
            let year = fiscal_year_of_day(day).ok_or_else(|| bad("day", day))?;
            let third = r.get_ref(2)?.as_str()?;
            let (measure, breakdown) = match measure {
                Some(m) => (m, third),
                None if third == "employed" => (Measure::Placements, ""),
                None => (Measure::Separations, ""),
            };
            let b = match breakdowns.iter().position(|b| b == breakdown) {
                Some(b) => b,
                None => {
                    breakdowns.push(breakdown.to_owned());
                    breakdowns.len() - 1
                }
            };
            *counts.entry((by, measure, year, b)).or_default() += 1;
        }
    }
    Ok(counts
        .into_iter()
        .map(|((by, measure, year, b), value)| Count { by, measure, year, breakdown: breakdowns[b].clone(), value })
        .collect())
}

fn read_registry(c: &Connection) -> rusqlite::Result<Registry> {
    let programs = c
        .prepare(
            "SELECT code, viewpoint, action, name, description, unit_price, scale, owner, implementer, repeats, ended \
             FROM programs ORDER BY position",
        )?
        .query_map([], |r| {
            let repeats: Option<String> = r.get(9)?;
            Ok(Program {
                code: code(&r.get::<_, String>(0)?)?,
                viewpoint: r.get(1)?,
                action: r.get(2)?,
                name: r.get(3)?,
                description: r.get(4)?,
                unit_price: r.get(5)?,
                scale: r.get(6)?,
                owner: r.get(7)?,
                implementer: r.get(8)?,
                repeats: repeats.as_deref().map(code).transpose()?,
                ended: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let indicators = c
        .prepare("SELECT code, program, name, unit, breakdown, source FROM indicators ORDER BY code")?
        .query_map([], |r| {
            let source: String = r.get(5)?;
            Ok(Indicator {
                code: r.get(0)?,
                program: code(&r.get::<_, String>(1)?)?,
                name: r.get(2)?,
                unit: r.get(3)?,
                breakdown: r.get(4)?,
                source: Source::parse(&source).ok_or_else(|| bad("source", &source))?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let cells = c
        .prepare("SELECT program, fiscal_year, kind, text FROM program_cells ORDER BY program, fiscal_year, kind")?
        .query_map([], |r| {
            let kind: String = r.get(2)?;
            Ok(Cell {
                program: code(&r.get::<_, String>(0)?)?,
                year: FiscalYear(r.get(1)?),
                kind: FigureKind::parse(&kind).ok_or_else(|| bad("cell kind", &kind))?,
                text: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let figures = c
        .prepare(
            "SELECT indicator, fiscal_year, kind, breakdown, value, max_value FROM figures \
             ORDER BY indicator, fiscal_year, kind, breakdown",
        )?
        .query_map([], |r| {
            let kind: String = r.get(2)?;
            Ok(Figure {
                indicator: r.get(0)?,
                year: FiscalYear(r.get(1)?),
                kind: FigureKind::parse(&kind).ok_or_else(|| bad("figure kind", &kind))?,
                breakdown: r.get(3)?,
                value: r.get(4)?,
                max: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Registry { programs, indicators, cells, figures })
}

/// Writes a figure through `c`, replacing the one of the same indicator, year, kind and breakdown.
pub(crate) fn set_figure_in(c: &Connection, f: &Figure) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO figures (indicator, fiscal_year, kind, breakdown, value, max_value) VALUES (?1, ?2, ?3, ?4, ?5, ?6) \
         ON CONFLICT (indicator, fiscal_year, kind, breakdown) DO UPDATE SET value = excluded.value, \
         max_value = excluded.max_value",
    )?
    .execute(params![f.indicator, f.year.0, f.kind.code(), f.breakdown, f.value, f.max])?;
    Ok(())
}

/// Writes a program's editable fields through `c`.
pub(crate) fn update_program_in(c: &Connection, p: &Program) -> StoreResult<()> {
    let n = c
        .prepare_cached(
            "UPDATE programs SET name = ?2, description = ?3, unit_price = ?4, scale = ?5, owner = ?6, \
             implementer = ?7, ended = ?8 WHERE code = ?1",
        )
        .and_then(|mut s| {
            s.execute(params![
                p.code.as_str(),
                p.name,
                p.description,
                p.unit_price,
                p.scale,
                p.owner,
                p.implementer,
                p.ended
            ])
        })
        .map_err(crate::db_err)?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

fn insert_registry_in(c: &mut Connection, r: &Registry) -> rusqlite::Result<()> {
    let tx = c.transaction()?;
    {
        // Programs first without the program they repeat, which may come later in the document.
        let mut insert = tx.prepare(
            "INSERT INTO programs (code, position, viewpoint, action, name, description, unit_price, scale, owner, \
             implementer, repeats, ended) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, NULL, ?11)",
        )?;
        for (position, p) in r.programs.iter().enumerate() {
            insert.execute(params![
                p.code.as_str(),
                i64::try_from(position).unwrap_or(i64::MAX),
                p.viewpoint,
                p.action,
                p.name,
                p.description,
                p.unit_price,
                p.scale,
                p.owner,
                p.implementer,
                p.ended
            ])?;
        }
        let mut repeats = tx.prepare("UPDATE programs SET repeats = ?2 WHERE code = ?1")?;
        for p in r.programs.iter().filter(|p| p.repeats.is_some()) {
            repeats.execute(params![p.code.as_str(), p.repeats.as_ref().map(ProgramCode::as_str)])?;
        }
        let mut insert = tx.prepare(
            "INSERT INTO indicators (code, program, name, unit, breakdown, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for i in &r.indicators {
            insert.execute(params![i.code, i.program.as_str(), i.name, i.unit, i.breakdown, i.source.code()])?;
        }
        let mut insert =
            tx.prepare("INSERT INTO program_cells (program, fiscal_year, kind, text) VALUES (?1, ?2, ?3, ?4)")?;
        for cell in &r.cells {
            insert.execute(params![cell.program.as_str(), cell.year.0, cell.kind.code(), cell.text])?;
        }
        let mut insert = tx.prepare(
            "INSERT INTO figures (indicator, fiscal_year, kind, breakdown, value, max_value) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for f in &r.figures {
            insert.execute(params![f.indicator, f.year.0, f.kind.code(), f.breakdown, f.value, f.max])?;
        }
    }
    tx.commit()
}

/// Placements read by `sql` with `params`: categories, day, end, support.
fn read_placements(c: &Connection, sql: &str, params: impl rusqlite::Params) -> rusqlite::Result<Vec<Placement>> {
    c.prepare_cached(sql)?
        .query_map(params, |r| {
            let ended: Option<String> = r.get(2)?;
            Ok(Placement {
                categories: decode_disabilities(&r.get::<_, String>(0)?).map_err(conv)?,
                placed_on: parse_date(&r.get::<_, String>(1)?)?,
                ended_on: ended.as_deref().map(parse_date).transpose()?,
                workplace_support: r.get(3)?,
            })
        })?
        .collect()
}

fn group(raw: &str) -> rusqlite::Result<GroupKey> {
    GroupKey::parse(raw).ok_or_else(|| conv(StoreError::Backend(format!("unknown retention group {raw:?}").into())))
}

/// What migration 0023's triggers keep of a prefecture's placements, as of `today`.
fn read_kept(c: &Connection, prefecture: &str, today: time::Date) -> rusqlite::Result<Kept> {
    let ended = c
        .prepare_cached("SELECT grp, days, n FROM retention_ended WHERE prefecture = ?1 AND n <> 0")?
        .query_map([prefecture], |r| Ok((group(&r.get::<_, String>(0)?)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let held = c
        .prepare_cached("SELECT grp, placed_on, n FROM retention_held WHERE prefecture = ?1 AND n <> 0")?
        .query_map([prefecture], |r| {
            Ok((group(&r.get::<_, String>(0)?)?, parse_date(&r.get::<_, String>(1)?)?, r.get(2)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let ending_later = read_placements(
        c,
        "SELECT categories, placed_on, ended_on, workplace_support FROM placement_spells \
         WHERE prefecture = ?1 AND ended_on > ?2",
        rusqlite::params![prefecture, crate::consents::date(today)],
    )?;
    Ok(Kept { ended, held, ending_later })
}

#[async_trait]
impl ProgramStore for SqliteStore {
    async fn registry(&self) -> StoreResult<Registry> {
        self.query(|c| read_registry(c)).await
    }

    async fn retention(&self, prefecture: &str, today: time::Date) -> StoreResult<Kept> {
        let prefecture = prefecture.to_owned();
        self.query(move |c| read_kept(c, &prefecture, today)).await
    }

    async fn retention_recount(&self, prefecture: &str, today: time::Date) -> StoreResult<(Kept, Vec<Placement>)> {
        let prefecture = prefecture.to_owned();
        self.query(move |c| {
            // One read transaction: what is kept and the records, as of one moment.
            let tx = c.transaction()?;
            let kept = read_kept(&tx, &prefecture, today)?;
            let placements = read_placements(&tx, PLACEMENTS, rusqlite::params![prefecture])?;
            tx.commit()?;
            Ok((kept, placements))
        })
        .await
    }

    async fn insert_registry(&self, registry: &Registry) -> StoreResult<()> {
        let registry = registry.clone();
        self.with_conn(move |c| insert_registry_in(c, &registry).map_err(crate::db_err)).await
    }

    async fn journey_counts(&self, prefecture: &str) -> StoreResult<Vec<Count<AgencyKind>>> {
        let prefecture = prefecture.to_owned();
        self.query(move |c| kept_by_kind(c, &prefecture, None)).await
    }

    async fn journey_recount(&self, prefecture: &str, year: Option<FiscalYear>) -> StoreResult<JourneyRecount> {
        let prefecture = prefecture.to_owned();
        self.query(move |c| {
            // One read transaction: the counts and the records are read as of one moment.
            let tx = c.transaction()?;
            let recount = JourneyRecount {
                kept_by_agency: kept_by_agency(&tx, &prefecture, year)?,
                kept_by_kind: kept_by_kind(&tx, &prefecture, year)?,
                recounted_by_agency: recounted_by_agency(&tx, &prefecture, year)?,
            };
            tx.commit()?;
            Ok(recount)
        })
        .await
    }
}
