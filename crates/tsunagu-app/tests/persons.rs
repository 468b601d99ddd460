//! Persons through the use cases: registration with the consent first, possible duplicates
//! stopped until confirmed and then linked, edits that never overwrite silently, consents
//! recorded and withdrawn, and reads that show only what a basis allows.

mod support;

use support::{new_person, test_app};
use tsunagu_app::AppError;
use tsunagu_app::persons::NewPerson;
use tsunagu_domain::access::{Basis, Denial};
use tsunagu_domain::consent::{ConsentInput, DataCategory};
use tsunagu_domain::person::PersonInput;

#[tokio::test]
async fn health_notes_are_refused_without_a_health_consent() {
    let t = test_app().build().await;
    let worker = t.account("worker").await;
    let mut new = new_person("健康 三郎", "けんこう さぶろう", "1980-02-03");
    new.person.health_notes = "服薬中".into();
    match t.app.register_person(&worker, &new).await {
        Err(AppError::Invalid(problems)) => assert!(problems.for_field("health_notes").is_some(), "{problems:?}"),
        other => panic!("expected the health notes refused, got {other:?}"),
    }
    new.categories.push("health".into());
    assert!(t.app.register_person(&worker, &new).await.is_ok(), "with a health consent they are kept");
}

#[tokio::test]
async fn a_registration_opens_a_case_and_a_duplicate_waits_for_confirmation() {
    let t = test_app().build().await;
    let worker = t.account("worker").await;
    let coach = t.account("coach").await;
    let id = t.app.register_person(&worker, &new_person("登録 一郎", "とうろく いちろう", "1990-01-02")).await.unwrap();
    let file = t.app.store().person_file(id).await.unwrap().unwrap();
    assert_eq!(file.cases.len(), 1);
    assert_eq!(file.cases[0].agency, worker.agency.unwrap(), "the registering agency holds the case");
    assert_eq!(file.consents[0].consent.categories.len(), 3, "the consent as given, recorded first");

    // Another agency registers the same reading and birth date: stopped, without being told who.
    let again = new_person("登録 一朗", "トウロク イチロウ", "1990-01-02");
    match t.app.register_person(&coach, &again).await {
        Err(AppError::PossibleDuplicates(hints)) => {
            assert_eq!(hints.len(), 1);
            assert_eq!(hints[0].visible, None, "the coach may not read the other record");
        }
        other => panic!("expected a possible duplicate, got {other:?}"),
    }
    let confirmed = NewPerson { confirm_duplicate: true, ..again };
    let other = t.app.register_person(&coach, &confirmed).await.unwrap();
    let linked = t.app.store().person_file(other).await.unwrap().unwrap();
    assert_eq!(linked.links, vec![id], "linked, never merged");
}

#[tokio::test]
async fn a_stale_edit_is_refused_with_the_current_record() {
    let t = test_app().build().await;
    let worker = t.account("worker").await;
    let id = t.app.register_person(&worker, &new_person("編集 花子", "へんしゅう はなこ", "1985-03-04")).await.unwrap();
    let person = t.app.store().person_file(id).await.unwrap().unwrap().person;
    let mut first = PersonInput::from_fields(&person.fields);
    first.phone = "090-1111-2222".into();
    let saved = t.app.edit_person(&worker, id, person.version, &first).await.unwrap();
    assert_eq!(saved.version, person.version + 1);
    let mut second = PersonInput::from_fields(&person.fields);
    second.phone = "090-3333-4444".into();
    match t.app.edit_person(&worker, id, person.version, &second).await {
        Err(AppError::PersonConflict(current)) => {
            assert_eq!(current.fields.phone.as_deref(), Some("090-1111-2222"), "the other save is shown");
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    let stored = t.app.store().person_file(id).await.unwrap().unwrap().person;
    assert_eq!(stored.fields.phone.as_deref(), Some("090-1111-2222"), "the stale save wrote nothing");
}

#[tokio::test]
async fn a_consent_opens_the_record_to_another_agency_until_it_is_withdrawn() {
    let t = test_app().build().await;
    let worker = t.account("worker").await;
    let coach = t.account("coach").await;
    let id = t.app.register_person(&worker, &new_person("同意 次郎", "どうい じろう", "1992-05-06")).await.unwrap();
    let refused = t.app.open_person(&coach, id, None).await.err();
    assert!(matches!(refused, Some(AppError::Denied(Denial::NoBasis))), "no case, no consent: {refused:?}");

    let consent = ConsentInput {
        recipient_kind: "agency".into(),
        recipient_id: coach.agency.unwrap().0.to_string(),
        purposes: vec!["support".into()],
        categories: vec!["basic".into(), "disability".into()],
        valid_from: t.today().to_string(),
        evidence: "verbal".into(),
        evidence_note: "相談員2名が立ち会い".into(),
        ..ConsentInput::default()
    };
    let consent_id = t.app.record_consent(&worker, id, &consent).await.unwrap();
    let view = t.app.open_person(&coach, id, None).await.unwrap().confirmed().await.unwrap();
    assert!(view.shows(DataCategory::Disability));
    assert!(!view.shows(DataCategory::Health), "health is not in the consent");
    assert!(view.shown.iter().all(|(_, b)| *b == Basis::Consent(tsunagu_domain::consent::ConsentId(consent_id.0))));
    let provisions = t.app.store().provisions_of(id).await.unwrap();
    assert_eq!(provisions.len(), 1, "the read on a consent is a provision (第三者提供記録)");

    t.app.revoke_consent(&worker, id, consent_id).await.unwrap();
    let after = t.app.open_person(&coach, id, None).await.err();
    assert!(matches!(after, Some(AppError::Denied(_))), "a withdrawal counts from the next request");
}
