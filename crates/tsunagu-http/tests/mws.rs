//! Work samples over HTTP: the support worker records a client's result on a task of the list or
//! one named as typed (mistakes named, nothing half-written), the list shows the rate of correct
//! trials; a stale correction is refused; the API reads and records; staff without a case or
//! consent are refused.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};

async fn the_worker_records_work_samples(t: TestApp) {
    t.sign_in("worker").await;
    let worker = t.account("worker").await;
    let caseload = t.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await.unwrap();
    let person = caseload.entries.last().expect("a client").person;
    let uri = format!("/persons/{}/mws", person.0);
    let page = t.get(&uri).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("結果を記録する"), "{}", page.body);
    let form = t.get(&format!("{uri}/new")).await.body;
    assert!(form.contains("コピー&#38;ペースト （課題名は未確認）"), "unverified names are marked: {form}");
    let before = t.app.store().mws_results_of_person(person).await.unwrap().len();

    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc()).to_string();
    let bad = t
        .post_form(
            &uri,
            &[
                ("done_on", &today),
                ("edition", "brief"),
                ("task", "数値入力"),
                ("level", "6"),
                ("trials", "12"),
                ("correct", "13"),
                ("minutes", ""),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for said in
        ["レベル（1〜5）は1から5までの数字", "正答数が試行数より多くなっています", "時間（分）を入力してください"]
    {
        assert!(bad.body.contains(said), "{said}: {}", bad.body);
    }
    assert_eq!(t.app.store().mws_results_of_person(person).await.unwrap().len(), before, "nothing is written");

    let good = [
        ("done_on", today.as_str()),
        ("edition", "brief"),
        ("task", ""),
        ("other_task", "封入作業"),
        ("level", "２"),
        ("trials", "12"),
        ("correct", "9"),
        ("minutes", "25"),
    ];
    let made = t.post_form(&uri, &good).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let shown = t.get(made.location()).await.body;
    assert!(shown.contains("封入作業") && shown.contains("9（75.0%）"), "{shown}");
    let stored = t.app.store().mws_results_of_person(person).await.unwrap().remove(0);
    let entries = t.app.store().audit_entries(0, 1_000_000).await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.event.record == format!("mws_result:{}", stored.id.0) && e.event.person == person.0.to_string())
    );

    // A correction from an older page is refused.
    let edit = format!("/mws/{}/edit", stored.id.0);
    let version = stored.version.to_string();
    let corrected = [&good[..], &[("version", version.as_str())]].concat();
    assert_eq!(t.post_form(&edit, &corrected).await.status, StatusCode::SEE_OTHER);
    let stale = t.post_form(&edit, &corrected).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("ほかの人が変更しました"), "{}", stale.body);

    // The API: the tasks, and a result on a task of the list.
    let token = t.new_token("MWS", &["persons_read", "persons_write"]).await;
    let tasks = t.request(common::bearer("GET", "/api/v1/mws-tasks", &token, None)).await.json();
    assert_eq!(tasks.as_array().map(Vec::len), Some(16));
    let api = format!("/api/v1/persons/{}/mws", person.0);
    let body = serde_json::json!({"done_on": today, "edition": "training", "task": "ピッキング", "level": "3",
        "trials": "6", "correct": "6", "minutes": "40"});
    assert_eq!(t.request(common::bearer("POST", &api, &token, Some(body))).await.status, StatusCode::CREATED);
    let listed = t.request(common::bearer("GET", &api, &token, None)).await.json();
    assert_eq!(listed.as_array().map(Vec::len), Some(before + 2));

    // The teacher's school has no case or consent.
    t.sign_out_locally();
    t.sign_in("teacher").await;
    assert_eq!(t.get(&uri).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_worker_records_work_samples_on_sqlite() {
    the_worker_records_work_samples(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_records_work_samples_on_postgres() {
    on_postgres(the_worker_records_work_samples).await;
}
