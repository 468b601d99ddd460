//! [`AuditStore`] on PostgreSQL.

use async_trait::async_trait;
use tsunagu_domain::audit::{AuditEntry, AuditEvent, chain};
use tsunagu_store::codec::{decode_action, decode_fields, encode_fields};
use tsunagu_store::{AuditQuery, AuditStore, StoreResult};

use deadpool_postgres::GenericClient;
use futures_util::TryFutureExt;
use tokio_postgres::Statement;

use crate::{PostgresStore, db_err, query_opt};

/// Takes the lock that makes appends one transaction at a time, across every process (so two can
/// never chain to the same predecessor; readers are not blocked), and reads the last entry.
/// The two statements are pipelined (sent together, answered in order), and may follow a BEGIN
/// sent the same way.
pub(crate) async fn lock_and_read_last(c: &impl GenericClient) -> StoreResult<Option<(i64, String)>> {
    let lock = c.batch_execute("LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE").map_err(db_err);
    let last = query_opt(c, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &[]);
    let (_, last) = futures_util::try_join!(lock, last)?;
    last.map(|r| Ok::<_, tokio_postgres::Error>((r.try_get(0)?, r.try_get(1)?))).transpose().map_err(db_err)
}

/// Chains `events` in order after `last`, in memory.
pub(crate) fn chain_after(last: &Option<(i64, String)>, events: &[AuditEvent]) -> Vec<AuditEntry> {
    let mut previous = last.clone();
    events
        .iter()
        .map(|event| {
            let entry = chain(previous.as_ref().map(|(s, h)| (*s, h.as_str())), event.clone());
            previous = Some((entry.seq, entry.hash.clone()));
            entry
        })
        .collect()
}

/// The statement [`insert_prepared`] runs, prepared once per connection.
pub(crate) async fn prepare_insert(c: &impl GenericClient) -> StoreResult<Statement> {
    c.prepare_cached(
        "INSERT INTO audit_log (seq, at_micros, actor, actor_label, action, record, person, fields, basis,
            prev_hash, hash)
         SELECT * FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[], $5::TEXT[], $6::TEXT[],
            $7::TEXT[], $8::TEXT[], $9::TEXT[], $10::TEXT[], $11::TEXT[])",
    )
    .await
    .map_err(db_err)
}

/// Inserts chained entries through `c` in one statement (the transaction holds the lock of
/// [`lock_and_read_last`]): one round trip however many there are. With the statement at hand
/// the insert is sent at the future's first poll, so a statement joined after it (the COMMIT)
/// is sent, and runs, after it.
pub(crate) async fn insert_prepared(
    c: &impl GenericClient,
    insert: &Statement,
    entries: &[AuditEntry],
) -> StoreResult<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let column = |f: &dyn Fn(&AuditEntry) -> String| entries.iter().map(f).collect::<Vec<String>>();
    let seqs: Vec<i64> = entries.iter().map(|e| e.seq).collect();
    let ats: Vec<i64> = entries.iter().map(|e| e.event.at_micros).collect();
    c.execute(
        insert,
        &[
            &seqs,
            &ats,
            &column(&|e| e.event.actor.clone()),
            &column(&|e| e.event.actor_label.clone()),
            &column(&|e| e.event.action.code().to_owned()),
            &column(&|e| e.event.record.clone()),
            &column(&|e| e.event.person.clone()),
            &column(&|e| encode_fields(&e.event.fields)),
            &column(&|e| e.event.basis.clone()),
            &column(&|e| e.prev_hash.clone()),
            &column(&|e| e.hash.clone()),
        ],
    )
    .await
    .map_err(db_err)?;
    Ok(())
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
