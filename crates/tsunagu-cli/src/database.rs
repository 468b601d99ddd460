//! Chooses the store from a database URL.

use std::path::Path;

use anyhow::{Context, bail};
use tsunagu_store::Store;
use tsunagu_store_postgres::PostgresStore;
use tsunagu_store_sqlite::SqliteStore;

/// Opens `sqlite://FILE` (relative or, with three slashes, absolute) or `postgres://…`.
pub fn open(url: &str) -> anyhow::Result<Box<dyn Store>> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let path = path.split('?').next().unwrap_or(path);
        if path.is_empty() {
            bail!("the SQLite URL names no file: use sqlite://FILE");
        }
        let store = SqliteStore::open(Path::new(path), 8).with_context(|| format!("cannot open {path}"))?;
        Ok(Box::new(store))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Box::new(PostgresStore::connect(url, 16).context("invalid PostgreSQL URL")?))
    } else {
        bail!("unknown database URL {url:?}: use sqlite://FILE or postgres://USER@HOST/DB")
    }
}
