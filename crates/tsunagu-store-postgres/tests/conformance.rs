//! The storage conformance suite on PostgreSQL: each case gets a database of its own
//! (`support::with_database`).

mod support;

use std::sync::Arc;

use tokio_postgres::NoTls;
use tsunagu_store::Store;
use tsunagu_store_conformance::{BoxFuture, BreakAudit, conformance_suite};
use tsunagu_store_postgres::PostgresStore;

async fn with_store(case: impl FnOnce(Arc<dyn Store>, BreakAudit) -> BoxFuture<'static, ()> + Send + 'static) {
    support::with_database(|url| async move {
        let sabotage_url = url.clone();
        let break_audit: BreakAudit = Box::new(move || {
            Box::pin(async move {
                let (client, conn) = tokio_postgres::connect(&sabotage_url, NoTls).await.unwrap();
                tokio::spawn(conn);
                client
                    .batch_execute(
                        "CREATE FUNCTION audit_refused() RETURNS trigger LANGUAGE plpgsql AS $$
                         BEGIN RAISE EXCEPTION 'the audit log refuses appends'; END $$;
                         CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log
                         FOR EACH ROW EXECUTE FUNCTION audit_refused();",
                    )
                    .await
                    .unwrap();
            })
        });
        let store = PostgresStore::connect(&url, 4, "13").unwrap();
        assert_eq!(store.migrate().await.unwrap(), 48, "every migration runs on a new database");
        case(Arc::new(store), break_audit).await;
    })
    .await;
}

conformance_suite!(with_store);
