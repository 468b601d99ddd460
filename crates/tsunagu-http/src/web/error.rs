//! The one mapping from use-case errors to responses: pages show a message in the reader's
//! language; the API answers `{"errors":[{code, field, detail}]}`. 5xx bodies are generic and the
//! cause is logged here, once.

use askama::Template;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tsunagu_app::AppError;
use tsunagu_app::import::ImportProblem;
use tsunagu_domain::Problems;
use utoipa::ToSchema;

use crate::web::context::Ctx;
use crate::web::i18n::{Lang, Tr};
use crate::web::views::{Layout, render};

/// A page with a title and one paragraph: errors and simple notices.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    /// Layout; its title is the heading.
    pub layout: Layout,
    /// The paragraph.
    pub body: String,
}

/// A page-side error response in the reader's language.
fn page_error(ctx: &Ctx, status: StatusCode) -> Response {
    let tr = ctx.tr();
    let (title, body) = match status {
        StatusCode::NOT_FOUND => ("not-found-title", "not-found-body"),
        StatusCode::FORBIDDEN => ("forbidden-title", "forbidden-body"),
        StatusCode::PAYLOAD_TOO_LARGE => ("bad-request-title", "error-body_too_large"),
        s if s.is_server_error() => ("server-error-title", "server-error-body"),
        _ => ("bad-request-title", "error-bad_query"),
    };
    render(status, &MessagePage { layout: ctx.layout(tr.get(title)), body: tr.get(body) })
}

/// The code of an error the framework answered before a handler could (a body that is not JSON,
/// a wrong content type, a body over the limit).
fn rejection_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::UNPROCESSABLE_ENTITY => "body_fields",
        StatusCode::BAD_REQUEST => "body_syntax",
        _ => "bad_request",
    }
}

/// Gives the framework's own error answers — plain text, in English — the project's one format:
/// `{"errors":[…]}` in the reader's language under `/api/`, an error page elsewhere. Answers the
/// handlers wrote (JSON or HTML) pass as they are.
pub async fn framework_rejections(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let (mut parts, body) = request.into_parts();
    let ctx =
        match <Ctx as axum::extract::FromRequestParts<crate::AppState>>::from_request_parts(&mut parts, &state).await {
            Ok(ctx) => ctx,
            Err(never) => match never {},
        };
    let response = next.run(axum::extract::Request::from_parts(parts, body)).await;
    let status = response.status();
    let written_here = response.headers().get(axum::http::header::CONTENT_TYPE).is_some_and(|v| {
        let v = v.as_bytes();
        v.starts_with(b"application/json") || v.starts_with(b"text/html")
    });
    if !status.is_client_error() || written_here {
        return response;
    }
    if ctx.path.starts_with("/api/") {
        ApiError::simple(ctx.lang, status, rejection_code(status)).into_response()
    } else {
        page_error(&ctx, status)
    }
}

/// Logs a store failure once and answers 500.
pub fn log_server_error(e: &AppError) {
    match e {
        AppError::Store(cause) => {
            tracing::error!(error = %cause, source = ?std::error::Error::source(cause), "store failure")
        }
        other => tracing::error!(error = %other, "unexpected error"),
    }
}

/// One problem in an API error body.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorItem {
    /// Stable code, such as `required` or `check_digit`.
    pub code: String,
    /// Field (or import column) the problem is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Line of an import file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The message in the requested language.
    pub detail: String,
}

/// The body of every 4xx/5xx API response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Every problem.
    pub errors: Vec<ErrorItem>,
}

/// An API error: status and body.
pub struct ApiError(pub StatusCode, pub ErrorBody);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(self.1)).into_response()
    }
}

impl ApiError {
    /// One problem with no field.
    pub fn simple(lang: Lang, status: StatusCode, code: &str) -> Self {
        let detail = lang.tr().get(&format!("error-{code}"));
        Self(status, ErrorBody { errors: vec![ErrorItem { code: code.to_owned(), field: None, line: None, detail }] })
    }

    /// Validation problems.
    pub fn invalid(lang: Lang, problems: &Problems) -> Self {
        Self(StatusCode::UNPROCESSABLE_ENTITY, ErrorBody { errors: problem_items(lang.tr(), problems) })
    }

    /// Maps a use-case error.
    pub fn from_app(lang: Lang, e: AppError) -> Self {
        let tr = lang.tr();
        match e {
            AppError::Invalid(p) => Self::invalid(lang, &p),
            AppError::NotFound => Self::simple(lang, StatusCode::NOT_FOUND, "not_found"),
            AppError::Forbidden => Self::simple(lang, StatusCode::FORBIDDEN, "forbidden"),
            AppError::Conflict(_)
            | AppError::PersonConflict(_)
            | AppError::FairChanged(_)
            | AppError::EmployerChanged(_)
            | AppError::OpeningChanged(_) => Self::simple(lang, StatusCode::CONFLICT, "conflict"),
            AppError::Denied(denial) => Self::simple(lang, StatusCode::FORBIDDEN, &format!("denial_{}", denial.code())),
            AppError::PossibleDuplicates(_) => Self::simple(lang, StatusCode::CONFLICT, "possible_duplicate"),
            AppError::Transition(refused) => {
                let name = |s: tsunagu_domain::journey::Stage| tr.get(&format!("stage-{}", s.code()));
                let allowed = refused.from.next().iter().map(|s| name(*s)).collect::<Vec<_>>().join(tr.separator());
                let detail = tr.with(
                    "error-transition_refused",
                    &[
                        ("from", name(refused.from).into()),
                        ("to", name(refused.to).into()),
                        ("allowed", allowed.into()),
                    ],
                );
                let item =
                    ErrorItem { code: "transition_refused".into(), field: Some("stage".into()), line: None, detail };
                Self(StatusCode::UNPROCESSABLE_ENTITY, ErrorBody { errors: vec![item] })
            }
            AppError::ReferralMove(refused) => {
                let detail = tr.with(
                    "error-referral_move",
                    &[
                        ("state", tr.get(&format!("referral-state-{}", refused.from.code())).into()),
                        ("move", tr.get(&format!("referral-move-{}", refused.mv.code())).into()),
                    ],
                );
                let item = ErrorItem { code: "referral_move".into(), field: None, line: None, detail };
                Self(StatusCode::CONFLICT, ErrorBody { errors: vec![item] })
            }
            AppError::StageMoved(now) => {
                let stage = now.map_or_else(|| tr.get("stage-none"), |s| tr.get(&format!("stage-{}", s.code())));
                let detail = tr.with("error-stage_moved", &[("stage", stage.into())]);
                let item = ErrorItem { code: "stage_moved".into(), field: Some("stage".into()), line: None, detail };
                Self(StatusCode::CONFLICT, ErrorBody { errors: vec![item] })
            }
            AppError::Import(problems) => Self(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorBody { errors: problems.iter().map(|p| import_item(tr, p)).collect() },
            ),
            AppError::Damaged => Self::simple(lang, StatusCode::INTERNAL_SERVER_ERROR, "damaged"),
            e @ AppError::Store(_) => {
                log_server_error(&e);
                Self::simple(lang, StatusCode::INTERNAL_SERVER_ERROR, "server")
            }
        }
    }
}

/// Validation problems as API items.
pub fn problem_items(tr: Tr, problems: &Problems) -> Vec<ErrorItem> {
    problems
        .iter()
        .map(|p| ErrorItem {
            code: p.code.to_owned(),
            field: Some(p.field.to_owned()),
            line: None,
            detail: tr.problem(p.field, false, p.code, p.limit),
        })
        .collect()
}

/// An import problem as an API item.
pub fn import_item(tr: Tr, p: &ImportProblem) -> ErrorItem {
    ErrorItem {
        code: p.code.to_owned(),
        field: p.column.clone(),
        line: p.line,
        detail: tr.problem(p.column.as_deref().unwrap_or(""), true, p.code, p.limit),
    }
}

/// What a page handler answers instead of its page: an error page in the reader's language, or
/// a response that takes the reader elsewhere (to sign in). Handlers return it with `?`: a
/// use case's error through [`PageError::of`], a refusal from [`Ctx::authorize_form`] as it is.
#[derive(Debug)]
pub struct PageError(Box<Response>);

impl PageError {
    /// 404: no such page or record.
    pub fn not_found(ctx: &Ctx) -> Self {
        Self(Box::new(page_error(ctx, StatusCode::NOT_FOUND)))
    }

    /// 403: the reader may not do this.
    pub fn forbidden(ctx: &Ctx) -> Self {
        Self(Box::new(page_error(ctx, StatusCode::FORBIDDEN)))
    }

    /// 403 for a form whose page is out of date: it carries another session's token (signed out
    /// and in again since it was opened, or opened in another browser). Not "you may not": the
    /// reader may, once the page is opened again.
    pub fn expired(ctx: &Ctx) -> Self {
        let tr = ctx.tr();
        let page = MessagePage { layout: ctx.layout(tr.get("expired-title")), body: tr.get("expired-body") };
        Self(Box::new(render(StatusCode::FORBIDDEN, &page)))
    }

    /// 400: the request itself is wrong (an unknown filter, a form that is not ours).
    pub fn bad_request(ctx: &Ctx) -> Self {
        Self(Box::new(page_error(ctx, StatusCode::BAD_REQUEST)))
    }

    /// 413 for an upload too large to read to its end: nothing of it was taken, and the form
    /// cannot come back with what was typed (its fields may not have been read).
    pub fn file_too_large(ctx: &Ctx) -> Self {
        let tr = ctx.tr();
        let page =
            MessagePage { layout: ctx.layout(tr.get("bad-request-title")), body: tr.get("error-file_too_large") };
        Self(Box::new(render(StatusCode::PAYLOAD_TOO_LARGE, &page)))
    }

    /// 500: something failed on our side; the cause is logged where it was met.
    pub fn server_error(ctx: &Ctx) -> Self {
        Self(Box::new(page_error(ctx, StatusCode::INTERNAL_SERVER_ERROR)))
    }

    /// A use case's error as the page the reader sees.
    pub fn of(ctx: &Ctx, e: AppError) -> Self {
        Self(Box::new(fail(ctx, e)))
    }
}

impl From<Response> for PageError {
    fn from(response: Response) -> Self {
        Self(Box::new(response))
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        *self.0
    }
}

/// What a page handler returns: the page, or what to answer instead.
pub type PageResult = Result<Response, PageError>;

/// Turns a use-case error into the page the reader sees.
fn fail(ctx: &Ctx, e: AppError) -> Response {
    match e {
        AppError::NotFound => page_error(ctx, StatusCode::NOT_FOUND),
        AppError::Forbidden | AppError::Denied(_) => page_error(ctx, StatusCode::FORBIDDEN),
        AppError::Invalid(_)
        | AppError::Import(_)
        | AppError::Conflict(_)
        | AppError::PersonConflict(_)
        | AppError::FairChanged(_)
        | AppError::EmployerChanged(_)
        | AppError::OpeningChanged(_)
        | AppError::PossibleDuplicates(_)
        | AppError::Transition(_)
        | AppError::StageMoved(_)
        | AppError::ReferralMove(_) => page_error(ctx, StatusCode::BAD_REQUEST),
        AppError::Damaged => {
            let tr = ctx.tr();
            let page = MessagePage { layout: ctx.layout(tr.get("server-error-title")), body: tr.get("error-damaged") };
            render(StatusCode::INTERNAL_SERVER_ERROR, &page)
        }
        e @ AppError::Store(_) => {
            log_server_error(&e);
            page_error(ctx, StatusCode::INTERNAL_SERVER_ERROR)
        }
    }
}

/// Fallback for unknown paths.
pub async fn not_found(ctx: Ctx) -> PageError {
    PageError::not_found(&ctx)
}
