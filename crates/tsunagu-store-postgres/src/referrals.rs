//! [`ReferralStore`] on PostgreSQL.

use async_trait::async_trait;
use deadpool_postgres::GenericClient;
use time::OffsetDateTime;
use tokio_postgres::Row;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::consent::ConsentId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::referral::ReferralState;
use tsunagu_domain::referral::{Notice, Referral};
use tsunagu_store::{ReferralListing, ReferralStore, StoreError, StoreResult};

use crate::{PostgresStore, db_err, execute};

const COLUMNS: &str = "r.id, r.prefecture, r.person_id, r.from_agency, r.to_agency, r.note, r.consent_id, r.state, \
     r.reason, r.sent_by, r.sent_at, r.updated_at, r.version";

fn state(raw: &str) -> StoreResult<ReferralState> {
    ReferralState::parse(raw).ok_or_else(|| StoreError::Backend(format!("unreadable referral state {raw:?}").into()))
}

fn referral_from_row(r: &Row) -> StoreResult<Referral> {
    Ok(Referral {
        id: r.try_get(0).map_err(db_err)?,
        prefecture: r.try_get(1).map_err(db_err)?,
        person: PersonId(r.try_get(2).map_err(db_err)?),
        from: AgencyId(r.try_get(3).map_err(db_err)?),
        to: AgencyId(r.try_get(4).map_err(db_err)?),
        note: r.try_get(5).map_err(db_err)?,
        consent: ConsentId(r.try_get(6).map_err(db_err)?),
        state: state(r.try_get(7).map_err(db_err)?)?,
        reason: r.try_get(8).map_err(db_err)?,
        sent_by: AccountId(r.try_get(9).map_err(db_err)?),
        sent_at: r.try_get(10).map_err(db_err)?,
        updated_at: r.try_get(11).map_err(db_err)?,
        version: r.try_get(12).map_err(db_err)?,
    })
}

/// Adds a notice of a referral of `prefecture` through `c`.
async fn insert_notice(c: &impl GenericClient, prefecture: &str, n: &Notice) -> StoreResult<()> {
    execute(
        c,
        "INSERT INTO notices (id, agency_id, referral_id, state, created_at, read_at, prefecture)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        &[&n.id, &n.agency.0, &n.referral, &n.state.code(), &n.created_at, &n.read_at, &prefecture],
    )
    .await?;
    Ok(())
}

/// Adds a referral and its notice to the receiver through `c`.
pub(crate) async fn insert_referral_in(c: &impl GenericClient, r: &Referral, notice: &Notice) -> StoreResult<()> {
    execute(
        c,
        "INSERT INTO referrals (id, prefecture, person_id, from_agency, to_agency, note, consent_id, state, reason,
            sent_by, sent_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        &[
            &r.id,
            &r.prefecture,
            &r.person.0,
            &r.from.0,
            &r.to.0,
            &r.note,
            &r.consent.0,
            &r.state.code(),
            &r.reason,
            &r.sent_by.0,
            &r.sent_at,
            &r.updated_at,
            &r.version,
        ],
    )
    .await?;
    insert_notice(c, &r.prefecture, notice).await?;
    Ok(())
}

/// Moves a referral through `c` if still at `r.version - 1`, else [`StoreError::Conflict`], with the
/// notice to the other side and, on acceptance, the receiver's new case.
pub(crate) async fn move_referral_in(
    c: &impl GenericClient,
    r: &Referral,
    notice: &Notice,
    case: Option<&CaseRecord>,
) -> StoreResult<()> {
    let moved = execute(
        c,
        "UPDATE referrals SET state = $2, reason = $3, updated_at = $4, version = $5
             WHERE id = $1 AND prefecture = $6 AND version = $5::BIGINT - 1",
        &[&r.id, &r.state.code(), &r.reason, &r.updated_at, &r.version, &r.prefecture],
    )
    .await?;
    if moved == 0 {
        return Err(StoreError::Conflict { current: r.version });
    }
    insert_notice(c, &r.prefecture, notice).await?;
    if let Some(case) = case {
        execute(
            c,
            "INSERT INTO cases (id, prefecture, person_id, agency_id, opened_on, closed_on, opened_by, name_kana,
                name, birth_date, stage)
             SELECT $1, $2, $3, $4, $5, NULL, $6, p.name_kana, p.name, p.birth_date, p.stage FROM persons p
             WHERE p.id = $3 AND p.prefecture = $2 AND NOT EXISTS (
                 SELECT 1 FROM cases WHERE person_id = $3 AND agency_id = $4 AND prefecture = $2 AND closed_on IS NULL)",
            &[&case.id, &case.prefecture, &case.person.0, &case.agency.0, &case.opened_on, &case.opened_by.0],
        )
        .await?;
    }
    Ok(())
}

#[async_trait]
impl ReferralStore for PostgresStore {
    async fn referral(&self, id: uuid::Uuid) -> StoreResult<Option<Referral>> {
        self.client()
            .await?
            .query_opt(
                &format!("SELECT {COLUMNS} FROM referrals r WHERE r.id = $1 AND r.prefecture = $2"),
                &[&id, &&*self.prefecture],
            )
            .await
            .map_err(db_err)?
            .as_ref()
            .map(referral_from_row)
            .transpose()
    }

    async fn referrals_of(
        &self,
        agency: AgencyId,
        limit: u32,
    ) -> StoreResult<(Vec<ReferralListing>, Vec<ReferralListing>)> {
        let client = self.client().await?;
        let mut out = Vec::new();
        for column in ["to_agency", "from_agency"] {
            let rows = client
                .query(
                    &format!(
                        "SELECT {COLUMNS}, p.name FROM referrals r
                         JOIN persons p ON p.id = r.person_id AND p.prefecture = r.prefecture
                         WHERE r.{column} = $1 AND r.prefecture = $3 ORDER BY r.updated_at DESC, r.id LIMIT $2"
                    ),
                    &[&agency.0, &i64::from(limit), &&*self.prefecture],
                )
                .await
                .map_err(db_err)?;
            out.push(
                rows.iter()
                    .map(|row| {
                        Ok(ReferralListing {
                            referral: referral_from_row(row)?,
                            person_name: row.try_get(13).map_err(db_err)?,
                        })
                    })
                    .collect::<StoreResult<Vec<_>>>()?,
            );
        }
        let sent = out.pop().unwrap_or_default();
        let received = out.pop().unwrap_or_default();
        Ok((received, sent))
    }

    async fn referrals_of_person(&self, person: PersonId) -> StoreResult<Vec<Referral>> {
        self.client()
            .await?
            .query(
                &format!(
                    "SELECT {COLUMNS} FROM referrals r WHERE r.person_id = $1 AND r.prefecture = $2
                     ORDER BY r.sent_at, r.id"
                ),
                &[&person.0, &&*self.prefecture],
            )
            .await
            .map_err(db_err)?
            .iter()
            .map(referral_from_row)
            .collect()
    }

    async fn notices(&self, agency: AgencyId, limit: u32) -> StoreResult<Vec<Notice>> {
        self.client()
            .await?
            .query(
                "SELECT id, agency_id, referral_id, state, created_at, read_at FROM notices
                 WHERE agency_id = $1 AND prefecture = $3 ORDER BY created_at DESC, id LIMIT $2",
                &[&agency.0, &i64::from(limit), &&*self.prefecture],
            )
            .await
            .map_err(db_err)?
            .iter()
            .map(|r| {
                Ok(Notice {
                    id: r.try_get(0).map_err(db_err)?,
                    agency: AgencyId(r.try_get(1).map_err(db_err)?),
                    referral: r.try_get(2).map_err(db_err)?,
                    state: state(r.try_get(3).map_err(db_err)?)?,
                    created_at: r.try_get(4).map_err(db_err)?,
                    read_at: r.try_get(5).map_err(db_err)?,
                })
            })
            .collect()
    }

    async fn mark_notices_read(&self, agency: AgencyId, at: OffsetDateTime) -> StoreResult<()> {
        self.client()
            .await?
            .execute(
                "UPDATE notices SET read_at = $2 WHERE agency_id = $1 AND prefecture = $3 AND read_at IS NULL",
                &[&agency.0, &at, &&*self.prefecture],
            )
            .await
            .map_err(db_err)?;
        Ok(())
    }
}
