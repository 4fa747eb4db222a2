//! How fast `seed` fills a fresh SQLite file (not durable, as `tirkeu seed` opens it):
//! `cargo run --release -p tirkeu-store --example seed_speed -- 100000 [BATCH_SIZE]`.

use std::time::Instant;

use tirkeu_core::policy::Policy;
use tirkeu_store::seed::{SeedOptions, seed};
use tirkeu_store::{SqliteStore, Store};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut args = std::env::args().skip(1);
    let cases: u64 = args
        .next()
        .map_or(100_000, |a| a.parse().expect("a number of cases"));
    let mut opts = SeedOptions::new(cases, 42, jiff::Timestamp::now());
    if let Some(b) = args.next() {
        opts.batch_size = b.parse().expect("a batch size");
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("seed.db").display());
    let store = SqliteStore::open(&url, [7; 32], false).await.expect("open");
    let started = Instant::now();
    let summary = seed(&store, &Policy::default_kz(), &opts, |_| {})
        .await
        .expect("seed");
    let secs = started.elapsed().as_secs_f64();
    store.close().await;
    #[allow(clippy::cast_precision_loss)] // a rate for people to read
    let rate = summary.cases as f64 / secs;
    println!(
        "{summary:?}\n{} cases in {secs:.1} s: {rate:.0} cases/s (batch {})",
        summary.cases, opts.batch_size
    );
}
