//! Internships (職場体験実習, 現場実習) and company tours (企業見学): an employer's slots — dates
//! and how many it takes — the persons placed into them, and how each went, with the insurance
//! subsidy (保険料補助) and the employer's grant (受入れ企業助成金) it drew; counted per fiscal
//! year as program 5-2 of the seed reports them.
//!
//! A slot never takes more persons than its capacity, nor is its capacity set below those it
//! took; an employer's slots of one kind do not overlap; a person is placed in one slot at a time
//! and only with their consent in force to share their data with that employer.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use crate::account::AccountId;
use crate::consent::{Consent, Purpose, Recipient};
use crate::directory::AgencyId;
use crate::employer::EmployerId;
use crate::person::{EARLIEST_RECORD_DATE, PersonId, date_field, planned_date};
use crate::program::FiscalYear;
use crate::validation::{Problem, Problems, text_field};

/// A slot's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SlotId(pub Uuid);

/// What a slot offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotKind {
    /// 職場体験実習: days of work at the company, for a person looking for work.
    Internship,
    /// 現場実習: a special-needs school's students' work experience.
    SchoolTraining,
    /// 企業見学: a visit to the workplace.
    Tour,
}

impl SlotKind {
    /// Every kind.
    pub const ALL: [Self; 3] = [Self::Internship, Self::SchoolTraining, Self::Tour];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Internship => "internship",
            Self::SchoolTraining => "school_training",
            Self::Tour => "tour",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == raw.trim())
    }
}

/// Limits of a slot's fields.
pub mod limits {
    /// The title.
    pub const TITLE: u32 = 100;
    /// Persons one slot takes.
    pub const CAPACITY: u32 = 50;
    /// Days one slot spans (a school term's training at the most).
    pub const DAYS: i64 = 92;
    /// A note.
    pub const NOTE: u32 = 1000;
}

/// What a slot offers, when, and to how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotFields {
    /// Internship, school training or tour.
    pub kind: SlotKind,
    /// What the work or the visit is (清掃補助の実習, 物流センター見学).
    pub title: String,
    /// The first day.
    pub starts_on: Date,
    /// The last day (the first, for one day).
    pub ends_on: Date,
    /// How many persons it takes.
    pub capacity: u16,
    /// What to bring, where to meet.
    pub note: String,
}

impl SlotFields {
    /// Whether the two share a day.
    pub fn overlaps(&self, other: &SlotFields) -> bool {
        self.starts_on <= other.ends_on && other.starts_on <= self.ends_on
    }
}

/// A slot as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// Id.
    pub id: SlotId,
    /// Prefecture of the employer.
    pub prefecture: String,
    /// Whose workplace.
    pub employer: EmployerId,
    /// The agency that arranged it.
    pub agency: AgencyId,
    /// What, when, how many.
    pub fields: SlotFields,
    /// Raised by every write.
    pub version: i64,
    /// When it was written first.
    pub created_at: OffsetDateTime,
    /// When it was last written.
    pub updated_at: OffsetDateTime,
}

/// A slot's form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SlotInput {
    /// The kind's code.
    pub slot_kind: String,
    /// The title.
    pub slot_title: String,
    /// The first day.
    pub first_day: String,
    /// The last day (empty: the first).
    pub last_day: String,
    /// How many persons it takes.
    pub capacity: String,
    /// A note.
    pub slot_note: String,
}

impl SlotInput {
    /// Checks the form on `today`, for a slot that has taken `taken` persons so far (0 for a new
    /// one), against `others` — the employer's other slots.
    pub fn validate(&self, today: Date, taken: usize, others: &[Slot]) -> Result<SlotFields, Problems> {
        let mut p = Problems::new();
        let kind = match self.slot_kind.trim() {
            "" => {
                p.add("slot_kind", "required");
                None
            }
            raw => SlotKind::parse(raw).or_else(|| {
                p.add("slot_kind", "unknown_code");
                None
            }),
        };
        let title = text_field(&mut p, "slot_title", &self.slot_title, limits::TITLE, true);
        let starts_on = planned_date(&mut p, "first_day", &self.first_day, today, true).filter(|d| {
            let ok = *d >= EARLIEST_RECORD_DATE;
            if !ok {
                p.push(Problem { field: "first_day", code: "date_too_early", limit: Some(2000) });
            }
            ok
        });
        let ends_on = match self.last_day.trim() {
            "" => starts_on,
            raw => date_field(&mut p, "last_day", raw, false),
        };
        let ends_on = match (starts_on, ends_on) {
            (Some(first), Some(last)) if last < first => {
                p.add("last_day", "before_first_day");
                None
            }
            (Some(first), Some(last)) if (last - first).whole_days() >= limits::DAYS => {
                p.push(Problem { field: "last_day", code: "slot_too_long", limit: Some(limits::DAYS as u32) });
                None
            }
            (_, last) => last,
        };
        let capacity = crate::opening::number(&mut p, "capacity", &self.capacity, limits::CAPACITY, true);
        let capacity = capacity.filter(|c| {
            let ok = *c as usize >= taken;
            if !ok {
                p.push(Problem { field: "capacity", code: "below_seats_taken", limit: Some(taken as u32) });
            }
            ok
        });
        let note = text_field(&mut p, "slot_note", &self.slot_note, limits::NOTE, false).unwrap_or_default();
        match (kind, title, starts_on, ends_on, capacity) {
            (Some(kind), Some(title), Some(starts_on), Some(ends_on), Some(capacity)) if p.is_empty() => {
                let fields = SlotFields { kind, title, starts_on, ends_on, capacity: capacity as u16, note };
                if others.iter().any(|o| o.fields.kind == kind && o.fields.overlaps(&fields)) {
                    p.add("first_day", "slot_overlaps");
                    return Err(p);
                }
                Ok(fields)
            }
            _ => Err(p),
        }
    }

    /// The form filled in with a slot's fields, for editing.
    pub fn of(f: &SlotFields) -> Self {
        Self {
            slot_kind: f.kind.code().to_owned(),
            slot_title: f.title.clone(),
            first_day: f.starts_on.to_string(),
            last_day: f.ends_on.to_string(),
            capacity: f.capacity.to_string(),
            slot_note: f.note.clone(),
        }
    }
}

/// A booking's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BookingId(pub Uuid);

/// How a person's time in a slot went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Done to the end.
    Completed,
    /// Done, and the employer offered a job.
    Offered,
    /// Stopped before the end, or did not come.
    Withdrawn,
}

impl Outcome {
    /// Every outcome.
    pub const ALL: [Self; 3] = [Self::Completed, Self::Offered, Self::Withdrawn];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Completed => "completed",
            Self::Offered => "offered",
            Self::Withdrawn => "withdrawn",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == raw.trim())
    }

    /// Whether the person took part (what the counts count).
    pub fn took_part(self) -> bool {
        !matches!(self, Self::Withdrawn)
    }
}

/// How it went, and what it drew.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BookingOutcome {
    /// How it went.
    pub outcome: Outcome,
    /// The agency's note.
    pub note: String,
    /// The internship's accident insurance premium was subsidised (保険料補助).
    pub insurance_subsidy: bool,
    /// The employer was granted the acceptance grant for it (受入れ企業助成金).
    pub employer_grant: bool,
}

/// A person placed into a slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    /// Id.
    pub id: BookingId,
    /// Prefecture of the person.
    pub prefecture: String,
    /// Which slot.
    pub slot: SlotId,
    /// Who.
    pub person: PersonId,
    /// The agency supporting the person.
    pub agency: AgencyId,
    /// The consent that lets the employer know the person.
    pub consent: crate::consent::ConsentId,
    /// Who placed them.
    pub booked_by: AccountId,
    /// When.
    pub booked_at: OffsetDateTime,
    /// How it went, once recorded.
    pub outcome: Option<BookingOutcome>,
    /// Raised by every write.
    pub version: i64,
}

impl Booking {
    /// Whether it holds a seat (not withdrawn).
    pub fn holds_seat(&self) -> bool {
        self.outcome.as_ref().is_none_or(|o| o.outcome.took_part())
    }
}

/// Checks placing `person` into `slot`: a seat is free among `taken` (the slot's bookings), the
/// person is not in it already nor in `elsewhere` (the slots of their other bookings still
/// holding a seat) on a day it shares, and one of `consents` in force names the employer for a
/// placement. Answers the consent.
pub fn check_booking(
    slot: &Slot,
    person: PersonId,
    taken: &[Booking],
    elsewhere: &[Slot],
    consents: &[Consent],
    now: OffsetDateTime,
    today: Date,
) -> Result<crate::consent::ConsentId, Problems> {
    let mut p = Problems::new();
    if taken.iter().any(|b| b.person == person && b.holds_seat()) {
        p.add("person", "already_booked");
    } else if taken.iter().filter(|b| b.holds_seat()).count() >= usize::from(slot.fields.capacity) {
        p.push(Problem { field: "person", code: "slot_full", limit: Some(u32::from(slot.fields.capacity)) });
    }
    if elsewhere.iter().any(|s| s.id != slot.id && s.fields.overlaps(&slot.fields)) {
        p.add("person", "booked_elsewhere");
    }
    let consent = consents.iter().find(|c| {
        c.person == person
            && c.recipient == Recipient::Employer(slot.employer)
            && c.purposes.contains(&Purpose::Placement)
            && c.in_force(now, today)
    });
    match consent {
        Some(c) if p.is_empty() => Ok(c.id),
        Some(_) => Err(p),
        None => {
            p.add("person", "no_consent_for_employer");
            Err(p)
        }
    }
}

/// The outcome form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutcomeInput {
    /// The outcome's code.
    pub outcome: String,
    /// A note.
    pub outcome_note: String,
    /// Any value: the premium was subsidised.
    pub insurance_subsidy: String,
    /// Any value: the employer was granted.
    pub employer_grant: String,
}

impl OutcomeInput {
    /// Checks how a booking in `slot` went, on `today`: only once the slot has begun; a tour
    /// draws neither subsidy nor grant.
    pub fn validate(&self, slot: &Slot, today: Date) -> Result<BookingOutcome, Problems> {
        let mut p = Problems::new();
        let outcome = match self.outcome.trim() {
            "" => {
                p.add("outcome", "required");
                None
            }
            raw => Outcome::parse(raw).or_else(|| {
                p.add("outcome", "unknown_code");
                None
            }),
        };
        if slot.fields.starts_on > today {
            p.add("outcome", "slot_not_begun");
        }
        let note = text_field(&mut p, "outcome_note", &self.outcome_note, limits::NOTE, false).unwrap_or_default();
        let insurance_subsidy = !self.insurance_subsidy.trim().is_empty();
        let employer_grant = !self.employer_grant.trim().is_empty();
        if slot.fields.kind == SlotKind::Tour && (insurance_subsidy || employer_grant) {
            p.add("insurance_subsidy", "tour_draws_no_subsidy");
        }
        match outcome {
            Some(outcome) if p.is_empty() => Ok(BookingOutcome { outcome, note, insurance_subsidy, employer_grant }),
            _ => Err(p),
        }
    }
}

/// What program 5-2 counts of one fiscal year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct YearCounts {
    /// Internships taken part in (職場体験実習, 現場実習).
    pub internships: i64,
    /// Of which with the premium subsidised (保険料補助).
    pub insurance_subsidies: i64,
    /// Of which with the employer granted (受入れ企業助成金).
    pub employer_grants: i64,
    /// Tours taken part in (企業見学).
    pub tours: i64,
}

/// Per fiscal year of the slot's first day, what the bookings whose outcome is recorded count.
pub fn counts_by_year<'a>(
    bookings: impl IntoIterator<Item = (&'a Slot, &'a Booking)>,
) -> std::collections::BTreeMap<FiscalYear, YearCounts> {
    let mut out: std::collections::BTreeMap<FiscalYear, YearCounts> = std::collections::BTreeMap::new();
    for (slot, booking) in bookings {
        let Some(o) = booking.outcome.as_ref().filter(|o| o.outcome.took_part()) else { continue };
        let c = out.entry(FiscalYear::of(slot.fields.starts_on)).or_default();
        match slot.fields.kind {
            SlotKind::Tour => c.tours += 1,
            SlotKind::Internship | SlotKind::SchoolTraining => {
                c.internships += 1;
                c.insurance_subsidies += i64::from(o.insurance_subsidy);
                c.employer_grants += i64::from(o.employer_grant);
            }
        }
    }
    out
}

/// Slots still to come ranked for a person who can go to `areas` (any, when none): those with a
/// free seat only, the ones in the areas first, then internships and school trainings before
/// tours, then the soonest; at most `limit`. Each is given with whether it is in the areas — the
/// reason for its place. `place` says where a slot's employer is.
pub fn slots_for<T>(
    areas: &[crate::LocalGovCode],
    slots: impl IntoIterator<Item = T>,
    slot: impl Fn(&T) -> (&Slot, u32, Option<&crate::LocalGovCode>),
    limit: usize,
) -> Vec<(T, bool)> {
    let mut out: Vec<(T, bool)> = slots
        .into_iter()
        .filter(|t| {
            let (s, taken, _) = slot(t);
            taken < u32::from(s.fields.capacity)
        })
        .map(|t| {
            let (_, _, place) = slot(&t);
            let near = areas.is_empty() || place.is_some_and(|p| areas.contains(p));
            (t, near)
        })
        .collect();
    out.sort_by_key(|(t, near)| {
        let (s, _, _) = slot(t);
        (!*near, s.fields.kind == SlotKind::Tour, s.fields.starts_on, s.id)
    });
    out.truncate(limit);
    out
}

/// What one employer took part in in one fiscal year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EmployerYear {
    /// Persons who took part in its internships and school trainings (by the first day).
    pub internships: i64,
    /// Persons who took part in its tours.
    pub tours: i64,
    /// Persons it hired (by the first day of work).
    pub hires: i64,
}

/// An employer's record with the network per fiscal year, the latest first: who took part in
/// its slots (`bookings`, with their slots) and whom it hired (`hires`: the first days of work).
/// Counts only, never whose.
pub fn employer_years<'a>(
    bookings: impl IntoIterator<Item = (&'a Slot, &'a Booking)>,
    hires: impl IntoIterator<Item = Date>,
) -> Vec<(FiscalYear, EmployerYear)> {
    let mut out: std::collections::BTreeMap<FiscalYear, EmployerYear> = counts_by_year(bookings)
        .into_iter()
        .map(|(year, c)| (year, EmployerYear { internships: c.internships, tours: c.tours, hires: 0 }))
        .collect();
    for day in hires {
        out.entry(FiscalYear::of(day)).or_default().hires += 1;
    }
    out.into_iter().rev().collect()
}

/// Per fiscal year, the companies opened up (3-1's 開拓企業数・実習受入可能企業数): those an agency
/// recorded as developed that year (`developed`: the employer and the day it was recorded) and
/// those that offered an internship or a school's training starting that year (`slots`), each
/// company once a year however often it appears. A tour is a visit, not a place to train: it
/// does not count.
pub fn companies_by_year<'a>(
    developed: impl IntoIterator<Item = (EmployerId, Date)>,
    slots: impl IntoIterator<Item = &'a Slot>,
) -> std::collections::BTreeMap<FiscalYear, i64> {
    let offered =
        slots.into_iter().filter(|s| s.fields.kind != SlotKind::Tour).map(|s| (s.employer, s.fields.starts_on));
    let mut seen = std::collections::BTreeSet::new();
    for (employer, day) in developed.into_iter().chain(offered) {
        seen.insert((FiscalYear::of(day), employer));
    }
    let mut out = std::collections::BTreeMap::new();
    for (year, _) in seen {
        *out.entry(year).or_insert(0) += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::consent::ConsentId;
    use time::macros::{date, datetime};

    fn codes(p: &Problems) -> Vec<(&str, &str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    fn input() -> SlotInput {
        SlotInput {
            slot_kind: "internship".into(),
            slot_title: "清掃補助の実習".into(),
            first_day: "2026-12-07".into(),
            last_day: "2026-12-11".into(),
            capacity: "２".into(),
            slot_note: String::new(),
        }
    }

    fn slot(n: u128, fields: SlotFields) -> Slot {
        Slot {
            id: SlotId(Uuid::from_u128(n)),
            prefecture: "13".into(),
            employer: EmployerId(Uuid::from_u128(100)),
            agency: AgencyId(Uuid::from_u128(200)),
            fields,
            version: 1,
            created_at: datetime!(2026-12-01 9:00 UTC),
            updated_at: datetime!(2026-12-01 9:00 UTC),
        }
    }

    const TODAY: Date = date!(2026 - 12 - 03);

    #[test]
    fn a_slot_is_read_with_its_days_and_capacity() {
        let f = input().validate(TODAY, 0, &[]).expect("valid");
        assert_eq!((f.starts_on, f.ends_on, f.capacity), (date!(2026 - 12 - 07), date!(2026 - 12 - 11), 2));
        let one_day = SlotInput { slot_kind: "tour".into(), last_day: String::new(), ..input() };
        let f = one_day.validate(TODAY, 0, &[]).expect("valid");
        assert_eq!(f.starts_on, f.ends_on, "a tour of one day");
    }

    #[test]
    fn capacity_below_those_taken_overlaps_and_reversed_days_are_named() {
        let p = input().validate(TODAY, 3, &[]).expect_err("below");
        assert_eq!(codes(&p), [("capacity", "below_seats_taken")]);
        assert_eq!(p.iter().next().and_then(|p| p.limit), Some(3));
        let reversed = SlotInput { last_day: "2026-12-06".into(), ..input() };
        assert_eq!(codes(&reversed.validate(TODAY, 0, &[]).expect_err("reversed")), [("last_day", "before_first_day")]);
        let long = SlotInput { last_day: "2027-06-01".into(), ..input() };
        assert_eq!(codes(&long.validate(TODAY, 0, &[]).expect_err("long")), [("last_day", "slot_too_long")]);
        let existing = slot(1, input().validate(TODAY, 0, &[]).expect("valid"));
        let overlapping = SlotInput { first_day: "2026-12-11".into(), last_day: "2026-12-12".into(), ..input() };
        assert_eq!(
            codes(&overlapping.validate(TODAY, 0, std::slice::from_ref(&existing)).expect_err("overlaps")),
            [("first_day", "slot_overlaps")]
        );
        let tour = SlotInput { slot_kind: "tour".into(), ..overlapping };
        assert!(tour.validate(TODAY, 0, &[existing]).is_ok(), "a tour beside an internship is no overlap");
    }

    fn consent(person: PersonId, employer: EmployerId) -> Consent {
        Consent {
            id: ConsentId(Uuid::from_u128(9)),
            person,
            recipient: Recipient::Employer(employer),
            purposes: vec![Purpose::Placement],
            categories: vec![crate::consent::DataCategory::Basic],
            valid_from: date!(2026 - 01 - 01),
            valid_to: None,
            revoked_at: None,
        }
    }

    fn booking(n: u128, slot: SlotId, person: PersonId) -> Booking {
        Booking {
            id: BookingId(Uuid::from_u128(n)),
            prefecture: "13".into(),
            slot,
            person,
            agency: AgencyId(Uuid::from_u128(200)),
            consent: ConsentId(Uuid::from_u128(9)),
            booked_by: AccountId(Uuid::from_u128(300)),
            booked_at: datetime!(2026-12-01 9:00 UTC),
            outcome: None,
            version: 1,
        }
    }

    #[test]
    fn a_booking_needs_a_seat_a_free_week_and_the_persons_consent() {
        let s = slot(1, input().validate(TODAY, 0, &[]).expect("valid"));
        let (a, b, c) = (PersonId(Uuid::from_u128(11)), PersonId(Uuid::from_u128(12)), PersonId(Uuid::from_u128(13)));
        let now = datetime!(2026-12-03 9:00 UTC);
        let ok = check_booking(&s, c, &[booking(1, s.id, a)], &[], &[consent(c, s.employer)], now, TODAY);
        assert!(ok.is_ok());
        let full = [booking(1, s.id, a), booking(2, s.id, b)];
        let refused = check_booking(&s, c, &full, &[], &[consent(c, s.employer)], now, TODAY).expect_err("full");
        assert_eq!(codes(&refused), [("person", "slot_full")]);
        let mut withdrawn = booking(2, s.id, b);
        withdrawn.outcome = Some(BookingOutcome {
            outcome: Outcome::Withdrawn,
            note: String::new(),
            insurance_subsidy: false,
            employer_grant: false,
        });
        let freed = [booking(1, s.id, a), withdrawn];
        assert!(
            check_booking(&s, c, &freed, &[], &[consent(c, s.employer)], now, TODAY).is_ok(),
            "a withdrawal frees a seat"
        );
        let other = slot(2, SlotFields { kind: SlotKind::Tour, ..s.fields.clone() });
        let busy = check_booking(&s, c, &[], &[other], &[consent(c, s.employer)], now, TODAY).expect_err("busy");
        assert_eq!(codes(&busy), [("person", "booked_elsewhere")]);
        let elsewhere = consent(c, EmployerId(Uuid::from_u128(101)));
        let none = check_booking(&s, c, &[], &[], &[elsewhere], now, TODAY).expect_err("consent");
        assert_eq!(codes(&none), [("person", "no_consent_for_employer")]);
    }

    #[test]
    fn outcomes_count_by_the_fiscal_year_of_the_first_day() {
        let s = slot(1, input().validate(TODAY, 0, &[]).expect("valid"));
        let early = slot(
            2,
            SlotFields { starts_on: date!(2026 - 03 - 30), ends_on: date!(2026 - 03 - 31), ..s.fields.clone() },
        );
        let tour = slot(3, SlotFields { kind: SlotKind::Tour, ..s.fields.clone() });
        let done = |n, slot: &Slot, subsidy, grant, outcome| {
            let mut b = booking(n, slot.id, PersonId(Uuid::from_u128(n)));
            b.outcome = Some(BookingOutcome {
                outcome,
                note: String::new(),
                insurance_subsidy: subsidy,
                employer_grant: grant,
            });
            b
        };
        let rows = [
            (&s, done(1, &s, true, true, Outcome::Completed)),
            (&s, done(2, &s, true, false, Outcome::Offered)),
            (&s, done(3, &s, true, false, Outcome::Withdrawn)),
            (&s, booking(4, s.id, PersonId(Uuid::from_u128(4)))),
            (&early, done(5, &early, true, false, Outcome::Completed)),
            (&tour, done(6, &tour, false, false, Outcome::Completed)),
        ];
        let counts = counts_by_year(rows.iter().map(|(s, b)| (*s, b)));
        let fy2026 = counts[&FiscalYear::of(date!(2026 - 12 - 07))];
        assert_eq!(fy2026, YearCounts { internships: 2, insurance_subsidies: 2, employer_grants: 1, tours: 1 });
        assert_eq!(counts[&FiscalYear::of(date!(2026 - 03 - 30))].internships, 1, "March is the year before");
    }

    #[test]
    fn slots_for_a_person_put_those_in_their_areas_first_then_internships_then_the_soonest() {
        let base = input().validate(TODAY, 0, &[]).expect("valid");
        let at = |n: u128, kind: SlotKind, day: Date| {
            slot(n, SlotFields { kind, starts_on: day, ends_on: day, ..base.clone() })
        };
        let near = crate::LocalGovCode::parse("131016").expect("code");
        let far = crate::LocalGovCode::parse("132012").expect("code");
        let rows = [
            (at(1, SlotKind::Tour, date!(2026 - 12 - 08)), 0, Some(near.clone())),
            (at(2, SlotKind::Internship, date!(2026 - 12 - 20)), 0, Some(near.clone())),
            (at(3, SlotKind::Internship, date!(2026 - 12 - 09)), 0, Some(far.clone())),
            (at(4, SlotKind::Internship, date!(2026 - 12 - 10)), 2, Some(near.clone())),
            (at(5, SlotKind::Internship, date!(2026 - 12 - 15)), 0, Some(near.clone())),
        ];
        let ranked = slots_for(std::slice::from_ref(&near), rows.iter(), |(s, t, p)| (s, *t, p.as_ref()), 10);
        let order: Vec<(u128, bool)> = ranked.iter().map(|((s, _, _), n)| (s.id.0.as_u128(), *n)).collect();
        assert_eq!(order, [(5, true), (2, true), (1, true), (3, false)], "the full one is left out");
        let anywhere = slots_for(&[], rows.iter(), |(s, t, p)| (s, *t, p.as_ref()), 2);
        let order: Vec<u128> = anywhere.iter().map(|((s, _, _), _)| s.id.0.as_u128()).collect();
        assert_eq!(order, [3, 5], "no areas: every place is near");
    }

    #[test]
    fn an_employers_years_count_who_took_part_and_who_was_hired_latest_first() {
        let s = slot(1, input().validate(TODAY, 0, &[]).expect("valid"));
        let mut took_part = booking(1, s.id, PersonId(Uuid::from_u128(1)));
        took_part.outcome = Some(BookingOutcome {
            outcome: Outcome::Completed,
            note: String::new(),
            insurance_subsidy: false,
            employer_grant: false,
        });
        let waiting = booking(2, s.id, PersonId(Uuid::from_u128(2)));
        let rows = [(&s, &took_part), (&s, &waiting)];
        let years = employer_years(rows, [date!(2025 - 10 - 01), date!(2026 - 04 - 01)]);
        assert_eq!(
            years,
            [
                (FiscalYear::of(TODAY), EmployerYear { internships: 1, tours: 0, hires: 1 }),
                (FiscalYear::of(date!(2025 - 10 - 01)), EmployerYear { internships: 0, tours: 0, hires: 1 }),
            ]
        );
    }

    #[test]
    fn a_company_opened_up_counts_once_a_year_and_a_tour_not_at_all() {
        let s = slot(1, input().validate(TODAY, 0, &[]).expect("valid"));
        let employer = s.employer;
        let other = EmployerId(Uuid::from_u128(77));
        let tour = Slot {
            employer: EmployerId(Uuid::from_u128(78)),
            ..slot(2, SlotFields { kind: SlotKind::Tour, ..s.fields.clone() })
        };
        let developed =
            [(employer, date!(2026 - 04 - 01)), (other, date!(2026 - 03 - 31)), (other, date!(2026 - 05 - 01))];
        let counts = companies_by_year(developed, [&s, &tour]);
        assert_eq!(counts[&FiscalYear::of(TODAY)], 2, "the employer developed and training there counts once");
        assert_eq!(counts[&FiscalYear::of(date!(2026 - 03 - 31))], 1, "March is the year before");
        assert_eq!(counts.len(), 2);
    }

    #[test]
    fn an_outcome_waits_for_the_first_day_and_a_tour_draws_no_subsidy() {
        let s = slot(1, input().validate(TODAY, 0, &[]).expect("valid"));
        let done =
            OutcomeInput { outcome: "completed".into(), insurance_subsidy: "on".into(), ..OutcomeInput::default() };
        assert_eq!(codes(&done.validate(&s, TODAY).expect_err("early")), [("outcome", "slot_not_begun")]);
        assert!(done.validate(&s, date!(2026 - 12 - 11)).expect("done").insurance_subsidy);
        let tour = slot(2, SlotFields { kind: SlotKind::Tour, ..s.fields.clone() });
        assert_eq!(
            codes(&done.validate(&tour, date!(2026 - 12 - 11)).expect_err("tour")),
            [("insurance_subsidy", "tour_draws_no_subsidy")]
        );
    }
}
