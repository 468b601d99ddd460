//! A person's job-search conditions (希望条件) over HTTP: a support worker records them and
//! matching uses them until the worker searches with others; mistakes and stale edits are named;
//! an opening's persons are told apart by them; the API reads and writes the same.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};

async fn a_worker_records_conditions_and_matching_uses_them(t: TestApp) {
    let person = t.account("person").await.person.unwrap();
    t.sign_in("worker").await;
    let page_uri = format!("/persons/{}/preferences", person.0);
    let empty = t.get(&page_uri).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert!(empty.body.contains("希望条件はまだ記録されていません"), "{}", empty.body);

    // A code with a wrong check digit, an unknown accommodation, a note with a control character.
    let bad = t
        .post_form(&page_uri, &[("areas", "131017"), ("needs", "massage"), ("preference_note", "午前\u{7}のみ")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("<title>エラー:"), "the title says the form has errors");
    for said in ["検査数字", "選択肢がありません", "制御文字"] {
        assert!(bad.body.contains(said), "{said}: {}", bad.body);
    }
    assert_eq!(t.app.store().preferences(person).await.unwrap(), None, "nothing is written");

    let saved = t
        .post_form(
            &page_uri,
            &[("areas", "131016"), ("areas", "131041"), ("needs", "job_coach"), ("preference_note", "午前のみ希望")],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let shown = t.get(saved.location()).await.body;
    assert!(shown.contains("希望条件を記録しました"));
    assert!(
        shown.contains("千代田区") && shown.contains("台東区") && shown.contains("ジョブコーチの受入れ"),
        "{shown}"
    );
    assert!(shown.contains("午前のみ希望"));
    let entries = t.app.store().audit_entries(0, 1_000_000).await.unwrap();
    let written = entries
        .iter()
        .find(|e| e.event.record == format!("preferences:{}", person.0) && e.event.action.code() == "create")
        .expect("the write is audited on the person's record");
    assert_eq!(written.event.person, person.0.to_string());
    assert_eq!(written.event.fields, ["areas", "needs", "preference_note"]);

    // Opened from the person's page, the matches use the recorded conditions.
    let matches = t.get(&format!("/persons/{}/matches", person.0)).await;
    assert_eq!(matches.status, StatusCode::OK, "{}", matches.body);
    assert!(matches.body.contains("記録されている希望条件"), "{}", matches.body);
    assert!(matches.body.contains("本人の希望: 午前のみ希望"));
    assert!(matches.body.contains("value=\"job_coach\" checked"), "the boxes show what was searched with");
    let top = matches.body.split("id=\"near\"").next().unwrap().to_owned();
    for id in top.split("href=\"/openings/").skip(1).map(|s| s.split('"').next().unwrap()) {
        let opening = t.get(&format!("/api/v1/openings/{id}")).await.json();
        assert!(["131016", "131041"].contains(&opening["municipality_code"].as_str().unwrap()), "{opening}");
        assert!(opening["offered"].as_array().unwrap().iter().any(|a| a == "job_coach"), "{opening}");
    }
    // A search with other conditions is taken as asked.
    let searched = t.get(&format!("/persons/{}/matches?hours=", person.0)).await.body;
    assert!(!searched.contains("記録されている希望条件"));
    assert!(!searched.contains("value=\"job_coach\" checked"));

    // The internship slots are ranked for the recorded areas.
    let internships = t.get(&format!("/persons/{}/internships", person.0)).await.body;
    assert!(internships.contains("探している条件の地域の枠を先に"), "{internships}");

    // An edit from a version someone else moved on is refused, naming why.
    let version = shown.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    assert_eq!(version, "1");
    let edit = [("version", "1"), ("areas", "131016"), ("preference_note", "")];
    assert_eq!(t.post_form(&page_uri, &edit).await.status, StatusCode::SEE_OTHER);
    let stale = t.post_form(&page_uri, &edit).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("他の人が変更しました"), "{}", stale.body);
    let stored = t.app.store().preferences(person).await.unwrap().unwrap();
    assert_eq!((stored.version, stored.fields.needs.len(), stored.fields.note), (2, 0, None));

    t.sign_out_locally();
    t.sign_in("coach").await;
    assert_eq!(t.get(&page_uri).await.status, StatusCode::FORBIDDEN, "no case, no consent");
    assert_eq!(t.post_form(&page_uri, &[("areas", "131016")]).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_worker_records_conditions_and_matching_uses_them_on_sqlite() {
    a_worker_records_conditions_and_matching_uses_them(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_records_conditions_and_matching_uses_them_on_postgres() {
    on_postgres(a_worker_records_conditions_and_matching_uses_them).await;
}

/// An opening's persons are checked against each one's recorded areas and needs: a person whose
/// areas leave out the opening's place is listed as missing it, by name of the constraint.
async fn an_openings_persons_are_told_apart_by_their_conditions(t: TestApp) {
    t.sign_in("employer").await;
    let own = t.get("/company").await.location().to_owned();
    let page = t.get(&own).await;
    let opening = page.body.split("href=\"/openings/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let before = t.get(&format!("/openings/{opening}/matches")).await.body;
    let person = before.split("href=\"/persons/").nth(1).expect("someone is listed").split('"').next().unwrap();
    let person = tsunagu_domain::person::PersonId(uuid::Uuid::parse_str(person).unwrap());
    let place =
        t.get(&format!("/api/v1/openings/{opening}")).await.json()["municipality_code"].as_str().unwrap().to_owned();
    let elsewhere = if place == "131016" { "131041" } else { "131016" };
    let file = t.app.store().person_file(person).await.unwrap().unwrap();
    let conditions = tsunagu_domain::preferences::JobPreferences {
        person,
        prefecture: file.person.prefecture.clone(),
        fields: tsunagu_domain::preferences::PreferenceFields {
            areas: vec![tsunagu_domain::LocalGovCode::parse(elsewhere).unwrap()],
            needs: vec![],
            note: Some("本人だけが知るメモ".into()),
        },
        recorded_by: t.account("worker").await.id,
        version: 1,
        updated_at: time::OffsetDateTime::now_utc(),
    };
    let event = tsunagu_domain::audit::AuditEvent {
        at_micros: 1,
        actor: "test".into(),
        actor_label: "test".into(),
        action: tsunagu_domain::audit::AuditAction::Create,
        record: format!("preferences:{}", person.0),
        person: person.0.to_string(),
        fields: vec![],
        basis: "test".into(),
    };
    let change = tsunagu_store::Change::SavePreferences { preferences: Box::new(conditions), expected: None };
    t.app.store().commit(tsunagu_store::Commit::new(event).with(change)).await.unwrap();
    let after = t.get(&format!("/openings/{opening}/matches")).await.body;
    let (suited, missed) = after.split_once("id=\"missed\"").unwrap();
    assert!(!suited.contains(&person.0.to_string()), "no longer suited");
    let row = missed.split(&person.0.to_string()).nth(1).expect("listed as missing").split("</tr>").next().unwrap();
    assert!(row.contains("通勤できる区市町村の外"), "{row}");
    assert!(!after.contains("本人だけが知るメモ"), "the employer never sees the note");
}

#[tokio::test]
async fn an_openings_persons_are_told_apart_by_their_conditions_on_sqlite() {
    an_openings_persons_are_told_apart_by_their_conditions(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_openings_persons_are_told_apart_by_their_conditions_on_postgres() {
    on_postgres(an_openings_persons_are_told_apart_by_their_conditions).await;
}

/// The API reads the conditions (empty, with no version, until recorded), records them, changes
/// them on their version, and names the field of each mistake.
async fn the_api_reads_and_writes_the_conditions(t: TestApp) {
    let person = t.account("person").await.person.unwrap();
    t.sign_in("worker").await;
    let token = t.new_token("希望条件", &["persons_read", "persons_write"]).await;
    let uri = format!("/api/v1/persons/{}/preferences", person.0);
    let call = |method: &'static str, body: Option<serde_json::Value>| {
        let (t, token, uri) = (&t, &token, &uri);
        async move { t.request(common::bearer(method, uri, token, body)).await }
    };
    let none = call("GET", None).await;
    assert_eq!(none.status, StatusCode::OK, "{}", none.body);
    let none = none.json();
    assert_eq!((none["areas"].as_array().unwrap().len(), none["version"].is_null()), (0, true), "{none}");
    let bad = call("PUT", Some(serde_json::json!({"areas": ["011002"], "needs": ["massage"]}))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("unknown_municipality") && bad.body.contains("\"needs\""), "{}", bad.body);
    let body =
        serde_json::json!({"areas": ["131016"], "needs": ["quiet_place", "mentor"], "preference_note": "静かな職場"});
    let put = call("PUT", Some(body.clone())).await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    let put = put.json();
    assert_eq!(put["needs"], serde_json::json!(["quiet_place", "mentor"]));
    assert_eq!((put["version"].as_i64(), put["preference_note"].as_str()), (Some(1), Some("静かな職場")));
    let first_again = call("PUT", Some(body.clone())).await;
    assert_eq!(first_again.status, StatusCode::UNPROCESSABLE_ENTITY, "recorded already: {}", first_again.body);
    assert!(first_again.body.contains("preferences_changed"));
    let mut edit = body;
    edit["version"] = 1.into();
    edit["areas"] = serde_json::json!([]);
    let edited = call("PUT", Some(edit)).await.json();
    assert_eq!((edited["areas"].as_array().unwrap().len(), edited["version"].as_i64()), (0, Some(2)), "{edited}");
    assert_eq!(call("GET", None).await.json()["version"], 2);
}

#[tokio::test]
async fn the_api_reads_and_writes_the_conditions_on_sqlite() {
    the_api_reads_and_writes_the_conditions(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_reads_and_writes_the_conditions_on_postgres() {
    on_postgres(the_api_reads_and_writes_the_conditions).await;
}
