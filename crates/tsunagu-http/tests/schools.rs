//! Schools over HTTP: a special-needs school's teacher records a student's department, the year
//! they entered and the day they graduated — every rule naming itself, nothing half-written —
//! sees their students by department and year, and a graduate who starts work moves the 3-2
//! employment rate of their school and department.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::program::FiscalYear;

/// The 3-2 actual of the year for the teacher's school's 就業技術科.
async fn employment_rate(t: &TestApp, year: FiscalYear) -> Option<i64> {
    let manager = t.account("manager").await;
    let registry = t.app.programs(&manager).await.unwrap();
    registry
        .figures
        .iter()
        .find(|f| f.indicator == "3-2.employment_rate" && f.year == year && f.breakdown.ends_with("就業技術科"))
        .map(|f| f.value)
}

async fn a_school_records_a_student_and_counts_its_graduates(t: TestApp) {
    t.sign_in("teacher").await;
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let year = FiscalYear::of(today);

    // The demo's students by department and year, and its graduates.
    let list = t.get("/school").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    for text in ["就業技術科", "職能開発科", "就業技術科の卒業生", "1年", "3年", "0件"] {
        assert!(list.body.contains(text), "{text}: {}", list.body);
    }
    assert_eq!(employment_rate(&t, year).await, None, "no graduate this year yet");
    let last_march = employment_rate(&t, FiscalYear(year.0 - 1)).await;
    assert!(last_march.is_some_and(|r| r > 0 && r < 100), "the demo's graduates of last March: {last_march:?}");

    let registered =
        t.post_form("/persons", &common::registration("卒業 三郎", "そつぎょう さぶろう", "2006-06-06")).await;
    let person = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    let id = PersonId(uuid::Uuid::parse_str(&person).unwrap());
    let uri = format!("/persons/{person}/school");
    let page = t.get(&uri).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("在籍は記録されていません") && page.body.contains("在籍を記録する"), "{}", page.body);

    // Every rule names itself; nothing is written.
    let next_year = (year.0 + 1).to_string();
    let ahead = t.post_form(&uri, &[("department", "employment_skills"), ("entered_year", &next_year)]).await;
    assert_eq!(ahead.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(ahead.body.contains("入学年度は今年度までにしてください。"), "{}", ahead.body);
    let before_entering = (today - time::Duration::days(400)).to_string();
    let early = t
        .post_form(
            &uri,
            &[("department", "employment_skills"), ("entered_year", "令和8年度"), ("graduated_on", &before_entering)],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("卒業日は入学年度より後にしてください。"), "{}", early.body);
    let none = t.post_form(&uri, &[("entered_year", "2024")]).await;
    assert!(none.body.contains("学科を選んでください"), "{}", none.body);
    assert_eq!(t.app.store().enrolment(id).await.unwrap(), None, "nothing written");

    // A graduate of ten days ago: counted in this year's 3-2, without work yet.
    let graduated = (today - time::Duration::days(10)).to_string();
    let entered = (year.0 - 2).to_string();
    let form = [("department", "employment_skills"), ("entered_year", entered.as_str()), ("graduated_on", &graduated)];
    let saved = t.post_form(&uri, &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = t.get(&format!("{uri}?saved=1")).await.body;
    assert!(page.contains("在籍を記録しました") && page.contains("卒業") && page.contains("就業技術科"), "{page}");
    let twice = t.post_form(&uri, &form).await;
    assert!(twice.body.contains("在籍は他の人が変更しました"), "a second first record: {}", twice.body);
    assert_eq!(employment_rate(&t, year).await, Some(0));

    // Hired today, within the months around graduation: the rate is 100%.
    let number = tsunagu_domain::CorporateNumber::from_base(900_000_000_000).as_str().to_owned();
    let hired = t
        .post_form(
            &format!("/persons/{person}/placements"),
            &[
                ("corporate_number", number.as_str()),
                ("job_title", "検品"),
                ("hired_on", &today.to_string()),
                ("weekly_hours", "30"),
                ("employment_kind", "general"),
                ("loaded_stage", ""),
            ],
        )
        .await;
    assert_eq!(hired.status, StatusCode::SEE_OTHER, "{}", hired.body);
    assert_eq!(employment_rate(&t, year).await, Some(100));

    // The list shows the graduate, in 3年 until the fiscal year ends; narrowed to the
    // department's third years it still does, to the first years or another department it does
    // not; narrowed to the graduates, only the graduates' tables are left.
    assert!(t.get("/school").await.body.contains("卒業 三郎"));
    let third_years = t.get("/school?department=employment_skills&standing=3").await.body;
    assert!(third_years.contains("卒業 三郎") && third_years.contains("人が当てはまります"), "{third_years}");
    assert!(!third_years.contains("職能開発科の生徒") && !third_years.contains("卒業生</caption>"), "{third_years}");
    let first_years = t.get("/school?standing=1").await.body;
    assert!(!first_years.contains("卒業 三郎") && first_years.contains(">1年<"), "{first_years}");
    let other = t.get("/school?department=vocational_development&standing=3").await.body;
    assert!(!other.contains("卒業 三郎"), "{other}");
    let graduates = t.get("/school?standing=graduates").await.body;
    assert!(graduates.contains("卒業生</caption>") && !graduates.contains("の生徒</caption>"), "{graduates}");

    // Staff of other agencies have no school list to open.
    t.sign_in("worker").await;
    assert_eq!(t.get("/school").await.status, StatusCode::FORBIDDEN);
    let stranger = t.post_form(&uri, &[("department", "general"), ("entered_year", "2024")]).await;
    assert_eq!(stranger.status, StatusCode::FORBIDDEN, "{}", stranger.body);
}

#[tokio::test]
async fn a_school_records_a_student_on_sqlite() {
    a_school_records_a_student_and_counts_its_graduates(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_school_records_a_student_on_postgres() {
    on_postgres(a_school_records_a_student_and_counts_its_graduates).await;
}
