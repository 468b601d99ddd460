//! The viewer's own calendar as a feed a calendar app subscribes to: started from the events
//! page, its address shown once, answering the same calendar as the download without signing
//! in; started afresh, the old address stops at once; stopped, it answers nothing.

mod common;

use axum::http::StatusCode;
use common::{TestApp, on_postgres, spawn_app};

/// The path of the address the page shows.
fn address_in(page: &str) -> String {
    let at = page.find("id=\"feed-address\"").expect("the address");
    let rest = &page[at..];
    let url = &rest[rest.find('>').unwrap() + 1..rest.find("</code>").unwrap()];
    let path = &url[url.find("/calendar/").expect("a calendar path")..];
    path.to_owned()
}

async fn the_feed_follows_the_account_until_stopped(t: TestApp) {
    t.sign_in("worker").await;
    let before = t.get("/events/feed").await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.body.contains("まだ購読用のアドレスはありません"), "{}", before.body);
    let started = t.post_form("/events/feed", &[]).await;
    assert_eq!(started.status, StatusCode::OK, "{}", started.body);
    let first = address_in(&started.body);
    assert!(!t.get("/events/feed").await.body.contains(&first), "the address is shown once");
    let download = t.get("/events/mine.ics").await.body;
    t.sign_out_locally();

    let fed = t.get(&first).await;
    assert_eq!(fed.status, StatusCode::OK, "the feed opens without signing in");
    assert_eq!(fed.headers["content-type"], "text/calendar; charset=utf-8");
    assert_eq!(fed.body, download, "the feed is the account's own calendar");
    icalendar::parser::read_calendar(&icalendar::parser::unfold(&fed.body)).expect("iCalendar");
    assert_eq!(t.get("/calendar/0123/events.ics").await.status, StatusCode::NOT_FOUND);

    t.sign_in("worker").await;
    let again = t.post_form("/events/feed", &[]).await;
    let second = address_in(&again.body);
    assert_ne!(first, second);
    assert_eq!(t.raw_get(&first).await.status, StatusCode::NOT_FOUND, "started afresh, the old address stops");
    assert_eq!(t.raw_get(&second).await.status, StatusCode::OK);
    let stopped = t.post_form("/events/feed/stop", &[]).await;
    assert_eq!(stopped.status, StatusCode::SEE_OTHER);
    assert_eq!(t.raw_get(&second).await.status, StatusCode::NOT_FOUND, "stopped, it answers nothing");
    let page = t.get(stopped.location()).await.body;
    assert!(page.contains("購読を止めました") && page.contains("購読用のアドレスを作る"), "{page}");
}

#[tokio::test]
async fn the_feed_follows_the_account_until_stopped_on_sqlite() {
    the_feed_follows_the_account_until_stopped(spawn_app().await).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_feed_follows_the_account_until_stopped_on_postgres() {
    on_postgres(the_feed_follows_the_account_until_stopped).await;
}

impl TestApp {
    /// A GET without the session.
    async fn raw_get(&self, uri: &str) -> common::Reply {
        self.raw(axum::http::Request::get(uri).body(axum::body::Body::empty()).unwrap()).await
    }
}
