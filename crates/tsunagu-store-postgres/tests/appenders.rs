//! Two servers' appenders on one database: commits from both, racing, form one unbroken chain,
//! and each server's concurrent commits share transactions without losing one.

mod support;

use std::sync::Arc;

use tsunagu_domain::audit::{AuditAction, AuditEvent, Verifier};
use tsunagu_store::{AuditStore, Commit, RecordStore, Store};
use tsunagu_store_postgres::PostgresStore;

fn event(server: usize, n: usize) -> AuditEvent {
    AuditEvent {
        at_micros: n as i64,
        actor: String::new(),
        actor_label: format!("server-{server}"),
        action: AuditAction::Read,
        record: format!("person:{n}"),
        person: format!("{n}"),
        fields: vec!["name".into()],
        basis: "own_case".into(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_appending_at_once_keep_one_chain() {
    support::with_database(|url| async move {
        // Two stores, as two server processes would hold: each its own pool and appender.
        let servers = [
            Arc::new(PostgresStore::connect(&url, 4, "13").unwrap()),
            Arc::new(PostgresStore::connect(&url, 4, "13").unwrap()),
        ];
        servers[0].migrate().await.unwrap();
        let mut tasks = Vec::new();
        for (s, store) in servers.iter().enumerate() {
            for n in 0..40 {
                let store = Arc::clone(store);
                tasks.push(tokio::spawn(async move { store.commit(Commit::new(event(s, n))).await.unwrap() }));
            }
        }
        for t in tasks {
            assert_eq!(t.await.unwrap().len(), 1);
        }
        let entries = servers[1].audit_entries(0, 1000).await.unwrap();
        assert_eq!(entries.len(), 80, "every commit of both servers is in the log");
        let mut verifier = Verifier::default();
        for e in &entries {
            verifier.check(e).unwrap_or_else(|t| panic!("{t}"));
        }
    })
    .await;
}
