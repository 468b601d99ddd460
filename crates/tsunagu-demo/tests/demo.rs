//! The demo network: plausible (the real counts of public agencies) and the same for the same seed.

use std::sync::Arc;

use tsunagu_app::App;
use tsunagu_app::directory::AgencySearch;
use tsunagu_demo::{DemoScale, DemoSummary, NoProgress};
use tsunagu_domain::directory::AgencyKind;
use tsunagu_store_sqlite::SqliteStore;

/// A new database with the demo network of `seed`.
async fn demo(seed: u64) -> (App, DemoSummary, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("t.sqlite3"), 2).unwrap());
    let app = App::with_defaults(store.clone());
    app.prepare_database().await.unwrap();
    let summary = tsunagu_demo::build(&app, store.as_ref(), DemoScale::Demo, seed, &NoProgress).await.unwrap();
    (app, summary, dir)
}

async fn count(app: &App, kind: AgencyKind) -> u64 {
    app.search_agencies(&AgencySearch { kind: Some(kind), ..Default::default() }).await.unwrap().total
}

async fn names(app: &App) -> Vec<String> {
    let search = AgencySearch { page: 1, ..Default::default() };
    app.search_agencies(&search).await.unwrap().rows.into_iter().map(|r| r.name).collect()
}

#[tokio::test]
async fn the_demo_builds_a_plausible_tokyo_network_deterministically() {
    let (a, summary, _a) = demo(7).await;
    let (b, _, _b) = demo(7).await;
    assert!(summary.agencies > 300 && summary.employers == 400, "{summary:?}");
    assert_eq!(count(&a, AgencyKind::HelloWork).await, 17);
    assert_eq!(count(&a, AgencyKind::EmploymentLifeSupportCentre).await, 6);
    assert_eq!(count(&a, AgencyKind::MunicipalSupportCentre).await, 51);
    assert_eq!(names(&a).await, names(&b).await, "the same seed builds the same network");
    assert_eq!(summary.persons, 400);
}
