//! The work-transition checklist over HTTP: the support worker goes through the 34 items with a
//! client (every mistake named by its item, nothing half-written), takes it again and sees which
//! items moved; a stale correction is refused; the API reads and records on the persons scopes;
//! staff without a case or consent are refused.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};
use tsunagu_domain::checklist::items;

fn today() -> time::Date {
    tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc())
}

/// A whole form on `on`: every item at `level` (2 at most for the two-level items), 該当なし
/// where allowed, and `changes` over that.
fn answers(on: &str, level: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut form = vec![("assessed_on".to_owned(), on.to_owned())];
    for item in items() {
        let rating = match changes.iter().find(|(code, _)| *code == item.code) {
            Some((_, r)) => (*r).to_owned(),
            None if item.only_if_applicable => "na".into(),
            None if item.levels == 2 => "2".into(),
            None => level.into(),
        };
        form.push((item.code.to_owned(), rating));
    }
    form.push(("I-1-comment".into(), "目覚ましで起きられる".into()));
    form
}

fn pairs(form: &[(String, String)]) -> Vec<(&str, &str)> {
    form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
}

async fn the_worker_goes_through_the_checklist_twice(t: TestApp) {
    t.sign_in("worker").await;
    let worker = t.account("worker").await;
    let caseload = t.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await.unwrap();
    let mut person = None;
    for entry in &caseload.entries {
        if t.app.store().checklists_of_person(entry.person).await.unwrap().is_empty() {
            person = Some(entry.person);
            break;
        }
    }
    let person = person.expect("a client without a checklist");
    let uri = format!("/persons/{}/checklists", person.0);
    let page = t.get(&uri).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("チェックリストを記録する") && page.body.contains("まだ記録がありません"));
    let form = t.get(&format!("{uri}/new")).await.body;
    assert_eq!(form.matches("class=\"checklist-item\"").count(), 34, "every required item is asked");
    assert!(form.contains("I-4 服薬管理") && form.contains("value=\"na\""), "該当なし is offered where it applies");

    // Mistakes are named by their item; nothing is written.
    let month_ago = (today() - time::Duration::days(30)).to_string();
    let mut bad = answers(&month_ago, "3", &[("I-11", "3"), ("I-1", "na"), ("III-3", "9")]);
    bad.retain(|(k, _)| k != "II-2");
    let refused = t.post_form(&uri, &pairs(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for said in [
        "I-11 社会性は1か2で選んでください",
        "I-1 起床は「該当なし」にできません",
        "II-2 会話の段階を選んでください",
        "III-3 就労能力の自覚は1から5までで選んでください",
        "href=\"#II-2-1\"",
    ] {
        assert!(refused.body.contains(said), "{said}: {}", refused.body);
    }
    assert!(refused.body.contains("value=\"目覚ましで起きられる\""), "what was typed stays");
    assert!(t.app.store().checklists_of_person(person).await.unwrap().is_empty(), "nothing is written");

    let first = t.post_form(&uri, &pairs(&answers(&month_ago, "3", &[]))).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);
    let shown = t.get(first.location()).await.body;
    assert!(shown.contains("チェックリストを保存しました") && shown.contains("<svg"), "{shown}");
    let stored = t.app.store().checklists_of_person(person).await.unwrap().remove(0);
    let entries = t.app.store().audit_entries(0, 1_000_000).await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.event.record == format!("checklist:{}", stored.id.0) && e.event.person == person.0.to_string())
    );

    // Taken again: two items better, one worse.
    let now = today().to_string();
    let second = answers(&now, "3", &[("I-1", "1"), ("II-1", "2"), ("III-7", "4")]);
    assert_eq!(t.post_form(&uri, &pairs(&second)).await.status, StatusCode::SEE_OTHER);
    let profile = t.get(&uri).await.body;
    assert!(profile.contains("良くなった項目 2、変わらない項目 29、下がった項目 1"), "{profile}");
    assert!(profile.contains("良くなった項目：<span>起床、あいさつ</span>"), "{profile}");
    assert!(profile.contains("下がった項目：<span>出勤状況</span>"), "{profile}");

    // A correction from an older page is refused.
    let edit = format!("/checklists/{}/edit", stored.id.0);
    let mut corrected = answers(&month_ago, "2", &[]);
    corrected.push(("version".into(), stored.version.to_string()));
    assert_eq!(t.post_form(&edit, &pairs(&corrected)).await.status, StatusCode::SEE_OTHER);
    let stale = t.post_form(&edit, &pairs(&corrected)).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("ほかの人が変更しました"), "{}", stale.body);
    let one = t.get(&format!("/checklists/{}", stored.id.0)).await.body;
    assert!(one.contains("目覚ましで起きられる") && one.contains("2/5"), "{one}");

    // The API: the items, the person's checklists the earliest first, an item answered twice.
    let token = t.new_token("チェックリスト", &["persons_read", "persons_write"]).await;
    let listed = t.request(common::bearer("GET", "/api/v1/checklist-items", &token, None)).await;
    assert_eq!(listed.json().as_array().map(Vec::len), Some(34));
    let api = format!("/api/v1/persons/{}/checklists", person.0);
    let read = t.request(common::bearer("GET", &api, &token, None)).await.json();
    assert_eq!(read.as_array().map(Vec::len), Some(2));
    assert_eq!(read[0]["assessed_on"], month_ago);
    assert_eq!(read[1]["answers"][0]["rating"], "1");
    let twice = serde_json::json!({"assessed_on": now, "answers": [
        {"item": "I-1", "rating": "1"}, {"item": "I-1", "rating": "2"}]});
    let refused = t.request(common::bearer("POST", &api, &token, Some(twice))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("checklist_item_twice"), "{}", refused.body);
    let short = serde_json::json!({"assessed_on": now, "answers": [{"item": "I-1", "rating": "1"}]});
    let refused = t.request(common::bearer("POST", &api, &token, Some(short))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("II-2 会話の段階を選んでください"), "{}", refused.body);
    assert_eq!(t.app.store().checklists_of_person(person).await.unwrap().len(), 2);

    // The teacher's school has no case or consent.
    t.sign_out_locally();
    t.sign_in("teacher").await;
    assert_eq!(t.get(&uri).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_worker_goes_through_the_checklist_twice_on_sqlite() {
    the_worker_goes_through_the_checklist_twice(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_goes_through_the_checklist_twice_on_postgres() {
    on_postgres(the_worker_goes_through_the_checklist_twice).await;
}
