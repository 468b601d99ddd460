//! Employers through the use cases: added and edited by staff with every rule named, found by
//! folded text, developed by agencies; an employer's account sees its own company and the persons
//! whose consent names it (each read recorded as a provision); accounts linked by an administrator.

mod support;

use support::test_app;
use tsunagu_app::AppError;
use tsunagu_app::accounts::NewAccount;
use tsunagu_app::employers::EmployerFilter;
use tsunagu_domain::account::Role;
use tsunagu_domain::employer::EmployerInput;
use tsunagu_domain::person::PersonId;

fn input(number: &str) -> EmployerInput {
    EmployerInput {
        corporate_number: number.into(),
        name: "株式会社ひまわりベーカリー".into(),
        name_kana: "カブシキガイシャヒマワリベーカリー".into(),
        industry: "E".into(),
        regular_workers: "85".into(),
        accepts_interns: true,
        municipality_code: "131016".into(),
        hiring_name: "総務部 田中".into(),
        hiring_phone: "０３－０００１－２２３３".into(),
        ..EmployerInput::default()
    }
}

fn codes(e: &AppError) -> Vec<(&'static str, &'static str)> {
    match e {
        AppError::Invalid(p) => p.iter().map(|p| (p.field, p.code)).collect(),
        other => panic!("expected problems, got {other:?}"),
    }
}

#[tokio::test]
async fn staff_add_find_edit_and_develop_employers_and_every_rule_is_named() {
    let t = test_app().build().await;
    let worker = t.account("worker").await;
    let count = || async { t.app.store().count_employers().await.unwrap() };
    let before = count().await;

    let bad = t.app.create_employer(&worker, &input("7000012050003")).await.unwrap_err();
    assert_eq!(codes(&bad), [("corporate_number", "check_digit")]);
    let number = tsunagu_domain::CorporateNumber::from_base(812_345_678_901).to_string();
    let created = t.app.create_employer(&worker, &input(&number)).await.unwrap();
    assert_eq!(created.fields.hiring_contact.as_ref().and_then(|c| c.phone.as_deref()), Some("03-0001-2233"));
    let taken = t.app.create_employer(&worker, &EmployerInput { name: "別会社".into(), ..input(&number) }).await;
    assert_eq!(codes(&taken.unwrap_err()), [("corporate_number", "corporate_number_taken")]);
    assert_eq!(count().await, before + 1, "the refused employer wrote nothing");

    // Found as typed: katakana, half width, or the number with hyphens.
    for typed in ["ﾋﾏﾜﾘ", "ひまわりべーかりー", &format!("{}-{}", &number[..4], &number[4..])] {
        let filter = EmployerFilter { q: typed.into(), ..EmployerFilter::default() };
        let page = t.app.employers(&worker, &filter, 1).await.unwrap();
        assert_eq!(page.rows.iter().map(|r| r.id).collect::<Vec<_>>(), [created.id], "{typed}");
    }
    let ours = EmployerFilter { ours: true, ..EmployerFilter::default() };
    let developed = t.app.employers(&worker, &ours, 1).await.unwrap().total;
    assert!(developed > 0, "the demo's centre developed some employers");
    t.app.link_employer(&worker, created.id, true).await.unwrap();
    let page = t.app.employers(&worker, &ours, 1).await.unwrap();
    assert_eq!(page.total, developed + 1);
    assert!(page.rows.iter().any(|r| r.id == created.id));
    let view = t.app.employer(&worker, created.id).await.unwrap();
    assert!(view.linked_by_viewer && view.may_edit);
    assert_eq!(view.links[0].0.since, t.today());
    let bad_filter = EmployerFilter { industry: "Z".into(), municipality: "99".into(), ..EmployerFilter::default() };
    let refused = t.app.employers(&worker, &bad_filter, 1).await.unwrap_err();
    assert_eq!(codes(&refused), [("industry", "unknown_industry"), ("municipality", "digits_format")]);

    let edit = EmployerInput { regular_workers: "90".into(), ..input(&number) };
    let edited = t.app.update_employer(&worker, created.id, 1, &edit).await.unwrap();
    assert_eq!((edited.version, edited.fields.regular_workers), (2, 90));
    let stale = t.app.update_employer(&worker, created.id, 1, &input(&number)).await;
    assert!(matches!(stale, Err(AppError::EmployerChanged(now)) if now.version == 2), "an edit from an old page");
    let entries = t.app.store().audit_entries(0, 100_000).await.unwrap();
    let last = entries.iter().rev().find(|e| e.event.record == format!("employer:{}", created.id.0)).unwrap();
    assert_eq!(last.event.fields, ["regular_workers"], "the audit entry names what changed");

    let manager = t.account("manager").await;
    assert_eq!(t.app.employers(&manager, &EmployerFilter::default(), 1).await.unwrap().total, before + 1);
    assert!(matches!(t.app.create_employer(&manager, &input("")).await, Err(AppError::Forbidden)));
    let person = t.account("person").await;
    assert!(matches!(t.app.employer(&person, created.id).await, Err(AppError::Forbidden)));
}

#[tokio::test]
async fn an_employer_account_sees_its_company_and_the_persons_who_consented_nothing_else() {
    let t = test_app().build().await;
    let account = t.account("employer").await;
    let own = account.employer.unwrap();
    let query = tsunagu_store::EmployerQuery { limit: 2, ..Default::default() };
    let other =
        t.app.store().search_employers(&query).await.unwrap().rows.into_iter().find(|r| r.id != own).unwrap().id;

    let view = t.app.employer(&account, own).await.unwrap();
    assert!(view.may_edit && !view.may_link && view.fairs.is_empty());
    assert!(matches!(t.app.employer(&account, other).await, Err(AppError::Forbidden)));
    assert!(matches!(t.app.employers(&account, &EmployerFilter::default(), 1).await, Err(AppError::Forbidden)));

    let current = view.employer;
    let mut edit = EmployerInput::from_fields(&current.fields);
    edit.workplace_name = "製造部 佐藤".into();
    t.app.update_employer(&account, own, current.version, &edit).await.unwrap();
    edit.corporate_number = tsunagu_domain::CorporateNumber::from_base(1).to_string();
    let fixed = t.app.update_employer(&account, own, current.version + 1, &edit).await.unwrap_err();
    assert_eq!(codes(&fixed), [("corporate_number", "corporate_number_fixed")]);

    let shared = t.app.shared_persons(&account).await.unwrap();
    assert!(!shared.is_empty(), "the demo has persons who consented to this employer");
    let today = t.today();
    for s in &shared {
        assert!(
            s.consent.consent.in_force(tsunagu_app::Clock::now(t.clock.as_ref()), today),
            "{} is listed on a consent in force",
            s.name
        );
        let provisions = t.app.store().provisions_of(s.person).await.unwrap();
        assert!(provisions.iter().any(|p| p.items == ["name", "name_kana"]), "the listing is a provision");
    }
    let revoked = t.app.store().consents_naming_employer(own, 500).await.unwrap();
    assert!(revoked.len() >= shared.len());
}

#[tokio::test]
async fn an_administrator_links_accounts_to_their_person_or_employer() {
    let t = test_app().build().await;
    let admin = t.account("admin").await;
    let worker = t.account("worker").await;
    let person = t.account("person").await.person.unwrap();
    let new = |login: &str, role: Role| NewAccount {
        login: login.into(),
        display_name: "新しい担当".into(),
        password: "correct horse battery staple".into(),
        roles: vec![role],
        agency: None,
        person: None,
        employer: None,
    };
    t.app.create_account(new("hr-new", Role::EmployerUser)).await.unwrap();
    t.app.create_account(new("self-new", Role::Person)).await.unwrap();
    let number = tsunagu_domain::CorporateNumber::from_base(900_000_000_001).to_string();

    assert!(matches!(t.app.link_account(&worker, "hr-new", "", &number).await, Err(AppError::Forbidden)));
    let wrong = t.app.link_account(&admin, "hr-new", &person.0.to_string(), "1234").await.unwrap_err();
    assert_eq!(codes(&wrong), [("corporate_number", "corporate_number_format"), ("person", "not_a_person_account")]);
    let unknown = t.app.link_account(&admin, "nobody", &PersonId(uuid::Uuid::nil()).0.to_string(), "").await;
    assert_eq!(codes(&unknown.unwrap_err()), [("login", "unknown_login"), ("person", "unknown_person")]);

    let linked = t.app.link_account(&admin, "hr-new", "", &number).await.unwrap();
    assert!(linked.employer.is_some());
    let stored = t.app.store().account_by_login("hr-new").await.unwrap().unwrap();
    assert_eq!(stored.employer, linked.employer);
    t.app.employer(&stored, linked.employer.unwrap()).await.unwrap();

    t.app.link_account(&admin, "self-new", &person.0.to_string(), "").await.unwrap();
    let entries = t.app.store().audit_entries(0, 100_000).await.unwrap();
    assert!(
        entries.iter().any(|e| e.event.person == person.0.to_string() && e.event.fields == ["account"]),
        "the person's record shows the account linked to it"
    );
}
