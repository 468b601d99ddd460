//! 就労移行支援のためのチェックリスト (the work-transition checklist of 障害者職業総合センター): 34
//! required items in three areas, each rated on its own scale — five levels, or two — where level
//! 1 is the best state (できる). The supporter and the person go through it together, and again
//! later: what the profile shows is how each item moved, never a total (the form has none).
//!
//! The items are data (`data/jeed_checklist_items.csv`, see `data/README.md`); a checklist taken
//! on a day is personal data of the person it describes.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};

use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::person::{PersonId, past_date};
use crate::validation::{Problem, Problems, text_field};

/// The items as shipped.
const ITEMS_CSV: &str = include_str!("../data/jeed_checklist_items.csv");

/// One of the checklist's three areas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Area {
    /// Ⅰ 日常生活.
    DailyLife,
    /// Ⅱ 働く場での対人関係.
    Relations,
    /// Ⅲ 働く場での行動・態度.
    Conduct,
}

impl Area {
    /// The three, in the form's order.
    pub const ALL: [Self; 3] = [Self::DailyLife, Self::Relations, Self::Conduct];

    /// The form's numeral (I, II, III), also the stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::DailyLife => "I",
            Self::Relations => "II",
            Self::Conduct => "III",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.code() == raw.trim())
    }
}

/// A required item of the checklist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// Its code on the form (I-1 … III-15), also the name of its answer.
    pub code: &'static str,
    /// Its area.
    pub area: Area,
    /// Its name on the form (起床).
    pub name: &'static str,
    /// How many levels its scale has (5 or 2); level 1 is the best.
    pub levels: u8,
    /// Answered only where it applies (服薬管理, 外来通院): it may be marked 該当なし.
    pub only_if_applicable: bool,
}

impl Item {
    /// The item as pages and messages name it: its code and name (`I-1 起床`).
    pub fn label(&self) -> String {
        format!("{} {}", self.code, self.name)
    }
}

/// The 34 items, in the form's order.
pub fn items() -> &'static [Item] {
    static ITEMS: LazyLock<Vec<Item>> = LazyLock::new(|| {
        crate::shipped::rows(ITEMS_CSV)
            .filter_map(|mut cols| {
                Some(Item {
                    code: cols.next()?,
                    area: Area::parse(cols.next()?)?,
                    name: cols.next()?,
                    levels: cols.next()?.parse().ok()?,
                    only_if_applicable: cols.next()? == "true",
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

/// A checklist's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ChecklistId(pub uuid::Uuid);

/// An item's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rating {
    /// A level of the item's scale, 1 (the best) up to its last.
    Level(u8),
    /// 該当なし: the item does not apply (no regular medication, no regular visits).
    NotApplicable,
}

impl Rating {
    /// The form's value: the level's digit, or `na`.
    pub fn code(self) -> String {
        match self {
            Self::Level(l) => l.to_string(),
            Self::NotApplicable => NOT_APPLICABLE.to_owned(),
        }
    }

    /// Where the level lies between the best (0.0) and the worst (1.0) of a scale of `levels`;
    /// none for 該当なし.
    pub fn position(self, levels: u8) -> Option<f64> {
        match self {
            Self::Level(l) if levels > 1 => Some(f64::from(l - 1) / f64::from(levels - 1)),
            Self::Level(_) => Some(0.0),
            Self::NotApplicable => None,
        }
    }
}

/// The form's value for 該当なし.
pub const NOT_APPLICABLE: &str = "na";

/// One item as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answer {
    /// The item's code.
    pub item: String,
    /// Its rating.
    pub rating: Rating,
    /// What was noticed (optional).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub comment: String,
}

/// A checklist as filled in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistFields {
    /// The day it was gone through.
    pub assessed_on: Date,
    /// Every item's answer, in the form's order.
    pub answers: Vec<Answer>,
    /// A note on the whole (what to work on next).
    pub note: String,
}

impl ChecklistFields {
    /// The answer to the item with this code.
    pub fn answer(&self, item: &str) -> Option<&Answer> {
        self.answers.iter().find(|a| a.item == item)
    }
}

/// A checklist taken on a day: personal data of the person it describes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist {
    /// Id.
    pub id: ChecklistId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// The person.
    pub person: PersonId,
    /// The agency whose staff went through it with the person.
    pub agency: AgencyId,
    /// What was filled in.
    pub fields: ChecklistFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

/// An item's answer as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct AnswerInput {
    /// The level's digit, or `na`.
    pub rating: String,
    /// What was noticed.
    pub comment: String,
}

/// The checklist form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ChecklistInput {
    /// The day it was gone through.
    pub assessed_on: String,
    /// A note on the whole.
    pub checklist_note: String,
    /// Each item's answer, by the item's code.
    pub answers: BTreeMap<String, AnswerInput>,
}

/// The longest comment on an item.
pub const COMMENT_MAX: u32 = 300;

/// The longest note on the whole.
pub const NOTE_MAX: u32 = 2000;

/// What a comment's problem is reported as (its field is the item's code).
pub const COMMENT_TOO_LONG: &str = "checklist_comment_too_long";

impl ChecklistInput {
    /// Checks the form on `today`: a day not ahead; every item answered on its own scale (該当なし
    /// only where the item allows it); no answer to an item the form does not have; comments
    /// and the note within their lengths. A problem with an item's rating or comment is
    /// reported on the item's code.
    pub fn validate(&self, today: Date) -> Result<ChecklistFields, Problems> {
        let mut p = Problems::new();
        let assessed_on = past_date(&mut p, "assessed_on", &self.assessed_on, today);
        if self.answers.keys().any(|code| item(code).is_none()) {
            p.add("answers", "checklist_unknown_item");
        }
        let mut answers = Vec::with_capacity(items().len());
        for item in items() {
            let typed = self.answers.get(item.code).cloned().unwrap_or_default();
            let rating = match typed.rating.trim() {
                "" => {
                    p.add(item.code, "checklist_unrated");
                    None
                }
                NOT_APPLICABLE if item.only_if_applicable => Some(Rating::NotApplicable),
                NOT_APPLICABLE => {
                    p.add(item.code, "checklist_always_applies");
                    None
                }
                raw => match raw.parse::<u8>() {
                    Ok(level) if (1..=item.levels).contains(&level) => Some(Rating::Level(level)),
                    _ if item.levels == 2 => {
                        p.add(item.code, "checklist_level_out_of_two");
                        None
                    }
                    _ => {
                        p.add(item.code, "checklist_level_out_of_five");
                        None
                    }
                },
            };
            let comment = typed.comment.trim();
            if comment.chars().count() > COMMENT_MAX as usize {
                p.push(Problem { field: item.code, code: COMMENT_TOO_LONG, limit: Some(COMMENT_MAX) });
            } else if comment.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
                p.add(item.code, "checklist_comment_control");
            }
            if let Some(rating) = rating {
                answers.push(Answer { item: item.code.to_owned(), rating, comment: comment.to_owned() });
            }
        }
        let note = text_field(&mut p, "checklist_note", &self.checklist_note, NOTE_MAX, false).unwrap_or_default();
        match assessed_on {
            Some(assessed_on) if p.is_empty() => Ok(ChecklistFields { assessed_on, answers, note }),
            _ => Err(p),
        }
    }

    /// The form filled with `fields`.
    pub fn of(fields: &ChecklistFields) -> Self {
        Self {
            assessed_on: fields.assessed_on.to_string(),
            checklist_note: fields.note.clone(),
            answers: fields
                .answers
                .iter()
                .map(|a| (a.item.clone(), AnswerInput { rating: a.rating.code(), comment: a.comment.clone() }))
                .collect(),
        }
    }
}

/// How an item moved from one checklist to the next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Movement {
    /// A better level (a smaller number).
    Better,
    /// The same level.
    Same,
    /// A worse level.
    Worse,
    /// 該当なし on either side: nothing to compare.
    NotCompared,
}

/// How each item moved from `before` to `after`, in the form's order.
pub fn movements(before: &ChecklistFields, after: &ChecklistFields) -> Vec<(&'static Item, Movement)> {
    items()
        .iter()
        .map(|item| {
            let level = |f: &ChecklistFields| match f.answer(item.code).map(|a| a.rating) {
                Some(Rating::Level(l)) => Some(l),
                _ => None,
            };
            let movement = match (level(before), level(after)) {
                (Some(b), Some(a)) if a < b => Movement::Better,
                (Some(b), Some(a)) if a > b => Movement::Worse,
                (Some(_), Some(_)) => Movement::Same,
                _ => Movement::NotCompared,
            };
            (item, movement)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 12 - 07);

    fn every(rating: &str) -> ChecklistInput {
        ChecklistInput {
            assessed_on: "2026-12-01".into(),
            checklist_note: "報告の練習を続ける".into(),
            answers: items()
                .iter()
                .map(|i| (i.code.to_owned(), AnswerInput { rating: rating.into(), comment: String::new() }))
                .collect(),
        }
    }

    fn codes(p: &Problems) -> Vec<(&'static str, &'static str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    #[test]
    fn the_form_has_thirty_four_items_in_three_areas() {
        let per_area: Vec<usize> = Area::ALL.iter().map(|a| items().iter().filter(|i| i.area == *a).count()).collect();
        assert_eq!(per_area, [11, 8, 15]);
        assert_eq!(item("I-1").map(|i| i.name), Some("起床"));
        assert_eq!(item("III-15").map(|i| i.name), Some("作業環境の変化への対応"));
        let two: Vec<&str> = items().iter().filter(|i| i.levels == 2).map(|i| i.name).collect();
        assert_eq!(two, ["社会性", "共同作業"]);
        let applicable: Vec<&str> = items().iter().filter(|i| i.only_if_applicable).map(|i| i.name).collect();
        assert_eq!(applicable, ["服薬管理", "外来通院"]);
        assert!(items().iter().all(|i| i.levels == 5 || i.levels == 2));
    }

    #[test]
    fn a_checklist_reads_back_and_every_item_is_rated_on_its_own_scale() {
        let fields = every("1").validate(TODAY).expect("valid");
        assert_eq!(fields.answers.len(), 34);
        assert_eq!(ChecklistInput::of(&fields), every("1"));

        let mut bad = every("3");
        bad.answers.remove("II-2");
        bad.answers.insert("I-4".into(), AnswerInput { rating: "na".into(), comment: String::new() });
        bad.answers.insert("I-1".into(), AnswerInput { rating: "na".into(), comment: String::new() });
        bad.answers.insert("III-1".into(), AnswerInput { rating: "6".into(), comment: String::new() });
        bad.answers.insert("IV-1".into(), AnswerInput { rating: "1".into(), comment: String::new() });
        bad.answers.insert("III-2".into(), AnswerInput { rating: "2".into(), comment: "あ".repeat(301) });
        let p = bad.validate(TODAY).unwrap_err();
        assert_eq!(
            codes(&p),
            vec![
                ("answers", "checklist_unknown_item"),
                ("I-1", "checklist_always_applies"),
                ("I-11", "checklist_level_out_of_two"),
                ("II-2", "checklist_unrated"),
                ("II-8", "checklist_level_out_of_two"),
                ("III-1", "checklist_level_out_of_five"),
                ("III-2", COMMENT_TOO_LONG),
            ],
            "3 is beyond 社会性's and 共同作業's two levels; 服薬管理 may be 該当なし, 起床 may not"
        );
        let ahead = ChecklistInput { assessed_on: "2027-01-01".into(), ..every("1") };
        assert_eq!(codes(&ahead.validate(TODAY).unwrap_err()), vec![("assessed_on", "date_in_future")]);
    }

    #[test]
    fn movements_compare_levels_item_by_item() {
        let before = every("2").validate(TODAY).unwrap();
        let mut after_input = every("2");
        after_input.answers.insert("I-1".into(), AnswerInput { rating: "1".into(), comment: String::new() });
        after_input.answers.insert("I-2".into(), AnswerInput { rating: "4".into(), comment: String::new() });
        after_input.answers.insert("I-4".into(), AnswerInput { rating: "na".into(), comment: String::new() });
        let after = after_input.validate(TODAY).unwrap();
        let moved = movements(&before, &after);
        let of = |code: &str| moved.iter().find(|(i, _)| i.code == code).map(|(_, m)| *m);
        assert_eq!(of("I-1"), Some(Movement::Better));
        assert_eq!(of("I-2"), Some(Movement::Worse));
        assert_eq!(of("I-3"), Some(Movement::Same));
        assert_eq!(of("I-4"), Some(Movement::NotCompared));
        assert_eq!(Rating::Level(2).position(2), Some(1.0));
        assert_eq!(Rating::Level(3).position(5), Some(0.5));
    }
}
