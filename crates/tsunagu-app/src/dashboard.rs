//! A caseworker's start of the day: what is due today or overdue and in the week ahead, the
//! referrals waiting for the agency's answer, and the notices since the last visit.

use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::journey::{FollowUp, Milestone};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::plan::SupportPlan;
use tsunagu_domain::referral::{Notice, ReferralState};
use tsunagu_store::{DueAction, ReferralListing};

use crate::clock::tokyo_date;
use crate::{App, AppError};

/// How far ahead the dashboard looks.
pub const WEEK_AHEAD_DAYS: i64 = 7;

/// At most this many of each kind of due item.
pub const DUE_LIMIT: u32 = 50;

/// The dashboard of a caseworker's agency.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The agency.
    pub agency: AgencyId,
    /// Today (Tokyo): what is due on or before it is for today.
    pub today: time::Date,
    /// Open cases in all.
    pub open_cases: u64,
    /// Next actions due by the end of the week ahead, earliest first.
    pub due: Vec<DueAction>,
    /// Retention follow-ups due by then, with the person's name.
    pub follow_ups: Vec<(FollowUp, String)>,
    /// Plan reviews due by then, with the person's name.
    pub plan_reviews: Vec<(SupportPlan, String)>,
    /// Referrals received and not yet answered, newest first.
    pub waiting: Vec<ReferralListing>,
    /// Notices not yet seen, newest first, with the person's name where the agency's referral
    /// lists hold it.
    pub unread: Vec<(Notice, String)>,
}

impl Dashboard {
    /// True when there is nothing on the agency's desk at all: no cases, nothing due, no
    /// referral or notice (a new agency, or one that has not started).
    pub fn is_empty(&self) -> bool {
        self.open_cases == 0
            && self.due.is_empty()
            && self.follow_ups.is_empty()
            && self.plan_reviews.is_empty()
            && self.waiting.is_empty()
            && self.unread.is_empty()
    }
}

/// What falls due for a person of the caseload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DueKind {
    /// A next action, as written.
    NextAction(String),
    /// A retention follow-up, at its milestone.
    FollowUp(Milestone),
    /// A plan review, with the plan's goal.
    PlanReview(String),
}

impl DueKind {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::NextAction(_) => "next_action",
            Self::FollowUp(_) => "follow_up",
            Self::PlanReview(_) => "plan_review",
        }
    }
}

/// One thing due, for whom and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueItem {
    /// Whose.
    pub person: PersonId,
    /// Their name.
    pub name: String,
    /// What.
    pub kind: DueKind,
    /// When.
    pub due_on: time::Date,
}

/// Next actions, follow-ups and plan reviews as one list, earliest first (then by name): the
/// dashboard's and the caseload's.
pub fn due_items(
    due: &[DueAction],
    follow_ups: &[(FollowUp, String)],
    plan_reviews: &[(SupportPlan, String)],
) -> Vec<DueItem> {
    let mut items: Vec<DueItem> = due
        .iter()
        .map(|a| DueItem {
            person: a.person,
            name: a.name.clone(),
            kind: DueKind::NextAction(a.action.clone()),
            due_on: a.due_on,
        })
        .chain(follow_ups.iter().map(|(f, name)| DueItem {
            person: f.person,
            name: name.clone(),
            kind: DueKind::FollowUp(f.milestone()),
            due_on: f.due_on,
        }))
        .chain(plan_reviews.iter().filter_map(|(p, name)| {
            Some(DueItem {
                person: p.person,
                name: name.clone(),
                kind: DueKind::PlanReview(p.fields.goal.clone()),
                due_on: p.review_on?,
            })
        }))
        .collect();
    items.sort_by(|a, b| a.due_on.cmp(&b.due_on).then_with(|| a.name.cmp(&b.name)));
    items
}

impl App {
    /// The dashboard of the actor's agency. Names and next actions are read as the agency's own
    /// cases, audited as one read; the notices stay unread until the referrals page is opened.
    pub async fn dashboard(&self, actor: &Account) -> Result<Dashboard, AppError> {
        let agency = Self::acting_agency(actor)?;
        let today = tokyo_date(self.clock.now());
        let until = today + time::Duration::days(WEEK_AHEAD_DAYS);
        let fields = vec!["name".into(), "next_action".into(), "referral_note".into()];
        let basis = format!("own_case:{}", agency.0);
        let everyone = tsunagu_store::CaseloadQuery::default();
        let (page, referrals, notices, audited) = tokio::join!(
            self.store.caseload_page(agency, &everyone, 0, 0, until, DUE_LIMIT),
            self.store.referrals_of(agency, crate::referrals::REFERRAL_LIST),
            self.store.notices(agency, DUE_LIMIT),
            self.audit(Some(actor), "", AuditAction::Read, format!("dashboard:{}", agency.0), fields, &basis)
        );
        audited?;
        let page = page.map_err(AppError::Store)?;
        let (received, sent) = referrals.map_err(AppError::Store)?;
        let names: std::collections::HashMap<uuid::Uuid, &str> =
            received.iter().chain(&sent).map(|l| (l.referral.id, l.person_name.as_str())).collect();
        let unread = notices
            .map_err(AppError::Store)?
            .into_iter()
            .filter(|n| n.read_at.is_none())
            .map(|n| {
                let name = names.get(&n.referral).copied().unwrap_or_default().to_owned();
                (n, name)
            })
            .collect();
        let waiting = received.iter().filter(|l| l.referral.state == ReferralState::Sent).cloned().collect();
        Ok(Dashboard {
            agency,
            today,
            open_cases: page.total,
            due: page.due,
            follow_ups: page.follow_ups,
            plan_reviews: page.plan_reviews,
            waiting,
            unread,
        })
    }
}
