//! `tsunagu audit verify` as an operator runs it: exit 0 with the head hash, or exit 1 naming the
//! entry that was tampered with.

use std::process::Command;

use deadpool_sqlite::rusqlite::Connection;

fn tsunagu(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tsunagu")).args(args).output().unwrap()
}

#[test]
fn verify_reports_an_intact_log_then_names_the_changed_entry() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("t.sqlite3");
    let url = format!("sqlite://{}", db.display());
    let csv = dir.path().join("agencies.csv");
    std::fs::write(&csv, "種別,名称,ふりがな\n商工機関,つなぐ商工会,つなぐしょうこうかい\n").unwrap();
    for _ in 0..2 {
        let out = tsunagu(&["import", "--database", &url, csv.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    let out = tsunagu(&["audit", "verify", "--database", &url]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("audit log intact: 2 entries, head "));

    let raw = Connection::open(&db).unwrap();
    raw.execute_batch(
        "DROP TRIGGER audit_log_no_update;
         UPDATE audit_log SET actor_label = 'someone else' WHERE seq = 1;",
    )
    .unwrap();
    let out = tsunagu(&["audit", "verify", "--database", &url]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("audit log broken: entry 1 was changed"));
}
