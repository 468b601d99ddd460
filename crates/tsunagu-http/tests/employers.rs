//! Employers over HTTP: staff add one with every problem named and nothing half-written, find it
//! by folded text, edit it (a stale edit shows what changed meanwhile), record that their agency
//! developed it; an employer's account sees its own company and the persons who consented, and
//! nothing else; an administrator links an account; the API does the same with a token.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app, urlencode};
use tsunagu_domain::codes::CorporateNumber;

/// The value of `name="version"` in a page.
fn version_in(body: &str) -> String {
    let marker = "name=\"version\" value=\"";
    let start = body.find(marker).map(|i| i + marker.len()).expect("a form with a version");
    body[start..].split('"').next().unwrap().to_owned()
}

fn form<'a>(number: &'a str, workers: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("corporate_number", number),
        ("name", "株式会社ひまわりベーカリー"),
        ("name_kana", "カブシキガイシャヒマワリベーカリー"),
        ("industry", "E"),
        ("regular_workers", workers),
        ("accepts_interns", "true"),
        ("municipality_code", "131016"),
        ("hiring_name", "総務部 田中"),
        ("hiring_phone", "03-0001-2233"),
    ]
}

async fn staff_add_find_edit_and_develop_an_employer(t: TestApp) {
    t.sign_in("worker").await;
    let list = t.get("/employers").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("企業を登録する") && list.body.contains("400 社"), "the demo's employers are listed");

    let mut bad = form("7000012050003", "many");
    bad.push(("workplace_phone", "03-0000-1111"));
    let refused = t.post_form("/employers", &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in ["法人番号の検査数字", "常用労働者数は数字で", "電話やメールを入れる場合は現場担当の氏名・部署も"]
    {
        assert!(refused.body.contains(message), "{message} in {}", refused.body);
    }
    assert!(t.get("/employers?q=ひまわり").await.body.contains("0 社"), "nothing was written");

    let number = CorporateNumber::from_base(812_345_678_901).to_string();
    let created = t.post_form("/employers", &form(&number, "85")).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let page_uri = created.location().split('?').next().unwrap().to_owned();
    let page = t.get(created.location()).await;
    assert!(page.body.contains("企業の情報を保存しました") && page.body.contains("tel:0300012233"));
    let twice = t.post_form("/employers", &form(&number, "85")).await;
    assert!(twice.body.contains("この法人番号の企業はすでに登録されています"), "{}", twice.body);

    for typed in ["ﾋﾏﾜﾘ", "ひまわりべーかりー", &format!("{}-{}", &number[..4], &number[4..])] {
        let found = t.get(&format!("/employers?q={}", urlencode(typed))).await;
        assert!(found.body.contains("1 社") && found.body.contains(&page_uri), "{typed}");
    }
    let bad_filter = t.get("/employers?industry=Z").await;
    assert_eq!(bad_filter.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_filter.body.contains("一致する分類がありません"));

    // Edited from two pages: the second is told what changed, keeps what it typed.
    let edit = t.get(&format!("{page_uri}/edit")).await;
    let version = version_in(&edit.body);
    let mut first = form(&number, "90");
    first.push(("version", &version));
    assert_eq!(t.post_form(&page_uri, &first).await.status, StatusCode::SEE_OTHER);
    let mut second = form(&number, "120");
    second.push(("version", &version));
    let stale = t.post_form(&page_uri, &second).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("常用労働者数") && stale.body.contains("value=\"120\""), "{}", stale.body);

    let linked = t.post_form(&format!("{page_uri}/link"), &[("linked", "true")]).await;
    assert_eq!(linked.status, StatusCode::SEE_OTHER);
    let page = t.get(&page_uri).await;
    assert!(page.body.contains("自分の機関の開拓・支援の記録を外す"), "{}", page.body);
    let ours = t.get("/employers?ours=1&q=ひまわり").await;
    assert!(ours.body.contains("1 社"));
}

#[tokio::test]
async fn staff_add_find_edit_and_develop_an_employer_on_sqlite() {
    staff_add_find_edit_and_develop_an_employer(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_add_find_edit_and_develop_an_employer_on_postgres() {
    on_postgres(staff_add_find_edit_and_develop_an_employer).await;
}

async fn an_employer_account_sees_its_company_and_nothing_else(t: TestApp) {
    t.sign_in("employer").await;
    let home = t.get("/company").await;
    assert_eq!(home.status, StatusCode::SEE_OTHER);
    let own = home.location().to_owned();
    let page = t.get(&own).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("情報共有に同意している方") && page.body.contains("<td role=\"cell\""), "{}", page.body);
    assert!(!page.body.contains("参加した面談会"), "the fairs name other companies");
    assert_eq!(t.get("/employers").await.status, StatusCode::FORBIDDEN);
    let other = CorporateNumber::from_base(900_000_000_002).to_string();
    let id = t.app.store().employer_ref(tsunagu_store::EmployerLookup::Number(other)).await.unwrap().unwrap().id;
    assert_eq!(t.get(&format!("/employers/{}", id.0)).await.status, StatusCode::FORBIDDEN);
    // Its own contacts it may edit, not its 法人番号.
    let edit = t.get(&format!("{own}/edit")).await;
    assert!(!edit.body.contains("id=\"corporate_number\""), "the number is shown, not offered");
}

#[tokio::test]
async fn an_employer_account_sees_its_company_and_nothing_else_on_sqlite() {
    an_employer_account_sees_its_company_and_nothing_else(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_employer_account_sees_its_company_and_nothing_else_on_postgres() {
    on_postgres(an_employer_account_sees_its_company_and_nothing_else).await;
}

#[tokio::test]
async fn an_administrator_links_an_account_on_its_page() {
    let t = spawn_app().await;
    t.sign_in("admin").await;
    let page = t.get("/admin/accounts").await;
    assert_eq!(page.status, StatusCode::OK);
    let refused = t.post_form("/admin/accounts", &[("login", "employer"), ("corporate_number", "1234")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("法人番号は13桁の数字で"));
    let number = CorporateNumber::from_base(900_000_000_003).to_string();
    let done = t.post_form("/admin/accounts", &[("login", "employer"), ("corporate_number", &number)]).await;
    assert_eq!(done.status, StatusCode::OK);
    assert!(done.body.contains("employer を企業と連携しました"), "{}", done.body);
    let account = t.app.store().account_by_login("employer").await.unwrap().unwrap();
    let linked = t.app.store().employer_ref(tsunagu_store::EmployerLookup::Number(number)).await.unwrap().unwrap();
    assert_eq!(account.employer, Some(linked.id));
}

#[tokio::test]
async fn the_api_finds_adds_and_edits_employers_with_a_token() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let token = t.new_token("求人連携", &["employers"]).await;
    let call = |method: &str, uri: &str, body: Option<serde_json::Value>| {
        let request = common::bearer(method, uri, &token, body);
        async { t.raw(request).await }
    };
    let number = CorporateNumber::from_base(812_000_000_001).to_string();
    let body = serde_json::json!({
        "corporate_number": number, "name": "あおば物流株式会社", "name_kana": "あおばぶつりゅう",
        "industry": "H", "regular_workers": "300"
    });
    let created = call("POST", "/api/v1/employers", Some(body.clone())).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let found = call("GET", &format!("/api/v1/employers?q={number}&industry=h"), None).await.json();
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["id"], id.as_str());
    let mut edit = body.clone();
    edit["regular_workers"] = "310".into();
    edit["version"] = 1.into();
    let edited = call("PUT", &format!("/api/v1/employers/{id}"), Some(edit.clone())).await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    assert_eq!(edited.json()["regular_workers"], 310);
    assert_eq!(call("PUT", &format!("/api/v1/employers/{id}"), Some(edit)).await.status, StatusCode::CONFLICT);
    let linked = call("PUT", &format!("/api/v1/employers/{id}/link"), Some(serde_json::json!({"linked": true}))).await;
    assert_eq!(linked.json()["links"].as_array().unwrap().len(), 1);
    let mut bad = body;
    bad["corporate_number"] = "12".into();
    let refused = call("POST", "/api/v1/employers", Some(bad)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["errors"][0]["code"], "corporate_number_format");
}
