//! E-mail: what the worker sends, in the recipient's language, and how it leaves.
//!
//! The worker claims an outbox row, fills [`MailFacts`] from the store, calls [`render`] and
//! hands an [`Outgoing`] to a [`Transport`]. Rendering is pure (policy, base URL and facts in,
//! texts out): every sentence comes from `locales/{kk,ru,en,zh}/mail.ftl`, the HTML from an
//! askama template that escapes whatever an officer typed. Two transports: the mail drop
//! (default; one `.eml` file per message in a directory, for development, demos and sites
//! that hand mail to another system) and SMTP. Both build the same RFC 5322 message; the
//! outbox id is its `Message-ID`, so a retry after an uncertain outcome is recognisably the
//! same message, and the mail drop simply replaces the file.
//!
//! Errors are classified for the worker's retry policy: [`SendError::Temporary`] (try again
//! later: 4xx replies, timeouts, refused connections, TLS set-up) or
//! [`SendError::Permanent`] (give up: 5xx replies, an invalid address). Their texts name the
//! server and the reason, never the message body.

mod config;
mod message;
mod render;
mod transport;

#[cfg(test)]
mod tests;

use std::path::Path;

pub use config::{MailConfig, Password, Security, SmtpConfig, TransportConfig};
pub use lettre::message::Mailbox;
pub use message::build_message;
pub use render::{Rendered, render, template_version};
pub use transport::{MailDrop, Smtp};

use tirkeu_core::lifecycle::Notice;
use tirkeu_core::number::CaseNumber;
use tirkeu_core::text::Lang;

/// What a message is about: one per applicant notice, plus the reminders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MailKind {
    Receipt,
    ReviewStarted,
    InfoRequested,
    Approved,
    Rejected,
    ReadyForCollection,
    Issued,
    Withdrawn,
    Abandoned,
    Expired,
    Revoked,
    /// The holder's card expires soon (outbox kind `reminder.expiry`).
    ExpiryReminder,
    /// A host's arrival-notification deadline is near (`host.deadline_approaching`).
    HostDeadlineApproaching,
    /// A host's arrival-notification deadline has passed (`host.deadline_missed`).
    HostDeadlineMissed,
}

impl MailKind {
    /// Every kind.
    pub const ALL: [MailKind; 14] = [
        MailKind::Receipt,
        MailKind::ReviewStarted,
        MailKind::InfoRequested,
        MailKind::Approved,
        MailKind::Rejected,
        MailKind::ReadyForCollection,
        MailKind::Issued,
        MailKind::Withdrawn,
        MailKind::Abandoned,
        MailKind::Expired,
        MailKind::Revoked,
        MailKind::ExpiryReminder,
        MailKind::HostDeadlineApproaching,
        MailKind::HostDeadlineMissed,
    ];

    /// The message for a lifecycle notice.
    pub const fn from_notice(n: Notice) -> MailKind {
        match n {
            Notice::Receipt => MailKind::Receipt,
            Notice::ReviewStarted => MailKind::ReviewStarted,
            Notice::InfoRequested => MailKind::InfoRequested,
            Notice::Approved => MailKind::Approved,
            Notice::Rejected => MailKind::Rejected,
            Notice::ReadyForCollection => MailKind::ReadyForCollection,
            Notice::Issued => MailKind::Issued,
            Notice::Withdrawn => MailKind::Withdrawn,
            Notice::Abandoned => MailKind::Abandoned,
            Notice::Expired => MailKind::Expired,
            Notice::Revoked => MailKind::Revoked,
        }
    }

    /// The lifecycle notice this message tells of, if it is one.
    pub const fn notice(self) -> Option<Notice> {
        Some(match self {
            MailKind::Receipt => Notice::Receipt,
            MailKind::ReviewStarted => Notice::ReviewStarted,
            MailKind::InfoRequested => Notice::InfoRequested,
            MailKind::Approved => Notice::Approved,
            MailKind::Rejected => Notice::Rejected,
            MailKind::ReadyForCollection => Notice::ReadyForCollection,
            MailKind::Issued => Notice::Issued,
            MailKind::Withdrawn => Notice::Withdrawn,
            MailKind::Abandoned => Notice::Abandoned,
            MailKind::Expired => Notice::Expired,
            MailKind::Revoked => Notice::Revoked,
            MailKind::ExpiryReminder
            | MailKind::HostDeadlineApproaching
            | MailKind::HostDeadlineMissed => return None,
        })
    }

    /// Whether the recipient is a host (otherwise the applicant or card holder).
    pub const fn to_host(self) -> bool {
        matches!(
            self,
            MailKind::HostDeadlineApproaching | MailKind::HostDeadlineMissed
        )
    }

    /// The kind of an outbox row (`notice.receipt`, `reminder.expiry`,
    /// `host.deadline_approaching`, …); `None` for a row that is no e-mail.
    pub fn from_outbox_kind(kind: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|k| k.outbox_kind() == kind)
    }

    /// The outbox row kind that asks for this message.
    pub fn outbox_kind(self) -> String {
        match self.notice() {
            Some(n) => format!("notice.{}", n.as_str()),
            None => match self {
                MailKind::ExpiryReminder => "reminder.expiry".to_owned(),
                MailKind::HostDeadlineApproaching => "host.deadline_approaching".to_owned(),
                _ => "host.deadline_missed".to_owned(),
            },
        }
    }

    /// A stable name: Fluent ids (`mail-{name}-subject`) and metrics labels.
    pub const fn as_str(self) -> &'static str {
        match self {
            MailKind::Receipt => "receipt",
            MailKind::ReviewStarted => "review_started",
            MailKind::InfoRequested => "info_requested",
            MailKind::Approved => "approved",
            MailKind::Rejected => "rejected",
            MailKind::ReadyForCollection => "ready_for_collection",
            MailKind::Issued => "issued",
            MailKind::Withdrawn => "withdrawn",
            MailKind::Abandoned => "abandoned",
            MailKind::Expired => "expired",
            MailKind::Revoked => "revoked",
            MailKind::ExpiryReminder => "expiry_reminder",
            MailKind::HostDeadlineApproaching => "host_deadline_approaching",
            MailKind::HostDeadlineMissed => "host_deadline_missed",
        }
    }
}

/// Raw data about what the message is about; the worker fills what it has, [`render`]
/// localises it. Ids (`permit_type`, `reason`, `office`) are the policy's; instants are UTC
/// and shown in the policy's time zone. Nothing here is secret: there is deliberately no
/// field for an access code.
#[derive(Clone, Debug)]
pub struct MailFacts {
    pub lang: Lang,
    pub kind: MailKind,
    pub case_number: Option<CaseNumber>,
    /// Policy card type id → its localised name.
    pub permit_type: Option<String>,
    /// Policy reason code → its localised name.
    pub reason: Option<String>,
    /// By when an information request must be answered.
    pub respond_by: Option<jiff::Timestamp>,
    pub collection_at: Option<jiff::Timestamp>,
    /// Where to collect the card, as the officer typed it.
    pub collection_place: Option<String>,
    /// Policy office id → its name and address.
    pub office: Option<String>,
    pub valid_until: Option<jiff::civil::Date>,
    /// Expiry reminder: days until `valid_until`.
    pub days_left: Option<i64>,
    /// Host messages: the guest, so the host knows whom it is about.
    pub guest_name: Option<String>,
    pub arrival_confirmation: Option<String>,
    pub arrived_at: Option<jiff::Timestamp>,
    pub deadline_at: Option<jiff::Timestamp>,
    pub fine_kzt: Option<i64>,
    pub fine_article: Option<String>,
}

impl MailFacts {
    /// Facts of `kind` in `lang` with nothing else known yet.
    pub fn new(lang: Lang, kind: MailKind) -> MailFacts {
        MailFacts {
            lang,
            kind,
            case_number: None,
            permit_type: None,
            reason: None,
            respond_by: None,
            collection_at: None,
            collection_place: None,
            office: None,
            valid_until: None,
            days_left: None,
            guest_name: None,
            arrival_confirmation: None,
            arrived_at: None,
            deadline_at: None,
            fine_kzt: None,
            fine_article: None,
        }
    }
}

/// A rendered message on its way out.
#[derive(Clone, Debug)]
pub struct Outgoing {
    /// The outbox row: the message's identity (`Message-ID`, the mail-drop file name).
    pub outbox_id: i64,
    /// The recipient's address.
    pub to: String,
    pub lang: Lang,
    pub rendered: Rendered,
}

/// Why a message was not sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Worth trying again later (the server or the network may recover).
    #[error("temporary: {0}")]
    Temporary(String),
    /// Trying again will not help (the address or the message is refused).
    #[error("permanent: {0}")]
    Permanent(String),
}

impl SendError {
    /// `temporary` or `permanent`, for metrics labels and the outbox record.
    pub fn kind(&self) -> &'static str {
        match self {
            SendError::Temporary(_) => "temporary",
            SendError::Permanent(_) => "permanent",
        }
    }

    /// The reason, without the kind.
    pub fn message(&self) -> &str {
        match self {
            SendError::Temporary(m) | SendError::Permanent(m) => m,
        }
    }

    /// Whether a retry may succeed.
    pub fn is_temporary(&self) -> bool {
        matches!(self, SendError::Temporary(_))
    }
}

/// A way to deliver messages.
pub trait Transport: Send + Sync + 'static {
    /// `drop` or `smtp`, for logs and metrics.
    fn name(&self) -> &'static str;
    /// Delivers `m`. Sending the same outbox id again is safe: the same `Message-ID`.
    fn send(&self, m: &Outgoing) -> impl Future<Output = Result<(), SendError>> + Send;
}

/// The configured transport.
pub enum AnyTransport {
    Drop(MailDrop),
    Smtp(Smtp),
}

impl AnyTransport {
    /// The transport `config` names; the mail drop's default directory is `data_dir/mail`.
    pub fn from_config(config: &MailConfig, data_dir: &Path) -> Result<AnyTransport, String> {
        let from = config.from_mailbox()?;
        match &config.transport {
            TransportConfig::Drop { dir } => {
                let dir = dir.clone().unwrap_or_else(|| data_dir.join("mail"));
                MailDrop::new(dir.clone(), from)
                    .map(AnyTransport::Drop)
                    .map_err(|e| format!("mail drop {}: {e}", dir.display()))
            }
            TransportConfig::Smtp(smtp) => Smtp::new(smtp, from).map(AnyTransport::Smtp),
        }
    }
}

impl Transport for AnyTransport {
    fn name(&self) -> &'static str {
        match self {
            AnyTransport::Drop(t) => t.name(),
            AnyTransport::Smtp(t) => t.name(),
        }
    }

    async fn send(&self, m: &Outgoing) -> Result<(), SendError> {
        match self {
            AnyTransport::Drop(t) => t.send(m).await,
            AnyTransport::Smtp(t) => t.send(m).await,
        }
    }
}
