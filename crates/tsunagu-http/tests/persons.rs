//! Persons' records over HTTP: registration with consent first, what each reader sees, consents
//! and their withdrawal, provisions, who looked, disclosure and the emergency override.

mod common;

use std::io::Read as _;

use axum::http::StatusCode;
use common::{Relation, TestApp, registration, spawn_app};
use tsunagu_domain::audit::AuditAction;
use tsunagu_store::AuditQuery;

/// The audit entries about person `id`, newest first.
async fn audit_about(t: &TestApp, id: &str) -> Vec<tsunagu_domain::audit::AuditEntry> {
    let query = AuditQuery { person: Some(id.to_owned()), limit: 100, ..AuditQuery::default() };
    t.app.store().search_audit(&query).await.unwrap()
}

#[tokio::test]
async fn registering_records_the_consent_first_and_opens_a_case() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let form = t.get("/persons/new").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("本人の同意（最初に記録します）"), "{}", form.body);

    let r = t.post_form("/persons", &registration("登録 花子", "とうろく はなこ", "2000-02-29")).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(r.location()).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("登録しました。同意と支援ケースも記録しました。"));
    assert!(page.body.contains("精神障害者保健福祉手帳 2級"));
    assert!(page.body.contains("同意書（書面）"), "the consent is listed");
    let id = r.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();

    let entries = audit_about(&t, &id).await;
    let actions: Vec<_> =
        entries.iter().rev().map(|e| (e.event.action, e.event.record.split(':').next().unwrap().to_owned())).collect();
    assert_eq!(
        actions,
        [
            (AuditAction::Create, "consent".to_owned()),
            (AuditAction::Create, "person".to_owned()),
            (AuditAction::Read, "person".to_owned())
        ],
        "consent first, then the person, then the read of the page"
    );
    assert!(entries[0].event.basis.starts_with("own_case:"), "{:?}", entries[0].event);

    let caseload = t.get("/persons").await;
    assert!(caseload.body.contains("登録 花子"), "the new person is on the caseload");
}

#[tokio::test]
async fn bad_registrations_name_every_problem_and_write_nothing() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let mut form = registration("", "やまだ", "2001-02-30");
    form.retain(|(k, v)| !(*k == "consent_categories" && *v == "disability"));
    form.push(("health_notes", "服薬中"));
    let r = t.post_form("/persons", &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let summary = &r.body[r.body.find("error-summary").unwrap()..];
    let mut at = 0;
    // Listed in the order of the form: the consent first, then the person.
    for message in [
        "登録には「障害・手帳・配慮」への同意が必要です。",
        "氏名を入力してください。",
        "生年月日は「2001/04/02」「2001年4月2日」「平成13年4月2日」のような形で、実在する日付を入力してください。",
    ] {
        let found =
            summary[at..].find(message).unwrap_or_else(|| panic!("missing or out of order {message}: {}", r.body));
        at += found;
    }
    let mut form = registration("山田 一", "やまだ はじめ", "1990-01-01");
    form.push(("health_notes", "服薬中"));
    let r = t.post_form("/persons", &form).await;
    assert!(r.body.contains("健康・医療に関するメモを記録するには「健康・医療」への同意が必要です。"), "{}", r.body);
    assert!(!t.get("/persons").await.body.contains("山田 一"), "nothing was written");
}

#[tokio::test]
async fn a_possible_duplicate_is_shown_without_revealing_the_other_record_and_linked_on_confirmation() {
    let t = spawn_app().await;
    // The coach registers someone at a welfare facility.
    t.sign_in("coach").await;
    let first = t.post_form("/persons", &registration("重複 太郎", "ちょうふく たろう", "1995-05-05")).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let first_id = first.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();

    // The worker, at another agency, registers the same reading and birth date (in katakana).
    t.sign_in("worker").await;
    let again = registration("重複 太郎", "チョウフク タロウ", "1995-05-05");
    let warned = t.post_form("/persons", &again).await;
    assert_eq!(warned.status, StatusCode::CONFLICT);
    assert!(warned.body.contains("同じ読みと生年月日の方がすでに登録されています"));
    assert!(warned.body.contains("閲覧の権限がないため内容は表示しません"), "{}", warned.body);
    assert!(!warned.body.contains(&first_id), "the other record is not revealed");
    // It says whom to ask, and holds its own confirmation, tied to the form.
    let coach_agency =
        t.app.directory().await.unwrap().agency(t.account("coach").await.agency.unwrap()).unwrap().name.clone();
    assert!(warned.body.contains(&format!("担当している機関: {coach_agency}")), "{}", warned.body);
    let warning =
        &warned.body[warned.body.find("duplicate-title").unwrap()..warned.body.find("id=\"person-form\"").unwrap()];
    assert!(warning.contains("name=\"confirm_duplicate\" value=\"yes\" form=\"person-form\""));

    let mut confirmed = again.clone();
    confirmed.push(("confirm_duplicate", "yes"));
    let created = t.post_form("/persons", &confirmed).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let page = t.get(created.location()).await;
    assert!(page.body.contains("同一人物の可能性がある記録"), "the records are linked");
    assert!(!page.body.contains(&first_id), "the link does not reveal a record the worker may not read");
}

#[tokio::test]
async fn a_consent_withdrawn_between_two_requests_refuses_the_second_and_audits_it() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    let coach_agency = t.account("coach").await.agency.unwrap().0.to_string();

    // The person consents, in their own account, to the coach's agency.
    t.person_consents(&person, &coach_agency, "support", &["basic", "disability"]).await;

    // The coach reads the record: the data crossed, so a provision record is written.
    t.sign_in("coach").await;
    let read = t.get(&format!("/persons/{person}")).await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert!(read.body.contains("健康・医療"), "health is withheld and says so");

    // The person withdraws it.
    t.sign_in("person").await;
    let own = t.get(&format!("/persons/{person}")).await;
    let consent = t.app.store().consents_of(t.account("person").await.person.unwrap()).await.unwrap();
    let coach_consent = consent.iter().rev().find(|c| c.consent.recipient.parts().1 == coach_agency).unwrap();
    assert!(own.body.contains(&coach_consent.consent.id.0.to_string()), "the person sees a withdraw button");
    let r = t.post_form(&format!("/persons/{person}/consents/{}/revoke", coach_consent.consent.id.0), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);

    // The coach's next request is refused, and the refusal is audited.
    t.sign_in("coach").await;
    let refused = t.get(&format!("/persons/{person}")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("あなたの機関にはこの方の支援ケースも、本人の同意もありません。"));
    let entries = audit_about(&t, &person).await;
    let latest = &entries[0].event;
    assert_eq!(
        (latest.action, latest.actor_label.as_str(), latest.basis.as_str()),
        (AuditAction::AccessDenied, "coach", "denied:no_basis")
    );

    // The person sees who looked, and the disclosure lists the provision to the coach's agency.
    t.sign_in("person").await;
    let log = t.get(&format!("/persons/{person}/access-log")).await;
    assert_eq!(log.status, StatusCode::OK);
    assert!(
        log.body.contains("coach") && log.body.contains("本人の同意") && log.body.contains("閲覧の拒否"),
        "{}",
        log.body
    );
    let json = t.get(&format!("/persons/{person}/disclosure.json")).await;
    let d = json.json();
    let provisions = d["provisions"].as_array().unwrap();
    assert_eq!(provisions.len(), 1, "{d}");
    let coach_name =
        t.app.agency(tsunagu_domain::directory::AgencyId(coach_agency.parse().unwrap())).await.unwrap().fields.name;
    assert_eq!(provisions[0]["recipient"], serde_json::json!({"kind": "agency", "name": coach_name}));
    assert!(provisions[0]["items"].as_array().unwrap().iter().any(|i| i == "accommodations"));
    assert!(d["access_log"].as_array().unwrap().len() >= 4);
}

#[tokio::test]
async fn health_notes_need_their_own_consent_even_on_an_own_case() {
    let t = spawn_app().await;
    let persons = t.person_fixtures().await;
    let id = &persons.iter().find(|(r, _)| *r == Relation::Consented).unwrap().1;
    t.sign_in("worker").await;
    let page = t.get(&format!("/persons/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("服薬中"), "the health note is not shown");
    assert!(page.body.contains("表示していない情報"));
    let read = &audit_about(&t, id).await[0].event;
    assert!(!read.fields.contains(&"health_notes".to_owned()), "{:?}", read.fields);
    assert!(read.basis.starts_with("consent:"));
}

#[tokio::test]
async fn an_emergency_override_needs_the_role_and_a_reason_and_is_disclosed() {
    let t = spawn_app().await;
    let persons = t.person_fixtures().await;
    let id = &persons.iter().find(|(r, _)| *r == Relation::Unrelated).unwrap().1;
    t.sign_in("coordinator").await;
    let denied = t.get(&format!("/persons/{id}")).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert!(denied.body.contains("緊急閲覧"), "the override form is offered");
    let short = t.post_form(&format!("/persons/{id}/override"), &[("reason", "急ぎ")]).await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY, "a problem with the reason, not a refusal");
    assert!(!short.body.contains("理由を書いて行えます"), "not the permission message");
    assert!(short.body.contains("10文字以上"));
    assert!(short.body.contains(">急ぎ</textarea>"), "what was typed is kept");
    assert!(short.body.contains("<title>エラー: "));
    let reason = "職場で倒れたと連絡があり、緊急連絡先を確認する";
    let elsewhere = t.post_form(&format!("/persons/{id}/override"), &[("reason", reason)]).await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN, "the person's only case is in another block");
    assert!(elsewhere.body.contains("自分のブロックの機関に支援ケースがある方に限られます"));
    let essay = "理由".repeat(600);
    let long = t.post_form(&format!("/persons/{id}/override"), &[("reason", essay.as_str())]).await;
    assert!(long.body.contains("10文字以上1,000文字以内"));

    t.sign_in("admin").await;
    let read = t.post_form(&format!("/persons/{id}/override"), &[("reason", reason)]).await;
    assert_eq!(read.status, StatusCode::OK);
    // A warning, not a success message; the supporting agencies can be rung from the page.
    assert!(read.body.contains("<div class=\"warning\" role=\"alert\"><p>緊急閲覧で表示しています"), "{}", read.body);
    assert!(read.body.contains("href=\"tel:0"), "the agencies' phones are tel: links");
    let entry = &audit_about(&t, id).await[0].event;
    assert_eq!(entry.basis, format!("override:{reason}"));
    // For a while the record and the journey read again without the reason given anew, read
    // only; each read is logged on the override.
    let again = t.get(&format!("/persons/{id}")).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body.contains("緊急閲覧で表示しています（") && again.body.contains("まで、読み取りのみ）"));
    let journey = t.get(&format!("/persons/{id}/timeline")).await;
    assert_eq!(journey.status, StatusCode::OK);
    assert!(journey.body.contains("<div class=\"warning\" role=\"alert\"><p>緊急閲覧で表示しています"));
    assert!(!journey.body.contains("action=\"/persons/{id}/support\""), "no form to write with");
    let write = t.post_form(&format!("/persons/{id}/support"), &[("kind", "phone"), ("note", "x")]).await;
    assert_eq!(write.status, StatusCode::FORBIDDEN, "an override never writes");
    let log = audit_about(&t, id).await;
    let entry = &log.iter().find(|e| e.event.record.starts_with("timeline:")).unwrap().event;
    assert_eq!(entry.basis, format!("override:{reason}"));

    t.sign_in("worker").await;
    let refused = t.post_form(&format!("/persons/{id}/override"), &[("reason", reason)]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "support workers cannot override");
    t.sign_in("manager").await;
    let manager = t.get(&format!("/persons/{id}")).await;
    assert!(manager.body.contains("集計だけを見ることができます"));
}

#[tokio::test]
async fn the_disclosure_archive_holds_everything_in_readable_files() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    t.sign_in("worker").await;
    assert_eq!(t.get(&format!("/persons/{person}")).await.status, StatusCode::OK);
    t.sign_in("person").await;
    let page = t.get(&format!("/persons/{person}/disclosure")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("worker"), "the page lists who looked");
    let zip = t.get(&format!("/persons/{person}/disclosure.zip")).await;
    assert_eq!(zip.status, StatusCode::OK);
    assert_eq!(zip.headers["content-type"], "application/zip");
    let bytes = zip.body_bytes();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut names: Vec<String> = archive.file_names().map(|n| n.unwrap().into_owned()).collect();
    names.sort();
    let files: Vec<String> = names.iter().filter(|n| n.starts_with("documents/")).cloned().collect();
    assert_eq!(files.len(), 1, "the demo's scan of the consent form: {files:?}");
    assert!(files[0].ends_with("-同意書_スキャン.pdf"), "{files:?}");
    names.retain(|n| !n.starts_with("documents/"));
    assert_eq!(
        names,
        [
            "access_log.csv",
            "assessment_sheets.csv",
            "cases.csv",
            "checklists.csv",
            "coach_days.csv",
            "consents.csv",
            "disclosure.json",
            "dispatches.csv",
            "documents.csv",
            "event_signups.csv",
            "follow_ups.csv",
            "internships.csv",
            "job_preferences.csv",
            "mws_results.csv",
            "passports.csv",
            "person.csv",
            "placements.csv",
            "plan_reviews.csv",
            "plans.csv",
            "provisions.csv",
            "referrals.csv",
            "return_plans.csv",
            "school.csv",
            "stages.csv",
            "support_records.csv",
            "trial_weeks.csv",
            "trials.csv",
            "trywork_participations.csv",
        ]
    );
    let mut read = |name: &str| {
        let mut text = String::new();
        archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    };
    let log = read("access_log.csv");
    assert!(log.starts_with('\u{feff}'), "CSV with a BOM for Excel");
    assert!(log.contains("worker") && log.contains("支援ケース"), "{log}");
    assert!(!log.contains("own_case:"), "bases read as words, not codes: {log}");
    let consents = read("consents.csv");
    assert!(consents.contains("同意書（書面）") && consents.contains("就労支援の実施"), "{consents}");
    assert!(!consents.contains("paper_form") && !consents.contains("support,"), "{consents}");
    let records = read("support_records.csv");
    assert!(records.lines().count() > 1, "the person's support records are disclosed: {records}");
    assert!(records.lines().nth(1).is_some_and(|l| l.starts_with("20")), "rows begin with the date: {records}");
    assert!(read("stages.csv").lines().count() > 1, "the journey's stages are disclosed");
    let document: serde_json::Value = serde_json::from_str(&read("disclosure.json")).unwrap();
    assert_eq!(document["version"], 16);
    let birth = document["person"]["birth_date"].as_str().unwrap();
    assert!(birth.len() == 10 && birth.as_bytes()[4] == b'-', "dates are ISO 8601: {birth}");
    assert_eq!(document["support_records"].as_array().unwrap().len(), records.lines().count() - 1);
}

#[tokio::test]
async fn the_api_registers_reads_and_refuses_after_a_withdrawal() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let token = t.new_token("ケース記録システム", &["persons_read", "persons_write"]).await;
    let body = serde_json::json!({
        "name": "連携 三郎", "name_kana": "れんけい さぶろう", "birth_date": "1988-08-08",
        "categories": ["intellectual"], "certificates": ["ai_no_techo:2"],
        "health_notes": "てんかん発作の既往",
        "consent": {"purposes": ["support"], "categories": ["basic", "disability", "health"],
                    "evidence": "verbal", "evidence_note": "相談員2名が立ち会い"}
    });
    let created = t.raw(common::bearer("POST", "/api/v1/persons", &token, Some(body.clone()))).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.json()["id"].as_str().unwrap().to_owned();
    let again = t.raw(common::bearer("POST", "/api/v1/persons", &token, Some(body))).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["errors"][0]["code"], "possible_duplicate");

    let read = t.raw(common::bearer("GET", &format!("/api/v1/persons/{id}"), &token, None)).await;
    assert_eq!(read.status, StatusCode::OK);
    let person = read.json();
    assert_eq!(person["severe"], true, "愛の手帳 2度 is 重度");
    assert_eq!(person["health_notes"], "てんかん発作の既往", "the consent covers health");

    // The worker's agency notes the person's withdrawal; the next read is refused.
    let consent = person["consents"][0]["id"].as_str().unwrap().to_owned();
    let revoked =
        t.raw(common::bearer("POST", &format!("/api/v1/persons/{id}/consents/{consent}/revoke"), &token, None)).await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
    let after = t.raw(common::bearer("GET", &format!("/api/v1/persons/{id}"), &token, None)).await;
    assert_eq!(after.status, StatusCode::OK, "the open case still covers basic and disability data");
    assert!(after.json()["health_notes"].is_null(), "health needed the withdrawn consent");
    assert_eq!(after.json()["withheld"][0]["reason"], "health_needs_consent");

    let read_only = t.new_token("閲覧のみ", &["persons_read"]).await;
    let refused = t
        .raw(common::bearer("POST", &format!("/api/v1/persons/{id}/consents"), &read_only, Some(serde_json::json!({}))))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "the token lacks persons_write");
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_the_other_change_shown() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    t.sign_in("worker").await;
    let form = t.get(&format!("/persons/{person}/edit")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(!form.body.contains("name=\"health_notes\""), "the worker's own case does not open health notes");
    let field = |name: &str| {
        let marker = format!("name=\"{name}\" type=\"text\" value=\"");
        let start = form.body.find(&marker).map(|i| i + marker.len()).unwrap_or_else(|| panic!("no {name}"));
        form.body[start..].split('"').next().unwrap().to_owned()
    };
    let (name, kana) = (field("name"), field("name_kana"));
    let birth = {
        let marker = "name=\"birth_date\" type=\"date\" value=\"";
        let start = form.body.find(marker).unwrap() + marker.len();
        form.body[start..].split('"').next().unwrap().to_owned()
    };
    let save = |area: &'static str, version: &'static str| {
        vec![
            ("version", version.to_owned()),
            ("name", name.clone()),
            ("name_kana", kana.clone()),
            ("birth_date", birth.clone()),
            ("categories", "intellectual".to_owned()),
            ("preferred_area", area.to_owned()),
        ]
    };
    let first = save("板橋区", "1");
    let first: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = t.post_form(&format!("/persons/{person}/edit"), &first).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(t.get(r.location()).await.body.contains("保存しました。"));

    // A second editor still holding version 1 is refused and sees both values.
    let second = save("練馬区", "1");
    let second: Vec<(&str, &str)> = second.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let stale = t.post_form(&format!("/persons/{person}/edit"), &second).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("ほかの人が先にこの方の記録を更新しました"));
    assert!(
        stale.body.contains("板橋区") && stale.body.contains("練馬区"),
        "current and submitted values side by side"
    );
    let entries = audit_about(&t, &person).await;
    assert!(
        entries
            .iter()
            .any(|e| e.event.action == AuditAction::Update && e.event.fields.contains(&"preferred_area".to_owned())),
        "the saved change is audited with its field"
    );
}

#[tokio::test]
async fn the_person_edits_their_basic_facts_but_not_their_disability_record() {
    let t = spawn_app().await;
    let id = t.account("person").await.person.unwrap();
    let before = t.app.store().person_file(id).await.unwrap().unwrap().person;
    t.sign_in("person").await;
    let form = t.get(&format!("/persons/{}/edit", id.0)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(!form.body.contains("name=\"categories\""), "the disability fields are not offered");
    let f = &before.fields;
    let birth = f.birth_date.to_string();
    let version = before.version.to_string();
    let saved = t
        .post_form(
            &format!("/persons/{}/edit", id.0),
            &[
                ("version", &version),
                ("name", &f.name),
                ("name_kana", &f.name_kana),
                ("birth_date", &birth),
                ("phone", "080-2222-3333"),
                ("categories", "physical"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = t.app.store().person_file(id).await.unwrap().unwrap().person;
    assert_eq!(after.fields.phone.as_deref(), Some("080-2222-3333"));
    assert_eq!(after.fields.categories, before.fields.categories, "a disability category sent anyway is not taken");
}

#[tokio::test]
async fn the_caseload_is_a_work_list_searched_filtered_sorted_and_paged() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    for (name, kana) in [("検索 太郎", "けんさく たろう"), ("検索 花子", "ケンサク ハナコ")] {
        let r = t.post_form("/persons", &common::registration(name, kana, "1990-01-01")).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }
    // Either kana, in either width, finds both readings; a name finds its person.
    for q in ["けんさく", "ケンサク", "ｹﾝｻｸ"] {
        let page = t.get(&format!("/persons?q={}", common::urlencode(q))).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("検索 太郎") && page.body.contains("検索 花子"), "{q}");
        assert!(page.body.contains("条件に合う本人: 2人"), "{q}: {}", page.body);
        assert!(page.body.contains("条件を消す"));
    }
    let page = t.get(&format!("/persons?q={}", common::urlencode("花子"))).await;
    assert!(page.body.contains("検索 花子") && !page.body.contains("検索 太郎"));
    // Newly registered persons have no stage yet; nothing of theirs is overdue.
    let none = t.get(&format!("/persons?q={}&stage=none", common::urlencode("検索"))).await;
    assert!(none.body.contains("条件に合う本人: 2人"), "{}", none.body);
    let intake = t.get(&format!("/persons?q={}&stage=intake", common::urlencode("検索"))).await;
    assert!(intake.body.contains("条件に合う本人はいません。"), "{}", intake.body);
    let overdue = t.get(&format!("/persons?q={}&due=overdue", common::urlencode("検索"))).await;
    assert!(overdue.body.contains("条件に合う本人はいません。"));

    // The whole caseload is paged by number; a sort is kept from page to page and marked.
    let all = t.get("/persons").await;
    assert!(all.body.contains("今日: "), "a marker for today");
    assert!(all.body.contains("aria-label=\"2ページ目\""), "numbered pages: {}", all.body);
    let sorted = t.get("/persons?sort=last_contact").await;
    assert!(sorted.body.contains("aria-sort=\"descending\""));
    assert!(sorted.body.contains("href=\"/persons?sort=last_contact&#38;page=2\""), "{}", sorted.body);

    // An unknown filter is a bad request on the page, and a named problem in the API.
    assert_eq!(t.get("/persons?stage=unknown").await.status, StatusCode::BAD_REQUEST);
    let api = t.get("/api/v1/persons?sort=height").await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.json()["errors"][0]["field"], "sort");
    let api = t.get(&format!("/api/v1/persons?q={}", common::urlencode("ケンサク"))).await;
    assert_eq!(api.json()["total"], 2);
}

#[tokio::test]
async fn a_person_can_have_an_emergency_contact_that_the_page_rings() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let mut form = common::registration("緊急 花子", "きんきゅう はなこ", "1995-02-03");
    form.push(("emergency_phone", "080-2222-3333"));
    let r = t.post_form("/persons", &form).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("電話番号を入れる場合は緊急連絡先も入力してください。"), "a number needs a name");
    assert!(r.body.contains("value=\"080-2222-3333\""), "the number typed is kept");
    form.push(("emergency_contact", "母 緊急 春子"));
    let r = t.post_form("/persons", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(r.location()).await;
    assert!(page.body.contains("<dt>緊急連絡先</dt><dd>母 緊急 春子</dd>"));
    assert!(page.body.contains("<a href=\"tel:08022223333\">080-2222-3333</a>"), "the number is a tel: link");
}
