//! Stay calculator: the "`limit` days in any `window` days" family of rules (the Schengen-style
//! 90/180 rule), optionally with a cap on the length of one continuous stay (e.g. 30 days per
//! entry).
//!
//! Dates are whole civil days; the entry day and the exit day both count as days of stay.
//! The definitions that this module implements exactly (and that the tests check day by day
//! against a brute-force reference) are:
//!
//! - presence `P` is the union of the inclusive `[entry, exit]` ranges, cut at the control date
//!   `on` (an open stay lasts through `on`; days after `on` are in the future and not counted);
//! - `count(d)` is the number of days of `P` in `[d - window + 1, d]`;
//! - `days_used = count(on)`, `days_left = max(0, limit - days_used)`;
//! - `overstay_days` counts the days `d ≤ on` of `P` with `count(d) > limit` or, with a per-entry
//!   cap `M`, beyond the `M`-th day of their run (a maximal run of consecutive days of `P`);
//! - `last_legal_day` is the last day `D ≥ on` such that, present on every day from `on`,
//!   `count(d) ≤ limit` for all `d` in `[on, D]`, also capped at `E + M - 1` where `E` is the
//!   start of the run that `on` is (or joins) part of.
//!
//! Why no day bitmap: a bitmap costs memory and time in the span of the dates, which an
//! adversarial (or merely odd) input can stretch to the whole ±9999-year range of `jiff`.
//! Instead the stays are merged into runs with cumulative lengths, so the number of present days
//! up to any day is a binary search away, and two facts make every answer a binary search:
//! inside a run, `count` never decreases (each new day adds one and drops at most one), and the
//! same holds from `on` onward when presence is assumed. The cost is O(n log n) in the number of
//! stays, independent of the dates and of the window.

use crate::problem::FieldProblem;
use std::fmt;
use std::str::FromStr;

use jiff::Span;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A stay rule: at most `limit_days` days of presence in any `window_days` consecutive days,
/// and, if set, at most `per_entry_days` consecutive days per entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StayRule {
    /// Maximum number of days of presence in any window (90 in the Schengen rule).
    pub limit_days: u32,
    /// Length of the rolling window in days (180 in the Schengen rule); must exceed the limit.
    pub window_days: u32,
    /// Maximum length of one continuous stay, if the rule has one (e.g. 30 days per entry).
    pub per_entry_days: Option<u32>,
}

impl StayRule {
    /// Checks that the rule can bind: limit and window at least one day, limit below window,
    /// per-entry cap (if any) at least one day.
    pub fn validate(&self) -> Result<(), StayError> {
        if self.limit_days == 0 {
            return Err(StayError::ZeroLimit);
        }
        if self.window_days == 0 {
            return Err(StayError::ZeroWindow);
        }
        if self.limit_days >= self.window_days {
            return Err(StayError::LimitNotBelowWindow {
                limit: self.limit_days,
                window: self.window_days,
            });
        }
        if self.per_entry_days == Some(0) {
            return Err(StayError::ZeroPerEntry);
        }
        Ok(())
    }
}

/// One stay: the day of entry and, unless the person is still present, the day of exit.
/// Both days count as days of stay.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stay {
    /// First day of the stay.
    pub entry: Date,
    /// Last day of the stay; `None` while the stay goes on (it then lasts through the control
    /// date).
    pub exit: Option<Date>,
}

impl Stay {
    /// Parses `ENTRY:EXIT` (`2026-01-10:2026-02-01`) or `ENTRY:` for a stay that goes on
    /// (`2026-03-01:`). Dates are ISO 8601 (`YYYY-MM-DD`). Only the syntax is checked here; the
    /// order of the dates is checked by [`calculate`], which knows the stay's position.
    pub fn parse(s: &str) -> Result<Stay, StayError> {
        let syntax = || StayError::Syntax {
            input: s.to_owned(),
        };
        let (entry, exit) = s.trim().split_once(':').ok_or_else(syntax)?;
        let date = |part: &'static str, text: &str| {
            text.trim().parse::<Date>().map_err(|e| StayError::BadDate {
                input: s.to_owned(),
                part,
                value: text.trim().to_owned(),
                reason: e.to_string(),
            })
        };
        if entry.trim().is_empty() {
            return Err(StayError::BadDate {
                input: s.to_owned(),
                part: "entry",
                value: String::new(),
                reason: "the entry date is missing".to_owned(),
            });
        }
        let entry = date("entry", entry)?;
        let exit = if exit.trim().is_empty() {
            None
        } else {
            Some(date("exit", exit)?)
        };
        Ok(Stay { entry, exit })
    }
}

impl FromStr for Stay {
    type Err = StayError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Stay::parse(s)
    }
}

/// Formats as [`Stay::parse`] reads: `ENTRY:EXIT` or `ENTRY:`.
impl fmt::Display for Stay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.exit {
            Some(exit) => write!(f, "{}:{exit}", self.entry),
            None => write!(f, "{}:", self.entry),
        }
    }
}

/// The answer of [`calculate`] for one control date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StayReport {
    /// The control date the report is for.
    pub on: Date,
    /// The rule applied.
    pub rule: StayRule,
    /// Days of presence in the window ending on `on` (`on` included if present that day).
    pub days_used: u32,
    /// `limit - days_used`, or 0 when the limit is reached or exceeded.
    pub days_left: u32,
    /// Days up to `on` that broke the window limit or the per-entry cap (each counted once).
    pub overstay_days: u32,
    /// The last day one may stay when present from `on` on without a break; `None` when already
    /// over the limit on `on`.
    pub last_legal_day: Option<Date>,
    /// Whether the planned stay (through `planned_until`, or just `on` without a plan) exceeds
    /// what the rule allows, so the person needs a residence card.
    pub needs_card: bool,
    /// The planned departure date, echoed from the request.
    pub planned_until: Option<Date>,
    /// Start of the continuous presence run containing `on`, if present on `on`.
    pub current_entry: Option<Date>,
}

/// Why a stay calculation was refused. [`StayError::field`] names the input at fault.
/// Stay positions (`stay N`) are 1-based, in the order the stays were given.
#[derive(thiserror::Error, Debug, Clone, PartialEq, Eq)]
pub enum StayError {
    /// The text of a stay is not `ENTRY:EXIT` or `ENTRY:`.
    #[error(
        "invalid stay {input:?}: expected ENTRY:EXIT, or ENTRY: for a stay that goes on, \
         with dates as YYYY-MM-DD"
    )]
    Syntax {
        /// The text given.
        input: String,
    },
    /// One of the dates of a stay is not a valid date.
    #[error("invalid stay {input:?}: {part} {value:?} is not a valid date: {reason}")]
    BadDate {
        /// The text given.
        input: String,
        /// `"entry"` or `"exit"`.
        part: &'static str,
        /// The text of the faulty date.
        value: String,
        /// What the date parser said.
        reason: String,
    },
    /// A stay ends before it begins.
    #[error("stay {stay}: exit {exit} is before entry {entry}")]
    ExitBeforeEntry {
        /// 1-based position of the stay.
        stay: usize,
        /// Its entry.
        entry: Date,
        /// Its exit.
        exit: Date,
    },
    /// A stay begins after the control date, so it cannot be known yet.
    #[error("stay {stay}: entry {entry} is after the control date {on}")]
    EntryAfterControl {
        /// 1-based position of the stay.
        stay: usize,
        /// Its entry.
        entry: Date,
        /// The control date.
        on: Date,
    },
    /// More than one stay has no exit.
    #[error("stay {stay}: only one stay may be open (without exit), but stay {other} is open too")]
    SeveralOpen {
        /// 1-based position of the second open stay.
        stay: usize,
        /// 1-based position of the first open stay.
        other: usize,
    },
    /// An open stay is not the latest one: someone cannot enter again without having left.
    #[error(
        "stay {stay}: an open stay (without exit) must be the latest, \
         but stay {later} enters later, on {later_entry}"
    )]
    OpenNotLatest {
        /// 1-based position of the open stay.
        stay: usize,
        /// 1-based position of a stay entering after it.
        later: usize,
        /// That stay's entry.
        later_entry: Date,
    },
    /// The limit is zero days.
    #[error("limit must be at least 1 day")]
    ZeroLimit,
    /// The window is zero days.
    #[error("window must be at least 1 day")]
    ZeroWindow,
    /// The limit is not below the window, so the rule could never be broken.
    #[error(
        "limit of {limit} days must be less than the window of {window} days: \
         otherwise the rule can never be broken"
    )]
    LimitNotBelowWindow {
        /// The limit given.
        limit: u32,
        /// The window given.
        window: u32,
    },
    /// The per-entry cap is zero days.
    #[error("per-entry limit must be at least 1 day")]
    ZeroPerEntry,
    /// The planned departure is before the control date.
    #[error("until {until} is before the control date {on}")]
    UntilBeforeOn {
        /// The planned departure.
        until: Date,
        /// The control date.
        on: Date,
    },
    /// The last legal day lies after the last date `jiff` can represent (9999-12-31).
    #[error("control date {on}: the last legal day falls after {max}, beyond the supported dates")]
    OutOfRange {
        /// The control date.
        on: Date,
        /// The last supported date.
        max: Date,
    },
}

impl StayError {
    /// The input at fault: `"stay"`, `"limit"`, `"window"`, `"per_entry"`, `"until"` or `"on"`.
    pub fn field(&self) -> &'static str {
        match self {
            StayError::Syntax { .. }
            | StayError::BadDate { .. }
            | StayError::ExitBeforeEntry { .. }
            | StayError::EntryAfterControl { .. }
            | StayError::SeveralOpen { .. }
            | StayError::OpenNotLatest { .. } => "stay",
            StayError::ZeroLimit | StayError::LimitNotBelowWindow { .. } => "limit",
            StayError::ZeroWindow => "window",
            StayError::ZeroPerEntry => "per_entry",
            StayError::UntilBeforeOn { .. } => "until",
            StayError::OutOfRange { .. } => "on",
        }
    }

    /// The problem as data: the field ([`StayError::field`]), a stable code and the values
    /// the message names.
    pub fn problem(&self) -> FieldProblem {
        let p = |code| FieldProblem::new(self.field(), code);
        match self {
            StayError::Syntax { input } => p("stay.syntax").with("input", input),
            StayError::BadDate {
                input, part, value, ..
            } => p("stay.bad_date")
                .with("input", input)
                .with("part", part)
                .with("value", value),
            StayError::ExitBeforeEntry { stay, entry, exit } => p("stay.exit_before_entry")
                .with("stay", stay)
                .with("entry", entry)
                .with("exit", exit),
            StayError::EntryAfterControl { stay, entry, on } => p("stay.entry_after_control")
                .with("stay", stay)
                .with("entry", entry)
                .with("on", on),
            StayError::SeveralOpen { stay, other } => p("stay.several_open")
                .with("stay", stay)
                .with("other", other),
            StayError::OpenNotLatest {
                stay,
                later,
                later_entry,
            } => p("stay.open_not_latest")
                .with("stay", stay)
                .with("later", later)
                .with("later_entry", later_entry),
            StayError::ZeroLimit | StayError::ZeroWindow | StayError::ZeroPerEntry => {
                p("stay.zero_days")
            }
            StayError::LimitNotBelowWindow { limit, window } => p("stay.limit_not_below_window")
                .with("limit", limit)
                .with("window", window),
            StayError::UntilBeforeOn { until, on } => p("stay.until_before_on")
                .with("until", until)
                .with("on", on),
            StayError::OutOfRange { on, max } => {
                p("stay.out_of_range").with("on", on).with("max", max)
            }
        }
    }
}

/// Applies `rule` to `stays` on the control date `on`, with an optional planned departure
/// `until` (≥ `on`). See the module documentation for the exact definitions.
///
/// The stays may come in any order and may overlap or touch (they merge into one entry). Stays
/// are refused if an exit precedes its entry, an entry follows `on`, or an open stay is not the
/// only open one and the latest; errors name the stay by its 1-based position.
pub fn calculate(
    rule: &StayRule,
    stays: &[Stay],
    on: Date,
    until: Option<Date>,
) -> Result<StayReport, StayError> {
    rule.validate()?;
    if let Some(until) = until
        && until < on
    {
        return Err(StayError::UntilBeforeOn { until, on });
    }
    validate_stays(stays, on)?;

    let today = day_number(on);
    let limit = i64::from(rule.limit_days);
    let window = i64::from(rule.window_days);
    let presence = Presence::new(stays, today);

    // Present days in [d - window + 1, d], with P as recorded, or assuming presence from `on`.
    let count = |d: i64| presence.through(d) - presence.through(d - window);
    let count_ahead = |d: i64| presence.through_ahead(d) - presence.through_ahead(d - window);

    let days_used = count(today);
    let days_left = (limit - days_used).max(0);

    let mut overstay = 0_i64;
    for &(start, end) in &presence.runs {
        // `count` never decreases inside a run, so the days over the limit are a suffix of it.
        let over_limit = first_where(start, end, |d| count(d) > limit).unwrap_or(end + 1);
        let over_cap = rule
            .per_entry_days
            .map_or(end + 1, |cap| start + i64::from(cap));
        overstay += (end - over_limit.min(over_cap) + 1).max(0);
    }

    let last_legal = if count_ahead(today) > limit {
        None
    } else {
        // Present on every day of [on, on + limit], all inside the window of the last one
        // (limit < window), that day counts limit + 1: the search always finds a bad day.
        let first_bad =
            first_where(today, today + limit, |d| count_ahead(d) > limit).unwrap_or(today + limit);
        let mut last = first_bad - 1;
        if let Some(cap) = rule.per_entry_days {
            let entry = presence.run_start_ahead(today);
            last = last.min(entry + i64::from(cap) - 1);
        }
        (last >= today).then_some(last)
    };
    let last_legal_day = last_legal
        .map(|d| date_from_day_number(d).ok_or(StayError::OutOfRange { on, max: Date::MAX }))
        .transpose()?;

    let needs_card = match (last_legal_day, until) {
        (None, _) => true,
        (Some(last), Some(until)) => until > last,
        (Some(_), None) => false,
    };
    let current_entry = presence
        .runs
        .last()
        .filter(|&&(_, end)| end == today)
        .and_then(|&(start, _)| date_from_day_number(start));

    Ok(StayReport {
        on,
        rule: *rule,
        days_used: saturate(days_used),
        days_left: saturate(days_left),
        overstay_days: saturate(overstay),
        last_legal_day,
        needs_card,
        planned_until: until,
        current_entry,
    })
}

fn validate_stays(stays: &[Stay], on: Date) -> Result<(), StayError> {
    let mut open: Option<usize> = None;
    for (i, stay) in stays.iter().enumerate() {
        if let Some(exit) = stay.exit
            && exit < stay.entry
        {
            return Err(StayError::ExitBeforeEntry {
                stay: i + 1,
                entry: stay.entry,
                exit,
            });
        }
        if stay.entry > on {
            return Err(StayError::EntryAfterControl {
                stay: i + 1,
                entry: stay.entry,
                on,
            });
        }
        if stay.exit.is_none() {
            if let Some(other) = open {
                return Err(StayError::SeveralOpen {
                    stay: i + 1,
                    other: other + 1,
                });
            }
            open = Some(i);
        }
    }
    if let Some(i) = open {
        let entry = stays[i].entry;
        if let Some((j, later)) = stays.iter().enumerate().find(|(_, s)| s.entry > entry) {
            return Err(StayError::OpenNotLatest {
                stay: i + 1,
                later: j + 1,
                later_entry: later.entry,
            });
        }
    }
    Ok(())
}

/// Presence as sorted, disjoint, non-adjacent runs of day numbers (inclusive), all ending on or
/// before the control day, with the number of present days before each run.
struct Presence {
    runs: Vec<(i64, i64)>,
    before: Vec<i64>,
    today: i64,
}

impl Presence {
    /// `stays` must have been validated against `on` (entry ≤ exit, entry ≤ on).
    fn new(stays: &[Stay], today: i64) -> Presence {
        let mut spans: Vec<(i64, i64)> = stays
            .iter()
            .map(|s| {
                let end = s.exit.map_or(today, day_number).min(today);
                (day_number(s.entry), end)
            })
            .collect();
        spans.sort_unstable();
        let mut runs: Vec<(i64, i64)> = Vec::with_capacity(spans.len());
        for (start, end) in spans {
            match runs.last_mut() {
                // Touching stays (exit and re-entry on consecutive days) are one entry.
                Some(last) if start <= last.1 + 1 => last.1 = last.1.max(end),
                _ => runs.push((start, end)),
            }
        }
        let mut before = Vec::with_capacity(runs.len());
        let mut total = 0;
        for &(start, end) in &runs {
            before.push(total);
            total += end - start + 1;
        }
        Presence {
            runs,
            before,
            today,
        }
    }

    /// Number of present days on or before day `x`.
    fn through(&self, x: i64) -> i64 {
        let i = self.runs.partition_point(|&(start, _)| start <= x);
        if i == 0 {
            return 0;
        }
        let (start, end) = self.runs[i - 1];
        self.before[i - 1] + x.min(end) - start + 1
    }

    /// Like [`Presence::through`], assuming presence on every day from the control day on.
    fn through_ahead(&self, x: i64) -> i64 {
        if x < self.today {
            self.through(x)
        } else {
            self.through(self.today - 1) + x - self.today + 1
        }
    }

    /// First day of the run that the control day belongs to, or joins when counted as present.
    fn run_start_ahead(&self, today: i64) -> i64 {
        match self.runs.last() {
            Some(&(start, end)) if end + 1 >= today => start,
            _ => today,
        }
    }
}

/// Smallest `d` in `[lo, hi]` with `pred(d)`, for a predicate that is false and then true.
fn first_where(mut lo: i64, mut hi: i64, pred: impl Fn(i64) -> bool) -> Option<i64> {
    if lo > hi || !pred(hi) {
        return None;
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    Some(lo)
}

const SECONDS_PER_DAY: i64 = 86_400;

/// Days since 0000-01-01; civil dates differ by whole 24-hour days.
fn day_number(date: Date) -> i64 {
    date.duration_since(Date::ZERO).as_secs() / SECONDS_PER_DAY
}

fn date_from_day_number(days: i64) -> Option<Date> {
    // A span of days, not a `SignedDuration`: jiff bounds duration-derived days by the Unix
    // epoch range, which would reject far dates measured from year 0.
    Date::ZERO
        .checked_add(Span::new().try_days(days).ok()?)
        .ok()
}

/// Counts are bounded by the date range (about 7.3 million days), so this never saturates in
/// practice; it only keeps the conversion panic-free.
fn saturate(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const SCHENGEN: StayRule = StayRule {
        limit_days: 90,
        window_days: 180,
        per_entry_days: None,
    };

    fn stay(entry: Date, exit: Option<Date>) -> Stay {
        Stay { entry, exit }
    }

    fn err(rule: &StayRule, stays: &[Stay], on: Date, until: Option<Date>) -> StayError {
        calculate(rule, stays, on, until).expect_err("input should be refused")
    }

    #[test]
    fn exit_before_entry() {
        let stays = [
            stay(date(2025, 12, 1), Some(date(2025, 12, 5))),
            stay(date(2026, 2, 1), Some(date(2026, 1, 1))),
        ];
        let e = err(&SCHENGEN, &stays, date(2026, 3, 1), None);
        assert_eq!(
            e.to_string(),
            "stay 2: exit 2026-01-01 is before entry 2026-02-01"
        );
        assert_eq!(e.field(), "stay");
    }

    #[test]
    fn entry_after_control_date() {
        let stays = [stay(date(2026, 3, 2), None)];
        let e = err(&SCHENGEN, &stays, date(2026, 3, 1), None);
        assert_eq!(
            e.to_string(),
            "stay 1: entry 2026-03-02 is after the control date 2026-03-01"
        );
        assert_eq!(e.field(), "stay");
    }

    #[test]
    fn several_open_stays() {
        let stays = [
            stay(date(2026, 1, 1), None),
            stay(date(2026, 1, 5), Some(date(2026, 1, 6))),
            stay(date(2026, 2, 1), None),
        ];
        let e = err(&SCHENGEN, &stays, date(2026, 3, 1), None);
        assert_eq!(e, StayError::SeveralOpen { stay: 3, other: 1 });
        assert!(
            e.to_string()
                .starts_with("stay 3: only one stay may be open")
        );
        assert_eq!(e.field(), "stay");
    }

    #[test]
    fn open_stay_not_latest() {
        let stays = [
            stay(date(2026, 1, 1), None),
            stay(date(2026, 2, 1), Some(date(2026, 2, 3))),
        ];
        let e = err(&SCHENGEN, &stays, date(2026, 3, 1), None);
        assert_eq!(
            e.to_string(),
            "stay 1: an open stay (without exit) must be the latest, \
             but stay 2 enters later, on 2026-02-01"
        );
        assert_eq!(e.field(), "stay");
    }

    #[test]
    fn open_stay_sharing_its_entry_day_is_accepted() {
        let stays = [
            stay(date(2026, 2, 1), Some(date(2026, 2, 3))),
            stay(date(2026, 2, 1), None),
        ];
        let r = calculate(&SCHENGEN, &stays, date(2026, 2, 10), None).unwrap();
        assert_eq!(r.days_used, 10);
    }

    #[test]
    fn zero_limit() {
        let rule = StayRule {
            limit_days: 0,
            ..SCHENGEN
        };
        let e = err(&rule, &[], date(2026, 3, 1), None);
        assert_eq!(
            (e.field(), e.to_string().as_str()),
            ("limit", "limit must be at least 1 day")
        );
    }

    #[test]
    fn zero_window() {
        let rule = StayRule {
            limit_days: 1,
            window_days: 0,
            per_entry_days: None,
        };
        let e = err(&rule, &[], date(2026, 3, 1), None);
        assert_eq!(
            (e.field(), e.to_string().as_str()),
            ("window", "window must be at least 1 day")
        );
    }

    #[test]
    fn limit_not_below_window() {
        for (limit, window) in [(180, 180), (181, 180)] {
            let rule = StayRule {
                limit_days: limit,
                window_days: window,
                per_entry_days: None,
            };
            let e = err(&rule, &[], date(2026, 3, 1), None);
            assert_eq!(e.field(), "limit");
            assert_eq!(
                e.to_string(),
                format!(
                    "limit of {limit} days must be less than the window of {window} days: \
                     otherwise the rule can never be broken"
                )
            );
        }
    }

    #[test]
    fn zero_per_entry() {
        let rule = StayRule {
            per_entry_days: Some(0),
            ..SCHENGEN
        };
        let e = err(&rule, &[], date(2026, 3, 1), None);
        assert_eq!(e.field(), "per_entry");
        assert_eq!(e.to_string(), "per-entry limit must be at least 1 day");
    }

    #[test]
    fn until_before_on() {
        let e = err(&SCHENGEN, &[], date(2026, 3, 1), Some(date(2026, 2, 28)));
        assert_eq!(e.field(), "until");
        assert_eq!(
            e.to_string(),
            "until 2026-02-28 is before the control date 2026-03-01"
        );
    }

    #[test]
    fn last_legal_day_beyond_the_date_range() {
        let e = err(&SCHENGEN, &[], date(9999, 12, 1), None);
        assert_eq!(e.field(), "on");
        assert!(e.to_string().contains("9999-12-31"), "{e}");
        // Close to the end but within range is fine.
        let r = calculate(&SCHENGEN, &[], date(9999, 10, 3), None).unwrap();
        assert_eq!(r.last_legal_day, Some(date(9999, 12, 31)));
        // The per-entry cap can bring the answer back into range.
        let capped = StayRule {
            per_entry_days: Some(30),
            ..SCHENGEN
        };
        let r = calculate(&capped, &[], date(9999, 12, 1), None).unwrap();
        assert_eq!(r.last_legal_day, Some(date(9999, 12, 30)));
    }

    #[test]
    fn extreme_dates_and_rules_do_not_panic() {
        let huge = StayRule {
            limit_days: u32::MAX - 1,
            window_days: u32::MAX,
            per_entry_days: Some(u32::MAX),
        };
        let stays = [stay(Date::MIN, Some(Date::MAX))];
        let r = calculate(&huge, &stays, Date::MAX, Some(Date::MAX));
        assert_eq!(r.unwrap_err().field(), "on");
        let r = calculate(&SCHENGEN, &stays, Date::MAX, None).unwrap();
        assert_eq!(r.days_used, 180);
        assert_eq!(r.last_legal_day, None);
        assert_eq!(r.current_entry, Some(Date::MIN));
        let r = calculate(&SCHENGEN, &[stay(Date::MIN, None)], Date::MIN, None).unwrap();
        assert_eq!(r.days_used, 1);
        assert_eq!(r.last_legal_day, Some(date(-9999, 3, 31)));
    }

    #[test]
    fn parse_closed_and_open() {
        assert_eq!(
            Stay::parse("2026-01-10:2026-02-01").unwrap(),
            stay(date(2026, 1, 10), Some(date(2026, 2, 1)))
        );
        assert_eq!(
            Stay::parse(" 2026-03-01: ").unwrap(),
            stay(date(2026, 3, 1), None)
        );
        for text in ["2026-01-10:2026-02-01", "2026-03-01:"] {
            assert_eq!(Stay::parse(text).unwrap().to_string(), text);
            assert_eq!(text.parse::<Stay>().unwrap(), Stay::parse(text).unwrap());
        }
    }

    #[test]
    fn parse_errors_name_the_part() {
        let e = Stay::parse("2026-01-10").unwrap_err();
        assert!(matches!(e, StayError::Syntax { .. }), "{e}");
        assert_eq!(e.field(), "stay");

        let e = Stay::parse("2026-13-10:2026-02-01").unwrap_err();
        assert!(
            matches!(&e, StayError::BadDate { part: "entry", value, .. } if value == "2026-13-10"),
            "{e}"
        );
        assert!(
            e.to_string()
                .contains("entry \"2026-13-10\" is not a valid date"),
            "{e}"
        );

        let e = Stay::parse("2026-01-10:2026-02-30").unwrap_err();
        assert!(matches!(e, StayError::BadDate { part: "exit", .. }), "{e}");

        let e = Stay::parse(":2026-02-01").unwrap_err();
        assert!(matches!(e, StayError::BadDate { part: "entry", .. }), "{e}");
        assert_eq!(e.field(), "stay");
    }

    #[test]
    fn day_numbers_round_trip() {
        for d in [
            Date::MIN,
            Date::ZERO,
            date(1970, 1, 1),
            date(2024, 2, 29),
            Date::MAX,
        ] {
            assert_eq!(date_from_day_number(day_number(d)), Some(d));
        }
        assert_eq!(date_from_day_number(day_number(Date::MAX) + 1), None);
        assert_eq!(date_from_day_number(day_number(Date::MIN) - 1), None);
        assert_eq!(date_from_day_number(i64::MAX), None);
    }

    #[test]
    fn re_entry_the_day_after_an_exit_continues_that_entry() {
        let rule = StayRule {
            per_entry_days: Some(30),
            ..SCHENGEN
        };
        let stays = [stay(date(2026, 3, 1), Some(date(2026, 3, 20)))];
        // Back on 21.03: no gap, so the entry of 01.03 goes on; its 30th day is 30.03.
        let r = calculate(&rule, &stays, date(2026, 3, 21), None).unwrap();
        assert_eq!(r.last_legal_day, Some(date(2026, 3, 30)));
        assert_eq!(r.current_entry, None);
        // Back on 22.03 after a day away: a new entry.
        let r = calculate(&rule, &stays, date(2026, 3, 22), None).unwrap();
        assert_eq!(r.last_legal_day, Some(date(2026, 4, 20)));
        // Back on 31.03 the day after an exit on 30.03: already beyond 30 days.
        let stays = [stay(date(2026, 3, 1), Some(date(2026, 3, 30)))];
        let r = calculate(&rule, &stays, date(2026, 3, 31), None).unwrap();
        assert_eq!(
            (r.last_legal_day, r.overstay_days, r.needs_card),
            (None, 0, true)
        );
    }

    #[test]
    fn touching_stays_are_one_entry() {
        let rule = StayRule {
            limit_days: 90,
            window_days: 180,
            per_entry_days: Some(30),
        };
        // 2026-01-01..20 and 21..31: one run of 31 days, so the 31st is beyond 30 per entry.
        let stays = [
            stay(date(2026, 1, 1), Some(date(2026, 1, 20))),
            stay(date(2026, 1, 21), Some(date(2026, 1, 31))),
        ];
        let r = calculate(&rule, &stays, date(2026, 1, 31), None).unwrap();
        assert_eq!(r.overstay_days, 1);
        assert_eq!(r.current_entry, Some(date(2026, 1, 1)));
        assert_eq!(r.last_legal_day, None);
        assert!(r.needs_card);
    }
}
