//! The worker: sends the outbox's messages and lets deadlines act on their own.
//!
//! One pass ([`Worker::run_once`]) at an instant `now` does, in order:
//! 1. **rules** ([`rules`], [`arrivals`]): drafts never submitted and information requests
//!    never answered are abandoned, cards past their last valid day expire, holders are
//!    reminded before expiry, hosts before an expected arrival's deadline and flagged late
//!    after it, and closed cases older than the retention period lose their personal data.
//!    Every rule asks the core (`case::decide` with the system as the actor) and writes through
//!    the store with its audit entry and messages in one transaction, as any other door does.
//! 2. **delivery** ([`deliver`]): due messages are claimed with a lease, rendered in the
//!    recipient's language ([`crate::mail`]) and handed to the transport; the outcome is
//!    recorded only by the holder of the lease.
//!
//! Several workers may run against one PostgreSQL: claims skip locked rows and expire with
//! their lease (a crashed worker's messages are taken over), a transition is refused to the
//! second worker by its version check, a reminder is one message by its dedupe key, and a
//! purge happens once. Delivery is at least once: a worker that crashes after the transport
//! accepted a message and before recording it sends it again after the lease, with the same
//! `Message-ID` (the outbox id), so a receiving system can drop the copy.
//!
//! `tirkeu serve` and `tirkeu demo` run [`Worker::run`] in the server process (unless
//! configured off); `tirkeu worker` runs it alone, and `tirkeu worker run-once --now …`
//! runs one pass at a chosen instant and prints its [`Report`] (for tests and cron).

pub mod arrivals;
mod deliver;
mod rules;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;
use tirkeu_core::policy::Policy;
use tirkeu_store::{Store, StoreError};

use crate::mail::Transport;
use crate::upload::DocumentStore;

/// The actor the audit log names for what the worker does.
pub const SYSTEM: &str = "system";

/// Where the worker gets the policy in force (the server's, which an administrator may
/// replace while it runs, or a fixed one).
pub type PolicySource = Arc<dyn Fn() -> Arc<Policy> + Send + Sync>;

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct WorkerConfig {
    /// Names this worker in its claims; unique per running process.
    pub name: String,
    /// Messages claimed at a time.
    pub batch: u32,
    /// How long a claim lasts before another worker may take the message over.
    pub lease: SignedDuration,
    /// Pause between delivery passes when nothing is due.
    pub poll: Duration,
    /// Pause between passes of the rules.
    pub rules_every: Duration,
    /// The address people reach the web UI at, for links in messages.
    pub public_url: String,
    /// The mail-drop directory, whose files are personal data too: older than the retention
    /// period, they are deleted with the rest.
    pub mail_drop: Option<PathBuf>,
}

impl WorkerConfig {
    /// Defaults for a worker whose links point at `public_url`, with a fresh unique name.
    pub fn new(public_url: &str) -> WorkerConfig {
        WorkerConfig {
            name: unique_name(),
            batch: 50,
            lease: SignedDuration::from_mins(5),
            poll: Duration::from_secs(2),
            rules_every: Duration::from_mins(1),
            public_url: public_url.trim_end_matches('/').to_owned(),
            mail_drop: None,
        }
    }
}

/// `host-pid-random`: a restarted worker gets a new name, so its predecessor's leases are
/// not mistaken for its own.
fn unique_name() -> String {
    let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "worker".into());
    format!(
        "{host}-{}-{:08x}",
        std::process::id(),
        rand::random::<u32>()
    )
}

/// What one pass did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub drafts_abandoned: u64,
    pub info_requests_abandoned: u64,
    pub cards_expired: u64,
    pub expiry_reminders: u64,
    pub arrival_reminders: u64,
    pub arrivals_late: u64,
    pub cases_purged: u64,
    pub documents_deleted: u64,
    pub arrivals_purged: u64,
    pub messages_purged: u64,
    pub mail_files_deleted: u64,
    /// Cases a rule found due that had changed meanwhile (another worker or a person acted
    /// first): left alone, looked at again next pass.
    pub skipped: u64,
    pub sent: u64,
    pub no_recipient: u64,
    pub retried: u64,
    pub failed: u64,
    /// Outcomes refused because another worker took the message over after the lease.
    pub lease_lost: u64,
}

impl Report {
    /// The report as lines `name: count`, only the counts that are not zero.
    pub fn lines(&self) -> Vec<String> {
        let json = serde_json::to_value(self).expect("a report serialises");
        let mut out = Vec::new();
        if let serde_json::Value::Object(fields) = json {
            for (name, n) in fields {
                if n.as_u64().is_some_and(|n| n > 0) {
                    out.push(format!("{}: {n}", name.replace('_', " ")));
                }
            }
        }
        out
    }

    fn add(&mut self, other: &Report) {
        macro_rules! sum {
            ($($f:ident),*) => { $(self.$f += other.$f;)* };
        }
        sum!(
            drafts_abandoned,
            info_requests_abandoned,
            cards_expired,
            expiry_reminders,
            arrival_reminders,
            arrivals_late,
            cases_purged,
            documents_deleted,
            arrivals_purged,
            messages_purged,
            mail_files_deleted,
            skipped,
            sent,
            no_recipient,
            retried,
            failed,
            lease_lost
        );
    }
}

/// A worker over store `S` sending through transport `T`.
pub struct Worker<S, T> {
    store: S,
    transport: T,
    documents: Arc<DocumentStore>,
    policy: PolicySource,
    config: WorkerConfig,
}

impl<S: Store, T: Transport> Worker<S, T> {
    pub fn new(
        store: S,
        transport: T,
        documents: Arc<DocumentStore>,
        policy: PolicySource,
        config: WorkerConfig,
    ) -> Self {
        Worker {
            store,
            transport,
            documents,
            policy,
            config,
        }
    }

    pub fn config(&self) -> &WorkerConfig {
        &self.config
    }

    /// Everything due at `now`: the rules, then every due message (batch after batch until
    /// none is left).
    pub async fn run_once(&self, now: Timestamp) -> Result<Report, StoreError> {
        let mut report = self.rules(now).await?;
        loop {
            let (claimed, done) = self.deliver(now).await?;
            report.add(&done);
            if claimed < self.config.batch as usize {
                break;
            }
        }
        Ok(report)
    }

    /// Runs until `shutdown` completes: the rules every `rules_every`, delivery every
    /// `poll` (at once again while batches come back full). Errors are logged and retried
    /// after a pause; the clock is `now`.
    pub async fn run(
        &self,
        now: impl Fn() -> Timestamp + Send + Sync,
        shutdown: impl std::future::Future<Output = ()> + Send,
    ) {
        tracing::info!(worker = %self.config.name, transport = self.transport.name(), "worker started");
        let mut shutdown = std::pin::pin!(shutdown);
        let mut next_rules = tokio::time::Instant::now();
        loop {
            if tokio::time::Instant::now() >= next_rules {
                match self.rules(now()).await {
                    Ok(r) => log_report("rules", &r),
                    Err(e) => tracing::warn!(error = %e, "worker rules failed; retrying later"),
                }
                next_rules = tokio::time::Instant::now() + self.config.rules_every;
            }
            let pause = match self.deliver(now()).await {
                Ok((claimed, r)) => {
                    log_report("delivery", &r);
                    if claimed >= self.config.batch as usize {
                        Duration::ZERO
                    } else {
                        self.config.poll
                    }
                }
                Err(e) => {
                    tracing::warn!(error = %e, "worker delivery failed; retrying later");
                    self.config.poll * 5
                }
            };
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(pause) => {}
            }
        }
        tracing::info!(worker = %self.config.name, "worker stopped");
    }

    async fn rules(&self, now: Timestamp) -> Result<Report, StoreError> {
        rules::run(self, &(self.policy)(), now).await
    }
}

/// Starts a worker inside the server process: the server's store, documents, policy (as an
/// administrator replaces it) and clock, until `shutdown` completes.
pub fn spawn<T: Transport>(
    app: &crate::App,
    transport: T,
    config: WorkerConfig,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    let policy_app = app.clone();
    let policy: PolicySource = Arc::new(move || policy_app.policy());
    let clock = app.config.clock.clone();
    let documents = app.documents.clone();
    tirkeu_store::with_store!(&app.store, s => {
        let worker = Worker::new(s.clone(), transport, documents, policy, config);
        tokio::spawn(async move { worker.run(move || clock.now(), shutdown).await })
    })
}

fn log_report(what: &str, r: &Report) {
    let lines = r.lines();
    if !lines.is_empty() {
        tracing::info!(pass = what, done = %lines.join(", "), "worker pass");
    }
}
