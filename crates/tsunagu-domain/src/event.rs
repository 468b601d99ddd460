//! Events (催し): seminars, staff trainings, vocational training courses, council meetings,
//! company tours and interview meetings, with their sessions, capacity, registration window and,
//! for trainings, a curriculum; and the sign-ups to them (申込), which fill the seats in arrival
//! order and then queue on a waitlist.
//!
//! The rules of the seats live here and in the store that writes them: a sign-up is confirmed
//! while seats are free and waitlisted after, in the order the writes arrive ([`Signup::position`]);
//! a cancelled seat goes to the first in line. Which of those happens is decided in the write's
//! transaction, never by the caller, so that sign-ups arriving together never overfill an event.
//!
//! Events of a [`Series`] of the program document are what programs 5-2, 6-2, 7-1, 7-2, 7-3,
//! 10-1 and 10-2 count ([`series_years`]).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

use crate::account::AccountId;
use crate::directory::{AgencyId, BlockCode};
use crate::person::{PersonId, date_field};
use crate::program::FiscalYear;
use crate::validation::{Problems, text_field, time_field};

/// An event's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EventId(pub Uuid);

/// A sign-up's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SignupId(pub Uuid);

macro_rules! coded {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in the order forms list them.
            pub const ALL: &'static [Self] = &[$(Self::$variant,)+];

            /// The stable code.
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code,)+
                }
            }

            /// Parses a stable code.
            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == raw.trim())
            }
        }
    };
}

coded! {
    /// What kind of event.
    EventKind {
        /// セミナー・講座.
        Seminar = "seminar",
        /// 支援者向け研修.
        StaffTraining = "staff_training",
        /// 職業訓練.
        VocationalCourse = "vocational_course",
        /// 連絡会・協議会.
        Council = "council",
        /// 企業見学会.
        CompanyTour = "company_tour",
        /// 面談会・相談会.
        InterviewMeeting = "interview_meeting",
        /// その他.
        Other = "other",
    }
}

coded! {
    /// Whom an event is for.
    Audience {
        /// 支援機関の職員.
        Staff = "staff",
        /// 障害のある本人.
        Persons = "persons",
        /// 企業.
        Employers = "employers",
        /// 家族・保護者.
        Families = "families",
        /// 医療機関.
        Medical = "medical",
    }
}

coded! {
    /// The program of the document an event belongs to, when it is one the document counts.
    Series {
        /// 障害者就労支援体制レベルアップ事業（従事者研修）, 7-1.
        LevelUp = "level_up",
        /// 就業支援基礎研修, 7-2.
        BasicTraining = "basic_training",
        /// 就業支援実践研修（南関東エリア）, 7-2.
        PracticalTraining = "practical_training",
        /// 就労支援課題別セミナー, 7-2.
        TopicSeminar = "topic_seminar",
        /// ジョブコーチ養成研修, 7-2.
        JobcoachTraining = "jobcoach_training",
        /// 修了者サポート研修・支援スキル向上研修サポート研修, 7-2.
        FollowupTraining = "followup_training",
        /// マッチングスキル等向上研修, 7-3.
        MatchingTraining = "matching_training",
        /// 定着支援研修, 7-3.
        RetentionTraining = "retention_training",
        /// 医療機関連携スキル向上研修, 7-3.
        MedicalTraining = "medical_training",
        /// 就労支援セミナー（東京労働局）, 6-2.
        EmploymentSeminar = "employment_seminar",
        /// 事業所見学会（東京労働局）, 6-2.
        SiteVisit = "site_visit",
        /// 東京労働局の連絡会議, 6-2.
        LabourLiaison = "labour_liaison",
        /// 障害者雇用支援連絡協議会, 10-1.
        EmploymentCouncil = "employment_council",
        /// 精神障害者就労定着支援連絡会, 10-2.
        MentalLiaison = "mental_liaison",
        /// 就労支援機関との意見交換会, 5-2.
        ExchangeMeeting = "exchange_meeting",
        /// 普及啓発セミナー（企業向け）, 5-2.
        AwarenessSeminar = "awareness_seminar",
        /// 特例子会社セミナー, 5-2.
        SubsidiarySeminar = "subsidiary_seminar",
        /// 就業総合相談会, 5-2.
        ConsultationFair = "consultation_fair",
        /// 保護者向けセミナー, 5-2.
        ParentSeminar = "parent_seminar",
        /// 医療機関向けセミナー, 5-2.
        MedicalSeminar = "medical_seminar",
        /// 障害者就活セミナー, 5-2.
        JobhuntingSeminar = "jobhunting_seminar",
        /// 障害者雇用実務講座, 5-2.
        PracticalCourse = "practical_course",
        /// 大学等と連携したセミナー, 5-2.
        UniversitySeminar = "university_seminar",
    }
}

impl Series {
    /// The program of the document that counts it.
    pub fn program(self) -> &'static str {
        use Series::*;
        match self {
            LevelUp => "7-1",
            BasicTraining | PracticalTraining | TopicSeminar | JobcoachTraining | FollowupTraining => "7-2",
            MatchingTraining | RetentionTraining | MedicalTraining => "7-3",
            EmploymentSeminar | SiteVisit | LabourLiaison => "6-2",
            EmploymentCouncil => "10-1",
            MentalLiaison => "10-2",
            ExchangeMeeting | AwarenessSeminar | SubsidiarySeminar | ConsultationFair | ParentSeminar
            | MedicalSeminar | JobhuntingSeminar | PracticalCourse | UniversitySeminar => "5-2",
        }
    }
}

coded! {
    /// Where a sign-up stands.
    SignupStatus {
        /// 参加決定: holds a seat.
        Confirmed = "confirmed",
        /// キャンセル待ち.
        Waitlisted = "waitlisted",
        /// 取消し.
        Cancelled = "cancelled",
    }
}

/// The most sessions of one event.
pub const MAX_SESSIONS: usize = 8;
/// The fields of the session rows, in order (a problem of a row names its row).
pub const SESSION_FIELDS: [&str; MAX_SESSIONS] =
    ["session_1", "session_2", "session_3", "session_4", "session_5", "session_6", "session_7", "session_8"];
/// The most seats of one event.
pub const MAX_CAPACITY: u32 = 10_000;
/// The most subjects of a curriculum.
pub const MAX_SUBJECTS: usize = 30;
/// The longest title.
pub const TITLE_MAX: u32 = 200;
/// The longest description.
pub const DESCRIPTION_MAX: u32 = 4000;
/// The longest place (or online link) of a session.
pub const PLACE_MAX: u32 = 300;
/// The longest agenda.
pub const AGENDA_MAX: u32 = 4000;
/// The longest minutes.
pub const MINUTES_MAX: u32 = 20_000;

/// One session: a day, its hours and where (a place, or an `https://` link when online).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    /// The day.
    pub date: Date,
    /// From.
    pub starts_at: Time,
    /// To.
    pub ends_at: Time,
    /// The place, or the online link.
    pub place: String,
}

impl Session {
    /// The place is an online link.
    pub fn is_online(&self) -> bool {
        is_link(&self.place)
    }
}

fn is_link(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

/// A subject of a training's curriculum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subject {
    /// 科目名.
    pub title: String,
    /// 内容.
    pub description: String,
}

/// The curriculum of the seed's staff training (障害者就労支援体制レベルアップ事業（従事者研修）,
/// held with the 職業センター's 就業支援基礎研修): its eleven subjects, offered as a template.
pub const STAFF_TRAINING_CURRICULUM: [(&str, &str); 11] = [
    ("障害者雇用の現状と障害者雇用施策", "障害者雇用促進法の概要、障害者雇用の現状、各種制度等について理解する。"),
    (
        "就業支援のプロセスⅠ（インテーク～職業準備性の向上のための支援）",
        "就業支援のプロセス、職業相談の実施方法、職業準備性の考え方、職業準備性の向上のための支援の実施方法、就労移行支援のためのチェックリスト等の実施方法等について理解する。",
    ),
    (
        "就業支援のプロセスⅡ（求職活動支援～定着支援）",
        "求職活動支援及び定着支援等の実施方法・留意事項、受講者の所属機関における各種支援の取組等について理解する。",
    ),
    (
        "就労支援機関の役割と連携",
        "ハローワーク、地域障害者職業センター、就業・生活支援センター等の役割と業務内容、これら就労支援機関との連携方法、地域ネットワークの活用方法等について理解する。",
    ),
    (
        "障害特性と職業的課題Ⅰ（身体障害、高次脳機能障害）",
        "身体障害及び高次脳機能障害の障害特性と職業的課題、支援上の留意事項等について理解する。",
    ),
    (
        "障害特性と職業的課題Ⅱ（知的障害、発達障害）",
        "知的障害及び発達障害の障害特性と職業的課題、支援上の留意事項等について理解する。",
    ),
    ("障害特性と職業的課題Ⅲ（精神障害）", "精神障害の障害特性と職業的課題、支援上の留意事項等について理解する。"),
    ("労働関係法規の基礎知識", "労働基準法、最低賃金法等に関する基礎知識を理解する。"),
    (
        "ケーススタディ・意見交換",
        "ケーススタディと就労移行支援等の取組状況についての意見交換を通じて、具体的な支援のプロセスや支援方法、支援における関係機関との連携の実際について理解する。",
    ),
    (
        "企業における障害者雇用の実際",
        "雇用情勢の変化と企業における障害者雇用の考え方、雇用状況、業務内容と必要な人材、各種制度の活用状況、支援ニーズ等について理解する。",
    ),
    (
        "障害者の雇用を進めるためのコミュニケーション技法",
        "関係機関に対する提案や説明、企業採用担当者等との面接等において、分かり易く説明することや情報を的確に伝達するためのノウハウを実践的に学ぶ。",
    ),
];

/// An event as its organiser describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFields {
    /// The kind.
    pub kind: EventKind,
    /// The document's program it belongs to, if any.
    pub series: Option<Series>,
    /// The title.
    pub title: String,
    /// What it is about.
    pub description: String,
    /// Whom it is for (at least one).
    pub audiences: Vec<Audience>,
    /// The first day.
    pub starts_on: Date,
    /// The last day.
    pub ends_on: Date,
    /// The sessions, in date order (at least one), each within the days.
    pub sessions: Vec<Session>,
    /// The seats.
    pub capacity: u32,
    /// Sign-ups are taken from this day…
    pub opens_on: Date,
    /// …to this day, inclusive.
    pub closes_on: Date,
    /// For trainings, the subjects.
    pub curriculum: Vec<Subject>,
    /// For a council (連絡会), the area (block) it serves.
    #[serde(default)]
    pub area: Option<BlockCode>,
    /// The agenda (議題).
    #[serde(default)]
    pub agenda: String,
    /// The minutes (議事録), written once the meeting has been held.
    #[serde(default)]
    pub minutes: String,
}

/// An event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Id.
    pub id: EventId,
    /// Prefecture of the organiser.
    pub prefecture: String,
    /// The organising agency.
    pub organiser: AgencyId,
    /// What the organiser wrote.
    pub fields: EventFields,
    /// Who wrote it last.
    pub written_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

/// Whether sign-ups are taken on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Window {
    /// Not yet: they open on the day.
    NotYet(Date),
    /// Yes.
    Open,
    /// No more: they closed on the day.
    Closed(Date),
}

impl Event {
    /// Whether sign-ups are taken on `today`.
    pub fn window(&self, today: Date) -> Window {
        if today < self.fields.opens_on {
            Window::NotYet(self.fields.opens_on)
        } else if today > self.fields.closes_on {
            Window::Closed(self.fields.closes_on)
        } else {
            Window::Open
        }
    }

    /// Whether an event is for `audience`.
    pub fn is_for(&self, audience: Audience) -> bool {
        self.fields.audiences.contains(&audience)
    }
}

/// The event form as typed: the session rows come as repeated fields, one value per row.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventInput {
    /// The kind's code.
    pub event_kind: String,
    /// The series' code, or empty.
    pub series: String,
    /// The title.
    pub event_title: String,
    /// The description.
    pub event_description: String,
    /// The audiences' codes.
    pub audience: Vec<String>,
    /// The first day.
    pub event_starts_on: String,
    /// The last day.
    pub event_ends_on: String,
    /// Each row's day.
    pub session_date: Vec<String>,
    /// Each row's start (HH:MM).
    pub session_starts: Vec<String>,
    /// Each row's end (HH:MM).
    pub session_ends: Vec<String>,
    /// Each row's place or link.
    pub session_place: Vec<String>,
    /// The seats.
    pub event_capacity: String,
    /// Sign-ups from.
    pub opens_on: String,
    /// Sign-ups until.
    pub closes_on: String,
    /// The curriculum, one subject a line: 科目名：内容.
    pub curriculum: String,
    /// The area's block code, or empty.
    pub area: String,
    /// The agenda.
    pub agenda: String,
    /// The minutes.
    pub council_minutes: String,
}

fn required_code<T>(p: &mut Problems, field: &'static str, raw: &str, parse: fn(&str) -> Option<T>) -> Option<T> {
    match raw.trim() {
        "" => {
            p.add(field, "required");
            None
        }
        raw => parse(raw).or_else(|| {
            p.add(field, "unknown_code");
            None
        }),
    }
}

fn cell(values: &[String], row: usize) -> &str {
    values.get(row).map_or("", |v| v.trim())
}

impl EventInput {
    /// Checks the form on `today`: a kind, a title, an audience, days in order, one to
    /// [`MAX_SESSIONS`] sessions each within the days with its hours in order and a place, seats,
    /// a sign-up window that closes by the last day, and minutes only once the first day has come.
    /// An area's code is checked against the directory by the caller.
    pub fn validate(&self, today: Date) -> Result<EventFields, Problems> {
        let mut p = Problems::new();
        let kind = required_code(&mut p, "event_kind", &self.event_kind, EventKind::parse);
        let series = match self.series.trim() {
            "" => None,
            raw => Series::parse(raw).or_else(|| {
                p.add("series", "unknown_code");
                None
            }),
        };
        let title = text_field(&mut p, "event_title", &self.event_title, TITLE_MAX, true);
        let description = text_field(&mut p, "event_description", &self.event_description, DESCRIPTION_MAX, false)
            .unwrap_or_default();
        let mut audiences = BTreeSet::new();
        for raw in self.audience.iter().filter(|a| !a.trim().is_empty()) {
            match Audience::parse(raw) {
                Some(a) => {
                    audiences.insert(a);
                }
                None => p.add("audience", "unknown_code"),
            }
        }
        if audiences.is_empty() && p.for_field("audience").is_none() {
            p.add("audience", "choose_one");
        }
        let starts_on = date_field(&mut p, "event_starts_on", &self.event_starts_on, true);
        let ends_on = date_field(&mut p, "event_ends_on", &self.event_ends_on, true);
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            p.add("event_ends_on", "ends_before_start");
        }
        let sessions = self.sessions(&mut p, starts_on, ends_on);
        let capacity = match self.event_capacity.trim() {
            "" => {
                p.add("event_capacity", "required");
                None
            }
            raw => match raw.parse::<u32>() {
                Ok(n) if (1..=MAX_CAPACITY).contains(&n) => Some(n),
                _ => {
                    p.add("event_capacity", "capacity_range");
                    None
                }
            },
        };
        let opens_on = date_field(&mut p, "opens_on", &self.opens_on, true);
        let closes_on = date_field(&mut p, "closes_on", &self.closes_on, true);
        if let (Some(o), Some(c)) = (opens_on, closes_on)
            && c < o
        {
            p.add("closes_on", "ends_before_start");
        }
        if let (Some(c), Some(e)) = (closes_on, ends_on)
            && c > e
        {
            p.add("closes_on", "closes_after_event");
        }
        let curriculum = self.curriculum(&mut p);
        let area = Some(self.area.trim()).filter(|a| !a.is_empty()).map(|a| BlockCode(a.to_owned()));
        let agenda = text_field(&mut p, "agenda", &self.agenda, AGENDA_MAX, false).unwrap_or_default();
        let minutes =
            text_field(&mut p, "council_minutes", &self.council_minutes, MINUTES_MAX, false).unwrap_or_default();
        if !minutes.is_empty() && starts_on.is_some_and(|s| s > today) {
            p.add("council_minutes", "minutes_before_meeting");
        }
        match (kind, title, starts_on, ends_on, capacity, opens_on, closes_on) {
            (
                Some(kind),
                Some(title),
                Some(starts_on),
                Some(ends_on),
                Some(capacity),
                Some(opens_on),
                Some(closes_on),
            ) if p.is_empty() => Ok(EventFields {
                kind,
                series,
                title,
                description,
                audiences: audiences.into_iter().collect(),
                starts_on,
                ends_on,
                sessions,
                capacity,
                opens_on,
                closes_on,
                curriculum,
                area,
                agenda,
                minutes,
            }),
            _ => Err(p),
        }
    }

    fn sessions(&self, p: &mut Problems, starts_on: Option<Date>, ends_on: Option<Date>) -> Vec<Session> {
        let rows = [&self.session_date, &self.session_starts, &self.session_ends, &self.session_place]
            .iter()
            .map(|v| v.len())
            .max()
            .unwrap_or(0);
        let mut sessions = Vec::new();
        let mut row_problem = false;
        for row in 0..rows {
            let cells = [&self.session_date, &self.session_starts, &self.session_ends, &self.session_place]
                .map(|values| cell(values, row));
            if cells.iter().all(|c| c.is_empty()) {
                continue;
            }
            let Some(&field) = SESSION_FIELDS.get(sessions.len() + usize::from(row_problem)) else {
                p.add(SESSION_FIELDS[MAX_SESSIONS - 1], "too_many_sessions");
                break;
            };
            let mut q = Problems::new();
            let date = date_field(&mut q, field, cells[0], true);
            if let Some(d) = date
                && (starts_on.is_some_and(|s| d < s) || ends_on.is_some_and(|e| d > e))
            {
                q.add(field, "session_outside_event");
            }
            let starts_at = time_field(&mut q, field, cells[1]);
            let ends_at = time_field(&mut q, field, cells[2]);
            if let (Some(s), Some(e)) = (starts_at, ends_at)
                && e <= s
            {
                q.add(field, "session_ends_before_start");
            }
            let place = text_field(&mut q, field, cells[3], PLACE_MAX, true);
            if let Some(place) = &place
                && (place.starts_with("http") && !is_link(place)
                    || is_link(place) && place.contains(char::is_whitespace))
            {
                q.add(field, "invalid_link");
            }
            // One problem per row: the first, so that the summary stays readable.
            if let Some(first) = q.iter().next() {
                p.add(field, first.code);
                row_problem = true;
                continue;
            }
            if let (Some(date), Some(starts_at), Some(ends_at), Some(place)) = (date, starts_at, ends_at, place) {
                sessions.push(Session { date, starts_at, ends_at, place });
            }
        }
        if sessions.is_empty() && !row_problem {
            p.add(SESSION_FIELDS[0], "session_required");
        }
        sessions.sort_by_key(|s| (s.date, s.starts_at));
        if sessions.windows(2).any(|w| w[0].date == w[1].date && w[1].starts_at < w[0].ends_at) {
            p.add(SESSION_FIELDS[0], "sessions_overlap");
        }
        sessions
    }

    fn curriculum(&self, p: &mut Problems) -> Vec<Subject> {
        let Some(text) = text_field(p, "curriculum", &self.curriculum, 20_000, false) else { return Vec::new() };
        let subjects: Vec<Subject> = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|line| {
                let (title, description) = line
                    .split_once('：')
                    .or_else(|| line.split_once(':'))
                    .or_else(|| line.split_once('\t'))
                    .unwrap_or((line, ""));
                Subject { title: title.trim().to_owned(), description: description.trim().to_owned() }
            })
            .collect();
        if subjects.len() > MAX_SUBJECTS {
            p.add("curriculum", "too_many_subjects");
        } else if subjects.iter().any(|s| s.title.chars().count() > 200 || s.title.is_empty()) {
            p.add("curriculum", "subject_title");
        }
        subjects
    }

    /// The form filled with `fields`.
    pub fn of(fields: &EventFields) -> Self {
        let hm = |t: Time| format!("{:02}:{:02}", t.hour(), t.minute());
        Self {
            event_kind: fields.kind.code().to_owned(),
            series: fields.series.map(|s| s.code().to_owned()).unwrap_or_default(),
            event_title: fields.title.clone(),
            event_description: fields.description.clone(),
            audience: fields.audiences.iter().map(|a| a.code().to_owned()).collect(),
            event_starts_on: fields.starts_on.to_string(),
            event_ends_on: fields.ends_on.to_string(),
            session_date: fields.sessions.iter().map(|s| s.date.to_string()).collect(),
            session_starts: fields.sessions.iter().map(|s| hm(s.starts_at)).collect(),
            session_ends: fields.sessions.iter().map(|s| hm(s.ends_at)).collect(),
            session_place: fields.sessions.iter().map(|s| s.place.clone()).collect(),
            event_capacity: fields.capacity.to_string(),
            opens_on: fields.opens_on.to_string(),
            closes_on: fields.closes_on.to_string(),
            curriculum: curriculum_text(&fields.curriculum),
            area: fields.area.as_ref().map(|a| a.0.clone()).unwrap_or_default(),
            agenda: fields.agenda.clone(),
            council_minutes: fields.minutes.clone(),
        }
    }
}

/// A curriculum as the form's text: one subject a line, 科目名：内容.
pub fn curriculum_text(subjects: &[Subject]) -> String {
    subjects
        .iter()
        .map(|s| if s.description.is_empty() { s.title.clone() } else { format!("{}：{}", s.title, s.description) })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Who takes the seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attendee {
    /// A user of Tsunagu for themselves: staff, an employer's contact.
    Account(AccountId),
    /// A person with a disability (signed up by their supporter or by themselves): personal data.
    Person(PersonId),
}

impl Attendee {
    /// The key one attendee holds once per event: `account:<id>` or `person:<id>`.
    pub fn key(self) -> String {
        match self {
            Self::Account(a) => format!("account:{}", a.0),
            Self::Person(p) => format!("person:{}", p.0),
        }
    }

    /// Reads a key back.
    pub fn parse(key: &str) -> Option<Self> {
        let (kind, id) = key.split_once(':')?;
        let id = Uuid::parse_str(id).ok()?;
        match kind {
            "account" => Some(Self::Account(AccountId(id))),
            "person" => Some(Self::Person(PersonId(id))),
            _ => None,
        }
    }

    /// The person, when the attendee is one.
    pub fn person(self) -> Option<PersonId> {
        match self {
            Self::Person(p) => Some(p),
            Self::Account(_) => None,
        }
    }
}

/// A sign-up to an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signup {
    /// Id.
    pub id: SignupId,
    /// Prefecture of the event.
    pub prefecture: String,
    /// The event.
    pub event: EventId,
    /// Who takes the seat.
    pub attendee: Attendee,
    /// The name of an account that takes the seat itself, with its agency or company, as it read
    /// when it signed up (a person's name is read from their record, never copied here).
    pub attendee_name: String,
    /// The agency of the staff member who signed a person up, if one did.
    pub agency: Option<AgencyId>,
    /// Who signed up (the attendee, or their supporter).
    pub signed_up_by: AccountId,
    /// When.
    pub signed_up_at: OffsetDateTime,
    /// Where it stands: set by the store when it is written.
    pub status: SignupStatus,
    /// Its place in the order of arrival (from 1): set by the store when it is written.
    pub position: i64,
    /// When a seat came free for it, if it waited for one.
    pub promoted_at: Option<OffsetDateTime>,
    /// When it was cancelled.
    pub cancelled_at: Option<OffsetDateTime>,
    /// The sessions attended, one bit each (bit 0 the first session).
    pub attended: u32,
    /// Raised by every write.
    pub version: i64,
}

impl Signup {
    /// Attended the session at `index`.
    pub fn attended(&self, index: usize) -> bool {
        index < 32 && self.attended & (1 << index) != 0
    }

    /// Attended every one of `sessions` sessions: the course is completed.
    pub fn completed(&self, sessions: usize) -> bool {
        sessions > 0 && (0..sessions).all(|i| self.attended(i))
    }
}

/// Why a sign-up is refused before it is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignupRefusal {
    /// The window has not opened.
    NotYetOpen,
    /// The window has closed.
    Closed,
    /// The event is not for the attendee's audience.
    NotForAudience,
    /// The attendee holds a sign-up already.
    Held,
}

impl SignupRefusal {
    /// The problem's code.
    pub fn code(self) -> &'static str {
        match self {
            Self::NotYetOpen => "signup_not_open",
            Self::Closed => "signup_closed",
            Self::NotForAudience => "signup_not_for_audience",
            Self::Held => "signup_twice",
        }
    }
}

/// Whether `event` takes a sign-up on `today` from an attendee of `audience` (staff may sign up
/// for any event, for themselves or for a person).
pub fn may_sign_up(event: &Event, today: Date, audience: Option<Audience>) -> Result<(), SignupRefusal> {
    match event.window(today) {
        Window::NotYet(_) => return Err(SignupRefusal::NotYetOpen),
        Window::Closed(_) => return Err(SignupRefusal::Closed),
        Window::Open => {}
    }
    match audience {
        Some(a) if !event.is_for(a) => Err(SignupRefusal::NotForAudience),
        _ => Ok(()),
    }
}

/// What a series' events gave in a fiscal year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeriesYear {
    /// Events held (first day come), per office of the organiser (an empty office when it has
    /// none).
    pub runs: BTreeMap<String, i64>,
    /// Attendees who attended at least one session, summed over the events.
    pub participants: i64,
    /// The most seats of one event (規模, 定員).
    pub capacity: i64,
    /// The most sessions of one event (日数).
    pub days: i64,
    /// The organisers.
    pub organisers: BTreeSet<AgencyId>,
}

/// Per series and fiscal year of the first day, what the events held by `today` gave:
/// `attendees` is each event's count of attendees who attended a session, `office` the office
/// an organiser counts under.
pub fn series_years(
    events: &[Event],
    attendees: &BTreeMap<EventId, i64>,
    today: Date,
    office: impl Fn(AgencyId) -> Option<String>,
) -> BTreeMap<(Series, FiscalYear), SeriesYear> {
    let mut out: BTreeMap<(Series, FiscalYear), SeriesYear> = BTreeMap::new();
    for e in events.iter().filter(|e| e.fields.starts_on <= today) {
        let Some(series) = e.fields.series else { continue };
        let y = out.entry((series, FiscalYear::of(e.fields.starts_on))).or_default();
        *y.runs.entry(office(e.organiser).unwrap_or_default()).or_default() += 1;
        y.participants += attendees.get(&e.id).copied().unwrap_or(0);
        y.capacity = y.capacity.max(i64::from(e.fields.capacity));
        y.days = y.days.max(e.fields.sessions.len() as i64);
        y.organisers.insert(e.organiser);
    }
    out
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime, time};

    use super::*;

    const TODAY: Date = date!(2026 - 12 - 07);

    fn input() -> EventInput {
        EventInput {
            event_kind: "staff_training".into(),
            series: "level_up".into(),
            event_title: "就業支援基礎研修（第1回）".into(),
            audience: vec!["staff".into()],
            event_starts_on: "2027-01-12".into(),
            event_ends_on: "2027-01-14".into(),
            session_date: vec!["2027-01-12".into(), "2027-01-13".into(), "2027-01-14".into(), String::new()],
            session_starts: vec!["10:00".into(), "10:00".into(), "9:30".into(), String::new()],
            session_ends: vec!["16:00".into(), "16:00".into(), "16:30".into(), String::new()],
            session_place: vec![
                "都庁第一本庁舎".into(),
                "都庁第一本庁舎".into(),
                "https://meet.example.jp/x".into(),
                "".into(),
            ],
            event_capacity: "70".into(),
            opens_on: "2026-12-01".into(),
            closes_on: "2027-01-05".into(),
            curriculum: "障害者雇用の現状と障害者雇用施策：障害者雇用促進法の概要\n労働関係法規の基礎知識".into(),
            ..EventInput::default()
        }
    }

    fn codes(p: &Problems) -> Vec<(&'static str, &'static str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    #[test]
    fn an_event_reads_back_with_its_sessions_and_curriculum() {
        let fields = input().validate(TODAY).expect("valid");
        assert_eq!(fields.sessions.len(), 3, "the blank row is skipped");
        assert_eq!(fields.sessions[2].starts_at, time!(09:30));
        assert!(fields.sessions[2].is_online());
        assert_eq!(fields.curriculum[0].title, "障害者雇用の現状と障害者雇用施策");
        assert_eq!(fields.curriculum[1].description, "");
        assert_eq!(EventInput::of(&fields).validate(TODAY).unwrap(), fields);
    }

    #[test]
    fn bad_events_say_what_is_wrong_row_by_row() {
        let mut bad = input();
        bad.session_date[1] = "2027-02-01".into();
        bad.session_ends[2] = "09:00".into();
        bad.event_capacity = "0".into();
        bad.closes_on = "2027-01-20".into();
        bad.audience = vec![];
        assert_eq!(
            codes(&bad.validate(TODAY).unwrap_err()),
            vec![
                ("audience", "choose_one"),
                ("session_2", "session_outside_event"),
                ("session_3", "session_ends_before_start"),
                ("event_capacity", "capacity_range"),
                ("closes_on", "closes_after_event"),
            ]
        );
        let none = EventInput {
            session_date: vec![],
            session_starts: vec![],
            session_ends: vec![],
            session_place: vec![],
            ..input()
        };
        assert_eq!(codes(&none.validate(TODAY).unwrap_err()), vec![("session_1", "session_required")]);
        let mut overlap = input();
        overlap.session_date[1] = "2027-01-12".into();
        overlap.session_starts[1] = "15:00".into();
        overlap.session_ends[1] = "17:00".into();
        assert_eq!(codes(&overlap.validate(TODAY).unwrap_err()), vec![("session_1", "sessions_overlap")]);
        let mut link = input();
        link.session_place[0] = "https://bad link".into();
        assert_eq!(codes(&link.validate(TODAY).unwrap_err()), vec![("session_1", "invalid_link")]);
        let early = EventInput { council_minutes: "議事録".into(), ..input() };
        assert_eq!(codes(&early.validate(TODAY).unwrap_err()), vec![("council_minutes", "minutes_before_meeting")]);
        let held = EventInput { council_minutes: "議事録".into(), ..input() };
        assert!(held.validate(date!(2027 - 01 - 12)).is_ok(), "minutes are written from the first day on");
    }

    fn event(fields: EventFields) -> Event {
        Event {
            id: EventId(Uuid::from_u128(1)),
            prefecture: "13".into(),
            organiser: AgencyId(Uuid::from_u128(2)),
            fields,
            written_by: AccountId(Uuid::from_u128(3)),
            version: 1,
            updated_at: datetime!(2026-12-01 09:00 UTC),
        }
    }

    #[test]
    fn sign_ups_are_taken_in_the_window_and_for_the_audience() {
        let e = event(input().validate(TODAY).unwrap());
        assert_eq!(may_sign_up(&e, date!(2026 - 11 - 30), None), Err(SignupRefusal::NotYetOpen));
        assert_eq!(may_sign_up(&e, date!(2026 - 12 - 01), None), Ok(()));
        assert_eq!(may_sign_up(&e, date!(2027 - 01 - 05), Some(Audience::Staff)), Ok(()));
        assert_eq!(may_sign_up(&e, date!(2027 - 01 - 06), None), Err(SignupRefusal::Closed));
        assert_eq!(may_sign_up(&e, date!(2026 - 12 - 07), Some(Audience::Persons)), Err(SignupRefusal::NotForAudience));
    }

    #[test]
    fn attendee_keys_read_back_and_completion_needs_every_session() {
        let a = Attendee::Person(PersonId(Uuid::from_u128(9)));
        assert_eq!(Attendee::parse(&a.key()), Some(a));
        assert_eq!(Attendee::parse("robot:1"), None);
        let s = Signup {
            id: SignupId(Uuid::from_u128(1)),
            prefecture: "13".into(),
            event: EventId(Uuid::from_u128(1)),
            attendee: a,
            attendee_name: String::new(),
            agency: None,
            signed_up_by: AccountId(Uuid::from_u128(3)),
            signed_up_at: datetime!(2026-12-01 09:00 UTC),
            status: SignupStatus::Confirmed,
            position: 1,
            promoted_at: None,
            cancelled_at: None,
            attended: 0b011,
            version: 1,
        };
        assert!(s.completed(2));
        assert!(!s.completed(3));
        assert!(!s.completed(0));
    }

    #[test]
    fn series_years_count_runs_by_office_and_the_largest_course() {
        let mut a = event(input().validate(TODAY).unwrap());
        let mut b = a.clone();
        b.id = EventId(Uuid::from_u128(5));
        b.organiser = AgencyId(Uuid::from_u128(6));
        b.fields.capacity = 90;
        b.fields.sessions.truncate(2);
        let mut later = a.clone();
        later.id = EventId(Uuid::from_u128(7));
        later.fields.starts_on = date!(2027 - 06 - 01);
        a.fields.series = Some(Series::LevelUp);
        let attendees = BTreeMap::from([(a.id, 60), (b.id, 80), (later.id, 5)]);
        let office = |agency: AgencyId| (agency.0 == Uuid::from_u128(6)).then(|| "支所".to_owned());
        let years = series_years(&[a, b, later], &attendees, date!(2027 - 02 - 01), office);
        assert_eq!(years.len(), 1, "the June event has not been held");
        let y = &years[&(Series::LevelUp, FiscalYear(2026))];
        assert_eq!(y.runs, BTreeMap::from([(String::new(), 1), ("支所".to_owned(), 1)]));
        assert_eq!((y.participants, y.capacity, y.days, y.organisers.len()), (140, 90, 3, 2));
    }
}
