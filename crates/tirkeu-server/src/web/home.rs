//! The start page: who the service is for, and its three doors.

use askama::Template;
use axum::http::StatusCode;
use axum::response::Response;

use super::{Page, PageLang, render};
use crate::routing::{Router, get};

pub fn routes() -> Router {
    Router::new().route("/{lang}/", get(home))
}

#[derive(Template)]
#[template(path = "applicant/home.html")]
struct Home {
    page: Page,
}

async fn home(PageLang(lang): PageLang) -> Response {
    render(
        StatusCode::OK,
        &Home {
            page: Page::new(lang, "/", "home-title"),
        },
    )
}
