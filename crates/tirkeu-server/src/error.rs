//! API errors as RFC 9457 `application/problem+json`, mapped in one place, in the reader's
//! language.
//!
//! An error is data until it is written: a kind (the `type` URI and the title), a detail
//! code with parameters, and one [`FieldProblem`] per wrong field, each with a stable code.
//! The texts come from the Fluent files (see [`crate::i18n`]) in the language the request
//! asks for (`Accept-Language`, applied by [`localize`]), else the application's language
//! where the handler knows it, else English. Internal errors are logged with an id and
//! answered with that id only: their text never reaches the client.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tirkeu_core::lifecycle::LifecycleError;
pub use tirkeu_core::problem::FieldProblem;
use tirkeu_core::problem::{is_code, message_id};
use tirkeu_core::text::Lang;
use tirkeu_store::StoreError;

use crate::i18n;

/// One problem with one field of the request, as sent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(as = FieldProblem)]
pub struct FieldProblemDoc {
    /// Dotted path of the field, e.g. `applicant.passport_expiry`.
    pub field: String,
    /// Stable code of what is wrong, e.g. `mrz.check_digit`.
    pub code: String,
    /// The values the message names.
    pub params: BTreeMap<String, String>,
    /// The message, in the response's language (`Content-Language`).
    pub message: String,
}

/// The problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem, e.g. `/problems/validation`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    /// Stable code of the detail, e.g. `auth.session_expired`.
    pub code: String,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblemDoc>,
}

/// `r`'s value, or `None` with its problem added to `errors` (so a handler reads every field
/// and answers all their problems at once).
pub fn collect<T>(r: Result<T, FieldProblem>, errors: &mut Vec<FieldProblem>) -> Option<T> {
    r.map_err(|p| errors.push(p)).ok()
}

/// An error response, not yet written in a language.
#[derive(Clone, Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// The `type` (`/problems/{kind}`); its title is the message `title-{kind}`.
    pub kind: &'static str,
    /// The detail's code and parameters.
    pub code: &'static str,
    pub params: Vec<(&'static str, String)>,
    pub errors: Vec<FieldProblem>,
    pub headers: Vec<(HeaderName, String)>,
    /// The application's language, used when the request names none tirkeu speaks.
    pub lang: Option<Lang>,
}

impl ApiError {
    pub fn new(status: StatusCode, kind: &'static str, code: &'static str) -> Self {
        debug_assert!(is_code(code), "`{code}` is not a problem code");
        ApiError {
            status,
            kind,
            code,
            params: Vec::new(),
            errors: Vec::new(),
            headers: Vec::new(),
            lang: None,
        }
    }

    /// The error with the detail's parameter `name` set to `value`.
    #[must_use]
    #[allow(clippy::needless_pass_by_value)] // numbers and strings alike, by value or by reference
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.params.push((name, value.to_string()));
        self
    }

    /// The error, written in `lang` unless the request asks for another language.
    #[must_use]
    pub fn in_language(mut self, lang: Lang) -> Self {
        self.lang = Some(lang);
        self
    }

    /// 422 with one problem per field.
    pub fn validation(errors: Vec<FieldProblem>) -> Self {
        ApiError {
            errors,
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "request.invalid",
            )
        }
    }

    /// 422 for one field.
    pub fn field(p: FieldProblem) -> Self {
        ApiError::validation(vec![p])
    }

    pub fn bad_request(code: &'static str) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad-request", code)
    }

    /// 404 with one fixed text, so that it reveals nothing about why.
    pub fn not_found() -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not-found", "request.not_found")
    }

    pub fn unauthorized(code: &'static str) -> Self {
        let mut e = ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", code);
        e.headers.push((header::WWW_AUTHENTICATE, "Bearer".into()));
        e
    }

    pub fn forbidden(code: &'static str) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", code)
    }

    pub fn conflict(code: &'static str) -> Self {
        ApiError::new(StatusCode::CONFLICT, "conflict", code)
    }

    /// 412: the case is at `current`, not at the version the client had.
    pub fn stale_version(current: i64) -> Self {
        ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "stale-version",
            "case.stale_version",
        )
        .with("current", current)
    }

    pub fn precondition_required(code: &'static str) -> Self {
        ApiError::new(StatusCode::PRECONDITION_REQUIRED, "version-required", code)
    }

    pub fn too_many(retry_after_secs: u64) -> Self {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "request.rate_limited",
        )
        .with("seconds", retry_after_secs);
        e.headers
            .push((header::RETRY_AFTER, retry_after_secs.to_string()));
        e
    }

    pub fn payload_too_large(code: &'static str) -> Self {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large", code)
    }

    pub fn unsupported_media(code: &'static str) -> Self {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            code,
        )
    }

    pub fn unavailable(code: &'static str) -> Self {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", code)
    }

    pub fn method_not_allowed() -> Self {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            "request.method_not_allowed",
        )
    }

    /// 500: logs `error` with an id and tells the client only the id.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        let id = hex::encode(rand::random::<[u8; 6]>());
        tracing::error!(error_id = %id, %error, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "request.internal",
        )
        .with("id", id)
    }

    /// The problem document in `lang`.
    pub fn render(&self, lang: Lang) -> Problem {
        let errors: Vec<FieldProblemDoc> = self
            .errors
            .iter()
            .map(|p| FieldProblemDoc {
                field: p.field.clone(),
                code: p.code.to_owned(),
                params: p
                    .params
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.clone()))
                    .collect(),
                message: i18n::problem(lang, p),
            })
            .collect();
        let detail = if errors.is_empty() {
            i18n::text_with(lang, &message_id(self.code), &self.params)
        } else {
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        };
        Problem {
            kind: format!("/problems/{}", self.kind),
            title: i18n::text(lang, &format!("title-{}", self.kind)),
            status: self.status.as_u16(),
            code: self.code.to_owned(),
            detail,
            errors,
        }
    }

    fn response(&self, lang: Lang) -> Response {
        let mut res = (self.status, Json(self.render(lang))).into_response();
        let headers = res.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        headers.insert(
            header::CONTENT_LANGUAGE,
            HeaderValue::from_static(lang.code()),
        );
        for (name, value) in &self.headers {
            if let Ok(v) = HeaderValue::from_str(value) {
                headers.insert(name.clone(), v);
            }
        }
        res
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = self.response(self.lang.unwrap_or(Lang::En));
        // Kept so that `localize` can write it again in the language the request asks for.
        res.extensions_mut().insert(self);
        res
    }
}

/// Middleware: writes problem documents in the language of the request's
/// `Accept-Language`, when it names one tirkeu speaks.
pub async fn localize(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let wanted = i18n::request_lang(req.headers());
    let res = next.run(req).await;
    match (wanted, res.extensions().get::<ApiError>()) {
        (Some(lang), Some(e)) if e.lang != Some(lang) => e.response(lang),
        _ => res,
    }
}

/// Middleware for the API's routes: a refusal written by one of axum's own extractors (a path
/// or query parameter that does not parse, a multipart body without a boundary, a body over
/// its limit), which is plain text, becomes a problem document like every other error, with
/// the extractor's English text as its `detail` parameter. Errors the handlers write are
/// left alone (they are problem documents already).
pub async fn problems_for_rejections(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let api = is_api_path(req.uri().path());
    let res = next.run(req).await;
    let plain = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/plain"));
    if !api || !plain || !res.status().is_client_error() {
        return res;
    }
    let status = res.status();
    // A rejection's text is one short line; more than this is not an extractor's.
    let text = match axum::body::to_bytes(res.into_body(), 4096).await {
        Ok(b) => String::from_utf8_lossy(&b).into_owned(),
        Err(_) => String::new(),
    };
    let kind = match status {
        StatusCode::PAYLOAD_TOO_LARGE => "too-large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported-media-type",
        _ => "bad-request",
    };
    let status = if kind == "bad-request" {
        StatusCode::BAD_REQUEST
    } else {
        status
    };
    ApiError::new(status, kind, "request.unreadable")
        .with("detail", text)
        .into_response()
}

/// The routes that answer problem documents (the web pages answer pages).
fn is_api_path(path: &str) -> bool {
    path.starts_with("/api/") || matches!(path, "/healthz" | "/readyz" | "/metrics")
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Conflict { current } => ApiError::stale_version(current),
            StoreError::Duplicate { .. } => ApiError::conflict("application.duplicate"),
            StoreError::Taken(what) => ApiError::conflict("request.taken").with("what", what),
            // The database is slow or saturated, not broken: a 503 to retry, and a log line
            // that says which limit it hit (the pool's settings are in `[database]`).
            e @ StoreError::StatementTimeout => {
                tracing::warn!(error = %e, "request failed: database statement timeout");
                ApiError::unavailable("request.timed_out")
            }
            e @ StoreError::PoolTimeout => {
                tracing::warn!(error = %e, "request failed: database pool exhausted");
                let mut e = ApiError::unavailable("request.overloaded");
                e.headers.push((header::RETRY_AFTER, "1".to_owned()));
                e
            }
            other => ApiError::internal(&other),
        }
    }
}

impl From<LifecycleError> for ApiError {
    fn from(e: LifecycleError) -> Self {
        match e {
            LifecycleError::Illegal { state, action } => {
                ApiError::conflict("case.illegal_transition")
                    .with("action", action)
                    .with("state", state)
            }
            LifecycleError::Forbidden {
                role,
                action,
                allowed,
            } => ApiError::forbidden("case.role_may_not")
                .with("role", role)
                .with("action", action)
                .with("allowed", allowed),
            LifecycleError::Invalid(p) => ApiError::field(p),
            // Another office's case is answered as an unknown one.
            LifecycleError::OutOfReach => ApiError::not_found(),
            LifecycleError::SecondPerson { action, needs } => {
                ApiError::forbidden("case.second_person_required")
                    .with("action", action)
                    .with("needs", needs.as_str())
            }
            LifecycleError::Incomplete { missing } => ApiError::validation(
                missing
                    .iter()
                    .map(|m| FieldProblem::new("documents", "document.missing").with("document", m))
                    .collect(),
            ),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        match r {
            JsonRejection::JsonDataError(e) => {
                // serde's message names the field ("missing field `x`", "unknown field `y`") and
                // axum prefixes the path where it failed; it is English, passed as a parameter.
                ApiError::field(
                    FieldProblem::new("body", "body.invalid").with("detail", e.body_text()),
                )
            }
            JsonRejection::JsonSyntaxError(e) => {
                ApiError::bad_request("body.not_json").with("detail", e.body_text())
            }
            JsonRejection::MissingJsonContentType(_) => {
                ApiError::unsupported_media("body.json_content_type")
            }
            JsonRejection::BytesRejection(_) => ApiError::payload_too_large("body.too_large"),
            other => ApiError::bad_request("body.unreadable").with("detail", other.body_text()),
        }
    }
}

/// `Json<T>` whose rejections are problem documents.
pub struct ApiJson<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        Json::<T>::from_request(req, state)
            .await
            .map(|Json(v)| ApiJson(v))
            .map_err(ApiError::from)
    }
}

/// An optional JSON body: none when the request has no `Content-Type` (a bare `POST`).
impl<T, S> axum::extract::OptionalFromRequest<S> for ApiJson<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(
        req: axum::extract::Request,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        <Json<T> as axum::extract::OptionalFromRequest<S>>::from_request(req, state)
            .await
            .map(|body| body.map(|Json(v)| ApiJson(v)))
            .map_err(ApiError::from)
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slow_or_saturated_database_is_a_503_to_retry() {
        let e = ApiError::from(StoreError::StatementTimeout);
        assert_eq!(
            (e.status, e.code),
            (StatusCode::SERVICE_UNAVAILABLE, "request.timed_out")
        );
        let e = ApiError::from(StoreError::PoolTimeout);
        assert_eq!(
            (e.status, e.code),
            (StatusCode::SERVICE_UNAVAILABLE, "request.overloaded")
        );
        assert!(
            e.headers
                .iter()
                .any(|(h, v)| *h == header::RETRY_AFTER && v == "1")
        );
        let e = ApiError::from(StoreError::Corrupt("x".into()));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
    }
}
