//! Failed attempts shared by every server instance (migration 0010): the status lookup's
//! budget of failures per application number and the sign-in throttle per account and per
//! client. Kept in the database rather than in each process, so that N instances behind a
//! load balancer give the budget once, not N times.
//!
//! A row is one failed (or still undecided) attempt: its kind, a keyed hash of what it counted
//! against, and its instant. The key — an application number, a username, a client address —
//! is never stored: it is hashed with HMAC-SHA256 under the deployment's lookup key (the one
//! every instance shares, or their hashes would not meet), with the kind in the message so that
//! the same text under two kinds gives two hashes, and under a label of its own so that no hash
//! here equals a passport's lookup hash. Rows older than the window are pruned
//! ([`Store::prune_failures`](crate::Store::prune_failures)).

use hmac::{Hmac, KeyInit, Mac};
use jiff::Timestamp;
use sha2::Sha256;

use crate::convert::ts_opt;
use crate::error::{Result, StoreError};
use crate::model::StatusRow;

/// What a failed attempt counts against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AttemptKind {
    /// A status lookup (or a renewal) by an application number, in its compact form.
    StatusNumber,
    /// A sign-in (a password or a second-factor code) for a username, lower case.
    LoginUser,
    /// A sign-in from a client (an IPv4 address or an IPv6 /64).
    LoginClient,
}

impl AttemptKind {
    /// The `kind` column's value (the migration's `CHECK` lists them).
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptKind::StatusNumber => "status_number",
            AttemptKind::LoginUser => "login_user",
            AttemptKind::LoginClient => "login_client",
        }
    }
}

/// The failed attempts against one key since an instant.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Failures {
    pub count: u32,
    /// The earliest of them (when the first one leaves the window).
    pub earliest: Option<Timestamp>,
}

impl Failures {
    pub(crate) fn from_columns(count: i64, earliest: Option<i64>) -> Result<Failures> {
        Ok(Failures {
            count: u32::try_from(count)
                .map_err(|_| StoreError::Corrupt(format!("failure count {count}")))?,
            earliest: ts_opt(earliest)?,
        })
    }
}

/// The keyed hash a failed attempt of `kind` against `key` is stored under.
pub(crate) fn keyed(lookup_key: &[u8; 32], kind: AttemptKind, key: &str) -> String {
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(lookup_key).expect("HMAC takes any key length");
    mac.update(b"tirkeu failed attempt\0");
    mac.update(kind.as_str().as_bytes());
    mac.update(b"\0");
    mac.update(key.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The status lookup together with the number's recent failures, in one statement (one round
/// trip, one read): `$1` the number's failure hash, `$2` the start of the window (exclusive,
/// microseconds), `$3` the number. Always one row — the aggregate's — so that an unknown number
/// answers its failures as a known one does (a refusal must not tell them apart); the case's
/// columns are NULL when there is no such case. The parameters appear in the order of their
/// numbers, which is what SQLite numbers them by when rusqlite binds them by position.
pub(crate) const STATUS_WITH_FAILURES: &str = "SELECT f.n, f.earliest, \
     a.state, a.updated_at, a.language, a.passport_lookup \
     FROM (SELECT COUNT(*) AS n, MIN(at) AS earliest FROM failed_attempts \
           WHERE kind = 'status_number' AND key_hash = $1 AND at > $2) AS f \
     LEFT JOIN applications a ON a.number = $3";

/// The case's columns of [`STATUS_WITH_FAILURES`], when there is a case.
pub(crate) type StatusColumns = (Option<String>, Option<i64>, Option<String>, Option<String>);

/// Reads [`STATUS_WITH_FAILURES`]'s row.
pub(crate) fn status_with_failures(
    count: i64,
    earliest: Option<i64>,
    case: StatusColumns,
) -> Result<(Failures, Option<StatusRow>)> {
    let failures = Failures::from_columns(count, earliest)?;
    let row = match case {
        (Some(state), Some(updated_at), Some(language), Some(passport_lookup)) => Some(
            crate::convert::status_row(&state, updated_at, &language, passport_lookup)?,
        ),
        (None, None, None, None) => None,
        _ => {
            return Err(StoreError::Corrupt(
                "a status row with some columns missing".into(),
            ));
        }
    };
    Ok((failures, row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_hashed_apart_by_kind_and_key() {
        let k = [3u8; 32];
        let a = keyed(&k, AttemptKind::LoginUser, "anna");
        assert_eq!(a.len(), 64);
        assert!(!a.contains("anna"));
        assert_eq!(a, keyed(&k, AttemptKind::LoginUser, "anna"));
        assert_ne!(a, keyed(&k, AttemptKind::LoginClient, "anna"));
        assert_ne!(a, keyed(&k, AttemptKind::LoginUser, "anna2"));
        assert_ne!(a, keyed(&[4u8; 32], AttemptKind::LoginUser, "anna"));
        // Not the passport lookup's hash of the same text under the same key.
        assert_ne!(a, crate::sqlite::keyed_lookup(&k, "anna"));
    }
}
