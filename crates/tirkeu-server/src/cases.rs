//! What officers do with cases, shared by both doors: the JSON API (`api::officer`) and the
//! back office's pages (`web::queue`). Each function reads or changes a case exactly once,
//! with its audit entry, so that a page and an API call leave the same trace.
//!
//! The **workqueues** are fixed filters over the one queue index family (see the store's
//! `CaseFilter` and migrations); each is one keyset page plus one `COUNT`, and an action
//! moves a case between them in the same transaction as the action itself, since a queue is
//! nothing but the case's state and assignment. Their state sets, from
//! `tirkeu_core::lifecycle`:
//!
//! | queue | cases |
//! |---|---|
//! | `new` | `submitted` (no one has started the review; `start_review` assigns) |
//! | `mine` | `in_review` assigned to the signed-in officer |
//! | `info_received` | `in_review` with a reason on record: the applicant answered an information request (`request_info` → `info_requested` → `respond` → `in_review`). The data keep no separate mark; the reason a request leaves behind is the honest trace (see `CaseFilter::info_received`) |
//! | `decision` | every `in_review` case: approve or reject are the actions left (a second officer or a supervisor picks them up here) |
//! | `collection` | `approved` (awaiting a collection appointment) and `ready_for_collection` (awaiting issue) |
//! | `overdue` | open and past `due_at` |

use jiff::Timestamp;
use tirkeu_core::case::{self, Input};
use tirkeu_core::lifecycle::{Action, State};
use tirkeu_core::number::CaseNumber;
use tirkeu_store::{
    Application, CaseFilter, CaseSummary, Document, NewAudit, Store, TransitionChange,
};

use crate::auth::Account;
use crate::error::{ApiError, ApiResult};
use crate::state::App;

/// One workqueue of the back office.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Queue {
    New,
    Mine,
    InfoReceived,
    Decision,
    Collection,
    Overdue,
}

impl Queue {
    pub const ALL: [Queue; 6] = [
        Queue::New,
        Queue::Mine,
        Queue::InfoReceived,
        Queue::Decision,
        Queue::Collection,
        Queue::Overdue,
    ];

    /// The id in `?queue=`.
    pub fn id(self) -> &'static str {
        match self {
            Queue::New => "new",
            Queue::Mine => "mine",
            Queue::InfoReceived => "info_received",
            Queue::Decision => "decision",
            Queue::Collection => "collection",
            Queue::Overdue => "overdue",
        }
    }

    pub fn parse(id: &str) -> Option<Queue> {
        Queue::ALL.into_iter().find(|q| q.id() == id)
    }

    /// The store filter of this queue for the officer `me` at `now` (see the module table).
    pub fn filter(self, me: i64, now: Timestamp) -> CaseFilter {
        let states = match self {
            Queue::New => vec![State::Submitted],
            Queue::Mine | Queue::Decision => vec![State::InReview],
            Queue::Collection => vec![State::Approved, State::ReadyForCollection],
            Queue::InfoReceived | Queue::Overdue => Vec::new(),
        };
        CaseFilter {
            states,
            assigned_officer: (self == Queue::Mine).then_some(me),
            info_received: self == Queue::InfoReceived,
            overdue_at: (self == Queue::Overdue).then_some(now),
            ..CaseFilter::default()
        }
    }
}

/// The case `number` (as typed: any case, spaces and hyphens ignored) if it is within the
/// reach of `account` (its office; see `tirkeu_core::access`); an unparsable number and a
/// case of another office are "not found", as an unknown one.
pub async fn by_number<S: Store>(
    s: &S,
    app: &App,
    account: &Account,
    number: &str,
) -> ApiResult<Application> {
    let n = CaseNumber::parse(number).map_err(|_| ApiError::not_found())?;
    let a = s.application_by_number(&n).await?;
    if account.reach(&app.policy()).covers(&a.office) {
        Ok(a)
    } else {
        Err(ApiError::not_found())
    }
}

/// `cases` less those outside the reach of `account`.
pub fn within_reach(app: &App, account: &Account, mut cases: Vec<CaseSummary>) -> Vec<CaseSummary> {
    let policy = app.policy();
    let reach = account.reach(&policy);
    cases.retain(|c| reach.covers(&c.office));
    cases
}

/// `filter` narrowed to the offices `account` reaches, with `office` the one asked for;
/// `None` when nothing asked for is within reach (the list is empty).
pub fn scoped(
    app: &App,
    account: &Account,
    office: Option<&str>,
    filter: CaseFilter,
) -> Option<CaseFilter> {
    let policy = app.policy();
    let office = account.reach(&policy).narrow(office)?;
    Some(CaseFilter { office, ..filter })
}

/// An officer's read of a case with its personal data and documents, written to the audit
/// log as `case.read` before anything is shown.
pub async fn read<S: Store>(
    s: &S,
    app: &App,
    account: &Account,
    number: &str,
) -> ApiResult<(Application, Vec<Document>)> {
    let a = by_number(s, app, account, number).await?;
    s.append_audit(&NewAudit {
        at: app.now(),
        actor: account.actor(),
        action: "case.read".into(),
        object: format!("application:{}", a.id),
        payload: serde_json::json!({"fields": ["applicant", "contact", "address", "documents"]}),
    })
    .await?;
    let docs = s.documents(a.id).await?;
    Ok((a, docs))
}

/// An officer's read of one document of a case: its bytes, written to the audit log as
/// `document.read` first.
pub async fn read_document<S: Store>(
    s: &S,
    app: &App,
    account: &Account,
    number: &str,
    document_id: i64,
) -> ApiResult<(Document, Vec<u8>)> {
    let a = by_number(s, app, account, number).await?;
    let doc = s
        .documents(a.id)
        .await?
        .into_iter()
        .find(|d| d.id == document_id)
        .ok_or_else(ApiError::not_found)?;
    s.append_audit(&NewAudit {
        at: app.now(),
        actor: account.actor(),
        action: "document.read".into(),
        object: format!("application:{}", a.id),
        payload: serde_json::json!({"document_id": doc.id, "kind": doc.kind}),
    })
    .await?;
    let bytes = app.documents.get(&doc.sha256).await.map_err(|e| match e {
        object_store::Error::NotFound { .. } => ApiError::not_found(),
        other => ApiError::internal(&other),
    })?;
    Ok((doc, bytes.to_vec()))
}

/// Takes `action` on the case `number` if it is still at version `expected`: the core
/// decides (`case::decide`) and the store writes the change, its audit entry and its
/// notices in one transaction. A stale version is a 412 with the current version and
/// nothing is written. Returns the case after the change and, for `issue`, the card's
/// verification token (shown once).
pub async fn transition<S: Store>(
    s: &S,
    app: &App,
    account: &Account,
    number: &str,
    expected: i64,
    action: Action,
    input: &Input,
) -> ApiResult<(Application, Option<String>)> {
    let (a, decision) = decide(s, app, account, number, expected, action, input).await?;
    let done = s
        .transition(&TransitionChange::new(
            a.id,
            expected,
            account.actor(),
            &decision,
        ))
        .await?;
    Ok((done, decision.verify_token))
}

/// What [`transition`] would do, without writing anything: the same checks (version, role,
/// state, reason, validity, collection), so that a page can ask "are you sure?" only about an
/// action that would pass.
pub async fn check<S: Store>(
    s: &S,
    app: &App,
    account: &Account,
    number: &str,
    expected: i64,
    action: Action,
    input: &Input,
) -> ApiResult<Application> {
    decide(s, app, account, number, expected, action, input)
        .await
        .map(|(a, _)| a)
}

async fn decide<S: Store>(
    s: &S,
    app: &App,
    account: &Account,
    number: &str,
    expected: i64,
    action: Action,
    input: &Input,
) -> ApiResult<(Application, case::Decision)> {
    let policy = app.policy();
    let actor = account.case_actor(&policy)?;
    let a = by_number(s, app, account, number).await?;
    if a.version != expected {
        return Err(ApiError::stale_version(a.version));
    }
    let docs = s.documents(a.id).await?;
    let uploaded: Vec<&str> = docs.iter().map(|d| d.kind.as_str()).collect();
    let decision = case::decide(
        &a.facts(&uploaded),
        action,
        actor,
        input,
        &policy,
        app.now(),
        &mut rand::rng(),
    )?;
    Ok((a, decision))
}

/// Assigns the case `number` to the signed-in officer if it is still at version `expected`
/// and may be taken over ([`State::is_assignable`]); a 412 with the current version when it
/// changed meanwhile, and nothing written.
pub async fn assign_to_me<S: Store>(
    s: &S,
    app: &App,
    account: &Account,
    number: &str,
    expected: i64,
) -> ApiResult<Application> {
    account.lifecycle_role()?;
    let a = by_number(s, app, account, number).await?;
    if a.version != expected {
        return Err(ApiError::stale_version(a.version));
    }
    if !a.state.is_assignable() {
        return Err(ApiError::conflict("case.illegal_transition")
            .with("action", "assign")
            .with("state", a.state));
    }
    Ok(
        s.assign(a.id, expected, account.user.id, &account.actor(), app.now())
            .await?,
    )
}

/// The public verification URL of a card from its token.
pub fn verify_url(app: &App, token: &str) -> String {
    format!("{}/api/v1/verify/{token}", app.config.public_url)
}
