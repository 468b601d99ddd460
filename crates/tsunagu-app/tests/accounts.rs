//! Sign-in as a user meets it: right and wrong passwords, throttling, expiry, signing out
//! everywhere, and the directory's write policy.

mod support;

use support::{TestApp, test_app};
use time::Duration;
use tsunagu_app::AppError;
use tsunagu_app::accounts::{NewAccount, SignInError};
use tsunagu_app::directory::AgencySearch;
use tsunagu_demo::DEMO_PASSWORD;
use tsunagu_domain::account::Role;
use tsunagu_domain::directory::{AgencyInput, AgencyKind};

async fn spawn_app() -> TestApp {
    test_app().seed(3).build().await
}

#[tokio::test]
async fn the_right_password_opens_a_session_that_expires() {
    let t = spawn_app().await;
    let signed_in = t.app.sign_in(" Worker ", DEMO_PASSWORD, "10.0.0.1").await.unwrap();
    assert_eq!(signed_in.account.login, "worker");
    let (session, account) = t.app.session(&signed_in.token).await.unwrap().unwrap();
    assert_eq!((session.account, account.roles.clone()), (account.id, vec![Role::SupportWorker]));
    t.advance(Duration::hours(8));
    assert!(t.app.session(&signed_in.token).await.unwrap().is_none(), "sessions last eight hours");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_login_get_the_same_answer() {
    let t = spawn_app().await;
    assert!(matches!(t.app.sign_in("worker", "wrong password!", "10.0.0.1").await, Err(SignInError::Invalid)));
    assert!(matches!(t.app.sign_in("nobody", DEMO_PASSWORD, "10.0.0.1").await, Err(SignInError::Invalid)));
    assert!(t.app.session("not-a-token").await.unwrap().is_none());
    assert!(t.app.session(&"0".repeat(64)).await.unwrap().is_none());
}

#[tokio::test]
async fn repeated_failures_throttle_the_login_for_a_while() {
    let t = spawn_app().await;
    for _ in 0..5 {
        assert!(matches!(t.app.sign_in("worker", "guess guess guess", "10.0.0.1").await, Err(SignInError::Invalid)));
    }
    // Even the right password is refused now, and the answer does not say whether it was right.
    assert!(matches!(t.app.sign_in("worker", DEMO_PASSWORD, "10.0.0.2").await, Err(SignInError::Throttled)));
    assert!(matches!(t.app.sign_in("nobody-5", "x", "10.0.0.1").await, Err(SignInError::Invalid)));
    t.advance(Duration::minutes(15) + Duration::seconds(1));
    assert!(t.app.sign_in("worker", DEMO_PASSWORD, "10.0.0.2").await.is_ok());
}

#[tokio::test]
async fn many_failures_from_one_address_throttle_every_login_from_it() {
    let t = spawn_app().await;
    for i in 0..20 {
        let _ = t.app.sign_in(&format!("guess{i}"), "x", "10.9.9.9").await;
    }
    assert!(matches!(t.app.sign_in("admin", DEMO_PASSWORD, "10.9.9.9").await, Err(SignInError::Throttled)));
    assert!(t.app.sign_in("admin", DEMO_PASSWORD, "10.1.1.1").await.is_ok());
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let t = spawn_app().await;
    let phone = t.app.sign_in("coach", DEMO_PASSWORD, "10.0.0.1").await.unwrap();
    let desk = t.app.sign_in("coach", DEMO_PASSWORD, "10.0.0.2").await.unwrap();
    t.app.sign_out(&phone.account, &phone.token).await.unwrap();
    assert!(t.app.session(&phone.token).await.unwrap().is_none());
    assert!(t.app.session(&desk.token).await.unwrap().is_some());
    t.app.sign_out_everywhere(&desk.account, false).await.unwrap();
    assert!(t.app.session(&desk.token).await.unwrap().is_none());
}

#[tokio::test]
async fn new_accounts_are_validated_and_logins_are_unique() {
    let t = spawn_app().await;
    let new = |login: &str, password: &str| NewAccount {
        login: login.into(),
        display_name: "鈴木 一".into(),
        password: password.into(),
        roles: vec![Role::SupportWorker],
        agency: None,
        person: None,
        employer: None,
    };
    let codes = |r: Result<_, AppError>| match r {
        Err(AppError::Invalid(p)) => p.iter().map(|p| p.code).collect::<Vec<_>>(),
        other => panic!("{other:?}"),
    };
    assert_eq!(codes(t.app.create_account(new("worker", "long enough password")).await), ["login_taken"]);
    assert_eq!(codes(t.app.create_account(new("suzuki", "short")).await), ["password_too_short"]);
    let account = t.app.create_account(new("Suzuki", "long enough password")).await.unwrap();
    assert_eq!(account.login, "suzuki");
    assert!(account.password_hash.starts_with("$argon2id$"));
    assert!(t.app.sign_in("suzuki", "long enough password", "10.0.0.1").await.is_ok());
}

#[tokio::test]
async fn the_directory_accepts_changes_only_from_those_the_policy_allows() {
    let t = spawn_app().await;
    let account = |login: &str| {
        let app = t.app.clone();
        let login = login.to_owned();
        async move { app.sign_in(&login, DEMO_PASSWORD, "10.0.0.1").await.unwrap().account }
    };
    let (worker, coordinator, manager) =
        (account("worker").await, account("coordinator").await, account("manager").await);
    let input = AgencyInput {
        kind: "welfare_facility".into(),
        name: "新しい作業所".into(),
        name_kana: "あたらしいさぎょうしょ".into(),
        municipality_code: "131016".into(),
        ..Default::default()
    };
    assert!(matches!(t.app.create_agency(&worker, &input).await, Err(AppError::Forbidden)));
    assert!(matches!(t.app.create_agency(&manager, &input).await, Err(AppError::Forbidden)));
    let created = t.app.create_agency(&coordinator, &input).await.unwrap();
    // The worker's own agency is theirs to edit; another agency is not.
    let own = t.app.agency(worker.agency.unwrap()).await.unwrap();
    let own_input = AgencyInput { phone: "03-0000-4321".into(), ..AgencyInput::from_fields(&own.fields) };
    t.app.update_agency(&worker, own.id, own.version, &own_input).await.unwrap();
    let other = AgencyInput { phone: "03-0000-4321".into(), ..input.clone() };
    assert!(matches!(t.app.update_agency(&worker, created.id, 1, &other).await, Err(AppError::Forbidden)));
    assert!(matches!(t.app.import_agencies(&coordinator, b"x").await, Err(AppError::Forbidden)));
    let search =
        AgencySearch { kind: Some(AgencyKind::WelfareFacility), text: Some("新しい".into()), ..Default::default() };
    assert_eq!(t.app.search_agencies(&search).await.unwrap().total, 1);
}

#[tokio::test]
async fn sign_ins_and_directory_changes_are_in_an_intact_audit_log() {
    use tsunagu_app::audit::AuditCheck;
    let t = spawn_app().await;
    let AuditCheck::Intact { entries: demo, .. } = t.app.verify_audit().await.unwrap() else {
        panic!("the demo's log is broken")
    };
    let _ = t.app.sign_in("worker", "wrong password!", "10.0.0.7").await;
    let worker = t.app.sign_in("worker", DEMO_PASSWORD, "10.0.0.7").await.unwrap();
    let own = t.app.agency(worker.account.agency.unwrap()).await.unwrap();
    let input = AgencyInput { phone: "03-0000-4321".into(), ..AgencyInput::from_fields(&own.fields) };
    t.app.update_agency(&worker.account, own.id, own.version, &input).await.unwrap();
    t.app.sign_out(&worker.account, &worker.token).await.unwrap();
    match t.app.verify_audit().await.unwrap() {
        AuditCheck::Intact { entries, head } => {
            assert_eq!(entries, demo + 4, "failed sign-in, sign-in, update, sign-out after the demo's own");
            assert_eq!(head.map(|h| h.len()), Some(64));
        }
        broken => panic!("{broken:?}"),
    }
}
