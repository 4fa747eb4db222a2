//! The timers on applications: abandonment, expiry, reminders to renew, retention.
//!
//! Each rule reads the cases it acts on through an index of its own
//! ([`TimerQuery`]), oldest due first, in batches, and acts on each through the same path as
//! every other door: the core decides (`case::decide`, the system as actor) and the store
//! applies it with the case's version check, audit entry and messages in one transaction. A
//! case changed meanwhile (a person acted, or another worker was first) is skipped.

use jiff::{SignedDuration, Timestamp, ToSpan};
use tirkeu_core::case::{self, Actor, CaseFacts, Input};
use tirkeu_core::lifecycle::Action;
use tirkeu_core::policy::Policy;
use tirkeu_store::{
    NewAudit, NewOutboxMessage, Store, StoreError, TimerCase, TimerQuery, TransitionChange,
};

use super::{Report, SYSTEM, Worker};
use crate::mail::Transport;

/// Cases read per query.
const BATCH: u32 = 200;

/// Every rule at `now`: on applications here, on expected arrivals in [`super::arrivals`].
pub(super) async fn run<S: Store, T: Transport>(
    w: &Worker<S, T>,
    policy: &Policy,
    now: Timestamp,
) -> Result<Report, StoreError> {
    let t = policy.timers();
    let mut r = Report::default();
    let day = SignedDuration::from_hours(24);
    let today = now.to_zoned_datetime(policy.time_zone().clone()).date();

    let drafts_before = now
        .saturating_sub(day * i32::try_from(t.draft_days).unwrap_or(i32::MAX))
        .expect("a duration, not a span");
    let timers = [
        (
            TimerQuery::DraftsCreatedBefore(drafts_before),
            Action::Abandon,
        ),
        (TimerQuery::InfoRequestsDueBefore(now), Action::Abandon),
        (TimerQuery::CardsValidBefore(today), Action::Expire),
    ];
    let mut done = [0; 3];
    for (n, (query, action)) in done.iter_mut().zip(&timers) {
        let skipped;
        (*n, skipped) = act_on_all(&w.store, policy, now, query, *action).await?;
        r.skipped += skipped;
    }
    [
        r.drafts_abandoned,
        r.info_requests_abandoned,
        r.cards_expired,
    ] = done;

    r.expiry_reminders = remind_expiry(&w.store, &t.expiry_reminder_days, today, now).await?;
    let arrivals = super::arrivals::arrival_rules(&w.store, policy, now).await?;
    (r.arrival_reminders, r.arrivals_late) = (arrivals.reminded, arrivals.late);

    let closed_before = now
        .saturating_sub(day * i32::try_from(t.retention_days).unwrap_or(i32::MAX))
        .expect("a duration, not a span");
    let (cases, files) = purge_closed(w, closed_before, now).await?;
    (r.cases_purged, r.documents_deleted) = (cases, files);
    loop {
        let n = w
            .store
            .purge_arrivals(closed_before, now, SYSTEM, BATCH)
            .await?;
        r.arrivals_purged += n;
        if n < u64::from(BATCH) {
            break;
        }
    }
    r.messages_purged = w.store.purge_outbox(closed_before, now, SYSTEM).await?;
    if let Some(dir) = &w.config.mail_drop {
        r.mail_files_deleted = purge_mail_drop(dir, closed_before);
    }

    for (rule, n) in [
        ("draft_abandoned", r.drafts_abandoned),
        ("info_request_abandoned", r.info_requests_abandoned),
        ("card_expired", r.cards_expired),
        ("expiry_reminder", r.expiry_reminders),
        ("arrival_reminder", r.arrival_reminders),
        ("arrival_late", r.arrivals_late),
        ("case_purged", r.cases_purged),
        ("arrival_purged", r.arrivals_purged),
    ] {
        if n > 0 {
            metrics::counter!("tirkeu_worker_rule_total", "rule" => rule).increment(n);
        }
    }
    Ok(r)
}

/// Takes `action` as the system on every case `query` finds: `(done, skipped)`.
async fn act_on_all<S: Store>(
    store: &S,
    policy: &Policy,
    now: Timestamp,
    query: &TimerQuery,
    action: Action,
) -> Result<(u64, u64), StoreError> {
    let (mut done, mut skipped) = (0, 0);
    loop {
        let cases = store.timer_cases(query, BATCH).await?;
        let mut progress = false;
        for c in &cases {
            if act(store, policy, now, c, action).await? {
                done += 1;
                progress = true;
            } else {
                skipped += 1;
            }
        }
        // A full batch of which nothing could be done would come back the same: stop, and
        // look again next pass.
        if cases.len() < BATCH as usize || !progress {
            return Ok((done, skipped));
        }
    }
}

/// Whether `action` was taken on `c`; `false` when the case changed since it was read, or
/// the lifecycle refuses (both logged, neither an error of the pass).
async fn act<S: Store>(
    store: &S,
    policy: &Policy,
    now: Timestamp,
    c: &TimerCase,
    action: Action,
) -> Result<bool, StoreError> {
    let facts = CaseFacts {
        state: c.state,
        permit_type: &c.permit_type,
        language: c.language,
        uploaded: &[],
        // The system reaches every office and takes no decision that needs a second person.
        office: "",
        reviewer: None,
    };
    let decision = match case::decide(
        &facts,
        action,
        Actor::system(),
        &Input::default(),
        policy,
        now,
        &mut rand::rng(),
    ) {
        Ok(d) => d,
        Err(e) => {
            tracing::warn!(case = c.id, %action, error = %e, "a timer's action was refused");
            return Ok(false);
        }
    };
    match store
        .transition(&TransitionChange::new(c.id, c.version, SYSTEM, &decision))
        .await
    {
        Ok(_) => Ok(true),
        Err(StoreError::Conflict { .. } | StoreError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Queues one renewal reminder per card and reminder day: the days ascending cut the coming
/// dates into bands (`[today, today + 7]`, `(today + 7, today + 30]`), and a card in a band
/// gets that band's reminder once (its dedupe key `expiry:{id}:{days}`). A card issued with
/// 20 days left gets the 30-day reminder at once, and the 7-day one later.
async fn remind_expiry<S: Store>(
    store: &S,
    days: &[u32],
    today: jiff::civil::Date,
    now: Timestamp,
) -> Result<u64, StoreError> {
    let mut days = days.to_vec();
    days.sort_unstable();
    let mut queued = 0;
    let mut from = today;
    for d in days {
        let Ok(until) = today.checked_add(i64::from(d).days()) else {
            continue;
        };
        loop {
            let cards = store
                .timer_cases(
                    &TimerQuery::CardsToRemind {
                        from,
                        until,
                        days: d,
                    },
                    BATCH,
                )
                .await?;
            let mut progress = false;
            for c in &cards {
                let message = NewOutboxMessage {
                    kind: "reminder.expiry".into(),
                    payload: serde_json::json!({
                        "application_id": c.id, "days": d, "language": c.language,
                    }),
                    available_at: now,
                    dedupe_key: Some(format!("expiry:{}:{d}", c.id)),
                };
                let audit = NewAudit {
                    at: now,
                    actor: SYSTEM.into(),
                    action: "application.remind_expiry".into(),
                    object: format!("application:{}", c.id),
                    payload: serde_json::json!({"days": d}),
                };
                if store.queue_message(&message, &audit).await? {
                    queued += 1;
                    progress = true;
                }
            }
            if cards.len() < BATCH as usize || !progress {
                break;
            }
        }
        from = until.tomorrow().unwrap_or(until);
    }
    Ok(queued)
}

/// Purges every case closed at or before `before`, then deletes the stored documents no
/// case refers to any more: `(cases, files)`. A file is deleted after the commit that
/// dropped its last reference (a crash between the two leaves an unreferenced file, never a
/// reference to a missing one).
async fn purge_closed<S: Store, T: Transport>(
    w: &Worker<S, T>,
    before: Timestamp,
    now: Timestamp,
) -> Result<(u64, u64), StoreError> {
    let (mut cases, mut files) = (0, 0);
    loop {
        let due = w
            .store
            .timer_cases(&TimerQuery::ClosedBefore(before), BATCH)
            .await?;
        let mut progress = false;
        for c in &due {
            match w.store.purge_case(c.id, now, SYSTEM).await {
                Ok(hashes) => {
                    cases += 1;
                    progress = true;
                    for h in hashes {
                        match w.documents.delete(&h).await {
                            Ok(()) => files += 1,
                            Err(e) => {
                                tracing::warn!(error = %e, "a purged document's file was not deleted");
                            }
                        }
                    }
                }
                Err(StoreError::NotFound) => {}
                Err(e) => return Err(e),
            }
        }
        if due.len() < BATCH as usize || !progress {
            return Ok((cases, files));
        }
    }
}

/// Deletes the mail drop's `.eml` files last written at or before `before`; how many.
fn purge_mail_drop(dir: &std::path::Path, before: Timestamp) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for e in entries.flatten() {
        let path = e.path();
        if path.extension().is_none_or(|x| x != "eml") {
            continue;
        }
        let old = e
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| Timestamp::try_from(t).ok())
            .is_some_and(|t| t <= before);
        if old && std::fs::remove_file(&path).is_ok() {
            n += 1;
        }
    }
    n
}
