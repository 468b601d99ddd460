//! The writes the cases make, each as one commit through [`RecordStore::commit`], the only way a
//! store writes personal data. Writes that are not about the audit log itself carry one entry,
//! [`entry_for`], as the application's would.

use async_trait::async_trait;
use time::OffsetDateTime;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::audit::{AuditAction, AuditEntry, AuditEvent};
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::consent::{ConsentId, ConsentRecord, Provision};
use tsunagu_domain::journey::Stage;
use tsunagu_domain::journey::{FollowUp, StageChange, SupportRecord};
use tsunagu_domain::person::Person;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::plan::{PlanReview, SupportPlan};
use tsunagu_domain::referral::{Notice, Referral};
use tsunagu_store::{Change, Commit, RecordStore, Registration, StoreError, StoreResult};

/// The entry a case's write carries: a create by the test worker, about `record`.
pub fn entry_for(record: &str) -> AuditEvent {
    AuditEvent {
        at_micros: 1,
        actor: "00000000-0000-0000-0000-000000000001".into(),
        actor_label: "worker".into(),
        action: AuditAction::Create,
        record: record.to_owned(),
        person: String::new(),
        fields: vec![],
        basis: "test".into(),
    }
}

/// Persons imported together: registrations, stages, follow-ups and their entries.
#[derive(Debug, Clone, Default)]
pub struct PersonImport {
    /// Registrations.
    pub registrations: Vec<Registration>,
    /// Stages of the new persons.
    pub stages: Vec<StageChange>,
    /// Follow-ups.
    pub follow_ups: Vec<FollowUp>,
    /// The entries, in order.
    pub events: Vec<AuditEvent>,
}

/// One commit of `changes` with the entry [`entry_for`] `record`.
async fn write(store: &(impl RecordStore + ?Sized), record: &str, changes: Vec<Change>) -> StoreResult<()> {
    store.commit(Commit::new(entry_for(record)).with_all(changes)).await.map(|_| ())
}

/// One commit of `changes` with `events`.
async fn write_all(
    store: &(impl RecordStore + ?Sized),
    events: &[AuditEvent],
    changes: Vec<Change>,
) -> StoreResult<Vec<AuditEntry>> {
    let commit = Commit::of_events(events.to_vec()).ok_or(StoreError::NotFound)?;
    store.commit(commit.with_all(changes)).await
}

/// The cases' writes, named for what they write.
#[allow(missing_docs, reason = "each method is the change of the same name, committed")]
#[async_trait]
pub trait Writes {
    async fn append_audit(&self, event: &AuditEvent) -> StoreResult<AuditEntry>;
    async fn insert_consent(&self, record: &ConsentRecord) -> StoreResult<()>;
    async fn revoke_consent(&self, id: ConsentId, at: OffsetDateTime) -> StoreResult<()>;
    async fn insert_provision(&self, provision: &Provision) -> StoreResult<()>;
    async fn register_person(&self, registration: &Registration) -> StoreResult<()>;
    async fn register_persons(&self, registrations: &[Registration]) -> StoreResult<()>;
    async fn update_person(&self, person: &Person) -> StoreResult<()>;
    async fn change_stage(
        &self,
        change: &StageChange,
        expected: Option<Stage>,
        follow_ups: &[FollowUp],
    ) -> StoreResult<()>;
    async fn insert_plan(&self, plan: &SupportPlan) -> StoreResult<()>;
    async fn add_plan_review(&self, person: PersonId, plan: uuid::Uuid, review: &PlanReview) -> StoreResult<()>;
    async fn complete_follow_up(
        &self,
        person: PersonId,
        id: uuid::Uuid,
        on: time::Date,
        by: AccountId,
    ) -> StoreResult<()>;
    async fn insert_support_record_audited(
        &self,
        record: &SupportRecord,
        event: &AuditEvent,
    ) -> StoreResult<AuditEntry>;
    async fn insert_support_records(&self, records: &[SupportRecord]) -> StoreResult<()>;
    async fn import_support_records(&self, records: &[SupportRecord], events: &[AuditEvent]) -> StoreResult<()>;
    async fn import_persons(&self, import: &PersonImport) -> StoreResult<()>;
    async fn insert_referral(&self, referral: &Referral, notice: &Notice) -> StoreResult<()>;
    async fn move_referral(&self, referral: &Referral, notice: &Notice, case: Option<&CaseRecord>) -> StoreResult<()>;
}

#[async_trait]
impl<T: RecordStore + ?Sized> Writes for T {
    async fn append_audit(&self, event: &AuditEvent) -> StoreResult<AuditEntry> {
        let mut entries = write_all(self, std::slice::from_ref(event), vec![]).await?;
        entries.pop().ok_or(StoreError::NotFound)
    }

    async fn insert_consent(&self, record: &ConsentRecord) -> StoreResult<()> {
        write(self, "consent", vec![Change::Consent(Box::new(record.clone()))]).await
    }

    async fn revoke_consent(&self, id: ConsentId, at: OffsetDateTime) -> StoreResult<()> {
        write(self, "consent", vec![Change::RevokeConsent { id, at }]).await
    }

    async fn insert_provision(&self, provision: &Provision) -> StoreResult<()> {
        write(self, "provision", vec![Change::Provision(Box::new(provision.clone()))]).await
    }

    async fn register_person(&self, registration: &Registration) -> StoreResult<()> {
        self.register_persons(std::slice::from_ref(registration)).await
    }

    async fn register_persons(&self, registrations: &[Registration]) -> StoreResult<()> {
        let changes = registrations.iter().map(|r| Change::Register(Box::new(r.clone()))).collect();
        write(self, "person", changes).await
    }

    async fn update_person(&self, person: &Person) -> StoreResult<()> {
        write(self, "person", vec![Change::UpdatePerson(Box::new(person.clone()))]).await
    }

    async fn change_stage(
        &self,
        change: &StageChange,
        expected: Option<Stage>,
        follow_ups: &[FollowUp],
    ) -> StoreResult<()> {
        let stage = Change::Stage { change: Box::new(change.clone()), expected };
        write(self, "stage", vec![stage, Change::FollowUps(follow_ups.to_vec())]).await
    }

    async fn insert_plan(&self, plan: &SupportPlan) -> StoreResult<()> {
        write(self, "plan", vec![Change::Plan(Box::new(plan.clone()))]).await
    }

    async fn add_plan_review(&self, person: PersonId, plan: uuid::Uuid, review: &PlanReview) -> StoreResult<()> {
        write(self, "plan", vec![Change::PlanReview { person, plan, review: Box::new(review.clone()) }]).await
    }

    async fn complete_follow_up(
        &self,
        person: PersonId,
        id: uuid::Uuid,
        on: time::Date,
        by: AccountId,
    ) -> StoreResult<()> {
        write(self, "follow_up", vec![Change::CompleteFollowUp { person, id, on, by, note: None }]).await
    }

    async fn insert_support_record_audited(
        &self,
        record: &SupportRecord,
        event: &AuditEvent,
    ) -> StoreResult<AuditEntry> {
        let changes = vec![Change::SupportRecords(vec![record.clone()])];
        write_all(self, std::slice::from_ref(event), changes).await?.pop().ok_or(StoreError::NotFound)
    }

    async fn insert_support_records(&self, records: &[SupportRecord]) -> StoreResult<()> {
        write(self, "support", vec![Change::SupportRecords(records.to_vec())]).await
    }

    async fn import_support_records(&self, records: &[SupportRecord], events: &[AuditEvent]) -> StoreResult<()> {
        write_all(self, events, vec![Change::SupportRecords(records.to_vec())]).await.map(|_| ())
    }

    async fn import_persons(&self, import: &PersonImport) -> StoreResult<()> {
        let mut changes: Vec<Change> =
            import.registrations.iter().map(|r| Change::Register(Box::new(r.clone()))).collect();
        changes.extend(import.stages.iter().map(|s| Change::Stage { change: Box::new(s.clone()), expected: None }));
        changes.push(Change::FollowUps(import.follow_ups.clone()));
        write_all(self, &import.events, changes).await.map(|_| ())
    }

    async fn insert_referral(&self, referral: &Referral, notice: &Notice) -> StoreResult<()> {
        let change = Change::Referral { referral: Box::new(referral.clone()), notice: Box::new(notice.clone()) };
        write(self, "referral", vec![change]).await
    }

    async fn move_referral(&self, referral: &Referral, notice: &Notice, case: Option<&CaseRecord>) -> StoreResult<()> {
        let change = Change::MoveReferral {
            referral: Box::new(referral.clone()),
            notice: Box::new(notice.clone()),
            case: case.map(|c| Box::new(c.clone())),
        };
        write(self, "referral", vec![change]).await
    }
}
