//! The person's journey and support records (行動2, 行動6): stage changes checked against the
//! allowed transitions, support records entered in seconds, and the timeline across agencies.
//!
//! Support records belong to the agency that wrote them. Another agency sees them only through a
//! consent that names it (or its block) for support data: its own open case opens its own
//! records, not the others'. Each record shown across agencies on a consent is a provision and is
//! recorded as one.

use time::Date;
use tsunagu_domain::Problems;
use tsunagu_domain::access::{Action, Basis};
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::{DataCategory, Provision, Purpose, Recipient};
use tsunagu_domain::journey::{
    DEFAULT_FOLLOW_UP_DAYS, Stage, SupportInput, check_transition, follow_up_dates, parse_follow_up_days, stage_change,
};
use tsunagu_domain::journey::{FollowUp, StageChange, SupportRecord};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::plan::{PlanInput, ReviewInput};
use tsunagu_domain::plan::{PlanReview, SupportPlan};
use tsunagu_domain::validation::text_field;
use tsunagu_store::{Change, Commit, StoreError};

use crate::clock::tokyo_date;
use crate::error::not_found_as_such;
use crate::{App, AppError};

/// Support records a timeline shows at most.
pub const TIMELINE_LIMIT: u32 = 500;

/// One event of a timeline.
#[derive(Debug, Clone)]
pub enum TimelineEvent {
    /// The journey moved.
    Stage(StageChange),
    /// Support was given.
    Support(SupportRecord),
}

impl TimelineEvent {
    /// The day it happened.
    pub fn date(&self) -> Date {
        match self {
            TimelineEvent::Stage(s) => s.on,
            TimelineEvent::Support(s) => s.fields.date,
        }
    }
}

/// A person's journey as one viewer may see it, newest first.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// The person's name (basic data, which every consent that opens the journey covers).
    pub name: String,
    /// Their birth date, for their age.
    pub birth_date: time::Date,
    /// The current stage.
    pub stage: Option<Stage>,
    /// Stage changes and support records, newest first.
    pub events: Vec<TimelineEvent>,
    /// Support records of other agencies the viewer may not see.
    pub hidden: usize,
    /// Retention follow-ups, by due date.
    pub follow_ups: Vec<FollowUp>,
    /// Support plans with their reviews, newest first.
    pub plans: Vec<SupportPlan>,
    /// Placements, the latest start first.
    pub placements: Vec<crate::placements::PlacementView>,
    /// The viewer may write support records, stages, plans and follow-ups for the person.
    pub writable: bool,
    /// Shown on an emergency override, open until then (read only).
    pub override_until: Option<time::OffsetDateTime>,
}

impl App {
    /// The agency a casework account acts for, or Forbidden.
    pub(crate) fn acting_agency(actor: &Account) -> Result<tsunagu_domain::directory::AgencyId, AppError> {
        match actor.agency {
            Some(agency) if Self::may_register(actor) => Ok(agency),
            _ => Err(AppError::Forbidden),
        }
    }

    /// Moves a person's journey to `stage` from `on`, if the rules allow the move from the current
    /// stage; `loaded_at` is the stage the form was loaded at (a change made meanwhile is refused).
    pub async fn change_stage(
        &self,
        actor: &Account,
        id: PersonId,
        stage: &str,
        on: &str,
        reason: &str,
        loaded_at: Option<Stage>,
    ) -> Result<(), AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let now = self.clock.now();
        let mut p = Problems::new();
        let change = stage_change(&mut p, stage, on, tokyo_date(now));
        let reason = text_field(&mut p, "reason", reason, 500, false).unwrap_or_default();
        let Some((stage, on)) = change.filter(|_| p.is_empty()) else {
            return Err(AppError::Invalid(p));
        };
        if loaded_at != file.stage && check_transition(file.stage, stage).is_ok() {
            return Err(AppError::StageMoved(file.stage));
        }
        let (event, changes) = self.stage_move(actor, &file, agency, (stage, on), reason, &basis).await?;
        let commit = Commit::new(event).with_all(changes);
        match self.commit(commit).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => {
                let now_at = self.store.person_file(id).await.map_err(AppError::Store)?.and_then(|f| f.stage);
                Err(AppError::StageMoved(now_at))
            }
            Err(e) => Err(e),
        }
    }

    /// The audit entry and the changes of a move of `file`'s journey to `to` = (stage, day), as
    /// `agency`, on `basis`: the stage change (applied only if the journey still stands where
    /// `file` has it), the follow-ups a placement schedules, and the closing of those still open
    /// when a placement ends. Every move of a journey — chosen on the journey page, or made by
    /// recording a placement or its end — is made of these.
    pub(crate) async fn stage_move(
        &self,
        actor: &Account,
        file: &tsunagu_store::PersonFile,
        agency: tsunagu_domain::directory::AgencyId,
        (stage, on): (Stage, Date),
        reason: String,
        basis: &Basis,
    ) -> Result<(tsunagu_domain::audit::AuditEvent, Vec<Change>), AppError> {
        check_transition(file.stage, stage).map_err(AppError::Transition)?;
        let id = file.person.id;
        let change = StageChange {
            id: self.ids.new_id(),
            prefecture: file.person.prefecture.clone(),
            person: id,
            stage,
            on,
            agency,
            recorded_by: actor.id,
            recorded_at: self.clock.now(),
            reason,
        };
        let mut fields = vec!["stage".into(), "on".into(), "reason".into()];
        // A move that ends the placement closes its follow-ups still open, in the same transaction.
        if stage.ends_placement() {
            fields.push("follow_ups".into());
        }
        let event = self.person_event(
            actor,
            AuditAction::Create,
            format!("stage:{}", change.id),
            id,
            fields,
            basis.audit_code(),
        );
        let mut changes = vec![Change::Stage { change: Box::new(change), expected: file.stage }];
        // A placement schedules the agency's retention follow-ups in the same transaction.
        if stage.is_placement() {
            let days = self.follow_up_schedule(agency).await?;
            let follow_ups = self.follow_ups(id, &file.person.prefecture, agency, on, &days);
            if !follow_ups.is_empty() {
                changes.push(Change::FollowUps(follow_ups));
            }
        }
        if stage.ends_placement() {
            changes.push(Change::CloseFollowUps { person: id, on });
        }
        Ok((event, changes))
    }

    /// Whether `actor` may write the person's journey (support records, stages, plans,
    /// follow-ups, placements): the forms are offered only then.
    pub(crate) async fn may_write_journey(
        &self,
        actor: &Account,
        file: &tsunagu_store::PersonFile,
    ) -> Result<bool, AppError> {
        const WRITES: [Purpose; 2] = [Purpose::Support, Purpose::Retention];
        Ok(Self::may_register(actor)
            && self.decide_for(actor, file, Action::Write, DataCategory::Support, &WRITES, None).await?.is_ok())
    }

    /// True when `actor` may write the person's assessment data (an assessment sheet, a
    /// passport): casework staff on the policy's decision, which a consent names apart.
    pub(crate) async fn may_write_assessment(
        &self,
        actor: &Account,
        file: &tsunagu_store::PersonFile,
    ) -> Result<bool, AppError> {
        const WRITES: [Purpose; 2] = [Purpose::Support, Purpose::Retention];
        Ok(Self::may_register(actor)
            && self.decide_for(actor, file, Action::Write, DataCategory::Assessment, &WRITES, None).await?.is_ok())
    }

    /// The basis on which `actor` may write `category` of the person, or the audited refusal.
    pub(crate) async fn write_basis(
        &self,
        actor: &Account,
        file: &tsunagu_store::PersonFile,
        category: DataCategory,
    ) -> Result<Basis, AppError> {
        match self
            .decide_for(actor, file, Action::Write, category, &[Purpose::Support, Purpose::Retention], None)
            .await?
        {
            Ok(basis) => Ok(basis),
            Err(denial) => {
                Err(self.refuse(actor, file.person.id, format!("person:{}", file.person.id.0), denial).await)
            }
        }
    }

    /// The basis on which `actor` may read the person's support data, or the refusal, audited on
    /// `record`.
    pub(crate) async fn read_basis(
        &self,
        actor: &Account,
        file: &tsunagu_store::PersonFile,
        record: String,
    ) -> Result<Basis, AppError> {
        match self.decide_for(actor, file, Action::Read, DataCategory::Support, Purpose::ALL, None).await? {
            Ok(basis) => Ok(basis),
            Err(denial) => Err(self.refuse(actor, file.person.id, record, denial).await),
        }
    }

    /// The basis on which `actor` may read a record of the person's support that `owner` keeps
    /// (a dispatch, a trial, a plan), or — `write` — write it, as staff of `owner` (another
    /// agency's staff are refused whatever the policy says); the policy's refusals audited.
    pub(crate) async fn record_basis(
        &self,
        actor: &Account,
        file: &tsunagu_store::PersonFile,
        owner: tsunagu_domain::directory::AgencyId,
        write: bool,
        record: String,
    ) -> Result<Basis, AppError> {
        if !write {
            return self.read_basis(actor, file, record).await;
        }
        if Self::acting_agency(actor)? != owner {
            return Err(AppError::Forbidden);
        }
        self.write_basis(actor, file, DataCategory::Support).await
    }

    /// Writes a support record for the person, as the actor's agency. Returns its id.
    pub async fn add_support_record(
        &self,
        actor: &Account,
        id: PersonId,
        input: &SupportInput,
    ) -> Result<uuid::Uuid, AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let now = self.clock.now();
        let fields = input.validate(tokyo_date(now)).map_err(AppError::Invalid)?;
        let staff_name = actor.display_name.clone();
        let (record, event) =
            self.support_record(actor, &file.person, agency, staff_name, fields, &basis, AuditAction::Create);
        // The record and its audit entry are written together, or neither is.
        let id = record.id;
        self.commit(Commit::new(event).with(Change::SupportRecords(vec![record]))).await?;
        Ok(id)
    }

    /// A support record by `actor` for `person`, as `agency`'s, written now, and its audit entry.
    #[expect(clippy::too_many_arguments, reason = "the record's parts, each from a different source")]
    pub(crate) fn support_record(
        &self,
        actor: &Account,
        person: &tsunagu_domain::person::Person,
        agency: tsunagu_domain::directory::AgencyId,
        staff_name: String,
        fields: tsunagu_domain::journey::SupportFields,
        basis: &Basis,
        action: AuditAction,
    ) -> (SupportRecord, tsunagu_domain::audit::AuditEvent) {
        let record = SupportRecord {
            id: self.ids.new_id(),
            prefecture: person.prefecture.clone(),
            person: person.id,
            agency,
            staff: actor.id,
            staff_name,
            fields,
            recorded_at: self.clock.now(),
        };
        let mut written: Vec<String> = vec!["kind".into(), "date".into(), "minutes".into(), "note".into()];
        if record.fields.next_action.is_some() {
            written.extend(["next_action".into(), "next_action_on".into()]);
        }
        let record_name = format!("support:{}", record.id);
        let event = self.person_event(actor, action, record_name, person.id, written, basis.audit_code());
        (record, event)
    }

    /// The person's journey across every agency the viewer may see: stage changes, and support
    /// records of the viewer's own agency and of agencies whose records a consent opens to them.
    /// Audited as one read; records crossing on a consent are recorded as provisions.
    pub async fn timeline(&self, actor: &Account, id: PersonId) -> Result<Timeline, AppError> {
        // The journey is read alongside the file it is decided on; nothing of it leaves unless
        // the decision allows.
        let (file, journey) = tokio::join!(self.store.person_file(id), self.store.journey_of(id, TIMELINE_LIMIT));
        let file = file.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let mut override_until = None;
        let basis = match self.decide_for(actor, &file, Action::Read, DataCategory::Support, Purpose::ALL, None).await?
        {
            Ok(basis) => basis,
            Err(denial) => {
                // An emergency override still open on the person opens the journey, read only.
                let now = self.clock.now();
                let open = self.store.emergency_access(actor.id, id, now).await.map_err(AppError::Store)?;
                let reopened = match &open {
                    Some(open) => {
                        let reason = Some(open.reason.as_str());
                        self.decide_for(actor, &file, Action::Read, DataCategory::Support, Purpose::ALL, reason).await?
                    }
                    None => Err(denial),
                };
                match reopened {
                    Ok(basis) => {
                        override_until = open.map(|o| o.until);
                        basis
                    }
                    Err(_) => return Err(self.refuse(actor, id, format!("timeline:{}", id.0), denial).await),
                }
            }
        };
        // What a consent alone (without the viewer's own case) opens: other agencies' records.
        let own_person = actor.person == Some(id);
        let consent_only = tsunagu_store::PersonFile {
            cases: file.cases.iter().filter(|c| Some(c.agency) != actor.agency).cloned().collect(),
            ..file.clone()
        };
        let across = if own_person {
            Ok(Basis::Own)
        } else if override_until.is_some() {
            // An emergency reads the whole journey, every agency's part of it.
            Ok(basis.clone())
        } else {
            self.decide_for(actor, &consent_only, Action::Read, DataCategory::Support, Purpose::ALL, None).await?
        };
        let tsunagu_store::Journey { stages, records, mut follow_ups, mut plans, placements } =
            journey.map_err(AppError::Store)?;
        let mut hidden = 0;
        let mut crossed = false;
        let mut events: Vec<TimelineEvent> = stages.into_iter().map(TimelineEvent::Stage).collect();
        for record in records {
            let mine = Some(record.agency) == actor.agency;
            match (&across, mine || own_person) {
                (_, true) => events.push(TimelineEvent::Support(record)),
                (Ok(Basis::Consent(_)), false) => {
                    crossed = true;
                    events.push(TimelineEvent::Support(record));
                }
                (Ok(_), false) => events.push(TimelineEvent::Support(record)),
                (Err(_), false) => hidden += 1,
            }
        }
        events.sort_by_key(|e| std::cmp::Reverse(e.date()));
        // Follow-ups and plans are support data of the agency that made them, shown as records are.
        let mine = |agency: tsunagu_domain::directory::AgencyId| own_person || Some(agency) == actor.agency;
        follow_ups.retain(|f| mine(f.agency) || across.is_ok());
        plans.retain(|p| mine(p.agency) || across.is_ok());
        let mut items: Vec<String> = Vec::new();
        if crossed {
            items.push("support_records".into());
        }
        if plans.iter().any(|p| !mine(p.agency)) {
            items.push("support_plans".into());
        }
        if follow_ups.iter().any(|f| !mine(f.agency)) {
            items.push("follow_ups".into());
        }
        let fields = vec![
            "name".into(),
            "birth_date".into(),
            "stages".into(),
            "support_records".into(),
            "support_plans".into(),
            "follow_ups".into(),
            "placements".into(),
        ];
        let read =
            self.person_event(actor, AuditAction::Read, format!("timeline:{}", id.0), id, fields, basis.audit_code());
        let mut commit = Commit::new(read);
        // What crossed from other agencies on a consent is a provision (第三者提供記録).
        if let (Ok(Basis::Consent(consent)), false) = (&across, items.is_empty())
            && let Some(recipient) = match (actor.employer, actor.agency) {
                (Some(e), _) => Some(Recipient::Employer(e)),
                (None, Some(a)) => Some(Recipient::Agency(a)),
                _ => None,
            }
        {
            let provision = Provision {
                prefecture: file.person.prefecture.clone(),
                id: self.ids.new_id(),
                at: self.clock.now(),
                person: id,
                recipient,
                items,
                consent: *consent,
                provided_by: actor.id,
            };
            commit = commit.with(Change::Provision(Box::new(provision)));
        }
        self.commit(commit).await?;
        let writable = self.may_write_journey(actor, &file).await?;
        Ok(Timeline {
            name: file.person.fields.name.clone(),
            birth_date: file.person.fields.birth_date,
            stage: file.stage,
            events,
            hidden,
            follow_ups,
            plans,
            placements: self.placement_views(placements).await?,
            writable,
            override_until,
        })
    }

    /// Marks a retention follow-up of the person done today.
    pub async fn complete_follow_up(
        &self,
        actor: &Account,
        id: PersonId,
        follow_up: uuid::Uuid,
        note: &str,
    ) -> Result<(), AppError> {
        Self::acting_agency(actor)?;
        let note = tsunagu_domain::journey::follow_up_note(note).map_err(AppError::Invalid)?;
        let today = tokyo_date(self.clock.now());
        let mut fields = vec!["done_on".into()];
        if note.is_some() {
            fields.push("follow_up_note".into());
        }
        let change = Change::CompleteFollowUp { person: id, id: follow_up, on: today, by: actor.id, note };
        self.write_follow_up(actor, id, follow_up, fields, change).await
    }

    /// Undoes a follow-up marked done by mistake: it is open (and due) again.
    pub async fn reopen_follow_up(&self, actor: &Account, id: PersonId, follow_up: uuid::Uuid) -> Result<(), AppError> {
        Self::acting_agency(actor)?;
        let fields = vec!["done_on".into(), "follow_up_note".into()];
        self.write_follow_up(actor, id, follow_up, fields, Change::ReopenFollowUp { person: id, id: follow_up }).await
    }

    /// Writes `change` to a follow-up of `id` as the actor's agency, audited.
    async fn write_follow_up(
        &self,
        actor: &Account,
        id: PersonId,
        follow_up: uuid::Uuid,
        fields: Vec<String>,
        change: Change,
    ) -> Result<(), AppError> {
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("follow_up:{follow_up}"),
            id,
            fields,
            basis.audit_code(),
        );
        not_found_as_such(self.commit(Commit::new(event).with(change)).await)
    }

    /// The retention follow-ups of a placement on `placed_on`, `days` after it.
    pub(crate) fn follow_ups(
        &self,
        person: PersonId,
        prefecture: &str,
        agency: tsunagu_domain::directory::AgencyId,
        placed_on: Date,
        days: &[u16],
    ) -> Vec<FollowUp> {
        follow_up_dates(placed_on, days)
            .into_iter()
            .map(|due_on| FollowUp {
                id: self.ids.new_id(),
                prefecture: prefecture.to_owned(),
                person,
                agency,
                placed_on,
                due_on,
                done: None,
                note: None,
                closed_on: None,
            })
            .collect()
    }

    /// An agency's follow-up schedule: days after a placement (the default unless it set one).
    pub async fn follow_up_schedule(&self, agency: tsunagu_domain::directory::AgencyId) -> Result<Vec<u16>, AppError> {
        Ok(self
            .store
            .follow_up_days(agency)
            .await
            .map_err(AppError::Store)?
            .unwrap_or_else(|| DEFAULT_FOLLOW_UP_DAYS.to_vec()))
    }

    /// Sets an agency's follow-up schedule; those who may edit the agency may (the directory policy).
    pub async fn set_follow_up_schedule(
        &self,
        actor: &Account,
        agency: tsunagu_domain::directory::AgencyId,
        raw: &str,
    ) -> Result<Vec<u16>, AppError> {
        self.authorize(actor, |index| {
            tsunagu_domain::account::DirectoryChange::EditAgency(agency, index.block_of(agency))
        })
        .await?;
        let days = parse_follow_up_days(raw).map_err(AppError::Invalid)?;
        self.store.set_follow_up_days(agency, &days).await.map_err(AppError::Store)?;
        self.audit(
            Some(actor),
            "",
            AuditAction::Update,
            format!("agency:{}", agency.0),
            vec!["follow_up_days".into()],
            "directory_policy",
        )
        .await?;
        Ok(days)
    }

    /// Makes a support plan for the person, as the actor's agency.
    pub async fn create_plan(&self, actor: &Account, id: PersonId, input: &PlanInput) -> Result<uuid::Uuid, AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let now = self.clock.now();
        let fields = input.validate(tokyo_date(now)).map_err(AppError::Invalid)?;
        let plan = SupportPlan {
            id: self.ids.new_id(),
            prefecture: file.person.prefecture.clone(),
            person: id,
            agency,
            review_on: Some(fields.review_on),
            fields,
            outcome: None,
            created_by: actor.id,
            created_at: now,
            reviews: Vec::new(),
        };
        let written = ["goal", "actions", "owner", "review_on"].map(str::to_owned).to_vec();
        let plan_id = plan.id;
        let event =
            self.person_event(actor, AuditAction::Create, format!("plan:{plan_id}"), id, written, basis.audit_code());
        self.commit(Commit::new(event).with(Change::Plan(Box::new(plan)))).await?;
        Ok(plan_id)
    }

    /// Records a review of one of the person's open plans.
    pub async fn review_plan(
        &self,
        actor: &Account,
        id: PersonId,
        plan: uuid::Uuid,
        input: &ReviewInput,
    ) -> Result<(), AppError> {
        Self::acting_agency(actor)?;
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let now = self.clock.now();
        let today = tokyo_date(now);
        let fields = input.validate(today).map_err(AppError::Invalid)?;
        let review =
            PlanReview { id: self.ids.new_id(), reviewed_on: today, fields, reviewed_by: actor.id, reviewed_at: now };
        let written = ["review_note", "outcome", "next_review_on"].map(str::to_owned).to_vec();
        let event =
            self.person_event(actor, AuditAction::Update, format!("plan:{plan}"), id, written, basis.audit_code());
        let change = Change::PlanReview { person: id, plan, review: Box::new(review) };
        not_found_as_such(self.commit(Commit::new(event).with(change)).await)
    }
}
