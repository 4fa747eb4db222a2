//! Who is calling: staff (officer, supervisor, admin) by session token, hosts by API key or
//! session, applicants by application number and access code.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use jiff::Timestamp;
use tirkeu_core::lifecycle::Role;
use tirkeu_core::number::CaseNumber;
use tirkeu_store::{AccountRole, Application, Store, StoreError, User, with_store};

use crate::error::ApiError;
use crate::secrets;
use crate::state::App;

/// The session cookie set at login for the web UI.
pub const SESSION_COOKIE: &str = "tirkeu_session";

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

async fn user_for_session<S: Store>(s: &S, token: &str, now: Timestamp) -> Result<User, ApiError> {
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
    Ok(user)
}

/// A logged-in account.
pub struct Account {
    pub user: User,
    /// The token used (to log out).
    pub token: String,
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
        let token = bearer(parts)
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
            return Ok(Account { user, token });
        }
        let user = with_store!(&app.store, s => user_for_session(s, &token, app.now()).await?);
        Ok(Account { user, token })
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
