//! Starts the real server on port 0 with a fresh database (a temporary SQLite file, or a new
//! PostgreSQL database from `TIRKEU_TEST_POSTGRES_URL`) and talks to it over HTTP.
#![allow(dead_code)]

pub mod browser;
pub mod files;
pub mod known;
pub mod s3;

use std::future::Future;
use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use jiff::Timestamp;
use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};
use sqlx::Connection;
use tirkeu_core::policy::Policy;
use tirkeu_server::{App, Clock, ServerConfig};
use tirkeu_store::{AccountRole, NewUser, OpenOptions, Opened, Store, with_store};

pub const PASSWORD: &str = "correct horse battery";

/// The TOTP secret of the test accounts that sign in with a second factor (supervisors and
/// administrators), and two of their recovery codes.
pub const TOTP_SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
pub const RECOVERY_CODES: [&str; 2] = ["AAAAA-BBBBB", "CCCCC-DDDDD"];

/// The instant the test server's clock stands at (it moves only when a test moves it), so
/// that time rules give the same answers whenever the tests run.
pub const NOW: &str = "2026-12-02T06:00:00Z";

/// A running server and a client for it.
pub struct Server {
    pub base: String,
    pub http: Client,
    pub store: Opened,
    pub dir: tempfile::TempDir,
    /// Tokens of the four staff/host accounts and the host's API key.
    pub officer: String,
    pub officer2: String,
    pub supervisor: String,
    pub admin: String,
    pub host: String,
    pub host_key: String,
    /// The server's clock, fixed at [`NOW`].
    pub clock: Clock,
    /// The server's document store (its directory, or the bucket a test configured).
    pub documents: std::sync::Arc<tirkeu_server::upload::DocumentStore>,
    /// The database's URL (for [`Server::another_instance`]).
    pub db_url: String,
    /// The last time step each account signed in with a code at (a code counts once).
    steps: std::sync::Mutex<std::collections::HashMap<String, i64>>,
}

impl Server {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Uploads `form` (its `kind` and `file`) to application `number` with its access `code`.
    pub async fn upload(
        &self,
        number: &str,
        code: &str,
        form: reqwest::multipart::Form,
    ) -> Response {
        self.http
            .post(self.url(&format!("/api/v1/applications/{number}/documents")))
            .bearer_auth(code)
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut r = self.http.post(self.url(path)).json(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap()
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> Response {
        let mut r = self.http.get(self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.unwrap()
    }

    /// A new staff account `username` with `role` in `office`, signed in: its token.
    pub async fn staff_of(&self, username: &str, role: AccountRole, office: &str) -> String {
        let user = NewUser {
            username: username.into(),
            role,
            password_hash: password_auth::generate_hash(PASSWORD),
            host_kind: None,
            office: Some(office.into()),
            created_at: Timestamp::now(),
            email: None,
            language: None,
        };
        with_store!(&self.store, s => {
            let u = s.create_user(&user, "test").await.unwrap();
            enrol(s, &u).await;
        });
        self.login(username).await
    }

    /// The code of [`TOTP_SECRET`] for `username`'s next sign-in: the current step's, or,
    /// when the account has used that step already, the next step's with the clock moved
    /// on to it (a code counts once).
    pub fn next_code(&self, username: &str) -> String {
        let mut steps = self.steps.lock().unwrap();
        let mut now = self.clock.now();
        if let Some(last) = steps.get(username)
            && tirkeu_server::second_factor::step_of(now) <= *last
        {
            self.clock.advance(jiff::SignedDuration::from_secs(
                tirkeu_server::second_factor::STEP_SECONDS,
            ));
            now = self.clock.now();
        }
        steps.insert(
            username.to_owned(),
            tirkeu_server::second_factor::step_of(now),
        );
        tirkeu_server::second_factor::code_at(TOTP_SECRET, now).unwrap()
    }

    /// Signs `username` in through the API (with the code of its second factor when it has
    /// one): its token.
    pub async fn login(&self, username: &str) -> String {
        let r = self
            .post(
                "/api/v1/auth/login",
                None,
                &json!({"username": username, "password": PASSWORD}),
            )
            .await;
        let body = ok_json(r, StatusCode::OK).await;
        let token = body["token"].as_str().unwrap().to_owned();
        if body["scope"] != "code" {
            assert_eq!(body["scope"], "full", "login {username}: {body}");
            return token;
        }
        let r = self
            .post(
                "/api/v1/auth/code",
                Some(&token),
                &json!({"code": self.next_code(username)}),
            )
            .await;
        let body = ok_json(r, StatusCode::OK).await;
        assert_eq!(body["scope"], "full", "code {username}: {body}");
        body["token"].as_str().unwrap().to_owned()
    }

    /// Signs `username` in through the sign-in page, as a browser does; the session cookie
    /// (`tirkeu_session=…`) to send back with pages.
    pub async fn page_session(&self, username: &str) -> String {
        let browser = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let mut r = browser
            .post(self.url("/en/sign-in"))
            .form(&[("username", username), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign in {username}");
        if r.headers()[reqwest::header::LOCATION] == "/en/sign-in/code" {
            let pending = session_cookie(&r);
            r = browser
                .post(self.url("/en/sign-in/code"))
                .header(reqwest::header::COOKIE, pending)
                .form(&[("code", self.next_code(username))])
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), StatusCode::SEE_OTHER, "code {username}");
        }
        session_cookie(&r)
    }
}

/// The session cookie (`tirkeu_session=…`) a response sets.
pub fn session_cookie(r: &Response) -> String {
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tirkeu_session="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// Expects `status` and a problem document; returns it.
pub async fn problem(r: Response, status: StatusCode) -> Value {
    assert_eq!(r.status(), status, "unexpected status");
    let ct = r
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(ct, "application/problem+json");
    r.json().await.unwrap()
}

pub async fn ok_json(r: Response, status: StatusCode) -> Value {
    let got = r.status();
    let text = r.text().await.unwrap();
    assert_eq!(got, status, "body: {text}");
    serde_json::from_str(&text).unwrap()
}

/// The bearer token of `/metrics` on the test servers.
pub const METRICS_TOKEN: &str = "test-metrics-token-0123456789";

async fn start(opened: Opened, db_url: &str) -> Server {
    start_with(opened, db_url, |_| {}).await
}

/// As [`start`], with the server's configuration changed by `configure` first.
async fn start_with(
    opened: Opened,
    db_url: &str,
    configure: impl FnOnce(&mut ServerConfig),
) -> Server {
    let dir = tempfile::tempdir().unwrap();
    let now = Timestamp::now();
    let hash = password_auth::generate_hash(PASSWORD);
    // The test applications live in Almaty: its officers work them (`Server::staff_of`
    // adds one of another office).
    let accounts = [
        ("officer", AccountRole::Officer, None, Some("almaty")),
        ("officer2", AccountRole::Officer, None, Some("almaty")),
        ("supervisor", AccountRole::Supervisor, None, Some("almaty")),
        ("admin", AccountRole::Admin, None, None),
        ("hotel", AccountRole::Host, Some("small_business"), None),
    ];
    let key = tirkeu_server::secrets::token("tka_");
    with_store!(&opened, s => {
        for (name, role, kind, office) in accounts {
            let u = s.create_user(&NewUser { username: name.into(), role, password_hash: hash.clone(), host_kind: kind.map(str::to_owned), office: office.map(str::to_owned), created_at: now , email: None, language: None }, "test").await.unwrap();
            enrol(s, &u).await;
            if role == AccountRole::Host {
                s.create_api_key(u.id, &tirkeu_server::secrets::sha256_hex(&key), "test", now, "test").await.unwrap();
            }
        }
    });
    let clock = Clock::fixed(NOW.parse().unwrap());
    let (base, listener, mut config) = listen(dir.path(), &clock).await;
    configure(&mut config);
    let app = App::new(opened.clone(), Policy::default_kz(), config).unwrap();
    let documents = app.documents.clone();
    tokio::spawn(tirkeu_server::serve(app, listener, std::future::pending()));
    let mut server = Server {
        base,
        http: api_client(),
        store: opened,
        dir,
        officer: String::new(),
        officer2: String::new(),
        supervisor: String::new(),
        admin: String::new(),
        host: String::new(),
        host_key: key,
        clock,
        documents,
        db_url: db_url.to_owned(),
        steps: std::sync::Mutex::default(),
    };
    server.officer = server.login("officer").await;
    server.officer2 = server.login("officer2").await;
    server.supervisor = server.login("supervisor").await;
    server.admin = server.login("admin").await;
    server.host = server.login("hotel").await;
    server
}

/// A listener on a free port, and the test servers' configuration for it, keeping documents
/// in `dir`, on `clock`.
async fn listen(
    dir: &std::path::Path,
    clock: &Clock,
) -> (String, tokio::net::TcpListener, ServerConfig) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let base = format!("http://{addr}");
    let mut config = ServerConfig::new(&base, dir);
    config.status_per_client_per_minute = 20;
    config.status_per_number_per_minute = 8;
    // Every test reads the statistics it has just made: counted on every request.
    config.stats_max_age = std::time::Duration::ZERO;
    // The header timer also closes a kept-alive connection after that long idle; a test
    // client that pauses (a slow step on a loaded machine) and then reuses its pooled
    // connection would race the close (`IncompleteMessage`). Behind a proxy the proxy closes
    // first (docs/operations.md); here the timer is long, and tests/edge.rs sets short ones.
    config.http.header_read_timeout = std::time::Duration::from_mins(5);
    config.clock = clock.clone();
    config.metrics_token = Some(METRICS_TOKEN.to_owned());
    // Tests create many applications and receipts from one address; tests/edge.rs checks
    // these limits with low ones.
    config.creates_per_client_per_minute = 100_000;
    config.receipts_per_client_per_minute = 100_000;
    (base, listener, config)
}

impl Server {
    /// Another instance of the server on the same database, as a second process behind a load
    /// balancer: its own store (pools), limiters and port, the test configuration, the same
    /// clock. The accounts' tokens are this server's (sessions live in the database).
    pub async fn another_instance(&self) -> Server {
        let opened = tirkeu_store::open(&self.db_url, OpenOptions::new(KEY))
            .await
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (base, listener, config) = listen(dir.path(), &self.clock).await;
        let app = App::new(opened.clone(), Policy::default_kz(), config).unwrap();
        let documents = app.documents.clone();
        tokio::spawn(tirkeu_server::serve(app, listener, std::future::pending()));
        Server {
            base,
            http: api_client(),
            store: opened,
            dir,
            officer: self.officer.clone(),
            officer2: self.officer2.clone(),
            supervisor: self.supervisor.clone(),
            admin: self.admin.clone(),
            host: self.host.clone(),
            host_key: self.host_key.clone(),
            clock: self.clock.clone(),
            documents,
            db_url: self.db_url.clone(),
            steps: std::sync::Mutex::default(),
        }
    }
}

/// Sets up the second factor of `u` with [`TOTP_SECRET`] and [`RECOVERY_CODES`] when its role
/// needs one, as its first sign-in would.
pub async fn enrol<S: Store>(s: &S, u: &tirkeu_store::User) {
    if !matches!(u.role, AccountRole::Supervisor | AccountRole::Admin) {
        return;
    }
    let hashes: Vec<String> = RECOVERY_CODES
        .iter()
        .map(|c| tirkeu_server::second_factor::recovery_hash(c))
        .collect();
    let audit = tirkeu_store::NewAudit {
        at: Timestamp::now(),
        actor: format!("user:{}", u.id),
        action: "auth.second_factor_enabled".into(),
        object: format!("user:{}", u.id),
        payload: json!({}),
    };
    s.begin_second_factor(u.id, TOTP_SECRET).await.unwrap();
    assert!(
        s.enable_second_factor(u.id, TOTP_SECRET, 0, &hashes, &audit)
            .await
            .unwrap()
    );
}

pub const KEY: [u8; 32] = [9; 32];

pub async fn on_sqlite<F, Fut>(test: F)
where
    F: FnOnce(Server) -> Fut,
    Fut: Future<Output = ()>,
{
    on_sqlite_with(|_| {}, test).await;
}

/// As [`on_sqlite`], the server configured by `configure`.
pub async fn on_sqlite_with<F, Fut>(configure: impl FnOnce(&mut ServerConfig), test: F)
where
    F: FnOnce(Server) -> Fut,
    Fut: Future<Output = ()>,
{
    let db = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", db.path().join("api.db").display());
    let opened = tirkeu_store::open(&url, OpenOptions::new(KEY))
        .await
        .unwrap();
    test(start_with(opened, &url, configure).await).await;
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

pub async fn on_postgres<F, Fut>(test: F)
where
    F: FnOnce(Server) -> Fut,
    Fut: Future<Output = ()>,
{
    on_postgres_with(|_| {}, test).await;
}

/// As [`on_postgres`], the server configured by `configure`.
pub async fn on_postgres_with<F, Fut>(configure: impl FnOnce(&mut ServerConfig), test: F)
where
    F: FnOnce(Server) -> Fut,
    Fut: Future<Output = ()>,
{
    let admin_url = std::env::var("TIRKEU_TEST_POSTGRES_URL").expect("TIRKEU_TEST_POSTGRES_URL");
    let name = format!(
        "tirkeu_api_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("reach PostgreSQL");
    for sql in [
        format!("DROP DATABASE IF EXISTS {name}"),
        format!("CREATE DATABASE {name}"),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut admin)
            .await
            .unwrap();
    }
    let opts = sqlx::postgres::PgConnectOptions::from_str(&admin_url).unwrap();
    let url = format!(
        "postgres://{}@{}:{}/{name}",
        opts.get_username(),
        opts.get_host(),
        opts.get_port()
    );
    let opened = tirkeu_store::open(&url, OpenOptions::new(KEY))
        .await
        .unwrap();
    test(start_with(opened.clone(), &url, configure).await).await;
    with_store!(&opened, s => s.close().await);
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
}

#[macro_export]
macro_rules! on_both {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                $crate::common::on_sqlite(super::$name).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[cfg_attr(not(tirkeu_pg), ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test")]
            async fn postgres() {
                $crate::common::on_postgres(super::$name).await;
            }
        }
    )+};
}

/// As [`on_both!`], each server configured by the function `$configure(&mut ServerConfig)`.
#[macro_export]
macro_rules! on_both_with {
    ($configure:ident; $($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                $crate::common::on_sqlite_with(super::$configure, super::$name).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[cfg_attr(not(tirkeu_pg), ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test")]
            async fn postgres() {
                $crate::common::on_postgres_with(super::$configure, super::$name).await;
            }
        }
    )+};
}

/// A submitted application (card type work) for `passport`, through the applicant's API, with every required
/// document (photos as a PNG, the rest as PDFs); returns (number, access code).
pub async fn submitted(s: &Server, passport: &str) -> (String, String) {
    submitted_in(s, passport, "en").await
}

/// As [`submitted`], the applicant writing in `lang`.
pub async fn submitted_in(s: &Server, passport: &str, lang: &str) -> (String, String) {
    let (number, code) = complete_draft(s, passport, lang).await;
    ok_json(
        s.post(
            &format!("/api/v1/applications/{number}/submit"),
            Some(&code),
            &json!({}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    (number, code)
}

/// A draft (card type work) for `passport`, written in `lang`, with no documents yet;
/// returns (number, access code).
pub async fn draft(s: &Server, passport: &str, lang: &str) -> (String, String) {
    let created = ok_json(
        s.post(
            "/api/v1/applications",
            None,
            &json!({
                "permit_type": "work", "language": lang,
                "applicant": {
                    "surname": "ERIKSSON", "given_names": "ANNA MARIA", "passport_number": passport,
                    "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F", "passport_expiry": "2034-04-15"
                },
                "contact": {"email": "anna@example.org", "phone": "+49 30 123456"},
                "address": {"city": "Almaty", "line": "Abay 10, apt 5"},
                "arrival_date": "2026-11-01"
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    (
        created["number"].as_str().unwrap().to_owned(),
        created["access_code"].as_str().unwrap().to_owned(),
    )
}

/// A draft (card type work) for `passport` with every required document and a photo, ready
/// to submit; returns (number, access code).
pub async fn complete_draft(s: &Server, passport: &str, lang: &str) -> (String, String) {
    let (number, code) = draft(s, passport, lang).await;
    let policy = Policy::default_kz();
    let (pdf, png) = (files::pdf, files::png);
    let required: Vec<String> = policy
        .permit_type("work")
        .unwrap()
        .documents
        .iter()
        .filter(|c| c.required)
        .map(|c| c.id.clone())
        .collect();
    for kind in &required {
        let kind = kind.as_str();
        let takes_pdf = policy
            .document(kind)
            .unwrap()
            .content_types
            .iter()
            .any(|t| t == "application/pdf");
        let bytes = if takes_pdf { pdf() } else { png() };
        let form = reqwest::multipart::Form::new()
            .text("kind", kind.to_owned())
            .part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("x.bin"),
            );
        let r = s.upload(&number, &code, form).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    // An optional photo, as an image.
    let form = reqwest::multipart::Form::new().text("kind", "photos").part(
        "file",
        reqwest::multipart::Part::bytes(png()).file_name("photo.png"),
    );
    let r = s.upload(&number, &code, form).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    (number, code)
}

/// An officer's action on case `number` at `version`, through the API.
pub async fn transition(
    s: &Server,
    token: &str,
    number: &str,
    version: i64,
    body: &Value,
) -> Response {
    s.http
        .post(s.url(&format!("/api/v1/cases/{number}/transitions")))
        .bearer_auth(token)
        .header("If-Match", format!("\"{version}\""))
        .json(body)
        .send()
        .await
        .unwrap()
}

/// A worker over `store` (the server's, or another handle on its database) with the default
/// policy, the server's document store and `transport`, as `tirkeu worker` builds one.
pub fn worker<S: Store, T: tirkeu_server::mail::Transport>(
    s: &Server,
    store: S,
    transport: T,
    config: tirkeu_server::worker::WorkerConfig,
) -> tirkeu_server::worker::Worker<S, T> {
    let policy = std::sync::Arc::new(Policy::default_kz());
    let source: tirkeu_server::worker::PolicySource = std::sync::Arc::new(move || policy.clone());
    tirkeu_server::worker::Worker::new(store, transport, s.documents.clone(), source, config)
}

/// The tests' API client. An idle pooled connection is not reused after half a second: the
/// edge tests' server closes idle connections after its 1 s header timeout, and reusing one
/// just as it closes fails the request with "connection reset" (seen once under load).
pub fn api_client() -> Client {
    Client::builder()
        .pool_idle_timeout(std::time::Duration::from_millis(500))
        .build()
        .unwrap()
}
