//! The arrival-notification deadline: N hours after arrival, or the end of the N-th working day
//! after the day of arrival in the authority's time zone.

use std::fmt;
use std::str::FromStr;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ZonedDateTime};
use serde::{Deserialize, Serialize};

use crate::calendar::{NotCovered, WorkCalendar};

/// How long a host has to notify an arrival.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum DeadlineRule {
    /// A number of hours from the arrival instant (the source guide's 72 hours).
    Hours(u32),
    /// To the end of the N-th working day after the day of arrival (current Kazakh law: 3).
    WorkingDays(u32),
}

impl fmt::Display for DeadlineRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DeadlineRule::Hours(h) => write!(f, "{h}h"),
            DeadlineRule::WorkingDays(d) => write!(f, "{d}wd"),
        }
    }
}

impl FromStr for DeadlineRule {
    type Err = String;

    /// `72h` or `3wd`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a rule like 72h (hours) or 3wd (working days)");
        let s = s.trim();
        let (num, rule): (&str, fn(u32) -> DeadlineRule) = if let Some(n) = s.strip_suffix("wd") {
            (n, DeadlineRule::WorkingDays)
        } else if let Some(n) = s.strip_suffix('h') {
            (n, DeadlineRule::Hours)
        } else {
            return Err(bad());
        };
        let n: u32 = num.parse().map_err(|_| bad())?;
        if n == 0 || n > 10_000 {
            return Err(format!("`{s}`: the number must be between 1 and 10000"));
        }
        Ok(rule(n))
    }
}

/// Why a deadline could not be computed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error(transparent)]
    Calendar(#[from] NotCovered),
    #[error("the deadline falls outside the supported range of dates")]
    OutOfRange,
}

/// The last instant at which a notification of an arrival at `arrival` is on time, in `tz`.
///
/// With working days, the deadline is 23:59:59.999999999 local time of the N-th working day
/// after the local day of arrival, so any notification within that second is on time; it is
/// printed to the second.
pub fn notification_deadline(
    rule: DeadlineRule,
    arrival: Timestamp,
    tz: &TimeZone,
    calendar: &WorkCalendar,
) -> Result<ZonedDateTime, DeadlineError> {
    match rule {
        DeadlineRule::Hours(h) => arrival
            .checked_add(SignedDuration::from_hours(i64::from(h)))
            .map(|t| t.to_zoned_datetime(tz.clone()))
            .map_err(|_| DeadlineError::OutOfRange),
        DeadlineRule::WorkingDays(n) => {
            let arrival_day = arrival.to_zoned_datetime(tz.clone()).date();
            let last_day = calendar.nth_working_day_after(arrival_day, n)?;
            last_day
                .at(23, 59, 59, 999_999_999)
                .to_zoned_datetime(tz.clone())
                .map_err(|_| DeadlineError::OutOfRange)
        }
    }
}

/// Whether a notification at `notified` misses `deadline`.
pub fn is_late(deadline: &ZonedDateTime, notified: Timestamp) -> bool {
    notified > deadline.timestamp()
}

/// RFC 3339 with the local offset and whole seconds, e.g. `2026-03-04T23:59:59+05:00`.
pub fn rfc3339(z: &ZonedDateTime) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::HolidaySpec;
    use jiff::civil::{Weekday, date};

    fn almaty() -> TimeZone {
        TimeZone::get("Asia/Almaty").unwrap()
    }

    fn calendar() -> WorkCalendar {
        WorkCalendar::new(
            &[Weekday::Saturday, Weekday::Sunday],
            2024,
            2026,
            &[HolidaySpec {
                days: vec!["03-08".parse().unwrap()],
                dates: vec![],
                moves_if_weekend: true,
            }],
            &[],
        )
    }

    #[test]
    fn parses_rules() {
        assert_eq!("72h".parse(), Ok(DeadlineRule::Hours(72)));
        assert_eq!("3wd".parse(), Ok(DeadlineRule::WorkingDays(3)));
        assert!("3d".parse::<DeadlineRule>().is_err());
        assert!("0h".parse::<DeadlineRule>().is_err());
        assert!("h".parse::<DeadlineRule>().is_err());
        assert_eq!(DeadlineRule::WorkingDays(3).to_string(), "3wd");
    }

    #[test]
    fn hours_rule_adds_hours_to_the_instant() {
        let arrival: Timestamp = "2026-03-06T22:30:00+05:00".parse().unwrap();
        let d = notification_deadline(DeadlineRule::Hours(72), arrival, &almaty(), &calendar())
            .unwrap();
        assert_eq!(rfc3339(&d), "2026-03-09T22:30:00+05:00");
    }

    #[test]
    fn working_days_rule_skips_weekends_and_holidays_in_local_time() {
        // Friday 6 March 2026, 22:30 local; Sat 7, Sun 8 (Women's Day on a Sunday → Mon 9 off).
        let arrival: Timestamp = "2026-03-06T17:30:00Z".parse().unwrap();
        let d = notification_deadline(
            DeadlineRule::WorkingDays(3),
            arrival,
            &almaty(),
            &calendar(),
        )
        .unwrap();
        assert_eq!(rfc3339(&d), "2026-03-12T23:59:59+05:00");
        assert!(!is_late(&d, "2026-03-12T18:59:59.5Z".parse().unwrap()));
        assert!(is_late(&d, "2026-03-12T19:00:00Z".parse().unwrap()));
    }

    #[test]
    fn uses_the_offset_in_force_on_the_day() {
        // Kazakhstan moved from UTC+6 to UTC+5 on 2024-03-01.
        // 2024-02-26 20:00Z is 27 Feb 02:00 at +06:00: the local day is Tuesday 27 February.
        let arrival: Timestamp = "2024-02-26T20:00:00Z".parse().unwrap();
        let d = notification_deadline(
            DeadlineRule::WorkingDays(3),
            arrival,
            &almaty(),
            &calendar(),
        )
        .unwrap();
        // Wed 28, Thu 29, Fri 1 March, which is already at +05:00.
        assert_eq!(d.date(), date(2024, 3, 1));
        assert_eq!(rfc3339(&d), "2024-03-01T23:59:59+05:00");
        // Two days earlier the deadline is still at +06:00.
        let early: Timestamp = "2024-02-20T06:00:00Z".parse().unwrap();
        let d = notification_deadline(DeadlineRule::WorkingDays(1), early, &almaty(), &calendar())
            .unwrap();
        assert_eq!(rfc3339(&d), "2024-02-21T23:59:59+06:00");
    }

    #[test]
    fn outside_the_calendar_is_an_error() {
        let arrival: Timestamp = "2026-12-30T10:00:00Z".parse().unwrap();
        let err = notification_deadline(
            DeadlineRule::WorkingDays(3),
            arrival,
            &almaty(),
            &calendar(),
        )
        .unwrap_err();
        assert!(matches!(err, DeadlineError::Calendar(_)));
    }
}
