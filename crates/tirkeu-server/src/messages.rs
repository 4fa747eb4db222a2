//! The outbox as administrators see it: the messages that failed for good, each with the
//! case it is about, and "send again" — one function each for the two doors that show and
//! do it (the JSON API's `api::admin` and the admin pages), as `accounts` and `policies` are.
//!
//! Nothing here shows personal data: a message is listed by its id, its kind, the number of
//! the case it is about (from the payload's `application_id`; a case number is not personal
//! data), its attempts, when it failed and the transport's last reply. That reply may quote
//! an address (a mail server's "550 <x@y>: no such user"); administrators read it as text,
//! and retention forgets it (`Store::purge_outbox`). The payload itself is never shown.

use std::collections::HashMap;

use jiff::Timestamp;
use tirkeu_core::number::CaseNumber;
use tirkeu_store::{OutboxCounts, OutboxEntry, Store, StoreError, with_store};

use crate::auth::Account;
use crate::error::ApiResult;
use crate::state::App;

/// Failed messages listed per page when no size is asked for.
pub const PAGE_SIZE: u32 = 50;

/// The largest page the API gives.
pub const MAX_PAGE_SIZE: u32 = 200;

/// The kinds of message the worker sends (the outbox's `kind`), for their names in words.
pub const KINDS: [&str; 14] = [
    "notice.receipt",
    "notice.review_started",
    "notice.info_requested",
    "notice.approved",
    "notice.rejected",
    "notice.ready_for_collection",
    "notice.issued",
    "notice.withdrawn",
    "notice.abandoned",
    "notice.expired",
    "notice.revoked",
    "reminder.expiry",
    "host.deadline_approaching",
    "host.deadline_missed",
];

/// The message id of the name of the outbox kind `kind` (`notice.receipt` →
/// `admin-kind-notice-receipt`); `None` for a kind this version does not know.
pub fn kind_message_id(kind: &str) -> Option<String> {
    KINDS
        .contains(&kind)
        .then(|| format!("admin-kind-{}", kind.replace('.', "-")))
}

/// A position in the list of failed messages: the last message of the previous page (the
/// list is ordered by when each failed, newest first, then by id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailedCursor {
    pub finished_at: Timestamp,
    pub id: i64,
}

impl FailedCursor {
    /// An opaque token for a link or the API.
    pub fn encode(self) -> String {
        format!("{:x}.{:x}", self.finished_at.as_microsecond(), self.id)
    }

    pub fn decode(s: &str) -> Option<FailedCursor> {
        let (at, id) = s.split_once('.')?;
        Some(FailedCursor {
            finished_at: Timestamp::from_microsecond(i64::from_str_radix(at, 16).ok()?).ok()?,
            id: i64::from_str_radix(id, 16).ok()?,
        })
    }

    fn of(e: &OutboxEntry) -> Option<FailedCursor> {
        e.finished_at.map(|finished_at| FailedCursor {
            finished_at,
            id: e.id,
        })
    }
}

/// A failed message and the number of the case it is about, if it is about one that still
/// exists.
#[derive(Clone, Debug)]
pub struct Failed {
    pub entry: OutboxEntry,
    pub case_number: Option<CaseNumber>,
}

/// One page of failed messages, with the outbox's counts.
#[derive(Clone, Debug)]
pub struct FailedPage {
    pub counts: OutboxCounts,
    pub items: Vec<Failed>,
    /// The cursor of the next page; `None` on the last.
    pub next: Option<FailedCursor>,
}

/// The case a message is about, as its payload names it.
fn application_id(e: &OutboxEntry) -> Option<i64> {
    e.payload.get("application_id")?.as_i64()
}

/// The number of the case `id`; `None` if there is no such case.
async fn case_number<S: Store>(s: &S, id: i64) -> ApiResult<Option<CaseNumber>> {
    match s.application(id).await {
        Ok(a) => Ok(Some(a.number)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// The failed messages after `after` (newest first), `limit` of them (at most
/// [`MAX_PAGE_SIZE`]), with the counts of waiting and failed messages.
pub async fn failed(app: &App, after: Option<FailedCursor>, limit: u32) -> ApiResult<FailedPage> {
    let limit = limit.clamp(1, MAX_PAGE_SIZE);
    let shown = usize::try_from(limit).unwrap_or(usize::MAX);
    with_store!(&app.store, s => {
        let counts = s.outbox_counts().await?;
        // One more than shown tells whether another page follows.
        let mut entries = s
            .failed_outbox(after.map(|c| (c.finished_at, c.id)), limit + 1)
            .await?;
        let next = if entries.len() > shown {
            entries.truncate(shown);
            entries.last().and_then(FailedCursor::of)
        } else {
            None
        };
        let mut numbers: HashMap<i64, Option<CaseNumber>> = HashMap::new();
        let mut items = Vec::with_capacity(entries.len());
        for entry in entries {
            let case_number = match application_id(&entry) {
                Some(id) => match numbers.get(&id) {
                    Some(n) => *n,
                    None => {
                        let n = case_number(s, id).await?;
                        numbers.insert(id, n);
                        n
                    }
                },
                None => None,
            };
            items.push(Failed { entry, case_number });
        }
        Ok(FailedPage { counts, items, next })
    })
}

/// The message `id` with its case number; a 404 when there is no such message.
pub async fn message(app: &App, id: i64) -> ApiResult<Failed> {
    with_store!(&app.store, s => {
        let entry = s.outbox_entry(id).await?;
        let case_number = match application_id(&entry) {
            Some(a) => case_number(s, a).await?,
            None => None,
        };
        Ok(Failed { entry, case_number })
    })
}

/// Sends the failed message `id` again (due now, with a fresh retry budget), audited as
/// `outbox.resend` by `account`; a 404 unless the message exists and failed.
pub async fn resend(app: &App, id: i64, account: &Account) -> ApiResult<()> {
    with_store!(&app.store, s => s.resend_outbox(id, app.now(), &account.actor()).await)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_read_back_and_nonsense_is_none() {
        let c = FailedCursor {
            finished_at: "2026-12-02T06:00:00.123456Z".parse().unwrap(),
            id: 4711,
        };
        assert_eq!(FailedCursor::decode(&c.encode()), Some(c));
        for bad in ["", "x", "1.", ".1", "zz.1", "1.zz", "1.2.3"] {
            assert_eq!(FailedCursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_kind_has_a_name_and_others_none() {
        for kind in KINDS {
            let id = kind_message_id(kind).unwrap();
            assert!(crate::i18n::has(&id), "{id}");
        }
        assert_eq!(kind_message_id("notice.unheard_of"), None);
    }
}
