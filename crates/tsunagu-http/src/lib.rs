//! Tsunagu over HTTP: server-rendered pages, the JSON API with its OpenAPI document, static
//! assets, health and metrics. The only crate that knows HTML or JSON.
//!
//! One folder per capability, as in the application crate — `directory`, `persons`, `journey`,
//! `referrals`, `imports`, `account`, `admin` — each with its pages (`pages.rs`), its part of the
//! API (`api.rs`) and its routes (`mod.rs`); `web` holds what they share, and imports none of
//! them.

pub mod account;
pub mod admin;
pub mod api;
pub mod assessments;
pub mod assistance;
pub mod checklists;
pub mod coaching;
pub mod dashboard;
pub mod directory;
pub mod documents;
pub mod employers;
pub mod events;
pub mod fairs;
pub mod imports;
pub mod internships;
pub mod journey;
pub mod liaison;
pub mod matching;
pub mod me;
pub mod mws;
pub mod openings;
pub mod passports;
pub mod persons;
pub mod placements;
pub mod preferences;
pub mod programs;
pub mod quota;
pub mod referrals;
pub mod rework;
pub mod schools;
pub mod serve;
pub mod trials;
pub mod trywork;
pub mod web;

use std::sync::OnceLock;
use std::time::Instant;

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use sha2::{Digest, Sha256};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;
use tsunagu_app::App;

use crate::web::i18n::query_lang;

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

/// How the router is set up beyond the application.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Serving a demo database: the sign-in page shows the demo logins.
    pub demo: bool,
    /// `/metrics` on the application's own address, to requests bearing this token. Without it
    /// the metrics are served only by [`metrics_router`], on an address of their own.
    pub metrics_token: Option<String>,
}

/// The whole application as one router, without `/metrics` (see [`Options`]).
pub fn router(app: App, demo: bool) -> Router {
    router_with(app, Options { demo, metrics_token: None })
}

/// `/metrics` alone, for a listen address of its own that only the monitoring can reach.
pub fn metrics_router() -> Router {
    let _ = metrics_handle();
    Router::new()
        .route("/metrics", get(metrics))
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
}

/// The whole application as one router.
pub fn router_with(app: App, options: Options) -> Router {
    let _ = metrics_handle();
    let state = AppState { app, demo: options.demo };
    let metrics_route = match options.metrics_token {
        Some(token) => {
            let expected = Sha256::digest(token.as_bytes());
            Router::new().route(
                "/metrics",
                get(move |headers: axum::http::HeaderMap| async move {
                    // Digests are compared, not the tokens: how long the comparison takes tells
                    // nothing about the token.
                    let bearer = headers
                        .get(header::AUTHORIZATION)
                        .and_then(|v| v.to_str().ok())
                        .and_then(|v| v.strip_prefix("Bearer "))
                        .map(|t| Sha256::digest(t.as_bytes()));
                    if bearer == Some(expected) {
                        metrics().await
                    } else {
                        (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")], "metrics token required\n")
                            .into_response()
                    }
                }),
            )
        }
        None => Router::new(),
    };
    let (api, mut openapi) = api::router().split_for_parts();
    api::conventions(&mut openapi);
    let openapi_json = openapi.to_pretty_json().unwrap_or_default();
    Router::new()
        .merge(dashboard::routes())
        .merge(directory::routes())
        .merge(persons::routes())
        .merge(journey::routes())
        .merge(documents::routes())
        .merge(referrals::routes())
        .merge(fairs::routes())
        .merge(employers::routes())
        .merge(openings::routes())
        .merge(matching::routes())
        .merge(placements::routes())
        .merge(internships::routes())
        .merge(schools::routes())
        .merge(preferences::routes())
        .merge(coaching::routes())
        .merge(trials::routes())
        .merge(rework::routes())
        .merge(trywork::routes())
        .merge(checklists::routes())
        .merge(passports::routes())
        .merge(quota::routes())
        .merge(me::routes())
        .merge(mws::routes())
        .merge(assessments::routes())
        .merge(events::routes())
        .merge(assistance::routes())
        .merge(liaison::routes())
        .merge(imports::routes())
        .merge(account::routes())
        .merge(admin::routes())
        .merge(programs::routes())
        .merge(api.layer(DefaultBodyLimit::max(web::upload::MAX_UPLOAD + 64 * 1024)))
        .route(
            "/api/v1/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], openapi_json) }),
        )
        .route("/assets/tokens.css", get(|| async { css(TOKENS_CSS) }))
        .route("/assets/app.css", get(|| async { css(APP_CSS) }))
        .route("/healthz", get(healthz))
        .merge(metrics_route)
        .fallback(web::error::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), web::error::framework_rejections))
        .layer(middleware::from_fn_with_state(state.clone(), web::session::resolve_session))
        .with_state(state)
        .layer(middleware::from_fn(remember_language))
        .layer(middleware::from_fn(record_metrics))
        .layer(middleware::from_fn(transport_policy))
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

/// Nothing is kept by a browser or a proxy unless its handler says so (only the style sheets do):
/// pages and API answers carry personal data. Over TLS, browsers are told to come back only over
/// TLS for a year.
async fn transport_policy(request: Request, next: Next) -> Response {
    let tls = web::context::came_over_tls(request.headers(), request.uri());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if tls {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
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
