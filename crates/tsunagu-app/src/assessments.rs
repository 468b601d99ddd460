//! 就労支援のためのアセスメントシート: begun by staff who support the person, then filled in by
//! both — the person their own answers from their own pages, the supporter theirs — and read side
//! by side.
//!
//! A sheet is the person's personal data: read on the access policy's decision (the person reads
//! their own), each read and write audited in the same commit, and in their disclosure. Each side
//! writes only its own answers: a write from the person replaces the person's and keeps the
//! supporter's as stored, and the other way round, so neither can change the other's.

use std::collections::BTreeMap;

use tsunagu_domain::account::Account;
use tsunagu_domain::assessment::{Assessment, AssessmentFields, AssessmentId, check_answers};
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::DataCategory;
use tsunagu_domain::person::PersonId;
use tsunagu_store::{Change, Commit, StoreError};

use crate::persons::invalid;
use crate::{App, AppError};

/// A person's sheets as one viewer may see them.
#[derive(Debug, Clone)]
pub struct PersonAssessments {
    /// 氏名.
    pub name: String,
    /// The sheets, the latest begun first.
    pub sheets: Vec<Assessment>,
    /// The viewer may begin one.
    pub writable: bool,
}

/// A sheet as one viewer may see it.
#[derive(Debug, Clone)]
pub struct AssessmentView {
    /// The sheet.
    pub sheet: Assessment,
    /// The person's name.
    pub name: String,
    /// The viewer writes the supporter's answers (staff of the agency that began it).
    pub supporter: bool,
    /// The viewer is the person, who writes their own.
    pub own: bool,
}

fn record_of(id: AssessmentId) -> String {
    format!("assessment:{}", id.0)
}

impl App {
    /// The person's sheets, on the policy's decision to read their support data (the person's
    /// own on the basis "own record"); audited on the person's record.
    pub async fn person_assessments(&self, actor: &Account, person: PersonId) -> Result<PersonAssessments, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let record = format!("assessments:{}", person.0);
        let basis = self.read_basis(actor, &file, record.clone()).await?;
        let sheets = self.store.assessments_of_person(person).await.map_err(AppError::Store)?;
        let fields = vec!["name".into(), "person_answers".into(), "supporter_answers".into()];
        self.audit_person(actor, AuditAction::Read, record, person, fields, basis.audit_code()).await?;
        Ok(PersonAssessments {
            name: file.person.fields.name.clone(),
            sheets,
            writable: self.may_write_assessment(actor, &file).await?,
        })
    }

    /// Begins a sheet with the person, for the actor's agency, today.
    pub async fn begin_assessment(&self, actor: &Account, person: PersonId) -> Result<AssessmentId, AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Assessment).await?;
        let sheet = Assessment {
            id: AssessmentId(uuid::Uuid::now_v7()),
            prefecture: file.person.prefecture.clone(),
            person,
            agency,
            fields: AssessmentFields {
                started_on: self.today(),
                person: BTreeMap::new(),
                supporter: BTreeMap::new(),
                person_answered_at: None,
            },
            recorded_by: actor.id,
            version: 1,
            updated_at: self.clock.now(),
        };
        let id = sheet.id;
        let event = self.person_event(
            actor,
            AuditAction::Create,
            record_of(id),
            person,
            vec!["started_on".into()],
            basis.audit_code(),
        );
        self.commit(Commit::new(event).with(Change::SaveAssessment { sheet: Box::new(sheet), expected: None })).await?;
        Ok(id)
    }

    /// A sheet, for the person or for staff the policy lets read their support data; audited.
    pub async fn assessment_view(&self, actor: &Account, id: AssessmentId) -> Result<AssessmentView, AppError> {
        let sheet = self.store.assessment(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let file = self.store.person_file(sheet.person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.read_basis(actor, &file, record_of(id)).await?;
        let fields = vec!["name".into(), "person_answers".into(), "supporter_answers".into()];
        self.audit_person(actor, AuditAction::Read, record_of(id), sheet.person, fields, basis.audit_code()).await?;
        let own = Self::own_person(actor).ok() == Some(sheet.person);
        let supporter = actor.agency == Some(sheet.agency) && self.may_write_assessment(actor, &file).await?;
        Ok(AssessmentView { name: file.person.fields.name.clone(), supporter, own, sheet })
    }

    /// Writes one side's answers from the version the form was loaded at: the person's own when
    /// the actor is the person, else the supporter's (staff of the agency that began it, who may
    /// write the person's assessment data). The other side's answers stay as stored.
    pub async fn answer_assessment(
        &self,
        actor: &Account,
        id: AssessmentId,
        typed: &BTreeMap<String, String>,
        version: i64,
    ) -> Result<(), AppError> {
        let stored = self.store.assessment(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let own = Self::own_person(actor).ok() == Some(stored.person);
        let basis = if own {
            "own".to_owned()
        } else {
            let file =
                self.store.person_file(stored.person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
            if actor.agency != Some(stored.agency) {
                return Err(AppError::Forbidden);
            }
            self.write_basis(actor, &file, DataCategory::Assessment).await?.audit_code()
        };
        if stored.version != version {
            return Err(invalid("answers", "assessment_changed"));
        }
        let answers = check_answers(typed).map_err(AppError::Invalid)?;
        let now = self.clock.now();
        let mut fields = stored.fields.clone();
        let written = if own {
            fields.person = answers;
            fields.person_answered_at = Some(now);
            "person_answers"
        } else {
            fields.supporter = answers;
            "supporter_answers"
        };
        let sheet = Assessment { fields, recorded_by: actor.id, version: version + 1, updated_at: now, ..stored };
        let person = sheet.person;
        let event = self.person_event(actor, AuditAction::Update, record_of(id), person, vec![written.into()], basis);
        let change = Change::SaveAssessment { sheet: Box::new(sheet), expected: Some(version) };
        match self.commit(Commit::new(event).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => Err(invalid("answers", "assessment_changed")),
            Err(e) => Err(e),
        }
    }
}
