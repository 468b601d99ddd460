//! Matching: for a person, the published openings ranked — the hard constraints (hours, area,
//! accommodations needed, categories) and a score made of named parts, with the near misses and
//! the constraint each missed.
//!
//! The published openings are held in memory (`OpeningIndex`, about 200 bytes each: 10 MB for
//! 50,000) and ranked without SQL, the way the directory index is searched: the store's openings
//! revision (one single-row read) says whether the index is current; writes through this process
//! drop it at once, writes by another process show within [`crate::index::RECHECK_AFTER`].
//! Reading a person for matching is decided by the access policy and audited on the person.

use std::sync::Arc;

use time::OffsetDateTime;
use tsunagu_domain::access::Action;
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::consent::{DataCategory, Purpose};
use tsunagu_domain::employer::EmployerId;
use tsunagu_domain::matching::{Assessment, Candidate, Criteria, Miss, rank_sorted};
use tsunagu_domain::opening::{OpeningFields, OpeningId};
use tsunagu_domain::person::PersonId;
use tsunagu_domain::preferences::{PreferenceFields, parse_areas, parse_needs};
use tsunagu_domain::{Problem, Problems};

use crate::clock::tokyo_date;
use crate::employers::EmployerReads;
use crate::index::RECHECK_AFTER;
use crate::preferences::{FIELDS as PREFERENCE_FIELDS, PURPOSES};
use crate::{App, AppError};

/// How many openings a match lists.
pub const TOP: usize = 10;
/// How many near misses it lists.
pub const NEAR: usize = 5;

/// A published opening as the index holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedOpening {
    /// Id.
    pub id: OpeningId,
    /// Whose.
    pub employer: EmployerId,
    /// Its name.
    pub employer_name: String,
    /// What it offers.
    pub fields: OpeningFields,
}

/// The published openings, held for ranking.
#[derive(Debug, Default)]
pub struct OpeningIndex {
    revision: i64,
    /// The day the candidates were sorted for: their recency points change with the day.
    built_on: Option<time::Date>,
    /// Sorted by their static points on `built_on`, highest first, parallel to `candidates`.
    openings: Vec<IndexedOpening>,
    candidates: Vec<Candidate>,
}

/// The index and when its revision was last confirmed.
#[derive(Debug)]
pub(crate) struct CachedOpenings {
    index: Arc<OpeningIndex>,
    checked_at: OffsetDateTime,
}

/// What a worker asks for, as typed: the hours (blank: the person's preferred hours), where the
/// person can commute to, and the accommodations they need. Until the worker searches, the
/// person's recorded conditions (希望条件) stand in for the areas and needs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MatchInput {
    /// Hours a week.
    pub hours: String,
    /// Municipality codes.
    pub areas: Vec<String>,
    /// Accommodation codes.
    pub needs: Vec<String>,
    /// The worker searched with the areas and needs above; otherwise the recorded ones apply.
    pub searched: bool,
}

/// A person's matches.
#[derive(Debug, Clone)]
pub struct Matches {
    /// What was asked for, with what the record gave.
    pub criteria: Criteria,
    /// The best openings that meet every constraint, best first, with their scores.
    pub top: Vec<(IndexedOpening, Assessment)>,
    /// The best that miss one constraint, with the one they miss.
    pub near: Vec<(IndexedOpening, Miss, Assessment)>,
    /// How many published openings were considered.
    pub considered: usize,
    /// The person's recorded conditions, if any.
    pub saved: Option<PreferenceFields>,
    /// The areas and needs searched with are the recorded ones.
    pub from_saved: bool,
}

impl MatchInput {
    fn criteria(&self, preferred_hours: Option<u8>, saved: Option<&PreferenceFields>) -> Result<Criteria, Problems> {
        let mut p = Problems::new();
        let hours = match self.hours.trim() {
            "" => preferred_hours,
            raw => match raw.parse::<u8>() {
                Ok(h) if (1..=40).contains(&h) => Some(h),
                _ => {
                    p.push(Problem { field: "hours", code: "hours_range", limit: Some(40) });
                    None
                }
            },
        };
        let (areas, needs) = match saved.filter(|_| !self.searched) {
            Some(saved) => (saved.areas.clone(), saved.needs.clone()),
            None => (parse_areas(&mut p, "areas", &self.areas), parse_needs(&mut p, "needs", &self.needs)),
        };
        p.into_result(Criteria { hours, areas, needs, categories: Vec::new() })
    }
}

impl App {
    /// The published openings, as of the store's openings revision.
    pub async fn opening_index(&self) -> Result<Arc<OpeningIndex>, AppError> {
        let held = self.openings.lock().ok().and_then(|c| c.as_ref().map(|c| (Arc::clone(&c.index), c.checked_at)));
        let now = self.clock.now();
        if let Some((index, checked_at)) = &held
            && now - *checked_at < RECHECK_AFTER
            && now >= *checked_at
        {
            return Ok(Arc::clone(index));
        }
        let revision = self.store.openings_revision().await.map_err(AppError::Store)?;
        let today = tokyo_date(now);
        let index = match held {
            Some((index, _)) if index.revision == revision && index.built_on == Some(today) => index,
            _ => {
                let all = self.store.every_published_opening().await.map_err(AppError::Store)?;
                let mut rows: Vec<(Candidate, IndexedOpening)> = all
                    .into_iter()
                    .map(|(o, employer_name)| {
                        let candidate = Candidate::of(&o.fields, o.published_on);
                        let indexed =
                            IndexedOpening { id: o.id, employer: o.employer, employer_name, fields: o.fields };
                        (candidate, indexed)
                    })
                    .collect();
                rows.sort_by_key(|(c, o)| (std::cmp::Reverse(c.static_points(today)), o.id.0));
                let (candidates, openings) = rows.into_iter().unzip();
                Arc::new(OpeningIndex { revision, built_on: Some(today), openings, candidates })
            }
        };
        if let Ok(mut cached) = self.openings.lock() {
            *cached = Some(CachedOpenings { index: Arc::clone(&index), checked_at: now });
        }
        Ok(index)
    }

    /// Drops the openings index after a write through this process.
    pub(crate) fn openings_changed(&self) {
        if let Ok(mut cached) = self.openings.lock() {
            *cached = None;
        }
    }

    /// The openings ranked for `person`: their categories and (unless `input` gives hours) their
    /// preferred hours from the record, and (until the worker searches) their recorded areas and
    /// needs, which the access policy must let `actor` read for a placement or for support; the
    /// read is audited on the person.
    pub async fn match_openings(
        &self,
        actor: &Account,
        person: PersonId,
        input: &MatchInput,
    ) -> Result<Matches, AppError> {
        let file = self.store.person_file(person).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let basis = self.preference_basis(actor, &file, format!("matches:{}", person.0)).await?;
        let saved = self.store.preferences(person).await.map_err(AppError::Store)?.map(|p| p.fields);
        let mut criteria =
            input.criteria(file.person.fields.preferred_hours, saved.as_ref()).map_err(AppError::Invalid)?;
        criteria.categories = file.person.fields.categories.clone();
        let index = self.opening_index().await?;
        let fields = ["categories", "preferred_hours"].into_iter().chain(PREFERENCE_FIELDS).map(String::from).collect();
        let read = self.person_event(
            actor,
            AuditAction::Read,
            format!("matches:{}", person.0),
            person,
            fields,
            basis.audit_code(),
        );
        let audited = self.start_commit(tsunagu_store::Commit::new(read));
        let today = index.built_on.unwrap_or_else(|| tokyo_date(self.clock.now()));
        let (top, near) = rank_sorted(&criteria, &index.candidates, today, TOP, NEAR);
        let matches = Matches {
            top: top.into_iter().map(|(i, a)| (index.openings[i].clone(), a)).collect(),
            near: near.into_iter().map(|(i, m, a)| (index.openings[i].clone(), m, a)).collect(),
            considered: index.candidates.len(),
            criteria,
            from_saved: saved.is_some() && !input.searched,
            saved,
        };
        audited.await.map_err(|e| AppError::Store(tsunagu_store::StoreError::backend(e)))?.map_err(AppError::Store)?;
        Ok(matches)
    }
}

/// A person ranked for an opening.
#[derive(Debug, Clone)]
pub struct PersonMatch {
    /// The person.
    pub person: PersonId,
    /// 氏名.
    pub name: String,
    /// The opening's score for them, or the constraints it misses.
    pub outcome: Result<Assessment, Vec<Miss>>,
}

/// The most persons an opening's matches consider.
pub const PERSONS_CONSIDERED: u32 = 200;

impl App {
    /// The persons an opening suits, best first, then those it misses with what it misses: only
    /// persons whose consent in force lets the opening's employer see them for a placement, and
    /// whom `actor` may read (an agency's staff through their case or a consent, the employer's
    /// own account through that consent). Each person listed is read on their record; for the
    /// employer's account, each is a provision of what it saw.
    pub async fn match_persons(&self, actor: &Account, opening: OpeningId) -> Result<Vec<PersonMatch>, AppError> {
        let view = self.opening(Some(actor), opening).await?;
        if !view.may_edit {
            return Err(AppError::Forbidden);
        }
        let o = &view.opening;
        let employer = o.employer;
        let named = self.store.consents_naming_employer(employer, PERSONS_CONSIDERED).await.map_err(AppError::Store)?;
        let now = self.clock.now();
        let today = tokyo_date(now);
        let candidate = Candidate::of(&o.fields, o.published_on);
        let mut persons: Vec<PersonId> = named
            .iter()
            .filter(|c| {
                c.consent.consent.in_force(now, today) && c.consent.consent.purposes.contains(&Purpose::Placement)
            })
            .map(|c| c.consent.consent.person)
            .collect();
        persons.dedup();
        let saved = self.store.preferences_of(&persons).await.map_err(AppError::Store)?;
        let mut reads = EmployerReads::new(
            format!("opening_matches:{}", opening.0),
            &["name", "categories", "preferred_hours", "areas", "needs"],
        );
        let mut out = Vec::new();
        for person in persons {
            let Some(file) = self.store.person_file(person).await.map_err(AppError::Store)? else { continue };
            // Those employed (or whose support ended) are not matched; leaving a job returns them.
            if !tsunagu_domain::journey::Stage::seeks_work(file.stage) {
                continue;
            }
            let Ok(basis) =
                self.decide_for(actor, &file, Action::Read, DataCategory::Disability, &PURPOSES, None).await?
            else {
                continue;
            };
            let conditions = saved.iter().find(|p| p.person == person).map(|p| p.fields.clone()).unwrap_or_default();
            let criteria = Criteria {
                hours: file.person.fields.preferred_hours,
                categories: file.person.fields.categories.clone(),
                areas: conditions.areas,
                needs: conditions.needs,
            };
            let missed = tsunagu_domain::matching::misses(&criteria, &candidate);
            let outcome = if missed.is_empty() {
                Ok(tsunagu_domain::matching::assess(&criteria, &candidate, today))
            } else {
                Err(missed)
            };
            reads.push(self, actor, person, &file.person.prefecture, &basis);
            out.push(PersonMatch { person, name: file.person.fields.name.clone(), outcome });
        }
        reads.commit(self).await?;
        // Those it suits first, best first; then those it misses, fewest misses first.
        out.sort_by(|a, b| match (&a.outcome, &b.outcome) {
            (Ok(x), Ok(y)) => y.score.cmp(&x.score),
            (Ok(_), Err(_)) => std::cmp::Ordering::Less,
            (Err(_), Ok(_)) => std::cmp::Ordering::Greater,
            (Err(x), Err(y)) => x.len().cmp(&y.len()),
        });
        Ok(out)
    }
}
