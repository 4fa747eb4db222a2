//! Failed attempts shared through the database (migration 0010), and the PostgreSQL pool's
//! settings: the statement timeout and the acquire timeout come back as errors of their own.

mod common;

use std::time::{Duration, Instant};

use common::{KEY, draft, t};
use jiff::SignedDuration;
use tirkeu_core::number::CaseNumber;
use tirkeu_store::{AttemptKind, OpenOptions, PgStore, PoolOptions, Store, StoreError, with_store};

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

/// Runs `sql` on a connection of its own.
async fn pg_exec(url: &str, sql: &str) {
    use sqlx::Connection;
    let mut c = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()))
        .execute(&mut c)
        .await
        .unwrap();
}

/// A statement that runs over the pool's statement timeout is cancelled by PostgreSQL and
/// comes back as `StatementTimeout`; with every connection busy, a query waits the acquire
/// timeout and comes back as `PoolTimeout`. The slow statement is a real store method's
/// insert, slowed by a trigger that calls `pg_sleep`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(tirkeu_pg),
    ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn postgres_statement_and_acquire_timeouts() {
    common::on_postgres(|_, url| async move {
        pg_exec(
            &url,
            "CREATE FUNCTION slow_insert() RETURNS trigger LANGUAGE plpgsql AS \
             $$ BEGIN PERFORM pg_sleep(10); RETURN NEW; END $$",
        )
        .await;
        pg_exec(
            &url,
            "CREATE TRIGGER slow_insert BEFORE INSERT ON failed_attempts \
             FOR EACH ROW EXECUTE FUNCTION slow_insert()",
        )
        .await;
        let pool = PoolOptions {
            max_connections: 1,
            min_connections: 1,
            acquire_timeout: Duration::from_millis(300),
            statement_timeout: Some(Duration::from_millis(1500)),
            ..PoolOptions::default()
        };
        let s = PgStore::open_with(&url, KEY, &pool).await.unwrap();
        let at = t("2026-12-02T06:00:00Z");

        let started = Instant::now();
        let slow = {
            let s = s.clone();
            tokio::spawn(async move {
                let r = s
                    .record_failures(&[(AttemptKind::LoginUser, "anna")], at)
                    .await;
                (r, started.elapsed())
            })
        };
        // The one connection is busy with the slow insert: a read waits, then gives up.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let waited = Instant::now();
        let e = s
            .recent_failures(AttemptKind::LoginUser, "anna", at)
            .await
            .unwrap_err();
        assert!(matches!(e, StoreError::PoolTimeout), "{e:?}");
        assert!(e.to_string().contains("acquire timeout"), "{e}");
        let waited = waited.elapsed();
        assert!(
            waited >= Duration::from_millis(250) && waited < Duration::from_millis(1200),
            "{waited:?}"
        );

        let (r, took) = slow.await.unwrap();
        let e = r.unwrap_err();
        assert!(matches!(e, StoreError::StatementTimeout), "{e:?}");
        assert!(e.to_string().contains("statement timeout"), "{e}");
        assert!(
            took >= Duration::from_millis(1400) && took < Duration::from_secs(5),
            "cancelled after {took:?}, not at the 1.5 s timeout"
        );

        // Nothing was written, and the connection serves the next statement.
        pg_exec(&url, "DROP TRIGGER slow_insert ON failed_attempts").await;
        assert_eq!(
            s.recent_failures(
                AttemptKind::LoginUser,
                "anna",
                at - SignedDuration::from_mins(1)
            )
            .await
            .unwrap()
            .count,
            0
        );
        s.record_failures(&[(AttemptKind::LoginUser, "anna")], at)
            .await
            .unwrap();
        s.close().await;
    })
    .await;
}

/// A pool that cannot work is refused with a message that names the numbers.
#[tokio::test]
#[cfg_attr(
    not(tirkeu_pg),
    ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn postgres_pool_settings_are_checked() {
    common::on_postgres(|_, url| async move {
        for (max, min) in [(0, 0), (2, 3)] {
            let pool = PoolOptions {
                max_connections: max,
                min_connections: min,
                ..PoolOptions::default()
            };
            let Err(e) = PgStore::open_with(&url, KEY, &pool).await else {
                panic!("max {max}, min {min} accepted")
            };
            assert!(
                matches!(e, StoreError::Config(ref m) if m.contains(&format!("max {max}, min {min}"))),
                "{e:?}"
            );
        }
        // No statement timeout at all is allowed too.
        let pool = PoolOptions {
            statement_timeout: None,
            ..PoolOptions::default()
        };
        PgStore::open_with(&url, KEY, &pool).await.unwrap().close().await;
    })
    .await;
}
