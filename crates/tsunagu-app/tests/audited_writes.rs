//! Every use case that writes or reads personal data goes through the store's one audited entry
//! point: when the audit log refuses the append, the use case fails and the database is exactly
//! as it was — no person, consent, stage, record, plan, follow-up, referral, notice or provision
//! is left behind without its entry.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};

use deadpool_sqlite::rusqlite::Connection;
use deadpool_sqlite::rusqlite::types::ValueRef;
use tsunagu_app::{App, AppError};
use tsunagu_domain::account::Account;
use tsunagu_domain::consent::ConsentInput;
use tsunagu_domain::journey::{Stage, SupportInput};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::person::PersonInput;
use tsunagu_domain::plan::{PlanInput, ReviewInput};
use tsunagu_domain::referral::ReferralMove;

mod support;

use support::{new_person, test_app};

/// The application on the demo network, with a connection of its own to the database.
struct TestApp {
    t: support::TestApp,
    app: App,
    raw: Connection,
}

async fn spawn_app() -> TestApp {
    let t = test_app().seed(5).build().await;
    let (app, raw) = (t.app.clone(), t.raw());
    TestApp { t, app, raw }
}

impl TestApp {
    async fn account(&self, login: &str) -> Account {
        self.t.account(login).await
    }

    /// Every table's row count and a hash of its rows.
    fn fingerprint(&self) -> BTreeMap<String, (usize, u64)> {
        let tables: Vec<String> = self
            .raw
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        tables
            .into_iter()
            .map(|table| {
                let mut stmt = self.raw.prepare(&format!("SELECT * FROM {table}")).unwrap();
                let width = stmt.column_count();
                let mut rows: Vec<String> = Vec::new();
                let mut cursor = stmt.query([]).unwrap();
                while let Some(row) = cursor.next().unwrap() {
                    let cells: Vec<String> = (0..width)
                        .map(|i| match row.get_ref(i).unwrap() {
                            ValueRef::Null => "∅".to_owned(),
                            ValueRef::Integer(n) => n.to_string(),
                            ValueRef::Real(x) => x.to_string(),
                            ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
                        })
                        .collect();
                    rows.push(cells.join("\u{1f}"));
                }
                rows.sort();
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                rows.hash(&mut hasher);
                (table, (rows.len(), hasher.finish()))
            })
            .collect()
    }

    /// Runs `use_case` while the audit log refuses every append; it must fail and leave every
    /// table as it was.
    async fn refused<T: std::fmt::Debug>(&self, what: &str, use_case: impl Future<Output = Result<T, AppError>>) {
        self.raw
            .execute_batch(
                "CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log
                 BEGIN SELECT RAISE(ABORT, 'the audit log refuses appends'); END;",
            )
            .unwrap();
        let before = self.fingerprint();
        let outcome = use_case.await;
        let after = self.fingerprint();
        self.raw.execute_batch("DROP TRIGGER audit_refused").unwrap();
        assert!(matches!(outcome, Err(AppError::Store(_))), "{what}: expected a store error, got {outcome:?}");
        let changed: Vec<&String> = before.keys().filter(|t| before.get(*t) != after.get(*t)).collect();
        assert!(changed.is_empty(), "{what} left rows in {changed:?} although its audit entry failed");
    }
}

fn support_input(today: time::Date) -> SupportInput {
    SupportInput {
        kind: "consultation".into(),
        date: today.to_string(),
        minutes: "30".into(),
        note: "面談で体調を確認".into(),
        next_action: String::new(),
        next_action_on: String::new(),
    }
}

fn plan_input(today: time::Date) -> PlanInput {
    let review_on = today + time::Duration::days(30);
    PlanInput {
        goal: "週20時間の就労".into(),
        actions: "職場実習".into(),
        owner: "支援員".into(),
        review_on: review_on.to_string(),
    }
}

#[tokio::test]
async fn every_write_of_personal_data_fails_whole_when_its_audit_entry_cannot_be_appended() {
    let t = spawn_app().await;
    let worker = t.account("worker").await;
    let coach = t.account("coach").await;
    let person_account = t.account("person").await;
    let admin = t.account("admin").await;
    let person = person_account.person.unwrap();
    let coach_agency = coach.agency.unwrap();

    // What the writes below need, made while the log still takes appends: a person of the
    // worker's without a stage, placed so that follow-ups are due; a plan; a consent to
    // referral; a referral sent to the coach's agency.
    let fresh = t.app.register_person(&worker, &new_person("監査 太郎", "かんさ たろう", "1990-05-05")).await.unwrap();
    let placement = Stage::ALL.into_iter().find(|s| s.is_placement()).unwrap();
    let today = t.app.today().to_string();
    t.app.change_stage(&worker, fresh, placement.code(), &today, "内定", None).await.unwrap();
    let follow_up = t.app.store().follow_ups_of(fresh).await.unwrap()[0].id;
    let plan = t.app.create_plan(&worker, fresh, &plan_input(t.app.today())).await.unwrap();
    let referral_consent = ConsentInput {
        recipient_kind: "agency".into(),
        recipient_id: coach_agency.0.to_string(),
        purposes: vec!["referral".into()],
        categories: vec!["basic".into()],
        valid_from: "2020-01-01".into(),
        evidence: "own_account".into(),
        ..ConsentInput::default()
    };
    let consent = t.app.record_consent(&person_account, person, &referral_consent).await.unwrap();
    let referral =
        t.app.send_referral(&worker, person, &coach_agency.0.to_string(), "作業所での実習を相談したい").await.unwrap();
    let file = t.app.store().person_file(person).await.unwrap().unwrap();
    let next = Stage::ALL.into_iter().find(|s| tsunagu_domain::journey::check_transition(file.stage, *s).is_ok());

    t.refused("registration", t.app.register_person(&worker, &new_person("監査 花子", "かんさ はなこ", "1990-05-05")))
        .await;
    let mut edited = PersonInput::from_fields(&file.person.fields);
    edited.phone = "090-0000-1111".into();
    t.refused("edit", t.app.edit_person(&worker, person, file.person.version, &edited)).await;
    t.refused("consent", t.app.record_consent(&person_account, person, &referral_consent)).await;
    t.refused("withdrawal", t.app.revoke_consent(&person_account, person, consent)).await;
    t.refused("stage change", t.app.change_stage(&worker, person, next.unwrap().code(), &today, "", file.stage)).await;
    t.refused("placement", t.app.change_stage(&worker, person, placement.code(), &today, "", file.stage)).await;
    t.refused("support record", t.app.add_support_record(&worker, person, &support_input(t.app.today()))).await;
    t.refused("plan", t.app.create_plan(&worker, person, &plan_input(t.app.today()))).await;
    let review = ReviewInput { note: "順調".into(), outcome: "achieved".into(), next_review_on: String::new() };
    t.refused("plan review", t.app.review_plan(&worker, fresh, plan, &review)).await;
    t.refused("follow-up done", t.app.complete_follow_up(&worker, fresh, follow_up, "電話で確認")).await;
    t.refused("referral", t.app.send_referral(&worker, person, &coach_agency.0.to_string(), "再送")).await;
    t.refused("referral accepted", t.app.move_referral(&coach, referral, ReferralMove::Accept, "")).await;
    t.refused("referral revoked", t.app.move_referral(&worker, referral, ReferralMove::Revoke, "")).await;
    let persons_file = "氏名,ふりがな,生年月日,障害種別,同意日,同意の方法,同意書の保管場所\n\
        取込 一郎,とりこみ いちろう,1995-04-01,精神,2026-04-01,書面,相談記録ファイル\n";
    t.refused("persons import", t.app.import_persons(&worker, persons_file.as_bytes(), false)).await;
    let records_file = format!("本人ID,日付,種別,時間(分),内容\n{},{today},相談,30,体調を確認\n", person.0);
    t.refused("support records import", t.app.import_support_records(&worker, records_file.as_bytes())).await;
    // A program manager's figure is no personal data, but it goes through the same commit.
    let manager = t.account("manager").await;
    let figure = tsunagu_domain::program::FigureInput {
        indicator: "3-1.advisers".into(),
        year: tsunagu_domain::program::FiscalYear::of(t.app.today()).0.to_string(),
        kind: "actual".into(),
        value: "150".into(),
        ..Default::default()
    };
    let program = tsunagu_domain::program::ProgramCode::parse("3-1").unwrap();
    t.refused("figure", t.app.record_figure(&manager, &program, &figure)).await;

    // Reads are audited the same way: nothing read leaves, and no provision is recorded.
    t.refused("record read", async { t.app.open_person(&worker, person, None).await?.confirmed().await }).await;
    t.refused("record read on a consent", async { t.app.open_person(&coach, person, None).await?.confirmed().await })
        .await;
    t.refused("override", async {
        t.app.open_person(&admin, fresh, Some("緊急の連絡が必要なため")).await?.confirmed().await
    })
    .await;
    t.refused("timeline", t.app.timeline(&worker, person)).await;
    t.refused("disclosure", t.app.disclosure(&person_account, person)).await;
    t.refused("caseload", t.app.caseload(&worker, &Default::default(), 1)).await;
}

#[tokio::test]
async fn the_writes_go_through_once_the_log_takes_appends_again() {
    let t = spawn_app().await;
    let worker = t.account("worker").await;
    t.refused("registration", t.app.register_person(&worker, &new_person("監査 次郎", "かんさ じろう", "1990-05-05")))
        .await;
    let id: PersonId =
        t.app.register_person(&worker, &new_person("監査 次郎", "かんさ じろう", "1990-05-05")).await.unwrap();
    assert!(t.app.store().person_file(id).await.unwrap().is_some());
    assert!(matches!(t.app.verify_audit().await.unwrap(), tsunagu_app::audit::AuditCheck::Intact { .. }));
}
