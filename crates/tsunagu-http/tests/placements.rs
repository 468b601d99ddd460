//! Placements over HTTP: a support worker records that a client was hired — the employer by its
//! 法人番号, the form filled in when opened from an employer — and the journey moves to 就職
//! with its follow-ups scheduled, in one audited write; the end moves it to 離職 and closes the
//! follow-ups. Every rule names itself, and nothing is half-written.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};
use tsunagu_domain::journey::Stage;
use tsunagu_domain::person::PersonId;

fn value_of<'a>(body: &'a str, name: &str) -> &'a str {
    let at = body.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no {name} in {body}"));
    body[at..].split("value=\"").nth(1).unwrap().split('"').next().unwrap()
}

async fn a_placement_moves_the_journey_and_its_end_moves_it_on(t: TestApp) {
    t.sign_in("worker").await;
    let registered =
        t.post_form("/persons", &common::registration("就職 一郎", "しゅうしょく いちろう", "1995-05-05")).await;
    let person = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    let id = PersonId(uuid::Uuid::parse_str(&person).unwrap());
    let employers = t.get("/employers").await.body;
    let employer = employers
        .split("href=\"/employers/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .find(|id| uuid::Uuid::parse_str(id).is_ok())
        .expect("the demo has employers");
    let uri = format!("/persons/{person}/placements");

    // Opened from an employer, the form carries its 法人番号.
    let form = t.get(&format!("{uri}?employer={employer}")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("就職 一郎さんの就職の記録") && form.body.contains("就職の記録はまだありません"));
    let number = value_of(&form.body, "corporate_number").to_owned();
    assert_eq!(number.len(), 13, "{number}");
    // Opened from one of an employer's openings (the persons it suits), the opening is chosen.
    let offering = t.account("employer").await.employer.unwrap();
    let opening = t.app.store().openings_of(offering).await.unwrap()[0].id.0;
    let chosen = t.get(&format!("{uri}?employer={}&opening={opening}", offering.0)).await.body;
    assert!(chosen.contains(&format!("<option value=\"{opening}\" selected")), "{chosen}");

    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let yesterday = (today - time::Duration::days(1)).to_string();
    let today_text = today.to_string();
    let fields = |number: &str, hired_on: &str| {
        vec![
            ("corporate_number".to_owned(), number.to_owned()),
            ("job_title".to_owned(), "商品の検品".to_owned()),
            ("hired_on".to_owned(), hired_on.to_owned()),
            ("weekly_hours".to_owned(), "２０".to_owned()),
            ("employment_kind".to_owned(), "general".to_owned()),
            ("loaded_stage".to_owned(), String::new()),
        ]
    };
    let post = |form: Vec<(String, String)>| {
        let uri = uri.clone();
        let t = &t;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            t.post_form(&uri, &form).await
        }
    };

    // Before the person was registered, or a 法人番号 whose check digit is wrong: refused, named.
    let early = post(fields(&number, &yesterday)).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("就職日（初出勤日）は本人を登録した日以降にしてください。"), "{}", early.body);
    let wrong = format!("{}{}", &number[..12], (number[12..].parse::<u8>().unwrap() + 1) % 10);
    let bad = post(fields(&wrong, &today_text)).await;
    assert!(bad.body.contains("法人番号の検査数字（最後の桁）が正しくありません。"), "{}", bad.body);
    assert!(t.app.store().placements_of(id).await.unwrap().is_empty(), "nothing written");
    assert_eq!(t.app.store().person_file(id).await.unwrap().unwrap().stage, None);

    let recorded = post(fields(&number, &today_text)).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let page = t.get(recorded.location()).await;
    assert!(page.body.contains("就職を記録しました") && page.body.contains("在職中"), "{}", page.body);
    assert!(page.body.contains("商品の検品") && page.body.contains("週20時間"));
    assert!(page.body.contains("離職を記録する") && !page.body.contains("name=\"corporate_number\""));
    let store = t.app.store();
    assert_eq!(store.person_file(id).await.unwrap().unwrap().stage, Some(Stage::Employed));
    let follow_ups = store.follow_ups_of(id).await.unwrap();
    assert!(!follow_ups.is_empty() && follow_ups.iter().all(|f| f.placed_on == today), "{follow_ups:?}");
    let placements = store.placements_of(id).await.unwrap();
    assert_eq!(placements.len(), 1);
    let placement = &placements[0];
    let entries = store.audit_entries(0, 1_000_000).await.unwrap();
    assert!(entries.iter().any(|e| e.event.record == format!("placement:{}", placement.id.0)));

    // One job at a time.
    let twice = post(fields(&number, &today_text)).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("在職中の就職があります。先にその離職を記録してください。"), "{}", twice.body);

    // The end: not before the start; then the journey moves to 離職 and the follow-ups close.
    let end_uri = format!("{uri}/{}/end", placement.id.0);
    let end =
        |on: &str| vec![("ended_on", on.to_owned()), ("end_reason", "health".to_owned()), ("version", "1".to_owned())];
    let send = |form: Vec<(&'static str, String)>| {
        let end_uri = end_uri.clone();
        let t = &t;
        async move {
            let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            t.post_form(&end_uri, &form).await
        }
    };
    let before = send(end(&yesterday)).await;
    assert_eq!(before.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(before.body.contains("最終出勤日は就職日以降にしてください。"), "{}", before.body);
    let ended = send(end(&today_text)).await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.body);
    assert_eq!(store.person_file(id).await.unwrap().unwrap().stage, Some(Stage::Separated));
    assert!(store.follow_ups_of(id).await.unwrap().iter().all(|f| !f.is_open()), "closed");
    let page = t.get(ended.location()).await;
    assert!(page.body.contains("離職（体調・障害の状況）"), "{}", page.body);
    let again = send(end(&today_text)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("この就職の離職はすでに記録されています。"), "{}", again.body);

    // The form to record the next job is back; another agency without a case reads nothing.
    assert!(page.body.contains("name=\"corporate_number\""));
    t.sign_out_locally();
    t.sign_in("coach").await;
    assert_eq!(t.get(&uri).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_placement_moves_the_journey_on_sqlite() {
    a_placement_moves_the_journey_and_its_end_moves_it_on(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_placement_moves_the_journey_on_postgres() {
    on_postgres(a_placement_moves_the_journey_and_its_end_moves_it_on).await;
}

async fn the_api_records_a_job_and_its_end(t: TestApp) {
    t.sign_in("worker").await;
    let registered = t.post_form("/persons", &common::registration("連携 五郎", "れんけい ごろう", "1990-01-01")).await;
    let person = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    let token = t.new_token("ケース記録システム", &["persons_read", "persons_write"]).await;
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc()).to_string();
    let uri = format!("/api/v1/persons/{person}/placements");
    let body = serde_json::json!({
        "corporate_number": "9000-0000-0000-1", "hired_on": today, "weekly_hours": "30", "employment_kind": "type_a",
    });
    let wrong = t.request(common::bearer("POST", &uri, &token, Some(body.clone()))).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.body);
    assert!(wrong.body.contains("corporate_number"), "{}", wrong.body);
    let number = tsunagu_domain::CorporateNumber::from_base(900_000_000_000).as_str().to_owned();
    let body = serde_json::json!({
        "corporate_number": number, "hired_on": today, "weekly_hours": "30", "employment_kind": "type_a",
    });
    let created = t.request(common::bearer("POST", &uri, &token, Some(body))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let read = t.request(common::bearer("GET", &uri, &token, None)).await.json();
    assert_eq!(read["stage"], "employed", "{read}");
    let placement = &read["placements"][0];
    assert_eq!((placement["kind"].as_str(), placement["hours_per_week"].as_u64()), (Some("type_a"), Some(30)));
    let end_uri = format!("{uri}/{}/end", placement["id"].as_str().unwrap());
    let stale = serde_json::json!({ "ended_on": today, "end_reason": "new_job", "version": 7 });
    assert_eq!(t.request(common::bearer("POST", &end_uri, &token, Some(stale))).await.status, StatusCode::CONFLICT);
    let end = serde_json::json!({ "ended_on": today, "end_reason": "new_job", "version": 1 });
    let ended = t.request(common::bearer("POST", &end_uri, &token, Some(end))).await;
    assert_eq!(ended.status, StatusCode::NO_CONTENT, "{}", ended.body);
    let read = t.request(common::bearer("GET", &uri, &token, None)).await.json();
    assert_eq!(
        (read["stage"].as_str(), read["placements"][0]["end_reason"].as_str()),
        (Some("separated"), Some("new_job"))
    );
}

#[tokio::test]
async fn the_api_records_a_job_and_its_end_on_sqlite() {
    the_api_records_a_job_and_its_end(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_records_a_job_and_its_end_on_postgres() {
    on_postgres(the_api_records_a_job_and_its_end).await;
}
