//! Storage ports: what Tsunagu stores, named for what it is, with no driver types.
//!
//! Two adapters implement these traits (`tsunagu-store-sqlite`, `tsunagu-store-postgres`) and
//! one conformance suite (`tsunagu-store-conformance`) holds them to the same behaviour.

pub mod codec;
pub mod commit;

pub use commit::{Change, Commit, RecordStore, SeedBatch, SeedStore};

use async_trait::async_trait;
use time::OffsetDateTime;
use tsunagu_domain::LocalGovCode;
use tsunagu_domain::account::{Account, AccountId, ApiToken, ApiTokenId};
use tsunagu_domain::audit::{AuditAction, AuditEntry};
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::consent::{ConsentRecord, Provision};
use tsunagu_domain::counts::Count;
use tsunagu_domain::directory::{Agency, AgencyId, AgencyKind, Block, BlockCode, Municipality};
use tsunagu_domain::document::{AgencyDocument, Document, DocumentId};
use tsunagu_domain::employer::Employer;
use tsunagu_domain::journey::{FollowUp, StageChange, SupportRecord};
use tsunagu_domain::person::Person;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::plan::SupportPlan;
use tsunagu_domain::program::FiscalYear;
use tsunagu_domain::referral::{Notice, Referral};

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

/// An agency as the directory lists it: enough to search, filter, order and show a result row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgencyListing {
    /// Id.
    pub id: AgencyId,
    /// Kind.
    pub kind: AgencyKind,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_kana: String,
    /// Municipality, if any.
    pub municipality: Option<LocalGovCode>,
    /// The agency's own block (only agencies without a municipality have one).
    pub block: Option<BlockCode>,
    /// Phone.
    pub phone: Option<String>,
    /// The folded text search matches (see [`tsunagu_domain::directory::AgencyFields::search_key`]).
    pub search_key: String,
}

/// One consistent read of the directory: blocks, municipalities and every agency's listing,
/// with the revision they were read at. Agencies are ordered by kind, then reading, then id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectorySnapshot {
    /// The directory revision this snapshot shows.
    pub revision: i64,
    /// Blocks in display order.
    pub blocks: Vec<Block>,
    /// Municipalities by code.
    pub municipalities: Vec<Municipality>,
    /// Every agency, in directory order.
    pub agencies: Vec<AgencyListing>,
}

/// How to find an employer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmployerLookup {
    /// By id.
    Id(tsunagu_domain::employer::EmployerId),
    /// By 法人番号 (13 digits).
    Number(String),
}

/// An employer named for lists and consents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerRef {
    /// Id.
    pub id: tsunagu_domain::employer::EmployerId,
    /// 法人番号.
    pub corporate_number: String,
    /// Name.
    pub name: String,
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
    /// The directory revision: it changes with every write to blocks, municipalities or
    /// agencies, so a reader can tell whether a snapshot it holds is still current.
    async fn directory_revision(&self) -> StoreResult<i64>;
    /// Blocks, municipalities and agency listings, read in one transaction.
    async fn directory_snapshot(&self) -> StoreResult<DirectorySnapshot>;
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
    /// An employer's id, 法人番号 and name, found by id or by 法人番号.
    async fn employer_ref(&self, by: EmployerLookup) -> StoreResult<Option<EmployerRef>>;
}

/// A signed-in session. The store keeps only a hash of the token the browser holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    /// SHA-256 of the session token, hex.
    pub token_hash: String,
    /// Whose session.
    pub account: AccountId,
    /// The token every state-changing form of this session must carry.
    pub csrf_token: String,
    /// Started.
    pub created_at: OffsetDateTime,
    /// Ends.
    pub expires_at: OffsetDateTime,
    /// Notices waiting for the account's agency, counted each time the session is read (the
    /// menu shows the number); 0 when the session is written.
    pub unread_notices: u64,
}

/// Accounts, sessions and failed sign-ins.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Adds an account; a taken login is [`StoreError::Duplicate`].
    async fn insert_account(&self, account: &Account) -> StoreResult<()>;
    /// The account with this login (already lower-cased).
    async fn account_by_login(&self, login: &str) -> StoreResult<Option<Account>>;
    /// How many accounts exist.
    async fn count_accounts(&self) -> StoreResult<u64>;
    /// Voids every session of the account started before `at` and deletes them.
    async fn void_sessions(&self, account: AccountId, at: OffsetDateTime) -> StoreResult<()>;
    /// Adds a session.
    async fn insert_session(&self, session: &Session) -> StoreResult<()>;
    /// The session with this token hash and its account.
    async fn session(&self, token_hash: &str) -> StoreResult<Option<(Session, Account)>>;
    /// Ends one session.
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    /// Records a failed sign-in under each key (an account's login, an address).
    async fn record_failed_login(&self, keys: &[String], at: OffsetDateTime) -> StoreResult<()>;
    /// Failed sign-ins under `key` since `since`.
    async fn failed_logins_since(&self, key: &str, since: OffsetDateTime) -> StoreResult<u64>;
    /// Forgets the failures under `key` (after a successful sign-in).
    async fn clear_failed_logins(&self, key: &str) -> StoreResult<()>;
    /// Adds an API token.
    async fn insert_api_token(&self, token: &ApiToken) -> StoreResult<()>;
    /// The token with this secret hash and its account.
    async fn api_token(&self, token_hash: &str) -> StoreResult<Option<(ApiToken, Account)>>;
    /// The account's tokens, newest first.
    async fn api_tokens_of(&self, account: AccountId) -> StoreResult<Vec<ApiToken>>;
    /// Revokes the account's token `id` at `at`; `NotFound` if it is not theirs.
    async fn revoke_api_token(&self, account: AccountId, id: ApiTokenId, at: OffsetDateTime) -> StoreResult<()>;
}

/// Filters for searching the audit log, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditQuery {
    /// Exactly this actor label (a login, `command-line`, `address:…`).
    pub actor_label: Option<String>,
    /// Records starting with this (`agency:`, `account:sato`).
    pub record_prefix: Option<String>,
    /// This action.
    pub action: Option<AuditAction>,
    /// About this person.
    pub person: Option<String>,
    /// Only entries older than this `seq` (the next page).
    pub before: Option<i64>,
    /// Page size.
    pub limit: u32,
}

/// The append-only, hash-chained audit log.
#[async_trait]
pub trait AuditStore: Send + Sync {
    /// Up to `limit` entries with `seq` greater than `after`, in order.
    async fn audit_entries(&self, after: i64, limit: u32) -> StoreResult<Vec<AuditEntry>>;
    /// Entries matching `query`, newest first.
    async fn search_audit(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>>;
}

/// The consent ledger and the record of provisions to third parties (第三者提供記録).
#[async_trait]
pub trait ConsentStore: Send + Sync {
    /// Every consent of a person, in force or not, oldest first.
    async fn consents_of(&self, person: PersonId) -> StoreResult<Vec<ConsentRecord>>;
    /// Every provision of a person's data, oldest first.
    async fn provisions_of(&self, person: PersonId) -> StoreResult<Vec<Provision>>;
}

/// A new person: the consent they gave first, the case the registering agency opens, and the
/// records they may duplicate (linked, never merged). Written in one transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The person.
    pub person: Person,
    /// The consents given: first the one to the registering agency.
    pub consents: Vec<ConsentRecord>,
    /// The registering agency's case.
    pub case: CaseRecord,
    /// What to do about records with the same reading and birth date.
    pub duplicates: Duplicates,
}

/// What a registration does about the records with the same reading and birth date that exist
/// when it is written — decided there, in the transaction that writes it, so that concurrent
/// registrations of one person cannot each see none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Duplicates {
    /// Refused with [`StoreError::Duplicate`] (`what: "person"`) if there is any.
    Refuse,
    /// Linked to every one of them (never merged): the registering staff confirmed that the
    /// person is registered even so.
    LinkAll,
    /// Linked to exactly these (bulk loads of fictional data, which know their duplicates).
    Link(Vec<PersonId>),
}

/// Everything the access policy needs about a person, read together with the record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFile {
    /// The person.
    pub person: Person,
    /// Their cases at every agency, oldest first.
    pub cases: Vec<CaseRecord>,
    /// Their consents, in force or not, oldest first.
    pub consents: Vec<ConsentRecord>,
    /// Records linked as possibly the same person.
    pub links: Vec<PersonId>,
    /// The journey's current stage (none before the first).
    pub stage: Option<tsunagu_domain::journey::Stage>,
}

/// A line of an agency's caseload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadEntry {
    /// The person.
    pub person: PersonId,
    /// 氏名.
    pub name: String,
    /// ふりがな.
    pub name_kana: String,
    /// 生年月日.
    pub birth_date: time::Date,
    /// The case opened on.
    pub opened_on: time::Date,
    /// The journey's current stage.
    pub stage: Option<tsunagu_domain::journey::Stage>,
    /// The agency's latest support record's date.
    pub last_contact_on: Option<time::Date>,
    /// The next action that record set, and when it is due.
    pub next_action: Option<(String, Option<time::Date>)>,
}

/// Persons and their cases.
#[async_trait]
pub trait PersonStore: Send + Sync {
    /// A person with their cases, consents and links.
    async fn person_file(&self, id: PersonId) -> StoreResult<Option<PersonFile>>;
    /// The emergency override of `account` on `person` open at `at` (the latest, if several).
    async fn emergency_access(
        &self,
        account: AccountId,
        person: PersonId,
        at: OffsetDateTime,
    ) -> StoreResult<Option<tsunagu_domain::access::EmergencyAccess>>;
    /// Persons registered under any of these duplicate keys, with the agencies holding their
    /// open cases, ordered by key then person.
    async fn persons_with_duplicate_keys(&self, keys: &[String]) -> StoreResult<Vec<DuplicateMatch>>;
    /// The persons with an open case at `agency`, by reading then id, `limit` from `offset`.
    async fn caseload(&self, agency: AgencyId, offset: u32, limit: u32) -> StoreResult<Vec<CaseloadEntry>>;
    /// One page of `agency`'s caseload (`limit` persons from `offset` of those `query` lists, in
    /// its order) with their number and the due lists — next actions, follow-ups and plan reviews
    /// due by `due_by`, earliest first, at most `due_limit` of each — read in one transaction.
    async fn caseload_page(
        &self,
        agency: AgencyId,
        query: &CaseloadQuery,
        offset: u32,
        limit: u32,
        due_by: time::Date,
        due_limit: u32,
    ) -> StoreResult<CaseloadPage>;
}

/// Which of an agency's open cases a caseload page lists, and in what order. The default lists
/// them all by reading.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseloadQuery {
    /// Persons by name or reading.
    pub text: Option<NameSearch>,
    /// Only persons at this stage; `Some(None)`: those with no stage yet.
    pub stage: Option<Option<tsunagu_domain::journey::Stage>>,
    /// Only persons with a next action, a retention follow-up or a plan review due on or before
    /// this day.
    pub due_by: Option<time::Date>,
    /// The order.
    pub sort: CaseloadSort,
}

/// A search of a caseload by name or reading (see [`tsunagu_domain::text::name_search_forms`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameSearch {
    /// What was typed is a reading (kana only): readings that start with its hiragana or its
    /// katakana form — a range of the caseload's index, as a family name is looked up.
    ReadingStarts {
        /// The hiragana form.
        hiragana: String,
        /// The katakana form.
        katakana: String,
    },
    /// Anything else (a name in kanji): names that hold it anywhere, or readings that do.
    Anywhere {
        /// As typed, width-folded.
        name: String,
        /// The hiragana form.
        hiragana: String,
        /// The katakana form.
        katakana: String,
    },
}

impl NameSearch {
    /// The search for what a worker typed (already trimmed, not empty).
    pub fn of(typed: &str) -> Self {
        let (name, hiragana, katakana) = tsunagu_domain::text::name_search_forms(typed);
        if tsunagu_domain::text::is_kana_reading(&name) {
            Self::ReadingStarts { hiragana, katakana }
        } else {
            Self::Anywhere { name, hiragana, katakana }
        }
    }
}

/// The smallest text after every text that starts with `prefix` (in code point order): the end
/// of a prefix range.
pub fn after_prefix(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

impl CaseloadQuery {
    /// True when it lists every open case (the size is then the agency's count of open cases).
    pub fn is_unfiltered(&self) -> bool {
        self.text.is_none() && self.stage.is_none() && self.due_by.is_none()
    }
}

/// The order of a caseload page; ties go by reading, then by person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CaseloadSort {
    /// By reading (あいうえお順).
    #[default]
    Reading,
    /// Oldest first.
    BirthDate,
    /// In the order of the journey's stages, those with none first.
    Stage,
    /// Most recent support first, never supported last.
    LastContact,
    /// Soonest next action first, none last.
    NextAction,
}

/// A page of a caseload with what falls due, as one read gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseloadPage {
    /// The persons of the page.
    pub entries: Vec<CaseloadEntry>,
    /// Open cases the query lists, in all.
    pub total: u64,
    /// Next actions due.
    pub due: Vec<DueAction>,
    /// Retention follow-ups due, with the person's name.
    pub follow_ups: Vec<(FollowUp, String)>,
    /// Plan reviews due, with the person's name.
    pub plan_reviews: Vec<(SupportPlan, String)>,
}

/// A person already registered under a duplicate key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateMatch {
    /// The key (see [`tsunagu_domain::person::duplicate_key`]).
    pub key: String,
    /// The person.
    pub person: PersonId,
    /// The agencies holding an open case for them.
    pub open_at: Vec<AgencyId>,
}

/// A due next action or follow-up on a caseload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueAction {
    /// Whose.
    pub person: PersonId,
    /// 氏名.
    pub name: String,
    /// What is to be done.
    pub action: String,
    /// By when.
    pub due_on: time::Date,
}

/// What the timeline shows of a person, read together by [`JourneyStore::journey_of`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journey {
    /// Every stage change, oldest first.
    pub stages: Vec<StageChange>,
    /// Support records, newest first, at most the limit asked for.
    pub records: Vec<SupportRecord>,
    /// Follow-ups, by due date.
    pub follow_ups: Vec<FollowUp>,
    /// Plans with their reviews, newest first.
    pub plans: Vec<SupportPlan>,
    /// Placements, latest start first.
    pub placements: Vec<tsunagu_domain::placement::Placement>,
}

/// Journeys and support records.
#[async_trait]
pub trait JourneyStore: Send + Sync {
    /// The person's stage changes, support records (at most `limit`), follow-ups and plans, as
    /// [`Self::stages_of`], [`Self::support_records_of`], [`Self::follow_ups_of`] and
    /// [`Self::plans_of`] read them. An adapter whose reads each cost a trip to another thread
    /// reads them in one.
    async fn journey_of(&self, person: PersonId, limit: u32) -> StoreResult<Journey> {
        Ok(Journey {
            stages: self.stages_of(person).await?,
            records: self.support_records_of(person, limit).await?,
            follow_ups: self.follow_ups_of(person).await?,
            plans: self.plans_of(person).await?,
            placements: self.placements_of(person).await?,
        })
    }
    /// A person's placements, latest start first.
    async fn placements_of(&self, person: PersonId) -> StoreResult<Vec<tsunagu_domain::placement::Placement>>;
    /// The placements at an employer, latest start first (its hires).
    async fn placements_at(
        &self,
        employer: tsunagu_domain::employer::EmployerId,
    ) -> StoreResult<Vec<tsunagu_domain::placement::Placement>>;
    /// A person's plans with their reviews, newest first.
    async fn plans_of(&self, person: PersonId) -> StoreResult<Vec<SupportPlan>>;
    /// A person's follow-ups, by due date.
    async fn follow_ups_of(&self, person: PersonId) -> StoreResult<Vec<FollowUp>>;
    /// An agency's follow-up schedule (days after a placement), if it set one.
    async fn follow_up_days(&self, agency: AgencyId) -> StoreResult<Option<Vec<u16>>>;
    /// Sets an agency's follow-up schedule.
    async fn set_follow_up_days(&self, agency: AgencyId, days: &[u16]) -> StoreResult<()>;
    /// Every stage change of a person, oldest first.
    async fn stages_of(&self, person: PersonId) -> StoreResult<Vec<StageChange>>;
    /// A person's support records, newest first, at most `limit`.
    async fn support_records_of(&self, person: PersonId, limit: u32) -> StoreResult<Vec<SupportRecord>>;
}

/// A referral with the person's name, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralListing {
    /// The referral.
    pub referral: Referral,
    /// The person's name.
    pub person_name: String,
}

/// Referrals and their notices.
#[async_trait]
pub trait ReferralStore: Send + Sync {
    /// One referral.
    async fn referral(&self, id: uuid::Uuid) -> StoreResult<Option<Referral>>;
    /// The referrals an agency received and sent, newest change first, at most `limit` each.
    async fn referrals_of(
        &self,
        agency: AgencyId,
        limit: u32,
    ) -> StoreResult<(Vec<ReferralListing>, Vec<ReferralListing>)>;
    /// Every referral of a person, oldest first.
    async fn referrals_of_person(&self, person: PersonId) -> StoreResult<Vec<Referral>>;
    /// An agency's notices, newest first, at most `limit`.
    async fn notices(&self, agency: AgencyId, limit: u32) -> StoreResult<Vec<Notice>>;
    /// Marks an agency's notices read.
    async fn mark_notices_read(&self, agency: AgencyId, at: OffsetDateTime) -> StoreResult<()>;
}

/// Documents attached to persons (written through [`RecordStore::commit`]).
#[async_trait]
pub trait DocumentStore: Send + Sync {
    /// A person's documents, removed ones included, oldest first.
    async fn documents_of(&self, person: PersonId) -> StoreResult<Vec<Document>>;
    /// A document of `person` with its content; `None` when there is no such document or its
    /// content was removed.
    async fn document_file(&self, person: PersonId, id: DocumentId) -> StoreResult<Option<(Document, Vec<u8>)>>;
    /// An agency's documents, removed ones included, oldest first.
    async fn agency_documents(&self, agency: AgencyId) -> StoreResult<Vec<AgencyDocument>>;
    /// A document of `agency` with its content; `None` when there is none or it was removed.
    async fn agency_document_file(
        &self,
        agency: AgencyId,
        id: DocumentId,
    ) -> StoreResult<Option<(AgencyDocument, Vec<u8>)>>;
}

/// The program registry: programs, indicators, the program document's cells and the figures
/// recorded for them. Not personal data: it holds counts, never a person.
#[async_trait]
pub trait ProgramStore {
    /// The whole registry, programs in the document's order.
    async fn registry(&self) -> StoreResult<tsunagu_domain::program::Registry>;
    /// What is kept of the placements (moves to employed) of `prefecture`, as of `today`: per
    /// retention group, the ended ones by duration and the others by day, and the placements
    /// whose recorded end comes after `today`. Kept as stage changes, support records and persons
    /// are written; read without reading the placements.
    async fn retention(&self, prefecture: &str, today: time::Date) -> StoreResult<tsunagu_domain::retention::Kept>;
    /// What [`ProgramStore::retention`] keeps, and, read in the same transaction, every placement
    /// of `prefecture` from the records: the person's disability categories, its end (the first
    /// separation, move to welfare or closing on or after it) and whether a workplace visit or an
    /// accompaniment was recorded on or after its day. Never whose. What `report --verify` compares.
    async fn retention_recount(
        &self,
        prefecture: &str,
        today: time::Date,
    ) -> StoreResult<(tsunagu_domain::retention::Kept, Vec<tsunagu_domain::retention::Placement>)>;
    /// Writes a registry into an empty one, in one transaction (the document's programs and
    /// history on a new database).
    async fn insert_registry(&self, registry: &tsunagu_domain::program::Registry) -> StoreResult<()>;
    /// The journey's counts of `prefecture` by kind of agency, as kept when the records were
    /// written (the annual report's source; a count of 0 is left out).
    async fn journey_counts(&self, prefecture: &str) -> StoreResult<Vec<Count<AgencyKind>>>;
    /// The counts of `prefecture` (of fiscal `year` only, if given) as kept, per agency and per
    /// kind, and per agency as recounted from the records: what `tsunagu report --verify` compares.
    async fn journey_recount(&self, prefecture: &str, year: Option<FiscalYear>) -> StoreResult<JourneyRecount>;
}

/// The journey's counts as kept and as recounted from the records (see
/// [`ProgramStore::journey_recount`]).
#[derive(Debug, Clone, Default)]
pub struct JourneyRecount {
    /// Kept per agency.
    pub kept_by_agency: Vec<Count<AgencyId>>,
    /// Kept per kind of agency.
    pub kept_by_kind: Vec<Count<AgencyKind>>,
    /// Recounted per agency from the records.
    pub recounted_by_agency: Vec<Count<AgencyId>>,
}

/// Interview fairs (written through [`RecordStore::commit`]). Not personal data: a fair names
/// companies and agencies, never a person.
#[async_trait]
pub trait FairStore: Send + Sync {
    /// One fair of the store's prefecture.
    async fn fair(&self, id: tsunagu_domain::fair::FairId) -> StoreResult<Option<tsunagu_domain::fair::Fair>>;
    /// The fairs of the store's prefecture, latest date first, at most `limit`.
    async fn fairs(&self, limit: u32) -> StoreResult<Vec<tsunagu_domain::fair::Fair>>;
}

/// An employer as the employers' list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerListing {
    /// Id.
    pub id: tsunagu_domain::employer::EmployerId,
    /// 法人番号.
    pub corporate_number: String,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_kana: String,
    /// Industry letter.
    pub industry: char,
    /// Regular workers.
    pub regular_workers: u32,
    /// 特例子会社.
    pub special_subsidiary: bool,
    /// 実習受入可能.
    pub accepts_interns: bool,
    /// Municipality.
    pub municipality: Option<LocalGovCode>,
}

/// Which employers to list: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmployerQuery {
    /// Folded text the search key must contain (empty for any).
    pub text: String,
    /// Industry letter.
    pub industry: Option<char>,
    /// Municipality.
    pub municipality: Option<LocalGovCode>,
    /// Only those this agency developed or supports.
    pub linked_to: Option<AgencyId>,
    /// Only those that take interns.
    pub accepts_interns: bool,
    /// Only 特例子会社.
    pub special_subsidiary: bool,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return.
    pub limit: u32,
}

/// One page of employers, by reading then id, with how many match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmployerPage {
    /// How many match.
    pub total: u64,
    /// The page.
    pub rows: Vec<EmployerListing>,
}

/// A person whose consent names an employer, with that consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentedPerson {
    /// 氏名.
    pub name: String,
    /// ふりがな.
    pub name_kana: String,
    /// The consent (its person is the person).
    pub consent: ConsentRecord,
}

/// Employers, their developing agencies, and the consents naming them. Written through
/// [`RecordStore::commit`] (and, for demo data, [`DirectoryStore::insert_employers`]).
#[async_trait]
pub trait EmployerStore: Send + Sync {
    /// One employer of the store's prefecture, with the agencies that developed or support it.
    async fn employer(
        &self,
        id: tsunagu_domain::employer::EmployerId,
    ) -> StoreResult<Option<(Employer, Vec<tsunagu_domain::employer::EmployerLink>)>>;
    /// One page of the employers `query` lists.
    async fn search_employers(&self, query: &EmployerQuery) -> StoreResult<EmployerPage>;
    /// Consents naming `employer` that are not withdrawn, with their persons' names, by reading
    /// then id, at most `limit` (whether each is in force today is the access policy's to decide).
    async fn consents_naming_employer(
        &self,
        employer: tsunagu_domain::employer::EmployerId,
        limit: u32,
    ) -> StoreResult<Vec<ConsentedPerson>>;
    /// Every developing agency of every employer of the store's prefecture, in no order (what
    /// the program's 3-1 counts).
    async fn employer_links(
        &self,
    ) -> StoreResult<Vec<(tsunagu_domain::employer::EmployerId, tsunagu_domain::employer::EmployerLink)>>;
}

/// Which published openings to list: every condition given must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpeningQuery {
    /// Where the work is.
    pub municipality: Option<LocalGovCode>,
    /// Only those welcoming this category (or any category).
    pub category: Option<tsunagu_domain::person::DisabilityCategory>,
    /// Only those whose weekly hours range holds this many hours.
    pub hours: Option<u8>,
    /// Only those offering every one of these accommodations.
    pub accommodations: Vec<tsunagu_domain::opening::Accommodation>,
    /// Rows to skip.
    pub offset: u32,
    /// Rows to return.
    pub limit: u32,
}

/// One page of published openings, latest published first, each with its employer's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningPage {
    /// How many match.
    pub total: u64,
    /// The page.
    pub rows: Vec<(tsunagu_domain::opening::Opening, String)>,
}

/// Openings (求人), written through [`RecordStore::commit`]. Not personal data.
#[async_trait]
pub trait OpeningStore: Send + Sync {
    /// One opening of the store's prefecture.
    async fn opening(
        &self,
        id: tsunagu_domain::opening::OpeningId,
    ) -> StoreResult<Option<tsunagu_domain::opening::Opening>>;
    /// An employer's openings, in every status, latest change first.
    async fn openings_of(
        &self,
        employer: tsunagu_domain::employer::EmployerId,
    ) -> StoreResult<Vec<tsunagu_domain::opening::Opening>>;
    /// One page of the published openings `query` lists.
    async fn published_openings(&self, query: &OpeningQuery) -> StoreResult<OpeningPage>;
    /// Every published opening with its employer's name, in no order (what matching indexes).
    async fn every_published_opening(&self) -> StoreResult<Vec<(tsunagu_domain::opening::Opening, String)>>;
    /// A number that moves with every write to an opening (a single-row read).
    async fn openings_revision(&self) -> StoreResult<i64>;
}

/// A slot still to come, with what lists of them show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpcomingSlot {
    /// The slot.
    pub slot: tsunagu_domain::internship::Slot,
    /// Seats held by its bookings (withdrawn ones free theirs).
    pub taken: u32,
    /// The employer's name.
    pub employer: String,
    /// Where the employer is, if recorded.
    pub municipality: Option<LocalGovCode>,
}

/// Internship and tour slots (not personal data) and the persons placed into them (personal
/// data), written through [`RecordStore::commit`].
#[async_trait]
pub trait InternshipStore: Send + Sync {
    /// A slot.
    async fn slot(
        &self,
        id: tsunagu_domain::internship::SlotId,
    ) -> StoreResult<Option<tsunagu_domain::internship::Slot>>;
    /// An employer's slots, the latest first day first.
    async fn slots_of(
        &self,
        employer: tsunagu_domain::employer::EmployerId,
    ) -> StoreResult<Vec<tsunagu_domain::internship::Slot>>;
    /// The persons placed into a slot, in the order they were placed.
    async fn bookings_of_slot(
        &self,
        slot: tsunagu_domain::internship::SlotId,
    ) -> StoreResult<Vec<tsunagu_domain::internship::Booking>>;
    /// A person's bookings with their slots, the latest first day first.
    async fn bookings_of_person(
        &self,
        person: PersonId,
    ) -> StoreResult<Vec<(tsunagu_domain::internship::Booking, tsunagu_domain::internship::Slot)>>;
    /// The slots whose last day is `from` or later, the soonest first, at most `limit`, each with
    /// the seats its bookings hold and its employer's name and municipality.
    async fn upcoming_slots(&self, from: time::Date, limit: u32) -> StoreResult<Vec<UpcomingSlot>>;
    /// Every booking whose outcome is recorded, with its slot (what the program's counts count).
    async fn booking_outcomes(
        &self,
    ) -> StoreResult<Vec<(tsunagu_domain::internship::Slot, tsunagu_domain::internship::Booking)>>;
    /// Every slot, in no order (what the program's 3-1 counts).
    async fn every_slot(&self) -> StoreResult<Vec<tsunagu_domain::internship::Slot>>;
}

/// Students of special-needs schools (personal data), written through [`RecordStore::commit`].
#[async_trait]
pub trait SchoolStore: Send + Sync {
    /// A person's enrolment, if a school recorded one.
    async fn enrolment(&self, person: PersonId) -> StoreResult<Option<tsunagu_domain::school::Enrolment>>;
    /// A school's students and graduates with their names, readings and how many internships
    /// and tours they were placed into (withdrawn ones not counted), by department, year entered
    /// (the latest first) and reading.
    async fn students_of(
        &self,
        school: tsunagu_domain::directory::AgencyId,
    ) -> StoreResult<Vec<(tsunagu_domain::school::Enrolment, String, String, i64)>>;
    /// Every graduate with the placements recorded for them, in no order (what the program's 3-2
    /// counts).
    async fn graduates(
        &self,
    ) -> StoreResult<Vec<(tsunagu_domain::school::Enrolment, Vec<tsunagu_domain::placement::Placement>)>>;
}

/// A person's job-search conditions (希望条件, personal data), written through
/// [`RecordStore::commit`].
#[async_trait]
pub trait PreferenceStore: Send + Sync {
    /// A person's conditions, if any were recorded.
    async fn preferences(&self, person: PersonId) -> StoreResult<Option<tsunagu_domain::preferences::JobPreferences>>;
    /// The conditions recorded for any of `persons`, in no order (those with none are left out).
    async fn preferences_of(
        &self,
        persons: &[PersonId],
    ) -> StoreResult<Vec<tsunagu_domain::preferences::JobPreferences>>;
}

/// Job coaching: agencies' coaches (staff, not personal data), dispatches and the days coaches
/// work on them (personal data), written through [`RecordStore::commit`].
#[async_trait]
pub trait CoachingStore: Send + Sync {
    /// A coach.
    async fn coach(
        &self,
        id: tsunagu_domain::coaching::CoachId,
    ) -> StoreResult<Option<tsunagu_domain::coaching::Coach>>;
    /// An agency's coaches, by name.
    async fn coaches_of(
        &self,
        agency: tsunagu_domain::directory::AgencyId,
    ) -> StoreResult<Vec<tsunagu_domain::coaching::Coach>>;
    /// Every coach of every agency (what programs 9-1 and 9-3 count).
    async fn every_coach(&self) -> StoreResult<Vec<tsunagu_domain::coaching::Coach>>;
    /// A dispatch.
    async fn dispatch(
        &self,
        id: tsunagu_domain::coaching::DispatchId,
    ) -> StoreResult<Option<tsunagu_domain::coaching::Dispatch>>;
    /// A person's dispatches, the latest start first.
    async fn dispatches_of_person(&self, person: PersonId) -> StoreResult<Vec<tsunagu_domain::coaching::Dispatch>>;
    /// An agency's dispatches not ended before `since`, with their persons' names, by start.
    async fn dispatches_of_agency(
        &self,
        agency: tsunagu_domain::directory::AgencyId,
        since: time::Date,
    ) -> StoreResult<Vec<(tsunagu_domain::coaching::Dispatch, String)>>;
    /// A dispatch's days, the latest first.
    async fn days_of_dispatch(
        &self,
        id: tsunagu_domain::coaching::DispatchId,
    ) -> StoreResult<Vec<tsunagu_domain::coaching::CoachDay>>;
    /// The days `coaches` worked from `from` to `to`, with the persons' names, by day.
    async fn days_of_coaches(
        &self,
        coaches: &[tsunagu_domain::coaching::CoachId],
        from: time::Date,
        to: time::Date,
    ) -> StoreResult<Vec<(tsunagu_domain::coaching::CoachDay, String)>>;
    /// Every day worked, in no order (what programs 9-1 and 9-3 count).
    async fn every_coach_day(&self) -> StoreResult<Vec<tsunagu_domain::coaching::CoachDay>>;
    /// Every coach of `agency` (of every agency when none), by name, with what they worked from
    /// `from` to `to`: the dispatches, the days (a day on two cases is one), the minutes —
    /// counted by the database.
    async fn coach_totals(
        &self,
        agency: Option<tsunagu_domain::directory::AgencyId>,
        from: time::Date,
        to: time::Date,
    ) -> StoreResult<Vec<(tsunagu_domain::coaching::Coach, tsunagu_domain::coaching::CoachTotals)>>;
}

/// Trial employment: trials and the hours worked week by week (personal data), written through
/// [`RecordStore::commit`].
#[async_trait]
pub trait TrialStore: Send + Sync {
    /// A trial.
    async fn trial(&self, id: tsunagu_domain::trial::TrialId) -> StoreResult<Option<tsunagu_domain::trial::Trial>>;
    /// A person's trials, the latest start first.
    async fn trials_of_person(&self, person: PersonId) -> StoreResult<Vec<tsunagu_domain::trial::Trial>>;
    /// An agency's trials not ended before `since`, with their persons' names, by start.
    async fn trials_of_agency(
        &self,
        agency: tsunagu_domain::directory::AgencyId,
        since: time::Date,
    ) -> StoreResult<Vec<(tsunagu_domain::trial::Trial, String)>>;
    /// The weeks logged for any of `trials`, by trial and week.
    async fn weeks_of_trials(
        &self,
        trials: &[tsunagu_domain::trial::TrialId],
    ) -> StoreResult<Vec<tsunagu_domain::trial::TrialWeek>>;
    /// Every trial with a grant decided, in no order (what program 9-5 counts).
    async fn granted_trials(&self) -> StoreResult<Vec<tsunagu_domain::trial::Trial>>;
}

/// Return to work: the plans of employees on leave (personal data), written through
/// [`RecordStore::commit`].
#[async_trait]
pub trait ReworkStore: Send + Sync {
    /// A plan.
    async fn return_plan(
        &self,
        id: tsunagu_domain::rework::ReturnPlanId,
    ) -> StoreResult<Option<tsunagu_domain::rework::ReturnPlan>>;
    /// A person's plans, the latest first consultation first.
    async fn return_plans_of_person(&self, person: PersonId) -> StoreResult<Vec<tsunagu_domain::rework::ReturnPlan>>;
    /// An agency's plans not ended before `since`, with their persons' names, by first consultation.
    async fn return_plans_of_agency(
        &self,
        agency: tsunagu_domain::directory::AgencyId,
        since: time::Date,
    ) -> StoreResult<Vec<(tsunagu_domain::rework::ReturnPlan, String)>>;
    /// Every plan, in no order (what program 9-2 counts).
    async fn every_return_plan(&self) -> StoreResult<Vec<tsunagu_domain::rework::ReturnPlan>>;
}

/// The トライワークプロジェクト: persons' participations (personal data), written through
/// [`RecordStore::commit`].
#[async_trait]
pub trait TryWorkStore: Send + Sync {
    /// A participation.
    async fn participation(
        &self,
        id: tsunagu_domain::trywork::ParticipationId,
    ) -> StoreResult<Option<tsunagu_domain::trywork::Participation>>;
    /// A person's participations, the latest start first.
    async fn participations_of_person(
        &self,
        person: PersonId,
    ) -> StoreResult<Vec<tsunagu_domain::trywork::Participation>>;
    /// Every participation, in no order (what program 9-4 counts).
    async fn every_participation(&self) -> StoreResult<Vec<tsunagu_domain::trywork::Participation>>;
}

/// Events and their sign-ups ([`tsunagu_domain::event`]); written only through
/// [`RecordStore::commit`].
#[async_trait]
pub trait EventStore: Send + Sync {
    /// An event.
    async fn event(&self, id: tsunagu_domain::event::EventId) -> StoreResult<Option<tsunagu_domain::event::Event>>;
    /// The events whose days reach `from` or later, the earliest first, at most `limit`.
    async fn events_from(&self, from: time::Date, limit: u32) -> StoreResult<Vec<tsunagu_domain::event::Event>>;
    /// An agency's events, the latest first day first, at most `limit`.
    async fn events_of_agency(
        &self,
        agency: tsunagu_domain::directory::AgencyId,
        limit: u32,
    ) -> StoreResult<Vec<tsunagu_domain::event::Event>>;
    /// Every event, in no order (what the program's counts read).
    async fn every_event(&self) -> StoreResult<Vec<tsunagu_domain::event::Event>>;
    /// A sign-up.
    async fn signup(&self, id: tsunagu_domain::event::SignupId) -> StoreResult<Option<tsunagu_domain::event::Signup>>;
    /// An event's sign-ups in the order they arrived, cancelled ones included.
    async fn signups_of_event(
        &self,
        event: tsunagu_domain::event::EventId,
    ) -> StoreResult<Vec<tsunagu_domain::event::Signup>>;
    /// The sign-ups an account holds or made for someone, the latest first, with their events.
    async fn signups_of_account(
        &self,
        account: tsunagu_domain::account::AccountId,
    ) -> StoreResult<Vec<(tsunagu_domain::event::Signup, tsunagu_domain::event::Event)>>;
    /// A person's sign-ups, the latest first, with their events.
    async fn signups_of_person(
        &self,
        person: PersonId,
    ) -> StoreResult<Vec<(tsunagu_domain::event::Signup, tsunagu_domain::event::Event)>>;
    /// Per event, the confirmed sign-ups that attended at least one session.
    async fn event_attendees(&self) -> StoreResult<Vec<(tsunagu_domain::event::EventId, i64)>>;
    /// A waiting sign-up's place in its event's line (from 1); none when it does not wait.
    async fn place_in_line(&self, id: tsunagu_domain::event::SignupId) -> StoreResult<Option<i64>>;
}

/// Records of technical assistance to agencies ([`tsunagu_domain::assistance`]); written only
/// through [`RecordStore::commit`].
#[async_trait]
pub trait AssistanceStore: Send + Sync {
    /// A record.
    async fn assistance(
        &self,
        id: tsunagu_domain::assistance::AssistanceId,
    ) -> StoreResult<Option<tsunagu_domain::assistance::Assistance>>;
    /// An office's records, the latest day first, at most `limit`.
    async fn assistance_of_office(
        &self,
        office: tsunagu_domain::directory::AgencyId,
        limit: u32,
    ) -> StoreResult<Vec<tsunagu_domain::assistance::Assistance>>;
    /// Every record, in no order (what program 7-2 counts).
    async fn every_assistance(&self) -> StoreResult<Vec<tsunagu_domain::assistance::Assistance>>;
}

/// The roster of medical-liaison coordinators ([`tsunagu_domain::liaison`]); written only through
/// [`RecordStore::commit`].
#[async_trait]
pub trait LiaisonStore: Send + Sync {
    /// A coordinator.
    async fn coordinator(
        &self,
        id: tsunagu_domain::liaison::CoordinatorId,
    ) -> StoreResult<Option<tsunagu_domain::liaison::Coordinator>>;
    /// A location's coordinators, the latest to begin first.
    async fn coordinators_of(
        &self,
        agency: tsunagu_domain::directory::AgencyId,
    ) -> StoreResult<Vec<tsunagu_domain::liaison::Coordinator>>;
    /// Every coordinator, in no order (what program 10-2 counts).
    async fn every_coordinator(&self) -> StoreResult<Vec<tsunagu_domain::liaison::Coordinator>>;
}

/// Work-transition checklists (personal data, [`tsunagu_domain::checklist`]), written through
/// [`RecordStore::commit`].
#[async_trait]
pub trait ChecklistStore: Send + Sync {
    /// A checklist.
    async fn checklist(
        &self,
        id: tsunagu_domain::checklist::ChecklistId,
    ) -> StoreResult<Option<tsunagu_domain::checklist::Checklist>>;
    /// A person's checklists, the earliest first (the order a profile compares them in).
    async fn checklists_of_person(&self, person: PersonId) -> StoreResult<Vec<tsunagu_domain::checklist::Checklist>>;
}

/// Results of the work samples (personal data, [`tsunagu_domain::mws`]), written through
/// [`RecordStore::commit`].
#[async_trait]
pub trait MwsStore: Send + Sync {
    /// A result.
    async fn mws_result(
        &self,
        id: tsunagu_domain::mws::MwsResultId,
    ) -> StoreResult<Option<tsunagu_domain::mws::MwsResult>>;
    /// A person's results, the latest first.
    async fn mws_results_of_person(&self, person: PersonId) -> StoreResult<Vec<tsunagu_domain::mws::MwsResult>>;
}

/// Assessment sheets (personal data, [`tsunagu_domain::assessment`]), written through
/// [`RecordStore::commit`].
#[async_trait]
pub trait AssessmentStore: Send + Sync {
    /// A sheet.
    async fn assessment(
        &self,
        id: tsunagu_domain::assessment::AssessmentId,
    ) -> StoreResult<Option<tsunagu_domain::assessment::Assessment>>;
    /// A person's sheets, the latest begun first.
    async fn assessments_of_person(&self, person: PersonId)
    -> StoreResult<Vec<tsunagu_domain::assessment::Assessment>>;
}

/// 就労パスポート (personal data, [`tsunagu_domain::passport`]), one a person, written through
/// [`RecordStore::commit`].
#[async_trait]
pub trait PassportStore: Send + Sync {
    /// The person's passport, if one was begun.
    async fn passport_of_person(&self, person: PersonId) -> StoreResult<Option<tsunagu_domain::passport::Passport>>;
}

/// Employers' rosters for the legal quota ([`tsunagu_domain::quota`]), one an employer,
/// written through [`RecordStore::commit`].
#[async_trait]
pub trait QuotaStore: Send + Sync {
    /// The employer's roster, if one was begun.
    async fn quota_roster(
        &self,
        employer: tsunagu_domain::employer::EmployerId,
    ) -> StoreResult<Option<tsunagu_domain::quota::Roster>>;
}

/// What an account chose for itself (the register of a person's own pages), written through
/// [`RecordStore::commit`].
#[async_trait]
pub trait SettingsStore: Send + Sync {
    /// The register the account's own pages speak in, if it chose one.
    async fn register_of(&self, account: tsunagu_domain::account::AccountId) -> StoreResult<Option<String>>;
    /// When the account's calendar feed was made, if it has one.
    async fn calendar_feed_of(
        &self,
        account: tsunagu_domain::account::AccountId,
    ) -> StoreResult<Option<time::OffsetDateTime>>;
    /// The login of the account whose calendar feed's secret hashes to `key_hash`.
    async fn login_of_calendar_feed(&self, key_hash: &str) -> StoreResult<Option<String>>;
}

/// A whole store: every port plus schema management.
#[async_trait]
pub trait Store:
    DirectoryStore
    + AccountStore
    + AuditStore
    + ConsentStore
    + PersonStore
    + JourneyStore
    + ReferralStore
    + DocumentStore
    + ProgramStore
    + FairStore
    + EmployerStore
    + OpeningStore
    + InternshipStore
    + SchoolStore
    + PreferenceStore
    + CoachingStore
    + TrialStore
    + ReworkStore
    + TryWorkStore
    + EventStore
    + AssistanceStore
    + LiaisonStore
    + ChecklistStore
    + MwsStore
    + AssessmentStore
    + PassportStore
    + QuotaStore
    + SettingsStore
    + RecordStore
    + Send
    + Sync
    + 'static
{
    /// Applies the embedded migrations that have not run yet; returns how many ran.
    async fn migrate(&self) -> StoreResult<usize>;
    /// `sqlite` or `postgres`, for logs and `/healthz`.
    fn engine(&self) -> &'static str;
    /// Checks the database answers.
    async fn ping(&self) -> StoreResult<()>;
}
