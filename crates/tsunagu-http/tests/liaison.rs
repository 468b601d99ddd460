//! The roster of medical-liaison coordinators over HTTP: the worker adds a coordinator of their
//! agency with the medical institution they work with (another kind of agency refused by name,
//! nothing half-written), program 10-2 counts the location, a stale change is refused; other
//! users meet a page that says whose roster it is.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};
use tsunagu_domain::directory::AgencyKind;

fn today() -> time::Date {
    tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc())
}

async fn the_worker_keeps_the_coordinators_roster(t: TestApp) {
    t.sign_in("employer").await;
    let page = t.get("/liaison").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("支援機関の職員が") && !page.body.contains("コーディネーターを登録する"));
    t.sign_out_locally();

    t.sign_in("worker").await;
    let index = t.app.directory().await.unwrap();
    let clinic = index.agencies().iter().find(|a| a.kind == AgencyKind::MedicalInstitution).unwrap().id.0.to_string();
    let centre = t.account("worker").await.agency.unwrap().0.to_string();
    let manager = t.account("manager").await;
    let locations = || async {
        let year = tsunagu_domain::program::FiscalYear::of(today());
        let registry = t.app.programs(&manager).await.unwrap();
        registry.figures.iter().find(|f| f.indicator == "10-2.coordinator_locations" && f.year == year).map(|f| f.value)
    };
    let before_count = locations().await.unwrap_or(0);
    let before = t.app.store().every_coordinator().await.unwrap().len();
    let since = today().to_string();
    let bad = t
        .post_form(
            "/liaison",
            &[("coordinator_name", "連携 太郎"), ("serves_since", &since), ("institutions", &centre)],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("ディレクトリの医療機関を選んでください"), "{}", bad.body);
    assert_eq!(t.app.store().every_coordinator().await.unwrap().len(), before, "nothing is written");
    let form = [
        ("coordinator_name", "連携 太郎"),
        ("serves_since", since.as_str()),
        ("institutions", clinic.as_str()),
        ("coordinator_note", "相談窓口：火・木 10時〜16時"),
    ];
    let made = t.post_form("/liaison", &form).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let listed = t.get(made.location()).await.body;
    assert!(listed.contains("名簿を保存しました") && listed.contains("連携 太郎"), "{listed}");
    assert!(locations().await.is_some_and(|n| n >= before_count.max(1)), "10-2 counts the location");

    let worker = t.account("worker").await;
    let stored = t.app.agency_coordinators(&worker).await.unwrap().remove(0).coordinator;
    let edit = format!("/liaison/{}/edit", stored.id.0);
    let version = stored.version.to_string();
    let until = (today() + time::Duration::days(90)).to_string();
    let changed = [&form[..], &[("serves_until", until.as_str()), ("version", version.as_str())]].concat();
    assert_eq!(t.post_form(&edit, &changed).await.status, StatusCode::SEE_OTHER);
    let stale = t.post_form(&edit, &changed).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("ほかの人が変更しました"), "{}", stale.body);
    // Another agency's staff do not see it.
    t.sign_out_locally();
    t.sign_in("coach").await;
    assert_eq!(t.get(&edit).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_worker_keeps_the_coordinators_roster_on_sqlite() {
    the_worker_keeps_the_coordinators_roster(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_keeps_the_coordinators_roster_on_postgres() {
    on_postgres(the_worker_keeps_the_coordinators_roster).await;
}
