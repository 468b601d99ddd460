//! The start page: a caseworker's dashboard, or what the other accounts can do here.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use fluent_templates::fluent_bundle::FluentValue;
use tsunagu_app::dashboard::Dashboard;
use tsunagu_app::directory::AgencySearch;
use tsunagu_domain::account::Role;
use uuid::Uuid;

use crate::AppState;
use crate::web::context::Ctx;
use crate::web::error::{PageError, PageResult};
use crate::web::i18n::Tr;
use crate::web::views::{Layout, date_text, milestone_text, render, time_text};

/// What an account that holds no caseload is told it can do, with where to start.
struct Guide {
    title: String,
    body: String,
    links: Vec<(&'static str, String)>,
}

fn guide(tr: Tr, roles: &[Role]) -> Option<Guide> {
    let g = |title: &str, body: &str, links: &[(&'static str, &str)]| Guide {
        title: tr.get(title),
        body: tr.get(body),
        links: links.iter().map(|(href, key)| (*href, tr.get(key))).collect(),
    };
    let directory = ("/agencies", "empty-casework-directory");
    if roles.contains(&Role::SystemAdmin) {
        Some(g("empty-admin-title", "empty-admin-body", &[("/admin/audit", "empty-admin-audit"), directory]))
    } else if roles.contains(&Role::ProgramManager) {
        Some(g(
            "empty-manager-title",
            "empty-manager-body",
            &[("/report", "nav-report"), ("/programs", "nav-programs"), directory],
        ))
    } else if roles.contains(&Role::EmployerUser) {
        Some(g("empty-employer-title", "empty-employer-body", &[directory]))
    } else if roles.contains(&Role::Person) {
        Some(g("empty-person-title", "empty-person-body", &[("/me", "nav-me")]))
    } else {
        None
    }
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    counts: String,
    guide: Option<Guide>,
}

/// `GET /`: the dashboard for caseworkers, the start page for everyone else.
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    if let Some(actor) = ctx.account().filter(|a| tsunagu_app::App::may_register(a)) {
        let dashboard = state.app.dashboard(actor).await.map_err(|e| PageError::of(&ctx, e))?;
        return dashboard_page(&state, &ctx, dashboard).await;
    }
    let tr = ctx.tr();
    let agencies = state.app.search_agencies(&AgencySearch::default()).await.map_err(|e| PageError::of(&ctx, e))?.total;
    let employers = state.app.count_employers().await.map_err(|e| PageError::of(&ctx, e))?;
    let counts = tr
        .with("home-counts", &[("agencies", FluentValue::from(agencies)), ("employers", FluentValue::from(employers))]);
    let guide = ctx.account().and_then(|a| guide(tr, &a.roles));
    Ok(render(StatusCode::OK, &HomePage { layout: ctx.layout(tr.get("home-title")), counts, guide }))
}

/// One thing that falls due.
struct DueItem {
    person: Uuid,
    name: String,
    kind: String,
    what: String,
    due_on: time::Date,
    when: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    layout: Layout,
    /// The agency, and today.
    lead: (String, String),
    open_cases: String,
    empty: bool,
    hello_work: bool,
    /// Overdue and due today, then the week ahead: (anchor, items).
    sections: Vec<(&'static str, Vec<DueItem>)>,
    waiting: Vec<(Uuid, String, String)>,
    unread: Vec<(String, String)>,
}

fn due_items(tr: Tr, d: &Dashboard) -> Vec<DueItem> {
    use tsunagu_app::dashboard::DueKind;
    tsunagu_app::dashboard::due_items(&d.due, &d.follow_ups, &d.plan_reviews)
        .into_iter()
        .map(|i| {
            let late = (d.today - i.due_on).whole_days();
            let kind = tr.get(&format!("dashboard-kind-{}", i.kind.code()));
            let what = match i.kind {
                DueKind::NextAction(action) => action,
                DueKind::FollowUp(m) => tr.with("follow-up-milestone", &[("milestone", milestone_text(tr, m).into())]),
                DueKind::PlanReview(goal) => goal,
            };
            DueItem {
                person: i.person.0,
                name: i.name,
                kind,
                what,
                due_on: i.due_on,
                when: match late {
                    1.. => tr.with("dashboard-overdue-days", &[("days", late.into())]),
                    0 => tr.get("dashboard-due-today"),
                    _ => tr.with("dashboard-due-on", &[("on", date_text(tr, i.due_on).into())]),
                },
                overdue: late > 0,
            }
        })
        .collect()
}

async fn dashboard_page(state: &AppState, ctx: &Ctx, d: Dashboard) -> PageResult {
    let tr = ctx.tr();
    let index = state.app.directory().await.map_err(|e| PageError::of(ctx, e))?;
    let agency_name = |a| index.agency(a).map(|l| l.name.clone()).unwrap_or_default();
    let (today, week): (Vec<DueItem>, Vec<DueItem>) = due_items(tr, &d).into_iter().partition(|i| i.due_on <= d.today);
    let waiting = d
        .waiting
        .iter()
        .map(|l| {
            let from = tr.with(
                "dashboard-waiting-item",
                &[
                    ("from", agency_name(l.referral.from).into()),
                    ("on", date_text(tr, tsunagu_app::clock::tokyo_date(l.referral.sent_at)).into()),
                ],
            );
            (l.referral.person.0, l.person_name.clone(), from)
        })
        .collect();
    let unread = d
        .unread
        .iter()
        .map(|(n, name)| (time_text(tr, n.created_at), crate::referrals::pages::notice_text(tr, n.state, name)))
        .collect();
    let lead = (agency_name(d.agency), date_text(tr, d.today));
    let hello_work = ctx.account().is_some_and(|a| a.has(Role::HelloWorkStaff));
    Ok(render(
        StatusCode::OK,
        &DashboardPage {
            layout: ctx.layout(tr.get("dashboard-title")),
            lead,
            open_cases: tr.with("dashboard-open-cases", &[("count", d.open_cases.into())]),
            empty: d.is_empty(),
            hello_work,
            sections: vec![("today", today), ("week", week)],
            waiting,
            unread,
        },
    ))
}
