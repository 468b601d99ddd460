//! [`DirectoryStore`] on SQLite.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tsunagu_domain::directory::{Agency, AgencyFields, AgencyId, Block, BlockCode, Municipality};
use tsunagu_domain::employer::{Employer, EmployerId};
use tsunagu_store::codec::{
    decode_departments, decode_kind, decode_lg_code, decode_municipality_kind, decode_services, encode_departments,
    encode_services, kind_rank,
};
use tsunagu_store::{
    AgencyListing, DirectorySnapshot, DirectoryStore, EmployerLookup, EmployerRef, StoreError, StoreResult,
};
use uuid::Uuid;

use crate::{SqliteStore, db_err};

const AGENCY_COLUMNS: &str = "id, prefecture, kind, name, name_kana, municipality_code, block_code, postal_code, \
     address, phone, email, website, services, departments, notes, version, updated_at, fax, opening_hours";

/// Turns a conversion failure inside a row mapper into a rusqlite error, so mappers stay `?`-able.
pub(crate) fn conv(e: StoreError) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

pub(crate) fn timestamp(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

pub(crate) fn parse_timestamp(s: &str) -> rusqlite::Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| conv(StoreError::backend(e)))
}

pub(crate) fn parse_uuid(s: &str) -> rusqlite::Result<Uuid> {
    Uuid::parse_str(s).map_err(|e| conv(StoreError::backend(e)))
}

fn agency_from_row(r: &Row<'_>) -> rusqlite::Result<Agency> {
    let municipality: Option<String> = r.get(5)?;
    Ok(Agency {
        id: AgencyId(parse_uuid(&r.get::<_, String>(0)?)?),
        prefecture: r.get(1)?,
        fields: AgencyFields {
            kind: decode_kind(&r.get::<_, String>(2)?).map_err(conv)?,
            name: r.get(3)?,
            name_kana: r.get(4)?,
            municipality: municipality.as_deref().map(decode_lg_code).transpose().map_err(conv)?,
            block: r.get::<_, Option<String>>(6)?.map(BlockCode),
            postal_code: r.get(7)?,
            address: r.get(8)?,
            phone: r.get(9)?,
            fax: r.get(17)?,
            email: r.get(10)?,
            website: r.get(11)?,
            opening_hours: r.get(18)?,
            services: decode_services(&r.get::<_, String>(12)?).map_err(conv)?,
            departments: decode_departments(&r.get::<_, String>(13)?),
            notes: r.get(14)?,
        },
        version: r.get(15)?,
        updated_at: parse_timestamp(&r.get::<_, String>(16)?)?,
    })
}

fn municipality_from_row(r: &Row<'_>) -> rusqlite::Result<Municipality> {
    Ok(Municipality {
        code: decode_lg_code(&r.get::<_, String>(0)?).map_err(conv)?,
        name: r.get(1)?,
        name_kana: r.get(2)?,
        kind: decode_municipality_kind(&r.get::<_, String>(3)?).map_err(conv)?,
        block: BlockCode(r.get(4)?),
        block_provisional: r.get(5)?,
        runs_support_centre: r.get(6)?,
        has_development_coordinator: r.get(7)?,
    })
}

/// Unwraps a conversion error smuggled through rusqlite back into the store error it was.
pub(crate) fn row_err(e: rusqlite::Error) -> StoreError {
    match e {
        rusqlite::Error::ToSqlConversionFailure(inner) => match inner.downcast::<StoreError>() {
            Ok(store) => *store,
            Err(other) => StoreError::Backend(other),
        },
        e => db_err(e),
    }
}

/// Marks a change to the directory (see [`DirectoryStore::directory_revision`]).
fn bump_revision(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    tx.prepare_cached("UPDATE directory_revision SET revision = revision + 1 WHERE id = 1")?.execute([])?;
    Ok(())
}

fn list_blocks_in(c: &rusqlite::Connection) -> rusqlite::Result<Vec<Block>> {
    let mut stmt = c.prepare_cached("SELECT code, name_ja, name_en, position FROM blocks ORDER BY position, code")?;
    let rows = stmt.query_map([], |r| {
        Ok(Block { code: BlockCode(r.get(0)?), name_ja: r.get(1)?, name_en: r.get(2)?, position: r.get(3)? })
    })?;
    rows.collect()
}

fn list_municipalities_in(c: &rusqlite::Connection) -> rusqlite::Result<Vec<Municipality>> {
    let mut stmt = c.prepare_cached(
        "SELECT lg_code, name, name_kana, kind, block_code, block_provisional, runs_support_centre,
                has_development_coordinator FROM municipalities ORDER BY lg_code",
    )?;
    let rows = stmt.query_map([], municipality_from_row)?;
    rows.collect()
}

/// An agency's column values in the order ?1 … ?19 of [`INSERT_AGENCY`] and [`UPDATE_AGENCY`].
struct AgencyRow<'a> {
    agency: &'a Agency,
    id: String,
    kind: &'static str,
    kind_rank: i32,
    municipality: Option<&'a str>,
    block: Option<&'a str>,
    services: String,
    departments: String,
    search_key: String,
    updated_at: String,
}

impl<'a> AgencyRow<'a> {
    fn new(agency: &'a Agency) -> Self {
        let f = &agency.fields;
        Self {
            agency,
            id: agency.id.0.to_string(),
            kind: f.kind.code(),
            kind_rank: kind_rank(f.kind),
            municipality: f.municipality.as_ref().map(|m| m.as_str()),
            block: f.block.as_ref().map(|b| b.0.as_str()),
            services: encode_services(&f.services),
            departments: encode_departments(&f.departments),
            search_key: f.search_key(),
            updated_at: timestamp(agency.updated_at),
        }
    }

    fn params(&self) -> [&dyn rusqlite::ToSql; 21] {
        let (a, f) = (self.agency, &self.agency.fields);
        [
            &self.id,
            &a.prefecture,
            &self.kind,
            &self.kind_rank,
            &f.name,
            &f.name_kana,
            &self.municipality,
            &self.block,
            &f.postal_code,
            &f.address,
            &f.phone,
            &f.email,
            &f.website,
            &self.services,
            &self.departments,
            &f.notes,
            &self.search_key,
            &a.version,
            &self.updated_at,
            &f.fax,
            &f.opening_hours,
        ]
    }
}

const INSERT_AGENCY: &str = "INSERT INTO agencies (id, prefecture, kind, kind_rank, name, name_kana, municipality_code,
    block_code, postal_code, address, phone, email, website, services, departments, notes, search_key, version,
    updated_at, fax, opening_hours)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)";

const UPDATE_AGENCY: &str = "UPDATE agencies SET prefecture = ?2, kind = ?3, kind_rank = ?4, name = ?5, name_kana = ?6,
    municipality_code = ?7, block_code = ?8, postal_code = ?9, address = ?10, phone = ?11, email = ?12, website = ?13,
    services = ?14, departments = ?15, notes = ?16, search_key = ?17, version = ?18, updated_at = ?19, fax = ?20,
    opening_hours = ?21 WHERE id = ?1";

fn insert_agency(tx: &rusqlite::Transaction<'_>, a: &Agency) -> rusqlite::Result<()> {
    tx.prepare_cached(INSERT_AGENCY)?.execute(AgencyRow::new(a).params().as_slice())?;
    Ok(())
}

/// Writes `a` over the stored agency if that is still at `a.version - 1`.
fn update_agency_in(tx: &rusqlite::Transaction<'_>, a: &Agency) -> StoreResult<()> {
    let current: Option<i64> = tx
        .prepare_cached("SELECT version FROM agencies WHERE id = ?1")
        .and_then(|mut s| s.query_row([a.id.0.to_string()], |r| r.get(0)).optional())
        .map_err(db_err)?;
    match current {
        None => return Err(StoreError::NotFound),
        Some(v) if v != a.version - 1 => return Err(StoreError::Conflict { current: v }),
        Some(_) => {}
    }
    tx.prepare_cached(UPDATE_AGENCY)
        .and_then(|mut s| s.execute(AgencyRow::new(a).params().as_slice()))
        .map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl DirectoryStore for SqliteStore {
    async fn list_blocks(&self) -> StoreResult<Vec<Block>> {
        self.query(|c| list_blocks_in(c)).await
    }

    async fn insert_blocks(&self, blocks: &[Block]) -> StoreResult<()> {
        let blocks = blocks.to_vec();
        self.query(move |c| {
            let tx = c.transaction()?;
            bump_revision(&tx)?;
            for b in &blocks {
                tx.execute(
                    "INSERT INTO blocks (code, name_ja, name_en, position) VALUES (?1, ?2, ?3, ?4)",
                    params![b.code.0, b.name_ja, b.name_en, b.position],
                )?;
            }
            tx.commit()
        })
        .await
    }

    async fn update_block(&self, block: &Block) -> StoreResult<()> {
        let b = block.clone();
        self.with_conn(move |c| {
            let tx = c.transaction().map_err(db_err)?;
            bump_revision(&tx).map_err(db_err)?;
            let n = tx
                .execute(
                    "UPDATE blocks SET name_ja = ?2, name_en = ?3, position = ?4 WHERE code = ?1",
                    params![b.code.0, b.name_ja, b.name_en, b.position],
                )
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            tx.commit().map_err(db_err)
        })
        .await
    }

    async fn list_municipalities(&self) -> StoreResult<Vec<Municipality>> {
        self.query(|c| list_municipalities_in(c)).await
    }

    async fn insert_municipalities(&self, municipalities: &[Municipality]) -> StoreResult<()> {
        let ms = municipalities.to_vec();
        self.query(move |c| {
            let tx = c.transaction()?;
            bump_revision(&tx)?;
            for m in &ms {
                tx.execute(
                    "INSERT INTO municipalities (lg_code, name, name_kana, kind, block_code, block_provisional,
                        runs_support_centre, has_development_coordinator) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![
                        m.code.as_str(),
                        m.name,
                        m.name_kana,
                        m.kind.code(),
                        m.block.0,
                        m.block_provisional,
                        m.runs_support_centre,
                        m.has_development_coordinator
                    ],
                )?;
            }
            tx.commit()
        })
        .await
    }

    async fn update_municipality(&self, municipality: &Municipality) -> StoreResult<()> {
        let m = municipality.clone();
        self.with_conn(move |c| {
            let tx = c.transaction().map_err(db_err)?;
            bump_revision(&tx).map_err(db_err)?;
            let n = tx
                .execute(
                    "UPDATE municipalities SET block_code = ?2, block_provisional = ?3, runs_support_centre = ?4,
                        has_development_coordinator = ?5 WHERE lg_code = ?1",
                    params![
                        m.code.as_str(),
                        m.block.0,
                        m.block_provisional,
                        m.runs_support_centre,
                        m.has_development_coordinator
                    ],
                )
                .map_err(db_err)?;
            if n == 0 {
                return Err(StoreError::NotFound);
            }
            tx.commit().map_err(db_err)
        })
        .await
    }

    async fn directory_revision(&self) -> StoreResult<i64> {
        self.query(|c| {
            c.prepare_cached("SELECT revision FROM directory_revision WHERE id = 1")?.query_row([], |r| r.get(0))
        })
        .await
    }

    async fn directory_snapshot(&self) -> StoreResult<DirectorySnapshot> {
        self.query(|c| {
            // One read transaction: in WAL mode every statement in it sees the same commit.
            let tx = c.transaction()?;
            let revision = tx
                .prepare_cached("SELECT revision FROM directory_revision WHERE id = 1")?
                .query_row([], |r| r.get(0))?;
            let blocks = list_blocks_in(&tx)?;
            let municipalities = list_municipalities_in(&tx)?;
            let mut stmt = tx.prepare_cached(
                "SELECT id, kind, name, name_kana, municipality_code, block_code, phone, search_key
                 FROM agencies ORDER BY kind_rank, name_kana, id",
            )?;
            let agencies = stmt
                .query_map([], |r| {
                    let municipality: Option<String> = r.get(4)?;
                    Ok(AgencyListing {
                        id: AgencyId(parse_uuid(&r.get::<_, String>(0)?)?),
                        kind: decode_kind(&r.get::<_, String>(1)?).map_err(conv)?,
                        name: r.get(2)?,
                        name_kana: r.get(3)?,
                        municipality: municipality.as_deref().map(decode_lg_code).transpose().map_err(conv)?,
                        block: r.get::<_, Option<String>>(5)?.map(BlockCode),
                        phone: r.get(6)?,
                        search_key: r.get(7)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            drop(stmt);
            tx.finish()?;
            Ok(DirectorySnapshot { revision, blocks, municipalities, agencies })
        })
        .await
    }

    async fn get_agency(&self, id: AgencyId) -> StoreResult<Option<Agency>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {AGENCY_COLUMNS} FROM agencies WHERE id = ?1"))?
                .query_row([id.0.to_string()], agency_from_row)
                .optional()
        })
        .await
    }

    async fn all_agencies(&self) -> StoreResult<Vec<Agency>> {
        self.query(|c| {
            let mut stmt =
                c.prepare(&format!("SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY kind_rank, name_kana, id"))?;
            let rows = stmt.query_map([], agency_from_row)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })
        .await
    }

    async fn insert_agencies(&self, agencies: &[Agency]) -> StoreResult<()> {
        let agencies = agencies.to_vec();
        self.query(move |c| {
            let tx = c.transaction()?;
            bump_revision(&tx)?;
            for a in &agencies {
                insert_agency(&tx, a)?;
            }
            tx.commit()
        })
        .await
    }

    async fn update_agency(&self, agency: &Agency) -> StoreResult<()> {
        let a = agency.clone();
        self.with_conn(move |c| {
            let tx = c.transaction().map_err(db_err)?;
            bump_revision(&tx).map_err(db_err)?;
            update_agency_in(&tx, &a)?;
            tx.commit().map_err(db_err)
        })
        .await
    }

    async fn import_agencies(&self, new: &[Agency], changed: &[Agency]) -> StoreResult<()> {
        let (new, changed) = (new.to_vec(), changed.to_vec());
        self.with_conn(move |c| {
            let tx = c.transaction().map_err(db_err)?;
            bump_revision(&tx).map_err(db_err)?;
            for a in &new {
                insert_agency(&tx, a).map_err(db_err)?;
            }
            for a in &changed {
                update_agency_in(&tx, a)?;
            }
            tx.commit().map_err(db_err)
        })
        .await
    }

    async fn employer_ref(&self, by: EmployerLookup) -> StoreResult<Option<EmployerRef>> {
        self.query(move |c| {
            let (sql, key) = match by {
                EmployerLookup::Id(id) => {
                    ("SELECT id, corporate_number, name FROM employers WHERE id = ?1", id.0.to_string())
                }
                EmployerLookup::Number(n) => {
                    ("SELECT id, corporate_number, name FROM employers WHERE corporate_number = ?1", n)
                }
            };
            c.prepare_cached(sql)?
                .query_row([key], |r| {
                    Ok(EmployerRef {
                        id: EmployerId(parse_uuid(&r.get::<_, String>(0)?)?),
                        corporate_number: r.get(1)?,
                        name: r.get(2)?,
                    })
                })
                .optional()
        })
        .await
    }

    async fn insert_employers(&self, employers: &[Employer]) -> StoreResult<()> {
        let employers = employers.to_vec();
        self.with_conn(move |c| {
            let tx = c.transaction().map_err(db_err)?;
            for e in &employers {
                crate::employers::insert_employer_in(&tx, e)?;
            }
            tx.commit().map_err(db_err)
        })
        .await
    }

    async fn count_employers(&self) -> StoreResult<u64> {
        self.with_conn(|c| {
            c.query_row("SELECT count(*) FROM employers", [], |r| r.get::<_, i64>(0)).map(|n| n as u64).map_err(db_err)
        })
        .await
    }
}
