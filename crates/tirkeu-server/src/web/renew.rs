//! Renewing a card (`/{lang}/renew`, where the expiry reminder links): a new application of
//! the same card type with the previous case's personal data, contact details and address.
//!
//! The applicant proves they hold the previous case as "my application" does: its number and
//! access code, posted (never in the URL) and checked by `auth::applicant_case`, so a wrong
//! number and a wrong code get the same "not found"; each try counts against the status
//! lookup's limits (`count_lookup`: per client and per number). Only a case whose card was
//! issued, or has expired, is renewed.
//!
//! The new draft is made the way the apply flow makes one: the previous case becomes the
//! flow's answers (the draft cookie, [`Draft::renewal_of`]) and `create_draft` stores them,
//! as the contact page does; the flow then goes on at the documents, as for a fresh draft.
//! Answers the rules no longer accept (a passport that has expired since) are shown on the
//! flow's page of that question, kept, to be corrected ([`apply::answers_refused`]).
//!
//! A case whose personal data were purged after it closed (retention) has nothing left to
//! copy, and no access code left to check (purging erases its hash). Its number alone —
//! unguessable, and rate-limited here — then gets the answer that the data are gone, which
//! says nothing about anyone; the applicant learns why, rather than a puzzling "not found".

use askama::Template;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::PrivateCookieJar;
use tirkeu_core::lifecycle::State as CaseState;
use tirkeu_core::number::CaseNumber;
use tirkeu_core::problem::FieldProblem;
use tirkeu_store::{Application, Store, StoreError, with_store};

use super::apply;
use super::draft::Draft;
use super::forms::{Fields, problems_of};
use super::{Page, PageLang, render, see_other};
use crate::api::applicant::{count_lookup, create_draft};
use crate::auth::applicant_case;
use crate::edge::ClientAddr;
use crate::error::ApiError;
use crate::i18n;
use crate::paths::RENEW_PAGE_PATH;
use crate::routing::{Router, get};
use crate::state::App;

pub fn routes() -> Router {
    Router::new().route(
        &format!("/{{lang}}{RENEW_PAGE_PATH}"),
        get(form).post(renew),
    )
}

#[derive(Template)]
#[template(path = "applicant/renew.html")]
struct RenewForm {
    page: Page,
    number: String,
    /// The number of an application this browser keeps (renewing puts the new one in its
    /// place).
    kept: Option<String>,
    /// The previous case cannot be renewed: the way to apply from the start is offered.
    refused: bool,
}

async fn form(PageLang(lang): PageLang, jar: PrivateCookieJar) -> Response {
    let form = RenewForm {
        page: Page::new(lang, RENEW_PAGE_PATH, "renew-title"),
        number: String::new(),
        kept: Draft::read(&jar).number,
        refused: false,
    };
    render(StatusCode::OK, &form)
}

/// Why the previous case gives no renewal.
enum Refusal {
    /// The number and code match no case (or the number reads as none).
    NotFound,
    /// The case's personal data were purged.
    Purged(CaseNumber),
    /// The case is in a state whose card cannot be renewed.
    State(CaseNumber, CaseState),
}

/// The previous case of a renewal: the one `number` and `code` open, or why there is none.
async fn previous(
    app: &App,
    number: &str,
    code: &str,
) -> Result<Result<Application, Refusal>, ApiError> {
    let opened = with_store!(&app.store, s => applicant_case(s, number, Some(code)).await);
    let a = match opened {
        Ok(a) => a,
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            return Ok(Err(purged(app, number)
                .await?
                .map_or(Refusal::NotFound, Refusal::Purged)));
        }
        Err(e) => return Err(e),
    };
    Ok(if a.purged_at.is_some() {
        Err(Refusal::Purged(a.number))
    } else if matches!(a.state, CaseState::Issued | CaseState::Expired) {
        Ok(a)
    } else {
        Err(Refusal::State(a.number, a.state))
    })
}

/// The number `number`, if it is that of a case whose personal data were purged.
async fn purged(app: &App, number: &str) -> Result<Option<CaseNumber>, ApiError> {
    let Ok(n) = CaseNumber::parse(number) else {
        return Ok(None);
    };
    match with_store!(&app.store, s => s.application_by_number(&n).await) {
        Ok(a) => Ok(a.purged_at.is_some().then_some(a.number)),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

async fn renew(
    PageLang(lang): PageLang,
    State(app): State<App>,
    ClientAddr(client): ClientAddr,
    jar: PrivateCookieJar,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let (number, code) = (f.get("number"), f.get("access_code"));
    // The number as typed, normalised when it reads as one.
    let shown = CaseNumber::parse(number).map_or_else(|_| number.to_owned(), |n| n.to_string());
    let again = |status: StatusCode, page: Page, refused: bool| {
        let form = RenewForm {
            page,
            number: shown.clone(),
            kept: Draft::read(&jar).number,
            refused,
        };
        render(status, &form)
    };
    let mut page = Page::new(lang, RENEW_PAGE_PATH, "renew-title");
    let missing: Vec<FieldProblem> = [("number", number), ("access_code", code)]
        .into_iter()
        .filter(|(_, v)| v.is_empty())
        .map(|(name, _)| FieldProblem::new(name, "field.required"))
        .collect();
    if !missing.is_empty() {
        return again(
            StatusCode::UNPROCESSABLE_ENTITY,
            page.with_problems(&missing),
            false,
        );
    }
    let attempt = match count_lookup(&app, client, number) {
        Ok((_, attempt)) => app.limits.status_shared_check(attempt, client).await,
        Err(e) => Err(e),
    };
    let attempt = match attempt {
        Ok(attempt) => attempt,
        Err(e) => {
            return match problems_of(&e, "number") {
                Some(problems) => again(e.status, page.with_problems(&problems), false),
                None => e.into_response(),
            };
        }
    };
    let a = match previous(&app, number, code).await {
        Ok(Ok(a)) => {
            app.limits.status_found(&attempt);
            a
        }
        Ok(Err(refusal)) => {
            if let Err(e) = app.limits.status_failed(attempt).await {
                return e.into_response();
            }
            let (status, message) = match refusal {
                Refusal::NotFound => (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    page.t("application-not-found"),
                ),
                Refusal::Purged(n) => (
                    StatusCode::GONE,
                    page.t_with("renew-purged", "number", &n.to_string()),
                ),
                Refusal::State(n, state) => (
                    StatusCode::CONFLICT,
                    i18n::text_with(
                        lang,
                        "renew-not-renewable",
                        &[
                            ("number", n.to_string()),
                            ("state", page.t(&format!("state-{state}"))),
                        ],
                    ),
                ),
            };
            page.add_error("number", message);
            return again(status, page, status != StatusCode::UNPROCESSABLE_ENTITY);
        }
        Err(e) => return e.into_response(),
    };
    let mut draft = Draft::renewal_of(&a);
    match create_draft(&app, client, &draft.request(lang.code())).await {
        Ok((created, code)) => {
            draft.number = Some(created.number.to_string());
            draft.code = Some(code);
            (draft.save(&app, jar), see_other(lang, "/apply/documents")).into_response()
        }
        Err(e) => match problems_of(&e, "number") {
            Some(problems) => apply::answers_refused(&app, lang, jar, &draft, &problems),
            None => e.into_response(),
        },
    }
}
