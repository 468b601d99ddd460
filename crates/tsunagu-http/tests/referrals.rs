//! Referrals over HTTP: only on a consent naming the receiver for referral; accepted, declined
//! with a reason, revoked; each side notified; acceptance opens the receiver's case.

mod common;

use axum::http::StatusCode;
use common::spawn_app;

#[tokio::test]
async fn a_referral_needs_consent_notifies_both_sides_and_opens_a_case_on_acceptance() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    let coach_agency = t.account("coach").await.agency.unwrap().0.to_string();

    // Without a consent to referral, the coach's agency is not offered and a forced send is refused.
    t.sign_in("worker").await;
    let form = t.get(&format!("/persons/{person}/referrals/new")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(!form.body.contains(&coach_agency));
    let refused = t
        .post_form(
            &format!("/persons/{person}/referrals"),
            &[("to_agency", &coach_agency), ("note", "作業所での実習を相談したい")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("「他機関への紹介・引継ぎ」への同意で"), "{}", refused.body);

    // The person consents to referral to the coach's agency.
    t.sign_in("person").await;
    let consent = [
        ("recipient", format!("agency:{coach_agency}")),
        ("purposes", "referral".into()),
        ("consent_categories", "basic".into()),
        ("valid_from", "2020-01-01".into()),
        ("evidence", "own_account".into()),
    ];
    let pairs: Vec<(&str, &str)> = consent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(t.post_form(&format!("/persons/{person}/consents"), &pairs).await.status, StatusCode::SEE_OTHER);

    t.sign_in("worker").await;
    assert!(t.get(&format!("/persons/{person}/referrals/new")).await.body.contains(&coach_agency));
    let sent = t
        .post_form(
            &format!("/persons/{person}/referrals"),
            &[("to_agency", &coach_agency), ("note", "作業所での実習を相談したい")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let list = t.get("/referrals").await;
    assert!(
        list.body.contains("作業所での実習を相談したい") && list.body.contains("送付済み"),
        "{} {}",
        list.status,
        list.body
    );

    // The coach's agency is told, accepts, and now holds a case.
    t.sign_in("coach").await;
    assert_eq!(
        t.get(&format!("/persons/{person}")).await.status,
        StatusCode::OK,
        "the referral consent opens basic data"
    );
    let received = t.get("/referrals").await;
    assert!(received.body.contains("新着") && received.body.contains("送付済み"), "{}", received.body);
    let start = received.body.find("/referrals/").unwrap() + "/referrals/".len();
    let referral = received.body[start..].split('/').next().unwrap().to_owned();
    let declined = t.post_form(&format!("/referrals/{referral}/decline"), &[("reason", "")]).await;
    assert_eq!(declined.status, StatusCode::UNPROCESSABLE_ENTITY, "declining needs a reason");
    let accepted = t.post_form(&format!("/referrals/{referral}/accept"), &[]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER);
    let id = t.account("person").await.person.unwrap();
    let cases = t.app.store().person_file(id).await.unwrap().unwrap().cases;
    let coach = t.account("coach").await.agency.unwrap();
    assert!(cases.iter().any(|c| c.agency == coach && c.closed_on.is_none()), "acceptance opens the receiver's case");
    let again = t.post_form(&format!("/referrals/{referral}/accept"), &[]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("「受け入れ」の紹介は「受け入れる」できません。"));

    // The sender is told, and can no longer revoke once done.
    t.sign_in("worker").await;
    let back = t.get("/referrals").await;
    assert!(back.body.contains("新着") && back.body.contains("受け入れ"));
    t.sign_in("coach").await;
    assert_eq!(t.post_form(&format!("/referrals/{referral}/complete"), &[]).await.status, StatusCode::SEE_OTHER);
    t.sign_in("worker").await;
    let revoke = t.post_form(&format!("/referrals/{referral}/revoke"), &[]).await;
    assert_eq!(revoke.status, StatusCode::UNPROCESSABLE_ENTITY, "a done referral cannot be revoked");
    let provisions = t.app.store().provisions_of(id).await.unwrap();
    assert!(provisions.iter().any(|p| p.items.contains(&"referral_note".to_owned())), "the referral is a provision");
}
