//! Return to work: the plans a centre coordinates and supports, a person's plans, a plan with
//! the three parties' agreement, the warm-up and the outcome.
//!
//! A plan names the person's employer, its contact and the attending doctor: the person's
//! personal data, read and written on the access policy's decision about their support data,
//! each with its audit entry in the same commit, and in their disclosure. Staff who may write the
//! person's support data open a plan for their agency; that agency's staff change it.

use time::Duration;
use tsunagu_domain::Problems;
use tsunagu_domain::access::Basis;
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::DataCategory;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::rework::{ReturnPlan, ReturnPlanFields, ReturnPlanId, ReturnPlanInput};
use tsunagu_store::{Change, Commit, PersonFile, StoreError};

use crate::persons::invalid;
use crate::{App, AppError};

/// A centre's plans.
#[derive(Debug, Clone)]
pub struct ReworkHome {
    /// Those running or ended within the last month, with the persons' names, by first
    /// consultation.
    pub plans: Vec<(ReturnPlan, String)>,
}

/// A person's plans as one viewer may see them.
#[derive(Debug, Clone)]
pub struct PersonRework {
    /// 氏名.
    pub name: String,
    /// The plans, the latest first, each with the employer's name.
    pub plans: Vec<(ReturnPlan, String)>,
    /// The viewer may open a plan.
    pub writable: bool,
    /// The 法人番号 of the employer of the person's current job, to start the form with.
    pub employer_number: String,
}

/// A plan as one viewer may see it.
#[derive(Debug, Clone)]
pub struct ReworkView {
    /// The plan.
    pub plan: ReturnPlan,
    /// The person's name.
    pub name: String,
    /// The employer's 法人番号 and name.
    pub employer: (String, String),
    /// The viewer is staff of the plan's agency and may write the person's support data.
    pub writable: bool,
}

/// Days after its end a plan stays on the centre's list.
const LISTED_AFTER_END: i64 = 31;

/// What a plan's audit entries name.
const PLAN_FIELDS: [&str; 7] =
    ["corporate_number", "employer_contact", "doctor", "leave", "agreements", "warm_up", "outcome"];

impl App {
    /// The plans of the actor's agency running or ended within the last month; audited as one
    /// read of the agency's plans.
    pub async fn rework_home(&self, actor: &Account) -> Result<ReworkHome, AppError> {
        let agency = Self::acting_agency(actor)?;
        let since = self.today() - Duration::days(LISTED_AFTER_END);
        let basis = format!("own_case:{}", agency.0);
        let (plans, audited) = tokio::join!(
            self.store.return_plans_of_agency(agency, since),
            self.audit(
                Some(actor),
                "",
                AuditAction::Read,
                format!("return_plans:{}", agency.0),
                vec!["name".into(), "return_plans".into()],
                &basis
            )
        );
        audited?;
        Ok(ReworkHome { plans: plans.map_err(AppError::Store)? })
    }

    /// The person's plans, on the policy's decision to read their support data; audited on the
    /// person's record.
    pub async fn person_rework(&self, actor: &Account, person: PersonId) -> Result<PersonRework, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let record = format!("return_plans:{}", person.0);
        let basis = self.read_basis(actor, &file, record.clone()).await?;
        let stored = self.store.return_plans_of_person(person).await.map_err(AppError::Store)?;
        let fields = vec!["name".into(), "return_plans".into()];
        self.audit_person(actor, AuditAction::Read, record, person, fields, basis.audit_code()).await?;
        let mut plans = Vec::with_capacity(stored.len());
        for plan in stored {
            let employer = self.employer_name(plan.fields.employer).await?.1;
            plans.push((plan, employer));
        }
        let writable = self.may_write_journey(actor, &file).await?;
        let jobs = self.store.placements_of(person).await.map_err(AppError::Store)?;
        let employer_number = match jobs.iter().find(|p| p.is_open()) {
            Some(p) => self.employer_name(p.fields.employer).await?.0,
            None => String::new(),
        };
        Ok(PersonRework { name: file.person.fields.name.clone(), plans, writable, employer_number })
    }

    /// The plan checked: the employer by 法人番号, the rules of the domain.
    async fn checked_return_plan(
        &self,
        input: &ReturnPlanInput,
        corporate_number: &str,
    ) -> Result<ReturnPlanFields, AppError> {
        let mut p = Problems::new();
        let employer = self.employer_by_number(corporate_number, &mut p).await?;
        match input.validate(self.today(), employer) {
            Ok(fields) if p.is_empty() => Ok(fields),
            Ok(_) => Err(AppError::Invalid(p)),
            Err(more) => {
                p.extend(more);
                Err(AppError::Invalid(p))
            }
        }
    }

    /// Opens a return-to-work plan of the person for the actor's agency.
    pub async fn open_return_plan(
        &self,
        actor: &Account,
        person: PersonId,
        input: &ReturnPlanInput,
        corporate_number: &str,
    ) -> Result<ReturnPlanId, AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let fields = self.checked_return_plan(input, corporate_number).await?;
        let plan = ReturnPlan {
            id: ReturnPlanId(uuid::Uuid::now_v7()),
            prefecture: file.person.prefecture.clone(),
            person,
            agency,
            fields,
            recorded_by: actor.id,
            version: 1,
            updated_at: self.clock.now(),
        };
        let id = plan.id;
        let event = self.person_event(
            actor,
            AuditAction::Create,
            format!("return_plan:{}", id.0),
            person,
            PLAN_FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        self.commit(Commit::new(event).with(Change::SaveReturnPlan { plan: Box::new(plan), expected: None })).await?;
        Ok(id)
    }

    /// The plan and the person's file, for staff who may read it (`write`: and write it — staff
    /// of its agency); refusals are audited on the person.
    async fn return_plan_and_file(
        &self,
        actor: &Account,
        id: ReturnPlanId,
        write: bool,
    ) -> Result<(ReturnPlan, PersonFile, Basis), AppError> {
        let plan = self.store.return_plan(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let file = self.store.person_file(plan.person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.record_basis(actor, &file, plan.agency, write, format!("return_plan:{}", id.0)).await?;
        Ok((plan, file, basis))
    }

    /// A plan, on the policy's decision to read the person's support data; audited on the
    /// person's record.
    pub async fn rework_view(&self, actor: &Account, id: ReturnPlanId) -> Result<ReworkView, AppError> {
        let (plan, file, basis) = self.return_plan_and_file(actor, id, false).await?;
        let fields = ["name"].into_iter().chain(PLAN_FIELDS).map(String::from).collect();
        self.audit_person(
            actor,
            AuditAction::Read,
            format!("return_plan:{}", id.0),
            plan.person,
            fields,
            basis.audit_code(),
        )
        .await?;
        let writable = actor.agency == Some(plan.agency) && self.may_write_journey(actor, &file).await?;
        let employer = self.employer_name(plan.fields.employer).await?;
        Ok(ReworkView { name: file.person.fields.name.clone(), employer, writable, plan })
    }

    /// Changes a plan — the agreement, the warm-up as it goes, the outcome — from the version the
    /// form was loaded at.
    pub async fn edit_return_plan(
        &self,
        actor: &Account,
        id: ReturnPlanId,
        input: &ReturnPlanInput,
        corporate_number: &str,
        version: i64,
    ) -> Result<(), AppError> {
        let (stored, _, basis) = self.return_plan_and_file(actor, id, true).await?;
        if stored.version != version {
            return Err(invalid("employer_contact", "return_plan_changed"));
        }
        let fields = self.checked_return_plan(input, corporate_number).await?;
        let plan = ReturnPlan {
            fields,
            recorded_by: actor.id,
            version: version + 1,
            updated_at: self.clock.now(),
            ..stored.clone()
        };
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("return_plan:{}", id.0),
            stored.person,
            PLAN_FIELDS.map(String::from).to_vec(),
            basis.audit_code(),
        );
        let change = Change::SaveReturnPlan { plan: Box::new(plan), expected: Some(version) };
        match self.commit(Commit::new(event).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => {
                Err(invalid("employer_contact", "return_plan_changed"))
            }
            Err(e) => Err(e),
        }
    }
}
