//! A person's job-search conditions (希望条件): where they can commute to, the accommodations
//! they need at work, and a note in their words. The weekly hours stay on the person's record
//! (希望勤務時間); the categories come from it too.
//!
//! Matching reads them from both sides: a person's openings are ranked under them unless the
//! worker searches with others, and an opening's persons are told apart by them. They are
//! personal data (the needs follow from the disability), written by those who may write the
//! person's disability data, through the audited commit.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::account::AccountId;
use crate::codes::LocalGovCode;
use crate::opening::Accommodation;
use crate::person::PersonId;
use crate::validation::{Problem, Problems, text_field};

/// The most areas a person's conditions name.
pub const MAX_AREAS: u32 = 20;

/// The longest note, in characters.
pub const NOTE_MAX: u32 = 400;

/// What a person looks for, as recorded.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PreferenceFields {
    /// Where they can commute to (none: anywhere), in the order chosen.
    pub areas: Vec<LocalGovCode>,
    /// Accommodations they need: an opening must offer every one.
    pub needs: Vec<Accommodation>,
    /// In their words (通勤は電車で30分まで, 午前のみ希望 …).
    pub note: Option<String>,
}

/// A person's conditions as stored: one per person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobPreferences {
    /// Whose.
    pub person: PersonId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// Areas, needs, note.
    pub fields: PreferenceFields,
    /// Who wrote them last.
    pub recorded_by: AccountId,
    /// Raised by every write.
    pub version: i64,
    /// When they were last written.
    pub updated_at: OffsetDateTime,
}

/// The conditions as typed: municipality codes, accommodation codes, the note.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PreferencesInput {
    /// Municipality codes (全国地方公共団体コード, six digits).
    pub areas: Vec<String>,
    /// Accommodation codes.
    pub needs: Vec<String>,
    /// The note.
    pub note: String,
}

/// The municipality codes in `raw`, blanks skipped and repeats dropped; a code that does not
/// parse is a problem on `field`.
pub fn parse_areas(p: &mut Problems, field: &'static str, raw: &[String]) -> Vec<LocalGovCode> {
    let mut areas = Vec::new();
    for raw in raw.iter().filter(|a| !a.trim().is_empty()) {
        match LocalGovCode::parse(raw) {
            Ok(code) if !areas.contains(&code) => areas.push(code),
            Ok(_) => {}
            Err(e) => p.add(field, e.code()),
        }
    }
    areas
}

/// The accommodation codes in `raw`, blanks skipped and repeats dropped; an unknown code is a
/// problem on `field`.
pub fn parse_needs(p: &mut Problems, field: &'static str, raw: &[String]) -> Vec<Accommodation> {
    let mut needs = Vec::new();
    for raw in raw.iter().filter(|a| !a.trim().is_empty()) {
        match Accommodation::parse(raw) {
            Some(a) if !needs.contains(&a) => needs.push(a),
            Some(_) => {}
            None => p.add(field, "unknown_code"),
        }
    }
    needs
}

impl PreferencesInput {
    /// Checks the form (its fields `areas`, `needs` and `preference_note`): known codes, at most [`MAX_AREAS`] areas, a note of at most
    /// [`NOTE_MAX`] characters without control characters. `known` says whether a municipality
    /// is one the reference data holds.
    pub fn validate(&self, known: impl Fn(&LocalGovCode) -> bool) -> Result<PreferenceFields, Problems> {
        let mut p = Problems::new();
        let areas = parse_areas(&mut p, "areas", &self.areas);
        if p.for_field("areas").is_none() {
            if areas.iter().any(|a| !known(a)) {
                p.add("areas", "unknown_municipality");
            } else if areas.len() > MAX_AREAS as usize {
                p.push(Problem { field: "areas", code: "too_many", limit: Some(MAX_AREAS) });
            }
        }
        let needs = parse_needs(&mut p, "needs", &self.needs);
        let note = text_field(&mut p, "preference_note", &self.note, NOTE_MAX, false);
        p.into_result(PreferenceFields { areas, needs, note })
    }

    /// The form filled with `fields`.
    pub fn of(fields: &PreferenceFields) -> Self {
        Self {
            areas: fields.areas.iter().map(|a| a.as_str().to_owned()).collect(),
            needs: fields.needs.iter().map(|n| n.code().to_owned()).collect(),
            note: fields.note.clone().unwrap_or_default(),
        }
    }
}

/// Codes written one after another with a space, as the store keeps a set.
pub fn joined<T>(items: &[T], code: impl Fn(&T) -> &str) -> String {
    items.iter().map(code).collect::<Vec<_>>().join(" ")
}

impl PreferenceFields {
    /// Reads back what [`joined`] wrote; `None` when a code is not one (a damaged row).
    pub fn from_stored(areas: &str, needs: &str, note: Option<String>) -> Option<Self> {
        let areas = areas.split_whitespace().map(|a| LocalGovCode::parse(a).ok()).collect::<Option<Vec<_>>>()?;
        let needs = needs.split_whitespace().map(Accommodation::parse).collect::<Option<Vec<_>>>()?;
        Some(Self { areas, needs, note })
    }

    /// The areas as the store keeps them.
    pub fn stored_areas(&self) -> String {
        joined(&self.areas, LocalGovCode::as_str)
    }

    /// The needs as the store keeps them.
    pub fn stored_needs(&self) -> String {
        joined(&self.needs, |n| n.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(areas: &[&str], needs: &[&str], note: &str) -> PreferencesInput {
        PreferencesInput {
            areas: areas.iter().map(|s| (*s).to_owned()).collect(),
            needs: needs.iter().map(|s| (*s).to_owned()).collect(),
            note: note.to_owned(),
        }
    }

    fn codes(p: &Problems) -> Vec<(&str, &str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    #[test]
    fn conditions_are_read_without_repeats_and_round_trip_through_the_store() {
        let fields =
            input(&["131016", "", "131041", "131016"], &["job_coach", "quiet_place", "job_coach"], "  午前のみ ")
                .validate(|_| true)
                .unwrap();
        assert_eq!(fields.areas.iter().map(LocalGovCode::as_str).collect::<Vec<_>>(), ["131016", "131041"]);
        assert_eq!(fields.needs, [Accommodation::JobCoach, Accommodation::QuietPlace]);
        assert_eq!(fields.note.as_deref(), Some("午前のみ"));
        let back = PreferenceFields::from_stored(&fields.stored_areas(), &fields.stored_needs(), fields.note.clone());
        assert_eq!(back.as_ref(), Some(&fields));
        assert_eq!(PreferencesInput::of(&fields).validate(|_| true), Ok(fields));
        assert_eq!(PreferenceFields::from_stored("", "", None), Some(PreferenceFields::default()));
        assert_eq!(PreferenceFields::from_stored("13101x", "", None), None);
    }

    #[test]
    fn each_mistake_is_named_on_its_field() {
        let bad = input(&["131017"], &["teleport"], "a\u{7}b").validate(|_| true).unwrap_err();
        assert_eq!(
            codes(&bad),
            [("areas", "check_digit"), ("needs", "unknown_code"), ("preference_note", "control_characters")]
        );
        let unknown = input(&["011002"], &[], "").validate(|a| a.as_str().starts_with("13")).unwrap_err();
        assert_eq!(codes(&unknown), [("areas", "unknown_municipality")]);
        let long = input(&[], &[], &"あ".repeat(NOTE_MAX as usize + 1)).validate(|_| true).unwrap_err();
        assert_eq!(codes(&long), [("preference_note", "too_long")]);
    }

    #[test]
    fn more_areas_than_the_limit_are_refused_with_the_limit() {
        let many: Vec<String> = (1..=MAX_AREAS + 1)
            .map(|n| LocalGovCode::from_jis(&format!("131{n:02}")).unwrap().as_str().to_owned())
            .collect();
        let p = PreferencesInput { areas: many, ..PreferencesInput::default() }.validate(|_| true).unwrap_err();
        let problem = p.for_field("areas").unwrap();
        assert_eq!((problem.code, problem.limit), ("too_many", Some(MAX_AREAS)));
    }
}
