//! The one implementation of [`Store`](crate::Store), instantiated for each backend.
//!
//! SQLite and PostgreSQL both accept `$1`-style parameters, `RETURNING` and partial indexes,
//! and the schema stores instants as BIGINT microseconds and dates as text, so nearly every
//! statement is the same text on both. Writing the body once as a macro and expanding it per
//! backend keeps one copy of the logic while each expansion is fully typed (`SqliteRow`,
//! `PgRow`); a generic `impl<DB: Database>` would need a wall of trait bounds, and
//! `sqlx::Any` supports too few types. What differs — the pools, how a writing transaction
//! begins, row locks, `SKIP LOCKED`, the hot status read, backups, schema introspection —
//! lives in `sqlite.rs` and `postgres.rs` behind the [`Backend`] trait, which is everything
//! the macro calls on a store.

use std::future::Future;
use std::path::Path;
use std::sync::LazyLock;

use tirkeu_core::lifecycle::State;
use tirkeu_core::number::CaseNumber;

use crate::error::Result;
use crate::model::StatusRow;
use crate::schema::Schema;

/// The states `keep` selects as an SQL list, `('draft', 'submitted', …)`, in [`State::ALL`]
/// order. Literals rather than bind parameters, and the very text of a partial index's
/// predicate in the migrations (a test checks each): SQLite uses a partial index only when it
/// can prove the query's `WHERE` implies the index's, which for an `IN` list means the same
/// list in the same order.
fn state_list(keep: fn(State) -> bool) -> String {
    let names: Vec<String> = State::ALL
        .iter()
        .filter(|s| keep(**s))
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("({})", names.join(", "))
}

/// The open states ([`State::is_open`]): the predicate of the queue's
/// `applications_open_queue` index (migration 0004).
pub(crate) static OPEN_STATES: LazyLock<String> = LazyLock::new(|| state_list(State::is_open));

/// The states that block a duplicate ([`State::blocks_duplicates`]): the predicate of the
/// `applications_one_pursued` unique index (migration 0005).
pub(crate) static PURSUED_STATES: LazyLock<String> =
    LazyLock::new(|| state_list(State::blocks_duplicates));

/// Closed cases whose personal data are still kept: the predicate of the
/// `applications_closed` partial index (migration 0005).
pub(crate) static CLOSED_UNPURGED: LazyLock<String> = LazyLock::new(|| {
    format!(
        "purged_at IS NULL AND state IN {}",
        state_list(State::is_final)
    )
});

/// Cases back in review after an answered information request (see
/// [`CaseFilter::info_received`](crate::CaseFilter::info_received)): the predicate of the
/// `applications_info_received` partial index (the state its first column, the reason its
/// predicate), as literals so that SQLite proves the index applies.
pub(crate) const INFO_RECEIVED: &str = "state = 'in_review' AND reason IS NOT NULL";

/// The pursued application for a passport (`$1`, its lookup hash) and card type (`$2`): a
/// point read of the `applications_one_pursued` index.
pub(crate) static PURSUED_APPLICATION: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT id FROM applications WHERE passport_lookup = $1 AND permit_type = $2 \
         AND state IN {}",
        *PURSUED_STATES
    )
});

/// The pursued application for the passport and card type of case `$1`: what a submission
/// collided with.
pub(crate) static PURSUING_LIKE_CASE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT p.id FROM applications c JOIN applications p \
         ON p.passport_lookup = c.passport_lookup AND p.permit_type = c.permit_type \
         WHERE c.id = $1 AND p.state IN {}",
        *PURSUED_STATES
    )
});

/// Everything the shared body needs from a backend: the whole contract a backend meets. The
/// macro calls nothing else on a store, so what differs between SQLite and PostgreSQL is
/// written down here rather than in inherent methods that merely happen to share names.
pub(crate) trait Backend: Sized {
    /// The sqlx database the backend speaks.
    type Db: sqlx::Database;
    /// `sqlite` or `postgres`, as [`Store::backend`](crate::Store::backend) answers.
    const NAME: &'static str;
    /// Appended to `SELECT … FROM audit_head`: a row lock where the database has them.
    const LOCK_ROW: &'static str;
    /// Writes an audit entry (`$1` seq … `$8` hash, `$9` state hash, in `audit_log`'s column
    /// order) and moves the chain's head to it, in one round trip, inside the change's
    /// transaction (SQLite, whose one writer serialises appends anyway). `None` where entries
    /// are written to `audit_pending` instead and chained after the commit ([`crate::chain`],
    /// PostgreSQL, where a head locked until each commit serialised every audited writer).
    const AUDIT_APPEND: Option<&'static str>;
    /// Appended to the outbox claim's inner `SELECT`.
    const SKIP_LOCKED: &'static str;
    /// Run at the end of a bulk load, whose rows carry explicit ids: PostgreSQL moves its
    /// identity sequences past them (SQLite's next rowid is already `MAX(rowid) + 1`).
    const AFTER_BULK_LOAD: &'static [&'static str];
    /// Whether a write transaction stays usable after a statement in it broke a unique
    /// constraint, so that the row it collided with is read inside it. SQLite undoes only the
    /// statement, and the colliding row may be another member's of the same uncommitted group
    /// commit, which the read pool cannot see yet; PostgreSQL aborts the transaction, and there
    /// the colliding row is committed (the insert waited for it), so the read pool sees it.
    const READ_COLLISION_IN_TX: bool;

    /// The secondary indexes of the bulk-loaded tables, as (`name`, `definition`), for
    /// [`Store::defer_indexes`](crate::Store::defer_indexes): indexes that back a primary
    /// key or a `UNIQUE` constraint are not listed.
    const DEFERRABLE_INDEXES: &'static str;
    /// One row when the table `seed_deferred_indexes` exists, none otherwise.
    const DEFERRED_TABLE_EXISTS: &'static str;
    /// Run in the transaction that builds a deferred index (PostgreSQL: memory to sort in, and
    /// no statement timeout).
    const BEFORE_INDEX_BUILD: &'static [&'static str];
    /// Run once all deferred indexes are built, outside a transaction on a connection that is
    /// closed afterwards. PostgreSQL: `VACUUM (ANALYZE)`, the state autovacuum would reach
    /// after a while, so that the first queries find the visibility map set (an index-only
    /// count reads no table pages; before, the queue's first page was 3× slower) and
    /// statistics for the plans the indexes were made for.
    const AFTER_INDEX_BUILD: &'static [&'static str];

    /// The pool that reads go through: on SQLite read-only connections that never wait for
    /// the writer under WAL; on PostgreSQL the same pool as writes.
    fn read_pool(&self) -> &sqlx::Pool<Self::Db>;

    /// The deployment's lookup key, under which passports and failed attempts are hashed.
    fn lookup_key(&self) -> &[u8; 32];

    /// The keyed hash under which a passport is stored and looked up, for
    /// [`Store::passport_lookup`](crate::Store::passport_lookup) and every insert that
    /// carries a passport number.
    fn lookup(&self, passport_number: &str) -> String {
        crate::sqlite::keyed_lookup(self.lookup_key(), passport_number)
    }

    /// A transaction that writes: it derefs to the database's connection, and its inherent
    /// `commit` returns once the change is durable; dropped, it rolls back.
    type WriteTx: Send;

    /// Begins a transaction that writes: every write goes through one. SQLite's is a member of
    /// a group commit on the one write connection ([`crate::group_commit`]); PostgreSQL begins
    /// an ordinary transaction.
    fn begin_write(&self) -> impl Future<Output = Result<Self::WriteTx>> + Send;

    /// Notes that `tx` wrote a pending audit entry, for its commit to chain (only where
    /// [`AUDIT_APPEND`](Backend::AUDIT_APPEND) is `None`).
    fn note_pending_audit(_tx: &mut Self::WriteTx) {}

    /// Before reading the chain: moves what is committed but not yet chained onto it, so that
    /// a reader sees every change acknowledged before its read (PostgreSQL, where chaining
    /// follows the commit in the background; nothing to do on SQLite).
    fn chain_pending(&self) -> impl Future<Output = Result<()>> + Send {
        std::future::ready(Ok(()))
    }

    /// Closes the write side (SQLite commits what is pending first).
    fn close_write(&self) -> impl Future<Output = ()> + Send;

    /// The public status lookup, the hot read, each backend its fastest way: SQLite through
    /// rusqlite in the calling task, PostgreSQL through the pool.
    fn status_row(&self, number: &CaseNumber) -> impl Future<Output = Result<StatusRow>> + Send;

    /// The keyed hash under which a failed attempt of `kind` against `key` is stored (see
    /// [`crate::attempts`]).
    fn attempt_key(&self, kind: crate::AttemptKind, key: &str) -> String {
        crate::attempts::keyed(self.lookup_key(), kind, key)
    }

    /// [`Store::status_with_failures`](crate::Store::status_with_failures), the hot read
    /// with the number's failures since `since` (microseconds) under the hash `failure_key`,
    /// each backend the way it reads [`status_row`](Backend::status_row).
    fn status_row_failures(
        &self,
        number: &CaseNumber,
        failure_key: &str,
        since: i64,
    ) -> impl Future<Output = Result<(crate::Failures, Option<StatusRow>)>> + Send;

    /// [`Store::backup`](crate::Store::backup): SQLite writes a consistent copy with
    /// `VACUUM INTO`; PostgreSQL refuses with the `pg_dump` recipe.
    fn backup_to(&self, dest: &Path) -> impl Future<Output = Result<()>> + Send;

    /// [`Store::schema`](crate::Store::schema), read from the backend's catalogue.
    fn introspect(&self) -> impl Future<Output = Result<Schema>> + Send;
}

/// Bind parameters per statement of a bulk load: under SQLite's limit (32,766) and
/// PostgreSQL's (65,535), and large enough that statement overhead does not matter.
pub(crate) const BULK_BINDS: usize = 30_000;

macro_rules! store_impl {
    ($store:ty) => {
        use std::path::Path;

        use jiff::{SignedDuration, Timestamp};
        use sqlx::{QueryBuilder, Row as _};
        use tirkeu_core::number::CaseNumber;

        use crate::attempts::{AttemptKind, Failures};
        use crate::audit::{entry_hash, state_hash, AuditedTable, ColumnKind, RowState, Value, APPLICATIONS, ARRIVALS};
        use crate::backend::{Backend, BULK_BINDS, CLOSED_UNPURGED, INFO_RECEIVED, OPEN_STATES, PURSUED_APPLICATION, PURSUING_LIKE_CASE};
        use crate::convert::{arrival_status, date, date_opt, lang, number, role, state, ts, ts_opt, us};
        use crate::error::{Result, StoreError};
        use crate::model::{
            ApiKey, Application, Applicant, Arrival, ArrivalConfirmation, ArrivalStatus, AuditEntry, CaseFilter, CaseSummary, Dashboard, DashboardQuery,
            Cursor, Document, MaxIds, NewApplication, NewArrival, NewAudit, NewDocument, NewUser,
            OutboxMessage, Page, SeedBatch, Session, SessionScope, Stats, StatusRow, TransitionChange, User,
            Delivery, NewOutboxMessage, OutboxCounts, OutboxEntry, TimerCase, TimerQuery,
        };
        use crate::schema::Schema;
        use crate::store::Store;

        type Db = <$store as Backend>::Db;
        type DbRow = <Db as sqlx::Database>::Row;
        type Tx = <$store as Backend>::WriteTx;

        const APP_COLUMNS: &str = "id, number, access_code_hash, permit_type, language, state, \
            version, surname, given_names, passport_number, nationality, birth_date, sex, \
            passport_expiry, email, phone, address_city, address_line, arrival_date, office, \
            assigned_officer, created_at, updated_at, submitted_at, due_at, decided_at, reason, \
            valid_from, valid_until, collection_at, collection_place, card_number, respond_by, \
            purged_at";

        const ARRIVAL_COLUMNS: &str = "id, confirmation_number, host_id, surname, given_names, \
            passport_number, nationality, birth_date, address_city, address_line, arrived_at, \
            status, notified_at, deadline_at, late, fine_kzt";

        const USER_COLUMNS: &str =
            "id, username, role, password_hash, host_kind, office, disabled, created_at, email, language, \
             totp_secret, totp_pending";

        const AUDIT_COLUMNS: &str = "seq, at, actor, action, object, payload, prev_hash, hash, state_hash";

        fn sql(s: String) -> sqlx::AssertSqlSafe<String> {
            sqlx::AssertSqlSafe(s)
        }

        fn application_from(r: &DbRow) -> Result<Application> {
            Ok(Application {
                id: r.try_get("id")?,
                number: number(r.try_get("number")?)?,
                access_code_hash: r.try_get("access_code_hash")?,
                permit_type: r.try_get("permit_type")?,
                language: lang(r.try_get("language")?)?,
                state: state(r.try_get("state")?)?,
                version: r.try_get("version")?,
                applicant: Applicant {
                    surname: r.try_get("surname")?,
                    given_names: r.try_get("given_names")?,
                    passport_number: r.try_get("passport_number")?,
                    nationality: r.try_get("nationality")?,
                    birth_date: date(r.try_get("birth_date")?)?,
                    sex: r.try_get("sex")?,
                    passport_expiry: date(r.try_get("passport_expiry")?)?,
                },
                email: r.try_get("email")?,
                phone: r.try_get("phone")?,
                address_city: r.try_get("address_city")?,
                address_line: r.try_get("address_line")?,
                arrival_date: date_opt(r.try_get::<Option<&str>, _>("arrival_date")?)?,
                office: r.try_get("office")?,
                assigned_officer: r.try_get("assigned_officer")?,
                created_at: ts(r.try_get("created_at")?)?,
                updated_at: ts(r.try_get("updated_at")?)?,
                submitted_at: ts_opt(r.try_get("submitted_at")?)?,
                due_at: ts_opt(r.try_get("due_at")?)?,
                decided_at: ts_opt(r.try_get("decided_at")?)?,
                reason: r.try_get("reason")?,
                valid_from: date_opt(r.try_get::<Option<&str>, _>("valid_from")?)?,
                valid_until: date_opt(r.try_get::<Option<&str>, _>("valid_until")?)?,
                collection_at: ts_opt(r.try_get("collection_at")?)?,
                collection_place: r.try_get("collection_place")?,
                card_number: r.try_get("card_number")?,
                respond_by: ts_opt(r.try_get("respond_by")?)?,
                purged_at: ts_opt(r.try_get("purged_at")?)?,
            })
        }

        fn arrival_from(r: &DbRow) -> Result<Arrival> {
            Ok(Arrival {
                id: r.try_get("id")?,
                confirmation_number: r.try_get("confirmation_number")?,
                host_id: r.try_get("host_id")?,
                surname: r.try_get("surname")?,
                given_names: r.try_get("given_names")?,
                passport_number: r.try_get("passport_number")?,
                nationality: r.try_get("nationality")?,
                birth_date: date(r.try_get("birth_date")?)?,
                address_city: r.try_get("address_city")?,
                address_line: r.try_get("address_line")?,
                arrived_at: ts(r.try_get("arrived_at")?)?,
                status: arrival_status(r.try_get("status")?)?,
                notified_at: ts_opt(r.try_get("notified_at")?)?,
                deadline_at: ts(r.try_get("deadline_at")?)?,
                late: r.try_get("late")?,
                fine_kzt: r.try_get("fine_kzt")?,
            })
        }

        fn user_from(r: &DbRow) -> Result<User> {
            Ok(User {
                id: r.try_get("id")?,
                username: r.try_get("username")?,
                role: role(r.try_get("role")?)?,
                password_hash: r.try_get("password_hash")?,
                host_kind: r.try_get("host_kind")?,
                office: r.try_get("office")?,
                disabled: r.try_get("disabled")?,
                created_at: ts(r.try_get("created_at")?)?,
                email: r.try_get("email")?,
                language: r.try_get::<Option<&str>, _>("language")?.map(lang).transpose()?,
                totp_secret: r.try_get("totp_secret")?,
                totp_pending: r.try_get("totp_pending")?,
            })
        }

        fn api_key_from(r: &DbRow) -> Result<ApiKey> {
            Ok(ApiKey {
                id: r.try_get("id")?,
                user_id: r.try_get("user_id")?,
                label: r.try_get("label")?,
                created_at: ts(r.try_get("created_at")?)?,
                revoked_at: ts_opt(r.try_get("revoked_at")?)?,
            })
        }

        fn audit_from(r: &DbRow) -> Result<AuditEntry> {
            Ok(AuditEntry {
                seq: r.try_get("seq")?,
                at: ts(r.try_get("at")?)?,
                actor: r.try_get("actor")?,
                action: r.try_get("action")?,
                object: r.try_get("object")?,
                payload: r.try_get("payload")?,
                prev_hash: r.try_get("prev_hash")?,
                hash: r.try_get("hash")?,
                state_hash: r.try_get("state_hash")?,
            })
        }

        fn document_from(r: &DbRow) -> Result<Document> {
            Ok(Document {
                id: r.try_get("id")?,
                application_id: r.try_get("application_id")?,
                kind: r.try_get("kind")?,
                sha256: r.try_get("sha256")?,
                size: r.try_get("size")?,
                content_type: r.try_get("content_type")?,
                created_at: ts(r.try_get("created_at")?)?,
            })
        }

        const SUMMARY_COLUMNS: &str = "id, number, permit_type, state, version, nationality, office, \
            assigned_officer, queued_at, submitted_at, due_at, updated_at";

        fn summary_from(r: &DbRow) -> Result<CaseSummary> {
            Ok(CaseSummary {
                id: r.try_get("id")?,
                number: number(r.try_get("number")?)?,
                permit_type: r.try_get("permit_type")?,
                state: state(r.try_get("state")?)?,
                version: r.try_get("version")?,
                nationality: r.try_get("nationality")?,
                office: r.try_get("office")?,
                assigned_officer: r.try_get("assigned_officer")?,
                queued_at: ts(r.try_get("queued_at")?)?,
                submitted_at: ts_opt(r.try_get("submitted_at")?)?,
                due_at: ts_opt(r.try_get("due_at")?)?,
                updated_at: ts(r.try_get("updated_at")?)?,
            })
        }

        /// The queue's `WHERE` terms for `f`, shared by the list and its count so that the two
        /// always agree.
        pub(crate) fn push_filter(q: &mut QueryBuilder<Db>, f: &CaseFilter) {
            if !f.states.is_empty() {
                q.push(" AND state IN (");
                let mut sep = q.separated(", ");
                for s in &f.states {
                    sep.push_bind(s.as_str());
                }
                q.push(")");
            }
            if let Some(t) = &f.permit_type {
                q.push(" AND permit_type = ").push_bind(t.clone());
            }
            if let Some(o) = &f.office {
                q.push(" AND office = ").push_bind(o.clone());
            }
            if let Some(o) = f.assigned_officer {
                q.push(" AND assigned_officer = ").push_bind(o);
            }
            if let Some(t) = f.submitted_from {
                q.push(" AND submitted_at >= ").push_bind(us(t));
            }
            if let Some(t) = f.submitted_until {
                q.push(" AND submitted_at < ").push_bind(us(t));
            }
            if let Some(t) = f.overdue_at {
                q.push(" AND due_at < ").push_bind(us(t));
                // Overdue means open and past due, as the officers' API shows it. Drafts
                // are open but have no due date yet, so they never match.
                q.push(" AND state IN ").push(OPEN_STATES.as_str());
            }
            if f.info_received {
                // Literals, the very predicate of the `applications_info_received` partial
                // index, so that both databases prove the index applies.
                q.push(" AND ").push(INFO_RECEIVED);
            }
        }

        /// [`Store::count_cases`]'s statement: the inner LIMIT stops the scan after `at_most`
        /// rows, so a count costs the same on ten million cases as on one million.
        pub(crate) fn push_count(q: &mut QueryBuilder<Db>, f: &CaseFilter, at_most: i64) {
            q.push("SELECT COUNT(*) AS n FROM (SELECT 1 FROM applications WHERE 1 = 1");
            push_filter(q, f);
            q.push(" LIMIT ").push_bind(at_most.max(0)).push(") AS capped");
        }

        /// The application whose `column` (a fixed column name from this file) equals `value`.
        async fn app_where<'q, T>(pool: &sqlx::Pool<Db>, column: &str, value: T) -> Result<Application>
        where
            T: 'q + Send + sqlx::Encode<'q, Db> + sqlx::Type<Db>,
        {
            let row = sqlx::query(sql(format!("SELECT {APP_COLUMNS} FROM applications WHERE {column} = $1")))
                .bind(value)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            application_from(&row)
        }

        /// The account whose `column` (a fixed column name from this file) equals `value`.
        async fn user_where<'q, T>(pool: &sqlx::Pool<Db>, column: &str, value: T) -> Result<User>
        where
            T: 'q + Send + sqlx::Encode<'q, Db> + sqlx::Type<Db>,
        {
            let row = sqlx::query(sql(format!("SELECT {USER_COLUMNS} FROM users WHERE {column} = $1")))
                .bind(value)
                .fetch_optional(pool)
                .await?
                .ok_or(StoreError::NotFound)?;
            user_from(&row)
        }

        /// A row's columns as `table` encodes them, read from `r` (which selected them in
        /// that order).
        fn values_from(r: &DbRow, table: &AuditedTable) -> Result<Vec<Value>> {
            let mut out = Vec::with_capacity(table.columns.len());
            for (i, (_, kind)) in table.columns.iter().enumerate() {
                let v = match kind {
                    ColumnKind::Int => r.try_get::<Option<i64>, _>(i)?.map(Value::Int),
                    ColumnKind::Text => r.try_get::<Option<String>, _>(i)?.map(Value::Text),
                    ColumnKind::Bool => r.try_get::<Option<bool>, _>(i)?.map(Value::Bool),
                };
                out.push(v.unwrap_or(Value::Null));
            }
            Ok(out)
        }

        /// The state hash of row `id` of `table` as this transaction wrote it: read back
        /// after the write, so what SQL computed (`COALESCE`, `CASE`, `version + 1`) is what
        /// is hashed.
        async fn row_state_tx(tx: &mut Tx, table: &AuditedTable, id: i64) -> Result<String> {
            let row = sqlx::query(sql(format!("{} WHERE id = $1", table.select())))
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
            Ok(state_hash(table, &values_from(&row, table)?))
        }

        /// Appends `a`, an entry about a change to row `id` of `table`, with the row's
        /// state hash.
        async fn append_change_tx(tx: &mut Tx, a: &NewAudit, table: &AuditedTable, id: i64) -> Result<()> {
            let state = row_state_tx(tx, table, id).await?;
            append_audit_state_tx(tx, a, Some(state)).await
        }

        /// Appends an entry that changes no audited row.
        async fn append_audit_tx(tx: &mut Tx, a: &NewAudit) -> Result<()> {
            append_audit_state_tx(tx, a, None).await
        }

        /// Appends to the chain inside `tx`; the head row serialises concurrent appends. Where
        /// the chain is deferred, writes the entry pending instead, for the commit to chain.
        async fn append_audit_state_tx(tx: &mut Tx, a: &NewAudit, state_hash: Option<String>) -> Result<()> {
            let Some(append) = <$store as Backend>::AUDIT_APPEND else {
                sqlx::query(
                    "INSERT INTO audit_pending (at, actor, action, object, payload, state_hash) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(us(a.at))
                .bind(&a.actor)
                .bind(&a.action)
                .bind(&a.object)
                .bind(a.payload.to_string())
                .bind(&state_hash)
                .execute(&mut **tx)
                .await?;
                <$store as Backend>::note_pending_audit(tx);
                return Ok(());
            };
            let head = sqlx::query(sql(format!(
                "SELECT seq, hash FROM audit_head WHERE id = 1{}",
                <$store as Backend>::LOCK_ROW
            )))
            .fetch_one(&mut **tx)
            .await?;
            let prev_seq: i64 = head.try_get("seq")?;
            let prev_hash: String = head.try_get("hash")?;
            let seq = prev_seq + 1;
            let payload = a.payload.to_string();
            let hash = entry_hash(seq, a.at, &a.actor, &a.action, &a.object, &payload, &prev_hash, state_hash.as_deref());
            sqlx::query(append)
            .bind(seq)
            .bind(us(a.at))
            .bind(&a.actor)
            .bind(&a.action)
            .bind(&a.object)
            .bind(&payload)
            .bind(&prev_hash)
            .bind(&hash)
            .bind(&state_hash)
            .execute(&mut **tx)
            .await?;
            Ok(())
        }

        /// Whether worker `$3` still holds the lease on an outbox message, as an SQL condition.
        ///
        /// The holder is whoever claimed the message last (`locked_by`), and the lease lasts
        /// until an outcome is recorded (`locked_until` set to NULL) — not merely until
        /// `locked_until` passes. A lease that expired but that no one took over still counts:
        /// no other worker has the message, so the holder's send is the only one, and refusing
        /// to record it would only make the next claim send it a second time. Once another
        /// worker claims the message (allowed after `locked_until`), `locked_by` names that
        /// worker and the first one's outcome is refused. A claim and an outcome both write
        /// the row (one writer on SQLite, a row lock on PostgreSQL), so one of them sees the
        /// other's effect: never both.
        const LEASE_HELD_BY_3: &str =
            "locked_by = $3 AND locked_until IS NOT NULL AND finished_at IS NULL";

        /// Turns the rows an outbox outcome updated into its result: none means the lease was
        /// lost, unless there is no such message.
        async fn lease_outcome(pool: &sqlx::Pool<Db>, id: i64, updated: u64) -> Result<()> {
            if updated > 0 {
                return Ok(());
            }
            let exists = sqlx::query("SELECT id FROM outbox WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?;
            Err(if exists.is_some() { StoreError::LeaseLost } else { StoreError::NotFound })
        }

        /// Queues `m` (created at `at`); `false` when a message with its dedupe key exists,
        /// and then nothing is written.
        async fn insert_outbox_tx(tx: &mut Tx, m: &NewOutboxMessage, at: Timestamp) -> Result<bool> {
            let row = sqlx::query(
                "INSERT INTO outbox (kind, payload, created_at, available_at, dedupe_key) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id",
            )
            .bind(&m.kind)
            .bind(m.payload.to_string())
            .bind(us(at))
            .bind(us(m.available_at))
            .bind(&m.dedupe_key)
            .fetch_optional(&mut **tx)
            .await?;
            Ok(row.is_some())
        }

        const OUTBOX_ENTRY_COLUMNS: &str = "id, kind, payload, created_at, attempts, outcome, \
            finished_at, last_error, template_version";

        fn outbox_entry_from(r: &DbRow) -> Result<OutboxEntry> {
            let payload: String = r.try_get("payload")?;
            Ok(OutboxEntry {
                id: r.try_get("id")?,
                kind: r.try_get("kind")?,
                payload: serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                created_at: ts(r.try_get("created_at")?)?,
                attempts: r.try_get("attempts")?,
                outcome: r.try_get("outcome")?,
                finished_at: ts_opt(r.try_get("finished_at")?)?,
                last_error: r.try_get("last_error")?,
                template_version: r.try_get("template_version")?,
            })
        }

        fn timer_case_from(r: &DbRow) -> Result<TimerCase> {
            Ok(TimerCase {
                id: r.try_get("id")?,
                version: r.try_get("version")?,
                state: state(r.try_get("state")?)?,
                permit_type: r.try_get("permit_type")?,
                language: lang(r.try_get("language")?)?,
                valid_until: date_opt(r.try_get::<Option<&str>, _>("valid_until")?)?,
            })
        }

        fn audit(at: Timestamp, actor: &str, action: &str, object: String, payload: serde_json::Value) -> NewAudit {
            NewAudit {
                at,
                actor: actor.to_owned(),
                action: action.to_owned(),
                object,
                payload,
            }
        }

        async fn bulk_applications(tx: &mut Tx, store: &$store, apps: &[Application]) -> Result<()> {
            const COLUMNS: usize = 35;
            for chunk in apps.chunks(BULK_BINDS / COLUMNS) {
                let mut q: QueryBuilder<Db> = QueryBuilder::new(
                    "INSERT INTO applications (id, number, access_code_hash, permit_type, \
                     language, state, version, surname, given_names, passport_number, \
                     passport_lookup, nationality, birth_date, sex, passport_expiry, email, \
                     phone, address_city, address_line, arrival_date, office, \
                     assigned_officer, queued_at, created_at, updated_at, submitted_at, \
                     due_at, decided_at, reason, valid_from, valid_until, collection_at, \
                     collection_place, card_number, respond_by) ",
                );
                q.push_values(chunk, |mut r, a| {
                    let p = &a.applicant;
                    r.push_bind(a.id)
                        .push_bind(a.number.compact())
                        .push_bind(&a.access_code_hash)
                        .push_bind(&a.permit_type)
                        .push_bind(a.language.code())
                        .push_bind(a.state.as_str())
                        .push_bind(a.version)
                        .push_bind(&p.surname)
                        .push_bind(&p.given_names)
                        .push_bind(&p.passport_number)
                        .push_bind(store.lookup(&p.passport_number))
                        .push_bind(&p.nationality)
                        .push_bind(p.birth_date.to_string())
                        .push_bind(&p.sex)
                        .push_bind(p.passport_expiry.to_string())
                        .push_bind(&a.email)
                        .push_bind(&a.phone)
                        .push_bind(&a.address_city)
                        .push_bind(&a.address_line)
                        .push_bind(a.arrival_date.map(|d| d.to_string()))
                        .push_bind(&a.office)
                        .push_bind(a.assigned_officer)
                        .push_bind(us(a.submitted_at.unwrap_or(a.created_at)))
                        .push_bind(us(a.created_at))
                        .push_bind(us(a.updated_at))
                        .push_bind(a.submitted_at.map(us))
                        .push_bind(a.due_at.map(us))
                        .push_bind(a.decided_at.map(us))
                        .push_bind(&a.reason)
                        .push_bind(a.valid_from.map(|d| d.to_string()))
                        .push_bind(a.valid_until.map(|d| d.to_string()))
                        .push_bind(a.collection_at.map(us))
                        .push_bind(&a.collection_place)
                        .push_bind(&a.card_number)
                        .push_bind(a.respond_by.map(us));
                });
                q.build().execute(&mut **tx).await?;
        }
            Ok(())
        }

        async fn bulk_documents(tx: &mut Tx, docs: &[Document]) -> Result<()> {
            for chunk in docs.chunks(BULK_BINDS / 7) {
                let mut q: QueryBuilder<Db> = QueryBuilder::new(
                    "INSERT INTO documents (id, application_id, kind, sha256, size, \
                     content_type, created_at) ",
                );
                q.push_values(chunk, |mut r, d| {
                    r.push_bind(d.id)
                        .push_bind(d.application_id)
                        .push_bind(&d.kind)
                        .push_bind(&d.sha256)
                        .push_bind(d.size)
                        .push_bind(&d.content_type)
                        .push_bind(us(d.created_at));
                });
                q.build().execute(&mut **tx).await?;
        }
            Ok(())
        }

        async fn bulk_arrivals(tx: &mut Tx, store: &$store, arrivals: &[Arrival]) -> Result<()> {
            for chunk in arrivals.chunks(BULK_BINDS / 17) {
                let mut q: QueryBuilder<Db> = QueryBuilder::new(
                    "INSERT INTO arrivals (id, confirmation_number, host_id, surname, \
                     given_names, passport_number, passport_lookup, nationality, birth_date, \
                     address_city, address_line, arrived_at, status, notified_at, deadline_at, \
                     late, fine_kzt) ",
                );
                q.push_values(chunk, |mut r, a| {
                    r.push_bind(a.id)
                        .push_bind(&a.confirmation_number)
                        .push_bind(a.host_id)
                        .push_bind(&a.surname)
                        .push_bind(&a.given_names)
                        .push_bind(&a.passport_number)
                        .push_bind(store.lookup(&a.passport_number))
                        .push_bind(&a.nationality)
                        .push_bind(a.birth_date.to_string())
                        .push_bind(&a.address_city)
                        .push_bind(&a.address_line)
                        .push_bind(us(a.arrived_at))
                        .push_bind(a.status.as_str())
                        .push_bind(a.notified_at.map(us))
                        .push_bind(us(a.deadline_at))
                        .push_bind(a.late)
                        .push_bind(a.fine_kzt);
                });
                q.build().execute(&mut **tx).await?;
        }
            Ok(())
        }

        /// The state hashes of the rows of `table` with these ids, as written in `tx`.
        async fn bulk_row_states(tx: &mut Tx, table: &AuditedTable, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>> {
            let mut out = std::collections::HashMap::with_capacity(ids.len());
            for chunk in ids.chunks(5_000) {
                let mut q: QueryBuilder<Db> = QueryBuilder::new(format!("{} WHERE id IN (", table.select()));
                let mut sep = q.separated(", ");
                for id in chunk {
                    sep.push_bind(*id);
                }
                q.push(")");
                for r in q.build().fetch_all(&mut **tx).await? {
                    out.insert(r.try_get("id")?, state_hash(table, &values_from(&r, table)?));
                }
            }
            Ok(out)
        }

        /// The same chain arithmetic as `append_audit_tx`, for many entries at once. The last
        /// entry of each application and arrival in the batch carries its row's state hash
        /// (the rows are written before), as a live change's entry would.
        async fn bulk_audit(tx: &mut Tx, audit: &[NewAudit]) -> Result<()> {
            if audit.is_empty() {
                return Ok(());
            }
            let mut states: Vec<Option<String>> = vec![None; audit.len()];
            for table in [&APPLICATIONS, &ARRIVALS] {
                let mut last: std::collections::HashMap<i64, usize> = std::collections::HashMap::new();
                for (i, a) in audit.iter().enumerate() {
                    if let Some(id) = table.id_of(&a.object) {
                        last.insert(id, i);
                    }
                }
                let mut ids: Vec<i64> = last.keys().copied().collect();
                ids.sort_unstable();
                let hashes = bulk_row_states(tx, table, &ids).await?;
                for (id, i) in last {
                    states[i] = hashes.get(&id).cloned();
                }
            }
            let head = sqlx::query(sql(format!(
                "SELECT seq, hash FROM audit_head WHERE id = 1{}",
                <$store as Backend>::LOCK_ROW
            )))
            .fetch_one(&mut **tx)
            .await?;
            let mut seq: i64 = head.try_get("seq")?;
            let mut prev: String = head.try_get("hash")?;
            let mut entries = Vec::with_capacity(audit.len());
            for (a, state) in audit.iter().zip(states) {
                seq += 1;
                let payload = a.payload.to_string();
                let hash = entry_hash(seq, a.at, &a.actor, &a.action, &a.object, &payload, &prev, state.as_deref());
                let prev_hash = std::mem::replace(&mut prev, hash.clone());
                entries.push((seq, a, payload, prev_hash, hash, state));
        }
            for chunk in entries.chunks(BULK_BINDS / 9) {
                let mut q: QueryBuilder<Db> = QueryBuilder::new(
                    "INSERT INTO audit_log (seq, at, actor, action, object, payload, \
                     prev_hash, hash, state_hash) ",
                );
                q.push_values(chunk, |mut r, (seq, a, payload, prev_hash, hash, state)| {
                    r.push_bind(*seq)
                        .push_bind(us(a.at))
                        .push_bind(&a.actor)
                        .push_bind(&a.action)
                        .push_bind(&a.object)
                        .push_bind(payload)
                        .push_bind(prev_hash)
                        .push_bind(hash)
                        .push_bind(state);
                });
                q.build().execute(&mut **tx).await?;
        }
            sqlx::query("UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1")
                .bind(seq)
                .bind(&prev)
                .execute(&mut **tx)
                .await?;
            Ok(())
        }

        impl Store for $store {
            fn backend(&self) -> &'static str {
                <Self as Backend>::NAME
            }

            fn passport_lookup(&self, passport_number: &str) -> String {
                self.lookup(passport_number)
            }

            async fn create_application(&self, n: &NewApplication, actor: &str) -> Result<Application> {
                let lookup = self.lookup(&n.applicant.passport_number);
                let mut tx = self.begin_write().await?;
                let inserted = sqlx::query(sql(format!(
                    "INSERT INTO applications (number, access_code_hash, permit_type, language, \
                     state, version, surname, given_names, passport_number, passport_lookup, \
                     nationality, birth_date, sex, passport_expiry, email, phone, address_city, \
                     address_line, arrival_date, office, queued_at, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, 'draft', 1, $5, $6, $7, $8, $9, $10, $11, $12, $13, \
                     $14, $15, $16, $17, $18, $19, $19, $19) RETURNING {APP_COLUMNS}"
                )))
                .bind(n.number.compact())
                .bind(&n.access_code_hash)
                .bind(&n.permit_type)
                .bind(n.language.code())
                .bind(&n.applicant.surname)
                .bind(&n.applicant.given_names)
                .bind(&n.applicant.passport_number)
                .bind(&lookup)
                .bind(&n.applicant.nationality)
                .bind(n.applicant.birth_date.to_string())
                .bind(&n.applicant.sex)
                .bind(n.applicant.passport_expiry.to_string())
                .bind(&n.email)
                .bind(&n.phone)
                .bind(&n.address_city)
                .bind(&n.address_line)
                .bind(n.arrival_date.map(|d| d.to_string()))
                .bind(&n.office)
                .bind(us(n.created_at))
                .fetch_one(&mut *tx)
                .await;
                let app = match inserted {
                    Ok(row) => application_from(&row)?,
                    Err(e) if StoreError::is_unique_violation(&e) => {
                        let pursued = sqlx::query(PURSUED_APPLICATION.as_str())
                            .bind(&lookup)
                            .bind(&n.permit_type);
                        let existing = if <$store as Backend>::READ_COLLISION_IN_TX {
                            pursued.fetch_optional(&mut *tx).await?
                        } else {
                            drop(tx);
                            pursued.fetch_optional(self.read_pool()).await?
                        };
                        return match existing {
                            Some(r) => Err(StoreError::Duplicate { existing_id: r.try_get("id")? }),
                            None => Err(StoreError::Taken("application number")),
                        };
                    }
                    Err(e) => return Err(e.into()),
                };
                // The audit append locks the chain's head: last, so the lock is held briefly.
                append_change_tx(
                    &mut tx,
                    &audit(
                        n.created_at,
                        actor,
                        "application.create",
                        format!("application:{}", app.id),
                        serde_json::json!({"state": "draft", "permit_type": n.permit_type, "version": 1}),
                    ),
                    &APPLICATIONS,
                    app.id,
                )
                .await?;
                tx.commit().await?;
                Ok(app)
            }

            async fn application(&self, id: i64) -> Result<Application> {
                app_where(self.read_pool(), "id", id).await
            }

            async fn application_by_number(&self, n: &CaseNumber) -> Result<Application> {
                app_where(self.read_pool(), "number", n.compact()).await
            }

            async fn status_by_number(&self, n: &CaseNumber) -> Result<StatusRow> {
                // The public hot path: each backend reads it its fastest way.
                self.status_row(n).await
            }

            async fn status_with_failures(
                &self,
                n: &CaseNumber,
                since: Timestamp,
            ) -> Result<(Failures, Option<StatusRow>)> {
                let key = self.attempt_key(AttemptKind::StatusNumber, &n.compact());
                self.status_row_failures(n, &key, us(since)).await
            }

            async fn recent_failures(
                &self,
                kind: AttemptKind,
                key: &str,
                since: Timestamp,
            ) -> Result<Failures> {
                let row = sqlx::query(
                    "SELECT COUNT(*) AS n, MIN(at) AS earliest FROM failed_attempts \
                     WHERE kind = $1 AND key_hash = $2 AND at > $3",
                )
                .bind(kind.as_str())
                .bind(self.attempt_key(kind, key))
                .bind(us(since))
                .fetch_one(self.read_pool())
                .await?;
                Failures::from_columns(row.try_get("n")?, row.try_get("earliest")?)
            }

            async fn record_failures(
                &self,
                attempts: &[(AttemptKind, &str)],
                at: Timestamp,
            ) -> Result<Vec<i64>> {
                if attempts.is_empty() {
                    return Ok(Vec::new());
                }
                let mut q = QueryBuilder::<Db>::new("INSERT INTO failed_attempts (kind, key_hash, at) ");
                q.push_values(attempts, |mut b, (kind, key)| {
                    b.push_bind(kind.as_str())
                        .push_bind(self.attempt_key(*kind, key))
                        .push_bind(us(at));
                });
                q.push(" RETURNING id");
                let mut tx = self.begin_write().await?;
                let ids = q
                    .build()
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| Ok(r.try_get("id")?))
                    .collect::<Result<Vec<i64>>>()?;
                tx.commit().await?;
                Ok(ids)
            }

            async fn forget_failures(&self, ids: &[i64]) -> Result<()> {
                if ids.is_empty() {
                    return Ok(());
                }
                let mut q = QueryBuilder::<Db>::new("DELETE FROM failed_attempts WHERE id IN (");
                let mut sep = q.separated(", ");
                for id in ids {
                    sep.push_bind(*id);
                }
                q.push(")");
                let mut tx = self.begin_write().await?;
                q.build().execute(&mut *tx).await?;
                tx.commit().await
            }

            async fn prune_failures(&self, before: Timestamp) -> Result<u64> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("DELETE FROM failed_attempts WHERE at <= $1")
                    .bind(us(before))
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(done.rows_affected())
            }

            async fn application_by_verify_token(&self, token_hash: &str) -> Result<Application> {
                app_where(self.read_pool(), "verify_token_hash", token_hash.to_owned()).await
            }

            async fn transition(&self, c: &TransitionChange) -> Result<Application> {
                let u = &c.update;
                let mut tx = self.begin_write().await?;
                let updated = sqlx::query(sql(format!(
                    "UPDATE applications SET state = $1, version = version + 1, updated_at = $2, \
                     reason = COALESCE($3, reason), valid_from = COALESCE($4, valid_from), \
                     valid_until = COALESCE($5, valid_until), collection_at = COALESCE($6, collection_at), \
                     collection_place = COALESCE($7, collection_place), card_number = COALESCE($8, card_number), \
                     verify_token_hash = COALESCE($9, verify_token_hash), submitted_at = COALESCE($10, submitted_at), \
                     queued_at = COALESCE($10, queued_at), due_at = COALESCE($11, due_at), \
                     assigned_officer = COALESCE($12, assigned_officer), \
                     decided_at = COALESCE($16, decided_at), respond_by = COALESCE($17, respond_by) \
                     WHERE id = $13 AND version = $14 AND state = $15 RETURNING {APP_COLUMNS}"
                )))
                .bind(c.to.as_str())
                .bind(us(c.at))
                .bind(&u.reason)
                .bind(u.valid_from.map(|d| d.to_string()))
                .bind(u.valid_until.map(|d| d.to_string()))
                .bind(u.collection_at.map(us))
                .bind(&u.collection_place)
                .bind(&u.card_number)
                .bind(&u.verify_token_hash)
                .bind(u.submitted_at.map(us))
                .bind(u.due_at.map(us))
                .bind(u.assigned_officer)
                .bind(c.application_id)
                .bind(c.expected_version)
                .bind(c.from.as_str())
                .bind(u.decided_at.map(us))
                .bind(u.respond_by.map(us))
                .fetch_optional(&mut *tx)
                .await;
                let updated = match updated {
                    // Submitting while another application for the same passport and card
                    // type is pursued (drafts block nobody, so this is where it shows).
                    Err(e) if StoreError::is_unique_violation(&e) => {
                        let pursued = sqlx::query(PURSUING_LIKE_CASE.as_str()).bind(c.application_id);
                        let existing = if <$store as Backend>::READ_COLLISION_IN_TX {
                            pursued.fetch_optional(&mut *tx).await?
                        } else {
                            drop(tx);
                            pursued.fetch_optional(self.read_pool()).await?
                        };
                        return match existing {
                            Some(r) => Err(StoreError::Duplicate { existing_id: r.try_get("id")? }),
                            None => Err(e.into()),
                        };
                    }
                    other => other?,
                };
                let Some(updated) = updated else {
                    let current = sqlx::query("SELECT version FROM applications WHERE id = $1")
                        .bind(c.application_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    return match current {
                        None => Err(StoreError::NotFound),
                        Some(r) => Err(StoreError::Conflict { current: r.try_get("version")? }),
                    };
                };
                let app = application_from(&updated)?;
                for m in &c.outbox {
                    insert_outbox_tx(&mut tx, m, c.at).await?;
                }
                // The audit append locks the chain's head: last, so the lock is held briefly.
                append_change_tx(
                    &mut tx,
                    &audit(
                        c.at,
                        &c.actor,
                        &format!("application.{}", c.action),
                        format!("application:{}", c.application_id),
                        serde_json::to_value(c.audit()).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    ),
                    &APPLICATIONS,
                    c.application_id,
                )
                .await?;
                tx.commit().await?;
                Ok(app)
            }

            async fn add_document(&self, d: &NewDocument, actor: &str) -> Result<Document> {
                let mut tx = self.begin_write().await?;
                let row = sqlx::query(
                    "INSERT INTO documents (application_id, kind, sha256, size, content_type, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6) \
                     RETURNING id, application_id, kind, sha256, size, content_type, created_at",
                )
                .bind(d.application_id)
                .bind(&d.kind)
                .bind(&d.sha256)
                .bind(d.size)
                .bind(&d.content_type)
                .bind(us(d.created_at))
                .fetch_one(&mut *tx)
                .await?;
                let doc = document_from(&row)?;
                append_audit_tx(
                    &mut tx,
                    &audit(
                        d.created_at,
                        actor,
                        "document.add",
                        format!("application:{}", d.application_id),
                        serde_json::json!({"document_id": doc.id, "kind": d.kind, "size": d.size,
                                           "content_type": d.content_type}),
                    ),
                )
                .await?;
                tx.commit().await?;
                Ok(doc)
            }

            async fn documents(&self, application_id: i64) -> Result<Vec<Document>> {
                let rows = sqlx::query(
                    "SELECT id, application_id, kind, sha256, size, content_type, created_at \
                     FROM documents WHERE application_id = $1 ORDER BY id",
                )
                .bind(application_id)
                .fetch_all(self.read_pool())
                .await?;
                rows.iter().map(document_from).collect()
            }

            async fn list_cases(&self, f: &CaseFilter, after: Option<Cursor>, limit: u32) -> Result<Page<CaseSummary>> {
                let limit = limit.clamp(1, 500);
                let mut q: QueryBuilder<Db> = QueryBuilder::new(
                    "SELECT id, number, permit_type, state, version, nationality, office, \
                     assigned_officer, queued_at, submitted_at, due_at, updated_at \
                     FROM applications WHERE 1 = 1",
                );
                push_filter(&mut q, f);
                if let Some(c) = after {
                    // Row-value comparison keeps the index range scan on (…, queued_at, id).
                    q.push(" AND (queued_at, id) > (").push_bind(c.queued_at);
                    q.push(", ").push_bind(c.id).push(")");
                }
                q.push(" ORDER BY queued_at, id LIMIT ").push_bind(i64::from(limit) + 1);
                let rows = q.build().fetch_all(self.read_pool()).await?;
                let mut items = rows.iter().map(summary_from).collect::<Result<Vec<_>>>()?;
                let next = if items.len() > limit as usize {
                    items.truncate(limit as usize);
                    items.last().map(|l| Cursor { queued_at: us(l.queued_at), id: l.id })
                } else {
                    None
                };
                Ok(Page { items, next })
            }

            async fn count_cases(&self, f: &CaseFilter, at_most: i64) -> Result<i64> {
                let mut q: QueryBuilder<Db> = QueryBuilder::new("");
                push_count(&mut q, f, at_most);
                let row = q.build().fetch_one(self.read_pool()).await?;
                Ok(row.try_get("n")?)
            }

            async fn cases_by_passport(&self, lookup: &str) -> Result<Vec<CaseSummary>> {
                let rows = sqlx::query(sql(format!(
                    "SELECT {SUMMARY_COLUMNS} FROM applications WHERE passport_lookup = $1 \
                     ORDER BY queued_at, id LIMIT 200"
                )))
                .bind(lookup.to_owned())
                .fetch_all(self.read_pool())
                .await?;
                rows.iter().map(summary_from).collect()
            }

            async fn case_history(&self, application_id: i64) -> Result<Vec<AuditEntry>> {
                self.chain_pending().await?;
                let rows = sqlx::query(sql(format!(
                    "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE object = $1 ORDER BY seq"
                )))
                .bind(format!("application:{application_id}"))
                .fetch_all(self.read_pool())
                .await?;
                rows.iter().map(audit_from).collect()
            }

            async fn assign(&self, application_id: i64, expected_version: i64, officer_id: i64, actor: &str, at: Timestamp) -> Result<Application> {
                let mut tx = self.begin_write().await?;
                let updated = sqlx::query(sql(format!(
                    "UPDATE applications SET assigned_officer = $1, version = version + 1, updated_at = $2 \
                     WHERE id = $3 AND version = $4 RETURNING {APP_COLUMNS}"
                )))
                .bind(officer_id)
                .bind(us(at))
                .bind(application_id)
                .bind(expected_version)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(updated) = updated else {
                    let current = sqlx::query("SELECT version FROM applications WHERE id = $1")
                        .bind(application_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    return match current {
                        None => Err(StoreError::NotFound),
                        Some(r) => Err(StoreError::Conflict { current: r.try_get("version")? }),
                    };
                };
                let app = application_from(&updated)?;
                append_change_tx(
                    &mut tx,
                    &audit(
                        at,
                        actor,
                        "application.assign",
                        format!("application:{application_id}"),
                        serde_json::json!({"officer": officer_id, "version": app.version}),
                    ),
                    &APPLICATIONS,
                    application_id,
                )
                .await?;
                tx.commit().await?;
                Ok(app)
            }

            async fn append_audit(&self, a: &NewAudit) -> Result<()> {
                let mut tx = self.begin_write().await?;
                append_audit_tx(&mut tx, a).await?;
                tx.commit().await
            }

            async fn create_arrival(&self, a: &NewArrival, actor: &str, at: Timestamp) -> Result<Arrival> {
                let mut tx = self.begin_write().await?;
                let inserted = sqlx::query(sql(format!(
                    "INSERT INTO arrivals (confirmation_number, host_id, surname, given_names, \
                     passport_number, passport_lookup, nationality, birth_date, address_city, \
                     address_line, arrived_at, status, notified_at, deadline_at, late, fine_kzt) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
                     RETURNING {ARRIVAL_COLUMNS}"
                )))
                .bind(&a.confirmation_number)
                .bind(a.host_id)
                .bind(&a.surname)
                .bind(&a.given_names)
                .bind(&a.passport_number)
                .bind(self.lookup(&a.passport_number))
                .bind(&a.nationality)
                .bind(a.birth_date.to_string())
                .bind(&a.address_city)
                .bind(&a.address_line)
                .bind(us(a.arrived_at))
                .bind(a.status.as_str())
                .bind(a.notified_at.map(us))
                .bind(us(a.deadline_at))
                .bind(a.late)
                .bind(a.fine_kzt)
                .fetch_one(&mut *tx)
                .await;
                let row = match inserted {
                    Ok(r) => r,
                    Err(e) if StoreError::is_unique_violation(&e) => return Err(StoreError::Taken("confirmation number")),
                    Err(e) => return Err(e.into()),
                };
                let arrival = arrival_from(&row)?;
                append_change_tx(
                    &mut tx,
                    &audit(at, actor, "arrival.create", format!("arrival:{}", arrival.id),
                           serde_json::json!({"host_id": a.host_id, "status": a.status.as_str(), "late": a.late})),
                    &ARRIVALS,
                    arrival.id,
                )
                .await?;
                tx.commit().await?;
                Ok(arrival)
            }

            async fn arrivals_for_host(&self, host_id: i64, status: Option<ArrivalStatus>, before: Option<i64>, limit: u32) -> Result<Vec<Arrival>> {
                let filter = if status.is_some() { " AND status = $4" } else { "" };
                let mut q = sqlx::query(sql(format!(
                    "SELECT {ARRIVAL_COLUMNS} FROM arrivals WHERE host_id = $1 AND id < $2{filter} \
                     ORDER BY id DESC LIMIT $3"
                )))
                .bind(host_id)
                .bind(before.unwrap_or(i64::MAX))
                .bind(i64::from(limit.clamp(1, 500)));
                if let Some(st) = status {
                    q = q.bind(st.as_str());
                }
                let rows = q.fetch_all(self.read_pool()).await?;
                rows.iter().map(arrival_from).collect()
            }

            async fn expected_arrivals_for_host(&self, host_id: i64, limit: u32) -> Result<Vec<Arrival>> {
                // `status = 'expected'` as a literal: the predicate of the partial index
                // arrivals_host_expected, which SQLite uses only when it sees the very term.
                let rows = sqlx::query(sql(format!(
                    "SELECT {ARRIVAL_COLUMNS} FROM arrivals WHERE host_id = $1 AND status = 'expected' \
                     ORDER BY deadline_at, id LIMIT $2"
                )))
                .bind(host_id)
                .bind(i64::from(limit.clamp(1, 500)))
                .fetch_all(self.read_pool())
                .await?;
                rows.iter().map(arrival_from).collect()
            }

            async fn arrival_for_host(&self, host_id: i64, id: i64) -> Result<Arrival> {
                let row = sqlx::query(sql(format!(
                    "SELECT {ARRIVAL_COLUMNS} FROM arrivals WHERE host_id = $1 AND id = $2"
                )))
                .bind(host_id)
                .bind(id)
                .fetch_optional(self.read_pool())
                .await?
                .ok_or(StoreError::NotFound)?;
                arrival_from(&row)
            }

            async fn confirm_arrival(&self, host_id: i64, id: i64, c: &ArrivalConfirmation, actor: &str) -> Result<Arrival> {
                let mut tx = self.begin_write().await?;
                // SET reads the row as it was: a late flag the worker set before this write
                // stays, with the deadline it missed and its fine; otherwise the
                // confirmation's assessment applies.
                let updated = sqlx::query(sql(format!(
                    "UPDATE arrivals SET status = 'notified', arrived_at = $3, notified_at = $4, \
                     deadline_at = CASE WHEN late THEN deadline_at ELSE $5 END, \
                     fine_kzt = CASE WHEN late THEN fine_kzt ELSE $7 END, \
                     late = (late OR $6) \
                     WHERE host_id = $1 AND id = $2 AND status = 'expected' RETURNING {ARRIVAL_COLUMNS}"
                )))
                .bind(host_id)
                .bind(id)
                .bind(us(c.arrived_at))
                .bind(us(c.notified_at))
                .bind(us(c.deadline_at))
                .bind(c.late)
                .bind(c.fine_kzt)
                .fetch_optional(&mut *tx)
                .await?;
                let Some(row) = updated else {
                    let current = sqlx::query("SELECT notified_at FROM arrivals WHERE host_id = $1 AND id = $2")
                        .bind(host_id)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                    return match current {
                        None => Err(StoreError::NotFound),
                        Some(r) => match ts_opt(r.try_get("notified_at")?)? {
                            Some(notified_at) => Err(StoreError::AlreadyNotified { notified_at }),
                            None => Err(StoreError::Corrupt(format!("arrival {id} is expected and was not updated"))),
                        },
                    };
                };
                let arrival = arrival_from(&row)?;
                append_change_tx(
                    &mut tx,
                    &audit(c.notified_at, actor, "arrival.confirm", format!("arrival:{id}"),
                           serde_json::json!({"host_id": host_id, "late": arrival.late})),
                    &ARRIVALS,
                    id,
                )
                .await?;
                tx.commit().await?;
                Ok(arrival)
            }

            async fn arrivals_due_reminder(&self, now: Timestamp, until: Timestamp, limit: u32) -> Result<Vec<Arrival>> {
                // The key is Arrival::reminder_key's; `late = FALSE` rather than `NOT late`, so
                // that SQLite reads a range of arrivals_due (status, late, deadline_at).
                let rows = sqlx::query(sql(format!(
                    "SELECT {ARRIVAL_COLUMNS} FROM arrivals a WHERE status = 'expected' AND late = FALSE \
                     AND deadline_at > $1 AND deadline_at <= $2 \
                     AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'arrival-remind:' || CAST(a.id AS TEXT)) \
                     ORDER BY deadline_at, id LIMIT $3"
                )))
                .bind(us(now))
                .bind(us(until))
                .bind(i64::from(limit.max(1)))
                .fetch_all(self.read_pool())
                .await?;
                rows.iter().map(arrival_from).collect()
            }

            async fn arrivals_past_deadline(&self, now: Timestamp, limit: u32) -> Result<Vec<Arrival>> {
                let rows = sqlx::query(sql(format!(
                    "SELECT {ARRIVAL_COLUMNS} FROM arrivals WHERE status = 'expected' AND late = FALSE \
                     AND deadline_at < $1 ORDER BY deadline_at, id LIMIT $2"
                )))
                .bind(us(now))
                .bind(i64::from(limit.max(1)))
                .fetch_all(self.read_pool())
                .await?;
                rows.iter().map(arrival_from).collect()
            }

            async fn remind_arrival(&self, id: i64, m: &NewOutboxMessage, a: &NewAudit) -> Result<bool> {
                let mut tx = self.begin_write().await?;
                // Locked (PostgreSQL) so that a confirmation waits for this reminder or this
                // reminder sees it: never a reminder of an arrival already notified.
                let still = sqlx::query(sql(format!(
                    "SELECT id FROM arrivals WHERE id = $1 AND status = 'expected' AND late = FALSE{}",
                    <$store as Backend>::LOCK_ROW
                )))
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
                if still.is_none() || !insert_outbox_tx(&mut tx, m, a.at).await? {
                    return Ok(false);
                }
                append_audit_tx(&mut tx, a).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn flag_arrival_late(&self, id: i64, fine_kzt: Option<i64>, m: &NewOutboxMessage, a: &NewAudit) -> Result<bool> {
                let mut tx = self.begin_write().await?;
                let flagged = sqlx::query(
                    "UPDATE arrivals SET late = TRUE, fine_kzt = $2 \
                     WHERE id = $1 AND status = 'expected' AND late = FALSE AND deadline_at < $3",
                )
                .bind(id)
                .bind(fine_kzt)
                .bind(us(a.at))
                .execute(&mut *tx)
                .await?;
                if flagged.rows_affected() == 0 {
                    return Ok(false);
                }
                // The flag and its message go together; a message already keyed so (there
                // is none while the flag was unset) is not queued twice.
                insert_outbox_tx(&mut tx, m, a.at).await?;
                // The entry is about this arrival whatever the caller named: its state hash
                // is this row's.
                let a = NewAudit { object: ARRIVALS.object_of(id), ..a.clone() };
                append_change_tx(&mut tx, &a, &ARRIVALS, id).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn create_user(&self, u: &NewUser, actor: &str) -> Result<User> {
                let mut tx = self.begin_write().await?;
                let inserted = sqlx::query(sql(format!(
                    "INSERT INTO users (username, role, password_hash, host_kind, office, created_at, \
                     email, language) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {USER_COLUMNS}"
                )))
                .bind(&u.username)
                .bind(u.role.as_str())
                .bind(&u.password_hash)
                .bind(&u.host_kind)
                .bind(&u.office)
                .bind(us(u.created_at))
                .bind(&u.email)
                .bind(u.language.map(tirkeu_core::text::Lang::code))
                .fetch_one(&mut *tx)
                .await;
                let row = match inserted {
                    Ok(r) => r,
                    Err(e) if StoreError::is_unique_violation(&e) => return Err(StoreError::Taken("username")),
                    Err(e) => return Err(e.into()),
                };
                let user = user_from(&row)?;
                append_audit_tx(
                    &mut tx,
                    &audit(u.created_at, actor, "user.create", format!("user:{}", user.id),
                           serde_json::json!({"role": u.role.as_str()})),
                )
                .await?;
                tx.commit().await?;
                Ok(user)
            }

            async fn user(&self, id: i64) -> Result<User> {
                user_where(self.read_pool(), "id", id).await
            }

            async fn user_by_username(&self, username: &str) -> Result<User> {
                user_where(self.read_pool(), "username", username.to_owned()).await
            }

            async fn users(&self) -> Result<Vec<User>> {
                let rows = sqlx::query(sql(format!("SELECT {USER_COLUMNS} FROM users ORDER BY id")))
                    .fetch_all(self.read_pool())
                    .await?;
                rows.iter().map(user_from).collect()
            }

            async fn set_user_disabled(&self, id: i64, disabled: bool, actor: &str, at: Timestamp) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE users SET disabled = $1 WHERE id = $2")
                    .bind(disabled)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
                append_audit_tx(
                    &mut tx,
                    &audit(at, actor, if disabled { "user.disable" } else { "user.enable" },
                           format!("user:{id}"), serde_json::json!({"disabled": disabled})),
                )
                .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_session(&self, token_hash: &str, s: &Session, a: &NewAudit) -> Result<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query("INSERT INTO sessions (token_hash, user_id, created_at, expires_at, scope) VALUES ($1, $2, $3, $4, $5)")
                    .bind(token_hash)
                    .bind(s.user_id)
                    .bind(us(s.created_at))
                    .bind(us(s.expires_at))
                    .bind(s.scope.as_str())
                    .execute(&mut *tx)
                    .await?;
                append_audit_tx(&mut tx, a).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn session(&self, token_hash: &str, now: Timestamp) -> Result<Session> {
                let row = sqlx::query(
                    "SELECT s.user_id, s.created_at, s.expires_at, s.scope FROM sessions s \
                     JOIN users u ON u.id = s.user_id \
                     WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled",
                )
                .bind(token_hash)
                .bind(us(now))
                .fetch_optional(self.read_pool())
                .await?
                .ok_or(StoreError::NotFound)?;
                Ok(Session {
                    user_id: row.try_get("user_id")?,
                    created_at: ts(row.try_get("created_at")?)?,
                    expires_at: ts(row.try_get("expires_at")?)?,
                    scope: SessionScope::parse(row.try_get("scope")?)
                        .ok_or_else(|| StoreError::Corrupt("sessions.scope".into()))?,
                })
            }

            async fn delete_session(&self, token_hash: &str) -> Result<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                    .bind(token_hash)
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn begin_second_factor(&self, user_id: i64, secret: &str) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2")
                    .bind(secret)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                tx.commit().await?;
                Ok(())
            }

            async fn enable_second_factor(
                &self,
                user_id: i64,
                secret: &str,
                step: i64,
                recovery_hashes: &[String],
                a: &NewAudit,
            ) -> Result<bool> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1 \
                     WHERE id = $2 AND totp_pending = $3",
                )
                .bind(step)
                .bind(user_id)
                .bind(secret)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(false);
                }
                sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
                for h in recovery_hashes {
                    sqlx::query("INSERT INTO recovery_codes (user_id, code_hash) VALUES ($1, $2)")
                        .bind(user_id)
                        .bind(h)
                        .execute(&mut *tx)
                        .await?;
                }
                append_audit_tx(&mut tx, a).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn spend_totp_step(&self, user_id: i64, step: i64) -> Result<bool> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE users SET totp_last_step = $1 WHERE id = $2 \
                     AND totp_secret IS NOT NULL AND (totp_last_step IS NULL OR totp_last_step < $1)",
                )
                .bind(step)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(done.rows_affected() == 1)
            }

            async fn spend_recovery_code(&self, user_id: i64, code_hash: &str, a: &NewAudit) -> Result<Option<i64>> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
                )
                .bind(us(a.at))
                .bind(user_id)
                .bind(code_hash)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Ok(None);
                }
                let left: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL",
                )
                .bind(user_id)
                .fetch_one(&mut *tx)
                .await?;
                append_audit_tx(&mut tx, a).await?;
                tx.commit().await?;
                Ok(Some(left))
            }

            async fn reset_second_factor(&self, user_id: i64, a: &NewAudit) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL WHERE id = $1",
                )
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
                append_audit_tx(&mut tx, a).await?;
                tx.commit().await?;
                Ok(())
            }

            async fn create_api_key(&self, user_id: i64, key_hash: &str, label: &str, at: Timestamp, actor: &str) -> Result<ApiKey> {
                let mut tx = self.begin_write().await?;
                let row = sqlx::query(
                    "INSERT INTO api_keys (user_id, key_hash, label, created_at) VALUES ($1, $2, $3, $4) \
                     RETURNING id, user_id, label, created_at, revoked_at",
                )
                .bind(user_id)
                .bind(key_hash)
                .bind(label)
                .bind(us(at))
                .fetch_one(&mut *tx)
                .await?;
                let key = api_key_from(&row)?;
                append_audit_tx(
                    &mut tx,
                    &audit(at, actor, "api_key.create", format!("api_key:{}", key.id),
                           serde_json::json!({"user_id": user_id})),
                )
                .await?;
                tx.commit().await?;
                Ok(key)
            }

            async fn api_key_by_hash(&self, key_hash: &str) -> Result<ApiKey> {
                let row = sqlx::query(
                    "SELECT k.id, k.user_id, k.label, k.created_at, k.revoked_at FROM api_keys k \
                     JOIN users u ON u.id = k.user_id \
                     WHERE k.key_hash = $1 AND k.revoked_at IS NULL AND NOT u.disabled",
                )
                .bind(key_hash)
                .fetch_optional(self.read_pool())
                .await?
                .ok_or(StoreError::NotFound)?;
                api_key_from(&row)
            }

            async fn api_keys(&self, user_id: i64) -> Result<Vec<ApiKey>> {
                let rows = sqlx::query(
                    "SELECT id, user_id, label, created_at, revoked_at FROM api_keys WHERE user_id = $1 ORDER BY id",
                )
                .bind(user_id)
                .fetch_all(self.read_pool())
                .await?;
                rows.iter().map(api_key_from).collect()
            }

            async fn revoke_api_key(&self, id: i64, at: Timestamp, actor: &str) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query("UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                    .bind(us(at))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                append_audit_tx(&mut tx, &audit(at, actor, "api_key.revoke", format!("api_key:{id}"), serde_json::json!({})))
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn audit_entries(&self, after_seq: i64, limit: u32) -> Result<Vec<AuditEntry>> {
                self.chain_pending().await?;
                let rows = sqlx::query(sql(format!(
                    "SELECT {AUDIT_COLUMNS} FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2"
                )))
                .bind(after_seq)
                .bind(i64::from(limit.max(1)))
                .fetch_all(self.read_pool())
                .await?;
                rows.iter().map(audit_from).collect()
            }

            async fn audit_head(&self) -> Result<(i64, String)> {
                self.chain_pending().await?;
                let row = sqlx::query("SELECT seq, hash FROM audit_head WHERE id = 1")
                    .fetch_one(self.read_pool())
                    .await?;
                Ok((row.try_get("seq")?, row.try_get("hash")?))
            }

            async fn audit_hashed_after(&self) -> Result<i64> {
                let row = sqlx::query("SELECT hashed_after FROM audit_state WHERE id = 1")
                    .fetch_optional(self.read_pool())
                    .await?
                    .ok_or_else(|| StoreError::Corrupt("audit_state has no row (deleted?)".into()))?;
                Ok(row.try_get("hashed_after")?)
            }

            async fn audit_baseline(&self, table: &'static AuditedTable, after_id: i64, limit: u32, actor: &str, at: Timestamp) -> Result<(Option<i64>, u64)> {
                self.chain_pending().await?;
                let mut tx = self.begin_write().await?;
                let ids: Vec<i64> = sqlx::query(sql(format!(
                    "SELECT id FROM {} WHERE id > $1 ORDER BY id LIMIT $2",
                    table.table
                )))
                .bind(after_id)
                .bind(i64::from(limit.max(1)))
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|r| r.try_get("id"))
                .collect::<std::result::Result<_, _>>()?;
                let mut written = 0;
                for id in &ids {
                    // A point range of audit_log_object (object, seq) per row.
                    let hashed = sqlx::query(
                        "SELECT 1 AS one FROM audit_log WHERE object = $1 AND state_hash IS NOT NULL LIMIT 1",
                    )
                    .bind(table.object_of(*id))
                    .fetch_optional(&mut *tx)
                    .await?;
                    if hashed.is_none() {
                        append_change_tx(
                            &mut tx,
                            &audit(at, actor, &format!("{}.baseline", table.object), table.object_of(*id),
                                   serde_json::json!({})),
                            table,
                            *id,
                        )
                        .await?;
                        written += 1;
                    }
                }
                tx.commit().await?;
                Ok((ids.last().copied(), written))
            }

            async fn audited_rows(&self, table: &'static AuditedTable, after_id: i64, limit: u32) -> Result<Vec<RowState>> {
                let rows = sqlx::query(sql(format!("{} WHERE id > $1 ORDER BY id LIMIT $2", table.select())))
                    .bind(after_id)
                    .bind(i64::from(limit.max(1)))
                    .fetch_all(self.read_pool())
                    .await?;
                let label_at = table.columns.iter().position(|(c, _)| *c == table.label);
                rows.iter()
                    .map(|r| {
                        let values = values_from(r, table)?;
                        let label = match label_at.and_then(|i| values.get(i)) {
                            Some(Value::Text(t)) if table.label == "number" => {
                                number(t).map_or_else(|_| t.clone(), |n| n.to_string())
                            }
                            Some(Value::Text(t)) => t.clone(),
                            _ => String::new(),
                        };
                        Ok(RowState { id: r.try_get("id")?, label, state_hash: state_hash(table, &values) })
                    })
                    .collect()
            }

            async fn claim_outbox(&self, worker: &str, now: Timestamp, lease: SignedDuration, limit: u32) -> Result<Vec<OutboxMessage>> {
                let until = now.checked_add(lease).map_err(|e| StoreError::Config(e.to_string()))?;
                let mut tx = self.begin_write().await?;
                let rows = sqlx::query(sql(format!(
                    "UPDATE outbox SET locked_until = $1, locked_by = $2, attempts = attempts + 1, \
                     first_tried_at = COALESCE(first_tried_at, $3) \
                     WHERE id IN (SELECT id FROM outbox WHERE finished_at IS NULL AND available_at <= $3 \
                     AND (locked_until IS NULL OR locked_until < $3) ORDER BY id LIMIT $4{}) \
                     RETURNING id, kind, payload, created_at, attempts, first_tried_at",
                    <$store as Backend>::SKIP_LOCKED
                )))
                .bind(us(until))
                .bind(worker)
                .bind(us(now))
                .bind(i64::from(limit.max(1)))
                .fetch_all(&mut *tx)
                .await?;
                tx.commit().await?;
                let mut out = Vec::with_capacity(rows.len());
                for r in &rows {
                    let payload: String = r.try_get("payload")?;
                    out.push(OutboxMessage {
                        id: r.try_get("id")?,
                        kind: r.try_get("kind")?,
                        payload: serde_json::from_str(&payload).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                        created_at: ts(r.try_get("created_at")?)?,
                        attempts: r.try_get("attempts")?,
                        first_tried_at: ts(r.try_get("first_tried_at")?)?,
                    });
                }
                out.sort_by_key(|m| m.id);
                Ok(out)
            }

            async fn outbox_done(&self, id: i64, worker: &str, at: Timestamp, delivery: &Delivery) -> Result<()> {
                let (sent_at, version, error) = match delivery {
                    Delivery::Sent { template_version } => (Some(us(at)), Some(template_version.as_str()), None),
                    Delivery::NoRecipient => (None, None, None),
                    Delivery::Failed { error } => (None, None, Some(error.as_str())),
                };
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(sql(format!(
                    "UPDATE outbox SET finished_at = $1, outcome = $4, sent_at = $5, template_version = $6, \
                     last_error = COALESCE($7, last_error), locked_until = NULL \
                     WHERE id = $2 AND {LEASE_HELD_BY_3}"
                )))
                .bind(us(at))
                .bind(id)
                .bind(worker)
                .bind(delivery.outcome())
                .bind(sent_at)
                .bind(version)
                .bind(error)
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                lease_outcome(self.read_pool(), id, done.rows_affected()).await
            }

            async fn outbox_retry(&self, id: i64, worker: &str, error: &str, retry_at: Timestamp) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(sql(format!(
                    "UPDATE outbox SET last_error = $1, available_at = $4, locked_until = NULL \
                     WHERE id = $2 AND {LEASE_HELD_BY_3}"
                )))
                .bind(error)
                .bind(id)
                .bind(worker)
                .bind(us(retry_at))
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                lease_outcome(self.read_pool(), id, done.rows_affected()).await
            }

            async fn queue_message(&self, m: &NewOutboxMessage, a: &NewAudit) -> Result<bool> {
                let mut tx = self.begin_write().await?;
                if !insert_outbox_tx(&mut tx, m, a.at).await? {
                    return Ok(false);
                }
                append_audit_tx(&mut tx, a).await?;
                tx.commit().await?;
                Ok(true)
            }

            async fn outbox_entry(&self, id: i64) -> Result<OutboxEntry> {
                let row = sqlx::query(sql(format!("SELECT {OUTBOX_ENTRY_COLUMNS} FROM outbox WHERE id = $1")))
                    .bind(id)
                    .fetch_optional(self.read_pool())
                    .await?
                    .ok_or(StoreError::NotFound)?;
                outbox_entry_from(&row)
            }

            async fn failed_outbox(&self, before: Option<(Timestamp, i64)>, limit: u32) -> Result<Vec<OutboxEntry>> {
                let (at, id) = before.map_or((i64::MAX, i64::MAX), |(t, id)| (us(t), id));
                let rows = sqlx::query(sql(format!(
                    "SELECT {OUTBOX_ENTRY_COLUMNS} FROM outbox WHERE outcome = 'failed' \
                     AND (finished_at < $1 OR (finished_at = $1 AND id < $2)) \
                     ORDER BY finished_at DESC, id DESC LIMIT $3"
                )))
                .bind(at)
                .bind(id)
                .bind(i64::from(limit.max(1)))
                .fetch_all(self.read_pool())
                .await?;
                rows.iter().map(outbox_entry_from).collect()
            }

            async fn outbox_counts(&self) -> Result<OutboxCounts> {
                let pending: i64 = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE finished_at IS NULL")
                    .fetch_one(self.read_pool())
                    .await?
                    .try_get("n")?;
                let failed: i64 = sqlx::query("SELECT COUNT(*) AS n FROM outbox WHERE outcome = 'failed'")
                    .fetch_one(self.read_pool())
                    .await?
                    .try_get("n")?;
                Ok(OutboxCounts { pending, failed })
            }

            async fn resend_outbox(&self, id: i64, at: Timestamp, actor: &str) -> Result<()> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE outbox SET outcome = NULL, finished_at = NULL, sent_at = NULL, available_at = $1, \
                     attempts = 0, first_tried_at = NULL, locked_until = NULL, locked_by = NULL \
                     WHERE id = $2 AND outcome = 'failed'",
                )
                .bind(us(at))
                .bind(id)
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                append_audit_tx(&mut tx, &audit(at, actor, "outbox.resend", format!("outbox:{id}"), serde_json::json!({})))
                    .await?;
                tx.commit().await?;
                Ok(())
            }

            async fn timer_cases(&self, q: &TimerQuery, limit: u32) -> Result<Vec<TimerCase>> {
                const COLS: &str = "id, version, state, permit_type, language, valid_until";
                let limit = i64::from(limit.max(1));
                let rows = match q {
                    TimerQuery::DraftsCreatedBefore(t) => sqlx::query(sql(format!(
                        "SELECT {COLS} FROM applications WHERE state = 'draft' AND created_at <= $1 \
                         ORDER BY created_at, id LIMIT $2"
                    )))
                    .bind(us(*t))
                    .bind(limit)
                    .fetch_all(self.read_pool())
                    .await?,
                    TimerQuery::InfoRequestsDueBefore(t) => sqlx::query(sql(format!(
                        "SELECT {COLS} FROM applications WHERE state = 'info_requested' AND respond_by < $1 \
                         ORDER BY respond_by, id LIMIT $2"
                    )))
                    .bind(us(*t))
                    .bind(limit)
                    .fetch_all(self.read_pool())
                    .await?,
                    TimerQuery::CardsValidBefore(d) => sqlx::query(sql(format!(
                        "SELECT {COLS} FROM applications WHERE state = 'issued' AND valid_until < $1 \
                         ORDER BY valid_until, id LIMIT $2"
                    )))
                    .bind(d.to_string())
                    .bind(limit)
                    .fetch_all(self.read_pool())
                    .await?,
                    TimerQuery::CardsToRemind { from, until, days } => sqlx::query(sql(format!(
                        "SELECT {COLS} FROM applications a WHERE state = 'issued' \
                         AND valid_until >= $1 AND valid_until <= $2 \
                         AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = 'expiry:' || a.id || ':' || $3) \
                         ORDER BY valid_until, id LIMIT $4"
                    )))
                    .bind(from.to_string())
                    .bind(until.to_string())
                    .bind(days.to_string())
                    .bind(limit)
                    .fetch_all(self.read_pool())
                    .await?,
                    TimerQuery::ClosedBefore(t) => sqlx::query(sql(format!(
                        "SELECT {COLS} FROM applications WHERE {} AND updated_at <= $1 \
                         ORDER BY updated_at, id LIMIT $2",
                        *CLOSED_UNPURGED
                    )))
                    .bind(us(*t))
                    .bind(limit)
                    .fetch_all(self.read_pool())
                    .await?,
                };
                rows.iter().map(timer_case_from).collect()
            }

            async fn purge_case(&self, id: i64, at: Timestamp, actor: &str) -> Result<Vec<String>> {
                let mut tx = self.begin_write().await?;
                let purged = sqlx::query(sql(format!(
                    "UPDATE applications SET surname = '', given_names = '', passport_number = '', \
                     passport_lookup = 'purged:' || id, birth_date = SUBSTR(birth_date, 1, 4) || '-01-01', \
                     passport_expiry = SUBSTR(passport_expiry, 1, 4) || '-01-01', email = NULL, phone = NULL, \
                     address_line = '', arrival_date = NULL, collection_place = NULL, card_number = NULL, \
                     verify_token_hash = NULL, access_code_hash = '', version = version + 1, purged_at = $2 \
                     WHERE id = $1 AND {}",
                    *CLOSED_UNPURGED
                )))
                .bind(id)
                .bind(us(at))
                .execute(&mut *tx)
                .await?;
                if purged.rows_affected() == 0 {
                    return Err(StoreError::NotFound);
                }
                let hashes: Vec<String> = sqlx::query("DELETE FROM documents WHERE application_id = $1 RETURNING sha256")
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| r.try_get("sha256"))
                    .collect::<std::result::Result<_, _>>()?;
                let mut unreferenced = Vec::new();
                for h in &hashes {
                    let used = sqlx::query("SELECT 1 AS one FROM documents WHERE sha256 = $1 LIMIT 1")
                        .bind(h)
                        .fetch_optional(&mut *tx)
                        .await?;
                    if used.is_none() && !unreferenced.contains(h) {
                        unreferenced.push(h.clone());
                    }
                }
                // The purge is a change like any other: its entry records the purged row.
                append_change_tx(
                    &mut tx,
                    &audit(at, actor, "application.purge", format!("application:{id}"),
                           serde_json::json!({"documents": hashes.len()})),
                    &APPLICATIONS,
                    id,
                )
                .await?;
                tx.commit().await?;
                Ok(unreferenced)
            }

            async fn purge_arrivals(&self, before: Timestamp, at: Timestamp, actor: &str, limit: u32) -> Result<u64> {
                let mut tx = self.begin_write().await?;
                let rows = sqlx::query(
                    "UPDATE arrivals SET surname = '', given_names = '', passport_number = '', \
                     passport_lookup = 'purged:' || id, birth_date = SUBSTR(birth_date, 1, 4) || '-01-01', \
                     address_line = '', purged_at = $2 \
                     WHERE id IN (SELECT id FROM arrivals WHERE purged_at IS NULL AND deadline_at <= $1 \
                     ORDER BY deadline_at, id LIMIT $3) RETURNING id",
                )
                .bind(us(before))
                .bind(us(at))
                .bind(i64::from(limit.max(1)))
                .fetch_all(&mut *tx)
                .await?;
                if rows.is_empty() {
                    return Ok(0);
                }
                let mut ids: Vec<i64> = rows.iter().map(|r| r.try_get("id")).collect::<std::result::Result<_, _>>()?;
                ids.sort_unstable();
                // One entry per arrival, each recording the purged row's state, so that the
                // verifier knows every row's last state.
                for id in &ids {
                    append_change_tx(
                        &mut tx,
                        &audit(at, actor, "arrival.purge", format!("arrival:{id}"),
                               serde_json::json!({"deadline_before": before.to_string()})),
                        &ARRIVALS,
                        *id,
                    )
                    .await?;
                }
                tx.commit().await?;
                Ok(u64::try_from(ids.len()).unwrap_or(u64::MAX))
            }

            async fn purge_outbox(&self, finished_before: Timestamp, at: Timestamp, actor: &str) -> Result<u64> {
                let mut tx = self.begin_write().await?;
                let done = sqlx::query(
                    "UPDATE outbox SET last_error = NULL, purged_at = $2 \
                     WHERE purged_at IS NULL AND finished_at <= $1",
                )
                .bind(us(finished_before))
                .bind(us(at))
                .execute(&mut *tx)
                .await?;
                let n = done.rows_affected();
                if n == 0 {
                    return Ok(0);
                }
                append_audit_tx(
                    &mut tx,
                    &audit(at, actor, "outbox.purge", "outbox".to_owned(),
                           serde_json::json!({"messages": n, "finished_before": finished_before.to_string()})),
                )
                .await?;
                tx.commit().await?;
                Ok(n)
            }

            async fn stats(&self) -> Result<Stats> {
                let rows = sqlx::query(
                    "SELECT permit_type, state, COUNT(*) AS n FROM applications GROUP BY permit_type, state \
                     ORDER BY permit_type, state",
                )
                .fetch_all(self.read_pool())
                .await?;
                let mut by_type_and_state = Vec::with_capacity(rows.len());
                for r in &rows {
                    by_type_and_state.push((r.try_get("permit_type")?, state(r.try_get("state")?)?, r.try_get("n")?));
                }
                let arr = sqlx::query(
                    "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN late THEN 1 ELSE 0 END), 0) AS late FROM arrivals \
                     WHERE status = 'notified'",
                )
                .fetch_one(self.read_pool())
                .await?;
                Ok(Stats {
                    by_type_and_state,
                    arrivals: arr.try_get("n")?,
                    late_arrivals: arr.try_get("late")?,
                })
            }

            async fn dashboard(&self, q: &DashboardQuery) -> Result<Dashboard> {
                const DAY_US: i64 = 86_400_000_000;
                let by_type_and_state = self.stats().await?.by_type_and_state;
                // Whole days, rounded up: "decided within N days". The histogram has at most
                // a few hundred rows per type, whatever the number of cases.
                let rows = sqlx::query(sql(format!(
                    "SELECT permit_type, (decided_at - submitted_at + {}) / {DAY_US} AS days, \
                     COUNT(*) AS n, SUM(CASE WHEN decided_at <= due_at THEN 1 ELSE 0 END) AS on_time \
                     FROM applications WHERE decided_at >= $1 AND decided_at <= $2 \
                     AND submitted_at IS NOT NULL \
                     GROUP BY permit_type, days ORDER BY permit_type, days",
                    DAY_US - 1
                )))
                .bind(us(q.decided_from))
                .bind(us(q.decided_until))
                .fetch_all(self.read_pool())
                .await?;
                let mut decided_days = Vec::with_capacity(rows.len());
                let mut decided_on_time: Vec<(String, i64)> = Vec::new();
                for r in &rows {
                    let t: String = r.try_get("permit_type")?;
                    let on_time: i64 = r.try_get("on_time")?;
                    match decided_on_time.last_mut() {
                        Some((last, n)) if *last == t => *n += on_time,
                        _ => decided_on_time.push((t.clone(), on_time)),
                    }
                    decided_days.push((t, r.try_get("days")?, r.try_get("n")?));
                }
                let rows = sqlx::query(
                    "SELECT permit_type, COUNT(*) AS n FROM applications \
                     WHERE state = 'issued' AND valid_until >= $1 AND valid_until <= $2 \
                     GROUP BY permit_type ORDER BY permit_type",
                )
                .bind(q.expiring_from.to_string())
                .bind(q.expiring_until.to_string())
                .fetch_all(self.read_pool())
                .await?;
                let mut expiring = Vec::with_capacity(rows.len());
                for r in &rows {
                    expiring.push((r.try_get("permit_type")?, r.try_get("n")?));
                }
                // One range of the notification index, each row put in its month by a CASE
                // over the boundaries (integers from the caller, written into the text).
                let mut arrivals_by_month = vec![(0, 0); q.months.len().saturating_sub(1)];
                if let (Some(first), Some(last)) = (q.months.first(), q.months.last()) {
                    let arms: String = q.months[1..]
                        .iter()
                        .enumerate()
                        .map(|(i, b)| format!(" WHEN notified_at < {} THEN {i}", us(*b)))
                        .collect();
                    let rows = sqlx::query(sql(format!(
                        "SELECT CAST(CASE{arms} END AS BIGINT) AS m, COUNT(*) AS n, \
                         SUM(CASE WHEN late THEN 1 ELSE 0 END) AS late FROM arrivals \
                         WHERE notified_at >= $1 AND notified_at < $2 \
                         GROUP BY m"
                    )))
                    .bind(us(*first))
                    .bind(us(*last))
                    .fetch_all(self.read_pool())
                    .await?;
                    for r in &rows {
                        let m: i64 = r.try_get("m")?;
                        if let Some(slot) = usize::try_from(m).ok().and_then(|m| arrivals_by_month.get_mut(m)) {
                            *slot = (r.try_get("n")?, r.try_get("late")?);
                        }
                    }
                }
                let arr = sqlx::query(
                    "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN late THEN 1 ELSE 0 END), 0) AS late FROM arrivals \
                     WHERE status = 'notified'",
                )
                .fetch_one(self.read_pool())
                .await?;
                Ok(Dashboard {
                    by_type_and_state,
                    decided_days,
                    decided_on_time,
                    expiring,
                    arrivals_by_month,
                    arrivals: arr.try_get("n")?,
                    late_arrivals: arr.try_get("late")?,
                })
            }

            async fn max_ids(&self) -> Result<MaxIds> {
                let row = sqlx::query(
                    "SELECT (SELECT COALESCE(MAX(id), 0) FROM applications) AS a, \
                     (SELECT COALESCE(MAX(id), 0) FROM documents) AS d, \
                     (SELECT COALESCE(MAX(id), 0) FROM arrivals) AS r",
                )
                .fetch_one(self.read_pool())
                .await?;
                Ok(MaxIds {
                    applications: row.try_get("a")?,
                    documents: row.try_get("d")?,
                    arrivals: row.try_get("r")?,
                })
            }

            async fn bulk_load(&self, b: &SeedBatch) -> Result<()> {
                let mut tx = self.begin_write().await?;
                bulk_applications(&mut tx, self, &b.applications).await?;
                bulk_documents(&mut tx, &b.documents).await?;
                bulk_arrivals(&mut tx, self, &b.arrivals).await?;
                bulk_audit(&mut tx, &b.audit).await?;
                // After the audit append, which holds the chain's head until the commit (every
                // seeded batch has entries, one per case at least), so that batches loaded at
                // once (`SeedOptions::jobs`) move the sequences one at a time, each seeing the
                // ids of those committed before: the sequences only go up.
                for statement in <$store as Backend>::AFTER_BULK_LOAD {
                    sqlx::query(*statement).execute(&mut *tx).await?;
                }
                tx.commit().await?;
                Ok(())
            }

            async fn defer_indexes(&self) -> Result<usize> {
                let mut tx = self.begin_write().await?;
                let indexes = sqlx::query(<$store as Backend>::DEFERRABLE_INDEXES)
                    .fetch_all(&mut *tx)
                    .await?;
                sqlx::query(
                    "CREATE TABLE IF NOT EXISTS seed_deferred_indexes \
                     (name TEXT PRIMARY KEY, definition TEXT NOT NULL)",
                )
                .execute(&mut *tx)
                .await?;
                for row in &indexes {
                    let name: String = row.try_get("name")?;
                    let definition: String = row.try_get("definition")?;
                    sqlx::query("INSERT INTO seed_deferred_indexes (name, definition) VALUES ($1, $2)")
                        .bind(&name)
                        .bind(&definition)
                        .execute(&mut *tx)
                        .await?;
                    sqlx::query(sql(format!("DROP INDEX \"{name}\"")))
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(indexes.len())
            }

            async fn restore_indexes(
                &self,
                mut progress: impl FnMut(usize, usize, &str) + Send,
            ) -> Result<usize> {
                let listed = sqlx::query(<$store as Backend>::DEFERRED_TABLE_EXISTS)
                    .fetch_optional(self.read_pool())
                    .await?;
                if listed.is_none() {
                    return Ok(0);
                }
                let deferred: Vec<(String, String)> = sqlx::query(
                    "SELECT name, definition FROM seed_deferred_indexes ORDER BY name",
                )
                .fetch_all(self.read_pool())
                .await?
                .iter()
                .map(|r| Ok((r.try_get("name")?, r.try_get("definition")?)))
                .collect::<Result<_>>()?;
                for (i, (name, definition)) in deferred.iter().enumerate() {
                    progress(i, deferred.len(), name);
                    let mut tx = self.begin_write().await?;
                    for statement in <$store as Backend>::BEFORE_INDEX_BUILD {
                        sqlx::query(*statement).execute(&mut *tx).await?;
                    }
                    sqlx::query(sql(definition.clone())).execute(&mut *tx).await?;
                    sqlx::query("DELETE FROM seed_deferred_indexes WHERE name = $1")
                        .bind(name)
                        .execute(&mut *tx)
                        .await?;
                    tx.commit().await?;
                }
                let mut tx = self.begin_write().await?;
                sqlx::query("DROP TABLE seed_deferred_indexes").execute(&mut *tx).await?;
                tx.commit().await?;
                if !<$store as Backend>::AFTER_INDEX_BUILD.is_empty() {
                    // Outside a transaction (VACUUM refuses one), on a connection of its own
                    // that is closed afterwards rather than returned with its settings.
                    let mut conn = self.read_pool().acquire().await?.detach();
                    for statement in <$store as Backend>::AFTER_INDEX_BUILD {
                        sqlx::query(*statement).execute(&mut conn).await?;
                    }
                    sqlx::Connection::close(conn).await?;
                }
                progress(deferred.len(), deferred.len(), "");
                Ok(deferred.len())
            }

            async fn backup(&self, dest: &Path) -> Result<()> {
                self.backup_to(dest).await
            }


            async fn schema(&self) -> Result<Schema> {
                self.introspect().await
            }

            async fn close(&self) {
                self.close_write().await;
                self.read_pool().close().await;
            }
        }

        impl $store {
            /// Creates the benchmark baseline's table (not part of the schema; benchmark
            /// databases only).
            #[cfg(feature = "bench")]
            #[doc(hidden)]
            pub async fn bench_setup(&self) -> Result<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query(
                    "CREATE TABLE IF NOT EXISTS bench_commit (id BIGINT PRIMARY KEY, at BIGINT NOT NULL)",
                )
                .execute(&mut *tx)
                .await?;
                tx.commit().await?;
                Ok(())
            }

            /// Benchmark baseline: one single-row durable commit through the write path.
            #[cfg(feature = "bench")]
            #[doc(hidden)]
            pub async fn bench_commit(&self, i: u64) -> Result<()> {
                let mut tx = self.begin_write().await?;
                sqlx::query("INSERT INTO bench_commit (id, at) VALUES ($1, $2)")
                    .bind(i64::try_from(i).unwrap_or(i64::MAX))
                    .bind(jiff::Timestamp::now().as_microsecond())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(())
            }
        }
    };
}

pub(crate) use store_impl;

#[cfg(test)]
mod tests {
    use super::*;

    /// The predicate of the partial index `name` as a migration writes it.
    fn index_predicate<'a>(migration: &'a str, name: &str) -> &'a str {
        let index = migration
            .split_once(&format!("INDEX {name} "))
            .unwrap_or_else(|| panic!("the migration creates {name}"))
            .1;
        let statement = &index[..index.find(';').expect("the statement ends")];
        statement
            .split_once("WHERE ")
            .expect("a partial index")
            .1
            .trim()
    }

    #[test]
    fn partial_indexes_cover_exactly_the_states_the_code_names() {
        let list = |keep: fn(&State) -> bool| {
            let names: Vec<String> = State::ALL
                .iter()
                .filter(|s| keep(s))
                .map(|s| format!("'{s}'"))
                .collect();
            format!("({})", names.join(", "))
        };
        assert_eq!(*OPEN_STATES, list(|s| s.is_open()));
        assert_eq!(*PURSUED_STATES, list(|s| s.blocks_duplicates()));
        assert_eq!(
            *CLOSED_UNPURGED,
            format!("purged_at IS NULL AND state IN {}", list(|s| s.is_final()))
        );
        // Migrations are never edited: a change to `State::is_open`, `blocks_duplicates` or
        // `is_final` needs a new migration that rebuilds the index, and this test says so.
        let migrations = [
            (
                "sqlite",
                include_str!("../migrations/sqlite/0004_open_queue.sql"),
                include_str!("../migrations/sqlite/0005_worker.sql"),
            ),
            (
                "postgres",
                include_str!("../migrations/postgres/0004_open_queue.sql"),
                include_str!("../migrations/postgres/0005_worker.sql"),
            ),
        ];
        for (backend, open_queue, worker) in migrations {
            assert_eq!(
                index_predicate(open_queue, "applications_open_queue"),
                format!("state IN {}", *OPEN_STATES),
                "{backend}: applications_open_queue must cover exactly State::is_open, in State::ALL order"
            );
            assert_eq!(
                index_predicate(worker, "applications_one_pursued"),
                format!("state IN {}", *PURSUED_STATES),
                "{backend}: applications_one_pursued must cover exactly State::blocks_duplicates"
            );
            assert_eq!(
                index_predicate(worker, "applications_closed"),
                *CLOSED_UNPURGED,
                "{backend}: applications_closed must cover exactly the final states"
            );
        }
    }

    /// Every queue of the back office reads its page and its count through an index (a
    /// `SEARCH`, never a `SCAN` of the table or of a whole index), alone and with the card
    /// type and office filters. The filters are the queues of `tirkeu_server::cases`.
    #[tokio::test]
    async fn every_queue_and_its_count_search_an_index_on_sqlite() {
        use crate::Store as _;
        use crate::model::CaseFilter;
        use sqlx::Row as _;
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("plan.db").display());
        let store = crate::SqliteStore::open(&url, [0; 32], true).await.unwrap();
        let now = jiff::Timestamp::UNIX_EPOCH;
        let queues = [
            CaseFilter {
                states: vec![State::Submitted],
                ..CaseFilter::default()
            },
            CaseFilter {
                states: vec![State::InReview],
                assigned_officer: Some(3),
                ..CaseFilter::default()
            },
            CaseFilter {
                info_received: true,
                ..CaseFilter::default()
            },
            CaseFilter {
                states: vec![State::InReview],
                ..CaseFilter::default()
            },
            CaseFilter {
                states: vec![State::Approved, State::ReadyForCollection],
                ..CaseFilter::default()
            },
            CaseFilter {
                overdue_at: Some(now),
                ..CaseFilter::default()
            },
        ];
        let mut failures = Vec::new();
        for q in queues {
            for (permit_type, office) in
                [(None, None), (Some("work"), None), (None, Some("almaty"))]
            {
                let f = CaseFilter {
                    permit_type: permit_type.map(Into::into),
                    office: office.map(Into::into),
                    ..q.clone()
                };
                // The list's page, and the count's own statement (a bounded scan).
                for head in ["SELECT id FROM applications WHERE 1 = 1", "SELECT COUNT"] {
                    let mut b: sqlx::QueryBuilder<sqlx::Sqlite> =
                        sqlx::QueryBuilder::new("EXPLAIN QUERY PLAN ");
                    if head.starts_with("SELECT id") {
                        b.push(head);
                        crate::sqlite::imp::push_filter(&mut b, &f);
                        b.push(" AND (queued_at, id) > (1, 1) ORDER BY queued_at, id LIMIT 51");
                    } else {
                        crate::sqlite::imp::push_count(&mut b, &f, 1001);
                    }
                    let plan = b.build().fetch_all(store.read_pool()).await.unwrap();
                    let detail: Vec<String> = plan.iter().map(|r| r.get("detail")).collect();
                    if detail.iter().any(|d| d.starts_with("SCAN applications"))
                        || !detail.iter().any(|d| d.starts_with("SEARCH applications"))
                    {
                        failures.push(format!("{f:?} {head}: {detail:?}"));
                    }
                    if f.info_received
                        && f.office.is_none()
                        && f.permit_type.is_none()
                        && !detail
                            .iter()
                            .any(|d| d.contains("applications_info_received"))
                    {
                        failures.push(format!("not the partial index: {detail:?}"));
                    }
                    // One office's overdue and answered cases are counted in that office's
                    // range of an index (migration 0012), not among every such case in the
                    // country.
                    let office_range = if f.overdue_at.is_some() {
                        "applications_office_overdue (office=? AND due_at<?)"
                    } else {
                        "(office=?"
                    };
                    if f.office.is_some()
                        && (f.overdue_at.is_some() || f.info_received)
                        && head == "SELECT COUNT"
                        && !detail.iter().any(|d| d.contains(office_range))
                    {
                        failures.push(format!("{f:?} {head}: not {office_range}: {detail:?}"));
                    }
                }
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
        store.close().await;
    }

    /// SQLite proves that the duplicate lookup's `WHERE` implies the partial index's only if
    /// the lists match term for term; otherwise it picks another index and scans a card type.
    #[tokio::test]
    async fn the_pursued_application_lookup_uses_the_partial_index_on_sqlite() {
        use crate::Store as _;
        use sqlx::Row as _;
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("plan.db").display());
        let store = crate::SqliteStore::open(&url, [0; 32], true).await.unwrap();
        let plan = sqlx::query(sqlx::AssertSqlSafe(format!(
            "EXPLAIN QUERY PLAN {}",
            *PURSUED_APPLICATION
        )))
        .bind("lookup")
        .bind("work")
        .fetch_all(store.read_pool())
        .await
        .unwrap();
        let detail: Vec<String> = plan.iter().map(|r| r.get("detail")).collect();
        assert!(
            detail
                .iter()
                .any(|d| d.contains("USING INDEX applications_one_pursued")),
            "{detail:?}"
        );
        store.close().await;
    }
}
