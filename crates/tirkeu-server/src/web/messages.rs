//! The administrator's "Messages" page: how many messages wait to be sent and how many
//! failed, the failed ones newest first in keyset pages, and "send again" after a page that
//! asks (the revoke-key pattern). Another door to the admin API's messages: both go through
//! [`crate::messages`]. No personal data is shown (see there); the mail server's last reply
//! is printed as text, escaped like every value of a template.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use tirkeu_core::text::Lang;
use tirkeu_store::OutboxCounts;

use super::admin::{Admin, Done, failed};
use super::{Page, PageLang, local_time, not_found_in, render, see_other};
use crate::i18n;
use crate::messages::{self, Failed, FailedCursor};
use crate::routing::{Router, get};
use crate::state::App;

pub fn routes() -> Router {
    Router::new()
        .route("/{lang}/admin/messages", get(list))
        .route(
            "/{lang}/admin/messages/{id}/resend",
            get(resend_form).post(resend),
        )
}

/// A failed message as the pages show it.
struct Row {
    id: String,
    kind: String,
    /// The case's number, or `None` when the message is about no case.
    case: Option<String>,
    attempts: i64,
    failed: String,
    error: Option<String>,
    resend_href: String,
}

/// The name of an outbox kind in `lang`; a kind this version does not know, as stored.
fn kind_name(lang: Lang, kind: &str) -> String {
    messages::kind_message_id(kind).map_or_else(|| kind.to_owned(), |id| i18n::text(lang, &id))
}

fn row(app: &App, lang: Lang, m: Failed) -> Row {
    let tz = app.policy().time_zone().clone();
    Row {
        id: m.entry.id.to_string(),
        kind: kind_name(lang, &m.entry.kind),
        case: m.case_number.map(|n| n.to_string()),
        attempts: m.entry.attempts,
        failed: m
            .entry
            .finished_at
            .map(|t| local_time(&tz, t))
            .unwrap_or_default(),
        error: m.entry.last_error.filter(|e| !e.trim().is_empty()),
        resend_href: format!("/{}/admin/messages/{}/resend", lang.code(), m.entry.id),
    }
}

#[derive(Template)]
#[template(path = "admin/messages.html")]
struct ListPage {
    page: Page,
    counts: OutboxCounts,
    rows: Vec<Row>,
    first_page: bool,
    first_href: String,
    next: Option<String>,
    zone: String,
    notice: Option<String>,
}

#[derive(Deserialize, Default)]
struct Position {
    cursor: Option<String>,
}

async fn list(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    Query(at): Query<Position>,
    Query(done): Query<Done>,
) -> Response {
    // A cursor that does not read is the first page, as in the workqueues.
    let after = at.cursor.as_deref().and_then(FailedCursor::decode);
    let page = match messages::failed(&app, after, messages::PAGE_SIZE).await {
        Ok(p) => p,
        Err(e) => return failed(lang, e),
    };
    let first_href = format!("/{}/admin/messages", lang.code());
    render(
        StatusCode::OK,
        &ListPage {
            page: me.page(lang, "/admin/messages", "admin-messages-title"),
            counts: page.counts,
            rows: page.items.into_iter().map(|m| row(&app, lang, m)).collect(),
            first_page: after.is_none(),
            next: page
                .next
                .map(|c| format!("{first_href}?cursor={}", c.encode())),
            first_href,
            zone: app.policy().doc().meta.time_zone.clone(),
            notice: done.notice(&["resent"]),
        },
    )
}

#[derive(Template)]
#[template(path = "admin/resend.html")]
struct ResendPage {
    page: Page,
    message: Row,
    action: String,
}

/// The failed message `id` of the path; the 404 page for an unknown one, the list for one
/// that is no longer failed (sent again meanwhile).
async fn failed_message(app: &App, lang: Lang, id: &str) -> Result<Failed, Response> {
    let id = id.parse::<i64>().map_err(|_| not_found_in(lang))?;
    let m = messages::message(app, id)
        .await
        .map_err(|e| failed(lang, e))?;
    if m.entry.outcome.as_deref() == Some("failed") {
        Ok(m)
    } else {
        Err(see_other(lang, "/admin/messages"))
    }
}

async fn resend_form(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let m = match failed_message(&app, lang, &id).await {
        Ok(m) => m,
        Err(r) => return r,
    };
    let id = m.entry.id;
    let mut page = me.page(
        lang,
        &format!("/admin/messages/{id}/resend"),
        "admin-resend-title",
    );
    page.title = page.t_with("admin-resend-title", "id", &id.to_string());
    let message = row(&app, lang, m);
    render(
        StatusCode::OK,
        &ResendPage {
            page,
            action: message.resend_href.clone(),
            message,
        },
    )
}

async fn resend(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let m = match failed_message(&app, lang, &id).await {
        Ok(m) => m,
        // Sent again meanwhile (by another administrator, or a second click): the list.
        Err(r) => return r,
    };
    match messages::resend(&app, m.entry.id, &me.0).await {
        // Not found now: sent again between the read and the change, the same outcome.
        Err(e) if e.status != StatusCode::NOT_FOUND => failed(lang, e),
        _ => see_other(lang, "/admin/messages?done=resent"),
    }
}
