//! Internships and company tours: agencies' staff open an employer's slots (職場体験実習, 現場実習,
//! 企業見学) and place the persons they support into them; how each went — and the insurance
//! subsidy and employer's grant it drew — is recorded afterwards and counted for program 5-2.
//!
//! A slot names no person: it is written through the audited commit like an opening. Placing a
//! person into a slot tells the employer who is coming, so it needs the person's consent in force
//! naming the employer, is written on the person's record and recorded as a provision of their
//! name to the employer, in one commit. The store holds the seats: two agencies placing the last
//! free seat at once cannot both have it.

use tsunagu_domain::Problems;
use tsunagu_domain::access::Action;
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::{DataCategory, Provision, Purpose, Recipient};
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::internship::{
    Booking, BookingId, EmployerYear, OutcomeInput, Slot, SlotId, SlotInput, check_booking, employer_years, slots_for,
};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::program::FiscalYear;
use tsunagu_store::{Change, Commit, StoreError};

use crate::clock::tokyo_date;
use crate::persons::invalid;
use crate::{App, AppError};

/// A slot with the seats its bookings hold.
#[derive(Debug, Clone)]
pub struct SlotView {
    /// The slot.
    pub slot: Slot,
    /// Seats held (bookings not withdrawn).
    pub taken: usize,
    /// The viewer may edit it.
    pub may_edit: bool,
}

/// The most slots still to come a person's page offers.
pub const UPCOMING: u32 = 50;

/// A person's internships and tours, as one viewer may see them.
#[derive(Debug, Clone)]
pub struct PersonInternships {
    /// The person's name.
    pub name: String,
    /// Their bookings with the slots and the employers' names, the latest first day first.
    pub bookings: Vec<(Booking, Slot, String)>,
    /// The slots still to come with a free seat, ranked for the person (`slots_for`), each with
    /// whether it is in the areas asked for (for those who may place the person).
    pub upcoming: Vec<(tsunagu_store::UpcomingSlot, bool)>,
    /// The areas the slots were ranked for: those asked for, or else the person's recorded ones.
    pub areas: Vec<tsunagu_domain::LocalGovCode>,
    /// The viewer may place the person and record outcomes.
    pub writable: bool,
}

impl App {
    /// The seats a slot's bookings hold (withdrawn ones free theirs).
    async fn seats_taken(&self, slot: SlotId) -> Result<usize, AppError> {
        let bookings = self.store.bookings_of_slot(slot).await.map_err(AppError::Store)?;
        Ok(bookings.iter().filter(|b| b.holds_seat()).count())
    }

    /// The employer's slots with their seats taken, for agencies' staff and program managers.
    pub async fn slots_of(&self, actor: &Account, employer: EmployerId) -> Result<Vec<SlotView>, AppError> {
        if !Self::may_see_employers(actor) {
            return Err(AppError::Forbidden);
        }
        let slots = self.store.slots_of(employer).await.map_err(AppError::Store)?;
        let mut out = Vec::with_capacity(slots.len());
        for slot in slots {
            let taken = self.seats_taken(slot.id).await?;
            let may_edit = Self::may_add_employers(actor);
            out.push(SlotView { slot, taken, may_edit });
        }
        Ok(out)
    }

    /// The employer's record with the network per fiscal year, the latest first: how many took
    /// part in its internships and tours and how many it hired — counts, never whose — for
    /// agencies' staff and program managers.
    pub async fn employer_years(
        &self,
        actor: &Account,
        employer: EmployerId,
    ) -> Result<Vec<(FiscalYear, EmployerYear)>, AppError> {
        if !Self::may_see_employers(actor) {
            return Err(AppError::Forbidden);
        }
        let mut rows = Vec::new();
        for slot in self.store.slots_of(employer).await.map_err(AppError::Store)? {
            for booking in self.store.bookings_of_slot(slot.id).await.map_err(AppError::Store)? {
                rows.push((slot.clone(), booking));
            }
        }
        let hires = self.store.placements_at(employer).await.map_err(AppError::Store)?;
        Ok(employer_years(rows.iter().map(|(s, b)| (s, b)), hires.iter().map(|p| p.fields.starts_on)))
    }

    /// A slot with its seats taken and its employer's name.
    pub async fn slot(&self, actor: &Account, id: SlotId) -> Result<(SlotView, String), AppError> {
        if !Self::may_see_employers(actor) {
            return Err(AppError::Forbidden);
        }
        let slot = self.store.slot(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let taken = self.seats_taken(id).await?;
        let employer = self
            .store
            .employer_ref(tsunagu_store::EmployerLookup::Id(slot.employer))
            .await
            .map_err(AppError::Store)?
            .map(|e| e.name)
            .unwrap_or_default();
        Ok((SlotView { slot, taken, may_edit: Self::may_add_employers(actor) }, employer))
    }

    /// Opens a slot at the employer, arranged by the actor's agency. Answers its id.
    pub async fn create_slot(
        &self,
        actor: &Account,
        employer: EmployerId,
        input: &SlotInput,
    ) -> Result<SlotId, AppError> {
        let agency = Self::acting_agency(actor)?;
        let (found, _) = self.store.employer(employer).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let others = self.store.slots_of(employer).await.map_err(AppError::Store)?;
        let fields = input.validate(self.today(), 0, &others).map_err(AppError::Invalid)?;
        let now = self.clock.now();
        let slot = Slot {
            id: SlotId(self.ids.new_id()),
            prefecture: found.prefecture.clone(),
            employer,
            agency,
            fields,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let id = slot.id;
        let event = self.event(
            actor,
            AuditAction::Create,
            format!("slot:{}", id.0),
            ["kind", "title", "starts_on", "ends_on", "capacity", "note"].map(String::from).to_vec(),
            "staff".to_owned(),
        );
        match self
            .store
            .commit(Commit::new(event).with(Change::SaveSlot { slot: Box::new(slot), expected: None }))
            .await
        {
            Ok(_) => {}
            // Another slot of the kind on those days was written meanwhile (a form sent twice).
            Err(StoreError::Duplicate { .. }) => return Err(invalid("first_day", "slot_overlaps")),
            Err(e) => return Err(AppError::Store(e)),
        }
        Ok(id)
    }

    /// Edits a slot from the version the form was loaded at; the capacity may not fall below the
    /// seats taken, checked again where the edit is written.
    pub async fn update_slot(
        &self,
        actor: &Account,
        id: SlotId,
        input: &SlotInput,
        version: i64,
    ) -> Result<(), AppError> {
        if !Self::may_add_employers(actor) {
            return Err(AppError::Forbidden);
        }
        let mut slot = self.store.slot(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let taken = self.seats_taken(id).await?;
        let mut others = self.store.slots_of(slot.employer).await.map_err(AppError::Store)?;
        others.retain(|o| o.id != id);
        slot.fields = input.validate(self.today(), taken, &others).map_err(AppError::Invalid)?;
        if slot.version != version {
            return Err(invalid("slot_title", "slot_changed"));
        }
        slot.version += 1;
        slot.updated_at = self.clock.now();
        let event = self.event(
            actor,
            AuditAction::Update,
            format!("slot:{}", id.0),
            ["kind", "title", "starts_on", "ends_on", "capacity", "note"].map(String::from).to_vec(),
            "staff".to_owned(),
        );
        match self
            .store
            .commit(Commit::new(event).with(Change::SaveSlot { slot: Box::new(slot), expected: Some(version) }))
            .await
        {
            Ok(_) => Ok(()),
            // Taken seats grew past the new capacity meanwhile, or another edit came first.
            Err(StoreError::Conflict { .. }) => Err(invalid("capacity", "slot_changed")),
            Err(StoreError::Duplicate { .. }) => Err(invalid("first_day", "slot_overlaps")),
            Err(e) => Err(AppError::Store(e)),
        }
    }

    /// Places the person into the slot as the actor's agency: a seat must be free, the person in
    /// no other slot on those days, and their consent in force must name the employer. Written on
    /// the person's record with the provision of their name to the employer. Answers the booking.
    pub async fn book(&self, actor: &Account, person: PersonId, slot: SlotId) -> Result<BookingId, AppError> {
        let agency = Self::acting_agency(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let slot = self.store.slot(slot).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let taken = self.store.bookings_of_slot(slot.id).await.map_err(AppError::Store)?;
        let elsewhere: Vec<Slot> = self
            .store
            .bookings_of_person(person)
            .await
            .map_err(AppError::Store)?
            .into_iter()
            .filter(|(b, _)| b.holds_seat())
            .map(|(_, s)| s)
            .collect();
        let now = self.clock.now();
        let consents: Vec<_> = file.consents.iter().map(|r| r.consent.clone()).collect();
        let consent = check_booking(&slot, person, &taken, &elsewhere, &consents, now, tokyo_date(now))
            .map_err(AppError::Invalid)?;
        let booking = Booking {
            id: BookingId(self.ids.new_id()),
            prefecture: file.person.prefecture.clone(),
            slot: slot.id,
            person,
            agency,
            consent,
            booked_by: actor.id,
            booked_at: now,
            outcome: None,
            version: 1,
        };
        let id = booking.id;
        let event = self.person_event(
            actor,
            AuditAction::Create,
            format!("booking:{}", id.0),
            person,
            vec!["slot".into()],
            basis.audit_code(),
        );
        // The employer learns who is coming: a provision of the name, on the consent that allows it.
        let provision = Provision {
            prefecture: file.person.prefecture.clone(),
            id: self.ids.new_id(),
            at: now,
            person,
            recipient: Recipient::Employer(slot.employer),
            items: vec!["name".into()],
            consent,
            provided_by: actor.id,
        };
        let commit = Commit::new(event)
            .with(Change::SaveBooking { booking: Box::new(booking), expected: None })
            .with(Change::Provision(Box::new(provision)));
        match self.commit(commit).await {
            Ok(_) => Ok(id),
            Err(AppError::Store(StoreError::Conflict { current })) => Err(AppError::Invalid({
                let mut p = Problems::new();
                p.push(tsunagu_domain::Problem { field: "person", code: "slot_full", limit: Some(current as u32) });
                p
            })),
            Err(AppError::Store(StoreError::Duplicate { .. })) => Err(invalid("person", "already_booked")),
            Err(e) => Err(e),
        }
    }

    /// Records how the person's booking went (and the subsidy and grant it drew), on the
    /// version the form was loaded at.
    pub async fn record_outcome(
        &self,
        actor: &Account,
        person: PersonId,
        booking: BookingId,
        input: &OutcomeInput,
        version: i64,
    ) -> Result<(), AppError> {
        Self::acting_agency(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.write_basis(actor, &file, DataCategory::Support).await?;
        let (mut found, slot) = self
            .store
            .bookings_of_person(person)
            .await
            .map_err(AppError::Store)?
            .into_iter()
            .find(|(b, _)| b.id == booking)
            .ok_or(AppError::NotFound)?;
        found.outcome = Some(input.validate(&slot, self.today()).map_err(AppError::Invalid)?);
        if found.version != version {
            return Err(invalid("outcome", "booking_changed"));
        }
        found.version += 1;
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("booking:{}", booking.0),
            person,
            ["outcome", "outcome_note", "insurance_subsidy", "employer_grant"].map(String::from).to_vec(),
            basis.audit_code(),
        );
        match self
            .commit(Commit::new(event).with(Change::SaveBooking { booking: Box::new(found), expected: Some(version) }))
            .await
        {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. })) => Err(invalid("outcome", "booking_changed")),
            Err(e) => Err(e),
        }
    }

    /// The person's internships and tours (with their slots and the employers' names) and, for
    /// staff who may place them, the slots still to come; for those the access policy lets read
    /// the person's support data, the read on the person's record.
    pub async fn person_internships(
        &self,
        actor: &Account,
        person: PersonId,
        areas: &[tsunagu_domain::LocalGovCode],
    ) -> Result<PersonInternships, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = match self.decide_for(actor, &file, Action::Read, DataCategory::Support, Purpose::ALL, None).await?
        {
            Ok(basis) => basis,
            Err(denial) => return Err(self.refuse(actor, person, format!("bookings:{}", person.0), denial).await),
        };
        let rows = self.store.bookings_of_person(person).await.map_err(AppError::Store)?;
        let writable = self.may_write_journey(actor, &file).await?;
        let mut fields = vec!["name".to_owned(), "bookings".to_owned()];
        let mut areas = areas.to_vec();
        // Without areas asked for, those the person's conditions record rank the slots, where
        // the policy lets the viewer read them.
        if writable
            && areas.is_empty()
            && self
                .decide_for(actor, &file, Action::Read, DataCategory::Disability, &crate::preferences::PURPOSES, None)
                .await?
                .is_ok()
            && let Some(saved) = self.store.preferences(person).await.map_err(AppError::Store)?
        {
            areas = saved.fields.areas;
            fields.push("areas".to_owned());
        }
        let event = self.person_event(
            actor,
            AuditAction::Read,
            format!("bookings:{}", person.0),
            person,
            fields,
            basis.audit_code(),
        );
        self.commit(Commit::new(event)).await?;
        let mut bookings = Vec::with_capacity(rows.len());
        for (booking, slot) in rows {
            let name = self
                .store
                .employer_ref(tsunagu_store::EmployerLookup::Id(slot.employer))
                .await
                .map_err(AppError::Store)?
                .map(|e| e.name)
                .unwrap_or_default();
            bookings.push((booking, slot, name));
        }
        let upcoming = if writable {
            let slots = self.store.upcoming_slots(self.today(), UPCOMING).await.map_err(AppError::Store)?;
            slots_for(&areas, slots, |u| (&u.slot, u.taken, u.municipality.as_ref()), UPCOMING as usize)
        } else {
            Vec::new()
        };
        Ok(PersonInternships { name: file.person.fields.name.clone(), bookings, upcoming, areas, writable })
    }
}
