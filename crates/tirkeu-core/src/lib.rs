//! The pure rules of tirkeu: policy, application lifecycle, application and card numbers,
//! passports (MRZ) and IINs, the applicant and their contact details, the stay calculator,
//! deadlines and money.
//!
//! Nothing here performs I/O or knows about time passing: callers pass "today" and instants
//! explicitly, so every rule is deterministic and exhaustively testable.

pub mod access;
pub mod calendar;
pub mod case;
pub mod deadline;
pub mod iin;
pub mod lifecycle;
pub mod money;
pub mod mrz;
pub mod number;
pub mod person;
pub mod policy;
pub mod problem;
pub mod stay;
pub mod text;
