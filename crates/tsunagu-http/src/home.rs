//! The home page: what Tsunagu holds, and where to start.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use fluent_templates::fluent_bundle::FluentValue;
use tsunagu_app::directory::AgencySearch;

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::views::{Layout, render};

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    counts: String,
}

/// `GET /`
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    let tr = ctx.tr();
    let agencies = state.app.search_agencies(&AgencySearch::default()).await.map_err(|e| PageError::of(&ctx, e))?.total;
    let employers = state.app.count_employers().await.map_err(|e| PageError::of(&ctx, e))?;
    let counts = tr
        .with("home-counts", &[("agencies", FluentValue::from(agencies)), ("employers", FluentValue::from(employers))]);
    Ok(render(StatusCode::OK, &HomePage { layout: ctx.layout(tr.get("home-title")), counts }))
}
