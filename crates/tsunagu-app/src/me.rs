//! The person's own pages: what only the person does with their own account — choose the words
//! their pages speak in, give a consent by choosing from a short list, take a withdrawal back,
//! read who looked at their data, change their password.
//!
//! Everything here acts on the actor's own record (`Account::person`); anyone else is refused.
//! Reads of the record go through the use cases staff use, which the access policy decides on
//! the basis "own record" and audits; every write is one audited commit.

use std::collections::{BTreeSet, HashMap};

use tsunagu_domain::account::{Account, Role};
use tsunagu_domain::audit::{AuditAction, AuditEntry};
use tsunagu_domain::consent::{ConsentId, ConsentInput, DataCategory, Recipient};
use tsunagu_domain::directory::{AgencyId, AgencyKind};
use tsunagu_domain::person::PersonId;
use tsunagu_store::{Change, Commit};

use crate::accounts::{hash_password, verify_password};
use crate::persons::invalid;
use crate::{App, AppError};

/// How long after a withdrawal the person may take it back with one press.
pub const UNDO_MINUTES: i64 = 10;

/// How many recipients the short list of a new consent offers at most.
pub const CHOICES_MAX: usize = 12;

/// The words a person's own pages speak in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Register {
    /// やさしい日本語: short sentences, furigana on kanji beyond the early school grades.
    #[default]
    Easy,
    /// Ordinary Japanese.
    Plain,
    /// English.
    English,
}

impl Register {
    /// The three, in the order the choice lists them.
    pub const ALL: [Self; 3] = [Self::Easy, Self::Plain, Self::English];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Easy => "easy",
            Self::Plain => "plain",
            Self::English => "english",
        }
    }

    /// Parses a stable code.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == raw.trim())
    }
}

/// A recipient the person may choose for a new consent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// Who.
    pub recipient: Recipient,
    /// Their name.
    pub name: String,
    /// The form's value: `agency:<id>` or `employer:<id>`.
    pub key: String,
}

/// One entry of who looked, as the person reads it.
#[derive(Debug, Clone)]
pub struct Look {
    /// Its position in the log (the next page starts before the last one).
    pub seq: i64,
    /// When, in microseconds since the Unix epoch.
    pub at_micros: i64,
    /// The staff member's name (never a login); empty for the person themself.
    pub name: String,
    /// Their agency's name, if any.
    pub agency: String,
    /// The person looked themself.
    pub own: bool,
    /// What happened.
    pub action: AuditAction,
    /// Which kinds of data it touched.
    pub categories: Vec<DataCategory>,
}

/// A page of who looked.
#[derive(Debug, Clone)]
pub struct Looks {
    /// The entries, the latest first.
    pub looks: Vec<Look>,
    /// Where the next page starts, if there is one.
    pub next: Option<i64>,
}

/// The kinds of data an audit entry touched: the person's fields by their category; anything
/// else (a support record, a plan, a checklist) is the record of their support.
fn categories_of(entry: &AuditEntry) -> Vec<DataCategory> {
    let mut out = BTreeSet::new();
    for field in &entry.event.fields {
        let name = field.split(':').next_back().unwrap_or(field);
        let category = tsunagu_domain::person::FIELD_CATEGORIES
            .iter()
            .find(|(f, _)| *f == name)
            .map_or(DataCategory::Support, |(_, c)| *c);
        out.insert(category.code());
    }
    out.into_iter().filter_map(DataCategory::parse).collect()
}

impl App {
    /// The person the actor is, or Forbidden: these pages are for a person's own account.
    pub fn own_person(actor: &Account) -> Result<PersonId, AppError> {
        match actor.person {
            Some(id) if actor.has(Role::Person) && !actor.disabled => Ok(id),
            _ => Err(AppError::Forbidden),
        }
    }

    /// The register the actor's own pages speak in: their choice, else やさしい日本語.
    pub async fn register_of(&self, actor: &Account) -> Result<Register, AppError> {
        let stored = self.store.register_of(actor.id).await.map_err(AppError::Store)?;
        Ok(stored.as_deref().and_then(Register::parse).unwrap_or_default())
    }

    /// Chooses the register of the actor's own pages.
    pub async fn set_register(&self, actor: &Account, raw: &str) -> Result<(), AppError> {
        let person = Self::own_person(actor)?;
        let register = Register::parse(raw).ok_or_else(|| invalid("register", "unknown_code"))?;
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("account:{}", actor.login),
            person,
            vec!["register".into()],
            "own".into(),
        );
        let change = Change::SetRegister { account: actor.id, register: register.code().into() };
        self.commit(Commit::new(event).with(change)).await.map(|_| ())
    }

    /// Changes the actor's password: the current one checked, the new one typed twice and long
    /// enough.
    pub async fn change_password(
        &self,
        actor: &Account,
        current: &str,
        new: &str,
        again: &str,
    ) -> Result<(), AppError> {
        let person = Self::own_person(actor)?;
        if !verify_password(current.to_owned(), actor.password_hash.clone()).await {
            return Err(invalid("current_password", "wrong_password"));
        }
        if new.chars().count() < tsunagu_domain::account::MIN_PASSWORD_CHARS {
            return Err(invalid("new_password", "password_too_short"));
        }
        if new != again {
            return Err(invalid("new_password_again", "passwords_differ"));
        }
        let hash = hash_password(new.to_owned()).await?;
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("account:{}", actor.login),
            person,
            vec!["password".into()],
            "own".into(),
        );
        self.commit(Commit::new(event).with(Change::SetPassword { account: actor.id, hash })).await.map(|_| ())
    }

    /// Whom the person may choose to let see their data: the agencies that hold or held their
    /// case, the centres and Hello Work of those agencies' blocks, and the employers they work or
    /// worked for or have an internship or a trial employment with — at most [`CHOICES_MAX`],
    /// nearest first. Nobody types a code.
    pub async fn consent_choices(&self, actor: &Account) -> Result<Vec<Choice>, AppError> {
        let person = Self::own_person(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let index = self.directory().await?;
        let mut agencies: Vec<AgencyId> = Vec::new();
        let add = |a: AgencyId, agencies: &mut Vec<AgencyId>| {
            if !agencies.contains(&a) {
                agencies.push(a);
            }
        };
        for case in &file.cases {
            add(case.agency, &mut agencies);
        }
        let own = agencies.len();
        const NEARBY: [AgencyKind; 4] = [
            AgencyKind::MunicipalSupportCentre,
            AgencyKind::EmploymentLifeSupportCentre,
            AgencyKind::HelloWork,
            AgencyKind::VocationalCentre,
        ];
        let blocks: BTreeSet<_> = file.cases.iter().filter_map(|c| index.block_of(c.agency).cloned()).collect();
        for block in &blocks {
            for (id, _) in index.agencies_of_block(block) {
                if index.agency(id).is_some_and(|a| NEARBY.contains(&a.kind)) {
                    add(id, &mut agencies);
                }
            }
        }
        let mut choices: Vec<Choice> = Vec::new();
        let journey = self.store.journey_of(person, 0).await.map_err(AppError::Store)?;
        let bookings = self.store.bookings_of_person(person).await.map_err(AppError::Store)?;
        let trials = self.store.trials_of_person(person).await.map_err(AppError::Store)?;
        // Where they work or worked, then where they have an internship or a trial employment.
        let employers = journey
            .placements
            .iter()
            .map(|p| p.fields.employer)
            .chain(bookings.iter().filter(|(b, _)| b.holds_seat()).map(|(_, slot)| slot.employer))
            .chain(trials.iter().map(|t| t.fields.employer));
        for employer in employers {
            if choices.iter().any(|c| c.recipient == Recipient::Employer(employer)) {
                continue;
            }
            let name = self.recipient_name(&Recipient::Employer(employer)).await?;
            choices.push(Choice {
                recipient: Recipient::Employer(employer),
                key: format!("employer:{}", employer.0),
                name,
            });
        }
        let agency_choice = |a: AgencyId| {
            index.agency(a).map(|l| Choice {
                recipient: Recipient::Agency(a),
                key: format!("agency:{}", a.0),
                name: l.name.clone(),
            })
        };
        // Their own agencies, then the employers, then the others nearby: the list is cut short.
        let mut out: Vec<Choice> = agencies[..own].iter().filter_map(|a| agency_choice(*a)).collect();
        out.extend(choices);
        out.extend(agencies[own..].iter().filter_map(|a| agency_choice(*a)));
        out.truncate(CHOICES_MAX);
        Ok(out)
    }

    /// The person lets a recipient of their short list see `categories` (their name and contact
    /// details always): agencies to support them and refer them on, an employer to place them and
    /// keep them in work; for a year from today. Returns the consent's id.
    pub async fn give_own_consent(
        &self,
        actor: &Account,
        choice: &str,
        categories: &[String],
    ) -> Result<ConsentId, AppError> {
        let person = Self::own_person(actor)?;
        let choices = self.consent_choices(actor).await?;
        let chosen =
            choices.iter().find(|c| c.key == choice.trim()).ok_or_else(|| invalid("choice", "required_choice"))?;
        let (kind, id, purposes) = match &chosen.recipient {
            Recipient::Agency(a) => ("agency", a.0.to_string(), vec!["support".into(), "referral".into()]),
            Recipient::Employer(e) => ("employer", e.0.to_string(), vec!["placement".into(), "retention".into()]),
            Recipient::Block(_) => return Err(invalid("choice", "required_choice")),
        };
        let today = self.today();
        let input = ConsentInput {
            recipient_kind: kind.into(),
            recipient_id: id,
            purposes,
            categories: std::iter::once("basic".to_owned()).chain(categories.iter().cloned()).collect(),
            valid_from: today.to_string(),
            valid_to: tsunagu_domain::person::years_after(today, 1).to_string(),
            evidence: "own_account".into(),
            evidence_note: String::new(),
        };
        self.record_consent(actor, person, &input).await
    }

    /// Takes back a withdrawal the person made in the last [`UNDO_MINUTES`]: the same recipient
    /// may see the same data for the same purposes until the same day, from today. Returns the
    /// new consent's id.
    pub async fn undo_withdrawal(&self, actor: &Account, consent: ConsentId) -> Result<ConsentId, AppError> {
        let person = Self::own_person(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let record = file.consents.iter().find(|c| c.consent.id == consent).ok_or(AppError::NotFound)?;
        let now = self.clock.now();
        let recent = record.consent.revoked_at.is_some_and(|at| now - at <= time::Duration::minutes(UNDO_MINUTES));
        if !recent {
            return Err(invalid("consent", "undo_too_late"));
        }
        let c = &record.consent;
        // Pressed twice, or in two tabs: the consent given again by the first press stands.
        let revoked_at = c.revoked_at.unwrap_or(now);
        let today = self.today();
        if let Some(again) = file.consents.iter().find(|r| {
            r.consent.recipient == c.recipient && r.recorded_at >= revoked_at && r.consent.in_force(now, today)
        }) {
            return Ok(again.consent.id);
        }
        let (kind, id) = match &c.recipient {
            Recipient::Agency(a) => ("agency", a.0.to_string()),
            Recipient::Block(b) => ("block", b.0.clone()),
            Recipient::Employer(e) => ("employer", e.0.to_string()),
        };
        let input = ConsentInput {
            recipient_kind: kind.into(),
            recipient_id: id,
            purposes: c.purposes.iter().map(|p| p.code().to_owned()).collect(),
            categories: c.categories.iter().map(|k| k.code().to_owned()).collect(),
            valid_from: today.to_string(),
            valid_to: c.valid_to.filter(|to| *to >= today).map(|d| d.to_string()).unwrap_or_default(),
            evidence: "own_account".into(),
            evidence_note: String::new(),
        };
        self.record_consent(actor, person, &input).await
    }

    /// Who looked at the person's data, the latest first, a page of up to 100 entries of the log
    /// before `before`; the person's own looks left out when `hide_own`. Staff are named by their
    /// name and agency, never their login.
    pub async fn looks(&self, actor: &Account, before: Option<i64>, hide_own: bool) -> Result<Looks, AppError> {
        let person = Self::own_person(actor)?;
        let entries = self.access_log(actor, person, before).await?;
        let next = (entries.len() >= 100).then(|| entries.last().map(|e| e.seq)).flatten();
        let index = self.directory().await?;
        let mut who: HashMap<String, (String, String)> = HashMap::new();
        let mut looks = Vec::with_capacity(entries.len());
        for entry in &entries {
            let own = entry.event.actor == actor.id.0.to_string();
            if own && hide_own {
                continue;
            }
            let label = entry.event.actor_label.clone();
            if !who.contains_key(&label) {
                let named = match self.store.account_by_login(&label).await.map_err(AppError::Store)? {
                    Some(a) => {
                        let agency = a.agency.and_then(|id| index.agency(id)).map(|l| l.name.clone());
                        (a.display_name, agency.unwrap_or_default())
                    }
                    None => (String::new(), String::new()),
                };
                who.insert(label.clone(), named);
            }
            let (name, agency) = who.get(&label).cloned().unwrap_or_default();
            looks.push(Look {
                seq: entry.seq,
                at_micros: entry.event.at_micros,
                name,
                agency,
                own,
                action: entry.event.action,
                categories: categories_of(entry),
            });
        }
        Ok(Looks { looks, next })
    }
}
