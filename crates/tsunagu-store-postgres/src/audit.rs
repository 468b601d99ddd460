//! [`AuditStore`] on PostgreSQL.

use async_trait::async_trait;
use tsunagu_domain::audit::{AuditEntry, AuditEvent, chain};
use tsunagu_store::codec::{decode_action, decode_fields, encode_fields};
use tsunagu_store::{AuditQuery, AuditStore, StoreResult};

use crate::{PostgresStore, db_err};

/// Appends `events` in order within `tx`, after taking the lock that makes appends one at a time
/// (so two can never chain to the same predecessor; readers are not blocked).
pub(crate) async fn append_all_in(
    tx: &deadpool_postgres::Transaction<'_>,
    events: &[AuditEvent],
) -> StoreResult<Vec<AuditEntry>> {
    tx.batch_execute("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE").await.map_err(db_err)?;
    let mut last: Option<(i64, String)> = tx
        .query_opt("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &[])
        .await
        .map_err(db_err)?
        .map(|r| Ok::<_, tokio_postgres::Error>((r.try_get(0)?, r.try_get(1)?)))
        .transpose()
        .map_err(db_err)?;
    let insert = tx
        .prepare_cached(
            "INSERT INTO audit_log (seq, at_micros, actor, actor_label, action, record, person, fields, basis,
                prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .await
        .map_err(db_err)?;
    let mut entries = Vec::with_capacity(events.len());
    for event in events {
        let entry = chain(last.as_ref().map(|(s, h)| (*s, h.as_str())), event.clone());
        let e = &entry.event;
        tx.execute(
            &insert,
            &[
                &entry.seq,
                &e.at_micros,
                &e.actor,
                &e.actor_label,
                &e.action.code(),
                &e.record,
                &e.person,
                &encode_fields(&e.fields),
                &e.basis,
                &entry.prev_hash,
                &entry.hash,
            ],
        )
        .await
        .map_err(db_err)?;
        last = Some((entry.seq, entry.hash.clone()));
        entries.push(entry);
    }
    Ok(entries)
}

#[async_trait]
impl AuditStore for PostgresStore {
    async fn audit_entries(&self, after: i64, limit: u32) -> StoreResult<Vec<AuditEntry>> {
        let client = self.client().await?;
        let rows = client
            .query(
                &format!("SELECT {COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"),
                &[&after, &i64::from(limit)],
            )
            .await
            .map_err(db_err)?;
        rows.iter().map(entry_from_row).collect()
    }

    async fn search_audit(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
        let client = self.client().await?;
        let action = q.action.map(|a| a.code());
        let rows = client
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM audit_log
                     WHERE ($1::text IS NULL OR actor_label = $1)
                       AND ($2::text IS NULL OR left(record, length($2)) = $2)
                       AND ($3::text IS NULL OR action = $3)
                       AND ($4::text IS NULL OR person = $4)
                       AND ($5::bigint IS NULL OR seq < $5)
                     ORDER BY seq DESC LIMIT $6"
                ),
                &[&q.actor_label, &q.record_prefix, &action, &q.person, &q.before, &i64::from(q.limit)],
            )
            .await
            .map_err(db_err)?;
        rows.iter().map(entry_from_row).collect()
    }
}

const COLUMNS: &str = "seq, at_micros, actor, actor_label, action, record, person, fields, basis, prev_hash, hash";

fn entry_from_row(r: &tokio_postgres::Row) -> StoreResult<AuditEntry> {
    Ok(AuditEntry {
        seq: r.try_get(0).map_err(db_err)?,
        event: AuditEvent {
            at_micros: r.try_get(1).map_err(db_err)?,
            actor: r.try_get(2).map_err(db_err)?,
            actor_label: r.try_get(3).map_err(db_err)?,
            action: decode_action(r.try_get(4).map_err(db_err)?)?,
            record: r.try_get(5).map_err(db_err)?,
            person: r.try_get(6).map_err(db_err)?,
            fields: decode_fields(r.try_get(7).map_err(db_err)?),
            basis: r.try_get(8).map_err(db_err)?,
        },
        prev_hash: r.try_get(9).map_err(db_err)?,
        hash: r.try_get(10).map_err(db_err)?,
    })
}
