//! [`AuditStore`] on SQLite.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, TransactionBehavior, params};
use tsunagu_domain::audit::{AuditEntry, AuditEvent, chain};
use tsunagu_store::codec::{decode_action, decode_fields, encode_fields};
use tsunagu_store::{AuditQuery, AuditStore, StoreError, StoreResult};

use crate::SqliteStore;
use crate::directory::conv;

/// A write that goes into the same transaction as its audit entry.
pub(crate) type Write = Box<dyn FnOnce(&rusqlite::Connection) -> StoreResult<()> + Send>;

/// Appends the jobs' events in order after the last entry, each job with its write, in one
/// IMMEDIATE transaction: the write lock is taken before the last entry is read, so no two appends
/// (from this process or another) can chain to the same predecessor. A job whose write fails is
/// rolled back to its savepoint alone and answered with the error.
fn append_in(c: &mut rusqlite::Connection, jobs: &mut [Job]) -> rusqlite::Result<Vec<StoreResult<Vec<AuditEntry>>>> {
    let mut tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut last: Option<(i64, String)> = tx
        .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs.iter_mut() {
        let write = job.write.take();
        let events = std::mem::take(&mut job.events);
        let sp = tx.savepoint()?;
        let done = (|| {
            if let Some(write) = write {
                write(&sp)?;
            }
            let mut insert = sp
                .prepare_cached(
                    "INSERT INTO audit_log (seq, at_micros, actor, actor_label, action, record, person, fields, basis,
                    prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                )
                .map_err(crate::db_err)?;
            let mut entries: Vec<AuditEntry> = Vec::with_capacity(events.len());
            for event in events {
                let previous =
                    entries.last().map(|e| (e.seq, e.hash.as_str())).or(last.as_ref().map(|(s, h)| (*s, h.as_str())));
                let entry = chain(previous, event);
                let e = &entry.event;
                insert
                    .execute(params![
                        entry.seq,
                        e.at_micros,
                        e.actor,
                        e.actor_label,
                        e.action.code(),
                        e.record,
                        e.person,
                        encode_fields(&e.fields),
                        e.basis,
                        entry.prev_hash,
                        entry.hash
                    ])
                    .map_err(crate::db_err)?;
                entries.push(entry);
            }
            Ok::<_, StoreError>(entries)
        })();
        match done {
            Ok(entries) => {
                sp.commit()?;
                if let Some(e) = entries.last() {
                    last = Some((e.seq, e.hash.clone()));
                }
                results.push(Ok(entries));
            }
            Err(e) => {
                drop(sp);
                results.push(Err(e));
            }
        }
    }
    tx.commit()?;
    Ok(results)
}

/// One append: the events, the write that goes with them, and where to answer.
struct Job {
    events: Vec<AuditEvent>,
    write: Option<Write>,
    reply: Option<Reply>,
}

type Reply = tokio::sync::oneshot::Sender<StoreResult<Vec<AuditEntry>>>;

/// The audit log's writer: one thread with a connection of its own appends every entry this
/// process writes. Appends waiting while it commits go together in the next transaction (group
/// commit), so concurrent requests share one commit instead of queueing on SQLite's write lock,
/// whose busy handler sleeps. Each caller is answered only after its entry is committed.
///
/// The writer also keeps the write-ahead log short. SQLite starts the log again from the
/// beginning only when a write begins while every frame in it has been copied back, which under
/// a steady stream of writes never happens by itself: the checkpointer copies in the background
/// while new frames arrive. The log then grows without end, every commit writes to new blocks of
/// the file (which the kernel allocates and zeroes) and every read searches a longer index. So
/// when the checkpointer finds the log past its mark, the writer, after answering its batch,
/// copies the few frames the checkpointer has not yet reached (and syncs them, briefly: the
/// checkpointer syncs what it copies); none of its own writes can come between that and its next
/// transaction, which starts the log again unless a reader still uses it.
#[derive(Clone)]
pub(crate) struct AuditWriter {
    jobs: std::sync::mpsc::Sender<Job>,
}

/// Jobs committed together at most.
const GROUP: usize = 256;

impl AuditWriter {
    /// Starts the writer on its own connection to `path`.
    pub(crate) fn start(path: &std::path::Path, rewind: std::sync::Arc<crate::Rewind>) -> StoreResult<Self> {
        let mut conn = rusqlite::Connection::open(path).map_err(StoreError::backend)?;
        crate::configure(&conn).map_err(StoreError::backend)?;
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        std::thread::Builder::new()
            .name("audit-writer".into())
            .spawn(move || {
                loop {
                    let Ok(first) = queue.recv() else { break };
                    let mut batch = vec![first];
                    while batch.len() < GROUP {
                        match queue.try_recv() {
                            Ok(job) => batch.push(job),
                            Err(_) => break,
                        }
                    }
                    match append_in(&mut conn, &mut batch) {
                        Ok(results) => {
                            for (job, result) in batch.iter_mut().zip(results) {
                                if let Some(reply) = job.reply.take() {
                                    let _ = reply.send(result);
                                }
                            }
                        }
                        Err(e) => {
                            let message = e.to_string();
                            for job in &mut batch {
                                if let Some(reply) = job.reply.take() {
                                    let _ = reply.send(Err(StoreError::Backend(message.clone().into())));
                                }
                            }
                        }
                    }
                    if rewind.wanted.swap(false, std::sync::atomic::Ordering::Relaxed) {
                        let _turn = rewind.turn();
                        if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE);", [], |_| Ok(())) {
                            tracing::warn!(error = %e, "WAL checkpoint failed");
                        }
                    }
                }
            })
            .map_err(StoreError::backend)?;
        Ok(Self { jobs })
    }

    /// Appends `events` in order, after running `write` in the same transaction; answers once
    /// all of it is committed (or none is).
    pub(crate) async fn append_all(
        &self,
        events: Vec<AuditEvent>,
        write: Option<Write>,
    ) -> StoreResult<Vec<AuditEntry>> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = Job { events, write, reply: Some(reply) };
        self.jobs.send(job).map_err(|_| StoreError::Backend("the audit writer has stopped".into()))?;
        answer.await.map_err(|_| StoreError::Backend("the audit writer has stopped".into()))?
    }
}

#[async_trait]
impl AuditStore for SqliteStore {
    async fn audit_entries(&self, after: i64, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        self.query(move |c| entries_after(c, after, limit)).await
    }

    async fn search_audit(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
        let q = q.clone();
        self.query(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM audit_log
                 WHERE (?1 IS NULL OR actor_label = ?1)
                   AND (?2 IS NULL OR substr(record, 1, length(?2)) = ?2)
                   AND (?3 IS NULL OR action = ?3)
                   AND (?4 IS NULL OR person = ?4)
                   AND (?5 IS NULL OR seq < ?5)
                 ORDER BY seq DESC LIMIT ?6"
            ))?;
            let action = q.action.map(|a| a.code());
            let rows = stmt.query_map(
                params![q.actor_label, q.record_prefix, action, q.person, q.before, q.limit],
                entry_from_row,
            )?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })
        .await
    }
}

/// Up to `limit` entries with `seq` greater than `after`, in order.
pub(crate) fn entries_after(c: &rusqlite::Connection, after: i64, limit: u32) -> rusqlite::Result<Vec<AuditEntry>> {
    let mut stmt =
        c.prepare_cached(&format!("SELECT {COLUMNS} FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2"))?;
    let rows = stmt.query_map(params![after, limit], entry_from_row)?;
    rows.collect()
}

const COLUMNS: &str = "seq, at_micros, actor, actor_label, action, record, person, fields, basis, prev_hash, hash";

fn entry_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AuditEntry> {
    Ok(AuditEntry {
        seq: r.get(0)?,
        event: AuditEvent {
            at_micros: r.get(1)?,
            actor: r.get(2)?,
            actor_label: r.get(3)?,
            action: decode_action(&r.get::<_, String>(4)?).map_err(conv)?,
            record: r.get(5)?,
            person: r.get(6)?,
            fields: decode_fields(&r.get::<_, String>(7)?),
            basis: r.get(8)?,
        },
        prev_hash: r.get(9)?,
        hash: r.get(10)?,
    })
}
