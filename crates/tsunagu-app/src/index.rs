//! The directory index: the store's latest [`DirectorySnapshot`] held in memory and searched
//! without SQL.
//!
//! The store's directory revision (one single-row read) tells whether the snapshot held is still
//! current; the snapshot is reloaded only when the revision has moved. Writes made through this
//! process drop the index at once; writes by another process sharing the database show within
//! [`RECHECK_AFTER`], the longest the revision goes unchecked.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;

use tsunagu_domain::directory::{AgencyId, AgencyKind, BlockCode, DirectoryReferences};
use tsunagu_store::{AgencyListing, DirectorySnapshot};

use crate::directory::AgencySearch;
use crate::reference::References;
use crate::{App, AppError};

/// How long the revision may go unchecked: the most another process's write can take to show.
pub const RECHECK_AFTER: Duration = Duration::from_millis(250);

/// The index and when its revision was last confirmed.
#[derive(Debug)]
pub(crate) struct CachedIndex {
    index: Arc<DirectoryIndex>,
    checked_at: OffsetDateTime,
}

/// One line of the directory's result list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencySummary {
    /// Id.
    pub id: AgencyId,
    /// Kind.
    pub kind: AgencyKind,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_kana: String,
    /// Municipality, if any.
    pub municipality: Option<tsunagu_domain::LocalGovCode>,
    /// Its name, as written.
    pub municipality_name: Option<String>,
    /// Effective block: the municipality's, or the agency's own.
    pub block: Option<BlockCode>,
    /// Phone.
    pub phone: Option<String>,
}

/// One page of results and the total count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyPage {
    /// The rows.
    pub rows: Vec<AgencySummary>,
    /// How many match in all.
    pub total: u64,
}

/// A directory snapshot prepared for searching.
#[derive(Debug)]
pub struct DirectoryIndex {
    /// The revision it was read at.
    pub revision: i64,
    /// Blocks and municipalities.
    pub references: Arc<References>,
    agencies: Vec<AgencyListing>,
    /// Each agency's effective block, parallel to `agencies`.
    blocks: Vec<Option<BlockCode>>,
    /// Position of each agency in `agencies`.
    by_id: HashMap<AgencyId, usize>,
}

impl DirectoryIndex {
    /// Indexes a snapshot.
    pub fn new(snapshot: DirectorySnapshot) -> Self {
        let references = Arc::new(References::new(snapshot.blocks, snapshot.municipalities));
        let blocks = snapshot
            .agencies
            .iter()
            .map(|a| {
                a.municipality
                    .as_ref()
                    .and_then(|m| references.municipality(m))
                    .map(|m| m.block.clone())
                    .or_else(|| a.block.clone())
            })
            .collect();
        let by_id = snapshot.agencies.iter().enumerate().map(|(i, a)| (a.id, i)).collect();
        Self { revision: snapshot.revision, references, agencies: snapshot.agencies, blocks, by_id }
    }

    /// The agencies of a block (by their effective block), id and name, in directory order.
    pub fn agencies_of_block(&self, block: &BlockCode) -> Vec<(AgencyId, String)> {
        self.agencies
            .iter()
            .zip(&self.blocks)
            .filter(|(_, b)| b.as_ref() == Some(block))
            .map(|(a, _)| (a.id, a.name.clone()))
            .collect()
    }

    /// Every agency's listing, in directory order.
    pub fn agencies(&self) -> &[AgencyListing] {
        &self.agencies
    }

    /// An agency's listing.
    pub fn agency(&self, id: AgencyId) -> Option<&AgencyListing> {
        self.by_id.get(&id).map(|&i| &self.agencies[i])
    }

    /// The effective block of an agency: its municipality's, or its own.
    pub fn block_of(&self, id: AgencyId) -> Option<&BlockCode> {
        self.by_id.get(&id).and_then(|&i| self.blocks[i].as_ref())
    }

    /// The agencies matching `search` (its text already folded into `text`), in directory order
    /// (kind, then reading), `limit` of them from `offset`, with the total.
    pub fn search(&self, text: Option<&str>, search: &AgencySearch, offset: usize, limit: usize) -> AgencyPage {
        let matches = self.agencies.iter().zip(&self.blocks).filter(|(a, block)| {
            search.kind.is_none_or(|k| a.kind == k)
                && search.municipality.as_ref().is_none_or(|m| a.municipality.as_ref() == Some(m))
                && search.block.as_ref().is_none_or(|b| block.as_ref() == Some(b))
                && text.is_none_or(|t| a.search_key.contains(t))
        });
        let mut total = 0u64;
        let mut rows = Vec::with_capacity(limit.min(64));
        for (i, (a, block)) in matches.enumerate() {
            total += 1;
            if i >= offset && rows.len() < limit {
                rows.push(AgencySummary {
                    id: a.id,
                    kind: a.kind,
                    name: a.name.clone(),
                    name_kana: a.name_kana.clone(),
                    municipality: a.municipality.clone(),
                    municipality_name: a
                        .municipality
                        .as_ref()
                        .and_then(|m| self.references.municipality(m))
                        .map(|m| m.name.clone()),
                    block: block.clone(),
                    phone: a.phone.clone(),
                });
            }
        }
        AgencyPage { rows, total }
    }
}

impl App {
    /// The directory index, current as of the last [`RECHECK_AFTER`].
    pub async fn directory(&self) -> Result<Arc<DirectoryIndex>, AppError> {
        let held = self.index.lock().ok().and_then(|c| c.as_ref().map(|c| (Arc::clone(&c.index), c.checked_at)));
        let now = self.clock.now();
        if let Some((index, checked_at)) = &held
            && now - *checked_at < RECHECK_AFTER
            && now >= *checked_at
        {
            return Ok(Arc::clone(index));
        }
        let revision = self.store.directory_revision().await.map_err(AppError::Store)?;
        let index = match held {
            Some((index, _)) if index.revision == revision => index,
            _ => Arc::new(DirectoryIndex::new(self.store.directory_snapshot().await.map_err(AppError::Store)?)),
        };
        if let Ok(mut cached) = self.index.lock() {
            *cached = Some(CachedIndex { index: Arc::clone(&index), checked_at: now });
        }
        Ok(index)
    }

    /// Drops the index after a write through this process, so the next read sees the write.
    pub fn directory_changed(&self) {
        if let Ok(mut cached) = self.index.lock() {
            *cached = None;
        }
    }
}
