//! The person's own pages over HTTP: the person reads about themself in やさしい日本語 with
//! furigana, gives a consent by choosing from a short list, withdraws one through a confirmation
//! page that names who stops seeing what and takes it back, reads who looked by name and agency
//! (never a login), switches to English and changes their password. Staff are refused these
//! pages; the person's account has no API tokens.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};

/// The value of the first radio button named `name` on `page`.
fn first_value(page: &str, name: &str) -> String {
    let at = page.find(&format!("name=\"{name}\" value=\"")).expect("a radio button");
    let rest = &page[at + name.len() + 15..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// The consents of the person in force now.
async fn in_force(t: &TestApp) -> usize {
    let person = t.account("person").await.person.unwrap();
    let file = t.app.store().person_file(person).await.unwrap().unwrap();
    let (now, today) = (t.app.now(), t.app.today());
    file.consents.iter().filter(|c| c.consent.in_force(now, today)).count()
}

async fn the_person_reads_shares_and_withdraws(t: TestApp) {
    // Staff look first, so that the person has someone to see under who looked.
    let person = t.account("person").await.person.unwrap();
    t.sign_in("worker").await;
    assert_eq!(t.get(&format!("/persons/{}", person.0)).await.status, StatusCode::OK);
    assert_eq!(t.get("/me").await.status, StatusCode::FORBIDDEN, "staff have no own pages");
    t.sign_out_locally();

    t.sign_in("person").await;
    let home = t.get("/me").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("<h1>わたしのこと</h1>") && home.body.contains("<ruby>"), "{}", home.body);
    assert!(home.body.contains("わたしの<ruby>計画<rt>けいかく</rt></ruby>"), "{}", home.body);
    assert!(!home.body.contains("API"), "no staff controls");
    let account = t.get("/account").await;
    assert_eq!((account.status, account.location()), (StatusCode::SEE_OTHER, "/me/account"));
    assert_eq!(
        t.post_form("/account/tokens", &[("name", "x"), ("scopes", "persons_read")]).await.status,
        StatusCode::FORBIDDEN
    );

    // Giving a consent: a recipient from the short list, never a code typed.
    let sharing = t.get("/me/sharing").await.body;
    let before = in_force(&t).await;
    let refused = t.post_form("/me/sharing", &[("categories", "disability")]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("だれに見せるか、えらんでください"), "{}", refused.body);
    assert_eq!(in_force(&t).await, before, "nothing is written");
    let choice = first_value(&sharing, "choice");
    let given = t.post_form("/me/sharing", &[("choice", &choice), ("categories", "disability")]).await;
    assert_eq!(given.status, StatusCode::SEE_OTHER, "{}", given.body);
    assert_eq!(in_force(&t).await, before + 1);

    // Withdrawing: the confirmation page names who stops seeing what; then one press takes it back.
    let sharing = t.get("/me/sharing").await.body;
    let at = sharing.find("/withdraw\"").expect("a withdraw link");
    let href = &sharing[sharing[..at].rfind("href=\"").unwrap() + 6..at + 9];
    let confirm = t.get(href).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("見られなくなります") && confirm.body.contains("<li>"), "{}", confirm.body);
    assert_eq!(in_force(&t).await, before + 1, "the confirmation page changes nothing");
    let withdrawn = t.post_form(href, &[]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert_eq!(in_force(&t).await, before);
    let after = t.get(withdrawn.location()).await.body;
    assert!(after.contains("もとにもどす"), "{after}");
    let undo = href.replace("/withdraw", "/undo");
    assert_eq!(t.post_form(&undo, &[]).await.status, StatusCode::SEE_OTHER);
    assert_eq!(in_force(&t).await, before + 1, "taken back");
    assert_eq!(t.post_form(&undo, &[]).await.status, StatusCode::SEE_OTHER, "a second press, or a second tab");
    assert_eq!(in_force(&t).await, before + 1, "taken back once");

    // Who looked: the staff member by name and agency, never the login; own looks hidden.
    let worker = t.account("worker").await;
    let looked = t.get("/me/looked").await.body;
    assert!(looked.contains(&format!("{}さん", worker.display_name)), "{looked}");
    assert!(!looked.contains(">worker<") && !looked.contains("あなた</p>"), "{looked}");
    assert!(t.get("/me/looked?own=1").await.body.contains("あなた"));

    // English, and a new password.
    assert_eq!(t.post_form("/me/account/register", &[("register", "english")]).await.status, StatusCode::SEE_OTHER);
    let english = t.get("/me").await.body;
    assert!(english.contains("<h1>About me</h1>") && english.contains("lang=\"en\""), "{english}");
    let wrong = t
        .post_form(
            "/me/account/password",
            &[
                ("current_password", "not it"),
                ("new_password", "a new long password"),
                ("new_password_again", "a new long password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("The current password is not right."), "{}", wrong.body);
    let changed = t
        .post_form(
            "/me/account/password",
            &[
                ("current_password", tsunagu_demo::DEMO_PASSWORD),
                ("new_password", "a new long password"),
                ("new_password_again", "a new long password"),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER, "{}", changed.body);
    t.sign_out_locally();
    assert_eq!(t.try_sign_in("person", "a new long password").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_person_reads_shares_and_withdraws_on_sqlite() {
    the_person_reads_shares_and_withdraws(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_person_reads_shares_and_withdraws_on_postgres() {
    on_postgres(the_person_reads_shares_and_withdraws).await;
}
