//! 就労パスポート: written by the person, with their supporter's help, from what Tsunagu already
//! knows of them (their work, the agencies that support them) and their own words; the person
//! alone chooses which sections go in and to whom it is given.
//!
//! A passport is the person's personal data: read on the access policy's decision (the person
//! reads their own), each read and write audited in the same commit, and in their disclosure.
//! Staff who may write the person's assessment data write its answers; the sections chosen are
//! kept as the person left them. What leaves Tsunagu — the printed page, the workbook, a passport
//! given — holds the chosen sections only, and a passport given is a consent (the one in force,
//! or a new one the person gives then) and a provision record (第三者提供記録), in one commit.

use std::collections::BTreeMap;

use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::{ConsentInput, DataCategory, Provision, Recipient};
use tsunagu_domain::passport::{Passport, PassportFields, PassportId, check_answers, check_shown, provision_items};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::validation::{Problem, Problems};
use tsunagu_store::{Change, Commit, StoreError};

use crate::export::{from_spreadsheet_safe, table_xlsx};
use crate::persons::invalid;
use crate::{App, AppError};

/// The columns of a passport workbook, in order: what the export writes and the import reads.
pub const PASSPORT_COLUMNS: [&str; 4] = ["区分", "項目番号", "項目", "記入"];

/// A person's passport as one viewer may see it.
#[derive(Debug, Clone)]
pub struct PassportView {
    /// The person.
    pub person: PersonId,
    /// 氏名.
    pub name: String,
    /// The passport, once begun.
    pub passport: Option<Passport>,
    /// What the form starts from: the stored answers, or — before the first write — what Tsunagu
    /// knows already (the person's work, the agencies that support them).
    pub draft: BTreeMap<String, String>,
    /// The viewer is the person, who chooses the sections and gives it.
    pub own: bool,
    /// The viewer may write its answers.
    pub writable: bool,
    /// Each time it was given: the provision and the recipient's name, the latest first.
    pub given: Vec<(Provision, String)>,
}

impl PassportView {
    /// The version a form loaded now writes from (0 before the first write).
    pub fn version(&self) -> i64 {
        self.passport.as_ref().map_or(0, |p| p.version)
    }

    /// The stored fields (empty before the first write).
    pub fn fields(&self) -> PassportFields {
        self.passport.as_ref().map(|p| p.fields.clone()).unwrap_or_default()
    }
}

fn record_of(person: PersonId) -> String {
    format!("passport:{}", person.0)
}

/// The answers a workbook in [`PASSPORT_COLUMNS`] holds, by item code (an empty cell clears the
/// item): a workbook of another layout, or a row naming an item the passport does not have, is
/// refused with its row.
pub fn passport_from_workbook(bytes: &[u8]) -> Result<BTreeMap<String, String>, Problems> {
    // The number a message needs: the row for the passport's own problems, the limit for the file's.
    let one = |code: &'static str, n: Option<u32>| {
        let mut p = Problems::new();
        p.push(Problem { field: "file", code, limit: n });
        p
    };
    let row = |line: usize| Some(u32::try_from(line).unwrap_or(u32::MAX));
    let table = crate::import::read_table(bytes).map_err(|e| one(e.code, e.limit))?;
    if table.header.iter().map(|h| h.trim()).ne(PASSPORT_COLUMNS) {
        return Err(one("passport_unknown_layout", None));
    }
    let mut out = BTreeMap::new();
    for (line, cells) in &table.rows {
        let cell = |i: usize| cells.get(i).map_or("", |c| from_spreadsheet_safe(c.trim()));
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let code = cell(1);
        if tsunagu_domain::passport::item(code).is_none() {
            return Err(one("passport_import_unknown_item", row(*line)));
        }
        if out.insert(code.to_owned(), cell(3).to_owned()).is_some() {
            return Err(one("passport_import_twice", row(*line)));
        }
    }
    if out.is_empty() {
        return Err(one("passport_import_empty", None));
    }
    Ok(out)
}

impl App {
    /// The person's passport, for the person or for staff the policy lets read their support
    /// data; audited on the person's record.
    pub async fn passport_view(&self, actor: &Account, person: PersonId) -> Result<PassportView, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.read_basis(actor, &file, record_of(person)).await?;
        let passport = self.store.passport_of_person(person).await.map_err(AppError::Store)?;
        let own = Self::own_person(actor).ok() == Some(person);
        let writable = own || self.may_write_assessment(actor, &file).await?;
        let draft = match &passport {
            Some(p) => p.fields.answers.clone(),
            None => self.passport_draft(&file).await?,
        };
        let mut given = Vec::new();
        for p in self.store.provisions_of(person).await.map_err(AppError::Store)? {
            if p.items.iter().any(|i| i.starts_with("passport:")) {
                let name = self.recipient_name(&p.recipient).await?;
                given.push((p, name));
            }
        }
        given.sort_by_key(|g| std::cmp::Reverse(g.0.at));
        let fields = vec!["name".into(), "passport".into()];
        self.audit_person(actor, AuditAction::Read, record_of(person), person, fields, basis.audit_code()).await?;
        Ok(PassportView { person, name: file.person.fields.name.clone(), passport, draft, own, writable, given })
    }

    /// What Tsunagu knows already, as a first draft: the person's work (employer, 職種, first day)
    /// and the agencies holding their case with their telephone.
    async fn passport_draft(&self, file: &tsunagu_store::PersonFile) -> Result<BTreeMap<String, String>, AppError> {
        let mut draft = BTreeMap::new();
        let journey = self.store.journey_of(file.person.id, 0).await.map_err(AppError::Store)?;
        let mut work = Vec::new();
        for placement in &journey.placements {
            let f = &placement.fields;
            let employer = self.recipient_name(&Recipient::Employer(f.employer)).await?;
            let title = if f.job_title.is_empty() { String::new() } else { format!(" {}", f.job_title) };
            work.push(format!("{}〜 {employer}{title}", f.starts_on));
        }
        if !work.is_empty() {
            draft.insert("1-1".to_owned(), work.join("\n"));
        }
        let index = self.directory().await?;
        let (mut names, mut phones) = (Vec::new(), Vec::new());
        for case in file.cases.iter().filter(|c| c.closed_on.is_none()) {
            if let Some(agency) = index.agency(case.agency) {
                names.push(agency.name.clone());
                if let Some(phone) = agency.phone.as_deref().filter(|p| !p.is_empty()) {
                    phones.push(format!("{} {phone}", agency.name));
                }
            }
        }
        if !names.is_empty() {
            draft.insert("7-1".to_owned(), names.join("\n"));
        }
        if !phones.is_empty() {
            draft.insert("7-2".to_owned(), phones.join("\n"));
        }
        Ok(draft)
    }

    /// The basis on which `actor` writes the person's passport: their own, or as staff who may
    /// write the person's assessment data (the refusal audited).
    async fn passport_write_basis(
        &self,
        actor: &Account,
        file: &tsunagu_store::PersonFile,
    ) -> Result<String, AppError> {
        if Self::own_person(actor).ok() == Some(file.person.id) {
            return Ok("own".to_owned());
        }
        Self::acting_agency(actor)?;
        Ok(self.write_basis(actor, file, DataCategory::Assessment).await?.audit_code())
    }

    /// Writes the passport's answers from the version the form was loaded at (0 for the first
    /// write, which begins it; none sent is refused once the writer is known to be allowed), and — only when the actor is the person — the sections chosen.
    /// Staff who may write the person's assessment data write the answers; the sections stay as
    /// the person chose them.
    pub async fn write_passport(
        &self,
        actor: &Account,
        person: PersonId,
        typed: &BTreeMap<String, String>,
        shown: Option<&[String]>,
        version: Option<i64>,
    ) -> Result<(), AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let own = Self::own_person(actor).ok() == Some(person);
        if shown.is_some() && !own {
            return Err(AppError::Forbidden);
        }
        let basis = self.passport_write_basis(actor, &file).await?;
        let version = version.ok_or_else(|| invalid("version", "required"))?;
        let stored = self.store.passport_of_person(person).await.map_err(AppError::Store)?;
        if stored.as_ref().map_or(0, |p| p.version) != version {
            return Err(invalid("answers", "passport_changed"));
        }
        let answers = check_answers(typed).map_err(AppError::Invalid)?;
        let now = self.clock.now();
        let mut fields = stored.as_ref().map(|p| p.fields.clone()).unwrap_or_default();
        fields.answers = answers;
        let mut written = vec!["passport_answers".to_owned()];
        if let Some(ticked) = shown {
            fields.shown = check_shown(ticked.iter().map(String::as_str)).map_err(AppError::Invalid)?;
            fields.chosen_at = Some(now);
            written.push("passport_sections".into());
        }
        let (id, expected) = match &stored {
            Some(p) => (p.id, Some(version)),
            None => (PassportId(self.ids.new_id()), None),
        };
        let passport = Passport {
            id,
            prefecture: file.person.prefecture.clone(),
            person,
            fields,
            recorded_by: actor.id,
            version: version + 1,
            updated_at: now,
        };
        let action = if stored.is_some() { AuditAction::Update } else { AuditAction::Create };
        let event = self.person_event(actor, action, record_of(person), person, written, basis);
        let change = Change::SavePassport { passport: Box::new(passport), expected };
        match self.commit(Commit::new(event).with(change)).await {
            Ok(_) => Ok(()),
            Err(AppError::Store(StoreError::Conflict { .. } | StoreError::Duplicate { .. })) => {
                Err(invalid("answers", "passport_changed"))
            }
            Err(e) => Err(e),
        }
    }

    /// Reads a filled passport workbook (the layout of [`App::passport_xlsx`]) into the passport:
    /// each item the file names takes the file's answer, the others stay; the sections chosen
    /// stay. Nothing is written when any row is refused. Answers how many items the file held.
    pub async fn import_passport(
        &self,
        actor: &Account,
        person: PersonId,
        bytes: &[u8],
        version: Option<i64>,
    ) -> Result<usize, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        self.passport_write_basis(actor, &file).await?;
        let read = passport_from_workbook(bytes).map_err(AppError::Invalid)?;
        let stored = self.store.passport_of_person(person).await.map_err(AppError::Store)?;
        let mut answers = stored.map(|p| p.fields.answers).unwrap_or_default();
        for (code, answer) in &read {
            answers.insert(code.clone(), answer.clone());
        }
        self.write_passport(actor, person, &answers, None, version).await?;
        Ok(read.len())
    }

    /// The passport as a workbook in [`PASSPORT_COLUMNS`]: the chosen sections only, every item
    /// of each; an export audited on the person's record, on the basis of the read.
    pub async fn passport_xlsx(&self, actor: &Account, person: PersonId) -> Result<Vec<u8>, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.read_basis(actor, &file, record_of(person)).await?;
        let stored = self.store.passport_of_person(person).await.map_err(AppError::Store)?;
        let fields = stored.map(|p| p.fields).unwrap_or_default();
        let mut rows = Vec::new();
        for section in tsunagu_domain::passport::SECTIONS.iter().filter(|s| fields.shown.contains(s.code)) {
            for item in tsunagu_domain::passport::items().iter().filter(|i| i.section == section.code) {
                let answer = fields.answers.get(item.code).map(String::as_str).unwrap_or_default();
                rows.push(
                    [section.title, item.code, item.text, &crate::export::spreadsheet_safe(answer)]
                        .map(str::to_owned)
                        .to_vec(),
                );
            }
        }
        let items = provision_items(&fields);
        self.audit_person(actor, AuditAction::Export, record_of(person), person, items, basis.audit_code()).await?;
        table_xlsx("就労パスポート", &PASSPORT_COLUMNS, &rows, &[])
    }

    /// The person gives their passport — the sections they chose — to one of their short list
    /// ([`App::consent_choices`]): on the consent in force that lets that recipient see their
    /// assessment data, or else on one the person gives now (for a year, to place them and keep
    /// them in work for an employer, to support them for an agency); with the provision record.
    /// One commit.
    pub async fn give_passport(&self, actor: &Account, choice: &str) -> Result<(), AppError> {
        let person = Self::own_person(actor)?;
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let passport = self.store.passport_of_person(person).await.map_err(AppError::Store)?;
        let Some(passport) = passport.filter(|p| !p.fields.shown.is_empty()) else {
            return Err(invalid("choice", "passport_nothing_chosen"));
        };
        let choices = self.consent_choices(actor).await?;
        let chosen =
            choices.iter().find(|c| c.key == choice.trim()).ok_or_else(|| invalid("choice", "required_choice"))?;
        let now = self.clock.now();
        let today = self.today();
        let in_force = file.consents.iter().find(|r| {
            r.consent.recipient == chosen.recipient
                && r.consent.in_force(now, today)
                && r.consent.categories.contains(&DataCategory::Assessment)
        });
        let mut commit = None::<Commit>;
        let consent = match in_force {
            Some(r) => r.consent.id,
            None => {
                let (kind, id, purposes) = match &chosen.recipient {
                    Recipient::Agency(a) => ("agency", a.0.to_string(), vec!["support".into()]),
                    Recipient::Employer(e) => {
                        ("employer", e.0.to_string(), vec!["placement".into(), "retention".into()])
                    }
                    Recipient::Block(_) => return Err(invalid("choice", "required_choice")),
                };
                let input = ConsentInput {
                    recipient_kind: kind.into(),
                    recipient_id: id,
                    purposes,
                    categories: vec!["basic".into(), "assessment".into()],
                    valid_from: today.to_string(),
                    valid_to: tsunagu_domain::person::years_after(today, 1).to_string(),
                    evidence: "own_account".into(),
                    evidence_note: String::new(),
                };
                let terms = self.check_consent(&input).await?;
                let record = self.consent_record(actor, person, &file.person.prefecture, terms, now);
                let id = record.consent.id;
                let event = self.person_event(
                    actor,
                    AuditAction::Create,
                    format!("consent:{}", id.0),
                    person,
                    crate::persons::consent_fields(&record.consent),
                    "own".into(),
                );
                commit = Some(Commit::new(event).with(Change::Consent(Box::new(record))));
                id
            }
        };
        let items = provision_items(&passport.fields);
        let event =
            self.person_event(actor, AuditAction::Export, record_of(person), person, items.clone(), "own".into());
        let provision = Provision {
            prefecture: file.person.prefecture.clone(),
            id: self.ids.new_id(),
            at: now,
            person,
            recipient: chosen.recipient.clone(),
            items,
            consent,
            provided_by: actor.id,
        };
        let commit = match commit {
            Some(c) => c.and_event(event),
            None => Commit::new(event),
        };
        self.commit(commit.with(Change::Provision(Box::new(provision)))).await.map(|_| ())
    }
}
