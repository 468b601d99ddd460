//! 就労支援のためのアセスメントシート: filled in together by the person and the supporter, each in
//! their own words on the same items, side by side. Its three sheets are Ⅰ 就労に関する希望・ニーズ,
//! Ⅱ 就労のための基本的事項 and Ⅲ 就労継続のための環境; the items are data
//! (`data/assessment_sheet_items.csv`, see `data/README.md`), most of them provisional.
//!
//! The person's answers are theirs: only the person writes them, from their own pages; the
//! supporter writes the supporter's. A sheet is personal data of the person.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::person::PersonId;
use crate::validation::{AnswerCodes, Problems, answers_by_item};

const ITEMS_CSV: &str = include_str!("../data/assessment_sheet_items.csv");

/// One of the three sheets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sheet {
    /// Its numeral (I, II, III).
    pub code: &'static str,
    /// Its title as published.
    pub title: &'static str,
}

/// The three sheets, in order.
pub const SHEETS: [Sheet; 3] = [
    Sheet { code: "I", title: "就労に関する希望・ニーズ" },
    Sheet { code: "II", title: "就労のための基本的事項" },
    Sheet { code: "III", title: "就労継続のための環境" },
];

/// An item both the person and the supporter answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Its sheet's numeral.
    pub sheet: &'static str,
    /// Its domain (領域).
    pub domain: &'static str,
    /// The domain's name was found in a published source.
    pub domain_verified: bool,
    /// Its code, also the name of its answers.
    pub code: &'static str,
    /// Its wording.
    pub text: &'static str,
    /// Its wording in やさしい日本語, readings marked 《》.
    pub easy: &'static str,
    /// The wording was found in a published source.
    pub verified: bool,
}

/// The items, in order.
pub fn items() -> &'static [Item] {
    static ITEMS: LazyLock<Vec<Item>> = LazyLock::new(|| {
        crate::shipped::rows(ITEMS_CSV)
            .filter_map(|mut c| {
                Some(Item {
                    sheet: c.next()?,
                    domain: c.next()?,
                    domain_verified: c.next()? == "true",
                    code: c.next()?,
                    text: c.next()?,
                    easy: c.next()?,
                    verified: c.next()? == "true",
                })
            })
            .collect()
    });
    &ITEMS
}

/// The item with this code.
pub fn item(code: &str) -> Option<&'static Item> {
    items().iter().find(|i| i.code == code)
}

/// A sheet's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct AssessmentId(pub uuid::Uuid);

/// What a sheet holds: the day it was begun and each side's answers, by item code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssessmentFields {
    /// The day it was begun.
    pub started_on: Date,
    /// The person's own answers.
    pub person: BTreeMap<String, String>,
    /// The supporter's answers.
    pub supporter: BTreeMap<String, String>,
    /// When the person last wrote theirs.
    pub person_answered_at: Option<OffsetDateTime>,
}

/// A sheet: personal data of the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    /// Id.
    pub id: AssessmentId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// The person.
    pub person: PersonId,
    /// The agency whose staff fill it in with the person.
    pub agency: AgencyId,
    /// What it holds.
    pub fields: AssessmentFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

/// The longest answer.
pub const ANSWER_MAX: u32 = 400;

/// One side's answers as typed, by item code: each item of the sheet at most [`ANSWER_MAX`]
/// characters without control characters; empty answers left out. A problem is reported on the
/// item's code; an answer to an item the sheet does not have is refused.
pub fn check_answers(typed: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, Problems> {
    let codes = AnswerCodes {
        unknown: "assessment_unknown_item",
        too_long: "assessment_answer_too_long",
        control: "assessment_answer_control",
    };
    answers_by_item(typed, items().iter().map(|i| i.code), ANSWER_MAX, codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_sheets_with_the_published_domains_of_the_second() {
        for sheet in SHEETS {
            assert!(items().iter().any(|i| i.sheet == sheet.code), "{} has items", sheet.code);
        }
        let second: Vec<&str> = items().iter().filter(|i| i.sheet == "II").map(|i| i.domain).collect();
        assert_eq!(second, ["作業遂行", "作業遂行", "職業生活", "対人関係"]);
        assert!(items().iter().filter(|i| i.sheet == "II").all(|i| i.domain_verified && i.verified));
        assert!(items().iter().all(|i| !i.easy.is_empty()));
    }

    #[test]
    fn answers_are_kept_by_item_and_checked() {
        let typed = BTreeMap::from([("I-2".to_owned(), " 事務の仕事 ".to_owned()), ("I-3".to_owned(), String::new())]);
        assert_eq!(check_answers(&typed).unwrap(), BTreeMap::from([("I-2".to_owned(), "事務の仕事".to_owned())]));
        let bad = BTreeMap::from([("I-1".to_owned(), "あ".repeat(401)), ("X-9".to_owned(), "?".to_owned())]);
        let codes: Vec<_> = check_answers(&bad).unwrap_err().iter().map(|p| (p.field, p.code)).collect();
        assert_eq!(codes, [("answers", "assessment_unknown_item"), ("I-1", "assessment_answer_too_long")]);
    }
}
