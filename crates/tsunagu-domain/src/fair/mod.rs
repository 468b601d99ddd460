//! Interview fairs (面談会; the seed's 企業と移行推進事業所との面談会 and 職場体験実習面談会): an
//! organising agency invites companies, each holding desks through a row of equal time slots, and
//! participating agencies, each asking for meetings with up to [`MAX_CHOICES`] of the companies in
//! order of preference; [`Fair::schedule`] gives the schedule of greatest total preference, which is
//! printed as one timetable per company and per participant.
//!
//! A fair is one document, edited as a whole and stored with a version: each edit is checked here
//! and leaves the document valid, and a schedule made before an edit is kept, marked as needing to be
//! made again (which keeps every meeting it can: see [`schedule::reschedule`]).

pub mod schedule;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime, Time};
use uuid::Uuid;

use crate::directory::AgencyId;
use crate::employer::EmployerId;
use crate::validation::{Problem, Problems, text_field, time_field};

pub use schedule::{FairProblem, MAX_DESKS, MAX_SLOTS, Meeting, Preference};

/// The most companies a participant may ask for.
pub const MAX_CHOICES: usize = 5;
/// The most companies in one fair.
pub const MAX_COMPANIES: usize = 200;
/// The most participants in one fair.
pub const MAX_PARTICIPANTS: usize = 1000;

/// A fair's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FairId(pub Uuid);

/// An interview fair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fair {
    /// Id.
    pub id: FairId,
    /// Prefecture code of the organiser.
    pub prefecture: String,
    /// The organising agency.
    pub organiser: AgencyId,
    /// Its date, time and place.
    pub header: FairHeader,
    /// The companies, in the order they were added.
    pub companies: Vec<FairCompany>,
    /// The participants, in the order they were added.
    pub participants: Vec<FairParticipant>,
    /// The schedule as last made (empty before the first).
    pub meetings: Vec<FairMeeting>,
    /// What the last scheduling gave, if the fair has been scheduled.
    pub outcome: Option<Outcome>,
    /// True when companies or participants changed after the schedule was made.
    pub stale: bool,
    /// Incremented by every edit; an edit made on an older version is refused.
    pub version: i64,
    /// Last change.
    pub updated_at: OffsetDateTime,
}

/// A fair's title, date, place and slots.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairHeader {
    /// Title.
    pub title: String,
    /// Date.
    pub date: Date,
    /// Venue (optional).
    pub venue: Option<String>,
    /// The first slot's start.
    pub starts: Time,
    /// Length of a slot, in minutes (the change-over included).
    pub slot_minutes: u16,
    /// Number of slots.
    pub slots: u16,
}

/// A company at a fair.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairCompany {
    /// The employer.
    pub employer: EmployerId,
    /// Its name as printed on the timetables.
    pub name: String,
    /// Desks it holds in every slot.
    pub desks: u16,
}

/// A participating agency and the companies it asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FairParticipant {
    /// The agency.
    pub agency: AgencyId,
    /// Its name as printed on the timetables.
    pub name: String,
    /// The most meetings it wants.
    pub wants: u16,
    /// Companies asked for, first choice first.
    pub choices: Vec<EmployerId>,
}

/// A meeting in the schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FairMeeting {
    /// Who.
    pub agency: AgencyId,
    /// With whom.
    pub employer: EmployerId,
    /// At which of the company's desks, from 0.
    pub desk: u16,
    /// In which slot, from 0.
    pub slot: u16,
}

/// What the last scheduling gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// Total preference of the schedule (a first choice counts [`MAX_CHOICES`], the last 1).
    pub total: u64,
    /// Meetings in the schedule.
    pub meetings: u32,
    /// What filling first choices first, at the first free time, would have given.
    pub greedy_total: u64,
    /// Meetings in that schedule.
    pub greedy_meetings: u32,
    /// Meetings of the schedule before that kept their time and desk.
    pub kept: u32,
    /// Meetings of the schedule before that moved.
    pub moved: u32,
    /// Meetings of the schedule before that are no longer held (a withdrawal takes its meetings
    /// with it at once; these are the meetings of those still in the fair).
    pub dropped: u32,
    /// Meetings that are new.
    pub added: u32,
}

/// A fair's header as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FairHeaderInput {
    /// Title.
    pub title: String,
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Venue.
    pub venue: String,
    /// `HH:MM`.
    pub starts: String,
    /// Minutes.
    pub slot_minutes: String,
    /// Count.
    pub slots: String,
}

impl FairHeaderInput {
    /// The header, or every problem with it, by field: `title`, `date`, `venue`, `starts`,
    /// `slot_minutes`, `slots`.
    pub fn validate(&self) -> Result<FairHeader, Problems> {
        let mut p = Problems::new();
        let title = text_field(&mut p, "title", &self.title, 100, true);
        let venue = text_field(&mut p, "venue", &self.venue, 200, false);
        let date = parse_date(&mut p, "date", &self.date);
        let starts = time_field(&mut p, "starts", &self.starts);
        let slot_minutes = number(&mut p, "slot_minutes", &self.slot_minutes, 5, 120);
        let slots = number(&mut p, "slots", &self.slots, 1, MAX_SLOTS);
        if let (Some(starts), Some(minutes), Some(slots)) = (starts, slot_minutes, slots) {
            let end =
                u32::from(starts.hour()) * 60 + u32::from(starts.minute()) + u32::from(minutes) * u32::from(slots);
            if end > 24 * 60 {
                p.add("slots", "ends_after_midnight");
            }
        }
        let (Some(title), Some(date), Some(starts), Some(slot_minutes), Some(slots)) =
            (title, date, starts, slot_minutes, slots)
        else {
            return Err(p);
        };
        p.into_result(FairHeader { title, date, venue, starts, slot_minutes, slots })
    }
}

fn parse_date(p: &mut Problems, field: &'static str, raw: &str) -> Option<Date> {
    let raw = raw.trim();
    if raw.is_empty() {
        p.add(field, "required");
        return None;
    }
    let date = crate::calendar::parse_date(raw);
    if date.is_none() {
        p.add(field, "invalid_date");
    }
    date
}

fn number(p: &mut Problems, field: &'static str, raw: &str, min: u16, max: u16) -> Option<u16> {
    let raw = raw.trim();
    if raw.is_empty() {
        p.add(field, "required");
        return None;
    }
    match raw.parse::<u16>() {
        Ok(n) if (min..=max).contains(&n) => Some(n),
        Ok(_) => {
            p.push(Problem { field, code: "out_of_range", limit: Some(max.into()) });
            None
        }
        Err(_) => {
            p.add(field, "not_a_number");
            None
        }
    }
}

fn one(field: &'static str, code: &'static str, limit: Option<u32>) -> Problems {
    let mut p = Problems::new();
    p.push(Problem { field, code, limit });
    p
}

/// Where a fair's schedule stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FairState {
    /// Never scheduled.
    Open,
    /// Scheduled, and nothing changed since.
    Scheduled,
    /// Scheduled, then companies, agencies or choices changed.
    Stale,
}

impl FairState {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            FairState::Open => "open",
            FairState::Scheduled => "scheduled",
            FairState::Stale => "stale",
        }
    }
}

impl Fair {
    /// Where its schedule stands.
    pub fn state(&self) -> FairState {
        match (&self.outcome, self.stale) {
            (None, _) => FairState::Open,
            (Some(_), true) => FairState::Stale,
            (Some(_), false) => FairState::Scheduled,
        }
    }

    /// A new fair with no one yet.
    pub fn new(id: FairId, prefecture: String, organiser: AgencyId, header: FairHeader, at: OffsetDateTime) -> Self {
        Self {
            id,
            prefecture,
            organiser,
            header,
            companies: Vec::new(),
            participants: Vec::new(),
            meetings: Vec::new(),
            outcome: None,
            stale: false,
            version: 1,
            updated_at: at,
        }
    }

    /// The start and end of slot `slot`.
    pub fn slot_times(&self, slot: u16) -> (Time, Time) {
        let minute = |n: u32| {
            let n = n.min(24 * 60 - 1);
            Time::from_hms(u8::try_from(n / 60).unwrap_or(23), u8::try_from(n % 60).unwrap_or(59), 0)
                .unwrap_or(Time::MIDNIGHT)
        };
        let h = &self.header;
        let first = u32::from(h.starts.hour()) * 60 + u32::from(h.starts.minute());
        let start = first + u32::from(slot) * u32::from(h.slot_minutes);
        (minute(start), minute(start + u32::from(h.slot_minutes)))
    }

    fn touched(&mut self) {
        if self.outcome.is_some() {
            self.stale = true;
        }
    }

    /// Desks of `employer` the schedule uses.
    fn desks_in_use(&self, employer: EmployerId) -> u16 {
        self.meetings.iter().filter(|m| m.employer == employer).map(|m| m.desk + 1).max().unwrap_or(0)
    }

    /// Changes the header. Fewer slots than the schedule uses is refused (`slots`,
    /// `below_bookings`, with the slots in use as the limit).
    pub fn set_header(&mut self, header: FairHeader) -> Result<(), Problems> {
        let in_use = self.meetings.iter().map(|m| m.slot + 1).max().unwrap_or(0);
        if header.slots < in_use {
            return Err(one("slots", "below_bookings", Some(in_use.into())));
        }
        if self.participants.iter().any(|p| p.wants > header.slots) {
            return Err(one("slots", "below_wants", None));
        }
        if header.slots != self.header.slots {
            self.touched();
        }
        self.header = header;
        Ok(())
    }

    /// Adds a company, or changes its desks. Problems: `desks` out of range, or fewer than the
    /// schedule uses (`below_bookings`); `companies` when the fair has [`MAX_COMPANIES`].
    pub fn set_company(&mut self, employer: EmployerId, name: String, desks: &str) -> Result<(), Problems> {
        let mut p = Problems::new();
        let Some(desks) = number(&mut p, "desks", desks, 1, MAX_DESKS) else {
            return Err(p);
        };
        let in_use = self.desks_in_use(employer);
        if desks < in_use {
            return Err(one("desks", "below_bookings", Some(in_use.into())));
        }
        match self.companies.iter().position(|c| c.employer == employer) {
            Some(i) => self.companies[i].desks = desks,
            None if self.companies.len() >= MAX_COMPANIES => {
                return Err(one("companies", "too_many", Some(MAX_COMPANIES as u32)));
            }
            None => self.companies.push(FairCompany { employer, name, desks }),
        }
        self.touched();
        Ok(())
    }

    /// Withdraws a company: its meetings and the choices naming it go. False when it is not in
    /// the fair.
    pub fn remove_company(&mut self, employer: EmployerId) -> bool {
        let before = self.companies.len();
        self.companies.retain(|c| c.employer != employer);
        if self.companies.len() == before {
            return false;
        }
        self.meetings.retain(|m| m.employer != employer);
        for p in &mut self.participants {
            p.choices.retain(|c| *c != employer);
        }
        self.touched();
        true
    }

    /// Adds a participant, or replaces its wants and choices. `choices` are the companies asked
    /// for, first choice first, blanks ignored. Problems: `wants` (a number from 1 to the slots),
    /// `choices` (`required`, `unknown_company`, `duplicate`, `too_many`).
    pub fn set_participant(
        &mut self,
        agency: AgencyId,
        name: String,
        wants: &str,
        choices: &[Option<EmployerId>],
    ) -> Result<(), Problems> {
        let mut p = Problems::new();
        let wants = number(&mut p, "wants", wants, 1, self.header.slots);
        let chosen: Vec<EmployerId> = choices.iter().flatten().copied().collect();
        if chosen.is_empty() {
            p.add("choices", "required");
        } else if chosen.len() > MAX_CHOICES {
            p.push(Problem { field: "choices", code: "too_many", limit: Some(MAX_CHOICES as u32) });
        } else if chosen.iter().any(|e| !self.companies.iter().any(|c| c.employer == *e)) {
            p.add("choices", "unknown_company");
        } else if chosen.iter().enumerate().any(|(i, e)| chosen[..i].contains(e)) {
            p.add("choices", "duplicate");
        }
        let Some(wants) = wants else {
            return Err(p);
        };
        if !p.is_empty() {
            return Err(p);
        }
        match self.participants.iter().position(|x| x.agency == agency) {
            Some(i) => {
                self.participants[i].wants = wants;
                self.participants[i].choices = chosen;
            }
            None if self.participants.len() >= MAX_PARTICIPANTS => {
                return Err(one("participants", "too_many", Some(MAX_PARTICIPANTS as u32)));
            }
            None => self.participants.push(FairParticipant { agency, name, wants, choices: chosen }),
        }
        self.touched();
        Ok(())
    }

    /// Withdraws a participant and its meetings. False when it is not in the fair.
    pub fn remove_participant(&mut self, agency: AgencyId) -> bool {
        let before = self.participants.len();
        self.participants.retain(|p| p.agency != agency);
        if self.participants.len() == before {
            return false;
        }
        self.meetings.retain(|m| m.agency != agency);
        self.touched();
        true
    }

    /// The scheduling problem: companies and participants by position, a first choice worth
    /// [`MAX_CHOICES`] and each later one one less.
    pub fn problem(&self) -> FairProblem {
        let company = |e: &EmployerId| self.companies.iter().position(|c| c.employer == *e);
        let preferences = self
            .participants
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                p.choices.iter().enumerate().filter_map(move |(rank, e)| {
                    Some(Preference {
                        participant: i,
                        company: company(e)?,
                        weight: u32::try_from(MAX_CHOICES.saturating_sub(rank)).unwrap_or(1).max(1),
                    })
                })
            })
            .collect();
        FairProblem {
            slots: self.header.slots,
            desks: self.companies.iter().map(|c| c.desks).collect(),
            wants: self.participants.iter().map(|p| p.wants).collect(),
            preferences,
        }
    }

    /// Makes the schedule (again): the optimum, keeping every meeting of the schedule before that
    /// the optimum allows; records it with the greedy baseline's total beside it.
    pub fn schedule(&mut self) -> Result<&Outcome, Problems> {
        let problem = self.problem();
        let participant = |a: &AgencyId| self.participants.iter().position(|p| p.agency == *a);
        let company = |e: &EmployerId| self.companies.iter().position(|c| c.employer == *e);
        let previous: Vec<Meeting> = self
            .meetings
            .iter()
            .filter_map(|m| {
                Some(Meeting {
                    participant: participant(&m.agency)?,
                    company: company(&m.employer)?,
                    desk: m.desk,
                    slot: m.slot,
                })
            })
            .collect();
        let made = schedule::reschedule(&problem, &previous)?;
        let greedy = schedule::greedy(&problem)?;
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let meetings: Vec<FairMeeting> = made
            .schedule
            .meetings
            .iter()
            .map(|m| FairMeeting {
                agency: self.participants[m.participant].agency,
                employer: self.companies[m.company].employer,
                desk: m.desk,
                slot: m.slot,
            })
            .collect();
        let dropped = self.meetings.len() - previous.len() + made.dropped.len();
        let outcome = Outcome {
            total: made.schedule.total,
            meetings: count(meetings.len()),
            greedy_total: greedy.total,
            greedy_meetings: count(greedy.meetings.len()),
            kept: count(made.kept),
            moved: count(made.moved.len()),
            dropped: count(dropped),
            added: count(made.added.len()),
        };
        self.meetings = meetings;
        self.stale = false;
        Ok(self.outcome.insert(outcome))
    }

    /// The company's name, if it is in the fair.
    pub fn company_name(&self, employer: EmployerId) -> Option<&str> {
        self.companies.iter().find(|c| c.employer == employer).map(|c| c.name.as_str())
    }

    /// The participant's name, if it is in the fair.
    pub fn participant_name(&self, agency: AgencyId) -> Option<&str> {
        self.participants.iter().find(|p| p.agency == agency).map(|p| p.name.as_str())
    }

    /// For each of `employer`'s desks, who it meets in each slot.
    pub fn company_timetable(&self, employer: EmployerId) -> Vec<Vec<Option<AgencyId>>> {
        let Some(company) = self.companies.iter().find(|c| c.employer == employer) else {
            return Vec::new();
        };
        let mut grid = vec![vec![None; usize::from(self.header.slots)]; usize::from(company.desks)];
        for m in self.meetings.iter().filter(|m| m.employer == employer) {
            if let Some(cell) = grid.get_mut(usize::from(m.desk)).and_then(|row| row.get_mut(usize::from(m.slot))) {
                *cell = Some(m.agency);
            }
        }
        grid
    }

    /// The participant's meetings, by slot.
    pub fn participant_timetable(&self, agency: AgencyId) -> Vec<FairMeeting> {
        let mut mine: Vec<FairMeeting> = self.meetings.iter().filter(|m| m.agency == agency).copied().collect();
        mine.sort_by_key(|m| m.slot);
        mine
    }

    /// The rank (1 = first choice) `agency` gave `employer`.
    pub fn rank(&self, agency: AgencyId, employer: EmployerId) -> Option<usize> {
        let p = self.participants.iter().find(|p| p.agency == agency)?;
        p.choices.iter().position(|e| *e == employer).map(|i| i + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(slots: &str) -> FairHeader {
        FairHeaderInput {
            title: "企業と移行推進事業所との面談会".into(),
            date: "2026-11-20".into(),
            venue: "".into(),
            starts: "13:30".into(),
            slot_minutes: "20".into(),
            slots: slots.into(),
        }
        .validate()
        .unwrap()
    }

    fn fair() -> Fair {
        let at = OffsetDateTime::UNIX_EPOCH;
        Fair::new(FairId(Uuid::from_u128(1)), "13".into(), AgencyId(Uuid::from_u128(2)), header("3"), at)
    }

    fn employer(n: u128) -> EmployerId {
        EmployerId(Uuid::from_u128(100 + n))
    }

    fn agency(n: u128) -> AgencyId {
        AgencyId(Uuid::from_u128(200 + n))
    }

    fn codes(p: Problems) -> Vec<(&'static str, &'static str)> {
        p.iter().map(|p| (p.field, p.code)).collect()
    }

    #[test]
    fn the_header_names_every_problem() {
        let bad = FairHeaderInput {
            title: " ".into(),
            date: "2026-02-30".into(),
            venue: "".into(),
            starts: "25:00".into(),
            slot_minutes: "3".into(),
            slots: "x".into(),
        };
        assert_eq!(
            codes(bad.validate().unwrap_err()),
            [
                ("title", "required"),
                ("date", "invalid_date"),
                ("starts", "invalid_time"),
                ("slot_minutes", "out_of_range"),
                ("slots", "not_a_number")
            ]
        );
        let late = FairHeaderInput { starts: "23:00".into(), slot_minutes: "30".into(), slots: "3".into(), ..bad };
        let late = FairHeaderInput { title: "夜".into(), date: "2026-11-20".into(), ..late };
        assert_eq!(codes(late.validate().unwrap_err()), [("slots", "ends_after_midnight")]);
    }

    #[test]
    fn slots_follow_one_another() {
        let f = fair();
        let t = |h, m| Time::from_hms(h, m, 0).unwrap();
        assert_eq!(f.slot_times(0), (t(13, 30), t(13, 50)));
        assert_eq!(f.slot_times(2), (t(14, 10), t(14, 30)));
    }

    #[test]
    fn choices_must_name_companies_of_the_fair_once_each() {
        let mut f = fair();
        f.set_company(employer(1), "A社".into(), "1").unwrap();
        f.set_company(employer(2), "B社".into(), "2").unwrap();
        let set = |f: &mut Fair, wants: &str, choices: &[Option<EmployerId>]| {
            f.set_participant(agency(1), "移行支援X".into(), wants, choices).map_err(codes)
        };
        assert_eq!(set(&mut f, "1", &[None, None]), Err(vec![("choices", "required")]));
        assert_eq!(set(&mut f, "1", &[Some(employer(9))]), Err(vec![("choices", "unknown_company")]));
        assert_eq!(set(&mut f, "1", &[Some(employer(1)), Some(employer(1))]), Err(vec![("choices", "duplicate")]));
        assert_eq!(set(&mut f, "4", &[Some(employer(1))]), Err(vec![("wants", "out_of_range")]));
        assert_eq!(set(&mut f, "2", &[Some(employer(2)), None, Some(employer(1))]), Ok(()));
        assert_eq!(f.participants[0].choices, [employer(2), employer(1)]);
        assert_eq!(f.rank(agency(1), employer(1)), Some(2));
    }

    #[test]
    fn a_withdrawal_keeps_everyone_else_where_they_were() {
        let mut f = fair();
        for n in 1..=3 {
            f.set_company(employer(n), format!("{n}社"), "1").unwrap();
        }
        for n in 1..=4 {
            let choices = [Some(employer(n % 3 + 1)), Some(employer((n + 1) % 3 + 1)), Some(employer((n + 2) % 3 + 1))];
            f.set_participant(agency(n), format!("機関{n}"), "2", &choices).unwrap();
        }
        let first = f.schedule().unwrap().clone();
        assert!(first.total >= first.greedy_total);
        assert_eq!(first.meetings, 8, "2 meetings each for 4 participants fit in 3 desks × 3 slots");
        let before = f.meetings.clone();
        assert!(f.remove_participant(agency(2)));
        assert!(f.stale);
        let again = f.schedule().unwrap().clone();
        assert!(!f.stale);
        assert_eq!(again.moved, 0);
        // The withdrawn participant's meetings went with it; nobody else lost one.
        assert_eq!((again.dropped, f.meetings.len()), (0, 6 + usize::try_from(again.added).unwrap()));
        for m in before.iter().filter(|m| m.agency != agency(2)) {
            assert!(f.meetings.contains(m), "{m:?} moved");
        }
    }

    #[test]
    fn capacity_below_the_bookings_is_refused() {
        let mut f = fair();
        f.set_company(employer(1), "A社".into(), "2").unwrap();
        for n in 1..=6 {
            f.set_participant(agency(n), format!("機関{n}"), "1", &[Some(employer(1))]).unwrap();
        }
        f.schedule().unwrap();
        assert_eq!(f.meetings.len(), 6);
        let err = f.set_company(employer(1), "A社".into(), "1").unwrap_err();
        assert_eq!(err.iter().next().map(|p| (p.code, p.limit)), Some(("below_bookings", Some(2))));
        let err = f.set_header(header("2")).unwrap_err();
        assert_eq!(err.iter().next().map(|p| (p.code, p.limit)), Some(("below_bookings", Some(3))));
        assert!(f.remove_company(employer(1)));
        assert!(f.meetings.is_empty() && f.participants.iter().all(|p| p.choices.is_empty()));
    }
}
