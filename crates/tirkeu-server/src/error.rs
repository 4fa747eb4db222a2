//! API errors as RFC 9457 `application/problem+json`, mapped in one place.
//!
//! Every error names the field and the reason where there is one. Internal errors are logged
//! with an id and answered with that id only: their text never reaches the client.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tirkeu_core::lifecycle::LifecycleError;
use tirkeu_store::StoreError;

/// One problem with one field of the request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FieldProblem {
    /// Dotted path of the field, e.g. `applicant.passport_expiry`.
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The problem document.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI reference naming the kind of problem, e.g. `/problems/validation`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
}

/// An error response.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub kind: &'static str,
    pub title: &'static str,
    pub detail: String,
    pub errors: Vec<FieldProblem>,
    pub headers: Vec<(HeaderName, String)>,
}

impl ApiError {
    fn new(
        status: StatusCode,
        kind: &'static str,
        title: &'static str,
        detail: impl Into<String>,
    ) -> Self {
        ApiError {
            status,
            kind,
            title,
            detail: detail.into(),
            errors: Vec::new(),
            headers: Vec::new(),
        }
    }

    /// 422 with one problem per field.
    pub fn validation(errors: Vec<FieldProblem>) -> Self {
        let detail = errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("; ");
        ApiError {
            errors,
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation",
                "Invalid request",
                detail,
            )
        }
    }

    /// 422 for one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::validation(vec![FieldProblem::new(field, message)])
    }

    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "bad-request",
            "Bad request",
            detail,
        )
    }

    /// 404 with one fixed text, so that it reveals nothing about why.
    pub fn not_found() -> Self {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "not-found",
            "Not found",
            "nothing was found for this request",
        )
    }

    pub fn unauthorized(detail: impl Into<String>) -> Self {
        let mut e = ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Authentication required",
            detail,
        );
        e.headers.push((header::WWW_AUTHENTICATE, "Bearer".into()));
        e
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", "Forbidden", detail)
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, "conflict", "Conflict", detail)
    }

    pub fn precondition_failed(detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "stale-version",
            "Precondition failed",
            detail,
        )
    }

    pub fn precondition_required(detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::PRECONDITION_REQUIRED,
            "version-required",
            "Precondition required",
            detail,
        )
    }

    pub fn too_many(retry_after_secs: u64) -> Self {
        let mut e = ApiError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate-limited",
            "Too many requests",
            format!("try again in {retry_after_secs} seconds"),
        );
        e.headers
            .push((header::RETRY_AFTER, retry_after_secs.to_string()));
        e
    }

    pub fn payload_too_large(detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-large",
            "Payload too large",
            detail,
        )
    }

    pub fn unsupported_media(detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            "Unsupported media type",
            detail,
        )
    }

    pub fn unavailable(detail: impl Into<String>) -> Self {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "Service unavailable",
            detail,
        )
    }

    /// 500: logs `error` with an id and tells the client only the id.
    pub fn internal(error: &dyn std::fmt::Display) -> Self {
        let id = hex::encode(rand::random::<[u8; 6]>());
        tracing::error!(error_id = %id, %error, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "Internal error",
            format!("an internal error occurred (id {id}); it has been logged"),
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            kind: format!("/problems/{}", self.kind),
            title: self.title.to_owned(),
            status: self.status.as_u16(),
            detail: self.detail,
            errors: self.errors,
        };
        let mut res = (self.status, Json(body)).into_response();
        res.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        for (name, value) in self.headers {
            if let Ok(v) = HeaderValue::from_str(&value) {
                res.headers_mut().insert(name, v);
            }
        }
        res
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Conflict { current } => ApiError::precondition_failed(format!(
                "the case was changed by someone else; it is now at version {current}: reload it"
            )),
            StoreError::Duplicate { .. } => ApiError::conflict(
                "an open application for this passport and card type already exists; continue it with its number and access code",
            ),
            StoreError::Taken(what) => ApiError::conflict(format!("{what} is already taken")),
            other => ApiError::internal(&other),
        }
    }
}

impl From<LifecycleError> for ApiError {
    fn from(e: LifecycleError) -> Self {
        match &e {
            LifecycleError::Illegal { .. } => ApiError::conflict(e.to_string()),
            LifecycleError::Forbidden { .. } => ApiError::forbidden(e.to_string()),
            LifecycleError::Invalid { field, message } => ApiError::field(*field, message.clone()),
            LifecycleError::Incomplete { missing } => ApiError::validation(
                missing
                    .iter()
                    .map(|m| {
                        FieldProblem::new(
                            "documents",
                            format!("required document `{m}` is not uploaded"),
                        )
                    })
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
                // axum prefixes the path where it failed.
                ApiError::field("body", e.body_text())
            }
            JsonRejection::JsonSyntaxError(e) => {
                ApiError::bad_request(format!("the body is not valid JSON: {}", e.body_text()))
            }
            JsonRejection::MissingJsonContentType(_) => ApiError::unsupported_media(
                "send the body as JSON with Content-Type: application/json",
            ),
            JsonRejection::BytesRejection(e) => ApiError::payload_too_large(e.body_text()),
            other => ApiError::bad_request(other.body_text()),
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

pub type ApiResult<T> = Result<T, ApiError>;
