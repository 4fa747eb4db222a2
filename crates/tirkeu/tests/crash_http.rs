//! Crash durability over HTTP: the real `tirkeu serve`, many concurrent applicants creating
//! applications, uploading their documents and submitting, and SIGKILL at random moments.
//! The server is restarted on the same database and data directory after each kill. At the
//! end every submission the server acknowledged (a 2xx answer to submit) must be there:
//! submitted, with the documents whose uploads were acknowledged (rows, and stored files whose
//! bytes still hash to the recorded sha256), its audit entries (create, one `document.add`
//! per document, submit), its queued receipt message, and an intact audit chain — checked by
//! the store's verifier and by the operator's `tirkeu audit verify`.
//!
//! Unlike `tests/crash.rs` (a writer process calling the store), this exercises the whole
//! path an applicant's request takes: the HTTP edge, the handlers, the upload sanitiser, the
//! document store and the store's transactions, with requests in flight in every phase when
//! the kill comes.
//!
//! `TIRKEU_CRASH_HTTP_KILLS` sets the number of kills (default 20; `scripts/crash-http.sh`
//! runs 200). With `TIRKEU_TEST_POSTGRES_URL` the PostgreSQL test runs too, on a fresh
//! database.
//!
//! The test server lifts the per-client creation limit (every client here is 127.0.0.1,
//! so the default of 10 a minute would starve it) and runs without the worker, so the
//! receipt messages stay queued where the check can find them.

mod common;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Acked, KEY, Outcome, ScratchDb, Server, apply, required_documents};
use rand::RngExt;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tirkeu_core::lifecycle::State;
use tirkeu_core::number::CaseNumber;
use tirkeu_server::upload::DocumentStore;
use tirkeu_store::audit::verify_store;
use tirkeu_store::{OpenOptions, Store, with_store};

/// Concurrent applicants.
const CLIENTS: usize = 8;

fn kills() -> usize {
    std::env::var("TIRKEU_CRASH_HTTP_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20)
}

/// `tirkeu serve` on `url`, on a free port, as this test runs it.
fn start_server(url: &str, data: &Path) -> (Server, String) {
    common::start_server(
        url,
        data,
        &[
            ("TIRKEU_LOOKUP_KEY", KEY),
            // Every client is 127.0.0.1: the creation limit per client would starve the test.
            ("TIRKEU_CREATES_PER_CLIENT_PER_MINUTE", "1000000"),
            // No worker: the receipt messages stay queued for the check.
            ("TIRKEU_WORKER_ENABLED", "false"),
        ],
    )
}

/// Kills the server `kills` times at random moments while `CLIENTS` applicants work against
/// it, restarting it each time; answers every acknowledged submission, and the numbers of
/// the submissions a kill left unanswered.
async fn torture(url: &str, data: &Path, kills: usize) -> (Vec<Acked>, Vec<String>) {
    let docs = Arc::new(required_documents());
    let acked = Arc::new(Mutex::new(Vec::new()));
    let in_doubt = Arc::new(Mutex::new(Vec::new()));
    let refused = Arc::new(Mutex::new(Vec::<String>::new()));
    let counter = Arc::new(AtomicU64::new(1));
    let mut rng = rand::rng();
    for round in 0..kills {
        let (mut server, base) = start_server(url, data);
        // A fresh client per run: no pooled connection to a dead server.
        let http = reqwest::Client::builder()
            .timeout(Duration::from_mins(1))
            .build()
            .unwrap();
        let over = Arc::new(AtomicBool::new(false));
        let before = acked.lock().unwrap().len();
        let tasks: Vec<_> = (0..CLIENTS)
            .map(|_| {
                let (http, base, docs) = (http.clone(), base.clone(), docs.clone());
                let (acked, in_doubt, refused, counter, over) = (
                    acked.clone(),
                    in_doubt.clone(),
                    refused.clone(),
                    counter.clone(),
                    over.clone(),
                );
                tokio::spawn(async move {
                    while !over.load(Ordering::SeqCst) {
                        let n = counter.fetch_add(1, Ordering::SeqCst);
                        match apply(&http, &base, n, &docs).await {
                            Outcome::Acked(a) => acked.lock().unwrap().push(a),
                            Outcome::Refused(e) => refused.lock().unwrap().push(e),
                            Outcome::InDoubt(n, _) => in_doubt.lock().unwrap().push(n),
                            // Once the server is gone every request fails at once.
                            Outcome::NoAnswer(_) => {
                                if !over.load(Ordering::SeqCst) {
                                    tokio::time::sleep(Duration::from_millis(20)).await;
                                }
                            }
                        }
                    }
                })
            })
            .collect();
        // At least one submission per run, then the kill at a random moment after it, while
        // the other applicants are somewhere in their requests.
        let started = Instant::now();
        while acked.lock().unwrap().len() == before {
            assert!(
                started.elapsed() < Duration::from_mins(1),
                "run {round}: nothing acknowledged in a minute; refused: {:?}",
                refused.lock().unwrap()
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..400))).await;
        server.kill();
        over.store(true, Ordering::SeqCst);
        for t in tasks {
            t.await.unwrap();
        }
    }
    let refused = refused.lock().unwrap();
    assert!(
        refused.is_empty(),
        "the server refused applicants: {refused:?}"
    );
    let acked = Arc::try_unwrap(acked).unwrap().into_inner().unwrap();
    let in_doubt = Arc::try_unwrap(in_doubt).unwrap().into_inner().unwrap();
    (acked, in_doubt)
}

/// Application ids that have a queued receipt message.
async fn receipts_queued(url: &str) -> HashSet<i64> {
    use sqlx::{Connection, Row};
    let q = "SELECT payload FROM outbox WHERE kind = 'notice.receipt'";
    let payloads: Vec<String> = if url.starts_with("sqlite") {
        let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
        let rows = sqlx::query(q).fetch_all(&mut c).await.unwrap();
        rows.iter().map(|r| r.get(0)).collect()
    } else {
        let mut c = sqlx::PgConnection::connect(url).await.unwrap();
        let rows = sqlx::query(q).fetch_all(&mut c).await.unwrap();
        rows.iter().map(|r| r.get(0)).collect()
    };
    payloads
        .iter()
        .map(|p| {
            let v: Value = serde_json::from_str(p).unwrap();
            v["application_id"].as_i64().unwrap()
        })
        .collect()
}

/// What the check found.
struct Found {
    /// Acknowledged submissions missing in any part (each is printed).
    lost: usize,
    /// Unanswered submissions that were committed nonetheless.
    committed_in_doubt: usize,
    audit_entries: u64,
}

/// Checks every acknowledged submission, and counts the unanswered ones that were committed.
async fn check(url: &str, data: &Path, acked: &[Acked], in_doubt: &[String]) -> Found {
    let key: [u8; 32] = hex::decode(KEY).unwrap().try_into().unwrap();
    let files = DocumentStore::open(&data.join("documents")).unwrap();
    let receipts = receipts_queued(url).await;
    let opened = tirkeu_store::open(url, OpenOptions::new(key))
        .await
        .unwrap();
    with_store!(opened, s => {
        let mut lost = 0;
        for a in acked {
            let mut missing = Vec::new();
            let app = match s.application_by_number(&CaseNumber::parse(&a.number).unwrap()).await {
                Ok(app) => app,
                Err(e) => {
                    lost += 1;
                    eprintln!("lost {}: {e:?}", a.number);
                    continue;
                }
            };
            if app.state != State::Submitted {
                missing.push(format!("state {}", app.state));
            }
            let rows: HashMap<i64, String> = s
                .documents(app.id)
                .await
                .unwrap()
                .into_iter()
                .map(|d| (d.id, d.sha256))
                .collect();
            let history = s.case_history(app.id).await.unwrap();
            let did = |action: &str| history.iter().any(|e| e.action == action);
            for action in ["application.create", "application.submit"] {
                if !did(action) {
                    missing.push(format!("audit {action}"));
                }
            }
            for (id, sha) in &a.documents {
                if rows.get(id) != Some(sha) {
                    missing.push(format!("document {id} row"));
                }
                match files.get(sha).await {
                    Ok(bytes) if hex::encode(Sha256::digest(&bytes)) == *sha => {}
                    Ok(_) => missing.push(format!("document {id} file (other bytes)")),
                    Err(e) => missing.push(format!("document {id} file ({e})")),
                }
                let audited = history.iter().any(|e| {
                    e.action == "document.add"
                        && serde_json::from_str::<Value>(&e.payload)
                            .is_ok_and(|p| p["document_id"].as_i64() == Some(*id))
                });
                if !audited {
                    missing.push(format!("audit document.add {id}"));
                }
            }
            if !receipts.contains(&app.id) {
                missing.push("queued receipt".to_owned());
            }
            if !missing.is_empty() {
                lost += 1;
                eprintln!("lost {}: {}", a.number, missing.join(", "));
            }
        }
        let mut committed_in_doubt = 0;
        for n in in_doubt {
            let a = s.application_by_number(&CaseNumber::parse(n).unwrap()).await.unwrap();
            if a.state == State::Submitted {
                committed_in_doubt += 1;
            }
        }
        let report = verify_store(&s, None, |_| {}).await.unwrap();
        assert!(report.ok(), "{report:?}");
        s.close().await;
        Found { lost, committed_in_doubt, audit_entries: report.entries }
    })
}

/// The operator's check: `tirkeu audit verify` says the log is intact.
fn audit_verify(url: &str) {
    let out = Command::new(env!("CARGO_BIN_EXE_tirkeu"))
        .args(["audit", "verify", "--database", url])
        .output()
        .expect("run tirkeu audit verify");
    let said = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("audit log intact"), "{said}");
}

fn crash_over_http(backend: &str, url: &str, data: &Path) {
    let kills = kills();
    let started = Instant::now();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let (acked, in_doubt) = rt.block_on(torture(url, data, kills));
    let found = rt.block_on(check(url, data, &acked, &in_doubt));
    audit_verify(url);
    println!(
        "crash over HTTP ({backend}): kills {kills}, acknowledged {}, lost {} \
         (submits cut off by a kill {}, of them committed {}; audit entries {}, intact; {:.0} s)",
        acked.len(),
        found.lost,
        in_doubt.len(),
        found.committed_in_doubt,
        found.audit_entries,
        started.elapsed().as_secs_f64()
    );
    assert!(acked.len() >= kills, "one acknowledged submission per run");
    assert_eq!(found.lost, 0, "acknowledged submissions were lost");
}

#[test]
fn sqlite_every_acknowledged_http_submission_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    crash_over_http("sqlite", &url, &dir.path().join("data"));
}

#[test]
#[cfg_attr(
    not(tirkeu_pg),
    ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
)]
fn postgres_every_acknowledged_http_submission_survives_sigkill() {
    let db = ScratchDb::create("tirkeu_crash_http");
    let dir = tempfile::tempdir().unwrap();
    crash_over_http("postgresql", &db.url, &dir.path().join("data"));
}
