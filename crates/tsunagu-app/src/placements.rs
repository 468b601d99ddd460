//! Placements (就職): recorded by the agency supporting the person, with the employer found by
//! its 法人番号 and, when the job came through one, the opening. Recording a placement moves the
//! journey to 就職 and schedules the retention follow-ups; ending one moves the journey to 離職,
//! closes the follow-ups still open and so returns the person to those matched to openings. Each
//! is one commit with the journey's move — the same move the journey page makes ([`App::stage_move`]).

use tsunagu_domain::Problems;
use tsunagu_domain::access::{Action, Basis};
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::{DataCategory, Provision, Purpose, Recipient};
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::journey::Stage;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::placement::{EndInput, Placement, PlacementFields, PlacementId, PlacementInput, check_none_open};
use tsunagu_store::{Change, Commit, EmployerLookup, PersonFile, StoreError};

use crate::clock::tokyo_date;
use crate::{App, AppError};

/// A placement with its employer's name, as the journey page and the form show it.
#[derive(Debug, Clone)]
pub struct PlacementView {
    /// The placement.
    pub placement: Placement,
    /// The employer's name.
    pub employer_name: String,
}

/// An employer's hires, counted (its page shows no person).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hires {
    /// Placements recorded at the employer.
    pub total: usize,
    /// Of which still held.
    pub held: usize,
}

/// What a placement's form is filled in from: the employer (and opening) it was opened for.
#[derive(Debug, Clone, Default)]
pub struct PlacementStart {
    /// The employer's 法人番号.
    pub corporate_number: String,
    /// The employer's name.
    pub employer_name: String,
    /// Its openings: id and title, the latest first.
    pub openings: Vec<(String, String)>,
    /// The kind its flag suggests (特例子会社 or 一般).
    pub kind: String,
}

/// A person's placements as one viewer may see them.
#[derive(Debug, Clone)]
pub struct PersonPlacements {
    /// The person's name.
    pub name: String,
    /// Where the journey stands (the forms send it back).
    pub stage: Option<Stage>,
    /// Placements, the latest start first.
    pub placements: Vec<PlacementView>,
    /// The viewer may record placements and their ends.
    pub writable: bool,
}

impl App {
    /// The person's placements, for a viewer the access policy lets read their journey: audited,
    /// and, when read on the strength of the person's consent, recorded as a provision.
    pub async fn person_placements(&self, actor: &Account, person: PersonId) -> Result<PersonPlacements, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = match self.decide_for(actor, &file, Action::Read, DataCategory::Support, Purpose::ALL, None).await?
        {
            Ok(basis) => basis,
            Err(denial) => return Err(self.refuse(actor, person, format!("placements:{}", person.0), denial).await),
        };
        let placements = self.store.placements_of(person).await.map_err(AppError::Store)?;
        let fields = ["name", "stage", "placements"].map(String::from).to_vec();
        let read = self.person_event(
            actor,
            AuditAction::Read,
            format!("placements:{}", person.0),
            person,
            fields,
            basis.audit_code(),
        );
        let mut commit = Commit::new(read);
        if let (Basis::Consent(consent), Some(agency), false) = (&basis, actor.agency, placements.is_empty()) {
            commit = commit.with(Change::Provision(Box::new(Provision {
                prefecture: file.person.prefecture.clone(),
                id: self.ids.new_id(),
                at: self.clock.now(),
                person,
                recipient: Recipient::Agency(agency),
                items: vec!["placements".into()],
                consent: *consent,
                provided_by: actor.id,
            })));
        }
        self.commit(commit).await?;
        let writable = self.may_write_journey(actor, &file).await?;
        Ok(PersonPlacements {
            name: file.person.fields.name.clone(),
            stage: file.stage,
            placements: self.placement_views(placements).await?,
            writable,
        })
    }

    /// The file, the acting agency and the basis for writing `person`'s journey.
    async fn placement_writer(
        &self,
        actor: &Account,
        person: PersonId,
    ) -> Result<(PersonFile, tsunagu_domain::directory::AgencyId, Basis), AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        Ok((file, agency, basis))
    }

    /// What the placement form starts from: employer `employer` (opened from its page or one of
    /// its openings) or, failing that, the employer whose 法人番号 was typed — its 法人番号, name,
    /// openings and kind. Staff only.
    pub async fn placement_start(
        &self,
        actor: &Account,
        employer: Option<EmployerId>,
        corporate_number: &str,
    ) -> Result<PlacementStart, AppError> {
        if !Self::may_register(actor) {
            return Err(AppError::Forbidden);
        }
        let id = match (employer, tsunagu_domain::CorporateNumber::parse(corporate_number)) {
            (Some(id), _) => Some(id),
            (None, Ok(number)) => self
                .store
                .employer_ref(EmployerLookup::Number(number.to_string()))
                .await
                .map_err(AppError::Store)?
                .map(|e| e.id),
            (None, Err(_)) => None,
        };
        let Some(id) = id else { return Ok(PlacementStart::default()) };
        let Some((employer, _)) = self.store.employer(id).await.map_err(AppError::Store)? else {
            return Ok(PlacementStart::default());
        };
        let openings = self.store.openings_of(id).await.map_err(AppError::Store)?;
        Ok(PlacementStart {
            corporate_number: employer.fields.corporate_number.to_string(),
            employer_name: employer.fields.name.clone(),
            openings: openings.into_iter().map(|o| (o.id.0.to_string(), o.fields.title)).collect(),
            kind: if employer.fields.special_subsidiary { "special_subsidiary" } else { "general" }.to_owned(),
        })
    }

    /// Records that the person was hired, as the actor's agency, and moves their journey to 就職
    /// (scheduling the follow-ups) in the same commit. `loaded_at` is the stage the form was
    /// loaded at: a journey moved meanwhile is refused.
    pub async fn record_placement(
        &self,
        actor: &Account,
        person: PersonId,
        input: &PlacementInput,
        loaded_at: Option<Stage>,
    ) -> Result<PlacementId, AppError> {
        let (file, agency, basis) = self.placement_writer(actor, person).await?;
        let now = self.clock.now();
        let registered_on = tokyo_date(file.person.created_at);
        let checked = input.validate(registered_on, tokyo_date(now)).map_err(AppError::Invalid)?;
        let mut p = Problems::new();
        let employer = self
            .store
            .employer_ref(EmployerLookup::Number(checked.corporate_number.to_string()))
            .await
            .map_err(AppError::Store)?;
        if employer.is_none() {
            p.add("corporate_number", "unknown_employer");
        }
        if let (Some(opening), Some(employer)) = (checked.opening, &employer) {
            let found = self.store.opening(opening).await.map_err(AppError::Store)?;
            if found.is_none_or(|o| o.employer != employer.id) {
                p.add("opening", "opening_of_another_employer");
            }
        }
        let current = self.store.placements_of(person).await.map_err(AppError::Store)?;
        if let Err(open) = check_none_open(&current) {
            p.extend(open);
        }
        let Some(employer) = employer.filter(|_| p.is_empty()) else {
            return Err(AppError::Invalid(p));
        };
        if loaded_at != file.stage {
            return Err(AppError::StageMoved(file.stage));
        }
        let placement = Placement {
            id: PlacementId(self.ids.new_id()),
            prefecture: file.person.prefecture.clone(),
            person,
            agency,
            fields: PlacementFields {
                employer: employer.id,
                opening: checked.opening,
                job_title: checked.job_title,
                starts_on: checked.starts_on,
                hours: checked.hours,
                kind: checked.kind,
            },
            end: None,
            recorded_by: actor.id,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let reason = format!("{}（{}）", employer.name, checked.kind.name_ja());
        let (moved, changes) =
            self.stage_move(actor, &file, agency, (Stage::Employed, checked.starts_on), reason, &basis).await?;
        let event = self.person_event(
            actor,
            AuditAction::Create,
            format!("placement:{}", placement.id.0),
            person,
            ["employer", "opening", "job_title", "starts_on", "hours", "kind"].map(String::from).to_vec(),
            basis.audit_code(),
        );
        let id = placement.id;
        let commit = Commit::new(event)
            .and_event(moved)
            .with(Change::SavePlacement { placement: Box::new(placement), expected: None })
            .with_all(changes);
        self.journey_commit(commit, person).await?;
        Ok(id)
    }

    /// Records the end of the person's placement `id` (at `version` when the form was loaded)
    /// and, if their journey stands at a stage of holding a job, moves it to 離職 — closing the
    /// follow-ups still open — in the same commit.
    pub async fn end_placement(
        &self,
        actor: &Account,
        person: PersonId,
        id: PlacementId,
        input: &EndInput,
        version: i64,
    ) -> Result<(), AppError> {
        let (file, agency, basis) = self.placement_writer(actor, person).await?;
        let placements = self.store.placements_of(person).await.map_err(AppError::Store)?;
        let mut placement = placements.into_iter().find(|p| p.id == id).ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        let end = input.validate(&placement, tokyo_date(now)).map_err(AppError::Invalid)?;
        if placement.version != version {
            return Err(AppError::StageMoved(file.stage));
        }
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("placement:{}", id.0),
            person,
            ["ended_on", "end_reason", "end_note"].map(String::from).to_vec(),
            basis.audit_code(),
        );
        let mut commit = Commit::new(event);
        if file.stage.is_some_and(Stage::holds_job) {
            let reason = format!("退職: {}", end.reason.name_ja());
            let (moved, changes) =
                self.stage_move(actor, &file, agency, (Stage::Separated, end.ended_on), reason, &basis).await?;
            commit = commit.and_event(moved).with_all(changes);
        }
        placement.end = Some(end);
        placement.version += 1;
        placement.updated_at = now;
        commit = commit.with(Change::SavePlacement { placement: Box::new(placement), expected: Some(version) });
        self.journey_commit(commit, person).await
    }

    /// Writes a commit that moves the journey: a journey (or placement) moved meanwhile is
    /// [`AppError::StageMoved`] with where the journey stands now.
    async fn journey_commit(&self, commit: Commit, person: PersonId) -> Result<(), AppError> {
        match self.commit(commit).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => {
                let now_at = self.store.person_file(person).await.map_err(AppError::Store)?.and_then(|f| f.stage);
                Err(AppError::StageMoved(now_at))
            }
            Err(e) => Err(e),
        }
    }

    /// The placements with their employers' names.
    pub(crate) async fn placement_views(&self, placements: Vec<Placement>) -> Result<Vec<PlacementView>, AppError> {
        let mut out = Vec::with_capacity(placements.len());
        for placement in placements {
            let employer_name = self
                .store
                .employer_ref(EmployerLookup::Id(placement.fields.employer))
                .await
                .map_err(AppError::Store)?
                .map(|e| e.name)
                .unwrap_or_default();
            out.push(PlacementView { placement, employer_name });
        }
        Ok(out)
    }

    /// How many hires the network recorded at employer `id`, and how many are still held.
    pub async fn hires(&self, actor: &Account, id: EmployerId) -> Result<Hires, AppError> {
        if !Self::may_see_employers(actor) {
            return Err(AppError::Forbidden);
        }
        let all = self.store.placements_at(id).await.map_err(AppError::Store)?;
        Ok(Hires { total: all.len(), held: all.iter().filter(|p| p.is_open()).count() })
    }
}
