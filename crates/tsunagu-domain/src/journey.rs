//! The person's journey (行動2, 行動6): dated stages with the transitions the network allows, and
//! the support records supporters write every day.
//!
//! Re-entry is a normal path, not a special case: after a separation the journey goes back to job
//! search (or straight to a new job), and a closed journey can open again at intake.

use serde::Serialize;
use time::{Date, OffsetDateTime};
use unicode_normalization::UnicodeNormalization;

use crate::Problems;
use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::person::{PersonId, past_date, planned_date};
use crate::validation::text_field;

/// A stage of the journey.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// 受付・インテーク
    Intake,
    /// アセスメント
    Assessment,
    /// 就職準備（訓練・実習）
    Preparation,
    /// 求職活動
    JobSearch,
    /// トライアル雇用
    TrialEmployment,
    /// 就職
    Employed,
    /// 職場定着支援
    Retention,
    /// 休職中
    OnLeave,
    /// 復職支援
    ReturnToWork,
    /// 離職
    Separated,
    /// 福祉サービスへの移行（退職後など）
    WelfareTransition,
    /// 支援終了
    Closed,
}

impl Stage {
    /// Every stage, in the order of a first journey.
    pub const ALL: [Stage; 12] = [
        Stage::Intake,
        Stage::Assessment,
        Stage::Preparation,
        Stage::JobSearch,
        Stage::TrialEmployment,
        Stage::Employed,
        Stage::Retention,
        Stage::OnLeave,
        Stage::ReturnToWork,
        Stage::Separated,
        Stage::WelfareTransition,
        Stage::Closed,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Stage::Intake => "intake",
            Stage::Assessment => "assessment",
            Stage::Preparation => "preparation",
            Stage::JobSearch => "job_search",
            Stage::TrialEmployment => "trial_employment",
            Stage::Employed => "employed",
            Stage::Retention => "retention",
            Stage::OnLeave => "on_leave",
            Stage::ReturnToWork => "return_to_work",
            Stage::Separated => "separated",
            Stage::WelfareTransition => "welfare_transition",
            Stage::Closed => "closed",
        }
    }

    /// A move to this stage ends a placement: its retention follow-ups still open are closed.
    pub fn ends_placement(self) -> bool {
        matches!(self, Stage::Separated | Stage::WelfareTransition | Stage::Closed)
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == raw.trim())
    }

    /// Parses a stable code or the Japanese name (as [`Stage::name_ja`] writes it, or its short
    /// forms: インテーク, 受付, 定着支援, 休職, 復職, 福祉移行, 終了).
    pub fn parse_label(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        Self::parse(raw).or_else(|| Self::ALL.into_iter().find(|s| s.name_ja() == raw)).or(match raw {
            "受付" | "インテーク" => Some(Stage::Intake),
            "就職準備（訓練・実習）" | "職業準備" => Some(Stage::Preparation),
            "就職中" | "在職" | "在職中" => Some(Stage::Employed),
            "定着支援" => Some(Stage::Retention),
            "休職" => Some(Stage::OnLeave),
            "復職" | "リワーク" => Some(Stage::ReturnToWork),
            "退職" => Some(Stage::Separated),
            "福祉移行" | "福祉サービス移行" => Some(Stage::WelfareTransition),
            "終了" => Some(Stage::Closed),
            _ => None,
        })
    }

    /// The Japanese name, as spreadsheets exported for agencies write it.
    pub fn name_ja(self) -> &'static str {
        match self {
            Stage::Intake => "受付・インテーク",
            Stage::Assessment => "アセスメント",
            Stage::Preparation => "就職準備",
            Stage::JobSearch => "求職活動",
            Stage::TrialEmployment => "トライアル雇用",
            Stage::Employed => "就職",
            Stage::Retention => "職場定着支援",
            Stage::OnLeave => "休職中",
            Stage::ReturnToWork => "復職支援",
            Stage::Separated => "離職",
            Stage::WelfareTransition => "福祉サービスへの移行",
            Stage::Closed => "支援終了",
        }
    }

    /// The stages a journey may move to from this one.
    pub fn next(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Intake => &[Assessment, Preparation, JobSearch, WelfareTransition, Closed],
            Assessment => &[Preparation, JobSearch, WelfareTransition, Closed],
            Preparation => &[JobSearch, TrialEmployment, Employed, WelfareTransition, Closed],
            JobSearch => &[Preparation, TrialEmployment, Employed, WelfareTransition, Closed],
            TrialEmployment => &[Employed, JobSearch, Separated, Closed],
            Employed => &[Retention, OnLeave, Separated],
            Retention => &[OnLeave, Separated, Closed],
            OnLeave => &[ReturnToWork, Separated],
            ReturnToWork => &[Retention, OnLeave, Separated],
            // Re-employment: back to the search, to preparation, or straight into a new job.
            Separated => &[JobSearch, Preparation, Employed, WelfareTransition, Closed],
            WelfareTransition => &[Intake, Closed],
            Closed => &[Intake],
        }
    }

    /// True when the person holds a job in this stage (follow-ups are scheduled on entering it).
    pub fn is_placement(self) -> bool {
        matches!(self, Stage::Employed)
    }

    /// True while the person is employed: hired (on trial or for good), followed up, on leave
    /// or returning. A placement that ends moves such a journey to 離職.
    pub fn holds_job(self) -> bool {
        matches!(
            self,
            Stage::TrialEmployment | Stage::Employed | Stage::Retention | Stage::OnLeave | Stage::ReturnToWork
        )
    }

    /// True when a person at this stage is among those matched to openings: from the first
    /// meeting until hired, and again after leaving a job — not while employed, nor once moved
    /// to a welfare service or closed.
    pub fn seeks_work(stage: Option<Stage>) -> bool {
        matches!(
            stage,
            None | Some(Stage::Intake | Stage::Assessment | Stage::Preparation | Stage::JobSearch | Stage::Separated)
        )
    }
}

/// The stages a journey standing at `from` may move to: any stage before the first (an agency
/// may take over a person already on their way), else the next ones the rules allow.
pub fn stage_choices(from: Option<Stage>) -> &'static [Stage] {
    match from {
        None => &Stage::ALL,
        Some(from) => from.next(),
    }
}

/// Whether something due on `due_on` and not yet done is overdue on `today` (in Tokyo): the day
/// it is due is not yet overdue.
pub fn overdue(due_on: Date, today: Date) -> bool {
    due_on < today
}

/// Checks a move from `from` (none: the journey has not started) to `to`. A journey starts at
/// intake, or at any stage when an agency takes over a person already on their way.
pub fn check_transition(from: Option<Stage>, to: Stage) -> Result<(), TransitionRefused> {
    match from {
        Some(from) if !stage_choices(Some(from)).contains(&to) => Err(TransitionRefused { from, to }),
        _ => Ok(()),
    }
}

/// A transition the rules forbid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a journey cannot move from {} to {}", from.code(), to.code())]
pub struct TransitionRefused {
    /// The current stage.
    pub from: Stage,
    /// The stage asked for.
    pub to: Stage,
}

/// What a support record records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportKind {
    /// 相談（来所）
    Consultation,
    /// 職場訪問
    WorkplaceVisit,
    /// 同行支援
    Accompaniment,
    /// 電話
    Phone,
    /// オンライン
    Online,
    /// ケース会議
    CaseConference,
    /// アセスメント
    Assessment,
    /// メール・文書
    Written,
    /// 家庭訪問
    HomeVisit,
}

impl SupportKind {
    /// Every kind, in the order forms offer them.
    pub const ALL: [SupportKind; 9] = [
        SupportKind::Consultation,
        SupportKind::WorkplaceVisit,
        SupportKind::Accompaniment,
        SupportKind::Phone,
        SupportKind::Online,
        SupportKind::CaseConference,
        SupportKind::Assessment,
        SupportKind::Written,
        SupportKind::HomeVisit,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            SupportKind::Consultation => "consultation",
            SupportKind::WorkplaceVisit => "workplace_visit",
            SupportKind::Accompaniment => "accompaniment",
            SupportKind::Phone => "phone",
            SupportKind::Online => "online",
            SupportKind::CaseConference => "case_conference",
            SupportKind::Assessment => "assessment",
            SupportKind::Written => "written",
            SupportKind::HomeVisit => "home_visit",
        }
    }

    /// The Japanese name, as the annual report breaks its counts down (pages take theirs from
    /// the translations).
    pub fn name_ja(self) -> &'static str {
        match self {
            SupportKind::Consultation => "相談（来所）",
            SupportKind::WorkplaceVisit => "職場訪問",
            SupportKind::Accompaniment => "同行支援",
            SupportKind::Phone => "電話",
            SupportKind::Online => "オンライン",
            SupportKind::CaseConference => "ケース会議",
            SupportKind::Assessment => "アセスメント",
            SupportKind::Written => "メール・文書",
            SupportKind::HomeVisit => "家庭訪問",
        }
    }

    /// Parses a stable code or the Japanese name used in agencies' spreadsheets.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        Self::ALL.into_iter().find(|k| k.code() == raw).or(match raw {
            "相談" | "来所相談" => Some(SupportKind::Consultation),
            "職場訪問" => Some(SupportKind::WorkplaceVisit),
            "同行" | "同行支援" => Some(SupportKind::Accompaniment),
            "電話" => Some(SupportKind::Phone),
            "オンライン" => Some(SupportKind::Online),
            "ケース会議" => Some(SupportKind::CaseConference),
            "アセスメント" => Some(SupportKind::Assessment),
            "メール" | "文書" => Some(SupportKind::Written),
            "家庭訪問" => Some(SupportKind::HomeVisit),
            _ => None,
        })
    }
}

/// The longest a single support record may last, in minutes (a full day's accompaniment).
pub const MAX_MINUTES: u32 = 720;

/// A support record as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupportInput {
    /// Kind code.
    pub kind: String,
    /// Date (YYYY-MM-DD).
    pub date: String,
    /// Minutes.
    pub minutes: String,
    /// What happened.
    pub note: String,
    /// The next action, if any.
    pub next_action: String,
    /// When the next action is due.
    pub next_action_on: String,
}

/// A checked support record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportFields {
    /// Kind.
    pub kind: SupportKind,
    /// Date.
    pub date: Date,
    /// Minutes.
    pub minutes: u32,
    /// What happened.
    pub note: String,
    /// Next action.
    pub next_action: Option<String>,
    /// Due date of the next action.
    pub next_action_on: Option<Date>,
}

impl SupportInput {
    /// Checks every field; dates may not lie in the future (a record is of what happened), and the
    /// next action may not be due before the record's date.
    pub fn validate(&self, today: Date) -> Result<SupportFields, Problems> {
        let mut p = Problems::new();
        let kind = match self.kind.trim() {
            "" => {
                p.add("kind", "required");
                None
            }
            raw => SupportKind::parse(raw).or_else(|| {
                p.add("kind", "unknown_code");
                None
            }),
        };
        let date = past_date(&mut p, "date", &self.date, today);
        let minutes_raw: String = self.minutes.trim().nfkc().collect();
        let minutes = match minutes_raw.as_str() {
            "" => {
                p.add("minutes", "required");
                None
            }
            raw => match raw.parse::<u32>() {
                Ok(m @ 1..=MAX_MINUTES) => Some(m),
                _ => {
                    p.push(crate::Problem { field: "minutes", code: "minutes_range", limit: Some(MAX_MINUTES) });
                    None
                }
            },
        };
        let note = text_field(&mut p, "note", &self.note, 4000, true);
        let next_action = text_field(&mut p, "next_action", &self.next_action, 200, false);
        let next_action_on = planned_date(&mut p, "next_action_on", &self.next_action_on, today, false);
        if let (Some(d), Some(next)) = (date, next_action_on)
            && next < d
        {
            p.add("next_action_on", "before_record_date");
        }
        if next_action_on.is_some() && next_action.is_none() && p.for_field("next_action").is_none() {
            p.add("next_action", "required_with_date");
        }
        match (kind, date, minutes, note) {
            (Some(kind), Some(date), Some(minutes), Some(note)) if p.is_empty() => {
                Ok(SupportFields { kind, date, minutes, note, next_action, next_action_on })
            }
            _ => Err(p),
        }
    }
}

/// Checks a stage change's date and reason.
pub fn stage_change(p: &mut Problems, stage: &str, on: &str, today: Date) -> Option<(Stage, Date)> {
    let stage = match stage.trim() {
        "" => {
            p.add("stage", "required");
            None
        }
        raw => Stage::parse(raw).or_else(|| {
            p.add("stage", "unknown_code");
            None
        }),
    };
    let on = past_date(p, "on", on, today);
    Some((stage?, on?))
}

/// When retention follow-ups fall due after a placement, in days, unless the agency sets its own:
/// two weeks, then one, three, six and twelve months.
pub const DEFAULT_FOLLOW_UP_DAYS: [u16; 5] = [14, 30, 91, 182, 365];

/// The longest a follow-up may be set after a placement, in days (two years).
pub const MAX_FOLLOW_UP_DAYS: u16 = 730;

/// The dates of the follow-ups of a placement on `placed_on`.
pub fn follow_up_dates(placed_on: Date, days: &[u16]) -> Vec<Date> {
    days.iter().map(|d| placed_on + time::Duration::days(i64::from(*d))).collect()
}

/// Reads an agency's follow-up schedule typed as days after the placement ("14, 30, 91"): each
/// from 1 to 730, rising, at most 12.
pub fn parse_follow_up_days(raw: &str) -> Result<Vec<u16>, Problems> {
    let mut p = Problems::new();
    let folded: String = raw.nfkc().collect();
    let parts: Vec<&str> = folded.split([',', '、', ' ']).map(str::trim).filter(|s| !s.is_empty()).collect();
    let mut days = Vec::new();
    for part in &parts {
        match part.parse::<u16>() {
            Ok(d @ 1..=MAX_FOLLOW_UP_DAYS) if days.last().is_none_or(|last| d > *last) => days.push(d),
            Ok(1..=MAX_FOLLOW_UP_DAYS) => {
                p.add("follow_up_days", "days_not_rising");
                return Err(p);
            }
            _ => {
                p.push(crate::Problem {
                    field: "follow_up_days",
                    code: "days_range",
                    limit: Some(u32::from(MAX_FOLLOW_UP_DAYS)),
                });
                return Err(p);
            }
        }
    }
    if days.is_empty() {
        p.add("follow_up_days", "required");
    } else if days.len() > 12 {
        p.push(crate::Problem { field: "follow_up_days", code: "too_many", limit: Some(12) });
    }
    p.into_result(days)
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn persons_are_matched_until_hired_and_again_after_leaving() {
        use Stage::*;
        let matched: Vec<Option<Stage>> =
            [None].into_iter().chain(Stage::ALL.map(Some)).filter(|s| Stage::seeks_work(*s)).collect();
        assert_eq!(
            matched,
            [None, Some(Intake), Some(Assessment), Some(Preparation), Some(JobSearch), Some(Separated)]
        );
        assert!(Stage::ALL.iter().filter(|s| s.holds_job()).all(|s| !Stage::seeks_work(Some(*s))));
        assert!(
            Stage::ALL.iter().filter(|s| s.holds_job()).all(|s| s.next().contains(&Separated)),
            "every job can end"
        );
    }

    #[test]
    fn journeys_follow_the_allowed_transitions_and_re_entry_is_normal() {
        use Stage::*;
        let path = [
            Intake,
            Assessment,
            Preparation,
            JobSearch,
            TrialEmployment,
            Employed,
            Retention,
            OnLeave,
            ReturnToWork,
            Retention,
            Separated,
            JobSearch,
            Employed,
            Retention,
            Closed,
            Intake,
        ];
        let mut current = None;
        for stage in path {
            assert_eq!(check_transition(current, stage), Ok(()), "{current:?} → {stage:?}");
            current = Some(stage);
        }
        assert_eq!(check_transition(Some(Intake), Employed), Err(TransitionRefused { from: Intake, to: Employed }));
        assert_eq!(check_transition(Some(Closed), Employed), Err(TransitionRefused { from: Closed, to: Employed }));
        assert_eq!(
            check_transition(Some(Employed), JobSearch),
            Err(TransitionRefused { from: Employed, to: JobSearch })
        );
        assert_eq!(check_transition(None, Retention), Ok(()), "an agency may take over a journey under way");
        for stage in Stage::ALL {
            assert!(!stage.next().contains(&stage), "{stage:?} does not move to itself");
            assert_eq!(Stage::parse(stage.code()), Some(stage));
            assert_eq!(Stage::parse_label(stage.name_ja()), Some(stage));
        }
        assert_eq!(Stage::parse_label("定着支援"), Some(Retention));
        assert_eq!(Stage::parse_label("面接中"), None);
    }

    #[test]
    fn follow_ups_follow_the_placement_by_the_agency_schedule() {
        let placed = date!(2026 - 04 - 01);
        assert_eq!(
            follow_up_dates(placed, &DEFAULT_FOLLOW_UP_DAYS),
            [
                date!(2026 - 04 - 15),
                date!(2026 - 05 - 01),
                date!(2026 - 07 - 01),
                date!(2026 - 09 - 30),
                date!(2027 - 04 - 01)
            ]
        );
        assert_eq!(parse_follow_up_days("7、３０, 90"), Ok(vec![7, 30, 90]));
        assert_eq!(
            DEFAULT_FOLLOW_UP_DAYS.map(Milestone::after),
            [
                Milestone::Weeks(2),
                Milestone::Months(1),
                Milestone::Months(3),
                Milestone::Months(6),
                Milestone::Months(12)
            ]
        );
        assert_eq!(
            [7, 10, 45, 61].map(Milestone::after),
            [Milestone::Weeks(1), Milestone::Days(10), Milestone::Days(45), Milestone::Months(2)]
        );
        let code = |raw: &str| parse_follow_up_days(raw).err().and_then(|p| p.iter().next().map(|p| p.code));
        assert_eq!(code("30, 14"), Some("days_not_rising"));
        assert_eq!(code("0"), Some("days_range"));
        assert_eq!(code("1000"), Some("days_range"));
        assert_eq!(code("毎月"), Some("days_range"));
        assert_eq!(code(""), Some("required"));
    }

    #[test]
    fn support_records_need_a_kind_a_past_date_minutes_and_a_note() {
        let today = date!(2026 - 11 - 25);
        let ok = SupportInput {
            kind: "職場訪問".into(),
            date: "2026-11-25".into(),
            minutes: "６０".into(),
            note: "上司と面談。作業手順書を写真付きにする".into(),
            next_action: "手順書の確認".into(),
            next_action_on: "2026-12-02".into(),
        };
        let fields = ok.validate(today).expect("valid");
        assert_eq!((fields.kind, fields.minutes), (SupportKind::WorkplaceVisit, 60));
        let codes = |input: SupportInput| {
            input
                .validate(today)
                .err()
                .map(|p| p.iter().map(|p| (p.field, p.code)).collect::<Vec<_>>())
                .unwrap_or_default()
        };
        assert_eq!(codes(SupportInput { kind: "面接".into(), ..ok.clone() }), [("kind", "unknown_code")]);
        assert_eq!(codes(SupportInput { date: "2026-11-26".into(), ..ok.clone() }), [("date", "date_in_future")]);
        assert_eq!(codes(SupportInput { date: "2026-13-01".into(), ..ok.clone() }), [("date", "date_format")]);
        assert_eq!(codes(SupportInput { minutes: "0".into(), ..ok.clone() }), [("minutes", "minutes_range")]);
        assert_eq!(codes(SupportInput { minutes: "721".into(), ..ok.clone() }), [("minutes", "minutes_range")]);
        assert_eq!(codes(SupportInput { note: " ".into(), ..ok.clone() }), [("note", "required")]);
        assert_eq!(
            codes(SupportInput { next_action_on: "2026-11-24".into(), ..ok.clone() }),
            [("next_action_on", "before_record_date")]
        );
        assert_eq!(
            codes(SupportInput { next_action: "".into(), ..ok.clone() }),
            [("next_action", "required_with_date")]
        );
    }
}

/// A move of a person's journey to a stage, with who recorded it and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageChange {
    /// Id.
    pub id: uuid::Uuid,
    /// Prefecture of the person.
    pub prefecture: String,
    /// Whose journey.
    pub person: PersonId,
    /// The new stage.
    pub stage: crate::journey::Stage,
    /// Since when.
    pub on: time::Date,
    /// The agency that recorded it.
    pub agency: AgencyId,
    /// Who recorded it.
    pub recorded_by: AccountId,
    /// When.
    pub recorded_at: OffsetDateTime,
    /// Why (free text).
    pub reason: String,
}

/// A support record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupportRecord {
    /// Id.
    pub id: uuid::Uuid,
    /// Prefecture of the person.
    pub prefecture: String,
    /// Whose.
    pub person: PersonId,
    /// The agency that gave the support.
    pub agency: AgencyId,
    /// The staff member.
    pub staff: AccountId,
    /// The staff member's name as it was.
    pub staff_name: String,
    /// What was done.
    pub fields: crate::journey::SupportFields,
    /// When it was written down.
    pub recorded_at: OffsetDateTime,
}

/// A retention follow-up: a visit or call due after a placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUp {
    /// Id.
    pub id: uuid::Uuid,
    /// Prefecture of the person.
    pub prefecture: String,
    /// Whose.
    pub person: PersonId,
    /// The agency that follows up.
    pub agency: AgencyId,
    /// The placement it follows.
    pub placed_on: time::Date,
    /// When it is due.
    pub due_on: time::Date,
    /// When it was done, and by whom.
    pub done: Option<(time::Date, AccountId)>,
    /// What was noted when it was done.
    pub note: Option<String>,
    /// Closed undone on this day, because the placement it follows ended (the person separated,
    /// moved to a welfare service or the journey closed).
    pub closed_on: Option<time::Date>,
}

/// The longest note a follow-up keeps.
pub const MAX_FOLLOW_UP_NOTE: u32 = 1000;

/// Checks the note written when a follow-up is done (optional, at most
/// [`MAX_FOLLOW_UP_NOTE`] characters, no control characters but line breaks).
pub fn follow_up_note(raw: &str) -> Result<Option<String>, Problems> {
    let mut problems = Problems::new();
    let note = crate::validation::text_field(&mut problems, "follow_up_note", raw, MAX_FOLLOW_UP_NOTE, false);
    if problems.is_empty() { Ok(note) } else { Err(problems) }
}

impl FollowUp {
    /// Still to be done: neither done nor closed.
    pub fn is_open(&self) -> bool {
        self.done.is_none() && self.closed_on.is_none()
    }

    /// Open, and its day has passed.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_open() && overdue(self.due_on, today)
    }

    /// The milestone it marks (2週間, 1か月, 3か月 …).
    pub fn milestone(&self) -> Milestone {
        Milestone::after(u16::try_from((self.due_on - self.placed_on).whole_days()).unwrap_or(u16::MAX))
    }
}

/// What a follow-up is called by: the weeks or months after the placement it falls at, as
/// retention support counts them (2週間, 1か月, 3か月, 6か月, 12か月), or its days when it is
/// neither (an agency's own schedule may say 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Milestone {
    /// Whole weeks, up to four.
    Weeks(u16),
    /// Months (a month being 30.44 days, give or take two).
    Months(u16),
    /// Days.
    Days(u16),
}

impl Milestone {
    /// The milestone `days` after a placement.
    pub fn after(days: u16) -> Self {
        if days <= 28 && days.is_multiple_of(7) {
            return Self::Weeks(days / 7);
        }
        let months = (f64::from(days) / 30.44).round();
        let off = (f64::from(days) - (months * 30.44).round()).abs();
        if months >= 1.0 && off <= 2.0 {
            // At most 730 / 30.44 ≈ 24 months; the cast cannot truncate a meaningful value.
            Self::Months(months as u16)
        } else {
            Self::Days(days)
        }
    }
}
