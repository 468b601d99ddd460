//! Openings over HTTP: written as a draft for an employer with every problem named, hidden until
//! published, then public with its schema.org JobPosting in the page and in the API (no text of
//! the opening can break out of it); found by hours and accommodations; a stale edit shown what
//! changed; an employer's account writes its own openings only.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};
use tsunagu_domain::codes::CorporateNumber;

/// The value of `name="version"` in a page.
fn version_in(body: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = body.find(marker).map(|i| i + marker.len()).expect("a form with a version");
    body[start..].split('"').next().unwrap().to_owned()
}

/// The JSON-LD of a page.
fn json_ld(body: &str) -> serde_json::Value {
    let start = body.find("<script type=\"application/ld+json\">").expect("a JSON-LD script") + 35;
    let end = body[start..].find("</script>").unwrap() + start;
    serde_json::from_str(&body[start..end]).expect("JSON")
}

async fn employer_page(t: &TestApp, base: u64) -> String {
    let number = CorporateNumber::from_base(900_000_000_000 + base).to_string();
    let id = t.app.store().employer_ref(tsunagu_store::EmployerLookup::Number(number)).await.unwrap().unwrap().id;
    format!("/employers/{}", id.0)
}

const TITLE: &str = "事務補助</script><script>alert(1)</script>";

fn form(hours_min: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("job_title", TITLE),
        ("tasks", "・郵便物の仕分け\n・データ入力"),
        ("hours_min", hours_min),
        ("hours_max", "30"),
        ("wage_kind", "hourly"),
        ("wage", "1,250"),
        ("municipality_code", "131016"),
        ("positions", "2"),
        ("offered", "job_coach"),
        ("offered", "written_instructions"),
    ]
}

async fn an_opening_is_written_published_and_served_as_job_posting(t: TestApp) {
    t.sign_in("worker").await;
    let employer = employer_page(&t, 7).await;
    let mut bad = form("35");
    bad.retain(|(k, _)| !matches!(*k, "tasks" | "wage_kind"));
    bad.push(("wage_kind", "daily"));
    let refused = t.post_form(&format!("{employer}/openings"), &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in ["仕事の内容（職務の切り出し）を入力してください", "最短の時間以上に", "賃金の形態"]
    {
        assert!(refused.body.contains(message), "{message} in {}", refused.body);
    }

    let created = t.post_form(&format!("{employer}/openings"), &form("20")).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page_uri = created.location().split('?').next().unwrap().to_owned();
    let draft = t.get(&page_uri).await;
    assert!(draft.body.contains("下書き") && !draft.body.contains("application/ld+json"), "a draft has no JobPosting");
    assert!(!draft.body.contains("<script>alert(1)"), "the title is escaped in the page");
    t.sign_out_locally();
    assert_eq!(t.get(&page_uri).await.status, StatusCode::NOT_FOUND, "a draft is not public");

    t.sign_in("worker").await;
    let version = version_in(&t.get(&page_uri).await.body);
    let published = t.post_form(&format!("{page_uri}/status"), &[("status", "published"), ("version", &version)]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER);
    t.sign_out_locally();
    let public = t.get(&page_uri).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.matches("</script>").count() == 1 + public.body.matches("<script src").count());
    let posting = json_ld(&public.body);
    assert_eq!(posting["@type"], "JobPosting");
    assert_eq!(posting["title"], TITLE, "the title reads back whole from the escaped JSON");
    assert_eq!(posting["baseSalary"]["value"]["value"], 1250);
    assert_eq!(posting["baseSalary"]["value"]["unitText"], "HOUR");
    assert_eq!(posting["jobLocation"]["address"]["addressRegion"], "東京都");
    assert_eq!(posting["jobLocation"]["address"]["addressLocality"], "千代田区");
    assert_eq!(posting["employmentType"], "FULL_TIME");
    assert!(posting["datePosted"].is_string());

    let id = page_uri.trim_start_matches("/openings/");
    let api = t.get(&format!("/api/v1/openings/{id}/jobposting")).await;
    assert_eq!(api.headers.get("content-type").unwrap(), "application/ld+json");
    assert_eq!(api.json()["hiringOrganization"]["@type"], "Organization");

    // Found in the public list by what it allows and offers.
    let listed = |body: &str| body.contains(&page_uri);
    assert!(listed(&t.get("/openings?hours=25&offers=job_coach&municipality=131016").await.body));
    assert!(!listed(&t.get("/openings?hours=35&municipality=131016").await.body));
    let bad_filter = t.get("/openings?hours=99").await;
    assert_eq!(bad_filter.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Two editors: the second is told what changed.
    t.sign_in("worker").await;
    let edit = t.get(&format!("{page_uri}/edit")).await;
    let version = version_in(&edit.body);
    let mut first = form("20");
    first.push(("version", &version));
    first.push(("remarks", "制服貸与"));
    assert_eq!(t.post_form(&page_uri, &first).await.status, StatusCode::SEE_OTHER);
    let mut second = form("25");
    second.push(("version", &version));
    let stale = t.post_form(&page_uri, &second).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("備考") && stale.body.contains("制服貸与"), "{}", stale.body);
}

#[tokio::test]
async fn an_opening_is_written_published_and_served_as_job_posting_on_sqlite() {
    an_opening_is_written_published_and_served_as_job_posting(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opening_is_written_published_and_served_as_job_posting_on_postgres() {
    on_postgres(an_opening_is_written_published_and_served_as_job_posting).await;
}

#[tokio::test]
async fn an_employer_account_writes_its_own_openings_only() {
    let t = spawn_app().await;
    t.sign_in("employer").await;
    let own = t.get("/company").await.location().to_owned();
    let page = t.get(&own).await;
    assert!(page.body.contains("求人を登録する"));
    let created = t.post_form(&format!("{own}/openings"), &form("20")).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let other = employer_page(&t, 9).await;
    assert_eq!(t.post_form(&format!("{other}/openings"), &form("20")).await.status, StatusCode::FORBIDDEN);
    assert_eq!(t.get(&format!("{other}/openings/new")).await.status, StatusCode::FORBIDDEN);
    // Another employer's draft does not exist for it.
    t.sign_out_locally();
    t.sign_in("worker").await;
    let theirs =
        t.post_form(&format!("{other}/openings"), &form("20")).await.location().split('?').next().unwrap().to_owned();
    t.sign_out_locally();
    t.sign_in("employer").await;
    assert_eq!(t.get(&theirs).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.get(&format!("{theirs}/edit")).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_writes_and_publishes_openings_with_a_token() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let token = t.new_token("求人連携", &["employers"]).await;
    let employer = employer_page(&t, 11).await.trim_start_matches("/employers/").to_owned();
    let call = |method: &str, uri: &str, body: Option<serde_json::Value>| {
        let request = common::bearer(method, uri, &token, body);
        async { t.raw(request).await }
    };
    let body = serde_json::json!({
        "job_title": "倉庫内作業", "tasks": "ピッキング\n梱包", "hours_min": "20", "hours_max": "20",
        "wage_kind": "hourly", "wage": "1300", "positions": "1", "welcomed": ["mental"]
    });
    let created = call("POST", &format!("/api/v1/employers/{employer}/openings"), Some(body)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    assert_eq!(created.json()["status"], "draft");
    let moved = call(
        "POST",
        &format!("/api/v1/openings/{id}/status"),
        Some(serde_json::json!({"status": "published", "version": 1})),
    )
    .await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    let again = call(
        "POST",
        &format!("/api/v1/openings/{id}/status"),
        Some(serde_json::json!({"status": "draft", "version": 2})),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "a published opening is not a draft again");
    t.sign_out_locally();
    let public = t.get(&format!("/api/v1/openings/{id}")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert_eq!(public.json()["welcomed"], serde_json::json!(["mental"]));
    let found = t.get("/api/v1/openings?category=mental&hours=20").await.json();
    assert!(found["items"].as_array().unwrap().iter().any(|o| o["id"] == id.as_str()));
}
