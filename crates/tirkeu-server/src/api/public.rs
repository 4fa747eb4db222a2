//! Public and operational endpoints: verification of cards, statistics, health, metrics.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use tirkeu_core::case::card_status;
use tirkeu_store::{Store, StoreError, with_store};
use utoipa::ToSchema;

use crate::error::{ApiError, ApiResult};
use crate::secrets;
use crate::state::App;

#[derive(Serialize, ToSchema)]
pub struct VerifyResponse {
    /// `valid`, `expired` or `revoked`.
    pub status: String,
    pub permit_type: String,
    pub valid_until: String,
}

/// Checks a card by the token printed on it; answers nothing personal.
#[utoipa::path(get, path = "/api/v1/verify/{token}", tag = "public", params(("token" = String, Path)),
    responses((status = 200, body = VerifyResponse), (status = 404, body = crate::error::Problem)))]
pub async fn verify(
    State(app): State<App>,
    Path(token): Path<String>,
) -> ApiResult<Json<VerifyResponse>> {
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ApiError::not_found());
    }
    let a = with_store!(&app.store, s => match s.application_by_verify_token(&secrets::sha256_hex(&token.to_ascii_lowercase())).await {
        Ok(a) => a,
        Err(StoreError::NotFound) => return Err(ApiError::not_found()),
        Err(e) => return Err(e.into()),
    });
    let status =
        card_status(a.state, a.valid_until, app.today()).ok_or_else(ApiError::not_found)?;
    let valid_until = a.valid_until.ok_or_else(ApiError::not_found)?;
    Ok(Json(VerifyResponse {
        status: status.as_str().into(),
        permit_type: a.permit_type,
        valid_until: valid_until.to_string(),
    }))
}

pub use crate::stats::{
    ExpiringStats, MonthArrivals, ProcessingStats, StatsResponse, TypeCount, TypeProcessing,
    TypeStats,
};

/// Aggregate statistics only: the backlog by card type and state, processing times by card
/// type against the policy's target, arrival notifications (late ones by month) and cards
/// expiring soon — the numbers of the dashboard and the public statistics page.
#[utoipa::path(get, path = "/api/v1/stats", tag = "public", responses((status = 200, body = StatsResponse)))]
pub async fn stats(State(app): State<App>) -> ApiResult<Json<StatsResponse>> {
    Ok(Json(crate::stats::current(&app).await?.1))
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = String)))]
pub async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database and the document store answer.
#[utoipa::path(get, path = "/readyz", tag = "operations", responses((status = 200, body = String), (status = 503, body = crate::error::Problem)))]
pub async fn readyz(State(app): State<App>) -> ApiResult<&'static str> {
    with_store!(&app.store, s => s.audit_head().await.map_err(|e| {
        tracing::warn!(error = %e, "not ready");
        ApiError::unavailable("request.not_ready")
    })?);
    app.documents.check().await.map_err(|e| {
        tracing::warn!(error = %e, "not ready: the document store");
        ApiError::unavailable("request.not_ready")
    })?;
    Ok("ready")
}

/// Prometheus metrics, for the bearer token configured as `metrics_token`.
///
/// Without a token configured the route is not on the public listener (404): metrics are then
/// served on the internal listener (`metrics_listen`), if at all.
#[utoipa::path(get, path = "/metrics", tag = "operations", security(("bearer" = [])),
    responses((status = 200, body = String), (status = 401, body = crate::error::Problem), (status = 404, body = crate::error::Problem)))]
pub async fn metrics(State(app): State<App>, headers: HeaderMap) -> Response {
    let Some(token) = &app.config.metrics_token else {
        return ApiError::not_found().into_response();
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    match given {
        Some(given) if secrets::same(&secrets::sha256_hex(given), &secrets::sha256_hex(token)) => {
            render_metrics(&app)
        }
        _ => ApiError::unauthorized("auth.login_required").into_response(),
    }
}

/// The metrics as Prometheus scrapes them.
pub fn render_metrics(app: &App) -> Response {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        app.metrics.render(),
    )
        .into_response()
}
