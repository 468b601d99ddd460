//! Recording to the audit log, and verifying its chain.

use time::format_description::well_known::Rfc3339;
use tsunagu_domain::account::{Account, Role};
use tsunagu_domain::audit::{AnonymousSource, AuditAction, AuditEntry, AuditEvent, Tamper, Verifier, caller_text};
use tsunagu_domain::checkpoint::{Checkpoint, CheckpointKey};
use tsunagu_store::codec::micros;
use tsunagu_store::{AuditQuery, StoreError};

use crate::{App, AppError};

/// What `verify_audit` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditCheck {
    /// Every entry chains to the one before; `head` is the last hash (publish it to anchor the log).
    Intact {
        /// Entries checked.
        entries: u64,
        /// Hash of the last entry.
        head: Option<String>,
    },
    /// The chain breaks here.
    Broken(Tamper),
}

/// Entries read per round while verifying.
const VERIFY_BATCH: u32 = 5_000;

impl App {
    /// Appends an event by `actor` (or, without one, by `anonymous_label`) about `record`.
    pub(crate) async fn audit(
        &self,
        actor: Option<&Account>,
        anonymous_label: &str,
        action: AuditAction,
        record: String,
        fields: Vec<String>,
        basis: &str,
    ) -> Result<(), AppError> {
        let event = AuditEvent {
            at_micros: micros(self.clock.now()),
            actor: actor.map(|a| a.id.0.to_string()).unwrap_or_default(),
            actor_label: actor.map_or_else(|| caller_text(anonymous_label), |a| a.login.clone()),
            action,
            record: if actor.is_some() { record } else { caller_text(&record) },
            person: String::new(),
            fields,
            basis: basis.to_owned(),
        };
        self.store.commit(tsunagu_store::Commit::new(event)).await.map_err(AppError::Store)?;
        Ok(())
    }

    /// An audit event by `actor` about `record`, now, about no person.
    pub(crate) fn event(
        &self,
        actor: &Account,
        action: AuditAction,
        record: String,
        fields: Vec<String>,
        basis: String,
    ) -> AuditEvent {
        AuditEvent {
            at_micros: micros(self.clock.now()),
            actor: actor.id.0.to_string(),
            actor_label: actor.login.clone(),
            action,
            record,
            person: String::new(),
            fields,
            basis,
        }
    }

    /// Follows the whole audit chain from the first entry.
    pub async fn verify_audit(&self) -> Result<AuditCheck, AppError> {
        self.verify_audit_against(&[]).await
    }

    /// Follows the whole audit chain from the first entry, and checks that it still holds the
    /// entry each of `checkpoints` names, unchanged (their signatures are the caller's to check
    /// first, see [`Checkpoint::verify`]).
    pub async fn verify_audit_against(&self, checkpoints: &[Checkpoint]) -> Result<AuditCheck, AppError> {
        // By entry: the log is followed once, each entry looked up, however many checkpoints an
        // hourly signer has written.
        let mut signed: std::collections::HashMap<i64, Vec<&str>> = std::collections::HashMap::new();
        for c in checkpoints {
            signed.entry(c.seq).or_default().push(&c.hash);
        }
        let mut verifier = Verifier::default();
        let mut after = 0;
        loop {
            let batch = self.store.audit_entries(after, VERIFY_BATCH).await.map_err(AppError::Store)?;
            let Some(last) = batch.last() else { break };
            after = last.seq;
            for entry in &batch {
                if let Err(tamper) = verifier.check(entry) {
                    return Ok(AuditCheck::Broken(tamper));
                }
                if signed.get(&entry.seq).is_some_and(|hashes| hashes.iter().any(|h| *h != entry.hash)) {
                    return Ok(AuditCheck::Broken(Tamper::Rewritten { seq: entry.seq }));
                }
            }
        }
        let last = verifier.head_seq();
        if let Some(beyond) = checkpoints.iter().filter(|c| c.seq > last).map(|c| c.seq).max() {
            return Ok(AuditCheck::Broken(Tamper::Truncated { seq: beyond, last }));
        }
        Ok(AuditCheck::Intact { entries: verifier.checked, head: verifier.head().map(str::to_owned) })
    }

    /// Signs the head of the audit log with `key`, once the whole chain has been followed: a
    /// broken or empty log is not signed.
    pub async fn audit_checkpoint(&self, key: &CheckpointKey) -> Result<Result<Checkpoint, AuditCheck>, AppError> {
        let check = self.verify_audit().await?;
        let AuditCheck::Intact { entries, head: Some(hash) } = &check else { return Ok(Err(check)) };
        let signed_at = self.clock.now().format(&Rfc3339).map_err(|e| AppError::Store(StoreError::backend(e)))?;
        Ok(Ok(key.sign(*entries as i64, hash, &signed_at)))
    }
}

impl App {
    /// Records that a session cookie or API token (`what`) from `address` was forged, expired or
    /// revoked. The credential itself is never written down.
    pub async fn record_rejected_credential(&self, what: &str, address: &str) -> Result<(), AppError> {
        let source = AnonymousSource {
            action: AuditAction::CredentialRejected,
            label: format!("address:{address}"),
            record: what.to_owned(),
        };
        self.audit_anonymous(source, "").await
    }

    /// Appends an anonymous event through the [`tsunagu_domain::audit::AnonymousTally`]: the
    /// first of its source this minute is written with `basis`; the rest are counted, and written
    /// as one entry with the basis `repeated:N` once the minute is over.
    pub(crate) async fn audit_anonymous(&self, source: AnonymousSource, basis: &str) -> Result<(), AppError> {
        let minute = self.clock.now().unix_timestamp().div_euclid(60);
        let tallied = self.anonymous.lock().unwrap_or_else(std::sync::PoisonError::into_inner).record(source, minute);
        for (source, count) in tallied.repeated {
            let basis = format!("repeated:{count}");
            self.audit(None, &source.label, source.action, source.record, vec![], &basis).await?;
        }
        match tallied.write {
            Some(source) => self.audit(None, &source.label, source.action, source.record, vec![], basis).await,
            None => Ok(()),
        }
    }

    /// Searches the audit log. Only administrators may, and the search is itself recorded.
    pub async fn search_audit(&self, actor: &Account, query: &AuditQuery) -> Result<Vec<AuditEntry>, AppError> {
        if actor.disabled || !actor.has(Role::SystemAdmin) {
            return Err(AppError::Forbidden);
        }
        let entries = self.store.search_audit(query).await.map_err(AppError::Store)?;
        self.audit(Some(actor), "", AuditAction::Read, "audit_log".to_owned(), vec![], "system_admin").await?;
        Ok(entries)
    }
}
