//! [`ReferralStore`] on SQLite.

use async_trait::async_trait;
use deadpool_sqlite::rusqlite::{self, OptionalExtension, Row, params};
use time::OffsetDateTime;
use tsunagu_domain::account::AccountId;
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::consent::ConsentId;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::referral::ReferralState;
use tsunagu_domain::referral::{Notice, Referral};
use tsunagu_store::{ReferralListing, ReferralStore, StoreError, StoreResult};

use crate::consents::date;
use crate::directory::{conv, parse_timestamp, parse_uuid, timestamp};
use crate::{SqliteStore, db_err};

const COLUMNS: &str = "r.id, r.prefecture, r.person_id, r.from_agency, r.to_agency, r.note, r.consent_id, r.state, \
     r.reason, r.sent_by, r.sent_at, r.updated_at, r.version";

fn state(raw: &str) -> rusqlite::Result<ReferralState> {
    ReferralState::parse(raw)
        .ok_or_else(|| conv(StoreError::Backend(format!("unreadable referral state {raw:?}").into())))
}

fn referral_from_row(r: &Row<'_>) -> rusqlite::Result<Referral> {
    Ok(Referral {
        id: parse_uuid(&r.get::<_, String>(0)?)?,
        prefecture: r.get(1)?,
        person: PersonId(parse_uuid(&r.get::<_, String>(2)?)?),
        from: AgencyId(parse_uuid(&r.get::<_, String>(3)?)?),
        to: AgencyId(parse_uuid(&r.get::<_, String>(4)?)?),
        note: r.get(5)?,
        consent: ConsentId(parse_uuid(&r.get::<_, String>(6)?)?),
        state: state(&r.get::<_, String>(7)?)?,
        reason: r.get(8)?,
        sent_by: AccountId(parse_uuid(&r.get::<_, String>(9)?)?),
        sent_at: parse_timestamp(&r.get::<_, String>(10)?)?,
        updated_at: parse_timestamp(&r.get::<_, String>(11)?)?,
        version: r.get(12)?,
    })
}

fn insert_notice(c: &rusqlite::Connection, n: &Notice) -> rusqlite::Result<()> {
    c.prepare_cached(
        "INSERT INTO notices (id, agency_id, referral_id, state, created_at, read_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        n.id.to_string(),
        n.agency.0.to_string(),
        n.referral.to_string(),
        n.state.code(),
        timestamp(n.created_at),
        n.read_at.map(timestamp),
    ])
    .map(|_| ())
}

/// Adds a referral and its notice to the receiver through `tx`.
pub(crate) fn insert_referral_in(tx: &rusqlite::Connection, r: &Referral, n: &Notice) -> StoreResult<()> {
    tx.execute(
        "INSERT INTO referrals (id, prefecture, person_id, from_agency, to_agency, note, consent_id, state, reason,
            sent_by, sent_at, updated_at, version) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            r.id.to_string(),
            r.prefecture,
            r.person.0.to_string(),
            r.from.0.to_string(),
            r.to.0.to_string(),
            r.note,
            r.consent.0.to_string(),
            r.state.code(),
            r.reason,
            r.sent_by.0.to_string(),
            timestamp(r.sent_at),
            timestamp(r.updated_at),
            r.version,
        ],
    )
    .map_err(db_err)?;
    insert_notice(tx, n).map_err(db_err)?;
    Ok(())
}

/// Moves a referral through `tx` if still at `r.version - 1`, else [`StoreError::Conflict`], with the
/// notice to the other side and, on acceptance, the receiver's new case.
pub(crate) fn move_referral_in(
    tx: &rusqlite::Connection,
    r: &Referral,
    n: &Notice,
    case: Option<&CaseRecord>,
) -> StoreResult<()> {
    let moved = tx
        .execute(
            "UPDATE referrals SET state = ?2, reason = ?3, updated_at = ?4, version = ?5
             WHERE id = ?1 AND version = ?5 - 1",
            params![r.id.to_string(), r.state.code(), r.reason, timestamp(r.updated_at), r.version],
        )
        .map_err(db_err)?;
    if moved == 0 {
        return Err(StoreError::Conflict { current: r.version });
    }
    insert_notice(tx, n).map_err(db_err)?;
    if let Some(case) = case {
        let open: bool = tx
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM cases WHERE person_id = ?1 AND agency_id = ?2 AND closed_on IS NULL)",
                params![case.person.0.to_string(), case.agency.0.to_string()],
                |row| row.get(0),
            )
            .map_err(db_err)?;
        if !open {
            tx.execute(
                "INSERT INTO cases (id, prefecture, person_id, agency_id, opened_on, closed_on, opened_by, name_kana,
                    name, birth_date, stage)
                 SELECT ?1, ?2, ?3, ?4, ?5, NULL, ?6, p.name_kana, p.name, p.birth_date, p.stage
                 FROM persons p WHERE p.id = ?3",
                params![
                    case.id.to_string(),
                    case.prefecture,
                    case.person.0.to_string(),
                    case.agency.0.to_string(),
                    date(case.opened_on),
                    case.opened_by.0.to_string(),
                ],
            )
            .map_err(db_err)?;
        }
    }
    Ok(())
}

#[async_trait]
impl ReferralStore for SqliteStore {
    async fn referral(&self, id: uuid::Uuid) -> StoreResult<Option<Referral>> {
        self.query(move |c| {
            c.prepare_cached(&format!("SELECT {COLUMNS} FROM referrals r WHERE r.id = ?1"))?
                .query_row([id.to_string()], referral_from_row)
                .optional()
        })
        .await
    }

    async fn referrals_of(
        &self,
        agency: AgencyId,
        limit: u32,
    ) -> StoreResult<(Vec<ReferralListing>, Vec<ReferralListing>)> {
        self.query(move |c| {
            let list = |column: &str| -> rusqlite::Result<Vec<ReferralListing>> {
                c.prepare_cached(&format!(
                    "SELECT {COLUMNS}, p.name FROM referrals r JOIN persons p ON p.id = r.person_id
                     WHERE r.{column} = ?1 ORDER BY r.updated_at DESC, r.id LIMIT ?2"
                ))?
                .query_map(params![agency.0.to_string(), limit], |row| {
                    Ok(ReferralListing { referral: referral_from_row(row)?, person_name: row.get(13)? })
                })?
                .collect()
            };
            Ok((list("to_agency")?, list("from_agency")?))
        })
        .await
    }

    async fn referrals_of_person(&self, person: PersonId) -> StoreResult<Vec<Referral>> {
        self.query(move |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM referrals r WHERE r.person_id = ?1 ORDER BY r.sent_at, r.id"
            ))?
            .query_map([person.0.to_string()], referral_from_row)?
            .collect()
        })
        .await
    }

    async fn notices(&self, agency: AgencyId, limit: u32) -> StoreResult<Vec<Notice>> {
        self.query(move |c| {
            c.prepare_cached(
                "SELECT id, agency_id, referral_id, state, created_at, read_at FROM notices
                 WHERE agency_id = ?1 ORDER BY created_at DESC, id LIMIT ?2",
            )?
            .query_map(params![agency.0.to_string(), limit], |r| {
                let read_at: Option<String> = r.get(5)?;
                Ok(Notice {
                    id: parse_uuid(&r.get::<_, String>(0)?)?,
                    agency: AgencyId(parse_uuid(&r.get::<_, String>(1)?)?),
                    referral: parse_uuid(&r.get::<_, String>(2)?)?,
                    state: state(&r.get::<_, String>(3)?)?,
                    created_at: parse_timestamp(&r.get::<_, String>(4)?)?,
                    read_at: read_at.as_deref().map(parse_timestamp).transpose()?,
                })
            })?
            .collect()
        })
        .await
    }

    async fn mark_notices_read(&self, agency: AgencyId, at: OffsetDateTime) -> StoreResult<()> {
        self.query(move |c| {
            c.execute(
                "UPDATE notices SET read_at = ?2 WHERE agency_id = ?1 AND read_at IS NULL",
                params![agency.0.to_string(), timestamp(at)],
            )
            .map(|_| ())
        })
        .await
    }
}
