//! The journey through the use cases: moves only as the rules allow, a placement schedules the
//! agency's follow-ups, support records belong to the agency that wrote them, and the timeline
//! shows another agency's records only on a consent.

mod support;

use support::test_app;
use time::Duration;
use tsunagu_app::AppError;
use tsunagu_app::journey::TimelineEvent;
use tsunagu_domain::consent::ConsentInput;
use tsunagu_domain::journey::{Stage, SupportInput};

#[tokio::test]
async fn stages_move_as_the_rules_allow_and_a_placement_schedules_follow_ups() {
    let t = test_app().build().await;
    let worker = t.account("worker").await;
    let id =
        t.app.register_person(&worker, &support::new_person("経過 太郎", "けいか たろう", "1991-07-08")).await.unwrap();
    let today = t.today().to_string();
    t.app.change_stage(&worker, id, Stage::Intake.code(), &today, "", None).await.unwrap();
    let refused = t.app.change_stage(&worker, id, Stage::Retention.code(), &today, "", Some(Stage::Intake)).await;
    assert!(matches!(refused, Err(AppError::Transition(_))), "intake cannot jump to retention: {refused:?}");
    let stale = t.app.change_stage(&worker, id, Stage::Assessment.code(), &today, "", None).await;
    assert!(matches!(stale, Err(AppError::StageMoved(Some(Stage::Intake)))), "the form was loaded before intake");

    t.app.change_stage(&worker, id, Stage::JobSearch.code(), &today, "", Some(Stage::Intake)).await.unwrap();
    t.app.change_stage(&worker, id, Stage::Employed.code(), &today, "内定", Some(Stage::JobSearch)).await.unwrap();
    let timeline = t.app.timeline(&worker, id).await.unwrap();
    assert_eq!(timeline.stage, Some(Stage::Employed));
    let due: Vec<i64> = timeline.follow_ups.iter().map(|f| (f.due_on - t.today()).whole_days()).collect();
    assert_eq!(due.len(), 5, "2 weeks, 1, 3, 6 and 12 months: {due:?}");
    assert_eq!(due[0], 14);

    // A follow-up done is done once; the next day the others are not yet overdue.
    let first = timeline.follow_ups[0].id;
    t.app.complete_follow_up(&worker, id, first, "").await.unwrap();
    assert!(matches!(t.app.complete_follow_up(&worker, id, first, "").await, Err(AppError::NotFound)));
    t.advance(Duration::days(1));
    let follow_ups = t.app.timeline(&worker, id).await.unwrap().follow_ups;
    assert!(follow_ups.iter().all(|f| !f.is_overdue(t.today())));
}

#[tokio::test]
async fn another_agencys_records_show_only_on_a_consent_naming_it() {
    let t = test_app().build().await;
    let worker = t.account("worker").await;
    let coach = t.account("coach").await;
    let id =
        t.app.register_person(&worker, &support::new_person("記録 花子", "きろく はなこ", "1991-07-08")).await.unwrap();
    let record = SupportInput {
        kind: "consultation".into(),
        date: t.today().to_string(),
        minutes: "30".into(),
        note: "面談".into(),
        ..SupportInput::default()
    };
    t.app.add_support_record(&worker, id, &record).await.unwrap();
    assert!(matches!(t.app.timeline(&coach, id).await, Err(AppError::Denied(_))), "no case, no consent");

    let consent = ConsentInput {
        recipient_kind: "agency".into(),
        recipient_id: coach.agency.unwrap().0.to_string(),
        purposes: vec!["support".into()],
        categories: vec!["basic".into(), "support".into()],
        valid_from: t.today().to_string(),
        evidence: "paper_form".into(),
        evidence_note: "ファイル".into(),
        ..ConsentInput::default()
    };
    t.app.record_consent(&worker, id, &consent).await.unwrap();
    let timeline = t.app.timeline(&coach, id).await.unwrap();
    let records = timeline.events.iter().filter(|e| matches!(e, TimelineEvent::Support(_))).count();
    assert_eq!(records, 1, "the worker's record, on the consent");
    assert_eq!(timeline.hidden, 0, "nothing of the worker's is hidden from the coach now");
    let provisions = t.app.store().provisions_of(id).await.unwrap();
    assert!(provisions.iter().any(|p| p.items.contains(&"support_records".to_owned())), "{provisions:?}");
}
