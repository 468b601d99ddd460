//! `TestApp`: the whole router over a fresh database with the demo network (SQLite, or with
//! [`on_postgres`] a PostgreSQL database of its own), driven in-process with `oneshot`.

#![allow(dead_code, reason = "each test binary uses a different part of the helper")]

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;
use tsunagu_app::App;
use tsunagu_demo::{DemoScale, NoProgress};
use tsunagu_store_sqlite::SqliteStore;

pub struct TestApp {
    pub app: App,
    pub router: Router,
    /// The signed-in session: cookie header value and CSRF token.
    session: std::sync::Mutex<Option<(String, String)>>,
    /// The demo data's bulk loader, for fixtures the forms cannot make.
    pub seeder: Arc<dyn tsunagu_store::SeedStore>,
    _dir: Option<tempfile::TempDir>,
}

pub struct Reply {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
    bytes: Vec<u8>,
}

impl Reply {
    pub fn location(&self) -> &str {
        self.headers.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn body_bytes(&self) -> Vec<u8> {
        self.bytes.clone()
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

pub async fn spawn_app() -> TestApp {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqliteStore::open(&dir.path().join("t.sqlite3"), 2).unwrap());
    demo_app(store.clone(), store, Some(dir)).await
}

async fn demo_app(
    store: Arc<dyn tsunagu_store::Store>,
    seeder: Arc<dyn tsunagu_store::SeedStore>,
    dir: Option<tempfile::TempDir>,
) -> TestApp {
    let app = App::with_defaults(store);
    app.prepare_database().await.unwrap();
    tsunagu_demo::build(&app, seeder.as_ref(), DemoScale::Demo, 1, &NoProgress).await.unwrap();
    let router = tsunagu_http::router(app.clone(), true);
    TestApp { app, router, session: std::sync::Mutex::new(None), seeder, _dir: dir }
}

/// Runs `test` with a [`TestApp`] over a new PostgreSQL database, created from
/// `TSUNAGU_TEST_POSTGRES` (an admin URL; by default the local server's `postgres` database) and
/// dropped afterwards, pass or fail. Without a reachable PostgreSQL the test fails.
pub async fn on_postgres<F, T>(test: F)
where
    F: FnOnce(TestApp) -> T + Send + 'static,
    T: std::future::Future<Output = ()> + Send + 'static,
{
    let admin_url =
        std::env::var("TSUNAGU_TEST_POSTGRES").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let (admin, conn) = tokio_postgres::connect(&admin_url, tokio_postgres::NoTls)
        .await
        .unwrap_or_else(|e| panic!("PostgreSQL at {admin_url} is required for these tests: {e}"));
    tokio::spawn(conn);
    let name = format!("tsunagu_http_{}", uuid::Uuid::new_v4().simple());
    admin.batch_execute(&format!("CREATE DATABASE {name}")).await.unwrap();
    let url = format!("{}/{name}", admin_url.rsplit_once('/').unwrap().0);
    let store = Arc::new(tsunagu_store_postgres::PostgresStore::connect(&url, 4, "13").unwrap());
    let t = demo_app(store.clone(), store, None).await;
    // The test runs as a task of its own so that a failing assertion still lets the database go.
    let outcome = tokio::spawn(test(t)).await;
    admin.batch_execute(&format!("DROP DATABASE {name} WITH (FORCE)")).await.unwrap();
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

async fn reply(response: Response<Body>) -> Reply {
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
}

/// The value of `name="csrf"` in a page.
pub fn csrf_in(body: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = body.find(marker).map(|i| i + marker.len()).expect("a form with a CSRF token");
    body[start..].split('"').next().unwrap().to_owned()
}

/// `name=value` of the first Set-Cookie header for `name`.
pub fn set_cookie(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

impl TestApp {
    pub async fn request(&self, mut request: Request<Body>) -> Reply {
        if let Some((cookie, csrf)) = self.session.lock().unwrap().clone() {
            request.headers_mut().insert(header::COOKIE, cookie.parse().unwrap());
            request.headers_mut().insert("x-csrf-token", csrf.parse().unwrap());
        }
        reply(self.router.clone().oneshot(request).await.unwrap()).await
    }

    /// Posts the sign-in form as a browser would (CSRF cookie and field); returns the reply.
    pub async fn try_sign_in(&self, login: &str, password: &str) -> Reply {
        let page = self.raw(Request::get("/login").body(Body::empty()).unwrap()).await;
        let login_cookie = set_cookie(&page, "tsunagu_login_csrf").expect("a sign-in CSRF cookie");
        let body = format!(
            "csrf={}&next=%2F&login={}&password={}",
            csrf_in(&page.body),
            urlencode(login),
            urlencode(password)
        );
        let request = Request::post("/login")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::COOKIE, login_cookie)
            .body(Body::from(body))
            .unwrap();
        reply(self.router.clone().oneshot(request).await.unwrap()).await
    }

    /// Signs in with the demo password; later requests carry the session.
    pub async fn sign_in(&self, login: &str) {
        let r = self.try_sign_in(login, tsunagu_demo::DEMO_PASSWORD).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
        let cookie = set_cookie(&r, "tsunagu_session").expect("a session cookie");
        let home = reply(
            self.router
                .clone()
                .oneshot(Request::get("/").header(header::COOKIE, &cookie).body(Body::empty()).unwrap())
                .await
                .unwrap(),
        )
        .await;
        *self.session.lock().unwrap() = Some((cookie, csrf_in(&home.body)));
    }

    pub fn sign_out_locally(&self) {
        *self.session.lock().unwrap() = None;
    }

    /// Sends a request as it is, without the session.
    pub async fn raw(&self, request: Request<Body>) -> Reply {
        reply(self.router.clone().oneshot(request).await.unwrap()).await
    }

    pub fn session_cookie(&self) -> Option<String> {
        self.session.lock().unwrap().as_ref().map(|(c, _)| c.clone())
    }

    pub fn csrf(&self) -> Option<String> {
        self.session.lock().unwrap().as_ref().map(|(_, c)| c.clone())
    }

    pub async fn get(&self, uri: &str) -> Reply {
        self.request(Request::get(uri).body(Body::empty()).unwrap()).await
    }

    /// Posts a form; a signed-in client adds its CSRF token unless the form has one.
    pub async fn post_form(&self, uri: &str, form: &[(&str, &str)]) -> Reply {
        let csrf = self.csrf();
        let mut form = form.to_vec();
        if let Some(csrf) = &csrf
            && !form.iter().any(|(k, _)| *k == "csrf")
        {
            form.push(("csrf", csrf));
        }
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

/// A request carrying an API token.
pub fn bearer(method: &str, uri: &str, token: &str, body: Option<serde_json::Value>) -> Request<Body> {
    let builder = Request::builder().method(method).uri(uri).header(header::AUTHORIZATION, format!("Bearer {token}"));
    match body {
        Some(json) => builder.header(header::CONTENT_TYPE, "application/json").body(Body::from(json.to_string())),
        None => builder.body(Body::empty()),
    }
    .unwrap()
}

impl TestApp {
    /// Creates an API token for the signed-in account from the account page; returns the secret.
    pub async fn new_token(&self, name: &str, scopes: &[&str]) -> String {
        let mut form = vec![("token_name", name)];
        form.extend(scopes.iter().map(|s| ("scopes", *s)));
        let created = self.post_form("/account/tokens", &form).await;
        let start = created.body.find("<code id=\"new-token\">").unwrap() + "<code id=\"new-token\">".len();
        created.body[start..].split('<').next().unwrap().to_owned()
    }
}

/// A multipart form as a browser sends an upload: the CSRF token, the file in `file`, and `fields`.
pub fn upload(uri: &str, csrf: &str, file: &[u8], fields: &[(&str, &str)]) -> Request<Body> {
    upload_named(uri, csrf, "a.csv", file, fields)
}

/// As [`upload`], the file named `file_name`.
pub fn upload_named(uri: &str, csrf: &str, file_name: &str, file: &[u8], fields: &[(&str, &str)]) -> Request<Body> {
    let mut body = format!("--XYZ\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n").into_bytes();
    for (name, value) in fields {
        body.extend_from_slice(
            format!("--XYZ\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes(),
        );
    }
    body.extend_from_slice(
        format!("--XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: text/csv\r\n\r\n")
            .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(b"\r\n--XYZ--\r\n");
    Request::post(uri).header(header::CONTENT_TYPE, "multipart/form-data; boundary=XYZ").body(Body::from(body)).unwrap()
}

/// A date as the Japanese pages show it, without the weekday: 2026年12月1日.
pub fn ja_day(d: time::Date) -> String {
    format!("{}年{}月{}日", d.year(), u8::from(d.month()), d.day())
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// How a person relates to the demo `worker` account's agency.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// An open case at the worker's agency (the demo `person` account's own record).
    OwnCase,
    /// A consent naming the worker's agency, in force.
    Consented,
    /// That consent, ended yesterday.
    ConsentExpired,
    /// That consent, withdrawn.
    ConsentRevoked,
    /// Registered elsewhere, no consent.
    Unrelated,
    /// A consent naming a block that is neither the worker's nor the coordinator's.
    OtherBlock,
}

impl Relation {
    pub const ALL: [Relation; 6] = [
        Relation::OwnCase,
        Relation::Consented,
        Relation::ConsentExpired,
        Relation::ConsentRevoked,
        Relation::Unrelated,
        Relation::OtherBlock,
    ];
}

impl TestApp {
    /// The account with this demo login.
    /// The demo person, signed in to their own account, consents to `agency` for `purpose`
    /// with these data categories (from 2020-01-01, no end).
    pub async fn person_consents(&self, person: &str, agency: &str, purpose: &str, categories: &[&str]) {
        self.sign_in("person").await;
        let recipient = format!("agency:{agency}");
        let mut form = vec![("recipient", recipient.as_str()), ("purposes", purpose)];
        form.extend(categories.iter().map(|c| ("consent_categories", *c)));
        form.extend([("valid_from", "2020-01-01"), ("evidence", "own_account")]);
        let r = self.post_form(&format!("/persons/{person}/consents"), &form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    }

    pub async fn account(&self, login: &str) -> tsunagu_domain::account::Account {
        self.app.store().account_by_login(login).await.unwrap().unwrap()
    }

    /// One person per [`Relation`] (ids as strings), registered directly in the store.
    pub async fn person_fixtures(&self) -> Vec<(Relation, String)> {
        use time::{Duration, OffsetDateTime};
        use tsunagu_domain::case::CaseRecord;
        use tsunagu_domain::consent::{Consent, ConsentId, ConsentRecord, DataCategory, Evidence, Purpose, Recipient};
        use tsunagu_domain::directory::{AgencyId, AgencyKind, BlockCode};
        use tsunagu_domain::person::PersonId;
        use tsunagu_domain::person::{DisabilityCategory, Person, PersonFields};
        use tsunagu_store::Registration;
        use uuid::Uuid;

        let worker = self.account("worker").await;
        let coordinator = self.account("coordinator").await;
        let own = self.account("person").await.person.unwrap();
        let index = self.app.directory().await.unwrap();
        let worker_agency = worker.agency.unwrap();
        let taken: Vec<&BlockCode> =
            [worker_agency, coordinator.agency.unwrap()].iter().filter_map(|a| index.block_of(*a)).collect();
        let other_block = index.references.blocks.iter().find(|b| !taken.contains(&&b.code)).unwrap().code.clone();
        let search = tsunagu_app::directory::AgencySearch {
            kind: Some(AgencyKind::MunicipalSupportCentre),
            page: 1,
            ..Default::default()
        };
        let elsewhere: AgencyId = self
            .app
            .search_agencies(&search)
            .await
            .unwrap()
            .rows
            .iter()
            .map(|r| r.id)
            .find(|a| *a != worker_agency)
            .unwrap();
        let now = OffsetDateTime::now_utc();
        let today = tsunagu_app::clock::tokyo_date(now);
        let mut out = vec![(Relation::OwnCase, own.0.to_string())];
        for (n, relation) in Relation::ALL.into_iter().enumerate().skip(1) {
            let person = PersonId(Uuid::new_v4());
            let consent = |recipient: Recipient| ConsentRecord {
                prefecture: "13".into(),
                consent: Consent {
                    id: ConsentId(Uuid::new_v4()),
                    person,
                    recipient,
                    purposes: vec![Purpose::Support],
                    categories: vec![DataCategory::Basic, DataCategory::Support, DataCategory::Disability],
                    valid_from: today - Duration::days(30),
                    valid_to: None,
                    revoked_at: None,
                },
                evidence: Evidence::PaperForm,
                evidence_note: "同意書".into(),
                recorded_by: worker.id,
                recorded_at: now,
            };
            let mut consents = vec![consent(Recipient::Agency(elsewhere))];
            match relation {
                Relation::Consented => consents.push(consent(Recipient::Agency(worker_agency))),
                Relation::ConsentExpired => {
                    let mut c = consent(Recipient::Agency(worker_agency));
                    c.consent.valid_to = Some(today - Duration::days(1));
                    consents.push(c);
                }
                Relation::ConsentRevoked => {
                    let mut c = consent(Recipient::Agency(worker_agency));
                    c.consent.revoked_at = Some(now - Duration::days(1));
                    consents.push(c);
                }
                Relation::OtherBlock => consents.push(consent(Recipient::Block(other_block.clone()))),
                Relation::Unrelated | Relation::OwnCase => {}
            }
            let registration = Registration {
                person: Person {
                    id: person,
                    prefecture: "13".into(),
                    fields: PersonFields {
                        name: format!("試験 {n}"),
                        // A reading is kana only: the fixture's number is spelt out.
                        name_kana: format!("しけん {}", ["", "いち", "に", "さん", "よん", "ご"][n]),
                        birth_date: time::macros::date!(1990 - 01 - 01),
                        phone: None,
                        email: None,
                        address: None,
                        categories: vec![DisabilityCategory::Mental],
                        certificates: vec![],
                        accommodations: None,
                        health_notes: Some("服薬中".into()),
                        preferred_hours: None,
                        preferred_area: None,
                        emergency_contact: Some("母".into()),
                        emergency_phone: Some("080-0000-1111".into()),
                    },
                    registered_by: elsewhere,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                },
                consents,
                case: CaseRecord {
                    id: Uuid::new_v4(),
                    prefecture: "13".into(),
                    person,
                    agency: elsewhere,
                    opened_on: today,
                    closed_on: None,
                    opened_by: worker.id,
                },
                duplicates: tsunagu_store::Duplicates::Link(vec![]),
            };
            let batch = tsunagu_store::SeedBatch { registrations: vec![registration], ..Default::default() };
            tsunagu_store::SeedStore::seed(self.seeder.as_ref(), &batch).await.unwrap();
            out.push((relation, person.0.to_string()));
        }
        out
    }
}

/// The new-person form as a caseworker fills it in: consent first, then the person.
pub fn registration<'a>(name: &'a str, kana: &'a str, birth: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("purposes", "support"),
        ("consent_categories", "basic"),
        ("consent_categories", "support"),
        ("consent_categories", "disability"),
        ("evidence", "paper_form"),
        ("evidence_note", "同意書は相談記録ファイルに保管"),
        ("name", name),
        ("name_kana", kana),
        ("birth_date", birth),
        ("phone", "090-1111-2222"),
        ("categories", "mental"),
        ("certificate_mental", "mental:2"),
        ("accommodations", "休憩を自分の判断で取れるように"),
        ("preferred_hours", "20"),
    ]
}
