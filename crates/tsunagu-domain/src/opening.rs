//! Openings (求人): a job an employer offers, with the tasks carved out for it (職務の切り出し),
//! its weekly hours, wage, place, start, the accommodations it offers and the disability
//! categories it welcomes, and its status (draft, published, closed).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use crate::codes::LocalGovCode;
use crate::directory::DirectoryReferences;
use crate::employer::EmployerId;
use crate::person::DisabilityCategory;
use crate::validation::{Problem, Problems, text_field};

/// An opening's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct OpeningId(pub Uuid);

/// Where an opening stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OpeningStatus {
    /// Being written: seen by its editors only.
    Draft,
    /// Open to applications: seen by everyone, served as JobPosting.
    Published,
    /// Filled or withdrawn.
    Closed,
}

impl OpeningStatus {
    /// Every status.
    pub const ALL: [Self; 3] = [Self::Draft, Self::Published, Self::Closed];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Published => "published",
            Self::Closed => "closed",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == raw.trim())
    }

    /// The statuses an opening may move to from this one: a draft is published or dropped, a
    /// published opening closed, a closed one published again.
    pub fn next(self) -> &'static [Self] {
        match self {
            Self::Draft => &[Self::Published, Self::Closed],
            Self::Published => &[Self::Closed],
            Self::Closed => &[Self::Published],
        }
    }
}

/// How the wage is stated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WageKind {
    /// 時給.
    Hourly,
    /// 月給.
    Monthly,
}

impl WageKind {
    /// Every kind.
    pub const ALL: [Self; 2] = [Self::Hourly, Self::Monthly];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Hourly => "hourly",
            Self::Monthly => "monthly",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == raw.trim())
    }

    /// The highest wage a form takes, in yen.
    pub fn most(self) -> u32 {
        match self {
            Self::Hourly => 100_000,
            Self::Monthly => 10_000_000,
        }
    }
}

/// An accommodation (合理的配慮) an employer offers. The list is the project's own vocabulary,
/// drawn from the examples of the 合理的配慮指針 (厚生労働省); matching compares a person's needs
/// with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Accommodation {
    /// 作業手順書・指示の文書化.
    WrittenInstructions,
    /// 静かな作業場所・パーティション.
    QuietPlace,
    /// 勤務時間・休憩の調整.
    FlexibleHours,
    /// 短時間勤務からの開始.
    ShortHours,
    /// 通院・服薬への配慮.
    HospitalVisits,
    /// ジョブコーチの受入れ.
    JobCoach,
    /// 段差のない通路・車いす対応.
    StepFree,
    /// 筆談・手話・文字での連絡.
    WrittenCommunication,
    /// 休憩場所の確保.
    RestArea,
    /// 相談担当者の配置.
    Mentor,
}

impl Accommodation {
    /// Every accommodation, in the order forms list them.
    pub const ALL: [Self; 10] = [
        Self::WrittenInstructions,
        Self::QuietPlace,
        Self::FlexibleHours,
        Self::ShortHours,
        Self::HospitalVisits,
        Self::JobCoach,
        Self::StepFree,
        Self::WrittenCommunication,
        Self::RestArea,
        Self::Mentor,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::WrittenInstructions => "written_instructions",
            Self::QuietPlace => "quiet_place",
            Self::FlexibleHours => "flexible_hours",
            Self::ShortHours => "short_hours",
            Self::HospitalVisits => "hospital_visits",
            Self::JobCoach => "job_coach",
            Self::StepFree => "step_free",
            Self::WrittenCommunication => "written_communication",
            Self::RestArea => "rest_area",
            Self::Mentor => "mentor",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == raw.trim())
    }

    /// Its bit in a set stored as one integer.
    pub fn bit(self) -> i64 {
        1 << Self::ALL.iter().position(|a| *a == self).unwrap_or_default()
    }
}

/// A set of items stored as one integer, one bit each (for the store's filters).
pub fn bits<T: Copy>(items: &[T], bit: impl Fn(T) -> i64) -> i64 {
    items.iter().fold(0, |acc, i| acc | bit(*i))
}

/// A disability category's bit in a set stored as one integer.
pub fn category_bit(c: DisabilityCategory) -> i64 {
    1 << DisabilityCategory::ALL.iter().position(|x| *x == c).unwrap_or_default()
}

/// What an opening's form sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpeningFields {
    /// 職種.
    pub title: String,
    /// 職務の切り出し: the tasks, one each.
    pub tasks: Vec<String>,
    /// Fewest hours a week.
    pub hours_min: u8,
    /// Most hours a week.
    pub hours_max: u8,
    /// How the wage is stated.
    pub wage_kind: WageKind,
    /// Wage in yen.
    pub wage: u32,
    /// Where the work is.
    pub municipality: Option<LocalGovCode>,
    /// 就業場所.
    pub place: Option<String>,
    /// When it starts (none: as agreed).
    pub starts_on: Option<Date>,
    /// 募集人数.
    pub positions: u16,
    /// Accommodations offered, in [`Accommodation::ALL`] order.
    pub accommodations: Vec<Accommodation>,
    /// Categories welcomed, in [`DisabilityCategory::ALL`] order; none means any.
    pub categories: Vec<DisabilityCategory>,
    /// Anything else the reader should know.
    pub note: Option<String>,
}

/// An opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Opening {
    /// Id.
    pub id: OpeningId,
    /// Prefecture code.
    pub prefecture: String,
    /// Whose.
    pub employer: EmployerId,
    /// What its form sets.
    pub fields: OpeningFields,
    /// Where it stands.
    pub status: OpeningStatus,
    /// The day it was first published.
    pub published_on: Option<Date>,
    /// Raised by every edit.
    pub version: i64,
    /// Added.
    pub created_at: OffsetDateTime,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

impl Opening {
    /// Moves the opening to `to` on `today` (the day it is first published is kept), or names
    /// the rule it breaks (`status_move`).
    pub fn move_to(&mut self, to: OpeningStatus, today: Date) -> Result<(), Problems> {
        if !self.status.next().contains(&to) {
            let mut p = Problems::new();
            p.add("status", "status_move");
            return Err(p);
        }
        self.status = to;
        if to == OpeningStatus::Published && self.published_on.is_none() {
            self.published_on = Some(today);
        }
        Ok(())
    }
}

/// Field limits.
pub mod limits {
    /// 職種.
    pub const TITLE: u32 = 100;
    /// One task.
    pub const TASK: u32 = 200;
    /// How many tasks.
    pub const TASKS: u32 = 20;
    /// Hours a week: what the law's weekly limit allows.
    pub const HOURS: u32 = 40;
    /// 募集人数.
    pub const POSITIONS: u32 = 100;
    /// 就業場所.
    pub const PLACE: u32 = 200;
    /// The note.
    pub const NOTE: u32 = 2000;
}

/// An opening's form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OpeningInput {
    /// 職種.
    pub job_title: String,
    /// Tasks, one per line.
    pub tasks: String,
    /// Fewest hours a week.
    pub hours_min: String,
    /// Most hours a week.
    pub hours_max: String,
    /// `hourly` or `monthly`.
    pub wage_kind: String,
    /// Wage in yen.
    pub wage: String,
    /// 全国地方公共団体コード, or empty.
    pub municipality_code: String,
    /// 就業場所.
    pub place: String,
    /// Start, as offices type dates; empty for "as agreed".
    pub starts_on: String,
    /// 募集人数.
    pub positions: String,
    /// Accommodation codes offered.
    pub offered: Vec<String>,
    /// Disability category codes welcomed.
    pub welcomed: Vec<String>,
    /// 備考.
    pub remarks: String,
}

/// A whole number as typed (full width, thousands separators and a trailing 円 or 時間 read), in
/// `1..=max`.
pub(crate) fn number(p: &mut Problems, field: &'static str, raw: &str, max: u32, required: bool) -> Option<u32> {
    let folded: String = raw.trim().nfkc().filter(|c| *c != ',').collect();
    let folded = folded.trim_end_matches(['円', '人']).trim_end_matches("時間").trim();
    if folded.is_empty() {
        if required {
            p.add(field, "required");
        }
        return None;
    }
    match folded.parse::<u32>() {
        Ok(n) if (1..=max).contains(&n) => Some(n),
        Ok(_) => {
            p.push(Problem { field, code: "out_of_range", limit: Some(max) });
            None
        }
        Err(_) => {
            p.add(field, "not_a_number");
            None
        }
    }
}

/// Codes from a form's checkboxes, each known, in `all`'s order without repeats.
fn coded<T: Copy + PartialEq>(
    p: &mut Problems,
    field: &'static str,
    raw: &[String],
    parse: impl Fn(&str) -> Option<T>,
    all: &[T],
) -> Vec<T> {
    let mut chosen = Vec::new();
    for r in raw.iter().map(|r| r.trim()).filter(|r| !r.is_empty()) {
        match parse(r) {
            Some(item) => chosen.push(item),
            None => {
                p.add(field, "unknown_code");
                return Vec::new();
            }
        }
    }
    all.iter().copied().filter(|a| chosen.contains(a)).collect()
}

impl OpeningInput {
    /// Checks every field against the directory and returns the fields or every problem.
    pub fn validate(&self, refs: &dyn DirectoryReferences, today: Date) -> Result<OpeningFields, Problems> {
        let mut p = Problems::new();
        let title = text_field(&mut p, "job_title", &self.job_title, limits::TITLE, true);
        let mut tasks = Vec::new();
        for line in self.tasks.lines() {
            if let Some(task) =
                text_field(&mut p, "tasks", line.trim_start_matches(['・', '-', '*']), limits::TASK, false)
            {
                tasks.push(task);
            }
        }
        if tasks.is_empty() && p.for_field("tasks").is_none() {
            p.add("tasks", "required");
        }
        if tasks.len() > limits::TASKS as usize {
            p.push(Problem { field: "tasks", code: "too_many", limit: Some(limits::TASKS) });
        }
        let hours_min = number(&mut p, "hours_min", &self.hours_min, limits::HOURS, true);
        let hours_max = number(&mut p, "hours_max", &self.hours_max, limits::HOURS, true);
        if let (Some(min), Some(max)) = (hours_min, hours_max)
            && min > max
        {
            p.add("hours_max", "below_minimum_hours");
        }
        let wage_kind = match self.wage_kind.trim() {
            "" => {
                p.add("wage_kind", "required_choice");
                None
            }
            raw => WageKind::parse(raw).or_else(|| {
                p.add("wage_kind", "unknown_code");
                None
            }),
        };
        let wage = number(&mut p, "wage", &self.wage, wage_kind.map_or(WageKind::Monthly.most(), WageKind::most), true);
        let municipality = match self.municipality_code.trim() {
            "" => None,
            raw => match LocalGovCode::parse(raw) {
                Err(e) => {
                    p.add("municipality_code", e.code());
                    None
                }
                Ok(code) if refs.municipality(&code).is_none() => {
                    p.add("municipality_code", "unknown_municipality");
                    None
                }
                Ok(code) => Some(code),
            },
        };
        let place = text_field(&mut p, "place", &self.place, limits::PLACE, false);
        let starts_on = match self.starts_on.trim() {
            "" => None,
            raw => match crate::calendar::parse_date(raw) {
                Some(d) if d.year() < today.year() - 1 => {
                    p.push(Problem {
                        field: "starts_on",
                        code: "date_too_early",
                        limit: Some((today.year() - 1) as u32),
                    });
                    None
                }
                Some(d) if d.year() > today.year() + 2 => {
                    p.push(Problem { field: "starts_on", code: "date_too_far", limit: Some(2) });
                    None
                }
                Some(d) => Some(d),
                None => {
                    p.add("starts_on", "date_format");
                    None
                }
            },
        };
        let positions = number(&mut p, "positions", &self.positions, limits::POSITIONS, true);
        let accommodations = coded(&mut p, "offered", &self.offered, Accommodation::parse, &Accommodation::ALL);
        let categories = coded(&mut p, "welcomed", &self.welcomed, DisabilityCategory::parse, &DisabilityCategory::ALL);
        let note = text_field(&mut p, "remarks", &self.remarks, limits::NOTE, false);
        match (title, hours_min, hours_max, wage_kind, wage, positions) {
            (Some(title), Some(hours_min), Some(hours_max), Some(wage_kind), Some(wage), Some(positions))
                if p.is_empty() =>
            {
                Ok(OpeningFields {
                    title,
                    tasks,
                    hours_min: hours_min as u8,
                    hours_max: hours_max as u8,
                    wage_kind,
                    wage,
                    municipality,
                    place,
                    starts_on,
                    positions: positions as u16,
                    accommodations,
                    categories,
                    note,
                })
            }
            _ => Err(p),
        }
    }

    /// The input that reproduces `fields` (for edit forms).
    pub fn from_fields(f: &OpeningFields) -> Self {
        Self {
            job_title: f.title.clone(),
            tasks: f.tasks.join("\n"),
            hours_min: f.hours_min.to_string(),
            hours_max: f.hours_max.to_string(),
            wage_kind: f.wage_kind.code().to_owned(),
            wage: f.wage.to_string(),
            municipality_code: f.municipality.as_ref().map(ToString::to_string).unwrap_or_default(),
            place: f.place.clone().unwrap_or_default(),
            starts_on: f.starts_on.map(|d| d.to_string()).unwrap_or_default(),
            positions: f.positions.to_string(),
            offered: f.accommodations.iter().map(|a| a.code().to_owned()).collect(),
            welcomed: f.categories.iter().map(|c| c.code().to_owned()).collect(),
            remarks: f.note.clone().unwrap_or_default(),
        }
    }

    /// Each field's name and value as text, in form order: what edit conflicts and the audit
    /// log compare.
    pub fn field_texts(&self) -> [(&'static str, String); 13] {
        [
            ("job_title", self.job_title.clone()),
            ("tasks", self.tasks.clone()),
            ("hours_min", self.hours_min.clone()),
            ("hours_max", self.hours_max.clone()),
            ("wage_kind", self.wage_kind.clone()),
            ("wage", self.wage.clone()),
            ("municipality_code", self.municipality_code.clone()),
            ("place", self.place.clone()),
            ("starts_on", self.starts_on.clone()),
            ("positions", self.positions.clone()),
            ("offered", self.offered.join("、")),
            ("welcomed", self.welcomed.join("、")),
            ("remarks", self.remarks.clone()),
        ]
    }
}

/// The names of the fields that differ between two versions of an opening.
pub fn changed_fields(before: &OpeningFields, after: &OpeningFields) -> Vec<String> {
    let before = OpeningInput::from_fields(before).field_texts();
    let after = OpeningInput::from_fields(after).field_texts();
    before.iter().zip(after.iter()).filter(|(a, b)| a.1 != b.1).map(|(a, _)| a.0.to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    use crate::directory::one_municipality::refs;

    const TODAY: Date = date!(2026 - 12 - 06);

    fn input() -> OpeningInput {
        OpeningInput {
            job_title: "事務補助".into(),
            tasks: "・郵便物の仕分け\n・データ入力（1日50件）\n\n・書類のスキャン".into(),
            hours_min: "２０".into(),
            hours_max: "30時間".into(),
            wage_kind: "hourly".into(),
            wage: "1,250円".into(),
            municipality_code: "131016".into(),
            starts_on: "令和9年4月1日".into(),
            positions: "2".into(),
            offered: vec!["job_coach".into(), "written_instructions".into()],
            welcomed: vec!["intellectual".into()],
            ..OpeningInput::default()
        }
    }

    #[test]
    fn a_form_as_offices_type_it_is_read() {
        let f = input().validate(&refs(), TODAY).unwrap();
        assert_eq!(f.tasks, ["郵便物の仕分け", "データ入力（1日50件）", "書類のスキャン"]);
        assert_eq!((f.hours_min, f.hours_max, f.wage), (20, 30, 1250));
        assert_eq!(f.starts_on, Some(date!(2027 - 04 - 01)));
        assert_eq!(f.accommodations, [Accommodation::WrittenInstructions, Accommodation::JobCoach], "in list order");
        assert_eq!(OpeningInput::from_fields(&f).validate(&refs(), TODAY).unwrap(), f, "the edit form reads back");
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let bad = OpeningInput {
            job_title: String::new(),
            tasks: "\n \n".into(),
            hours_min: "35".into(),
            hours_max: "50".into(),
            wage_kind: "daily".into(),
            wage: "abc".into(),
            municipality_code: "131024".into(),
            starts_on: "2026-02-30".into(),
            positions: "0".into(),
            offered: vec!["massage".into()],
            ..OpeningInput::default()
        };
        let problems = bad.validate(&refs(), TODAY).unwrap_err();
        let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.field, p.code)).collect();
        assert_eq!(
            codes,
            [
                ("job_title", "required"),
                ("tasks", "required"),
                ("hours_max", "out_of_range"),
                ("wage_kind", "unknown_code"),
                ("wage", "not_a_number"),
                ("municipality_code", "unknown_municipality"),
                ("starts_on", "date_format"),
                ("positions", "out_of_range"),
                ("offered", "unknown_code"),
            ]
        );
        let upside_down = OpeningInput { hours_min: "30".into(), hours_max: "20".into(), ..input() };
        let problems = upside_down.validate(&refs(), TODAY).unwrap_err();
        assert_eq!(problems.for_field("hours_max").map(|p| p.code), Some("below_minimum_hours"));
    }

    #[test]
    fn a_draft_is_published_once_and_a_closed_opening_may_reopen() {
        let fields = input().validate(&refs(), TODAY).unwrap();
        let at = datetime!(2026-12-06 9:00 UTC);
        let mut o = Opening {
            id: OpeningId(Uuid::nil()),
            prefecture: "13".into(),
            employer: EmployerId(Uuid::nil()),
            fields,
            status: OpeningStatus::Draft,
            published_on: None,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        o.move_to(OpeningStatus::Published, TODAY).unwrap();
        o.move_to(OpeningStatus::Closed, date!(2027 - 01 - 10)).unwrap();
        assert!(o.move_to(OpeningStatus::Draft, TODAY).is_err(), "a closed opening is not a draft again");
        o.move_to(OpeningStatus::Published, date!(2027 - 02 - 01)).unwrap();
        assert_eq!(o.published_on, Some(TODAY), "the day it was first published");
    }
}
