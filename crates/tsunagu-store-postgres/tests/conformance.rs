//! The storage conformance suite on PostgreSQL: each case gets a database of its own, created
//! from `TSUNAGU_TEST_POSTGRES` (an admin URL) and dropped afterwards, pass or fail.
//!
//! There is no skipping: without a reachable PostgreSQL these tests fail.

use std::sync::Arc;

use tokio_postgres::NoTls;
use tsunagu_store::Store;
use tsunagu_store_conformance::{BoxFuture, BreakAudit, conformance_suite};
use tsunagu_store_postgres::PostgresStore;

fn admin_url() -> String {
    std::env::var("TSUNAGU_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

async fn admin() -> tokio_postgres::Client {
    let url = admin_url();
    let (client, conn) = tokio_postgres::connect(&url, NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {url} is required for these tests: {e}"));
    tokio::spawn(conn);
    client
}

async fn with_store(case: impl FnOnce(Arc<dyn Store>, BreakAudit) -> BoxFuture<'static, ()> + Send + 'static) {
    let name = format!("tsunagu_test_{}", uuid::Uuid::new_v4().simple());
    let admin = admin().await;
    admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let mut config: tokio_postgres::Config = admin_url().parse().unwrap();
    config.dbname(&name);
    let url = format!(
        "postgres://{}@{}:{}/{}",
        config.get_user().unwrap_or("postgres"),
        match &config.get_hosts()[0] {
            tokio_postgres::config::Host::Tcp(h) => h.clone(),
            tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
        },
        config.get_ports().first().copied().unwrap_or(5432),
        name
    );
    // Run the case as its own task so a failing assertion still lets us drop the database.
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
    let outcome = tokio::spawn(async move {
        let store = PostgresStore::connect(&url, 4).unwrap();
        assert_eq!(store.migrate().await.unwrap(), 13, "every migration runs on a new database");
        case(Arc::new(store), break_audit).await;
    })
    .await;
    admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

conformance_suite!(with_store);
