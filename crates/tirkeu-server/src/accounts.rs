//! Accounts: what a new account must satisfy, and generated passwords — the rules the admin
//! API and the CLI's `user add` share (kept out of the handlers so the CLI does not call one).

use tirkeu_core::policy::Policy;
use tirkeu_core::problem::FieldProblem;
use tirkeu_store::AccountRole;

use crate::secrets;

/// Validates a new account: every problem, named by field.
pub fn check_new_user(
    p: &Policy,
    username: &str,
    role: &str,
    password: Option<&str>,
    host_kind: Option<&str>,
) -> Result<AccountRole, Vec<FieldProblem>> {
    let mut errors = Vec::new();
    let name_ok = (3..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-".contains(c));
    if !name_ok {
        errors.push(FieldProblem::new("username", "account.username_format"));
    }
    let role = role
        .parse::<AccountRole>()
        .map_err(|_| {
            errors.push(
                FieldProblem::new("role", "account.role_unknown")
                    .with("value", role)
                    .with("known", "officer, supervisor, admin, host"),
            );
        })
        .ok();
    if let Some(pw) = password
        && pw.chars().count() < 12
    {
        errors.push(FieldProblem::new("password", "account.password_short").with("min", 12));
    }
    match (role, host_kind) {
        (Some(AccountRole::Host), Some(k)) if !p.doc().host_kinds.iter().any(|h| h.id == k) => {
            let known: Vec<_> = p.doc().host_kinds.iter().map(|h| h.id.as_str()).collect();
            errors.push(
                FieldProblem::new("host_kind", "host_kind.unknown")
                    .with("value", k)
                    .with("known", known.join(", ")),
            );
        }
        (Some(r), Some(_)) if r != AccountRole::Host => {
            errors.push(FieldProblem::new(
                "host_kind",
                "account.host_kind_for_hosts",
            ));
        }
        _ => {}
    }
    if errors.is_empty() {
        Ok(role.expect("checked"))
    } else {
        Err(errors)
    }
}

/// A readable random password of 20 characters.
pub fn generate_password() -> String {
    secrets::access_code().replace('-', "")[..20].to_owned()
}
