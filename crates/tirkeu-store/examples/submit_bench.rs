//! Submissions per second (create + submit, durable, no uploads) against a bare single-row
//! durable commit on the same backend, measured in the same run, with the submissions' p50
//! and p99 latency.
//!
//! `cargo run --release -p tirkeu-store --example submit_bench -- URL [SECONDS] [TASKS]`
//! URL is `sqlite://PATH` (a fresh file is best) or `postgres://…` (a scratch database).
//!
//! The baselines (issue 12): on SQLite, rusqlite directly — one connection on its own thread,
//! WAL, `synchronous=FULL`, `BEGIN IMMEDIATE; INSERT; COMMIT` per row — in a file beside the
//! store's, so the same file system and pragmas; on PostgreSQL, a single-row insert of 1 KB per
//! transaction from TASKS clients through a pool of the same size (what `pgbench` with a
//! one-insert script and `-c TASKS` does). The store's own bare commit is printed too.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use tirkeu_core::policy::Policy;
use tirkeu_store::seed::create_and_submit;
use tirkeu_store::{OpenOptions, Opened, Store, with_store};

/// A run's rate and its operations' latencies.
struct Run {
    rate: f64,
    latencies: Vec<Duration>,
}

impl Run {
    fn percentile(&self, p: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        #[allow(
            clippy::cast_precision_loss,
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss
        )]
        let i = ((self.latencies.len() - 1) as f64 * p).round() as usize;
        self.latencies[i]
    }
}

async fn run_for<F, Fut>(seconds: u64, tasks: usize, op: F) -> Run
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let op = Arc::new(op);
    let stop = Arc::new(AtomicBool::new(false));
    let all = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|t| {
            let (op, stop, all) = (op.clone(), stop.clone(), all.clone());
            tokio::spawn(async move {
                let mut mine = Vec::new();
                let mut i = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    let began = Instant::now();
                    op(t as u64 * 1_000_000_000 + i).await;
                    mine.push(began.elapsed());
                    i += 1;
                }
                all.lock().unwrap().extend(mine);
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        h.await.unwrap();
    }
    let elapsed = started.elapsed().as_secs_f64();
    let mut latencies = std::mem::take(&mut *all.lock().unwrap());
    latencies.sort_unstable();
    #[allow(clippy::cast_precision_loss)]
    let rate = latencies.len() as f64 / elapsed;
    Run { rate, latencies }
}

/// Bare durable commits with rusqlite on one connection and thread, for `seconds`.
fn rusqlite_commits(path: &std::path::Path, seconds: u64) -> f64 {
    let _ = std::fs::remove_file(path);
    let c = rusqlite::Connection::open(path).unwrap();
    c.pragma_update(None, "journal_mode", "WAL").unwrap();
    c.pragma_update(None, "synchronous", "FULL").unwrap();
    c.pragma_update(None, "foreign_keys", "ON").unwrap();
    c.busy_timeout(Duration::from_secs(10)).unwrap();
    c.execute_batch("CREATE TABLE bench_commit (id BIGINT PRIMARY KEY, at BIGINT NOT NULL)")
        .unwrap();
    let started = Instant::now();
    let mut n = 0i64;
    while started.elapsed() < Duration::from_secs(seconds) {
        c.execute_batch("BEGIN IMMEDIATE").unwrap();
        c.execute(
            "INSERT INTO bench_commit (id, at) VALUES (?1, ?2)",
            (n, Timestamp::now().as_microsecond()),
        )
        .unwrap();
        c.execute_batch("COMMIT").unwrap();
        n += 1;
    }
    drop(c);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    #[allow(clippy::cast_precision_loss)]
    let rate = n as f64 / started.elapsed().as_secs_f64();
    rate
}

static POLICY: std::sync::LazyLock<Policy> = std::sync::LazyLock::new(Policy::default_kz);

async fn submit<S: Store>(s: &S, i: u64) {
    let passport = format!("B{}{i}", std::process::id());
    create_and_submit(s, &POLICY, passport, "bench", Timestamp::now())
        .await
        .unwrap();
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let url = args
        .get(1)
        .expect("usage: submit_bench URL [SECONDS] [TASKS]")
        .clone();
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(10);
    let tasks: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(8);
    let opened = tirkeu_store::open(&url, OpenOptions::new([3; 32]))
        .await
        .unwrap();
    let sqlite_file = match &opened {
        Opened::Sqlite(_) => url
            .strip_prefix("sqlite://")
            .map(|p| std::path::PathBuf::from(p).with_extension("rusqlite-baseline.db")),
        Opened::Postgres(_) => None,
    };
    with_store!(opened, s => {
        s.bench_setup().await.unwrap();
        let store_bare = {
            let s2 = s.clone();
            run_for(seconds, tasks, move |i| {
                let s = s2.clone();
                async move { s.bench_commit(i).await.unwrap() }
            })
            .await
        };
        let baseline = match &sqlite_file {
            Some(path) => {
                let path = path.clone();
                tokio::task::spawn_blocking(move || rusqlite_commits(&path, seconds))
                    .await
                    .unwrap()
            }
            None => store_bare.rate,
        };
        let before = group_stats(&s).await;
        let submissions = {
            let s2 = s.clone();
            run_for(seconds, tasks, move |i| {
                let s = s2.clone();
                async move { submit(&s, i).await }
            })
            .await
        };
        let after = group_stats(&s).await;
        println!("backend {}: {tasks} tasks, {seconds} s each", s.backend());
        if sqlite_file.is_some() {
            println!("baseline, bare single-row durable commits with rusqlite (one connection): {baseline:.0}/s");
            println!("the store's own bare commits (through its write path): {:.0}/s", store_bare.rate);
        } else {
            println!("baseline, bare single-row durable inserts from {tasks} clients: {baseline:.0}/s");
        }
        println!("submissions (create + submit): {:.0}/s", submissions.rate);
        println!(
            "submission latency: p50 {:.1} ms, p99 {:.1} ms",
            submissions.percentile(0.5).as_secs_f64() * 1e3,
            submissions.percentile(0.99).as_secs_f64() * 1e3
        );
        if let (Some((c0, m0)), Some((c1, m1))) = (before, after) {
            #[allow(clippy::cast_precision_loss)]
            let mean = (m1 - m0) as f64 / (c1 - c0).max(1) as f64;
            println!("group commit: {} physical commits for {} write transactions (mean batch {mean:.1})", c1 - c0, m1 - m0);
        }
        println!("ratio: {:.2}", submissions.rate / baseline);
        s.close().await;
    });
}

/// SQLite's group-commit counters; `None` on PostgreSQL.
async fn group_stats<S: Store + 'static>(s: &S) -> Option<(u64, u64)> {
    let any: &dyn std::any::Any = s;
    match any.downcast_ref::<tirkeu_store::SqliteStore>() {
        Some(sq) => Some(sq.group_commit_stats().await),
        None => None,
    }
}
