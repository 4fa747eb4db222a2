//! The statistics model: [`build`] is the one function that counts, and the JSON API
//! (`GET /api/v1/stats`), the dashboard and public statistics pages and their CSV files all
//! show what it answers, so a chart, its table, its CSV file and the API cannot disagree.
//!
//! Aggregates only: counts by card type, state and month, never a case or a person.

use std::collections::BTreeMap;
use std::sync::Arc;

use jiff::{Timestamp, ToSpan};
use serde::Serialize;
use tirkeu_core::lifecycle::State;
use tirkeu_core::policy::Policy;
use tirkeu_store::{Dashboard, DashboardQuery, Store, with_store};
use utoipa::ToSchema;

use crate::state::App;

/// Processing times count the cases decided in the last this many days.
pub const WINDOW_DAYS: i64 = 365;
/// Cards count as expiring when their last valid day is within this many days of today.
pub const EXPIRING_DAYS: i64 = 30;
/// Late arrivals are shown for this many calendar months, the current one last.
pub const MONTHS: i32 = 12;

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TypeStats {
    pub permit_type: String,
    /// Cases of this type in each state (states without cases are left out).
    pub by_status: BTreeMap<String, i64>,
}

/// Processing times of one card type, from submission to approval or refusal.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TypeProcessing {
    pub permit_type: String,
    /// Cases decided in the window.
    pub decided: i64,
    /// Median processing time in days (whole days, rounded up); `null` when none was decided.
    pub p50_days: Option<i64>,
    /// 90th percentile (nearest rank) in days; `null` when none was decided.
    pub p90_days: Option<i64>,
    /// The policy's processing target for the type, in working days.
    pub target_working_days: u32,
    /// Of the decided cases, those decided by their due time (the target from submission).
    pub on_time: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ProcessingStats {
    /// The window of decision instants: from (inclusive) …
    pub decided_from: String,
    /// … until (inclusive), the time of the statistics.
    pub decided_until: String,
    pub window_days: i64,
    /// Every card type of the policy, in its order.
    pub card_types: Vec<TypeProcessing>,
}

/// Arrival notifications received in one calendar month (the policy's time zone).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct MonthArrivals {
    /// `YYYY-MM`.
    pub month: String,
    pub arrivals: i64,
    /// Of those, notified after the deadline.
    pub late: i64,
}

#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct TypeCount {
    pub permit_type: String,
    pub cards: i64,
}

/// Issued cards whose last valid day falls between `from` and `until`, both inclusive.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ExpiringStats {
    pub from: String,
    pub until: String,
    /// Every card type of the policy, in its order.
    pub card_types: Vec<TypeCount>,
}

/// Aggregate statistics: the backlog, processing times, arrivals and expiring cards.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct StatsResponse {
    /// Cases by card type and state, all time.
    pub card_types: Vec<TypeStats>,
    /// Arrival notifications, all time.
    pub arrivals: i64,
    /// Of those, notified after the deadline.
    pub late_arrivals: i64,
    pub generated_at: String,
    pub processing: ProcessingStats,
    /// The last twelve calendar months, oldest first, the current month last.
    pub late_arrivals_by_month: Vec<MonthArrivals>,
    pub expiring: ExpiringStats,
}

impl StatsResponse {
    /// Open cases (the backlog) in each open state, in the lifecycle's order, all card types
    /// together.
    pub fn backlog_by_state(&self) -> Vec<(State, i64)> {
        backlog_states()
            .into_iter()
            .map(|s| {
                let n = self
                    .card_types
                    .iter()
                    .filter_map(|t| t.by_status.get(s.as_str()))
                    .sum();
                (s, n)
            })
            .collect()
    }

    /// Open cases (drafts left out: nobody works on them) of each card type of the policy.
    pub fn backlog_by_type(&self, policy: &Policy) -> Vec<(String, i64)> {
        let open = backlog_states();
        policy
            .doc()
            .permit_types
            .iter()
            .map(|p| {
                let n = self
                    .card_types
                    .iter()
                    .filter(|t| t.permit_type == p.id)
                    .flat_map(|t| open.iter().filter_map(|s| t.by_status.get(s.as_str())))
                    .sum();
                (p.id.clone(), n)
            })
            .collect()
    }
}

/// The states of the backlog: the open ones but drafts, which nobody works on yet.
pub fn backlog_states() -> Vec<State> {
    State::ALL
        .iter()
        .copied()
        .filter(|s| s.is_open() && *s != State::Draft)
        .collect()
}

/// The value at percentile `p` (nearest rank: the smallest value with at least `p` % of the
/// observations at or below it) of a histogram of `(value, count)` sorted by value.
pub fn percentile(histogram: &[(i64, i64)], p: i64) -> Option<i64> {
    let n: i64 = histogram.iter().map(|(_, c)| c).sum();
    if n == 0 {
        return None;
    }
    let rank = (p * n + 99) / 100;
    let mut seen = 0;
    histogram.iter().find_map(|&(v, c)| {
        seen += c;
        (seen >= rank.max(1)).then_some(v)
    })
}

/// What the store is asked for at `now`, in the policy's time zone.
pub fn query(policy: &Policy, now: Timestamp) -> DashboardQuery {
    let tz = policy.time_zone();
    let zoned = now.to_zoned_datetime(tz.clone());
    let today = zoned.date();
    let this_month = today.first_of_month();
    let months = (0..=MONTHS)
        .map(|i| {
            let start = this_month
                .checked_add((i - MONTHS + 1).months())
                .unwrap_or(this_month);
            start
                .to_zoned_datetime(tz.clone())
                .map_or(now, |z| z.timestamp())
        })
        .collect();
    DashboardQuery {
        decided_from: now
            .checked_sub(jiff::SignedDuration::from_hours(WINDOW_DAYS * 24))
            .unwrap_or(now),
        decided_until: now,
        expiring_from: today,
        expiring_until: today.checked_add(EXPIRING_DAYS.days()).unwrap_or(today),
        months,
    }
}

/// The statistics as the pages and the API show them, with the instant they were counted:
/// counted afresh when the last count is older than `ServerConfig::stats_max_age` (or the
/// policy changed), else the last count again.
///
/// On a million cases a count takes about a second of database time, and the public page and
/// `GET /api/v1/stats` need no sign-in: counting on every request would let anyone keep the
/// database busy. One count at a time runs (the others wait for it and share its answer), so
/// a burst of requests costs one count, and every door shows the same figures.
pub async fn current(app: &App) -> tirkeu_store::Result<(Timestamp, StatsResponse)> {
    let policy = app.policy();
    let mut cached = app.stats.lock().await;
    if let Some(c) = cached.as_ref()
        && c.taken.elapsed() < app.config.stats_max_age
        && Arc::ptr_eq(&c.policy, &policy)
    {
        return Ok((c.at, c.value.clone()));
    }
    let now = app.now();
    let value = with_store!(&app.store, s => build(s, &policy, now).await?);
    *cached = Some(Counted {
        taken: std::time::Instant::now(),
        at: now,
        policy,
        value: value.clone(),
    });
    Ok((now, value))
}

/// The last count of [`current`].
pub struct Counted {
    taken: std::time::Instant,
    at: Timestamp,
    policy: Arc<Policy>,
    value: StatsResponse,
}

/// The statistics at `now` under `policy`: the one place they are counted.
pub async fn build<S: Store>(
    store: &S,
    policy: &Policy,
    now: Timestamp,
) -> tirkeu_store::Result<StatsResponse> {
    let q = query(policy, now);
    let d = store.dashboard(&q).await?;
    Ok(model(&d, &q, policy, now))
}

fn model(d: &Dashboard, q: &DashboardQuery, policy: &Policy, now: Timestamp) -> StatsResponse {
    let mut card_types: Vec<TypeStats> = Vec::new();
    for (t, state, n) in &d.by_type_and_state {
        match card_types.iter_mut().find(|x| x.permit_type == *t) {
            Some(x) => {
                x.by_status.insert(state.to_string(), *n);
            }
            None => card_types.push(TypeStats {
                permit_type: t.clone(),
                by_status: [(state.to_string(), *n)].into(),
            }),
        }
    }
    let types = &policy.doc().permit_types;
    let processing = types
        .iter()
        .map(|p| {
            let histogram: Vec<(i64, i64)> = d
                .decided_days
                .iter()
                .filter(|(t, _, _)| *t == p.id)
                .map(|&(_, days, n)| (days, n))
                .collect();
            TypeProcessing {
                permit_type: p.id.clone(),
                decided: histogram.iter().map(|(_, n)| n).sum(),
                p50_days: percentile(&histogram, 50),
                p90_days: percentile(&histogram, 90),
                target_working_days: p.processing_days,
                on_time: count_of(&d.decided_on_time, &p.id),
            }
        })
        .collect();
    let tz = policy.time_zone();
    let late_arrivals_by_month = q
        .months
        .iter()
        .zip(&d.arrivals_by_month)
        .map(|(start, &(arrivals, late))| MonthArrivals {
            month: start
                .to_zoned_datetime(tz.clone())
                .strftime("%Y-%m")
                .to_string(),
            arrivals,
            late,
        })
        .collect();
    StatsResponse {
        card_types,
        arrivals: d.arrivals,
        late_arrivals: d.late_arrivals,
        generated_at: now.to_string(),
        processing: ProcessingStats {
            decided_from: q.decided_from.to_string(),
            decided_until: q.decided_until.to_string(),
            window_days: WINDOW_DAYS,
            card_types: processing,
        },
        late_arrivals_by_month,
        expiring: ExpiringStats {
            from: q.expiring_from.to_string(),
            until: q.expiring_until.to_string(),
            card_types: types
                .iter()
                .map(|p| TypeCount {
                    permit_type: p.id.clone(),
                    cards: count_of(&d.expiring, &p.id),
                })
                .collect(),
        },
    }
}

fn count_of(counts: &[(String, i64)], permit_type: &str) -> i64 {
    counts
        .iter()
        .find(|(t, _)| t == permit_type)
        .map_or(0, |(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_by_nearest_rank() {
        assert_eq!(percentile(&[], 50), None);
        assert_eq!(percentile(&[(3, 1)], 50), Some(3));
        assert_eq!(percentile(&[(3, 1)], 90), Some(3));
        // 1, 2, 3, 4, 5, 6, 7, 8, 9, 10: the median is the 5th, the 90th percentile the 9th.
        let ten: Vec<(i64, i64)> = (1..=10).map(|d| (d, 1)).collect();
        assert_eq!(percentile(&ten, 50), Some(5));
        assert_eq!(percentile(&ten, 90), Some(9));
        // 2, 2, 2, 7, 30: the 3rd and the 5th (ceil(4.5)).
        assert_eq!(percentile(&[(2, 3), (7, 1), (30, 1)], 50), Some(2));
        assert_eq!(percentile(&[(2, 3), (7, 1), (30, 1)], 90), Some(30));
    }

    #[test]
    fn the_windows_are_in_the_policy_time_zone() {
        let p = Policy::default_kz();
        // 20:00 UTC on 31 January is already 1 February in Almaty (UTC+5).
        let now: Timestamp = "2027-01-31T20:00:00Z".parse().unwrap();
        let q = query(&p, now);
        assert_eq!(q.expiring_from, jiff::civil::date(2027, 2, 1));
        assert_eq!(q.expiring_until, jiff::civil::date(2027, 3, 3));
        assert_eq!(q.months.len(), 13);
        assert_eq!(
            q.months[12],
            "2027-02-28T19:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(
            q.months[11],
            "2027-01-31T19:00:00Z".parse::<Timestamp>().unwrap()
        );
        assert_eq!(
            q.months[0],
            "2026-02-28T19:00:00Z".parse::<Timestamp>().unwrap()
        );
    }
}
