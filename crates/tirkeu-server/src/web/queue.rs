//! The officers' workqueues (`/{lang}/staff`) and the search (`/{lang}/staff/search`).
//!
//! The queues are the fixed filters of [`crate::cases::Queue`] (their state sets are written
//! down there): the side navigation shows each with its count, the page lists one in keyset
//! pages. Each count and each page is one indexed query (a store test checks the plans), so a
//! queue does not slow down as it grows, and no page carries personal data in its URL: the
//! cursor is a queue position, and the search by passport number is a POST.

use std::fmt::Write as _;

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tirkeu_core::number::CaseNumber;
use tirkeu_core::policy::Policy;
use tirkeu_core::text::Lang;
use tirkeu_store::{AccountRole, CaseFilter, CaseSummary, Cursor, Store, User, with_store};

use super::staff::SignedIn;
use super::{Choice, Page, PageLang, local_time, render, see_other};
use crate::auth::Account;
use crate::cases::Queue;
use crate::error::ApiError;
use crate::routing::{Router, get, post};
use crate::state::App;

/// Rows per page of a queue.
const PAGE_SIZE: u32 = 50;

/// Queues are counted up to this many cases and shown as "more than" beyond it: an officer
/// needs to know that a queue is long, not its exact length, and an exact count would read
/// the whole backlog on every page view.
const COUNT_LIMIT: i64 = 1_000;

pub fn routes() -> Router {
    Router::new()
        .route("/{lang}/staff", get(queue))
        .route("/{lang}/staff/search", post(search))
}

/// `None` for an officer or a supervisor; for anyone else the answer to give instead
/// (admins go to the dashboard, hosts to their portal).
pub fn staff_only(lang: Lang, account: &Account) -> Option<Response> {
    match account.user.role {
        AccountRole::Officer | AccountRole::Supervisor => None,
        AccountRole::Admin => Some(see_other(lang, "/staff/dashboard")),
        AccountRole::Host => Some(see_other(lang, "/host")),
    }
}

/// One queue in the side navigation.
pub struct QueueLink {
    pub label: String,
    pub count: String,
    pub href: String,
    pub current: bool,
}

/// One row of the table.
pub struct Row {
    pub number: String,
    pub href: String,
    pub card_type: String,
    pub nationality: String,
    pub state: String,
    pub state_id: &'static str,
    pub submitted: String,
    pub due: String,
    pub overdue: bool,
    pub assigned: String,
}

#[derive(Template)]
#[template(path = "staff/queue.html")]
struct QueuePage {
    page: Page,
    queues: Vec<QueueLink>,
    current: String,
    current_label: String,
    count: String,
    rows: Vec<Row>,
    next: Option<String>,
    first_page: bool,
    first_href: String,
    types: Vec<Choice>,
    offices: Vec<Choice>,
    permit_type: String,
    office: String,
    query: String,
    results: Option<Vec<Row>>,
    zone: String,
}

#[derive(Deserialize, Default)]
struct QueueQuery {
    queue: Option<String>,
    #[serde(rename = "type")]
    permit_type: Option<String>,
    office: Option<String>,
    cursor: Option<String>,
}

/// The queue a request names (the first, "new submissions", by default or for an unknown id).
fn chosen(q: &QueueQuery) -> Queue {
    q.queue
        .as_deref()
        .and_then(Queue::parse)
        .unwrap_or(Queue::New)
}

/// A filter value the policy knows, or none (an unknown card type or office is ignored
/// rather than answered with an empty queue that looks like "no work").
fn known(value: Option<&str>, ok: impl Fn(&str) -> bool) -> Option<String> {
    value
        .map(str::trim)
        .filter(|v| !v.is_empty() && ok(v))
        .map(str::to_owned)
}

fn queue_href(lang: Lang, queue: Queue, permit_type: &str, office: &str) -> String {
    let mut href = format!("/{}/staff?queue={}", lang.code(), queue.id());
    if !permit_type.is_empty() {
        let _ = write!(href, "&type={permit_type}");
    }
    if !office.is_empty() {
        let _ = write!(href, "&office={office}");
    }
    href
}

/// The rows of a list of cases, in `lang`.
pub fn rows(
    lang: Lang,
    p: &Policy,
    users: &[User],
    items: &[CaseSummary],
    now: jiff::Timestamp,
) -> Vec<Row> {
    let tz = p.time_zone();
    items
        .iter()
        .map(|c| Row {
            number: c.number.to_string(),
            href: format!("/{}/staff/cases/{}", lang.code(), c.number.compact()),
            card_type: p
                .permit_type(&c.permit_type)
                .map_or_else(|| c.permit_type.clone(), |t| t.name.get(lang).to_owned()),
            nationality: c.nationality.clone(),
            state: crate::i18n::text(lang, &format!("state-{}", c.state)),
            state_id: c.state.as_str(),
            submitted: c
                .submitted_at
                .map_or_else(|| "–".to_owned(), |t| local_time(tz, t)),
            due: c
                .due_at
                .map_or_else(|| "–".to_owned(), |t| local_time(tz, t)),
            overdue: c.state.is_open() && c.due_at.is_some_and(|d| d < now),
            assigned: username(users, c.assigned_officer),
        })
        .collect()
}

/// The username of the account `id`, or a dash.
pub fn username(users: &[User], id: Option<i64>) -> String {
    id.and_then(|id| users.iter().find(|u| u.id == id))
        .map_or_else(|| "–".to_owned(), |u| u.username.clone())
}

fn office_choices(p: &Policy, lang: Lang) -> Vec<Choice> {
    p.doc()
        .offices
        .iter()
        .map(|o| Choice {
            value: o.id.clone(),
            label: o.name.get(lang).to_owned(),
            hint: String::new(),
        })
        .collect()
}

/// `message` with the bound, when `n` is beyond it (see [`COUNT_LIMIT`]).
fn beyond_limit(lang: Lang, n: i64, message: &str) -> Option<String> {
    (n > COUNT_LIMIT).then(|| {
        crate::i18n::text_with(
            lang,
            message,
            &[("count", crate::i18n::integer(lang, COUNT_LIMIT))],
        )
    })
}

/// A queue's length in its tab: the number, or the bound and a plus beyond it.
fn tab_count(lang: Lang, n: i64) -> String {
    beyond_limit(lang, n, "queue-tab-count-over").unwrap_or_else(|| crate::i18n::integer(lang, n))
}

/// The current queue's length in words, "more than …" beyond the bound.
fn queue_count(lang: Lang, n: i64) -> String {
    beyond_limit(lang, n, "queue-count-over")
        .unwrap_or_else(|| crate::i18n::text_with(lang, "queue-count", &[("count", n.to_string())]))
}

/// Everything the queue page shows for `q`, with `results` of a search when there was one.
async fn build<S: Store>(
    s: &S,
    app: &App,
    lang: Lang,
    account: &Account,
    q: &QueueQuery,
) -> Result<QueuePage, ApiError> {
    let p = app.policy();
    let now = app.now();
    let me = account.user.id;
    let current = chosen(q);
    let permit_type = known(q.permit_type.as_deref(), |v| p.permit_type(v).is_some());
    let office = known(q.office.as_deref(), |v| p.office(v).is_some());
    // Officers see their office's queues only; a filter on another office shows nothing.
    let narrow = |f: CaseFilter| {
        crate::cases::scoped(
            app,
            account,
            office.as_deref(),
            CaseFilter {
                permit_type: permit_type.clone(),
                ..f
            },
        )
    };
    let (pt, of) = (
        permit_type.clone().unwrap_or_default(),
        office.clone().unwrap_or_default(),
    );
    let mut queues = Vec::new();
    let mut count = 0;
    for queue in Queue::ALL {
        let n = match narrow(queue.filter(me, now)) {
            Some(f) => s.count_cases(&f, COUNT_LIMIT + 1).await?,
            None => 0,
        };
        if queue == current {
            count = n;
        }
        queues.push(QueueLink {
            label: crate::i18n::text(lang, &format!("queue-{}", queue.id())),
            count: tab_count(lang, n),
            href: queue_href(lang, queue, &pt, &of),
            current: queue == current,
        });
    }
    let cursor = q.cursor.as_deref().and_then(Cursor::decode);
    let list = match narrow(current.filter(me, now)) {
        Some(f) => s.list_cases(&f, cursor, PAGE_SIZE).await?,
        None => tirkeu_store::Page {
            items: Vec::new(),
            next: None,
        },
    };
    let users = s.users().await?;
    let first_href = queue_href(lang, current, &pt, &of);
    let next = list
        .next
        .map(|c| format!("{first_href}&cursor={}", c.encode()));
    let mut page = Page::new(lang, "/staff", "queue-title").signed_in_as(account);
    first_href
        .strip_prefix(&format!("/{}", lang.code()))
        .unwrap_or("/staff")
        .clone_into(&mut page.path);
    Ok(QueuePage {
        current_label: crate::i18n::text(lang, &format!("queue-{}", current.id())),
        count: queue_count(lang, count),
        rows: rows(lang, &p, &users, &list.items, now),
        queues,
        current: current.id().to_owned(),
        next,
        first_page: cursor.is_none(),
        first_href,
        types: super::card_type_choices(&p, lang),
        offices: office_choices(&p, lang),
        permit_type: pt,
        office: of,
        query: String::new(),
        results: None,
        zone: p.doc().meta.time_zone.clone(),
        page,
    })
}

async fn queue(
    PageLang(lang): PageLang,
    State(app): State<App>,
    SignedIn(account): SignedIn,
    Query(q): Query<QueueQuery>,
) -> Response {
    if let Some(r) = staff_only(lang, &account) {
        return r;
    }
    match with_store!(&app.store, s => build(s, &app, lang, &account, &q).await) {
        Ok(t) => render(StatusCode::OK, &t),
        Err(e) => error_page(lang, e),
    }
}

#[derive(Deserialize)]
struct SearchForm {
    #[serde(default)]
    query: String,
}

/// The search: an application number opens the case; anything else is read as a passport
/// number and lists that passport's applications; nothing found re-shows the form with a
/// message. A POST, so that no passport number lands in a URL or a log.
async fn search(
    PageLang(lang): PageLang,
    State(app): State<App>,
    SignedIn(account): SignedIn,
    Form(f): Form<SearchForm>,
) -> Response {
    if let Some(r) = staff_only(lang, &account) {
        return r;
    }
    let typed = f.query.trim().to_owned();
    let result = with_store!(&app.store, s => {
        async {
            let mut t = build(s, &app, lang, &account, &QueueQuery::default()).await?;
            t.query.clone_from(&typed);
            if typed.is_empty() {
                let message = t.page.t("search-required");
                t.page.add_error("query", message);
                return Ok::<_, ApiError>(Err(t));
            }
            if let Ok(n) = CaseNumber::parse(&typed)
                && crate::cases::by_number(s, &app, &account, &typed).await.is_ok()
            {
                return Ok(Ok(n.compact()));
            }
            let found = crate::cases::within_reach(
                &app,
                &account,
                s.cases_by_passport(&s.passport_lookup(&typed)).await?,
            );
            if found.is_empty() {
                let message = t.page.t("search-not-found");
                t.page.add_error("query", message);
            } else {
                let users = s.users().await?;
                t.results = Some(rows(lang, &app.policy(), &users, &found, app.now()));
            }
            Ok(Err(t))
        }
        .await
    });
    match result {
        Ok(Ok(number)) => see_other(lang, &format!("/staff/cases/{number}")),
        Ok(Err(t)) => {
            let status = if t.page.errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            render(status, &t)
        }
        Err(e) => error_page(lang, e),
    }
}

/// An error of the store or the rules as a page: "not found" as the HTML 404 page, anything
/// else as the API answers it.
pub fn error_page(lang: Lang, e: ApiError) -> Response {
    if e.status == StatusCode::NOT_FOUND {
        super::not_found_in(lang)
    } else {
        e.in_language(lang).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_beyond_the_limit_read_as_more_than_it() {
        assert_eq!(tab_count(Lang::En, 0), "0");
        assert_eq!(tab_count(Lang::En, COUNT_LIMIT), "1,000");
        assert_eq!(tab_count(Lang::En, COUNT_LIMIT + 1), "1,000+");
        assert_eq!(tab_count(Lang::Ru, COUNT_LIMIT + 1), "1\u{a0}000+");
        assert_eq!(queue_count(Lang::En, 1), "1 case");
        assert_eq!(queue_count(Lang::En, COUNT_LIMIT), "1000 cases");
        assert_eq!(
            queue_count(Lang::En, COUNT_LIMIT + 1),
            "More than 1,000 cases"
        );
        assert_eq!(
            queue_count(Lang::Ru, COUNT_LIMIT + 1),
            "Более 1\u{a0}000 дел"
        );
        assert_eq!(
            queue_count(Lang::Kk, COUNT_LIMIT + 1),
            "1\u{a0}000-нан астам іс"
        );
        assert_eq!(queue_count(Lang::Zh, COUNT_LIMIT + 1), "超过 1,000 件");
    }
}
