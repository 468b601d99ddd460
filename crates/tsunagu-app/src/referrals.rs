//! Referrals between agencies (行動2): sent on a consent that names the receiver for referral,
//! then accepted (which opens the receiver's case) or declined with a reason, then done; or
//! revoked by the sender while open. Each side gets a notice when the other moves it, and the
//! data it carries is recorded as a provision (第三者提供記録).

use tsunagu_domain::Problems;
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::consent::{DataCategory, Provision, Purpose, Recipient};
use tsunagu_domain::directory::{AgencyId, AgencyKind, BlockCode};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::referral::{Notice, Referral};
use tsunagu_domain::referral::{
    ReferralMove, ReferralState, Side, decline_reason, next_state, referral_consent, referral_note,
};
use tsunagu_store::{Change, Commit, ReferralListing, StoreError};

use crate::clock::tokyo_date;
use crate::{App, AppError};

/// Referrals an agency's list shows, each way.
pub const REFERRAL_LIST: u32 = 100;

/// An agency a person may be referred to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferralTarget {
    /// Id.
    pub id: AgencyId,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_kana: String,
    /// Kind.
    pub kind: AgencyKind,
    /// Its block (its municipality's, or its own).
    pub block: Option<BlockCode>,
}

/// An agency's referrals and notices.
#[derive(Debug, Clone)]
pub struct Referrals {
    /// Received, newest change first.
    pub received: Vec<ReferralListing>,
    /// Sent, newest change first.
    pub sent: Vec<ReferralListing>,
    /// Notices, newest first (unread ones are marked read by this reading).
    pub notices: Vec<Notice>,
}

impl App {
    /// The agencies the person consented to be referred to (by agency or by block), for the
    /// referral form, in the order it groups them: by block (as the directory orders blocks, an
    /// agency of none last), then kind, then reading.
    pub async fn referral_targets(&self, actor: &Account, id: PersonId) -> Result<Vec<ReferralTarget>, AppError> {
        let from = Self::acting_agency(actor)?;
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let index = self.directory().await?;
        let now = self.clock.now();
        let today = tokyo_date(now);
        let mut ids: Vec<AgencyId> = Vec::new();
        for record in &file.consents {
            let c = &record.consent;
            if !c.in_force(now, today) || !c.purposes.contains(&Purpose::Referral) {
                continue;
            }
            match &c.recipient {
                Recipient::Agency(a) if *a != from => ids.push(*a),
                Recipient::Block(b) => {
                    ids.extend(index.agencies_of_block(b).into_iter().map(|(a, _)| a).filter(|a| *a != from));
                }
                _ => {}
            }
        }
        let block_rank = |b: Option<&BlockCode>| {
            b.and_then(|b| index.references.blocks.iter().position(|x| x.code == *b)).unwrap_or(usize::MAX)
        };
        let kind_rank = |k: AgencyKind| AgencyKind::ALL.iter().position(|x| *x == k).unwrap_or(usize::MAX);
        let mut targets: Vec<ReferralTarget> = ids
            .into_iter()
            .filter_map(|a| {
                let listing = index.agency(a)?;
                Some(ReferralTarget {
                    id: a,
                    name: listing.name.clone(),
                    name_kana: listing.name_kana.clone(),
                    kind: listing.kind,
                    block: index.block_of(a).cloned(),
                })
            })
            .collect();
        targets.sort_by(|a, b| {
            (block_rank(a.block.as_ref()), kind_rank(a.kind), &a.name_kana, a.id).cmp(&(
                block_rank(b.block.as_ref()),
                kind_rank(b.kind),
                &b.name_kana,
                b.id,
            ))
        });
        targets.dedup_by_key(|t| t.id);
        Ok(targets)
    }

    /// Sends a referral of the person to agency `to`. It needs the sender's access to the record
    /// and a consent in force that names `to` (or its block) for referral.
    pub async fn send_referral(
        &self,
        actor: &Account,
        id: PersonId,
        to: &str,
        note: &str,
    ) -> Result<uuid::Uuid, AppError> {
        let from = Self::acting_agency(actor)?;
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let mut p = Problems::new();
        let note = referral_note(&mut p, note);
        let index = self.directory().await?;
        let to = match uuid::Uuid::parse_str(to.trim()).ok().map(AgencyId) {
            Some(a) if index.agency(a).is_some() && a != from => Some(a),
            _ if to.trim().is_empty() => {
                p.add("to_agency", "required");
                None
            }
            _ => {
                p.add("to_agency", "unknown_recipient");
                None
            }
        };
        let now = self.clock.now();
        let consents: Vec<_> = file.consents.iter().map(|r| r.consent.clone()).collect();
        let consent = to.and_then(|to| referral_consent(&consents, id, to, index.block_of(to), now, tokyo_date(now)));
        if to.is_some() && consent.is_none() {
            p.add("to_agency", "referral_needs_consent");
        }
        let (Some(to), Some(note), Some(consent)) = (to, note, consent) else {
            return Err(AppError::Invalid(p));
        };
        let referral = Referral {
            id: self.ids.new_id(),
            prefecture: file.person.prefecture.clone(),
            person: id,
            from,
            to,
            note,
            consent,
            state: ReferralState::Sent,
            reason: None,
            sent_by: actor.id,
            sent_at: now,
            updated_at: now,
            version: 1,
        };
        let notice = Notice {
            id: self.ids.new_id(),
            agency: to,
            referral: referral.id,
            state: ReferralState::Sent,
            created_at: now,
            read_at: None,
        };
        let items: Vec<String> = ["name", "name_kana", "birth_date", "referral_note"].map(str::to_owned).to_vec();
        let provision = Provision {
            prefecture: file.person.prefecture.clone(),
            id: self.ids.new_id(),
            at: now,
            person: id,
            recipient: Recipient::Agency(to),
            items: items.clone(),
            consent,
            provided_by: actor.id,
        };
        let referral_id = referral.id;
        let event = self.person_event(
            actor,
            AuditAction::Create,
            format!("referral:{referral_id}"),
            id,
            items,
            basis.audit_code(),
        );
        // The referral, its notice, the provision and the audit entry: all together or none.
        let commit = Commit::new(event)
            .with(Change::Referral { referral: Box::new(referral), notice: Box::new(notice) })
            .with(Change::Provision(Box::new(provision)));
        self.commit(commit).await?;
        Ok(referral_id)
    }

    /// Moves a referral: the receiver accepts (opening its case), declines with a reason, or
    /// marks it done; the sender revokes it while open. The other side gets a notice.
    pub async fn move_referral(
        &self,
        actor: &Account,
        id: uuid::Uuid,
        mv: ReferralMove,
        reason: &str,
    ) -> Result<(), AppError> {
        let agency = Self::acting_agency(actor)?;
        let current = self.store.referral(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let side = if agency == current.to {
            Side::Receiver
        } else if agency == current.from {
            Side::Sender
        } else {
            return Err(AppError::NotFound);
        };
        let state = next_state(current.state, mv, side).map_err(AppError::ReferralMove)?;
        let mut p = Problems::new();
        let reason = decline_reason(&mut p, mv, reason);
        if !p.is_empty() {
            return Err(AppError::Invalid(p));
        }
        let now = self.clock.now();
        let moved = Referral {
            state,
            reason: if mv == ReferralMove::Decline { reason } else { current.reason.clone() },
            updated_at: now,
            version: current.version + 1,
            ..current.clone()
        };
        let notice = Notice {
            id: self.ids.new_id(),
            agency: if side == Side::Receiver { current.from } else { current.to },
            referral: id,
            state,
            created_at: now,
            read_at: None,
        };
        let case = (state == ReferralState::Accepted).then(|| CaseRecord {
            id: self.ids.new_id(),
            prefecture: current.prefecture.clone(),
            person: current.person,
            agency: current.to,
            opened_on: tokyo_date(now),
            closed_on: None,
            opened_by: actor.id,
        });
        let mut fields = vec!["state".to_owned()];
        if mv == ReferralMove::Decline {
            fields.push("reason".into());
        }
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("referral:{id}"),
            current.person,
            fields,
            "referral".into(),
        );
        let change =
            Change::MoveReferral { referral: Box::new(moved), notice: Box::new(notice), case: case.map(Box::new) };
        match self.commit(Commit::new(event).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => {
                let now_at = self.store.referral(id).await.map_err(AppError::Store)?.map_or(current.state, |r| r.state);
                Err(AppError::ReferralMove(tsunagu_domain::referral::ReferralRefused { from: now_at, mv, side }))
            }
            Err(e) => Err(e),
        }
    }

    /// The referrals the actor's agency received and sent, with its notices (now marked read).
    pub async fn referrals(&self, actor: &Account) -> Result<Referrals, AppError> {
        let agency = Self::acting_agency(actor)?;
        let (received, sent) = self.store.referrals_of(agency, REFERRAL_LIST).await.map_err(AppError::Store)?;
        let notices = self.store.notices(agency, 50).await.map_err(AppError::Store)?;
        self.store.mark_notices_read(agency, self.clock.now()).await.map_err(AppError::Store)?;
        let fields = vec!["name".into(), "referral_note".into()];
        self.audit(
            Some(actor),
            "",
            AuditAction::Read,
            format!("referrals:{}", agency.0),
            fields,
            &format!("own_case:{}", agency.0),
        )
        .await?;
        Ok(Referrals { received, sent, notices })
    }
}
