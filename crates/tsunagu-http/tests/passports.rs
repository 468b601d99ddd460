//! The 就労パスポート over HTTP: the supporter writes from a draft of what Tsunagu knows; the
//! person writes in their own words and alone chooses the sections that go in; the printed page
//! and the workbook hold those sections only; giving it to a recipient of the short list makes a
//! consent and a provision record; a filled workbook imports, and one of another layout or with an
//! unknown item is refused with nothing written.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Reply, TestApp, on_postgres, spawn_app};
use tsunagu_app::passports::{PASSPORT_COLUMNS, passport_from_workbook};

/// The value of the first radio button named `name` on `page`.
fn first_value(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"{name}\" value=\"")).expect("a radio button");
    let rest = &page[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// A workbook in the passport's layout holding `rows`.
fn workbook(header: &[&str], rows: &[[&str; 4]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in header.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            sheet.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

async fn upload(t: &TestApp, uri: &str, version: i64, file: &[u8]) -> Reply {
    let csrf = t.csrf().unwrap_or_default();
    let mut body = format!(
        "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--B\r\nContent-Disposition: form-data; name=\"version\"\r\n\r\n{version}\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"passport.xlsx\"\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n--B--\r\n");
    let request = Request::post(uri)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B")
        .body(Body::from(body))
        .unwrap();
    t.request(request).await
}

async fn the_person_chooses_what_goes_in_and_to_whom(t: TestApp) {
    let person = t.account("person").await.person.unwrap();
    let stored = || async { t.app.store().passport_of_person(person).await.unwrap() };
    let staff_page = format!("/persons/{}/passport", person.0);

    // The supporter: a draft from what Tsunagu knows, a too long answer refused, answers saved.
    t.sign_in("worker").await;
    let first = stored().await;
    let v = first.as_ref().map_or(0, |p| p.version).to_string();
    let page = t.get(&staff_page).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("1 職務経験") && page.body.contains("（仮の項目）"), "{}", page.body);
    let long = "あ".repeat(601);
    let refused = t.post_form(&staff_page, &[("version", &v), ("2-1", &long)]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("600文字以内"), "{}", refused.body);
    assert_eq!(stored().await, first, "nothing is written");
    let saved = t.post_form(&staff_page, &[("version", &v), ("2-1", "丁寧に確かめながら作業できる")]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = stored().await.unwrap();
    assert_eq!(after.fields.shown, first.map(|p| p.fields.shown).unwrap_or_default(), "staff do not choose sections");
    assert!(!after.fields.answers.contains_key("3-1"), "the form's answers are the passport's");
    t.sign_out_locally();

    // The person: their words, their choice of sections.
    t.sign_in("person").await;
    let mine = t.get("/me/passport").await.body;
    assert!(mine.contains("丁寧に確かめながら作業できる") && mine.contains("<ruby>"), "{mine}");
    let v = stored().await.unwrap().version.to_string();
    let written = t
        .post_form(
            "/me/passport",
            &[
                ("version", &v),
                ("2-1", "丁寧に確かめながら作業できる"),
                ("3-1", "月1回通院しています"),
                ("section-2", "1"),
            ],
        )
        .await;
    assert_eq!(written.status, StatusCode::SEE_OTHER, "{}", written.body);
    let now = stored().await.unwrap();
    assert_eq!(now.fields.shown.iter().map(String::as_str).collect::<Vec<_>>(), ["2"]);
    assert_eq!(now.fields.answers.get("3-1").map(String::as_str), Some("月1回通院しています"));

    // What leaves holds the chosen sections only.
    let print = t.get("/me/passport/print").await.body;
    assert!(print.contains("丁寧に確かめながら作業できる") && !print.contains("月1回通院"), "{print}");
    let xlsx = t.get("/me/passport.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let read = passport_from_workbook(&xlsx.body_bytes()).unwrap();
    assert_eq!(read.get("2-1").map(String::as_str), Some("丁寧に確かめながら作業できる"));
    assert!(!read.contains_key("3-1"), "a section not chosen stays home");

    // Giving it: a recipient from the short list; the consent and the provision record.
    let give = t.get("/me/passport/give").await.body;
    let refused = t.post_form("/me/passport/give", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("だれにわたすか、えらんでください"), "{}", refused.body);
    let before = t.app.store().provisions_of(person).await.unwrap().len();
    let choice = first_value(&give, "choice");
    let given = t.post_form("/me/passport/give", &[("choice", &choice)]).await;
    assert_eq!((given.status, given.location()), (StatusCode::SEE_OTHER, "/me/passport?given=1"), "{}", given.body);
    let provisions = t.app.store().provisions_of(person).await.unwrap();
    assert_eq!(provisions.len(), before + 1);
    let provision = provisions.iter().find(|p| p.items == ["passport:2"]).expect("the provision of section 2");
    let file = t.app.store().person_file(person).await.unwrap().unwrap();
    let consent = file.consents.iter().find(|c| c.consent.id == provision.consent).expect("its consent");
    assert!(consent.consent.categories.contains(&tsunagu_domain::consent::DataCategory::Assessment));

    // To the company of their internship: on a consent of their own that covers the passport.
    let worker = t.account("worker").await;
    let today = t.app.today();
    let slot = t
        .app
        .store()
        .every_slot()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.fields.kind == tsunagu_domain::internship::SlotKind::Internship && s.fields.starts_on > today);
    let slot = slot.expect("the demo's internship next month");
    let paper = tsunagu_domain::consent::ConsentInput {
        recipient_kind: "employer".into(),
        recipient_id: slot.employer.0.to_string(),
        purposes: vec!["placement".into()],
        categories: vec!["basic".into()],
        valid_from: today.to_string(),
        evidence: "paper_form".into(),
        evidence_note: "同意書（写し）".into(),
        ..Default::default()
    };
    t.app.record_consent(&worker, person, &paper).await.unwrap();
    t.app.book(&worker, person, slot.id).await.unwrap();
    let company = format!("employer:{}", slot.employer.0);
    assert!(t.get("/me/passport/give").await.body.contains(&company), "the company is on the short list");
    let given = t.post_form("/me/passport/give", &[("choice", &company)]).await;
    assert_eq!(given.status, StatusCode::SEE_OTHER, "{}", given.body);
    let provisions = t.app.store().provisions_of(person).await.unwrap();
    let to_company = provisions
        .iter()
        .find(|p| {
            p.recipient == tsunagu_domain::consent::Recipient::Employer(slot.employer) && p.items == ["passport:2"]
        })
        .expect("the provision of section 2 to the company");
    let file = t.app.store().person_file(person).await.unwrap().unwrap();
    let consent = file.consents.iter().find(|c| c.consent.id == to_company.consent).expect("its consent");
    assert_eq!(consent.evidence, tsunagu_domain::consent::Evidence::OwnAccount, "the person's own, given now");
    assert!(consent.consent.categories.contains(&tsunagu_domain::consent::DataCategory::Assessment));
    t.sign_out_locally();

    // The supporter sees it given, and imports a filled workbook.
    t.sign_in("worker").await;
    let page = t.get(&staff_page).await.body;
    assert!(page.contains("アピールポイント") && page.contains("<td>"), "the given record: {page}");
    let v = stored().await.unwrap().version;
    let other_layout = upload(&t, &format!("{staff_page}/import"), v, "a,b\n1,2\n".as_bytes()).await;
    assert_eq!(other_layout.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(other_layout.body.contains("就労パスポートの形ではありません"), "{}", other_layout.body);
    let unknown = workbook(&PASSPORT_COLUMNS, &[["アピールポイント", "2-1", "", "新しい答え"], ["?", "9-9", "", "x"]]);
    let refused = upload(&t, &format!("{staff_page}/import"), v, &unknown).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("3行目"), "{}", refused.body);
    assert_eq!(stored().await.unwrap().version, v, "nothing is written");
    let filled = workbook(&PASSPORT_COLUMNS, &[["アピールポイント", "2-2", "", "フォークリフト運転技能講習"]]);
    let imported = upload(&t, &format!("{staff_page}/import"), v, &filled).await;
    assert_eq!(imported.status, StatusCode::SEE_OTHER, "{}", imported.body);
    let now = stored().await.unwrap();
    assert_eq!(now.fields.answers.get("2-2").map(String::as_str), Some("フォークリフト運転技能講習"));
    assert_eq!(now.fields.answers.get("3-1").map(String::as_str), Some("月1回通院しています"), "the others stay");
    assert_eq!(now.fields.shown.len(), 1, "the person's choice stays");

    // The API: the passport with the person's choice; answers written on the version read.
    let api = format!("/api/v1/persons/{}/passport", person.0);
    let read = t.get(&api).await.json();
    assert_eq!(read["version"], now.version);
    assert_eq!(read["sections"][1]["given"], true);
    assert_eq!(read["sections"][1]["items"][1]["answer"], "フォークリフト運転技能講習");
    let twice = serde_json::json!({"version": now.version, "answers": [
        {"item": "2-1", "answer": "a"}, {"item": "2-1", "answer": "b"}]});
    assert_eq!(t.send_json("PUT", &api, twice).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let stale = serde_json::json!({"version": now.version - 1, "answers": [{"item": "2-1", "answer": "x"}]});
    assert_eq!(t.send_json("PUT", &api, stale).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fresh = serde_json::json!({"version": now.version, "answers": [{"item": "2-1", "answer": "正確な入力"}]});
    let written = t.send_json("PUT", &api, fresh).await;
    assert_eq!(written.status, StatusCode::OK, "{}", written.body);
    assert_eq!(written.json()["sections"][1]["items"][0]["answer"], "正確な入力");
    assert_eq!(stored().await.unwrap().fields.shown.len(), 1, "the person's choice stays");
    t.sign_out_locally();

    t.sign_in("teacher").await;
    assert_eq!(t.get(&staff_page).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_person_chooses_what_goes_in_and_to_whom_on_sqlite() {
    the_person_chooses_what_goes_in_and_to_whom(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_person_chooses_what_goes_in_and_to_whom_on_postgres() {
    on_postgres(the_person_chooses_what_goes_in_and_to_whom).await;
}
