//! The トライワークプロジェクト over HTTP: the support worker records a client's participation and
//! how it ended (mistakes named, nothing half-written), program 9-4 counts the persons per course;
//! a person without a mental or developmental disability is not offered it and is refused by the
//! API; a stale edit is refused.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};
use tsunagu_domain::person::DisabilityCategory;

fn today() -> time::Date {
    tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc())
}

/// This fiscal year's 9-4 figure for `breakdown`.
async fn participants(t: &TestApp, breakdown: &str) -> Option<i64> {
    let manager = t.account("manager").await;
    let registry = t.app.programs(&manager).await.unwrap();
    let year = tsunagu_domain::program::FiscalYear::of(today());
    registry
        .figures
        .iter()
        .find(|f| f.indicator == "9-4.participants" && f.year == year && f.breakdown == breakdown)
        .map(|f| f.value)
}

async fn the_worker_records_a_participation(t: TestApp) {
    t.sign_in("worker").await;
    let worker = t.account("worker").await;
    let caseload = t.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await.unwrap();
    let (mut eligible, mut other) = (None, None);
    for entry in &caseload.entries {
        let file = t.app.store().person_file(entry.person).await.unwrap().unwrap();
        let c = &file.person.fields.categories;
        let fits = c.contains(&DisabilityCategory::Mental) || c.contains(&DisabilityCategory::Developmental);
        let none_yet = t.app.store().participations_of_person(entry.person).await.unwrap().is_empty();
        if fits && none_yet {
            eligible.get_or_insert(entry.person);
        } else if !fits {
            other.get_or_insert(entry.person);
        }
    }
    let (eligible, other) = (eligible.expect("an eligible client"), other.expect("another client"));
    let uri = format!("/persons/{}/trywork", eligible.0);
    let page = t.get(&uri).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("参加を記録する"), "{}", page.body);
    let training = participants(&t, "ワークトレーニングコース").await.unwrap_or(0);

    let start = today().to_string();
    let bad = t
        .post_form(
            &uri,
            &[
                ("trywork_course", "work_training"),
                ("track", ""),
                ("starts_on", &start),
                ("planned_until", "2000-01-01"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for said in ["疾患別のコースを選んでください", "開始日より後の日付"] {
        assert!(bad.body.contains(said), "{said}: {}", bad.body);
    }
    assert!(t.app.store().participations_of_person(eligible).await.unwrap().is_empty(), "nothing is written");
    let until = (today() + time::Duration::days(180)).to_string();
    let form = [
        ("trywork_course", "work_training"),
        ("track", "autism"),
        ("starts_on", start.as_str()),
        ("planned_until", until.as_str()),
    ];
    let made = t.post_form(&uri, &form).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let shown = t.get(made.location()).await.body;
    assert!(shown.contains("記録を保存しました") && shown.contains("主に自閉スペクトラム症コース"), "{shown}");
    assert_eq!(participants(&t, "ワークトレーニングコース").await, Some(training + 1), "9-4 counts the person");
    let stored = t.app.store().participations_of_person(eligible).await.unwrap().remove(0);
    let entries = t.app.store().audit_entries(0, 1_000_000).await.unwrap();
    assert!(entries.iter().any(|e| e.event.record == format!("trywork_participation:{}", stored.id.0)
        && e.event.person == eligible.0.to_string()));

    // Its end: an outcome is needed; a stale form is refused.
    let edit = format!("/trywork/{}/edit", stored.id.0);
    let version = stored.version.to_string();
    let ended = [&form[..], &[("version", version.as_str()), ("trywork_ended_on", start.as_str())]].concat();
    let refused = t.post_form(&edit, &ended).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("結果も選んでください"), "{}", refused.body);
    let withdrew = [&ended[..], &[("trywork_outcome", "withdrew")]].concat();
    assert_eq!(t.post_form(&edit, &withdrew).await.status, StatusCode::SEE_OTHER);
    let stale = t.post_form(&edit, &withdrew).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("他の人が変更しました"));

    // A person without a mental or developmental disability is not offered it; the API refuses.
    let theirs = t.get(&format!("/persons/{}/trywork", other.0)).await.body;
    assert!(!theirs.contains("参加を記録する") && theirs.contains("対象です"), "{theirs}");
    let token = t.new_token("トライワーク", &["persons_read", "persons_write"]).await;
    let body = serde_json::json!({"trywork_course": "return_work", "track": "depression", "starts_on": start, "planned_until": until});
    let api = format!("/api/v1/persons/{}/trywork", other.0);
    let refused = t.request(common::bearer("POST", &api, &token, Some(body))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("trywork_not_eligible"), "{}", refused.body);
    let listed =
        t.request(common::bearer("GET", &format!("/api/v1/persons/{}/trywork", eligible.0), &token, None)).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.json()[0]["trywork_outcome"], "withdrew");

    // The teacher's school has no case or consent.
    t.sign_out_locally();
    t.sign_in("teacher").await;
    assert_eq!(t.get(&uri).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_worker_records_a_participation_on_sqlite() {
    the_worker_records_a_participation(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_records_a_participation_on_postgres() {
    on_postgres(the_worker_records_a_participation).await;
}
