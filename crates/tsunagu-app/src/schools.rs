//! Students of special-needs schools: the school that holds a student's case records their
//! department, the year they entered and the day they graduated; its staff see their students by
//! department and year; the graduates' employment rate is counted for program 3-2.
//!
//! An enrolment is personal data: it is written through the audited commit on the person's
//! record, read on the access policy's decision, and in the person's disclosure.

use tsunagu_domain::access::Action;
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::{DataCategory, Purpose};
use tsunagu_domain::directory::{AgencyId, AgencyKind};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::program::FiscalYear;
use tsunagu_domain::school::{Department, Enrolment, EnrolmentInput};
use tsunagu_store::{Change, Commit};

use crate::persons::{invalid, next_version};
use crate::{App, AppError};

/// A school's student as its staff see them.
#[derive(Debug, Clone)]
pub struct Student {
    /// The enrolment.
    pub enrolment: Enrolment,
    /// 氏名.
    pub name: String,
    /// ふりがな.
    pub name_kana: String,
    /// Their year this fiscal year (none once graduated).
    pub grade: Option<u8>,
    /// Internships and tours they were placed into (withdrawn ones not counted).
    pub internships: i64,
}

/// A school's students, by department: those in each year, then the graduates.
#[derive(Debug, Clone)]
pub struct Students {
    /// The school.
    pub school: AgencyId,
    /// This fiscal year.
    pub year: FiscalYear,
    /// Per department with any, its students (the youngest year first, then by reading) and its
    /// graduates (the latest first).
    pub departments: Vec<(Department, Vec<Student>, Vec<Student>)>,
}

/// A person's enrolment as one viewer may see it.
#[derive(Debug, Clone)]
pub struct PersonEnrolment {
    /// The person's name.
    pub name: String,
    /// Their enrolment, if a school recorded one, with the school's name.
    pub enrolment: Option<(Enrolment, String)>,
    /// Their year this fiscal year.
    pub grade: Option<u8>,
    /// The viewer is staff of the school that holds the person's case, and may write it.
    pub writable: bool,
}

impl App {
    /// The actor's agency, if it is a special-needs school.
    async fn school_of(&self, actor: &Account) -> Result<Option<AgencyId>, AppError> {
        let Some(agency) = actor.agency else { return Ok(None) };
        let index = self.directory().await?;
        Ok(index.agency(agency).is_some_and(|a| a.kind == AgencyKind::SpecialNeedsSchool).then_some(agency))
    }

    /// The students and graduates of the actor's school, by department and year, for its staff;
    /// the list is audited as one read of the school's students.
    pub async fn students(&self, actor: &Account) -> Result<Students, AppError> {
        let school = match self.school_of(actor).await? {
            Some(school) if Self::may_register(actor) => school,
            _ => return Err(AppError::Forbidden),
        };
        let year = FiscalYear::of(self.today());
        let fields =
            ["name", "name_kana", "department", "entered_year", "graduated_on", "bookings"].map(String::from).to_vec();
        let basis = format!("own_case:{}", school.0);
        let (rows, audited) = tokio::join!(
            self.store.students_of(school),
            self.audit(Some(actor), "", AuditAction::Read, format!("students:{}", school.0), fields, &basis)
        );
        audited?;
        let mut departments: Vec<(Department, Vec<Student>, Vec<Student>)> = Vec::new();
        for (enrolment, name, name_kana, internships) in rows.map_err(AppError::Store)? {
            let grade = enrolment.grade(year);
            let department = enrolment.fields.department;
            let student = Student { enrolment, name, name_kana, grade, internships };
            let at = match departments.iter().position(|(d, _, _)| *d == department) {
                Some(at) => at,
                None => {
                    departments.push((department, Vec::new(), Vec::new()));
                    departments.len() - 1
                }
            };
            let (_, students, graduates) = &mut departments[at];
            if student.enrolment.fields.graduated_on.is_some() && student.grade.is_none() {
                graduates.push(student);
            } else {
                students.push(student);
            }
        }
        for (_, students, graduates) in &mut departments {
            students.sort_by(|a, b| a.grade.cmp(&b.grade).then_with(|| a.name_kana.cmp(&b.name_kana)));
            graduates.sort_by_key(|g| std::cmp::Reverse(g.enrolment.fields.graduated_on));
        }
        Ok(Students { school, year, departments })
    }

    /// A person's enrolment, on the access policy's decision to read their record; the read is
    /// audited on the person's record.
    pub async fn person_enrolment(&self, actor: &Account, person: PersonId) -> Result<PersonEnrolment, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = match self.decide_for(actor, &file, Action::Read, DataCategory::Basic, Purpose::ALL, None).await? {
            Ok(basis) => basis,
            Err(denial) => return Err(self.refuse(actor, person, format!("enrolment:{}", person.0), denial).await),
        };
        let enrolment = self.store.enrolment(person).await.map_err(AppError::Store)?;
        let fields = vec!["name".into(), "enrolment".into()];
        self.audit_person(
            actor,
            AuditAction::Read,
            format!("enrolment:{}", person.0),
            person,
            fields,
            basis.audit_code(),
        )
        .await?;
        let school = self.school_of(actor).await?;
        let writable = Self::may_register(actor)
            && school.is_some_and(|s| file.cases.iter().any(|c| c.agency == s && c.closed_on.is_none()));
        let index = self.directory().await?;
        let grade = enrolment.as_ref().and_then(|e| e.grade(FiscalYear::of(self.today())));
        let enrolment = enrolment.map(|e| {
            let name = index.agency(e.school).map(|a| a.name.clone()).unwrap_or_default();
            (e, name)
        });
        Ok(PersonEnrolment { name: file.person.fields.name, enrolment, grade, writable })
    }

    /// Records the person's enrolment at the actor's school — which must hold their case — or
    /// edits it from the version the form was loaded at (`None` for a first one).
    pub async fn record_enrolment(
        &self,
        actor: &Account,
        person: PersonId,
        input: &EnrolmentInput,
        version: Option<i64>,
    ) -> Result<(), AppError> {
        let Some(school) = self.school_of(actor).await?.filter(|_| Self::may_register(actor)) else {
            return Err(AppError::Forbidden);
        };
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Basic).await?;
        if !file.cases.iter().any(|c| c.agency == school && c.closed_on.is_none()) {
            return Err(invalid("department", "not_a_student_here"));
        }
        let fields = input.validate(self.today()).map_err(AppError::Invalid)?;
        let stored = self.store.enrolment(person).await.map_err(AppError::Store)?;
        let Some(next) = next_version(stored.map(|e| e.version), version) else {
            return Err(invalid("department", "enrolment_changed"));
        };
        let enrolment = Enrolment {
            person,
            prefecture: file.person.prefecture.clone(),
            school,
            fields,
            recorded_by: actor.id,
            version: next,
            updated_at: self.clock.now(),
        };
        let action = if version.is_some() { AuditAction::Update } else { AuditAction::Create };
        let event = self.person_event(
            actor,
            action,
            format!("enrolment:{}", person.0),
            person,
            ["department", "entered_year", "graduated_on"].map(String::from).to_vec(),
            basis.audit_code(),
        );
        let change = Change::SaveEnrolment { enrolment: Box::new(enrolment), expected: version };
        self.commit_one_per_person(Commit::new(event).with(change), "department", "enrolment_changed").await
    }
}
