//! Receipts: the acknowledgement notice as PDF and printable HTML.

use std::net::IpAddr;

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use tirkeu_core::lifecycle::State as CaseState;
use tirkeu_store::{Store, with_store};

use crate::auth::{AccessCode, applicant_case};
use crate::edge::ClientAddr;
use crate::error::{ApiError, ApiResult};
use crate::receipt::{self, ReceiptData};
use crate::state::App;
use crate::texts;

use super::office_name;

/// The receipt's contents. The access code is printed as the applicant presented it (it has
/// just been checked against the stored hash), so the paper they keep has both halves.
async fn receipt_data<S: Store>(
    app: &App,
    s: &S,
    number: &str,
    code: Option<&str>,
) -> ApiResult<ReceiptData> {
    let a = &applicant_case(s, number, code).await?;
    if a.state == CaseState::Draft {
        return Err(ApiError::conflict("receipt.not_yet").in_language(a.language));
    }
    let p = app.policy();
    let lang = a.language;
    let docs = s.documents(a.id).await?;
    let t = p.permit_type(&a.permit_type);
    let mut names: Vec<String> = Vec::new();
    for d in &docs {
        let name = p
            .document(&d.kind)
            .map_or_else(|| d.kind.clone(), |x| x.name.get(lang).to_owned());
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let tz = p.time_zone().clone();
    Ok(ReceiptData {
        lang,
        number: a.number.to_string(),
        access_code: code.map(|c| c.trim().to_uppercase()),
        applicant_name: format!("{} {}", a.applicant.surname, a.applicant.given_names)
            .trim()
            .to_owned(),
        permit_type_name: t.map_or_else(|| a.permit_type.clone(), |t| t.name.get(lang).to_owned()),
        submitted_on: a
            .submitted_at
            .unwrap_or(a.created_at)
            .to_zoned_datetime(tz.clone())
            .date()
            .to_string(),
        documents: names,
        next_steps: texts::receipt_steps(lang),
        processing_days: t.map_or(0, |t| t.processing_days),
        office: office_name(&p, &a.office, lang),
        status_url: crate::paths::status_page_url(
            &app.config.public_url,
            lang,
            &a.number.compact(),
        ),
        generated_at: app
            .now()
            .to_zoned_datetime(tz)
            .strftime("%Y-%m-%d %H:%M %Z")
            .to_string(),
    })
}

/// The receipt of `number` for the holder of `code`, rendered for `client` (limited per
/// client: rendering a PDF costs tens of milliseconds and a font's worth of memory).
async fn load(
    app: &App,
    client: IpAddr,
    number: &str,
    code: Option<&str>,
) -> ApiResult<ReceiptData> {
    app.limits.receipt(client)?;
    with_store!(&app.store, s => receipt_data(app, s, number, code).await)
}

/// The receipt PDF of `number` for the holder of `code`, as every door serves it (the API
/// with the code in `Authorization`, the web page with the code in the draft cookie).
pub async fn receipt_pdf_bytes(
    app: &App,
    client: IpAddr,
    number: &str,
    code: Option<&str>,
) -> ApiResult<Vec<u8>> {
    let data = load(app, client, number, code).await?;
    tokio::task::spawn_blocking(move || receipt::receipt_pdf(&data))
        .await
        .map_err(|e| ApiError::internal(&e))?
        .map_err(|e| ApiError::internal(&e))
}

/// The acknowledgement notice as a PDF (fonts embedded; in the application's language).
#[utoipa::path(get, path = "/api/v1/applications/{number}/receipt.pdf", tag = "applicant", params(("number" = String, Path)), security(("access_code" = [])),
    responses((status = 200, content_type = "application/pdf", body = Vec<u8>), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn receipt_pdf(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    Path(number): Path<String>,
    AccessCode(code): AccessCode,
) -> ApiResult<Response> {
    let pdf = receipt_pdf_bytes(&app, client, &number, code.as_deref()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf"),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"receipt.pdf\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        pdf,
    )
        .into_response())
}

/// The acknowledgement notice as a printable HTML page.
#[utoipa::path(get, path = "/api/v1/applications/{number}/receipt.html", tag = "applicant", params(("number" = String, Path)), security(("access_code" = [])),
    responses((status = 200, content_type = "text/html", body = String), (status = 404, body = crate::error::Problem), (status = 409, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn receipt_html(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    Path(number): Path<String>,
    AccessCode(code): AccessCode,
) -> ApiResult<Response> {
    let data = load(&app, client, &number, code.as_deref()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::CONTENT_SECURITY_POLICY, receipt::receipt_csp()),
            (header::X_FRAME_OPTIONS, "DENY"),
        ],
        receipt::receipt_html(&data),
    )
        .into_response())
}
