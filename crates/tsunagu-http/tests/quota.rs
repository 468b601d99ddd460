//! The legal quota over HTTP: the employer enters its regular workers and its employees with
//! disabilities and sees where it stands; a person placed through Tsunagu counts once their
//! consent lets the employer see their disability (the read audited on their record, the
//! provision recorded); one more hire is weighed; the year downloads as a workbook; the API reads,
//! writes the roster whole and counts a roster sent; bad input is refused by name, and another
//! company's quota is not the employer's to see.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};
use tsunagu_domain::person::PersonId;

async fn the_employer_sees_where_it_stands(t: TestApp) {
    let employer = t.account("employer").await.employer.expect("the demo's employer account has its company");
    let page = format!("/employers/{}/quota", employer.0);
    let today = t.app.today();
    let month = format!("{}-{:02}", today.year(), u8::from(today.month()));
    let version = || async { t.app.store().quota_roster(employer).await.unwrap().map_or(0, |r| r.version).to_string() };

    t.sign_in("employer").await;
    // The demo company's roster, emptied through the API to begin afresh.
    let api = format!("/api/v1/employers/{}/quota", employer.0);
    let demo = t.get(&api).await.json();
    assert_eq!(demo["headcounts"].as_array().map(Vec::len), Some(2), "the demo's April and October");
    let empty = serde_json::json!({"version": demo["version"], "headcounts": [], "workers": []});
    assert_eq!(t.send_json("PUT", &format!("{api}/roster"), empty).await.status, StatusCode::OK);
    let first = t.get(&page).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.body.contains("常用労働者数が入力されていません"), "{}", first.body);

    // A month before the first rate, a count that is not a number, nothing for the other: each named.
    let v = version().await;
    let bad = [("version", v.as_str()), ("month", "2021-02"), ("full_time", "百"), ("short_time", "")];
    let refused = t.post_form(&format!("{page}/headcounts"), &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("<title>エラー:"), "the title says so");
    for message in [
        "月は2021年3月1日以降にしてください",
        "週30時間以上の人数は数字で入力してください",
        "週20時間以上30時間未満の人数を入力してください",
    ] {
        assert!(refused.body.contains(message), "{message}: {}", refused.body);
    }
    assert!(refused.body.contains("value=\"百\""), "what was typed is kept");

    // 120 full-time and 10 short-time: 125 as the law counts them.
    let ok = [("version", v.as_str()), ("month", month.as_str()), ("full_time", "１２０"), ("short_time", "10")];
    let saved = t.post_form(&format!("{page}/headcounts"), &ok).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(t.app.store().quota_roster(employer).await.unwrap().unwrap().fields.headcounts.len(), 1);

    // A stale version is refused; the roster is not touched.
    let stale = t.post_form(&format!("{page}/headcounts"), &ok).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("ほかの人がこの名簿を先に変更しました"), "{}", stale.body);

    // A worker with hours out of range and no category: refused by name, typed values kept.
    let v = version().await;
    let worker = |hours: &'static str, category: &'static str| {
        vec![
            ("version", v.clone()),
            ("worker_label", "社員番号 A-12".to_owned()),
            ("quota_category", category.to_owned()),
            ("weekly_hours", hours.to_owned()),
            ("employed_from", "2024-01-10".to_owned()),
            ("left_on", String::new()),
        ]
    };
    let workers_uri = format!("{page}/workers");
    let post = |form: Vec<(&'static str, String)>| {
        let (t, uri) = (&t, workers_uri.clone());
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            t.post_form(&uri, &pairs).await
        }
    };
    let refused = post(worker("200", "")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("週の所定労働時間は0から168までの時間で入力してください"), "{}", refused.body);
    assert!(refused.body.contains("区分を選んでください"), "{}", refused.body);
    let saved = post(worker("40", "severe_physical")).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // 125 workers at 2.7%: a legal number of 3 (3.375 truncated); one 重度 counts 2: one short,
    // 50,000 yen a month for an employer over 100.
    let shown = t.get(&page).await.body;
    for text in ["2.70%", "<dd>125</dd>", "<dd>2</dd>", "<dd>3</dd>", "1.60%", "1人不足", "納付金 50,000円"] {
        assert!(shown.contains(text), "{text}: {shown}");
    }
    assert!(shown.contains("社員番号 A-12") && shown.contains("重度身体障害者"));

    // A person placed there counts once their consent lets the employer see their disability.
    let placed = |json: serde_json::Value| (json["placed_counted"].as_u64(), json["placed_not_counted"].as_u64());
    let (_, not_counted) = placed(t.get(&api).await.json());
    let not_counted = not_counted.unwrap();
    t.sign_out_locally();
    t.sign_in("worker").await;
    let registered = t.post_form("/persons", &common::registration("雇用 花子", "こよう はなこ", "1990-04-01")).await;
    let person = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    let person = PersonId(uuid::Uuid::parse_str(&person).unwrap());
    let number = t.app.store().employer(employer).await.unwrap().unwrap().0.fields.corporate_number.to_string();
    let worker_account = t.account("worker").await;
    let placement = tsunagu_domain::placement::PlacementInput {
        corporate_number: number,
        job_title: "データ入力".into(),
        hired_on: today.to_string(),
        weekly_hours: "25".into(),
        employment_kind: "general".into(),
        ..Default::default()
    };
    t.app.record_placement(&worker_account, person, &placement, None).await.unwrap();
    t.sign_out_locally();
    t.sign_in("employer").await;
    let unconsented = t.get(&page).await.body;
    let message = format!("{}人は、本人の同意がないため数えていません", not_counted + 1);
    assert!(unconsented.contains(&message), "{unconsented}");
    assert!(unconsented.contains("1人不足"));
    let consent = tsunagu_domain::consent::ConsentInput {
        recipient_kind: "employer".into(),
        recipient_id: employer.0.to_string(),
        purposes: vec!["retention".into()],
        categories: vec!["basic".into(), "disability".into()],
        valid_from: today.to_string(),
        evidence: "paper_form".into(),
        evidence_note: "同意書（写し）".into(),
        ..Default::default()
    };
    t.app.record_consent(&worker_account, person, &consent).await.unwrap();
    let counted = t.get(&page).await.body;
    assert!(counted.contains("1人を、本人が企業に障害の情報を見せることに同意しているため"), "{counted}");
    assert!(counted.contains("過不足なし"), "精神 at 25 h counts 1: 3 against 3");
    // The report's lines: one 重度身体 at 30 h or more counting 2, one 精神 at 20–30 h counting 1.
    let lines = counted.split("区分と週の所定労働時間ごとの人数").nth(1).unwrap().split("</table>").next().unwrap();
    let row =
        |name: &str| lines.split("<tr role=\"row\">").find(|r| r.contains(&format!(">{name}<"))).unwrap_or_default();
    assert!(row("重度身体障害者").contains("data-label=\"週30時間以上\">1人（2）"), "{lines}");
    assert!(row("精神障害者").contains("data-label=\"週20時間以上30時間未満\">1人（1）"), "{lines}");
    assert_eq!(placed(t.get(&api).await.json()), (Some(1), Some(not_counted)));
    let query = tsunagu_store::AuditQuery { person: Some(person.0.to_string()), limit: 100, ..Default::default() };
    let log = t.app.store().search_audit(&query).await.unwrap();
    assert!(
        log.iter().any(|e| e.event.record == format!("employer_quota:{}", employer.0)
            && e.event.fields == ["certificates"]
            && e.event.actor_label == "employer"),
        "the read of the certificate is on the person's record"
    );
    let provisions = t.app.store().provisions_of(person).await.unwrap();
    assert!(
        provisions
            .iter()
            .any(|p| p.recipient == tsunagu_domain::consent::Recipient::Employer(employer)
                && p.items == ["certificates"]),
        "and provided to the employer"
    );

    // One more hire weighed: 精神 at 25 h makes it one above.
    let weighed = t.get(&format!("{page}?hire_category=mental&hire_hours=25")).await.body;
    assert!(weighed.contains("1人雇った場合") && weighed.contains("1人超過"), "{weighed}");
    let refused = t.get(&format!("{page}?hire_category=blind&hire_hours=-3")).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("雇う人の週の所定労働時間は0から168までの時間で入力してください"),
        "{}",
        refused.body
    );
    let early = t.get(&format!("{page}?as_of=2020-12-31")).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("基準日は2021年3月1日以降にしてください"), "{}", early.body);

    // The year as a workbook: a line a month, the year's total.
    let xlsx = t.get(&format!("/employers/{}/quota.xlsx", employer.0)).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(xlsx.body_bytes())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let cell = |r: u32, c: u32| sheet.get_value((r, c)).map(|v| v.to_string()).unwrap_or_default();
    assert_eq!(cell(3, 1), "常用労働者数");
    assert_eq!(cell(3, 4), "法定雇用障害者数");
    assert_eq!(cell(16, 0), "年度計");
    let this_month = (u32::from(u8::from(today.month())) + 8) % 12;
    assert_eq!(cell(4 + this_month, 1), "125", "this month's regular workers");
    assert_eq!(cell(4 + this_month, 4), "3", "this month's legal number");
    let lines = book.worksheet_range("区分ごと").unwrap();
    let severe_full = lines.rows().find(|r| r[0] == "重度身体障害者" && r[1] == "週30時間以上");
    let severe_full = severe_full.map(|r| (r[2].to_string(), r[3].to_string()));
    assert_eq!(severe_full, Some(("1".to_owned(), "2".to_owned())), "the report's line: one person counting 2");

    // The JSON API: read; the roster written whole, refused whole on a bad row; a count sent.
    let read = t.get(&api).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    let json = read.json();
    assert_eq!((json["position"]["legal"].as_u64(), json["position"]["counted"].as_str()), (Some(3), Some("3")));
    let v = json["version"].as_i64().unwrap();
    let bad = serde_json::json!({"version": v, "headcounts": [{"month": month, "full_time": "120", "short_time": "10"}],
        "workers": [{"worker_label": "B", "quota_category": "blind", "weekly_hours": "169", "employed_from": "2025-01-01"}]});
    let refused = t.send_json("PUT", &format!("{api}/roster"), bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    let codes: Vec<String> =
        refused.json()["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap().to_owned()).collect();
    assert_eq!(codes, ["unknown_quota_category", "hours_out_of_range"]);
    assert_eq!(t.app.store().quota_roster(employer).await.unwrap().unwrap().fields.workers.len(), 1, "nothing written");
    let good = serde_json::json!({"version": v, "headcounts": [{"month": month, "full_time": "1000", "short_time": "0"}],
        "workers": []});
    let written = t.send_json("PUT", &format!("{api}/roster"), good).await;
    assert_eq!(written.status, StatusCode::OK, "{}", written.body);
    assert_eq!(written.json()["position"]["legal"], 27);
    assert_eq!(written.json()["position"]["shortfall"], "26");

    let count = |body: serde_json::Value| t.send_json("POST", "/api/v1/quota/count", body);
    let worked = serde_json::json!({"as_of": "2026-06-01", "full_time": "1000", "short_time": "100", "workers": [
        {"quota_category": "severe_physical", "weekly_hours": "40"}, {"quota_category": "mental", "weekly_hours": "25"},
        {"quota_category": "severe_intellectual", "weekly_hours": "15"}]});
    let counted = count(worked).await;
    assert_eq!(counted.status, StatusCode::OK, "{}", counted.body);
    let c = counted.json();
    assert_eq!(
        (c["legal"].as_u64(), c["counted"].as_str(), c["rate_percent"].as_str()),
        (Some(26), Some("3.5"), Some("2.50"))
    );
    let bad = serde_json::json!({"as_of": "2020-06-01", "employer_kind": "club", "full_time": "-1", "short_time": "0",
        "workers": [{"quota_category": "blind", "weekly_hours": "169"}]});
    let refused = count(bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems: Vec<(String, String)> = refused.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap_or_default().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(
        problems,
        [
            ("as_of".to_owned(), "date_before_rules".to_owned()),
            ("employer_kind".to_owned(), "unknown_employer_kind".to_owned()),
            ("full_time".to_owned(), "not_a_number".to_owned()),
            ("quota_category".to_owned(), "unknown_quota_category".to_owned()),
            ("weekly_hours".to_owned(), "hours_out_of_range".to_owned()),
        ]
    );

    // A worker removed from the list.
    let v = version().await;
    let removed = t.post_form(&format!("{page}/headcounts/remove"), &[("version", &v), ("month", &month)]).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    assert!(t.app.store().quota_roster(employer).await.unwrap().unwrap().fields.headcounts.is_empty());

    // Hello Work sees this one; another company is not the employer's to see; a person sees none.
    t.sign_out_locally();
    t.sign_in("hellowork").await;
    assert_eq!(t.get(&page).await.status, StatusCode::OK);
    let listed = t.get("/employers").await.body;
    let other = listed
        .split("href=\"/employers/")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .find(|id| uuid::Uuid::parse_str(id).is_ok() && *id != employer.0.to_string())
        .expect("the demo has other employers");
    t.sign_out_locally();
    t.sign_in("employer").await;
    assert_eq!(t.get(&format!("/employers/{other}/quota")).await.status, StatusCode::FORBIDDEN);
    t.sign_out_locally();
    t.sign_in("person").await;
    assert_eq!(t.get(&page).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_employer_sees_where_it_stands_on_sqlite() {
    the_employer_sees_where_it_stands(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_employer_sees_where_it_stands_on_postgres() {
    on_postgres(the_employer_sees_where_it_stands).await;
}
