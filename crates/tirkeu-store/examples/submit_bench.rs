//! Submissions per second (create + submit, durable, no uploads) against a bare single-row
//! durable commit on the same backend, measured in the same run.
//!
//! `cargo run --release -p tirkeu-store --example submit_bench -- URL [SECONDS] [TASKS]`
//! URL is `sqlite://PATH` (a fresh file is best) or `postgres://…` (a scratch database).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use tirkeu_core::policy::Policy;
use tirkeu_store::seed::create_and_submit;
use tirkeu_store::{OpenOptions, Store, with_store};

async fn run_for<F, Fut>(seconds: u64, tasks: usize, op: F) -> f64
where
    F: Fn(u64) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let op = Arc::new(op);
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let handles: Vec<_> = (0..tasks)
        .map(|t| {
            let (op, stop, done) = (op.clone(), stop.clone(), done.clone());
            tokio::spawn(async move {
                let mut i = 0u64;
                while !stop.load(Ordering::Relaxed) {
                    op(t as u64 * 1_000_000_000 + i).await;
                    i += 1;
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    for h in handles {
        h.await.unwrap();
    }
    #[allow(clippy::cast_precision_loss)]
    let rate = done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64();
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
    with_store!(opened, s => {
        // Baseline: one row per durable transaction through the same pool and settings.
        s.bench_setup().await.unwrap();
        let baseline = {
            let s2 = s.clone();
            run_for(seconds, tasks, move |i| {
                let s = s2.clone();
                async move { s.bench_commit(i).await.unwrap() }
            })
            .await
        };
        let submissions = {
            let s2 = s.clone();
            run_for(seconds, tasks, move |i| {
                let s = s2.clone();
                async move { submit(&s, i).await }
            })
            .await
        };
        println!("backend {}: {tasks} tasks, {seconds} s each", s.backend());
        println!("bare single-row durable commits: {baseline:.0}/s");
        println!("submissions (create + submit): {submissions:.0}/s");
        println!("ratio: {:.2}", submissions / baseline);
        s.close().await;
    });
}
