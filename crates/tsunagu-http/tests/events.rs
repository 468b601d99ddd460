//! Events over HTTP: a support worker organises a seminar (mistakes named row by row, nothing
//! half-written); staff sign up until it is full and then wait in line; a cancellation gives the
//! seat to the first in line, who is told on their events page; capacity cannot drop below the
//! seats taken; a person is signed up from their page, audited on them; attendance gives a
//! certificate; the calendars parse as iCalendar; program 7-2 counts the seminar; the API says
//! where a sign-up stands.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};

fn today() -> time::Date {
    tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc())
}

/// This fiscal year's figure of `indicator` for `breakdown`.
async fn figure(t: &TestApp, indicator: &str, breakdown: &str) -> Option<i64> {
    let manager = t.account("manager").await;
    let registry = t.app.programs(&manager).await.unwrap();
    let year = tsunagu_domain::program::FiscalYear::of(today());
    registry
        .figures
        .iter()
        .find(|f| f.indicator == indicator && f.year == year && f.breakdown == breakdown)
        .map(|f| f.value)
}

/// A seminar for staff and persons, held today, taking sign-ups today, of `capacity` seats.
fn seminar(capacity: &str) -> Vec<(&'static str, String)> {
    let day = today().to_string();
    vec![
        ("event_kind", "seminar".into()),
        ("series", "topic_seminar".into()),
        ("event_title", "就労支援課題別セミナー「アセスメントの視点を学ぶ」".into()),
        ("event_description", "アセスメントの方法を事例で学びます。\n筆記用具をお持ちください。".into()),
        ("audience", "staff".into()),
        ("audience", "persons".into()),
        ("event_starts_on", day.clone()),
        ("event_ends_on", day.clone()),
        ("session_date", day.clone()),
        ("session_starts", "13:30".into()),
        ("session_ends", "16:30".into()),
        ("session_place", "東京障害者職業センター 3階研修室".into()),
        ("event_capacity", capacity.into()),
        ("opens_on", day.clone()),
        ("closes_on", day),
    ]
}

fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

async fn staff_fill_a_seminar_and_wait_in_line(t: TestApp) {
    t.sign_in("worker").await;
    let seminars = figure(&t, "7-2.topic_seminar_sessions", "").await.unwrap_or(0);

    // Mistakes are named, each session row by its number; nothing is written.
    let mut bad = seminar("0");
    bad.retain(|(k, _)| *k != "audience");
    bad.push(("session_date", "2000-01-01".into()));
    bad.push(("session_starts", "10:00".into()));
    bad.push(("session_ends", "09:00".into()));
    bad.push(("session_place", "会議室".into()));
    let before = t.app.store().every_event().await.unwrap().len();
    let refused = t.post_form("/events", &pairs(&bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for said in ["対象を1つ以上選んでください", "2回目の日付が、初日から最終日までの間にありません", "定員は1から10000"]
    {
        assert!(refused.body.contains(said), "{said}: {}", refused.body);
    }
    assert!(refused.body.contains("<title>エラー:"), "the title says the page has errors");
    assert!(refused.body.contains("アセスメントの方法を事例で学びます"), "what was typed is kept");
    assert_eq!(t.app.store().every_event().await.unwrap().len(), before, "nothing is written");

    // One seat: the worker takes it, the coach waits in line.
    let made = t.post_form("/events", &pairs(&seminar("1"))).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page_uri = made.location().split('?').next().unwrap().to_owned();
    let shown = t.get(made.location()).await.body;
    assert!(shown.contains("催しを保存しました") && shown.contains("13:30–16:30"), "{shown}");
    let signed = t.post_form(&format!("{page_uri}/signups"), &[]).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER);
    assert!(t.get(signed.location()).await.body.contains("参加が決まりました"));
    let twice = t.post_form(&format!("{page_uri}/signups"), &[]).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("すでに申し込んでいます"), "{}", twice.body);

    t.sign_out_locally();
    t.sign_in("coach").await;
    let page = t.get(&page_uri).await.body;
    assert!(page.contains("キャンセル待ちで申し込む"), "a full event says the sign-up will wait: {page}");
    let waiting = t.post_form(&format!("{page_uri}/signups"), &[]).await;
    assert_eq!(waiting.status, StatusCode::SEE_OTHER);
    assert!(t.get(waiting.location()).await.body.contains("キャンセル待ちで受け付けました（1番目）"));

    // The organiser cannot drop below the seats taken; raising them gives the seat to the line.
    t.sign_out_locally();
    t.sign_in("worker").await;
    let event = t
        .app
        .store()
        .every_event()
        .await
        .unwrap()
        .into_iter()
        .find(|e| page_uri.ends_with(&e.id.0.to_string()))
        .unwrap();
    let mut fewer = seminar("1");
    fewer.push(("version", event.version.to_string()));
    let mut more = seminar("2");
    more.push(("version", event.version.to_string()));
    // A second confirmed seat first: raise to 2, so the coach moves up, then try 1.
    assert_eq!(t.post_form(&format!("{page_uri}/edit"), &pairs(&more)).await.status, StatusCode::SEE_OTHER);
    let signups = t.app.store().signups_of_event(event.id).await.unwrap();
    assert!(signups.iter().all(|s| s.status == tsunagu_domain::event::SignupStatus::Confirmed), "{signups:?}");
    let mut fewer_now = seminar("1");
    fewer_now.push(("version", (event.version + 1).to_string()));
    let lowered = t.post_form(&format!("{page_uri}/edit"), &pairs(&fewer_now)).await;
    assert_eq!(lowered.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(lowered.body.contains("参加が決まっている人数より少なくはできません"), "{}", lowered.body);
    let stale = t.post_form(&format!("{page_uri}/edit"), &pairs(&fewer)).await;
    assert!(stale.body.contains("ほかの人が変更しました"), "{}", stale.body);

    // The worker cancels; the roster shows the coach as confirmed and the seat as free.
    let mine = t.app.store().signups_of_account(t.account("worker").await.id).await.unwrap();
    let cancelled = t.post_form(&format!("/signups/{}/cancel", mine[0].0.id.0), &[("from", "event")]).await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    let after = t.get(cancelled.location()).await.body;
    assert!(after.contains("申込を取り消しました") && after.contains("参加決定 1名、キャンセル待ち 0名"), "{after}");

    // The program counts the seminar held today under the organiser's office.
    assert_eq!(figure(&t, "7-2.topic_seminar_sessions", "").await, Some(seminars + 1));
}

async fn a_seat_that_comes_free_goes_to_the_first_in_line(t: TestApp) {
    t.sign_in("worker").await;
    let made = t.post_form("/events", &pairs(&seminar("1"))).await;
    let page_uri = made.location().split('?').next().unwrap().to_owned();
    assert_eq!(t.post_form(&format!("{page_uri}/signups"), &[]).await.status, StatusCode::SEE_OTHER);
    t.sign_out_locally();
    t.sign_in("coach").await;
    assert_eq!(t.post_form(&format!("{page_uri}/signups"), &[]).await.status, StatusCode::SEE_OTHER);
    assert!(!t.get("/events").await.body.contains("キャンセル待ちから参加が決まりました"));
    t.sign_out_locally();
    t.sign_in("worker").await;
    let mine = t.app.store().signups_of_account(t.account("worker").await.id).await.unwrap();
    let event_id = mine[0].1.id;
    t.post_form(&format!("/signups/{}/cancel", mine[0].0.id.0), &[("from", "list")]).await;
    t.sign_out_locally();
    t.sign_in("coach").await;
    let events = t.get("/events").await.body;
    assert!(events.contains("キャンセル待ちから参加が決まりました"), "the coach is told: {events}");
    assert!(events.contains("参加する回が近づいています"), "and reminded of today's session: {events}");

    // Attendance gives the coach a certificate; the worker, who cancelled, has none.
    t.sign_out_locally();
    t.sign_in("worker").await;
    let signups = t.app.store().signups_of_event(event_id).await.unwrap();
    let coach_signup = signups.iter().find(|s| s.status == tsunagu_domain::event::SignupStatus::Confirmed).unwrap();
    let form = t.get(&format!("/events/{}/attendance/1", event_id.0)).await;
    assert_eq!(form.status, StatusCode::OK);
    let id = coach_signup.id.0.to_string();
    let recorded = t.post_form(&format!("/events/{}/attendance/1", event_id.0), &[("present", id.as_str())]).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let certificate = t.get(&format!("/signups/{id}/certificate")).await;
    assert_eq!(certificate.status, StatusCode::OK);
    assert!(
        certificate.body.contains("修了したことを証します") && certificate.body.contains("職場 支援"),
        "{}",
        certificate.body
    );
    let cancelled = signups.iter().find(|s| s.status == tsunagu_domain::event::SignupStatus::Cancelled).unwrap();
    assert_eq!(t.get(&format!("/signups/{}/certificate", cancelled.id.0)).await.status, StatusCode::NOT_FOUND);
    assert_eq!(figure(&t, "7-2.topic_seminar_scale", "").await.map(|v| v >= 1), Some(true));

    // The calendars parse; the public feed gives no online link.
    let ics = t.get(&format!("/events/{}/calendar.ics", event_id.0)).await;
    assert_eq!(ics.headers["content-type"], "text/calendar; charset=utf-8");
    let unfolded = icalendar::parser::unfold(&ics.body);
    let calendar = icalendar::parser::read_calendar(&unfolded).expect("iCalendar");
    let events: Vec<_> = calendar.components.iter().filter(|c| c.name == "VEVENT").collect();
    assert_eq!(events.len(), 1);
    let summary = events[0].find_prop("SUMMARY").map(|p| p.val.to_string());
    assert_eq!(summary.as_deref(), Some("就労支援課題別セミナー「アセスメントの視点を学ぶ」"));
    let start = events[0].find_prop("DTSTART").map(|p| p.val.to_string()).unwrap();
    assert!(start.ends_with("T043000Z"), "13:30 in Tokyo is 04:30 UTC: {start}");
}

async fn a_person_is_signed_up_from_their_page(t: TestApp) {
    t.sign_in("worker").await;
    let person = t.account("person").await.person.unwrap();
    let made = t.post_form("/events", &pairs(&seminar("5"))).await;
    let event = made.location().split('?').next().unwrap().trim_start_matches("/events/").to_owned();
    let page = t.get(&format!("/persons/{}/events", person.0)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("この方を申し込む"), "{}", page.body);
    let signed = t.post_form(&format!("/events/{event}/signups"), &[("person", &person.0.to_string())]).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    let shown = t.get(signed.location()).await.body;
    assert!(shown.contains("参加決定") && shown.contains("アセスメントの視点"), "{shown}");
    let entries = t.app.store().audit_entries(0, 1_000_000).await.unwrap();
    assert!(
        entries.iter().any(|e| e.event.record.starts_with("event_signup:") && e.event.person == person.0.to_string()),
        "the sign-up is audited on the person"
    );
    // The person sees it among their own sign-ups; the disclosure holds it.
    t.sign_out_locally();
    t.sign_in("person").await;
    let mine = t.get("/events").await.body;
    assert!(mine.contains("アセスメントの視点") && mine.contains("参加決定"), "{mine}");
    let disclosure = t.get(&format!("/persons/{}/disclosure.json", person.0)).await.json();
    assert_eq!(disclosure["events"][0]["status"], "confirmed");
    // An event for staff only is not shown to the person.
    t.sign_out_locally();
    t.sign_in("worker").await;
    let mut staff_only = seminar("5");
    staff_only.retain(|(k, v)| !(*k == "audience" && v == "persons"));
    staff_only.iter_mut().filter(|(k, _)| *k == "event_title").for_each(|(_, v)| *v = "職員向け勉強会".into());
    assert_eq!(t.post_form("/events", &pairs(&staff_only)).await.status, StatusCode::SEE_OTHER);
    t.sign_out_locally();
    t.sign_in("person").await;
    assert!(!t.get("/events").await.body.contains("職員向け勉強会"));

    // The API says where a sign-up stands; a window not open yet is refused by name.
    t.sign_out_locally();
    t.sign_in("coach").await;
    let token = t.new_token("催し", &["events"]).await;
    let signed = t
        .request(common::bearer(
            "POST",
            &format!("/api/v1/events/{event}/signups"),
            &token,
            Some(serde_json::json!({})),
        ))
        .await;
    assert_eq!(signed.status, StatusCode::CREATED, "{}", signed.body);
    assert_eq!(signed.json()["status"], "confirmed");
    let later = (today() + time::Duration::days(10)).to_string();
    let body = serde_json::json!({
        "event_kind": "seminar", "event_title": "来月のセミナー", "audience": ["staff"],
        "event_starts_on": later, "event_ends_on": later,
        "sessions": [{"date": later, "starts": "10:00", "ends": "12:00", "place": "https://meet.example.jp/a"}],
        "event_capacity": "10", "opens_on": later, "closes_on": later,
    });
    let created = t.request(common::bearer("POST", "/api/v1/events", &token, Some(body))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let early = t
        .request(common::bearer("POST", &format!("/api/v1/events/{id}/signups"), &token, Some(serde_json::json!({}))))
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("signup_not_open"), "{}", early.body);
    // Anyone's calendar may follow the agency's feed, without the online link.
    t.sign_out_locally();
    let agency = t.account("coach").await.agency.unwrap();
    let feed = t.get(&format!("/agencies/{}/events.ics", agency.0)).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.body.contains("来月のセミナー") && !feed.body.contains("meet.example.jp"), "{}", feed.body);
}

#[tokio::test]
async fn staff_fill_a_seminar_and_wait_in_line_on_sqlite() {
    staff_fill_a_seminar_and_wait_in_line(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_fill_a_seminar_and_wait_in_line_on_postgres() {
    on_postgres(staff_fill_a_seminar_and_wait_in_line).await;
}

#[tokio::test]
async fn a_seat_that_comes_free_goes_to_the_first_in_line_on_sqlite() {
    a_seat_that_comes_free_goes_to_the_first_in_line(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_seat_that_comes_free_goes_to_the_first_in_line_on_postgres() {
    on_postgres(a_seat_that_comes_free_goes_to_the_first_in_line).await;
}

#[tokio::test]
async fn a_person_is_signed_up_from_their_page_on_sqlite() {
    a_person_is_signed_up_from_their_page(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_is_signed_up_from_their_page_on_postgres() {
    on_postgres(a_person_is_signed_up_from_their_page).await;
}

async fn councils_keep_their_area_agenda_and_minutes(t: TestApp) {
    t.sign_in("counselor").await;
    let day = today().to_string();
    let later = (today() + time::Duration::days(30)).to_string();
    let council = |date: &str, area: &str, minutes: &str| {
        vec![
            ("event_kind", "council".to_owned()),
            ("series", "employment_council".to_owned()),
            ("event_title", "障害者雇用支援連絡協議会（城北）".to_owned()),
            ("audience", "staff".to_owned()),
            ("event_starts_on", date.to_owned()),
            ("event_ends_on", date.to_owned()),
            ("session_date", date.to_owned()),
            ("session_starts", "14:00".to_owned()),
            ("session_ends", "16:00".to_owned()),
            ("session_place", "北区役所 第一会議室".to_owned()),
            ("event_capacity", "30".to_owned()),
            ("opens_on", day.clone()),
            ("closes_on", date.to_owned()),
            ("area", area.to_owned()),
            ("agenda", "1 管内の雇用状況\n2 定着支援の事例".to_owned()),
            ("council_minutes", minutes.to_owned()),
        ]
    };
    let early = t.post_form("/events", &pairs(&council(&later, "johoku", "全員出席。"))).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("議事録は、開催日以降に入力してください"), "{}", early.body);
    let nowhere = t.post_form("/events", &pairs(&council(&day, "atlantis", ""))).await;
    assert_eq!(nowhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(nowhere.body.contains("地域（ブロック）に一致する選択肢がありません"), "{}", nowhere.body);
    let held =
        t.post_form("/events", &pairs(&council(&day, "johoku", "定着支援の事例を3件共有した。\n次回は2月。"))).await;
    assert_eq!(held.status, StatusCode::SEE_OTHER, "{}", held.body);
    let page = t.get(held.location()).await.body;
    assert!(page.contains("城北") && page.contains("定着支援の事例を3件共有した。") && page.contains("議題"), "{page}");
    let councils = t.get("/councils").await.body;
    assert!(councils.contains("障害者雇用支援連絡協議会（城北）") && councils.contains("議事録あり"), "{councils}");
}

#[tokio::test]
async fn councils_keep_their_area_agenda_and_minutes_on_sqlite() {
    councils_keep_their_area_agenda_and_minutes(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn councils_keep_their_area_agenda_and_minutes_on_postgres() {
    on_postgres(councils_keep_their_area_agenda_and_minutes).await;
}
