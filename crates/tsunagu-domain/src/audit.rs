//! The audit log's chain: every entry carries the hash of the one before it, so that changing,
//! removing or inserting any entry breaks the chain where it happened.
//!
//! The hash is SHA-256 over the previous hash and a length-prefixed encoding of every field, so
//! no two different entries encode alike. Timestamps enter as microseconds since the epoch, the
//! precision both databases keep.

use std::fmt::Write as _;

use serde::Serialize;
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    /// A record was read.
    Read,
    /// A record was created.
    Create,
    /// A record was changed.
    Update,
    /// Records were imported in bulk.
    Import,
    /// Records were exported.
    Export,
    /// Someone signed in.
    SignIn,
    /// A sign-in failed.
    SignInFailed,
    /// Someone signed out.
    SignOut,
    /// Every session of an account was ended.
    SignOutEverywhere,
    /// A session cookie or API token was presented that is forged, expired or revoked.
    CredentialRejected,
    /// Personal data was asked for without a case, consent or override that covers it.
    AccessDenied,
}

impl AuditAction {
    /// Every action.
    pub const ALL: [Self; 11] = [
        Self::Read,
        Self::Create,
        Self::Update,
        Self::Import,
        Self::Export,
        Self::SignIn,
        Self::SignInFailed,
        Self::SignOut,
        Self::SignOutEverywhere,
        Self::CredentialRejected,
        Self::AccessDenied,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Create => "create",
            Self::Update => "update",
            Self::Import => "import",
            Self::Export => "export",
            Self::SignIn => "sign_in",
            Self::SignInFailed => "sign_in_failed",
            Self::SignOut => "sign_out",
            Self::SignOutEverywhere => "sign_out_everywhere",
            Self::CredentialRejected => "credential_rejected",
            Self::AccessDenied => "access_denied",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == raw)
    }
}

/// An event to record: who did what to which record, and on what grounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEvent {
    /// When, in microseconds since the Unix epoch.
    pub at_micros: i64,
    /// The account that acted (its id), or empty for the command line or an anonymous caller.
    pub actor: String,
    /// How the actor is shown (login, "command-line", or the address of an anonymous caller).
    pub actor_label: String,
    /// What happened.
    pub action: AuditAction,
    /// Which record: `agency:<id>`, `municipality:<code>`, `account:<login>` …
    pub record: String,
    /// The person whose data it is, when it is personal data (their id).
    pub person: String,
    /// The fields read or written.
    pub fields: Vec<String>,
    /// Why it was allowed: `own_case`, `consent:<id>`, `override:<reason>`, `directory_policy` …
    pub basis: String,
}

/// An event as it stands in the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    /// Position in the log, from 1, without gaps.
    pub seq: i64,
    /// The event.
    pub event: AuditEvent,
    /// The hash of the entry before (or [`GENESIS`]).
    pub prev_hash: String,
    /// This entry's hash.
    pub hash: String,
}

fn put(bytes: &mut Vec<u8>, field: &[u8]) {
    bytes.extend_from_slice(&(field.len() as u64).to_be_bytes());
    bytes.extend_from_slice(field);
}

/// The hash of an entry with this position, predecessor and event.
pub fn entry_hash(seq: i64, prev_hash: &str, e: &AuditEvent) -> String {
    let mut bytes = Vec::with_capacity(256);
    put(&mut bytes, prev_hash.as_bytes());
    put(&mut bytes, &seq.to_be_bytes());
    put(&mut bytes, &e.at_micros.to_be_bytes());
    put(&mut bytes, e.actor.as_bytes());
    put(&mut bytes, e.actor_label.as_bytes());
    put(&mut bytes, e.action.code().as_bytes());
    put(&mut bytes, e.record.as_bytes());
    put(&mut bytes, e.person.as_bytes());
    put(&mut bytes, &(e.fields.len() as u64).to_be_bytes());
    for f in &e.fields {
        put(&mut bytes, f.as_bytes());
    }
    put(&mut bytes, e.basis.as_bytes());
    Sha256::digest(&bytes).iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Links `event` after the entry `(seq, hash)` (or after nothing).
pub fn chain(last: Option<(i64, &str)>, event: AuditEvent) -> AuditEntry {
    let (seq, prev_hash) = match last {
        Some((seq, hash)) => (seq + 1, hash.to_owned()),
        None => (1, GENESIS.to_owned()),
    };
    let hash = entry_hash(seq, &prev_hash, &event);
    AuditEntry { seq, event, prev_hash, hash }
}

/// How the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Tamper {
    /// The entry's content no longer matches its hash.
    #[error("entry {seq} was changed")]
    Changed {
        /// Which entry.
        seq: i64,
    },
    /// Entries are missing before this one.
    #[error("entries before {seq} were removed")]
    Removed {
        /// The entry after the gap.
        seq: i64,
    },
    /// This entry does not belong where it stands.
    #[error("entry {seq} was inserted")]
    Inserted {
        /// Which entry.
        seq: i64,
    },
    /// The log ends before the entry a signed checkpoint names: entries were cut from its end.
    #[error(
        "the log ends at entry {last}, before entry {seq} of a signed checkpoint: entries were removed from its end"
    )]
    Truncated {
        /// The checkpoint's entry.
        seq: i64,
        /// The last entry left (0: none).
        last: i64,
    },
    /// The entry a signed checkpoint names is not the one signed: the log up to it was rewritten
    /// and its chain computed again.
    #[error("entry {seq} is not the one a signed checkpoint names: the log up to it was rewritten")]
    Rewritten {
        /// The checkpoint's entry.
        seq: i64,
    },
}

/// Follows the chain through `entries` (in `seq` order) and reports the first break.
#[derive(Debug, Default)]
pub struct Verifier {
    last: Option<(i64, String)>,
    /// Hashes already seen: an entry copied to another place repeats one.
    seen: std::collections::HashSet<String>,
    /// Entries checked so far.
    pub checked: u64,
}

impl Verifier {
    /// Checks the next entry.
    pub fn check(&mut self, entry: &AuditEntry) -> Result<(), Tamper> {
        let seq = entry.seq;
        let (expected_seq, expected_prev) = match &self.last {
            Some((s, h)) => (s + 1, h.as_str()),
            None => (1, GENESIS),
        };
        if self.seen.contains(&entry.hash) {
            return Err(Tamper::Inserted { seq });
        }
        if entry_hash(seq, &entry.prev_hash, &entry.event) != entry.hash {
            return Err(Tamper::Changed { seq });
        }
        if seq > expected_seq {
            return Err(Tamper::Removed { seq });
        }
        if seq < expected_seq || (entry.prev_hash == GENESIS && seq != 1) {
            // A well-formed entry out of sequence, or starting a chain of its own: put there.
            return Err(Tamper::Inserted { seq });
        }
        if entry.prev_hash != expected_prev {
            // No gap, so nothing was removed: the entry before was rewritten and rehashed.
            return Err(Tamper::Changed { seq: seq - 1 });
        }
        self.seen.insert(entry.hash.clone());
        self.last = Some((seq, entry.hash.clone()));
        self.checked += 1;
        Ok(())
    }

    /// The hash of the last entry checked: publish it to anchor the log.
    pub fn head(&self) -> Option<&str> {
        self.last.as_ref().map(|(_, h)| h.as_str())
    }

    /// The sequence number of the last entry checked (0 before the first).
    pub fn head_seq(&self) -> i64 {
        self.last.as_ref().map_or(0, |(s, _)| *s)
    }
}

/// The most characters of text a caller chose (a login typed at the sign-in form, an address)
/// that an entry keeps.
pub const MAX_CALLER_TEXT: usize = 100;

/// `text` cut to [`MAX_CALLER_TEXT`] characters, with an ellipsis when it was longer.
pub fn caller_text(text: &str) -> String {
    crate::text::cut_to(text, MAX_CALLER_TEXT)
}

/// Where an anonymous event came from: what happened, from which address, to what.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AnonymousSource {
    /// What happened (a rejected credential, a throttled sign-in).
    pub action: AuditAction,
    /// `address:…` of the caller.
    pub label: String,
    /// What was tried (`session`, `account:…`).
    pub record: String,
}

/// The most sources an [`AnonymousTally`] tells apart in one minute; the events of any more are
/// counted together under [`AnonymousSource::others`].
pub const MAX_SOURCES_PER_MINUTE: usize = 100;

impl AnonymousSource {
    /// Every source past [`MAX_SOURCES_PER_MINUTE`] in a minute, for `action`.
    pub fn others(action: AuditAction) -> Self {
        Self { action, label: "address:*".into(), record: "*".into() }
    }
}

/// What to write to the log for one anonymous event.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tallied {
    /// The minutes before, summed up: each source with how many of its events were counted
    /// but not written one by one.
    pub repeated: Vec<(AnonymousSource, u64)>,
    /// The event itself, when it is its source's first this minute.
    pub write: Option<AnonymousSource>,
}

/// Keeps anonymous traffic (forged cookies, throttled sign-ins) from growing the audit log without
/// bound while keeping the evidence: per minute, each source's first event is written, the rest
/// are counted and written as one summary with the count once the minute is over. At most
/// [`MAX_SOURCES_PER_MINUTE`] + 1 events and as many summaries a minute reach the log, however
/// many requests arrive.
#[derive(Debug, Default)]
pub struct AnonymousTally {
    minute: i64,
    counts: std::collections::HashMap<AnonymousSource, u64>,
}

impl AnonymousTally {
    /// Counts an event from `source` in `minute` (minutes since the epoch).
    pub fn record(&mut self, source: AnonymousSource, minute: i64) -> Tallied {
        let mut repeated = Vec::new();
        if minute != self.minute {
            repeated = self.counts.drain().filter(|(_, n)| *n > 1).map(|(s, n)| (s, n - 1)).collect();
            repeated.sort();
            self.minute = minute;
        }
        let source = if self.counts.contains_key(&source) || self.counts.len() < MAX_SOURCES_PER_MINUTE {
            source
        } else {
            AnonymousSource::others(source.action)
        };
        let count = self.counts.entry(source.clone()).or_insert(0);
        *count += 1;
        Tallied { repeated, write: (*count == 1).then_some(source) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: i64) -> AuditEvent {
        AuditEvent {
            at_micros: 1_700_000_000_000_000 + n,
            actor: format!("actor-{n}"),
            actor_label: "worker".into(),
            action: AuditAction::Update,
            record: format!("agency:{n}"),
            person: String::new(),
            fields: vec!["phone".into()],
            basis: "directory_policy".into(),
        }
    }

    fn log(n: i64) -> Vec<AuditEntry> {
        let mut out: Vec<AuditEntry> = Vec::new();
        for i in 1..=n {
            let last = out.last().map(|e| (e.seq, e.hash.as_str()));
            out.push(chain(last, event(i)));
        }
        out
    }

    fn verify(entries: &[AuditEntry]) -> Result<u64, Tamper> {
        let mut v = Verifier::default();
        for e in entries {
            v.check(e)?;
        }
        Ok(v.checked)
    }

    #[test]
    fn an_untouched_log_verifies() {
        assert_eq!(verify(&log(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn every_kind_of_tampering_is_named_with_its_entry() {
        type Tampering = fn(&mut Vec<AuditEntry>);
        let cases: [(&str, Tampering, Tamper); 7] = [
            ("a field changed", |l| l[2].event.record = "agency:other".into(), Tamper::Changed { seq: 3 }),
            ("a field list changed", |l| l[1].event.fields.push("email".into()), Tamper::Changed { seq: 2 }),
            ("an entry removed", |l| drop(l.remove(2)), Tamper::Removed { seq: 4 }),
            ("the first entry removed", |l| drop(l.remove(0)), Tamper::Removed { seq: 2 }),
            (
                "an entry rehashed after a change",
                |l| {
                    l[2].event.actor = "someone else".into();
                    l[2].hash = entry_hash(3, &l[2].prev_hash.clone(), &l[2].event);
                },
                Tamper::Changed { seq: 3 },
            ),
            (
                "an entry inserted with a fresh chain",
                |l| {
                    let forged = chain(None, event(99));
                    l.insert(2, AuditEntry { seq: 3, ..forged.clone() });
                    l[2].hash = entry_hash(3, GENESIS, &forged.event);
                },
                Tamper::Inserted { seq: 3 },
            ),
            (
                "an entry duplicated",
                |l| {
                    let copy = l[1].clone();
                    l.insert(2, copy);
                },
                Tamper::Inserted { seq: 2 },
            ),
        ];
        for (what, tamper, expected) in cases {
            let mut l = log(5);
            tamper(&mut l);
            assert_eq!(verify(&l), Err(expected), "{what}");
        }
    }

    #[test]
    fn anonymous_events_are_written_once_a_source_and_minute_then_summed_up() {
        let from = |address: &str| AnonymousSource {
            action: AuditAction::CredentialRejected,
            label: format!("address:{address}"),
            record: "session".into(),
        };
        let mut tally = AnonymousTally::default();
        let first = tally.record(from("192.0.2.1"), 10);
        assert_eq!(first, Tallied { repeated: vec![], write: Some(from("192.0.2.1")) });
        for _ in 0..199 {
            assert_eq!(tally.record(from("192.0.2.1"), 10), Tallied::default());
        }
        assert_eq!(tally.record(from("192.0.2.2"), 10).write, Some(from("192.0.2.2")));
        let next_minute = tally.record(from("192.0.2.1"), 11);
        assert_eq!(next_minute.repeated, vec![(from("192.0.2.1"), 199)]);
        assert_eq!(next_minute.write, Some(from("192.0.2.1")));
    }

    #[test]
    fn sources_past_the_limit_are_counted_together() {
        let mut tally = AnonymousTally::default();
        let mut written = 0;
        for i in 0..1_000 {
            let source = AnonymousSource {
                action: AuditAction::SignInFailed,
                label: format!("address:198.51.100.{i}"),
                record: format!("account:guess{i}"),
            };
            written += usize::from(tally.record(source, 5).write.is_some());
        }
        assert_eq!(written, MAX_SOURCES_PER_MINUTE + 1);
        let summary = tally.record(AnonymousSource::others(AuditAction::SignInFailed), 6).repeated;
        assert_eq!(summary, vec![(AnonymousSource::others(AuditAction::SignInFailed), 899)]);
    }

    #[test]
    fn caller_text_is_cut_short() {
        assert_eq!(caller_text("worker"), "worker");
        let long = caller_text(&"あ".repeat(10_000));
        assert_eq!(long.chars().count(), MAX_CALLER_TEXT + 1);
        assert!(long.ends_with('…'));
    }
}
