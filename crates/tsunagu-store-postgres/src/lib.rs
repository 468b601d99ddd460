//! The PostgreSQL store, for real deployments: tokio-postgres behind a deadpool pool.
//!
//! The schema mirrors the SQLite one with native types (UUID, BOOLEAN, TIMESTAMPTZ); both are
//! held to the same behaviour by `tsunagu-store-conformance`. Text ordering uses the "C"
//! collation so that both engines sort readings by code point.

mod accounts;
mod assessments;
mod assistance;
mod audit;
mod checklists;
mod coaching;
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
mod passports;
mod persons;
mod placements;
mod preferences;
mod programs;
mod quota;
mod referrals;
mod rework;
mod schools;
mod settings;
mod trials;
mod trywork;

use async_trait::async_trait;
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::error::SqlState;
use tokio_postgres::types::ToSql;
use tokio_postgres::{NoTls, Row};
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
    (14, "seed_deferred", include_str!("../migrations/0014_seed_deferred.sql")),
    (15, "prefecture_key", include_str!("../migrations/0015_prefecture_key.sql")),
    (16, "unread_notices", include_str!("../migrations/0016_unread_notices.sql")),
    (17, "follow_up_notes", include_str!("../migrations/0017_follow_up_notes.sql")),
    (18, "documents", include_str!("../migrations/0018_documents.sql")),
    (19, "agency_fax_hours", include_str!("../migrations/0019_agency_fax_hours.sql")),
    (20, "emergency_access", include_str!("../migrations/0020_emergency_access.sql")),
    (21, "emergency_contact", include_str!("../migrations/0021_emergency_contact.sql")),
    (22, "agency_documents", include_str!("../migrations/0022_agency_documents.sql")),
    (23, "programs", include_str!("../migrations/0023_programs.sql")),
    (24, "journey_counts", include_str!("../migrations/0024_journey_counts.sql")),
    (25, "journey_counts_by_batch", include_str!("../migrations/0025_journey_counts_by_batch.sql")),
    (26, "retention", include_str!("../migrations/0026_retention.sql")),
    (27, "fairs", include_str!("../migrations/0027_fairs.sql")),
    (28, "employers", include_str!("../migrations/0028_employers.sql")),
    (29, "openings", include_str!("../migrations/0029_openings.sql")),
    (30, "placements", include_str!("../migrations/0030_placements.sql")),
    (31, "internships", include_str!("../migrations/0031_internships.sql")),
    (32, "enrolments", include_str!("../migrations/0032_enrolments.sql")),
    (33, "job_preferences", include_str!("../migrations/0033_job_preferences.sql")),
    (34, "coaching", include_str!("../migrations/0034_coaching.sql")),
    (35, "trials", include_str!("../migrations/0035_trials.sql")),
    (36, "rework", include_str!("../migrations/0036_rework.sql")),
    (37, "trywork", include_str!("../migrations/0037_trywork.sql")),
    (38, "coach_day_totals", include_str!("../migrations/0038_coach_day_totals.sql")),
    (39, "events", include_str!("../migrations/0039_events.sql")),
    (40, "assistance", include_str!("../migrations/0040_assistance.sql")),
    (41, "liaison", include_str!("../migrations/0041_liaison.sql")),
    (42, "checklists", include_str!("../migrations/0042_checklists.sql")),
    (43, "account_settings", include_str!("../migrations/0043_account_settings.sql")),
    (44, "mws", include_str!("../migrations/0044_mws.sql")),
    (45, "assessments", include_str!("../migrations/0045_assessments.sql")),
    (46, "passports", include_str!("../migrations/0046_passports.sql")),
    (47, "calendar_feeds", include_str!("../migrations/0047_calendar_feeds.sql")),
    (48, "quota_rosters", include_str!("../migrations/0048_quota_rosters.sql")),
];

/// A PostgreSQL database.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool,
    /// The prefecture this store serves: every statement on personal data names it, so that on
    /// tables distributed by prefecture each goes to one shard (`tests/shard_key.rs`). Rows of
    /// other prefectures are not this store's to read.
    pub(crate) prefecture: std::sync::Arc<str>,
    /// The way to this process's audit appender, started with the first commit (see
    /// [`commit`]); the appender stops when the last clone of the store is dropped.
    appender: std::sync::Arc<std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<commit::Job>>>,
}

impl PostgresStore {
    /// Connects lazily to the database at `url` (`postgres://…`), serving the personal data of
    /// `prefecture` (a JIS X 0401 code, `13` for Tokyo). Migrations are not run; call
    /// [`Store::migrate`].
    pub fn connect(url: &str, max_connections: usize, prefecture: &str) -> StoreResult<Self> {
        let config: tokio_postgres::Config = url.parse().map_err(StoreError::backend)?;
        let manager = Manager::from_config(config, NoTls, ManagerConfig { recycling_method: RecyclingMethod::Fast });
        let pool = Pool::builder(manager).max_size(max_connections.max(1)).build().map_err(StoreError::backend)?;
        Ok(Self { pool, prefecture: prefecture.into(), appender: std::sync::Arc::default() })
    }

    /// The appender's queue, starting the appender on the first call (inside the runtime).
    pub(crate) fn appender(&self) -> &tokio::sync::mpsc::UnboundedSender<commit::Job> {
        self.appender.get_or_init(|| {
            let (jobs, queue) = tokio::sync::mpsc::unbounded_channel();
            tokio::spawn(commit::run_appender(self.pool.clone(), self.prefecture.clone(), queue));
            jobs
        })
    }

    pub(crate) async fn client(&self) -> StoreResult<deadpool_postgres::Object> {
        self.pool.get().await.map_err(StoreError::backend)
    }
}

/// Runs `sql` as a statement prepared once per connection (the cache lives with the pooled
/// connection): every later call sends only Bind and Execute, and calls issued together on one
/// connection (`try_join!`) are pipelined into one round trip.
pub(crate) async fn query(c: &impl GenericClient, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<Vec<Row>> {
    let stmt = c.prepare_cached(sql).await.map_err(db_err)?;
    c.query(&stmt, params).await.map_err(db_err)
}

/// A read-only transaction that sees the database as of one moment (REPEATABLE READ), for reads
/// made of several statements that must agree with each other.
pub(crate) async fn read_snapshot(
    client: &mut deadpool_postgres::Object,
) -> StoreResult<deadpool_postgres::Transaction<'_>> {
    client
        .build_transaction()
        .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()
        .await
        .map_err(db_err)
}

/// As [`query`], for a statement that returns no rows: how many rows it changed.
pub(crate) async fn execute(c: &impl GenericClient, sql: &str, params: &[&(dyn ToSql + Sync)]) -> StoreResult<u64> {
    let stmt = c.prepare_cached(sql).await.map_err(db_err)?;
    c.execute(&stmt, params).await.map_err(db_err)
}

/// As [`query`], for at most one row.
pub(crate) async fn query_opt(
    c: &impl GenericClient,
    sql: &str,
    params: &[&(dyn ToSql + Sync)],
) -> StoreResult<Option<Row>> {
    let stmt = c.prepare_cached(sql).await.map_err(db_err)?;
    c.query_opt(&stmt, params).await.map_err(db_err)
}

/// Why a versioned write to `table` that changed no row did not: an insert (`expected` none)
/// found the id taken; an update found the row gone, or at another version after a newer edit.
pub(crate) async fn versioned_refusal(
    c: &impl GenericClient,
    table: &str,
    what: &'static str,
    id: &uuid::Uuid,
    prefecture: &str,
    expected: Option<i64>,
) -> StoreError {
    versioned_refusal_by(c, table, "id", what, id, prefecture, expected).await
}

/// As [`versioned_refusal`], for a table keyed by the column `key`.
pub(crate) async fn versioned_refusal_by(
    c: &impl GenericClient,
    table: &str,
    key: &str,
    what: &'static str,
    id: &uuid::Uuid,
    prefecture: &str,
    expected: Option<i64>,
) -> StoreError {
    let sql = format!("SELECT version FROM {table} WHERE {key} = $1 AND prefecture = $2");
    let current = query_opt(c, &sql, &[id, &prefecture])
        .await
        .and_then(|row| row.map(|r| r.try_get::<_, i64>(0)).transpose().map_err(db_err));
    match (expected, current) {
        (_, Err(e)) => e,
        (None, Ok(_)) => StoreError::Duplicate { what },
        (Some(_), Ok(None)) => StoreError::NotFound,
        (Some(_), Ok(Some(current))) => StoreError::Conflict { current },
    }
}

/// Maps driver errors: unique violations become [`StoreError::Duplicate`].
pub(crate) fn db_err(e: tokio_postgres::Error) -> StoreError {
    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        return StoreError::Duplicate { what: "key" };
    }
    StoreError::backend(e)
}

#[async_trait]
impl Store for PostgresStore {
    async fn migrate(&self) -> StoreResult<usize> {
        let mut client = self.client().await?;
        // One question at every start: whether the ledger exists (`CREATE TABLE IF NOT EXISTS` on
        // an existing table logs a notice each time), and whether autovacuum runs.
        let (exists, autovacuum): (bool, String) = client
            .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL, current_setting('autovacuum')", &[])
            .await
            .and_then(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .map_err(db_err)?;
        if !exists {
            client
                .batch_execute(
                    "CREATE TABLE IF NOT EXISTS schema_migrations (
                        version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                )
                .await
                .map_err(db_err)?;
        }
        if autovacuum != "on" {
            // The caseload's index-only scans need the visibility map autovacuum keeps, and the
            // planner its statistics: without them pages slow down as the tables grow.
            tracing::warn!("autovacuum is off on this PostgreSQL server: turn it on, or VACUUM ANALYZE regularly");
        }
        let mut applied = 0;
        for (version, name, sql) in MIGRATIONS {
            let tx = client.transaction().await.map_err(db_err)?;
            // Serialises concurrent starts: the second waits here, then sees the migration done.
            tx.batch_execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE").await.map_err(db_err)?;
            let done = tx
                .query_opt("SELECT 1 FROM schema_migrations WHERE version = $1", &[version])
                .await
                .map_err(db_err)?
                .is_some();
            if done {
                continue;
            }
            tx.batch_execute(sql).await.map_err(db_err)?;
            tx.execute("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", &[version, name])
                .await
                .map_err(db_err)?;
            tx.commit().await.map_err(db_err)?;
            applied += 1;
        }
        // A bulk load cut short leaves its dropped indexes and foreign keys to build here.
        client.batch_execute(commit::BUILD_DEFERRED).await.map_err(db_err)?;
        Ok(applied)
    }

    fn engine(&self) -> &'static str {
        "postgres"
    }

    async fn ping(&self) -> StoreResult<()> {
        self.client().await?.batch_execute("SELECT 1").await.map_err(db_err)
    }
}
