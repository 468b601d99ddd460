//! Trial employment over HTTP: Hello Work sees its trials with the one falling behind first, logs a
//! week from the trial's page (mistakes named, a week logged twice kept once, a week withdrawn),
//! records a grant decision that program 9-5 counts; a plan the course does not allow is refused
//! whole; the support worker reads the trial but decides no grant; the API reads a trial, logs a
//! week and refuses a stale edit.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};
use tsunagu_domain::person::DisabilityCategory;
use tsunagu_domain::trial::TrialId;

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

/// This fiscal year's 9-5 figure as the registry computes it.
async fn grants_this_year(t: &TestApp) -> Option<i64> {
    let manager = t.account("manager").await;
    let registry = t.app.programs(&manager).await.unwrap();
    let year = tsunagu_domain::program::FiscalYear::of(today());
    registry
        .figures
        .iter()
        .find(|f| f.indicator == "9-5.grant_decisions" && f.year == year && f.breakdown.is_empty())
        .map(|f| f.value)
}

async fn hello_work_follows_a_trial_and_records_its_grant(t: TestApp) {
    t.sign_in("hellowork").await;
    let home = t.get("/trials").await;
    assert_eq!(home.status, StatusCode::OK, "{}", home.body);
    assert!(home.body.contains("予定を下回って2週"), "the demo's running trial falls behind: {}", home.body);
    let trial = link(&home.body, "/trials/");
    let id = TrialId(uuid::Uuid::parse_str(&trial).unwrap());
    let uri = format!("/trials/{trial}");
    let page = t.get(&uri).await;
    assert_eq!(page.status, StatusCode::OK);
    for said in [
        "直近2週の勤務時間が予定を下回っています",
        "障害者短時間トライアルコース",
        "週20時間",
        "週の勤務時間を記録する",
    ] {
        assert!(page.body.contains(said), "{said}: {}", page.body);
    }
    let stored = t.app.store().trial(id).await.unwrap().unwrap();
    let weeks = || async { t.app.store().weeks_of_trials(&[id]).await.unwrap() };
    let before = weeks().await;

    // Mistakes are named, nothing is written.
    let next_week = (today() + time::Duration::days(7)).to_string();
    let bad = t.post_form(&format!("{uri}/weeks"), &[("week_of", &next_week), ("worked_hours", "たくさん")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("<title>エラー:"));
    for said in ["まだ始まっていません", "「18」「17.5」「17:30」のように"] {
        assert!(bad.body.contains(said), "{said}: {}", bad.body);
    }
    assert_eq!(weeks().await, before);

    // Last week's hours, logged on any day of it and then corrected: kept once, on its Monday.
    let last_week = tsunagu_domain::coaching::week_of(today()) - time::Duration::days(7);
    let wednesday = (last_week + time::Duration::days(2)).to_string();
    let logged = t.post_form(&format!("{uri}/weeks"), &[("week_of", &wednesday), ("worked_hours", "19.5")]).await;
    assert_eq!(logged.status, StatusCode::SEE_OTHER, "{}", logged.body);
    assert!(t.get(logged.location()).await.body.contains("週の勤務時間を記録しました"));
    let again = t.post_form(&format!("{uri}/weeks"), &[("week_of", &wednesday), ("worked_hours", "20")]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let now = weeks().await;
    let theirs: Vec<_> = now.iter().filter(|w| w.week_of == last_week).collect();
    assert_eq!(theirs.len(), 1, "one per week");
    assert_eq!(theirs[0].minutes, 20 * 60, "the correction replaces the first log");
    let entries = t.app.store().audit_entries(0, 1_000_000).await.unwrap();
    assert!(
        entries.iter().any(|e| e.event.record == format!("trial_week:{trial}:{last_week}")
            && e.event.person == stored.person.0.to_string()),
        "the week is written with its entry on the person's record"
    );
    let removed = t.post_form(&format!("{uri}/weeks/{last_week}/remove"), &[]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(!weeks().await.iter().any(|w| w.week_of == last_week));

    // A grant decision: over the course's monthly amount is refused; within it, 9-5 counts it.
    let counted = grants_this_year(&t).await.unwrap_or(0);
    let version = stored.version.to_string();
    let typed_today = today().to_string();
    let over = [
        ("version", version.as_str()),
        ("decided_on", &typed_today),
        ("grant_months", "2"),
        ("grant_amount", "90,000円"),
    ];
    let refused = t.post_form(&format!("{uri}/grants"), &over).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("1か月あたり") && refused.body.contains("円を超えます"), "{}", refused.body);
    let within = [
        ("version", version.as_str()),
        ("decided_on", &typed_today),
        ("grant_months", "2"),
        ("grant_amount", "80,000円"),
    ];
    let granted = t.post_form(&format!("{uri}/grants"), &within).await;
    assert_eq!(granted.status, StatusCode::SEE_OTHER, "{}", granted.body);
    let shown = t.get(granted.location()).await.body;
    assert!(shown.contains("支給決定を記録しました") && shown.contains("80,000円"), "{shown}");
    assert_eq!(grants_this_year(&t).await, Some(counted + 1), "9-5 counts the decision");
    let stale = t.post_form(&format!("{uri}/grants"), &within).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "the page's version is stale");
    assert!(stale.body.contains("他の人が変更しました"));

    // The support worker holds the person's case: she reads the trial, and decides no grant.
    t.sign_out_locally();
    t.sign_in("worker").await;
    let theirs = t.get(&uri).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(!theirs.body.contains("支給決定を記録する"));
    assert_eq!(t.post_form(&format!("{uri}/grants"), &within).await.status, StatusCode::FORBIDDEN);
    let person = t.get(&format!("/persons/{}/trials", stored.person.0)).await;
    assert!(person.body.contains(&format!("/trials/{trial}")), "{}", person.body);

    // Another agency's staff without a case or consent do not see it.
    t.sign_out_locally();
    t.sign_in("teacher").await;
    assert_eq!(t.get(&uri).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn hello_work_follows_a_trial_and_records_its_grant_on_sqlite() {
    hello_work_follows_a_trial_and_records_its_grant(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hello_work_follows_a_trial_and_records_its_grant_on_postgres() {
    on_postgres(hello_work_follows_a_trial_and_records_its_grant).await;
}

/// A plan the course does not allow is refused whole, each rule named: the short-time course for
/// a person without a mental or developmental disability, a short-time start at 20 hours or more
/// and a plan that never reaches them; a valid standard trial is recorded.
async fn a_plan_the_course_does_not_allow_is_refused(t: TestApp) {
    t.sign_in("worker").await;
    let worker = t.account("worker").await;
    let caseload = t.app.caseload(&worker, &tsunagu_app::persons::CaseloadFilter::default(), 1).await.unwrap();
    let mut other = None;
    let mut eligible = None;
    for entry in &caseload.entries {
        let file = t.app.store().person_file(entry.person).await.unwrap().unwrap();
        let c = &file.person.fields.categories;
        if c.contains(&DisabilityCategory::Mental) || c.contains(&DisabilityCategory::Developmental) {
            eligible.get_or_insert(entry.person);
        } else {
            other.get_or_insert(entry.person);
        }
    }
    let (other, eligible) = (other.expect("a person with neither"), eligible.expect("a person with either"));
    let demo_trial = &t.app.store().granted_trials().await.unwrap()[0];
    let lookup = tsunagu_store::EmployerLookup::Id(demo_trial.fields.employer);
    let number = t.app.store().employer_ref(lookup).await.unwrap().unwrap().corporate_number;
    let start = today().to_string();
    let until = tsunagu_domain::coaching::add_months(today(), 6).to_string();
    let form = |course: &'static str, hours: &'static str| {
        vec![
            ("corporate_number", number.clone()),
            ("course", course.to_owned()),
            ("job", "データ入力".to_owned()),
            ("starts_on", start.clone()),
            ("planned_until", until.clone()),
            ("start_hours", hours.to_owned()),
        ]
    };
    let post = |person: tsunagu_domain::person::PersonId, f: Vec<(&'static str, String)>| {
        let t = &t;
        async move {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, v.as_str())).collect();
            t.post_form(&format!("/persons/{}/trials", person.0), &pairs).await
        }
    };
    let refused = post(other, form("short_time", "12")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("精神障害・発達障害のある方が対象です"), "{}", refused.body);
    let above = post(eligible, form("short_time", "22")).await;
    assert_eq!(above.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(above.body.contains("週10時間以上20時間未満です"), "{}", above.body);
    let never = post(eligible, form("short_time", "12")).await;
    assert_eq!(never.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(never.body.contains("期間内に週20時間以上に延ばす計画"), "{}", never.body);
    assert!(t.app.store().trials_of_person(other).await.unwrap().is_empty(), "nothing is written");

    let mut standard = form("standard", "30");
    standard[4].1 = tsunagu_domain::coaching::add_months(today(), 3).to_string();
    let too_long = post(other, standard.clone()).await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY, "three months end the day before");
    assert!(too_long.body.contains("3か月以内"), "{}", too_long.body);
    standard[4].1 = (tsunagu_domain::coaching::add_months(today(), 3) - time::Duration::days(1)).to_string();
    let made = post(other, standard).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page = t.get(made.location()).await.body;
    assert!(page.contains("トライアル雇用を保存しました") && page.contains("障害者トライアルコース"), "{page}");
}

#[tokio::test]
async fn a_plan_the_course_does_not_allow_is_refused_on_sqlite() {
    a_plan_the_course_does_not_allow_is_refused(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_plan_the_course_does_not_allow_is_refused_on_postgres() {
    on_postgres(a_plan_the_course_does_not_allow_is_refused).await;
}

/// The API reads a trial with its weeks planned and worked, logs a week naming each field that
/// is wrong, and refuses an edit from a version read before another one.
async fn the_api_reads_and_writes_a_trial(t: TestApp) {
    t.sign_in("hellowork").await;
    let trial = link(&t.get("/trials").await.body, "/trials/");
    let token = t.new_token("トライアル雇用", &["persons_read", "persons_write"]).await;
    let uri = format!("/api/v1/trials/{trial}");
    let read = t.request(common::bearer("GET", &uri, &token, None)).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let read = read.json();
    assert_eq!(read["course"], "short_time");
    assert_eq!(read["weeks_behind"], 2, "{read}");
    let weeks = read["weeks"].as_array().unwrap().len();
    assert!(read["weeks"][0]["minutes_planned"].as_u64().unwrap() >= 12 * 60);

    let bad = serde_json::json!({"week_of": "1999-01-04", "worked_hours": "61"});
    let refused = t.request(common::bearer("POST", &format!("{uri}/weeks"), &token, Some(bad))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["\"week_of\"", "\"worked_hours\""] {
        assert!(refused.body.contains(field), "{field}: {}", refused.body);
    }
    let this_week = tsunagu_domain::coaching::week_of(today()).to_string();
    let good = serde_json::json!({"week_of": this_week, "worked_hours": "8"});
    let logged = t.request(common::bearer("POST", &format!("{uri}/weeks"), &token, Some(good))).await;
    assert_eq!(logged.status, StatusCode::OK, "{}", logged.body);
    assert_eq!(logged.json()["weeks"].as_array().unwrap().len(), weeks + 1);

    // An edit from the version read before is refused, naming why.
    let mut edit = serde_json::json!({
        "corporate_number": "",
        "course": read["course"],
        "job": read["job"],
        "starts_on": read["starts_on"],
        "planned_until": read["planned_until"],
        "start_hours": "12",
        "rise_on": read["weekly_hours"].as_array().unwrap()[1..].iter().map(|s| s["from"].clone()).collect::<Vec<_>>(),
        "rise_hours": ["15", "18", "20"],
        "version": read["version"],
    });
    let view =
        t.app.trial_view(&t.account("hellowork").await, TrialId(uuid::Uuid::parse_str(&trial).unwrap())).await.unwrap();
    edit["corporate_number"] = serde_json::json!(view.employer.0);
    let saved = t.request(common::bearer("PUT", &uri, &token, Some(edit.clone()))).await;
    assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
    let stale = t.request(common::bearer("PUT", &uri, &token, Some(edit))).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("trial_changed"), "{}", stale.body);
}

#[tokio::test]
async fn the_api_reads_and_writes_a_trial_on_sqlite() {
    the_api_reads_and_writes_a_trial(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_api_reads_and_writes_a_trial_on_postgres() {
    on_postgres(the_api_reads_and_writes_a_trial).await;
}
