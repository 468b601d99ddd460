//! Interview fairs over HTTP: set up by an agency's staff, companies by 法人番号, agencies with
//! ranked choices, the optimal schedule beside the greedy baseline, printable timetables, a
//! withdrawal scheduled again without moving anyone else, and edits refused when stale or not
//! the organiser's.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};
use tsunagu_domain::codes::CorporateNumber;

fn number(i: u64) -> String {
    CorporateNumber::from_base(900_000_000_000 + i).as_str().to_owned()
}

/// The value of `name="version"` in a page.
fn version_in(body: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = body.find(marker).map(|i| i + marker.len()).expect("a form with a version");
    body[start..].split('"').next().unwrap().to_owned()
}

/// The directory's agencies the participant form offers, as (id, name), in its order.
fn offered_agencies(body: &str) -> Vec<(String, String)> {
    let start = body.find("id=\"participant\"").expect("the participant menu");
    let menu = &body[start..body[start..].find("</select>").unwrap() + start];
    menu.split("<option value=\"")
        .skip(2)
        .map(|o| {
            let (id, rest) = o.split_once("\">").unwrap();
            (id.to_owned(), rest.split('<').next().unwrap().to_owned())
        })
        .collect()
}

async fn a_fair_is_set_up_scheduled_and_scheduled_again_after_a_withdrawal(t: TestApp) {
    t.sign_in("worker").await;
    let list = t.get("/fairs").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("新しい面談会"));
    let listed = |body: &str| body.matches("<a href=\"/fairs/").count();
    let demo_fairs = listed(&list.body);
    assert_eq!(demo_fairs, 1, "the demo's fair is listed");

    // A header with every problem named, nothing created.
    let bad = t
        .post_form(
            "/fairs",
            &[("title", ""), ("date", "2026-13-01"), ("starts", "23:00"), ("slot_minutes", "60"), ("slots", "3")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("題名を入力してください") && bad.body.contains("実在する日付"), "{}", bad.body);
    assert_eq!(listed(&t.get("/fairs").await.body), demo_fairs, "nothing was created");

    let created = t
        .post_form(
            "/fairs",
            &[
                ("title", "企業と移行推進事業所との面談会"),
                ("date", "2026-10-15"),
                ("venue", "東京しごとセンター 5階"),
                ("starts", "13:30"),
                ("slot_minutes", "20"),
                ("slots", "2"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let url = created.location().to_owned();
    let page = t.get(&url).await;
    assert!(page.body.contains("13:30–14:10") && page.body.contains("東京しごとセンター 5階"), "{}", page.body);

    // Companies by 法人番号: a wrong check digit and an unknown company are named, then two join.
    let version = version_in(&page.body);
    let mut wrong = number(0);
    wrong.replace_range(0..1, if wrong.starts_with('1') { "2" } else { "1" });
    let refused = t
        .post_form(&format!("{url}/companies"), &[("version", &version), ("corporate_number", &wrong), ("desks", "1")])
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("法人番号の検査数字"), "{}", refused.body);
    let unknown = CorporateNumber::from_base(123_456_789_012).as_str().to_owned();
    let refused = t
        .post_form(
            &format!("{url}/companies"),
            &[("version", &version), ("corporate_number", &unknown), ("desks", "1")],
        )
        .await;
    assert!(refused.body.contains("つなぐに登録されていません"), "{}", refused.body);
    for i in [0, 1] {
        let version = version_in(&t.get(&url).await.body);
        let added = t
            .post_form(
                &format!("{url}/companies"),
                &[("version", &version), ("corporate_number", &number(i)), ("desks", "1")],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    let page = t.get(&url).await;
    let companies: Vec<String> = page
        .body
        .split("name=\"choices\"")
        .nth(1)
        .unwrap()
        .split("<option value=\"")
        .skip(2)
        .map(|o| o.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(companies.len(), 2, "both companies are offered as choices");

    // Three agencies: the first two want both companies in opposite orders; the third wants the
    // first company only. Two slots, one desk each: 4 meetings fit.
    let agencies = offered_agencies(&page.body);
    let choices = [[&companies[0], &companies[1]], [&companies[1], &companies[0]], [&companies[0], &String::new()]];
    for (n, choice) in choices.iter().enumerate() {
        let version = version_in(&t.get(&url).await.body);
        let form = [
            ("version", version.as_str()),
            ("participant", agencies[n].0.as_str()),
            ("wants", "2"),
            ("choices", choice[0].as_str()),
            ("choices", choice[1].as_str()),
        ];
        let saved = t.post_form(&format!("{url}/participants"), &form).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    // The same company twice is refused by name.
    let version = version_in(&t.get(&url).await.body);
    let twice = [
        ("version", version.as_str()),
        ("participant", agencies[3].0.as_str()),
        ("wants", "1"),
        ("choices", companies[0].as_str()),
        ("choices", companies[0].as_str()),
    ];
    let refused = t.post_form(&format!("{url}/participants"), &twice).await;
    assert!(refused.body.contains("希望する企業に同じものが2回あります"), "{}", refused.body);

    let version = version_in(&t.get(&url).await.body);
    let scheduled = t.post_form(&format!("{url}/schedule"), &[("version", &version)]).await;
    assert_eq!(scheduled.status, StatusCode::SEE_OTHER, "{}", scheduled.body);
    let page = t.get(scheduled.location()).await;
    assert!(page.body.contains("時間割を作りました"));
    assert!(page.body.contains("希望の合計 19 点・面談 4 件"), "the optimum: {}", page.body);

    let api = t.get(&format!("/api/v1{url}")).await.json();
    let meetings = api["meetings"].as_array().unwrap();
    assert_eq!(meetings.len(), 4);
    for a in &agencies[..3] {
        let slots: Vec<_> =
            meetings.iter().filter(|m| m["agency"] == a.0.as_str()).map(|m| m["slot"].clone()).collect();
        let mut distinct = slots.clone();
        distinct.dedup();
        assert_eq!(slots.len(), distinct.len(), "{} is never in two places at once", a.1);
    }

    let print = t.get(&format!("{url}/timetable")).await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(print.body.contains(&agencies[0].1) && print.body.contains("13:50–14:10"), "{}", print.body);

    // The second agency withdraws; those not affected keep their times.
    let before: Vec<serde_json::Value> =
        meetings.iter().filter(|m| m["agency"] != agencies[1].0.as_str()).cloned().collect();
    let version = version_in(&t.get(&url).await.body);
    let withdrawn =
        t.post_form(&format!("{url}/participants/{}/remove", agencies[1].0), &[("version", &version)]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert!(
        t.get(&url).await.body.contains("「時間割を作り直す」で反映してください"),
        "the schedule is marked as needing to be made again"
    );
    let version = version_in(&t.get(&url).await.body);
    t.post_form(&format!("{url}/schedule"), &[("version", &version)]).await;
    let again = t.get(&format!("/api/v1{url}")).await.json();
    assert_eq!(again["outcome"]["moved"], 0, "{again}");
    for m in &before {
        assert!(again["meetings"].as_array().unwrap().contains(m), "{m} moved: {again}");
    }

    // The fair has been held: it is counted in 6-2's figures of its fiscal year, with the demo's
    // fair (two weeks ahead) not yet.
    let manager = t.account("manager").await;
    let registry = t.app.programs(&manager).await.unwrap();
    let figure = |code: &str| {
        registry
            .figures
            .iter()
            .find(|f| {
                f.indicator == code && f.year == tsunagu_domain::program::FiscalYear(2026) && f.breakdown.is_empty()
            })
            .map(|f| f.value)
    };
    assert_eq!(figure("6-2.matching_sessions"), Some(1));
    assert_eq!(figure("6-2.matching_companies"), Some(2));
    assert_eq!(figure("6-2.matching_agencies"), Some(2));
    assert_eq!(
        figure("6-2.matching_interviews"),
        Some(i64::try_from(again["meetings"].as_array().unwrap().len()).unwrap())
    );

    // A form loaded before a change is refused, and the page shows the fair as it is now.
    let stale = t.post_form(&format!("{url}/schedule"), &[("version", &version)]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("ほかの人がこの面談会を先に変更しました"));

    // Staff of another agency see the fair but cannot change it; an employer account sees none.
    t.sign_in("coach").await;
    let seen = t.get(&url).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.body.contains("時間割を作り直す"), "no edit forms for another agency");
    let refused = t.post_form(&format!("{url}/schedule"), &[("version", "1")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    t.sign_in("employer").await;
    assert_eq!(t.get(&url).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_fair_is_set_up_scheduled_and_scheduled_again_on_sqlite() {
    a_fair_is_set_up_scheduled_and_scheduled_again_after_a_withdrawal(spawn_app().await).await;
}

#[tokio::test]
async fn a_fair_is_set_up_scheduled_and_scheduled_again_on_postgres() {
    on_postgres(a_fair_is_set_up_scheduled_and_scheduled_again_after_a_withdrawal).await;
}
