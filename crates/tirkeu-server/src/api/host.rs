//! Hosts notify arrivals: one at a time, or a CSV of guests.
//!
//! The host portal's pages (`web::host`) are another door to the same work: they call
//! [`record`], [`arrivals_page`], [`import_csv`] and [`host_kind`] here, so a rule about
//! arrivals is written once.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tirkeu_core::number::CardNumber;
use tirkeu_core::policy::Policy;
use tirkeu_core::problem;
use tirkeu_core::text::Lang;
use tirkeu_store::{AccountRole, Arrival, NewArrival, Store, StoreError, User, with_store};
use utoipa::{IntoParams, ToSchema};

use crate::api::applicant::{AddressInput, ApplicantInput, read_applicant};
use crate::auth::Account;
use crate::error::{ApiError, ApiJson, ApiResult, FieldProblem, collect};
use crate::state::App;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArrivalRequest {
    /// The guest: `mrz`, or the fields.
    pub guest: ApplicantInput,
    /// RFC 3339, e.g. `2026-11-20T14:30:00+05:00`.
    pub arrived_at: String,
    pub address: AddressInput,
}

#[derive(Serialize, ToSchema)]
pub struct ArrivalResponse {
    pub confirmation_number: String,
    /// RFC 3339 with the local offset.
    pub deadline: String,
    pub late: bool,
    /// The fine in tenge when late, if the policy names one.
    pub fine: Option<u64>,
    pub fine_article: Option<String>,
}

fn host(account: &Account) -> ApiResult<&User> {
    account.require(&[AccountRole::Host])?;
    Ok(&account.user)
}

/// The kind of host `user` is (its own, else the policy's default): it decides the fine.
pub fn host_kind(p: &Policy, user: &User) -> String {
    user.host_kind
        .clone()
        .unwrap_or_else(|| p.default_host_kind().to_owned())
}

/// Validates and records one arrival; problems are named under `prefix`.
pub async fn record<S: Store>(
    s: &S,
    p: &Policy,
    now: Timestamp,
    user: &User,
    req: &ArrivalRequest,
    prefix: &str,
) -> Result<(Arrival, ArrivalResponse), Vec<FieldProblem>> {
    let mut errors = Vec::new();
    let guest = read_applicant(
        &req.guest,
        &format!("{prefix}guest"),
        now.to_zoned_datetime(p.time_zone().clone()).date(),
        &mut errors,
    );
    let arrived_at = collect(
        problem::parse_instant(&format!("{prefix}arrived_at"), &req.arrived_at),
        &mut errors,
    );
    if arrived_at.is_some_and(|a| a > now) {
        errors.push(FieldProblem::new(
            format!("{prefix}arrived_at"),
            "time.future",
        ));
    }
    for (name, v) in [
        ("address.city", &req.address.city),
        ("address.line", &req.address.line),
    ] {
        if v.trim().is_empty() {
            errors.push(FieldProblem::new(
                format!("{prefix}{name}"),
                "field.required",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (guest, arrived_at) = (guest.expect("checked"), arrived_at.expect("checked"));
    let kind = host_kind(p, user);
    let a = p
        .assess_notification(arrived_at, Some(now), &kind, None)
        .map_err(|e| {
            // Outside the calendar's years, or no index value for the date: the policy's
            // words, for the host's administrator.
            vec![
                FieldProblem::new(format!("{prefix}arrived_at"), "arrival.not_assessable")
                    .with("detail", e),
            ]
        })?;
    let new = NewArrival {
        id: 0,
        confirmation_number: CardNumber::generate().compact(),
        host_id: user.id,
        surname: guest.surname,
        given_names: guest.given_names,
        passport_number: guest.passport_number,
        nationality: guest.nationality,
        birth_date: guest.birth_date,
        address_city: req.address.city.trim().to_owned(),
        address_line: req.address.line.trim().to_owned(),
        arrived_at,
        notified_at: now,
        deadline_at: a.deadline.timestamp(),
        late: a.late,
        fine_kzt: a.fine.as_ref().and_then(|f| i64::try_from(f.kzt).ok()),
    };
    let stored = s
        .create_arrival(&new, &format!("user:{}", user.id))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "arrival not stored");
            vec![FieldProblem::new("arrival", "arrival.not_stored")]
        })?;
    let response = ArrivalResponse {
        confirmation_number: stored.confirmation_number.clone(),
        deadline: tirkeu_core::deadline::rfc3339(&a.deadline),
        late: a.late,
        fine: a.fine.as_ref().map(|f| f.kzt),
        fine_article: a.fine.map(|f| f.article),
    };
    Ok((stored, response))
}

/// Notifies a guest's arrival; returns the deadline, whether it was met, and the fine.
#[utoipa::path(post, path = "/api/v1/arrivals", tag = "host", request_body = ArrivalRequest, security(("bearer" = [])),
    responses((status = 201, body = ArrivalResponse), (status = 401, body = crate::error::Problem), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn create(
    State(app): State<App>,
    account: Account,
    ApiJson(req): ApiJson<ArrivalRequest>,
) -> ApiResult<(StatusCode, Json<ArrivalResponse>)> {
    let user = host(&account)?.clone();
    let p = app.policy();
    let (_, res) = with_store!(&app.store, s => record(s, &p, app.now(), &user, &req, "").await.map_err(ApiError::validation)?);
    Ok((StatusCode::CREATED, Json(res)))
}

#[derive(Deserialize, IntoParams)]
pub struct ArrivalsQuery {
    /// Return notifications older than this id (from the previous page's `next`).
    pub before: Option<i64>,
    pub limit: Option<u32>,
}

#[derive(Serialize, ToSchema)]
pub struct ArrivalItem {
    pub id: i64,
    pub confirmation_number: String,
    pub surname: String,
    pub given_names: String,
    pub nationality: String,
    pub arrived_at: String,
    pub notified_at: String,
    pub deadline: String,
    pub late: bool,
    pub fine: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ArrivalsPage {
    pub items: Vec<ArrivalItem>,
    pub next: Option<i64>,
}

/// The host's own notifications, newest first.
#[utoipa::path(get, path = "/api/v1/arrivals", tag = "host", params(ArrivalsQuery), security(("bearer" = [])),
    responses((status = 200, body = ArrivalsPage), (status = 403, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    account: Account,
    Query(q): Query<ArrivalsQuery>,
) -> ApiResult<Json<ArrivalsPage>> {
    let user = host(&account)?;
    let limit = q.limit.unwrap_or(50);
    let (items, next) =
        with_store!(&app.store, s => arrivals_page(s, user.id, q.before, limit).await?);
    Ok(Json(ArrivalsPage {
        items: items
            .into_iter()
            .map(|a| ArrivalItem {
                id: a.id,
                confirmation_number: a.confirmation_number,
                surname: a.surname,
                given_names: a.given_names,
                nationality: a.nationality,
                arrived_at: a.arrived_at.to_string(),
                notified_at: a.notified_at.to_string(),
                deadline: a.deadline_at.to_string(),
                late: a.late,
                fine: a.fine_kzt,
            })
            .collect(),
        next,
    }))
}

/// One keyset page of the host's notifications, newest first (ids below `before`), at most
/// `limit` (1 to 200), and the `before` of the next page when there may be one.
pub async fn arrivals_page<S: Store>(
    s: &S,
    host_id: i64,
    before: Option<i64>,
    limit: u32,
) -> Result<(Vec<Arrival>, Option<i64>), StoreError> {
    let limit = limit.clamp(1, 200);
    let items = s.arrivals_for_host(host_id, before, limit).await?;
    let next = (items.len() == limit as usize)
        .then(|| items.last().map(|a| a.id))
        .flatten();
    Ok((items, next))
}

#[derive(Serialize, ToSchema)]
pub struct ImportRowError {
    /// 1-based line in the CSV (the header is line 1).
    pub line: usize,
    pub field: String,
    /// Stable code of what is wrong.
    pub code: String,
    /// The message, in the language the request asked for (`Accept-Language`).
    pub message: String,
}

impl ImportRowError {
    fn new(lang: Lang, line: usize, p: &FieldProblem) -> Self {
        ImportRowError {
            line,
            field: p.field.clone(),
            code: p.code.to_owned(),
            message: crate::i18n::problem(lang, p),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub created: Vec<ArrivalResponse>,
    pub errors: Vec<ImportRowError>,
}

/// The CSV columns, in order, as the header must name them.
pub const CSV_COLUMNS: [&str; 10] = [
    "surname",
    "given_names",
    "passport_number",
    "nationality",
    "birth_date",
    "sex",
    "passport_expiry",
    "arrived_at",
    "city",
    "address",
];

/// Imports a CSV of guests (header: `surname,given_names,passport_number,nationality,`
/// `birth_date,sex,passport_expiry,arrived_at,city,address`). Every bad row is reported
/// with its line number; good rows are kept.
#[utoipa::path(post, path = "/api/v1/arrivals/import", tag = "host", security(("bearer" = [])),
    request_body(content = String, content_type = "text/csv"),
    responses((status = 200, body = ImportResult), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn import(
    State(app): State<App>,
    account: Account,
    headers: HeaderMap,
    body: String,
) -> ApiResult<Json<ImportResult>> {
    let lang = crate::i18n::request_lang(&headers).unwrap_or(Lang::En);
    let user = host(&account)?.clone();
    let p = app.policy();
    let result =
        with_store!(&app.store, s => import_csv(s, &p, app.now(), &user, lang, &body).await);
    result.map(Json).map_err(ApiError::field)
}

/// Records every good row of a CSV of guests (the header names [`CSV_COLUMNS`]) and reports
/// every bad one with its line number, in `lang`. A file that cannot be read as such a CSV at
/// all (empty, wrong header) is one problem and records nothing.
pub async fn import_csv<S: Store>(
    store: &S,
    policy: &Policy,
    now: Timestamp,
    user: &User,
    lang: Lang,
    text: &str,
) -> Result<ImportResult, FieldProblem> {
    // Spreadsheets often save UTF-8 with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            return Err(FieldProblem::new("header", "csv.unreadable")
                .with("line", 1)
                .with("detail", e));
        }
        None => {
            return Err(
                FieldProblem::new("body", "csv.empty").with("columns", CSV_COLUMNS.join(","))
            );
        }
    };
    let names: Vec<String> = header.iter().map(str::to_lowercase).collect();
    if names != CSV_COLUMNS {
        return Err(FieldProblem::new("header", "csv.columns")
            .with("columns", CSV_COLUMNS.join(","))
            .with("got", names.join(",")));
    }
    let line_of =
        |p: Option<&csv::Position>| p.map_or(0, |p| usize::try_from(p.line()).unwrap_or(0));
    let mut created = Vec::new();
    let mut errors = Vec::new();
    for row in records {
        let cols = match row {
            Ok(cols) => cols,
            Err(e) => {
                let problem = FieldProblem::new("row", "csv.unreadable")
                    .with("line", line_of(e.position()))
                    .with("detail", &e);
                errors.push(ImportRowError::new(lang, line_of(e.position()), &problem));
                continue;
            }
        };
        let line = line_of(cols.position());
        if cols.iter().all(str::is_empty) {
            continue;
        }
        if cols.len() != CSV_COLUMNS.len() {
            let problem = FieldProblem::new("row", "csv.column_count")
                .with("expected", CSV_COLUMNS.len())
                .with("found", cols.len());
            errors.push(ImportRowError::new(lang, line, &problem));
            continue;
        }
        let col = |k: usize| Some(cols[k].to_owned());
        let req = ArrivalRequest {
            guest: ApplicantInput {
                mrz: None,
                surname: col(0),
                given_names: col(1),
                passport_number: col(2),
                nationality: col(3),
                birth_date: col(4),
                sex: col(5),
                passport_expiry: col(6),
            },
            arrived_at: cols[7].to_owned(),
            address: AddressInput {
                city: cols[8].to_owned(),
                line: cols[9].to_owned(),
            },
        };
        match record(store, policy, now, user, &req, "").await {
            Ok((_, response)) => created.push(response),
            Err(problems) => errors.extend(problems.into_iter().map(|mut e| {
                e.field = e.field.trim_start_matches("guest.").to_owned();
                ImportRowError::new(lang, line, &e)
            })),
        }
    }
    Ok(ImportResult { created, errors })
}
