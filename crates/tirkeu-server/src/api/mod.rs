//! The JSON API under `/api/v1`.

pub mod admin;
pub mod applicant;
pub mod host;
pub mod officer;
pub mod public;
