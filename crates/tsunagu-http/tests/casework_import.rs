//! Importing an agency's files over HTTP: the list of persons with their consents, and support
//! records of persons on the caseload; all rows or none, every problem named by line and column.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Relation, TestApp, bearer, spawn_app, upload};
use time::Duration;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::person::PersonId;
use tsunagu_store::AuditQuery;
use uuid::Uuid;

fn today() -> time::Date {
    tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc())
}

const PERSON_HEADER: &str = "氏名,ふりがな,生年月日,電話番号,障害種別,障害者手帳,合理的配慮,希望勤務時間(週),支援開始日,段階,段階の開始日,同意日,同意の方法,同意書の保管場所";

/// A persons file: the header and `rows`, UTF-8.
fn persons_csv(rows: &[String]) -> String {
    let mut csv = format!("{PERSON_HEADER}\n");
    for row in rows {
        csv.push_str(row);
        csv.push('\n');
    }
    csv
}

async fn import_persons(t: &TestApp, file: &[u8], fields: &[(&str, &str)]) -> common::Reply {
    t.request(upload("/persons/import", &t.csrf().unwrap(), file, fields)).await
}

async fn import_support(t: &TestApp, file: &[u8]) -> common::Reply {
    t.request(upload("/persons/import/support-records", &t.csrf().unwrap(), file, &[])).await
}

/// The caseload's size as the caseload page states it.
async fn caseload_count(t: &TestApp) -> String {
    let body = t.get("/persons").await.body;
    let start = body.find("<p role=\"status\">").unwrap() + "<p role=\"status\">".len();
    body[start..].split('<').next().unwrap().to_owned()
}

async fn imports_in_audit_log(t: &TestApp) -> usize {
    let query = AuditQuery { action: Some(AuditAction::Import), limit: 1000, ..AuditQuery::default() };
    t.app.store().search_audit(&query).await.unwrap().len()
}

/// The id of the person on the worker's caseload with this name.
async fn person_named(t: &TestApp, name: &str) -> PersonId {
    let worker = t.account("worker").await;
    let entries = t.app.store().caseload(worker.agency.unwrap(), 0, u32::MAX).await.unwrap();
    entries.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("{name} is on the caseload")).person
}

#[tokio::test]
async fn a_persons_file_registers_each_person_with_their_consent_case_and_stage() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let page = t.get("/persons/import").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("利用者台帳の取込") && page.body.contains("同意書の保管場所"), "the columns are listed");
    let before = imports_in_audit_log(&t).await;
    let placed = today() - Duration::days(20);
    let csv = persons_csv(&[
        "取込 一郎,とりこみ いちろう,1995/4/1,090-1234-5678,精神、発達,精神障害者保健福祉手帳 2級,指示はメモで,20,2026-04-01,求職活動,,2026-04-01,書面,相談記録ファイル 2026年度".into(),
        format!("取込 花子,トリコミ ハナコ,２０００-０２-２９,,身体,身体障害者手帳1級,車椅子で通れる通路,30,2025-10-01,就職,{placed},2025-10-01,口頭,支援員 佐藤が立ち会い"),
    ]);
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&csv);
    let r = import_persons(&t, &sjis, &[]).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(
        r.body.contains(
            "取り込みました: 2 人を登録しました（ほかの機関の記録と結び付けた方 0 人、定着支援の予定 4 件）。"
        ),
        "{}",
        r.body
    );
    assert_eq!(imports_in_audit_log(&t).await, before + 6, "consent, person and stage of each, one entry each");

    let id = person_named(&t, "取込 花子").await;
    let page = t.get(&format!("/persons/{}", id.0)).await;
    assert!(page.body.contains("身体障害者手帳 1級"), "the certificate as the file wrote it");
    assert!(page.body.contains("口頭"), "the verbal consent is on the ledger");
    let file = t.app.store().person_file(id).await.unwrap().unwrap();
    assert_eq!(file.person.fields.birth_date, time::macros::date!(2000 - 02 - 29), "full-width digits read");
    assert_eq!(file.cases[0].opened_on, time::macros::date!(2025 - 10 - 01));
    assert_eq!(file.consents[0].consent.valid_from, time::macros::date!(2025 - 10 - 01));
    assert_eq!(file.stage, Some(tsunagu_domain::journey::Stage::Employed));
    let follow_ups = t.app.store().follow_ups_of(id).await.unwrap();
    assert_eq!(follow_ups.len(), 4, "the 2-week visit has passed; 1, 3, 6 and 12 months remain");
    assert!(follow_ups.iter().all(|f| f.due_on >= today() && f.placed_on == placed));

    let log = AuditQuery { person: Some(id.0.to_string()), limit: 10, ..AuditQuery::default() };
    let entries = t.app.store().search_audit(&log).await.unwrap();
    let records: Vec<&str> = entries.iter().rev().map(|e| e.event.record.split(':').next().unwrap()).collect();
    assert_eq!(&records[..3], ["consent", "person", "stage"], "the consent first, then the person, then the stage");
    assert!(entries.iter().all(|e| e.event.actor_label == "worker"));
    assert!(t.get("/persons").await.body.contains("取込 一郎"), "the persons are on the caseload");
}

#[tokio::test]
async fn a_bad_persons_file_names_every_problem_and_writes_nothing() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let count = caseload_count(&t).await;
    let before = imports_in_audit_log(&t).await;
    let tomorrow = today() + Duration::days(1);
    let csv = persons_csv(&[
        "誤り 一,あやまり いち,2001-02-30,,精神,,,,,,,2026-04-01,書面,ファイル".into(),
        "誤り 二,あやまり に,2001-01-01,,色覚,,,,,,,2026-04-01,書面,ファイル".into(),
        "誤り 三,あやまり さん,2001-01-01,,知的,身体障害者手帳2級,,,,,,2026-04-01,書面,".into(),
        format!("誤り 四,あやまり よん,2001-01-01,,精神,,,,,面接中,,{tomorrow},メール,ファイル"),
        "誤り 五,あやまり ご,2001-01-01,,精神,,,,,,,2026-04-01,書面,ファイル".into(),
        "誤り 五,アヤマリ ゴ,2001-01-01,,精神,,,,,,,2026-04-01,書面,ファイル".into(),
    ]);
    let r = import_persons(&t, csv.as_bytes(), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        "<td>2</td><td>生年月日</td><td>生年月日は「2001/04/02」「2001年4月2日」「平成13年4月2日」のような形で、実在する日付を入力してください。</td>",
        "<td>3</td><td>障害種別</td><td>障害種別に一致する種類がありません",
        "<td>4</td><td>障害者手帳</td><td>障害者手帳が障害の種類と合いません。",
        "<td>4</td><td>同意書の保管場所</td><td>同意書の保管場所を入力してください。</td>",
        "<td>5</td><td>段階</td><td>段階に一致する段階がありません。",
        "<td>5</td><td>同意日</td><td>同意日に未来の日付は入力できません。</td>",
        "<td>5</td><td>同意の方法</td><td>同意の方法は「書面」または「口頭」で入力してください。</td>",
        "<td>7</td><td>ふりがな</td><td>同じ読みと生年月日の方が6行目にもあります。</td>",
    ] {
        assert!(r.body.contains(expected), "{expected}\n{}", r.body);
    }
    assert!(r.body.contains("何も登録されていません"));
    assert_eq!(caseload_count(&t).await, count, "nobody was registered");
    assert_eq!(imports_in_audit_log(&t).await, before, "nothing was audited as imported");

    // Health notes need a consent that names health data.
    let csv = "氏名,ふりがな,生年月日,障害種別,健康・医療,同意日,同意の方法,同意書の保管場所\n\
               健康 太郎,けんこう たろう,1990-01-01,精神,月1回通院,2026-04-01,書面,ファイル\n";
    let r = import_persons(&t, csv.as_bytes(), &[]).await;
    assert!(r.body.contains("健康・医療を記録するには「健康・医療」への同意が必要です。"), "{}", r.body);
    let fixed = csv
        .replace("同意書の保管場所\n", "同意書の保管場所,同意の範囲\n")
        .replace("ファイル\n", "ファイル,基本・支援記録・障害・健康\n");
    assert_eq!(import_persons(&t, fixed.as_bytes(), &[]).await.status, StatusCode::OK);

    // A file without the required columns says which.
    let r = import_persons(&t, "氏名,ふりがな,備考\n".as_bytes(), &[]).await;
    for missing in ["「生年月日」の列がありません。", "「同意日」の列がありません。", "「備考」は使えない列名です。"]
    {
        assert!(r.body.contains(missing), "{missing}");
    }
}

#[tokio::test]
async fn possible_duplicates_are_refused_until_linked_and_the_own_caseload_never_takes_one_twice() {
    let t = spawn_app().await;
    let persons = t.person_fixtures().await;
    t.sign_in("worker").await;
    let own = t.account("person").await.person.unwrap();
    let own = t.app.store().person_file(own).await.unwrap().unwrap().person.fields;
    let elsewhere = persons.iter().find(|(r, _)| *r == Relation::Unrelated).unwrap().1.clone();
    let csv = persons_csv(&[
        // "しけん よん", born 1990-01-01, has a case at another agency only.
        "試験 別人,シケン ヨン,1990-01-01,,精神,,,,,,,2026-04-01,書面,ファイル".into(),
        format!("{},{},{},,精神,,,,,,,2026-04-01,書面,ファイル", own.name, own.name_kana, own.birth_date),
    ]);
    let r = import_persons(&t, csv.as_bytes(), &[]).await;
    assert!(
        r.body
            .contains("<td>2</td><td>ふりがな</td><td>同じ読みと生年月日の方が、ほかの機関ですでに登録されています。")
    );
    assert!(
        r.body
            .contains("<td>3</td><td>ふりがな</td><td>同じ読みと生年月日の方が、すでにこの機関の担当ケースにいます。")
    );
    assert!(!r.body.contains("試験 4"), "the other record is not revealed");
    let linked = import_persons(&t, csv.as_bytes(), &[("link_duplicates", "yes")]).await;
    assert!(linked.body.contains("すでにこの機関の担当ケースにいます"), "confirming never takes the own case twice");

    let first_only: String = csv.lines().take(2).map(|l| format!("{l}\n")).collect();
    let r = import_persons(&t, first_only.as_bytes(), &[("link_duplicates", "yes")]).await;
    assert!(r.body.contains("ほかの機関の記録と結び付けた方 1 人"), "{}", r.body);
    let id = person_named(&t, "試験 別人").await;
    let file = t.app.store().person_file(id).await.unwrap().unwrap();
    assert_eq!(file.links, [PersonId(Uuid::parse_str(&elsewhere).unwrap())], "linked, not merged");
}

#[tokio::test]
async fn support_records_are_added_for_persons_on_the_caseload_by_id_or_reading() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let own = t.account("person").await.person.unwrap();
    let fields = t.app.store().person_file(own).await.unwrap().unwrap().person.fields;
    let (day, earlier) = (today(), today() - Duration::days(3));
    let next = today() + Duration::days(4);
    let csv = format!(
        "本人ID,ふりがな,生年月日,支援日,種別,時間（分）,内容,次の対応,次の対応の期日,担当者\n\
         {own},,,{day},職場訪問,60,上司と面談。手順書を写真付きに,手順書の確認,{next},佐藤 支援員\n\
         ,{kana},{birth},{earlier},電話,15,体調の確認,,,\n",
        own = own.0,
        kana = fields.name_kana.replace(' ', ""),
        birth = fields.birth_date.to_string().replace('-', "/"),
    );
    let r = import_support(&t, csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.body.contains("取り込みました: 1 人の支援記録 2 件を追加しました。"), "{}", r.body);
    let records = t.app.store().support_records_of(own, 100).await.unwrap();
    let visit = records.iter().find(|r| r.fields.note == "上司と面談。手順書を写真付きに").expect("the visit");
    assert_eq!((visit.staff_name.as_str(), visit.fields.minutes), ("佐藤 支援員", 60));
    let call = records.iter().find(|r| r.fields.note == "体調の確認").expect("the call");
    assert_eq!(call.staff_name, t.account("worker").await.display_name, "the importer when no one is named");
    let timeline = t.get(&format!("/persons/{}/timeline", own.0)).await;
    assert!(timeline.body.contains("上司と面談。手順書を写真付きに"));
    let worker = t.account("worker").await;
    let caseload = t.app.store().caseload(worker.agency.unwrap(), 0, u32::MAX).await.unwrap();
    let entry = caseload.iter().find(|e| e.person == own).unwrap();
    assert_eq!(entry.last_contact_on, Some(day), "the latest imported record is the last contact");
    assert_eq!(entry.next_action, Some(("手順書の確認".to_owned(), Some(next))), "and sets the next action");

    let log = AuditQuery {
        person: Some(own.0.to_string()),
        action: Some(AuditAction::Import),
        limit: 10,
        ..AuditQuery::default()
    };
    let entries = t.app.store().search_audit(&log).await.unwrap();
    assert_eq!(entries.len(), 2, "each record is audited");
    assert!(entries.iter().all(|e| e.event.record.starts_with("support:") && e.event.basis.starts_with("own_case:")));
}

#[tokio::test]
async fn support_records_for_persons_off_the_caseload_or_with_bad_values_write_nothing() {
    let t = spawn_app().await;
    let persons = t.person_fixtures().await;
    t.sign_in("worker").await;
    let own = t.account("person").await.person.unwrap();
    let consented = &persons.iter().find(|(r, _)| *r == Relation::Consented).unwrap().1;
    let before = t.app.store().support_records_of(own, 1000).await.unwrap().len();
    let audited = imports_in_audit_log(&t).await;
    let tomorrow = today() + Duration::days(1);
    let csv = format!(
        "本人ID,氏名,ふりがな,生年月日,支援日,種別,時間(分),内容\n\
         {own},,,,2026-11-01,相談,30,正しい行\n\
         {consented},,,,2026-11-01,相談,30,ほかの機関の方\n\
         ,,だれでもない,1990-01-01,2026-11-01,相談,30,いない方\n\
         {own},,,,{tomorrow},面接,0,\n\
         {own},別の名前,,,2026-11-01,相談,30,名前違い\n",
        own = own.0
    );
    let r = import_support(&t, csv.as_bytes()).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    for expected in [
        "<td>3</td><td>本人ID</td><td>本人IDに一致する方が、この機関の担当ケースにいません。",
        "<td>4</td><td>ふりがな</td><td>ふりがなに一致する方が、この機関の担当ケースにいません。",
        "<td>5</td><td>種別</td><td>種別に一致する種別がありません",
        "<td>5</td><td>支援日</td><td>支援日に未来の日付は入力できません。</td>",
        "<td>5</td><td>時間(分)</td><td>時間(分)は1から720までの分数で入力してください。</td>",
        "<td>5</td><td>内容</td><td>内容を入力してください。</td>",
        "<td>6</td><td>氏名</td><td>氏名が、読みと生年月日の一致する方の登録されている氏名と違います。</td>",
    ] {
        assert!(r.body.contains(expected), "{expected}\n{}", r.body);
    }
    assert!(!r.body.contains("<td>2</td>"), "the good row has no problem");
    assert_eq!(t.app.store().support_records_of(own, 1000).await.unwrap().len(), before, "nothing was written");
    assert_eq!(imports_in_audit_log(&t).await, audited);

    let r = import_support(&t, "支援日,種別,時間(分),内容\n2026-11-01,相談,30,誰の記録か\n".as_bytes()).await;
    assert!(r.body.contains("本人を指定する列がありません。"), "{}", r.body);
}

#[tokio::test]
async fn the_api_imports_files_and_answers_problems_with_line_and_column() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let token = t.new_token("取込", &["persons_write"]).await;
    t.sign_out_locally();
    let csv = persons_csv(&["API 太郎,えーぴーあい たろう,1990-01-01,,精神,,,,,,,2026-04-01,書面,ファイル".into()]);
    let send = |uri: &str, body: String| {
        let mut request = bearer("POST", uri, &token, None);
        *request.body_mut() = Body::from(body);
        request.headers_mut().insert(header::CONTENT_TYPE, "text/csv".parse().unwrap());
        request
    };
    let r = t.request(send("/api/v1/persons/import", csv.clone())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["registered"], 1);
    let again = t.request(send("/api/v1/persons/import?link_duplicates=true", csv)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let error = &again.json()["errors"][0];
    assert_eq!(
        (error["code"].as_str(), error["line"].as_u64(), error["field"].as_str()),
        (Some("already_in_caseload"), Some(2), Some("ふりがな"))
    );

    let support =
        "ふりがな,生年月日,支援日,種別,時間(分),内容\nえーぴーあい たろう,1990-01-01,2026-11-01,電話,10,初回の電話\n";
    let r = t.request(send("/api/v1/support-records/import", support.into())).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!((r.json()["records"].as_u64(), r.json()["persons"].as_u64()), (Some(1), Some(1)));
}

#[tokio::test]
async fn the_empty_files_carry_every_column_and_only_casework_staff_import() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let template = t.get("/persons/import/persons.csv").await;
    assert_eq!(template.headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    let header_line = template.body.trim_start_matches('\u{feff}').lines().next().unwrap().to_owned();
    assert!(
        header_line.starts_with("氏名,ふりがな,生年月日,") && header_line.ends_with(",同意の期限"),
        "{header_line}"
    );
    // The empty file imports as it is: nothing, without a problem.
    let r = import_persons(&t, template.body.as_bytes(), &[]).await;
    assert!(r.body.contains("0 人を登録しました"), "{}", r.body);
    let support = t.get("/persons/import/support-records.csv").await;
    assert!(support.body.contains("本人ID,氏名,ふりがな,生年月日,支援日,種別,時間(分),内容"));

    t.sign_in("manager").await;
    assert_eq!(t.get("/persons/import").await.status, StatusCode::FORBIDDEN, "program managers see aggregates only");
    let csv = persons_csv(&["管理 太郎,かんり たろう,1990-01-01,,精神,,,,,,,2026-04-01,書面,ファイル".into()]);
    assert_eq!(import_persons(&t, csv.as_bytes(), &[]).await.status, StatusCode::FORBIDDEN);
    let r = t.request(Request::get("/persons/import/persons.csv").body(Body::empty()).unwrap()).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn an_excel_workbook_with_date_cells_imports_like_a_csv() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    for (col, heading) in
        ["氏名", "フリガナ", "生年月日", "障害種別", "同意日", "同意の方法", "同意書の保管場所"].iter().enumerate()
    {
        sheet.write_string(0, col as u16, *heading).unwrap();
    }
    sheet.write_string(1, 0, "表計算 三郎").unwrap();
    sheet.write_string(1, 1, "ヒョウケイサン サブロウ").unwrap();
    sheet
        .write_datetime_with_format(1, 2, rust_xlsxwriter::ExcelDateTime::from_ymd(1988, 7, 15).unwrap(), &date)
        .unwrap();
    sheet.write_string(1, 3, "知的").unwrap();
    sheet
        .write_datetime_with_format(1, 4, rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 5, 1).unwrap(), &date)
        .unwrap();
    sheet.write_string(1, 5, "書面").unwrap();
    sheet.write_string(1, 6, "同意書ファイル No.3").unwrap();
    let r = import_persons(&t, &book.save_to_buffer().unwrap(), &[]).await;
    assert!(r.body.contains("1 人を登録しました"), "{}", r.body);
    let id = person_named(&t, "表計算 三郎").await;
    let file = t.app.store().person_file(id).await.unwrap().unwrap();
    assert_eq!(file.person.fields.birth_date, time::macros::date!(1988 - 07 - 15));
    assert_eq!(file.consents[0].consent.valid_from, time::macros::date!(2026 - 05 - 01));
}
