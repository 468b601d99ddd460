//! Two `tsunagu serve` processes against one PostgreSQL database, as a prefecture runs them behind
//! a load balancer: a session started on one works on the other and ends on both; a directory edit
//! on one shows in the other's search within a second; a consent withdrawn on one is refused on
//! the other at the next request; and the audit chain stays one valid chain while both append.
//!
//! The database is created from `TSUNAGU_TEST_POSTGRES` (an admin URL; by default the local
//! server's `postgres` database) and dropped afterwards. Without PostgreSQL the test fails.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

mod support;

use support::{Database, Server, Session, request, serve, sign_in, tsunagu};

const PASSWORD: &str = "tsunagu-demo-2024";

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") })
        .collect()
}

fn json_of(server: &Server, method: &str, path: &str, session: &Session, body: Option<&Value>) -> (u16, Value) {
    let text = body.map(Value::to_string).unwrap_or_default();
    let headers =
        [("Cookie", session.cookie.as_str()), ("X-CSRF-Token", &session.csrf), ("Content-Type", "application/json")];
    let response = request(server, method, path, &headers, &text);
    (response.status, serde_json::from_str(&response.body).unwrap_or(Value::Null))
}

/// The id of the agency named on an account page (the first exact match in the directory).
fn agency_of(server: &Server, session: &Session) -> String {
    let account = request(server, "GET", "/account", &[("Cookie", &session.cookie)], "").body;
    // The fourth fact: name, login, roles, agency.
    let name = account.split("<dd>").nth(4).and_then(|s| s.split("</dd>").next()).unwrap().trim().to_owned();
    let (status, found) = json_of(server, "GET", &format!("/api/v1/agencies?q={}", percent(&name)), session, None);
    assert_eq!(status, 200);
    let item = found["items"].as_array().unwrap().iter().find(|i| i["name"] == name.as_str());
    item.unwrap_or_else(|| panic!("{name} in the directory: {found}"))["id"].as_str().unwrap().to_owned()
}

#[test]
fn two_servers_share_sessions_directory_consents_and_one_audit_chain() {
    let db = Database::create();
    let built = tsunagu().args(["demo", "--scale", "demo", "--no-serve", "--database", &db.url]).output().unwrap();
    assert!(built.status.success(), "{}", String::from_utf8_lossy(&built.stderr));
    let (a, b) = (serve(&db.url), serve(&db.url));

    // A session started on one server works on the other.
    let worker = sign_in(&a, "worker", PASSWORD);
    let caseload = request(&b, "GET", "/persons", &[("Cookie", &worker.cookie)], "");
    assert_eq!(caseload.status, 200, "the session from the first server opens the caseload on the second");

    // A directory edit on one server shows in the other's search within a second.
    let admin = sign_in(&a, "admin", PASSWORD);
    let (_, listed) = json_of(&b, "GET", "/api/v1/agencies?kind=hello_work", &admin, None);
    let id = listed["items"][0]["id"].as_str().unwrap().to_owned();
    let (_, mut agency) = json_of(&a, "GET", &format!("/api/v1/agencies/{id}"), &admin, None);
    let _ = json_of(&b, "GET", "/api/v1/agencies?q=x", &admin, None); // b's index is loaded before the edit
    let renamed = "ハローワーク連携確認";
    agency["name"] = json!(renamed);
    agency["municipality_code"] = json!(agency["municipality_code"].as_str().unwrap_or(""));
    for field in ["block_code", "postal_code", "address", "phone", "email", "website", "notes"] {
        agency[field] = json!(agency[field].as_str().unwrap_or(""));
    }
    if !agency["municipality_code"].as_str().unwrap().is_empty() {
        agency["block_code"] = json!("");
    }
    let (status, saved) = json_of(&a, "PUT", &format!("/api/v1/agencies/{id}"), &admin, Some(&agency));
    assert_eq!(status, 200, "{saved}");
    let edited = Instant::now();
    let search = format!("/api/v1/agencies?q={}", percent(renamed));
    loop {
        let (_, found) = json_of(&b, "GET", &search, &admin, None);
        if found["items"].as_array().unwrap().iter().any(|i| i["id"] == id.as_str()) {
            break;
        }
        assert!(edited.elapsed() < Duration::from_secs(1), "the edit did not show on the second server within 1 s");
        std::thread::sleep(Duration::from_millis(20));
    }

    // A consent withdrawn on one server is refused on the other at the next request.
    let hellowork = sign_in(&b, "hellowork", PASSWORD);
    let recipient = agency_of(&b, &hellowork);
    let (_, persons) = json_of(&a, "GET", "/api/v1/persons?page=1", &worker, None);
    let person = persons["items"][0]["id"].as_str().unwrap().to_owned();
    let read = format!("/api/v1/persons/{person}");
    assert_eq!(json_of(&b, "GET", &read, &hellowork, None).0, 403, "no consent yet");
    let consent = json!({
        "recipient_kind": "agency", "recipient_id": recipient,
        "purposes": ["support", "referral", "placement", "retention"], "categories": ["basic"],
        "valid_from": "2020-04-01", "evidence": "paper_form", "evidence_note": "同意書は事業所の書庫に保管",
    });
    let (status, created) = json_of(&a, "POST", &format!("/api/v1/persons/{person}/consents"), &worker, Some(&consent));
    assert_eq!(status, 201, "{created}");
    assert_eq!(json_of(&b, "GET", &read, &hellowork, None).0, 200, "read on the consent given on the other server");
    let revoke = format!("/api/v1/persons/{person}/consents/{}/revoke", created["id"].as_str().unwrap());
    assert_eq!(json_of(&a, "POST", &revoke, &worker, None).0, 204);
    assert_eq!(json_of(&b, "GET", &read, &hellowork, None).0, 403, "the withdrawn consent is not relied on");

    // Both servers append to the audit log at once; the chain stays one valid chain.
    let (_, page) = json_of(&a, "GET", "/api/v1/persons?page=1", &worker, None);
    let ids: Vec<String> =
        page["items"].as_array().unwrap().iter().map(|i| i["id"].as_str().unwrap().to_owned()).collect();
    std::thread::scope(|scope| {
        for (n, server) in [&a, &b, &a, &b, &a, &b].into_iter().enumerate() {
            let (ids, worker) = (&ids, &worker);
            scope.spawn(move || {
                for id in ids.iter().cycle().skip(n).take(40) {
                    assert_eq!(json_of(server, "GET", &format!("/api/v1/persons/{id}"), worker, None).0, 200);
                }
            });
        }
    });
    let verify = tsunagu().args(["audit", "verify", "--database", &db.url]).output().unwrap();
    assert!(verify.status.success(), "{}", String::from_utf8_lossy(&verify.stderr));
    let said = String::from_utf8_lossy(&verify.stdout).into_owned();
    let entries: u64 = said.split("intact: ").nth(1).and_then(|s| s.split(' ').next()).unwrap().parse().unwrap();
    assert!(entries >= 240, "every read of both servers is in the one chain: {said}");

    // Signing out on one server ends the session on both.
    let signed_out = request(
        &a,
        "POST",
        "/logout",
        &[("Cookie", &worker.cookie), ("Content-Type", "application/x-www-form-urlencoded")],
        &format!("csrf={}", worker.csrf),
    );
    assert_eq!(signed_out.status, 303);
    assert_eq!(request(&b, "GET", "/persons", &[("Cookie", &worker.cookie)], "").status, 303, "back to sign-in");
    drop((a, b));
}
