//! Signing in and out (staff and hosts), the second factor (the code step after the password,
//! and setting one up), through the same `auth` functions as the API; the session cookie is
//! `HttpOnly` and `SameSite=Lax`.

use askama::Template;
use axum::extract::{Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tirkeu_core::problem::FieldProblem;
use tirkeu_store::{AccountRole, SessionScope};

use super::{Page, PageLang, render, see_other};
use crate::auth::{self, Account};
use crate::routing::{Router, get, post};
use crate::state::App;

pub fn routes() -> Router {
    Router::new()
        .route("/{lang}/sign-in", get(form).post(sign_in))
        .route("/{lang}/sign-in/code", get(code_form).post(code))
        .route("/{lang}/second-factor", get(setup_form).post(setup))
        .route("/{lang}/sign-out", post(sign_out))
}

/// A signed-in account on a page; without one, the answer is a redirect to the sign-in page
/// (never a JSON 401), or to the step of signing in that is still due (the code, or setting
/// up the second factor).
pub struct SignedIn(pub Account);

impl FromRequestParts<App> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let lang = PageLang::from_request_parts(parts, app).await?.0;
        match auth::Signing::from_request_parts(parts, app).await {
            Ok(auth::Signing(a)) => match a.scope {
                SessionScope::Full => Ok(SignedIn(a)),
                SessionScope::Code => Err(see_other(lang, "/sign-in/code")),
                SessionScope::Enrol => Err(see_other(lang, "/second-factor")),
            },
            Err(_) => Err(see_other(lang, "/sign-in")),
        }
    }
}

/// Where a just-opened session goes next, with its cookie.
fn after_sign_in(app: &App, lang: tirkeu_core::text::Lang, o: &auth::Opened) -> Response {
    let next = match o.scope {
        SessionScope::Full => home_of(o.user.role),
        SessionScope::Code => "/sign-in/code",
        SessionScope::Enrol => "/second-factor",
    };
    with_session(see_other(lang, next), app, &o.token)
}

fn with_session(mut res: Response, app: &App, token: &str) -> Response {
    if let Ok(v) = auth::session_cookie(app, token).parse() {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Template)]
#[template(path = "staff/sign_in.html")]
struct SignInForm {
    page: Page,
    username: String,
}

async fn form(PageLang(lang): PageLang) -> Response {
    render(
        StatusCode::OK,
        &SignInForm {
            page: Page::new(lang, "/sign-in", "staff-title"),
            username: String::new(),
        },
    )
}

#[derive(Deserialize)]
struct Credentials {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

/// Where an account goes after signing in.
pub fn home_of(role: AccountRole) -> &'static str {
    match role {
        AccountRole::Host => "/host",
        AccountRole::Officer | AccountRole::Supervisor => "/staff",
        AccountRole::Admin => "/admin",
    }
}

async fn sign_in(
    PageLang(lang): PageLang,
    State(app): State<App>,
    crate::edge::ClientAddr(client): crate::edge::ClientAddr,
    Form(f): Form<Credentials>,
) -> Response {
    let mut problems = Vec::new();
    if f.username.trim().is_empty() {
        problems.push(FieldProblem::new("username", "field.required"));
    }
    if f.password.is_empty() {
        problems.push(FieldProblem::new("password", "field.required"));
    }
    let again = |page: Page, status| {
        render(
            status,
            &SignInForm {
                page,
                username: f.username.clone(),
            },
        )
    };
    let page = Page::new(lang, "/sign-in", "staff-title");
    if !problems.is_empty() {
        return again(
            page.with_problems(&problems),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    match auth::sign_in(&app, client, &f.username, &f.password, None).await {
        Ok(o) => after_sign_in(&app, lang, &o),
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            let mut page = page;
            let message = page.t("staff-failed");
            page.add_error("username", message);
            again(page, e.status)
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Template)]
#[template(path = "staff/sign_in_code.html")]
struct CodeForm {
    page: Page,
}

#[derive(Deserialize)]
struct CodeAnswer {
    #[serde(default)]
    code: String,
}

/// The sign-in's second step: only for a session that has passed the password.
async fn code_form(
    PageLang(lang): PageLang,
    account: Result<auth::Signing, crate::error::ApiError>,
) -> Response {
    match account {
        Ok(auth::Signing(a)) if a.scope == SessionScope::Code => render(
            StatusCode::OK,
            &CodeForm {
                page: Page::new(lang, "/sign-in/code", "code-title"),
            },
        ),
        _ => see_other(lang, "/sign-in"),
    }
}

async fn code(
    PageLang(lang): PageLang,
    State(app): State<App>,
    crate::edge::ClientAddr(client): crate::edge::ClientAddr,
    account: Result<auth::Signing, crate::error::ApiError>,
    Form(f): Form<CodeAnswer>,
) -> Response {
    let Ok(auth::Signing(a)) = account else {
        return see_other(lang, "/sign-in");
    };
    if a.scope != SessionScope::Code {
        return see_other(lang, "/sign-in");
    }
    let page = Page::new(lang, "/sign-in/code", "code-title");
    if f.code.trim().is_empty() {
        let page = page.with_problems(&[FieldProblem::new("code", "field.required")]);
        return render(StatusCode::UNPROCESSABLE_ENTITY, &CodeForm { page });
    }
    match auth::finish_sign_in(&app, client, &a, &f.code).await {
        Ok(o) => after_sign_in(&app, lang, &o),
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            let mut page = page;
            let message = page.t("code-wrong");
            page.add_error("code", message);
            render(StatusCode::UNAUTHORIZED, &CodeForm { page })
        }
        Err(e) => e.into_response(),
    }
}

#[derive(Template)]
#[template(path = "staff/second_factor.html")]
struct SetupPage {
    page: Page,
    /// Whether the account must set it up before anything else.
    required: bool,
    /// The secret in groups, and its QR code (`data:` URL); empty once set up.
    secret: String,
    qr: String,
    /// The recovery codes, shown once after the factor is on.
    recovery_codes: Vec<String>,
    /// Where to go on after the recovery codes.
    home: &'static str,
    /// The account already has a second factor.
    done: bool,
}

impl SetupPage {
    fn new(page: Page, account: &Account) -> SetupPage {
        SetupPage {
            page,
            required: account.scope == SessionScope::Enrol,
            secret: String::new(),
            qr: String::new(),
            recovery_codes: Vec::new(),
            home: home_of(account.user.role),
            done: account.user.has_second_factor(),
        }
    }

    fn showing(mut self, setup: &auth::Setup) -> SetupPage {
        self.secret = crate::second_factor::grouped(&setup.secret);
        self.qr = crate::second_factor::qr_data_url(&setup.otpauth_url).unwrap_or_default();
        self
    }
}

/// The account of a page that sets up the second factor: an `enrol` session (an account that
/// must have one) or a full one (an officer who may); a `code` session finishes signing in
/// first (the `Err` is where to go instead).
fn setting_up(
    lang: tirkeu_core::text::Lang,
    account: Result<auth::Signing, crate::error::ApiError>,
) -> Result<(Account, Page), &'static str> {
    let a = match account {
        Ok(auth::Signing(a)) if a.scope != SessionScope::Code => a,
        Ok(_) => return Err("/sign-in/code"),
        Err(_) => return Err("/sign-in"),
    };
    // Hosts sign in without one (their systems use API keys): back to their pages.
    if !crate::second_factor::offered(a.user.role) {
        return Err(home_of(a.user.role));
    }
    let page = Page::new(lang, "/second-factor", "setup-title");
    let page = if a.scope == SessionScope::Full {
        page.signed_in_as(&a)
    } else {
        page
    };
    Ok((a, page))
}

async fn setup_form(
    PageLang(lang): PageLang,
    State(app): State<App>,
    account: Result<auth::Signing, crate::error::ApiError>,
) -> Response {
    let (a, page) = match setting_up(lang, account) {
        Ok(x) => x,
        Err(to) => return see_other(lang, to),
    };
    let shown = SetupPage::new(page, &a);
    if shown.done {
        return render(StatusCode::OK, &shown);
    }
    match auth::begin_setup(&app, &a, false).await {
        Ok(setup) => render(StatusCode::OK, &shown.showing(&setup)),
        Err(e) => e.into_response(),
    }
}

async fn setup(
    PageLang(lang): PageLang,
    State(app): State<App>,
    crate::edge::ClientAddr(client): crate::edge::ClientAddr,
    account: Result<auth::Signing, crate::error::ApiError>,
    Form(f): Form<CodeAnswer>,
) -> Response {
    let (a, page) = match setting_up(lang, account) {
        Ok(x) => x,
        Err(to) => return see_other(lang, to),
    };
    let shown = SetupPage::new(page, &a);
    if shown.done {
        return render(StatusCode::OK, &shown);
    }
    let page = shown.page;
    let problem = if f.code.trim().is_empty() {
        FieldProblem::new("code", "field.required")
    } else {
        match auth::confirm_setup(&app, client, &a, &f.code).await {
            Ok((o, codes)) => {
                let mut shown = SetupPage::new(page.signed_in_as_user(&o.user), &a);
                shown.required = false;
                shown.recovery_codes = codes;
                shown.done = true;
                return with_session(render(StatusCode::OK, &shown), &app, &o.token);
            }
            Err(e) if e.status == StatusCode::UNPROCESSABLE_ENTITY => {
                FieldProblem::new("code", "auth.code_wrong")
            }
            Err(e) => return e.into_response(),
        }
    };
    // The same secret again, with the message: the person may have typed a code a moment
    // too late or mistyped it, and their app already holds this secret.
    match auth::begin_setup(&app, &a, true).await {
        Ok(setup) => render(
            StatusCode::UNPROCESSABLE_ENTITY,
            &SetupPage::new(page.with_problems(&[problem]), &a).showing(&setup),
        ),
        Err(e) => e.into_response(),
    }
}

async fn sign_out(
    PageLang(lang): PageLang,
    State(app): State<App>,
    account: Result<auth::Signing, crate::error::ApiError>,
) -> Response {
    let mut res = see_other(lang, "/");
    if let Ok(auth::Signing(a)) = account
        && let Ok(cookie) = auth::sign_out(&app, &a.token).await
        && let Ok(v) = cookie.parse()
    {
        tracing::info!(account = a.user.id, "signed out");
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
