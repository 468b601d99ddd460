//! Return to work over HTTP: the 職業センター's counselor sees the centre's plans with whom each
//! awaits; a plan without all three parties, or whose warm-up begins before they all agreed, is
//! refused whole, naming each; the doctor's agreement recorded on the plan's version lets the
//! warm-up begin; program 9-2 counts the centre's persons by office; another agency's staff do
//! not see it; the API reads and changes a plan on its version.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};
use tsunagu_domain::rework::{ReturnPlanId, ReturnPlanInput};

/// The first link on `body` that starts with `prefix`, without it.
fn link(body: &str, prefix: &str) -> String {
    let at = format!("href=\"{prefix}");
    body.split(&at)
        .nth(1)
        .unwrap_or_else(|| panic!("no link to {prefix}: {body}"))
        .split('"')
        .next()
        .unwrap()
        .to_owned()
}

fn today() -> time::Date {
    tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc())
}

/// The plan's form fields as the form would send them back.
fn form_of(input: &ReturnPlanInput, corporate_number: &str, version: i64) -> Vec<(&'static str, String)> {
    vec![
        ("version", version.to_string()),
        ("corporate_number", corporate_number.to_owned()),
        ("employer_contact", input.employer_contact.clone()),
        ("doctor", input.doctor.clone()),
        ("leave_began_on", input.leave_began_on.clone()),
        ("coordination_began_on", input.coordination_began_on.clone()),
        ("person_agreed_on", input.person_agreed_on.clone()),
        ("employer_agreed_on", input.employer_agreed_on.clone()),
        ("doctor_agreed_on", input.doctor_agreed_on.clone()),
        ("agreed_activities", input.agreed_activities.clone()),
        ("rhythm_from", input.rhythm_from.clone()),
        ("rhythm_until", input.rhythm_until.clone()),
        ("stress_from", input.stress_from.clone()),
        ("stress_until", input.stress_until.clone()),
        ("adjustment_from", input.adjustment_from.clone()),
        ("adjustment_until", input.adjustment_until.clone()),
        ("support_began_on", input.support_began_on.clone()),
        ("returned_on", input.returned_on.clone()),
        ("return_ended_on", input.return_ended_on.clone()),
        ("return_outcome", input.return_outcome.clone()),
        ("return_note", input.return_note.clone()),
    ]
}

async fn post(t: &TestApp, uri: &str, form: &[(&'static str, String)]) -> common::Reply {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    t.post_form(uri, &pairs).await
}

/// This fiscal year's 9-2 figure of `code` for `breakdown` as the registry computes it.
async fn figure(t: &TestApp, code: &str, breakdown: &str) -> Option<i64> {
    let manager = t.account("manager").await;
    let registry = t.app.programs(&manager).await.unwrap();
    let year = tsunagu_domain::program::FiscalYear::of(today());
    registry.figures.iter().find(|f| f.indicator == code && f.year == year && f.breakdown == breakdown).map(|f| f.value)
}

async fn the_counselor_brings_three_parties_to_agree(t: TestApp) {
    t.sign_in("counselor").await;
    let home = t.get("/rework").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    for said in ["合意待ち：主治医", "会社との調整"] {
        assert!(home.body.contains(said), "{said}: {}", home.body);
    }
    let coordinating = t.get("/rework").await.body;
    let awaiting = coordinating
        .split("<tr role=\"row\">")
        .find(|row| row.contains("合意待ち"))
        .map(|row| link(row, "/rework/"))
        .expect("the plan awaiting the doctor");
    let id = ReturnPlanId(uuid::Uuid::parse_str(&awaiting).unwrap());
    let uri = format!("/rework/{awaiting}");
    let page = t.get(&uri).await;
    assert_eq!(page.status, StatusCode::OK);
    for said in ["3者の合意がそろっていません", "みなとメンタルクリニック", "生活リズムの構築"]
    {
        assert!(page.body.contains(said), "{said}: {}", page.body);
    }
    let stored = t.app.store().return_plan(id).await.unwrap().unwrap();
    let view = t.app.rework_view(&t.account("counselor").await, id).await.unwrap();
    let mut input = ReturnPlanInput::of(&stored.fields);
    let coordination = figure(&t, "9-2.return_coordination", "本所").await.unwrap_or(0);
    let support = figure(&t, "9-2.rework_support", "本所").await.unwrap_or(0);

    // The warm-up cannot begin before the doctor agrees; the parties cannot be left out.
    input.support_began_on = today().to_string();
    let early = post(&t, &format!("{uri}/edit"), &form_of(&input, &view.employer.0, stored.version)).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("3者すべてが合意してから"), "{}", early.body);
    let nobody = ReturnPlanInput { doctor: String::new(), employer_contact: String::new(), ..input.clone() };
    let refused = post(&t, &format!("{uri}/edit"), &form_of(&nobody, "", stored.version)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for said in ["会社の担当者（部署・氏名）を入力", "主治医（医療機関・氏名）を入力", "法人番号を入力"]
    {
        assert!(refused.body.contains(said), "{said}: {}", refused.body);
    }
    assert_eq!(t.app.store().return_plan(id).await.unwrap().unwrap(), stored, "nothing is written");

    // The doctor agrees today and the warm-up begins: 9-2 counts the person in both.
    input.doctor_agreed_on = today().to_string();
    let agreed = post(&t, &format!("{uri}/edit"), &form_of(&input, &view.employer.0, stored.version)).await;
    assert_eq!(agreed.status, StatusCode::SEE_OTHER, "{}", agreed.body);
    let shown = t.get(agreed.location()).await.body;
    assert!(shown.contains("計画を保存しました") && !shown.contains("3者の合意がそろっていません"), "{shown}");
    assert_eq!(figure(&t, "9-2.rework_support", "本所").await, Some(support + 1), "now in the warm-up");
    assert_eq!(figure(&t, "9-2.return_coordination", "本所").await, Some(coordination), "still counted once");
    let entries = t.app.store().audit_entries(0, 1_000_000).await.unwrap();
    assert!(entries.iter().any(|e| e.event.record == format!("return_plan:{awaiting}")
        && e.event.person == stored.person.0.to_string()
        && e.event.action == tsunagu_domain::audit::AuditAction::Update));
    let stale = post(&t, &format!("{uri}/edit"), &form_of(&input, &view.employer.0, stored.version)).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("他の人が変更しました"));

    // A plan without all three parties is refused whole when it is opened, too.
    let person = stored.person;
    let before = t.app.store().return_plans_of_person(person).await.unwrap().len();
    let opened = post(&t, &format!("/persons/{}/rework", person.0), &form_of(&nobody, "", 0)[1..]).await;
    assert_eq!(opened.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(t.app.store().return_plans_of_person(person).await.unwrap().len(), before);

    // The teacher's school has no case or consent: the plan is not theirs to see.
    t.sign_out_locally();
    t.sign_in("teacher").await;
    assert_eq!(t.get(&uri).await.status, StatusCode::FORBIDDEN);
    // The support worker holds the case: she reads it, and does not change it.
    t.sign_out_locally();
    t.sign_in("worker").await;
    let theirs = t.get(&uri).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains(&format!("/rework/{awaiting}/edit")));
    assert_eq!(t.get(&format!("{uri}/edit")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_counselor_brings_three_parties_to_agree_on_sqlite() {
    the_counselor_brings_three_parties_to_agree(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counselor_brings_three_parties_to_agree_on_postgres() {
    on_postgres(the_counselor_brings_three_parties_to_agree).await;
}

/// The API lists a person's plans with whom each awaits, refuses a plan whose warm-up begins
/// before all three agreed naming the field, and changes one on its version only.
async fn the_api_reads_and_changes_a_plan(t: TestApp) {
    t.sign_in("counselor").await;
    let plan = link(&t.get("/rework").await.body, "/rework/");
    let token = t.new_token("職場復帰支援", &["persons_read", "persons_write"]).await;
    let uri = format!("/api/v1/return-plans/{plan}");
    let read = t.request(common::bearer("GET", &uri, &token, None)).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let read = read.json();
    assert_eq!(read["warm_up"].as_array().unwrap().len(), 3);
    let person = read["person_id"].as_str().unwrap().to_owned();
    let listed =
        t.request(common::bearer("GET", &format!("/api/v1/persons/{person}/return-plans"), &token, None)).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert!(listed.json().as_array().unwrap().iter().any(|p| p["id"] == read["id"]));

    let view = t
        .app
        .rework_view(&t.account("counselor").await, ReturnPlanId(uuid::Uuid::parse_str(&plan).unwrap()))
        .await
        .unwrap();
    let mut body = serde_json::json!({
        "corporate_number": view.employer.0,
        "employer_contact": read["employer_contact"],
        "doctor": read["doctor"],
        "leave_began_on": read["leave_began_on"],
        "coordination_began_on": read["coordination_began_on"],
        "person_agreed_on": read["person_agreed_on"],
        "employer_agreed_on": read["employer_agreed_on"],
        "agreed_activities": read["agreed_activities"],
        "rhythm_from": read["warm_up"][0]["from"],
        "rhythm_until": read["warm_up"][0]["until"],
        "stress_from": read["warm_up"][1]["from"],
        "stress_until": read["warm_up"][1]["until"],
        "adjustment_from": read["warm_up"][2]["from"],
        "adjustment_until": read["warm_up"][2]["until"],
        "support_began_on": today().to_string(),
        "version": read["version"],
    });
    if read["doctor_agreed_on"].is_string() {
        body["doctor_agreed_on"] = read["doctor_agreed_on"].clone();
        body["person_agreed_on"] = serde_json::json!("");
    }
    let refused = t.request(common::bearer("PUT", &uri, &token, Some(body.clone()))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("three_parties_not_agreed") && refused.body.contains("support_began_on"));
    body["support_began_on"] = read["support_began_on"].clone();
    body["person_agreed_on"] = read["person_agreed_on"].clone();
    body["doctor_agreed_on"] = read["doctor_agreed_on"].clone();
    body["return_note"] = serde_json::json!("3者面談の日程を調整中");
    let saved = t.request(common::bearer("PUT", &uri, &token, Some(body.clone()))).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    assert_eq!(saved.json()["return_note"], "3者面談の日程を調整中");
    let stale = t.request(common::bearer("PUT", &uri, &token, Some(body))).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("return_plan_changed"), "{}", stale.body);
}

#[tokio::test]
async fn the_api_reads_and_changes_a_plan_on_sqlite() {
    the_api_reads_and_changes_a_plan(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_reads_and_changes_a_plan_on_postgres() {
    on_postgres(the_api_reads_and_changes_a_plan).await;
}
