//! Crash durability: a writer process acknowledges each committed submission on stdout; we
//! kill it with SIGKILL at random moments, restart it, and at the end check that every
//! acknowledged submission is in the database and the audit chain verifies.
//!
//! `TIRKEU_CRASH_KILLS` sets the number of kills (default 30; CI runs 200 on SQLite via
//! `scripts/crash-test.sh`). With `TIRKEU_TEST_POSTGRES_URL` the PostgreSQL test runs too.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use rand::RngExt;
use tirkeu_core::lifecycle::State;
use tirkeu_core::number::CaseNumber;
use tirkeu_store::audit::verify_store;
use tirkeu_store::{OpenOptions, Store, with_store};

const KEY: &str = "1111111111111111111111111111111111111111111111111111111111111111";

fn kills() -> usize {
    std::env::var("TIRKEU_CRASH_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30)
}

/// Runs the writer `kills` times, killing it after a random delay; returns every ack.
fn torture(url: &str, kills: usize) -> Vec<String> {
    let mut rng = rand::rng();
    let mut acked = Vec::new();
    for round in 0..kills {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tirkeu"))
            .args(["crash-writer", "--database", url])
            .env("TIRKEU_LOOKUP_KEY", KEY)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start the writer");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Some(n) = line.strip_prefix("ack ") {
                    tx.send(n.to_owned()).ok();
                }
            }
        });
        // Wait for the first ack (the writer is up), then kill at a random moment after it.
        let first = rx.recv_timeout(Duration::from_secs(30));
        if let Ok(n) = first {
            acked.push(n);
        } else {
            let _ = child.kill();
            let out = child.wait_with_output().unwrap();
            panic!(
                "round {round}: the writer acknowledged nothing: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(rng.random_range(0..120)));
        child.kill().expect("SIGKILL the writer");
        child.wait().unwrap();
        reader.join().unwrap();
        acked.extend(rx.try_iter());
    }
    acked
}

async fn check(url: &str, acked: &[String]) {
    let key: [u8; 32] = hex::decode(KEY).unwrap().try_into().unwrap();
    let opened = tirkeu_store::open(url, OpenOptions::new(key))
        .await
        .unwrap();
    with_store!(opened, s => {
        let mut lost = 0;
        for n in acked {
            match s.application_by_number(&CaseNumber::parse(n).unwrap()).await {
                Ok(a) if a.state == State::Submitted => {}
                other => {
                    lost += 1;
                    eprintln!("lost {n}: {other:?}");
                }
            }
        }
        let report = verify_store(&s, None, |_| {}).await.unwrap();
        println!("acknowledged {}, lost {lost}, audit entries {}", acked.len(), report.entries);
        assert_eq!(lost, 0);
        assert!(report.ok(), "{report:?}");
        s.close().await;
    });
}

#[test]
fn sqlite_every_acknowledged_submission_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("crash.db").display());
    let acked = torture(&url, kills());
    assert!(acked.len() >= kills());
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(check(&url, &acked));
}

#[test]
#[cfg_attr(
    not(tirkeu_pg),
    ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test"
)]
fn postgres_every_acknowledged_submission_survives_sigkill() {
    use sqlx::Connection;
    let admin = std::env::var("TIRKEU_TEST_POSTGRES_URL").unwrap();
    let name = format!("tirkeu_crash_{}", std::process::id());
    let rt = tokio::runtime::Runtime::new().unwrap();
    let url = rt.block_on(async {
        let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
        for sql in [
            format!("DROP DATABASE IF EXISTS {name}"),
            format!("CREATE DATABASE {name}"),
        ] {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .execute(&mut c)
                .await
                .unwrap();
        }
        let (base, _) = admin.rsplit_once('/').unwrap();
        format!("{base}/{name}")
    });
    let acked = torture(&url, kills().min(50));
    rt.block_on(check(&url, &acked));
    rt.block_on(async {
        let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&mut c)
        .await
        .unwrap();
    });
}
