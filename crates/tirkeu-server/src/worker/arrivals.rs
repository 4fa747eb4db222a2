//! The worker's two rules about expected arrivals: remind the host before the deadline, and
//! flag the arrival late (with its fine) once the deadline has passed unconfirmed.
//!
//! Each rule reads its arrivals through the `arrivals_due` index and acts on each in a
//! transaction of its own that re-checks the arrival (still expected, not yet flagged) and
//! writes the change, its outbox message (with a dedupe key) and its audit entry together;
//! so a run that crashes halfway loses nothing, two workers running at once act once, and a
//! second run finds nothing left to do. The fine is the policy's assessment of a
//! notification at the run's instant, the same call a direct notification gets
//! (`api::host::assess` takes a host, this takes the host's kind): the MCI of the day after
//! the deadline.

use std::collections::HashMap;

use jiff::{SignedDuration, Timestamp};
use tirkeu_core::policy::Policy;
use tirkeu_store::{Arrival, NewAudit, NewOutboxMessage, Store, StoreError};

use crate::api::host::host_kind;

/// The kind of message that reminds a host of an expected arrival's deadline.
pub const DEADLINE_APPROACHING: &str = "host.deadline_approaching";
/// The kind of message that tells a host an expected arrival missed its deadline.
pub const DEADLINE_MISSED: &str = "host.deadline_missed";

/// Arrivals read per query; a rule reads again until a batch comes back short.
const BATCH: u32 = 200;

/// What one run of [`arrival_rules`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArrivalReport {
    /// Reminders queued.
    pub reminded: u64,
    /// Expected arrivals flagged late.
    pub late: u64,
}

/// Runs both rules at `now`: a `host.deadline_approaching` message for every expected
/// arrival whose deadline is within the policy's `timers.arrival_reminder_hours`
/// (`deadline - hours <= now < deadline`), once; then every expected arrival whose deadline
/// is before `now` is flagged late with its fine and a `host.deadline_missed` message, once.
pub async fn arrival_rules<S: Store>(
    store: &S,
    policy: &Policy,
    now: Timestamp,
) -> Result<ArrivalReport, StoreError> {
    Ok(ArrivalReport {
        reminded: remind(store, policy, now).await?,
        late: flag_missed(store, policy, now).await?,
    })
}

/// The message about expected arrival `a` of `kind`, keyed `key`, due at once.
fn message(kind: &str, a: &Arrival, key: String, now: Timestamp) -> NewOutboxMessage {
    NewOutboxMessage {
        kind: kind.to_owned(),
        payload: serde_json::json!({"arrival_id": a.id, "host_id": a.host_id}),
        available_at: now,
        dedupe_key: Some(key),
    }
}

fn audit(action: &str, a: &Arrival, now: Timestamp, payload: serde_json::Value) -> NewAudit {
    NewAudit {
        at: now,
        actor: "system".to_owned(),
        action: action.to_owned(),
        object: format!("arrival:{}", a.id),
        payload,
    }
}

async fn remind<S: Store>(store: &S, policy: &Policy, now: Timestamp) -> Result<u64, StoreError> {
    let hours = i64::from(policy.timers().arrival_reminder_hours);
    let until = now
        .checked_add(SignedDuration::from_hours(hours))
        .unwrap_or(Timestamp::MAX);
    let mut reminded = 0;
    loop {
        let due = store.arrivals_due_reminder(now, until, BATCH).await?;
        let mut acted = 0;
        for a in &due {
            let queued = store
                .remind_arrival(
                    a.id,
                    &message(DEADLINE_APPROACHING, a, Arrival::reminder_key(a.id), now),
                    &audit(
                        "arrival.remind",
                        a,
                        now,
                        serde_json::json!({"host_id": a.host_id, "deadline_at": a.deadline_at.to_string()}),
                    ),
                )
                .await?;
            if queued {
                reminded += 1;
                acted += 1;
            }
        }
        // A short batch was the last; a batch where nothing could be done (confirmed
        // meanwhile by every host) would come back the same.
        if due.len() < BATCH as usize || acted == 0 {
            return Ok(reminded);
        }
    }
}

async fn flag_missed<S: Store>(
    store: &S,
    policy: &Policy,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let mut kinds: HashMap<i64, String> = HashMap::new();
    let mut flagged = 0;
    loop {
        let missed = store.arrivals_past_deadline(now, BATCH).await?;
        let mut acted = 0;
        for a in &missed {
            let kind = match kinds.get(&a.host_id) {
                Some(k) => k.clone(),
                None => {
                    let k = host_kind(policy, &store.user(a.host_id).await?);
                    kinds.insert(a.host_id, k.clone());
                    k
                }
            };
            let fine_kzt = match policy.assess_notification(a.arrived_at, Some(now), &kind, None) {
                Ok(assessed) => assessed.fine.and_then(|f| i64::try_from(f.kzt).ok()),
                Err(e) => {
                    // Late all the same; only the amount cannot be said (no index value for
                    // the year, or a host kind the policy no longer knows).
                    tracing::warn!(arrival = a.id, error = %e, "late arrival without a fine");
                    None
                }
            };
            let done = store
                .flag_arrival_late(
                    a.id,
                    fine_kzt,
                    &message(DEADLINE_MISSED, a, Arrival::late_key(a.id), now),
                    &audit(
                        "arrival.flag_late",
                        a,
                        now,
                        serde_json::json!({"host_id": a.host_id, "fine_kzt": fine_kzt}),
                    ),
                )
                .await?;
            if done {
                flagged += 1;
                acted += 1;
            }
        }
        if missed.len() < BATCH as usize || acted == 0 {
            return Ok(flagged);
        }
    }
}
