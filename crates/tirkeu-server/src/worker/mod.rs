//! The worker's rules.

pub mod arrivals;
