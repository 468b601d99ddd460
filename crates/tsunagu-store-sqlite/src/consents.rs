//! [`ConsentStore`] on SQLite.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, Row, params};
use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{Date, OffsetDateTime};
use tsunagu_domain::account::AccountId;
use tsunagu_domain::consent::{Consent, ConsentId, ConsentRecord, Provision};
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{
    decode_categories, decode_evidence, decode_fields, decode_purposes, decode_recipient, encode_categories,
    encode_fields, encode_purposes,
};
use tsunagu_store::{ConsentStore, StoreError, StoreResult};

use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err};

const DATE: &[BorrowedFormatItem<'static>] = format_description!("[year]-[month]-[day]");

pub(crate) fn date(d: Date) -> String {
    d.format(DATE).unwrap_or_default()
}

pub(crate) fn parse_date(s: &str) -> rusqlite::Result<Date> {
    Date::parse(s, DATE).map_err(|e| conv(StoreError::backend(e)))
}

pub(crate) const CONSENT_COLUMNS: &str = "id, prefecture, person_id, recipient_kind, recipient_id, purposes, categories, \
     valid_from, valid_to, revoked_at, evidence, evidence_note, recorded_by, recorded_at";

pub(crate) fn consent_from_row(r: &Row<'_>) -> rusqlite::Result<ConsentRecord> {
    let valid_to: Option<String> = r.get(8)?;
    let revoked_at: Option<String> = r.get(9)?;
    Ok(ConsentRecord {
        prefecture: r.get(1)?,
        consent: Consent {
            id: ConsentId(parse_uuid(&r.get::<_, String>(0)?)?),
            person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
            recipient: decode_recipient(&r.get::<_, String>(3)?, &r.get::<_, String>(4)?).map_err(conv)?,
            purposes: decode_purposes(&r.get::<_, String>(5)?).map_err(conv)?,
            categories: decode_categories(&r.get::<_, String>(6)?).map_err(conv)?,
            valid_from: parse_date(&r.get::<_, String>(7)?)?,
            valid_to: valid_to.as_deref().map(parse_date).transpose()?,
            revoked_at: revoked_at.as_deref().map(parse_timestamp).transpose()?,
        },
        evidence: decode_evidence(&r.get::<_, String>(10)?).map_err(conv)?,
        evidence_note: r.get(11)?,
        recorded_by: AccountId(parse_uuid(&r.get::<_, String>(12)?)?),
        recorded_at: parse_timestamp(&r.get::<_, String>(13)?)?,
    })
}

/// Inserts a consent with `c` (a connection or a transaction).
pub(crate) fn insert_consent_in(c: &rusqlite::Connection, r: &ConsentRecord) -> rusqlite::Result<()> {
    let (kind, id) = r.consent.recipient.parts();
    c.prepare_cached(&format!(
        "INSERT INTO consents ({CONSENT_COLUMNS})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)"
    ))?
    .execute(params![
        r.consent.id.0.to_string(),
        r.prefecture,
        r.consent.person.0.to_string(),
        kind,
        id,
        encode_purposes(&r.consent.purposes),
        encode_categories(&r.consent.categories),
        date(r.consent.valid_from),
        r.consent.valid_to.map(date),
        r.consent.revoked_at.map(timestamp),
        r.evidence.code(),
        r.evidence_note,
        r.recorded_by.0.to_string(),
        timestamp(r.recorded_at),
    ])
    .map(|_| ())
}

/// Marks a consent withdrawn at `at` through `c` (a second withdrawal keeps the first time);
/// `NotFound` if there is no such consent.
pub(crate) fn revoke_consent_in(c: &rusqlite::Connection, id: ConsentId, at: OffsetDateTime) -> StoreResult<()> {
    let n = c
        .prepare_cached("UPDATE consents SET revoked_at = COALESCE(revoked_at, ?2) WHERE id = ?1")
        .and_then(|mut s| s.execute(params![id.0.to_string(), timestamp(at)]))
        .map_err(db_err)?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Records a provision through `c`.
pub(crate) fn insert_provision_in(c: &rusqlite::Connection, p: &Provision) -> rusqlite::Result<()> {
    let (kind, id) = p.recipient.parts();
    c.prepare_cached(
        "INSERT INTO provisions (id, prefecture, at, person_id, recipient_kind, recipient_id, items, consent_id,
            provided_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        p.id.to_string(),
        p.prefecture,
        timestamp(p.at),
        p.person.0.to_string(),
        kind,
        id,
        encode_fields(&p.items),
        p.consent.0.to_string(),
        p.provided_by.0.to_string(),
    ])
    .map(|_| ())
}

#[async_trait]
impl ConsentStore for SqliteStore {
    async fn consents_of(&self, person: PersonId) -> StoreResult<Vec<ConsentRecord>> {
        self.query(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {CONSENT_COLUMNS} FROM consents WHERE person_id = ?1 ORDER BY recorded_at, id"
            ))?;
            let rows = stmt.query_map([person.0.to_string()], consent_from_row)?;
            rows.collect()
        })
        .await
    }

    async fn provisions_of(&self, person: PersonId) -> StoreResult<Vec<Provision>> {
        self.query(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, prefecture, at, person_id, recipient_kind, recipient_id, items, consent_id, provided_by
                 FROM provisions WHERE person_id = ?1 ORDER BY at, id",
            )?;
            let rows = stmt.query_map([person.0.to_string()], |r| {
                Ok(Provision {
                    id: parse_uuid(&r.get::<_, String>(0)?)?,
                    prefecture: r.get(1)?,
                    at: parse_timestamp(&r.get::<_, String>(2)?)?,
                    person: PersonId(parse_uuid(&r.get::<_, String>(3)?)?),
                    recipient: decode_recipient(&r.get::<_, String>(4)?, &r.get::<_, String>(5)?).map_err(conv)?,
                    items: decode_fields(&r.get::<_, String>(6)?),
                    consent: ConsentId(parse_uuid(&r.get::<_, String>(7)?)?),
                    provided_by: AccountId(parse_uuid(&r.get::<_, String>(8)?)?),
                })
            })?;
            rows.collect()
        })
        .await
    }
}
