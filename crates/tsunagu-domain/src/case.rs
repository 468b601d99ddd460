//! A support case: a person is a client of an agency from the day it opens until it closes.

use crate::account::AccountId;
use crate::directory::AgencyId;
use crate::person::PersonId;

/// A support case: the person is a client of an agency from `opened_on` until `closed_on`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    /// Id.
    pub id: uuid::Uuid,
    /// Prefecture of the person.
    pub prefecture: String,
    /// Whose case.
    pub person: PersonId,
    /// The agency holding it.
    pub agency: AgencyId,
    /// Opened on.
    pub opened_on: time::Date,
    /// Closed on.
    pub closed_on: Option<time::Date>,
    /// Who opened it.
    pub opened_by: AccountId,
}
