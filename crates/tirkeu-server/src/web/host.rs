//! The host portal: the host's expected guests and notifications, notifying one arrival (or
//! recording it as expected) with a form, confirming an expected arrival, and a CSV of
//! guests as a file upload.
//!
//! Another door to the API's host endpoints: the form becomes the API's `ArrivalRequest` and
//! goes through the same [`host::record`] (the guest read from the MRZ or the fields, the
//! deadline and the fine assessed by the policy, the arrival stored); a confirmation is
//! [`host::confirm`], the list [`host::arrivals_page`] and the upload [`host::import_csv`].
//! What is here is only the page's part: dates typed as day, month and year (the GOV.UK
//! pattern) and the arrival's local time are put together as the API's text, so the API's
//! parser names what is wrong.
//!
//! A host sees only its own notifications: every read goes through the host's id
//! (`arrival_for_host`), and another host's id is the same 404 as an unknown one.

use askama::Template;
use axum::extract::multipart::MultipartError;
use axum::extract::{DefaultBodyLimit, Form, FromRequestParts, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde::Deserialize;
use tirkeu_core::number::CardNumber;
use tirkeu_core::problem::FieldProblem;
use tirkeu_core::text::Lang;
use tirkeu_store::{AccountRole, Arrival, ArrivalStatus, Store, StoreError, with_store};

use super::staff::{SignedIn, home_of};
use super::{Page, PageLang, local_time, not_found_in, render, see_other};
use crate::api::applicant::{AddressInput, ApplicantInput};
use crate::api::host::{
    ArrivalRequest, CSV_COLUMNS, ImportResult, ImportRowError, arrivals_page, confirm, host_kind,
    import_csv, record,
};
use crate::auth::Account;
use crate::error::ApiError;
use crate::i18n;
use crate::routing::{Router, get, post};
use crate::state::App;

/// Notifications on one page of the list.
const PAGE_SIZE: u32 = 20;

/// Expected guests shown above the notifications, soonest deadline first.
const EXPECTED_SHOWN: u32 = 100;

/// Room for the multipart framing around a CSV of the API's largest size.
const MULTIPART_SLACK: usize = 64 * 1024;

pub fn routes() -> Router {
    Router::new()
        .route("/{lang}/host", get(notifications))
        .route("/{lang}/host/arrivals/new", get(new_arrival).post(notify))
        .route("/{lang}/host/arrivals/{id}", get(confirmation))
        .route("/{lang}/host/arrivals/{id}/confirm", post(confirm_arrival))
        .route(
            "/{lang}/host/import",
            get(import_form)
                .post(import)
                .layer(DefaultBodyLimit::max(crate::CSV_LIMIT + MULTIPART_SLACK)),
        )
}

/// A signed-in host. Without a session: to the sign-in page; staff: to their own landing.
struct Host(Account);

impl FromRequestParts<App> for Host {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let lang = PageLang::from_request_parts(parts, app).await?.0;
        let SignedIn(account) = SignedIn::from_request_parts(parts, app).await?;
        if account.user.role == AccountRole::Host {
            Ok(Host(account))
        } else {
            Err(see_other(lang, home_of(account.user.role)))
        }
    }
}

impl Host {
    /// A page of the portal, with the host named in the header.
    fn page(&self, lang: Lang, path: &str, title_id: &str) -> Page {
        let mut page = Page::new(lang, path, title_id);
        page.signed_in = Some(self.0.user.username.clone());
        page
    }
}

/// A fine as the page says it: tenge grouped as the language does, or a warning when the
/// policy's fine is nothing (individuals are warned first).
fn fine_text(lang: Lang, kzt: Option<i64>) -> Option<String> {
    kzt.map(|n| match n {
        0 => i18n::text(lang, "host-fine-warning"),
        n => i18n::text_with(
            lang,
            "host-fine-amount",
            &[("amount", i18n::integer(lang, n))],
        ),
    })
}

/// A confirmation number as printed (groups of four).
fn printed_number(compact: &str) -> String {
    CardNumber::parse(compact).map_or_else(|_| compact.to_owned(), |n| n.to_string())
}

// ---------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------

struct Row {
    href: String,
    guest: String,
    number: String,
    arrived: String,
    deadline: String,
    late: bool,
    fine: Option<String>,
}

/// A guest the host expects: the list links to it and confirms it in place.
struct ExpectedRow {
    href: String,
    confirm: String,
    guest: String,
    number: String,
    planned: String,
    deadline: String,
    /// The deadline passed before the host confirmed the arrival.
    late: bool,
}

#[derive(Template)]
#[template(path = "host/notifications.html")]
struct Notifications {
    page: Page,
    /// On the first page only.
    expected: Vec<ExpectedRow>,
    rows: Vec<Row>,
    older: Option<String>,
    first_page: bool,
    /// The time zone the times are in.
    zone: String,
}

#[derive(Deserialize)]
struct Older {
    before: Option<String>,
}

async fn notifications(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Host,
    Query(q): Query<Older>,
) -> Response {
    // A `before` that is not an id is the first page, as if none was given.
    let before = q.before.and_then(|b| b.trim().parse::<i64>().ok());
    let host_id = me.0.user.id;
    let listed = with_store!(&app.store, s => {
        let expected = if before.is_none() {
            s.expected_arrivals_for_host(host_id, EXPECTED_SHOWN).await
        } else {
            Ok(Vec::new())
        };
        match expected {
            Ok(expected) => arrivals_page(s, host_id, Some(ArrivalStatus::Notified), before, PAGE_SIZE)
                .await
                .map(|page| (expected, page)),
            Err(e) => Err(e),
        }
    });
    let (expected, (items, next)) = match listed {
        Ok(x) => x,
        Err(e) => return ApiError::from(e).into_response(),
    };
    let tz = app.policy().time_zone().clone();
    let expected = expected
        .into_iter()
        .map(|a| ExpectedRow {
            href: format!("/{}/host/arrivals/{}", lang.code(), a.id),
            confirm: format!("/{}/host/arrivals/{}/confirm", lang.code(), a.id),
            guest: guest_name(&a),
            number: printed_number(&a.confirmation_number),
            planned: local_time(&tz, a.arrived_at),
            deadline: local_time(&tz, a.deadline_at),
            late: a.late,
        })
        .collect();
    let rows = items
        .into_iter()
        .map(|a| Row {
            href: format!("/{}/host/arrivals/{}", lang.code(), a.id),
            guest: guest_name(&a),
            number: printed_number(&a.confirmation_number),
            arrived: local_time(&tz, a.arrived_at),
            deadline: local_time(&tz, a.deadline_at),
            late: a.late,
            fine: fine_text(lang, a.fine_kzt),
        })
        .collect();
    render(
        StatusCode::OK,
        &Notifications {
            page: me.page(lang, "/host", "host-title"),
            expected,
            rows,
            older: next.map(|n| format!("/{}/host?before={n}", lang.code())),
            first_page: before.is_none(),
            zone: zone_name(&tz),
        },
    )
}

fn zone_name(tz: &TimeZone) -> String {
    tz.iana_name().unwrap_or("UTC").to_owned()
}

fn guest_name(a: &Arrival) -> String {
    if a.given_names.is_empty() {
        a.surname.clone()
    } else {
        format!("{} {}", a.surname, a.given_names)
    }
}

// ---------------------------------------------------------------------------------------
// One arrival: the form and the confirmation
// ---------------------------------------------------------------------------------------

/// The form's answers, as typed; names are the API's field paths, so its problems land on
/// the right field. Dates come as day, month and year.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ArrivalForm {
    #[serde(rename = "guest.mrz")]
    mrz: String,
    #[serde(rename = "guest.surname")]
    surname: String,
    #[serde(rename = "guest.given_names")]
    given_names: String,
    #[serde(rename = "guest.passport_number")]
    passport_number: String,
    #[serde(rename = "guest.nationality")]
    nationality: String,
    #[serde(rename = "guest.birth_date.day")]
    birth_day: String,
    #[serde(rename = "guest.birth_date.month")]
    birth_month: String,
    #[serde(rename = "guest.birth_date.year")]
    birth_year: String,
    #[serde(rename = "guest.sex")]
    sex: String,
    #[serde(rename = "guest.passport_expiry.day")]
    expiry_day: String,
    #[serde(rename = "guest.passport_expiry.month")]
    expiry_month: String,
    #[serde(rename = "guest.passport_expiry.year")]
    expiry_year: String,
    #[serde(rename = "arrived_at.day")]
    arrival_day: String,
    #[serde(rename = "arrived_at.month")]
    arrival_month: String,
    #[serde(rename = "arrived_at.year")]
    arrival_year: String,
    #[serde(rename = "arrived_at.time")]
    arrival_time: String,
    #[serde(rename = "address.city")]
    city: String,
    #[serde(rename = "address.line")]
    line: String,
    /// `yes`: the guest has not arrived yet, record the guest as expected.
    expected: String,
}

/// Day, month and year as the API's `YYYY-MM-DD` (empty when all three are): the API's date
/// parser then says what is wrong, the same words as for any date.
fn date_text(day: &str, month: &str, year: &str) -> String {
    let (d, m, y) = (day.trim(), month.trim(), year.trim());
    if d.is_empty() && m.is_empty() && y.is_empty() {
        return String::new();
    }
    format!("{y}-{m:0>2}-{d:0>2}")
}

/// A local date and `HH:MM` in the authority's zone as an RFC 3339 instant; what does not
/// make a time is passed on as typed, for the API's parser to name.
pub(super) fn local_instant(date: &str, time: &str, tz: &TimeZone) -> String {
    let time = time.trim();
    if date.is_empty() && time.is_empty() {
        return String::new();
    }
    format!("{date}T{time}")
        .parse::<DateTime>()
        .ok()
        .and_then(|dt| dt.to_zoned_datetime(tz.clone()).ok())
        .map_or_else(|| format!("{date} {time}"), |z| z.timestamp().to_string())
}

impl ArrivalForm {
    /// The API's request: the MRZ when one was pasted, else the typed fields.
    fn request(&self, tz: &TimeZone) -> ArrivalRequest {
        let typed = |v: &str| Some(v.to_owned());
        let guest = if self.mrz.trim().is_empty() {
            ApplicantInput {
                mrz: None,
                surname: typed(&self.surname),
                given_names: typed(&self.given_names),
                passport_number: typed(&self.passport_number),
                nationality: typed(&self.nationality),
                birth_date: typed(&date_text(
                    &self.birth_day,
                    &self.birth_month,
                    &self.birth_year,
                )),
                sex: typed(&self.sex),
                passport_expiry: typed(&date_text(
                    &self.expiry_day,
                    &self.expiry_month,
                    &self.expiry_year,
                )),
            }
        } else {
            ApplicantInput {
                mrz: Some(self.mrz.clone()),
                ..ApplicantInput::default()
            }
        };
        ArrivalRequest {
            guest,
            arrived_at: local_instant(
                &date_text(&self.arrival_day, &self.arrival_month, &self.arrival_year),
                &self.arrival_time,
                tz,
            ),
            address: AddressInput {
                city: self.city.clone(),
                line: self.line.clone(),
            },
            expected: self.expected == "yes",
        }
    }

    /// The chosen intent, as the radios show it.
    fn intent(&self) -> &str {
        if self.expected == "yes" { "yes" } else { "no" }
    }
}

#[derive(Template)]
#[template(path = "host/arrival_form.html")]
struct ArrivalPage {
    page: Page,
    form: ArrivalForm,
}

impl ArrivalPage {
    /// Whether the guest has arrived (notify now, the default) or is expected.
    fn intent_choices(&self) -> Vec<super::Choice> {
        [
            ("no", "host-intent-now", "host-intent-now-hint"),
            ("yes", "host-intent-expected", "host-intent-expected-hint"),
        ]
        .into_iter()
        .map(|(value, label, hint)| super::Choice {
            value: value.to_owned(),
            label: self.page.t(label),
            hint: self.page.t(hint),
        })
        .collect()
    }
}

/// A radio button of a choice.
struct Choice {
    value: &'static str,
    label_id: &'static str,
    checked: bool,
}

impl ArrivalForm {
    /// The sexes a passport may show (ICAO: F, M, X), the one typed checked.
    fn sex_choices(&self) -> Vec<Choice> {
        [
            ("F", "host-sex-female"),
            ("M", "host-sex-male"),
            ("X", "host-sex-unspecified"),
        ]
        .into_iter()
        .map(|(value, label_id)| Choice {
            value,
            label_id,
            checked: self.sex == value,
        })
        .collect()
    }
}

async fn new_arrival(PageLang(lang): PageLang, me: Host) -> Response {
    render(
        StatusCode::OK,
        &ArrivalPage {
            page: me.page(lang, "/host/arrivals/new", "host-new-title"),
            form: ArrivalForm::default(),
        },
    )
}

/// The form's problems on `page`. The parts of a pasted MRZ are all shown at its box. Some
/// are said in the form's own words: a missing answer names the field (the error summary
/// lists them all, and nine "This field is required" would tell nothing), and a date or time
/// that is not one speaks of day, month, year and HH:MM rather than the API's text formats.
/// Every other problem is the API's message.
fn show_problems(mut page: Page, problems: Vec<FieldProblem>) -> Page {
    for mut p in problems {
        if p.field.starts_with("guest.mrz.") {
            "guest.mrz".clone_into(&mut p.field);
        }
        let in_form_words = match (p.field.as_str(), p.code) {
            ("guest.birth_date" | "guest.passport_expiry", "date.invalid") => {
                Some("host-error-date".to_owned())
            }
            ("arrived_at", "time.invalid") => Some("host-error-arrival".to_owned()),
            (field, "field.required") => Some(required_message(field)).filter(|id| i18n::has(id)),
            _ => None,
        };
        match in_form_words {
            Some(id) => {
                let message = page.t(&id);
                page.add_error(&p.field, message);
            }
            None => page = page.with_problems(&[p]),
        }
    }
    page
}

/// The message that asks for the field `field` (`host-required-guest-surname`).
fn required_message(field: &str) -> String {
    format!("host-required-{}", field.replace('.', "-"))
}

async fn notify(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Host,
    Form(form): Form<ArrivalForm>,
) -> Response {
    let p = app.policy();
    let req = form.request(p.time_zone());
    let recorded =
        with_store!(&app.store, s => record(s, &p, app.now(), &me.0.user, &req, "").await);
    match recorded {
        Ok((stored, _)) => see_other(lang, &format!("/host/arrivals/{}", stored.id)),
        Err(problems) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ArrivalPage {
                page: show_problems(
                    me.page(lang, "/host/arrivals/new", "host-new-title"),
                    problems,
                ),
                form,
            },
        ),
    }
}

#[derive(Template)]
#[template(path = "host/confirmation.html")]
struct Confirmation {
    page: Page,
    number: String,
    guest: String,
    nationality: String,
    passport_number: String,
    address: String,
    arrived: String,
    notified: String,
    deadline: String,
    late: bool,
    fine: Option<String>,
    article: Option<String>,
    zone: String,
}

/// An expected guest: what was recorded, and the form that confirms the arrival.
#[derive(Template)]
#[template(path = "host/expected.html")]
struct Expected {
    page: Page,
    action: String,
    number: String,
    guest: String,
    nationality: String,
    passport_number: String,
    address: String,
    planned: String,
    deadline: String,
    late: bool,
    fine: Option<String>,
    article: Option<String>,
    zone: String,
    form: ConfirmForm,
}

/// When the guest arrived, as typed; all empty means at the planned instant.
#[derive(Deserialize, Default)]
#[serde(default)]
struct ConfirmForm {
    #[serde(rename = "arrived_at.day")]
    day: String,
    #[serde(rename = "arrived_at.month")]
    month: String,
    #[serde(rename = "arrived_at.year")]
    year: String,
    #[serde(rename = "arrived_at.time")]
    time: String,
}

impl ConfirmForm {
    /// The form filled with `at` in `tz`, for the host to correct.
    fn at(at: jiff::Timestamp, tz: &TimeZone) -> ConfirmForm {
        let z = at.to_zoned_datetime(tz.clone());
        ConfirmForm {
            day: z.day().to_string(),
            month: z.month().to_string(),
            year: z.year().to_string(),
            time: z.strftime("%H:%M").to_string(),
        }
    }

    /// The API's `arrived_at`: `None` when nothing was typed (the planned instant).
    fn arrived_at(&self, tz: &TimeZone) -> Option<String> {
        Some(local_instant(
            &date_text(&self.day, &self.month, &self.year),
            &self.time,
            tz,
        ))
        .filter(|t| !t.is_empty())
    }
}

/// The page of the host's arrival `a` with `status`: its confirmation when notified, else
/// the expected guest with the form that confirms it (filled with `form`, else the planned
/// instant), showing `problems`.
fn render_arrival(
    app: &App,
    me: &Host,
    lang: Lang,
    a: &Arrival,
    status: StatusCode,
    problems: Vec<FieldProblem>,
    form: Option<ConfirmForm>,
) -> Response {
    let p = app.policy();
    let tz = p.time_zone();
    let number = printed_number(&a.confirmation_number);
    let path = format!("/host/arrivals/{}", a.id);
    let article = (a.late && a.fine_kzt.is_some())
        .then(|| p.late_notification_fine(&host_kind(&p, &me.0.user)))
        .flatten()
        .map(|f| f.article.clone());
    let common = (
        guest_name(a),
        a.nationality.clone(),
        a.passport_number.clone(),
        format!("{}, {}", a.address_city, a.address_line),
        local_time(tz, a.deadline_at),
    );
    match a.notified_at {
        Some(notified_at) => {
            let mut page = show_problems(me.page(lang, &path, "host-confirmation-title"), problems);
            page.title = page.t_with("host-confirmation-title", "number", &number);
            let (guest, nationality, passport_number, address, deadline) = common;
            render(
                status,
                &Confirmation {
                    guest,
                    nationality,
                    passport_number,
                    address,
                    arrived: local_time(tz, a.arrived_at),
                    notified: local_time(tz, notified_at),
                    deadline,
                    late: a.late,
                    fine: fine_text(lang, a.fine_kzt),
                    article,
                    zone: zone_name(tz),
                    number,
                    page,
                },
            )
        }
        None => {
            let mut page = show_problems(me.page(lang, &path, "host-expected-title"), problems);
            page.title = page.t_with("host-expected-title", "number", &number);
            let (guest, nationality, passport_number, address, deadline) = common;
            render(
                status,
                &Expected {
                    action: format!("/{}/host/arrivals/{}/confirm", lang.code(), a.id),
                    guest,
                    nationality,
                    passport_number,
                    address,
                    planned: local_time(tz, a.arrived_at),
                    deadline,
                    late: a.late,
                    fine: fine_text(lang, a.fine_kzt),
                    article,
                    zone: zone_name(tz),
                    form: form.unwrap_or_else(|| ConfirmForm::at(a.arrived_at, tz)),
                    number,
                    page,
                },
            )
        }
    }
}

/// The host's arrival `id` (from the path), or the page to answer instead.
async fn own_arrival(app: &App, me: &Host, lang: Lang, id: &str) -> Result<Arrival, Response> {
    let Ok(id) = id.parse::<i64>() else {
        return Err(not_found_in(lang));
    };
    let found = with_store!(&app.store, s => s.arrival_for_host(me.0.user.id, id).await);
    match found {
        Ok(a) => Ok(a),
        Err(StoreError::NotFound) => Err(not_found_in(lang)),
        Err(e) => Err(ApiError::from(e).into_response()),
    }
}

async fn confirmation(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Host,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    match own_arrival(&app, &me, lang, &id).await {
        Ok(a) => render_arrival(&app, &me, lang, &a, StatusCode::OK, Vec::new(), None),
        Err(page) => page,
    }
}

/// "The guest arrived": the expected arrival is notified now, at the arrival instant typed
/// (the planned one when the form sends none, as the list's button does).
async fn confirm_arrival(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Host,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<ConfirmForm>,
) -> Response {
    let a = match own_arrival(&app, &me, lang, &id).await {
        Ok(a) => a,
        Err(page) => return page,
    };
    let p = app.policy();
    let arrived_at = form.arrived_at(p.time_zone());
    let confirmed = with_store!(&app.store, s => confirm(s, &p, app.now(), &me.0.user, a.id, arrived_at.as_deref()).await);
    match confirmed {
        Ok(_) => see_other(lang, &format!("/host/arrivals/{}", a.id)),
        Err(e) if e.status == StatusCode::NOT_FOUND => not_found_in(lang),
        Err(e) if e.errors.is_empty() => e.into_response(),
        Err(e) => {
            // Shown on the arrival as it is now: notified meanwhile, or still expected with
            // the answers kept.
            let current = own_arrival(&app, &me, lang, &id).await;
            match current {
                Ok(now) => {
                    // Nothing typed (the list's button): the form offers the planned instant.
                    let typed = arrived_at.is_some().then_some(form);
                    render_arrival(&app, &me, lang, &now, e.status, e.errors, typed)
                }
                Err(page) => page,
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// A CSV of guests
// ---------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "host/import.html")]
struct ImportForm {
    page: Page,
    header: String,
    example: &'static str,
}

/// A line the import accepts, to copy.
const EXAMPLE_ROW: &str = "KIM,MINJI,M1234567,KOR,1995-02-03,F,2031-01-01,\
                           2026-11-20T14:30:00+05:00,Almaty,\"Abay 1, room 3\"";

fn import_page(me: &Host, lang: Lang) -> ImportForm {
    ImportForm {
        page: me.page(lang, "/host/import", "host-import-title"),
        header: CSV_COLUMNS.join(","),
        example: EXAMPLE_ROW,
    }
}

async fn import_form(PageLang(lang): PageLang, me: Host) -> Response {
    render(StatusCode::OK, &import_page(&me, lang))
}

/// A refused row as the report shows it: the CSV's column, not the API's field path.
struct Refused {
    line: usize,
    column: &'static str,
    message: String,
}

impl From<ImportRowError> for Refused {
    fn from(e: ImportRowError) -> Self {
        let column = match e.field.as_str() {
            "address.city" => "city",
            "address.line" => "address",
            field => CSV_COLUMNS
                .iter()
                .copied()
                .find(|c| *c == field)
                .unwrap_or(""),
        };
        Refused {
            line: e.line,
            column,
            message: e.message,
        }
    }
}

#[derive(Template)]
#[template(path = "host/import_report.html")]
struct ImportReport {
    page: Page,
    /// How many arrivals were recorded, and how many of them late (when any were).
    accepted: String,
    late: Option<String>,
    refused_title: String,
    refused: Vec<Refused>,
}

fn unreadable(e: &MultipartError) -> FieldProblem {
    let code = if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        "upload.body_too_large"
    } else {
        "upload.multipart"
    };
    FieldProblem::new("file", code).with("detail", e.body_text())
}

/// The uploaded file's text, or the problem with it (at the file field).
async fn uploaded_text(mut form: Multipart) -> Result<String, FieldProblem> {
    let mut file = None;
    loop {
        match form.next_field().await {
            Ok(Some(field)) if field.name() == Some("file") => {
                let named = field.file_name().is_some_and(|n| !n.is_empty());
                let bytes = field.bytes().await.map_err(|e| unreadable(&e))?;
                if named || !bytes.is_empty() {
                    file = Some(bytes);
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => return Err(unreadable(&e)),
        }
    }
    let bytes = file.ok_or_else(|| FieldProblem::new("file", "field.required"))?;
    String::from_utf8(bytes.to_vec()).map_err(|_| FieldProblem::new("file", "csv.encoding"))
}

async fn import(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Host,
    form: Multipart,
) -> Response {
    let imported = match uploaded_text(form).await {
        Ok(text) => {
            let p = app.policy();
            with_store!(&app.store, s => import_csv(s, &p, app.now(), &me.0.user, lang, &text).await)
        }
        Err(problem) => Err(problem),
    };
    match imported {
        Ok(ImportResult { created, errors }) => {
            let count = |id: &str, n: usize| i18n::text_with(lang, id, &[("count", n.to_string())]);
            let late = created.iter().filter(|c| c.late).count();
            render(
                StatusCode::OK,
                &ImportReport {
                    page: me.page(lang, "/host/import", "host-report-title"),
                    accepted: count("host-report-accepted", created.len()),
                    late: (late > 0).then(|| count("host-report-late", late)),
                    refused_title: count("host-report-refused", errors.len()),
                    refused: errors.into_iter().map(Refused::from).collect(),
                },
            )
        }
        Err(mut problem) => {
            // The file as a whole: its header, or nothing in it.
            "file".clone_into(&mut problem.field);
            let mut form = import_page(&me, lang);
            form.page = show_problems(form.page, vec![problem]);
            render(StatusCode::UNPROCESSABLE_ENTITY, &form)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_put_together_for_the_api_parser() {
        assert_eq!(date_text(" 1", "2", "1990"), "1990-02-01");
        assert_eq!(date_text("", " ", ""), "");
        // Whatever is typed reaches the parser, which names it.
        assert_eq!(date_text("x", "13", "90"), "90-13-0x");
    }

    #[test]
    fn local_times_are_read_in_the_authority_zone() {
        let tz = TimeZone::get("Asia/Almaty").unwrap();
        assert_eq!(
            local_instant("2026-12-01", "10:30", &tz),
            "2026-12-01T05:30:00Z"
        );
        assert_eq!(local_instant("", " ", &tz), "");
        assert_eq!(
            local_instant("2026-12-01", "25:00", &tz),
            "2026-12-01 25:00"
        );
    }

    #[test]
    fn refused_rows_name_the_csv_column() {
        let row = |field: &str| ImportRowError {
            line: 3,
            field: field.to_owned(),
            code: "field.required".to_owned(),
            message: String::new(),
        };
        assert_eq!(Refused::from(row("address.line")).column, "address");
        assert_eq!(Refused::from(row("address.city")).column, "city");
        assert_eq!(Refused::from(row("surname")).column, "surname");
        assert_eq!(Refused::from(row("row")).column, "");
    }
}
