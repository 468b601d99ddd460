//! The トライワークプロジェクト (program 9-4): a person's participations, recorded by staff who
//! support them.
//!
//! A participation says the person takes part in a mental-health day program: their personal
//! data, read and written on the access policy's decision about their support data, each with its
//! audit entry in the same commit, and in their disclosure. Staff who may write the person's
//! support data record one for their agency; that agency's staff change it.

use tsunagu_domain::access::Basis;
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::DataCategory;
use tsunagu_domain::person::{DisabilityCategory, PersonId};
use tsunagu_domain::trywork::{Participation, ParticipationId, ParticipationInput};
use tsunagu_store::{Change, Commit, PersonFile, StoreError};

use crate::persons::invalid;
use crate::{App, AppError};

/// A person's participations as one viewer may see them.
#[derive(Debug, Clone)]
pub struct PersonTryWork {
    /// 氏名.
    pub name: String,
    /// The participations, the latest first.
    pub participations: Vec<Participation>,
    /// The viewer may record one.
    pub writable: bool,
    /// The person may take part (a mental or developmental disability).
    pub eligible: bool,
}

/// A participation as one viewer may see it.
#[derive(Debug, Clone)]
pub struct ParticipationView {
    /// The participation.
    pub participation: Participation,
    /// The person's name.
    pub name: String,
    /// The viewer is staff of the agency that recorded it and may write the person's support data.
    pub writable: bool,
}

fn eligible(file: &PersonFile) -> bool {
    let c = &file.person.fields.categories;
    c.contains(&DisabilityCategory::Mental) || c.contains(&DisabilityCategory::Developmental)
}

/// What a participation's audit entries name.
const FIELDS: [&str; 4] = ["trywork_course", "track", "period", "outcome"];

impl App {
    /// The person's participations, on the policy's decision to read their support data;
    /// audited on the person's record.
    pub async fn person_trywork(&self, actor: &Account, person: PersonId) -> Result<PersonTryWork, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let record = format!("trywork:{}", person.0);
        let basis = self.read_basis(actor, &file, record.clone()).await?;
        let participations = self.store.participations_of_person(person).await.map_err(AppError::Store)?;
        let fields = vec!["name".into(), "trywork".into()];
        self.audit_person(actor, AuditAction::Read, record, person, fields, basis.audit_code()).await?;
        Ok(PersonTryWork {
            name: file.person.fields.name.clone(),
            participations,
            writable: self.may_write_journey(actor, &file).await?,
            eligible: eligible(&file),
        })
    }

    /// Records a participation of the person, for the actor's agency.
    pub async fn record_participation(
        &self,
        actor: &Account,
        person: PersonId,
        input: &ParticipationInput,
    ) -> Result<ParticipationId, AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let fields = input.validate(self.today(), eligible(&file)).map_err(AppError::Invalid)?;
        let participation = Participation {
            id: ParticipationId(uuid::Uuid::now_v7()),
            prefecture: file.person.prefecture.clone(),
            person,
            agency,
            fields,
            recorded_by: actor.id,
            version: 1,
            updated_at: self.clock.now(),
        };
        let id = participation.id;
        let event = self.person_event(
            actor,
            AuditAction::Create,
            format!("trywork_participation:{}", id.0),
            person,
            FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        let change = Change::SaveParticipation { participation: Box::new(participation), expected: None };
        self.commit(Commit::new(event).with(change)).await?;
        Ok(id)
    }

    /// The participation and the person's file, for staff who may read it (`write`: and write
    /// it — staff of the agency that recorded it); refusals are audited on the person.
    async fn participation_and_file(
        &self,
        actor: &Account,
        id: ParticipationId,
        write: bool,
    ) -> Result<(Participation, PersonFile, Basis), AppError> {
        let p = self.store.participation(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let file = self.store.person_file(p.person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let record = format!("trywork_participation:{}", id.0);
        let basis = self.record_basis(actor, &file, p.agency, write, record).await?;
        Ok((p, file, basis))
    }

    /// A participation, on the policy's decision to read the person's support data; audited on
    /// the person's record.
    pub async fn participation_view(
        &self,
        actor: &Account,
        id: ParticipationId,
    ) -> Result<ParticipationView, AppError> {
        let (participation, file, basis) = self.participation_and_file(actor, id, false).await?;
        let fields = ["name"].into_iter().chain(FIELDS).map(String::from).collect();
        let record = format!("trywork_participation:{}", id.0);
        self.audit_person(actor, AuditAction::Read, record, participation.person, fields, basis.audit_code()).await?;
        let writable = actor.agency == Some(participation.agency) && self.may_write_journey(actor, &file).await?;
        Ok(ParticipationView { name: file.person.fields.name.clone(), writable, participation })
    }

    /// Changes a participation — how it ended, most often — from the version the form was
    /// loaded at.
    pub async fn edit_participation(
        &self,
        actor: &Account,
        id: ParticipationId,
        input: &ParticipationInput,
        version: i64,
    ) -> Result<(), AppError> {
        let (stored, file, basis) = self.participation_and_file(actor, id, true).await?;
        if stored.version != version {
            return Err(invalid("trywork_course", "participation_changed"));
        }
        let fields = input.validate(self.today(), eligible(&file)).map_err(AppError::Invalid)?;
        let participation = Participation {
            fields,
            recorded_by: actor.id,
            version: version + 1,
            updated_at: self.clock.now(),
            ..stored.clone()
        };
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("trywork_participation:{}", id.0),
            stored.person,
            FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        let change = Change::SaveParticipation { participation: Box::new(participation), expected: Some(version) };
        match self.commit(Commit::new(event).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => {
                Err(invalid("trywork_course", "participation_changed"))
            }
            Err(e) => Err(e),
        }
    }
}
