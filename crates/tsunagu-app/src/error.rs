//! The use cases' errors, each of which the HTTP layer maps to one kind of response.

use tsunagu_domain::Problems;
use tsunagu_domain::directory::Agency;
use tsunagu_store::StoreError;

use crate::import::ImportProblem;
use crate::persons::DuplicateHint;
use tsunagu_domain::access::Denial;

/// Why a use case did not complete.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The input broke validation rules; every problem is listed.
    #[error("invalid input")]
    Invalid(Problems),
    /// The signed-in account may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// Someone else changed the agency since the editor loaded it; this is the current record.
    #[error("edited by someone else")]
    Conflict(Box<Agency>),
    /// The access policy refused the request (and the refusal was audited).
    #[error("access denied")]
    Denied(Denial),
    /// Persons with the same reading and birth date exist; registering needs confirmation.
    #[error("possible duplicate")]
    PossibleDuplicates(Vec<DuplicateHint>),
    /// Someone else changed the person since the editor loaded them; this is what the editor may see now.
    #[error("edited by someone else")]
    PersonConflict(Box<tsunagu_domain::person::Person>),
    /// Someone changed the fair since the page was loaded; this is the fair now.
    #[error("fair edited by someone else")]
    FairChanged(Box<tsunagu_domain::fair::Fair>),
    /// Someone changed the employer since the editor loaded it; this is the employer now.
    #[error("employer edited by someone else")]
    EmployerChanged(Box<tsunagu_domain::employer::Employer>),
    /// Someone changed the opening since the editor loaded it; this is the opening now.
    #[error("opening edited by someone else")]
    OpeningChanged(Box<tsunagu_domain::opening::Opening>),
    /// The journey cannot move to that stage from where it is.
    #[error("transition refused")]
    Transition(tsunagu_domain::journey::TransitionRefused),
    /// Someone moved the journey since the form was loaded; this is where it is now.
    #[error("stage changed meanwhile")]
    StageMoved(Option<tsunagu_domain::journey::Stage>),
    /// The referral cannot move that way from where it stands, or not for this side.
    #[error("referral move refused")]
    ReferralMove(tsunagu_domain::referral::ReferralRefused),
    /// An import file was refused; nothing was written.
    #[error("import refused")]
    Import(Vec<ImportProblem>),
    /// A stored file no longer matches its checksum: it is not handed out.
    #[error("stored file damaged")]
    Damaged,
    /// The store failed; the cause is for the log only.
    #[error("store failure")]
    Store(#[source] StoreError),
}

/// A commit's answer, with a record the store did not find (or found already closed) as
/// [`AppError::NotFound`].
pub(crate) fn not_found_as_such<T>(result: Result<T, AppError>) -> Result<(), AppError> {
    match result {
        Ok(_) => Ok(()),
        Err(AppError::Store(StoreError::NotFound)) => Err(AppError::NotFound),
        Err(e) => Err(e),
    }
}
