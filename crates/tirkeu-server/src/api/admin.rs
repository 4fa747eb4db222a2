//! Administrators: accounts, API keys, the policy, the messages that could not be sent.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use tirkeu_store::{AccountRole, Store, User, with_store};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Account;
use crate::error::{ApiError, ApiJson, ApiResult, FieldProblem};
use crate::messages;
use crate::state::App;

#[derive(Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub host_kind: Option<String>,
    pub office: Option<String>,
    /// Where messages to the account are written.
    pub email: Option<String>,
    /// The language of those messages: `kk`, `ru`, `en` or `zh`.
    pub language: Option<String>,
    pub disabled: bool,
    pub created_at: String,
}

fn view(u: &User) -> UserView {
    UserView {
        id: u.id,
        username: u.username.clone(),
        role: u.role.as_str().into(),
        host_kind: u.host_kind.clone(),
        office: u.office.clone(),
        email: u.email.clone(),
        language: u.language.map(|l| l.code().to_owned()),
        disabled: u.disabled,
        created_at: u.created_at.to_string(),
    }
}

/// All accounts.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<UserView>), (status = 403, body = crate::error::Problem)))]
pub async fn users(State(app): State<App>, account: Account) -> ApiResult<Json<Vec<UserView>>> {
    account.require(&[AccountRole::Admin])?;
    let users = with_store!(&app.store, s => s.users().await?);
    Ok(Json(users.iter().map(view).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserRequest {
    /// 3 to 64 letters, digits, dots, dashes or underscores.
    #[schema(pattern = "^[A-Za-z0-9._-]{3,64}$")]
    pub username: String,
    /// `officer`, `supervisor`, `admin` or `host`.
    #[schema(pattern = "^(officer|supervisor|admin|host)$")]
    pub role: String,
    /// At least 12 characters; when absent one is generated and returned once.
    #[schema(min_length = 12)]
    pub password: Option<String>,
    /// Hosts only: a host kind from the policy (fines depend on it).
    pub host_kind: Option<String>,
    /// An office of the policy, by id.
    pub office: Option<String>,
    /// Where messages to the account are written (hosts: reminders of their arrival
    /// deadlines). Optional.
    pub email: Option<String>,
    /// The language of those messages: `kk`, `ru`, `en` or `zh`. Optional.
    pub language: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NewUserResponse {
    pub user: UserView,
    /// Only when the password was generated.
    pub password: Option<String>,
}

/// Creates an account.
#[utoipa::path(post, path = "/api/v1/admin/users", tag = "admin", request_body = NewUserRequest, security(("bearer" = [])),
    responses((status = 201, body = NewUserResponse), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_user(
    State(app): State<App>,
    account: Account,
    ApiJson(req): ApiJson<NewUserRequest>,
) -> ApiResult<(StatusCode, Json<NewUserResponse>)> {
    account.require(&[AccountRole::Admin])?;
    let (user, generated) = crate::accounts::create_user(&app, &req, &account).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewUserResponse {
            user: view(&user),
            password: generated,
        }),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisableRequest {
    pub disabled: bool,
}

/// Disables or re-enables an account (disabling ends its sessions and stops its API keys).
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/disabled", tag = "admin", params(("id" = i64, Path)), request_body = DisableRequest, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, description = "The administrator's own account", body = crate::error::Problem)))]
pub async fn set_disabled(
    State(app): State<App>,
    account: Account,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<DisableRequest>,
) -> ApiResult<StatusCode> {
    account.require(&[AccountRole::Admin])?;
    crate::accounts::set_disabled(&app, id, req.disabled, &account).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewKeyRequest {
    /// What the key is for (a name for the admin's list).
    #[schema(min_length = 1, pattern = "\\S")]
    pub label: String,
}

#[derive(Serialize, ToSchema)]
pub struct NewKeyResponse {
    pub id: i64,
    /// Shown once: send as `Authorization: Bearer <key>`.
    pub key: String,
}

/// Creates an API key for a host account.
#[utoipa::path(post, path = "/api/v1/admin/users/{id}/api-keys", tag = "admin", params(("id" = i64, Path)), request_body = NewKeyRequest, security(("bearer" = [])),
    responses((status = 201, body = NewKeyResponse), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create_key(
    State(app): State<App>,
    account: Account,
    Path(id): Path<i64>,
    ApiJson(req): ApiJson<NewKeyRequest>,
) -> ApiResult<(StatusCode, Json<NewKeyResponse>)> {
    account.require(&[AccountRole::Admin])?;
    let (created, key) = crate::accounts::create_api_key(&app, id, &req.label, &account).await?;
    Ok((
        StatusCode::CREATED,
        Json(NewKeyResponse {
            id: created.id,
            key,
        }),
    ))
}

/// Revokes an API key.
#[utoipa::path(delete, path = "/api/v1/admin/api-keys/{id}", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = crate::error::Problem)))]
pub async fn revoke_key(
    State(app): State<App>,
    account: Account,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    account.require(&[AccountRole::Admin])?;
    with_store!(&app.store, s => s.revoke_api_key(id, app.now(), &account.actor()).await?);
    Ok(StatusCode::NO_CONTENT)
}

/// The policy in force, as JSON.
#[utoipa::path(get, path = "/api/v1/admin/policy", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "the policy document"), (status = 403, body = crate::error::Problem)))]
pub async fn policy(
    State(app): State<App>,
    account: Account,
) -> ApiResult<Json<serde_json::Value>> {
    account.require(&[AccountRole::Admin, AccountRole::Supervisor])?;
    Ok(Json(
        serde_json::to_value(app.policy().doc()).map_err(|e| ApiError::internal(&e))?,
    ))
}

/// Replaces the policy with a TOML file, after validation (every problem named with its line).
#[utoipa::path(put, path = "/api/v1/admin/policy", tag = "admin", security(("bearer" = [])),
    request_body(content = String, content_type = "application/toml"),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn replace_policy(
    State(app): State<App>,
    account: Account,
    body: String,
) -> ApiResult<StatusCode> {
    account.require(&[AccountRole::Admin])?;
    crate::policies::replace(&app, &body, &account).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
pub struct FailedQuery {
    /// The `next` cursor of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50); a larger one is taken as 200, 0 as 1.
    #[param(minimum = 0, maximum = 4_294_967_295.0, value_type = Option<i64>)]
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct FailedMessage {
    pub id: i64,
    /// What the message is, e.g. `notice.receipt`, `reminder.expiry`,
    /// `host.deadline_missed`.
    pub kind: String,
    /// The number of the application the message is about, if any.
    pub application_number: Option<String>,
    pub attempts: i64,
    pub created_at: String,
    pub failed_at: Option<String>,
    /// The mail server's last reply.
    pub last_error: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct FailedMessages {
    /// Messages waiting to be sent.
    pub pending: i64,
    /// Messages that failed (all pages).
    pub failed: i64,
    /// Most recently failed first.
    pub items: Vec<FailedMessage>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// The messages that could not be sent, most recently failed first, in keyset pages, with
/// the counts of waiting and failed messages.
#[utoipa::path(get, path = "/api/v1/admin/messages/failed", tag = "admin", params(FailedQuery), security(("bearer" = [])),
    responses((status = 200, body = FailedMessages), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn failed_messages(
    State(app): State<App>,
    account: Account,
    Query(q): Query<FailedQuery>,
) -> ApiResult<Json<FailedMessages>> {
    account.require(&[AccountRole::Admin])?;
    let after = match q.cursor.as_deref() {
        None => None,
        Some(c) => Some(messages::FailedCursor::decode(c).ok_or_else(|| {
            ApiError::validation(vec![FieldProblem::new("cursor", "cursor.invalid")])
        })?),
    };
    let page = messages::failed(&app, after, q.limit.unwrap_or(messages::PAGE_SIZE)).await?;
    Ok(Json(FailedMessages {
        pending: page.counts.pending,
        failed: page.counts.failed,
        items: page
            .items
            .into_iter()
            .map(|m| FailedMessage {
                id: m.entry.id,
                kind: m.entry.kind,
                application_number: m.case_number.map(|n| n.to_string()),
                attempts: m.entry.attempts,
                created_at: m.entry.created_at.to_string(),
                failed_at: m.entry.finished_at.map(|t| t.to_string()),
                last_error: m.entry.last_error,
            })
            .collect(),
        next: page.next.map(messages::FailedCursor::encode),
    }))
}

/// Sends a failed message again: it is due at once, with a fresh allowance of retries
/// (audited as `outbox.resend`). 404 unless the message exists and failed.
#[utoipa::path(post, path = "/api/v1/admin/messages/{id}/resend", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn resend_message(
    State(app): State<App>,
    account: Account,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    account.require(&[AccountRole::Admin])?;
    messages::resend(&app, id, &account).await?;
    Ok(StatusCode::NO_CONTENT)
}
