//! The network directory (行動1): blocks, municipalities and agencies, and the rules for an
//! agency's fields.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use unicode_normalization::UnicodeNormalization;
use uuid::Uuid;

use crate::codes::LocalGovCode;
use crate::text::{is_kana_reading, search_key};
use crate::validation::{Problems, text_field};

/// A block (ブロック/圏域) code such as `johoku`; blocks are editable master data.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BlockCode(pub String);

/// One of the areas the network is organised in, each with one 障害者就業・生活支援センター.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    /// Stable code used in URLs and files.
    pub code: BlockCode,
    /// Japanese name (城北).
    pub name_ja: String,
    /// English name (Johoku).
    pub name_en: String,
    /// Display order.
    pub position: i32,
}

/// 特別区, 市, 町 or 村.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MunicipalityKind {
    /// 特別区
    SpecialWard,
    /// 市
    City,
    /// 町
    Town,
    /// 村
    Village,
}

impl MunicipalityKind {
    /// Every kind.
    pub const ALL: [Self; 4] = [Self::SpecialWard, Self::City, Self::Town, Self::Village];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::SpecialWard => "special_ward",
            Self::City => "city",
            Self::Town => "town",
            Self::Village => "village",
        }
    }

    /// Parses a stable code or the Japanese word.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == raw).or(match raw {
            "特別区" => Some(Self::SpecialWard),
            "市" => Some(Self::City),
            "町" => Some(Self::Town),
            "村" => Some(Self::Village),
            _ => None,
        })
    }
}

/// A 区市町村, keyed by its 全国地方公共団体コード.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Municipality {
    /// 全国地方公共団体コード.
    pub code: LocalGovCode,
    /// Name (千代田区).
    pub name: String,
    /// Reading in hiragana.
    pub name_kana: String,
    /// 特別区 / 市 / 町 / 村.
    pub kind: MunicipalityKind,
    /// The block it belongs to.
    pub block: BlockCode,
    /// True while the block assignment is the provisional default rather than an official list.
    pub block_provisional: bool,
    /// Runs a 区市町村障害者就労支援センター.
    pub runs_support_centre: bool,
    /// Has a 地域開拓促進コーディネーター.
    pub has_development_coordinator: bool,
}

/// The kinds of agency in the network (SPEC §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyKind {
    /// 東京労働局
    LabourBureau,
    /// ハローワーク
    HelloWork,
    /// 障害者就業・生活支援センター
    EmploymentLifeSupportCentre,
    /// 区市町村障害者就労支援センター
    MunicipalSupportCentre,
    /// 東京障害者職業センター (本所/支所)
    VocationalCentre,
    /// 特別支援学校
    SpecialNeedsSchool,
    /// 職業能力開発校/センター
    VocationalTrainingSchool,
    /// 福祉施設
    WelfareFacility,
    /// 医療機関
    MedicalInstitution,
    /// 精神保健福祉センター
    MentalHealthCentre,
    /// 東京しごと財団
    ShigotoFoundation,
    /// 東京都
    MetropolitanGovernment,
    /// 東京都教育委員会
    BoardOfEducation,
    /// 商工機関
    CommerceBody,
}

impl AgencyKind {
    /// Every kind, in the order the directory lists them.
    pub const ALL: [Self; 14] = [
        Self::LabourBureau,
        Self::HelloWork,
        Self::EmploymentLifeSupportCentre,
        Self::MunicipalSupportCentre,
        Self::VocationalCentre,
        Self::SpecialNeedsSchool,
        Self::VocationalTrainingSchool,
        Self::WelfareFacility,
        Self::MedicalInstitution,
        Self::MentalHealthCentre,
        Self::ShigotoFoundation,
        Self::MetropolitanGovernment,
        Self::BoardOfEducation,
        Self::CommerceBody,
    ];

    /// The stable code used in storage, URLs, files and the API.
    pub fn code(self) -> &'static str {
        match self {
            Self::LabourBureau => "labour_bureau",
            Self::HelloWork => "hello_work",
            Self::EmploymentLifeSupportCentre => "employment_life_support_centre",
            Self::MunicipalSupportCentre => "municipal_support_centre",
            Self::VocationalCentre => "vocational_centre",
            Self::SpecialNeedsSchool => "special_needs_school",
            Self::VocationalTrainingSchool => "vocational_training_school",
            Self::WelfareFacility => "welfare_facility",
            Self::MedicalInstitution => "medical_institution",
            Self::MentalHealthCentre => "mental_health_centre",
            Self::ShigotoFoundation => "shigoto_foundation",
            Self::MetropolitanGovernment => "metropolitan_government",
            Self::BoardOfEducation => "board_of_education",
            Self::CommerceBody => "commerce_body",
        }
    }

    /// The Japanese name, as agencies write it in their own spreadsheets.
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::LabourBureau => "東京労働局",
            Self::HelloWork => "ハローワーク",
            Self::EmploymentLifeSupportCentre => "障害者就業・生活支援センター",
            Self::MunicipalSupportCentre => "区市町村障害者就労支援センター",
            Self::VocationalCentre => "東京障害者職業センター",
            Self::SpecialNeedsSchool => "特別支援学校",
            Self::VocationalTrainingSchool => "職業能力開発校",
            Self::WelfareFacility => "福祉施設",
            Self::MedicalInstitution => "医療機関",
            Self::MentalHealthCentre => "精神保健福祉センター",
            Self::ShigotoFoundation => "東京しごと財団",
            Self::MetropolitanGovernment => "東京都",
            Self::BoardOfEducation => "東京都教育委員会",
            Self::CommerceBody => "商工機関",
        }
    }

    /// Parses a stable code or the Japanese name (imports accept either).
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        Self::ALL.into_iter().find(|k| k.code() == raw || k.name_ja() == raw)
    }
}

/// The service a 福祉施設 provides under the 障害者総合支援法.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WelfareService {
    /// 就労移行支援
    TransitionSupport,
    /// 就労継続支援A型
    ContinuousSupportA,
    /// 就労継続支援B型
    ContinuousSupportB,
    /// 就労定着支援
    RetentionSupport,
}

impl WelfareService {
    /// Every service.
    pub const ALL: [Self; 4] =
        [Self::TransitionSupport, Self::ContinuousSupportA, Self::ContinuousSupportB, Self::RetentionSupport];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::TransitionSupport => "transition_support",
            Self::ContinuousSupportA => "continuous_support_a",
            Self::ContinuousSupportB => "continuous_support_b",
            Self::RetentionSupport => "retention_support",
        }
    }

    /// The Japanese name.
    pub fn name_ja(self) -> &'static str {
        match self {
            Self::TransitionSupport => "就労移行支援",
            Self::ContinuousSupportA => "就労継続支援A型",
            Self::ContinuousSupportB => "就労継続支援B型",
            Self::RetentionSupport => "就労定着支援",
        }
    }

    /// Parses a stable code or the Japanese name (NFKC, so ｱ型/Ａ型 both work).
    pub fn parse(raw: &str) -> Option<Self> {
        let folded: String = raw.trim().nfkc().collect();
        Self::ALL.into_iter().find(|s| s.code() == folded || s.name_ja() == folded)
    }
}

/// An agency's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AgencyId(pub Uuid);

/// An agency of the network, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agency {
    /// Id.
    pub id: AgencyId,
    /// Prefecture code (13 for Tokyo): every record carries the key it can be partitioned by.
    pub prefecture: String,
    /// The fields people edit.
    pub fields: AgencyFields,
    /// Incremented on every change; an edit names the version it started from.
    pub version: i64,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// The validated, editable fields of an agency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgencyFields {
    /// Kind.
    pub kind: AgencyKind,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_kana: String,
    /// Municipality it is in (none for metropolitan-wide bodies).
    pub municipality: Option<LocalGovCode>,
    /// Block it serves when it has no municipality; otherwise its municipality's block applies.
    pub block: Option<BlockCode>,
    /// 〒 in NNN-NNNN form.
    pub postal_code: Option<String>,
    /// Address.
    pub address: Option<String>,
    /// Phone, digits and hyphens.
    pub phone: Option<String>,
    /// FAX, digits and hyphens (many agencies still take referrals and forms by FAX).
    pub fax: Option<String>,
    /// E-mail.
    pub email: Option<String>,
    /// Web site (http or https only).
    pub website: Option<String>,
    /// Opening hours as the agency states them (「平日 9:00–17:00（土日祝休み）」).
    pub opening_hours: Option<String>,
    /// Services, for a 福祉施設.
    pub services: Vec<WelfareService>,
    /// Departments (学科), for a 特別支援学校.
    pub departments: Vec<String>,
    /// Free notes.
    pub notes: Option<String>,
}

impl AgencyFields {
    /// The folded text the directory search matches against.
    pub fn search_key(&self) -> String {
        let mut key = search_key(&self.name);
        key.push('\u{1f}');
        key.push_str(&search_key(&self.name_kana));
        if let Some(address) = &self.address {
            key.push('\u{1f}');
            key.push_str(&search_key(address));
        }
        key
    }
}

/// An agency as typed into a form, a CSV row or a JSON body: nothing checked yet.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AgencyInput {
    /// Kind code or Japanese name.
    pub kind: String,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_kana: String,
    /// 全国地方公共団体コード, or empty.
    pub municipality_code: String,
    /// Block code, or empty.
    pub block_code: String,
    /// Postal code.
    pub postal_code: String,
    /// Address.
    pub address: String,
    /// Phone.
    pub phone: String,
    /// FAX.
    pub fax: String,
    /// E-mail.
    pub email: String,
    /// Web site.
    pub website: String,
    /// Opening hours.
    pub opening_hours: String,
    /// Service codes or names.
    pub services: Vec<String>,
    /// Departments, one per entry.
    pub departments: Vec<String>,
    /// Notes.
    pub notes: String,
}

/// What validation must know about the rest of the directory.
pub trait DirectoryReferences {
    /// The municipality with this code, if the directory has it.
    fn municipality(&self, code: &LocalGovCode) -> Option<&Municipality>;
    /// True when a block with this code exists.
    fn has_block(&self, code: &str) -> bool;
}

/// Field length limits, in characters.
pub mod limits {
    /// Name.
    pub const NAME: u32 = 100;
    /// Reading.
    pub const NAME_KANA: u32 = 200;
    /// Address.
    pub const ADDRESS: u32 = 200;
    /// E-mail.
    pub const EMAIL: u32 = 254;
    /// Web site.
    pub const WEBSITE: u32 = 500;
    /// Opening hours.
    pub const OPENING_HOURS: u32 = 200;
    /// One department name.
    pub const DEPARTMENT: u32 = 50;
    /// How many departments.
    pub const DEPARTMENTS: u32 = 20;
    /// Notes.
    pub const NOTES: u32 = 2000;
}

impl AgencyInput {
    /// Checks every field and returns either the validated fields or every problem found.
    pub fn validate(&self, refs: &dyn DirectoryReferences) -> Result<AgencyFields, Problems> {
        let mut p = Problems::new();
        let kind = match self.kind.trim() {
            "" => {
                p.add("kind", "required");
                None
            }
            raw => {
                let kind = AgencyKind::parse(raw);
                if kind.is_none() {
                    p.add("kind", "unknown_kind");
                }
                kind
            }
        };
        let name = text_field(&mut p, "name", &self.name, limits::NAME, true);
        let name_kana = text_field(&mut p, "name_kana", &self.name_kana, limits::NAME_KANA, true);
        if name_kana.as_deref().is_some_and(|kana| !is_kana_reading(kana)) {
            p.add("name_kana", "not_kana");
        }
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
        let block = match self.block_code.trim() {
            "" => None,
            raw if !refs.has_block(raw) => {
                p.add("block_code", "unknown_block");
                None
            }
            raw => Some(BlockCode(raw.to_owned())),
        };
        // The block follows the municipality: a stored block beside a municipality would go stale
        // the day the municipality is moved to another block.
        let block = match (&municipality, block) {
            (Some(code), Some(block)) => {
                if refs.municipality(code).is_some_and(|m| m.block != block) {
                    p.add("block_code", "block_mismatch");
                }
                None
            }
            (_, block) => block,
        };
        let postal_code = postal_code(&mut p, &self.postal_code);
        let address = text_field(&mut p, "address", &self.address, limits::ADDRESS, false);
        let phone = phone(&mut p, &self.phone);
        let fax = phone_in(&mut p, "fax", &self.fax);
        let email = email(&mut p, &self.email);
        let website = website(&mut p, &self.website);
        let opening_hours = text_field(&mut p, "opening_hours", &self.opening_hours, limits::OPENING_HOURS, false);
        let mut services = Vec::new();
        for raw in self.services.iter().flat_map(|s| s.split(['、', ',', ';', '/'])) {
            if raw.trim().is_empty() {
                continue;
            }
            match WelfareService::parse(raw) {
                Some(s) if !services.contains(&s) => services.push(s),
                Some(_) => {}
                None => p.add("services", "unknown_service"),
            }
        }
        if !services.is_empty() && kind.is_some_and(|k| k != AgencyKind::WelfareFacility) {
            p.add("services", "services_only_for_welfare_facilities");
        }
        let mut departments = Vec::new();
        for raw in self.departments.iter().flat_map(|s| s.split(['、', ',', '\n'])) {
            if let Some(d) = text_field(&mut p, "departments", raw, limits::DEPARTMENT, false)
                && !departments.contains(&d)
            {
                departments.push(d);
            }
        }
        if departments.len() > limits::DEPARTMENTS as usize {
            p.push(crate::Problem { field: "departments", code: "too_many", limit: Some(limits::DEPARTMENTS) });
        }
        if !departments.is_empty() && kind.is_some_and(|k| k != AgencyKind::SpecialNeedsSchool) {
            p.add("departments", "departments_only_for_schools");
        }
        let notes = text_field(&mut p, "notes", &self.notes, limits::NOTES, false);
        match (kind, name, name_kana) {
            (Some(kind), Some(name), Some(name_kana)) if p.is_empty() => Ok(AgencyFields {
                kind,
                name,
                name_kana,
                municipality,
                block,
                postal_code,
                address,
                phone,
                fax,
                email,
                website,
                opening_hours,
                services,
                departments,
                notes,
            }),
            _ => Err(p),
        }
    }

    /// Each field's name and value as text (lists joined with 、), in form order: what edit
    /// conflicts and the audit log compare.
    pub fn field_texts(&self) -> [(&'static str, String); 15] {
        [
            ("kind", self.kind.clone()),
            ("name", self.name.clone()),
            ("name_kana", self.name_kana.clone()),
            ("municipality_code", self.municipality_code.clone()),
            ("block_code", self.block_code.clone()),
            ("postal_code", self.postal_code.clone()),
            ("address", self.address.clone()),
            ("phone", self.phone.clone()),
            ("fax", self.fax.clone()),
            ("email", self.email.clone()),
            ("website", self.website.clone()),
            ("opening_hours", self.opening_hours.clone()),
            ("services", self.services.join("、")),
            ("departments", self.departments.join("、")),
            ("notes", self.notes.clone()),
        ]
    }

    /// The input that reproduces `fields` (for edit forms and exports).
    pub fn from_fields(fields: &AgencyFields) -> Self {
        Self {
            kind: fields.kind.code().to_owned(),
            name: fields.name.clone(),
            name_kana: fields.name_kana.clone(),
            municipality_code: fields.municipality.as_ref().map(|m| m.to_string()).unwrap_or_default(),
            block_code: fields.block.as_ref().map(|b| b.0.clone()).unwrap_or_default(),
            postal_code: fields.postal_code.clone().unwrap_or_default(),
            address: fields.address.clone().unwrap_or_default(),
            phone: fields.phone.clone().unwrap_or_default(),
            fax: fields.fax.clone().unwrap_or_default(),
            email: fields.email.clone().unwrap_or_default(),
            website: fields.website.clone().unwrap_or_default(),
            opening_hours: fields.opening_hours.clone().unwrap_or_default(),
            services: fields.services.iter().map(|s| s.code().to_owned()).collect(),
            departments: fields.departments.clone(),
            notes: fields.notes.clone().unwrap_or_default(),
        }
    }
}

fn folded_digits(raw: &str) -> String {
    raw.trim().nfkc().collect()
}

/// 〒NNN-NNNN; seven digits with or without the hyphen (full width too).
fn postal_code(p: &mut Problems, raw: &str) -> Option<String> {
    let s = folded_digits(raw);
    let s = s.trim_start_matches('〒');
    if s.is_empty() {
        return None;
    }
    let digits: String = s.chars().filter(|c| *c != '-').collect();
    let shape_ok = s.chars().all(|c| c.is_ascii_digit() || c == '-') && s.matches('-').count() <= 1;
    if !shape_ok || digits.len() != 7 || (s.contains('-') && s.find('-') != Some(3)) {
        p.add("postal_code", "postal_code_format");
        return None;
    }
    Some(format!("{}-{}", &digits[..3], &digits[3..]))
}

/// A Japanese phone number: 10 or 11 digits starting with 0, hyphens allowed.
pub(crate) fn phone(p: &mut Problems, raw: &str) -> Option<String> {
    phone_in(p, "phone", raw)
}

/// A phone or FAX number in field `field`: 10 or 11 digits from 0, hyphens kept.
pub(crate) fn phone_in(p: &mut Problems, field: &'static str, raw: &str) -> Option<String> {
    let s: String = folded_digits(raw).replace(['(', ')'], "-");
    if s.is_empty() {
        return None;
    }
    let digits: String = s.chars().filter(char::is_ascii_digit).collect();
    if !s.chars().all(|c| c.is_ascii_digit() || c == '-')
        || !(10..=11).contains(&digits.len())
        || !digits.starts_with('0')
    {
        p.add(field, "phone_format");
        return None;
    }
    Some(s.trim_matches('-').to_owned())
}

pub(crate) fn email(p: &mut Problems, raw: &str) -> Option<String> {
    email_in(p, "email", raw)
}

/// An e-mail address in field `field`: ASCII, one @, a dot in the domain.
pub(crate) fn email_in(p: &mut Problems, field: &'static str, raw: &str) -> Option<String> {
    let s = text_field(p, field, raw, limits::EMAIL, false)?;
    let ok = match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !domain.contains('@')
                && s.is_ascii()
                && !s.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if ok {
        Some(s)
    } else {
        p.add(field, "email_format");
        None
    }
}

fn website(p: &mut Problems, raw: &str) -> Option<String> {
    let s = text_field(p, "website", raw, limits::WEBSITE, false)?;
    match url::Url::parse(&s) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty()) => {
            Some(u.to_string())
        }
        Ok(u) if !matches!(u.scheme(), "http" | "https") => {
            p.add("website", "url_scheme");
            None
        }
        _ => {
            p.add("website", "url_format");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Refs(Vec<Municipality>);
    impl DirectoryReferences for Refs {
        fn municipality(&self, code: &LocalGovCode) -> Option<&Municipality> {
            self.0.iter().find(|m| &m.code == code)
        }
        fn has_block(&self, code: &str) -> bool {
            ["johoku", "joto"].contains(&code)
        }
    }

    fn refs() -> Refs {
        Refs(vec![Municipality {
            code: LocalGovCode::parse("131016").unwrap(),
            name: "千代田区".into(),
            name_kana: "ちよだく".into(),
            kind: MunicipalityKind::SpecialWard,
            block: BlockCode("johoku".into()),
            block_provisional: true,
            runs_support_centre: true,
            has_development_coordinator: false,
        }])
    }

    fn valid() -> AgencyInput {
        AgencyInput {
            kind: "hello_work".into(),
            name: "ハローワーク飯田橋".into(),
            name_kana: "はろーわーくいいだばし".into(),
            municipality_code: "131016".into(),
            ..Default::default()
        }
    }

    /// Applies `change` to a valid input and returns the (field, code) pairs it produces.
    fn check(change: impl FnOnce(&mut AgencyInput), expected: &[(&str, &str)]) {
        let mut input = valid();
        change(&mut input);
        let got: Vec<(&str, &str)> = match input.validate(&refs()) {
            Ok(_) => vec![],
            Err(p) => p.iter().map(|p| (p.field, p.code)).collect(),
        };
        assert_eq!(got, expected, "{input:?}");
    }

    #[test]
    fn a_complete_agency_is_valid_and_normalised() {
        let mut input = valid();
        input.postal_code = "１０２８６０９".into();
        input.phone = "０３（３２６２）８６０９".into();
        input.website = "https://jsite.mhlw.go.jp/tokyo-hellowork/".into();
        let fields = input.validate(&refs()).unwrap();
        assert_eq!(fields.postal_code.as_deref(), Some("102-8609"));
        assert_eq!(fields.phone.as_deref(), Some("03-3262-8609"));
        assert_eq!(fields.kind, AgencyKind::HelloWork);
    }

    #[test]
    fn each_bad_field_is_named_with_its_rule() {
        check(|i| i.kind = "".into(), &[("kind", "required")]);
        check(|i| i.kind = "bank".into(), &[("kind", "unknown_kind")]);
        check(|i| i.kind = "ハローワーク".into(), &[]);
        check(|i| i.name = " ".into(), &[("name", "required")]);
        check(|i| i.name = "あ".repeat(101), &[("name", "too_long")]);
        check(|i| i.name_kana = "飯田橋".into(), &[("name_kana", "not_kana")]);
        check(|i| i.municipality_code = "131017".into(), &[("municipality_code", "check_digit")]);
        check(|i| i.municipality_code = "13101".into(), &[("municipality_code", "digits_format")]);
        check(|i| i.municipality_code = "131024".into(), &[("municipality_code", "unknown_municipality")]);
        check(|i| i.block_code = "joto".into(), &[("block_code", "block_mismatch")]);
        check(|i| i.block_code = "mars".into(), &[("block_code", "unknown_block")]);
        check(|i| i.postal_code = "102-86099".into(), &[("postal_code", "postal_code_format")]);
        check(|i| i.phone = "3262-8609".into(), &[("phone", "phone_format")]);
        check(|i| i.fax = "FAX 3262".into(), &[("fax", "phone_format")]);
        check(|i| i.fax = "０３（３２６２）８６１０".into(), &[]);
        check(|i| i.opening_hours = "あ".repeat(201), &[("opening_hours", "too_long")]);
        check(|i| i.email = "info@example".into(), &[("email", "email_format")]);
        check(|i| i.website = "javascript:alert(1)".into(), &[("website", "url_scheme")]);
        check(|i| i.website = "ftp://example.jp/".into(), &[("website", "url_scheme")]);
        check(|i| i.website = "not a url".into(), &[("website", "url_format")]);
        check(|i| i.services = vec!["就労移行支援".into()], &[("services", "services_only_for_welfare_facilities")]);
        check(|i| i.departments = vec!["就業技術科".into()], &[("departments", "departments_only_for_schools")]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let input = AgencyInput { website: "file:///etc/passwd".into(), ..Default::default() };
        let codes: Vec<_> = input.validate(&refs()).unwrap_err().iter().map(|p| p.code).collect();
        assert_eq!(codes, ["required", "required", "required", "url_scheme"]);
    }

    #[test]
    fn welfare_services_parse_from_codes_and_names() {
        let mut input = valid();
        input.kind = "福祉施設".into();
        input.services = vec!["就労移行支援、就労継続支援Ｂ型".into(), "retention_support".into()];
        let fields = input.validate(&refs()).unwrap();
        assert_eq!(
            fields.services,
            [WelfareService::TransitionSupport, WelfareService::ContinuousSupportB, WelfareService::RetentionSupport]
        );
    }

    #[test]
    fn an_agency_without_municipality_keeps_its_block() {
        let mut input = valid();
        input.municipality_code = String::new();
        input.block_code = "joto".into();
        assert_eq!(input.validate(&refs()).unwrap().block, Some(BlockCode("joto".into())));
    }

    #[test]
    fn from_fields_round_trips() {
        let mut input = valid();
        input.kind = "special_needs_school".into();
        input.departments = vec!["就業技術科".into(), "職能開発科".into()];
        let fields = input.validate(&refs()).unwrap();
        assert_eq!(AgencyInput::from_fields(&fields).validate(&refs()).unwrap(), fields);
    }
}

/// A directory of one municipality (千代田区, 131016, in the block `chuo`), for the forms' tests.
#[cfg(test)]
pub(crate) mod one_municipality {
    use super::{BlockCode, DirectoryReferences, Municipality, MunicipalityKind};
    use crate::codes::LocalGovCode;

    /// The directory.
    pub(crate) struct Refs(Vec<Municipality>);

    impl DirectoryReferences for Refs {
        fn municipality(&self, code: &LocalGovCode) -> Option<&Municipality> {
            self.0.iter().find(|m| &m.code == code)
        }
        fn has_block(&self, _: &str) -> bool {
            false
        }
    }

    /// 千代田区 alone.
    pub(crate) fn refs() -> Refs {
        Refs(vec![Municipality {
            code: LocalGovCode::parse("131016").expect("a valid code"),
            name: "千代田区".into(),
            name_kana: "ちよだく".into(),
            kind: MunicipalityKind::SpecialWard,
            block: BlockCode("chuo".into()),
            block_provisional: false,
            runs_support_centre: true,
            has_development_coordinator: false,
        }])
    }
}
