//! Column encodings shared by both adapters, so a value reads back the same from either engine.

use tsunagu_domain::directory::{AgencyKind, MunicipalityKind, WelfareService};

use crate::StoreError;

/// A stored value the code cannot read back: a bug or a hand-edited database.
fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Backend(format!("unreadable stored {what}: {value:?}").into())
}

/// Position of a kind in the directory's order.
pub fn kind_rank(kind: AgencyKind) -> i32 {
    AgencyKind::ALL.iter().position(|k| *k == kind).map_or(i32::MAX, |p| p as i32)
}

/// Reads a stored agency kind.
pub fn decode_kind(value: &str) -> Result<AgencyKind, StoreError> {
    AgencyKind::ALL.into_iter().find(|k| k.code() == value).ok_or_else(|| corrupt("agency kind", value))
}

/// Reads a stored municipality kind.
pub fn decode_municipality_kind(value: &str) -> Result<MunicipalityKind, StoreError> {
    MunicipalityKind::parse(value).ok_or_else(|| corrupt("municipality kind", value))
}

/// Services as a comma-separated list of codes.
pub fn encode_services(services: &[WelfareService]) -> String {
    services.iter().map(|s| s.code()).collect::<Vec<_>>().join(",")
}

/// Reads a stored service list.
pub fn decode_services(value: &str) -> Result<Vec<WelfareService>, StoreError> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| WelfareService::parse(s).ok_or_else(|| corrupt("service", s)))
        .collect()
}

/// Departments, one per line (a department name never holds a newline: validation trims them).
pub fn encode_departments(departments: &[String]) -> String {
    departments.join("\n")
}

/// Reads stored departments.
pub fn decode_departments(value: &str) -> Vec<String> {
    value.lines().filter(|l| !l.is_empty()).map(str::to_owned).collect()
}

/// Reads a stored municipality code.
pub fn decode_lg_code(value: &str) -> Result<tsunagu_domain::LocalGovCode, StoreError> {
    tsunagu_domain::LocalGovCode::parse(value).map_err(|_| corrupt("municipality code", value))
}

/// Roles as a comma-separated list of codes.
pub fn encode_roles(roles: &[tsunagu_domain::account::Role]) -> String {
    roles.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
}

/// Reads a stored role list.
pub fn decode_roles(value: &str) -> Result<Vec<tsunagu_domain::account::Role>, StoreError> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| tsunagu_domain::account::Role::parse(s).ok_or_else(|| corrupt("role", s)))
        .collect()
}

/// Microseconds since the Unix epoch: how instants are stored where SQL compares them.
pub fn micros(t: time::OffsetDateTime) -> i64 {
    i64::try_from(t.unix_timestamp_nanos() / 1000).unwrap_or(i64::MAX)
}

/// Audit field names, one per line (field names never hold a newline).
pub fn encode_fields(fields: &[String]) -> String {
    fields.join("\n")
}

/// Reads stored audit field names.
pub fn decode_fields(value: &str) -> Vec<String> {
    value.split('\n').filter(|f| !f.is_empty()).map(str::to_owned).collect()
}

/// Reads a stored audit action.
pub fn decode_action(value: &str) -> Result<tsunagu_domain::audit::AuditAction, StoreError> {
    tsunagu_domain::audit::AuditAction::parse(value).ok_or_else(|| corrupt("audit action", value))
}

/// API scopes as a comma-separated list of codes.
pub fn encode_scopes(scopes: &[tsunagu_domain::account::ApiScope]) -> String {
    scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(",")
}

/// Reads stored API scopes.
pub fn decode_scopes(value: &str) -> Result<Vec<tsunagu_domain::account::ApiScope>, StoreError> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| tsunagu_domain::account::ApiScope::parse(s).ok_or_else(|| corrupt("scope", s)))
        .collect()
}

/// Purposes as a comma-separated list of codes.
pub fn encode_purposes(v: &[tsunagu_domain::consent::Purpose]) -> String {
    v.iter().map(|p| p.code()).collect::<Vec<_>>().join(",")
}

/// Reads stored purposes.
pub fn decode_purposes(value: &str) -> Result<Vec<tsunagu_domain::consent::Purpose>, StoreError> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| tsunagu_domain::consent::Purpose::parse(s).ok_or_else(|| corrupt("purpose", s)))
        .collect()
}

/// Data categories as a comma-separated list of codes.
pub fn encode_categories(v: &[tsunagu_domain::consent::DataCategory]) -> String {
    v.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
}

/// Reads stored data categories.
pub fn decode_categories(value: &str) -> Result<Vec<tsunagu_domain::consent::DataCategory>, StoreError> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| tsunagu_domain::consent::DataCategory::parse(s).ok_or_else(|| corrupt("data category", s)))
        .collect()
}

/// Reads a stored recipient.
pub fn decode_recipient(kind: &str, id: &str) -> Result<tsunagu_domain::consent::Recipient, StoreError> {
    tsunagu_domain::consent::Recipient::from_parts(kind, id)
        .ok_or_else(|| corrupt("recipient", &format!("{kind}:{id}")))
}

/// Reads a stored evidence kind.
pub fn decode_evidence(value: &str) -> Result<tsunagu_domain::consent::Evidence, StoreError> {
    tsunagu_domain::consent::Evidence::parse(value).ok_or_else(|| corrupt("evidence", value))
}

/// Disability categories as a comma-separated list of codes.
pub fn encode_disabilities(categories: &[tsunagu_domain::person::DisabilityCategory]) -> String {
    categories.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
}

/// Reads stored disability categories.
pub fn decode_disabilities(value: &str) -> Result<Vec<tsunagu_domain::person::DisabilityCategory>, StoreError> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| tsunagu_domain::person::DisabilityCategory::parse(s).ok_or_else(|| corrupt("disability category", s)))
        .collect()
}

/// Certificates as a comma-separated list of `kind:grade`.
pub fn encode_certificates(certificates: &[tsunagu_domain::person::Certificate]) -> String {
    certificates.iter().map(|c| c.code()).collect::<Vec<_>>().join(",")
}

/// Reads stored certificates.
pub fn decode_certificates(value: &str) -> Result<Vec<tsunagu_domain::person::Certificate>, StoreError> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| tsunagu_domain::person::Certificate::parse(s).ok_or_else(|| corrupt("certificate", s)))
        .collect()
}

/// A follow-up schedule as comma-separated days.
pub fn encode_days(days: &[u16]) -> String {
    days.iter().map(u16::to_string).collect::<Vec<_>>().join(",")
}

/// Reads a stored follow-up schedule.
pub fn decode_days(value: &str) -> Result<Vec<u16>, StoreError> {
    value.split(',').filter(|s| !s.is_empty()).map(|s| s.parse().map_err(|_| corrupt("follow-up days", s))).collect()
}

/// A fair as stored: the whole document as JSON (it is read and written as one).
pub fn encode_fair(fair: &tsunagu_domain::fair::Fair) -> Result<String, StoreError> {
    serde_json::to_string(fair).map_err(StoreError::backend)
}

/// Reads a stored fair.
pub fn decode_fair(value: &str) -> Result<tsunagu_domain::fair::Fair, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("fair", value))
}

/// An employer's two contacts as stored: `[hiring, workplace]` in JSON, either `null`.
pub fn encode_contacts(fields: &tsunagu_domain::employer::EmployerFields) -> Result<String, StoreError> {
    serde_json::to_string(&(&fields.hiring_contact, &fields.workplace_contact)).map_err(StoreError::backend)
}

/// Reads stored contacts: (hiring, workplace).
pub fn decode_contacts(value: &str) -> Result<Contacts, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("contacts", value))
}

/// An employer's hiring and workplace contacts.
pub type Contacts = (Option<tsunagu_domain::employer::Contact>, Option<tsunagu_domain::employer::Contact>);

/// Reads a stored industry letter.
pub fn decode_industry(value: &str) -> Result<char, StoreError> {
    value
        .chars()
        .next()
        .filter(|c| tsunagu_domain::employer::industry_name(*c).is_some())
        .ok_or_else(|| corrupt("industry", value))
}

/// An opening as stored whole.
pub fn encode_opening(opening: &tsunagu_domain::opening::Opening) -> Result<String, StoreError> {
    serde_json::to_string(opening).map_err(StoreError::backend)
}

/// Reads a stored opening.
pub fn decode_opening(value: &str) -> Result<tsunagu_domain::opening::Opening, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("opening", value))
}

/// A placement's fields and end as stored: `{"fields": …, "end": …}`.
pub fn encode_placement(placement: &tsunagu_domain::placement::Placement) -> Result<String, StoreError> {
    serde_json::to_string(&serde_json::json!({ "fields": placement.fields, "end": placement.end }))
        .map_err(StoreError::backend)
}

/// Reads a placement's stored fields and end.
pub fn decode_placement(
    value: &str,
) -> Result<(tsunagu_domain::placement::PlacementFields, Option<tsunagu_domain::placement::PlacementEnd>), StoreError> {
    let mut body: serde_json::Value = serde_json::from_str(value).map_err(|_| corrupt("placement", value))?;
    let fields = serde_json::from_value(body["fields"].take()).map_err(|_| corrupt("placement", value))?;
    let end = serde_json::from_value(body["end"].take()).map_err(|_| corrupt("placement", value))?;
    Ok((fields, end))
}

/// A dispatch's plan as stored whole.
pub fn encode_dispatch(fields: &tsunagu_domain::coaching::DispatchFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads a dispatch's stored plan.
pub fn decode_dispatch(value: &str) -> Result<tsunagu_domain::coaching::DispatchFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("dispatch", value))
}

/// A trial's plan, outcome and grants as stored whole.
pub fn encode_trial(fields: &tsunagu_domain::trial::TrialFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads a trial's stored body.
pub fn decode_trial(value: &str) -> Result<tsunagu_domain::trial::TrialFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("trial", value))
}

/// A return-to-work plan as stored whole.
pub fn encode_return_plan(fields: &tsunagu_domain::rework::ReturnPlanFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads a return-to-work plan's stored body.
pub fn decode_return_plan(value: &str) -> Result<tsunagu_domain::rework::ReturnPlanFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("return plan", value))
}

/// A participation as stored whole.
pub fn encode_participation(fields: &tsunagu_domain::trywork::ParticipationFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads a participation's stored body.
pub fn decode_participation(value: &str) -> Result<tsunagu_domain::trywork::ParticipationFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("participation", value))
}

/// A work-sample result as stored whole.
pub fn encode_mws_result(fields: &tsunagu_domain::mws::MwsFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads a work-sample result's stored body.
pub fn decode_mws_result(value: &str) -> Result<tsunagu_domain::mws::MwsFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("work sample result", value))
}

/// An assessment sheet as stored whole.
pub fn encode_assessment(fields: &tsunagu_domain::assessment::AssessmentFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads an assessment sheet's stored body.
pub fn decode_assessment(value: &str) -> Result<tsunagu_domain::assessment::AssessmentFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("assessment sheet", value))
}

/// A passport as stored whole.
pub fn encode_passport(fields: &tsunagu_domain::passport::PassportFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads a passport's stored body.
pub fn decode_passport(value: &str) -> Result<tsunagu_domain::passport::PassportFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("passport", value))
}

/// An employer's quota roster as stored whole.
pub fn encode_quota_roster(fields: &tsunagu_domain::quota::RosterFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads a quota roster's stored body.
pub fn decode_quota_roster(value: &str) -> Result<tsunagu_domain::quota::RosterFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("quota roster", value))
}

/// A checklist as stored whole.
pub fn encode_checklist(fields: &tsunagu_domain::checklist::ChecklistFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads a checklist's stored body.
pub fn decode_checklist(value: &str) -> Result<tsunagu_domain::checklist::ChecklistFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("checklist", value))
}

/// A coordinator as stored whole.
pub fn encode_coordinator(fields: &tsunagu_domain::liaison::CoordinatorFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads a coordinator's stored body.
pub fn decode_coordinator(value: &str) -> Result<tsunagu_domain::liaison::CoordinatorFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("coordinator", value))
}

/// A record of assistance as stored whole.
pub fn encode_assistance(fields: &tsunagu_domain::assistance::AssistanceFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads a record of assistance's stored body.
pub fn decode_assistance(value: &str) -> Result<tsunagu_domain::assistance::AssistanceFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("assistance", value))
}

/// An event as stored whole.
pub fn encode_event(fields: &tsunagu_domain::event::EventFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads an event's stored body.
pub fn decode_event(value: &str) -> Result<tsunagu_domain::event::EventFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("event", value))
}

/// Reads a sign-up's stored status.
pub fn decode_signup_status(value: &str) -> Result<tsunagu_domain::event::SignupStatus, StoreError> {
    tsunagu_domain::event::SignupStatus::parse(value).ok_or_else(|| corrupt("sign-up status", value))
}

/// Reads a sign-up's stored attendee.
pub fn decode_attendee(value: &str) -> Result<tsunagu_domain::event::Attendee, StoreError> {
    tsunagu_domain::event::Attendee::parse(value).ok_or_else(|| corrupt("attendee", value))
}

/// A day's activities as stored: their codes, comma-separated.
pub fn encode_activities(activities: &[tsunagu_domain::coaching::Activity]) -> String {
    activities.iter().map(|a| a.code()).collect::<Vec<_>>().join(",")
}

/// Reads a day's stored activities.
pub fn decode_activities(value: &str) -> Result<Vec<tsunagu_domain::coaching::Activity>, StoreError> {
    value
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| tsunagu_domain::coaching::Activity::parse(s).ok_or_else(|| corrupt("activity", s)))
        .collect()
}

/// Reads a stored coach kind.
pub fn decode_coach_kind(value: &str) -> Result<tsunagu_domain::coaching::CoachKind, StoreError> {
    tsunagu_domain::coaching::CoachKind::parse(value).ok_or_else(|| corrupt("coach kind", value))
}

/// A dispatch's coaches as stored: their ids, comma-separated.
pub fn encode_coach_ids(coaches: &[tsunagu_domain::coaching::CoachId]) -> String {
    coaches.iter().map(|c| c.0.to_string()).collect::<Vec<_>>().join(",")
}

/// A slot's fields as stored.
pub fn encode_slot(fields: &tsunagu_domain::internship::SlotFields) -> Result<String, StoreError> {
    serde_json::to_string(fields).map_err(StoreError::backend)
}

/// Reads a slot's stored fields.
pub fn decode_slot(value: &str) -> Result<tsunagu_domain::internship::SlotFields, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("slot", value))
}

/// A booking's outcome as stored (none: `null`).
pub fn encode_outcome(outcome: &Option<tsunagu_domain::internship::BookingOutcome>) -> Result<String, StoreError> {
    serde_json::to_string(outcome).map_err(StoreError::backend)
}

/// Reads a booking's stored outcome.
pub fn decode_outcome(value: &str) -> Result<Option<tsunagu_domain::internship::BookingOutcome>, StoreError> {
    serde_json::from_str(value).map_err(|_| corrupt("booking outcome", value))
}
