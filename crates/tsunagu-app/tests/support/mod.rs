//! The application on a real SQLite store in a temporary directory, set up by a builder so that
//! each test says only what it needs: the clock, the demo network (and its seed), or nothing.
#![allow(dead_code, reason = "each test binary uses a different part of the helper")]

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use deadpool_sqlite::rusqlite::Connection;
use time::macros::datetime;
use time::{Duration, OffsetDateTime};
use tsunagu_app::persons::NewPerson;
use tsunagu_app::{App, Clock, UuidV7};
use tsunagu_demo::{DEMO_PASSWORD, DemoScale, NoProgress};
use tsunagu_domain::account::Account;
use tsunagu_domain::person::PersonInput;
use tsunagu_store_sqlite::SqliteStore;

/// A clock the test moves by hand.
pub struct ManualClock(Mutex<OffsetDateTime>);

impl ManualClock {
    /// A clock standing at `now`.
    pub fn at(now: OffsetDateTime) -> Self {
        Self(Mutex::new(now))
    }

    /// Moves the clock on.
    pub fn advance(&self, by: Duration) {
        *self.0.lock().unwrap() += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

/// The application and what a test reaches around it.
pub struct TestApp {
    pub app: App,
    /// The store, also as the bulk loader for fixtures.
    pub store: Arc<SqliteStore>,
    pub clock: Arc<ManualClock>,
    /// The database file, for a raw connection.
    pub path: PathBuf,
    _dir: tempfile::TempDir,
}

/// How the application is set up.
pub struct Builder {
    now: OffsetDateTime,
    demo: Option<(DemoScale, u64)>,
}

/// The defaults: the clock at 2026-11-25 09:00 UTC, the demo network with seed 1.
pub fn test_app() -> Builder {
    Builder { now: datetime!(2026-11-25 09:00 UTC), demo: Some((DemoScale::Demo, 1)) }
}

impl Builder {
    /// The clock starts at `now`.
    pub fn at(mut self, now: OffsetDateTime) -> Self {
        self.now = now;
        self
    }

    /// The demo network built with `seed`.
    pub fn seed(mut self, seed: u64) -> Self {
        self.demo = Some((DemoScale::Demo, seed));
        self
    }

    /// Only the reference data: no agencies, accounts or persons.
    pub fn empty(mut self) -> Self {
        self.demo = None;
        self
    }

    pub async fn build(self) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite3");
        let store = Arc::new(SqliteStore::open(&path, 2).unwrap());
        let clock = Arc::new(ManualClock::at(self.now));
        let app = App::new(store.clone(), clock.clone(), Arc::new(UuidV7));
        app.prepare_database().await.unwrap();
        if let Some((scale, seed)) = self.demo {
            tsunagu_demo::build(&app, store.as_ref(), scale, seed, &NoProgress).await.unwrap();
        }
        TestApp { app, store, clock, path, _dir: dir }
    }
}

impl TestApp {
    /// The demo account `login`, signed in.
    pub async fn account(&self, login: &str) -> Account {
        self.app.sign_in(login, DEMO_PASSWORD, "10.0.0.1").await.unwrap().account
    }

    /// Moves the clock on.
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }

    /// Today in Tokyo, by the test's clock.
    pub fn today(&self) -> time::Date {
        self.app.today()
    }

    /// A connection of its own to the database file.
    pub fn raw(&self) -> Connection {
        Connection::open(&self.path).unwrap()
    }
}

/// A registration of a person with a mental disability, on a paper consent to support with
/// their basic, support and disability data.
pub fn new_person(name: &str, kana: &str, birth: &str) -> NewPerson {
    NewPerson {
        person: PersonInput {
            name: name.into(),
            name_kana: kana.into(),
            birth_date: birth.into(),
            categories: vec!["mental".into()],
            ..PersonInput::default()
        },
        purposes: vec!["support".into()],
        categories: vec!["basic".into(), "support".into(), "disability".into()],
        valid_to: String::new(),
        evidence: "paper_form".into(),
        evidence_note: "同意書は相談記録ファイルに保管".into(),
        confirm_duplicate: false,
    }
}
