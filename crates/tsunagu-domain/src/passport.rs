//! 就労パスポート (厚生労働省): the person's own account of how they work best — their work
//! experience, strengths, health and the way they wish to work, communication, how they go about
//! tasks, what they check once in work, and who supports them — written with their supporter and
//! handed over at interviews and internships.
//!
//! Its seven sections are the published ones; the items within them are data
//! (`data/passport_items.csv`, see `data/README.md`), provisional until checked against the
//! official form. The person decides which sections go in: only the person chooses them, and
//! what leaves Tsunagu (the printed page, the export, a passport given) holds those sections only.
//! A passport is personal data of the person; each person has one.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::account::AccountId;
use crate::person::PersonId;
use crate::validation::{AnswerCodes, Problems, answers_by_item};

const ITEMS_CSV: &str = include_str!("../data/passport_items.csv");

/// One of the seven sections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Section {
    /// Its number (1–7).
    pub code: &'static str,
    /// Its title as published.
    pub title: &'static str,
    /// Its title in やさしい日本語, readings marked 《》.
    pub easy: &'static str,
}

/// The seven sections, in the order of the form.
pub const SECTIONS: [Section; 7] = [
    Section { code: "1", title: "職務経験", easy: "仕事《しごと》のけいけん" },
    Section { code: "2", title: "アピールポイント", easy: "わたしのよいところ" },
    Section {
        code: "3", title: "体調管理と希望する働き方", easy: "体の調子《ちょうし》と働《はたら》き方"
    },
    Section { code: "4", title: "コミュニケーション", easy: "話すこと、聞くこと" },
    Section { code: "5", title: "作業遂行", easy: "作業《さぎょう》のしかた" },
    Section {
        code: "6", title: "就職後の自己チェック", easy: "仕事《しごと》をはじめてからのチェック"
    },
    Section { code: "7", title: "支援機関", easy: "相談《そうだん》するところ" },
];

/// The section with this code.
pub fn section(code: &str) -> Option<&'static Section> {
    SECTIONS.iter().find(|s| s.code == code)
}

/// An item of a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Its section's code.
    pub section: &'static str,
    /// Its code, also the name of its answer.
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
                    section: c.next()?,
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

/// A passport's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PassportId(pub uuid::Uuid);

/// What a passport holds: the answers by item code, and the sections the person chose to put in.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassportFields {
    /// The answers, by item code.
    pub answers: BTreeMap<String, String>,
    /// The codes of the sections the person chose to put in.
    pub shown: BTreeSet<String>,
    /// When the person last chose them.
    pub chosen_at: Option<OffsetDateTime>,
}

impl PassportFields {
    /// The answers of the sections the person chose, in the order of the form: what may leave.
    pub fn given(&self) -> Vec<(&'static Section, Vec<(&'static Item, &str)>)> {
        SECTIONS
            .iter()
            .filter(|s| self.shown.contains(s.code))
            .map(|s| {
                let answers = items()
                    .iter()
                    .filter(|i| i.section == s.code)
                    .filter_map(|i| self.answers.get(i.code).map(|a| (i, a.as_str())))
                    .collect();
                (s, answers)
            })
            .collect()
    }
}

/// A passport: personal data of the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passport {
    /// Id.
    pub id: PassportId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// The person.
    pub person: PersonId,
    /// What it holds.
    pub fields: PassportFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

/// The longest answer.
pub const ANSWER_MAX: u32 = 600;

/// Answers as typed, by item code: each at most [`ANSWER_MAX`] characters without control
/// characters; empty answers left out. A problem is reported on the item's code; an answer to an
/// item the passport does not have is refused.
pub fn check_answers(typed: &BTreeMap<String, String>) -> Result<BTreeMap<String, String>, Problems> {
    let codes = AnswerCodes {
        unknown: "passport_unknown_item",
        too_long: "passport_answer_too_long",
        control: "passport_answer_control",
    };
    answers_by_item(typed, items().iter().map(|i| i.code), ANSWER_MAX, codes)
}

/// The sections chosen, as ticked: each a section of the passport.
pub fn check_shown<'a>(ticked: impl IntoIterator<Item = &'a str>) -> Result<BTreeSet<String>, Problems> {
    let mut out = BTreeSet::new();
    for code in ticked {
        match section(code.trim()) {
            Some(s) => {
                out.insert(s.code.to_owned());
            }
            None => {
                let mut p = Problems::new();
                p.add("shown", "passport_unknown_section");
                return Err(p);
            }
        }
    }
    Ok(out)
}

/// The record a provision of the passport names as its items: `passport:<section>` for each
/// section given.
pub fn provision_items(fields: &PassportFields) -> Vec<String> {
    fields.shown.iter().map(|s| format!("passport:{s}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seven_sections_each_with_items() {
        for s in SECTIONS {
            assert!(items().iter().any(|i| i.section == s.code), "section {} has items", s.code);
        }
        assert!(items().iter().all(|i| section(i.section).is_some() && !i.easy.is_empty()));
    }

    #[test]
    fn only_the_chosen_sections_are_given() {
        let fields = PassportFields {
            answers: BTreeMap::from([
                ("2-1".to_owned(), "丁寧な作業".to_owned()),
                ("3-1".to_owned(), "月1回通院".to_owned()),
            ]),
            shown: BTreeSet::from(["2".to_owned()]),
            chosen_at: None,
        };
        let given = fields.given();
        assert_eq!(given.len(), 1);
        assert_eq!(given[0].0.code, "2");
        assert_eq!(given[0].1, [(item("2-1").unwrap(), "丁寧な作業")]);
        assert_eq!(provision_items(&fields), ["passport:2"]);
    }

    #[test]
    fn answers_and_sections_are_checked() {
        let bad = BTreeMap::from([("1-1".to_owned(), "あ".repeat(601)), ("9-9".to_owned(), "?".to_owned())]);
        let codes: Vec<_> = check_answers(&bad).unwrap_err().iter().map(|p| (p.field, p.code)).collect();
        assert_eq!(codes, [("answers", "passport_unknown_item"), ("1-1", "passport_answer_too_long")]);
        assert_eq!(check_shown(["3", "1"]).unwrap(), BTreeSet::from(["1".to_owned(), "3".to_owned()]));
        assert!(check_shown(["8"]).is_err());
    }
}
