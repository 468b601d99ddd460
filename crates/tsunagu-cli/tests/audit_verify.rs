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

/// Runs `tsunagu` and answers (exit code, stdout, stderr).
fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = tsunagu(args);
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A copy of the database at `from` (its log checkpointed into the file first) at `to`.
fn copy(from: &std::path::Path, to: &std::path::Path) {
    Connection::open(from).unwrap().execute_batch("PRAGMA wal_checkpoint(TRUNCATE);").unwrap();
    std::fs::copy(from, to).unwrap();
}

#[test]
fn signed_checkpoints_reveal_a_cut_or_rewritten_log_that_the_chain_alone_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = |name: &str| dir.path().join(name);
    let db = path("t.sqlite3");
    let url = |p: &std::path::Path| format!("sqlite://{}", p.display());
    let csv = path("agencies.csv");
    std::fs::write(&csv, "種別,名称,ふりがな\n商工機関,つなぐ商工会,つなぐしょうこうかい\n").unwrap();
    for _ in 0..60 {
        assert_eq!(run(&["import", "--database", &url(&db), csv.to_str().unwrap()]).0, Some(0));
    }

    let (code, stdout, _) = run(&["audit", "key", "--out", path("key").to_str().unwrap()]);
    assert_eq!(code, Some(0));
    let public = stdout.lines().last().unwrap().to_owned();
    assert_eq!(public.len(), 64, "{stdout}");
    let (code, _, stderr) = run(&["audit", "key", "--out", path("key").to_str().unwrap()]);
    assert_eq!(code, Some(1), "an existing key is never replaced: {stderr}");
    let checkpoints = path("checkpoints.jsonl");
    let sign = |db: &std::path::Path| {
        run(&[
            "audit",
            "checkpoint",
            "--database",
            &url(db),
            "--key",
            path("key").to_str().unwrap(),
            "--out",
            checkpoints.to_str().unwrap(),
        ])
    };
    let (code, stdout, stderr) = sign(&db);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("checkpoint of entry 60 appended"), "{stdout}");
    let verify = |db: &std::path::Path, checked: bool| {
        let db = url(db);
        let mut args = vec!["audit", "verify", "--database", db.as_str()];
        if checked {
            args.extend(["--checkpoint", checkpoints.to_str().unwrap(), "--public-key", public.as_str()]);
        }
        run(&args)
    };
    let (code, stdout, _) = verify(&db, true);
    assert_eq!(code, Some(0));
    assert!(stdout.contains("holds the entries of 1 signed checkpoints, the last entry 60"), "{stdout}");

    // Cut from the end: the last entry, the last 50, all of them.
    for (name, cut, last) in [("one", "seq = 60", 59), ("fifty", "seq > 10", 10), ("all", "1 = 1", 0)] {
        let copy_of = path(&format!("{name}.sqlite3"));
        copy(&db, &copy_of);
        Connection::open(&copy_of)
            .unwrap()
            .execute_batch(&format!("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE {cut};"))
            .unwrap();
        assert_eq!(verify(&copy_of, false).0, Some(0), "{name}: the chain alone cannot tell");
        let (code, _, stderr) = verify(&copy_of, true);
        assert_eq!(code, Some(1), "{name}");
        assert!(stderr.contains(&format!("the log ends at entry {last}, before entry 60")), "{name}: {stderr}");
    }

    // Rewritten: entries from 31 on removed and the log carried on with new, well-chained ones.
    let rewritten = path("rewritten.sqlite3");
    copy(&db, &rewritten);
    Connection::open(&rewritten)
        .unwrap()
        .execute_batch("DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > 30;")
        .unwrap();
    for _ in 0..35 {
        assert_eq!(run(&["import", "--database", &url(&rewritten), csv.to_str().unwrap()]).0, Some(0));
    }
    assert_eq!(verify(&rewritten, false).0, Some(0), "a well-chained log of 65 entries");
    let (code, _, stderr) = verify(&rewritten, true);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("entry 60 is not the one a signed checkpoint names"), "{stderr}");

    // A checkpoint changed, or signed with another key, is not accepted.
    let text = std::fs::read_to_string(&checkpoints).unwrap();
    std::fs::write(&checkpoints, text.replace("\"seq\":60", "\"seq\":61")).unwrap();
    let (code, _, stderr) = verify(&db, true);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("does not match its signature"), "{stderr}");
    std::fs::write(&checkpoints, &text).unwrap();
    run(&["audit", "key", "--out", path("other-key").to_str().unwrap()]);
    std::fs::remove_file(&checkpoints).unwrap();
    let forged = run(&[
        "audit",
        "checkpoint",
        "--database",
        &url(&db),
        "--key",
        path("other-key").to_str().unwrap(),
        "--out",
        checkpoints.to_str().unwrap(),
    ]);
    assert_eq!(forged.0, Some(0));
    let (code, _, stderr) = verify(&db, true);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("was signed with key"), "{stderr}");
}

#[test]
fn verifying_a_mistyped_path_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo.sqlite3");
    let (code, _, stderr) = run(&["audit", "verify", "--database", &format!("sqlite://{}", missing.display())]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("no database at"), "{stderr}");
    assert!(!missing.exists(), "no database was created");
}
