//! The status page (the receipt's QR code opens it with the number filled in): the number and
//! the passport number are posted, never put in the URL, and checked by the same lookup as
//! the API's, with its rate limits and its one answer for every kind of "not found".

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tirkeu_core::problem::FieldProblem;

use super::{Page, PageLang, render};
use crate::api::applicant::lookup;
use crate::edge::ClientAddr;
use crate::paths::STATUS_PAGE_PATH;
use crate::routing::{Router, get};
use crate::state::App;
use crate::texts;

pub fn routes() -> Router {
    Router::new().route(
        &format!("/{{lang}}{STATUS_PAGE_PATH}"),
        get(form).post(check),
    )
}

#[derive(Template)]
#[template(path = "applicant/status.html")]
struct StatusForm {
    page: Page,
    number: String,
}

#[derive(Template)]
#[template(path = "applicant/status_result.html")]
struct StatusResult {
    page: Page,
    state_text: String,
    updated: String,
    next_step: String,
}

#[derive(Deserialize)]
struct Prefill {
    number: Option<String>,
}

/// The form, with the number from the QR code's link when there is one.
async fn form(PageLang(lang): PageLang, Query(q): Query<Prefill>) -> Response {
    let page = Page::new(lang, STATUS_PAGE_PATH, "status-title");
    let number = q.number.unwrap_or_default();
    render(StatusCode::OK, &StatusForm { page, number })
}

#[derive(Deserialize)]
struct Lookup {
    #[serde(default)]
    number: String,
    #[serde(default)]
    passport_number: String,
}

async fn check(
    PageLang(lang): PageLang,
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    Form(f): Form<Lookup>,
) -> Response {
    let mut problems = Vec::new();
    for (name, value) in [
        ("number", &f.number),
        ("passport_number", &f.passport_number),
    ] {
        if value.trim().is_empty() {
            problems.push(FieldProblem::new(name, "field.required"));
        }
    }
    let again = |page: Page| {
        render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &StatusForm {
                page,
                number: f.number.clone(),
            },
        )
    };
    let page = Page::new(lang, STATUS_PAGE_PATH, "status-title");
    if !problems.is_empty() {
        return again(page.with_problems(&problems));
    }
    match lookup(&app, client, &f.number, &f.passport_number).await {
        Ok((number, row)) => {
            let mut page = Page::new(lang, STATUS_PAGE_PATH, "status-result-title");
            page.title = page.t_with("status-result-title", "number", &number.to_string());
            render(
                StatusCode::OK,
                &StatusResult {
                    state_text: page.t(&format!("state-{}", row.state)),
                    updated: super::local_time(app.policy().time_zone(), row.updated_at),
                    next_step: texts::next_step(row.state, lang).to_owned(),
                    page,
                },
            )
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            let mut page = page;
            let message = page.t("status-not-found");
            page.add_error("number", message);
            again(page)
        }
        Err(e) if e.status == StatusCode::TOO_MANY_REQUESTS => {
            let mut page = page;
            let seconds = e
                .params
                .iter()
                .find(|(k, _)| *k == "seconds")
                .map_or_else(String::new, |(_, v)| v.clone());
            let message =
                crate::i18n::text_with(lang, "error-request-rate_limited", &[("seconds", seconds)]);
            page.add_error("number", message);
            let mut res = again(page);
            *res.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            res
        }
        Err(e) => e.into_response(),
    }
}
