//! The pages of documents: the form that attaches one, the download, the removal; and the rows
//! the person's page lists them in.

use askama::Template;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use tsunagu_app::AppError;
use tsunagu_app::documents::{DocumentForm, VisibleDocument};
use tsunagu_app::index::DirectoryIndex;
use tsunagu_domain::Problems;
use tsunagu_domain::document::{AgencyDocument, Document, DocumentId, DocumentInput, DocumentKind, MAX_TITLE};
use tsunagu_domain::person::PersonId;
use uuid::Uuid;

use crate::AppState;
use crate::persons::pages::{denied_response, parse_person};
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::form::{CsrfOnly, Submitted};
use crate::web::i18n::Tr;
use crate::web::upload::{Upload, read_upload};
use crate::web::views::{Field, Layout, SelectOption, date_text, download, field, render};

/// A document as a row of the person's page.
pub(crate) struct DocumentRow {
    /// Id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Kind, in words.
    pub kind: String,
    /// Name, type and size of the file (「同意書.pdf（PDF、1.2 MB）」).
    pub file: String,
    /// The agency that attached it.
    pub agency: String,
    /// When, in words.
    pub uploaded: String,
    /// The viewer's agency attached it and may remove it.
    pub removable: bool,
}

/// A size in words: bytes, KB or MB (1,000-based, as file managers show them).
pub(crate) fn size_text(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{} KB", bytes.div_ceil(1_000)),
        _ => format!("{:.1} MB", bytes as f64 / 1_000_000.0),
    }
}

/// The rows of the documents a viewer may see; `writable` when the viewer may change the record.
pub(crate) fn document_rows(
    tr: Tr,
    index: &DirectoryIndex,
    documents: &[VisibleDocument],
    writable: bool,
) -> Vec<DocumentRow> {
    documents
        .iter()
        .rev()
        .map(|v| {
            let d = &v.document;
            DocumentRow {
                id: d.id.0,
                title: d.title.clone(),
                kind: tr.get(&format!("document-kind-{}", d.kind.code())),
                file: format!("{}（{}、{}）", d.file_name, d.file_type.extension().to_uppercase(), size_text(d.size)),
                agency: index.agency(d.agency).map(|a| a.name.clone()).unwrap_or_default(),
                uploaded: date_text(tr, tsunagu_app::clock::tokyo_date(d.uploaded_at)),
                removable: writable && v.own,
            }
        })
        .collect()
}

/// What the attach form was opened with (from a consent's row: its scan).
#[derive(Debug, Default, serde::Deserialize)]
pub struct DocumentQuery {
    kind: Option<String>,
    consent: Option<String>,
}

#[derive(Template)]
#[template(path = "document_form.html")]
struct DocumentFormPage {
    layout: Layout,
    id: Uuid,
    errors: Vec<(String, String)>,
    kind: Field,
    kinds: Vec<SelectOption>,
    title: Field,
    consent: Field,
    consents: Vec<SelectOption>,
    file: Field,
}

/// The fields of the form, in the order they stand on it.
const FORM_FIELDS: [&str; 4] = ["kind", "title", "consent", "file"];

async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    id: PersonId,
    form: &DocumentForm,
    typed: (&str, &str, &str),
    problems: &Problems,
) -> Result<DocumentFormPage, AppError> {
    let tr = ctx.tr();
    let (kind, title, consent) = typed;
    let kinds = form
        .kinds
        .iter()
        .map(|k| SelectOption {
            value: k.code().into(),
            label: tr.get(&format!("document-kind-{}", k.code())),
            selected: k.code() == kind,
        })
        .collect();
    let mut consents = Vec::new();
    for record in &form.consents {
        let c = &record.consent;
        let name = state.app.recipient_name(&c.recipient).await?;
        let value = c.id.0.to_string();
        let from = date_text(tr, c.valid_from);
        consents.push(SelectOption {
            label: tr.with("document-consent-option", &[("recipient", name.into()), ("from", from.into())]),
            selected: value == consent,
            value,
        });
    }
    let errors = FORM_FIELDS
        .iter()
        .filter_map(|name| {
            problems.for_field(name).map(|p| ((*name).to_owned(), tr.problem(p.field, false, p.code, p.limit)))
        })
        .collect();
    Ok(DocumentFormPage {
        layout: ctx.layout(tr.with("document-new-title", &[("name", form.name.clone().into())])),
        id: id.0,
        errors,
        kind: field(tr, problems, "kind", kind, "text", 0, true),
        kinds,
        title: field(tr, problems, "title", title, "text", MAX_TITLE, false),
        consent: field(tr, problems, "consent", consent, "text", 0, false),
        consents,
        file: field(tr, problems, "file", "", "file", 0, true),
    })
}

fn refused(ctx: &Ctx, id: PersonId, e: AppError) -> PageError {
    match e {
        AppError::Denied(denial) => denied_response(ctx, id, denial),
        e => PageError::of(ctx, e),
    }
}

/// `GET /persons/{id}/documents/new`: the form, for those who may attach a document.
pub async fn new_document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<DocumentQuery>,
) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_person(&ctx, &id)?;
    let form = state.app.document_form(actor, id).await.map_err(|e| refused(&ctx, id, e))?;
    let kind = q.kind.as_deref().filter(|k| DocumentKind::parse(k).is_some()).unwrap_or_default();
    let consent = q.consent.as_deref().unwrap_or_default();
    let page = form_page(&state, &ctx, id, &form, (kind, "", consent), &Problems::new())
        .await
        .map_err(|e| PageError::of(&ctx, e))?;
    Ok(render(StatusCode::OK, &page))
}

/// A document form as sent by a signed-in account with the form's token, and the problem to show
/// on the file when it was too large to be read at all (the rest of the form is kept).
async fn document_upload<'c>(
    ctx: &'c Ctx,
    multipart: &mut Multipart,
) -> Result<(&'c tsunagu_domain::account::Account, Upload, Option<Problems>), PageError> {
    let (upload, cut) = read_upload(multipart).await;
    // A body over the limit may be refused before its first field is read: then the form's token
    // is unknown, and the reader is told what was wrong rather than that the page expired.
    if cut.is_some() && upload.csrf.is_none() {
        ctx.require_account()?;
        return Err(PageError::file_too_large(ctx));
    }
    let actor = ctx.authorize_form(upload.csrf.as_deref())?;
    let too_large = cut.map(|code| {
        let mut p = Problems::new();
        p.push(tsunagu_domain::Problem { field: "file", code, limit: Some(10) });
        p
    });
    Ok((actor, upload, too_large))
}

/// `POST /persons/{id}/documents` (multipart): attaches the file, or shows the form again with
/// what was typed and every problem (the file must be chosen again: browsers never refill one).
pub async fn attach_document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> PageResult {
    let (actor, upload, too_large) = document_upload(&ctx, &mut multipart).await?;
    let id = parse_person(&ctx, &id)?;
    let (kind, title, consent) = (upload.field("kind"), upload.field("title"), upload.field("consent"));
    let problems = if let Some(problems) = too_large {
        problems
    } else {
        let content = upload.file.as_deref().unwrap_or_default();
        let input = DocumentInput {
            kind: kind.into(),
            title: title.into(),
            consent: consent.into(),
            file_name: upload.file_name.clone(),
            content,
        };
        match state.app.attach_document(actor, id, &input).await {
            Ok(_) => return Ok(Redirect::to(&format!("/persons/{}?attached=1#documents", id.0)).into_response()),
            Err(AppError::Invalid(problems)) => problems,
            Err(e) => return Err(refused(&ctx, id, e)),
        }
    };
    let form = state.app.document_form(actor, id).await.map_err(|e| refused(&ctx, id, e))?;
    let page = form_page(&state, &ctx, id, &form, (kind, title, consent), &problems)
        .await
        .map_err(|e| PageError::of(&ctx, e))?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &page))
}

/// `GET /persons/{id}/documents/{document}`: the file, as a download under its safe name, never
/// shown in the browser; the read is audited first.
pub async fn download_document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, document)): Path<(String, String)>,
) -> PageResult {
    let actor = ctx.require_account()?;
    let id = parse_person(&ctx, &id)?;
    let document = parse_document(&ctx, &document)?;
    let (document, content) =
        state.app.download_document(actor, id, document).await.map_err(|e| refused(&ctx, id, e))?;
    Ok(file_response(&document, content))
}

/// A document's file as a download: its type, its safe name, never inline, never cached, never
/// sniffed or run as a page.
pub(crate) fn file_response(document: &Document, content: Vec<u8>) -> Response {
    attachment(document.file_type, &document.file_name, content)
}

/// A stored file as a download: its type, its safe name, never inline, never cached, never
/// sniffed or run as a page.
fn attachment(file_type: tsunagu_domain::document::FileType, file_name: &str, content: Vec<u8>) -> Response {
    let mut response = download(content, file_type.media_type(), file_name);
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    response
}

/// `POST /persons/{id}/documents/{document}/remove`
pub async fn remove_document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, document)): Path<(String, String)>,
    Submitted(form): Submitted<CsrfOnly>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = parse_person(&ctx, &id)?;
    let document = parse_document(&ctx, &document)?;
    state.app.remove_document(actor, id, document).await.map_err(|e| refused(&ctx, id, e))?;
    Ok(Redirect::to(&format!("/persons/{}?removed=1#documents", id.0)).into_response())
}

// ---------------------------------------------------------------------------------------------
// An agency's documents

/// A document as the agency page lists it.
pub(crate) struct AgencyDocumentRow {
    /// Id.
    pub id: Uuid,
    /// Title.
    pub title: String,
    /// Name, type and size of the file.
    pub file: String,
    /// When it was put on the page, in words.
    pub uploaded: String,
}

/// The rows of an agency's documents, newest first.
pub(crate) fn agency_document_rows(tr: Tr, documents: &[AgencyDocument]) -> Vec<AgencyDocumentRow> {
    documents
        .iter()
        .rev()
        .map(|d| AgencyDocumentRow {
            id: d.id.0,
            title: d.title.clone(),
            file: format!("（{}、{}）", d.file_type.extension().to_uppercase(), size_text(d.size)),
            uploaded: date_text(tr, tsunagu_app::clock::tokyo_date(d.uploaded_at)),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "agency_document_form.html")]
struct AgencyDocumentFormPage {
    layout: Layout,
    id: Uuid,
    errors: Vec<(String, String)>,
    title: Field,
    file: Field,
}

fn agency_form_page(
    ctx: &Ctx,
    agency: &tsunagu_domain::directory::Agency,
    title: &str,
    problems: &Problems,
) -> AgencyDocumentFormPage {
    let tr = ctx.tr();
    let errors = ["title", "file"]
        .iter()
        .filter_map(|name| {
            problems.for_field(name).map(|p| ((*name).to_owned(), tr.problem(p.field, false, p.code, p.limit)))
        })
        .collect();
    let mut file = field(tr, problems, "file", "", "file", 0, true);
    file.hint = Some(tr.get("hint-file"));
    AgencyDocumentFormPage {
        layout: ctx.layout(tr.with("agency-document-new-title", &[("name", agency.fields.name.clone().into())])),
        id: agency.id.0,
        errors,
        title: field(tr, problems, "title", title, "text", MAX_TITLE, false),
        file,
    }
}

/// A document's id from a path: anything else is a page that does not exist.
fn parse_document(ctx: &Ctx, raw: &str) -> Result<DocumentId, PageError> {
    Uuid::parse_str(raw).map(DocumentId).map_err(|_| PageError::not_found(ctx))
}

/// `GET /agencies/{id}/documents/new`: the form, for those who may edit the agency.
pub async fn new_agency_document(State(state): State<AppState>, ctx: Ctx, Path(id): Path<String>) -> PageResult {
    let actor = ctx.require_account()?;
    let id = crate::directory::pages::parse_id(&ctx, &id)?;
    let agency = state.app.agency(id).await.map_err(|e| PageError::of(&ctx, e))?;
    if !state.app.may_edit_agency(actor, id).await.map_err(|e| PageError::of(&ctx, e))? {
        return Err(PageError::forbidden(&ctx));
    }
    Ok(render(StatusCode::OK, &agency_form_page(&ctx, &agency, "", &Problems::new())))
}

/// `POST /agencies/{id}/documents` (multipart): puts the file on the agency's page, or shows the
/// form again with the title kept and every problem.
pub async fn attach_agency_document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    mut multipart: Multipart,
) -> PageResult {
    let (actor, upload, too_large) = document_upload(&ctx, &mut multipart).await?;
    let id = crate::directory::pages::parse_id(&ctx, &id)?;
    let title = upload.field("title");
    let problems = if let Some(problems) = too_large {
        problems
    } else {
        let content = upload.file.as_deref().unwrap_or_default();
        match state.app.attach_agency_document(actor, id, title, &upload.file_name, content).await {
            Ok(_) => return Ok(Redirect::to(&format!("/agencies/{}?attached=1#documents", id.0)).into_response()),
            Err(AppError::Invalid(problems)) => problems,
            Err(e) => return Err(PageError::of(&ctx, e)),
        }
    };
    let agency = state.app.agency(id).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(render(StatusCode::UNPROCESSABLE_ENTITY, &agency_form_page(&ctx, &agency, title, &problems)))
}

/// `GET /agencies/{id}/documents/{document}`: the file, as a download, for a signed-in account;
/// the download is audited first.
pub async fn download_agency_document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, document)): Path<(String, String)>,
) -> PageResult {
    let actor = ctx.require_account()?;
    let id = crate::directory::pages::parse_id(&ctx, &id)?;
    let document = parse_document(&ctx, &document)?;
    let (document, content) =
        state.app.download_agency_document(actor, id, document).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(attachment(document.file_type, &document.file_name, content))
}

/// `POST /agencies/{id}/documents/{document}/remove`
pub async fn remove_agency_document(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, document)): Path<(String, String)>,
    Submitted(form): Submitted<CsrfOnly>,
) -> PageResult {
    let actor = ctx.authorize_form(form.csrf.as_deref())?;
    let id = crate::directory::pages::parse_id(&ctx, &id)?;
    let document = parse_document(&ctx, &document)?;
    state.app.remove_agency_document(actor, id, document).await.map_err(|e| PageError::of(&ctx, e))?;
    Ok(Redirect::to(&format!("/agencies/{}?removed=1#documents", id.0)).into_response())
}
