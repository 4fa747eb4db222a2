//! Accounts: what a new account must satisfy, and generated passwords — the rules the admin
//! API and the CLI's `user add` share (kept out of the handlers so the CLI does not call one) —
//! and the administrator's changes to accounts and API keys, one function each for the two
//! doors that make them (the JSON API and the admin pages).

use tirkeu_core::person::Email;
use tirkeu_core::policy::Policy;
use tirkeu_core::problem::FieldProblem;
use tirkeu_core::text::Lang;
use tirkeu_store::{AccountRole, ApiKey, NewUser, Store, StoreError, User, with_store};

use crate::api::admin::NewUserRequest;
use crate::auth::{self, Account};
use crate::error::ApiError;
use crate::secrets;
use crate::state::App;

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

/// Where and in which language messages to an account are written (hosts: reminders of
/// their arrival deadlines), as typed; both optional, and blank is none. The address is
/// checked as the core checks an applicant's (its domain lower-cased) and must parse as the
/// mailer's address too, so that what is stored can be sent to; every problem is named by
/// field (`email`, `language`).
pub fn check_contact(
    email: Option<&str>,
    language: Option<&str>,
) -> Result<(Option<String>, Option<Lang>), Vec<FieldProblem>> {
    let mut errors = Vec::new();
    let email = email.map(str::trim).filter(|e| !e.is_empty());
    let email = email.and_then(|typed| match Email::parse_as("email", typed) {
        Ok(e) if e.as_str().parse::<lettre::Address>().is_ok() => Some(e.as_str().to_owned()),
        Ok(_) => {
            errors.push(FieldProblem::new("email", "email.invalid"));
            None
        }
        Err(p) => {
            errors.push(p);
            None
        }
    });
    let language = language.map(str::trim).filter(|l| !l.is_empty());
    let language = language.and_then(|typed| {
        typed.parse::<Lang>().ok().or_else(|| {
            errors.push(
                FieldProblem::new("language", "account.language_unknown")
                    .with("value", typed)
                    .with("known", "kk, ru, en, zh"),
            );
            None
        })
    });
    if errors.is_empty() {
        Ok((email, language))
    } else {
        Err(errors)
    }
}

/// A readable random password of 20 characters.
pub fn generate_password() -> String {
    secrets::access_code().replace('-', "")[..20].to_owned()
}

/// A problem with `office` when it is not one of the policy's offices, or when an account of
/// `role` needs one: officers work their office's cases, and so do supervisors unless the
/// policy lets them oversee every office (see `tirkeu_core::access`).
pub fn check_office(
    p: &Policy,
    role: Option<AccountRole>,
    office: Option<&str>,
) -> Option<FieldProblem> {
    let needs_office = match role {
        Some(AccountRole::Officer) => true,
        Some(AccountRole::Supervisor) => !p.access().supervisors_all_offices,
        _ => false,
    };
    let Some(office) = office.filter(|o| !o.trim().is_empty()) else {
        return needs_office.then(|| {
            FieldProblem::new("office", "office.required")
                .with("role", role.map_or("", AccountRole::as_str))
        });
    };
    p.office(office).is_none().then(|| {
        let known: Vec<_> = p.doc().offices.iter().map(|o| o.id.as_str()).collect();
        FieldProblem::new("office", "office.unknown")
            .with("value", office)
            .with("known", known.join(", "))
    })
}

/// Creates an account as `actor` (audited by the store): every problem with the request named
/// by field, a taken username as a conflict that names the field too. Returns the account and
/// the password when one was generated (to be shown once; only its hash is kept).
pub async fn create_user(
    app: &App,
    req: &NewUserRequest,
    actor: &Account,
) -> Result<(User, Option<String>), ApiError> {
    let p = app.policy();
    let checked = check_new_user(
        &p,
        &req.username,
        &req.role,
        req.password.as_deref(),
        req.host_kind.as_deref(),
    );
    let office = check_office(&p, checked.as_ref().ok().copied(), req.office.as_deref());
    let contact = check_contact(req.email.as_deref(), req.language.as_deref());
    let (role, (email, language)) = match (checked, office, contact) {
        (Ok(role), None, Ok(contact)) => (role, contact),
        (checked, office, contact) => {
            let mut errors = checked.err().unwrap_or_default();
            errors.extend(office);
            errors.extend(contact.err().unwrap_or_default());
            return Err(ApiError::validation(errors));
        }
    };
    let generated = req.password.is_none().then(generate_password);
    let password = req
        .password
        .clone()
        .or_else(|| generated.clone())
        .expect("one of them");
    let hash = auth::hash_password(password).await?;
    let host_kind = if role == AccountRole::Host {
        req.host_kind
            .clone()
            .or_else(|| Some(p.default_host_kind().to_owned()))
    } else {
        None
    };
    let new = NewUser {
        username: req.username.clone(),
        role,
        password_hash: hash,
        host_kind,
        office: req.office.clone(),
        created_at: app.now(),
        email,
        language,
    };
    let created = with_store!(&app.store, s => s.create_user(&new, &actor.actor()).await);
    match created {
        Ok(user) => Ok((user, generated)),
        Err(StoreError::Taken(what)) => {
            let mut e = ApiError::conflict("request.taken").with("what", what);
            e.errors
                .push(FieldProblem::new("username", "account.username_taken"));
            Err(e)
        }
        Err(e) => Err(e.into()),
    }
}

/// Disables or re-enables account `id` as `actor`; disabling ends its sessions and stops its
/// API keys. An administrator cannot disable their own account.
pub async fn set_disabled(
    app: &App,
    id: i64,
    disabled: bool,
    actor: &Account,
) -> Result<(), ApiError> {
    if id == actor.user.id && disabled {
        return Err(ApiError::conflict("account.own_account"));
    }
    with_store!(&app.store, s => s.set_user_disabled(id, disabled, &actor.actor(), app.now()).await?);
    Ok(())
}

/// Creates an API key labelled `label` for the host account `user_id`, as `actor`. Returns
/// the key with its secret, which is shown once: only its hash is kept.
pub async fn create_api_key(
    app: &App,
    user_id: i64,
    label: &str,
    actor: &Account,
) -> Result<(ApiKey, String), ApiError> {
    let label = label.trim();
    if label.is_empty() {
        return Err(ApiError::field(FieldProblem::new(
            "label",
            "field.required",
        )));
    }
    let key = secrets::token("tka_");
    let created = with_store!(&app.store, s => {
        let user = s.user(user_id).await?;
        if user.role != AccountRole::Host {
            return Err(ApiError::field(FieldProblem::new("id", "account.api_key_for_hosts")));
        }
        s.create_api_key(user_id, &secrets::sha256_hex(&key), label, app.now(), &actor.actor()).await?
    });
    Ok((created, key))
}
