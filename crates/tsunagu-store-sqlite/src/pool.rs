//! A pool of SQLite connections: deadpool, with a manager that hands connections out as they are.
//!
//! deadpool-sqlite's own manager checks every connection on its way out of the pool by running
//! `SELECT $1` through the blocking pool. A SQLite connection to a local file has no server to
//! lose, so that check finds nothing, and it cost each query a second round trip between threads
//! (on two cores, a third of a support record's time went to waking threads) and a statement
//! preparation.

use deadpool_sqlite::Runtime;
use deadpool_sqlite::rusqlite::{self, Connection};

/// Creates connections to one database file, each set up by `setup`.
pub struct Manager {
    path: std::path::PathBuf,
    setup: fn(&Connection) -> rusqlite::Result<()>,
}

/// The pool.
pub type Pool = deadpool::managed::Pool<Manager>;

/// A pool of at most `size` connections to `path`, each set up by `setup` when it is opened.
pub fn open(
    path: &std::path::Path,
    size: usize,
    setup: fn(&Connection) -> rusqlite::Result<()>,
) -> Result<Pool, deadpool::managed::BuildError> {
    Pool::builder(Manager { path: path.to_owned(), setup }).max_size(size.max(1)).runtime(Runtime::Tokio1).build()
}

impl deadpool::managed::Manager for Manager {
    type Type = deadpool_sync::SyncWrapper<Connection>;
    type Error = rusqlite::Error;

    async fn create(&self) -> Result<Self::Type, Self::Error> {
        let (path, setup) = (self.path.clone(), self.setup);
        deadpool_sync::SyncWrapper::new(Runtime::Tokio1, move || {
            let conn = Connection::open(path)?;
            setup(&conn)?;
            Ok(conn)
        })
        .await
    }

    async fn recycle(
        &self,
        conn: &mut Self::Type,
        _: &deadpool::managed::Metrics,
    ) -> deadpool::managed::RecycleResult<Self::Error> {
        // A closure that panicked holding the connection may have left a transaction open.
        if conn.is_mutex_poisoned() {
            return Err(deadpool::managed::RecycleError::message("a query panicked on this connection"));
        }
        Ok(())
    }
}
