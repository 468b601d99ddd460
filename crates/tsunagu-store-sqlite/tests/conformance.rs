//! The storage conformance suite on SQLite: each case gets a new database file.

use std::sync::Arc;

use deadpool_sqlite::rusqlite::Connection;
use tsunagu_store::Store;
use tsunagu_store_conformance::{BoxFuture, BreakAudit, conformance_suite};
use tsunagu_store_sqlite::SqliteStore;

async fn with_store(case: impl FnOnce(Arc<dyn Store>, BreakAudit) -> BoxFuture<'static, ()> + Send + 'static) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.sqlite3");
    let store = SqliteStore::open(&path, 4).unwrap();
    assert_eq!(store.migrate().await.unwrap(), 45, "every migration runs on a new database");
    let break_audit: BreakAudit = Box::new(move || {
        Box::pin(async move {
            Connection::open(&path)
                .unwrap()
                .execute_batch(
                    "CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log
                     BEGIN SELECT RAISE(ABORT, 'the audit log refuses appends'); END;",
                )
                .unwrap();
        })
    });
    case(Arc::new(store), break_audit).await;
}

conformance_suite!(with_store);
