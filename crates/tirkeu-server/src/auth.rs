//! Who is calling: staff (officer, supervisor, admin) by session token, hosts by API key or
//! session, applicants by application number and access code.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use jiff::Timestamp;
use tirkeu_core::access::Reach;
use tirkeu_core::case::Actor;
use tirkeu_core::lifecycle::Role;
use tirkeu_core::number::CaseNumber;
use tirkeu_core::policy::Policy;
use tirkeu_store::{
    AccountRole, Application, NewAudit, SessionScope, Store, StoreError, User, with_store,
};

use crate::error::{ApiError, FieldProblem};
use crate::secrets;
use crate::state::App;

/// The session cookie set at login for the web UI.
pub const SESSION_COOKIE: &str = "tirkeu_session";
/// The session cookie's name where the server is reached over TLS: the `__Host-` prefix makes
/// browsers refuse it unless it is Secure, host-only and for the whole site.
pub const SECURE_SESSION_COOKIE: &str = "__Host-tirkeu_session";

/// The bearer token of a request, from `Authorization: Bearer …`.
pub fn bearer(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

async fn user_for_session<S: Store>(
    s: &S,
    token: &str,
    now: Timestamp,
) -> Result<(User, SessionScope), ApiError> {
    let session = match s.session(&secrets::sha256_hex(token), now).await {
        Ok(session) => session,
        Err(StoreError::NotFound) => {
            return Err(ApiError::unauthorized("auth.session_expired"));
        }
        Err(e) => return Err(e.into()),
    };
    let user = s.user(session.user_id).await?;
    if user.disabled {
        return Err(ApiError::unauthorized("auth.account_disabled"));
    }
    Ok((user, session.scope))
}

/// A logged-in account.
pub struct Account {
    pub user: User,
    /// The token used (to log out).
    pub token: String,
    /// What the session may do; an account extracted as `Account` always has `Full`.
    pub scope: SessionScope,
}

/// A signed-in account whose session may be of any scope: the routes that finish a sign-in
/// with a code or set up the second factor, and signing out.
pub struct Signing(pub Account);

impl FromRequestParts<App> for Signing {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        any_account(parts, app).await.map(Signing)
    }
}

impl Account {
    /// The actor string written in the audit log.
    pub fn actor(&self) -> String {
        format!("user:{}", self.user.id)
    }

    /// Refuses unless the account has one of `roles`.
    pub fn require(&self, roles: &[AccountRole]) -> Result<(), ApiError> {
        if roles.contains(&self.user.role) {
            Ok(())
        } else {
            let names: Vec<_> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::forbidden("auth.role_required")
                .with("roles", names.join(", "))
                .with("role", self.user.role.as_str()))
        }
    }

    /// The offices whose cases this account sees and acts on (see `tirkeu_core::access`):
    /// nothing for accounts that do not work cases.
    pub fn reach(&self, policy: &Policy) -> Reach<'_> {
        match self.lifecycle_role() {
            Ok(role) => Reach::of(role, self.user.office.as_deref(), policy.access()),
            Err(_) => Reach::Nowhere,
        }
    }

    /// This staff account as the core's actor on cases.
    pub fn case_actor(&self, policy: &Policy) -> Result<Actor<'_>, ApiError> {
        Ok(Actor::staff(
            self.lifecycle_role()?,
            self.user.id,
            self.reach(policy),
        ))
    }

    /// The lifecycle role of a staff account.
    pub fn lifecycle_role(&self) -> Result<Role, ApiError> {
        match self.user.role {
            AccountRole::Officer => Ok(Role::Officer),
            AccountRole::Supervisor => Ok(Role::Supervisor),
            other => {
                Err(ApiError::forbidden("auth.role_not_for_cases").with("role", other.as_str()))
            }
        }
    }
}

impl FromRequestParts<App> for Account {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let account = any_account(parts, app).await?;
        match account.scope {
            SessionScope::Full => Ok(account),
            SessionScope::Code => Err(ApiError::unauthorized("auth.second_factor_required")),
            SessionScope::Enrol => Err(ApiError::forbidden("auth.second_factor_setup_required")),
        }
    }
}

async fn any_account(parts: &Parts, app: &App) -> Result<Account, ApiError> {
    {
        let token = bearer(parts)
            .or_else(|| cookie(parts, SECURE_SESSION_COOKIE))
            .or_else(|| cookie(parts, SESSION_COOKIE))
            .ok_or_else(|| ApiError::unauthorized("auth.login_required"))?;
        if token.starts_with("tka_") {
            // A host's API key.
            let user = with_store!(&app.store, s => {
                let key = match s.api_key_by_hash(&secrets::sha256_hex(&token)).await {
                    Ok(k) => k,
                    Err(StoreError::NotFound) => return Err(ApiError::unauthorized("auth.api_key_unknown")),
                    Err(e) => return Err(e.into()),
                };
                s.user(key.user_id).await?
            });
            return Ok(Account {
                user,
                token,
                scope: SessionScope::Full,
            });
        }
        let (user, scope) =
            with_store!(&app.store, s => user_for_session(s, &token, app.now()).await?);
        Ok(Account { user, token, scope })
    }
}

/// A hash no password matches, verified when the username is unknown so that a guess at a
/// username takes as long as a guess at a password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2lnbi1pbi1kdW1teS1zYWx0$\
                          AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";

/// A session just opened by signing in.
pub struct Opened {
    pub user: User,
    pub token: String,
    pub expires_at: Timestamp,
    /// `Full`, or a session that can only finish signing in with a code (`Code`) or only set
    /// up the second factor the account must have (`Enrol`).
    pub scope: SessionScope,
}

/// How long a session that only finishes signing in, or only sets up a second factor, lasts.
const CODE_SESSION_MINUTES: i64 = 5;
const ENROL_SESSION_MINUTES: i64 = 15;

/// Checks `username` and `password` (and, for an account with a second factor, `code` when
/// given), opens a session and writes it to the audit log; the one sign-in of the API and the
/// web pages. Failures spend the username's and the client's budgets.
pub async fn sign_in(
    app: &App,
    client: std::net::IpAddr,
    username: &str,
    password: &str,
    code: Option<&str>,
) -> Result<Opened, ApiError> {
    let username = username.trim();
    // The budget is spent before the password is checked, and while it is spent even the
    // right password is refused, with the same answer as a wrong one: guessing stops.
    let Some(attempt) = app.limits.login_attempt(client, username).await? else {
        metrics::counter!("tirkeu_sign_in_total", "outcome" => "throttled").increment(1);
        // No username (it may be a person's name, or a password typed in the wrong box); the
        // client's network only (see edge::shown).
        tracing::warn!(
            client = %crate::edge::shown(client),
            "sign-in refused: too many failed attempts for this account or client"
        );
        return Err(ApiError::unauthorized("auth.login_failed"));
    };
    let user = with_store!(&app.store, s => match s.user_by_username(username).await {
        Ok(u) => Some(u),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    });
    let hash = user
        .as_ref()
        .map_or_else(|| DUMMY_HASH.to_owned(), |u| u.password_hash.clone());
    let ok = {
        let _permit = app
            .hashing
            .acquire()
            .await
            .map_err(|_| ApiError::unavailable("request.not_ready"))?;
        verify_password(password.to_owned(), hash).await
    };
    let user = match user {
        Some(u) if ok && !u.disabled => u,
        other => {
            metrics::counter!("tirkeu_sign_in_total", "outcome" => "failed").increment(1);
            tracing::warn!(
                account = ?other.map(|u| u.id),
                client = %crate::edge::shown(client),
                "sign-in failed"
            );
            return Err(ApiError::unauthorized("auth.login_failed"));
        }
    };
    app.limits.login_succeeded(&attempt).await?;
    if user.has_second_factor() {
        return match code.map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => {
                let method = check_code(app, client, &user, code).await?;
                open_session(app, user, SessionScope::Full, Some(method)).await
            }
            None => open_session(app, user, SessionScope::Code, None).await,
        };
    }
    if crate::second_factor::required(user.role, &app.policy()) {
        return open_session(app, user, SessionScope::Enrol, None).await;
    }
    open_session(app, user, SessionScope::Full, None).await
}

/// Finishes a sign-in begun with the password: checks `code` (from the app, or a recovery
/// code) and replaces the `Code` session with a full one.
pub async fn finish_sign_in(
    app: &App,
    client: std::net::IpAddr,
    account: &Account,
    code: &str,
) -> Result<Opened, ApiError> {
    if account.scope != SessionScope::Code {
        return Err(ApiError::conflict("second_factor.not_signing_in"));
    }
    let method = check_code(app, client, &account.user, code).await?;
    with_store!(&app.store, s => s.delete_session(&secrets::sha256_hex(&account.token)).await?);
    open_session(app, account.user.clone(), SessionScope::Full, Some(method)).await
}

/// Checks a second-factor `code` of `user`: an app code not used before, or an unused
/// recovery code (used up by this). Spends the same budgets as a password.
async fn check_code(
    app: &App,
    client: std::net::IpAddr,
    user: &User,
    code: &str,
) -> Result<&'static str, ApiError> {
    let Some(attempt) = app.limits.login_attempt(client, &user.username).await? else {
        metrics::counter!("tirkeu_sign_in_total", "outcome" => "throttled").increment(1);
        tracing::warn!(
            account = user.id,
            client = %crate::edge::shown(client),
            "second factor refused: too many failed attempts for this account or client"
        );
        return Err(ApiError::unauthorized("auth.code_wrong"));
    };
    let now = app.now();
    let method = if crate::second_factor::is_app_code(code) {
        let step = user
            .totp_secret
            .as_deref()
            .and_then(|secret| crate::second_factor::matching_step(secret, code, now));
        match step {
            Some(step) if with_store!(&app.store, s => s.spend_totp_step(user.id, step).await?) => {
                Some("app")
            }
            _ => None,
        }
    } else {
        let audit = own_audit(
            user.id,
            now,
            "auth.recovery_code_used",
            serde_json::json!({}),
        );
        let hash = crate::second_factor::recovery_hash(code);
        with_store!(&app.store, s => s.spend_recovery_code(user.id, &hash, &audit).await?).map(
            |left| {
                tracing::info!(account = user.id, left, "recovery code used");
                "recovery_code"
            },
        )
    };
    match method {
        Some(m) => {
            app.limits.login_succeeded(&attempt).await?;
            Ok(m)
        }
        None => {
            metrics::counter!("tirkeu_sign_in_total", "outcome" => "code_failed").increment(1);
            tracing::warn!(
                account = user.id,
                client = %crate::edge::shown(client),
                "second factor failed"
            );
            Err(ApiError::unauthorized("auth.code_wrong"))
        }
    }
}

/// The audit entry of something an account does to itself (signing in, its second factor).
fn own_audit(user_id: i64, at: Timestamp, action: &str, payload: serde_json::Value) -> NewAudit {
    NewAudit {
        at,
        actor: format!("user:{user_id}"),
        action: action.into(),
        object: format!("user:{user_id}"),
        payload,
    }
}

/// A secret being set up: shown once as a QR code and as text.
pub struct Setup {
    pub secret: String,
    pub otpauth_url: String,
}

/// Starts setting up a second factor for `account` (a new secret, replacing one shown before
/// and never confirmed), or shows the one being set up again when `again`.
pub async fn begin_setup(app: &App, account: &Account, again: bool) -> Result<Setup, ApiError> {
    refuse_code_scope(account)?;
    let user = &account.user;
    if !crate::second_factor::offered(user.role) {
        return Err(
            ApiError::forbidden("second_factor.not_for_role").with("role", user.role.as_str())
        );
    }
    if user.has_second_factor() {
        return Err(ApiError::conflict("second_factor.already_set_up"));
    }
    let secret = match (&user.totp_pending, again) {
        (Some(pending), true) => pending.clone(),
        _ => {
            let secret = crate::second_factor::new_secret();
            with_store!(&app.store, s => s.begin_second_factor(user.id, &secret).await?);
            secret
        }
    };
    let otpauth_url = crate::second_factor::otpauth_url(&secret, &user.username)
        .ok_or_else(|| ApiError::internal(&"an otpauth URL for a new secret"))?;
    Ok(Setup {
        secret,
        otpauth_url,
    })
}

/// A session still waiting for its code sets nothing up: it finishes signing in first.
fn refuse_code_scope(account: &Account) -> Result<(), ApiError> {
    if account.scope == SessionScope::Code {
        return Err(ApiError::unauthorized("auth.second_factor_required"));
    }
    Ok(())
}

/// Confirms the secret being set up with a `code` from the app: the factor is on, the
/// session becomes a full one, and the recovery codes are returned (shown this once).
pub async fn confirm_setup(
    app: &App,
    client: std::net::IpAddr,
    account: &Account,
    code: &str,
) -> Result<(Opened, Vec<String>), ApiError> {
    refuse_code_scope(account)?;
    let user = &account.user;
    let Some(pending) = user.totp_pending.as_deref() else {
        return Err(ApiError::conflict("second_factor.not_started"));
    };
    let Some(attempt) = app.limits.login_attempt(client, &user.username).await? else {
        return Err(ApiError::field(FieldProblem::new(
            "code",
            "auth.code_wrong",
        )));
    };
    let now = app.now();
    let Some(step) = crate::second_factor::matching_step(pending, code, now) else {
        tracing::warn!(account = user.id, "second factor set-up: wrong code");
        return Err(ApiError::field(FieldProblem::new(
            "code",
            "auth.code_wrong",
        )));
    };
    app.limits.login_succeeded(&attempt).await?;
    let codes = crate::second_factor::new_recovery_codes();
    let hashes: Vec<String> = codes
        .iter()
        .map(|c| crate::second_factor::recovery_hash(c))
        .collect();
    let audit = own_audit(
        user.id,
        now,
        "auth.second_factor_enabled",
        serde_json::json!({"recovery_codes": codes.len()}),
    );
    let enabled = with_store!(&app.store, s => {
        let enabled = s.enable_second_factor(user.id, pending, step, &hashes, &audit).await?;
        if enabled {
            s.delete_session(&secrets::sha256_hex(&account.token)).await?;
        }
        enabled
    });
    if !enabled {
        return Err(ApiError::conflict("second_factor.not_started"));
    }
    let opened = open_session(app, user.clone(), SessionScope::Full, Some("app")).await?;
    Ok((opened, codes))
}

/// Opens a session of `scope` for `user` with its audit entry, in one transaction: no session
/// the log does not show.
async fn open_session(
    app: &App,
    user: User,
    scope: SessionScope,
    second_factor: Option<&str>,
) -> Result<Opened, ApiError> {
    let token = secrets::token("tks_");
    let now = app.now();
    let expires_at = match scope {
        SessionScope::Full => now + jiff::SignedDuration::from_hours(app.config.session_hours),
        SessionScope::Code => now + jiff::SignedDuration::from_mins(CODE_SESSION_MINUTES),
        SessionScope::Enrol => now + jiff::SignedDuration::from_mins(ENROL_SESSION_MINUTES),
    };
    let (action, payload) = match scope {
        SessionScope::Full => (
            "auth.login",
            second_factor.map_or_else(
                || serde_json::json!({}),
                |m| serde_json::json!({"second_factor": m}),
            ),
        ),
        other => (
            "auth.password_accepted",
            serde_json::json!({"scope": other.as_str()}),
        ),
    };
    let audit = own_audit(user.id, now, action, payload);
    let session = tirkeu_store::Session {
        user_id: user.id,
        created_at: now,
        expires_at,
        scope,
    };
    with_store!(&app.store, s => s.create_session(&secrets::sha256_hex(&token), &session, &audit).await?);
    if scope == SessionScope::Full {
        metrics::counter!("tirkeu_sign_in_total", "outcome" => "ok").increment(1);
    }
    Ok(Opened {
        user,
        token,
        expires_at,
        scope,
    })
}

/// Ends the session of `token`; returns the `Set-Cookie` value that clears the cookie.
pub async fn sign_out(app: &App, token: &str) -> Result<String, ApiError> {
    with_store!(&app.store, s => s.delete_session(&secrets::sha256_hex(token)).await?);
    Ok(session_cookie_with(app, "", 0))
}

/// The `Set-Cookie` value carrying a session `token`: `HttpOnly`, `SameSite=Lax` (a link from
/// another site opens the page signed in; a form posted from another site does not carry it),
/// and over TLS Secure with the `__Host-` prefix.
pub fn session_cookie(app: &App, token: &str) -> String {
    session_cookie_with(app, token, app.config.session_hours * 3600)
}

fn session_cookie_with(app: &App, token: &str, max_age: i64) -> String {
    if app.config.public_url.starts_with("https://") {
        format!(
            "{SECURE_SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}; Secure"
        )
    } else {
        format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Lax; Path=/; Max-Age={max_age}")
    }
}

/// Route guard: the caller must be logged in with one of `roles`, checked before the body is
/// read, so a caller without the right role learns nothing from validation errors.
pub async fn guard(
    app: &App,
    roles: &[AccountRole],
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let (mut parts, body) = req.into_parts();
    match Account::from_request_parts(&mut parts, app).await {
        Ok(account) => match account.require(roles) {
            Ok(()) => {
                next.run(axum::extract::Request::from_parts(parts, body))
                    .await
            }
            Err(e) => e.into_response(),
        },
        Err(e) => e.into_response(),
    }
}

/// The application an applicant's request is about, if the access code opens it.
///
/// An unknown number and a wrong code get the same 404, so the answer does not tell whether
/// a number exists.
pub async fn applicant_case<S: Store>(
    s: &S,
    number: &str,
    parts_token: Option<&str>,
) -> Result<Application, ApiError> {
    let Some(code) = parts_token else {
        return Err(ApiError::unauthorized("auth.access_code_required"));
    };
    let number = CaseNumber::parse(number).map_err(|_| ApiError::not_found())?;
    let app = match s.application_by_number(&number).await {
        Ok(a) => a,
        Err(StoreError::NotFound) => return Err(ApiError::not_found()),
        Err(e) => return Err(e.into()),
    };
    if secrets::same(&secrets::access_code_hash(code), &app.access_code_hash) {
        Ok(app)
    } else {
        Err(ApiError::not_found())
    }
}

/// The access code sent with an applicant's request.
pub struct AccessCode(pub Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for AccessCode {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(AccessCode(bearer(parts)))
    }
}

/// Hashes a password with argon2id off the async threads.
pub async fn hash_password(password: String) -> Result<String, ApiError> {
    tokio::task::spawn_blocking(move || password_auth::generate_hash(password))
        .await
        .map_err(|e| ApiError::internal(&e))
}

/// Verifies a password with argon2id off the async threads.
pub async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || password_auth::verify_password(password, &hash).is_ok())
        .await
        .unwrap_or(false)
}
