//! The policy: everything that is law rather than code — card types and their documents,
//! deadlines, stay rules, the working-day calendar, fees and fines, the offices and the places
//! each serves — read from a TOML file.
//!
//! A policy is parsed in two steps: serde reads the file into [`PolicyDoc`] (syntax, types and
//! unknown keys), then [`Policy::from_toml`] checks it for sense (references resolve, windows
//! are positive, every text exists in every language). Every problem is reported with the line
//! and the dotted path of the field, found from the spans of the parsed document, so that an
//! administrator editing the file can go straight to it. The format is documented in
//! `docs/policy.md`.

use std::fmt;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use serde::Serialize;
use toml::de::DeTable;

use crate::calendar::{self, Adjustment, HolidaySpec, MonthDay, WorkCalendar};
use crate::deadline::{self, DeadlineError, DeadlineRule};
use crate::lifecycle::Action;
use crate::money::{Amount, MciTable, MoneyError};
use crate::problem::FieldProblem;
use crate::stay::{self, Stay, StayError, StayReport};
use crate::text::Lang;

mod offices;

pub use offices::Office;
use offices::OfficeIndex;

/// The default policy of the Republic of Kazakhstan, embedded in the binary.
pub const DEFAULT_POLICY_TOML: &str = include_str!("../../../../policy/kz.toml");

/// The content types an uploaded document may have.
pub const ALLOWED_CONTENT_TYPES: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

mod locate;
mod schema;
mod validate;

use locate::{humanize, line_of, path_at, span_of};
pub use schema::{
    Access, ArrivalNotification, CalendarAdjustment, CalendarDoc, CardRule, ChecklistItem,
    DocumentDoc, Fine, Holiday, HostKind, MciEntry, Meta, Offence, PermitType, PolicyDate,
    PolicyDoc, Reason, SecondPerson, StayRuleDoc, Timers,
};
use validate::Validator;

/// One problem in a policy file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyIssue {
    /// 1-based line of the offending value, when it could be located.
    pub line: Option<usize>,
    /// Dotted path of the field, e.g. `permit_types[2].documents[0].id`.
    pub field: String,
    pub message: String,
}

impl fmt::Display for PolicyIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}: {}", self.field, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// A policy that was refused, with every problem found.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    pub issues: Vec<PolicyIssue>,
}

impl fmt::Display for PolicyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.issues.len();
        writeln!(
            f,
            "the policy has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for i in &self.issues {
            writeln!(f, "  {i}")?;
        }
        Ok(())
    }
}

/// A validated policy, ready to answer questions.
#[derive(Clone, Debug)]
pub struct Policy {
    doc: PolicyDoc,
    /// The file as written, comments included (what an administrator downloads to edit).
    text: std::sync::Arc<str>,
    tz: TimeZone,
    calendar: WorkCalendar,
    mci: MciTable,
    offices: OfficeIndex,
}

/// The fine a late notification or an overstay incurs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FineAssessment {
    pub fine_id: String,
    pub article: String,
    pub amount: Amount,
    /// The amount in tenge on `date`.
    pub kzt: u64,
    /// The date whose MCI applies: the day the offence was committed.
    pub date: Date,
}

/// Whether an arrival was notified in time.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NotificationAssessment {
    pub rule: DeadlineRule,
    pub deadline: ZonedDateTime,
    pub late: bool,
    pub fine: Option<FineAssessment>,
}

/// The stay calculator's answer under a nationality's rule, with what the policy adds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StayAssessment {
    #[serde(flatten)]
    pub report: StayReport,
    /// The policy's rule that applied.
    pub rule_id: String,
    pub nationality: String,
    /// A continuous stay longer than this needs a card whatever the visa-free rule says.
    pub card_required_after_days: u32,
    /// Whether the planned continuous stay is longer than `card_required_after_days`.
    pub over_card_threshold: bool,
    /// The fine for the overstay so far, if any.
    pub overstay_fine: Option<FineAssessment>,
}

/// Why the policy could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyUseError {
    #[error(transparent)]
    Deadline(#[from] DeadlineError),
    #[error(transparent)]
    Money(#[from] MoneyError),
    #[error("unknown host kind `{0}`; the policy knows {1}")]
    UnknownHostKind(String, String),
    #[error(transparent)]
    Stay(#[from] StayError),
    #[error("the policy has no stay rule in force on {0}")]
    NoStayRule(Date),
}

impl Policy {
    /// The embedded default policy.
    pub fn default_kz() -> Policy {
        Policy::from_toml(DEFAULT_POLICY_TOML).expect("the embedded default policy is valid")
    }

    /// Parses and checks a policy file.
    pub fn from_toml(src: &str) -> Result<Policy, PolicyError> {
        let doc: PolicyDoc = toml::from_str(src).map_err(|e| {
            let spans = DeTable::parse(src).ok();
            let field = match (&spans, e.span()) {
                (Some(root), Some(span)) => path_at(root.get_ref(), span.start),
                _ => String::new(),
            };
            PolicyError {
                issues: vec![PolicyIssue {
                    line: e.span().map(|s| line_of(src, s.start)),
                    field: if field.is_empty() {
                        "(file)".into()
                    } else {
                        field
                    },
                    message: humanize(e.message().trim()),
                }],
            }
        })?;
        let mut v = Validator::default();
        v.check(&doc);
        if !v.issues.is_empty() {
            let spans = DeTable::parse(src).ok();
            let issues = v
                .issues
                .into_iter()
                .map(|(field, message)| PolicyIssue {
                    line: spans
                        .as_ref()
                        .and_then(|root| span_of(root.get_ref(), &field))
                        .map(|s| line_of(src, s.start)),
                    field,
                    message,
                })
                .collect();
            return Err(PolicyError { issues });
        }
        let tz = TimeZone::get(&doc.meta.time_zone).expect("checked by the validator");
        let calendar = build_calendar(&doc.calendar);
        let mci = MciTable::new(doc.mci.iter().map(|m| (m.year, m.kzt)));
        let offices = OfficeIndex::new(&doc.offices);
        Ok(Policy {
            doc,
            text: src.into(),
            tz,
            calendar,
            mci,
            offices,
        })
    }

    /// The policy as written.
    pub fn doc(&self) -> &PolicyDoc {
        &self.doc
    }

    /// The TOML file the policy was read from, comments and all.
    pub fn toml(&self) -> &str {
        &self.text
    }

    /// Whether this is the embedded default, unchanged.
    pub fn is_default(&self) -> bool {
        *self.text == *DEFAULT_POLICY_TOML
    }

    /// The authority's time zone.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The working-day calendar.
    pub fn calendar(&self) -> &WorkCalendar {
        &self.calendar
    }

    /// When deadlines act and people are reminded.
    pub fn timers(&self) -> &Timers {
        &self.doc.timers
    }

    /// Who sees which cases and who decides them.
    pub fn access(&self) -> &Access {
        &self.doc.access
    }

    /// By when an information request made at `at` must be answered (the policy's
    /// `timers.info_request`, in the authority's zone and calendar). Beyond the calendar's
    /// years, working days are counted as calendar weeks (5 to 7), as for processing.
    pub fn info_response_due(&self, at: Timestamp) -> Timestamp {
        let rule = self.doc.timers.info_request;
        // To the whole second (23:59:59 local), as stored: the database keeps microseconds.
        deadline::notification_deadline(rule, at, &self.tz, &self.calendar)
            .ok()
            .and_then(|z| Timestamp::from_second(z.timestamp().as_second()).ok())
            .unwrap_or_else(|| {
                let (DeadlineRule::WorkingDays(n) | DeadlineRule::Hours(n)) = rule;
                at.checked_add(jiff::SignedDuration::from_hours(i64::from(n) * 7 / 5 * 24))
                    .unwrap_or(at)
            })
    }

    /// The card type `id`.
    pub fn permit_type(&self, id: &str) -> Option<&PermitType> {
        self.doc.permit_types.iter().find(|t| t.id == id)
    }

    /// The document kind `id`.
    pub fn document(&self, id: &str) -> Option<&DocumentDoc> {
        self.doc.documents.iter().find(|d| d.id == id)
    }

    /// The office `id`.
    pub fn office(&self, id: &str) -> Option<&Office> {
        self.doc.offices.iter().find(|o| o.id == id)
    }

    /// The office that handles an applicant living in `place` (a city or region, in any
    /// spelling the policy lists, any case, surrounding whitespace ignored); the default
    /// office when no office lists it.
    pub fn office_for_place(&self, place: &str) -> &Office {
        &self.doc.offices[self.offices.find(place)]
    }

    /// The name of the office `id` in `lang`, e.g. for a receipt that stored the office id.
    pub fn office_name(&self, id: &str, lang: Lang) -> Option<&str> {
        self.office(id).map(|o| o.name.get(lang))
    }

    /// The host kind of a host account that names none: the first of `[[host_kinds]]` (a
    /// checked policy lists at least one).
    pub fn default_host_kind(&self) -> &str {
        self.doc.host_kinds.first().map_or("", |k| k.id.as_str())
    }

    /// The reason code `id`.
    pub fn reason(&self, id: &str) -> Option<&Reason> {
        self.doc.reasons.iter().find(|r| r.id == id)
    }

    /// Checks a reason code given with `action`: a known code must list the action, and an
    /// unknown code is refused for the actions that take reasons. The problem names the codes
    /// that would do.
    pub fn check_reason(&self, action: Action, reason: Option<&str>) -> Result<(), FieldProblem> {
        let Some(r) = reason else { return Ok(()) };
        match self.reason(r) {
            Some(known) if !known.actions.iter().any(|a| a == action.as_str()) => {
                Err(FieldProblem::new("reason", "reason.not_for_action")
                    .with("value", r)
                    .with("action", action))
            }
            None if matches!(
                action,
                Action::Reject | Action::RequestInfo | Action::Revoke
            ) =>
            {
                let codes: Vec<_> = self
                    .doc
                    .reasons
                    .iter()
                    .filter(|x| x.actions.iter().any(|a| a == action.as_str()))
                    .map(|x| x.id.as_str())
                    .collect();
                Err(FieldProblem::new("reason", "reason.unknown")
                    .with("value", r)
                    .with("action", action)
                    .with("known", codes.join(", ")))
            }
            _ => Ok(()),
        }
    }

    /// Checks that a card of `permit_type` valid from `from` to `until` (inclusive) stays
    /// within the type's maximum validity.
    pub fn check_validity(
        &self,
        permit_type: &str,
        from: Date,
        until: Date,
    ) -> Result<(), FieldProblem> {
        let max = self
            .permit_type(permit_type)
            .map_or(365, |t| t.max_validity_days);
        if i64::from((until - from).get_days()) + 1 > i64::from(max) {
            return Err(FieldProblem::new("valid_until", "validity.too_long")
                .with("max", max)
                .with("permit_type", permit_type));
        }
        Ok(())
    }

    /// When a case of `permit_type` submitted at `at` is due: the end of the type's processing
    /// target in working days, local time. Beyond the calendar's years, the target is counted
    /// as calendar weeks (5 working days to 7 days) rather than refused.
    pub fn processing_due(&self, permit_type: &str, at: Timestamp) -> Timestamp {
        let days = self
            .permit_type(permit_type)
            .map_or(30, |t| t.processing_days);
        let local = at.to_zoned_datetime(self.tz.clone()).date();
        self.calendar
            .nth_working_day_after(local, days)
            .ok()
            .and_then(|d| d.at(23, 59, 59, 0).to_zoned_datetime(self.tz.clone()).ok())
            .map(|z| z.timestamp())
            .or_else(|| {
                at.checked_add(jiff::SignedDuration::from_hours(
                    i64::from(days) * 7 / 5 * 24,
                ))
                .ok()
            })
            .unwrap_or(at)
    }

    /// The stay rule in force for `nationality` (ISO alpha-3) on `on`: the latest rule naming
    /// the nationality that is in force, otherwise the default rule if it is in force.
    pub fn stay_rule_for(&self, nationality: &str, on: Date) -> Option<&StayRuleDoc> {
        let in_force = |r: &&StayRuleDoc| r.effective_from.0 <= on;
        let nat = nationality.trim().to_ascii_uppercase();
        self.doc
            .stay_rules
            .iter()
            .filter(in_force)
            .filter(|r| r.nationalities.contains(&nat))
            .max_by_key(|r| r.effective_from)
            .or_else(|| {
                self.doc
                    .stay_rules
                    .iter()
                    .filter(in_force)
                    .find(|r| r.default)
            })
    }

    /// The stay calculation for a national of `nationality` (ISO alpha-3) with the rule in
    /// force on `on`. A card is needed when the rule says so, or when the planned continuous
    /// stay (from the current entry, or from `on`, through `until`) is longer than the
    /// policy's `card.required_after_days`.
    pub fn assess_stay(
        &self,
        nationality: &str,
        stays: &[Stay],
        on: Date,
        until: Option<Date>,
    ) -> Result<StayAssessment, PolicyUseError> {
        let nationality = nationality.trim().to_ascii_uppercase();
        let doc = self
            .stay_rule_for(&nationality, on)
            .ok_or(PolicyUseError::NoStayRule(on))?;
        let mut report = stay::calculate(&doc.rule(), stays, on, until)?;
        let threshold = self.doc.card.required_after_days;
        let over_card_threshold = until.is_some_and(|until| {
            let start = report.current_entry.unwrap_or(on);
            i64::from((until - start).get_days()) + 1 > i64::from(threshold)
        });
        report.needs_card |= over_card_threshold;
        let overstay_fine = self.overstay_fine(report.overstay_days, on)?;
        Ok(StayAssessment {
            report,
            rule_id: doc.id.clone(),
            nationality,
            card_required_after_days: threshold,
            over_card_threshold,
            overstay_fine,
        })
    }

    /// `amount` in tenge on `date`.
    pub fn to_kzt(&self, amount: Amount, date: Date) -> Result<u64, MoneyError> {
        self.mci.to_kzt(amount, date)
    }

    /// The notification deadline for an arrival, with the policy's rule or `rule`.
    pub fn notification_deadline(
        &self,
        arrival: Timestamp,
        rule: Option<DeadlineRule>,
    ) -> Result<ZonedDateTime, DeadlineError> {
        let rule = rule.unwrap_or(self.doc.arrival_notification.deadline);
        deadline::notification_deadline(rule, arrival, &self.tz, &self.calendar)
    }

    /// The fine the policy sets for a host of kind `host_kind` that notifies late, if any
    /// (its `article` is what a confirmation cites).
    pub fn late_notification_fine(&self, host_kind: &str) -> Option<&Fine> {
        self.doc.fines.iter().find(|f| {
            f.offence == Offence::LateNotification && f.host_kind.as_deref() == Some(host_kind)
        })
    }

    /// Whether a notification at `notified` of an arrival at `arrival` was in time, and the
    /// fine for a host of kind `host_kind` if it was not.
    ///
    /// The fine is converted with the MCI of the day the offence was committed: the local day
    /// just after the deadline expired.
    pub fn assess_notification(
        &self,
        arrival: Timestamp,
        notified: Option<Timestamp>,
        host_kind: &str,
        rule: Option<DeadlineRule>,
    ) -> Result<NotificationAssessment, PolicyUseError> {
        if !self.doc.host_kinds.iter().any(|k| k.id == host_kind) {
            let known: Vec<_> = self.doc.host_kinds.iter().map(|k| k.id.as_str()).collect();
            return Err(PolicyUseError::UnknownHostKind(
                host_kind.to_owned(),
                known.join(", "),
            ));
        }
        let rule = rule.unwrap_or(self.doc.arrival_notification.deadline);
        let deadline = deadline::notification_deadline(rule, arrival, &self.tz, &self.calendar)?;
        let late = notified.is_some_and(|n| deadline::is_late(&deadline, n));
        let fine = if late {
            let offence_day = deadline
                .timestamp()
                .checked_add(jiff::SignedDuration::from_nanos(1))
                .map_err(|_| DeadlineError::OutOfRange)?
                .to_zoned_datetime(self.tz.clone())
                .date();
            self.late_notification_fine(host_kind)
                .map(|f| self.assess(f, offence_day))
                .transpose()?
        } else {
            None
        };
        Ok(NotificationAssessment {
            rule,
            deadline,
            late,
            fine,
        })
    }

    /// The fine for an overstay of `days_over` days committed on `date`, if the policy has one.
    pub fn overstay_fine(
        &self,
        days_over: u32,
        date: Date,
    ) -> Result<Option<FineAssessment>, MoneyError> {
        if days_over == 0 {
            return Ok(None);
        }
        self.doc
            .fines
            .iter()
            .find(|f| {
                f.offence == Offence::Overstay
                    && f.days_over_from.is_some_and(|from| from <= days_over)
                    && f.days_over_to.is_none_or(|to| days_over <= to)
            })
            .map(|f| self.assess(f, date))
            .transpose()
    }

    fn assess(&self, f: &Fine, date: Date) -> Result<FineAssessment, MoneyError> {
        Ok(FineAssessment {
            fine_id: f.id.clone(),
            article: f.article.clone(),
            amount: f.amount,
            kzt: self.mci.to_kzt(f.amount, date)?,
            date,
        })
    }
}

fn build_calendar(c: &CalendarDoc) -> WorkCalendar {
    let weekend: Vec<Weekday> = c
        .weekend
        .iter()
        .filter_map(|w| calendar::parse_weekday(w))
        .collect();
    let holidays: Vec<HolidaySpec> = c
        .holidays
        .iter()
        .map(|h| {
            let days: Vec<MonthDay> = h.days.iter().filter_map(|d| d.parse().ok()).collect();
            let dates = h.dates.iter().map(|d| d.0).filter(|d| h.in_force(d.year()));
            if h.from_year.is_none() && h.until_year.is_none() {
                return HolidaySpec {
                    days,
                    dates: dates.collect(),
                    moves_if_weekend: h.moves_if_weekend,
                };
            }
            // A recurring holiday in force only some years becomes the dated days of those
            // years, so the calendar itself needs no notion of a holiday's lifetime.
            let in_force = (c.covered_from..=c.covered_to).filter(|&y| h.in_force(y));
            let recurring: Vec<Date> = in_force
                .flat_map(|y| days.iter().filter_map(move |md| md.in_year(y)))
                .collect();
            HolidaySpec {
                days: Vec::new(),
                dates: dates.chain(recurring).collect(),
                moves_if_weekend: h.moves_if_weekend,
            }
        })
        .collect();
    let adjustments: Vec<Adjustment> = c
        .adjustments
        .iter()
        .map(|a| Adjustment {
            days_off: a.days_off.iter().map(|d| d.0).collect(),
            working_days: a.working_days.iter().map(|d| d.0).collect(),
        })
        .collect();
    WorkCalendar::new(
        &weekend,
        c.covered_from,
        c.covered_to,
        &holidays,
        &adjustments,
    )
}
