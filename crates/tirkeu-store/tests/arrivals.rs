//! Expected arrivals in the store, on SQLite and on PostgreSQL: recorded before the guest
//! comes, listed by deadline, confirmed once by their own host; and migration 0006 keeps the
//! arrivals notified before it.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use common::t;
use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};
use tirkeu_store::{
    AccountRole, Arrival, ArrivalConfirmation, ArrivalStatus, NewArrival, NewAudit,
    NewOutboxMessage, NewUser, Store, StoreError, User,
};

on_both!(
    expected_arrivals_are_confirmed_once,
    deadline_rules_act_once_and_yield_to_confirmations,
);

async fn host<S: Store>(s: &S, name: &str) -> User {
    s.create_user(
        &NewUser {
            username: name.into(),
            role: AccountRole::Host,
            password_hash: "x".into(),
            host_kind: Some("small_business".into()),
            office: None,
            created_at: t("2026-11-01T00:00:00Z"),
            email: None,
            language: None,
        },
        "system",
    )
    .await
    .unwrap()
}

/// An arrival of `host` at `arrived_at` with the deadline `deadline_at`: expected when
/// `notified_at` is `None`.
pub fn arrival(
    host: &User,
    number: &str,
    arrived_at: Timestamp,
    deadline_at: Timestamp,
    notified_at: Option<Timestamp>,
) -> NewArrival {
    NewArrival {
        id: 0,
        confirmation_number: number.into(),
        host_id: host.id,
        surname: "KIM".into(),
        given_names: "MINJI".into(),
        passport_number: format!("M{number}"),
        nationality: "KOR".into(),
        birth_date: date(1995, 2, 3),
        address_city: "Almaty".into(),
        address_line: "Abay 1".into(),
        arrived_at,
        status: if notified_at.is_some() {
            ArrivalStatus::Notified
        } else {
            ArrivalStatus::Expected
        },
        notified_at,
        deadline_at,
        late: false,
        fine_kzt: None,
    }
}

async fn expected_arrivals_are_confirmed_once<S: Store>(s: S, _url: String) {
    let now = t("2026-12-01T09:00:00Z");
    let hotel = host(&s, "hotel").await;
    let other = host(&s, "other").await;
    let day = SignedDuration::from_hours(24);

    // Two expected guests (the later deadline recorded first) and one notified arrival.
    let later = s
        .create_arrival(
            &arrival(&hotel, "E1", now + 3 * day, now + 8 * day, None),
            "user:hotel",
            now,
        )
        .await
        .unwrap();
    let sooner = s
        .create_arrival(
            &arrival(&hotel, "E2", now + day, now + 6 * day, None),
            "user:hotel",
            now,
        )
        .await
        .unwrap();
    let notified = s
        .create_arrival(
            &arrival(&hotel, "N1", now - day, now + 4 * day, Some(now)),
            "user:hotel",
            now,
        )
        .await
        .unwrap();
    assert_eq!(later.status, ArrivalStatus::Expected);
    assert_eq!(later.notified_at, None);
    assert_eq!(notified.status, ArrivalStatus::Notified);
    assert_eq!(notified.notified_at, Some(now));

    // The database refuses a status that disagrees with the notification instant.
    let mut wrong = arrival(&hotel, "W1", now, now + day, None);
    wrong.status = ArrivalStatus::Notified;
    assert!(s.create_arrival(&wrong, "user:hotel", now).await.is_err());
    let mut wrong = arrival(&hotel, "W2", now, now + day, Some(now));
    wrong.status = ArrivalStatus::Expected;
    assert!(s.create_arrival(&wrong, "user:hotel", now).await.is_err());

    // Listed by status; the expected ones soonest deadline first.
    let expected = s.expected_arrivals_for_host(hotel.id, 10).await.unwrap();
    assert_eq!(
        expected.iter().map(|a| a.id).collect::<Vec<_>>(),
        [sooner.id, later.id]
    );
    assert!(
        s.expected_arrivals_for_host(other.id, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let only_notified = s
        .arrivals_for_host(hotel.id, Some(ArrivalStatus::Notified), None, 10)
        .await
        .unwrap();
    assert_eq!(only_notified, std::slice::from_ref(&notified));
    let all = s.arrivals_for_host(hotel.id, None, None, 10).await.unwrap();
    assert_eq!(all.len(), 3);
    // Statistics count notifications, not announcements.
    let stats = s.stats().await.unwrap();
    assert_eq!((stats.arrivals, stats.late_arrivals), (1, 0));

    // Another host cannot confirm it: the same answer as for an unknown id.
    let confirm_at = now + 2 * day;
    let confirmation = ArrivalConfirmation {
        arrived_at: now + day + SignedDuration::from_hours(2),
        notified_at: confirm_at,
        deadline_at: now + 6 * day + SignedDuration::from_hours(2),
        late: false,
        fine_kzt: None,
    };
    assert!(matches!(
        s.confirm_arrival(other.id, sooner.id, &confirmation, "user:other")
            .await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.confirm_arrival(hotel.id, i64::MAX, &confirmation, "user:hotel")
            .await,
        Err(StoreError::NotFound)
    ));

    // Confirmed: notified at that instant, with the corrected arrival and its deadline.
    let confirmed = s
        .confirm_arrival(hotel.id, sooner.id, &confirmation, "user:hotel")
        .await
        .unwrap();
    assert_eq!(confirmed.status, ArrivalStatus::Notified);
    assert_eq!(confirmed.notified_at, Some(confirm_at));
    assert_eq!(confirmed.arrived_at, confirmation.arrived_at);
    assert_eq!(confirmed.deadline_at, confirmation.deadline_at);
    assert!(!confirmed.late);
    assert_eq!(
        s.arrival_for_host(hotel.id, sooner.id).await.unwrap(),
        confirmed
    );
    let entries = s.audit_entries(0, 100).await.unwrap();
    let last = entries.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.object.as_str(), last.at),
        (
            "arrival.confirm",
            format!("arrival:{}", sooner.id).as_str(),
            confirm_at
        )
    );

    // A second confirmation, or one of a notified arrival, is refused and writes nothing.
    for id in [sooner.id, notified.id] {
        let again = s
            .confirm_arrival(hotel.id, id, &confirmation, "user:hotel")
            .await;
        match again {
            Err(StoreError::AlreadyNotified { notified_at }) => {
                assert_eq!(notified_at, if id == sooner.id { confirm_at } else { now });
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(s.audit_entries(0, 100).await.unwrap().len(), entries.len());
    assert_eq!(
        s.expected_arrivals_for_host(hotel.id, 10)
            .await
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect::<Vec<_>>(),
        [later.id]
    );
    let stats = s.stats().await.unwrap();
    assert_eq!((stats.arrivals, stats.late_arrivals), (2, 0));
}

fn reminder(a: &Arrival, at: Timestamp) -> (NewOutboxMessage, NewAudit) {
    message(
        "host.deadline_approaching",
        Arrival::reminder_key(a.id),
        "arrival.remind",
        a,
        at,
    )
}

fn missed(a: &Arrival, at: Timestamp) -> (NewOutboxMessage, NewAudit) {
    message(
        "host.deadline_missed",
        Arrival::late_key(a.id),
        "arrival.flag_late",
        a,
        at,
    )
}

fn message(
    kind: &str,
    key: String,
    action: &str,
    a: &Arrival,
    at: Timestamp,
) -> (NewOutboxMessage, NewAudit) {
    (
        NewOutboxMessage {
            kind: kind.into(),
            payload: serde_json::json!({"arrival_id": a.id, "host_id": a.host_id}),
            available_at: at,
            dedupe_key: Some(key),
        },
        NewAudit {
            at,
            actor: "system".into(),
            action: action.into(),
            object: format!("arrival:{}", a.id),
            payload: serde_json::json!({}),
        },
    )
}

async fn deadline_rules_act_once_and_yield_to_confirmations<S: Store>(s: S, _url: String) {
    let now = t("2026-12-01T09:00:00Z");
    let hour = SignedDuration::from_hours(1);
    let hotel = host(&s, "hotel").await;
    let deadline = now + 30 * hour;
    let near = s
        .create_arrival(
            &arrival(&hotel, "R1", now, deadline, None),
            "user:hotel",
            now,
        )
        .await
        .unwrap();
    let far = s
        .create_arrival(
            &arrival(&hotel, "R2", now, deadline + 48 * hour, None),
            "user:hotel",
            now,
        )
        .await
        .unwrap();
    let notified = s
        .create_arrival(
            &arrival(&hotel, "R3", now, deadline, Some(now)),
            "user:hotel",
            now,
        )
        .await
        .unwrap();
    let ids = |v: Vec<Arrival>| v.iter().map(|a| a.id).collect::<Vec<_>>();

    // The reminder window is (now, until]: a deadline at its end counts, one after it not;
    // notified arrivals never.
    let at = deadline - 24 * hour;
    assert_eq!(
        ids(s.arrivals_due_reminder(at, deadline, 10).await.unwrap()),
        [near.id]
    );
    assert!(
        s.arrivals_due_reminder(at, deadline - SignedDuration::from_micros(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        s.arrivals_due_reminder(deadline, deadline + 24 * hour, 10)
            .await
            .unwrap()
            .is_empty(),
        "a deadline that is now is no longer ahead"
    );
    let (m, a) = reminder(&near, at);
    assert!(s.remind_arrival(near.id, &m, &a).await.unwrap());
    // Once: the arrival leaves the list, and queuing again does nothing.
    assert!(
        s.arrivals_due_reminder(at, deadline, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let audit_len = s.audit_entries(0, 1000).await.unwrap().len();
    assert!(!s.remind_arrival(near.id, &m, &a).await.unwrap());
    // A notified arrival is never reminded of.
    let (m, a) = reminder(&notified, at);
    assert!(!s.remind_arrival(notified.id, &m, &a).await.unwrap());
    assert_eq!(s.audit_entries(0, 1000).await.unwrap().len(), audit_len);

    // Past the deadline: flagged late once, with the fine; not before it.
    let after = deadline + SignedDuration::from_secs(1);
    assert!(
        s.arrivals_past_deadline(deadline, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let (m, a) = missed(&near, deadline);
    assert!(
        !s.flag_arrival_late(near.id, Some(43_250), &m, &a)
            .await
            .unwrap()
    );
    assert_eq!(
        ids(s.arrivals_past_deadline(after, 10).await.unwrap()),
        [near.id]
    );
    let (m, a) = missed(&near, after);
    assert!(
        s.flag_arrival_late(near.id, Some(43_250), &m, &a)
            .await
            .unwrap()
    );
    assert!(!s.flag_arrival_late(near.id, Some(1), &m, &a).await.unwrap());
    assert!(
        s.arrivals_past_deadline(after, 10)
            .await
            .unwrap()
            .is_empty()
    );
    let flagged = s.arrival_for_host(hotel.id, near.id).await.unwrap();
    assert!(flagged.late);
    assert_eq!(flagged.fine_kzt, Some(43_250));
    assert_eq!(flagged.status, ArrivalStatus::Expected);
    // Flagged, it is reminded of no more.
    assert!(
        s.arrivals_due_reminder(at, deadline + 72 * hour, 10)
            .await
            .unwrap()
            .iter()
            .all(|a| a.id != near.id)
    );

    // Confirmed later, with an assessment that would say otherwise: it stays late, with the
    // deadline it missed and its fine.
    let confirmed = s
        .confirm_arrival(
            hotel.id,
            near.id,
            &ArrivalConfirmation {
                arrived_at: after,
                notified_at: after + hour,
                deadline_at: after + 72 * hour,
                late: false,
                fine_kzt: None,
            },
            "user:hotel",
        )
        .await
        .unwrap();
    assert_eq!(confirmed.status, ArrivalStatus::Notified);
    assert!(confirmed.late);
    assert_eq!(confirmed.fine_kzt, Some(43_250));
    assert_eq!(confirmed.deadline_at, deadline);
    assert_eq!(confirmed.notified_at, Some(after + hour));

    // Confirmed first: no reminder and no late flag afterwards.
    s.confirm_arrival(
        hotel.id,
        far.id,
        &ArrivalConfirmation {
            arrived_at: now,
            notified_at: now + hour,
            deadline_at: far.deadline_at,
            late: false,
            fine_kzt: None,
        },
        "user:hotel",
    )
    .await
    .unwrap();
    let (m, a) = reminder(&far, far.deadline_at - hour);
    assert!(!s.remind_arrival(far.id, &m, &a).await.unwrap());
    let (m, a) = missed(&far, far.deadline_at + hour);
    assert!(!s.flag_arrival_late(far.id, None, &m, &a).await.unwrap());
    assert!(!s.arrival_for_host(hotel.id, far.id).await.unwrap().late);

    // Exactly one message of each kind, with its arrival.
    let claimed = s
        .claim_outbox("w", after + 100 * hour, SignedDuration::from_mins(5), 50)
        .await
        .unwrap();
    let kinds: Vec<(&str, &serde_json::Value)> = claimed
        .iter()
        .map(|m| (m.kind.as_str(), &m.payload["arrival_id"]))
        .collect();
    assert_eq!(
        kinds,
        [
            ("host.deadline_approaching", &serde_json::json!(near.id)),
            ("host.deadline_missed", &serde_json::json!(near.id)),
        ]
    );
}

/// Migration 0006 rebuilds SQLite's `arrivals`: the notifications recorded before it keep
/// every value and become `notified`.
#[tokio::test]
async fn migration_0006_keeps_notified_arrivals_on_sqlite() {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
    use std::str::FromStr;
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("m.db").display());
    let pool = SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(
            SqliteConnectOptions::from_str(&url)
                .unwrap()
                .create_if_missing(true)
                .foreign_keys(true),
        )
        .await
        .unwrap();
    sqlx::migrate!("migrations/sqlite")
        .run_to(5, &pool)
        .await
        .unwrap();
    for statement in [
        "INSERT INTO users (id, username, role, password_hash, host_kind, created_at) \
         VALUES (1, 'hotel', 'host', 'x', 'small_business', 0)",
        "INSERT INTO arrivals (id, confirmation_number, host_id, surname, given_names, \
         passport_number, passport_lookup, nationality, birth_date, address_city, address_line, \
         arrived_at, notified_at, deadline_at, late, fine_kzt) VALUES (7, 'C7', 1, 'KIM', \
         'MINJI', 'M1', 'lookup', 'KOR', '1995-02-03', 'Almaty', 'Abay 1', 1000, 3000, 2000, \
         TRUE, 43250)",
    ] {
        sqlx::query(statement).execute(&pool).await.unwrap();
    }
    pool.close().await;
    let store = tirkeu_store::SqliteStore::open(&url, common::KEY, true)
        .await
        .unwrap();
    let a = store.arrival_for_host(1, 7).await.unwrap();
    assert_eq!(a.status, ArrivalStatus::Notified);
    assert_eq!(a.confirmation_number, "C7");
    assert_eq!(a.arrived_at, Timestamp::from_microsecond(1000).unwrap());
    assert_eq!(
        a.notified_at,
        Some(Timestamp::from_microsecond(3000).unwrap())
    );
    assert_eq!(a.deadline_at, Timestamp::from_microsecond(2000).unwrap());
    assert!(a.late);
    assert_eq!(a.fine_kzt, Some(43_250));
    // The indexes the table had are there again, with the new ones.
    let schema = store.schema().await.unwrap();
    let columns: Vec<Vec<String>> = schema.tables["arrivals"]
        .indexes
        .iter()
        .map(|i| i.columns.clone())
        .collect();
    for expected in [
        vec!["confirmation_number"],
        vec!["host_id", "id"],
        vec!["passport_lookup"],
        vec!["notified_at", "late"],
        vec!["status", "late", "deadline_at"],
        vec!["host_id", "deadline_at"],
    ] {
        assert!(
            columns.contains(&expected.iter().map(|c| (*c).to_owned()).collect()),
            "{expected:?} in {columns:?}"
        );
    }
    // New rows take ids after the copied ones.
    let next = store
        .create_arrival(
            &arrival(
                &store.user(1).await.unwrap(),
                "C8",
                t("2026-12-01T00:00:00Z"),
                t("2026-12-04T00:00:00Z"),
                None,
            ),
            "user:1",
            t("2026-12-01T00:00:00Z"),
        )
        .await
        .unwrap();
    assert!(next.id > 7);
    store.close().await;
}
