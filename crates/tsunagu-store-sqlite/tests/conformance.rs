//! The storage conformance suite on SQLite: each case gets a new database file.

use std::sync::Arc;

use tsunagu_store::Store;
use tsunagu_store_conformance::{BoxFuture, conformance_suite};
use tsunagu_store_sqlite::SqliteStore;

async fn with_store(case: impl FnOnce(Arc<dyn Store>) -> BoxFuture<'static, ()> + Send + 'static) {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("test.sqlite3"), 4).unwrap();
    assert_eq!(store.migrate().await.unwrap(), 12, "every migration runs on a new database");
    case(Arc::new(store)).await;
}

conformance_suite!(with_store);
