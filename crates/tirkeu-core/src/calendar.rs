//! The working-day calendar: weekends, public holidays with the weekend transfer rule, and the
//! government's explicit transfers for each year.
//!
//! The calendar refuses dates outside the years the policy covers instead of guessing: a legal
//! deadline computed without next year's holidays would be silently wrong.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, Weekday};

/// A recurring month and day such as `03-21`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct MonthDay {
    month: i8,
    day: i8,
}

impl MonthDay {
    /// This month-day in `year`, or `None` if it does not exist that year.
    pub fn in_year(self, year: i16) -> Option<Date> {
        Date::new(year, self.month, self.day).ok()
    }
}

impl FromStr for MonthDay {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}` is not a month-day like 03-21");
        let (m, d) = s.split_once('-').ok_or_else(bad)?;
        if m.len() != 2 || d.len() != 2 {
            return Err(bad());
        }
        let month: i8 = m.parse().map_err(|_| bad())?;
        let day: i8 = d.parse().map_err(|_| bad())?;
        // Checked against a non-leap year: a holiday on 29 February would vanish three years in four.
        Date::new(2025, month, day).map_err(|_| format!("`{s}` is not a day of every year"))?;
        Ok(MonthDay { month, day })
    }
}

impl fmt::Display for MonthDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}-{:02}", self.month, self.day)
    }
}

/// Parses an English weekday name (`saturday`, case-insensitive).
pub fn parse_weekday(s: &str) -> Option<Weekday> {
    let all = [
        ("monday", Weekday::Monday),
        ("tuesday", Weekday::Tuesday),
        ("wednesday", Weekday::Wednesday),
        ("thursday", Weekday::Thursday),
        ("friday", Weekday::Friday),
        ("saturday", Weekday::Saturday),
        ("sunday", Weekday::Sunday),
    ];
    all.into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(s))
        .map(|(_, w)| w)
}

/// One public holiday as the calendar needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HolidaySpec {
    /// Days that recur every year.
    pub days: Vec<MonthDay>,
    /// Days of particular years (movable feasts).
    pub dates: Vec<Date>,
    /// Whether a holiday on a weekend moves the day off to the next working day.
    pub moves_if_weekend: bool,
}

/// The government's explicit changes for one year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Adjustment {
    /// Weekdays declared days off.
    pub days_off: Vec<Date>,
    /// Weekend days declared working days.
    pub working_days: Vec<Date>,
}

/// A date the calendar cannot answer for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the working-day calendar covers {from}–{to}; {date} is outside it (add that year's holidays to the policy)"
)]
pub struct NotCovered {
    pub date: Date,
    pub from: i16,
    pub to: i16,
}

/// Which days are working days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkCalendar {
    weekend: Vec<Weekday>,
    from: i16,
    to: i16,
    days_off: BTreeSet<Date>,
    working: BTreeSet<Date>,
}

impl WorkCalendar {
    /// Builds the calendar for the years `from..=to`.
    pub fn new(
        weekend: &[Weekday],
        from: i16,
        to: i16,
        holidays: &[HolidaySpec],
        adjustments: &[Adjustment],
    ) -> Self {
        let is_weekend = |d: Date| weekend.contains(&d.weekday());
        let mut holiday_days: Vec<(Date, bool)> = Vec::new();
        for year in from..=to {
            for h in holidays {
                let recurring = h.days.iter().filter_map(|md| md.in_year(year));
                let fixed = h.dates.iter().copied().filter(|d| d.year() == year);
                holiday_days.extend(recurring.chain(fixed).map(|d| (d, h.moves_if_weekend)));
            }
        }
        holiday_days.sort();
        let holiday_set: BTreeSet<Date> = holiday_days.iter().map(|(d, _)| *d).collect();
        let mut days_off = holiday_set.clone();
        // In date order, each holiday on a weekend gives the first following day that is
        // neither a weekend, a holiday nor already a transferred day off.
        for (day, moves) in &holiday_days {
            if !moves || !is_weekend(*day) {
                continue;
            }
            let mut d = *day;
            while let Ok(next) = d.tomorrow() {
                d = next;
                if !is_weekend(d) && !days_off.contains(&d) {
                    days_off.insert(d);
                    break;
                }
            }
        }
        let mut working = BTreeSet::new();
        for a in adjustments {
            days_off.extend(a.days_off.iter().copied());
            for d in &a.working_days {
                days_off.remove(d);
                working.insert(*d);
            }
        }
        WorkCalendar {
            weekend: weekend.to_vec(),
            from,
            to,
            days_off,
            working,
        }
    }

    /// The years covered, inclusive.
    pub fn covered_years(&self) -> (i16, i16) {
        (self.from, self.to)
    }

    /// Whether `date` is a working day.
    pub fn is_working_day(&self, date: Date) -> Result<bool, NotCovered> {
        if date.year() < self.from || date.year() > self.to {
            return Err(NotCovered {
                date,
                from: self.from,
                to: self.to,
            });
        }
        Ok(self.working.contains(&date)
            || (!self.days_off.contains(&date) && !self.weekend.contains(&date.weekday())))
    }

    /// The `n`-th working day after `date` (`date` itself not counted); `n = 0` gives `date`.
    pub fn nth_working_day_after(&self, date: Date, n: u32) -> Result<Date, NotCovered> {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d = d.tomorrow().map_err(|_| NotCovered {
                date: d,
                from: self.from,
                to: self.to,
            })?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn md(s: &str) -> MonthDay {
        s.parse().unwrap()
    }

    fn cal(adjust: &[Adjustment]) -> WorkCalendar {
        let holidays = vec![
            HolidaySpec {
                days: vec![md("01-01"), md("01-02")],
                dates: vec![],
                moves_if_weekend: true,
            },
            HolidaySpec {
                days: vec![md("01-07")],
                dates: vec![],
                moves_if_weekend: false,
            },
            HolidaySpec {
                days: vec![md("03-21"), md("03-22"), md("03-23")],
                dates: vec![],
                moves_if_weekend: true,
            },
            HolidaySpec {
                days: vec![],
                dates: vec![date(2026, 5, 27)],
                moves_if_weekend: false,
            },
        ];
        WorkCalendar::new(
            &[Weekday::Saturday, Weekday::Sunday],
            2025,
            2027,
            &holidays,
            adjust,
        )
    }

    #[test]
    fn parses_month_days() {
        assert_eq!(md("03-21").to_string(), "03-21");
        assert!("3-21".parse::<MonthDay>().is_err());
        assert!("02-29".parse::<MonthDay>().is_err());
        assert!("13-01".parse::<MonthDay>().is_err());
        assert_eq!(parse_weekday("Saturday"), Some(Weekday::Saturday));
        assert_eq!(parse_weekday("sat"), None);
    }

    #[test]
    fn weekend_holidays_move_to_the_next_free_working_day() {
        let c = cal(&[]);
        // 2027-01-02 is a Saturday: New Year's second day moves to Monday 4 January.
        // 2027-01-07 (Thursday) is a religious holiday and does not move anyway.
        assert!(!c.is_working_day(date(2027, 1, 4)).unwrap());
        assert!(c.is_working_day(date(2027, 1, 5)).unwrap());
        assert!(!c.is_working_day(date(2027, 1, 7)).unwrap());
        // Nauryz 2026: 21 March is a Saturday, 22 a Sunday, 23 a Monday (itself a holiday):
        // the two transferred days off land on Tuesday 24 and Wednesday 25.
        for d in [21, 22, 23, 24, 25] {
            assert!(!c.is_working_day(date(2026, 3, d)).unwrap(), "March {d}");
        }
        assert!(c.is_working_day(date(2026, 3, 26)).unwrap());
        // Orthodox Christmas on a Sunday (2029 would be out of range; use 2024-like check via 2025 Tuesday).
        assert!(!c.is_working_day(date(2025, 1, 7)).unwrap());
        assert!(c.is_working_day(date(2025, 1, 8)).unwrap());
    }

    #[test]
    fn adjustments_override_and_coverage_is_enforced() {
        let c = cal(&[Adjustment {
            days_off: vec![date(2025, 1, 3)],
            working_days: vec![date(2025, 1, 5)],
        }]);
        assert!(!c.is_working_day(date(2025, 1, 3)).unwrap());
        assert!(c.is_working_day(date(2025, 1, 5)).unwrap());
        assert!(c.is_working_day(date(2024, 12, 31)).is_err());
        let err = c.nth_working_day_after(date(2027, 12, 30), 3).unwrap_err();
        assert_eq!(err.date, date(2028, 1, 1));
        assert!(err.to_string().contains("covers 2025–2027"));
    }

    #[test]
    fn counts_working_days_after_a_date() {
        let c = cal(&[]);
        // Friday 2026-05-22 + 3 working days: Mon 25, Tue 26, (Wed 27 Kurban Ait), Thu 28.
        assert_eq!(
            c.nth_working_day_after(date(2026, 5, 22), 3).unwrap(),
            date(2026, 5, 28)
        );
        assert_eq!(
            c.nth_working_day_after(date(2026, 5, 22), 0).unwrap(),
            date(2026, 5, 22)
        );
    }
}
