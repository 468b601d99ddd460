//! The one way personal data is written: a [`Commit`] of changes together with the audit entries
//! that record them, written by [`RecordStore::commit`] in one transaction.
//!
//! No other port method writes a person's data, their consents, provisions, journey or
//! referrals: a change cannot reach the database without its audit entry, and an audit entry
//! that cannot be appended takes its changes with it. Bulk loading of demo data goes through
//! [`SeedStore`], which the application the server runs never holds.

use async_trait::async_trait;
use time::OffsetDateTime;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::audit::{AuditEntry, AuditEvent};
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::consent::{ConsentId, ConsentRecord, Provision};
use tsunagu_domain::counts::{Tallies, Tally};
use tsunagu_domain::document::{Document, DocumentId};
use tsunagu_domain::journey::Stage;
use tsunagu_domain::journey::{FollowUp, StageChange, SupportRecord};
use tsunagu_domain::person::Person;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::plan::{PlanReview, SupportPlan};
use tsunagu_domain::referral::{Notice, Referral};

use crate::{Registration, StoreResult};

/// One change to personal data. Changes are applied in the order of their [`Commit`]; one that
/// finds the data moved on ([`crate::StoreError::Conflict`]) or missing
/// ([`crate::StoreError::NotFound`]) fails the whole commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A new person: their consents, the person, the registering agency's case and the links to
    /// records that may be the same person.
    Register(Box<Registration>),
    /// A person's fields, if the stored version is still `version - 1`.
    UpdatePerson(Box<Person>),
    /// A consent the person gave.
    Consent(Box<ConsentRecord>),
    /// A consent withdrawn at `at` (a second withdrawal keeps the first time).
    RevokeConsent {
        /// Which consent.
        id: ConsentId,
        /// When.
        at: OffsetDateTime,
    },
    /// A provision to a third party (第三者提供記録).
    Provision(Box<Provision>),
    /// A move of a journey, if it still stands at `expected` (`None` before the first stage);
    /// the change moves the person's current stage.
    Stage {
        /// The change.
        change: Box<StageChange>,
        /// The stage the journey must stand at.
        expected: Option<Stage>,
    },
    /// Retention follow-ups scheduled.
    FollowUps(Vec<FollowUp>),
    /// A follow-up of `person` done on `on` by `by`, with a note, if it is still open.
    CompleteFollowUp {
        /// Whose.
        person: PersonId,
        /// Which follow-up.
        id: uuid::Uuid,
        /// Done on.
        on: time::Date,
        /// Done by.
        by: AccountId,
        /// What was noted.
        note: Option<String>,
    },
    /// A follow-up of `person` marked done by mistake, open again (its date, doer and note
    /// cleared), if it is done.
    ReopenFollowUp {
        /// Whose.
        person: PersonId,
        /// Which follow-up.
        id: uuid::Uuid,
    },
    /// Every follow-up of `person` still open, closed on `on`: the placement it follows ended.
    CloseFollowUps {
        /// Whose.
        person: PersonId,
        /// Closed on.
        on: time::Date,
    },
    /// Support records; each moves its case's latest contact and next action when it is the
    /// case's latest.
    SupportRecords(Vec<SupportRecord>),
    /// A support plan.
    Plan(Box<SupportPlan>),
    /// A review of plan `plan` of `person`, which moves the plan's next review or ends it, if the
    /// plan is the person's and still open.
    PlanReview {
        /// Whose plan.
        person: PersonId,
        /// Which plan.
        plan: uuid::Uuid,
        /// The review.
        review: Box<PlanReview>,
    },
    /// An emergency override granted (the read it opened is in the same commit).
    EmergencyAccess(Box<tsunagu_domain::access::EmergencyAccess>),
    /// A document attached to a person, with its content.
    Document {
        /// The document.
        document: Box<Document>,
        /// Its content (whose SHA-256 the document names).
        content: Vec<u8>,
    },
    /// A document of `person` removed at `at`: its content deleted, its entry kept and marked, if
    /// it is not removed already.
    RemoveDocument {
        /// Whose.
        person: PersonId,
        /// Which.
        id: DocumentId,
        /// When.
        at: OffsetDateTime,
    },
    /// A document put on an agency's page, with its content.
    AgencyDocument {
        /// The document.
        document: Box<tsunagu_domain::document::AgencyDocument>,
        /// Its content.
        content: Vec<u8>,
    },
    /// A document of agency `agency` removed at `at` (its content deleted, its entry kept), if it
    /// is not removed already.
    RemoveAgencyDocument {
        /// Whose.
        agency: tsunagu_domain::directory::AgencyId,
        /// Which.
        id: DocumentId,
        /// When.
        at: OffsetDateTime,
    },
    /// A figure of the program registry entered by a program manager: it replaces the figure of
    /// the same indicator, year, kind and breakdown, if there is one.
    Figure(Box<tsunagu_domain::program::Figure>),
    /// A program's fields as edited by a program manager (its code and place stay).
    UpdateProgram(Box<tsunagu_domain::program::Program>),
    /// A referral sent, with its notice to the receiver.
    Referral {
        /// The referral.
        referral: Box<Referral>,
        /// The notice.
        notice: Box<Notice>,
    },
    /// A referral moved to its new state if still at `referral.version - 1`, with the notice to
    /// the other side and, on acceptance, the receiver's case (unless one is open already).
    MoveReferral {
        /// The referral as it now stands.
        referral: Box<Referral>,
        /// The notice.
        notice: Box<Notice>,
        /// The receiver's new case.
        case: Option<Box<CaseRecord>>,
    },
    /// A fair written whole: added when `expected` is `None`, else replacing the stored one if
    /// that is still at version `expected`.
    SaveFair {
        /// The fair as it now stands.
        fair: Box<tsunagu_domain::fair::Fair>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// An employer written whole: added when `expected` is `None` (a taken 法人番号 is
    /// [`crate::StoreError::Duplicate`]), else replacing the stored one if that is still at
    /// version `expected`.
    SaveEmployer {
        /// The employer as it now stands.
        employer: Box<tsunagu_domain::employer::Employer>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// An agency recorded as developing or supporting an employer (`link` given; kept as it was
    /// if already recorded), or no longer (`link` none).
    LinkEmployer {
        /// The employer.
        employer: tsunagu_domain::employer::EmployerId,
        /// The agency.
        agency: tsunagu_domain::directory::AgencyId,
        /// Since when and who said so; none to remove.
        link: Option<tsunagu_domain::employer::EmployerLink>,
    },
    /// An opening written whole: added when `expected` is `None`, else replacing the stored one
    /// if that is still at version `expected`.
    SaveOpening {
        /// The opening as it now stands.
        opening: Box<tsunagu_domain::opening::Opening>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A placement written whole: added when `expected` is `None`, else replacing the stored one
    /// if that is still at version `expected`.
    SavePlacement {
        /// The placement as it now stands.
        placement: Box<tsunagu_domain::placement::Placement>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A slot written whole: added when `expected` is `None`, else replacing the stored one if
    /// that is still at version `expected` and its capacity still holds the seats taken
    /// ([`crate::StoreError::Conflict`] otherwise); never sharing a day with another of the
    /// employer's slots of its kind ([`crate::StoreError::Duplicate`]).
    SaveSlot {
        /// The slot as it now stands.
        slot: Box<tsunagu_domain::internship::Slot>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A person placed into a slot (`expected` none: if a seat is free —
    /// [`crate::StoreError::Conflict`] when not — and the person holds none in it already —
    /// [`crate::StoreError::Duplicate`]), or the booking's outcome written on the version it was
    /// read at.
    SaveBooking {
        /// The booking as it now stands.
        booking: Box<tsunagu_domain::internship::Booking>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A student's enrolment written whole: added when `expected` is `None` (one per person:
    /// [`crate::StoreError::Duplicate`] when there is one), else replacing the stored one if that
    /// is still at version `expected` ([`crate::StoreError::Conflict`] otherwise).
    SaveEnrolment {
        /// The enrolment as it now stands.
        enrolment: Box<tsunagu_domain::school::Enrolment>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A person's job-search conditions written whole: added when `expected` is `None` (one per
    /// person: [`crate::StoreError::Duplicate`] when there are some), else replacing the stored
    /// ones if they are still at version `expected` ([`crate::StoreError::Conflict`] otherwise).
    SavePreferences {
        /// The conditions as they now stand.
        preferences: Box<tsunagu_domain::preferences::JobPreferences>,
        /// The version they were edited from.
        expected: Option<i64>,
    },
    /// A coach written whole: added when `expected` is `None`, else replacing the stored one if
    /// that is still at version `expected` ([`crate::StoreError::Conflict`] otherwise).
    SaveCoach {
        /// The coach as it now stands.
        coach: Box<tsunagu_domain::coaching::Coach>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A dispatch written whole: added when `expected` is `None`, else replacing the stored one if
    /// that is still at version `expected` ([`crate::StoreError::Conflict`] otherwise).
    SaveDispatch {
        /// The dispatch as it now stands.
        dispatch: Box<tsunagu_domain::coaching::Dispatch>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A day a coach worked on a dispatch: one per coach, dispatch and day
    /// ([`crate::StoreError::Duplicate`]), and no more than
    /// [`tsunagu_domain::coaching::DAY_MINUTES_MAX`] minutes for the coach that day, all cases
    /// together ([`crate::StoreError::Conflict`] with the minutes already logged).
    LogCoachDay(Box<tsunagu_domain::coaching::CoachDay>),
    /// A day logged in error, removed.
    RemoveCoachDay {
        /// The person coached.
        person: PersonId,
        /// The day's id.
        id: tsunagu_domain::coaching::CoachDayId,
    },
    /// A trial written whole: added when `expected` is `None`, else replacing the stored one if
    /// that is still at version `expected` ([`crate::StoreError::Conflict`] otherwise).
    SaveTrial {
        /// The trial as it now stands.
        trial: Box<tsunagu_domain::trial::Trial>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// The hours worked in a week of a trial: one per trial and week, a second log of the week
    /// replacing the first.
    LogTrialWeek(Box<tsunagu_domain::trial::TrialWeek>),
    /// A week logged in error, removed.
    RemoveTrialWeek {
        /// The person on trial.
        person: PersonId,
        /// The trial.
        trial: tsunagu_domain::trial::TrialId,
        /// The week's Monday.
        week_of: time::Date,
    },
    /// A return-to-work plan written whole: added when `expected` is `None`, else replacing the
    /// stored one if that is still at version `expected` ([`crate::StoreError::Conflict`]
    /// otherwise).
    SaveReturnPlan {
        /// The plan as it now stands.
        plan: Box<tsunagu_domain::rework::ReturnPlan>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A participation in the トライワークプロジェクト written whole: added when `expected` is
    /// `None`, else replacing the stored one if that is still at version `expected`
    /// ([`crate::StoreError::Conflict`] otherwise).
    SaveParticipation {
        /// The participation as it now stands.
        participation: Box<tsunagu_domain::trywork::Participation>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// An event written whole: added when `expected` is `None`, else replacing the stored one if
    /// that is still at version `expected` ([`crate::StoreError::Conflict`] otherwise) and its
    /// capacity still holds the seats confirmed ([`crate::StoreError::Conflict`] with their
    /// number); seats it adds go to the first in line.
    SaveEvent {
        /// The event as it now stands.
        event: Box<tsunagu_domain::event::Event>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A sign-up written: its status and position are the store's to set — the next position of
    /// the event, confirmed while a seat is free and waitlisted after — in the transaction that
    /// writes it, so that sign-ups arriving together never overfill the event. One attendee holds
    /// one sign-up not cancelled per event ([`crate::StoreError::Duplicate`]); an event that is
    /// not there is [`crate::StoreError::NotFound`].
    SignUp(Box<tsunagu_domain::event::Signup>),
    /// A sign-up cancelled at `at`, if it is not already (a second cancel changes nothing); a seat
    /// it frees goes to the first in line, promoted at `at`.
    CancelSignup {
        /// The event.
        event: tsunagu_domain::event::EventId,
        /// The sign-up.
        id: tsunagu_domain::event::SignupId,
        /// When.
        at: OffsetDateTime,
    },
    /// Who attended session `session` of an event: the confirmed sign-ups in `present` marked
    /// there, every other one marked absent.
    RecordAttendance {
        /// The event.
        event: tsunagu_domain::event::EventId,
        /// The session's index.
        session: u8,
        /// Those present.
        present: Vec<tsunagu_domain::event::SignupId>,
    },
    /// A record of technical assistance to an agency written whole: added when `expected` is
    /// `None`, else replacing the stored one if that is still at version `expected`
    /// ([`crate::StoreError::Conflict`] otherwise).
    SaveAssistance {
        /// The record as it now stands.
        record: Box<tsunagu_domain::assistance::Assistance>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A result of the work samples (MWS) written whole: added when `expected` is `None`, else
    /// replacing the stored one if that is still at version `expected`
    /// ([`crate::StoreError::Conflict`] otherwise).
    SaveMwsResult {
        /// The result as it now stands.
        result: Box<tsunagu_domain::mws::MwsResult>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// An assessment sheet written whole: added when `expected` is `None`, else replacing the
    /// stored one if that is still at version `expected` ([`crate::StoreError::Conflict`]
    /// otherwise).
    SaveAssessment {
        /// The sheet as it now stands.
        sheet: Box<tsunagu_domain::assessment::Assessment>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A person's 就労パスポート written whole: added when `expected` is `None` (one a person,
    /// [`crate::StoreError::Duplicate`] for a second), else replacing the stored one if that is
    /// still at version `expected` ([`crate::StoreError::Conflict`] otherwise).
    SavePassport {
        /// The passport as it now stands.
        passport: Box<tsunagu_domain::passport::Passport>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// An employer's roster for the quota written whole: added when `expected` is `None` (one an
    /// employer, [`crate::StoreError::Duplicate`] for a second), else replacing the stored one if
    /// that is still at version `expected` ([`crate::StoreError::Conflict`] otherwise).
    SaveQuotaRoster {
        /// The roster as it now stands.
        roster: Box<tsunagu_domain::quota::Roster>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// A work-transition checklist written whole: added when `expected` is `None`, else
    /// replacing the stored one if that is still at version `expected`
    /// ([`crate::StoreError::Conflict`] otherwise).
    SaveChecklist {
        /// The checklist as it now stands.
        checklist: Box<tsunagu_domain::checklist::Checklist>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// An account's new password (its PHC hash).
    SetPassword {
        /// The account.
        account: tsunagu_domain::account::AccountId,
        /// The argon2id hash of the new password.
        hash: String,
    },
    /// The register the person's own pages speak in (`easy`, `plain`, `english`).
    SetRegister {
        /// The person's account.
        account: tsunagu_domain::account::AccountId,
        /// The register's code.
        register: String,
    },
    /// An account's calendar feed: the hash of its secret, replacing any earlier one, or none to
    /// stop it.
    SetCalendarFeed {
        /// The account.
        account: tsunagu_domain::account::AccountId,
        /// The SHA-256 of the feed's secret, or none.
        key_hash: Option<String>,
        /// When.
        at: time::OffsetDateTime,
    },
    /// A medical-liaison coordinator written whole: added when `expected` is `None`, else
    /// replacing the stored one if that is still at version `expected`
    /// ([`crate::StoreError::Conflict`] otherwise).
    SaveCoordinator {
        /// The coordinator as the roster now has them.
        coordinator: Box<tsunagu_domain::liaison::Coordinator>,
        /// The version it was edited from.
        expected: Option<i64>,
    },
    /// An account linked to the person or the employer it acts for (either may be none).
    LinkAccount {
        /// The account.
        account: AccountId,
        /// Its person.
        person: Option<PersonId>,
        /// Its employer.
        employer: Option<tsunagu_domain::employer::EmployerId>,
    },
}

impl Change {
    /// Adds what this change puts in the journey's counts to `tallies`: a stage change to 就職
    /// or 離職, support records, a referral sent. Every variant is named, so that a change that
    /// comes to write a counted record says so here.
    pub fn tally(&self, tallies: &mut Tallies) {
        match self {
            Change::Stage { change, .. } => {
                if let Some(t) = Tally::of_stage(change) {
                    tallies.add(t);
                }
            }
            Change::SupportRecords(records) => records.iter().for_each(|r| tallies.add(Tally::of_support(r))),
            Change::Referral { referral, .. } => tallies.add(Tally::of_referral(referral)),
            Change::Register(_)
            | Change::UpdatePerson(_)
            | Change::Consent(_)
            | Change::RevokeConsent { .. }
            | Change::Provision(_)
            | Change::FollowUps(_)
            | Change::CompleteFollowUp { .. }
            | Change::ReopenFollowUp { .. }
            | Change::CloseFollowUps { .. }
            | Change::Plan(_)
            | Change::PlanReview { .. }
            | Change::EmergencyAccess(_)
            | Change::Document { .. }
            | Change::RemoveDocument { .. }
            | Change::AgencyDocument { .. }
            | Change::RemoveAgencyDocument { .. }
            | Change::Figure(_)
            | Change::UpdateProgram(_)
            | Change::MoveReferral { .. }
            | Change::SaveFair { .. }
            | Change::SaveEmployer { .. }
            | Change::LinkEmployer { .. }
            | Change::SaveOpening { .. }
            // A placement's count is its stage change to 就職, in the same commit.
            | Change::SavePlacement { .. }
            // Internships are counted from the bookings' outcomes when the report is made.
            | Change::SaveSlot { .. }
            | Change::SaveBooking { .. }
            // Graduates are counted from the enrolments and placements when the report is made.
            | Change::SaveEnrolment { .. }
            // Job-search conditions are not counted.
            | Change::SavePreferences { .. }
            // Coaching is counted from the days and the rosters when the report is made.
            | Change::SaveCoach { .. }
            | Change::SaveDispatch { .. }
            | Change::LogCoachDay(_)
            | Change::RemoveCoachDay { .. }
            // Trials' grants are counted from the trials when the report is made.
            | Change::SaveTrial { .. }
            | Change::LogTrialWeek(_)
            | Change::RemoveTrialWeek { .. }
            // Return-to-work plans are counted from the plans when the report is made.
            | Change::SaveReturnPlan { .. }
            // Participations are counted from the records when the report is made.
            | Change::SaveParticipation { .. }
            // Events are counted from the events and their attendance when the report is made.
            | Change::SaveEvent { .. }
            | Change::SignUp(_)
            | Change::CancelSignup { .. }
            | Change::RecordAttendance { .. }
            // Assistance is counted from the records when the report is made.
            | Change::SaveAssistance { .. }
            // Coordinators are counted from the roster when the report is made.
            | Change::SaveCoordinator { .. }
            // Checklists count toward nothing kept.
            | Change::SaveChecklist { .. }
            | Change::SaveAssessment { .. }
            | Change::SavePassport { .. }
            | Change::SaveMwsResult { .. }
            // The quota position is computed from the roster when asked.
            | Change::SaveQuotaRoster { .. }
            | Change::SetPassword { .. }
            | Change::SetRegister { .. }
            | Change::SetCalendarFeed { .. }
            | Change::LinkAccount { .. } => {}
        }
    }
}

/// Changes to personal data and the audit entries recording them (and any read that goes with
/// them): at least one entry, so that no change is ever written unaudited.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    changes: Vec<Change>,
    events: Vec<AuditEvent>,
}

impl Commit {
    /// A commit recorded by `event`, with no changes yet.
    pub fn new(event: AuditEvent) -> Self {
        Self { changes: Vec::new(), events: vec![event] }
    }

    /// A commit recorded by `events`, in order; `None` when there are none.
    pub fn of_events(events: Vec<AuditEvent>) -> Option<Self> {
        (!events.is_empty()).then_some(Self { changes: Vec::new(), events })
    }

    /// Adds a change, applied after those added before it.
    #[must_use]
    pub fn with(mut self, change: Change) -> Self {
        self.changes.push(change);
        self
    }

    /// Adds changes, in order.
    #[must_use]
    pub fn with_all(mut self, changes: impl IntoIterator<Item = Change>) -> Self {
        self.changes.extend(changes);
        self
    }

    /// Adds an audit entry, appended after those added before it.
    #[must_use]
    pub fn and_event(mut self, event: AuditEvent) -> Self {
        self.events.push(event);
        self
    }

    /// The changes, in order.
    pub fn changes(&self) -> &[Change] {
        &self.changes
    }

    /// The audit entries, in order.
    pub fn events(&self) -> &[AuditEvent] {
        &self.events
    }

    /// The changes and the entries, for the store adapters.
    pub fn into_parts(self) -> (Vec<Change>, Vec<AuditEvent>) {
        (self.changes, self.events)
    }
}

/// The one entry point for writing personal data, and for appending to the audit log.
#[async_trait]
pub trait RecordStore: Send + Sync {
    /// Applies every change of `commit` in order, then appends its audit entries in order after
    /// the last entry of the log, in one transaction: all of it is committed, or nothing is.
    /// Answers with the entries once they are committed.
    async fn commit(&self, commit: Commit) -> StoreResult<Vec<AuditEntry>>;
}

/// A batch of demo data: persons with their consents and cases, journeys, support records,
/// follow-ups and plans, written in one transaction without audit entries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedBatch {
    /// Registrations.
    pub registrations: Vec<Registration>,
    /// Stage changes, in order, each moving the person's current stage.
    pub stages: Vec<StageChange>,
    /// Support records.
    pub support_records: Vec<SupportRecord>,
    /// Follow-ups.
    pub follow_ups: Vec<FollowUp>,
    /// Plans.
    pub plans: Vec<SupportPlan>,
    /// Employers' openings (not personal data; loaded with the rest of the demo).
    pub openings: Vec<tsunagu_domain::opening::Opening>,
    /// Placements.
    pub placements: Vec<tsunagu_domain::placement::Placement>,
}

/// Bulk loading of fictional demo data, for `tsunagu demo`: not part of [`crate::Store`], so the
/// application a server runs cannot reach it.
#[async_trait]
pub trait SeedStore: Send + Sync {
    /// Called once before the first batch: may set aside what a bulk load is faster without
    /// (indexes, foreign keys), for [`SeedStore::seeded`] to build again.
    async fn seeding(&self) -> StoreResult<()> {
        Ok(())
    }
    /// Writes `batch` in one transaction.
    async fn seed(&self, batch: &SeedBatch) -> StoreResult<()>;
    /// Called once after the last batch: builds again what [`SeedStore::seeding`] set aside, and
    /// brings what the query planner knows of the tables up to date with what was loaded.
    async fn seeded(&self) -> StoreResult<()>;
}
