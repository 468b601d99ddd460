//! Employers (企業): the prefecture's staff find, add and edit them and record which agencies
//! developed or support each (開拓); an employer's own account sees its company and the persons
//! whose consent lets it see them, nothing else; an administrator links accounts to the person or
//! the employer they act for.
//!
//! An employer is not a person's data, but every write still goes through the audited commit,
//! naming the fields it changed. A person listed to an employer is a read of their name on the
//! strength of their consent: audited on the person, and recorded as a provision (第三者提供記録).

use tsunagu_domain::Problems;
use tsunagu_domain::access::{Action, Basis, Relations, Request, Viewer, decide};
use tsunagu_domain::account::{Account, Role};
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::{Consent, ConsentRecord, DataCategory, Provision, Purpose, Recipient};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::employer::{
    Employer, EmployerFields, EmployerId, EmployerInput, EmployerLink, changed_fields, corporate_number_problem,
};
use tsunagu_domain::fair::{Fair, FairId};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::{CorporateNumber, LocalGovCode};
use tsunagu_store::{Change, Commit, EmployerLookup, EmployerPage, EmployerQuery, StoreError};

use crate::clock::tokyo_date;
use crate::{App, AppError};

/// Employers per page of the list.
pub const EMPLOYER_PAGE: u32 = 50;
/// The most persons an employer's page lists.
pub const SHARED_LIST: u32 = 200;

/// The persons read for an employer, as one commit: a read on each person's record naming
/// `fields`, and, where an employer's account read them on the strength of a consent, a
/// provision of those fields to the employer (第三者提供記録).
pub(crate) struct EmployerReads {
    record: String,
    fields: Vec<String>,
    events: Vec<tsunagu_domain::audit::AuditEvent>,
    provisions: Vec<Change>,
}

impl EmployerReads {
    pub(crate) fn new(record: String, fields: &[&str]) -> Self {
        Self {
            record,
            fields: fields.iter().map(|f| (*f).to_owned()).collect(),
            events: Vec::new(),
            provisions: Vec::new(),
        }
    }

    /// `actor` read `person` (of `prefecture`) on `basis`.
    pub(crate) fn push(&mut self, app: &App, actor: &Account, person: PersonId, prefecture: &str, basis: &Basis) {
        let event = app.person_event(
            actor,
            AuditAction::Read,
            self.record.clone(),
            person,
            self.fields.clone(),
            basis.audit_code(),
        );
        self.events.push(event);
        if let (Some(employer), Basis::Consent(consent)) = (App::own_employer(actor), basis) {
            self.provisions.push(Change::Provision(Box::new(Provision {
                prefecture: prefecture.to_owned(),
                id: app.ids.new_id(),
                at: app.clock.now(),
                person,
                recipient: Recipient::Employer(employer),
                items: self.fields.clone(),
                consent: *consent,
                provided_by: actor.id,
            })));
        }
    }

    /// Writes the reads and provisions, before anything read leaves.
    pub(crate) async fn commit(self, app: &App) -> Result<(), AppError> {
        if let Some(commit) = Commit::of_events(self.events) {
            app.store.commit(commit.with_all(self.provisions)).await.map_err(AppError::Store)?;
        }
        Ok(())
    }
}

/// The list's filters as typed (the page's query string).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(default)]
pub struct EmployerFilter {
    /// Text: name, reading or 法人番号.
    pub q: String,
    /// Industry letter.
    pub industry: String,
    /// Municipality code.
    pub municipality: String,
    /// Only those the viewer's agency developed or supports.
    pub ours: bool,
    /// Only those that take interns.
    pub interns: bool,
    /// Only 特例子会社.
    pub special: bool,
}

/// An employer's page: the employer, the agencies linked to it, the fairs it took part in.
#[derive(Debug, Clone)]
pub struct EmployerView {
    /// The employer.
    pub employer: Employer,
    /// The agencies that developed or support it, with their names.
    pub links: Vec<(EmployerLink, String)>,
    /// Fairs it took part in: id, date, title, meetings it had.
    pub fairs: Vec<(FairId, time::Date, String, usize)>,
    /// The viewer may edit it.
    pub may_edit: bool,
    /// The viewer's agency may record itself as developing it (and whether it has).
    pub may_link: bool,
    /// The viewer's agency is among the links.
    pub linked_by_viewer: bool,
}

/// A person whose consent lets an employer see them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SharedPerson {
    /// The person.
    pub person: PersonId,
    /// 氏名.
    pub name: String,
    /// ふりがな.
    pub name_kana: String,
    /// The consent it rests on.
    pub consent: ConsentRecord,
}

fn one(field: &'static str, code: &'static str) -> AppError {
    let mut p = Problems::new();
    p.add(field, code);
    AppError::Invalid(p)
}

impl EmployerFilter {
    /// The store query for page `page` (from 1), or the problems with what was typed.
    pub fn query(&self, viewer: Option<AgencyId>, page: u32) -> Result<EmployerQuery, Problems> {
        let mut p = Problems::new();
        let industry = match self.industry.trim() {
            "" => None,
            raw => {
                let letter = raw.chars().next().map(|c| c.to_ascii_uppercase());
                let known = letter
                    .filter(|l| raw.chars().count() == 1 && tsunagu_domain::employer::industry_name(*l).is_some());
                if known.is_none() {
                    p.add("industry", "unknown_industry");
                }
                known
            }
        };
        let municipality = match self.municipality.trim() {
            "" => None,
            raw => LocalGovCode::parse(raw).map_err(|e| p.add("municipality", e.code())).ok(),
        };
        let linked_to = if self.ours {
            if viewer.is_none() {
                p.add("ours", "no_agency");
            }
            viewer
        } else {
            None
        };
        let mut text = tsunagu_domain::text::search_key(self.q.trim());
        // A 法人番号 is typed with hyphens as often as without.
        let digits: String = text.chars().filter(|c| !matches!(c, '-' | '‐' | '−' | 'ー')).collect();
        if !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()) {
            text = digits;
        }
        let q = EmployerQuery {
            text,
            industry,
            municipality,
            linked_to,
            accepts_interns: self.interns,
            special_subsidiary: self.special,
            offset: page.saturating_sub(1).saturating_mul(EMPLOYER_PAGE),
            limit: EMPLOYER_PAGE,
        };
        p.into_result(q)
    }
}

impl App {
    /// Staff of an agency and program managers find employers.
    pub fn may_see_employers(actor: &Account) -> bool {
        !actor.disabled && (actor.does_casework() || actor.has(Role::ProgramManager))
    }

    /// Staff of an agency add employers.
    pub fn may_add_employers(actor: &Account) -> bool {
        !actor.disabled && actor.does_casework()
    }

    /// Staff of an agency edit any employer; an employer's account, its own.
    pub fn may_edit_employer(actor: &Account, employer: EmployerId) -> bool {
        Self::may_add_employers(actor) || Self::own_employer(actor) == Some(employer)
    }

    /// The employer an employer's account acts for.
    pub fn own_employer(actor: &Account) -> Option<EmployerId> {
        actor.employer.filter(|_| !actor.disabled && actor.has(Role::EmployerUser))
    }

    fn may_read_employer(actor: &Account, id: EmployerId) -> bool {
        Self::may_see_employers(actor) || Self::own_employer(actor) == Some(id)
    }

    /// One page of the employers `filter` lists.
    pub async fn employers(
        &self,
        actor: &Account,
        filter: &EmployerFilter,
        page: u32,
    ) -> Result<EmployerPage, AppError> {
        if !Self::may_see_employers(actor) {
            return Err(AppError::Forbidden);
        }
        let query = filter.query(actor.agency, page).map_err(AppError::Invalid)?;
        self.store.search_employers(&query).await.map_err(AppError::Store)
    }

    /// An employer with its links and fairs.
    pub async fn employer(&self, actor: &Account, id: EmployerId) -> Result<EmployerView, AppError> {
        if !Self::may_read_employer(actor, id) {
            return Err(AppError::Forbidden);
        }
        let (employer, links) = self.store.employer(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let index = self.directory().await?;
        let links: Vec<(EmployerLink, String)> = links
            .into_iter()
            .map(|l| {
                let name = index.agency(l.agency).map(|a| a.name.clone()).unwrap_or_default();
                (l, name)
            })
            .collect();
        // An employer's own account does not see the fairs: they name the other companies and
        // the agencies' choices.
        let fairs = if Self::may_see_fairs(actor) {
            let fairs: Vec<Fair> = self.store.fairs(crate::fairs::FAIR_LIST).await.map_err(AppError::Store)?;
            fairs
                .into_iter()
                .filter(|f| f.company_name(id).is_some())
                .map(|f| {
                    let meetings = f.meetings.iter().filter(|m| m.employer == id).count();
                    (f.id, f.header.date, f.header.title, meetings)
                })
                .collect()
        } else {
            Vec::new()
        };
        let staff_agency = actor.agency.filter(|_| Self::may_add_employers(actor));
        Ok(EmployerView {
            may_edit: Self::may_edit_employer(actor, id),
            may_link: staff_agency.is_some(),
            linked_by_viewer: staff_agency.is_some_and(|a| links.iter().any(|(l, _)| l.agency == a)),
            employer,
            links,
            fairs,
        })
    }

    async fn checked(&self, input: &EmployerInput) -> Result<EmployerFields, AppError> {
        let references = self.references().await?;
        input.validate(references.as_ref()).map_err(AppError::Invalid)
    }

    /// Adds an employer.
    pub async fn create_employer(&self, actor: &Account, input: &EmployerInput) -> Result<Employer, AppError> {
        if !Self::may_add_employers(actor) {
            return Err(AppError::Forbidden);
        }
        let fields = self.checked(input).await?;
        let prefecture = match actor.agency {
            Some(agency) => self.store.get_agency(agency).await.map_err(AppError::Store)?.map(|a| a.prefecture),
            None => None,
        };
        let prefecture = prefecture
            .or_else(|| fields.municipality.as_ref().map(|m| m.prefecture().to_owned()))
            .ok_or(AppError::Forbidden)?;
        let employer = Employer {
            id: EmployerId(self.ids.new_id()),
            prefecture,
            fields,
            version: 1,
            updated_at: self.clock.now(),
        };
        let set = EmployerInput::from_fields(&employer.fields).field_texts();
        let fields: Vec<String> = set.iter().filter(|(_, v)| !v.is_empty()).map(|(n, _)| (*n).to_owned()).collect();
        let event = self.event(actor, AuditAction::Create, record(employer.id), fields, "staff".into());
        let commit =
            Commit::new(event).with(Change::SaveEmployer { employer: Box::new(employer.clone()), expected: None });
        match self.store.commit(commit).await {
            Ok(_) => Ok(employer),
            Err(StoreError::Duplicate { .. }) => Err(one("corporate_number", "corporate_number_taken")),
            Err(e) => Err(AppError::Store(e)),
        }
    }

    /// Edits an employer loaded at `version`: refused when someone changed it since
    /// ([`AppError::EmployerChanged`], with the employer as it is now). An employer's own account
    /// cannot change its 法人番号.
    pub async fn update_employer(
        &self,
        actor: &Account,
        id: EmployerId,
        version: i64,
        input: &EmployerInput,
    ) -> Result<Employer, AppError> {
        if !Self::may_edit_employer(actor, id) {
            return Err(AppError::Forbidden);
        }
        let (current, _) = self.store.employer(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        if current.version != version {
            return Err(AppError::EmployerChanged(Box::new(current)));
        }
        let fields = self.checked(input).await?;
        if !Self::may_add_employers(actor) && fields.corporate_number != current.fields.corporate_number {
            return Err(one("corporate_number", "corporate_number_fixed"));
        }
        let changed = changed_fields(&current.fields, &fields);
        if changed.is_empty() {
            return Ok(current);
        }
        let basis = if Self::may_add_employers(actor) { "staff" } else { "own_company" };
        let employer = Employer { fields, version: version + 1, updated_at: self.clock.now(), ..current };
        let event = self.event(actor, AuditAction::Update, record(id), changed, basis.into());
        let commit = Commit::new(event)
            .with(Change::SaveEmployer { employer: Box::new(employer.clone()), expected: Some(version) });
        match self.store.commit(commit).await {
            Ok(_) => Ok(employer),
            Err(StoreError::Duplicate { .. }) => Err(one("corporate_number", "corporate_number_taken")),
            Err(StoreError::Conflict { .. }) => {
                let now = self.store.employer(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?.0;
                Err(AppError::EmployerChanged(Box::new(now)))
            }
            Err(e) => Err(AppError::Store(e)),
        }
    }

    /// Records the actor's agency as developing or supporting the employer (開拓), from today,
    /// or (`linked` false) no longer.
    pub async fn link_employer(&self, actor: &Account, id: EmployerId, linked: bool) -> Result<(), AppError> {
        let agency = actor.agency.filter(|_| Self::may_add_employers(actor)).ok_or(AppError::Forbidden)?;
        let link = linked.then(|| EmployerLink { agency, since: tokyo_date(self.clock.now()), recorded_by: actor.id });
        let action = if linked { AuditAction::Create } else { AuditAction::Update };
        let event = self.event(
            actor,
            action,
            format!("employer_link:{}:{}", id.0, agency.0),
            vec!["agency".into()],
            "staff".into(),
        );
        let commit = Commit::new(event).with(Change::LinkEmployer { employer: id, agency, link });
        self.store.commit(commit).await.map_err(|e| match e {
            StoreError::NotFound => AppError::NotFound,
            e => AppError::Store(e),
        })?;
        Ok(())
    }

    /// The persons whose consent in force lets the actor's employer see them (for a placement or
    /// for retention), by reading. Each is decided by the access policy, read on the person's
    /// record and recorded as a provision of their name.
    pub async fn shared_persons(&self, actor: &Account) -> Result<Vec<SharedPerson>, AppError> {
        let employer = Self::own_employer(actor).ok_or(AppError::Forbidden)?;
        let named = self.store.consents_naming_employer(employer, SHARED_LIST).await.map_err(AppError::Store)?;
        let now = self.clock.now();
        let today = tokyo_date(now);
        let viewer = Viewer { account: actor, block: None, employer: Some(employer), person: None };
        let mut shown: Vec<SharedPerson> = Vec::new();
        for c in named {
            let person = c.consent.consent.person;
            if shown.last().is_some_and(|s| s.person == person) {
                continue;
            }
            let consents: [Consent; 1] = [c.consent.consent.clone()];
            let relations = Relations { cases: &[], consents: &consents };
            let allowed = [Purpose::Placement, Purpose::Retention].into_iter().any(|purpose| {
                let request = Request { person, action: Action::Read, category: DataCategory::Basic, purpose };
                matches!(decide(&viewer, request, relations, None, now, today), Ok(Basis::Consent(_)))
            });
            if allowed {
                shown.push(SharedPerson { person, name: c.name, name_kana: c.name_kana, consent: c.consent });
            }
        }
        let mut reads = EmployerReads::new(format!("employer_persons:{}", employer.0), &["name", "name_kana"]);
        for s in &shown {
            reads.push(self, actor, s.person, &s.consent.prefecture, &Basis::Consent(s.consent.consent.id));
        }
        reads.commit(self).await?;
        Ok(shown)
    }

    /// Links the account with login `login` to a person (by id) and an employer (by 法人番号),
    /// either left blank for none: only a system administrator may. A person's link needs a
    /// person's account, an employer's an employer's account.
    pub async fn link_account(
        &self,
        actor: &Account,
        login: &str,
        person: &str,
        corporate_number: &str,
    ) -> Result<Account, AppError> {
        if actor.disabled || !actor.has(Role::SystemAdmin) {
            return Err(AppError::Forbidden);
        }
        let mut p = Problems::new();
        let account = self.store.account_by_login(&login.trim().to_lowercase()).await.map_err(AppError::Store)?;
        if account.is_none() {
            p.add("login", if login.trim().is_empty() { "required" } else { "unknown_login" });
        }
        let person = match person.trim() {
            "" => None,
            raw => match uuid::Uuid::parse_str(raw).ok().map(PersonId) {
                Some(id) if self.store.person_file(id).await.map_err(AppError::Store)?.is_some() => Some(id),
                _ => {
                    p.add("person", "unknown_person");
                    None
                }
            },
        };
        let employer = match corporate_number.trim() {
            "" => None,
            raw => match CorporateNumber::parse(raw) {
                Err(e) => {
                    p.add("corporate_number", corporate_number_problem(raw, e));
                    None
                }
                Ok(number) => {
                    let found = self
                        .store
                        .employer_ref(EmployerLookup::Number(number.as_str().to_owned()))
                        .await
                        .map_err(AppError::Store)?;
                    if found.is_none() {
                        p.add("corporate_number", "unknown_employer");
                    }
                    found.map(|e| e.id)
                }
            },
        };
        if let Some(account) = &account {
            if person.is_some() && !account.has(Role::Person) {
                p.add("person", "not_a_person_account");
            }
            if employer.is_some() && !account.has(Role::EmployerUser) {
                p.add("corporate_number", "not_an_employer_account");
            }
        }
        let Some(mut account) = account.filter(|_| p.is_empty()) else { return Err(AppError::Invalid(p)) };
        let fields = vec!["person".to_owned(), "employer".to_owned()];
        let record = format!("account:{}", account.id.0);
        let mut commit =
            Commit::new(self.event(actor, AuditAction::Update, record.clone(), fields.clone(), "system_admin".into()));
        // Whose account it becomes is on the person's record too (and whose it was, when moved).
        for whose in [account.person, person].into_iter().flatten() {
            commit = commit.and_event(self.person_event(
                actor,
                AuditAction::Update,
                record.clone(),
                whose,
                vec!["account".into()],
                "system_admin".into(),
            ));
        }
        let commit = commit.with(Change::LinkAccount { account: account.id, person, employer });
        self.store.commit(commit).await.map_err(AppError::Store)?;
        account.person = person;
        account.employer = employer;
        Ok(account)
    }
}

fn record(id: EmployerId) -> String {
    format!("employer:{}", id.0)
}
