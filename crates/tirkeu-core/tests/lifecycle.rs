//! Every (state, action, role) triple of the lifecycle, checked against an independent
//! statement of the rules.

use jiff::civil::date;
use tirkeu_core::lifecycle::{
    Action, Collection, LifecycleError, Role, State, TransitionInput, apply,
};

use Action as A;
use Role as R;
use State as S;

/// The allowed transitions, written out by hand from the product rules.
const ALLOWED: &[(State, Action, &[Role], State)] = &[
    (S::Draft, A::Submit, &[R::Applicant], S::Submitted),
    (S::Draft, A::Withdraw, &[R::Applicant], S::Withdrawn),
    (S::Draft, A::Abandon, &[R::System], S::Abandoned),
    (
        S::Submitted,
        A::StartReview,
        &[R::Officer, R::Supervisor],
        S::InReview,
    ),
    (S::Submitted, A::Withdraw, &[R::Applicant], S::Withdrawn),
    (
        S::InReview,
        A::RequestInfo,
        &[R::Officer, R::Supervisor],
        S::InfoRequested,
    ),
    (
        S::InReview,
        A::Approve,
        &[R::Officer, R::Supervisor],
        S::Approved,
    ),
    (
        S::InReview,
        A::Reject,
        &[R::Officer, R::Supervisor],
        S::Rejected,
    ),
    (S::InReview, A::Withdraw, &[R::Applicant], S::Withdrawn),
    (S::InfoRequested, A::Respond, &[R::Applicant], S::InReview),
    (S::InfoRequested, A::Withdraw, &[R::Applicant], S::Withdrawn),
    (S::InfoRequested, A::Abandon, &[R::System], S::Abandoned),
    (
        S::Approved,
        A::ScheduleCollection,
        &[R::Officer, R::Supervisor],
        S::ReadyForCollection,
    ),
    (S::Approved, A::Withdraw, &[R::Applicant], S::Withdrawn),
    (
        S::ReadyForCollection,
        A::Issue,
        &[R::Officer, R::Supervisor],
        S::Issued,
    ),
    (
        S::ReadyForCollection,
        A::Withdraw,
        &[R::Applicant],
        S::Withdrawn,
    ),
    (
        S::ReadyForCollection,
        A::Abandon,
        &[R::System],
        S::Abandoned,
    ),
    (S::Issued, A::Expire, &[R::System], S::Expired),
    (S::Issued, A::Revoke, &[R::Supervisor], S::Revoked),
];

/// Input that satisfies every requirement.
fn full_input() -> TransitionInput {
    TransitionInput {
        reason: Some("missing_document".into()),
        valid_from: Some(date(2026, 12, 1)),
        valid_until: Some(date(2027, 11, 30)),
        collection: Some(Collection {
            at: "2026-12-01T05:00:00Z".parse().unwrap(),
            place: "Almaty, Migration Service, window 4".into(),
        }),
        missing_documents: vec![],
    }
}

#[test]
fn every_state_action_role_triple() {
    let input = full_input();
    let mut checked = 0;
    for &state in S::ALL {
        for &action in A::ALL {
            for &role in R::ALL {
                let got = apply(state, action, role, &input);
                let row = ALLOWED
                    .iter()
                    .find(|(s, a, _, _)| *s == state && *a == action);
                let role_ever_allowed = ALLOWED
                    .iter()
                    .any(|(_, a, roles, _)| *a == action && roles.contains(&role));
                match row {
                    Some((_, _, roles, to)) if roles.contains(&role) => {
                        assert_eq!(got.map(|o| o.to), Ok(*to), "{state} {action} {role}");
                    }
                    _ if !role_ever_allowed => assert!(
                        matches!(got, Err(LifecycleError::Forbidden { .. })),
                        "{state} {action} {role}: {got:?}"
                    ),
                    _ => assert_eq!(
                        got,
                        Err(LifecycleError::Illegal { state, action }),
                        "{state} {action} {role}"
                    ),
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 12 * 12 * 4);
}

#[test]
fn an_illegal_transition_names_the_state_and_the_action() {
    let e = apply(S::Issued, A::Approve, R::Officer, &full_input()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot approve an application that is issued"
    );
    let e = apply(S::InReview, A::Approve, R::Applicant, &full_input()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the applicant role may not approve; it is for: officer, supervisor"
    );
}

#[test]
fn requirements_are_enforced() {
    let none = TransitionInput::default();
    let field = |r: Result<_, LifecycleError>| match r {
        Err(LifecycleError::Invalid(p)) => p.field,
        other => panic!("expected Invalid, got {other:?}"),
    };
    assert_eq!(
        field(apply(S::InReview, A::Reject, R::Officer, &none)),
        "reason"
    );
    assert_eq!(
        field(apply(S::InReview, A::RequestInfo, R::Officer, &none)),
        "reason"
    );
    assert_eq!(
        field(apply(S::Issued, A::Revoke, R::Supervisor, &none)),
        "reason"
    );
    let blank = TransitionInput {
        reason: Some("  ".into()),
        ..none.clone()
    };
    assert_eq!(
        field(apply(S::InReview, A::Reject, R::Officer, &blank)),
        "reason"
    );
    assert_eq!(
        field(apply(S::ReadyForCollection, A::Issue, R::Officer, &none)),
        "valid_from"
    );
    let backwards = TransitionInput {
        valid_from: Some(date(2027, 1, 1)),
        valid_until: Some(date(2026, 1, 1)),
        ..none.clone()
    };
    assert_eq!(
        field(apply(
            S::ReadyForCollection,
            A::Issue,
            R::Officer,
            &backwards
        )),
        "valid_until"
    );
    assert_eq!(
        field(apply(S::Approved, A::ScheduleCollection, R::Officer, &none)),
        "collection"
    );
    let incomplete = TransitionInput {
        missing_documents: vec!["passport".into()],
        ..none
    };
    assert_eq!(
        apply(S::Draft, A::Submit, R::Applicant, &incomplete),
        Err(LifecycleError::Incomplete {
            missing: vec!["passport".into()]
        })
    );
}
