//! Properties of the arrival-notification deadline under the default policy's calendar.

use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use tirkeu_core::deadline::{DeadlineRule, is_late, rfc3339};
use tirkeu_core::policy::Policy;

fn policy() -> &'static Policy {
    static P: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    P.get_or_init(Policy::default_kz)
}

/// Instants from 2025-01-01 to 2027-12-20 (the calendar covers 2025–2027).
fn arrival() -> impl Strategy<Value = Timestamp> {
    let start = "2025-01-01T00:00:00+05:00"
        .parse::<Timestamp>()
        .unwrap()
        .as_second();
    let end = "2027-12-20T00:00:00+05:00"
        .parse::<Timestamp>()
        .unwrap()
        .as_second();
    (start..end).prop_map(|s| Timestamp::from_second(s).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn working_day_deadlines_end_a_working_day_n_working_days_later(a in arrival(), n in 1u32..6) {
        let p = policy();
        let d = p.notification_deadline(a, Some(DeadlineRule::WorkingDays(n))).unwrap();
        let cal = p.calendar();
        let arrival_day = a.to_zoned_datetime(p.time_zone().clone()).date();
        prop_assert!(d.timestamp() > a);
        prop_assert_eq!((d.hour(), d.minute(), d.second()), (23, 59, 59));
        prop_assert!(cal.is_working_day(d.date()).unwrap());
        // Exactly n working days in (arrival day, deadline day].
        let mut count = 0;
        let mut day = arrival_day.tomorrow().unwrap();
        while day <= d.date() {
            if cal.is_working_day(day).unwrap() { count += 1; }
            day = day.tomorrow().unwrap();
        }
        prop_assert_eq!(count, n);
        // On time until the deadline, late one second after.
        prop_assert!(!is_late(&d, d.timestamp()));
        prop_assert!(is_late(&d, d.timestamp() + SignedDuration::from_secs(1)));
        // Printed with the local offset: +05:00 throughout 2025–2027.
        prop_assert!(rfc3339(&d).ends_with("23:59:59+05:00"));
    }

    #[test]
    fn hour_deadlines_are_exact(a in arrival(), h in 1u32..200) {
        let d = policy().notification_deadline(a, Some(DeadlineRule::Hours(h))).unwrap();
        prop_assert_eq!(d.timestamp().duration_since(a), SignedDuration::from_hours(i64::from(h)));
    }

    #[test]
    fn later_arrivals_never_get_earlier_deadlines(a in arrival(), extra in 0i64..400_000, n in 1u32..5) {
        let p = policy();
        let b = a + SignedDuration::from_secs(extra);
        let da = p.notification_deadline(a, Some(DeadlineRule::WorkingDays(n))).unwrap();
        let db = p.notification_deadline(b, Some(DeadlineRule::WorkingDays(n))).unwrap();
        prop_assert!(da.timestamp() <= db.timestamp());
    }
}

/// Worked examples with the Kazakh 2026 calendar (egov.kz holiday calendar for 2026).
#[test]
fn worked_examples_2026() {
    let p = policy();
    let deadline = |arrival: &str| {
        rfc3339(
            &p.notification_deadline(arrival.parse().unwrap(), None)
                .unwrap(),
        )
    };
    // Arrival Thursday 19 March 2026: Fri 20 is a working day; 21–25 March are Nauryz days
    // off (21 and 22 on a weekend move to 24 and 25); then Thu 26, Fri 27.
    assert_eq!(
        deadline("2026-03-19T10:00:00+05:00"),
        "2026-03-27T23:59:59+05:00"
    );
    // Arrival late on Friday 5 June 2026: Mon 8, Tue 9, Wed 10.
    assert_eq!(
        deadline("2026-06-05T23:30:00+05:00"),
        "2026-06-10T23:59:59+05:00"
    );
    // The local day decides: 18:30Z on Thursday 4 June is 23:30 Thursday in Almaty (Fri 5,
    // Mon 8, Tue 9), 19:30Z is already Friday 00:30 (Mon 8, Tue 9, Wed 10).
    assert_eq!(
        deadline("2026-06-04T18:30:00Z"),
        "2026-06-09T23:59:59+05:00"
    );
    assert_eq!(
        deadline("2026-06-04T19:30:00Z"),
        "2026-06-10T23:59:59+05:00"
    );
    // Arrival Tuesday 26 May 2026, the eve of Kurban Ait (Wed 27 is off): Thu 28, Fri 29, Mon 1 June.
    assert_eq!(
        deadline("2026-05-26T12:00:00+05:00"),
        "2026-06-01T23:59:59+05:00"
    );
}

fn is_working_day(y: i16, m: i8, d: i8) -> bool {
    policy()
        .calendar()
        .is_working_day(jiff::civil::date(y, m, d))
        .unwrap()
}

/// 30 August stopped being Constitution Day with the Constitution adopted on 15 March 2026
/// (Ministry of Labour, 18 March 2026): its weekend move to Monday 31 August 2026 is gone.
#[test]
fn monday_31_august_2026_is_a_working_day() {
    assert!(is_working_day(2026, 8, 31));
    // It was still a holiday in 2025: Saturday 30 August moved to Monday 1 September.
    assert!(!is_working_day(2025, 9, 1));
}

#[test]
fn arrival_27_august_2026_notified_2_september_is_late() {
    let p = policy();
    // Thursday 27 August: Fri 28, Mon 31, Tue 1 September.
    let a = p
        .assess_notification(
            "2026-08-27T10:00:00+05:00".parse().unwrap(),
            Some("2026-09-02T10:00:00+05:00".parse().unwrap()),
            "individual",
            None,
        )
        .unwrap();
    assert_eq!(rfc3339(&a.deadline), "2026-09-01T23:59:59+05:00");
    assert!(a.late);
    assert!(a.fine.is_some());
}

/// Constitution Day on 15 March, a day off from 2027.
#[test]
fn monday_15_march_2027_is_a_day_off() {
    assert!(!is_working_day(2027, 3, 15));
    // Arrival Friday 12 March 2027: (Mon 15 off) Tue 16, Wed 17, Thu 18.
    let d = policy()
        .notification_deadline("2027-03-12T10:00:00+05:00".parse().unwrap(), None)
        .unwrap();
    assert_eq!(rfc3339(&d), "2027-03-18T23:59:59+05:00");
}

/// The referendum day, Sunday 15 March 2026, was not yet a holiday: no day off moves to Monday.
#[test]
fn monday_16_march_2026_is_not_moved_for_constitution_day() {
    assert!(!is_working_day(2026, 3, 15));
    assert!(is_working_day(2026, 3, 16));
    assert!(is_working_day(2027, 3, 16));
}
