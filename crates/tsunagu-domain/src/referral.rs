//! Referrals between agencies (紹介・引継ぎ): sent, then accepted or declined by the receiving
//! agency, then done; or revoked by the sender while still open. A referral carries the person's
//! data to another agency, so it needs a consent that names the receiver for referral.

use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::Problems;
use crate::account::AccountId;
use crate::consent::{Consent, ConsentId, DataCategory, Purpose, Recipient};
use crate::directory::{AgencyId, BlockCode};
use crate::person::PersonId;
use crate::validation::text_field;

/// Where a referral stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralState {
    /// Sent, waiting for the receiver.
    Sent,
    /// The receiver took the person on.
    Accepted,
    /// The receiver declined, with a reason.
    Declined,
    /// The receiver finished what was asked.
    Done,
    /// The sender withdrew it.
    Revoked,
}

impl ReferralState {
    /// Every state.
    pub const ALL: [ReferralState; 5] = [
        ReferralState::Sent,
        ReferralState::Accepted,
        ReferralState::Declined,
        ReferralState::Done,
        ReferralState::Revoked,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            ReferralState::Sent => "sent",
            ReferralState::Accepted => "accepted",
            ReferralState::Declined => "declined",
            ReferralState::Done => "done",
            ReferralState::Revoked => "revoked",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == raw.trim())
    }
}

/// What a side does to a referral.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralMove {
    /// The receiver accepts.
    Accept,
    /// The receiver declines (a reason is required).
    Decline,
    /// The receiver marks it done.
    Complete,
    /// The sender withdraws it.
    Revoke,
}

impl ReferralMove {
    /// Every move.
    pub const ALL: [ReferralMove; 4] =
        [ReferralMove::Accept, ReferralMove::Decline, ReferralMove::Complete, ReferralMove::Revoke];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            ReferralMove::Accept => "accept",
            ReferralMove::Decline => "decline",
            ReferralMove::Complete => "complete",
            ReferralMove::Revoke => "revoke",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == raw.trim())
    }
}

/// Which end of the referral an agency is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The sending agency.
    Sender,
    /// The receiving agency.
    Receiver,
}

/// A move the rules do not allow from where the referral stands, or for that side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{} cannot {} a referral that is {}", if matches!(side, Side::Sender) { "the sender" } else { "the receiver" }, mv.code(), from.code())]
pub struct ReferralRefused {
    /// Where it stands.
    pub from: ReferralState,
    /// What was asked.
    pub mv: ReferralMove,
    /// Who asked.
    pub side: Side,
}

/// The state a move leads to.
pub fn next_state(from: ReferralState, mv: ReferralMove, side: Side) -> Result<ReferralState, ReferralRefused> {
    use ReferralMove::*;
    use ReferralState::*;
    match (from, mv, side) {
        (Sent, Accept, Side::Receiver) => Ok(Accepted),
        (Sent, Decline, Side::Receiver) => Ok(Declined),
        (Accepted, Complete, Side::Receiver) => Ok(Done),
        (Sent | Accepted, Revoke, Side::Sender) => Ok(Revoked),
        _ => Err(ReferralRefused { from, mv, side }),
    }
}

/// The consent a referral to `to` (in block `to_block`) rests on: in force, naming the agency or
/// its block, for referral, covering basic data.
pub fn referral_consent(
    consents: &[Consent],
    person: PersonId,
    to: AgencyId,
    to_block: Option<&BlockCode>,
    now: OffsetDateTime,
    today: Date,
) -> Option<ConsentId> {
    consents
        .iter()
        .filter(|c| c.person == person && c.in_force(now, today))
        .filter(|c| match &c.recipient {
            Recipient::Agency(a) => *a == to,
            Recipient::Block(b) => Some(b) == to_block,
            Recipient::Employer(_) => false,
        })
        .find(|c| c.purposes.contains(&Purpose::Referral) && c.categories.contains(&DataCategory::Basic))
        .map(|c| c.id)
}

/// Checks a referral's note (what is asked of the receiver, and why).
pub fn referral_note(p: &mut Problems, raw: &str) -> Option<String> {
    text_field(p, "note", raw, 2000, true)
}

/// Checks a decline's reason.
pub fn decline_reason(p: &mut Problems, mv: ReferralMove, raw: &str) -> Option<String> {
    let required = mv == ReferralMove::Decline;
    text_field(p, "reason", raw, 500, required)
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};
    use uuid::Uuid;

    use super::*;

    #[test]
    fn referrals_move_only_as_the_rules_allow() {
        use ReferralMove::*;
        use ReferralState::*;
        let allowed = [
            (Sent, Accept, Side::Receiver, Accepted),
            (Sent, Decline, Side::Receiver, Declined),
            (Accepted, Complete, Side::Receiver, Done),
            (Sent, Revoke, Side::Sender, Revoked),
            (Accepted, Revoke, Side::Sender, Revoked),
        ];
        for from in ReferralState::ALL {
            for mv in ReferralMove::ALL {
                for side in [Side::Sender, Side::Receiver] {
                    let want = allowed.iter().find(|a| a.0 == from && a.1 == mv && a.2 == side).map(|a| a.3);
                    assert_eq!(next_state(from, mv, side).ok(), want, "{from:?} {mv:?} {side:?}");
                }
            }
        }
    }

    #[test]
    fn a_referral_needs_a_consent_naming_the_receiver_for_referral() {
        let person = PersonId(Uuid::from_u128(7));
        let to = AgencyId(Uuid::from_u128(2));
        let block = BlockCode("johoku".into());
        let consent = |recipient: Recipient, purposes: Vec<Purpose>| Consent {
            id: ConsentId(Uuid::from_u128(9)),
            person,
            recipient,
            purposes,
            categories: vec![DataCategory::Basic],
            valid_from: date!(2026 - 01 - 01),
            valid_to: None,
            revoked_at: None,
        };
        let now = datetime!(2026-11-25 10:00 +09:00);
        let today = date!(2026 - 11 - 25);
        let find = |c: Consent| referral_consent(&[c], person, to, Some(&block), now, today);
        assert!(find(consent(Recipient::Agency(to), vec![Purpose::Referral])).is_some());
        assert!(find(consent(Recipient::Block(block.clone()), vec![Purpose::Referral])).is_some());
        assert!(find(consent(Recipient::Agency(to), vec![Purpose::Support])).is_none(), "support is not referral");
        assert!(find(consent(Recipient::Agency(AgencyId(Uuid::from_u128(3))), vec![Purpose::Referral])).is_none());
        let mut revoked = consent(Recipient::Agency(to), vec![Purpose::Referral]);
        revoked.revoked_at = Some(now);
        assert!(find(revoked).is_none());
    }
}

/// A referral of a person from one agency to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Referral {
    /// Id.
    pub id: uuid::Uuid,
    /// Prefecture of the person.
    pub prefecture: String,
    /// Whom.
    pub person: PersonId,
    /// The sending agency.
    pub from: AgencyId,
    /// The receiving agency.
    pub to: AgencyId,
    /// What is asked, and why.
    pub note: String,
    /// The consent it rests on.
    pub consent: ConsentId,
    /// Where it stands.
    pub state: crate::referral::ReferralState,
    /// The receiver's reason for declining.
    pub reason: Option<String>,
    /// Who sent it.
    pub sent_by: AccountId,
    /// When.
    pub sent_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// Starts at 1; each move adds one.
    pub version: i64,
}

/// A notice to an agency that a referral reached or changed state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Id.
    pub id: uuid::Uuid,
    /// Whom it tells.
    pub agency: AgencyId,
    /// Which referral.
    pub referral: uuid::Uuid,
    /// The state the referral reached.
    pub state: crate::referral::ReferralState,
    /// When.
    pub created_at: OffsetDateTime,
    /// When the agency saw it.
    pub read_at: Option<OffsetDateTime>,
}
