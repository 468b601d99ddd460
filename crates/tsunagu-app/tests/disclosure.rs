//! The disclosure is a public document: every table of personal data in the schema has its
//! section, and the document's shape is locked by a snapshot, so that a new kind of personal
//! record, or a renamed domain field, cannot slip past what a person receives.

use std::collections::BTreeSet;

use time::macros::{date, datetime};
use tsunagu_app::disclosure::{DISCLOSURE_VERSION, Disclosure, OTHER_TABLES, PERSONAL_TABLES};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::audit::{AuditAction, AuditEntry, AuditEvent};
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::consent::{
    Consent, ConsentId, ConsentRecord, DataCategory, Evidence, Provision, Purpose, Recipient,
};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::internship::{Booking, BookingId, BookingOutcome, Slot, SlotFields, SlotId, SlotKind};
use tsunagu_domain::journey::{FollowUp, StageChange, SupportRecord};
use tsunagu_domain::journey::{Stage, SupportFields, SupportKind};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::person::{Certificate, DisabilityCategory, Person, PersonFields};
use tsunagu_domain::placement::{EndReason, Placement, PlacementEnd, PlacementFields, PlacementId, PlacementKind};
use tsunagu_domain::plan::{Outcome, PlanFields, ReviewFields};
use tsunagu_domain::plan::{PlanReview, SupportPlan};
use tsunagu_domain::referral::Referral;
use tsunagu_domain::referral::ReferralState;
use tsunagu_store::Journey;
use uuid::Uuid;

/// The tables the migrations of `engine` create.
fn tables_of(engine: &str) -> BTreeSet<String> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../tsunagu-store-{engine}/migrations"));
    let mut tables = BTreeSet::new();
    for file in std::fs::read_dir(&dir).unwrap() {
        let sql = std::fs::read_to_string(file.unwrap().path()).unwrap();
        let sql: String = sql.lines().map(|l| l.split("--").next().unwrap_or("")).collect::<Vec<_>>().join("\n");
        for statement in sql.split(';') {
            let words: Vec<&str> = statement.split_whitespace().collect();
            if let [create, table, rest @ ..] = words.as_slice()
                && create.eq_ignore_ascii_case("create")
                && table.eq_ignore_ascii_case("table")
            {
                let name = rest.iter().find(|w| !["IF", "NOT", "EXISTS"].contains(&w.to_uppercase().as_str()));
                tables.insert(name.unwrap().trim_end_matches('(').to_owned());
            }
        }
    }
    tables
}

#[test]
fn every_table_is_disclosed_or_named_as_holding_no_personal_data() {
    let listed: BTreeSet<String> = PERSONAL_TABLES
        .iter()
        .map(|(t, _)| *t)
        .chain(OTHER_TABLES.iter().map(|(t, _)| *t))
        .map(str::to_owned)
        .collect();
    let mut every = BTreeSet::new();
    for engine in ["sqlite", "postgres"] {
        let mut tables = tables_of(engine);
        tables.insert("schema_migrations".into());
        let unlisted: Vec<_> = tables.difference(&listed).collect();
        assert!(
            unlisted.is_empty(),
            "{engine}: tables {unlisted:?} are neither in the disclosure (PERSONAL_TABLES) nor named as holding no \
             personal data (OTHER_TABLES)"
        );
        every.extend(tables);
    }
    let stale: Vec<_> = listed.difference(&every).collect();
    assert!(stale.is_empty(), "the lists name tables no schema has: {stale:?}");
}

#[test]
fn each_personal_table_has_its_section_in_the_document() {
    let document = serde_json::to_value(example().document()).unwrap();
    for (table, section) in PERSONAL_TABLES {
        let mut value = &document;
        for key in section.split('.') {
            value = match value {
                serde_json::Value::Array(items) => &items[0][key],
                other => &other[key],
            };
        }
        assert!(!value.is_null(), "table {table}: the document has no {section}");
        let empty = value.as_array().is_some_and(Vec::is_empty) || value.as_str() == Some("");
        assert!(!empty, "table {table}: the example leaves {section} empty, so the snapshot would not show it");
    }
}

#[test]
fn the_document_is_locked_by_a_snapshot() {
    let document = example().document();
    assert_eq!(document.version, DISCLOSURE_VERSION);
    insta::assert_json_snapshot!("disclosure_document", document);
}

/// A disclosure with one of everything.
fn example() -> Disclosure {
    let person = PersonId(Uuid::from_u128(1));
    let centre = AgencyId(Uuid::from_u128(2));
    let facility = AgencyId(Uuid::from_u128(3));
    let worker = AccountId(Uuid::from_u128(4));
    let bakery = EmployerId(Uuid::from_u128(15));
    let at = datetime!(2026-11-25 09:00 UTC);
    let consent = ConsentRecord {
        prefecture: "13".into(),
        consent: Consent {
            id: ConsentId(Uuid::from_u128(5)),
            person,
            recipient: Recipient::Agency(facility),
            purposes: vec![Purpose::Support, Purpose::Referral],
            categories: vec![DataCategory::Basic, DataCategory::Support],
            valid_from: date!(2026 - 04 - 01),
            valid_to: Some(date!(2027 - 03 - 31)),
            revoked_at: Some(at),
        },
        evidence: Evidence::PaperForm,
        evidence_note: "同意書は相談記録ファイルに保管".into(),
        recorded_by: worker,
        recorded_at: at,
    };
    let plan = SupportPlan {
        id: Uuid::from_u128(6),
        prefecture: "13".into(),
        person,
        agency: centre,
        fields: PlanFields {
            goal: "週20時間の就労".into(),
            actions: "職場実習".into(),
            owner: "支援員".into(),
            review_on: date!(2026 - 12 - 25),
        },
        review_on: None,
        outcome: Some(Outcome::Achieved),
        created_by: worker,
        created_at: at,
        reviews: vec![PlanReview {
            id: Uuid::from_u128(7),
            reviewed_on: date!(2026 - 12 - 20),
            fields: ReviewFields { note: "内定が出た".into(), outcome: Outcome::Achieved, next_review_on: None },
            reviewed_by: worker,
            reviewed_at: at,
        }],
    };
    Disclosure {
        compiled_at: datetime!(2026-12-01 10:00 UTC),
        person: Person {
            id: person,
            prefecture: "13".into(),
            fields: PersonFields {
                name: "山田 太郎".into(),
                name_kana: "やまだ たろう".into(),
                birth_date: date!(1999 - 05 - 13),
                phone: Some("090-1234-5678".into()),
                email: Some("taro@example.jp".into()),
                address: Some("東京都豊島区東池袋1-1-1".into()),
                categories: vec![DisabilityCategory::Mental],
                certificates: vec![Certificate::Mental(2)],
                accommodations: Some("指示はメモで".into()),
                health_notes: Some("服薬中".into()),
                preferred_hours: Some(20),
                preferred_area: Some("豊島区".into()),
                emergency_contact: Some("母 山田 花子".into()),
                emergency_phone: Some("080-1234-5678".into()),
            },
            registered_by: centre,
            version: 3,
            created_at: at,
            updated_at: at,
        },
        links: vec![PersonId(Uuid::from_u128(8))],
        cases: vec![CaseRecord {
            id: Uuid::from_u128(9),
            prefecture: "13".into(),
            person,
            agency: centre,
            opened_on: date!(2026 - 04 - 01),
            closed_on: Some(date!(2026 - 11 - 30)),
            opened_by: worker,
        }],
        documents: vec![tsunagu_domain::document::Document {
            id: tsunagu_domain::document::DocumentId(Uuid::from_u128(30)),
            prefecture: "13".into(),
            person,
            agency: centre,
            kind: tsunagu_domain::document::DocumentKind::ConsentForm,
            title: "同意書（2026年4月）".into(),
            file_name: "同意書.pdf".into(),
            file_type: tsunagu_domain::document::FileType::Pdf,
            size: 1234,
            sha256: "0".repeat(64),
            consent: Some(consent.consent.id),
            uploaded_by: worker,
            uploaded_at: at,
            removed_at: None,
        }],
        consents: vec![(consent.clone(), "作業所あおば".into())],
        provisions: vec![(
            Provision {
                prefecture: "13".into(),
                id: Uuid::from_u128(10),
                at,
                person,
                recipient: Recipient::Agency(facility),
                items: vec!["name".into(), "accommodations".into()],
                consent: consent.consent.id,
                provided_by: worker,
            },
            "作業所あおば".into(),
        )],
        journey: Journey {
            stages: vec![StageChange {
                id: Uuid::from_u128(11),
                prefecture: "13".into(),
                person,
                stage: Stage::Employed,
                on: date!(2026 - 11 - 01),
                agency: centre,
                recorded_by: worker,
                recorded_at: at,
                reason: "内定".into(),
            }],
            records: vec![SupportRecord {
                id: Uuid::from_u128(12),
                prefecture: "13".into(),
                person,
                agency: centre,
                staff: worker,
                staff_name: "支援 花子".into(),
                fields: SupportFields {
                    kind: SupportKind::WorkplaceVisit,
                    date: date!(2026 - 11 - 20),
                    minutes: 60,
                    note: "職場訪問".into(),
                    next_action: Some("電話".into()),
                    next_action_on: Some(date!(2026 - 12 - 01)),
                },
                recorded_at: at,
            }],
            follow_ups: vec![FollowUp {
                id: Uuid::from_u128(13),
                prefecture: "13".into(),
                person,
                agency: centre,
                placed_on: date!(2026 - 11 - 01),
                due_on: date!(2026 - 11 - 15),
                done: Some((date!(2026 - 11 - 14), worker)),
                note: None,
                closed_on: None,
            }],
            plans: vec![plan],
            placements: vec![Placement {
                id: PlacementId(Uuid::from_u128(16)),
                prefecture: "13".into(),
                person,
                agency: centre,
                fields: PlacementFields {
                    employer: bakery,
                    opening: None,
                    job_title: "製造補助".into(),
                    starts_on: date!(2026 - 11 - 01),
                    hours: 20,
                    kind: PlacementKind::General,
                },
                end: Some(PlacementEnd {
                    ended_on: date!(2026 - 11 - 25),
                    reason: EndReason::Health,
                    note: "通院のため".into(),
                }),
                recorded_by: worker,
                version: 2,
                created_at: at,
                updated_at: at,
            }],
        },
        referrals: vec![Referral {
            id: Uuid::from_u128(14),
            prefecture: "13".into(),
            person,
            from: centre,
            to: facility,
            note: "実習の相談".into(),
            consent: consent.consent.id,
            state: ReferralState::Declined,
            reason: Some("定員に空きがない".into()),
            sent_by: worker,
            sent_at: at,
            updated_at: at,
            version: 2,
        }],
        agency_names: vec![(centre, "豊島区障害者就労支援センター".into()), (facility, "作業所あおば".into())],
        employer_names: vec![(bakery, "ひまわりベーカリー".into())],
        bookings: vec![(
            Booking {
                id: BookingId(Uuid::from_u128(18)),
                prefecture: "13".into(),
                slot: SlotId(Uuid::from_u128(17)),
                person,
                agency: centre,
                consent: consent.consent.id,
                booked_by: worker,
                booked_at: at,
                outcome: Some(BookingOutcome {
                    outcome: tsunagu_domain::internship::Outcome::Completed,
                    note: "作業が丁寧".into(),
                    insurance_subsidy: true,
                    employer_grant: false,
                }),
                version: 2,
            },
            Slot {
                id: SlotId(Uuid::from_u128(17)),
                prefecture: "13".into(),
                employer: bakery,
                agency: centre,
                fields: SlotFields {
                    kind: SlotKind::Internship,
                    title: "製造補助の実習".into(),
                    starts_on: date!(2026 - 10 - 05),
                    ends_on: date!(2026 - 10 - 09),
                    capacity: 2,
                    note: String::new(),
                },
                version: 1,
                created_at: at,
                updated_at: at,
            },
            "ひまわりベーカリー".into(),
        )],
        enrolment: Some((
            tsunagu_domain::school::Enrolment {
                person,
                prefecture: "13".into(),
                school: facility,
                fields: tsunagu_domain::school::EnrolmentFields {
                    department: tsunagu_domain::school::Department::EmploymentSkills,
                    entered: tsunagu_domain::program::FiscalYear(2022),
                    graduated_on: Some(date!(2025 - 03 - 14)),
                },
                recorded_by: worker,
                version: 1,
                updated_at: at,
            },
            "都立青峰学園".into(),
        )),
        coaching: vec![(
            tsunagu_domain::coaching::Dispatch {
                id: tsunagu_domain::coaching::DispatchId(uuid::Uuid::from_u128(90)),
                prefecture: "13".into(),
                person,
                agency: facility,
                fields: tsunagu_domain::coaching::DispatchFields {
                    employer: tsunagu_domain::employer::EmployerId(uuid::Uuid::from_u128(91)),
                    coaches: vec![tsunagu_domain::coaching::CoachId(uuid::Uuid::from_u128(92))],
                    starts_on: date!(2026 - 10 - 01),
                    phases: [
                        tsunagu_domain::coaching::PhasePlan { until: date!(2026 - 10 - 31), visits_a_month: 12 },
                        tsunagu_domain::coaching::PhasePlan { until: date!(2026 - 12 - 31), visits_a_month: 4 },
                        tsunagu_domain::coaching::PhasePlan { until: date!(2027 - 06 - 30), visits_a_month: 1 },
                    ],
                    person_agreed_on: Some(date!(2026 - 09 - 25)),
                    employer_agreed_on: Some(date!(2026 - 09 - 28)),
                    goals: "手順書を見て一人で作業する".into(),
                    transition_began_on: Some(date!(2026 - 11 - 04)),
                    follow_up_began_on: None,
                    ended_on: None,
                },
                recorded_by: worker,
                version: 2,
                updated_at: at,
            },
            "ひまわりベーカリー".into(),
            vec![tsunagu_domain::coaching::CoachDay {
                id: tsunagu_domain::coaching::CoachDayId(uuid::Uuid::from_u128(93)),
                prefecture: "13".into(),
                dispatch: tsunagu_domain::coaching::DispatchId(uuid::Uuid::from_u128(90)),
                person,
                coach: tsunagu_domain::coaching::CoachId(uuid::Uuid::from_u128(92)),
                on: date!(2026 - 10 - 05),
                minutes: 150,
                activities: vec![tsunagu_domain::coaching::Activity::Tasks],
                note: "手順書を一緒に作った".into(),
                recorded_by: worker,
                recorded_at: at,
            }],
        )],
        coach_names: vec![(tsunagu_domain::coaching::CoachId(uuid::Uuid::from_u128(92)), "職場 支援".into())],
        trywork: vec![tsunagu_domain::trywork::Participation {
            id: tsunagu_domain::trywork::ParticipationId(uuid::Uuid::from_u128(96)),
            prefecture: "13".into(),
            person,
            agency: centre,
            fields: tsunagu_domain::trywork::ParticipationFields {
                course: tsunagu_domain::trywork::TryWorkCourse::WorkTraining,
                track: tsunagu_domain::trywork::TryWorkTrack::Depression,
                starts_on: date!(2026 - 04 - 06),
                planned_until: date!(2026 - 09 - 30),
                ended_on: Some(date!(2026 - 09 - 30)),
                outcome: Some(tsunagu_domain::trywork::TryWorkOutcome::Completed),
                note: "就職活動へ".into(),
            },
            recorded_by: worker,
            version: 2,
            updated_at: at,
        }],
        assessment_sheets: vec![tsunagu_domain::assessment::Assessment {
            id: tsunagu_domain::assessment::AssessmentId(uuid::Uuid::from_u128(100)),
            prefecture: "13".into(),
            person,
            agency: centre,
            fields: tsunagu_domain::assessment::AssessmentFields {
                started_on: date!(2026 - 09 - 03),
                person: std::collections::BTreeMap::from([("I-2".to_owned(), "事務の仕事".to_owned())]),
                supporter: std::collections::BTreeMap::from([("I-2".to_owned(), "データ入力が向いている".to_owned())]),
                person_answered_at: Some(at),
            },
            recorded_by: worker,
            version: 3,
            updated_at: at,
        }],
        passport: Some(tsunagu_domain::passport::Passport {
            id: tsunagu_domain::passport::PassportId(uuid::Uuid::from_u128(101)),
            prefecture: "13".into(),
            person,
            fields: tsunagu_domain::passport::PassportFields {
                answers: std::collections::BTreeMap::from([
                    ("2-1".to_owned(), "丁寧に確かめながら作業できる".to_owned()),
                    ("3-1".to_owned(), "月1回通院".to_owned()),
                ]),
                shown: std::collections::BTreeSet::from(["2".to_owned()]),
                chosen_at: Some(at),
            },
            recorded_by: worker,
            version: 2,
            updated_at: at,
        }),
        work_samples: vec![tsunagu_domain::mws::MwsResult {
            id: tsunagu_domain::mws::MwsResultId(uuid::Uuid::from_u128(99)),
            prefecture: "13".into(),
            person,
            agency: centre,
            fields: tsunagu_domain::mws::MwsFields {
                done_on: date!(2026 - 09 - 02),
                edition: tsunagu_domain::mws::Edition::Brief,
                task: "数値入力".into(),
                level: 2,
                trials: 12,
                correct: 11,
                minutes: 25,
                notes: "見直しで誤りに気づけた".into(),
            },
            recorded_by: worker,
            version: 1,
            updated_at: at,
        }],
        checklists: vec![tsunagu_domain::checklist::Checklist {
            id: tsunagu_domain::checklist::ChecklistId(uuid::Uuid::from_u128(98)),
            prefecture: "13".into(),
            person,
            agency: centre,
            fields: tsunagu_domain::checklist::ChecklistFields {
                assessed_on: date!(2026 - 09 - 01),
                answers: vec![
                    tsunagu_domain::checklist::Answer {
                        item: "I-1".into(),
                        rating: tsunagu_domain::checklist::Rating::Level(2),
                        comment: "目覚ましで起きられる".into(),
                    },
                    tsunagu_domain::checklist::Answer {
                        item: "I-4".into(),
                        rating: tsunagu_domain::checklist::Rating::NotApplicable,
                        comment: String::new(),
                    },
                ],
                note: "報告の練習を続ける".into(),
            },
            recorded_by: worker,
            version: 1,
            updated_at: at,
        }],
        events: vec![{
            use tsunagu_domain::event::*;
            let event = Event {
                id: EventId(uuid::Uuid::from_u128(97)),
                prefecture: "13".into(),
                organiser: centre,
                fields: EventFields {
                    kind: EventKind::Seminar,
                    series: Some(Series::JobhuntingSeminar),
                    title: "障害者就活セミナー".into(),
                    description: String::new(),
                    audiences: vec![Audience::Persons],
                    starts_on: date!(2026 - 10 - 14),
                    ends_on: date!(2026 - 10 - 21),
                    sessions: vec![
                        Session {
                            date: date!(2026 - 10 - 14),
                            starts_at: time::macros::time!(14:00),
                            ends_at: time::macros::time!(16:00),
                            place: "としま産業振興プラザ".into(),
                        },
                        Session {
                            date: date!(2026 - 10 - 21),
                            starts_at: time::macros::time!(14:00),
                            ends_at: time::macros::time!(16:00),
                            place: "としま産業振興プラザ".into(),
                        },
                    ],
                    capacity: 20,
                    opens_on: date!(2026 - 09 - 01),
                    closes_on: date!(2026 - 10 - 10),
                    curriculum: vec![],
                    area: None,
                    agenda: String::new(),
                    minutes: String::new(),
                },
                written_by: worker,
                version: 1,
                updated_at: at,
            };
            let signup = Signup {
                id: SignupId(uuid::Uuid::from_u128(98)),
                prefecture: "13".into(),
                event: event.id,
                attendee: Attendee::Person(person),
                attendee_name: String::new(),
                agency: Some(centre),
                signed_up_by: worker,
                signed_up_at: at,
                status: SignupStatus::Confirmed,
                position: 21,
                promoted_at: Some(at),
                cancelled_at: None,
                attended: 0b10,
                version: 3,
            };
            (signup, event)
        }],
        return_plans: vec![(
            tsunagu_domain::rework::ReturnPlan {
                id: tsunagu_domain::rework::ReturnPlanId(uuid::Uuid::from_u128(95)),
                prefecture: "13".into(),
                person,
                agency: facility,
                fields: tsunagu_domain::rework::ReturnPlanFields {
                    employer: tsunagu_domain::employer::EmployerId(uuid::Uuid::from_u128(91)),
                    employer_contact: "総務課 佐藤".into(),
                    doctor: "みなとクリニック 山田医師".into(),
                    leave_began_on: date!(2026 - 06 - 01),
                    coordination_began_on: date!(2026 - 09 - 01),
                    person_agreed_on: Some(date!(2026 - 09 - 15)),
                    employer_agreed_on: Some(date!(2026 - 09 - 18)),
                    doctor_agreed_on: Some(date!(2026 - 09 - 24)),
                    activities: "週4日の通所から始め、12週で復職を目指す".into(),
                    phases: [
                        tsunagu_domain::rework::WarmUpPlan {
                            from: date!(2026 - 10 - 01),
                            until: date!(2026 - 10 - 31),
                        },
                        tsunagu_domain::rework::WarmUpPlan {
                            from: date!(2026 - 11 - 01),
                            until: date!(2026 - 11 - 30),
                        },
                        tsunagu_domain::rework::WarmUpPlan {
                            from: date!(2026 - 12 - 01),
                            until: date!(2026 - 12 - 25),
                        },
                    ],
                    support_began_on: Some(date!(2026 - 10 - 01)),
                    returned_on: None,
                    ended_on: None,
                    outcome: None,
                    outcome_note: String::new(),
                },
                recorded_by: worker,
                version: 2,
                updated_at: at,
            },
            "ひまわりベーカリー".into(),
        )],
        trials: vec![(
            tsunagu_domain::trial::Trial {
                id: tsunagu_domain::trial::TrialId(uuid::Uuid::from_u128(94)),
                prefecture: "13".into(),
                person,
                agency: facility,
                fields: tsunagu_domain::trial::TrialFields {
                    employer: tsunagu_domain::employer::EmployerId(uuid::Uuid::from_u128(91)),
                    course: tsunagu_domain::trial::TrialCourse::ShortTime,
                    job: "パンの包装".into(),
                    starts_on: date!(2026 - 09 - 01),
                    planned_until: date!(2027 - 02 - 28),
                    steps: vec![
                        tsunagu_domain::trial::HoursStep { from: date!(2026 - 09 - 01), minutes: 12 * 60 },
                        tsunagu_domain::trial::HoursStep { from: date!(2026 - 12 - 01), minutes: 20 * 60 },
                    ],
                    ended_on: None,
                    outcome: None,
                    outcome_note: String::new(),
                    grants: vec![tsunagu_domain::trial::GrantDecision {
                        decided_on: date!(2026 - 11 - 20),
                        months: 3,
                        amount_yen: 120_000,
                    }],
                },
                recorded_by: worker,
                version: 3,
                updated_at: at,
            },
            "ひまわりベーカリー".into(),
            vec![tsunagu_domain::trial::TrialWeek {
                trial: tsunagu_domain::trial::TrialId(uuid::Uuid::from_u128(94)),
                prefecture: "13".into(),
                person,
                week_of: date!(2026 - 11 - 30),
                minutes: 18 * 60,
                recorded_by: worker,
                recorded_at: at,
            }],
        )],
        preferences: Some((
            tsunagu_domain::preferences::JobPreferences {
                person,
                prefecture: "13".into(),
                fields: tsunagu_domain::preferences::PreferenceFields {
                    areas: vec![tsunagu_domain::LocalGovCode::parse("131016").unwrap()],
                    needs: vec![tsunagu_domain::opening::Accommodation::QuietPlace],
                    note: Some("通勤は電車で30分まで".into()),
                },
                recorded_by: worker,
                version: 1,
                updated_at: at,
            },
            vec!["千代田区".into()],
        )),
        access_log: vec![AuditEntry {
            seq: 42,
            event: AuditEvent {
                at_micros: 1_764_061_200_000_000,
                actor: worker.0.to_string(),
                actor_label: "worker".into(),
                action: AuditAction::Read,
                record: format!("person:{}", person.0),
                person: person.0.to_string(),
                fields: vec!["name".into()],
                basis: format!("own_case:{}", centre.0),
            },
            prev_hash: "0".repeat(64),
            hash: "1".repeat(64),
        }],
    }
}
