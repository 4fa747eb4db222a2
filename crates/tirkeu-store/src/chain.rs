//! PostgreSQL's audit chain without a lock held to the commit (issue 12).
//!
//! Each audit entry links to the one before it, so appending needs the chain's head, and the
//! head is one row. Appending inside every audited transaction held that row's lock from the
//! append to the commit: audited commits ran one at a time, each waiting for its own WAL flush,
//! while PostgreSQL could have flushed many at once. Here an audited transaction inserts its
//! entry into `audit_pending` instead and commits with no lock beyond its own rows; then
//! [`Chainer::chain`] moves every pending entry onto the chain, in id order, under one head
//! lock in one short transaction — many writers' entries for one lock, and no flush waited
//! for (see `chain_batch`). The writer does not wait for the chaining (its entry is durable in
//! `audit_pending` at its commit); whoever reads the chain — a case's history, `audit verify`,
//! the checkpoint writer — chains first, so it sees every change acknowledged before the read.
//! What a crash leaves pending is chained when a store next opens or anyone writes or reads
//! the chain.
//!
//! Entries of one row keep their order: a change waits for the row lock of the change before
//! it, which commits its pending entry first, so the later entry gets the later id.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use sqlx::postgres::{PgConnection, PgPool};
use sqlx::{Postgres, Row};

use crate::audit::entry_hash;
use crate::convert::ts;
use crate::error::Result;

/// Pending entries chained per transaction at most.
const BATCH: i64 = 5_000;

/// The first wait before a failed background chaining is tried again; it doubles up to
/// [`RETRY_MAX`].
const RETRY_FIRST: std::time::Duration = std::time::Duration::from_millis(100);
const RETRY_MAX: std::time::Duration = std::time::Duration::from_secs(30);

/// Coalesces chaining requests within a process: while one chaining transaction runs, the
/// writers that commit meanwhile wait and are all served by the next one.
#[derive(Default)]
pub(crate) struct Chainer {
    /// Requests so far; a request's number is taken after its writer committed.
    requested: AtomicU64,
    /// Every request up to this number is served: a chaining run that began after it.
    served: AtomicU64,
    running: tokio::sync::Mutex<()>,
}

impl Chainer {
    /// Chains every pending entry committed before this call.
    pub(crate) async fn chain(&self, pool: &PgPool) -> Result<()> {
        let mine = self.requested.fetch_add(1, Ordering::SeqCst) + 1;
        let _run = self.running.lock().await;
        if self.served.load(Ordering::SeqCst) >= mine {
            return Ok(());
        }
        // Every request numbered up to here committed before this run reads what is pending.
        let upto = self.requested.load(Ordering::SeqCst);
        while chain_batch(pool).await? == BATCH {}
        self.served.fetch_max(upto, Ordering::SeqCst);
        Ok(())
    }

    /// A committed writer's chaining, in the background. When it fails, it is tried again
    /// with a growing wait until it succeeds or the store closes, so that a passing failure (a
    /// restarting database, a lock timeout) does not leave acknowledged changes off the chain
    /// until some later write or read happens to chain them. Writers that retry together cost
    /// one chaining: once one succeeds, the others' requests are served ([`Chainer::chain`]).
    /// Each failure is logged as an error with the number of tries so far; readers of the
    /// chain still chain first, and fail visibly while chaining does.
    pub(crate) async fn chain_until_done(&self, pool: &PgPool) {
        let mut wait = RETRY_FIRST;
        for tries in 1u32.. {
            match self.chain(pool).await {
                Ok(()) if tries == 1 => return,
                Ok(()) => {
                    tracing::info!(tries, "audit entries chained after failed tries");
                    return;
                }
                Err(_) if pool.is_closed() => {
                    tracing::warn!(
                        "store closed with audit entries pending; the next open chains them"
                    );
                    return;
                }
                Err(e) => {
                    tracing::error!(error = %e, tries, retry_in = ?wait, "audit chaining failed; the entries stay pending until it succeeds");
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(RETRY_MAX);
                }
            }
        }
    }
}

/// Moves up to [`BATCH`] pending entries onto the chain; how many it moved.
async fn chain_batch(pool: &PgPool) -> Result<i64> {
    let mut tx = pool.begin().await?;
    // The head's lock first, in a statement of its own: the pending entries are then read
    // after whoever chained before released it, so none is chained twice.
    //
    // The chaining commit does not wait for its WAL flush: the entries it moves are already
    // durable in `audit_pending`, and a commit lost in a crash is lost whole (PostgreSQL
    // commits asynchronously but atomically, and the WAL is flushed in order, so any later
    // durable commit makes it durable too), which leaves the entries pending for the next
    // chaining. The flush is what serialised audited writers before; here it costs nothing.
    let head = sqlx::raw_sql(
        "SET LOCAL synchronous_commit = off; \
         SELECT seq, hash FROM audit_head WHERE id = 1 FOR UPDATE",
    )
    .fetch_one(&mut *tx)
    .await?;
    let rows = sqlx::query(
        "SELECT id, at, actor, action, object, payload, state_hash FROM audit_pending \
         ORDER BY id LIMIT $1",
    )
    .bind(BATCH)
    .fetch_all(&mut *tx)
    .await?;
    if rows.is_empty() {
        tx.commit().await?;
        return Ok(0);
    }
    let mut seq: i64 = head.try_get("seq")?;
    let mut prev: String = head.try_get("hash")?;
    let n = rows.len();
    let mut moved = Moved::with_capacity(n);
    for r in &rows {
        seq += 1;
        let at: i64 = r.try_get("at")?;
        let actor: String = r.try_get("actor")?;
        let action: String = r.try_get("action")?;
        let object: String = r.try_get("object")?;
        let payload: String = r.try_get("payload")?;
        let state: Option<String> = r.try_get("state_hash")?;
        let hash = entry_hash(
            seq,
            ts(at)?,
            &actor,
            &action,
            &object,
            &payload,
            &prev,
            state.as_deref(),
        );
        moved.ids.push(r.try_get::<i64, _>("id")?);
        moved.seqs.push(seq);
        moved.ats.push(at);
        moved.actors.push(actor);
        moved.actions.push(action);
        moved.objects.push(object);
        moved.payloads.push(payload);
        moved.prevs.push(std::mem::replace(&mut prev, hash.clone()));
        moved.hashes.push(hash);
        moved.states.push(state);
    }
    moved.write(&mut tx, seq, &prev).await?;
    tx.commit().await?;
    Ok(i64::try_from(n).unwrap_or(i64::MAX))
}

/// One chaining transaction's entries, column by column for `UNNEST`.
struct Moved {
    ids: Vec<i64>,
    seqs: Vec<i64>,
    ats: Vec<i64>,
    actors: Vec<String>,
    actions: Vec<String>,
    objects: Vec<String>,
    payloads: Vec<String>,
    prevs: Vec<String>,
    hashes: Vec<String>,
    states: Vec<Option<String>>,
}

impl Moved {
    fn with_capacity(n: usize) -> Self {
        Moved {
            ids: Vec::with_capacity(n),
            seqs: Vec::with_capacity(n),
            ats: Vec::with_capacity(n),
            actors: Vec::with_capacity(n),
            actions: Vec::with_capacity(n),
            objects: Vec::with_capacity(n),
            payloads: Vec::with_capacity(n),
            prevs: Vec::with_capacity(n),
            hashes: Vec::with_capacity(n),
            states: Vec::with_capacity(n),
        }
    }

    /// Appends the entries, drops them from the pending table and moves the head, in one
    /// statement (one round trip while the head is locked).
    async fn write(
        self,
        tx: &mut sqlx::Transaction<'static, Postgres>,
        seq: i64,
        hash: &str,
    ) -> Result<()> {
        let conn: &mut PgConnection = tx;
        sqlx::query(
            "WITH appended AS (INSERT INTO audit_log \
               (seq, at, actor, action, object, payload, prev_hash, hash, state_hash) \
               SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], \
                 $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])), \
             chained AS (DELETE FROM audit_pending WHERE id = ANY($10)) \
             UPDATE audit_head SET seq = $11, hash = $12 WHERE id = 1",
        )
        .bind(self.seqs)
        .bind(self.ats)
        .bind(self.actors)
        .bind(self.actions)
        .bind(self.objects)
        .bind(self.payloads)
        .bind(self.prevs)
        .bind(self.hashes)
        .bind(self.states)
        .bind(self.ids)
        .bind(seq)
        .bind(hash)
        .execute(conn)
        .await?;
        Ok(())
    }
}

/// A write transaction on PostgreSQL: sqlx's, plus whether it wrote an audit entry that the
/// chainer must move onto the chain after the commit.
pub struct PgWriteTx {
    pub(crate) tx: sqlx::Transaction<'static, Postgres>,
    pub(crate) audited: bool,
    pub(crate) chainer: Arc<Chainer>,
    pub(crate) pool: PgPool,
}

impl PgWriteTx {
    /// Commits, then has the audit entries it wrote chained (with whatever else is pending)
    /// in the background: the change and its entry are durable at the commit, and waiting for
    /// the chaining too halved the rate of a client that writes one change after another
    /// (BENCHMARKS.md). Readers of the chain chain first (`Backend::chain_pending`), so a
    /// case's history still shows every acknowledged change.
    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await?;
        if self.audited {
            let (chainer, pool) = (self.chainer, self.pool);
            tokio::spawn(async move { chainer.chain_until_done(&pool).await });
        }
        Ok(())
    }
}

impl std::ops::Deref for PgWriteTx {
    type Target = PgConnection;

    fn deref(&self) -> &PgConnection {
        &self.tx
    }
}

impl std::ops::DerefMut for PgWriteTx {
    fn deref_mut(&mut self) -> &mut PgConnection {
        &mut self.tx
    }
}
