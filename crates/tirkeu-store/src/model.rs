//! The records the store keeps, in terms of core types.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use tirkeu_core::case::{CaseFacts, Decision, Message, TransitionAudit};
use tirkeu_core::lifecycle::{Action, State};
use tirkeu_core::number::CaseNumber;
use tirkeu_core::text::Lang;

/// An account's role. Applicants have no account: they hold an application number and an
/// access code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountRole {
    Officer,
    Supervisor,
    Admin,
    Host,
}

impl AccountRole {
    pub const ALL: [AccountRole; 4] = [
        AccountRole::Officer,
        AccountRole::Supervisor,
        AccountRole::Admin,
        AccountRole::Host,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Officer => "officer",
            AccountRole::Supervisor => "supervisor",
            AccountRole::Admin => "admin",
            AccountRole::Host => "host",
        }
    }
}

impl std::str::FromStr for AccountRole {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AccountRole::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| {
                format!("unknown role `{s}`; expected officer, supervisor, admin or host")
            })
    }
}

/// The person an application is for, as typed or read from the MRZ.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Applicant {
    pub surname: String,
    pub given_names: String,
    pub passport_number: String,
    /// ISO 3166-1 alpha-3.
    pub nationality: String,
    pub birth_date: Date,
    /// `M`, `F` or `X`.
    pub sex: String,
    pub passport_expiry: Date,
}

impl From<&tirkeu_core::person::Applicant> for Applicant {
    /// The stored form of a checked applicant.
    fn from(a: &tirkeu_core::person::Applicant) -> Self {
        Applicant {
            surname: a.surname().to_owned(),
            given_names: a.given_names().to_owned(),
            passport_number: a.passport_number().as_str().to_owned(),
            nationality: a.nationality().as_str().to_owned(),
            birth_date: a.birth_date(),
            sex: a.sex().as_str().to_owned(),
            passport_expiry: a.passport_expiry(),
        }
    }
}

/// A new application (a draft).
#[derive(Clone, Debug)]
pub struct NewApplication {
    pub number: CaseNumber,
    /// SHA-256 (hex) of the access code; the code itself carries ≥ 128 random bits.
    pub access_code_hash: String,
    pub permit_type: String,
    pub language: Lang,
    pub applicant: Applicant,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address_city: String,
    pub address_line: String,
    pub arrival_date: Option<Date>,
    pub office: String,
    pub created_at: Timestamp,
}

/// An application as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Application {
    pub id: i64,
    pub number: CaseNumber,
    #[serde(skip)]
    pub access_code_hash: String,
    pub permit_type: String,
    pub language: Lang,
    pub state: State,
    pub version: i64,
    pub applicant: Applicant,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address_city: String,
    pub address_line: String,
    pub arrival_date: Option<Date>,
    pub office: String,
    pub assigned_officer: Option<i64>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    pub due_at: Option<Timestamp>,
    /// When the case was approved or rejected.
    pub decided_at: Option<Timestamp>,
    pub reason: Option<String>,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
    pub collection_at: Option<Timestamp>,
    pub collection_place: Option<String>,
    pub card_number: Option<String>,
    /// By when an information request must be answered.
    pub respond_by: Option<Timestamp>,
    /// When the personal data of this closed case were purged (retention); its personal
    /// fields are empty since.
    pub purged_at: Option<Timestamp>,
}

impl Application {
    /// What the rules ([`tirkeu_core::case::decide`]) need to know of this case, given the
    /// kinds of document uploaded to it.
    pub fn facts<'a>(&'a self, uploaded: &'a [&'a str]) -> CaseFacts<'a> {
        CaseFacts {
            state: self.state,
            permit_type: &self.permit_type,
            language: self.language,
            uploaded,
            office: &self.office,
            reviewer: self.assigned_officer,
        }
    }
}

/// What a public status lookup needs, and nothing more.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusRow {
    pub state: State,
    pub updated_at: Timestamp,
    pub language: Lang,
    /// The keyed hash of the passport number, to compare with the one given.
    pub passport_lookup: String,
}

/// What a transition writes besides the state: decided by [`tirkeu_core::case::decide`].
pub use tirkeu_core::case::CaseChanges as CaseUpdate;

/// A message for the worker, written in the same transaction as its cause.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewOutboxMessage {
    pub kind: String,
    pub payload: serde_json::Value,
    pub available_at: Timestamp,
    /// Messages with the same key are one message: queuing it again does nothing (a
    /// reminder found due by two workers, or by two runs).
    pub dedupe_key: Option<String>,
}

/// A state change, applied with an optimistic version check.
#[derive(Clone, Debug)]
pub struct TransitionChange {
    pub application_id: i64,
    pub expected_version: i64,
    pub from: State,
    pub to: State,
    pub action: Action,
    pub actor: String,
    pub at: Timestamp,
    pub update: CaseUpdate,
    pub outbox: Vec<NewOutboxMessage>,
}

impl TransitionChange {
    /// The change that stores `decision` for the case `application_id` at `expected_version`:
    /// the one way production code builds a transition, so what it writes is what the core
    /// decided.
    pub fn new(
        application_id: i64,
        expected_version: i64,
        actor: impl Into<String>,
        decision: &Decision,
    ) -> TransitionChange {
        TransitionChange {
            application_id,
            expected_version,
            from: decision.from,
            to: decision.to,
            action: decision.action,
            actor: actor.into(),
            at: decision.at,
            update: decision.changes.clone(),
            outbox: decision
                .messages
                .iter()
                .map(|m| NewOutboxMessage::notice(application_id, m))
                .collect(),
        }
    }

    /// What the transition's audit entry says.
    pub fn audit(&self) -> TransitionAudit {
        TransitionAudit::new(self.from, self.to, self.expected_version, &self.update)
    }
}

impl NewOutboxMessage {
    /// The outbox row for a message the core decided to send about `application_id`.
    pub fn notice(application_id: i64, m: &Message) -> NewOutboxMessage {
        NewOutboxMessage {
            kind: format!("notice.{}", m.notice),
            payload: serde_json::json!({
                "application_id": application_id, "notice": m.notice, "language": m.language,
            }),
            available_at: m.available_at,
            dedupe_key: None,
        }
    }
}

/// Uploaded document metadata (the bytes live in the object store, by content hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Document {
    pub id: i64,
    pub application_id: i64,
    pub kind: String,
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    pub created_at: Timestamp,
}

/// New document metadata.
#[derive(Clone, Debug)]
pub struct NewDocument {
    pub application_id: i64,
    pub kind: String,
    pub sha256: String,
    pub size: i64,
    pub content_type: String,
    pub created_at: Timestamp,
}

/// Whether a host has notified an arrival or only announced it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrivalStatus {
    /// Recorded before the guest came, at the planned instant: no notification yet. The
    /// host confirms it when the guest arrives; the worker reminds the host before the
    /// deadline and flags it late once the deadline has passed.
    Expected,
    /// Notified to the authority (`notified_at`).
    Notified,
}

impl ArrivalStatus {
    pub const ALL: [ArrivalStatus; 2] = [ArrivalStatus::Expected, ArrivalStatus::Notified];

    /// The `status` column's value.
    pub fn as_str(self) -> &'static str {
        match self {
            ArrivalStatus::Expected => "expected",
            ArrivalStatus::Notified => "notified",
        }
    }
}

impl std::str::FromStr for ArrivalStatus {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ArrivalStatus::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| format!("unknown arrival status `{s}`; expected expected or notified"))
    }
}

/// A host's notification of a guest's arrival, or an arrival it expects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Arrival {
    pub id: i64,
    pub confirmation_number: String,
    pub host_id: i64,
    pub surname: String,
    pub given_names: String,
    pub passport_number: String,
    pub nationality: String,
    pub birth_date: Date,
    pub address_city: String,
    pub address_line: String,
    /// When the guest arrived (planned, while expected).
    pub arrived_at: Timestamp,
    pub status: ArrivalStatus,
    /// When the host notified it: `Some` exactly when notified.
    pub notified_at: Option<Timestamp>,
    pub deadline_at: Timestamp,
    /// Notified after the deadline, or still expected when it passed (and then late for
    /// good, even once confirmed).
    pub late: bool,
    pub fine_kzt: Option<i64>,
}

impl Arrival {
    /// The dedupe key of the reminder before the deadline of expected arrival `id`
    /// (`arrival-remind:{id}`; [`Store::arrivals_due_reminder`](crate::Store::arrivals_due_reminder)
    /// looks for it in SQL).
    pub fn reminder_key(id: i64) -> String {
        format!("arrival-remind:{id}")
    }

    /// The dedupe key of the message that expected arrival `id` missed its deadline.
    pub fn late_key(id: i64) -> String {
        format!("arrival-late:{id}")
    }
}

/// A new arrival notification or expected arrival (`id` is ignored).
pub type NewArrival = Arrival;

/// A host's confirmation that an expected guest arrived: the notification, decided by the
/// policy's assessment at `notified_at` of the arrival at `arrived_at` (the planned instant,
/// or the host's correction of it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArrivalConfirmation {
    pub arrived_at: Timestamp,
    pub notified_at: Timestamp,
    pub deadline_at: Timestamp,
    pub late: bool,
    pub fine_kzt: Option<i64>,
}

/// An account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub role: AccountRole,
    #[serde(skip)]
    pub password_hash: String,
    pub host_kind: Option<String>,
    pub office: Option<String>,
    pub disabled: bool,
    pub created_at: Timestamp,
    /// Where messages to this account go (hosts: arrival-deadline reminders).
    pub email: Option<String>,
    /// The language of those messages.
    pub language: Option<Lang>,
    /// The account's TOTP secret (base32), once its second factor is set up.
    #[serde(skip)]
    pub totp_secret: Option<String>,
    /// A secret shown for setting up, not yet confirmed with a code.
    #[serde(skip)]
    pub totp_pending: Option<String>,
}

impl User {
    /// Whether the account signs in with a second factor.
    pub fn has_second_factor(&self) -> bool {
        self.totp_secret.is_some()
    }
}

/// A new account; the password is already hashed (argon2id).
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub role: AccountRole,
    pub password_hash: String,
    pub host_kind: Option<String>,
    pub office: Option<String>,
    pub created_at: Timestamp,
    pub email: Option<String>,
    pub language: Option<Lang>,
}

/// A host's API key (only its hash is stored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    pub id: i64,
    pub user_id: i64,
    pub label: String,
    pub created_at: Timestamp,
    pub revoked_at: Option<Timestamp>,
}

/// A login session (only the token's hash is stored).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub user_id: i64,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub scope: SessionScope,
}

/// What a session may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionScope {
    /// Everything the account's role allows.
    Full,
    /// Only finish signing in with a code: the password was right, the second factor is due.
    Code,
    /// Only set up the second factor the account must have before anything else.
    Enrol,
}

impl SessionScope {
    pub fn as_str(self) -> &'static str {
        match self {
            SessionScope::Full => "full",
            SessionScope::Code => "code",
            SessionScope::Enrol => "enrol",
        }
    }

    pub fn parse(s: &str) -> Option<SessionScope> {
        [SessionScope::Full, SessionScope::Code, SessionScope::Enrol]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// One row of the officers' queue: no personal data, so listing needs no audit entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseSummary {
    pub id: i64,
    pub number: CaseNumber,
    pub permit_type: String,
    pub state: State,
    pub version: i64,
    pub nationality: String,
    pub office: String,
    pub assigned_officer: Option<i64>,
    pub queued_at: Timestamp,
    pub submitted_at: Option<Timestamp>,
    pub due_at: Option<Timestamp>,
    pub updated_at: Timestamp,
}

/// Filters of the officers' queue; all given filters must hold.
#[derive(Clone, Debug, Default)]
pub struct CaseFilter {
    pub states: Vec<State>,
    pub permit_type: Option<String>,
    pub office: Option<String>,
    pub assigned_officer: Option<i64>,
    pub submitted_from: Option<Timestamp>,
    pub submitted_until: Option<Timestamp>,
    /// Only open cases whose due time is before this instant.
    pub overdue_at: Option<Timestamp>,
    /// Only cases back in review after an information request was answered: `in_review`
    /// with a reason on record. The lifecycle leaves `in_review` with a reason only by
    /// `request_info` (to `info_requested`, whose one way back is the applicant's `respond`)
    /// or for good (`reject`); `start_review` takes no reason in the shipped policy. So a
    /// reason on an `in_review` case is the mark of an answered request, without a column of
    /// its own. (A policy that gave `start_review` a reason code would blur it.) Read through
    /// the `applications_info_received` partial index.
    pub info_received: bool,
}

/// A position in the queue: the last row of the previous page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub queued_at: i64,
    pub id: i64,
}

impl Cursor {
    /// An opaque token for the API.
    pub fn encode(self) -> String {
        format!("{:x}.{:x}", self.queued_at, self.id)
    }

    pub fn decode(s: &str) -> Option<Cursor> {
        let (q, i) = s.split_once('.')?;
        Some(Cursor {
            queued_at: i64::from_str_radix(q, 16).ok()?,
            id: i64::from_str_radix(i, 16).ok()?,
        })
    }
}

/// One page of a keyset-paginated list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

/// One entry of the audit log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub object: String,
    /// JSON with ids and field names only, never personal data.
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
    /// For a change to an application or an arrival: the hash of the row as written
    /// ([`crate::audit::state_hash`]); `None` for other entries and for every entry written
    /// before state hashes existed.
    pub state_hash: Option<String>,
}

/// An audit entry to append (sequence and hashes are the store's).
#[derive(Clone, Debug)]
pub struct NewAudit {
    pub at: Timestamp,
    pub actor: String,
    pub action: String,
    pub object: String,
    pub payload: serde_json::Value,
}

/// A claimed outbox message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutboxMessage {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub created_at: Timestamp,
    /// Claims so far, this one included.
    pub attempts: i64,
    /// The first claim since the message was queued (or sent again by an administrator):
    /// temporary failures are retried for the policy's time from here.
    pub first_tried_at: Timestamp,
}

/// How the worker finished with a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Delivery {
    /// Handed to the transport, rendered with templates of `template_version`.
    Sent { template_version: String },
    /// Nobody to send it to (no address on record): nothing was sent.
    NoRecipient,
    /// Permanently refused, or temporary failures for longer than the policy allows; it
    /// waits for an administrator to send it again.
    Failed { error: String },
}

impl Delivery {
    /// The `outcome` column's value.
    pub fn outcome(&self) -> &'static str {
        match self {
            Delivery::Sent { .. } => "sent",
            Delivery::NoRecipient => "no_recipient",
            Delivery::Failed { .. } => "failed",
        }
    }
}

/// An outbox message as administrators see it (ids and kinds, no personal data; the last
/// error is the transport's reply).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutboxEntry {
    pub id: i64,
    pub kind: String,
    pub payload: serde_json::Value,
    pub created_at: Timestamp,
    pub attempts: i64,
    pub outcome: Option<String>,
    pub finished_at: Option<Timestamp>,
    pub last_error: Option<String>,
    pub template_version: Option<String>,
}

/// How many messages wait, and how many failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct OutboxCounts {
    pub pending: i64,
    pub failed: i64,
}

/// The cases a timer of the worker acts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TimerQuery {
    /// Drafts created at or before the instant: to abandon.
    DraftsCreatedBefore(Timestamp),
    /// Information requests whose answer was due before the instant: to abandon.
    InfoRequestsDueBefore(Timestamp),
    /// Issued cards whose last valid day is before the date: to expire.
    CardsValidBefore(Date),
    /// Issued cards whose last valid day is in `[from, until]` and that have no reminder
    /// keyed `expiry:{id}:{days}` yet.
    CardsToRemind { from: Date, until: Date, days: u32 },
    /// Closed cases (a final state) closed at or before the instant whose personal data
    /// are not yet purged.
    ClosedBefore(Timestamp),
}

/// A case a timer acts on: what the core's `decide` needs, and the version to check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimerCase {
    pub id: i64,
    pub version: i64,
    pub state: State,
    pub permit_type: String,
    pub language: Lang,
    pub valid_until: Option<Date>,
}

/// Counts for the public statistics.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    /// `(permit_type, state, count)`.
    pub by_type_and_state: Vec<(String, State, i64)>,
    /// Arrivals notified (expected ones count once confirmed), and how many of them late.
    pub arrivals: i64,
    pub late_arrivals: i64,
}

/// What the dashboard asks the store: the windows of its aggregates, decided by the caller
/// (the server's clock and the policy's time zone), so the store holds no calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DashboardQuery {
    /// Processing times count the cases decided in `[decided_from, decided_until]` (a case
    /// decided at the very instant of the query counts).
    pub decided_from: Timestamp,
    pub decided_until: Timestamp,
    /// Cards counted as expiring: issued, last valid day in `[expiring_from, expiring_until]`.
    pub expiring_from: Date,
    pub expiring_until: Date,
    /// Month boundaries, ascending: arrivals notified in `[months[i], months[i + 1])` count
    /// for month `i`.
    pub months: Vec<Timestamp>,
}

/// The dashboard's aggregates, as counted by the store (percentiles are computed above it,
/// from the histogram).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Dashboard {
    /// `(permit_type, state, count)` over all cases, as in [`Stats`].
    pub by_type_and_state: Vec<(String, State, i64)>,
    /// A histogram of processing times of the decided cases: `(permit_type, days, count)`,
    /// `days` the time from submission to decision rounded up to whole days (24 h), sorted by
    /// type and days.
    pub decided_days: Vec<(String, i64, i64)>,
    /// `(permit_type, count)`: of those, decided by their due instant.
    pub decided_on_time: Vec<(String, i64)>,
    /// `(permit_type, count)` of cards expiring in the window.
    pub expiring: Vec<(String, i64)>,
    /// Per month of [`DashboardQuery::months`] (one fewer than the boundaries):
    /// `(arrivals, late)`.
    pub arrivals_by_month: Vec<(i64, i64)>,
    pub arrivals: i64,
    pub late_arrivals: i64,
}

/// Rows for [`Store::bulk_load`](crate::Store::bulk_load), written in one transaction.
///
/// The rows carry their own ids (continuing from [`MaxIds`]) so that documents and arrivals
/// can name their application without a round trip. For each application the store adds
/// what it derives itself: the passport lookup hash and the queue position
/// (`submitted_at`, or `created_at` for a draft).
#[derive(Clone, Debug, Default)]
pub struct SeedBatch {
    pub applications: Vec<Application>,
    pub documents: Vec<Document>,
    pub arrivals: Vec<Arrival>,
    /// Appended to the chain in this order; the store computes `seq` and the hashes.
    pub audit: Vec<NewAudit>,
}

/// The largest id of each table a bulk load writes (0 for an empty table).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MaxIds {
    pub applications: i64,
    pub documents: i64,
    pub arrivals: i64,
}
