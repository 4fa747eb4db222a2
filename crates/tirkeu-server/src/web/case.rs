//! One case in the back office (`/{lang}/staff/cases/{number}`): what the applicant gave,
//! the documents beside the card type's checklist, the stay so far, other applications of
//! the same passport, the history, and what the officer may do now.
//!
//! Every read goes through [`crate::cases`], as the API's: opening the page writes
//! `case.read`, each document shown writes `document.read`, each action is `case::decide` +
//! `Store::transition` guarded by the version the officer saw (a hidden field). When the
//! case changed meanwhile, nothing is written and the page shows the case as it is now.
//!
//! Actions that cannot be undone easily (approve, reject, request information, issue,
//! revoke) take a second step, the GOV.UK "Are you sure?" page with the summary of what will
//! happen: the first post is checked by the same rules as the real one (`cases::check`)
//! without writing, so the question is only asked about an action that would pass.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::Deserialize;
use tirkeu_core::case::Input;
use tirkeu_core::lifecycle::{self, Action, Collection, Requirement};
use tirkeu_core::problem::{self, FieldProblem};
use tirkeu_core::stay::Stay;
use tirkeu_core::text::Lang;
use tirkeu_store::{Application, AuditEntry, Document, Store, User, with_store};

use super::forms::{DateParts, Fields, problems_of};
use super::queue::{Row, error_page, rows, staff_only, username};
use super::staff::SignedIn;
use super::{Choice, Page, PageLang, local_time, render, see_other};
use crate::auth::Account;
use crate::cases;
use crate::error::{ApiError, ApiResult};
use crate::i18n;
use crate::routing::{Router, get, post};
use crate::state::App;

pub fn routes() -> Router {
    Router::new()
        .route("/{lang}/staff/cases/{number}", get(show))
        .route("/{lang}/staff/cases/{number}/assign", post(assign))
        .route(
            "/{lang}/staff/cases/{number}/documents/{document_id}",
            get(document),
        )
        .route(
            "/{lang}/staff/cases/{number}/actions/{action}",
            get(action_form).post(action_post),
        )
}

/// The actions asked about twice.
fn needs_confirmation(action: Action) -> bool {
    matches!(
        action,
        Action::Approve | Action::Reject | Action::Issue | Action::Revoke | Action::RequestInfo
    )
}

/// One label and value of a summary list.
pub struct Item {
    pub label: String,
    pub value: String,
}

/// One uploaded file.
pub struct FileView {
    pub href: String,
    pub image: bool,
    pub alt: String,
    pub uploaded: String,
}

/// One line of the checklist with its files.
pub struct DocRow {
    pub name: String,
    pub required: bool,
    pub missing: bool,
    pub files: Vec<FileView>,
}

pub struct ActionLink {
    pub id: &'static str,
    pub label: String,
    pub href: String,
    /// Taken at once from the case page (no inputs, no question).
    pub direct: bool,
}

pub struct HistoryRow {
    pub at: String,
    pub actor: String,
    pub what: String,
}

pub struct StayView {
    pub days_used: String,
    pub days_left: String,
    pub last_legal_day: String,
    pub overstay: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/case.html")]
struct CasePage {
    page: Page,
    compact: String,
    version: i64,
    state: String,
    state_id: &'static str,
    notice: Option<String>,
    stale: bool,
    verify_url: Option<String>,
    case_items: Vec<Item>,
    applicant: Vec<Item>,
    contact: Vec<Item>,
    stay: Option<StayView>,
    duplicates: Vec<Row>,
    checklist: Vec<DocRow>,
    can_assign: bool,
    actions: Vec<ActionLink>,
    history: Vec<HistoryRow>,
    zone: String,
}

fn item(lang: Lang, label: &str, value: impl Into<String>) -> Item {
    let value = value.into();
    Item {
        label: i18n::text(lang, label),
        value: if value.is_empty() {
            "–".into()
        } else {
            value
        },
    }
}

fn action_label(lang: Lang, action: Action) -> String {
    i18n::text(lang, &format!("case-action-{action}"))
}

/// The history in words: what happened (with the reason or the document's name), by whom.
fn history_rows(lang: Lang, app: &App, users: &[User], entries: &[AuditEntry]) -> Vec<HistoryRow> {
    let p = app.policy();
    let tz = p.time_zone();
    entries
        .iter()
        .map(|e| {
            let payload: serde_json::Value =
                serde_json::from_str(&e.payload).unwrap_or(serde_json::Value::Null);
            let id = format!("history-{}", e.action.replace('.', "-"));
            let mut what = if i18n::has(&id) {
                i18n::text(lang, &id)
            } else {
                i18n::text_with(lang, "history-other", &[("action", e.action.clone())])
            };
            if let Some(kind) = payload.get("kind").and_then(|k| k.as_str()) {
                let name = p.document(kind).map_or(kind, |d| d.name.get(lang));
                what = format!("{what}: {name}");
            }
            if let Some(reason) = payload.get("reason").and_then(|k| k.as_str()) {
                let name = p.reason(reason).map_or(reason, |r| r.name.get(lang));
                what = format!("{what}: {name}");
            }
            let actor = match e.actor.strip_prefix("user:").and_then(|id| id.parse().ok()) {
                Some(id) => username(users, Some(id)),
                // `applicant` or `applicant:{id}` (the application's own id).
                None if e.actor.split(':').next() == Some("applicant") => {
                    i18n::text(lang, "history-actor-applicant")
                }
                None if e.actor.split(':').next() == Some("system") => {
                    i18n::text(lang, "history-actor-system")
                }
                None => e.actor.clone(),
            };
            HistoryRow {
                at: local_time(tz, e.at),
                actor,
                what,
            }
        })
        .collect()
}

/// The case page for `a` (already read, and its read audited) as `account` sees it.
#[allow(clippy::too_many_arguments)]
async fn case_page<S: Store>(
    s: &S,
    app: &App,
    lang: Lang,
    account: &Account,
    a: &Application,
    docs: &[Document],
    notice: Option<String>,
    stale: bool,
) -> ApiResult<CasePage> {
    let p = app.policy();
    let tz = p.time_zone();
    let actor = account.case_actor(&p)?;
    let users = s.users().await?;
    let compact = a.number.compact();
    let base = format!("/{}/staff/cases/{compact}", lang.code());
    let at = |t: Option<jiff::Timestamp>| t.map(|t| local_time(tz, t)).unwrap_or_default();
    let card_type = p
        .permit_type(&a.permit_type)
        .map_or_else(|| a.permit_type.clone(), |t| t.name.get(lang).to_owned());
    let overdue = a.state.is_open() && a.due_at.is_some_and(|d| d < app.now());
    let mut due = at(a.due_at);
    if overdue {
        due = format!("{due} ({})", i18n::text(lang, "queue-overdue-tag"));
    }
    let mut case_items = vec![
        item(lang, "case-type", card_type),
        item(
            lang,
            "case-office",
            p.office_name(&a.office, lang).unwrap_or(&a.office),
        ),
        item(lang, "case-submitted", at(a.submitted_at)),
        item(lang, "case-due", due),
        item(lang, "case-assigned", username(&users, a.assigned_officer)),
    ];
    if let Some(r) = &a.reason {
        let name = p.reason(r).map_or(r.as_str(), |x| x.name.get(lang));
        case_items.push(item(lang, "case-reason", name));
    }
    if let Some(c) = a.collection_at {
        let place = a.collection_place.clone().unwrap_or_default();
        case_items.push(item(
            lang,
            "case-collection",
            format!("{}, {place}", local_time(tz, c)),
        ));
    }
    if let (Some(from), Some(until)) = (a.valid_from, a.valid_until) {
        case_items.push(item(lang, "case-validity", format!("{from} – {until}")));
    }
    if let Some(card) = &a.card_number {
        case_items.push(item(lang, "case-card-number", card.clone()));
    }
    let ap = &a.applicant;
    let applicant = vec![
        item(lang, "case-surname", ap.surname.clone()),
        item(lang, "case-given-names", ap.given_names.clone()),
        item(lang, "case-passport", ap.passport_number.clone()),
        item(lang, "case-nationality", ap.nationality.clone()),
        item(lang, "case-birth-date", ap.birth_date.to_string()),
        item(lang, "case-sex", ap.sex.clone()),
        item(lang, "case-passport-expiry", ap.passport_expiry.to_string()),
    ];
    let contact = vec![
        item(lang, "case-email", a.email.clone().unwrap_or_default()),
        item(lang, "case-phone", a.phone.clone().unwrap_or_default()),
        item(
            lang,
            "case-address",
            format!("{}, {}", a.address_line, a.address_city),
        ),
        item(
            lang,
            "case-arrival",
            a.arrival_date.map(|d| d.to_string()).unwrap_or_default(),
        ),
    ];
    let stay = a.arrival_date.and_then(|entry| {
        let today = app.today();
        let s = p
            .assess_stay(&ap.nationality, &[Stay { entry, exit: None }], today, None)
            .ok()?;
        let days = |n: u32| i18n::text_with(lang, "case-days", &[("count", n.to_string())]);
        Some(StayView {
            days_used: days(s.report.days_used),
            days_left: days(s.report.days_left),
            last_legal_day: s
                .report
                .last_legal_day
                .map_or_else(|| i18n::text(lang, "case-stay-over"), |d| d.to_string()),
            overstay: (s.report.overstay_days > 0).then(|| days(s.report.overstay_days)),
        })
    });
    let mut duplicates = crate::cases::within_reach(
        app,
        account,
        s.cases_by_passport(&s.passport_lookup(&ap.passport_number))
            .await?,
    );
    duplicates.retain(|c| c.id != a.id);
    let duplicates = rows(lang, &p, &users, &duplicates, app.now());
    let file = |d: &Document| FileView {
        href: format!("{base}/documents/{}", d.id),
        image: d.content_type.starts_with("image/"),
        alt: p
            .document(&d.kind)
            .map_or_else(|| d.kind.clone(), |x| x.name.get(lang).to_owned()),
        uploaded: local_time(tz, d.created_at),
    };
    let mut checklist: Vec<DocRow> = p
        .permit_type(&a.permit_type)
        .map(|t| {
            t.documents
                .iter()
                .map(|c| {
                    let files: Vec<FileView> =
                        docs.iter().filter(|d| d.kind == c.id).map(file).collect();
                    DocRow {
                        name: p
                            .document(&c.id)
                            .map_or_else(|| c.id.clone(), |x| x.name.get(lang).to_owned()),
                        required: c.required,
                        missing: c.required && files.is_empty(),
                        files,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let listed: Vec<String> = p
        .permit_type(&a.permit_type)
        .map(|t| t.documents.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default();
    for d in docs.iter().filter(|d| !listed.contains(&d.kind)) {
        checklist.push(DocRow {
            name: file(d).alt,
            required: false,
            missing: false,
            files: vec![file(d)],
        });
    }
    let uploaded: Vec<&str> = docs.iter().map(|d| d.kind.as_str()).collect();
    let actions = tirkeu_core::case::available_actions(&a.facts(&uploaded), actor, &p)
        .into_iter()
        .map(|action| ActionLink {
            id: action.as_str(),
            label: action_label(lang, action),
            href: format!("{base}/actions/{action}"),
            direct: lifecycle::transition_for(action).requires.is_none()
                && !needs_confirmation(action),
        })
        .collect();
    let history = history_rows(lang, app, &users, &s.case_history(a.id).await?);
    let mut page =
        Page::new(lang, &format!("/staff/cases/{compact}"), "case-title").signed_in_as(account);
    page.title = i18n::text_with(lang, "case-title", &[("number", a.number.to_string())]);
    Ok(CasePage {
        compact,
        version: a.version,
        state: i18n::text(lang, &format!("state-{}", a.state)),
        state_id: a.state.as_str(),
        notice,
        stale,
        verify_url: None,
        case_items,
        applicant,
        contact,
        stay,
        duplicates,
        checklist,
        can_assign: a.state.is_assignable() && a.assigned_officer != Some(account.user.id),
        actions,
        history,
        zone: p.doc().meta.time_zone.clone(),
        page,
    })
}

/// Reads the case (auditing the read) and builds its page.
async fn read_page<S: Store>(
    s: &S,
    app: &App,
    lang: Lang,
    account: &Account,
    number: &str,
    notice: Option<String>,
    stale: bool,
) -> ApiResult<CasePage> {
    let (a, docs) = cases::read(s, app, account, number).await?;
    case_page(s, app, lang, account, &a, &docs, notice, stale).await
}

#[derive(Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

/// The notice after an action, from `?done=` (an action's name, nothing personal).
fn done_notice(lang: Lang, done: Option<&str>) -> Option<String> {
    let id = format!("case-done-{}", done?);
    i18n::has(&id).then(|| i18n::text(lang, &id))
}

async fn show(
    PageLang(lang): PageLang,
    State(app): State<App>,
    SignedIn(account): SignedIn,
    Path((_, number)): Path<(String, String)>,
    Query(q): Query<ShowQuery>,
) -> Response {
    if let Some(r) = staff_only(lang, &account) {
        return r;
    }
    let notice = done_notice(lang, q.done.as_deref());
    match with_store!(&app.store, s => read_page(s, &app, lang, &account, &number, notice, false).await)
    {
        Ok(t) => no_store(render(StatusCode::OK, &t)),
        Err(e) => error_page(lang, e),
    }
}

/// The case page again, with "this case was changed by someone else meanwhile" (409): the
/// answer to a stale version, after nothing was written.
async fn stale_page(app: &App, lang: Lang, account: &Account, number: &str) -> Response {
    match with_store!(&app.store, s => read_page(s, app, lang, account, number, None, true).await) {
        Ok(t) => no_store(render(StatusCode::CONFLICT, &t)),
        Err(e) => error_page(lang, e),
    }
}

/// Pages with personal data are not kept by the browser's or a proxy's cache.
fn no_store(mut res: Response) -> Response {
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

fn version_of(f: &Fields) -> Option<i64> {
    f.get("version").parse().ok()
}

async fn assign(
    PageLang(lang): PageLang,
    State(app): State<App>,
    SignedIn(account): SignedIn,
    Path((_, number)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(r) = staff_only(lang, &account) {
        return r;
    }
    let Some(version) = version_of(&Fields(pairs)) else {
        return stale_page(&app, lang, &account, &number).await;
    };
    match with_store!(&app.store, s => cases::assign_to_me(s, &app, &account, &number, version).await)
    {
        Ok(a) => see_other(
            lang,
            &format!("/staff/cases/{}?done=assign", a.number.compact()),
        ),
        Err(e)
            if e.status == StatusCode::PRECONDITION_FAILED || e.status == StatusCode::CONFLICT =>
        {
            stale_page(&app, lang, &account, &number).await
        }
        Err(e) => error_page(lang, e),
    }
}

/// A document shown in the page (an image) or opened in a new tab (a PDF): inline, never
/// cached, never sniffed; the read is audited as the API's download is.
async fn document(
    PageLang(lang): PageLang,
    State(app): State<App>,
    SignedIn(account): SignedIn,
    Path((_, number, document_id)): Path<(String, String, i64)>,
) -> Response {
    if let Some(r) = staff_only(lang, &account) {
        return r;
    }
    match with_store!(&app.store, s => cases::read_document(s, &app, &account, &number, document_id).await)
    {
        Ok((doc, bytes)) => {
            let ct = HeaderValue::from_str(&doc.content_type)
                .unwrap_or(HeaderValue::from_static("application/octet-stream"));
            (
                [
                    (header::CONTENT_TYPE, ct),
                    (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
                    (
                        header::X_CONTENT_TYPE_OPTIONS,
                        HeaderValue::from_static("nosniff"),
                    ),
                    (
                        header::CONTENT_DISPOSITION,
                        HeaderValue::from_static("inline"),
                    ),
                ],
                bytes,
            )
                .into_response()
        }
        Err(e) => error_page(lang, e),
    }
}

/// The answers of an action form, kept as typed.
#[derive(Default)]
struct Answers {
    version: String,
    reason: String,
    valid_from: DateParts,
    valid_until: DateParts,
    collection: DateParts,
    collection_time: String,
    place: String,
}

impl Answers {
    fn read(f: &Fields) -> Answers {
        Answers {
            version: f.get("version").to_owned(),
            reason: f.get("reason").to_owned(),
            valid_from: f.date("valid_from"),
            valid_until: f.date("valid_until"),
            collection: f.date("collection"),
            collection_time: f.get("collection.time").to_owned(),
            place: f.get("collection.place").to_owned(),
        }
    }

    /// The core's input, or the problems of what cannot be read (a date that is no date).
    fn input(&self, action: Action, tz: &jiff::tz::TimeZone) -> Result<Input, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let requires = lifecycle::transition_for(action).requires;
        let date = |name: &str, d: &DateParts, problems: &mut Vec<FieldProblem>| {
            d.iso()
                .and_then(|iso| match problem::parse_date(name, &iso) {
                    Ok(d) => Some(d),
                    Err(p) => {
                        problems.push(p);
                        None
                    }
                })
        };
        let mut input = Input {
            reason: Some(self.reason.clone()).filter(|r| !r.is_empty()),
            ..Input::default()
        };
        if requires == Some(Requirement::Validity) {
            input.valid_from = date("valid_from", &self.valid_from, &mut problems);
            input.valid_until = date("valid_until", &self.valid_until, &mut problems);
        }
        if requires == Some(Requirement::Collection) {
            let day = self.collection.iso().unwrap_or_default();
            let text = super::host::local_instant(&day, &self.collection_time, tz);
            if !text.is_empty() {
                match problem::parse_instant("collection", &text) {
                    Ok(at) => {
                        input.collection = Some(Collection {
                            at,
                            place: self.place.clone(),
                        });
                    }
                    Err(p) => problems.push(p),
                }
            } else if !self.place.is_empty() {
                problems.push(FieldProblem::new("collection", "collection.required"));
            }
        }
        if problems.is_empty() {
            Ok(input)
        } else {
            Err(problems)
        }
    }
}

#[derive(Template)]
#[template(path = "staff/action.html")]
#[allow(clippy::struct_excessive_bools)] // the template's switches, one per part of the form
struct ActionPage {
    page: Page,
    back: String,
    action: &'static str,
    action_label: String,
    lead: String,
    answers: Answers,
    reasons: Vec<Choice>,
    reason_hint: String,
    /// The form leads to "Are you sure?" rather than doing it.
    asks: bool,
    validity: bool,
    collection: bool,
    /// The second step: the summary and "Yes, …".
    confirm: bool,
    summary: Vec<Item>,
}

/// The action form for `a`, with `answers` (defaults on the first view).
fn action_page(
    app: &App,
    lang: Lang,
    account: &Account,
    a: &Application,
    action: Action,
    answers: Answers,
) -> ActionPage {
    let p = app.policy();
    let compact = a.number.compact();
    let requires = lifecycle::transition_for(action).requires;
    let reasons: Vec<Choice> = p
        .doc()
        .reasons
        .iter()
        .filter(|r| r.actions.iter().any(|x| x == action.as_str()))
        .map(|r| Choice {
            value: r.id.clone(),
            label: r.name.get(lang).to_owned(),
            hint: String::new(),
        })
        .collect();
    let mut page = Page::new(
        lang,
        &format!("/staff/cases/{compact}/actions/{action}"),
        "case-title",
    )
    .signed_in_as(account);
    page.title = i18n::text_with(
        lang,
        "action-title",
        &[
            ("action", action_label(lang, action)),
            ("number", a.number.to_string()),
        ],
    );
    ActionPage {
        back: format!("/{}/staff/cases/{compact}", lang.code()),
        action: action.as_str(),
        action_label: action_label(lang, action),
        lead: i18n::text(lang, &format!("action-lead-{action}")),
        answers,
        reason_hint: i18n::text(
            lang,
            if requires == Some(Requirement::Reason) {
                "action-reason-required"
            } else {
                "action-reason-optional"
            },
        ),
        asks: needs_confirmation(action),
        reasons,
        validity: requires == Some(Requirement::Validity),
        collection: requires == Some(Requirement::Collection),
        confirm: false,
        summary: Vec::new(),
        page,
    }
}

/// The validity a card of `permit_type` gets by default: from today for the type's longest
/// validity.
fn default_validity(app: &App, permit_type: &str) -> (Date, Date) {
    let today = app.today();
    let days = app
        .policy()
        .permit_type(permit_type)
        .map_or(365, |t| t.max_validity_days);
    let until = today
        .checked_add(jiff::Span::new().days(i64::from(days) - 1))
        .unwrap_or(today);
    (today, until)
}

/// An action staff take (the others are the applicant's or the system's: no page here).
fn parse_action(a: &str) -> Option<Action> {
    a.parse::<Action>().ok().filter(|a| {
        let roles = lifecycle::transition_for(*a).roles;
        roles.contains(&lifecycle::Role::Officer) || roles.contains(&lifecycle::Role::Supervisor)
    })
}

async fn action_form(
    PageLang(lang): PageLang,
    State(app): State<App>,
    SignedIn(account): SignedIn,
    Path((_, number, action)): Path<(String, String, String)>,
) -> Response {
    if let Some(r) = staff_only(lang, &account) {
        return r;
    }
    let Some(action) = parse_action(&action) else {
        return super::not_found_in(lang);
    };
    let a = match with_store!(&app.store, s => cases::by_number(s, &app, &account, &number).await) {
        Ok(a) => a,
        Err(e) => return error_page(lang, e),
    };
    if let Err(e) = second_person(&app, lang, &account, &a, action) {
        return refused(&app, lang, &account, &number, e).await;
    }
    let (from, until) = default_validity(&app, &a.permit_type);
    let answers = Answers {
        version: a.version.to_string(),
        valid_from: DateParts::from_iso(&from.to_string()),
        valid_until: DateParts::from_iso(&until.to_string()),
        place: app
            .policy()
            .office(&a.office)
            .map(|o| o.address.get(lang).to_owned())
            .unwrap_or_default(),
        ..Answers::default()
    };
    no_store(render(
        StatusCode::OK,
        &action_page(&app, lang, &account, &a, action, answers),
    ))
}

/// Whether the second-pair-of-eyes rule lets `account` take `action` on `a` (the same check
/// the core's `decide` makes; asked first so that the reviewer gets the case page saying why,
/// not a form they cannot send). The refusal names the action in words, as the page does.
fn second_person(
    app: &App,
    lang: Lang,
    account: &Account,
    a: &Application,
    action: Action,
) -> Result<(), ApiError> {
    let policy = app.policy();
    let actor = account.case_actor(&policy)?;
    tirkeu_core::access::check_second_person(
        policy.access(),
        action,
        actor.role,
        actor.user_id,
        a.assigned_officer,
    )
    .map_err(|e| {
        let mut e = ApiError::from(e);
        for (name, value) in &mut e.params {
            if *name == "action" {
                *value = action_label(lang, action);
            }
        }
        e
    })
}

/// The case page again with the status of `e` and its message in the error summary: an action
/// that is not the signed-in person's to take.
async fn refused(app: &App, lang: Lang, account: &Account, number: &str, e: ApiError) -> Response {
    let message = e.render(lang).detail;
    match with_store!(&app.store, s => read_page(s, app, lang, account, number, None, false).await)
    {
        Ok(mut t) => {
            t.page.add_error("actions", message);
            no_store(render(e.status, &t))
        }
        Err(e) => error_page(lang, e),
    }
}

/// What the "Are you sure?" page sums up: the action's inputs in words.
fn summary(app: &App, lang: Lang, action: Action, input: &Input) -> Vec<Item> {
    let p = app.policy();
    let mut items = vec![item(
        lang,
        "action-summary-action",
        action_label(lang, action),
    )];
    if let Some(r) = &input.reason {
        let name = p.reason(r).map_or(r.as_str(), |x| x.name.get(lang));
        items.push(item(lang, "case-reason", name));
    }
    if let (Some(from), Some(until)) = (input.valid_from, input.valid_until) {
        items.push(item(lang, "case-validity", format!("{from} – {until}")));
    }
    if let Some(c) = &input.collection {
        items.push(item(
            lang,
            "case-collection",
            format!("{}, {}", local_time(p.time_zone(), c.at), c.place),
        ));
    }
    items
}

async fn action_post(
    PageLang(lang): PageLang,
    State(app): State<App>,
    SignedIn(account): SignedIn,
    Path((_, number, action)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if let Some(r) = staff_only(lang, &account) {
        return r;
    }
    let Some(action) = parse_action(&action) else {
        return super::not_found_in(lang);
    };
    let f = Fields(pairs);
    let confirmed = f.get("confirm") == "yes";
    let answers = Answers::read(&f);
    let Some(version) = version_of(&f) else {
        return stale_page(&app, lang, &account, &number).await;
    };
    let a = match with_store!(&app.store, s => cases::by_number(s, &app, &account, &number).await) {
        Ok(a) => a,
        Err(e) => return error_page(lang, e),
    };
    if a.version != version {
        return stale_page(&app, lang, &account, &number).await;
    }
    if let Err(e) = second_person(&app, lang, &account, &a, action) {
        return refused(&app, lang, &account, &number, e).await;
    }
    let tz = app.policy().time_zone().clone();
    let again = |answers: Answers, problems: &[FieldProblem]| {
        let mut t = action_page(&app, lang, &account, &a, action, answers);
        // The messages name the action by its code (`request_info`); a page names it in words.
        let named: Vec<FieldProblem> = problems
            .iter()
            .cloned()
            .map(|mut p| {
                for (name, value) in &mut p.params {
                    if *name == "action"
                        && let Some(act) = parse_action(value)
                    {
                        *value = action_label(lang, act);
                    }
                }
                p
            })
            .collect();
        t.page = t.page.with_problems(&named);
        no_store(render(StatusCode::UNPROCESSABLE_ENTITY, &t))
    };
    let input = match answers.input(action, &tz) {
        Ok(i) => i,
        Err(problems) => return again(answers, &problems),
    };
    if needs_confirmation(action) && !confirmed {
        return match with_store!(&app.store, s => cases::check(s, &app, &account, &number, version, action, &input).await)
        {
            Ok(_) => {
                let mut t = action_page(&app, lang, &account, &a, action, answers);
                t.confirm = true;
                t.summary = summary(&app, lang, action, &input);
                t.page.title =
                    i18n::text_with(lang, "confirm-title", &[("number", a.number.to_string())]);
                t.lead = i18n::text(lang, &format!("confirm-lead-{action}"));
                no_store(render(StatusCode::OK, &t))
            }
            Err(e) if e.status == StatusCode::PRECONDITION_FAILED => {
                stale_page(&app, lang, &account, &number).await
            }
            Err(e) => match problems_of(&e, "action") {
                Some(problems) => again(answers, &problems),
                None => error_page(lang, e),
            },
        };
    }
    match with_store!(&app.store, s => cases::transition(s, &app, &account, &number, version, action, &input).await)
    {
        Ok((done, token)) => {
            let compact = done.number.compact();
            match token {
                // After an issue, the verification URL is shown once, on the page itself.
                Some(token) => {
                    let notice = done_notice(lang, Some("issue"));
                    match with_store!(&app.store, s => read_page(s, &app, lang, &account, &compact, notice, false).await)
                    {
                        Ok(mut t) => {
                            t.verify_url = Some(cases::verify_url(&app, &token));
                            no_store(render(StatusCode::OK, &t))
                        }
                        Err(e) => error_page(lang, e),
                    }
                }
                None => see_other(lang, &format!("/staff/cases/{compact}?done={action}")),
            }
        }
        Err(e) if e.status == StatusCode::PRECONDITION_FAILED => {
            stale_page(&app, lang, &account, &number).await
        }
        Err(e) => match problems_of(&e, "action") {
            Some(problems) => again(answers, &problems),
            None => error_page(lang, e),
        },
    }
}
