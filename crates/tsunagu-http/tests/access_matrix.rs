//! The access matrix: every route × anonymous and every demo role → the expected outcome.
//! A route added to the router (or the API) without a row here fails
//! `every_route_has_a_row_in_the_matrix`.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::{Relation, Reply, TestApp, spawn_app};

/// What a caller should meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// Served to anyone.
    Open,
    /// Sent to sign in (pages: 303 to /login; API: 401).
    SignIn,
    /// Allowed: the request reaches its handler (it may still be invalid or not found).
    Allow,
    /// Refused: 403.
    Deny,
    /// Not served at all (404): only with a setting the test app leaves off.
    Hidden,
}

const ROLES: [Option<&str>; 10] = [
    None,
    Some("admin"),
    Some("manager"),
    Some("coordinator"),
    Some("worker"),
    Some("coach"),
    Some("teacher"),
    Some("hellowork"),
    Some("employer"),
    Some("person"),
];

fn open(_: Option<&str>) -> Expect {
    Expect::Open
}

fn hidden(_: Option<&str>) -> Expect {
    Expect::Hidden
}

fn signed_in(role: Option<&str>) -> Expect {
    if role.is_some() { Expect::Allow } else { Expect::SignIn }
}

fn staff(role: Option<&str>) -> Expect {
    match role {
        None => Expect::SignIn,
        Some("person") => Expect::Deny,
        Some(_) => Expect::Allow,
    }
}

fn only(allowed: &'static [&'static str]) -> impl Fn(Option<&str>) -> Expect {
    move |role| match role {
        None => Expect::SignIn,
        Some(r) if allowed.contains(&r) => Expect::Allow,
        Some(_) => Expect::Deny,
    }
}

/// How to send a row's request.
enum Send {
    Get,
    Form(&'static [(&'static str, &'static str)]),
    Json(&'static str),
    Upload,
}

/// The outcome a row expects for a role (`None` = anonymous).
type Rule = Box<dyn Fn(Option<&str>) -> Expect>;

struct Row {
    method: &'static str,
    route: &'static str,
    send: Send,
    expect: Rule,
    /// For routes about a person: whose record `{id}` names.
    relation: Option<Relation>,
}

fn row(
    method: &'static str,
    route: &'static str,
    send: Send,
    expect: impl Fn(Option<&str>) -> Expect + 'static,
) -> Row {
    Row { method, route, send, expect: Box::new(expect), relation: None }
}

/// The casework roles: they hold cases and register persons.
const CASEWORK: &[&str] = &["coordinator", "worker", "coach", "teacher", "hellowork"];

/// Who sees a year's totals per coach: casework staff (their agency's coaches), program managers
/// and administrators (every coach).
const COACH_TOTALS: &[&str] = &["coordinator", "worker", "coach", "teacher", "hellowork", "manager", "admin"];

/// Who sees interview fairs: the casework roles and program managers (a fair names companies and
/// agencies, no person).
const FAIRS: &[&str] = &["manager", "coordinator", "worker", "coach", "teacher", "hellowork"];

/// Who counts a roster they send: whoever sees employers, and an employer's account.
const QUOTA_COUNT: &[&str] = &["manager", "coordinator", "worker", "coach", "teacher", "hellowork", "employer"];

/// A person's route, once per relation between the person and the `worker` account's agency.
/// `expect(role, relation)` gives the outcome for signed-in roles; anonymous callers sign in.
fn person_rows(
    method: &'static str,
    route: &'static str,
    send: fn() -> Send,
    expect: fn(&str, Relation) -> Expect,
) -> Vec<Row> {
    Relation::ALL
        .into_iter()
        .map(|relation| Row {
            method,
            route,
            send: send(),
            expect: Box::new(move |role: Option<&str>| role.map_or(Expect::SignIn, |r| expect(r, relation))),
            relation: Some(relation),
        })
        .collect()
}

/// Reading a person: the worker through the own case or a consent in force; the person their
/// own record; nobody else (administrators administer; program managers see aggregates).
fn reads(role: &str, relation: Relation) -> Expect {
    match (role, relation) {
        ("worker", Relation::OwnCase | Relation::Consented) | ("person", Relation::OwnCase) => Expect::Allow,
        _ => Expect::Deny,
    }
}

/// Writing support records and stages: casework staff who may read the record (the person
/// reads their journey but their supporters write it).
fn writes(role: &str, relation: Relation) -> Expect {
    match (role, relation) {
        ("worker", Relation::OwnCase | Relation::Consented) => Expect::Allow,
        _ => Expect::Deny,
    }
}

/// Writing assessment data (an assessment sheet): the agency's own case covers it; the fixtures'
/// consent names the basic, support and disability data, not assessments.
fn assesses(role: &str, relation: Relation) -> Expect {
    match (role, relation) {
        ("worker", Relation::OwnCase) => Expect::Allow,
        _ => Expect::Deny,
    }
}

/// Writing a 就労パスポート: the person their own; staff as for assessment data.
fn writes_passport(role: &str, relation: Relation) -> Expect {
    match (role, relation) {
        ("person", Relation::OwnCase) => Expect::Allow,
        _ => assesses(role, relation),
    }
}

/// A school's enrolment: only the school that holds the person's case writes it, and none of
/// the fixtures' persons is a student of the demo's school.
fn enrols(_: &str, _: Relation) -> Expect {
    Expect::Deny
}

/// Planning a job coach's dispatch: staff of an agency with coaches who may write the person's
/// support data. Of the fixtures' agencies only the coach's has coaches (the demo's), and the
/// coach holds none of the fixtures' cases.
fn coaches(_: &str, _: Relation) -> Expect {
    Expect::Deny
}

/// An emergency override: administrators, whatever the relation; block coordinators for persons
/// with a case in their own block (of the fixtures, the worker's client: the others' cases are at
/// an agency of another block).
fn overrides(role: &str, relation: Relation) -> Expect {
    match (role, relation) {
        ("admin", _) | ("coordinator", Relation::OwnCase) => Expect::Allow,
        ("coordinator", _) => Expect::Deny,
        _ => reads(role, relation),
    }
}

/// Disclosure and who looked: the person, and administrators answering a request.
fn discloses(role: &str, relation: Relation) -> Expect {
    match (role, relation) {
        ("admin", _) | ("person", Relation::OwnCase) => Expect::Allow,
        _ => Expect::Deny,
    }
}

fn matrix_with_persons() -> Vec<Row> {
    const EMPTY: &[(&str, &str)] = &[];
    let get = || Send::Get;
    let empty = || Send::Form(EMPTY);
    let upload = || Send::Upload;
    let mut rows = matrix();
    // Signing in and out change the session: those rows stay last.
    let session_rows = rows.split_off(rows.len() - 3);
    rows.extend([
        row("GET", "/persons", Send::Get, only(CASEWORK)),
        row("GET", "/persons/new", Send::Get, only(CASEWORK)),
        row("GET", "/persons/export.csv", Send::Get, only(CASEWORK)),
        row("GET", "/persons/export.xlsx", Send::Get, only(CASEWORK)),
        row("POST", "/persons", Send::Form(EMPTY), only(CASEWORK)),
        row("GET", "/persons/import", Send::Get, only(CASEWORK)),
        row("POST", "/persons/import", Send::Upload, only(CASEWORK)),
        row("POST", "/persons/import/support-records", Send::Upload, only(CASEWORK)),
        row("GET", "/persons/import/persons.csv", Send::Get, only(CASEWORK)),
        row("GET", "/persons/import/support-records.csv", Send::Get, only(CASEWORK)),
        row("GET", "/me", Send::Get, only(&["person"])),
        // The person's own pages: for a person's own account only.
        row("GET", "/me/sharing", Send::Get, only(&["person"])),
        row("POST", "/me/sharing", Send::Form(&[]), only(&["person"])),
        row("GET", "/me/sharing/{id}/withdraw", Send::Get, only(&["person"])),
        row("POST", "/me/sharing/{id}/withdraw", Send::Form(&[]), only(&["person"])),
        row("POST", "/me/sharing/{id}/undo", Send::Form(&[]), only(&["person"])),
        row("GET", "/me/looked", Send::Get, only(&["person"])),
        row("GET", "/me/data", Send::Get, only(&["person"])),
        row("GET", "/me/account", Send::Get, only(&["person"])),
        row("POST", "/me/account/register", Send::Form(&[]), only(&["person"])),
        row("POST", "/me/account/password", Send::Form(&[]), only(&["person"])),
        row("GET", "/referrals", Send::Get, only(CASEWORK)),
        // A referral that does not exist: casework staff reach the handler (404), others are refused.
        row("POST", "/referrals/{id}/{move}", Send::Form(EMPTY), only(CASEWORK)),
        // Fairs: agencies' staff and program managers see them; agencies' staff set them up and
        // edit them (a fair that does not exist: they reach the handler, 404).
        row("GET", "/fairs", Send::Get, only(FAIRS)),
        row("POST", "/fairs", Send::Form(EMPTY), only(CASEWORK)),
        row("GET", "/fairs/{id}", Send::Get, only(FAIRS)),
        row("GET", "/fairs/{id}/timetable", Send::Get, only(FAIRS)),
        row("POST", "/fairs/{id}/header", Send::Form(EMPTY), only(CASEWORK)),
        row("POST", "/fairs/{id}/companies", Send::Form(EMPTY), only(CASEWORK)),
        row("POST", "/fairs/{id}/companies/{employer}/remove", Send::Form(EMPTY), only(CASEWORK)),
        row("POST", "/fairs/{id}/participants", Send::Form(EMPTY), only(CASEWORK)),
        row("POST", "/fairs/{id}/participants/{agency}/remove", Send::Form(EMPTY), only(CASEWORK)),
        row("POST", "/fairs/{id}/schedule", Send::Form(EMPTY), only(CASEWORK)),
        row("GET", "/api/v1/fairs", Send::Get, only(FAIRS)),
        row("GET", "/api/v1/fairs/{id}", Send::Get, only(FAIRS)),
        row("POST", "/api/v1/fairs/{id}/schedule", Send::Json("{}"), only(CASEWORK)),
        // Employers: agencies' staff and program managers find them; agencies' staff add, edit
        // and link them; an employer's account reaches only its own company (the sample id is no
        // employer: staff reach the handler, 404; the employer's account is refused).
        row("GET", "/employers", Send::Get, only(FAIRS)),
        row("GET", "/employers/new", Send::Get, only(CASEWORK)),
        row("POST", "/employers", Send::Form(EMPTY), only(CASEWORK)),
        row("GET", "/employers/{id}", Send::Get, only(FAIRS)),
        row("POST", "/employers/{id}", Send::Form(EMPTY), only(CASEWORK)),
        row("GET", "/employers/{id}/edit", Send::Get, only(CASEWORK)),
        row("POST", "/employers/{id}/link", Send::Form(EMPTY), only(CASEWORK)),
        row("GET", "/company", Send::Get, only(&["employer"])),
        row("GET", "/api/v1/employers", Send::Get, only(FAIRS)),
        row("POST", "/api/v1/employers", Send::Json("{}"), only(CASEWORK)),
        row("GET", "/api/v1/employers/{id}", Send::Get, only(FAIRS)),
        row("PUT", "/api/v1/employers/{id}", Send::Json("{}"), only(CASEWORK)),
        row("PUT", "/api/v1/employers/{id}/link", Send::Json("{}"), only(CASEWORK)),
        row("GET", "/api/v1/employers/{id}/persons", Send::Get, only(&[])),
        // The quota: whoever sees the employer reads it (its own account sees its own company
        // only); whoever edits the employer writes the roster; a count of a roster sent stores
        // nothing and is open to whoever sees employers.
        row("GET", "/employers/{id}/quota", Send::Get, only(FAIRS)),
        row("GET", "/employers/{id}/quota.xlsx", Send::Get, only(FAIRS)),
        row("POST", "/employers/{id}/quota/headcounts", Send::Form(EMPTY), only(CASEWORK)),
        row("POST", "/employers/{id}/quota/headcounts/remove", Send::Form(EMPTY), only(CASEWORK)),
        row("POST", "/employers/{id}/quota/workers", Send::Form(EMPTY), only(CASEWORK)),
        row("POST", "/employers/{id}/quota/workers/{place}/remove", Send::Form(EMPTY), only(CASEWORK)),
        row("GET", "/api/v1/employers/{id}/quota", Send::Get, only(FAIRS)),
        row("PUT", "/api/v1/employers/{id}/quota/roster", Send::Json("{}"), only(CASEWORK)),
        row("POST", "/api/v1/quota/count", Send::Json("{}"), only(QUOTA_COUNT)),
        // Openings: published ones are public; one that does not exist is 404 to everyone (to
        // whoever may not see a draft, a draft does not exist either); writing one for an
        // employer is for its editors.
        row("GET", "/openings", Send::Get, open),
        row("GET", "/openings/{id}", Send::Get, open),
        row("GET", "/openings/{id}/edit", Send::Get, signed_in),
        row("GET", "/openings/{id}/matches", Send::Get, signed_in),
        row("POST", "/openings/{id}", Send::Form(EMPTY), signed_in),
        row("POST", "/openings/{id}/status", Send::Form(EMPTY), signed_in),
        row("GET", "/employers/{id}/openings/new", Send::Get, only(CASEWORK)),
        row("POST", "/employers/{id}/openings", Send::Form(EMPTY), only(CASEWORK)),
        row("GET", "/api/v1/openings", Send::Get, open),
        row("GET", "/api/v1/openings/{id}", Send::Get, open),
        row("GET", "/api/v1/openings/{id}/jobposting", Send::Get, open),
        row("PUT", "/api/v1/openings/{id}", Send::Json("{}"), signed_in),
        row("POST", "/api/v1/openings/{id}/status", Send::Json("{}"), signed_in),
        row("POST", "/api/v1/employers/{id}/openings", Send::Json("{}"), only(CASEWORK)),
        // Internship and tour slots: agencies' staff and program managers read them; staff open
        // and edit them (the sample ids are none: 404 for those who may).
        row("GET", "/employers/{id}/slots/new", Send::Get, only(CASEWORK)),
        row("POST", "/employers/{id}/slots", Send::Form(EMPTY), only(CASEWORK)),
        row("GET", "/slots/{id}", Send::Get, only(FAIRS)),
        row("POST", "/slots/{id}", Send::Form(EMPTY), only(CASEWORK)),
        row("GET", "/api/v1/employers/{id}/slots", Send::Get, only(FAIRS)),
        row("POST", "/api/v1/employers/{id}/slots", Send::Json("{}"), only(CASEWORK)),
        row("GET", "/api/v1/slots/{id}", Send::Get, only(FAIRS)),
        row("PUT", "/api/v1/slots/{id}", Send::Json("{}"), only(CASEWORK)),
        // A school's students: its staff only.
        row("GET", "/school", Send::Get, only(&["teacher"])),
        // Job coaching: staff of an agency see its coaches and dispatches; a coach or dispatch
        // that does not exist is a 404 for them.
        row("GET", "/coaching", Send::Get, only(CASEWORK)),
        row("GET", "/coaching/coaches/new", Send::Get, only(CASEWORK)),
        row("POST", "/coaching/coaches", Send::Form(&[]), only(CASEWORK)),
        row("GET", "/coaching/coaches/{id}", Send::Get, only(CASEWORK)),
        row("POST", "/coaching/coaches/{id}", Send::Form(&[]), only(CASEWORK)),
        row("GET", "/coaching/coaches/{id}/week", Send::Get, only(CASEWORK)),
        row("GET", "/dispatches/{id}", Send::Get, signed_in),
        row("GET", "/dispatches/{id}/edit", Send::Get, signed_in),
        row("POST", "/dispatches/{id}/edit", Send::Form(&[]), signed_in),
        row("POST", "/dispatches/{id}/days", Send::Form(&[]), signed_in),
        row("POST", "/dispatches/{id}/days/{day}/remove", Send::Form(&[]), signed_in),
        row("GET", "/api/v1/dispatches/{id}", Send::Get, signed_in),
        row("PUT", "/api/v1/dispatches/{id}", Send::Json("{}"), signed_in),
        row("GET", "/api/v1/coaches", Send::Get, only(CASEWORK)),
        // A year's totals per coach: the agency's for its staff, every coach's for the program's.
        row("GET", "/api/v1/coaches/totals/{year}", Send::Get, only(COACH_TOTALS)),
        row("POST", "/api/v1/coaches", Send::Json("{}"), only(CASEWORK)),
        row("PUT", "/api/v1/coaches/{id}", Send::Json("{}"), only(CASEWORK)),
        row("POST", "/api/v1/dispatches/{id}/days", Send::Json("{}"), signed_in),
        // Trial employment: staff see their agency's trials; a trial that does not exist is a 404
        // for everyone signed in (its person's policy decides the rest).
        row("GET", "/trials", Send::Get, only(CASEWORK)),
        row("GET", "/trials/{id}", Send::Get, signed_in),
        row("GET", "/trials/{id}/edit", Send::Get, signed_in),
        row("POST", "/trials/{id}/edit", Send::Form(&[]), signed_in),
        row("POST", "/trials/{id}/weeks", Send::Form(&[]), signed_in),
        row("POST", "/trials/{id}/weeks/{monday}/remove", Send::Form(&[]), signed_in),
        // Grant decisions are Hello Work's: its staff meet the 404 of a trial that is none.
        row("POST", "/trials/{id}/grants", Send::Form(&[]), only(&["hellowork"])),
        row("POST", "/trials/{id}/grants/{index}/remove", Send::Form(&[]), signed_in),
        row("GET", "/api/v1/trials/{id}", Send::Get, signed_in),
        row("PUT", "/api/v1/trials/{id}", Send::Json("{}"), signed_in),
        row("POST", "/api/v1/trials/{id}/weeks", Send::Json("{}"), signed_in),
        // Return to work: staff see their agency's plans; a plan that does not exist is a 404.
        row("GET", "/rework", Send::Get, only(CASEWORK)),
        row("GET", "/rework/{id}", Send::Get, signed_in),
        row("GET", "/rework/{id}/edit", Send::Get, signed_in),
        row("POST", "/rework/{id}/edit", Send::Form(&[]), signed_in),
        row("GET", "/api/v1/return-plans/{id}", Send::Get, signed_in),
        row("PUT", "/api/v1/return-plans/{id}", Send::Json("{}"), signed_in),
        // The トライワークプロジェクト: a participation that does not exist is a 404.
        row("GET", "/trywork/{id}/edit", Send::Get, signed_in),
        row("POST", "/trywork/{id}/edit", Send::Form(&[]), signed_in),
        row("PUT", "/api/v1/trywork/{id}", Send::Json("{}"), signed_in),
        // The work-transition checklist: one that does not exist is a 404; its items are for
        // whoever reads persons.
        row("GET", "/checklists/{id}", Send::Get, signed_in),
        row("GET", "/checklists/{id}/edit", Send::Get, signed_in),
        row("POST", "/checklists/{id}/edit", Send::Form(&[]), signed_in),
        row("GET", "/api/v1/checklists/{id}", Send::Get, signed_in),
        row("PUT", "/api/v1/checklists/{id}", Send::Json("{}"), signed_in),
        row("GET", "/api/v1/checklist-items", Send::Get, signed_in),
        // Work samples: a result that does not exist is a 404; the tasks for whoever reads persons.
        row("GET", "/mws/{id}/edit", Send::Get, signed_in),
        row("POST", "/mws/{id}/edit", Send::Form(&[]), signed_in),
        row("PUT", "/api/v1/mws/{id}", Send::Json("{}"), signed_in),
        row("GET", "/api/v1/mws-tasks", Send::Get, signed_in),
        // Assessment sheets: one that does not exist is a 404.
        row("GET", "/assessments/{id}", Send::Get, signed_in),
        row("GET", "/api/v1/assessments/{id}", Send::Get, signed_in),
        row("PUT", "/api/v1/assessments/{id}", Send::Json("{}"), signed_in),
        row("POST", "/assessments/{id}", Send::Form(&[]), signed_in),
        row("GET", "/me/assessments", Send::Get, only(&["person"])),
        row("GET", "/me/assessments/{id}", Send::Get, only(&["person"])),
        row("POST", "/me/assessments/{id}", Send::Form(&[]), only(&["person"])),
        // The person's own passport.
        row("GET", "/me/passport", Send::Get, only(&["person"])),
        row("POST", "/me/passport", Send::Form(&[]), only(&["person"])),
        row("GET", "/me/passport/give", Send::Get, only(&["person"])),
        row("POST", "/me/passport/give", Send::Form(&[]), only(&["person"])),
        row("GET", "/me/passport/print", Send::Get, only(&["person"])),
        row("GET", "/me/passport.xlsx", Send::Get, only(&["person"])),
        // Events: everyone signed in sees those meant for them; staff who hold cases organise
        // them; an event or sign-up that does not exist is a 404 for everyone signed in. An
        // agency's calendar feed is open to any calendar.
        row("GET", "/events", Send::Get, signed_in),
        row("POST", "/events", Send::Form(&[]), only(CASEWORK)),
        row("GET", "/events/new", Send::Get, only(CASEWORK)),
        row("GET", "/events/mine.ics", Send::Get, signed_in),
        // The viewer's own calendar feed: started and stopped signed in; its address opens
        // without signing in (one that names no feed is a 404).
        row("GET", "/events/feed", Send::Get, signed_in),
        row("POST", "/events/feed", Send::Form(&[]), signed_in),
        row("POST", "/events/feed/stop", Send::Form(&[]), signed_in),
        row("GET", "/calendar/{secret}/events.ics", Send::Get, open),
        row("GET", "/councils", Send::Get, signed_in),
        row("GET", "/events/{id}", Send::Get, signed_in),
        row("GET", "/events/{id}/edit", Send::Get, signed_in),
        row("POST", "/events/{id}/edit", Send::Form(&[]), signed_in),
        row("POST", "/events/{id}/signups", Send::Form(&[]), signed_in),
        row("GET", "/events/{id}/attendance/{session}", Send::Get, signed_in),
        row("POST", "/events/{id}/attendance/{session}", Send::Form(&[]), signed_in),
        row("GET", "/events/{id}/calendar.ics", Send::Get, signed_in),
        row("POST", "/signups/{id}/cancel", Send::Form(&[]), signed_in),
        row("GET", "/signups/{id}/certificate", Send::Get, signed_in),
        row("GET", "/agencies/{id}/events.ics", Send::Get, open),
        row("GET", "/api/v1/events", Send::Get, signed_in),
        row("POST", "/api/v1/events", Send::Json("{}"), only(CASEWORK)),
        row("GET", "/api/v1/events/{id}", Send::Get, signed_in),
        row("PUT", "/api/v1/events/{id}", Send::Json("{}"), signed_in),
        row("POST", "/api/v1/events/{id}/signups", Send::Json("{}"), signed_in),
        row("POST", "/api/v1/signups/{id}/cancel", Send::Json("{}"), signed_in),
        row("GET", "/api/v1/me/events", Send::Get, signed_in),
        // Technical assistance: the page explains itself to anyone signed in; the records are the
        // 職業センター's (the demo's counselor).
        row("GET", "/assistance", Send::Get, signed_in),
        row("POST", "/assistance", Send::Form(&[]), only(&["counselor"])),
        row("GET", "/assistance/new", Send::Get, only(&["counselor"])),
        row("GET", "/assistance/{id}/edit", Send::Get, only(&["counselor"])),
        row("POST", "/assistance/{id}/edit", Send::Form(&[]), only(&["counselor"])),
        row("GET", "/api/v1/assistance", Send::Get, only(&["counselor"])),
        row("POST", "/api/v1/assistance", Send::Json("{}"), only(&["counselor"])),
        row("PUT", "/api/v1/assistance/{id}", Send::Json("{}"), only(&["counselor"])),
        // The coordinators' roster: the page explains itself to anyone signed in; staff who hold
        // cases keep their agency's; a coordinator that does not exist is a 404 for them.
        row("GET", "/liaison", Send::Get, signed_in),
        row("POST", "/liaison", Send::Form(&[]), only(CASEWORK)),
        row("GET", "/liaison/new", Send::Get, only(CASEWORK)),
        row("GET", "/liaison/{id}/edit", Send::Get, only(CASEWORK)),
        row("POST", "/liaison/{id}/edit", Send::Form(&[]), only(CASEWORK)),
        row("GET", "/api/v1/coordinators", Send::Get, only(CASEWORK)),
        row("POST", "/api/v1/coordinators", Send::Json("{}"), only(CASEWORK)),
        row("PUT", "/api/v1/coordinators/{id}", Send::Json("{}"), only(CASEWORK)),
        row("POST", "/api/v1/trials/{id}/grants", Send::Json("{}"), only(&["hellowork"])),
        row("GET", "/admin/accounts", Send::Get, only(&["admin"])),
        row("POST", "/admin/accounts", Send::Form(EMPTY), only(&["admin"])),
    ]);
    rows.extend(person_rows("GET", "/persons/{id}", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/timeline", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/edit", get, reads));
    rows.extend(person_rows("POST", "/persons/{id}/edit", || Send::Form(&[("version", "1")]), reads));
    rows.extend(person_rows("POST", "/persons/{id}/support", empty, writes));
    rows.extend(person_rows("POST", "/persons/{id}/stage", empty, writes));
    rows.extend(person_rows("POST", "/persons/{id}/follow-ups/{follow_up}/done", empty, writes));
    rows.extend(person_rows("POST", "/persons/{id}/follow-ups/{follow_up}/undo", empty, writes));
    rows.extend(person_rows("POST", "/persons/{id}/plans", empty, writes));
    rows.extend(person_rows("GET", "/persons/{id}/referrals/new", get, writes));
    rows.extend(person_rows("POST", "/persons/{id}/referrals", empty, writes));
    rows.extend(person_rows("POST", "/persons/{id}/plans/{plan}/review", empty, writes));
    rows.extend(person_rows("GET", "/persons/{id}/documents/new", get, writes));
    rows.extend(person_rows("POST", "/persons/{id}/documents", || Send::Upload, writes));
    rows.extend(person_rows("GET", "/persons/{id}/documents/{document}", get, reads));
    rows.extend(person_rows("POST", "/persons/{id}/documents/{document}/remove", empty, writes));
    rows.extend(person_rows("GET", "/persons/{id}/consents/new", get, reads));
    rows.extend(person_rows("POST", "/persons/{id}/consents", empty, reads));
    rows.extend(person_rows("POST", "/persons/{id}/consents/{consent}/revoke", empty, reads));
    rows.extend(person_rows("GET", "/persons/{id}/matches", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/preferences", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/coaching", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/coaching/new", get, coaches));
    rows.extend(person_rows("POST", "/persons/{id}/coaching", empty, coaches));
    rows.extend(person_rows("GET", "/persons/{id}/trials", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/trials/new", get, writes));
    rows.extend(person_rows("POST", "/persons/{id}/trials", empty, writes));
    rows.extend(person_rows("GET", "/persons/{id}/rework", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/rework/new", get, writes));
    rows.extend(person_rows("POST", "/persons/{id}/rework", empty, writes));
    rows.extend(person_rows("GET", "/persons/{id}/trywork", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/trywork/new", get, writes));
    rows.extend(person_rows("POST", "/persons/{id}/trywork", empty, writes));
    rows.extend(person_rows("GET", "/persons/{id}/checklists", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/checklists/new", get, writes));
    rows.extend(person_rows("POST", "/persons/{id}/checklists", empty, writes));
    rows.extend(person_rows("GET", "/persons/{id}/mws", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/mws/new", get, writes));
    rows.extend(person_rows("POST", "/persons/{id}/mws", empty, writes));
    rows.extend(person_rows("GET", "/persons/{id}/assessments", get, reads));
    rows.extend(person_rows("POST", "/persons/{id}/assessments", empty, assesses));
    rows.extend(person_rows("GET", "/persons/{id}/passport", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/passport/print", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/passport.xlsx", get, reads));
    rows.extend(person_rows("POST", "/persons/{id}/passport", empty, writes_passport));
    rows.extend(person_rows("POST", "/persons/{id}/passport/import", upload, writes_passport));
    rows.extend(person_rows("GET", "/persons/{id}/events", get, reads));
    rows.extend(person_rows("POST", "/persons/{id}/preferences", empty, writes));
    rows.extend(person_rows("GET", "/persons/{id}/placements", get, reads));
    rows.extend(person_rows("GET", "/persons/{id}/internships", get, reads));
    rows.extend(person_rows("POST", "/persons/{id}/internships", empty, writes));
    rows.extend(person_rows("POST", "/persons/{id}/internships/{booking}/outcome", empty, writes));
    rows.extend(person_rows("POST", "/persons/{id}/placements", empty, writes));
    rows.extend(person_rows("GET", "/persons/{id}/school", get, reads));
    rows.extend(person_rows("POST", "/persons/{id}/school", empty, enrols));
    rows.extend(person_rows("POST", "/persons/{id}/placements/{placement}/end", empty, writes));
    rows.extend(person_rows("GET", "/persons/{id}/access-log", get, discloses));
    rows.extend(person_rows("GET", "/persons/{id}/disclosure", get, discloses));
    rows.extend(person_rows("GET", "/persons/{id}/disclosure.json", get, discloses));
    rows.extend(person_rows("GET", "/persons/{id}/disclosure.zip", get, discloses));
    rows.extend([
        row("GET", "/api/v1/persons", Send::Get, only(CASEWORK)),
        row("POST", "/api/v1/persons", Send::Json("{}"), only(CASEWORK)),
        row("POST", "/api/v1/persons/import", Send::Json(""), only(CASEWORK)),
        row("POST", "/api/v1/support-records/import", Send::Json(""), only(CASEWORK)),
        row("GET", "/api/v1/referrals", Send::Get, only(CASEWORK)),
        row("POST", "/api/v1/referrals/{id}/{move}", Send::Json("{}"), only(CASEWORK)),
    ]);
    let json = || Send::Json("{}");
    rows.extend(person_rows("GET", "/api/v1/persons/{id}", get, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/consents", json, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/consents/{consent}/revoke", json, reads));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/disclosure", get, discloses));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/timeline", get, reads));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/documents", get, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/documents", json, writes));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/documents/{document}", get, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/support-records", json, writes));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/stage", json, writes));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/placements", get, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/placements", json, writes));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/placements/{placement}/end", json, writes));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/internships", get, reads));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/preferences", get, reads));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/dispatches", get, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/dispatches", json, coaches));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/trials", get, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/trials", json, writes));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/return-plans", get, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/return-plans", json, writes));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/trywork", get, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/trywork", json, writes));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/checklists", get, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/checklists", json, writes));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/mws", get, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/mws", json, writes));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/passport", get, reads));
    rows.extend(person_rows("GET", "/api/v1/persons/{id}/assessments", get, reads));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/assessments", json, assesses));
    rows.extend(person_rows("PUT", "/api/v1/persons/{id}/passport", json, writes_passport));
    rows.extend(person_rows("PUT", "/api/v1/persons/{id}/preferences", json, writes));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/internships", json, writes));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/internships/{booking}/outcome", json, writes));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/plans", json, writes));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/referrals", json, writes));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/plans/{plan}/review", json, writes));
    rows.extend(person_rows("POST", "/api/v1/persons/{id}/follow-ups/{follow_up}/done", json, writes));
    // An override opens a window in which the person's pages read again: it comes after every
    // other row about a person, so that none of them meets the window it opens.
    rows.extend(person_rows(
        "POST",
        "/persons/{id}/override",
        || Send::Form(&[("reason", "本人が職場で倒れ、緊急連絡先の確認が必要")]),
        overrides,
    ));
    rows.extend(session_rows);
    rows
}

/// Everyone may read the directory; writing follows the directory policy (the sample agency is
/// ハローワーク飯田橋 in 城北: the hellowork account's own agency, in the coordinator's block).
fn matrix() -> Vec<Row> {
    const EDITORS: &[&str] = &["admin", "coordinator", "hellowork"];
    const ADDERS: &[&str] = &["admin", "coordinator"];
    const ADMIN: &[&str] = &["admin"];
    // The program registry and the annual report: program managers and administrators.
    const PROGRAMS: &[&str] = &["admin", "manager"];
    let empty: &'static [(&'static str, &'static str)] = &[];
    vec![
        row("GET", "/", Send::Get, open),
        row("GET", "/agencies", Send::Get, open),
        row("POST", "/agencies", Send::Form(&[("kind", "hello_work")]), only(ADDERS)),
        row("GET", "/agencies/new", Send::Get, only(ADDERS)),
        row("GET", "/agencies/import", Send::Get, only(ADMIN)),
        row("POST", "/agencies/import", Send::Upload, only(ADMIN)),
        row("GET", "/agencies/export.csv", Send::Get, open),
        row("GET", "/agencies/export.xlsx", Send::Get, open),
        row("GET", "/agencies/{id}", Send::Get, open),
        row("GET", "/agencies/{id}/edit", Send::Get, only(EDITORS)),
        row("POST", "/agencies/{id}/edit", Send::Form(&[("version", "1"), ("kind", "hello_work")]), only(EDITORS)),
        row("POST", "/agencies/{id}/follow-up-days", Send::Form(&[("follow_up_days", "")]), only(EDITORS)),
        row("GET", "/agencies/{id}/documents/new", Send::Get, only(EDITORS)),
        row("POST", "/agencies/{id}/documents", Send::Upload, only(EDITORS)),
        // The network's forms are for signed-in readers; a document that does not exist is a 404.
        row("GET", "/agencies/{id}/documents/{document}", Send::Get, signed_in),
        row("POST", "/agencies/{id}/documents/{document}/remove", Send::Form(empty), only(EDITORS)),
        row("GET", "/login", Send::Get, open),
        row("GET", "/account", Send::Get, signed_in),
        // A person's own account has no API tokens: it reads on its own pages.
        row("POST", "/account/tokens", Send::Form(&[("token_name", "")]), staff),
        row("POST", "/account/tokens/{id}/revoke", Send::Form(empty), signed_in),
        row("GET", "/admin/audit", Send::Get, only(ADMIN)),
        row("GET", "/report", Send::Get, only(PROGRAMS)),
        row("GET", "/report/export.xlsx", Send::Get, only(PROGRAMS)),
        row("GET", "/report/export.csv", Send::Get, only(PROGRAMS)),
        row("GET", "/report/retention", Send::Get, only(PROGRAMS)),
        row("GET", "/programs", Send::Get, only(PROGRAMS)),
        row("GET", "/programs/{code}", Send::Get, only(PROGRAMS)),
        row("GET", "/programs/{code}/edit", Send::Get, only(PROGRAMS)),
        row("POST", "/programs/{code}/edit", Send::Form(&[("program_owner", "")]), only(PROGRAMS)),
        row("POST", "/programs/{code}/figures", Send::Form(&[("value", "")]), only(PROGRAMS)),
        row("GET", "/blocks", Send::Get, open),
        row("GET", "/blocks/{code}/edit", Send::Get, only(ADMIN)),
        row("POST", "/blocks/{code}/edit", Send::Form(&[("name_ja", ""), ("name_en", "")]), only(ADMIN)),
        row("GET", "/municipalities", Send::Get, open),
        row("GET", "/municipalities/{code}/edit", Send::Get, only(ADMIN)),
        row("POST", "/municipalities/{code}/edit", Send::Form(&[("block_code", "johoku")]), only(ADMIN)),
        row("GET", "/assets/tokens.css", Send::Get, open),
        row("GET", "/assets/app.css", Send::Get, open),
        row("GET", "/healthz", Send::Get, open),
        // Only on an address of its own or with the metrics token (`pages.rs` tests both).
        row("GET", "/metrics", Send::Get, hidden),
        row("GET", "/api/v1/openapi.json", Send::Get, open),
        row("GET", "/api/v1/agencies", Send::Get, open),
        row("POST", "/api/v1/agencies", Send::Json("{}"), only(ADDERS)),
        row("GET", "/api/v1/agencies/{id}", Send::Get, open),
        row("PUT", "/api/v1/agencies/{id}", Send::Json(r#"{"version":1}"#), only(EDITORS)),
        row("POST", "/api/v1/agencies/import", Send::Json(""), only(ADMIN)),
        row("GET", "/api/v1/blocks", Send::Get, open),
        row("PUT", "/api/v1/blocks/{code}", Send::Json(r#"{"name_ja":"","name_en":""}"#), only(ADMIN)),
        row("GET", "/api/v1/municipalities", Send::Get, open),
        row(
            "PUT",
            "/api/v1/municipalities/{code}",
            Send::Json(r#"{"block_code":"johoku","runs_support_centre":true,"has_development_coordinator":false}"#),
            only(ADMIN),
        ),
        row("GET", "/api/v1/audit", Send::Get, only(ADMIN)),
        row("GET", "/api/v1/report/{year}", Send::Get, only(PROGRAMS)),
        // Signing in and out change the session, so they come last.
        row("POST", "/login", Send::Form(empty), |_| Expect::Deny),
        row("POST", "/account/sign-out-everywhere", Send::Form(empty), signed_in),
        row("POST", "/logout", Send::Form(empty), open),
    ]
}

fn sample(route: &str, code: &str, id: &str) -> String {
    let route = route
        .replace("{consent}", "00000000-0000-4000-8000-000000000000")
        .replace("{follow_up}", "00000000-0000-4000-8000-000000000000")
        .replace("{plan}", "00000000-0000-4000-8000-000000000000")
        .replace("{document}", "00000000-0000-4000-8000-000000000000")
        .replace("{placement}", "00000000-0000-4000-8000-000000000000")
        .replace("{booking}", "00000000-0000-4000-8000-000000000000")
        .replace("{move}", "accept")
        .replace("{place}", "1")
        .replace("{year}", "2024");
    let code = if route.starts_with("/municipalities") || route.starts_with("/api/v1/municipalities") {
        "131016"
    } else if route.starts_with("/programs/") {
        "3-1"
    } else {
        code
    };
    route.replace("{id}", id).replace("{code}", code)
}

async fn send(t: &TestApp, row: &Row, uri: &str) -> Reply {
    match &row.send {
        Send::Get => t.get(uri).await,
        Send::Form(pairs) => t.post_form(uri, pairs).await,
        Send::Json(body) => {
            let request = Request::builder()
                .method(row.method)
                .uri(uri)
                .header(header::CONTENT_TYPE, if body.is_empty() { "text/csv" } else { "application/json" })
                .body(Body::from(if body.is_empty() {
                    "種別,名称,ふりがな\n".to_owned()
                } else {
                    (*body).to_owned()
                }))
                .unwrap();
            t.request(request).await
        }
        Send::Upload => {
            let csrf = t.csrf().unwrap_or_default();
            let body = format!(
                "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\n種別,名称,ふりがな\n\r\n--B--\r\n"
            );
            let request = Request::post(uri)
                .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B")
                .body(Body::from(body))
                .unwrap();
            t.request(request).await
        }
    }
}

fn outcome(reply: &Reply, api: bool) -> Expect {
    // Signing out everywhere ends at the sign-in page too, saying so: that is not a refusal.
    let to_login = reply.status == StatusCode::SEE_OTHER
        && reply.location().starts_with("/login")
        && !reply.location().starts_with("/login?signed_out=");
    match reply.status {
        StatusCode::FORBIDDEN => Expect::Deny,
        StatusCode::UNAUTHORIZED if api => Expect::SignIn,
        _ if to_login => Expect::SignIn,
        s if s.is_server_error() => panic!("server error {s}: {}", reply.body),
        _ => Expect::Allow,
    }
}

#[tokio::test]
async fn every_route_gives_every_role_what_the_matrix_says() {
    let rows = matrix_with_persons();
    let mut wrong = Vec::new();
    for role in ROLES {
        let t = spawn_app().await;
        let persons = t.person_fixtures().await;
        if let Some(login) = role {
            t.sign_in(login).await;
        }
        let id = t.agency_id("ハローワーク飯田橋").await;
        for row in &rows {
            let id = match row.relation {
                Some(relation) => persons.iter().find(|(r, _)| *r == relation).map(|(_, id)| id.clone()).unwrap(),
                None => id.clone(),
            };
            let uri = sample(row.route, "johoku", &id);
            let reply = send(&t, row, &uri).await;
            let want = match (row.expect)(role) {
                Expect::Open => Expect::Allow,
                other => other,
            };
            let got = match outcome(&reply, row.route.starts_with("/api/")) {
                Expect::Allow if reply.status == StatusCode::NOT_FOUND && want == Expect::Hidden => Expect::Hidden,
                got => got,
            };
            if got != want {
                wrong.push(format!(
                    "{} {} ({:?}) as {:?}: expected {want:?}, got {got:?} ({})",
                    row.method, row.route, row.relation, role, reply.status
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{} cells differ:\n{}", wrong.len(), wrong.join("\n"));
}

/// Every Rust source of the crate, each capability's routes among them.
fn sources(dir: &std::path::Path, out: &mut String) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The arguments of a `.route(` call, from the text after its opening parenthesis up to the one
/// that closes it.
fn route_arguments(after_open: &str) -> &str {
    let mut depth = 1;
    for (i, c) in after_open.char_indices() {
        match c {
            '(' => depth += 1,
            ')' if depth == 1 => return &after_open[..i],
            ')' => depth -= 1,
            _ => {}
        }
    }
    after_open
}

/// The routes the routers and the OpenAPI document declare, as (method, path).
fn declared_routes() -> BTreeSet<(String, String)> {
    let mut source = String::new();
    sources(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut source);
    let mut out = BTreeSet::new();
    for chunk in source.split(".route(").skip(1) {
        let Some(path) = chunk.trim_start().strip_prefix('"').and_then(|c| c.split('"').next()) else { continue };
        let methods = route_arguments(chunk);
        for (needle, method) in [("get(", "GET"), ("post(", "POST"), ("put(", "PUT"), ("delete(", "DELETE")] {
            if methods.contains(needle) {
                out.insert((method.to_owned(), path.to_owned()));
            }
        }
    }
    let api: serde_json::Value =
        serde_json::from_str(&tsunagu_http::api::router().split_for_parts().1.to_json().unwrap()).unwrap();
    for (path, item) in api["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            out.insert((method.to_uppercase(), path.clone()));
        }
    }
    out
}

#[test]
fn every_route_has_a_row_in_the_matrix() {
    let rows: BTreeSet<(String, String)> =
        matrix_with_persons().iter().map(|r| (r.method.to_owned(), r.route.to_owned())).collect();
    let declared = declared_routes();
    assert!(declared.len() > 30, "found the routes: {declared:?}");
    let missing: Vec<_> = declared.difference(&rows).collect();
    assert!(missing.is_empty(), "routes without a row in the access matrix: {missing:?}");
    let stale: Vec<_> = rows.difference(&declared).collect();
    assert!(stale.is_empty(), "rows for routes that do not exist: {stale:?}");
}
