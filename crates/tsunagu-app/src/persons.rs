//! Persons' records: registration with consent first, reading through the access policy, the
//! consent ledger, and what the person may ask to see (who looked; everything held, 開示).
//!
//! Every read and write of a person's data goes through [`App::person_access`], which asks
//! [`tsunagu_domain::access::decide`] and writes the audit entry (or the refusal) before anything is
//! returned. When data crosses to another agency or an employer on the strength of a consent, a
//! provision record (第三者提供記録) is written too.

use serde::Serialize;
use time::OffsetDateTime;
use tsunagu_domain::Problems;
use tsunagu_domain::access::{
    Action, Basis, Case, Denial, EmergencyAccess, OVERRIDE_MINUTES, Override, Relations, Request, Viewer, decide,
};
use tsunagu_domain::account::{Account, Role};
use tsunagu_domain::audit::{AuditAction, AuditEntry, AuditEvent};
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::consent::{
    Consent, ConsentId, ConsentRecord, DataCategory, Evidence, Provision, Purpose, Recipient,
};
use tsunagu_domain::consent::{ConsentInput, ConsentTerms, registration_problems};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::person::{FIELD_CATEGORIES, Person, PersonFields, PersonInput, duplicate_key, fields_of};
use tsunagu_store::{CaseloadEntry, Change, Commit, Duplicates, EmployerLookup, PersonFile, Registration, StoreError};

use crate::clock::tokyo_date;
use crate::error::not_found_as_such;
use crate::{App, AppError, PREFECTURE};

/// The categories a person's page shows, each decided on its own.
pub const PAGE_CATEGORIES: [DataCategory; 3] = [DataCategory::Basic, DataCategory::Disability, DataCategory::Health];

/// Persons per caseload page.
pub const CASELOAD_PAGE: u32 = 50;

/// What a registrant is told about a possible duplicate: the record itself only where the
/// access policy would show it to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DuplicateHint {
    /// The other record, when the registrant may read it.
    pub visible: Option<(PersonId, String)>,
    /// The agencies holding an open case of the other record, by name: whom to ask, without
    /// showing the record.
    pub held_by: Vec<String>,
}

/// A new person as a supporter registers them: the person's data and the consent given first.
#[derive(Debug, Clone, Default)]
pub struct NewPerson {
    /// The person's data.
    pub person: PersonInput,
    /// Purposes the person consents to (to the registering agency).
    pub purposes: Vec<String>,
    /// Data categories the person consents to.
    pub categories: Vec<String>,
    /// Until when (optional).
    pub valid_to: String,
    /// How consent was given.
    pub evidence: String,
    /// Where the form is filed, who witnessed.
    pub evidence_note: String,
    /// The registrant saw the duplicate warning and confirms this is a new record (linked to the others).
    pub confirm_duplicate: bool,
}

/// Personal data whose audit entry is being committed. What is built from it is handed out only
/// once the entry is committed (and not at all if the append fails), so a page can be rendered
/// while the log is written without anything leaving unaudited.
#[must_use = "the data may only be used through `then` or `confirmed`, which wait for the audit entry"]
pub struct Audited<T> {
    value: T,
    receipt: tokio::task::JoinHandle<Result<AuditEntry, StoreError>>,
}

impl<T> Audited<T> {
    /// Builds the output from the data while the audit entry commits; returns the output once it
    /// is committed.
    pub async fn then<U>(self, build: impl AsyncFnOnce(T) -> U) -> Result<U, AppError> {
        let out = build(self.value).await;
        let waited = std::time::Instant::now();
        self.receipt.await.map_err(|e| AppError::Store(StoreError::backend(e)))?.map_err(AppError::Store)?;
        metrics::histogram!("tsunagu_person_audit_seconds").record(waited.elapsed().as_secs_f64());
        Ok(out)
    }

    /// Waits for the audit entry and returns the data.
    pub async fn confirmed(self) -> Result<T, AppError> {
        self.then(async |value| value).await
    }
}

/// A person as one viewer may see them: categories the viewer may not read are emptied.
#[derive(Debug, Clone)]
pub struct PersonView {
    /// The person, with unreadable categories emptied.
    pub person: Person,
    /// Which categories were shown, and on what basis.
    pub shown: Vec<(DataCategory, Basis)>,
    /// Which were withheld, and why.
    pub withheld: Vec<(DataCategory, Denial)>,
    /// Cases at every agency.
    pub cases: Vec<CaseRecord>,
    /// The consent ledger.
    pub consents: Vec<ConsentRecord>,
    /// Provisions of the person's data to third parties (for the person and those who may write
    /// the record; empty for other readers).
    pub provisions: Vec<Provision>,
    /// Linked records (possibly the same person), each with its name when the viewer may read it.
    pub links: Vec<DuplicateHint>,
    /// The person's documents the viewer may see, oldest first.
    pub documents: Vec<crate::documents::VisibleDocument>,
    /// The viewer may change the person's data and record consents.
    pub writable: bool,
    /// The categories among disability and health the viewer may change.
    pub writes: Vec<DataCategory>,
    /// The viewer is the person.
    pub own: bool,
    /// Shown on an emergency override, open until then (read only).
    pub override_until: Option<OffsetDateTime>,
}

impl PersonView {
    /// True when `category` was shown.
    pub fn shows(&self, category: DataCategory) -> bool {
        self.shown.iter().any(|(c, _)| *c == category)
    }
}

/// The columns of the caseload export, in order: the name first, which a reader recognises, then
/// 本人ID, by which the support-records import names persons. Each row is an array of this
/// length, so a column cannot be added without its cell; `tests/export_layouts.rs` locks the names.
pub const CASELOAD_COLUMNS: [&str; 9] =
    ["氏名", "ふりがな", "生年月日", "本人ID", "段階", "支援開始日", "最終支援日", "次の対応", "次の対応の期日"];

/// The columns of the caseload export that hold dates (date cells in a workbook).
const CASELOAD_DATE_COLUMNS: [usize; 4] = [2, 5, 6, 8];

/// What falls due, as the caseload filters it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueFilter {
    /// Past its day (a next action, follow-up or plan review).
    Overdue,
    /// Overdue, or due within a week from today.
    ThisWeek,
}

/// The caseload as a worker narrows it: a name or reading, a stage, what is due, an order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseloadFilter {
    /// Part of a name or a reading, as typed (in either kana, in either width).
    pub text: String,
    /// Only this stage; `Some(None)`: persons with no stage yet.
    pub stage: Option<Option<tsunagu_domain::journey::Stage>>,
    /// Only persons with something due.
    pub due: Option<DueFilter>,
    /// The order.
    pub sort: tsunagu_store::CaseloadSort,
}

/// The longest name search kept: more is cut (no name is longer).
pub const MAX_NAME_SEARCH: usize = 100;

impl CaseloadFilter {
    /// True when it lists every open case, in whatever order.
    pub fn is_unfiltered(&self) -> bool {
        self.text.trim().is_empty() && self.stage.is_none() && self.due.is_none()
    }

    /// The store's query for this filter on `today`.
    fn query(&self, today: time::Date) -> tsunagu_store::CaseloadQuery {
        let typed: String = self.text.trim().chars().take(MAX_NAME_SEARCH).collect();
        tsunagu_store::CaseloadQuery {
            text: (!typed.is_empty()).then(|| tsunagu_store::NameSearch::of(&typed)),
            stage: self.stage,
            due_by: self.due.map(|d| match d {
                DueFilter::Overdue => today - time::Duration::days(1),
                DueFilter::ThisWeek => today + time::Duration::days(7),
            }),
            sort: self.sort,
        }
    }
}

/// One page of a caseload.
#[derive(Debug, Clone)]
pub struct Caseload {
    /// The agency.
    pub agency: AgencyId,
    /// Rows.
    pub entries: Vec<CaseloadEntry>,
    /// Open cases in all.
    pub total: u64,
    /// Next actions due within a week or overdue, earliest first.
    pub due: Vec<tsunagu_store::DueAction>,
    /// Retention follow-ups due within a week or overdue, earliest first, with the person's name.
    pub follow_ups: Vec<(tsunagu_domain::journey::FollowUp, String)>,
    /// Plan reviews due within a week or overdue, earliest first, with the person's name.
    pub plan_reviews: Vec<(tsunagu_domain::plan::SupportPlan, String)>,
    /// Today (Tokyo), to tell overdue from due.
    pub today: time::Date,
}

/// The casework roles that register persons and hold cases.
fn caseworker(account: &Account) -> bool {
    !account.disabled && account.does_casework()
}

fn cases_for_policy(cases: &[CaseRecord], index: &crate::index::DirectoryIndex) -> Vec<Case> {
    cases
        .iter()
        .map(|c| Case { agency: c.agency, block: index.block_of(c.agency).cloned(), closed: c.closed_on })
        .collect()
}

/// Empties the fields of categories the viewer may not read.
fn redact(fields: &mut PersonFields, withheld: &[(DataCategory, Denial)]) {
    for (category, _) in withheld {
        for field in fields_of(*category) {
            match field {
                "categories" => fields.categories.clear(),
                "certificates" => fields.certificates.clear(),
                "accommodations" => fields.accommodations = None,
                "health_notes" => fields.health_notes = None,
                _ => {}
            }
        }
    }
}

/// The non-empty fields of `fields` in `categories`, as the audit log names them.
pub(crate) fn present_fields(fields: &PersonFields, categories: &[DataCategory]) -> Vec<String> {
    FIELD_CATEGORIES
        .iter()
        .filter(|(_, c)| categories.contains(c))
        .map(|(f, _)| *f)
        .filter(|f| match *f {
            "phone" => fields.phone.is_some(),
            "email" => fields.email.is_some(),
            "address" => fields.address.is_some(),
            "preferred_hours" => fields.preferred_hours.is_some(),
            "preferred_area" => fields.preferred_area.is_some(),
            "emergency_contact" => fields.emergency_contact.is_some(),
            "emergency_phone" => fields.emergency_phone.is_some(),
            "accommodations" => fields.accommodations.is_some(),
            "health_notes" => fields.health_notes.is_some(),
            _ => true,
        })
        .map(str::to_owned)
        .collect()
}

fn record(id: PersonId) -> String {
    format!("person:{}", id.0)
}

/// The version a write of a record kept one per person makes: 1 for the first, the one after the
/// version the form was loaded at; `None` when the stored record moved on meanwhile, or appeared.
pub(crate) fn next_version(stored: Option<i64>, loaded: Option<i64>) -> Option<i64> {
    match (stored, loaded) {
        (None, None) => Some(1),
        (Some(stored), Some(loaded)) if stored == loaded => Some(loaded + 1),
        _ => None,
    }
}

impl App {
    /// Writes `commit`, which saves a record kept one per person from the version its form was
    /// loaded at: a record moved on meanwhile, or one added meanwhile, is the form's problem
    /// `code` on `field`.
    pub(crate) async fn commit_one_per_person(
        &self,
        commit: Commit,
        field: &'static str,
        code: &'static str,
    ) -> Result<(), AppError> {
        match self.commit(commit).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. } | StoreError::Duplicate { .. })) => {
                Err(invalid(field, code))
            }
            Err(e) => Err(e),
        }
    }
}

pub(crate) fn invalid(field: &'static str, code: &'static str) -> AppError {
    let mut p = Problems::new();
    p.add(field, code);
    AppError::Invalid(p)
}

impl App {
    /// Appends an audit event about person `person`.
    pub(crate) async fn audit_person(
        &self,
        actor: &Account,
        action: AuditAction,
        record: String,
        person: PersonId,
        fields: Vec<String>,
        basis: String,
    ) -> Result<(), AppError> {
        self.commit(Commit::new(self.person_event(actor, action, record, person, fields, basis))).await.map(|_| ())
    }

    /// Writes `commit` — changes to personal data with the audit entries recording them — through
    /// the store's one audited entry point, timing it.
    pub(crate) async fn commit(&self, commit: Commit) -> Result<Vec<AuditEntry>, AppError> {
        let started = std::time::Instant::now();
        let entries = self.store.commit(commit).await.map_err(AppError::Store)?;
        metrics::histogram!("tsunagu_person_audit_append_seconds").record(started.elapsed().as_secs_f64());
        Ok(entries)
    }

    /// The audit entries of a registration by `actor`: the consent first, then the person with
    /// the fields `written`.
    pub(crate) fn registration_events(
        &self,
        actor: &Account,
        action: AuditAction,
        consent: &ConsentRecord,
        written: Vec<String>,
    ) -> [AuditEvent; 2] {
        let (person, consent_id) = (consent.consent.person, consent.consent.id);
        [
            self.person_event(
                actor,
                action,
                format!("consent:{}", consent_id.0),
                person,
                consent_fields(&consent.consent),
                format!("evidence:{}", consent.evidence.code()),
            ),
            self.person_event(actor, action, record(person), person, written, format!("consent:{}", consent_id.0)),
        ]
    }

    /// An audit event by `actor` about person `person`, now.
    pub(crate) fn person_event(
        &self,
        actor: &Account,
        action: AuditAction,
        record: String,
        person: PersonId,
        fields: Vec<String>,
        basis: String,
    ) -> AuditEvent {
        AuditEvent { person: person.0.to_string(), ..self.event(actor, action, record, fields, basis) }
    }

    /// Starts writing `commit` (a read's audit entry and the provisions it made); the handle
    /// answers once it is committed. The caller must await it before anything read leaves.
    pub(crate) fn start_commit(&self, commit: Commit) -> tokio::task::JoinHandle<Result<AuditEntry, StoreError>> {
        let store = std::sync::Arc::clone(&self.store);
        tokio::spawn(async move {
            let started = std::time::Instant::now();
            let entries = store.commit(commit).await;
            metrics::histogram!("tsunagu_person_audit_append_seconds").record(started.elapsed().as_secs_f64());
            entries?.pop().ok_or_else(|| StoreError::Backend("the store answered no audit entry".into()))
        })
    }

    /// The viewer as the policy sees them: the account with its agency's block.
    pub(crate) async fn decide_for(
        &self,
        actor: &Account,
        file: &PersonFile,
        action: Action,
        category: DataCategory,
        purposes: &[Purpose],
        emergency: Option<&str>,
    ) -> Result<Result<Basis, Denial>, AppError> {
        let started = std::time::Instant::now();
        let index = self.directory().await?;
        let block = actor.agency.and_then(|a| index.block_of(a));
        let viewer = Viewer { account: actor, block, employer: actor.employer, person: actor.person };
        let cases = cases_for_policy(&file.cases, &index);
        let consents: Vec<Consent> = file.consents.iter().map(|r| r.consent.clone()).collect();
        let now = self.clock.now();
        let relations = Relations { cases: &cases, consents: &consents };
        let mut decision = Err(Denial::NoBasis);
        for purpose in purposes {
            let request = Request { person: file.person.id, action, category, purpose: *purpose };
            decision = decide(&viewer, request, relations, None, now, tokyo_date(now));
            if decision.is_ok() {
                metrics::histogram!("tsunagu_person_policy_seconds").record(started.elapsed().as_secs_f64());
                return Ok(decision);
            }
        }
        if let Some(reason) = emergency {
            let purpose = purposes.first().copied().unwrap_or(Purpose::Support);
            let request = Request { person: file.person.id, action, category, purpose };
            decision = decide(&viewer, request, relations, Some(Override { reason }), now, tokyo_date(now));
        }
        metrics::histogram!("tsunagu_person_policy_seconds").record(started.elapsed().as_secs_f64());
        Ok(decision)
    }

    async fn person_file(&self, id: PersonId) -> Result<PersonFile, AppError> {
        self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)
    }

    /// Records a refusal and returns it as the error.
    pub(crate) async fn refuse(&self, actor: &Account, id: PersonId, what: String, denial: Denial) -> AppError {
        let code = denial.code();
        match self.audit_person(actor, AuditAction::AccessDenied, what, id, vec![], format!("denied:{code}")).await {
            Ok(()) => AppError::Denied(denial),
            Err(e) => e,
        }
    }

    /// Each category of the person's page decided for `actor`: those shown with their basis, those
    /// withheld with the reason.
    async fn page_decisions(
        &self,
        actor: &Account,
        file: &PersonFile,
        emergency: Option<&str>,
    ) -> Result<(Vec<(DataCategory, Basis)>, Vec<(DataCategory, Denial)>), AppError> {
        let mut shown = Vec::new();
        let mut withheld = Vec::new();
        for category in PAGE_CATEGORIES {
            match self.decide_for(actor, file, Action::Read, category, Purpose::ALL, emergency).await? {
                Ok(basis) => shown.push((category, basis)),
                Err(denial) => withheld.push((category, denial)),
            }
        }
        Ok((shown, withheld))
    }

    /// Reads a person for `actor`: each category decided on its own, the read (or the refusal)
    /// audited with the fields shown and the basis, and a provision recorded when the data crosses
    /// to another agency or an employer. `emergency` is an override's written reason.
    pub async fn open_person(
        &self,
        actor: &Account,
        id: PersonId,
        emergency: Option<&str>,
    ) -> Result<Audited<PersonView>, AppError> {
        let file = self.person_file(id).await?;
        let (mut shown, mut withheld) = self.page_decisions(actor, &file, emergency).await?;
        let now = self.clock.now();
        let mut grant = None;
        let basic = |shown: &[(DataCategory, Basis)]| shown.iter().any(|(c, _)| *c == DataCategory::Basic);
        if !basic(&shown) && emergency.is_none() {
            // An override granted earlier and still open reopens the record, read only.
            if let Some(open) = self.store.emergency_access(actor.id, id, now).await.map_err(AppError::Store)? {
                (shown, withheld) = self.page_decisions(actor, &file, Some(&open.reason)).await?;
                grant = Some((open, false));
            }
        }
        if !basic(&shown) {
            let denial = withheld.first().map_or(Denial::NoBasis, |(_, d)| *d);
            return Err(self.refuse(actor, id, record(id), denial).await);
        }
        // A new override opens a window in which the record and the journey can be read again.
        if let (Some(reason), true) = (emergency, shown.iter().any(|(_, b)| matches!(b, Basis::Override(_)))) {
            let open = EmergencyAccess {
                id: self.ids.new_id(),
                prefecture: file.person.prefecture.clone(),
                account: actor.id,
                person: id,
                reason: reason.trim().to_owned(),
                granted_at: now,
                until: now + time::Duration::minutes(OVERRIDE_MINUTES),
            };
            grant = Some((open, true));
        }
        let PersonFile { mut person, cases, consents, links, .. } = file.clone();
        redact(&mut person.fields, &withheld);
        let categories: Vec<DataCategory> = shown.iter().map(|(c, _)| *c).collect();
        let mut bases: Vec<String> = shown.iter().map(|(_, b)| b.audit_code()).collect();
        bases.dedup();
        let mut fields = present_fields(&person.fields, &categories);
        let documents = self.visible_documents(actor, &file).await?;
        if !documents.is_empty() {
            fields.push("documents".into());
        }
        // The audit entry is committed while the rest of the page is gathered and rendered;
        // `Audited` hands out what was built only once it is.
        let mut provisions = self.provisions(actor, &file, &shown, &fields);
        // Another agency's documents listed on a consent cross with the fields it opened.
        for provision in &mut provisions {
            if documents.iter().any(|d| !d.own && d.basis == Basis::Consent(provision.consent)) {
                provision.items.push("documents".into());
            }
        }
        let read = self.person_event(actor, AuditAction::Read, record(id), id, fields, bases.join(" "));
        let mut commit = Commit::new(read).with_all(provisions.into_iter().map(|p| Change::Provision(Box::new(p))));
        if let Some((open, true)) = &grant {
            commit = commit.with(Change::EmergencyAccess(Box::new(open.clone())));
        }
        let audited = self.start_commit(commit);
        let writable =
            self.decide_for(actor, &file, Action::Write, DataCategory::Basic, &[Purpose::Support], None).await?.is_ok();
        let mut writes = Vec::new();
        for category in [DataCategory::Disability, DataCategory::Health] {
            let purposes = [Purpose::Support, Purpose::Retention];
            if writable && self.decide_for(actor, &file, Action::Write, category, &purposes, None).await?.is_ok() {
                writes.push(category);
            }
        }
        let own = actor.person == Some(id);
        let mut hints = Vec::new();
        for other in links {
            hints.push(self.duplicate_hint(actor, other).await?);
        }
        let provisions =
            if writable || own { self.store.provisions_of(id).await.map_err(AppError::Store)? } else { Vec::new() };
        let view = PersonView {
            person,
            shown,
            withheld,
            cases,
            consents,
            provisions,
            links: hints,
            documents,
            writable,
            writes,
            own,
            override_until: grant.map(|(open, _)| open.until),
        };
        Ok(Audited { value: view, receipt: audited })
    }

    /// The 第三者提供記録 a read makes when it relied on a consent and took the data to an agency
    /// holding no open case for the person, or to an employer.
    fn provisions(
        &self,
        actor: &Account,
        file: &PersonFile,
        shown: &[(DataCategory, Basis)],
        fields: &[String],
    ) -> Vec<Provision> {
        let holds_case = |agency: AgencyId| file.cases.iter().any(|c| c.agency == agency && c.closed_on.is_none());
        let recipient = match (actor.employer, actor.agency) {
            (Some(employer), _) => Recipient::Employer(employer),
            (None, Some(agency)) if !holds_case(agency) => Recipient::Agency(agency),
            _ => return Vec::new(),
        };
        let mut used: Vec<ConsentId> = Vec::new();
        for (_, basis) in shown {
            if let Basis::Consent(id) = basis
                && !used.contains(id)
            {
                used.push(*id);
            }
        }
        let mut provisions = Vec::new();
        for consent in used {
            let covered: Vec<DataCategory> =
                shown.iter().filter(|(_, b)| *b == Basis::Consent(consent)).map(|(c, _)| *c).collect();
            let items = fields
                .iter()
                .filter(|f| FIELD_CATEGORIES.iter().any(|(name, c)| name == f && covered.contains(c)))
                .cloned()
                .collect();
            let provision = Provision {
                prefecture: file.person.prefecture.clone(),
                id: self.ids.new_id(),
                at: self.clock.now(),
                person: file.person.id,
                recipient: recipient.clone(),
                items,
                consent,
                provided_by: actor.id,
            };
            provisions.push(provision);
        }
        provisions
    }

    /// What `actor` may be told about another record: its name when they may read it.
    async fn duplicate_hint(&self, actor: &Account, other: PersonId) -> Result<DuplicateHint, AppError> {
        let Some(file) = self.store.person_file(other).await.map_err(AppError::Store)? else {
            return Ok(DuplicateHint { visible: None, held_by: Vec::new() });
        };
        let allowed =
            self.decide_for(actor, &file, Action::Read, DataCategory::Basic, &[Purpose::Support], None).await?.is_ok();
        let index = self.directory().await?;
        let held_by = file
            .cases
            .iter()
            .filter(|c| c.closed_on.is_none())
            .filter_map(|c| index.agency(c.agency).map(|a| a.name.clone()))
            .collect();
        Ok(DuplicateHint { visible: allowed.then(|| (other, file.person.fields.name.clone())), held_by })
    }

    /// Registers a person: the consent first (to the registering agency), then the person and an
    /// open case at that agency, in one transaction. A person with the same reading and birth
    /// date anywhere in the network stops the registration until the registrant confirms; the
    /// records are then linked, never merged.
    pub async fn register_person(&self, actor: &Account, new: &NewPerson) -> Result<PersonId, AppError> {
        let agency = match actor.agency {
            Some(agency) if caseworker(actor) => agency,
            _ => return Err(AppError::Forbidden),
        };
        let now = self.clock.now();
        let today = tokyo_date(now);
        let consent_input = ConsentInput {
            recipient_kind: "agency".into(),
            recipient_id: agency.0.to_string(),
            purposes: new.purposes.clone(),
            categories: new.categories.clone(),
            valid_from: today.to_string(),
            valid_to: new.valid_to.clone(),
            evidence: new.evidence.clone(),
            evidence_note: new.evidence_note.clone(),
        };
        let fields = new.person.validate(today);
        let terms = consent_input.validate(&|_| true);
        let mut problems = Problems::new();
        if let Err(p) = &fields {
            problems.extend(p.clone());
        }
        match &terms {
            Err(p) => problems.extend(p.clone().renamed("categories", "consent_categories")),
            Ok(t) => problems.extend(registration_problems(t, fields.as_ref().ok())),
        }
        let (Ok(fields), Ok(terms)) = (fields, terms) else {
            return Err(AppError::Invalid(problems));
        };
        if !problems.is_empty() {
            return Err(AppError::Invalid(problems));
        }
        let key = duplicate_key(&fields.name_kana, fields.birth_date);
        if !new.confirm_duplicate {
            self.refuse_possible_duplicates(actor, &key).await?;
        }
        let id = PersonId(self.ids.new_id());
        let consent = self.consent_record(actor, id, PREFECTURE, terms, now);
        let written = present_fields(&fields, &[DataCategory::Basic, DataCategory::Disability, DataCategory::Health]);
        let registration = Registration {
            person: Person {
                id,
                prefecture: PREFECTURE.to_owned(),
                fields,
                registered_by: agency,
                version: 1,
                created_at: now,
                updated_at: now,
            },
            consents: vec![consent.clone()],
            case: CaseRecord {
                id: self.ids.new_id(),
                prefecture: PREFECTURE.to_owned(),
                person: id,
                agency,
                opened_on: today,
                closed_on: None,
                opened_by: actor.id,
            },
            // Decided again where the person is written: a registration of the same person
            // committed since the check above is not missed.
            duplicates: if new.confirm_duplicate { Duplicates::LinkAll } else { Duplicates::Refuse },
        };
        let events = self.registration_events(actor, AuditAction::Create, &consent, written);
        let [first, second] = events;
        let commit = Commit::new(first).and_event(second).with(Change::Register(Box::new(registration)));
        match self.commit(commit).await {
            Err(AppError::Store(StoreError::Duplicate { what: "person" })) => {
                self.refuse_possible_duplicates(actor, &key).await?;
                Err(AppError::Store(StoreError::Duplicate { what: "person" }))
            }
            other => other.map(|_| id),
        }
    }

    /// Refuses a registration with the persons of `key` (the same reading and birth date) as
    /// hints, when there are any.
    async fn refuse_possible_duplicates(&self, actor: &Account, key: &str) -> Result<(), AppError> {
        let existing = self.store.persons_with_duplicate_keys(&[key.to_owned()]).await.map_err(AppError::Store)?;
        if existing.is_empty() {
            return Ok(());
        }
        let mut hints = Vec::new();
        for other in &existing {
            hints.push(self.duplicate_hint(actor, other.person).await?);
        }
        Err(AppError::PossibleDuplicates(hints))
    }

    /// Changes a person's data. The form names the version it was loaded at: if someone saved in
    /// between, nothing is written and the current record (as far as the actor may see it) comes
    /// back to be shown beside the actor's values. Each category is changed only on a basis that
    /// allows writing it (the person edits their basic facts; health notes need a health consent);
    /// the others keep their values.
    pub async fn edit_person(
        &self,
        actor: &Account,
        id: PersonId,
        version: i64,
        input: &PersonInput,
    ) -> Result<Person, AppError> {
        let file = self.person_file(id).await?;
        let basis =
            match self.decide_for(actor, &file, Action::Write, DataCategory::Basic, &[Purpose::Support], None).await? {
                Ok(basis) => basis,
                Err(denial) => return Err(self.refuse(actor, id, record(id), denial).await),
            };
        let may = async |category| {
            self.decide_for(actor, &file, Action::Write, category, &[Purpose::Support, Purpose::Retention], None)
                .await
                .map(|d| d.is_ok())
        };
        let may_health = may(DataCategory::Health).await?;
        let may_disability = may(DataCategory::Disability).await?;
        let now = self.clock.now();
        let current = &file.person;
        // Fields the actor may not change (or, for health, not even see) keep their values.
        let mut input = input.clone();
        let kept = PersonInput::from_fields(&current.fields);
        if !may_disability {
            input.categories = kept.categories;
            input.certificates = kept.certificates;
            input.accommodations = kept.accommodations;
        }
        if !may_health {
            input.health_notes = kept.health_notes;
        }
        let fields = input.validate(tokyo_date(now)).map_err(AppError::Invalid)?;
        if version != current.version {
            let mut shown = current.clone();
            if !may_health {
                shown.fields.health_notes = None;
            }
            return Err(AppError::PersonConflict(Box::new(shown)));
        }
        let changed: Vec<String> = person_changes(&current.fields, &fields);
        if changed.is_empty() {
            return Ok(current.clone());
        }
        let updated = Person { fields, version: current.version + 1, updated_at: now, ..current.clone() };
        let event = self.person_event(actor, AuditAction::Update, record(id), id, changed, basis.audit_code());
        match self.commit(Commit::new(event).with(Change::UpdatePerson(Box::new(updated.clone())))).await {
            Ok(_) => {}
            Err(AppError::Store(StoreError::Conflict { .. })) => {
                let mut now_stored = self.person_file(id).await?.person;
                if !may_health {
                    now_stored.fields.health_notes = None;
                }
                return Err(AppError::PersonConflict(Box::new(now_stored)));
            }
            Err(e) => return Err(e),
        }
        Ok(updated)
    }

    /// Whether `actor` may register persons (casework staff of an agency).
    pub fn may_register(actor: &Account) -> bool {
        caseworker(actor) && actor.agency.is_some()
    }

    /// Refuses (and audits the refusal) unless `actor` is the person or may change their record.
    pub async fn check_person_write(&self, actor: &Account, id: PersonId) -> Result<(), AppError> {
        let file = self.person_file(id).await?;
        if actor.person == Some(id) && actor.has(Role::Person) && !actor.disabled {
            return Ok(());
        }
        match self.decide_for(actor, &file, Action::Write, DataCategory::Basic, &[Purpose::Support], None).await? {
            Ok(_) => Ok(()),
            Err(denial) => Err(self.refuse(actor, id, record(id), denial).await),
        }
    }

    /// Records a consent the person gave. Staff who may write the person's record record it from
    /// a paper form or a verbal consent; the person records their own (evidence: own account).
    pub async fn record_consent(
        &self,
        actor: &Account,
        id: PersonId,
        input: &ConsentInput,
    ) -> Result<ConsentId, AppError> {
        let file = self.person_file(id).await?;
        let own = actor.person == Some(id) && actor.has(Role::Person);
        if !own
            && let Err(denial) =
                self.decide_for(actor, &file, Action::Write, DataCategory::Basic, &[Purpose::Support], None).await?
        {
            return Err(self.refuse(actor, id, "consent:new".into(), denial).await);
        }
        let terms = self.check_consent(input).await?;
        if own != (terms.evidence == Evidence::OwnAccount) {
            let code = if own { "own_account_only" } else { "own_account_needs_person" };
            return Err(invalid("evidence", code));
        }
        let record = self.consent_record(actor, id, &file.person.prefecture, terms, self.clock.now());
        let consent = record.consent.clone();
        let basis = if own { "own".to_owned() } else { format!("evidence:{}", record.evidence.code()) };
        let event = self.person_event(
            actor,
            AuditAction::Create,
            format!("consent:{}", consent.id.0),
            id,
            consent_fields(&consent),
            basis,
        );
        self.commit(Commit::new(event).with(Change::Consent(Box::new(record)))).await?;
        Ok(consent.id)
    }

    /// The ledger entry for a consent person `person` gave on `terms`, recorded by `actor` at `at`.
    pub(crate) fn consent_record(
        &self,
        actor: &Account,
        person: PersonId,
        prefecture: &str,
        terms: ConsentTerms,
        at: OffsetDateTime,
    ) -> ConsentRecord {
        ConsentRecord {
            prefecture: prefecture.to_owned(),
            consent: Consent {
                id: ConsentId(self.ids.new_id()),
                person,
                recipient: terms.recipient,
                purposes: terms.purposes,
                categories: terms.categories,
                valid_from: terms.valid_from,
                valid_to: terms.valid_to,
                revoked_at: None,
            },
            evidence: terms.evidence,
            evidence_note: terms.evidence_note,
            recorded_by: actor.id,
            recorded_at: at,
        }
    }

    /// Checks a consent form against the directory and the employers.
    pub(crate) async fn check_consent(&self, input: &ConsentInput) -> Result<ConsentTerms, AppError> {
        // An employer named by 法人番号 in a form becomes its id.
        let mut input = input.clone();
        if input.recipient_kind.trim() == "employer" {
            let raw: String = input.recipient_id.chars().filter(char::is_ascii_digit).collect();
            if raw.len() == 13
                && let Some(employer) =
                    self.store.employer_ref(EmployerLookup::Number(raw)).await.map_err(AppError::Store)?
            {
                input.recipient_id = employer.id.0.to_string();
            }
        }
        let index = self.directory().await?;
        let mut employer_known = None;
        if let Some(Recipient::Employer(e)) =
            Recipient::from_parts(input.recipient_kind.trim(), input.recipient_id.trim())
        {
            employer_known =
                Some(self.store.employer_ref(EmployerLookup::Id(e)).await.map_err(AppError::Store)?.is_some());
        }
        let known = |r: &Recipient| match r {
            Recipient::Agency(a) => index.agency(*a).is_some(),
            Recipient::Block(b) => index.references.block(b).is_some(),
            Recipient::Employer(_) => employer_known == Some(true),
        };
        input.validate(&known).map_err(AppError::Invalid)
    }

    /// Withdraws a consent: from the next request on, nothing relies on it. The person withdraws
    /// their own; staff who may write the record note a withdrawal the person told them of.
    pub async fn revoke_consent(&self, actor: &Account, id: PersonId, consent: ConsentId) -> Result<(), AppError> {
        let file = self.person_file(id).await?;
        let own = actor.person == Some(id) && actor.has(Role::Person);
        let basis = if own {
            "own".to_owned()
        } else {
            match self.decide_for(actor, &file, Action::Write, DataCategory::Basic, &[Purpose::Support], None).await? {
                Ok(basis) => basis.audit_code(),
                Err(denial) => return Err(self.refuse(actor, id, format!("consent:{}", consent.0), denial).await),
            }
        };
        if !file.consents.iter().any(|c| c.consent.id == consent) {
            return Err(AppError::NotFound);
        }
        let event = self.person_event(
            actor,
            AuditAction::Update,
            format!("consent:{}", consent.0),
            id,
            vec!["revoked_at".into()],
            basis,
        );
        let change = Change::RevokeConsent { id: consent, at: self.clock.now() };
        not_found_as_such(self.commit(Commit::new(event).with(change)).await)
    }

    /// The persons with an open case at the actor's agency (names, readings, birth dates) that
    /// `filter` lists, page by page. The list is audited as one read of the caseload.
    pub async fn caseload(&self, actor: &Account, filter: &CaseloadFilter, page: u32) -> Result<Caseload, AppError> {
        let agency = match actor.agency {
            Some(agency) if caseworker(actor) => agency,
            _ => return Err(AppError::Forbidden),
        };
        let offset = page.saturating_sub(1).saturating_mul(CASELOAD_PAGE);
        let today = tokyo_date(self.clock.now());
        let until = today + time::Duration::days(7);
        let fields = vec!["name".into(), "name_kana".into(), "birth_date".into(), "stage".into(), "next_action".into()];
        let basis = format!("own_case:{}", agency.0);
        // Access is decided (the actor's own agency): the entry is committed while the page is
        // read, and nothing is returned before both are done.
        let query = filter.query(today);
        let (page, audited) = tokio::join!(
            self.store.caseload_page(agency, &query, offset, CASELOAD_PAGE, until, 20),
            self.audit(Some(actor), "", AuditAction::Read, format!("caseload:{}", agency.0), fields, &basis)
        );
        audited?;
        let tsunagu_store::CaseloadPage { entries, total, due, follow_ups, plan_reviews } =
            page.map_err(AppError::Store)?;
        Ok(Caseload { agency, entries, total, due, follow_ups, plan_reviews, today })
    }

    /// The whole caseload of the actor's agency as CSV or XLSX (the files agencies keep); audited
    /// as an export.
    pub async fn export_caseload(&self, actor: &Account, xlsx: bool) -> Result<Vec<u8>, AppError> {
        let agency = match actor.agency {
            Some(agency) if caseworker(actor) => agency,
            _ => return Err(AppError::Forbidden),
        };
        let entries = self.store.caseload(agency, 0, u32::MAX).await.map_err(AppError::Store)?;
        let date = |d: Option<time::Date>| d.map(|d| d.to_string()).unwrap_or_default();
        let rows: Vec<Vec<String>> = entries
            .into_iter()
            .map(|e| {
                let (next, next_on) = e.next_action.unwrap_or_default();
                let row: [String; CASELOAD_COLUMNS.len()] = [
                    e.name,
                    e.name_kana,
                    e.birth_date.to_string(),
                    e.person.0.to_string(),
                    e.stage.map(|s| s.name_ja().to_owned()).unwrap_or_default(),
                    e.opened_on.to_string(),
                    date(e.last_contact_on),
                    next,
                    date(next_on),
                ];
                row.to_vec()
            })
            .collect();
        let fields = ["name", "name_kana", "birth_date", "stage", "last_contact_on", "next_action"];
        self.audit(
            Some(actor),
            "",
            AuditAction::Export,
            format!("caseload:{}", agency.0),
            fields.iter().map(|f| (*f).to_owned()).collect(),
            &format!("own_case:{}", agency.0),
        )
        .await?;
        if xlsx {
            crate::export::table_xlsx("担当ケース", &CASELOAD_COLUMNS, &rows, &CASELOAD_DATE_COLUMNS)
        } else {
            crate::export::table_csv(&CASELOAD_COLUMNS, &rows)
        }
    }

    /// Names a consent's recipient for display: agency or employer name, or block name.
    pub async fn recipient_name(&self, recipient: &Recipient) -> Result<String, AppError> {
        Ok(match recipient {
            Recipient::Agency(a) => self.directory().await?.agency(*a).map(|a| a.name.clone()).unwrap_or_default(),
            Recipient::Block(b) => {
                self.directory().await?.references.block(b).map(|b| b.name_ja.clone()).unwrap_or_default()
            }
            Recipient::Employer(e) => self
                .store
                .employer_ref(EmployerLookup::Id(*e))
                .await
                .map_err(AppError::Store)?
                .map(|e| e.name)
                .unwrap_or_default(),
        })
    }
}

/// Every field of the person that holds a value, as the audit log names them.
pub(crate) fn present_fields_of_every_category(fields: &PersonFields) -> Vec<String> {
    present_fields(fields, &[DataCategory::Basic, DataCategory::Disability, DataCategory::Health])
}

/// The fields that differ between two versions of a person, as the audit log names them.
pub fn person_changes(before: &PersonFields, after: &PersonFields) -> Vec<String> {
    let a = PersonInput::from_fields(before);
    let b = PersonInput::from_fields(after);
    let pairs: [(&str, bool); 14] = [
        ("name", a.name != b.name),
        ("name_kana", a.name_kana != b.name_kana),
        ("birth_date", a.birth_date != b.birth_date),
        ("phone", a.phone != b.phone),
        ("email", a.email != b.email),
        ("address", a.address != b.address),
        ("categories", a.categories != b.categories),
        ("certificates", a.certificates != b.certificates),
        ("accommodations", a.accommodations != b.accommodations),
        ("health_notes", a.health_notes != b.health_notes),
        ("preferred_hours", a.preferred_hours != b.preferred_hours),
        ("preferred_area", a.preferred_area != b.preferred_area),
        ("emergency_contact", a.emergency_contact != b.emergency_contact),
        ("emergency_phone", a.emergency_phone != b.emergency_phone),
    ];
    pairs.iter().filter(|(_, differs)| *differs).map(|(f, _)| (*f).to_owned()).collect()
}

/// The fields of a consent as the audit log names them.
pub(crate) fn consent_fields(c: &Consent) -> Vec<String> {
    let mut fields: Vec<String> = c.purposes.iter().map(|p| format!("purpose:{}", p.code())).collect();
    fields.extend(c.categories.iter().map(|k| format!("category:{}", k.code())));
    fields
}
