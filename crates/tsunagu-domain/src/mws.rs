//! ワークサンプル幕張版 (MWS): work samples the person tries — entering numbers, checking
//! invoices, picking, folding napkins — at a level, in blocks of trials, with how many came out
//! right and how long it took. The 簡易版 samples a task in half a day; the 訓練版 trains on it
//! for days or weeks. A result is personal data of the person who did the task.
//!
//! The tasks are data (`data/mws_tasks.csv`, see `data/README.md`); those whose names are not
//! verified are marked so, and a task the list does not have may be named as typed.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use unicode_normalization::UnicodeNormalization;

use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::person::{PersonId, past_date};
use crate::validation::{Problems, text_field};

const TASKS_CSV: &str = include_str!("../data/mws_tasks.csv");

/// A task of the work samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Task {
    /// Its group (OA作業, 事務作業, 実務作業, 新規課題).
    pub group: &'static str,
    /// Its name (数値入力).
    pub name: &'static str,
    /// The name was found in a published source.
    pub verified: bool,
}

/// The 16 tasks, in the manual's order.
pub fn tasks() -> &'static [Task] {
    static TASKS: LazyLock<Vec<Task>> = LazyLock::new(|| {
        crate::shipped::rows(TASKS_CSV)
            .filter_map(|mut cols| {
                Some(Task { group: cols.next()?, name: cols.next()?, verified: cols.next()? == "true" })
            })
            .collect()
    });
    &TASKS
}

/// The version of the work samples a result comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Edition {
    /// 簡易版: an assessment in half a day to a day.
    Brief,
    /// 訓練版: training over days or weeks.
    Training,
}

impl Edition {
    /// Both, in the order forms list them.
    pub const ALL: [Self; 2] = [Self::Brief, Self::Training];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Brief => "brief",
            Self::Training => "training",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.code() == raw.trim())
    }
}

/// A result's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MwsResultId(pub uuid::Uuid);

/// A result as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MwsFields {
    /// The day the task was done.
    pub done_on: Date,
    /// 簡易版 or 訓練版.
    pub edition: Edition,
    /// The task's name, as the list has it or as typed.
    pub task: String,
    /// The level (1 is the easiest).
    pub level: u8,
    /// How many trials.
    pub trials: u16,
    /// How many came out right.
    pub correct: u16,
    /// How long it took, in minutes.
    pub minutes: u16,
    /// What was seen (strategies, support that helped).
    pub notes: String,
}

impl MwsFields {
    /// The share of trials that came out right, in tenths of a percent (1000 is all of them).
    pub fn accuracy_permille(&self) -> u32 {
        if self.trials == 0 { 0 } else { u32::from(self.correct) * 1000 / u32::from(self.trials) }
    }

    /// The task as the list has it, if it does.
    pub fn listed_task(&self) -> Option<&'static Task> {
        tasks().iter().find(|t| t.name == self.task)
    }
}

/// A result of the work samples: personal data of the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MwsResult {
    /// Id.
    pub id: MwsResultId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// The person.
    pub person: PersonId,
    /// The agency that recorded it.
    pub agency: AgencyId,
    /// What was recorded.
    pub fields: MwsFields,
    /// Who wrote it last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

/// The form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct MwsInput {
    /// The day.
    pub done_on: String,
    /// The edition's code.
    pub edition: String,
    /// A task of the list, or empty for one named in `other_task`.
    pub task: String,
    /// A task the list does not have.
    pub other_task: String,
    /// The level.
    pub level: String,
    /// How many trials.
    pub trials: String,
    /// How many came out right.
    pub correct: String,
    /// How long, in minutes.
    pub minutes: String,
    /// What was seen.
    pub mws_notes: String,
}

/// The highest level of a task.
pub const LEVEL_MAX: u8 = 5;
/// The most trials one result records.
pub const TRIALS_MAX: u16 = 500;
/// The longest time one result records, in minutes (a long day).
pub const MINUTES_MAX: u16 = 720;
/// The longest note.
pub const NOTES_MAX: u32 = 1000;
/// The longest name of a task not in the list.
pub const TASK_NAME_MAX: u32 = 60;

/// A whole number as typed (full-width digits read), within `min..=max`.
fn count(p: &mut Problems, field: &'static str, raw: &str, (min, max): (u16, u16), code: &'static str) -> Option<u16> {
    let folded: String = raw.trim().nfkc().collect();
    if folded.is_empty() {
        p.add(field, "required");
        return None;
    }
    match folded.parse::<u16>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        _ => {
            p.add(field, code);
            None
        }
    }
}

impl MwsInput {
    /// Checks the form on `today`: a day not ahead, an edition, a task of the list or one named,
    /// a level from 1 to 5, the trials, how many came out right (none up to all of them) and the
    /// time as whole numbers within their bounds.
    pub fn validate(&self, today: Date) -> Result<MwsFields, Problems> {
        let mut p = Problems::new();
        let done_on = past_date(&mut p, "done_on", &self.done_on, today);
        let edition = match self.edition.trim() {
            "" => {
                p.add("edition", "required");
                None
            }
            raw => Edition::parse(raw).or_else(|| {
                p.add("edition", "unknown_code");
                None
            }),
        };
        let task = match (self.task.trim(), self.other_task.trim()) {
            ("", "") => {
                p.add("task", "mws_task_required");
                None
            }
            ("", _) => text_field(&mut p, "other_task", &self.other_task, TASK_NAME_MAX, true),
            (listed, "") if tasks().iter().any(|t| t.name == listed) => Some(listed.to_owned()),
            (_, "") => {
                p.add("task", "unknown_code");
                None
            }
            (_, _) => {
                p.add("other_task", "mws_task_twice");
                None
            }
        };
        let level = count(&mut p, "level", &self.level, (1, u16::from(LEVEL_MAX)), "mws_level_out_of_range");
        let trials = count(&mut p, "trials", &self.trials, (1, TRIALS_MAX), "mws_trials_out_of_range");
        let correct = count(&mut p, "correct", &self.correct, (0, TRIALS_MAX), "mws_correct_out_of_range");
        if let (Some(t), Some(c)) = (trials, correct)
            && c > t
        {
            p.add("correct", "mws_more_correct_than_trials");
        }
        let minutes = count(&mut p, "minutes", &self.minutes, (1, MINUTES_MAX), "mws_minutes_out_of_range");
        let notes = text_field(&mut p, "mws_notes", &self.mws_notes, NOTES_MAX, false).unwrap_or_default();
        match (done_on, edition, task, level, trials, correct, minutes) {
            (Some(done_on), Some(edition), Some(task), Some(level), Some(trials), Some(correct), Some(minutes))
                if p.is_empty() =>
            {
                let level = u8::try_from(level).unwrap_or(LEVEL_MAX);
                Ok(MwsFields { done_on, edition, task, level, trials, correct, minutes, notes })
            }
            _ => Err(p),
        }
    }

    /// The form filled with `fields`.
    pub fn of(fields: &MwsFields) -> Self {
        let listed = fields.listed_task().is_some();
        Self {
            done_on: fields.done_on.to_string(),
            edition: fields.edition.code().to_owned(),
            task: if listed { fields.task.clone() } else { String::new() },
            other_task: if listed { String::new() } else { fields.task.clone() },
            level: fields.level.to_string(),
            trials: fields.trials.to_string(),
            correct: fields.correct.to_string(),
            minutes: fields.minutes.to_string(),
            mws_notes: fields.notes.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const TODAY: Date = date!(2026 - 12 - 07);

    fn input() -> MwsInput {
        MwsInput {
            done_on: "2026-12-01".into(),
            edition: "brief".into(),
            task: "数値入力".into(),
            level: "2".into(),
            trials: "１２".into(),
            correct: "9".into(),
            minutes: "25".into(),
            ..MwsInput::default()
        }
    }

    fn codes(p: &Problems) -> Vec<(&'static str, &'static str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    #[test]
    fn sixteen_tasks_of_which_four_names_are_unverified() {
        assert_eq!(tasks().len(), 16);
        let groups = |g: &str| tasks().iter().filter(|t| t.group == g).count();
        assert_eq!((groups("OA作業"), groups("事務作業"), groups("実務作業")), (5, 4, 4));
        let unverified: Vec<&str> = tasks().iter().filter(|t| !t.verified).map(|t| t.name).collect();
        assert_eq!(unverified, ["コピー&ペースト", "ファイル整理", "検索修正", "重さ計測"]);
    }

    #[test]
    fn a_result_reads_back_with_its_accuracy_and_needs_its_rules() {
        let fields = input().validate(TODAY).expect("valid");
        assert_eq!((fields.trials, fields.accuracy_permille()), (12, 750));
        assert_eq!(MwsInput::of(&fields), MwsInput { trials: "12".into(), ..input() });
        let other = MwsInput { task: String::new(), other_task: "封入作業".into(), ..input() };
        let fields = other.validate(TODAY).expect("a task named as typed");
        assert_eq!((fields.task.as_str(), fields.listed_task()), ("封入作業", None));
        assert_eq!(MwsInput::of(&fields).other_task, "封入作業");

        let bad = MwsInput {
            edition: "full".into(),
            task: "書類作成".into(),
            level: "6".into(),
            correct: "13".into(),
            minutes: "0".into(),
            ..input()
        };
        assert_eq!(
            codes(&bad.validate(TODAY).unwrap_err()),
            vec![
                ("edition", "unknown_code"),
                ("task", "unknown_code"),
                ("level", "mws_level_out_of_range"),
                ("correct", "mws_more_correct_than_trials"),
                ("minutes", "mws_minutes_out_of_range"),
            ]
        );
        let none_right = MwsInput { correct: "0".into(), ..input() };
        assert_eq!(none_right.validate(TODAY).expect("none right").accuracy_permille(), 0);
        let both = MwsInput { other_task: "封入作業".into(), ..input() };
        assert_eq!(codes(&both.validate(TODAY).unwrap_err()), vec![("other_task", "mws_task_twice")]);
    }
}
