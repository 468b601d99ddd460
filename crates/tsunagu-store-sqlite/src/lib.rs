//! The SQLite store: Tsunagu's embedded default, one file in WAL mode.
//!
//! rusqlite (bundled SQLite) behind a deadpool connection pool: each call borrows a connection
//! and runs its statements on the pool's blocking thread, or, for the few reads by key every
//! request makes, on the calling thread (`SqliteStore::lookup`). Chosen over sqlx's SQLite driver because
//! the directory's hot paths are many small queries, where rusqlite's direct calls with cached
//! statements cost a fraction of sqlx's per-query overhead (see ARCHITECTURE.md).

mod accounts;
mod assessments;
mod audit;
pub mod backup;
mod checklists;
mod coaching;
mod passports;
mod quota;
pub use coaching::COACH_TOTALS;
mod assistance;
mod commit;
mod consents;
mod directory;
mod documents;
mod employers;
mod events;
mod fairs;
mod internships;
mod journey;
mod liaison;
mod mws;
mod openings;
mod persons;
mod placements;
pub mod pool;
mod preferences;
mod programs;
mod referrals;
mod rework;
mod schools;
mod settings;
mod trials;
mod trywork;

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, Connection};
use pool::Pool;
use tsunagu_store::{Store, StoreError, StoreResult};

/// Migrations, in order; each runs once, in its own transaction.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "directory", include_str!("../migrations/0001_directory.sql")),
    (2, "directory_revision", include_str!("../migrations/0002_directory_revision.sql")),
    (3, "accounts", include_str!("../migrations/0003_accounts.sql")),
    (4, "audit_log", include_str!("../migrations/0004_audit_log.sql")),
    (5, "api_tokens", include_str!("../migrations/0005_api_tokens.sql")),
    (6, "consents", include_str!("../migrations/0006_consents.sql")),
    (7, "persons", include_str!("../migrations/0007_persons.sql")),
    (8, "journey", include_str!("../migrations/0008_journey.sql")),
    (9, "follow_ups", include_str!("../migrations/0009_follow_ups.sql")),
    (10, "plans", include_str!("../migrations/0010_plans.sql")),
    (11, "referrals", include_str!("../migrations/0011_referrals.sql")),
    (12, "caseload_index", include_str!("../migrations/0012_caseload_index.sql")),
    (13, "referrals_by_person", include_str!("../migrations/0013_referrals_by_person.sql")),
    (14, "unread_notices", include_str!("../migrations/0014_unread_notices.sql")),
    (15, "follow_up_notes", include_str!("../migrations/0015_follow_up_notes.sql")),
    (16, "documents", include_str!("../migrations/0016_documents.sql")),
    (17, "agency_fax_hours", include_str!("../migrations/0017_agency_fax_hours.sql")),
    (18, "emergency_access", include_str!("../migrations/0018_emergency_access.sql")),
    (19, "emergency_contact", include_str!("../migrations/0019_emergency_contact.sql")),
    (20, "agency_documents", include_str!("../migrations/0020_agency_documents.sql")),
    (21, "programs", include_str!("../migrations/0021_programs.sql")),
    (22, "journey_counts", include_str!("../migrations/0022_journey_counts.sql")),
    (23, "retention", include_str!("../migrations/0023_retention.sql")),
    (24, "fairs", include_str!("../migrations/0024_fairs.sql")),
    (25, "employers", include_str!("../migrations/0025_employers.sql")),
    (26, "openings", include_str!("../migrations/0026_openings.sql")),
    (27, "placements", include_str!("../migrations/0027_placements.sql")),
    (28, "internships", include_str!("../migrations/0028_internships.sql")),
    (29, "enrolments", include_str!("../migrations/0029_enrolments.sql")),
    (30, "job_preferences", include_str!("../migrations/0030_job_preferences.sql")),
    (31, "coaching", include_str!("../migrations/0031_coaching.sql")),
    (32, "trials", include_str!("../migrations/0032_trials.sql")),
    (33, "rework", include_str!("../migrations/0033_rework.sql")),
    (34, "trywork", include_str!("../migrations/0034_trywork.sql")),
    (35, "coach_day_totals", include_str!("../migrations/0035_coach_day_totals.sql")),
    (36, "events", include_str!("../migrations/0036_events.sql")),
    (37, "assistance", include_str!("../migrations/0037_assistance.sql")),
    (38, "liaison", include_str!("../migrations/0038_liaison.sql")),
    (39, "checklists", include_str!("../migrations/0039_checklists.sql")),
    (40, "account_settings", include_str!("../migrations/0040_account_settings.sql")),
    (41, "mws", include_str!("../migrations/0041_mws.sql")),
    (42, "assessments", include_str!("../migrations/0042_assessments.sql")),
    (43, "passports", include_str!("../migrations/0043_passports.sql")),
    (44, "calendar_feeds", include_str!("../migrations/0044_calendar_feeds.sql")),
    (45, "quota_rosters", include_str!("../migrations/0045_quota_rosters.sql")),
];

/// Settings every connection gets: WAL so readers never wait for the writer, a sync of the log at
/// every commit (`FULL`: with `NORMAL` a power or OS failure can lose the last acknowledged
/// commits, which a case record must not; the audit writer's group commit shares one sync among
/// the commits of a batch), a busy timeout so concurrent writers queue instead of failing, and
/// enforced foreign keys.
pub(crate) const CONNECTION_PRAGMAS: &str = "PRAGMA journal_mode = WAL;
PRAGMA synchronous = FULL;
PRAGMA wal_autocheckpoint = 0;
PRAGMA busy_timeout = 5000;
PRAGMA foreign_keys = ON;
PRAGMA cache_size = -16000;
PRAGMA journal_size_limit = 67108864;";

/// Prepared statements each connection keeps: there are about sixty distinct ones.
const STATEMENT_CACHE: usize = 128;

/// Sets up a new connection: [`CONNECTION_PRAGMAS`], and a query planner that does not look at
/// bound values. Without that, SQLite (built with STAT4, as rusqlite bundles it) marks every
/// statement whose plan could depend on a parameter — any `LIMIT ?` — to be prepared again each
/// time the parameter is bound, which cost an eighth of a caseload page's time; the plans here
/// never need the values. Each connection keeps up to [`STATEMENT_CACHE`] prepared statements:
/// rusqlite keeps 16 by default, fewer than the statements a request's queries go through, so
/// statements were prepared again and again.
pub(crate) fn configure(c: &Connection) -> rusqlite::Result<()> {
    c.execute_batch(CONNECTION_PRAGMAS)?;
    c.set_db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    c.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    Ok(())
}

/// A SQLite database file.
#[derive(Clone)]
pub struct SqliteStore {
    pool: Pool,
    pub(crate) audit_writer: audit::AuditWriter,
    /// Dropped with the last clone of the store, which stops the checkpointer.
    _checkpointer: std::sync::Arc<std::sync::mpsc::Sender<()>>,
}

/// Pages in the write-ahead log (4 KiB each: 1 GiB) past which the checkpointer makes writers
/// restart it; a bulk load that never pauses needs it, request traffic never comes near.
const RESTART_AFTER_PAGES: i64 = 262_144;

/// Pages in the write-ahead log (4 KiB each: 64 MiB) past which the checkpointer asks the audit
/// writer to start the log again from the beginning; see [`audit::AuditWriter`].
const REWIND_AFTER_PAGES: i64 = 16_384;

/// How soon the next checkpoint round follows one that found frames to copy. Small rounds
/// disturb requests least: each round's syncs make the kernel write back on the checkpointer's
/// thread without yielding the core, and the longer the round, the longer requests wait to run
/// (support record at 1 client, p99: 500 ms 4.5–5.5 ms, 50 ms 2.3–3.3 ms, 5 ms 1.6–2.0 ms).
const CHECKPOINT_BUSY: std::time::Duration = std::time::Duration::from_millis(5);

/// How soon the next round follows one that found nothing to copy.
const CHECKPOINT_IDLE: std::time::Duration = std::time::Duration::from_millis(50);

/// Checkpoints the write-ahead log from a thread of its own, so that no request pays for copying
/// it (connections run with `wal_autocheckpoint = 0`). PASSIVE never waits for readers or
/// writers; what it cannot copy now is copied next time.
///
/// SQLite syncs the database file only after a round that copied the whole log, which under
/// steady writes none does (frames arrive while it copies): the copied pages would stay dirty in
/// the page cache until the log is started again, and that sync would then write back minutes
/// of scattered pages at once. So every round that copied frames ends with a sync of its own.
/// When the log has grown past [`REWIND_AFTER_PAGES`] it asks the audit writer to start it again
/// (see [`Rewind`]).
fn start_checkpointer(
    path: &std::path::Path,
    rewind: std::sync::Arc<Rewind>,
) -> StoreResult<std::sync::mpsc::Sender<()>> {
    let conn = Connection::open(path).map_err(StoreError::backend)?;
    configure(&conn).map_err(StoreError::backend)?;
    let file = std::fs::OpenOptions::new().write(true).open(path).map_err(StoreError::backend)?;
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    std::thread::Builder::new()
        .name("wal-checkpoint".into())
        .spawn(move || {
            let mut wait = CHECKPOINT_IDLE;
            let mut last = (0, 0);
            while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) = stopped.recv_timeout(wait) {
                // PASSIVE copies what it can without waiting. Under a steady stream of writes (a
                // bulk load) it never catches up, and the log would grow without end: past
                // `RESTART_AFTER_PAGES`, RESTART waits for the writer of the moment and makes the
                // next one start the log from the beginning.
                let turn = rewind.turn();
                let round = conn.query_row("PRAGMA wal_checkpoint(PASSIVE);", [], |r| Ok((r.get(1)?, r.get(2)?)));
                let result = match round {
                    Ok((pages, _)) if pages > RESTART_AFTER_PAGES => {
                        conn.execute_batch("PRAGMA wal_checkpoint(RESTART);")
                    }
                    Ok((pages, copied)) => {
                        let busy = (pages, copied) != last;
                        last = (pages, copied);
                        wait = if busy { CHECKPOINT_BUSY } else { CHECKPOINT_IDLE };
                        if pages > REWIND_AFTER_PAGES {
                            rewind.wanted.store(true, std::sync::atomic::Ordering::Relaxed);
                        }
                        if busy && let Err(e) = file.sync_data() {
                            tracing::warn!(error = %e, "syncing the database file failed");
                        }
                        Ok(())
                    }
                    Err(e) => Err(e),
                };
                drop(turn);
                if let Err(e) = result {
                    tracing::warn!(error = %e, "WAL checkpoint failed");
                }
            }
        })
        .map_err(StoreError::backend)?;
    Ok(stop)
}

/// The checkpointer's request to the audit writer to start the log again, and whose turn it is
/// to checkpoint. SQLite lets one checkpoint run at a time and answers any other at once with
/// "busy", so the writer, whose checkpoint starts the log again, waits here for the
/// checkpointer's round to end instead of giving up: without the turn, back-to-back writes of
/// large documents grew the log to 303 MiB past its 64 MiB mark (`tests/wal_bound.rs`).
#[derive(Default)]
pub(crate) struct Rewind {
    /// Set by the checkpointer when the log is past [`REWIND_AFTER_PAGES`].
    pub(crate) wanted: std::sync::atomic::AtomicBool,
    checkpoint: std::sync::Mutex<()>,
}

impl Rewind {
    /// The right to checkpoint, held for one checkpoint.
    pub(crate) fn turn(&self) -> std::sync::MutexGuard<'_, ()> {
        // Nothing is kept under the lock, so a panic while holding it leaves nothing to repair.
        self.checkpoint.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database at `path`. Migrations are not run; call
    /// [`Store::migrate`].
    pub fn open(path: &std::path::Path, max_connections: usize) -> StoreResult<Self> {
        let pool = pool::open(path, max_connections, configure).map_err(StoreError::backend)?;
        let rewind = std::sync::Arc::new(Rewind::default());
        let audit_writer = audit::AuditWriter::start(path, rewind.clone())?;
        let checkpointer = std::sync::Arc::new(start_checkpointer(path, rewind)?);
        Ok(Self { pool, audit_writer, _checkpointer: checkpointer })
    }

    /// Runs `f` with a pooled connection on the blocking pool.
    pub(crate) async fn with_conn<T, F>(&self, f: F) -> StoreResult<T>
    where
        F: FnOnce(&mut Connection) -> StoreResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let conn = self.pool.get().await.map_err(StoreError::backend)?;
        conn.interact(f).await.map_err(|e| StoreError::Backend(e.to_string().into()))?
    }

    /// Like [`Self::query`], but runs `f` on the calling thread, without the round trip to the
    /// blocking pool: for reads by key of a few rows that every request makes (its session or
    /// token, the person file the access policy decides on). They take tens of microseconds, less
    /// than the two thread wake-ups of the round trip, which on two cores were a tenth of a
    /// support record's time.
    pub(crate) async fn lookup<T, F>(&self, f: F) -> StoreResult<T>
    where
        F: FnOnce(&mut Connection) -> rusqlite::Result<T>,
    {
        let conn = self.pool.get().await.map_err(StoreError::backend)?;
        let mut conn = conn.lock().map_err(|_| StoreError::Backend("a query panicked on this connection".into()))?;
        f(&mut conn).map_err(directory::row_err)
    }

    /// Like [`Self::with_conn`] for closures that only fail with driver errors.
    pub(crate) async fn query<T, F>(&self, f: F) -> StoreResult<T>
    where
        F: FnOnce(&mut Connection) -> rusqlite::Result<T> + Send + 'static,
        T: Send + 'static,
    {
        self.with_conn(move |c| f(c).map_err(directory::row_err)).await
    }
}

/// Why a versioned write to `table` that changed no row did not: an insert (`expected` none)
/// found the id taken; an update found the row gone, or at another version after a newer edit.
pub(crate) fn versioned_refusal(
    c: &rusqlite::Connection,
    table: &str,
    what: &'static str,
    id: &str,
    expected: Option<i64>,
) -> StoreError {
    versioned_refusal_by(c, table, "id", what, id, expected)
}

/// As [`versioned_refusal`], for a table keyed by the column `key`.
pub(crate) fn versioned_refusal_by(
    c: &rusqlite::Connection,
    table: &str,
    key: &str,
    what: &'static str,
    id: &str,
    expected: Option<i64>,
) -> StoreError {
    use rusqlite::OptionalExtension;
    let current = c
        .prepare_cached(&format!("SELECT version FROM {table} WHERE {key} = ?1"))
        .and_then(|mut s| s.query_row([id], |r| r.get::<_, i64>(0)).optional())
        .map_err(db_err);
    match (expected, current) {
        (_, Err(e)) => e,
        (None, Ok(_)) => StoreError::Duplicate { what },
        (Some(_), Ok(None)) => StoreError::NotFound,
        (Some(_), Ok(Some(current))) => StoreError::Conflict { current },
    }
}

/// Maps driver errors: unique-constraint violations become [`StoreError::Duplicate`].
pub(crate) fn db_err(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, _) = &e
        && (f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY)
    {
        return StoreError::Duplicate { what: "key" };
    }
    StoreError::backend(e)
}

#[async_trait]
impl Store for SqliteStore {
    async fn migrate(&self) -> StoreResult<usize> {
        self.with_conn(|conn| {
            conn.execute_batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            )
            .map_err(db_err)?;
            let mut applied = 0;
            for (version, name, sql) in MIGRATIONS {
                let tx = conn.transaction().map_err(db_err)?;
                let done: bool = tx
                    .query_row("SELECT EXISTS (SELECT 1 FROM schema_migrations WHERE version = ?1)", [version], |r| {
                        r.get(0)
                    })
                    .map_err(db_err)?;
                if done {
                    continue;
                }
                tx.execute_batch(sql).map_err(db_err)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, datetime('now'))",
                    rusqlite::params![version, name],
                )
                .map_err(db_err)?;
                tx.commit().map_err(db_err)?;
                applied += 1;
            }
            Ok(applied)
        })
        .await
    }

    fn engine(&self) -> &'static str {
        "sqlite"
    }

    async fn ping(&self) -> StoreResult<()> {
        self.with_conn(|c| c.query_row("SELECT 1", [], |_| Ok(())).map_err(db_err)).await
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_commit_is_synced_to_disk_before_it_is_acknowledged() {
        let dir = tempfile::tempdir().unwrap();
        let c = deadpool_sqlite::rusqlite::Connection::open(dir.path().join("t.sqlite3")).unwrap();
        super::configure(&c).unwrap();
        let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
        let synchronous: i64 = c.query_row("PRAGMA synchronous", [], |r| r.get(0)).unwrap();
        // FULL (2) in WAL mode syncs the log at every commit; NORMAL (1) would not.
        assert_eq!((mode.as_str(), synchronous), ("wal", 2));
    }
}
