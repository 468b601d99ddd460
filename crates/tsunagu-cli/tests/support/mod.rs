//! The real server, as an operator starts it, and plain HTTP/1.1 requests to it over TCP.

#![allow(dead_code, reason = "each test file uses the part it needs")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use tokio_postgres::NoTls;

/// The server, stopped when dropped.
pub struct Server {
    child: Child,
    pub address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn tsunagu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_tsunagu"))
}

/// Creates the administrator `admin` (password "a long enough password") in the database at `url`.
pub fn create_admin(url: &str) {
    let mut create = tsunagu()
        .args(["admin", "create-user", "--database", url, "--login", "admin", "--name", "管理 者"])
        .args(["--role", "system_admin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    create.stdin.take().unwrap().write_all(b"a long enough password\n").unwrap();
    assert!(create.wait().unwrap().success());
}

/// Starts `tsunagu serve` on 127.0.0.1:0 and reads the address it prints.
pub fn serve(url: &str) -> Server {
    serve_with(url, &[])
}

/// [`serve`] with more options.
pub fn serve_with(url: &str, options: &[&str]) -> Server {
    let mut child = tsunagu()
        .args(["serve", "--database", url, "--listen", "127.0.0.1:0"])
        .args(options)
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

/// A response: status, head and body.
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

/// One HTTP/1.1 request on a connection of its own.
pub fn request(server: &Server, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Response {
    let mut stream = TcpStream::connect(&server.address).unwrap();
    // A server that cannot take the connection fails the test instead of hanging it.
    stream.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
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
    Response { status, head: head.to_owned(), body: body.to_owned() }
}

/// The values of a header.
pub fn header<'a>(head: &'a str, name: &str) -> Vec<&'a str> {
    head.lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .collect()
}

/// The CSRF token of a form page.
pub fn csrf_of(page: &str) -> String {
    let from = page.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    page[from..].split('"').next().unwrap().to_owned()
}

/// A signed-in session: its cookie (`tsunagu_session=…`) and its CSRF token.
pub struct Session {
    pub cookie: String,
    pub csrf: String,
}

/// Signs in through the login form; the session cookie and the token of the next form.
pub fn sign_in(server: &Server, login: &str, password: &str) -> Session {
    let form = request(server, "GET", "/login", &[], "");
    let pre =
        header(&form.head, "set-cookie").iter().map(|c| c.split(';').next().unwrap()).collect::<Vec<_>>().join("; ");
    let body =
        format!("csrf={}&next=%2Faccount&login={login}&password={}", csrf_of(&form.body), password.replace(' ', "+"));
    let mut headers = vec![("Content-Type", "application/x-www-form-urlencoded")];
    if !pre.is_empty() {
        headers.push(("Cookie", pre.as_str()));
    }
    let response = request(server, "POST", "/login", &headers, &body);
    assert_eq!(response.status, 303, "{login} signed in");
    let cookie = header(&response.head, "set-cookie")
        .into_iter()
        .find(|c| c.starts_with("tsunagu_session="))
        .map(|c| c.split(';').next().unwrap().to_owned())
        .expect("a session cookie");
    let account = request(server, "GET", "/account", &[("Cookie", &cookie)], "");
    assert_eq!(account.status, 200);
    Session { csrf: csrf_of(&account.body), cookie }
}

/// A database of its own, dropped when the value is.
pub struct Database {
    admin_url: String,
    name: String,
    /// Its URL.
    pub url: String,
}

/// A runtime for the few async calls of these synchronous tests.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

/// A connection to `url`; PostgreSQL is required.
pub async fn admin(url: &str) -> tokio_postgres::Client {
    let (client, conn) =
        tokio_postgres::connect(url, NoTls).await.unwrap_or_else(|e| panic!("PostgreSQL at {url} is required: {e}"));
    tokio::spawn(conn);
    client
}

impl Database {
    /// A new, empty database on the test server.
    pub fn create() -> Self {
        let admin_url = std::env::var("TSUNAGU_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("tsunagu_test_{}", uuid::Uuid::new_v4().simple());
        runtime()
            .block_on(async { admin(&admin_url).await.batch_execute(&format!("CREATE DATABASE {name}")).await })
            .unwrap();
        let (base, _) = admin_url.rsplit_once('/').unwrap();
        let url = format!("{base}/{name}");
        Self { admin_url, name, url }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        let drop = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let _ = runtime().block_on(async { admin(&self.admin_url).await.batch_execute(&drop).await });
    }
}
