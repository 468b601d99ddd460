//! The program registry and the annual report: who may see them, the document's own history
//! reproduced, the figures Tsunagu counts itself, and years asked for badly or with nothing.

mod common;

use axum::http::StatusCode;
use common::{bearer, spawn_app};

#[tokio::test]
async fn the_report_for_fy2024_reproduces_the_documents_own_columns() {
    let t = spawn_app().await;
    t.sign_in("manager").await;
    let r = t.get("/report?year=2024").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for text in [
        "令和6年度 年次報告",
        "令和3年度実績",
        "令和5年度実績",
        "令和6年度の取組と事業目標",
        "視点1 地域で生涯にわたって安心して働ける",
        "行動1 地域の就労支援ネットワークを構築します。",
        "1-1 区市町村障害者就労支援事業の充実",
        "51区市町で整備 (23区・26市・2町)",
        "【再掲】1-1",
        "【事業所管】東京都",
    ] {
        assert!(r.body.contains(text), "{text}");
    }
    // Every program of the document has its row.
    assert_eq!(r.body.matches("<tr role=\"row\">").count() - r.body.matches("<thead").count(), 26);
    // The report never shows a person.
    assert!(!r.body.contains("/persons/"));
}

#[tokio::test]
async fn the_current_year_counts_what_the_directory_holds_and_says_how() {
    let t = spawn_app().await;
    t.sign_in("manager").await;
    let year = tsunagu_domain::program::FiscalYear::of(t.app.today());
    let r = t.get(&format!("/report?year={}", year.0)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("時点）"), "the actuals so far are dated");
    assert!(r.body.contains("就労支援センターを整備した区市町村（区） 23区市町村"), "by ward, city and town");
    assert!(r.body.contains("集計している指標の定義"));
    assert!(
        r.body.contains("<dt>1-1・2-1 就労支援センターを整備した区市町村</dt>"),
        "one definition for an indicator and its 【再掲】"
    );
    assert!(r.body.contains("記録なし"), "years with nothing recorded say so");
}

#[tokio::test]
async fn a_year_with_nothing_or_typed_badly_is_told_so() {
    let t = spawn_app().await;
    t.sign_in("manager").await;
    let r = t.get("/report?year=2040").await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("令和22年度の記録はまだありません"), "{}", r.body);
    let r = t.get("/report?year=%E4%BB%A4%E5%92%8C5%E5%B9%B4%E5%BA%A6").await; // 令和5年度
    assert!(r.body.contains("令和5年度 年次報告") && r.body.contains("令和2年度実績"));
    let r = t.get("/report?year=abc").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("「2024」「令和6年度」「R6」のような形"), "{}", r.body);
}

#[tokio::test]
async fn only_program_managers_and_administrators_see_the_programs() {
    let t = spawn_app().await;
    let r = t.get("/report").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "signed out: to the sign-in page");
    for (login, status) in [("worker", StatusCode::FORBIDDEN), ("admin", StatusCode::OK), ("manager", StatusCode::OK)] {
        t.sign_in(login).await;
        for path in ["/report", "/programs"] {
            assert_eq!(t.get(path).await.status, status, "{login} {path}");
        }
    }
    let programs = t.get("/programs").await;
    assert!(programs.body.contains("集計: ディレクトリで「区市町村障害者就労支援センターを実施」"));
    assert!(programs.body.contains("入力（事業所管の機関が入力）"));
}

#[tokio::test]
async fn the_report_is_served_as_json_to_a_token_that_may_read_it() {
    let t = spawn_app().await;
    t.sign_in("manager").await;
    let token = t.new_token("集計表", &["report_read"]).await;
    let r = t.raw(bearer("GET", "/api/v1/report/2024", &token, None)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let report = r.json();
    assert_eq!(report["label"], "令和6年度");
    let rows = report["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 26);
    let first = &rows[0];
    assert_eq!(first["code"], "1-1");
    assert_eq!(first["actuals"][0]["year"], 2021);
    assert_eq!(first["actuals"][0]["text"], "51区市町で整備 (23区・26市・2町)");
    let figures = first["actuals"][0]["figures"].as_array().unwrap();
    assert!(figures.iter().any(|f| f["value"] == 51 && f["breakdown"] == "" && f["source"] == "computed"));
    let coaching = rows.iter().find(|r| r["code"] == "9-1").unwrap();
    assert!(
        coaching["plan"]["figures"].as_array().unwrap().iter().any(|f| f["kind"] == "target" && f["value"] == 1000)
    );
    // A year that is no year, and a token without the scope.
    let r = t.raw(bearer("GET", "/api/v1/report/next", &token, None)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let other = t.new_token("監査", &["audit_read"]).await;
    assert_eq!(t.raw(bearer("GET", "/api/v1/report/2024", &other, None)).await.status, StatusCode::FORBIDDEN);
    // A caseworker's token with the scope still reads nothing: the report is for program managers.
    t.sign_in("worker").await;
    let token = t.new_token("集計表", &["report_read"]).await;
    assert_eq!(t.raw(bearer("GET", "/api/v1/report/2024", &token, None)).await.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_program_manager_enters_a_figure_and_the_report_and_the_audit_log_show_it() {
    let t = spawn_app().await;
    t.sign_in("manager").await;
    let year = tsunagu_domain::program::FiscalYear::of(t.app.today());
    let page = t.get("/programs/3-1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("開拓企業数・実習受入可能企業数") && page.body.contains("146社"),
        "the document's figures"
    );
    // Each indicator's trend: a chart for the eye and the same figures in a table.
    assert_eq!(page.body.matches("<figure class=\"trend\"").count(), 2);
    assert!(page.body.contains("<svg aria-hidden=\"true\""));
    assert!(page.body.contains("<th scope=\"row\" class=\"nowrap\">令和3年度</th><td class=\"nowrap\">146社</td>"));
    let form = [
        ("indicator", "3-1.advisers"),
        ("year", &year.0.to_string()),
        ("figure_kind", "actual"),
        ("breakdown", ""),
        ("value", "１，２３４"),
        ("max", ""),
    ];
    let r = t.post_form("/programs/3-1/figures", &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get("/programs/3-1?saved=1").await;
    assert!(page.body.contains("数値を記録しました") && page.body.contains("1,234人"));
    let report = t.get(&format!("/report?year={}", year.0)).await;
    assert!(report.body.contains("企業関係者の活用（就労支援アドバイザー） 1,234人"), "the report shows it");
    // A correction replaces it.
    let mut corrected = form;
    corrected[4] = ("value", "1200");
    assert_eq!(t.post_form("/programs/3-1/figures", &corrected).await.status, StatusCode::SEE_OTHER);
    let page = t.get("/programs/3-1").await;
    assert!(page.body.contains("1,200人") && !page.body.contains("1,234人"));
    t.sign_in("admin").await;
    let audit = t.get("/admin/audit?record=figure%3A3-1.advisers").await;
    assert_eq!(audit.body.matches("figure:3-1.advisers:").count(), 2, "each entry is in the audit log");
}

#[tokio::test]
async fn a_figure_that_cannot_be_entered_is_refused_with_the_reason() {
    let t = spawn_app().await;
    t.sign_in("manager").await;
    let year = tsunagu_domain::program::FiscalYear::of(t.app.today()).0.to_string();
    let post = |program: &'static str, indicator: &'static str, y: String, kind: &'static str, value: &'static str| {
        let t = &t;
        async move {
            let form = [("indicator", indicator), ("year", &y), ("figure_kind", kind), ("value", value)];
            t.post_form(&format!("/programs/{program}/figures"), &form).await
        }
    };
    for (r, message) in [
        (post("3-1", "3-1.advisers", "2023".into(), "actual", "1").await, "締め切られています"),
        (post("1-1", "1-1.municipalities", year.clone(), "actual", "51").await, "集計するため入力できません"),
        (post("3-1", "1-2.centres", year.clone(), "actual", "6").await, "指標"),
        (post("3-1", "3-1.advisers", year.clone(), "actual", "たくさん").await, "0以上の整数"),
        (post("3-1", "3-1.advisers", "来年".into(), "plan", "1").await, "「2024」「令和6年度」「R6」"),
    ] {
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        assert!(r.body.contains(message), "{message}: {}", r.body);
        assert!(r.body.contains("aria-invalid=\"true\""));
    }
    // The target of a computed indicator may be set.
    let r = post("1-1", "1-1.municipalities", year, "target", "62").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Others may not enter figures at all.
    t.sign_in("worker").await;
    let r = t.post_form("/programs/3-1/figures", &[("indicator", "3-1.advisers"), ("value", "1")]).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_report_downloads_as_a_workbook_and_as_csv_named_for_its_year() {
    let t = spawn_app().await;
    t.sign_in("manager").await;
    let r = t.get("/report/export.xlsx?year=2024").await;
    assert_eq!(r.status, StatusCode::OK);
    let disposition = r.headers[axum::http::header::CONTENT_DISPOSITION].to_str().unwrap().to_owned();
    assert!(disposition.starts_with("attachment") && disposition.contains(".xlsx"), "{disposition}");
    assert!(r.body_bytes().starts_with(b"PK"), "a zip: the workbook");
    let r = t.get("/report/export.csv?year=%E4%BB%A4%E5%92%8C6%E5%B9%B4%E5%BA%A6").await; // 令和6年度
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("51区市町で整備 (23区・26市・2町)"));
    let page = t.get("/report?year=2024").await;
    assert!(page.body.contains("/report/export.xlsx?year=2024") && page.body.contains("/report/export.csv?year=2024"));
    assert_eq!(t.get("/report/export.csv?year=someday").await.status, StatusCode::BAD_REQUEST);

    // A workbook asked for again is the same file; a figure entered since is in the next one.
    let year = tsunagu_domain::program::FiscalYear::of(t.app.today()).0.to_string();
    let path = format!("/report/export.xlsx?year={year}");
    let workbook = || t.get(&path);
    let (first, again) = (workbook().await.body_bytes(), workbook().await.body_bytes());
    assert_eq!(first, again);
    let form = [("indicator", "3-1.advisers"), ("year", year.as_str()), ("figure_kind", "actual"), ("value", "77")];
    assert_eq!(t.post_form("/programs/3-1/figures", &form).await.status, StatusCode::SEE_OTHER);
    let after = workbook().await.body_bytes();
    assert_ne!(after, first, "the figure entered is in the workbook");
    let csv = t.get(&format!("/report/export.csv?year={year}")).await;
    assert!(csv.body.contains("77人"), "{}", csv.body);
}

#[tokio::test]
async fn job_retention_is_estimated_per_group_and_small_groups_show_nothing() {
    let t = spawn_app().await;
    t.sign_in("manager").await;
    let r = t.get("/report/retention").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    for text in [
        "すべての就職",
        "3か月後の定着率（95%信頼区間）",
        "69.9%・49.3%",
        "障害者職業総合センター 調査研究報告書 No.137",
    ] {
        assert!(r.body.contains(text), "{text}");
    }
    let (_, placements) = t.app.store().retention_recount("13", t.app.today()).await.unwrap();
    assert!(placements.len() >= 10, "the demo has placements to estimate from: {}", placements.len());
    assert_eq!(t.app.verify_retention().await.unwrap().1, [], "what is kept agrees with the placements");
    // Every group is either estimated or withheld whole.
    let groups = tsunagu_app::retention::analyse_placements(&placements, t.app.today());
    for g in &groups {
        assert_eq!(g.estimate.is_some(), g.placements >= 10, "{:?}", g.key);
    }
    if groups.iter().any(|g| g.estimate.is_none()) {
        assert!(r.body.contains("10件未満のため示しません"));
    }
    assert!(r.body.contains("<path class=\"line\""), "a curve is drawn");
    t.sign_in("worker").await;
    assert_eq!(t.get("/report/retention").await.status, StatusCode::FORBIDDEN);
}

/// A support record written by a worker is in the report at once, under the program of the
/// worker's kind of agency and the record's kind, and the kept counts still agree with the records.
async fn a_support_record_is_counted_as_it_is_written(t: &common::TestApp) {
    use tsunagu_domain::directory::AgencyKind;
    use tsunagu_domain::program::{FigureKind, FiscalYear};
    let worker = t.account("worker").await;
    let kind = t.app.directory().await.unwrap().agencies().iter().find(|a| Some(a.id) == worker.agency).unwrap().kind;
    let program = match kind {
        AgencyKind::MunicipalSupportCentre => "2-1",
        AgencyKind::EmploymentLifeSupportCentre => "2-2",
        other => panic!("the demo worker is at a support centre, not {other:?}"),
    };
    let indicator = format!("{program}.support_records");
    let today = t.app.today();
    let year = FiscalYear::of(today);
    let manager = t.account("manager").await;
    let counted = |breakdown: &'static str| {
        let indicator = indicator.clone();
        let manager = manager.clone();
        async move {
            let registry = t.app.programs(&manager).await.unwrap();
            registry
                .figures
                .iter()
                .find(|f| {
                    f.indicator == indicator
                        && f.year == year
                        && f.kind == FigureKind::Actual
                        && f.breakdown == breakdown
                })
                .map_or(0, |f| f.value)
        }
    };
    let (total, visits) = (counted("").await, counted("家庭訪問").await);
    let person = t.account("person").await.person.unwrap().0.to_string();
    t.sign_in("worker").await;
    let date = today.to_string();
    let form =
        [("kind", "home_visit"), ("date", date.as_str()), ("minutes", "60"), ("note", "家庭訪問で生活リズムを確認")];
    let r = t.post_form(&format!("/persons/{person}/support"), &form).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!((counted("").await, counted("家庭訪問").await), (total + 1, visits + 1));
    t.sign_in("manager").await;
    let page = t.get(&format!("/programs/{program}")).await;
    assert!(page.body.contains("支援記録の件数"), "{}", page.body);
    let check = t.app.verify_report_counts(None).await.unwrap();
    assert!(check.compared > 0 && check.disagreements.is_empty(), "{:?}", check.disagreements);
}

#[tokio::test]
async fn a_support_record_is_in_the_report_as_soon_as_it_is_written() {
    a_support_record_is_counted_as_it_is_written(&spawn_app().await).await;
}

#[tokio::test]
async fn on_postgresql_the_report_the_figures_and_retention_work_the_same() {
    common::on_postgres(|t| async move {
        a_support_record_is_counted_as_it_is_written(&t).await;
        t.sign_in("manager").await;
        let r = t.get("/report?year=2024").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("51区市町で整備 (23区・26市・2町)"));
        let year = tsunagu_domain::program::FiscalYear::of(t.app.today()).0.to_string();
        let form = [("indicator", "3-1.advisers"), ("year", year.as_str()), ("figure_kind", "actual"), ("value", "88")];
        assert_eq!(t.post_form("/programs/3-1/figures", &form).await.status, StatusCode::SEE_OTHER);
        assert!(t.get("/programs/3-1").await.body.contains("88人"));
        let (_, placements) = t.app.store().retention_recount("13", t.app.today()).await.unwrap();
        assert!(placements.len() >= 10, "{}", placements.len());
        assert_eq!(t.app.verify_retention().await.unwrap().1, [], "the bulk load's retention agrees");
        assert!(placements.iter().any(|p| p.ended_on.is_some()) && placements.iter().any(|p| p.workplace_support));
        let r = t.get("/report/retention").await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("すべての就職"));
    })
    .await;
}

#[tokio::test]
async fn a_program_is_corrected_or_marked_ended_and_the_change_is_audited() {
    let t = spawn_app().await;
    t.sign_in("manager").await;
    let form = t.get("/programs/7-A/edit").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("令和5年度事業終了"), "the form starts from the program as it is");
    let fields = [
        ("program_name", "就労移行支援事業におけるテレワーク等支援力向上事業"),
        ("program_owner", "東京都"),
        ("implementer", "東京しごと財団"),
        ("ended", "令和5年度事業終了"),
    ];
    let r = t.post_form("/programs/7-A/edit", &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = t.get("/programs/7-A?saved=program").await;
    assert!(page.body.contains("事業の内容を保存しました") && page.body.contains("東京しごと財団"));
    let r = t.post_form("/programs/7-A/edit", &[("program_name", " "), ("program_owner", "")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("事業名を入力してください") && r.body.contains("事業所管を入力してください"), "{}", r.body);
    t.sign_in("admin").await;
    let audit = t.get("/admin/audit?record=program%3A7-A").await;
    assert!(
        audit.body.contains("program:7-A") && audit.body.contains("implementer"),
        "the audit entry names the fields"
    );
}
