//! The casework import page: an agency's list of persons (each with the consent they gave) and
//! its support records, from the CSV or Excel files it keeps today; and the empty files to start
//! from.

use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use fluent_templates::fluent_bundle::FluentValue;
use tsunagu_app::casework_import::{PERSON_COLUMNS, PERSON_REQUIRED, SUPPORT_COLUMNS, SUPPORT_REQUIRED, template_csv};
use tsunagu_app::{App, AppError};

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::upload::{UploadRefused, accept_upload, problem_rows};
use crate::web::views::{Layout, render};

/// A column as the page describes it.
struct ColumnRow {
    heading: String,
    code: &'static str,
    required: bool,
    hint: String,
}

/// One of the page's two files: its columns and its form.
struct Section {
    /// `persons` or `support`: the message keys' and the inputs' names.
    key: &'static str,
    columns: Vec<ColumnRow>,
    /// The empty file to start from.
    template: &'static str,
    /// Where the form posts.
    action: &'static str,
    /// The form offers to link possible duplicates.
    offers_links: bool,
}

#[derive(Template)]
#[template(path = "casework_import.html")]
struct CaseworkImportPage {
    layout: Layout,
    notice: Option<String>,
    problems: Vec<(String, String, String)>,
    /// The file input the error summary leads back to.
    problems_file: &'static str,
    sections: [Section; 2],
}

/// Which of the page's two forms was sent.
#[derive(Clone, Copy)]
enum Which {
    Persons,
    Support,
}

impl Which {
    fn file_input(self) -> &'static str {
        match self {
            Which::Persons => "persons-file",
            Which::Support => "support-file",
        }
    }
}

fn columns(ctx: &Ctx, known: &[(&'static str, &[&str])], required: &[&str], kind: &str) -> Vec<ColumnRow> {
    let tr = ctx.tr();
    known
        .iter()
        .map(|(field, names)| ColumnRow {
            heading: names[0].to_owned(),
            code: field,
            required: required.contains(field),
            hint: tr.get(&format!("casework-import-{kind}-{}", field.replace('_', "-"))),
        })
        .collect()
}

fn page(
    ctx: &Ctx,
    notice: Option<String>,
    problems: Vec<(String, String, String)>,
    which: Which,
) -> CaseworkImportPage {
    CaseworkImportPage {
        layout: ctx.layout(ctx.tr().get("casework-import-title")),
        notice,
        problems,
        problems_file: which.file_input(),
        sections: [
            Section {
                key: "persons",
                columns: columns(ctx, PERSON_COLUMNS, &PERSON_REQUIRED, "person"),
                template: "/persons/import/persons.csv",
                action: "/persons/import",
                offers_links: true,
            },
            Section {
                key: "support",
                columns: columns(ctx, SUPPORT_COLUMNS, &SUPPORT_REQUIRED, "support"),
                template: "/persons/import/support-records.csv",
                action: "/persons/import/support-records",
                offers_links: false,
            },
        ],
    }
}

/// The casework staff who import: the same who register persons.
fn importer(ctx: &Ctx) -> Result<&tsunagu_domain::account::Account, PageError> {
    let actor = ctx.require_account()?;
    if App::may_register(actor) { Ok(actor) } else { Err(PageError::forbidden(ctx)) }
}

/// `GET /persons/import`
pub async fn import_form(ctx: Ctx) -> PageResult {
    importer(&ctx)?;
    Ok(render(StatusCode::OK, &page(&ctx, None, vec![], Which::Persons)))
}

/// `POST /persons/import`: a file of persons.
pub async fn import_persons(State(state): State<AppState>, ctx: Ctx, multipart: Multipart) -> Response {
    import(state, ctx, multipart, Which::Persons).await
}

/// `POST /persons/import/support-records`: a file of support records.
pub async fn import_support_records(State(state): State<AppState>, ctx: Ctx, multipart: Multipart) -> Response {
    import(state, ctx, multipart, Which::Support).await
}

async fn import(state: AppState, ctx: Ctx, mut multipart: Multipart, which: Which) -> Response {
    let tr = ctx.tr();
    let refused = |problems| render(StatusCode::UNPROCESSABLE_ENTITY, &page(&ctx, None, problems, which));
    let (actor, bytes, fields) = match accept_upload(&ctx, &mut multipart).await {
        Ok(accepted) => accepted,
        Err(UploadRefused::Problems(problems)) => return refused(problems),
        Err(UploadRefused::Response(response)) => return response,
    };
    let notice = match which {
        Which::Persons => {
            let link = fields.iter().any(|(k, v)| k == "link_duplicates" && v == "yes");
            state.app.import_persons(actor, &bytes, link).await.map(|o| {
                tr.with(
                    "casework-import-persons-done",
                    &[
                        ("registered", FluentValue::from(o.registered)),
                        ("linked", FluentValue::from(o.linked)),
                        ("follow_ups", FluentValue::from(o.follow_ups)),
                    ],
                )
            })
        }
        Which::Support => state.app.import_support_records(actor, &bytes).await.map(|o| {
            tr.with(
                "casework-import-support-done",
                &[("records", FluentValue::from(o.records)), ("persons", FluentValue::from(o.persons))],
            )
        }),
    };
    match notice {
        Ok(notice) => render(StatusCode::OK, &page(&ctx, Some(notice), vec![], which)),
        Err(AppError::Import(problems)) => refused(problem_rows(&tr, &problems)),
        Err(e) => PageError::of(&ctx, e).into_response(),
    }
}

/// `GET /persons/import/persons.csv`: an empty persons file with every column.
pub async fn persons_template(ctx: Ctx) -> PageResult {
    template(&ctx, PERSON_COLUMNS, "persons.csv")
}

/// `GET /persons/import/support-records.csv`: an empty support-records file with every column.
pub async fn support_template(ctx: Ctx) -> PageResult {
    template(&ctx, SUPPORT_COLUMNS, "support-records.csv")
}

fn template(ctx: &Ctx, known: &[(&'static str, &[&str])], name: &str) -> PageResult {
    importer(ctx)?;
    let bytes = template_csv(known).map_err(|e| PageError::of(ctx, e))?;
    Ok(crate::web::views::download(bytes, "text/csv; charset=utf-8", name))
}
