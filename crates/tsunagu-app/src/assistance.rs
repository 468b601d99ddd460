//! Technical assistance to agencies (program 7-2): the 職業センター's offices record the advice they
//! give the network's agencies. Staff of a 職業センター record it for their office and change it on
//! its version; program managers read the counts. Not personal data, but every write goes
//! through the audited commit like any other record, on `assistance:<id>`.

use tsunagu_domain::account::Account;
use tsunagu_domain::assistance::{Assistance, AssistanceId, AssistanceInput};
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::directory::{AgencyId, AgencyKind};
use tsunagu_store::{Change, Commit, StoreError};

use crate::persons::invalid;
use crate::{App, AppError};

/// The most records a list shows.
pub const ASSISTANCE_LISTED: u32 = 500;

/// A record as its office lists it, with the agency helped by name.
#[derive(Debug, Clone)]
pub struct AssistanceLine {
    /// The record.
    pub record: Assistance,
    /// The agency helped.
    pub helped: String,
}

impl App {
    /// Staff of a 職業センター (an office that gives technical assistance) who hold cases.
    pub async fn may_record_assistance(&self, actor: &Account) -> Result<bool, AppError> {
        let Some(agency) = actor.agency.filter(|_| Self::may_register(actor)) else { return Ok(false) };
        Ok(self.directory().await?.agency(agency).is_some_and(|a| a.kind == AgencyKind::VocationalCentre))
    }

    async fn assistance_office(&self, actor: &Account) -> Result<AgencyId, AppError> {
        if !self.may_record_assistance(actor).await? {
            return Err(AppError::Forbidden);
        }
        Self::acting_agency(actor)
    }

    /// The actor's office's records, the latest first, with the agencies' names.
    pub async fn office_assistance(&self, actor: &Account) -> Result<Vec<AssistanceLine>, AppError> {
        let office = self.assistance_office(actor).await?;
        let records = self.store.assistance_of_office(office, ASSISTANCE_LISTED).await.map_err(AppError::Store)?;
        let index = self.directory().await?;
        Ok(records
            .into_iter()
            .map(|record| {
                let helped = index.agency(record.fields.helped).map(|a| a.name.clone()).unwrap_or_default();
                AssistanceLine { record, helped }
            })
            .collect())
    }

    /// A record of the actor's office.
    pub async fn assistance(&self, actor: &Account, id: AssistanceId) -> Result<Assistance, AppError> {
        let office = self.assistance_office(actor).await?;
        let record = self.store.assistance(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        if record.office != office {
            return Err(AppError::NotFound);
        }
        Ok(record)
    }

    /// Checks the form and that the agency helped is in the directory.
    async fn assistance_fields(
        &self,
        office: AgencyId,
        input: &AssistanceInput,
    ) -> Result<tsunagu_domain::assistance::AssistanceFields, AppError> {
        let fields = input.validate(self.today(), office).map_err(AppError::Invalid)?;
        if self.directory().await?.agency(fields.helped).is_none() {
            return Err(invalid("helped_agency", "unknown_code"));
        }
        Ok(fields)
    }

    /// Records assistance given by the actor's office.
    pub async fn record_assistance(&self, actor: &Account, input: &AssistanceInput) -> Result<AssistanceId, AppError> {
        let office = self.assistance_office(actor).await?;
        let fields = self.assistance_fields(office, input).await?;
        let record = Assistance {
            id: AssistanceId(uuid::Uuid::now_v7()),
            prefecture: crate::PREFECTURE.to_owned(),
            office,
            fields,
            recorded_by: actor.id,
            version: 1,
            updated_at: self.clock.now(),
        };
        let id = record.id;
        let audit = self.event(
            actor,
            AuditAction::Create,
            format!("assistance:{}", id.0),
            vec!["assistance".into()],
            "office".into(),
        );
        self.commit(Commit::new(audit).with(Change::SaveAssistance { record: Box::new(record), expected: None }))
            .await?;
        Ok(id)
    }

    /// Changes a record of the actor's office from the version the form was loaded at.
    pub async fn edit_assistance(
        &self,
        actor: &Account,
        id: AssistanceId,
        input: &AssistanceInput,
        version: i64,
    ) -> Result<(), AppError> {
        let stored = self.assistance(actor, id).await?;
        if stored.version != version {
            return Err(invalid("given_on", "assistance_changed"));
        }
        let fields = self.assistance_fields(stored.office, input).await?;
        let record =
            Assistance { fields, recorded_by: actor.id, version: version + 1, updated_at: self.clock.now(), ..stored };
        let audit = self.event(
            actor,
            AuditAction::Update,
            format!("assistance:{}", id.0),
            vec!["assistance".into()],
            "office".into(),
        );
        let change = Change::SaveAssistance { record: Box::new(record), expected: Some(version) };
        match self.commit(Commit::new(audit).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => Err(invalid("given_on", "assistance_changed")),
            Err(e) => Err(e),
        }
    }
}
