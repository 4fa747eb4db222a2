//! Officers and supervisors: login, the queue, the case, documents, transitions.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use tirkeu_core::case::Input;
use tirkeu_core::lifecycle::{Action, Collection, State as CaseState};
use tirkeu_core::problem;
use tirkeu_core::text::Lang;
use tirkeu_store::{AccountRole, CaseFilter, Cursor, Store, with_store};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{self, Account};
use crate::cases;
use crate::error::{ApiError, ApiJson, ApiResult, FieldProblem, collect};
use crate::state::App;

const STAFF: &[AccountRole] = &[AccountRole::Officer, AccountRole::Supervisor];

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Surrounding spaces are ignored, so it must have something else.
    #[schema(min_length = 1, pattern = "\\S")]
    pub username: String,
    #[schema(min_length = 1)]
    pub password: String,
    /// The code from the authenticator app (or a recovery code), for an account with a
    /// second factor; without it such an account gets a `code` session to send it with.
    #[schema(min_length = 1)]
    pub code: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    /// Send as `Authorization: Bearer <token>`; also set as an `HttpOnly` cookie for the web UI.
    pub token: String,
    pub role: String,
    pub expires_at: String,
    /// `full`; `code`: the token only finishes signing in (`POST /api/v1/auth/code`);
    /// `enrol`: the account must set up a second factor first
    /// (`POST /api/v1/auth/second-factor`), and the token does only that.
    #[schema(example = "full")]
    pub scope: String,
}

impl LoginResponse {
    fn of(o: &auth::Opened) -> LoginResponse {
        LoginResponse {
            token: o.token.clone(),
            role: o.user.role.as_str().into(),
            expires_at: o.expires_at.to_string(),
            scope: o.scope.as_str().into(),
        }
    }
}

/// The answer that opens a session: the body and the `HttpOnly` cookie.
fn opened(app: &App, o: &auth::Opened, body: impl Serialize) -> Response {
    let cookie = auth::session_cookie(app, &o.token);
    ([(header::SET_COOKIE, cookie)], Json(body)).into_response()
}

/// Logs in with a username and password (argon2id; repeated failures are throttled), and a
/// second-factor code for accounts that have one.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn login(
    State(app): State<App>,
    crate::edge::ClientAddr(client): crate::edge::ClientAddr,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let username = req.username.trim().to_owned();
    if username.is_empty() || req.password.is_empty() {
        return Err(ApiError::validation(vec![FieldProblem::new(
            "username",
            "auth.credentials_required",
        )]));
    }
    let o = auth::sign_in(&app, client, &username, &req.password, req.code.as_deref()).await?;
    Ok(opened(&app, &o, LoginResponse::of(&o)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    /// Six digits from the authenticator app, or a recovery code (`XXXXX-XXXXX`).
    #[schema(min_length = 1, max_length = 64)]
    pub code: String,
}

/// Finishes a sign-in with the second factor: send the `code` session's token and the code;
/// the answer is a full session (a new token).
#[utoipa::path(post, path = "/api/v1/auth/code", tag = "auth", request_body = CodeRequest, security(("bearer" = [])),
    responses((status = 200, body = LoginResponse), (status = 401, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn code(
    State(app): State<App>,
    crate::edge::ClientAddr(client): crate::edge::ClientAddr,
    auth::Signing(account): auth::Signing,
    ApiJson(req): ApiJson<CodeRequest>,
) -> ApiResult<Response> {
    let o = auth::finish_sign_in(&app, client, &account, &req.code).await?;
    Ok(opened(&app, &o, LoginResponse::of(&o)))
}

#[derive(Serialize, ToSchema)]
pub struct SecondFactorSetup {
    /// The secret (base32) to type into an authenticator app.
    pub secret: String,
    /// The same as an `otpauth://` URL, for a QR code.
    pub otpauth_url: String,
}

/// Starts setting up a second factor (an `enrol` session, or a full one of an account
/// without a factor): a new secret, which `POST /api/v1/auth/second-factor/confirm` confirms.
#[utoipa::path(post, path = "/api/v1/auth/second-factor", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = SecondFactorSetup), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem)))]
pub async fn second_factor(
    State(app): State<App>,
    auth::Signing(account): auth::Signing,
) -> ApiResult<Json<SecondFactorSetup>> {
    let setup = auth::begin_setup(&app, &account, false).await?;
    Ok(Json(SecondFactorSetup {
        secret: setup.secret,
        otpauth_url: setup.otpauth_url,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct SecondFactorConfirmed {
    #[serde(flatten)]
    pub session: LoginResponse,
    /// Ten single-use codes for signing in without the app; shown only this once.
    pub recovery_codes: Vec<String>,
}

/// Confirms the second factor being set up with a code from the app: the factor is on, the
/// answer is a full session (a new token) and the recovery codes.
#[utoipa::path(post, path = "/api/v1/auth/second-factor/confirm", tag = "auth", request_body = CodeRequest, security(("bearer" = [])),
    responses((status = 200, body = SecondFactorConfirmed), (status = 401, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn confirm_second_factor(
    State(app): State<App>,
    crate::edge::ClientAddr(client): crate::edge::ClientAddr,
    auth::Signing(account): auth::Signing,
    ApiJson(req): ApiJson<CodeRequest>,
) -> ApiResult<Response> {
    let (o, recovery_codes) = auth::confirm_setup(&app, client, &account, &req.code).await?;
    let body = SecondFactorConfirmed {
        session: LoginResponse::of(&o),
        recovery_codes,
    };
    Ok(opened(&app, &o, body))
}

/// Ends the session.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", security(("bearer" = [])), responses((status = 204)))]
pub async fn logout(
    State(app): State<App>,
    auth::Signing(account): auth::Signing,
) -> ApiResult<Response> {
    let cookie = auth::sign_out(&app, &account.token).await?;
    tracing::info!(account = account.user.id, "signed out");
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

#[derive(Deserialize, IntoParams)]
pub struct CasesQuery {
    /// Comma-separated states, e.g. `submitted,in_review`.
    pub status: Option<String>,
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub permit_type: Option<String>,
    pub office: Option<String>,
    /// Assigned officer's user id.
    pub officer: Option<i64>,
    /// `true`: only open cases past their due date.
    pub overdue: Option<bool>,
    /// RFC 3339 bounds on the submission time.
    #[param(format = DateTime)]
    pub submitted_from: Option<String>,
    #[param(format = DateTime)]
    pub submitted_to: Option<String>,
    /// The `next` cursor of the previous page.
    pub cursor: Option<String>,
    /// Page size, 1–200 (default 50); a larger one is taken as 200, 0 as 1.
    #[param(minimum = 0, maximum = 4_294_967_295.0, value_type = Option<i64>)]
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct CaseItem {
    pub number: String,
    pub permit_type: String,
    pub status: String,
    pub version: i64,
    pub nationality: String,
    pub office: String,
    pub assigned_officer: Option<i64>,
    pub submitted_at: Option<String>,
    pub due_at: Option<String>,
    pub overdue: bool,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CasesPage {
    pub items: Vec<CaseItem>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next: Option<String>,
}

/// The queue, oldest first, in keyset pages.
#[utoipa::path(get, path = "/api/v1/cases", tag = "officer", params(CasesQuery), security(("bearer" = [])),
    responses((status = 200, body = CasesPage), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    account: Account,
    Query(q): Query<CasesQuery>,
) -> ApiResult<Json<CasesPage>> {
    account.require(STAFF)?;
    let mut errors = Vec::new();
    let mut states = Vec::new();
    for s in q
        .status
        .as_deref()
        .unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match s.parse::<CaseState>() {
            Ok(st) => states.push(st),
            Err(_) => errors.push(
                FieldProblem::new("status", "state.unknown")
                    .with("value", s)
                    .with(
                        "known",
                        CaseState::ALL
                            .iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
            ),
        }
    }
    let instant = |name: &str, v: &Option<String>, errors: &mut Vec<FieldProblem>| {
        v.as_deref()
            .and_then(|s| collect(problem::parse_instant(name, s), errors))
    };
    let submitted_from = instant("submitted_from", &q.submitted_from, &mut errors);
    let submitted_until = instant("submitted_to", &q.submitted_to, &mut errors);
    let cursor = match q.cursor.as_deref() {
        None => None,
        Some(c) => match Cursor::decode(c) {
            Some(c) => Some(c),
            None => {
                errors.push(FieldProblem::new("cursor", "cursor.invalid"));
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let now = app.now();
    let filter = CaseFilter {
        states,
        permit_type: q.permit_type.clone(),
        assigned_officer: q.officer,
        submitted_from,
        submitted_until,
        overdue_at: q.overdue.unwrap_or(false).then_some(now),
        ..CaseFilter::default()
    };
    // Officers list their office's cases only; asking for another office lists nothing.
    let page = match cases::scoped(&app, &account, q.office.as_deref(), filter) {
        Some(filter) => {
            with_store!(&app.store, s => s.list_cases(&filter, cursor, q.limit.unwrap_or(50).clamp(1, 200)).await?)
        }
        None => tirkeu_store::Page {
            items: Vec::new(),
            next: None,
        },
    };
    Ok(Json(CasesPage {
        items: page
            .items
            .into_iter()
            .map(|c| CaseItem {
                number: c.number.to_string(),
                permit_type: c.permit_type,
                status: c.state.to_string(),
                version: c.version,
                nationality: c.nationality,
                office: c.office,
                assigned_officer: c.assigned_officer,
                submitted_at: c.submitted_at.map(|t| t.to_string()),
                overdue: c.state.is_open() && c.due_at.is_some_and(|d| d < now),
                due_at: c.due_at.map(|t| t.to_string()),
                updated_at: c.updated_at.to_string(),
            })
            .collect(),
        next: page.next.map(Cursor::encode),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct DocumentItem {
    pub document_id: i64,
    pub kind: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub uploaded_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct CaseView {
    pub number: String,
    pub version: i64,
    pub status: String,
    pub permit_type: String,
    pub language: String,
    pub office: String,
    /// The office's name, in the language of `Accept-Language` (English by default).
    pub office_name: String,
    #[schema(value_type = Object)]
    pub applicant: tirkeu_store::Applicant,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address_city: String,
    pub address_line: String,
    pub arrival_date: Option<String>,
    pub created_at: String,
    pub submitted_at: Option<String>,
    pub due_at: Option<String>,
    pub reason: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub card_number: Option<String>,
    pub documents: Vec<DocumentItem>,
    /// What this officer may do now.
    pub actions: Vec<String>,
}

fn etag(version: i64) -> HeaderValue {
    HeaderValue::from_str(&format!("\"{version}\"")).expect("digits are a valid header")
}

/// One case with its personal data; the read is written to the audit log.
#[utoipa::path(get, path = "/api/v1/cases/{number}", tag = "officer", params(("number" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CaseView, headers(("ETag" = String, description = "the case version, for If-Match"))), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn get(
    State(app): State<App>,
    account: Account,
    Path(number): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    account.require(STAFF)?;
    let policy = app.policy();
    let actor = account.case_actor(&policy)?;
    let (a, docs) = with_store!(&app.store, s => cases::read(s, &app, &account, &number).await?);
    let uploaded: Vec<&str> = docs.iter().map(|d| d.kind.as_str()).collect();
    let actions = tirkeu_core::case::available_actions(&a.facts(&uploaded), actor, &policy);
    let view = CaseView {
        number: a.number.to_string(),
        version: a.version,
        status: a.state.to_string(),
        permit_type: a.permit_type.clone(),
        language: a.language.to_string(),
        office: a.office.clone(),
        office_name: super::applicant::office_name(
            &app.policy(),
            &a.office,
            crate::i18n::request_lang(&headers).unwrap_or(Lang::En),
        ),
        applicant: a.applicant.clone(),
        email: a.email.clone(),
        phone: a.phone.clone(),
        address_city: a.address_city.clone(),
        address_line: a.address_line.clone(),
        arrival_date: a.arrival_date.map(|d| d.to_string()),
        created_at: a.created_at.to_string(),
        submitted_at: a.submitted_at.map(|t| t.to_string()),
        due_at: a.due_at.map(|t| t.to_string()),
        reason: a.reason.clone(),
        valid_from: a.valid_from.map(|d| d.to_string()),
        valid_until: a.valid_until.map(|d| d.to_string()),
        card_number: a.card_number.clone(),
        documents: docs
            .iter()
            .map(|d| DocumentItem {
                document_id: d.id,
                kind: d.kind.clone(),
                content_type: d.content_type.clone(),
                size: d.size,
                sha256: d.sha256.clone(),
                uploaded_at: d.created_at.to_string(),
            })
            .collect(),
        actions: actions.iter().map(ToString::to_string).collect(),
    };
    let mut res = Json(view).into_response();
    res.headers_mut().insert(header::ETAG, etag(a.version));
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// Downloads one of the case's documents; the read is written to the audit log.
#[utoipa::path(get, path = "/api/v1/cases/{number}/documents/{document_id}", tag = "officer",
    params(("number" = String, Path), ("document_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, description = "the document's bytes"), (status = 404, body = crate::error::Problem)))]
pub async fn document(
    State(app): State<App>,
    account: Account,
    Path((number, document_id)): Path<(String, i64)>,
) -> ApiResult<Response> {
    account.require(STAFF)?;
    let (doc, bytes) = with_store!(&app.store, s => cases::read_document(s, &app, &account, &number, document_id).await?);
    let ct = HeaderValue::from_str(&doc.content_type)
        .unwrap_or(HeaderValue::from_static("application/octet-stream"));
    Ok((
        [
            (header::CONTENT_TYPE, ct),
            (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment"),
            ),
        ],
        bytes,
    )
        .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CollectionInput {
    /// RFC 3339.
    pub at: String,
    pub place: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// `start_review`, `request_info`, `approve`, `reject`, `schedule_collection`, `issue`, `revoke`.
    #[schema(
        pattern = "^(start_review|request_info|approve|reject|schedule_collection|issue|revoke)$"
    )]
    pub action: String,
    /// A reason code from the policy (required to reject, request information or revoke).
    pub reason: Option<String>,
    pub valid_from: Option<String>,
    pub valid_until: Option<String>,
    pub collection: Option<CollectionInput>,
}

#[derive(Serialize, ToSchema)]
pub struct TransitionResponse {
    pub number: String,
    pub status: String,
    pub version: i64,
    pub card_number: Option<String>,
    /// Issued cards only: the public verification URL (shown once; printed on the card).
    pub verify_url: Option<String>,
}

fn if_match(headers: &HeaderMap) -> ApiResult<i64> {
    let v = headers
        .get(header::IF_MATCH)
        .ok_or_else(|| ApiError::precondition_required("case.if_match_required"))?;
    v.to_str()
        .ok()
        .map(|s| s.trim().trim_start_matches("W/").trim_matches('"'))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ApiError::bad_request("case.if_match_invalid"))
}

/// Moves a case through the lifecycle, guarded by its version (`If-Match`).
#[utoipa::path(post, path = "/api/v1/cases/{number}/transitions", tag = "officer", params(("number" = String, Path), ("If-Match" = String, Header, description = "The case's ETag (its version), e.g. `\"3\"`", pattern = r#"^(W/)?"?[0-9]{1,18}"?$"#)),
    request_body = TransitionRequest, security(("bearer" = [])),
    responses((status = 200, body = TransitionResponse), (status = 403, body = crate::error::Problem), (status = 409, body = crate::error::Problem),
              (status = 412, body = crate::error::Problem), (status = 422, body = crate::error::Problem), (status = 428, body = crate::error::Problem)))]
pub async fn transition(
    State(app): State<App>,
    account: Account,
    Path(number): Path<String>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<TransitionRequest>,
) -> ApiResult<Response> {
    account.require(STAFF)?;
    account.lifecycle_role()?;
    let expected = if_match(&headers)?;
    let action: Action = req.action.parse().map_err(|_: String| {
        ApiError::field(
            FieldProblem::new("action", "action.unknown")
                .with("value", &req.action)
                .with(
                    "known",
                    Action::ALL
                        .iter()
                        .map(|a| a.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
        )
    })?;
    let mut errors = Vec::new();
    let date = |name: &str, v: &Option<String>, errors: &mut Vec<FieldProblem>| {
        v.as_deref()
            .and_then(|s| collect(problem::parse_date(name, s), errors))
    };
    let valid_from = date("valid_from", &req.valid_from, &mut errors);
    let valid_until = date("valid_until", &req.valid_until, &mut errors);
    let collection = req.collection.as_ref().and_then(|c| {
        collect(problem::parse_instant("collection.at", &c.at), &mut errors).map(|at| Collection {
            at,
            place: c.place.trim().to_owned(),
        })
    });
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let input = Input {
        reason: req.reason.clone(),
        valid_from,
        valid_until,
        collection,
    };
    let (a, token) = with_store!(&app.store, s => cases::transition(s, &app, &account, &number, expected, action, &input).await?);
    let body = TransitionResponse {
        number: a.number.to_string(),
        status: a.state.to_string(),
        version: a.version,
        card_number: a.card_number.clone(),
        verify_url: token.map(|t| cases::verify_url(&app, &t)),
    };
    let mut res = Json(body).into_response();
    res.headers_mut().insert(header::ETAG, etag(a.version));
    Ok(res)
}
