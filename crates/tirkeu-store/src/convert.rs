//! Conversions between core types and column values shared by both backends.
//!
//! Instants are stored as microseconds since the Unix epoch (BIGINT) and civil dates as ISO
//! text in both databases, so the two schemas have the same column types by family and the
//! same SQL reads them.

use jiff::Timestamp;
use jiff::civil::Date;
use tirkeu_core::lifecycle::State;
use tirkeu_core::number::CaseNumber;
use tirkeu_core::text::Lang;

use crate::error::{Result, StoreError};
use crate::model::{AccountRole, ArrivalStatus, StatusRow};

/// The public status lookup, the same text on both backends (SQLite reads it with rusqlite,
/// PostgreSQL with sqlx); its columns in the order [`status_row`] takes them.
pub const STATUS_BY_NUMBER: &str =
    "SELECT state, updated_at, language, passport_lookup FROM applications WHERE number = $1";

pub fn status_row(
    state_col: &str,
    updated_at: i64,
    language: &str,
    passport_lookup: String,
) -> Result<StatusRow> {
    Ok(StatusRow {
        state: state(state_col)?,
        updated_at: ts(updated_at)?,
        language: lang(language)?,
        passport_lookup,
    })
}

pub fn us(t: Timestamp) -> i64 {
    t.as_microsecond()
}

pub fn ts(v: i64) -> Result<Timestamp> {
    Timestamp::from_microsecond(v).map_err(|e| StoreError::Corrupt(format!("instant {v}: {e}")))
}

pub fn ts_opt(v: Option<i64>) -> Result<Option<Timestamp>> {
    v.map(ts).transpose()
}

pub fn date(s: &str) -> Result<Date> {
    s.parse()
        .map_err(|e| StoreError::Corrupt(format!("date {s:?}: {e}")))
}

pub fn date_opt(s: Option<&str>) -> Result<Option<Date>> {
    s.map(date).transpose()
}

pub fn state(s: &str) -> Result<State> {
    s.parse().map_err(StoreError::Corrupt)
}

pub fn lang(s: &str) -> Result<Lang> {
    s.parse().map_err(|e| StoreError::Corrupt(format!("{e}")))
}

pub fn number(s: &str) -> Result<CaseNumber> {
    CaseNumber::parse(s).map_err(|e| StoreError::Corrupt(format!("number {s:?}: {e}")))
}

pub fn role(s: &str) -> Result<AccountRole> {
    s.parse().map_err(StoreError::Corrupt)
}

pub fn arrival_status(s: &str) -> Result<ArrivalStatus> {
    s.parse().map_err(StoreError::Corrupt)
}
