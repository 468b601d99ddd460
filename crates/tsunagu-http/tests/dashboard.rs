//! Where each account starts after signing in: caseworkers on what is due and what arrived,
//! everyone else on what they can do here.

mod common;

use axum::http::StatusCode;
use common::spawn_app;

#[tokio::test]
async fn caseworkers_start_on_what_is_due_and_what_arrived() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    let coach_agency = t.account("coach").await.agency.unwrap().0.to_string();
    let today = tsunagu_app::clock::tokyo_date(time::OffsetDateTime::now_utc());
    let day = |d: i64| (today + time::Duration::days(d)).to_string();

    // A next action that fell due yesterday is overdue on the worker's dashboard.
    t.sign_in("worker").await;
    let registered = t.post_form("/persons", &common::registration("期限 一郎", "きげん いちろう", "1995-05-05")).await;
    assert_eq!(registered.status, StatusCode::SEE_OTHER, "{}", registered.body);
    let new = registered.location().trim_start_matches("/persons/").split('?').next().unwrap().to_owned();
    let record = t
        .post_form(
            &format!("/persons/{new}/support"),
            &[
                ("kind", "consultation"),
                ("date", &day(-3)),
                ("minutes", "30"),
                ("note", "面談"),
                ("next_action", "履歴書の下書きを受け取る"),
                ("next_action_on", &day(-1)),
            ],
        )
        .await;
    assert_eq!(record.status, StatusCode::SEE_OTHER, "{}", record.body);
    let home = t.get("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("<h1>今日の仕事</h1>"), "{}", home.body);
    let overdue = home.body.find("期限切れ（1日過ぎ）").expect("overdue, in words");
    let action = home.body.find("履歴書の下書きを受け取る").expect("the action");
    assert!(overdue < action && home.body[..overdue].contains("期限が過ぎたもの・今日まで"));
    assert!(home.body.contains(&format!("/persons/{new}/timeline")), "the person's journey is one click away");
    assert!(home.body.contains("担当中の本人:"));

    // A referral sent to the coach's agency waits on its dashboard, and the menu counts the notice.
    t.person_consents(&person, &coach_agency, "referral", &["basic"]).await;
    t.sign_in("worker").await;
    let sent = t
        .post_form(&format!("/persons/{person}/referrals"), &[("to_agency", &coach_agency), ("note", "実習の相談")])
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let name = t.app.store().person_file(t.account("person").await.person.unwrap()).await.unwrap().unwrap();
    let name = name.person.fields.name;

    t.sign_in("coach").await;
    let home = t.get("/").await;
    assert!(home.body.contains("新しいお知らせ1件"), "the menu counts the notice: {}", home.body);
    let waiting = home.body.find("返事を待っている紹介").expect("waiting referrals");
    assert!(home.body[waiting..].contains(&name));
    assert!(home.body.contains(&format!("{name}さんの紹介が届きました")), "{}", home.body);

    // Once the referrals page is opened the notice is seen; the referral still waits for an answer.
    assert_eq!(t.get("/referrals").await.status, StatusCode::OK);
    let home = t.get("/").await;
    assert!(!home.body.contains("新しいお知らせ1件"));
    assert!(home.body.contains("新しいお知らせはありません。"));
    assert!(home.body[home.body.find("返事を待っている紹介").unwrap()..].contains(&name));
}

#[tokio::test]
async fn accounts_without_a_caseload_are_told_where_to_start() {
    let t = spawn_app().await;
    for (login, says, link) in [
        ("employer", "企業の担当者の方へ", "/agencies"),
        ("person", "ご本人の方へ", "/me"),
        ("manager", "事業所管の方へ", "/agencies"),
        ("admin", "システム管理者の方へ", "/admin/audit"),
        ("hellowork", "まだ担当している本人がいません", "/persons/new"),
    ] {
        t.sign_in(login).await;
        let home = t.get("/").await;
        assert_eq!(home.status, StatusCode::OK, "{login}");
        let guide = home.body.find(says).unwrap_or_else(|| panic!("{login}: {}", home.body));
        assert!(home.body[guide..].contains(&format!("href=\"{link}\"")), "{login}");
        assert!(!home.body.contains("この操作はできません"), "{login}");
    }
    // Hello Work is also told how records and referrals reach it.
    assert!(t.get("/").await.body.contains("本人があなたの機関への情報提供に同意すると"));
    // Signed out, the start page introduces the network.
    t.sign_out_locally();
    let home = t.get("/").await;
    assert!(home.body.contains("機関") && !home.body.contains("class=\"guide\""));
}
