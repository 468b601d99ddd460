//! Tsunagu over HTTP: server-rendered pages, the JSON API with its OpenAPI document, static
//! assets, health and metrics. The only crate that knows HTML or JSON.

pub mod admin;
pub mod api;
pub mod api_persons;
pub mod auth;
pub mod casework_import;
pub mod error;
pub mod i18n;
pub mod journey;
pub mod pages;
pub mod params;
pub mod persons;
pub mod referrals;
pub mod views;

use std::sync::OnceLock;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tsunagu_app::App;

use crate::i18n::query_lang;

/// What every handler gets.
#[derive(Clone)]
pub struct AppState {
    /// The use cases.
    pub app: App,
    /// Serving a demo database: the sign-in page shows the demo logins.
    pub demo: bool,
}

/// The Content-Security-Policy of every response: no scripts at all, styles and images from
/// this origin only, forms post only here, never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; img-src 'self'; \
     form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const TOKENS_CSS: &str = include_str!("../assets/tokens.css");
const APP_CSS: &str = include_str!("../assets/app.css");

/// The Prometheus recorder, installed once per process.
fn metrics_handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            PrometheusBuilder::new()
                .set_buckets(&[0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5])
                .ok()?
                .install_recorder()
                .ok()
        })
        .as_ref()
}

/// The whole application as one router.
pub fn router(app: App, demo: bool) -> Router {
    let _ = metrics_handle();
    let state = AppState { app, demo };
    let (api, openapi) = api::router().split_for_parts();
    let openapi_json = openapi.to_pretty_json().unwrap_or_default();
    Router::new()
        .route("/", get(pages::home))
        .route("/agencies", get(pages::list_agencies).post(pages::create_agency))
        .route("/agencies/new", get(pages::new_agency))
        .route(
            "/agencies/import",
            get(pages::import_form)
                .post(pages::import_agencies)
                .layer(DefaultBodyLimit::max(pages::MAX_UPLOAD + 64 * 1024)),
        )
        .route("/agencies/export.csv", get(pages::export_csv))
        .route("/agencies/export.xlsx", get(pages::export_xlsx))
        .route("/agencies/{id}", get(pages::show_agency))
        .route("/agencies/{id}/edit", get(pages::edit_agency).post(pages::update_agency))
        .route("/agencies/{id}/follow-up-days", post(pages::update_follow_up_days))
        .route("/persons/{id}/follow-ups/{follow_up}/done", post(journey::complete_follow_up))
        .route("/persons/{id}/plans", post(journey::create_plan))
        .route("/persons/{id}/referrals/new", get(referrals::new_referral))
        .route("/persons/{id}/referrals", post(referrals::send_referral))
        .route("/referrals", get(referrals::referrals))
        .route("/referrals/{id}/{move}", post(referrals::move_referral))
        .route("/persons/{id}/plans/{plan}/review", post(journey::review_plan))
        .route("/persons", get(persons::caseload).post(persons::create_person))
        .route("/persons/new", get(persons::new_person))
        .route(
            "/persons/import",
            get(casework_import::import_form)
                .post(casework_import::import_persons)
                .layer(DefaultBodyLimit::max(pages::MAX_UPLOAD + 64 * 1024)),
        )
        .route(
            "/persons/import/support-records",
            post(casework_import::import_support_records).layer(DefaultBodyLimit::max(pages::MAX_UPLOAD + 64 * 1024)),
        )
        .route("/persons/import/persons.csv", get(casework_import::persons_template))
        .route("/persons/import/support-records.csv", get(casework_import::support_template))
        .route("/persons/export.csv", get(persons::export_caseload_csv))
        .route("/persons/export.xlsx", get(persons::export_caseload_xlsx))
        .route("/persons/{id}", get(persons::show_person))
        .route("/persons/{id}/edit", get(persons::edit_person).post(persons::update_person))
        .route("/persons/{id}/override", post(persons::override_person))
        .route("/persons/{id}/timeline", get(journey::timeline))
        .route("/persons/{id}/support", post(journey::add_support))
        .route("/persons/{id}/stage", post(journey::change_stage))
        .route("/persons/{id}/consents/new", get(persons::new_consent))
        .route("/persons/{id}/consents", post(persons::create_consent))
        .route("/persons/{id}/consents/{consent}/revoke", post(persons::revoke_consent))
        .route("/persons/{id}/access-log", get(persons::access_log))
        .route("/persons/{id}/disclosure", get(persons::disclosure))
        .route("/persons/{id}/disclosure.json", get(persons::disclosure_json))
        .route("/persons/{id}/disclosure.zip", get(persons::disclosure_zip))
        .route("/me", get(persons::my_record))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/account", get(auth::account))
        .route("/admin/audit", get(admin::audit_log))
        .route("/account/sign-out-everywhere", post(auth::sign_out_everywhere))
        .route("/account/tokens", post(auth::create_token))
        .route("/account/tokens/{id}/revoke", post(auth::revoke_token))
        .route("/blocks", get(pages::list_blocks))
        .route("/blocks/{code}/edit", get(pages::edit_block).post(pages::update_block))
        .route("/municipalities", get(pages::list_municipalities))
        .route("/municipalities/{code}/edit", get(pages::edit_municipality).post(pages::update_municipality))
        .merge(api.layer(DefaultBodyLimit::max(pages::MAX_UPLOAD + 64 * 1024)))
        .route(
            "/api/v1/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], openapi_json) }),
        )
        .route("/assets/tokens.css", get(|| async { css(TOKENS_CSS) }))
        .route("/assets/app.css", get(|| async { css(APP_CSS) }))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .fallback(pages::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), auth::resolve_session))
        .with_state(state)
        .layer(middleware::from_fn(remember_language))
        .layer(middleware::from_fn(record_metrics))
        .layer(DefaultBodyLimit::max(256 * 1024))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http())
}

fn css(body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], body)
        .into_response()
}

/// `GET /healthz`: 200 when the database answers.
async fn healthz(State(state): State<AppState>) -> Response {
    match state.app.store().ping().await {
        Ok(()) => (StatusCode::OK, format!("ok {}\n", state.app.store().engine())).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable\n").into_response()
        }
    }
}

/// `GET /metrics`: Prometheus text format.
async fn metrics() -> Response {
    match metrics_handle() {
        Some(handle) => ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], handle.render()).into_response(),
        None => (StatusCode::SERVICE_UNAVAILABLE, "metrics recorder unavailable\n").into_response(),
    }
}

/// Counts requests and their latency by route and status.
async fn record_metrics(request: Request, next: Next) -> Response {
    let route =
        request.extensions().get::<MatchedPath>().map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let method = request.method().to_string();
    let start = Instant::now();
    let response = next.run(request).await;
    let status = response.status().as_u16().to_string();
    let labels = [("method", method), ("route", route), ("status", status)];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels).record(start.elapsed().as_secs_f64());
    response
}

/// Keeps the language chosen with `?lang=` in a cookie for the next pages.
async fn remember_language(request: Request, next: Next) -> Response {
    let chosen = query_lang(request.uri().query());
    let mut response = next.run(request).await;
    if let Some(lang) = chosen
        && let Ok(v) = HeaderValue::from_str(&format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.tag()))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
