//! [`ConsentStore`] on PostgreSQL.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use time::OffsetDateTime;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::consent::{Consent, ConsentId, ConsentRecord, Provision};
use tsunagu_domain::person::PersonId;
use tsunagu_store::codec::{
    decode_categories, decode_evidence, decode_fields, decode_purposes, decode_recipient, encode_categories,
    encode_fields, encode_purposes,
};
use tsunagu_store::{ConsentStore, StoreError, StoreResult};

use crate::{PostgresStore, db_err, execute, query};

pub(crate) const CONSENT_COLUMNS: &str = "id, prefecture, person_id, recipient_kind, recipient_id, purposes, categories, \
     valid_from, valid_to, revoked_at, evidence, evidence_note, recorded_by, recorded_at";

pub(crate) fn consent_from_row(r: &Row) -> StoreResult<ConsentRecord> {
    Ok(ConsentRecord {
        prefecture: r.try_get(1).map_err(db_err)?,
        consent: Consent {
            id: ConsentId(r.try_get(0).map_err(db_err)?),
            person: PersonId(r.try_get(2).map_err(db_err)?),
            recipient: decode_recipient(r.try_get(3).map_err(db_err)?, r.try_get(4).map_err(db_err)?)?,
            purposes: decode_purposes(r.try_get(5).map_err(db_err)?)?,
            categories: decode_categories(r.try_get(6).map_err(db_err)?)?,
            valid_from: r.try_get(7).map_err(db_err)?,
            valid_to: r.try_get(8).map_err(db_err)?,
            revoked_at: r.try_get(9).map_err(db_err)?,
        },
        evidence: decode_evidence(r.try_get(10).map_err(db_err)?)?,
        evidence_note: r.try_get(11).map_err(db_err)?,
        recorded_by: AccountId(r.try_get(12).map_err(db_err)?),
        recorded_at: r.try_get(13).map_err(db_err)?,
    })
}

/// Inserts a consent through `c` (a client or a transaction).
pub(crate) async fn insert_consent_in(c: &impl GenericClient, r: &ConsentRecord) -> StoreResult<()> {
    let (kind, id) = r.consent.recipient.parts();
    execute(
        c,
        &format!(
            "INSERT INTO consents ({CONSENT_COLUMNS})
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ),
        &[
            &r.consent.id.0,
            &r.prefecture,
            &r.consent.person.0,
            &kind,
            &id,
            &encode_purposes(&r.consent.purposes),
            &encode_categories(&r.consent.categories),
            &r.consent.valid_from,
            &r.consent.valid_to,
            &r.consent.revoked_at,
            &r.evidence.code(),
            &r.evidence_note,
            &r.recorded_by.0,
            &r.recorded_at,
        ],
    )
    .await?;
    Ok(())
}

/// Marks a consent withdrawn at `at` through `c` (a second withdrawal keeps the first time);
/// `NotFound` if there is no such consent.
pub(crate) async fn revoke_consent_in(
    c: &impl GenericClient,
    prefecture: &str,
    id: ConsentId,
    at: OffsetDateTime,
) -> StoreResult<()> {
    let n = execute(
        c,
        "UPDATE consents SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1 AND prefecture = $3",
        &[&id.0, &at, &prefecture],
    )
    .await?;
    if n == 0 { Err(StoreError::NotFound) } else { Ok(()) }
}

/// Records a provision through `c`.
pub(crate) async fn insert_provision_in(c: &impl GenericClient, p: &Provision) -> StoreResult<()> {
    let (kind, id) = p.recipient.parts();
    execute(
        c,
        "INSERT INTO provisions (id, prefecture, at, person_id, recipient_kind, recipient_id, items, consent_id,
            provided_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        &[
            &p.id,
            &p.prefecture,
            &p.at,
            &p.person.0,
            &kind,
            &id,
            &encode_fields(&p.items),
            &p.consent.0,
            &p.provided_by.0,
        ],
    )
    .await?;
    Ok(())
}

#[async_trait]
impl ConsentStore for PostgresStore {
    async fn consents_of(&self, person: PersonId) -> StoreResult<Vec<ConsentRecord>> {
        let prefecture: &str = &self.prefecture;
        let sql = format!(
            "SELECT {CONSENT_COLUMNS} FROM consents WHERE person_id = $1 AND prefecture = $2 ORDER BY recorded_at, id"
        );
        query(&self.client().await?, &sql, &[&person.0, &prefecture]).await?.iter().map(consent_from_row).collect()
    }

    async fn provisions_of(&self, person: PersonId) -> StoreResult<Vec<Provision>> {
        let rows = query(
            &self.client().await?,
            "SELECT id, prefecture, at, person_id, recipient_kind, recipient_id, items, consent_id, provided_by
             FROM provisions WHERE person_id = $1 AND prefecture = $2 ORDER BY at, id",
            &[&person.0, &&*self.prefecture],
        )
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Provision {
                    id: r.try_get(0).map_err(db_err)?,
                    prefecture: r.try_get(1).map_err(db_err)?,
                    at: r.try_get(2).map_err(db_err)?,
                    person: PersonId(r.try_get(3).map_err(db_err)?),
                    recipient: decode_recipient(r.try_get(4).map_err(db_err)?, r.try_get(5).map_err(db_err)?)?,
                    items: decode_fields(r.try_get(6).map_err(db_err)?),
                    consent: ConsentId(r.try_get(7).map_err(db_err)?),
                    provided_by: AccountId(r.try_get(8).map_err(db_err)?),
                })
            })
            .collect()
    }
}
