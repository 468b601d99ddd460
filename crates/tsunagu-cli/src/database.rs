//! Chooses the store from a database URL.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use tsunagu_store::{SeedStore, Store};
use tsunagu_store_postgres::PostgresStore;
use tsunagu_store_sqlite::SqliteStore;

/// An opened database: the store the application runs on, and the bulk loader only `tsunagu demo`
/// uses (it is never handed to the server).
pub struct Database {
    /// Every port the application uses.
    pub store: Arc<dyn Store>,
    /// Bulk loading of demo data.
    pub seeder: Arc<dyn SeedStore>,
}

/// Connections a server keeps to PostgreSQL unless `TSUNAGU_DB_CONNECTIONS` says otherwise.
const POSTGRES_CONNECTIONS: usize = 16;

/// Opens `sqlite://FILE` (relative or, with three slashes, absolute) or `postgres://…`.
pub fn open(url: &str) -> anyhow::Result<Database> {
    if let Some(path) = sqlite_path(url) {
        let path = path?;
        let store = Arc::new(SqliteStore::open(path, 8).with_context(|| format!("cannot open {}", path.display()))?);
        Ok(Database { store: store.clone(), seeder: store })
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        let connections = match std::env::var("TSUNAGU_DB_CONNECTIONS") {
            Ok(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .with_context(|| format!("TSUNAGU_DB_CONNECTIONS must be a number from 1 to 1000, not {raw:?}"))?,
            Err(_) => POSTGRES_CONNECTIONS,
        };
        let store = Arc::new(
            PostgresStore::connect(url, connections, tsunagu_app::PREFECTURE).context("invalid PostgreSQL URL")?,
        );
        Ok(Database { store: store.clone(), seeder: store })
    } else {
        bail!("unknown database URL {url:?}: use sqlite://FILE or postgres://USER@HOST/DB")
    }
}

/// Opens a database that must exist already, without creating or migrating anything: for the
/// commands that only read (`audit verify`), so that a mistyped path is an error, not a new
/// empty database reported intact.
pub fn open_existing(url: &str) -> anyhow::Result<Database> {
    if let Some(path) = sqlite_path(url) {
        let path = path?;
        if !path.is_file() {
            bail!("no database at {}: this command never creates one", path.display());
        }
    }
    open(url)
}

/// The file of a `sqlite://FILE` URL, for `command`; a PostgreSQL URL is answered with what to
/// use there instead.
pub fn sqlite_file<'a>(url: &'a str, command: &str) -> anyhow::Result<&'a Path> {
    if let Some(path) = sqlite_path(url) {
        path
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        bail!(
            "tsunagu {command} is for SQLite files; for PostgreSQL use pg_dump --format=custom to back up and \
             pg_restore into a new database to restore, then run tsunagu audit verify on it (see the README)"
        )
    } else {
        bail!("unknown database URL {url:?}: use sqlite://FILE")
    }
}

/// The file a `sqlite://FILE` URL names (its query dropped), or `None` for another kind of URL.
fn sqlite_path(url: &str) -> Option<anyhow::Result<&Path>> {
    let path = url.strip_prefix("sqlite://")?;
    let path = path.split('?').next().unwrap_or(path);
    Some(if path.is_empty() {
        Err(anyhow::anyhow!("the SQLite URL names no file: use sqlite://FILE"))
    } else {
        Ok(Path::new(path))
    })
}
