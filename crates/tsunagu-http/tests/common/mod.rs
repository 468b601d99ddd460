//! `TestApp`: the whole router over a fresh SQLite database with the demo network, driven
//! in-process with `oneshot`.

#![allow(dead_code, reason = "each test binary uses a different part of the helper")]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use tsunagu_app::App;
use tsunagu_app::demo::{DemoScale, NoProgress};
use tsunagu_store_sqlite::SqliteStore;

pub struct TestApp {
    pub app: App,
    pub router: Router,
    _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let store = SqliteStore::open(&dir.path().join("t.sqlite3"), 2).unwrap();
    let app = App::with_defaults(Arc::new(store));
    app.prepare_database().await.unwrap();
    app.build_demo(DemoScale::Demo, 1, &NoProgress).await.unwrap();
    let router = tsunagu_http::router(app.clone());
    TestApp { app, router, _dir: dir }
}

async fn reply(response: Response<Body>) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

impl TestApp {
    pub async fn request(&self, request: Request<Body>) -> Reply {
        reply(self.router.clone().oneshot(request).await.unwrap()).await
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.request(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    pub async fn post_form(&self, uri: &str, form: &[(&str, &str)]) -> Reply {
        let body = form.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&");
        let request = Request::post(uri)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.request(request).await
    }

    pub async fn send_json(&self, method: &str, uri: &str, json: serde_json::Value) -> Reply {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string()))
            .unwrap();
        self.request(request).await
    }

    /// The id of the first agency whose name contains `text`.
    pub async fn agency_id(&self, text: &str) -> String {
        let search = tsunagu_app::directory::AgencySearch { text: Some(text.into()), ..Default::default() };
        self.app.search_agencies(&search).await.unwrap().rows[0].id.0.to_string()
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
