//! The person (本人): disability categories, certificates, and what follows from them — 重度 and
//! the quota category a certificate gives (雇用率カウントの区分).
//!
//! These are 要配慮個人情報. This module only states the rules; who may see them is decided by
//! [`crate::access::decide`].

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use unicode_normalization::UnicodeNormalization;

use crate::consent::DataCategory;
use crate::directory::AgencyId;
use crate::text::{is_kana_reading, search_key};
use crate::validation::{Problems, text_field};

/// A person's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct PersonId(pub uuid::Uuid);

/// A disability category; several may apply to one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DisabilityCategory {
    /// 身体障害
    Physical,
    /// 知的障害
    Intellectual,
    /// 精神障害
    Mental,
    /// 発達障害
    Developmental,
    /// 高次脳機能障害
    HigherBrainDysfunction,
    /// 難病
    IntractableDisease,
}

impl DisabilityCategory {
    /// Every category.
    pub const ALL: [Self; 6] = [
        Self::Physical,
        Self::Intellectual,
        Self::Mental,
        Self::Developmental,
        Self::HigherBrainDysfunction,
        Self::IntractableDisease,
    ];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Physical => "physical",
            Self::Intellectual => "intellectual",
            Self::Mental => "mental",
            Self::Developmental => "developmental",
            Self::HigherBrainDysfunction => "higher_brain_dysfunction",
            Self::IntractableDisease => "intractable_disease",
        }
    }

    /// Parses a stable code or the Japanese name.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        Self::ALL.into_iter().find(|c| c.code() == raw).or(match raw {
            "身体" | "身体障害" => Some(Self::Physical),
            "知的" | "知的障害" => Some(Self::Intellectual),
            "精神" | "精神障害" => Some(Self::Mental),
            "発達" | "発達障害" => Some(Self::Developmental),
            "高次脳機能障害" => Some(Self::HigherBrainDysfunction),
            "難病" => Some(Self::IntractableDisease),
            _ => None,
        })
    }
}

/// A disability certificate (障害者手帳) with its grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "grade")]
pub enum Certificate {
    /// 身体障害者手帳, 1級 (most severe) to 7級.
    Physical(u8),
    /// 愛の手帳 (Tokyo's 療育手帳), 1度 (most severe) to 4度.
    AiNoTecho(u8),
    /// 療育手帳 of another prefecture: A (重度) or B.
    Ryoiku(RyoikuGrade),
    /// 精神障害者保健福祉手帳, 1級 to 3級.
    Mental(u8),
}

/// The grade of a 療育手帳 outside Tokyo.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum RyoikuGrade {
    /// A (重度)
    A,
    /// B
    B,
}

impl Certificate {
    /// Every certificate with every grade, in the order forms list them.
    pub fn every() -> impl Iterator<Item = Certificate> {
        (1..=7)
            .map(Certificate::Physical)
            .chain((1..=4).map(Certificate::AiNoTecho))
            .chain([RyoikuGrade::A, RyoikuGrade::B].map(Certificate::Ryoiku))
            .chain((1..=3).map(Certificate::Mental))
    }

    /// The grade is within the certificate's range.
    pub fn is_valid(self) -> bool {
        match self {
            Certificate::Physical(g) => (1..=7).contains(&g),
            Certificate::AiNoTecho(g) => (1..=4).contains(&g),
            Certificate::Ryoiku(_) => true,
            Certificate::Mental(g) => (1..=3).contains(&g),
        }
    }

    /// 重度 as the quota rules use it: 身体障害者手帳 1–2級 (two 3級 disabilities are already
    /// certified as 2級), 愛の手帳 1–2度, 療育手帳 A. The intellectual rule is PROVISIONAL: the
    /// 重度知的 determination can also come from a 判定 by a 障害者職業センター, which is not modelled.
    pub fn is_severe(self) -> bool {
        match self {
            Certificate::Physical(g) => g <= 2,
            Certificate::AiNoTecho(g) => g <= 2,
            Certificate::Ryoiku(grade) => grade == RyoikuGrade::A,
            Certificate::Mental(_) => false,
        }
    }

    /// How a worker holding this certificate is counted for the legal quota.
    pub fn quota_category(self) -> QuotaCategory {
        match self {
            Certificate::Physical(_) if self.is_severe() => QuotaCategory::SeverePhysical,
            Certificate::Physical(_) => QuotaCategory::Physical,
            Certificate::AiNoTecho(_) | Certificate::Ryoiku(_) if self.is_severe() => QuotaCategory::SevereIntellectual,
            Certificate::AiNoTecho(_) | Certificate::Ryoiku(_) => QuotaCategory::Intellectual,
            Certificate::Mental(_) => QuotaCategory::Mental,
        }
    }
}

/// The quota category of a worker (雇用率カウントの区分). Only certificate holders count; how
/// each counts is in [`crate::quota`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuotaCategory {
    /// 重度身体障害者
    SeverePhysical,
    /// 身体障害者 (重度以外)
    Physical,
    /// 重度知的障害者
    SevereIntellectual,
    /// 知的障害者 (重度以外)
    Intellectual,
    /// 精神障害者
    Mental,
}

pub use crate::calendar::parse_date;

/// Checks an optional or required date field, adding `required` or `date_format`.
pub fn date_field(problems: &mut Problems, field: &'static str, raw: &str, required: bool) -> Option<Date> {
    if raw.trim().is_empty() {
        if required {
            problems.add(field, "required");
        }
        return None;
    }
    let parsed = parse_date(raw);
    if parsed.is_none() {
        problems.add(field, "date_format");
    }
    parsed
}

/// The earliest date a record of what happened may carry (a support record, a stage change):
/// older ones are typing mistakes (0001-01-01), not history.
pub const EARLIEST_RECORD_DATE: Date = time::macros::date!(2000 - 01 - 01);

/// How many years ahead a planned date (a next action, a review) may lie.
pub const MAX_YEARS_AHEAD: u32 = 2;

/// The youngest age, in years, at which a person is registered: the working age.
pub const MIN_AGE_YEARS: u32 = 15;

/// `years` years after `date` (29 February falls back to the 28th).
pub fn years_after(date: Date, years: i32) -> Date {
    let year = date.year() + years;
    date.replace_year(year).or_else(|_| Date::from_calendar_date(year, date.month(), 28)).unwrap_or(date)
}

/// A date of what happened: not in the future, not before [`EARLIEST_RECORD_DATE`].
pub fn past_date(problems: &mut Problems, field: &'static str, raw: &str, today: Date) -> Option<Date> {
    match date_field(problems, field, raw, true) {
        Some(d) if d > today => {
            problems.add(field, "date_in_future");
            None
        }
        Some(d) if d < EARLIEST_RECORD_DATE => {
            problems.push(crate::Problem { field, code: "date_too_early", limit: Some(2000) });
            None
        }
        other => other,
    }
}

/// A planned date, when given: at most [`MAX_YEARS_AHEAD`] years after `today`.
pub fn planned_date(
    problems: &mut Problems,
    field: &'static str,
    raw: &str,
    today: Date,
    required: bool,
) -> Option<Date> {
    match date_field(problems, field, raw, required) {
        Some(d) if d > years_after(today, MAX_YEARS_AHEAD as i32) => {
            problems.push(crate::Problem { field, code: "date_too_far", limit: Some(MAX_YEARS_AHEAD) });
            None
        }
        other => other,
    }
}

/// Parses a birth date (see [`parse_date`]); impossible dates, dates before 1900 and dates less
/// than [`MIN_AGE_YEARS`] years ago are refused.
pub fn birth_date(problems: &mut Problems, raw: &str, today: Date) -> Option<Date> {
    match date_field(problems, "birth_date", raw, true) {
        Some(d) if d > years_after(today, -(MIN_AGE_YEARS as i32)) || d.year() < 1900 => {
            problems.add("birth_date", "birth_date_range");
            None
        }
        other => other,
    }
}

/// A person's reading: kana (with the long-vowel mark, the middle dot and spaces) and nothing
/// else — unlike an agency's, which may spell "NPO".
fn is_person_reading(text: &str) -> bool {
    is_kana_reading(text) && text.nfkc().any(|c| !c.is_whitespace()) && !text.nfkc().any(|c| c.is_ascii_alphanumeric())
}

/// Checks a person's name and reading (required; the reading in kana).
pub fn names(problems: &mut Problems, name: &str, name_kana: &str) -> Option<(String, String)> {
    let name = text_field(problems, "name", name, 100, true);
    let kana = text_field(problems, "name_kana", name_kana, 200, true);
    if kana.as_deref().is_some_and(|k| !is_person_reading(k)) {
        problems.add("name_kana", "not_kana");
        return None;
    }
    Some((name?, kana?))
}

/// Certificate kinds as forms and files name them: `physical`, `ai_no_techo`, `ryoiku`, `mental`.
impl Certificate {
    /// `kind:grade`, e.g. `physical:2`, `ai_no_techo:3`, `ryoiku:A`, `mental:1`.
    pub fn code(self) -> String {
        match self {
            Certificate::Physical(g) => format!("physical:{g}"),
            Certificate::AiNoTecho(g) => format!("ai_no_techo:{g}"),
            Certificate::Ryoiku(RyoikuGrade::A) => "ryoiku:A".to_owned(),
            Certificate::Ryoiku(RyoikuGrade::B) => "ryoiku:B".to_owned(),
            Certificate::Mental(g) => format!("mental:{g}"),
        }
    }

    /// Parses [`Certificate::code`]; grades out of range are refused.
    pub fn parse(raw: &str) -> Option<Self> {
        let folded: String = raw.trim().nfkc().collect();
        let (kind, grade) = folded.split_once(':')?;
        let number = || grade.parse::<u8>().ok();
        let certificate = match kind {
            "physical" => Certificate::Physical(number()?),
            "ai_no_techo" => Certificate::AiNoTecho(number()?),
            "ryoiku" => Certificate::Ryoiku(match grade {
                "A" | "a" => RyoikuGrade::A,
                "B" | "b" => RyoikuGrade::B,
                _ => return None,
            }),
            "mental" => Certificate::Mental(number()?),
            _ => return None,
        };
        certificate.is_valid().then_some(certificate)
    }

    /// Parses a certificate as agencies' spreadsheets write it: [`Certificate::code`], or the
    /// certificate's name (or its first word) and the grade, e.g. 身体障害者手帳2級, 身体 2級,
    /// 愛の手帳３度, 療育手帳A (A1/A2 and B1/B2 count as A and B), 精神障害者保健福祉手帳 1級.
    pub fn parse_label(raw: &str) -> Option<Self> {
        if let Some(certificate) = Self::parse(raw) {
            return Some(certificate);
        }
        let folded: String = raw.nfkc().filter(|c| !c.is_whitespace()).collect();
        // Longest names first, so that 身体障害者手帳 is not read as 身体 + "障害者手帳…".
        const NAMES: [(&str, &str); 7] = [
            ("身体障害者手帳", "physical"),
            ("精神障害者保健福祉手帳", "mental"),
            ("愛の手帳", "ai_no_techo"),
            ("療育手帳", "ryoiku"),
            ("身体", "physical"),
            ("精神", "mental"),
            ("療育", "ryoiku"),
        ];
        let (kind, grade) = NAMES.iter().find_map(|(name, kind)| folded.strip_prefix(name).map(|g| (*kind, g)))?;
        let grade = grade.trim_end_matches(['級', '度']);
        let grade = if kind == "ryoiku" { grade.get(..1)? } else { grade };
        Self::parse(&format!("{kind}:{grade}"))
    }

    /// The disability categories this certificate is issued for.
    fn fits(self, categories: &[DisabilityCategory]) -> bool {
        use DisabilityCategory::*;
        let fitting: &[DisabilityCategory] = match self {
            Certificate::Physical(_) => &[Physical, IntractableDisease],
            Certificate::AiNoTecho(_) | Certificate::Ryoiku(_) => &[Intellectual],
            Certificate::Mental(_) => &[Mental, Developmental, HigherBrainDysfunction],
        };
        categories.iter().any(|c| fitting.contains(c))
    }
}

/// Length limits of a person's fields, in characters.
pub mod limits {
    /// Name.
    pub const NAME: u32 = 100;
    /// Address.
    pub const ADDRESS: u32 = 200;
    /// 合理的配慮 and other long notes.
    pub const NOTE: u32 = 4000;
    /// Preferred area.
    pub const AREA: u32 = 200;
    /// Emergency contact (who, and who they are to the person).
    pub const EMERGENCY_CONTACT: u32 = 100;
}

/// A person's registration or edit form, as typed (forms, the JSON API, import rows).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonInput {
    /// 氏名.
    pub name: String,
    /// ふりがな.
    pub name_kana: String,
    /// 生年月日.
    pub birth_date: String,
    /// Phone.
    pub phone: String,
    /// E-mail.
    pub email: String,
    /// Address.
    pub address: String,
    /// Disability category codes or Japanese names.
    pub categories: Vec<String>,
    /// Certificates as [`Certificate::code`]s; empty strings are ignored (a form's "none").
    pub certificates: Vec<String>,
    /// 合理的配慮: the accommodations the person needs at work.
    pub accommodations: String,
    /// Health and medical notes (通院, 服薬, 主治医の意見): a data category of its own.
    pub health_notes: String,
    /// Preferred weekly hours.
    pub preferred_hours: String,
    /// Preferred area (municipalities, lines, stations).
    pub preferred_area: String,
    /// Whom to call in an emergency, and who they are to the person (母 山田花子).
    pub emergency_contact: String,
    /// Their phone.
    pub emergency_phone: String,
}

/// A person's validated fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonFields {
    /// 氏名.
    pub name: String,
    /// ふりがな.
    pub name_kana: String,
    /// 生年月日.
    pub birth_date: Date,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Disability categories, in [`DisabilityCategory::ALL`] order, without repeats.
    pub categories: Vec<DisabilityCategory>,
    /// Certificates held.
    pub certificates: Vec<Certificate>,
    /// 合理的配慮.
    pub accommodations: Option<String>,
    /// Health and medical notes.
    pub health_notes: Option<String>,
    /// Preferred weekly hours (1–60).
    pub preferred_hours: Option<u8>,
    /// Preferred area.
    pub preferred_area: Option<String>,
    /// Whom to call in an emergency, and who they are to the person.
    pub emergency_contact: Option<String>,
    /// Their phone.
    pub emergency_phone: Option<String>,
}

impl PersonInput {
    /// Checks every field; returns every problem at once.
    pub fn validate(&self, today: Date) -> Result<PersonFields, Problems> {
        let mut p = Problems::new();
        let names = names(&mut p, &self.name, &self.name_kana);
        let birth_date = birth_date(&mut p, &self.birth_date, today);
        let phone = crate::directory::phone(&mut p, &self.phone);
        let email = crate::directory::email(&mut p, &self.email);
        let address = text_field(&mut p, "address", &self.address, limits::ADDRESS, false);
        let mut categories = Vec::new();
        for raw in self.categories.iter().filter(|c| !c.trim().is_empty()) {
            match DisabilityCategory::parse(raw) {
                Some(c) if !categories.contains(&c) => categories.push(c),
                Some(_) => {}
                None => p.add("categories", "unknown_category"),
            }
        }
        categories.sort_by_key(|c| DisabilityCategory::ALL.iter().position(|a| a == c));
        if categories.is_empty() && p.for_field("categories").is_none() {
            p.add("categories", "required");
        }
        let mut certificates = Vec::new();
        for raw in self.certificates.iter().filter(|c| !c.trim().is_empty()) {
            match Certificate::parse(raw) {
                Some(c) if !c.fits(&categories) && !categories.is_empty() => {
                    p.add("certificates", "certificate_category_mismatch")
                }
                Some(c) if certificates.iter().any(|h: &Certificate| h.system() == c.system()) => {
                    p.add("certificates", "certificate_twice")
                }
                Some(c) => certificates.push(c),
                None => p.add("certificates", "unknown_certificate"),
            }
        }
        let accommodations = text_field(&mut p, "accommodations", &self.accommodations, limits::NOTE, false);
        let health_notes = text_field(&mut p, "health_notes", &self.health_notes, limits::NOTE, false);
        let preferred_hours = match self.preferred_hours.trim().nfkc().collect::<String>().as_str() {
            "" => None,
            raw => match raw.parse::<u8>() {
                Ok(h @ 1..=60) => Some(h),
                _ => {
                    p.push(crate::Problem { field: "preferred_hours", code: "hours_range", limit: Some(60) });
                    None
                }
            },
        };
        let preferred_area = text_field(&mut p, "preferred_area", &self.preferred_area, limits::AREA, false);
        let emergency_contact =
            text_field(&mut p, "emergency_contact", &self.emergency_contact, limits::EMERGENCY_CONTACT, false);
        let emergency_phone = crate::directory::phone_in(&mut p, "emergency_phone", &self.emergency_phone);
        if emergency_phone.is_some() && emergency_contact.is_none() && p.for_field("emergency_contact").is_none() {
            p.add("emergency_contact", "required_with_phone");
        }
        match (names, birth_date) {
            (Some((name, name_kana)), Some(birth_date)) if p.is_empty() => Ok(PersonFields {
                name,
                name_kana,
                birth_date,
                phone,
                email,
                address,
                categories,
                certificates,
                accommodations,
                health_notes,
                preferred_hours,
                preferred_area,
                emergency_contact,
                emergency_phone,
            }),
            _ => Err(p),
        }
    }

    /// The form for editing `fields`.
    pub fn from_fields(f: &PersonFields) -> Self {
        Self {
            name: f.name.clone(),
            name_kana: f.name_kana.clone(),
            birth_date: f.birth_date.to_string(),
            phone: f.phone.clone().unwrap_or_default(),
            email: f.email.clone().unwrap_or_default(),
            address: f.address.clone().unwrap_or_default(),
            categories: f.categories.iter().map(|c| c.code().to_owned()).collect(),
            certificates: f.certificates.iter().map(|c| c.code()).collect(),
            accommodations: f.accommodations.clone().unwrap_or_default(),
            health_notes: f.health_notes.clone().unwrap_or_default(),
            preferred_hours: f.preferred_hours.map(|h| h.to_string()).unwrap_or_default(),
            preferred_area: f.preferred_area.clone().unwrap_or_default(),
            emergency_contact: f.emergency_contact.clone().unwrap_or_default(),
            emergency_phone: f.emergency_phone.clone().unwrap_or_default(),
        }
    }
}

impl Certificate {
    /// Which of the three certificate systems this belongs to (a person holds at most one of each).
    fn system(self) -> u8 {
        match self {
            Certificate::Physical(_) => 0,
            Certificate::AiNoTecho(_) | Certificate::Ryoiku(_) => 1,
            Certificate::Mental(_) => 2,
        }
    }
}

/// Which data category each field of a person belongs to: what a consent must name for the field
/// to be shown or changed.
pub const FIELD_CATEGORIES: [(&str, DataCategory); 14] = [
    ("name", DataCategory::Basic),
    ("name_kana", DataCategory::Basic),
    ("birth_date", DataCategory::Basic),
    ("phone", DataCategory::Basic),
    ("email", DataCategory::Basic),
    ("address", DataCategory::Basic),
    ("preferred_hours", DataCategory::Basic),
    ("preferred_area", DataCategory::Basic),
    ("emergency_contact", DataCategory::Basic),
    ("emergency_phone", DataCategory::Basic),
    ("categories", DataCategory::Disability),
    ("certificates", DataCategory::Disability),
    ("accommodations", DataCategory::Disability),
    ("health_notes", DataCategory::Health),
];

/// The fields of `category`.
pub fn fields_of(category: DataCategory) -> impl Iterator<Item = &'static str> {
    FIELD_CATEGORIES.iter().filter(move |(_, c)| *c == category).map(|(f, _)| *f)
}

/// A person as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Person {
    /// Id.
    pub id: PersonId,
    /// Prefecture: the key personal records are partitioned by.
    pub prefecture: String,
    /// The fields.
    pub fields: PersonFields,
    /// The agency that registered the person.
    pub registered_by: AgencyId,
    /// Starts at 1; each edit adds one.
    pub version: i64,
    /// Registered at.
    pub created_at: OffsetDateTime,
    /// Last changed at.
    pub updated_at: OffsetDateTime,
}

/// The key under which possible duplicates meet: the folded reading and the birth date. Two
/// registrations with the same key are probably one person.
pub fn duplicate_key(name_kana: &str, birth_date: Date) -> String {
    format!("{}|{birth_date}", search_key(name_kana))
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn severity_follows_the_certificate() {
        let cases = [
            (Certificate::Physical(1), true, QuotaCategory::SeverePhysical),
            (Certificate::Physical(2), true, QuotaCategory::SeverePhysical),
            (Certificate::Physical(3), false, QuotaCategory::Physical),
            (Certificate::AiNoTecho(2), true, QuotaCategory::SevereIntellectual),
            (Certificate::AiNoTecho(3), false, QuotaCategory::Intellectual),
            (Certificate::Ryoiku(RyoikuGrade::A), true, QuotaCategory::SevereIntellectual),
            (Certificate::Ryoiku(RyoikuGrade::B), false, QuotaCategory::Intellectual),
            (Certificate::Mental(1), false, QuotaCategory::Mental),
        ];
        for (certificate, severe, category) in cases {
            assert_eq!((certificate.is_severe(), certificate.quota_category()), (severe, category), "{certificate:?}");
        }
        assert!(!Certificate::Physical(8).is_valid());
        assert!(!Certificate::AiNoTecho(0).is_valid());
        assert!(!Certificate::Mental(4).is_valid());
    }

    #[test]
    fn birth_dates_must_exist_and_be_plausible() {
        let today = date!(2026 - 11 - 25);
        let check = |raw: &str| {
            let mut p = Problems::new();
            let d = birth_date(&mut p, raw, today);
            (d, p.iter().map(|p| p.code).collect::<Vec<_>>())
        };
        assert_eq!(check("2001-04-02"), (Some(date!(2001 - 04 - 02)), vec![]));
        assert_eq!(check("２００１／４／２"), (Some(date!(2001 - 04 - 02)), vec![]));
        assert_eq!(check("2001-02-29"), (None, vec!["date_format"]));
        assert_eq!(check("2027-01-01"), (None, vec!["birth_date_range"]));
        assert_eq!(check("1899-12-31"), (None, vec!["birth_date_range"]));
        assert_eq!(check("平成13年"), (None, vec!["date_format"]));
        assert_eq!(check(""), (None, vec!["required"]));
    }

    #[test]
    fn every_certificate_is_valid_and_reads_back_from_its_code() {
        let every: Vec<Certificate> = Certificate::every().collect();
        assert_eq!(every.len(), 16);
        for c in every {
            assert!(c.is_valid(), "{c:?}");
            assert_eq!(Certificate::parse(&c.code()), Some(c));
        }
    }

    #[test]
    fn certificates_read_as_spreadsheets_write_them() {
        let cases = [
            ("physical:2", Some(Certificate::Physical(2))),
            ("身体障害者手帳2級", Some(Certificate::Physical(2))),
            ("身体 ４級", Some(Certificate::Physical(4))),
            ("愛の手帳３度", Some(Certificate::AiNoTecho(3))),
            ("療育手帳A", Some(Certificate::Ryoiku(RyoikuGrade::A))),
            ("療育手帳 B2", Some(Certificate::Ryoiku(RyoikuGrade::B))),
            ("精神障害者保健福祉手帳 1級", Some(Certificate::Mental(1))),
            ("精神3級", Some(Certificate::Mental(3))),
            ("精神4級", None),
            ("身体障害者手帳", None),
            ("運転免許", None),
        ];
        for (raw, expected) in cases {
            assert_eq!(Certificate::parse_label(raw), expected, "{raw}");
        }
    }

    #[test]
    fn names_need_a_kana_reading() {
        let mut p = Problems::new();
        assert_eq!(names(&mut p, "山田 太郎", "やまだ たろう"), Some(("山田 太郎".into(), "やまだ たろう".into())));
        assert_eq!(names(&mut p, "山田 太郎", "山田"), None);
        assert_eq!(p.iter().map(|p| p.code).collect::<Vec<_>>(), ["not_kana"]);
        assert_eq!(DisabilityCategory::parse("精神"), Some(DisabilityCategory::Mental));
        assert_eq!(
            DisabilityCategory::parse("higher_brain_dysfunction"),
            Some(DisabilityCategory::HigherBrainDysfunction)
        );
        assert_eq!(DisabilityCategory::parse("色覚"), None);
    }
}
