//! Support plans (個別支援計画): goals, the actions toward them, who owns them, and when they are
//! reviewed; each review records what happened and when the next one is due.

use serde::Serialize;
use time::{Date, OffsetDateTime};

use crate::Problems;
use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::person::{PersonId, date_field, planned_date};
use crate::validation::text_field;

/// What a review concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Keep the plan as it is.
    Continue,
    /// The plan was revised (the review says how).
    Revise,
    /// The goal was reached; the plan ends.
    Achieved,
    /// The plan ends without reaching the goal.
    Ended,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Outcome; 4] = [Outcome::Continue, Outcome::Revise, Outcome::Achieved, Outcome::Ended];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Continue => "continue",
            Outcome::Revise => "revise",
            Outcome::Achieved => "achieved",
            Outcome::Ended => "ended",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == raw.trim())
    }

    /// True when the plan stays open after this review.
    pub fn keeps_plan_open(self) -> bool {
        matches!(self, Outcome::Continue | Outcome::Revise)
    }
}

/// A plan as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanInput {
    /// The goal.
    pub goal: String,
    /// The actions, one per line.
    pub actions: String,
    /// Who carries them (本人, 支援員, 企業の担当者 …).
    pub owner: String,
    /// When it is reviewed first.
    pub review_on: String,
}

/// A checked plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanFields {
    /// The goal.
    pub goal: String,
    /// The actions.
    pub actions: String,
    /// Who carries them.
    pub owner: String,
    /// First review.
    pub review_on: Date,
}

impl PlanInput {
    /// Checks every field; the review date may not lie in the past.
    pub fn validate(&self, today: Date) -> Result<PlanFields, Problems> {
        let mut p = Problems::new();
        let goal = text_field(&mut p, "goal", &self.goal, 500, true);
        let actions = text_field(&mut p, "actions", &self.actions, 2000, true);
        let owner = text_field(&mut p, "owner", &self.owner, 100, true);
        let review_on = planned_date(&mut p, "review_on", &self.review_on, today, true);
        if review_on.is_some_and(|d| d < today) {
            p.add("review_on", "date_in_past");
        }
        match (goal, actions, owner, review_on) {
            (Some(goal), Some(actions), Some(owner), Some(review_on)) if p.is_empty() => {
                Ok(PlanFields { goal, actions, owner, review_on })
            }
            _ => Err(p),
        }
    }
}

/// A review as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReviewInput {
    /// What happened since the last review.
    pub note: String,
    /// Outcome code.
    pub outcome: String,
    /// The next review, when the plan stays open.
    pub next_review_on: String,
}

/// A checked review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewFields {
    /// What happened.
    pub note: String,
    /// The outcome.
    pub outcome: Outcome,
    /// The next review (an open plan has one; an ended plan none).
    pub next_review_on: Option<Date>,
}

impl ReviewInput {
    /// Checks the review: an open plan needs its next review date, not in the past; an ended one
    /// takes none.
    pub fn validate(&self, today: Date) -> Result<ReviewFields, Problems> {
        let mut p = Problems::new();
        let note = text_field(&mut p, "review_note", &self.note, 2000, true);
        let outcome = match self.outcome.trim() {
            "" => {
                p.add("outcome", "required");
                None
            }
            raw => Outcome::parse(raw).or_else(|| {
                p.add("outcome", "unknown_code");
                None
            }),
        };
        let open = outcome.is_some_and(Outcome::keeps_plan_open);
        let next = date_field(&mut p, "next_review_on", &self.next_review_on, open);
        if next.is_some_and(|d| d < today) {
            p.add("next_review_on", "date_in_past");
        }
        if next.is_some() && outcome.is_some() && !open {
            p.add("next_review_on", "not_for_ended_plan");
        }
        match (note, outcome) {
            (Some(note), Some(outcome)) if p.is_empty() => Ok(ReviewFields { note, outcome, next_review_on: next }),
            _ => Err(p),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 11 - 25);

    fn codes<T>(r: Result<T, Problems>) -> Vec<(&'static str, &'static str)> {
        r.err().map(|p| p.iter().map(|p| (p.field, p.code)).collect()).unwrap_or_default()
    }

    #[test]
    fn plans_need_a_goal_actions_an_owner_and_a_future_review() {
        let ok = PlanInput {
            goal: "週20時間の事務補助で就職する".into(),
            actions: "PC入力の練習（週2回）\n企業見学（12月）".into(),
            owner: "本人・支援員".into(),
            review_on: "2027-02-25".into(),
        };
        assert_eq!(ok.validate(TODAY).map(|f| f.review_on), Ok(date!(2027 - 02 - 25)));
        assert_eq!(codes(PlanInput { goal: " ".into(), ..ok.clone() }.validate(TODAY)), [("goal", "required")]);
        assert_eq!(
            codes(PlanInput { review_on: "2026-11-24".into(), ..ok.clone() }.validate(TODAY)),
            [("review_on", "date_in_past")]
        );
        assert_eq!(codes(PlanInput { review_on: "来月".into(), ..ok }.validate(TODAY)), [("review_on", "date_format")]);
    }

    #[test]
    fn open_plans_need_a_next_review_and_ended_ones_none() {
        let ok = ReviewInput {
            note: "PC入力は目標に達した".into(),
            outcome: "continue".into(),
            next_review_on: "2027-05-25".into(),
        };
        assert!(ok.validate(TODAY).is_ok());
        assert_eq!(
            codes(ReviewInput { next_review_on: "".into(), ..ok.clone() }.validate(TODAY)),
            [("next_review_on", "required")]
        );
        let achieved = ReviewInput { outcome: "achieved".into(), next_review_on: "".into(), ..ok.clone() };
        assert_eq!(achieved.validate(TODAY).map(|r| r.outcome), Ok(Outcome::Achieved));
        assert_eq!(
            codes(ReviewInput { outcome: "achieved".into(), ..ok.clone() }.validate(TODAY)),
            [("next_review_on", "not_for_ended_plan")]
        );
        assert_eq!(
            codes(ReviewInput { outcome: "paused".into(), ..ok }.validate(TODAY)),
            [("outcome", "unknown_code")]
        );
    }
}

/// A support plan with its reviews.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportPlan {
    /// Id.
    pub id: uuid::Uuid,
    /// Prefecture of the person.
    pub prefecture: String,
    /// Whose.
    pub person: PersonId,
    /// The agency that made it.
    pub agency: AgencyId,
    /// Goal, actions, owner and first review.
    pub fields: crate::plan::PlanFields,
    /// The next review (none once the plan ended).
    pub review_on: Option<time::Date>,
    /// How it ended, if it did.
    pub outcome: Option<crate::plan::Outcome>,
    /// Who made it.
    pub created_by: AccountId,
    /// When.
    pub created_at: OffsetDateTime,
    /// Reviews, oldest first.
    pub reviews: Vec<PlanReview>,
}

/// A review of a support plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanReview {
    /// Id.
    pub id: uuid::Uuid,
    /// The day of the review.
    pub reviewed_on: time::Date,
    /// What it found.
    pub fields: crate::plan::ReviewFields,
    /// Who reviewed.
    pub reviewed_by: AccountId,
    /// When it was written down.
    pub reviewed_at: OffsetDateTime,
}
