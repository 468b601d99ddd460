//! `tsunagu report --verify` as an operator runs it: on the demo database the kept counts agree
//! with the records; a count changed behind the application's back is named, with its
//! indicator, and the command fails; so is a retention group whose kept durations drifted.

use deadpool_sqlite::rusqlite::Connection;

mod support;

use support::tsunagu;

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = tsunagu().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_reports_counts_agree_with_the_records_and_a_drifted_one_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.sqlite3");
    let url = format!("sqlite://{}", file.display());
    let (code, _, err) = run(&["demo", "--no-serve", "--database", &url]);
    assert_eq!(code, Some(0), "{err}");

    let (code, out, err) = run(&["report", "--verify", "--database", &url]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("report counts agree with the records: "), "{out}");
    assert!(out.contains("every fiscal year"), "{out}");
    assert!(out.contains("retention agrees with the placements: 9 groups"), "{out}");

    let db = Connection::open(&file).unwrap();
    let year: i32 = db
        .query_row("SELECT max(fiscal_year) FROM journey_counts WHERE measure = 'support_records'", [], |r| r.get(0))
        .unwrap();
    let changed = db
        .execute(
            "UPDATE journey_counts SET value = value + 5 WHERE measure = 'support_records' AND fiscal_year = ?1 \
             AND agency_kind = 'municipal_support_centre' AND breakdown = 'phone'",
            [year],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(db);

    let wareki = tsunagu_domain::program::FiscalYear(year).wareki();
    let (code, out, err) = run(&["report", "--verify", "--database", &url, "--year", &year.to_string()]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains(&format!(
            "2-1.support_records (区市町村障害者就労支援センター, {wareki}, support_records phone): kept "
        )),
        "{out}"
    );
    assert!(err.contains("1 of ") && err.contains(&format!("counts disagree with the records ({wareki})")), "{err}");
    // Another year is untouched.
    let (code, _, _) = run(&["report", "--verify", "--database", &url, "--year", &(year - 1).to_string()]);
    assert_eq!(code, Some(0));

    // One more placement of a year's length, as if ended, behind the application's back.
    let db = Connection::open(&file).unwrap();
    db.execute(
        "INSERT INTO retention_ended (prefecture, grp, days, n) VALUES ('13', 'category:mental', 365, 1) \
         ON CONFLICT (prefecture, grp, days) DO UPDATE SET n = n + 1",
        [],
    )
    .unwrap();
    drop(db);
    let (code, out, err) = run(&["report", "--verify", "--database", &url, "--year", &(year - 1).to_string()]);
    assert_eq!(code, Some(1));
    assert!(out.contains("retention (category:mental): kept "), "{out}");
    assert!(err.contains("1 of 9 retention groups disagree with the placements"), "{err}");

    let (code, _, err) = run(&["report", "--verify", "--database", &url, "--year", "someday"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("--year"), "{err}");
    let (code, _, err) =
        run(&["report", "--verify", "--database", &format!("sqlite://{}/none.sqlite3", dir.path().display())]);
    assert_eq!(code, Some(1));
    assert!(err.contains("never creates one"), "{err}");
}
