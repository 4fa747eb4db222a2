//! The policy file's shape: what serde reads from the TOML (syntax, types, unknown keys).

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::Office;
use crate::deadline::DeadlineRule;
use crate::money::Amount;
use crate::stay::StayRule;
use crate::text::Localized;

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
    /// Absent in a policy written before the worker existed: the defaults (the shipped
    /// policy's values) apply.
    #[serde(default)]
    pub timers: Timers,
    /// Absent in a policy written before office scoping: the defaults (the shipped policy's
    /// values) apply.
    #[serde(default)]
    pub access: Access,
}

/// Who sees which cases and who decides them: officers work their own office's cases, and
/// approving and issuing a card take a second person.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Access {
    /// Who may approve a case and issue its card.
    pub second_person: SecondPerson,
    /// Whether supervisors see and act on the cases of every office (else of their own).
    pub supervisors_all_offices: bool,
    /// Whether officers must sign in with a second factor too (supervisors and
    /// administrators always do); without it an officer may set one up.
    #[serde(default)]
    pub officers_second_factor: bool,
    pub source: String,
}

impl Default for Access {
    fn default() -> Self {
        Access {
            second_person: SecondPerson::Supervisor,
            supervisors_all_offices: true,
            officers_second_factor: false,
            source: "tirkeu defaults (no legal source; set by the authority)".into(),
        }
    }
}

/// Who is the second pair of eyes on an approval and an issue. Either way it is never the
/// person who reviews the case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecondPerson {
    /// A supervisor other than the reviewer.
    Supervisor,
    /// Any officer or supervisor other than the reviewer.
    OtherThanReviewer,
}

impl SecondPerson {
    pub fn as_str(self) -> &'static str {
        match self {
            SecondPerson::Supervisor => "supervisor",
            SecondPerson::OtherThanReviewer => "other_than_reviewer",
        }
    }
}

/// When deadlines act on their own and when people are reminded (the worker's rules).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Timers {
    /// A draft not submitted within this many days is abandoned (and blocks nobody).
    pub draft_days: u32,
    /// How long an applicant has to answer an information request, counted like the arrival
    /// deadline (hours, or to the end of the N-th working day).
    pub info_request: DeadlineRule,
    /// Days before a card's last valid day on which its holder is reminded to renew.
    pub expiry_reminder_days: Vec<u32>,
    /// Hosts are reminded this many hours before an expected arrival's notification deadline.
    pub arrival_reminder_hours: u32,
    /// Personal data and documents of a closed case (and of an arrival notification) are
    /// purged this many days after it closed; aggregates and the audit chain stay.
    pub retention_days: u32,
    /// A message that cannot be delivered for a temporary reason is retried, with growing
    /// pauses, for this many hours; then it fails and waits for an administrator.
    pub delivery_retry_hours: u32,
    pub source: String,
}

impl Default for Timers {
    fn default() -> Self {
        Timers {
            draft_days: 30,
            info_request: DeadlineRule::WorkingDays(10),
            expiry_reminder_days: vec![30, 7],
            arrival_reminder_hours: 24,
            retention_days: 1825,
            delivery_retry_hours: 48,
            source: "tirkeu defaults (no legal source; set by the authority)".into(),
        }
    }
}
