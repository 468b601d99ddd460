//! The assessment sheet over HTTP: the support worker begins a sheet and writes the supporter's
//! answers; the person writes their own from their own pages; each side sees the other's beside
//! its own and cannot change it; a too long answer is refused with nothing written.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};

async fn the_person_and_the_supporter_each_answer(t: TestApp) {
    let person = t.account("person").await.person.unwrap();
    t.sign_in("worker").await;
    let list = format!("/persons/{}/assessments", person.0);
    assert_eq!(t.get(&list).await.status, StatusCode::OK);
    let begun = t.post_form(&list, &[]).await;
    assert_eq!(begun.status, StatusCode::SEE_OTHER, "{}", begun.body);
    let sheet_uri = begun.location().to_owned();
    let sheet = t.get(&sheet_uri).await.body;
    assert!(sheet.contains("II-1 指示された手順に従って作業する") && sheet.contains("（仮の項目）"), "{sheet}");
    let id = sheet_uri.trim_start_matches("/assessments/");
    let stored = || async {
        let id = tsunagu_domain::assessment::AssessmentId(uuid::Uuid::parse_str(id).unwrap());
        t.app.store().assessment(id).await.unwrap().unwrap()
    };
    let v = stored().await.version.to_string();
    let long = "あ".repeat(401);
    let refused = t.post_form(&sheet_uri, &[("version", &v), ("I-2", "入力作業"), ("II-1", &long)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("400文字以内"), "{}", refused.body);
    assert!(stored().await.fields.supporter.is_empty(), "nothing is written");
    // The supporter's form has no field for the person's answers: a person's item sent is written
    // to the supporter's side only.
    let saved = t.post_form(&sheet_uri, &[("version", &v), ("I-2", "入力作業が正確")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert!(stored().await.fields.person.is_empty(), "the supporter cannot write the person's side");

    t.sign_out_locally();
    t.sign_in("person").await;
    let mine = t.get("/me/assessments").await.body;
    assert!(mine.contains(&format!("/me/assessments/{id}")), "{mine}");
    let page = t.get(&format!("/me/assessments/{id}")).await.body;
    assert!(page.contains("<ruby>仕事<rt>しごと</rt></ruby>") && page.contains("入力作業が正確"), "{page}");
    let v = stored().await.version.to_string();
    let written = t.post_form(&format!("/me/assessments/{id}"), &[("version", &v), ("I-2", "事務の仕事")]).await;
    assert_eq!(written.status, StatusCode::SEE_OTHER, "{}", written.body);
    let now = stored().await;
    assert_eq!(now.fields.person.get("I-2").map(String::as_str), Some("事務の仕事"));
    assert_eq!(now.fields.supporter.get("I-2").map(String::as_str), Some("入力作業が正確"), "the supporter's stays");
    t.sign_out_locally();
    t.sign_in("worker").await;
    let both = t.get(&sheet_uri).await.body;
    assert!(both.contains("事務の仕事"), "the supporter reads the person's answer beside theirs: {both}");
    // The API: both sides read; the supporter's written on the version read, the person's kept.
    let api = format!("/api/v1/assessments/{id}");
    let read = t.get(&api).await.json();
    let item = |body: &serde_json::Value, code: &str| {
        body["items"].as_array().unwrap().iter().find(|i| i["item"] == code).cloned().unwrap()
    };
    assert_eq!(item(&read, "I-2")["person"], "事務の仕事");
    let v = read["version"].as_i64().unwrap();
    let stale = serde_json::json!({"version": v - 1, "answers": [{"item": "I-2", "answer": "x"}]});
    assert_eq!(t.send_json("PUT", &api, stale).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fresh = serde_json::json!({"version": v, "answers": [{"item": "I-2", "answer": "入力が正確で速い"}]});
    let written = t.send_json("PUT", &api, fresh).await;
    assert_eq!(written.status, StatusCode::OK, "{}", written.body);
    let written = written.json();
    assert_eq!(item(&written, "I-2")["supporter"], "入力が正確で速い");
    assert_eq!(item(&written, "I-2")["person"], "事務の仕事", "the person's side stays");
    let listed = t.get(&format!("/api/v1/persons/{}/assessments", person.0)).await.json();
    assert!(listed.as_array().unwrap().iter().any(|a| a["id"] == id), "{listed}");
    t.sign_out_locally();
    t.sign_in("teacher").await;
    assert_eq!(t.get(&sheet_uri).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_person_and_the_supporter_each_answer_on_sqlite() {
    the_person_and_the_supporter_each_answer(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_person_and_the_supporter_each_answer_on_postgres() {
    on_postgres(the_person_and_the_supporter_each_answer).await;
}
