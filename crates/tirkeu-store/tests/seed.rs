//! Synthetic data: bulk loading keeps every guarantee of the store, on SQLite and PostgreSQL.
#![allow(clippy::too_many_lines)] // story-style tests read top to bottom

mod common;

use std::collections::{BTreeMap, HashSet};

use common::{KEY, draft, t};
use tirkeu_core::lifecycle::State;
use tirkeu_core::policy::Policy;
use tirkeu_store::audit::verify_store;
use tirkeu_store::seed::{SeedOptions, seed};
use tirkeu_store::{AccountRole, CaseFilter, NewUser, SqliteStore, Store};

on_both!(
    seeded_data_keeps_the_guarantees,
    seeding_again_continues,
    same_seed_same_data,
    parallel_seeding_with_deferred_indexes
);

const NOW: &str = "2026-11-15T12:00:00Z";

fn options(cases: u64) -> SeedOptions {
    SeedOptions {
        batch_size: 700, // several batches, the last one partial
        ..SeedOptions::new(cases, 42, t(NOW))
    }
}

async fn total_cases<S: Store>(s: &S) -> i64 {
    let stats = s.stats().await.unwrap();
    stats.by_type_and_state.iter().map(|(_, _, n)| n).sum()
}

async fn verify<S: Store>(s: &S) -> u64 {
    let report = verify_store(s, None, |_| {}).await.unwrap();
    assert!(report.ok(), "{:?}", report.problem);
    report.entries
}

async fn seeded_data_keeps_the_guarantees<S: Store>(s: S, _url: String) {
    let policy = Policy::default_kz();
    let mut seen = Vec::new();
    let summary = seed(&s, &policy, &options(2_000), |n| seen.push(n))
        .await
        .unwrap();
    assert_eq!(seen, [700, 1_400, 2_000]);
    assert_eq!(summary.cases, 2_000);
    assert_eq!(summary.hosts, 100);
    assert!(
        (900..1_100).contains(&summary.arrivals),
        "{}",
        summary.arrivals
    );
    assert!(summary.documents > 2_000 * 4, "{}", summary.documents);

    // Counts, and every state of the lifecycle.
    let stats = s.stats().await.unwrap();
    assert_eq!(total_cases(&s).await, 2_000);
    assert_eq!(stats.arrivals, i64::try_from(summary.arrivals).unwrap());
    assert!(
        stats.late_arrivals * 20 > stats.arrivals && stats.late_arrivals * 6 < stats.arrivals,
        "{} late of {}",
        stats.late_arrivals,
        stats.arrivals
    );
    let mut by_state: BTreeMap<State, i64> = BTreeMap::new();
    for (_, state, n) in &stats.by_type_and_state {
        *by_state.entry(*state).or_default() += n;
    }
    for state in State::ALL {
        assert!(
            by_state.contains_key(state),
            "no {state} case: {by_state:?}"
        );
    }
    let types: HashSet<&str> = stats
        .by_type_and_state
        .iter()
        .map(|(ty, _, _)| ty.as_str())
        .collect();
    assert_eq!(types.len(), policy.doc().permit_types.len(), "{types:?}");

    // The chain is intact and counts every entry written.
    assert_eq!(verify(&s).await, summary.audit_entries);
    assert_eq!(
        summary.audit_entries,
        100 + 2_000 * 2 - u64::try_from(by_state[&State::Draft]).unwrap() + summary.arrivals
    );

    // Cases look like the lifecycle says they should.
    let issued = s
        .list_cases(
            &CaseFilter {
                states: vec![State::Issued],
                ..CaseFilter::default()
            },
            None,
            20,
        )
        .await
        .unwrap();
    for c in &issued.items {
        let app = s.application(c.id).await.unwrap();
        // create, submit, start_review, approve, schedule_collection, issue; +2 with an
        // information request answered.
        assert!(matches!(app.version, 6 | 8), "{app:?}");
        assert!(app.card_number.is_some() && app.collection_at.is_some());
        assert!(app.valid_from.unwrap() < app.valid_until.unwrap());
        assert!(app.valid_until.unwrap() <= app.applicant.passport_expiry);
        assert!(app.submitted_at.unwrap() < app.due_at.unwrap());
        let kinds: HashSet<String> = s
            .documents(app.id)
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.kind)
            .collect();
        let permit = policy.permit_type(&app.permit_type).unwrap();
        for item in permit.documents.iter().filter(|i| i.required) {
            assert!(kinds.contains(&item.id), "{} lacks {}", app.id, item.id);
        }
    }
    let rejected = s
        .list_cases(
            &CaseFilter {
                states: vec![State::Rejected, State::InfoRequested],
                ..CaseFilter::default()
            },
            None,
            50,
        )
        .await
        .unwrap();
    assert!(!rejected.items.is_empty());
    for c in &rejected.items {
        let reason = s.application(c.id).await.unwrap().reason.unwrap();
        assert!(policy.reason(&reason).is_some(), "{reason}");
    }

    // The whole queue pages through in order, each case once.
    let mut after = None;
    let mut ids = HashSet::new();
    let mut last = None;
    loop {
        let page = s
            .list_cases(&CaseFilter::default(), after, 500)
            .await
            .unwrap();
        for c in &page.items {
            assert!(ids.insert(c.id));
            let key = (c.queued_at, c.id);
            assert!(last < Some(key), "out of order at {}", c.id);
            last = Some(key);
        }
        match page.next {
            Some(n) => after = Some(n),
            None => break,
        }
    }
    assert_eq!(ids.len(), 2_000);

    // Ordinary writes continue after the loaded ids, and the chain after the loaded entries.
    let app = s
        .create_application(&draft("SEEDTEST1", "work", t(NOW)), "applicant")
        .await
        .unwrap();
    assert_eq!(app.id, 2_001);
    let user = s
        .create_user(
            &NewUser {
                username: "officer-after-seed".into(),
                role: AccountRole::Officer,
                password_hash: "x".into(),
                host_kind: None,
                office: Some("almaty".into()),
                created_at: t(NOW),
                email: None,
                language: None,
            },
            "admin",
        )
        .await
        .unwrap();
    assert_eq!(user.id, 101);
    assert_eq!(verify(&s).await, summary.audit_entries + 2);
}

async fn seeding_again_continues<S: Store>(s: S, _url: String) {
    let policy = Policy::default_kz();
    let first = seed(&s, &policy, &options(1_000), |_| {}).await.unwrap();
    let before = s.max_ids().await.unwrap();
    assert_eq!(before.applications, 1_000);
    // The same seed again: new numbers and passports, hosts reused, the chain continued.
    let second = seed(&s, &policy, &options(1_000), |_| {}).await.unwrap();
    assert_eq!(second.hosts, 0);
    assert_eq!(total_cases(&s).await, 2_000);
    let after = s.max_ids().await.unwrap();
    assert_eq!(after.applications, 2_000);
    assert_eq!(
        after.documents,
        before.documents + i64::try_from(second.documents).unwrap()
    );
    assert_eq!(verify(&s).await, first.audit_entries + second.audit_entries);
    let one = s.application(1).await.unwrap();
    let other = s.application(1_001).await.unwrap();
    assert_ne!(one.number, other.number);
    assert_ne!(
        one.applicant.passport_number,
        other.applicant.passport_number
    );
    let created = s
        .create_application(&draft("SEEDTEST2", "study", t(NOW)), "applicant")
        .await
        .unwrap();
    assert_eq!(created.id, 2_001);
}

/// The same seed into a fresh SQLite file gives the same data as into this store, whatever
/// its backend: the same statistics, the same cases and the same audit chain.
async fn same_seed_same_data<S: Store>(s: S, _url: String) {
    let policy = Policy::default_kz();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("again.db").display());
    let fresh = SqliteStore::open(&url, KEY, false).await.unwrap();
    let a = seed(&s, &policy, &options(500), |_| {}).await.unwrap();
    let b = seed(&fresh, &policy, &options(500), |_| {}).await.unwrap();
    assert_eq!(a, b);
    let sorted = |mut stats: tirkeu_store::Stats| {
        stats.by_type_and_state.sort();
        stats
    };
    assert_eq!(
        sorted(s.stats().await.unwrap()),
        sorted(fresh.stats().await.unwrap())
    );
    for id in [1, 250, 500] {
        assert_eq!(
            s.application(id).await.unwrap(),
            fresh.application(id).await.unwrap()
        );
        assert_eq!(
            s.documents(id).await.unwrap(),
            fresh.documents(id).await.unwrap()
        );
    }
    assert_eq!(
        s.audit_head().await.unwrap(),
        fresh.audit_head().await.unwrap()
    );
    fresh.close().await;
}

/// The large-load path of `tirkeu seed --jobs 3 --defer-indexes`: the secondary indexes are
/// dropped and kept aside, batches are written three at a time, and the indexes come back
/// exactly as the migrations made them; the data keep every guarantee.
async fn parallel_seeding_with_deferred_indexes<S: Store>(s: S, _url: String) {
    let policy = Policy::default_kz();
    let before = s.schema().await.unwrap();
    let deferred = s.defer_indexes().await.unwrap();
    assert!(deferred >= 20, "only {deferred} indexes deferred");
    let during = s.schema().await.unwrap();
    let missing = before.differences(&during, "migrated", "deferred");
    let (kept, dropped): (Vec<&String>, Vec<&String>) = missing
        .iter()
        .partition(|d| d.contains("seed_deferred_indexes"));
    assert_eq!(kept.len(), 1, "the definitions' table: {missing:?}");
    assert_eq!(dropped.len(), deferred, "{missing:?}");
    assert!(
        dropped.iter().all(|d| d.contains("only in migrated")),
        "{missing:?}"
    );
    let opts = SeedOptions {
        batch_size: 300,
        jobs: 3,
        ..SeedOptions::new(2_000, 42, t(NOW))
    };
    let mut seen = Vec::new();
    let summary = seed(&s, &policy, &opts, |n| seen.push(n)).await.unwrap();
    assert_eq!(summary.cases, 2_000);
    assert_eq!(seen.len(), 7);
    assert_eq!(seen.last(), Some(&2_000));
    let mut told = Vec::new();
    let built = s
        .restore_indexes(|done, of, name| told.push((done, of, name.to_owned())))
        .await
        .unwrap();
    assert_eq!(built, deferred);
    assert_eq!(told.len(), deferred + 1);
    assert_eq!(
        told.last().map(|(d, o, _)| (*d, *o)),
        Some((deferred, deferred))
    );
    let after = s.schema().await.unwrap();
    assert_eq!(
        before.differences(&after, "migrated", "restored"),
        Vec::<String>::new()
    );
    assert_eq!(s.restore_indexes(|_, _, _| {}).await.unwrap(), 0);
    assert_eq!(total_cases(&s).await, 2_000);
    assert_eq!(verify(&s).await, summary.audit_entries);
    // The same data as one batch at a time would give.
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("serial.db").display());
    let serial = SqliteStore::open(&url, KEY, false).await.unwrap();
    seed(
        &serial,
        &policy,
        &SeedOptions::new(2_000, 42, t(NOW)),
        |_| {},
    )
    .await
    .unwrap();
    for id in [1, 777, 2_000] {
        assert_eq!(
            s.application(id).await.unwrap(),
            serial.application(id).await.unwrap()
        );
    }
    serial.close().await;
    // Ids after the loaded ones, and the restored unique index refuses a second pursued case.
    let created = s
        .create_application(&draft("SEEDTEST3", "study", t(NOW)), "applicant")
        .await
        .unwrap();
    assert_eq!(created.id, 2_001);
}
