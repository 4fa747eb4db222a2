//! The worker's arrival rules against the default policy (three working days, Kazakh
//! holidays, Asia/Almaty), at instants just before and just after each boundary, on SQLite
//! and on PostgreSQL: the host records a guest as expected through the API, the rules run,
//! and the host confirms afterwards.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use common::{Server, ok_json};
use jiff::{SignedDuration, Timestamp};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tirkeu_core::policy::Policy;
use tirkeu_server::worker::arrivals::{ArrivalReport, arrival_rules};
use tirkeu_store::{Store, with_store};

on_both!(
    a_guest_expected_on_friday_evening_is_reminded_then_flagged_late,
    a_confirmed_guest_is_left_alone,
);

/// Runs both rules at `at` with the default policy.
async fn run(s: &Server, at: &str) -> ArrivalReport {
    let at: Timestamp = at.parse().unwrap();
    with_store!(&s.store, st => arrival_rules(st, &Policy::default_kz(), at).await.unwrap())
}

fn report(reminded: u64, late: u64) -> ArrivalReport {
    ArrivalReport { reminded, late }
}

/// Records a guest expected at `planned` through the API; its answer.
async fn expect(s: &Server, planned: &str) -> Value {
    ok_json(
        s.post(
            "/api/v1/arrivals",
            Some(&s.host_key),
            &json!({
                "guest": {"surname": "KIM", "given_names": "MINJI", "passport_number": "M1234567", "nationality": "KOR", "birth_date": "1995-02-03", "sex": "F", "passport_expiry": "2031-01-01"},
                "arrived_at": planned, "address": {"city": "Almaty", "line": "Abay 1"}, "expected": true,
            }),
        )
        .await,
        StatusCode::CREATED,
    )
    .await
}

/// The messages queued so far, as `(kind, payload)`, claimed all at once.
async fn messages(s: &Server) -> Vec<(String, Value)> {
    let far: Timestamp = "2030-01-01T00:00:00Z".parse().unwrap();
    let claimed = with_store!(&s.store, st => st.claim_outbox("test", far, SignedDuration::from_mins(1), 100).await.unwrap());
    claimed.into_iter().map(|m| (m.kind, m.payload)).collect()
}

async fn a_guest_expected_on_friday_evening_is_reminded_then_flagged_late(s: Server) {
    // Friday 4 December 2026, 20:00 in Almaty; three working days: Monday 7, Tuesday 8,
    // Wednesday 9, to the end of the day.
    let r = expect(&s, "2026-12-04T20:00:00+05:00").await;
    let id = r["id"].as_i64().unwrap();
    assert_eq!(r["deadline"], "2026-12-09T23:59:59+05:00");
    let host_id = with_store!(&s.store, st => st.user_by_username("hotel").await.unwrap().id);

    // Before the reminder window (the policy's 24 hours): nothing.
    assert_eq!(run(&s, "2026-12-02T06:00:00Z").await, report(0, 0));
    assert_eq!(run(&s, "2026-12-08T23:59:59+05:00").await, report(0, 0));
    // Inside it: one reminder, and a second run adds none.
    assert_eq!(run(&s, "2026-12-09T00:00:00+05:00").await, report(1, 0));
    assert_eq!(run(&s, "2026-12-09T00:00:00+05:00").await, report(0, 0));
    assert_eq!(run(&s, "2026-12-09T12:00:00+05:00").await, report(0, 0));
    // The last second of the deadline: in time still.
    assert_eq!(run(&s, "2026-12-09T23:59:59.5+05:00").await, report(0, 0));

    // One second after the deadline: late, with the fine of the day after it; once.
    assert_eq!(run(&s, "2026-12-10T00:00:00+05:00").await, report(0, 1));
    assert_eq!(run(&s, "2026-12-10T00:00:00+05:00").await, report(0, 0));
    assert_eq!(run(&s, "2026-12-10T00:00:01+05:00").await, report(0, 0));
    assert_eq!(run(&s, "2026-12-11T09:00:00+05:00").await, report(0, 0));
    let fine = Policy::default_kz()
        .assess_notification(
            "2026-12-04T20:00:00+05:00".parse().unwrap(),
            Some("2026-12-10T00:00:00+05:00".parse().unwrap()),
            "small_business",
            None,
        )
        .unwrap()
        .fine
        .unwrap();
    assert_eq!(fine.kzt, 43_250, "10 MCI of 2026");
    assert_eq!(fine.date, jiff::civil::date(2026, 12, 10));
    let list = ok_json(
        s.get("/api/v1/arrivals?status=expected", Some(&s.host_key))
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["late"], true);
    assert_eq!(list["items"][0]["fine"], 43_250);

    // The host confirms two days later: still late, the fine kept, notified now.
    let confirm_at: Timestamp = "2026-12-11T10:00:00+05:00".parse().unwrap();
    s.clock.advance(confirm_at.duration_since(s.clock.now()));
    let r = ok_json(
        s.post(
            &format!("/api/v1/arrivals/{id}/confirm"),
            Some(&s.host_key),
            &json!({"arrived_at": "2026-12-04T20:00:00+05:00"}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["status"], "notified");
    assert_eq!(r["late"], true);
    assert_eq!(r["fine"], 43_250);
    assert_eq!(r["deadline"], "2026-12-09T23:59:59+05:00");
    assert!(r["fine_article"].as_str().unwrap().contains("518"));
    assert_eq!(run(&s, "2026-12-12T00:00:00+05:00").await, report(0, 0));

    // One message of each kind, for this arrival and its host; each audited by "system".
    let payload = json!({"arrival_id": id, "host_id": host_id});
    assert_eq!(
        messages(&s).await,
        [
            ("host.deadline_approaching".to_owned(), payload.clone()),
            ("host.deadline_missed".to_owned(), payload),
        ]
    );
    let entries = with_store!(&s.store, st => st.audit_entries(0, 1000).await.unwrap());
    let actions: Vec<(&str, &str)> = entries
        .iter()
        .filter(|e| e.object == format!("arrival:{id}"))
        .map(|e| (e.actor.as_str(), e.action.as_str()))
        .collect();
    let host = format!("user:{host_id}");
    assert_eq!(
        actions,
        [
            (host.as_str(), "arrival.create"),
            ("system", "arrival.remind"),
            ("system", "arrival.flag_late"),
            (host.as_str(), "arrival.confirm"),
        ]
    );
}

async fn a_confirmed_guest_is_left_alone(s: Server) {
    // Expected this afternoon, confirmed when the guest comes: no reminder, never late.
    let r = expect(&s, "2026-12-02T14:00:00+05:00").await;
    let id = r["id"].as_i64().unwrap();
    s.clock.advance(SignedDuration::from_hours(4));
    let r = ok_json(
        s.http
            .post(s.url(&format!("/api/v1/arrivals/{id}/confirm")))
            .bearer_auth(&s.host_key)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(r["late"], false);
    let deadline: Timestamp = r["deadline"].as_str().unwrap().parse().unwrap();
    let hour = SignedDuration::from_hours(1);
    for at in [deadline - hour, deadline + hour, deadline + 100 * hour] {
        assert_eq!(run(&s, &at.to_string()).await, report(0, 0), "{at}");
    }
    assert!(messages(&s).await.is_empty());
}
