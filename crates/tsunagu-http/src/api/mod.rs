//! The JSON API under `/api/v1`, described by an OpenAPI 3.1 document at `/api/v1/openapi.json`:
//! each capability's routes (`directory::api`, `persons::api`, `journey::api`, `referrals::api`,
//! `imports::api`, `admin::api`, `documents::api`, `programs::api`, `fairs::api`, `employers::api`, `openings::api`) merged under one description, and what their handlers share.

pub(crate) mod schema;

use axum::http::StatusCode;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use uuid::Uuid;

use crate::AppState;
use crate::web::error::ApiError;
use crate::web::i18n::Lang;

/// The API's description. Reads are open; writes need a signed-in session (the
/// `tsunagu_session` cookie set by `POST /login`) and its CSRF token in `X-CSRF-Token`.
#[derive(OpenApi)]
#[openapi(
    info(title = "Tsunagu API", version = "1", description = "The network directory and persons' records of Tsunagu (つなぐ). Messages follow Accept-Language (ja default, en). Writes need an API token (Authorization: Bearer tsu_…, scope directory_write or persons_write) or a signed-in session cookie with its CSRF token in the X-CSRF-Token header; persons' records are read with a token of scope persons_read or a session."),
    tags((name = "directory", description = "Blocks, municipalities and agencies (行動1)"),
        (name = "audit", description = "The hash-chained audit log"),
        (name = "persons", description = "Persons' records, reached only through the access policy; every read and write is audited"),
        (name = "referrals", description = "Referrals between agencies, on the person's consent to referral"),
        (name = "employers", description = "Employers (企業): the search, their contacts, the agencies that developed them, and for an employer's own account the persons whose consent names it"),
        (name = "openings", description = "Openings (求人): the published ones for everyone, with their schema.org JobPosting; writing, publishing and closing them for the employer's editors"),
        (name = "internships", description = "Internships and workplace tours (職場体験実習, 現場実習, 企業見学): employers' slots with their dates and seats; placing a person into one is under persons"),
        (name = "coaching", description = "Job coaching (ジョブコーチ): the agency's roster of coaches; a person's dispatches and the days worked on them are under persons"),
        (name = "events", description = "Events (催し): seminars, trainings, councils, tours and interview meetings; their seats, waitlists and sign-ups"),
        (name = "fairs", description = "Interview fairs (面談会): companies, participating agencies, their choices and the schedule of greatest total preference"),
        (name = "programs", description = "The program registry and the annual report (program managers and administrators); counts only, never a person"))
)]
pub struct ApiDoc;

/// The API's routes together with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(crate::directory::api::router())
        .merge(crate::admin::api::router())
        .merge(crate::persons::api::router())
        .merge(crate::journey::api::router())
        .merge(crate::referrals::api::router())
        .merge(crate::imports::api::router())
        .merge(crate::documents::api::router())
        .merge(crate::programs::api::router())
        .merge(crate::fairs::api::router())
        .merge(crate::employers::api::router())
        .merge(crate::preferences::api::router())
        .merge(crate::coaching::api::router())
        .merge(crate::trials::api::router())
        .merge(crate::rework::api::router())
        .merge(crate::trywork::api::router())
        .merge(crate::checklists::api::router())
        .merge(crate::mws::api::router())
        .merge(crate::passports::api::router())
        .merge(crate::quota::api::router())
        .merge(crate::assessments::api::router())
        .merge(crate::events::api::router())
        .merge(crate::assistance::api::router())
        .merge(crate::liaison::api::router())
        .merge(crate::openings::api::router())
        .merge(crate::placements::api::router())
        .merge(crate::internships::api::router())
}

/// What every operation shares, written into the document once rather than on each operation:
///
/// - how a caller authenticates (`token`: `Authorization: Bearer tsu_…`; `session`: the
///   `tsunagu_session` cookie, with the CSRF token in `X-CSRF-Token` for writes), required by
///   every operation that can answer 401;
/// - the framework's refusals before a handler runs, in the same error body: 400 for a body or
///   query that does not parse, 415 for a body of another media type, 413 for one over the limit.
/// - the rule every free-text input field follows (`schema::text_rules`).
pub fn conventions(doc: &mut utoipa::openapi::OpenApi) {
    schema::text_rules(doc);
    use utoipa::openapi::security::{
        ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
    };
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "token",
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("tsu_…")
                .description(Some("An API token created on /account, with the scopes the operation needs."))
                .build(),
        ),
    );
    components.add_security_scheme(
        "session",
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            "tsunagu_session",
            "The session of a signed-in account; writes also send its CSRF token in X-CSRF-Token.",
        ))),
    );
    let refusal = |description: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
                )
                .build(),
        )
    };
    for item in doc.paths.paths.values_mut() {
        let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
        for operation in operations.into_iter().flatten() {
            let responses = &mut operation.responses.responses;
            if responses.contains_key("401") {
                operation.security = Some(vec![
                    SecurityRequirement::new("token", Vec::<String>::new()),
                    SecurityRequirement::new("session", Vec::<String>::new()),
                ]);
            }
            let has_query = operation.parameters.iter().flatten().any(|p| match p {
                RefOr::T(p) => p.parameter_in == utoipa::openapi::path::ParameterIn::Query,
                RefOr::Ref(_) => false,
            });
            if operation.request_body.is_some() || has_query {
                responses.entry("400".into()).or_insert_with(|| refusal("The body or the query does not parse."));
            }
            // Every body is required (a file's, whose declaration utoipa leaves optional, too).
            if let Some(RefOr::T(body)) = &mut operation.request_body {
                body.required = Some(utoipa::openapi::Required::True);
            }
            if operation.request_body.is_some() {
                responses.entry("413".into()).or_insert_with(|| refusal("The body is over the size limit."));
                responses.entry("415".into()).or_insert_with(|| refusal("The body is not of the media type declared."));
            }
        }
    }
}

/// What an API handler returns.
pub(crate) type ApiResult<T> = Result<T, ApiError>;

/// Maps a use case's error to the API's answer in the caller's language.
pub(crate) fn app_err(lang: Lang) -> impl Fn(tsunagu_app::AppError) -> ApiError {
    move |e| ApiError::from_app(lang, e)
}

/// The `version` a write names, which it needs: left out, a 422 naming it.
pub(crate) fn required_version(lang: Lang, version: Option<i64>) -> ApiResult<i64> {
    version.ok_or_else(|| {
        let mut p = tsunagu_domain::Problems::new();
        p.add("version", "required");
        ApiError::invalid(lang, &p)
    })
}

/// Answers sent as a list naming their item, as a map by item: an item sent twice is refused
/// with `twice` on `answers`.
pub(crate) fn by_item<V>(
    pairs: impl IntoIterator<Item = (String, V)>,
    twice: &'static str,
) -> Result<std::collections::BTreeMap<String, V>, tsunagu_app::AppError> {
    let mut out = std::collections::BTreeMap::new();
    for (item, value) in pairs {
        if out.insert(item, value).is_some() {
            let mut p = tsunagu_domain::Problems::new();
            p.add("answers", twice);
            return Err(tsunagu_app::AppError::Invalid(p));
        }
    }
    Ok(out)
}

/// An id in a path; one that is no id is a 404 like one that names nothing.
pub(crate) fn parse_id(lang: Lang, raw: &str) -> ApiResult<Uuid> {
    Uuid::parse_str(raw).map_err(|_| ApiError::simple(lang, StatusCode::NOT_FOUND, "not_found"))
}
