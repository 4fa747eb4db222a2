//! Persistence for tirkeu: one [`Store`] over SQLite (the embedded default) and PostgreSQL
//! (production), with a hash-chained audit log and an outbox.
//!
//! The backend is chosen once from the database URL ([`open`]) and everything above it is
//! generic over `S: Store`; use [`with_store!`] to run generic code on whichever backend was
//! opened.
//!
//! Guarantees, tested on both backends by the same suite:
//! - a change, its audit entry and its outbox messages commit together or not at all;
//! - a transition applies only at the expected version (`Conflict` otherwise): no lost update;
//! - at most one open application per passport and card type (`Duplicate`);
//! - audit sequence numbers are gapless and each entry hashes the previous one;
//! - each entry of a change to an application or an arrival carries the hash of the row as
//!   written, so [`audit::verify_store`] finds a row changed behind the store's back;
//! - passport numbers are found by a keyed hash, never by scanning the numbers themselves.

mod attempts;
pub mod audit;
mod backend;
mod chain;
mod convert;
pub mod error;
mod group_commit;
pub mod model;
pub mod postgres;
pub mod schema;
pub mod seed;
pub mod sqlite;
pub mod store;

use std::time::Duration;

pub use attempts::{AttemptKind, Failures};
pub use error::{Result, StoreError};
pub use model::*;
pub use postgres::PgStore;
pub use schema::Schema;
pub use seed::{SeedOptions, SeedSummary, seed};
pub use sqlite::SqliteStore;
pub use store::Store;

/// A database URL, refused unless it names its backend.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH` (created if missing).
    Sqlite(String),
    /// `postgres://…` or `postgresql://…`.
    Postgres(String),
}

impl DatabaseUrl {
    /// Parses a URL; a bare path is an error rather than a silently created empty file.
    pub fn parse(url: &str) -> Result<DatabaseUrl> {
        let url = url.trim();
        if let Some(path) = url.strip_prefix("sqlite:") {
            let path = path.trim_start_matches("//");
            if path.is_empty() || path.starts_with(":memory:") {
                return Err(StoreError::Config(
                    "a SQLite URL names a file: sqlite://PATH (e.g. sqlite://data/tirkeu.db)"
                        .into(),
                ));
            }
            Ok(DatabaseUrl::Sqlite(format!("sqlite://{path}")))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(DatabaseUrl::Postgres(url.to_owned()))
        } else {
            Err(StoreError::Config(format!(
                "`{}` has no known scheme; use sqlite://PATH or postgres://USER@HOST/DB",
                redact(url)
            )))
        }
    }
}

/// The URL with any password replaced, for messages and logs.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// How the store should open.
#[derive(Clone, Copy, Debug)]
pub struct OpenOptions {
    /// The key of the passport lookup hash (from the deployment's configuration).
    pub lookup_key: [u8; 32],
    /// `synchronous=FULL` on SQLite. Only bulk seeding turns it off.
    pub durable: bool,
    /// The PostgreSQL connection pool (SQLite keeps its own fixed pools).
    pub pool: PoolOptions,
}

impl OpenOptions {
    /// Durable, with the default pool.
    pub fn new(lookup_key: [u8; 32]) -> Self {
        OpenOptions {
            lookup_key,
            durable: true,
            pool: PoolOptions::default(),
        }
    }
}

/// The PostgreSQL connection pool of one instance (`[database]` in the configuration; see
/// docs/operations.md). Every instance has its own pool, so PostgreSQL's `max_connections`
/// must cover `max_connections` times the instances, plus the workers and maintenance.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolOptions {
    /// Connections open at most.
    pub max_connections: u32,
    /// Connections kept open even when idle (opened at start, replaced when closed).
    pub min_connections: u32,
    /// How long a query waits for a free connection before it fails with
    /// [`StoreError::PoolTimeout`].
    pub acquire_timeout: Duration,
    /// A connection is closed and replaced after this long (`None`: kept for ever); spreads
    /// the load again after a failover and bounds what a long-lived backend holds.
    pub max_lifetime: Option<Duration>,
    /// An idle connection over `min_connections` is closed after this long (`None`: never).
    pub idle_timeout: Option<Duration>,
    /// PostgreSQL cancels a statement that runs longer (`statement_timeout`, set on each
    /// connection as it opens; `None`: no limit); the store answers
    /// [`StoreError::StatementTimeout`]. Migrations run without it.
    pub statement_timeout: Option<Duration>,
}

impl Default for PoolOptions {
    fn default() -> Self {
        PoolOptions {
            max_connections: 16,
            min_connections: 0,
            acquire_timeout: Duration::from_secs(10),
            max_lifetime: Some(Duration::from_mins(30)),
            idle_timeout: Some(Duration::from_mins(10)),
            statement_timeout: Some(Duration::from_secs(30)),
        }
    }
}

/// The store that was opened, to be matched once with [`with_store!`].
#[derive(Clone)]
pub enum Opened {
    Sqlite(SqliteStore),
    Postgres(PgStore),
}

/// Opens and migrates the database at `url`.
pub async fn open(url: &str, options: OpenOptions) -> Result<Opened> {
    match DatabaseUrl::parse(url)? {
        DatabaseUrl::Sqlite(u) => Ok(Opened::Sqlite(
            SqliteStore::open(&u, options.lookup_key, options.durable).await?,
        )),
        DatabaseUrl::Postgres(u) => Ok(Opened::Postgres(
            PgStore::open_with(&u, options.lookup_key, &options.pool).await?,
        )),
    }
}

/// Runs `$body` with `$s` bound to the concrete store: `with_store!(opened, s => run(s).await)`.
#[macro_export]
macro_rules! with_store {
    ($opened:expr, $s:ident => $body:expr) => {
        match $opened {
            $crate::Opened::Sqlite($s) => $body,
            $crate::Opened::Postgres($s) => $body,
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_name_their_backend() {
        assert_eq!(
            DatabaseUrl::parse("sqlite://data/t.db").unwrap(),
            DatabaseUrl::Sqlite("sqlite://data/t.db".into())
        );
        assert_eq!(
            DatabaseUrl::parse("sqlite:data/t.db").unwrap(),
            DatabaseUrl::Sqlite("sqlite://data/t.db".into())
        );
        assert!(matches!(
            DatabaseUrl::parse("postgres://u@h/db").unwrap(),
            DatabaseUrl::Postgres(_)
        ));
        let e = DatabaseUrl::parse("data/tirkeu.db")
            .unwrap_err()
            .to_string();
        assert!(e.contains("no known scheme"), "{e}");
        assert!(DatabaseUrl::parse("sqlite::memory:").is_err());
        assert!(DatabaseUrl::parse("mysql://x").is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
