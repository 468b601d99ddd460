//! `tsunagu admin link-account` as an operator runs it: an employer's account is linked to the
//! employer of a 法人番号; a number with a wrong check digit, or a person's link on an employer's
//! account, is refused naming the rule, and nothing changes.

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
fn an_operator_links_an_account_to_its_employer_and_bad_links_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("demo.sqlite3").display());
    let (code, _, err) = run(&["demo", "--no-serve", "--database", &url]);
    assert_eq!(code, Some(0), "{err}");
    let number = tsunagu_domain::CorporateNumber::from_base(900_000_000_005).to_string();

    let (code, _, err) = run(&[
        "admin",
        "link-account",
        "--database",
        &url,
        "--login",
        "employer",
        "--corporate-number",
        "1234567890123",
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("corporate_number: check_digit"), "{err}");
    let (code, _, err) = run(&[
        "admin",
        "link-account",
        "--database",
        &url,
        "--login",
        "employer",
        "--person",
        &uuid::Uuid::nil().to_string(),
    ]);
    assert_eq!(code, Some(1));
    assert!(err.contains("person: unknown_person"), "{err}");

    let (code, out, err) =
        run(&["admin", "link-account", "--database", &url, "--login", "employer", "--corporate-number", &number]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("linked account employer: no person, employer "), "{out}");
}
