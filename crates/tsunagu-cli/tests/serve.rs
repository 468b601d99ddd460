//! The real server, as an operator starts it: `tsunagu serve` on a port the system picks, spoken
//! to over TCP — health, a public page, a sign-in with its session cookie and CSRF token, a page
//! that needs the session — and stopped.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// The server, stopped when dropped.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn tsunagu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tsunagu"))
}

/// Starts `tsunagu serve` on 127.0.0.1:0 and reads the address it prints.
fn serve(url: &str) -> Server {
    let mut child = tsunagu()
        .args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("listening on http://").map(str::to_owned))
        .expect("the server says where it listens");
    Server { child, address }
}

/// One HTTP/1.1 request on a connection of its own; the status, the headers and the body.
fn request(server: &Server, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, String, String) {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n", server.address);
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n{body}", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, head.to_owned(), body.to_owned())
}

fn header<'a>(head: &'a str, name: &str) -> Vec<&'a str> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect()
}

fn csrf_of(page: &str) -> String {
    let from = page.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    page[from..].split('"').next().unwrap().to_owned()
}

#[test]
fn a_real_server_answers_signs_in_and_keeps_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.sqlite3").display());
    let mut create = tsunagu()
        .args(["admin", "create-user", "--database", &url, "--login", "admin", "--name", "管理 者"])
        .args(["--role", "system_admin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    create.stdin.take().unwrap().write_all(b"a long enough password\n").unwrap();
    assert!(create.wait().unwrap().success());

    let server = serve(&url);
    assert_eq!(request(&server, "GET", "/healthz", &[], "").0, 200);
    let (status, _, page) = request(&server, "GET", "/blocks", &[], "");
    assert_eq!(status, 200);
    assert!(page.contains("<h1"), "a page");
    let (status, head, _) = request(&server, "GET", "/persons", &[], "");
    assert_eq!(status, 303, "persons need a session");
    assert!(header(&head, "location")[0].starts_with("/login"));

    let (_, head, form) = request(&server, "GET", "/login", &[], "");
    let cookie =
        header(&head, "set-cookie").iter().map(|c| c.split(';').next().unwrap()).collect::<Vec<_>>().join("; ");
    let body = format!("csrf={}&next=%2Faccount&login=admin&password=a+long+enough+password", csrf_of(&form));
    let cookie_header = if cookie.is_empty() { vec![] } else { vec![("Cookie", cookie.as_str())] };
    let mut sign_in = vec![("Content-Type", "application/x-www-form-urlencoded")];
    sign_in.extend(cookie_header);
    let (status, head, _) = request(&server, "POST", "/login", &sign_in, &body);
    assert_eq!(status, 303, "signed in");
    let session = header(&head, "set-cookie")
        .into_iter()
        .find(|c| c.starts_with("tsunagu_session="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .expect("a session cookie");
    let (status, _, account) = request(&server, "GET", "/account", &[("Cookie", &session)], "");
    assert_eq!(status, 200);
    assert!(account.contains("admin"), "the account page of the signed-in administrator");
}
