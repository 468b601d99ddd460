//! The journey over HTTP: support records, stage changes checked against the rules, and a
//! timeline that shows other agencies' records only on a consent.

mod common;

use axum::http::StatusCode;
use common::{Relation, spawn_app};

#[tokio::test]
async fn a_support_record_is_saved_and_shown_on_the_timeline() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    t.sign_in("worker").await;
    let page = t.get(&format!("/persons/{person}/timeline")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("支援記録を追加"));
    // Exactly what the server requires is marked, textareas included; the stage change's reason
    // carries no emergency-override hint.
    assert!(page.body.contains("<label for=\"note\">内容 <span class=\"required\">(必須)</span></label>"));
    assert!(
        page.body
            .contains("<label for=\"actions\">取り組み（1行に1つ） <span class=\"required\">(必須)</span></label>")
    );
    assert!(!page.body.contains("緊急に必要な理由"), "the override's hint is not the stage change's");
    let r = t
        .post_form(
            &format!("/persons/{person}/support"),
            &[
                ("kind", "workplace_visit"),
                ("date", "2026-11-20"),
                ("minutes", "45"),
                ("note", "店長と面談。品出しの手順を写真で掲示することにした"),
                ("next_action", "掲示の確認"),
                ("next_action_on", "2026-12-01"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get(r.location()).await;
    assert!(page.body.contains("支援記録を保存しました。"));
    assert!(page.body.contains("品出しの手順を写真で掲示"));
    assert!(page.body.contains("職場訪問（45分）"));
    assert!(page.body.contains("掲示の確認 — 2026年12月1日（火）まで"));

    let bad = t
        .post_form(
            &format!("/persons/{person}/support"),
            &[("kind", "面接"), ("date", "2099-01-01"), ("minutes", "0"), ("note", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unchosen =
        t.post_form(&format!("/persons/{person}/support"), &[("kind", ""), ("minutes", "４５"), ("note", "x")]).await;
    assert!(unchosen.body.contains("種別を選んでください。"), "a menu is chosen from, not typed into");
    assert!(unchosen.body.contains("<title>エラー: "), "a page with errors says so in its title");
    assert!(!page.body.contains("<title>エラー: "), "one without, does not");
    assert!(unchosen.body.contains("value=\"４５\""), "the minutes as typed come back");
    assert!(unchosen.body.contains("inputmode=\"numeric\""));
    for message in [
        "種別に一致する選択肢がありません。",
        "日付に未来の日付は入力できません。",
        "時間（分）は1から720までの分数で入力してください。",
        "内容を入力してください。",
    ] {
        assert!(bad.body.contains(message), "missing {message}");
    }
}

#[tokio::test]
async fn stages_follow_the_rules_and_a_stale_change_is_refused() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let registered = t
        .post_form(
            "/persons",
            &[
                ("purposes", "support"),
                ("consent_categories", "basic"),
                ("consent_categories", "disability"),
                ("evidence", "verbal"),
                ("evidence_note", "相談員2名が立ち会い"),
                ("name", "段階 次郎"),
                ("name_kana", "だんかい じろう"),
                ("birth_date", "1999-09-09"),
                ("categories", "developmental"),
            ],
        )
        .await;
    assert_eq!(registered.status, StatusCode::SEE_OTHER, "{}", registered.body);
    let person = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    let uri = format!("/persons/{person}/stage");
    let first = t.post_form(&uri, &[("next_stage", "intake"), ("on", "2026-04-01"), ("loaded_stage", "")]).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER, "{}", first.body);

    let refused =
        t.post_form(&uri, &[("next_stage", "employed"), ("on", "2026-05-01"), ("loaded_stage", "intake")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("「受付・インテーク」から「就職」には移れません。"),
        "the rule is named: {}",
        refused.body
    );

    let ok = t
        .post_form(
            &uri,
            &[
                ("next_stage", "job_search"),
                ("on", "2026-05-01"),
                ("loaded_stage", "intake"),
                ("reason", "面談で本人が希望"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    // A form loaded before that change comes back with the stage as it is now.
    let stale =
        t.post_form(&uri, &[("next_stage", "assessment"), ("on", "2026-05-02"), ("loaded_stage", "intake")]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "from job search, assessment is not a next stage");
    let stale =
        t.post_form(&uri, &[("next_stage", "employed"), ("on", "2026-05-02"), ("loaded_stage", "intake")]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("ほかの人が先に段階を「求職活動」に変更しました。"), "{}", stale.body);

    let timeline = t.get(&format!("/persons/{person}/timeline")).await;
    assert!(timeline.body.contains("段階:「求職活動」") && timeline.body.contains("面談で本人が希望"));
}

#[tokio::test]
async fn other_agencies_records_show_only_on_a_consent() {
    let t = spawn_app().await;
    let persons = t.person_fixtures().await;
    let consented = persons.iter().find(|(r, _)| *r == Relation::Consented).unwrap().1.clone();
    // The fixture persons are registered at another municipal centre; write a record there.
    let worker = t.account("worker").await;
    let file =
        t.app.store().person_file(tsunagu_domain::person::PersonId(consented.parse().unwrap())).await.unwrap().unwrap();
    let elsewhere = file.cases[0].agency;
    let record = tsunagu_domain::journey::SupportRecord {
        id: uuid::Uuid::new_v4(),
        prefecture: "13".into(),
        person: file.person.id,
        agency: elsewhere,
        staff: worker.id,
        staff_name: "別機関 職員".into(),
        fields: tsunagu_domain::journey::SupportFields {
            kind: tsunagu_domain::journey::SupportKind::Phone,
            date: time::macros::date!(2026 - 11 - 01),
            minutes: 15,
            note: "別機関での電話相談".into(),
            next_action: None,
            next_action_on: None,
        },
        recorded_at: time::OffsetDateTime::now_utc(),
    };
    let batch = tsunagu_store::SeedBatch { support_records: vec![record], ..Default::default() };
    tsunagu_store::SeedStore::seed(t.seeder.as_ref(), &batch).await.unwrap();

    t.sign_in("worker").await;
    let page = t.get(&format!("/persons/{consented}/timeline")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("別機関での電話相談"), "the consent names the worker's agency for support data");
    let provisions = t.app.store().provisions_of(file.person.id).await.unwrap();
    assert!(provisions.iter().any(|p| p.items == ["support_records"]), "{provisions:?}");

    // The block coordinator has neither case nor consent: refused, and told why.
    t.sign_in("coordinator").await;
    assert_eq!(t.get(&format!("/persons/{consented}/timeline")).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_placement_schedules_follow_ups_by_the_agency_schedule() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let agency = t.account("worker").await.agency.unwrap().0.to_string();
    let bad = t.post_form(&format!("/agencies/{agency}/follow-up-days"), &[("follow_up_days", "30, 7")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("小さい順に"), "{}", bad.body);
    let set = t.post_form(&format!("/agencies/{agency}/follow-up-days"), &[("follow_up_days", "7, 30")]).await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    assert!(t.get(set.location()).await.body.contains("就職後 7, 30 日"));

    let registered = t
        .post_form(
            "/persons",
            &[
                ("purposes", "support"),
                ("consent_categories", "basic"),
                ("consent_categories", "disability"),
                ("evidence", "paper_form"),
                ("evidence_note", "同意書 保管"),
                ("name", "定着 三郎"),
                ("name_kana", "ていちゃく さぶろう"),
                ("birth_date", "1990-03-03"),
                ("categories", "mental"),
            ],
        )
        .await;
    let person = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let placed = (today - time::Duration::days(3)).to_string();
    let uri = format!("/persons/{person}/stage");
    for (stage, loaded) in [("job_search", ""), ("employed", "job_search")] {
        let r = t.post_form(&uri, &[("next_stage", stage), ("on", &placed), ("loaded_stage", loaded)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{stage}: {}", r.body);
    }
    let timeline = t.get(&format!("/persons/{person}/timeline")).await;
    let first_due = common::ja_day(today + time::Duration::days(4));
    assert!(timeline.body.contains("定着フォローアップ") && timeline.body.contains(&first_due), "{}", timeline.body);

    let caseload = t.get("/persons").await;
    assert!(caseload.body.contains("定着フォローアップ（就職から1週間）"), "due within a week");
    let start = timeline.body.find("/follow-ups/").unwrap() + "/follow-ups/".len();
    let follow_up = timeline.body[start..].split('/').next().unwrap().to_owned();
    let done = t.post_form(&format!("/persons/{person}/follow-ups/{follow_up}/done"), &[]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert!(!t.get("/persons").await.body.contains("定着フォローアップ（就職から7日）"), "done: no longer due");
}

#[tokio::test]
async fn the_caseload_exports_to_the_files_agencies_keep() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let csv = t.get("/persons/export.csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with('\u{feff}'), "UTF-8 with BOM for Excel");
    let header = csv.body.lines().next().unwrap();
    assert_eq!(
        header.trim_start_matches('\u{feff}'),
        "氏名,ふりがな,生年月日,本人ID,段階,支援開始日,最終支援日,次の対応,次の対応の期日"
    );
    // The file is named for what it holds, whose it is and the day.
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let agency = "千代田区障害者就労支援センター";
    let disposition = csv.headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap().to_owned();
    let name = common::urlencode(&format!("担当ケース_{agency}_{today}.csv"));
    assert!(disposition.contains(&format!("filename*=UTF-8''{name}")), "{disposition}");
    assert!(disposition.contains(&format!("_{today}.csv\";")), "an ASCII name beside it: {disposition}");
    let rows = csv.body.lines().count() - 1;
    let shown = t.get("/persons").await.body;
    assert!(shown.contains(&format!("{rows} 人")), "every open case is exported ({rows})");
    let xlsx = t.get("/persons/export.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.body_bytes().starts_with(b"PK"), "an XLSX (zip) workbook");
    t.sign_in("manager").await;
    assert_eq!(
        t.get("/persons/export.csv").await.status,
        StatusCode::FORBIDDEN,
        "program managers get aggregates only"
    );
}

#[tokio::test]
async fn support_plans_are_made_reviewed_and_ended() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    t.sign_in("worker").await;
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let soon_date = today + time::Duration::days(3);
    let soon = soon_date.to_string();
    let uri = format!("/persons/{person}/plans");
    let bad = t
        .post_form(&uri, &[("goal", ""), ("actions", "PC入力の練習"), ("owner", "本人"), ("review_on", "2020-01-01")])
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.body.contains("目標を入力してください。")
            && bad.body.contains("振り返りの日に過去の日付は入力できません。")
    );
    let made = t
        .post_form(
            &uri,
            &[
                ("goal", "週20時間の事務補助で就職"),
                ("actions", "PC入力の練習\n企業見学"),
                ("owner", "本人・支援員"),
                ("review_on", &soon),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let page = t.get(made.location()).await;
    assert!(
        page.body.contains("週20時間の事務補助で就職")
            && page.body.contains(&format!("次の振り返り: {}", common::ja_day(soon_date)))
    );
    assert!(
        t.get("/persons").await.body.contains("支援計画の振り返り（週20時間の事務補助で就職）"),
        "due within a week"
    );

    let start = page.body.find("/plans/").unwrap() + "/plans/".len();
    let plan = page.body[start..].split('/').next().unwrap().to_owned();
    let review = format!("/persons/{person}/plans/{plan}/review");
    let missing = t.post_form(&review, &[("review_note", "入力は速くなった"), ("outcome", "continue")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("次の振り返りの日を入力してください。"));
    let later = (today + time::Duration::days(90)).to_string();
    let ok = t
        .post_form(&review, &[("review_note", "入力は速くなった"), ("outcome", "continue"), ("next_review_on", &later)])
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let done = t.post_form(&review, &[("review_note", "内定が出た"), ("outcome", "achieved")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = t.get(&format!("/persons/{person}/timeline")).await;
    assert!(
        page.body.contains("目標達成（終了）")
            && page.body.contains("入力は速くなった")
            && page.body.contains("内定が出た")
    );
    let again =
        t.post_form(&review, &[("review_note", "追加"), ("outcome", "continue"), ("next_review_on", &later)]).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND, "an ended plan takes no review");
}

#[tokio::test]
async fn the_journey_page_names_the_person_puts_history_first_and_folds_its_forms() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let registered = t.post_form("/persons", &common::registration("経過 花子", "けいか はなこ", "2000-04-02")).await;
    let person = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let age = tsunagu_domain::calendar::age_on(time::macros::date!(2000 - 04 - 02), today);

    let page = t.get(&format!("/persons/{person}/timeline")).await;
    assert!(page.body.contains("<h1>経過 花子さんの支援の経過</h1>"), "{}", page.body);
    assert!(page.body.contains(&format!("段階: 未設定・{age}歳")), "{}", page.body);
    // History comes before any form; each form is a section of its own that posts to its anchor.
    let history = page.body.find("経過（新しい順）").unwrap();
    let first_form = page.body.find("<form method=\"post\" action=\"/persons/").unwrap();
    assert!(history < first_form);
    for anchor in ["support", "stage", "plan-new"] {
        assert!(page.body.contains(&format!("<details class=\"form-section\" id=\"{anchor}\"")), "{anchor}");
    }
    assert!(page.body.contains(&format!("action=\"/persons/{person}/stage#stage\"")));
    assert!(page.body.contains("<details class=\"form-section\" id=\"stage\">"), "the stage form starts folded");
    // A printed copy says which agency printed it, and when.
    assert!(page.body.contains(&format!("印刷日 {}", common::ja_day(today))), "{}", page.body);

    // A stage change with problems comes back unfolded, with its error summary, under an error title.
    let bad =
        t.post_form(&format!("/persons/{person}/stage"), &[("next_stage", ""), ("on", ""), ("loaded_stage", "")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("<title>エラー:"));
    assert!(bad.body.contains("<details class=\"form-section\" id=\"stage\" open>"), "{}", bad.body);
}

#[tokio::test]
async fn follow_ups_take_a_note_can_be_undone_and_close_when_the_placement_ends() {
    let t = spawn_app().await;
    t.sign_in("worker").await;
    let registered =
        t.post_form("/persons", &common::registration("定着 四郎", "ていちゃく しろう", "1992-02-02")).await;
    let person = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let placed = (today - time::Duration::days(20)).to_string();
    let uri = format!("/persons/{person}/stage");
    for (stage, loaded) in [("job_search", ""), ("employed", "job_search")] {
        let r = t.post_form(&uri, &[("next_stage", stage), ("on", &placed), ("loaded_stage", loaded)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{stage}: {}", r.body);
    }
    // The first follow-up (two weeks) is overdue, in words, and named by its milestone.
    let timeline = t.get(&format!("/persons/{person}/timeline")).await;
    assert!(timeline.body.contains("<strong>就職から2週間</strong>"), "{}", timeline.body);
    assert!(timeline.body.contains("<strong>期限切れ（6日過ぎ）</strong>"), "{}", timeline.body);
    let start = timeline.body.find("/follow-ups/").unwrap() + "/follow-ups/".len();
    let first = timeline.body[start..].split('/').next().unwrap().to_owned();

    // Done with a note; the note is shown; undone, it is overdue again.
    let done =
        t.post_form(&format!("/persons/{person}/follow-ups/{first}/done"), &[("note", "職場で面談。通勤は順調")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    let page = t.get(done.location()).await;
    assert!(page.body.contains("職場で面談。通勤は順調") && page.body.contains("実施済みを取り消す"));
    let undone = t.post_form(&format!("/persons/{person}/follow-ups/{first}/undo"), &[]).await;
    assert_eq!(undone.status, StatusCode::SEE_OTHER);
    let page = t.get(undone.location()).await;
    assert!(page.body.contains("フォローアップを未実施に戻しました。"));
    assert!(page.body.contains("<strong>期限切れ（6日過ぎ）</strong>") && !page.body.contains("職場で面談"));

    // The person leaves the job: the follow-ups still open are closed, and nothing is due.
    let left = t
        .post_form(&uri, &[("next_stage", "separated"), ("on", &today.to_string()), ("loaded_stage", "employed")])
        .await;
    assert_eq!(left.status, StatusCode::SEE_OTHER, "{}", left.body);
    let page = t.get(&format!("/persons/{person}/timeline")).await;
    assert!(page.body.contains("就職先を離れたため終了"), "{}", page.body);
    assert!(!page.body.contains("期限切れ（"));
    assert!(!t.get("/").await.body.contains("定着 四郎"), "nothing of theirs is due on the dashboard");
}
