//! Employers (企業): identified by 法人番号, with the facts the quota rules need, the people to
//! call there, and the agencies that developed or support them (開拓).

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::account::AccountId;
use crate::codes::{CodeError, CorporateNumber, LocalGovCode};
use crate::directory::{AgencyId, DirectoryReferences, email_in, phone_in};
use crate::text::{is_kana_reading, search_key};
use crate::validation::{Problem, Problems, text_field};

/// An employer's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EmployerId(pub Uuid);

/// A person to call at an employer: the hiring contact (採用担当) or the one at the workplace
/// (現場担当) a job coach works with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Contact {
    /// Name, with the department if given (人事部 山田).
    pub name: String,
    /// Phone.
    pub phone: Option<String>,
    /// E-mail.
    pub email: Option<String>,
}

/// What an employer's form sets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmployerFields {
    /// 法人番号.
    pub corporate_number: CorporateNumber,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_kana: String,
    /// 日本標準産業分類 major division letter (A–T).
    pub industry: char,
    /// Number of regular workers (常用労働者数), for the quota.
    pub regular_workers: u32,
    /// 特例子会社.
    pub special_subsidiary: bool,
    /// Takes interns (実習受入可能): what 3-1 of the program counts.
    pub accepts_interns: bool,
    /// Where it is.
    pub municipality: Option<LocalGovCode>,
    /// Address.
    pub address: Option<String>,
    /// 採用担当.
    pub hiring_contact: Option<Contact>,
    /// 現場担当.
    pub workplace_contact: Option<Contact>,
}

impl EmployerFields {
    /// The folded text the employers' search matches: name, reading and 法人番号.
    pub fn search_key(&self) -> String {
        search_key(&format!("{} {} {}", self.name, self.name_kana, self.corporate_number))
    }
}

/// An employer in the network.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Employer {
    /// Id.
    pub id: EmployerId,
    /// Prefecture code of the employer's registration in this network.
    pub prefecture: String,
    /// What its form sets.
    pub fields: EmployerFields,
    /// Raised by every edit.
    pub version: i64,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// An agency that developed or supports an employer (開拓・支援), since when, and who said so.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EmployerLink {
    /// The agency.
    pub agency: AgencyId,
    /// Since.
    pub since: Date,
    /// Recorded by.
    pub recorded_by: AccountId,
}

/// The major divisions (大分類) of 日本標準産業分類, letter and Japanese name.
pub const INDUSTRY_DIVISIONS: [(char, &str); 20] = [
    ('A', "農業、林業"),
    ('B', "漁業"),
    ('C', "鉱業、採石業、砂利採取業"),
    ('D', "建設業"),
    ('E', "製造業"),
    ('F', "電気・ガス・熱供給・水道業"),
    ('G', "情報通信業"),
    ('H', "運輸業、郵便業"),
    ('I', "卸売業、小売業"),
    ('J', "金融業、保険業"),
    ('K', "不動産業、物品賃貸業"),
    ('L', "学術研究、専門・技術サービス業"),
    ('M', "宿泊業、飲食サービス業"),
    ('N', "生活関連サービス業、娯楽業"),
    ('O', "教育、学習支援業"),
    ('P', "医療、福祉"),
    ('Q', "複合サービス事業"),
    ('R', "サービス業（他に分類されないもの）"),
    ('S', "公務（他に分類されるものを除く）"),
    ('T', "分類不能の産業"),
];

/// The Japanese name of an industry division.
pub fn industry_name(letter: char) -> Option<&'static str> {
    INDUSTRY_DIVISIONS.iter().find(|(l, _)| *l == letter).map(|(_, n)| *n)
}

/// Field length limits, in characters.
pub mod limits {
    /// Name.
    pub const NAME: u32 = 100;
    /// Reading.
    pub const NAME_KANA: u32 = 200;
    /// Address.
    pub const ADDRESS: u32 = 200;
    /// A contact's name.
    pub const CONTACT: u32 = 100;
    /// The most regular workers a form takes (the largest employers have a few hundred thousand).
    pub const WORKERS: u32 = 1_000_000;
}

/// An employer's form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EmployerInput {
    /// 法人番号.
    pub corporate_number: String,
    /// Name.
    pub name: String,
    /// Reading.
    pub name_kana: String,
    /// Industry letter.
    pub industry: String,
    /// Regular workers.
    pub regular_workers: String,
    /// 特例子会社.
    pub special_subsidiary: bool,
    /// 実習受入可能.
    pub accepts_interns: bool,
    /// 全国地方公共団体コード, or empty.
    pub municipality_code: String,
    /// Address.
    pub address: String,
    /// 採用担当: name, phone, e-mail.
    pub hiring_name: String,
    /// Phone.
    pub hiring_phone: String,
    /// E-mail.
    pub hiring_email: String,
    /// 現場担当: name, phone, e-mail.
    pub workplace_name: String,
    /// Phone.
    pub workplace_phone: String,
    /// E-mail.
    pub workplace_email: String,
}

/// The problem code for a 法人番号 as typed.
pub fn corporate_number_problem(raw: &str, e: CodeError) -> &'static str {
    match e {
        _ if raw.trim().is_empty() => "required",
        CodeError::Format => "corporate_number_format",
        CodeError::CheckDigit => "check_digit",
    }
}

/// One contact's three fields: a phone or e-mail without a name is refused (whom to ask for?).
fn contact(p: &mut Problems, fields: [&'static str; 3], raw: [&str; 3]) -> Option<Contact> {
    let [name_field, phone_field, email_field] = fields;
    let name = text_field(p, name_field, raw[0], limits::CONTACT, false);
    let phone = phone_in(p, phone_field, raw[1]);
    let email = email_in(p, email_field, raw[2]);
    match name {
        Some(name) => Some(Contact { name, phone, email }),
        None => {
            if !raw[1].trim().is_empty() || !raw[2].trim().is_empty() {
                p.add(name_field, "contact_needs_name");
            }
            None
        }
    }
}

impl EmployerInput {
    /// Checks every field and returns either the validated fields or every problem found.
    pub fn validate(&self, refs: &dyn DirectoryReferences) -> Result<EmployerFields, Problems> {
        let mut p = Problems::new();
        let corporate_number = CorporateNumber::parse(&self.corporate_number)
            .map_err(|e| p.add("corporate_number", corporate_number_problem(&self.corporate_number, e)))
            .ok();
        let name = text_field(&mut p, "name", &self.name, limits::NAME, true);
        let name_kana = text_field(&mut p, "name_kana", &self.name_kana, limits::NAME_KANA, true);
        if name_kana.as_deref().is_some_and(|kana| !is_kana_reading(kana)) {
            p.add("name_kana", "not_kana");
        }
        let industry = match self.industry.trim() {
            "" => {
                p.add("industry", "required");
                None
            }
            raw => {
                let letter = raw.chars().next().filter(|_| raw.chars().count() == 1).map(|c| c.to_ascii_uppercase());
                let known = letter.filter(|l| industry_name(*l).is_some());
                if known.is_none() {
                    p.add("industry", "unknown_industry");
                }
                known
            }
        };
        let workers_text: String = unicode_normalization::UnicodeNormalization::nfkc(self.regular_workers.trim())
            .filter(|c| *c != ',')
            .collect();
        let regular_workers = match workers_text.as_str() {
            "" => {
                p.add("regular_workers", "required");
                None
            }
            raw => match raw.parse::<u32>() {
                Ok(n) if n <= limits::WORKERS => Some(n),
                Ok(_) => {
                    p.push(Problem { field: "regular_workers", code: "too_large", limit: Some(limits::WORKERS) });
                    None
                }
                Err(_) => {
                    p.add("regular_workers", "not_a_number");
                    None
                }
            },
        };
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
        let address = text_field(&mut p, "address", &self.address, limits::ADDRESS, false);
        let hiring_contact = contact(
            &mut p,
            ["hiring_name", "hiring_phone", "hiring_email"],
            [&self.hiring_name, &self.hiring_phone, &self.hiring_email],
        );
        let workplace_contact = contact(
            &mut p,
            ["workplace_name", "workplace_phone", "workplace_email"],
            [&self.workplace_name, &self.workplace_phone, &self.workplace_email],
        );
        match (corporate_number, name, name_kana, industry, regular_workers) {
            (Some(corporate_number), Some(name), Some(name_kana), Some(industry), Some(regular_workers))
                if p.is_empty() =>
            {
                Ok(EmployerFields {
                    corporate_number,
                    name,
                    name_kana,
                    industry,
                    regular_workers,
                    special_subsidiary: self.special_subsidiary,
                    accepts_interns: self.accepts_interns,
                    municipality,
                    address,
                    hiring_contact,
                    workplace_contact,
                })
            }
            _ => Err(p),
        }
    }

    /// The input that reproduces `fields` (for edit forms).
    pub fn from_fields(fields: &EmployerFields) -> Self {
        let part = |c: &Option<Contact>| {
            c.as_ref().map_or_else(Default::default, |c| {
                (c.name.clone(), c.phone.clone().unwrap_or_default(), c.email.clone().unwrap_or_default())
            })
        };
        let (hiring_name, hiring_phone, hiring_email) = part(&fields.hiring_contact);
        let (workplace_name, workplace_phone, workplace_email) = part(&fields.workplace_contact);
        Self {
            corporate_number: fields.corporate_number.to_string(),
            name: fields.name.clone(),
            name_kana: fields.name_kana.clone(),
            industry: fields.industry.to_string(),
            regular_workers: fields.regular_workers.to_string(),
            special_subsidiary: fields.special_subsidiary,
            accepts_interns: fields.accepts_interns,
            municipality_code: fields.municipality.as_ref().map(ToString::to_string).unwrap_or_default(),
            address: fields.address.clone().unwrap_or_default(),
            hiring_name,
            hiring_phone,
            hiring_email,
            workplace_name,
            workplace_phone,
            workplace_email,
        }
    }
}

impl EmployerInput {
    /// Each field's name and value as text, in form order: what edit conflicts and the audit log
    /// compare.
    pub fn field_texts(&self) -> [(&'static str, String); 15] {
        let flag = |b: bool| if b { "1".to_owned() } else { String::new() };
        [
            ("corporate_number", self.corporate_number.clone()),
            ("name", self.name.clone()),
            ("name_kana", self.name_kana.clone()),
            ("industry", self.industry.clone()),
            ("regular_workers", self.regular_workers.clone()),
            ("special_subsidiary", flag(self.special_subsidiary)),
            ("accepts_interns", flag(self.accepts_interns)),
            ("municipality_code", self.municipality_code.clone()),
            ("address", self.address.clone()),
            ("hiring_name", self.hiring_name.clone()),
            ("hiring_phone", self.hiring_phone.clone()),
            ("hiring_email", self.hiring_email.clone()),
            ("workplace_name", self.workplace_name.clone()),
            ("workplace_phone", self.workplace_phone.clone()),
            ("workplace_email", self.workplace_email.clone()),
        ]
    }
}

/// The names of the fields that differ between two versions of an employer (what an edit's
/// audit entry names).
pub fn changed_fields(before: &EmployerFields, after: &EmployerFields) -> Vec<String> {
    let before = EmployerInput::from_fields(before).field_texts();
    let after = EmployerInput::from_fields(after).field_texts();
    before.iter().zip(after.iter()).filter(|(a, b)| a.1 != b.1).map(|(a, _)| a.0.to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::directory::one_municipality::refs;

    fn input() -> EmployerInput {
        EmployerInput {
            corporate_number: "7000012050002".into(),
            name: "株式会社つなぐ".into(),
            name_kana: "カブシキガイシャツナグ".into(),
            industry: "e".into(),
            regular_workers: "１，２００".into(),
            municipality_code: "131016".into(),
            hiring_name: "人事部 山田".into(),
            hiring_phone: "03-0000-1234".into(),
            ..EmployerInput::default()
        }
    }

    #[test]
    fn a_form_as_offices_type_it_is_read() {
        let fields = input().validate(&refs()).unwrap();
        assert_eq!(fields.industry, 'E');
        assert_eq!(fields.regular_workers, 1200);
        assert_eq!(fields.hiring_contact.as_ref().map(|c| c.phone.as_deref()), Some(Some("03-0000-1234")));
        assert_eq!(fields.workplace_contact, None);
        assert_eq!(EmployerInput::from_fields(&fields).validate(&refs()).unwrap(), fields);
        assert!(fields.search_key().contains("かぶしきがいしゃつなぐ"));
    }

    #[test]
    fn every_problem_is_named_at_once() {
        let bad = EmployerInput {
            corporate_number: "7000012050003".into(),
            name: String::new(),
            name_kana: "株式会社".into(),
            industry: "Z".into(),
            regular_workers: "many".into(),
            municipality_code: "131024".into(),
            workplace_phone: "03-0000-1234".into(),
            hiring_name: "山田".into(),
            hiring_email: "yamada@".into(),
            ..EmployerInput::default()
        };
        let problems = bad.validate(&refs()).unwrap_err();
        let codes: Vec<(&str, &str)> = problems.iter().map(|p| (p.field, p.code)).collect();
        for expected in [
            ("corporate_number", "check_digit"),
            ("name", "required"),
            ("name_kana", "not_kana"),
            ("industry", "unknown_industry"),
            ("regular_workers", "not_a_number"),
            ("municipality_code", "unknown_municipality"),
            ("hiring_email", "email_format"),
            ("workplace_name", "contact_needs_name"),
        ] {
            assert!(codes.contains(&expected), "{expected:?} missing from {codes:?}");
        }
        let format = EmployerInput { corporate_number: "12345".into(), ..input() };
        let problems = format.validate(&refs()).unwrap_err();
        assert_eq!(problems.for_field("corporate_number").map(|p| p.code), Some("corporate_number_format"));
        let huge = EmployerInput { regular_workers: "2000000".into(), ..input() };
        assert_eq!(huge.validate(&refs()).unwrap_err().for_field("regular_workers").map(|p| p.code), Some("too_large"));
    }

    #[test]
    fn an_edit_names_what_changed() {
        let before = input().validate(&refs()).unwrap();
        let after = EmployerInput { address: "千代田区1-1".into(), hiring_phone: String::new(), ..input() }
            .validate(&refs())
            .unwrap();
        assert_eq!(changed_fields(&before, &after), ["address", "hiring_phone"]);
    }
}
