//! Tsunagu's use cases: what a user can do, written against the storage ports.
//!
//! This crate orchestrates the domain core and the stores. It knows no HTML, JSON or SQL; time and
//! ids come from [`Clock`] and [`IdGen`] so tests can fix them.

pub mod accounts;
pub mod assessments;
pub mod assistance;
pub mod audit;
pub mod casework_import;
pub mod checklists;
pub mod clock;
pub mod coaching;
pub mod dashboard;
pub mod directory;
pub mod disclosure;
pub mod documents;
pub mod employers;
pub mod error;
pub mod events;
pub mod export;
pub mod fairs;
pub mod import;
pub mod index;
pub mod internships;
pub mod journey;
pub mod liaison;
pub mod matching;
pub mod me;
pub mod mws;
pub mod openings;
pub mod passports;
pub mod persons;
pub mod placements;
pub mod preferences;
pub mod programs;
pub mod quota;
pub mod reference;
pub mod referrals;
pub mod report_export;
pub mod retention;
pub mod rework;
pub mod schools;
pub mod trials;
pub mod trywork;

use std::sync::{Arc, Mutex};

pub use clock::{Clock, IdGen, SystemClock, UuidV7};
pub use error::AppError;
use tsunagu_store::Store;

/// The prefecture this deployment serves (13 = Tokyo). Every record carries it so that a
/// nationwide deployment can partition personal data by prefecture.
pub const PREFECTURE: &str = "13";

/// The directory index shared by every clone of [`App`].
type IndexCache = Arc<Mutex<Option<index::CachedIndex>>>;

/// The application: a store plus the sources of time and ids.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    ids: Arc<dyn IdGen>,
    /// The last directory index read, reused while the store's revision is unchanged.
    index: IndexCache,
    /// The published openings last read, reused while the store's openings revision is unchanged.
    openings: Arc<Mutex<Option<matching::CachedOpenings>>>,
    /// Anonymous events of this minute, by source (see [`AnonymousTally`]).
    anonymous: Arc<std::sync::Mutex<tsunagu_domain::audit::AnonymousTally>>,
    /// The last workbooks written, each with the report it was written from (see
    /// [`App::export_report`]).
    workbooks: Arc<std::sync::Mutex<programs::Workbooks>>,
}

impl App {
    /// Builds the application over `store`.
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, ids: Arc<dyn IdGen>) -> Self {
        Self {
            store,
            clock,
            ids,
            index: Arc::default(),
            openings: Arc::default(),
            anonymous: Arc::default(),
            workbooks: Arc::default(),
        }
    }

    /// With the system clock and UUIDv7 ids.
    pub fn with_defaults(store: Arc<dyn Store>) -> Self {
        Self::new(store, Arc::new(SystemClock), Arc::new(UuidV7))
    }

    /// Now, from the injected clock: the only time handlers use.
    pub fn now(&self) -> time::OffsetDateTime {
        self.clock.now()
    }

    /// Today in Tokyo, from the injected clock.
    pub fn today(&self) -> time::Date {
        clock::tokyo_date(self.clock.now())
    }

    /// The store, for health checks.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }
}
