//! [`RecordStore`] and [`SeedStore`] on PostgreSQL: a commit's changes and its audit entries in
//! one transaction. The changes run first, so the lock that orders the audit log's appends is
//! held only for the appends and the commit.

use async_trait::async_trait;
use tokio_postgres::GenericClient;
use tsunagu_domain::audit::AuditEntry;
use tsunagu_store::{Change, Commit, RecordStore, SeedBatch, SeedStore, StoreResult};

use crate::consents::{insert_consent_in, insert_provision_in, revoke_consent_in};
use crate::journey::{
    add_plan_review_in, change_stage_in, complete_follow_up_in, insert_follow_ups_in, insert_plan_in, insert_stage_in,
    insert_support_in,
};
use crate::persons::{insert_registration, update_person_in};
use crate::referrals::{insert_referral_in, move_referral_in};
use crate::{PostgresStore, db_err};

/// Applies one change through `c`.
async fn apply(c: &impl GenericClient, change: &Change) -> StoreResult<()> {
    match change {
        Change::Register(registration) => insert_registration(c, registration).await,
        Change::UpdatePerson(person) => update_person_in(c, person).await,
        Change::Consent(record) => insert_consent_in(c, record).await,
        Change::RevokeConsent { id, at } => revoke_consent_in(c, *id, *at).await,
        Change::Provision(provision) => insert_provision_in(c, provision).await,
        Change::Stage { change, expected } => change_stage_in(c, change, *expected).await,
        Change::FollowUps(follow_ups) => insert_follow_ups_in(c, follow_ups).await,
        Change::CompleteFollowUp { person, id, on, by } => complete_follow_up_in(c, *person, *id, *on, *by).await,
        Change::SupportRecords(records) => insert_support_in(c, records).await,
        Change::Plan(plan) => insert_plan_in(c, plan).await,
        Change::PlanReview { person, plan, review } => add_plan_review_in(c, *person, *plan, review).await,
        Change::Referral { referral, notice } => insert_referral_in(c, referral, notice).await,
        Change::MoveReferral { referral, notice, case } => move_referral_in(c, referral, notice, case.as_deref()).await,
    }
}

#[async_trait]
impl RecordStore for PostgresStore {
    async fn commit(&self, commit: Commit) -> StoreResult<Vec<AuditEntry>> {
        let (changes, events) = commit.into_parts();
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        for change in &changes {
            apply(&*tx, change).await?;
        }
        let entries = crate::audit::append_all_in(&tx, &events).await?;
        tx.commit().await.map_err(db_err)?;
        Ok(entries)
    }
}

#[async_trait]
impl SeedStore for PostgresStore {
    async fn seed(&self, batch: &SeedBatch) -> StoreResult<()> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db_err)?;
        for registration in &batch.registrations {
            insert_registration(&*tx, registration).await?;
        }
        for stage in &batch.stages {
            insert_stage_in(&*tx, stage).await?;
        }
        insert_support_in(&*tx, &batch.support_records).await?;
        insert_follow_ups_in(&*tx, &batch.follow_ups).await?;
        for plan in &batch.plans {
            insert_plan_in(&*tx, plan).await?;
        }
        tx.commit().await.map_err(db_err)
    }
}
