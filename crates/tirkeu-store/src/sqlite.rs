//! The SQLite backend: the embedded default.
//!
//! WAL, `foreign_keys=ON`, `busy_timeout`, and `synchronous=FULL` so that an acknowledged
//! commit survives power loss. Writes go through one connection with group commit
//! ([`crate::group_commit`]); its physical transactions start with `BEGIN IMMEDIATE`, so the
//! writer waits for the lock up front (a deferred transaction that upgrades would get
//! `SQLITE_BUSY` without waiting when another process writes); reads use a separate pool and
//! never block on the writer under WAL.
//!
//! The public status lookup is the one hot read, and sqlx runs each SQLite connection on a
//! thread of its own, so every query costs a round of thread wake-ups that outweighs the
//! B-tree seek itself (profiled in BENCHMARKS.md). That one query therefore goes through
//! [`HotReads`]: read-only rusqlite connections (the same bundled SQLite) used directly in the
//! calling task. An indexed point read of four columns takes microseconds, shorter than the
//! hand-off it replaces, so it is run inline rather than through `spawn_blocking`.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Connection, Row};

use tirkeu_core::number::CaseNumber;

use crate::backend::Backend;
use crate::group_commit::{WriteTx, Writer};
use crate::schema::{Column, Family, Index, Table};

/// The store on a SQLite file.
#[derive(Clone)]
pub struct SqliteStore {
    write: Arc<Writer>,
    read: SqlitePool,
    hot: Arc<HotReads>,
    lookup_key: [u8; 32],
}

/// Idle read-only connections for the hot lookups, opened on demand and reused.
struct HotReads {
    path: PathBuf,
    idle: Mutex<Vec<rusqlite::Connection>>,
}

impl HotReads {
    /// Idle connections kept; more may be open briefly under a burst.
    const KEEP: usize = 16;

    fn with<T>(
        &self,
        f: impl FnOnce(&rusqlite::Connection) -> rusqlite::Result<T>,
    ) -> crate::Result<T> {
        let idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        let conn = if let Some(c) = idle {
            c
        } else {
            let c = rusqlite::Connection::open_with_flags(
                &self.path,
                rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY
                    | rusqlite::OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )?;
            c.busy_timeout(Duration::from_secs(10))?;
            // Pages straight from the OS cache instead of a pread into SQLite's own per
            // connection; SQLite caps the map at 2 GiB by default, beyond which it reads.
            c.pragma_update(None, "mmap_size", 1_i64 << 31)?;
            c
        };
        let out = f(&conn);
        let mut idle = self
            .idle
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if idle.len() < Self::KEEP {
            idle.push(conn);
        }
        Ok(out?)
    }
}

impl Backend for SqliteStore {
    type Db = sqlx::Sqlite;
    const NAME: &'static str = "sqlite";
    const LOCK_ROW: &'static str = "";
    // Several statements in one query run in one call to the connection's worker thread.
    const AUDIT_APPEND: Option<&'static str> = Some(
        "INSERT INTO audit_log \
        (seq, at, actor, action, object, payload, prev_hash, hash, state_hash) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9); \
        UPDATE audit_head SET seq = $1, hash = $8 WHERE id = 1",
    );
    const SKIP_LOCKED: &'static str = "";
    const READ_COLLISION_IN_TX: bool = true;
    const AFTER_BULK_LOAD: &'static [&'static str] = &[];
    // An index behind a PRIMARY KEY or UNIQUE constraint has no SQL of its own.
    const DEFERRABLE_INDEXES: &'static str = "SELECT name, sql AS definition FROM sqlite_master \
        WHERE type = 'index' AND sql IS NOT NULL \
        AND tbl_name IN ('applications', 'documents', 'arrivals', 'audit_log') ORDER BY name";
    const DEFERRED_TABLE_EXISTS: &'static str = "SELECT 1 FROM sqlite_master \
        WHERE type = 'table' AND name = 'seed_deferred_indexes'";
    const BEFORE_INDEX_BUILD: &'static [&'static str] = &[];
    const AFTER_INDEX_BUILD: &'static [&'static str] = &[];

    fn read_pool(&self) -> &SqlitePool {
        &self.read
    }

    fn lookup_key(&self) -> &[u8; 32] {
        &self.lookup_key
    }

    type WriteTx = WriteTx;

    async fn begin_write(&self) -> crate::Result<WriteTx> {
        self.write.begin().await
    }

    async fn close_write(&self) {
        self.write.close().await;
    }

    /// Read directly, not through sqlx (see the module comment).
    async fn status_row(&self, n: &CaseNumber) -> crate::Result<crate::StatusRow> {
        use rusqlite::OptionalExtension;
        let number = n.compact();
        let row = self.hot.with(|c| {
            c.prepare_cached(crate::convert::STATUS_BY_NUMBER)?
                .query_row([&number], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get(1)?,
                        r.get::<_, String>(2)?,
                        r.get(3)?,
                    ))
                })
                .optional()
        })?;
        let (st, updated_at, language, passport_lookup) = row.ok_or(crate::StoreError::NotFound)?;
        crate::convert::status_row(&st, updated_at, &language, passport_lookup)
    }

    /// Read directly, as [`status_row`](Backend::status_row) is.
    async fn status_row_failures(
        &self,
        n: &CaseNumber,
        failure_key: &str,
        since: i64,
    ) -> crate::Result<(crate::Failures, Option<crate::StatusRow>)> {
        let number = n.compact();
        let (count, earliest, case) = self.hot.with(|c| {
            c.prepare_cached(crate::attempts::STATUS_WITH_FAILURES)?
                .query_row(rusqlite::params![failure_key, since, number], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
                    ))
                })
        })?;
        crate::attempts::status_with_failures(count, earliest, case)
    }

    async fn backup_to(&self, dest: &Path) -> crate::Result<()> {
        if dest.exists() {
            return Err(crate::StoreError::Config(format!(
                "{} already exists; choose a new file",
                dest.display()
            )));
        }
        let path = dest
            .to_str()
            .ok_or_else(|| crate::StoreError::Config("the backup path is not UTF-8".into()))?;
        // VACUUM INTO writes a consistent, compacted copy while readers and writers go on.
        sqlx::query("VACUUM INTO $1")
            .bind(path)
            .execute(&self.read)
            .await?;
        Ok(())
    }

    async fn introspect(&self) -> crate::Result<crate::Schema> {
        let mut schema = crate::Schema::default();
        let tables = sqlx::query(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_sqlx%' ORDER BY name",
        )
        .fetch_all(&self.read)
        .await?;
        for t in tables {
            let name: String = t.try_get("name")?;
            let create: String = t.try_get("sql")?;
            let mut table = Table {
                check_constraints: create.matches("CHECK (").count(),
                ..Table::default()
            };
            for c in
                sqlx::query("SELECT name, type, \"notnull\" AS nn, pk FROM pragma_table_info($1)")
                    .bind(&name)
                    .fetch_all(&self.read)
                    .await?
            {
                let pk: i64 = c.try_get("pk")?;
                let nn: i64 = c.try_get("nn")?;
                let ty: String = c.try_get("type")?;
                table.columns.insert(
                    c.try_get("name")?,
                    Column {
                        family: Family::of(&ty),
                        // A primary key is never null, whatever the pragma says for rowid aliases.
                        not_null: nn == 1 || pk > 0,
                        primary_key: pk > 0,
                    },
                );
            }
            for i in sqlx::query(
                "SELECT name, \"unique\" AS uq, origin, partial FROM pragma_index_list($1)",
            )
            .bind(&name)
            .fetch_all(&self.read)
            .await?
            {
                let origin: String = i.try_get("origin")?;
                if origin == "pk" {
                    continue;
                }
                let index_name: String = i.try_get("name")?;
                let columns = sqlx::query("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                    .bind(&index_name)
                    .fetch_all(&self.read)
                    .await?
                    .iter()
                    .map(|r| r.try_get::<String, _>("name"))
                    .collect::<Result<Vec<_>, _>>()?;
                let uq: i64 = i.try_get("uq")?;
                let partial: i64 = i.try_get("partial")?;
                table.indexes.insert(Index {
                    columns,
                    unique: uq == 1,
                    partial: partial == 1,
                });
            }
            for f in sqlx::query("SELECT \"from\" AS col, \"table\" AS ref_table, \"to\" AS ref_col FROM pragma_foreign_key_list($1)")
                .bind(&name)
                .fetch_all(&self.read)
                .await?
            {
                table
                    .foreign_keys
                    .insert((f.try_get("col")?, f.try_get("ref_table")?, f.try_get("ref_col")?));
            }
            schema.tables.insert(name, table);
        }
        Ok(schema)
    }
}

impl SqliteStore {
    /// Physical commits so far and the logical write transactions they held: their ratio is
    /// the mean group-commit batch (reported by `examples/submit_bench`).
    pub async fn group_commit_stats(&self) -> (u64, u64) {
        self.write.stats().await
    }

    /// Opens (creating if needed) the database at `url` (`sqlite://PATH`) and migrates it.
    pub async fn open(url: &str, lookup_key: [u8; 32], durable: bool) -> crate::Result<Self> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| crate::StoreError::Config(format!("invalid SQLite URL: {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(if durable {
                SqliteSynchronous::Full
            } else {
                SqliteSynchronous::Off
            })
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let write_options = if durable {
            options.clone()
        } else {
            // Bulk loading (seeding): inserts into random-key indexes over millions of rows
            // thrash SQLite's default 2 MiB page cache, and multi-row statements keep
            // statement journals; a 256 MiB cache and in-memory journals make it ~2× faster.
            options
                .clone()
                .pragma("cache_size", "-262144")
                .pragma("temp_store", "MEMORY")
        };
        let mut write = SqliteConnection::connect_with(&write_options).await?;
        sqlx::migrate!("migrations/sqlite").run(&mut write).await?;
        // The planner needs statistics to choose between indexes (without them the overdue
        // queue sorts every overdue case instead of reading the open-queue index in order):
        // gathered once when missing, by sampling (`analysis_limit`) so that it takes
        // milliseconds on any size, then kept fresh by `PRAGMA optimize`, as SQLite advises
        // for a connection that is opened and kept.
        sqlx::query("PRAGMA analysis_limit = 1000")
            .execute(&mut write)
            .await?;
        let analysed: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
                .fetch_one(&mut write)
                .await?;
        let refresh = if analysed == 0 {
            "ANALYZE"
        } else {
            "PRAGMA optimize = 0x10002"
        };
        sqlx::query(refresh).execute(&mut write).await?;
        let hot = Arc::new(HotReads {
            path: options.get_filename().to_path_buf(),
            idle: Mutex::new(Vec::new()),
        });
        let read = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.read_only(true))
            .await?;
        Ok(SqliteStore {
            write: Writer::new(write),
            read,
            hot,
            lookup_key,
        })
    }
}

/// HMAC-SHA256 of the normalised passport number (letters and digits only, upper case)
/// under the deployment's lookup key.
pub(crate) fn keyed_lookup(key: &[u8; 32], passport_number: &str) -> String {
    let normal: String = passport_number
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_uppercase)
        .collect();
    let mut mac =
        <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(normal.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

pub(crate) mod imp {
    use super::SqliteStore;
    crate::backend::store_impl!(SqliteStore);
}
