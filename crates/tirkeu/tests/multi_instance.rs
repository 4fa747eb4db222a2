//! Two `tirkeu serve` processes behind a real load balancer, as a scaled-out deployment runs:
//! one PostgreSQL database (a scratch one from `TIRKEU_TEST_POSTGRES_URL`), one S3-compatible
//! document store (moto's, on 127.0.0.1), instances A and B (each its own port and data
//! directory, the same database, lookup key and public URL), and Debian's haproxy
//! (`TIRKEU_TEST_HAPROXY`) in front, round robin with `/readyz` health checks.
//!
//! 1. An application created and its documents uploaded through A is read by an officer through
//!    B, byte for byte, and decided through B up to the issued card (approving and issuing by
//!    a supervisor, the second pair of eyes); A reads what B decided.
//! 2. The failure budgets hold across both: failed status lookups of one number, alternating
//!    between A and B, are refused after `status_per_number_per_minute` in all (not twice
//!    that); the same for failed sign-ins of one account.
//! 3. Sessions: a token signed in at A works at B (and, through haproxy, at both), a
//!    second factor set up at A is confirmed at B, a page session from A's sign-in form opens
//!    B's pages, and signing out at B ends the session at A.
//! 4. B is killed (SIGKILL) while applicants submit through haproxy: every acknowledged
//!    submission is found afterwards through A, with its documents; only the applicants whose
//!    requests were in flight at the kill may fail, and haproxy routes around B once its
//!    health check fails.

mod common;

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::s3::S3Server;
use common::{
    Acked, KEY, Outcome, ScratchDb, apply, document_bytes, required_documents, start_server,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const BUCKET: &str = "tirkeu-documents";
const PASSWORD: &str = "correct horse battery staple";
/// `status_per_number_per_minute` of both instances: failed lookups of one number a minute.
const STATUS_BUDGET: usize = 6;
/// Failed sign-ins of one account a minute (fixed in the product).
const SIGN_IN_BUDGET: usize = 5;
/// Applicants at once in the kill story.
const CLIENTS: usize = 8;
/// Submissions acknowledged before the kill, and after haproxy marked the dead one down.
const BEFORE_KILL: usize = 24;
const AFTER_DOWN: usize = 24;

#[test]
#[cfg_attr(
    not(tirkeu_haproxy),
    ignore = "load balancer not configured: set TIRKEU_TEST_HAPROXY=/usr/sbin/haproxy"
)]
#[cfg_attr(
    all(tirkeu_haproxy, not(tirkeu_pg)),
    ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
)]
#[cfg_attr(
    all(tirkeu_haproxy, tirkeu_pg, not(tirkeu_s3)),
    ignore = "S3 server not configured: pip install 'moto[server]' and set TIRKEU_TEST_S3_PYTHON=python3"
)]
fn two_instances_behind_haproxy_on_one_database_and_one_store() {
    let started = Instant::now();
    let db = ScratchDb::create("tirkeu_multi");
    let s3 = S3Server::start(&[BUCKET]);
    let dir = tempfile::tempdir().unwrap();
    let lb_port = free_port();
    let lb = format!("http://127.0.0.1:{lb_port}");
    let endpoint = s3.endpoint();
    let status_budget = STATUS_BUDGET.to_string();
    // What every instance shares: the database, the lookup key (which also keys the web
    // cookies and the shared failure budgets), the document store and the public URL.
    let envs: Vec<(&str, &str)> = vec![
        ("TIRKEU_LOOKUP_KEY", KEY),
        ("TIRKEU_PUBLIC_URL", &lb),
        ("TIRKEU_DOCUMENTS_URL", "s3://tirkeu-documents/almaty"),
        ("TIRKEU_S3_ENDPOINT", &endpoint),
        ("TIRKEU_S3_REGION", "us-east-1"),
        ("TIRKEU_S3_ACCESS_KEY_ID", &s3.access_key_id),
        ("TIRKEU_S3_SECRET_ACCESS_KEY", &s3.secret_access_key),
        ("TIRKEU_S3_ALLOW_HTTP", "true"),
        ("TIRKEU_TRUSTED_PROXIES", "127.0.0.1"),
        ("TIRKEU_STATUS_PER_NUMBER_PER_MINUTE", &status_budget),
        // Every client here is 127.0.0.1: the creation limit per client would starve the test.
        ("TIRKEU_CREATES_PER_CLIENT_PER_MINUTE", "1000000"),
    ];
    // Both at once, as a deployment starts them: each migrates the one database at start.
    let ((mut a, a_base), (mut b, b_base)) = std::thread::scope(|scope| {
        let a = scope.spawn(|| start_server(&db.url, &dir.path().join("a"), &envs));
        let b = scope.spawn(|| start_server(&db.url, &dir.path().join("b"), &envs));
        (a.join().unwrap(), b.join().unwrap())
    });
    for (name, role) in [
        ("officer", "officer"),
        ("clerk", "officer"),
        ("supervisor", "supervisor"),
    ] {
        add_user(&db.url, name, role);
    }
    let haproxy = Haproxy::start(dir.path(), lb_port, [&a_base, &b_base]);
    haproxy.wait_until(&[("a", "UP"), ("b", "UP")], Duration::from_secs(20));

    let rt = tokio::runtime::Runtime::new().unwrap();
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let t = Instances {
        a: a_base,
        b: b_base,
        lb: lb.clone(),
        http,
    };
    let officer = rt.block_on(t.decided_through_b());
    rt.block_on(t.sessions(&officer));
    rt.block_on(t.budgets_hold_across_both());
    let killed = rt.block_on(t.kill_under_load(&mut b, &haproxy, &officer));
    a_is_up(&t, &rt);
    audit_verify(&db.url);
    println!(
        "multi-instance (PostgreSQL, S3, haproxy): acknowledged {} ({} before the kill), lost {}; \
         applicants cut off by the kill {} (submits in doubt {}, of them committed {}); \
         b down in haproxy {} ms after the kill, applicants begun in between {} (all \
         acknowledged); {} documents read back through a; {:.0} s",
        killed.acked,
        killed.acked_before_kill,
        killed.lost,
        killed.cut_off.len(),
        killed.in_doubt,
        killed.committed_in_doubt,
        killed.down_after.as_millis(),
        killed.while_dead,
        killed.documents,
        started.elapsed().as_secs_f64()
    );
    for what in &killed.cut_off {
        println!("  cut off: {what}");
    }
    assert_eq!(killed.lost, 0, "acknowledged submissions were lost");
    drop(haproxy);
    a.kill();
}

/// A port free a moment ago (haproxy needs one in its configuration).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `tirkeu ARGS` on `url`, with `stdin`.
fn tirkeu(url: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .args(args)
        .args(["--database", url])
        .env("TIRKEU_LOOKUP_KEY", KEY)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run tirkeu");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A staff account of the Almaty office, as an operator adds one.
fn add_user(url: &str, username: &str, role: &str) {
    let out = tirkeu(
        url,
        &[
            "user",
            "add",
            "--username",
            username,
            "--role",
            role,
            "--office",
            "almaty",
            "--password-stdin",
        ],
        PASSWORD,
    );
    assert!(
        out.status.success(),
        "user add {username}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The operator's check: `tirkeu audit verify` says the log is intact.
fn audit_verify(url: &str) {
    let out = tirkeu(url, &["audit", "verify"], "");
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("audit log intact"), "{said}");
}

/// haproxy in the foreground, with its admin socket; killed when dropped.
struct Haproxy {
    child: Child,
    socket: std::path::PathBuf,
}

impl Haproxy {
    /// Round robin over `servers` (named a, b, …) on 127.0.0.1:`port`, as docs/operations.md
    /// ("Several instances") shows it, with health checks every half second so that the test
    /// sees a dead server marked down within a second or two.
    fn start(dir: &Path, port: u16, servers: [&str; 2]) -> Haproxy {
        let socket = dir.join("haproxy.sock");
        let mut config = format!(
            "global\n\
             \x20   stats socket {} mode 600 level admin\n\
             defaults\n\
             \x20   mode http\n\
             \x20   option forwardfor\n\
             \x20   timeout connect 2s\n\
             \x20   timeout http-request 10s\n\
             \x20   timeout client 60s\n\
             \x20   timeout http-keep-alive 5s\n\
             \x20   timeout server 60s\n\
             \x20   timeout queue 5s\n\
             \x20   retries 3\n\
             \x20   option redispatch 1\n\
             frontend tirkeu\n\
             \x20   bind 127.0.0.1:{port}\n\
             \x20   http-response set-header X-Served-By %s\n\
             \x20   default_backend tirkeu\n\
             backend tirkeu\n\
             \x20   balance roundrobin\n\
             \x20   option httpchk GET /readyz\n\
             \x20   http-check expect status 200\n\
             \x20   default-server inter 500ms fall 2 rise 1\n",
            socket.display()
        );
        for (name, base) in ["a", "b"].iter().zip(servers) {
            let addr = base.trim_start_matches("http://");
            writeln!(config, "    server {name} {addr} check").unwrap();
        }
        let path = dir.join("haproxy.cfg");
        std::fs::write(&path, config).unwrap();
        let haproxy = std::env::var("TIRKEU_TEST_HAPROXY").expect("TIRKEU_TEST_HAPROXY");
        let check = Command::new(&haproxy)
            .arg("-c")
            .arg("-f")
            .arg(&path)
            .output()
            .expect("run haproxy -c");
        assert!(
            check.status.success(),
            "haproxy refused the configuration: {}{}",
            String::from_utf8_lossy(&check.stdout),
            String::from_utf8_lossy(&check.stderr)
        );
        let child = Command::new(&haproxy)
            .arg("-db")
            .arg("-f")
            .arg(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start haproxy");
        Haproxy { child, socket }
    }

    /// Each server of the backend and its state as haproxy sees it (`UP`, `DOWN`, …).
    fn states(&self) -> HashMap<String, String> {
        let Ok(mut s) = std::os::unix::net::UnixStream::connect(&self.socket) else {
            return HashMap::new();
        };
        if s.write_all(b"show stat\n").is_err() {
            return HashMap::new();
        }
        let mut lines = BufReader::new(s).lines().map_while(Result::ok);
        let Some(header) = lines.next() else {
            return HashMap::new();
        };
        let columns: Vec<&str> = header.trim_start_matches("# ").split(',').collect();
        let at = |name| columns.iter().position(|c| *c == name).unwrap();
        let (px, sv, status) = (at("pxname"), at("svname"), at("status"));
        lines
            .filter_map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (f.len() > status && f[px] == "tirkeu" && matches!(f[sv], "a" | "b"))
                    .then(|| (f[sv].to_owned(), f[status].to_owned()))
            })
            .collect()
    }

    /// Waits until haproxy sees each server in its `want`ed state; how long that took.
    fn wait_until(&self, want: &[(&str, &str)], limit: Duration) -> Duration {
        let started = Instant::now();
        loop {
            let states = self.states();
            if want
                .iter()
                .all(|(sv, st)| states.get(*sv).is_some_and(|s| s.starts_with(st)))
            {
                return started.elapsed();
            }
            assert!(
                started.elapsed() < limit,
                "haproxy did not see {want:?} within {limit:?}: {states:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Haproxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The two instances' addresses, the load balancer's, and a client.
struct Instances {
    a: String,
    b: String,
    lb: String,
    http: reqwest::Client,
}

/// What the kill story found.
struct Killed {
    acked: usize,
    acked_before_kill: usize,
    lost: usize,
    /// What each applicant cut off by the kill got instead of an answer.
    cut_off: Vec<String>,
    in_doubt: usize,
    committed_in_doubt: usize,
    down_after: Duration,
    /// Applicants who began between the death of B and haproxy's marking it down.
    while_dead: usize,
    documents: usize,
}

impl Instances {
    async fn post(&self, base: &str, path: &str, token: Option<&str>, body: &Value) -> Response {
        let mut r = self.http.post(format!("{base}{path}")).json(body);
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        Response::of(r.send().await.unwrap()).await
    }

    async fn get(&self, base: &str, path: &str, token: Option<&str>) -> Response {
        let mut r = self.http.get(format!("{base}{path}"));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        Response::of(r.send().await.unwrap()).await
    }

    /// A page form posted to an instance, as a browser would (no cookie yet).
    async fn page_form(&self, base: &str, path: &str, form: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(format!("{base}{path}"))
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// A page read from an instance with a cookie (`name=value`).
    async fn page(&self, base: &str, path: &str, cookie: &str) -> reqwest::Response {
        self.http
            .get(format!("{base}{path}"))
            .header(reqwest::header::COOKIE, cookie)
            .send()
            .await
            .unwrap()
    }

    async fn login(&self, base: &str, username: &str, password: &str) -> Response {
        self.post(
            base,
            "/api/v1/auth/login",
            None,
            &json!({"username": username, "password": password}),
        )
        .await
    }

    async fn transition(
        &self,
        base: &str,
        token: &str,
        number: &str,
        version: i64,
        body: &Value,
    ) -> Value {
        let r = self
            .http
            .post(format!("{base}/api/v1/cases/{number}/transitions"))
            .bearer_auth(token)
            .header("If-Match", format!("\"{version}\""))
            .json(body)
            .send()
            .await
            .unwrap();
        Response::of(r).await.json(StatusCode::OK)
    }

    async fn status(&self, base: &str, number: &str, passport: &str) -> Response {
        self.post(
            base,
            "/api/v1/status",
            None,
            &json!({"number": number, "passport_number": passport}),
        )
        .await
    }

    /// Story 1: created and uploaded through A, read and decided through B. Answers the
    /// officer's token (signed in at A).
    async fn decided_through_b(&self) -> String {
        let (acked, officer, version) = self.read_through_b().await;
        let supervisor = self.supervisor_from_a_to_b().await;
        let number = &acked.number;
        // Decided through B, as far as the policy goes: review by the officer, approval by
        // the supervisor (the second pair of eyes), collection, and the card.
        let today = jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(5)))
            .date();
        let from = today.checked_add(jiff::Span::new().days(14)).unwrap();
        let until = from.checked_add(jiff::Span::new().days(300)).unwrap();
        let mut v = version;
        for (token, body, expect) in [
            (&officer[..], json!({"action": "start_review"}), "in_review"),
            (&supervisor[..], json!({"action": "approve"}), "approved"),
            (
                &officer[..],
                json!({"action": "schedule_collection", "collection": {
                    "at": format!("{from}T10:00:00+05:00"),
                    "place": "Almaty, Migration Service, window 4"}}),
                "ready_for_collection",
            ),
            (
                &supervisor[..],
                json!({"action": "issue", "valid_from": from.to_string(),
                    "valid_until": until.to_string()}),
                "issued",
            ),
        ] {
            let r = self.transition(&self.b, token, number, v, &body).await;
            assert_eq!(r["status"], expect, "{r}");
            v = r["version"].as_i64().unwrap();
            if expect != "issued" {
                continue;
            }
            // The card's link is the shared public URL: the load balancer's.
            let verify = r["verify_url"].as_str().unwrap();
            let path = verify
                .strip_prefix(&self.lb)
                .unwrap_or_else(|| panic!("verify URL {verify} is not under {}", self.lb));
            let card = self.get(&self.lb, path, None).await;
            assert_eq!(
                card.status,
                StatusCode::OK,
                "the card's link through haproxy"
            );
            // A sees what B decided.
            let at_a = self
                .get(&self.a, &format!("/api/v1/cases/{number}"), Some(&officer))
                .await
                .json(StatusCode::OK);
            assert_eq!(at_a["status"], "issued");
            assert_eq!(at_a["card_number"], r["card_number"]);
        }
        // The applicant finds it through the load balancer.
        let r = self.status(&self.lb, number, &acked.passport).await;
        assert_eq!(r.json(StatusCode::OK)["status"], "issued");
        officer
    }

    /// An application created and uploaded through A, read through B by an officer signed
    /// in at A: the acknowledgement, the officer's token and the case's version.
    async fn read_through_b(&self) -> (Acked, String, i64) {
        let docs = required_documents();
        let Outcome::Acked(acked) = apply(&self.http, &self.a, 1, &docs).await else {
            panic!("the application through A was not acknowledged");
        };
        let number = &acked.number;
        // The officer signs in at A and works through B.
        let officer = self
            .login(&self.a, "officer", PASSWORD)
            .await
            .json(StatusCode::OK)["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let r = self
            .get(&self.b, &format!("/api/v1/cases/{number}"), Some(&officer))
            .await;
        assert_eq!(r.served_by, None, "direct to B, no load balancer");
        let case = r.json(StatusCode::OK);
        assert_eq!(case["status"], "submitted");
        let listed = listed_documents(&case);
        assert_eq!(listed, acked.documents, "B lists what A acknowledged");
        for (i, ((id, sha), (kind, is_pdf))) in acked.documents.iter().zip(&docs).enumerate() {
            let r = self
                .get(
                    &self.b,
                    &format!("/api/v1/cases/{number}/documents/{id}"),
                    Some(&officer),
                )
                .await;
            assert_eq!(r.status, StatusCode::OK, "document {kind} through B");
            assert_eq!(hex::encode(Sha256::digest(&r.body)), *sha, "{kind}");
            if *is_pdf {
                // PDFs are kept as sent (images are re-encoded, so only their hash is known).
                assert_eq!(r.body, document_bytes(1, i, true), "{kind}: other bytes");
            }
        }
        let version = case["version"].as_i64().unwrap();
        (acked, officer, version)
    }

    /// The supervisor's first sign-in at A sets up the second factor; B confirms it. Answers
    /// the supervisor's token.
    async fn supervisor_from_a_to_b(&self) -> String {
        let enrol = self
            .login(&self.a, "supervisor", PASSWORD)
            .await
            .json(StatusCode::OK);
        assert_eq!(enrol["scope"], "enrol", "{enrol}");
        let enrol = enrol["token"].as_str().unwrap();
        let setup = self
            .post(
                &self.a,
                "/api/v1/auth/second-factor",
                Some(enrol),
                &json!({}),
            )
            .await
            .json(StatusCode::OK);
        let code = tirkeu_server::second_factor::code_at(
            setup["secret"].as_str().unwrap(),
            jiff::Timestamp::now(),
        )
        .unwrap();
        let confirmed = self
            .post(
                &self.b,
                "/api/v1/auth/second-factor/confirm",
                Some(enrol),
                &json!({"code": code}),
            )
            .await
            .json(StatusCode::OK);
        assert_eq!(confirmed["scope"], "full", "{confirmed}");
        confirmed["token"].as_str().unwrap().to_owned()
    }

    /// Story 3: sessions are valid on every instance.
    async fn sessions(&self, officer: &str) {
        // The token from A works through the load balancer on both.
        let mut served = BTreeSet::new();
        for _ in 0..4 {
            let r = self.get(&self.lb, "/api/v1/cases", Some(officer)).await;
            served.insert(r.served_by.clone().expect("haproxy names the server"));
            assert_eq!(
                r.status,
                StatusCode::OK,
                "the token from A, at {:?}",
                r.served_by
            );
        }
        assert_eq!(served, BTreeSet::from(["a".into(), "b".into()]));

        // A page session from A's sign-in form opens B's pages.
        let r = self
            .page_form(
                &self.a,
                "/en/sign-in",
                &[("username", "officer"), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "sign in at A");
        let session = cookie(&r, "tirkeu_session");
        let r = self.page(&self.b, "/en/staff", &session).await;
        assert_eq!(r.status(), StatusCode::OK, "A's page session at B");

        // An applicant's draft, in a cookie A encrypted, goes on at B (the cookie key comes
        // from the shared lookup key).
        let r = self
            .page_form(&self.a, "/en/apply/type", &[("permit_type", "study")])
            .await;
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "the card type at A");
        let draft = cookie(&r, "tirkeu_draft");
        let html = self
            .page(&self.b, "/en/apply/type", &draft)
            .await
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("value=\"study\" checked"),
            "B reads the draft A wrote: {html}"
        );

        // Signing out at B ends a session opened at A, on A too.
        let other = self
            .login(&self.a, "officer", PASSWORD)
            .await
            .json(StatusCode::OK)["token"]
            .as_str()
            .unwrap()
            .to_owned();
        let r = self
            .post(&self.b, "/api/v1/auth/logout", Some(&other), &json!({}))
            .await;
        assert_eq!(r.status, StatusCode::NO_CONTENT);
        let r = self.get(&self.a, "/api/v1/cases", Some(&other)).await;
        assert_eq!(
            r.status,
            StatusCode::UNAUTHORIZED,
            "signed out at B, still in at A"
        );
        let r = self.get(&self.a, "/api/v1/cases", Some(officer)).await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "the officer's other session stays"
        );
    }

    /// Story 2: the failure budgets are the database's, not each instance's.
    async fn budgets_hold_across_both(&self) {
        let docs = required_documents();
        let Outcome::Acked(acked) = apply(&self.http, &self.lb, 2, &docs).await else {
            panic!("the application through haproxy was not acknowledged");
        };
        let (number, passport) = (&acked.number, &acked.passport);
        for base in [&self.a, &self.b] {
            let r = self.status(base, number, passport).await;
            assert_eq!(r.status, StatusCode::OK, "found at {base}");
        }
        // Failed lookups alternate: each instance sees half the budget, the budget is spent.
        for i in 0..STATUS_BUDGET {
            let base = if i % 2 == 0 { &self.a } else { &self.b };
            let r = self.status(base, number, &format!("X{i:07}")).await;
            assert_eq!(
                r.status,
                StatusCode::NOT_FOUND,
                "failed lookup {i} at {base}"
            );
        }
        for base in [&self.a, &self.b, &self.lb] {
            for p in ["X9999999", passport.as_str()] {
                let r = self.status(base, number, p).await;
                assert_eq!(
                    r.status,
                    StatusCode::TOO_MANY_REQUESTS,
                    "a lookup at {base} after {STATUS_BUDGET} failures over both"
                );
                let problem: Value = serde_json::from_slice(&r.body).unwrap();
                assert_eq!(problem["code"], "request.rate_limited");
            }
        }

        // Failed sign-ins of one account, alternating: then even its right password waits,
        // everywhere.
        for i in 0..SIGN_IN_BUDGET {
            let base = if i % 2 == 0 { &self.a } else { &self.b };
            let r = self.login(base, "clerk", "wrong password").await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "failed sign-in {i}");
        }
        for base in [&self.a, &self.b, &self.lb] {
            let r = self.login(base, "clerk", PASSWORD).await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "signed in at {base} after {SIGN_IN_BUDGET} failures over both"
            );
        }
        // Another account from the same client is not held up.
        let r = self.login(&self.b, "officer", PASSWORD).await;
        assert_eq!(r.status, StatusCode::OK);
    }

    /// Story 4: `victim` (B) is killed while applicants submit through haproxy.
    async fn kill_under_load(
        &self,
        victim: &mut common::Server,
        haproxy: &Haproxy,
        officer: &str,
    ) -> Killed {
        let started = Instant::now();
        let run = self.load_and_kill(victim, haproxy).await;
        // After the kill haproxy sends everything to A.
        for _ in 0..4 {
            let r = self.get(&self.lb, "/readyz", None).await;
            assert_eq!(r.status, StatusCode::OK);
            assert_eq!(r.served_by.as_deref(), Some("a"));
        }
        let (kill, gone, down) = (run.kill, run.gone, run.down);
        let mut done = Vec::new();
        let (mut cut_off, mut in_doubt) = (Vec::new(), Vec::new());
        // Applicants who began while B was dead but still in haproxy's rotation: haproxy
        // found B refusing connections and sent their requests to A.
        let mut while_dead = 0;
        for (o, began, ended) in run.outcomes {
            if began > gone && began < down {
                while_dead += 1;
            }
            // The applicant had a request under way while B died.
            let in_flight_at_kill = began <= gone && ended >= kill;
            let (what, number) = match o {
                Outcome::Acked(a) => {
                    done.push(a);
                    continue;
                }
                Outcome::Refused(e) => panic!("an applicant was refused: {e}"),
                Outcome::NoAnswer(what) => (what, None),
                Outcome::InDoubt(n, what) => (format!("submit: {what}"), Some(n)),
            };
            assert!(
                in_flight_at_kill,
                "an applicant that began {} ms after the kill, when the process had been gone \
                 for {} ms, got no answer {} ms after the kill (b was marked down {} ms after \
                 it): {what}",
                began.saturating_duration_since(kill).as_millis(),
                began.saturating_duration_since(gone).as_millis(),
                ended.saturating_duration_since(kill).as_millis(),
                down.duration_since(kill).as_millis()
            );
            cut_off.push(what);
            in_doubt.extend(number);
        }
        let (lost, documents) = self.check_all(officer, Arc::new(done)).await;
        let mut committed_in_doubt = 0;
        for n in &in_doubt {
            let r = self
                .get(&self.a, &format!("/api/v1/cases/{n}"), Some(officer))
                .await;
            if r.status == StatusCode::OK {
                let case: Value = serde_json::from_slice(&r.body).unwrap();
                if case["status"] == "submitted" {
                    committed_in_doubt += 1;
                }
            }
        }
        println!(
            "kill story: {} applicants in {:.1} s; the killed process was gone {} ms after the \
             SIGKILL",
            run.applicants,
            started.elapsed().as_secs_f64(),
            gone.duration_since(kill).as_millis()
        );
        Killed {
            acked: run.acked,
            acked_before_kill: run.acked_before_kill,
            lost,
            cut_off,
            in_doubt: in_doubt.len(),
            committed_in_doubt,
            down_after: down.duration_since(kill),
            while_dead,
            documents,
        }
    }

    /// `CLIENTS` applicants through haproxy; `victim` killed after `BEFORE_KILL` submissions
    /// were acknowledged, and the applicants on until `AFTER_DOWN` more were once haproxy
    /// marked it down.
    async fn load_and_kill(&self, victim: &mut common::Server, haproxy: &Haproxy) -> Run {
        let docs = Arc::new(required_documents());
        let outcomes: Arc<Mutex<Vec<(Outcome, Instant, Instant)>>> = Arc::default();
        let acked = Arc::new(AtomicUsize::new(0));
        let counter = Arc::new(AtomicU64::new(1000));
        let over = Arc::new(AtomicBool::new(false));
        let tasks: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (http, lb, docs) = (self.http.clone(), self.lb.clone(), docs.clone());
                let (outcomes, acked, counter, over) = (
                    outcomes.clone(),
                    acked.clone(),
                    counter.clone(),
                    over.clone(),
                );
                tokio::spawn(async move {
                    while !over.load(Ordering::SeqCst) {
                        let n = counter.fetch_add(1, Ordering::SeqCst);
                        let began = Instant::now();
                        let o = apply(&http, &lb, n, &docs).await;
                        if matches!(o, Outcome::Acked(_)) {
                            acked.fetch_add(1, Ordering::SeqCst);
                        }
                        outcomes.lock().unwrap().push((o, began, Instant::now()));
                    }
                })
            })
            .collect();
        let wait_for = |n: usize, what: &str| {
            let (acked, what) = (acked.clone(), what.to_owned());
            async move {
                let since = Instant::now();
                while acked.load(Ordering::SeqCst) < n {
                    assert!(
                        since.elapsed() < Duration::from_secs(30),
                        "{what}: {} of {n} acknowledged in 30 s",
                        acked.load(Ordering::SeqCst)
                    );
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            }
        };
        wait_for(BEFORE_KILL, "before the kill").await;
        let acked_before_kill = acked.load(Ordering::SeqCst);
        let kill = Instant::now();
        victim.kill();
        // The process is gone once `kill` has waited for it; until then the kernel still
        // takes connections into its listen backlog, and requests sent down them reached it.
        let gone = Instant::now();
        tokio::task::block_in_place(|| {
            haproxy.wait_until(&[("a", "UP"), ("b", "DOWN")], Duration::from_secs(10))
        });
        let down = Instant::now();
        wait_for(acked_before_kill + AFTER_DOWN, "after b went down").await;
        over.store(true, Ordering::SeqCst);
        for t in tasks {
            t.await.unwrap();
        }
        Run {
            outcomes: Arc::try_unwrap(outcomes).unwrap().into_inner().unwrap(),
            applicants: counter.load(Ordering::SeqCst) - 1000,
            acked: acked.load(Ordering::SeqCst),
            acked_before_kill,
            kill,
            gone,
            down,
        }
    }

    /// Checks every acknowledged submission in `done` through A (the survivor), `CLIENTS` at
    /// a time: the case, and each document's bytes. Answers how many were lost (each is
    /// printed) and the documents read.
    async fn check_all(&self, officer: &str, done: Arc<Vec<Acked>>) -> (usize, usize) {
        let lost = Arc::new(Mutex::new(Vec::new()));
        let documents = Arc::new(AtomicUsize::new(0));
        let next = Arc::new(AtomicUsize::new(0));
        let checkers: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (http, a, officer) = (self.http.clone(), self.a.clone(), officer.to_owned());
                let (done, next, lost, documents) =
                    (done.clone(), next.clone(), lost.clone(), documents.clone());
                tokio::spawn(async move {
                    while let Some(acked) = done.get(next.fetch_add(1, Ordering::SeqCst)) {
                        match check(&http, &a, &officer, acked).await {
                            Ok(n) => {
                                documents.fetch_add(n, Ordering::SeqCst);
                            }
                            Err(e) => lost.lock().unwrap().push(format!("{}: {e}", acked.number)),
                        }
                    }
                })
            })
            .collect();
        for c in checkers {
            c.await.unwrap();
        }
        let lost = std::mem::take(&mut *lost.lock().unwrap());
        for l in &lost {
            eprintln!("lost {l}");
        }
        (lost.len(), documents.load(Ordering::SeqCst))
    }
}

/// The applicants' run with its kill.
struct Run {
    /// Each attempt's outcome, when it began and when it ended.
    outcomes: Vec<(Outcome, Instant, Instant)>,
    applicants: u64,
    acked: usize,
    acked_before_kill: usize,
    /// The SIGKILL; the process gone (waited for); haproxy showing it down.
    kill: Instant,
    gone: Instant,
    down: Instant,
}

/// Whether `acked` is whole at `base`: submitted, listing the documents acknowledged, each
/// readable with the acknowledged hash. Answers the documents read.
async fn check(
    http: &reqwest::Client,
    base: &str,
    officer: &str,
    acked: &Acked,
) -> Result<usize, String> {
    let number = &acked.number;
    let r = http
        .get(format!("{base}/api/v1/cases/{number}"))
        .bearer_auth(officer)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if r.status() != StatusCode::OK {
        return Err(format!("case: {}", r.status()));
    }
    let case: Value = r.json().await.map_err(|e| e.to_string())?;
    if case["status"] != "submitted" {
        return Err(format!("status {}", case["status"]));
    }
    let listed = listed_documents(&case);
    if listed != acked.documents {
        return Err(format!(
            "documents {listed:?}, acknowledged {:?}",
            acked.documents
        ));
    }
    for (id, sha) in &acked.documents {
        let r = http
            .get(format!("{base}/api/v1/cases/{number}/documents/{id}"))
            .bearer_auth(officer)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if r.status() != StatusCode::OK {
            return Err(format!("document {id}: {}", r.status()));
        }
        let bytes = r.bytes().await.map_err(|e| e.to_string())?;
        if hex::encode(Sha256::digest(&bytes)) != *sha {
            return Err(format!("document {id}: other bytes"));
        }
    }
    Ok(acked.documents.len())
}

/// The cookie `name=value` that `r` sets.
fn cookie(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no cookie {name}"))
        .split(';')
        .next()
        .unwrap()
        .to_owned()
}

/// A is still ready, and so is the load balancer in front of it.
fn a_is_up(t: &Instances, rt: &tokio::runtime::Runtime) {
    rt.block_on(async {
        for base in [&t.a, &t.lb] {
            let r = t.get(base, "/readyz", None).await;
            assert_eq!(r.status, StatusCode::OK, "{base}/readyz");
        }
    });
}

/// An answer read whole, with the server haproxy says served it.
struct Response {
    status: StatusCode,
    served_by: Option<String>,
    body: Vec<u8>,
}

impl Response {
    async fn of(r: reqwest::Response) -> Response {
        Response {
            status: r.status(),
            served_by: r
                .headers()
                .get("x-served-by")
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned),
            body: r.bytes().await.unwrap().to_vec(),
        }
    }

    /// The JSON body of an answer with `status`.
    fn json(&self, status: StatusCode) -> Value {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// A case's documents as the API lists them: (id, SHA-256).
fn listed_documents(case: &Value) -> Vec<(i64, String)> {
    case["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["document_id"].as_i64().unwrap(),
                d["sha256"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}
