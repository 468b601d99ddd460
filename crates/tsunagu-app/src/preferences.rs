//! A person's job-search conditions (希望条件): the areas they can commute to, the accommodations
//! they need and a note. Matching ranks a person's openings under them, tells an opening's persons
//! apart by them, and ranks the internship slots for their areas.
//!
//! They are personal data: read on the policy's decision to read the person's disability data
//! for a placement or for support, written by those who may write it, each read and write with
//! its audit entry in the same commit, and in the person's disclosure.

use tsunagu_domain::access::Action;
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::{DataCategory, Purpose};
use tsunagu_domain::directory::DirectoryReferences;
use tsunagu_domain::person::{DisabilityCategory, PersonId};
use tsunagu_domain::preferences::{JobPreferences, PreferencesInput};
use tsunagu_store::{Change, Commit, PersonFile};

use crate::persons::{invalid, next_version};
use crate::{App, AppError};

/// Why conditions are read: to find the person work.
pub(crate) const PURPOSES: [Purpose; 2] = [Purpose::Placement, Purpose::Support];

/// The audit entry's name for what is read or written.
pub(crate) const FIELDS: [&str; 3] = ["areas", "needs", "preference_note"];

/// A person's conditions as one viewer may see them.
#[derive(Debug, Clone)]
pub struct PersonPreferences {
    /// 氏名.
    pub name: String,
    /// 希望勤務時間 from the record.
    pub preferred_hours: Option<u8>,
    /// 障害種別 from the record.
    pub categories: Vec<DisabilityCategory>,
    /// The conditions, if recorded.
    pub preferences: Option<JobPreferences>,
    /// The viewer may write them.
    pub writable: bool,
}

impl App {
    /// The basis on which `actor` reads `file`'s conditions, or the audited refusal.
    pub(crate) async fn preference_basis(
        &self,
        actor: &Account,
        file: &PersonFile,
        record: String,
    ) -> Result<tsunagu_domain::access::Basis, AppError> {
        match self.decide_for(actor, file, Action::Read, DataCategory::Disability, &PURPOSES, None).await? {
            Ok(basis) => Ok(basis),
            Err(denial) => Err(self.refuse(actor, file.person.id, record, denial).await),
        }
    }

    /// A person's conditions, on the access policy's decision; the read is audited on the
    /// person's record.
    pub async fn person_preferences(&self, actor: &Account, person: PersonId) -> Result<PersonPreferences, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let record = format!("preferences:{}", person.0);
        let basis = self.preference_basis(actor, &file, record.clone()).await?;
        let preferences = self.store.preferences(person).await.map_err(AppError::Store)?;
        let fields = ["name", "categories", "preferred_hours"].into_iter().chain(FIELDS).map(String::from).collect();
        self.audit_person(actor, AuditAction::Read, record, person, fields, basis.audit_code()).await?;
        let writable = Self::may_register(actor)
            && self
                .decide_for(actor, &file, Action::Write, DataCategory::Disability, &[Purpose::Support], None)
                .await?
                .is_ok();
        Ok(PersonPreferences {
            name: file.person.fields.name.clone(),
            preferred_hours: file.person.fields.preferred_hours,
            categories: file.person.fields.categories.clone(),
            preferences,
            writable,
        })
    }

    /// Records the person's conditions, or replaces them from the version the form was loaded at
    /// (`None` for the first).
    pub async fn record_preferences(
        &self,
        actor: &Account,
        person: PersonId,
        input: &PreferencesInput,
        version: Option<i64>,
    ) -> Result<(), AppError> {
        if !Self::may_register(actor) {
            return Err(AppError::Forbidden);
        }
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Disability).await?;
        let refs = self.references().await?;
        let fields = input.validate(|code| refs.municipality(code).is_some()).map_err(AppError::Invalid)?;
        let stored = self.store.preferences(person).await.map_err(AppError::Store)?;
        let Some(next) = next_version(stored.map(|p| p.version), version) else {
            return Err(invalid("areas", "preferences_changed"));
        };
        let preferences = JobPreferences {
            person,
            prefecture: file.person.prefecture.clone(),
            fields,
            recorded_by: actor.id,
            version: next,
            updated_at: self.clock.now(),
        };
        let action = if version.is_some() { AuditAction::Update } else { AuditAction::Create };
        let event = self.person_event(
            actor,
            action,
            format!("preferences:{}", person.0),
            person,
            FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        let change = Change::SavePreferences { preferences: Box::new(preferences), expected: version };
        self.commit_one_per_person(Commit::new(event).with(change), "areas", "preferences_changed").await
    }
}
