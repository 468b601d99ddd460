//! Openings (求人): an employer's staff or the agencies' staff write them, publish them and close
//! them; a published opening is public (anyone may read it, signed in or not: it is what an
//! employer advertises), a draft or a closed one is seen by those who may see the employer.
//! Not personal data; every write still goes through the audited commit, naming what changed.

use tsunagu_domain::Problems;
use tsunagu_domain::account::Account;
use tsunagu_domain::audit::AuditAction;
use tsunagu_domain::employer::{Employer, EmployerId};
use tsunagu_domain::opening::{Accommodation, Opening, OpeningId, OpeningInput, OpeningStatus, changed_fields};
use tsunagu_domain::person::DisabilityCategory;
use tsunagu_store::{Change, Commit, OpeningPage, OpeningQuery, StoreError};

use crate::clock::tokyo_date;
use crate::{App, AppError};

/// Openings per page of the list.
pub const OPENING_PAGE: u32 = 30;

/// The published openings' filters as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpeningFilter {
    /// Municipality code.
    pub municipality: String,
    /// Disability category code.
    pub category: String,
    /// Hours a week the opening must allow.
    pub hours: String,
    /// Accommodation codes every one of which it must offer.
    pub accommodations: Vec<String>,
}

impl OpeningFilter {
    /// The store query for page `page` (from 1), or the problems with what was typed.
    pub fn query(&self, page: u32) -> Result<OpeningQuery, Problems> {
        let mut p = Problems::new();
        let municipality = match self.municipality.trim() {
            "" => None,
            raw => tsunagu_domain::LocalGovCode::parse(raw).map_err(|e| p.add("municipality", e.code())).ok(),
        };
        let category = match self.category.trim() {
            "" => None,
            raw => DisabilityCategory::parse(raw).or_else(|| {
                p.add("category", "unknown_code");
                None
            }),
        };
        let hours = match self.hours.trim() {
            "" => None,
            raw => match raw.parse::<u8>() {
                Ok(h) if (1..=40).contains(&h) => Some(h),
                _ => {
                    p.push(tsunagu_domain::Problem { field: "hours", code: "hours_range", limit: Some(40) });
                    None
                }
            },
        };
        let mut accommodations = Vec::new();
        for raw in self.accommodations.iter().filter(|a| !a.trim().is_empty()) {
            match Accommodation::parse(raw) {
                Some(a) if !accommodations.contains(&a) => accommodations.push(a),
                Some(_) => {}
                None => p.add("offers", "unknown_code"),
            }
        }
        let query = OpeningQuery {
            municipality,
            category,
            hours,
            accommodations,
            offset: page.saturating_sub(1).saturating_mul(OPENING_PAGE),
            limit: OPENING_PAGE,
        };
        p.into_result(query)
    }
}

/// An opening with its employer.
#[derive(Debug, Clone)]
pub struct OpeningView {
    /// The opening.
    pub opening: Opening,
    /// Its employer.
    pub employer: Employer,
    /// The viewer may edit it and move it.
    pub may_edit: bool,
}

fn one(field: &'static str, code: &'static str) -> AppError {
    let mut p = Problems::new();
    p.add(field, code);
    AppError::Invalid(p)
}

fn record(id: OpeningId) -> String {
    format!("opening:{}", id.0)
}

impl App {
    /// Whether `actor` may read `opening`'s employer's openings that are not published.
    fn may_see_unpublished(actor: Option<&Account>, employer: EmployerId) -> bool {
        actor.is_some_and(|a| Self::may_see_employers(a) || Self::own_employer(a) == Some(employer))
    }

    /// One opening: published ones for anyone, the others for those who may see the employer
    /// (to anyone else it does not exist).
    pub async fn opening(&self, actor: Option<&Account>, id: OpeningId) -> Result<OpeningView, AppError> {
        let opening = self.store.opening(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        if opening.status != OpeningStatus::Published && !Self::may_see_unpublished(actor, opening.employer) {
            return Err(AppError::NotFound);
        }
        let (employer, _) =
            self.store.employer(opening.employer).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let may_edit = actor.is_some_and(|a| Self::may_edit_employer(a, opening.employer));
        Ok(OpeningView { opening, employer, may_edit })
    }

    /// An employer's openings: every status for those who may see the employer.
    pub async fn openings_of(&self, actor: &Account, employer: EmployerId) -> Result<Vec<Opening>, AppError> {
        if !Self::may_see_unpublished(Some(actor), employer) {
            return Err(AppError::Forbidden);
        }
        self.store.openings_of(employer).await.map_err(AppError::Store)
    }

    /// One page of the published openings `filter` lists (public).
    pub async fn published_openings(&self, filter: &OpeningFilter, page: u32) -> Result<OpeningPage, AppError> {
        let query = filter.query(page).map_err(AppError::Invalid)?;
        self.store.published_openings(&query).await.map_err(AppError::Store)
    }

    /// Writes a draft opening for `employer`.
    pub async fn create_opening(
        &self,
        actor: &Account,
        employer: EmployerId,
        input: &OpeningInput,
    ) -> Result<Opening, AppError> {
        if !Self::may_edit_employer(actor, employer) {
            return Err(AppError::Forbidden);
        }
        let (owner, _) = self.store.employer(employer).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        let references = self.references().await?;
        let now = self.clock.now();
        let fields = input.validate(references.as_ref(), tokyo_date(now)).map_err(AppError::Invalid)?;
        let opening = Opening {
            id: OpeningId(self.ids.new_id()),
            prefecture: owner.prefecture,
            employer,
            fields,
            status: OpeningStatus::Draft,
            published_on: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let set = OpeningInput::from_fields(&opening.fields).field_texts();
        let names = set.iter().filter(|(_, v)| !v.is_empty()).map(|(n, _)| (*n).to_owned()).collect();
        let event = self.event(actor, AuditAction::Create, record(opening.id), names, basis(actor));
        self.save_opening(event, &opening, None).await?;
        Ok(opening)
    }

    /// Edits an opening loaded at `version`.
    pub async fn update_opening(
        &self,
        actor: &Account,
        id: OpeningId,
        version: i64,
        input: &OpeningInput,
    ) -> Result<Opening, AppError> {
        let current = self.editable_opening(actor, id, version).await?;
        let references = self.references().await?;
        let now = self.clock.now();
        let fields = input.validate(references.as_ref(), tokyo_date(now)).map_err(AppError::Invalid)?;
        let changed = changed_fields(&current.fields, &fields);
        if changed.is_empty() {
            return Ok(current);
        }
        let opening = Opening { fields, version: version + 1, updated_at: now, ..current };
        let event = self.event(actor, AuditAction::Update, record(id), changed, basis(actor));
        self.save_opening(event, &opening, Some(version)).await?;
        Ok(opening)
    }

    /// Publishes, closes or reopens an opening loaded at `version` (`status` as a code).
    pub async fn move_opening(
        &self,
        actor: &Account,
        id: OpeningId,
        version: i64,
        status: &str,
    ) -> Result<Opening, AppError> {
        let to = OpeningStatus::parse(status).ok_or_else(|| one("status", "unknown_code"))?;
        let mut opening = self.editable_opening(actor, id, version).await?;
        let now = self.clock.now();
        opening.move_to(to, tokyo_date(now)).map_err(AppError::Invalid)?;
        opening.version = version + 1;
        opening.updated_at = now;
        let event = self.event(actor, AuditAction::Update, record(id), vec!["status".into()], basis(actor));
        self.save_opening(event, &opening, Some(version)).await?;
        Ok(opening)
    }

    async fn editable_opening(&self, actor: &Account, id: OpeningId, version: i64) -> Result<Opening, AppError> {
        let current = self.store.opening(id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
        if !Self::may_edit_employer(actor, current.employer) {
            return Err(if Self::may_see_unpublished(Some(actor), current.employer) {
                AppError::Forbidden
            } else {
                AppError::NotFound
            });
        }
        if current.version != version {
            return Err(AppError::OpeningChanged(Box::new(current)));
        }
        Ok(current)
    }

    async fn save_opening(
        &self,
        event: tsunagu_domain::audit::AuditEvent,
        opening: &Opening,
        expected: Option<i64>,
    ) -> Result<(), AppError> {
        let commit = Commit::new(event).with(Change::SaveOpening { opening: Box::new(opening.clone()), expected });
        let written = self.store.commit(commit).await;
        self.openings_changed();
        match written {
            Ok(_) => Ok(()),
            Err(StoreError::Conflict { .. }) => {
                let now = self.store.opening(opening.id).await.map_err(AppError::Store)?.ok_or(AppError::NotFound)?;
                Err(AppError::OpeningChanged(Box::new(now)))
            }
            Err(e) => Err(AppError::Store(e)),
        }
    }
}

/// Who wrote it: an agency's staff or the employer's own account.
fn basis(actor: &Account) -> String {
    if App::may_add_employers(actor) { "staff".into() } else { "own_company".into() }
}
