//! Trial employment: the trials an agency arranged, with the ones whose hours fall behind their
//! plan first; a person's trials; a trial with its weeks; the grant decisions Hello Work records.
//!
//! A trial and its weeks are the person's personal data: read and written on the access
//! policy's decision about their support data, each with its audit entry in the same commit, and
//! in their disclosure. The staff of the agency that recorded the trial write its plan and its
//! weeks; Hello Work's staff (who decide the grant) record its grant decisions.

use time::{Date, Duration};
use tsunagu_domain::Problems;
use tsunagu_domain::access::Basis;
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::DataCategory;
use tsunagu_domain::directory::{AgencyId, AgencyKind};
use tsunagu_domain::person::{DisabilityCategory, PersonId};
use tsunagu_domain::trial::{GrantInput, Ramp, Trial, TrialFields, TrialId, TrialInput, TrialWeek, WeekInput, ramp};
use tsunagu_store::{Change, Commit, PersonFile, StoreError};

use crate::persons::invalid;
use crate::{App, AppError};

/// A trial on a list, with the person's or the employer's name and how it keeps to its plan.
#[derive(Debug, Clone)]
pub struct TrialLine {
    /// The trial.
    pub trial: Trial,
    /// The name shown beside it.
    pub name: String,
    /// Its hours against the plan.
    pub ramp: Ramp,
    /// The weeks logged, in order.
    pub weeks: Vec<TrialWeek>,
}

/// What the staff of an agency see of the trials it arranged.
#[derive(Debug, Clone)]
pub struct TrialsHome {
    /// Those running or ended within the last month, the ones falling behind first, then by start.
    pub trials: Vec<TrialLine>,
}

/// A person's trials as one viewer may see them.
#[derive(Debug, Clone)]
pub struct PersonTrials {
    /// 氏名.
    pub name: String,
    /// The trials, the latest first, each with the employer's name.
    pub trials: Vec<TrialLine>,
    /// The viewer may record a trial (staff who may write the person's support data).
    pub writable: bool,
    /// The person may be put on the short-time course (a mental or developmental disability).
    pub short_time_eligible: bool,
    /// The 法人番号 of the employer of the person's current job, to start the form with.
    pub employer_number: String,
}

/// A trial as one viewer may see it.
#[derive(Debug, Clone)]
pub struct TrialView {
    /// The trial.
    pub trial: Trial,
    /// The person's name.
    pub name: String,
    /// The employer's 法人番号 and name.
    pub employer: (String, String),
    /// The weeks logged, in order.
    pub weeks: Vec<TrialWeek>,
    /// Its hours against the plan.
    pub ramp: Ramp,
    /// The viewer is staff of the trial's agency and may write the person's support data.
    pub writable: bool,
    /// The viewer is Hello Work staff who may write the person's support data.
    pub decides_grants: bool,
    /// The person has a mental disability (longer standard trials, higher grants).
    pub mental: bool,
    /// The person may be put on the short-time course.
    pub short_time_eligible: bool,
}

/// Days after its end a trial stays on the agency's list.
const LISTED_AFTER_END: i64 = 31;

fn mental(file: &PersonFile) -> bool {
    file.person.fields.categories.contains(&DisabilityCategory::Mental)
}

fn short_time_eligible(file: &PersonFile) -> bool {
    let c = &file.person.fields.categories;
    c.contains(&DisabilityCategory::Mental) || c.contains(&DisabilityCategory::Developmental)
}

/// The trial on a list, with its own weeks of `weeks`.
fn line(trial: Trial, name: String, weeks: &[TrialWeek], today: Date) -> TrialLine {
    let ramp = ramp(&trial, weeks, today);
    let weeks = weeks.iter().filter(|w| w.trial == trial.id).cloned().collect();
    TrialLine { trial, name, ramp, weeks }
}

/// What a trial's audit entries name.
const TRIAL_FIELDS: [&str; 7] = ["corporate_number", "course", "job", "period", "hours_plan", "outcome", "grants"];

impl App {
    /// The trials of the actor's agency still running or ended within the last month, those
    /// falling behind their plan first; audited as one read of the agency's trials.
    pub async fn trials_home(&self, actor: &Account) -> Result<TrialsHome, AppError> {
        let agency = Self::acting_agency(actor)?;
        let today = self.today();
        let basis = format!("own_case:{}", agency.0);
        let (trials, audited) = tokio::join!(
            self.store.trials_of_agency(agency, today - Duration::days(LISTED_AFTER_END)),
            self.audit(
                Some(actor),
                "",
                AuditAction::Read,
                format!("trials:{}", agency.0),
                vec!["name".into(), "trials".into(), "trial_weeks".into()],
                &basis
            )
        );
        audited?;
        let trials = trials.map_err(AppError::Store)?;
        let ids: Vec<TrialId> = trials.iter().map(|(t, _)| t.id).collect();
        let weeks = self.store.weeks_of_trials(&ids).await.map_err(AppError::Store)?;
        let mut lines: Vec<TrialLine> =
            trials.into_iter().map(|(trial, name)| line(trial, name, &weeks, today)).collect();
        lines.sort_by_key(|l| (!l.ramp.falls_behind() || l.trial.fields.ended_on.is_some(), l.trial.fields.starts_on));
        Ok(TrialsHome { trials: lines })
    }

    /// The person's trials, on the policy's decision to read their support data; audited on the
    /// person's record.
    pub async fn person_trials(&self, actor: &Account, person: PersonId) -> Result<PersonTrials, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let record = format!("trials:{}", person.0);
        let basis = self.read_basis(actor, &file, record.clone()).await?;
        let trials = self.store.trials_of_person(person).await.map_err(AppError::Store)?;
        let fields = vec!["name".into(), "trials".into(), "trial_weeks".into()];
        self.audit_person(actor, AuditAction::Read, record, person, fields, basis.audit_code()).await?;
        let ids: Vec<TrialId> = trials.iter().map(|t| t.id).collect();
        let weeks = self.store.weeks_of_trials(&ids).await.map_err(AppError::Store)?;
        let today = self.today();
        let mut lines = Vec::with_capacity(trials.len());
        for trial in trials {
            let name = self.employer_name(trial.fields.employer).await?.1;
            lines.push(line(trial, name, &weeks, today));
        }
        let writable = self.may_write_journey(actor, &file).await?;
        let placements = self.store.placements_of(person).await.map_err(AppError::Store)?;
        let employer_number = match placements.iter().find(|p| p.is_open()) {
            Some(p) => self.employer_name(p.fields.employer).await?.0,
            None => String::new(),
        };
        Ok(PersonTrials {
            name: file.person.fields.name.clone(),
            trials: lines,
            writable,
            short_time_eligible: short_time_eligible(&file),
            employer_number,
        })
    }

    /// The plan checked for the person: the employer by 法人番号, the course's rules.
    async fn checked_trial(
        &self,
        file: &PersonFile,
        input: &TrialInput,
        corporate_number: &str,
        grants: Vec<tsunagu_domain::trial::GrantDecision>,
    ) -> Result<TrialFields, AppError> {
        let mut p = Problems::new();
        let employer = self.employer_by_number(corporate_number, &mut p).await?;
        match input.validate(self.today(), mental(file), short_time_eligible(file), employer, grants) {
            Ok(fields) if p.is_empty() => Ok(fields),
            Ok(_) => Err(AppError::Invalid(p)),
            Err(more) => {
                p.extend(more);
                Err(AppError::Invalid(p))
            }
        }
    }

    /// Records a trial of the person, arranged by the actor's agency.
    pub async fn open_trial(
        &self,
        actor: &Account,
        person: PersonId,
        input: &TrialInput,
        corporate_number: &str,
    ) -> Result<TrialId, AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let fields = self.checked_trial(&file, input, corporate_number, Vec::new()).await?;
        let trial = Trial {
            id: TrialId(uuid::Uuid::now_v7()),
            prefecture: file.person.prefecture.clone(),
            person,
            agency,
            fields,
            recorded_by: actor.id,
            version: 1,
            updated_at: self.clock.now(),
        };
        let id = trial.id;
        let event = self.person_event(
            actor,
            AuditAction::Create,
            format!("trial:{}", id.0),
            person,
            TRIAL_FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        self.commit(Commit::new(event).with(Change::SaveTrial { trial: Box::new(trial), expected: None })).await?;
        Ok(id)
    }

    /// Whether the actor is staff of a Hello Work office (who decide the grants).
    async fn hello_work(&self, actor: &Account) -> Result<Option<AgencyId>, AppError> {
        let Some(agency) = actor.agency.filter(|_| Self::may_register(actor)) else { return Ok(None) };
        let index = self.directory().await?;
        Ok(index.agency(agency).is_some_and(|a| a.kind == AgencyKind::HelloWork).then_some(agency))
    }

    /// The trial and the person's file, for staff who may read it; `write`: for the staff of its
    /// agency who may write it. Refusals are audited on the person.
    async fn trial_and_file(
        &self,
        actor: &Account,
        id: TrialId,
        write: bool,
    ) -> Result<(Trial, PersonFile, Basis), AppError> {
        let trial = self.store.trial(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let file = self.store.person_file(trial.person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.record_basis(actor, &file, trial.agency, write, format!("trial:{}", id.0)).await?;
        Ok((trial, file, basis))
    }

    /// A trial with its weeks, on the policy's decision to read the person's support data;
    /// audited on the person's record.
    pub async fn trial_view(&self, actor: &Account, id: TrialId) -> Result<TrialView, AppError> {
        let (trial, file, basis) = self.trial_and_file(actor, id, false).await?;
        let weeks = self.store.weeks_of_trials(&[id]).await.map_err(AppError::Store)?;
        let fields = ["name"].into_iter().chain(TRIAL_FIELDS).chain(["trial_weeks"]).map(String::from).collect();
        self.audit_person(
            actor,
            AuditAction::Read,
            format!("trial:{}", id.0),
            trial.person,
            fields,
            basis.audit_code(),
        )
        .await?;
        let may_write = self.may_write_journey(actor, &file).await?;
        let writable = actor.agency == Some(trial.agency) && may_write;
        let decides_grants = may_write && self.hello_work(actor).await?.is_some();
        let employer = self.employer_name(trial.fields.employer).await?;
        let ramp = ramp(&trial, &weeks, self.today());
        Ok(TrialView {
            name: file.person.fields.name.clone(),
            employer,
            weeks,
            ramp,
            writable,
            decides_grants,
            mental: mental(&file),
            short_time_eligible: short_time_eligible(&file),
            trial,
        })
    }

    /// Writes `trial` as the next version of `stored`, audited as `what` on the person; a
    /// version moved on meanwhile is the problem `changed` on `field`.
    async fn save_trial(
        &self,
        actor: &Account,
        stored: &Trial,
        fields: TrialFields,
        basis: &Basis,
        what: Vec<String>,
        field: &'static str,
    ) -> Result<(), AppError> {
        let trial = Trial {
            fields,
            recorded_by: actor.id,
            version: stored.version + 1,
            updated_at: self.clock.now(),
            ..stored.clone()
        };
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("trial:{}", stored.id.0),
            stored.person,
            what,
            basis.audit_code(),
        );
        let change = Change::SaveTrial { trial: Box::new(trial), expected: Some(stored.version) };
        match self.commit(Commit::new(event).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => Err(invalid(field, "trial_changed")),
            Err(e) => Err(e),
        }
    }

    /// Edits a trial's plan, or records how it ended, from the version the form was loaded at.
    pub async fn edit_trial(
        &self,
        actor: &Account,
        id: TrialId,
        input: &TrialInput,
        corporate_number: &str,
        version: i64,
    ) -> Result<(), AppError> {
        let (stored, file, basis) = self.trial_and_file(actor, id, true).await?;
        if stored.version != version {
            return Err(invalid("course", "trial_changed"));
        }
        let fields = self.checked_trial(&file, input, corporate_number, stored.fields.grants.clone()).await?;
        let what = TRIAL_FIELDS.iter().filter(|f| **f != "grants").map(|f| f.to_string()).collect();
        self.save_trial(actor, &stored, fields, &basis, what, "course").await
    }

    /// Logs the hours worked in a week of the trial (a second log of the week replaces the first).
    pub async fn log_trial_week(&self, actor: &Account, id: TrialId, input: &WeekInput) -> Result<Date, AppError> {
        let (trial, _, basis) = self.trial_and_file(actor, id, true).await?;
        let (monday, minutes) = input.validate(&trial, self.today()).map_err(AppError::Invalid)?;
        let week = TrialWeek {
            trial: id,
            prefecture: trial.prefecture.clone(),
            person: trial.person,
            week_of: monday,
            minutes,
            recorded_by: actor.id,
            recorded_at: self.clock.now(),
        };
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("trial_week:{}:{monday}", id.0),
            trial.person,
            vec!["week_of".into(), "worked_hours".into()],
            basis.audit_code(),
        );
        self.commit(Commit::new(event).with(Change::LogTrialWeek(Box::new(week)))).await?;
        Ok(monday)
    }

    /// Removes a week logged in error.
    pub async fn remove_trial_week(&self, actor: &Account, id: TrialId, monday: Date) -> Result<(), AppError> {
        let (trial, _, basis) = self.trial_and_file(actor, id, true).await?;
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("trial_week:{}:{monday}", id.0),
            trial.person,
            vec!["removed".into()],
            basis.audit_code(),
        );
        let change = Change::RemoveTrialWeek { person: trial.person, trial: id, week_of: monday };
        self.commit(Commit::new(event).with(change)).await.map(|_| ())
    }

    /// The trial for Hello Work staff who may write the person's support data, at `version`
    /// (which a write names: left out, the problem on `version`).
    async fn trial_for_grants(
        &self,
        actor: &Account,
        id: TrialId,
        version: Option<i64>,
    ) -> Result<(Trial, PersonFile, Basis), AppError> {
        if self.hello_work(actor).await?.is_none() {
            return Err(AppError::Forbidden);
        }
        let trial = self.store.trial(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let file = self.store.person_file(trial.person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        match version {
            None => Err(invalid("version", "required")),
            Some(v) if v != trial.version => Err(invalid("decided_on", "trial_changed")),
            Some(_) => Ok((trial, file, basis)),
        }
    }

    /// Records a grant decided for the trial (Hello Work staff), from the version the page was
    /// loaded at.
    pub async fn record_grant(
        &self,
        actor: &Account,
        id: TrialId,
        input: &GrantInput,
        version: Option<i64>,
    ) -> Result<(), AppError> {
        let (stored, file, basis) = self.trial_for_grants(actor, id, version).await?;
        let decision = input.validate(&stored, self.today(), mental(&file)).map_err(AppError::Invalid)?;
        let mut fields = stored.fields.clone();
        fields.grants.push(decision);
        self.save_trial(actor, &stored, fields, &basis, vec!["grants".into()], "decided_on").await
    }

    /// Removes the `index`th grant decision recorded in error (Hello Work staff).
    pub async fn remove_grant(
        &self,
        actor: &Account,
        id: TrialId,
        index: usize,
        version: Option<i64>,
    ) -> Result<(), AppError> {
        let (stored, _, basis) = self.trial_for_grants(actor, id, version).await?;
        if index >= stored.fields.grants.len() {
            return Err(AppError::NotFound);
        }
        let mut fields = stored.fields.clone();
        fields.grants.remove(index);
        self.save_trial(actor, &stored, fields, &basis, vec!["grants".into()], "decided_on").await
    }
}
