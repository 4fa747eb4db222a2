//! Failed attempts shared through the database (migration 0010).

mod common;

use common::{KEY, draft, t};
use jiff::SignedDuration;
use tirkeu_core::number::CaseNumber;
use tirkeu_store::{AttemptKind, OpenOptions, Store, with_store};

on_both!(
    failures_are_counted_forgotten_and_pruned,
    two_instances_count_each_others_failures,
);

/// Every `key_hash` stored, read outside the store.
async fn stored_keys(url: &str) -> Vec<String> {
    use sqlx::Connection;
    let q = "SELECT key_hash FROM failed_attempts";
    if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        sqlx::query_scalar(q).fetch_all(&mut c).await.unwrap()
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        sqlx::query_scalar(q).fetch_all(&mut c).await.unwrap()
    }
}

async fn failures_are_counted_forgotten_and_pruned<S: Store>(s: S, url: String) {
    let at = t("2026-12-02T06:00:00Z");
    let window = at - SignedDuration::from_mins(1);
    let known = s
        .create_application(&draft("P1234567", "work", at), "test")
        .await
        .unwrap();
    let unknown = CaseNumber::generate();

    // Nothing recorded: the lookup reads the case, and no failures, either way.
    let (f, row) = s.status_with_failures(&known.number, window).await.unwrap();
    assert_eq!((f.count, f.earliest), (0, None));
    assert_eq!(row.unwrap().passport_lookup, s.passport_lookup("P1234567"));
    let (f, row) = s.status_with_failures(&unknown, window).await.unwrap();
    assert_eq!((f.count, row.is_some()), (0, false));

    let number = known.number.compact();
    let first = s
        .record_failures(&[(AttemptKind::StatusNumber, &number)], at)
        .await
        .unwrap();
    assert_eq!(first.len(), 1);
    let later = at + SignedDuration::from_secs(20);
    let both = s
        .record_failures(
            &[
                (AttemptKind::StatusNumber, &number),
                (AttemptKind::LoginUser, "anna"),
                (AttemptKind::LoginClient, "203.0.113.7"),
            ],
            later,
        )
        .await
        .unwrap();
    assert_eq!(both.len(), 3);
    s.record_failures(&[(AttemptKind::StatusNumber, &unknown.compact())], at)
        .await
        .unwrap();

    // Counted per kind and key, with the earliest; the case is read alongside.
    let (f, row) = s.status_with_failures(&known.number, window).await.unwrap();
    assert_eq!((f.count, f.earliest), (2, Some(at)));
    assert!(row.is_some());
    let (f, row) = s.status_with_failures(&unknown, window).await.unwrap();
    assert_eq!((f.count, row.is_some()), (1, false));
    let user = s
        .recent_failures(AttemptKind::LoginUser, "anna", window)
        .await
        .unwrap();
    assert_eq!((user.count, user.earliest), (1, Some(later)));
    // The same text under another kind is another key.
    assert_eq!(
        s.recent_failures(AttemptKind::LoginClient, "anna", window)
            .await
            .unwrap()
            .count,
        0
    );
    // The window's start is exclusive: an attempt a whole minute old has left it.
    assert_eq!(
        s.recent_failures(AttemptKind::StatusNumber, &number, at)
            .await
            .unwrap()
            .count,
        1
    );

    // No key is stored as itself: only 64-hex-digit keyed hashes.
    let keys = stored_keys(&url).await;
    assert_eq!(keys.len(), 5);
    for k in &keys {
        assert_eq!(k.len(), 64, "{k}");
        assert!(k.bytes().all(|b| b.is_ascii_hexdigit()), "{k}");
    }
    for raw in [number.as_str(), "anna", "203.0.113.7", &unknown.compact()] {
        assert!(!keys.iter().any(|k| k.contains(raw)), "{raw} stored");
    }

    // Forgotten by id (a success gives its attempt back).
    s.forget_failures(&both[..1]).await.unwrap();
    let (f, _) = s.status_with_failures(&known.number, window).await.unwrap();
    assert_eq!(f.count, 1);
    s.forget_failures(&[]).await.unwrap();

    // Pruned up to an instant, inclusive.
    assert_eq!(s.prune_failures(at).await.unwrap(), 2);
    assert_eq!(
        s.recent_failures(AttemptKind::LoginUser, "anna", window)
            .await
            .unwrap()
            .count,
        1
    );
    assert_eq!(s.prune_failures(later).await.unwrap(), 2);
    assert!(stored_keys(&url).await.is_empty());
}

/// Two stores on one database, as two instances have: each counts the other's failures.
async fn two_instances_count_each_others_failures<S: Store>(s: S, url: String) {
    let other = tirkeu_store::open(&url, OpenOptions::new(KEY))
        .await
        .unwrap();
    let at = t("2026-12-02T06:00:00Z");
    let window = at - SignedDuration::from_mins(1);
    for i in 0..6 {
        let when = at + SignedDuration::from_secs(i);
        if i % 2 == 0 {
            s.record_failures(&[(AttemptKind::LoginUser, "anna")], when)
                .await
                .unwrap();
        } else {
            with_store!(&other, o => o.record_failures(&[(AttemptKind::LoginUser, "anna")], when).await.unwrap());
        }
    }
    let here = s
        .recent_failures(AttemptKind::LoginUser, "anna", window)
        .await
        .unwrap();
    let there = with_store!(&other, o => o.recent_failures(AttemptKind::LoginUser, "anna", window).await.unwrap());
    assert_eq!((here.count, there.count), (6, 6));
    // A store opened with another lookup key hashes apart: it does not share the budget.
    let stranger = tirkeu_store::open(&url, OpenOptions::new([1; 32]))
        .await
        .unwrap();
    let apart = with_store!(&stranger, o => o.recent_failures(AttemptKind::LoginUser, "anna", window).await.unwrap());
    assert_eq!(apart.count, 0);
    with_store!(&other, o => o.close().await);
    with_store!(&stranger, o => o.close().await);
}
