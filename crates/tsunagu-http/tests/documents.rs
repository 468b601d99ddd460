//! Documents over HTTP: a scanned consent form attached, listed and downloaded as a file; files
//! refused by their content with the form kept; a doctor's letter that needs a health consent;
//! removal that keeps the record; the disclosure that carries the files.

mod common;

use axum::http::{StatusCode, header};
use common::{Relation, spawn_app, upload_named};
use tsunagu_domain::person::PersonId;
use tsunagu_store::AuditQuery;

/// A small PDF, with bytes that are not text.
const PDF: &[u8] = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n";

async fn attach(
    t: &common::TestApp,
    person: &str,
    file_name: &str,
    content: &[u8],
    fields: &[(&str, &str)],
) -> common::Reply {
    let uri = format!("/persons/{person}/documents");
    t.request(upload_named(&uri, &t.csrf().unwrap(), file_name, content, fields)).await
}

async fn documents_of(t: &common::TestApp, person: &str) -> Vec<tsunagu_domain::document::Document> {
    let id = PersonId(person.parse().unwrap());
    t.app.store().documents_of(id).await.unwrap()
}

#[tokio::test]
async fn a_scanned_consent_form_is_attached_listed_and_downloaded_as_a_file() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap();
    let consent = t.app.store().consents_of(person).await.unwrap()[0].consent.id.0.to_string();
    let person = person.0.to_string();
    t.sign_in("worker").await;
    // The demo person's record holds the scan of their consent form already.
    let page = t.get(&format!("/persons/{person}")).await;
    assert!(page.body.contains("同意書（署名済みの写し）"));
    let demo_scan = documents_of(&t, &person).await[0].id.0;
    assert!(
        page.body.contains(&format!("<a href=\"/persons/{person}/documents/{demo_scan}\" download>同意書の写し</a>"))
    );
    let scan_link = format!("/persons/{person}/documents/new?kind=consent_form&amp;consent={consent}");

    let form = t.get(&scan_link.replace("&amp;", "&")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));
    assert!(form.body.contains("<option value=\"consent_form\" selected>同意書</option>"), "{}", form.body);
    assert!(form.body.contains(&format!("<option value=\"{consent}\" selected>")));
    assert!(form.body.contains("<label for=\"file\">ファイル <span class=\"required\">(必須)</span></label>"));
    assert!(form.body.contains("<label for=\"title\">題名</label>"), "the title is not required");

    let r =
        attach(&t, &person, "C:\\scans\\同意書 スキャン.PDF", PDF, &[("kind", "consent_form"), ("consent", &consent)])
            .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/persons/{person}?attached=1#documents"));
    let stored = documents_of(&t, &person).await;
    let doc = stored[1].id.0;
    assert_eq!(stored[1].file_name, "同意書 スキャン.pdf", "the path is dropped and the extension follows the content");

    let page = t.get(r.location()).await;
    assert!(page.body.contains("書類を添付しました。"));
    assert!(page.body.contains(&format!("<a href=\"/persons/{person}/documents/{doc}\" download>同意書 スキャン</a>")));
    assert!(page.body.contains(&format!("同意書 スキャン.pdf（PDF、{} B）", PDF.len())));
    assert!(
        page.body.contains(&format!("<a href=\"/persons/{person}/documents/{doc}\" download>同意書の写し</a>")),
        "the consent's row opens its newest scan"
    );

    let file = t.get(&format!("/persons/{person}/documents/{doc}")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body_bytes(), PDF, "every byte as attached");
    let h = |name: header::HeaderName| file.headers.get(name).unwrap().to_str().unwrap().to_owned();
    assert_eq!(h(header::CONTENT_TYPE), "application/pdf");
    assert!(h(header::CONTENT_DISPOSITION).starts_with("attachment;"), "never shown inline");
    assert!(h(header::CONTENT_DISPOSITION).contains("filename*=UTF-8''%E5%90%8C%E6%84%8F%E6%9B%B8"));
    assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert!(h(header::CONTENT_SECURITY_POLICY).starts_with("sandbox"));
    assert_eq!(h(header::CACHE_CONTROL), "no-store");

    // The attach and every download are in the log, with the person and the basis.
    let query = AuditQuery { person: Some(person.clone()), limit: 100, ..AuditQuery::default() };
    let log = t.app.store().search_audit(&query).await.unwrap();
    let about_doc: Vec<_> =
        log.iter().filter(|e| e.event.record == format!("document:{doc}")).map(|e| e.event.action.code()).collect();
    assert_eq!(about_doc, ["read", "create"], "newest first");
    assert!(
        log.iter()
            .any(|e| e.event.record == format!("person:{person}") && e.event.fields.contains(&"documents".into()))
    );
}

#[tokio::test]
async fn a_file_is_judged_by_its_content_and_the_form_keeps_what_was_typed() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    t.sign_in("worker").await;
    let html = b"<html><body><script>alert(1)</script></body></html>";
    let r = attach(&t, &person, "report.pdf", html, &[("kind", "assessment_report"), ("title", "職業評価 2026")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("<title>エラー: "));
    assert!(r.body.contains("このファイルの種類は添付できません。"));
    assert!(r.body.contains("value=\"職業評価 2026\""), "the title as typed");
    assert!(r.body.contains("<option value=\"assessment_report\" selected>"), "the kind as chosen");
    assert!(r.body.contains("<a href=\"#file\">"), "the summary leads to the file input");

    let r = attach(&t, &person, "", b"", &[("kind", ""), ("consent", "00000000-0000-4000-8000-000000000000")]).await;
    assert!(r.body.contains("種別を選んでください。"));
    assert!(r.body.contains("ファイルを選んでください。"));
    let (kind, file) = (r.body.find("<a href=\"#kind\">").unwrap(), r.body.find("<a href=\"#file\">").unwrap());
    assert!(kind < file, "the summary lists problems in the order of the form");

    // A consent of another person cannot be named.
    let r = attach(
        &t,
        &person,
        "x.pdf",
        PDF,
        &[("kind", "consent_form"), ("consent", "00000000-0000-4000-8000-000000000000")],
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("関連する同意に一致する選択肢がありません。"), "{}", r.body);

    // Just over the limit: refused with the form as it was typed.
    let over = [PDF, &vec![b' '; 10 * 1024 * 1024]].concat();
    let r = attach(&t, &person, "big.pdf", &over, &[("kind", "other"), ("title", "大きい")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("ファイルが大きすぎます。10 MB 以下にしてください。"));
    assert!(r.body.contains("value=\"大きい\""));
    // Too large to be read at all: the reader is told so, not that the page expired.
    let big = vec![b'%'; 11 * 1024 * 1024];
    let whole = upload_named(
        &format!("/persons/{person}/documents"),
        &t.csrf().unwrap(),
        "big.pdf",
        &big,
        &[("kind", "other"), ("title", "大きい")],
    );
    let (parts, body) = whole.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let pieces: Vec<Result<axum::body::Bytes, std::io::Error>> =
        bytes.chunks(64 * 1024).map(|c| Ok(axum::body::Bytes::copy_from_slice(c))).collect();
    let streamed =
        axum::http::Request::from_parts(parts, axum::body::Body::from_stream(futures_util::stream::iter(pieces)));
    let r = t.request(streamed).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(r.body.contains("ファイルが大きすぎます。10 MB 以下にしてください。"));
    assert_eq!(documents_of(&t, &person).await.len(), 1, "nothing was written beside the demo's scan");
}

#[tokio::test]
async fn who_may_see_a_document_follows_its_kind() {
    let t = spawn_app().await;
    let persons = t.person_fixtures().await;
    let consented = &persons.iter().find(|(r, _)| *r == Relation::Consented).unwrap().1;
    let unrelated = &persons.iter().find(|(r, _)| *r == Relation::Unrelated).unwrap().1;
    t.sign_in("worker").await;
    // The consent names support and disability data, not health: a doctor's letter is not offered
    // and is refused.
    let form = t.get(&format!("/persons/{consented}/documents/new")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("value=\"signed_plan\""));
    assert!(!form.body.contains("value=\"medical_letter\""), "no health consent, no doctor's letter");
    let r = attach(&t, consented, "letter.pdf", PDF, &[("kind", "medical_letter")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = attach(&t, consented, "plan.pdf", PDF, &[("kind", "signed_plan")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = documents_of(&t, consented).await[0].id.0;

    // Without a case or a consent, nothing of the record opens: not the form, not a document.
    assert_eq!(t.get(&format!("/persons/{unrelated}/documents/new")).await.status, StatusCode::FORBIDDEN);
    let r = attach(&t, unrelated, "x.pdf", b"not even a pdf", &[("kind", "other")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "no word on the file to whoever may not write");
    let other = t.get(&format!("/persons/{unrelated}/documents/{doc}")).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);

    // A coach of another agency, with no case and no consent, may not download it.
    t.sign_in("coach").await;
    assert_eq!(t.get(&format!("/persons/{consented}/documents/{doc}")).await.status, StatusCode::FORBIDDEN);
    let query = AuditQuery { person: Some(consented.clone()), limit: 100, ..AuditQuery::default() };
    let log = t.app.store().search_audit(&query).await.unwrap();
    assert_eq!(log[0].event.action.code(), "access_denied", "the refusal is audited");
}

#[tokio::test]
async fn a_removed_document_is_gone_but_the_record_of_it_stays() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    t.sign_in("worker").await;
    let r = attach(&t, &person, "plan.pdf", PDF, &[("kind", "signed_plan"), ("title", "個別支援計画（署名）")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = documents_of(&t, &person).await.last().unwrap().id.0;
    let page = t.get(&format!("/persons/{person}")).await;
    assert!(page.body.contains(&format!("action=\"/persons/{person}/documents/{doc}/remove\"")));

    let r = t.post_form(&format!("/persons/{person}/documents/{doc}/remove"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = t.get(r.location()).await;
    assert!(page.body.contains("書類を削除しました。"));
    assert!(!page.body.contains("個別支援計画（署名）"), "no longer listed");
    assert_eq!(t.get(&format!("/persons/{person}/documents/{doc}")).await.status, StatusCode::NOT_FOUND);
    let again = t.post_form(&format!("/persons/{person}/documents/{doc}/remove"), &[]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    // The person's disclosure still says it was there, and when it was removed.
    t.sign_in("person").await;
    let json = t.get(&format!("/persons/{person}/disclosure.json")).await.json();
    let listed = json["documents"].as_array().unwrap().iter().find(|d| d["kind"] == "signed_plan").unwrap();
    assert_eq!(listed["title"], "個別支援計画（署名）");
    assert_eq!(listed["kind"], "signed_plan");
    assert!(listed["removed_at"].is_string());
}

#[tokio::test]
async fn the_disclosure_carries_the_files_still_held() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    t.sign_in("worker").await;
    let r = attach(&t, &person, "同意書.pdf", PDF, &[("kind", "consent_form")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let doc = documents_of(&t, &person).await.last().unwrap().clone();

    t.sign_in("person").await;
    let page = t.get(&format!("/persons/{person}")).await;
    assert!(page.body.contains(&format!("同意書.pdf（PDF、{} B）", PDF.len())), "the person sees their own documents");
    let zip = t.get(&format!("/persons/{person}/disclosure.zip")).await;
    assert_eq!(zip.status, StatusCode::OK);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip.body_bytes())).unwrap();
    let path = format!("documents/{}-同意書.pdf", doc.id.0);
    let mut file = archive.by_name(&path).unwrap();
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut file, &mut bytes).unwrap();
    assert_eq!(bytes, PDF);
    drop(file);
    assert!(archive.by_name("documents.csv").is_ok(), "and the list of them");
}

#[tokio::test]
async fn the_api_lists_attaches_and_downloads_documents() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    t.sign_in("worker").await;
    let token = t.new_token("書類", &["persons_read", "persons_write"]).await;
    let uri =
        format!("/api/v1/persons/{person}/documents?kind=assessment_report&title=%E8%A9%95%E4%BE%A1&file_name=a.bin");
    let request = axum::http::Request::post(&uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .body(axum::body::Body::from(PDF))
        .unwrap();
    let created = t.request(request).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let list = t.request(common::bearer("GET", &format!("/api/v1/persons/{person}/documents"), &token, None)).await;
    assert_eq!(list.status, StatusCode::OK);
    let json = list.json();
    let listed = json.as_array().unwrap().iter().find(|d| d["id"] == id.as_str()).unwrap();
    assert_eq!((listed["title"].as_str(), listed["file_name"].as_str()), (Some("評価"), Some("a.pdf")));
    assert_eq!(listed["sha256"].as_str().unwrap().len(), 64);
    let file =
        t.request(common::bearer("GET", &format!("/api/v1/persons/{person}/documents/{id}"), &token, None)).await;
    assert_eq!(file.body_bytes(), PDF);
    let bad = axum::http::Request::post(format!("/api/v1/persons/{person}/documents?kind=other"))
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(axum::body::Body::from("MZ\u{90}"))
        .unwrap();
    let bad = t.request(bad).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["code"], "file_type");
}

#[tokio::test]
async fn an_agency_puts_its_guide_on_its_page_for_the_networks_staff() {
    let t = spawn_app().await;
    let id = t.agency_id("ハローワーク飯田橋").await;
    let page = format!("/agencies/{id}");
    // Anonymous readers of the directory see no documents at all.
    assert!(!t.get(&page).await.body.contains("id=\"documents\""));

    // Its own Hello Work staff may put a document on the page.
    t.sign_in("hellowork").await;
    let before = t.get(&page).await;
    assert!(before.body.contains("この機関の資料はまだありません。"));
    assert!(before.body.contains(&format!("href=\"/agencies/{id}/documents/new\"")));
    let form = t.get(&format!("/agencies/{id}/documents/new")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<h1>資料を追加: ハローワーク飯田橋</h1>"), "{}", form.body);
    assert!(form.body.contains("enctype=\"multipart/form-data\""));

    // A file that is not a document is refused by its content, and the title typed is kept.
    let uri = format!("/agencies/{id}/documents");
    let csrf = t.csrf().unwrap();
    let refused =
        t.request(upload_named(&uri, &csrf, "guide.pdf", b"<script>alert(1)</script>", &[("title", "利用案内")])).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("value=\"利用案内\""));
    assert!(refused.body.contains("aria-invalid=\"true\""));
    assert!(
        t.app
            .store()
            .agency_documents(tsunagu_domain::directory::AgencyId(id.parse().unwrap()))
            .await
            .unwrap()
            .is_empty()
    );

    let r = t.request(upload_named(&uri, &csrf, "guide.pdf", PDF, &[("title", "利用案内（2026年度）")])).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), format!("/agencies/{id}?attached=1#documents"));
    let agency = tsunagu_domain::directory::AgencyId(id.parse().unwrap());
    let doc = t.app.store().agency_documents(agency).await.unwrap()[0].id.0;
    let shown = t.get(r.location()).await;
    assert!(shown.body.contains("資料を追加しました。"));
    assert!(
        shown.body.contains(&format!("<a href=\"/agencies/{id}/documents/{doc}\" download>利用案内（2026年度）</a>"))
    );
    assert!(shown.body.contains(&format!("（PDF、{} B）", PDF.len())));

    // Any signed-in staff member may download it, as a file; the download is audited.
    t.sign_in("worker").await;
    let listed = t.get(&page).await;
    assert!(listed.body.contains("利用案内（2026年度）"));
    assert!(!listed.body.contains("/remove\""), "the worker may not remove another agency's document");
    let file = t.get(&format!("/agencies/{id}/documents/{doc}")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body_bytes(), PDF);
    let h = |name: header::HeaderName| file.headers.get(name).unwrap().to_str().unwrap().to_owned();
    assert!(h(header::CONTENT_DISPOSITION).starts_with("attachment;"));
    assert_eq!(h(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
    assert_eq!(h(header::CACHE_CONTROL), "no-store");
    let remove = format!("/agencies/{id}/documents/{doc}/remove");
    assert_eq!(t.post_form(&remove, &[]).await.status, StatusCode::FORBIDDEN);
    let query =
        AuditQuery { record_prefix: Some(format!("agency_document:{doc}")), limit: 10, ..AuditQuery::default() };
    let log = t.app.store().search_audit(&query).await.unwrap();
    let actions: Vec<_> = log.iter().map(|e| (e.event.actor_label.as_str(), e.event.action.code())).collect();
    assert_eq!(actions, [("worker", "read"), ("hellowork", "create")], "newest first");

    // Its staff take it off the page: the file is gone, the entry kept.
    t.sign_in("hellowork").await;
    let r = t.post_form(&remove, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let after = t.get(r.location()).await;
    assert!(after.body.contains("資料を削除しました。"));
    assert!(after.body.contains("この機関の資料はまだありません。"));
    assert_eq!(t.get(&format!("/agencies/{id}/documents/{doc}")).await.status, StatusCode::NOT_FOUND);
    assert_eq!(t.post_form(&remove, &[]).await.status, StatusCode::NOT_FOUND);
    let kept = t.app.store().agency_documents(agency).await.unwrap();
    assert!(kept[0].removed_at.is_some());
}
