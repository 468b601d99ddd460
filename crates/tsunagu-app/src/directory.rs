//! Directory use cases (行動1): find, read, create and edit agencies; edit municipalities.

use tsunagu_domain::LocalGovCode;
use tsunagu_domain::account::{Account, DirectoryChange, may_change_directory};
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::directory::AgencyFields;
use tsunagu_domain::directory::{Agency, AgencyId, AgencyInput, AgencyKind, Block, BlockCode, Municipality};
use tsunagu_domain::text::search_key;
use tsunagu_domain::validation::text_field;
use tsunagu_store::StoreError;

pub use crate::index::{AgencyPage, AgencySummary};

use crate::index::DirectoryIndex;
use crate::{App, AppError, PREFECTURE};

/// Results per directory page.
pub const PAGE_SIZE: u32 = 50;

/// The directory's filters as a user gives them; all optional.
#[derive(Debug, Clone, Default)]
pub struct AgencySearch {
    /// Free text (any width, hiragana or katakana).
    pub text: Option<String>,
    /// Block.
    pub block: Option<BlockCode>,
    /// Kind.
    pub kind: Option<AgencyKind>,
    /// Municipality.
    pub municipality: Option<LocalGovCode>,
    /// 1-based page number.
    pub page: u32,
}

/// What a municipality's editor may change.
#[derive(Debug, Clone)]
pub struct MunicipalityChange {
    /// New block.
    pub block: BlockCode,
    /// The block assignment was checked against an official list.
    pub block_confirmed: bool,
    /// Runs a 区市町村障害者就労支援センター.
    pub runs_support_centre: bool,
    /// Has a 地域開拓促進コーディネーター.
    pub has_development_coordinator: bool,
}

/// A directory form, asked for before it is filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DirectoryForm {
    /// A new agency.
    NewAgency,
    /// This agency's edit form.
    EditAgency(AgencyId),
    /// The agencies import.
    Import,
    /// A block's or a municipality's edit form.
    MasterData,
}

impl App {
    /// Asks the directory policy about the change `describe` builds from the current index (an
    /// agency's block comes from there).
    async fn permits(
        &self,
        actor: &Account,
        describe: impl for<'i> FnOnce(&'i DirectoryIndex) -> DirectoryChange<'i>,
    ) -> Result<bool, AppError> {
        let index = self.directory().await?;
        let own_block = actor.agency.and_then(|a| index.block_of(a));
        Ok(may_change_directory(actor, own_block, describe(&index)))
    }

    /// Refuses the change unless the directory policy allows it to `actor`.
    pub(crate) async fn authorize(
        &self,
        actor: &Account,
        describe: impl for<'i> FnOnce(&'i DirectoryIndex) -> DirectoryChange<'i>,
    ) -> Result<(), AppError> {
        if self.permits(actor, describe).await? {
            Ok(())
        } else {
            tracing::warn!(account = %actor.id.0, "directory change refused");
            Err(AppError::Forbidden)
        }
    }

    /// Refuses (403) a directory form to an account that could not save it, before it is shown.
    pub async fn open_directory_form(&self, actor: &Account, form: DirectoryForm) -> Result<(), AppError> {
        self.authorize(actor, |index| match form {
            DirectoryForm::NewAgency => DirectoryChange::AddAgency,
            DirectoryForm::EditAgency(id) => DirectoryChange::EditAgency(id, index.block_of(id)),
            DirectoryForm::Import => DirectoryChange::Import,
            DirectoryForm::MasterData => DirectoryChange::MasterData,
        })
        .await
    }

    /// Whether `actor` may edit agency `id` (to show or hide the edit link).
    pub async fn may_edit_agency(&self, actor: &Account, id: AgencyId) -> Result<bool, AppError> {
        self.permits(actor, |index| DirectoryChange::EditAgency(id, index.block_of(id))).await
    }

    /// One page of the directory.
    pub async fn search_agencies(&self, search: &AgencySearch) -> Result<AgencyPage, AppError> {
        let text = search.text.as_deref().map(search_key).filter(|t| !t.is_empty());
        let index = self.directory().await?;
        let offset = search.page.saturating_sub(1).saturating_mul(PAGE_SIZE);
        Ok(index.search(text.as_deref(), search, offset as usize, PAGE_SIZE as usize))
    }

    /// One agency.
    pub async fn agency(&self, id: AgencyId) -> Result<Agency, AppError> {
        self.store.get_agency(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)
    }

    /// Validates and adds an agency.
    pub async fn create_agency(&self, actor: &Account, input: &AgencyInput) -> Result<Agency, AppError> {
        self.authorize(actor, |_| DirectoryChange::AddAgency).await?;
        let refs = self.references().await?;
        let fields = input.validate(refs.as_ref()).map_err(AppError::Invalid)?;
        let agency = Agency {
            id: AgencyId(self.ids.new_id()),
            prefecture: PREFECTURE.to_owned(),
            fields,
            version: 1,
            updated_at: self.clock.now(),
        };
        self.store.insert_agencies(std::slice::from_ref(&agency)).await.map_err(AppError::Store)?;
        self.directory_changed();
        let record = format!("agency:{}", agency.id.0);
        self.audit(Some(actor), "", AuditAction::Create, record, vec![], "directory_policy").await?;
        tracing::info!(agency = %agency.id.0, "agency created");
        Ok(agency)
    }

    /// Validates and saves an edit made from `version`; a stale edit is refused with the current
    /// record so the editor can see what changed.
    pub async fn update_agency(
        &self,
        actor: &Account,
        id: AgencyId,
        version: i64,
        input: &AgencyInput,
    ) -> Result<Agency, AppError> {
        self.authorize(actor, |index| DirectoryChange::EditAgency(id, index.block_of(id))).await?;
        let refs = self.references().await?;
        let fields = input.validate(refs.as_ref()).map_err(AppError::Invalid)?;
        let current = self.agency(id).await?;
        if current.version != version {
            return Err(AppError::Conflict(Box::new(current)));
        }
        let changed = changed_fields(&current.fields, &fields);
        let agency = Agency { fields, version: version + 1, updated_at: self.clock.now(), ..current };
        let saved = self.store.update_agency(&agency).await;
        self.directory_changed();
        match saved {
            Ok(()) => {
                let record = format!("agency:{}", agency.id.0);
                self.audit(Some(actor), "", AuditAction::Update, record, changed, "directory_policy").await?;
                Ok(agency)
            }
            Err(StoreError::Conflict { .. }) => Err(AppError::Conflict(Box::new(self.agency(id).await?))),
            Err(StoreError::NotFound) => Err(AppError::NotFound),
            Err(e) => Err(AppError::Store(e)),
        }
    }

    /// Changes a municipality's block and flags.
    pub async fn update_municipality(
        &self,
        actor: &Account,
        code: &LocalGovCode,
        change: &MunicipalityChange,
    ) -> Result<Municipality, AppError> {
        self.authorize(actor, |_| DirectoryChange::MasterData).await?;
        let refs = self.references().await?;
        let Some(current) = refs.municipalities.iter().find(|m| &m.code == code) else {
            return Err(AppError::NotFound);
        };
        if refs.block(&change.block).is_none() {
            let mut p = tsunagu_domain::Problems::new();
            p.add("block_code", "unknown_block");
            return Err(AppError::Invalid(p));
        }
        let updated = Municipality {
            block: change.block.clone(),
            block_provisional: current.block_provisional && !change.block_confirmed,
            runs_support_centre: change.runs_support_centre,
            has_development_coordinator: change.has_development_coordinator,
            ..current.clone()
        };
        self.store.update_municipality(&updated).await.map_err(AppError::Store)?;
        self.directory_changed();
        let record = format!("municipality:{}", updated.code);
        self.audit(Some(actor), "", AuditAction::Update, record, vec![], "directory_policy").await?;
        Ok(updated)
    }
}

impl App {
    /// How many employers are registered.
    pub async fn count_employers(&self) -> Result<u64, AppError> {
        self.store.count_employers().await.map_err(AppError::Store)
    }
}

impl App {
    /// Renames a block; both names are required (at most 20 characters).
    pub async fn rename_block(
        &self,
        actor: &Account,
        code: &BlockCode,
        name_ja: &str,
        name_en: &str,
    ) -> Result<Block, AppError> {
        self.authorize(actor, |_| DirectoryChange::MasterData).await?;
        let refs = self.references().await?;
        let Some(current) = refs.block(code) else {
            return Err(AppError::NotFound);
        };
        let mut p = tsunagu_domain::Problems::new();
        let name_ja = text_field(&mut p, "name_ja", name_ja, 20, true);
        let name_en = text_field(&mut p, "name_en", name_en, 40, true);
        // Another block's name would make the two indistinguishable in menus, imports (which
        // accept a block by name) and the annual report.
        let others = || refs.blocks.iter().filter(|b| &b.code != code);
        if let Some(ja) = &name_ja
            && others().any(|b| &b.name_ja == ja)
        {
            p.add("name_ja", "block_name_taken");
        }
        if let Some(en) = &name_en
            && others().any(|b| b.name_en.eq_ignore_ascii_case(en))
        {
            p.add("name_en", "block_name_taken");
        }
        let (Some(name_ja), Some(name_en), true) = (name_ja, name_en, p.is_empty()) else {
            return Err(AppError::Invalid(p));
        };
        let block = Block { name_ja, name_en, ..current.clone() };
        self.store.update_block(&block).await.map_err(AppError::Store)?;
        self.directory_changed();
        let record = format!("block:{}", block.code.0);
        self.audit(Some(actor), "", AuditAction::Update, record, vec![], "directory_policy").await?;
        Ok(block)
    }
}

/// The names of the fields that differ between two versions of an agency, for the audit log.
fn changed_fields(before: &AgencyFields, after: &AgencyFields) -> Vec<String> {
    let (b, a) = (AgencyInput::from_fields(before), AgencyInput::from_fields(after));
    b.field_texts()
        .into_iter()
        .zip(a.field_texts())
        .filter(|((_, old), (_, new))| old != new)
        .map(|((name, _), _)| name.to_owned())
        .collect()
}
