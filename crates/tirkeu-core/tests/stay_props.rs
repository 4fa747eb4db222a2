//! Property tests: `calculate` against a brute-force reference that follows the definitions day
//! by day, plus invariants that hold for any input.

use jiff::civil::{Date, date};
use proptest::prelude::*;
use tirkeu_core::stay::{Stay, StayRule, calculate};

mod stay_reference;
use stay_reference::{add, reference};

fn rule() -> impl Strategy<Value = StayRule> {
    (2_u32..=120)
        .prop_flat_map(|window| (1..window, Just(window), prop::option::of(1_u32..=100)))
        .prop_map(|(limit_days, window_days, per_entry_days)| StayRule {
            limit_days,
            window_days,
            per_entry_days,
        })
}

/// Valid inputs in a small range: overlapping, touching, open and future-reaching stays.
fn case() -> impl Strategy<Value = (StayRule, Vec<Stay>, Date, Option<Date>)> {
    let base = date(2026, 1, 1);
    (
        rule(),
        prop::collection::vec((0_i64..300, 0_i64..90), 0..8),
        any::<bool>(),
        0_i64..150,
        0_u8..3,
        prop::option::of(0_i64..150),
    )
        .prop_map(
            move |(rule, raw, open_last, on_extra, on_mode, until_extra)| {
                let mut stays: Vec<Stay> = raw
                    .iter()
                    .map(|&(start, len)| Stay {
                        entry: add(base, start),
                        exit: Some(add(base, start + len)),
                    })
                    .collect();
                let latest = raw.iter().map(|&(start, _)| start).max().unwrap_or(0);
                if open_last
                    && let Some(s) = stays.iter_mut().find(|s| s.entry == add(base, latest))
                {
                    s.exit = None;
                }
                // Edge cases get their share: control on the day after the last exit (a re-entry
                // that joins that run) or on the last exit itself.
                let last_exit = raw
                    .iter()
                    .map(|&(start, len)| start + len)
                    .max()
                    .unwrap_or(0);
                let on = match on_mode {
                    0 => add(base, latest + on_extra),
                    1 => add(base, latest.max(last_exit + 1)),
                    _ => add(base, latest.max(last_exit)),
                };
                let until = until_extra.map(|u| add(on, u));
                (rule, stays, on, until)
            },
        )
}

/// The same presence with every open stay closed on `on`, so that stays can be appended.
fn closed(stays: &[Stay], on: Date) -> Vec<Stay> {
    stays
        .iter()
        .map(|s| Stay {
            entry: s.entry,
            exit: Some(s.exit.unwrap_or(on)),
        })
        .collect()
}

fn any_date() -> impl Strategy<Value = Date> {
    (-9999_i16..=9999, 1_i8..=12, 1_i8..=31).prop_map(|(y, m, d)| {
        let first = Date::new(y, m, 1).unwrap();
        Date::new(y, m, d.min(first.days_in_month())).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn matches_the_reference((rule, stays, on, until) in case()) {
        let got = calculate(&rule, &stays, on, until).unwrap();
        prop_assert_eq!(got, reference(&rule, &stays, on, until));
    }

    #[test]
    fn used_and_left_add_up((rule, stays, on, until) in case()) {
        let r = calculate(&rule, &stays, on, until).unwrap();
        prop_assert!(r.days_used + r.days_left >= rule.limit_days);
        prop_assert!(r.days_left <= rule.limit_days);
        prop_assert_eq!(r.days_left == 0, r.days_used >= rule.limit_days);
        prop_assert!(r.days_used <= rule.window_days);
        if let Some(last) = r.last_legal_day {
            prop_assert!(last >= on);
            prop_assert!(r.days_used <= rule.limit_days);
        }
    }

    /// Staying through the last legal day adds no overstay; one more day does.
    #[test]
    fn last_legal_day_is_tight((rule, stays, on, _until) in case()) {
        let r = calculate(&rule, &stays, on, None).unwrap();
        let with = |exit: Date| {
            let mut more = closed(&stays, on);
            more.push(Stay { entry: on, exit: Some(exit) });
            calculate(&rule, &more, exit, None).unwrap()
        };
        if let Some(last) = r.last_legal_day {
            prop_assert_eq!(with(last).overstay_days, r.overstay_days);
            prop_assert!(with(add(last, 1)).overstay_days > r.overstay_days);
        } else {
            // Already over on `on`: being present on `on` is itself an overstay day.
            let already_present = r.current_entry.is_some();
            prop_assert!(!already_present || r.overstay_days >= 1);
            prop_assert_eq!(
                with(on).overstay_days,
                r.overstay_days + u32::from(!already_present)
            );
        }
    }

    #[test]
    fn needs_card_follows_the_plan((rule, stays, on, until) in case()) {
        let r = calculate(&rule, &stays, on, until).unwrap();
        prop_assert_eq!(r.planned_until, until);
        match (r.last_legal_day, until) {
            (None, _) => prop_assert!(r.needs_card),
            (Some(last), Some(u)) => prop_assert_eq!(r.needs_card, u > last),
            (Some(_), None) => prop_assert!(!r.needs_card),
        }
    }

    /// Any dates in jiff's range, any numbers: an answer or an error, never a panic.
    #[test]
    fn never_panics(
        limit in any::<u32>(),
        window in any::<u32>(),
        per_entry in prop::option::of(any::<u32>()),
        stays in prop::collection::vec((any_date(), prop::option::of(any_date())), 0..6),
        on in any_date(),
        until in prop::option::of(any_date()),
    ) {
        let rule = StayRule { limit_days: limit, window_days: window, per_entry_days: per_entry };
        let stays: Vec<Stay> =
            stays.into_iter().map(|(entry, exit)| Stay { entry, exit }).collect();
        if let Ok(r) = calculate(&rule, &stays, on, until) {
            prop_assert!(r.days_used + r.days_left >= limit);
            prop_assert!(r.last_legal_day.is_none_or(|d| d >= on));
        }
    }

    /// Valid stays spread over the whole date range, with big rules: never a panic.
    #[test]
    fn never_panics_on_valid_far_dates(
        window in 2_u32..,
        limit_fraction in 0.0_f64..1.0,
        per_entry in prop::option::of(1_u32..),
        bounds in prop::collection::vec((any_date(), any_date()), 0..6),
        on in any_date(),
    ) {
        // Truncation is the point: any limit in 1..window.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let limit = ((f64::from(window - 1) * limit_fraction) as u32).clamp(1, window - 1);
        let rule = StayRule { limit_days: limit, window_days: window, per_entry_days: per_entry };
        let stays: Vec<Stay> = bounds
            .into_iter()
            .map(|(a, b)| Stay { entry: a.min(b).min(on), exit: Some(a.max(b)) })
            .collect();
        match calculate(&rule, &stays, on, None) {
            Ok(r) => prop_assert!(r.days_used + r.days_left >= limit),
            Err(e) => prop_assert_eq!(e.field(), "on"),
        }
    }

    #[test]
    fn parse_never_panics(s in "\\PC*") {
        let _ = Stay::parse(&s);
    }

    #[test]
    fn parse_round_trips(entry in any_date(), exit in prop::option::of(any_date())) {
        let stay = Stay { entry, exit };
        prop_assert_eq!(Stay::parse(&stay.to_string()), Ok(stay));
    }
}
