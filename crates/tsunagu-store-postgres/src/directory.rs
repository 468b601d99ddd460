//! [`DirectoryStore`] on PostgreSQL.

use async_trait::async_trait;
use tokio_postgres::Row;
use tsunagu_domain::directory::{Agency, AgencyFields, AgencyId, Block, BlockCode, Municipality};
use tsunagu_domain::employer::{Employer, EmployerId};
use tsunagu_store::codec::{
    decode_departments, decode_kind, decode_lg_code, decode_municipality_kind, decode_services, encode_departments,
    encode_services, kind_rank,
};
use tsunagu_store::{
    AgencyListing, DirectorySnapshot, DirectoryStore, EmployerLookup, EmployerRef, StoreError, StoreResult,
};

use crate::{PostgresStore, db_err};

const AGENCY_COLUMNS: &str = "id, prefecture, kind, name, name_kana, municipality_code, block_code, postal_code, \
     address, phone, email, website, services, departments, notes, version, updated_at, fax, opening_hours";

fn agency_from_row(r: &Row) -> StoreResult<Agency> {
    let municipality: Option<String> = r.try_get(5).map_err(db_err)?;
    let get = |i: usize| -> StoreResult<Option<String>> { r.try_get(i).map_err(db_err) };
    Ok(Agency {
        id: AgencyId(r.try_get(0).map_err(db_err)?),
        prefecture: r.try_get(1).map_err(db_err)?,
        fields: AgencyFields {
            kind: decode_kind(r.try_get(2).map_err(db_err)?)?,
            name: r.try_get(3).map_err(db_err)?,
            name_kana: r.try_get(4).map_err(db_err)?,
            municipality: municipality.as_deref().map(decode_lg_code).transpose()?,
            block: get(6)?.map(BlockCode),
            postal_code: get(7)?,
            address: get(8)?,
            phone: get(9)?,
            fax: get(17)?,
            email: get(10)?,
            website: get(11)?,
            opening_hours: get(18)?,
            services: decode_services(r.try_get(12).map_err(db_err)?)?,
            departments: decode_departments(r.try_get(13).map_err(db_err)?),
            notes: get(14)?,
        },
        version: r.try_get(15).map_err(db_err)?,
        updated_at: r.try_get(16).map_err(db_err)?,
    })
}

fn municipality_from_row(r: &Row) -> StoreResult<Municipality> {
    Ok(Municipality {
        code: decode_lg_code(r.try_get(0).map_err(db_err)?)?,
        name: r.try_get(1).map_err(db_err)?,
        name_kana: r.try_get(2).map_err(db_err)?,
        kind: decode_municipality_kind(r.try_get(3).map_err(db_err)?)?,
        block: BlockCode(r.try_get(4).map_err(db_err)?),
        block_provisional: r.try_get(5).map_err(db_err)?,
        runs_support_centre: r.try_get(6).map_err(db_err)?,
        has_development_coordinator: r.try_get(7).map_err(db_err)?,
    })
}

/// Marks a change to the directory (see [`DirectoryStore::directory_revision`]).
async fn bump_revision(tx: &deadpool_postgres::Transaction<'_>) -> StoreResult<()> {
    tx.execute("UPDATE directory_revision SET revision = revision + 1 WHERE id = 1", &[]).await.map_err(db_err)?;
    Ok(())
}

async fn list_blocks_in(c: &impl deadpool_postgres::GenericClient) -> StoreResult<Vec<Block>> {
    c.query("SELECT code, name_ja, name_en, position FROM blocks ORDER BY position, code", &[])
        .await
        .map_err(db_err)?
        .iter()
        .map(|r| {
            Ok(Block {
                code: BlockCode(r.try_get(0).map_err(db_err)?),
                name_ja: r.try_get(1).map_err(db_err)?,
                name_en: r.try_get(2).map_err(db_err)?,
                position: r.try_get(3).map_err(db_err)?,
            })
        })
        .collect()
}

async fn list_municipalities_in(c: &impl deadpool_postgres::GenericClient) -> StoreResult<Vec<Municipality>> {
    c.query(
        "SELECT lg_code, name, name_kana, kind, block_code, block_provisional, runs_support_centre,
                has_development_coordinator FROM municipalities ORDER BY lg_code",
        &[],
    )
    .await
    .map_err(db_err)?
    .iter()
    .map(municipality_from_row)
    .collect()
}

/// An agency's column values in the order $1 … $19 of [`INSERT_AGENCY`] and [`UPDATE_AGENCY`].
struct AgencyRow<'a> {
    agency: &'a Agency,
    kind: &'static str,
    kind_rank: i32,
    municipality: Option<&'a str>,
    block: Option<&'a str>,
    services: String,
    departments: String,
    search_key: String,
}

impl<'a> AgencyRow<'a> {
    fn new(agency: &'a Agency) -> Self {
        let f = &agency.fields;
        Self {
            agency,
            kind: f.kind.code(),
            kind_rank: kind_rank(f.kind),
            municipality: f.municipality.as_ref().map(|m| m.as_str()),
            block: f.block.as_ref().map(|b| b.0.as_str()),
            services: encode_services(&f.services),
            departments: encode_departments(&f.departments),
            search_key: f.search_key(),
        }
    }

    fn params(&self) -> [&(dyn tokio_postgres::types::ToSql + Sync); 21] {
        let (a, f) = (self.agency, &self.agency.fields);
        [
            &a.id.0,
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
            &a.updated_at,
            &f.fax,
            &f.opening_hours,
        ]
    }
}

const INSERT_AGENCY: &str = "INSERT INTO agencies (id, prefecture, kind, kind_rank, name, name_kana, municipality_code,
    block_code, postal_code, address, phone, email, website, services, departments, notes, search_key, version,
    updated_at, fax, opening_hours)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)";

const UPDATE_AGENCY: &str = "UPDATE agencies SET prefecture = $2, kind = $3, kind_rank = $4, name = $5, name_kana = $6,
    municipality_code = $7, block_code = $8, postal_code = $9, address = $10, phone = $11, email = $12, website = $13,
    services = $14, departments = $15, notes = $16, search_key = $17, version = $18, updated_at = $19, fax = $20,
    opening_hours = $21 WHERE id = $1";

async fn insert_agency_in(tx: &deadpool_postgres::Transaction<'_>, a: &Agency) -> StoreResult<()> {
    let stmt = tx.prepare_cached(INSERT_AGENCY).await.map_err(db_err)?;
    tx.execute(&stmt, &AgencyRow::new(a).params()).await.map_err(db_err)?;
    Ok(())
}

/// Writes `a` over the stored agency if that is still at `a.version - 1`.
async fn update_agency_in(tx: &deadpool_postgres::Transaction<'_>, a: &Agency) -> StoreResult<()> {
    let current: Option<i64> = tx
        .query_opt("SELECT version FROM agencies WHERE id = $1 FOR UPDATE", &[&a.id.0])
        .await
        .map_err(db_err)?
        .map(|r| r.try_get(0))
        .transpose()
        .map_err(db_err)?;
    match current {
        None => return Err(StoreError::NotFound),
        Some(v) if v != a.version - 1 => return Err(StoreError::Conflict { current: v }),
        Some(_) => {}
    }
    let stmt = tx.prepare_cached(UPDATE_AGENCY).await.map_err(db_err)?;
    tx.execute(&stmt, &AgencyRow::new(a).params()).await.map_err(db_err)?;
    Ok(())
}

#[async_trait]
impl DirectoryStore for PostgresStore {
    async fn list_blocks(&self) -> StoreResult<Vec<Block>> {
        list_blocks_in(&self.client().await?).await
    }

    async fn insert_blocks(&self, blocks: &[Block]) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        bump_revision(&tx).await?;
        for b in blocks {
            tx.execute(
                "INSERT INTO blocks (code, name_ja, name_en, position) VALUES ($1, $2, $3, $4)",
                &[&b.code.0, &b.name_ja, &b.name_en, &b.position],
            )
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn update_block(&self, block: &Block) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        bump_revision(&tx).await?;
        let n = tx
            .execute(
                "UPDATE blocks SET name_ja = $2, name_en = $3, position = $4 WHERE code = $1",
                &[&block.code.0, &block.name_ja, &block.name_en, &block.position],
            )
            .await
            .map_err(db_err)?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await.map_err(db_err)
    }

    async fn list_municipalities(&self) -> StoreResult<Vec<Municipality>> {
        list_municipalities_in(&self.client().await?).await
    }

    async fn insert_municipalities(&self, municipalities: &[Municipality]) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        bump_revision(&tx).await?;
        for m in municipalities {
            tx.execute(
                "INSERT INTO municipalities (lg_code, name, name_kana, kind, block_code, block_provisional,
                    runs_support_centre, has_development_coordinator) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                &[
                    &m.code.as_str(),
                    &m.name,
                    &m.name_kana,
                    &m.kind.code(),
                    &m.block.0,
                    &m.block_provisional,
                    &m.runs_support_centre,
                    &m.has_development_coordinator,
                ],
            )
            .await
            .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn update_municipality(&self, m: &Municipality) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        bump_revision(&tx).await?;
        let n = tx
            .execute(
                "UPDATE municipalities SET block_code = $2, block_provisional = $3, runs_support_centre = $4,
                    has_development_coordinator = $5 WHERE lg_code = $1",
                &[
                    &m.code.as_str(),
                    &m.block.0,
                    &m.block_provisional,
                    &m.runs_support_centre,
                    &m.has_development_coordinator,
                ],
            )
            .await
            .map_err(db_err)?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.commit().await.map_err(db_err)
    }

    async fn directory_revision(&self) -> StoreResult<i64> {
        let client = self.client().await?;
        let stmt =
            client.prepare_cached("SELECT revision FROM directory_revision WHERE id = 1").await.map_err(db_err)?;
        client.query_one(&stmt, &[]).await.map_err(db_err)?.try_get(0).map_err(db_err)
    }

    async fn directory_snapshot(&self) -> StoreResult<DirectorySnapshot> {
        let mut client = self.client().await?;
        let tx = crate::read_snapshot(&mut client).await?;
        let revision: i64 = tx
            .query_one("SELECT revision FROM directory_revision WHERE id = 1", &[])
            .await
            .map_err(db_err)?
            .try_get(0)
            .map_err(db_err)?;
        let blocks = list_blocks_in(&tx).await?;
        let municipalities = list_municipalities_in(&tx).await?;
        let agencies = tx
            .query(
                "SELECT id, kind, name, name_kana, municipality_code, block_code, phone, search_key
                 FROM agencies ORDER BY kind_rank, name_kana COLLATE \"C\", id",
                &[],
            )
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| {
                let municipality: Option<String> = r.try_get(4).map_err(db_err)?;
                Ok(AgencyListing {
                    id: AgencyId(r.try_get(0).map_err(db_err)?),
                    kind: decode_kind(r.try_get(1).map_err(db_err)?)?,
                    name: r.try_get(2).map_err(db_err)?,
                    name_kana: r.try_get(3).map_err(db_err)?,
                    municipality: municipality.as_deref().map(decode_lg_code).transpose()?,
                    block: r.try_get::<_, Option<String>>(5).map_err(db_err)?.map(BlockCode),
                    phone: r.try_get(6).map_err(db_err)?,
                    search_key: r.try_get(7).map_err(db_err)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        tx.commit().await.map_err(db_err)?;
        Ok(DirectorySnapshot { revision, blocks, municipalities, agencies })
    }

    async fn get_agency(&self, id: AgencyId) -> StoreResult<Option<Agency>> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(&format!("SELECT {AGENCY_COLUMNS} FROM agencies WHERE id = $1"))
            .await
            .map_err(db_err)?;
        client.query_opt(&stmt, &[&id.0]).await.map_err(db_err)?.as_ref().map(agency_from_row).transpose()
    }

    async fn all_agencies(&self) -> StoreResult<Vec<Agency>> {
        self.client()
            .await?
            .query(
                &format!("SELECT {AGENCY_COLUMNS} FROM agencies ORDER BY kind_rank, name_kana COLLATE \"C\", id"),
                &[],
            )
            .await
            .map_err(db_err)?
            .iter()
            .map(agency_from_row)
            .collect()
    }

    async fn insert_agencies(&self, agencies: &[Agency]) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        bump_revision(&tx).await?;
        for a in agencies {
            insert_agency_in(&tx, a).await?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn update_agency(&self, a: &Agency) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        bump_revision(&tx).await?;
        update_agency_in(&tx, a).await?;
        tx.commit().await.map_err(db_err)
    }

    async fn import_agencies(&self, new: &[Agency], changed: &[Agency]) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        bump_revision(&tx).await?;
        for a in new {
            insert_agency_in(&tx, a).await?;
        }
        for a in changed {
            update_agency_in(&tx, a).await?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn employer_ref(&self, by: EmployerLookup) -> StoreResult<Option<EmployerRef>> {
        let client = self.client().await?;
        let row = match by {
            EmployerLookup::Id(id) => {
                client.query_opt("SELECT id, corporate_number, name FROM employers WHERE id = $1", &[&id.0]).await
            }
            EmployerLookup::Number(n) => {
                client
                    .query_opt("SELECT id, corporate_number, name FROM employers WHERE corporate_number = $1", &[&n])
                    .await
            }
        }
        .map_err(db_err)?;
        row.map(|r| {
            Ok(EmployerRef {
                id: EmployerId(r.try_get(0).map_err(db_err)?),
                corporate_number: r.try_get(1).map_err(db_err)?,
                name: r.try_get(2).map_err(db_err)?,
            })
        })
        .transpose()
    }

    async fn insert_employers(&self, employers: &[Employer]) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        for e in employers {
            crate::employers::insert_employer_in(&tx, e).await?;
        }
        tx.commit().await.map_err(db_err)
    }

    async fn count_employers(&self) -> StoreResult<u64> {
        let n: i64 = self
            .client()
            .await?
            .query_one("SELECT count(*) FROM employers", &[])
            .await
            .map_err(db_err)?
            .try_get(0)
            .map_err(db_err)?;
        Ok(n as u64)
    }
}
