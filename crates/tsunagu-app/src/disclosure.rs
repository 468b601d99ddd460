//! The disclosure (開示): everything Tsunagu holds about a person, for the person themself or an
//! administrator answering their request, and the person's access log.
//!
//! [`Disclosure`] is what the use case gathers; [`DisclosureDocument`] is the public document
//! made of it (the JSON of the page, the API and the ZIP). The document has types of its own and
//! a version, so that a renamed domain field cannot silently change what a person receives: its
//! shape is locked by a snapshot test, and [`PERSONAL_TABLES`] names the section of it that
//! holds each table of personal data (a test checks every table of the schema is either there
//! or in [`OTHER_TABLES`]).

use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tsunagu_domain::access::Denial;
use tsunagu_domain::account::{Account, Role};
use tsunagu_domain::audit::{AuditAction, AuditEntry};
use tsunagu_domain::case::CaseRecord;
use tsunagu_domain::consent::{ConsentRecord, Provision, Recipient};
use tsunagu_domain::directory::AgencyId;
use tsunagu_domain::document::Document;
use tsunagu_domain::journey::{FollowUp, StageChange, SupportRecord};
use tsunagu_domain::person::Person;
use tsunagu_domain::person::PersonId;
use tsunagu_domain::plan::SupportPlan;
use tsunagu_domain::referral::Referral;
use tsunagu_store::{AuditQuery, Journey, PersonFile};

use crate::persons::present_fields_of_every_category;
use tsunagu_domain::directory::DirectoryReferences;

use crate::{App, AppError};

/// The version of [`DisclosureDocument`]; raised whenever its shape changes.
pub const DISCLOSURE_VERSION: u32 = 16;

/// The tables that hold personal data, each with the section of the disclosure that holds it.
pub const PERSONAL_TABLES: &[(&str, &str)] = &[
    ("persons", "person"),
    ("person_links", "person.linked_records"),
    ("cases", "cases"),
    ("consents", "consents"),
    ("provisions", "provisions"),
    ("stage_changes", "stages"),
    ("support_records", "support_records"),
    ("support_plans", "plans"),
    ("plan_reviews", "plans.reviews"),
    ("follow_ups", "follow_ups"),
    ("placements", "placements"),
    ("bookings", "internships"),
    ("enrolments", "school"),
    ("job_preferences", "job_preferences"),
    ("dispatches", "coaching"),
    ("coach_days", "coaching.days"),
    ("trials", "trials"),
    ("trial_weeks", "trials.weeks"),
    ("return_plans", "return_to_work"),
    ("trywork_participations", "trywork"),
    ("checklists", "checklists"),
    ("mws_results", "work_samples"),
    ("assessment_sheets", "assessment_sheets"),
    ("passports", "passport"),
    ("event_signups", "events"),
    ("referrals", "referrals"),
    ("documents", "documents"),
    // The files themselves go in the ZIP, under documents/; the document names each by its hash.
    ("document_contents", "documents.sha256"),
    ("audit_log", "access_log"),
    // Each override granted is in the log with its reason (`override:…`), where it is disclosed.
    ("emergency_access", "access_log"),
    // Each placement's day, end, workplace support and the person's categories, kept for the
    // retention analysis: derived from the stage changes, support records and the person's
    // categories, all disclosed; disclosed as the stage changes to 就職 it comes from.
    ("placement_spells", "stages"),
];

/// The tables that hold no personal data of persons supported, and why.
pub const OTHER_TABLES: &[(&str, &str)] = &[
    ("schema_migrations", "the schema's version"),
    ("blocks", "the directory"),
    ("municipalities", "the directory"),
    ("agencies", "the directory"),
    ("employers", "the directory of employers (法人)"),
    ("employer_agencies", "which agencies developed or support an employer (開拓)"),
    (
        "quota_rosters",
        "employers' rosters for the legal quota: regular workers by month and the workers with disabilities the employer entered under labels of its own, never a person of Tsunagu (a placed person's certificate is read, and the read disclosed, when counted)",
    ),
    ("openings", "employers' openings (求人): the work, hours, wage and accommodations offered, never a person"),
    ("openings_revision", "the openings' version, for the matching index"),
    ("slots", "employers' internship and tour slots: days and capacity, never a person"),
    ("coaches", "agencies' job coaches: staff, named on the dispatches they work on, never a person supported"),
    ("fairs", "interview fairs: companies, agencies, the agencies' choices and the schedule, never a person"),
    ("events", "events (seminars, trainings, councils): their sessions, seats and curriculum, never a person"),
    ("assistance_records", "advice the 職業センター gave agencies on methods (7-2), never naming a person"),
    ("liaison_coordinators", "the roster of 10-2's medical-liaison coordinators: staff, never a person supported"),
    ("directory_revision", "the directory's version"),
    ("seed_deferred", "index and key definitions a bulk load builds after loading (PostgreSQL)"),
    ("agency_settings", "an agency's follow-up schedule"),
    ("caseload_sizes", "the number of open cases of each agency"),
    ("accounts", "staff and persons' sign-in accounts, not their record"),
    ("sessions", "sign-in sessions"),
    ("account_settings", "the register an account chose for its own pages, as the language cookie; not the record"),
    ("calendar_feeds", "the hash of the secret of an account's calendar address; not the record"),
    ("failed_logins", "sign-in throttling"),
    ("api_tokens", "API tokens"),
    ("notices", "an agency's notice that a referral it sent or received moved; the referral is disclosed"),
    ("agency_documents", "an agency's files for the network's staff (its guide, a pamphlet), not about a person"),
    ("agency_document_contents", "the content of those files"),
    ("programs", "the program document's programs"),
    ("indicators", "what each program is measured by"),
    ("program_cells", "the program document's result cells, as written"),
    ("figures", "counts of the programs' indicators per fiscal year, never a person"),
    (
        "journey_counts",
        "counts of placements, separations, support records and referrals per fiscal year and kind of agency, never a person",
    ),
    ("agency_journey_counts", "the same counts per agency, never a person"),
    ("retention_groups", "the groups of the retention analysis"),
    ("retention_ended", "counts of ended placements per group and duration, never a person"),
    ("retention_held", "counts of placements still held per group and day, never a person"),
];

/// Everything held about a person, as gathered for the disclosure.
#[derive(Debug, Clone)]
pub struct Disclosure {
    /// When it was compiled.
    pub compiled_at: OffsetDateTime,
    /// The person.
    pub person: Person,
    /// Records linked as possibly the same person.
    pub links: Vec<PersonId>,
    /// Cases.
    pub cases: Vec<CaseRecord>,
    /// Consents, each with the recipient's name.
    pub consents: Vec<(ConsentRecord, String)>,
    /// Provisions to third parties, each with the recipient's name.
    pub provisions: Vec<(Provision, String)>,
    /// The journey: every stage change, support record, plan and follow-up.
    pub journey: Journey,
    /// Referrals of the person.
    pub referrals: Vec<Referral>,
    /// Documents attached to the person, removed ones included.
    pub documents: Vec<Document>,
    /// Names of every agency the record, its cases, journey and referrals name.
    pub agency_names: Vec<(AgencyId, String)>,
    /// Names of the employers the placements name.
    pub employer_names: Vec<(tsunagu_domain::employer::EmployerId, String)>,
    /// Internships and tours the person was placed into, with the slot and the employer's name.
    pub bookings: Vec<(tsunagu_domain::internship::Booking, tsunagu_domain::internship::Slot, String)>,
    /// The person's enrolment at a special-needs school, with the school's name.
    pub enrolment: Option<(tsunagu_domain::school::Enrolment, String)>,
    /// Job coaching: each dispatch with its employer's name and its days, each day with its
    /// coach's name, and the names of every coach of the dispatches.
    pub coaching: Vec<(tsunagu_domain::coaching::Dispatch, String, Vec<tsunagu_domain::coaching::CoachDay>)>,
    /// The coaches named in [`Disclosure::coaching`].
    pub coach_names: Vec<(tsunagu_domain::coaching::CoachId, String)>,
    /// Trial employment: each trial with its employer's name and its weeks.
    pub trials: Vec<(tsunagu_domain::trial::Trial, String, Vec<tsunagu_domain::trial::TrialWeek>)>,
    /// Participations in the トライワークプロジェクト.
    pub trywork: Vec<tsunagu_domain::trywork::Participation>,
    /// Work-transition checklists, the earliest first.
    pub checklists: Vec<tsunagu_domain::checklist::Checklist>,
    /// Results of the work samples (MWS), the latest first.
    pub work_samples: Vec<tsunagu_domain::mws::MwsResult>,
    /// Assessment sheets, the latest begun first.
    pub assessment_sheets: Vec<tsunagu_domain::assessment::Assessment>,
    /// The 就労パスポート, once begun.
    pub passport: Option<tsunagu_domain::passport::Passport>,
    /// Sign-ups to events, with their events.
    pub events: Vec<(tsunagu_domain::event::Signup, tsunagu_domain::event::Event)>,
    /// Return to work: each plan with its employer's name.
    pub return_plans: Vec<(tsunagu_domain::rework::ReturnPlan, String)>,
    /// The person's job-search conditions (希望条件), if recorded, with their areas' names.
    pub preferences: Option<(tsunagu_domain::preferences::JobPreferences, Vec<String>)>,
    /// Audit entries about the person, oldest first.
    pub access_log: Vec<AuditEntry>,
}

impl Disclosure {
    /// A coach's name, or empty when they are gone.
    pub fn coach_name(&self, id: tsunagu_domain::coaching::CoachId) -> String {
        self.coach_names.iter().find(|(c, _)| *c == id).map(|(_, n)| n.clone()).unwrap_or_default()
    }

    /// The name of agency `id`, as the directory has it.
    pub fn agency_name(&self, id: AgencyId) -> &str {
        self.agency_names.iter().find(|(a, _)| *a == id).map_or("", |(_, n)| n.as_str())
    }

    /// The public document.
    pub fn document(&self) -> DisclosureDocument {
        let f = &self.person.fields;
        let agency = |id: AgencyId| self.agency_name(id).to_owned();
        DisclosureDocument {
            version: DISCLOSURE_VERSION,
            compiled_at: rfc3339(self.compiled_at),
            person: PersonSection {
                id: self.person.id.0.to_string(),
                name: f.name.clone(),
                name_kana: f.name_kana.clone(),
                birth_date: f.birth_date.to_string(),
                phone: f.phone.clone(),
                email: f.email.clone(),
                address: f.address.clone(),
                disability_categories: f.categories.iter().map(|c| c.code().to_owned()).collect(),
                certificates: f.certificates.iter().map(|c| c.code()).collect(),
                accommodations: f.accommodations.clone(),
                health_notes: f.health_notes.clone(),
                preferred_hours_per_week: f.preferred_hours,
                preferred_area: f.preferred_area.clone(),
                emergency_contact: f.emergency_contact.clone(),
                emergency_phone: f.emergency_phone.clone(),
                registered_by: agency(self.person.registered_by),
                registered_at: rfc3339(self.person.created_at),
                updated_at: rfc3339(self.person.updated_at),
                linked_records: self.links.iter().map(|l| l.0.to_string()).collect(),
            },
            cases: self
                .cases
                .iter()
                .map(|c| CaseSection {
                    agency: agency(c.agency),
                    opened_on: c.opened_on.to_string(),
                    closed_on: c.closed_on.map(|d| d.to_string()),
                })
                .collect(),
            consents: self
                .consents
                .iter()
                .map(|(r, name)| ConsentSection {
                    id: r.consent.id.0.to_string(),
                    recipient: RecipientSection::of(&r.consent.recipient, name),
                    purposes: r.consent.purposes.iter().map(|p| p.code().to_owned()).collect(),
                    data_categories: r.consent.categories.iter().map(|c| c.code().to_owned()).collect(),
                    valid_from: r.consent.valid_from.to_string(),
                    valid_to: r.consent.valid_to.map(|d| d.to_string()),
                    withdrawn_at: r.consent.revoked_at.map(rfc3339),
                    evidence: r.evidence.code().to_owned(),
                    evidence_note: r.evidence_note.clone(),
                    recorded_at: rfc3339(r.recorded_at),
                })
                .collect(),
            provisions: self
                .provisions
                .iter()
                .map(|(p, name)| ProvisionSection {
                    at: rfc3339(p.at),
                    recipient: RecipientSection::of(&p.recipient, name),
                    items: p.items.clone(),
                    consent: p.consent.0.to_string(),
                })
                .collect(),
            stages: self.journey.stages.iter().map(|s| StageSection::of(s, agency(s.agency))).collect(),
            support_records: self
                .journey
                .records
                .iter()
                .map(|r| SupportRecordSection::of(r, agency(r.agency)))
                .collect(),
            plans: self.journey.plans.iter().map(|p| PlanSection::of(p, agency(p.agency))).collect(),
            follow_ups: self.journey.follow_ups.iter().map(|f| FollowUpSection::of(f, agency(f.agency))).collect(),
            placements: self
                .journey
                .placements
                .iter()
                .map(|p| {
                    let employer = self
                        .employer_names
                        .iter()
                        .find(|(e, _)| *e == p.fields.employer)
                        .map_or_else(String::new, |(_, n)| n.clone());
                    PlacementSection::of(p, agency(p.agency), employer)
                })
                .collect(),
            internships: self
                .bookings
                .iter()
                .map(|(b, s, employer)| BookingSection {
                    agency: agency(b.agency),
                    employer: employer.clone(),
                    kind: s.fields.kind.code().to_owned(),
                    title: s.fields.title.clone(),
                    first_day: s.fields.starts_on.to_string(),
                    last_day: s.fields.ends_on.to_string(),
                    booked_at: rfc3339(b.booked_at),
                    outcome: b.outcome.as_ref().map(|o| o.outcome.code().to_owned()),
                    outcome_note: b.outcome.as_ref().map(|o| o.note.clone()),
                    insurance_subsidy: b.outcome.as_ref().is_some_and(|o| o.insurance_subsidy),
                    employer_grant: b.outcome.as_ref().is_some_and(|o| o.employer_grant),
                })
                .collect(),
            school: self.enrolment.as_ref().map(|(e, school)| SchoolSection {
                school: school.clone(),
                department: e.fields.department.code().to_owned(),
                entered_year: e.fields.entered.0,
                graduated_on: e.fields.graduated_on.map(|d| d.to_string()),
                recorded_at: rfc3339(e.updated_at),
            }),
            coaching: self
                .coaching
                .iter()
                .map(|(d, employer, days)| {
                    let f = &d.fields;
                    let coach = |id| self.coach_name(id);
                    let phase = |i: usize| PhaseSection {
                        until: f.phases[i].until.to_string(),
                        visits_a_month: f.phases[i].visits_a_month,
                    };
                    let day = |d: Option<time::Date>| d.map(|d| d.to_string());
                    DispatchSection {
                        agency: self.agency_name(d.agency).to_owned(),
                        employer: employer.clone(),
                        coaches: f.coaches.iter().map(|c| coach(*c)).collect(),
                        starts_on: f.starts_on.to_string(),
                        intensive: phase(0),
                        transition: phase(1),
                        follow_up: phase(2),
                        person_agreed_on: day(f.person_agreed_on),
                        employer_agreed_on: day(f.employer_agreed_on),
                        goals: f.goals.clone(),
                        transition_began_on: day(f.transition_began_on),
                        follow_up_began_on: day(f.follow_up_began_on),
                        ended_on: day(f.ended_on),
                        days: days
                            .iter()
                            .map(|day| CoachDaySection {
                                on: day.on.to_string(),
                                coach: coach(day.coach),
                                minutes: day.minutes,
                                activities: day.activities.iter().map(|a| a.code().to_owned()).collect(),
                                note: day.note.clone(),
                            })
                            .collect(),
                    }
                })
                .collect(),
            trials: self
                .trials
                .iter()
                .map(|(t, employer, weeks)| {
                    let f = &t.fields;
                    TrialSection {
                        agency: self.agency_name(t.agency).to_owned(),
                        employer: employer.clone(),
                        course: f.course.code().to_owned(),
                        job: f.job.clone(),
                        starts_on: f.starts_on.to_string(),
                        planned_until: f.planned_until.to_string(),
                        weekly_hours: f
                            .steps
                            .iter()
                            .map(|s| HoursStepSection { from: s.from.to_string(), minutes: s.minutes })
                            .collect(),
                        ended_on: f.ended_on.map(|d| d.to_string()),
                        outcome: f.outcome.map(|o| o.code().to_owned()),
                        outcome_note: f.outcome_note.clone(),
                        grants: f
                            .grants
                            .iter()
                            .map(|g| GrantSection {
                                decided_on: g.decided_on.to_string(),
                                months: g.months,
                                amount_yen: g.amount_yen,
                            })
                            .collect(),
                        weeks: weeks
                            .iter()
                            .map(|w| TrialWeekSection { week_of: w.week_of.to_string(), minutes: w.minutes })
                            .collect(),
                    }
                })
                .collect(),
            events: self
                .events
                .iter()
                .map(|(signup, event)| EventSignupSection {
                    event: event.fields.title.clone(),
                    organiser: self.agency_name(event.organiser).to_owned(),
                    starts_on: event.fields.starts_on.to_string(),
                    signed_up_at: rfc3339(signup.signed_up_at),
                    signed_up_by_agency: signup.agency.map(|a| self.agency_name(a).to_owned()),
                    status: signup.status.code().to_owned(),
                    promoted_at: signup.promoted_at.map(rfc3339),
                    cancelled_at: signup.cancelled_at.map(rfc3339),
                    attended: event
                        .fields
                        .sessions
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| signup.attended(*i))
                        .map(|(_, s)| s.date.to_string())
                        .collect(),
                })
                .collect(),
            assessment_sheets: self
                .assessment_sheets
                .iter()
                .map(|a| AssessmentSection {
                    agency: self.agency_name(a.agency).to_owned(),
                    started_on: a.fields.started_on.to_string(),
                    answers: tsunagu_domain::assessment::items()
                        .iter()
                        .filter_map(|i| {
                            let (person, supporter) = (a.fields.person.get(i.code), a.fields.supporter.get(i.code));
                            (person.is_some() || supporter.is_some()).then(|| AssessmentAnswerSection {
                                item: i.code.to_owned(),
                                text: i.text.to_owned(),
                                person: person.cloned().unwrap_or_default(),
                                supporter: supporter.cloned().unwrap_or_default(),
                            })
                        })
                        .collect(),
                })
                .collect(),
            passport: self.passport.as_ref().map(|p| PassportSection {
                sections: tsunagu_domain::passport::SECTIONS
                    .iter()
                    .map(|s| PassportSectionPart {
                        section: s.title.to_owned(),
                        given: p.fields.shown.contains(s.code),
                        answers: tsunagu_domain::passport::items()
                            .iter()
                            .filter(|i| i.section == s.code)
                            .filter_map(|i| {
                                p.fields.answers.get(i.code).map(|a| PassportAnswerSection {
                                    item: i.code.to_owned(),
                                    text: i.text.to_owned(),
                                    answer: a.clone(),
                                })
                            })
                            .collect(),
                    })
                    .collect(),
            }),
            work_samples: self
                .work_samples
                .iter()
                .map(|r| {
                    let f = &r.fields;
                    WorkSampleSection {
                        agency: self.agency_name(r.agency).to_owned(),
                        done_on: f.done_on.to_string(),
                        edition: f.edition.code().to_owned(),
                        task: f.task.clone(),
                        level: f.level,
                        trials: f.trials,
                        correct: f.correct,
                        minutes: f.minutes,
                        notes: f.notes.clone(),
                    }
                })
                .collect(),
            checklists: self
                .checklists
                .iter()
                .map(|k| ChecklistSection {
                    agency: self.agency_name(k.agency).to_owned(),
                    assessed_on: k.fields.assessed_on.to_string(),
                    answers: k
                        .fields
                        .answers
                        .iter()
                        .map(|a| ChecklistAnswerSection {
                            item: a.item.clone(),
                            name: tsunagu_domain::checklist::item(&a.item)
                                .map(|i| i.name)
                                .unwrap_or_default()
                                .to_owned(),
                            rating: a.rating.code(),
                            comment: a.comment.clone(),
                        })
                        .collect(),
                    note: k.fields.note.clone(),
                })
                .collect(),
            trywork: self
                .trywork
                .iter()
                .map(|p| {
                    let f = &p.fields;
                    TryWorkSection {
                        agency: self.agency_name(p.agency).to_owned(),
                        course: f.course.code().to_owned(),
                        track: f.track.code().to_owned(),
                        starts_on: f.starts_on.to_string(),
                        planned_until: f.planned_until.to_string(),
                        ended_on: f.ended_on.map(|d| d.to_string()),
                        outcome: f.outcome.map(|o| o.code().to_owned()),
                        note: f.note.clone(),
                    }
                })
                .collect(),
            return_to_work: self
                .return_plans
                .iter()
                .map(|(r, employer)| {
                    let f = &r.fields;
                    let day = |d: Option<time::Date>| d.map(|d| d.to_string());
                    ReturnPlanSection {
                        agency: self.agency_name(r.agency).to_owned(),
                        employer: employer.clone(),
                        employer_contact: f.employer_contact.clone(),
                        doctor: f.doctor.clone(),
                        leave_began_on: f.leave_began_on.to_string(),
                        coordination_began_on: f.coordination_began_on.to_string(),
                        person_agreed_on: day(f.person_agreed_on),
                        employer_agreed_on: day(f.employer_agreed_on),
                        doctor_agreed_on: day(f.doctor_agreed_on),
                        activities: f.activities.clone(),
                        warm_up: tsunagu_domain::rework::WarmUp::ALL
                            .iter()
                            .zip(f.phases)
                            .map(|(w, p)| WarmUpSection {
                                phase: w.code().to_owned(),
                                from: p.from.to_string(),
                                until: p.until.to_string(),
                            })
                            .collect(),
                        support_began_on: day(f.support_began_on),
                        returned_on: day(f.returned_on),
                        ended_on: day(f.ended_on),
                        outcome: f.outcome.map(|o| o.code().to_owned()),
                        outcome_note: f.outcome_note.clone(),
                    }
                })
                .collect(),
            job_preferences: self.preferences.as_ref().map(|(p, _)| PreferencesSection {
                areas: p.fields.areas.iter().map(|a| a.as_str().to_owned()).collect(),
                needs: p.fields.needs.iter().map(|n| n.code().to_owned()).collect(),
                note: p.fields.note.clone(),
                recorded_at: rfc3339(p.updated_at),
            }),
            referrals: self
                .referrals
                .iter()
                .map(|r| ReferralSection {
                    from_agency: agency(r.from),
                    to_agency: agency(r.to),
                    note: r.note.clone(),
                    state: r.state.code().to_owned(),
                    reason: r.reason.clone(),
                    sent_at: rfc3339(r.sent_at),
                    updated_at: rfc3339(r.updated_at),
                })
                .collect(),
            documents: self.documents.iter().map(|d| DocumentSection::of(d, agency(d.agency))).collect(),
            access_log: self
                .access_log
                .iter()
                .map(|e| AccessSection {
                    seq: e.seq,
                    at: OffsetDateTime::from_unix_timestamp_nanos(i128::from(e.event.at_micros) * 1000)
                        .map(rfc3339)
                        .unwrap_or_default(),
                    who: e.event.actor_label.clone(),
                    action: e.event.action.code().to_owned(),
                    record: e.event.record.clone(),
                    fields: e.event.fields.clone(),
                    basis: e.event.basis.clone(),
                })
                .collect(),
        }
    }
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

/// Everything Tsunagu holds about a person (開示), version [`DISCLOSURE_VERSION`]. Dates are
/// ISO 8601 (`YYYY-MM-DD`), times RFC 3339 in UTC; codes are those of the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DisclosureDocument {
    /// [`DISCLOSURE_VERSION`].
    pub version: u32,
    /// When it was compiled.
    pub compiled_at: String,
    /// The record.
    pub person: PersonSection,
    /// Cases at agencies.
    pub cases: Vec<CaseSection>,
    /// Consents given, in force or not.
    pub consents: Vec<ConsentSection>,
    /// Provisions to third parties (第三者提供記録).
    pub provisions: Vec<ProvisionSection>,
    /// Every stage change of the journey.
    pub stages: Vec<StageSection>,
    /// Every support record.
    pub support_records: Vec<SupportRecordSection>,
    /// Support plans with their reviews.
    pub plans: Vec<PlanSection>,
    /// Retention follow-ups.
    pub follow_ups: Vec<FollowUpSection>,
    /// Jobs held (就職): where, from when, and how they ended.
    pub placements: Vec<PlacementSection>,
    /// Internships and company tours (職場体験実習, 現場実習, 企業見学).
    pub internships: Vec<BookingSection>,
    /// Their enrolment at a special-needs school, if one recorded it.
    pub school: Option<SchoolSection>,
    /// Job coaching: the dispatches and the days coaches worked on them.
    pub coaching: Vec<DispatchSection>,
    /// Trial employment (トライアル雇用): the plans, the hours worked week by week, the outcomes
    /// and the grants decided.
    pub trials: Vec<TrialSection>,
    /// Return to work (職場復帰支援): the three parties, their agreement, the warm-up and the
    /// outcome.
    pub return_to_work: Vec<ReturnPlanSection>,
    /// Participations in the トライワークプロジェクト (program 9-4).
    pub trywork: Vec<TryWorkSection>,
    /// Work-transition checklists (就労移行支援のためのチェックリスト), the earliest first.
    pub checklists: Vec<ChecklistSection>,
    /// Results of the work samples (ワークサンプル幕張版), the latest first.
    pub work_samples: Vec<WorkSampleSection>,
    /// Assessment sheets (就労支援のためのアセスメントシート), both sides' answers.
    pub assessment_sheets: Vec<AssessmentSection>,
    /// The 就労パスポート: each section, whether the person chose to put it in, and its answers.
    pub passport: Option<PassportSection>,
    /// Sign-ups to events (seminars, trainings, tours): the event, the seat or the place in
    /// line, a cancellation and the sessions attended.
    pub events: Vec<EventSignupSection>,
    /// Their job-search conditions (希望条件), if recorded.
    pub job_preferences: Option<PreferencesSection>,
    /// Referrals between agencies.
    pub referrals: Vec<ReferralSection>,
    /// Documents attached (their files are in the ZIP).
    pub documents: Vec<DocumentSection>,
    /// Every audit entry about the person: who read or changed what, when, on what basis.
    pub access_log: Vec<AccessSection>,
}

/// The record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PersonSection {
    /// 本人ID.
    pub id: String,
    /// 氏名.
    pub name: String,
    /// ふりがな.
    pub name_kana: String,
    /// 生年月日.
    pub birth_date: String,
    /// 電話.
    pub phone: Option<String>,
    /// メール.
    pub email: Option<String>,
    /// 住所.
    pub address: Option<String>,
    /// 障害種別 (codes).
    pub disability_categories: Vec<String>,
    /// 障害者手帳 (codes).
    pub certificates: Vec<String>,
    /// 合理的配慮.
    pub accommodations: Option<String>,
    /// 健康・医療.
    pub health_notes: Option<String>,
    /// 希望勤務時間（週）.
    pub preferred_hours_per_week: Option<u8>,
    /// 希望勤務地.
    pub preferred_area: Option<String>,
    /// Whom to call in an emergency.
    pub emergency_contact: Option<String>,
    /// Their phone.
    pub emergency_phone: Option<String>,
    /// The agency that registered the record.
    pub registered_by: String,
    /// When.
    pub registered_at: String,
    /// Last change.
    pub updated_at: String,
    /// Records linked as possibly the same person (their ids).
    pub linked_records: Vec<String>,
}

/// A case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseSection {
    /// The agency.
    pub agency: String,
    /// Opened.
    pub opened_on: String,
    /// Closed.
    pub closed_on: Option<String>,
}

/// Whom a consent or provision names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecipientSection {
    /// `agency`, `block` or `employer`.
    pub kind: String,
    /// Its name.
    pub name: String,
}

impl RecipientSection {
    fn of(recipient: &Recipient, name: &str) -> Self {
        Self { kind: recipient.parts().0.to_owned(), name: name.to_owned() }
    }
}

/// A consent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsentSection {
    /// Id.
    pub id: String,
    /// To whom.
    pub recipient: RecipientSection,
    /// For what (codes).
    pub purposes: Vec<String>,
    /// Which data (codes).
    pub data_categories: Vec<String>,
    /// From.
    pub valid_from: String,
    /// Until.
    pub valid_to: Option<String>,
    /// Withdrawn.
    pub withdrawn_at: Option<String>,
    /// How it was given (code).
    pub evidence: String,
    /// Where the form is kept, who witnessed.
    pub evidence_note: String,
    /// When it was recorded.
    pub recorded_at: String,
}

/// A provision to a third party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvisionSection {
    /// When.
    pub at: String,
    /// To whom.
    pub recipient: RecipientSection,
    /// Which items.
    pub items: Vec<String>,
    /// On which consent (its id).
    pub consent: String,
}

/// A stage change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StageSection {
    /// The stage (code).
    pub stage: String,
    /// Since.
    pub on: String,
    /// Recorded by this agency.
    pub agency: String,
    /// Why.
    pub reason: String,
    /// When it was recorded.
    pub recorded_at: String,
}

impl StageSection {
    fn of(s: &StageChange, agency: String) -> Self {
        Self {
            stage: s.stage.code().to_owned(),
            on: s.on.to_string(),
            agency,
            reason: s.reason.clone(),
            recorded_at: rfc3339(s.recorded_at),
        }
    }
}

/// A support record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupportRecordSection {
    /// The day.
    pub date: String,
    /// The agency.
    pub agency: String,
    /// The staff member.
    pub staff: String,
    /// What kind of support (code).
    pub kind: String,
    /// Minutes.
    pub minutes: u32,
    /// What was done.
    pub note: String,
    /// The next action.
    pub next_action: Option<String>,
    /// By when.
    pub next_action_on: Option<String>,
    /// When it was written down.
    pub recorded_at: String,
}

impl SupportRecordSection {
    fn of(r: &SupportRecord, agency: String) -> Self {
        let f = &r.fields;
        Self {
            date: f.date.to_string(),
            agency,
            staff: r.staff_name.clone(),
            kind: f.kind.code().to_owned(),
            minutes: f.minutes,
            note: f.note.clone(),
            next_action: f.next_action.clone(),
            next_action_on: f.next_action_on.map(|d| d.to_string()),
            recorded_at: rfc3339(r.recorded_at),
        }
    }
}

/// A support plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanSection {
    /// The agency.
    pub agency: String,
    /// The goal.
    pub goal: String,
    /// The actions.
    pub actions: String,
    /// Who does them.
    pub owner: String,
    /// The next review (none once ended).
    pub review_on: Option<String>,
    /// How it ended (code).
    pub outcome: Option<String>,
    /// When it was made.
    pub created_at: String,
    /// Its reviews, oldest first.
    pub reviews: Vec<ReviewSection>,
}

impl PlanSection {
    fn of(p: &SupportPlan, agency: String) -> Self {
        Self {
            agency,
            goal: p.fields.goal.clone(),
            actions: p.fields.actions.clone(),
            owner: p.fields.owner.clone(),
            review_on: p.review_on.map(|d| d.to_string()),
            outcome: p.outcome.map(|o| o.code().to_owned()),
            created_at: rfc3339(p.created_at),
            reviews: p
                .reviews
                .iter()
                .map(|r| ReviewSection {
                    reviewed_on: r.reviewed_on.to_string(),
                    note: r.fields.note.clone(),
                    outcome: r.fields.outcome.code().to_owned(),
                    next_review_on: r.fields.next_review_on.map(|d| d.to_string()),
                })
                .collect(),
        }
    }
}

/// A review of a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReviewSection {
    /// The day.
    pub reviewed_on: String,
    /// What it found.
    pub note: String,
    /// Continue, revise, achieved or ended (code).
    pub outcome: String,
    /// The next review.
    pub next_review_on: Option<String>,
}

/// A retention follow-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FollowUpSection {
    /// The agency.
    pub agency: String,
    /// The placement it follows.
    pub placed_on: String,
    /// Due.
    pub due_on: String,
    /// Done.
    pub done_on: Option<String>,
    /// What was noted when it was done.
    pub note: Option<String>,
    /// Closed undone when the placement ended.
    pub closed_on: Option<String>,
}

impl FollowUpSection {
    fn of(f: &FollowUp, agency: String) -> Self {
        Self {
            agency,
            placed_on: f.placed_on.to_string(),
            due_on: f.due_on.to_string(),
            done_on: f.done.map(|(on, _)| on.to_string()),
            note: f.note.clone(),
            closed_on: f.closed_on.map(|on| on.to_string()),
        }
    }
}

/// A placement (就職).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlacementSection {
    /// The agency that recorded it.
    pub agency: String,
    /// The employer.
    pub employer: String,
    /// The opening it came through, if any (its id).
    pub opening: Option<String>,
    /// 職種.
    pub job_title: String,
    /// The first day of work.
    pub starts_on: String,
    /// Hours a week.
    pub hours_per_week: u8,
    /// 一般, 特例子会社 or A型 (code).
    pub kind: String,
    /// The last day of work, once it ended.
    pub ended_on: Option<String>,
    /// Why it ended (code).
    pub end_reason: Option<String>,
    /// What was noted on the end.
    pub end_note: Option<String>,
    /// When it was recorded.
    pub recorded_at: String,
}

impl PlacementSection {
    fn of(p: &tsunagu_domain::placement::Placement, agency: String, employer: String) -> Self {
        let f = &p.fields;
        Self {
            agency,
            employer,
            opening: f.opening.map(|o| o.0.to_string()),
            job_title: f.job_title.clone(),
            starts_on: f.starts_on.to_string(),
            hours_per_week: f.hours,
            kind: f.kind.code().to_owned(),
            ended_on: p.end.as_ref().map(|e| e.ended_on.to_string()),
            end_reason: p.end.as_ref().map(|e| e.reason.code().to_owned()),
            end_note: p.end.as_ref().map(|e| e.note.clone()),
            recorded_at: rfc3339(p.created_at),
        }
    }
}

/// An internship or tour the person was placed into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BookingSection {
    /// The agency that placed them.
    pub agency: String,
    /// The employer.
    pub employer: String,
    /// Internship, school training or tour (code).
    pub kind: String,
    /// What it was.
    pub title: String,
    /// The first day.
    pub first_day: String,
    /// The last day.
    pub last_day: String,
    /// When they were placed into it.
    pub booked_at: String,
    /// How it went (code), once recorded.
    pub outcome: Option<String>,
    /// The agency's note on it.
    pub outcome_note: Option<String>,
    /// The insurance premium was subsidised.
    pub insurance_subsidy: bool,
    /// The employer was granted for it.
    pub employer_grant: bool,
}

/// An enrolment at a special-needs school.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SchoolSection {
    /// The school.
    pub school: String,
    /// The department (code).
    pub department: String,
    /// The fiscal year entered.
    pub entered_year: i32,
    /// The day they graduated, once they did.
    pub graduated_on: Option<String>,
    /// When it was last written.
    pub recorded_at: String,
}

/// A job coach's dispatch (支援計画).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DispatchSection {
    /// The agency whose coaches went.
    pub agency: String,
    /// The employer.
    pub employer: String,
    /// The coaches.
    pub coaches: Vec<String>,
    /// The first day of support.
    pub starts_on: String,
    /// 集中支援期 as planned.
    pub intensive: PhaseSection,
    /// 移行支援期 as planned.
    pub transition: PhaseSection,
    /// フォローアップ as planned.
    pub follow_up: PhaseSection,
    /// The day the person agreed to the plan.
    pub person_agreed_on: Option<String>,
    /// The day the employer agreed to it.
    pub employer_agreed_on: Option<String>,
    /// 支援目標.
    pub goals: String,
    /// The day the transition phase began.
    pub transition_began_on: Option<String>,
    /// The day the follow-up began.
    pub follow_up_began_on: Option<String>,
    /// The day support ended.
    pub ended_on: Option<String>,
    /// The days coaches worked on it, the latest first.
    pub days: Vec<CoachDaySection>,
}

/// A phase as planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PhaseSection {
    /// Its last day.
    pub until: String,
    /// Visits a month.
    pub visits_a_month: u8,
}

/// A day a coach worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CoachDaySection {
    /// The day.
    pub on: String,
    /// The coach.
    pub coach: String,
    /// Minutes worked.
    pub minutes: u16,
    /// What was done (codes).
    pub activities: Vec<String>,
    /// The note.
    pub note: String,
}

/// A trial employment (トライアル雇用).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrialSection {
    /// The agency that arranged it.
    pub agency: String,
    /// The employer.
    pub employer: String,
    /// The course (code).
    pub course: String,
    /// 仕事内容.
    pub job: String,
    /// The first day.
    pub starts_on: String,
    /// The last day planned.
    pub planned_until: String,
    /// The weekly hours planned: from the start, then each rise.
    pub weekly_hours: Vec<HoursStepSection>,
    /// The day it ended.
    pub ended_on: Option<String>,
    /// How it ended (code).
    pub outcome: Option<String>,
    /// A note on the outcome.
    pub outcome_note: String,
    /// The grants decided (支給決定).
    pub grants: Vec<GrantSection>,
    /// The hours worked, week by week.
    pub weeks: Vec<TrialWeekSection>,
}

/// Weekly hours planned from a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HoursStepSection {
    /// The first day.
    pub from: String,
    /// Minutes a week.
    pub minutes: u16,
}

/// A grant decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GrantSection {
    /// The day of the decision.
    pub decided_on: String,
    /// The months it pays for.
    pub months: u8,
    /// The amount, in yen.
    pub amount_yen: u32,
}

/// The hours worked in a week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TrialWeekSection {
    /// The week's Monday.
    pub week_of: String,
    /// Minutes worked.
    pub minutes: u16,
}

/// An assessment sheet: each item answered, with the person's and the supporter's answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentSection {
    /// The agency whose staff fill it in with the person.
    pub agency: String,
    /// The day it was begun.
    pub started_on: String,
    /// The items answered by either side.
    pub answers: Vec<AssessmentAnswerSection>,
}

/// One item of an assessment sheet, both sides' answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssessmentAnswerSection {
    /// The item's code.
    pub item: String,
    /// Its wording.
    pub text: String,
    /// The person's answer.
    pub person: String,
    /// The supporter's answer.
    pub supporter: String,
}

/// The 就労パスポート, section by section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PassportSection {
    /// The seven sections, in the order of the form.
    pub sections: Vec<PassportSectionPart>,
}

/// A section of the passport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PassportSectionPart {
    /// Its title.
    pub section: String,
    /// The person chose to put it in: it goes with the passport when given.
    pub given: bool,
    /// Its items answered.
    pub answers: Vec<PassportAnswerSection>,
}

/// One answer of the passport.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PassportAnswerSection {
    /// The item's code.
    pub item: String,
    /// Its wording.
    pub text: String,
    /// The answer.
    pub answer: String,
}

/// A result of the work samples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WorkSampleSection {
    /// The agency that recorded it.
    pub agency: String,
    /// The day.
    pub done_on: String,
    /// 簡易版 (`brief`) or 訓練版 (`training`).
    pub edition: String,
    /// The task.
    pub task: String,
    /// The level.
    pub level: u8,
    /// How many trials.
    pub trials: u16,
    /// How many came out right.
    pub correct: u16,
    /// How long, in minutes.
    pub minutes: u16,
    /// What was seen.
    pub notes: String,
}

/// A work-transition checklist gone through with the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistSection {
    /// The agency whose staff went through it.
    pub agency: String,
    /// The day.
    pub assessed_on: String,
    /// Every item's answer, in the form's order.
    pub answers: Vec<ChecklistAnswerSection>,
    /// A note on the whole.
    pub note: String,
}

/// One item of a checklist as answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChecklistAnswerSection {
    /// The item's code on the form (I-1).
    pub item: String,
    /// Its name (起床).
    pub name: String,
    /// The level (1 is the best) or `na` (該当なし).
    pub rating: String,
    /// What was noticed.
    pub comment: String,
}

/// A participation in the トライワークプロジェクト.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TryWorkSection {
    /// The agency that recorded it.
    pub agency: String,
    /// The course (code).
    pub course: String,
    /// The track (code).
    pub track: String,
    /// The first day.
    pub starts_on: String,
    /// The last day planned.
    pub planned_until: String,
    /// The day it ended.
    pub ended_on: Option<String>,
    /// How it ended (code).
    pub outcome: Option<String>,
    /// A note.
    pub note: String,
}

/// A sign-up to an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EventSignupSection {
    /// The event's title.
    pub event: String,
    /// The organising agency.
    pub organiser: String,
    /// The event's first day.
    pub starts_on: String,
    /// When the sign-up was made.
    pub signed_up_at: String,
    /// The agency of the staff member who made it, if one did.
    pub signed_up_by_agency: Option<String>,
    /// Where it stands (code: confirmed, waitlisted, cancelled).
    pub status: String,
    /// When a seat came free for it.
    pub promoted_at: Option<String>,
    /// When it was cancelled.
    pub cancelled_at: Option<String>,
    /// The days of the sessions attended.
    pub attended: Vec<String>,
}

/// A return-to-work plan (リワーク).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnPlanSection {
    /// The centre.
    pub agency: String,
    /// The employer.
    pub employer: String,
    /// The employer's contact.
    pub employer_contact: String,
    /// The attending doctor.
    pub doctor: String,
    /// The day the leave began.
    pub leave_began_on: String,
    /// The day the coordinator began.
    pub coordination_began_on: String,
    /// The day the person agreed.
    pub person_agreed_on: Option<String>,
    /// The day the employer agreed.
    pub employer_agreed_on: Option<String>,
    /// The day the doctor agreed.
    pub doctor_agreed_on: Option<String>,
    /// The activities and schedule agreed.
    pub activities: String,
    /// The warm-up's phases as planned.
    pub warm_up: Vec<WarmUpSection>,
    /// The day the warm-up began.
    pub support_began_on: Option<String>,
    /// The day the person went back to work.
    pub returned_on: Option<String>,
    /// The day the support ended.
    pub ended_on: Option<String>,
    /// How it ended (code).
    pub outcome: Option<String>,
    /// A note on the outcome.
    pub outcome_note: String,
}

/// A warm-up phase as planned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WarmUpSection {
    /// `rhythm`, `stress` or `adjustment`.
    pub phase: String,
    /// Its first day.
    pub from: String,
    /// Its last day.
    pub until: String,
}

/// Job-search conditions (希望条件).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreferencesSection {
    /// Municipalities they can commute to (全国地方公共団体コード).
    pub areas: Vec<String>,
    /// Accommodations they need (codes).
    pub needs: Vec<String>,
    /// In their words.
    pub note: Option<String>,
    /// When they were last written.
    pub recorded_at: String,
}

/// A referral.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReferralSection {
    /// The sending agency.
    pub from_agency: String,
    /// The receiving agency.
    pub to_agency: String,
    /// What was asked.
    pub note: String,
    /// Where it stands (code).
    pub state: String,
    /// Why it was declined.
    pub reason: Option<String>,
    /// Sent.
    pub sent_at: String,
    /// Last change.
    pub updated_at: String,
}

/// A document attached to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentSection {
    /// Its id (the ZIP's file is named after it).
    pub id: String,
    /// The agency that attached it.
    pub agency: String,
    /// What it is (code).
    pub kind: String,
    /// Its title.
    pub title: String,
    /// Its file's name.
    pub file_name: String,
    /// Its media type.
    pub media_type: String,
    /// Its size in bytes.
    pub size: u64,
    /// SHA-256 of the file, hex.
    pub sha256: String,
    /// The consent whose signed form it is.
    pub consent: Option<String>,
    /// Attached.
    pub uploaded_at: String,
    /// Removed (its file is no longer held).
    pub removed_at: Option<String>,
}

impl DocumentSection {
    fn of(d: &Document, agency: String) -> Self {
        Self {
            id: d.id.0.to_string(),
            agency,
            kind: d.kind.code().to_owned(),
            title: d.title.clone(),
            file_name: d.file_name.clone(),
            media_type: d.file_type.media_type().to_owned(),
            size: d.size,
            sha256: d.sha256.clone(),
            consent: d.consent.map(|c| c.0.to_string()),
            uploaded_at: rfc3339(d.uploaded_at),
            removed_at: d.removed_at.map(rfc3339),
        }
    }

    /// Where the file stands in the ZIP.
    pub fn zip_path(d: &Document) -> String {
        format!("documents/{}-{}", d.id.0, d.file_name)
    }
}

/// An audit entry about the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessSection {
    /// Its place in the log.
    pub seq: i64,
    /// When.
    pub at: String,
    /// Who (login).
    pub who: String,
    /// What they did (code).
    pub action: String,
    /// Which record.
    pub record: String,
    /// Which fields.
    pub fields: Vec<String>,
    /// On what basis.
    pub basis: String,
}

impl App {
    /// Who read or changed the person's record: for the person themself, and for administrators
    /// answering a request. Newest first.
    pub async fn access_log(
        &self,
        actor: &Account,
        id: PersonId,
        before: Option<i64>,
    ) -> Result<Vec<AuditEntry>, AppError> {
        self.may_disclose(actor, id).await?;
        let query = AuditQuery { person: Some(id.0.to_string()), before, limit: 100, ..AuditQuery::default() };
        self.store.search_audit(&query).await.map_err(AppError::Store)
    }

    /// Everything held about a person (開示請求), for the person or an administrator; audited as an
    /// export.
    pub async fn disclosure(&self, actor: &Account, id: PersonId) -> Result<Disclosure, AppError> {
        let file = self.may_disclose(actor, id).await?;
        let index = self.directory().await?;
        let provisions = self.store.provisions_of(id).await.map_err(AppError::Store)?;
        let journey = self.store.journey_of(id, u32::MAX).await.map_err(AppError::Store)?;
        let referrals = self.store.referrals_of_person(id).await.map_err(AppError::Store)?;
        let documents = self.store.documents_of(id).await.map_err(AppError::Store)?;
        let mut access_log = Vec::new();
        let mut before = None;
        loop {
            let query = AuditQuery { person: Some(id.0.to_string()), before, limit: 1000, ..AuditQuery::default() };
            let batch = self.store.search_audit(&query).await.map_err(AppError::Store)?;
            let Some(last) = batch.last() else { break };
            before = Some(last.seq);
            access_log.extend(batch);
        }
        access_log.reverse();
        let basis = if actor.person == Some(id) { "own" } else { "disclosure_request" };
        let every = present_fields_of_every_category(&file.person.fields);
        self.audit_person(actor, AuditAction::Export, format!("person:{}", id.0), id, every, basis.to_owned()).await?;
        let name = |a: AgencyId| index.agency(a).map(|l| l.name.clone()).unwrap_or_default();
        let mut agencies: Vec<AgencyId> = vec![file.person.registered_by];
        agencies.extend(file.cases.iter().map(|c| c.agency));
        agencies.extend(referrals.iter().flat_map(|r| [r.from, r.to]));
        agencies.extend(journey.stages.iter().map(|s| s.agency));
        agencies.extend(journey.records.iter().map(|r| r.agency));
        agencies.extend(journey.plans.iter().map(|p| p.agency));
        agencies.extend(journey.follow_ups.iter().map(|f| f.agency));
        agencies.extend(journey.placements.iter().map(|p| p.agency));
        let bookings = self.store.bookings_of_person(id).await.map_err(AppError::Store)?;
        agencies.extend(bookings.iter().map(|(b, _)| b.agency));
        let enrolment = self.store.enrolment(id).await.map_err(AppError::Store)?;
        agencies.extend(enrolment.iter().map(|e| e.school));
        let dispatches = self.store.dispatches_of_person(id).await.map_err(AppError::Store)?;
        agencies.extend(dispatches.iter().map(|d| d.agency));
        let mut coaching = Vec::with_capacity(dispatches.len());
        let mut coach_names: Vec<(tsunagu_domain::coaching::CoachId, String)> = Vec::new();
        for d in dispatches {
            let days = self.store.days_of_dispatch(d.id).await.map_err(AppError::Store)?;
            for c in d.fields.coaches.iter().chain(days.iter().map(|day| &day.coach)) {
                if !coach_names.iter().any(|(id, _)| id == c)
                    && let Some(coach) = self.store.coach(*c).await.map_err(AppError::Store)?
                {
                    coach_names.push((coach.id, coach.fields.name));
                }
            }
            let employer = self
                .store
                .employer_ref(tsunagu_store::EmployerLookup::Id(d.fields.employer))
                .await
                .map_err(AppError::Store)?
                .map(|e| e.name)
                .unwrap_or_default();
            coaching.push((d, employer, days));
        }
        let stored_trials = self.store.trials_of_person(id).await.map_err(AppError::Store)?;
        agencies.extend(stored_trials.iter().map(|t| t.agency));
        let ids: Vec<tsunagu_domain::trial::TrialId> = stored_trials.iter().map(|t| t.id).collect();
        let mut weeks = self.store.weeks_of_trials(&ids).await.map_err(AppError::Store)?;
        let mut trials = Vec::with_capacity(stored_trials.len());
        for t in stored_trials {
            let employer = self.employer_name(t.fields.employer).await?.1;
            let (theirs, rest): (Vec<_>, Vec<_>) = weeks.into_iter().partition(|w| w.trial == t.id);
            weeks = rest;
            trials.push((t, employer, theirs));
        }
        let trywork = self.store.participations_of_person(id).await.map_err(AppError::Store)?;
        agencies.extend(trywork.iter().map(|p| p.agency));
        let checklists = self.store.checklists_of_person(id).await.map_err(AppError::Store)?;
        agencies.extend(checklists.iter().map(|k| k.agency));
        let work_samples = self.store.mws_results_of_person(id).await.map_err(AppError::Store)?;
        agencies.extend(work_samples.iter().map(|r| r.agency));
        let assessment_sheets = self.store.assessments_of_person(id).await.map_err(AppError::Store)?;
        agencies.extend(assessment_sheets.iter().map(|a| a.agency));
        let passport = self.store.passport_of_person(id).await.map_err(AppError::Store)?;
        let events = self.store.signups_of_person(id).await.map_err(AppError::Store)?;
        agencies.extend(events.iter().flat_map(|(s, e)| s.agency.into_iter().chain([e.organiser])));
        let stored_plans = self.store.return_plans_of_person(id).await.map_err(AppError::Store)?;
        agencies.extend(stored_plans.iter().map(|r| r.agency));
        let mut return_plans = Vec::with_capacity(stored_plans.len());
        for plan in stored_plans {
            let employer = self.employer_name(plan.fields.employer).await?.1;
            return_plans.push((plan, employer));
        }
        let preferences = match self.store.preferences(id).await.map_err(AppError::Store)? {
            Some(p) => {
                let refs = self.references().await?;
                let names = p
                    .fields
                    .areas
                    .iter()
                    .map(|a| refs.municipality(a).map_or_else(|| a.as_str().to_owned(), |m| m.name.clone()))
                    .collect();
                Some((p, names))
            }
            None => None,
        };
        agencies.extend(documents.iter().map(|d| d.agency));
        agencies.sort();
        agencies.dedup();
        // Each recipient is named once, however many consents and provisions name it.
        let mut recipients: Vec<(Recipient, String)> = Vec::new();
        for recipient in
            file.consents.iter().map(|r| &r.consent.recipient).chain(provisions.iter().map(|p| &p.recipient))
        {
            if !recipients.iter().any(|(r, _)| r == recipient) {
                recipients.push((recipient.clone(), self.recipient_name(recipient).await?));
            }
        }
        let named = |recipient: &Recipient| {
            recipients.iter().find(|(r, _)| r == recipient).map_or_else(String::new, |(_, n)| n.clone())
        };
        let employer_names = self
            .placement_views(journey.placements.clone())
            .await?
            .into_iter()
            .map(|v| (v.placement.fields.employer, v.employer_name))
            .collect();
        let PersonFile { person, cases, consents, links, .. } = file;
        let mut named_bookings = Vec::with_capacity(bookings.len());
        for (booking, slot) in bookings {
            let employer = self
                .store
                .employer_ref(tsunagu_store::EmployerLookup::Id(slot.employer))
                .await
                .map_err(AppError::Store)?
                .map(|e| e.name)
                .unwrap_or_default();
            named_bookings.push((booking, slot, employer));
        }
        let enrolment = enrolment.map(|e| {
            let school = name(e.school);
            (e, school)
        });
        Ok(Disclosure {
            employer_names,
            bookings: named_bookings,
            enrolment,
            coaching,
            coach_names,
            trials,
            trywork,
            checklists,
            work_samples,
            assessment_sheets,
            passport,
            events,
            return_plans,
            preferences,
            compiled_at: self.clock.now(),
            consents: consents
                .into_iter()
                .map(|r| {
                    let name = named(&r.consent.recipient);
                    (r, name)
                })
                .collect(),
            provisions: provisions
                .into_iter()
                .map(|p| {
                    let name = named(&p.recipient);
                    (p, name)
                })
                .collect(),
            cases,
            referrals,
            documents,
            agency_names: agencies.into_iter().map(|a| (a, name(a))).collect(),
            person,
            links,
            journey,
            access_log,
        })
    }

    /// The files of the person's documents still held, for the disclosure's ZIP; audited as an
    /// export. A file that no longer matches its checksum is left out and logged.
    pub async fn disclosure_files(&self, actor: &Account, id: PersonId) -> Result<Vec<(Document, Vec<u8>)>, AppError> {
        self.may_disclose(actor, id).await?;
        let mut files = Vec::new();
        for document in self.store.documents_of(id).await.map_err(AppError::Store)? {
            if document.removed_at.is_some() {
                continue;
            }
            match self.store.document_file(id, document.id).await.map_err(AppError::Store)? {
                Some((document, content)) if document.matches(&content) => files.push((document, content)),
                Some((document, _)) => {
                    tracing::error!(document = %document.id.0, "a document's content no longer matches its checksum");
                }
                None => {}
            }
        }
        let basis = if actor.person == Some(id) { "own" } else { "disclosure_request" };
        let fields = vec!["documents".into()];
        self.audit_person(actor, AuditAction::Export, format!("documents:{}", id.0), id, fields, basis.into()).await?;
        Ok(files)
    }

    /// The person themself, or an administrator, may see everything held and who looked.
    async fn may_disclose(&self, actor: &Account, id: PersonId) -> Result<PersonFile, AppError> {
        let file = self.store.person_file(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let own = actor.person == Some(id) && actor.has(Role::Person) && !actor.disabled;
        if own || (actor.has(Role::SystemAdmin) && !actor.disabled) {
            Ok(file)
        } else {
            Err(self.refuse(actor, id, format!("disclosure:{}", id.0), Denial::NoBasis).await)
        }
    }
}
