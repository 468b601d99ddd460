//! Placements (就職): a person hired by an employer, perhaps through one of its openings — the
//! start, the hours a week, the kind of employment (一般, 特例子会社, 就労継続支援A型) and, when
//! it ends, the day and the reason.
//!
//! Recording a placement moves the person's journey to 就職 (and so schedules the retention
//! follow-ups); its end moves the journey to 離職, which closes them and puts the person back
//! among those matched to openings. A person holds one placement at a time here: the current one
//! ends before the next is recorded.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::CorporateNumber;
use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::employer::{EmployerId, corporate_number_problem};
use crate::opening::OpeningId;
use crate::person::{PersonId, past_date};
use crate::validation::{Problems, text_field};

/// A placement's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PlacementId(pub Uuid);

/// The kind of employment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlacementKind {
    /// 一般就労: an ordinary employer.
    General,
    /// 特例子会社.
    SpecialSubsidiary,
    /// 就労継続支援A型 (employment under a welfare service's contract).
    TypeA,
}

impl PlacementKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::General, Self::SpecialSubsidiary, Self::TypeA];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::SpecialSubsidiary => "special_subsidiary",
            Self::TypeA => "type_a",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == raw.trim())
    }

    /// The Japanese name, as the journey's stage change records it.
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::General => "一般就労",
            Self::SpecialSubsidiary => "特例子会社",
            Self::TypeA => "就労継続支援A型",
        }
    }
}

/// Why a placement ended (the categories retention surveys ask for).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    /// 自己都合: the person chose to leave.
    OwnChoice,
    /// 体調・障害の状況: health or the disability.
    Health,
    /// 仕事内容・職場環境が合わない.
    Mismatch,
    /// 人間関係.
    Relationships,
    /// 会社都合: dismissal, closure, restructuring.
    Employer,
    /// 契約期間満了.
    ContractEnded,
    /// 転職・ステップアップ: left for another job.
    NewJob,
    /// その他.
    Other,
}

impl EndReason {
    /// Every reason.
    pub const ALL: [Self; 8] = [
        Self::OwnChoice,
        Self::Health,
        Self::Mismatch,
        Self::Relationships,
        Self::Employer,
        Self::ContractEnded,
        Self::NewJob,
        Self::Other,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::OwnChoice => "own_choice",
            Self::Health => "health",
            Self::Mismatch => "mismatch",
            Self::Relationships => "relationships",
            Self::Employer => "employer",
            Self::ContractEnded => "contract_ended",
            Self::NewJob => "new_job",
            Self::Other => "other",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == raw.trim())
    }

    /// The Japanese name, as the journey's stage change records it.
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::OwnChoice => "自己都合",
            Self::Health => "体調・障害の状況",
            Self::Mismatch => "仕事内容・職場環境が合わない",
            Self::Relationships => "人間関係",
            Self::Employer => "会社都合",
            Self::ContractEnded => "契約期間満了",
            Self::NewJob => "転職",
            Self::Other => "その他",
        }
    }
}

/// Limits of a placement's fields.
pub mod limits {
    /// 職種.
    pub const JOB_TITLE: u32 = 100;
    /// Hours a week: what the law's weekly limit allows.
    pub const HOURS: u32 = 40;
    /// The note on an end.
    pub const NOTE: u32 = 500;
}

/// What was agreed on hiring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementFields {
    /// The employer.
    pub employer: EmployerId,
    /// The opening applied to, if it came through one.
    pub opening: Option<OpeningId>,
    /// 職種, as the person's contract says (may be empty).
    pub job_title: String,
    /// The first day of work.
    pub starts_on: Date,
    /// Hours a week.
    pub hours: u8,
    /// The kind of employment.
    pub kind: PlacementKind,
}

/// How a placement ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlacementEnd {
    /// The last day of work.
    pub ended_on: Date,
    /// Why.
    pub reason: EndReason,
    /// What the person or the employer said (may be empty).
    pub note: String,
}

/// A placement as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    /// Id.
    pub id: PlacementId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// Who was hired.
    pub person: PersonId,
    /// The agency that recorded it.
    pub agency: AgencyId,
    /// What was agreed.
    pub fields: PlacementFields,
    /// How it ended, once it has.
    pub end: Option<PlacementEnd>,
    /// Who recorded it.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was recorded.
    pub created_at: OffsetDateTime,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

impl Placement {
    /// Whether the person still holds the job.
    pub fn is_open(&self) -> bool {
        self.end.is_none()
    }
}

/// A placement's form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PlacementInput {
    /// The employer's 法人番号.
    pub corporate_number: String,
    /// The opening's id, or empty.
    pub opening: String,
    /// 職種.
    pub job_title: String,
    /// The first day of work.
    pub hired_on: String,
    /// Hours a week.
    pub weekly_hours: String,
    /// The kind's code.
    pub employment_kind: String,
}

/// A placement's form, checked: the employer still to be found by its 法人番号.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedPlacement {
    /// The employer's 法人番号.
    pub corporate_number: CorporateNumber,
    /// The opening, if one was named.
    pub opening: Option<OpeningId>,
    /// 職種.
    pub job_title: String,
    /// The first day of work.
    pub starts_on: Date,
    /// Hours a week.
    pub hours: u8,
    /// The kind of employment.
    pub kind: PlacementKind,
}

impl PlacementInput {
    /// Checks the form for a person registered on `registered_on`, on `today` (in Tokyo): the
    /// start is a day that has come, and not before the person was registered.
    pub fn validate(&self, registered_on: Date, today: Date) -> Result<CheckedPlacement, Problems> {
        let mut p = Problems::new();
        let corporate_number = CorporateNumber::parse(&self.corporate_number)
            .map_err(|e| p.add("corporate_number", corporate_number_problem(&self.corporate_number, e)))
            .ok();
        let opening = match self.opening.trim() {
            "" => None,
            raw => match Uuid::parse_str(raw) {
                Ok(id) => Some(OpeningId(id)),
                Err(_) => {
                    p.add("opening", "unknown_opening");
                    None
                }
            },
        };
        let job_title = text_field(&mut p, "job_title", &self.job_title, limits::JOB_TITLE, false).unwrap_or_default();
        let starts_on = past_date(&mut p, "hired_on", &self.hired_on, today).filter(|d| {
            let ok = *d >= registered_on;
            if !ok {
                p.add("hired_on", "before_registration");
            }
            ok
        });
        let hours = crate::opening::number(&mut p, "weekly_hours", &self.weekly_hours, limits::HOURS, true);
        let kind = match self.employment_kind.trim() {
            "" => {
                p.add("employment_kind", "required");
                None
            }
            raw => PlacementKind::parse(raw).or_else(|| {
                p.add("employment_kind", "unknown_code");
                None
            }),
        };
        match (corporate_number, starts_on, hours, kind) {
            (Some(corporate_number), Some(starts_on), Some(hours), Some(kind)) if p.is_empty() => {
                Ok(CheckedPlacement { corporate_number, opening, job_title, starts_on, hours: hours as u8, kind })
            }
            _ => Err(p),
        }
    }
}

/// The form ending a placement, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndInput {
    /// The last day of work.
    pub ended_on: String,
    /// The reason's code.
    pub end_reason: String,
    /// A note.
    pub end_note: String,
}

impl EndInput {
    /// Checks the end of `placement` on `today`: a day that has come, not before the start; a
    /// placement ends once.
    pub fn validate(&self, placement: &Placement, today: Date) -> Result<PlacementEnd, Problems> {
        let mut p = Problems::new();
        if !placement.is_open() {
            p.add("ended_on", "placement_already_ended");
            return Err(p);
        }
        let ended_on = past_date(&mut p, "ended_on", &self.ended_on, today).filter(|d| {
            let ok = *d >= placement.fields.starts_on;
            if !ok {
                p.add("ended_on", "before_start");
            }
            ok
        });
        let reason = match self.end_reason.trim() {
            "" => {
                p.add("end_reason", "required");
                None
            }
            raw => EndReason::parse(raw).or_else(|| {
                p.add("end_reason", "unknown_code");
                None
            }),
        };
        let note = text_field(&mut p, "end_note", &self.end_note, limits::NOTE, false).unwrap_or_default();
        match (ended_on, reason) {
            (Some(ended_on), Some(reason)) if p.is_empty() => Ok(PlacementEnd { ended_on, reason, note }),
            _ => Err(p),
        }
    }
}

/// Refuses a new placement while `current` (the person's placements) holds one still open:
/// the rule is one job at a time, the last ended first.
pub fn check_none_open(current: &[Placement]) -> Result<(), Problems> {
    if current.iter().any(Placement::is_open) {
        let mut p = Problems::new();
        p.add("corporate_number", "placement_still_open");
        return Err(p);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::{date, datetime};

    fn input() -> PlacementInput {
        PlacementInput {
            corporate_number: "7000012050002".into(),
            opening: String::new(),
            job_title: "データ入力".into(),
            hired_on: "2026-04-01".into(),
            weekly_hours: "20".into(),
            employment_kind: "general".into(),
        }
    }

    fn codes(p: &Problems) -> Vec<(&str, &str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    #[test]
    fn a_placement_is_read_with_its_employer_and_start() {
        let ok = input().validate(date!(2025 - 10 - 01), date!(2026 - 05 - 01)).expect("valid");
        assert_eq!(ok.corporate_number.as_str(), "7000012050002");
        assert_eq!((ok.starts_on, ok.hours, ok.kind), (date!(2026 - 04 - 01), 20, PlacementKind::General));
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let bad = PlacementInput {
            corporate_number: "6000012050002".into(),
            opening: "not-an-id".into(),
            hired_on: "2026-04-01".into(),
            weekly_hours: "45".into(),
            employment_kind: "contract".into(),
            ..input()
        };
        let p = bad.validate(date!(2025 - 10 - 01), date!(2026 - 05 - 01)).expect_err("invalid");
        assert_eq!(
            codes(&p),
            [
                ("corporate_number", "check_digit"),
                ("opening", "unknown_opening"),
                ("weekly_hours", "out_of_range"),
                ("employment_kind", "unknown_code")
            ]
        );
    }

    #[test]
    fn a_start_before_registration_or_still_to_come_is_refused() {
        let early = input().validate(date!(2026 - 04 - 02), date!(2026 - 05 - 01)).expect_err("before");
        assert_eq!(codes(&early), [("hired_on", "before_registration")]);
        let ahead = input().validate(date!(2025 - 10 - 01), date!(2026 - 03 - 31)).expect_err("ahead");
        assert_eq!(codes(&ahead), [("hired_on", "date_in_future")]);
    }

    fn placement() -> Placement {
        let checked = input().validate(date!(2025 - 10 - 01), date!(2026 - 05 - 01)).expect("valid");
        Placement {
            id: PlacementId(Uuid::from_u128(1)),
            prefecture: "13".into(),
            person: PersonId(Uuid::from_u128(2)),
            agency: AgencyId(Uuid::from_u128(3)),
            fields: PlacementFields {
                employer: EmployerId(Uuid::from_u128(4)),
                opening: None,
                job_title: checked.job_title,
                starts_on: checked.starts_on,
                hours: checked.hours,
                kind: checked.kind,
            },
            end: None,
            recorded_by: AccountId(Uuid::from_u128(5)),
            version: 1,
            created_at: datetime!(2026-04-01 09:00 UTC),
            updated_at: datetime!(2026-04-01 09:00 UTC),
        }
    }

    #[test]
    fn an_end_comes_after_the_start_and_only_once() {
        let mut p = placement();
        let end = EndInput { ended_on: "2026-03-31".into(), end_reason: "health".into(), end_note: String::new() };
        assert_eq!(codes(&end.validate(&p, date!(2026 - 06 - 01)).expect_err("early")), [("ended_on", "before_start")]);
        let end = EndInput { ended_on: "2026-05-31".into(), ..end };
        let done = end.validate(&p, date!(2026 - 06 - 01)).expect("valid");
        assert_eq!(done.reason, EndReason::Health);
        p.end = Some(done);
        assert_eq!(
            codes(&end.validate(&p, date!(2026 - 06 - 01)).expect_err("twice")),
            [("ended_on", "placement_already_ended")]
        );
        assert_eq!(
            codes(&check_none_open(&[placement()]).expect_err("open")),
            [("corporate_number", "placement_still_open")]
        );
        assert!(check_none_open(&[p]).is_ok());
    }
}
