//! The reference data compiled into the binary (see `data/README.md`), and what validation needs
//! to know about the directory.

use std::collections::HashMap;
use std::sync::Arc;

use tsunagu_domain::LocalGovCode;
use tsunagu_domain::directory::{Block, BlockCode, DirectoryReferences, Municipality, MunicipalityKind};

use crate::{App, AppError};

const BLOCKS_CSV: &str = include_str!("../data/blocks.csv");
const MUNICIPALITIES_CSV: &str = include_str!("../data/municipalities.csv");

/// The six blocks as shipped.
pub fn default_blocks() -> Vec<Block> {
    csv::Reader::from_reader(BLOCKS_CSV.as_bytes())
        .records()
        .filter_map(Result::ok)
        .map(|r| Block {
            code: BlockCode(r[0].to_owned()),
            name_ja: r[1].to_owned(),
            name_en: r[2].to_owned(),
            position: r[3].parse().unwrap_or(0),
        })
        .collect()
}

/// Tokyo's 62 municipalities as shipped, with the provisional block assignment.
pub fn default_municipalities() -> Vec<Municipality> {
    csv::Reader::from_reader(MUNICIPALITIES_CSV.as_bytes())
        .records()
        .filter_map(Result::ok)
        .filter_map(|r| {
            Some(Municipality {
                code: LocalGovCode::parse(&r[0]).ok()?,
                name: r[1].to_owned(),
                name_kana: r[2].to_owned(),
                kind: MunicipalityKind::parse(&r[3])?,
                block: BlockCode(r[4].to_owned()),
                block_provisional: &r[5] == "true",
                runs_support_centre: &r[6] == "true",
                has_development_coordinator: false,
            })
        })
        .collect()
}

/// The English name of a municipality of the shipped list (Chiyoda City), for English pages;
/// `None` for a municipality the list does not hold (the national benchmark's synthetic ones).
pub fn english_name(code: &LocalGovCode) -> Option<&'static str> {
    static NAMES: std::sync::LazyLock<HashMap<String, String>> = std::sync::LazyLock::new(|| {
        csv::Reader::from_reader(MUNICIPALITIES_CSV.as_bytes())
            .records()
            .filter_map(Result::ok)
            .filter_map(|r| Some((r.get(0)?.to_owned(), r.get(7)?.to_owned())))
            .filter(|(_, name)| !name.is_empty())
            .collect()
    });
    NAMES.get(code.as_str()).map(String::as_str)
}

/// Blocks and municipalities, loaded once per operation for validation and display.
#[derive(Debug, Clone)]
pub struct References {
    /// Blocks in display order.
    pub blocks: Vec<Block>,
    /// Municipalities by code.
    pub municipalities: Vec<Municipality>,
    by_code: HashMap<LocalGovCode, usize>,
}

impl References {
    /// Indexes the lists.
    pub fn new(blocks: Vec<Block>, municipalities: Vec<Municipality>) -> Self {
        let by_code = municipalities.iter().enumerate().map(|(i, m)| (m.code.clone(), i)).collect();
        Self { blocks, municipalities, by_code }
    }

    /// The block with this code.
    pub fn block(&self, code: &BlockCode) -> Option<&Block> {
        self.blocks.iter().find(|b| &b.code == code)
    }

    /// Finds a block by code or by its Japanese or English name (imports accept all three).
    pub fn block_by_name(&self, raw: &str) -> Option<&Block> {
        let raw = raw.trim();
        self.blocks.iter().find(|b| b.code.0 == raw || b.name_ja == raw || b.name_en.eq_ignore_ascii_case(raw))
    }

    /// Finds a municipality by code or by name (imports accept both).
    pub fn municipality_by_name(&self, raw: &str) -> Option<&Municipality> {
        let raw = raw.trim();
        self.municipalities.iter().find(|m| m.name == raw)
    }
}

impl DirectoryReferences for References {
    fn municipality(&self, code: &LocalGovCode) -> Option<&Municipality> {
        self.by_code.get(code).map(|&i| &self.municipalities[i])
    }

    fn has_block(&self, code: &str) -> bool {
        self.blocks.iter().any(|b| b.code.0 == code)
    }
}

impl App {
    /// Blocks and municipalities as of the current directory revision.
    pub async fn references(&self) -> Result<Arc<References>, AppError> {
        Ok(Arc::clone(&self.directory().await?.references))
    }

    /// Migrates the store and writes the reference data (and the program registry) into a new
    /// database. Safe to run on every start: existing master data is never overwritten.
    pub async fn prepare_database(&self) -> Result<usize, AppError> {
        let applied = self.store.migrate().await.map_err(AppError::Store)?;
        if self.store.list_blocks().await.map_err(AppError::Store)?.is_empty() {
            self.store.insert_blocks(&default_blocks()).await.map_err(AppError::Store)?;
        }
        if self.store.list_municipalities().await.map_err(AppError::Store)?.is_empty() {
            self.store.insert_municipalities(&default_municipalities()).await.map_err(AppError::Store)?;
        }
        self.directory_changed();
        self.seed_programs().await?;
        Ok(applied)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_reference_data_is_complete() {
        let blocks = default_blocks();
        assert_eq!(blocks.len(), 6);
        let ms = default_municipalities();
        assert_eq!(ms.len(), 62, "every row parses, check digits included");
        let count = |k| ms.iter().filter(|m| m.kind == k).count();
        assert_eq!(
            [MunicipalityKind::SpecialWard, MunicipalityKind::City, MunicipalityKind::Town, MunicipalityKind::Village]
                .map(count),
            [23, 26, 5, 8]
        );
        assert!(ms.iter().all(|m| blocks.iter().any(|b| b.code == m.block)));
        assert!(ms.iter().all(|m| m.block_provisional), "the block assignment is labelled provisional");
        assert_eq!(ms.iter().filter(|m| m.runs_support_centre).count(), 51, "51 区市町 (23区・26市・2町)");
    }
}
