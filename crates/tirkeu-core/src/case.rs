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

use crate::access::{self, Reach};
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
    /// The office that handles the case.
    pub office: &'a str,
    /// The officer who reviews the case (started the review or took it over): never the
    /// second person on an approval or an issue.
    pub reviewer: Option<i64>,
}

/// Who acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor<'a> {
    pub role: Role,
    /// The staff account, for assignment; `None` for applicants and the system.
    pub user_id: Option<i64>,
    /// The offices whose cases the actor may act on.
    pub reach: Reach<'a>,
}

impl Actor<'static> {
    pub fn applicant() -> Actor<'static> {
        Actor {
            role: Role::Applicant,
            user_id: None,
            reach: Reach::Everywhere,
        }
    }

    pub fn system() -> Actor<'static> {
        Actor {
            role: Role::System,
            user_id: None,
            reach: Reach::Everywhere,
        }
    }

    /// A role acting without an account (the seeder's and the demo's simulated staff).
    pub fn anonymous(role: Role) -> Actor<'static> {
        Actor {
            role,
            user_id: None,
            reach: Reach::Everywhere,
        }
    }
}

impl<'a> Actor<'a> {
    /// The staff account `user_id` with `role`, working the cases of `reach`.
    pub fn staff(role: Role, user_id: i64, reach: Reach<'a>) -> Actor<'a> {
        Actor {
            role,
            user_id: Some(user_id),
            reach,
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
    /// When the case was approved or rejected: the end of its processing time.
    pub decided_at: Option<Timestamp>,
    /// By when an information request must be answered (the policy's
    /// `timers.info_request`); past it, the worker abandons the case.
    pub respond_by: Option<Timestamp>,
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
            ("decided_at", self.decided_at.is_some()),
            ("respond_by", self.respond_by.is_some()),
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

/// What a card's public verification says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CardStatus {
    Valid,
    Expired,
    Revoked,
}

impl CardStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CardStatus::Valid => "valid",
            CardStatus::Expired => "expired",
            CardStatus::Revoked => "revoked",
        }
    }
}

/// The status of the card of a case in `state` valid until `valid_until`, on `today`; `None`
/// when the case has no card (it was never issued), so a verification reveals nothing else.
pub fn card_status(state: State, valid_until: Option<Date>, today: Date) -> Option<CardStatus> {
    let until = valid_until?;
    match state {
        State::Revoked => Some(CardStatus::Revoked),
        State::Expired => Some(CardStatus::Expired),
        State::Issued if until < today => Some(CardStatus::Expired),
        State::Issued => Some(CardStatus::Valid),
        _ => None,
    }
}

/// The actions `actor` may take on `case` now: the lifecycle's for the role and state, less
/// those the second-person rule refuses (see [`crate::access`]); none outside the reach.
pub fn available_actions(case: &CaseFacts<'_>, actor: Actor<'_>, policy: &Policy) -> Vec<Action> {
    if !actor.reach.covers(case.office) {
        return Vec::new();
    }
    lifecycle::available_actions(case.state, actor.role)
        .into_iter()
        .filter(|&a| {
            access::check_second_person(
                policy.access(),
                a,
                actor.role,
                actor.user_id,
                case.reviewer,
            )
            .is_ok()
        })
        .collect()
}

/// Decides `action` by `actor` on `case` at `now`: the reach (a case of another office is
/// `OutOfReach`, whatever else), the lifecycle's checks (role, state, requirements), the
/// second pair of eyes, the policy's (reason codes, validity), and what the transition
/// writes.
///
/// `rng` must be cryptographically secure in production: it draws the card number and the
/// card's verification token.
pub fn decide<R: CryptoRng + ?Sized>(
    case: &CaseFacts<'_>,
    action: Action,
    actor: Actor<'_>,
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
    if !actor.reach.covers(case.office) {
        return Err(LifecycleError::OutOfReach);
    }
    let outcome = lifecycle::apply(case.state, action, actor.role, &checked)?;
    access::check_second_person(
        policy.access(),
        action,
        actor.role,
        actor.user_id,
        case.reviewer,
    )?;
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
        Action::Approve | Action::Reject => changes.decided_at = Some(now),
        Action::RequestInfo => changes.respond_by = Some(policy.info_response_due(now)),
        Action::Respond | Action::Withdraw | Action::Abandon | Action::Expire | Action::Revoke => {}
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

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn facts<'a>(state: State, uploaded: &'a [&'a str]) -> CaseFacts<'a> {
        CaseFacts {
            state,
            permit_type: "work",
            language: Lang::Ru,
            uploaded,
            office: "almaty",
            reviewer: Some(5),
        }
    }

    const ALMATY: Reach<'static> = Reach::Office("almaty");

    fn rng() -> rand::rngs::StdRng {
        rand::SeedableRng::seed_from_u64(7)
    }

    #[test]
    fn submitting_sets_the_dates_and_queues_the_receipt() {
        let p = Policy::default_kz();
        let now: Timestamp = "2026-05-22T05:00:00Z".parse().unwrap();
        let all = missing_documents(&p, "work", &[]);
        let uploaded: Vec<&str> = all.iter().map(String::as_str).collect();
        let d = decide(
            &facts(State::Draft, &uploaded),
            Action::Submit,
            Actor::applicant(),
            &Input::default(),
            &p,
            now,
            &mut rng(),
        )
        .unwrap();
        assert_eq!((d.from, d.to), (State::Draft, State::Submitted));
        assert_eq!(d.changes.submitted_at, Some(now));
        assert_eq!(d.changes.due_at, Some(p.processing_due("work", now)));
        assert_eq!(d.changes.fields(), ["submitted_at", "due_at"]);
        assert_eq!(
            d.messages,
            [Message {
                notice: Notice::Receipt,
                language: Lang::Ru,
                available_at: now
            }]
        );
        // Without the documents, the lifecycle refuses and names them.
        let e = decide(
            &facts(State::Draft, &[]),
            Action::Submit,
            Actor::applicant(),
            &Input::default(),
            &p,
            now,
            &mut rng(),
        )
        .unwrap_err();
        assert_eq!(e, LifecycleError::Incomplete { missing: all });
    }

    #[test]
    fn approving_or_rejecting_records_the_decision_instant_and_nothing_else_does() {
        let p = Policy::default_kz();
        let now: Timestamp = "2026-06-01T07:30:00Z".parse().unwrap();
        let supervisor = Actor::staff(Role::Supervisor, 9, Reach::Everywhere);
        for (action, reason) in [
            (Action::Approve, None),
            (Action::Reject, Some("missing_document".to_owned())),
        ] {
            let d = decide(
                &facts(State::InReview, &[]),
                action,
                supervisor,
                &Input {
                    reason,
                    ..Input::default()
                },
                &p,
                now,
                &mut rng(),
            )
            .unwrap();
            assert_eq!(d.changes.decided_at, Some(now), "{action}");
            assert!(d.changes.fields().contains(&"decided_at"), "{action}");
        }
        // Starting the review is no decision.
        let d = decide(
            &facts(State::Submitted, &[]),
            Action::StartReview,
            supervisor,
            &Input::default(),
            &p,
            now,
            &mut rng(),
        )
        .unwrap();
        assert_eq!(d.changes.decided_at, None);
    }

    #[test]
    fn issuing_draws_a_card_number_and_a_token_kept_as_a_hash() {
        let p = Policy::default_kz();
        let now: Timestamp = "2026-12-15T05:00:00Z".parse().unwrap();
        let input = Input {
            valid_from: Some(date(2026, 12, 15)),
            valid_until: Some(date(2027, 12, 14)),
            ..Input::default()
        };
        let officer = Actor::staff(Role::Supervisor, 6, Reach::Everywhere);
        let d = decide(
            &facts(State::ReadyForCollection, &[]),
            Action::Issue,
            officer,
            &input,
            &p,
            now,
            &mut rng(),
        )
        .unwrap();
        let token = d.verify_token.clone().unwrap();
        assert_eq!(
            d.changes.verify_token_hash,
            Some(hex::encode(Sha256::digest(token.as_bytes())))
        );
        assert!(
            d.changes
                .card_number
                .as_deref()
                .unwrap()
                .parse::<CardNumber>()
                .is_ok()
        );
        assert!(!d.changes.fields().contains(&"verify_token_hash"));
        // Too long for the type: the policy refuses, naming the field and the maximum.
        let long = Input {
            valid_until: Some(date(2030, 1, 1)),
            ..input
        };
        let e = decide(
            &facts(State::ReadyForCollection, &[]),
            Action::Issue,
            officer,
            &long,
            &p,
            now,
            &mut rng(),
        )
        .unwrap_err();
        let LifecycleError::Invalid(problem) = e else {
            panic!("{e:?}")
        };
        assert_eq!(
            (problem.field.as_str(), problem.code),
            ("valid_until", "validity.too_long")
        );
    }

    #[test]
    fn reviews_are_assigned_and_reasons_checked_against_the_policy() {
        let p = Policy::default_kz();
        let now: Timestamp = "2026-12-15T05:00:00Z".parse().unwrap();
        let officer = Actor::staff(Role::Officer, 9, ALMATY);
        let d = decide(
            &facts(State::Submitted, &[]),
            Action::StartReview,
            officer,
            &Input::default(),
            &p,
            now,
            &mut rng(),
        )
        .unwrap();
        assert_eq!(d.changes.assigned_officer, Some(9));
        let nonsense = Input {
            reason: Some("nonsense".into()),
            ..Input::default()
        };
        let e = decide(
            &facts(State::InReview, &[]),
            Action::Reject,
            officer,
            &nonsense,
            &p,
            now,
            &mut rng(),
        )
        .unwrap_err();
        assert!(
            matches!(e, LifecycleError::Invalid(ref p) if p.code == "reason.unknown"),
            "{e:?}"
        );
        // An applicant may never approve, whatever the state.
        let e = decide(
            &facts(State::InReview, &[]),
            Action::Approve,
            Actor::applicant(),
            &Input::default(),
            &p,
            now,
            &mut rng(),
        )
        .unwrap_err();
        assert!(matches!(e, LifecycleError::Forbidden { .. }), "{e:?}");
    }

    #[test]
    fn an_information_request_gives_the_applicant_ten_working_days_in_almaty() {
        let p = Policy::default_kz();
        // Friday 4 December 2026, 17:00 in Almaty (UTC+5): the tenth working day after it is
        // Monday 21 December (16 December, Independence Day, is a holiday), to its last second.
        let now: Timestamp = "2026-12-04T12:00:00Z".parse().unwrap();
        let d = decide(
            &facts(State::InReview, &[]),
            Action::RequestInfo,
            Actor::staff(Role::Officer, 3, ALMATY),
            &Input {
                reason: Some("missing_document".into()),
                ..Input::default()
            },
            &p,
            now,
            &mut rng(),
        )
        .unwrap();
        let due = d.changes.respond_by.unwrap();
        assert_eq!(due, p.info_response_due(now));
        assert_eq!(
            due.to_zoned_datetime(p.time_zone().clone())
                .strftime("%Y-%m-%d %H:%M:%S")
                .to_string(),
            "2026-12-21 23:59:59"
        );
        assert!(d.changes.fields().contains(&"respond_by"));
    }

    #[test]
    fn a_case_of_another_office_is_out_of_reach_whatever_its_state() {
        let p = Policy::default_kz();
        let now: Timestamp = "2026-12-15T05:00:00Z".parse().unwrap();
        let astana = Actor::staff(Role::Officer, 9, Reach::Office("astana"));
        for state in [State::Submitted, State::InReview, State::Issued] {
            for action in [Action::StartReview, Action::Approve, Action::Revoke] {
                let e = decide(
                    &facts(state, &[]),
                    action,
                    astana,
                    &Input::default(),
                    &p,
                    now,
                    &mut rng(),
                )
                .unwrap_err();
                assert_eq!(e, LifecycleError::OutOfReach, "{state} {action}");
            }
        }
        assert!(available_actions(&facts(State::Submitted, &[]), astana, &p).is_empty());
        let almaty = Actor::staff(Role::Officer, 9, ALMATY);
        assert_eq!(
            available_actions(&facts(State::Submitted, &[]), almaty, &p),
            [Action::StartReview]
        );
    }

    #[test]
    fn approving_and_issuing_take_a_second_person() {
        let p = Policy::default_kz();
        let now: Timestamp = "2026-12-15T05:00:00Z".parse().unwrap();
        // Officer 5 reviews the case (see `facts`): neither they nor another officer may
        // approve under the shipped policy; a supervisor may.
        let reviewer = Actor::staff(Role::Officer, 5, ALMATY);
        let colleague = Actor::staff(Role::Officer, 6, ALMATY);
        let supervisor = Actor::staff(Role::Supervisor, 9, Reach::Everywhere);
        let approve = |actor| {
            decide(
                &facts(State::InReview, &[]),
                Action::Approve,
                actor,
                &Input::default(),
                &p,
                now,
                &mut rng(),
            )
        };
        for actor in [reviewer, colleague] {
            assert!(
                matches!(
                    approve(actor),
                    Err(LifecycleError::SecondPerson {
                        action: Action::Approve,
                        ..
                    })
                ),
                "{actor:?}"
            );
        }
        assert!(approve(supervisor).is_ok());
        // The reviewer's own actions stay available to them; the decision does not.
        let mine = available_actions(&facts(State::InReview, &[]), reviewer, &p);
        assert!(mine.contains(&Action::Reject), "{mine:?}");
        assert!(!mine.contains(&Action::Approve), "{mine:?}");
    }

    #[test]
    fn a_card_is_valid_through_its_last_day() {
        let until = Some(date(2027, 12, 14));
        let on = |d| card_status(State::Issued, until, d);
        assert_eq!(on(date(2027, 12, 14)), Some(CardStatus::Valid));
        assert_eq!(on(date(2027, 12, 15)), Some(CardStatus::Expired));
        assert_eq!(
            card_status(State::Revoked, until, date(2026, 1, 1)),
            Some(CardStatus::Revoked)
        );
        assert_eq!(card_status(State::Approved, until, date(2026, 1, 1)), None);
        assert_eq!(card_status(State::Issued, None, date(2026, 1, 1)), None);
    }
}
