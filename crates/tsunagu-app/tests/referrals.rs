//! Referrals through the use cases: sent only on a consent naming the receiver, recorded as a
//! provision, accepted once (opening the receiver's case), each side told.

mod support;

use support::test_app;
use tsunagu_app::AppError;
use tsunagu_domain::consent::ConsentInput;
use tsunagu_domain::referral::{ReferralMove, ReferralState};

#[tokio::test]
async fn a_referral_rests_on_consent_and_acceptance_opens_the_receivers_case() {
    let t = test_app().build().await;
    let worker = t.account("worker").await;
    let coach = t.account("coach").await;
    let person_account = t.account("person").await;
    let person = person_account.person.unwrap();
    let to = coach.agency.unwrap();

    let refused = t.app.send_referral(&worker, person, &to.0.to_string(), "実習の相談").await;
    assert!(matches!(refused, Err(AppError::Invalid(_))), "no consent to referral: {refused:?}");
    assert!(t.app.referral_targets(&worker, person).await.unwrap().is_empty());

    let consent = ConsentInput {
        recipient_kind: "agency".into(),
        recipient_id: to.0.to_string(),
        purposes: vec!["referral".into()],
        categories: vec!["basic".into()],
        valid_from: t.today().to_string(),
        evidence: "own_account".into(),
        ..ConsentInput::default()
    };
    t.app.record_consent(&person_account, person, &consent).await.unwrap();
    assert_eq!(t.app.referral_targets(&worker, person).await.unwrap().iter().map(|t| t.id).collect::<Vec<_>>(), [to]);
    let provisions_before = t.app.store().provisions_of(person).await.unwrap().len();
    let id = t.app.send_referral(&worker, person, &to.0.to_string(), "実習の相談").await.unwrap();
    assert_eq!(t.app.store().provisions_of(person).await.unwrap().len(), provisions_before + 1);

    let received = t.app.referrals(&coach).await.unwrap();
    assert_eq!(received.received[0].referral.id, id);
    assert_eq!(received.notices[0].state, ReferralState::Sent, "the receiver is told");
    t.app.move_referral(&coach, id, ReferralMove::Accept, "").await.unwrap();
    let twice = t.app.move_referral(&coach, id, ReferralMove::Accept, "").await;
    assert!(matches!(twice, Err(AppError::ReferralMove(_))), "accepted once: {twice:?}");
    let file = t.app.store().person_file(person).await.unwrap().unwrap();
    assert!(file.cases.iter().any(|c| c.agency == to && c.closed_on.is_none()), "the receiver holds a case");
    let sender = t.app.referrals(&worker).await.unwrap();
    assert_eq!(sender.notices[0].state, ReferralState::Accepted, "the sender is told");
    let teacher = t.account("teacher").await;
    assert!(
        t.app.move_referral(&teacher, id, ReferralMove::Complete, "").await.is_err(),
        "a third agency cannot move it"
    );
}
