//! Slow and silent clients do not hold the server: a request head trickled a byte at a time is cut
//! off, a body trickled past the request's time is answered 408, and a thousand idle connections
//! leave room for a signed-in user.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

mod support;

fn sqlite(dir: &tempfile::TempDir) -> String {
    format!("sqlite://{}", dir.path().join("t.sqlite3").display())
}

use support::{create_admin, request, serve_with, sign_in};

/// Sends `bytes` one at a time, `every` apart, until the server closes the connection; answers
/// how many were sent and what the server said.
fn trickle(stream: &mut TcpStream, bytes: &[u8], every: Duration) -> (usize, String) {
    stream.set_read_timeout(Some(every)).unwrap();
    let mut answer = Vec::new();
    for (sent, byte) in bytes.iter().enumerate() {
        if stream.write_all(&[*byte]).is_err() {
            return (sent, String::from_utf8_lossy(&answer).into_owned());
        }
        let mut buf = [0u8; 4096];
        match stream.read(&mut buf) {
            Ok(0) => return (sent + 1, String::from_utf8_lossy(&answer).into_owned()),
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => return (sent + 1, String::from_utf8_lossy(&answer).into_owned()),
        }
    }
    (bytes.len(), String::from_utf8_lossy(&answer).into_owned())
}

#[test]
fn a_request_head_trickled_a_byte_at_a_time_is_cut_off() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve_with(&sqlite(&dir), &["--header-timeout", "1"]);
    let head =
        b"GET /agencies HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: a-very-slow-client/1.0\r\nAccept: text/html\r\n\r\n";
    let mut stream = TcpStream::connect(&server.address).unwrap();
    let (sent, _) = trickle(&mut stream, head, Duration::from_millis(200));
    assert!(
        sent < head.len(),
        "the connection was closed before the head was complete ({sent} of {} bytes)",
        head.len()
    );
}

#[test]
fn a_body_trickled_past_the_request_time_is_answered_408() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve_with(&sqlite(&dir), &["--request-timeout", "1"]);
    let body = "csrf=x&login=someone&password=a+long+enough+password&next=%2F";
    let head = format!(
        "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let mut stream = TcpStream::connect(&server.address).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let (sent, answer) = trickle(&mut stream, body.as_bytes(), Duration::from_millis(200));
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(sent < body.len(), "answered before the body was complete");
}

#[test]
fn a_thousand_idle_connections_leave_room_for_a_signed_in_user() {
    // This process needs the descriptors as much as the server does.
    rlimit::increase_nofile_limit(4096).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = sqlite(&dir);
    create_admin(&url);
    let server = serve_with(&url, &[]);
    let idle: Vec<TcpStream> = (0..1000).map(|_| TcpStream::connect(&server.address).unwrap()).collect();
    let started = Instant::now();
    let session = sign_in(&server, "admin", "a long enough password");
    let page = request(&server, "GET", "/account", &[("Cookie", &session.cookie)], "");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("管理 者"));
    println!("signed in and read a page in {:?} beside {} idle connections", started.elapsed(), idle.len());
}
