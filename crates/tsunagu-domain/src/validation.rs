//! Validation problems: every field problem at once, each with a stable code.
//!
//! No English (or Japanese) leaves the domain: a [`Problem`] names the field and a code, and the
//! HTTP layer's message catalogs turn the pair into a sentence in the reader's language.

use serde::Serialize;

/// One thing wrong with one field of an input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The input field, as named in forms, CSV headers and the JSON API (`name`, `municipality_code`).
    pub field: &'static str,
    /// A stable code such as `required` or `check_digit`; catalogs translate it.
    pub code: &'static str,
    /// A number the message needs (the maximum length for `too_long`), if any.
    pub limit: Option<u32>,
}

impl Problem {
    /// A problem without a limit.
    pub fn new(field: &'static str, code: &'static str) -> Self {
        Self { field, code, limit: None }
    }
}

/// All the problems found in one input; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem.
    pub fn push(&mut self, problem: Problem) {
        self.0.push(problem);
    }

    /// Records `code` against `field`.
    pub fn add(&mut self, field: &'static str, code: &'static str) {
        self.push(Problem::new(field, code));
    }

    /// Adds every problem of `other`.
    pub fn extend(&mut self, other: Problems) {
        self.0.extend(other.0);
    }

    /// The same problems with field `from` called `to` (when one form holds two inputs that
    /// validate under the same name).
    pub fn renamed(self, from: &str, to: &'static str) -> Problems {
        Problems(self.0.into_iter().map(|p| if p.field == from { Problem { field: to, ..p } } else { p }).collect())
    }

    /// True when nothing is wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The problems, in the order the fields were checked.
    pub fn iter(&self) -> std::slice::Iter<'_, Problem> {
        self.0.iter()
    }

    /// The first problem for `field`, if any (forms show one message per field).
    pub fn for_field(&self, field: &str) -> Option<&Problem> {
        self.0.iter().find(|p| p.field == field)
    }

    /// `Ok(value)` when there are no problems, else `Err(self)`.
    pub fn into_result<T>(self, value: T) -> Result<T, Problems> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }
}

impl IntoIterator for Problems {
    type Item = Problem;
    type IntoIter = std::vec::IntoIter<Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Problems {
    type Item = &'a Problem;
    type IntoIter = std::slice::Iter<'a, Problem>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

/// Checks a free-text field: trims it, rejects control characters and text over `max` characters.
///
/// Returns the trimmed text, or `None` when it was empty. `required` adds a `required` problem for
/// empty input.
pub fn text_field(problems: &mut Problems, field: &'static str, raw: &str, max: u32, required: bool) -> Option<String> {
    let value = raw.trim();
    if value.is_empty() {
        if required {
            problems.add(field, "required");
        }
        return None;
    }
    if value.chars().count() > max as usize {
        problems.push(Problem { field, code: "too_long", limit: Some(max) });
        return None;
    }
    // Newlines are fine in notes; other control characters come only from broken files.
    if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
        problems.add(field, "control_characters");
        return None;
    }
    if value.chars().any(is_bidi_control) {
        problems.add(field, "bidi_characters");
        return None;
    }
    Some(value.to_owned())
}

/// The problem codes of [`answers_by_item`].
#[derive(Debug, Clone, Copy)]
pub struct AnswerCodes {
    /// An answer to an item the form does not have (reported on `answers`).
    pub unknown: &'static str,
    /// An answer longer than the limit (on the item's code).
    pub too_long: &'static str,
    /// An answer with control characters (on the item's code).
    pub control: &'static str,
}

/// Answers typed by item code, checked against the form's items `codes` (in order): each at most
/// `max` characters, trimmed, without control characters but line breaks and tabs; empty answers
/// left out. An answer to an item the form does not have is refused.
pub fn answers_by_item(
    typed: &std::collections::BTreeMap<String, String>,
    codes: impl IntoIterator<Item = &'static str> + Clone,
    max: u32,
    problem: AnswerCodes,
) -> Result<std::collections::BTreeMap<String, String>, Problems> {
    let mut p = Problems::new();
    if typed.keys().any(|code| !codes.clone().into_iter().any(|c| c == code)) {
        p.add("answers", problem.unknown);
    }
    let mut out = std::collections::BTreeMap::new();
    for code in codes {
        let Some(answer) = typed.get(code) else { continue };
        let answer = answer.trim();
        if answer.chars().count() > max as usize {
            p.push(Problem { field: code, code: problem.too_long, limit: Some(max) });
        } else if answer.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            p.add(code, problem.control);
        } else if !answer.is_empty() {
            out.insert(code.to_owned(), answer.to_owned());
        }
    }
    p.into_result(out)
}

/// Checks a required time of day typed as `H:MM` or `HH:MM`: `required` when empty,
/// `invalid_time` when it is not one.
pub fn time_field(problems: &mut Problems, field: &'static str, raw: &str) -> Option<time::Time> {
    let raw = raw.trim();
    if raw.is_empty() {
        problems.add(field, "required");
        return None;
    }
    let parsed = raw
        .split_once(':')
        .filter(|(h, m)| (1..=2).contains(&h.len()) && m.len() == 2)
        .and_then(|(h, m)| time::Time::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok());
    if parsed.is_none() {
        problems.add(field, "invalid_time");
    }
    parsed
}

/// The characters that reorder how text is shown (U+202A–U+202E embeddings and overrides,
/// U+2066–U+2069 isolates): `山田\u{202E}郎太` shows as something else than what is stored, so
/// a name could pass for another. Japanese text never needs them.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_field_trims_and_enforces_the_limit() {
        let mut p = Problems::new();
        assert_eq!(text_field(&mut p, "name", "  東京  ", 10, true), Some("東京".into()));
        assert_eq!(text_field(&mut p, "name", "あいうえおかきくけこさ", 10, true), None);
        assert_eq!(text_field(&mut p, "name", "   ", 10, true), None);
        assert_eq!(text_field(&mut p, "note", "", 10, false), None);
        assert_eq!(text_field(&mut p, "name", "a\u{0007}b", 10, true), None);
        assert_eq!(text_field(&mut p, "name", "山田\u{202E}郎太", 10, true), None);
        let codes: Vec<_> = p.iter().map(|p| (p.field, p.code, p.limit)).collect();
        assert_eq!(
            codes,
            [
                ("name", "too_long", Some(10)),
                ("name", "required", None),
                ("name", "control_characters", None),
                ("name", "bidi_characters", None)
            ]
        );
    }
}
