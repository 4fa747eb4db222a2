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

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use toml::de::{DeTable, DeValue};

use crate::calendar::{self, Adjustment, HolidaySpec, MonthDay, WorkCalendar};
use crate::deadline::{self, DeadlineError, DeadlineRule};
use crate::lifecycle::Action;
use crate::money::{Amount, MciTable, MoneyError};
use crate::problem::FieldProblem;
use crate::stay::{self, Stay, StayError, StayReport, StayRule};
use crate::text::{Lang, Localized};

mod offices;

pub use offices::Office;
use offices::OfficeIndex;

/// The default policy of the Republic of Kazakhstan, embedded in the binary.
pub const DEFAULT_POLICY_TOML: &str = include_str!("../../../policy/kz.toml");

/// The content types an uploaded document may have.
pub const ALLOWED_CONTENT_TYPES: [&str; 3] = ["application/pdf", "image/jpeg", "image/png"];

/// A date written in TOML as a bare local date (`2025-01-03`); serialised as an ISO string.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct PolicyDate(pub Date);

impl<'de> Deserialize<'de> for PolicyDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let dt = toml::value::Datetime::deserialize(d)?;
        match (dt.date, dt.time, dt.offset) {
            (Some(date), None, None) => Date::new(
                i16::try_from(date.year).map_err(D::Error::custom)?,
                i8::try_from(date.month).map_err(D::Error::custom)?,
                i8::try_from(date.day).map_err(D::Error::custom)?,
            )
            .map(PolicyDate)
            .map_err(|e| D::Error::custom(format!("not a valid date: {e}"))),
            _ => Err(D::Error::custom(format!(
                "expected a date without a time, like 2025-01-03, got {dt}"
            ))),
        }
    }
}

impl Serialize for PolicyDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// Who the policy is for.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    pub id: String,
    pub name: Localized,
    pub version: String,
    /// IANA time zone of the authority, e.g. `Asia/Almaty`.
    pub time_zone: String,
    pub currency: String,
}

/// The arrival-notification duty of hosts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrivalNotification {
    pub deadline: DeadlineRule,
    pub source: String,
}

/// When a registration card is needed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardRule {
    /// A stay longer than this many days needs a card.
    pub required_after_days: u32,
    pub source: String,
}

/// The monthly calculation index for one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MciEntry {
    pub year: i16,
    pub kzt: u64,
    pub source: String,
}

/// A kind of host (individual, business, …); fines for late notification depend on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostKind {
    pub id: String,
    pub name: Localized,
}

/// A stay rule for a group of nationalities, in force from a date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StayRuleDoc {
    pub id: String,
    pub name: Localized,
    /// ISO 3166-1 alpha-3 codes; empty for the default rule.
    #[serde(default)]
    pub nationalities: Vec<String>,
    /// The rule for every nationality no other rule names.
    #[serde(default)]
    pub default: bool,
    pub effective_from: PolicyDate,
    pub limit_days: u32,
    pub window_days: u32,
    pub per_entry_days: Option<u32>,
    pub source: String,
}

impl StayRuleDoc {
    /// The calculator's rule.
    pub fn rule(&self) -> StayRule {
        StayRule {
            limit_days: self.limit_days,
            window_days: self.window_days,
            per_entry_days: self.per_entry_days,
        }
    }
}

/// A kind of document an applicant provides.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentDoc {
    pub id: String,
    pub name: Localized,
    pub hint: Localized,
    pub content_types: Vec<String>,
    pub max_size_mb: u32,
    pub source: String,
}

/// A document in a card type's checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistItem {
    pub id: String,
    pub required: bool,
}

/// A kind of registration card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PermitType {
    pub id: String,
    pub name: Localized,
    pub description: Localized,
    pub max_validity_days: u32,
    /// The processing time target, in working days.
    pub processing_days: u32,
    pub fee: Amount,
    pub documents: Vec<ChecklistItem>,
    pub source: String,
}

/// One public holiday.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    pub id: String,
    pub name: Localized,
    /// Recurring month-days, `MM-DD`.
    #[serde(default)]
    pub days: Vec<String>,
    /// Dates of particular years, for movable feasts.
    #[serde(default)]
    pub dates: Vec<PolicyDate>,
    /// The first year the holiday is a day off, when it was introduced later (inclusive).
    pub from_year: Option<i16>,
    /// The last year the holiday is a day off, when it was abolished (inclusive).
    pub until_year: Option<i16>,
    pub moves_if_weekend: bool,
    pub source: String,
}

impl Holiday {
    /// Whether the holiday is in force in `year`.
    pub fn in_force(&self, year: i16) -> bool {
        self.from_year.is_none_or(|from| from <= year)
            && self.until_year.is_none_or(|until| year <= until)
    }
}

/// The government's transfers of days off for one year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarAdjustment {
    pub year: i16,
    #[serde(default)]
    pub days_off: Vec<PolicyDate>,
    #[serde(default)]
    pub working_days: Vec<PolicyDate>,
    pub source: String,
}

/// The working-day calendar as written in the policy.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarDoc {
    pub weekend: Vec<String>,
    pub covered_from: i16,
    pub covered_to: i16,
    #[serde(default)]
    pub holidays: Vec<Holiday>,
    #[serde(default)]
    pub adjustments: Vec<CalendarAdjustment>,
}

/// What a fine punishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Offence {
    /// A host notified an arrival after the deadline.
    LateNotification,
    /// A foreigner stayed beyond the allowed days.
    Overstay,
}

/// A fine from the Code of Administrative Offences.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fine {
    pub id: String,
    pub offence: Offence,
    pub host_kind: Option<String>,
    pub days_over_from: Option<u32>,
    pub days_over_to: Option<u32>,
    pub amount: Amount,
    pub article: String,
    pub source: String,
}

/// A reason code officers give when they reject, ask for information or revoke.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub id: String,
    pub actions: Vec<String>,
    pub name: Localized,
}

/// The policy file as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyDoc {
    pub meta: Meta,
    pub arrival_notification: ArrivalNotification,
    pub card: CardRule,
    pub mci: Vec<MciEntry>,
    pub host_kinds: Vec<HostKind>,
    /// Absent is refused by the checks ("name at least one office"), not by the parser, so
    /// that an older policy file gets a message that says what to add.
    #[serde(default)]
    pub offices: Vec<Office>,
    pub stay_rules: Vec<StayRuleDoc>,
    pub documents: Vec<DocumentDoc>,
    pub permit_types: Vec<PermitType>,
    pub calendar: CalendarDoc,
    pub fines: Vec<Fine>,
    pub reasons: Vec<Reason>,
}

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

    /// The authority's time zone.
    pub fn time_zone(&self) -> &TimeZone {
        &self.tz
    }

    /// The working-day calendar.
    pub fn calendar(&self) -> &WorkCalendar {
        &self.calendar
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
            self.doc
                .fines
                .iter()
                .find(|f| {
                    f.offence == Offence::LateNotification
                        && f.host_kind.as_deref() == Some(host_kind)
                })
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

/// Collects `(field path, message)` pairs for everything that makes no sense.
#[derive(Default)]
struct Validator {
    issues: Vec<(String, String)>,
}

impl Validator {
    fn err(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.issues.push((field.into(), message.into()));
    }

    fn text(&mut self, field: &str, t: &Localized) {
        for lang in t.blank_languages() {
            self.err(format!("{field}.{lang}"), "the text is empty");
        }
    }

    fn ids<'a>(&mut self, list: &str, ids: impl Iterator<Item = &'a str>) {
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

    fn amount(&mut self, field: &str, a: Amount) {
        if a.mci_hundredths().is_none() {
            self.err(
                field,
                format!("{a} is not a non-negative MCI multiple with at most two decimals"),
            );
        }
    }

    fn check(&mut self, doc: &PolicyDoc) {
        self.meta(doc);
        self.offices(&doc.offices);
        self.stay_rules(&doc.stay_rules);
        self.documents(doc);
        self.calendar(&doc.calendar);
        self.money(doc);
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

/// Serde names Rust types ("expected u32"); an administrator thinks in kinds of value.
fn humanize(message: &str) -> String {
    let mut m = message.to_owned();
    for (rust, human) in [
        ("expected u32", "expected a whole number (0 or more)"),
        ("expected u64", "expected a whole number (0 or more)"),
        ("expected i16", "expected a year"),
        ("expected f64", "expected a number"),
        ("expected a boolean", "expected true or false"),
    ] {
        m = m.replace(rust, human);
    }
    m
}

/// 1-based line of a byte offset.
fn line_of(src: &str, offset: usize) -> usize {
    src.get(..offset).unwrap_or(src).matches('\n').count() + 1
}

/// The span of the value at a dotted path like `permit_types[2].documents[0].id`; the
/// nearest enclosing value's span when the exact one does not exist (a missing key).
fn span_of(root: &DeTable<'_>, path: &str) -> Option<Range<usize>> {
    let mut table = Some(root);
    let mut value: Option<&toml::Spanned<DeValue<'_>>> = None;
    let mut best = None;
    for part in path.split('.') {
        let (key, indexes) = match part.split_once('[') {
            Some((k, rest)) => (
                k,
                rest.split('[')
                    .filter_map(|i| i.trim_end_matches(']').parse::<usize>().ok())
                    .collect(),
            ),
            None => (part, Vec::new()),
        };
        if let Some(v) = value {
            table = match v.get_ref() {
                DeValue::Table(t) => Some(t),
                _ => None,
            };
        }
        let found = table?.iter().find(|(k, _)| k.get_ref() == key);
        let Some((k, v)) = found else {
            return best;
        };
        best = Some(k.span());
        let mut v = v;
        for i in indexes {
            match v.get_ref() {
                DeValue::Array(a) => match a.get(i) {
                    Some(item) => v = item,
                    None => return best,
                },
                _ => return best,
            }
        }
        if v.span().start != v.span().end {
            best = Some(v.span());
        }
        value = Some(v);
    }
    best
}

/// The dotted path of the innermost key or value whose span contains `offset`.
///
/// Every node is visited because the span of a `[[table]]` covers only its header line, not
/// its body; the smallest containing span is the most precise.
fn path_at(root: &DeTable<'_>, offset: usize) -> String {
    fn visit(v: &DeValue<'_>, offset: usize, path: &str, best: &mut Option<(usize, String)>) {
        fn consider(
            span: Range<usize>,
            offset: usize,
            path: String,
            best: &mut Option<(usize, String)>,
        ) {
            let contains = span.contains(&offset) || (span.is_empty() && span.start == offset);
            if contains && best.as_ref().is_none_or(|(len, _)| span.len() <= *len) {
                *best = Some((span.len(), path));
            }
        }
        match v {
            DeValue::Table(t) => {
                for (k, val) in t {
                    let p = if path.is_empty() {
                        k.get_ref().to_string()
                    } else {
                        format!("{path}.{}", k.get_ref())
                    };
                    consider(k.span(), offset, p.clone(), best);
                    consider(val.span(), offset, p.clone(), best);
                    visit(val.get_ref(), offset, &p, best);
                }
            }
            DeValue::Array(a) => {
                for (i, item) in a.iter().enumerate() {
                    let p = format!("{path}[{i}]");
                    consider(item.span(), offset, p.clone(), best);
                    visit(item.get_ref(), offset, &p, best);
                }
            }
            _ => {}
        }
    }
    let mut best = None;
    for (k, v) in root {
        let p = k.get_ref().to_string();
        if k.span().contains(&offset) || v.span().contains(&offset) {
            best = Some((v.span().len().max(k.span().len()), p.clone()));
        }
        visit(v.get_ref(), offset, &p, &mut best);
    }
    best.map(|(_, p)| p).unwrap_or_default()
}
