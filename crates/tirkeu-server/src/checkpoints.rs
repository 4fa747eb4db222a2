//! Signed checkpoints of the audit log, written on a schedule.
//!
//! A hash chain in the database proves nothing against someone who can rewrite the database:
//! they rewrite the chain too. A checkpoint — the head's `(seq, hash, time)` signed with the
//! `audit_signing_key`, which lives on the application host and not on the database host —
//! written where the database host cannot write (`audit_checkpoint_dir`: another host's
//! mount, or a directory synced off the machine) is what `tirkeu audit verify
//! --checkpoint-dir DIR --public-key HEX` checks the chain against: a log rewritten or cut
//! before the latest checkpoint no longer matches it. Each checkpoint is a new, read-only
//! file, written atomically (see [`tirkeu_store::audit::write_checkpoint`]); none is ever
//! overwritten, so a later compromise of this host cannot quietly replace the older ones
//! (the directory's own protection — append-only or write-once storage — does the rest).
//!
//! A scheduled task rather than a step of each write: signing every commit would put a
//! signature and a file sync on the write path; the interval bounds what can be rewritten
//! unseen instead.

use std::path::PathBuf;
use std::time::Duration;

use tirkeu_store::audit::{Checkpoint, SigningKey, write_checkpoint};
use tirkeu_store::{Store, with_store};

/// Where and how often to write checkpoints, and the key that signs them.
#[derive(Clone)]
pub struct CheckpointSettings {
    pub dir: PathBuf,
    pub every: Duration,
    pub key: SigningKey,
}

impl std::fmt::Debug for CheckpointSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckpointSettings")
            .field("dir", &self.dir)
            .field("every", &self.every)
            .field("key", &"***")
            .finish()
    }
}

/// Signs the head of `store`'s chain at `now` and writes it to `dir`, unless the head is
/// still `last_seq` (nothing new to vouch for). Answers the file and the entry it covers.
pub async fn write_once<S: Store>(
    store: &S,
    settings: &CheckpointSettings,
    last_seq: Option<i64>,
    now: jiff::Timestamp,
) -> Result<Option<(PathBuf, i64)>, String> {
    let (seq, hash) = store.audit_head().await.map_err(|e| e.to_string())?;
    if Some(seq) == last_seq {
        return Ok(None);
    }
    let cp = Checkpoint::sign(&settings.key, seq, &hash, now);
    let dir = settings.dir.clone();
    let path = tokio::task::spawn_blocking(move || write_checkpoint(&dir, &cp))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| {
            format!(
                "cannot write a checkpoint in {}: {e}",
                settings.dir.display()
            )
        })?;
    Ok(Some((path, seq)))
}

/// Writes a checkpoint at once and then every `settings.every` until `shutdown`.
pub fn spawn(
    app: &crate::App,
    settings: CheckpointSettings,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> tokio::task::JoinHandle<()> {
    let clock = app.config.clock.clone();
    with_store!(&app.store, s => {
        let store = s.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(settings.every.max(Duration::from_secs(1)));
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut last = None;
            tokio::pin!(shutdown);
            loop {
                tokio::select! {
                    () = &mut shutdown => break,
                    _ = tick.tick() => {}
                }
                match write_once(&store, &settings, last, clock.now()).await {
                    Ok(Some((path, seq))) => {
                        last = Some(seq);
                        metrics::counter!("tirkeu_audit_checkpoints_total", "outcome" => "written").increment(1);
                        tracing::info!(seq, file = %path.display(), "audit checkpoint written");
                    }
                    Ok(None) => {}
                    Err(e) => {
                        metrics::counter!("tirkeu_audit_checkpoints_total", "outcome" => "failed").increment(1);
                        tracing::error!(error = %e, "audit checkpoint not written");
                    }
                }
            }
        })
    })
}
