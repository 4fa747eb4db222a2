//! Signing in and out (staff and hosts), and the landing page after signing in, through the
//! same `auth::sign_in` as the API; the session cookie is `HttpOnly` and `SameSite=Lax`.

use askama::Template;
use axum::extract::{Form, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tirkeu_core::problem::FieldProblem;
use tirkeu_store::AccountRole;

use super::{Page, PageLang, render, see_other};
use crate::auth::{self, Account};
use crate::routing::{Router, get, post};
use crate::state::App;

pub fn routes() -> Router {
    Router::new()
        .route("/{lang}/sign-in", get(form).post(sign_in))
        .route("/{lang}/sign-out", post(sign_out))
}

/// A signed-in account on a page; without one, the answer is a redirect to the sign-in page
/// (never a JSON 401).
pub struct SignedIn(pub Account);

impl FromRequestParts<App> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let lang = PageLang::from_request_parts(parts, app).await?.0;
        Account::from_request_parts(parts, app)
            .await
            .map(SignedIn)
            .map_err(|_| see_other(lang, "/sign-in"))
    }
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
    match auth::sign_in(&app, client, &f.username, &f.password).await {
        Ok((user, token, _)) => {
            let mut res = see_other(lang, home_of(user.role));
            if let Ok(v) = auth::session_cookie(&app, &token).parse() {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(e) if e.status == StatusCode::UNAUTHORIZED => {
            let mut page = page;
            let message = page.t("staff-failed");
            page.add_error("username", message);
            again(page, e.status)
        }
        Err(e) => e.into_response(),
    }
}

async fn sign_out(
    PageLang(lang): PageLang,
    State(app): State<App>,
    account: Result<SignedIn, Response>,
) -> Response {
    let mut res = see_other(lang, "/");
    if let Ok(SignedIn(a)) = account
        && let Ok(cookie) = auth::sign_out(&app, &a.token).await
        && let Ok(v) = cookie.parse()
    {
        tracing::info!(account = a.user.id, "signed out");
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
