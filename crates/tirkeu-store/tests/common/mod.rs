//! Fresh databases for the store tests: a temporary SQLite file, and a new PostgreSQL
//! database created from `TIRKEU_TEST_POSTGRES_URL` for each test and dropped after it.
#![allow(dead_code)]

use std::future::Future;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};

use jiff::Timestamp;
use jiff::civil::date;
use sqlx::Connection;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use tirkeu_core::number::CaseNumber;
use tirkeu_core::text::Lang;
use tirkeu_store::{Applicant, NewApplication, PgStore, SqliteStore, Store};

pub const KEY: [u8; 32] = [7; 32];

/// Runs `test` on a store on a fresh temporary SQLite file.
pub async fn on_sqlite<F, Fut>(test: F)
where
    F: FnOnce(SqliteStore, String) -> Fut,
    Fut: Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = SqliteStore::open(&url, KEY, true).await.unwrap();
    test(store.clone(), url).await;
    store.close().await;
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// Runs `test` on a store on a new PostgreSQL database, dropped afterwards.
pub async fn on_postgres<F, Fut>(test: F)
where
    F: FnOnce(PgStore, String) -> Fut,
    Fut: Future<Output = ()>,
{
    let admin_url = std::env::var("TIRKEU_TEST_POSTGRES_URL")
        .expect("TIRKEU_TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/test");
    let name = format!(
        "tirkeu_t_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    );
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at TIRKEU_TEST_POSTGRES_URL: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name}"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let opts = PgConnectOptions::from_str(&admin_url)
        .unwrap()
        .database(&name);
    let url = format!(
        "postgres://{}@{}:{}/{name}",
        opts.get_username(),
        opts.get_host(),
        opts.get_port()
    );
    let store = PgStore::open(&url, KEY).await.unwrap();
    test(store.clone(), url).await;
    store.close().await;
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
    )))
    .execute(&mut admin)
    .await
    .unwrap();
}

/// Generates a SQLite and a PostgreSQL test for a generic `async fn(S, url)`.
#[macro_export]
macro_rules! on_both {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn sqlite() {
                $crate::common::on_sqlite(|s, url| super::$name(s, url)).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            #[cfg_attr(not(tirkeu_pg), ignore = "PostgreSQL not configured: set TIRKEU_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test")]
            async fn postgres() {
                $crate::common::on_postgres(|s, url| super::$name(s, url)).await;
            }
        }
    )+};
}

/// A plausible draft for passport `passport` and card type `permit_type`.
pub fn draft(passport: &str, permit_type: &str, at: Timestamp) -> NewApplication {
    NewApplication {
        number: CaseNumber::generate(),
        access_code_hash: "ab".repeat(32),
        permit_type: permit_type.into(),
        language: Lang::En,
        applicant: Applicant {
            surname: "ERIKSSON".into(),
            given_names: "ANNA MARIA".into(),
            passport_number: passport.into(),
            nationality: "DEU".into(),
            birth_date: date(1974, 8, 12),
            sex: "F".into(),
            passport_expiry: date(2031, 4, 15),
        },
        email: Some("anna@example.org".into()),
        phone: None,
        address_city: "Almaty".into(),
        address_line: "Abay 1".into(),
        arrival_date: Some(date(2026, 11, 1)),
        office: "almaty".into(),
        created_at: at,
    }
}

pub fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}
