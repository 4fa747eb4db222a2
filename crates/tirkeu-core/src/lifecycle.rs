//! The application lifecycle: an explicit state machine.
//!
//! The table [`TRANSITIONS`] is the whole truth: for each action, the states it may start
//! from, the state it leads to, the roles that may take it, what it requires and what the
//! applicant is told. Anything not in the table is an error, never a no-op.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::problem::FieldProblem;

macro_rules! named_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant),+ }

        impl $name {
            /// Every value, in lifecycle order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The name used in the API, the database and the CLI.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s).ok_or_else(|| {
                    let names: Vec<_> = $name::ALL.iter().map(|v| v.as_str()).collect();
                    format!("unknown {} `{s}`; expected one of {}", stringify!($name).to_lowercase(), names.join(", "))
                })
            }
        }
    };
}

named_enum!(
    /// Where an application stands.
    State {
        Draft = "draft",
        Submitted = "submitted",
        InReview = "in_review",
        InfoRequested = "info_requested",
        Approved = "approved",
        Rejected = "rejected",
        ReadyForCollection = "ready_for_collection",
        Issued = "issued",
        Withdrawn = "withdrawn",
        Abandoned = "abandoned",
        Expired = "expired",
        Revoked = "revoked",
    }
);

named_enum!(
    /// What someone does to an application.
    Action {
        Submit = "submit",
        StartReview = "start_review",
        RequestInfo = "request_info",
        Respond = "respond",
        Approve = "approve",
        Reject = "reject",
        ScheduleCollection = "schedule_collection",
        Issue = "issue",
        Withdraw = "withdraw",
        Abandon = "abandon",
        Expire = "expire",
        Revoke = "revoke",
    }
);

named_enum!(
    /// Who acts on an application.
    Role {
        /// The foreigner, identified by the application number and access code.
        Applicant = "applicant",
        Officer = "officer",
        Supervisor = "supervisor",
        /// tirkeu itself: timers for abandonment and expiry.
        System = "system",
    }
);

named_enum!(
    /// What the applicant is told after a transition.
    Notice {
        Receipt = "receipt",
        ReviewStarted = "review_started",
        InfoRequested = "info_requested",
        Approved = "approved",
        Rejected = "rejected",
        ReadyForCollection = "ready_for_collection",
        Issued = "issued",
        Withdrawn = "withdrawn",
        Abandoned = "abandoned",
        Expired = "expired",
        Revoked = "revoked",
    }
);

impl State {
    /// Whether nothing can happen to the application any more.
    pub fn is_final(self) -> bool {
        !TRANSITIONS.iter().any(|t| t.from.contains(&self))
    }

    /// Whether the application is still being pursued (an open application blocks a
    /// duplicate for the same passport and card type). An issued card is not open: its
    /// holder may apply to renew it.
    pub fn is_open(self) -> bool {
        !self.is_final() && self != State::Issued
    }

    /// Whether the application blocks another for the same passport and card type: once
    /// submitted and while it is open. A draft blocks nobody (anyone knowing a passport
    /// number could otherwise block its holder, and learn that an application exists).
    pub fn blocks_duplicates(self) -> bool {
        self.is_open() && self != State::Draft
    }

    /// Whether an officer may take the case over (assign it to themselves): once submitted
    /// and while it is open. A draft is the applicant's alone.
    pub fn is_assignable(self) -> bool {
        self.is_open() && self != State::Draft
    }
}

/// What an action needs besides the right role and state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Requirement {
    /// Every required document of the checklist is uploaded.
    CompleteChecklist,
    /// A reason code (the policy lists which codes each action accepts).
    Reason,
    /// `valid_from` and `valid_until` for the card.
    Validity,
    /// A collection appointment: time and place.
    Collection,
}

/// One row of the lifecycle table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Transition {
    pub action: Action,
    pub from: &'static [State],
    pub to: State,
    pub roles: &'static [Role],
    pub requires: Option<Requirement>,
    pub notifies: Option<Notice>,
}

const STAFF: &[Role] = &[Role::Officer, Role::Supervisor];

/// The lifecycle.
pub const TRANSITIONS: &[Transition] = &[
    Transition {
        action: Action::Submit,
        from: &[State::Draft],
        to: State::Submitted,
        roles: &[Role::Applicant],
        requires: Some(Requirement::CompleteChecklist),
        notifies: Some(Notice::Receipt),
    },
    Transition {
        action: Action::StartReview,
        from: &[State::Submitted],
        to: State::InReview,
        roles: STAFF,
        requires: None,
        notifies: Some(Notice::ReviewStarted),
    },
    Transition {
        action: Action::RequestInfo,
        from: &[State::InReview],
        to: State::InfoRequested,
        roles: STAFF,
        requires: Some(Requirement::Reason),
        notifies: Some(Notice::InfoRequested),
    },
    Transition {
        action: Action::Respond,
        from: &[State::InfoRequested],
        to: State::InReview,
        roles: &[Role::Applicant],
        requires: None,
        notifies: None,
    },
    Transition {
        action: Action::Approve,
        from: &[State::InReview],
        to: State::Approved,
        roles: STAFF,
        requires: None,
        notifies: Some(Notice::Approved),
    },
    Transition {
        action: Action::Reject,
        from: &[State::InReview],
        to: State::Rejected,
        roles: STAFF,
        requires: Some(Requirement::Reason),
        notifies: Some(Notice::Rejected),
    },
    Transition {
        action: Action::ScheduleCollection,
        from: &[State::Approved],
        to: State::ReadyForCollection,
        roles: STAFF,
        requires: Some(Requirement::Collection),
        notifies: Some(Notice::ReadyForCollection),
    },
    Transition {
        action: Action::Issue,
        from: &[State::ReadyForCollection],
        to: State::Issued,
        roles: STAFF,
        requires: Some(Requirement::Validity),
        notifies: Some(Notice::Issued),
    },
    Transition {
        action: Action::Withdraw,
        from: &[
            State::Draft,
            State::Submitted,
            State::InReview,
            State::InfoRequested,
            State::Approved,
            State::ReadyForCollection,
        ],
        to: State::Withdrawn,
        roles: &[Role::Applicant],
        requires: None,
        notifies: Some(Notice::Withdrawn),
    },
    Transition {
        // A draft never submitted, an information request never answered, a card never
        // collected: the policy's timers decide when.
        action: Action::Abandon,
        from: &[
            State::Draft,
            State::InfoRequested,
            State::ReadyForCollection,
        ],
        to: State::Abandoned,
        roles: &[Role::System],
        requires: None,
        notifies: Some(Notice::Abandoned),
    },
    Transition {
        action: Action::Expire,
        from: &[State::Issued],
        to: State::Expired,
        roles: &[Role::System],
        requires: None,
        notifies: Some(Notice::Expired),
    },
    Transition {
        // Revoking a card is a grave decision: supervisors only.
        action: Action::Revoke,
        from: &[State::Issued],
        to: State::Revoked,
        roles: &[Role::Supervisor],
        requires: Some(Requirement::Reason),
        notifies: Some(Notice::Revoked),
    },
];

/// The row for `action`.
pub fn transition_for(action: Action) -> &'static Transition {
    TRANSITIONS
        .iter()
        .find(|t| t.action == action)
        .expect("every action has a row")
}

/// The actions `role` may take on an application in `state`.
pub fn available_actions(state: State, role: Role) -> Vec<Action> {
    TRANSITIONS
        .iter()
        .filter(|t| t.from.contains(&state) && t.roles.contains(&role))
        .map(|t| t.action)
        .collect()
}

/// A collection appointment for a card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection {
    pub at: Timestamp,
    pub place: String,
}

/// What the actor supplies with an action; the server fills `missing_documents` from the
/// checklist.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TransitionInput {
    pub reason: Option<String>,
    pub valid_from: Option<Date>,
    pub valid_until: Option<Date>,
    pub collection: Option<Collection>,
    pub missing_documents: Vec<String>,
}

/// Why a transition was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LifecycleError {
    /// The action cannot be taken from this state (HTTP 409).
    #[error("cannot {action} an application that is {state}")]
    Illegal { state: State, action: Action },
    /// The role may never take this action (HTTP 403).
    #[error("the {role} role may not {action}; it is for: {allowed}")]
    Forbidden {
        role: Role,
        action: Action,
        allowed: String,
    },
    /// Something the action needs is missing or wrong (HTTP 422).
    #[error("{}: {}", .0.field, .0.code)]
    Invalid(FieldProblem),
    /// Required documents are not uploaded yet (HTTP 422).
    #[error("required documents are missing: {}", missing.join(", "))]
    Incomplete { missing: Vec<String> },
    /// The case belongs to an office outside the actor's reach (HTTP 404: the answer does
    /// not tell whether it exists).
    #[error("no such case")]
    OutOfReach,
    /// The action takes a second person (HTTP 403): see [`crate::access`].
    #[error("{action} takes a second person ({})", needs.as_str())]
    SecondPerson {
        action: Action,
        needs: crate::policy::SecondPerson,
    },
}

/// The result of an allowed transition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub from: State,
    pub to: State,
    pub notifies: Option<Notice>,
}

/// Decides whether `role` may take `action` on an application in `state` with `input`.
///
/// A role that may never take the action is `Forbidden` whatever the state, so the answer
/// does not reveal the state to someone who has no business with it.
pub fn apply(
    state: State,
    action: Action,
    role: Role,
    input: &TransitionInput,
) -> Result<Outcome, LifecycleError> {
    let t = transition_for(action);
    if !t.roles.contains(&role) {
        let allowed: Vec<_> = t.roles.iter().map(|r| r.as_str()).collect();
        return Err(LifecycleError::Forbidden {
            role,
            action,
            allowed: allowed.join(", "),
        });
    }
    if !t.from.contains(&state) {
        return Err(LifecycleError::Illegal { state, action });
    }
    match t.requires {
        Some(Requirement::CompleteChecklist) if !input.missing_documents.is_empty() => {
            return Err(LifecycleError::Incomplete {
                missing: input.missing_documents.clone(),
            });
        }
        Some(Requirement::Reason)
            if input.reason.as_deref().is_none_or(|r| r.trim().is_empty()) =>
        {
            return Err(LifecycleError::Invalid(
                FieldProblem::new("reason", "reason.required").with("action", action),
            ));
        }
        None | Some(Requirement::CompleteChecklist | Requirement::Reason) => {}
        Some(Requirement::Validity) => match (input.valid_from, input.valid_until) {
            (None, _) => {
                return Err(LifecycleError::Invalid(FieldProblem::new(
                    "valid_from",
                    "validity.from_required",
                )));
            }
            (_, None) => {
                return Err(LifecycleError::Invalid(FieldProblem::new(
                    "valid_until",
                    "validity.until_required",
                )));
            }
            (Some(from), Some(until)) if until < from => {
                return Err(LifecycleError::Invalid(
                    FieldProblem::new("valid_until", "validity.before_from")
                        .with("until", until)
                        .with("from", from),
                ));
            }
            _ => {}
        },
        Some(Requirement::Collection) => match &input.collection {
            None => {
                return Err(LifecycleError::Invalid(FieldProblem::new(
                    "collection",
                    "collection.required",
                )));
            }
            Some(c) if c.place.trim().is_empty() => {
                return Err(LifecycleError::Invalid(FieldProblem::new(
                    "collection.place",
                    "collection.place_empty",
                )));
            }
            Some(_) => {}
        },
    }
    Ok(Outcome {
        from: state,
        to: t.to,
        notifies: t.notifies,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for s in State::ALL {
            assert_eq!(s.as_str().parse::<State>(), Ok(*s));
        }
        for a in Action::ALL {
            assert_eq!(a.as_str().parse::<Action>(), Ok(*a));
        }
        assert!(
            "approved"
                .parse::<Action>()
                .unwrap_err()
                .contains("expected one of submit")
        );
    }

    #[test]
    fn final_and_open_states() {
        let finals: Vec<_> = State::ALL.iter().filter(|s| s.is_final()).collect();
        assert_eq!(
            finals,
            [
                &State::Rejected,
                &State::Withdrawn,
                &State::Abandoned,
                &State::Expired,
                &State::Revoked
            ]
        );
        assert!(State::Draft.is_open());
        assert!(!State::Issued.is_open());
        assert_eq!(
            available_actions(State::InReview, Role::Officer),
            [Action::RequestInfo, Action::Approve, Action::Reject]
        );
    }
}
