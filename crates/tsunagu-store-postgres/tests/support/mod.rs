//! A PostgreSQL database of its own for each test, created from `TSUNAGU_TEST_POSTGRES` (an admin
//! URL; by default the local server's `postgres` database) and dropped afterwards, pass or fail.
//! There is no skipping: without a reachable PostgreSQL these tests fail.

use std::future::Future;

use tokio_postgres::NoTls;

fn admin_url() -> String {
    std::env::var("TSUNAGU_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Runs `test` with the URL of a new, empty database, then drops the database.
pub async fn with_database<F, T>(test: F)
where
    F: FnOnce(String) -> T + Send + 'static,
    T: Future<Output = ()> + Send + 'static,
{
    let admin_url = admin_url();
    let (admin, conn) = tokio_postgres::connect(&admin_url, NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is required for these tests: {e}"));
    tokio::spawn(conn);
    let name = format!("tsunagu_test_{}", uuid::Uuid::new_v4().simple());
    admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let config: tokio_postgres::Config = admin_url.parse().unwrap();
    let host = match &config.get_hosts()[0] {
        tokio_postgres::config::Host::Tcp(h) => h.clone(),
        tokio_postgres::config::Host::Unix(p) => p.display().to_string(),
    };
    let url = format!(
        "postgres://{}@{host}:{}/{name}",
        config.get_user().unwrap_or("postgres"),
        config.get_ports().first().copied().unwrap_or(5432)
    );
    // The test runs as a task of its own so that a failing assertion still lets the database go.
    let outcome = tokio::spawn(test(url)).await;
    admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
