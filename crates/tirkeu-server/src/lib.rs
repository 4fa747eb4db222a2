//! tirkeu's HTTP server: the JSON API (described by an OpenAPI document at
//! `/api/openapi.json`), receipts, safe uploads, health and metrics.
//!
//! Handlers are thin: they parse the request into core types, let the core decide, and call
//! the store. The store is an enum over the backends ([`tirkeu_store::Opened`]); each handler
//! matches it once with `with_store!` and runs generic code, so there is no dynamic dispatch
//! and no generic handler for the OpenAPI generator to trip over.

// Handlers validate field by field and collect every problem; `match` with an error arm that
// records the problem reads better there than `if let … else`, and a handler that walks one
// request through its steps is long by nature.
#![allow(clippy::single_match_else, clippy::too_many_lines)]

pub mod accounts;
pub mod api;
pub mod auth;
pub mod cases;
pub mod checkpoints;
pub mod clock;
pub mod edge;
pub mod error;
pub mod i18n;
pub mod mail;
pub mod messages;
pub mod metrics;
pub mod paths;
pub mod policies;
pub mod receipt;
pub mod routing;
pub mod second_factor;
pub mod secrets;
pub mod state;
pub mod stats;
pub mod texts;
pub mod upload;
pub mod web;
pub mod worker;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;

pub use clock::Clock;
pub use state::{App, ServerConfig};

use api::{admin, applicant, host, officer, public};
use routing::{delete, get, post};

/// The OpenAPI document.
#[derive(OpenApi)]
#[openapi(
    info(title = "tirkeu", description = "Registration of foreigners and registration cards. Errors are RFC 9457 problem documents (application/problem+json) naming the field and the reason."),
    paths(
        applicant::eligibility, applicant::create, applicant::get_own, applicant::upload, applicant::submit,
        applicant::withdraw, applicant::respond, applicant::receipt_pdf, applicant::receipt_html, applicant::status,
        host::create, host::confirm_expected, host::list, host::import,
        officer::login, officer::code, officer::second_factor, officer::confirm_second_factor, officer::logout, officer::list, officer::get, officer::document, officer::transition,
        admin::users, admin::create_user, admin::set_disabled, admin::create_key, admin::revoke_key, admin::policy, admin::replace_policy,
        admin::failed_messages, admin::resend_message,
        public::verify, public::stats, public::healthz, public::readyz, public::metrics,
    ),
    modifiers(&Security, &Conformance),
    tags(
        (name = "applicant", description = "Foreigners: no account; the application number and access code"),
        (name = "host", description = "Hosts: arrival notifications and expected arrivals (API key or session)"),
        (name = "auth", description = "Staff and host login"),
        (name = "officer", description = "Officers and supervisors"),
        (name = "admin", description = "Administrators"),
        (name = "public", description = "Anyone"),
        (name = "operations", description = "Health and metrics"),
    )
)]
pub struct ApiDoc;

struct Security;

impl utoipa::Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "a session token from /api/v1/auth/login, or a host API key",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "access_code",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "the applicant's access code from the application's creation",
                    ))
                    .build(),
            ),
        );
    }
}

/// What every operation answers besides what its handler declares, written once here rather
/// than on each of 34 operations (and so never forgotten on a new one):
///
/// - every error is an RFC 9457 problem document, served as `application/problem+json`;
/// - an operation that needs credentials may answer 401, one for staff or hosts 403 (to
///   another role); one with parameters 400 (a parameter that does not parse); one with a
///   body 400 (malformed), 413 (too large), 415 (wrong content type) and 408 (the body came
///   too slowly); every operation but `/healthz` 503 (overloaded or timed out, see `edge`);
/// - every response has the `description` OpenAPI requires, and every operation a unique id
///   (`{tag}_{handler}`: `host_create`, `applicant_create`), which generated clients name
///   their methods by.
struct Conformance;

impl utoipa::Modify for Conformance {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{Content, Ref, RefOr, Response};
        const PROBLEM: &str = "application/problem+json";
        let problem = || {
            let mut r = Response::new("");
            r.content.insert(
                PROBLEM.to_owned(),
                RefOr::T(Content::new(Some(Ref::from_schema_name("Problem")))),
            );
            r
        };
        for (path, item) in &mut openapi.paths.paths {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for op in operations.into_iter().flatten() {
                if let (Some(id), Some(tag)) = (
                    op.operation_id.as_mut(),
                    op.tags.as_ref().and_then(|t| t.first()),
                ) {
                    *id = format!("{tag}_{id}");
                }
                let mut extra = Vec::new();
                if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    extra.push("401");
                }
                // A role's session or key on another role's route: 403 (an access code that
                // does not open an application is answered 404, see `auth::applicant_case`).
                let schemes = serde_json::to_value(&op.security).unwrap_or_default();
                if schemes.to_string().contains("\"bearer\"") {
                    extra.push("403");
                }
                if op.parameters.as_ref().is_some_and(|p| !p.is_empty()) {
                    // A path, query or header parameter that does not parse (an id past i64,
                    // a number that is not one) is refused before the handler.
                    extra.push("400");
                }
                if op.request_body.is_some() {
                    // 422: a body that is JSON but not of the operation's shape (an unknown
                    // field, a wrong type) is named field by field.
                    extra.extend(["400", "408", "413", "415", "422"]);
                }
                if path.contains('{') {
                    // A path parameter that names nothing (or nothing the caller may see).
                    extra.push("404");
                }
                if path != "/healthz" {
                    extra.push("503");
                }
                for status in extra {
                    op.responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| RefOr::T(problem()));
                }
                for (status, response) in &mut op.responses.responses {
                    let RefOr::T(response) = response else {
                        continue;
                    };
                    let error = !status.starts_with('2') && !status.starts_with('3');
                    if error && let Some(json) = response.content.shift_remove("application/json") {
                        response.content.insert(PROBLEM.to_owned(), json);
                    }
                    if response.description.is_empty() {
                        response.description = describe(status, error);
                    }
                }
            }
        }
    }
}

/// The `description` of a response that declared none: the status's meaning, and for an error
/// that the body is a problem document naming the field and the reason.
fn describe(status: &str, error: bool) -> String {
    let reason = status
        .parse::<u16>()
        .ok()
        .and_then(|s| axum::http::StatusCode::from_u16(s).ok())
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Answer");
    if error {
        format!(
            "{reason}: a problem document (RFC 9457) with a stable `code`, naming the field and the reason"
        )
    } else {
        reason.to_owned()
    }
}

/// The OpenAPI document as pretty JSON.
pub fn openapi_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
}

/// Upload routes answer a refusal with `Connection: close`: the refusal may come before the
/// body was read (a file over its limit is refused as soon as it passes it, see
/// `api::applicant::documents`), and a client that reused the connection would send its next
/// request after the unread rest of this one's body (a browser's or reqwest's next upload then
/// fails with the connection reset).
pub(crate) async fn close_after_refusal(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let mut res = next.run(req).await;
    if res.status().is_client_error() || res.status().is_server_error() {
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    res
}

const JSON_LIMIT: usize = 64 * 1024;
pub(crate) const UPLOAD_LIMIT: usize = 52 * 1024 * 1024;
pub(crate) const CSV_LIMIT: usize = 5 * 1024 * 1024;
use policies::POLICY_LIMIT;

/// All routes.
pub fn router(app: App) -> Router {
    listed_router(app).0
}

/// All routes, and the list of them: every route's method and path template (see
/// [`routing`]; every route is added above the fallback, through `routing`).
pub fn listed_router(app: App) -> (Router, Vec<routing::Route>) {
    use axum::middleware::from_fn_with_state;
    use tirkeu_store::AccountRole as R;
    let openapi = openapi_json();
    let staff = routing::Router::new()
        .route("/api/v1/cases", get(officer::list))
        .route("/api/v1/cases/{number}", get(officer::get))
        .route(
            "/api/v1/cases/{number}/documents/{document_id}",
            get(officer::document),
        )
        .route(
            "/api/v1/cases/{number}/transitions",
            post(officer::transition),
        )
        .route_layer(from_fn_with_state(
            app.clone(),
            |State(a): State<App>, req, next| async move {
                auth::guard(&a, &[R::Officer, R::Supervisor], req, next).await
            },
        ));
    let admin = routing::Router::new()
        .route(
            "/api/v1/admin/users",
            get(admin::users).post(admin::create_user),
        )
        .route(
            "/api/v1/admin/users/{id}/disabled",
            post(admin::set_disabled),
        )
        .route("/api/v1/admin/users/{id}/api-keys", post(admin::create_key))
        .route("/api/v1/admin/api-keys/{id}", delete(admin::revoke_key))
        .route("/api/v1/admin/messages/failed", get(admin::failed_messages))
        .route(
            "/api/v1/admin/messages/{id}/resend",
            post(admin::resend_message),
        )
        .route_layer(from_fn_with_state(
            app.clone(),
            |State(a): State<App>, req, next| async move {
                auth::guard(&a, &[R::Admin], req, next).await
            },
        ));
    // Supervisors may read the policy; the handler lets only admins replace it.
    let policy = routing::Router::new()
        .route(
            "/api/v1/admin/policy",
            get(admin::policy)
                .put(admin::replace_policy)
                .layer(DefaultBodyLimit::max(POLICY_LIMIT)),
        )
        .route_layer(from_fn_with_state(
            app.clone(),
            |State(a): State<App>, req, next| async move {
                auth::guard(&a, &[R::Admin, R::Supervisor], req, next).await
            },
        ));
    let hosts = routing::Router::new()
        .route("/api/v1/arrivals", post(host::create).get(host::list))
        .route(
            "/api/v1/arrivals/{id}/confirm",
            post(host::confirm_expected),
        )
        .route(
            "/api/v1/arrivals/import",
            post(host::import).layer(DefaultBodyLimit::max(CSV_LIMIT)),
        )
        .route_layer(from_fn_with_state(
            app.clone(),
            |State(a): State<App>, req, next| async move {
                auth::guard(&a, &[R::Host], req, next).await
            },
        ));
    let api = routing::Router::new()
        .route("/api/v1/eligibility", post(applicant::eligibility))
        .route("/api/v1/applications", post(applicant::create))
        .route("/api/v1/applications/{number}", get(applicant::get_own))
        .route(
            "/api/v1/applications/{number}/documents",
            post(applicant::upload)
                .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
                .layer(axum::middleware::from_fn(close_after_refusal)),
        )
        .route(
            "/api/v1/applications/{number}/submit",
            post(applicant::submit),
        )
        .route(
            "/api/v1/applications/{number}/withdraw",
            post(applicant::withdraw),
        )
        .route(
            "/api/v1/applications/{number}/respond",
            post(applicant::respond),
        )
        .route(
            "/api/v1/applications/{number}/receipt.pdf",
            get(applicant::receipt_pdf),
        )
        .route(
            "/api/v1/applications/{number}/receipt.html",
            get(applicant::receipt_html),
        )
        .route("/api/v1/status", post(applicant::status))
        .route("/api/v1/auth/login", post(officer::login))
        .route("/api/v1/auth/code", post(officer::code))
        .route("/api/v1/auth/second-factor", post(officer::second_factor))
        .route(
            "/api/v1/auth/second-factor/confirm",
            post(officer::confirm_second_factor),
        )
        .route("/api/v1/auth/logout", post(officer::logout))
        .route("/api/v1/verify/{token}", get(public::verify))
        .route("/api/v1/stats", get(public::stats))
        .route("/healthz", get(public::healthz))
        .route("/readyz", get(public::readyz))
        .route("/metrics", get(public::metrics))
        .route(
            "/api/openapi.json",
            get(move || async move { ([(header::CONTENT_TYPE, "application/json")], openapi) }),
        )
        .merge(staff)
        .merge(admin)
        .merge(policy)
        .merge(hosts)
        .merge(web::routes());
    let (api, routes) = api.into_parts();
    let api = api
        .fallback(
            |uri: axum::http::Uri, headers: axum::http::HeaderMap| async move {
                // The API answers problem documents; everything else is a page.
                if uri.path().starts_with("/api/") {
                    axum::response::IntoResponse::into_response(error::ApiError::not_found())
                } else {
                    web::not_found(&headers)
                }
            },
        )
        .method_not_allowed_fallback(|| async { error::ApiError::method_not_allowed() })
        .layer(DefaultBodyLimit::max(JSON_LIMIT))
        .layer(axum::middleware::from_fn(error::problems_for_rejections));
    let api = api
        // Inside `localize`, so that their refusals are written in the reader's language.
        .layer(from_fn_with_state(app.config.http.clone(), edge::deadlines))
        .layer(from_fn_with_state(app.clone(), edge::admit));
    let api = if app.config.hsts {
        api.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        ))
    } else {
        api
    };
    let api = api
        .layer(axum::middleware::from_fn(error::localize))
        // Every state-changing request from a browser must come from this origin (Sec-Fetch-Site
        // or Origin); API clients that send neither header pass, as they carry no cookies of
        // a person's browser.
        .layer(tower_http::csrf::CsrfLayer::new())
        .layer(axum::middleware::from_fn(metrics::track))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ))
        // Answers carry session tokens, access codes and personal data: no cache keeps them
        // unless a handler says otherwise (static files, the public statistics).
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .with_state(app);
    (api, routes)
}

/// The internal listener's routes (`metrics_listen`): `/metrics` without a token, for a
/// Prometheus on the same host or network; nothing else.
pub fn metrics_router(app: App) -> Router {
    Router::new()
        .route(
            "/metrics",
            axum::routing::get(|State(a): State<App>| async move { public::render_metrics(&a) }),
        )
        .with_state(app)
}

/// Serves `app` on `listener` until `shutdown` resolves, under the configured timeouts and
/// limit on requests at once (see [`edge`]).
pub async fn serve(
    app: App,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let limits_app = app.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_mins(1)).await;
            limits_app.limits.shrink().await;
        }
    });
    let limits = app.config.http.clone();
    edge::serve_router(router(app), listener, &limits, shutdown).await
}
