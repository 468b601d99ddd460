//! Interview fairs (面談会): an agency's staff set one up (companies from the employers, agencies
//! from the directory, each agency's ranked choices), schedule it and print its timetables. The
//! staff of every agency see the prefecture's fairs; only the organising agency's staff edit one.
//! A fair names companies and agencies, never a person, so it is not personal data; each edit is
//! still written through the audited commit, naming what changed.

use tsunagu_domain::Problems;
use tsunagu_domain::account::{Account, Role};
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::codes::CorporateNumber;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::fair::{Fair, FairHeaderInput, FairId};
use tsunagu_store::{Change, Commit, EmployerLookup, StoreError};

use crate::{App, AppError};

/// The most fairs the list shows.
pub const FAIR_LIST: u32 = 200;

/// One edit of a fair, as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FairEdit {
    /// Title, date, place and slots.
    Header(FairHeaderInput),
    /// A company added by its 法人番号, or its desks changed.
    Company {
        /// 法人番号 as typed.
        corporate_number: String,
        /// Desks as typed.
        desks: String,
    },
    /// A company withdrawn.
    RemoveCompany(EmployerId),
    /// A participant added, or its wants and choices replaced.
    Participant {
        /// The agency's id as chosen.
        agency: String,
        /// Meetings wanted, as typed.
        wants: String,
        /// Employer ids as chosen, first choice first (blank for none).
        choices: Vec<String>,
    },
    /// A participant withdrawn.
    RemoveParticipant(AgencyId),
    /// The schedule made (again).
    Schedule,
}

impl FairEdit {
    /// What the audit entry names as changed.
    fn field(&self) -> &'static str {
        match self {
            FairEdit::Header(_) => "header",
            FairEdit::Company { .. } | FairEdit::RemoveCompany(_) => "companies",
            FairEdit::Participant { .. } | FairEdit::RemoveParticipant(_) => "participants",
            FairEdit::Schedule => "schedule",
        }
    }
}

fn one(field: &'static str, code: &'static str) -> AppError {
    let mut p = Problems::new();
    p.add(field, code);
    AppError::Invalid(p)
}

impl App {
    /// Staff of an agency and program managers see fairs.
    pub fn may_see_fairs(actor: &Account) -> bool {
        !actor.disabled && (actor.does_casework() || actor.roles.contains(&Role::ProgramManager))
    }

    /// True when `actor` may set up fairs (and edit those of their agency).
    pub fn may_organise_fairs(actor: &Account) -> bool {
        Self::organising_agency(actor).is_ok()
    }

    /// The agency whose fairs `actor` may set up and edit.
    fn organising_agency(actor: &Account) -> Result<AgencyId, AppError> {
        match actor.agency {
            Some(agency) if !actor.disabled && actor.does_casework() => Ok(agency),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The prefecture's fairs, latest date first.
    pub async fn fairs(&self, actor: &Account) -> Result<Vec<Fair>, AppError> {
        if !Self::may_see_fairs(actor) {
            return Err(AppError::Forbidden);
        }
        self.store.fairs(FAIR_LIST).await.map_err(AppError::Store)
    }

    /// One fair.
    pub async fn fair(&self, actor: &Account, id: FairId) -> Result<Fair, AppError> {
        if !Self::may_see_fairs(actor) {
            return Err(AppError::Forbidden);
        }
        self.store.fair(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)
    }

    /// True when `actor` may edit `fair`.
    pub fn may_edit_fair(actor: &Account, fair: &Fair) -> bool {
        Self::organising_agency(actor).is_ok_and(|a| a == fair.organiser)
    }

    /// Sets up a fair organised by the actor's agency.
    pub async fn create_fair(&self, actor: &Account, input: &FairHeaderInput) -> Result<Fair, AppError> {
        let organiser = Self::organising_agency(actor)?;
        let header = input.validate().map_err(AppError::Invalid)?;
        let agency = self.store.get_agency(organiser).await.map_err(AppError::Store)?.ok_or(AppError::Forbidden)?;
        let prefecture = agency.prefecture;
        let fair = Fair::new(FairId(self.ids.new_id()), prefecture, organiser, header, self.clock.now());
        let event = self.event(
            actor,
            AuditAction::Create,
            format!("fair:{}", fair.id.0),
            vec!["header".into()],
            "organiser".into(),
        );
        let commit = Commit::new(event).with(Change::SaveFair { fair: Box::new(fair.clone()), expected: None });
        self.store.commit(commit).await.map_err(AppError::Store)?;
        Ok(fair)
    }

    /// Applies one edit to the fair as loaded at `version`: refused when someone changed it since
    /// ([`AppError::FairChanged`], with the fair as it is now), or when the edit breaks a rule.
    pub async fn edit_fair(&self, actor: &Account, id: FairId, version: i64, edit: FairEdit) -> Result<Fair, AppError> {
        Self::organising_agency(actor)?;
        let mut fair = self.fair(actor, id).await?;
        if !Self::may_edit_fair(actor, &fair) {
            return Err(AppError::Forbidden);
        }
        if fair.version != version {
            return Err(AppError::FairChanged(Box::new(fair)));
        }
        let field = edit.field();
        match edit {
            FairEdit::Header(input) => {
                let header = input.validate().map_err(AppError::Invalid)?;
                fair.set_header(header).map_err(AppError::Invalid)?;
            }
            FairEdit::Company { corporate_number, desks } => {
                let number = CorporateNumber::parse(&corporate_number).map_err(|e| {
                    let code = match e {
                        _ if corporate_number.trim().is_empty() => "required",
                        tsunagu_domain::codes::CodeError::Format => "corporate_number_format",
                        tsunagu_domain::codes::CodeError::CheckDigit => "check_digit",
                    };
                    one("corporate_number", code)
                })?;
                let employer = self
                    .store
                    .employer_ref(EmployerLookup::Number(number.as_str().to_owned()))
                    .await
                    .map_err(AppError::Store)?
                    .ok_or_else(|| one("corporate_number", "unknown_employer"))?;
                fair.set_company(employer.id, employer.name, &desks).map_err(AppError::Invalid)?;
            }
            FairEdit::RemoveCompany(employer) => {
                if !fair.remove_company(employer) {
                    return Err(AppError::NotFound);
                }
            }
            FairEdit::Participant { agency, wants, choices } => {
                let index = self.directory().await?;
                let agency = uuid::Uuid::parse_str(agency.trim()).ok().map(AgencyId);
                let Some(listing) = agency.and_then(|a| index.agency(a)) else {
                    return Err(one("participant", "unknown_participant"));
                };
                let mut unknown = false;
                let choices: Vec<Option<EmployerId>> = choices
                    .iter()
                    .map(|c| match c.trim() {
                        "" => None,
                        c => {
                            let id = uuid::Uuid::parse_str(c).ok().map(EmployerId);
                            unknown |= id.is_none();
                            id
                        }
                    })
                    .collect();
                if unknown {
                    return Err(one("choices", "unknown_company"));
                }
                fair.set_participant(listing.id, listing.name.clone(), &wants, &choices).map_err(AppError::Invalid)?;
            }
            FairEdit::RemoveParticipant(agency) => {
                if !fair.remove_participant(agency) {
                    return Err(AppError::NotFound);
                }
            }
            FairEdit::Schedule => {
                fair.schedule().map_err(AppError::Invalid)?;
            }
        }
        fair.version += 1;
        fair.updated_at = self.clock.now();
        let event = self.event(
            actor,
            AuditAction::Update,
            format!("fair:{}", fair.id.0),
            vec![field.into()],
            "organiser".into(),
        );
        let commit =
            Commit::new(event).with(Change::SaveFair { fair: Box::new(fair.clone()), expected: Some(version) });
        match self.store.commit(commit).await {
            Ok(_) => Ok(fair),
            Err(StoreError::Conflict { .. }) => {
                let now = self.store.fair(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
                Err(AppError::FairChanged(Box::new(now)))
            }
            Err(e) => Err(AppError::Store(e)),
        }
    }
}
