//! The PostgreSQL backend: production and scale-out.
//!
//! App servers are stateless and may run many at once against one database, so nothing here
//! assumes a single instance: numbers are unique by constraint, audit entries are written
//! pending and chained in batches under a row lock of `audit_head` (gapless sequence, see
//! [`crate::chain`]), and the outbox is claimed with `FOR UPDATE SKIP LOCKED` plus a lease.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::{Connection, Row};

use tirkeu_core::number::CaseNumber;

use crate::backend::Backend;
use crate::chain::{Chainer, PgWriteTx};
use crate::schema::{Column, Family, Index};

/// The store on a PostgreSQL database.
#[derive(Clone)]
pub struct PgStore {
    write: PgPool,
    /// The same pool as `write` (PostgreSQL needs no split); kept for the shared body.
    read: PgPool,
    lookup_key: [u8; 32],
    chainer: Arc<Chainer>,
}

impl Backend for PgStore {
    type Db = sqlx::Postgres;
    const NAME: &'static str = "postgres";
    const LOCK_ROW: &'static str = " FOR UPDATE";
    // Entries are written pending and chained after the commit (`crate::chain`).
    const AUDIT_APPEND: Option<&'static str> = None;
    const SKIP_LOCKED: &'static str = " FOR UPDATE SKIP LOCKED";
    const READ_COLLISION_IN_TX: bool = false;
    // On an empty table MAX(id) is NULL and the strict setval is not called.
    const AFTER_BULK_LOAD: &'static [&'static str] = &[
        "SELECT setval(pg_get_serial_sequence('applications', 'id'), MAX(id)) FROM applications",
        "SELECT setval(pg_get_serial_sequence('documents', 'id'), MAX(id)) FROM documents",
        "SELECT setval(pg_get_serial_sequence('arrivals', 'id'), MAX(id)) FROM arrivals",
    ];

    const DEFERRABLE_INDEXES: &'static str = "SELECT ic.relname AS name, \
        pg_get_indexdef(i.indexrelid) AS definition \
        FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid \
        JOIN pg_class t ON t.oid = i.indrelid \
        WHERE t.relnamespace = current_schema()::regnamespace \
        AND t.relname IN ('applications', 'documents', 'arrivals', 'audit_log') \
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) \
        ORDER BY ic.relname";
    const DEFERRED_TABLE_EXISTS: &'static str = "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = 'seed_deferred_indexes'";
    // A build on tens of millions of rows takes minutes, past the pool's statement timeout.
    const BEFORE_INDEX_BUILD: &'static [&'static str] = &[
        "SET LOCAL maintenance_work_mem = '1GB'",
        "SET LOCAL statement_timeout = 0",
    ];
    const AFTER_INDEX_BUILD: &'static [&'static str] = &[
        "SET statement_timeout = 0",
        "VACUUM (ANALYZE) applications, documents, arrivals, audit_log",
    ];

    fn read_pool(&self) -> &PgPool {
        &self.read
    }

    fn lookup_key(&self) -> &[u8; 32] {
        &self.lookup_key
    }

    type WriteTx = PgWriteTx;

    async fn begin_write(&self) -> crate::Result<PgWriteTx> {
        Ok(PgWriteTx {
            tx: self.write.begin().await?,
            audited: false,
            chainer: self.chainer.clone(),
            pool: self.write.clone(),
        })
    }

    async fn chain_pending(&self) -> crate::Result<()> {
        self.chainer.chain(&self.write).await
    }

    fn note_pending_audit(tx: &mut PgWriteTx) {
        tx.audited = true;
    }

    async fn close_write(&self) {
        self.write.close().await;
    }

    async fn status_row(&self, n: &CaseNumber) -> crate::Result<crate::StatusRow> {
        let r = sqlx::query(crate::convert::STATUS_BY_NUMBER)
            .bind(n.compact())
            .fetch_optional(&self.read)
            .await?
            .ok_or(crate::StoreError::NotFound)?;
        crate::convert::status_row(
            r.try_get("state")?,
            r.try_get("updated_at")?,
            r.try_get("language")?,
            r.try_get("passport_lookup")?,
        )
    }

    async fn status_row_failures(
        &self,
        n: &CaseNumber,
        failure_key: &str,
        since: i64,
    ) -> crate::Result<(crate::Failures, Option<crate::StatusRow>)> {
        let r = sqlx::query(crate::attempts::STATUS_WITH_FAILURES)
            .bind(failure_key)
            .bind(since)
            .bind(n.compact())
            .fetch_one(&self.read)
            .await?;
        crate::attempts::status_with_failures(
            r.try_get("n")?,
            r.try_get("earliest")?,
            (
                r.try_get("state")?,
                r.try_get("updated_at")?,
                r.try_get("language")?,
                r.try_get("passport_lookup")?,
            ),
        )
    }

    async fn backup_to(&self, _dest: &Path) -> crate::Result<()> {
        Err(crate::StoreError::Config(
            "PostgreSQL backups are taken with pg_dump: \
             pg_dump --format=custom --file=tirkeu.dump \"$DATABASE_URL\" (see docs/operations.md)"
                .into(),
        ))
    }

    async fn introspect(&self) -> crate::Result<crate::Schema> {
        let mut schema = crate::Schema::default();
        let pks: Vec<(String, String)> = sqlx::query(
            "SELECT tc.table_name::text AS t, kcu.column_name::text AS c \
             FROM information_schema.table_constraints tc \
             JOIN information_schema.key_column_usage kcu \
               ON kcu.constraint_name = tc.constraint_name AND kcu.table_schema = tc.table_schema \
             WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()",
        )
        .fetch_all(&self.read)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("t")?, r.try_get("c")?)))
        .collect::<Result<_, sqlx::Error>>()?;
        for c in sqlx::query(
            "SELECT table_name::text AS t, column_name::text AS c, data_type::text AS ty, \
             is_nullable::text AS nullable FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%'",
        )
        .fetch_all(&self.read)
        .await?
        {
            let t: String = c.try_get("t")?;
            let name: String = c.try_get("c")?;
            let ty: String = c.try_get("ty")?;
            let nullable: String = c.try_get("nullable")?;
            let pk = pks.iter().any(|(pt, pc)| *pt == t && *pc == name);
            schema.tables.entry(t).or_default().columns.insert(
                name,
                Column {
                    family: Family::of(&ty),
                    not_null: nullable == "NO",
                    primary_key: pk,
                },
            );
        }
        for i in sqlx::query(
            "SELECT t.relname::text AS t, ix.indisunique AS uq, ix.indpred IS NOT NULL AS partial, \
             array_to_string(ARRAY(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, ord) \
               JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.ord), ',') AS cols \
             FROM pg_index ix JOIN pg_class t ON t.oid = ix.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             WHERE n.nspname = current_schema() AND NOT ix.indisprimary AND t.relname NOT LIKE '\\_sqlx%'",
        )
        .fetch_all(&self.read)
        .await?
        {
            let t: String = i.try_get("t")?;
            let cols: String = i.try_get("cols")?;
            if let Some(table) = schema.tables.get_mut(&t) {
                table.indexes.insert(Index {
                    columns: cols.split(',').map(str::to_owned).collect(),
                    unique: i.try_get("uq")?,
                    partial: i.try_get("partial")?,
                });
            }
        }
        for f in sqlx::query(
            "SELECT cl.relname::text AS t, a.attname::text AS c, rt.relname::text AS rt, ra.attname::text AS rc \
             FROM pg_constraint k JOIN pg_class cl ON cl.oid = k.conrelid \
             JOIN pg_class rt ON rt.oid = k.confrelid \
             JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1] \
             JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1] \
             JOIN pg_namespace n ON n.oid = cl.relnamespace \
             WHERE k.contype = 'f' AND n.nspname = current_schema()",
        )
        .fetch_all(&self.read)
        .await?
        {
            let t: String = f.try_get("t")?;
            if let Some(table) = schema.tables.get_mut(&t) {
                table
                    .foreign_keys
                    .insert((f.try_get("c")?, f.try_get("rt")?, f.try_get("rc")?));
            }
        }
        for c in sqlx::query(
            "SELECT cl.relname::text AS t, COUNT(*) AS n FROM pg_constraint k \
             JOIN pg_class cl ON cl.oid = k.conrelid JOIN pg_namespace n ON n.oid = cl.relnamespace \
             WHERE k.contype = 'c' AND n.nspname = current_schema() GROUP BY cl.relname",
        )
        .fetch_all(&self.read)
        .await?
        {
            let t: String = c.try_get("t")?;
            let n: i64 = c.try_get("n")?;
            if let Some(table) = schema.tables.get_mut(&t) {
                table.check_constraints = usize::try_from(n).unwrap_or_default();
            }
        }
        Ok(schema)
    }
}

impl PgStore {
    /// Connects to `url` with the default pool and migrates the database.
    pub async fn open(url: &str, lookup_key: [u8; 32]) -> crate::Result<Self> {
        Self::open_with(url, lookup_key, &crate::PoolOptions::default()).await
    }

    /// Connects to `url` with the pool `pool` and migrates the database.
    pub async fn open_with(
        url: &str,
        lookup_key: [u8; 32],
        pool: &crate::PoolOptions,
    ) -> crate::Result<Self> {
        if pool.max_connections == 0 || pool.min_connections > pool.max_connections {
            return Err(crate::StoreError::Config(format!(
                "the pool needs at least one connection, and no more kept open than it may open \
                 (max {}, min {})",
                pool.max_connections, pool.min_connections
            )));
        }
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| crate::StoreError::Config(format!("invalid PostgreSQL URL: {e}")))?;
        // One direct connection first: its error says why (refused, auth, no database),
        // where a pool would only report a timeout. It also runs the migrations, without the
        // statement timeout: an index built over millions of rows may take longer.
        let mut probe = sqlx::PgConnection::connect_with(&options).await?;
        sqlx::migrate!("migrations/postgres")
            .run(&mut probe)
            .await?;
        probe.close().await?;
        // In the startup packet, so a new connection costs no extra round trip to set it.
        let options = match pool.statement_timeout {
            Some(t) => options.options([(
                "statement_timeout",
                t.as_millis().max(1).to_string().as_str(),
            )]),
            None => options,
        };
        let pool = PgPoolOptions::new()
            .max_connections(pool.max_connections)
            .min_connections(pool.min_connections)
            .acquire_timeout(pool.acquire_timeout)
            .max_lifetime(pool.max_lifetime)
            .idle_timeout(pool.idle_timeout)
            .connect_with(options)
            .await?;
        let chainer = Arc::new(Chainer::default());
        // Entries a crash left pending (committed, not yet chained) go onto the chain now.
        chainer.chain(&pool).await?;
        Ok(PgStore {
            write: pool.clone(),
            read: pool,
            lookup_key,
            chainer,
        })
    }
}

mod imp {
    use super::PgStore;
    crate::backend::store_impl!(PgStore);
}
