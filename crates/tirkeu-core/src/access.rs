//! Who may see a case and who may decide it: office scoping and the second pair of eyes.
//!
//! Two rules of the policy's `[access]` section, kept here so that every door (API, pages)
//! and [`crate::case::decide`] apply the same ones:
//!
//! - **Reach**: an officer sees and acts on the cases of their own office; a supervisor on
//!   every office's (`supervisors_all_offices`) or their own. A staff account without an
//!   office reaches nothing. A case outside someone's reach is answered as "not found", so
//!   the answer does not tell whether it exists.
//! - **Second person**: approving and issuing are never done by the person who reviews the
//!   case (the officer assigned to it), and by policy only by a supervisor
//!   (`second_person = "supervisor"`) or by anyone else on staff (`"other_than_reviewer"`).

use crate::lifecycle::{Action, LifecycleError, Role};
use crate::policy::{Access, SecondPerson};

/// The offices whose cases someone sees and acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach<'a> {
    /// Every office (supervisors by policy; applicants reach their own case by its code and
    /// the system reaches everything).
    Everywhere,
    /// One office, by id.
    Office(&'a str),
    /// No office: a staff account that belongs to none.
    Nowhere,
}

impl<'a> Reach<'a> {
    /// The reach of a staff member with `role` who belongs to `office`.
    pub fn of(role: Role, office: Option<&'a str>, access: &Access) -> Reach<'a> {
        match role {
            Role::Supervisor if access.supervisors_all_offices => Reach::Everywhere,
            Role::Officer | Role::Supervisor => office.map_or(Reach::Nowhere, Reach::Office),
            Role::Applicant | Role::System => Reach::Everywhere,
        }
    }

    /// Whether a case of `office` is within reach.
    pub fn covers(self, office: &str) -> bool {
        match self {
            Reach::Everywhere => true,
            Reach::Office(mine) => mine == office,
            Reach::Nowhere => false,
        }
    }

    /// The office filter of a list narrowed to this reach, given the office asked for:
    /// `Some(filter)` to list (`None` inside it means every office), `None` when what was
    /// asked for is outside the reach (the list is empty).
    pub fn narrow(self, asked: Option<&str>) -> Option<Option<String>> {
        match (self, asked) {
            (Reach::Everywhere, asked) => Some(asked.map(str::to_owned)),
            (Reach::Office(mine), None) => Some(Some(mine.to_owned())),
            (Reach::Office(mine), Some(o)) => (mine == o).then(|| Some(mine.to_owned())),
            (Reach::Nowhere, _) => None,
        }
    }
}

/// Whether `action` takes a second person.
pub fn needs_second_person(action: Action) -> bool {
    matches!(action, Action::Approve | Action::Issue)
}

/// Checks the second pair of eyes: `action` by `role` (account `user_id`) on a case reviewed
/// by `reviewer`. Accounts unknown on either side (the seeder's simulated histories) are not
/// the same person.
pub fn check_second_person(
    access: &Access,
    action: Action,
    role: Role,
    user_id: Option<i64>,
    reviewer: Option<i64>,
) -> Result<(), LifecycleError> {
    if !needs_second_person(action) {
        return Ok(());
    }
    let refused = || LifecycleError::SecondPerson {
        action,
        needs: access.second_person,
    };
    if user_id.is_some() && user_id == reviewer {
        return Err(refused());
    }
    match access.second_person {
        SecondPerson::Supervisor if role != Role::Supervisor => Err(refused()),
        SecondPerson::Supervisor | SecondPerson::OtherThanReviewer => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn access(second_person: SecondPerson, supervisors_all_offices: bool) -> Access {
        Access {
            second_person,
            supervisors_all_offices,
            ..Access::default()
        }
    }

    #[test]
    fn officers_reach_their_office_and_supervisors_by_policy() {
        let wide = access(SecondPerson::Supervisor, true);
        let narrow = access(SecondPerson::Supervisor, false);
        let officer = Reach::of(Role::Officer, Some("almaty"), &wide);
        assert!(officer.covers("almaty"));
        assert!(!officer.covers("astana"));
        assert!(Reach::of(Role::Supervisor, Some("almaty"), &wide).covers("astana"));
        assert!(!Reach::of(Role::Supervisor, Some("almaty"), &narrow).covers("astana"));
        // No office, no cases.
        assert_eq!(Reach::of(Role::Officer, None, &wide), Reach::Nowhere);
        assert_eq!(Reach::of(Role::Supervisor, None, &narrow), Reach::Nowhere);
        assert!(!Reach::Nowhere.covers("almaty"));
    }

    #[test]
    fn lists_are_narrowed_to_the_reach() {
        let officer = Reach::Office("almaty");
        assert_eq!(officer.narrow(None), Some(Some("almaty".into())));
        assert_eq!(officer.narrow(Some("almaty")), Some(Some("almaty".into())));
        assert_eq!(officer.narrow(Some("astana")), None);
        assert_eq!(Reach::Everywhere.narrow(None), Some(None));
        assert_eq!(
            Reach::Everywhere.narrow(Some("astana")),
            Some(Some("astana".into()))
        );
        assert_eq!(Reach::Nowhere.narrow(None), None);
    }

    #[test]
    fn the_reviewer_never_approves_or_issues() {
        for mode in [SecondPerson::Supervisor, SecondPerson::OtherThanReviewer] {
            let a = access(mode, true);
            for action in [Action::Approve, Action::Issue] {
                let e = check_second_person(&a, action, Role::Supervisor, Some(7), Some(7));
                assert_eq!(
                    e,
                    Err(LifecycleError::SecondPerson {
                        action,
                        needs: mode
                    }),
                    "{mode:?} {action}"
                );
                assert!(
                    check_second_person(&a, action, Role::Supervisor, Some(8), Some(7)).is_ok()
                );
            }
            // Other actions are the reviewer's own.
            assert!(
                check_second_person(&a, Action::RequestInfo, Role::Officer, Some(7), Some(7))
                    .is_ok()
            );
        }
    }

    #[test]
    fn by_policy_only_a_supervisor_or_anyone_else_decides() {
        let supervisor = access(SecondPerson::Supervisor, true);
        let other = access(SecondPerson::OtherThanReviewer, true);
        let by_officer =
            |a: &Access| check_second_person(a, Action::Approve, Role::Officer, Some(8), Some(7));
        assert!(by_officer(&supervisor).is_err());
        assert!(by_officer(&other).is_ok());
        // The seeder's histories have no accounts: not the same person.
        assert!(check_second_person(&other, Action::Issue, Role::Officer, None, None).is_ok());
    }
}
