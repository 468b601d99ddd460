//! Matching over HTTP: a support worker finds openings for their client — only those meeting
//! every constraint, each score with its parts, the near misses with the constraint they miss —
//! and the read is audited on the person; a worker with no case or consent is refused.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};

async fn a_worker_finds_openings_for_a_client(t: TestApp) {
    let person = t.account("person").await.person.unwrap();
    t.sign_in("worker").await;
    let uri = format!("/persons/{}/matches?hours=25&needs=job_coach", person.0);
    let page = t.get(&uri).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("条件にあう求人（点数の高い順）"));
    assert!(page.body.contains("時間の合い方") && page.body.contains("時給換算"), "every score shows its parts");
    let top = page.body.split("id=\"near\"").next().unwrap();
    let listed = top.matches("href=\"/openings/").count();
    assert!((1..=10).contains(&listed), "{listed} openings listed");
    // Every opening listed holds 25 hours a week and offers a job coach.
    for id in top.split("href=\"/openings/").skip(1).map(|s| s.split('"').next().unwrap()) {
        let opening = t.get(&format!("/api/v1/openings/{id}")).await.json();
        let (min, max) = (opening["hours_min"].as_u64().unwrap(), opening["hours_max"].as_u64().unwrap());
        assert!((min..=max).contains(&25), "{opening}");
        assert!(opening["offered"].as_array().unwrap().iter().any(|a| a == "job_coach"), "{opening}");
    }
    assert!(page.body.contains("あと一歩の求人"));
    let entries = t.app.store().audit_entries(0, 1_000_000).await.unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e.event.record == format!("matches:{}", person.0) && e.event.person == person.0.to_string()),
        "the read is on the person's record"
    );

    let bad = t.get(&format!("/persons/{}/matches?hours=99&needs=massage", person.0)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("選択肢がありません"), "{}", bad.body);

    t.sign_out_locally();
    t.sign_in("coach").await;
    assert_eq!(t.get(&uri).await.status, StatusCode::FORBIDDEN, "no case, no consent");
}

#[tokio::test]
async fn a_worker_finds_openings_for_a_client_on_sqlite() {
    a_worker_finds_openings_for_a_client(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_finds_openings_for_a_client_on_postgres() {
    on_postgres(a_worker_finds_openings_for_a_client).await;
}

async fn an_employer_sees_the_persons_its_opening_suits_among_those_who_consented(t: TestApp) {
    t.sign_in("employer").await;
    let own = t.get("/company").await.location().to_owned();
    let page = t.get(&own).await;
    let opening = page.body.split("href=\"/openings/").nth(1).expect("the demo employer has an opening");
    let opening = opening.split('"').next().unwrap().to_owned();
    let matches = t.get(&format!("/openings/{opening}/matches")).await;
    assert_eq!(matches.status, StatusCode::OK, "{}", matches.body);
    let listed: Vec<String> =
        matches.body.split("href=\"/persons/").skip(1).map(|s| s.split('"').next().unwrap().to_owned()).collect();
    assert!(!listed.is_empty(), "the demo's persons who consented to this employer are considered");
    // Every person listed consented to this employer, and the listing is a provision to it.
    let employer = t.account("employer").await.employer.unwrap();
    for id in &listed {
        let person = tsunagu_domain::person::PersonId(uuid::Uuid::parse_str(id).unwrap());
        let file = t.app.store().person_file(person).await.unwrap().unwrap();
        assert!(
            file.consents.iter().any(|c| c.consent.recipient == tsunagu_domain::consent::Recipient::Employer(employer))
        );
        let provisions = t.app.store().provisions_of(person).await.unwrap();
        assert!(
            provisions.iter().any(|p| p.items == ["name", "categories", "preferred_hours", "areas", "needs"]),
            "{id}"
        );
        assert!(tsunagu_domain::journey::Stage::seeks_work(file.stage), "{id} is employed: {:?}", file.stage);
    }
    // Those who consented but hold a job are not matched (recording the job's end returns them).
    let named = t.app.store().consents_naming_employer(employer, 200).await.unwrap();
    let mut employed = 0;
    for c in &named {
        let file = t.app.store().person_file(c.consent.consent.person).await.unwrap().unwrap();
        if file.stage.is_some_and(tsunagu_domain::journey::Stage::holds_job) {
            employed += 1;
            assert!(!listed.contains(&file.person.id.0.to_string()));
        }
    }
    assert!(employed > 0, "the demo has employed persons who consented to this employer");
    // Another employer's opening is not its to rank.
    let list = t.get("/openings").await.body;
    let theirs = list
        .split("href=\"/openings/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .find(|id| *id != opening)
        .unwrap();
    assert_eq!(t.get(&format!("/openings/{theirs}/matches")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_employer_sees_the_persons_its_opening_suits_on_sqlite() {
    an_employer_sees_the_persons_its_opening_suits_among_those_who_consented(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_employer_sees_the_persons_its_opening_suits_on_postgres() {
    on_postgres(an_employer_sees_the_persons_its_opening_suits_among_those_who_consented).await;
}
