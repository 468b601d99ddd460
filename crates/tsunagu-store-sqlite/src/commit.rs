//! [`RecordStore`] and [`SeedStore`] on SQLite: every change of a commit runs inside the audit
//! writer's transaction, before its entries are appended (see [`crate::audit::AuditWriter`]).

use async_trait::async_trait;
use deadpool_sqlite::rusqlite;
use tsunagu_domain::audit::AuditEntry;
use tsunagu_store::{Change, Commit, RecordStore, SeedBatch, SeedStore, StoreResult};

use crate::consents::{insert_consent_in, insert_provision_in, revoke_consent_in};
use crate::documents::{insert_agency_document_in, insert_document_in, remove_agency_document_in, remove_document_in};
use crate::journey::{
    add_plan_review_in, change_stage_in, close_follow_ups_in, complete_follow_up_in, insert_follow_ups_in,
    insert_plan_in, insert_stage_in, insert_support_in, reopen_follow_up_in,
};
use crate::persons::{insert_emergency_access_in, insert_registration, update_person_in};
use crate::referrals::{insert_referral_in, move_referral_in};
use crate::{SqliteStore, db_err};

/// Applies one change through `c`.
fn apply(c: &rusqlite::Connection, change: &Change) -> StoreResult<()> {
    match change {
        Change::Register(registration) => insert_registration(c, registration),
        Change::UpdatePerson(person) => update_person_in(c, person),
        Change::Consent(record) => insert_consent_in(c, record).map_err(db_err),
        Change::RevokeConsent { id, at } => revoke_consent_in(c, *id, *at),
        Change::Provision(provision) => insert_provision_in(c, provision).map_err(db_err),
        Change::Stage { change, expected } => change_stage_in(c, change, *expected),
        Change::FollowUps(follow_ups) => insert_follow_ups_in(c, follow_ups).map_err(db_err),
        Change::CompleteFollowUp { person, id, on, by, note } => {
            complete_follow_up_in(c, *person, *id, *on, *by, note.as_deref())
        }
        Change::ReopenFollowUp { person, id } => reopen_follow_up_in(c, *person, *id),
        Change::CloseFollowUps { person, on } => close_follow_ups_in(c, *person, *on),
        Change::SupportRecords(records) => insert_support_in(c, records).map_err(db_err),
        Change::Plan(plan) => insert_plan_in(c, plan).map_err(db_err),
        Change::PlanReview { person, plan, review } => add_plan_review_in(c, *person, *plan, review),
        Change::EmergencyAccess(grant) => insert_emergency_access_in(c, grant).map_err(db_err),
        Change::Document { document, content } => insert_document_in(c, document, content).map_err(db_err),
        Change::RemoveDocument { person, id, at } => remove_document_in(c, *person, *id, *at),
        Change::AgencyDocument { document, content } => insert_agency_document_in(c, document, content).map_err(db_err),
        Change::RemoveAgencyDocument { agency, id, at } => remove_agency_document_in(c, *agency, *id, *at),
        Change::Figure(figure) => crate::programs::set_figure_in(c, figure).map_err(db_err),
        Change::UpdateProgram(program) => crate::programs::update_program_in(c, program),
        Change::Referral { referral, notice } => insert_referral_in(c, referral, notice),
        Change::MoveReferral { referral, notice, case } => move_referral_in(c, referral, notice, case.as_deref()),
        Change::SaveFair { fair, expected } => crate::fairs::save_fair_in(c, fair, *expected),
        Change::SaveEmployer { employer, expected } => crate::employers::save_employer_in(c, employer, *expected),
        Change::LinkEmployer { employer, agency, link } => {
            crate::employers::link_employer_in(c, *employer, *agency, link.as_ref())
        }
        Change::SaveOpening { opening, expected } => crate::openings::save_opening_in(c, opening, *expected),
        Change::SavePlacement { placement, expected } => crate::placements::save_placement_in(c, placement, *expected),
        Change::SaveSlot { slot, expected } => crate::internships::save_slot_in(c, slot, *expected),
        Change::SaveBooking { booking, expected } => crate::internships::save_booking_in(c, booking, *expected),
        Change::SaveEnrolment { enrolment, expected } => crate::schools::save_enrolment_in(c, enrolment, *expected),
        Change::SaveCoach { coach, expected } => crate::coaching::save_coach_in(c, coach, *expected),
        Change::SaveDispatch { dispatch, expected } => crate::coaching::save_dispatch_in(c, dispatch, *expected),
        Change::LogCoachDay(day) => crate::coaching::log_day_in(c, day),
        Change::RemoveCoachDay { person, id } => crate::coaching::remove_day_in(c, *person, *id),
        Change::SavePreferences { preferences, expected } => {
            crate::preferences::save_preferences_in(c, preferences, *expected)
        }
        Change::SaveTrial { trial, expected } => crate::trials::save_trial_in(c, trial, *expected),
        Change::SaveReturnPlan { plan, expected } => crate::rework::save_plan_in(c, plan, *expected),
        Change::SaveParticipation { participation, expected } => {
            crate::trywork::save_participation_in(c, participation, *expected)
        }
        Change::LogTrialWeek(week) => crate::trials::log_week_in(c, week),
        Change::RemoveTrialWeek { person, trial, week_of } => {
            crate::trials::remove_week_in(c, *person, *trial, *week_of)
        }
        Change::SaveEvent { event, expected } => crate::events::save_event_in(c, event, *expected),
        Change::SaveAssistance { record, expected } => crate::assistance::save_assistance_in(c, record, *expected),
        Change::SetPassword { account, hash } => crate::settings::set_password_in(c, *account, hash),
        Change::SetRegister { account, register } => crate::settings::set_register_in(c, *account, register),
        Change::SetCalendarFeed { account, key_hash, at } => {
            crate::settings::set_calendar_feed_in(c, *account, key_hash.as_deref(), *at)
        }
        Change::SaveMwsResult { result, expected } => crate::mws::save_mws_result_in(c, result, *expected),
        Change::SaveAssessment { sheet, expected } => crate::assessments::save_assessment_in(c, sheet, *expected),
        Change::SavePassport { passport, expected } => crate::passports::save_passport_in(c, passport, *expected),
        Change::SaveQuotaRoster { roster, expected } => crate::quota::save_roster_in(c, roster, *expected),
        Change::SaveChecklist { checklist, expected } => crate::checklists::save_checklist_in(c, checklist, *expected),
        Change::SaveCoordinator { coordinator, expected } => {
            crate::liaison::save_coordinator_in(c, coordinator, *expected)
        }
        Change::SignUp(signup) => crate::events::sign_up_in(c, signup),
        Change::CancelSignup { event, id, at } => crate::events::cancel_signup_in(c, *event, *id, *at),
        Change::RecordAttendance { event, session, present } => {
            crate::events::record_attendance_in(c, *event, *session, present)
        }
        Change::LinkAccount { account, person, employer } => {
            crate::employers::link_account_in(c, *account, *person, *employer)
        }
    }
}

#[async_trait]
impl RecordStore for SqliteStore {
    async fn commit(&self, commit: Commit) -> StoreResult<Vec<AuditEntry>> {
        let (changes, events) = commit.into_parts();
        let write: Option<crate::audit::Write> = (!changes.is_empty()).then(|| {
            Box::new(move |c: &rusqlite::Connection| changes.iter().try_for_each(|change| apply(c, change)))
                as crate::audit::Write
        });
        self.audit_writer.append_all(events, write).await
    }
}

#[async_trait]
impl SeedStore for SqliteStore {
    async fn seed(&self, batch: &SeedBatch) -> StoreResult<()> {
        let batch = batch.clone();
        self.with_conn(move |c| {
            let tx = c.transaction().map_err(db_err)?;
            for registration in &batch.registrations {
                insert_registration(&tx, registration)?;
            }
            for stage in &batch.stages {
                insert_stage_in(&tx, stage).map_err(db_err)?;
            }
            insert_support_in(&tx, &batch.support_records).map_err(db_err)?;
            insert_follow_ups_in(&tx, &batch.follow_ups).map_err(db_err)?;
            for plan in &batch.plans {
                insert_plan_in(&tx, plan).map_err(db_err)?;
            }
            for placement in &batch.placements {
                crate::placements::save_placement_in(&tx, placement, None)?;
            }
            for opening in &batch.openings {
                crate::openings::save_opening_in(&tx, opening, None)?;
            }
            tx.commit().map_err(db_err)
        })
        .await
    }

    async fn seeded(&self) -> StoreResult<()> {
        // SQLite's planner uses statistics only once ANALYZE has run; its plans were chosen, and
        // measured, without them, so loading leaves them as they are.
        Ok(())
    }
}
