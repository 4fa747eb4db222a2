//! Two server instances on one database, as behind a load balancer: the budgets of failures
//! — the status lookup's per application number, the sign-in's per username and per client —
//! hold across both (N instances give the budget once, not N times), and come back after a
//! minute of the servers' clock. Run on SQLite and on PostgreSQL.

mod common;

use common::{PASSWORD, Server, ok_json, problem};
use jiff::SignedDuration;
use reqwest::StatusCode;
use serde_json::json;
use tirkeu_store::{AttemptKind, Store, with_store};

on_both!(
    the_status_budget_holds_across_instances,
    the_sign_in_throttle_holds_across_instances,
);

async fn status(s: &Server, number: &str, passport: &str) -> reqwest::Response {
    s.post(
        "/api/v1/status",
        None,
        &json!({"number": number, "passport_number": passport}),
    )
    .await
}

/// The number's failures recorded in the database, on any instance, in the last minute.
async fn recorded(s: &Server, number: &str) -> u32 {
    let key = tirkeu_core::number::CaseNumber::parse(number)
        .unwrap()
        .compact();
    let since = s.clock.now() - SignedDuration::from_mins(1);
    with_store!(&s.store, st => st.recent_failures(AttemptKind::StatusNumber, &key, since).await.unwrap().count)
}

/// 8 failed lookups of a number a minute in the test servers, whichever instance they reach.
async fn the_status_budget_holds_across_instances(a: Server) {
    let b = a.another_instance().await;
    let (number, _) = common::submitted(&a, "P7654321").await;
    // Either instance finds the case; a success records nothing.
    for s in [&a, &b] {
        ok_json(status(s, &number, "P7654321").await, StatusCode::OK).await;
    }
    assert_eq!(recorded(&a, &number).await, 0);
    // Guesses alternate between the two: four each, eight in all.
    for i in 0..8 {
        let s = if i % 2 == 0 { &a } else { &b };
        problem(status(s, &number, "WRONG1").await, StatusCode::NOT_FOUND).await;
    }
    assert_eq!(recorded(&b, &number).await, 8);
    // Each instance has spent only half of its own share, but the budget is spent: every
    // lookup is refused, on both, the right passport number too, and nothing more is recorded.
    for s in [&a, &b] {
        for passport in ["WRONG2", "P7654321"] {
            let r = status(s, &number, passport).await;
            let retry: u64 = r.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((1..=60).contains(&retry), "Retry-After {retry}");
            let p = problem(r, StatusCode::TOO_MANY_REQUESTS).await;
            assert_eq!(p["code"], "request.rate_limited");
        }
    }
    assert_eq!(recorded(&a, &number).await, 8);
    // A typo'd form of the number is the same number.
    let spaced = number.replace('-', " ").to_lowercase();
    problem(
        status(&b, &spaced, "P7654321").await,
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;

    // A minute later the budget is back, on both.
    a.clock.advance(SignedDuration::from_secs(61));
    ok_json(status(&b, &number, "P7654321").await, StatusCode::OK).await;
    ok_json(status(&a, &number, "P7654321").await, StatusCode::OK).await;
    problem(status(&a, &number, "WRONG3").await, StatusCode::NOT_FOUND).await;
    assert_eq!(recorded(&a, &number).await, 1);
}

async fn login(s: &Server, username: &str, password: &str) -> StatusCode {
    s.post(
        "/api/v1/auth/login",
        None,
        &json!({"username": username, "password": password}),
    )
    .await
    .status()
}

/// 5 failed sign-ins a minute per username and 20 per client in the test servers, whichever
/// instance they reach; a session opened on one instance works on the other.
async fn the_sign_in_throttle_holds_across_instances(a: Server) {
    let b = a.another_instance().await;
    ok_json(
        b.get("/api/v1/cases", Some(&a.officer)).await,
        StatusCode::OK,
    )
    .await;

    // Per username: five wrong passwords, alternating, then even the right one is refused on
    // both (each instance saw only two or three).
    for i in 0..5 {
        let s = if i % 2 == 0 { &a } else { &b };
        assert_eq!(login(s, "officer", "wrong").await, StatusCode::UNAUTHORIZED);
    }
    for s in [&a, &b] {
        assert_eq!(
            login(s, "officer", PASSWORD).await,
            StatusCode::UNAUTHORIZED,
            "signed in while the account's budget is spent"
        );
    }
    // Another account from the same client is not held up by it.
    assert_eq!(login(&b, "officer2", PASSWORD).await, StatusCode::OK);

    // A minute later the account signs in again.
    a.clock.advance(SignedDuration::from_secs(61));
    assert_eq!(login(&b, "officer", PASSWORD).await, StatusCode::OK);
    assert_eq!(login(&a, "officer", PASSWORD).await, StatusCode::OK);

    // Per client: twenty failures over unknown usernames (four each, under the per-username
    // budget), alternating; then this client cannot sign in anywhere, right password or not.
    a.clock.advance(SignedDuration::from_secs(61));
    for i in 0..20 {
        let s = if i % 2 == 0 { &a } else { &b };
        assert_eq!(
            login(s, &format!("nobody{}", i / 4), "wrong").await,
            StatusCode::UNAUTHORIZED
        );
    }
    for s in [&a, &b] {
        assert_eq!(
            login(s, "officer2", PASSWORD).await,
            StatusCode::UNAUTHORIZED,
            "signed in while the client's budget is spent"
        );
    }
    a.clock.advance(SignedDuration::from_secs(61));
    assert_eq!(login(&a, "officer2", PASSWORD).await, StatusCode::OK);
    assert_eq!(login(&b, "officer2", PASSWORD).await, StatusCode::OK);
}
