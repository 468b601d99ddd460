//! Job coaching: an agency's coaches (its staff keep the roster), the dispatches that send them to
//! a person's workplace, and the days they work on each; a coach's week; the fiscal year's
//! figures per coach.
//!
//! Coaches are staff, not persons supported: their roster is written through the audited commit
//! like every write, without a person. A dispatch and its days are the person's personal data:
//! read and written on the access policy's decision about their support data, each with its audit
//! entry in the same commit, and in their disclosure. Only the staff of the dispatch's agency
//! write it and log its days.

use time::{Date, Duration};
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::coaching::{
    Coach, CoachDay, CoachDayId, CoachId, CoachInput, CoachTotals, DayInput, Dispatch, DispatchId, DispatchInput,
    week_of,
};
use tsunagu_domain::consent::DataCategory;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::person::{DisabilityCategory, PersonId};
use tsunagu_domain::program::FiscalYear;
use tsunagu_domain::{CorporateNumber, Problems};
use tsunagu_store::{Change, Commit, EmployerLookup, PersonFile, StoreError};

use crate::persons::invalid;
use crate::{App, AppError};

/// What the staff of an agency see of its coaching.
#[derive(Debug, Clone)]
pub struct CoachingHome {
    /// The agency.
    pub agency: AgencyId,
    /// This fiscal year.
    pub year: FiscalYear,
    /// The coaches, each with their figures this fiscal year.
    pub coaches: Vec<(Coach, CoachTotals)>,
    /// The dispatches still running or ended within the last month, with the persons' names.
    pub dispatches: Vec<(Dispatch, String)>,
}

/// A coach's week.
#[derive(Debug, Clone)]
pub struct CoachWeek {
    /// The coach.
    pub coach: Coach,
    /// Its Monday.
    pub monday: Date,
    /// The days worked, with the persons' names, by day.
    pub days: Vec<(CoachDay, String)>,
}

/// A person's dispatches as one viewer may see them.
#[derive(Debug, Clone)]
pub struct PersonCoaching {
    /// 氏名.
    pub name: String,
    /// The dispatches, the latest first, each with the employer's name and the days worked.
    pub dispatches: Vec<(Dispatch, String, Vec<CoachDay>)>,
    /// The viewer may open a dispatch (staff of an agency with coaches, who may write the person's
    /// support data).
    pub writable: bool,
    /// The viewer's agency's coaches active today (for the form).
    pub coaches: Vec<Coach>,
    /// The 法人番号 of the employer of the person's current job, to start the form with.
    pub employer_number: String,
}

/// A dispatch as one viewer may see it.
#[derive(Debug, Clone)]
pub struct DispatchView {
    /// The dispatch.
    pub dispatch: Dispatch,
    /// The person's name.
    pub name: String,
    /// The employer's 法人番号 and name.
    pub employer: (String, String),
    /// The agency's coaches (those of the dispatch among them).
    pub coaches: Vec<Coach>,
    /// The days worked, the latest first.
    pub days: Vec<CoachDay>,
    /// The viewer is staff of the dispatch's agency and may write the person's support data.
    pub writable: bool,
}

/// The first day of fiscal year `year` (`fallback` should the calendar have none).
fn year_start(year: FiscalYear, fallback: Date) -> Date {
    Date::from_calendar_date(year.0, time::Month::April, 1).unwrap_or(fallback)
}

/// Days after its end a dispatch stays on the agency's list.
const LISTED_AFTER_END: i64 = 31;

fn mental(file: &PersonFile) -> bool {
    file.person.fields.categories.contains(&DisabilityCategory::Mental)
}

impl App {
    /// The coaches and dispatches of the actor's agency with this fiscal year's figures; the
    /// list of persons is audited as one read (`dispatches:<agency>`), as a caseload is.
    pub async fn coaching_home(&self, actor: &Account) -> Result<CoachingHome, AppError> {
        let agency = Self::acting_agency(actor)?;
        let today = self.today();
        let year = FiscalYear::of(today);
        let basis = format!("own_case:{}", agency.0);
        let (coaches, dispatches, audited) = tokio::join!(
            self.store.coach_totals(Some(agency), year_start(year, today), today),
            self.store.dispatches_of_agency(agency, today - Duration::days(LISTED_AFTER_END)),
            self.audit(
                Some(actor),
                "",
                AuditAction::Read,
                format!("dispatches:{}", agency.0),
                vec!["name".into(), "dispatches".into()],
                &basis
            )
        );
        audited?;
        Ok(CoachingHome {
            agency,
            year,
            coaches: coaches.map_err(AppError::Store)?,
            dispatches: dispatches.map_err(AppError::Store)?,
        })
    }

    /// The coaches with what each worked in fiscal year `year` (up to today): those of the
    /// actor's agency for its staff, every coach for program managers and administrators (what
    /// program 9-1 follows). Counts of days and cases, no person: no read to audit.
    pub async fn coach_year_totals(
        &self,
        actor: &Account,
        year: FiscalYear,
    ) -> Result<Vec<(Coach, CoachTotals)>, AppError> {
        let agency = if Self::may_see_programs(actor) { None } else { Some(Self::acting_agency(actor)?) };
        let today = self.today();
        let end = Date::from_calendar_date(year.0 + 1, time::Month::March, 31).unwrap_or(today).min(today);
        self.store.coach_totals(agency, year_start(year, today), end).await.map_err(AppError::Store)
    }

    /// The actor's agency's coaches, by name (staff, not persons: no read to audit).
    pub async fn roster(&self, actor: &Account) -> Result<Vec<Coach>, AppError> {
        let agency = Self::acting_agency(actor)?;
        self.store.coaches_of(agency).await.map_err(AppError::Store)
    }

    /// A coach of the actor's agency (for its form).
    pub async fn coach(&self, actor: &Account, id: CoachId) -> Result<Coach, AppError> {
        let agency = Self::acting_agency(actor)?;
        match self.store.coach(id).await.map_err(AppError::Store)? {
            Some(coach) if coach.agency == agency => Ok(coach),
            Some(_) => Err(AppError::Forbidden),
            None => Err(AppError::NotFound),
        }
    }

    /// Adds a coach to the actor's agency's roster (`id` none), or edits one of its from the
    /// version the form was loaded at; `mine` links the coach to the actor's own account.
    pub async fn save_coach(
        &self,
        actor: &Account,
        id: Option<CoachId>,
        input: &CoachInput,
        version: Option<i64>,
        mine: bool,
    ) -> Result<CoachId, AppError> {
        let agency = Self::acting_agency(actor)?;
        let stored = match id {
            Some(id) => Some(self.coach(actor, id).await?),
            None => None,
        };
        let fields = input.validate().map_err(AppError::Invalid)?;
        let (id, next, account) = match (&stored, version) {
            (None, _) => (CoachId(uuid::Uuid::now_v7()), 1, mine.then_some(actor.id)),
            (Some(c), Some(v)) if c.version == v => {
                (c.id, v + 1, if mine { Some(actor.id) } else { c.account.filter(|a| *a != actor.id) })
            }
            (Some(_), _) => return Err(invalid("coach_name", "coach_changed")),
        };
        let coach = Coach { id, agency, account, fields, version: next, updated_at: self.clock.now() };
        let action = if stored.is_some() { AuditAction::Update } else { AuditAction::Create };
        let fields = ["coach_name", "coach_kind", "active_from", "active_until", "account"].map(String::from).to_vec();
        let event = self.event(actor, action, format!("coach:{}", id.0), fields, format!("own_agency:{}", agency.0));
        let expected = stored.map(|c| c.version);
        match self.commit(Commit::new(event).with(Change::SaveCoach { coach: Box::new(coach), expected })).await {
            Ok(_) => Ok(id),
            Err(AppError::Store(StoreError::Conflict { .. })) => Err(invalid("coach_name", "coach_changed")),
            Err(e) => Err(e),
        }
    }

    /// The week from `day`'s Monday of a coach of the actor's agency, with the persons' names;
    /// audited as one read of the coach's week.
    pub async fn coach_week(&self, actor: &Account, id: CoachId, day: Date) -> Result<CoachWeek, AppError> {
        let coach = self.coach(actor, id).await?;
        let monday = week_of(day);
        let (ids, basis) = ([id], format!("own_case:{}", coach.agency.0));
        let (days, audited) = tokio::join!(
            self.store.days_of_coaches(&ids, monday, monday + Duration::days(6)),
            self.audit(
                Some(actor),
                "",
                AuditAction::Read,
                format!("coach_week:{}:{monday}", id.0),
                vec!["name".into(), "coach_days".into()],
                &basis
            )
        );
        audited?;
        Ok(CoachWeek { coach, monday, days: days.map_err(AppError::Store)? })
    }

    /// The person's dispatches with their days, on the policy's decision to read their support
    /// data; audited on the person's record.
    pub async fn person_coaching(&self, actor: &Account, person: PersonId) -> Result<PersonCoaching, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let record = format!("dispatches:{}", person.0);
        let basis = self.read_basis(actor, &file, record.clone()).await?;
        let dispatches = self.store.dispatches_of_person(person).await.map_err(AppError::Store)?;
        let fields = vec!["name".into(), "dispatches".into(), "coach_days".into()];
        self.audit_person(actor, AuditAction::Read, record, person, fields, basis.audit_code()).await?;
        let mut out = Vec::with_capacity(dispatches.len());
        for d in dispatches {
            let days = self.store.days_of_dispatch(d.id).await.map_err(AppError::Store)?;
            let employer = self.employer_name(d.fields.employer).await?.1;
            out.push((d, employer, days));
        }
        let today = self.today();
        let coaches: Vec<Coach> = match actor.agency.filter(|_| Self::may_register(actor)) {
            Some(agency) => self.store.coaches_of(agency).await.map_err(AppError::Store)?,
            None => Vec::new(),
        }
        .into_iter()
        .filter(|c| c.active_on(today))
        .collect();
        let writable = !coaches.is_empty() && self.may_write_journey(actor, &file).await?;
        let placements = self.store.placements_of(person).await.map_err(AppError::Store)?;
        let employer_number = match placements.iter().find(|p| p.is_open()) {
            Some(p) => self.employer_name(p.fields.employer).await?.0,
            None => String::new(),
        };
        Ok(PersonCoaching {
            name: file.person.fields.name.clone(),
            dispatches: out,
            writable,
            coaches,
            employer_number,
        })
    }

    /// An employer's 法人番号 and name (empty when it is gone).
    pub(crate) async fn employer_name(&self, id: EmployerId) -> Result<(String, String), AppError> {
        let found = self.store.employer_ref(EmployerLookup::Id(id)).await.map_err(AppError::Store)?;
        Ok(found.map(|e| (e.corporate_number, e.name)).unwrap_or_default())
    }

    /// The employer whose 法人番号 is `raw`, or the problem on `corporate_number`.
    pub(crate) async fn employer_by_number(&self, raw: &str, p: &mut Problems) -> Result<EmployerId, AppError> {
        let number = match CorporateNumber::parse(raw) {
            Ok(n) => n,
            Err(e) => {
                p.add("corporate_number", if raw.trim().is_empty() { "required" } else { e.code() });
                return Ok(EmployerId(uuid::Uuid::nil()));
            }
        };
        let found =
            self.store.employer_ref(EmployerLookup::Number(number.to_string())).await.map_err(AppError::Store)?;
        Ok(found.map_or_else(
            || {
                p.add("corporate_number", "unknown_employer");
                EmployerId(uuid::Uuid::nil())
            },
            |e| e.id,
        ))
    }

    /// The plan checked for the actor's agency: its coaches active on the first day, the
    /// employer by 法人番号.
    async fn checked_plan(
        &self,
        agency: AgencyId,
        file: &PersonFile,
        input: &DispatchInput,
        corporate_number: &str,
    ) -> Result<tsunagu_domain::coaching::DispatchFields, AppError> {
        let mut p = Problems::new();
        let employer = self.employer_by_number(corporate_number, &mut p).await?;
        let coaches = self.store.coaches_of(agency).await.map_err(AppError::Store)?;
        let start = tsunagu_domain::calendar::parse_date(&input.starts_on);
        let known = |raw: &str| {
            let id = uuid::Uuid::parse_str(raw).ok()?;
            coaches.iter().find(|c| c.id.0 == id && start.is_none_or(|s| c.active_on(s))).map(|c| c.id)
        };
        match input.validate(self.today(), mental(file), employer, known) {
            Ok(fields) if p.is_empty() => Ok(fields),
            Ok(_) => Err(AppError::Invalid(p)),
            Err(more) => {
                p.extend(more);
                Err(AppError::Invalid(p))
            }
        }
    }

    /// Opens a dispatch of the actor's agency's coaches for the person.
    pub async fn open_dispatch(
        &self,
        actor: &Account,
        person: PersonId,
        input: &DispatchInput,
        corporate_number: &str,
    ) -> Result<DispatchId, AppError> {
        let agency = Self::acting_agency(actor)?;
        // Only an agency with coaches sends them.
        let today = self.today();
        if !self.store.coaches_of(agency).await.map_err(AppError::Store)?.iter().any(|c| c.active_on(today)) {
            return Err(AppError::Forbidden);
        }
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let fields = self.checked_plan(agency, &file, input, corporate_number).await?;
        let now = self.clock.now();
        let dispatch = Dispatch {
            id: DispatchId(uuid::Uuid::now_v7()),
            prefecture: file.person.prefecture.clone(),
            person,
            agency,
            fields,
            recorded_by: actor.id,
            version: 1,
            updated_at: now,
        };
        let id = dispatch.id;
        let event = self.person_event(
            actor,
            AuditAction::Create,
            format!("dispatch:{}", id.0),
            person,
            DISPATCH_FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        self.commit(Commit::new(event).with(Change::SaveDispatch { dispatch: Box::new(dispatch), expected: None }))
            .await?;
        Ok(id)
    }

    /// The dispatch and the person's file, for staff who may read it (`write`: and write it —
    /// staff of its agency); refusals are audited on the person.
    async fn dispatch_and_file(
        &self,
        actor: &Account,
        id: DispatchId,
        write: bool,
    ) -> Result<(Dispatch, PersonFile, tsunagu_domain::access::Basis), AppError> {
        let dispatch = self.store.dispatch(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let file = self.store.person_file(dispatch.person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.record_basis(actor, &file, dispatch.agency, write, format!("dispatch:{}", id.0)).await?;
        Ok((dispatch, file, basis))
    }

    /// A dispatch with its days, on the policy's decision to read the person's support data;
    /// audited on the person's record.
    pub async fn dispatch_view(&self, actor: &Account, id: DispatchId) -> Result<DispatchView, AppError> {
        let (dispatch, file, basis) = self.dispatch_and_file(actor, id, false).await?;
        let days = self.store.days_of_dispatch(id).await.map_err(AppError::Store)?;
        let fields = ["name"].into_iter().chain(DISPATCH_FIELDS).chain(["coach_days"]).map(String::from).collect();
        self.audit_person(
            actor,
            AuditAction::Read,
            format!("dispatch:{}", id.0),
            dispatch.person,
            fields,
            basis.audit_code(),
        )
        .await?;
        let coaches = self.store.coaches_of(dispatch.agency).await.map_err(AppError::Store)?;
        let writable = actor.agency == Some(dispatch.agency) && self.may_write_journey(actor, &file).await?;
        let employer = self.employer_name(dispatch.fields.employer).await?;
        Ok(DispatchView { name: file.person.fields.name.clone(), employer, coaches, days, writable, dispatch })
    }

    /// Edits a dispatch's plan, or records how it moved on, from the version the form was loaded at.
    pub async fn edit_dispatch(
        &self,
        actor: &Account,
        id: DispatchId,
        input: &DispatchInput,
        corporate_number: &str,
        version: i64,
    ) -> Result<(), AppError> {
        let (stored, file, basis) = self.dispatch_and_file(actor, id, true).await?;
        if stored.version != version {
            return Err(invalid("starts_on", "dispatch_changed"));
        }
        let fields = self.checked_plan(stored.agency, &file, input, corporate_number).await?;
        let dispatch = Dispatch {
            fields,
            recorded_by: actor.id,
            version: version + 1,
            updated_at: self.clock.now(),
            ..stored.clone()
        };
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("dispatch:{}", id.0),
            stored.person,
            DISPATCH_FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        let change = Change::SaveDispatch { dispatch: Box::new(dispatch), expected: Some(version) };
        match self.commit(Commit::new(event).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => Err(invalid("starts_on", "dispatch_changed")),
            Err(e) => Err(e),
        }
    }

    /// Logs a day a coach of the dispatch worked on it.
    pub async fn log_coach_day(
        &self,
        actor: &Account,
        id: DispatchId,
        input: &DayInput,
    ) -> Result<CoachDayId, AppError> {
        let (dispatch, _, basis) = self.dispatch_and_file(actor, id, true).await?;
        let (coach, on, minutes, activities, note) =
            input.validate(&dispatch, self.today()).map_err(AppError::Invalid)?;
        let now = self.clock.now();
        let day = CoachDay {
            id: CoachDayId(uuid::Uuid::now_v7()),
            prefecture: dispatch.prefecture.clone(),
            dispatch: id,
            person: dispatch.person,
            coach,
            on,
            minutes,
            activities,
            note,
            recorded_by: actor.id,
            recorded_at: now,
        };
        let day_id = day.id;
        let event = self.person_event(
            actor,
            AuditAction::Create,
            format!("coach_day:{}", day_id.0),
            dispatch.person,
            ["coach", "worked_on", "duration", "activities", "day_note"].map(String::from).to_vec(),
            basis.audit_code(),
        );
        match self.commit(Commit::new(event).with(Change::LogCoachDay(Box::new(day)))).await {
            Ok(_) => Ok(day_id),
            Err(AppError::Store(StoreError::Duplicate { .. })) => Err(invalid("worked_on", "day_already_logged")),
            Err(AppError::Store(StoreError::Conflict { .. })) => Err(invalid("duration", "day_over_limit")),
            Err(e) => Err(e),
        }
    }

    /// Removes a day logged in error.
    pub async fn remove_coach_day(&self, actor: &Account, id: DispatchId, day: CoachDayId) -> Result<(), AppError> {
        let (dispatch, _, basis) = self.dispatch_and_file(actor, id, true).await?;
        let days = self.store.days_of_dispatch(id).await.map_err(AppError::Store)?;
        if !days.iter().any(|d| d.id == day) {
            return Err(AppError::NotFound);
        }
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("coach_day:{}", day.0),
            dispatch.person,
            vec!["removed".into()],
            basis.audit_code(),
        );
        self.commit(Commit::new(event).with(Change::RemoveCoachDay { person: dispatch.person, id: day })).await?;
        Ok(())
    }
}

/// What a dispatch's audit entries name.
const DISPATCH_FIELDS: [&str; 7] =
    ["corporate_number", "coaches", "starts_on", "phases", "agreements", "goals", "moves"];
