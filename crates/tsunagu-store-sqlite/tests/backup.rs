//! A backup taken while the store is writing: a sound database holding every write acknowledged
//! before it began, each with its audit entry and none without; restore puts it in place only
//! when it checks out, and never over a file.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use deadpool_sqlite::rusqlite::Connection;
use tsunagu_domain::audit::{AuditAction, AuditEvent};
use tsunagu_domain::directory::AgencyKind;
use tsunagu_store::{Change, Commit, DirectoryStore, RecordStore, Store};
use tsunagu_store_conformance::fixtures::{agency, agency_document, seed_reference};
use tsunagu_store_sqlite::SqliteStore;
use tsunagu_store_sqlite::backup::{BackupError, backup, check, restore};

/// The entry of document `n`'s write.
fn entry(n: u64) -> AuditEvent {
    AuditEvent {
        at_micros: n as i64,
        actor: "00000000-0000-0000-0000-000000000001".into(),
        actor_label: "hellowork".into(),
        action: AuditAction::Create,
        record: format!("agency_document:{}", uuid::Uuid::from_u128(u128::from(n))),
        person: String::new(),
        fields: vec!["title".into(), "file".into()],
        basis: "directory_policy".into(),
    }
}

fn ids(c: &Connection, sql: &str) -> BTreeSet<String> {
    c.prepare(sql).unwrap().query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_under_write_load_holds_every_write_acknowledged_before_it_began() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.sqlite3");
    let store = Arc::new(SqliteStore::open(&path, 4).unwrap());
    store.migrate().await.unwrap();
    seed_reference(store.as_ref()).await;
    let centre = agency(5, AgencyKind::EmploymentLifeSupportCentre, "センター", "せんたー", Some("131041"));
    store.insert_agencies(std::slice::from_ref(&centre)).await.unwrap();

    // Writers attach documents without pause, each recording when its write was acknowledged.
    let next = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let acked: Arc<Mutex<Vec<(u64, Instant)>>> = Arc::default();
    let writers: Vec<_> = (0..3)
        .map(|_| {
            let (store, next, stop, acked) = (store.clone(), next.clone(), stop.clone(), acked.clone());
            tokio::spawn(async move {
                while !stop.load(Ordering::Relaxed) {
                    let n = next.fetch_add(1, Ordering::Relaxed) + 1;
                    // Some large, so that the backup has a database worth the time to copy.
                    let content = vec![n as u8; if n <= 48 { 1 << 20 } else { 2048 }];
                    let document = agency_document(u128::from(n), centre.id, &content);
                    let change = Change::AgencyDocument { document: Box::new(document), content };
                    store.commit(Commit::new(entry(n)).with(change)).await.unwrap();
                    acked.lock().unwrap().push((n, Instant::now()));
                }
            })
        })
        .collect();
    while acked.lock().unwrap().len() < 100 {
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }

    let copy = dir.path().join("backup.sqlite3");
    let began = Instant::now();
    let (from, to) = (path.clone(), copy.clone());
    let checked = tokio::task::spawn_blocking(move || backup(&from, &to)).await.unwrap().unwrap();
    let ended = Instant::now();
    stop.store(true, Ordering::Relaxed);
    for w in writers {
        w.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    let before: BTreeSet<String> = acked
        .iter()
        .filter(|(_, at)| *at < began)
        .map(|(n, _)| uuid::Uuid::from_u128(u128::from(*n)).to_string())
        .collect();
    let during = acked.iter().filter(|(_, at)| *at >= began && *at <= ended).count();

    let c = Connection::open(&copy).unwrap();
    let held = ids(&c, "SELECT id FROM agency_documents");
    let logged = ids(&c, "SELECT substr(record, 17) FROM audit_log WHERE record LIKE 'agency_document:%'");
    println!(
        "{} writes acknowledged before the backup began, {during} while it ran; the backup holds {}",
        before.len(),
        held.len()
    );
    assert!(before.is_subset(&held), "every write acknowledged before the backup began is in it");
    assert_eq!(held, logged, "each write in the backup has its audit entry, and each entry its write");
    assert!(during > 0, "the store kept acknowledging writes while the backup ran");
    assert_eq!(checked.audit_entries as usize, logged.len());
    assert!(checked.head.is_some());

    // The backup is restored only where no file is, and reads as it was taken.
    let restored = dir.path().join("restored.sqlite3");
    assert!(matches!(restore(&copy, &path), Err(BackupError::Exists(_))), "never over the live database");
    assert_eq!(restore(&copy, &restored).unwrap(), checked);
    assert!(matches!(backup(&path, &copy), Err(BackupError::Exists(_))), "never over an earlier backup");
}

#[tokio::test]
async fn a_damaged_or_tampered_backup_is_not_restored() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.sqlite3");
    let store = SqliteStore::open(&path, 2).unwrap();
    store.migrate().await.unwrap();
    for n in 1..=5 {
        store.commit(Commit::new(entry(n))).await.unwrap();
    }
    let copy = dir.path().join("backup.sqlite3");
    assert_eq!(backup(&path, &copy).unwrap().audit_entries, 5);

    // Someone with the file rewrites an entry of the backup.
    let raw = Connection::open(&copy).unwrap();
    raw.execute_batch("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET actor_label = 'someone' WHERE seq = 3;")
        .unwrap();
    drop(raw);
    let restored = dir.path().join("restored.sqlite3");
    let refused = restore(&copy, &restored).unwrap_err();
    assert_eq!(refused.to_string(), "its audit log is broken: entry 3 was changed");
    assert!(!restored.exists(), "nothing is put in place");

    // A file cut short is refused by SQLite's own check.
    let (again, cut) = (dir.path().join("again.sqlite3"), dir.path().join("cut.sqlite3"));
    backup(&path, &again).unwrap();
    let bytes = std::fs::read(&again).unwrap();
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert!(check(&cut).is_err());
    assert!(restore(&cut, &restored).is_err());
    assert!(!restored.exists());
}
