//! The access matrix: every route the server has (API and pages) × every kind of caller —
//! nobody, applicant A (with A's access code or A's kept application), applicant B, a host,
//! another host, an officer of A's office, an officer of another office, a supervisor and an
//! administrator — against objects that belong to someone else. Nothing may leak, and the
//! answer may never tell whether an object exists.
//!
//! The routes come from the router itself ([`tirkeu_server::listed_router`], see
//! `src/routing.rs`), not from a list kept here: a route without an entry in [`entries`] fails
//! the test, and so does an entry whose route is gone. Each entry says who may use the route
//! (on the object it names, when it names one), what that object is, and what to send.
//!
//! For every route and every caller who may *not* use it:
//! - the answer is not a success (2xx);
//! - when the route names an object (a case, a document, an arrival, an account, a key, a
//!   message), the answer for the real object is the answer for one that does not exist:
//!   same status, same `Location`, same content type, same body once the object's number or id
//!   is blotted out on both;
//! - nothing was written (the audit log's head does not move: every change and every
//!   officer's read of personal data is audited);
//! - the body holds no personal data of anyone else (each test person has a surname and a
//!   passport number found nowhere else, and a list of who may see them).
//!
//! Callers who may use a route get the personal-data check too (a host's list must not show
//! another host's guests, an officer's queue another office's cases), and the matrix checks
//! itself: such a caller is not turned away, and on the real object gets another answer than
//! on a missing one (else the entry would test nothing). Writes that a permitted caller makes
//! come after all the refusals, so the objects are as set up while refusals are tested.
//!
//! The summary line (`access matrix: N routes, M requests, L leaks`) is quoted in
//! docs/assurance.md.
#![allow(clippy::too_many_lines)] // one table of every route; one matrix, read top to bottom

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{NOW, PASSWORD, Server, ok_json};
use jiff::{SignedDuration, Timestamp};
use reqwest::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use reqwest::multipart::{Form, Part};
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use tirkeu_core::number::CaseNumber;
use tirkeu_core::policy::Policy;
use tirkeu_server::{App, ServerConfig};
use tirkeu_store::{AccountRole, Delivery, NewAudit, NewOutboxMessage, NewUser, Store, with_store};

/// The kinds of caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Role {
    Anonymous,
    ApplicantA,
    ApplicantB,
    Host,
    OtherHost,
    /// An officer of Almaty, A's office.
    Officer,
    /// An officer of Astana, B's office.
    OtherOfficer,
    Supervisor,
    Admin,
}

use Role::{
    Admin, Anonymous, ApplicantA, ApplicantB, Host, Officer, OtherHost, OtherOfficer, Supervisor,
};

const ROLES: [Role; 9] = [
    Anonymous,
    ApplicantA,
    ApplicantB,
    Host,
    OtherHost,
    Officer,
    OtherOfficer,
    Supervisor,
    Admin,
];

const ANYONE: &[Role] = &ROLES;
/// Everyone with an account (a session).
const SIGNED_IN: &[Role] = &[Host, OtherHost, Officer, OtherOfficer, Supervisor, Admin];
/// Who works cases (each on their own office's; the supervisor on all, by the policy).
const CASEWORKERS: &[Role] = &[Officer, OtherOfficer, Supervisor];
/// Who may work A's case.
const A_CASEWORKERS: &[Role] = &[Officer, Supervisor];
const STAFF: &[Role] = &[Officer, OtherOfficer, Supervisor, Admin];
const HOSTS: &[Role] = &[Host, OtherHost];
const ADMIN: &[Role] = &[Admin];
const A_ONLY: &[Role] = &[ApplicantA];
const HOST_ONLY: &[Role] = &[Host];

/// What a route's path parameters name (besides the language, a static file, a chart).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Obj {
    /// Nothing of anyone's.
    None,
    /// A's application (`{number}`, or a number in the body).
    Case,
    /// A document of A's application (`{number}` and `{document_id}`).
    Document,
    /// The first host's expected arrival (`{id}`).
    Arrival,
    /// An account (`{id}`).
    User,
    /// An API key (`{id}` in the API; `{id}` its account and `{key}` it on the pages).
    Key,
    /// A failed message (`{id}`).
    Message,
}

/// What a request carries.
enum Body {
    None,
    Json(Value),
    Form(Vec<(&'static str, String)>),
    Multipart(Vec<(&'static str, PartOf)>),
    Text(&'static str, String),
}

impl Body {
    /// What the body says, to tell what a caller sent from what they were shown.
    fn text(&self) -> String {
        match self {
            Body::None => String::new(),
            Body::Json(v) => v.to_string(),
            Body::Form(pairs) => format!("{pairs:?}"),
            Body::Text(_, t) => t.clone(),
            Body::Multipart(parts) => parts
                .iter()
                .map(|(_, p)| match p {
                    PartOf::Text(t) => t.clone(),
                    PartOf::File(..) => String::new(),
                })
                .collect(),
        }
    }
}

enum PartOf {
    Text(String),
    File(&'static str, Vec<u8>),
}

/// One route of the matrix.
struct Entry {
    method: Method,
    path: &'static str,
    /// Who may use the route: on [`Entry::obj`] when it names one, else at all.
    may: &'static [Role],
    obj: Obj,
    /// The request's body for a caller (some carry the caller's own secret: a passport
    /// number, an access code).
    body: fn(&Fx, Role) -> Body,
    /// Sends `If-Match` with A's current version.
    if_match: bool,
    /// Ends the caller's session: a permitted caller's request comes last of all.
    last: bool,
}

fn none(_: &Fx, _: Role) -> Body {
    Body::None
}

fn e(method: Method, path: &'static str, may: &'static [Role], obj: Obj) -> Entry {
    Entry {
        method,
        path,
        may,
        obj,
        body: none,
        if_match: false,
        last: false,
    }
}

impl Entry {
    fn body(mut self, body: fn(&Fx, Role) -> Body) -> Entry {
        self.body = body;
        self
    }
    fn if_match(mut self) -> Entry {
        self.if_match = true;
        self
    }
    fn last(mut self) -> Entry {
        self.last = true;
        self
    }
}

fn form(pairs: &[(&'static str, &str)]) -> Body {
    Body::Form(pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect())
}

/// A new application's answers, for whoever sends them.
fn new_application(surname: &str, passport: &str, city: &str) -> Value {
    json!({
        "permit_type": "work", "language": "en",
        "applicant": {
            "surname": surname, "given_names": "MATRIX", "passport_number": passport,
            "nationality": "DEU", "birth_date": "1980-01-02", "sex": "F", "passport_expiry": "2034-04-15"
        },
        "contact": {"email": "matrix@example.org", "phone": "+49 30 123456"},
        "address": {"city": city, "line": "Abay 10"},
        "arrival_date": "2026-11-01"
    })
}

fn guest(surname: &str, passport: &str) -> Value {
    json!({"surname": surname, "given_names": "MATRIX", "passport_number": passport,
        "nationality": "KOR", "birth_date": "1995-02-03", "sex": "F", "passport_expiry": "2031-01-01"})
}

fn arrival_body(_: &Fx, _: Role) -> Body {
    Body::Json(
        json!({"guest": guest("NEWGUEST", "N1234567"), "arrived_at": NOW,
        "address": {"city": "Almaty", "line": "Abay 1"}}),
    )
}

fn pdf_part() -> PartOf {
    PartOf::File("passport.pdf", common::files::pdf())
}

/// Every route's entry. Paths are axum's templates, as the router lists them.
fn entries() -> Vec<Entry> {
    use Obj::{Arrival, Case, Document, Key, Message, User};
    let (get, post, put, delete) = (Method::GET, Method::POST, Method::PUT, Method::DELETE);
    vec![
        // ---- API: applicants (no account: the number and the access code) ----
        e(post.clone(), "/api/v1/eligibility", ANYONE, Obj::None).body(|_, _| {
            Body::Json(json!({"nationality": "DEU", "purpose": "work", "entry": "2026-11-01", "planned_until": "2027-11-01"}))
        }),
        e(post.clone(), "/api/v1/applications", ANYONE, Obj::None)
            .body(|_, _| Body::Json(new_application("NEWAPPLICANT", "N7654321", "Almaty"))),
        e(get.clone(), "/api/v1/applications/{number}", A_ONLY, Case),
        e(post.clone(), "/api/v1/applications/{number}/documents", A_ONLY, Case).body(|_, _| {
            Body::Multipart(vec![("kind", PartOf::Text("passport".into())), ("file", pdf_part())])
        }),
        e(post.clone(), "/api/v1/applications/{number}/submit", A_ONLY, Case)
            .body(|_, _| Body::Json(json!({}))),
        e(post.clone(), "/api/v1/applications/{number}/withdraw", A_ONLY, Case)
            .body(|_, _| Body::Json(json!({}))),
        e(post.clone(), "/api/v1/applications/{number}/respond", A_ONLY, Case)
            .body(|_, _| Body::Json(json!({}))),
        e(get.clone(), "/api/v1/applications/{number}/receipt.pdf", A_ONLY, Case),
        e(get.clone(), "/api/v1/applications/{number}/receipt.html", A_ONLY, Case),
        // The number is A's, the passport number the caller's own.
        e(post.clone(), "/api/v1/status", A_ONLY, Case).body(|fx, role| {
            Body::Json(json!({"number": fx.number_in_body, "passport_number": fx.passport_of(role)}))
        }),
        // ---- API: sign-in, public ----
        e(post.clone(), "/api/v1/auth/login", ANYONE, Obj::None)
            .body(|_, _| Body::Json(json!({"username": "nobody-here", "password": "wrong password"}))),
        // Only a session that has passed the password and waits for its code finishes here;
        // none of the callers holds one (tests/api.rs tries that path).
        e(post.clone(), "/api/v1/auth/code", &[], Obj::None).body(|_, _| Body::Json(json!({"code": "123456"}))),
        // Staff without a second factor may set one up (the officers here); the others have one.
        e(post.clone(), "/api/v1/auth/second-factor", &[Officer, OtherOfficer], Obj::None)
            .body(|_, _| Body::Json(json!({}))),
        e(post.clone(), "/api/v1/auth/second-factor/confirm", &[Officer, OtherOfficer], Obj::None)
            .body(|_, _| Body::Json(json!({"code": "123456"}))),
        e(post.clone(), "/api/v1/auth/logout", SIGNED_IN, Obj::None)
            .body(|_, _| Body::Json(json!({})))
            .last(),
        // A card's verification token is a capability printed on the card: whoever holds it
        // may check the card. A made-up one is asked here; what it may show is public.
        e(get.clone(), "/api/v1/verify/{token}", ANYONE, Obj::None),
        e(get.clone(), "/api/v1/stats", ANYONE, Obj::None),
        e(get.clone(), "/healthz", ANYONE, Obj::None),
        e(get.clone(), "/readyz", ANYONE, Obj::None),
        // Behind its own token (none of the callers has it).
        e(get.clone(), "/metrics", &[], Obj::None),
        e(get.clone(), "/api/openapi.json", ANYONE, Obj::None),
        // ---- API: officers ----
        e(get.clone(), "/api/v1/cases", CASEWORKERS, Obj::None),
        e(get.clone(), "/api/v1/cases/{number}", A_CASEWORKERS, Case),
        e(get.clone(), "/api/v1/cases/{number}/documents/{document_id}", A_CASEWORKERS, Document),
        e(post.clone(), "/api/v1/cases/{number}/transitions", A_CASEWORKERS, Case)
            .body(|_, _| Body::Json(json!({"action": "start_review"})))
            .if_match(),
        // ---- API: administrators ----
        e(get.clone(), "/api/v1/admin/users", ADMIN, Obj::None),
        e(post.clone(), "/api/v1/admin/users", ADMIN, Obj::None).body(|_, _| {
            Body::Json(json!({"username": "made-by-matrix", "role": "officer", "office": "almaty", "password": "long enough password 1"}))
        }),
        e(post.clone(), "/api/v1/admin/users/{id}/disabled", ADMIN, User)
            .body(|_, _| Body::Json(json!({"disabled": true}))),
        e(post.clone(), "/api/v1/admin/users/{id}/api-keys", ADMIN, User)
            .body(|_, _| Body::Json(json!({"label": "matrix"}))),
        e(delete, "/api/v1/admin/api-keys/{id}", ADMIN, Key),
        e(get.clone(), "/api/v1/admin/messages/failed", ADMIN, Obj::None),
        e(post.clone(), "/api/v1/admin/messages/{id}/resend", ADMIN, Message)
            .body(|_, _| Body::Json(json!({}))),
        e(get.clone(), "/api/v1/admin/policy", &[Admin, Supervisor], Obj::None),
        e(put, "/api/v1/admin/policy", ADMIN, Obj::None)
            .body(|_, _| Body::Text("application/toml", tirkeu_core::policy::DEFAULT_POLICY_TOML.to_owned())),
        // ---- API: hosts ----
        e(post.clone(), "/api/v1/arrivals", HOSTS, Obj::None).body(arrival_body),
        e(get.clone(), "/api/v1/arrivals", HOSTS, Obj::None),
        e(post.clone(), "/api/v1/arrivals/{id}/confirm", HOST_ONLY, Arrival)
            .body(|_, _| Body::Json(json!({"arrived_at": NOW}))),
        e(post.clone(), "/api/v1/arrivals/import", HOSTS, Obj::None).body(|_, _| {
            Body::Text(
                "text/csv",
                "surname,given_names,passport_number,nationality,birth_date,sex,passport_expiry,arrived_at,city,line\r\n\
                 CSVGUEST,MATRIX,C1234567,KOR,1995-02-03,F,2031-01-01,2026-12-02T05:00:00Z,Almaty,Abay 1\r\n"
                    .to_owned(),
            )
        }),
        // ---- Pages: public ----
        e(get.clone(), "/", ANYONE, Obj::None),
        e(get.clone(), "/static/{file}", ANYONE, Obj::None),
        e(get.clone(), "/{lang}", ANYONE, Obj::None),
        e(get.clone(), "/{lang}/", ANYONE, Obj::None),
        e(get.clone(), "/{lang}/status", ANYONE, Obj::None),
        e(post.clone(), "/{lang}/status", A_ONLY, Case).body(|fx, role| {
            Body::Form(vec![("number", fx.number_in_body.clone()), ("passport_number", fx.passport_of(role).to_owned())])
        }),
        e(get.clone(), "/{lang}/eligibility", ANYONE, Obj::None),
        e(post.clone(), "/{lang}/eligibility", ANYONE, Obj::None).body(|_, _| {
            form(&[("nationality", "DEU"), ("purpose", "work"), ("planned_until", "2027-11-01")])
        }),
        e(get.clone(), "/{lang}/statistics", ANYONE, Obj::None),
        e(get.clone(), "/{lang}/statistics/{file}", ANYONE, Obj::None),
        // ---- Pages: the applicant's draft and application (kept in the caller's own
        // encrypted cookie: each caller reaches only their own) ----
        e(get.clone(), "/{lang}/apply", ANYONE, Obj::None),
        e(get.clone(), "/{lang}/apply/type", ANYONE, Obj::None),
        e(post.clone(), "/{lang}/apply/type", ANYONE, Obj::None).body(|_, _| form(&[("permit_type", "work")])),
        e(get.clone(), "/{lang}/apply/passport", ANYONE, Obj::None),
        e(post.clone(), "/{lang}/apply/passport", ANYONE, Obj::None).body(|_, _| form(&[("surname", "")])),
        e(get.clone(), "/{lang}/apply/contact", ANYONE, Obj::None),
        e(post.clone(), "/{lang}/apply/contact", ANYONE, Obj::None).body(|_, _| form(&[("email", "")])),
        e(get.clone(), "/{lang}/apply/documents", ANYONE, Obj::None),
        e(post.clone(), "/{lang}/apply/documents", ANYONE, Obj::None).body(|_, _| {
            Body::Multipart(vec![("kind", PartOf::Text("passport".into())), ("file", pdf_part())])
        }),
        e(get.clone(), "/{lang}/apply/check", ANYONE, Obj::None),
        e(post.clone(), "/{lang}/apply/submit", ANYONE, Obj::None).body(|_, _| form(&[])),
        e(get.clone(), "/{lang}/apply/confirmation", ANYONE, Obj::None),
        e(get.clone(), "/{lang}/apply/receipt.pdf", ANYONE, Obj::None),
        e(get.clone(), "/{lang}/apply/restart", ANYONE, Obj::None),
        e(post.clone(), "/{lang}/apply/restart", ANYONE, Obj::None).body(|_, _| form(&[])).last(),
        e(get.clone(), "/{lang}/application", ANYONE, Obj::None),
        // Opening an application: A's number with the caller's own code.
        e(post.clone(), "/{lang}/application", A_ONLY, Case).body(|fx, role| {
            Body::Form(vec![("number", fx.number_in_body.clone()), ("access_code", fx.code_of(role).to_owned())])
        }),
        e(post.clone(), "/{lang}/application/documents", ANYONE, Obj::None).body(|_, _| {
            Body::Multipart(vec![("kind", PartOf::Text("passport".into())), ("file", pdf_part())])
        }),
        e(post.clone(), "/{lang}/application/respond", ANYONE, Obj::None).body(|_, _| form(&[])),
        e(get.clone(), "/{lang}/application/withdraw", ANYONE, Obj::None),
        e(post.clone(), "/{lang}/application/withdraw", ANYONE, Obj::None).body(|_, _| form(&[])).last(),
        e(post.clone(), "/{lang}/application/forget", ANYONE, Obj::None).body(|_, _| form(&[])).last(),
        e(get.clone(), "/{lang}/renew", ANYONE, Obj::None),
        // Renewing: A's number with the caller's own code.
        e(post.clone(), "/{lang}/renew", A_ONLY, Case).body(|fx, role| {
            Body::Form(vec![("number", fx.number_in_body.clone()), ("access_code", fx.code_of(role).to_owned())])
        }),
        // ---- Pages: signing in ----
        e(get.clone(), "/{lang}/sign-in", ANYONE, Obj::None),
        e(post.clone(), "/{lang}/sign-in", ANYONE, Obj::None)
            .body(|_, _| form(&[("username", "nobody-here"), ("password", "wrong password")])),
        e(get.clone(), "/{lang}/sign-in/code", &[], Obj::None),
        e(post.clone(), "/{lang}/sign-in/code", &[], Obj::None).body(|_, _| form(&[("code", "123456")])),
        e(get.clone(), "/{lang}/second-factor", STAFF, Obj::None),
        e(post.clone(), "/{lang}/second-factor", STAFF, Obj::None).body(|_, _| form(&[("code", "123456")])),
        e(post.clone(), "/{lang}/sign-out", SIGNED_IN, Obj::None).body(|_, _| form(&[])).last(),
        // ---- Pages: the back office ----
        e(get.clone(), "/{lang}/staff", CASEWORKERS, Obj::None),
        e(post.clone(), "/{lang}/staff/search", CASEWORKERS, Obj::None)
            .body(|fx, _| Body::Form(vec![("q", fx.number_in_body.clone())])),
        e(get.clone(), "/{lang}/staff/dashboard", STAFF, Obj::None),
        e(get.clone(), "/{lang}/staff/cases/{number}", A_CASEWORKERS, Case),
        e(post.clone(), "/{lang}/staff/cases/{number}/assign", A_CASEWORKERS, Case)
            .body(|fx, _| Body::Form(vec![("version", fx.a_version.to_string())])),
        e(get.clone(), "/{lang}/staff/cases/{number}/documents/{document_id}", A_CASEWORKERS, Document),
        e(get.clone(), "/{lang}/staff/cases/{number}/actions/{action}", A_CASEWORKERS, Case),
        e(post.clone(), "/{lang}/staff/cases/{number}/actions/{action}", A_CASEWORKERS, Case)
            .body(|fx, _| Body::Form(vec![("version", fx.a_version.to_string()), ("confirm", "yes".into())])),
        // ---- Pages: hosts ----
        e(get.clone(), "/{lang}/host", HOSTS, Obj::None),
        e(get.clone(), "/{lang}/host/arrivals/new", HOSTS, Obj::None),
        e(post.clone(), "/{lang}/host/arrivals/new", HOSTS, Obj::None).body(|_, _| form(&[("surname", "")])),
        e(get.clone(), "/{lang}/host/arrivals/{id}", HOST_ONLY, Arrival),
        e(post.clone(), "/{lang}/host/arrivals/{id}/confirm", HOST_ONLY, Arrival).body(|_, _| form(&[])),
        e(get.clone(), "/{lang}/host/import", HOSTS, Obj::None),
        e(post.clone(), "/{lang}/host/import", HOSTS, Obj::None).body(|_, _| {
            Body::Multipart(vec![("file", PartOf::File("guests.csv", b"surname\r\n".to_vec()))])
        }),
        // ---- Pages: administrators ----
        e(get.clone(), "/{lang}/admin", ADMIN, Obj::None),
        e(get.clone(), "/{lang}/admin/users", ADMIN, Obj::None),
        e(post.clone(), "/{lang}/admin/users", ADMIN, Obj::None).body(|_, _| {
            form(&[("username", "made-by-matrix-page"), ("role", "officer"), ("office", "almaty"), ("host_kind", ""), ("password", "long enough password 2"), ("email", "")])
        }),
        e(get.clone(), "/{lang}/admin/users/{id}", ADMIN, User),
        e(post.clone(), "/{lang}/admin/users/{id}/disabled", ADMIN, User)
            .body(|_, _| form(&[("disabled", "true"), ("from", "user")])),
        e(post.clone(), "/{lang}/admin/users/{id}/keys", ADMIN, User).body(|_, _| form(&[("label", "matrix")])),
        e(get.clone(), "/{lang}/admin/users/{id}/shown-once", ADMIN, User),
        e(get.clone(), "/{lang}/admin/users/{id}/keys/{key}/revoke", ADMIN, Key),
        e(post.clone(), "/{lang}/admin/users/{id}/keys/{key}/revoke", ADMIN, Key).body(|_, _| form(&[])),
        e(get.clone(), "/{lang}/admin/policy", ADMIN, Obj::None),
        e(post.clone(), "/{lang}/admin/policy", ADMIN, Obj::None).body(|_, _| {
            Body::Multipart(vec![("file", PartOf::File("policy.toml", tirkeu_core::policy::DEFAULT_POLICY_TOML.as_bytes().to_vec()))])
        }),
        e(get.clone(), "/{lang}/admin/policy/download", ADMIN, Obj::None),
        e(get.clone(), "/{lang}/admin/messages", ADMIN, Obj::None),
        e(get.clone(), "/{lang}/admin/messages/{id}/resend", ADMIN, Message),
        e(post, "/{lang}/admin/messages/{id}/resend", ADMIN, Message).body(|_, _| form(&[])),
    ]
}

/// A caller's credentials: a bearer token for the API, a cookie for the pages.
#[derive(Default, Clone)]
struct Creds {
    bearer: Option<String>,
    cookie: Option<String>,
}

/// Personal data of one test person, and who may see it.
struct Marker {
    text: String,
    seen_by: &'static [Role],
}

/// The objects and callers of the matrix.
struct Fx {
    creds: BTreeMap<Role, Creds>,
    markers: Vec<Marker>,
    a_number: CaseNumber,
    a_id: i64,
    a_code: String,
    b_code: String,
    a_passport: String,
    b_passport: String,
    a_version: i64,
    a_document: i64,
    /// The number a body carries for the request at hand (A's, or a missing one).
    number_in_body: String,
    arrival: i64,
    victim: i64,
    key_api: i64,
    key_page: i64,
    message_api: i64,
    message_page: i64,
}

impl Fx {
    fn passport_of(&self, role: Role) -> &str {
        match role {
            ApplicantA => &self.a_passport,
            ApplicantB => &self.b_passport,
            _ => "X0000000",
        }
    }
    fn code_of(&self, role: Role) -> &str {
        match role {
            ApplicantA => &self.a_code,
            ApplicantB => &self.b_code,
            _ => "NOT-A-CODE",
        }
    }
}

/// A submitted application (city `city`) with every required document: (number, code).
async fn application(s: &Server, surname: &str, passport: &str, city: &str) -> (String, String) {
    let created = ok_json(
        s.post(
            "/api/v1/applications",
            None,
            &new_application(surname, passport, city),
        )
        .await,
        StatusCode::CREATED,
    )
    .await;
    let number = created["number"].as_str().unwrap().to_owned();
    let code = created["access_code"].as_str().unwrap().to_owned();
    let policy = Policy::default_kz();
    for c in policy
        .permit_type("work")
        .unwrap()
        .documents
        .iter()
        .filter(|c| c.required)
    {
        let pdf = policy
            .document(&c.id)
            .unwrap()
            .content_types
            .iter()
            .any(|t| t == "application/pdf");
        let bytes = if pdf {
            common::files::pdf()
        } else {
            common::files::png()
        };
        let form = Form::new()
            .text("kind", c.id.clone())
            .part("file", Part::bytes(bytes).file_name("x.bin"));
        assert_eq!(
            s.upload(&number, &code, form).await.status(),
            StatusCode::CREATED
        );
    }
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

async fn new_account(
    s: &Server,
    username: &str,
    role: AccountRole,
    host_kind: Option<&str>,
) -> i64 {
    let user = NewUser {
        username: username.into(),
        role,
        password_hash: password_auth::generate_hash(PASSWORD),
        host_kind: host_kind.map(str::to_owned),
        office: None,
        created_at: Timestamp::now(),
        email: None,
        language: None,
    };
    with_store!(&s.store, st => st.create_user(&user, "test").await.unwrap().id)
}

/// Opens application `number` with `code` on the pages, as a browser does: the cookie that
/// keeps it.
async fn kept_application(s: &Server, web: &Client, number: &str, code: &str) -> String {
    let r = web
        .post(s.url("/en/application"))
        .header("Sec-Fetch-Site", "same-origin")
        .form(&[("number", number), ("access_code", code)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "open {number}");
    r.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("tirkeu_draft="))
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

async fn fixture(s: &Server, web: &Client) -> Fx {
    let (a_number, a_code) = application(s, "ALPHAMATRIXSON", "MA1000001", "Almaty").await;
    let (b_number, b_code) = application(s, "BRAVOMATRIXSON", "MB2000002", "Astana").await;
    let a_number = CaseNumber::parse(&a_number).unwrap();
    let a = with_store!(&s.store, st => st.application_by_number(&a_number).await.unwrap());
    assert_eq!(a.office, "almaty");
    let a_document = with_store!(&s.store, st => st.documents(a.id).await.unwrap())[0].id;

    let other_officer = s
        .staff_of("officer-astana", AccountRole::Officer, "astana")
        .await;
    new_account(s, "host2", AccountRole::Host, Some("individual")).await;
    let other_host = s.login("host2").await;
    let victim = new_account(s, "matrix-victim", AccountRole::Host, Some("individual")).await;
    let (key_api, key_page) = with_store!(&s.store, st => {
        let mut ids = Vec::new();
        for label in ["api", "page"] {
            let hash = tirkeu_server::secrets::sha256_hex(&tirkeu_server::secrets::token("tka_"));
            ids.push(st.create_api_key(victim, &hash, label, Timestamp::now(), "test").await.unwrap().id);
        }
        (ids[0], ids[1])
    });

    // Expected arrivals, one for each host, due in two hours.
    let planned = (s.clock.now() + SignedDuration::from_hours(2)).to_string();
    let mut arrivals = Vec::new();
    for (token, surname, passport) in [
        (&s.host, "GUESTONEMATRIX", "MG1000001"),
        (&other_host, "GUESTTWOMATRIX", "MG2000002"),
    ] {
        let body = json!({"guest": guest(surname, passport), "arrived_at": planned,
            "address": {"city": "Almaty", "line": "Abay 1"}, "expected": true});
        let r = ok_json(
            s.post("/api/v1/arrivals", Some(token), &body).await,
            StatusCode::CREATED,
        )
        .await;
        arrivals.push(r["id"].as_i64().unwrap());
    }

    // Two failed messages (one for each door's resend), failed as the worker fails them.
    let (message_api, message_page) = with_store!(&s.store, st => {
        let at: Timestamp = NOW.parse().unwrap();
        for i in 0..2 {
            let queued = st
                .queue_message(
                    &NewOutboxMessage { kind: "host.deadline_missed".into(), payload: json!({"arrival_id": arrivals[0], "user_id": 5}), available_at: at, dedupe_key: Some(format!("matrix:{i}")) },
                    &NewAudit { at, actor: "test".into(), action: "outbox.queue".into(), object: format!("arrival:{i}"), payload: json!({}) },
                )
                .await
                .unwrap();
            assert!(queued);
        }
        let claimed = st.claim_outbox("test-worker", at + SignedDuration::from_mins(1), SignedDuration::from_mins(5), 500).await.unwrap();
        let mut ours = Vec::new();
        for m in &claimed {
            // The applicants' notices are sent (a failed one shows its case number to
            // administrators, as it should); the two reminders fail.
            let outcome = if m.kind == "host.deadline_missed" {
                ours.push(m.id);
                Delivery::Failed { error: "550 no such mailbox".into() }
            } else {
                Delivery::Sent { template_version: "test".into() }
            };
            st.outbox_done(m.id, "test-worker", at, &outcome).await.unwrap();
        }
        assert_eq!(ours.len(), 2, "{claimed:?}");
        (ours[0], ours[1])
    });

    let mut creds = BTreeMap::new();
    creds.insert(Anonymous, Creds::default());
    for (role, code, number) in [
        (ApplicantA, &a_code, a_number.to_string()),
        (ApplicantB, &b_code, b_number.clone()),
    ] {
        creds.insert(
            role,
            Creds {
                bearer: Some(code.clone()),
                cookie: Some(kept_application(s, web, &number, code).await),
            },
        );
    }
    for (role, token, username) in [
        (Host, s.host.clone(), "hotel"),
        (OtherHost, other_host, "host2"),
        (Officer, s.officer.clone(), "officer"),
        (OtherOfficer, other_officer, "officer-astana"),
        (Supervisor, s.supervisor.clone(), "supervisor"),
        (Admin, s.admin.clone(), "admin"),
    ] {
        creds.insert(
            role,
            Creds {
                bearer: Some(token),
                cookie: Some(s.page_session(username).await),
            },
        );
    }
    let marker = |text: &str, seen_by| Marker {
        text: text.to_owned(),
        seen_by,
    };
    let b_number = CaseNumber::parse(&b_number).unwrap();
    // Case numbers are not personal data, but no list may show another office's.
    let numbers = [
        (&a_number, &[ApplicantA, Officer, Supervisor][..]),
        (&b_number, &[ApplicantB, OtherOfficer, Supervisor][..]),
    ]
    .into_iter()
    .flat_map(|(n, seen_by)| {
        [
            marker(&n.to_string(), seen_by),
            marker(&n.compact(), seen_by),
        ]
    })
    .collect::<Vec<_>>();
    Fx {
        creds,
        markers: numbers
            .into_iter()
            .chain([
                marker("ALPHAMATRIXSON", &[ApplicantA, Officer, Supervisor]),
                marker("MA1000001", &[ApplicantA, Officer, Supervisor]),
                marker("BRAVOMATRIXSON", &[ApplicantB, OtherOfficer, Supervisor]),
                marker("MB2000002", &[ApplicantB, OtherOfficer, Supervisor]),
                marker("GUESTONEMATRIX", &[Host]),
                marker("MG1000001", &[Host]),
                marker("GUESTTWOMATRIX", &[OtherHost]),
                marker("MG2000002", &[OtherHost]),
            ])
            .collect(),
        number_in_body: a_number.to_string(),
        a_id: a.id,
        a_version: a.version,
        a_number,
        a_code,
        b_code,
        a_passport: "MA1000001".into(),
        b_passport: "MB2000002".into(),
        a_document,
        arrival: arrivals[0],
        victim,
        key_api,
        key_page,
        message_api,
        message_page,
    }
}

/// An answer, as far as the matrix compares answers.
#[derive(Debug, PartialEq, Eq)]
struct Answer {
    /// The request's path and body, as far as they are text.
    sent: String,
    status: u16,
    location: String,
    content_type: String,
    body: String,
}

impl Answer {
    /// The answer with each of `values` (the object's number or id, real and missing) blotted
    /// out, longest first.
    fn blotted(&self, values: &[String]) -> Answer {
        let mut values: Vec<&String> = values.iter().filter(|v| !v.is_empty()).collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        let blot = |s: &str| {
            values
                .iter()
                .fold(s.to_owned(), |s, v| s.replace(v.as_str(), "\u{2588}"))
        };
        Answer {
            sent: String::new(),
            status: self.status,
            location: blot(&self.location),
            content_type: self.content_type.clone(),
            body: blot(&self.body),
        }
    }
    fn success(&self) -> bool {
        (200..300).contains(&self.status)
    }
    /// Turned away at the door: refused, or sent to sign in (pages).
    fn turned_away(&self) -> bool {
        matches!(self.status, 401 | 403) || self.location.ends_with("/sign-in")
    }
}

/// The values that fill a route's path parameters, for the real object or a missing one.
struct Filled {
    path: String,
    /// The object's number or ids as they may appear in an answer.
    shown: Vec<String>,
}

const MISSING_ID: i64 = 987_654_321;

fn fill(fx: &Fx, path: &str, obj: Obj, real: bool, missing: &CaseNumber) -> Filled {
    let number = if real { &fx.a_number } else { missing };
    let id = |v: i64| if real { v } else { MISSING_ID };
    let web = !path.starts_with("/api/");
    let (id_value, key_value) = match obj {
        Obj::Arrival => (Some(id(fx.arrival)), None),
        Obj::User => (Some(id(fx.victim)), None),
        Obj::Message => (
            Some(id(if web { fx.message_page } else { fx.message_api })),
            None,
        ),
        Obj::Key if path.contains("{key}") => (Some(id(fx.victim)), Some(id(fx.key_page))),
        Obj::Key => (Some(id(fx.key_api)), None),
        _ => (None, None),
    };
    let document = id(fx.a_document);
    let mut shown = vec![number.to_string(), number.compact()];
    shown.extend(id_value.map(|v| v.to_string()));
    shown.extend(key_value.map(|v| v.to_string()));
    if obj == Obj::Document {
        shown.push(document.to_string());
    }
    let file = if path.starts_with("/static/") {
        "tirkeu.css"
    } else {
        "backlog-by-state.csv"
    };
    let path = path
        .replace("{lang}", "en")
        .replace("{number}", &number.compact())
        .replace("{document_id}", &document.to_string())
        .replace("{action}", "start_review")
        .replace("{id}", &id_value.unwrap_or(1).to_string())
        .replace("{key}", &key_value.unwrap_or(1).to_string())
        .replace("{file}", file)
        .replace("{token}", "made-up-verification-token");
    Filled { path, shown }
}

async fn send(s: &Server, http: &Client, fx: &Fx, entry: &Entry, role: Role, path: &str) -> Answer {
    let creds = &fx.creds[&role];
    let mut r = http.request(entry.method.clone(), s.url(path));
    if path.starts_with("/api/") || ["/healthz", "/readyz", "/metrics"].contains(&path) {
        if let Some(t) = &creds.bearer {
            r = r.bearer_auth(t);
        }
    } else {
        if let Some(c) = &creds.cookie {
            r = r.header(COOKIE, c);
        }
        // A browser's same-origin request: past the CSRF layer, to the handler.
        r = r
            .header("Sec-Fetch-Site", "same-origin")
            .header("Origin", &s.base);
    }
    if entry.if_match {
        r = r.header("If-Match", format!("\"{}\"", fx.a_version));
    }
    let body = (entry.body)(fx, role);
    let sent = format!("{path} {}", body.text());
    r = match body {
        Body::None => r,
        Body::Json(v) => r.json(&v),
        Body::Form(pairs) => r.form(&pairs),
        Body::Text(ct, text) => r.header(CONTENT_TYPE, ct).body(text),
        Body::Multipart(parts) => {
            let mut form = Form::new();
            for (name, part) in parts {
                form = match part {
                    PartOf::Text(t) => form.text(name, t),
                    PartOf::File(file, bytes) => {
                        form.part(name, Part::bytes(bytes).file_name(file))
                    }
                };
            }
            r.multipart(form)
        }
    };
    let res = r.send().await.unwrap();
    let header = |name| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let (status, location, content_type) = (
        res.status().as_u16(),
        header(LOCATION),
        header(CONTENT_TYPE),
    );
    let body = String::from_utf8_lossy(&res.bytes().await.unwrap()).into_owned();
    Answer {
        sent,
        status,
        location,
        content_type,
        body,
    }
}

/// What the matrix found.
#[derive(Default)]
struct Tally {
    requests: usize,
    leaks: Vec<String>,
    /// Entries that test nothing (a permitted caller turned away, or not told from a missing
    /// object): the matrix's own faults.
    faults: Vec<String>,
}

impl Tally {
    /// Personal data (or a case number) in `a` that `role` may not see and did not send.
    fn markers(&mut self, fx: &Fx, what: &str, role: Role, a: &Answer) {
        for m in &fx.markers {
            if !m.seen_by.contains(&role)
                && !a.sent.contains(&m.text)
                && (a.body.contains(&m.text) || a.location.contains(&m.text))
            {
                self.leaks.push(format!(
                    "{what} as {role:?}: the answer shows {} ({})",
                    m.text, a.status
                ));
            }
        }
    }
}

async fn audit_head(s: &Server) -> i64 {
    with_store!(&s.store, st => st.audit_head().await.unwrap().0)
}

/// The routes as the server's router lists them, by (method, path template).
fn server_routes(s: &Server) -> BTreeSet<(String, String)> {
    let config = ServerConfig::new(&s.base, s.dir.path());
    let app = App::new(s.store.clone(), Policy::default_kz(), config).unwrap();
    tirkeu_server::listed_router(app)
        .1
        .into_iter()
        .map(|r| (r.method.to_string(), r.path))
        .collect()
}

/// The API's documented operations are the router's API routes (bar the document itself):
/// a route added to one and not the other is caught here.
fn documented_routes_are_the_routers(routes: &BTreeSet<(String, String)>) {
    let doc: Value = serde_json::from_str(&tirkeu_server::openapi_json()).unwrap();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }
    let api: BTreeSet<_> = routes
        .iter()
        .filter(|(_, p)| {
            (p.starts_with("/api/") || ["/healthz", "/readyz", "/metrics"].contains(&p.as_str()))
                && p != "/api/openapi.json"
        })
        .cloned()
        .collect();
    assert_eq!(
        documented, api,
        "the OpenAPI document and the router list different API routes"
    );
}

async fn access_matrix(s: Server) {
    let routes = server_routes(&s);
    documented_routes_are_the_routers(&routes);
    let table = entries();
    let keyed: BTreeMap<(String, String), &Entry> = table
        .iter()
        .map(|e| ((e.method.to_string(), e.path.to_owned()), e))
        .collect();
    assert_eq!(keyed.len(), table.len(), "an entry is listed twice");
    let unlisted: Vec<_> = routes.iter().filter(|r| !keyed.contains_key(*r)).collect();
    assert!(
        unlisted.is_empty(),
        "routes without an access-matrix entry (add them to entries()): {unlisted:?}"
    );
    let stale: Vec<_> = keyed.keys().filter(|k| !routes.contains(*k)).collect();
    assert!(
        stale.is_empty(),
        "access-matrix entries for routes the server does not have: {stale:?}"
    );

    // A connection per request: a refusal before the body was read closes its connection,
    // and a pooled one would be reused after the server closed it.
    let http = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let mut fx = fixture(&s, &http).await;
    let missing = CaseNumber::generate();
    let mut tally = Tally::default();
    // Permitted callers' requests, made after every refusal: (entry, role).
    let mut permitted = Vec::new();

    for key in &routes {
        let entry = keyed[key];
        let what = format!("{} {}", key.0, key.1);
        for role in ROLES {
            if entry.may.contains(&role) {
                permitted.push((entry, role));
                continue;
            }
            let real = fill(&fx, entry.path, entry.obj, true, &missing);
            let head = audit_head(&s).await;
            fx.number_in_body = fx.a_number.to_string();
            let got = send(&s, &http, &fx, entry, role, &real.path).await;
            tally.requests += 1;
            tally.markers(&fx, &what, role, &got);
            if got.success() {
                tally.leaks.push(format!(
                    "{what} as {role:?}: {} on another's object or a route not theirs",
                    got.status
                ));
            }
            if audit_head(&s).await != head {
                tally.leaks.push(format!(
                    "{what} as {role:?}: the refused request wrote to the audit log ({})",
                    got.status
                ));
            }
            if entry.obj != Obj::None {
                let fake = fill(&fx, entry.path, entry.obj, false, &missing);
                fx.number_in_body = missing.to_string();
                let nothing = send(&s, &http, &fx, entry, role, &fake.path).await;
                tally.requests += 1;
                let shown: Vec<String> = real.shown.iter().chain(&fake.shown).cloned().collect();
                let (got, nothing) = (got.blotted(&shown), nothing.blotted(&shown));
                if got != nothing {
                    tally.leaks.push(format!(
                        "{what} as {role:?}: another's object is answered unlike a missing one: {} {:?} vs {} {:?}\n  {}\n  vs\n  {}",
                        got.status, got.location, nothing.status, nothing.location,
                        excerpt(&got.body), excerpt(&nothing.body)
                    ));
                }
            }
        }
    }

    // Permitted callers: reads first, then writes, then what ends a session.
    permitted.sort_by_key(|(e, _)| (e.last, e.method != Method::GET));
    for (entry, role) in permitted {
        let what = format!("{} {}", entry.method, entry.path);
        fx.a_version = with_store!(&s.store, st => st.application(fx.a_id).await.unwrap().version);
        let restricted = entry.may.len() < ROLES.len();
        if entry.obj == Obj::None {
            let path = fill(&fx, entry.path, entry.obj, true, &missing).path;
            fx.number_in_body = fx.a_number.to_string();
            let got = send(&s, &http, &fx, entry, role, &path).await;
            tally.requests += 1;
            tally.markers(&fx, &what, role, &got);
            if restricted && got.turned_away() {
                tally.faults.push(format!(
                    "{what} as {role:?}: turned away ({}), yet the entry permits it",
                    got.status
                ));
            }
            continue;
        }
        let fake = fill(&fx, entry.path, entry.obj, false, &missing);
        fx.number_in_body = missing.to_string();
        let nothing = send(&s, &http, &fx, entry, role, &fake.path).await;
        let real = fill(&fx, entry.path, entry.obj, true, &missing);
        fx.number_in_body = fx.a_number.to_string();
        let got = send(&s, &http, &fx, entry, role, &real.path).await;
        tally.requests += 2;
        tally.markers(&fx, &what, role, &got);
        let shown: Vec<String> = real.shown.iter().chain(&fake.shown).cloned().collect();
        if got.blotted(&shown) == nothing.blotted(&shown) {
            tally.faults.push(format!(
                "{what} as {role:?}: the object's owner gets the answer for a missing object ({}): the entry tests nothing\n  {}",
                got.status,
                excerpt(&got.body)
            ));
        }
    }

    println!(
        "access matrix: {} routes, {} requests, {} leaks",
        routes.len(),
        tally.requests,
        tally.leaks.len()
    );
    assert!(tally.leaks.is_empty(), "leaks:\n{}", tally.leaks.join("\n"));
    assert!(
        tally.faults.is_empty(),
        "the matrix's own faults:\n{}",
        tally.faults.join("\n")
    );
}

/// The start of a body, for a report.
fn excerpt(body: &str) -> String {
    body.chars()
        .take(300)
        .collect::<String>()
        .replace('\n', " ")
}

fn generous(config: &mut ServerConfig) {
    // The matrix asks the status lookup and the sign-in dozens of times from one address.
    config.status_per_client_per_minute = 100_000;
    config.status_per_number_per_minute = 100_000;
    config.logins_per_client_per_minute = 100_000;
    config.logins_per_user_per_minute = 100_000;
}

on_both_with!(generous; access_matrix);
