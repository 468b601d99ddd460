//! The roster of medical-liaison coordinators (program 10-2): staff of a location record its
//! coordinators, the period each serves and the medical institutions each works with, and change
//! them on their version. Not personal data of a person supported, but every write goes through
//! the audited commit, on `coordinator:<id>`.

use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::directory::{AgencyId, AgencyKind};
use tsunagu_domain::liaison::{Coordinator, CoordinatorFields, CoordinatorId, CoordinatorInput};
use tsunagu_store::{Change, Commit, StoreError};

use crate::persons::invalid;
use crate::{App, AppError};

/// A coordinator with the medical institutions' names.
#[derive(Debug, Clone)]
pub struct CoordinatorLine {
    /// The coordinator.
    pub coordinator: Coordinator,
    /// The institutions they work with, by name.
    pub institutions: Vec<String>,
}

impl App {
    /// Staff who hold cases keep their own agency's roster (the program's locations are
    /// employment-support agencies).
    pub fn may_keep_coordinators(actor: &Account) -> bool {
        Self::may_register(actor)
    }

    fn roster_agency(actor: &Account) -> Result<AgencyId, AppError> {
        if !Self::may_keep_coordinators(actor) {
            return Err(AppError::Forbidden);
        }
        Self::acting_agency(actor)
    }

    /// The actor's agency's coordinators, the latest to begin first, with the institutions' names.
    pub async fn agency_coordinators(&self, actor: &Account) -> Result<Vec<CoordinatorLine>, AppError> {
        let agency = Self::roster_agency(actor)?;
        let coordinators = self.store.coordinators_of(agency).await.map_err(AppError::Store)?;
        let index = self.directory().await?;
        Ok(coordinators
            .into_iter()
            .map(|coordinator| {
                let institutions = coordinator
                    .fields
                    .institutions
                    .iter()
                    .filter_map(|i| index.agency(*i).map(|a| a.name.clone()))
                    .collect();
                CoordinatorLine { coordinator, institutions }
            })
            .collect())
    }

    /// A coordinator of the actor's agency.
    pub async fn coordinator(&self, actor: &Account, id: CoordinatorId) -> Result<Coordinator, AppError> {
        let agency = Self::roster_agency(actor)?;
        let found = self.store.coordinator(id).await.map_err(AppError::Store)?;
        found.filter(|c| c.agency == agency).ok_or(AppError::NotFound)
    }

    /// Checks the form, and that every institution is a medical institution of the directory.
    async fn coordinator_fields(&self, input: &CoordinatorInput) -> Result<CoordinatorFields, AppError> {
        let fields = input.validate(self.today()).map_err(AppError::Invalid)?;
        let index = self.directory().await?;
        if fields.institutions.iter().any(|i| index.agency(*i).is_none_or(|a| a.kind != AgencyKind::MedicalInstitution))
        {
            return Err(invalid("institutions", "not_a_medical_institution"));
        }
        Ok(fields)
    }

    /// Adds a coordinator to the actor's agency's roster.
    pub async fn record_coordinator(
        &self,
        actor: &Account,
        input: &CoordinatorInput,
    ) -> Result<CoordinatorId, AppError> {
        let agency = Self::roster_agency(actor)?;
        let fields = self.coordinator_fields(input).await?;
        let coordinator = Coordinator {
            id: CoordinatorId(uuid::Uuid::now_v7()),
            prefecture: crate::PREFECTURE.to_owned(),
            agency,
            fields,
            recorded_by: actor.id,
            version: 1,
            updated_at: self.clock.now(),
        };
        let id = coordinator.id;
        let audit = self.event(
            actor,
            AuditAction::Create,
            format!("coordinator:{}", id.0),
            vec!["coordinator".into()],
            "own_agency".into(),
        );
        let change = Change::SaveCoordinator { coordinator: Box::new(coordinator), expected: None };
        self.commit(Commit::new(audit).with(change)).await?;
        Ok(id)
    }

    /// Changes a coordinator of the actor's agency — their last day, most often — from the
    /// version the form was loaded at.
    pub async fn edit_coordinator(
        &self,
        actor: &Account,
        id: CoordinatorId,
        input: &CoordinatorInput,
        version: i64,
    ) -> Result<(), AppError> {
        let stored = self.coordinator(actor, id).await?;
        if stored.version != version {
            return Err(invalid("coordinator_name", "coordinator_changed"));
        }
        let fields = self.coordinator_fields(input).await?;
        let coordinator =
            Coordinator { fields, recorded_by: actor.id, version: version + 1, updated_at: self.clock.now(), ..stored };
        let audit = self.event(
            actor,
            AuditAction::Update,
            format!("coordinator:{}", id.0),
            vec!["coordinator".into()],
            "own_agency".into(),
        );
        let change = Change::SaveCoordinator { coordinator: Box::new(coordinator), expected: Some(version) };
        match self.commit(Commit::new(audit).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => {
                Err(invalid("coordinator_name", "coordinator_changed"))
            }
            Err(e) => Err(e),
        }
    }
}
