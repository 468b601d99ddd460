//! 就労移行支援のためのチェックリスト: a person's checklists, gone through with them by staff who
//! support them, and taken again later to see how each item moved.
//!
//! A checklist describes the person: their personal data, read and written on the access
//! policy's decision about their support data, each with its audit entry in the same commit, and
//! in their disclosure. Staff who may write the person's support data record one for their
//! agency; that agency's staff correct it.

use tsunagu_domain::access::Basis;
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::checklist::{Checklist, ChecklistId, ChecklistInput};
use tsunagu_domain::consent::DataCategory;
use tsunagu_domain::person::PersonId;
use tsunagu_store::{Change, Commit, PersonFile, StoreError};

use crate::persons::invalid;
use crate::{App, AppError};

/// A person's checklists as one viewer may see them.
#[derive(Debug, Clone)]
pub struct PersonChecklists {
    /// 氏名.
    pub name: String,
    /// The checklists, the earliest first.
    pub checklists: Vec<Checklist>,
    /// The viewer may record one.
    pub writable: bool,
}

/// A checklist as one viewer may see it.
#[derive(Debug, Clone)]
pub struct ChecklistView {
    /// The checklist.
    pub checklist: Checklist,
    /// The person's name.
    pub name: String,
    /// The viewer is staff of the agency that recorded it and may write the person's support data.
    pub writable: bool,
}

/// What a checklist's audit entries name.
const FIELDS: [&str; 3] = ["assessed_on", "checklist_answers", "checklist_note"];

fn record_of(id: ChecklistId) -> String {
    format!("checklist:{}", id.0)
}

impl App {
    /// The person's checklists, on the policy's decision to read their support data; audited on
    /// the person's record.
    pub async fn person_checklists(&self, actor: &Account, person: PersonId) -> Result<PersonChecklists, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let record = format!("checklists:{}", person.0);
        let basis = self.read_basis(actor, &file, record.clone()).await?;
        let checklists = self.store.checklists_of_person(person).await.map_err(AppError::Store)?;
        let fields = ["name"].into_iter().chain(FIELDS).map(String::from).collect();
        self.audit_person(actor, AuditAction::Read, record, person, fields, basis.audit_code()).await?;
        Ok(PersonChecklists {
            name: file.person.fields.name.clone(),
            checklists,
            writable: self.may_write_journey(actor, &file).await?,
        })
    }

    /// Records a checklist gone through with the person, for the actor's agency.
    pub async fn record_checklist(
        &self,
        actor: &Account,
        person: PersonId,
        input: &ChecklistInput,
    ) -> Result<ChecklistId, AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let fields = input.validate(self.today()).map_err(AppError::Invalid)?;
        let checklist = Checklist {
            id: ChecklistId(uuid::Uuid::now_v7()),
            prefecture: file.person.prefecture.clone(),
            person,
            agency,
            fields,
            recorded_by: actor.id,
            version: 1,
            updated_at: self.clock.now(),
        };
        let id = checklist.id;
        let event = self.person_event(
            actor,
            AuditAction::Create,
            record_of(id),
            person,
            FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        let change = Change::SaveChecklist { checklist: Box::new(checklist), expected: None };
        self.commit(Commit::new(event).with(change)).await?;
        Ok(id)
    }

    /// The checklist and the person's file, for staff who may read it (`write`: and write it —
    /// staff of the agency that recorded it); refusals are audited on the person.
    async fn checklist_and_file(
        &self,
        actor: &Account,
        id: ChecklistId,
        write: bool,
    ) -> Result<(Checklist, PersonFile, Basis), AppError> {
        let k = self.store.checklist(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let file = self.store.person_file(k.person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.record_basis(actor, &file, k.agency, write, record_of(id)).await?;
        Ok((k, file, basis))
    }

    /// A checklist, on the policy's decision to read the person's support data; audited on the
    /// person's record.
    pub async fn checklist_view(&self, actor: &Account, id: ChecklistId) -> Result<ChecklistView, AppError> {
        let (checklist, file, basis) = self.checklist_and_file(actor, id, false).await?;
        let fields = ["name"].into_iter().chain(FIELDS).map(String::from).collect();
        self.audit_person(actor, AuditAction::Read, record_of(id), checklist.person, fields, basis.audit_code())
            .await?;
        let writable = actor.agency == Some(checklist.agency) && self.may_write_journey(actor, &file).await?;
        Ok(ChecklistView { name: file.person.fields.name.clone(), writable, checklist })
    }

    /// Corrects a checklist from the version the form was loaded at.
    pub async fn edit_checklist(
        &self,
        actor: &Account,
        id: ChecklistId,
        input: &ChecklistInput,
        version: i64,
    ) -> Result<(), AppError> {
        let (stored, _, basis) = self.checklist_and_file(actor, id, true).await?;
        if stored.version != version {
            return Err(invalid("assessed_on", "checklist_changed"));
        }
        let fields = input.validate(self.today()).map_err(AppError::Invalid)?;
        let checklist =
            Checklist { fields, recorded_by: actor.id, version: version + 1, updated_at: self.clock.now(), ..stored };
        let person = checklist.person;
        let event = self.person_event(
            actor,
            AuditAction::Update,
            record_of(id),
            person,
            FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        let change = Change::SaveChecklist { checklist: Box::new(checklist), expected: Some(version) };
        match self.commit(Commit::new(event).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => Err(invalid("assessed_on", "checklist_changed")),
            Err(e) => Err(e),
        }
    }
}
