//! Storage ports: what Tsunagu stores, named for what it is, with no driver types.
//!
//! Two adapters implement these traits (`tsunagu-store-sqlite`, `tsunagu-store-postgres`) and
//! one conformance suite (`tsunagu-store-conformance`) holds them to the same behaviour.

pub mod codec;

use async_trait::async_trait;
use tsunagu_domain::LocalGovCode;
use tsunagu_domain::directory::{Agency, AgencyId, AgencyKind, Block, BlockCode, Municipality};
use tsunagu_domain::employer::Employer;

/// What can go wrong in a store, in terms the use cases can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// An update named a version that is no longer current.
    #[error("the record was changed by someone else (now at version {current})")]
    Conflict {
        /// The version now stored.
        current: i64,
    },
    /// The record to update does not exist.
    #[error("no such record")]
    NotFound,
    /// A unique key is already taken (`what` names the key).
    #[error("duplicate {what}")]
    Duplicate {
        /// Which key.
        what: &'static str,
    },
    /// The database failed; the cause is kept for the log, never shown to users.
    #[error("database error: {0}")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    /// Wraps a driver error.
    pub fn backend(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Backend(Box::new(e))
    }
}

/// Result alias for store calls.
pub type StoreResult<T> = Result<T, StoreError>;

/// Filters for the agency directory. `text` is already folded by
/// [`tsunagu_domain::text::search_key`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AgencyQuery {
    /// Folded search text, matched anywhere in the name, reading or address.
    pub text: Option<String>,
    /// Block (an agency's own, or its municipality's).
    pub block: Option<BlockCode>,
    /// Kind.
    pub kind: Option<AgencyKind>,
    /// Municipality.
    pub municipality: Option<LocalGovCode>,
    /// Page size.
    pub limit: u32,
    /// Rows to skip.
    pub offset: u32,
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
    /// Municipality name, if any.
    pub municipality_name: Option<String>,
    /// Effective block.
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

/// Blocks, municipalities, agencies and employers.
#[async_trait]
pub trait DirectoryStore: Send + Sync {
    /// Every block, in display order.
    async fn list_blocks(&self) -> StoreResult<Vec<Block>>;
    /// Adds blocks (all or none).
    async fn insert_blocks(&self, blocks: &[Block]) -> StoreResult<()>;
    /// Renames a block.
    async fn update_block(&self, block: &Block) -> StoreResult<()>;
    /// Every municipality, by code.
    async fn list_municipalities(&self) -> StoreResult<Vec<Municipality>>;
    /// Adds municipalities (all or none).
    async fn insert_municipalities(&self, municipalities: &[Municipality]) -> StoreResult<()>;
    /// Changes a municipality's block and flags.
    async fn update_municipality(&self, municipality: &Municipality) -> StoreResult<()>;
    /// A page of agencies matching `query`, ordered by kind then reading.
    async fn search_agencies(&self, query: &AgencyQuery) -> StoreResult<AgencyPage>;
    /// One agency.
    async fn get_agency(&self, id: AgencyId) -> StoreResult<Option<Agency>>;
    /// Every agency (for export), ordered by kind then reading.
    async fn all_agencies(&self) -> StoreResult<Vec<Agency>>;
    /// Adds agencies in one transaction: all are written or none.
    async fn insert_agencies(&self, agencies: &[Agency]) -> StoreResult<()>;
    /// Replaces an agency's fields if it is still at `agency.version - 1`; returns
    /// [`StoreError::Conflict`] otherwise.
    async fn update_agency(&self, agency: &Agency) -> StoreResult<()>;
    /// Applies an import in one transaction: inserts `new`, updates `changed` (each checked against
    /// its version like [`DirectoryStore::update_agency`]); all or nothing.
    async fn import_agencies(&self, new: &[Agency], changed: &[Agency]) -> StoreResult<()>;
    /// Adds employers in one transaction.
    async fn insert_employers(&self, employers: &[Employer]) -> StoreResult<()>;
    /// How many employers there are.
    async fn count_employers(&self) -> StoreResult<u64>;
}

/// A whole store: every port plus schema management.
#[async_trait]
pub trait Store: DirectoryStore + Send + Sync + 'static {
    /// Applies the embedded migrations that have not run yet; returns how many ran.
    async fn migrate(&self) -> StoreResult<usize>;
    /// `sqlite` or `postgres`, for logs and `/healthz`.
    fn engine(&self) -> &'static str;
    /// Checks the database answers.
    async fn ping(&self) -> StoreResult<()>;
}
