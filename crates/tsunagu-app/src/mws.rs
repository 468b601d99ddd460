//! ワークサンプル幕張版 (MWS): a person's results on the work samples, recorded by staff who
//! support them.
//!
//! A result describes the person: their personal data, read and written on the access
//! policy's decision about their support data, each with its audit entry in the same commit, and
//! in their disclosure. Staff who may write the person's support data record one for their
//! agency; that agency's staff correct it.

use tsunagu_domain::access::Basis;
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::DataCategory;
use tsunagu_domain::mws::{MwsInput, MwsResult, MwsResultId};
use tsunagu_domain::person::PersonId;
use tsunagu_store::{Change, Commit, PersonFile, StoreError};

use crate::persons::invalid;
use crate::{App, AppError};

/// A person's results as one viewer may see them.
#[derive(Debug, Clone)]
pub struct PersonMws {
    /// 氏名.
    pub name: String,
    /// The results, the latest first.
    pub results: Vec<MwsResult>,
    /// The viewer may record one.
    pub writable: bool,
}

/// A result as one viewer may see it.
#[derive(Debug, Clone)]
pub struct MwsView {
    /// The result.
    pub result: MwsResult,
    /// The person's name.
    pub name: String,
    /// The viewer is staff of the agency that recorded it and may write the person's support data.
    pub writable: bool,
}

/// What a result's audit entries name.
const FIELDS: [&str; 4] = ["done_on", "task", "mws_scores", "mws_notes"];

fn record_of(id: MwsResultId) -> String {
    format!("mws_result:{}", id.0)
}

impl App {
    /// The person's results, on the policy's decision to read their support data; audited on
    /// the person's record.
    pub async fn person_mws(&self, actor: &Account, person: PersonId) -> Result<PersonMws, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let record = format!("mws_results:{}", person.0);
        let basis = self.read_basis(actor, &file, record.clone()).await?;
        let results = self.store.mws_results_of_person(person).await.map_err(AppError::Store)?;
        let fields = ["name"].into_iter().chain(FIELDS).map(String::from).collect();
        self.audit_person(actor, AuditAction::Read, record, person, fields, basis.audit_code()).await?;
        Ok(PersonMws {
            name: file.person.fields.name.clone(),
            results,
            writable: self.may_write_journey(actor, &file).await?,
        })
    }

    /// Records a result of the person's work sample, for the actor's agency.
    pub async fn record_mws_result(
        &self,
        actor: &Account,
        person: PersonId,
        input: &MwsInput,
    ) -> Result<MwsResultId, AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let fields = input.validate(self.today()).map_err(AppError::Invalid)?;
        let result = MwsResult {
            id: MwsResultId(uuid::Uuid::now_v7()),
            prefecture: file.person.prefecture.clone(),
            person,
            agency,
            fields,
            recorded_by: actor.id,
            version: 1,
            updated_at: self.clock.now(),
        };
        let id = result.id;
        let event = self.person_event(
            actor,
            AuditAction::Create,
            record_of(id),
            person,
            FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        let change = Change::SaveMwsResult { result: Box::new(result), expected: None };
        self.commit(Commit::new(event).with(change)).await?;
        Ok(id)
    }

    /// The result and the person's file, for staff who may read it (`write`: and write it —
    /// staff of the agency that recorded it); refusals are audited on the person.
    async fn mws_result_and_file(
        &self,
        actor: &Account,
        id: MwsResultId,
        write: bool,
    ) -> Result<(MwsResult, PersonFile, Basis), AppError> {
        let k = self.store.mws_result(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let file = self.store.person_file(k.person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.record_basis(actor, &file, k.agency, write, record_of(id)).await?;
        Ok((k, file, basis))
    }

    /// A result, on the policy's decision to read the person's support data; audited on the
    /// person's record.
    pub async fn mws_result_view(&self, actor: &Account, id: MwsResultId) -> Result<MwsView, AppError> {
        let (result, file, basis) = self.mws_result_and_file(actor, id, false).await?;
        let fields = ["name"].into_iter().chain(FIELDS).map(String::from).collect();
        self.audit_person(actor, AuditAction::Read, record_of(id), result.person, fields, basis.audit_code()).await?;
        let writable = actor.agency == Some(result.agency) && self.may_write_journey(actor, &file).await?;
        Ok(MwsView { name: file.person.fields.name.clone(), writable, result })
    }

    /// Corrects a result from the version the form was loaded at.
    pub async fn edit_mws_result(
        &self,
        actor: &Account,
        id: MwsResultId,
        input: &MwsInput,
        version: i64,
    ) -> Result<(), AppError> {
        let (stored, _, basis) = self.mws_result_and_file(actor, id, true).await?;
        if stored.version != version {
            return Err(invalid("done_on", "mws_result_changed"));
        }
        let fields = input.validate(self.today()).map_err(AppError::Invalid)?;
        let result =
            MwsResult { fields, recorded_by: actor.id, version: version + 1, updated_at: self.clock.now(), ..stored };
        let person = result.person;
        let event = self.person_event(
            actor,
            AuditAction::Update,
            record_of(id),
            person,
            FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        let change = Change::SaveMwsResult { result: Box::new(result), expected: Some(version) };
        match self.commit(Commit::new(event).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => Err(invalid("done_on", "mws_result_changed")),
            Err(e) => Err(e),
        }
    }
}
