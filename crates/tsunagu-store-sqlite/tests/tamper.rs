//! The audit log refuses changes, and when someone with the database file works around that,
//! the chain names the entry they touched.

use deadpool_sqlite::rusqlite::Connection;
use tsunagu_domain::audit::{AuditAction, AuditEvent, Tamper, Verifier};
use tsunagu_store::{AuditStore, Commit, RecordStore, Store};
use tsunagu_store_sqlite::SqliteStore;

fn event(n: i64) -> AuditEvent {
    AuditEvent {
        at_micros: n,
        actor: "a".into(),
        actor_label: "worker".into(),
        action: AuditAction::Read,
        record: format!("person:{n}"),
        person: format!("{n}"),
        fields: vec!["name".into()],
        basis: "own_case".into(),
    }
}

/// A database with five entries; returns the store and a raw connection to the same file.
async fn log_of_five() -> (tempfile::TempDir, SqliteStore, Connection) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.sqlite3");
    let store = SqliteStore::open(&path, 2).unwrap();
    store.migrate().await.unwrap();
    for n in 1..=5 {
        store.commit(Commit::new(event(n))).await.unwrap();
    }
    let raw = Connection::open(&path).unwrap();
    (dir, store, raw)
}

async fn verify(store: &SqliteStore) -> Result<u64, Tamper> {
    let mut v = Verifier::default();
    for e in store.audit_entries(0, 1000).await.unwrap() {
        v.check(&e)?;
    }
    Ok(v.checked)
}

#[tokio::test]
async fn the_database_refuses_to_change_or_delete_entries() {
    let (_dir, store, raw) = log_of_five().await;
    let update = raw.execute("UPDATE audit_log SET record = 'x' WHERE seq = 2", []);
    assert!(update.unwrap_err().to_string().contains("append-only"));
    let delete = raw.execute("DELETE FROM audit_log WHERE seq = 2", []);
    assert!(delete.unwrap_err().to_string().contains("append-only"));
    assert_eq!(verify(&store).await, Ok(5));
}

#[tokio::test]
async fn each_tampering_past_the_triggers_is_named() {
    let cases = [
        ("UPDATE audit_log SET record = 'person:99' WHERE seq = 3", Tamper::Changed { seq: 3 }),
        ("DELETE FROM audit_log WHERE seq = 2", Tamper::Removed { seq: 3 }),
        ("UPDATE audit_log SET seq = 6 WHERE seq = 5", Tamper::Changed { seq: 6 }),
        ("DELETE FROM audit_log WHERE seq = 4", Tamper::Removed { seq: 5 }),
        (
            "INSERT INTO audit_log SELECT 6, at_micros, actor, actor_label, action, record, person, fields, basis,
                prev_hash, hash FROM audit_log WHERE seq = 2",
            Tamper::Inserted { seq: 6 },
        ),
    ];
    for (sql, expected) in cases {
        let (_dir, store, raw) = log_of_five().await;
        raw.execute_batch(&format!("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {sql};"))
            .unwrap();
        assert_eq!(verify(&store).await, Err(expected), "{sql}");
    }
}
