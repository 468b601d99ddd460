//! `tsunagu backup` and `tsunagu restore` as an operator runs them, and a PostgreSQL database
//! backed up with pg_dump and restored with pg_restore, as the README says: the restored
//! database passes `tsunagu audit verify`.

use std::process::Command;

mod support;

use support::{Database, tsunagu};

/// Runs `tsunagu` and answers (exit code, stdout, stderr).
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = tsunagu().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Imports one agency into `url` twice: two audited writes.
fn two_imports(url: &str, dir: &std::path::Path) {
    let csv = dir.join("agencies.csv");
    std::fs::write(&csv, "種別,名称,ふりがな\n商工機関,つなぐ商工会,つなぐしょうこうかい\n").unwrap();
    for _ in 0..2 {
        let (code, _, err) = run(&["import", "--database", url, csv.to_str().unwrap()]);
        assert_eq!(code, Some(0), "{err}");
    }
}

#[test]
fn a_sqlite_database_is_backed_up_and_restored_with_its_audit_log_intact() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name).to_str().unwrap().to_owned();
    let live = format!("sqlite://{}", path("live.sqlite3"));
    two_imports(&live, dir.path());

    let (code, out, err) = run(&["backup", "--database", &live, "--to", &path("b.sqlite3")]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with(&format!("backup written to {}: ", path("b.sqlite3"))), "{out}");
    assert!(out.contains("integrity ok, audit log intact: 2 entries, head "), "{out}");
    let (code, _, err) = run(&["backup", "--database", &live, "--to", &path("b.sqlite3")]);
    assert_eq!(code, Some(1));
    assert!(err.contains("exists already: a backup or restore never overwrites a file"), "{err}");

    let restored = format!("sqlite://{}", path("r.sqlite3"));
    let (code, out, err) = run(&["restore", "--from", &path("b.sqlite3"), "--database", &restored]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("audit log intact: 2 entries"), "{out}");
    let (code, _, err) = run(&["restore", "--from", &path("b.sqlite3"), "--database", &live]);
    assert_eq!(code, Some(1), "never over the live database");
    assert!(err.contains("exists already"), "{err}");
    let (code, out, _) = run(&["audit", "verify", "--database", &restored]);
    assert_eq!(code, Some(0));
    assert!(out.contains("audit log intact: 2 entries"), "{out}");

    let (code, _, err) = run(&["backup", "--database", "postgres://postgres@127.0.0.1/x", "--to", &path("p")]);
    assert_eq!(code, Some(1));
    assert!(err.contains("for PostgreSQL use pg_dump"), "{err}");
}

#[test]
fn a_postgresql_dump_restores_to_a_database_whose_audit_log_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let live = Database::create();
    two_imports(&live.url, dir.path());
    let dump = dir.path().join("tsunagu.dump");
    let status = Command::new("pg_dump")
        .args(["--format=custom", "--file", dump.to_str().unwrap(), &live.url])
        .status()
        .unwrap();
    assert!(status.success(), "pg_dump");
    let restored = Database::create();
    let status = Command::new("pg_restore")
        .args(["--exit-on-error", "--no-owner", "--dbname", &restored.url, dump.to_str().unwrap()])
        .status()
        .unwrap();
    assert!(status.success(), "pg_restore");
    let (code, out, err) = run(&["audit", "verify", "--database", &restored.url]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("audit log intact: 2 entries"), "{out}");
}
