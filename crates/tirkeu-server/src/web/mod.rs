//! The web UI: server-rendered pages in Kazakh, Russian, English and Chinese, on the same
//! origin as the API.
//!
//! Why it is built this way:
//! - **One door among several.** Handlers here are as thin as the API's: they parse a form into
//!   core types, call the same core and store functions (`case::decide`, `auth::sign_in`, the
//!   status lookup), and render an askama template. A rule needed here that the API has lives in
//!   the core or in a shared function, never in a copy.
//! - **No JavaScript needed.** Every flow is a form post and a redirect or a re-rendered page;
//!   the `Content-Security-Policy` allows scripts and styles from this origin only, never inline.
//! - **Language in the path** (`/kk/…`, `/ru/…`, `/en/…`, `/zh/…`); `/` picks from the
//!   remembered choice (a `lang` cookie set by every page) and then `Accept-Language`. Every
//!   text comes from `locales/*/*.ftl`, the same files as the API's errors.
//! - **Errors re-show the form**: an error summary at the top linking to each field, the
//!   message at the field, the title prefixed "Error:", the answers kept (the GOV.UK pattern).
//! - **CSRF**: every state-changing request passes tower-http's `CsrfLayer` (Sec-Fetch-Site /
//!   Origin, as Go 1.25 does); session cookies are also `SameSite=Lax`.

mod admin;
mod application;
mod apply;
mod case;
mod draft;
mod eligibility;
mod forms;
mod home;
mod host;
mod messages;
mod queue;
mod renew;
mod staff;
mod stats;
mod status;

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use tirkeu_core::problem::FieldProblem;
use tirkeu_core::text::Lang;

use crate::i18n;
use crate::routing::{Router, get};
use crate::state::App;

/// The policy every page is served with: this origin only, no inline script or style, no
/// framing, forms post only here.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
    form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// The cookie that remembers the language a person chose.
pub const LANG_COOKIE: &str = "lang";

/// The web routes (merged with the API's by [`crate::router`]).
pub fn routes() -> Router {
    Router::new()
        .route("/", get(root))
        .route("/static/{file}", get(static_file))
        .route("/{lang}", get(lang_root))
        .merge(home::routes())
        .merge(status::routes())
        .merge(staff::routes())
        .merge(queue::routes())
        .merge(case::routes())
        .merge(eligibility::routes())
        .merge(apply::routes())
        .merge(renew::routes())
        .merge(application::routes())
        .merge(host::routes())
        .merge(stats::routes())
        .merge(admin::routes())
        .merge(messages::routes())
        .layer(axum::middleware::from_fn(page_headers))
}

/// `/`: to the remembered language, else the one the browser asks for, else English.
async fn root(headers: HeaderMap) -> Redirect {
    let lang = remembered_lang(&headers)
        .or_else(|| i18n::request_lang(&headers))
        .unwrap_or(Lang::En);
    Redirect::to(&format!("/{}/", lang.code()))
}

/// `/{lang}` without the slash.
async fn lang_root(Path(lang): Path<String>, headers: HeaderMap) -> Response {
    match lang.parse::<Lang>() {
        Ok(l) if l.code() == lang => Redirect::permanent(&format!("/{lang}/")).into_response(),
        _ => not_found(&headers),
    }
}

fn remembered_lang(headers: &HeaderMap) -> Option<Lang> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == LANG_COOKIE)
        .and_then(|(_, v)| v.parse::<Lang>().ok())
}

/// Headers every page carries, and the remembered language when the path names one.
async fn page_headers(req: Request, next: Next) -> Response {
    let lang = req
        .uri()
        .path()
        .split('/')
        .nth(1)
        .and_then(|seg| Lang::ALL.into_iter().find(|l| l.code() == seg));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Some(l) = lang
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            l.code()
        ))
    {
        h.append(header::SET_COOKIE, v);
    }
    res
}

/// The files under `static/`, compiled into the binary so the server needs nothing beside it.
const STATIC_FILES: &[(&str, &str, &str)] = &[(
    "tirkeu.css",
    "text/css; charset=utf-8",
    include_str!("../../static/tirkeu.css"),
)];

async fn static_file(Path(file): Path<String>, headers: HeaderMap) -> Response {
    match STATIC_FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, body)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *body,
        )
            .into_response(),
        None => not_found(&headers),
    }
}

/// The language of a page, from the first segment of its path; any other segment is a 404
/// page (in the language the browser asks for).
pub struct PageLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let seg = parts.uri.path().split('/').nth(1).unwrap_or("");
        Lang::ALL
            .into_iter()
            .find(|l| l.code() == seg)
            .map(PageLang)
            .ok_or_else(|| not_found(&parts.headers))
    }
}

/// One problem as the page shows it: the field's HTML id and the message.
#[derive(Clone, Debug)]
pub struct ShownError {
    pub id: String,
    pub message: String,
}

/// One option of a set of radios: its value, label and hint.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub hint: String,
}

/// The policy's card types as choices, named and described in `lang`.
pub fn card_type_choices(p: &tirkeu_core::policy::Policy, lang: Lang) -> Vec<Choice> {
    p.doc()
        .permit_types
        .iter()
        .map(|t| Choice {
            value: t.id.clone(),
            label: t.name.get(lang).to_owned(),
            hint: t.description.get(lang).to_owned(),
        })
        .collect()
}

/// A language link of the switch.
pub struct LangLink {
    pub code: &'static str,
    pub name: &'static str,
    pub href: String,
    pub current: bool,
}

/// A language named in itself, as the language switch names it.
pub fn lang_name(l: Lang) -> &'static str {
    match l {
        Lang::Kk => "Қазақша",
        Lang::Ru => "Русский",
        Lang::En => "English",
        Lang::Zh => "中文",
    }
}

/// What the layout needs to know of every page.
pub struct Page {
    pub lang: Lang,
    /// The path after the language (`/status`), for the language switch.
    pub path: String,
    pub title: String,
    /// The problems, in the order of the form.
    pub errors: Vec<ShownError>,
    /// The message of each field with a problem, by field name.
    field_errors: BTreeMap<String, String>,
    /// The signed-in account's username, if any.
    pub signed_in: Option<String>,
    /// For staff pages: the signed-in role, which draws the back office's navigation.
    pub staff_role: Option<tirkeu_store::AccountRole>,
}

impl Page {
    /// A page at `path` (after the language) whose title is the message `title_id`.
    pub fn new(lang: Lang, path: &str, title_id: &str) -> Page {
        Page {
            lang,
            path: path.to_owned(),
            title: i18n::text(lang, title_id),
            errors: Vec::new(),
            field_errors: BTreeMap::new(),
            signed_in: None,
            staff_role: None,
        }
    }

    /// The page signed in as `account`: its name in the header and, for staff, the back
    /// office's navigation.
    #[must_use]
    pub fn signed_in_as(self, account: &crate::auth::Account) -> Page {
        self.signed_in_as_user(&account.user)
    }

    /// As [`Page::signed_in_as`], for an account's `user`.
    #[must_use]
    pub fn signed_in_as_user(mut self, user: &tirkeu_store::User) -> Page {
        self.signed_in = Some(user.username.clone());
        if user.role != tirkeu_store::AccountRole::Host {
            self.staff_role = Some(user.role);
        }
        self
    }

    /// The back office's sections this page's account may open, each `(path, message id,
    /// current)`; empty off the back office.
    pub fn staff_nav(&self) -> Vec<(&'static str, &'static str, bool)> {
        use tirkeu_store::AccountRole::{Admin, Officer, Supervisor};
        let Some(role) = self.staff_role else {
            return Vec::new();
        };
        let mut links = Vec::new();
        if matches!(role, Officer | Supervisor) {
            links.push(("/staff", "staff-nav-queues"));
        }
        links.push(("/staff/dashboard", "staff-nav-dashboard"));
        if role == Admin {
            links.push(("/admin", "staff-nav-admin"));
        }
        // The longest section that starts this page's path is the current one.
        let current = links
            .iter()
            .filter(|(p, _)| self.path == *p || self.path.starts_with(&format!("{p}/")))
            .map(|(p, _)| p.len())
            .max();
        links
            .into_iter()
            .map(|(p, id)| (p, id, Some(p.len()) == current))
            .collect()
    }

    /// The page showing `problems` (each in this page's language).
    #[must_use]
    pub fn with_problems(mut self, problems: &[FieldProblem]) -> Page {
        for p in problems {
            let message = i18n::problem(self.lang, p);
            self.add_error(&p.field, message);
        }
        self
    }

    /// Adds a message for the field `name` (the summary links to it).
    /// In the error summary the message is preceded by the field's label, so that two links
    /// saying "This field is required" can be told apart without seeing the form.
    pub fn add_error(&mut self, name: &str, message: String) {
        let summary = match field_label(name) {
            Some(label_id) => {
                let label = self.t(label_id);
                if message.starts_with(&label) {
                    message.clone()
                } else {
                    i18n::text_with(
                        self.lang,
                        "error-summary-item",
                        &[("label", label), ("message", message.clone())],
                    )
                }
            }
            None => message.clone(),
        };
        self.errors.push(ShownError {
            id: field_id(name),
            message: summary,
        });
        self.field_errors.entry(name.to_owned()).or_insert(message);
    }

    /// The message `id` in the page's language.
    pub fn t(&self, id: &str) -> String {
        i18n::text(self.lang, id)
    }

    /// The message `id` with one parameter.
    pub fn t_with(&self, id: &str, name: &str, value: &str) -> String {
        i18n::text_with(self.lang, id, &[(name, value.to_owned())])
    }

    pub fn lang_code(&self) -> &'static str {
        self.lang.code()
    }

    /// The `lang` attribute: Chinese is written in simplified characters.
    pub fn html_lang(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "zh-Hans",
            other => other.code(),
        }
    }

    /// The language switch: this page in every language, each named in itself.
    pub fn languages(&self) -> Vec<LangLink> {
        Lang::ALL
            .into_iter()
            .map(|l| LangLink {
                code: l.code(),
                name: lang_name(l),
                href: format!("/{}{}", l.code(), self.path),
                current: l == self.lang,
            })
            .collect()
    }

    /// The HTML id of the field `name` (`applicant.surname` → `f-applicant-surname`).
    pub fn field_id(&self, name: &str) -> String {
        field_id(name)
    }

    /// The message for the field `name`, if it has a problem.
    pub fn error_for(&self, name: &str) -> Option<&str> {
        self.field_errors.get(name).map(String::as_str)
    }
}

/// The label (message id) of each form field, as the forms show it; a field missing here is
/// summarised by its message alone.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("access_code", "application-code"),
    ("address.city", "apply-city"),
    ("address.line", "apply-street"),
    ("applicant.birth_date", "apply-birth-date"),
    ("applicant.given_names", "apply-given-names"),
    ("applicant.mrz", "apply-mrz"),
    ("applicant.nationality", "apply-nationality"),
    ("applicant.passport_expiry", "apply-expiry"),
    ("applicant.passport_number", "apply-passport-number"),
    ("applicant.sex", "apply-sex"),
    ("applicant.surname", "apply-surname"),
    ("contact.email", "apply-email"),
    ("contact.phone", "apply-phone"),
    ("email", "admin-email"),
    ("host_kind", "admin-host-kind"),
    ("label", "admin-key-label"),
    ("language", "admin-language"),
    ("nationality", "eligibility-nationality"),
    ("number", "status-number"),
    ("office", "admin-office"),
    ("passport_number", "status-passport"),
    ("password", "staff-password"),
    ("permit_type", "apply-type-legend"),
    ("planned_until", "eligibility-planned"),
    ("purpose", "eligibility-purpose"),
    ("role", "admin-role"),
    ("username", "staff-username"),
];

fn field_label(name: &str) -> Option<&'static str> {
    FIELD_LABELS
        .iter()
        .find(|(field, _)| *field == name)
        .map(|(_, id)| *id)
}

fn field_id(name: &str) -> String {
    let mut id = String::from("f-");
    id.extend(name.chars().map(|c| {
        if c.is_ascii_alphanumeric() || c == '_' {
            c
        } else {
            '-'
        }
    }));
    id
}

/// 200 for a page without problems, 422 for a form shown again with them.
pub fn status_for(problems: &[FieldProblem]) -> StatusCode {
    if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    }
}

/// A rendered page with `status`.
pub fn render<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => crate::error::ApiError::internal(&e).into_response(),
    }
}

#[derive(Template)]
#[template(path = "layout/not_found.html")]
struct NotFound {
    page: Page,
}

/// The 404 page, in the language the browser asks for.
pub fn not_found(headers: &HeaderMap) -> Response {
    let lang = remembered_lang(headers)
        .or_else(|| i18n::request_lang(headers))
        .unwrap_or(Lang::En);
    not_found_in(lang)
}

/// The 404 page in `lang` (a page of that language that names nothing there).
pub fn not_found_in(lang: Lang) -> Response {
    let page = Page::new(lang, "/", "not-found-title");
    render(StatusCode::NOT_FOUND, &NotFound { page })
}

/// An instant as the authority's local date and time, the way pages show it
/// (`2026-12-07 18:00`).
pub fn local_time(tz: &TimeZone, t: Timestamp) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// A 303 to `path` under the page's language (after a form post).
pub fn see_other(lang: Lang, path: &str) -> Response {
    Redirect::to(&format!("/{}{path}", lang.code())).into_response()
}

/// The app state, for handlers that need only the extractor.
pub type AppState = State<App>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_ids_are_html_ids() {
        assert_eq!(
            field_id("applicant.mrz.birth_date"),
            "f-applicant-mrz-birth_date"
        );
        assert_eq!(field_id("stays[2].exit"), "f-stays-2--exit");
    }

    #[test]
    fn every_field_label_is_a_message() {
        for (_, id) in FIELD_LABELS {
            assert!(i18n::has(id), "{id}");
        }
        let mut p = Page::new(Lang::En, "/status", "status-title");
        p.add_error("number", "This field is required.".into());
        assert_eq!(
            p.errors[0].message,
            "Application number: This field is required."
        );
        assert_eq!(p.error_for("number"), Some("This field is required."));
    }

    #[test]
    fn pages_switch_language_in_place() {
        let p = Page::new(Lang::Kk, "/status", "status-title");
        let links = p.languages();
        assert_eq!(links.len(), 4);
        assert_eq!(links[3].href, "/zh/status");
        assert!(links[0].current && !links[1].current);
        assert_eq!(p.html_lang(), "kk");
        assert_eq!(
            Page::new(Lang::Zh, "/", "home-title").html_lang(),
            "zh-Hans"
        );
    }
}
