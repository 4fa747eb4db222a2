//! Hosts notify arrivals: one at a time, or a CSV of guests; or record a guest as expected
//! before the arrival and confirm it when the guest comes.
//!
//! The host portal's pages (`web::host`) are another door to the same work: they call
//! [`record`], [`confirm`], [`arrivals_page`], [`import_csv`] and [`host_kind`] here, so a
//! rule about arrivals is written once. Every deadline, late flag and fine comes from
//! [`assess`]: a direct notification, an expected arrival and its confirmation are assessed
//! by the same call of the policy.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};
use tirkeu_core::number::CardNumber;
use tirkeu_core::policy::{NotificationAssessment, Policy};
use tirkeu_core::problem;
use tirkeu_core::text::Lang;
use tirkeu_store::{
    AccountRole, Arrival, ArrivalConfirmation, ArrivalStatus, NewArrival, Store, StoreError, User,
    with_store,
};
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
    /// RFC 3339, e.g. `2026-11-20T14:30:00+05:00`: when the guest arrived, or when the
    /// guest is expected to arrive.
    pub arrived_at: String,
    pub address: AddressInput,
    /// `true`: the guest has not arrived yet, and `arrived_at` is the planned instant. The
    /// arrival is recorded as `expected` with its deadline but not notified; confirm it with
    /// `POST /api/v1/arrivals/{id}/confirm` when the guest arrives. The host is reminded
    /// before the deadline, and an arrival still expected when the deadline passes is
    /// flagged late with its fine. Refused when the deadline has already passed.
    #[serde(default)]
    pub expected: bool,
}

#[derive(Serialize, ToSchema)]
pub struct ArrivalResponse {
    /// The id that `POST /api/v1/arrivals/{id}/confirm` takes.
    pub id: i64,
    pub confirmation_number: String,
    /// `notified`, or `expected` until the host confirms the arrival.
    pub status: String,
    /// RFC 3339 with the local offset.
    pub deadline: String,
    /// Notified after the deadline, or still expected when it passed.
    pub late: bool,
    /// The fine in tenge when late, if the policy names one.
    pub fine: Option<u64>,
    pub fine_article: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    /// RFC 3339: when the guest arrived, if not at the planned instant. The deadline is
    /// worked out again from it.
    pub arrived_at: Option<String>,
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

/// The policy's assessment of a notification at `notified` (`None`: not yet, the arrival is
/// expected) of an arrival at `arrived_at` by the host `user`: its deadline, whether it is
/// late, and the fine for the host's kind. The one way an arrival gets these; a problem
/// (outside the calendar's years, no index value for the date) is named at `field`.
pub fn assess(
    p: &Policy,
    user: &User,
    arrived_at: Timestamp,
    notified: Option<Timestamp>,
    field: &str,
) -> Result<NotificationAssessment, FieldProblem> {
    p.assess_notification(arrived_at, notified, &host_kind(p, user), None)
        .map_err(|e| {
            // The policy's words, for the host's administrator.
            FieldProblem::new(field, "arrival.not_assessable").with("detail", e)
        })
}

/// What the API answers about a stored arrival: its deadline in the policy's zone, and the
/// article of the host's fine when it is late.
pub fn response(p: &Policy, user: &User, a: &Arrival) -> ArrivalResponse {
    let fine_article = (a.late && a.fine_kzt.is_some())
        .then(|| p.late_notification_fine(&host_kind(p, user)))
        .flatten()
        .map(|f| f.article.clone());
    ArrivalResponse {
        id: a.id,
        confirmation_number: a.confirmation_number.clone(),
        status: a.status.as_str().to_owned(),
        deadline: tirkeu_core::deadline::rfc3339(
            &a.deadline_at.to_zoned_datetime(p.time_zone().clone()),
        ),
        late: a.late,
        fine: a.fine_kzt.and_then(|f| u64::try_from(f).ok()),
        fine_article,
    }
}

/// Validates and records one arrival, notified now or expected (`req.expected`); problems
/// are named under `prefix`.
pub async fn record<S: Store>(
    s: &S,
    p: &Policy,
    now: Timestamp,
    user: &User,
    req: &ArrivalRequest,
    prefix: &str,
) -> Result<(Arrival, ArrivalResponse), Vec<FieldProblem>> {
    let mut errors = Vec::new();
    let arrived_field = format!("{prefix}arrived_at");
    let guest = read_applicant(
        &req.guest,
        &format!("{prefix}guest"),
        now.to_zoned_datetime(p.time_zone().clone()).date(),
        &mut errors,
    );
    let arrived_at = collect(
        problem::parse_instant(&arrived_field, &req.arrived_at),
        &mut errors,
    );
    // A guest who has arrived did so in the past; an expected one may come at any time.
    if !req.expected && arrived_at.is_some_and(|a| a > now) {
        errors.push(FieldProblem::new(arrived_field.clone(), "time.future"));
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
    let notified_at = (!req.expected).then_some(now);
    let a = assess(p, user, arrived_at, notified_at, &arrived_field).map_err(|e| vec![e])?;
    if req.expected && a.deadline.timestamp() < now {
        // Nothing left to remind of: the guest has come, or the plan was wrong.
        return Err(vec![
            FieldProblem::new(arrived_field, "arrival.deadline_passed").with(
                "deadline",
                crate::web::local_time(p.time_zone(), a.deadline.timestamp()),
            ),
        ]);
    }
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
        status: if req.expected {
            ArrivalStatus::Expected
        } else {
            ArrivalStatus::Notified
        },
        notified_at,
        deadline_at: a.deadline.timestamp(),
        late: a.late,
        fine_kzt: a.fine.as_ref().and_then(|f| i64::try_from(f.kzt).ok()),
    };
    let stored = s
        .create_arrival(&new, &format!("user:{}", user.id), now)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "arrival not stored");
            vec![FieldProblem::new("arrival", "arrival.not_stored")]
        })?;
    let response = response(p, user, &stored);
    Ok((stored, response))
}

/// Confirms the host's expected arrival `id`: the guest arrived at `arrived_at` (RFC 3339),
/// or at the planned instant when `None`, and the arrival is notified now, assessed as a
/// notification made now. An arrival flagged late while it was expected stays late with its
/// fine. 404 for an unknown id or another host's; 409 with the notification's time when it
/// was notified already; 422 when the arrival instant is not one, or still to come.
pub async fn confirm<S: Store>(
    s: &S,
    p: &Policy,
    now: Timestamp,
    user: &User,
    id: i64,
    arrived_at: Option<&str>,
) -> Result<Arrival, ApiError> {
    let already = |at: Timestamp| {
        let mut e = ApiError::conflict("arrival.already_notified")
            .with("notified_at", crate::web::local_time(p.time_zone(), at));
        e.errors.push(
            FieldProblem::new("arrival", "arrival.already_notified")
                .with("notified_at", crate::web::local_time(p.time_zone(), at)),
        );
        e
    };
    let expected = s.arrival_for_host(user.id, id).await?;
    if let Some(at) = expected.notified_at {
        return Err(already(at));
    }
    let arrived_at = match arrived_at.map(str::trim).filter(|t| !t.is_empty()) {
        Some(text) => {
            let at = problem::parse_instant("arrived_at", text).map_err(ApiError::field)?;
            if at > now {
                return Err(ApiError::field(FieldProblem::new(
                    "arrived_at",
                    "time.future",
                )));
            }
            at
        }
        None if expected.arrived_at > now => {
            return Err(ApiError::field(
                FieldProblem::new("arrived_at", "arrival.not_arrived_yet").with(
                    "planned",
                    crate::web::local_time(p.time_zone(), expected.arrived_at),
                ),
            ));
        }
        None => expected.arrived_at,
    };
    let a = assess(p, user, arrived_at, Some(now), "arrived_at").map_err(ApiError::field)?;
    let confirmation = ArrivalConfirmation {
        arrived_at,
        notified_at: now,
        deadline_at: a.deadline.timestamp(),
        late: a.late,
        fine_kzt: a.fine.as_ref().and_then(|f| i64::try_from(f.kzt).ok()),
    };
    match s
        .confirm_arrival(user.id, id, &confirmation, &format!("user:{}", user.id))
        .await
    {
        Ok(arrival) => Ok(arrival),
        Err(StoreError::AlreadyNotified { notified_at }) => Err(already(notified_at)),
        Err(e) => Err(e.into()),
    }
}

/// Notifies a guest's arrival, or records an expected one (`"expected": true`); returns the
/// deadline, whether it was met, and the fine.
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

/// Confirms an expected arrival: the guest has arrived, notify now. The arrival is assessed
/// as notified now (late when past its deadline); one the worker already flagged late stays
/// late with its fine.
#[utoipa::path(post, path = "/api/v1/arrivals/{id}/confirm", tag = "host", params(("id" = i64, Path, description = "The arrival's id")),
    request_body(content = Option<ConfirmRequest>, description = "Optional: when the guest arrived, if not at the planned instant"), security(("bearer" = [])),
    responses((status = 200, body = ArrivalResponse), (status = 403, body = crate::error::Problem), (status = 404, body = crate::error::Problem),
        (status = 409, description = "Already notified", body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn confirm_expected(
    State(app): State<App>,
    account: Account,
    Path(id): Path<i64>,
    // No body, a JSON `null` (as the document allows) or the object.
    body: Option<ApiJson<Option<ConfirmRequest>>>,
) -> ApiResult<Json<ArrivalResponse>> {
    let user = host(&account)?.clone();
    let req = body.and_then(|ApiJson(r)| r).unwrap_or_default();
    let p = app.policy();
    let arrival = with_store!(&app.store, s => confirm(s, &p, app.now(), &user, id, req.arrived_at.as_deref()).await?);
    Ok(Json(response(&p, &user, &arrival)))
}

#[derive(Deserialize, IntoParams)]
pub struct ArrivalsQuery {
    /// Return arrivals older than this id (from the previous page's `next`).
    pub before: Option<i64>,
    /// Page size (default 50); a larger one is taken as the largest page.
    #[param(minimum = 0, maximum = 4_294_967_295.0, value_type = Option<i64>)]
    pub limit: Option<u32>,
    /// Only `expected` or only `notified` arrivals.
    #[param(pattern = "^(expected|notified)$")]
    pub status: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ArrivalItem {
    pub id: i64,
    pub confirmation_number: String,
    pub surname: String,
    pub given_names: String,
    pub nationality: String,
    pub arrived_at: String,
    /// `expected` or `notified`.
    pub status: String,
    /// Absent while expected.
    pub notified_at: Option<String>,
    pub deadline: String,
    pub late: bool,
    pub fine: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct ArrivalsPage {
    pub items: Vec<ArrivalItem>,
    pub next: Option<i64>,
}

/// The host's own arrivals, notified and expected, newest first.
#[utoipa::path(get, path = "/api/v1/arrivals", tag = "host", params(ArrivalsQuery), security(("bearer" = [])),
    responses((status = 200, body = ArrivalsPage), (status = 403, body = crate::error::Problem), (status = 422, body = crate::error::Problem)))]
pub async fn list(
    State(app): State<App>,
    account: Account,
    Query(q): Query<ArrivalsQuery>,
) -> ApiResult<Json<ArrivalsPage>> {
    let user = host(&account)?;
    let limit = q.limit.unwrap_or(50);
    let status = q
        .status
        .as_deref()
        .map(|v| {
            v.parse::<ArrivalStatus>().map_err(|_| {
                ApiError::field(
                    FieldProblem::new("status", "arrival.status_unknown").with("value", v),
                )
            })
        })
        .transpose()?;
    let (items, next) =
        with_store!(&app.store, s => arrivals_page(s, user.id, status, q.before, limit).await?);
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
                status: a.status.as_str().to_owned(),
                notified_at: a.notified_at.map(|t| t.to_string()),
                deadline: a.deadline_at.to_string(),
                late: a.late,
                fine: a.fine_kzt,
            })
            .collect(),
        next,
    }))
}

/// One keyset page of the host's arrivals (only those with `status` when given), newest
/// first (ids below `before`), at most `limit` (1 to 200), and the `before` of the next page
/// when there may be one.
pub async fn arrivals_page<S: Store>(
    s: &S,
    host_id: i64,
    status: Option<ArrivalStatus>,
    before: Option<i64>,
    limit: u32,
) -> Result<(Vec<Arrival>, Option<i64>), StoreError> {
    let limit = limit.clamp(1, 200);
    let items = s.arrivals_for_host(host_id, status, before, limit).await?;
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
    let mut created = Vec::new();
    let mut errors = Vec::new();
    for (line, row) in parse_arrivals_csv(text)? {
        let req = match row {
            Ok(req) => req,
            Err(problem) => {
                errors.push(ImportRowError::new(lang, line, &problem));
                continue;
            }
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

/// A row of a CSV of guests: its line number, and the arrival it asks for or its problem.
pub type CsvRow = (usize, Result<ArrivalRequest, FieldProblem>);

/// The rows of a CSV of guests, each with its line number, as arrival requests (not yet
/// checked), or the row's problem when it cannot be read as one; blank rows are skipped. A
/// file that cannot be read as such a CSV at all (empty, wrong header) is one problem. No I/O:
/// the import records what this reads, and the parser fuzzing (`fuzz/`) calls it directly.
pub fn parse_arrivals_csv(text: &str) -> Result<Vec<CsvRow>, FieldProblem> {
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
    let mut rows = Vec::new();
    for row in records {
        let cols = match row {
            Ok(cols) => cols,
            Err(e) => {
                let problem = FieldProblem::new("row", "csv.unreadable")
                    .with("line", line_of(e.position()))
                    .with("detail", &e);
                rows.push((line_of(e.position()), Err(problem)));
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
            rows.push((line, Err(problem)));
            continue;
        }
        let col = |k: usize| Some(cols[k].to_owned());
        rows.push((
            line,
            Ok(ArrivalRequest {
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
                expected: false,
            }),
        ));
    }
    Ok(rows)
}
