//! The server's edge, as an attacker meets it: slow clients, floods, forged client addresses,
//! framing and scraping — on SQLite and on PostgreSQL.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use std::time::{Duration, Instant};

use common::{Server, ok_json, problem};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tirkeu_server::ServerConfig;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

on_both_with!(short_timeouts;
    headers_dribbled_byte_by_byte_are_cut_off,
    a_stalled_body_gets_408_within_the_body_timeout,
);
on_both_with!(short_request_timeout;
    a_request_over_its_time_is_answered,
);
on_both_with!(one_slot;
    excess_requests_wait_briefly_then_get_503,
);
on_both_with!(behind_a_proxy;
    behind_a_trusted_proxy_each_client_has_its_own_budget,
    ipv6_clients_are_counted_per_64,
    successful_lookups_never_lock_the_owner_out,
    sign_in_throttling_keys_on_the_real_client,
    creating_applications_and_rendering_receipts_are_limited,
    the_web_form_that_creates_a_draft_is_limited_too,
);
on_both_with!(hsts_on;
    hsts_is_sent_when_configured,
);
on_both!(
    an_untrusted_peers_forwarded_for_is_ignored,
    the_receipt_page_cannot_be_framed_and_runs_nothing_foreign,
    metrics_need_the_token_on_the_public_listener,
    internal_errors_never_reach_the_client,
);

fn short_timeouts(c: &mut ServerConfig) {
    c.http.header_read_timeout = Duration::from_secs(1);
    c.http.body_timeout = Duration::from_secs(1);
    c.http.request_timeout = Duration::from_secs(3);
}

fn short_request_timeout(c: &mut ServerConfig) {
    c.http.body_timeout = Duration::from_secs(30);
    c.http.request_timeout = Duration::from_secs(1);
}

fn one_slot(c: &mut ServerConfig) {
    c.http.max_concurrent = 1;
    c.http.queue_wait = Duration::from_millis(200);
    c.http.body_timeout = Duration::from_secs(2);
}

fn behind_a_proxy(c: &mut ServerConfig) {
    c.trusted_proxies = vec![tirkeu_server::edge::parse_network("127.0.0.1").unwrap()];
    c.creates_per_client_per_minute = 3;
    c.receipts_per_client_per_minute = 2;
}

fn hsts_on(c: &mut ServerConfig) {
    c.hsts = true;
}

fn addr(s: &Server) -> String {
    s.base.trim_start_matches("http://").to_owned()
}

/// Reads what the server sends until it closes the connection (or `limit` passes: `None`).
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> Option<String> {
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + limit;
    loop {
        let left = deadline.checked_duration_since(Instant::now())?;
        match tokio::time::timeout(left, stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0) | Err(_)) => return Some(String::from_utf8_lossy(&got).into_owned()),
            Ok(Ok(n)) => got.extend_from_slice(&buf[..n]),
        }
    }
}

/// A client sends its headers a byte every 100 ms, forever: the server hangs up on it once the
/// header-read timeout (1 s here) has passed. Before, `axum::serve` had no timer and served it.
async fn headers_dribbled_byte_by_byte_are_cut_off(s: Server) {
    let mut stream = TcpStream::connect(addr(&s)).await.unwrap();
    let started = Instant::now();
    let (mut reader, mut writer) = stream.split();
    let dribble = async {
        writer
            .write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
            .await
            .ok()?;
        for _ in 0..200 {
            tokio::time::sleep(Duration::from_millis(100)).await;
            writer.write_all(b"X").await.ok()?;
        }
        Some(())
    };
    let closed = async {
        let mut buf = [0u8; 1024];
        loop {
            match reader.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    tokio::select! {
        () = closed => {}
        _ = dribble => {}
    }
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(4),
        "the connection was held {took:?}"
    );
    // The server still answers others.
    assert_eq!(s.get("/healthz", None).await.status(), StatusCode::OK);
}

/// The headers arrive, the body stops half-way: a 408 problem document when the body timeout
/// (1 s) has passed — for the JSON API and for a page's form alike.
async fn a_stalled_body_gets_408_within_the_body_timeout(s: Server) {
    for (path, content_type, start) in [
        (
            "/api/v1/status",
            "application/json",
            &b"{\"number\": \"AAAA"[..],
        ),
        (
            "/en/status",
            "application/x-www-form-urlencoded",
            &b"number=AAAA"[..],
        ),
    ] {
        let mut stream = TcpStream::connect(addr(&s)).await.unwrap();
        let started = Instant::now();
        stream
            .write_all(
                format!(
                    "POST {path} HTTP/1.1\r\nHost: x\r\nContent-Type: {content_type}\r\n\
                     Accept-Language: ru\r\nContent-Length: 200\r\n\r\n"
                )
                .as_bytes(),
            )
            .await
            .unwrap();
        stream.write_all(start).await.unwrap();
        let answer = read_until_closed(&mut stream, Duration::from_secs(10))
            .await
            .unwrap_or_else(|| panic!("{path}: no answer to a stalled body in 10 s"));
        let took = started.elapsed();
        assert!(answer.starts_with("HTTP/1.1 408"), "{path}: {answer}");
        assert!(answer.contains("application/problem+json"), "{answer}");
        assert!(
            answer.contains("\"code\":\"request.body_timeout\""),
            "{answer}"
        );
        // In the language the request asked for.
        assert!(answer.contains("content-language: ru"), "{answer}");
        assert!(
            took >= Duration::from_millis(900) && took < Duration::from_secs(3),
            "{path}: answered after {took:?}"
        );
    }
}

/// A body that keeps trickling (a byte every 300 ms, so never stalled for long) is cut off by
/// the request timeout (1 s here; the body timeout is 30 s): a 408, as the client is the slow
/// one.
async fn a_request_over_its_time_is_answered(s: Server) {
    // Bytes every 300 ms: each frame arrives, but the whole body not within 1 s.
    let mut stream = TcpStream::connect(addr(&s)).await.unwrap();
    let started = Instant::now();
    stream
        .write_all(
            b"POST /api/v1/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n",
        )
        .await
        .unwrap();
    let (mut reader, mut writer) = stream.split();
    let trickle = async {
        for _ in 0..50 {
            if writer.write_all(b" ").await.is_err() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    };
    let answer = async {
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf).await {
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
            if got.windows(4).any(|w| w == b"\r\n\r\n") {
                break;
            }
        }
        String::from_utf8_lossy(&got).into_owned()
    };
    let answer = tokio::select! {
        a = answer => a,
        () = trickle => String::new(),
    };
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "{took:?}"
    );
    // An ordinary request is answered normally.
    let r = s
        .post(
            "/api/v1/status",
            None,
            &json!({"number": "AAAA-AAAA-AAAA-AAAA", "passport_number": "X"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

/// With one slot, a request that holds it (its body stalled) makes the next one wait 200 ms
/// and then get a 503 with `Retry-After` — not queue without end. `/healthz` still answers.
async fn excess_requests_wait_briefly_then_get_503(s: Server) {
    let mut holder = TcpStream::connect(addr(&s)).await.unwrap();
    holder
        .write_all(
            b"POST /api/v1/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n\
              Content-Length: 100\r\n\r\n{",
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    let started = Instant::now();
    let r = s.get("/api/v1/stats", None).await;
    let took = started.elapsed();
    assert_eq!(
        r.headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned()),
        Some("1".to_owned())
    );
    let p = problem(r, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(p["code"], "request.overloaded");
    assert!(
        took >= Duration::from_millis(150) && took < Duration::from_secs(2),
        "{took:?}"
    );
    assert_eq!(s.get("/healthz", None).await.status(), StatusCode::OK);
    // The holder is cut off by its body timeout; then the slot is free again.
    let answer = read_until_closed(&mut holder, Duration::from_secs(10))
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    ok_json(s.get("/api/v1/stats", None).await, StatusCode::OK).await;
}

async fn status_from(s: &Server, client: &str, number: &str, passport: &str) -> StatusCode {
    s.http
        .post(s.url("/api/v1/status"))
        .header("X-Forwarded-For", client)
        .json(&json!({"number": number, "passport_number": passport}))
        .send()
        .await
        .unwrap()
        .status()
}

/// A number nobody has, different each time (so that only the per-client limit counts).
fn unknown_number(i: usize) -> String {
    let letters = b"ACDEFGHJKMNPQRTUVWXY";
    let mut n = String::new();
    let mut v = i;
    for _ in 0..4 {
        n.push(char::from(letters[v % letters.len()]));
        v /= letters.len();
    }
    format!("AAAA-AAAA-AAAA-{n}")
}

/// Behind a trusted proxy (127.0.0.1 here) each client's own address is counted: one client
/// spends its 20 lookups a minute, another is not touched. The client-written part of
/// `X-Forwarded-For` (left of what the proxy appended) changes nothing.
async fn behind_a_trusted_proxy_each_client_has_its_own_budget(s: Server) {
    for i in 0..20 {
        let client = format!("10.9.9.9, 203.0.113.{}, 203.0.113.1", i % 200);
        assert_eq!(
            status_from(&s, &client, &unknown_number(i), "X").await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        status_from(&s, "203.0.113.1", &unknown_number(99), "X").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        status_from(&s, "203.0.113.2", &unknown_number(98), "X").await,
        StatusCode::NOT_FOUND
    );
    // The web page's lookup keys on the same address.
    let r = s
        .http
        .post(s.url("/en/status"))
        .header("X-Forwarded-For", "203.0.113.1")
        .form(&[
            ("number", unknown_number(97).as_str()),
            ("passport_number", "X"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// Without a trusted proxy the peer's `X-Forwarded-For` is the client's own word: ignored.
async fn an_untrusted_peers_forwarded_for_is_ignored(s: Server) {
    // This test server allows 20 lookups per client a minute.
    let mut statuses = Vec::new();
    for i in 0..21 {
        statuses.push(status_from(&s, &format!("198.51.100.{i}"), &unknown_number(i), "X").await);
    }
    assert!(
        statuses[..20].iter().all(|st| *st == StatusCode::NOT_FOUND),
        "{statuses:?}"
    );
    assert_eq!(statuses[20], StatusCode::TOO_MANY_REQUESTS);
}

/// IPv6 clients are counted per /64: another address in the same /64 is the same client, an
/// address in the next /64 is another.
async fn ipv6_clients_are_counted_per_64(s: Server) {
    for i in 0..20 {
        let client = format!("2001:db8:1:2::{:x}", i + 1);
        assert_eq!(
            status_from(&s, &client, &unknown_number(i), "X").await,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        status_from(
            &s,
            "2001:db8:1:2:ffff:ffff:ffff:fff0",
            &unknown_number(50),
            "X"
        )
        .await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        status_from(&s, "2001:db8:1:3::1", &unknown_number(51), "X").await,
        StatusCode::NOT_FOUND
    );
}

/// Fifty people who know a number look it up successfully; its owner still can. Failed
/// lookups (a wrong passport number) are what the number's budget counts: 8 here.
async fn successful_lookups_never_lock_the_owner_out(s: Server) {
    let (number, _) = common::submitted(&s, "P7654321").await;
    for i in 0..50 {
        assert_eq!(
            status_from(&s, &format!("198.51.100.{i}"), &number, "P7654321").await,
            StatusCode::OK,
            "lookup {i}"
        );
    }
    assert_eq!(
        status_from(&s, "192.0.2.1", &number, "P7654321").await,
        StatusCode::OK,
        "the owner is locked out"
    );
    // Guessing the passport number from many addresses still stops.
    let mut statuses = Vec::new();
    for i in 0..9 {
        statuses.push(status_from(&s, &format!("198.18.0.{i}"), &number, "WRONG1").await);
    }
    assert!(
        statuses[..8].iter().all(|st| *st == StatusCode::NOT_FOUND),
        "{statuses:?}"
    );
    assert_eq!(statuses[8], StatusCode::TOO_MANY_REQUESTS);
}

async fn login_from(s: &Server, client: &str, username: &str, password: &str) -> StatusCode {
    s.http
        .post(s.url("/api/v1/auth/login"))
        .header("X-Forwarded-For", client)
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
        .status()
}

/// The sign-in throttle's per-client budget keys on the same client address: one client
/// behind the proxy spending it does not lock out another.
async fn sign_in_throttling_keys_on_the_real_client(s: Server) {
    // 20 failures a minute per client; 5 per username: spread over unknown usernames.
    for i in 0..20 {
        assert_eq!(
            login_from(&s, "203.0.113.7", &format!("nobody{}", i / 4), "wrong").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        login_from(&s, "203.0.113.7", "officer", common::PASSWORD).await,
        StatusCode::UNAUTHORIZED,
        "the throttled client got in"
    );
    assert_eq!(
        login_from(&s, "203.0.113.8", "officer", common::PASSWORD).await,
        StatusCode::OK
    );
}

/// Three applications a minute per client and two receipts here: the next gets 429 with
/// `Retry-After`; another client is not touched.
async fn creating_applications_and_rendering_receipts_are_limited(s: Server) {
    let create = |client: &'static str, passport: String| {
        let body = json!({
            "permit_type": "work", "language": "en",
            "applicant": {"surname": "ERIKSSON", "given_names": "ANNA", "passport_number": passport,
                "nationality": "DEU", "birth_date": "1974-08-12", "sex": "F", "passport_expiry": "2034-04-15"},
            "contact": {"email": "anna@example.org"},
            "address": {"city": "Almaty", "line": "Abay 10"},
            "arrival_date": "2026-11-01"
        });
        s.http
            .post(s.url("/api/v1/applications"))
            .header("X-Forwarded-For", client)
            .json(&body)
            .send()
    };
    for i in 0..3 {
        let r = create("203.0.113.20", format!("Q100000{i}")).await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let r = create("203.0.113.20", "Q1000009".into()).await.unwrap();
    assert!(r.headers().contains_key("retry-after"));
    let p = problem(r, StatusCode::TOO_MANY_REQUESTS).await;
    assert_eq!(p["code"], "request.rate_limited");
    let r = create("203.0.113.21", "Q1000010".into()).await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);

    // Receipts: the PDF and the page count together.
    let (number, code) = common::submitted(&s, "Q2000000").await;
    let receipt = |ext: &str| {
        s.http
            .get(s.url(&format!("/api/v1/applications/{number}/receipt.{ext}")))
            .bearer_auth(&code)
            .header("X-Forwarded-For", "203.0.113.30")
            .send()
    };
    assert_eq!(receipt("pdf").await.unwrap().status(), StatusCode::OK);
    assert_eq!(receipt("html").await.unwrap().status(), StatusCode::OK);
    let r = receipt("pdf").await.unwrap();
    assert!(r.headers().contains_key("retry-after"));
    problem(r, StatusCode::TOO_MANY_REQUESTS).await;
}

/// The receipt page: a strict `Content-Security-Policy` with `frame-ancestors 'none'`, whose
/// style hash is that of the page's one inline style sheet (so the page still renders as
/// designed); the web pages carry `frame-ancestors 'none'` too.
async fn the_receipt_page_cannot_be_framed_and_runs_nothing_foreign(s: Server) {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let (number, code) = common::submitted(&s, "F1234567").await;
    let r = s
        .http
        .get(s.url(&format!("/api/v1/applications/{number}/receipt.html")))
        .bearer_auth(&code)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let csp = r.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(r.headers()["x-frame-options"], "DENY");
    let html = r.text().await.unwrap();
    for part in [
        "default-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(csp.contains(part), "{csp}");
    }
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // Every inline style sheet is allowed by its hash; there is no inline script or style
    // attribute the policy would block.
    let styles: Vec<&str> = html
        .split("<style>")
        .skip(1)
        .map(|rest| rest.split("</style>").next().unwrap())
        .collect();
    assert_eq!(styles.len(), 1);
    for css in styles {
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(css));
        assert!(csp.contains(&format!("'sha256-{hash}'")), "{csp}");
    }
    assert!(!html.contains("<script"));
    assert!(!html.contains(" style=\""));
    assert!(html.contains("<svg"), "the QR code is on the page");
    // The pages.
    let r = s.get("/en/status", None).await;
    let csp = r.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
}

/// `/metrics` on the public listener: only for the configured bearer token.
async fn metrics_need_the_token_on_the_public_listener(s: Server) {
    let r = s.get("/metrics", None).await;
    problem(r, StatusCode::UNAUTHORIZED).await;
    let r = s
        .get("/metrics", Some("test-metrics-token-0123456780"))
        .await;
    problem(r, StatusCode::UNAUTHORIZED).await;
    let r = s.get("/metrics", Some(common::METRICS_TOKEN)).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("http_requests_total"));
    // No HSTS over plain HTTP unless configured.
    assert!(
        !s.get("/healthz", None)
            .await
            .headers()
            .contains_key("strict-transport-security")
    );
}

async fn hsts_is_sent_when_configured(s: Server) {
    for path in ["/healthz", "/en/", "/api/v1/stats"] {
        let r = s.get(path, None).await;
        assert_eq!(
            r.headers()["strict-transport-security"],
            "max-age=31536000; includeSubDomains",
            "{path}"
        );
    }
}

/// With the database gone, `/readyz` and the API answer generic problems: no driver's or
/// pool's words reach the client (they are logged).
async fn internal_errors_never_reach_the_client(s: Server) {
    tirkeu_store::with_store!(&s.store, st => tirkeu_store::Store::close(st).await);
    let r = s.get("/readyz", None).await;
    let p = problem(r, StatusCode::SERVICE_UNAVAILABLE).await;
    assert_eq!(p["code"], "request.not_ready");
    let arrival = s
        .http
        .post(s.url("/api/v1/arrivals"))
        .bearer_auth(&s.host_key)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert!(arrival.status().is_server_error(), "{}", arrival.status());
    let body: Value = arrival.json().await.unwrap();
    for p in [&p, &body] {
        let text = p.to_string().to_lowercase();
        for word in [
            "pool",
            "closed",
            "sqlx",
            "database error",
            "postgres",
            "sqlite",
        ] {
            assert!(!text.contains(word), "`{word}` in {p}");
        }
    }
}

/// The web form that creates the draft (the contact page) counts against the same limit as the
/// API: three a minute here, then the page again with a 429 and when to try.
async fn the_web_form_that_creates_a_draft_is_limited_too(s: Server) {
    use common::browser::{Browser, location};
    for i in 0..4 {
        let mut b = Browser::new(&s);
        let r = b.post("/en/apply/type", &[("permit_type", "work")]).await;
        assert_eq!(location(&r), "/en/apply/passport");
        let passport = format!("W100000{i}");
        let r = b
            .post(
                "/en/apply/passport",
                &[
                    ("how", "fields"),
                    ("applicant.surname", "ERIKSSON"),
                    ("applicant.given_names", "ANNA MARIA"),
                    ("applicant.passport_number", &passport),
                    ("applicant.nationality", "DEU"),
                    ("applicant.birth_date.day", "12"),
                    ("applicant.birth_date.month", "8"),
                    ("applicant.birth_date.year", "1974"),
                    ("applicant.sex", "F"),
                    ("applicant.passport_expiry.day", "1"),
                    ("applicant.passport_expiry.month", "2"),
                    ("applicant.passport_expiry.year", "2037"),
                ],
            )
            .await;
        assert_eq!(location(&r), "/en/apply/contact");
        let r = b
            .post(
                "/en/apply/contact",
                &[
                    ("contact.email", "anna@example.org"),
                    ("contact.phone", ""),
                    ("address.city", "Almaty"),
                    ("address.line", "Abay 10"),
                ],
            )
            .await;
        if i < 3 {
            assert_eq!(location(&r), "/en/apply/documents", "draft {i}");
        } else {
            assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
            assert!(r.headers().contains_key("retry-after"));
            let html = r.text().await.unwrap();
            assert!(html.contains("Too many attempts"), "{html}");
        }
    }
}
