//! The access policy for personal data, in one place.
//!
//! Disability, health and medical facts are 要配慮個人情報: collected with consent and shown to
//! nobody without a reason the person agreed to. A staff member reaches a person's record only
//! through (a) an open case at their own agency, (b) a valid consent naming their agency or block
//! for a purpose and data category that cover the request, or (c) an emergency override with a
//! written reason, which only administrators and block coordinators may use and which is always
//! audited. Health and medical facts need a consent of their own category, even on an own case.
//! Employers see only what the person consented to share with that employer. Program managers see
//! aggregates, never a person. Every decision names its basis, which the audit log records.

use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::account::{Account, Role};
use crate::directory::{AgencyId, BlockCode};
use crate::employer::EmployerId;

use crate::consent::{Consent, ConsentId, DataCategory, Purpose, Recipient};
use crate::person::PersonId;

/// A support case: the person is a client of this agency while it is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The agency holding the case.
    pub agency: AgencyId,
    /// The block of that agency.
    pub block: Option<BlockCode>,
    /// Closed on, if closed.
    pub closed: Option<Date>,
}

/// Reading or changing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read.
    Read,
    /// Create or change.
    Write,
}

/// Who is asking, with what they belong to.
#[derive(Debug, Clone)]
pub struct Viewer<'a> {
    /// The account.
    pub account: &'a Account,
    /// The block of the account's agency.
    pub block: Option<&'a BlockCode>,
    /// The employer an employer account acts for.
    pub employer: Option<EmployerId>,
    /// The person a self-service account belongs to.
    pub person: Option<PersonId>,
}

/// What is asked.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    /// Whose data.
    pub person: PersonId,
    /// Read or write.
    pub action: Action,
    /// Which data.
    pub category: DataCategory,
    /// Why.
    pub purpose: Purpose,
}

/// What the ledger knows about the person.
#[derive(Debug, Clone, Copy)]
pub struct Relations<'a> {
    /// The person's cases, at any agency.
    pub cases: &'a [Case],
    /// The person's consents, in force or not.
    pub consents: &'a [Consent],
}

/// The fewest characters an override's reason may have.
pub const MIN_OVERRIDE_REASON: usize = 10;
/// The most characters an override's reason may have (it is kept in the audit log).
pub const MAX_OVERRIDE_REASON: usize = 1_000;

/// How long an emergency override stays open once granted: the person's record and journey can
/// be read again in that window without giving the reason anew, and never written.
pub const OVERRIDE_MINUTES: i64 = 30;

/// An emergency override granted to one account on one person, until a time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmergencyAccess {
    /// Id.
    pub id: uuid::Uuid,
    /// The person's prefecture (the shard key).
    pub prefecture: String,
    /// Who may read.
    pub account: crate::account::AccountId,
    /// Whose record.
    pub person: PersonId,
    /// Why, as written.
    pub reason: String,
    /// Granted.
    pub granted_at: OffsetDateTime,
    /// Open until.
    pub until: OffsetDateTime,
}

impl EmergencyAccess {
    /// True while it is open at `now`.
    pub fn open_at(&self, now: OffsetDateTime) -> bool {
        self.granted_at <= now && now < self.until
    }
}

/// An emergency override: a written reason, given before the data is shown.
#[derive(Debug, Clone, Copy)]
pub struct Override<'a> {
    /// Why it cannot wait for consent.
    pub reason: &'a str,
}

/// Why access was allowed; the audit log records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Basis {
    /// The person's own record.
    Own,
    /// An open case at the viewer's agency.
    OwnCase(AgencyId),
    /// A consent.
    Consent(ConsentId),
    /// An emergency override, with its reason.
    Override(String),
}

impl Basis {
    /// The basis as the audit log writes it.
    pub fn audit_code(&self) -> String {
        match self {
            Basis::Own => "own".to_owned(),
            Basis::OwnCase(a) => format!("own_case:{}", a.0),
            Basis::Consent(c) => format!("consent:{}", c.0),
            Basis::Override(reason) => format!("override:{reason}"),
        }
    }
}

/// Why access was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Denial {
    /// The account is disabled.
    Disabled,
    /// Program managers see aggregates only.
    AggregatesOnly,
    /// No case, consent or override covers the request.
    NoBasis,
    /// Health and medical facts need a consent of their own category.
    HealthNeedsConsent,
    /// Overrides are for administrators and block coordinators, with a written reason.
    OverrideNotAllowed,
    /// A block coordinator's override reaches persons with a case in the coordinator's block only.
    OverrideOutsideBlock,
}

impl Denial {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Denial::Disabled => "disabled",
            Denial::AggregatesOnly => "aggregates_only",
            Denial::NoBasis => "no_basis",
            Denial::HealthNeedsConsent => "health_needs_consent",
            Denial::OverrideNotAllowed => "override_not_allowed",
            Denial::OverrideOutsideBlock => "override_outside_block",
        }
    }
}

/// Decides a request. `today` is the Tokyo date of `now`.
pub fn decide(
    viewer: &Viewer<'_>,
    request: Request,
    relations: Relations<'_>,
    emergency: Option<Override<'_>>,
    now: OffsetDateTime,
    today: Date,
) -> Result<Basis, Denial> {
    let account = viewer.account;
    if account.disabled {
        return Err(Denial::Disabled);
    }
    if account.has(Role::Person) && viewer.person == Some(request.person) {
        // The person reads everything about themself and fills in their own basic data and
        // assessment sheet; their support record is written by their supporters.
        let writable = matches!(request.category, DataCategory::Basic | DataCategory::Assessment);
        if request.action == Action::Read || writable {
            return Ok(Basis::Own);
        }
    }
    let casework = account.does_casework();
    let consent = |covers: &dyn Fn(&Recipient) -> bool| {
        relations
            .consents
            .iter()
            .filter(|c| c.person == request.person && c.in_force(now, today) && covers(&c.recipient))
            .find(|c| c.purposes.contains(&request.purpose) && c.categories.contains(&request.category))
            .map(|c| Basis::Consent(c.id))
    };
    if casework {
        let agency = account.agency;
        let covers = |r: &Recipient| match r {
            Recipient::Agency(a) => Some(*a) == agency,
            Recipient::Block(b) => Some(b) == viewer.block,
            Recipient::Employer(_) => false,
        };
        let own_case = relations.cases.iter().find(|c| c.closed.is_none() && Some(c.agency) == agency);
        if let Some(case) = own_case
            && request.category != DataCategory::Health
        {
            return Ok(Basis::OwnCase(case.agency));
        }
        if let Some(basis) = consent(&covers) {
            return Ok(basis);
        }
        if own_case.is_some() {
            return Err(Denial::HealthNeedsConsent);
        }
    }
    if account.has(Role::EmployerUser)
        && let Some(employer) = viewer.employer
        && request.action == Action::Read
        && let Some(basis) = consent(&|r: &Recipient| *r == Recipient::Employer(employer))
    {
        return Ok(basis);
    }
    if let Some(emergency) = emergency {
        let may_override = account.has(Role::SystemAdmin) || account.has(Role::BlockCoordinator);
        let written = emergency.reason.trim().chars().count();
        if !may_override
            || !(MIN_OVERRIDE_REASON..=MAX_OVERRIDE_REASON).contains(&written)
            || request.action != Action::Read
        {
            return Err(Denial::OverrideNotAllowed);
        }
        let in_block = |block: &BlockCode| relations.cases.iter().any(|c| c.block.as_ref() == Some(block));
        if !account.has(Role::SystemAdmin) && !viewer.block.is_some_and(in_block) {
            return Err(Denial::OverrideOutsideBlock);
        }
        return Ok(Basis::Override(emergency.reason.trim().to_owned()));
    }
    if account.has(Role::ProgramManager) && !casework {
        return Err(Denial::AggregatesOnly);
    }
    Err(Denial::NoBasis)
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;
    use uuid::Uuid;

    use crate::account::AccountId;

    const NOW: OffsetDateTime = datetime!(2026-11-25 10:00 +09:00);
    const TODAY: Date = date!(2026 - 11 - 25);

    fn agency(n: u128) -> AgencyId {
        AgencyId(Uuid::from_u128(n))
    }

    fn account(role: Role) -> Account {
        Account {
            id: AccountId(Uuid::from_u128(1)),
            login: "x".into(),
            display_name: "x".into(),
            agency: Some(agency(1)),
            roles: vec![role],
            password_hash: String::new(),
            disabled: false,
            sessions_valid_after: OffsetDateTime::UNIX_EPOCH,
            person: None,
            employer: None,
        }
    }

    const PERSON: PersonId = PersonId(Uuid::from_u128(7));
    const EMPLOYER: EmployerId = EmployerId(Uuid::from_u128(50));

    fn consent(recipient: Recipient) -> Consent {
        Consent {
            id: ConsentId(Uuid::from_u128(99)),
            person: PERSON,
            recipient,
            purposes: vec![Purpose::Support, Purpose::Placement],
            categories: vec![DataCategory::Basic, DataCategory::Support, DataCategory::Disability],
            valid_from: date!(2026 - 04 - 01),
            valid_to: Some(date!(2027 - 03 - 31)),
            revoked_at: None,
        }
    }

    /// How the viewer's agency (agency 1, block 城北) relates to the person.
    #[derive(Debug, Clone, Copy)]
    enum Relation {
        OwnCase,
        ClosedCase,
        Consented,
        BlockConsented,
        ConsentExpired,
        ConsentRevoked,
        ConsentNotYet,
        Unrelated,
        OtherBlock,
        EmployerConsented,
        Own,
    }

    fn relations(rel: Relation) -> (Vec<Case>, Vec<Consent>) {
        let johoku = BlockCode("johoku".into());
        match rel {
            Relation::OwnCase => (vec![Case { agency: agency(1), block: None, closed: None }], vec![]),
            Relation::ClosedCase => {
                (vec![Case { agency: agency(1), block: None, closed: Some(date!(2026 - 10 - 01)) }], vec![])
            }
            Relation::Consented => (vec![], vec![consent(Recipient::Agency(agency(1)))]),
            Relation::BlockConsented => (vec![], vec![consent(Recipient::Block(johoku))]),
            Relation::ConsentExpired => (
                vec![],
                vec![Consent { valid_to: Some(date!(2026 - 11 - 24)), ..consent(Recipient::Agency(agency(1))) }],
            ),
            Relation::ConsentRevoked => {
                (vec![], vec![Consent { revoked_at: Some(NOW), ..consent(Recipient::Agency(agency(1))) }])
            }
            Relation::ConsentNotYet => {
                (vec![], vec![Consent { valid_from: date!(2026 - 11 - 26), ..consent(Recipient::Agency(agency(1))) }])
            }
            Relation::Unrelated | Relation::Own => {
                (vec![Case { agency: agency(2), block: None, closed: None }], vec![])
            }
            Relation::OtherBlock => (vec![], vec![consent(Recipient::Block(BlockCode("joto".into())))]),
            Relation::EmployerConsented => (vec![], vec![consent(Recipient::Employer(EMPLOYER))]),
        }
    }

    fn check(role: Role, rel: Relation, action: Action, category: DataCategory) -> Result<Basis, Denial> {
        let account = account(role);
        let johoku = BlockCode("johoku".into());
        let viewer = Viewer {
            account: &account,
            block: Some(&johoku),
            employer: (role == Role::EmployerUser).then_some(EMPLOYER),
            person: matches!(rel, Relation::Own).then_some(PERSON),
        };
        let (cases, consents) = relations(rel);
        let request = Request { person: PERSON, action, category, purpose: Purpose::Support };
        decide(&viewer, request, Relations { cases: &cases, consents: &consents }, None, NOW, TODAY)
    }

    #[test]
    fn the_access_matrix() {
        use Relation::*;
        use Role::*;
        let case = Ok(Basis::OwnCase(agency(1)));
        let consented = Ok(Basis::Consent(ConsentId(Uuid::from_u128(99))));
        let none = Err(Denial::NoBasis);
        let staff = [BlockCoordinator, SupportWorker, JobCoach, SchoolStaff, HelloWorkStaff];
        for role in staff {
            let expected: [(Relation, Result<Basis, Denial>); 10] = [
                (OwnCase, case.clone()),
                (ClosedCase, none.clone()),
                (Consented, consented.clone()),
                (BlockConsented, consented.clone()),
                (ConsentExpired, none.clone()),
                (ConsentRevoked, none.clone()),
                (ConsentNotYet, none.clone()),
                (Unrelated, none.clone()),
                (OtherBlock, none.clone()),
                (EmployerConsented, none.clone()),
            ];
            for (rel, want) in expected {
                for action in [Action::Read, Action::Write] {
                    assert_eq!(check(role, rel, action, DataCategory::Disability), want, "{role:?} {rel:?} {action:?}");
                }
            }
        }
        for rel in [OwnCase, Consented, BlockConsented, Unrelated, EmployerConsented] {
            assert_eq!(check(ProgramManager, rel, Action::Read, DataCategory::Basic), Err(Denial::AggregatesOnly));
            assert_eq!(
                check(SystemAdmin, rel, Action::Read, DataCategory::Basic),
                none,
                "admins administer, not browse"
            );
            assert_eq!(check(Person, rel, Action::Read, DataCategory::Basic), none, "another person's record");
        }
        assert_eq!(check(EmployerUser, EmployerConsented, Action::Read, DataCategory::Disability), consented);
        assert_eq!(check(EmployerUser, EmployerConsented, Action::Write, DataCategory::Disability), none);
        assert_eq!(check(EmployerUser, EmployerConsented, Action::Read, DataCategory::Health), none);
        assert_eq!(check(EmployerUser, Consented, Action::Read, DataCategory::Basic), none);
        assert_eq!(check(EmployerUser, OwnCase, Action::Read, DataCategory::Basic), none);
        assert_eq!(check(Person, Own, Action::Read, DataCategory::Health), Ok(Basis::Own));
        assert_eq!(check(Person, Own, Action::Write, DataCategory::Assessment), Ok(Basis::Own));
        assert_eq!(check(Person, Own, Action::Write, DataCategory::Support), none);
    }

    #[test]
    fn health_facts_need_a_consent_of_their_own_even_on_an_own_case() {
        assert_eq!(
            check(Role::SupportWorker, Relation::OwnCase, Action::Read, DataCategory::Health),
            Err(Denial::HealthNeedsConsent)
        );
        assert_eq!(
            check(Role::SupportWorker, Relation::Consented, Action::Read, DataCategory::Health),
            Err(Denial::NoBasis)
        );
        let account = account(Role::SupportWorker);
        let viewer = Viewer { account: &account, block: None, employer: None, person: None };
        let health = Consent { categories: vec![DataCategory::Health], ..consent(Recipient::Agency(agency(1))) };
        let request =
            Request { person: PERSON, action: Action::Read, category: DataCategory::Health, purpose: Purpose::Support };
        let cases = [Case { agency: agency(1), block: None, closed: None }];
        let decision = decide(&viewer, request, Relations { cases: &cases, consents: &[health] }, None, NOW, TODAY);
        assert_eq!(decision, Ok(Basis::Consent(ConsentId(Uuid::from_u128(99)))));
    }

    #[test]
    fn a_consent_only_covers_its_purposes() {
        let account = account(Role::SupportWorker);
        let viewer = Viewer { account: &account, block: None, employer: None, person: None };
        let consents = [consent(Recipient::Agency(agency(1)))];
        let request =
            Request { person: PERSON, action: Action::Read, category: DataCategory::Basic, purpose: Purpose::Referral };
        let decision = decide(&viewer, request, Relations { cases: &[], consents: &consents }, None, NOW, TODAY);
        assert_eq!(decision, Err(Denial::NoBasis));
    }

    #[test]
    fn overrides_need_the_role_and_a_written_reason_and_only_read() {
        let request =
            |action| Request { person: PERSON, action, category: DataCategory::Basic, purpose: Purpose::Support };
        let johoku = BlockCode("johoku".into());
        let case_in = |block: &str| [Case { agency: agency(9), block: Some(BlockCode(block.into())), closed: None }];
        let decide_in = |role: Role, reason: &str, action, cases: &[Case]| {
            let account = account(role);
            let viewer = Viewer { account: &account, block: Some(&johoku), employer: None, person: None };
            let relations = Relations { cases, consents: &[] };
            decide(&viewer, request(action), relations, Some(Override { reason }), NOW, TODAY)
        };
        let decide_as = |role: Role, reason: &str, action| decide_in(role, reason, action, &case_in("johoku"));
        let reason = "本人が職場で倒れ、緊急連絡先の確認が必要";
        assert_eq!(decide_as(Role::BlockCoordinator, reason, Action::Read), Ok(Basis::Override(reason.into())));
        assert_eq!(decide_as(Role::SystemAdmin, reason, Action::Read), Ok(Basis::Override(reason.into())));
        assert_eq!(decide_as(Role::SupportWorker, reason, Action::Read), Err(Denial::OverrideNotAllowed));
        assert_eq!(decide_as(Role::BlockCoordinator, "急ぎ", Action::Read), Err(Denial::OverrideNotAllowed));
        let essay = "理由".repeat(MAX_OVERRIDE_REASON);
        assert_eq!(decide_as(Role::BlockCoordinator, &essay, Action::Read), Err(Denial::OverrideNotAllowed));
        assert_eq!(decide_as(Role::BlockCoordinator, reason, Action::Write), Err(Denial::OverrideNotAllowed));
        let elsewhere = case_in("tama");
        assert_eq!(
            decide_in(Role::BlockCoordinator, reason, Action::Read, &elsewhere),
            Err(Denial::OverrideOutsideBlock)
        );
        assert_eq!(decide_in(Role::SystemAdmin, reason, Action::Read, &elsewhere), Ok(Basis::Override(reason.into())));
    }

    #[test]
    fn a_revocation_counts_from_its_moment_and_disabled_accounts_see_nothing() {
        let mut c = consent(Recipient::Agency(agency(1)));
        c.revoked_at = Some(NOW + time::Duration::seconds(1));
        assert!(c.in_force(NOW, TODAY), "revoked a second from now: still in force now");
        c.revoked_at = Some(NOW);
        assert!(!c.in_force(NOW, TODAY), "revoked now: the next request is refused");
        let mut account = account(Role::SupportWorker);
        account.disabled = true;
        let viewer = Viewer { account: &account, block: None, employer: None, person: None };
        let cases = [Case { agency: agency(1), block: None, closed: None }];
        let request =
            Request { person: PERSON, action: Action::Read, category: DataCategory::Basic, purpose: Purpose::Support };
        let decision = decide(&viewer, request, Relations { cases: &cases, consents: &[] }, None, NOW, TODAY);
        assert_eq!(decision, Err(Denial::Disabled));
    }
}
