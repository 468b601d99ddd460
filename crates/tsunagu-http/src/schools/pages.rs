//! The school's students (`/school`) and a person's enrolment (`/persons/{id}/school`).

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use tsunagu_app::AppError;
use tsunagu_app::schools::{PersonEnrolment, Student};
use tsunagu_domain::Problems;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::school::{Department, EnrolmentInput};
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person, person_form_actor};
use crate::programs::pages::year_text;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::Submitted;
use crate::web::i18n::Tr;
use crate::web::views::{Field, Layout, SelectOption, coded_options, date_text, errors_of, field, render};

/// A student as a row of the school's list.
struct StudentRow {
    id: Uuid,
    name: String,
    name_kana: String,
    /// 1年, or the graduation day.
    standing: String,
    entered: String,
    /// "2件".
    internships: String,
}

fn student_row(tr: Tr, s: &Student) -> StudentRow {
    let standing = match (s.grade, s.enrolment.fields.graduated_on) {
        (Some(grade), _) => tr.with("school-grade", &[("grade", grade.into())]),
        (None, Some(day)) => tr.with("school-graduated-on", &[("date", date_text(tr, day).into())]),
        (None, None) => String::new(),
    };
    StudentRow {
        id: s.enrolment.person.0,
        name: s.name.clone(),
        name_kana: s.name_kana.clone(),
        standing,
        entered: year_text(tr, s.enrolment.fields.entered),
        internships: tr.with("school-internships", &[("count", s.internships.into())]),
    }
}

/// A department with its students and its graduates, each list with its caption.
struct DepartmentView {
    name: String,
    students_caption: String,
    students: Vec<StudentRow>,
    graduates_caption: String,
    graduates: Vec<StudentRow>,
}

#[derive(Template)]
#[template(path = "school.html")]
struct StudentsPage {
    layout: Layout,
    departments: Vec<DepartmentView>,
    department_options: Vec<SelectOption>,
    standing_options: Vec<SelectOption>,
    /// Some filter is chosen.
    filtered: bool,
    /// How many the filters leave, when some is chosen.
    shown: String,
}

/// The list's filters: a department's code, and a year (`1`–`3`) or `graduates`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct StudentsQuery {
    department: String,
    standing: String,
}

/// The years a school's list is filtered by: 1年 to 3年 (高等部), then the graduates.
const STANDINGS: [&str; 4] = ["1", "2", "3", "graduates"];

/// `GET /school`: the school's students by department and year, then its graduates; narrowed to
/// a department and a year (or the graduates) when chosen.
pub async fn students(State(state): State<AppState>, ctx: Ctx, Query(query): Query<StudentsQuery>) -> PageResult {
    let actor = ctx.require_account()?;
    let tr = ctx.tr();
    let read = state.app.students(actor).await.map_err(|e| PageError::of(&ctx, e))?;
    let department = Department::ALL.into_iter().find(|d| d.code() == query.department);
    let standing = STANDINGS.into_iter().find(|s| *s == query.standing);
    let in_year = |s: &&Student| match standing {
        None | Some("graduates") => true,
        Some(year) => s.grade.is_some_and(|g| g.to_string() == year),
    };
    let departments: Vec<DepartmentView> = read
        .departments
        .iter()
        .filter(|(d, _, _)| department.is_none_or(|chosen| chosen == *d))
        .map(|(d, students, graduates)| DepartmentView {
            name: d.name().to_owned(),
            students_caption: tr.with("school-students-of", &[("department", d.name().into())]),
            students: match standing {
                Some("graduates") => Vec::new(),
                _ => students.iter().filter(in_year).map(|s| student_row(tr, s)).collect(),
            },
            graduates_caption: tr.with("school-graduates-of", &[("department", d.name().into())]),
            graduates: match standing {
                None | Some("graduates") => graduates.iter().map(|s| student_row(tr, s)).collect(),
                Some(_) => Vec::new(),
            },
        })
        .filter(|d| standing.is_none() || !d.students.is_empty() || !d.graduates.is_empty())
        .collect();
    let count: usize = departments.iter().map(|d| d.students.len() + d.graduates.len()).sum();
    let present: Vec<Department> = read.departments.iter().map(|(d, _, _)| *d).collect();
    let department_options = present
        .iter()
        .map(|d| SelectOption {
            value: d.code().to_owned(),
            label: d.name().to_owned(),
            selected: Some(*d) == department,
        })
        .collect();
    let standing_options = STANDINGS
        .iter()
        .map(|s| SelectOption {
            value: (*s).to_owned(),
            label: match *s {
                "graduates" => tr.get("school-graduates"),
                year => tr.with("school-grade", &[("grade", year.into())]),
            },
            selected: Some(*s) == standing,
        })
        .collect();
    let title = tr.with("school-title", &[("year", year_text(tr, read.year).into())]);
    let page = StudentsPage {
        layout: ctx.layout(title),
        departments,
        department_options,
        standing_options,
        filtered: department.is_some() || standing.is_some(),
        shown: tr.with("school-shown", &[("count", count.into())]),
    };
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "enrolment.html")]
struct EnrolmentPage {
    layout: Layout,
    id: Uuid,
    notice: Option<String>,
    /// The enrolment's facts, when there is one.
    facts: Vec<(String, String)>,
    writable: bool,
    version: Option<i64>,
    errors: Vec<(String, String)>,
    department: Field,
    department_options: Vec<SelectOption>,
    entered_year: Field,
    graduated_on: Field,
}

fn enrolment_page(
    ctx: &Ctx,
    id: PersonId,
    read: &PersonEnrolment,
    input: Option<&EnrolmentInput>,
    problems: &Problems,
    notice: Option<String>,
) -> EnrolmentPage {
    let tr = ctx.tr();
    let stored = read.enrolment.as_ref();
    let typed = input.cloned().unwrap_or_else(|| match stored {
        Some((e, _)) => EnrolmentInput {
            department: e.fields.department.code().to_owned(),
            entered_year: e.fields.entered.0.to_string(),
            graduated_on: e.fields.graduated_on.map(|d| d.to_string()).unwrap_or_default(),
        },
        None => EnrolmentInput::default(),
    });
    let mut facts = Vec::new();
    if let Some((e, school)) = stored {
        facts.push((tr.get("school-school"), school.clone()));
        facts.push((tr.field("department"), e.fields.department.name().to_owned()));
        facts.push((tr.field("entered_year"), year_text(tr, e.fields.entered)));
        let standing = match (read.grade, e.fields.graduated_on) {
            (Some(grade), _) => tr.with("school-grade", &[("grade", grade.into())]),
            (None, Some(day)) => tr.with("school-graduated-on", &[("date", date_text(tr, day).into())]),
            (None, None) => tr.get("school-left"),
        };
        facts.push((tr.get("school-standing"), standing));
    }
    let text = |name: &'static str, value: &str, kind: &'static str, max: u32, required: bool| {
        field(tr, problems, name, value, kind, max, required)
    };
    EnrolmentPage {
        layout: ctx.layout(tr.with("school-enrolment-title", &[("name", read.name.as_str().into())])),
        id: id.0,
        notice,
        facts,
        writable: read.writable,
        version: stored.map(|(e, _)| e.version),
        errors: errors_of(tr, problems),
        department: text("department", &typed.department, "radio", 0, true),
        department_options: coded_options(
            tr,
            &Department::ALL,
            Department::code,
            "department",
            std::slice::from_ref(&typed.department),
        ),
        entered_year: text("entered_year", &typed.entered_year, "text", 10, true),
        graduated_on: text("graduated_on", &typed.graduated_on, "date", 10, false),
    }
}

async fn show(
    state: &AppState,
    ctx: &Ctx,
    id: PersonId,
    input: Option<&EnrolmentInput>,
    problems: &Problems,
    notice: Option<String>,
    status: StatusCode,
) -> PageResult {
    let actor = ctx.require_account()?;
    let read = match state.app.person_enrolment(actor, id).await {
        Ok(read) => read,
        Err(AppError::Denied(denial)) => return Err(denied_response(ctx, id, denial)),
        Err(e) => return Err(PageError::of(ctx, e)),
    };
    Ok(render(status, &enrolment_page(ctx, id, &read, input, problems, notice)))
}

/// What a redirect leaves behind.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EnrolmentFlash {
    saved: Option<String>,
}

/// `GET /persons/{id}/school`
pub async fn enrolment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(flash): Query<EnrolmentFlash>,
) -> PageResult {
    let id = parse_person(&ctx, &id)?;
    let notice = flash.saved.map(|_| ctx.tr().get("school-saved"));
    show(&state, &ctx, id, None, &Problems::new(), notice, StatusCode::OK).await
}

/// The enrolment form as submitted.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EnrolmentForm {
    csrf: Option<String>,
    version: Option<i64>,
    department: String,
    entered_year: String,
    graduated_on: String,
}

/// `POST /persons/{id}/school`
pub async fn record_enrolment(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Submitted(form): Submitted<EnrolmentForm>,
) -> PageResult {
    let (actor, id) = person_form_actor(&ctx, form.csrf.as_deref(), &id)?;
    let input = EnrolmentInput {
        department: form.department,
        entered_year: form.entered_year,
        graduated_on: form.graduated_on,
    };
    match state.app.record_enrolment(actor, id, &input, form.version).await {
        Ok(()) => Ok(Redirect::to(&format!("/persons/{}/school?saved=1", id.0)).into_response()),
        Err(AppError::Invalid(problems)) => {
            show(&state, &ctx, id, Some(&input), &problems, None, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(AppError::Denied(denial)) => Err(denied_response(&ctx, id, denial)),
        Err(e) => Err(PageError::of(&ctx, e)),
    }
}
