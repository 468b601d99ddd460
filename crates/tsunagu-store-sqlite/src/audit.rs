//! [`AuditStore`] on SQLite.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, TransactionBehavior, params};
use tsunagu_domain::audit::{AuditEntry, AuditEvent, chain};
use tsunagu_store::codec::{decode_action, decode_fields, encode_fields};
use tsunagu_store::{AuditQuery, AuditStore, StoreResult};

use crate::SqliteStore;
use crate::directory::conv;

#[async_trait]
impl AuditStore for SqliteStore {
    async fn append_audit(&self, event: &AuditEvent) -> StoreResult<AuditEntry> {
        let event = event.clone();
        self.query(move |c| {
            // IMMEDIATE takes the write lock before reading the last entry, so two appends can
            // never chain to the same predecessor.
            let tx = c.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let last: Option<(i64, String)> = tx
                .prepare_cached("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")?
                .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let entry = chain(last.as_ref().map(|(s, h)| (*s, h.as_str())), event);
            let e = &entry.event;
            tx.prepare_cached(
                "INSERT INTO audit_log (seq, at_micros, actor, actor_label, action, record, person, fields, basis,
                    prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?
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
            ])?;
            tx.commit()?;
            Ok(entry)
        })
        .await
    }

    async fn audit_entries(&self, after: i64, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        self.query(move |c| {
            let mut stmt =
                c.prepare_cached(&format!("SELECT {COLUMNS} FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2"))?;
            let rows = stmt.query_map(params![after, limit], entry_from_row)?;
            rows.collect::<rusqlite::Result<Vec<_>>>()
        })
        .await
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
