//! "My application": the application number and the access code open the applicant's own
//! application from any device (the draft cookie then remembers them), as the API opens it
//! (`auth::applicant_case`: an unknown number and a wrong code are the same "not found").
//! It shows the status in plain words, what comes next and the checklist; when information
//! is requested, what was asked for and a form to upload documents and send the answer
//! (`respond`); withdrawing, after a page that asks; and the receipt. Every action goes
//! through the same `applicant_action` (`case::decide`) as the API.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Form, Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::PrivateCookieJar;
use tirkeu_core::lifecycle::{Action, Role, State as CaseState, available_actions};
use tirkeu_core::number::CaseNumber;
use tirkeu_core::problem::FieldProblem;
use tirkeu_core::text::Lang;
use tirkeu_store::{Application, with_store};

use super::apply::{
    Uploaded, action_problems, documents_of, kinds, stored_case, upload_for, uploaded_list,
};
use super::draft::Draft;
use super::forms::{Fields, problems_of};
use super::{Choice, Page, PageLang, render, see_other, status_for};
use crate::api::applicant::{ChecklistStatus, applicant_action};
use crate::auth::applicant_case;
use crate::error::ApiError;
use crate::routing::{Router, get, post};
use crate::state::App;
use crate::texts;

pub fn routes() -> Router {
    Router::new()
        .route("/{lang}/application", get(show).post(open))
        .route(
            "/{lang}/application/documents",
            post(upload)
                .layer(DefaultBodyLimit::max(crate::UPLOAD_LIMIT))
                .layer(axum::middleware::from_fn(crate::close_after_refusal)),
        )
        .route("/{lang}/application/respond", post(respond))
        .route(
            "/{lang}/application/withdraw",
            get(withdraw_page).post(withdraw),
        )
        .route("/{lang}/application/forget", post(forget))
}

#[derive(Template)]
#[template(path = "applicant/application_open.html")]
struct OpenForm {
    page: Page,
    number: String,
}

#[derive(Template)]
#[template(path = "applicant/application.html")]
struct Own {
    page: Page,
    state_text: String,
    next_step: String,
    type_name: String,
    office: String,
    updated: String,
    reason: Option<String>,
    checklist: Vec<ChecklistStatus>,
    uploaded: Vec<Uploaded>,
    kinds: Vec<Choice>,
    action: String,
    is_draft: bool,
    can: Can,
}

/// What the applicant may do now.
struct Can {
    /// Add documents (information was requested).
    upload: bool,
    withdraw: bool,
    respond: bool,
}

fn open_form(lang: Lang, number: String, problems: &[FieldProblem]) -> Response {
    let status = status_for(problems);
    render(
        status,
        &OpenForm {
            page: Page::new(lang, "/application", "application-open-title").with_problems(problems),
            number,
        },
    )
}

async fn own_view(app: &App, lang: Lang, a: &Application, problems: &[FieldProblem]) -> Response {
    let (list, docs) = match documents_of(app, a, lang).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let p = app.policy();
    let mut page = Page::new(lang, "/application", "application-title").with_problems(problems);
    page.title = page.t_with("application-title", "number", &a.number.to_string());
    let actions = available_actions(a.state, Role::Applicant);
    let status = status_for(problems);
    render(
        status,
        &Own {
            state_text: page.t(&format!("state-{}", a.state)),
            next_step: texts::next_step(a.state, lang).to_owned(),
            type_name: p
                .permit_type(&a.permit_type)
                .map_or_else(|| a.permit_type.clone(), |t| t.name.get(lang).to_owned()),
            office: p
                .office_name(&a.office, lang)
                .unwrap_or(&a.office)
                .to_owned(),
            updated: a
                .updated_at
                .to_zoned_datetime(p.time_zone().clone())
                .strftime("%Y-%m-%d %H:%M")
                .to_string(),
            reason: (a.state == CaseState::InfoRequested)
                .then(|| a.reason.as_deref().and_then(|r| p.reason(r)))
                .flatten()
                .map(|r| r.name.get(lang).to_owned()),
            uploaded: uploaded_list(app, &docs, lang),
            kinds: kinds(&list),
            checklist: list,
            action: format!("/{}/application/documents", lang.code()),
            can: Can {
                upload: a.state == CaseState::InfoRequested,
                withdraw: actions.contains(&Action::Withdraw),
                respond: actions.contains(&Action::Respond),
            },
            is_draft: a.state == CaseState::Draft,
            page,
        },
    )
}

/// The application kept on this device, or `Err` with the answer to give without one.
async fn kept(app: &App, lang: Lang, jar: &PrivateCookieJar) -> Result<Application, Response> {
    match stored_case(app, &Draft::read(jar)).await {
        Ok(Some(a)) => Ok(a),
        Ok(None) => Err(see_other(lang, "/application")),
        Err(e) => Err(e.into_response()),
    }
}

async fn show(PageLang(lang): PageLang, State(app): State<App>, jar: PrivateCookieJar) -> Response {
    match stored_case(&app, &Draft::read(&jar)).await {
        Ok(Some(a)) => own_view(&app, lang, &a, &[]).await,
        Ok(None) => open_form(lang, String::new(), &[]),
        Err(e) => e.into_response(),
    }
}

async fn open(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    let (number, code) = (f.get("number"), f.get("access_code"));
    let mut problems = Vec::new();
    for (name, value) in [("number", number), ("access_code", code)] {
        if value.is_empty() {
            problems.push(FieldProblem::new(name, "field.required"));
        }
    }
    if !problems.is_empty() {
        return open_form(lang, number.to_owned(), &problems);
    }
    let found = with_store!(&app.store, s => applicant_case(s, number, Some(code)).await);
    match found {
        Ok(a) => {
            let draft = Draft {
                number: Some(a.number.to_string()),
                code: Some(code.to_owned()),
                ..Draft::default()
            };
            (draft.save(&app, jar), see_other(lang, "/application")).into_response()
        }
        Err(e) if e.status == StatusCode::NOT_FOUND => {
            let mut page = Page::new(lang, "/application", "application-open-title");
            let message = page.t("application-not-found");
            page.add_error("number", message);
            // The number as typed, normalised when it reads as one.
            let shown =
                CaseNumber::parse(number).map_or_else(|_| number.to_owned(), |n| n.to_string());
            render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &OpenForm {
                    page,
                    number: shown,
                },
            )
        }
        Err(e) => e.into_response(),
    }
}

async fn upload(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
    multipart: Multipart,
) -> Response {
    let a = match kept(&app, lang, &jar).await {
        Ok(a) => a,
        Err(res) => return res,
    };
    match upload_for(&app, &a, multipart).await {
        Ok(()) => see_other(lang, "/application"),
        Err(e) => match problems_of(&e, "file") {
            Some(problems) => own_view(&app, lang, &a, &problems).await,
            None => e.into_response(),
        },
    }
}

/// Runs the applicant's `action` on the kept application; problems are shown on its page.
async fn act(
    app: &App,
    lang: Lang,
    jar: &PrivateCookieJar,
    action: Action,
    field: &str,
) -> Response {
    let draft = Draft::read(jar);
    let Some((number, code)) = draft.stored() else {
        return see_other(lang, "/application");
    };
    let done: Result<Application, ApiError> =
        with_store!(&app.store, s => applicant_action(app, s, number, Some(code), action).await);
    match done {
        Ok(_) => see_other(lang, "/application"),
        Err(e) => match action_problems(app, &e, field, lang) {
            Some(problems) => match kept(app, lang, jar).await {
                Ok(a) => own_view(app, lang, &a, &problems).await,
                Err(res) => res,
            },
            None if e.status == StatusCode::NOT_FOUND => see_other(lang, "/application"),
            None => e.into_response(),
        },
    }
}

async fn respond(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
) -> Response {
    act(&app, lang, &jar, Action::Respond, "file").await
}

#[derive(Template)]
#[template(path = "applicant/application_withdraw.html")]
struct WithdrawPage {
    page: Page,
    number: String,
}

async fn withdraw_page(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
) -> Response {
    match kept(&app, lang, &jar).await {
        Ok(a) => render(
            StatusCode::OK,
            &WithdrawPage {
                page: Page::new(lang, "/application/withdraw", "application-withdraw-title"),
                number: a.number.to_string(),
            },
        ),
        Err(res) => res,
    }
}

async fn withdraw(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
) -> Response {
    act(&app, lang, &jar, Action::Withdraw, "withdraw").await
}

/// Forgets the application on this device (a shared computer); the number and the code
/// open it again.
async fn forget(
    PageLang(lang): PageLang,
    State(app): State<App>,
    jar: PrivateCookieJar,
) -> Response {
    (Draft::clear(&app, jar), see_other(lang, "/application")).into_response()
}
