//! The stay rules' definitions, literally, one day at a time: the reference the calculator is
//! compared with in the property tests, and the baseline of its benchmark.

use std::collections::BTreeSet;

use jiff::Span;
use jiff::civil::Date;
use tirkeu_core::stay::{Stay, StayReport, StayRule};

pub fn add(d: Date, days: i64) -> Date {
    d.checked_add(Span::new().days(days)).unwrap()
}

/// The definitions, literally, one day at a time. Slow (days × window) and obviously right.
pub fn reference(rule: &StayRule, stays: &[Stay], on: Date, until: Option<Date>) -> StayReport {
    let mut presence = BTreeSet::new();
    for s in stays {
        let end = s.exit.unwrap_or(on).min(on);
        let mut d = s.entry;
        while d <= end {
            presence.insert(d);
            d = add(d, 1);
        }
    }
    let limit = rule.limit_days;
    let in_p = |d: Date| presence.contains(&d);
    let in_p_ahead = |d: Date| presence.contains(&d) || d >= on;
    let count = |present: &dyn Fn(Date) -> bool, d: Date| {
        let n = (0..i64::from(rule.window_days))
            .filter(|&k| present(add(d, -k)))
            .count();
        u32::try_from(n).unwrap()
    };
    let run_start = |present: &dyn Fn(Date) -> bool, d: Date| {
        let mut start = d;
        while present(add(start, -1)) {
            start = add(start, -1);
        }
        start
    };
    // Position of `d` in its run, 1 for the entry day.
    let run_day = |present: &dyn Fn(Date) -> bool, d: Date| {
        let mut n = 1;
        let mut x = d;
        while present(add(x, -1)) {
            n += 1;
            x = add(x, -1);
        }
        n
    };

    let days_used = count(&in_p, on);
    let days_left = limit.saturating_sub(days_used);
    let overstay_days = presence
        .iter()
        .filter(|&&d| {
            count(&in_p, d) > limit || rule.per_entry_days.is_some_and(|m| run_day(&in_p, d) > m)
        })
        .count();

    let last_legal_day = if count(&in_p_ahead, on) > limit {
        None
    } else {
        let mut last = on;
        while count(&in_p_ahead, add(last, 1)) <= limit {
            last = add(last, 1);
        }
        if let Some(m) = rule.per_entry_days {
            let cap = add(run_start(&in_p_ahead, on), i64::from(m) - 1);
            last = last.min(cap);
        }
        (last >= on).then_some(last)
    };
    let needs_card = match last_legal_day {
        None => true,
        Some(last) => until.is_some_and(|u| u > last),
    };
    let current_entry = in_p(on).then(|| run_start(&in_p, on));
    StayReport {
        on,
        rule: *rule,
        days_used,
        days_left,
        overstay_days: u32::try_from(overstay_days).unwrap(),
        last_legal_day,
        needs_card,
        planned_until: until,
        current_entry,
    }
}
