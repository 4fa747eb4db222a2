//! Many writers at once (issue 12): every acknowledged write is stored, a failing or
//! cancelled writer leaves the others alone, and the audit chain stays one total order. On
//! SQLite this is the group commit's contract (`src/group_commit.rs`); PostgreSQL runs the
//! same stories.

mod common;

use std::sync::Arc;
use std::time::Duration;

use jiff::Timestamp;
use tirkeu_core::lifecycle::{Action, State};
use tirkeu_store::audit::verify_store;
use tirkeu_store::{CaseUpdate, SqliteStore, Store, StoreError, TransitionChange};

use common::{draft, on_sqlite};

const TASKS: usize = 32;
const EACH: usize = 15;

/// `TASKS` tasks creating `EACH` drafts each, at once: all are stored and audited in one chain.
async fn concurrent_writers_all_land<S: Store + 'static>(s: S, _url: String) {
    let s = Arc::new(s);
    let handles: Vec<_> = (0..TASKS)
        .map(|t| {
            let s = s.clone();
            tokio::spawn(async move {
                let mut ids = Vec::new();
                for i in 0..EACH {
                    let app = s
                        .create_application(
                            &draft(&format!("P{t}X{i}"), "work", Timestamp::now()),
                            "test",
                        )
                        .await
                        .unwrap();
                    ids.push(app.id);
                }
                ids
            })
        })
        .collect();
    let mut ids = Vec::new();
    for h in handles {
        ids.extend(h.await.unwrap());
    }
    assert_eq!(ids.len(), TASKS * EACH);
    for id in &ids {
        s.application(*id).await.unwrap();
    }
    let report = verify_store(&*s, None, |_| {}).await.unwrap();
    assert!(report.problem.is_none(), "{:?}", report.problem);
    assert_eq!(report.entries, (TASKS * EACH) as u64);
    assert_eq!(report.last_seq, i64::try_from(TASKS * EACH).unwrap());
}

/// Half of the writers at once reuse a number already taken: they fail alone (`Taken`),
/// the others' drafts in the same batches are stored, and the chain holds exactly theirs.
async fn failing_writers_fail_alone<S: Store + 'static>(s: S, _url: String) {
    let s = Arc::new(s);
    let first = s
        .create_application(&draft("TAKEN1", "work", Timestamp::now()), "test")
        .await
        .unwrap();
    let handles: Vec<_> = (0..TASKS * 4)
        .map(|t| {
            let s = s.clone();
            let taken = first.number;
            tokio::spawn(async move {
                let mut d = draft(&format!("F{t}"), "work", Timestamp::now());
                if t % 2 == 1 {
                    d.number = taken;
                }
                (t, s.create_application(&d, "test").await)
            })
        })
        .collect();
    let mut stored = 0u64;
    for h in handles {
        match h.await.unwrap() {
            (t, Ok(app)) => {
                assert_eq!(t % 2, 0);
                assert_eq!(s.application(app.id).await.unwrap().id, app.id);
                stored += 1;
            }
            (t, Err(StoreError::Taken(_))) => assert_eq!(t % 2, 1),
            (t, Err(e)) => panic!("writer {t}: {e}"),
        }
    }
    assert_eq!(stored, (TASKS * 2) as u64);
    let report = verify_store(&*s, None, |_| {}).await.unwrap();
    assert!(report.problem.is_none(), "{:?}", report.problem);
    assert_eq!(report.entries, stored + 1);
}

/// Writers cancelled at random points (waiting for the writer, inside their transaction, or
/// waiting for the commit) hold up nobody: the rest finish, and whatever a cancelled one left
/// is either wholly stored and audited or not at all.
async fn cancelled_writers_hold_up_nobody<S: Store + 'static>(s: S, _url: String) {
    let s = Arc::new(s);
    let mut handles = Vec::new();
    for t in 0..TASKS * 4 {
        let s = s.clone();
        handles.push(tokio::spawn(async move {
            s.create_application(&draft(&format!("C{t}"), "work", Timestamp::now()), "test")
                .await
                .unwrap()
        }));
    }
    // Cancel every third at a slightly different moment.
    for (i, h) in handles.iter().enumerate().filter(|(i, _)| i % 3 == 0) {
        tokio::time::sleep(Duration::from_micros(50 * (i as u64 % 7))).await;
        h.abort();
    }
    let mut finished = 0;
    for (i, h) in handles.into_iter().enumerate() {
        match tokio::time::timeout(Duration::from_secs(30), h).await {
            Ok(Ok(_)) => finished += 1,
            Ok(Err(e)) if e.is_cancelled() => assert_eq!(i % 3, 0),
            Ok(Err(e)) => panic!("writer {i}: {e}"),
            Err(elapsed) => panic!("writer {i} still waiting: {elapsed}"),
        }
    }
    assert!(finished >= TASKS * 4 * 2 / 3);
    // A write after the storm goes through at once.
    tokio::time::timeout(
        Duration::from_secs(10),
        s.create_application(&draft("AFTER", "work", Timestamp::now()), "test"),
    )
    .await
    .expect("the writer is free")
    .unwrap();
    let report = verify_store(&*s, None, |_| {}).await.unwrap();
    assert!(report.problem.is_none(), "{:?}", report.problem);
    assert!(report.entries > finished as u64);
}

/// Drafts for one passport and card type submitted at once: one is pursued, and every other
/// submission hears which (`Duplicate` with its id), also when the winner is another member
/// of the same uncommitted SQLite batch, which the read pool cannot see yet.
async fn simultaneous_duplicates_name_the_winner<S: Store + 'static>(s: S, _url: String) {
    const DRAFTS: usize = 24;
    let s = Arc::new(s);
    for round in 0..4 {
        let passport = format!("TWIN{round}");
        let mut drafts = Vec::new();
        for _ in 0..DRAFTS {
            drafts.push(
                s.create_application(&draft(&passport, "work", Timestamp::now()), "test")
                    .await
                    .unwrap()
                    .id,
            );
        }
        let handles: Vec<_> = drafts
            .iter()
            .map(|&id| {
                let s = s.clone();
                tokio::spawn(async move {
                    let submit = TransitionChange {
                        application_id: id,
                        expected_version: 1,
                        from: State::Draft,
                        to: State::Submitted,
                        action: Action::Submit,
                        actor: "applicant".into(),
                        at: Timestamp::now(),
                        update: CaseUpdate::default(),
                        outbox: vec![],
                    };
                    s.transition(&submit).await
                })
            })
            .collect();
        let mut won = Vec::new();
        let mut named = Vec::new();
        for h in handles {
            match h.await.unwrap() {
                Ok(app) => won.push(app.id),
                Err(StoreError::Duplicate { existing_id }) => named.push(existing_id),
                Err(e) => panic!("round {round}: a submission failed otherwise: {e}"),
            }
        }
        assert_eq!(won.len(), 1, "round {round}: {won:?}");
        assert_eq!(named.len(), DRAFTS - 1);
        assert!(
            named.iter().all(|&id| id == won[0]),
            "round {round}: losers named {named:?}, the winner is {}",
            won[0]
        );
    }
}

on_both!(
    concurrent_writers_all_land,
    failing_writers_fail_alone,
    cancelled_writers_hold_up_nobody,
    simultaneous_duplicates_name_the_winner
);

/// On SQLite the writers share physical commits: fewer commits (each one `fsync`) than
/// write transactions, while every one of them is stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_writers_share_commits() {
    on_sqlite(|s: SqliteStore, _url| async move {
        let (c0, m0) = s.group_commit_stats().await;
        concurrent_writers_all_land(s.clone(), String::new()).await;
        let (c1, m1) = s.group_commit_stats().await;
        let (commits, members) = (c1 - c0, m1 - m0);
        assert_eq!(members, (TASKS * EACH) as u64);
        assert!(
            commits < members,
            "{commits} physical commits for {members} transactions: no batching"
        );
    })
    .await;
}

/// Two stores on one PostgreSQL database (two app servers) writing at once: each chains its
/// own and the other's entries, none twice, and the chain is one order.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(tirkeu_pg),
    ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn postgres_instances_share_one_chain() {
    common::on_postgres(|a, url| async move {
        let b = tirkeu_store::PgStore::open(&url, common::KEY)
            .await
            .unwrap();
        let handles: Vec<_> = (0..TASKS)
            .map(|t| {
                let (a, b) = (a.clone(), b.clone());
                tokio::spawn(async move {
                    for i in 0..EACH {
                        let d = draft(&format!("I{t}X{i}"), "work", Timestamp::now());
                        if (t + i) % 2 == 0 {
                            a.create_application(&d, "test").await.unwrap();
                        } else {
                            b.create_application(&d, "test").await.unwrap();
                        }
                    }
                })
            })
            .collect();
        for h in handles {
            h.await.unwrap();
        }
        let report = verify_store(&a, None, |_| {}).await.unwrap();
        assert!(report.problem.is_none(), "{:?}", report.problem);
        assert_eq!(report.entries, (TASKS * EACH) as u64);
        assert_eq!(report.rows_checked, (TASKS * EACH) as u64);
        b.close().await;
    })
    .await;
}

/// Entries a crash left pending (committed, not chained) are chained when a store opens; and
/// a write's entry is on the chain for whoever reads the chain after the write returned.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(tirkeu_pg),
    ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn postgres_pending_entries_are_chained_on_open() {
    common::on_postgres(|a, url| async move {
        // One entry on the chain, by a store that then closes: its chaining runs in the
        // background after the write, so the history read (which chains first) and the close
        // (which waits for it) leave no chaining running that could take the entries below.
        let before = tirkeu_store::PgStore::open(&url, common::KEY)
            .await
            .unwrap();
        let app = before
            .create_application(&draft("BEFORE", "work", Timestamp::now()), "test")
            .await
            .unwrap();
        assert_eq!(before.case_history(app.id).await.unwrap().len(), 1);
        before.close().await;
        let mut raw = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        for i in 0..3 {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "INSERT INTO audit_pending (at, actor, action, object, payload) \
                 VALUES (1, 'test', 'case.read', 'user:{i}', '{{}}')"
            )))
            .execute(&mut raw)
            .await
            .unwrap();
        }
        let head = "SELECT seq FROM audit_head WHERE id = 1";
        let seq: i64 = sqlx::query_scalar(head).fetch_one(&mut raw).await.unwrap();
        assert_eq!(seq, 1, "still pending");
        // Pending entries are chained, never changed.
        let refused = sqlx::query("UPDATE audit_pending SET actor = 'x'")
            .execute(&mut raw)
            .await;
        assert!(refused.is_err(), "UPDATE on audit_pending was allowed");
        let b = tirkeu_store::PgStore::open(&url, common::KEY)
            .await
            .unwrap();
        let seq: i64 = sqlx::query_scalar(head).fetch_one(&mut raw).await.unwrap();
        assert_eq!(seq, 4, "chained when the store opened");
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_pending")
            .fetch_one(&mut raw)
            .await
            .unwrap();
        assert_eq!(left, 0);
        let report = verify_store(&b, None, |_| {}).await.unwrap();
        assert!(report.problem.is_none(), "{:?}", report.problem);
        assert_eq!(report.entries, 4);
        let app = b
            .create_application(&draft("READ", "work", Timestamp::now()), "test")
            .await
            .unwrap();
        let history = a.case_history(app.id).await.unwrap();
        assert_eq!(history.len(), 1, "the create is in the history at once");
        b.close().await;
    })
    .await;
}

/// A chaining that fails after the commit is tried again in the background until it
/// succeeds, with no later write or read to set it off: here the first three tries are
/// refused by a trigger, and the entry still reaches the chain on its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[cfg_attr(
    not(tirkeu_pg),
    ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
)]
async fn postgres_failed_chaining_is_retried() {
    common::on_postgres(|s, url| async move {
        let mut raw = <sqlx::PgConnection as sqlx::Connection>::connect(&url)
            .await
            .unwrap();
        // A sequence, since it counts outside the failing transactions.
        sqlx::raw_sql(
            "CREATE SEQUENCE chain_tries; \
             CREATE FUNCTION refuse_three() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN IF nextval('chain_tries') <= 3 THEN RAISE EXCEPTION 'injected failure'; END IF; \
             RETURN NULL; END $$; \
             CREATE TRIGGER refuse_three BEFORE INSERT ON audit_log \
             FOR EACH STATEMENT EXECUTE FUNCTION refuse_three();",
        )
        .execute(&mut raw)
        .await
        .unwrap();
        s.create_application(&draft("RETRY", "work", Timestamp::now()), "test")
            .await
            .unwrap();
        let head = "SELECT seq FROM audit_head WHERE id = 1";
        let mut seq = 0i64;
        for _ in 0..200 {
            seq = sqlx::query_scalar(head).fetch_one(&mut raw).await.unwrap();
            if seq == 1 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(seq, 1, "the entry never reached the chain");
        let tries: i64 = sqlx::query_scalar("SELECT last_value FROM chain_tries")
            .fetch_one(&mut raw)
            .await
            .unwrap();
        assert_eq!(tries, 4, "three refused tries and one that went through");
        let report = verify_store(&s, None, |_| {}).await.unwrap();
        assert!(report.problem.is_none(), "{:?}", report.problem);
        assert_eq!(report.entries, 1);
    })
    .await;
}
