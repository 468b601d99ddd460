//! Internships and tours over HTTP: staff open an employer's slot; a support worker places a
//! client into it — only with the client's consent naming the employer, never past its places,
//! never twice — and records how it went, with the subsidy it drew; the program's 5-2 figures
//! count it. Every rule names itself, and nothing is half-written.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};
use tsunagu_domain::person::PersonId;

async fn a_client_is_placed_into_an_internship_and_its_outcome_counted(t: TestApp) {
    t.sign_in("worker").await;
    let employer = t.account("employer").await.employer.unwrap();
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let first = today.to_string();
    let last = (today + time::Duration::days(4)).to_string();

    // A slot: the form names every problem; a valid one is saved.
    let new = format!("/employers/{}/slots", employer.0);
    let form = t.get(&format!("{new}/new")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let bad = t
        .post_form(
            &new,
            &[
                ("slot_kind", "internship"),
                ("slot_title", ""),
                ("first_day", &last),
                ("last_day", &first),
                ("capacity", "0"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("内容を入力してください。"), "{}", bad.body);
    assert!(bad.body.contains("最終日は初日以降にしてください。"), "{}", bad.body);
    assert!(bad.body.contains("受入れ人数は50以下"), "{}", bad.body);
    let made = t
        .post_form(
            &new,
            &[
                ("slot_kind", "internship"),
                ("slot_title", "清掃補助の実習"),
                ("first_day", &first),
                ("last_day", &last),
                ("capacity", "1"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let slot = made.location().trim_start_matches("/slots/").split('?').next().unwrap().to_owned();
    let overlapping = t
        .post_form(
            &new,
            &[("slot_kind", "internship"), ("slot_title", "別の実習"), ("first_day", &last), ("capacity", "1")],
        )
        .await;
    assert!(overlapping.body.contains("日程が重なっています"), "{}", overlapping.body);
    let employer_page = t.get(&format!("/employers/{}", employer.0)).await.body;
    assert!(employer_page.contains("清掃補助の実習") && employer_page.contains("0 / 1人"), "{employer_page}");

    // A client without a consent naming the employer is refused; one with it is placed, once.
    let registered =
        t.post_form("/persons", &common::registration("実習 花子", "じっしゅう はなこ", "2001-01-01")).await;
    let person = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    let uri = format!("/persons/{person}/internships");
    let page = t.get(&uri).await;
    assert!(page.body.contains("清掃補助の実習") && page.body.contains("この枠に入れる"), "{}", page.body);
    // Ranked for the areas a search asked for: the employer's own municipality is 希望の地域.
    let (found, _) = t.app.store().employer(employer).await.unwrap().unwrap();
    let place = found.fields.municipality.expect("the demo employer has a municipality");
    let near = t.get(&format!("{uri}?areas={}", place.as_str())).await.body;
    assert!(near.contains("希望の地域") && !near.contains("地域外"), "{near}");
    let elsewhere = if place.as_str() == "131016" { "132012" } else { "131016" };
    assert!(t.get(&format!("{uri}?areas={elsewhere}")).await.body.contains("地域外"));
    let matches = t.get(&format!("/persons/{person}/matches?areas={}", place.as_str())).await.body;
    assert!(matches.contains(&format!("/persons/{person}/internships?areas={}", place.as_str())), "{matches}");
    let refused = t.post_form(&uri, &[("slot", &slot)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("この企業への情報提供に同意していません"), "{}", refused.body);
    let id = PersonId(uuid::Uuid::parse_str(&person).unwrap());
    assert!(t.app.store().bookings_of_person(id).await.unwrap().is_empty(), "nothing written");
    consent_to(&t, &person, employer, &first).await;
    let booked = t.post_form(&uri, &[("slot", &slot)]).await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    let again = t.post_form(&uri, &[("slot", &slot)]).await;
    assert!(again.body.contains("この人はすでにこの枠に入っています。"), "{}", again.body);
    let provisions = t.app.store().provisions_of(id).await.unwrap();
    assert!(
        provisions.iter().any(|p| p.recipient == tsunagu_domain::consent::Recipient::Employer(employer)),
        "the employer learning the name is a provision"
    );

    // How it went, with the premium subsidised: the 5-2 figure counts it.
    let bookings = t.app.store().bookings_of_person(id).await.unwrap();
    let outcome = format!("{uri}/{}/outcome", bookings[0].0.id.0);
    let recorded = t
        .post_form(
            &outcome,
            &[("outcome", "completed"), ("insurance_subsidy", "on"), ("version", "1"), ("outcome_note", "丁寧")],
        )
        .await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let page = t.get(&uri).await.body;
    assert!(page.contains("最後まで参加") && page.contains("保険料補助あり"), "{page}");
    let year = tsunagu_domain::program::FiscalYear::of(today);
    assert_eq!(figure(&t, "5-2.internship_insurance", year).await, Some(1), "the demo's past tour draws none");
    assert_eq!(figure(&t, "9-6.internship_insurance", year).await, Some(1));
    // The employer's page counts it in its year, beside its hires.
    let employer_page = t.get(&format!("/employers/{}", employer.0)).await.body;
    let row =
        format!("<tr><th scope=\"row\" class=\"nowrap\">令和{}年度</th><td class=\"number\">1</td>", year.0 - 2018);
    assert!(employer_page.contains("年度別の実績") && employer_page.contains(&row), "{employer_page}");

    // 3-1 counts the companies special-needs schools opened up: the demo's teacher developed
    // twelve this year; a school's training at another employer adds it, a tour does not.
    assert_eq!(figure(&t, "3-1.companies", year).await, Some(12), "the demo's school developed twelve");
    t.sign_in("teacher").await;
    for (kind, title) in [("school_training", "現場実習"), ("tour", "学校見学会")] {
        let made = t
            .post_form(&new, &[("slot_kind", kind), ("slot_title", title), ("first_day", &first), ("capacity", "3")])
            .await;
        assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    }
    assert_eq!(figure(&t, "3-1.companies", year).await, Some(13), "the employer taking the school's interns");
    t.sign_in("worker").await;

    // The capacity cannot fall below those placed.
    let full = t
        .post_form(
            &format!("/slots/{slot}"),
            &[
                ("slot_kind", "internship"),
                ("slot_title", "清掃補助の実習"),
                ("first_day", &first),
                ("last_day", &last),
                ("capacity", "1"),
                ("version", "1"),
            ],
        )
        .await;
    assert_eq!(full.status, StatusCode::SEE_OTHER, "the same capacity is fine: {}", full.body);
}

/// The person's written consent, recorded by the signed-in staff, to tell `employer` of them for
/// a placement, from `from`.
async fn consent_to(t: &TestApp, person: &str, employer: tsunagu_domain::employer::EmployerId, from: &str) {
    let number = t
        .app
        .store()
        .employer_ref(tsunagu_store::EmployerLookup::Id(employer))
        .await
        .unwrap()
        .unwrap()
        .corporate_number;
    let consent = t
        .post_form(
            &format!("/persons/{person}/consents"),
            &[
                ("recipient", "employer"),
                ("employer_number", &number),
                ("purposes", "placement"),
                ("consent_categories", "basic"),
                ("evidence", "paper_form"),
                ("evidence_note", "同意書は事業所の鍵付き書庫"),
                ("valid_from", from),
            ],
        )
        .await;
    assert_eq!(consent.status, StatusCode::SEE_OTHER, "{}", consent.body);
}

/// 6-2 counts the internships Hello Work arranged: a slot of a municipal centre's does not move it.
async fn hello_works_internships_count_for_6_2(t: TestApp) {
    let employer = t.account("employer").await.employer.unwrap();
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let year = tsunagu_domain::program::FiscalYear::of(today);
    assert_eq!(figure(&t, "6-2.workplace_trainees", year).await, None);
    t.sign_in("hellowork").await;
    let made = t
        .post_form(
            &format!("/employers/{}/slots", employer.0),
            &[
                ("slot_kind", "internship"),
                ("slot_title", "ハローワークの職場実習"),
                ("first_day", &today.to_string()),
                ("capacity", "2"),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let slot = made.location().trim_start_matches("/slots/").split('?').next().unwrap().to_owned();
    let registered =
        t.post_form("/persons", &common::registration("職業 紹介", "しょくぎょう しょうかい", "1988-08-08")).await;
    let person = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    consent_to(&t, &person, employer, &today.to_string()).await;
    let uri = format!("/persons/{person}/internships");
    assert_eq!(t.post_form(&uri, &[("slot", &slot)]).await.status, StatusCode::SEE_OTHER);
    let id = PersonId(uuid::Uuid::parse_str(&person).unwrap());
    let booking = t.app.store().bookings_of_person(id).await.unwrap()[0].0.id.0;
    let done = t.post_form(&format!("{uri}/{booking}/outcome"), &[("outcome", "completed"), ("version", "1")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(figure(&t, "6-2.workplace_trainees", year).await, Some(1));
    assert_eq!(figure(&t, "6-2.site_visit_participants", year).await, Some(0), "a tour is not an internship");
}

#[tokio::test]
async fn hello_works_internships_count_for_6_2_on_sqlite() {
    hello_works_internships_count_for_6_2(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hello_works_internships_count_for_6_2_on_postgres() {
    on_postgres(hello_works_internships_count_for_6_2).await;
}

/// The program registry's actual figure of an indicator for a year, as a program manager reads it.
async fn figure(t: &TestApp, code: &str, year: tsunagu_domain::program::FiscalYear) -> Option<i64> {
    let manager = t.account("manager").await;
    let registry = t.app.programs(&manager).await.unwrap();
    registry
        .figures
        .iter()
        .find(|f| {
            f.indicator == code
                && f.year == year
                && f.breakdown.is_empty()
                && f.kind == tsunagu_domain::program::FigureKind::Actual
        })
        .map(|f| f.value)
}

#[tokio::test]
async fn a_client_is_placed_into_an_internship_on_sqlite() {
    a_client_is_placed_into_an_internship_and_its_outcome_counted(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_is_placed_into_an_internship_on_postgres() {
    on_postgres(a_client_is_placed_into_an_internship_and_its_outcome_counted).await;
}

/// The same through the API: a slot opened and edited on its version, a client without consent
/// refused by rule, a client with it placed once, and the outcome recorded.
async fn the_api_opens_a_slot_and_places_a_client(t: TestApp) {
    t.sign_in("worker").await;
    let employer = t.account("employer").await.employer.unwrap();
    let token = t.new_token("実習の調整", &["employers", "persons_read", "persons_write"]).await;
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let call = |method: &'static str, uri: String, body: Option<serde_json::Value>| {
        let (t, token) = (&t, &token);
        async move { t.request(common::bearer(method, &uri, token, body)).await }
    };
    let slots = format!("/api/v1/employers/{}/slots", employer.0);
    let bad = call(
        "POST",
        slots.clone(),
        Some(serde_json::json!({"slot_kind": "tour", "first_day": today.to_string(), "capacity": "0"})),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("slot_title") && bad.body.contains("capacity"), "{}", bad.body);
    let body = serde_json::json!({"slot_kind": "tour", "slot_title": "倉庫の見学", "first_day": today.to_string(), "capacity": "1"});
    let made = call("POST", slots.clone(), Some(body.clone())).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let slot = made.json();
    let id = slot["id"].as_str().unwrap().to_owned();
    assert_eq!(
        (slot["slot_kind"].as_str(), slot["taken"].as_u64(), slot["version"].as_i64()),
        (Some("tour"), Some(0), Some(1))
    );
    let listed = call("GET", slots, None).await.json();
    assert!(listed.as_array().unwrap().iter().any(|s| s["id"] == id.as_str()), "{listed}");
    let mut edit = body.clone();
    edit["capacity"] = "2".into();
    edit["version"] = 1.into();
    let edited = call("PUT", format!("/api/v1/slots/{id}"), Some(edit.clone())).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.json()["capacity"], 2);
    let stale = call("PUT", format!("/api/v1/slots/{id}"), Some(edit)).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "an edit of version 1 after version 2: {}", stale.body);

    let registered = t.post_form("/persons", &common::registration("見学 次郎", "けんがく じろう", "1999-02-02")).await;
    let person = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    let internships = format!("/api/v1/persons/{person}/internships");
    let unknown = call("POST", internships.clone(), Some(serde_json::json!({"slot": "no slot"}))).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", unknown.body);
    assert!(unknown.body.contains("unknown_slot"), "{}", unknown.body);
    let refused = call("POST", internships.clone(), Some(serde_json::json!({"slot": id}))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("no_consent_for_employer"), "{}", refused.body);
    consent_to(&t, &person, employer, &today.to_string()).await;
    let booked = call("POST", internships.clone(), Some(serde_json::json!({"slot": id}))).await;
    assert_eq!(booked.status, StatusCode::CREATED, "{}", booked.body);
    let again = call("POST", internships.clone(), Some(serde_json::json!({"slot": id}))).await;
    assert!(again.body.contains("already_booked"), "{}", again.body);
    let read = call("GET", internships.clone(), None).await.json();
    let booking = &read["bookings"][0];
    assert_eq!((booking["slot"]["id"].as_str(), booking["outcome"].is_null()), (Some(id.as_str()), true), "{read}");
    let outcome = format!("{internships}/{}/outcome", booking["id"].as_str().unwrap());
    let subsidised = serde_json::json!({"outcome": "completed", "insurance_subsidy": true, "version": 1});
    let tour = call("POST", outcome.clone(), Some(subsidised)).await;
    assert_eq!(tour.status, StatusCode::UNPROCESSABLE_ENTITY, "a tour draws no subsidy: {}", tour.body);
    let done = call(
        "POST",
        outcome,
        Some(serde_json::json!({"outcome": "completed", "outcome_note": "質問が多かった", "version": 1})),
    )
    .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
    let read = call("GET", internships, None).await.json();
    assert_eq!(read["bookings"][0]["outcome"]["outcome"], "completed", "{read}");
}

#[tokio::test]
async fn the_api_opens_a_slot_and_places_a_client_on_sqlite() {
    the_api_opens_a_slot_and_places_a_client(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_opens_a_slot_and_places_a_client_on_postgres() {
    on_postgres(the_api_opens_a_slot_and_places_a_client).await;
}
