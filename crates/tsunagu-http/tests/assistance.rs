//! Technical assistance over HTTP: the 職業センター's counselor records advice given to an agency
//! (mistakes named, nothing half-written), corrects it on its version, and program 7-2 counts
//! the case and the agency under the office; other staff meet a page that says whose work it is.

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

async fn the_counselor_records_assistance(t: TestApp) {
    t.sign_in("worker").await;
    let page = t.get("/assistance").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("職員が行います") && !page.body.contains("助言・援助を記録する"), "{}", page.body);
    assert_eq!(t.get("/assistance/new").await.status, StatusCode::FORBIDDEN);
    let worker_agency = t.account("worker").await.agency.unwrap().0.to_string();

    t.sign_out_locally();
    t.sign_in("counselor").await;
    let office = t.account("counselor").await.agency.unwrap().0.to_string();
    let cases = figure(&t, "7-2.advice_cases", "本所").await.unwrap_or(0);
    let form = t.get("/assistance/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<optgroup"), "the agencies are grouped by kind");
    let ahead = (today() + time::Duration::days(3)).to_string();
    let before = t.app.store().every_assistance().await.unwrap().len();
    let bad = t.post_form("/assistance", &[("given_on", &ahead), ("helped_agency", &office), ("given_by", "")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    for said in [
        "未来の日付は入力できません",
        "自分の事業所以外の機関",
        "助言の内容を1つ以上選んでください",
        "担当した職員を入力してください",
    ] {
        assert!(bad.body.contains(said), "{said}: {}", bad.body);
    }
    assert_eq!(t.app.store().every_assistance().await.unwrap().len(), before, "nothing is written");
    let day = today().to_string();
    let form = [
        ("given_on", day.as_str()),
        ("helped_agency", worker_agency.as_str()),
        ("topics", "assessment"),
        ("topics", "support_method"),
        ("given_by", "復職 支援"),
        ("assistance_note", "ワークサンプル幕張版の実施方法と結果の読み方を説明した。"),
    ];
    let made = t.post_form("/assistance", &form).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let listed = t.get(made.location()).await.body;
    assert!(listed.contains("記録を保存しました") && listed.contains("アセスメントの方法"), "{listed}");
    assert_eq!(figure(&t, "7-2.advice_cases", "本所").await, Some(cases + 1), "7-2 counts the case under 本所");
    assert!(figure(&t, "7-2.advised_agencies", "本所").await.is_some_and(|n| n >= 1));

    // A correction on its version; a stale one is refused.
    let counselor = t.account("counselor").await;
    let stored = t.app.office_assistance(&counselor).await.unwrap().remove(0).record;
    let edit = format!("/assistance/{}/edit", stored.id.0);
    let version = stored.version.to_string();
    let corrected =
        [&form[..1], &form[1..2], &[("topics", "employer_support")], &form[4..], &[("version", version.as_str())]]
            .concat();
    assert_eq!(t.post_form(&edit, &corrected).await.status, StatusCode::SEE_OTHER);
    let stale = t.post_form(&edit, &corrected).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(stale.body.contains("ほかの人が変更しました"), "{}", stale.body);

    // The API answers the office's records; an agency not in the directory is refused by name.
    let token = t.new_token("助言", &["events"]).await;
    let listed = t.request(common::bearer("GET", "/api/v1/assistance", &token, None)).await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(listed.json()[0]["topics"], serde_json::json!(["employer_support"]));
    let body = serde_json::json!({"given_on": day, "helped_agency": uuid::Uuid::nil(), "topics": ["other"], "given_by": "復職 支援"});
    let refused = t.request(common::bearer("POST", "/api/v1/assistance", &token, Some(body))).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("helped_agency"), "{}", refused.body);
}

#[tokio::test]
async fn the_counselor_records_assistance_on_sqlite() {
    the_counselor_records_assistance(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counselor_records_assistance_on_postgres() {
    on_postgres(the_counselor_records_assistance).await;
}
