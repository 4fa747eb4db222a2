//! One place decides: what a transition of an application writes.
//!
//! Every door — the JSON API, the web pages, the seeder, the demo, the crash writer and the
//! worker's timers — asks [`decide`] and stores what it answers; no other code sets a due
//! date, a card number, a validity or queues a notice. The lifecycle table
//! ([`crate::lifecycle`]) says who may take which action from which state; this module adds
//! what the action writes, from the policy, the instant and a random source the caller
//! passes (the core stays free of I/O and of the wall clock).
//!
//! A [`Decision`] is data: the new state, the field changes, the messages to queue and what
//! the audit entry says. The store applies it in one transaction (change + audit entry +
//! outbox), so a decision is either written whole or not at all.

use jiff::Timestamp;
use jiff::civil::Date;
use rand::{CryptoRng, RngExt};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::lifecycle::{self, Action, Collection, LifecycleError, Notice, Role, State};
use crate::number::CardNumber;
use crate::policy::Policy;
use crate::text::Lang;

/// What the rules need to know of a case.
#[derive(Clone, Copy, Debug)]
pub struct CaseFacts<'a> {
    pub state: State,
    pub permit_type: &'a str,
    /// The applicant's language, for the messages.
    pub language: Lang,
    /// The kinds of document uploaded so far.
    pub uploaded: &'a [&'a str],
}

/// Who acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    /// The staff account, for assignment; `None` for applicants and the system.
    pub user_id: Option<i64>,
}

impl Actor {
    pub fn applicant() -> Actor {
        Actor {
            role: Role::Applicant,
            user_id: None,
        }
    }

    pub fn system() -> Actor {
        Actor {
            role: Role::System,
            user_id: None,
        }
    }

    pub fn staff(role: Role, user_id: i64) -> Actor {
        Actor {
            role,
            user_id: Some(user_id),
        }
    }
}

/// What the actor supplies with an action (already parsed into core types).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Input {
    pub reason: Option<String>,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
    pub collection: Option<Collection>,
}

/// What a transition writes besides the state; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CaseChanges {
    pub reason: Option<String>,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
    pub collection_at: Option<Timestamp>,
    pub collection_place: Option<String>,
    pub card_number: Option<String>,
    /// SHA-256 (hex) of the card's verification token.
    pub verify_token_hash: Option<String>,
    pub submitted_at: Option<Timestamp>,
    pub due_at: Option<Timestamp>,
    pub assigned_officer: Option<i64>,
}

impl CaseChanges {
    /// The names of the fields this change sets, for the audit entry (the verification
    /// token's hash is a secret's shadow and is not named).
    pub fn fields(&self) -> Vec<&'static str> {
        [
            ("reason", self.reason.is_some()),
            ("valid_from", self.valid_from.is_some()),
            ("valid_until", self.valid_until.is_some()),
            ("collection_at", self.collection_at.is_some()),
            ("collection_place", self.collection_place.is_some()),
            ("card_number", self.card_number.is_some()),
            ("submitted_at", self.submitted_at.is_some()),
            ("due_at", self.due_at.is_some()),
            ("assigned_officer", self.assigned_officer.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, set)| set.then_some(name))
        .collect()
    }
}

/// A message to queue for the applicant: its kind and parameters, not rendered text (the
/// worker renders it in `language`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Message {
    pub notice: Notice,
    pub language: Lang,
    /// Not to be sent before this instant.
    pub available_at: Timestamp,
}

/// What the audit entry of a transition says (the store adds the actor, time and object).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TransitionAudit {
    pub from: State,
    pub to: State,
    /// The case's version after the transition.
    pub version: i64,
    pub reason: Option<String>,
    pub fields: Vec<&'static str>,
}

/// An allowed transition and everything it writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    pub action: Action,
    pub from: State,
    pub to: State,
    pub at: Timestamp,
    pub changes: CaseChanges,
    pub messages: Vec<Message>,
    /// For `issue`: the card's verification token, to be shown to the officer once (only its
    /// hash is stored).
    pub verify_token: Option<String>,
}

impl TransitionAudit {
    /// What the audit entry says of a move `from` → `to` that wrote `changes` to a case that
    /// was at `version_before`.
    pub fn new(from: State, to: State, version_before: i64, changes: &CaseChanges) -> Self {
        TransitionAudit {
            from,
            to,
            version: version_before + 1,
            reason: changes.reason.clone(),
            fields: changes.fields(),
        }
    }
}

/// The documents of `permit_type`'s checklist that are required and not in `uploaded`.
pub fn missing_documents(policy: &Policy, permit_type: &str, uploaded: &[&str]) -> Vec<String> {
    policy
        .permit_type(permit_type)
        .map(|t| {
            t.documents
                .iter()
                .filter(|c| c.required && !uploaded.contains(&c.id.as_str()))
                .map(|c| c.id.clone())
                .collect()
        })
        .unwrap_or_default()
}

/// Whether documents may be uploaded to a case in `state`: while it is a draft, and while
/// an officer waits for more information.
pub fn accepts_documents(state: State) -> bool {
    matches!(state, State::Draft | State::InfoRequested)
}

/// Decides `action` by `actor` on `case` at `now`: the lifecycle's checks (role, state,
/// requirements), the policy's (reason codes, validity), and what the transition writes.
///
/// `rng` must be cryptographically secure in production: it draws the card number and the
/// card's verification token.
pub fn decide<R: CryptoRng + ?Sized>(
    case: &CaseFacts<'_>,
    action: Action,
    actor: Actor,
    input: &Input,
    policy: &Policy,
    now: Timestamp,
    rng: &mut R,
) -> Result<Decision, LifecycleError> {
    let checked = lifecycle::TransitionInput {
        reason: input.reason.clone(),
        valid_from: input.valid_from,
        valid_until: input.valid_until,
        collection: input.collection.clone(),
        missing_documents: if action == Action::Submit {
            missing_documents(policy, case.permit_type, case.uploaded)
        } else {
            Vec::new()
        },
    };
    let outcome = lifecycle::apply(case.state, action, actor.role, &checked)?;
    policy
        .check_reason(action, input.reason.as_deref())
        .map_err(LifecycleError::Invalid)?;

    let mut changes = CaseChanges {
        reason: input.reason.clone(),
        ..CaseChanges::default()
    };
    let mut verify_token = None;
    match action {
        Action::Submit => {
            changes.submitted_at = Some(now);
            changes.due_at = Some(policy.processing_due(case.permit_type, now));
        }
        Action::StartReview => changes.assigned_officer = actor.user_id,
        Action::ScheduleCollection => {
            let c = input.collection.as_ref().expect("checked by the lifecycle");
            changes.collection_at = Some(c.at);
            changes.collection_place = Some(c.place.trim().to_owned());
        }
        Action::Issue => {
            let (from, until) = (
                input.valid_from.expect("checked by the lifecycle"),
                input.valid_until.expect("checked by the lifecycle"),
            );
            policy
                .check_validity(case.permit_type, from, until)
                .map_err(LifecycleError::Invalid)?;
            changes.valid_from = Some(from);
            changes.valid_until = Some(until);
            changes.card_number = Some(CardNumber::generate_with(rng).to_string());
            let token = hex::encode(rng.random::<[u8; 32]>());
            changes.verify_token_hash = Some(hex::encode(Sha256::digest(token.as_bytes())));
            verify_token = Some(token);
        }
        Action::RequestInfo
        | Action::Respond
        | Action::Approve
        | Action::Reject
        | Action::Withdraw
        | Action::Abandon
        | Action::Expire
        | Action::Revoke => {}
    }
    let messages = outcome
        .notifies
        .map(|notice| Message {
            notice,
            language: case.language,
            available_at: now,
        })
        .into_iter()
        .collect();
    Ok(Decision {
        action,
        from: outcome.from,
        to: outcome.to,
        at: now,
        changes,
        messages,
        verify_token,
    })
}
