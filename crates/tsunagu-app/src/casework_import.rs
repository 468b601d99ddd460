//! Imports of the files agencies keep today: the list of the persons they support (利用者台帳),
//! each with the consent the person gave, and the support records (支援記録) of persons on the
//! importing agency's caseload. CSV (UTF-8 or Shift_JIS/CP932) or XLSX, as for the directory.
//!
//! Both follow the directory import's pattern ([`crate::import`]): the whole file is read and
//! every row checked; then everything — the records and the audit entry for each — is written in
//! one transaction, or nothing is and every problem is listed with its line and column.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use serde::Serialize;
use time::Date;
use tsunagu_domain::Problems;
use tsunagu_domain::access::{Action, Basis, Denial};
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::consent::{ConsentInput, ConsentTerms, registration_problems};
use tsunagu_domain::consent::{DataCategory, Evidence, Purpose};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::journey::{FollowUp, StageChange};
use tsunagu_domain::journey::{Stage, SupportInput};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::person::{Certificate, Person, PersonFields, PersonInput, date_field, duplicate_key, parse_date};
use tsunagu_domain::text::search_key;
use tsunagu_store::{Change, Commit, Duplicates, Registration, StoreError};
use uuid::Uuid;

use crate::clock::tokyo_date;
use crate::import::{Columns, ImportProblem, Row, filled_rows, read_table};
use crate::persons::present_fields;
use crate::{App, AppError, PREFECTURE};

/// The columns of a persons file: field and the headings accepted for it.
pub const PERSON_COLUMNS: &[(&str, &[&str])] = &[
    ("name", &["氏名", "名前", "name"]),
    ("name_kana", &["ふりがな", "よみがな", "name_kana"]),
    ("birth_date", &["生年月日", "birth_date"]),
    ("phone", &["電話番号", "電話", "phone"]),
    ("email", &["メールアドレス", "メール", "email"]),
    ("address", &["住所", "address"]),
    ("categories", &["障害種別", "障害の種類", "障害区分", "categories"]),
    ("certificates", &["障害者手帳", "手帳", "certificates"]),
    ("accommodations", &["合理的配慮", "配慮事項", "accommodations"]),
    ("health_notes", &["健康・医療", "健康・医療メモ", "医療情報", "health_notes"]),
    ("preferred_hours", &["希望勤務時間(週)", "希望勤務時間", "希望時間", "preferred_hours"]),
    ("preferred_area", &["希望勤務地", "希望地域", "preferred_area"]),
    ("emergency_contact", &["緊急連絡先", "緊急時の連絡先", "emergency_contact"]),
    ("emergency_phone", &["緊急連絡先の電話番号", "緊急連絡先電話", "emergency_phone"]),
    ("opened_on", &["支援開始日", "opened_on"]),
    ("stage", &["段階", "stage"]),
    ("stage_on", &["段階の開始日", "stage_on"]),
    ("consent_on", &["同意日", "consent_on"]),
    ("consent_evidence", &["同意の方法", "同意方法", "consent_evidence"]),
    ("consent_note", &["同意書の保管場所", "同意の記録", "consent_note"]),
    ("consent_purposes", &["同意の目的", "consent_purposes"]),
    ("consent_categories", &["同意の範囲", "consent_categories"]),
    ("consent_valid_to", &["同意の期限", "consent_valid_to"]),
];

/// The columns a persons file must have.
pub const PERSON_REQUIRED: [&str; 6] =
    ["name", "name_kana", "birth_date", "categories", "consent_on", "consent_evidence"];

/// The columns of a support-records file.
pub const SUPPORT_COLUMNS: &[(&str, &[&str])] = &[
    ("person_id", &["本人ID", "person_id"]),
    ("name", &["氏名", "名前", "name"]),
    ("name_kana", &["ふりがな", "よみがな", "name_kana"]),
    ("birth_date", &["生年月日", "birth_date"]),
    ("date", &["支援日", "日付", "実施日", "date"]),
    ("kind", &["種別", "支援の種類", "kind"]),
    ("minutes", &["時間(分)", "分", "minutes"]),
    ("note", &["内容", "支援内容", "記録", "note"]),
    ("next_action", &["次の対応", "next_action"]),
    ("next_action_on", &["次の対応の期日", "次回予定日", "next_action_on"]),
    ("staff_name", &["担当者", "担当", "staff_name"]),
];

/// The columns a support-records file must have (and either `本人ID`, or `ふりがな` and `生年月日`).
pub const SUPPORT_REQUIRED: [&str; 4] = ["date", "kind", "minutes", "note"];

/// What a persons import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PersonImportOutcome {
    /// Persons registered, each with their consent and a case at the importing agency.
    pub registered: usize,
    /// Of those, persons linked to a record with the same reading and birth date elsewhere.
    pub linked: usize,
    /// Retention follow-ups scheduled for persons imported as employed.
    pub follow_ups: usize,
}

/// What a support-records import wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SupportImportOutcome {
    /// Support records added.
    pub records: usize,
    /// Persons they belong to.
    pub persons: usize,
}

/// An empty file with every column of `columns` (CSV, UTF-8 with BOM, as Excel opens it): the
/// file to start from.
pub fn template_csv(columns: &[(&str, &[&str])]) -> Result<Vec<u8>, AppError> {
    let headings: Vec<&str> = columns.iter().map(|(_, names)| names[0]).collect();
    crate::export::table_csv(&headings, &[])
}

/// Splits a cell listing several values (「精神、発達」, "basic,support", 「基本・支援記録」).
fn list(raw: &str) -> Vec<String> {
    raw.split([',', '、', '，', '・', '/', '／', ';', '；', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The consent vocabulary as agencies' files write it, mapped to the stable codes.
fn evidence_code(raw: &str) -> Option<Evidence> {
    Evidence::parse(raw).or(match raw {
        "書面" | "同意書" | "紙" => Some(Evidence::PaperForm),
        "口頭" => Some(Evidence::Verbal),
        _ => None,
    })
}

fn category_code(raw: &str) -> Option<DataCategory> {
    DataCategory::parse(raw).or(match raw {
        "基本" | "基本情報" | "氏名" | "連絡先" => Some(DataCategory::Basic),
        "支援記録" | "支援" | "記録" => Some(DataCategory::Support),
        "障害" | "手帳" | "配慮" => Some(DataCategory::Disability),
        "健康" | "医療" => Some(DataCategory::Health),
        "アセスメント" => Some(DataCategory::Assessment),
        _ => None,
    })
}

fn purpose_code(raw: &str) -> Option<Purpose> {
    Purpose::parse(raw).or(match raw {
        "支援" | "就労支援" => Some(Purpose::Support),
        "紹介" | "引継ぎ" | "引継" => Some(Purpose::Referral),
        "職業紹介" | "採用選考" => Some(Purpose::Placement),
        "定着" | "定着支援" => Some(Purpose::Retention),
        _ => None,
    })
}

/// Reads a list cell through `parse`; `None` (with the problem added) when a value is unknown.
fn codes<T: PartialEq + Copy>(
    problems: &mut Vec<ImportProblem>,
    row: &Row<'_>,
    field: &'static str,
    code: &'static str,
    parse: fn(&str) -> Option<T>,
) -> Option<Vec<T>> {
    let mut out = Vec::new();
    for raw in list(row.cell(field)) {
        match parse(&raw) {
            Some(v) if !out.contains(&v) => out.push(v),
            Some(_) => {}
            None => {
                problems.push(row.problem(field, code, None));
                return None;
            }
        }
    }
    Some(out)
}

/// A date cell that may not lie in the future.
fn past_date(problems: &mut Problems, field: &'static str, raw: &str, required: bool, today: Date) -> Option<Date> {
    let date = date_field(problems, field, raw, required);
    if date.is_some_and(|d| d > today) {
        problems.add(field, "date_in_future");
        return None;
    }
    date
}

/// A row of a persons file, checked.
struct PersonRow {
    line: usize,
    fields: PersonFields,
    terms: ConsentTerms,
    opened_on: Date,
    stage: Option<(Stage, Date)>,
}

impl App {
    /// Registers the persons of an agency's file, each with the consent they gave (the date, how
    /// and where it is kept are columns of the file) and a case at the actor's agency, all or
    /// nothing. A row whose reading and birth date match a person already on the agency's
    /// caseload, or another row, is refused; one matching a person elsewhere in the network is
    /// refused unless `link_duplicates`, in which case the records are linked, never merged.
    pub async fn import_persons(
        &self,
        actor: &Account,
        bytes: &[u8],
        link_duplicates: bool,
    ) -> Result<PersonImportOutcome, AppError> {
        let agency = Self::acting_agency(actor)?;
        let table = read_table(bytes).map_err(|p| AppError::Import(vec![p]))?;
        let columns = Columns::read(&table, PERSON_COLUMNS, &PERSON_REQUIRED).map_err(AppError::Import)?;
        let now = self.clock.now();
        let today = tokyo_date(now);
        let mut problems = Vec::new();
        let mut rows: Vec<PersonRow> = Vec::new();
        let mut first_line: HashMap<String, usize> = HashMap::new();
        for (line, cells) in filled_rows(&table) {
            if let Some(row) = person_row(&mut problems, &columns.row(line, cells), agency, today) {
                let key = duplicate_key(&row.fields.name_kana, row.fields.birth_date);
                match first_line.get(&key) {
                    Some(&first) => {
                        problems.push(columns.problem(line, "name_kana", "duplicate_in_file", Some(first as u32)))
                    }
                    None => {
                        first_line.insert(key, line);
                        rows.push(row);
                    }
                }
            }
        }
        let keys: Vec<String> = first_line.keys().cloned().collect();
        let mut matches: HashMap<String, Vec<tsunagu_store::DuplicateMatch>> = HashMap::new();
        for m in self.store.persons_with_duplicate_keys(&keys).await.map_err(AppError::Store)? {
            matches.entry(m.key.clone()).or_default().push(m);
        }
        let mut links: Vec<bool> = Vec::with_capacity(rows.len());
        for row in &rows {
            let found = matches.get(&duplicate_key(&row.fields.name_kana, row.fields.birth_date));
            let found = found.map_or(&[][..], Vec::as_slice);
            if found.iter().any(|m| m.open_at.contains(&agency)) {
                problems.push(columns.problem(row.line, "name_kana", "already_in_caseload", None));
            } else if !found.is_empty() && !link_duplicates {
                problems.push(columns.problem(row.line, "name_kana", "possible_duplicate_row", None));
            }
            links.push(!found.is_empty());
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(AppError::Import(problems));
        }

        let days = self.follow_up_schedule(agency).await?;
        let mut import = PersonImport::default();
        let mut linked = 0;
        for (row, links) in rows.into_iter().zip(links) {
            linked += usize::from(links);
            let id = PersonId(self.ids.new_id());
            let consent = self.consent_record(actor, id, PREFECTURE, row.terms, now);
            let every = [DataCategory::Basic, DataCategory::Disability, DataCategory::Health];
            let written = present_fields(&row.fields, &every);
            import.events.extend(self.registration_events(actor, AuditAction::Import, &consent, written));
            if let Some((stage, on)) = row.stage {
                let change = StageChange {
                    id: self.ids.new_id(),
                    prefecture: PREFECTURE.to_owned(),
                    person: id,
                    stage,
                    on,
                    agency,
                    recorded_by: actor.id,
                    recorded_at: now,
                    reason: String::new(),
                };
                import.events.push(self.person_event(
                    actor,
                    AuditAction::Import,
                    format!("stage:{}", change.id),
                    id,
                    vec!["stage".into(), "on".into()],
                    Basis::OwnCase(agency).audit_code(),
                ));
                // A person imported as employed gets the follow-ups still ahead of them.
                if stage.is_placement() {
                    let mut ahead = self.follow_ups(id, PREFECTURE, agency, on, &days);
                    ahead.retain(|f| f.due_on >= today);
                    import.follow_ups.extend(ahead);
                }
                import.stages.push(change);
            }
            import.registrations.push(Registration {
                person: Person {
                    id,
                    prefecture: PREFECTURE.to_owned(),
                    fields: row.fields,
                    registered_by: agency,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                },
                consents: vec![consent],
                case: CaseRecord {
                    id: self.ids.new_id(),
                    prefecture: PREFECTURE.to_owned(),
                    person: id,
                    agency,
                    opened_on: row.opened_on,
                    closed_on: None,
                    opened_by: actor.id,
                },
                duplicates: if link_duplicates { Duplicates::LinkAll } else { Duplicates::Refuse },
            });
        }
        let outcome =
            PersonImportOutcome { registered: import.registrations.len(), linked, follow_ups: import.follow_ups.len() };
        // Registrations, then stages, then follow-ups, with an entry for each: all or nothing.
        let PersonImport { registrations, stages, follow_ups, events } = import;
        let Some(commit) = Commit::of_events(events) else { return Ok(outcome) };
        let commit = commit
            .with_all(registrations.into_iter().map(|r| Change::Register(Box::new(r))))
            .with_all(stages.into_iter().map(|change| Change::Stage { change: Box::new(change), expected: None }))
            .with(Change::FollowUps(follow_ups));
        match self.commit(commit).await {
            // Someone registered one of these persons elsewhere after the file was checked.
            Err(AppError::Store(StoreError::Duplicate { what: "person" })) => {
                return Err(AppError::Import(vec![ImportProblem {
                    line: None,
                    column: None,
                    code: "duplicate_registered_meanwhile",
                    limit: None,
                }]));
            }
            other => {
                other?;
            }
        }
        tracing::info!(registered = outcome.registered, linked, "persons imported");
        Ok(outcome)
    }

    /// Adds the support records of an agency's file, all or nothing, as written by the actor's
    /// agency. Each row names its person by `本人ID`, or by reading and birth date among the
    /// persons with an open case at the agency (the name, when given, must agree); each person
    /// is checked by the access policy, and each record is audited.
    pub async fn import_support_records(
        &self,
        actor: &Account,
        bytes: &[u8],
    ) -> Result<SupportImportOutcome, AppError> {
        let agency = Self::acting_agency(actor)?;
        let table = read_table(bytes).map_err(|p| AppError::Import(vec![p]))?;
        let columns = Columns::read(&table, SUPPORT_COLUMNS, &SUPPORT_REQUIRED).map_err(AppError::Import)?;
        if !(columns.has("person_id") || columns.has("name_kana") && columns.has("birth_date")) {
            return Err(AppError::Import(vec![ImportProblem {
                line: Some(1),
                column: None,
                code: "missing_person_columns",
                limit: None,
            }]));
        }
        let now = self.clock.now();
        let today = tokyo_date(now);
        let mut problems = Vec::new();

        // Who each row names: an id, or a reading and birth date.
        let mut rows: Vec<SupportRow> = Vec::new();
        for (line, cells) in filled_rows(&table) {
            let row = columns.row(line, cells);
            let cell = |field| row.cell(field);
            let input = SupportInput {
                kind: cell("kind").to_owned(),
                date: cell("date").to_owned(),
                minutes: cell("minutes").to_owned(),
                note: cell("note").to_owned(),
                next_action: cell("next_action").to_owned(),
                next_action_on: cell("next_action_on").to_owned(),
            };
            let named = match cell("person_id") {
                "" => match (cell("name_kana"), parse_date(cell("birth_date"))) {
                    ("", _) => {
                        problems.push(columns.problem(line, "name_kana", "required", None));
                        continue;
                    }
                    (_, None) => {
                        let code = if cell("birth_date").is_empty() { "required" } else { "date_format" };
                        problems.push(columns.problem(line, "birth_date", code, None));
                        continue;
                    }
                    (kana, Some(birth)) => Named::Reading(duplicate_key(kana, birth)),
                },
                raw => match Uuid::parse_str(raw) {
                    Ok(id) => Named::Id(PersonId(id)),
                    Err(_) => {
                        problems.push(columns.problem(line, "person_id", "person_not_in_caseload", None));
                        continue;
                    }
                },
            };
            rows.push(SupportRow {
                line,
                named,
                input,
                name: cell("name").to_owned(),
                staff: cell("staff_name").to_owned(),
            });
        }
        let keys: Vec<String> = rows
            .iter()
            .filter_map(|r| match &r.named {
                Named::Reading(key) => Some(key.clone()),
                Named::Id(_) => None,
            })
            .collect();
        let mut on_caseload: HashMap<String, Vec<PersonId>> = HashMap::new();
        for m in self.store.persons_with_duplicate_keys(&keys).await.map_err(AppError::Store)? {
            if m.open_at.contains(&agency) {
                on_caseload.entry(m.key).or_default().push(m.person);
            }
        }

        // Each person once: read, and asked of the access policy.
        let mut persons: HashMap<PersonId, Option<(tsunagu_store::PersonFile, Basis)>> = HashMap::new();
        let mut records = Vec::new();
        let mut events = Vec::new();
        for SupportRow { line, named, input, name, staff } in rows {
            let (id, column) = match named {
                Named::Id(id) => (id, "person_id"),
                Named::Reading(key) => match on_caseload.get(&key).map(Vec::as_slice) {
                    Some([one]) => (*one, "name_kana"),
                    Some([_, _, ..]) => {
                        problems.push(columns.problem(line, "name_kana", "person_ambiguous", None));
                        continue;
                    }
                    _ => {
                        problems.push(columns.problem(line, "name_kana", "person_not_in_caseload", None));
                        continue;
                    }
                },
            };
            if let Entry::Vacant(slot) = persons.entry(id) {
                slot.insert(self.writable_on_caseload(actor, agency, id).await?);
            }
            let Some(Some((file, basis))) = persons.get(&id) else {
                problems.push(columns.problem(line, column, "person_not_in_caseload", None));
                continue;
            };
            if !name.is_empty() && search_key(&name) != search_key(&file.person.fields.name) {
                problems.push(columns.problem(line, "name", "name_mismatch", None));
                continue;
            }
            let fields = match input.validate(today) {
                Ok(fields) => fields,
                Err(ps) => {
                    for p in ps.iter() {
                        let code =
                            if p.field == "kind" && p.code == "unknown_code" { "unknown_support_kind" } else { p.code };
                        problems.push(columns.problem(line, p.field, code, p.limit));
                    }
                    continue;
                }
            };
            let staff_name = match staff.as_str() {
                "" => actor.display_name.clone(),
                named => named.chars().take(100).collect(),
            };
            let (record, event) =
                self.support_record(actor, &file.person, agency, staff_name, fields, basis, AuditAction::Import);
            events.push(event);
            records.push(record);
        }
        if !problems.is_empty() {
            problems.sort_by_key(|p| p.line);
            return Err(AppError::Import(problems));
        }
        let count = records.len();
        let persons = persons.values().filter(|p| p.is_some()).count();
        if let Some(commit) = Commit::of_events(events) {
            self.commit(commit.with(Change::SupportRecords(records))).await?;
        }
        tracing::info!(records = count, persons, "support records imported");
        Ok(SupportImportOutcome { records: count, persons })
    }
}

impl App {
    /// The person's file and the basis on which `actor` may write their support records, when
    /// they have an open case at `agency` and the access policy allows it (a refusal is audited);
    /// `None` otherwise.
    async fn writable_on_caseload(
        &self,
        actor: &Account,
        agency: AgencyId,
        id: PersonId,
    ) -> Result<Option<(tsunagu_store::PersonFile, Basis)>, AppError> {
        let Some(file) = self.store.person_file(id).await.map_err(AppError::Store)? else { return Ok(None) };
        // A person of another caseload is refused, and the refusal audited, as a single record
        // for them would be.
        let decision = if file.cases.iter().any(|c| c.agency == agency && c.closed_on.is_none()) {
            let purposes = [Purpose::Support, Purpose::Retention];
            self.decide_for(actor, &file, Action::Write, DataCategory::Support, &purposes, None).await?
        } else {
            Err(Denial::NoBasis)
        };
        match decision {
            Ok(basis) => Ok(Some((file, basis))),
            Err(denial) => match self.refuse(actor, id, format!("person:{}", id.0), denial).await {
                AppError::Store(e) => Err(AppError::Store(e)),
                _ => Ok(None),
            },
        }
    }
}

/// Whom a row of a support-records file names.
enum Named {
    /// By Tsunagu's id.
    Id(PersonId),
    /// By the duplicate key of the reading and birth date.
    Reading(String),
}

/// A row of a support-records file, read.
struct SupportRow {
    line: usize,
    named: Named,
    input: SupportInput,
    /// The name, when the row gives one (checked against the record).
    name: String,
    /// Who gave the support, when the row says.
    staff: String,
}

/// Checks one row of a persons file: the person, then the consent the row records, then the case
/// and the stage.
fn person_row(problems: &mut Vec<ImportProblem>, row: &Row<'_>, agency: AgencyId, today: Date) -> Option<PersonRow> {
    let cell = |field| row.cell(field);
    let before = problems.len();
    let certificates: Vec<String> = list(cell("certificates"))
        .into_iter()
        .map(|raw| Certificate::parse_label(&raw).map_or(raw, |c| c.code()))
        .collect();
    let input = PersonInput {
        name: cell("name").to_owned(),
        name_kana: cell("name_kana").to_owned(),
        birth_date: cell("birth_date").to_owned(),
        phone: cell("phone").to_owned(),
        email: cell("email").to_owned(),
        address: cell("address").to_owned(),
        categories: list(cell("categories")),
        certificates,
        accommodations: cell("accommodations").to_owned(),
        health_notes: cell("health_notes").to_owned(),
        preferred_hours: cell("preferred_hours").to_owned(),
        preferred_area: cell("preferred_area").to_owned(),
        emergency_contact: cell("emergency_contact").to_owned(),
        emergency_phone: cell("emergency_phone").to_owned(),
    };
    let fields = input.validate(today);
    if let Err(ps) = &fields {
        problems.extend(ps.iter().map(|p| row.problem(p.field, p.code, p.limit)));
    }

    // The consent: to the importing agency, for the purposes and data the row names (support,
    // and basic, support and disability data, unless it says otherwise; basic always).
    let evidence = cell("consent_evidence");
    let evidence = evidence_code(evidence).map_or_else(|| evidence.to_owned(), |e| e.code().to_owned());
    let purposes = codes(problems, row, "consent_purposes", "unknown_purpose", purpose_code);
    let categories = codes(problems, row, "consent_categories", "unknown_consent_category", category_code);
    let mut dates = Problems::new();
    let consent_on = past_date(&mut dates, "consent_on", cell("consent_on"), true, today);
    let opened_on = past_date(&mut dates, "opened_on", cell("opened_on"), false, today).or(consent_on);
    let stage_on = past_date(&mut dates, "stage_on", cell("stage_on"), false, today).or(opened_on);
    problems.extend(dates.iter().map(|p| row.problem(p.field, p.code, p.limit)));
    let stage = match cell("stage") {
        "" => None,
        raw => match Stage::parse_label(raw) {
            Some(stage) => Some(stage),
            None => {
                problems.push(row.problem("stage", "unknown_stage", None));
                None
            }
        },
    };
    let (Some(purposes), Some(mut categories)) = (purposes, categories) else { return None };
    let purposes = if purposes.is_empty() { vec![Purpose::Support] } else { purposes };
    if categories.is_empty() {
        categories = vec![DataCategory::Basic, DataCategory::Support, DataCategory::Disability];
    } else if !categories.contains(&DataCategory::Basic) {
        categories.insert(0, DataCategory::Basic);
    }
    let consent = ConsentInput {
        recipient_kind: "agency".into(),
        recipient_id: agency.0.to_string(),
        purposes: purposes.iter().map(|p| p.code().to_owned()).collect(),
        categories: categories.iter().map(|c| c.code().to_owned()).collect(),
        valid_from: consent_on.map(|d| d.to_string()).unwrap_or_default(),
        valid_to: cell("consent_valid_to").to_owned(),
        evidence,
        evidence_note: cell("consent_note").to_owned(),
    };
    let terms = match consent.validate(&|_| true) {
        Ok(terms) => Some(terms),
        Err(ps) => {
            for p in ps.iter() {
                let (field, code) = match (p.field, p.code) {
                    ("valid_to", code) => ("consent_valid_to", code),
                    ("evidence_note", code) => ("consent_note", code),
                    ("evidence", "unknown_code") => ("consent_evidence", "unknown_evidence"),
                    ("evidence", code) => ("consent_evidence", code),
                    // The consent date's own problems are already listed.
                    ("valid_from", _) => continue,
                    (other, code) => (other, code),
                };
                problems.push(row.problem(field, code, p.limit));
            }
            None
        }
    };
    if let Some(t) = &terms {
        let ps = registration_problems(t, fields.as_ref().ok())
            .renamed("evidence", "consent_evidence")
            .renamed("purposes", "consent_purposes");
        problems.extend(ps.iter().map(|p| row.problem(p.field, p.code, p.limit)));
    }
    if problems.len() > before {
        return None;
    }
    Some(PersonRow {
        line: row.line,
        fields: fields.ok()?,
        terms: terms?,
        opened_on: opened_on?,
        stage: stage.zip(stage_on),
    })
}

/// Persons read from a file, with everything their registration writes, gathered before the
/// one commit that writes them.
#[derive(Default)]
struct PersonImport {
    /// The registrations (person, consent, case, links).
    registrations: Vec<Registration>,
    /// The stage each journey stands at, where the file tells it.
    stages: Vec<StageChange>,
    /// Follow-ups of the persons imported as employed.
    follow_ups: Vec<FollowUp>,
    /// The audit entries for all of it, in order.
    events: Vec<tsunagu_domain::audit::AuditEvent>,
}
