//! The administrator's pages: the administration's start, accounts (create, disable, enable),
//! a host's API keys (create, revoke), and the policy in force (read, download, replace). The
//! messages that could not be sent are in [`super::messages`].
//!
//! Another door to the admin API: accounts go through [`accounts::create_user`],
//! [`accounts::set_disabled`] and [`accounts::create_api_key`], the policy through
//! [`policies::replace`], the same functions the JSON handlers call.
//!
//! Secrets shown once (a generated password, a new API key) travel from the form's POST to
//! the page that shows them in a private (encrypted) cookie that the page removes as it shows
//! them, with `Cache-Control: no-store`: the POST answers with a redirect (so a reload never
//! creates a second key), and reloading the page finds the cookie gone and says so.

use askama::Template;
use axum::extract::{DefaultBodyLimit, Form, FromRequestParts, Multipart, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum_extra::extract::PrivateCookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::{Deserialize, Serialize};
use tirkeu_core::deadline::DeadlineRule;
use tirkeu_core::money::Amount;
use tirkeu_core::policy::{Offence, Policy};
use tirkeu_core::problem::FieldProblem;
use tirkeu_core::text::Lang;
use tirkeu_store::{AccountRole, ApiKey, OutboxCounts, Store, StoreError, User, with_store};

use super::forms::problems_of;
use super::staff::SignedIn;
use super::{Choice, Page, PageLang, local_time, not_found_in, render, see_other};
use crate::api::admin::NewUserRequest;
use crate::auth::Account;
use crate::error::ApiError;
use crate::policies::{self, POLICY_LIMIT};
use crate::routing::{Router, get, post};
use crate::state::App;
use crate::{accounts, i18n};

/// Room for the multipart framing and a second copy (file and text box) of a policy.
const POLICY_BODY_LIMIT: usize = 2 * POLICY_LIMIT + 64 * 1024;

/// The private cookie that carries a secret from the form to the page that shows it once.
const ONCE_COOKIE: &str = "tirkeu_once";

pub fn routes() -> Router {
    Router::new()
        .route("/{lang}/admin", get(home))
        .route("/{lang}/admin/users", get(users).post(create_user))
        .route("/{lang}/admin/users/{id}", get(user))
        .route("/{lang}/admin/users/{id}/disabled", post(set_disabled))
        .route("/{lang}/admin/users/{id}/keys", post(create_key))
        .route("/{lang}/admin/users/{id}/shown-once", get(shown_once))
        .route(
            "/{lang}/admin/users/{id}/keys/{key}/revoke",
            get(revoke_form).post(revoke),
        )
        .route(
            "/{lang}/admin/policy",
            get(policy)
                .post(upload_policy)
                .layer(DefaultBodyLimit::max(POLICY_BODY_LIMIT)),
        )
        .route("/{lang}/admin/policy/download", get(download))
}

// ---------------------------------------------------------------------------------------
// Who may come in
// ---------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/forbidden.html")]
struct Forbidden {
    page: Page,
}

/// A signed-in administrator. Without a session: to the sign-in page; any other account: a
/// 403 page in the page's language.
pub(super) struct Admin(pub(super) Account);

impl FromRequestParts<App> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let lang = PageLang::from_request_parts(parts, app).await?.0;
        let SignedIn(account) = SignedIn::from_request_parts(parts, app).await?;
        if account.user.role == AccountRole::Admin {
            return Ok(Admin(account));
        }
        let path = parts
            .uri
            .path()
            .strip_prefix(&format!("/{}", lang.code()))
            .unwrap_or("/")
            .to_owned();
        let page = Page::new(lang, &path, "admin-forbidden-title").signed_in_as(&account);
        Err(render(StatusCode::FORBIDDEN, &Forbidden { page }))
    }
}

impl Admin {
    pub(super) fn page(&self, lang: Lang, path: &str, title_id: &str) -> Page {
        Page::new(lang, path, title_id).signed_in_as(&self.0)
    }
}

/// What was just done, for the notice after a redirect (`?done=…`); only known words count.
#[derive(Deserialize, Default)]
pub(super) struct Done {
    done: Option<String>,
}

impl Done {
    /// The notice's message id, if `done` names something this page reports.
    pub(super) fn notice(&self, known: &[&str]) -> Option<String> {
        let d = self.done.as_deref()?;
        known.contains(&d).then(|| format!("admin-done-{d}"))
    }
}

/// A role in words.
fn role_name(lang: Lang, role: AccountRole) -> String {
    i18n::text(lang, &format!("admin-role-{}", role.as_str()))
}

const ROLES: [AccountRole; 4] = [
    AccountRole::Officer,
    AccountRole::Supervisor,
    AccountRole::Admin,
    AccountRole::Host,
];

/// Answers a store or API error that no form can fix.
pub(super) fn failed(lang: Lang, e: ApiError) -> Response {
    if e.status == StatusCode::NOT_FOUND {
        not_found_in(lang)
    } else {
        e.in_language(lang).into_response()
    }
}

// ---------------------------------------------------------------------------------------
// The start
// ---------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "admin/home.html")]
struct Home {
    page: Page,
    /// Each role in words with its count of accounts.
    counts: Vec<(String, usize)>,
    disabled: usize,
    messages: OutboxCounts,
    policy_name: String,
    policy_id: String,
    policy_version: String,
}

async fn home(PageLang(lang): PageLang, State(app): State<App>, me: Admin) -> Response {
    let read = with_store!(&app.store, s => {
        match (s.users().await, s.outbox_counts().await) {
            (Ok(u), Ok(c)) => Ok((u, c)),
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    });
    let (all, messages) = match read {
        Ok(x) => x,
        Err(e) => return failed(lang, e.into()),
    };
    let p = app.policy();
    let meta = &p.doc().meta;
    render(
        StatusCode::OK,
        &Home {
            page: me.page(lang, "/admin", "admin-home-title"),
            counts: ROLES
                .into_iter()
                .map(|r| {
                    (
                        role_name(lang, r),
                        all.iter().filter(|u| u.role == r).count(),
                    )
                })
                .collect(),
            disabled: all.iter().filter(|u| u.disabled).count(),
            messages,
            policy_name: meta.name.get(lang).to_owned(),
            policy_id: meta.id.clone(),
            policy_version: meta.version.clone(),
        },
    )
}

// ---------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------

/// One account as the pages show it.
struct UserRow {
    id: i64,
    href: String,
    username: String,
    role: String,
    office: String,
    host_kind: String,
    email: String,
    /// The messages' language, named in itself.
    language: String,
    disabled: bool,
    created: String,
    /// The signed-in administrator's own account (which cannot be disabled).
    me: bool,
    is_host: bool,
}

fn user_row(p: &Policy, lang: Lang, me: &Account, u: &User) -> UserRow {
    UserRow {
        id: u.id,
        href: format!("/{}/admin/users/{}", lang.code(), u.id),
        username: u.username.clone(),
        role: role_name(lang, u.role),
        office: u
            .office
            .as_deref()
            .map(|o| p.office_name(o, lang).unwrap_or(o).to_owned())
            .unwrap_or_default(),
        host_kind: u
            .host_kind
            .as_deref()
            .map(|k| {
                p.doc()
                    .host_kinds
                    .iter()
                    .find(|h| h.id == k)
                    .map_or(k, |h| h.name.get(lang))
                    .to_owned()
            })
            .unwrap_or_default(),
        email: u.email.clone().unwrap_or_default(),
        language: u
            .language
            .map(super::lang_name)
            .unwrap_or_default()
            .to_owned(),
        disabled: u.disabled,
        created: local_time(p.time_zone(), u.created_at),
        me: u.id == me.user.id,
        is_host: u.role == AccountRole::Host,
    }
}

/// An option of a select.
struct Opt {
    value: String,
    label: String,
    selected: bool,
}

/// The new-account form as typed; names are the API's fields, so its problems land on them.
#[derive(Deserialize, Default)]
#[serde(default)]
struct UserForm {
    username: String,
    role: String,
    office: String,
    host_kind: String,
    password: String,
    email: String,
    language: String,
}

impl UserForm {
    /// The API's request: blank optional answers are absent (a blank password asks for one
    /// to be generated).
    fn request(&self) -> NewUserRequest {
        let given = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        NewUserRequest {
            username: self.username.trim().to_owned(),
            role: self.role.trim().to_owned(),
            password: Some(self.password.clone()).filter(|s| !s.is_empty()),
            host_kind: given(&self.host_kind),
            office: given(&self.office),
            email: given(&self.email),
            language: given(&self.language),
        }
    }
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    page: Page,
    rows: Vec<UserRow>,
    form: UserForm,
    roles: Vec<Choice>,
    offices: Vec<Opt>,
    host_kinds: Vec<Opt>,
    languages: Vec<Opt>,
    notice: Option<String>,
}

fn options(items: impl Iterator<Item = (String, String)>, selected: &str) -> Vec<Opt> {
    items
        .map(|(value, label)| Opt {
            selected: value == selected,
            value,
            label,
        })
        .collect()
}

async fn users_page(
    app: &App,
    lang: Lang,
    me: &Admin,
    form: UserForm,
) -> Result<UsersPage, Response> {
    let all = with_store!(&app.store, s => s.users().await).map_err(|e| failed(lang, e.into()))?;
    let p = app.policy();
    Ok(UsersPage {
        page: me.page(lang, "/admin/users", "admin-users-title"),
        rows: all.iter().map(|u| user_row(&p, lang, &me.0, u)).collect(),
        roles: ROLES
            .into_iter()
            .map(|r| Choice {
                value: r.as_str().to_owned(),
                label: role_name(lang, r),
                hint: i18n::text(lang, &format!("admin-role-{}-hint", r.as_str())),
            })
            .collect(),
        offices: options(
            p.doc()
                .offices
                .iter()
                .map(|o| (o.id.clone(), o.name.get(lang).to_owned())),
            &form.office,
        ),
        host_kinds: options(
            p.doc()
                .host_kinds
                .iter()
                .map(|h| (h.id.clone(), h.name.get(lang).to_owned())),
            &form.host_kind,
        ),
        languages: options(
            Lang::ALL
                .into_iter()
                .map(|l| (l.code().to_owned(), super::lang_name(l).to_owned())),
            &form.language,
        ),
        form,
        notice: None,
    })
}

async fn users(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    Query(done): Query<Done>,
) -> Response {
    match users_page(&app, lang, &me, UserForm::default()).await {
        Ok(mut page) => {
            page.notice = done.notice(&["disabled", "enabled"]);
            render(StatusCode::OK, &page)
        }
        Err(r) => r,
    }
}

/// The form's problems in its own words where the API's would not fit a form: a role not
/// chosen is asked for, not called unknown, and an empty username is missing rather than of
/// the wrong form.
fn user_problems(form: &UserForm, problems: Vec<FieldProblem>) -> Vec<FieldProblem> {
    problems
        .into_iter()
        .map(|p| {
            if p.field == "role" && form.role.trim().is_empty() {
                FieldProblem::new("role", "account.role_required")
            } else if p.field == "username" && form.username.trim().is_empty() {
                FieldProblem::new("username", "field.required")
            } else {
                p
            }
        })
        .collect()
}

async fn create_user(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    jar: PrivateCookieJar,
    Form(form): Form<UserForm>,
) -> Response {
    match accounts::create_user(&app, &form.request(), &me.0).await {
        Ok((user, Some(password))) => {
            let once = Once {
                user_id: user.id,
                kind: OnceKind::Password,
                secret: password,
                label: String::new(),
                until: app.now() + ONCE_FOR,
            };
            (
                once.save(&app, jar),
                see_other(lang, &format!("/admin/users/{}/shown-once", user.id)),
            )
                .into_response()
        }
        Ok((user, None)) => see_other(lang, &format!("/admin/users/{}?done=created", user.id)),
        Err(e) => match problems_of(&e, "username") {
            Some(problems) => {
                let problems = user_problems(&form, problems);
                match users_page(&app, lang, &me, form).await {
                    Ok(mut page) => {
                        page.page = page.page.with_problems(&problems);
                        render(e.status, &page)
                    }
                    Err(r) => r,
                }
            }
            None => failed(lang, e),
        },
    }
}

/// The account `id` of the path, or the 404 page.
async fn account(app: &App, lang: Lang, id: &str) -> Result<User, Response> {
    let id = id.parse::<i64>().map_err(|_| not_found_in(lang))?;
    match with_store!(&app.store, s => s.user(id).await) {
        Ok(u) => Ok(u),
        Err(StoreError::NotFound) => Err(not_found_in(lang)),
        Err(e) => Err(failed(lang, e.into())),
    }
}

struct KeyRow {
    label: String,
    created: String,
    revoked: Option<String>,
    revoke_href: String,
}

#[derive(Template)]
#[template(path = "admin/user.html")]
struct UserPage {
    page: Page,
    user: UserRow,
    keys: Vec<KeyRow>,
    label: String,
    notice: Option<String>,
}

async fn user_page(app: &App, lang: Lang, me: &Admin, u: &User) -> Result<UserPage, Response> {
    let p = app.policy();
    let keys: Vec<ApiKey> = if u.role == AccountRole::Host {
        with_store!(&app.store, s => s.api_keys(u.id).await).map_err(|e| failed(lang, e.into()))?
    } else {
        Vec::new()
    };
    let mut page = me.page(lang, &format!("/admin/users/{}", u.id), "admin-user-title");
    page.title = page.t_with("admin-user-title", "name", &u.username);
    Ok(UserPage {
        page,
        user: user_row(&p, lang, &me.0, u),
        keys: keys
            .into_iter()
            .map(|k| KeyRow {
                revoke_href: format!("/{}/admin/users/{}/keys/{}/revoke", lang.code(), u.id, k.id),
                label: k.label,
                created: local_time(p.time_zone(), k.created_at),
                revoked: k.revoked_at.map(|t| local_time(p.time_zone(), t)),
            })
            .collect(),
        label: String::new(),
        notice: None,
    })
}

async fn user(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    Path((_, id)): Path<(String, String)>,
    Query(done): Query<Done>,
) -> Response {
    let u = match account(&app, lang, &id).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match user_page(&app, lang, &me, &u).await {
        Ok(mut page) => {
            page.notice = done.notice(&["created", "disabled", "enabled", "revoked"]);
            render(StatusCode::OK, &page)
        }
        Err(r) => r,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DisableForm {
    disabled: String,
    /// `user` when the button is on the account's page, else the list.
    from: String,
}

async fn set_disabled(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<DisableForm>,
) -> Response {
    let u = match account(&app, lang, &id).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let disabled = form.disabled == "true";
    match accounts::set_disabled(&app, u.id, disabled, &me.0).await {
        Ok(()) => {
            let done = if disabled { "disabled" } else { "enabled" };
            if form.from == "user" {
                see_other(lang, &format!("/admin/users/{}?done={done}", u.id))
            } else {
                see_other(lang, &format!("/admin/users?done={done}"))
            }
        }
        Err(e) if e.status == StatusCode::CONFLICT => {
            // Only one's own account: the list, with the reason.
            match users_page(&app, lang, &me, UserForm::default()).await {
                Ok(mut page) => {
                    let message = i18n::text(lang, "error-account-own_account");
                    page.page.add_error("users", message);
                    render(StatusCode::CONFLICT, &page)
                }
                Err(r) => r,
            }
        }
        Err(e) => failed(lang, e),
    }
}

// ---------------------------------------------------------------------------------------
// API keys and secrets shown once
// ---------------------------------------------------------------------------------------

#[derive(Serialize, Deserialize, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum OnceKind {
    Password,
    Key,
}

/// A secret on its way to being shown once.
#[derive(Serialize, Deserialize)]
struct Once {
    user_id: i64,
    kind: OnceKind,
    secret: String,
    label: String,
    /// Not shown after this instant (the page is meant to follow the form at once).
    until: jiff::Timestamp,
}

/// How long a secret waits for its page.
const ONCE_FOR: jiff::SignedDuration = jiff::SignedDuration::from_mins(10);

fn once_cookie(app: &App, value: String) -> Cookie<'static> {
    Cookie::build((ONCE_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(app.config.public_url.starts_with("https://"))
        .build()
}

impl Once {
    fn save(&self, app: &App, jar: PrivateCookieJar) -> PrivateCookieJar {
        jar.add(once_cookie(
            app,
            serde_json::to_string(self).unwrap_or_default(),
        ))
    }

    /// The secret for account `user_id`, if one waits; the jar without it either way.
    fn take(app: &App, jar: PrivateCookieJar, user_id: i64) -> (Option<Once>, PrivateCookieJar) {
        let once = jar
            .get(ONCE_COOKIE)
            .and_then(|c| serde_json::from_str::<Once>(c.value()).ok())
            .filter(|o| o.user_id == user_id && app.now() < o.until);
        (once, jar.remove(once_cookie(app, String::new())))
    }
}

#[derive(Template)]
#[template(path = "admin/shown_once.html")]
struct ShownOnce {
    page: Page,
    user: UserRow,
    /// The secret, or `None` when it was shown already.
    once: Option<Once>,
}

async fn shown_once(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    jar: PrivateCookieJar,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let u = match account(&app, lang, &id).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    let (once, jar) = Once::take(&app, jar, u.id);
    let title = match once.as_ref().map(|o| o.kind) {
        Some(OnceKind::Password) => "admin-once-password-title",
        Some(OnceKind::Key) => "admin-once-key-title",
        None => "admin-once-gone-title",
    };
    let p = app.policy();
    let mut res = render(
        StatusCode::OK,
        &ShownOnce {
            page: me.page(lang, &format!("/admin/users/{}/shown-once", u.id), title),
            user: user_row(&p, lang, &me.0, &u),
            once,
        },
    );
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    (jar, res).into_response()
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct KeyForm {
    label: String,
}

async fn create_key(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    jar: PrivateCookieJar,
    Path((_, id)): Path<(String, String)>,
    Form(form): Form<KeyForm>,
) -> Response {
    let u = match account(&app, lang, &id).await {
        Ok(u) => u,
        Err(r) => return r,
    };
    match accounts::create_api_key(&app, u.id, &form.label, &me.0).await {
        Ok((key, secret)) => {
            let once = Once {
                user_id: u.id,
                kind: OnceKind::Key,
                secret,
                label: key.label,
                until: app.now() + ONCE_FOR,
            };
            (
                once.save(&app, jar),
                see_other(lang, &format!("/admin/users/{}/shown-once", u.id)),
            )
                .into_response()
        }
        Err(e) => match problems_of(&e, "label") {
            Some(problems) => match user_page(&app, lang, &me, &u).await {
                Ok(mut page) => {
                    page.page = page.page.with_problems(&problems);
                    page.label = form.label;
                    render(e.status, &page)
                }
                Err(r) => r,
            },
            None => failed(lang, e),
        },
    }
}

#[derive(Template)]
#[template(path = "admin/revoke.html")]
struct RevokePage {
    page: Page,
    user: UserRow,
    key: KeyRow,
    action: String,
}

/// The account and its key `key` (a key of another account is not found).
async fn key_of(app: &App, lang: Lang, id: &str, key: &str) -> Result<(User, ApiKey), Response> {
    let u = account(app, lang, id).await?;
    let key_id = key.parse::<i64>().map_err(|_| not_found_in(lang))?;
    let keys =
        with_store!(&app.store, s => s.api_keys(u.id).await).map_err(|e| failed(lang, e.into()))?;
    let k = keys
        .into_iter()
        .find(|k| k.id == key_id)
        .ok_or_else(|| not_found_in(lang))?;
    Ok((u, k))
}

async fn revoke_form(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    Path((_, id, key)): Path<(String, String, String)>,
) -> Response {
    let (u, k) = match key_of(&app, lang, &id, &key).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if k.revoked_at.is_some() {
        return see_other(lang, &format!("/admin/users/{}?done=revoked", u.id));
    }
    let p = app.policy();
    let action = format!("/{}/admin/users/{}/keys/{}/revoke", lang.code(), u.id, k.id);
    let mut page = me.page(
        lang,
        &format!("/admin/users/{}/keys/{}/revoke", u.id, k.id),
        "admin-revoke-title",
    );
    page.title = page.t_with("admin-revoke-title", "label", &k.label);
    render(
        StatusCode::OK,
        &RevokePage {
            page,
            user: user_row(&p, lang, &me.0, &u),
            key: KeyRow {
                label: k.label,
                created: local_time(p.time_zone(), k.created_at),
                revoked: None,
                revoke_href: action.clone(),
            },
            action,
        },
    )
}

async fn revoke(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    Path((_, id, key)): Path<(String, String, String)>,
) -> Response {
    let (u, k) = match key_of(&app, lang, &id, &key).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    if k.revoked_at.is_none() {
        let revoked =
            with_store!(&app.store, s => s.revoke_api_key(k.id, app.now(), &me.0.actor()).await);
        match revoked {
            // Revoked meanwhile by another administrator: the same outcome.
            Ok(()) | Err(StoreError::NotFound) => {}
            Err(e) => return failed(lang, e.into()),
        }
    }
    see_other(lang, &format!("/admin/users/{}?done=revoked", u.id))
}

// ---------------------------------------------------------------------------------------
// The policy
// ---------------------------------------------------------------------------------------

/// An amount as the page says it: tenge, or a multiple of the MCI with today's tenge; nothing
/// at all is said as the message `zero_id` (no fee; a warning instead of a fine).
fn amount_text(
    p: &Policy,
    lang: Lang,
    amount: Amount,
    today: jiff::civil::Date,
    zero_id: &str,
) -> String {
    let zero = match amount {
        Amount::Kzt(n) => n == 0,
        Amount::Mci(_) => amount.mci_hundredths() == Some(0),
    };
    if zero {
        return i18n::text(lang, zero_id);
    }
    match amount {
        Amount::Kzt(n) => i18n::text_with(
            lang,
            "admin-amount-kzt",
            &[(
                "amount",
                i18n::integer(lang, i64::try_from(n).unwrap_or(i64::MAX)),
            )],
        ),
        Amount::Mci(m) => {
            let mut mci = m.to_string();
            if matches!(lang, Lang::Kk | Lang::Ru) {
                mci = mci.replace('.', ",");
            }
            match p.to_kzt(amount, today) {
                Ok(kzt) => i18n::text_with(
                    lang,
                    "admin-amount-mci-today",
                    &[
                        ("mci", mci),
                        (
                            "amount",
                            i18n::integer(lang, i64::try_from(kzt).unwrap_or(i64::MAX)),
                        ),
                    ],
                ),
                Err(_) => i18n::text_with(lang, "admin-amount-mci", &[("mci", mci)]),
            }
        }
    }
}

fn count_text(lang: Lang, id: &str, n: u32) -> String {
    i18n::text_with(lang, id, &[("count", n.to_string())])
}

struct DocItem {
    name: String,
    required: bool,
}

struct CardType {
    name: String,
    description: String,
    processing: String,
    validity: String,
    fee: String,
    documents: Vec<DocItem>,
}

struct FineRow {
    offence: String,
    who: String,
    amount: String,
    article: String,
}

struct OfficeRow {
    name: String,
    address: String,
    serves: String,
    default: bool,
}

/// The policy in force, as the page summarises it in one language.
struct Summary {
    name: String,
    id: String,
    version: String,
    default: bool,
    time_zone: String,
    deadline: String,
    card_after: String,
    types: Vec<CardType>,
    fines: Vec<FineRow>,
    offices: Vec<OfficeRow>,
    host_kinds: Vec<String>,
}

fn summary(p: &Policy, lang: Lang, today: jiff::civil::Date) -> Summary {
    let d = p.doc();
    let host_kind_name = |id: &str| {
        d.host_kinds
            .iter()
            .find(|h| h.id == id)
            .map_or_else(|| id.to_owned(), |h| h.name.get(lang).to_owned())
    };
    Summary {
        name: d.meta.name.get(lang).to_owned(),
        id: d.meta.id.clone(),
        version: d.meta.version.clone(),
        default: p.is_default(),
        time_zone: d.meta.time_zone.clone(),
        deadline: match d.arrival_notification.deadline {
            DeadlineRule::Hours(h) => count_text(lang, "admin-policy-hours", h),
            DeadlineRule::WorkingDays(n) => count_text(lang, "admin-policy-working-days", n),
        },
        card_after: count_text(lang, "admin-policy-days", d.card.required_after_days),
        types: d
            .permit_types
            .iter()
            .map(|t| CardType {
                name: t.name.get(lang).to_owned(),
                description: t.description.get(lang).to_owned(),
                processing: count_text(lang, "admin-policy-working-days", t.processing_days),
                validity: count_text(lang, "admin-policy-days", t.max_validity_days),
                fee: amount_text(p, lang, t.fee, today, "admin-amount-no-fee"),
                documents: t
                    .documents
                    .iter()
                    .map(|c| DocItem {
                        name: p
                            .document(&c.id)
                            .map_or_else(|| c.id.clone(), |doc| doc.name.get(lang).to_owned()),
                        required: c.required,
                    })
                    .collect(),
            })
            .collect(),
        fines: d
            .fines
            .iter()
            .map(|f| {
                let who = match (f.offence, &f.host_kind) {
                    (Offence::LateNotification, Some(k)) => host_kind_name(k),
                    (Offence::LateNotification, None) => i18n::text(lang, "admin-policy-any-host"),
                    (Offence::Overstay, _) => match (f.days_over_from, f.days_over_to) {
                        (Some(a), Some(b)) => i18n::text_with(
                            lang,
                            "admin-policy-days-over-range",
                            &[("from", a.to_string()), ("to", b.to_string())],
                        ),
                        (Some(a), None) => count_text(lang, "admin-policy-days-over-from", a),
                        _ => i18n::text(lang, "admin-policy-any-overstay"),
                    },
                };
                FineRow {
                    offence: i18n::text(
                        lang,
                        match f.offence {
                            Offence::LateNotification => "admin-policy-offence-late",
                            Offence::Overstay => "admin-policy-offence-overstay",
                        },
                    ),
                    who,
                    amount: amount_text(p, lang, f.amount, today, "admin-amount-warning"),
                    article: f.article.clone(),
                }
            })
            .collect(),
        offices: d
            .offices
            .iter()
            .map(|o| OfficeRow {
                name: o.name.get(lang).to_owned(),
                address: o.address.get(lang).to_owned(),
                serves: o.serves.join(", "),
                default: o.default,
            })
            .collect(),
        host_kinds: d
            .host_kinds
            .iter()
            .map(|h| h.name.get(lang).to_owned())
            .collect(),
    }
}

/// A problem of a refused policy file.
struct Issue {
    line: String,
    field: String,
    message: String,
}

#[derive(Template)]
#[template(path = "admin/policy.html")]
struct PolicyPage {
    page: Page,
    summary: Summary,
    notice: Option<String>,
    issues: Vec<Issue>,
    /// What the text box holds: on a refusal, the file sent, to correct in place.
    text: String,
    max_kib: String,
}

fn policy_page(app: &App, lang: Lang, me: &Admin) -> PolicyPage {
    let p = app.policy();
    PolicyPage {
        page: me.page(lang, "/admin/policy", "admin-policy-title"),
        summary: summary(&p, lang, app.today()),
        notice: None,
        issues: Vec::new(),
        text: String::new(),
        max_kib: (POLICY_LIMIT / 1024).to_string(),
    }
}

async fn policy(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    Query(done): Query<Done>,
) -> Response {
    let mut page = policy_page(&app, lang, &me);
    if let Some(id) = done.notice(&["replaced"]) {
        // The policy in force now: the one replaced, unless another came meanwhile.
        page.notice = Some(i18n::text_with(
            lang,
            &id,
            &[
                ("id", page.summary.id.clone()),
                ("version", page.summary.version.clone()),
            ],
        ));
    }
    render(StatusCode::OK, &page)
}

/// The file and the text box of the upload form (either may be empty).
async fn uploaded(mut form: Multipart) -> Result<(Option<Vec<u8>>, String), FieldProblem> {
    let too_large =
        || FieldProblem::new("file", "policy.too_large").with("max", POLICY_LIMIT / 1024);
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
            too_large()
        } else {
            FieldProblem::new("file", "upload.multipart").with("detail", e.body_text())
        }
    };
    let (mut file, mut text) = (None, String::new());
    loop {
        match form.next_field().await {
            Ok(Some(field)) => match field.name() {
                Some("file") => {
                    let bytes = field.bytes().await.map_err(unreadable)?;
                    if !bytes.is_empty() {
                        file = Some(bytes.to_vec());
                    }
                }
                Some("text") => text = field.text().await.map_err(unreadable)?,
                _ => {}
            },
            Ok(None) => break,
            Err(e) => return Err(unreadable(e)),
        }
    }
    Ok((file, text))
}

async fn upload_policy(
    PageLang(lang): PageLang,
    State(app): State<App>,
    me: Admin,
    form: Multipart,
) -> Response {
    let mut page = policy_page(&app, lang, &me);
    // The problems of a file land at the file input, those of pasted text at the text box.
    let mut field = "file";
    let text = match uploaded(form).await {
        Ok((Some(bytes), _)) => {
            String::from_utf8(bytes).map_err(|_| FieldProblem::new("file", "policy.encoding"))
        }
        Ok((None, text)) if !text.trim().is_empty() => {
            field = "text";
            Ok(text)
        }
        Ok(_) => Err(FieldProblem::new("file", "policy.missing")),
        Err(p) => Err(p),
    };
    let text = match text {
        Ok(t) => t,
        Err(problem) => {
            page.page = page.page.with_problems(&[problem]);
            return render(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    match policies::replace(&app, &text, &me.0).await {
        Ok(()) => see_other(lang, "/admin/policy?done=replaced"),
        Err(e) if e.errors.iter().any(|p| p.code == "policy.invalid") => {
            page.issues = e
                .errors
                .iter()
                .map(|p| Issue {
                    line: p.param("line").unwrap_or("?").to_owned(),
                    field: p.field.clone(),
                    message: p.param("detail").unwrap_or_default().to_owned(),
                })
                .collect();
            let count = page.issues.len().to_string();
            let message = i18n::text_with(lang, "admin-policy-refused", &[("count", count)]);
            page.page.add_error(field, message);
            if text.len() <= POLICY_LIMIT {
                page.text = text;
            }
            render(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
        Err(e) => match problems_of(&e, field) {
            Some(mut problems) => {
                for p in &mut problems {
                    field.clone_into(&mut p.field);
                }
                page.page = page.page.with_problems(&problems);
                render(StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
            None => failed(lang, e),
        },
    }
}

/// The policy file in force, as written (comments and all), to edit and upload again.
async fn download(State(app): State<App>, _me: Admin) -> Response {
    let p = app.policy();
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let name = format!(
        "policy-{}-{}.toml",
        safe(&p.doc().meta.id),
        safe(&p.doc().meta.version)
    );
    (
        [
            (
                header::CONTENT_TYPE,
                "application/toml; charset=utf-8".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        p.toml().to_owned(),
    )
        .into_response()
}
