//! The public status lookup: application number and passport number, rate-limited, and the
//! same answer for a wrong number and a wrong passport.
//!
//! Two limits: every lookup counts against its client (the address [`crate::edge::client_ip`]
//! decides, behind trusted proxies too), and only failed lookups count against the number —
//! so that someone who knows a number cannot lock its owner out by looking it up successfully,
//! while guessing passport numbers for one case from many addresses still stops.

use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;
use tirkeu_core::number::CaseNumber;

use tirkeu_store::{StatusRow, Store, with_store};
use utoipa::ToSchema;

use crate::edge::ClientAddr;
use crate::error::{ApiError, ApiJson, ApiResult};
use crate::secrets;
use crate::state::{App, LookupAttempt};
use crate::texts;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusRequest {
    /// The application number as printed (case, spaces and hyphens do not matter).
    #[schema(min_length = 1)]
    pub number: String,
    #[schema(min_length = 1)]
    pub passport_number: String,
}

#[derive(Serialize, ToSchema)]
pub struct StatusResponse {
    pub number: String,
    pub status: String,
    pub updated_at: String,
    pub next_step: String,
}

/// The status of an application by its number and the passport number. An unknown number and
/// a wrong passport get the same 404; lookups are limited per client and per number.
#[utoipa::path(post, path = "/api/v1/status", tag = "applicant", request_body = StatusRequest,
    responses((status = 200, body = StatusResponse), (status = 404, body = crate::error::Problem), (status = 429, body = crate::error::Problem)))]
pub async fn status(
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    ApiJson(req): ApiJson<StatusRequest>,
) -> ApiResult<Json<StatusResponse>> {
    let (number, row) = lookup(&app, client, &req.number, &req.passport_number).await?;
    Ok(Json(StatusResponse {
        number: number.to_string(),
        status: row.state.to_string(),
        updated_at: row.updated_at.to_string(),
        next_step: texts::next_step(row.state, row.language).to_owned(),
    }))
}

/// Counts a lookup of the case `number` (as typed) by `client` against the status lookup's
/// limits, per client and per number (the number as read when it reads as one, so spaces and
/// hyphens make no new number); a 429 when either is spent. Answers the number if it reads as
/// one, and the attempt: its number's failures on every instance are checked next (see
/// [`Limiters`](crate::state::Limiters)), a lookup that finds its case gives it back with
/// [`Limiters::status_found`](crate::state::Limiters::status_found), and one that does not
/// records it with [`Limiters::status_failed`](crate::state::Limiters::status_failed). Every
/// lookup by number an applicant makes goes through it (the status, a renewal).
pub fn count_lookup(
    app: &App,
    client: IpAddr,
    number: &str,
) -> ApiResult<(Option<CaseNumber>, LookupAttempt)> {
    let parsed = CaseNumber::parse(number).ok();
    let key = parsed.map_or_else(|| number.trim().to_uppercase(), |n| n.compact());
    let attempt = app.limits.status(client, &key, parsed.is_some())?;
    Ok((parsed, attempt))
}

/// The status lookup every door uses: rate-limited per client and per number, and "not
/// found" alike for an unknown number, a malformed one and a wrong passport number.
///
/// The hot path: one read, which brings the number's failures on every instance with the case
/// (so the shared budget costs no round trip of its own), and no write unless the lookup
/// fails.
pub async fn lookup(
    app: &App,
    client: IpAddr,
    number: &str,
    passport_number: &str,
) -> ApiResult<(CaseNumber, StatusRow)> {
    let (Some(number), attempt) = count_lookup(app, client, number)? else {
        return Err(ApiError::not_found());
    };
    let found = with_store!(&app.store, s => {
        // The passport's keyed hash is computed whether or not the number exists, so that an
        // unknown number and a wrong passport cost the same work (tests/enumeration.rs times
        // both): one read, and one recorded failure, either way.
        let given = s.passport_lookup(passport_number);
        let (failures, row) = s.status_with_failures(&number, attempt.window_start()).await?;
        // While the number's budget is spent, even the right passport number is refused.
        app.limits.status_shared(&attempt, failures, client)?;
        // The stored keyed hash against the hash of the number given: constant-time.
        row.filter(|r| secrets::same(&given, &r.passport_lookup))
    });
    match found {
        Some(row) => {
            app.limits.status_found(&attempt);
            Ok((number, row))
        }
        None => {
            app.limits.status_failed(attempt).await?;
            Err(ApiError::not_found())
        }
    }
}
