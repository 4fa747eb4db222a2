//! The policy's sense: references resolve, windows are positive, every text exists in
//! every language; each problem named by its dotted path.

use std::collections::{BTreeMap, BTreeSet};

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::{ALLOWED_CONTENT_TYPES, CalendarDoc, Offence, PolicyDoc, StayRuleDoc};
use crate::calendar::{self, MonthDay};
use crate::deadline::DeadlineRule;
use crate::money::Amount;
use crate::text::Localized;

/// Collects `(field path, message)` pairs for everything that makes no sense.
#[derive(Default)]
pub(super) struct Validator {
    pub(super) issues: Vec<(String, String)>,
}

impl Validator {
    pub(super) fn err(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.issues.push((field.into(), message.into()));
    }

    pub(super) fn text(&mut self, field: &str, t: &Localized) {
        for lang in t.blank_languages() {
            self.err(format!("{field}.{lang}"), "the text is empty");
        }
    }

    pub(super) fn ids<'a>(&mut self, list: &str, ids: impl Iterator<Item = &'a str>) {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.enumerate() {
            let field = format!("{list}[{i}].id");
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                self.err(
                    &field,
                    format!("`{id}` is not an id (use lowercase letters, digits and _)"),
                );
            }
            if !seen.insert(id) {
                self.err(field, format!("`{id}` is used twice"));
            }
        }
    }

    pub(super) fn amount(&mut self, field: &str, a: Amount) {
        if a.mci_hundredths().is_none() {
            self.err(
                field,
                format!("{a} is not a non-negative MCI multiple with at most two decimals"),
            );
        }
    }

    pub(super) fn check(&mut self, doc: &PolicyDoc) {
        self.meta(doc);
        self.offices(&doc.offices);
        self.stay_rules(&doc.stay_rules);
        self.documents(doc);
        self.calendar(&doc.calendar);
        self.money(doc);
        self.timers(&doc.timers);
        self.ids("reasons", doc.reasons.iter().map(|r| r.id.as_str()));
        for (i, r) in doc.reasons.iter().enumerate() {
            self.text(&format!("reasons[{i}].name"), &r.name);
            if r.actions.is_empty() {
                self.err(format!("reasons[{i}].actions"), "name at least one action");
            }
            for (j, a) in r.actions.iter().enumerate() {
                if !["request_info", "reject", "revoke"].contains(&a.as_str()) {
                    self.err(
                        format!("reasons[{i}].actions[{j}]"),
                        format!("`{a}` is not an action that takes a reason (request_info, reject, revoke)"),
                    );
                }
            }
        }
    }

    fn timers(&mut self, t: &super::Timers) {
        let positive = [
            ("timers.draft_days", t.draft_days),
            ("timers.arrival_reminder_hours", t.arrival_reminder_hours),
            ("timers.retention_days", t.retention_days),
            ("timers.delivery_retry_hours", t.delivery_retry_hours),
        ];
        for (field, n) in positive {
            if n == 0 || n > 36_500 {
                self.err(field, format!("{n} must be between 1 and 36500"));
            }
        }
        let (DeadlineRule::Hours(n) | DeadlineRule::WorkingDays(n)) = t.info_request;
        if n == 0 || n > 10_000 {
            self.err(
                "timers.info_request",
                format!("{n} must be between 1 and 10000"),
            );
        }
        let mut seen = BTreeSet::new();
        for (i, d) in t.expiry_reminder_days.iter().enumerate() {
            if *d == 0 || *d > 3650 {
                self.err(
                    format!("timers.expiry_reminder_days[{i}]"),
                    format!("{d} must be between 1 and 3650"),
                );
            }
            if !seen.insert(d) {
                self.err(
                    format!("timers.expiry_reminder_days[{i}]"),
                    format!("{d} is listed twice"),
                );
            }
        }
    }

    fn meta(&mut self, doc: &PolicyDoc) {
        self.text("meta.name", &doc.meta.name);
        if TimeZone::get(&doc.meta.time_zone).is_err() {
            self.err(
                "meta.time_zone",
                format!(
                    "`{}` is not an IANA time zone (e.g. Asia/Almaty)",
                    doc.meta.time_zone
                ),
            );
        }
        if doc.meta.currency != "KZT" {
            self.err("meta.currency", "only KZT is supported");
        }
        let n = match doc.arrival_notification.deadline {
            DeadlineRule::Hours(n) | DeadlineRule::WorkingDays(n) => n,
        };
        if n == 0 || n > 10_000 {
            self.err(
                "arrival_notification.deadline",
                "the deadline must be between 1 and 10000",
            );
        }
        if doc.card.required_after_days == 0 {
            self.err("card.required_after_days", "must be positive");
        }
        self.ids("host_kinds", doc.host_kinds.iter().map(|h| h.id.as_str()));
        for (i, h) in doc.host_kinds.iter().enumerate() {
            self.text(&format!("host_kinds[{i}].name"), &h.name);
        }
        if doc.host_kinds.is_empty() {
            self.err("host_kinds", "name at least one kind of host");
        }
    }

    fn stay_rules(&mut self, rules: &[StayRuleDoc]) {
        self.ids("stay_rules", rules.iter().map(|r| r.id.as_str()));
        let defaults = rules.iter().filter(|r| r.default).count();
        if defaults != 1 {
            self.err(
                "stay_rules",
                format!("exactly one rule must have default = true, found {defaults}"),
            );
        }
        let mut seen: BTreeMap<(&str, Date), usize> = BTreeMap::new();
        for (i, r) in rules.iter().enumerate() {
            let f = |k: &str| format!("stay_rules[{i}].{k}");
            self.text(&f("name"), &r.name);
            if r.window_days == 0 {
                self.err(f("window_days"), "must be positive");
            }
            if r.limit_days == 0 {
                self.err(f("limit_days"), "must be positive");
            } else if r.limit_days >= r.window_days {
                self.err(
                    f("limit_days"),
                    format!(
                        "{} days in a window of {} would never bind; the limit must be shorter than the window",
                        r.limit_days, r.window_days
                    ),
                );
            }
            if let Some(p) = r.per_entry_days
                && (p == 0 || p > r.limit_days)
            {
                self.err(
                    f("per_entry_days"),
                    format!("must be between 1 and limit_days ({})", r.limit_days),
                );
            }
            if r.default && !r.nationalities.is_empty() {
                self.err(
                    f("nationalities"),
                    "the default rule applies to everyone else; leave it empty",
                );
            }
            if !r.default && r.nationalities.is_empty() {
                self.err(f("nationalities"), "name at least one nationality");
            }
            for (j, n) in r.nationalities.iter().enumerate() {
                if n.len() != 3 || !n.bytes().all(|b| b.is_ascii_uppercase()) {
                    self.err(
                        format!("stay_rules[{i}].nationalities[{j}]"),
                        format!("`{n}` is not an ISO 3166-1 alpha-3 code like KAZ"),
                    );
                } else if let Some(prev) = seen.insert((n, r.effective_from.0), i) {
                    self.err(
                        format!("stay_rules[{i}].nationalities[{j}]"),
                        format!(
                            "{n} is also in stay_rules[{prev}] from the same date {}",
                            r.effective_from.0
                        ),
                    );
                }
            }
        }
    }

    fn documents(&mut self, doc: &PolicyDoc) {
        self.ids("documents", doc.documents.iter().map(|d| d.id.as_str()));
        for (i, d) in doc.documents.iter().enumerate() {
            let f = |k: &str| format!("documents[{i}].{k}");
            self.text(&f("name"), &d.name);
            self.text(&f("hint"), &d.hint);
            if d.content_types.is_empty() {
                self.err(f("content_types"), "name at least one content type");
            }
            for (j, c) in d.content_types.iter().enumerate() {
                if !ALLOWED_CONTENT_TYPES.contains(&c.as_str()) {
                    self.err(
                        format!("documents[{i}].content_types[{j}]"),
                        format!(
                            "`{c}` is not accepted; use {}",
                            ALLOWED_CONTENT_TYPES.join(", ")
                        ),
                    );
                }
            }
            if d.max_size_mb == 0 || d.max_size_mb > 50 {
                self.err(f("max_size_mb"), "must be between 1 and 50");
            }
        }
        let known: BTreeSet<&str> = doc.documents.iter().map(|d| d.id.as_str()).collect();
        self.ids(
            "permit_types",
            doc.permit_types.iter().map(|t| t.id.as_str()),
        );
        if doc.permit_types.is_empty() {
            self.err("permit_types", "name at least one card type");
        }
        for (i, t) in doc.permit_types.iter().enumerate() {
            let f = |k: &str| format!("permit_types[{i}].{k}");
            self.text(&f("name"), &t.name);
            self.text(&f("description"), &t.description);
            if t.max_validity_days == 0 {
                self.err(f("max_validity_days"), "must be positive");
            }
            if t.processing_days == 0 {
                self.err(f("processing_days"), "must be positive");
            }
            self.amount(&f("fee"), t.fee);
            if !t.documents.iter().any(|d| d.required) {
                self.err(f("documents"), "name at least one required document");
            }
            let mut listed = BTreeSet::new();
            for (j, d) in t.documents.iter().enumerate() {
                let field = format!("permit_types[{i}].documents[{j}].id");
                if !known.contains(d.id.as_str()) {
                    self.err(field, format!("`{}` is not one of the [[documents]]", d.id));
                } else if !listed.insert(d.id.as_str()) {
                    self.err(field, format!("`{}` is listed twice", d.id));
                }
            }
        }
    }

    fn calendar(&mut self, c: &CalendarDoc) {
        if c.weekend.is_empty() {
            self.err("calendar.weekend", "name the weekend days");
        }
        for (i, w) in c.weekend.iter().enumerate() {
            if calendar::parse_weekday(w).is_none() {
                self.err(
                    format!("calendar.weekend[{i}]"),
                    format!("`{w}` is not a weekday name like saturday"),
                );
            }
        }
        if c.covered_from > c.covered_to {
            self.err(
                "calendar.covered_to",
                "must not be before calendar.covered_from",
            );
        }
        let covered = c.covered_from..=c.covered_to;
        self.ids(
            "calendar.holidays",
            c.holidays.iter().map(|h| h.id.as_str()),
        );
        for (i, h) in c.holidays.iter().enumerate() {
            let f = |k: &str| format!("calendar.holidays[{i}].{k}");
            self.text(&f("name"), &h.name);
            if h.days.is_empty() == h.dates.is_empty() {
                self.err(
                    f("days"),
                    "give either `days` (recurring MM-DD) or `dates` (per year), not both or neither",
                );
            }
            for (j, d) in h.days.iter().enumerate() {
                if let Err(e) = d.parse::<MonthDay>() {
                    self.err(format!("calendar.holidays[{i}].days[{j}]"), e);
                }
            }
            if let (Some(from), Some(until)) = (h.from_year, h.until_year)
                && until < from
            {
                self.err(
                    f("until_year"),
                    format!("{until} is before from_year ({from}); the holiday would never apply"),
                );
            }
        }
        for (i, a) in c.adjustments.iter().enumerate() {
            if !covered.contains(&a.year) {
                self.err(
                    format!("calendar.adjustments[{i}].year"),
                    format!(
                        "{} is outside covered_from..covered_to ({}–{})",
                        a.year, c.covered_from, c.covered_to
                    ),
                );
            }
            for (key, dates) in [("days_off", &a.days_off), ("working_days", &a.working_days)] {
                for (j, d) in dates.iter().enumerate() {
                    if d.0.year() != a.year {
                        self.err(
                            format!("calendar.adjustments[{i}].{key}[{j}]"),
                            format!("{} is not in {}", d.0, a.year),
                        );
                    }
                }
            }
        }
    }

    fn money(&mut self, doc: &PolicyDoc) {
        let mut years = BTreeSet::new();
        for (i, m) in doc.mci.iter().enumerate() {
            if m.kzt == 0 {
                self.err(format!("mci[{i}].kzt"), "must be positive");
            }
            if !years.insert(m.year) {
                self.err(
                    format!("mci[{i}].year"),
                    format!("{} is given twice", m.year),
                );
            }
        }
        // A year without an MCI is allowed (next year's value is published only in
        // December); converting an amount for that year then fails with a clear message.
        if doc.mci.is_empty() {
            self.err("mci", "give the MCI value of at least one year");
        }
        self.ids("fines", doc.fines.iter().map(|f| f.id.as_str()));
        let hosts: BTreeSet<&str> = doc.host_kinds.iter().map(|h| h.id.as_str()).collect();
        let mut overstay: Vec<(u32, u32, usize)> = Vec::new();
        for (i, fine) in doc.fines.iter().enumerate() {
            let f = |k: &str| format!("fines[{i}].{k}");
            self.amount(&f("amount"), fine.amount);
            match fine.offence {
                Offence::LateNotification => {
                    match fine.host_kind.as_deref() {
                        None => self.err(
                            f("host_kind"),
                            "a late-notification fine names the host kind",
                        ),
                        Some(h) if !hosts.contains(h) => {
                            self.err(
                                f("host_kind"),
                                format!("`{h}` is not one of the [[host_kinds]]"),
                            );
                        }
                        Some(_) => {}
                    }
                    if fine.days_over_from.is_some() || fine.days_over_to.is_some() {
                        self.err(
                            f("days_over_from"),
                            "only overstay fines have a range of days",
                        );
                    }
                }
                Offence::Overstay => {
                    if fine.host_kind.is_some() {
                        self.err(
                            f("host_kind"),
                            "only late-notification fines name a host kind",
                        );
                    }
                    match (fine.days_over_from, fine.days_over_to) {
                        (None | Some(0), _) => {
                            self.err(
                                f("days_over_from"),
                                "an overstay fine starts at 1 day or more",
                            );
                        }
                        (Some(from), Some(to)) if to < from => {
                            self.err(
                                f("days_over_to"),
                                format!("{to} is before days_over_from ({from})"),
                            );
                        }
                        (Some(from), to) => {
                            let to = to.unwrap_or(u32::MAX);
                            if let Some((_, _, j)) =
                                overstay.iter().find(|(a, b, _)| from <= *b && *a <= to)
                            {
                                self.err(
                                    f("days_over_from"),
                                    format!("the range overlaps fines[{j}]"),
                                );
                            }
                            overstay.push((from, to, i));
                        }
                    }
                }
            }
        }
        for h in &doc.host_kinds {
            let has = doc.fines.iter().any(|f| {
                f.offence == Offence::LateNotification && f.host_kind.as_deref() == Some(&h.id)
            });
            if !has {
                self.err(
                    "fines",
                    format!("no late-notification fine for host kind `{}`", h.id),
                );
            }
        }
    }
}
