//! SQLite's write path: one writer connection and group commit.
//!
//! SQLite has one writer at a time, and a durable commit (`synchronous=FULL`) costs an
//! `fsync` of the WAL. Committing every write transaction on its own therefore caps audited
//! writes at one `fsync` each, however many requests are waiting. Here the one write
//! connection keeps a physical transaction (`BEGIN IMMEDIATE … COMMIT`) open across the
//! logical transactions that queue for it while it is busy: each logical transaction runs
//! inside a savepoint, and the physical `COMMIT` — one `fsync` for all of them — happens when
//! nobody is waiting any more (or the batch is full). A caller's [`WriteTx::commit`] returns
//! only after the physical commit that holds its change, so durability is what it was: an
//! acknowledged write is on disk, and a crash loses only unacknowledged ones. A logical
//! transaction that fails rolls back to its savepoint without disturbing the others; one
//! that fails the physical transaction itself (a full disk, say) fails the whole batch, and
//! every member hears of it. The audit chain stays one total order: members run one after
//! the other on the one connection, each appending after the last.
//!
//! The queue is the connection's mutex (tokio's is fair, first come first served). A member
//! that finishes while others wait leaves the commit to the last of them; if the waiters go
//! away (a cancelled request), a flusher queued behind them commits the batch, so no member
//! waits for a commit that never comes.
//!
//! What this does not remove is sqlx's hand-off of every statement to the connection's own
//! thread (BENCHMARKS.md, "Where the time goes"): a writer that ran each transaction whole on
//! its own thread would need the write bodies written a second time against rusqlite.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sqlx::{Connection, Executor, SqliteConnection};
use tokio::sync::{Mutex, OwnedMutexGuard, oneshot};

use crate::error::{Result, StoreError};

/// Members of one physical transaction at most: a bound on the latency a batch adds and on
/// the work one failure undoes.
const MAX_BATCH: usize = 256;

/// The write connection and its queue.
pub(crate) struct Writer {
    state: Arc<Mutex<State>>,
    /// Tasks waiting for the connection (not counting the flusher).
    queued: AtomicUsize,
    /// A flusher is queued for the connection.
    flush_queued: AtomicBool,
}

struct State {
    conn: Option<SqliteConnection>,
    /// The open physical transaction's members that are waiting for its commit; `None`
    /// when no physical transaction is open.
    batch: Option<Vec<Member>>,
    /// A member's savepoint is open. Seen by the next holder of the connection only when its
    /// owner was cancelled while opening it, and then rolled back.
    savepoint: bool,
    /// Physical commits so far, and the logical transactions they held (for the benchmark's
    /// batch size).
    commits: u64,
    members: u64,
}

/// How a member hears the outcome of the commit that holds its change.
type Member = oneshot::Sender<std::result::Result<(), String>>;

type Guard = OwnedMutexGuard<State>;

impl State {
    fn conn(&mut self) -> Result<&mut SqliteConnection> {
        self.conn
            .as_mut()
            .ok_or_else(|| StoreError::Config("the store is closed".into()))
    }

    /// Makes the connection ready for a new member: undoes a savepoint left open, opens a
    /// physical transaction if none is, and starts the member's savepoint.
    async fn open_member(&mut self) -> Result<()> {
        if self.savepoint {
            self.undo_member().await;
        }
        if self.batch.is_none() {
            self.conn()?.execute("BEGIN IMMEDIATE").await?;
            self.batch = Some(Vec::new());
        }
        if let Err(e) = self.conn()?.execute("SAVEPOINT member").await {
            // Whatever is wrong, the members before this one are done: commit them.
            self.commit_batch().await;
            return Err(e.into());
        }
        self.savepoint = true;
        Ok(())
    }

    /// Rolls the current member back to its savepoint; when that fails, the physical
    /// transaction is broken and the whole batch fails.
    async fn undo_member(&mut self) {
        let undone = match self.conn() {
            Ok(c) => c
                .execute("ROLLBACK TO member; RELEASE member")
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        self.savepoint = false;
        if let Err(why) = undone {
            self.fail_batch(&why).await;
        }
    }

    /// Releases the current member's savepoint and enrols it for the commit.
    async fn release_member(&mut self, member: Member) {
        let released = match self.conn() {
            Ok(c) => c.execute("RELEASE member").await.map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        self.savepoint = false;
        match (released, self.batch.as_mut()) {
            (Ok(_), Some(members)) => members.push(member),
            (Ok(_), None) => {
                let _ = member.send(Err("no open write batch".into()));
            }
            (Err(why), _) => {
                self.fail_batch(&why).await;
                let _ = member.send(Err(why));
            }
        }
    }

    /// Commits the open physical transaction and tells its members how it went.
    async fn commit_batch(&mut self) {
        let Some(members) = self.batch.take() else {
            return;
        };
        let outcome = match self.conn() {
            Ok(c) => c
                .execute("COMMIT")
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) => Err(e.to_string()),
        };
        if outcome.is_err()
            && let Ok(c) = self.conn()
        {
            // A failed COMMIT may leave the transaction open; end it so the next batch starts clean.
            let _ = c.execute("ROLLBACK").await;
        }
        self.commits += 1;
        self.members += members.len() as u64;
        for m in members {
            let _ = m.send(outcome.clone());
        }
    }

    /// Ends the physical transaction after a failure that broke it, failing every member.
    async fn fail_batch(&mut self, why: &str) {
        if let Ok(c) = self.conn() {
            let _ = c.execute("ROLLBACK").await;
        }
        for m in self.batch.take().unwrap_or_default() {
            let _ = m.send(Err(format!("the group commit failed: {why}")));
        }
    }
}

impl Writer {
    pub(crate) fn new(conn: SqliteConnection) -> Arc<Writer> {
        Arc::new(Writer {
            state: Arc::new(Mutex::new(State {
                conn: Some(conn),
                batch: None,
                savepoint: false,
                commits: 0,
                members: 0,
            })),
            queued: AtomicUsize::new(0),
            flush_queued: AtomicBool::new(false),
        })
    }

    /// Begins a logical write transaction: waits for the connection, opens a physical
    /// transaction if none is open, and starts a savepoint in it.
    ///
    /// Every step that changes the connection's transaction state runs in a task of its own,
    /// with the connection moved in: a caller cancelled mid-step (a client that hung up) then
    /// cannot leave the state half-changed, since the step finishes anyway and the next
    /// holder of the connection finds a state it knows.
    pub(crate) async fn begin(self: &Arc<Self>) -> Result<WriteTx> {
        let guard = {
            let _waiting = Waiting::new(&self.queued);
            self.state.clone().lock_owned().await
        };
        let (guard, opened) = tokio::spawn(async move {
            let mut guard = guard;
            let opened = guard.open_member().await;
            (guard, opened)
        })
        .await
        .map_err(|e| StoreError::GroupCommit(e.to_string()))?;
        opened?;
        Ok(WriteTx {
            guard: Some(guard),
            writer: self.clone(),
        })
    }

    /// After a member left the connection: commit now if nobody else is waiting or the batch
    /// is full, else leave the commit to those waiting, with a flusher queued behind them.
    async fn hand_on(self: &Arc<Self>, mut guard: Guard) {
        let members = guard.batch.as_ref().map_or(0, Vec::len);
        if self.queued.load(Ordering::Acquire) == 0 || members >= MAX_BATCH {
            guard.commit_batch().await;
            return;
        }
        if !self.flush_queued.swap(true, Ordering::AcqRel) {
            let writer = self.clone();
            tokio::spawn(async move {
                let mut g = writer.state.clone().lock_owned().await;
                writer.flush_queued.store(false, Ordering::Release);
                // Those queued before the flusher have run; whoever queued after it will
                // find the batch committed and start the next one.
                if g.savepoint {
                    g.undo_member().await;
                }
                g.commit_batch().await;
            });
        }
        drop(guard);
    }

    /// Physical commits so far and the logical transactions they held.
    pub(crate) async fn stats(&self) -> (u64, u64) {
        let g = self.state.lock().await;
        (g.commits, g.members)
    }

    /// Commits what is pending and closes the connection.
    pub(crate) async fn close(&self) {
        let mut g = self.state.lock().await;
        if g.savepoint {
            g.undo_member().await;
        }
        g.commit_batch().await;
        if let Some(c) = g.conn.take() {
            let _ = c.close().await;
        }
    }
}

/// Counts a task in the queue while it waits, also if it is cancelled while waiting.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn new(n: &'a AtomicUsize) -> Self {
        n.fetch_add(1, Ordering::AcqRel);
        Waiting(n)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// A logical write transaction on SQLite: a savepoint in the writer's open physical
/// transaction. Dropped without [`commit`](WriteTx::commit), it rolls back to its savepoint.
pub struct WriteTx {
    guard: Option<OwnedMutexGuard<State>>,
    writer: Arc<Writer>,
}

impl WriteTx {
    /// Releases the savepoint and waits until the physical commit that holds this change
    /// is on disk.
    pub async fn commit(mut self) -> Result<()> {
        let mut guard = self
            .guard
            .take()
            .expect("a live transaction holds the connection");
        let writer = self.writer.clone();
        let (member, outcome) = oneshot::channel();
        // In a task of its own (see `Writer::begin`): the release and the commit happen even
        // if this caller is cancelled meanwhile.
        tokio::spawn(async move {
            guard.release_member(member).await;
            writer.hand_on(guard).await;
        });
        match outcome.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::GroupCommit(e)),
            Err(_) => Err(StoreError::GroupCommit(
                "the batch was abandoned before its commit".into(),
            )),
        }
    }
}

impl Drop for WriteTx {
    fn drop(&mut self) {
        let Some(mut guard) = self.guard.take() else {
            return;
        };
        let writer = self.writer.clone();
        // Dropped inside the runtime (every store call is); the rollback must await.
        tokio::spawn(async move {
            guard.undo_member().await;
            writer.hand_on(guard).await;
        });
    }
}

impl Deref for WriteTx {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        self.guard
            .as_ref()
            .and_then(|g| g.conn.as_ref())
            .expect("a live transaction holds an open connection")
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.guard
            .as_mut()
            .and_then(|g| g.conn.as_mut())
            .expect("a live transaction holds an open connection")
    }
}
