//! Students of special-needs schools' upper secondary departments (特別支援学校高等部): the
//! department a student is in (就業技術科, 職能開発科, …), the fiscal year they entered — from
//! which their year follows — and the day they graduated; and the graduates' employment rate by
//! school and department that program 3-2 of the seed reports.
//!
//! A student's enrolment is written by the school that holds their case. A graduate counts as
//! employed when a job of general employment or at a special subsidiary (一般就労; 就労継続支援A型
//! is welfare employment and does not count) starts within [`HIRED_WITHIN_DAYS`] days of the
//! graduation day, before it or after: students are hired on 1 April, after a March graduation.

use serde::{Deserialize, Serialize};
use time::{Date, Duration, OffsetDateTime};

use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::person::{PersonId, past_date};
use crate::placement::PlacementKind;
use crate::program::FiscalYear;
use crate::validation::Problems;

/// The department of the upper secondary school a student is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Department {
    /// 就業技術科: for students with a mild intellectual disability, every one aiming at work.
    EmploymentSkills,
    /// 職能開発科: vocational skills, in the schools that opened it.
    VocationalDevelopment,
    /// 普通科.
    General,
}

impl Department {
    /// Every department.
    pub const ALL: [Self; 3] = [Self::EmploymentSkills, Self::VocationalDevelopment, Self::General];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::EmploymentSkills => "employment_skills",
            Self::VocationalDevelopment => "vocational_development",
            Self::General => "general",
        }
    }

    /// Its name as schools and the seed write it.
    pub fn name(self) -> &'static str {
        match self {
            Self::EmploymentSkills => "就業技術科",
            Self::VocationalDevelopment => "職能開発科",
            Self::General => "普通科",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.code() == raw.trim())
    }
}

/// Years of the upper secondary department.
pub const YEARS: i32 = 3;

/// Days from the graduation day, either side, within which a job's start counts it as found.
pub const HIRED_WITHIN_DAYS: i64 = 92;

/// What a school records of a student.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentFields {
    /// The department.
    pub department: Department,
    /// The fiscal year they entered.
    pub entered: FiscalYear,
    /// The day they graduated, once they did.
    pub graduated_on: Option<Date>,
}

/// A student's enrolment as stored: one per person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolment {
    /// The student.
    pub person: PersonId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// The school.
    pub school: AgencyId,
    /// Department, year entered, graduation.
    pub fields: EnrolmentFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

impl Enrolment {
    /// The year (学年, 1–3) the student is in in fiscal year `year`; none once graduated or out
    /// of the department's years.
    pub fn grade(&self, year: FiscalYear) -> Option<u8> {
        if self.fields.graduated_on.is_some_and(|g| FiscalYear::of(g) < year) {
            return None;
        }
        let grade = year.0 - self.fields.entered.0 + 1;
        u8::try_from(grade).ok().filter(|_| (1..=YEARS).contains(&grade))
    }
}

/// The enrolment form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EnrolmentInput {
    /// The department's code.
    pub department: String,
    /// The fiscal year entered: 2024, 令和6年度, R6.
    pub entered_year: String,
    /// The graduation day; empty while a student.
    pub graduated_on: String,
}

impl EnrolmentInput {
    /// Checks the form on `today`: a department; a year entered not ahead of this one and no
    /// earlier than a graduation could make sense of; a graduation day not in the future and
    /// not before the year entered began.
    pub fn validate(&self, today: Date) -> Result<EnrolmentFields, Problems> {
        let mut p = Problems::new();
        let department = match self.department.trim() {
            "" => {
                p.add("department", "required");
                None
            }
            raw => Department::parse(raw).or_else(|| {
                p.add("department", "unknown_code");
                None
            }),
        };
        let entered = match FiscalYear::parse(&self.entered_year) {
            Ok(y) if y > FiscalYear::of(today) => {
                p.add("entered_year", "entered_in_future");
                None
            }
            Ok(y) => Some(y),
            Err(code) => {
                p.add("entered_year", code);
                None
            }
        };
        let graduated_on = if self.graduated_on.trim().is_empty() {
            None
        } else {
            past_date(&mut p, "graduated_on", &self.graduated_on, today)
        };
        if let (Some(e), Some(g)) = (entered, graduated_on)
            && FiscalYear::of(g) < e
        {
            p.add("graduated_on", "graduated_before_entering");
        }
        match (department, entered) {
            (Some(department), Some(entered)) if p.is_empty() => {
                Ok(EnrolmentFields { department, entered, graduated_on })
            }
            _ => Err(p),
        }
    }
}

/// Whether a graduate who graduated on `graduated_on` found work: a job of general employment
/// or at a special subsidiary starting within [`HIRED_WITHIN_DAYS`] of it.
pub fn found_work(graduated_on: Date, jobs: &[(Date, PlacementKind)]) -> bool {
    let window = Duration::days(HIRED_WITHIN_DAYS);
    jobs.iter().any(|(starts, kind)| {
        *kind != PlacementKind::TypeA && *starts >= graduated_on - window && *starts <= graduated_on + window
    })
}

/// Graduates and those who found work, of one school's department in one fiscal year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Graduates {
    /// Graduated that year.
    pub graduated: i64,
    /// Of whom found work.
    pub employed: i64,
}

impl Graduates {
    /// The employment rate in whole percent, rounded half up; none without graduates.
    pub fn rate(self) -> Option<i64> {
        (self.graduated > 0).then(|| (self.employed * 200 + self.graduated) / (self.graduated * 2))
    }
}

/// Per fiscal year of graduation and per (school, department), the graduates and those who
/// found work; `graduates` gives each graduate's enrolment with the starts and kinds of their
/// jobs.
pub fn graduates_by_year<'a>(
    graduates: impl IntoIterator<Item = (&'a Enrolment, &'a [(Date, PlacementKind)])>,
) -> std::collections::BTreeMap<(FiscalYear, AgencyId, Department), Graduates> {
    let mut out: std::collections::BTreeMap<_, Graduates> = std::collections::BTreeMap::new();
    for (e, jobs) in graduates {
        let Some(day) = e.fields.graduated_on else { continue };
        let g = out.entry((FiscalYear::of(day), e.school, e.fields.department)).or_default();
        g.graduated += 1;
        g.employed += i64::from(found_work(day, jobs));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};
    use uuid::Uuid;

    const TODAY: Date = date!(2026 - 12 - 07);

    fn codes(p: &Problems) -> Vec<(&str, &str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    fn enrolment(n: u128, fields: EnrolmentFields) -> Enrolment {
        Enrolment {
            person: PersonId(Uuid::from_u128(n)),
            prefecture: "13".into(),
            school: AgencyId(Uuid::from_u128(500)),
            fields,
            recorded_by: AccountId(Uuid::from_u128(1)),
            version: 1,
            updated_at: datetime!(2026-12-01 9:00 UTC),
        }
    }

    #[test]
    fn the_form_names_each_problem_and_reads_a_year_as_offices_write_it() {
        let typed = EnrolmentInput {
            department: "employment_skills".into(),
            entered_year: "令和6年度".into(),
            graduated_on: String::new(),
        };
        let fields = typed.validate(TODAY).expect("valid");
        assert_eq!(
            (fields.department, fields.entered, fields.graduated_on),
            (Department::EmploymentSkills, FiscalYear(2024), None)
        );
        let bad = EnrolmentInput {
            department: "science".into(),
            entered_year: "2027".into(),
            graduated_on: "2030-03-01".into(),
        };
        assert_eq!(
            codes(&bad.validate(TODAY).expect_err("bad")),
            [("department", "unknown_code"), ("entered_year", "entered_in_future"), ("graduated_on", "date_in_future")]
        );
        let early = EnrolmentInput { graduated_on: "2024-03-15".into(), ..typed };
        assert_eq!(codes(&early.validate(TODAY).expect_err("early")), [("graduated_on", "graduated_before_entering")]);
    }

    #[test]
    fn a_student_is_in_the_year_their_entry_gives_until_they_graduate() {
        let fields = EnrolmentFields { department: Department::General, entered: FiscalYear(2024), graduated_on: None };
        let e = enrolment(1, fields.clone());
        assert_eq!([2024, 2025, 2026, 2027].map(|y| e.grade(FiscalYear(y))), [Some(1), Some(2), Some(3), None]);
        let graduated = enrolment(2, EnrolmentFields { graduated_on: Some(date!(2027 - 03 - 15)), ..fields });
        assert_eq!(graduated.grade(FiscalYear(2026)), Some(3), "in their last year until it ends");
        assert_eq!(graduated.grade(FiscalYear(2027)), None);
    }

    #[test]
    fn a_graduate_found_work_with_a_job_near_graduation_and_not_in_welfare_employment() {
        let day = date!(2026 - 03 - 13);
        assert!(found_work(day, &[(date!(2026 - 04 - 01), PlacementKind::General)]));
        assert!(found_work(day, &[(date!(2026 - 04 - 01), PlacementKind::SpecialSubsidiary)]));
        assert!(!found_work(day, &[(date!(2026 - 04 - 01), PlacementKind::TypeA)]), "A型 is welfare employment");
        assert!(!found_work(day, &[(date!(2026 - 09 - 01), PlacementKind::General)]), "half a year later");
        assert!(!found_work(day, &[]));
    }

    #[test]
    fn graduates_count_by_year_school_and_department_with_a_rounded_rate() {
        let fields = |g| EnrolmentFields {
            department: Department::EmploymentSkills,
            entered: FiscalYear(2023),
            graduated_on: Some(g),
        };
        let hired: &[(Date, PlacementKind)] = &[(date!(2026 - 04 - 01), PlacementKind::General)];
        let rows = [
            (enrolment(1, fields(date!(2026 - 03 - 13))), hired),
            (enrolment(2, fields(date!(2026 - 03 - 13))), hired),
            (enrolment(3, fields(date!(2026 - 03 - 13))), &[][..]),
            (enrolment(4, EnrolmentFields { graduated_on: None, ..fields(date!(2026 - 03 - 13)) }), hired),
        ];
        let counts = graduates_by_year(rows.iter().map(|(e, j)| (e, *j)));
        let g = counts[&(FiscalYear(2025), AgencyId(Uuid::from_u128(500)), Department::EmploymentSkills)];
        assert_eq!((g, g.rate()), (Graduates { graduated: 3, employed: 2 }, Some(67)), "a student is not a graduate");
        assert_eq!(Graduates::default().rate(), None);
    }
}
