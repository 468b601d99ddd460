//! Backup and restore of a database file, while a server may be serving it.
//!
//! A backup is `VACUUM INTO` a new file: SQLite reads the whole database in one read transaction,
//! so the copy is the database as it stood at one moment, however many commits land meanwhile
//! (in WAL mode the readers of the copy never stop the writer, nor the writer them). It holds
//! every commit acknowledged before it began and no part of any commit. The copy is written
//! under a temporary name, synced and only then renamed, so a crash never leaves a half-written
//! file under the backup's name. Before either command reports success, the file is checked
//! with `PRAGMA integrity_check` and its audit chain followed from the first entry.

use std::path::{Path, PathBuf};

use deadpool_sqlite::rusqlite::{Connection, OpenFlags};
use tsunagu_domain::audit::{Tamper, Verifier};
use tsunagu_store::StoreError;

/// What a checked backup holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupCheck {
    /// Its size in bytes.
    pub bytes: u64,
    /// The audit log's entries, all chained.
    pub audit_entries: u64,
    /// The hash of the last entry.
    pub head: Option<String>,
}

/// Why a file is not a sound backup.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// The file could not be read or written.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// SQLite found the file damaged.
    #[error("the database file is damaged: {}", .0.join("; "))]
    Damaged(Vec<String>),
    /// The audit chain breaks.
    #[error("its audit log is broken: {0}")]
    Audit(Tamper),
    /// The destination is there already.
    #[error("{} exists already: a backup or restore never overwrites a file", .0.display())]
    Exists(PathBuf),
}

fn backend(e: impl std::error::Error + Send + Sync + 'static) -> BackupError {
    BackupError::Store(StoreError::backend(e))
}

/// Writes a consistent snapshot of the database at `from` to the new file `to`, then checks it.
pub fn backup(from: &Path, to: &Path) -> Result<BackupCheck, BackupError> {
    refuse_existing(to)?;
    if !from.is_file() {
        return Err(BackupError::Store(StoreError::Backend(format!("no database at {}", from.display()).into())));
    }
    let partial = partial_name(to);
    let _ = std::fs::remove_file(&partial);
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(backend)?;
    source.busy_timeout(std::time::Duration::from_secs(5)).map_err(backend)?;
    let written = source
        .execute("VACUUM INTO ?1", [partial.to_string_lossy().as_ref()])
        .map_err(backend)
        .and_then(|_| put_in_place(&partial, to));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written?;
    check(to)
}

/// Puts the backup `from` in place as the database file `to` (which must not exist), once the
/// backup checks out; the copy is checked again where it lands.
pub fn restore(from: &Path, to: &Path) -> Result<BackupCheck, BackupError> {
    refuse_existing(to)?;
    check(from)?;
    let partial = partial_name(to);
    let copied = std::fs::copy(from, &partial).map_err(backend).and_then(|_| put_in_place(&partial, to));
    if copied.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    copied?;
    check(to)
}

/// Checks the database file at `path`, read only: SQLite's `integrity_check`, then the audit
/// chain from its first entry.
pub fn check(path: &Path) -> Result<BackupCheck, BackupError> {
    let bytes = std::fs::metadata(path).map_err(backend)?.len();
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(backend)?;
    let problems: Vec<String> = c
        .prepare("PRAGMA integrity_check")
        .and_then(|mut s| s.query_map([], |r| r.get::<_, String>(0))?.collect())
        .map_err(backend)?;
    if problems != ["ok"] {
        return Err(BackupError::Damaged(problems));
    }
    let mut verifier = Verifier::default();
    let mut after = 0;
    loop {
        let entries = crate::audit::entries_after(&c, after, 10_000).map_err(backend)?;
        let Some(last) = entries.last() else { break };
        after = last.seq;
        for entry in &entries {
            verifier.check(entry).map_err(BackupError::Audit)?;
        }
    }
    Ok(BackupCheck { bytes, audit_entries: verifier.checked, head: verifier.head().map(str::to_owned) })
}

fn refuse_existing(to: &Path) -> Result<(), BackupError> {
    let wal = PathBuf::from(format!("{}-wal", to.display()));
    match [to, wal.as_path()].into_iter().find(|p| p.exists()) {
        Some(p) => Err(BackupError::Exists(p.to_path_buf())),
        None => Ok(()),
    }
}

fn partial_name(to: &Path) -> PathBuf {
    PathBuf::from(format!("{}.partial", to.display()))
}

/// Syncs `partial`, renames it to `to` (refusing to replace a file that appeared meanwhile) and
/// syncs the directory, so that the name and the content survive a crash together.
fn put_in_place(partial: &Path, to: &Path) -> Result<(), BackupError> {
    std::fs::File::open(partial).and_then(|f| f.sync_all()).map_err(backend)?;
    // A hard link fails when `to` exists, where a rename would replace it.
    std::fs::hard_link(partial, to).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => BackupError::Exists(to.to_path_buf()),
        _ => backend(e),
    })?;
    std::fs::remove_file(partial).map_err(backend)?;
    let dir = to.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::File::open(dir).and_then(|d| d.sync_all()).map_err(backend)?;
    Ok(())
}
