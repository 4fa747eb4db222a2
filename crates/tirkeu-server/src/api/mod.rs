//! The JSON API under `/api/v1`.

pub mod admin;
pub mod applicant;
pub mod host;
pub mod officer;
pub mod public;

use jiff::Timestamp;
use tirkeu_core::lifecycle::Notice;
use tirkeu_store::{Application, NewOutboxMessage};

/// The outbox message telling the applicant of `case` about a transition, if it notifies.
pub(crate) fn notices(
    case: &Application,
    notice: Option<Notice>,
    now: Timestamp,
) -> Vec<NewOutboxMessage> {
    notice
        .map(|n| NewOutboxMessage {
            kind: format!("notice.{n}"),
            payload: serde_json::json!({"application_id": case.id, "notice": n, "language": case.language}),
            available_at: now,
        })
        .into_iter()
        .collect()
}
