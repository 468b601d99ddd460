//! Events (催し) and their sign-ups: what staff organise, who may see and join them, the seats
//! and the waitlist, attendance and the certificate of completion.
//!
//! Events themselves are not personal data: anyone signed in sees those meant for them (staff
//! see every event). A sign-up of a person is: it is written by the person themselves or by
//! staff who may write the person's support data, read by them and by the organiser's staff, and
//! every read and write of it is audited on the person, in the same commit, and in their
//! disclosure. A sign-up of an account (a staff member, an employer's contact) is about that
//! user, audited on the event.

use std::collections::BTreeMap;

use tsunagu_domain::account::{Account, Role};
use tsunagu_domain::audit::{AuditAction, AuditEvent};
use tsunagu_domain::consent::DataCategory;
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::event::{
    Attendee, Audience, Event, EventId, EventInput, Signup, SignupId, SignupRefusal, SignupStatus, may_sign_up,
};
use tsunagu_domain::person::PersonId;
use tsunagu_store::{Change, Commit, StoreError};

use crate::persons::invalid;
use crate::{App, AppError};

/// The most events a list shows.
pub const EVENTS_LISTED: u32 = 200;
/// How many days before a session its reminder shows.
pub const REMINDER_DAYS: i64 = 3;
/// How many days a promotion from the waitlist stays among the notices.
pub const PROMOTION_NOTICE_DAYS: i64 = 14;

/// An event in a list, with its organiser's name.
#[derive(Debug, Clone)]
pub struct EventListing {
    /// The event.
    pub event: Event,
    /// The organiser's name.
    pub organiser: String,
}

/// A sign-up as its viewer may see it: with the attendee's name.
#[derive(Debug, Clone)]
pub struct SignupLine {
    /// The sign-up.
    pub signup: Signup,
    /// Who takes the seat.
    pub name: String,
    /// Its place among those waiting (from 1), while it waits.
    pub waiting_place: Option<usize>,
}

/// An event as one viewer sees it.
#[derive(Debug, Clone)]
pub struct EventPage {
    /// The event.
    pub event: Event,
    /// The organiser's name.
    pub organiser: String,
    /// Seats taken.
    pub confirmed: usize,
    /// Sign-ups waiting.
    pub waitlisted: usize,
    /// The sign-ups the viewer holds or made, not cancelled.
    pub mine: Vec<SignupLine>,
    /// Every sign-up, for the organiser's staff.
    pub roster: Option<Vec<SignupLine>>,
    /// The viewer may edit the event and record attendance.
    pub may_edit: bool,
    /// Whether the viewer may take a seat themselves (and why not).
    pub self_signup: Result<(), SignupRefusal>,
    /// The viewer may sign persons up (staff who hold cases).
    pub may_sign_up_persons: bool,
}

/// What the viewer's own sign-ups ask of them: seats that came free, sessions soon.
#[derive(Debug, Clone)]
pub struct MyEvents {
    /// The sign-ups the viewer holds or made, with their events, the latest first.
    pub signups: Vec<(SignupLine, Event)>,
    /// Of those, the ones a seat came free for lately.
    pub promoted: Vec<(SignupLine, Event)>,
    /// Sessions of confirmed sign-ups in the next few days: the sign-up, the event and the
    /// session's index.
    pub reminders: Vec<(SignupLine, Event, usize)>,
}

/// A person's sign-ups and the events they could join, as staff who support them see it.
#[derive(Debug, Clone)]
pub struct PersonEvents {
    /// 氏名.
    pub name: String,
    /// The person's sign-ups, the latest first, with their events.
    pub signups: Vec<(SignupLine, Event)>,
    /// Events for persons taking sign-ups today, the earliest first.
    pub open: Vec<EventListing>,
    /// The viewer may sign the person up and cancel.
    pub writable: bool,
}

/// What a certificate of completion says.
#[derive(Debug, Clone)]
pub struct Certificate {
    /// The event.
    pub event: Event,
    /// The organiser's name.
    pub organiser: String,
    /// Who completed it.
    pub name: String,
}

/// The audience an account signs up as, when it signs up for itself: none for staff, who may
/// join any event meant for staff.
fn audience_of(actor: &Account) -> Option<Audience> {
    if actor.has(Role::Person) {
        Some(Audience::Persons)
    } else if actor.has(Role::EmployerUser) {
        Some(Audience::Employers)
    } else {
        Some(Audience::Staff)
    }
}

/// Whether an event is shown to `actor`: staff and managers see every event; persons those for
/// persons or families; employers those for employers.
fn visible(actor: &Account, event: &Event) -> bool {
    if actor.has(Role::Person) {
        event.is_for(Audience::Persons) || event.is_for(Audience::Families)
    } else if actor.has(Role::EmployerUser) {
        event.is_for(Audience::Employers)
    } else {
        true
    }
}

fn record(event: EventId) -> String {
    format!("event:{}", event.0)
}

fn signup_record(id: SignupId) -> String {
    format!("event_signup:{}", id.0)
}

/// The places of those waiting, in the order of the line.
fn waiting_places(signups: &[Signup]) -> BTreeMap<SignupId, usize> {
    signups.iter().filter(|s| s.status == SignupStatus::Waitlisted).enumerate().map(|(i, s)| (s.id, i + 1)).collect()
}

impl App {
    /// Staff of an agency who hold cases organise events for it.
    pub fn may_organise_events(actor: &Account) -> bool {
        Self::may_register(actor)
    }

    fn organises(actor: &Account, event: &Event) -> bool {
        Self::may_organise_events(actor) && actor.agency == Some(event.organiser)
    }

    async fn organiser_name(&self, agency: AgencyId) -> Result<String, AppError> {
        Ok(self.directory().await?.agency(agency).map(|a| a.name.clone()).unwrap_or_default())
    }

    /// The events from today on that `actor` may see, the earliest first.
    pub async fn upcoming_events(&self, actor: &Account) -> Result<Vec<EventListing>, AppError> {
        let events = self.store.events_from(self.today(), EVENTS_LISTED).await.map_err(AppError::Store)?;
        let index = self.directory().await?;
        Ok(events
            .into_iter()
            .filter(|e| visible(actor, e))
            .map(|event| {
                let organiser = index.agency(event.organiser).map(|a| a.name.clone()).unwrap_or_default();
                EventListing { event, organiser }
            })
            .collect())
    }

    /// An agency's events, the latest first: for its calendar feed, which anyone may subscribe
    /// to (events are not personal data).
    pub async fn agency_events(&self, agency: AgencyId) -> Result<(String, Vec<Event>), AppError> {
        let index = self.directory().await?;
        let name = index.agency(agency).map(|a| a.name.clone()).ok_or(AppError::NotFound)?;
        let events = self.store.events_of_agency(agency, EVENTS_LISTED).await.map_err(AppError::Store)?;
        Ok((name, events))
    }

    /// An event `actor` may see.
    pub async fn find_event(&self, actor: &Account, id: EventId) -> Result<EventListing, AppError> {
        let event = self.store.event(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        if !visible(actor, &event) {
            return Err(AppError::NotFound);
        }
        let organiser = self.organiser_name(event.organiser).await?;
        Ok(EventListing { event, organiser })
    }

    /// The names of the sign-ups' attendees, each person's read from their record and audited
    /// on them (the sign-up is the basis: its person gave their name to the event).
    async fn signup_lines(
        &self,
        actor: &Account,
        signups: Vec<Signup>,
        all: &[Signup],
    ) -> Result<Vec<SignupLine>, AppError> {
        let places = waiting_places(all);
        let mut events = Vec::new();
        let mut lines = Vec::with_capacity(signups.len());
        for signup in signups {
            let name = match signup.attendee {
                Attendee::Account(_) => signup.attendee_name.clone(),
                Attendee::Person(person) => {
                    let file = self.store.person_file(person).await.map_err(AppError::Store)?;
                    events.push(self.person_event(
                        actor,
                        AuditAction::Read,
                        signup_record(signup.id),
                        person,
                        vec!["name".into(), "event_signup".into()],
                        signup_record(signup.id),
                    ));
                    file.map(|f| f.person.fields.name).unwrap_or_default()
                }
            };
            let waiting_place = places.get(&signup.id).copied();
            lines.push(SignupLine { signup, name, waiting_place });
        }
        if let Some(commit) = Commit::of_events(events) {
            self.commit(commit).await?;
        }
        Ok(lines)
    }

    /// Whether `actor` holds the sign-up or made it.
    fn holds(actor: &Account, signup: &Signup) -> bool {
        signup.signed_up_by == actor.id
            || match signup.attendee {
                Attendee::Account(a) => a == actor.id,
                Attendee::Person(p) => actor.has(Role::Person) && actor.person == Some(p),
            }
    }

    /// The event as `actor` sees it: the seats, their own sign-ups and, for the organiser's
    /// staff, everyone's (each person named audited).
    pub async fn event_page(&self, actor: &Account, id: EventId) -> Result<EventPage, AppError> {
        let EventListing { event, organiser } = self.find_event(actor, id).await?;
        let signups = self.store.signups_of_event(id).await.map_err(AppError::Store)?;
        let count = |status| signups.iter().filter(|s| s.status == status).count();
        let (confirmed, waitlisted) = (count(SignupStatus::Confirmed), count(SignupStatus::Waitlisted));
        let may_edit = Self::organises(actor, &event);
        let mine: Vec<Signup> =
            signups.iter().filter(|s| s.status != SignupStatus::Cancelled && Self::holds(actor, s)).cloned().collect();
        let (mine, roster) = if may_edit {
            let roster = self.signup_lines(actor, signups.clone(), &signups).await?;
            let mine = roster.iter().filter(|l| mine.iter().any(|m| m.id == l.signup.id)).cloned().collect();
            (mine, Some(roster))
        } else {
            (self.signup_lines(actor, mine, &signups).await?, None)
        };
        let taken = mine.iter().any(|l| l.signup.attendee == self_attendee(actor));
        let self_signup = match may_sign_up(&event, self.today(), audience_of(actor)) {
            Ok(()) if taken => Err(SignupRefusal::Held),
            other => other,
        };
        Ok(EventPage {
            may_sign_up_persons: Self::may_register(actor) && event.is_for(Audience::Persons),
            event,
            organiser,
            confirmed,
            waitlisted,
            mine,
            roster,
            may_edit,
            self_signup,
        })
    }

    /// A person's sign-ups, on the policy's decision to read their support data (audited on the
    /// person), and the events for persons taking sign-ups today.
    pub async fn person_events(&self, actor: &Account, person: PersonId) -> Result<PersonEvents, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let record = format!("event_signups:{}", person.0);
        let basis = self.read_basis(actor, &file, record.clone()).await?;
        let pairs = self.store.signups_of_person(person).await.map_err(AppError::Store)?;
        let fields = vec!["name".into(), "event_signup".into()];
        self.audit_person(actor, AuditAction::Read, record, person, fields, basis.audit_code()).await?;
        let name = file.person.fields.name.clone();
        let mut signups = Vec::with_capacity(pairs.len());
        for (signup, event) in pairs {
            let place = match signup.status {
                SignupStatus::Waitlisted => self.store.place_in_line(signup.id).await.map_err(AppError::Store)?,
                _ => None,
            };
            let waiting_place = place.and_then(|p| usize::try_from(p).ok());
            signups.push((SignupLine { signup, name: name.clone(), waiting_place }, event));
        }
        let today = self.today();
        let open = self
            .upcoming_events(actor)
            .await?
            .into_iter()
            .filter(|l| may_sign_up(&l.event, today, Some(Audience::Persons)).is_ok())
            .collect();
        Ok(PersonEvents { name, signups, open, writable: self.may_write_journey(actor, &file).await? })
    }

    /// Checks the event form, and its area against the directory's blocks.
    async fn event_fields(&self, input: &EventInput) -> Result<tsunagu_domain::event::EventFields, AppError> {
        let fields = input.validate(self.today()).map_err(AppError::Invalid)?;
        if let Some(area) = &fields.area
            && self.references().await?.block(area).is_none()
        {
            return Err(invalid("area", "unknown_code"));
        }
        Ok(fields)
    }

    /// The council meetings (連絡会), the latest first: every event of kind council that `actor`
    /// may see, with its organiser's name.
    pub async fn councils(&self, actor: &Account) -> Result<Vec<EventListing>, AppError> {
        let all = self.store.every_event().await.map_err(AppError::Store)?;
        let index = self.directory().await?;
        let mut councils: Vec<EventListing> = all
            .into_iter()
            .filter(|e| e.fields.kind == tsunagu_domain::event::EventKind::Council && visible(actor, e))
            .map(|event| {
                let organiser = index.agency(event.organiser).map(|a| a.name.clone()).unwrap_or_default();
                EventListing { event, organiser }
            })
            .collect();
        councils.sort_by_key(|l| (std::cmp::Reverse(l.event.fields.starts_on), l.event.id));
        Ok(councils)
    }

    /// Creates an event organised by the actor's agency.
    pub async fn create_event(&self, actor: &Account, input: &EventInput) -> Result<EventId, AppError> {
        if !Self::may_organise_events(actor) {
            return Err(AppError::Forbidden);
        }
        let organiser = Self::acting_agency(actor)?;
        let fields = self.event_fields(input).await?;
        let event = Event {
            id: EventId(uuid::Uuid::now_v7()),
            prefecture: crate::PREFECTURE.to_owned(),
            organiser,
            fields,
            written_by: actor.id,
            version: 1,
            updated_at: self.clock.now(),
        };
        let id = event.id;
        let audit = self.event(actor, AuditAction::Create, record(id), vec!["event".into()], "organiser".into());
        let change = Change::SaveEvent { event: Box::new(event), expected: None };
        self.commit(Commit::new(audit).with(change)).await?;
        Ok(id)
    }

    /// Changes an event from the version the form was loaded at; its capacity may not drop below
    /// the seats taken, and seats it adds go to the first in line.
    pub async fn edit_event(
        &self,
        actor: &Account,
        id: EventId,
        input: &EventInput,
        version: i64,
    ) -> Result<(), AppError> {
        let stored = self.store.event(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        if !Self::organises(actor, &stored) {
            return Err(AppError::Forbidden);
        }
        if stored.version != version {
            return Err(invalid("event_title", "event_changed"));
        }
        let fields = self.event_fields(input).await?;
        let capacity = fields.capacity;
        let event =
            Event { fields, written_by: actor.id, version: version + 1, updated_at: self.clock.now(), ..stored };
        let audit = self.event(actor, AuditAction::Update, record(id), vec!["event".into()], "organiser".into());
        let change = Change::SaveEvent { event: Box::new(event), expected: Some(version) };
        match self.commit(Commit::new(audit).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { current })) => {
                // The store refuses a stale version and a capacity below the seats taken alike;
                // the event's version tells which.
                let now = self.store.event(id).await.map_err(AppError::Store)?;
                if now.is_some_and(|e| e.version == version) && i64::from(capacity) < current {
                    Err(invalid("event_capacity", "capacity_below_confirmed"))
                } else {
                    Err(invalid("event_title", "event_changed"))
                }
            }
            Err(e) => Err(e),
        }
    }

    /// Writes a sign-up and reads back where it stands, with its place in line while it waits.
    async fn write_signup(&self, audit: AuditEvent, signup: Signup, name: String) -> Result<SignupLine, AppError> {
        let (id, event) = (signup.id, signup.event);
        match self.commit(Commit::new(audit).with(Change::SignUp(Box::new(signup)))).await {
            Ok(_) => {}
            Err(AppError::Store(StoreError::Duplicate { .. })) => return Err(invalid("signup", "signup_twice")),
            Err(AppError::Store(StoreError::NotFound)) => return Err(AppError::NotFound),
            Err(e) => return Err(e),
        }
        let (signup, place) =
            tokio::try_join!(self.store.signup(id), self.store.place_in_line(id)).map_err(AppError::Store)?;
        let signup = signup.filter(|s| s.event == event).ok_or(AppError::NotFound)?;
        Ok(SignupLine { signup, name, waiting_place: place.and_then(|p| usize::try_from(p).ok()) })
    }

    fn new_signup(&self, actor: &Account, event: &Event, attendee: Attendee, name: String) -> Signup {
        Signup {
            id: SignupId(uuid::Uuid::now_v7()),
            prefecture: event.prefecture.clone(),
            event: event.id,
            attendee,
            attendee_name: name,
            agency: match attendee {
                Attendee::Person(_) if !actor.has(Role::Person) => actor.agency,
                _ => None,
            },
            signed_up_by: actor.id,
            signed_up_at: self.clock.now(),
            status: SignupStatus::Waitlisted,
            position: 0,
            promoted_at: None,
            cancelled_at: None,
            attended: 0,
            version: 1,
        }
    }

    /// Takes a seat for the actor (a person for themselves, staff or an employer's contact for
    /// themselves), or a place on the waitlist when the event is full: the store decides which.
    pub async fn sign_up_self(&self, actor: &Account, id: EventId) -> Result<SignupLine, AppError> {
        let EventListing { event, organiser: _ } = self.find_event(actor, id).await?;
        may_sign_up(&event, self.today(), audience_of(actor)).map_err(|r| invalid("signup", r.code()))?;
        let attendee = self_attendee(actor);
        let (audit, name) = match attendee {
            Attendee::Person(person) => (
                self.person_event(
                    actor,
                    AuditAction::Create,
                    format!("event_signup:{}", id.0),
                    person,
                    vec!["event_signup".into()],
                    "self".into(),
                ),
                String::new(),
            ),
            Attendee::Account(_) => {
                let index = self.directory().await?;
                let whose = actor.agency.and_then(|a| index.agency(a)).map(|a| a.name.clone());
                let name = match whose {
                    Some(agency) => format!("{}（{agency}）", actor.display_name),
                    None => actor.display_name.clone(),
                };
                (self.event(actor, AuditAction::Create, record(id), vec!["event_signup".into()], "self".into()), name)
            }
        };
        let shown = match attendee {
            Attendee::Account(_) => name.clone(),
            Attendee::Person(_) => actor.display_name.clone(),
        };
        let signup = self.new_signup(actor, &event, attendee, name);
        self.write_signup(audit, signup, shown).await
    }

    /// Takes a seat (or a place in line) for a person, by staff who may write the person's
    /// support data; audited on the person.
    pub async fn sign_up_person(&self, actor: &Account, id: EventId, person: PersonId) -> Result<SignupLine, AppError> {
        if !Self::may_register(actor) {
            return Err(AppError::Forbidden);
        }
        let EventListing { event, organiser: _ } = self.find_event(actor, id).await?;
        may_sign_up(&event, self.today(), Some(Audience::Persons)).map_err(|r| invalid("signup", r.code()))?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let audit = self.person_event(
            actor,
            AuditAction::Create,
            format!("event_signup:{}", id.0),
            person,
            vec!["name".into(), "event_signup".into()],
            basis.audit_code(),
        );
        let signup = self.new_signup(actor, &event, Attendee::Person(person), String::new());
        self.write_signup(audit, signup, file.person.fields.name.clone()).await
    }

    /// Cancels a sign-up: by whoever holds it or made it, or by the organiser's staff. A seat it
    /// frees goes to the first in line, who is told in the app.
    pub async fn cancel_signup(&self, actor: &Account, id: SignupId) -> Result<EventId, AppError> {
        let signup = self.store.signup(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let event = self.store.event(signup.event).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        if !Self::holds(actor, &signup) && !Self::organises(actor, &event) {
            return Err(AppError::Forbidden);
        }
        let audit = match signup.attendee {
            Attendee::Person(person) => self.person_event(
                actor,
                AuditAction::Update,
                signup_record(id),
                person,
                vec!["event_signup".into()],
                signup_record(id),
            ),
            Attendee::Account(_) => {
                self.event(actor, AuditAction::Update, signup_record(id), vec!["event_signup".into()], "self".into())
            }
        };
        let change = Change::CancelSignup { event: event.id, id, at: self.clock.now() };
        self.commit(Commit::new(audit).with(change)).await?;
        Ok(event.id)
    }

    /// Records who attended session `session` (its index) of an event that has come: the
    /// organiser's staff only; each person's attendance audited on them.
    pub async fn record_attendance(
        &self,
        actor: &Account,
        id: EventId,
        session: usize,
        present: &[SignupId],
    ) -> Result<(), AppError> {
        let event = self.store.event(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        if !Self::organises(actor, &event) {
            return Err(AppError::Forbidden);
        }
        let Some(held) = event.fields.sessions.get(session) else { return Err(AppError::NotFound) };
        if held.date > self.today() {
            return Err(invalid("attendance", "session_not_held"));
        }
        let signups = self.store.signups_of_event(id).await.map_err(AppError::Store)?;
        let confirmed: Vec<&Signup> = signups.iter().filter(|s| s.status == SignupStatus::Confirmed).collect();
        if present.iter().any(|p| !confirmed.iter().any(|s| s.id == *p)) {
            return Err(invalid("attendance", "attendance_unknown_signup"));
        }
        let mut events =
            vec![self.event(actor, AuditAction::Update, record(id), vec!["attendance".into()], "organiser".into())];
        events.extend(confirmed.iter().filter_map(|s| {
            s.attendee.person().map(|person| {
                self.person_event(
                    actor,
                    AuditAction::Update,
                    signup_record(s.id),
                    person,
                    vec!["attendance".into()],
                    signup_record(s.id),
                )
            })
        }));
        let commit = Commit::of_events(events).ok_or(AppError::NotFound)?;
        let session = u8::try_from(session).map_err(|_| AppError::NotFound)?;
        self.commit(commit.with(Change::RecordAttendance { event: id, session, present: present.to_vec() })).await?;
        Ok(())
    }

    /// The actor's sign-ups — held or made for a person — with the seats that came free for them
    /// lately and the sessions soon.
    pub async fn my_events(&self, actor: &Account) -> Result<MyEvents, AppError> {
        let held = self.store.signups_of_account(actor.id).await.map_err(AppError::Store)?;
        let own_person = match actor.person {
            Some(p) if actor.has(Role::Person) => self.store.signups_of_person(p).await.map_err(AppError::Store)?,
            _ => Vec::new(),
        };
        let mut pairs = held;
        for pair in own_person {
            if !pairs.iter().any(|(s, _)| s.id == pair.0.id) {
                pairs.push(pair);
            }
        }
        pairs.sort_by_key(|p| std::cmp::Reverse(p.0.signed_up_at));
        let (signups, events): (Vec<Signup>, Vec<Event>) = pairs.into_iter().unzip();
        let lines = self.signup_lines(actor, signups, &[]).await?;
        let mut all: Vec<(SignupLine, Event)> = lines.into_iter().zip(events).collect();
        // Places in line are per event: each waiting sign-up's is counted where it waits.
        for (line, _) in &mut all {
            if line.signup.status == SignupStatus::Waitlisted {
                let place = self.store.place_in_line(line.signup.id).await.map_err(AppError::Store)?;
                line.waiting_place = place.and_then(|p| usize::try_from(p).ok());
            }
        }
        let now = self.clock.now();
        let today = self.today();
        let promoted = all
            .iter()
            .filter(|(l, _)| {
                l.signup.status == SignupStatus::Confirmed
                    && l.signup.promoted_at.is_some_and(|at| now - at <= time::Duration::days(PROMOTION_NOTICE_DAYS))
            })
            .cloned()
            .collect();
        let reminders = all
            .iter()
            .filter(|(l, _)| l.signup.status == SignupStatus::Confirmed)
            .flat_map(|(l, e)| {
                e.fields
                    .sessions
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| s.date >= today && s.date <= today + time::Duration::days(REMINDER_DAYS))
                    .map(|(i, _)| (l.clone(), e.clone(), i))
                    .collect::<Vec<_>>()
            })
            .collect();
        Ok(MyEvents { signups: all, promoted, reminders })
    }

    /// The certificate of a sign-up whose attendee attended every session: for whoever holds it
    /// or made it, and for the organiser's staff.
    pub async fn certificate(&self, actor: &Account, id: SignupId) -> Result<Certificate, AppError> {
        let signup = self.store.signup(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let event = self.store.event(signup.event).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        if !Self::holds(actor, &signup) && !Self::organises(actor, &event) {
            return Err(AppError::Forbidden);
        }
        if signup.status != SignupStatus::Confirmed || !signup.completed(event.fields.sessions.len()) {
            return Err(invalid("certificate", "course_not_completed"));
        }
        let all = self.store.signups_of_event(event.id).await.map_err(AppError::Store)?;
        let name = self.signup_lines(actor, vec![signup], &all).await?.remove(0).name;
        let organiser = self.organiser_name(event.organiser).await?;
        Ok(Certificate { event, organiser, name })
    }

    /// The sign-ups of an account's own calendar: the events it holds a seat at or signed
    /// someone up to, not cancelled.
    pub async fn my_calendar(&self, actor: &Account) -> Result<Vec<Event>, AppError> {
        let mine = self.my_events(actor).await?;
        let mut events: Vec<Event> = mine
            .signups
            .into_iter()
            .filter(|(l, _)| l.signup.status == SignupStatus::Confirmed)
            .map(|(_, e)| e)
            .collect();
        events.sort_by_key(|e| e.id);
        events.dedup_by_key(|e| e.id);
        Ok(events)
    }
}

impl App {
    /// Starts the actor's calendar feed, or starts it afresh (the earlier address stops working
    /// at once): the secret of its address, returned this once and never stored.
    pub async fn start_calendar_feed(&self, actor: &Account) -> Result<String, AppError> {
        let secret = crate::accounts::random_token();
        let change = Change::SetCalendarFeed {
            account: actor.id,
            key_hash: Some(crate::accounts::token_hash(&secret)),
            at: self.clock.now(),
        };
        self.commit(Commit::new(self.feed_event(actor, AuditAction::Create)).with(change)).await?;
        Ok(secret)
    }

    /// Stops the actor's calendar feed: its address answers nothing from now on.
    pub async fn stop_calendar_feed(&self, actor: &Account) -> Result<(), AppError> {
        let change = Change::SetCalendarFeed { account: actor.id, key_hash: None, at: self.clock.now() };
        self.commit(Commit::new(self.feed_event(actor, AuditAction::Update)).with(change)).await.map(|_| ())
    }

    fn feed_event(&self, actor: &Account, action: AuditAction) -> AuditEvent {
        let record = format!("calendar_feed:{}", actor.id.0);
        self.event(actor, action, record, vec!["calendar_feed".into()], "own_account".into())
    }

    /// When the actor's calendar feed was started, if it runs.
    pub async fn calendar_feed_since(&self, actor: &Account) -> Result<Option<time::OffsetDateTime>, AppError> {
        self.store.calendar_feed_of(actor.id).await.map_err(AppError::Store)
    }

    /// The calendar of the account whose feed's secret is `secret` ([`App::my_calendar`]): none
    /// for a secret of no feed, or of an account disabled since. The calendar holds events only,
    /// no one's name.
    pub async fn calendar_feed(&self, secret: &str) -> Result<Option<Vec<Event>>, AppError> {
        if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let hash = crate::accounts::token_hash(secret);
        let Some(login) = self.store.login_of_calendar_feed(&hash).await.map_err(AppError::Store)? else {
            return Ok(None);
        };
        match self.store.account_by_login(&login).await.map_err(AppError::Store)? {
            Some(account) if !account.disabled => self.my_calendar(&account).await.map(Some),
            _ => Ok(None),
        }
    }
}

/// Who an account takes a seat as: its person, for a person's own account; itself otherwise.
fn self_attendee(actor: &Account) -> Attendee {
    match actor.person {
        Some(p) if actor.has(Role::Person) => Attendee::Person(p),
        _ => Attendee::Account(actor.id),
    }
}
