//! The store's error type: what went wrong in terms a handler can map to a response.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The record does not exist.
    #[error("not found")]
    NotFound,
    /// The record changed since it was read (optimistic concurrency): reload and retry.
    #[error("the record was changed by someone else (now at version {current})")]
    Conflict { current: i64 },
    /// An open application for the same passport and card type already exists.
    #[error("an open application for this passport and card type already exists")]
    Duplicate { existing_id: i64 },
    /// The caller no longer holds the lease on an outbox message: another worker claimed it
    /// after the lease expired, or the lease already ended with a recorded outcome. The
    /// caller must drop the message; its current holder records the outcome.
    #[error("the lease on this outbox message is no longer held by this worker")]
    LeaseLost,
    /// The expected arrival was already notified (at that instant): it cannot be confirmed
    /// again.
    #[error("the arrival was already notified at {notified_at}")]
    AlreadyNotified { notified_at: jiff::Timestamp },
    /// A unique value is already taken (a username, a number).
    #[error("{0} is already taken")]
    Taken(&'static str),
    /// The database URL or configuration is wrong.
    #[error("{0}")]
    Config(String),
    /// Stored data that does not parse back (a corrupted or hand-edited row).
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// PostgreSQL cancelled a statement that ran longer than the pool's statement timeout
    /// ([`PoolOptions::statement_timeout`](crate::PoolOptions::statement_timeout)).
    #[error("the database cancelled a statement that ran longer than the statement timeout")]
    StatementTimeout,
    /// No pooled connection came free within the acquire timeout (every connection busy).
    #[error("no database connection came free within the pool's acquire timeout")]
    PoolTimeout,
    #[error("database error: {0}")]
    Database(sqlx::Error),
    /// From the direct SQLite reader of hot lookups (see `sqlite.rs`).
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The physical transaction that held this write failed (SQLite's group commit, see
    /// `group_commit.rs`): the write is not stored.
    #[error("the write was not stored: {0}")]
    GroupCommit(String),
    #[error("migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::PoolTimedOut => StoreError::PoolTimeout,
            // query_canceled, which a user's cancel also gives: told apart by the message.
            sqlx::Error::Database(d)
                if d.code().as_deref() == Some("57014")
                    && d.message().contains("statement timeout") =>
            {
                StoreError::StatementTimeout
            }
            _ => StoreError::Database(e),
        }
    }
}

impl StoreError {
    /// Whether the error is a unique-constraint violation.
    pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
        e.as_database_error()
            .is_some_and(|d| matches!(d.kind(), sqlx::error::ErrorKind::UniqueViolation))
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
