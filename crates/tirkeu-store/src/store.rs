//! The `Store` trait: everything tirkeu remembers, in terms of core types.
//!
//! One implementation per backend (`SqliteStore`, `PgStore`), chosen once from the database
//! URL; code above the store is generic over `S: Store` and monomorphised, as atuin does. Every
//! method that changes something writes its audit entry (and outbox messages) in the same
//! transaction, or nothing.

use std::future::Future;
use std::path::Path;

use jiff::{SignedDuration, Timestamp};
use tirkeu_core::number::CaseNumber;

use crate::attempts::{AttemptKind, Failures};
use crate::audit::{AuditedTable, RowState};
use crate::error::Result;
use crate::model::{
    ApiKey, Application, Arrival, ArrivalConfirmation, ArrivalStatus, AuditEntry, CaseFilter,
    CaseSummary, Cursor, Dashboard, DashboardQuery, Document, MaxIds, NewApplication, NewArrival,
    NewAudit, NewDocument, NewUser, OutboxMessage, Page, SeedBatch, Session, Stats, StatusRow,
    TransitionChange, User,
};
use crate::model::{Delivery, NewOutboxMessage, OutboxCounts, OutboxEntry, TimerCase, TimerQuery};
use crate::schema::Schema;

/// Persistence for tirkeu. See the crate documentation for the guarantees.
pub trait Store: Clone + Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;

    /// The keyed hash under which a passport is looked up (number normalised: upper case,
    /// no spaces), so lookups work without an index over the numbers themselves.
    fn passport_lookup(&self, passport_number: &str) -> String;

    /// Creates a draft; `Duplicate` if an open application exists for the same passport and
    /// card type.
    fn create_application(
        &self,
        new: &NewApplication,
        actor: &str,
    ) -> impl Future<Output = Result<Application>> + Send;

    fn application(&self, id: i64) -> impl Future<Output = Result<Application>> + Send;

    fn application_by_number(
        &self,
        number: &CaseNumber,
    ) -> impl Future<Output = Result<Application>> + Send;

    /// The few columns a status lookup needs (the hot path of the public API).
    fn status_by_number(
        &self,
        number: &CaseNumber,
    ) -> impl Future<Output = Result<StatusRow>> + Send;

    /// The status lookup's row (`None`: no such case) together with the failed lookups of
    /// `number` after `since` ([`AttemptKind::StatusNumber`]), in one read: the hot path
    /// checks the shared budget without a round trip of its own.
    fn status_with_failures(
        &self,
        number: &CaseNumber,
        since: Timestamp,
    ) -> impl Future<Output = Result<(Failures, Option<StatusRow>)>> + Send;

    /// The failed attempts of `kind` against `key` after `since` (see [`crate::attempts`]:
    /// every instance's, by the key's keyed hash).
    fn recent_failures(
        &self,
        kind: AttemptKind,
        key: &str,
        since: Timestamp,
    ) -> impl Future<Output = Result<Failures>> + Send;

    /// Records failed (or not yet decided) attempts at `at`, one row per `(kind, key)`, in one
    /// statement, committed when this returns (so that a count that follows, on any instance,
    /// sees them); answers their ids, for [`forget_failures`](Store::forget_failures).
    fn record_failures(
        &self,
        attempts: &[(AttemptKind, &str)],
        at: Timestamp,
    ) -> impl Future<Output = Result<Vec<i64>>> + Send;

    /// Forgets the attempts `ids` (they succeeded, or were refused and count for nothing).
    fn forget_failures(&self, ids: &[i64]) -> impl Future<Output = Result<()>> + Send;

    /// Deletes the attempts at or before `before`; answers how many.
    fn prune_failures(&self, before: Timestamp) -> impl Future<Output = Result<u64>> + Send;

    /// The application whose card carries the verification token with this hash.
    fn application_by_verify_token(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = Result<Application>> + Send;

    /// Applies a state change if the application is still at `expected_version` and in
    /// `from`; `Conflict` otherwise. Writes the change, its audit entry and its outbox
    /// messages in one transaction.
    fn transition(
        &self,
        change: &TransitionChange,
    ) -> impl Future<Output = Result<Application>> + Send;

    fn add_document(
        &self,
        doc: &NewDocument,
        actor: &str,
    ) -> impl Future<Output = Result<Document>> + Send;

    fn documents(&self, application_id: i64) -> impl Future<Output = Result<Vec<Document>>> + Send;

    /// The officers' queue, oldest first, one keyset page at a time.
    fn list_cases(
        &self,
        filter: &CaseFilter,
        after: Option<Cursor>,
        limit: u32,
    ) -> impl Future<Output = Result<Page<CaseSummary>>> + Send;

    /// How many cases [`list_cases`](Store::list_cases) would list with `filter` over all its
    /// pages, counted up to `at_most`: the same `WHERE`, one indexed scan that stops there.
    /// A queue's length is shown as "more than …" beyond a bound, so that counting it does
    /// not grow with the backlog.
    fn count_cases(
        &self,
        filter: &CaseFilter,
        at_most: i64,
    ) -> impl Future<Output = Result<i64>> + Send;

    /// Every application (any state) for the passport whose keyed hash is `lookup` (see
    /// [`passport_lookup`](Store::passport_lookup)), oldest in the queue first.
    fn cases_by_passport(
        &self,
        lookup: &str,
    ) -> impl Future<Output = Result<Vec<CaseSummary>>> + Send;

    /// The audit entries about the application `application_id` (object
    /// `application:{id}`), in chain order.
    fn case_history(
        &self,
        application_id: i64,
    ) -> impl Future<Output = Result<Vec<AuditEntry>>> + Send;

    /// Assigns the application to `officer_id` if it is still at `expected_version` (the
    /// version goes up by one), with its audit entry, in one transaction; `Conflict` with
    /// the current version otherwise, and nothing is written.
    fn assign(
        &self,
        application_id: i64,
        expected_version: i64,
        officer_id: i64,
        actor: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<Application>> + Send;

    /// Appends an audit entry on its own (an officer's read of personal data, a login).
    fn append_audit(&self, audit: &NewAudit) -> impl Future<Output = Result<()>> + Send;

    /// Records an arrival, notified or expected (its `status`), with its audit entry at
    /// `at`, in one transaction.
    fn create_arrival(
        &self,
        arrival: &NewArrival,
        actor: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<Arrival>> + Send;

    /// A host's own arrivals, newest first, after the id `before` when given; only those
    /// with `status` when given.
    fn arrivals_for_host(
        &self,
        host_id: i64,
        status: Option<ArrivalStatus>,
        before: Option<i64>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Arrival>>> + Send;

    /// A host's expected arrivals, soonest deadline first (at most `limit`).
    fn expected_arrivals_for_host(
        &self,
        host_id: i64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Arrival>>> + Send;

    /// Confirms the host's expected arrival `id`: it becomes notified as `confirmation`
    /// says, with its audit entry, in one transaction. An arrival the worker has already
    /// flagged late stays late, with the deadline it missed and the fine it was given (the host announced the guest and
    /// let the deadline pass; a later confirmation does not undo that). `NotFound` when `id`
    /// is unknown or another host's; `AlreadyNotified` when it is notified already, and then
    /// nothing is written.
    fn confirm_arrival(
        &self,
        host_id: i64,
        id: i64,
        confirmation: &ArrivalConfirmation,
        actor: &str,
    ) -> impl Future<Output = Result<Arrival>> + Send;

    /// Expected arrivals not flagged late whose deadline is in `(now, until]` and that have
    /// no reminder queued yet (no outbox message keyed [`Arrival::reminder_key`]), soonest
    /// deadline first, at most `limit`: what the worker's reminder rule acts on. A range of
    /// the `arrivals_due` index.
    fn arrivals_due_reminder(
        &self,
        now: Timestamp,
        until: Timestamp,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Arrival>>> + Send;

    /// Expected arrivals not yet flagged late whose deadline is before `now`, oldest deadline
    /// first, at most `limit`: what the worker's missed-deadline rule acts on. Flagged ones
    /// leave the `arrivals_due` index's range, so each run reads only new ones.
    fn arrivals_past_deadline(
        &self,
        now: Timestamp,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<Arrival>>> + Send;

    /// Queues `message`, the reminder of the deadline of expected arrival `id` (keyed
    /// [`Arrival::reminder_key`]), with `audit`, in one transaction, while the arrival is
    /// still expected and not late; `false` when it is not (confirmed or flagged meanwhile)
    /// or a message with the key exists, and then nothing is written.
    fn remind_arrival(
        &self,
        id: i64,
        message: &NewOutboxMessage,
        audit: &NewAudit,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// Flags expected arrival `id` late with `fine_kzt` and queues `message` (keyed
    /// [`Arrival::late_key`]) with `audit`, in one transaction, if it is still expected, not
    /// yet flagged, and its deadline is before `audit.at`; `false` otherwise, and then
    /// nothing is written (a second run, or a confirmation that came first).
    fn flag_arrival_late(
        &self,
        id: i64,
        fine_kzt: Option<i64>,
        message: &NewOutboxMessage,
        audit: &NewAudit,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// One of a host's own notifications; `NotFound` when `id` is unknown or another host's.
    fn arrival_for_host(
        &self,
        host_id: i64,
        id: i64,
    ) -> impl Future<Output = Result<Arrival>> + Send;

    fn create_user(&self, user: &NewUser, actor: &str)
    -> impl Future<Output = Result<User>> + Send;
    fn user(&self, id: i64) -> impl Future<Output = Result<User>> + Send;
    fn user_by_username(&self, username: &str) -> impl Future<Output = Result<User>> + Send;
    fn users(&self) -> impl Future<Output = Result<Vec<User>>> + Send;
    fn set_user_disabled(
        &self,
        id: i64,
        disabled: bool,
        actor: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Stores a session with its audit entry (the sign-in), in one transaction.
    fn create_session(
        &self,
        token_hash: &str,
        session: &Session,
        audit: &NewAudit,
    ) -> impl Future<Output = Result<()>> + Send;
    /// A session that has not expired at `now`.
    fn session(
        &self,
        token_hash: &str,
        now: Timestamp,
    ) -> impl Future<Output = Result<Session>> + Send;
    fn delete_session(&self, token_hash: &str) -> impl Future<Output = Result<()>> + Send;

    /// Keeps `secret` as the one being set up for account `user_id` (replacing an earlier
    /// unconfirmed one).
    fn begin_second_factor(
        &self,
        user_id: i64,
        secret: &str,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Makes the pending `secret` the account's second factor, with `step` as the last time
    /// step used and `recovery_hashes` as its only recovery codes, with its audit entry, in
    /// one transaction; `false` (nothing changed) when `secret` is no longer the pending one.
    fn enable_second_factor(
        &self,
        user_id: i64,
        secret: &str,
        step: i64,
        recovery_hashes: &[String],
        audit: &NewAudit,
    ) -> impl Future<Output = Result<bool>> + Send;
    /// Records that a code of time step `step` was accepted: `false` when that step or a
    /// later one was already used (a code is accepted once).
    fn spend_totp_step(&self, user_id: i64, step: i64)
    -> impl Future<Output = Result<bool>> + Send;
    /// Marks an unused recovery code used, with its audit entry, in one transaction: the codes
    /// left, or `None` when no unused code has that hash.
    fn spend_recovery_code(
        &self,
        user_id: i64,
        code_hash: &str,
        audit: &NewAudit,
    ) -> impl Future<Output = Result<Option<i64>>> + Send;
    /// Removes the account's second factor and recovery codes and ends its sessions, with the
    /// audit entry, in one transaction (a lost device; the account sets up a new one).
    fn reset_second_factor(
        &self,
        user_id: i64,
        audit: &NewAudit,
    ) -> impl Future<Output = Result<()>> + Send;

    fn create_api_key(
        &self,
        user_id: i64,
        key_hash: &str,
        label: &str,
        at: Timestamp,
        actor: &str,
    ) -> impl Future<Output = Result<ApiKey>> + Send;
    /// An API key that is not revoked.
    fn api_key_by_hash(&self, key_hash: &str) -> impl Future<Output = Result<ApiKey>> + Send;
    fn api_keys(&self, user_id: i64) -> impl Future<Output = Result<Vec<ApiKey>>> + Send;
    fn revoke_api_key(
        &self,
        id: i64,
        at: Timestamp,
        actor: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Audit entries with `seq > after_seq`, in order.
    fn audit_entries(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<AuditEntry>>> + Send;
    /// The head of the chain: `(seq, hash)` of the last entry.
    fn audit_head(&self) -> impl Future<Output = Result<(i64, String)>> + Send;

    /// The last entry written before entries carried state hashes (migration 0008; 0 for a
    /// database created since).
    fn audit_hashed_after(&self) -> impl Future<Output = Result<i64>> + Send;

    /// Records the current state of the rows of `table` with `id > after_id` (at most
    /// `limit` of them, in id order) that no entry with a state hash covers yet — rows whose
    /// history predates state hashes — as `{object}.baseline` entries by `actor` at `at`, in
    /// one transaction. Answers the last id looked at (`None` when there are no more rows)
    /// and how many entries were written. Run after a clean `audit verify`: it vouches for the
    /// rows as they are.
    fn audit_baseline(
        &self,
        table: &'static AuditedTable,
        after_id: i64,
        limit: u32,
        actor: &str,
        at: Timestamp,
    ) -> impl Future<Output = Result<(Option<i64>, u64)>> + Send;

    /// Up to `limit` rows of `table` with `id > after_id`, in id order, each with its number
    /// and the hash of its current state, for [`verify_store`](crate::audit::verify_store).
    fn audited_rows(
        &self,
        table: &'static AuditedTable,
        after_id: i64,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<RowState>>> + Send;

    /// Claims up to `limit` due messages for `worker` until `now + lease`; a crashed worker's
    /// claims expire and another worker may then take them over. `worker` names one running
    /// worker (a restarted one takes a new name): completions are checked against it.
    fn claim_outbox(
        &self,
        worker: &str,
        now: Timestamp,
        lease: SignedDuration,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<OutboxMessage>>> + Send;
    /// Records how `worker` finished with message `id` at `at` (sent, nobody to send it
    /// to, or failed for good), ending its lease. `LeaseLost` if `worker` no longer holds the
    /// lease (another worker took the message over, or an outcome was already recorded):
    /// nothing is written. A lease that expired but that no one took over is still held.
    /// `NotFound` if there is no such message.
    fn outbox_done(
        &self,
        id: i64,
        worker: &str,
        at: Timestamp,
        delivery: &Delivery,
    ) -> impl Future<Output = Result<()>> + Send;
    /// Records that `worker` failed to send message `id` for a temporary reason, ending its
    /// lease; the message is due again at `retry_at`. `LeaseLost` and `NotFound` as for
    /// [`outbox_done`](Store::outbox_done), and then nothing is written.
    fn outbox_retry(
        &self,
        id: i64,
        worker: &str,
        error: &str,
        retry_at: Timestamp,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Queues a message that no transition causes (a reminder) with its audit entry, in one
    /// transaction; `false` when a message with the same dedupe key exists, and then nothing
    /// is written (so two workers finding the same reminder due queue it once).
    fn queue_message(
        &self,
        message: &NewOutboxMessage,
        audit: &NewAudit,
    ) -> impl Future<Output = Result<bool>> + Send;

    /// One outbox message, as administrators see it.
    fn outbox_entry(&self, id: i64) -> impl Future<Output = Result<OutboxEntry>> + Send;

    /// Failed messages, most recently failed first, after `(finished_at, id)` when given.
    fn failed_outbox(
        &self,
        before: Option<(Timestamp, i64)>,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<OutboxEntry>>> + Send;

    /// How many messages wait to be sent and how many failed.
    fn outbox_counts(&self) -> impl Future<Output = Result<OutboxCounts>> + Send;

    /// Makes a failed message due again at `at` with a fresh retry budget (an
    /// administrator's "send again"), with its audit entry; `NotFound` unless message `id`
    /// exists and failed.
    fn resend_outbox(
        &self,
        id: i64,
        at: Timestamp,
        actor: &str,
    ) -> impl Future<Output = Result<()>> + Send;

    /// Up to `limit` cases a timer acts on (see [`TimerQuery`]), the longest due first, each
    /// read through an index of its own.
    fn timer_cases(
        &self,
        query: &TimerQuery,
        limit: u32,
    ) -> impl Future<Output = Result<Vec<TimerCase>>> + Send;

    /// Erases the personal data of the closed case `id` (names, passport, contact, address,
    /// card and access secrets; year of birth, nationality and everything the statistics
    /// count stay) and deletes its document records, with its audit entry, in one
    /// transaction. Answers the content hashes of the documents no other case refers to,
    /// whose stored files the caller deletes. `NotFound` unless the case is closed and not
    /// yet purged.
    fn purge_case(
        &self,
        id: i64,
        at: Timestamp,
        actor: &str,
    ) -> impl Future<Output = Result<Vec<String>>> + Send;

    /// Erases the personal data (names, passport, year of birth kept, street address) of up
    /// to `limit` arrival notifications whose deadline passed at or before `before`, oldest
    /// first, with an audit entry for each (carrying the purged row's state hash), in one
    /// transaction; answers how many (0 when none is left).
    fn purge_arrivals(
        &self,
        before: Timestamp,
        at: Timestamp,
        actor: &str,
        limit: u32,
    ) -> impl Future<Output = Result<u64>> + Send;

    /// Forgets the transports' replies (which may quote an address) of messages finished at
    /// or before `finished_before`; answers how many, with one audit entry for them all.
    fn purge_outbox(
        &self,
        finished_before: Timestamp,
        at: Timestamp,
        actor: &str,
    ) -> impl Future<Output = Result<u64>> + Send;

    fn stats(&self) -> impl Future<Output = Result<Stats>> + Send;

    /// The dashboard's aggregates over the windows of `q`: index ranges, never a read of
    /// personal data.
    fn dashboard(&self, q: &DashboardQuery) -> impl Future<Output = Result<Dashboard>> + Send;

    /// The largest id of each table that [`bulk_load`](Store::bulk_load) writes, so that a
    /// generator can assign the ids of its rows.
    fn max_ids(&self) -> impl Future<Output = Result<MaxIds>> + Send;

    /// Writes a batch of rows with explicit ids in one transaction, with multi-row
    /// `INSERT`s, and appends its audit entries to the chain. For synthetic data
    /// ([`seed`](crate::seed)), not for live traffic: it writes no outbox messages and turns
    /// a duplicate into a database error rather than `Duplicate`. Afterwards new rows
    /// created the ordinary way get ids after the loaded ones on both backends.
    fn bulk_load(&self, batch: &SeedBatch) -> impl Future<Output = Result<()>> + Send;

    /// For a large bulk load into a benchmark database: drops the secondary indexes of the
    /// tables [`bulk_load`](Store::bulk_load) writes (everything but primary keys and
    /// `UNIQUE` constraints), keeping their definitions in the table `seed_deferred_indexes`
    /// in the same transaction, and answers how many. Inserting rows, then building each
    /// index once by sorting, is far cheaper than keeping two dozen indexes on random keys
    /// up to date row by row once they outgrow memory. Uniqueness that lives in a unique
    /// index (one pursued application per passport and type) is not checked meanwhile:
    /// only for generated data that is unique by construction.
    fn defer_indexes(&self) -> impl Future<Output = Result<usize>> + Send;

    /// Builds every index that [`defer_indexes`](Store::defer_indexes) dropped, one per
    /// transaction, telling `progress` (done, of, name) before each; also what a run that was
    /// killed left deferred, so it is safe to call at any time (0 when nothing is deferred).
    fn restore_indexes(
        &self,
        progress: impl FnMut(usize, usize, &str) + Send,
    ) -> impl Future<Output = Result<usize>> + Send;

    /// A consistent online copy to `dest` (SQLite); PostgreSQL answers with the `pg_dump`
    /// recipe as an error.
    fn backup(&self, dest: &Path) -> impl Future<Output = Result<()>> + Send;

    /// Tables, columns, indexes and constraints, for the drift test.
    fn schema(&self) -> impl Future<Output = Result<Schema>> + Send;

    /// Closes the pools.
    fn close(&self) -> impl Future<Output = ()> + Send;
}
