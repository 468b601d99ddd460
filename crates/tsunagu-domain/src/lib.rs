//! Tsunagu's domain core: the network's entities, their validating newtypes and rules.
//!
//! This crate never does I/O: no clock, no database, no network. Time and ids are passed in,
//! so every rule here is a pure function that a table-driven test can pin down.

pub mod access;
pub mod account;
pub mod assessment;
pub mod assignment;
pub mod assistance;
pub mod audit;
pub mod calendar;
pub mod case;
pub mod checklist;
pub mod checkpoint;
pub mod coaching;
pub mod codes;
pub mod consent;
pub mod counts;
pub mod directory;
pub mod document;
pub mod employer;
pub mod event;
pub mod fair;
pub mod internship;
pub mod journey;
pub mod liaison;
pub mod matching;
pub mod mws;
pub mod opening;
pub mod passport;
pub mod person;
pub mod placement;
pub mod plan;
pub mod preferences;
pub mod program;
pub mod quota;
pub mod referral;
pub mod retention;
pub mod rework;
pub mod school;
mod shipped;
pub mod text;
pub mod trial;
pub mod trywork;
pub mod validation;

pub use codes::{CorporateNumber, LocalGovCode};
pub use validation::{Problem, Problems};
