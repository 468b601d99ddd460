//! Consent, in one place: what a consent is and covers (purposes, data categories, to whom,
//! for how long), when it is in force, how it was given, the provision records (第三者提供記録)
//! made on its strength, and the form as typed, checked into the parts of a [`Consent`].
//!
//! Consent comes first: nothing about a person is stored before the person has agreed, to whom,
//! for what and for which data. A consent that covers health facts must say so itself.

use serde::Serialize;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::directory::BlockCode;
use crate::employer::EmployerId;

use crate::Problems;
use crate::directory::AgencyId;
use crate::person::{PersonFields, PersonId, date_field};
use crate::validation::text_field;

/// A consent's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct ConsentId(pub Uuid);

/// The kinds of personal data, as consents name them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataCategory {
    /// 氏名・連絡先などの基本情報
    Basic,
    /// 支援記録・就労の経過
    Support,
    /// 障害・手帳 (要配慮個人情報)
    Disability,
    /// 健康・医療 (要配慮個人情報; needs its own consent)
    Health,
    /// アセスメント
    Assessment,
}

/// Why data is used, as consents name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// 就労支援の実施
    Support,
    /// 他機関への紹介・引継ぎ
    Referral,
    /// 職業紹介・採用選考
    Placement,
    /// 職場定着支援
    Retention,
}

/// Who a consent lets see the data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Recipient {
    /// One agency.
    Agency(AgencyId),
    /// Every agency of a block.
    Block(BlockCode),
    /// One employer.
    Employer(EmployerId),
}

impl Recipient {
    /// `(kind, id)` as stored: `agency`/`block`/`employer` and the id or code.
    pub fn parts(&self) -> (&'static str, String) {
        match self {
            Recipient::Agency(a) => ("agency", a.0.to_string()),
            Recipient::Block(b) => ("block", b.0.clone()),
            Recipient::Employer(e) => ("employer", e.0.to_string()),
        }
    }

    /// The inverse of [`Recipient::parts`].
    pub fn from_parts(kind: &str, id: &str) -> Option<Self> {
        match kind {
            "agency" => Uuid::parse_str(id).ok().map(|u| Recipient::Agency(AgencyId(u))),
            "block" => Some(Recipient::Block(BlockCode(id.to_owned()))),
            "employer" => Uuid::parse_str(id).ok().map(|u| Recipient::Employer(EmployerId(u))),
            _ => None,
        }
    }
}

/// A consent as the ledger holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Consent {
    /// Id.
    pub id: ConsentId,
    /// Whose data.
    pub person: PersonId,
    /// Who may see it.
    pub recipient: Recipient,
    /// For what.
    pub purposes: Vec<Purpose>,
    /// Which data.
    pub categories: Vec<DataCategory>,
    /// First day it applies (Asia/Tokyo date).
    pub valid_from: Date,
    /// Last day it applies, if it ends.
    pub valid_to: Option<Date>,
    /// When the person withdrew it; it stops counting from the next request.
    pub revoked_at: Option<OffsetDateTime>,
}

impl Consent {
    /// True when the consent is in force at `now` (`today` being its Tokyo date).
    pub fn in_force(&self, now: OffsetDateTime, today: Date) -> bool {
        self.revoked_at.is_none_or(|r| r > now)
            && self.valid_from <= today
            && self.valid_to.is_none_or(|to| today <= to)
    }
}

/// How a consent was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// A signed paper form, scanned.
    PaperForm,
    /// Given orally, recorded by the supporter (with who witnessed it in the note).
    Verbal,
    /// Given by the person in their own account.
    OwnAccount,
}

impl Evidence {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::PaperForm, Self::Verbal, Self::OwnAccount];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::PaperForm => "paper_form",
            Self::Verbal => "verbal",
            Self::OwnAccount => "own_account",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == raw)
    }
}

/// A consent as recorded: the consent itself and how and by whom it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentRecord {
    /// Prefecture of the person: the key personal records are partitioned by.
    pub prefecture: String,
    /// The consent.
    pub consent: Consent,
    /// How it was given.
    pub evidence: Evidence,
    /// Where the paper form is filed, who witnessed, … (free text).
    pub evidence_note: String,
    /// Who recorded it.
    pub recorded_by: crate::account::AccountId,
    /// When.
    pub recorded_at: OffsetDateTime,
}

/// A provision to a third party (第三者提供記録): data about a person crossed to another agency or
/// an employer, on the strength of a consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provision {
    /// Prefecture of the person.
    pub prefecture: String,
    /// Id.
    pub id: Uuid,
    /// When.
    pub at: OffsetDateTime,
    /// Whose data.
    pub person: PersonId,
    /// Who received it.
    pub recipient: Recipient,
    /// Which items (data categories or field names).
    pub items: Vec<String>,
    /// The consent it relied on.
    pub consent: ConsentId,
    /// Who provided it.
    pub provided_by: crate::account::AccountId,
}

macro_rules! codes {
    ($ty:ty { $($variant:ident => $code:literal),* $(,)? }) => {
        impl $ty {
            /// Every value.
            pub const ALL: &'static [Self] = &[$(Self::$variant),*];

            /// The stable code.
            pub fn code(self) -> &'static str {
                match self {
                    $(Self::$variant => $code),*
                }
            }

            /// Parses a stable code.
            pub fn parse(raw: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == raw)
            }
        }
    };
}

codes!(DataCategory {
    Basic => "basic",
    Support => "support",
    Disability => "disability",
    Health => "health",
    Assessment => "assessment",
});

codes!(Purpose {
    Support => "support",
    Referral => "referral",
    Placement => "placement",
    Retention => "retention",
});

/// A consent form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsentInput {
    /// `agency`, `block` or `employer`.
    pub recipient_kind: String,
    /// The agency or employer id, or the block code.
    pub recipient_id: String,
    /// Purpose codes.
    pub purposes: Vec<String>,
    /// Data category codes.
    pub categories: Vec<String>,
    /// First day.
    pub valid_from: String,
    /// Last day, if any.
    pub valid_to: String,
    /// `paper_form`, `verbal` or `own_account`.
    pub evidence: String,
    /// Where the form is filed, who witnessed.
    pub evidence_note: String,
}

/// A checked consent, without the ids the ledger adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentTerms {
    /// Who may see the data.
    pub recipient: Recipient,
    /// For what.
    pub purposes: Vec<Purpose>,
    /// Which data.
    pub categories: Vec<DataCategory>,
    /// First day.
    pub valid_from: Date,
    /// Last day.
    pub valid_to: Option<Date>,
    /// How it was given.
    pub evidence: Evidence,
    /// Note on the evidence.
    pub evidence_note: String,
}

/// Checks a list of codes, each known and none twice, at least one.
fn codes<T: Copy + PartialEq>(
    p: &mut Problems,
    field: &'static str,
    raw: &[String],
    parse: impl Fn(&str) -> Option<T>,
) -> Vec<T> {
    let mut out = Vec::new();
    for code in raw.iter().map(|c| c.trim()).filter(|c| !c.is_empty()) {
        match parse(code) {
            Some(v) if !out.contains(&v) => out.push(v),
            Some(_) => {}
            None => {
                p.add(field, "unknown_code");
                return out;
            }
        }
    }
    if out.is_empty() {
        p.add(field, "required");
    }
    out
}

impl ConsentInput {
    /// Checks the form. `known` answers whether an agency, block or employer exists.
    pub fn validate(&self, known: &dyn Fn(&Recipient) -> bool) -> Result<ConsentTerms, Problems> {
        let mut p = Problems::new();
        let id = self.recipient_id.trim();
        let recipient = match self.recipient_kind.trim() {
            "" => {
                p.add("recipient_kind", "required");
                None
            }
            kind => match Recipient::from_parts(kind, id) {
                _ if id.is_empty() => {
                    p.add("recipient_id", "required");
                    None
                }
                Some(r) if known(&r) => Some(r),
                Some(_) => {
                    p.add("recipient_id", "unknown_recipient");
                    None
                }
                None if ["agency", "block", "employer"].contains(&kind) => {
                    p.add("recipient_id", "unknown_recipient");
                    None
                }
                None => {
                    p.add("recipient_kind", "unknown_code");
                    None
                }
            },
        };
        let purposes = codes(&mut p, "purposes", &self.purposes, Purpose::parse);
        let categories = codes(&mut p, "categories", &self.categories, DataCategory::parse);
        if !categories.is_empty() && !categories.contains(&DataCategory::Basic) {
            p.add("categories", "basic_required");
        }
        let valid_from = date_field(&mut p, "valid_from", &self.valid_from, true);
        let valid_to = date_field(&mut p, "valid_to", &self.valid_to, false);
        if let (Some(from), Some(to)) = (valid_from, valid_to)
            && to < from
        {
            p.add("valid_to", "ends_before_start");
        }
        let evidence = match Evidence::parse(self.evidence.trim()) {
            Some(e) => Some(e),
            None if self.evidence.trim().is_empty() => {
                p.add("evidence", "required");
                None
            }
            None => {
                p.add("evidence", "unknown_code");
                None
            }
        };
        // Paper forms are filed somewhere, and verbal consent has a witness: say which.
        let note_required = matches!(evidence, Some(Evidence::PaperForm | Evidence::Verbal));
        let evidence_note = text_field(&mut p, "evidence_note", &self.evidence_note, 500, note_required);
        match (recipient, valid_from, evidence) {
            (Some(recipient), Some(valid_from), Some(evidence)) if p.is_empty() => Ok(ConsentTerms {
                recipient,
                purposes,
                categories,
                valid_from,
                valid_to,
                evidence,
                evidence_note: evidence_note.unwrap_or_default(),
            }),
            _ => Err(p),
        }
    }

    /// The consent a registration starts with: the registering agency, for support, the basic
    /// data, support records and disability, from `today`.
    pub fn for_registration(agency: AgencyId, today: Date) -> Self {
        Self {
            recipient_kind: "agency".into(),
            recipient_id: agency.0.to_string(),
            purposes: vec![Purpose::Support.code().into()],
            categories: [DataCategory::Basic, DataCategory::Support, DataCategory::Disability]
                .iter()
                .map(|c| c.code().to_owned())
                .collect(),
            valid_from: today.to_string(),
            ..Self::default()
        }
    }
}

/// What a registration needs of the consent it starts with, beyond a valid consent: given by the
/// person to the registrant (not in their own account, which they do not have yet), for support,
/// covering disability data, and health data when the person's health notes are recorded.
/// Problems are named on the form's fields: `evidence`, `purposes`, `consent_categories`,
/// `health_notes`.
pub fn registration_problems(terms: &ConsentTerms, person: Option<&PersonFields>) -> Problems {
    let mut p = Problems::new();
    if terms.evidence == Evidence::OwnAccount {
        p.add("evidence", "own_account_needs_person");
    }
    if !terms.purposes.contains(&Purpose::Support) {
        p.add("purposes", "registration_needs_support");
    }
    if !terms.categories.contains(&DataCategory::Disability) {
        p.add("consent_categories", "registration_needs_disability");
    }
    if person.is_some_and(|f| f.health_notes.is_some()) && !terms.categories.contains(&DataCategory::Health) {
        p.add("health_notes", "health_needs_consent");
    }
    p
}

#[cfg(test)]
mod tests {
    use time::macros::date;
    use uuid::Uuid;

    use super::*;

    fn form() -> ConsentInput {
        ConsentInput {
            evidence: "paper_form".into(),
            evidence_note: "同意書 原本はファイル 2026-11 に保管".into(),
            ..ConsentInput::for_registration(AgencyId(Uuid::from_u128(1)), date!(2026 - 11 - 25))
        }
    }

    fn codes_of(r: Result<ConsentTerms, Problems>) -> Vec<(&'static str, &'static str)> {
        r.err().map(|p| p.iter().map(|p| (p.field, p.code)).collect()).unwrap_or_default()
    }

    #[test]
    fn a_complete_form_gives_the_terms() {
        let terms = form().validate(&|_| true).expect("valid");
        assert_eq!(terms.recipient, Recipient::Agency(AgencyId(Uuid::from_u128(1))));
        assert_eq!(terms.purposes, [Purpose::Support]);
        assert_eq!(terms.categories, [DataCategory::Basic, DataCategory::Support, DataCategory::Disability]);
        assert_eq!(terms.valid_from, date!(2026 - 11 - 25));
        assert_eq!(terms.evidence, Evidence::PaperForm);
    }

    #[test]
    fn every_problem_is_named() {
        let cases: Vec<(ConsentInput, Vec<(&str, &str)>)> = vec![
            (ConsentInput { purposes: vec![], ..form() }, vec![("purposes", "required")]),
            (ConsentInput { categories: vec!["health".into()], ..form() }, vec![("categories", "basic_required")]),
            (
                ConsentInput { categories: vec!["medical_history".into()], ..form() },
                vec![("categories", "unknown_code")],
            ),
            (ConsentInput { valid_to: "2026-11-24".into(), ..form() }, vec![("valid_to", "ends_before_start")]),
            (ConsentInput { valid_from: "2026-02-30".into(), ..form() }, vec![("valid_from", "date_format")]),
            (ConsentInput { evidence: "email".into(), ..form() }, vec![("evidence", "unknown_code")]),
            (
                ConsentInput { evidence: "verbal".into(), evidence_note: " ".into(), ..form() },
                vec![("evidence_note", "required")],
            ),
            (ConsentInput { recipient_kind: "school".into(), ..form() }, vec![("recipient_kind", "unknown_code")]),
            (ConsentInput { recipient_id: "not-a-uuid".into(), ..form() }, vec![("recipient_id", "unknown_recipient")]),
        ];
        for (input, expected) in cases {
            assert_eq!(codes_of(input.validate(&|_| true)), expected, "{input:?}");
        }
        assert_eq!(codes_of(form().validate(&|_| false)), [("recipient_id", "unknown_recipient")]);
        let own = ConsentInput { evidence: "own_account".into(), evidence_note: String::new(), ..form() };
        assert!(own.validate(&|_| true).is_ok(), "consent given in the person's own account needs no note");
    }
}
