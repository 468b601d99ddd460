//! The cases. Each takes a fresh, migrated, empty store.

use std::sync::Arc;

use time::OffsetDateTime;
use time::macros::datetime;
use tsunagu_app::App;
use tsunagu_app::directory::AgencySearch;
use tsunagu_app::index::DirectoryIndex;
use tsunagu_domain::directory::{AgencyId, AgencyKind, BlockCode, WelfareService};
use tsunagu_store::Duplicates;
use tsunagu_store::{Change, Commit, Store, StoreError};
use uuid::Uuid;

use crate::fixtures::{agency, blocks, lg, municipalities, seed_reference, stage_change, support_record};
use crate::writes::Writes;

type S = Arc<dyn Store>;

/// The first caseload page of `agency` (10 persons) with what falls due by `due_by`.
async fn caseload_page(store: &S, agency: AgencyId, due_by: time::Date) -> tsunagu_store::CaseloadPage {
    store.caseload_page(agency, &Default::default(), 0, 10, due_by, 10).await.expect("caseload page")
}

/// How many open cases `agency` holds.
async fn caseload_size(store: &S, agency: AgencyId) -> u64 {
    caseload_page(store, agency, time::macros::date!(2000 - 01 - 01)).await.total
}

fn query() -> AgencySearch {
    AgencySearch { page: 1, ..Default::default() }
}

/// Searches through the application, so the snapshot and the index are exercised on each engine.
async fn names(store: &S, q: AgencySearch) -> Vec<String> {
    let app = App::with_defaults(Arc::clone(store));
    app.search_agencies(&q).await.expect("search").rows.into_iter().map(|r| r.name).collect()
}

/// Running the migrations again changes nothing.
pub async fn migrations_run_once(store: S) {
    assert_eq!(store.migrate().await.expect("second migrate"), 0);
    store.ping().await.expect("ping");
}

/// Blocks come back in position order, municipalities by code, every field intact.
pub async fn blocks_and_municipalities_round_trip(store: S) {
    seed_reference(store.as_ref()).await;
    assert_eq!(store.list_blocks().await.expect("blocks"), blocks());
    assert_eq!(store.list_municipalities().await.expect("municipalities"), municipalities());
}

/// A municipality's block and flags can be changed; an unknown one is reported.
pub async fn municipality_changes_are_saved(store: S) {
    seed_reference(store.as_ref()).await;
    let mut m = municipalities().remove(0);
    m.block = BlockCode("joto".into());
    m.block_provisional = false;
    m.has_development_coordinator = true;
    store.update_municipality(&m).await.expect("update");
    assert_eq!(store.list_municipalities().await.expect("list")[0], m);
    m.code = lg("131059");
    assert!(matches!(store.update_municipality(&m).await, Err(StoreError::NotFound)));
    let mut b = blocks().remove(0);
    b.name_en = "North of the castle".into();
    store.update_block(&b).await.expect("update block");
    assert_eq!(store.list_blocks().await.expect("blocks")[0], b);
}

/// Every agency field survives a write and a read.
pub async fn agencies_round_trip_with_every_field(store: S) {
    seed_reference(store.as_ref()).await;
    let mut a = agency(
        1,
        AgencyKind::WelfareFacility,
        "就労移行支援事業所つなぐ",
        "しゅうろういこうしえんじぎょうしょつなぐ",
        Some("131041"),
    );
    a.fields.postal_code = Some("160-0023".into());
    a.fields.address = Some("東京都新宿区西新宿2-8-1".into());
    a.fields.phone = Some("03-5320-0000".into());
    a.fields.fax = Some("03-5320-0001".into());
    a.fields.opening_hours = Some("平日 9:00〜17:00（土日祝は休み）".into());
    a.fields.email = Some("info@example.jp".into());
    a.fields.website = Some("https://example.jp/".into());
    a.fields.services = vec![WelfareService::TransitionSupport, WelfareService::RetentionSupport];
    a.fields.notes = Some("見学は要予約\n土曜休み".into());
    a.updated_at = datetime!(2026-11-25 10:15:30.123456 +09:00);
    let mut school =
        agency(2, AgencyKind::SpecialNeedsSchool, "都立特別支援学校", "とりつとくべつしえんがっこう", None);
    school.fields.block = Some(BlockCode("joto".into()));
    school.fields.departments = vec!["就業技術科".into(), "職能開発科".into()];
    store.insert_agencies(&[a.clone(), school.clone()]).await.expect("insert");
    assert_eq!(store.get_agency(a.id).await.expect("get"), Some(a.clone()));
    assert_eq!(store.get_agency(school.id).await.expect("get"), Some(school.clone()));
    assert_eq!(store.get_agency(AgencyId(Uuid::from_u128(99))).await.expect("get"), None);
    assert_eq!(store.all_agencies().await.expect("all"), vec![school, a]);
}

/// A batch with one bad row writes nothing.
pub async fn agency_batches_are_all_or_nothing(store: S) {
    seed_reference(store.as_ref()).await;
    let first = agency(1, AgencyKind::HelloWork, "ハローワーク飯田橋", "はろーわーくいいだばし", Some("131016"));
    let again = agency(1, AgencyKind::HelloWork, "ハローワーク新宿", "はろーわーくしんじゅく", Some("131041"));
    let err = store.insert_agencies(&[first, again]).await.expect_err("duplicate id");
    assert!(matches!(err, StoreError::Duplicate { .. }), "{err:?}");
    assert!(store.all_agencies().await.expect("all").is_empty());
}

/// An edit based on an old version is refused and names the current one.
pub async fn agency_updates_are_refused_when_stale(store: S) {
    seed_reference(store.as_ref()).await;
    let a = agency(1, AgencyKind::HelloWork, "ハローワーク飯田橋", "はろーわーくいいだばし", Some("131016"));
    store.insert_agencies(std::slice::from_ref(&a)).await.expect("insert");
    let mut first = a.clone();
    first.version = 2;
    first.fields.phone = Some("03-3262-8609".into());
    store.update_agency(&first).await.expect("first edit");
    let mut stale = a.clone();
    stale.version = 2;
    stale.fields.phone = Some("03-0000-0000".into());
    assert!(matches!(store.update_agency(&stale).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.get_agency(a.id).await.expect("get"), Some(first));
}

/// Updating an agency that does not exist says so.
pub async fn updating_a_missing_agency_reports_not_found(store: S) {
    let mut a = agency(7, AgencyKind::HelloWork, "ハローワーク", "はろーわーく", None);
    a.version = 2;
    assert!(matches!(store.update_agency(&a).await, Err(StoreError::NotFound)));
}

/// Folded text matches names, readings and addresses, whatever the width or kana.
pub async fn search_matches_folded_text_anywhere(store: S) {
    seed_reference(store.as_ref()).await;
    let mut a = agency(1, AgencyKind::HelloWork, "ハローワーク飯田橋", "はろーわーくいいだばし", Some("131016"));
    a.fields.address = Some("千代田区飯田橋3-5-1".into());
    let b = agency(
        2,
        AgencyKind::MunicipalSupportCentre,
        "新宿区勤労者・仕事支援センター",
        "しんじゅくくきんろうしゃしごとしえんせんたー",
        Some("131041"),
    );
    store.insert_agencies(&[a, b]).await.expect("insert");
    for (typed, expected) in [
        ("ﾊﾛｰﾜｰｸ", vec!["ハローワーク飯田橋"]),
        ("はろーわーく", vec!["ハローワーク飯田橋"]),
        ("イイダバシ", vec!["ハローワーク飯田橋"]),
        ("３－５－１", vec!["ハローワーク飯田橋"]),
        ("センター", vec!["新宿区勤労者・仕事支援センター"]),
        ("存在しない", vec![]),
    ] {
        let q = AgencySearch { text: Some(typed.into()), ..query() };
        assert_eq!(names(&store, q).await, expected, "{typed}");
    }
}

/// `%` and `_` typed by a user are not wildcards.
pub async fn search_treats_wildcards_literally(store: S) {
    seed_reference(store.as_ref()).await;
    let a = agency(1, AgencyKind::CommerceBody, "100%商工会", "ひゃくぱーせんとしょうこうかい", None);
    let b = agency(2, AgencyKind::CommerceBody, "商工会議所", "しょうこうかいぎしょ", None);
    store.insert_agencies(&[a, b]).await.expect("insert");
    assert_eq!(names(&store, AgencySearch { text: Some("%".into()), ..query() }).await, ["100%商工会"]);
    assert!(names(&store, AgencySearch { text: Some("_".into()), ..query() }).await.is_empty());
}

/// Block, kind and municipality filters combine.
pub async fn search_filters_by_block_kind_and_municipality(store: S) {
    seed_reference(store.as_ref()).await;
    let mut wide = agency(3, AgencyKind::EmploymentLifeSupportCentre, "城東センター", "じょうとうせんたー", None);
    wide.fields.block = Some(BlockCode("joto".into()));
    store
        .insert_agencies(&[
            agency(1, AgencyKind::HelloWork, "ハローワーク飯田橋", "はろーわーくいいだばし", Some("131016")),
            agency(2, AgencyKind::HelloWork, "ハローワーク上野", "はろーわーくうえの", Some("131067")),
            wide,
            agency(4, AgencyKind::MunicipalSupportCentre, "新宿区センター", "しんじゅくくせんたー", Some("131041")),
        ])
        .await
        .expect("insert");
    let joto = Some(BlockCode("joto".into()));
    assert_eq!(
        names(&store, AgencySearch { block: joto.clone(), ..query() }).await,
        ["ハローワーク上野", "城東センター"]
    );
    assert_eq!(
        names(&store, AgencySearch { block: joto, kind: Some(AgencyKind::HelloWork), ..query() }).await,
        ["ハローワーク上野"]
    );
    assert_eq!(names(&store, AgencySearch { municipality: Some(lg("131041")), ..query() }).await, ["新宿区センター"]);
    let app = App::with_defaults(Arc::clone(&store));
    let page = app
        .search_agencies(&AgencySearch { block: Some(BlockCode("johoku".into())), ..query() })
        .await
        .expect("search");
    assert_eq!(page.total, 2);
    assert_eq!(page.rows[0].municipality_name.as_deref(), Some("千代田区"));
    assert_eq!(page.rows[0].block, Some(BlockCode("johoku".into())));
}

/// Moving a municipality to another block moves its agencies with it.
pub async fn search_block_follows_the_municipality(store: S) {
    seed_reference(store.as_ref()).await;
    store
        .insert_agencies(&[agency(
            1,
            AgencyKind::HelloWork,
            "ハローワーク飯田橋",
            "はろーわーくいいだばし",
            Some("131016"),
        )])
        .await
        .expect("insert");
    let mut m = municipalities().remove(0);
    m.block = BlockCode("joto".into());
    store.update_municipality(&m).await.expect("move");
    let q = AgencySearch { block: Some(BlockCode("joto".into())), ..query() };
    assert_eq!(names(&store, q).await, ["ハローワーク飯田橋"]);
}

/// The snapshot lists agencies by kind, then reading; the index pages through them.
pub async fn search_pages_in_a_stable_order(store: S) {
    seed_reference(store.as_ref()).await;
    let kana = ["あ", "い", "う", "え", "お", "か", "き"];
    let mut agencies: Vec<_> = kana
        .iter()
        .enumerate()
        .map(|(i, k)| agency(i as u128 + 10, AgencyKind::WelfareFacility, &format!("施設{k}"), k, None))
        .collect();
    agencies.push(agency(1, AgencyKind::HelloWork, "ハローワーク", "ん", None));
    agencies.reverse();
    store.insert_agencies(&agencies).await.expect("insert");
    let index = DirectoryIndex::new(store.directory_snapshot().await.expect("snapshot"));
    let page = |offset| index.search(None, &query(), offset, 3);
    let first = page(0);
    assert_eq!(first.total, 8);
    assert_eq!(first.rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["ハローワーク", "施設あ", "施設い"]);
    assert_eq!(page(6).rows.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["施設か", "施設き"]);
    assert!(page(9).rows.is_empty());
}

/// Every write to blocks, municipalities or agencies moves the revision; reads do not.
pub async fn every_directory_write_moves_the_revision(store: S) {
    let mut last = store.directory_revision().await.expect("revision");
    let mut moved = |now: i64, what: &str| {
        assert!(now > last, "{what} did not move the revision");
        last = now;
    };
    seed_reference(store.as_ref()).await;
    moved(store.directory_revision().await.expect("revision"), "seeding");
    let a = agency(1, AgencyKind::HelloWork, "ハローワーク飯田橋", "はろーわーくいいだばし", Some("131016"));
    store.insert_agencies(std::slice::from_ref(&a)).await.expect("insert");
    moved(store.directory_revision().await.expect("revision"), "insert");
    let mut b = a.clone();
    b.version = 2;
    store.update_agency(&b).await.expect("update");
    moved(store.directory_revision().await.expect("revision"), "update");
    let mut m = municipalities().remove(0);
    m.runs_support_centre = false;
    store.update_municipality(&m).await.expect("municipality");
    moved(store.directory_revision().await.expect("revision"), "municipality");
    store.update_block(&blocks().remove(0)).await.expect("block");
    moved(store.directory_revision().await.expect("revision"), "block");
    let snapshot = store.directory_snapshot().await.expect("snapshot");
    assert_eq!(snapshot.revision, last, "a snapshot carries the revision it was read at");
    assert_eq!(store.directory_revision().await.expect("revision"), last, "reads leave it alone");
    assert_eq!(snapshot.agencies[0].search_key, b.fields.search_key());
    assert_eq!(snapshot.agencies[0].municipality, Some(lg("131016")));
}

/// Two employers cannot share a 法人番号; the failed batch writes nothing.
pub async fn employers_are_unique_by_corporate_number(store: S) {
    seed_reference(store.as_ref()).await;
    let e = |n: u128, name: &str| crate::fixtures::employer(n, 12050002, name, "かぶしきがいしゃ", 'G');
    store.insert_employers(&[e(1, "株式会社つなぐ")]).await.expect("first");
    let err = store.insert_employers(&[e(2, "別会社"), e(3, "同番号")]).await.expect_err("duplicate");
    assert!(matches!(err, StoreError::Duplicate { .. }), "{err:?}");
    assert_eq!(store.count_employers().await.expect("count"), 1);
}

/// An import inserts and updates in one transaction; a stale row undoes the whole import.
pub async fn agency_imports_apply_whole_or_not_at_all(store: S) {
    seed_reference(store.as_ref()).await;
    let existing = agency(1, AgencyKind::HelloWork, "ハローワーク飯田橋", "はろーわーくいいだばし", Some("131016"));
    store.insert_agencies(std::slice::from_ref(&existing)).await.expect("insert");
    let new = agency(2, AgencyKind::HelloWork, "ハローワーク上野", "はろーわーくうえの", Some("131067"));
    let mut stale = existing.clone();
    stale.version = 5;
    let err = store.import_agencies(std::slice::from_ref(&new), &[stale]).await.expect_err("stale");
    assert!(matches!(err, StoreError::Conflict { current: 1 }), "{err:?}");
    assert_eq!(store.all_agencies().await.expect("all"), vec![existing.clone()]);
    let mut changed = existing.clone();
    changed.version = 2;
    changed.fields.phone = Some("03-3262-8609".into());
    store.import_agencies(std::slice::from_ref(&new), std::slice::from_ref(&changed)).await.expect("import");
    assert_eq!(store.all_agencies().await.expect("all"), vec![changed, new]);
}

fn account(n: u128, login: &str) -> tsunagu_domain::account::Account {
    tsunagu_domain::account::Account {
        id: tsunagu_domain::account::AccountId(Uuid::from_u128(n)),
        login: login.into(),
        display_name: "佐藤 花子".into(),
        agency: None,
        roles: vec![tsunagu_domain::account::Role::SupportWorker, tsunagu_domain::account::Role::JobCoach],
        password_hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        disabled: false,
        sessions_valid_after: datetime!(2026-04-01 0:00 UTC),
        person: None,
        employer: None,
    }
}

/// An account's calendar feed is found by its secret's hash; a new one replaces it, and a
/// stopped one is found no more.
pub async fn calendar_feeds_are_one_an_account_and_stop(store: S) {
    seed_reference(store.as_ref()).await;
    let a = account(1, "sato");
    store.insert_account(&a).await.expect("account");
    let at = datetime!(2026-11-02 9:00 UTC);
    let set = |hash: Option<&str>| {
        Commit::new(crate::writes::entry_for("calendar_feed")).with(Change::SetCalendarFeed {
            account: a.id,
            key_hash: hash.map(str::to_owned),
            at,
        })
    };
    assert_eq!(store.calendar_feed_of(a.id).await.expect("none yet"), None);
    store.commit(set(Some("aa"))).await.expect("started");
    assert_eq!(store.login_of_calendar_feed("aa").await.expect("found"), Some("sato".to_owned()));
    assert_eq!(store.calendar_feed_of(a.id).await.expect("since"), Some(at));
    store.commit(set(Some("bb"))).await.expect("started afresh");
    assert_eq!(store.login_of_calendar_feed("aa").await.expect("old"), None, "the old secret stops");
    assert_eq!(store.login_of_calendar_feed("bb").await.expect("new"), Some("sato".to_owned()));
    store.commit(set(None)).await.expect("stopped");
    assert_eq!(store.login_of_calendar_feed("bb").await.expect("stopped"), None);
    assert_eq!(store.calendar_feed_of(a.id).await.expect("none"), None);
}

/// Accounts read back whole; a login can be taken once.
pub async fn accounts_round_trip_and_logins_are_unique(store: S) {
    seed_reference(store.as_ref()).await;
    let hw = agency(5, AgencyKind::HelloWork, "ハローワーク飯田橋", "はろーわーくいいだばし", Some("131016"));
    store.insert_agencies(std::slice::from_ref(&hw)).await.expect("agency");
    let mut a = account(1, "sato");
    a.agency = Some(hw.id);
    store.insert_account(&a).await.expect("insert");
    assert_eq!(store.account_by_login("sato").await.expect("read"), Some(a));
    assert_eq!(store.account_by_login("suzuki").await.expect("read"), None);
    let err = store.insert_account(&account(2, "sato")).await.expect_err("taken");
    assert!(matches!(err, StoreError::Duplicate { .. }), "{err:?}");
    assert_eq!(store.count_accounts().await.expect("count"), 1);
}

/// A session reads back with its account; voiding deletes every session of the account. (Its
/// count of unread notices is checked with the referrals that leave them.)
pub async fn sessions_join_their_account_and_can_be_voided(store: S) {
    let a = account(1, "sato");
    store.insert_account(&a).await.expect("account");
    let session = |hash: &str| tsunagu_store::Session {
        token_hash: hash.into(),
        account: a.id,
        csrf_token: "csrf".into(),
        created_at: datetime!(2026-11-25 9:00 UTC),
        expires_at: datetime!(2026-11-25 17:00 UTC),
        unread_notices: 0,
    };
    store.insert_session(&session("h1")).await.expect("session 1");
    store.insert_session(&session("h2")).await.expect("session 2");
    assert_eq!(store.session("h1").await.expect("read"), Some((session("h1"), a.clone())));
    store.delete_session("h1").await.expect("delete");
    assert_eq!(store.session("h1").await.expect("read"), None);
    let at = datetime!(2026-11-25 12:00 UTC);
    store.void_sessions(a.id, at).await.expect("void");
    assert_eq!(store.session("h2").await.expect("read"), None);
    assert_eq!(store.account_by_login("sato").await.expect("read").map(|a| a.sessions_valid_after), Some(at));
}

/// Failed sign-ins are counted per key within a window and can be cleared.
pub async fn failed_logins_are_counted_per_key_within_the_window(store: S) {
    let t = |m: u8| datetime!(2026-11-25 9:00 UTC) + time::Duration::minutes(i64::from(m));
    let keys = ["login:sato".to_owned(), "addr:127.0.0.1".to_owned()];
    store.record_failed_login(&keys, t(0)).await.expect("record");
    store.record_failed_login(&keys, t(10)).await.expect("record");
    store.record_failed_login(&keys[1..], t(20)).await.expect("record");
    assert_eq!(store.failed_logins_since("login:sato", t(0)).await.expect("count"), 2);
    assert_eq!(store.failed_logins_since("login:sato", t(5)).await.expect("count"), 1);
    assert_eq!(store.failed_logins_since("addr:127.0.0.1", t(0)).await.expect("count"), 3);
    store.clear_failed_logins("login:sato").await.expect("clear");
    assert_eq!(store.failed_logins_since("login:sato", t(0)).await.expect("count"), 0);
    assert_eq!(store.failed_logins_since("addr:127.0.0.1", t(0)).await.expect("count"), 3);
}

fn audit_event(n: i64) -> tsunagu_domain::audit::AuditEvent {
    tsunagu_domain::audit::AuditEvent {
        at_micros: 1_764_000_000_000_000 + n,
        actor: format!("{}", Uuid::from_u128(n as u128)),
        actor_label: "worker".into(),
        action: tsunagu_domain::audit::AuditAction::Update,
        record: format!("agency:{n}"),
        person: String::new(),
        fields: vec!["phone".into(), "email".into()],
        basis: "directory_policy".into(),
    }
}

fn verify_all(entries: &[tsunagu_domain::audit::AuditEntry]) {
    let mut v = tsunagu_domain::audit::Verifier::default();
    for e in entries {
        v.check(e).unwrap_or_else(|t| panic!("{t}"));
    }
}

/// Appended entries read back exactly, chained from the genesis hash.
pub async fn audit_entries_chain_and_read_back(store: S) {
    let mut appended = Vec::new();
    for n in 1..=3 {
        appended.push(store.append_audit(&audit_event(n)).await.expect("append"));
    }
    assert_eq!(appended.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(appended[0].prev_hash, tsunagu_domain::audit::GENESIS);
    let read = store.audit_entries(0, 10).await.expect("read");
    assert_eq!(read, appended);
    verify_all(&read);
    assert_eq!(store.audit_entries(2, 10).await.expect("read"), appended[2..]);
    assert_eq!(store.audit_entries(0, 2).await.expect("read"), appended[..2]);
}

/// Appends racing each other still form one unbroken chain.
pub async fn concurrent_audit_appends_form_one_chain(store: S) {
    let tasks: Vec<_> = (1..=16)
        .map(|n| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.append_audit(&audit_event(n)).await.expect("append") })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    let read = store.audit_entries(0, 100).await.expect("read");
    assert_eq!(read.iter().map(|e| e.seq).collect::<Vec<_>>(), (1..=16).collect::<Vec<_>>());
    verify_all(&read);
}

/// The audit log is searched newest first by actor, record prefix and action, a page at a time.
pub async fn audit_searches_filter_and_page_newest_first(store: S) {
    for n in 1..=6 {
        let mut e = audit_event(n);
        e.actor_label = if n % 2 == 0 { "sato".into() } else { "suzuki".into() };
        if n == 5 {
            e.action = tsunagu_domain::audit::AuditAction::SignIn;
            e.record = "account:suzuki".into();
        }
        store.append_audit(&e).await.expect("append");
    }
    let seqs = |q: tsunagu_store::AuditQuery| {
        let store = Arc::clone(&store);
        async move { store.search_audit(&q).await.expect("search").iter().map(|e| e.seq).collect::<Vec<_>>() }
    };
    let q = || tsunagu_store::AuditQuery { limit: 10, ..Default::default() };
    assert_eq!(seqs(q()).await, [6, 5, 4, 3, 2, 1]);
    assert_eq!(seqs(tsunagu_store::AuditQuery { actor_label: Some("sato".into()), ..q() }).await, [6, 4, 2]);
    assert_eq!(seqs(tsunagu_store::AuditQuery { record_prefix: Some("account:".into()), ..q() }).await, [5]);
    assert_eq!(
        seqs(tsunagu_store::AuditQuery { record_prefix: Some("agency:%".into()), ..q() }).await,
        Vec::<i64>::new()
    );
    let sign_ins = tsunagu_store::AuditQuery { action: Some(tsunagu_domain::audit::AuditAction::SignIn), ..q() };
    assert_eq!(seqs(sign_ins).await, [5]);
    assert_eq!(seqs(tsunagu_store::AuditQuery { before: Some(4), limit: 2, ..q() }).await, [3, 2]);
}

/// API tokens read back with their account; only their owner can revoke them.
pub async fn api_tokens_round_trip_and_are_revoked_by_their_owner(store: S) {
    use tsunagu_domain::account::{ApiScope, ApiToken, ApiTokenId};
    let owner = account(1, "sato");
    let other = account(2, "suzuki");
    store.insert_account(&owner).await.expect("owner");
    store.insert_account(&other).await.expect("other");
    let token = |n: u128, minute: u8| ApiToken {
        id: ApiTokenId(Uuid::from_u128(n)),
        account: owner.id,
        name: format!("連携{n}"),
        token_hash: format!("hash{n}"),
        scopes: vec![ApiScope::DirectoryWrite, ApiScope::AuditRead],
        created_at: datetime!(2026-11-25 9:00 UTC) + time::Duration::minutes(i64::from(minute)),
        revoked_at: None,
    };
    store.insert_api_token(&token(10, 0)).await.expect("token 10");
    store.insert_api_token(&token(11, 5)).await.expect("token 11");
    assert_eq!(store.api_token("hash10").await.expect("read"), Some((token(10, 0), owner.clone())));
    assert_eq!(store.api_token("nope").await.expect("read"), None);
    let listed: Vec<_> = store.api_tokens_of(owner.id).await.expect("list").into_iter().map(|t| t.id).collect();
    assert_eq!(listed, [token(11, 5).id, token(10, 0).id], "newest first");
    let at = datetime!(2026-11-25 10:00 UTC);
    let refused = store.revoke_api_token(other.id, token(10, 0).id, at).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "only the owner revokes");
    store.revoke_api_token(owner.id, token(10, 0).id, at).await.expect("revoke");
    store.revoke_api_token(owner.id, token(10, 0).id, at + time::Duration::hours(1)).await.expect("again");
    let revoked = store.api_token("hash10").await.expect("read").expect("still listed").0;
    assert_eq!(revoked.revoked_at, Some(at), "the first revocation stands");
}

/// Consents and provisions read back whole; a revocation keeps its first time.
pub async fn consents_and_provisions_round_trip(store: S) {
    use time::macros::date;
    use tsunagu_domain::consent::{
        Consent, ConsentId, ConsentRecord, DataCategory, Evidence, Provision, Purpose, Recipient,
    };
    use tsunagu_domain::person::PersonId;
    let person = PersonId(Uuid::from_u128(7));
    let record = |n: u128, recipient: Recipient| ConsentRecord {
        prefecture: "13".into(),
        consent: Consent {
            id: ConsentId(Uuid::from_u128(n)),
            person,
            recipient,
            purposes: vec![Purpose::Support, Purpose::Referral],
            categories: vec![DataCategory::Basic, DataCategory::Health],
            valid_from: date!(2026 - 04 - 01),
            valid_to: if n == 1 { Some(date!(2027 - 03 - 31)) } else { None },
            revoked_at: None,
        },
        evidence: if n == 1 { Evidence::PaperForm } else { Evidence::OwnAccount },
        evidence_note: "同意書はケースファイル3番に保管".into(),
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        recorded_at: datetime!(2026-11-25 9:00 UTC) + time::Duration::minutes(n as i64),
    };
    let first = record(1, Recipient::Agency(AgencyId(Uuid::from_u128(5))));
    let second = record(2, Recipient::Block(BlockCode("johoku".into())));
    store.insert_consent(&first).await.expect("first");
    store.insert_consent(&second).await.expect("second");
    store
        .insert_consent(&record(3, Recipient::Employer(tsunagu_domain::employer::EmployerId(Uuid::from_u128(9)))))
        .await
        .expect("third");
    let read = store.consents_of(person).await.expect("read");
    assert_eq!(read.len(), 3);
    assert_eq!(read[0], first);
    assert_eq!(read[1], second);
    assert!(store.consents_of(PersonId(Uuid::from_u128(8))).await.expect("read").is_empty());
    let at = datetime!(2026-11-25 12:00 UTC);
    store.revoke_consent(first.consent.id, at).await.expect("revoke");
    store.revoke_consent(first.consent.id, at + time::Duration::hours(1)).await.expect("again");
    assert_eq!(store.consents_of(person).await.expect("read")[0].consent.revoked_at, Some(at));
    let missing = store.revoke_consent(ConsentId(Uuid::from_u128(99)), at).await;
    assert!(matches!(missing, Err(StoreError::NotFound)));

    let provision = Provision {
        prefecture: "13".into(),
        id: Uuid::from_u128(50),
        at,
        person,
        recipient: Recipient::Agency(AgencyId(Uuid::from_u128(6))),
        items: vec!["basic".into(), "support".into()],
        consent: second.consent.id,
        provided_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
    };
    store.insert_provision(&provision).await.expect("provision");
    assert_eq!(store.provisions_of(person).await.expect("read"), vec![provision]);
}

/// A registration for person `n` at agency `agency`, with kana `kana`.
pub fn registration(
    n: u128,
    agency: AgencyId,
    kana: &str,
    duplicates: tsunagu_store::Duplicates,
) -> tsunagu_store::Registration {
    use time::macros::date;
    use tsunagu_domain::consent::{Consent, ConsentId, ConsentRecord, DataCategory, Evidence, Purpose, Recipient};
    use tsunagu_domain::person::PersonId;
    use tsunagu_domain::person::{Certificate, DisabilityCategory, Person, PersonFields};
    let person = PersonId(Uuid::from_u128(n));
    let at = datetime!(2026-11-25 9:00 UTC) + time::Duration::minutes(n as i64);
    let recorder = tsunagu_domain::account::AccountId(Uuid::from_u128(1));
    tsunagu_store::Registration {
        person: Person {
            id: person,
            prefecture: "13".into(),
            fields: PersonFields {
                name: format!("利用者{n}"),
                name_kana: kana.into(),
                birth_date: date!(1998 - 07 - 14),
                phone: Some("090-1234-5678".into()),
                email: None,
                address: Some("東京都豊島区東池袋1-1-1".into()),
                categories: vec![DisabilityCategory::Intellectual, DisabilityCategory::Developmental],
                certificates: vec![Certificate::AiNoTecho(3)],
                accommodations: Some("指示は一つずつ、紙で".into()),
                health_notes: None,
                preferred_hours: Some(30),
                preferred_area: Some("豊島区・板橋区".into()),
                emergency_contact: Some("母 利用者".into()),
                emergency_phone: Some("080-1234-5678".into()),
            },
            registered_by: agency,
            version: 1,
            created_at: at,
            updated_at: at,
        },
        consents: vec![ConsentRecord {
            prefecture: "13".into(),
            consent: Consent {
                id: ConsentId(Uuid::from_u128(n + 1000)),
                person,
                recipient: Recipient::Agency(agency),
                purposes: vec![Purpose::Support],
                categories: vec![DataCategory::Basic, DataCategory::Support, DataCategory::Disability],
                valid_from: date!(2026 - 11 - 25),
                valid_to: None,
                revoked_at: None,
            },
            evidence: Evidence::PaperForm,
            evidence_note: "同意書 原本保管".into(),
            recorded_by: recorder,
            recorded_at: at,
        }],
        case: tsunagu_domain::case::CaseRecord {
            id: Uuid::from_u128(n + 2000),
            prefecture: "13".into(),
            person,
            agency,
            opened_on: date!(2026 - 11 - 25),
            closed_on: None,
            opened_by: recorder,
        },
        duplicates,
    }
}

/// A registration writes person, consent, case and links together; the file reads them back.
pub async fn persons_register_with_consent_case_and_links(store: S) {
    use tsunagu_domain::person::PersonId;
    use tsunagu_domain::person::duplicate_key;
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    let other = agency(6, AgencyKind::EmploymentLifeSupportCentre, "別センター", "べつせんたー", Some("131041"));
    store.insert_agencies(&[centre.clone(), other.clone()]).await.expect("agencies");
    let first = registration(1, centre.id, "やまだ たろう", Duplicates::Link(vec![]));
    store.register_person(&first).await.expect("register");
    let file = store.person_file(PersonId(Uuid::from_u128(1))).await.expect("read").expect("found");
    assert_eq!(file.person, first.person, "every field reads back");
    assert_eq!(file.cases, std::slice::from_ref(&first.case));
    assert_eq!(file.consents, first.consents);
    assert!(file.links.is_empty());
    assert_eq!(store.person_file(PersonId(Uuid::from_u128(99))).await.expect("read"), None);

    let key = duplicate_key("ヤマダ タロウ", first.person.fields.birth_date);
    let nobody = duplicate_key("だれでもない", first.person.fields.birth_date);
    let found = store.persons_with_duplicate_keys(&[nobody, key.clone()]).await.expect("duplicates");
    let expected =
        tsunagu_store::DuplicateMatch { key: key.clone(), person: first.person.id, open_at: vec![centre.id] };
    assert_eq!(found, [expected], "katakana and spaces fold to the same key");

    let second = registration(2, other.id, "やまだたろう", Duplicates::Link(vec![first.person.id]));
    store.register_person(&second).await.expect("second");
    let linked = store.person_file(first.person.id).await.expect("read").expect("found");
    assert_eq!(linked.links, [second.person.id], "links go both ways");

    // A failing registration writes nothing: the same person id again.
    let again = registration(2, centre.id, "べつじん", Duplicates::Link(vec![]));
    assert!(store.register_person(&again).await.is_err());
    assert_eq!(caseload_size(&store, centre.id).await, 1, "no case was left behind");
    assert_eq!(store.consents_of(PersonId(Uuid::from_u128(2))).await.expect("consents").len(), 1);
}

/// Whether a registration may join persons of the same reading and birth date is decided where
/// it is written: refused (nothing written) or linked to every one of them, also under 50
/// concurrent registrations of one person.
pub async fn duplicates_are_decided_where_the_registration_is_written(store: S) {
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let first = registration(1, centre.id, "さとう はなこ", Duplicates::Refuse);
    store.register_person(&first).await.expect("the first");
    let again = registration(2, centre.id, "サトウ ハナコ", Duplicates::Refuse);
    let refused = store.register_person(&again).await;
    assert!(matches!(refused, Err(StoreError::Duplicate { what: "person" })), "{refused:?}");
    assert_eq!(caseload_size(&store, centre.id).await, 1, "nothing of the refused one was written");
    let confirmed = registration(3, centre.id, "さとうはなこ", Duplicates::LinkAll);
    store.register_person(&confirmed).await.expect("confirmed");
    let file = store.person_file(first.person.id).await.expect("read").expect("found");
    assert_eq!(file.links, [confirmed.person.id], "linked both ways");

    let concurrent = |base: u128, kana: &'static str, duplicates: Duplicates| {
        let store = std::sync::Arc::clone(&store);
        let centre = centre.id;
        async move {
            let registrations = (0..50).map(|i| {
                let store = std::sync::Arc::clone(&store);
                let registration = registration(base + i, centre, kana, duplicates.clone());
                tokio::spawn(async move { store.register_person(&registration).await })
            });
            futures_util::future::join_all(registrations)
                .await
                .into_iter()
                .map(|r| r.expect("task"))
                .collect::<Vec<_>>()
        }
    };
    let results = concurrent(100, "たなか いち", Duplicates::Refuse).await;
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "exactly one of 50 is registered");
    assert!(results.iter().all(|r| matches!(r, Ok(()) | Err(StoreError::Duplicate { what: "person" }))));

    let results = concurrent(200, "すずき じろう", Duplicates::LinkAll).await;
    assert!(results.iter().all(Result::is_ok), "{results:?}");
    let mut pairs = 0;
    for i in 0..50 {
        let file = store.person_file(tsunagu_domain::person::PersonId(Uuid::from_u128(200 + i))).await;
        pairs += file.expect("read").expect("found").links.len();
    }
    assert_eq!(pairs, 50 * 49, "every one of the 1,225 pairs is linked, both ways");
}

/// The caseload lists open cases of one agency by reading; edits are refused when stale.
pub async fn caseloads_list_open_cases_and_person_edits_are_checked(store: S) {
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let regs = vec![
        registration(1, centre.id, "わたなべ", Duplicates::Link(vec![])),
        registration(2, centre.id, "あべ", Duplicates::Link(vec![])),
        registration(3, centre.id, "かとう", Duplicates::Link(vec![])),
    ];
    store.register_persons(&regs).await.expect("register");
    let page = store.caseload(centre.id, 0, 2).await.expect("caseload");
    assert_eq!(page.iter().map(|e| e.name_kana.as_str()).collect::<Vec<_>>(), ["あべ", "かとう"]);
    let next = store.caseload(centre.id, 2, 2).await.expect("caseload");
    assert_eq!(next.iter().map(|e| e.name_kana.as_str()).collect::<Vec<_>>(), ["わたなべ"]);
    assert_eq!(caseload_size(&store, centre.id).await, 3);

    let mut edited = regs[0].person.clone();
    edited.fields.phone = None;
    edited.fields.health_notes = Some("月1回通院".into());
    edited.version = 2;
    store.update_person(&edited).await.expect("update");
    let read = store.person_file(edited.id).await.expect("read").expect("found").person;
    assert_eq!(read, edited);
    let stale = store.update_person(&edited).await;
    assert!(matches!(stale, Err(StoreError::Conflict { current: 2 })), "{stale:?}");
    let mut missing = edited.clone();
    missing.id = tsunagu_domain::person::PersonId(Uuid::from_u128(42));
    assert!(matches!(store.update_person(&missing).await, Err(StoreError::NotFound)));

    let mut own = account(30, "honnin");
    own.roles = vec![tsunagu_domain::account::Role::Person];
    own.person = Some(edited.id);
    store.insert_account(&own).await.expect("person account");
    assert_eq!(store.account_by_login("honnin").await.expect("read"), Some(own), "the person link reads back");
}

/// A caseload page lists the open cases a query asks for — a name or a reading in either kana, a
/// stage or none yet, something due — in the order asked, and counts those it lists.
pub async fn caseloads_are_searched_filtered_and_sorted(store: S) {
    use time::macros::date;
    use tsunagu_domain::journey::{Stage, StageChange, SupportFields, SupportKind, SupportRecord};
    use tsunagu_store::{CaseloadQuery, CaseloadSort};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let regs = vec![
        registration(1, centre.id, "やまだ", Duplicates::Link(vec![])),
        registration(2, centre.id, "ヤマモト", Duplicates::Link(vec![])),
        registration(3, centre.id, "あべ", Duplicates::Link(vec![])),
    ];
    store.register_persons(&regs).await.expect("register");
    let intake = StageChange {
        id: Uuid::from_u128(10),
        prefecture: "13".into(),
        person: regs[0].person.id,
        stage: Stage::Intake,
        on: date!(2026 - 04 - 01),
        agency: centre.id,
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        recorded_at: datetime!(2026-11-25 9:00 UTC),
        reason: String::new(),
    };
    store.change_stage(&intake, None, &[]).await.expect("stage");
    let record = SupportRecord {
        id: Uuid::from_u128(20),
        prefecture: "13".into(),
        person: regs[2].person.id,
        agency: centre.id,
        staff: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        staff_name: "支援 花子".into(),
        fields: SupportFields {
            kind: SupportKind::Consultation,
            date: date!(2026 - 11 - 20),
            minutes: 30,
            note: "面談".into(),
            next_action: Some("書類を受け取る".into()),
            next_action_on: Some(date!(2026 - 11 - 27)),
        },
        recorded_at: datetime!(2026-11-25 9:00 UTC),
    };
    store.insert_support_records(&[record]).await.expect("record");

    let listed = |query: CaseloadQuery| {
        let store = store.clone();
        async move {
            let page = store.caseload_page(centre.id, &query, 0, 10, date!(2000 - 01 - 01), 10).await.expect("page");
            let readings: Vec<String> = page.entries.iter().map(|e| e.name_kana.clone()).collect();
            assert_eq!(page.total, readings.len() as u64, "{query:?}: the count is of those listed");
            readings
        }
    };
    let text = |t: &str| Some(tsunagu_store::NameSearch::of(t));
    assert_eq!(listed(CaseloadQuery::default()).await, ["あべ", "やまだ", "ヤマモト"], "by reading");
    assert_eq!(listed(CaseloadQuery { text: text("やま"), ..Default::default() }).await, ["やまだ", "ヤマモト"]);
    assert_eq!(listed(CaseloadQuery { text: text("ﾔﾏﾓ"), ..Default::default() }).await, ["ヤマモト"]);
    assert_eq!(listed(CaseloadQuery { text: text("利用者3"), ..Default::default() }).await, ["あべ"], "by name");
    assert_eq!(listed(CaseloadQuery { text: text("%"), ..Default::default() }).await, Vec::<String>::new());
    assert_eq!(listed(CaseloadQuery { stage: Some(Some(Stage::Intake)), ..Default::default() }).await, ["やまだ"]);
    assert_eq!(listed(CaseloadQuery { stage: Some(None), ..Default::default() }).await, ["あべ", "ヤマモト"]);
    let due_by = |d| CaseloadQuery { due_by: Some(d), ..Default::default() };
    assert_eq!(listed(due_by(date!(2026 - 11 - 30))).await, ["あべ"]);
    assert_eq!(listed(due_by(date!(2026 - 11 - 26))).await, Vec::<String>::new());
    let sorted = |sort| CaseloadQuery { sort, ..Default::default() };
    assert_eq!(listed(sorted(CaseloadSort::Stage)).await, ["あべ", "ヤマモト", "やまだ"], "no stage first");
    assert_eq!(listed(sorted(CaseloadSort::LastContact)).await, ["あべ", "やまだ", "ヤマモト"]);
    assert_eq!(listed(sorted(CaseloadSort::NextAction)).await, ["あべ", "やまだ", "ヤマモト"]);
    let both = CaseloadQuery { text: text("やま"), stage: Some(None), sort: CaseloadSort::BirthDate, due_by: None };
    assert_eq!(listed(both).await, ["ヤマモト"]);
}

/// Stage changes check the current stage; support records move their case's latest contact and
/// next action, which the due list reads.
pub async fn journeys_and_support_records_round_trip(store: S) {
    use time::macros::date;
    use tsunagu_domain::journey::{Stage, SupportFields, SupportKind};
    use tsunagu_domain::journey::{StageChange, SupportRecord};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "やまだ", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let person = reg.person.id;
    let change = |n: u128, stage: Stage, on: time::Date| StageChange {
        id: Uuid::from_u128(n),
        prefecture: "13".into(),
        person,
        stage,
        on,
        agency: centre.id,
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        recorded_at: datetime!(2026-11-25 9:00 UTC) + time::Duration::minutes(n as i64),
        reason: format!("理由{n}"),
    };
    store.change_stage(&change(10, Stage::Intake, date!(2026 - 04 - 01)), None, &[]).await.expect("first");
    let stale = store.change_stage(&change(11, Stage::Assessment, date!(2026 - 04 - 02)), None, &[]).await;
    assert!(matches!(stale, Err(StoreError::Conflict { .. })), "{stale:?}");
    store
        .change_stage(&change(12, Stage::JobSearch, date!(2026 - 05 - 01)), Some(Stage::Intake), &[])
        .await
        .expect("next");
    let stages = store.stages_of(person).await.expect("stages");
    assert_eq!(
        stages,
        [change(10, Stage::Intake, date!(2026 - 04 - 01)), change(12, Stage::JobSearch, date!(2026 - 05 - 01))]
    );
    assert_eq!(store.person_file(person).await.expect("file").expect("found").stage, Some(Stage::JobSearch));

    let record = |n: u128, on: time::Date, next: Option<(&str, time::Date)>| SupportRecord {
        id: Uuid::from_u128(n),
        prefecture: "13".into(),
        person,
        agency: centre.id,
        staff: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        staff_name: "支援 花子".into(),
        fields: SupportFields {
            kind: SupportKind::WorkplaceVisit,
            date: on,
            minutes: 45,
            note: format!("記録{n}"),
            next_action: next.map(|(a, _)| a.to_owned()),
            next_action_on: next.map(|(_, d)| d),
        },
        recorded_at: datetime!(2026-11-25 9:00 UTC),
    };
    let latest = record(21, date!(2026 - 11 - 20), Some(("職場訪問", date!(2026 - 11 - 27))));
    let older = record(20, date!(2026 - 11 - 01), Some(("古い予定", date!(2026 - 11 - 05))));
    store.insert_support_records(&[latest.clone(), older.clone()]).await.expect("records");
    assert_eq!(store.support_records_of(person, 10).await.expect("read"), [latest.clone(), older], "newest first");
    let entry = &store.caseload(centre.id, 0, 10).await.expect("caseload")[0];
    assert_eq!(entry.stage, Some(Stage::JobSearch));
    assert_eq!(entry.last_contact_on, Some(date!(2026 - 11 - 20)));
    assert_eq!(
        entry.next_action,
        Some(("職場訪問".to_owned(), Some(date!(2026 - 11 - 27)))),
        "an older record does not replace the next action"
    );
    let due = caseload_page(&store, centre.id, date!(2026 - 12 - 01)).await.due;
    assert_eq!(
        due.iter().map(|d| (d.action.as_str(), d.due_on)).collect::<Vec<_>>(),
        [("職場訪問", date!(2026 - 11 - 27))]
    );
    assert!(caseload_page(&store, centre.id, date!(2026 - 11 - 26)).await.due.is_empty());
}

/// A support record and its audit entry are written together, or neither is; a failed write
/// leaves the chain as it was.
pub async fn support_records_and_their_audit_entries_commit_together(store: S) {
    use time::macros::date;
    use tsunagu_domain::journey::{SupportFields, SupportKind};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "やまだ", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let record = |n: u128, person: tsunagu_domain::person::PersonId| tsunagu_domain::journey::SupportRecord {
        id: Uuid::from_u128(n),
        prefecture: "13".into(),
        person,
        agency: centre.id,
        staff: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        staff_name: "支援 花子".into(),
        fields: SupportFields {
            kind: SupportKind::Phone,
            date: date!(2026 - 11 - 20),
            minutes: 15,
            note: "電話".into(),
            next_action: None,
            next_action_on: None,
        },
        recorded_at: datetime!(2026-11-25 9:00 UTC),
    };
    let first = store.insert_support_record_audited(&record(40, reg.person.id), &audit_event(1)).await.expect("first");
    assert_eq!(first.seq, 2, "after the registration's entry");
    let missing = tsunagu_domain::person::PersonId(Uuid::from_u128(999));
    let failed = store.insert_support_record_audited(&record(41, missing), &audit_event(2)).await;
    assert!(failed.is_err(), "a record for no person is refused");
    let second =
        store.insert_support_record_audited(&record(42, reg.person.id), &audit_event(3)).await.expect("second");
    assert_eq!((second.seq, second.prev_hash.as_str()), (3, first.hash.as_str()), "the failed write left no entry");
    let entries = store.audit_entries(0, 10).await.expect("entries");
    verify_all(&entries);
    let ids: Vec<_> =
        store.support_records_of(reg.person.id, 10).await.expect("records").iter().map(|r| r.id).collect();
    assert_eq!(ids.len(), 2);
    assert!(!ids.contains(&Uuid::from_u128(41)));
    let journey = store.journey_of(reg.person.id, 1).await.expect("journey");
    assert_eq!(journey.records, store.support_records_of(reg.person.id, 1).await.expect("latest"), "newest, at most 1");
    assert_eq!(journey.records.len(), 1);
}

/// An import of persons writes registrations, stages, follow-ups and audit entries together; a
/// failing import leaves no person, case, stage or entry behind.
pub async fn person_imports_write_everything_with_their_audit_entries_or_nothing(store: S) {
    use crate::writes::PersonImport;
    use time::macros::date;
    use tsunagu_domain::journey::Stage;
    use tsunagu_domain::journey::{FollowUp, StageChange};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    store.append_audit(&audit_event(1)).await.expect("an earlier entry");
    let (first, second) = (
        registration(1, centre.id, "あべ", Duplicates::Link(vec![])),
        registration(2, centre.id, "いとう", Duplicates::Link(vec![])),
    );
    let stage = StageChange {
        id: Uuid::from_u128(50),
        prefecture: "13".into(),
        person: second.person.id,
        stage: Stage::Employed,
        on: date!(2026 - 11 - 02),
        agency: centre.id,
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        recorded_at: datetime!(2026-11-25 9:00 UTC),
        reason: "取込".into(),
    };
    let follow_up = FollowUp {
        id: Uuid::from_u128(60),
        prefecture: "13".into(),
        person: second.person.id,
        agency: centre.id,
        placed_on: date!(2026 - 11 - 02),
        due_on: date!(2026 - 12 - 02),
        done: None,
        note: None,
        closed_on: None,
    };
    let import = PersonImport {
        registrations: vec![first.clone(), second.clone()],
        stages: vec![stage.clone()],
        follow_ups: vec![follow_up.clone()],
        events: (2..=4).map(audit_event).collect(),
    };
    store.import_persons(&import).await.expect("import");
    assert_eq!(caseload_size(&store, centre.id).await, 2);
    let file = store.person_file(second.person.id).await.expect("read").expect("found");
    assert_eq!((file.person, file.stage), (second.person.clone(), Some(Stage::Employed)));
    assert_eq!(store.stages_of(second.person.id).await.expect("stages"), std::slice::from_ref(&stage));
    assert_eq!(store.follow_ups_of(second.person.id).await.expect("follow-ups"), std::slice::from_ref(&follow_up));
    let journey = store.journey_of(second.person.id, 10).await.expect("journey");
    assert_eq!(
        journey,
        tsunagu_store::Journey {
            stages: vec![stage],
            records: vec![],
            follow_ups: vec![follow_up],
            plans: vec![],
            placements: vec![]
        },
        "the timeline's read together is the same as read apart"
    );
    let entries = store.audit_entries(0, 10).await.expect("entries");
    assert_eq!(
        entries.iter().map(|e| e.event.clone()).collect::<Vec<_>>(),
        (1..=4).map(audit_event).collect::<Vec<_>>()
    );
    verify_all(&entries);

    // The second registration reuses a person id: nothing of the import is written.
    let failing = PersonImport {
        registrations: vec![
            registration(3, centre.id, "うえだ", Duplicates::Link(vec![])),
            registration(1, centre.id, "えもと", Duplicates::Link(vec![])),
        ],
        events: (5..=6).map(audit_event).collect(),
        ..PersonImport::default()
    };
    assert!(store.import_persons(&failing).await.is_err());
    assert_eq!(caseload_size(&store, centre.id).await, 2, "no case was left behind");
    assert_eq!(store.person_file(tsunagu_domain::person::PersonId(Uuid::from_u128(3))).await.expect("read"), None);
    assert_eq!(store.audit_entries(0, 10).await.expect("entries").len(), 4, "no entry was left behind");
    let next = store.append_audit(&audit_event(7)).await.expect("append after the failure");
    assert_eq!((next.seq, next.prev_hash.as_str()), (5, entries[3].hash.as_str()), "the chain goes on unbroken");
}

/// Imported support records commit with their audit entries, or neither does.
pub async fn support_record_imports_commit_with_their_audit_entries_or_not_at_all(store: S) {
    use time::macros::date;
    use tsunagu_domain::journey::{SupportFields, SupportKind};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "やまだ", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let record =
        |n: u128, person: tsunagu_domain::person::PersonId, on: time::Date| tsunagu_domain::journey::SupportRecord {
            id: Uuid::from_u128(n),
            prefecture: "13".into(),
            person,
            agency: centre.id,
            staff: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
            staff_name: "支援 花子".into(),
            fields: SupportFields {
                kind: SupportKind::Consultation,
                date: on,
                minutes: 30,
                note: format!("記録{n}"),
                next_action: Some(format!("予定{n}")),
                next_action_on: Some(on + time::Duration::days(7)),
            },
            recorded_at: datetime!(2026-11-25 9:00 UTC),
        };
    let records = [record(40, reg.person.id, date!(2026 - 10 - 01)), record(41, reg.person.id, date!(2026 - 11 - 01))];
    store.import_support_records(&records, &[audit_event(1), audit_event(2)]).await.expect("import");
    assert_eq!(store.support_records_of(reg.person.id, 10).await.expect("records").len(), 2);
    let entry = &store.caseload(centre.id, 0, 10).await.expect("caseload")[0];
    assert_eq!(entry.last_contact_on, Some(date!(2026 - 11 - 01)), "the latest imported record is the last contact");
    assert_eq!(entry.next_action.as_ref().map(|(a, _)| a.as_str()), Some("予定41"));

    let missing = tsunagu_domain::person::PersonId(Uuid::from_u128(999));
    let failing = [record(42, reg.person.id, date!(2026 - 11 - 02)), record(43, missing, date!(2026 - 11 - 02))];
    assert!(store.import_support_records(&failing, &[audit_event(3), audit_event(4)]).await.is_err());
    assert_eq!(store.support_records_of(reg.person.id, 10).await.expect("records").len(), 2, "nothing was written");
    let entries = store.audit_entries(0, 10).await.expect("entries");
    assert_eq!(entries.len(), 3, "the registration's and the import's entries; no entry was left behind");
    verify_all(&entries);
}

/// A placement's follow-ups are written with the stage change; the due list and completion read
/// and write them; each agency keeps its own schedule.
pub async fn follow_ups_are_scheduled_listed_and_completed(store: S) {
    use time::macros::date;
    use tsunagu_domain::journey::Stage;
    use tsunagu_domain::journey::{FollowUp, StageChange};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "やまだ", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let person = reg.person.id;
    let worker = tsunagu_domain::account::AccountId(Uuid::from_u128(1));
    let placed = date!(2026 - 11 - 01);
    let follow_up = |n: u128, due_on: time::Date| FollowUp {
        id: Uuid::from_u128(n),
        prefecture: "13".into(),
        person,
        agency: centre.id,
        placed_on: placed,
        due_on,
        done: None,
        note: None,
        closed_on: None,
    };
    let planned = [follow_up(60, date!(2026 - 11 - 15)), follow_up(61, date!(2026 - 12 - 01))];
    let change = StageChange {
        id: Uuid::from_u128(50),
        prefecture: "13".into(),
        person,
        stage: Stage::Employed,
        on: placed,
        agency: centre.id,
        recorded_by: worker,
        recorded_at: datetime!(2026-11-01 9:00 UTC),
        reason: String::new(),
    };
    store.change_stage(&change, None, &planned).await.expect("placement");
    assert_eq!(store.follow_ups_of(person).await.expect("follow-ups"), planned);
    let page = caseload_page(&store, centre.id, date!(2026 - 11 - 20)).await;
    assert_eq!(page.follow_ups, [(planned[0].clone(), reg.person.fields.name.clone())]);
    assert_eq!(page.entries[0].stage, Some(Stage::Employed), "the caseload shows the new stage");

    // A change of name shows on the caseload and its due list at once.
    let mut renamed = reg.person.clone();
    renamed.fields.name = "改名 花子".into();
    renamed.fields.birth_date = date!(1991 - 02 - 03);
    renamed.version = 2;
    store.update_person(&renamed).await.expect("rename");
    let page = caseload_page(&store, centre.id, date!(2026 - 11 - 20)).await;
    assert_eq!((page.entries[0].name.as_str(), page.entries[0].birth_date), ("改名 花子", date!(1991 - 02 - 03)));
    assert_eq!(page.follow_ups[0].1, "改名 花子");
    store.complete_follow_up(person, planned[0].id, date!(2026 - 11 - 16), worker).await.expect("done");
    assert!(caseload_page(&store, centre.id, date!(2026 - 11 - 20)).await.follow_ups.is_empty());
    let again = store.complete_follow_up(person, planned[0].id, date!(2026 - 11 - 17), worker).await;
    assert!(matches!(again, Err(StoreError::NotFound)), "a follow-up is done once");
    assert_eq!(store.follow_ups_of(person).await.expect("read")[0].done, Some((date!(2026 - 11 - 16), worker)));

    // Undone, it is due again; done again with a note, the note reads back.
    let write = |change: tsunagu_store::Change| {
        store.commit(tsunagu_store::Commit::new(crate::writes::entry_for("follow_up")).with(change))
    };
    write(tsunagu_store::Change::ReopenFollowUp { person, id: planned[0].id }).await.expect("undone");
    let reopened = &store.follow_ups_of(person).await.expect("read")[0];
    assert_eq!((reopened.done, reopened.note.as_deref()), (None, None));
    assert_eq!(caseload_page(&store, centre.id, date!(2026 - 11 - 20)).await.follow_ups.len(), 1, "due again");
    let again = write(tsunagu_store::Change::ReopenFollowUp { person, id: planned[0].id }).await;
    assert!(matches!(again, Err(StoreError::NotFound)), "only a done follow-up is undone");
    let note = Some("職場で面談。通勤は順調".to_owned());
    let done = tsunagu_store::Change::CompleteFollowUp {
        person,
        id: planned[0].id,
        on: date!(2026 - 11 - 17),
        by: worker,
        note: note.clone(),
    };
    write(done).await.expect("done with a note");
    assert_eq!(store.follow_ups_of(person).await.expect("read")[0].note, note);

    // The placement ends: every follow-up still open is closed, none is due, the done one stays done.
    write(tsunagu_store::Change::CloseFollowUps { person, on: date!(2026 - 11 - 30) }).await.expect("closed");
    let after = store.follow_ups_of(person).await.expect("read");
    assert_eq!(after[0].closed_on, None, "a done follow-up is not closed");
    assert!(after[1..].iter().all(|f| f.closed_on == Some(date!(2026 - 11 - 30)) && !f.is_open()));
    assert!(caseload_page(&store, centre.id, date!(2100 - 01 - 01)).await.follow_ups.is_empty());
    let closed = tsunagu_store::Change::CompleteFollowUp {
        person,
        id: planned[1].id,
        on: date!(2026 - 12 - 01),
        by: worker,
        note: None,
    };
    assert!(matches!(write(closed).await, Err(StoreError::NotFound)), "a closed follow-up is not done");

    assert_eq!(store.follow_up_days(centre.id).await.expect("days"), None);
    store.set_follow_up_days(centre.id, &[7, 30, 90]).await.expect("set");
    store.set_follow_up_days(centre.id, &[14, 60]).await.expect("set again");
    assert_eq!(store.follow_up_days(centre.id).await.expect("days"), Some(vec![14, 60]));
}

/// Plans read back with their reviews; a review moves the next review date or ends the plan.
pub async fn plans_and_reviews_round_trip(store: S) {
    use time::macros::date;
    use tsunagu_domain::plan::{Outcome, PlanFields, ReviewFields};
    use tsunagu_domain::plan::{PlanReview, SupportPlan};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "やまだ", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let worker = tsunagu_domain::account::AccountId(Uuid::from_u128(1));
    let plan = SupportPlan {
        id: Uuid::from_u128(70),
        prefecture: "13".into(),
        person: reg.person.id,
        agency: centre.id,
        fields: PlanFields {
            goal: "週20時間の事務補助で就職".into(),
            actions: "PC入力の練習\n企業見学".into(),
            owner: "本人・支援員".into(),
            review_on: date!(2026 - 12 - 01),
        },
        review_on: Some(date!(2026 - 12 - 01)),
        outcome: None,
        created_by: worker,
        created_at: datetime!(2026-11-01 9:00 UTC),
        reviews: vec![],
    };
    store.insert_plan(&plan).await.expect("plan");
    assert_eq!(store.plans_of(reg.person.id).await.expect("plans"), std::slice::from_ref(&plan));
    let due = caseload_page(&store, centre.id, date!(2026 - 12 - 05)).await.plan_reviews;
    assert_eq!(
        due.iter().map(|(p, name)| (p.id, name.as_str())).collect::<Vec<_>>(),
        [(plan.id, reg.person.fields.name.as_str())]
    );
    let review = |n: u128, outcome: Outcome, next: Option<time::Date>| PlanReview {
        id: Uuid::from_u128(n),
        reviewed_on: date!(2026 - 12 - 01),
        fields: ReviewFields { note: format!("振り返り{n}"), outcome, next_review_on: next },
        reviewed_by: worker,
        reviewed_at: datetime!(2026-12-01 9:00 UTC) + time::Duration::minutes(n as i64),
    };
    store
        .add_plan_review(reg.person.id, plan.id, &review(71, Outcome::Continue, Some(date!(2027 - 03 - 01))))
        .await
        .expect("r1");
    assert!(caseload_page(&store, centre.id, date!(2026 - 12 - 05)).await.plan_reviews.is_empty(), "moved on");
    store.add_plan_review(reg.person.id, plan.id, &review(72, Outcome::Achieved, None)).await.expect("r2");
    let ended = store
        .add_plan_review(reg.person.id, plan.id, &review(73, Outcome::Continue, Some(date!(2027 - 06 - 01))))
        .await;
    assert!(matches!(ended, Err(StoreError::NotFound)), "an ended plan takes no review");
    let read = &store.plans_of(reg.person.id).await.expect("plans")[0];
    assert_eq!((read.outcome, read.review_on), (Some(Outcome::Achieved), None));
    assert_eq!(read.reviews.iter().map(|r| r.id).collect::<Vec<_>>(), [Uuid::from_u128(71), Uuid::from_u128(72)]);
    let other = store
        .add_plan_review(
            tsunagu_domain::person::PersonId(Uuid::from_u128(2)),
            plan.id,
            &review(74, Outcome::Continue, None),
        )
        .await;
    assert!(matches!(other, Err(StoreError::NotFound)), "the plan of another person");
}

/// Documents read back without their content, and with it one by one; a removed document keeps
/// its entry and loses its content; another person's id finds nothing; a document whose content
/// cannot be written leaves no entry.
pub async fn documents_are_attached_read_and_removed(store: S) {
    use tsunagu_domain::document::{Document, DocumentId, DocumentKind, FileType, sha256_hex};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "やまだ", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let person = reg.person.id;
    let content = b"%PDF-1.7\n\x00\xff binary \x00 bytes\n%%EOF\n".to_vec();
    let document = |n: u128, at: OffsetDateTime, content: &[u8]| Document {
        id: DocumentId(Uuid::from_u128(n)),
        prefecture: "13".into(),
        person,
        agency: centre.id,
        kind: DocumentKind::ConsentForm,
        title: format!("同意書{n}"),
        file_name: "同意書.pdf".into(),
        file_type: FileType::Pdf,
        size: content.len() as u64,
        sha256: sha256_hex(content),
        consent: Some(reg.consents[0].consent.id),
        uploaded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        uploaded_at: at,
        removed_at: None,
    };
    let first = document(80, datetime!(2026-11-01 9:00 UTC), &content);
    let second = Document {
        kind: DocumentKind::MedicalLetter,
        consent: None,
        ..document(81, datetime!(2026-11-02 9:00 UTC), b"x")
    };
    for (d, bytes) in [(&second, b"x".to_vec()), (&first, content.clone())] {
        let change = Change::Document { document: Box::new(d.clone()), content: bytes };
        store.commit(Commit::new(crate::writes::entry_for("document")).with(change)).await.expect("attach");
    }
    assert_eq!(store.documents_of(person).await.expect("list"), [first.clone(), second.clone()], "oldest first");
    let (read, bytes) = store.document_file(person, first.id).await.expect("read").expect("there");
    assert_eq!((read, bytes.as_slice()), (first.clone(), content.as_slice()), "every byte back");
    let other = tsunagu_domain::person::PersonId(Uuid::from_u128(2));
    assert_eq!(store.document_file(other, first.id).await.expect("read"), None, "another person's id");
    assert_eq!(store.documents_of(other).await.expect("list"), []);

    let at = datetime!(2026-11-03 9:00 UTC);
    let remove = |id| Change::RemoveDocument { person, id, at };
    store.commit(Commit::new(crate::writes::entry_for("document")).with(remove(first.id))).await.expect("remove");
    assert_eq!(store.document_file(person, first.id).await.expect("read"), None, "its content is gone");
    let listed = store.documents_of(person).await.expect("list");
    assert_eq!(listed[0], Document { removed_at: Some(at), ..first.clone() }, "its entry stays, marked");
    let again = store.commit(Commit::new(crate::writes::entry_for("document")).with(remove(first.id))).await;
    assert!(matches!(again, Err(StoreError::NotFound)), "removed twice");
    let elsewhere = Change::RemoveDocument { person: other, id: second.id, at };
    let refused = store.commit(Commit::new(crate::writes::entry_for("document")).with(elsewhere)).await;
    assert!(matches!(refused, Err(StoreError::NotFound)), "through another person's id");

    // A document whose id is taken fails with its commit: nothing of it, nor its entry, is kept.
    let before = store.audit_entries(0, 1000).await.expect("log").len();
    let taken =
        Change::Document { document: Box::new(Document { title: "別".into(), ..second.clone() }), content: vec![1] };
    assert!(store.commit(Commit::new(crate::writes::entry_for("document")).with(taken)).await.is_err());
    assert_eq!(store.audit_entries(0, 1000).await.expect("log").len(), before, "no entry");
    assert_eq!(store.documents_of(person).await.expect("list")[1], second, "unchanged");
}

/// An agency's documents read back, one with its content; removal keeps the entry; another
/// agency's id finds nothing.
pub async fn agency_documents_are_attached_read_and_removed(store: S) {
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    let other = agency(6, AgencyKind::HelloWork, "ハローワーク", "はろーわーく", Some("131041"));
    store.insert_agencies(&[centre.clone(), other.clone()]).await.expect("agencies");
    let content = b"%PDF-1.7 guide".to_vec();
    let guide = crate::fixtures::agency_document(85, centre.id, &content);
    let change = Change::AgencyDocument { document: Box::new(guide.clone()), content: content.clone() };
    store.commit(Commit::new(crate::writes::entry_for("agency_document")).with(change)).await.expect("attach");
    assert_eq!(store.agency_documents(centre.id).await.expect("list"), std::slice::from_ref(&guide));
    assert_eq!(store.agency_documents(other.id).await.expect("list"), []);
    assert_eq!(store.agency_document_file(centre.id, guide.id).await.expect("read"), Some((guide.clone(), content)));
    assert_eq!(store.agency_document_file(other.id, guide.id).await.expect("read"), None, "another agency's id");
    let at = datetime!(2026-11-02 9:00 UTC);
    let remove = |agency| Change::RemoveAgencyDocument { agency, id: guide.id, at };
    let elsewhere = store.commit(Commit::new(crate::writes::entry_for("agency_document")).with(remove(other.id))).await;
    assert!(matches!(elsewhere, Err(StoreError::NotFound)));
    store
        .commit(Commit::new(crate::writes::entry_for("agency_document")).with(remove(centre.id)))
        .await
        .expect("remove");
    assert_eq!(store.agency_document_file(centre.id, guide.id).await.expect("read"), None);
    assert_eq!(store.agency_documents(centre.id).await.expect("list")[0].removed_at, Some(at));
}

/// An emergency override reads back for its account and person while it is open, and not
/// before, after, or for anyone else.
pub async fn emergency_overrides_are_open_for_their_window(store: S) {
    use tsunagu_domain::access::EmergencyAccess;
    use tsunagu_domain::account::AccountId;
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "やまだ", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let (coordinator, other) = (AccountId(Uuid::from_u128(40)), AccountId(Uuid::from_u128(41)));
    let grant = |n: u128, at: OffsetDateTime| EmergencyAccess {
        id: Uuid::from_u128(n),
        prefecture: "13".into(),
        account: coordinator,
        person: reg.person.id,
        reason: format!("救急搬送先から服薬の照会（{n}）"),
        granted_at: at,
        until: at + time::Duration::minutes(30),
    };
    let first = grant(90, datetime!(2026-12-03 10:00 +09:00));
    let later = grant(91, datetime!(2026-12-03 10:20 +09:00));
    for g in [&first, &later] {
        let change = Change::EmergencyAccess(Box::new(g.clone()));
        store.commit(Commit::new(crate::writes::entry_for("override")).with(change)).await.expect("grant");
    }
    let at = |t: OffsetDateTime| {
        let store = Arc::clone(&store);
        async move { store.emergency_access(coordinator, reg.person.id, t).await.expect("read") }
    };
    assert_eq!(at(datetime!(2026-12-03 09:59 +09:00)).await, None, "not before");
    assert_eq!(at(datetime!(2026-12-03 10:10 +09:00)).await, Some(first.clone()));
    assert_eq!(at(datetime!(2026-12-03 01:25 UTC)).await, Some(later.clone()), "the latest open one, in any offset");
    assert_eq!(at(datetime!(2026-12-03 10:50 +09:00)).await, None, "not after");
    let elsewhere = store.emergency_access(other, reg.person.id, datetime!(2026-12-03 10:10 +09:00)).await;
    assert_eq!(elsewhere.expect("read"), None, "not for another account");
}

/// Referrals and their notices read back; a move is refused when stale; acceptance opens the
/// receiver's case once.
pub async fn referrals_move_with_notices_and_open_the_receivers_case(store: S) {
    use tsunagu_domain::referral::ReferralState;
    use tsunagu_domain::referral::{Notice, Referral};
    seed_reference(store.as_ref()).await;
    let from = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    let to = agency(6, AgencyKind::WelfareFacility, "作業所", "さぎょうしょ", Some("131041"));
    store.insert_agencies(&[from.clone(), to.clone()]).await.expect("agencies");
    let reg = registration(1, from.id, "やまだ", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let at = datetime!(2026-11-25 9:00 UTC);
    let referral = Referral {
        id: Uuid::from_u128(80),
        prefecture: "13".into(),
        person: reg.person.id,
        from: from.id,
        to: to.id,
        note: "実習の相談".into(),
        consent: reg.consents[0].consent.id,
        state: ReferralState::Sent,
        reason: None,
        sent_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        sent_at: at,
        updated_at: at,
        version: 1,
    };
    let notice = |n: u128, agency: AgencyId, state: ReferralState| Notice {
        id: Uuid::from_u128(n),
        agency,
        referral: referral.id,
        state,
        created_at: at + time::Duration::minutes(n as i64),
        read_at: None,
    };
    store.insert_referral(&referral, &notice(90, to.id, ReferralState::Sent)).await.expect("send");
    assert_eq!(store.referral(referral.id).await.expect("read"), Some(referral.clone()));
    let (received, sent) = store.referrals_of(to.id, 10).await.expect("lists");
    assert_eq!((received.len(), sent.len()), (1, 0));
    assert_eq!(received[0].person_name, reg.person.fields.name);
    let accepted = Referral {
        state: ReferralState::Accepted,
        version: 2,
        updated_at: at + time::Duration::hours(1),
        ..referral.clone()
    };
    let case = tsunagu_domain::case::CaseRecord {
        id: Uuid::from_u128(91),
        prefecture: "13".into(),
        person: reg.person.id,
        agency: to.id,
        opened_on: time::macros::date!(2026 - 11 - 25),
        closed_on: None,
        opened_by: tsunagu_domain::account::AccountId(Uuid::from_u128(2)),
    };
    store.move_referral(&accepted, &notice(92, from.id, ReferralState::Accepted), Some(&case)).await.expect("accept");
    let stale = store.move_referral(&accepted, &notice(93, from.id, ReferralState::Accepted), Some(&case)).await;
    assert!(matches!(stale, Err(StoreError::Conflict { .. })), "{stale:?}");
    assert_eq!(caseload_size(&store, to.id).await, 1, "the receiver holds a case");
    let notices = store.notices(from.id, 10).await.expect("notices");
    assert_eq!(
        notices.iter().map(|n| (n.state, n.read_at.is_none())).collect::<Vec<_>>(),
        [(ReferralState::Accepted, true)]
    );
    // A session at the sending agency counts the notice until it is read.
    let staff = tsunagu_domain::account::Account { agency: Some(from.id), ..account(40, "sender") };
    store.insert_account(&staff).await.expect("account");
    let session = tsunagu_store::Session {
        token_hash: "h40".into(),
        account: staff.id,
        csrf_token: "csrf".into(),
        created_at: at,
        expires_at: at + time::Duration::hours(8),
        unread_notices: 0,
    };
    store.insert_session(&session).await.expect("session");
    let unread = || async { store.session("h40").await.expect("session").expect("found").0.unread_notices };
    assert_eq!(unread().await, 1);
    store.mark_notices_read(from.id, at + time::Duration::hours(2)).await.expect("read");
    assert!(store.notices(from.id, 10).await.expect("notices")[0].read_at.is_some());
    assert_eq!(unread().await, 0);
}

/// Everything a store holds about persons and their journeys, as the read ports give it.
async fn personal_state(store: &S, persons: &[tsunagu_domain::person::PersonId], agencies: &[AgencyId]) -> String {
    let mut state = String::new();
    for person in persons {
        state += &format!("{:?}\n", store.person_file(*person).await.expect("file"));
        state += &format!("{:?}\n", store.journey_of(*person, 100).await.expect("journey"));
        state += &format!("{:?}\n", store.provisions_of(*person).await.expect("provisions"));
        state += &format!("{:?}\n", store.preferences(*person).await.expect("job preferences"));
        for dispatch in store.dispatches_of_person(*person).await.expect("dispatches") {
            state += &format!("{dispatch:?}\n{:?}\n", store.days_of_dispatch(dispatch.id).await.expect("days"));
        }
        state += &format!("{:?}\n", store.return_plans_of_person(*person).await.expect("return plans"));
        state += &format!("{:?}\n", store.participations_of_person(*person).await.expect("participations"));
        state += &format!("{:?}\n", store.checklists_of_person(*person).await.expect("checklists"));
        state += &format!("{:?}\n", store.mws_results_of_person(*person).await.expect("work samples"));
        state += &format!("{:?}\n", store.assessments_of_person(*person).await.expect("assessment sheets"));
        state += &format!("{:?}\n", store.passport_of_person(*person).await.expect("passport"));
        state += &format!("{:?}\n", store.signups_of_person(*person).await.expect("sign-ups"));
        for trial in store.trials_of_person(*person).await.expect("trials") {
            state += &format!("{trial:?}\n{:?}\n", store.weeks_of_trials(&[trial.id]).await.expect("weeks"));
        }
    }
    for agency in agencies {
        state += &format!("{:?}\n", store.coaches_of(*agency).await.expect("coaches"));
        state += &format!("{:?}\n", store.events_of_agency(*agency, 100).await.expect("events"));
        state += &format!("{:?}\n", store.referrals_of(*agency, 100).await.expect("referrals"));
        state += &format!("{:?}\n", store.notices(*agency, 100).await.expect("notices"));
        state += &format!(
            "{:?}\n",
            store.caseload_page(*agency, &Default::default(), 0, 100, time::macros::date!(2100 - 01 - 01), 100).await
        );
    }
    state += &format!("{:?}\n", store.every_assistance().await.expect("assistance"));
    state += &format!("{:?}\n", store.every_coordinator().await.expect("coordinators"));
    state + &format!("{:?}\n", store.audit_entries(0, 1000).await.expect("entries"))
}

/// A participation of `person` in the トライワークプロジェクト, recorded by `agency`.
fn participation_fixture(
    agency: AgencyId,
    person: tsunagu_domain::person::PersonId,
    by: tsunagu_domain::account::AccountId,
    at: time::OffsetDateTime,
) -> tsunagu_domain::trywork::Participation {
    use time::macros::date;
    use tsunagu_domain::trywork::{Participation, ParticipationFields, ParticipationId, TryWorkCourse, TryWorkTrack};
    Participation {
        id: ParticipationId(Uuid::from_u128(78)),
        prefecture: "13".into(),
        person,
        agency,
        fields: ParticipationFields {
            course: TryWorkCourse::ReturnWork,
            track: TryWorkTrack::Depression,
            starts_on: date!(2026 - 10 - 01),
            planned_until: date!(2027 - 03 - 31),
            ended_on: None,
            outcome: None,
            note: String::new(),
        },
        recorded_by: by,
        version: 1,
        updated_at: at,
    }
}

/// A return-to-work plan of `person` at `agency`, in its warm-up.
fn return_plan_fixture(
    agency: AgencyId,
    person: tsunagu_domain::person::PersonId,
    by: tsunagu_domain::account::AccountId,
    at: time::OffsetDateTime,
) -> tsunagu_domain::rework::ReturnPlan {
    use time::macros::date;
    use tsunagu_domain::rework::{ReturnPlan, ReturnPlanFields, ReturnPlanId, WarmUpPlan};
    ReturnPlan {
        id: ReturnPlanId(Uuid::from_u128(77)),
        prefecture: "13".into(),
        person,
        agency,
        fields: ReturnPlanFields {
            employer: tsunagu_domain::employer::EmployerId(Uuid::from_u128(73)),
            employer_contact: "人事部 佐藤".into(),
            doctor: "みなとクリニック 山田医師".into(),
            leave_began_on: date!(2026 - 06 - 01),
            coordination_began_on: date!(2026 - 09 - 01),
            person_agreed_on: Some(date!(2026 - 09 - 15)),
            employer_agreed_on: Some(date!(2026 - 09 - 18)),
            doctor_agreed_on: Some(date!(2026 - 09 - 24)),
            activities: "週3日の通所から始める".into(),
            phases: [
                WarmUpPlan { from: date!(2026 - 10 - 01), until: date!(2026 - 10 - 31) },
                WarmUpPlan { from: date!(2026 - 11 - 01), until: date!(2026 - 11 - 30) },
                WarmUpPlan { from: date!(2026 - 12 - 01), until: date!(2026 - 12 - 25) },
            ],
            support_began_on: Some(date!(2026 - 10 - 01)),
            returned_on: None,
            ended_on: None,
            outcome: None,
            outcome_note: String::new(),
        },
        recorded_by: by,
        version: 1,
        updated_at: at,
    }
}

/// A short-time trial of `person` arranged by `agency`, and its first week.
fn trial_fixtures(
    agency: AgencyId,
    person: tsunagu_domain::person::PersonId,
    by: tsunagu_domain::account::AccountId,
    at: time::OffsetDateTime,
) -> (tsunagu_domain::trial::Trial, tsunagu_domain::trial::TrialWeek) {
    use time::macros::date;
    use tsunagu_domain::trial::{HoursStep, Trial, TrialCourse, TrialFields, TrialId, TrialWeek};
    let trial = Trial {
        id: TrialId(Uuid::from_u128(76)),
        prefecture: "13".into(),
        person,
        agency,
        fields: TrialFields {
            employer: tsunagu_domain::employer::EmployerId(Uuid::from_u128(73)),
            course: TrialCourse::ShortTime,
            job: "データ入力".into(),
            starts_on: date!(2026 - 09 - 01),
            planned_until: date!(2027 - 02 - 28),
            steps: vec![
                HoursStep { from: date!(2026 - 09 - 01), minutes: 12 * 60 },
                HoursStep { from: date!(2026 - 12 - 01), minutes: 20 * 60 },
            ],
            ended_on: None,
            outcome: None,
            outcome_note: String::new(),
            grants: Vec::new(),
        },
        recorded_by: by,
        version: 1,
        updated_at: at,
    };
    let week = TrialWeek {
        trial: trial.id,
        prefecture: "13".into(),
        person,
        week_of: date!(2026 - 08 - 31),
        minutes: 12 * 60,
        recorded_by: by,
        recorded_at: at,
    };
    (trial, week)
}

/// A coach of `agency`, a dispatch of theirs for `person` and a day they worked on it.
fn coaching_fixtures(
    agency: AgencyId,
    person: tsunagu_domain::person::PersonId,
    by: tsunagu_domain::account::AccountId,
    at: time::OffsetDateTime,
) -> (tsunagu_domain::coaching::Coach, tsunagu_domain::coaching::Dispatch, tsunagu_domain::coaching::CoachDay) {
    use time::macros::date;
    use tsunagu_domain::coaching::{
        Activity, Coach, CoachDay, CoachDayId, CoachFields, CoachId, CoachKind, Dispatch, DispatchFields, DispatchId,
        PhasePlan,
    };
    let coach = Coach {
        id: CoachId(Uuid::from_u128(71)),
        agency,
        account: None,
        fields: CoachFields {
            name: "田中 一郎".into(),
            kind: CoachKind::Placed,
            active_from: date!(2024 - 04 - 01),
            active_until: None,
        },
        version: 1,
        updated_at: at,
    };
    let dispatch = Dispatch {
        id: DispatchId(Uuid::from_u128(72)),
        prefecture: "13".into(),
        person,
        agency,
        fields: DispatchFields {
            employer: tsunagu_domain::employer::EmployerId(Uuid::from_u128(73)),
            coaches: vec![coach.id],
            starts_on: date!(2026 - 10 - 01),
            phases: [
                PhasePlan { until: date!(2026 - 10 - 31), visits_a_month: 12 },
                PhasePlan { until: date!(2026 - 12 - 31), visits_a_month: 4 },
                PhasePlan { until: date!(2027 - 06 - 30), visits_a_month: 1 },
            ],
            person_agreed_on: Some(date!(2026 - 09 - 25)),
            employer_agreed_on: Some(date!(2026 - 09 - 28)),
            goals: "手順書を見て一人で作業する".into(),
            transition_began_on: None,
            follow_up_began_on: None,
            ended_on: None,
        },
        recorded_by: by,
        version: 1,
        updated_at: at,
    };
    let day = CoachDay {
        id: CoachDayId(Uuid::from_u128(74)),
        prefecture: "13".into(),
        dispatch: dispatch.id,
        person,
        coach: coach.id,
        on: date!(2026 - 10 - 05),
        minutes: 120,
        activities: vec![Activity::Tasks],
        note: String::new(),
        recorded_by: by,
        recorded_at: at,
    };
    (coach, dispatch, day)
}

/// When the audit log refuses the append, no change of the commit remains, whatever it was:
/// each kind of change is tried against a log that refuses, alone and all at once, and
/// everything the read ports show is as it was.
pub async fn a_commit_whose_audit_append_fails_leaves_nothing(store: S, break_audit: crate::BreakAudit) {
    use time::macros::date;
    use tsunagu_domain::account::AccountId;
    use tsunagu_domain::consent::{Provision, Recipient};
    use tsunagu_domain::journey::{FollowUp, StageChange, SupportRecord};
    use tsunagu_domain::journey::{Stage, SupportFields, SupportKind};
    use tsunagu_domain::plan::{Outcome, PlanFields, ReviewFields};
    use tsunagu_domain::plan::{PlanReview, SupportPlan};
    use tsunagu_domain::referral::ReferralState;
    use tsunagu_domain::referral::{Notice, Referral};
    use tsunagu_store::{Change, Commit};
    seed_reference(store.as_ref()).await;
    let from = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    let to = agency(6, AgencyKind::WelfareFacility, "作業所", "さぎょうしょ", Some("131041"));
    store.insert_agencies(&[from.clone(), to.clone()]).await.expect("agencies");
    let reg = registration(1, from.id, "やまだ", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let person = reg.person.id;
    let worker = AccountId(Uuid::from_u128(1));
    let at = datetime!(2026-11-25 9:00 UTC);
    let plan = SupportPlan {
        id: Uuid::from_u128(30),
        prefecture: "13".into(),
        person,
        agency: from.id,
        fields: PlanFields {
            goal: "週20時間".into(),
            actions: "実習".into(),
            owner: "支援員".into(),
            review_on: date!(2026 - 12 - 25),
        },
        review_on: Some(date!(2026 - 12 - 25)),
        outcome: None,
        created_by: worker,
        created_at: at,
        reviews: vec![],
    };
    store.insert_plan(&plan).await.expect("plan");
    let follow_up = |n: u128| FollowUp {
        id: Uuid::from_u128(n),
        prefecture: "13".into(),
        person,
        agency: from.id,
        placed_on: date!(2026 - 11 - 20),
        due_on: date!(2026 - 12 - 04),
        done: None,
        note: None,
        closed_on: None,
    };
    let stage = |n: u128, stage: Stage| StageChange {
        id: Uuid::from_u128(n),
        prefecture: "13".into(),
        person,
        stage,
        on: date!(2026 - 11 - 20),
        agency: from.id,
        recorded_by: worker,
        recorded_at: at,
        reason: String::new(),
    };
    store.change_stage(&stage(40, Stage::Employed), None, &[follow_up(41)]).await.expect("placement");
    let referral = Referral {
        id: Uuid::from_u128(50),
        prefecture: "13".into(),
        person,
        from: from.id,
        to: to.id,
        note: "実習の相談".into(),
        consent: reg.consents[0].consent.id,
        state: ReferralState::Sent,
        reason: None,
        sent_by: worker,
        sent_at: at,
        updated_at: at,
        version: 1,
    };
    let notice = |n: u128, agency: AgencyId, state: ReferralState| Notice {
        id: Uuid::from_u128(n),
        agency,
        referral: referral.id,
        state,
        created_at: at,
        read_at: None,
    };
    store.insert_referral(&referral, &notice(51, to.id, ReferralState::Sent)).await.expect("referral");

    // Each change, as a commit that would go through.
    let newcomer = registration(2, from.id, "いとう", Duplicates::Link(vec![person]));
    let mut edited = reg.person.clone();
    edited.fields.phone = Some("03-0000-0000".into());
    edited.version = 2;
    let mut consent = reg.consents[0].clone();
    consent.consent.id = tsunagu_domain::consent::ConsentId(Uuid::from_u128(60));
    let record = SupportRecord {
        id: Uuid::from_u128(61),
        prefecture: "13".into(),
        person,
        agency: from.id,
        staff: worker,
        staff_name: "支援 花子".into(),
        fields: SupportFields {
            kind: SupportKind::WorkplaceVisit,
            date: date!(2026 - 11 - 25),
            minutes: 60,
            note: "職場訪問".into(),
            next_action: Some("電話".into()),
            next_action_on: Some(date!(2026 - 12 - 01)),
        },
        recorded_at: at,
    };
    let review = PlanReview {
        id: Uuid::from_u128(62),
        reviewed_on: date!(2026 - 11 - 25),
        fields: ReviewFields { note: "達成".into(), outcome: Outcome::Achieved, next_review_on: None },
        reviewed_by: worker,
        reviewed_at: at,
    };
    let provision = Provision {
        prefecture: "13".into(),
        id: Uuid::from_u128(63),
        at,
        person,
        recipient: Recipient::Agency(to.id),
        items: vec!["name".into()],
        consent: reg.consents[0].consent.id,
        provided_by: worker,
    };
    let accepted = Referral { state: ReferralState::Accepted, version: 2, ..referral.clone() };
    let case = tsunagu_domain::case::CaseRecord {
        id: Uuid::from_u128(64),
        prefecture: "13".into(),
        person,
        agency: to.id,
        opened_on: date!(2026 - 11 - 25),
        closed_on: None,
        opened_by: worker,
    };
    let preferences = tsunagu_domain::preferences::JobPreferences {
        person,
        prefecture: "13".into(),
        fields: tsunagu_domain::preferences::PreferenceFields {
            areas: vec![tsunagu_domain::LocalGovCode::parse("131041").expect("code")],
            needs: vec![tsunagu_domain::opening::Accommodation::QuietPlace],
            note: None,
        },
        recorded_by: worker,
        version: 1,
        updated_at: at,
    };
    // A coach, a dispatch and a day written before the log breaks, and one of each tried after.
    let (coach, dispatch, day) = coaching_fixtures(from.id, person, worker, at);
    for change in [
        Change::SaveCoach { coach: Box::new(coach.clone()), expected: None },
        Change::SaveDispatch { dispatch: Box::new(dispatch.clone()), expected: None },
        Change::LogCoachDay(Box::new(day.clone())),
    ] {
        store.commit(Commit::new(crate::writes::entry_for("coaching")).with(change)).await.expect("coaching");
    }
    let other_coach =
        tsunagu_domain::coaching::Coach { id: tsunagu_domain::coaching::CoachId(Uuid::from_u128(81)), ..coach.clone() };
    let other_dispatch = tsunagu_domain::coaching::Dispatch {
        id: tsunagu_domain::coaching::DispatchId(Uuid::from_u128(82)),
        ..dispatch.clone()
    };
    let other_day = tsunagu_domain::coaching::CoachDay {
        id: tsunagu_domain::coaching::CoachDayId(Uuid::from_u128(83)),
        on: day.on.next_day().expect("a day"),
        ..day.clone()
    };
    // A trial and a week written before the log breaks; a second week, an edit and a removal
    // tried after.
    let (trial, week) = trial_fixtures(from.id, person, worker, at);
    for change in [
        Change::SaveTrial { trial: Box::new(trial.clone()), expected: None },
        Change::LogTrialWeek(Box::new(week.clone())),
    ] {
        store.commit(Commit::new(crate::writes::entry_for("trial")).with(change)).await.expect("trial");
    }
    let granted = tsunagu_domain::trial::Trial {
        version: 2,
        fields: tsunagu_domain::trial::TrialFields {
            grants: vec![tsunagu_domain::trial::GrantDecision { decided_on: at.date(), months: 1, amount_yen: 40_000 }],
            ..trial.fields.clone()
        },
        ..trial.clone()
    };
    let corrected = tsunagu_domain::trial::TrialWeek { minutes: 11 * 60, ..week.clone() };
    let return_plan = return_plan_fixture(from.id, person, worker, at);
    store
        .commit(
            Commit::new(crate::writes::entry_for("return plan"))
                .with(Change::SaveReturnPlan { plan: Box::new(return_plan.clone()), expected: None }),
        )
        .await
        .expect("return plan");
    let returned = tsunagu_domain::rework::ReturnPlan { version: 2, ..return_plan.clone() };
    let other_plan = tsunagu_domain::rework::ReturnPlan {
        id: tsunagu_domain::rework::ReturnPlanId(Uuid::from_u128(84)),
        ..return_plan
    };
    let participation = participation_fixture(from.id, person, worker, at);
    let changes: Vec<(&str, Change)> = vec![
        ("participation", Change::SaveParticipation { participation: Box::new(participation), expected: None }),
        ("return plan", Change::SaveReturnPlan { plan: Box::new(other_plan), expected: None }),
        ("return plan edited", Change::SaveReturnPlan { plan: Box::new(returned), expected: Some(1) }),
        ("trial edited", Change::SaveTrial { trial: Box::new(granted), expected: Some(1) }),
        ("trial week corrected", Change::LogTrialWeek(Box::new(corrected))),
        ("trial week withdrawn", Change::RemoveTrialWeek { person, trial: trial.id, week_of: week.week_of }),
        ("registration", Change::Register(Box::new(newcomer.clone()))),
        ("job preferences", Change::SavePreferences { preferences: Box::new(preferences), expected: None }),
        ("coach", Change::SaveCoach { coach: Box::new(other_coach), expected: None }),
        ("dispatch", Change::SaveDispatch { dispatch: Box::new(other_dispatch), expected: None }),
        ("coach day", Change::LogCoachDay(Box::new(other_day))),
        ("coach day withdrawn", Change::RemoveCoachDay { person, id: day.id }),
        ("edit", Change::UpdatePerson(Box::new(edited))),
        ("consent", Change::Consent(Box::new(consent))),
        ("withdrawal", Change::RevokeConsent { id: reg.consents[0].consent.id, at }),
        ("provision", Change::Provision(Box::new(provision))),
        ("stage", Change::Stage { change: Box::new(stage(66, Stage::Retention)), expected: Some(Stage::Employed) }),
        ("follow-ups", Change::FollowUps(vec![follow_up(65)])),
        (
            "follow-up done",
            Change::CompleteFollowUp { person, id: Uuid::from_u128(41), on: at.date(), by: worker, note: None },
        ),
        ("follow-up undone", Change::ReopenFollowUp { person, id: Uuid::from_u128(41) }),
        ("follow-ups closed", Change::CloseFollowUps { person, on: at.date() }),
        ("support record", Change::SupportRecords(vec![record])),
        ("plan", Change::Plan(Box::new(SupportPlan { id: Uuid::from_u128(67), ..plan.clone() }))),
        ("plan review", Change::PlanReview { person, plan: plan.id, review: Box::new(review) }),
        (
            "referral",
            Change::Referral {
                referral: Box::new(Referral { id: Uuid::from_u128(68), ..referral.clone() }),
                notice: Box::new(Notice {
                    id: Uuid::from_u128(69),
                    referral: Uuid::from_u128(68),
                    ..notice(0, to.id, ReferralState::Sent)
                }),
            },
        ),
        (
            "referral accepted",
            Change::MoveReferral {
                referral: Box::new(accepted),
                notice: Box::new(notice(70, from.id, ReferralState::Accepted)),
                case: Some(Box::new(case)),
            },
        ),
    ];
    // An event with the person signed up and another without, written before the log breaks;
    // a sign-up, a cancel, attendance and an edit tried after.
    let (event, other_event) = (event_fixture(85, 1, at), event_fixture(86, 1, at));
    let signup = signup_fixture(87, &event, tsunagu_domain::event::Attendee::Person(person), at);
    for change in [
        Change::SaveEvent { event: Box::new(event.clone()), expected: None },
        Change::SaveEvent { event: Box::new(other_event.clone()), expected: None },
        Change::SignUp(Box::new(signup.clone())),
    ] {
        store.commit(Commit::new(crate::writes::entry_for("event")).with(change)).await.expect("event");
    }
    let mut changes = changes;
    changes.extend([
        (
            "sign-up",
            Change::SignUp(Box::new(signup_fixture(
                88,
                &other_event,
                tsunagu_domain::event::Attendee::Person(person),
                at,
            ))),
        ),
        ("sign-up cancelled", Change::CancelSignup { event: event.id, id: signup.id, at }),
        ("attendance", Change::RecordAttendance { event: event.id, session: 0, present: vec![signup.id] }),
        (
            "assessment sheet",
            Change::SaveAssessment {
                sheet: Box::new(tsunagu_domain::assessment::Assessment {
                    id: tsunagu_domain::assessment::AssessmentId(Uuid::from_u128(93)),
                    prefecture: "13".into(),
                    person,
                    agency: from.id,
                    fields: tsunagu_domain::assessment::AssessmentFields {
                        started_on: at.date(),
                        person: std::collections::BTreeMap::new(),
                        supporter: std::collections::BTreeMap::new(),
                        person_answered_at: None,
                    },
                    recorded_by: worker,
                    version: 1,
                    updated_at: at,
                }),
                expected: None,
            },
        ),
        (
            "passport",
            Change::SavePassport {
                passport: Box::new(tsunagu_domain::passport::Passport {
                    id: tsunagu_domain::passport::PassportId(Uuid::from_u128(94)),
                    prefecture: "13".into(),
                    person,
                    fields: tsunagu_domain::passport::PassportFields::default(),
                    recorded_by: worker,
                    version: 1,
                    updated_at: at,
                }),
                expected: None,
            },
        ),
        (
            "work sample",
            Change::SaveMwsResult {
                result: Box::new(tsunagu_domain::mws::MwsResult {
                    id: tsunagu_domain::mws::MwsResultId(Uuid::from_u128(92)),
                    prefecture: "13".into(),
                    person,
                    agency: from.id,
                    fields: tsunagu_domain::mws::MwsFields {
                        done_on: at.date(),
                        edition: tsunagu_domain::mws::Edition::Training,
                        task: "ピッキング".into(),
                        level: 3,
                        trials: 6,
                        correct: 6,
                        minutes: 40,
                        notes: String::new(),
                    },
                    recorded_by: worker,
                    version: 1,
                    updated_at: at,
                }),
                expected: None,
            },
        ),
        (
            "checklist",
            Change::SaveChecklist {
                checklist: Box::new(tsunagu_domain::checklist::Checklist {
                    id: tsunagu_domain::checklist::ChecklistId(Uuid::from_u128(91)),
                    prefecture: "13".into(),
                    person,
                    agency: from.id,
                    fields: tsunagu_domain::checklist::ChecklistFields {
                        assessed_on: at.date(),
                        answers: vec![tsunagu_domain::checklist::Answer {
                            item: "I-1".into(),
                            rating: tsunagu_domain::checklist::Rating::Level(1),
                            comment: String::new(),
                        }],
                        note: String::new(),
                    },
                    recorded_by: worker,
                    version: 1,
                    updated_at: at,
                }),
                expected: None,
            },
        ),
        (
            "coordinator",
            Change::SaveCoordinator {
                coordinator: Box::new(tsunagu_domain::liaison::Coordinator {
                    id: tsunagu_domain::liaison::CoordinatorId(Uuid::from_u128(90)),
                    prefecture: "13".into(),
                    agency: from.id,
                    fields: tsunagu_domain::liaison::CoordinatorFields {
                        name: "連携 太郎".into(),
                        since: at.date(),
                        until: None,
                        institutions: vec![],
                        note: String::new(),
                    },
                    recorded_by: worker,
                    version: 1,
                    updated_at: at,
                }),
                expected: None,
            },
        ),
        (
            "assistance",
            Change::SaveAssistance {
                record: Box::new(tsunagu_domain::assistance::Assistance {
                    id: tsunagu_domain::assistance::AssistanceId(Uuid::from_u128(89)),
                    prefecture: "13".into(),
                    office: from.id,
                    fields: tsunagu_domain::assistance::AssistanceFields {
                        given_on: at.date(),
                        helped: to.id,
                        topics: vec![tsunagu_domain::assistance::AssistanceTopic::Assessment],
                        given_by: "復職 支援".into(),
                        note: String::new(),
                    },
                    recorded_by: worker,
                    version: 1,
                    updated_at: at,
                }),
                expected: None,
            },
        ),
        (
            "event edited",
            Change::SaveEvent {
                event: Box::new(tsunagu_domain::event::Event { version: 2, ..event.clone() }),
                expected: Some(1),
            },
        ),
    ]);
    let persons = [person, newcomer.person.id];
    let agencies = [from.id, to.id];
    let before = personal_state(&store, &persons, &agencies).await;
    break_audit().await;
    for (what, change) in &changes {
        let refused = store.commit(Commit::new(crate::writes::entry_for(what)).with(change.clone())).await;
        assert!(refused.is_err(), "{what}: the commit went through although its audit entry was refused");
    }
    let all = Commit::new(crate::writes::entry_for("all")).with_all(changes.iter().map(|(_, c)| c.clone()));
    assert!(store.commit(all).await.is_err(), "every change at once");
    assert_eq!(personal_state(&store, &persons, &agencies).await, before, "nothing of a refused commit remains");
}

/// The program registry as shipped is written whole and reads back the same: programs in the
/// document's order with the program each 【再掲】 repeats, indicators, cells and figures.
pub async fn program_registry_round_trips(store: S) {
    use tsunagu_domain::program::Registry;
    let shipped = tsunagu_app::programs::shipped_registry().expect("the shipped registry");
    assert!(store.registry().await.expect("empty registry").programs.is_empty());
    store.insert_registry(&shipped).await.expect("insert the registry");
    let sorted = |mut r: Registry| {
        r.indicators.sort_by(|a, b| a.code.cmp(&b.code));
        r.cells.sort_by(|a, b| (a.program.as_str(), a.year, a.kind).cmp(&(b.program.as_str(), b.year, b.kind)));
        r.figures.sort_by(|a, b| {
            (&a.indicator, a.year, a.kind, &a.breakdown).cmp(&(&b.indicator, b.year, b.kind, &b.breakdown))
        });
        r
    };
    assert_eq!(sorted(store.registry().await.expect("registry")), sorted(shipped.clone()));
    assert!(store.insert_registry(&shipped).await.is_err(), "a second registry over the first is refused");
    assert_eq!(
        store.registry().await.expect("registry").figures.len(),
        shipped.figures.len(),
        "and leaves the first as it was"
    );
}

/// A figure entered by a program manager is written with its audit entry, and a second one of
/// the same indicator, year, kind and breakdown replaces it.
pub async fn figures_are_entered_with_their_entry_and_replaced(store: S) {
    use tsunagu_domain::program::{Figure, FigureKind, FiscalYear};
    store.insert_registry(&tsunagu_app::programs::shipped_registry().expect("registry")).await.expect("registry");
    let figure = |value: i64| Figure {
        indicator: "3-1.companies".into(),
        year: FiscalYear(2026),
        kind: FigureKind::Actual,
        breakdown: String::new(),
        value,
        max: Some(value + 10),
    };
    let entered =
        |value: i64| Commit::new(crate::writes::entry_for("figure")).with(Change::Figure(Box::new(figure(value))));
    let before = store.audit_entries(0, 10_000).await.expect("audit").len();
    store.commit(entered(150)).await.expect("first figure");
    store.commit(entered(160)).await.expect("the correction");
    let of_2026: Vec<Figure> =
        store.registry().await.expect("registry").figures.into_iter().filter(|f| f.year == FiscalYear(2026)).collect();
    assert_eq!(of_2026, [figure(160)], "the correction replaced the figure");
    assert_eq!(store.audit_entries(0, 10_000).await.expect("audit").len(), before + 2, "each with its entry");
}

/// How long placements last is kept as the records are written: a placement and its end, an end
/// recorded ahead of its day (held until then), an end backdated before another, a placement
/// entered after its end, support at the workplace before and after a placement, a correction of
/// a person's disability categories. What is kept gives the same durations, group by group, as
/// the placements read from the records, in another prefecture none.
pub async fn retention_is_kept_as_records_are_written(store: S) {
    use time::macros::date;
    use tsunagu_domain::journey::{Stage, SupportKind};
    use tsunagu_domain::person::DisabilityCategory::{self, Developmental, Mental, Physical};
    use tsunagu_domain::retention::{GroupKey, durations_of};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::MunicipalSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let person = |n: u128, kana: &'static str, categories: Vec<DisabilityCategory>| {
        let store = Arc::clone(&store);
        async move {
            let mut reg = registration(n, centre.id, kana, Duplicates::Link(vec![]));
            reg.person.fields.categories = categories;
            store.register_person(&reg).await.expect("register");
            reg.person
        }
    };
    let (a, b) = (person(1, "あおき", vec![Mental]).await, person(2, "いとう", vec![Developmental]).await);
    let (c, d) = (person(3, "うえだ", vec![Physical, Mental]).await, person(4, "えもと", vec![Mental]).await);
    let stage = |n: u128, who: tsunagu_domain::person::PersonId, stage: Stage, on: time::Date, from: Option<Stage>| {
        let store = Arc::clone(&store);
        async move { store.change_stage(&stage_change(n, who, centre.id, stage, on), from, &[]).await.expect("stage") }
    };
    let record = |n: u128, who: tsunagu_domain::person::PersonId, kind: SupportKind, on: time::Date| {
        support_record(n, who, centre.id, kind, on)
    };
    // A: placed, visited at the workplace, left after 183 days.
    stage(10, a.id, Stage::Employed, date!(2025 - 04 - 01), None).await;
    store
        .insert_support_records(&[record(30, a.id, SupportKind::WorkplaceVisit, date!(2025 - 05 - 01))])
        .await
        .expect("a");
    stage(11, a.id, Stage::Separated, date!(2025 - 10 - 01), Some(Stage::Employed)).await;
    // B: accompanied before the placement only; left, then an earlier closing was recorded.
    store
        .insert_support_records(&[record(31, b.id, SupportKind::Accompaniment, date!(2025 - 05 - 01))])
        .await
        .expect("b");
    stage(12, b.id, Stage::Employed, date!(2025 - 06 - 01), None).await;
    stage(13, b.id, Stage::Separated, date!(2026 - 01 - 10), Some(Stage::Employed)).await;
    stage(14, b.id, Stage::Closed, date!(2025 - 12 - 01), Some(Stage::Separated)).await;
    // C: placed, the end recorded ahead, a phone call (not support at the workplace).
    stage(15, c.id, Stage::Employed, date!(2026 - 03 - 01), None).await;
    stage(16, c.id, Stage::Closed, date!(2027 - 02 - 01), Some(Stage::Employed)).await;
    store.insert_support_records(&[record(32, c.id, SupportKind::Phone, date!(2026 - 04 - 01))]).await.expect("c");
    // D: the move to welfare recorded first, the placement before it entered afterwards; still
    // a second placement, held, visited at the workplace.
    stage(17, d.id, Stage::WelfareTransition, date!(2025 - 09 - 01), None).await;
    stage(18, d.id, Stage::Employed, date!(2025 - 08 - 01), Some(Stage::WelfareTransition)).await;
    stage(19, d.id, Stage::Employed, date!(2026 - 02 - 01), Some(Stage::Employed)).await;
    store
        .insert_support_records(&[record(33, d.id, SupportKind::WorkplaceVisit, date!(2026 - 02 - 10))])
        .await
        .expect("d");

    let today = date!(2026 - 12 - 05);
    let agrees = |store: S| async move {
        let (kept, placements) = store.retention_recount("13", today).await.expect("recount");
        assert_eq!(kept, store.retention("13", today).await.expect("kept"));
        let (kept, recounted) = (kept.durations(today), durations_of(&placements, today));
        assert_eq!(kept, recounted, "kept against the placements: {placements:?}");
        kept
    };
    let kept = agrees(Arc::clone(&store)).await;
    let of = |kept: &[(GroupKey, tsunagu_domain::retention::Durations)], key| {
        let (_, d) = kept.iter().find(|(k, _)| *k == key).expect("group");
        (d.placements(), d.ended(), d.longest())
    };
    // Ended: A after 183 days, B after 183 (the earlier closing), D's first after 31. Held: C
    // (its end still to come) 279 days, D's second 307.
    assert_eq!(of(&kept, GroupKey::All), (5, 3, Some(307)));
    // A visit on or after a placement's day counts for it: D's visit counts for both of D's.
    assert_eq!(of(&kept, GroupKey::WorkplaceSupport(true)), (3, 2, Some(307)), "A and D's two");
    assert_eq!(of(&kept, GroupKey::WorkplaceSupport(false)), (2, 1, Some(279)), "B and C");
    assert_eq!(of(&kept, GroupKey::Category(Mental)), (4, 2, Some(307)), "A, C and D's two");
    assert_eq!(of(&kept, GroupKey::Category(Physical)), (1, 0, Some(279)));
    let ahead = store.retention("13", today).await.expect("kept").ending_later;
    assert_eq!(ahead.iter().map(|p| p.placed_on).collect::<Vec<_>>(), [date!(2026 - 03 - 01)]);
    // A day after C's end, it has ended.
    let later = store.retention("13", date!(2027 - 02 - 02)).await.expect("kept").durations(date!(2027 - 02 - 02));
    assert_eq!(of(&later, GroupKey::Category(Physical)), (1, 1, Some(337)));

    // C's categories corrected: no longer mental.
    let mut corrected = c.clone();
    corrected.fields.categories = vec![Physical];
    corrected.version += 1;
    store.update_person(&corrected).await.expect("correct");
    let kept = agrees(Arc::clone(&store)).await;
    assert_eq!(of(&kept, GroupKey::Category(Mental)), (3, 2, Some(307)));
    assert_eq!(of(&kept, GroupKey::Category(Physical)), (1, 0, Some(279)));
    let elsewhere = store.retention("27", today).await.expect("kept");
    assert!(elsewhere.durations(today).iter().all(|(_, d)| d.placements() == 0), "another prefecture has none");
}

/// The journey's counts are kept as the records are written: placements and separations by the
/// fiscal year of their day (31 March and 1 April in two years), support records by kind, a
/// referral by its day in Japan; a recount from the records agrees, per agency and per kind; and
/// when an agency's kind is corrected its counts move to the new kind.
pub async fn journey_counts_are_kept_as_records_are_written(store: S) {
    use time::macros::date;
    use tsunagu_domain::counts::{Count, Measure, by_kind, disagreements};
    use tsunagu_domain::journey::{Stage, SupportKind};
    use tsunagu_domain::program::FiscalYear;
    use tsunagu_domain::referral::{Notice, Referral, ReferralState};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::MunicipalSupportCentre, "センター", "せんたー", Some("131041"));
    let facility = agency(6, AgencyKind::WelfareFacility, "作業所", "さぎょうしょ", Some("131041"));
    store.insert_agencies(&[centre.clone(), facility.clone()]).await.expect("agencies");
    let reg = registration(1, centre.id, "やまだ", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let person = reg.person.id;
    let account = tsunagu_domain::account::AccountId(Uuid::from_u128(1));
    let change = |n: u128, stage: Stage, on: time::Date| stage_change(n, person, centre.id, stage, on);
    store.change_stage(&change(10, Stage::Intake, date!(2025 - 04 - 01)), None, &[]).await.expect("intake");
    store
        .change_stage(&change(11, Stage::Employed, date!(2026 - 03 - 31)), Some(Stage::Intake), &[])
        .await
        .expect("placed");
    store
        .change_stage(&change(12, Stage::Separated, date!(2026 - 04 - 01)), Some(Stage::Employed), &[])
        .await
        .expect("left");
    let record = |n: u128, kind: SupportKind, date: time::Date| support_record(n, person, centre.id, kind, date);
    store
        .insert_support_records(&[
            record(20, SupportKind::Phone, date!(2026 - 03 - 31)),
            record(21, SupportKind::Phone, date!(2026 - 04 - 01)),
            record(22, SupportKind::Consultation, date!(2026 - 04 - 01)),
        ])
        .await
        .expect("records");
    // 15:30 UTC on 31 March is 00:30 on 1 April in Japan: the new fiscal year.
    let sent = datetime!(2026-03-31 15:30 UTC);
    let referral = Referral {
        id: Uuid::from_u128(80),
        prefecture: "13".into(),
        person,
        from: centre.id,
        to: facility.id,
        note: "実習の相談".into(),
        consent: reg.consents[0].consent.id,
        state: ReferralState::Sent,
        reason: None,
        sent_by: account,
        sent_at: sent,
        updated_at: sent,
        version: 1,
    };
    let notice = Notice {
        id: Uuid::from_u128(90),
        agency: facility.id,
        referral: referral.id,
        state: ReferralState::Sent,
        created_at: sent,
        read_at: None,
    };
    store.insert_referral(&referral, &notice).await.expect("referral");

    let count = |by: AgencyKind, measure: Measure, year: i32, breakdown: &str, value: i64| Count {
        by,
        measure,
        year: FiscalYear(year),
        breakdown: breakdown.to_owned(),
        value,
    };
    let kept = |store: S| async move {
        let mut counts = store.journey_counts("13").await.expect("counts");
        counts.sort_by(|a, b| {
            (a.measure, a.year, a.by.code(), &a.breakdown).cmp(&(b.measure, b.year, b.by.code(), &b.breakdown))
        });
        counts
    };
    let k = AgencyKind::MunicipalSupportCentre;
    assert_eq!(
        kept(Arc::clone(&store)).await,
        [
            count(k, Measure::Placements, 2025, "", 1),
            count(k, Measure::Separations, 2026, "", 1),
            count(k, Measure::SupportRecords, 2025, "phone", 1),
            count(k, Measure::SupportRecords, 2026, "consultation", 1),
            count(k, Measure::SupportRecords, 2026, "phone", 1),
            count(k, Measure::Referrals, 2026, "", 1),
        ]
    );
    assert!(store.journey_counts("27").await.expect("counts").is_empty(), "another prefecture has none");

    let agrees = |store: S, kinds: Vec<(AgencyId, AgencyKind)>| async move {
        let r = store.journey_recount("13", None).await.expect("recount");
        assert!(disagreements(&r.kept_by_agency, &r.recounted_by_agency).is_empty(), "per agency: {r:?}");
        let kind_of = |id| kinds.iter().find(|(a, _)| *a == id).map(|(_, k)| *k);
        assert!(
            disagreements(&r.kept_by_kind, &by_kind(&r.recounted_by_agency, kind_of)).is_empty(),
            "per kind: {r:?}"
        );
        let one_year = store.journey_recount("13", Some(FiscalYear(2025))).await.expect("recount");
        assert_eq!(one_year.recounted_by_agency.len(), 2, "one year's: {one_year:?}");
        assert_eq!(one_year.kept_by_kind.len(), 2);
    };
    agrees(Arc::clone(&store), vec![(centre.id, k), (facility.id, AgencyKind::WelfareFacility)]).await;

    let mut corrected = centre.clone();
    corrected.fields.kind = AgencyKind::EmploymentLifeSupportCentre;
    corrected.version += 1;
    store.update_agency(&corrected).await.expect("correct the kind");
    let moved = kept(Arc::clone(&store)).await;
    assert_eq!(moved.len(), 6, "{moved:?}");
    assert!(moved.iter().all(|c| c.by == AgencyKind::EmploymentLifeSupportCentre), "{moved:?}");
    agrees(
        store,
        vec![(centre.id, AgencyKind::EmploymentLifeSupportCentre), (facility.id, AgencyKind::WelfareFacility)],
    )
    .await;
}

/// Many commits at once, some refused (a stage change made on a stale stage): the counts hold
/// exactly the records written — a writer that counts a batch at a time counts no refused commit
/// and misses none that was written — and agree with a recount from the records.
pub async fn journey_counts_hold_what_concurrent_commits_wrote(store: S) {
    use time::macros::date;
    use tsunagu_domain::counts::{Measure, disagreements};
    use tsunagu_domain::journey::{Stage, SupportKind};
    use tsunagu_domain::program::FiscalYear;
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::MunicipalSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agencies");
    let persons: Vec<_> =
        (1..=8_u128).map(|n| registration(n, centre.id, "やまだ", Duplicates::Link(vec![]))).collect();
    for reg in &persons {
        store.register_person(reg).await.expect("register");
    }
    let change = |n: u128, person, stage: Stage| stage_change(n, person, centre.id, stage, date!(2026 - 05 - 01));
    let record =
        |n: u128, person| support_record(n, person, centre.id, SupportKind::Consultation, date!(2026 - 05 - 02));
    // Each person: two placements made at once from 面談 (one is refused as stale), each with a
    // support record in the same commit, and a support record of its own.
    let mut commits = Vec::new();
    for (i, reg) in persons.iter().enumerate() {
        let (person, n) = (reg.person.id, 100 * (i as u128 + 1));
        store.change_stage(&change(n, person, Stage::Intake), None, &[]).await.expect("intake");
        for k in 1..=2 {
            let placement = Change::Stage {
                change: Box::new(change(n + k, person, Stage::Employed)),
                expected: Some(Stage::Intake),
            };
            commits.push(
                Commit::new(crate::writes::entry_for("placement"))
                    .with(placement)
                    .with(Change::SupportRecords(vec![record(n + 10 + k, person)])),
            );
        }
        commits.push(
            Commit::new(crate::writes::entry_for("record")).with(Change::SupportRecords(vec![record(n + 20, person)])),
        );
    }
    let results = futures_util::future::join_all(commits.into_iter().map(|c| {
        let store = Arc::clone(&store);
        async move { store.commit(c).await }
    }))
    .await;
    let written = results.iter().filter(|r| r.is_ok()).count();
    assert_eq!(written, 16, "one placement per person and every lone record: {results:?}");

    let kept = store.journey_counts("13").await.expect("counts");
    let value = |measure| kept.iter().filter(|c| c.measure == measure).map(|c| c.value).sum::<i64>();
    assert_eq!(value(Measure::Placements), 8, "{kept:?}");
    assert_eq!(value(Measure::SupportRecords), 16, "the refused placements' records are not counted: {kept:?}");
    let r = store.journey_recount("13", Some(FiscalYear(2026))).await.expect("recount");
    assert!(disagreements(&r.kept_by_agency, &r.recounted_by_agency).is_empty(), "{r:?}");
}

/// A fair is written whole with its audit entry and read back equal; an edit made on an older
/// version is refused and changes nothing; fairs list latest date first.
pub async fn fairs_are_saved_whole_and_stale_edits_refused(store: S) {
    use time::macros::{date, datetime, time};
    use tsunagu_domain::employer::EmployerId;
    use tsunagu_domain::fair::{Fair, FairHeader, FairId};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::MunicipalSupportCentre, "センター", "せんたー", Some("131041"));
    let other = agency(6, AgencyKind::MunicipalSupportCentre, "移行支援", "いこうしえん", Some("131041"));
    store.insert_agencies(&[centre.clone(), other.clone()]).await.expect("agencies");
    let header = |day: time::Date| FairHeader {
        title: "企業と移行推進事業所との面談会".into(),
        date: day,
        venue: Some("会議室".into()),
        starts: time!(13:30),
        slot_minutes: 20,
        slots: 4,
    };
    let at = datetime!(2026-10-01 09:00 UTC);
    let mut fair =
        Fair::new(FairId(uuid::Uuid::from_u128(41)), "13".into(), centre.id, header(date!(2026 - 11 - 20)), at);
    let employer = EmployerId(uuid::Uuid::from_u128(900));
    fair.set_company(employer, "株式会社つなぐ".into(), "2").expect("company");
    fair.set_participant(other.id, "移行支援".into(), "1", &[Some(employer)]).expect("participant");
    fair.schedule().expect("schedule");
    let save = |fair: &Fair, expected: Option<i64>| {
        Commit::new(crate::writes::entry_for(&format!("fair:{}", fair.id.0)))
            .with(Change::SaveFair { fair: Box::new(fair.clone()), expected })
    };
    let before = store.audit_entries(0, 10_000).await.expect("audit").len();
    store.commit(save(&fair, None)).await.expect("new fair");
    assert_eq!(store.fair(fair.id).await.expect("read").as_ref(), Some(&fair), "read back whole");
    assert!(matches!(store.commit(save(&fair, None)).await, Err(StoreError::Duplicate { .. })), "added once");

    let mut edited = fair.clone();
    edited.version = 2;
    edited.remove_participant(other.id);
    store.commit(save(&edited, Some(1))).await.expect("edit");
    let mut stale = fair.clone();
    stale.version = 2;
    stale.header.title = "古い画面からの変更".into();
    assert!(matches!(store.commit(save(&stale, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.fair(fair.id).await.expect("read").as_ref(), Some(&edited), "the stale edit changed nothing");
    assert_eq!(store.audit_entries(0, 10_000).await.expect("audit").len(), before + 2, "each write with its entry");

    let later = Fair::new(FairId(uuid::Uuid::from_u128(42)), "13".into(), centre.id, header(date!(2027 - 02 - 10)), at);
    store.commit(save(&later, None)).await.expect("second fair");
    let listed: Vec<FairId> = store.fairs(10).await.expect("list").iter().map(|f| f.id).collect();
    assert_eq!(listed, [later.id, fair.id]);
    assert_eq!(store.fair(FairId(uuid::Uuid::from_u128(43))).await.expect("read"), None);
}

/// Employers are added and edited whole through the audited commit (a taken 法人番号 and a stale
/// edit refused, nothing half-written), found by folded text and filters page by page, linked to
/// the agencies that developed them, and found by the consents that name them.
pub async fn employers_are_saved_searched_and_linked(store: S) {
    use time::macros::date;
    use tsunagu_domain::consent::Recipient;
    use tsunagu_domain::employer::EmployerLink;
    use tsunagu_store::EmployerQuery;
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::MunicipalSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agencies");
    let save = |e: &tsunagu_domain::employer::Employer, expected: Option<i64>| {
        Commit::new(crate::writes::entry_for(&format!("employer:{}", e.id.0)))
            .with(Change::SaveEmployer { employer: Box::new(e.clone()), expected })
    };
    let tsunagu = crate::fixtures::employer(1, 100, "株式会社つなぐ", "かぶしきがいしゃつなぐ", 'G');
    let mut bakery = crate::fixtures::employer(2, 101, "ひまわりベーカリー", "ひまわりべーかりー", 'E');
    bakery.fields.accepts_interns = true;
    bakery.fields.workplace_contact =
        Some(tsunagu_domain::employer::Contact { name: "店長 佐藤".into(), phone: None, email: None });
    let logistics = crate::fixtures::employer(3, 102, "あおば物流", "あおばぶつりゅう", 'H');
    let before = store.audit_entries(0, 10_000).await.expect("audit").len();
    for e in [&tsunagu, &bakery, &logistics] {
        store.commit(save(e, None)).await.expect("new employer");
    }
    let read = store.employer(bakery.id).await.expect("read").expect("found");
    assert_eq!(read, (bakery.clone(), vec![]), "read back whole, contacts too");

    let mut taken = crate::fixtures::employer(4, 101, "同じ番号", "おなじばんごう", 'E');
    assert!(matches!(store.commit(save(&taken, None)).await, Err(StoreError::Duplicate { .. })), "法人番号 is unique");
    taken.fields.corporate_number = tsunagu_domain::CorporateNumber::from_base(103);
    assert_eq!(store.employer(taken.id).await.expect("read"), None, "the refused employer is not there");

    let mut edited = bakery.clone();
    edited.version = 2;
    edited.fields.regular_workers = 45;
    store.commit(save(&edited, Some(1))).await.expect("edit");
    let mut stale = bakery.clone();
    stale.version = 2;
    stale.fields.name = "古い画面".into();
    assert!(matches!(store.commit(save(&stale, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    let mut renumbered = edited.clone();
    renumbered.version = 3;
    renumbered.fields.corporate_number = tsunagu.fields.corporate_number.clone();
    assert!(matches!(store.commit(save(&renumbered, Some(2))).await, Err(StoreError::Duplicate { .. })));
    assert_eq!(store.employer(bakery.id).await.expect("read").map(|(e, _)| e), Some(edited.clone()));
    assert_eq!(store.audit_entries(0, 10_000).await.expect("audit").len(), before + 4, "each write with its entry");

    let search = |q: EmployerQuery| {
        let store = std::sync::Arc::clone(&store);
        async move {
            let page = store.search_employers(&EmployerQuery { limit: 10, ..q }).await.expect("search");
            (page.total, page.rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>())
        }
    };
    let all = search(EmployerQuery::default()).await;
    assert_eq!(all, (3, vec!["あおば物流".into(), "株式会社つなぐ".into(), "ひまわりベーカリー".into()]));
    let folded = tsunagu_domain::text::search_key("ベーカリー");
    assert_eq!(search(EmployerQuery { text: folded, ..Default::default() }).await.1, ["ひまわりベーカリー"]);
    let number = tsunagu.fields.corporate_number.to_string();
    assert_eq!(search(EmployerQuery { text: number, ..Default::default() }).await.1, ["株式会社つなぐ"]);
    assert_eq!(search(EmployerQuery { industry: Some('H'), ..Default::default() }).await.1, ["あおば物流"]);
    assert_eq!(search(EmployerQuery { accepts_interns: true, ..Default::default() }).await.1, ["ひまわりベーカリー"]);
    let page = store.search_employers(&EmployerQuery { offset: 1, limit: 1, ..Default::default() }).await;
    let page = page.expect("page");
    assert_eq!((page.total, page.rows.len(), page.rows[0].name.as_str()), (3, 1, "株式会社つなぐ"));

    let link = EmployerLink {
        agency: centre.id,
        since: date!(2026 - 05 - 01),
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
    };
    let linking = |employer, link: Option<EmployerLink>| {
        Commit::new(crate::writes::entry_for("employer_link")).with(Change::LinkEmployer {
            employer,
            agency: centre.id,
            link,
        })
    };
    store.commit(linking(logistics.id, Some(link.clone()))).await.expect("link");
    let later = EmployerLink { since: date!(2026 - 06 - 01), ..link.clone() };
    store.commit(linking(logistics.id, Some(later))).await.expect("again");
    assert_eq!(
        store.employer(logistics.id).await.expect("read").map(|(_, l)| l),
        Some(vec![link.clone()]),
        "kept once"
    );
    assert_eq!(store.employer_links().await.expect("links"), [(logistics.id, link.clone())], "every link, once");
    let linked = search(EmployerQuery { linked_to: Some(centre.id), ..Default::default() }).await;
    assert_eq!(linked.1, ["あおば物流"]);
    let missing = tsunagu_domain::employer::EmployerId(Uuid::from_u128(77));
    assert!(matches!(store.commit(linking(missing, Some(link))).await, Err(StoreError::NotFound)));
    store.commit(linking(logistics.id, None)).await.expect("unlink");
    assert_eq!(search(EmployerQuery { linked_to: Some(centre.id), ..Default::default() }).await.0, 0);

    let mut r = registration(30, centre.id, "あべ", Duplicates::Link(vec![]));
    let mut consent = r.consents[0].clone();
    consent.consent.id = tsunagu_domain::consent::ConsentId(Uuid::from_u128(31));
    consent.consent.recipient = Recipient::Employer(bakery.id);
    r.consents.push(consent.clone());
    store.register_person(&r).await.expect("person");
    let named = store.consents_naming_employer(bakery.id, 10).await.expect("consents");
    assert_eq!(named.len(), 1);
    assert_eq!((named[0].name.as_str(), &named[0].consent), ("利用者30", &consent));
    assert!(store.consents_naming_employer(tsunagu.id, 10).await.expect("consents").is_empty());
    store.revoke_consent(consent.consent.id, datetime!(2026-12-01 0:00 UTC)).await.expect("revoke");
    assert!(store.consents_naming_employer(bakery.id, 10).await.expect("consents").is_empty(), "withdrawn");
}

/// Openings are written whole through the audited commit (a stale edit refused), read back, listed
/// by employer, and the published ones found by place, category, hours and accommodations.
pub async fn openings_are_saved_and_published_ones_found(store: S) {
    use time::macros::date;
    use tsunagu_domain::opening::{Accommodation, Opening, OpeningFields, OpeningId, OpeningStatus, WageKind};
    use tsunagu_domain::person::DisabilityCategory;
    use tsunagu_store::OpeningQuery;
    seed_reference(store.as_ref()).await;
    let bakery = crate::fixtures::employer(2, 101, "ひまわりベーカリー", "ひまわりべーかりー", 'E');
    store.insert_employers(std::slice::from_ref(&bakery)).await.expect("employer");
    let at = datetime!(2026-12-01 9:00 UTC);
    let opening = |n: u128, status: OpeningStatus, hours: (u8, u8), categories: Vec<DisabilityCategory>| Opening {
        id: OpeningId(Uuid::from_u128(n)),
        prefecture: "13".into(),
        employer: bakery.id,
        fields: OpeningFields {
            title: format!("製造補助{n}"),
            tasks: vec!["パンの袋詰め".into(), "トレーの洗浄".into()],
            hours_min: hours.0,
            hours_max: hours.1,
            wage_kind: WageKind::Hourly,
            wage: 1_250,
            municipality: Some(lg(if n.is_multiple_of(2) { "131016" } else { "131041" })),
            place: None,
            starts_on: Some(date!(2027 - 04 - 01)),
            positions: 1,
            accommodations: if n == 11 {
                vec![Accommodation::WrittenInstructions, Accommodation::JobCoach]
            } else {
                vec![Accommodation::JobCoach]
            },
            categories,
            note: None,
        },
        published_on: (status == OpeningStatus::Published)
            .then_some(date!(2026 - 12 - 01) + time::Duration::days(n as i64)),
        status,
        version: 1,
        created_at: at,
        updated_at: at + time::Duration::minutes(n as i64),
    };
    let save = |o: &Opening, expected: Option<i64>| {
        Commit::new(crate::writes::entry_for(&format!("opening:{}", o.id.0)))
            .with(Change::SaveOpening { opening: Box::new(o.clone()), expected })
    };
    let revision = store.openings_revision().await.expect("revision");
    let draft = opening(10, OpeningStatus::Draft, (20, 30), vec![]);
    let written = opening(11, OpeningStatus::Published, (20, 30), vec![DisabilityCategory::Intellectual]);
    let short = opening(12, OpeningStatus::Published, (10, 20), vec![]);
    let closed = opening(13, OpeningStatus::Closed, (20, 30), vec![]);
    for o in [&draft, &written, &short, &closed] {
        store.commit(save(o, None)).await.expect("opening");
    }
    assert_eq!(store.opening(written.id).await.expect("read").as_ref(), Some(&written), "read back whole");
    assert!(matches!(store.commit(save(&written, None)).await, Err(StoreError::Duplicate { .. })));
    let mut edited = written.clone();
    edited.version = 2;
    edited.fields.wage = 1_300;
    store.commit(save(&edited, Some(1))).await.expect("edit");
    let mut stale = written.clone();
    stale.version = 2;
    assert!(matches!(store.commit(save(&stale, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(
        store.openings_revision().await.expect("revision"),
        revision + 5,
        "each write moved it, the refused did not"
    );
    let ids: Vec<OpeningId> = store.openings_of(bakery.id).await.expect("of").iter().map(|o| o.id).collect();
    assert_eq!(ids, [closed.id, short.id, written.id, draft.id], "latest change first, every status");

    let find = |q: OpeningQuery| {
        let store = Arc::clone(&store);
        async move {
            let page = store.published_openings(&OpeningQuery { limit: 10, ..q }).await.expect("published");
            (page.total, page.rows.iter().map(|(o, name)| (o.id.0.as_u128(), name.clone())).collect::<Vec<_>>())
        }
    };
    let name = "ひまわりベーカリー".to_owned();
    assert_eq!(find(OpeningQuery::default()).await, (2, vec![(12, name.clone()), (11, name.clone())]), "latest first");
    let mental = OpeningQuery { category: Some(DisabilityCategory::Mental), ..Default::default() };
    assert_eq!(find(mental).await.1, [(12, name.clone())], "an opening for any category welcomes everyone");
    assert_eq!(find(OpeningQuery { hours: Some(25), ..Default::default() }).await.1, [(11, name.clone())]);
    assert_eq!(
        find(OpeningQuery { municipality: Some(lg("131016")), ..Default::default() }).await.1,
        [(12, name.clone())]
    );
    let needs = OpeningQuery {
        accommodations: vec![Accommodation::WrittenInstructions, Accommodation::JobCoach],
        ..Default::default()
    };
    assert_eq!(find(needs).await.1, [(11, name.clone())], "every accommodation asked for is offered");
    let page = store.published_openings(&OpeningQuery { offset: 1, limit: 1, ..Default::default() }).await;
    assert_eq!(page.expect("page").rows.len(), 1);
    let mut every: Vec<(u128, String)> = store
        .every_published_opening()
        .await
        .expect("every")
        .iter()
        .map(|(o, name)| (o.id.0.as_u128(), name.clone()))
        .collect();
    every.sort();
    assert_eq!(every, [(11, name.clone()), (12, name)], "every published opening, no draft or closed one");
}

/// A placement is written with its journey's move, read back by person, employer and journey;
/// its end is refused when the journey moved meanwhile (nothing half-written), when stale, or
/// for a placement that does not exist.
pub async fn placements_are_saved_with_the_journey_and_ended_once(store: S) {
    use time::macros::date;
    use tsunagu_domain::journey::{Stage, StageChange};
    use tsunagu_domain::placement::{EndReason, Placement, PlacementEnd, PlacementFields, PlacementId, PlacementKind};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let bakery = crate::fixtures::employer(2, 101, "ひまわりベーカリー", "ひまわりべーかりー", 'E');
    store.insert_employers(std::slice::from_ref(&bakery)).await.expect("employer");
    let reg = registration(1, centre.id, "やまだ", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let person = reg.person.id;
    let worker = tsunagu_domain::account::AccountId(Uuid::from_u128(1));
    let at = datetime!(2026-11-01 9:00 UTC);
    let hired = Placement {
        id: PlacementId(Uuid::from_u128(70)),
        prefecture: "13".into(),
        person,
        agency: centre.id,
        fields: PlacementFields {
            employer: bakery.id,
            opening: None,
            job_title: "製造補助".into(),
            starts_on: date!(2026 - 11 - 01),
            hours: 20,
            kind: PlacementKind::General,
        },
        end: None,
        recorded_by: worker,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    let stage = |n: u128, stage: Stage, on: time::Date| StageChange {
        id: Uuid::from_u128(n),
        prefecture: "13".into(),
        person,
        stage,
        on,
        agency: centre.id,
        recorded_by: worker,
        recorded_at: at,
        reason: String::new(),
    };
    let record = |p: &Placement, expected: Option<i64>, change: StageChange, from: Option<Stage>| {
        Commit::new(crate::writes::entry_for(&format!("placement:{}", p.id.0)))
            .with(Change::SavePlacement { placement: Box::new(p.clone()), expected })
            .with(Change::Stage { change: Box::new(change), expected: from })
    };
    store.commit(record(&hired, None, stage(80, Stage::Employed, date!(2026 - 11 - 01)), None)).await.expect("hired");
    assert_eq!(store.placements_of(person).await.expect("of"), std::slice::from_ref(&hired), "read back whole");
    assert_eq!(store.placements_at(bakery.id).await.expect("at"), std::slice::from_ref(&hired));
    let journey = store.journey_of(person, 10).await.expect("journey");
    assert_eq!(journey.placements, std::slice::from_ref(&hired), "the journey reads its placements");
    assert_eq!(store.person_file(person).await.expect("file").expect("person").stage, Some(Stage::Employed));
    assert!(matches!(
        store.commit(record(&hired, None, stage(81, Stage::Employed, date!(2026 - 11 - 01)), None)).await,
        Err(StoreError::Duplicate { .. })
    ));

    let mut ended = hired.clone();
    ended.end =
        Some(PlacementEnd { ended_on: date!(2026 - 11 - 20), reason: EndReason::Health, note: "通院".into() });
    ended.version = 2;
    // A journey moved meanwhile takes the end with it: nothing is half-written.
    let moved_meanwhile =
        record(&ended, Some(1), stage(82, Stage::Separated, date!(2026 - 11 - 20)), Some(Stage::Retention));
    assert!(matches!(store.commit(moved_meanwhile).await, Err(StoreError::Conflict { .. })));
    assert_eq!(store.placements_of(person).await.expect("of"), std::slice::from_ref(&hired), "still held");
    let end = record(&ended, Some(1), stage(83, Stage::Separated, date!(2026 - 11 - 20)), Some(Stage::Employed));
    store.commit(end).await.expect("ended");
    assert_eq!(store.placements_of(person).await.expect("of"), std::slice::from_ref(&ended));
    let mut twice = ended.clone();
    twice.version = 3;
    let again = Commit::new(crate::writes::entry_for("placement:again"))
        .with(Change::SavePlacement { placement: Box::new(twice), expected: Some(1) });
    assert!(matches!(store.commit(again).await, Err(StoreError::Conflict { current: 2 })), "a stale end is refused");
    let mut stranger = hired.clone();
    stranger.id = PlacementId(Uuid::from_u128(71));
    let missing = Commit::new(crate::writes::entry_for("placement:missing"))
        .with(Change::SavePlacement { placement: Box::new(stranger), expected: Some(1) });
    assert!(matches!(store.commit(missing).await, Err(StoreError::NotFound)));
}

/// Slots are written whole and hold their seats: a booking past the capacity is refused, as is a
/// second booking of the same person while the first holds a seat, and a capacity below the seats
/// taken; a withdrawal frees its seat; the outcomes are read back with their slots.
pub async fn slots_hold_their_seats_and_bookings_their_outcomes(store: S) {
    use time::macros::date;
    use tsunagu_domain::internship::{Booking, BookingId, BookingOutcome, Outcome, Slot, SlotFields, SlotId, SlotKind};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let bakery = crate::fixtures::employer(2, 101, "ひまわりベーカリー", "ひまわりべーかりー", 'E');
    store.insert_employers(std::slice::from_ref(&bakery)).await.expect("employer");
    let persons: Vec<_> =
        (1..=3).map(|n| registration(n, centre.id, &format!("じっしゅう{n}"), Duplicates::Link(vec![]))).collect();
    for reg in &persons {
        store.register_person(reg).await.expect("register");
    }
    let at = datetime!(2026-12-01 9:00 UTC);
    let slot = Slot {
        id: SlotId(Uuid::from_u128(90)),
        prefecture: "13".into(),
        employer: bakery.id,
        agency: centre.id,
        fields: SlotFields {
            kind: SlotKind::Internship,
            title: "製造補助の実習".into(),
            starts_on: date!(2026 - 12 - 07),
            ends_on: date!(2026 - 12 - 11),
            capacity: 2,
            note: String::new(),
        },
        version: 1,
        created_at: at,
        updated_at: at,
    };
    let save_slot = |s: &Slot, expected| {
        Commit::new(crate::writes::entry_for(&format!("slot:{}", s.id.0)))
            .with(Change::SaveSlot { slot: Box::new(s.clone()), expected })
    };
    store.commit(save_slot(&slot, None)).await.expect("slot");
    assert_eq!(store.slot(slot.id).await.expect("slot").as_ref(), Some(&slot), "read back whole");
    assert_eq!(store.slots_of(bakery.id).await.expect("of"), std::slice::from_ref(&slot));
    // A second slot of the kind sharing a day (a form sent twice) is refused where it is written.
    let twin = Slot { id: SlotId(Uuid::from_u128(95)), ..slot.clone() };
    assert!(matches!(store.commit(save_slot(&twin, None)).await, Err(StoreError::Duplicate { .. })), "overlaps");
    let booking = |n: u128, person: usize| Booking {
        id: BookingId(Uuid::from_u128(n)),
        prefecture: "13".into(),
        slot: slot.id,
        person: persons[person].person.id,
        agency: centre.id,
        consent: persons[person].consents[0].consent.id,
        booked_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        booked_at: at,
        outcome: None,
        version: 1,
    };
    let book = |b: &Booking, expected| {
        Commit::new(crate::writes::entry_for(&format!("booking:{}", b.id.0)))
            .with(Change::SaveBooking { booking: Box::new(b.clone()), expected })
    };
    store.commit(book(&booking(91, 0), None)).await.expect("first");
    assert!(matches!(store.commit(book(&booking(92, 0), None)).await, Err(StoreError::Duplicate { .. })), "twice");
    store.commit(book(&booking(93, 1), None)).await.expect("second");
    assert!(
        matches!(store.commit(book(&booking(94, 2), None)).await, Err(StoreError::Conflict { current: 2 })),
        "the slot is full"
    );
    let mut smaller = slot.clone();
    smaller.fields.capacity = 1;
    smaller.version = 2;
    assert!(matches!(store.commit(save_slot(&smaller, Some(1))).await, Err(StoreError::Conflict { .. })));
    assert_eq!(store.slot(slot.id).await.expect("slot").expect("slot").fields.capacity, 2, "unchanged");

    let mut withdrawn = booking(93, 1);
    withdrawn.outcome = Some(BookingOutcome {
        outcome: Outcome::Withdrawn,
        note: "体調不良".into(),
        insurance_subsidy: false,
        employer_grant: false,
    });
    withdrawn.version = 2;
    store.commit(book(&withdrawn, Some(1))).await.expect("withdrawn");
    assert!(matches!(store.commit(book(&withdrawn, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    store.commit(book(&booking(94, 2), None)).await.expect("the freed seat");
    assert_eq!(
        store.bookings_of_slot(slot.id).await.expect("bookings").iter().map(|b| b.id.0.as_u128()).collect::<Vec<_>>(),
        [91, 93, 94]
    );
    let theirs = store.bookings_of_person(persons[1].person.id).await.expect("person's");
    assert_eq!(theirs, [(withdrawn.clone(), slot.clone())]);
    assert_eq!(store.booking_outcomes().await.expect("outcomes"), [(slot.clone(), withdrawn)]);
    assert_eq!(store.every_slot().await.expect("slots"), std::slice::from_ref(&slot));
    let upcoming = store.upcoming_slots(date!(2026 - 12 - 11), 10).await.expect("upcoming");
    let expected = tsunagu_store::UpcomingSlot {
        slot: slot.clone(),
        taken: 2,
        employer: "ひまわりベーカリー".to_owned(),
        municipality: bakery.fields.municipality.clone(),
    };
    assert_eq!(upcoming, [expected], "withdrawn seats are free");
    assert!(store.upcoming_slots(date!(2026 - 12 - 12), 10).await.expect("upcoming").is_empty(), "ended");
    // A tour on the same days is not of the kind.
    let tour = Slot {
        id: SlotId(Uuid::from_u128(96)),
        fields: SlotFields { kind: SlotKind::Tour, ..slot.fields.clone() },
        ..slot.clone()
    };
    store.commit(save_slot(&tour, None)).await.expect("a tour");
}

/// A student's enrolment is one per person, edited on its version; a school lists its students
/// with their names, and the graduates are read with the jobs recorded for them.
pub async fn enrolments_are_one_per_person_and_graduates_carry_their_jobs(store: S) {
    use time::macros::date;
    use tsunagu_domain::placement::{Placement, PlacementFields, PlacementId, PlacementKind};
    use tsunagu_domain::program::FiscalYear;
    use tsunagu_domain::school::{Department, Enrolment, EnrolmentFields};
    seed_reference(store.as_ref()).await;
    let school = agency(6, AgencyKind::SpecialNeedsSchool, "学園", "がくえん", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&school)).await.expect("agency");
    let bakery = crate::fixtures::employer(2, 101, "ひまわりベーカリー", "ひまわりべーかりー", 'E');
    store.insert_employers(std::slice::from_ref(&bakery)).await.expect("employer");
    let students: Vec<_> = [(1, "あおき"), (2, "いとう")]
        .map(|(n, kana)| registration(n, school.id, kana, Duplicates::Link(vec![])))
        .into();
    for reg in &students {
        store.register_person(reg).await.expect("register");
    }
    let at = datetime!(2026-12-01 9:00 UTC);
    let enrolment = |n: usize, graduated_on| Enrolment {
        person: students[n].person.id,
        prefecture: "13".into(),
        school: school.id,
        fields: EnrolmentFields { department: Department::EmploymentSkills, entered: FiscalYear(2023), graduated_on },
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        version: 1,
        updated_at: at,
    };
    let save = |e: &Enrolment, expected| {
        Commit::new(crate::writes::entry_for(&format!("enrolment:{}", e.person.0)))
            .with(Change::SaveEnrolment { enrolment: Box::new(e.clone()), expected })
    };
    let first = enrolment(0, None);
    store.commit(save(&first, None)).await.expect("enrolled");
    assert_eq!(store.enrolment(first.person).await.expect("read"), Some(first.clone()), "read back whole");
    assert!(matches!(store.commit(save(&first, None)).await, Err(StoreError::Duplicate { .. })), "one per person");
    let mut graduated = first.clone();
    graduated.fields.graduated_on = Some(date!(2026 - 03 - 13));
    graduated.version = 2;
    store.commit(save(&graduated, Some(1))).await.expect("graduated");
    assert!(matches!(store.commit(save(&graduated, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    let second = enrolment(1, None);
    store.commit(save(&second, None)).await.expect("second");

    let listed = store.students_of(school.id).await.expect("students");
    let names: Vec<&str> = listed.iter().map(|(_, _, kana, _)| kana.as_str()).collect();
    assert_eq!(names, ["あおき", "いとう"], "by department, year entered and reading");
    assert_eq!((&listed[0].0, listed[0].3), (&graduated, 0), "no internship yet");
    assert!(store.students_of(AgencyId(Uuid::from_u128(999))).await.expect("none").is_empty());

    let job = Placement {
        id: PlacementId(Uuid::from_u128(71)),
        prefecture: "13".into(),
        person: first.person,
        agency: school.id,
        fields: PlacementFields {
            employer: bakery.id,
            opening: None,
            job_title: "製造補助".into(),
            starts_on: date!(2026 - 04 - 01),
            hours: 30,
            kind: PlacementKind::General,
        },
        end: None,
        recorded_by: graduated.recorded_by,
        version: 1,
        created_at: at,
        updated_at: at,
    };
    store
        .commit(
            Commit::new(crate::writes::entry_for("placement:71"))
                .with(Change::SavePlacement { placement: Box::new(job.clone()), expected: None }),
        )
        .await
        .expect("hired");
    assert_eq!(store.graduates().await.expect("graduates"), [(graduated, vec![job])], "students are not graduates");
}

/// A person's job-search conditions are one row, read back whole and edited on their version; a
/// batch read returns those of the persons asked for that have any.
pub async fn job_preferences_are_one_per_person_and_edited_on_their_version(store: S) {
    use tsunagu_domain::opening::Accommodation;
    use tsunagu_domain::preferences::{JobPreferences, PreferenceFields};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let persons: Vec<_> = [(1, "あおき"), (2, "いとう"), (3, "うえだ")]
        .map(|(n, kana)| registration(n, centre.id, kana, Duplicates::Link(vec![])))
        .into();
    for reg in &persons {
        store.register_person(reg).await.expect("register");
    }
    let code = |c: &str| tsunagu_domain::LocalGovCode::parse(c).expect("code");
    let first = JobPreferences {
        person: persons[0].person.id,
        prefecture: "13".into(),
        fields: PreferenceFields {
            areas: vec![code("131041"), code("131016")],
            needs: vec![Accommodation::JobCoach, Accommodation::QuietPlace],
            note: Some("通勤は電車で30分まで".into()),
        },
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        version: 1,
        updated_at: datetime!(2026-12-01 9:00 UTC),
    };
    let save = |p: &JobPreferences, expected| {
        Commit::new(crate::writes::entry_for(&format!("preferences:{}", p.person.0)))
            .with(Change::SavePreferences { preferences: Box::new(p.clone()), expected })
    };
    assert_eq!(store.preferences(first.person).await.expect("none yet"), None);
    store.commit(save(&first, None)).await.expect("recorded");
    assert_eq!(store.preferences(first.person).await.expect("read"), Some(first.clone()), "read back whole, in order");
    assert!(matches!(store.commit(save(&first, None)).await, Err(StoreError::Duplicate { .. })), "one per person");
    let anywhere = JobPreferences {
        fields: PreferenceFields { areas: vec![], needs: vec![], note: None },
        version: 2,
        updated_at: datetime!(2026-12-02 9:00 UTC),
        ..first.clone()
    };
    store.commit(save(&anywhere, Some(1))).await.expect("changed");
    assert!(matches!(store.commit(save(&anywhere, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    let missing = JobPreferences { person: persons[2].person.id, ..anywhere.clone() };
    assert!(matches!(store.commit(save(&missing, Some(1))).await, Err(StoreError::NotFound)), "nothing to edit");
    let second = JobPreferences { person: persons[1].person.id, ..first.clone() };
    store.commit(save(&second, None)).await.expect("second");
    let ids: Vec<_> = persons.iter().map(|r| r.person.id).collect();
    let mut read = store.preferences_of(&ids).await.expect("batch");
    read.sort_by_key(|p| p.person.0);
    let mut expected = vec![anywhere, second];
    expected.sort_by_key(|p| p.person.0);
    assert_eq!(read, expected, "the third has none");
    assert!(store.preferences_of(&[]).await.expect("empty").is_empty());
}

/// Coaches are saved and edited on their version; a dispatch is read back whole, by person and
/// by agency; a day is one per coach, dispatch and day, a coach's minutes in a day stay within the
/// limit whatever the case, and a day logged in error is removed.
pub async fn coaching_keeps_one_day_per_coach_and_case_within_the_days_limit(store: S) {
    use time::macros::date;
    use tsunagu_domain::coaching::{Coach, CoachDay, CoachDayId, CoachFields, CoachId, Dispatch, DispatchId};
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::VocationalCentre, "職業センター", "しょくぎょうせんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let persons: Vec<_> = [(1, "あおき"), (2, "いとう")]
        .map(|(n, kana)| registration(n, centre.id, kana, Duplicates::Link(vec![])))
        .into();
    for reg in &persons {
        store.register_person(reg).await.expect("register");
    }
    let worker = tsunagu_domain::account::AccountId(Uuid::from_u128(1));
    let at = datetime!(2026-10-01 9:00 UTC);
    let (first, dispatch, _) = coaching_fixtures(centre.id, persons[0].person.id, worker, at);
    let second = Coach {
        id: CoachId(Uuid::from_u128(79)),
        fields: CoachFields { name: "青木 花子".into(), ..first.fields.clone() },
        ..first.clone()
    };
    let commit = |record: &str, change: Change| Commit::new(crate::writes::entry_for(record)).with(change);
    for c in [&first, &second] {
        store
            .commit(commit("coach", Change::SaveCoach { coach: Box::new(c.clone()), expected: None }))
            .await
            .expect("coach");
    }
    let edited = Coach { account: Some(worker), version: 2, ..first.clone() };
    store
        .commit(commit("coach", Change::SaveCoach { coach: Box::new(edited.clone()), expected: Some(1) }))
        .await
        .expect("edit");
    assert!(matches!(
        store.commit(commit("coach", Change::SaveCoach { coach: Box::new(edited.clone()), expected: Some(1) })).await,
        Err(StoreError::Conflict { current: 2 })
    ));
    assert_eq!(store.coach(first.id).await.expect("coach"), Some(edited.clone()));
    let roster = store.coaches_of(centre.id).await.expect("roster");
    let mut names = vec!["田中 一郎", "青木 花子"];
    names.sort_unstable();
    assert_eq!(roster.iter().map(|c| c.fields.name.as_str()).collect::<Vec<_>>(), names, "by name");
    assert_eq!(store.every_coach().await.expect("every").len(), 2);

    let one = Dispatch {
        fields: tsunagu_domain::coaching::DispatchFields {
            coaches: vec![first.id, second.id],
            ..dispatch.fields.clone()
        },
        ..dispatch.clone()
    };
    let two = Dispatch { id: DispatchId(Uuid::from_u128(22)), person: persons[1].person.id, ..dispatch.clone() };
    for d in [&one, &two] {
        store
            .commit(commit("dispatch", Change::SaveDispatch { dispatch: Box::new(d.clone()), expected: None }))
            .await
            .expect("dispatch");
    }
    assert_eq!(store.dispatch(one.id).await.expect("read"), Some(one.clone()), "read back whole");
    let mut ended = one.clone();
    ended.fields.ended_on = Some(date!(2026 - 11 - 20));
    ended.version = 2;
    let save =
        |d: &Dispatch, expected| commit("dispatch", Change::SaveDispatch { dispatch: Box::new(d.clone()), expected });
    store.commit(save(&ended, Some(1))).await.expect("ended");
    assert!(matches!(store.commit(save(&ended, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.dispatches_of_person(one.person).await.expect("person's"), [ended.clone()]);
    let open = store.dispatches_of_agency(centre.id, date!(2026 - 12 - 01)).await.expect("agency's");
    assert_eq!(
        open.iter().map(|(d, name)| (d.id, name.as_str())).collect::<Vec<_>>(),
        [(two.id, persons[1].person.fields.name.as_str())],
        "the ended one is left out"
    );
    assert_eq!(store.dispatches_of_agency(centre.id, date!(2026 - 11 - 01)).await.expect("since").len(), 2);

    let day = |n: u128, d: &Dispatch, coach: CoachId, on, minutes| CoachDay {
        id: CoachDayId(Uuid::from_u128(n)),
        prefecture: "13".into(),
        dispatch: d.id,
        person: d.person,
        coach,
        on,
        minutes,
        activities: vec![tsunagu_domain::coaching::Activity::Tasks, tsunagu_domain::coaching::Activity::EmployerAdvice],
        note: "手順書を一緒に作った".into(),
        recorded_by: worker,
        recorded_at: at,
    };
    let log = |d: CoachDay| commit("day", Change::LogCoachDay(Box::new(d)));
    let monday = date!(2026 - 10 - 05);
    store.commit(log(day(31, &one, first.id, monday, 300))).await.expect("a day");
    assert!(
        matches!(store.commit(log(day(32, &one, first.id, monday, 60))).await, Err(StoreError::Duplicate { .. })),
        "one a day per coach and case"
    );
    assert!(
        matches!(
            store.commit(log(day(33, &two, first.id, monday, 500))).await,
            Err(StoreError::Conflict { current: 300 })
        ),
        "twelve hours a day at most"
    );
    store.commit(log(day(34, &two, first.id, monday, 420))).await.expect("up to the limit");
    store.commit(log(day(35, &one, second.id, monday, 120))).await.expect("another coach");
    store.commit(log(day(36, &one, first.id, date!(2026 - 10 - 06), 90))).await.expect("the next day");
    let days = store.days_of_dispatch(one.id).await.expect("days");
    assert_eq!(days.iter().map(|d| d.id.0.as_u128()).collect::<Vec<_>>(), [36, 31, 35], "latest first, then by coach");
    assert_eq!(days[1], day(31, &one, first.id, monday, 300), "read back whole");
    let week = store.days_of_coaches(&[first.id], monday, date!(2026 - 10 - 11)).await.expect("week");
    assert_eq!(week.iter().map(|(d, _)| d.id.0.as_u128()).collect::<Vec<_>>().len(), 3);
    assert!(
        week.iter()
            .all(|(d, name)| name == &persons.iter().find(|r| r.person.id == d.person).unwrap().person.fields.name)
    );
    assert_eq!(store.every_coach_day().await.expect("every").len(), 4);
    // Days logged at once for one coach and day, each on a case of its own, never pass twelve
    // hours between them: three of five four-hour days go in.
    let cases: Vec<Dispatch> =
        (0..5).map(|i| Dispatch { id: DispatchId(Uuid::from_u128(50 + i)), ..two.clone() }).collect();
    for d in &cases {
        store
            .commit(commit("dispatch", Change::SaveDispatch { dispatch: Box::new(d.clone()), expected: None }))
            .await
            .expect("dispatch");
    }
    let busy = date!(2026 - 10 - 20);
    let results = futures_util::future::join_all(cases.iter().enumerate().map(|(i, d)| {
        let store = Arc::clone(&store);
        let racing = log(day(60 + i as u128, d, second.id, busy, 240));
        async move { store.commit(racing).await }
    }))
    .await;
    assert_eq!(
        results.iter().filter(|r| r.is_ok()).count(),
        3,
        "three four-hour days fit in twelve hours: {results:?}"
    );
    assert!(results.iter().all(|r| r.is_ok() || matches!(r, Err(StoreError::Conflict { .. }))), "{results:?}");
    let logged = store.days_of_coaches(&[second.id], busy, busy).await.expect("the busy day");
    assert_eq!(logged.iter().map(|(d, _)| u32::from(d.minutes)).sum::<u32>(), 720);
    let remove = || commit("day", Change::RemoveCoachDay { person: one.person, id: CoachDayId(Uuid::from_u128(36)) });
    store.commit(remove()).await.expect("removed");
    assert!(matches!(store.commit(remove()).await, Err(StoreError::NotFound)));
    assert_eq!(store.days_of_dispatch(one.id).await.expect("days").len(), 2);

    // The database's totals are the domain's: a day on two cases is one day.
    let (from, to) = (date!(2026 - 04 - 01), date!(2027 - 03 - 31));
    let every = store.every_coach_day().await.expect("every");
    let expected = tsunagu_domain::coaching::totals_by_coach(&every, tsunagu_domain::program::FiscalYear(2026));
    let totals = store.coach_totals(Some(centre.id), from, to).await.expect("totals");
    assert_eq!(totals.iter().map(|(c, _)| c.fields.name.as_str()).collect::<Vec<_>>(), names, "every coach, by name");
    for (coach, t) in &totals {
        assert_eq!(*t, expected.get(&coach.id).copied().unwrap_or_default(), "{}", coach.fields.name);
    }
    assert!(totals.iter().any(|(_, t)| t.cases == 2), "a coach on two cases");
    let none = store.coach_totals(None, date!(2025 - 04 - 01), date!(2026 - 03 - 31)).await.expect("last year");
    assert!(none.iter().all(|(_, t)| *t == Default::default()), "no day then, every coach still listed");
    assert_eq!(none.len(), 2);
}

/// Trials: written whole on their version (a stale edit refused, naming the version it met), read
/// back by person and by agency; a week's hours kept once per trial and week, a second log
/// replacing the first; a week withdrawn, and one that is none refused; a week of another
/// person's trial refused; the trials with grants listed for program 9-5.
pub async fn trials_keep_one_week_each_and_refuse_stale_edits(store: S) {
    use time::macros::date;
    use tsunagu_domain::trial::{GrantDecision, Trial, TrialId, TrialWeek};
    seed_reference(store.as_ref()).await;
    let office = agency(6, AgencyKind::HelloWork, "ハローワーク", "はろーわーく", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&office)).await.expect("agency");
    let persons: Vec<_> = [(1, "あおき"), (2, "いとう")]
        .map(|(n, kana)| registration(n, office.id, kana, Duplicates::Link(vec![])))
        .into();
    for reg in &persons {
        store.register_person(reg).await.expect("register");
    }
    let worker = tsunagu_domain::account::AccountId(Uuid::from_u128(1));
    let at = datetime!(2026-10-01 9:00 UTC);
    let (one, week) = trial_fixtures(office.id, persons[0].person.id, worker, at);
    let two = Trial { id: TrialId(Uuid::from_u128(23)), person: persons[1].person.id, ..one.clone() };
    let commit = |record: &str, change: Change| Commit::new(crate::writes::entry_for(record)).with(change);
    let save = |t: &Trial, expected| commit("trial", Change::SaveTrial { trial: Box::new(t.clone()), expected });
    for t in [&one, &two] {
        store.commit(save(t, None)).await.expect("trial");
    }
    assert!(store.commit(save(&one, None)).await.is_err(), "a second first write of one trial is refused");
    assert_eq!(store.trial(one.id).await.expect("read"), Some(one.clone()), "read back whole");
    let mut ended = one.clone();
    ended.fields.ended_on = Some(date!(2026 - 11 - 20));
    ended.fields.outcome = Some(tsunagu_domain::trial::TrialOutcome::Hired);
    ended.fields.grants = vec![GrantDecision { decided_on: date!(2026 - 11 - 30), months: 3, amount_yen: 120_000 }];
    ended.version = 2;
    store.commit(save(&ended, Some(1))).await.expect("ended");
    assert!(matches!(store.commit(save(&ended, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.trials_of_person(one.person).await.expect("person's"), [ended.clone()]);
    let running = store.trials_of_agency(office.id, date!(2026 - 12 - 01)).await.expect("agency's");
    assert_eq!(
        running.iter().map(|(t, name)| (t.id, name.as_str())).collect::<Vec<_>>(),
        [(two.id, persons[1].person.fields.name.as_str())],
        "the ended one is left out"
    );
    assert_eq!(store.trials_of_agency(office.id, date!(2026 - 11 - 01)).await.expect("since").len(), 2);
    assert_eq!(store.granted_trials().await.expect("granted"), [ended.clone()], "only the one with a grant");

    let log = |w: &TrialWeek| commit("week", Change::LogTrialWeek(Box::new(w.clone())));
    store.commit(log(&week)).await.expect("a week");
    let corrected = TrialWeek { minutes: 10 * 60 + 30, ..week.clone() };
    store.commit(log(&corrected)).await.expect("corrected");
    let next = TrialWeek { week_of: date!(2026 - 09 - 07), ..week.clone() };
    store.commit(log(&next)).await.expect("the next week");
    let of_two = TrialWeek { trial: two.id, person: two.person, ..week.clone() };
    store.commit(log(&of_two)).await.expect("the other trial's week");
    let not_theirs = TrialWeek { person: two.person, ..week.clone() };
    assert!(
        matches!(store.commit(log(&not_theirs)).await, Err(StoreError::NotFound)),
        "a week of another person's trial"
    );
    assert_eq!(
        store.weeks_of_trials(&[one.id]).await.expect("weeks"),
        [corrected.clone(), next.clone()],
        "one per week, in order, the correction kept"
    );
    assert_eq!(store.weeks_of_trials(&[one.id, two.id]).await.expect("both").len(), 3);
    let remove = |week_of| commit("week", Change::RemoveTrialWeek { person: one.person, trial: one.id, week_of });
    store.commit(remove(week.week_of)).await.expect("withdrawn");
    assert!(matches!(store.commit(remove(week.week_of)).await, Err(StoreError::NotFound)), "once");
    assert_eq!(store.weeks_of_trials(&[one.id]).await.expect("weeks"), [next]);
}

/// Return-to-work plans: written whole on their version (a second first write and a stale edit
/// refused), read back by person, listed for their centre until they end (a month after, by the
/// day asked), every one for program 9-2.
pub async fn return_plans_are_written_whole_and_listed_until_they_end(store: S) {
    use time::macros::date;
    use tsunagu_domain::rework::{ReturnOutcome, ReturnPlan, ReturnPlanId};
    seed_reference(store.as_ref()).await;
    let centre = agency(7, AgencyKind::VocationalCentre, "職業センター", "しょくぎょうせんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let persons: Vec<_> = [(1, "あおき"), (2, "いとう")]
        .map(|(n, kana)| registration(n, centre.id, kana, Duplicates::Link(vec![])))
        .into();
    for reg in &persons {
        store.register_person(reg).await.expect("register");
    }
    let worker = tsunagu_domain::account::AccountId(Uuid::from_u128(1));
    let at = datetime!(2026-10-01 9:00 UTC);
    let one = return_plan_fixture(centre.id, persons[0].person.id, worker, at);
    let two = ReturnPlan { id: ReturnPlanId(Uuid::from_u128(24)), person: persons[1].person.id, ..one.clone() };
    let save = |p: &ReturnPlan, expected| {
        Commit::new(crate::writes::entry_for("return plan"))
            .with(Change::SaveReturnPlan { plan: Box::new(p.clone()), expected })
    };
    for p in [&one, &two] {
        store.commit(save(p, None)).await.expect("plan");
    }
    assert!(store.commit(save(&one, None)).await.is_err(), "a second first write of one plan is refused");
    assert_eq!(store.return_plan(one.id).await.expect("read"), Some(one.clone()), "read back whole");
    let mut returned = one.clone();
    returned.fields.returned_on = Some(date!(2026 - 12 - 28));
    returned.fields.ended_on = Some(date!(2026 - 12 - 28));
    returned.fields.outcome = Some(ReturnOutcome::Returned);
    returned.version = 2;
    store.commit(save(&returned, Some(1))).await.expect("returned");
    assert!(matches!(store.commit(save(&returned, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.return_plans_of_person(one.person).await.expect("person's"), [returned.clone()]);
    let listed = |since| {
        let store = std::sync::Arc::clone(&store);
        async move {
            store
                .return_plans_of_agency(centre.id, since)
                .await
                .expect("centre's")
                .into_iter()
                .map(|(p, name)| (p.id, name))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(listed(date!(2026 - 12 - 01)).await.len(), 2, "both, the ended one within its month");
    assert_eq!(
        listed(date!(2027 - 02 - 01)).await,
        [(two.id, persons[1].person.fields.name.clone())],
        "the one still going stays, whatever its planned end"
    );
    assert_eq!(store.every_return_plan().await.expect("every").len(), 2);
}

/// Participations in the トライワークプロジェクト: written whole on their version (a second first
/// write and a stale edit refused), read back by person, the latest first, every one for 9-4.
pub async fn trywork_participations_are_written_whole_on_their_version(store: S) {
    use time::macros::date;
    use tsunagu_domain::trywork::{Participation, ParticipationId, TryWorkOutcome};
    seed_reference(store.as_ref()).await;
    let centre = agency(8, AgencyKind::MunicipalSupportCentre, "支援センター", "しえんせんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "あおき", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let worker = tsunagu_domain::account::AccountId(Uuid::from_u128(1));
    let at = datetime!(2026-10-01 9:00 UTC);
    let first = participation_fixture(centre.id, reg.person.id, worker, at);
    let mut earlier = Participation { id: ParticipationId(Uuid::from_u128(25)), ..first.clone() };
    earlier.fields.starts_on = date!(2025 - 10 - 01);
    earlier.fields.planned_until = date!(2026 - 03 - 31);
    let save = |p: &Participation, expected| {
        Commit::new(crate::writes::entry_for("participation"))
            .with(Change::SaveParticipation { participation: Box::new(p.clone()), expected })
    };
    for p in [&earlier, &first] {
        store.commit(save(p, None)).await.expect("participation");
    }
    assert!(store.commit(save(&first, None)).await.is_err(), "a second first write is refused");
    let mut ended = earlier.clone();
    ended.fields.ended_on = Some(date!(2026 - 03 - 20));
    ended.fields.outcome = Some(TryWorkOutcome::Completed);
    ended.version = 2;
    store.commit(save(&ended, Some(1))).await.expect("ended");
    assert!(matches!(store.commit(save(&ended, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.participation(ended.id).await.expect("read"), Some(ended.clone()), "read back whole");
    assert_eq!(store.participations_of_person(reg.person.id).await.expect("person's"), [first, ended], "latest first");
    assert_eq!(store.every_participation().await.expect("every").len(), 2);
}

/// A person's assessment sheets are written whole with both sides' answers, refused a stale
/// version, and read back the latest begun first.
pub async fn assessment_sheets_are_written_whole_on_their_version(store: S) {
    use std::collections::BTreeMap;
    use tsunagu_domain::assessment::{Assessment, AssessmentFields, AssessmentId};
    seed_reference(store.as_ref()).await;
    let centre = agency(8, AgencyKind::MunicipalSupportCentre, "支援センター", "しえんせんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "あおき", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let at = datetime!(2026-11-02 9:00 UTC);
    let earlier = Assessment {
        id: AssessmentId(Uuid::from_u128(51)),
        prefecture: "13".into(),
        person: reg.person.id,
        agency: centre.id,
        fields: AssessmentFields {
            started_on: at.date(),
            person: BTreeMap::new(),
            supporter: BTreeMap::new(),
            person_answered_at: None,
        },
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        version: 1,
        updated_at: at,
    };
    let mut later = Assessment { id: AssessmentId(Uuid::from_u128(52)), ..earlier.clone() };
    later.fields.started_on = time::macros::date!(2026 - 12 - 01);
    let save = |a: &Assessment, expected| {
        Commit::new(crate::writes::entry_for("assessment"))
            .with(Change::SaveAssessment { sheet: Box::new(a.clone()), expected })
    };
    for a in [&earlier, &later] {
        store.commit(save(a, None)).await.expect("sheet");
    }
    assert!(store.commit(save(&later, None)).await.is_err(), "a second first write is refused");
    let mut answered = earlier.clone();
    answered.fields.person.insert("I-2".into(), "事務の仕事".into());
    answered.fields.supporter.insert("I-2".into(), "入力の速さを生かせる".into());
    answered.fields.person_answered_at = Some(at);
    answered.version = 2;
    store.commit(save(&answered, Some(1))).await.expect("answered");
    assert!(matches!(store.commit(save(&answered, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.assessment(answered.id).await.expect("read"), Some(answered.clone()), "read back whole");
    assert_eq!(store.assessments_of_person(reg.person.id).await.expect("person's"), [later, answered], "latest first");
}

/// A person's passport is written whole, one a person, refused a stale version, and read back
/// with its answers and the sections chosen.
pub async fn passports_are_one_a_person_and_written_whole_on_their_version(store: S) {
    use tsunagu_domain::passport::{Passport, PassportFields, PassportId};
    seed_reference(store.as_ref()).await;
    let centre = agency(8, AgencyKind::MunicipalSupportCentre, "支援センター", "しえんせんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "あおき", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let at = datetime!(2026-11-02 9:00 UTC);
    let first = Passport {
        id: PassportId(Uuid::from_u128(61)),
        prefecture: "13".into(),
        person: reg.person.id,
        fields: PassportFields::default(),
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        version: 1,
        updated_at: at,
    };
    let save = |p: &Passport, expected| {
        Commit::new(crate::writes::entry_for("passport"))
            .with(Change::SavePassport { passport: Box::new(p.clone()), expected })
    };
    assert_eq!(store.passport_of_person(reg.person.id).await.expect("none yet"), None);
    store.commit(save(&first, None)).await.expect("begun");
    let second = Passport { id: PassportId(Uuid::from_u128(62)), ..first.clone() };
    assert!(
        matches!(store.commit(save(&second, None)).await, Err(StoreError::Duplicate { .. })),
        "a second passport for the same person is refused"
    );
    let mut written = first.clone();
    written.fields.answers.insert("2-1".into(), "丁寧な確認".into());
    written.fields.shown.insert("2".into());
    written.fields.chosen_at = Some(at);
    written.version = 2;
    store.commit(save(&written, Some(1))).await.expect("written");
    assert!(matches!(store.commit(save(&written, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.passport_of_person(reg.person.id).await.expect("read"), Some(written), "read back whole");
}

/// An employer's quota roster is one an employer, written whole on its version and read back
/// with its months and workers.
pub async fn quota_rosters_are_one_an_employer_and_written_whole_on_their_version(store: S) {
    use tsunagu_domain::quota::{Headcount, MonthHeadcount, Roster, RosterFields, RosterWorker, Worker};
    seed_reference(store.as_ref()).await;
    let employer = crate::fixtures::employer(1, 12050002, "株式会社つなぐ", "かぶしきがいしゃつなぐ", 'G');
    store.insert_employers(std::slice::from_ref(&employer)).await.expect("employer");
    let first = Roster {
        employer: employer.id,
        prefecture: "13".into(),
        fields: RosterFields::default(),
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        version: 1,
        updated_at: datetime!(2026-11-02 9:00 UTC),
    };
    let save = |r: &Roster, expected| {
        Commit::new(crate::writes::entry_for("quota roster"))
            .with(Change::SaveQuotaRoster { roster: Box::new(r.clone()), expected })
    };
    assert_eq!(store.quota_roster(employer.id).await.expect("none yet"), None);
    store.commit(save(&first, None)).await.expect("begun");
    assert!(
        matches!(store.commit(save(&first, None)).await, Err(StoreError::Duplicate { .. })),
        "a second roster for the same employer is refused"
    );
    let mut written = first.clone();
    written.fields.set_headcount(MonthHeadcount {
        month: time::macros::date!(2026 - 06 - 01),
        headcount: Headcount { full_time: 300, short_time: 12 },
    });
    written.fields.workers.push(RosterWorker {
        label: "社員番号 1024".into(),
        worker: Worker { category: tsunagu_domain::person::QuotaCategory::Mental, weekly_minutes: 25 * 60 },
        since: time::macros::date!(2025 - 10 - 01),
        until: None,
    });
    written.version = 2;
    store.commit(save(&written, Some(1))).await.expect("written");
    assert!(matches!(store.commit(save(&written, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.quota_roster(employer.id).await.expect("read"), Some(written), "read back whole");
}

/// A person's work-sample results are written whole, refused a stale version, and read back the
/// latest first.
pub async fn mws_results_are_written_whole_on_their_version(store: S) {
    use tsunagu_domain::mws::{MwsInput, MwsResult, MwsResultId};
    seed_reference(store.as_ref()).await;
    let centre = agency(8, AgencyKind::MunicipalSupportCentre, "支援センター", "しえんせんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "あおき", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let today = time::macros::date!(2026 - 12 - 07);
    let typed = |on: &str, task: &str| MwsInput {
        done_on: on.into(),
        edition: "brief".into(),
        task: task.into(),
        level: "2".into(),
        trials: "12".into(),
        correct: "10".into(),
        minutes: "25".into(),
        ..MwsInput::default()
    };
    let earlier = MwsResult {
        id: MwsResultId(Uuid::from_u128(41)),
        prefecture: "13".into(),
        person: reg.person.id,
        agency: centre.id,
        fields: typed("2026-11-02", "数値入力").validate(today).expect("valid"),
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        version: 1,
        updated_at: datetime!(2026-11-02 9:00 UTC),
    };
    let later = MwsResult {
        id: MwsResultId(Uuid::from_u128(42)),
        fields: typed("2026-12-01", "ピッキング").validate(today).expect("valid"),
        ..earlier.clone()
    };
    let save = |r: &MwsResult, expected| {
        Commit::new(crate::writes::entry_for("work sample"))
            .with(Change::SaveMwsResult { result: Box::new(r.clone()), expected })
    };
    for r in [&earlier, &later] {
        store.commit(save(r, None)).await.expect("result");
    }
    assert!(store.commit(save(&later, None)).await.is_err(), "a second first write is refused");
    let mut corrected = earlier.clone();
    corrected.fields.correct = 12;
    corrected.version = 2;
    store.commit(save(&corrected, Some(1))).await.expect("corrected");
    assert!(matches!(store.commit(save(&corrected, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.mws_result(corrected.id).await.expect("read"), Some(corrected.clone()), "read back whole");
    assert_eq!(store.mws_results_of_person(reg.person.id).await.expect("person's"), [later, corrected], "latest first");
}

/// A person's work-transition checklists are written whole, refused a stale version, and read
/// back the earliest first with every answer as written.
pub async fn checklists_are_written_whole_on_their_version(store: S) {
    use time::macros::date;
    use tsunagu_domain::checklist::{AnswerInput, Checklist, ChecklistId, ChecklistInput, items};
    seed_reference(store.as_ref()).await;
    let centre = agency(8, AgencyKind::MunicipalSupportCentre, "支援センター", "しえんせんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.expect("agency");
    let reg = registration(1, centre.id, "あおき", Duplicates::Link(vec![]));
    store.register_person(&reg).await.expect("register");
    let answered = |level: &str, on: &str| ChecklistInput {
        assessed_on: on.into(),
        checklist_note: "報告の練習".into(),
        answers: items()
            .iter()
            .map(|i| {
                let rating = if i.only_if_applicable { "na" } else { level };
                (i.code.to_owned(), AnswerInput { rating: rating.into(), comment: "声かけで気づける".into() })
            })
            .collect(),
    };
    let today = date!(2026 - 12 - 07);
    let later = Checklist {
        id: ChecklistId(Uuid::from_u128(31)),
        prefecture: "13".into(),
        person: reg.person.id,
        agency: centre.id,
        fields: answered("2", "2026-12-01").validate(today).expect("valid"),
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(1)),
        version: 1,
        updated_at: datetime!(2026-12-01 9:00 UTC),
    };
    let earlier = Checklist {
        id: ChecklistId(Uuid::from_u128(32)),
        fields: answered("2", "2026-06-01").validate(today).expect("valid"),
        ..later.clone()
    };
    let save = |k: &Checklist, expected| {
        Commit::new(crate::writes::entry_for("checklist"))
            .with(Change::SaveChecklist { checklist: Box::new(k.clone()), expected })
    };
    for k in [&later, &earlier] {
        store.commit(save(k, None)).await.expect("checklist");
    }
    assert!(store.commit(save(&later, None)).await.is_err(), "a second first write is refused");
    let mut corrected = earlier.clone();
    corrected.fields = answered("1", "2026-06-01").validate(today).expect("valid");
    corrected.version = 2;
    store.commit(save(&corrected, Some(1))).await.expect("corrected");
    assert!(matches!(store.commit(save(&corrected, Some(1))).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.checklist(corrected.id).await.expect("read"), Some(corrected.clone()), "read back whole");
    assert_eq!(
        store.checklists_of_person(reg.person.id).await.expect("person's"),
        [corrected, later],
        "the earliest first"
    );
    assert_eq!(store.checklist(ChecklistId(Uuid::from_u128(99))).await.expect("read"), None);
}

/// An event of 20 seats organised by agency 1, taking sign-ups.
fn event_fixture(n: u128, capacity: u32, at: OffsetDateTime) -> tsunagu_domain::event::Event {
    use time::macros::{date, time};
    use tsunagu_domain::event::{Audience, Event, EventFields, EventId, EventKind, Series, Session};
    Event {
        id: EventId(Uuid::from_u128(n)),
        prefecture: "13".into(),
        organiser: AgencyId(Uuid::from_u128(1)),
        fields: EventFields {
            kind: EventKind::Seminar,
            series: Some(Series::TopicSeminar),
            title: "就労支援課題別セミナー「アセスメントの視点を学ぶ」".into(),
            description: String::new(),
            audiences: vec![Audience::Staff, Audience::Persons],
            starts_on: date!(2027 - 01 - 20),
            ends_on: date!(2027 - 01 - 21),
            sessions: vec![
                Session {
                    date: date!(2027 - 01 - 20),
                    starts_at: time!(13:30),
                    ends_at: time!(16:30),
                    place: "東京障害者職業センター".into(),
                },
                Session {
                    date: date!(2027 - 01 - 21),
                    starts_at: time!(13:30),
                    ends_at: time!(16:30),
                    place: "https://meet.example.jp/seminar".into(),
                },
            ],
            capacity,
            opens_on: date!(2026 - 12 - 01),
            closes_on: date!(2027 - 01 - 15),
            curriculum: vec![],
            area: None,
            agenda: String::new(),
            minutes: String::new(),
        },
        written_by: tsunagu_domain::account::AccountId(Uuid::from_u128(2)),
        version: 1,
        updated_at: at,
    }
}

/// A sign-up of `attendee` to event `event`, as the application hands it to the store.
fn signup_fixture(
    n: u128,
    event: &tsunagu_domain::event::Event,
    attendee: tsunagu_domain::event::Attendee,
    at: OffsetDateTime,
) -> tsunagu_domain::event::Signup {
    use tsunagu_domain::event::{Signup, SignupId, SignupStatus};
    Signup {
        id: SignupId(Uuid::from_u128(n)),
        prefecture: "13".into(),
        event: event.id,
        attendee_name: match attendee {
            tsunagu_domain::event::Attendee::Account(a) => format!("職員 {}", a.0.as_u128()),
            tsunagu_domain::event::Attendee::Person(_) => String::new(),
        },
        attendee,
        agency: None,
        signed_up_by: tsunagu_domain::account::AccountId(Uuid::from_u128(2)),
        signed_up_at: at,
        status: SignupStatus::Waitlisted,
        position: 0,
        promoted_at: None,
        cancelled_at: None,
        attended: 0,
        version: 1,
    }
}

fn account_attendee(n: u128) -> tsunagu_domain::event::Attendee {
    tsunagu_domain::event::Attendee::Account(tsunagu_domain::account::AccountId(Uuid::from_u128(n)))
}

/// 200 sign-ups racing for 20 seats: exactly 20 confirmed and 180 waitlisted, in the order they
/// were written; 20 cancellations racing each other give the seats to exactly the next 20.
pub async fn sign_ups_racing_never_overfill_an_event(store: S) {
    use tsunagu_domain::event::SignupStatus;
    let at = datetime!(2026-12-07 09:00 UTC);
    let event = event_fixture(500, 20, at);
    let save = Change::SaveEvent { event: Box::new(event.clone()), expected: None };
    store.commit(Commit::new(crate::writes::entry_for("event")).with(save)).await.expect("event");
    let tasks: Vec<_> = (0..200u128)
        .map(|i| {
            let store = Arc::clone(&store);
            let signup = signup_fixture(1000 + i, &event, account_attendee(5000 + i), at);
            tokio::spawn(async move {
                let commit = Commit::new(crate::writes::entry_for("sign-up")).with(Change::SignUp(Box::new(signup)));
                store.commit(commit).await.expect("sign up")
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    let signups = store.signups_of_event(event.id).await.expect("sign-ups");
    assert_eq!(signups.len(), 200);
    assert_eq!(signups.iter().map(|s| s.position).collect::<Vec<_>>(), (1..=200).collect::<Vec<_>>());
    let status = |s: &tsunagu_domain::event::Signup| s.status;
    assert!(signups[..20].iter().all(|s| status(s) == SignupStatus::Confirmed), "the first 20 hold the seats");
    assert!(signups[20..].iter().all(|s| status(s) == SignupStatus::Waitlisted), "the other 180 wait in line");
    // The order of arrival is the order of the writes: each entry's sequence follows the last.
    let entries = store.audit_entries(0, 1000).await.expect("entries");
    assert_eq!(entries.len(), 201);
    let confirmed: Vec<_> = signups[..20].iter().map(|s| s.id).collect();
    let tasks: Vec<_> = confirmed
        .iter()
        .map(|id| {
            let (store, id) = (Arc::clone(&store), *id);
            tokio::spawn(async move {
                let cancel = Change::CancelSignup { event: event.id, id, at: at + time::Duration::hours(1) };
                store.commit(Commit::new(crate::writes::entry_for("cancel")).with(cancel)).await.expect("cancel")
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task");
    }
    let signups = store.signups_of_event(event.id).await.expect("sign-ups");
    let of = |wanted| signups.iter().filter(|s| s.status == wanted).map(|s| s.position).collect::<Vec<_>>();
    assert_eq!(of(SignupStatus::Cancelled), (1..=20).collect::<Vec<_>>());
    assert_eq!(of(SignupStatus::Confirmed), (21..=40).collect::<Vec<_>>(), "exactly the next 20 in line");
    assert_eq!(of(SignupStatus::Waitlisted), (41..=200).collect::<Vec<_>>());
    assert!(signups[20..40].iter().all(|s| s.promoted_at == Some(at + time::Duration::hours(1))));
    assert!(signups[40..].iter().all(|s| s.promoted_at.is_none()));
    assert_eq!(store.place_in_line(signups[199].id).await.expect("place"), Some(160), "the last of 160 waiting");
}

/// An event is edited on its version; its capacity cannot drop below the seats confirmed, and
/// seats it adds go to the first in line; one attendee signs up once; a cancel is kept once;
/// attendance marks each session.
pub async fn events_keep_their_seats_through_edits_cancels_and_attendance(store: S) {
    use tsunagu_domain::event::{Attendee, SignupStatus};
    let at = datetime!(2026-12-07 09:00 UTC);
    let event = event_fixture(600, 2, at);
    let commit = |what: &'static str, change: Change| {
        let store = Arc::clone(&store);
        async move { store.commit(Commit::new(crate::writes::entry_for(what)).with(change)).await.map(|_| ()) }
    };
    commit("event", Change::SaveEvent { event: Box::new(event.clone()), expected: None }).await.expect("event");
    assert_eq!(store.event(event.id).await.expect("read"), Some(event.clone()));
    for i in 0..4u128 {
        let s = signup_fixture(700 + i, &event, account_attendee(800 + i), at);
        commit("sign-up", Change::SignUp(Box::new(s))).await.expect("sign up");
    }
    let again = signup_fixture(710, &event, account_attendee(800), at);
    let twice = commit("again", Change::SignUp(Box::new(again.clone()))).await;
    assert!(matches!(twice, Err(StoreError::Duplicate { .. })), "{twice:?}");
    let nowhere = tsunagu_domain::event::Signup {
        event: tsunagu_domain::event::EventId(Uuid::from_u128(9)),
        ..signup_fixture(711, &event, account_attendee(900), at)
    };
    let missing = commit("nowhere", Change::SignUp(Box::new(nowhere))).await;
    assert!(matches!(missing, Err(StoreError::NotFound)), "{missing:?}");

    let mut smaller = event.clone();
    smaller.fields.capacity = 1;
    smaller.version = 2;
    let lowered = commit("lowered", Change::SaveEvent { event: Box::new(smaller), expected: Some(1) }).await;
    assert!(matches!(lowered, Err(StoreError::Conflict { current: 2 })), "{lowered:?}");
    let mut larger = event.clone();
    larger.fields.capacity = 3;
    larger.version = 2;
    let raised = Change::SaveEvent { event: Box::new(larger.clone()), expected: Some(1) };
    commit("raised", raised.clone()).await.expect("raised");
    let stale = commit("stale", raised).await;
    assert!(matches!(stale, Err(StoreError::Conflict { current: 2 })), "{stale:?}");
    let statuses = || async {
        store.signups_of_event(event.id).await.expect("sign-ups").iter().map(|s| s.status).collect::<Vec<_>>()
    };
    use SignupStatus::{Cancelled, Confirmed, Waitlisted};
    assert_eq!(
        statuses().await,
        [Confirmed, Confirmed, Confirmed, Waitlisted],
        "the third seat went to the first in line"
    );

    let first = tsunagu_domain::event::SignupId(Uuid::from_u128(700));
    let cancel = Change::CancelSignup { event: event.id, id: first, at: at + time::Duration::hours(2) };
    commit("cancel", cancel.clone()).await.expect("cancel");
    commit("cancel again", cancel).await.expect("a second cancel changes nothing");
    assert_eq!(statuses().await, [Cancelled, Confirmed, Confirmed, Confirmed]);
    let wrong = Change::CancelSignup { event: tsunagu_domain::event::EventId(Uuid::from_u128(9)), id: first, at };
    assert!(matches!(commit("wrong event", wrong).await, Err(StoreError::NotFound)));
    // The attendee who cancelled may sign up again, at the end of the line.
    let back = signup_fixture(720, &event, account_attendee(800), at);
    commit("back", Change::SignUp(Box::new(back))).await.expect("signs up again");
    let back = store.signup(tsunagu_domain::event::SignupId(Uuid::from_u128(720))).await.expect("read").expect("there");
    assert_eq!((back.status, back.position), (Waitlisted, 5));
    assert_eq!(store.place_in_line(back.id).await.expect("place"), Some(1), "the only one waiting");
    assert_eq!(store.place_in_line(tsunagu_domain::event::SignupId(Uuid::from_u128(701))).await.expect("place"), None);

    let present = vec![
        tsunagu_domain::event::SignupId(Uuid::from_u128(701)),
        tsunagu_domain::event::SignupId(Uuid::from_u128(702)),
    ];
    commit("attendance", Change::RecordAttendance { event: event.id, session: 1, present: present.clone() })
        .await
        .expect("attendance");
    commit("attendance", Change::RecordAttendance { event: event.id, session: 0, present: present[..1].to_vec() })
        .await
        .expect("attendance");
    let signups = store.signups_of_event(event.id).await.expect("sign-ups");
    assert_eq!(signups.iter().map(|s| s.attended).collect::<Vec<_>>(), [0, 0b11, 0b10, 0, 0]);
    assert!(signups[1].completed(2) && !signups[2].completed(2));
    assert_eq!(store.event_attendees().await.expect("attendees"), [(event.id, 2)]);

    let mine = store.signups_of_account(tsunagu_domain::account::AccountId(Uuid::from_u128(801))).await.expect("mine");
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0].0.attendee, mine[0].1.id),
        (Attendee::Account(tsunagu_domain::account::AccountId(Uuid::from_u128(801))), event.id)
    );
    let signer =
        store.signups_of_account(tsunagu_domain::account::AccountId(Uuid::from_u128(2))).await.expect("theirs");
    assert_eq!(signer.len(), 5, "the staff member who signed them up sees them all");
    assert_eq!(store.events_from(time::macros::date!(2027 - 01 - 21), 10).await.expect("from").len(), 1);
    assert!(store.events_from(time::macros::date!(2027 - 01 - 22), 10).await.expect("from").is_empty());
    assert_eq!(
        store.events_of_agency(AgencyId(Uuid::from_u128(1)), 10).await.expect("agency's"),
        [store.event(event.id).await.unwrap().unwrap()]
    );
    assert_eq!(store.every_event().await.expect("every").len(), 1);
}

/// A record of assistance is written whole, edited on its version, and listed by office, the
/// latest day first.
pub async fn assistance_records_are_written_whole_on_their_version(store: S) {
    use time::macros::date;
    use tsunagu_domain::assistance::{Assistance, AssistanceFields, AssistanceId, AssistanceTopic};
    let at = datetime!(2026-12-07 09:00 UTC);
    let office = AgencyId(Uuid::from_u128(1));
    let record = |n: u128, on: time::Date| Assistance {
        id: AssistanceId(Uuid::from_u128(n)),
        prefecture: "13".into(),
        office,
        fields: AssistanceFields {
            given_on: on,
            helped: AgencyId(Uuid::from_u128(2)),
            topics: vec![AssistanceTopic::Assessment],
            given_by: "復職 支援".into(),
            note: "ワークサンプル幕張版の実施方法".into(),
        },
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(3)),
        version: 1,
        updated_at: at,
    };
    let save = |a: Assistance, expected: Option<i64>| {
        let store = Arc::clone(&store);
        async move {
            let change = Change::SaveAssistance { record: Box::new(a), expected };
            store.commit(Commit::new(crate::writes::entry_for("assistance")).with(change)).await.map(|_| ())
        }
    };
    let (first, second) = (record(10, date!(2026 - 11 - 02)), record(11, date!(2026 - 12 - 01)));
    save(first.clone(), None).await.expect("first");
    save(second.clone(), None).await.expect("second");
    assert!(matches!(save(first.clone(), None).await, Err(StoreError::Duplicate { .. })));
    assert_eq!(store.assistance(first.id).await.expect("read"), Some(first.clone()));
    let listed = store.assistance_of_office(office, 10).await.expect("listed");
    assert_eq!(listed.iter().map(|a| a.id).collect::<Vec<_>>(), [second.id, first.id], "the latest day first");
    assert!(store.assistance_of_office(AgencyId(Uuid::from_u128(2)), 10).await.expect("none").is_empty());
    let edited = Assistance {
        version: 2,
        fields: AssistanceFields { topics: vec![AssistanceTopic::SupportMethod], ..first.fields.clone() },
        ..first.clone()
    };
    save(edited.clone(), Some(1)).await.expect("edited");
    assert!(matches!(save(edited.clone(), Some(1)).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.assistance(first.id).await.expect("read"), Some(edited));
    assert_eq!(store.every_assistance().await.expect("every").len(), 2);
}

/// A coordinator is written whole, edited on their version, and listed by location, the latest to
/// begin first.
pub async fn coordinators_are_written_whole_on_their_version(store: S) {
    use time::macros::date;
    use tsunagu_domain::liaison::{Coordinator, CoordinatorFields, CoordinatorId};
    let at = datetime!(2026-12-07 09:00 UTC);
    let location = AgencyId(Uuid::from_u128(1));
    let coordinator = |n: u128, since: time::Date| Coordinator {
        id: CoordinatorId(Uuid::from_u128(n)),
        prefecture: "13".into(),
        agency: location,
        fields: CoordinatorFields {
            name: "連携 太郎".into(),
            since,
            until: None,
            institutions: vec![AgencyId(Uuid::from_u128(7))],
            note: String::new(),
        },
        recorded_by: tsunagu_domain::account::AccountId(Uuid::from_u128(3)),
        version: 1,
        updated_at: at,
    };
    let save = |c: Coordinator, expected: Option<i64>| {
        let store = Arc::clone(&store);
        async move {
            let change = Change::SaveCoordinator { coordinator: Box::new(c), expected };
            store.commit(Commit::new(crate::writes::entry_for("coordinator")).with(change)).await.map(|_| ())
        }
    };
    let (first, second) = (coordinator(10, date!(2025 - 04 - 01)), coordinator(11, date!(2026 - 06 - 01)));
    save(first.clone(), None).await.expect("first");
    save(second.clone(), None).await.expect("second");
    assert!(matches!(save(first.clone(), None).await, Err(StoreError::Duplicate { .. })));
    assert_eq!(store.coordinator(first.id).await.expect("read"), Some(first.clone()));
    let listed = store.coordinators_of(location).await.expect("listed");
    assert_eq!(listed.iter().map(|c| c.id).collect::<Vec<_>>(), [second.id, first.id], "the latest first");
    let left = Coordinator {
        version: 2,
        fields: CoordinatorFields { until: Some(date!(2026 - 09 - 30)), ..first.fields.clone() },
        ..first.clone()
    };
    save(left.clone(), Some(1)).await.expect("edited");
    assert!(matches!(save(left.clone(), Some(1)).await, Err(StoreError::Conflict { current: 2 })));
    assert_eq!(store.coordinator(first.id).await.expect("read"), Some(left));
    assert_eq!(store.every_coordinator().await.expect("every").len(), 2);
}
