//! The real server, as an operator starts it: `tsunagu serve` on a port the system picks, spoken
//! to over TCP — health, a public page, a sign-in with its session cookie and CSRF token, a page
//! that needs the session — and stopped.

mod support;

use support::{create_admin, header, request, serve, sign_in};

#[test]
fn a_real_server_answers_signs_in_and_keeps_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    create_admin(&url);

    let server = serve(&url);
    assert_eq!(request(&server, "GET", "/healthz", &[], "").status, 200);
    let page = request(&server, "GET", "/blocks", &[], "");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("<h1"), "a page");
    let persons = request(&server, "GET", "/persons", &[], "");
    assert_eq!(persons.status, 303, "persons need a session");
    assert!(header(&persons.head, "location")[0].starts_with("/login"));

    let session = sign_in(&server, "admin", "a long enough password");
    let account = request(&server, "GET", "/account", &[("Cookie", &session.cookie)], "");
    assert_eq!(account.status, 200);
    assert!(account.body.contains("admin"), "the account page of the signed-in administrator");
}
