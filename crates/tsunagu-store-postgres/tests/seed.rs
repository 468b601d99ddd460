//! Demo data loaded in bulk reads back as the same data written record by record would: each
//! journey at its last stage, each case's latest contact and next action from its latest record,
//! the placements' retention kept once the load is over.

mod support;

use std::sync::Arc;

use time::macros::{date, datetime};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::directory::AgencyKind;
use tsunagu_domain::journey::{Stage, StageChange, SupportFields, SupportKind, SupportRecord};
use tsunagu_store::{DirectoryStore, Duplicates, JourneyStore, PersonStore, ProgramStore, SeedBatch, SeedStore, Store};
use tsunagu_store_conformance::cases::registration;
use tsunagu_store_conformance::fixtures::{agency, seed_reference};
use tsunagu_store_postgres::PostgresStore;
use uuid::Uuid;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_seed_reads_back_as_record_by_record_writes_would() {
    support::with_database(|url| async move {
        let store = Arc::new(PostgresStore::connect(&url, 4, "13").unwrap());
        store.migrate().await.unwrap();
        seed_reference(store.as_ref()).await;
        let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
        store.insert_agencies(std::slice::from_ref(&centre)).await.unwrap();
        let (a, b) = (
            registration(1, centre.id, "あべ", Duplicates::Link(vec![])),
            registration(2, centre.id, "いとう", Duplicates::Link(vec![])),
        );
        let worker = AccountId(Uuid::from_u128(9));
        let at = datetime!(2026-11-25 9:00 UTC);
        let stage = |n: u128, person, stage| StageChange {
            id: Uuid::from_u128(n),
            prefecture: "13".into(),
            person,
            stage,
            on: date!(2026 - 04 - 01),
            agency: centre.id,
            recorded_by: worker,
            recorded_at: at,
            reason: String::new(),
        };
        let record = |n: u128, person, on: time::Date| SupportRecord {
            id: Uuid::from_u128(n),
            prefecture: "13".into(),
            person,
            agency: centre.id,
            staff: worker,
            staff_name: "支援 花子".into(),
            fields: SupportFields {
                kind: SupportKind::Phone,
                date: on,
                minutes: 15,
                note: format!("記録{n}"),
                next_action: Some(format!("予定{n}")),
                next_action_on: Some(on + time::Duration::days(7)),
            },
            recorded_at: at,
        };
        let batch = SeedBatch {
            registrations: vec![a.clone(), b.clone()],
            stages: vec![
                stage(20, a.person.id, Stage::Intake),
                stage(21, b.person.id, Stage::Intake),
                stage(22, a.person.id, Stage::JobSearch),
                stage(23, b.person.id, Stage::Employed),
            ],
            support_records: vec![
                record(30, a.person.id, date!(2026 - 05 - 01)),
                record(31, a.person.id, date!(2026 - 07 - 01)),
                record(32, a.person.id, date!(2026 - 06 - 01)),
                record(33, b.person.id, date!(2026 - 05 - 02)),
                SupportRecord {
                    fields: SupportFields {
                        kind: SupportKind::WorkplaceVisit,
                        ..record(34, b.person.id, date!(2026 - 05 - 01)).fields
                    },
                    ..record(34, b.person.id, date!(2026 - 05 - 01))
                },
            ],
            ..SeedBatch::default()
        };
        store.seeding().await.unwrap();
        store.seed(&batch).await.unwrap();
        let today = date!(2026 - 12 - 05);
        let held = |kept: &tsunagu_domain::retention::Kept| kept.durations(today)[0].1.placements();
        assert_eq!(held(&store.retention("13", today).await.unwrap()), 0, "built after the load");
        store.seeded().await.unwrap();
        let (kept, placements) = store.retention_recount("13", today).await.unwrap();
        assert_eq!(placements.len(), 1);
        assert!(placements[0].workplace_support, "{placements:?}");
        assert_eq!(kept.durations(today), tsunagu_domain::retention::durations_of(&placements, today));
        assert_eq!(held(&kept), 1);
        let file = store.person_file(a.person.id).await.unwrap().unwrap();
        assert_eq!(file.stage, Some(Stage::JobSearch), "the last change in the batch's order");
        assert_eq!(store.person_file(b.person.id).await.unwrap().unwrap().stage, Some(Stage::Employed));
        assert_eq!(store.stages_of(a.person.id).await.unwrap().len(), 2);
        assert_eq!(store.support_records_of(a.person.id, 10).await.unwrap().len(), 3);
        let caseload = store.caseload(centre.id, 0, 10).await.unwrap();
        let of = |id| caseload.iter().find(|e| e.person == id).unwrap();
        assert_eq!(of(a.person.id).last_contact_on, Some(date!(2026 - 07 - 01)), "the latest record, not the last");
        assert_eq!(of(a.person.id).next_action.as_ref().map(|(n, _)| n.as_str()), Some("予定31"));
        assert_eq!(of(a.person.id).stage, Some(Stage::JobSearch), "the case carries the stage");
        assert_eq!(of(b.person.id).last_contact_on, Some(date!(2026 - 05 - 02)));
    })
    .await;
}
