//! Delivery: claim due messages, render them in the recipient's language, send, record.
//!
//! A message is rendered when it is sent, from the case as it is then (its number, reason,
//! appointment, validity), not when it was queued: the outbox holds ids, never personal
//! data. Temporary failures (a 4xx reply, a timeout, a refused connection) are retried with
//! exponential backoff and jitter, capped at an hour, for the policy's
//! `timers.delivery_retry_hours` from the first try; permanent ones (a 5xx reply, an invalid
//! address) fail at once. A failed message waits for an administrator's "send again".

use jiff::{SignedDuration, Timestamp};
use tirkeu_core::lifecycle::State;
use tirkeu_core::policy::Policy;
use tirkeu_core::text::Lang;
use tirkeu_store::{Delivery, OutboxMessage, Store, StoreError};

use super::{Report, Worker};
use crate::mail::{self, MailFacts, MailKind, Outgoing, SendError, Transport};

/// The first retry waits about this long; each next one twice as long, up to [`MAX_DELAY`].
const FIRST_DELAY: SignedDuration = SignedDuration::from_secs(60);
const MAX_DELAY: SignedDuration = SignedDuration::from_hours(1);

/// Who a message goes to and what it says.
struct Prepared {
    to: Option<String>,
    facts: MailFacts,
}

impl<S: Store, T: Transport> Worker<S, T> {
    /// One batch: claims up to `batch` due messages and handles each; answers how many were
    /// claimed and what became of them.
    pub(super) async fn deliver(&self, now: Timestamp) -> Result<(usize, Report), StoreError> {
        let claimed = self
            .store
            .claim_outbox(&self.config.name, now, self.config.lease, self.config.batch)
            .await?;
        let policy = (self.policy)();
        let mut report = Report::default();
        for m in &claimed {
            self.deliver_one(&policy, m, now, &mut report).await?;
        }
        Ok((claimed.len(), report))
    }

    async fn deliver_one(
        &self,
        policy: &Policy,
        m: &OutboxMessage,
        now: Timestamp,
        report: &mut Report,
    ) -> Result<(), StoreError> {
        let kind_label = metric_kind(&m.kind);
        let outcome = match self.prepare(policy, m, now).await? {
            Err(why) => Outcome::Done(Delivery::Failed { error: why }),
            Ok(Prepared { to: None, .. }) => Outcome::Done(Delivery::NoRecipient),
            Ok(Prepared {
                to: Some(to),
                facts,
            }) => {
                let rendered = mail::render(policy, &self.config.public_url, &facts);
                let template_version = rendered.template_version.clone();
                let out = Outgoing {
                    outbox_id: m.id,
                    to,
                    lang: facts.lang,
                    rendered,
                };
                match self.transport.send(&out).await {
                    Ok(()) => Outcome::Done(Delivery::Sent { template_version }),
                    Err(SendError::Permanent(e)) => Outcome::Done(Delivery::Failed { error: e }),
                    Err(SendError::Temporary(e)) => retry_or_give_up(policy, m, now, e),
                }
            }
        };
        let recorded = match &outcome {
            Outcome::Done(d) => {
                self.store
                    .outbox_done(m.id, &self.config.name, now, d)
                    .await
            }
            Outcome::Retry { error, at } => {
                self.store
                    .outbox_retry(m.id, &self.config.name, error, *at)
                    .await
            }
        };
        match recorded {
            Ok(()) => {}
            Err(StoreError::LeaseLost) => {
                report.lease_lost += 1;
                return Ok(());
            }
            Err(e) => return Err(e),
        }
        let label = match &outcome {
            Outcome::Done(Delivery::Sent { .. }) => {
                report.sent += 1;
                "sent"
            }
            Outcome::Done(Delivery::NoRecipient) => {
                report.no_recipient += 1;
                "no_recipient"
            }
            Outcome::Done(Delivery::Failed { error }) => {
                report.failed += 1;
                tracing::warn!(message = m.id, kind = kind_label, %error, "a message failed");
                "failed"
            }
            Outcome::Retry { error, at } => {
                report.retried += 1;
                tracing::info!(message = m.id, kind = kind_label, %error, retry_at = %at, "a message will be retried");
                "retried"
            }
        };
        metrics::counter!("tirkeu_messages_total", "outcome" => label, "kind" => kind_label)
            .increment(1);
        Ok(())
    }

    /// The recipient and the facts of `m`, read now; `Err` with the reason when the message
    /// can never be sent (an unknown kind, a payload without its ids, a case or arrival that
    /// no longer exists).
    async fn prepare(
        &self,
        policy: &Policy,
        m: &OutboxMessage,
        now: Timestamp,
    ) -> Result<Result<Prepared, String>, StoreError> {
        let Some(kind) = MailKind::from_outbox_kind(&m.kind) else {
            return Ok(Err(format!("unknown message kind `{}`", m.kind)));
        };
        let id = |name: &str| m.payload.get(name).and_then(serde_json::Value::as_i64);
        let mut facts = MailFacts::new(Lang::Ru, kind);
        if let Some(app_id) = id("application_id") {
            let a = match self.store.application(app_id).await {
                Ok(a) => a,
                Err(StoreError::NotFound) => {
                    return Ok(Err(format!("application {app_id} not found")));
                }
                Err(e) => return Err(e),
            };
            facts.lang = a.language;
            facts.case_number = Some(a.number);
            facts.permit_type = Some(a.permit_type.clone());
            facts.reason.clone_from(&a.reason);
            facts.respond_by = a.respond_by.filter(|_| a.state == State::InfoRequested);
            facts.collection_at = a.collection_at;
            facts.collection_place.clone_from(&a.collection_place);
            facts.office = Some(a.office.clone());
            facts.valid_until = a.valid_until;
            if let Some(until) = a.valid_until {
                let today = now.to_zoned_datetime(policy.time_zone().clone()).date();
                facts.days_left = Some(i64::from((until - today).get_days()));
            }
            // Purged cases have no address left; nobody to write to.
            return Ok(Ok(Prepared {
                to: a.email.filter(|e| !e.trim().is_empty()),
                facts,
            }));
        }
        if let (Some(arrival_id), Some(host_id)) = (id("arrival_id"), id("host_id")) {
            let host = match self.store.user(host_id).await {
                Ok(u) => u,
                Err(StoreError::NotFound) => return Ok(Err(format!("host {host_id} not found"))),
                Err(e) => return Err(e),
            };
            let arrival = match self.store.arrival_for_host(host_id, arrival_id).await {
                Ok(a) => a,
                Err(StoreError::NotFound) => {
                    return Ok(Err(format!("arrival {arrival_id} not found")));
                }
                Err(e) => return Err(e),
            };
            facts.lang = host.language.unwrap_or(Lang::Ru);
            facts.guest_name = Some(format!("{} {}", arrival.given_names, arrival.surname));
            facts.arrival_confirmation = Some(arrival.confirmation_number.clone());
            facts.arrived_at = Some(arrival.arrived_at);
            facts.deadline_at = Some(arrival.deadline_at);
            facts.fine_kzt = arrival.fine_kzt;
            facts.fine_article = host
                .host_kind
                .as_deref()
                .and_then(|k| policy.late_notification_fine(k))
                .map(|f| f.article.clone());
            return Ok(Ok(Prepared {
                to: host.email.filter(|e| !e.trim().is_empty()),
                facts,
            }));
        }
        Ok(Err(format!(
            "message of kind `{}` names no application or arrival",
            m.kind
        )))
    }
}

enum Outcome {
    Done(Delivery),
    Retry { error: String, at: Timestamp },
}

/// After a temporary failure at `now`: due again after the backoff, unless that is past the
/// policy's retry time from the first try; then failed, saying so.
fn retry_or_give_up(policy: &Policy, m: &OutboxMessage, now: Timestamp, error: String) -> Outcome {
    let at = now
        .saturating_add(backoff(m.attempts, rand::random::<f64>()))
        .expect("a duration");
    let limit = SignedDuration::from_hours(i64::from(policy.timers().delivery_retry_hours));
    let deadline = m.first_tried_at.saturating_add(limit).expect("a duration");
    if at > deadline {
        Outcome::Done(Delivery::Failed {
            error: format!(
                "gave up after {} attempts over {} hours: {error}",
                m.attempts,
                policy.timers().delivery_retry_hours
            ),
        })
    } else {
        Outcome::Retry { error, at }
    }
}

/// The pause after the `attempts`-th try failed: 1, 2, 4, … minutes up to an hour, each
/// between 75 % and 125 % of that (`jitter` in `[0, 1)`), so that messages that failed
/// together do not all come back together.
pub(super) fn backoff(attempts: i64, jitter: f64) -> SignedDuration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 16)).unwrap_or(16);
    let base = FIRST_DELAY
        .checked_mul(1 << doublings)
        .unwrap_or(MAX_DELAY)
        .min(MAX_DELAY);
    base.mul_f64(0.75 + jitter.clamp(0.0, 1.0) * 0.5)
}

/// The metrics label for an outbox kind: one of the known kinds, or `other` (labels must
/// not grow with whatever a row says).
fn metric_kind(kind: &str) -> &'static str {
    MailKind::from_outbox_kind(kind).map_or("other", MailKind::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter_up_to_an_hour() {
        let secs = |attempts, jitter| backoff(attempts, jitter).as_secs();
        assert_eq!(secs(1, 0.5), 60);
        assert_eq!(secs(2, 0.5), 120);
        assert_eq!(secs(3, 0.5), 240);
        assert_eq!(secs(1, 0.0), 45);
        assert_eq!(secs(1, 0.999_999), 74);
        assert_eq!(secs(7, 0.5), 3600);
        assert_eq!(secs(40, 0.5), 3600);
        assert_eq!(secs(0, 0.5), 60);
    }

    #[test]
    fn a_temporary_failure_is_retried_until_the_policy_s_time_is_up() {
        let policy = Policy::default_kz();
        let first: Timestamp = "2026-12-01T10:00:00Z".parse().unwrap();
        let m = |attempts| OutboxMessage {
            id: 1,
            kind: "notice.receipt".into(),
            payload: serde_json::json!({}),
            created_at: first,
            attempts,
            first_tried_at: first,
        };
        let early = first + SignedDuration::from_mins(1);
        assert!(matches!(
            retry_or_give_up(&policy, &m(1), early, "451".into()),
            Outcome::Retry { .. }
        ));
        // 48 hours in the shipped policy: a failure 47.5 hours in whose next try would
        // fall after the 48th hour fails, saying why.
        let late = first + SignedDuration::from_mins(47 * 60 + 30);
        let Outcome::Done(Delivery::Failed { error }) =
            retry_or_give_up(&policy, &m(30), late, "451 try later".into())
        else {
            panic!("expected a failure")
        };
        assert!(
            error.contains("gave up after 30 attempts over 48 hours: 451 try later"),
            "{error}"
        );
    }
}
