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
    t.person_consents(&person, &coach_agency, "referral", &["basic"]).await;

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
    assert!(received.body.contains("さんの紹介が届きました"), "the notice says a referral has arrived");
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

#[tokio::test]
async fn referrals_work_through_the_api() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    let coach_agency = t.account("coach").await.agency.unwrap().0.to_string();
    t.sign_in("person").await;
    let consent = serde_json::json!({"recipient_kind": "agency", "recipient_id": coach_agency, "purposes": ["referral"],
        "categories": ["basic"], "valid_from": "2020-01-01", "evidence": "own_account"});
    assert_eq!(
        t.send_json("POST", &format!("/api/v1/persons/{person}/consents"), consent).await.status,
        StatusCode::CREATED
    );

    t.sign_in("worker").await;
    let token = t.new_token("紹介連携", &["persons_read", "persons_write"]).await;
    let body = serde_json::json!({"to_agency": coach_agency, "note": "作業所での実習を相談したい"});
    let sent = t.raw(common::bearer("POST", &format!("/api/v1/persons/{person}/referrals"), &token, Some(body))).await;
    assert_eq!(sent.status, StatusCode::CREATED, "{}", sent.body);
    let referral = sent.json()["id"].as_str().unwrap().to_owned();

    t.sign_in("coach").await;
    let coach_token = t.new_token("受付", &["persons_read", "persons_write"]).await;
    let list = t.raw(common::bearer("GET", "/api/v1/referrals", &coach_token, None)).await.json();
    assert_eq!(list["received"][0]["id"], referral.as_str());
    assert_eq!(list["notices"][0]["read"], false);
    let decline = t
        .raw(common::bearer(
            "POST",
            &format!("/api/v1/referrals/{referral}/decline"),
            &coach_token,
            Some(serde_json::json!({})),
        ))
        .await;
    assert_eq!(decline.status, StatusCode::UNPROCESSABLE_ENTITY, "declining needs a reason");
    let declined = t
        .raw(common::bearer(
            "POST",
            &format!("/api/v1/referrals/{referral}/decline"),
            &coach_token,
            Some(serde_json::json!({"reason": "定員に空きがない"})),
        ))
        .await;
    assert_eq!(declined.status, StatusCode::NO_CONTENT);
    let again =
        t.raw(common::bearer("POST", &format!("/api/v1/referrals/{referral}/accept"), &coach_token, None)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.json()["errors"][0]["code"], "referral_move");
}

#[tokio::test]
async fn the_referral_form_offers_the_consent_it_lacks_and_groups_the_agencies_it_may_reach() {
    let t = spawn_app().await;
    let person = t.account("person").await.person.unwrap().0.to_string();
    t.sign_in("worker").await;
    let form = t.get(&format!("/persons/{person}/referrals/new")).await;
    assert!(form.body.contains("同意している機関がありません"));
    let link = format!("/persons/{person}/consents/new?purpose=referral");
    assert!(form.body.contains(&format!("href=\"{link}\"")), "the way to record the consent is offered");
    assert!(!form.body.contains("<select"), "no empty menu to choose from");
    let consent_form = t.get(&link).await;
    assert!(consent_form.body.contains("name=\"purposes\" value=\"referral\" checked"), "referral comes ticked");

    // The person consents to referral within a whole block: its agencies come grouped by kind.
    t.sign_in("person").await;
    let r = t
        .post_form(
            &format!("/persons/{person}/consents"),
            &[
                ("recipient", "block:johoku"),
                ("purposes", "referral"),
                ("consent_categories", "basic"),
                ("valid_from", "2020-01-01"),
                ("evidence", "own_account"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    t.sign_in("worker").await;
    let form = t.get(&format!("/persons/{person}/referrals/new")).await.body;
    let groups: Vec<&str> = form.split("<optgroup label=\"").skip(1).map(|g| g.split('"').next().unwrap()).collect();
    assert!(groups.len() > 1, "{groups:?}");
    assert!(groups.iter().all(|g| g.starts_with("城北 — ")), "{groups:?}");
    let hello_work = groups.iter().position(|g| g.ends_with("ハローワーク"));
    let facility = groups.iter().position(|g| g.ends_with("福祉施設"));
    assert!(hello_work < facility, "kinds in the directory's order: {groups:?}");
    let mut deduped = groups.clone();
    deduped.dedup();
    assert_eq!(deduped, groups, "each group once");
}
