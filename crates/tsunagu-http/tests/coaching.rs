//! Job coaching over HTTP: a coach sees their agency's roster and dispatches, logs a day from the
//! dispatch's page (mistakes named, the same day refused twice, a day withdrawn), sees their
//! week; a plan outside the limits is refused whole; the API reads a dispatch and logs a day; the
//! registry counts the 東京ジョブコーチ's cases and days.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};

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

async fn a_coach_logs_a_day_of_a_dispatch(t: TestApp) {
    t.sign_in("coach").await;
    let home = t.get("/coaching").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains("職場 支援") && home.body.contains("訪問 はるか"), "the roster");
    assert!(home.body.contains("移行支援期"), "the demo's dispatch is in transition: {}", home.body);
    let dispatch = link(&home.body, "/dispatches/");
    let uri = format!("/dispatches/{dispatch}");
    let page = t.get(&uri).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("稼働日の記録") && page.body.contains("手順書を一緒に作った"));
    let person = t
        .app
        .store()
        .dispatch(tsunagu_domain::coaching::DispatchId(uuid::Uuid::parse_str(&dispatch).unwrap()))
        .await
        .unwrap()
        .unwrap();
    let before = t.app.store().days_of_dispatch(person.id).await.unwrap().len();
    let own = person.fields.coaches[0].0.to_string();
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let tomorrow = (today + time::Duration::days(1)).to_string();

    let days = format!("/dispatches/{dispatch}/days");
    let bad =
        t.post_form(&days, &[("coach", &own), ("worked_on", &tomorrow), ("duration", "2:75"), ("day_note", "")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("<title>エラー:"));
    for said in ["未来の日付", "「2:30」「2時間30分」「150」のように", "支援の内容"] {
        assert!(bad.body.contains(said), "{said}: {}", bad.body);
    }
    let typed_today = today.to_string();
    let day = [("coach", own.as_str()), ("worked_on", &typed_today), ("duration", "2時間"), ("activities", "tasks")];
    let logged = t.post_form(&days, &day).await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
    assert!(t.get(logged.location()).await.body.contains("稼働日を記録しました"));
    let again = t.post_form(&days, &day).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("この日の記録はすでにあります"), "{}", again.body);
    let stored = t.app.store().days_of_dispatch(person.id).await.unwrap();
    assert_eq!(stored.len(), before + 1);
    assert_eq!((stored[0].on, stored[0].minutes), (today, 120));
    let entries = t.app.store().audit_entries(0, 1_000_000).await.unwrap();
    assert!(
        entries.iter().any(|e| e.event.record == format!("coach_day:{}", stored[0].id.0)
            && e.event.person == person.person.0.to_string()),
        "the day is written with its entry on the person's record"
    );

    // The coach's week shows the day with the person's name.
    let week = t.get(&format!("/coaching/coaches/{own}/week")).await;
    assert_eq!(week.status, StatusCode::OK);
    let file = t.app.store().person_file(person.person).await.unwrap().unwrap();
    assert!(week.body.contains(&file.person.fields.name) && week.body.contains("2時間"), "{}", week.body);

    // Withdrawn, it is gone.
    let removed = t.post_form(&format!("/dispatches/{dispatch}/days/{}/remove", stored[0].id.0), &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(t.app.store().days_of_dispatch(person.id).await.unwrap().len(), before);

    // The person's coaching page lists the dispatch and offers a new one.
    let theirs = t.get(&format!("/persons/{}/coaching", person.person.0)).await.body;
    assert!(theirs.contains(&format!("/dispatches/{dispatch}")) && theirs.contains("派遣を計画する"));

    // A plan outside the limits is refused whole, each limit named.
    let before = t.app.store().dispatches_of_person(person.person).await.unwrap().len();
    let plan = [
        ("corporate_number", "1234567890123"),
        ("coaches", own.as_str()),
        ("starts_on", "2026-04-01"),
        ("intensive_until", "2026-05-31"),
        ("intensive_visits", "8"),
        ("transition_until", "2027-01-31"),
        ("transition_visits", "4"),
        ("follow_up_until", "2027-06-30"),
        ("follow_up_visits", "6"),
        ("goals", "手順を覚える"),
    ];
    let refused = t.post_form(&format!("/persons/{}/coaching", person.person.0), &plan).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for said in ["8か月まで", "前の段階の訪問回数以下", "法人番号"] {
        assert!(refused.body.contains(said), "{said}: {}", refused.body);
    }
    assert_eq!(t.app.store().dispatches_of_person(person.person).await.unwrap().len(), before, "nothing is written");

    // Another agency's staff without a case or consent do not see it.
    t.sign_out_locally();
    t.sign_in("teacher").await;
    assert_eq!(t.get(&uri).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_coach_logs_a_day_of_a_dispatch_on_sqlite() {
    a_coach_logs_a_day_of_a_dispatch(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coach_logs_a_day_of_a_dispatch_on_postgres() {
    on_postgres(a_coach_logs_a_day_of_a_dispatch).await;
}

/// The API reads a dispatch with its phase and days and logs a day, naming each field that is
/// wrong; with a coach on the roster as a 東京ジョブコーチ, the registry counts her case and days
/// for program 9-1.
async fn the_api_logs_a_day_and_the_registry_counts_it(t: TestApp) {
    t.sign_in("coach").await;
    let dispatch = link(&t.get("/coaching").await.body, "/dispatches/");
    let token = t.new_token("ジョブコーチの記録", &["persons_read", "persons_write"]).await;
    let uri = format!("/api/v1/dispatches/{dispatch}");
    let read = t.request(common::bearer("GET", &uri, &token, None)).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let read = read.json();
    assert_eq!(read["phase_now"], "transition", "{read}");
    let coach = read["coaches"][1].as_str().unwrap().to_owned();
    let days = read["days"].as_array().unwrap().len();
    let bad =
        serde_json::json!({"coach": "someone", "worked_on": "2000-01-01", "duration": "", "activities": ["dancing"]});
    let refused = t.request(common::bearer("POST", &format!("{uri}/days"), &token, Some(bad))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["\"coach\"", "\"worked_on\"", "\"duration\"", "\"activities\""] {
        assert!(refused.body.contains(field), "{field}: {}", refused.body);
    }
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc()).to_string();
    let good =
        serde_json::json!({"coach": coach, "worked_on": today, "duration": "90", "activities": ["communication"]});
    let made = t.request(common::bearer("POST", &format!("{uri}/days"), &token, Some(good))).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let again = t.request(common::bearer("GET", &uri, &token, None)).await.json();
    assert_eq!(again["days"].as_array().unwrap().len(), days + 1);

    // The second coach becomes a 東京ジョブコーチ: 9-1 counts her case and her days this year.
    let form = t.get(&format!("/coaching/coaches/{coach}")).await.body;
    let version = form.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let edited = t
        .post_form(
            &format!("/coaching/coaches/{coach}"),
            &[
                ("version", &version),
                ("coach_name", "訪問 はるか"),
                ("coach_kind", "tokyo"),
                ("active_from", "2024-04-01"),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    let manager = t.account("manager").await;
    let registry = t.app.programs(&manager).await.unwrap();
    let year = tsunagu_domain::program::FiscalYear::of(tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc()));
    let figure = |code: &str| {
        registry
            .figures
            .iter()
            .find(|f| f.indicator == code && f.year == year && f.breakdown.is_empty())
            .map(|f| f.value)
    };
    assert_eq!(figure("9-1.jobcoaches"), Some(1));
    assert_eq!(figure("9-1.support_cases"), Some(1));
    let her_days = t
        .app
        .store()
        .every_coach_day()
        .await
        .unwrap()
        .iter()
        .filter(|d| d.coach.0.to_string() == coach && tsunagu_domain::program::FiscalYear::of(d.on) == year)
        .map(|d| d.on)
        .collect::<std::collections::BTreeSet<_>>()
        .len() as i64;
    assert!(her_days > 0);
    assert_eq!(figure("9-1.working_days"), Some(her_days));
}

#[tokio::test]
async fn the_api_logs_a_day_and_the_registry_counts_it_on_sqlite() {
    the_api_logs_a_day_and_the_registry_counts_it(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_logs_a_day_and_the_registry_counts_it_on_postgres() {
    on_postgres(the_api_logs_a_day_and_the_registry_counts_it).await;
}

/// The roster and the plans through the API: a coach added (every mistake named by its field),
/// edited on its version; a person's dispatches read; a plan outside the limits refused, naming the
/// fields; a dispatch's end recorded on its version.
async fn the_api_keeps_the_roster_and_the_plans(t: TestApp) {
    t.sign_in("coach").await;
    let token = t.new_token("ジョブコーチの名簿", &["persons_read", "persons_write"]).await;
    let call = |method: &'static str, uri: String, body: Option<serde_json::Value>| {
        let (t, token) = (&t, &token);
        async move { t.request(common::bearer(method, &uri, token, body)).await }
    };
    let roster = call("GET", "/api/v1/coaches".into(), None).await.json();
    assert_eq!(roster.as_array().unwrap().len(), 2, "{roster}");
    assert!(roster.as_array().unwrap().iter().any(|c| c["mine"] == true && c["coach_name"] == "職場 支援"));
    let bad = call("POST", "/api/v1/coaches".into(), Some(serde_json::json!({"coach_kind": "wizard"}))).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["\"coach_name\"", "\"coach_kind\"", "\"active_from\""] {
        assert!(bad.body.contains(field), "{field}: {}", bad.body);
    }
    let body = serde_json::json!({"coach_name": "企業 在籍", "coach_kind": "in_house", "active_from": "2026-04-01"});
    let made = call("POST", "/api/v1/coaches".into(), Some(body.clone())).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = made.json()["id"].as_str().unwrap().to_owned();
    let mut edit = body;
    edit["active_until"] = "2026-11-30".into();
    edit["version"] = 1.into();
    let edited = call("PUT", format!("/api/v1/coaches/{id}"), Some(edit.clone())).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(
        (edited.json()["active_until"].as_str(), edited.json()["version"].as_i64()),
        (Some("2026-11-30"), Some(2))
    );
    let stale = call("PUT", format!("/api/v1/coaches/{id}"), Some(edit)).await;
    assert!(stale.status == StatusCode::UNPROCESSABLE_ENTITY && stale.body.contains("coach_changed"), "{}", stale.body);

    let dispatch = link(&t.get("/coaching").await.body, "/dispatches/");
    let read = call("GET", format!("/api/v1/dispatches/{dispatch}"), None).await.json();
    let person = read["person_id"].as_str().unwrap().to_owned();
    let listed = call("GET", format!("/api/v1/persons/{person}/dispatches"), None).await.json();
    assert_eq!(listed[0]["id"], dispatch.as_str(), "{listed}");
    let before = listed.as_array().unwrap().len();
    let plan = serde_json::json!({
        "corporate_number": "", "coaches": [read["coaches"][0]], "starts_on": "2026-04-01",
        "intensive_until": "2026-05-31", "intensive_visits": "8", "transition_until": "2027-01-31",
        "transition_visits": "9", "follow_up_until": "2027-06-30", "follow_up_visits": "1", "goals": "手順を覚える"
    });
    let refused = call("POST", format!("/api/v1/persons/{person}/dispatches"), Some(plan)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for code in ["support_too_long", "visits_do_not_fade", "\"corporate_number\""] {
        assert!(refused.body.contains(code), "{code}: {}", refused.body);
    }
    let after = call("GET", format!("/api/v1/persons/{person}/dispatches"), None).await.json();
    assert_eq!(after.as_array().unwrap().len(), before, "nothing is written");

    // The end recorded on the version read; the same version again is refused.
    let view = t
        .app
        .dispatch_view(
            &t.account("coach").await,
            tsunagu_domain::coaching::DispatchId(uuid::Uuid::parse_str(&dispatch).unwrap()),
        )
        .await
        .unwrap();
    let mut end = serde_json::to_value(tsunagu_domain::coaching::DispatchInput::of(&view.dispatch.fields)).unwrap();
    end["corporate_number"] = view.employer.0.clone().into();
    end["support_ended_on"] = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc()).to_string().into();
    end["version"] = read["version"].clone();
    let ended = call("PUT", format!("/api/v1/dispatches/{dispatch}"), Some(end.clone())).await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert!(ended.json()["support_ended_on"].is_string());
    let again = call("PUT", format!("/api/v1/dispatches/{dispatch}"), Some(end)).await;
    assert!(
        again.status == StatusCode::UNPROCESSABLE_ENTITY && again.body.contains("dispatch_changed"),
        "{}",
        again.body
    );
}

#[tokio::test]
async fn the_api_keeps_the_roster_and_the_plans_on_sqlite() {
    the_api_keeps_the_roster_and_the_plans(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_keeps_the_roster_and_the_plans_on_postgres() {
    on_postgres(the_api_keeps_the_roster_and_the_plans).await;
}
